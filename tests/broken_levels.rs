//! Every file in tests/broken_levels/ is refused, and its first line says how:
//! `// expect: LINE:COL: text` for a syntax or type error at that place, or
//! `// expect: text` for a semantic error (no position).

use rare_earth_gambit::level::load_level_file;

#[test]
fn every_broken_level_is_refused_where_and_why_it_should_be() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/broken_levels");
    let mut checked = 0;
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        // The expect line is text even when the rest of the file is not.
        let text = String::from_utf8_lossy(&bytes);
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{} has no expect line", path.display()))
            .to_string();
        let errors = match load_level_file(&path) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(e) => e,
        };
        let lines: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
        let file = path.display().to_string();
        // "LINE:COL: text" or just "text".
        let mut parts = expect.splitn(3, ':');
        let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let positioned = a.parse::<usize>().is_ok() && b.parse::<usize>().is_ok();
        let ok = if positioned {
            let at = format!("{file}:{a}:{b}: ");
            let text = parts.next().unwrap_or("").trim();
            lines.iter().any(|l| l.starts_with(&at) && l.contains(text))
        } else {
            let at = format!("{file}: ");
            lines
                .iter()
                .any(|l| l.starts_with(&at) && l.contains(expect.as_str()))
        };
        assert!(
            ok,
            "{}: expected \"{expect}\", got:\n{}",
            path.display(),
            lines.join("\n")
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} broken levels");
}
