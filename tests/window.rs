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
    let dir = shots_dir();
    let png = dir.join(format!("{screen}.png"));
    let home = dir.join(format!("home-{screen}"));
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
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png).expect("the screenshot exists"),
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
