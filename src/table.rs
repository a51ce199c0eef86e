//! A table of seats: one game with its level, seed and settings, who sits
//! where (and from which turn, for saves and replays), the hash after every
//! finished turn, and the computer players' deal answerers.
//!
//! Every driver plays through a table: `sim`, `tournament`, `lab`, the
//! window's [`crate::session::Session`] (hot-seat steps on top), saves and
//! replays ([`crate::save`] adds `Table::load`, `Table::save_file`), tests
//! and benches. It is also what a network host serves: each seat submits or
//! cancels orders, reads its own view and ends its turn; when every human
//! seat is ready the computer seats play and the turn resolves; a seat can
//! change between human and computer in mid-game.
//!
//! The answerers are installed here and only here — when the table is built,
//! loaded or its seats change — so no driver can forget them (a power without
//! its answerer never answers a deal at once, which silently changes the
//! game). Computer turns are played by [`Game::play_computers`], the loop the
//! hard player's rollouts use too.

use std::sync::Arc;
use std::time::Instant;

use bevy::prelude::World;

use crate::ai::{self, SearchBudget};
use crate::game::{Game, GameSettings, Refused};
use crate::level::schema::Level;
use crate::rules::hash::GameState;
use crate::rules::orders::{Order, Refusal};
use crate::rules::resources::TurnInput;
use crate::rules::types::{PerPower, PowerId};
use crate::rules::view::PowerView;
use crate::seats::{Seat, Seats, Strength};

/// Time spent deciding, for one strength.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DecisionTimes {
    pub count: u64,
    pub total_ms: f64,
    pub max_ms: f64,
}

impl DecisionTimes {
    pub fn add(&mut self, ms: f64) {
        self.count += 1;
        self.total_ms += ms;
        self.max_ms = self.max_ms.max(ms);
    }
    pub fn merge(&mut self, other: &DecisionTimes) {
        self.count += other.count;
        self.total_ms += other.total_ms;
        self.max_ms = self.max_ms.max(other.max_ms);
    }
    pub fn mean_ms(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.total_ms / self.count as f64
        }
    }
}

/// A decision a computer seat has to make, from its own view only; it can
/// run on another thread (the window's workers) and come back through
/// [`Table::give_computer_orders`].
pub struct ComputerJob {
    pub power: PowerId,
    pub view: PowerView,
    pub strength: Strength,
    pub seed: u64,
    pub level: Arc<Level>,
    pub budget: SearchBudget,
}

impl ComputerJob {
    pub fn decide(&self) -> Vec<Order> {
        ai::decide_with(
            &self.view,
            self.strength,
            self.seed,
            &self.level,
            &self.budget,
        )
    }
}

/// The state a turn ended in, captured once for both its hash and a save.
pub struct Captured {
    pub state: GameState,
    pub hash: u64,
}

pub struct Table {
    game: Game,
    level: Arc<Level>,
    seed: u64,
    /// Seats from which turn on; the last entry holds the current seats.
    seat_history: Vec<(u32, Seats)>,
    /// Hash of the state after each finished turn (`[i]`: after turn i + 1).
    turn_hashes: Vec<u64>,
    keep_hashes: bool,
    budget: SearchBudget,
    /// Human seats that have ended their turn.
    ready: PerPower<bool>,
    /// Computer players' orders the rules refused (should stay zero).
    refused: u32,
    /// Decision times by strength (`Strength::index`).
    times: [DecisionTimes; 4],
}

impl Table {
    /// A new game of `level` with `seed`, the default settings.
    pub fn new(level: Arc<Level>, seed: u64, seats: Seats) -> Table {
        Table::with_settings(level, seed, seats, &GameSettings::default())
    }

    /// A new game with a teacher's settings (options, lesson turn limit).
    pub fn with_settings(
        level: Arc<Level>,
        seed: u64,
        seats: Seats,
        settings: &GameSettings,
    ) -> Table {
        let game = Game::with_settings(&level, seed, settings);
        Table::resume(game, level, seed, vec![(1, seats)], Vec::new())
    }

    /// A game already under way (a loaded save): `seat_history` from turn 1,
    /// the hashes of its finished turns.
    pub fn resume(
        game: Game,
        level: Arc<Level>,
        seed: u64,
        mut seat_history: Vec<(u32, Seats)>,
        turn_hashes: Vec<u64>,
    ) -> Table {
        if seat_history.is_empty() {
            seat_history.push((1, Seats::default()));
        }
        let mut table = Table {
            game,
            level,
            seed,
            seat_history,
            turn_hashes,
            keep_hashes: true,
            budget: SearchBudget::default(),
            ready: PerPower::default(),
            refused: 0,
            times: Default::default(),
        };
        table.install_answerers();
        table
    }

    /// Do not hash every finished turn (tournaments, benches: nothing will
    /// be saved or replayed, and hashing costs more than a turn).
    pub fn without_turn_hashes(mut self) -> Table {
        self.keep_hashes = false;
        self
    }

    /// The hard player's search budget at this table.
    pub fn with_budget(mut self, budget: SearchBudget) -> Table {
        self.budget = budget;
        self
    }

    fn install_answerers(&mut self) {
        let answerers = ai::answerers_for(&self.seats(), &self.level);
        self.game.world_mut().insert_resource(answerers);
    }

    pub fn game(&self) -> &Game {
        &self.game
    }

    pub fn world(&self) -> &World {
        self.game.world()
    }

    pub fn level(&self) -> &Arc<Level> {
        &self.level
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Who sits where now.
    pub fn seats(&self) -> Seats {
        self.seat_history.last().map(|s| s.1).unwrap_or_default()
    }

    pub fn seat(&self, p: PowerId) -> Seat {
        self.seats().get(p)
    }

    /// Seats from which turn on (first entry: turn 1).
    pub fn seat_history(&self) -> &[(u32, Seats)] {
        &self.seat_history
    }

    pub fn turn_hashes(&self) -> &[u64] {
        &self.turn_hashes
    }

    /// The settings this game is played under (they are part of its state).
    pub fn settings(&self) -> GameSettings {
        GameSettings {
            options: self
                .world()
                .resource::<crate::rules::resources::GameOptions>()
                .clone(),
            turn_limit: Some(self.game.max_turns()),
        }
    }

    pub fn budget(&self) -> &SearchBudget {
        &self.budget
    }

    /// The turn being planned (1-based).
    pub fn turn(&self) -> u32 {
        self.game.turn()
    }

    pub fn is_over(&self) -> bool {
        self.game.is_over()
    }

    /// Computer players' orders the rules refused so far.
    pub fn refused(&self) -> u32 {
        self.refused
    }

    /// Time the computer players took to decide, by strength
    /// (`Strength::index`).
    pub fn decision_times(&self) -> &[DecisionTimes; 4] {
        &self.times
    }

    /// Seat `p` as `seat` from this turn on. Its answerer changes at once:
    /// a computer answers deals in this turn's diplomacy, a human does not.
    pub fn set_seat(&mut self, p: PowerId, seat: Seat) {
        let mut seats = self.seats();
        seats.0[p] = seat;
        self.set_seats(seats);
    }

    /// Change every seat at once from this turn on (kept in the history for
    /// saves and replays).
    pub fn set_seats(&mut self, seats: Seats) {
        if seats != self.seats() {
            let turn = self.turn();
            self.seat_history.retain(|s| s.0 < turn);
            self.seat_history.push((turn, seats));
        }
        self.ready = PerPower::default();
        self.install_answerers();
    }

    fn is_eliminated(&self, p: PowerId) -> bool {
        crate::rules::orders::get_power::<crate::rules::components::Power>(self.world(), p)
            .eliminated
    }

    /// Human seats still in the game, in table order.
    pub fn humans(&self) -> Vec<PowerId> {
        PowerId::ALL
            .into_iter()
            .filter(|p| self.seat(*p) == Seat::Human && !self.is_eliminated(*p))
            .collect()
    }

    /// What `p` may see.
    pub fn view(&self, p: PowerId) -> PowerView {
        self.game.view(p)
    }

    /// Give an order for `p`'s seat: checked at once, queued for the turn.
    pub fn submit(&mut self, p: PowerId, order: Order) -> Result<(), Refusal> {
        if self.ready[p] {
            return Err(Refusal(
                "you have ended your turn: wait for the next one".into(),
            ));
        }
        self.game.submit(p, order)
    }

    /// Take back `p`'s queued order number `index`.
    pub fn cancel(&mut self, p: PowerId, index: usize) -> Option<Order> {
        if self.ready[p] {
            return None;
        }
        crate::rules::orders::cancel(self.game.world_mut(), p, index)
    }

    /// Have a teacher's event card fire next turn.
    pub fn inject_event(&mut self, id: &str) -> Result<(), String> {
        self.game.inject_event(id)
    }

    /// `p` has given its orders for this turn. Returns whether every human
    /// seat is now ready (then [`Table::resolve_turn`], or the window's
    /// worker threads, play on).
    pub fn end_seat_turn(&mut self, p: PowerId) -> bool {
        self.ready[p] = true;
        self.everyone_ready()
    }

    /// Every human seat still in the game has ended its turn.
    pub fn everyone_ready(&self) -> bool {
        self.humans().iter().all(|p| self.ready[*p])
    }

    pub fn is_ready(&self, p: PowerId) -> bool {
        self.ready[p]
    }

    /// The computer seats' decisions this turn, to run off this thread.
    pub fn computer_jobs(&self) -> Vec<ComputerJob> {
        if !PowerId::ALL
            .iter()
            .any(|p| matches!(self.seat(*p), Seat::Ai(_)))
        {
            return Vec::new();
        }
        let views = crate::rules::view::power_views(self.world());
        let [us, china, russia] = views.0;
        PowerId::ALL
            .into_iter()
            .zip([us, china, russia])
            .filter_map(|(p, view)| match self.seat(p) {
                Seat::Ai(strength) => Some(ComputerJob {
                    power: p,
                    view,
                    strength,
                    seed: self.seed,
                    level: self.level.clone(),
                    budget: self.budget,
                }),
                Seat::Human => None,
            })
            .collect()
    }

    /// Orders the computer seats decided elsewhere, given in table order
    /// whatever order they came back in. Returns those the rules refused.
    pub fn give_computer_orders(&mut self, mut orders: Vec<(PowerId, Vec<Order>)>) -> Vec<Refused> {
        orders.sort_by_key(|(p, _)| p.index());
        let refused = self.game.submit_orders(orders);
        self.refused += refused.len() as u32;
        refused
    }

    /// The computer seats decide on this thread and give their orders.
    pub fn play_computers(&mut self) -> Vec<Refused> {
        let seats = self.seats();
        if !PowerId::ALL
            .iter()
            .any(|p| matches!(seats.get(*p), Seat::Ai(_)))
        {
            return Vec::new();
        }
        let (level, seed, budget) = (self.level.clone(), self.seed, self.budget);
        let times = &mut self.times;
        let refused = self.game.play_computers(|p, view| match seats.get(p) {
            Seat::Ai(strength) => {
                let start = Instant::now();
                let orders = ai::decide_with(view, strength, seed, &level, &budget);
                times[strength.index()].add(start.elapsed().as_secs_f64() * 1000.0);
                Some(orders)
            }
            Seat::Human => None,
        });
        self.refused += refused.len() as u32;
        refused
    }

    /// Resolve the turn and record its hash (the one way a table ends a turn).
    pub fn end_turn(&mut self) {
        self.game.end_turn();
        self.ready = PerPower::default();
        if self.keep_hashes {
            let hash = self.game.hash();
            self.turn_hashes.push(hash);
        }
    }

    /// [`Table::end_turn`], keeping the state the turn ended in: captured
    /// once for its hash and for a save (the window's autosave).
    pub fn end_turn_captured(&mut self) -> Captured {
        self.game.end_turn();
        self.ready = PerPower::default();
        let state = self.game.snapshot();
        let hash = state.hash();
        if self.keep_hashes {
            self.turn_hashes.push(hash);
        }
        Captured { state, hash }
    }

    /// Every human is ready: the computer seats play, the turn resolves.
    pub fn resolve_turn(&mut self) -> Vec<Refused> {
        let refused = self.play_computers();
        self.end_turn();
        refused
    }

    /// Play whole turns (humans passing) until the game ends or `turns`
    /// turns are played. Returns the turns played.
    pub fn play_out(&mut self, turns: Option<u32>) -> u32 {
        let limit = turns.unwrap_or(u32::MAX);
        let mut played = 0;
        while !self.is_over() && played < limit {
            self.resolve_turn();
            played += 1;
        }
        played
    }

    /// Play a log of turns again (each turn's injected events and orders,
    /// then the turn ends). Stops at the first turn whose orders the rules
    /// refuse, returning that turn and the reason.
    pub fn replay(&mut self, log: &[TurnInput]) -> Result<(), (u32, String)> {
        for input in log {
            self.game.queue_turn_input(input)?;
            self.end_turn();
        }
        Ok(())
    }

    /// The hash of the state now.
    pub fn hash(&mut self) -> u64 {
        self.game.hash()
    }

    /// The state now.
    pub fn snapshot(&mut self) -> GameState {
        self.game.snapshot()
    }
}

/// A seed short enough to read out to a class, from the clock.
pub fn random_seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    (t ^ (t >> 29)) % 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::bundled;

    fn classroom(seats: &str) -> Table {
        let level = Arc::new(bundled("classroom").unwrap());
        Table::new(level, 3, Seats::parse(seats).unwrap())
    }

    #[test]
    fn computer_seats_answer_deals_from_the_start_and_after_a_change() {
        let mut t = classroom("us=human,china=ai:normal,russia=human");
        let answerers = t.world().resource::<crate::rules::deals::Answerers>();
        assert!(answerers.get(PowerId::China).is_some());
        assert!(answerers.get(PowerId::Us).is_none());
        t.set_seat(PowerId::Us, Seat::Ai(Strength::Easy));
        let answerers = t.world().resource::<crate::rules::deals::Answerers>();
        assert!(
            answerers.get(PowerId::Us).is_some(),
            "a new computer seat answers"
        );
        t.set_seat(PowerId::China, Seat::Human);
        let answerers = t.world().resource::<crate::rules::deals::Answerers>();
        assert!(
            answerers.get(PowerId::China).is_none(),
            "a human answers herself"
        );
        assert_eq!(
            t.seat_history().len(),
            1,
            "changes in turn 1 replace its seats"
        );
        t.play_out(Some(1));
        t.set_seat(PowerId::Russia, Seat::Ai(Strength::Hard));
        assert_eq!(
            t.seat_history().iter().map(|s| s.0).collect::<Vec<_>>(),
            vec![1, 2]
        );
    }

    #[test]
    fn a_turn_waits_for_every_human_seat_and_a_ready_seat_gives_no_more_orders() {
        let mut t = classroom("us=human,china=ai:normal,russia=human");
        assert!(!t.everyone_ready());
        t.submit(PowerId::Us, Order::SetAid { level: 2 }).unwrap();
        assert!(!t.end_seat_turn(PowerId::Us));
        assert!(t.submit(PowerId::Us, Order::SetAid { level: 3 }).is_err());
        assert_eq!(t.cancel(PowerId::Us, 0), None);
        assert!(t.end_seat_turn(PowerId::Russia));
        let jobs = t.computer_jobs();
        assert_eq!(
            jobs.iter().map(|j| j.power).collect::<Vec<_>>(),
            vec![PowerId::China]
        );
        let refused = t.resolve_turn();
        assert!(refused.is_empty());
        assert_eq!(t.turn(), 2);
        assert_eq!(t.turn_hashes().len(), 1);
        assert!(!t.is_ready(PowerId::Us), "a new turn, nobody ready");
        assert_eq!(t.decision_times()[Strength::Normal.index()].count, 1);
    }

    #[test]
    fn orders_decided_elsewhere_equal_orders_decided_here() {
        let mut here = classroom("us=ai:normal,china=ai:easy,russia=ai:normal");
        let mut there = classroom("us=ai:normal,china=ai:easy,russia=ai:normal");
        for _ in 0..4 {
            here.resolve_turn();
            // Decided "on other threads", coming back in any order.
            let mut orders: Vec<_> = there
                .computer_jobs()
                .into_iter()
                .map(|j| (j.power, j.decide()))
                .collect();
            orders.reverse();
            there.give_computer_orders(orders);
            let captured = there.end_turn_captured();
            assert_eq!(captured.hash, captured.state.hash());
        }
        assert_eq!(here.turn_hashes(), there.turn_hashes());
        assert_eq!(here.hash(), there.hash());
    }
}
