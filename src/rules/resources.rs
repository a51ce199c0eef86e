//! Resources: the parts of the world that are one of a kind.

use bevy::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::deals::{Agreement, Contract, Proposal};
use super::orders::Order;
use super::params::{EventCard, MarketSetup, RulesParams, WarParams};
use super::types::*;

/// Where the game is in time.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurnClock {
    /// The turn being planned (1-based). After the last turn resolves it is `max_turns + 1`.
    pub turn: u32,
    pub max_turns: u32,
    pub start_year: i32,
    pub start_quarter: u8,
}

impl TurnClock {
    pub fn label(&self) -> String {
        quarter_label(self.start_year, self.start_quarter, self.turn)
    }

    pub fn label_of(&self, turn: u32) -> String {
        quarter_label(self.start_year, self.start_quarter, turn)
    }
}

/// The one random number generator of the rules, seeded from the game seed.
/// Systems draw from it only in a stable order.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RulesRng {
    pub seed: u64,
    pub rng: ChaCha8Rng,
}

impl RulesRng {
    pub fn new(seed: u64) -> Self {
        RulesRng {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A uniform draw in [0, 1).
    pub fn unit(&mut self) -> f64 {
        use rand::RngExt;
        self.rng.random::<f64>()
    }

    /// An approximately normal draw (Irwin–Hall of four uniforms), mean 0, sd 1.
    pub fn normal(&mut self) -> f64 {
        let s: f64 = (0..4).map(|_| self.unit()).sum();
        (s - 2.0) * (3.0f64).sqrt()
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Constant parameters of this game, from the level.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GameRules {
    pub level_id: String,
    pub level_title: String,
    pub params: RulesParams,
    pub war: WarParams,
    /// The market's parameters (base prices, elasticities, stocks, expansion).
    pub market: MarketSetup,
    pub base_price: PerGood<f64>,
    pub demand_elasticity: f64,
    pub supply_elasticity: f64,
}

/// The market for rare earths, in two price worlds: China's domestic market
/// and the market outside China, joined by China's exports (which China's
/// export controls can throttle).
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Market {
    /// Price outside China per good, $/kg: what the marginal buyer outside
    /// China pays before tariffs (the price of non-Chinese sellers when they
    /// sell, else of Chinese exports).
    pub price: PerGood<f64>,
    pub previous_price: PerGood<f64>,
    /// China's domestic price per good, $/kg: formed by China's own supply
    /// and use (its stocks against the stock its industry wants).
    pub price_china: PerGood<f64>,
    pub previous_price_china: PerGood<f64>,
    /// What each power paid last turn per kg, tariffs and licences included
    /// (its landed price); the price it faces when it bought nothing.
    pub landed: PerPower<PerGood<f64>>,
    /// China's exports last turn by destination (US, China = 0, Russia,
    /// outside buyers), kt.
    pub china_exports: PerGood<[f64; 4]>,
    /// Clearing price by seller origin (US, China, Russia, outside): two price
    /// worlds appear when export controls split the market.
    pub origin_price: PerGood<[f64; 4]>,
    /// Outside demand shocks: (good, factor, turns left).
    pub demand_shocks: Vec<(Good, f64, u32)>,
    /// Quantity traded last turn per good (kt).
    pub volume: PerGood<f64>,
    /// Quantity each seller origin sold last turn (kt): an origin that sold
    /// nothing has no real price.
    pub origin_volume: PerGood<[f64; 4]>,
}

impl Market {
    pub fn demand_shock(&self, good: Good) -> f64 {
        self.demand_shocks
            .iter()
            .filter(|(g, _, _)| *g == good)
            .map(|(_, f, _)| f)
            .product()
    }

    /// Prices in the world `reader` buys in: China's domestic market for
    /// China, the market outside China for everyone else. A control reads
    /// as what it does to the reader's own market, never as the other's.
    pub fn own_prices(&self, reader: PowerId) -> &PerGood<f64> {
        if reader == PowerId::China {
            &self.price_china
        } else {
            &self.price
        }
    }

    /// Last turn's prices in `reader`'s own world.
    pub fn own_previous_prices(&self, reader: PowerId) -> &PerGood<f64> {
        if reader == PowerId::China {
            &self.previous_price_china
        } else {
            &self.previous_price
        }
    }

    /// Prices in the other world (outside China for China, China's for
    /// everyone else), to show beside the reader's own.
    pub fn other_prices(&self, reader: PowerId) -> &PerGood<f64> {
        if reader == PowerId::China {
            &self.price
        } else {
            &self.price_china
        }
    }
}

/// The names of `reader`'s own price world and of the other one.
pub fn price_worlds(reader: PowerId) -> (&'static str, &'static str) {
    if reader == PowerId::China {
        ("in China", "outside China")
    } else {
        ("outside China", "in China")
    }
}

/// Policies and trust between the powers. Index `[from][to]`.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Relations {
    /// Trust of `from` in `to`, 0–100.
    pub trust: [[f64; 3]; 3],
    /// Tariff `from` charges on imports from `to`.
    pub tariff: [[f64; 3]; 3],
    /// Export controls `from` applies to exports to `to`, per good.
    pub export_control: [[PerGood<ExportLevel>; 3]; 3],
    /// Export controls `from` applies to outside buyers, per good.
    pub export_control_outside: [PerGood<ExportLevel>; 3],
    /// Sanctions `from` imposes on `to`.
    pub sanctions: [[SanctionsLevel; 3]; 3],
    /// Quarters of licensing so far, `[from][destination][good]` (destination
    /// US, China, Russia, outside buyers); 0 while no licences are required.
    pub licence_age: [[PerGood<u32>; 4]; 3],
    /// Whether a power's export controls reach goods made abroad with its
    /// content and close re-export through third countries.
    pub extraterritorial: [bool; 3],
}

impl Relations {
    pub fn trust(&self, from: PowerId, to: PowerId) -> f64 {
        self.trust[from.index()][to.index()]
    }
    pub fn add_trust(&mut self, a: PowerId, b: PowerId, delta: f64) {
        for (x, y) in [(a, b), (b, a)] {
            let t = &mut self.trust[x.index()][y.index()];
            *t = (*t + delta).clamp(0.0, 100.0);
        }
    }
    pub fn tariff(&self, from: PowerId, to: PowerId) -> f64 {
        self.tariff[from.index()][to.index()]
    }
    pub fn export_control(&self, from: PowerId, to: PowerId, good: Good) -> ExportLevel {
        self.export_control[from.index()][to.index()][good]
    }
    /// Controls `from` applies to a destination (a power, or all outside buyers).
    pub fn export_control_to(&self, from: PowerId, to: Origin, good: Good) -> ExportLevel {
        match to {
            Origin::Power(p) => self.export_control(from, p, good),
            Origin::Outside => self.export_control_outside[from.index()][good],
        }
    }
    /// Quarters licences have been required from `from` to `to` for `good`.
    pub fn licence_age(&self, from: PowerId, to: Origin, good: Good) -> u32 {
        self.licence_age[from.index()][to.index()][good]
    }
    pub fn sanctions(&self, from: PowerId, to: PowerId) -> SanctionsLevel {
        self.sanctions[from.index()][to.index()]
    }
    /// The stricter of the two sides' sanctions between a pair.
    pub fn sanctions_between(&self, a: PowerId, b: PowerId) -> SanctionsLevel {
        self.sanctions(a, b).max(self.sanctions(b, a))
    }
}

/// The war in Ukraine.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UkraineWar {
    pub status: WarStatus,
    /// 0..1
    pub intensity: f64,
    /// Front index 0..1: how far Russia has advanced over Ukraine's deposits.
    pub front: f64,
    /// Share of Ukraine's rare-earth reserves Russia holds (derived from the front).
    pub front_share: f64,
    /// US aid level 0..3.
    pub us_aid: u8,
    pub weariness: f64,
    pub russia_posture: WarPosture,
    pub china_stance: ChinaStance,
    /// Turns the current ceasefire has held.
    pub ceasefire_turns: u32,
    /// Turn the war ended in peace, if it did.
    pub ended_turn: Option<u32>,
    /// Ukraine was given security guarantees in an agreement.
    pub security_guarantees: bool,
}

/// Whether a turn writes its news and its price causes. The hard player's
/// rollouts switch it off: they read neither, and no rule reads them, so a
/// game plays the same either way (only the news and causes differ).
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct Narration(pub bool);

impl Default for Narration {
    fn default() -> Self {
        Narration(true)
    }
}

/// Whether `world` writes news (a world without the switch does).
pub fn narrating(world: &World) -> bool {
    world.get_resource::<Narration>().is_none_or(|n| n.0)
}

/// The events deck and what has been drawn.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventDeck {
    /// The level's cards. Shared: they never change in a game, and a copy
    /// of the game (a save, a rollout's restore) need not copy them.
    pub cards: std::sync::Arc<Vec<EventCard>>,
    /// Ids of cards drawn, with the turn.
    pub drawn: Vec<(String, u32)>,
    /// Cards a teacher injected, to fire next turn regardless of chance
    /// (even when random events are switched off in `GameOptions`).
    pub injected: Vec<String>,
}

impl EventDeck {
    pub fn happened(&self, id: &str) -> bool {
        self.drawn.iter().any(|(d, _)| d == id)
    }
}

/// Orders submitted for the turn being planned, per power, in submission order.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderBook {
    pub orders: PerPower<Vec<Order>>,
}

/// Proposals, accepted agreements and standing contracts.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diplomacy {
    pub next_id: u32,
    pub proposals: Vec<Proposal>,
    pub agreements: Vec<Agreement>,
    pub contracts: Vec<Contract>,
    /// Supply contracts with outside producers (offtakes, long-term contracts).
    pub offtakes: Vec<super::deals::Offtake>,
    /// Price floors the powers guarantee their own producers.
    pub price_floors: Vec<super::deals::PriceFloor>,
}

/// One line of the news, with its causes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewsItem {
    pub turn: u32,
    /// Powers that may read it; empty = public.
    pub audience: Vec<PowerId>,
    // Shared: views, snapshots and restores copy news often, and a news
    // item's words never change once written.
    pub text: std::sync::Arc<str>,
    pub kind: NewsKind,
}

impl NewsItem {
    /// News for everyone.
    pub fn is_public(&self) -> bool {
        self.audience.is_empty()
    }

    /// Whether `power` may read it: public, or addressed to it.
    pub fn readable_by(&self, power: PowerId) -> bool {
        self.is_public() || self.audience.contains(&power)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum NewsKind {
    Market,
    Policy,
    Diplomacy,
    War,
    Facility,
    Event,
    Order,
    Score,
}

/// What happened, turn by turn.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewsLog {
    pub items: Vec<NewsItem>,
}

impl NewsLog {
    pub fn public(&mut self, turn: u32, kind: NewsKind, text: impl Into<String>) {
        self.items.push(NewsItem {
            turn,
            audience: Vec::new(),
            text: text.into().into(),
            kind,
        });
    }
    pub fn private(&mut self, turn: u32, to: &[PowerId], kind: NewsKind, text: impl Into<String>) {
        self.items.push(NewsItem {
            turn,
            audience: to.to_vec(),
            text: text.into().into(),
            kind,
        });
    }
    pub fn visible_to(&self, power: PowerId) -> impl Iterator<Item = &NewsItem> {
        self.items.iter().filter(move |n| n.readable_by(power))
    }
    /// News written in `turn` or later. News is written in turn order (an
    /// invariant, see `invariants`), so a view finds its recent news by
    /// halving the log instead of reading a whole game's news.
    pub fn since(&self, turn: u32) -> &[NewsItem] {
        &self.items[self.items.partition_point(|n| n.turn < turn)..]
    }
}

/// Reasons behind price moves collected during a turn, per good, read by the
/// record phase to explain the news. Each has a direction: +1 pushes the price
/// up, -1 down, 0 either way.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TurnCauses {
    pub causes: PerGood<Vec<(i8, String)>>,
}

impl TurnCauses {
    fn push(&mut self, good: Good, dir: i8, cause: impl Into<String>) {
        let c = cause.into();
        if !self.causes[good].iter().any(|(_, t)| *t == c) {
            self.causes[good].push((dir, c));
        }
    }
    /// A cause that may move the price either way.
    pub fn add(&mut self, good: Good, cause: impl Into<String>) {
        self.push(good, 0, cause);
    }
    /// A cause that pushes the price up (less supply, more demand).
    pub fn add_up(&mut self, good: Good, cause: impl Into<String>) {
        self.push(good, 1, cause);
    }
    /// A cause that pushes the price down.
    pub fn add_down(&mut self, good: Good, cause: impl Into<String>) {
        self.push(good, -1, cause);
    }
    /// A cause that raises the price when `rises`, lowers it otherwise.
    pub fn add_toward(&mut self, good: Good, rises: bool, cause: impl Into<String>) {
        self.push(good, if rises { 1 } else { -1 }, cause);
    }
    /// The causes consistent with a move in direction `change`.
    pub fn explaining(&self, good: Good, change: f64) -> Vec<&str> {
        let dir = if change > 0.0 { 1 } else { -1 };
        self.causes[good]
            .iter()
            .filter(|(d, _)| *d == 0 || *d == dir)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

/// What an order did when the turn resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrderResult {
    pub power: PowerId,
    pub order: Order,
    /// `None` when carried out; the refusal reason otherwise.
    pub refused: Option<String>,
}

/// Outcome of the last resolved turn's orders.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderResults {
    pub turn: u32,
    pub results: Vec<OrderResult>,
}

/// One trade flow of a turn (for the map and the accounts).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TradeFlow {
    pub good: Good,
    pub seller: Origin,
    pub buyer: Origin,
    pub qty: f64,
    /// $/kg the seller received.
    pub price: f64,
    pub tariff: f64,
    /// Share over the seller's price the buyer paid to middlemen (goods that
    /// reached it through third countries); the tariff applies on top.
    #[serde(default)]
    pub detour: f64,
    /// Delivered under a contract.
    pub contract: bool,
}

impl TradeFlow {
    /// What the buyer paid in all, US$ bn.
    pub fn paid(&self) -> f64 {
        self.qty * self.price / 1000.0 * (1.0 + self.detour) * (1.0 + self.tariff)
    }
}

/// Trades of the last resolved turn.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TradeLog {
    pub flows: Vec<TradeFlow>,
}

/// Production figures of the last resolved turn, for shares and objectives.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Production {
    /// kt concentrate mined, by origin (US, China, Russia, outside).
    pub mined: [f64; 4],
    /// kt concentrate separated, by origin.
    pub separated: [f64; 4],
    /// kt magnets made, by origin.
    pub magnets: [f64; 4],
    /// kt of each good made, by origin (US, China, Russia, outside).
    pub made: [PerGood<f64>; 4],
}

impl Production {
    pub fn share(values: &[f64; 4], origin: Origin) -> f64 {
        let total: f64 = values.iter().sum();
        if total <= 0.0 {
            0.0
        } else {
            values[origin.index()] / total
        }
    }
}

/// How the game ended, once it has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum EndReason {
    TurnLimit,
    Decisive(PowerId),
    LastStanding(PowerId),
}

#[derive(
    Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct GameOutcome {
    pub over: bool,
    pub winner: Option<PowerId>,
    pub reason: Option<EndReason>,
    /// Plain-words explanation for the debrief.
    pub explanation: String,
}

/// One turn's record: every figure a chart or an export needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    pub turn: u32,
    pub label: String,
    /// Price outside China.
    pub price: PerGood<f64>,
    /// China's domestic price.
    pub price_china: PerGood<f64>,
    pub origin_price: PerGood<[f64; 4]>,
    /// What each power paid, tariffs and licences included.
    pub landed: PerPower<PerGood<f64>>,
    /// China's exports by destination (US, China = 0, Russia, outside), kt.
    pub china_exports: PerGood<[f64; 4]>,
    /// kt each power's industry lacked.
    pub shortfall: PerPower<PerGood<f64>>,
    /// US$ bn of industrial output each power lost to shortfalls.
    pub output_lost: PerPower<f64>,
    pub treasury: PerPower<f64>,
    pub stability: PerPower<f64>,
    pub political_capital: PerPower<f64>,
    pub stockpile: PerPower<PerGood<f64>>,
    pub supply_security: PerPower<f64>,
    pub needs_met: PerPower<f64>,
    pub score: PerPower<f64>,
    pub turn_score: PerPower<f64>,
    pub mining_share: [f64; 4],
    pub separation_share: [f64; 4],
    pub magnet_share: [f64; 4],
    pub war_status: WarStatus,
    pub front_share: f64,
    pub intensity: f64,
    pub us_aid: u8,
    pub tariff_us_on_china: f64,
    pub tariff_china_on_us: f64,
    pub china_controls_on_us: u8,
    pub us_sanctions_on_russia: SanctionsLevel,
    pub volume: PerGood<f64>,
}

#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub turns: Vec<TurnRecord>,
}

/// Options a teacher may switch.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GameOptions {
    pub events: bool,
    pub hidden_information: bool,
}

impl Default for GameOptions {
    fn default() -> Self {
        GameOptions {
            events: true,
            hidden_information: true,
        }
    }
}

/// Stable ids to entities, so orders and views find things without scanning.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct EntityIndex {
    pub powers: Vec<Entity>,
    pub deposits: std::collections::BTreeMap<String, Entity>,
    pub sites: std::collections::BTreeMap<String, Entity>,
    pub facilities: std::collections::BTreeMap<String, Entity>,
    pub suppliers: std::collections::BTreeMap<String, Entity>,
}

impl EntityIndex {
    pub fn power(&self, p: PowerId) -> Entity {
        self.powers[p.index()]
    }
}

/// Counters for ids of things made during play.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IdCounters {
    pub facilities: u32,
}

/// Market orders carried from the orders phase to the trade phase.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MarketOrders {
    /// (power, good, kt, max $/kg)
    pub buys: Vec<(PowerId, Good, f64, f64)>,
    /// (power, good, kt, min $/kg)
    pub sells: Vec<(PowerId, Good, f64, f64)>,
}

/// Answers given to proposals this turn, for the diplomacy phase.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PendingResponses {
    pub responses: Vec<(u32, PowerId, super::deals::Response)>,
}

/// What the players put into one turn: the orders each power had queued when
/// it resolved, and events a teacher injected. Level + seed + this log
/// replays the game exactly.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TurnInput {
    pub turn: u32,
    pub orders: PerPower<Vec<Order>>,
    pub injected: Vec<String>,
}

/// Every turn's input, in order.
#[derive(Resource, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderLog {
    pub turns: Vec<TurnInput>,
    /// Injected events seen by the events phase this turn, not yet logged.
    pub injected_now: Vec<String>,
}
