//! Teacher tools while a game runs: the lesson clock (a time limit per turn,
//! shown to the players, that ends a turn when it runs out), and the teacher
//! console behind Ctrl+Shift+T to pause the game, set the clock or have an
//! event card of the level's deck fire next turn. An injected card goes
//! into the game's order log, so saves and replays keep it.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ActiveGame, Screen, theme};
use crate::rules::resources::{EventDeck, GameOptions};
use crate::rules::types::PowerId;
use crate::session::Step;

/// Per-turn times a teacher can pick, in minutes (0: no clock).
pub const TIMER_CHOICES: [u64; 7] = [0, 1, 2, 3, 5, 8, 10];

/// The lesson's clock and the console's state.
#[derive(Resource, Default)]
pub struct Lesson {
    /// Time each player has to plan a turn; `None`: no clock.
    pub per_turn: Option<Duration>,
    /// Paused by the teacher: nothing moves, nobody can act.
    pub paused: bool,
    pub console_open: bool,
    /// Whose planning is being timed (player and turn), and for how long.
    timed: Option<((PowerId, u32), Duration)>,
    last_tick: Option<Instant>,
    /// The console's last message (what was injected, or why not).
    pub message: Option<String>,
    /// For each power, the last turn its time ran out (0: never), so its
    /// next report can say so.
    pub timed_out: crate::rules::types::PerPower<u32>,
}

impl Lesson {
    /// Advance the clock to `now` for the player planning (if any).
    /// Returns true when that player's time has just run out.
    pub fn tick(&mut self, planning: Option<(PowerId, u32)>, now: Instant) -> bool {
        let step = now - self.last_tick.unwrap_or(now);
        self.last_tick = Some(now);
        let Some(key) = planning else {
            self.timed = None;
            return false;
        };
        // A new player (or turn) starts with the full time.
        let elapsed = match self.timed {
            Some((k, e)) if k == key && !self.paused => e + step,
            Some((k, e)) if k == key => e,
            _ => Duration::ZERO,
        };
        self.timed = Some((key, elapsed));
        match self.per_turn {
            Some(limit) if elapsed >= limit => {
                // The next tick starts the next player's time afresh.
                self.timed = None;
                true
            }
            _ => false,
        }
    }

    /// Time left for the player being timed.
    pub fn remaining(&self) -> Option<Duration> {
        let limit = self.per_turn?;
        let elapsed = self.timed.map_or(Duration::ZERO, |(_, e)| e);
        Some(limit.saturating_sub(elapsed))
    }

    /// The clock as the players see it: "2:05 left".
    pub fn clock_text(&self) -> Option<String> {
        let left = self.remaining()?.as_secs();
        Some(format!("{}:{:02} left", left / 60, left % 60))
    }

    /// A new game or a loaded one: the console closes; the clock keeps the
    /// teacher's setting.
    pub fn restart(&mut self, per_turn: Option<Duration>) {
        *self = Lesson {
            per_turn,
            ..default()
        };
    }
}

/// An event card as the console lists it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsoleCard {
    pub id: String,
    pub title: String,
    pub text: String,
    /// Probability 0: it happens only when a teacher fires it.
    pub teacher_only: bool,
}

/// What the console shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsoleView {
    /// The level's event cards, the teacher's own first.
    pub cards: Vec<ConsoleCard>,
    /// Cards injected, waiting for the next turn.
    pub pending: Vec<String>,
    pub paused: bool,
    pub per_turn_minutes: u64,
    pub turn: u32,
    pub max_turns: u32,
    pub options: GameOptions,
    pub message: Option<String>,
}

/// What the teacher asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsoleAction {
    Pause,
    Resume,
    SetTimer(u64),
    Inject(String),
    Close,
}

/// The teacher console as a plain function.
pub fn console(ui: &mut egui::Ui, view: &ConsoleView) -> Option<ConsoleAction> {
    let mut action = None;
    ui.label(
        egui::RichText::new(format!(
            "Turn {} of {} · events {} · hidden information {}",
            view.turn,
            view.max_turns,
            if view.options.events { "on" } else { "off" },
            if view.options.hidden_information {
                "on"
            } else {
                "off"
            }
        ))
        .color(theme::MUTED),
    );
    ui.horizontal(|ui| {
        if view.paused {
            if ui.button("▶ Resume the game").clicked() {
                action = Some(ConsoleAction::Resume);
            }
        } else if ui.button("⏸ Pause the game").clicked() {
            action = Some(ConsoleAction::Pause);
        }
        if ui.button("Close console").clicked() {
            action = Some(ConsoleAction::Close);
        }
    });
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label("Time per turn:");
        let mut minutes = view.per_turn_minutes;
        egui::ComboBox::from_id_salt("console-timer")
            .selected_text(timer_label(minutes))
            .show_ui(ui, |ui| {
                for m in TIMER_CHOICES {
                    ui.selectable_value(&mut minutes, m, timer_label(m));
                }
            });
        if minutes != view.per_turn_minutes {
            action = Some(ConsoleAction::SetTimer(minutes));
        }
    });
    ui.separator();
    ui.label(egui::RichText::new("Make an event happen next turn").strong());
    ui.label(
        egui::RichText::new(
            "The card fires when the turn resolves, before anyone's orders, and is \
             announced to every player as news.",
        )
        .small()
        .color(theme::MUTED),
    );
    egui::ScrollArea::vertical()
        .max_height(280.0)
        .show(ui, |ui| {
            egui::Grid::new("console-cards")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for card in &view.cards {
                        let title = if card.teacher_only {
                            egui::RichText::new(format!("{} (teacher's card)", card.title)).strong()
                        } else {
                            egui::RichText::new(&card.title)
                        };
                        ui.label(title).on_hover_text(&card.text);
                        if view.pending.contains(&card.id) {
                            ui.label(egui::RichText::new("fires next turn").color(theme::GOOD));
                        } else if ui.button("Fire next turn").clicked() {
                            action = Some(ConsoleAction::Inject(card.id.clone()));
                        }
                        ui.end_row();
                    }
                });
        });
    if let Some(m) = &view.message {
        ui.label(egui::RichText::new(m).color(theme::GOOD));
    }
    action
}

pub fn timer_label(minutes: u64) -> String {
    match minutes {
        0 => "no clock".into(),
        1 => "1 minute".into(),
        m => format!("{m} minutes"),
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Lesson>()
        .add_systems(
            Update,
            (toggle_console, lesson_clock)
                .before(super::turn::TurnSystems)
                .run_if(in_state(Screen::Playing)),
        )
        .add_systems(
            EguiPrimaryContextPass,
            teacher_overlay.run_if(in_state(Screen::Playing)),
        );
}

/// Ctrl+Shift+T opens and closes the console. Read from Bevy's key state, which
/// sees the modifiers even when all three keys arrive in the same frame.
fn toggle_console(keys: Res<ButtonInput<KeyCode>>, mut lesson: ResMut<Lesson>) {
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    if ctrl && shift && keys.just_pressed(KeyCode::KeyT) {
        lesson.console_open = !lesson.console_open;
    }
}

/// Run the clock; end the planning player's turn when time is up.
fn lesson_clock(
    game: Option<NonSendMut<ActiveGame>>,
    mut lesson: ResMut<Lesson>,
    mut board: ResMut<super::board::BoardUi>,
    mut winit: ResMut<WinitSettings>,
    plan: Option<Res<super::screenshot::ScreenshotPlan>>,
) {
    let Some(mut game) = game else { return };
    let session = &mut game.0;
    let planning = match session.step {
        Step::Planning(p) => Some((p, session.turn())),
        _ => None,
    };
    if lesson.tick(planning, Instant::now())
        && let Some((p, turn)) = planning
    {
        lesson.timed_out[p] = turn;
        super::board::clear_after_turn(&mut board);
        session.finish_planning();
        board.message = Some((
            format!(
                "Time was up: the {} turn ended with the orders given.",
                p.adjective()
            ),
            false,
        ));
    }
    // A running clock needs a frame every so often even without input.
    if plan.is_none() {
        let ticking = lesson.per_turn.is_some() && planning.is_some() && !lesson.paused;
        let want = if ticking {
            WinitSettings {
                focused_mode: UpdateMode::reactive(Duration::from_millis(250)),
                unfocused_mode: UpdateMode::reactive(Duration::from_millis(250)),
            }
        } else {
            WinitSettings::desktop_app()
        };
        if winit.focused_mode != want.focused_mode {
            *winit = want;
        }
    }
}

/// The console window (Ctrl+Shift+T) and the pause screen.
fn teacher_overlay(
    mut contexts: EguiContexts,
    game: Option<NonSendMut<ActiveGame>>,
    mut lesson: ResMut<Lesson>,
) -> Result {
    let Some(mut game) = game else { return Ok(()) };
    let ctx = contexts.ctx_mut()?;
    let session = &mut game.0;
    let world = session.table.world();
    let deck = world.resource::<EventDeck>();
    let mut cards: Vec<ConsoleCard> = deck
        .cards
        .iter()
        .map(|c| ConsoleCard {
            id: c.id.clone(),
            title: c.title.clone(),
            text: c.text.clone(),
            teacher_only: c.probability <= 0.0,
        })
        .collect();
    // The teacher's own cards first; otherwise the level's order.
    cards.sort_by_key(|c| !c.teacher_only);
    let view = ConsoleView {
        cards,
        pending: deck.injected.clone(),
        paused: lesson.paused,
        per_turn_minutes: lesson.per_turn.map_or(0, |d| d.as_secs() / 60),
        turn: session.turn(),
        max_turns: session.table.game().max_turns(),
        options: world.resource::<GameOptions>().clone(),
        message: lesson.message.clone(),
    };
    let mut action = None;
    if lesson.paused {
        egui::Modal::new(egui::Id::new("teacher-pause"))
            .backdrop_color(egui::Color32::from_black_alpha(230))
            .show(ctx, |ui| {
                ui.set_width(520.0);
                ui.vertical_centered(|ui| {
                    ui.label(
                        egui::RichText::new("Paused by the teacher")
                            .size(32.0)
                            .strong(),
                    );
                    ui.label(
                        egui::RichText::new("Eyes to the front. The game waits.")
                            .size(18.0)
                            .color(theme::MUTED),
                    );
                });
                if lesson.console_open {
                    ui.separator();
                    action = console(ui, &view);
                }
            });
    } else if lesson.console_open {
        egui::Window::new("Teacher console")
            .collapsible(false)
            .default_width(440.0)
            .anchor(egui::Align2::RIGHT_TOP, [-12.0, 48.0])
            .show(ctx, |ui| action = console(ui, &view));
    }
    match action {
        Some(ConsoleAction::Pause) => lesson.paused = true,
        Some(ConsoleAction::Resume) => lesson.paused = false,
        Some(ConsoleAction::Close) => lesson.console_open = false,
        Some(ConsoleAction::SetTimer(m)) => {
            lesson.per_turn = (m > 0).then(|| Duration::from_secs(m * 60));
            lesson.message = Some(format!("Time per turn: {}.", timer_label(m)));
        }
        Some(ConsoleAction::Inject(id)) => {
            let title = view
                .cards
                .iter()
                .find(|c| c.id == id)
                .map_or(id.clone(), |c| c.title.clone());
            lesson.message = Some(match session.table.inject_event(&id) {
                Ok(()) => format!("\"{title}\" will happen when this turn resolves."),
                Err(e) => e,
            });
        }
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn the_clock_runs_only_while_a_player_plans_and_not_while_paused() {
        let mut lesson = Lesson {
            per_turn: Some(Duration::from_secs(60)),
            ..default()
        };
        let t0 = Instant::now();
        let us = Some((PowerId::Us, 1));
        assert!(!lesson.tick(us, t0));
        assert!(!lesson.tick(us, t0 + Duration::from_secs(30)));
        assert_eq!(lesson.clock_text().as_deref(), Some("0:30 left"));
        lesson.paused = true;
        assert!(!lesson.tick(us, t0 + Duration::from_secs(500)));
        assert_eq!(lesson.remaining(), Some(Duration::from_secs(30)));
        lesson.paused = false;
        assert!(!lesson.tick(us, t0 + Duration::from_secs(520)));
        assert!(
            lesson.tick(us, t0 + Duration::from_secs(531)),
            "time is up after 60 s of planning"
        );
        // The next player starts with the full minute.
        assert!(!lesson.tick(Some((PowerId::Russia, 1)), t0 + Duration::from_secs(532)));
        assert_eq!(lesson.clock_text().as_deref(), Some("1:00 left"));
        // No clock: never up.
        let mut free = Lesson::default();
        assert!(!free.tick(us, t0));
        assert!(!free.tick(us, t0 + Duration::from_secs(100_000)));
        assert_eq!(free.clock_text(), None);
    }

    #[test]
    fn the_console_injects_the_chosen_card_and_pauses() {
        let view = ConsoleView {
            cards: vec![
                ConsoleCard {
                    id: "embargo".into(),
                    title: "China embargoes rare earths".into(),
                    text: "No more exports.".into(),
                    teacher_only: true,
                },
                ConsoleCard {
                    id: "ceasefire".into(),
                    title: "Ceasefire in Ukraine".into(),
                    ..default()
                },
            ],
            pending: vec!["embargo".into()],
            turn: 3,
            max_turns: 12,
            ..default()
        };
        let mut got = Vec::new();
        {
            let mut harness = Harness::new_ui(|ui| {
                if let Some(a) = console(ui, &view) {
                    got.push(a);
                }
            });
            // The injected card shows as pending; the other can be fired.
            assert!(harness.query_by_label("fires next turn").is_some());
            harness.get_by_label("Fire next turn").click();
            harness.run();
            harness.get_by_label("⏸ Pause the game").click();
            harness.run();
        }
        assert!(got.contains(&ConsoleAction::Inject("ceasefire".into())));
        assert!(got.contains(&ConsoleAction::Pause));
    }

    #[test]
    fn ctrl_shift_t_toggles_the_console_and_t_alone_does_not() {
        let mut app = App::new();
        app.init_resource::<ButtonInput<KeyCode>>()
            .init_resource::<Lesson>()
            .add_systems(Update, toggle_console);
        let press = |app: &mut App, keys: &[KeyCode]| {
            let mut input = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
            input.reset_all();
            for k in keys {
                input.press(*k);
            }
            app.update();
            app.world().resource::<Lesson>().console_open
        };
        assert!(press(
            &mut app,
            &[KeyCode::ControlLeft, KeyCode::ShiftLeft, KeyCode::KeyT]
        ));
        assert!(press(&mut app, &[KeyCode::KeyT]), "T alone leaves it open");
        assert!(!press(
            &mut app,
            &[KeyCode::ControlRight, KeyCode::ShiftRight, KeyCode::KeyT]
        ));
    }
}
