//! The level file format: everything a teacher may change, as RON. The
//! types are the rules' own parameters (the engine reads them, `level`
//! parses and checks files into them), so they live with the rules.
//!
//! Every struct refuses unknown fields so a typo is an error, not a silent
//! default. Rule parameters have calibrated defaults, so a level only states
//! what it changes.
//!
//! The doc comments here are the level reference: `docs/levels.md` is made
//! from them (`rare-earth-gambit docs levels`), so they speak to a teacher
//! writing a level in RON, with units, allowed values and examples.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::types::{
    ChinaStance, ExportLevel, FacilityKind, Good, LatLon, MonthDate, Origin, PowerId,
    ResearchField, SanctionsLevel, Stage, WarPosture, WarStatus,
};

/// How level files are read: `Option` fields take a bare value.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// A whole level: the file is one record `( id: "...", title: "...", ... )`.
/// Fields may come in any order; a field with a default may be left out.
pub struct Level {
    /// Stable id, usually the file name without `.ron`: `"2025-trade-war"`.
    pub id: String,
    /// The name in the level picker: `"Classroom: Magnets and Power, 2025-2027"`.
    pub title: String,
    /// One line for menus, under the title.
    pub summary: String,
    /// `"tutorial"`, `"easy"`, `"normal"` or `"hard"`: shown in the level picker.
    /// A `"tutorial"` level needs `tutorial` steps.
    pub difficulty: String,
    /// Year of the first turn: `2025`. The game's figures are calibrated for
    /// 2025–2035; `validate` warns about a year far from that.
    pub start_year: i32,
    /// Quarter of the first turn, 1 to 4 (`1` = January to March).
    pub start_quarter: u8,
    /// Number of turns, 1 to 200; one turn is one quarter (`12` = three years).
    pub turns: u32,
    /// Year the starting figures describe (`2024` for figures published in
    /// 2025). It should not be after `start_year`.
    pub data_as_of: i32,
    /// What the players read before the game: the situation, each power's
    /// goals, what to learn and the claim to test.
    pub briefing: Briefing,
    /// Sources the figures come from; other parts cite them by `id`.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Rule constants. Leave it out, or give only the ones you change:
    /// `rules: (action_points: 4)`.
    #[serde(default)]
    pub rules: RulesParams,
    /// The world market's prices and how outside buyers and sellers answer them.
    pub market: MarketSetup,
    /// The three powers, `us`, `china` and `russia`: each exactly once.
    pub powers: Vec<PowerSetup>,
    /// Rare-earth deposits: where mines can be built.
    pub deposits: Vec<DepositSetup>,
    /// Industrial sites: where separation and magnet plants can be built.
    #[serde(default)]
    pub sites: Vec<SiteSetup>,
    /// Mines and plants that exist (or are being built) at the start.
    #[serde(default)]
    pub facilities: Vec<FacilitySetup>,
    /// Countries that are not players (Australia, Myanmar, ...): they sell and
    /// buy on the world market.
    #[serde(default)]
    pub outside_suppliers: Vec<OutsideSupplierSetup>,
    /// Trust, tariffs, export controls and sanctions between the powers at
    /// the start, one entry per direction (`from: us, to: china` and
    /// `from: china, to: us` are two entries). A pair left out has trust 50
    /// and no tariff, control or sanctions.
    #[serde(default)]
    pub relations: Vec<RelationSetup>,
    /// The war in Ukraine at the start, and how it moves.
    pub war: WarSetup,
    /// The event deck: cards drawn by chance each turn, or fired by the teacher.
    #[serde(default)]
    pub events: Vec<EventCard>,
    /// Steps a first-time player is walked through, each checked before the
    /// next (tutorial levels).
    #[serde(default)]
    pub tutorial: Vec<TutorialStep>,
    /// Prices observed in history, for a backtest: `rare-earth-gambit
    /// backtest --level L` plays the level with passive seats and sets the
    /// game's prices beside these, in a table and a chart. A level with
    /// history may start in any year. Example: `(date: "2011-08", good:
    /// HeavyOxides, price: 2377.0, source: "gta-japan-2010")`.
    #[serde(default)]
    pub history: Vec<HistoricalPrice>,
}

/// A price observed in history: `(date: "2012-12", good: HeavyOxides,
/// price: 615.0, source: "usgs-mcs-2016", note: "year-end")`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoricalPrice {
    /// The month the price was observed, `"2011-08"` (for an average over a
    /// year, its middle: `"2008-07"`).
    pub date: MonthDate,
    /// Which good: for `HeavyOxides` the level says in its market's notes
    /// which oxide it prices (dysprosium in the 2010 backtest).
    pub good: Good,
    /// US$/kg, above 0.
    pub price: f64,
    /// `true`: China's domestic price; `false` (the default): the price
    /// outside China (export, FOB or European traders' quotes).
    #[serde(default)]
    pub in_china: bool,
    /// Id of the source in the level's `sources`.
    pub source: String,
    /// A few words on what the figure is: `"2008 average"`, `"year-end"`.
    #[serde(default)]
    pub note: String,
}

/// One step of a tutorial: what to do, where, and how the game knows it
/// was done: `(title: "Fund a mine", text: "...", hint: "Click a deposit.",
/// check: Fund(Mine))`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TutorialStep {
    /// The step's heading.
    pub title: String,
    /// What to do and why, a short paragraph.
    pub text: String,
    /// Where to do it, shown while the step is not done yet.
    #[serde(default)]
    pub hint: String,
    /// What the game waits for before the next step: `check: Fund(Mine)`.
    pub check: StepCheck,
}

/// What a tutorial step waits for. Orders count once queued. Example:
/// `check: Sell(Concentrate)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum StepCheck {
    /// Nothing: the player reads and goes on.
    Read,
    /// Fund a facility of this kind.
    Fund(FacilityKind),
    /// Place a sell order for this good.
    Sell(Good),
    /// Place a buy order for this good.
    Buy(Good),
    /// Propose a deal to another power.
    ProposeDeal,
    /// Change a tariff, an export control or sanctions.
    TradePolicy,
    /// Fund research.
    Research,
    /// End the turn.
    EndTurn,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// The briefing every player reads before the game (and from the top bar
/// during it). Texts are in double quotes; write `\"` for a quote inside a
/// text, and a blank line between paragraphs.
pub struct Briefing {
    /// The situation at the start, a few paragraphs.
    pub situation: String,
    /// The United States' goals, in words (the scored objectives are in `powers`).
    pub us: String,
    /// China's goals, in words.
    pub china: String,
    /// Russia's goals, in words.
    pub russia: String,
    /// What students should be able to do after the game, one text each:
    /// `["Explain why separation is the choke point."]`. `validate` warns
    /// when there are none.
    #[serde(default)]
    pub learning_objectives: Vec<String>,
    /// The argument the level lets students test, stated as one view. The
    /// debrief asks whether the game supported it. `validate` warns when it is empty.
    #[serde(default)]
    pub thesis: String,
    /// Arguments against the thesis, one text each. `validate` warns when
    /// there are none.
    #[serde(default)]
    pub counter_arguments: Vec<String>,
}

impl Briefing {
    pub fn goals(&self, power: PowerId) -> &str {
        match power {
            PowerId::Us => &self.us,
            PowerId::China => &self.china,
            PowerId::Russia => &self.russia,
        }
    }
}

/// A cited source; figures in the level name the sources they come from
/// (`sources: ["usgs-mcs-2025"]`), and the briefing lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short name other parts cite it by: `"usgs-mcs-2025"`.
    pub id: String,
    /// Full title as shown in the briefing.
    pub title: String,
    /// Web address, if any.
    #[serde(default)]
    pub url: String,
    /// Year the figures describe: `2024`.
    pub data_as_of: i32,
    /// The facts this level takes from the source, in words.
    #[serde(default)]
    pub facts: Vec<String>,
    /// `true` marks figures repeated widely but not confirmed.
    #[serde(default)]
    pub reported: bool,
}

/// Tunable rule constants, written `rules: (action_points: 4, ...)`. Every
/// one has the calibrated value of the full game as its default: give only
/// those you change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RulesParams {
    /// Orders a power may give each turn that cost an action point (building,
    /// policies, deals, research; market orders are free), 1 to 10.
    pub action_points: u32,
    /// kt of NdPr oxide per kt REO of concentrate separated (0.2 = 20%).
    pub light_yield: f64,
    /// Share of the concentrate's heavy (Dy/Tb) content recovered as Dy/Tb
    /// oxide, 0 to 1.
    pub heavy_recovery: f64,
    /// US$/kg earned for the cerium and lanthanum by-products of separation.
    pub byproduct_price: f64,
    /// kt of NdPr oxide used per kt of magnets made.
    pub magnet_light_per_kt: f64,
    /// kt of Dy/Tb oxide used per kt of magnets, before substitution research.
    pub magnet_heavy_per_kt: f64,
    /// Export licences: how much gets through, to whom, and how fast it rises.
    pub licensing: LicensingParams,
    /// Share of a flow that gets through targeted sanctions, 0 to 1.
    pub targeted_sanctions_pass: f64,
    /// Automatic buying for industry pays at most this multiple of the base
    /// price (at least 1).
    pub procurement_cap: f64,
    /// Storage cost per turn as a share of a stockpile's value (0.005 = 0.5%).
    pub storage_cost: f64,
    /// Extra money on a facility, as a multiple of its cost, that removes half
    /// of its remaining time (a speed-up order).
    pub speedup_half_money: f64,
    /// Political capital (0–100 scale) a permit reform costs.
    pub permit_reform_cost: f64,
    /// Chance a permit reform causes a backlash, 0 to 1.
    pub permit_reform_backlash: f64,
    /// Share of remaining permitting time a reform removes, 0 to 1.
    pub permit_reform_cut: f64,
    /// Trust (0–100) lost with the partner when a power breaks a deal.
    pub breach_trust_penalty: f64,
    /// Political capital a power loses when it breaks a deal.
    pub breach_capital_penalty: f64,
    /// Political capital regained each turn.
    pub capital_regen: f64,
    /// US$ bn a research field needs to reach about 63% of its effect.
    pub research_scale: f64,
    /// Largest share of magnet needs met by recycling at full research, 0 to 1.
    pub recycling_max: f64,
    /// Largest cut of Dy/Tb oxide per magnet at full research, 0 to 1.
    pub substitution_max: f64,
    /// Largest cut of separation-plant cost and time at full research, 0 to 1.
    pub processing_max: f64,
    /// US$ bn an intelligence operation costs.
    pub intel_cost: f64,
    /// Turns an intelligence operation keeps another power's figures exact.
    pub intel_turns: u32,
    /// Relative error of estimates of other powers' figures without
    /// intelligence (0.3 = ±30%).
    pub estimate_error: f64,
    /// Relative error with fresh intelligence.
    pub intel_error: f64,
    /// Stability (0–100) lost per turn when no industry need is met at all;
    /// half of it when half is not met.
    pub shortfall_stability: f64,
    /// Share of the industrial output lost to a shortfall that the
    /// rare-earth programme pays for (emergency support, lost taxes).
    pub shortfall_treasury_share: f64,
    /// Score points lost in a turn when none of a power's defence needs are met.
    pub defence_shortfall_score: f64,
    /// Share of a new facility's cost that private money covers while the
    /// power guarantees a price floor for that facility's output (as the
    /// Pentagon's 2025 NdPr floor brought $1 bn of bank financing to MP).
    pub price_floor_private_share: f64,
    /// Outside suppliers sign offtake contracts at the price outside China
    /// plus this share.
    pub offtake_premium: f64,
    /// Stability (0–100) drifts back toward this level each turn.
    pub stability_baseline: f64,
    /// A power collapses and is out of the game when its stability drops to
    /// this level (0–100).
    pub collapse_stability: f64,
    /// Average objective progress (0 to 1) needed for a decisive victory.
    pub decisive_progress: f64,
    /// Turns in a row of it needed to win decisively.
    pub decisive_turns: u32,
    /// Decisive victory is not possible before this turn.
    pub decisive_min_turn: u32,
    /// Turns a proposal stays open.
    pub proposal_turns: u32,
    /// Trust gained by both sides when a deal is accepted.
    pub deal_trust_gain: f64,
    /// Political capital the US spends to get sanctions relief for Russia
    /// past Congress.
    pub sanctions_relief_capital: f64,
}

impl Default for RulesParams {
    fn default() -> Self {
        RulesParams {
            action_points: 3,
            light_yield: 0.2,
            heavy_recovery: 0.9,
            byproduct_price: 2.0,
            magnet_light_per_kt: 0.3,
            magnet_heavy_per_kt: 0.01,
            licensing: LicensingParams::default(),
            targeted_sanctions_pass: 0.6,
            procurement_cap: 8.0,
            storage_cost: 0.005,
            speedup_half_money: 0.5,
            permit_reform_cost: 20.0,
            permit_reform_backlash: 0.3,
            permit_reform_cut: 0.5,
            breach_trust_penalty: 25.0,
            breach_capital_penalty: 15.0,
            capital_regen: 4.0,
            research_scale: 1.0,
            recycling_max: 0.25,
            substitution_max: 0.6,
            processing_max: 0.4,
            intel_cost: 0.1,
            intel_turns: 4,
            estimate_error: 0.3,
            intel_error: 0.05,
            shortfall_stability: 12.0,
            shortfall_treasury_share: 0.02,
            defence_shortfall_score: 30.0,
            price_floor_private_share: 0.5,
            offtake_premium: 0.15,
            stability_baseline: 60.0,
            collapse_stability: 5.0,
            decisive_progress: 0.95,
            decisive_turns: 6,
            decisive_min_turn: 12,
            proposal_turns: 2,
            deal_trust_gain: 5.0,
            sanctions_relief_capital: 15.0,
        }
    }
}

/// How export licences (MOFCOM Announcement No. 18 of April 2025) let goods
/// through: a share of the normal flow to each destination is licensed, low
/// at first and rising each quarter as licences are granted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LicensingParams {
    /// Share of the normal flow licensed in the first quarter of licensing,
    /// by destination (`outside` = every buyer that is not a power). For the
    /// US 0.25: magnets to the US fell 93% in May 2025 and were still 38%
    /// down in June, the third month (FACTS.md, export controls in 2025).
    pub first_pass: DestinationTable,
    /// Highest share once licences flow, by destination. For the US 0.75:
    /// June 2025's −38% in the third month, and first-half exports only
    /// 18.9% down overall (FACTS.md).
    pub max_pass: DestinationTable,
    /// Each quarter of licensing closes this share of the gap between the
    /// pass rate and `max_pass`.
    pub rise: f64,
    /// Share of a flow blocked to one destination that still reaches it
    /// through third countries (re-export), until the exporter adopts an
    /// extraterritorial rule (China's 0.1% rule of October 2025).
    pub leakage: f64,
    /// Extra cost of goods that reach a buyer through third countries, as a
    /// share of their price.
    pub leakage_markup: f64,
}

impl Default for LicensingParams {
    fn default() -> Self {
        LicensingParams {
            first_pass: DestinationTable {
                us: 0.25,
                china: 0.4,
                russia: 0.6,
                outside: 0.4,
            },
            max_pass: DestinationTable {
                us: 0.75,
                china: 0.85,
                russia: 0.95,
                outside: 0.85,
            },
            rise: 0.45,
            leakage: 0.25,
            leakage_markup: 0.3,
        }
    }
}

impl LicensingParams {
    /// Share licensed to `to` in the `age`-th quarter of licensing (age 1 = the first).
    pub fn pass(&self, to: Origin, age: u32) -> f64 {
        let first = self.first_pass.get(to);
        let max = self.max_pass.get(to).max(first);
        let quarters = age.saturating_sub(1).min(200) as i32;
        max - (max - first) * (1.0 - self.rise).powi(quarters)
    }
}

/// A number per destination: `(us: 0.1, china: 0.4, russia: 0.6, outside: 0.35)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DestinationTable {
    /// Goods bound for the US.
    pub us: f64,
    /// Goods bound for China.
    pub china: f64,
    /// Goods bound for Russia.
    pub russia: f64,
    /// Goods bound for any buyer that is not a power (Japan, Europe, Lynas...).
    pub outside: f64,
}

impl DestinationTable {
    pub fn get(&self, d: Origin) -> f64 {
        match d {
            Origin::Power(PowerId::Us) => self.us,
            Origin::Power(PowerId::China) => self.china,
            Origin::Power(PowerId::Russia) => self.russia,
            Origin::Outside => self.outside,
        }
    }
}

/// A number for each of the four goods, written as a record:
/// `(concentrate: 3.0, light_oxides: 0.275, heavy_oxides: 0.0056, magnets: 1.5)`.
/// A good left out is 0. Quantities are kt (thousand tonnes): concentrate
/// and oxides in kt of rare-earth oxide, magnets in kt of magnet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct GoodsTable {
    /// Mixed rare-earth ore concentrate.
    pub concentrate: f64,
    /// Separated light oxides (NdPr).
    pub light_oxides: f64,
    /// Separated heavy oxides (Dy/Tb).
    pub heavy_oxides: f64,
    /// NdFeB permanent magnets.
    pub magnets: f64,
}

impl GoodsTable {
    pub fn get(&self, g: Good) -> f64 {
        match g {
            Good::Concentrate => self.concentrate,
            Good::LightOxides => self.light_oxides,
            Good::HeavyOxides => self.heavy_oxides,
            Good::Magnets => self.magnets,
        }
    }
}

/// A value for each kind of facility, written as a record:
/// `(mine: 16, separation_plant: 6, magnet_plant: 2)`. All three are needed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "KindTable_of_{T}")]
pub struct KindTable<T> {
    /// For mines.
    pub mine: T,
    /// For separation plants (refineries).
    pub separation_plant: T,
    /// For magnet plants.
    pub magnet_plant: T,
}

impl<T: Copy> KindTable<T> {
    pub fn get(&self, k: FacilityKind) -> T {
        match k {
            FacilityKind::Mine => self.mine,
            FacilityKind::SeparationPlant => self.separation_plant,
            FacilityKind::MagnetPlant => self.magnet_plant,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// The world market: written `market: (base_price: (...), demand_elasticity: 0.5, ...)`.
pub struct MarketSetup {
    /// Starting (and reference) prices, US$/kg: `(concentrate: 5.8,
    /// light_oxides: 60.0, heavy_oxides: 300.0, magnets: 60.0)`. Each must be
    /// above 0. Both price worlds (China's domestic market and the market
    /// outside China) start here; price conditions of event cards are
    /// multiples of these.
    pub base_price: GoodsTable,
    /// Short-run price elasticity of demand (positive number): how much less
    /// industry buys within a quarter when the price doubles. Low: factories
    /// cannot redesign a motor in three months.
    pub demand_elasticity: f64,
    /// Short-run price elasticity of supply: how readily holders of stock
    /// sell more as the price rises. New mines and plants come only through
    /// construction, with lags of quarters to years.
    pub supply_elasticity: f64,
    /// Long-run price elasticity of demand: thrifting, substitution, recycling
    /// and demand destruction once a price stays high (reached over years).
    #[serde(default = "default_long_run_elasticity")]
    pub long_run_elasticity: f64,
    /// Share of the gap to the long-run demand closed each quarter.
    #[serde(default = "default_adjustment_speed")]
    pub adjustment_speed: f64,
    /// Weeks of use buyers keep as working stock.
    #[serde(default = "default_cover_weeks")]
    pub cover_weeks: f64,
    /// Extra weeks of stock buyers try to hold while an exporter's controls
    /// threaten their supply (precautionary buying, as in 2010-11 and 2025).
    #[serde(default = "default_hoard_weeks")]
    pub hoard_weeks: f64,
    /// How hard buyers chase a rising price for their extra stock while an
    /// exporter's controls threaten them, and dump it once the price turns:
    /// their bids for the extra weeks go up to last quarter's price times
    /// last quarter's rise raised to this power. 0 (the default): extra stock
    /// is bought at up to twice the base price and kept while the threat
    /// lasts, as in 2025. 1: traders expect last quarter's rise to repeat, as
    /// in the 2010-11 rush, when dysprosium rose 26 times and then fell.
    #[serde(default)]
    pub speculation: f64,
    /// Largest rise of a price in one quarter, as a multiple (2.5 = up to 2.5 times).
    #[serde(default = "default_max_rise")]
    pub max_rise: f64,
    /// Largest fall of a price in one quarter, as a multiple (0.5 = down to half).
    #[serde(default = "default_max_fall")]
    pub max_fall: f64,
    /// Exporters in China ask at least China's domestic price plus this share
    /// (freight, paperwork): with open trade the two price worlds stay this close.
    #[serde(default = "default_export_friction")]
    pub export_friction: f64,
    /// How strongly China's domestic price answers China's own stocks: each
    /// quarter it moves by (target stock / stock) to this power.
    #[serde(default = "default_china_price_response")]
    pub china_price_response: f64,
    /// New capacity outside the powers: built when the price outside China
    /// stays high, and only after a lag.
    #[serde(default)]
    pub expansion: ExpansionParams,
    /// Ids of the sources of the prices: `["usgs-mcs-2025"]`.
    #[serde(default)]
    pub sources: Vec<String>,
}

fn default_long_run_elasticity() -> f64 {
    0.5
}
fn default_adjustment_speed() -> f64 {
    0.08
}
fn default_cover_weeks() -> f64 {
    6.0
}
fn default_hoard_weeks() -> f64 {
    8.0
}
fn default_max_rise() -> f64 {
    2.5
}
fn default_max_fall() -> f64 {
    0.6
}
fn default_export_friction() -> f64 {
    0.05
}
fn default_china_price_response() -> f64 {
    0.3
}

/// How outside producers (Lynas, Japan's magnet makers, small miners) add
/// capacity when prices stay high.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ExpansionParams {
    /// New capacity is committed while the price outside China is at least
    /// this multiple of the base price.
    pub threshold: f64,
    /// Capacity committed per quarter, as a share of current capacity, for
    /// each unit of price above the threshold (capped at `max_share`).
    pub share_per_quarter: f64,
    /// Most capacity committed in one quarter, as a share of current capacity.
    pub max_share: f64,
    /// Quarters from decision to output, by stage: a mine takes years.
    pub lag: KindTable<u32>,
}

impl Default for ExpansionParams {
    fn default() -> Self {
        ExpansionParams {
            threshold: 1.5,
            share_per_quarter: 0.02,
            max_share: 0.08,
            lag: KindTable {
                mine: 16,
                separation_plant: 10,
                magnet_plant: 6,
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// One of the three powers at the start: its money, politics, stocks,
/// industry, building times and costs, and what it is scored on.
pub struct PowerSetup {
    /// Which power: `us`, `china` or `russia`.
    pub id: PowerId,
    /// US$ bn available to the rare-earth programme.
    pub treasury: f64,
    /// US$ bn per quarter.
    pub income: f64,
    /// How far into debt the power may go, US$ bn (a positive number): below
    /// minus this it is bankrupt and out of the game.
    pub debt_limit: f64,
    /// Political capital, 0–100: spent on policies such as sanctions and
    /// permit reforms, regained each turn.
    pub political_capital: f64,
    /// Stability, 0–100: falls with shortages and war weariness; at
    /// `rules.collapse_stability` the power collapses.
    pub stability: f64,
    /// kt of each good on hand at the start (none may be negative).
    pub stockpile: GoodsTable,
    /// Heavy (Dy/Tb) share of the concentrate on hand, 0 to 1 (0.01 = 1%).
    #[serde(default)]
    pub concentrate_heavy_share: f64,
    /// What the power's industry uses each quarter, kt.
    pub industry_need: GoodsTable,
    /// Growth of needs per quarter (0.01 = 1% a quarter), -0.5 to 0.5.
    pub need_growth: f64,
    /// Part of the industry need that is for defence (kt per quarter): served
    /// first; a defence shortfall costs score.
    #[serde(default)]
    pub defence_need: GoodsTable,
    /// US$ bn of industrial output lost for each kt of a good the industry
    /// lacks in a quarter (cars, motors and weapons that cannot be made).
    #[serde(default)]
    pub industrial_output: GoodsTable,
    /// Turns of use kept as a strategic reserve at the start, beyond the
    /// working stock of one turn, 0 to 12 (0 by default).
    #[serde(default = "default_reserve")]
    pub reserve_turns: f64,
    /// Turns (quarters) of permits before building starts, per kind of
    /// facility, 0 to 200: `(mine: 16, separation_plant: 6, magnet_plant: 2)`.
    pub permitting_turns: KindTable<u32>,
    /// Turns (quarters) of building, per kind of facility, 1 to 200.
    pub construction_turns: KindTable<u32>,
    /// Building cost, US$ bn per kt/quarter of capacity.
    pub unit_cost: KindTable<f64>,
    /// Running cost, US$ bn per kt/quarter of operating capacity, each turn.
    pub running_cost: KindTable<f64>,
    /// US$ bn already invested in each research field: `[(Recycling, 0.5)]`.
    #[serde(default)]
    pub research: Vec<(ResearchField, f64)>,
    /// Export controls on sales to outside buyers (every country that is not
    /// a player): `[(HeavyOxides, Licensing)]`.
    #[serde(default)]
    pub export_controls_outside: Vec<(Good, ExportLevel)>,
    /// What the power is scored on. Weights must sum to 100.
    pub objectives: Vec<ObjectiveSetup>,
    /// Ids of the sources of these figures.
    #[serde(default)]
    pub sources: Vec<String>,
    /// How this power's computer player values things when the AI plays it:
    /// a name from `assets/ai/personalities.ron` (hawk, dealmaker, …).
    #[serde(default = "default_personality")]
    pub ai_personality: String,
    /// The one route out of dependence this power's computer player may
    /// take (the route lab sets it; a level may too): `russia`, `domestic`,
    /// `allies`, `stockpile`, `none`, or `mixed` (every route, the default).
    /// Only the US player reads it.
    #[serde(default, skip_serializing_if = "AiRoute::is_mixed")]
    pub ai_route: AiRoute,
}

/// A doctrine for the US computer player: which route out of dependence on
/// China it may take. Tariffs, talks with China and aid to Ukraine stay
/// open on every route.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AiRoute {
    /// Every route, as the player judges best.
    #[default]
    Mixed,
    /// End the war (ceasefire or peace), ease sanctions and go into mines
    /// with Russia: no building at home, no allies, no stockpile.
    Russia,
    /// Mines, separation and magnet plants at home, a price floor, research.
    Domestic,
    /// Offtakes with allied producers, allies' state stockpiles, mines in
    /// friendly countries.
    Allies,
    /// A strategic stockpile of its own, built before and while squeezed.
    Stockpile,
    /// No route: it only trades and talks (the baseline).
    None,
}

impl AiRoute {
    pub const ALL: [AiRoute; 6] = [
        AiRoute::Russia,
        AiRoute::Domestic,
        AiRoute::Allies,
        AiRoute::Stockpile,
        AiRoute::Mixed,
        AiRoute::None,
    ];

    pub fn is_mixed(&self) -> bool {
        *self == AiRoute::Mixed
    }

    /// The name written in levels and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            AiRoute::Mixed => "mixed",
            AiRoute::Russia => "russia",
            AiRoute::Domestic => "domestic",
            AiRoute::Allies => "allies",
            AiRoute::Stockpile => "stockpile",
            AiRoute::None => "none",
        }
    }

    /// A route by its name.
    pub fn parse(s: &str) -> Option<AiRoute> {
        AiRoute::ALL.into_iter().find(|r| r.key() == s)
    }

    /// Whether a player on this route may take `route`'s moves.
    pub fn allows(self, route: AiRoute) -> bool {
        self == AiRoute::Mixed || self == route
    }
}

fn default_reserve() -> f64 {
    0.0
}

fn default_personality() -> String {
    "balanced".to_string()
}

/// What a power is scored on. Each gives progress 0 to 1 per turn; a power's
/// turn score is the weighted sum, and its game score the mean over turns.
/// Written `kind: SupplySecurity`, or with its power `kind: TariffsLifted(by: us)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub enum ObjectiveKind {
    /// Share of the industry's needs for magnets and oxides met with goods
    /// of no Chinese content (mined, separated and made outside China), by
    /// value; progress is share ÷ target (target 0.3 = 30%).
    SupplySecurity,
    /// Share of the industry's needs met (by value); progress is share ÷
    /// target (target 0.95 = 95%).
    IndustryNeedsMet,
    /// Money in the treasury; progress is treasury ÷ target (target in US$ bn).
    Treasury,
    /// The export controls of `by` on this power lifted: 1 with none on any
    /// good, less for each controlled good (licensing counts half an
    /// embargo). The target is not used (write 0). Example:
    /// `kind: ExportControlsLifted(by: china)`.
    ExportControlsLifted { by: PowerId },
    /// The tariff of `by` on this power at or below the target rate (target
    /// 0.1 = 10%): 1 when it is, less the higher the tariff. Example:
    /// `kind: TariffsLifted(by: us)`.
    TariffsLifted { by: PowerId },
    /// The war in Ukraine ended: 1 for peace, 0.7 for a ceasefire, 0 while it
    /// goes on; halved when Russia holds more than the target share of
    /// Ukraine's deposits (target 0.4 = 40%; 0 = any share). A level that
    /// starts in a ceasefire gives 70% of this at once.
    WarEnded,
    /// Share of the world's separation (refining) output; progress is share
    /// ÷ target (target 0.9 = 90%).
    SeparationShare,
    /// Share of the world's magnet output; progress is share ÷ target.
    MagnetShare,
    /// Share of the world's mine output; progress is share ÷ target.
    MiningShare,
    /// Share of Russia's rare-earth exports (by value) bought by China, plus
    /// 0.2 while China supports Russia in the war; progress is that ÷ target.
    InfluenceOverRussia,
    /// Sanctions on this power lifted: 1 with none, 0.5 under targeted
    /// sanctions, 0 under full sanctions (by whichever power sanctions it
    /// most). The target is not used (write 1).
    SanctionsRelief,
    /// Share of Ukraine's rare-earth deposits (by reserves) the power holds;
    /// progress is share ÷ target (target 0.45 = 45%).
    TerritoryHeld,
    /// Rare-earth export revenue over the last four turns, US$ bn; progress
    /// is revenue ÷ target.
    ExportRevenue,
    /// Stability (0–100); progress is stability ÷ target (target 50).
    Stability,
}

impl ObjectiveKind {
    /// Whether progress on it reads figures other powers cannot see
    /// (treasury, industry needs met), so rivals only estimate it.
    pub fn reads_hidden_figures(&self) -> bool {
        matches!(
            self,
            ObjectiveKind::Treasury | ObjectiveKind::IndustryNeedsMet
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// One scored objective: `(kind: SupplySecurity, weight: 24.0, target: 0.7,
/// description: "Get 70% of your magnets and oxides from outside China.")`.
pub struct ObjectiveSetup {
    /// What is measured (see `ObjectiveKind`).
    pub kind: ObjectiveKind,
    /// Points of the score, 0 to 100; a power's weights must sum to 100.
    pub weight: f64,
    /// The level that counts as fully met, in the kind's unit (a share 0 to
    /// 1, US$ bn, or stability 0–100). Must be above 0 except for the
    /// "lifted" kinds and `WarEnded`.
    pub target: f64,
    /// The objective in words, shown on the score panel and in the debrief.
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// A rare-earth deposit, where a mine can be built.
pub struct DepositSetup {
    /// Short name other parts use: `"mountain-pass"`. Deposits and sites
    /// share one set of names.
    pub id: String,
    /// Name on the map: `"Mountain Pass"`.
    pub name: String,
    /// Country, in words: `"United States"`.
    pub country: String,
    /// Where it is on the map: `(lat: 35.48, lon: -115.53)`.
    pub position: LatLon,
    /// Reserves, kt of rare-earth oxide (1000.0 = one million tonnes).
    pub reserves: f64,
    /// Dy/Tb share of the rare-earth oxide, 0 to 1 (0.005 = 0.5%).
    pub heavy_share: f64,
    /// The power that controls it: `us`, `china` or `russia`. Only that power
    /// may build there (others need a joint-venture deal). Leave it out for
    /// a deposit in a country that is not a player.
    #[serde(default)]
    pub controller: Option<PowerId>,
    /// For a deposit with no `controller`: the powers that may build there
    /// without a deal (allies, open markets): `[us]`. An empty list means
    /// nobody can, until an `OpenTo` event opens it.
    #[serde(default)]
    pub open_to: Vec<PowerId>,
    /// For deposits on the Ukraine front: Russia controls the deposit while
    /// the front index (`war.front`, 0 to 1) is at or above this value, and
    /// Ukraine (nobody in the game) below it: `0.35`.
    #[serde(default)]
    pub front_threshold: Option<f64>,
    /// Multiplier on build cost (remote sites, poor grade): 1.5 = 50% dearer.
    #[serde(default = "one")]
    pub cost_factor: f64,
    /// Largest mine capacity the deposit supports, kt/quarter.
    pub max_mine_capacity: f64,
    /// A remark shown when a player hovers over it.
    #[serde(default)]
    pub note: String,
    /// Ids of the sources of these figures.
    #[serde(default)]
    pub sources: Vec<String>,
}

fn one() -> f64 {
    1.0
}

/// An industrial site for separation and magnet plants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteSetup {
    /// Short name other parts use: `"texas-gulf"`.
    pub id: String,
    /// Name on the map.
    pub name: String,
    /// Country, in words.
    pub country: String,
    /// Where it is on the map: `(lat: 29.7, lon: -95.0)`.
    pub position: LatLon,
    /// The power that controls it; only that power may build there. Leave
    /// it out for a site in a country that is not a player.
    #[serde(default)]
    pub controller: Option<PowerId>,
    /// For a site with no `controller`: the powers that may build there
    /// without a deal: `[us, china]`.
    #[serde(default)]
    pub open_to: Vec<PowerId>,
    /// Multiplier on build cost: 1.5 = 50% dearer.
    #[serde(default = "one")]
    pub cost_factor: f64,
    /// A remark shown when a player hovers over it.
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// A mine or plant at the start: `(id: "mp-mine", name: "Mountain Pass mine",
/// kind: Mine, owner: us, at: "mountain-pass", capacity: 11.25, stage: Operating)`.
pub struct FacilitySetup {
    /// Short unique name: `"mp-mine"`.
    pub id: String,
    /// Name on the map and in the news.
    pub name: String,
    /// `Mine`, `SeparationPlant` or `MagnetPlant`.
    pub kind: FacilityKind,
    /// The power that owns and runs it.
    pub owner: PowerId,
    /// A deposit id (mines must stand on one) or a site id.
    pub at: String,
    /// kt per quarter: concentrate out for mines, concentrate in for
    /// separation plants, magnets out for magnet plants.
    pub capacity: f64,
    /// Where it is in its life: `Operating`, or `Permitting` / `Construction`
    /// / `Damaged` with `turns_left`.
    pub stage: Stage,
    /// Turns until the current stage ends (permits granted, building done,
    /// repairs done). Needed (above 0) for `Permitting`, `Construction` and
    /// `Damaged`. After permitting, building takes the owner's
    /// `construction_turns`.
    #[serde(default)]
    pub turns_left: u32,
    /// US$ bn still to spend before it opens.
    #[serde(default)]
    pub money_left: f64,
    /// Joint-venture partners and their shares of the output, 0 to 1 each:
    /// `[(russia, 0.3)]`. The owner keeps the rest.
    #[serde(default)]
    pub partners: Vec<(PowerId, f64)>,
    /// Ids of the sources of these figures.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A country that is not a player but sells (and buys) on the world market:
/// Australia, Myanmar, Malaysia, ...
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutsideSupplierSetup {
    /// Short name event cards use: `"myanmar"`.
    pub id: String,
    /// Name in the news: `"Myanmar (Kachin)"`.
    pub name: String,
    /// Where it is on the map.
    pub position: LatLon,
    /// Mine output, kt of concentrate (REO) per quarter.
    #[serde(default)]
    pub mines: f64,
    /// Dy/Tb share of the concentrate it mines.
    #[serde(default)]
    pub concentrate_heavy_share: f64,
    /// Separation plants: concentrate fed and oxides made per quarter at full
    /// feed. Feed comes from its own mines first, then from the market.
    #[serde(default)]
    pub separation: SeparationSetup,
    /// Magnet plants, kt of magnets per quarter at full feed: they buy NdPr
    /// and Dy/Tb oxide by the same rule as the powers' plants, so their
    /// magnets carry the Chinese content of their oxides.
    #[serde(default)]
    pub magnet_plants: f64,
    /// What its own industry uses per quarter (kt): served first from its own
    /// output (most of it is contracted to its own users), then bought.
    #[serde(default)]
    pub demand: GoodsTable,
    /// Long-term contracts to supply a power at the price outside China.
    #[serde(default)]
    pub contracts: Vec<OutsideContractSetup>,
    /// A state stockpile (Japan's JOGMEC) that a power it lists in
    /// `releases_to` may ask to draw on.
    #[serde(default)]
    pub strategic_stock: GoodsTable,
    /// Powers that may ask to draw on `strategic_stock` (allies): `[us]`.
    #[serde(default)]
    pub releases_to: Vec<PowerId>,
    /// Powers it signs offtake contracts with (allies).
    #[serde(default)]
    pub offtake_to: Vec<PowerId>,
    /// US$ bn per kt/quarter of new capacity financed by an offtake.
    #[serde(default = "default_offtake_capex")]
    pub offtake_capex: f64,
    /// Whether it builds new capacity when prices stay high.
    #[serde(default = "yes")]
    pub expands: bool,
    /// Growth of capacity (and of demand, unless `demand_growth` is given)
    /// per quarter: 0.01 = 1% a quarter, -0.5 to 0.5.
    #[serde(default)]
    pub growth: f64,
    /// Growth of its demand per quarter, when it differs from `growth`.
    #[serde(default)]
    pub demand_growth: Option<f64>,
    /// Ids of the sources of these figures.
    #[serde(default)]
    pub sources: Vec<String>,
}

impl OutsideSupplierSetup {
    /// What it makes of a good per quarter at full feed (kt): a supply shock
    /// acts on this.
    pub fn makes(&self, g: Good) -> f64 {
        match g {
            Good::Concentrate => self.mines,
            Good::LightOxides => self.separation.light_oxides,
            Good::HeavyOxides => self.separation.heavy_oxides,
            Good::Magnets => self.magnet_plants,
        }
    }
}

fn default_offtake_capex() -> f64 {
    0.2
}

fn yes() -> bool {
    true
}

/// Separation capacity of an outside producer: `(feed: 3.25, light_oxides:
/// 1.5, heavy_oxides: 0.004)`, kt per quarter at full feed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeparationSetup {
    /// kt of concentrate (REO) fed per quarter.
    pub feed: f64,
    /// kt of NdPr oxide made per quarter at full feed.
    pub light_oxides: f64,
    /// kt of Dy/Tb oxide made per quarter at full feed.
    pub heavy_oxides: f64,
}

/// A standing supply contract from an outside producer to a power.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutsideContractSetup {
    /// The power supplied.
    pub to: PowerId,
    /// The good supplied.
    pub good: Good,
    /// kt per quarter.
    pub qty: f64,
    /// Turns it runs.
    pub turns: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// How one power treats another at the start: `(from: us, to: china,
/// trust: 30.0, tariff: 0.4, export_controls: [(HeavyOxides, Licensing)],
/// sanctions: Targeted)`.
pub struct RelationSetup {
    /// The power that sets the policy.
    pub from: PowerId,
    /// The power it applies to.
    pub to: PowerId,
    /// Trust of `from` in `to`, 0–100 (50 is neutral). Deals are easier
    /// with trust.
    pub trust: f64,
    /// Tariff `from` puts on imports from `to`, as a fraction: 0.25 = 25%,
    /// 1.0 = 100%, at most 2.0 (200%).
    #[serde(default)]
    pub tariff: f64,
    /// Export controls `from` puts on goods sold to `to`:
    /// `[(HeavyOxides, Licensing), (Magnets, Licensing)]`.
    #[serde(default)]
    pub export_controls: Vec<(Good, ExportLevel)>,
    /// Sanctions `from` puts on `to`.
    #[serde(default)]
    pub sanctions: SanctionsLevel,
    /// Ids of the sources of these figures.
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// The war in Ukraine at the start: `war: (status: Active, intensity: 0.8,
/// front: 0.33, us_aid: 2, weariness: 0.4)`.
pub struct WarSetup {
    /// `Active`, `Ceasefire` or `Peace`.
    pub status: WarStatus,
    /// How hard the fighting is, 0 to 1: moves the front and costs Russia
    /// money and weariness.
    pub intensity: f64,
    /// Front index, 0 to 1: how far Russia has advanced over Ukraine's
    /// deposits. A deposit with a `front_threshold` at or below it is held by
    /// Russia.
    pub front: f64,
    /// US aid to Ukraine, level 0 (none) to 3 (most): slows Russia's
    /// advance, costs the US `params.aid_cost` per level each turn.
    pub us_aid: u8,
    /// Russia's war weariness, 0 to 1: costs it stability and makes a
    /// ceasefire likelier.
    pub weariness: f64,
    /// What Russia's forces do at the start (the Russian player changes it).
    #[serde(default)]
    pub russia_posture: WarPosture,
    /// China's stance on the war at the start (the Chinese player changes it).
    #[serde(default)]
    pub china_stance: ChinaStance,
    /// How the war moves: `params: (ceasefire_break: 0.05)`. Give only what
    /// you change.
    #[serde(default)]
    pub params: WarParams,
    /// Ids of the sources of these figures.
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
/// How the war moves, written inside `war: (...)` as `params: (drift: 0.02, ...)`.
/// Every one has a calibrated default: give only those you change.
pub struct WarParams {
    /// Mean move of the front index per turn toward Russia, at intensity 1
    /// with no aid (0.02 = 2% of the way).
    pub drift: f64,
    /// Front drift removed per US aid level.
    pub aid_effect: f64,
    /// Random spread of the front's move each turn.
    pub noise: f64,
    /// US$ bn per aid level per turn.
    pub aid_cost: f64,
    /// What the war costs Russia, US$ bn per turn at intensity 1.
    pub war_cost: f64,
    /// Weariness gained per turn at intensity 1.
    pub weariness_rate: f64,
    /// Russian stability (0–100) lost per turn at weariness 1.
    pub weariness_stability: f64,
    /// Ukraine accepts a ceasefire only while Russia holds at most this
    /// share of its deposits, 0 to 1.
    pub ukraine_bound: f64,
    /// Extra share Ukraine will accept with security guarantees, 0 to 1.
    pub guarantee_bonus: f64,
    /// Chance per turn that a ceasefire breaks down (before trust and
    /// mediation), 0 to 1 (0.08 = 8%).
    pub ceasefire_break: f64,
    /// Turns a ceasefire must hold before peace can be signed.
    pub peace_after: u32,
    /// Extra chance per turn of a ceasefire when China mediates and
    /// weariness is high, 0 to 1.
    pub mediation_ceasefire: f64,
    /// Price discount China gets on Russian exports while it supports
    /// Russia, 0 to 1 (0.2 = 20% off).
    pub support_discount: f64,
}

impl Default for WarParams {
    fn default() -> Self {
        WarParams {
            drift: 0.02,
            aid_effect: 0.008,
            noise: 0.015,
            aid_cost: 0.25,
            war_cost: 0.3,
            weariness_rate: 0.04,
            weariness_stability: 3.0,
            ukraine_bound: 0.45,
            guarantee_bonus: 0.15,
            ceasefire_break: 0.08,
            peace_after: 2,
            mediation_ceasefire: 0.05,
            support_discount: 0.2,
        }
    }
}

/// An event card of the deck. Each turn, every card whose conditions all hold
/// is drawn with its `probability`; when it fires, its title and text are in
/// everyone's news with what its effects did, and the effects apply at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventCard {
    /// Short unique name: `"tariff-spiral"`; other cards refer to it in
    /// `EventHappened("tariff-spiral")`.
    pub id: String,
    /// Headline in the news: `"Tariff spiral: 145% against 125%"`.
    pub title: String,
    /// What happened, a few sentences for the news.
    pub text: String,
    /// All must hold for the card to be drawn: `[TurnAtLeast(2),
    /// War(Active)]`. None: it may be drawn any turn. A teacher firing the
    /// card ignores them.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// When the real event happened (`"2025-05"`): the card never fires
    /// before that quarter, and if it fires later its news says "since May 2025".
    #[serde(default)]
    pub date: Option<MonthDate>,
    /// Chance per turn while the conditions hold, 0 to 1 (0.3 = 30%). A card
    /// of probability 0 is a teacher's card: it never happens by chance, only
    /// when the teacher fires it from the console.
    pub probability: f64,
    /// `true`: the card can fire again, at the earliest four turns after it
    /// last fired. `false` (the default): at most once a game.
    #[serde(default)]
    pub repeatable: bool,
    /// What happens when it fires, in order: `[SetTariff(by: us, on: china,
    /// rate: 1.45), Trust(us, china, -10.0)]`.
    pub effects: Vec<Effect>,
    /// Ids of the sources of the event.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A condition of an event card. Values in brackets are written in order,
/// without names: `TurnAtLeast(3)`; values in a record with names:
/// `TariffAtLeast(by: us, on: china, rate: 0.5)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub enum Condition {
    /// The turn is this one or later (turn 1 is the first quarter of the
    /// game). Example: `TurnAtLeast(3)`.
    TurnAtLeast(u32),
    /// The turn is this one or earlier. Example: `TurnAtMost(6)`.
    TurnAtMost(u32),
    /// The war is in this state: `Active`, `Ceasefire` or `Peace`. Example:
    /// `War(Active)`.
    War(WarStatus),
    /// Russia holds at least this share (0 to 1) of Ukraine's rare-earth
    /// deposits, by reserves. Example: `FrontAtLeast(0.4)`.
    FrontAtLeast(f64),
    /// Russia holds at most this share. Example: `FrontAtMost(0.34)`.
    FrontAtMost(f64),
    /// The world price of a good is at least this multiple of its base
    /// price. Example: `PriceAbove(HeavyOxides, 2.0)` (twice the base price).
    PriceAbove(Good, f64),
    /// The world price of a good is at most this multiple of its base
    /// price. Example: `PriceBelow(LightOxides, 0.8)`.
    PriceBelow(Good, f64),
    /// `by` controls exports of `good` to `target` at this level or
    /// stricter. Example: `ExportControlAtLeast(by: china, target: us,
    /// good: HeavyOxides, level: Licensing)`.
    ExportControlAtLeast {
        by: PowerId,
        target: PowerId,
        good: Good,
        level: ExportLevel,
    },
    /// The tariff of `by` on imports from `on` is at least `rate` (0.5 =
    /// 50%). Example: `TariffAtLeast(by: us, on: china, rate: 0.5)`.
    TariffAtLeast { by: PowerId, on: PowerId, rate: f64 },
    /// `by` sanctions `on` at this level or harder. Example:
    /// `SanctionsAtLeast(by: us, on: russia, level: Full)`.
    SanctionsAtLeast {
        by: PowerId,
        on: PowerId,
        level: SanctionsLevel,
    },
    /// A power's stability (0–100) is below this. Example:
    /// `StabilityBelow(russia, 40.0)`.
    StabilityBelow(PowerId, f64),
    /// A power's treasury is below this many US$ bn. Example:
    /// `TreasuryBelow(us, 1.0)`.
    TreasuryBelow(PowerId, f64),
    /// Trust (0–100) of the first power in the second is at least this.
    /// Example: `TrustAtLeast(us, russia, 60.0)`.
    TrustAtLeast(PowerId, PowerId, f64),
    /// Trust of the first power in the second is below this. Example:
    /// `TrustBelow(us, china, 20.0)`.
    TrustBelow(PowerId, PowerId, f64),
    /// The card with this id has fired before. Example:
    /// `EventHappened("tariff-spiral")`.
    EventHappened(String),
    /// The card with this id has not fired yet. Example:
    /// `EventNotHappened("geneva-truce")`.
    EventNotHappened(String),
}

/// An effect of an event card. Values in brackets are written in order,
/// without names: `Stockpile(us, HeavyOxides, 0.02)`; values in a record with
/// names: `SetTariff(by: us, on: china, rate: 0.45)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub enum Effect {
    /// Add US$ bn to a power's treasury (negative: take away). Example:
    /// `Treasury(us, 0.4)`.
    Treasury(PowerId, f64),
    /// Add to a power's stability; the result stays within 0–100. Example:
    /// `Stability(russia, -5.0)`.
    Stability(PowerId, f64),
    /// Add to a power's political capital; the result stays within 0–100.
    /// Example: `PoliticalCapital(us, 10.0)`.
    PoliticalCapital(PowerId, f64),
    /// Add to the trust between two powers, both ways; the result stays
    /// within 0–100. Example: `Trust(us, russia, 5.0)`.
    Trust(PowerId, PowerId, f64),
    /// Add kt of a good to a power's stockpile (negative: take away, down to
    /// nothing). Example: `Stockpile(us, HeavyOxides, 0.02)` (20 tonnes of Dy/Tb oxide).
    Stockpile(PowerId, Good, f64),
    /// `by` sets its export controls on `good` sold to `target`. Example:
    /// `SetExportControl(by: china, target: us, good: HeavyOxides, level: Embargo)`.
    SetExportControl {
        by: PowerId,
        target: PowerId,
        good: Good,
        level: ExportLevel,
    },
    /// `by` sets its tariff on imports from `on` (0.45 = 45%, 1.0 = 100%,
    /// at most 2.0). Example: `SetTariff(by: us, on: china, rate: 0.45)`.
    SetTariff { by: PowerId, on: PowerId, rate: f64 },
    /// `by` sets its sanctions on `on`. Example:
    /// `SetSanctions(by: us, on: russia, level: Targeted)`.
    SetSanctions {
        by: PowerId,
        on: PowerId,
        level: SanctionsLevel,
    },
    /// Damage every operating facility at a deposit or site: it produces
    /// nothing for `turns` turns, then is repaired. Example:
    /// `DamageAt(at: "bayan-obo", turns: 2)`.
    DamageAt { at: String, turns: u32 },
    /// Damage the largest operating facility of a kind a power owns, for
    /// `turns` turns. Example: `DamageLargest(owner: china, kind:
    /// SeparationPlant, turns: 2)`.
    DamageLargest {
        owner: PowerId,
        kind: FacilityKind,
        turns: u32,
    },
    /// Multiply an outside supplier's supply of a good for some turns (0.5 =
    /// half, 2.0 = double, 0 to 10). Example: `SupplyShock(supplier:
    /// "myanmar", good: Concentrate, factor: 0.5, turns: 2)`.
    SupplyShock {
        supplier: String,
        good: Good,
        factor: f64,
        turns: u32,
    },
    /// Multiply all outside demand for a good for some turns (1.3 = 30%
    /// more, 0 to 10). Example: `DemandShock(good: HeavyOxides, factor: 1.3, turns: 2)`.
    DemandShock { good: Good, factor: f64, turns: u32 },
    /// Move the front index (not the held share) by this much, within 0 to
    /// 1: positive favours Russia. Example: `FrontShift(0.05)`.
    FrontShift(f64),
    /// Add to the war's intensity, within 0 to 1. Example: `WarIntensity(-0.2)`.
    WarIntensity(f64),
    /// A ceasefire takes hold, if the war is active. Example: `Ceasefire`.
    Ceasefire,
    /// A ceasefire breaks down and fighting resumes. Example: `WarResumes`.
    WarResumes,
    /// Multiply every power's industry need for a good by a factor, for the
    /// rest of the game (1.1 = 10% more, 0 to 10). Example: `NeedFactor(Magnets, 1.1)`.
    NeedFactor(Good, f64),
    /// Open a deposit or site to a power: an agreement lets it build there
    /// (only where nobody controls the place). Example:
    /// `OpenTo(at: "shevchenko", power: us)`.
    OpenTo { at: String, power: PowerId },
    /// `by` sets its export controls on a good sold to outside buyers (every
    /// country that is not a player). Example:
    /// `SetExportControlOutside(by: china, good: Magnets, level: Licensing)`.
    SetExportControlOutside {
        by: PowerId,
        good: Good,
        level: ExportLevel,
    },
    /// Export controls of `by` on a good to one outside buyer only (China's
    /// 2010 embargo on Japan): `buyer` is an outside supplier's id. Example:
    /// `SetExportControlOn(by: china, buyer: "japan-europe", good: HeavyOxides, level: Embargo)`.
    SetExportControlOn {
        by: PowerId,
        buyer: String,
        good: Good,
        level: ExportLevel,
    },
    /// `by`'s controls reach goods made abroad with its content, and close
    /// re-export through third countries (China's 0.1% rule, October 2025);
    /// `on: false` suspends it. Example: `Extraterritorial(by: china, on: true)`.
    Extraterritorial { by: PowerId, on: bool },
}
