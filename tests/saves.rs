//! Saves from the command line: `sim --save`, `sim --load`, `replay --verify`,
//! a corpus of damaged files refused with clear messages, and a save killed
//! mid-write that leaves the previous one whole.

use std::path::{Path, PathBuf};

mod common;
use common::{bin, run};

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn saves_from_every_bundled_level_replay_ok() {
    let d = dir("saves-levels");
    for level in ["tutorial", "classroom", "2025-trade-war"] {
        let save = d.join(format!("{level}.json"));
        let (code, _, err) = run(&[
            "sim",
            "--level",
            level,
            "--seed",
            "5",
            "--turns",
            "7",
            "--save",
            s(&save),
            "--json",
        ]);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = run(&["replay", s(&save), "--verify"]);
        assert_eq!(code, 0, "{level}: {out} {err}");
        assert!(out.starts_with("replay ok "), "{out}");
    }
}

#[test]
fn a_saved_game_continued_is_the_game_never_stopped() {
    let d = dir("saves-continue");
    let whole = d.join("whole.json");
    let half = d.join("half.json");
    let rest = d.join("rest.json");
    assert_eq!(
        run(&[
            "sim",
            "--level",
            "classroom",
            "--seed",
            "9",
            "--save",
            s(&whole),
            "--json"
        ])
        .0,
        0
    );
    assert_eq!(
        run(&[
            "sim",
            "--level",
            "classroom",
            "--seed",
            "9",
            "--turns",
            "5",
            "--save",
            s(&half)
        ])
        .0,
        0
    );
    let (code, _, err) = run(&["sim", "--load", s(&half), "--save", s(&rest), "--json"]);
    assert_eq!(code, 0, "{err}");
    let hash = |p: &Path| {
        let (code, out, err) = run(&["replay", s(p), "--verify"]);
        assert_eq!(code, 0, "{err}");
        out
    };
    assert_eq!(hash(&whole), hash(&rest));
}

/// Write `bytes` as a save and check it is refused with exit 2 and `expect`.
fn refused(d: &Path, name: &str, bytes: &[u8], expect: &str) {
    let path = d.join(name);
    std::fs::write(&path, bytes).unwrap();
    for args in [
        vec!["replay", s(&path), "--verify"],
        vec!["sim", "--load", s(&path)],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{name}: {args:?} gave {code}: {out} {err}");
        assert!(
            err.contains(name),
            "{name}: the message names the file: {err}"
        );
        assert!(
            err.contains(expect),
            "{name}: expected \"{expect}\" in: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn damaged_saves_are_refused_with_a_clear_message() {
    let d = dir("saves-bad");
    let good = d.join("good.json");
    assert_eq!(
        run(&[
            "sim",
            "--level",
            "classroom",
            "--seed",
            "3",
            "--turns",
            "4",
            "--save",
            s(&good)
        ])
        .0,
        0
    );
    let text = std::fs::read_to_string(&good).unwrap();
    refused(&d, "empty.json", b"", "empty");
    refused(
        &d,
        "truncated.json",
        &text.as_bytes()[..text.len() / 2],
        "not a Rare Earth Gambit save",
    );
    refused(
        &d,
        "garbage.json",
        &[0xff, 0x00, 0x13, 0x37, 0x80, 0x81],
        "not a Rare Earth Gambit save",
    );
    refused(
        &d,
        "other.json",
        br#"{"name": "a level?", "turns": 12}"#,
        "not a Rare Earth Gambit save",
    );
    refused(
        &d,
        "version.json",
        text.replacen("\"version\":2", "\"version\":99", 1)
            .as_bytes(),
        "version 99",
    );
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    refused(
        &d,
        "nested.json",
        nested.as_bytes(),
        "not a Rare Earth Gambit save",
    );
    let huge = vec![b' '; 17 * 1024 * 1024];
    refused(&d, "huge.json", &huge, "at most");
    // A hand edit: a fortune in the treasury, with the old hash.
    let rich = edit_first_number_after(&text, "\"treasury\":", "9999");
    refused(
        &d,
        "edited.json",
        rich.as_bytes(),
        "does not match its hash",
    );
    // Numbers JSON cannot hold, or the game must not.
    // (The loader relies on this: it does not look for them again.)
    for (name, number, why) in [
        ("infinite.json", "1e999", "damaged save"),
        ("minus-infinite.json", "-1e400", "damaged save"),
        ("nan.json", "NaN", "unreadable JSON"),
        ("inf.json", "Infinity", "unreadable JSON"),
    ] {
        refused(
            &d,
            name,
            edit_first_number_after(&text, "\"treasury\":", number).as_bytes(),
            why,
        );
    }
    refused(
        &d,
        "negative.json",
        edit_first_number_after(&text, "\"qty\":[", "-5").as_bytes(),
        "damaged save",
    );
    // A bad embedded level is reported as such.
    refused(
        &d,
        "level.json",
        text.replacen("turns: ", "turnz: ", 1).as_bytes(),
        "embedded level",
    );
    // None of this touched the good save.
    assert_eq!(std::fs::read_to_string(&good).unwrap(), text);
    assert_eq!(run(&["replay", s(&good), "--verify"]).0, 0);
}

fn edit_first_number_after(text: &str, key: &str, value: &str) -> String {
    let at = text.find(key).expect("key in save") + key.len();
    let end = at
        + text[at..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e'))
            .unwrap();
    format!("{}{}{}", &text[..at], value, &text[end..])
}

#[test]
fn a_changed_order_log_is_reported_at_its_turn() {
    let d = dir("saves-diverge");
    let good = d.join("good.json");
    assert_eq!(
        run(&[
            "sim",
            "--level",
            "classroom",
            "--seed",
            "4",
            "--turns",
            "6",
            "--save",
            s(&good)
        ])
        .0,
        0
    );
    let text = std::fs::read_to_string(&good).unwrap();
    // Change the recorded hash of turn 3 (and keep the file's own hash right):
    // the replay must name turn 3.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["turn_hashes"][2] = serde_json::Value::String("0123456789abcdef".into());
    let path = d.join("diverged.json");
    std::fs::write(&path, v.to_string()).unwrap();
    let (code, out, _) = run(&["replay", s(&path), "--verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("turn 3"), "{out}");
}

#[test]
fn killing_a_save_mid_write_leaves_the_previous_save_whole() {
    let d = dir("saves-kill");
    let save = d.join("game.json");
    assert_eq!(
        run(&[
            "sim",
            "--level",
            "2025-trade-war",
            "--seed",
            "2",
            "--turns",
            "3",
            "--save",
            s(&save)
        ])
        .0,
        0
    );
    for i in 0..12u64 {
        // Play on and save over the same file; kill at a different moment each time.
        let mut child = bin()
            .args([
                "sim",
                "--load",
                s(&save),
                "--turns",
                "1",
                "--save",
                s(&save),
                "--json",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(3 + i * 4));
        let _ = child.kill();
        let _ = child.wait();
        let (code, out, err) = run(&["replay", s(&save), "--verify"]);
        assert_eq!(code, 0, "after kill {i}: {out} {err}");
    }
}

#[test]
fn export_writes_figures_and_a_debrief_and_refuses_bad_input() {
    let d = dir("export");
    let save = d.join("game.json");
    let (code, _, err) = run(&[
        "sim",
        "--level",
        "classroom",
        "--seed",
        "8",
        "--save",
        s(&save),
    ]);
    assert_eq!(code, 0, "{err}");
    let out = d.join("out");
    let (code, _, err) = run(&["export", s(&save), "--format", "csv", "--out", s(&out)]);
    assert_eq!(code, 0, "{err}");
    let turns = std::fs::read_to_string(out.join("turns.csv")).unwrap();
    assert_eq!(turns.lines().count(), 13, "a header and 12 turns");
    assert!(turns.lines().nth(12).unwrap().starts_with("12,Q4 2027,"));
    assert!(
        std::fs::read_to_string(out.join("news.csv"))
            .unwrap()
            .lines()
            .count()
            > 12
    );
    let (code, _, err) = run(&["export", s(&save), "--format", "md", "--out", s(&out)]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out.join("debrief.md")).unwrap();
    let (_, json, _) = run(&["sim", "--level", "classroom", "--seed", "8", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let winner = v["winner"].as_str().unwrap();
    let name = match winner {
        "us" => "United States",
        "china" => "China",
        _ => "Russia",
    };
    assert!(md.contains(&format!("**{name} wins.**")), "{md}");
    assert!(md.contains("## Questions for discussion"));
    // The charts: PNG images next to the debrief, linked from it.
    for chart in ["prices", "shares", "security", "front"] {
        let file = format!("{chart}.png");
        assert!(md.contains(&format!("]({file})")), "{file} not linked");
        let (w, h, pixels) = common::read_png(&out.join(&file));
        assert!(w >= 800 && h >= 500, "{file}: {w}x{h}");
        assert!(
            pixels.chunks(3).any(|p| p != [255, 255, 255]),
            "{file} is blank"
        );
    }
    // A bad save and an unwritable folder: exit 2 with the reason.
    let garbage = d.join("garbage.json");
    std::fs::write(&garbage, "not a save").unwrap();
    let (code, _, err) = run(&["export", s(&garbage), "--format", "md", "--out", s(&out)]);
    assert_eq!(code, 2);
    assert!(err.contains("garbage.json"), "{err}");
    let blocked = garbage.join("sub");
    let (code, _, err) = run(&["export", s(&save), "--format", "csv", "--out", s(&blocked)]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot create"), "{err}");
}

/// A save written by an earlier build of the game (`sim --level classroom
/// --seed 5 --turns 6 --save …`, three normal AIs, format version 1, before
/// the two price worlds) still loads: its level is brought to today's
/// format and its orders replayed under today's rules, the orders those
/// rules refuse named, and the game plays on and saves in today's format.
#[test]
fn a_save_written_by_an_earlier_build_loads_replays_and_plays_on() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classroom-seed5-turn7.json");
    let (code, out, err) = run(&["replay", s(&fixture), "--verify"]);
    assert_eq!(code, 0, "{out} {err}");
    assert!(out.starts_with("replay ok "), "{out}");
    assert!(err.contains("save format 1"), "{err}");
    assert!(
        err.contains("replayed from its seed with its 6 turns of orders"),
        "{err}"
    );
    // The figures differ under today's rules: stock the old rules had is
    // not there, and the order that sold it is named, not silently lost.
    assert!(
        err.contains("left out: turn 2: United States's \"sell"),
        "{err}"
    );
    let d = dir("saves-v1");
    let upgraded = d.join("upgraded.json");
    let (code, out, err) = run(&[
        "sim",
        "--load",
        s(&fixture),
        "--turns",
        "1",
        "--save",
        s(&upgraded),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["turns_played"], 1);
    let text = std::fs::read_to_string(&upgraded).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved["version"], rare_earth_gambit::save::VERSION);
    assert_eq!(saved["turn"], 8);
    // The upgraded save is an ordinary save of today: it verifies without a
    // note and plays to the end.
    let (code, out, err) = run(&["replay", s(&upgraded), "--verify"]);
    assert_eq!(code, 0, "{out} {err}");
    assert!(!err.contains("note:"), "{err}");
    let (code, out, err) = run(&["sim", "--load", s(&upgraded), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["turns_played"], 5);
}
