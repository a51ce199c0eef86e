//! `new-level`: a level to start from, made from another one moved to a
//! later start. The world's figures stay (they are as of `data_as_of`), but
//! what time changes is moved on: facilities being permitted or built are as
//! far along as the quarters skipped make them, turn conditions of cards are
//! shifted, cards whose time has passed are dropped, and the briefing is
//! marked for the teacher to rewrite.

use std::collections::BTreeSet;

use super::schema::*;
use super::warnings::REWRITE_MARK;
use crate::rules::types::{Stage, quarter_label};

/// A new level, its RON text and what was changed, in words.
pub struct Made {
    pub level: Level,
    pub text: String,
    pub notes: Vec<String>,
}

/// `from` moved to start in `year` Q`quarter`, `turns` long (the template's
/// length when `None`), with id `id`.
pub fn new_level(
    from: &Level,
    id: &str,
    year: i32,
    quarter: u8,
    turns: Option<u32>,
) -> Result<Made, String> {
    if !(1..=4).contains(&quarter) {
        return Err(format!("the quarter must be 1 to 4, not {quarter}"));
    }
    let skip = (year as i64 * 4 + quarter as i64 - 1)
        - (from.start_year as i64 * 4 + from.start_quarter as i64 - 1);
    let from_label = quarter_label(from.start_year, from.start_quarter, 1);
    let start_label = quarter_label(year, quarter, 1);
    if skip < 0 {
        return Err(format!(
            "{} starts in {from_label}; a new level can start then or later, not in {start_label} (the figures would be from after the start)",
            from.id
        ));
    }
    let turns = turns.unwrap_or(from.turns);
    if turns == 0 || turns > 200 {
        return Err(format!("--turns must be 1 to 200, not {turns}"));
    }
    let skip = skip as u32;
    let mut level = from.clone();
    let mut notes = Vec::new();
    level.id = id.to_string();
    level.start_year = year;
    level.start_quarter = quarter;
    level.turns = turns;
    level.data_as_of = level.data_as_of.min(year);
    let mark = |text: &str| {
        format!(
            "{REWRITE_MARK} rewrite this for a game starting in {start_label} (it was written for {from_label}). It said: {text}"
        )
    };
    level.title = format!("{REWRITE_MARK} your title (from \"{}\")", from.title);
    level.summary = mark(&from.summary);
    let b = &mut level.briefing;
    for t in [
        &mut b.situation,
        &mut b.us,
        &mut b.china,
        &mut b.russia,
        &mut b.thesis,
    ] {
        *t = mark(t);
    }
    for t in b
        .learning_objectives
        .iter_mut()
        .chain(b.counter_arguments.iter_mut())
    {
        *t = mark(t);
    }
    notes.push(format!(
        "starts {start_label} for {turns} turns ({from} started {from_label}: {skip} quarters later); starting figures kept, as of {}",
        level.data_as_of,
        from = from.id
    ));

    // Facilities: as far along as `skip` quarters of permits and building make them.
    let mut opened = Vec::new();
    for f in &mut level.facilities {
        let built = from
            .powers
            .iter()
            .find(|p| p.id == f.owner)
            .map_or(4, |p| p.construction_turns.get(f.kind).max(1));
        let before = f.stage;
        advance(f, skip, built);
        if before != Stage::Operating && f.stage == Stage::Operating {
            opened.push(f.name.clone());
        }
    }
    if !opened.is_empty() {
        notes.push(format!(
            "opened by {start_label}, now operating: {}",
            opened.join(", ")
        ));
    }

    // Cards: dated before the start, or whose turns have passed, are dropped
    // (as having happened); turn conditions are shifted.
    let mut dropped = BTreeSet::new();
    for card in &from.events {
        let dated_before = card
            .date
            .is_some_and(|d| d.quarters_until(year, quarter) < 0);
        let window_past = card
            .conditions
            .iter()
            .any(|c| matches!(c, Condition::TurnAtMost(t) if (*t as i64) - (skip as i64) < 1));
        if dated_before || window_past {
            dropped.insert(card.id.clone());
        }
    }
    // A card that needs a dropped one not to have happened goes too.
    loop {
        let more: Vec<String> = from
            .events
            .iter()
            .filter(|c| !dropped.contains(&c.id))
            .filter(|c| {
                c.conditions
                    .iter()
                    .any(|k| matches!(k, Condition::EventNotHappened(id) if dropped.contains(id)))
            })
            .map(|c| c.id.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        dropped.extend(more);
    }
    level.events.retain(|c| !dropped.contains(&c.id));
    for card in &mut level.events {
        card.conditions = card
            .conditions
            .iter()
            .filter_map(|c| shift(c, skip, &dropped))
            .collect();
    }
    if !dropped.is_empty() {
        notes.push(format!(
            "cards dropped (dated before {start_label} or their turns past): {}",
            dropped.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    notes.push(format!(
        "texts marked \"{REWRITE_MARK}\" (title, summary, briefing) are for you to rewrite: validate warns until they are"
    ));

    let text = format!(
        "// Made by `rare-earth-gambit new-level --from {} --start {year}Q{quarter} --turns {turns}`.\n// The reference of every field is docs/levels.md. Check with `rare-earth-gambit validate`.\n{}\n",
        from.id,
        readable(&super::level_to_ron(&level))
    );
    // What is written must be a valid level.
    let reread =
        super::parse_level(id, &text).map_err(|e| format!("the new level is not valid: {e}"))?;
    Ok(Made {
        level: reread,
        text,
        notes,
    })
}

/// RON as a teacher would write it: `'` and line breaks inside texts as
/// they are (not `\'` and `\n`), `None` rather than `r#None`.
fn readable(ron: &str) -> String {
    let mut out = String::with_capacity(ron.len());
    let mut chars = ron.chars().peekable();
    let mut in_text = false;
    while let Some(c) = chars.next() {
        if in_text && c == '\\' {
            match chars.peek() {
                Some('\'') => {
                    out.push('\'');
                    chars.next();
                }
                Some('n') => {
                    out.push('\n');
                    chars.next();
                }
                Some(&other) => {
                    out.push(c);
                    out.push(other);
                    chars.next();
                }
                None => out.push(c),
            }
            continue;
        }
        if c == '"' {
            in_text = !in_text;
        }
        out.push(c);
    }
    out.replace("r#None", "None")
}

/// A facility `skip` quarters later: permits, then `built` turns of
/// building (paying as it goes), then operating.
fn advance(f: &mut FacilitySetup, skip: u32, built: u32) {
    let mut left = skip;
    if f.stage == Stage::Planned {
        if left == 0 {
            return;
        }
        left -= 1;
        f.stage = Stage::Permitting;
        if f.turns_left == 0 {
            f.stage = Stage::Construction;
            f.turns_left = built;
        }
    }
    if f.stage == Stage::Permitting {
        if left < f.turns_left {
            f.turns_left -= left;
            return;
        }
        left -= f.turns_left;
        f.stage = Stage::Construction;
        f.turns_left = built;
    }
    if f.stage == Stage::Construction {
        if left < f.turns_left {
            f.money_left *= (f.turns_left - left) as f64 / f.turns_left as f64;
            f.turns_left -= left;
            return;
        }
        f.stage = Stage::Operating;
        f.turns_left = 0;
        f.money_left = 0.0;
    }
    if f.stage == Stage::Damaged {
        if left < f.turns_left {
            f.turns_left -= left;
        } else {
            f.stage = Stage::Operating;
            f.turns_left = 0;
        }
    }
}

/// A card's condition `skip` quarters later; `None` when it now always holds.
fn shift(c: &Condition, skip: u32, dropped: &BTreeSet<String>) -> Option<Condition> {
    match c {
        Condition::TurnAtLeast(t) => {
            let t = t.saturating_sub(skip);
            (t > 1).then_some(Condition::TurnAtLeast(t))
        }
        Condition::TurnAtMost(t) => Some(Condition::TurnAtMost(t.saturating_sub(skip).max(1))),
        // A dropped card counts as having happened before the start.
        Condition::EventHappened(id) if dropped.contains(id) => None,
        Condition::War(_)
        | Condition::FrontAtLeast(_)
        | Condition::FrontAtMost(_)
        | Condition::PriceAbove(..)
        | Condition::PriceBelow(..)
        | Condition::ExportControlAtLeast { .. }
        | Condition::TariffAtLeast { .. }
        | Condition::SanctionsAtLeast { .. }
        | Condition::StabilityBelow(..)
        | Condition::TreasuryBelow(..)
        | Condition::TrustAtLeast(..)
        | Condition::TrustBelow(..)
        | Condition::EventHappened(_)
        | Condition::EventNotHappened(_) => Some(c.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::bundled;
    use crate::rules::types::FacilityKind;

    fn facility(stage: Stage, turns_left: u32, money_left: f64) -> FacilitySetup {
        FacilitySetup {
            id: "f".into(),
            name: "F".into(),
            kind: FacilityKind::Mine,
            owner: crate::rules::types::PowerId::Us,
            at: "x".into(),
            capacity: 1.0,
            stage,
            turns_left,
            money_left,
            partners: vec![],
            sources: vec![],
        }
    }

    #[test]
    fn facilities_move_through_permits_and_building() {
        let mut f = facility(Stage::Permitting, 3, 1.0);
        advance(&mut f, 2, 4);
        assert_eq!((f.stage, f.turns_left), (Stage::Permitting, 1));
        let mut f = facility(Stage::Permitting, 3, 1.0);
        advance(&mut f, 5, 4);
        assert_eq!((f.stage, f.turns_left), (Stage::Construction, 2));
        let mut f = facility(Stage::Construction, 4, 2.0);
        advance(&mut f, 1, 4);
        assert_eq!((f.stage, f.turns_left), (Stage::Construction, 3));
        assert!((f.money_left - 1.5).abs() < 1e-12);
        let mut f = facility(Stage::Construction, 4, 2.0);
        advance(&mut f, 4, 4);
        assert_eq!(
            (f.stage, f.turns_left, f.money_left),
            (Stage::Operating, 0, 0.0)
        );
    }

    #[test]
    fn the_classroom_moved_to_2026_drops_past_cards_and_shifts_turns() {
        let from = bundled("classroom").unwrap();
        let made = new_level(&from, "busan", 2026, 1, Some(8)).unwrap();
        let l = &made.level;
        assert_eq!((l.start_year, l.start_quarter, l.turns), (2026, 1, 8));
        assert!(l.data_as_of <= 2026);
        // The April 2025 tariff spiral (turns 2-3 of 2025) is history now.
        assert!(!l.events.iter().any(|c| c.id == "tariff-spiral"));
        for c in &l.events {
            if let Some(d) = c.date {
                assert!(d.quarters_until(2026, 1) >= 0, "{}", c.id);
            }
        }
        assert!(l.briefing.situation.starts_with(REWRITE_MARK));
        // Every card left can still fire in 8 turns by its turn conditions.
        for c in &l.events {
            for k in &c.conditions {
                if let Condition::TurnAtLeast(t) = k {
                    assert!(*t > 1, "{}: TurnAtLeast({t}) kept", c.id);
                }
            }
        }
        let w = crate::level::warnings(l, &made.text, "busan.ron", &|_| Vec::new());
        assert!(w.iter().any(|w| w.message.contains(REWRITE_MARK)), "{w:?}");
    }

    #[test]
    fn a_start_before_the_template_is_refused() {
        let from = bundled("classroom").unwrap();
        let e = new_level(&from, "x", 2024, 4, None).err().unwrap();
        assert!(e.contains("Q1 2025"), "{e}");
    }
}
