//! One game at the table: the engine plus who sits where and whose turn it is.
//!
//! The window shows a [`Session`]; it never reaches into the engine's state.
//! Humans plan one after another on the same computer (hot-seat): each sees
//! only their own [`PowerView`], behind a curtain when more than one human
//! plays. AI seats decide from their own views, then the turn resolves.

use std::sync::Arc;

use crate::ai;
use crate::game::{Game, GameSettings};
use crate::level::schema::Level;
use crate::rules::orders::{Order, Refusal};
use crate::rules::resources::NewsItem;
use crate::rules::types::{PerPower, PowerId};
use crate::rules::view::{PowerView, news_for};
use crate::seats::{Seat, Seats, Strength};

/// Where the table is in the current turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// "Pass the computer to …": nothing of the game is shown.
    Curtain(PowerId),
    /// What happened since this player last played.
    Report(PowerId),
    /// This player queues orders.
    Planning(PowerId),
    /// Every human is done; the AI seats decide and the turn resolves.
    Resolving,
    /// The game has ended.
    Over,
}

/// A decision an AI seat has to make: its own view only.
pub struct AiJob {
    pub power: PowerId,
    pub view: PowerView,
    pub strength: Strength,
    pub seed: u64,
    pub level: Arc<Level>,
}

impl AiJob {
    pub fn decide(&self) -> Vec<Order> {
        ai::decide(&self.view, self.strength, self.seed, &self.level)
    }
}

pub struct Session {
    pub game: Game,
    pub level: Arc<Level>,
    pub seed: u64,
    pub seats: Seats,
    pub step: Step,
    /// The turn each power last planned (0 before the first).
    pub last_planned: PerPower<u32>,
    /// AI orders the rules refused (should stay zero; shown to a maintainer).
    pub ai_refusals: u32,
    /// Hash of the state after each finished turn, for saves and replays.
    pub turn_hashes: Vec<u64>,
    /// Seats from which turn on (for saves: replays seat them the same way).
    pub seat_history: Vec<(u32, Seats)>,
}

impl Session {
    pub fn new(level: Arc<Level>, seed: u64, seats: Seats) -> Session {
        Session::with_settings(level, seed, seats, &GameSettings::default())
    }

    /// A new game with a teacher's settings (options, lesson turn limit).
    pub fn with_settings(
        level: Arc<Level>,
        seed: u64,
        seats: Seats,
        settings: &GameSettings,
    ) -> Session {
        let mut game = Game::with_settings(&level, seed, settings);
        game.world_mut()
            .insert_resource(ai::answerers_for(&seats, &level));
        let mut s = Session {
            game,
            level,
            seed,
            seats,
            step: Step::Resolving,
            last_planned: PerPower::default(),
            ai_refusals: 0,
            turn_hashes: Vec::new(),
            seat_history: vec![(1, seats)],
        };
        s.begin_turn();
        s
    }

    /// Play on from a saved game: the turn starts again at its first
    /// human's curtain (or report), with the queued orders kept.
    pub fn from_save(loaded: crate::save::Loaded) -> Session {
        let turn = loaded.game.turn();
        let mut s = Session {
            game: loaded.game,
            level: loaded.level,
            seed: loaded.seed,
            seats: loaded.seats.last().map(|s| s.1).unwrap_or_default(),
            step: Step::Resolving,
            // Everyone has seen up to the turn before the one being planned.
            last_planned: PerPower([turn.saturating_sub(1); 3]),
            ai_refusals: 0,
            turn_hashes: loaded.turn_hashes,
            seat_history: loaded.seats,
        };
        s.begin_turn();
        s
    }

    /// The game as a save file named `name`.
    pub fn save_file(&mut self, name: &str) -> crate::save::SaveFile {
        crate::save::SaveFile::capture(
            &mut self.game,
            &self.level,
            self.seed,
            &self.seat_history,
            &self.turn_hashes,
            name,
        )
    }

    pub fn turn(&self) -> u32 {
        self.game.turn()
    }

    /// Human seats still in the game, in table order.
    pub fn humans(&self) -> Vec<PowerId> {
        PowerId::ALL
            .into_iter()
            .filter(|p| self.seats.get(*p) == Seat::Human && !self.is_eliminated(*p))
            .collect()
    }

    fn is_eliminated(&self, p: PowerId) -> bool {
        // Read the one flag: building a whole view here ran every frame.
        crate::rules::orders::get_power::<crate::rules::components::Power>(self.game.world(), p)
            .eliminated
    }

    /// More than one human at the computer: curtains between their turns.
    pub fn is_hot_seat(&self) -> bool {
        PowerId::ALL
            .iter()
            .filter(|p| self.seats.get(**p) == Seat::Human)
            .count()
            > 1
    }

    /// The human whose screen is showing (or about to), if any.
    pub fn current_human(&self) -> Option<PowerId> {
        match self.step {
            Step::Curtain(p) | Step::Report(p) | Step::Planning(p) => Some(p),
            Step::Resolving | Step::Over => None,
        }
    }

    /// The power whose eyes the board uses: the current human, or else the
    /// first human seat, or the US when every seat is an AI.
    pub fn viewer(&self) -> PowerId {
        self.current_human()
            .or_else(|| {
                PowerId::ALL
                    .into_iter()
                    .find(|p| self.seats.get(*p) == Seat::Human)
            })
            .unwrap_or(PowerId::Us)
    }

    fn entry_step(&self, p: PowerId) -> Step {
        if self.is_hot_seat() {
            Step::Curtain(p)
        } else if self.turn() > 1 {
            Step::Report(p)
        } else {
            Step::Planning(p)
        }
    }

    fn begin_turn(&mut self) {
        if self.game.is_over() {
            self.step = Step::Over;
            return;
        }
        self.step = match self.humans().first() {
            Some(p) => self.entry_step(*p),
            None => Step::Resolving,
        };
    }

    /// The player behind the curtain is at the keyboard.
    pub fn lift_curtain(&mut self) {
        if let Step::Curtain(p) = self.step {
            self.step = if self.turn() > 1 {
                Step::Report(p)
            } else {
                Step::Planning(p)
            };
        }
    }

    /// The player has read the report.
    pub fn close_report(&mut self) {
        if let Step::Report(p) = self.step {
            self.step = Step::Planning(p);
        }
    }

    /// The planning player is done; hand over to the next human or resolve.
    pub fn finish_planning(&mut self) {
        let Step::Planning(p) = self.step else { return };
        self.last_planned[p] = self.turn();
        let humans = self.humans();
        let next = humans.iter().copied().find(|h| h.index() > p.index());
        self.step = match next {
            Some(n) => self.entry_step(n),
            None => Step::Resolving,
        };
    }

    /// Orders go to the engine at once, so the player sees a refusal and its
    /// reason straight away. Only the planning player may submit.
    pub fn submit(&mut self, order: Order) -> Result<(), Refusal> {
        match self.step {
            Step::Planning(p) => self.game.submit(p, order),
            _ => Err(Refusal("it is not your turn to give orders".into())),
        }
    }

    /// Take back a queued order of the planning player.
    pub fn cancel(&mut self, index: usize) -> Option<Order> {
        match self.step {
            Step::Planning(p) => crate::rules::orders::cancel(self.game.world_mut(), p, index),
            _ => None,
        }
    }

    /// What the board shows: the view of [`Session::viewer`].
    pub fn view(&self) -> PowerView {
        self.game.view(self.viewer())
    }

    /// The AI decisions of this turn, to run off the UI thread.
    pub fn ai_jobs(&self) -> Vec<AiJob> {
        if self.step != Step::Resolving {
            return Vec::new();
        }
        let views = crate::rules::view::power_views(self.game.world());
        PowerId::ALL
            .into_iter()
            .filter_map(|p| match self.seats.get(p) {
                Seat::Ai(strength) => Some(AiJob {
                    power: p,
                    view: views[p].clone(),
                    strength,
                    seed: self.seed,
                    level: self.level.clone(),
                }),
                Seat::Human => None,
            })
            .collect()
    }

    /// Submit the AI orders and resolve the turn.
    pub fn resolve(&mut self, ai_orders: Vec<(PowerId, Vec<Order>)>) {
        if self.step != Step::Resolving {
            return;
        }
        for (p, orders) in ai_orders {
            for order in orders {
                if self.game.submit(p, order).is_err() {
                    self.ai_refusals += 1;
                }
            }
        }
        self.game.end_turn();
        let hash = self.game.hash();
        self.turn_hashes.push(hash);
        self.begin_turn();
    }

    /// Decide for the AI seats on this thread and resolve (tests, screenshots).
    pub fn resolve_now(&mut self) {
        let orders = self
            .ai_jobs()
            .into_iter()
            .map(|j| (j.power, j.decide()))
            .collect();
        self.resolve(orders);
    }

    /// Play on with every human passing until the game ends (or `turns`).
    pub fn play_out(&mut self, turns: u32) {
        for _ in 0..turns {
            // Every human passes, then the turn resolves.
            loop {
                match self.step {
                    Step::Over => return,
                    Step::Curtain(_) => self.lift_curtain(),
                    Step::Report(_) => self.close_report(),
                    Step::Planning(_) => self.finish_planning(),
                    Step::Resolving => break,
                }
            }
            self.resolve_now();
        }
    }

    /// News `p` may read from the turns since it last planned (the catch-up).
    pub fn news_since_last_turn(&self, p: PowerId) -> Vec<NewsItem> {
        let since = self.last_planned[p].max(1);
        news_for(self.game.world(), p)
            .into_iter()
            .filter(|n| n.turn >= since)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::bundled;

    fn classroom(seats: &str) -> Session {
        let level = Arc::new(bundled("classroom").expect("bundled level"));
        Session::new(level, 3, Seats::parse(seats).unwrap())
    }

    #[test]
    fn hot_seat_hands_over_behind_curtains_in_table_order() {
        let mut s = classroom("us=human,china=ai:normal,russia=human");
        assert!(s.is_hot_seat());
        assert_eq!(s.step, Step::Curtain(PowerId::Us));
        assert_eq!(s.current_human(), Some(PowerId::Us));
        s.lift_curtain();
        // Nothing to catch up on in the first turn.
        assert_eq!(s.step, Step::Planning(PowerId::Us));
        s.finish_planning();
        assert_eq!(s.step, Step::Curtain(PowerId::Russia));
        s.lift_curtain();
        s.finish_planning();
        assert_eq!(s.step, Step::Resolving);
        assert_eq!(s.ai_jobs().len(), 1, "only China is an AI seat");
        s.resolve_now();
        assert_eq!(s.turn(), 2);
        assert_eq!(s.step, Step::Curtain(PowerId::Us));
        s.lift_curtain();
        assert_eq!(
            s.step,
            Step::Report(PowerId::Us),
            "turn 2 opens on the report"
        );
        s.close_report();
        assert_eq!(s.step, Step::Planning(PowerId::Us));
    }

    #[test]
    fn only_the_planning_player_may_give_orders() {
        let mut s = classroom("us=human,china=human,russia=ai:easy");
        let order = Order::SetAid { level: 2 };
        assert!(s.submit(order.clone()).is_err(), "behind the curtain");
        s.lift_curtain();
        s.submit(order.clone()).expect("the US may set aid");
        assert_eq!(s.view().queued, vec![order]);
        s.finish_planning();
        s.lift_curtain();
        // China's screen shows China's view: not the American queue.
        assert_eq!(s.viewer(), PowerId::China);
        assert!(s.view().queued.is_empty());
        assert!(
            s.submit(Order::SetAid { level: 1 }).is_err(),
            "China gives no aid"
        );
        assert_eq!(s.cancel(0), None);
    }

    #[test]
    fn a_single_human_sees_no_curtain_and_a_report_from_turn_two() {
        let mut s = classroom("us=ai:normal,china=human,russia=ai:normal");
        assert!(!s.is_hot_seat());
        assert_eq!(s.step, Step::Planning(PowerId::China));
        s.finish_planning();
        s.resolve_now();
        assert_eq!(s.step, Step::Report(PowerId::China));
        assert!(!s.news_since_last_turn(PowerId::China).is_empty());
    }

    #[test]
    fn a_game_saved_mid_turn_loads_and_plays_on_exactly_as_if_never_stopped() {
        let seats = "us=human,china=ai:normal,russia=human";
        let mut a = classroom(seats);
        a.play_out(3);
        a.lift_curtain();
        a.close_report();
        a.submit(Order::SetAid { level: 3 }).unwrap();
        let file = a.save_file("test");
        let dir = std::env::temp_dir().join(format!("reg-session-{}", std::process::id()));
        let path = dir.join("mid.json");
        crate::save::write(&path, &file).unwrap();
        let mut b = Session::from_save(crate::save::load(&path).unwrap());
        assert_eq!(b.turn(), a.turn());
        assert_eq!(b.game.hash(), a.game.hash(), "queued orders kept");
        assert_eq!(
            b.step,
            Step::Curtain(PowerId::Us),
            "a loaded turn starts behind the curtain"
        );
        assert_eq!(crate::save::verify(&file, &path).map(|_| ()), Ok(()));
        for s in [&mut a, &mut b] {
            s.step = Step::Planning(PowerId::Us);
            s.play_out(u32::MAX);
        }
        assert_eq!(a.game.hash(), b.game.hash());
        assert_eq!(a.turn_hashes, b.turn_hashes);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_game_with_humans_passing_plays_to_the_end() {
        let mut s = classroom("us=human,china=human,russia=ai:normal");
        s.play_out(100);
        assert_eq!(s.step, Step::Over);
        assert!(s.game.is_over());
        assert_eq!(s.ai_refusals, 0);
    }

    /// A teacher's lesson: events off, hidden information off, 5 turns, and
    /// an embargo fired from the console in turn 2. The game ends at the
    /// limit, only the injected card fires, every rival figure is exact, and
    /// the save replays to the same hash.
    #[test]
    fn a_lesson_keeps_its_settings_and_injected_event_through_a_save() {
        use crate::rules::resources::{EventDeck, GameOptions};
        let level = Arc::new(bundled("classroom").unwrap());
        let settings = GameSettings {
            options: GameOptions {
                events: false,
                hidden_information: false,
            },
            turn_limit: Some(5),
        };
        let seats = Seats::parse("us=ai:normal,china=ai:normal,russia=ai:normal").unwrap();
        let mut s = Session::with_settings(level.clone(), 12, seats, &settings);
        assert_eq!(s.game.max_turns(), 5);
        s.play_out(1);
        s.game.inject_event("teacher-embargo").unwrap();
        assert!(s.game.inject_event("no-such-card").is_err());
        s.play_out(u32::MAX);
        assert!(s.game.is_over());
        assert_eq!(
            s.turn_hashes.len(),
            5,
            "the game stops at the lesson's limit"
        );
        let drawn: Vec<&(String, u32)> = s
            .game
            .world()
            .resource::<EventDeck>()
            .drawn
            .iter()
            .collect();
        assert_eq!(drawn, vec![&("teacher-embargo".to_string(), 2)]);
        let news = &s
            .game
            .world()
            .resource::<crate::rules::resources::NewsLog>()
            .items;
        assert!(
            news.iter()
                .any(|n| n.turn == 2 && n.text.contains("(Fired by the teacher.)")),
            "the news says the teacher fired the card"
        );
        let us = s.game.view(PowerId::Us);
        assert!(us.others.iter().all(|o| o.treasury.error == 0.0));
        let file = s.save_file("lesson");
        let path = std::path::Path::new("lesson.json");
        assert_eq!(
            crate::save::verify(&file, path),
            Ok(s.game.hash()),
            "the replay uses the saved settings and the injected card"
        );
        // The same seed without the teacher's settings is another game.
        let mut plain = Session::new(level, 12, seats);
        plain.play_out(5);
        assert_ne!(plain.turn_hashes, s.turn_hashes);
    }
}
