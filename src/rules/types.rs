//! Plain value types shared by the whole engine: powers, goods, stages, levels of policy.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the three playable powers, written in lower case. (The order here is
/// the stable order used everywhere determinism matters: iteration,
/// tie-breaks, hashing.)
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PowerId {
    Us,
    China,
    Russia,
}

impl PowerId {
    pub const ALL: [PowerId; 3] = [PowerId::Us, PowerId::China, PowerId::Russia];

    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case key used by the CLI and JSON output.
    pub fn key(self) -> &'static str {
        match self {
            PowerId::Us => "us",
            PowerId::China => "china",
            PowerId::Russia => "russia",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PowerId::Us => "United States",
            PowerId::China => "China",
            PowerId::Russia => "Russia",
        }
    }

    /// Adjective for sentences: "the Russian player".
    pub fn adjective(self) -> &'static str {
        match self {
            PowerId::Us => "American",
            PowerId::China => "Chinese",
            PowerId::Russia => "Russian",
        }
    }

    pub fn parse(s: &str) -> Option<PowerId> {
        match s.to_ascii_lowercase().as_str() {
            "us" | "usa" | "united states" => Some(PowerId::Us),
            "china" | "cn" => Some(PowerId::China),
            "russia" | "ru" => Some(PowerId::Russia),
            _ => None,
        }
    }

    pub fn others(self) -> impl Iterator<Item = PowerId> {
        PowerId::ALL.into_iter().filter(move |p| *p != self)
    }
}

impl fmt::Display for PowerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A value for each power, indexed by [`PowerId`].
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct PerPower<T>(pub [T; 3]);

impl<T> std::ops::Index<PowerId> for PerPower<T> {
    type Output = T;
    fn index(&self, p: PowerId) -> &T {
        &self.0[p.index()]
    }
}

impl<T> std::ops::IndexMut<PowerId> for PerPower<T> {
    fn index_mut(&mut self, p: PowerId) -> &mut T {
        &mut self.0[p.index()]
    }
}

/// The four traded goods of the supply chain. Quantities are kilotonnes per
/// quarter: concentrate and oxides in kt of rare-earth oxide (REO), magnets in kt
/// of finished NdFeB magnet.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Good {
    /// Mixed rare-earth ore concentrate (kt REO).
    Concentrate,
    /// Separated light oxides, priced as NdPr oxide (kt).
    LightOxides,
    /// Separated heavy oxides, Dy/Tb — the real choke point (kt).
    HeavyOxides,
    /// Sintered NdFeB permanent magnets (kt).
    Magnets,
}

impl Good {
    pub const ALL: [Good; 4] = [
        Good::Concentrate,
        Good::LightOxides,
        Good::HeavyOxides,
        Good::Magnets,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn key(self) -> &'static str {
        match self {
            Good::Concentrate => "concentrate",
            Good::LightOxides => "light_oxides",
            Good::HeavyOxides => "heavy_oxides",
            Good::Magnets => "magnets",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Good::Concentrate => "ore concentrate",
            Good::LightOxides => "NdPr oxide",
            Good::HeavyOxides => "Dy/Tb oxide",
            Good::Magnets => "magnets",
        }
    }

    pub fn parse(s: &str) -> Option<Good> {
        match s.to_ascii_lowercase().as_str() {
            "concentrate" => Some(Good::Concentrate),
            "light" | "light_oxides" | "ndpr" => Some(Good::LightOxides),
            "heavy" | "heavy_oxides" | "dytb" => Some(Good::HeavyOxides),
            "magnets" | "magnet" => Some(Good::Magnets),
            _ => None,
        }
    }
}

impl fmt::Display for Good {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A value for each good, indexed by [`Good`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PerGood<T>(pub [T; 4]);

impl<T> std::ops::Index<Good> for PerGood<T> {
    type Output = T;
    fn index(&self, g: Good) -> &T {
        &self.0[g.index()]
    }
}

impl<T> std::ops::IndexMut<Good> for PerGood<T> {
    fn index_mut(&mut self, g: Good) -> &mut T {
        &mut self.0[g.index()]
    }
}

/// Where a quantity of a good came from (for supply-security accounting), or
/// where exports go: one of the powers, or the world outside them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Origin {
    Power(PowerId),
    Outside,
}

impl Origin {
    pub const ALL: [Origin; 4] = [
        Origin::Power(PowerId::Us),
        Origin::Power(PowerId::China),
        Origin::Power(PowerId::Russia),
        Origin::Outside,
    ];

    pub fn index(self) -> usize {
        match self {
            Origin::Power(p) => p.index(),
            Origin::Outside => 3,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Origin::Power(p) => p.name(),
            Origin::Outside => "outside suppliers",
        }
    }
}

/// Shares of a stock by origin (US, China, Russia, outside); sums to 1 when the
/// stock is non-empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OriginMix(pub [f64; 4]);

impl OriginMix {
    pub fn pure(origin: Origin) -> Self {
        let mut m = [0.0; 4];
        m[origin.index()] = 1.0;
        OriginMix(m)
    }

    pub fn share(&self, origin: Origin) -> f64 {
        self.0[origin.index()]
    }

    /// Blend `self` (weighing `qty_self`) with `other` (weighing `qty_other`).
    pub fn blend(&self, qty_self: f64, other: &OriginMix, qty_other: f64) -> OriginMix {
        let total = qty_self + qty_other;
        if total <= 1e-12 {
            return *other;
        }
        let mut m = [0.0; 4];
        for (i, v) in m.iter_mut().enumerate() {
            *v = (self.0[i] * qty_self + other.0[i] * qty_other) / total;
        }
        OriginMix(m)
    }
}

/// The three kinds of facility, from ore to magnet.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum FacilityKind {
    /// Turns a deposit's ore into concentrate.
    Mine,
    /// Splits concentrate into light and heavy oxides.
    SeparationPlant,
    /// Turns oxides into NdFeB magnets.
    MagnetPlant,
}

impl FacilityKind {
    pub const ALL: [FacilityKind; 3] = [
        FacilityKind::Mine,
        FacilityKind::SeparationPlant,
        FacilityKind::MagnetPlant,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            FacilityKind::Mine => "mine",
            FacilityKind::SeparationPlant => "separation plant",
            FacilityKind::MagnetPlant => "magnet plant",
        }
    }

    pub fn parse(s: &str) -> Option<FacilityKind> {
        match s.to_ascii_lowercase().as_str() {
            "mine" => Some(FacilityKind::Mine),
            "separation" | "separation_plant" | "refinery" => Some(FacilityKind::SeparationPlant),
            "magnet" | "magnet_plant" | "magnets" => Some(FacilityKind::MagnetPlant),
            _ => None,
        }
    }

    /// The good a facility of this kind produces (oxides for separation: both).
    pub fn output(self) -> Good {
        match self {
            FacilityKind::Mine => Good::Concentrate,
            FacilityKind::SeparationPlant => Good::LightOxides,
            FacilityKind::MagnetPlant => Good::Magnets,
        }
    }
}

impl fmt::Display for FacilityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Life cycle of a facility.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Stage {
    /// Funded, waiting for the first permitting step next turn.
    Planned,
    /// Waiting for permits: `turns_left` turns, then building starts.
    Permitting,
    /// Being built: `turns_left` turns, paying `money_left` as it goes.
    Construction,
    /// Working at its capacity.
    Operating,
    /// Out of action after an accident or attack; repaired over time.
    Damaged,
    /// Stopped by its owner (or for lack of money); no running costs.
    Idle,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Planned => "planned",
            Stage::Permitting => "permitting",
            Stage::Construction => "construction",
            Stage::Operating => "operating",
            Stage::Damaged => "damaged",
            Stage::Idle => "idle",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Export-control level a power applies to one good for one target.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
pub enum ExportLevel {
    /// No controls.
    #[default]
    None,
    /// Licences required: only part of the flow gets through, with delay.
    Licensing,
    /// No exports at all.
    Embargo,
}

impl ExportLevel {
    pub fn name(self) -> &'static str {
        match self {
            ExportLevel::None => "none",
            ExportLevel::Licensing => "licensing",
            ExportLevel::Embargo => "embargo",
        }
    }

    pub fn parse(s: &str) -> Option<ExportLevel> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Some(ExportLevel::None),
            "licensing" | "licence" | "license" => Some(ExportLevel::Licensing),
            "embargo" => Some(ExportLevel::Embargo),
            _ => None,
        }
    }
}

/// Sanctions level one power imposes on another.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
pub enum SanctionsLevel {
    /// No sanctions.
    #[default]
    None,
    /// Targeted sanctions: state firms and finance; trade costs more and is slower.
    Targeted,
    /// Full sanctions: no trade, no joint ventures.
    Full,
}

impl SanctionsLevel {
    pub fn name(self) -> &'static str {
        match self {
            SanctionsLevel::None => "none",
            SanctionsLevel::Targeted => "targeted",
            SanctionsLevel::Full => "full",
        }
    }

    pub fn parse(s: &str) -> Option<SanctionsLevel> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Some(SanctionsLevel::None),
            "targeted" => Some(SanctionsLevel::Targeted),
            "full" => Some(SanctionsLevel::Full),
            _ => None,
        }
    }
}

/// The state of the war in Ukraine.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum WarStatus {
    /// The fighting goes on: the front moves each turn.
    Active,
    /// The front is frozen; each turn the ceasefire may break down.
    Ceasefire,
    /// The war is over for the rest of the game.
    Peace,
}

impl WarStatus {
    pub fn name(self) -> &'static str {
        match self {
            WarStatus::Active => "active",
            WarStatus::Ceasefire => "ceasefire",
            WarStatus::Peace => "peace",
        }
    }
}

/// What Russia does with its forces this turn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum WarPosture {
    /// Push harder: the front moves faster, at more cost and weariness.
    Escalate,
    /// Hold the line (the default).
    #[default]
    Hold,
    /// Ease off: the front moves less, a ceasefire becomes likelier.
    DeEscalate,
}

impl WarPosture {
    pub fn name(self) -> &'static str {
        match self {
            WarPosture::Escalate => "escalate",
            WarPosture::Hold => "hold the line",
            WarPosture::DeEscalate => "de-escalate",
        }
    }
}

/// China's stance on the war.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ChinaStance {
    /// Buys Russia's exports cheaply: props Russia up, deepens its dependence.
    SupportRussia,
    /// Stays out of it (the default).
    #[default]
    Neutral,
    /// Pushes both sides to talk: raises the chance of a ceasefire.
    Mediate,
}

impl ChinaStance {
    pub fn name(self) -> &'static str {
        match self {
            ChinaStance::SupportRussia => "support Russia",
            ChinaStance::Neutral => "neutral",
            ChinaStance::Mediate => "mediate",
        }
    }
}

/// The fields a power can fund research in.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum ResearchField {
    /// Recovers rare earths from scrapped magnets.
    Recycling,
    /// Less heavy rare earth per magnet.
    Substitution,
    /// Processing know-how: cheaper, faster separation plants.
    Processing,
}

impl ResearchField {
    pub const ALL: [ResearchField; 3] = [
        ResearchField::Recycling,
        ResearchField::Substitution,
        ResearchField::Processing,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            ResearchField::Recycling => "recycling",
            ResearchField::Substitution => "substitution",
            ResearchField::Processing => "processing know-how",
        }
    }

    pub fn parse(s: &str) -> Option<ResearchField> {
        match s.to_ascii_lowercase().as_str() {
            "recycling" => Some(ResearchField::Recycling),
            "substitution" => Some(ResearchField::Substitution),
            "processing" => Some(ResearchField::Processing),
            _ => None,
        }
    }
}

/// A position on the world map, in degrees: `(lat: 35.48, lon: -115.53)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LatLon {
    /// Latitude, -90 (south) to 90 (north).
    pub lat: f64,
    /// Longitude, -180 (west) to 180 (east).
    pub lon: f64,
}

/// Quarter label for a turn: turn 1 of a game starting Q1 2025 is "Q1 2025".
pub fn quarter_label(start_year: i32, start_quarter: u8, turn: u32) -> String {
    let (year, q) = turn_quarter(start_year, start_quarter, turn);
    format!("Q{q} {year}")
}

/// Year and quarter (1..=4) of a turn.
pub fn turn_quarter(start_year: i32, start_quarter: u8, turn: u32) -> (i32, u8) {
    let q0 = (start_quarter as i64 - 1) + (turn as i64 - 1);
    let year = start_year as i64 + q0.div_euclid(4);
    (year as i32, (q0.rem_euclid(4) + 1) as u8)
}

/// A month of a real date, written `"2025-05"` in level files: when a real
/// event happened, so its card never fires before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MonthDate {
    pub year: i32,
    /// 1..=12
    pub month: u8,
}

impl MonthDate {
    const MONTHS: [&'static str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    /// Quarter (1..=4) the month falls in.
    pub fn quarter(self) -> u8 {
        (self.month - 1) / 3 + 1
    }

    /// "May 2025".
    pub fn words(self) -> String {
        format!("{} {}", Self::MONTHS[(self.month - 1) as usize], self.year)
    }

    /// Parse `"2025-05"`.
    pub fn parse(s: &str) -> Result<MonthDate, String> {
        let bad = || format!("\"{s}\" is not a month: write it as \"2025-05\" (year-month)");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || y.len() != 4 {
            return Err(bad());
        }
        Ok(MonthDate { year, month })
    }

    /// Compare with the quarter of a turn: negative before, 0 within, positive after.
    pub fn quarters_until(self, year: i32, quarter: u8) -> i64 {
        (self.year as i64 * 4 + self.quarter() as i64) - (year as i64 * 4 + quarter as i64)
    }
}

impl fmt::Display for MonthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for MonthDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Written as a text, `"2025-05"`: the schema says so, for the level reference.
impl JsonSchema for MonthDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MonthDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}$",
            "description": "A month, written as a text \"YEAR-MONTH\": \"2025-05\" is May 2025.",
        })
    }
}

impl<'de> Deserialize<'de> for MonthDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        MonthDate::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_labels_roll_over_years() {
        assert_eq!(quarter_label(2025, 1, 1), "Q1 2025");
        assert_eq!(quarter_label(2025, 1, 5), "Q1 2026");
        assert_eq!(quarter_label(2025, 3, 3), "Q1 2026");
        assert_eq!(quarter_label(2025, 1, 44), "Q4 2035");
    }

    #[test]
    fn month_dates_parse_and_fall_in_quarters() {
        let d = MonthDate::parse("2025-05").unwrap();
        assert_eq!(d.quarter(), 2);
        assert_eq!(d.words(), "May 2025");
        assert_eq!(d.to_string(), "2025-05");
        assert_eq!(d.quarters_until(2025, 2), 0);
        assert_eq!(d.quarters_until(2025, 1), 1);
        assert_eq!(d.quarters_until(2026, 1), -3);
        for bad in ["2025", "2025-13", "May 2025", "25-05", "2025-00"] {
            assert!(MonthDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn origin_blend_weighs_quantities() {
        let a = OriginMix::pure(Origin::Power(PowerId::China));
        let b = OriginMix::pure(Origin::Outside);
        let m = a.blend(3.0, &b, 1.0);
        assert!((m.share(Origin::Power(PowerId::China)) - 0.75).abs() < 1e-12);
        assert!((m.share(Origin::Outside) - 0.25).abs() < 1e-12);
    }
}
