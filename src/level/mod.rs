//! Levels: RON files in `levels/`, parsed strictly and checked for sense.

pub mod docs;
pub mod personality;
pub mod schema;
mod slips;
pub mod spans;
pub mod template;
pub mod warnings;

pub use warnings::{LevelWarning, warnings};

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use schema::*;

use crate::rules::types::{FacilityKind, PowerId, Stage};

/// Levels shipped with the game, compiled in so the binary works from anywhere.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "2025-trade-war.ron",
        include_str!("../../levels/2025-trade-war.ron"),
    ),
    (
        "2025-early-peace.ron",
        include_str!("../../levels/2025-early-peace.ron"),
    ),
    ("classroom.ron", include_str!("../../levels/classroom.ron")),
    ("tutorial.ron", include_str!("../../levels/tutorial.ron")),
];

/// The level a game uses when none is named.
pub const DEFAULT_LEVEL: &str = "2025-trade-war.ron";

/// Files larger than this are refused before parsing.
pub const MAX_LEVEL_BYTES: usize = 4 * 1024 * 1024;

/// One problem with a level file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelError {
    pub file: String,
    /// 1-based line and column for syntax and type errors; none for semantic ones.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for LevelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{}:{}: {}", self.file, line, col, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LevelError {}

/// All problems found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelErrors(pub Vec<LevelError>);

impl fmt::Display for LevelErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LevelErrors {}

use crate::rules::params::ron_options;

/// Parse and check a level from text; `file` names it in errors.
pub fn parse_level(file: &str, text: &str) -> Result<Level, LevelErrors> {
    if text.len() > MAX_LEVEL_BYTES {
        return Err(LevelErrors(vec![LevelError {
            file: file.to_string(),
            position: None,
            message: format!(
                "file is {} bytes; levels may be at most {} bytes",
                text.len(),
                MAX_LEVEL_BYTES
            ),
        }]));
    }
    let level: Level = ron_options().from_str(text).map_err(|e| {
        // The common slips get words a teacher can act on, at the place to fix.
        let (position, message) =
            slips::explain(text, &e.code, e.span.start.line, e.span.start.col);
        LevelErrors(vec![LevelError {
            file: file.to_string(),
            position: Some(position),
            message,
        }])
    })?;
    let problems = check_level(&level);
    if problems.is_empty() {
        Ok(level)
    } else {
        Err(LevelErrors(
            problems
                .into_iter()
                .map(|message| LevelError {
                    file: file.to_string(),
                    position: None,
                    message,
                })
                .collect(),
        ))
    }
}

/// Read, parse and check a level file, and find its warnings
/// (`first_turn`: see [`warnings::FirstTurn`]).
pub fn check_level_file(
    path: &Path,
    first_turn: warnings::FirstTurn,
) -> Result<(Level, Vec<LevelWarning>), LevelErrors> {
    let text = read_level_text(path)?;
    let file = path.display().to_string();
    let level = parse_level(&file, &text)?;
    let found = warnings(&level, &text, &file, first_turn);
    Ok((level, found))
}

/// Read, parse and check a level file.
pub fn load_level_file(path: &Path) -> Result<Level, LevelErrors> {
    let text = read_level_text(path)?;
    parse_level(&path.display().to_string(), &text)
}

/// A level file's text, refused when too large or not UTF-8.
fn read_level_text(path: &Path) -> Result<String, LevelErrors> {
    let file = path.display().to_string();
    let single = |message: String| {
        LevelErrors(vec![LevelError {
            file: file.clone(),
            position: None,
            message,
        }])
    };
    let meta = std::fs::metadata(path).map_err(|e| single(format!("cannot read: {e}")))?;
    if meta.len() as usize > MAX_LEVEL_BYTES {
        return Err(single(format!(
            "file is {} bytes; levels may be at most {} bytes",
            meta.len(),
            MAX_LEVEL_BYTES
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| single(format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|_| single("not UTF-8 text".to_string()))
}

/// A bundled level by file name (e.g. "classroom.ron") or id.
pub fn bundled(name: &str) -> Option<Level> {
    BUNDLED
        .iter()
        .find(|(file, _)| *file == name || file.trim_end_matches(".ron") == name)
        .map(|(file, text)| parse_level(file, text).expect("bundled levels are valid"))
}

/// Load a level named on the command line: a bundled name or a path.
pub fn resolve_level(name: &str) -> Result<Level, LevelErrors> {
    let path = PathBuf::from(name);
    if path.exists() {
        return load_level_file(&path);
    }
    if let Some(l) = bundled(name) {
        return Ok(l);
    }
    Err(LevelErrors(vec![LevelError {
        file: name.to_string(),
        position: None,
        message: "no such file, and no bundled level by that name".to_string(),
    }]))
}

/// Serialize a level back to RON (for saves that embed their level).
pub fn level_to_ron(level: &Level) -> String {
    ron::ser::to_string_pretty(level, ron::ser::PrettyConfig::default()).expect("levels serialize")
}

fn kind_key(k: FacilityKind) -> &'static str {
    match k {
        FacilityKind::Mine => "mine",
        FacilityKind::SeparationPlant => "separation_plant",
        FacilityKind::MagnetPlant => "magnet_plant",
    }
}

struct Checker {
    problems: Vec<String>,
}

impl Checker {
    fn finite(&mut self, what: &str, v: f64) {
        if !v.is_finite() {
            self.problems.push(format!("{what} is not a finite number"));
        }
    }
    fn range(&mut self, what: &str, v: f64, lo: f64, hi: f64) {
        if !v.is_finite() {
            self.problems.push(format!("{what} is not a finite number"));
        } else if v < lo || v > hi {
            // A percentage written where a fraction belongs: say what 1.0 means.
            let hint = if hi <= 2.0 && v >= 2.0 {
                let f = v / 100.0;
                let f = if f.fract() == 0.0 {
                    format!("{f:.1}")
                } else {
                    format!("{f}")
                };
                format!(" (1.0 means 100%: write {f} for {v}%)")
            } else {
                String::new()
            };
            self.problems
                .push(format!("{what} is {v}, outside {lo}..={hi}{hint}"));
        }
    }
    fn non_negative(&mut self, what: &str, v: f64) {
        self.range(what, v, 0.0, f64::MAX);
    }
    fn goods(&mut self, what: &str, t: &GoodsTable) {
        for (name, v) in [
            ("concentrate", t.concentrate),
            ("light_oxides", t.light_oxides),
            ("heavy_oxides", t.heavy_oxides),
            ("magnets", t.magnets),
        ] {
            self.non_negative(&format!("{what}.{name}"), v);
        }
    }
    fn sources(&mut self, what: &str, ids: &[String], known: &BTreeSet<&str>) {
        for id in ids {
            if !known.contains(id.as_str()) {
                self.problems
                    .push(format!("{what} cites unknown source \"{id}\""));
            }
        }
    }
}

/// Semantic checks a parser cannot make. Returns every problem found.
pub fn check_level(level: &Level) -> Vec<String> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if level.id.trim().is_empty() {
        c.problems.push("id is empty".into());
    }
    if level.title.trim().is_empty() {
        c.problems.push("title is empty".into());
    }
    if !(1..=4).contains(&level.start_quarter) {
        c.problems.push(format!(
            "start_quarter is {}, must be 1..=4",
            level.start_quarter
        ));
    }
    if level.turns == 0 || level.turns > 200 {
        c.problems
            .push(format!("turns is {}, must be 1..=200", level.turns));
    }
    if !["tutorial", "easy", "normal", "hard"].contains(&level.difficulty.as_str()) {
        c.problems.push(format!(
            "difficulty is \"{}\", must be tutorial, easy, normal or hard",
            level.difficulty
        ));
    }
    if level.difficulty == "tutorial" && level.tutorial.is_empty() {
        c.problems
            .push("a tutorial level needs tutorial steps".into());
    }
    for (i, step) in level.tutorial.iter().enumerate() {
        if step.title.trim().is_empty() || step.text.trim().is_empty() {
            c.problems
                .push(format!("tutorial step {} has no title or text", i + 1));
        }
    }

    let mut source_ids = BTreeSet::new();
    for s in &level.sources {
        if !source_ids.insert(s.id.as_str()) {
            c.problems
                .push(format!("source id \"{}\" is used twice", s.id));
        }
    }

    // Rules parameters.
    let r = &level.rules;
    if r.action_points == 0 || r.action_points > 10 {
        c.problems.push(format!(
            "rules.action_points is {}, must be 1..=10",
            r.action_points
        ));
    }
    for (name, v) in [
        ("light_yield", r.light_yield),
        ("heavy_recovery", r.heavy_recovery),
        ("targeted_sanctions_pass", r.targeted_sanctions_pass),
        ("storage_cost", r.storage_cost),
        ("permit_reform_backlash", r.permit_reform_backlash),
        ("permit_reform_cut", r.permit_reform_cut),
        ("recycling_max", r.recycling_max),
        ("substitution_max", r.substitution_max),
        ("processing_max", r.processing_max),
        ("estimate_error", r.estimate_error),
        ("intel_error", r.intel_error),
        ("shortfall_treasury_share", r.shortfall_treasury_share),
        ("price_floor_private_share", r.price_floor_private_share),
        ("licensing.rise", r.licensing.rise),
        ("licensing.leakage", r.licensing.leakage),
        ("decisive_progress", r.decisive_progress),
    ] {
        c.range(&format!("rules.{name}"), v, 0.0, 1.0);
    }
    for (name, v) in [
        ("byproduct_price", r.byproduct_price),
        ("magnet_light_per_kt", r.magnet_light_per_kt),
        ("magnet_heavy_per_kt", r.magnet_heavy_per_kt),
        ("procurement_cap", r.procurement_cap),
        ("speedup_half_money", r.speedup_half_money),
        ("permit_reform_cost", r.permit_reform_cost),
        ("breach_trust_penalty", r.breach_trust_penalty),
        ("breach_capital_penalty", r.breach_capital_penalty),
        ("capital_regen", r.capital_regen),
        ("intel_cost", r.intel_cost),
        ("shortfall_stability", r.shortfall_stability),
        ("deal_trust_gain", r.deal_trust_gain),
        ("sanctions_relief_capital", r.sanctions_relief_capital),
        ("defence_shortfall_score", r.defence_shortfall_score),
        ("offtake_premium", r.offtake_premium),
        ("licensing.leakage_markup", r.licensing.leakage_markup),
    ] {
        c.non_negative(&format!("rules.{name}"), v);
    }
    for (name, t) in [
        ("licensing.first_pass", &r.licensing.first_pass),
        ("licensing.max_pass", &r.licensing.max_pass),
    ] {
        for (to, v) in [
            ("us", t.us),
            ("china", t.china),
            ("russia", t.russia),
            ("outside", t.outside),
        ] {
            c.range(&format!("rules.{name}.{to}"), v, 0.0, 1.0);
        }
    }
    c.range("rules.research_scale", r.research_scale, 1e-6, 1e6);
    c.range("rules.light_yield", r.light_yield, 1e-6, 1.0);
    c.range(
        "rules.magnet_light_per_kt",
        r.magnet_light_per_kt,
        1e-6,
        10.0,
    );
    for (name, v, lo, hi) in [
        ("proposal_turns", r.proposal_turns, 1, 40),
        ("intel_turns", r.intel_turns, 0, 40),
        ("decisive_turns", r.decisive_turns, 1, 200),
        ("decisive_min_turn", r.decisive_min_turn, 0, 1000),
    ] {
        if v < lo || v > hi {
            c.problems
                .push(format!("rules.{name} is {v}, must be {lo}..={hi}"));
        }
    }
    c.range("rules.stability_baseline", r.stability_baseline, 0.0, 100.0);
    c.range("rules.collapse_stability", r.collapse_stability, 0.0, 100.0);
    if r.procurement_cap < 1.0 && r.procurement_cap.is_finite() {
        c.problems
            .push("rules.procurement_cap must be at least 1 (the base price)".into());
    }

    // Market.
    for g in crate::rules::types::Good::ALL {
        let p = level.market.base_price.get(g);
        if !p.is_finite() || p <= 0.0 {
            c.problems.push(format!(
                "market.base_price.{} must be a positive number, not {p}",
                g.key()
            ));
        }
    }
    c.range(
        "market.demand_elasticity",
        level.market.demand_elasticity,
        0.0,
        5.0,
    );
    c.range(
        "market.supply_elasticity",
        level.market.supply_elasticity,
        0.0,
        5.0,
    );
    let mk = &level.market;
    c.range(
        "market.long_run_elasticity",
        mk.long_run_elasticity,
        0.0,
        5.0,
    );
    c.range("market.adjustment_speed", mk.adjustment_speed, 0.0, 1.0);
    c.range("market.cover_weeks", mk.cover_weeks, 0.0, 52.0);
    c.range("market.hoard_weeks", mk.hoard_weeks, 0.0, 104.0);
    c.range("market.speculation", mk.speculation, 0.0, 3.0);
    c.range("market.max_rise", mk.max_rise, 1.0, 20.0);
    c.range("market.max_fall", mk.max_fall, 0.01, 1.0);
    c.range("market.export_friction", mk.export_friction, 0.0, 1.0);
    c.range(
        "market.china_price_response",
        mk.china_price_response,
        0.0,
        5.0,
    );
    c.range(
        "market.expansion.threshold",
        mk.expansion.threshold,
        0.0,
        100.0,
    );
    c.range(
        "market.expansion.share_per_quarter",
        mk.expansion.share_per_quarter,
        0.0,
        1.0,
    );
    c.range(
        "market.expansion.max_share",
        mk.expansion.max_share,
        0.0,
        1.0,
    );
    for k in FacilityKind::ALL {
        let lag = mk.expansion.lag.get(k);
        if lag == 0 || lag > 200 {
            c.problems.push(format!(
                "market.expansion.lag.{} is {lag}, must be 1..=200",
                kind_key(k)
            ));
        }
    }
    c.sources("market", &level.market.sources, &source_ids);

    // Powers.
    let mut seen = Vec::new();
    for p in &level.powers {
        let w = format!("powers[{}]", p.id.key());
        if seen.contains(&p.id) {
            c.problems
                .push(format!("{} appears twice in powers", p.id.key()));
        }
        seen.push(p.id);
        if !personality::all().contains_key(&p.ai_personality) {
            c.problems.push(format!(
                "{w}.ai_personality \"{}\" is unknown: use one of {}",
                p.ai_personality,
                personality::all()
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        c.finite(&format!("{w}.treasury"), p.treasury);
        c.non_negative(&format!("{w}.income"), p.income);
        c.non_negative(&format!("{w}.debt_limit"), p.debt_limit);
        c.range(
            &format!("{w}.political_capital"),
            p.political_capital,
            0.0,
            100.0,
        );
        c.range(&format!("{w}.stability"), p.stability, 0.0, 100.0);
        c.range(
            &format!("{w}.concentrate_heavy_share"),
            p.concentrate_heavy_share,
            0.0,
            1.0,
        );
        c.goods(&format!("{w}.stockpile"), &p.stockpile);
        c.goods(&format!("{w}.industry_need"), &p.industry_need);
        c.goods(&format!("{w}.defence_need"), &p.defence_need);
        c.goods(&format!("{w}.industrial_output"), &p.industrial_output);
        for g in crate::rules::types::Good::ALL {
            if p.defence_need.get(g) > p.industry_need.get(g) + 1e-12 {
                c.problems.push(format!(
                    "{w}.defence_need.{} is more than the whole industry_need",
                    g.key()
                ));
            }
        }
        c.range(&format!("{w}.need_growth"), p.need_growth, -0.5, 0.5);
        c.range(&format!("{w}.reserve_turns"), p.reserve_turns, 0.0, 12.0);
        for k in FacilityKind::ALL {
            let name = match k {
                FacilityKind::Mine => "mine",
                FacilityKind::SeparationPlant => "separation_plant",
                FacilityKind::MagnetPlant => "magnet_plant",
            };
            c.non_negative(&format!("{w}.unit_cost.{name}"), p.unit_cost.get(k));
            c.non_negative(&format!("{w}.running_cost.{name}"), p.running_cost.get(k));
            if p.construction_turns.get(k) == 0 || p.construction_turns.get(k) > 200 {
                c.problems
                    .push(format!("{w}.construction_turns.{name} must be 1..=200"));
            }
            if p.permitting_turns.get(k) > 200 {
                c.problems
                    .push(format!("{w}.permitting_turns.{name} must be 0..=200"));
            }
        }
        for (field, v) in &p.research {
            c.non_negative(&format!("{w}.research.{}", field.name()), *v);
        }
        if p.objectives.is_empty() {
            c.problems.push(format!("{w} has no objectives"));
        }
        let mut total = 0.0;
        for (i, o) in p.objectives.iter().enumerate() {
            c.range(&format!("{w}.objectives[{i}].weight"), o.weight, 0.0, 100.0);
            c.non_negative(&format!("{w}.objectives[{i}].target"), o.target);
            if o.target == 0.0
                && !matches!(
                    o.kind,
                    ObjectiveKind::ExportControlsLifted { .. }
                        | ObjectiveKind::TariffsLifted { .. }
                        | ObjectiveKind::SanctionsRelief
                        | ObjectiveKind::WarEnded
                )
            {
                c.problems
                    .push(format!("{w}.objectives[{i}].target must be above 0"));
            }
            total += o.weight;
        }
        if total.is_finite() && (total - 100.0).abs() > 0.5 {
            c.problems
                .push(format!("{w} objective weights sum to {total}, not 100"));
        }
        c.sources(&w, &p.sources, &source_ids);
    }
    for id in PowerId::ALL {
        if !seen.contains(&id) {
            c.problems.push(format!(
                "the level has no {} power: all three powers (us, china, russia) are required",
                id.key()
            ));
        }
    }

    // Deposits and sites share one namespace of places.
    let mut places = BTreeSet::new();
    let mut deposits = BTreeSet::new();
    for d in &level.deposits {
        let w = format!("deposit \"{}\"", d.id);
        if !places.insert(d.id.as_str()) {
            c.problems
                .push(format!("place id \"{}\" is used twice", d.id));
        }
        deposits.insert(d.id.as_str());
        c.range(&format!("{w}.position.lat"), d.position.lat, -90.0, 90.0);
        c.range(&format!("{w}.position.lon"), d.position.lon, -180.0, 180.0);
        c.non_negative(&format!("{w}.reserves"), d.reserves);
        c.range(&format!("{w}.heavy_share"), d.heavy_share, 0.0, 1.0);
        c.range(&format!("{w}.cost_factor"), d.cost_factor, 0.01, 100.0);
        c.non_negative(&format!("{w}.max_mine_capacity"), d.max_mine_capacity);
        if let Some(t) = d.front_threshold {
            c.range(&format!("{w}.front_threshold"), t, 0.0, 1.0);
        }
        c.sources(&w, &d.sources, &source_ids);
    }
    for s in &level.sites {
        let w = format!("site \"{}\"", s.id);
        if !places.insert(s.id.as_str()) {
            c.problems
                .push(format!("place id \"{}\" is used twice", s.id));
        }
        c.range(&format!("{w}.position.lat"), s.position.lat, -90.0, 90.0);
        c.range(&format!("{w}.position.lon"), s.position.lon, -180.0, 180.0);
        c.range(&format!("{w}.cost_factor"), s.cost_factor, 0.01, 100.0);
    }

    // Facilities.
    let mut fids = BTreeSet::new();
    for f in &level.facilities {
        let w = format!("facility \"{}\"", f.id);
        if !fids.insert(f.id.as_str()) {
            c.problems
                .push(format!("facility id \"{}\" is used twice", f.id));
        }
        if !places.contains(f.at.as_str()) {
            c.problems.push(format!(
                "{w} stands at unknown deposit or site \"{}\"",
                f.at
            ));
        } else if f.kind == FacilityKind::Mine && !deposits.contains(f.at.as_str()) {
            c.problems
                .push(format!("{w} is a mine but \"{}\" is not a deposit", f.at));
        }
        if !f.capacity.is_finite() || f.capacity <= 0.0 {
            c.problems
                .push(format!("{w}.capacity must be positive, not {}", f.capacity));
        }
        c.non_negative(&format!("{w}.money_left"), f.money_left);
        let mut share = 0.0;
        for (p, s) in &f.partners {
            c.range(&format!("{w} partner {} share", p.key()), *s, 0.0, 1.0);
            if *p == f.owner {
                c.problems.push(format!("{w} lists its owner as a partner"));
            }
            share += s;
        }
        if share > 1.0 {
            c.problems
                .push(format!("{w} partners' shares sum to {share}, above 1"));
        }
        if matches!(
            f.stage,
            Stage::Permitting | Stage::Construction | Stage::Damaged
        ) && f.turns_left == 0
        {
            c.problems
                .push(format!("{w} is in {} but has turns_left 0", f.stage.name()));
        }
        c.sources(&w, &f.sources, &source_ids);
    }

    // Outside suppliers.
    let mut suppliers = BTreeSet::new();
    for s in &level.outside_suppliers {
        let w = format!("outside supplier \"{}\"", s.id);
        if !suppliers.insert(s.id.as_str()) {
            c.problems
                .push(format!("outside supplier id \"{}\" is used twice", s.id));
        }
        c.non_negative(&format!("{w}.mines"), s.mines);
        c.non_negative(&format!("{w}.separation.feed"), s.separation.feed);
        c.non_negative(
            &format!("{w}.separation.light_oxides"),
            s.separation.light_oxides,
        );
        c.non_negative(
            &format!("{w}.separation.heavy_oxides"),
            s.separation.heavy_oxides,
        );
        if s.separation.feed <= 0.0
            && (s.separation.light_oxides > 0.0 || s.separation.heavy_oxides > 0.0)
        {
            c.problems.push(format!(
                "{w}.separation makes oxides but has no feed: give its feed in kt of concentrate a quarter"
            ));
        }
        c.non_negative(&format!("{w}.magnet_plants"), s.magnet_plants);
        c.non_negative(&format!("{w}.offtake_capex"), s.offtake_capex);
        c.goods(&format!("{w}.demand"), &s.demand);
        c.goods(&format!("{w}.strategic_stock"), &s.strategic_stock);
        for (i, k) in s.contracts.iter().enumerate() {
            if !k.qty.is_finite() || k.qty <= 0.0 || k.turns == 0 {
                c.problems.push(format!(
                    "{w}.contracts[{i}] needs a positive qty and at least one turn"
                ));
            }
        }
        c.range(
            &format!("{w}.concentrate_heavy_share"),
            s.concentrate_heavy_share,
            0.0,
            1.0,
        );
        c.range(&format!("{w}.growth"), s.growth, -0.5, 0.5);
        if let Some(g) = s.demand_growth {
            c.range(&format!("{w}.demand_growth"), g, -0.5, 0.5);
        }
        c.range(&format!("{w}.position.lat"), s.position.lat, -90.0, 90.0);
        c.range(&format!("{w}.position.lon"), s.position.lon, -180.0, 180.0);
        c.sources(&w, &s.sources, &source_ids);
    }

    // Relations.
    let mut pairs = BTreeSet::new();
    for r in &level.relations {
        let w = format!("relation {}→{}", r.from.key(), r.to.key());
        if r.from == r.to {
            c.problems
                .push(format!("{w}: a power has no relation with itself"));
        }
        if !pairs.insert((r.from, r.to)) {
            c.problems.push(format!("{w} is given twice"));
        }
        c.range(&format!("{w}.trust"), r.trust, 0.0, 100.0);
        c.range(&format!("{w}.tariff"), r.tariff, 0.0, 2.0);
        c.sources(&w, &r.sources, &source_ids);
    }

    // War.
    let war = &level.war;
    c.range("war.intensity", war.intensity, 0.0, 1.0);
    c.range("war.front", war.front, 0.0, 1.0);
    c.range("war.weariness", war.weariness, 0.0, 1.0);
    if war.us_aid > 3 {
        c.problems
            .push(format!("war.us_aid is {}, must be 0..=3", war.us_aid));
    }
    c.sources("war", &war.sources, &source_ids);
    let wp = &war.params;
    for (name, v) in [
        ("drift", wp.drift),
        ("aid_effect", wp.aid_effect),
        ("noise", wp.noise),
        ("aid_cost", wp.aid_cost),
        ("war_cost", wp.war_cost),
        ("weariness_rate", wp.weariness_rate),
        ("weariness_stability", wp.weariness_stability),
    ] {
        c.non_negative(&format!("war.params.{name}"), v);
    }
    for (name, v) in [
        ("ukraine_bound", wp.ukraine_bound),
        ("guarantee_bonus", wp.guarantee_bonus),
        ("ceasefire_break", wp.ceasefire_break),
        ("mediation_ceasefire", wp.mediation_ceasefire),
        ("support_discount", wp.support_discount),
    ] {
        c.range(&format!("war.params.{name}"), v, 0.0, 1.0);
    }

    // Events.
    let mut cards = BTreeSet::new();
    for e in &level.events {
        if !cards.insert(e.id.as_str()) {
            c.problems
                .push(format!("event id \"{}\" is used twice", e.id));
        }
    }
    for e in &level.events {
        let w = format!("event \"{}\"", e.id);
        c.range(&format!("{w}.probability"), e.probability, 0.0, 1.0);
        if e.effects.is_empty() {
            c.problems.push(format!("{w} has no effects"));
        }
        c.sources(&w, &e.sources, &source_ids);
        for cond in &e.conditions {
            match cond {
                Condition::EventHappened(id) | Condition::EventNotHappened(id)
                    if !cards.contains(id.as_str()) =>
                {
                    c.problems
                        .push(format!("{w} refers to unknown event \"{id}\""));
                }
                Condition::FrontAtLeast(v) | Condition::FrontAtMost(v) => {
                    c.range(&format!("{w} front condition"), *v, 0.0, 1.0)
                }
                Condition::PriceAbove(_, v) | Condition::PriceBelow(_, v) => {
                    c.non_negative(&format!("{w} price condition"), *v)
                }
                Condition::TariffAtLeast { rate, .. } => {
                    c.non_negative(&format!("{w} tariff condition"), *rate)
                }
                Condition::StabilityBelow(_, v) | Condition::TreasuryBelow(_, v) => {
                    c.finite(&format!("{w} condition"), *v)
                }
                Condition::TrustAtLeast(_, _, v) | Condition::TrustBelow(_, _, v) => {
                    c.range(&format!("{w} trust condition"), *v, 0.0, 100.0)
                }
                _ => {}
            }
        }
        for eff in &e.effects {
            match eff {
                Effect::OpenTo { at, .. } if !places.contains(at.as_str()) => {
                    c.problems
                        .push(format!("{w} opens unknown deposit or site \"{at}\""));
                }
                Effect::DamageAt { at, .. } if !places.contains(at.as_str()) => {
                    c.problems
                        .push(format!("{w} damages unknown deposit or site \"{at}\""));
                }
                Effect::SupplyShock {
                    supplier, factor, ..
                } => {
                    if !suppliers.contains(supplier.as_str()) {
                        c.problems.push(format!(
                            "{w} shocks unknown outside supplier \"{supplier}\""
                        ));
                    }
                    c.range(&format!("{w} supply factor"), *factor, 0.0, 10.0);
                }
                Effect::DemandShock { factor, .. } | Effect::NeedFactor(_, factor) => {
                    c.range(&format!("{w} factor"), *factor, 0.0, 10.0)
                }
                Effect::Treasury(_, v)
                | Effect::Stability(_, v)
                | Effect::PoliticalCapital(_, v)
                | Effect::Trust(_, _, v)
                | Effect::Stockpile(_, _, v)
                | Effect::FrontShift(v)
                | Effect::WarIntensity(v) => c.finite(&format!("{w} effect"), *v),
                Effect::SetTariff { rate, .. } => c.range(&format!("{w} tariff"), *rate, 0.0, 2.0),
                Effect::SetExportControlOn { buyer, .. } if !suppliers.contains(buyer.as_str()) => {
                    c.problems.push(format!(
                        "{w} puts controls on unknown outside buyer \"{buyer}\""
                    ));
                }
                _ => {}
            }
        }
    }
    for (i, h) in level.history.iter().enumerate() {
        let w = format!("history[{i}]");
        if !(h.price.is_finite() && h.price > 0.0) {
            c.problems
                .push(format!("{w}.price is {}, must be above 0", h.price));
        }
        c.sources(&w, std::slice::from_ref(&h.source), &source_ids);
    }
    c.problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_level_parses_and_checks() {
        for (file, text) in BUNDLED {
            if let Err(e) = parse_level(file, text) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse_level("x.ron", "Level(\n  id: \"a\",\n  bogus_field: 1,\n)").unwrap_err();
        let e = &err.0[0];
        assert_eq!(e.position.map(|p| p.0), Some(3));
        assert!(e.message.contains("bogus_field"), "{}", e.message);
        assert!(e.to_string().starts_with("x.ron:3:"), "{e}");
    }

    #[test]
    fn level_values_that_would_overflow_or_divide_by_zero_are_refused() {
        let mut level = bundled("2025-trade-war").unwrap();
        level.rules.proposal_turns = u32::MAX;
        level.rules.light_yield = 0.0;
        let problems = check_level(&level);
        assert!(
            problems.iter().any(|p| p.contains("proposal_turns")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("light_yield")),
            "{problems:?}"
        );
    }
}
