//! Saves of format 1 (before the two price worlds): their state has no
//! place in today's rules, but their seed, seats, settings and every
//! order are kept. The embedded level is brought to today's format and the
//! game is played again from its seed with those orders under today's
//! rules; an order today's rules refuse is left out and named. Nothing the
//! players decided is lost, and the player is told the game was replayed.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::{SaveError, SaveFile, bad};
use crate::game::GameSettings;
use crate::level;
use crate::rules::resources::{GameOptions, OrderBook, OrderLog};
use crate::rules::types::PowerId;
use crate::seats::Seats;
use crate::table::Table;

/// The parts of a format-1 save that still mean something.
#[derive(Deserialize)]
struct SaveV1 {
    name: String,
    level: String,
    seed: u64,
    seats: Vec<(u32, Seats)>,
    state: StateV1,
}

#[derive(Deserialize)]
struct StateV1 {
    options: GameOptions,
    clock: ClockV1,
    log: OrderLog,
    orders: OrderBook,
}

#[derive(Deserialize)]
struct ClockV1 {
    max_turns: u32,
}

/// Today's save of a format-1 save's game, with a note saying what changed.
pub(super) fn upgrade(path: &Path, text: &str) -> Result<SaveFile, SaveError> {
    let old: SaveV1 =
        serde_json::from_str(text).map_err(|e| bad(path, format!("damaged save: {e}")))?;
    let level_text = level_text(&old.level);
    let level = level::parse_level(&format!("{} (embedded level)", path.display()), &level_text)
        .map_err(|e| bad(path, format!("embedded level of a format-1 save: {e}")))?;
    let seats_at = |turn: u32| super::seats_at(&old.seats, turn);
    let settings = GameSettings {
        options: old.state.options.clone(),
        turn_limit: Some(old.state.clock.max_turns),
    };
    let mut table = Table::with_settings(Arc::new(level), old.seed, seats_at(1), &settings);
    let mut dropped: Vec<String> = Vec::new();
    for input in &old.state.log.turns {
        if table.game().is_over() {
            break;
        }
        table.set_seats(seats_at(input.turn));
        for id in &input.injected {
            if let Err(e) = table.inject_event(id) {
                dropped.push(format!("turn {}: card {id}: {e}", input.turn));
            }
        }
        for p in PowerId::ALL {
            for order in &input.orders[p] {
                if let Err(r) = table.submit(p, order.clone()) {
                    dropped.push(format!("turn {}: {p}'s \"{order}\": {r}", input.turn));
                }
            }
        }
        table.end_turn();
    }
    if let Some(last) = old.seats.last() {
        table.set_seats(last.1);
    }
    if !table.game().is_over() {
        for p in PowerId::ALL {
            for order in &old.state.orders.orders[p] {
                if let Err(r) = table.submit(p, order.clone()) {
                    dropped.push(format!("queued {p}'s \"{order}\": {r}"));
                }
            }
        }
    }
    let mut file = table.save_file(&old.name);
    let mut note = format!(
        "{}: saved by an earlier version of the game (save format 1, before the two price worlds); replayed from its seed with its {} turns of orders under today's rules, so figures may differ from when it was saved",
        path.display(),
        old.state.log.turns.len()
    );
    if dropped.is_empty() {
        note.push_str("; every order still holds");
    } else {
        note.push_str(&format!(
            "; {} order(s) today's rules refuse were left out: {}",
            dropped.len(),
            dropped.join("; ")
        ));
    }
    file.note = Some(note);
    Ok(file)
}

/// A format-1 level's RON in today's format. Saves hold levels as the game
/// itself wrote them (pretty RON, one field per line), which is what this
/// reads: outside suppliers' `supply` of goods becomes mines, separation
/// and magnet plants that make as much; two retired rule fields go.
pub(super) fn level_text(old: &str) -> String {
    let light_yield = field_number(old, "light_yield:").unwrap_or(0.2).max(0.01);
    let mut out = String::with_capacity(old.len());
    let mut lines = old.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("licensing_pass:") || t.starts_with("shortfall_income:") {
            continue;
        }
        if let Some(rest) = t.strip_prefix("supply:") {
            let indent = &line[..line.len() - t.len()];
            // The record, whether on this line or spread over the next ones.
            let mut record = rest.to_string();
            while !balanced(&record) {
                match lines.next() {
                    Some(l) => record.push_str(l.trim()),
                    None => break,
                }
            }
            let get = |key: &str| field_number(&record, &format!("{key}:")).unwrap_or(0.0);
            let (c, l, h, m) = (
                get("concentrate"),
                get("light_oxides"),
                get("heavy_oxides"),
                get("magnets"),
            );
            out.push_str(&format!("{indent}mines: {c:?},\n"));
            out.push_str(&format!(
                "{indent}separation: (feed: {:?}, light_oxides: {l:?}, heavy_oxides: {h:?}),\n",
                l / light_yield
            ));
            out.push_str(&format!("{indent}magnet_plants: {m:?},\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whether every `(` in `s` is closed.
fn balanced(s: &str) -> bool {
    let open = s.matches('(').count();
    open > 0 && open == s.matches(')').count()
}

/// The number after the first `key` in `s`.
fn field_number(s: &str, key: &str) -> Option<f64> {
    let at = s.find(key)? + key.len();
    let rest = s[at..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_1_supplier_becomes_mines_and_plants_that_make_as_much() {
        let old = "(\n    rules: (\n        light_yield: 0.25,\n        licensing_pass: 0.5,\n        shortfall_income: 0.1,\n    ),\n    outside_suppliers: [\n        (\n            id: \"x\",\n            supply: (\n                concentrate: 7.75,\n                light_oxides: 1.0,\n                heavy_oxides: 0.01,\n                magnets: 2.0,\n            ),\n            demand: (concentrate: 1.0),\n        ),\n    ],\n)\n";
        let new = level_text(old);
        assert!(!new.contains("supply:"), "{new}");
        assert!(!new.contains("licensing_pass") && !new.contains("shortfall_income"));
        assert!(new.contains("            mines: 7.75,\n"), "{new}");
        assert!(
            new.contains("separation: (feed: 4.0, light_oxides: 1.0, heavy_oxides: 0.01),"),
            "{new}"
        );
        assert!(new.contains("magnet_plants: 2.0,"), "{new}");
        assert!(new.contains("demand: (concentrate: 1.0),"), "{new}");
    }
}
