//! The crate's top-level modules import each other without cycles: each
//! layer sits on the ones below it (rules → game → ai → table → save →
//! session → …), so a module can be understood, tested and replaced without
//! the ones above it. The test reads `src/**/*.rs`, finds every
//! `crate::<module>` path between top-level modules (tests inside the files
//! count too) and fails on any cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text without `//` comments (doc links name modules without using them).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level modules named after `prefix` in `text` (`crate::ai::…` → `ai`).
fn referenced(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

/// Which top-level module imports which, from `(path under src, text)`.
fn graph(files: &[(String, String)]) -> Graph {
    let modules: BTreeSet<String> = files.iter().filter_map(|(p, _)| top(p)).collect();
    let mut g = Graph::new();
    for (path, text) in files {
        let Some(from) = top(path) else { continue };
        let text = code(text);
        let mut to = referenced(&text, "crate::");
        // `super::x` reaches the crate root from a top-level file (or a
        // top-level folder's mod.rs), `super::super::x` from one level down.
        let depth = path.matches('/').count() - usize::from(path.ends_with("/mod.rs"));
        match depth {
            0 => to.extend(referenced(&text, "super::")),
            1 => to.extend(referenced(&text, "super::super::")),
            _ => {}
        }
        let entry = g.entry(from.clone()).or_default();
        for m in to {
            if m != from && modules.contains(&m) {
                entry.insert(m);
            }
        }
    }
    g
}

/// `src/ai/bot.rs` → `ai`, `src/cli.rs` → `cli`; the crate roots are none.
fn top(path: &str) -> Option<String> {
    let first = path.split('/').next()?;
    let name = first.trim_end_matches(".rs");
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// A cycle through the graph, as the modules on it, if there is one.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(
        g: &Graph,
        m: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(g, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in g.keys() {
        if let Some(c) = visit(g, m, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn top_level_modules_import_each_other_without_cycles() {
    let g = graph(&sources());
    assert!(g.len() > 10, "the crate's modules were found: {g:?}");
    assert!(g["gui"].contains("session"), "a known import is seen");
    if let Some(cycle) = find_cycle(&g) {
        panic!(
            "the modules import each other in a cycle: {} (move what they share below both)",
            cycle.join(" → ")
        );
    }
    assert!(
        !g["gui"].contains("cli"),
        "the window does not import the CLI"
    );
    // The level's parameters are rules types that `level` parses into.
    assert!(
        !g["rules"].contains("level"),
        "the rules do not import level"
    );
}

#[test]
fn the_check_sees_cycles_through_tests_and_nested_files_but_not_comments() {
    let files = |extra: &str| {
        vec![
            ("game.rs".to_string(), "use crate::rules::X;".to_string()),
            (
                "rules/orders.rs".to_string(),
                "// see crate::game for drivers\nfn f() {}".to_string(),
            ),
            ("rules/mod.rs".to_string(), extra.to_string()),
            (
                "lib.rs".to_string(),
                "pub mod game; pub mod rules;".to_string(),
            ),
        ]
    };
    assert_eq!(
        find_cycle(&graph(&files(""))),
        None,
        "comments do not count"
    );
    let nested = files("#[cfg(test)] mod tests { fn t() { crate::game::Game::new(); } }");
    assert_eq!(
        find_cycle(&graph(&nested)),
        Some(vec!["game".into(), "rules".into(), "game".into()])
    );
    let up = files("use super::game::Game;");
    assert!(
        find_cycle(&graph(&up)).is_some(),
        "super:: in rules/mod.rs is the crate root"
    );
    let up2 = vec![
        ("rules/x/y.rs".to_string(), String::new()),
        ("rules/mod.rs".to_string(), String::new()),
        ("game.rs".to_string(), "use crate::rules;".to_string()),
        (
            "rules/deals.rs".to_string(),
            "use super::super::game;".to_string(),
        ),
    ];
    assert!(find_cycle(&graph(&up2)).is_some());
    assert!(referenced("notcrate::ai", "crate::").is_empty());
}
