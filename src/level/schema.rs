//! The level file format: everything a teacher may change, as RON.
//!
//! Every struct refuses unknown fields so a typo is an error, not a silent
//! default. Rule parameters have calibrated defaults, so a level only states
//! what it changes.

use serde::{Deserialize, Serialize};

use crate::rules::types::{
    ChinaStance, ExportLevel, FacilityKind, Good, LatLon, MonthDate, Origin, PowerId,
    ResearchField, SanctionsLevel, Stage, WarPosture, WarStatus,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Stable id, usually the file stem: "2025-trade-war".
    pub id: String,
    pub title: String,
    /// One line for menus.
    pub summary: String,
    /// "tutorial", "easy", "normal" or "hard": shown in the level picker.
    pub difficulty: String,
    pub start_year: i32,
    /// 1..=4
    pub start_quarter: u8,
    /// Turn limit (one turn = one quarter).
    pub turns: u32,
    /// Year the starting figures describe.
    pub data_as_of: i32,
    pub briefing: Briefing,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub rules: RulesParams,
    pub market: MarketSetup,
    pub powers: Vec<PowerSetup>,
    pub deposits: Vec<DepositSetup>,
    #[serde(default)]
    pub sites: Vec<SiteSetup>,
    #[serde(default)]
    pub facilities: Vec<FacilitySetup>,
    #[serde(default)]
    pub outside_suppliers: Vec<OutsideSupplierSetup>,
    #[serde(default)]
    pub relations: Vec<RelationSetup>,
    pub war: WarSetup,
    #[serde(default)]
    pub events: Vec<EventCard>,
    /// Steps a first-time player is walked through, each checked before the
    /// next (tutorial levels).
    #[serde(default)]
    pub tutorial: Vec<TutorialStep>,
}

/// One step of a tutorial: what to do, where, and how the game knows it
/// was done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TutorialStep {
    pub title: String,
    /// What to do and why, a short paragraph.
    pub text: String,
    /// Where to do it, shown while the step is not done yet.
    #[serde(default)]
    pub hint: String,
    pub check: StepCheck,
}

/// What a tutorial step waits for. Orders count once queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Briefing {
    /// The situation at the start, a few paragraphs.
    pub situation: String,
    pub us: String,
    pub china: String,
    pub russia: String,
    #[serde(default)]
    pub learning_objectives: Vec<String>,
    /// The argument the level lets students test, stated as one view.
    #[serde(default)]
    pub thesis: String,
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

/// A cited source; figures in the level name the sources they come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub url: String,
    /// Year the figures describe.
    pub data_as_of: i32,
    /// The facts this level takes from the source, in words.
    #[serde(default)]
    pub facts: Vec<String>,
    /// "Reported" marks figures repeated widely but not confirmed.
    #[serde(default)]
    pub reported: bool,
}

/// Tunable rule constants. Defaults are the calibrated values of the full game.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesParams {
    pub action_points: u32,
    /// kt of NdPr oxide per kt REO of concentrate separated.
    pub light_yield: f64,
    /// Share of the deposit's heavy content recovered as Dy/Tb oxide.
    pub heavy_recovery: f64,
    /// $/kg earned for the cerium/lanthanum by-products of separation.
    pub byproduct_price: f64,
    /// kt NdPr oxide per kt of magnets.
    pub magnet_light_per_kt: f64,
    /// kt Dy/Tb oxide per kt of magnets, before substitution research.
    pub magnet_heavy_per_kt: f64,
    /// Export licences: how much gets through, to whom, and how fast it rises.
    pub licensing: LicensingParams,
    /// Share of a flow that gets through targeted sanctions.
    pub targeted_sanctions_pass: f64,
    /// Auto-procurement pays at most this multiple of the base price.
    pub procurement_cap: f64,
    /// Storage cost per turn as a share of a stockpile's value.
    pub storage_cost: f64,
    /// Extra money on a facility (as a multiple of its cost) that removes half of its remaining time.
    pub speedup_half_money: f64,
    /// Political capital a permit reform costs.
    pub permit_reform_cost: f64,
    /// Chance a permit reform causes a backlash.
    pub permit_reform_backlash: f64,
    /// Share of remaining permitting a reform removes.
    pub permit_reform_cut: f64,
    pub breach_trust_penalty: f64,
    pub breach_capital_penalty: f64,
    /// Political capital regained each turn.
    pub capital_regen: f64,
    /// US$ bn a research field needs to reach about 63% of its effect.
    pub research_scale: f64,
    /// Max share of magnet need met by recycling at full research.
    pub recycling_max: f64,
    /// Max cut of heavy oxide per magnet at full research.
    pub substitution_max: f64,
    /// Max cut of separation-plant cost and time at full research.
    pub processing_max: f64,
    /// US$ bn an intelligence operation costs.
    pub intel_cost: f64,
    pub intel_turns: u32,
    /// Relative error of estimates without intelligence.
    pub estimate_error: f64,
    /// Relative error with fresh intelligence.
    pub intel_error: f64,
    /// Stability lost per unit share of industry needs not met.
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
    /// Stability drifts back toward this level.
    pub stability_baseline: f64,
    /// A power falls when stability drops to this level.
    pub collapse_stability: f64,
    /// Average objective progress needed for a decisive victory.
    pub decisive_progress: f64,
    /// Consecutive turns of it needed.
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
            decisive_progress: 0.92,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LicensingParams {
    /// Share of the normal flow licensed in the first quarter of licensing,
    /// by destination (`outside` = every buyer that is not a power).
    pub first_pass: DestinationTable,
    /// Highest share once licences flow, by destination.
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
                us: 0.1,
                china: 0.4,
                russia: 0.6,
                outside: 0.45,
            },
            max_pass: DestinationTable {
                us: 0.65,
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationTable {
    pub us: f64,
    pub china: f64,
    pub russia: f64,
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

/// Per-good numbers written as a record in RON: `(concentrate: 1.0, light_oxides: 2.0, ...)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GoodsTable {
    pub concentrate: f64,
    pub light_oxides: f64,
    pub heavy_oxides: f64,
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

/// Per-facility-kind numbers: `(mine: 16, separation_plant: 6, magnet_plant: 2)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindTable<T> {
    pub mine: T,
    pub separation_plant: T,
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketSetup {
    /// Starting (and reference) prices, $/kg. Both price worlds (China's
    /// domestic market and the market outside China) start here.
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
    /// Source ids for the prices.
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PowerSetup {
    pub id: PowerId,
    /// US$ bn available to the rare-earth programme.
    pub treasury: f64,
    /// US$ bn per quarter.
    pub income: f64,
    /// Below minus this (US$ bn) the power is bankrupt and out.
    pub debt_limit: f64,
    /// 0–100.
    pub political_capital: f64,
    /// 0–100.
    pub stability: f64,
    /// kt on hand at the start.
    pub stockpile: GoodsTable,
    /// Heavy (Dy/Tb) share of the concentrate on hand.
    #[serde(default)]
    pub concentrate_heavy_share: f64,
    /// Industry needs per quarter (kt).
    pub industry_need: GoodsTable,
    /// Growth of needs per quarter (0.01 = 1%).
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
    /// working stock of one turn (0 by default).
    #[serde(default = "default_reserve")]
    pub reserve_turns: f64,
    pub permitting_turns: KindTable<u32>,
    pub construction_turns: KindTable<u32>,
    /// US$ bn per kt/quarter of capacity.
    pub unit_cost: KindTable<f64>,
    /// US$ bn per kt/quarter of operating capacity, each turn.
    pub running_cost: KindTable<f64>,
    #[serde(default)]
    pub research: Vec<(ResearchField, f64)>,
    /// Export controls on sales to outside buyers (every non-player destination).
    #[serde(default)]
    pub export_controls_outside: Vec<(Good, ExportLevel)>,
    pub objectives: Vec<ObjectiveSetup>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// How this power's computer player values things when the AI plays it:
    /// a name from `assets/ai/personalities.ron` (hawk, dealmaker, …).
    #[serde(default = "default_personality")]
    pub ai_personality: String,
}

fn default_reserve() -> f64 {
    0.0
}

fn default_personality() -> String {
    "balanced".to_string()
}

/// What a power is scored on. Each gives progress 0..1 per turn; a power's turn
/// score is the weighted sum, and its game score the mean over turns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ObjectiveKind {
    /// Share of consumed magnets and oxides not of Chinese origin, vs target.
    SupplySecurity,
    /// Share of industry needs met (value weighted), vs target.
    IndustryNeedsMet,
    /// Treasury vs target (US$ bn).
    Treasury,
    /// Export controls of `by` on this power lifted (1 = none anywhere).
    ExportControlsLifted { by: PowerId },
    /// Tariff of `by` on this power at or below target rate.
    TariffsLifted { by: PowerId },
    /// The war ended (peace 1, ceasefire 0.7) with Russia holding at most target share.
    WarEnded,
    /// Share of world separation output, vs target.
    SeparationShare,
    /// Share of world magnet output, vs target.
    MagnetShare,
    /// Share of world mine output, vs target.
    MiningShare,
    /// Share of Russia's rare-earth exports bought by China, vs target.
    InfluenceOverRussia,
    /// Sanctions on this power lifted (1 = none by anyone).
    SanctionsRelief,
    /// Share of Ukraine's rare-earth deposits held, vs target.
    TerritoryHeld,
    /// Rare-earth export revenue in the last four turns (US$ bn), vs target.
    ExportRevenue,
    /// Stability vs target.
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveSetup {
    pub kind: ObjectiveKind,
    /// Weights of a power's objectives should sum to 100.
    pub weight: f64,
    pub target: f64,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepositSetup {
    pub id: String,
    pub name: String,
    pub country: String,
    pub position: LatLon,
    /// Reserves, kt REO.
    pub reserves: f64,
    /// Dy/Tb share of the REO.
    pub heavy_share: f64,
    /// The power in control; `None` for deposits in other countries.
    #[serde(default)]
    pub controller: Option<PowerId>,
    /// Powers that may build here without a deal (allies, open markets).
    #[serde(default)]
    pub open_to: Vec<PowerId>,
    /// For deposits on the Ukraine front: Russia controls the deposit while the
    /// front index is at or above this value.
    #[serde(default)]
    pub front_threshold: Option<f64>,
    /// Multiplier on build cost (remote sites, poor grade).
    #[serde(default = "one")]
    pub cost_factor: f64,
    /// Largest mine capacity the deposit supports, kt/quarter.
    pub max_mine_capacity: f64,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub sources: Vec<String>,
}

fn one() -> f64 {
    1.0
}

/// An industrial site for separation and magnet plants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSetup {
    pub id: String,
    pub name: String,
    pub country: String,
    pub position: LatLon,
    #[serde(default)]
    pub controller: Option<PowerId>,
    #[serde(default)]
    pub open_to: Vec<PowerId>,
    #[serde(default = "one")]
    pub cost_factor: f64,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilitySetup {
    pub id: String,
    pub name: String,
    pub kind: FacilityKind,
    pub owner: PowerId,
    /// A deposit id (mines must stand on one) or a site id.
    pub at: String,
    /// kt per quarter: concentrate out for mines, concentrate in for
    /// separation plants, magnets out for magnet plants.
    pub capacity: f64,
    pub stage: Stage,
    #[serde(default)]
    pub turns_left: u32,
    /// US$ bn still to spend before it opens.
    #[serde(default)]
    pub money_left: f64,
    /// Partners' shares of output: [(russia, 0.3)].
    #[serde(default)]
    pub partners: Vec<(PowerId, f64)>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutsideSupplierSetup {
    pub id: String,
    pub name: String,
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
    /// Growth of capacity (and of demand, unless `demand_growth` is given) per quarter.
    #[serde(default)]
    pub growth: f64,
    #[serde(default)]
    pub demand_growth: Option<f64>,
    #[serde(default)]
    pub sources: Vec<String>,
}

fn default_offtake_capex() -> f64 {
    0.2
}

fn yes() -> bool {
    true
}

/// Separation capacity of an outside producer: `(feed: 3.25, light_oxides:
/// 1.5, heavy_oxides: 0.004)`, kt per quarter at full feed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeparationSetup {
    pub feed: f64,
    pub light_oxides: f64,
    pub heavy_oxides: f64,
}

/// A standing supply contract from an outside producer to a power.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutsideContractSetup {
    pub to: PowerId,
    pub good: Good,
    /// kt per quarter.
    pub qty: f64,
    /// Turns it runs.
    pub turns: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationSetup {
    /// The power that sets the policy.
    pub from: PowerId,
    /// The power it applies to.
    pub to: PowerId,
    /// Trust of `from` in `to`, 0–100.
    pub trust: f64,
    /// Tariff on imports from `to` (0.25 = 25%).
    #[serde(default)]
    pub tariff: f64,
    #[serde(default)]
    pub export_controls: Vec<(Good, ExportLevel)>,
    #[serde(default)]
    pub sanctions: SanctionsLevel,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarSetup {
    pub status: WarStatus,
    /// 0..1
    pub intensity: f64,
    /// Front index 0..1: how far Russia has advanced over Ukraine's deposits.
    pub front: f64,
    /// US aid level 0..3.
    pub us_aid: u8,
    /// 0..1
    pub weariness: f64,
    #[serde(default)]
    pub russia_posture: WarPosture,
    #[serde(default)]
    pub china_stance: ChinaStance,
    #[serde(default)]
    pub params: WarParams,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WarParams {
    /// Mean front drift per turn at intensity 1 with no aid.
    pub drift: f64,
    /// Drift removed per US aid level.
    pub aid_effect: f64,
    /// Random spread of the front each turn.
    pub noise: f64,
    /// US$ bn per aid level per turn.
    pub aid_cost: f64,
    /// Russian US$ bn per turn at intensity 1.
    pub war_cost: f64,
    /// Weariness gained per turn at intensity 1.
    pub weariness_rate: f64,
    /// Russian stability lost per turn per unit of weariness.
    pub weariness_stability: f64,
    /// Ukraine accepts a ceasefire while Russia holds at most this share.
    pub ukraine_bound: f64,
    /// Extra share Ukraine will accept with security guarantees.
    pub guarantee_bonus: f64,
    /// Chance per turn that a ceasefire breaks down (before trust and mediation).
    pub ceasefire_break: f64,
    /// Turns a ceasefire must hold before peace.
    pub peace_after: u32,
    /// Extra chance per turn of a ceasefire when China mediates and weariness is high.
    pub mediation_ceasefire: f64,
    /// Price discount China gets on Russian exports when it supports Russia.
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

/// An event card of the deck.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventCard {
    pub id: String,
    pub title: String,
    pub text: String,
    /// All must hold for the card to be drawn.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// When the real event happened (`"2025-05"`): the card never fires
    /// before that quarter, and if it fires later its news says "since May 2025".
    #[serde(default)]
    pub date: Option<MonthDate>,
    /// Chance per turn while the conditions hold.
    pub probability: f64,
    #[serde(default)]
    pub repeatable: bool,
    pub effects: Vec<Effect>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    TurnAtLeast(u32),
    TurnAtMost(u32),
    War(WarStatus),
    /// Share of Ukraine's rare-earth reserves Russia holds (0..1), at least.
    FrontAtLeast(f64),
    /// The same share, at most.
    FrontAtMost(f64),
    /// World price at least this multiple of the base price.
    PriceAbove(Good, f64),
    PriceBelow(Good, f64),
    ExportControlAtLeast {
        by: PowerId,
        target: PowerId,
        good: Good,
        level: ExportLevel,
    },
    TariffAtLeast {
        by: PowerId,
        on: PowerId,
        rate: f64,
    },
    SanctionsAtLeast {
        by: PowerId,
        on: PowerId,
        level: SanctionsLevel,
    },
    StabilityBelow(PowerId, f64),
    TreasuryBelow(PowerId, f64),
    /// Trust of the first power in the second, at least.
    TrustAtLeast(PowerId, PowerId, f64),
    TrustBelow(PowerId, PowerId, f64),
    EventHappened(String),
    EventNotHappened(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    Treasury(PowerId, f64),
    Stability(PowerId, f64),
    PoliticalCapital(PowerId, f64),
    Trust(PowerId, PowerId, f64),
    Stockpile(PowerId, Good, f64),
    SetExportControl {
        by: PowerId,
        target: PowerId,
        good: Good,
        level: ExportLevel,
    },
    SetTariff {
        by: PowerId,
        on: PowerId,
        rate: f64,
    },
    SetSanctions {
        by: PowerId,
        on: PowerId,
        level: SanctionsLevel,
    },
    /// Damage the operating facilities at a deposit or site for some turns.
    DamageAt {
        at: String,
        turns: u32,
    },
    /// Damage the largest operating facility of a kind a power owns.
    DamageLargest {
        owner: PowerId,
        kind: FacilityKind,
        turns: u32,
    },
    /// Multiply an outside supplier's supply of a good for some turns.
    SupplyShock {
        supplier: String,
        good: Good,
        factor: f64,
        turns: u32,
    },
    /// Multiply all outside demand for a good for some turns.
    DemandShock {
        good: Good,
        factor: f64,
        turns: u32,
    },
    /// Move the front index (not the held share): positive favours Russia.
    FrontShift(f64),
    WarIntensity(f64),
    Ceasefire,
    WarResumes,
    /// Change every power's industry need for a good by a factor (permanent).
    NeedFactor(Good, f64),
    /// Open a deposit or site to a power (an agreement lets it build there).
    OpenTo {
        at: String,
        power: PowerId,
    },
    /// Export controls of `by` on a good to outside buyers (every other destination).
    SetExportControlOutside {
        by: PowerId,
        good: Good,
        level: ExportLevel,
    },
    /// Export controls of `by` on a good to one outside buyer only (China's
    /// 2010 embargo on Japan): `buyer` is an outside supplier's id.
    SetExportControlOn {
        by: PowerId,
        buyer: String,
        good: Good,
        level: ExportLevel,
    },
    /// `by`'s controls reach goods made abroad with its content, and close
    /// re-export through third countries (China's 0.1% rule, October 2025).
    Extraterritorial { by: PowerId, on: bool },
}
