//! Warnings: what a level may legally say but almost surely does not mean —
//! a card that can never fire, an effect that does nothing, dates out of
//! range, a briefing without its teaching parts, an objective met before
//! anyone plays, a value the engine would clamp. `validate` prints them and
//! still accepts the level (unless `--deny-warnings`).
//!
//! Every `match` over conditions, effects and objective kinds here is
//! exhaustive on purpose: a new variant does not compile until someone says
//! what could be wrong with it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::schema::*;
use super::spans::{self, Pos, Step};
use crate::level_path;
use crate::rules::types::{
    ExportLevel, FacilityKind, Good, MonthDate, PowerId, SanctionsLevel, WarStatus, quarter_label,
};

/// A start year further than this from 2025 is far from the game's figures.
const YEARS_FROM_2025: i32 = 10;

/// An objective about a change (a war ended, a policy lifted) this far met
/// before anyone plays is (nearly) free points: a ceasefire at the start
/// gives 70% of `WarEnded`.
const MET_AT_START: f64 = 0.7;

/// The marker `new-level` puts in texts the teacher must rewrite.
pub const REWRITE_MARK: &str = "TEACHER:";

/// Something in a level that is allowed but probably not meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelWarning {
    pub file: String,
    /// 1-based line and column of the part it is about, when found.
    pub position: Option<Pos>,
    pub message: String,
}

impl fmt::Display for LevelWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(
                f,
                "{}:{}:{}: warning: {}",
                self.file, line, col, self.message
            ),
            None => write!(f, "{}: warning: {}", self.file, self.message),
        }
    }
}

struct Found {
    path: Vec<Step>,
    message: String,
}

#[derive(Default)]
struct Warner {
    found: Vec<Found>,
}

impl Warner {
    fn at(&mut self, path: Vec<Step>, message: impl Into<String>) {
        self.found.push(Found {
            path,
            message: message.into(),
        });
    }
}

/// The objectives' progress of each power (in the level's order) after a
/// first turn played with no orders and no events. Levels sit below the
/// game, so whoever can play a turn (`playtest::progress_after_first_turn`)
/// passes it in.
pub type FirstTurn<'a> = &'a dyn Fn(&Level) -> Vec<Vec<f64>>;

/// Every warning about `level`, whose text is `text` (for positions);
/// `file` names it in the messages.
pub fn warnings(level: &Level, text: &str, file: &str, first_turn: FirstTurn) -> Vec<LevelWarning> {
    let mut w = Warner::default();
    dates(level, &mut w);
    briefing(level, &mut w);
    powers(level, &mut w);
    relations(level, &mut w);
    cards(level, &mut w);
    met_at_start(level, first_turn, &mut w);
    let tree = spans::read(text);
    w.found
        .into_iter()
        .map(|f| LevelWarning {
            file: file.to_string(),
            position: tree.as_ref().and_then(|t| t.locate(&f.path)),
            message: f.message,
        })
        .collect()
}

/// The game's last quarter as (year, quarter).
fn last_quarter(level: &Level) -> (i32, u8) {
    crate::rules::types::turn_quarter(level.start_year, level.start_quarter, level.turns)
}

/// The first turn a card dated `date` may fire (1 when it is before the start).
fn first_turn_of(level: &Level, date: MonthDate) -> i64 {
    1 + date.quarters_until(level.start_year, level.start_quarter)
}

fn dates(level: &Level, w: &mut Warner) {
    // A backtest (a level with history) starts when its history does.
    if (level.start_year - 2025).abs() > YEARS_FROM_2025 && level.history.is_empty() {
        w.at(
            level_path!["start_year"],
            format!(
                "start_year is {}: the game's figures and events are for 2025-2035, and the news would read \"{}\"",
                level.start_year,
                quarter_label(level.start_year, level.start_quarter.clamp(1, 4), 1)
            ),
        );
        // The other dates are judged against a start that is itself wrong.
        return;
    }
    if level.data_as_of > level.start_year {
        w.at(
            level_path!["data_as_of"],
            format!(
                "data_as_of is {}, after the start ({}): the starting figures cannot describe a year that has not begun",
                level.data_as_of, level.start_year
            ),
        );
    } else if level.data_as_of < level.start_year - YEARS_FROM_2025 {
        w.at(
            level_path!["data_as_of"],
            format!(
                "data_as_of is {}, {} years before the start ({}): are the starting figures that old?",
                level.data_as_of,
                level.start_year - level.data_as_of,
                level.start_year
            ),
        );
    }
    let (end_year, _) = last_quarter(level);
    for (i, s) in level.sources.iter().enumerate() {
        // A backtest's history is meant to come from after its start.
        let history_only = level.history.iter().any(|h| h.source == s.id);
        if s.data_as_of > end_year && !history_only {
            w.at(
                level_path!["sources", i, "data_as_of"],
                format!(
                    "source \"{}\" has data as of {}, after the game ends ({end_year})",
                    s.id, s.data_as_of
                ),
            );
        }
    }
}

fn briefing(level: &Level, w: &mut Warner) {
    let b = &level.briefing;
    if b.learning_objectives.iter().all(|t| t.trim().is_empty()) {
        w.at(
            level_path!["briefing"],
            "the briefing has no learning_objectives: say what students should be able to do after the game, e.g. learning_objectives: [\"Explain why separation is the choke point.\"]",
        );
    }
    if b.thesis.trim().is_empty() {
        w.at(
            level_path!["briefing"],
            "the briefing has no thesis: state the claim the game lets students test (the debrief asks whether the game supported it)",
        );
    }
    if b.counter_arguments.iter().all(|t| t.trim().is_empty()) {
        w.at(
            level_path!["briefing"],
            "the briefing has no counter_arguments: give at least one argument against the thesis",
        );
    }
    let mut texts: Vec<(Vec<Step>, &str, &str)> = vec![
        (
            level_path!["briefing", "situation"],
            "situation",
            &b.situation,
        ),
        (level_path!["briefing", "us"], "goals for the US", &b.us),
        (
            level_path!["briefing", "china"],
            "goals for China",
            &b.china,
        ),
        (
            level_path!["briefing", "russia"],
            "goals for Russia",
            &b.russia,
        ),
        (level_path!["briefing", "thesis"], "thesis", &b.thesis),
        (level_path!["title"], "title", &level.title),
        (level_path!["summary"], "summary", &level.summary),
    ];
    for (i, t) in b.learning_objectives.iter().enumerate() {
        texts.push((
            level_path!["briefing", "learning_objectives", i],
            "learning objective",
            t,
        ));
    }
    for (i, t) in b.counter_arguments.iter().enumerate() {
        texts.push((
            level_path!["briefing", "counter_arguments", i],
            "counter-argument",
            t,
        ));
    }
    for (path, name, text) in texts {
        if text.contains(REWRITE_MARK) {
            w.at(
                path,
                format!("the {name} still has the template's \"{REWRITE_MARK}\" note: rewrite it for your scenario"),
            );
        } else if text.trim().is_empty() && !matches!(name, "thesis") {
            w.at(path, format!("the {name} is empty"));
        }
    }
}

/// Whether an objective's progress can reach 1 with this target.
fn objective_reachable(kind: &ObjectiveKind, target: f64) -> Result<(), String> {
    let share = |what: &str, max: f64| {
        if target > max + 1e-9 {
            Err(format!(
                "its target is {target}, but {what} is at most {max}: 1.0 means 100%, so write {} for {}%",
                target / 100.0,
                target
            ))
        } else {
            Ok(())
        }
    };
    match kind {
        ObjectiveKind::SupplySecurity => share("a share of supply", 1.0),
        ObjectiveKind::IndustryNeedsMet => share("a share of needs", 1.0),
        ObjectiveKind::SeparationShare => share("a share of world separation", 1.0),
        ObjectiveKind::MagnetShare => share("a share of world magnet making", 1.0),
        ObjectiveKind::MiningShare => share("a share of world mining", 1.0),
        ObjectiveKind::InfluenceOverRussia => share("China's share of Russia's exports", 1.2),
        ObjectiveKind::TerritoryHeld => share("a share of Ukraine's deposits", 1.0),
        ObjectiveKind::WarEnded => share("Russia's share of Ukraine's deposits", 1.0),
        ObjectiveKind::Stability if target > 100.0 => Err(format!(
            "its target is {target}, but stability is at most 100"
        )),
        ObjectiveKind::Stability
        | ObjectiveKind::Treasury
        | ObjectiveKind::ExportRevenue
        | ObjectiveKind::ExportControlsLifted { .. }
        | ObjectiveKind::TariffsLifted { .. }
        | ObjectiveKind::SanctionsRelief => Ok(()),
    }
}

/// The power an objective is about, when it names one.
fn objective_other(kind: &ObjectiveKind) -> Option<PowerId> {
    match kind {
        ObjectiveKind::ExportControlsLifted { by } | ObjectiveKind::TariffsLifted { by } => {
            Some(*by)
        }
        ObjectiveKind::SupplySecurity
        | ObjectiveKind::IndustryNeedsMet
        | ObjectiveKind::Treasury
        | ObjectiveKind::WarEnded
        | ObjectiveKind::SeparationShare
        | ObjectiveKind::MagnetShare
        | ObjectiveKind::MiningShare
        | ObjectiveKind::InfluenceOverRussia
        | ObjectiveKind::SanctionsRelief
        | ObjectiveKind::TerritoryHeld
        | ObjectiveKind::ExportRevenue
        | ObjectiveKind::Stability => None,
    }
}

fn powers(level: &Level, w: &mut Warner) {
    for (i, p) in level.powers.iter().enumerate() {
        for (j, o) in p.objectives.iter().enumerate() {
            let path = level_path!["powers", i, "objectives", j];
            if let Err(why) = objective_reachable(&o.kind, o.target) {
                w.at(
                    path.clone(),
                    format!(
                        "{}'s objective {} can never be fully met: {why}",
                        p.id.name(),
                        kind_ron(&o.kind)
                    ),
                );
            }
            if objective_other(&o.kind) == Some(p.id) {
                w.at(
                    path,
                    format!(
                        "{}'s objective {} is about its own policy on itself, which it never has: it is met from the start",
                        p.id.name(),
                        kind_ron(&o.kind)
                    ),
                );
            }
        }
    }
}

fn relations(level: &Level, w: &mut Warner) {
    for (i, r) in level.relations.iter().enumerate() {
        for (j, (good, l)) in r.export_controls.iter().enumerate() {
            if *l == ExportLevel::None {
                w.at(
                    level_path!["relations", i, "export_controls", j],
                    format!(
                        "({good:?}, None) in {}'s controls on {} does nothing: leave it out",
                        r.from.name(),
                        r.to.name()
                    ),
                );
            }
        }
    }
}

/// What a level holds at the start, for judging cards.
struct Start<'a> {
    level: &'a Level,
    power: BTreeMap<PowerId, &'a PowerSetup>,
    places: BTreeMap<&'a str, (Option<PowerId>, &'a [PowerId])>,
}

impl<'a> Start<'a> {
    fn new(level: &'a Level) -> Start<'a> {
        let mut places = BTreeMap::new();
        for d in &level.deposits {
            places.insert(d.id.as_str(), (d.controller, d.open_to.as_slice()));
        }
        for s in &level.sites {
            places.insert(s.id.as_str(), (s.controller, s.open_to.as_slice()));
        }
        Start {
            level,
            power: level.powers.iter().map(|p| (p.id, p)).collect(),
            places,
        }
    }
}

/// Why a card can never fire by chance, judged from its own conditions and date.
fn never_fires(level: &Level, card: &EventCard) -> Option<String> {
    let mut at_least: Option<u32> = None;
    let mut at_most: Option<u32> = None;
    let mut war: BTreeSet<String> = BTreeSet::new();
    let mut front = (f64::NEG_INFINITY, f64::INFINITY);
    let mut price_above: BTreeMap<Good, f64> = BTreeMap::new();
    let mut price_below: BTreeMap<Good, f64> = BTreeMap::new();
    let mut trust_at_least: BTreeMap<(PowerId, PowerId), f64> = BTreeMap::new();
    let mut trust_below: BTreeMap<(PowerId, PowerId), f64> = BTreeMap::new();
    let mut happened = BTreeSet::new();
    let mut not_happened = BTreeSet::new();
    for c in &card.conditions {
        match c {
            Condition::TurnAtLeast(t) => at_least = Some(at_least.map_or(*t, |a| a.max(*t))),
            Condition::TurnAtMost(t) => at_most = Some(at_most.map_or(*t, |a| a.min(*t))),
            Condition::War(s) => {
                war.insert(format!("War({s:?})"));
            }
            Condition::FrontAtLeast(v) => front.0 = front.0.max(*v),
            Condition::FrontAtMost(v) => front.1 = front.1.min(*v),
            Condition::PriceAbove(g, m) => {
                let e = price_above.entry(*g).or_insert(*m);
                *e = e.max(*m);
            }
            Condition::PriceBelow(g, m) => {
                let e = price_below.entry(*g).or_insert(*m);
                *e = e.min(*m);
                if *m <= 0.0 {
                    return Some(format!(
                        "PriceBelow({g:?}, {m}) never holds: a price is always above 0"
                    ));
                }
            }
            Condition::ExportControlAtLeast {
                by, target, level, ..
            } => {
                if by == target && *level > ExportLevel::None {
                    return Some(format!(
                        "{} never puts export controls on itself, so ExportControlAtLeast(by: {}, target: {}, ...) never holds",
                        by.name(),
                        by.key(),
                        target.key()
                    ));
                }
            }
            Condition::TariffAtLeast { by, on, rate } => {
                if by == on && *rate > 0.0 {
                    return Some(format!(
                        "{} never has a tariff on itself, so TariffAtLeast(by: {}, on: {}, ...) never holds",
                        by.name(),
                        by.key(),
                        on.key()
                    ));
                }
                if *rate > 2.0 {
                    return Some(format!(
                        "TariffAtLeast asks for a rate of {rate}, but tariffs are at most 2.0 (200%): 1.0 means 100%"
                    ));
                }
            }
            Condition::SanctionsAtLeast { by, on, level } => {
                if by == on && *level > SanctionsLevel::None {
                    return Some(format!(
                        "{} never sanctions itself, so SanctionsAtLeast(by: {}, on: {}, ...) never holds",
                        by.name(),
                        by.key(),
                        on.key()
                    ));
                }
            }
            Condition::StabilityBelow(p, v) => {
                if *v <= 0.0 {
                    return Some(format!(
                        "StabilityBelow({}, {v}) never holds: stability is never below 0",
                        p.key()
                    ));
                }
            }
            Condition::TreasuryBelow(..) => {}
            Condition::TrustAtLeast(a, b, v) => {
                let e = trust_at_least.entry((*a, *b)).or_insert(*v);
                *e = e.max(*v);
                if a == b {
                    return Some(format!(
                        "TrustAtLeast({}, {}, ...) is about a power's trust in itself, which the game does not have",
                        a.key(),
                        b.key()
                    ));
                }
            }
            Condition::TrustBelow(a, b, v) => {
                let e = trust_below.entry((*a, *b)).or_insert(*v);
                *e = e.min(*v);
                if *v <= 0.0 {
                    return Some(format!(
                        "TrustBelow({}, {}, {v}) never holds: trust is never below 0",
                        a.key(),
                        b.key()
                    ));
                }
            }
            Condition::EventHappened(id) => {
                if *id == card.id {
                    return Some(format!(
                        "it waits for itself: EventHappened(\"{id}\") cannot hold before the card first fires"
                    ));
                }
                happened.insert(id.clone());
            }
            Condition::EventNotHappened(id) => {
                not_happened.insert(id.clone());
            }
        }
    }
    if let Some(t) = at_least
        && t > level.turns
    {
        return Some(format!(
            "TurnAtLeast({t}) in a game of {} turns: it can never fire",
            level.turns
        ));
    }
    if at_most == Some(0) {
        return Some("TurnAtMost(0): turns start at 1".into());
    }
    if let (Some(a), Some(b)) = (at_least, at_most)
        && a > b
    {
        return Some(format!(
            "TurnAtLeast({a}) and TurnAtMost({b}) cannot both hold"
        ));
    }
    if let Some(date) = card.date {
        let first = first_turn_of(level, date);
        let (y, q) = last_quarter(level);
        if first > level.turns as i64 {
            return Some(format!(
                "it is dated {} ({date}), after the game's last quarter (Q{q} {y})",
                date.words()
            ));
        }
        if let Some(b) = at_most
            && first > b as i64
        {
            return Some(format!(
                "it is dated {} ({date}), turn {first} at the earliest, but TurnAtMost({b}) ends its window before",
                date.words()
            ));
        }
    }
    if war.len() > 1 {
        return Some(format!(
            "{} cannot all hold",
            war.into_iter().collect::<Vec<_>>().join(" and ")
        ));
    }
    if front.0 > front.1 {
        return Some(format!(
            "FrontAtLeast({}) and FrontAtMost({}) cannot both hold",
            front.0, front.1
        ));
    }
    for (g, a) in &price_above {
        if let Some(b) = price_below.get(g)
            && a > b
        {
            return Some(format!(
                "PriceAbove({g:?}, {a}) and PriceBelow({g:?}, {b}) cannot both hold"
            ));
        }
    }
    for ((x, y), a) in &trust_at_least {
        if let Some(b) = trust_below.get(&(*x, *y))
            && a >= b
        {
            return Some(format!(
                "TrustAtLeast({}, {}, {a}) and TrustBelow({}, {}, {b}) cannot both hold",
                x.key(),
                y.key(),
                x.key(),
                y.key()
            ));
        }
    }
    if let Some(id) = happened.intersection(&not_happened).next() {
        return Some(format!(
            "EventHappened(\"{id}\") and EventNotHappened(\"{id}\") cannot both hold"
        ));
    }
    None
}

fn cards(level: &Level, w: &mut Warner) {
    let start = Start::new(level);
    let mut never: BTreeMap<&str, String> = BTreeMap::new();
    for (i, card) in level.events.iter().enumerate() {
        let path = level_path!["events", i, "id"];
        if card.probability > 0.0
            && let Some(why) = never_fires(level, card)
        {
            never.insert(card.id.as_str(), why.clone());
            w.at(
                path.clone(),
                format!("event \"{}\" can never fire: {why}", card.id),
            );
        }
        if let Some(date) = card.date
            && first_turn_of(level, date) < 1
        {
            w.at(
                level_path!["events", i, "date"],
                format!(
                    "event \"{}\" is dated {} ({date}), before the level starts ({}): it would fire late, as news \"since {}\"; drop it if it has already happened at the start",
                    card.id,
                    date.words(),
                    quarter_label(level.start_year, level.start_quarter.clamp(1, 4), 1),
                    date.words()
                ),
            );
        }
        for (j, e) in card.effects.iter().enumerate() {
            if let Some(why) = effect_problem(&start, e) {
                w.at(
                    level_path!["events", i, "effects", j],
                    format!("event \"{}\": {why}", card.id),
                );
            }
        }
    }
    // A card waiting for one that never fires (by chance) never fires either.
    for (i, card) in level.events.iter().enumerate() {
        if never.contains_key(card.id.as_str()) || card.probability <= 0.0 {
            continue;
        }
        for c in &card.conditions {
            if let Condition::EventHappened(id) = c
                && never.contains_key(id.as_str())
            {
                w.at(
                    level_path!["events", i, "id"],
                    format!(
                        "event \"{}\" can never fire: it waits for \"{id}\", which can never fire",
                        card.id
                    ),
                );
            }
        }
    }
}

/// A change larger than the whole range of what it changes is always cut
/// short (the engine clamps), so the number written is not what happens.
fn clamped(what: &str, delta: f64, lo: f64, hi: f64) -> Option<String> {
    (delta.abs() > hi - lo + 1e-9).then(|| {
        format!(
            "{what} runs from {lo} to {hi}, so a change of {delta} is always cut short at {}",
            if delta < 0.0 { lo } else { hi }
        )
    })
}

/// What is wrong with an effect, judged from the level's start.
fn effect_problem(s: &Start, e: &Effect) -> Option<String> {
    let power = |p: &PowerId| s.power.get(p).copied();
    match e {
        Effect::Treasury(_, v) if *v == 0.0 => Some("Treasury(..., 0.0) does nothing".into()),
        Effect::Treasury(..) => None,
        Effect::Stability(p, v) => {
            if *v == 0.0 {
                return Some("Stability(..., 0.0) does nothing".into());
            }
            clamped("stability", *v, 0.0, 100.0)
                .map(|m| format!("Stability({}, {v}): {m}", p.key()))
        }
        Effect::PoliticalCapital(p, v) => clamped("political capital", *v, 0.0, 100.0)
            .map(|m| format!("PoliticalCapital({}, {v}): {m}", p.key())),
        Effect::Trust(a, b, v) => {
            if a == b {
                return Some(format!(
                    "Trust({}, {}, {v}) is a power's trust in itself: it does nothing",
                    a.key(),
                    b.key()
                ));
            }
            clamped("trust", *v, 0.0, 100.0)
                .map(|m| format!("Trust({}, {}, {v}): {m}", a.key(), b.key()))
        }
        Effect::Stockpile(p, g, v) => {
            let have = power(p)?.stockpile.get(*g);
            if *v < 0.0 && -v > have {
                Some(format!(
                    "Stockpile({}, {g:?}, {v}) takes {} kt of {} from {}, which holds {have} kt at the start: a stock stops at 0, it cannot go negative",
                    p.key(),
                    -v,
                    g.name(),
                    p.name()
                ))
            } else if *v == 0.0 {
                Some("Stockpile(..., 0.0) does nothing".into())
            } else {
                None
            }
        }
        Effect::SetExportControl { by, target, .. } if by == target => Some(format!(
            "SetExportControl(by: {}, target: {}, ...): {} cannot put export controls on itself; it does nothing",
            by.key(),
            target.key(),
            by.name()
        )),
        Effect::SetExportControl { .. } => None,
        Effect::SetTariff { by, on, .. } if by == on => Some(format!(
            "SetTariff(by: {}, on: {}, ...): {} cannot put a tariff on itself; it does nothing",
            by.key(),
            on.key(),
            by.name()
        )),
        Effect::SetTariff { .. } => None,
        Effect::SetSanctions { by, on, .. } if by == on => Some(format!(
            "SetSanctions(by: {}, on: {}, ...): {} cannot sanction itself; it does nothing",
            by.key(),
            on.key(),
            by.name()
        )),
        Effect::SetSanctions { .. } => None,
        Effect::SetExportControlOn { .. } | Effect::Extraterritorial { .. } => None,
        Effect::DamageAt { at, .. } => {
            let any = s
                .level
                .facilities
                .iter()
                .any(|f| &f.at == at && f.stage != crate::rules::types::Stage::Idle);
            (!any && s.places.contains_key(at.as_str())).then(|| {
                format!(
                    "DamageAt(at: \"{at}\", ...): no facility stands at \"{at}\" at the start, so it damages nothing unless one is built first"
                )
            })
        }
        Effect::DamageLargest { owner, kind, .. } => {
            let any = s
                .level
                .facilities
                .iter()
                .any(|f| f.owner == *owner && f.kind == *kind);
            (!any).then(|| {
                format!(
                    "DamageLargest(owner: {}, kind: {kind:?}, ...): {} has no {} at the start, so it damages nothing unless one is built first",
                    owner.key(),
                    owner.name(),
                    kind_name(*kind)
                )
            })
        }
        Effect::SupplyShock {
            supplier,
            good,
            factor,
            ..
        } => {
            let sup = s
                .level
                .outside_suppliers
                .iter()
                .find(|o| &o.id == supplier)?;
            if sup.makes(*good) <= 0.0 {
                let sells: Vec<&str> = Good::ALL
                    .into_iter()
                    .filter(|g| sup.makes(*g) > 0.0)
                    .map(|g| g.key())
                    .collect();
                Some(format!(
                    "SupplyShock on {good:?}: {} makes no {} (it makes {}), so the shock does nothing",
                    sup.name,
                    good.name(),
                    if sells.is_empty() {
                        "nothing".to_string()
                    } else {
                        sells.join(", ")
                    }
                ))
            } else if *factor == 1.0 {
                Some("SupplyShock with factor 1.0 does nothing".into())
            } else {
                None
            }
        }
        Effect::DemandShock { good, factor, .. } => {
            let demand: f64 = s
                .level
                .outside_suppliers
                .iter()
                .map(|o| o.demand.get(*good))
                .sum();
            if demand <= 0.0 {
                Some(format!(
                    "DemandShock on {good:?}: no outside buyer wants {} in this level, so it does nothing",
                    good.name()
                ))
            } else if *factor == 1.0 {
                Some("DemandShock with factor 1.0 does nothing".into())
            } else {
                None
            }
        }
        Effect::FrontShift(v) => {
            clamped("the front index", *v, 0.0, 1.0).map(|m| format!("FrontShift({v}): {m}"))
        }
        Effect::WarIntensity(v) => clamped("the war's intensity", *v, 0.0, 1.0)
            .map(|m| format!("WarIntensity({v}): {m}")),
        Effect::Ceasefire => (s.level.war.status == WarStatus::Peace).then(|| {
            "Ceasefire in a level that starts in peace does nothing (a ceasefire only stops an active war)".to_string()
        }),
        Effect::WarResumes => (s.level.war.status == WarStatus::Peace).then(|| {
            "WarResumes in a level that starts in peace does nothing (it only breaks a ceasefire)"
                .to_string()
        }),
        Effect::NeedFactor(_, f) if *f == 1.0 => {
            Some("NeedFactor with factor 1.0 does nothing".into())
        }
        Effect::NeedFactor(..) => None,
        Effect::OpenTo { at, power } => {
            let (controller, open) = s.places.get(at.as_str())?;
            // A deposit on the front changes hands with it: judge it then.
            let on_front = s
                .level
                .deposits
                .iter()
                .any(|d| &d.id == at && d.front_threshold.is_some());
            match controller {
                Some(_) if on_front => None,
                Some(c) => Some(format!(
                    "OpenTo(at: \"{at}\", power: {}): \"{at}\" is controlled by {}, and only places nobody controls can be opened; it does nothing",
                    power.key(),
                    c.name()
                )),
                None if open.contains(power) => Some(format!(
                    "OpenTo(at: \"{at}\", power: {}): \"{at}\" is already open to {} at the start",
                    power.key(),
                    power.name()
                )),
                None => None,
            }
        }
        Effect::SetExportControlOutside { .. } => None,
    }
}

fn kind_name(k: FacilityKind) -> &'static str {
    k.name()
}

/// An objective kind as a level writes it: `TariffsLifted(by: us)`.
fn kind_ron(kind: &ObjectiveKind) -> String {
    ron::to_string(kind)
        .unwrap_or_default()
        .replace(':', ": ")
        .replace(',', ", ")
}

/// Whether an objective asks for a change (a war ended, a policy lifted),
/// rather than for holding on to a share, a stock or stability — those are
/// met at the start by design ("keep 90% of the world's separation").
fn asks_for_change(kind: &ObjectiveKind) -> bool {
    match kind {
        ObjectiveKind::WarEnded
        | ObjectiveKind::SanctionsRelief
        | ObjectiveKind::TariffsLifted { .. }
        | ObjectiveKind::ExportControlsLifted { .. } => true,
        ObjectiveKind::SupplySecurity
        | ObjectiveKind::IndustryNeedsMet
        | ObjectiveKind::Treasury
        | ObjectiveKind::SeparationShare
        | ObjectiveKind::MagnetShare
        | ObjectiveKind::MiningShare
        | ObjectiveKind::InfluenceOverRussia
        | ObjectiveKind::TerritoryHeld
        | ObjectiveKind::ExportRevenue
        | ObjectiveKind::Stability => false,
    }
}

/// Objectives asking for a change that are (nearly) met before anyone
/// plays: play one turn with no orders and no events, and read the
/// progress the game itself gives.
fn met_at_start(level: &Level, first_turn: FirstTurn, w: &mut Warner) {
    if !super::check_level(level).is_empty() {
        return;
    }
    let progress = first_turn(level);
    for (i, (p, progress)) in level.powers.iter().zip(&progress).enumerate() {
        for (j, (o, progress)) in p.objectives.iter().zip(progress).enumerate() {
            if *progress >= MET_AT_START && o.weight > 0.0 && asks_for_change(&o.kind) {
                w.at(
                    level_path!["powers", i, "objectives", j],
                    format!(
                        "{}'s objective {} (weight {}) is already {:.0}% met after a first turn with no orders: {:.0} points a turn for nothing. Change the starting position, the target or the weight, unless keeping it so is the point",
                        p.id.name(),
                        kind_ron(&o.kind),
                        o.weight,
                        progress * 100.0,
                        o.weight * progress
                    ),
                );
            }
        }
    }
}
