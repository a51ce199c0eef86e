//! Slips a teacher makes and nonsense a level can say, from issue 17: every
//! file in tests/teacher_slips/ names on its first line the message expected
//! (`// expect: LINE:COL: text`, or `// expect: text` for one with no
//! position). An error must refuse the file; a `warning:` must be printed by
//! `validate` while the file is still accepted, and refused with
//! `--deny-warnings`.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rare-earth-gambit"))
}

#[test]
fn every_slip_is_told_in_words_a_teacher_can_act_on_at_the_right_place() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/teacher_slips");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    let mut checked = 0;
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{} has no expect line", path.display()))
            .to_string();
        let out = bin().arg("validate").arg(&path).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let file = path.display().to_string();
        let mut parts = expect.splitn(3, ':');
        let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let positioned = a.parse::<usize>().is_ok() && b.parse::<usize>().is_ok();
        let (at, words) = if positioned {
            (
                format!("{file}:{a}:{b}: "),
                parts.next().unwrap_or("").trim().to_string(),
            )
        } else {
            (format!("{file}: "), expect.clone())
        };
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&at) && l.contains(&words)),
            "{}: expected \"{expect}\", got:\n{stdout}",
            path.display()
        );
        let warning = words.starts_with("warning:");
        assert_eq!(
            out.status.code(),
            Some(if warning { 0 } else { 2 }),
            "{}: {stdout}",
            path.display()
        );
        if warning {
            let denied = bin()
                .args(["validate", "--deny-warnings"])
                .arg(&path)
                .output()
                .unwrap();
            assert_eq!(denied.status.code(), Some(2), "{}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} slips");
}
