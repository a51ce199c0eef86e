//! The command line as other tools use it: exact interfaces and exit codes.

mod common;
use common::run;

#[test]
fn levels_lists_the_bundled_levels() {
    let (code, out, _) = run(&["levels"]);
    assert_eq!(code, 0);
    for (name, turns) in [
        ("2025-trade-war", "44"),
        ("classroom", "12"),
        ("tutorial", "6"),
    ] {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing from:\n{out}"));
        assert!(line.split_whitespace().any(|w| w == turns), "{line}");
    }
}

#[test]
fn validate_accepts_the_bundled_levels() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/levels");
    let files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".ron"))
        .collect();
    assert!(files.len() >= 3);
    let args: Vec<&str> = std::iter::once("validate")
        .chain(files.iter().map(String::as_str))
        .collect();
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn validate_reports_file_line_column_and_exits_2() {
    let dir = std::env::temp_dir().join(format!("reg-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "Level(\n  id: \"x\",\n  colour: 3,\n)\n").unwrap();
    let (code, out, _) = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    let expected = format!("{}:3:", bad.display());
    assert!(out.starts_with(&expected), "{out}");
    assert!(out.contains("colour"), "{out}");
    let missing = dir.join("missing.ron");
    let (code, out, _) = run(&["validate", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains("missing.ron: cannot read"), "{out}");
}

#[test]
fn sim_json_has_the_promised_fields() {
    let (code, out, err) = run(&["sim", "--level", "classroom", "--seed", "5", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(v["level"], "classroom");
    assert_eq!(v["seed"], 5);
    assert!(v["turns_played"].as_u64().unwrap() >= 1);
    assert!(
        v["winner"].is_null() || ["us", "china", "russia"].contains(&v["winner"].as_str().unwrap())
    );
    for p in ["us", "china", "russia"] {
        assert!(v["scores"][p].is_number(), "score for {p}");
    }
    let hash = v["state_hash"].as_str().unwrap();
    assert_eq!(hash.len(), 16);
    assert!(u64::from_str_radix(hash, 16).is_ok());
    for g in ["concentrate", "light_oxides", "heavy_oxides", "magnets"] {
        assert!(v["prices"][g].as_f64().unwrap() > 0.0);
        // Both price worlds, now and in every turn of the history.
        assert!(v["prices_china"][g].as_f64().unwrap() > 0.0);
        assert!(v["history"][0]["prices_china"][g].as_f64().unwrap() > 0.0);
    }
    for s in ["mining", "separation", "magnets"] {
        let share = &v["market_shares"][s];
        let total: f64 = ["us", "china", "russia", "outside"]
            .iter()
            .map(|k| share[k].as_f64().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 0.01, "{s} shares sum to {total}");
    }
    assert!(v["war"]["status"].is_string());
    // Same seed, same game.
    let (_, again, _) = run(&["sim", "--level", "classroom", "--seed", "5", "--json"]);
    let w: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(v["state_hash"], w["state_hash"]);
}

#[test]
fn sim_turns_stops_early_and_summary_is_readable() {
    let (code, out, _) = run(&["sim", "--seed", "3", "--turns", "2"]);
    assert_eq!(code, 0);
    assert!(out.contains("2 turns played"), "{out}");
    assert!(out.contains("Scores:"), "{out}");
    assert!(out.contains("State hash:"), "{out}");
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    for args in [
        vec!["sim", "--seats", "us=robot"],
        vec!["sim", "--seats", "mars=ai"],
        vec!["sim", "--seed", "minus-one"],
        vec!["sim", "--turns", "0"],
        vec!["sim", "--level", "no-such-level"],
        vec!["sim", "--seats", "us=human"],
        vec!["no-such-command"],
        vec!["validate"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?} exited {code}: {out}{err}");
        assert!(
            !err.trim().is_empty() || !out.trim().is_empty(),
            "{args:?} said nothing"
        );
    }
}

#[test]
fn play_arguments_are_checked_before_a_window_opens() {
    // A bad level is reported on the terminal with exit 2: no window needed.
    let (code, _, err) = run(&["play", "--screen", "board", "--level", "no-such-level"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no-such-level"), "{err}");
    let (code, _, err) = run(&["play", "--screen", "nowhere"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&["play", "--screenshot", "x.png", "--frames", "0"]);
    assert_eq!(code, 2, "{err}");
    // Lesson settings: a turn limit of 0 or a clock of 0 minutes is refused,
    // and lesson settings cannot change a saved game.
    let (code, _, err) = run(&["play", "--level", "classroom", "--turns", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--turns"), "{err}");
    let (code, _, err) = run(&["play", "--level", "classroom", "--timer", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--timer"), "{err}");
    let (code, _, err) = run(&["play", "--load", "x.json", "--no-events"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn no_arguments_means_play_at_the_menu() {
    let cli = <rare_earth_gambit::cli::Cli as clap::Parser>::parse_from(["rare-earth-gambit"]);
    assert!(cli.command.is_none());
    let args = rare_earth_gambit::cli::PlayArgs::default();
    assert_eq!(args.start_screen(), rare_earth_gambit::cli::ScreenArg::Menu);
    // Naming a level means: start that game.
    let cli = <rare_earth_gambit::cli::Cli as clap::Parser>::parse_from([
        "rare-earth-gambit",
        "play",
        "--level",
        "classroom",
    ]);
    let Some(rare_earth_gambit::cli::Command::Play(args)) = cli.command else {
        panic!("play expected");
    };
    assert_eq!(
        args.start_screen(),
        rare_earth_gambit::cli::ScreenArg::Board
    );
    assert!(args.frames >= 1, "the default frames must pass the check");
}

#[test]
fn tournament_prints_wins_by_power_and_seat() {
    let (code, out, err) = run(&[
        "tournament",
        "--level",
        "classroom",
        "--games",
        "6",
        "--seed",
        "3",
        "--seats",
        "us=ai:normal,china=ai:easy,russia=ai:easy",
        "--rotate",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["games"], 6);
    let wins = &v["wins"];
    let total: u64 = ["us", "china", "russia", "draw"]
        .iter()
        .map(|k| wins[k].as_u64().unwrap())
        .sum();
    assert_eq!(total, 6);
    assert_eq!(v["games_by_seat"]["ai:normal"], 6);
    assert_eq!(v["games_by_seat"]["ai:easy"], 12);
    assert!(v["decision_ms"]["easy"]["max"].as_f64().is_some());
    assert_eq!(v["refused_orders"], 0);
    for bad in [
        vec!["tournament", "--games", "0"],
        vec!["tournament", "--games", "2", "--seats", "us=human"],
        vec!["tournament", "--games", "2", "--hard-budget", "3,8"],
        vec!["tournament", "--games", "2", "--level", "nowhere"],
    ] {
        let (code, _, err) = run(&bad);
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(!err.is_empty());
    }
}

/// Progress bars are for a person at a terminal: piped (as here), standard
/// error stays empty and standard output holds the report or JSON alone.
#[test]
fn tournament_and_lab_show_no_progress_when_standard_error_is_not_a_terminal() {
    let base = ["--level", "classroom", "--games", "3", "--seed", "4"];
    for command in ["tournament", "lab"] {
        for json in [true, false] {
            let mut args = vec![command];
            args.extend(base);
            if json {
                args.push("--json");
            }
            let (code, out, err) = run(&args);
            assert_eq!(code, 0, "{args:?}: {err}");
            assert_eq!(err, "", "{args:?}: nothing on standard error");
            if json {
                let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
                assert_eq!(v["games"], 3, "{args:?}");
            } else {
                assert!(!out.contains('\r') && !out.contains('\u{1b}'), "{out}");
                assert!(out.contains("games"), "{out}");
            }
        }
    }
}

#[test]
fn lab_compares_a_level_with_its_early_peace_variant() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-lab");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let plot = dir.join("lab.png");
    let (code, out, err) = run(&[
        "lab",
        "--level",
        "2025-trade-war",
        "--level",
        "levels/2025-early-peace.ron",
        "--games",
        "4",
        "--seed",
        "2",
        "--json",
        "--plot",
        plot.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // Standard output is still one JSON object; the image is written.
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (w, h, pixels) = common::read_png(&plot);
    assert!(
        (1200..=4000).contains(&w) && (800..=2000).contains(&h),
        "{w}x{h}"
    );
    // The powers' colours are drawn (the bars), and text (dark pixels).
    for rgb in [[74, 143, 224], [224, 82, 63]] {
        assert!(pixels.chunks(3).any(|p| p == rgb), "{rgb:?} missing");
    }
    assert!(pixels.chunks(3).any(|p| p.iter().all(|c| *c < 80)));
    let levels = v["levels"].as_array().unwrap();
    assert_eq!(levels.len(), 2);
    assert_eq!(levels[1]["level"], "2025-early-peace");
    assert_eq!(levels[1]["war"]["peace_share"], 1.0);
    for l in levels {
        let shares: f64 = ["us", "china", "russia", "draw"]
            .iter()
            .map(|k| l["win_share"][k].as_f64().unwrap())
            .sum();
        assert!((shares - 1.0).abs() < 1e-9, "{l}");
        assert!(l["final_price"]["heavy_oxides"]["median"].as_f64().unwrap() > 0.0);
    }
    for bad in [
        vec!["lab", "--games", "2"],
        vec!["lab", "--level", "classroom", "--games", "0"],
        vec!["lab", "--level", "nowhere", "--games", "2"],
    ] {
        let (code, _, err) = run(&bad);
        assert_eq!(code, 2, "{bad:?}: {err}");
    }
    // An image that cannot be written fails before the games are played.
    let blocked = plot.join("sub").join("lab.png");
    let (code, out, err) = run(&[
        "lab",
        "--level",
        "classroom",
        "--games",
        "1",
        "--plot",
        blocked.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("lab.png: cannot write"), "{err}");
    assert!(out.is_empty(), "{out}");
}

#[test]
fn help_describes_each_command_on_its_own_line() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for (command, words) in [
        ("tournament", "count who wins"),
        ("replay", "reaches the same game"),
        ("lab", "Policy lab"),
        ("export", "Write a saved game"),
    ] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("{command} missing from:\n{out}"));
        assert!(line.contains(words), "{command}: {line}");
    }
    // Each command's text is its own: none borrows another's.
    let tournament = out
        .lines()
        .find(|l| l.trim_start().starts_with("tournament "))
        .unwrap();
    assert!(!tournament.contains("Replay"), "{tournament}");
}
