//! The command line: `levels`, `validate`, `sim`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::{Map, Value, json};

use crate::level::{self, BUNDLED, DEFAULT_LEVEL};
use crate::rules::resources::{EventDeck, GameOutcome, NewsKind, NewsLog, Production};
use crate::rules::types::{Good, Origin, PowerId, quarter_label};
use crate::seats::{Seat, Seats};
use crate::table::Table;

#[derive(Parser, Debug)]
#[command(
    name = "rare-earth-gambit",
    version,
    about = "A strategy board game of rare earths, trade war and the war in Ukraine (2025–2035)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the bundled levels with their title and number of turns.
    Levels,
    /// Check level files: FILE:LINE:COL: message for each error (exit 2),
    /// and `warning:` lines for what is allowed but probably not meant.
    Validate(ValidateArgs),
    /// Write the reference of a file format as Markdown.
    Docs {
        #[command(subcommand)]
        what: DocsCommand,
    },
    /// Write a new level from a bundled one (or a file), moved to a later
    /// start: dates and building timers shifted, past cards dropped, the
    /// briefing marked for the teacher to rewrite.
    NewLevel(NewLevelArgs),
    /// Play a whole game without a window.
    Sim(SimArgs),
    /// Open the game window (the default with no command).
    Play(PlayArgs),
    /// Host a classroom game on the local network: each team joins from its
    /// own computer with its code, the computer seats play on the host.
    Serve(ServeArgs),
    /// Play many computer-player games in parallel and count who wins.
    Tournament(TournamentArgs),
    /// Policy lab: compare levels (a base and its "what if" variants) over
    /// many AI games: win shares, supply security, prices, the war's end.
    Lab(LabArgs),
    /// Backtest: play a level with observed prices (`history`) with every
    /// seat passive, and set the game's prices beside history's (default:
    /// the 2010-13 rare-earth crisis).
    Backtest(BacktestArgs),
    /// Write a saved game's figures (CSV) or its debrief (Markdown) to a folder.
    Export {
        save: PathBuf,
        #[arg(long, value_enum)]
        format: crate::export::Format,
        /// Folder to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Replay a save's orders from its seed and check it reaches the same game.
    Replay {
        save: PathBuf,
        /// Compare every turn's hash; exit 1 at the first that differs.
        #[arg(long)]
        verify: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Treat warnings as errors (exit 2).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also play N games with three normal computer players and report win
    /// shares, the cards that fired and whether the starting policies held.
    #[arg(long, value_name = "N")]
    pub playtest: Option<u32>,
    /// Seed of the first playtest game; game i plays with seed + i.
    #[arg(long, requires = "playtest")]
    pub seed: Option<u64>,
    /// Print one JSON object (errors, warnings, playtest) instead of lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum DocsCommand {
    /// The level file reference (docs/levels.md), made from the level types.
    Levels {
        /// Write it to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(clap::Args, Debug)]
pub struct NewLevelArgs {
    /// The level to start from: a bundled name (classroom) or a file.
    #[arg(long)]
    pub from: String,
    /// First quarter of the new level, e.g. 2026Q1.
    #[arg(long, value_parser = parse_quarter)]
    pub start: (i32, u8),
    /// Number of turns (quarters); default: the template's.
    #[arg(long)]
    pub turns: Option<u32>,
    /// The file to write (its name without .ron becomes the level's id).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `2026Q1` (or `2026-Q1`, `Q1 2026`) as (2026, 1).
fn parse_quarter(s: &str) -> Result<(i32, u8), String> {
    let bad = || format!("\"{s}\" is not a quarter: write it as 2026Q1");
    let t = s.trim().to_ascii_uppercase().replace(['-', ' '], "");
    let (year, q) = if let Some(rest) = t.strip_prefix('Q') {
        let (q, y) = rest.split_at(1.min(rest.len()));
        (y.to_string(), q.to_string())
    } else {
        let (y, q) = t.split_once('Q').ok_or_else(bad)?;
        (y.to_string(), q.to_string())
    };
    let year: i32 = year.parse().map_err(|_| bad())?;
    let q: u8 = q.parse().map_err(|_| bad())?;
    if !(1..=4).contains(&q) {
        return Err(bad());
    }
    Ok((year, q))
}

#[derive(clap::Args, Debug)]
pub struct PlayArgs {
    /// Level file, or the name of a bundled level (opens the board with it).
    #[arg(long)]
    pub level: Option<String>,
    /// Seats, e.g. us=human,china=human,russia=ai:normal.
    #[arg(long, value_parser = parse_seats)]
    pub seats: Option<Seats>,
    /// Seed of the game's random numbers (random if not given).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Screen to open on: menu, board, report (after one turn) or end
    /// (after playing the game out with the given seats).
    /// Without it: the board when a level, seats or seed is given, else the menu.
    #[arg(long, value_enum)]
    pub screen: Option<ScreenArg>,
    /// The board's panel to open on (with `--screen board`).
    #[arg(long, value_enum)]
    pub tab: Option<TabArg>,
    /// Save a PNG screenshot of the window and exit.
    #[arg(long)]
    pub screenshot: Option<PathBuf>,
    /// Frames to draw before the screenshot.
    #[arg(long, default_value_t = 10, requires = "screenshot")]
    pub frames: u32,
    /// Open a saved game.
    #[arg(long, value_name = "SAVE", conflicts_with_all = ["level", "seed", "seats"])]
    pub load: Option<PathBuf>,
    /// Lesson mode: end the game after N turns (at most the level's).
    #[arg(long, value_name = "N", conflicts_with = "load")]
    pub turns: Option<u32>,
    /// Lesson mode: minutes each player has to plan a turn, shown on the
    /// board; the turn ends when it runs out.
    #[arg(long, value_name = "MINUTES")]
    pub timer: Option<u64>,
    /// Only the events a teacher fires from the console happen.
    #[arg(long, conflicts_with = "load")]
    pub no_events: bool,
    /// Every player sees the others' exact figures.
    #[arg(long, conflicts_with = "load")]
    pub no_hidden_information: bool,
    /// Open the teacher console (Ctrl+Shift+T in the game).
    #[arg(long)]
    pub teacher_console: bool,
    /// Join a classroom game on the network at ADDRESS (as `serve`
    /// printed it, e.g. 192.168.1.20:7425).
    #[arg(long, value_name = "ADDRESS", requires = "code", conflicts_with_all = ["level", "seed", "seats", "load", "host"])]
    pub join: Option<String>,
    /// The team's join code (with --join).
    #[arg(long, requires = "join")]
    pub code: Option<String>,
    /// Host this game on the classroom network and show the projector view
    /// (as New game → "Host on the classroom network").
    #[arg(long)]
    pub host: bool,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Level file, or the name of a bundled level (default: classroom).
    #[arg(long, conflicts_with = "load")]
    pub level: Option<String>,
    /// Seats (default: every seat a team), e.g. us=human,china=human,russia=ai:normal.
    #[arg(long, value_parser = parse_seats)]
    pub seats: Option<Seats>,
    /// Seed of the game's random numbers (random if not given).
    #[arg(long, conflicts_with = "load")]
    pub seed: Option<u64>,
    /// Lesson mode: end the game after N turns (at most the level's).
    #[arg(long, value_name = "N", conflicts_with = "load")]
    pub turns: Option<u32>,
    /// Minutes each turn may take; when the clock runs out the turn ends
    /// with the orders given.
    #[arg(long, value_name = "MINUTES")]
    pub timer: Option<u64>,
    /// Only the events a teacher fires happen.
    #[arg(long, conflicts_with = "load")]
    pub no_events: bool,
    /// Every team sees the others' exact figures.
    #[arg(long, conflicts_with = "load")]
    pub no_hidden_information: bool,
    /// Address to listen on: this computer's address on a private network
    /// or 127.0.0.1 (default: its local network address).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::IpAddr>,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = crate::net::DEFAULT_PORT)]
    pub port: u16,
    /// Write the teams' join codes here as JSON ({"us": "…", "china": "…"}).
    #[arg(long, value_name = "FILE")]
    pub codes: Option<PathBuf>,
    /// Take up a game the host saved (after a crash, or next lesson): the
    /// same codes let every team rejoin.
    #[arg(long, value_name = "SAVE")]
    pub load: Option<PathBuf>,
    /// Where to save after every turn (default: the loaded save, else
    /// beside --codes, else the data folder's `classroom` folder).
    #[arg(long, value_name = "FILE")]
    pub autosave: Option<PathBuf>,
}

impl Default for PlayArgs {
    /// What `rare-earth-gambit` with no arguments opens: the main menu.
    fn default() -> Self {
        PlayArgs {
            level: None,
            seats: None,
            seed: None,
            screen: None,
            tab: None,
            screenshot: None,
            frames: 10,
            load: None,
            turns: None,
            timer: None,
            no_events: false,
            no_hidden_information: false,
            teacher_console: false,
            join: None,
            code: None,
            host: false,
        }
    }
}

impl PlayArgs {
    /// The screen to open on: as asked, else the board when a level, seats or
    /// seed says which game to start, else the menu.
    pub fn start_screen(&self) -> ScreenArg {
        self.screen.unwrap_or(
            if self.level.is_some()
                || self.seats.is_some()
                || self.seed.is_some()
                || self.turns.is_some()
                || self.no_events
                || self.no_hidden_information
            {
                ScreenArg::Board
            } else {
                ScreenArg::Menu
            },
        )
    }
}

/// The board's panels `play --tab` can open on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TabArg {
    Economy,
    Facilities,
    Market,
    TradePolicy,
    Diplomacy,
    War,
    Orders,
}

/// The screens `play --screen` can open on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ScreenArg {
    #[default]
    Menu,
    NewGame,
    Encyclopedia,
    Board,
    Report,
    End,
}

#[derive(clap::Args, Debug)]
pub struct SimArgs {
    /// Level file, or the name of a bundled level (default: the full game).
    #[arg(long, conflicts_with = "load")]
    pub level: Option<String>,
    /// Seed of the game's random numbers (random if not given).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Stop after this many turns (default: the level's turn limit).
    #[arg(long)]
    pub turns: Option<u32>,
    /// Seats, e.g. us=ai:normal,china=ai:hard,russia=ai:easy
    /// (default: three normal AIs, or the seats of a loaded save).
    #[arg(long, value_parser = parse_seats)]
    pub seats: Option<Seats>,
    /// Print one JSON object instead of a readable summary.
    #[arg(long)]
    pub json: bool,
    /// Continue a saved game instead of starting one.
    #[arg(long, value_name = "SAVE", conflicts_with = "seed")]
    pub load: Option<PathBuf>,
    /// Write a save of the game when the run ends.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct TournamentArgs {
    /// Level file, or the name of a bundled level (default: the full game).
    #[arg(long)]
    pub level: Option<String>,
    /// Number of games.
    #[arg(long)]
    pub games: u32,
    /// Seed of the first game; game i plays with seed + i (random if not given).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Seats, e.g. us=ai:hard,china=ai:normal,russia=ai:normal (default:
    /// three normal AIs). Every seat must be a computer player.
    #[arg(long, value_parser = parse_seats)]
    pub seats: Option<Seats>,
    /// Move the seats round the table one place each game, so each seat
    /// plays each power equally.
    #[arg(long)]
    pub rotate: bool,
    /// Print one JSON object instead of a readable summary.
    #[arg(long)]
    pub json: bool,
    /// Games played at once (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// The hard player's search: GUESSES,HORIZON,CANDIDATES (default 6,8,80).
    #[arg(long, value_name = "G,H,C")]
    pub hard_budget: Option<crate::ai::SearchBudget>,
}

#[derive(clap::Args, Debug)]
pub struct LabArgs {
    /// Level files or bundled level names; give --level once per level.
    #[arg(long = "level", required = true)]
    pub levels: Vec<String>,
    /// Games per level.
    #[arg(long)]
    pub games: u32,
    /// Seed of the first game; every level plays the same seeds.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Seats (default: three normal AIs). Every seat must be a computer player.
    #[arg(long, value_parser = parse_seats)]
    pub seats: Option<Seats>,
    /// Print one JSON object instead of a readable report.
    #[arg(long)]
    pub json: bool,
    /// Also draw the comparison as a PNG image: win shares, and the spread of
    /// supply security, the Dy/Tb oxide price and the turn peace came (with
    /// --us-route: the routes' curves over time).
    #[arg(long, value_name = "PNG")]
    pub plot: Option<PathBuf>,
    /// The route lab: hold the US computer player to one route (russia,
    /// domestic, allies, stockpile, mixed or none) and compare routes side by
    /// side on the same seeds; give it once per route.
    #[arg(long = "us-route", value_parser = parse_route)]
    pub us_routes: Vec<crate::level::schema::AiRoute>,
}

#[derive(clap::Args, Debug)]
pub struct BacktestArgs {
    /// Level file or bundled level name with `history` prices (default: the
    /// 2010-13 rare-earth crisis, levels/2010-rare-earth-crisis.ron).
    #[arg(long)]
    pub level: Option<String>,
    /// Seed of the game's random numbers (default 1: the backtest's dated
    /// events are certain, so the seed changes only chance cards).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object instead of a readable report.
    #[arg(long)]
    pub json: bool,
    /// Also draw the game's prices beside history's as a PNG image.
    #[arg(long, value_name = "PNG")]
    pub plot: Option<PathBuf>,
}

fn parse_route(s: &str) -> Result<crate::level::schema::AiRoute, String> {
    crate::level::schema::AiRoute::parse(s).ok_or_else(|| {
        format!("unknown route \"{s}\": use russia, domestic, allies, stockpile, mixed or none")
    })
}

/// The default seats of `sim`.
pub const SIM_SEATS: &str = "us=ai:normal,china=ai:normal,russia=ai:normal";

fn parse_seats(s: &str) -> Result<Seats, String> {
    Seats::parse(s)
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Levels) => {
            levels();
            ExitCode::SUCCESS
        }
        None => play(PlayArgs::default()),
        Some(Command::Play(args)) => play(args),
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Validate(args)) => validate(args),
        Some(Command::Docs {
            what: DocsCommand::Levels { out },
        }) => docs_levels(out.as_deref()),
        Some(Command::NewLevel(args)) => new_level(args),
        Some(Command::Sim(args)) => sim(args),
        Some(Command::Replay { save, verify }) => replay(&save, verify),
        Some(Command::Tournament(args)) => tournament(args),
        Some(Command::Lab(args)) => lab(args),
        Some(Command::Backtest(args)) => backtest(args),
        Some(Command::Export { save, format, out }) => export(&save, format, &out),
    }
}

/// A level by file or bundled name; its errors printed, exit code 2.
fn resolve_or_report(name: &str) -> Result<level::schema::Level, ExitCode> {
    level::resolve_level(name).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })
}

/// The seats of a many-games command (three normal AIs by default), which
/// has nobody at the keyboard: a human seat is an error (exit 2).
fn computer_seats(seats: Option<Seats>, what: &str) -> Result<Seats, ExitCode> {
    let seats = seats.unwrap_or_else(|| Seats::parse(SIM_SEATS).expect("default seats"));
    match PowerId::ALL.iter().find(|p| seats.get(**p) == Seat::Human) {
        Some(p) => {
            eprintln!(
                "error: {} is seated as human; {what} plays computer players only (ai:easy, ai:normal, ai:hard)",
                p.key()
            );
            Err(ExitCode::from(2))
        }
        None => Ok(seats),
    }
}

/// A progress bar on standard error when it is a terminal; otherwise one
/// that draws nothing (a pipe or a log file gets no progress lines, and
/// standard output stays the report or the JSON object either way).
fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:40}} {{pos}}/{{len}} {what}, {{elapsed}} (about {{eta}} left)"
        ))
        .expect("a valid progress template"),
    );
    bar
}

/// Games to play at once: one per core.
fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

fn tournament(args: TournamentArgs) -> ExitCode {
    use crate::tournament::*;
    if args.games == 0 {
        eprintln!("error: --games must be at least 1");
        return ExitCode::from(2);
    }
    if args.threads == Some(0) {
        eprintln!("error: --threads must be at least 1");
        return ExitCode::from(2);
    }
    let level = match resolve_or_report(args.level.as_deref().unwrap_or(DEFAULT_LEVEL)) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let seats = match computer_seats(args.seats, "a tournament") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let seed = args.seed.unwrap_or_else(random_seed);
    let spec = TournamentSpec {
        level: std::sync::Arc::new(level),
        games: args.games,
        seed,
        seats,
        rotate: args.rotate,
        budget: args.hard_budget.unwrap_or_default(),
        threads: args.threads.unwrap_or_else(cores),
    };
    let bar = progress(u64::from(spec.games), "games");
    let results = run_with(&spec, &|_| bar.inc(1));
    bar.finish_and_clear();
    let summary = summarise(&results);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary_json(&spec, &summary)).expect("json")
        );
    } else {
        print_summary(&spec, &summary);
    }
    ExitCode::SUCCESS
}

fn export(
    save: &std::path::Path,
    format: crate::export::Format,
    out: &std::path::Path,
) -> ExitCode {
    let loaded = match crate::save::load_with_note(save) {
        Ok((l, note)) => {
            if let Some(note) = note {
                eprintln!("note: {note}");
            }
            l
        }
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match crate::export::export(crate::export::Played::of(&loaded), format, out) {
        Ok(files) => {
            for f in files {
                println!("wrote {}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Write the lab's chart to the file opened before the games ran, and say
/// so (on standard error with `--json`, so standard output stays one JSON
/// object).
/// Open a chart's file before the games run, so a bad path fails first.
fn open_plot(path: Option<&PathBuf>) -> Result<Option<(&PathBuf, std::fs::File)>, ExitCode> {
    let Some(path) = path else {
        return Ok(None);
    };
    match std::fs::File::create(path) {
        Ok(f) => Ok(Some((path, f))),
        Err(e) => {
            eprintln!("error: {}: cannot write: {e}", path.display());
            Err(ExitCode::from(2))
        }
    }
}

fn write_plot(
    (path, mut file): (&PathBuf, std::fs::File),
    png: Result<Vec<u8>, crate::charts::ChartError>,
    json: bool,
) -> ExitCode {
    use std::io::Write as _;
    let png = match png {
        Ok(png) => png,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    };
    if let Err(e) = file.write_all(&png).and_then(|()| file.flush()) {
        eprintln!("error: {}: cannot write: {e}", path.display());
        return ExitCode::from(2);
    }
    if json {
        eprintln!("wrote {}", path.display());
    } else {
        println!("\nwrote {}", path.display());
    }
    ExitCode::SUCCESS
}

/// `lab --us-route …`: every level once per route, the US computer player
/// held to it, on the same seeds.
fn route_lab(
    args: &LabArgs,
    levels: &[std::sync::Arc<level::schema::Level>],
    seats: Seats,
    seed: u64,
    plot: Option<(&PathBuf, std::fs::File)>,
) -> ExitCode {
    let routes = &args.us_routes;
    let variants: Vec<std::sync::Arc<level::schema::Level>> = levels
        .iter()
        .flat_map(|l| {
            routes
                .iter()
                .map(|r| std::sync::Arc::new(crate::lab::with_us_route(l, *r)))
        })
        .collect();
    let bar = progress(
        u64::from(args.games) * variants.len() as u64,
        "games (all routes)",
    );
    let reports =
        crate::lab::run_lab_with(&variants, args.games, seed, seats, cores(), &|_| bar.inc(1));
    bar.finish_and_clear();
    let by_level: Vec<(&level::schema::Level, Vec<crate::lab::RouteReport>)> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let rows = routes
                .iter()
                .enumerate()
                .map(|(j, r)| crate::lab::RouteReport {
                    route: *r,
                    games: &reports[i * routes.len() + j],
                })
                .collect();
            (l.as_ref(), rows)
        })
        .collect();
    if args.json {
        let v = json!({
            "games": args.games,
            "seed": seed,
            "seats": seats.to_string(),
            "levels": by_level.iter().map(|(l, rows)| json!({
                "level": l.id,
                "title": l.title,
                "start": quarter_label(l.start_year, l.start_quarter, 1),
                "routes": rows.iter().map(|r| r.json()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    } else {
        println!(
            "Route lab: {} games per route from seed {seed}, seats {seats}",
            args.games
        );
        for (l, rows) in &by_level {
            println!();
            crate::lab::print_routes(l, rows);
        }
    }
    if let Some(plot) = plot {
        let subtitle = format!(
            "{} games per route from seed {seed}, seats {seats}; medians of games",
            args.games
        );
        return write_plot(
            plot,
            crate::charts::routes_png(&by_level, &subtitle),
            args.json,
        );
    }
    ExitCode::SUCCESS
}

fn backtest(args: BacktestArgs) -> ExitCode {
    let level = match &args.level {
        Some(name) => match resolve_or_report(name) {
            Ok(l) => l,
            Err(code) => return code,
        },
        None => {
            let (file, text) = crate::backtest::CRISIS_2010;
            level::parse_level(file, text).expect("the bundled backtest is valid")
        }
    };
    if level.history.is_empty() {
        eprintln!(
            "error: level \"{}\" has no `history` prices to compare the game with",
            level.id
        );
        return ExitCode::from(2);
    }
    let plot = match open_plot(args.plot.as_ref()) {
        Ok(plot) => plot,
        Err(code) => return code,
    };
    let run = crate::backtest::run(std::sync::Arc::new(level), args.seed);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&run.json()).expect("json")
        );
    } else {
        run.print();
    }
    match plot {
        Some(plot) => write_plot(plot, crate::charts::backtest_png(&run), args.json),
        None => ExitCode::SUCCESS,
    }
}

fn lab(args: LabArgs) -> ExitCode {
    if args.games == 0 {
        eprintln!("error: --games must be at least 1");
        return ExitCode::from(2);
    }
    let mut levels = Vec::new();
    for name in &args.levels {
        match resolve_or_report(name) {
            Ok(l) => levels.push(std::sync::Arc::new(l)),
            Err(code) => return code,
        }
    }
    let seats = match computer_seats(args.seats, "the lab") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let plot = match open_plot(args.plot.as_ref()) {
        Ok(plot) => plot,
        Err(code) => return code,
    };
    let seed = args.seed.unwrap_or_else(random_seed);
    if !args.us_routes.is_empty() {
        return route_lab(&args, &levels, seats, seed, plot);
    }
    let bar = progress(
        u64::from(args.games) * levels.len() as u64,
        "games (all levels)",
    );
    let reports =
        crate::lab::run_lab_with(&levels, args.games, seed, seats, cores(), &|_| bar.inc(1));
    bar.finish_and_clear();
    if args.json {
        let v = json!({
            "games": args.games,
            "seed": seed,
            "seats": seats.to_string(),
            "levels": reports.iter().map(|r| r.json()).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    } else {
        println!(
            "Policy lab: {} games per level from seed {seed}, seats {seats}",
            args.games
        );
        for r in &reports {
            println!();
            r.print();
        }
    }
    if let Some(plot) = plot {
        let subtitle = format!(
            "{} games per level from seed {seed}, seats {seats}",
            args.games
        );
        return write_plot(plot, crate::charts::lab_png(&reports, &subtitle), args.json);
    }
    ExitCode::SUCCESS
}

fn replay(path: &std::path::Path, verbose: bool) -> ExitCode {
    let file = match crate::save::read(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(note) = &file.note {
        // The earlier build's turn hashes belong to its rules: what is
        // verified is the replay of this save as it loads today.
        eprintln!("note: {note}");
    }
    if verbose {
        eprintln!(
            "{}: seed {}, {} finished turns, replaying…",
            path.display(),
            file.seed,
            file.state.log.turns.len()
        );
    }
    match crate::save::verify(&file, path) {
        Ok(hash) => {
            println!("replay ok {hash:016x}");
            ExitCode::SUCCESS
        }
        Err((turn, message)) => {
            println!("replay differs at turn {turn}: {message}");
            ExitCode::from(1)
        }
    }
}

#[cfg(feature = "gui")]
fn play(args: PlayArgs) -> ExitCode {
    use crate::gui::{PlayOptions, StartScreen};
    if args.frames == 0 {
        eprintln!("error: --frames must be at least 1");
        return ExitCode::from(2);
    }
    if args.turns == Some(0) {
        eprintln!("error: --turns must be at least 1");
        return ExitCode::from(2);
    }
    if args.timer.is_some_and(|m| m == 0 || m > 120) {
        eprintln!("error: --timer is in minutes, 1 to 120");
        return ExitCode::from(2);
    }
    let screen = args.start_screen();
    crate::gui::run(PlayOptions {
        level: args.level,
        seats: args.seats,
        seed: args.seed,
        screen: match screen {
            ScreenArg::Menu => StartScreen::Menu,
            ScreenArg::NewGame => StartScreen::NewGame,
            ScreenArg::Encyclopedia => StartScreen::Encyclopedia,
            ScreenArg::Board => StartScreen::Board,
            ScreenArg::Report => StartScreen::Report,
            ScreenArg::End => StartScreen::End,
        },
        tab: args.tab.map(|t| match t {
            TabArg::Economy => crate::gui::panels::Tab::Economy,
            TabArg::Facilities => crate::gui::panels::Tab::Facilities,
            TabArg::Market => crate::gui::panels::Tab::Market,
            TabArg::TradePolicy => crate::gui::panels::Tab::TradePolicy,
            TabArg::Diplomacy => crate::gui::panels::Tab::Diplomacy,
            TabArg::War => crate::gui::panels::Tab::War,
            TabArg::Orders => crate::gui::panels::Tab::Orders,
        }),
        screenshot: args.screenshot,
        frames: args.frames,
        load: args.load,
        settings: crate::game::GameSettings {
            options: crate::rules::resources::GameOptions {
                events: !args.no_events,
                hidden_information: !args.no_hidden_information,
            },
            turn_limit: args.turns,
        },
        timer: args.timer.map(|m| std::time::Duration::from_secs(m * 60)),
        teacher_console: args.teacher_console,
        join: args.join.zip(args.code),
        host: args.host,
    })
}

#[cfg(not(feature = "gui"))]
fn play(_args: PlayArgs) -> ExitCode {
    eprintln!("This build has no window (built without the `gui` feature).");
    eprintln!("The whole game plays from the command line with computer players:");
    eprintln!("  rare-earth-gambit sim --level classroom --seed 7");
    eprintln!("  rare-earth-gambit --help");
    ExitCode::from(2)
}

/// The game `serve` hosts, its codes and where it saves.
pub fn serve_game(args: &ServeArgs) -> Result<crate::net::host::HostedGame, String> {
    use crate::net::codes::Codes;
    if args.turns == Some(0) {
        return Err("error: --turns must be at least 1".into());
    }
    if args.timer.is_some_and(|m| m == 0 || m > 120) {
        return Err("error: --timer is in minutes, 1 to 120".into());
    }
    let mut timer = args.timer.map(|m| std::time::Duration::from_secs(m * 60));
    let (mut table, codes) = match &args.load {
        Some(path) => {
            let (table, note) = crate::save::load_with_note(path).map_err(|e| e.to_string())?;
            if let Some(note) = note {
                eprintln!("note: {note}");
            }
            // The codes the game had, so every team rejoins with its own,
            // and the teacher's last clock unless `--timer` sets another.
            let codes = match crate::net::codes::Kept::read(path)? {
                Some(kept) => {
                    if args.timer.is_none() {
                        timer = kept.clock().unwrap_or(timer);
                    }
                    kept.codes
                }
                None => {
                    eprintln!(
                        "note: no codes kept beside {}: new codes for every seat",
                        path.display()
                    );
                    Codes::generate()?
                }
            };
            (table, codes)
        }
        None => {
            let level = level::resolve_level(args.level.as_deref().unwrap_or("classroom"))
                .map_err(|e| e.to_string())?;
            let seats = match args.seats {
                Some(s) => s,
                None => Seats::parse("us=human,china=human,russia=human")?,
            };
            let settings = crate::game::GameSettings {
                options: crate::rules::resources::GameOptions {
                    events: !args.no_events,
                    hidden_information: !args.no_hidden_information,
                },
                turn_limit: args.turns,
            };
            let seed = args.seed.unwrap_or_else(random_seed);
            let table = Table::with_settings(std::sync::Arc::new(level), seed, seats, &settings);
            (table, Codes::generate()?)
        }
    };
    if args.load.is_some()
        && let Some(seats) = args.seats
    {
        table.set_seats(seats);
    }
    let autosave = match (&args.autosave, &args.load, &args.codes) {
        (Some(path), _, _) => path.clone(),
        (None, Some(load), _) => load.clone(),
        (None, None, codes) => {
            let name = format!("{}-{}.json", table.level().id, table.seed());
            match codes.as_ref().and_then(|c| c.parent()) {
                Some(dir) if !dir.as_os_str().is_empty() => dir.join(name),
                Some(_) => PathBuf::from(name),
                None => crate::paths::data_dir().join("classroom").join(name),
            }
        }
    };
    Ok(crate::net::host::HostedGame {
        table,
        codes,
        timer,
        autosave: Some(autosave),
        codes_file: args.codes.clone(),
        log: true,
    })
}

/// A line on standard output that may be closed already (a teacher's
/// script reading only the address): the host plays on regardless.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

fn serve(args: ServeArgs) -> ExitCode {
    let game = match serve_game(&args) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let bind = args.bind.unwrap_or_else(crate::net::host::default_bind);
    let seats = game.table.seats();
    let (title, turn, autosave) = (
        game.table.level().title.clone(),
        game.table.turn(),
        game.autosave.clone(),
    );
    let codes = game.codes.clone();
    let host = match crate::net::host::Host::start(bind, args.port, vec![game]) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    say!("listening on {}", host.url());
    say!("{title}, turn {turn}; seats {seats}");
    for p in PowerId::ALL {
        if seats.get(p) == Seat::Human {
            say!("code for {:<7} {}", p.key(), codes.seat(p));
        }
    }
    say!("teacher's code  {}", codes.teacher);
    say!(
        "join with: rare-earth-gambit play --join {} --code CODE",
        host.addr()
    );
    say!("or from a browser: {}?code=CODE", host.join_link());
    if let Some(path) = autosave {
        say!(
            "autosave: {} (after a crash: rare-earth-gambit serve --load {})",
            path.display(),
            path.display()
        );
    }
    if let Some(path) = &args.codes {
        say!("codes written to {}", path.display());
    }
    host.wait();
    ExitCode::SUCCESS
}

fn levels() {
    println!("{:<22} {:>5}  {:<9} title", "level", "turns", "difficulty");
    for (file, text) in BUNDLED {
        match level::parse_level(file, text) {
            Ok(l) => println!(
                "{:<22} {:>5}  {:<9} {}",
                file.trim_end_matches(".ron"),
                l.turns,
                l.difficulty,
                l.title
            ),
            Err(e) => println!("{file}: {e}"),
        }
    }
}

fn validate(args: ValidateArgs) -> ExitCode {
    if args.playtest == Some(0) {
        eprintln!("error: --playtest must be at least 1 game");
        return ExitCode::from(2);
    }
    let mut bad = false;
    let mut reports = Vec::new();
    for f in &args.files {
        let mut report = json!({ "file": f.display().to_string() });
        match level::check_level_file(f, &crate::playtest::progress_after_first_turn) {
            Ok((l, warnings)) => {
                if !args.json {
                    for w in &warnings {
                        println!("{w}");
                    }
                    eprintln!(
                        "{}: ok ({}, {} turns){}",
                        f.display(),
                        l.title,
                        l.turns,
                        match warnings.len() {
                            0 => String::new(),
                            1 => ", 1 warning".into(),
                            n => format!(", {n} warnings"),
                        }
                    );
                }
                if args.deny_warnings && !warnings.is_empty() {
                    bad = true;
                    if !args.json {
                        println!(
                            "{}: refused: {} warning(s) and --deny-warnings",
                            f.display(),
                            warnings.len()
                        );
                    }
                }
                report["ok"] = json!(true);
                report["errors"] = json!([]);
                report["warnings"] = json!(
                    warnings
                        .iter()
                        .map(|w| json!({
                            "line": w.position.map(|p| p.0),
                            "column": w.position.map(|p| p.1),
                            "message": w.message,
                        }))
                        .collect::<Vec<_>>()
                );
                if let Some(games) = args.playtest {
                    let seed = args.seed.unwrap_or(1);
                    let p = crate::playtest::playtest(&l, games, seed, cores());
                    if !args.json {
                        println!();
                        p.print(&f.display().to_string());
                    }
                    if args.deny_warnings && !p.warnings.is_empty() {
                        bad = true;
                    }
                    report["playtest"] = p.json();
                }
            }
            Err(errors) => {
                bad = true;
                if !args.json {
                    for e in &errors.0 {
                        println!("{e}");
                    }
                }
                report["ok"] = json!(false);
                report["errors"] = json!(
                    errors
                        .0
                        .iter()
                        .map(|e| json!({
                            "line": e.position.map(|p| p.0),
                            "column": e.position.map(|p| p.1),
                            "message": e.message,
                        }))
                        .collect::<Vec<_>>()
                );
                report["warnings"] = json!([]);
            }
        }
        reports.push(report);
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "files": reports })).expect("json")
        );
    }
    if bad {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn docs_levels(out: Option<&std::path::Path>) -> ExitCode {
    let md = level::docs::levels_reference();
    match out {
        None => {
            print!("{md}");
            ExitCode::SUCCESS
        }
        Some(path) => match std::fs::write(path, md) {
            Ok(()) => {
                eprintln!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}: cannot write: {e}", path.display());
                ExitCode::from(2)
            }
        },
    }
}

fn new_level(args: NewLevelArgs) -> ExitCode {
    let from = match resolve_or_report(&args.from) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let id = args
        .out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "my-level".into());
    let (year, quarter) = args.start;
    let made = match level::template::new_level(&from, &id, year, quarter, args.turns) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::write(&args.out, &made.text) {
        eprintln!("error: {}: cannot write: {e}", args.out.display());
        return ExitCode::from(2);
    }
    println!("wrote {}", args.out.display());
    for line in &made.notes {
        println!("  {line}");
    }
    println!(
        "Next: rewrite the texts marked \"{}\", then check it with `rare-earth-gambit validate {}` (the reference is docs/levels.md).",
        level::warnings::REWRITE_MARK,
        args.out.display()
    );
    ExitCode::SUCCESS
}

/// What a headless game produced, for printing.
pub struct SimReport {
    pub turns_played: u32,
    pub table: Table,
}

/// A random seed (the clock's), kept short enough to read out to a class.
pub use crate::table::random_seed;

fn sim(args: SimArgs) -> ExitCode {
    // Start a game, or take one up from a save.
    let mut table = match &args.load {
        Some(path) => match crate::save::load_with_note(path) {
            Ok((t, note)) => {
                if let Some(note) = note {
                    eprintln!("note: {note}");
                }
                t
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        None => {
            let name = args.level.as_deref().unwrap_or(DEFAULT_LEVEL);
            let level = match level::resolve_level(name) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            let seats = Seats::parse(SIM_SEATS).expect("default seats");
            let seed = args.seed.unwrap_or_else(random_seed);
            Table::new(std::sync::Arc::new(level), seed, seats)
        }
    };
    // Seats given on the command line take over from this turn on (they
    // answer deals for the saved powers too).
    if let Some(seats) = args.seats {
        table.set_seats(seats);
    }
    if let Some(p) = PowerId::ALL.iter().find(|p| table.seat(**p) == Seat::Human) {
        eprintln!(
            "error: {} is seated as human, but sim has no one at the keyboard: use ai:easy, ai:normal or ai:hard (humans play with `rare-earth-gambit play`){}",
            p.key(),
            if args.load.is_some() {
                "; give --seats to seat computer players in the saved game"
            } else {
                ""
            }
        );
        return ExitCode::from(2);
    }
    if args.turns == Some(0) {
        eprintln!("error: --turns must be at least 1");
        return ExitCode::from(2);
    }
    let turns_played = table.play_out(args.turns);
    let mut report = SimReport {
        turns_played,
        table,
    };
    if let Some(path) = &args.save {
        let name = format!(
            "{} (sim, seed {})",
            report.table.level().title,
            report.table.seed()
        );
        let file = report.table.save_file(&name);
        if let Err(e) = crate::save::write(path, &file) {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&sim_json(&mut report)).expect("json")
        );
    } else {
        print_summary(&mut report);
    }
    ExitCode::SUCCESS
}

fn per_origin(v: &[f64; 4]) -> Value {
    json!({
        "us": v[0], "china": v[1], "russia": v[2], "outside": v[3],
    })
}

/// The JSON object `sim --json` prints.
pub fn sim_json(r: &mut SimReport) -> Value {
    let hash = r.table.hash();
    let game = r.table.game();
    let world = game.world();
    let outcome = world.resource::<GameOutcome>().clone();
    let mut scores = Map::new();
    let mut powers = Map::new();
    for p in PowerId::ALL {
        let v = game.view(p);
        scores.insert(p.key().into(), json!(round2(v.me.scorecard.score())));
        powers.insert(
            p.key().into(),
            json!({
                "eliminated": v.me.power.eliminated,
                "treasury_bn": round2(v.me.finances.treasury),
                "stability": round2(v.me.politics.stability),
                "supply_security": round2(v.me.industry.supply_security),
                "needs_met": round2(v.me.industry.needs_met),
                "objectives": v.me.scorecard.objectives.iter().zip(&v.me.scorecard.progress)
                    .map(|(o, p)| json!({"kind": format!("{:?}", o.kind), "weight": o.weight, "progress": round2(*p)}))
                    .collect::<Vec<_>>(),
            }),
        );
    }
    let view = game.view(PowerId::Us);
    let mut prices = Map::new();
    let mut prices_china = Map::new();
    let mut origin_prices = Map::new();
    for g in Good::ALL {
        prices.insert(g.key().into(), json!(round2(view.market.price[g])));
        prices_china.insert(g.key().into(), json!(round2(view.market.price_china[g])));
        origin_prices.insert(
            g.key().into(),
            per_origin(&view.market.origin_price[g].map(round2)),
        );
    }
    let shares = |v: &[f64; 4]| {
        let t: f64 = v.iter().sum();
        per_origin(&v.map(|x| round3(if t > 0.0 { x / t } else { 0.0 })))
    };
    let production = world.resource::<Production>();
    let war = &view.war;
    let deck = world.resource::<EventDeck>();
    json!({
        "level": r.table.level().id,
        "seed": r.table.seed(),
        "turns_played": r.turns_played,
        "last_quarter": quarter_label(
            world.resource::<crate::rules::resources::TurnClock>().start_year,
            world.resource::<crate::rules::resources::TurnClock>().start_quarter,
            view.turn.saturating_sub(1).max(1)),
        "game_over": outcome.over,
        "winner": outcome.winner.map(|p| p.key()),
        "end_reason": outcome.reason.as_ref().map(|r| format!("{r:?}")),
        "explanation": outcome.explanation,
        "scores": scores,
        "state_hash": format!("{hash:016x}"),
        "prices": prices,
        "prices_china": prices_china,
        "origin_prices": origin_prices,
        "market_shares": {
            "mining": shares(&production.mined),
            "separation": shares(&production.separated),
            "magnets": shares(&production.magnets),
        },
        "war": {
            "status": war.status.name(),
            "front_share": round3(war.front_share),
            "intensity": round2(war.intensity),
            "us_aid": war.us_aid,
            "weariness": round2(war.weariness),
            "ended_turn": war.ended_turn,
        },
        "powers": powers,
        "events": deck.drawn.iter().map(|(id, t)| json!({"id": id, "turn": t})).collect::<Vec<_>>(),
        "refused_orders": r.table.refused(),
        "history": world.resource::<crate::rules::resources::History>().turns.iter().map(|t| json!({
            "turn": t.turn,
            "quarter": t.label,
            "prices": Good::ALL.iter().map(|g| (g.key().to_string(), json!(round2(t.price[*g])))).collect::<Map<String, Value>>(),
            "prices_china": Good::ALL.iter().map(|g| (g.key().to_string(), json!(round2(t.price_china[*g])))).collect::<Map<String, Value>>(),
            "scores": PowerId::ALL.iter().map(|p| (p.key().to_string(), json!(round2(t.score[*p])))).collect::<Map<String, Value>>(),
            "us_supply_security": round3(t.supply_security[PowerId::Us]),
            "china_separation_share": round3(t.separation_share[1]),
            "china_magnet_share": round3(t.magnet_share[1]),
            "front_share": round3(t.front_share),
            "war": t.war_status.name(),
        })).collect::<Vec<_>>(),
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn print_summary(r: &mut SimReport) {
    let hash = r.table.hash();
    let game = r.table.game();
    let world = game.world();
    let news = world.resource::<NewsLog>();
    let clock = world.resource::<crate::rules::resources::TurnClock>();
    println!(
        "{} — seed {}, {} turns played",
        world
            .resource::<crate::rules::resources::GameRules>()
            .level_title,
        r.table.seed(),
        r.turns_played
    );
    println!();
    let mut last_turn = 0;
    for n in news.items.iter().filter(|n| n.is_public()) {
        if !matches!(
            n.kind,
            NewsKind::Market
                | NewsKind::War
                | NewsKind::Diplomacy
                | NewsKind::Event
                | NewsKind::Policy
                | NewsKind::Facility
                | NewsKind::Score
        ) {
            continue;
        }
        if n.turn != last_turn {
            println!("{}", clock.label_of(n.turn));
            last_turn = n.turn;
        }
        println!("  {}", n.text);
    }
    println!();
    let view = game.view(PowerId::Us);
    println!("Prices ($/kg), world / from China / from outside suppliers (— where none sold):");
    for g in Good::ALL {
        let o = view.market.origin_price[g];
        let sold = view.market.origin_volume[g];
        let cell = |i: usize| {
            if sold[i] > 0.0 {
                format!("{:>8.1}", o[i])
            } else {
                format!("{:>8}", "—")
            }
        };
        println!(
            "  {:<16} {:>8.1} {} {}",
            g.name(),
            view.market.price[g],
            cell(Origin::Power(PowerId::China).index()),
            cell(3)
        );
    }
    println!(
        "War: {} — Russia holds {:.0}% of Ukraine's rare-earth deposits",
        view.war.status.name(),
        view.war.front_share * 100.0
    );
    println!();
    println!("Scores:");
    for p in PowerId::ALL {
        let v = game.view(p);
        // Supply security (what is not Chinese) only means something for the
        // powers that are not China.
        let security = if p == PowerId::China {
            String::new()
        } else {
            format!(
                ", {:.0}% of supply from outside China",
                v.me.industry.supply_security * 100.0
            )
        };
        println!(
            "  {:<14} {:>5.1}{}   treasury ${:.1} bn, stability {:.0}{security}",
            p.name(),
            v.me.scorecard.score(),
            if v.me.power.eliminated { " (out)" } else { "" },
            v.me.finances.treasury,
            v.me.politics.stability,
        );
    }
    let outcome = game.outcome();
    println!();
    match outcome.winner {
        Some(w) => println!("Winner: {w}. {}", outcome.explanation),
        None if outcome.over => println!("No winner. {}", outcome.explanation),
        None => println!("The game is not over (stopped early)."),
    }
    println!("State hash: {hash:016x}");
    if r.table.refused() > 0 {
        println!(
            "({} AI orders were refused by the rules.)",
            r.table.refused()
        );
    }
}
