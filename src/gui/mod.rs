//! The game window: Bevy + egui on top of the rules engine.
//!
//! Every screen is an egui system for one [`Screen`]. The game itself is a
//! [`Session`] kept as a non-send resource (it holds the engine's own `App`);
//! screens read [`crate::rules::view::PowerView`]s from it and change the
//! game only by submitting orders through it, as the AI and the CLI do.

mod board;
mod classroom;
mod deal_editor;
mod end;
mod help;
mod join;
mod map_view;
mod menu;
pub mod panels;
mod projector;
mod report;
mod screenshot;
pub mod settings;
pub mod teacher;
pub mod theme;
mod turn;
mod tutorial;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy::winit::WinitSettings;
use bevy_egui::{EguiPlugin, egui};

use crate::level::{self, schema::Level};
use crate::seats::Seats;
use crate::session::Session;

/// The screens of the game.
#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    #[default]
    Menu,
    NewGame,
    Load,
    Settings,
    Encyclopedia,
    /// A game in progress: curtain, report or board, as the session says.
    Playing,
    End,
    /// The address and code of a classroom game on the network.
    Join,
    /// A game on the classroom network: a team's board, or the teacher's
    /// projector.
    Classroom,
}

/// Which screen `play --screen` opens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartScreen {
    Menu,
    NewGame,
    Encyclopedia,
    Board,
    Report,
    End,
}

/// What `rare-earth-gambit play` was asked for.
#[derive(Clone, Debug)]
pub struct PlayOptions {
    pub level: Option<String>,
    pub seats: Option<Seats>,
    pub seed: Option<u64>,
    pub screen: StartScreen,
    /// The board's panel to open on.
    pub tab: Option<panels::Tab>,
    pub screenshot: Option<PathBuf>,
    pub frames: u32,
    /// Open this saved game.
    pub load: Option<PathBuf>,
    /// A teacher's settings for a new game (options, lesson turn limit).
    pub settings: crate::game::GameSettings,
    /// Lesson clock: time per turn.
    pub timer: Option<std::time::Duration>,
    /// Open with the teacher console showing.
    pub teacher_console: bool,
    /// Join a classroom game: the host's address and a code.
    pub join: Option<(String, String)>,
    /// Host the game on the classroom network and show the projector.
    pub host: bool,
}

impl Default for PlayOptions {
    fn default() -> Self {
        PlayOptions {
            level: None,
            seats: None,
            seed: None,
            screen: StartScreen::Menu,
            tab: None,
            screenshot: None,
            frames: 10,
            load: None,
            settings: Default::default(),
            timer: None,
            teacher_console: false,
            join: None,
            host: false,
        }
    }
}

/// The seats of a new game unless told otherwise: the player is the US.
pub const DEFAULT_SEATS: &str = "us=human,china=ai:normal,russia=ai:normal";

/// The game in progress, if any.
pub struct ActiveGame(pub Session);

/// Build the session `--screen` asks for before a window opens, so a bad
/// level file is reported on the terminal with exit code 2.
fn prepare(opts: &PlayOptions) -> Result<Option<Session>, String> {
    if let Some(path) = &opts.load {
        let (loaded, note) = crate::save::load_with_note(path).map_err(|e| e.to_string())?;
        if let Some(note) = note {
            eprintln!("note: {note}");
        }
        return Ok(Some(Session::from_save(loaded)));
    }
    if matches!(
        opts.screen,
        StartScreen::Menu | StartScreen::NewGame | StartScreen::Encyclopedia
    ) && opts.level.is_none()
    {
        return Ok(None);
    }
    let level: Level = level::resolve_level(opts.level.as_deref().unwrap_or(level::DEFAULT_LEVEL))
        .map_err(|e| e.to_string())?;
    let seats = match &opts.seats {
        Some(s) => *s,
        None => Seats::parse(DEFAULT_SEATS)?,
    };
    let seed = opts.seed.unwrap_or_else(crate::table::random_seed);
    let mut session = Session::with_settings(Arc::new(level), seed, seats, &opts.settings);
    match opts.screen {
        StartScreen::Menu
        | StartScreen::NewGame
        | StartScreen::Encyclopedia
        | StartScreen::Board => {}
        StartScreen::Report => session.play_out(1),
        StartScreen::End => session.play_out(u32::MAX),
    }
    // Open straight onto the asked-for screen, past the curtain.
    session.lift_curtain();
    if opts.screen != StartScreen::Report {
        session.close_report();
    }
    Ok(Some(session))
}

/// Open the window and run until the player quits (or the screenshot is saved).
pub fn run(opts: PlayOptions) -> ExitCode {
    let mut session = match prepare(&opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // A classroom game on the network: joined, or hosted here.
    let classroom = if let Some((address, code)) = &opts.join {
        Some(classroom::Classroom::join(address, code))
    } else if opts.host {
        let table = match session.take() {
            Some(s) => s.table,
            None => {
                eprintln!(
                    "error: --host needs a game: give --level (and --seats, --seed) or --load"
                );
                return ExitCode::from(2);
            }
        };
        match classroom::Classroom::host(table, opts.timer, opts.load.as_deref()) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let settings = settings::Settings::load(&settings::Settings::file());
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "Rare Earth Gambit".into(),
                    resolution: WindowResolution::new(1280, 720),
                    ..default()
                }),
                ..default()
            })
            .set(bevy::log::LogPlugin {
                filter: "wgpu=error,naga=warn,bevy_render=warn,bevy_winit=warn".into(),
                ..default()
            }),
    )
    .add_plugins(EguiPlugin::default())
    // Redraw only on input or when a screen asks: an idle game costs no CPU.
    .insert_resource(WinitSettings::desktop_app())
    .insert_resource(ClearColor(Color::srgb_u8(22, 34, 48)))
    .insert_resource(settings)
    .add_plugins(plugin);
    let mut lesson = teacher::Lesson::default();
    lesson.restart(opts.timer);
    lesson.console_open = opts.teacher_console;
    app.insert_resource(lesson);
    if let Some(tab) = opts.tab {
        app.world_mut().resource_mut::<board::BoardUi>().tab = tab;
    }
    let start = match (&session, opts.screen) {
        _ if classroom.is_some() => Screen::Classroom,
        (_, StartScreen::NewGame) => Screen::NewGame,
        (_, StartScreen::Encyclopedia) => Screen::Encyclopedia,
        (Some(_), _) if opts.load.is_some() => Screen::Playing,
        (None, _) | (_, StartScreen::Menu) => Screen::Menu,
        (Some(s), _) if s.table.game().is_over() => Screen::End,
        _ => Screen::Playing,
    };
    if let Some(s) = session {
        app.insert_non_send(ActiveGame(s));
    }
    if let Some(c) = classroom {
        app.insert_non_send(c);
    }
    app.insert_state(start);
    if let Some(path) = opts.screenshot {
        // Frames must keep coming without input to reach frame N.
        app.insert_resource(WinitSettings::game());
        app.insert_resource(screenshot::ScreenshotPlan::new(path, opts.frames));
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, setup)
        .add_systems(Update, redraw_on_new_screen.run_if(state_changed::<Screen>))
        .add_systems(
            PreUpdate,
            drop_unchanged_modifiers
                .after(bevy_egui::EguiPreUpdateSet::ProcessInput)
                .before(bevy_egui::EguiPreUpdateSet::BeginPass),
        )
        .add_systems(
            Last,
            frame_log.run_if(|| std::env::var_os("RARE_EARTH_GAMBIT_FRAME_LOG").is_some()),
        )
        .add_plugins((
            settings::plugin,
            menu::plugin,
            turn::plugin,
            board::plugin,
            classroom::plugin,
            projector::plugin,
            join::plugin,
            report::plugin,
            end::plugin,
            screenshot::plugin,
            teacher::plugin,
            tutorial::plugin,
        ));
}

fn setup(mut commands: Commands) {
    commands.spawn(Camera2d);
}

/// With `RARE_EARTH_GAMBIT_FRAME_LOG` set: frames and redraw requests per
/// second, to check that an idle screen stops drawing.
fn frame_log(
    mut redraws: MessageReader<bevy::window::RequestRedraw>,
    mut stats: Local<(u32, u32, Option<std::time::Instant>)>,
    mut contexts: bevy_egui::EguiContexts,
) {
    let requested = redraws.read().count() as u32;
    let (frames, asked, since) = &mut *stats;
    *frames += 1;
    *asked += requested;
    let start = *since.get_or_insert_with(std::time::Instant::now);
    if start.elapsed().as_secs_f32() >= 1.0 {
        let causes = contexts
            .ctx_mut()
            .map(|c| format!("{:?}", c.repaint_causes()))
            .unwrap_or_default();
        eprintln!("frames/s {frames}, redraw requests/s {asked}; egui repaint causes: {causes}");
        *frames = 0;
        *asked = 0;
        *since = Some(std::time::Instant::now());
    }
}

/// bevy_egui 0.42 reports the modifier keys to egui every frame, changed or
/// not, and egui repaints at once on any event: the window would never idle.
/// Pass the report on only when the modifiers really change.
fn drop_unchanged_modifiers(
    mut inputs: Query<&mut bevy_egui::EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        input.events.retain(|e| match e {
            egui::Event::ModifiersChanged(m) => {
                let changed = *last != Some(*m);
                *last = Some(*m);
                changed
            }
            _ => true,
        });
    }
}

/// A new screen needs a frame to draw itself even without input.
fn redraw_on_new_screen(mut redraw: MessageWriter<bevy::window::RequestRedraw>) {
    redraw.write(bevy::window::RequestRedraw);
}

/// The whole window as one egui `Ui`, for panels to divide up.
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.content_rect()),
    )
}
