//! The window's game: a [`Table`] plus the hot-seat steps — whose screen is
//! showing, curtains, reports.
//!
//! The window shows a [`Session`]; it never reaches into the engine's state.
//! Humans plan one after another on the same computer (hot-seat): each sees
//! only their own [`PowerView`], behind a curtain when more than one human
//! plays. AI seats decide from their own views (on worker threads in the
//! window: [`Session::ai_jobs`], [`Session::resolve`]), then the turn
//! resolves.

use std::sync::Arc;

use crate::game::GameSettings;
use crate::level::schema::Level;
use crate::rules::orders::{Order, Refusal};
use crate::rules::resources::NewsItem;
use crate::rules::types::{PerPower, PowerId};
use crate::rules::view::{PowerView, news_for};
use crate::seats::{Seat, Seats};
use crate::table::{Captured, ComputerJob, Table};

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
pub type AiJob = ComputerJob;

pub struct Session {
    pub table: Table,
    pub step: Step,
    /// The turn each power last planned (0 before the first).
    pub last_planned: PerPower<u32>,
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
        Session::at(Table::with_settings(level, seed, seats, settings))
    }

    /// Take a table (a new game) to the window.
    fn at(table: Table) -> Session {
        let mut s = Session {
            table,
            step: Step::Resolving,
            last_planned: PerPower::default(),
        };
        s.begin_turn();
        s
    }

    /// Play on from a saved game: the turn starts again at its first
    /// human's curtain (or report), with the queued orders kept.
    pub fn from_save(table: Table) -> Session {
        let turn = table.turn();
        let mut s = Session {
            table,
            step: Step::Resolving,
            // Everyone has seen up to the turn before the one being planned.
            last_planned: PerPower([turn.saturating_sub(1); 3]),
        };
        s.begin_turn();
        s
    }

    /// The game as a save file named `name`.
    pub fn save_file(&mut self, name: &str) -> crate::save::SaveFile {
        self.table.save_file(name)
    }

    pub fn turn(&self) -> u32 {
        self.table.turn()
    }

    pub fn level(&self) -> &Arc<Level> {
        self.table.level()
    }

    pub fn seats(&self) -> Seats {
        self.table.seats()
    }

    /// Human seats still in the game, in table order.
    pub fn humans(&self) -> Vec<PowerId> {
        self.table.humans()
    }

    /// More than one human at the computer: curtains between their turns.
    pub fn is_hot_seat(&self) -> bool {
        PowerId::ALL
            .iter()
            .filter(|p| self.table.seat(**p) == Seat::Human)
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
                    .find(|p| self.table.seat(*p) == Seat::Human)
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
        if self.table.is_over() {
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
        self.table.end_seat_turn(p);
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
            Step::Planning(p) => self.table.submit(p, order),
            _ => Err(Refusal("it is not your turn to give orders".into())),
        }
    }

    /// Take back a queued order of the planning player.
    pub fn cancel(&mut self, index: usize) -> Option<Order> {
        match self.step {
            Step::Planning(p) => self.table.cancel(p, index),
            _ => None,
        }
    }

    /// What the board shows: the view of [`Session::viewer`].
    pub fn view(&self) -> PowerView {
        self.table.view(self.viewer())
    }

    /// The AI decisions of this turn, to run off the UI thread.
    pub fn ai_jobs(&self) -> Vec<AiJob> {
        if self.step != Step::Resolving {
            return Vec::new();
        }
        self.table.computer_jobs()
    }

    /// Submit the AI orders and resolve the turn. Returns the state the turn
    /// ended in, captured once for its hash and the autosave.
    pub fn resolve(&mut self, ai_orders: Vec<(PowerId, Vec<Order>)>) -> Option<Captured> {
        if self.step != Step::Resolving {
            return None;
        }
        self.table.give_computer_orders(ai_orders);
        let captured = self.table.end_turn_captured();
        self.begin_turn();
        Some(captured)
    }

    /// Decide for the AI seats on this thread and resolve (tests, screenshots).
    pub fn resolve_now(&mut self) {
        if self.step != Step::Resolving {
            return;
        }
        self.table.resolve_turn();
        self.begin_turn();
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
        news_for(self.table.world(), p)
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
        assert_eq!(b.table.hash(), a.table.hash(), "queued orders kept");
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
        assert_eq!(a.table.hash(), b.table.hash());
        assert_eq!(a.table.turn_hashes(), b.table.turn_hashes());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_game_with_humans_passing_plays_to_the_end() {
        let mut s = classroom("us=human,china=human,russia=ai:normal");
        s.play_out(100);
        assert_eq!(s.step, Step::Over);
        assert!(s.table.game().is_over());
        assert_eq!(s.table.refused(), 0);
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
        assert_eq!(s.table.game().max_turns(), 5);
        s.play_out(1);
        s.table.inject_event("teacher-embargo").unwrap();
        assert!(s.table.inject_event("no-such-card").is_err());
        s.play_out(u32::MAX);
        assert!(s.table.game().is_over());
        assert_eq!(
            s.table.turn_hashes().len(),
            5,
            "the game stops at the lesson's limit"
        );
        let drawn: Vec<&(String, u32)> = s
            .table
            .world()
            .resource::<EventDeck>()
            .drawn
            .iter()
            .collect();
        assert_eq!(drawn, vec![&("teacher-embargo".to_string(), 2)]);
        let news = &s
            .table
            .world()
            .resource::<crate::rules::resources::NewsLog>()
            .items;
        assert!(
            news.iter()
                .any(|n| n.turn == 2 && n.text.contains("(Fired by the teacher.)")),
            "the news says the teacher fired the card"
        );
        let us = s.table.view(PowerId::Us);
        assert!(us.others.iter().all(|o| o.treasury.error == 0.0));
        let file = s.save_file("lesson");
        let path = std::path::Path::new("lesson.json");
        assert_eq!(
            crate::save::verify(&file, path),
            Ok(s.table.hash()),
            "the replay uses the saved settings and the injected card"
        );
        // The same seed without the teacher's settings is another game.
        let mut plain = Session::new(level, 12, seats);
        plain.play_out(5);
        assert_ne!(plain.table.turn_hashes(), s.table.turn_hashes());
    }
}
