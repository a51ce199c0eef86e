//! Main menu, new game, load and encyclopedia screens.

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::{ActiveGame, Screen, root_ui, theme};
use crate::game::GameSettings;
use crate::level::{self, BUNDLED, schema::Level};
use crate::rules::resources::GameOptions;
use crate::rules::types::PowerId;
use crate::seats::{Seat, Seats, Strength};
use crate::session::Session;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<NewGameForm>().add_systems(
        EguiPrimaryContextPass,
        (
            main_menu.run_if(in_state(Screen::Menu)),
            new_game.run_if(in_state(Screen::NewGame)),
            load_screen.run_if(in_state(Screen::Load)),
            encyclopedia.run_if(in_state(Screen::Encyclopedia)),
        ),
    );
}

/// The bundled levels, parsed once.
fn levels() -> &'static [Arc<Level>] {
    static LEVELS: std::sync::OnceLock<Vec<Arc<Level>>> = std::sync::OnceLock::new();
    LEVELS.get_or_init(|| {
        BUNDLED
            .iter()
            .filter_map(|(file, text)| level::parse_level(file, text).ok().map(Arc::new))
            .collect()
    })
}

/// What the main menu asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuChoice {
    Resume,
    NewGame,
    Join,
    Continue,
    Load,
    Tutorial,
    Encyclopedia,
    Settings,
    Quit,
}

/// The main menu as a plain function: `has_save` enables Continue;
/// `can_resume` offers to go back to the game in progress.
pub fn menu_buttons(ui: &mut egui::Ui, has_save: bool, can_resume: bool) -> Option<MenuChoice> {
    let mut choice = None;
    let size = egui::vec2(260.0, 40.0);
    let mut button = |ui: &mut egui::Ui, enabled: bool, label: &str, c: MenuChoice| {
        let b = egui::Button::new(egui::RichText::new(label).size(18.0)).min_size(size);
        if ui
            .add_enabled(enabled, b)
            .on_disabled_hover_text("No saved game yet.")
            .clicked()
        {
            choice = Some(c);
        }
    };
    if can_resume {
        button(ui, true, "Resume game", MenuChoice::Resume);
    }
    button(ui, true, "New game", MenuChoice::NewGame);
    button(ui, true, "Join a classroom game", MenuChoice::Join);
    button(ui, has_save, "Continue", MenuChoice::Continue);
    button(ui, true, "Load", MenuChoice::Load);
    button(ui, true, "Tutorial", MenuChoice::Tutorial);
    button(ui, true, "Encyclopedia", MenuChoice::Encyclopedia);
    button(ui, true, "Settings", MenuChoice::Settings);
    button(ui, true, "Quit", MenuChoice::Quit);
    choice
}

fn main_menu(
    mut contexts: EguiContexts,
    mut next: ResMut<NextState<Screen>>,
    mut form: ResMut<NewGameForm>,
    mut exit: MessageWriter<AppExit>,
    mut commands: Commands,
    game: Option<NonSend<ActiveGame>>,
    mut error: Local<Option<String>>,
) -> Result {
    let can_resume = game.is_some_and(|g| g.0.step != crate::session::Step::Over);
    let newest = crate::save::newest_autosave();
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let mut choice = None;
    egui::CentralPanel::default().show(&mut ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.12);
            ui.label(theme::title("Rare Earth Gambit"));
            ui.label(
                egui::RichText::new(
                    "Rare earths, a trade war and the war in Ukraine — 2025 to 2035",
                )
                .size(17.0)
                .color(theme::MUTED),
            );
            ui.add_space(28.0);
            choice = menu_buttons(ui, newest.is_some(), can_resume);
            if let Some(e) = &*error {
                ui.add_space(12.0);
                ui.label(egui::RichText::new(e).color(theme::BAD));
            }
        });
    });
    match choice {
        Some(MenuChoice::Resume) => next.set(Screen::Playing),
        Some(MenuChoice::NewGame) => next.set(Screen::NewGame),
        Some(MenuChoice::Join) => next.set(Screen::Join),
        Some(MenuChoice::Load) => next.set(Screen::Load),
        Some(MenuChoice::Continue) => {
            if let Some(path) = newest {
                match open_save(&mut commands, &path) {
                    Ok(()) => next.set(Screen::Playing),
                    Err(e) => *error = Some(e),
                }
            }
        }
        Some(MenuChoice::Encyclopedia) => next.set(Screen::Encyclopedia),
        Some(MenuChoice::Settings) => next.set(Screen::Settings),
        Some(MenuChoice::Quit) => {
            exit.write(AppExit::Success);
        }
        Some(MenuChoice::Tutorial) => {
            if let Some(i) = levels().iter().position(|l| l.id == "tutorial") {
                form.level = i;
                form.seats = [
                    SeatChoice::Human,
                    SeatChoice::Ai(Strength::Easy),
                    SeatChoice::Ai(Strength::Easy),
                ];
                form.lesson = false;
                form.events = true;
                form.hidden_information = true;
                start_game(&mut commands, &form);
                next.set(Screen::Playing);
            }
        }
        None => {}
    }
    Ok(())
}

/// Open a save as the game in progress; the error says which file and why.
fn open_save(commands: &mut Commands, path: &std::path::Path) -> Result<(), String> {
    // Check the file here, so a bad one leaves the menu with a message.
    let mut file = crate::save::read(path).map_err(|e| e.to_string())?;
    if let Some(note) = file.note.take() {
        info!("{note}");
    }
    let path = path.to_path_buf();
    commands.queue(move |world: &mut World| match file.into_table(&path) {
        Ok(loaded) => {
            world.insert_non_send(ActiveGame(Session::from_save(loaded)));
            fresh_lesson(world, None);
        }
        Err(e) => error!("{e}"),
    });
    Ok(())
}

/// A new game in play: the teacher's clock as given, the console closed,
/// the tutorial from its first step.
fn fresh_lesson(world: &mut World, per_turn: Option<std::time::Duration>) {
    world
        .resource_mut::<super::teacher::Lesson>()
        .restart(per_turn);
    world.insert_resource(super::tutorial::TutorialPanel::default());
}

/// Start the form's game (the session is built on the main thread: it
/// holds the engine's `App`, which may not cross threads).
fn start_game(commands: &mut Commands, form: &NewGameForm) {
    let form = form.clone();
    commands.queue(move |world: &mut World| {
        world.insert_non_send(ActiveGame(form.start(levels())));
        fresh_lesson(world, form.per_turn());
    });
}

/// One seat as the new-game form offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeatChoice {
    Human,
    Ai(Strength),
}

impl SeatChoice {
    pub const ALL: [SeatChoice; 5] = [
        SeatChoice::Human,
        SeatChoice::Ai(Strength::Easy),
        SeatChoice::Ai(Strength::Normal),
        SeatChoice::Ai(Strength::Hard),
        SeatChoice::Ai(Strength::Passive),
    ];

    pub fn label(self) -> &'static str {
        match self {
            SeatChoice::Human => "Human",
            SeatChoice::Ai(Strength::Easy) => "AI — easy",
            SeatChoice::Ai(Strength::Normal) => "AI — normal",
            SeatChoice::Ai(Strength::Hard) => "AI — hard",
            SeatChoice::Ai(Strength::Passive) => "AI — passive (no moves, no deals)",
        }
    }

    fn seat(self) -> Seat {
        match self {
            SeatChoice::Human => Seat::Human,
            SeatChoice::Ai(s) => Seat::Ai(s),
        }
    }
}

/// The new-game form.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct NewGameForm {
    pub level: usize,
    pub seats: [SeatChoice; 3],
    pub seed: u64,
    /// Random events from the level's deck.
    pub events: bool,
    /// Rivals' figures shown as estimates.
    pub hidden_information: bool,
    /// Lesson mode: a shorter game and a clock per turn.
    pub lesson: bool,
    pub turn_limit: u32,
    pub timer_minutes: u64,
    /// Personality of each computer seat; `None`: the level's.
    pub personality: [Option<String>; 3],
}

impl Default for NewGameForm {
    fn default() -> Self {
        NewGameForm {
            level: levels()
                .iter()
                .position(|l| format!("{}.ron", l.id) == level::DEFAULT_LEVEL)
                .unwrap_or(0),
            seats: [
                SeatChoice::Human,
                SeatChoice::Ai(Strength::Normal),
                SeatChoice::Ai(Strength::Normal),
            ],
            seed: crate::table::random_seed(),
            events: true,
            hidden_information: true,
            lesson: false,
            turn_limit: 12,
            timer_minutes: 5,
            personality: Default::default(),
        }
    }
}

impl NewGameForm {
    pub fn seats(&self) -> Seats {
        Seats(crate::rules::types::PerPower(
            self.seats.map(SeatChoice::seat),
        ))
    }

    /// The teacher's settings for the game.
    pub fn settings(&self) -> GameSettings {
        GameSettings {
            options: GameOptions {
                events: self.events,
                hidden_information: self.hidden_information,
            },
            turn_limit: self.lesson.then_some(self.turn_limit),
        }
    }

    /// Time per turn in lesson mode.
    pub fn per_turn(&self) -> Option<std::time::Duration> {
        (self.lesson && self.timer_minutes > 0)
            .then(|| std::time::Duration::from_secs(self.timer_minutes * 60))
    }

    pub fn start(&self, levels: &[Arc<Level>]) -> Session {
        let mut level = levels[self.level.min(levels.len() - 1)].clone();
        // A chosen personality goes into the game's own copy of the level,
        // so saves and replays keep it.
        for p in PowerId::ALL {
            if let (Some(name), SeatChoice::Ai(_)) =
                (&self.personality[p.index()], self.seats[p.index()])
            {
                let edited = Arc::make_mut(&mut level);
                for setup in edited.powers.iter_mut().filter(|s| s.id == p) {
                    setup.ai_personality = name.clone();
                }
            }
        }
        Session::with_settings(level, self.seed, self.seats(), &self.settings())
    }
}

/// How the form's game is to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartHow {
    /// On this computer (one player, or hot-seat).
    Here,
    /// Hosted on the classroom network; this window shows the projector.
    Host,
}

/// The new-game form as a plain function: how to start, when a start
/// button is clicked.
pub fn new_game_form(
    ui: &mut egui::Ui,
    form: &mut NewGameForm,
    levels: &[Arc<Level>],
) -> Option<StartHow> {
    let mut start = None;
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.label(theme::heading("Level"));
        for (i, l) in levels.iter().enumerate() {
            let text = format!("{} — {} turns, {}", l.title, l.turns, l.difficulty);
            ui.selectable_value(&mut form.level, i, text);
        }
        ui.add_space(12.0);
        ui.label(theme::heading("Seats"));
        let level_personality = |p: PowerId| {
            levels
                .get(form.level)
                .and_then(|l| l.powers.iter().find(|s| s.id == p))
                .map_or("balanced".to_string(), |s| s.ai_personality.clone())
        };
        egui::Grid::new("seats").num_columns(3).show(ui, |ui| {
            for p in PowerId::ALL {
                ui.label(theme::power_name(p));
                egui::ComboBox::from_id_salt(("seat", p.index()))
                    .selected_text(form.seats[p.index()].label())
                    .width(160.0)
                    .show_ui(ui, |ui| {
                        for c in SeatChoice::ALL {
                            ui.selectable_value(&mut form.seats[p.index()], c, c.label());
                        }
                    });
                if form.seats[p.index()] != SeatChoice::Human {
                    let chosen = &mut form.personality[p.index()];
                    let shown = chosen
                        .clone()
                        .unwrap_or_else(|| format!("{} (level)", level_personality(p)));
                    egui::ComboBox::from_id_salt(("personality", p.index()))
                        .selected_text(shown)
                        .width(150.0)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(
                                chosen,
                                None,
                                format!("{} (level)", level_personality(p)),
                            );
                            for (name, pers) in crate::ai::personality::all() {
                                ui.selectable_value(chosen, Some(name.clone()), name)
                                    .on_hover_text(&pers.description);
                            }
                        })
                        .response
                        .on_hover_text("The computer player's personality: what it values, not how well it plays.");
                } else {
                    ui.label("");
                }
                ui.end_row();
            }
        });
        let humans = form
            .seats
            .iter()
            .filter(|s| **s == SeatChoice::Human)
            .count();
        ui.label(
            egui::RichText::new(match humans {
                0 => "Every seat is an AI: you watch the game unfold.".to_string(),
                1 => "One player against the computer.".to_string(),
                n => format!("Hot-seat: {n} players take turns at this computer."),
            })
            .color(theme::MUTED),
        );
        ui.add_space(12.0);
        ui.label(theme::heading("Options"));
        ui.checkbox(&mut form.events, "Random events")
            .on_hover_text("Cards from the level's deck happen by chance. Off: only the events a teacher fires from the console (Ctrl+Shift+T).");
        ui.checkbox(&mut form.hidden_information, "Hidden information")
            .on_hover_text("Rivals' money, stocks and research show as estimates. Off: every player sees exact figures.");
        let max_turns = levels.get(form.level).map_or(1, |l| l.turns);
        form.turn_limit = form.turn_limit.clamp(1, max_turns);
        ui.horizontal(|ui| {
            ui.checkbox(&mut form.lesson, "Lesson mode:")
                .on_hover_text("A fixed number of turns and a clock for each turn, shown to the players. When time runs out the turn ends with the orders given.");
            ui.add_enabled_ui(form.lesson, |ui| {
                ui.label("play");
                ui.add(egui::DragValue::new(&mut form.turn_limit).range(1..=max_turns));
                ui.label("turns,");
                egui::ComboBox::from_id_salt("timer")
                    .selected_text(super::teacher::timer_label(form.timer_minutes))
                    .show_ui(ui, |ui| {
                        for m in super::teacher::TIMER_CHOICES {
                            ui.selectable_value(
                                &mut form.timer_minutes,
                                m,
                                super::teacher::timer_label(m),
                            );
                        }
                    });
                ui.label("per turn");
            });
        });
        ui.add_space(12.0);
        ui.label(theme::heading("Seed"));
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut form.seed).range(0..=999_999_999));
            if ui.button("New seed").clicked() {
                form.seed = crate::table::random_seed();
            }
        });
        ui.label(
            egui::RichText::new("The same level, seed and orders give the same game.")
                .small()
                .color(theme::MUTED),
        );
        ui.add_space(16.0);
        let b = egui::Button::new(egui::RichText::new("Start game").size(18.0).strong())
            .fill(egui::Color32::from_rgb(40, 90, 60))
            .min_size(egui::vec2(200.0, 40.0));
        ui.horizontal(|ui| {
            if ui.add_sized([220.0, 40.0], b).clicked() {
                start = Some(StartHow::Here);
            }
            let host = egui::Button::new(egui::RichText::new("Host on the classroom network").size(15.0))
                .min_size(egui::vec2(220.0, 40.0));
            if ui
                .add(host)
                .on_hover_text("Each human seat is a team playing from its own computer with a code; this screen becomes the projector with the teacher's tools.")
                .clicked()
            {
                start = Some(StartHow::Host);
            }
        });

        let ui = &mut cols[1];
        if let Some(level) = levels.get(form.level) {
            briefing(ui, level);
        }
    });
    start
}

/// A level's briefing: the situation, each power's goals, what to learn.
pub fn briefing(ui: &mut egui::Ui, level: &Level) {
    egui::ScrollArea::vertical()
        .id_salt("briefing")
        .show(ui, |ui| {
            ui.label(theme::heading(&level.title));
            ui.label(egui::RichText::new(&level.summary).italics());
            ui.label(
                egui::RichText::new(format!(
                    "{} turns (quarters) from {} · difficulty: {} · data as of {}",
                    level.turns, level.start_year, level.difficulty, level.data_as_of
                ))
                .color(theme::MUTED),
            );
            ui.add_space(6.0);
            ui.label(&level.briefing.situation);
            for p in PowerId::ALL {
                ui.add_space(4.0);
                ui.label(theme::power_name(p));
                ui.label(level.briefing.goals(p));
            }
            if !level.briefing.learning_objectives.is_empty() {
                ui.add_space(6.0);
                ui.label(egui::RichText::new("You will learn").strong());
                for o in &level.briefing.learning_objectives {
                    ui.label(format!("• {o}"));
                }
            }
            if !level.briefing.thesis.is_empty() {
                ui.add_space(6.0);
                ui.label(egui::RichText::new("An argument to test — not the answer").strong());
                ui.label(egui::RichText::new(format!("“{}”", level.briefing.thesis)).italics());
                if !level.briefing.counter_arguments.is_empty() {
                    ui.label(egui::RichText::new("Against it:").color(theme::MUTED));
                    for c in &level.briefing.counter_arguments {
                        ui.label(format!("• {c}"));
                    }
                }
                ui.label(
                    egui::RichText::new(
                        "Play, then judge it by what happened in your game: the debrief asks.",
                    )
                    .color(theme::MUTED),
                );
            }
            if !level.sources.is_empty() {
                ui.add_space(6.0);
                ui.collapsing(
                    format!("Sources of the figures ({})", level.sources.len()),
                    |ui| {
                        for s in &level.sources {
                            let title = format!("{} — data as of {}", s.title, s.data_as_of);
                            if s.url.is_empty() {
                                ui.label(egui::RichText::new(title).strong());
                            } else {
                                ui.hyperlink_to(egui::RichText::new(title).strong(), &s.url);
                            }
                            for f in &s.facts {
                                ui.label(egui::RichText::new(format!("• {f}")).small());
                            }
                        }
                    },
                );
            }
        });
}

fn new_game(
    mut contexts: EguiContexts,
    mut form: ResMut<NewGameForm>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
    mut error: Local<Option<String>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let mut start = None;
    let mut back = false;
    egui::Panel::top("new-game-top").show(&mut ui, |ui| {
        ui.horizontal(|ui| {
            back = ui.button("Back to menu").clicked();
            ui.label(theme::heading("New game"));
        });
    });
    egui::CentralPanel::default().show(&mut ui, |ui| {
        if let Some(e) = &*error {
            ui.label(egui::RichText::new(e).color(theme::BAD));
        }
        start = new_game_form(ui, &mut form, levels());
    });
    if back {
        next.set(Screen::Menu);
    } else if start == Some(StartHow::Here) {
        start_game(&mut commands, &form);
        next.set(Screen::Playing);
    } else if start == Some(StartHow::Host) {
        let table = form.start(levels()).table;
        match super::classroom::Classroom::host(table, form.per_turn(), None) {
            Ok(classroom) => {
                *error = None;
                commands.queue(move |world: &mut World| world.insert_non_send(classroom));
                next.set(Screen::Classroom);
            }
            Err(e) => *error = Some(format!("Could not host the game: {e}")),
        }
    }
    Ok(())
}

/// The saves a player can open: autosaves and named saves, newest first.
fn all_saves() -> Vec<(String, crate::save::Listed)> {
    let mut v: Vec<(String, crate::save::Listed)> = crate::save::list(&crate::paths::data_dir())
        .into_iter()
        .map(|l| ("Saved".to_string(), l))
        .chain(
            crate::save::list(&crate::save::autosave_dir())
                .into_iter()
                .map(|l| ("Autosave".to_string(), l)),
        )
        .collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.1.modified));
    v
}

/// The load screen as a plain function: returns the save chosen.
pub fn load_list(
    ui: &mut egui::Ui,
    saves: &[(String, crate::save::Listed)],
    error: Option<&str>,
) -> Option<std::path::PathBuf> {
    let mut chosen = None;
    ui.label(theme::heading("Load a saved game"));
    ui.label(
        egui::RichText::new(format!(
            "Saves are kept in {}",
            crate::paths::data_dir().display()
        ))
        .small()
        .color(theme::MUTED),
    );
    ui.add_space(8.0);
    if let Some(e) = error {
        ui.label(egui::RichText::new(e).color(theme::BAD));
        ui.add_space(6.0);
    }
    if saves.is_empty() {
        ui.label("No saved games yet. Games are saved automatically at the end of every turn.");
    }
    egui::Grid::new("saves")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for (kind, s) in saves {
                let name = s
                    .path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ui.label(format!("{kind}: {name}"));
                let age = s.modified.elapsed().map(|d| d.as_secs()).unwrap_or(0);
                ui.label(
                    egui::RichText::new(match age {
                        0..60 => "just now".to_string(),
                        60..3600 => format!("{} min ago", age / 60),
                        3600..86400 => format!("{} h ago", age / 3600),
                        _ => format!("{} days ago", age / 86400),
                    })
                    .color(theme::MUTED),
                );
                if ui.button("Load").clicked() {
                    chosen = Some(s.path.clone());
                }
                ui.end_row();
            }
        });
    chosen
}

fn load_screen(
    mut contexts: EguiContexts,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
    mut error: Local<Option<String>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let saves = all_saves();
    let mut chosen = None;
    let mut back = false;
    egui::CentralPanel::default().show(&mut ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.set_max_width(700.0);
            ui.add_space(30.0);
            chosen = load_list(ui, &saves, error.as_deref());
            ui.add_space(16.0);
            back = ui.button("Back").clicked();
        });
    });
    if back {
        *error = None;
        next.set(Screen::Menu);
    } else if let Some(path) = chosen {
        match open_save(&mut commands, &path) {
            Ok(()) => {
                *error = None;
                next.set(Screen::Playing);
            }
            Err(e) => *error = Some(e),
        }
    }
    Ok(())
}

fn encyclopedia(
    mut contexts: EguiContexts,
    mut next: ResMut<NextState<Screen>>,
    mut open: Local<super::help::Open>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    egui::Panel::top("enc-top").show(&mut ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button("Back to menu").clicked() {
                next.set(Screen::Menu);
            }
            ui.label(theme::heading("Encyclopedia"));
            ui.label(
                egui::RichText::new(
                    "Every figure names its source and the year its data describes.",
                )
                .color(theme::MUTED),
            );
        });
    });
    egui::CentralPanel::default().show(&mut ui, |ui| {
        let enc = crate::encyclopedia::encyclopedia();
        let level = levels().iter().max_by_key(|l| l.sources.len()).cloned();
        super::help::browser(ui, enc, &mut open, |ui| {
            if let Some(level) = &level {
                sources(ui, level);
            }
        });
    });
    Ok(())
}

/// The sources of the figures: the encyclopedia's and the level's, each
/// with the year its data describes.
pub fn sources(ui: &mut egui::Ui, level: &Level) {
    ui.label(theme::heading("Sources of the figures"));
    ui.label(
        "Every figure in the game comes from a public source, listed here \
         with the year its data refers to.",
    );
    let enc = crate::encyclopedia::encyclopedia();
    let mut seen = std::collections::BTreeSet::new();
    for s in level.sources.iter().chain(&enc.sources) {
        if !seen.insert(s.id.clone()) {
            continue;
        }
        ui.add_space(6.0);
        let title =
            egui::RichText::new(format!("{} (data as of {})", s.title, s.data_as_of)).strong();
        if s.url.is_empty() {
            ui.label(title);
        } else {
            ui.hyperlink_to(title, &s.url);
        }
        for f in &s.facts {
            ui.label(format!("• {f}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn continue_is_offered_only_with_a_save() {
        for has_save in [false, true] {
            let mut chosen = None;
            let mut harness = Harness::new_ui(|ui| {
                if let Some(c) = menu_buttons(ui, has_save, false) {
                    chosen = Some(c);
                }
            });
            harness.get_by_label("Continue").click();
            harness.run();
            drop(harness);
            assert_eq!(chosen == Some(MenuChoice::Continue), has_save);
        }
    }

    #[test]
    fn the_new_game_form_starts_the_chosen_level_with_the_chosen_seats() {
        let mut form = NewGameForm::default();
        let classroom = levels().iter().position(|l| l.id == "classroom").unwrap();
        let mut started = false;
        {
            let mut harness = Harness::new_ui(|ui| {
                started |= new_game_form(ui, &mut form, levels()) == Some(StartHow::Here);
            });
            harness
                .get_by_label(&format!(
                    "{} — 12 turns, {}",
                    levels()[classroom].title,
                    levels()[classroom].difficulty
                ))
                .click();
            harness.run();
            harness.get_by_label("Start game").click();
            harness.run();
        }
        assert!(started);
        assert_eq!(form.level, classroom);
        let session = form.start(levels());
        assert_eq!(session.level().id, "classroom");
        assert_eq!(session.seats().get(PowerId::Us), Seat::Human);
    }

    #[test]
    fn the_new_game_form_offers_to_host_on_the_classroom_network() {
        let mut form = NewGameForm::default();
        let mut how = None;
        {
            let mut harness = Harness::new_ui(|ui| {
                how = how.or(new_game_form(ui, &mut form, levels()));
            });
            harness
                .get_by_label("Host on the classroom network")
                .click();
            harness.run();
        }
        assert_eq!(how, Some(StartHow::Host));
    }

    #[test]
    fn a_chosen_personality_goes_into_the_games_level_and_its_save() {
        let mut form = NewGameForm {
            level: levels().iter().position(|l| l.id == "classroom").unwrap(),
            ..NewGameForm::default()
        };
        form.personality[PowerId::Russia.index()] = Some("hawk".into());
        // A human seat has no personality to choose.
        form.personality[PowerId::Us.index()] = Some("dealmaker".into());
        let mut session = form.start(levels());
        let of = |s: &Session, p: PowerId| {
            s.level()
                .powers
                .iter()
                .find(|x| x.id == p)
                .unwrap()
                .ai_personality
                .clone()
        };
        assert_eq!(of(&session, PowerId::Russia), "hawk");
        assert_eq!(of(&session, PowerId::Us), "balanced");
        let file = session.save_file("p");
        let level = file.level(std::path::Path::new("p.json")).unwrap();
        assert_eq!(
            level
                .powers
                .iter()
                .find(|x| x.id == PowerId::Russia)
                .unwrap()
                .ai_personality,
            "hawk"
        );
        // The bundled level itself is unchanged.
        let bundled = &levels()[form.level];
        assert!(
            bundled
                .powers
                .iter()
                .all(|p| p.ai_personality != "hawk" || p.id != PowerId::Russia)
        );
    }
}
