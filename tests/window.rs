//! Window tests: open the real game under a display (CI runs them with
//! `xvfb-run` and software Vulkan), save a screenshot of each screen and check
//! the picture is really there. Ignored by default: plain `cargo test` has no
//! display. Run with `cargo test --test window -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// Run `play` on `screen`, return the decoded RGBA pixels and size.
fn screenshot(screen: &str, extra: &[&str]) -> (Vec<u8>, u32, u32) {
    named_screenshot(screen, screen, extra)
}

/// As [`screenshot`], saved as `name.png` (tests run at once need their own).
fn named_screenshot(name: &str, screen: &str, extra: &[&str]) -> (Vec<u8>, u32, u32) {
    let dir = shots_dir();
    let png = dir.join(format!("{name}.png"));
    let home = dir.join(format!("home-{name}"));
    let out = Command::new(env!("CARGO_BIN_EXE_rare-earth-gambit"))
        .args(["play", "--screen", screen, "--seed", "7", "--frames", "30"])
        .arg("--screenshot")
        .arg(&png)
        .args(extra)
        .env("RARE_EARTH_GAMBIT_HOME", &home)
        .output()
        .expect("the game runs");
    assert!(
        out.status.success(),
        "play --screen {screen} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    load_rgba(&png)
}

/// A screenshot's pixels as RGBA, and its size.
fn load_rgba(png: &Path) -> (Vec<u8>, u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png).expect("the screenshot exists"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    let channels = info.color_type.samples();
    let rgba: Vec<u8> = buf[..info.buffer_size()]
        .chunks(channels)
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    (rgba, info.width, info.height)
}

/// Distinct colours, coarsely binned: a blank or one-colour window has few.
fn distinct_colours(rgba: &[u8]) -> usize {
    let mut seen = std::collections::HashSet::new();
    for p in rgba.chunks(4) {
        seen.insert((p[0] >> 3, p[1] >> 3, p[2] >> 3));
    }
    seen.len()
}

fn check(screen: &str, extra: &[&str], min_colours: usize) {
    let (rgba, w, h) = screenshot(screen, extra);
    assert!(w >= 1280 && h >= 720, "window is {w}×{h}");
    let colours = distinct_colours(&rgba);
    assert!(
        colours >= min_colours,
        "{screen}: only {colours} colours: an empty or unrendered window"
    );
}

#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn menu_renders() {
    check("menu", &[], 12);
}

#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn board_renders_the_map_and_panels() {
    check("board", &["--level", "classroom"], 40);
}

#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn report_renders_after_a_turn() {
    check(
        "report",
        &[
            "--level",
            "classroom",
            "--seats",
            "us=human,china=human,russia=ai:normal",
        ],
        12,
    );
}

#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn end_renders_after_the_game_is_played_out() {
    check(
        "end",
        &[
            "--level",
            "classroom",
            "--seats",
            "us=ai:normal,china=ai:normal,russia=ai:normal",
        ],
        20,
    );
}

#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn new_game_and_encyclopedia_screens_render() {
    check("new-game", &[], 12);
    check("encyclopedia", &[], 12);
}

/// Pixels that differ between two screenshots inside a rectangle.
fn changed_in(
    a: &[u8],
    b: &[u8],
    w: u32,
    x: std::ops::Range<u32>,
    y: std::ops::Range<u32>,
) -> usize {
    let mut n = 0;
    for row in y {
        for col in x.clone() {
            let i = ((row * w + col) * 4) as usize;
            if a[i..i + 3] != b[i..i + 3] {
                n += 1;
            }
        }
    }
    n
}

/// `play --tab market` opens the board on the market panel (offtakes,
/// allied stockpiles, price floors): the panel on the left differs from the
/// economy panel the board opens on by default.
#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn the_board_opens_on_the_market_panel() {
    let args = ["--level", "classroom"];
    let (economy, w, h) = named_screenshot("board-economy", "board", &args);
    assert!(w >= 1280 && h >= 720, "window is {w}×{h}");
    let (market, ..) = named_screenshot(
        "board-market",
        "board",
        &["--level", "classroom", "--tab", "market"],
    );
    let panel = changed_in(&economy, &market, w, 0..w / 3, h / 6..h * 5 / 6);
    assert!(panel > 10_000, "the panel changed in only {panel} pixels");
}

/// The teacher console and the lesson clock draw over the board (top
/// right); the tutorial panel over the tutorial's board (bottom right).
#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn teacher_console_lesson_clock_and_tutorial_panel_render() {
    let board = ["--level", "classroom"];
    let (plain, w, _) = named_screenshot("lesson-plain", "board", &board);
    let lesson = [
        "--level",
        "classroom",
        "--turns",
        "8",
        "--timer",
        "3",
        "--teacher-console",
    ];
    let (console, _, _) = named_screenshot("lesson-console", "board", &lesson);
    let area = 520 * 380;
    assert!(
        changed_in(&plain, &console, w, 720..1240, 70..450) > area / 5,
        "the console shows at the top right"
    );
    assert!(
        changed_in(&plain, &console, w, 1090..1190, 5..30) > 100,
        "the clock shows beside End turn"
    );
    let (tutorial, _, _) = named_screenshot("tutorial", "board", &["--level", "tutorial"]);
    let (no_panel, _, _) =
        named_screenshot("tutorial-classroom", "board", &["--level", "classroom"]);
    assert!(
        changed_in(&tutorial, &no_panel, w, 520..880, 450..680) > 360 * 230 / 5,
        "the tutorial panel shows at the bottom right"
    );
}

/// Kill the game while it plays and autosaves, restart, Continue: the last
/// finished turn is there and every autosave left behind is whole.
#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn killing_the_game_mid_autosave_keeps_the_last_finished_turn() {
    let dir = shots_dir();
    let home = dir.join("home-kill");
    let _ = std::fs::remove_dir_all(&home);
    let autosaves = home.join("saves").join("autosave");
    let game = env!("CARGO_BIN_EXE_rare-earth-gambit");
    let mut newest_turn = 0;
    for (round, wait_ms) in [4_100u64, 2_900, 3_700].into_iter().enumerate() {
        // Three computer players: a spectator game plays and autosaves a turn
        // every 1.5 s. The first round starts a game, the others continue it.
        let mut args: Vec<String> = vec!["play".into()];
        match rare_earth_gambit::save::list(&autosaves).first() {
            Some(newest) if round > 0 => {
                args.extend(["--load".into(), newest.path.display().to_string()]);
            }
            _ => args.extend(
                [
                    "--level",
                    "classroom",
                    "--seed",
                    "11",
                    "--seats",
                    "us=ai:normal,china=ai:normal,russia=ai:normal",
                ]
                .map(String::from),
            ),
        }
        let mut child = Command::new(game)
            .args(&args)
            .env("RARE_EARTH_GAMBIT_HOME", &home)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the game starts");
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        child.kill().expect("kill");
        let _ = child.wait();
        let listed = rare_earth_gambit::save::list(&autosaves);
        assert!(!listed.is_empty(), "round {round}: no autosave written");
        for l in &listed {
            let out = Command::new(game)
                .args(["replay", "--verify"])
                .arg(&l.path)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "round {round}: {} is damaged: {}",
                l.path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // What "Continue" opens: the newest, and it is the furthest turn.
        let newest = rare_earth_gambit::save::read(&listed[0].path).unwrap();
        let furthest = listed
            .iter()
            .map(|l| rare_earth_gambit::save::read(&l.path).unwrap().turn)
            .max()
            .unwrap();
        assert_eq!(newest.turn, furthest, "round {round}");
        assert!(
            newest.turn > newest_turn,
            "round {round}: no turn played since the last restart ({} ≤ {newest_turn})",
            newest.turn
        );
        newest_turn = newest.turn;
    }
    // The game opens the newest autosave and draws it.
    let newest = rare_earth_gambit::save::list(&autosaves)[0].path.clone();
    let png = dir.join("continued.png");
    let out = Command::new(game)
        .args(["play", "--screen", "board", "--frames", "10", "--load"])
        .arg(&newest)
        .arg("--screenshot")
        .arg(&png)
        .env("RARE_EARTH_GAMBIT_HOME", &home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(png.exists());
}

/// The teacher's projector of a game hosted from the window: the map and
/// the public panels, each seat's code and the join link's QR code (top
/// right: black and white modules).
#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn the_hosts_projector_renders_with_the_join_qr_code() {
    let (rgba, w, h) = named_screenshot(
        "projector",
        "board",
        &[
            "--level",
            "classroom",
            "--seats",
            "us=human,china=human,russia=ai:normal",
            "--host",
        ],
    );
    assert!(w >= 1280 && h >= 720, "window is {w}×{h}");
    assert!(
        distinct_colours(&rgba) >= 40,
        "the map and panels are drawn"
    );
    let (mut black, mut white) = (0, 0);
    for row in 100..260u32 {
        for col in (w - 280)..(w - 130) {
            let i = ((row * w + col) * 4) as usize;
            match rgba[i..i + 3] {
                [0, 0, 0] => black += 1,
                [255, 255, 255] => white += 1,
                _ => {}
            }
        }
    }
    assert!(
        black > 2000 && white > 2000,
        "a QR code at the top right ({black} black, {white} white pixels)"
    );
}

/// A team joins a `serve` host over loopback: its window draws the board
/// from the view the host sent.
#[test]
#[ignore = "needs a display: run under xvfb-run with -- --ignored"]
fn a_team_joined_over_the_network_renders_its_board() {
    use std::io::BufRead;
    let dir = shots_dir();
    let codes = dir.join("join-codes.json");
    let game = env!("CARGO_BIN_EXE_rare-earth-gambit");
    let mut host = Command::new(game)
        .args([
            "serve",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--seats",
            "us=human,china=human,russia=ai:normal",
            "--seed",
            "7",
            "--codes",
        ])
        .arg(&codes)
        .env("RARE_EARTH_GAMBIT_HOME", dir.join("home-serve"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the host starts");
    let first = std::io::BufReader::new(host.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let address = first
        .strip_prefix("listening on ws://")
        .unwrap()
        .to_string();
    let code: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&codes).unwrap()).unwrap();
    let png = dir.join("joined.png");
    let out = Command::new(game)
        .args(["play", "--join", &address, "--code"])
        .arg(code["china"].as_str().unwrap())
        .args(["--frames", "40", "--screenshot"])
        .arg(&png)
        .env("RARE_EARTH_GAMBIT_HOME", dir.join("home-joined"))
        .output()
        .unwrap();
    host.kill().unwrap();
    let _ = host.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (rgba, _, _) = load_rgba(&png);
    assert!(
        distinct_colours(&rgba) >= 40,
        "the board is drawn, not the joining screen"
    );
}
