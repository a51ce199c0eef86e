//! A teacher writing a level (issue 17): the reference is up to date, the
//! template's output validates and plays to the end, the playtest reports
//! and warns, and the scenario written from them is valid.

use std::path::PathBuf;
use std::process::Command;

/// A game of `level` played to the end by computer seats.
fn play(
    level: &rare_earth_gambit::level::schema::Level,
    seed: u64,
) -> rare_earth_gambit::cli::SimReport {
    let mut table = rare_earth_gambit::table::Table::new(
        std::sync::Arc::new(level.clone()),
        seed,
        rare_earth_gambit::seats::Seats::default(),
    );
    let turns_played = table.play_out(None);
    rare_earth_gambit::cli::SimReport {
        turns_played,
        table,
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rare-earth-gambit"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reg-authoring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn the_level_reference_is_up_to_date() {
    let out = bin().args(["docs", "levels"]).output().unwrap();
    assert!(out.status.success());
    let made = String::from_utf8(out.stdout).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/levels.md");
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        made == on_disk,
        "docs/levels.md is stale: regenerate it with `{}`",
        rare_earth_gambit::level::docs::REGENERATE
    );
}

#[test]
fn the_template_writes_a_level_that_validates_and_plays_to_the_end() {
    let out_file = tmp("busan-draft.ron");
    let out = bin()
        .args([
            "new-level",
            "--from",
            "classroom",
            "--start",
            "2026Q1",
            "--turns",
            "8",
            "--out",
        ])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("cards dropped"), "{said}");
    // Valid (exit 0), with warnings that point at the texts to rewrite.
    let v = bin().arg("validate").arg(&out_file).output().unwrap();
    let stdout = String::from_utf8_lossy(&v.stdout);
    assert_eq!(v.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("warning: the situation still has the template's \"TEACHER:\" note"),
        "{stdout}"
    );
    let level = rare_earth_gambit::level::load_level_file(&out_file).unwrap();
    assert_eq!(
        (level.start_year, level.start_quarter, level.turns),
        (2026, 1, 8)
    );
    let r = play(&level, 3);
    assert!(r.table.game().is_over());
    assert_eq!(r.turns_played, 8);
    // A start before the template's own is refused with a reason.
    let bad = bin()
        .args([
            "new-level",
            "--from",
            "classroom",
            "--start",
            "2024Q4",
            "--out",
        ])
        .arg(tmp("bad.ron"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Q1 2025"));
    let bad = bin()
        .args([
            "new-level",
            "--from",
            "classroom",
            "--start",
            "2026Q5",
            "--out",
        ])
        .arg(tmp("bad.ron"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_playtest_reports_wins_cards_and_policies_as_json() {
    let out = bin()
        .args(["validate", "--playtest", "2", "--seed", "5", "--json"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/levels/tutorial.ron"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &v["files"][0]["playtest"];
    assert_eq!(p["games"], 2);
    let wins: u64 = ["us", "china", "russia", "draw"]
        .iter()
        .map(|k| p["wins"][k].as_u64().unwrap())
        .sum();
    assert_eq!(wins, 2);
    assert_eq!(p["cards"].as_array().unwrap().len(), 3);
    // The tutorial starts with US sanctions on Russia: the report follows them.
    assert!(
        p["policies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["by"] == "us"
                && s["on"] == "russia"
                && s["policy"] == "sanctions"
                && s["start"] == "targeted"),
        "{p}"
    );
    let bad = bin()
        .args(["validate", "--playtest", "0"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/levels/tutorial.ron"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_busan_scenario_written_from_the_reference_is_valid_and_plays() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/busan-truce-collapses.ron"
    );
    let v = bin().arg("validate").arg(path).output().unwrap();
    let stdout = String::from_utf8_lossy(&v.stdout);
    assert_eq!(v.status.code(), Some(0), "{stdout}");
    // Every text the template marked has been rewritten.
    assert!(!stdout.contains("TEACHER:"), "{stdout}");
    let level = rare_earth_gambit::level::load_level_file(std::path::Path::new(path)).unwrap();
    assert_eq!(
        (level.start_year, level.start_quarter, level.turns),
        (2026, 1, 8)
    );
    let mut r = play(&level, 4);
    assert!(r.table.game().is_over());
    // The collapse, when it fires, says what it did.
    let json = rare_earth_gambit::cli::sim_json(&mut r);
    let fired: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    if fired.contains(&"busan-collapse") {
        let news = &r
            .table
            .game()
            .world()
            .resource::<rare_earth_gambit::rules::resources::NewsLog>()
            .items;
        assert!(
            news.iter()
                .any(|n| n.text.starts_with("The Busan truce collapses:")
                    && n.text.contains("US tariff on China 47% → 100%"))
        );
    }
}
