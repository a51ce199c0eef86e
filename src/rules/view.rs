//! What one power may see. The AI and the hot-seat screens read only this, so
//! they can never see more: other powers' treasuries, stockpiles and political
//! capital come as estimates unless fresh intelligence makes them exact.

use std::sync::Arc;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::components::*;
use super::deals::{Agreement, Contract, Proposal};
use super::orders::{Order, get_power};
use super::params::{RulesParams, WarParams};
use super::resources::*;
use super::types::*;

/// A figure known exactly or only roughly.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Estimate {
    pub value: f64,
    /// Relative error (0.3 = ±30%); zero when exact.
    pub error: f64,
}

impl Estimate {
    pub fn exact(value: f64) -> Self {
        Estimate { value, error: 0.0 }
    }
    pub fn is_exact(&self) -> bool {
        self.error == 0.0
    }
    pub fn low(&self) -> f64 {
        self.value - self.value.abs() * self.error
    }
    pub fn high(&self) -> f64 {
        self.value + self.value.abs() * self.error
    }
}

/// The viewer's own power, every figure exact: the same record a snapshot holds.
pub type OwnView = super::hash::PowerState;

/// Another power, as the viewer sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OtherView {
    pub id: PowerId,
    pub eliminated: bool,
    pub treasury: Estimate,
    pub political_capital: Estimate,
    pub stockpile: PerGood<Estimate>,
    /// Stability is public.
    pub stability: f64,
    /// Score is an estimate too: some objectives (treasury) would give away
    /// hidden figures.
    pub score: Estimate,
    /// Its objectives: public, every player has read the briefing.
    pub objectives: std::sync::Arc<Vec<super::params::ObjectiveSetup>>,
    pub industry_need: PerGood<f64>,
    pub supply_security: f64,
    /// Turns of fresh intelligence the viewer holds on this power.
    pub intel_turns: u32,
}

/// Public figures of one past turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublicTurn {
    pub turn: u32,
    /// Prices outside China.
    pub price: PerGood<f64>,
    /// China's domestic prices.
    pub price_china: PerGood<f64>,
    pub origin_price: PerGood<[f64; 4]>,
    pub mining_share: [f64; 4],
    pub separation_share: [f64; 4],
    pub magnet_share: [f64; 4],
    pub stability: PerPower<f64>,
    pub war_status: WarStatus,
    pub front_share: f64,
}

/// The viewer's own figures of one past turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OwnTurn {
    pub turn: u32,
    pub treasury: f64,
    pub supply_security: f64,
    pub needs_met: f64,
    pub stockpile: PerGood<f64>,
    pub score: f64,
}

/// Trade policies between the powers: public. Index `[from][to]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Policies {
    pub tariff: [[f64; 3]; 3],
    pub export_control: [[PerGood<ExportLevel>; 3]; 3],
    pub export_control_outside: [PerGood<ExportLevel>; 3],
    pub sanctions: [[SanctionsLevel; 3]; 3],
    /// Quarters of licensing so far, `[from][destination][good]`.
    pub licence_age: [[PerGood<u32>; 4]; 3],
    /// Whose controls reach goods made abroad with their content.
    pub extraterritorial: [bool; 3],
}

/// Trust as one power sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrustView {
    /// The viewer's trust in each power.
    pub mine: PerPower<f64>,
    /// Each power's trust in the viewer, as shown in its conduct.
    pub theirs: PerPower<f64>,
}

/// What every power sees alike. Shared between the three views of a turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublicView {
    pub turn: u32,
    pub max_turns: u32,
    pub label: String,
    pub level_title: String,
    pub params: RulesParams,
    pub war_params: WarParams,
    pub base_price: PerGood<f64>,
    pub market: Market,
    pub relations: Policies,
    pub war: UkraineWar,
    pub deposits: Vec<Deposit>,
    pub sites: Vec<Site>,
    pub facilities: Vec<Facility>,
    pub suppliers: Vec<OutsideSupplier>,
    pub history: Vec<PublicTurn>,
    pub trade_flows: Vec<TradeFlow>,
    /// Price floors the powers guarantee their producers (public policy).
    pub price_floors: Vec<super::deals::PriceFloor>,
    pub outcome: GameOutcome,
}

/// Everything one power may see. Public parts are reached through `Deref`
/// (`view.market`, `view.war`, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PowerView {
    pub public: Arc<PublicView>,
    pub me: OwnView,
    pub others: Vec<OtherView>,
    pub trust: TrustView,
    /// Proposals the viewer made or received.
    pub proposals: Vec<Proposal>,
    pub contracts: Vec<Contract>,
    /// The viewer's offtakes and contracts with outside producers.
    pub offtakes: Vec<super::deals::Offtake>,
    pub agreements: Vec<Agreement>,
    /// News the viewer may read from the last few turns (all of it:
    /// [`news_for`]).
    pub news: Vec<NewsItem>,
    pub own_history: Vec<OwnTurn>,
    /// The viewer's orders queued for this turn.
    pub queued: Vec<Order>,
    /// What became of the viewer's orders last turn.
    pub last_results: Vec<OrderResult>,
}

impl std::ops::Deref for PowerView {
    type Target = PublicView;
    fn deref(&self) -> &PublicView {
        &self.public
    }
}

impl PowerView {
    pub fn other(&self, p: PowerId) -> Option<&OtherView> {
        self.others.iter().find(|o| o.id == p)
    }
    pub fn action_points_left(&self) -> u32 {
        let used: u32 = self.queued.iter().map(Order::action_points).sum();
        self.me.politics.action_points.saturating_sub(used)
    }

    /// What a new facility would cost the viewer in all (US$ bn): the
    /// rules' own reckoning ([`super::orders::facilities::cost`]).
    pub fn facility_cost(&self, at: &str, kind: FacilityKind, capacity: f64) -> Option<f64> {
        super::orders::facilities::cost(self, at, kind, capacity)
    }

    /// What an order would cost the viewer this turn (US$ bn), as the
    /// engine's check reckons it.
    pub fn order_money(&self, order: &Order) -> f64 {
        order.money(self)
    }

    /// Political capital an order would spend, as the engine reckons it.
    pub fn order_capital(&self, order: &Order) -> f64 {
        order.political_capital(self)
    }
}

/// A reproducible relative error for one hidden figure, independent of the
/// rules RNG (looking must not change the game). A SplitMix64 finaliser over
/// the inputs: cheap, and well spread.
fn noise(seed: u64, turn: u32, viewer: PowerId, target: PowerId, field: u64, error: f64) -> f64 {
    let mut z = seed
        ^ (turn as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ ((viewer.index() as u64) << 40)
        ^ ((target.index() as u64) << 48)
        ^ field.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    for _ in 0..2 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
    }
    let unit = (z >> 11) as f64 / (1u64 << 53) as f64;
    (unit * 2.0 - 1.0) * error
}

/// Turns a closed proposal stays in a view.
pub const RECENT_PROPOSAL_TURNS: u32 = 8;

/// Turns of news a view carries.
pub const RECENT_NEWS_TURNS: u32 = 4;

/// Every news item `viewer` may read, from the start of the game.
pub fn news_for(world: &World, viewer: PowerId) -> Vec<NewsItem> {
    world
        .resource::<NewsLog>()
        .visible_to(viewer)
        .cloned()
        .collect()
}

/// Copies of one component of entities listed by id, in id order.
fn in_id_order<T: Component + Clone>(
    world: &World,
    ids: &std::collections::BTreeMap<String, Entity>,
) -> Vec<T> {
    ids.values()
        .filter_map(|e| world.get::<T>(*e).cloned())
        .collect()
}

/// Build what every power sees alike.
pub fn public_view(world: &World) -> PublicView {
    let index = world.resource::<EntityIndex>();
    let rules = world.resource::<GameRules>();
    let clock = world.resource::<TurnClock>();
    let rel = world.resource::<Relations>();
    PublicView {
        turn: clock.turn,
        max_turns: clock.max_turns,
        label: clock.label(),
        level_title: rules.level_title.clone(),
        params: rules.params.clone(),
        war_params: rules.war.clone(),
        base_price: rules.base_price,
        market: world.resource::<Market>().clone(),
        relations: Policies {
            tariff: rel.tariff,
            export_control: rel.export_control,
            export_control_outside: rel.export_control_outside,
            sanctions: rel.sanctions,
            licence_age: rel.licence_age,
            extraterritorial: rel.extraterritorial,
        },
        war: world.resource::<UkraineWar>().clone(),
        deposits: in_id_order::<Deposit>(world, &index.deposits),
        sites: in_id_order::<Site>(world, &index.sites),
        facilities: in_id_order::<Facility>(world, &index.facilities),
        suppliers: in_id_order::<OutsideSupplier>(world, &index.suppliers),
        history: world
            .resource::<History>()
            .turns
            .iter()
            .map(|r| PublicTurn {
                turn: r.turn,
                price: r.price,
                price_china: r.price_china,
                origin_price: r.origin_price,
                mining_share: r.mining_share,
                separation_share: r.separation_share,
                magnet_share: r.magnet_share,
                stability: r.stability,
                war_status: r.war_status,
                front_share: r.front_share,
            })
            .collect(),
        trade_flows: world.resource::<TradeLog>().flows.clone(),
        price_floors: world.resource::<Diplomacy>().price_floors.clone(),
        outcome: world.resource::<GameOutcome>().clone(),
    }
}

/// Build `viewer`'s view of the game in `world`.
pub fn power_view(world: &World, viewer: PowerId) -> PowerView {
    power_view_with(world, viewer, Arc::new(public_view(world)))
}

/// The three powers' views of the same moment, sharing their public part.
pub fn power_views(world: &World) -> PerPower<PowerView> {
    let public = Arc::new(public_view(world));
    PerPower(PowerId::ALL.map(|p| power_view_with(world, p, public.clone())))
}

/// `viewer`'s view with a public part built already (see [`public_view`]).
pub fn power_view_with(world: &World, viewer: PowerId, public: Arc<PublicView>) -> PowerView {
    let rules = world.resource::<GameRules>();
    let clock = world.resource::<TurnClock>();
    let options = world.resource::<GameOptions>();
    let seed = world.resource::<RulesRng>().seed;
    // Every component of the viewer's power, as the registry of saved state
    // lists them (`super::hash`).
    let me = OwnView::of(world, super::orders::power_entity(world, viewer));
    let mut others = Vec::new();
    for p in viewer.others() {
        let finances = get_power::<Finances>(world, p);
        let politics = get_power::<Politics>(world, p);
        let stock = get_power::<Stockpile>(world, p);
        let industry = get_power::<Industry>(world, p);
        let card = get_power::<Scorecard>(world, p);
        let intel = me.intelligence.turns_left[p];
        let error = if !options.hidden_information {
            0.0
        } else if intel > 0 {
            rules.params.intel_error
        } else {
            rules.params.estimate_error
        };
        let est_within = |value: f64, field: u64, error: f64| -> Estimate {
            if error == 0.0 {
                Estimate::exact(value)
            } else {
                let n = noise(seed, clock.turn, viewer, p, field, error);
                Estimate {
                    value: value * (1.0 + n),
                    error,
                }
            }
        };
        let est = |value: f64, field: u64| est_within(value, field, error);
        // Only the objectives that read hidden figures (treasury, industry
        // needs met) blur the score; the rest anyone can work out.
        let total: f64 = card.objectives.iter().map(|o| o.weight).sum();
        let hidden: f64 = card
            .objectives
            .iter()
            .filter(|o| o.kind.reads_hidden_figures())
            .map(|o| o.weight)
            .sum();
        let hidden_share = if total > 0.0 { hidden / total } else { 0.0 };
        others.push(OtherView {
            id: p,
            eliminated: get_power::<Power>(world, p).eliminated,
            treasury: est(finances.treasury, 1),
            political_capital: est(politics.political_capital, 2),
            stockpile: PerGood(Good::ALL.map(|g| est(stock.qty[g], 10 + g.index() as u64))),
            stability: politics.stability,
            score: est_within(card.score(), 3, error * hidden_share),
            objectives: card.objectives.clone(),
            industry_need: PerGood(Good::ALL.map(|g| industry.current_need(g))),
            supply_security: industry.supply_security,
            intel_turns: intel,
        });
    }
    let rel = world.resource::<Relations>();
    let trust = TrustView {
        mine: PerPower(PowerId::ALL.map(|p| rel.trust(viewer, p))),
        theirs: PerPower(PowerId::ALL.map(|p| rel.trust(p, viewer))),
    };
    let diplomacy = world.resource::<Diplomacy>();
    let involves = |a: PowerId, b: PowerId| a == viewer || b == viewer;
    let own_history = world
        .resource::<History>()
        .turns
        .iter()
        .map(|r| OwnTurn {
            turn: r.turn,
            treasury: r.treasury[viewer],
            supply_security: r.supply_security[viewer],
            needs_met: r.needs_met[viewer],
            stockpile: r.stockpile[viewer],
            score: r.score[viewer],
        })
        .collect();
    PowerView {
        public,
        me,
        others,
        trust,
        proposals: diplomacy
            .proposals
            .iter()
            .filter(|p| involves(p.deal.from, p.deal.to))
            .filter(|p| {
                p.status == super::deals::ProposalStatus::Pending
                    || p.turn + RECENT_PROPOSAL_TURNS >= clock.turn
            })
            .cloned()
            .collect(),
        contracts: diplomacy
            .contracts
            .iter()
            .filter(|c| involves(c.seller, c.buyer))
            .cloned()
            .collect(),
        offtakes: diplomacy
            .offtakes
            .iter()
            .filter(|o| o.buyer == viewer)
            .cloned()
            .collect(),
        agreements: diplomacy
            .agreements
            .iter()
            .filter(|a| involves(a.parties.0, a.parties.1))
            .cloned()
            .collect(),
        news: world
            .resource::<NewsLog>()
            .since(clock.turn.saturating_sub(RECENT_NEWS_TURNS))
            .iter()
            .filter(|n| n.readable_by(viewer))
            .cloned()
            .collect(),
        own_history,
        queued: world.resource::<OrderBook>().orders[viewer].clone(),
        last_results: world
            .resource::<OrderResults>()
            .results
            .iter()
            .filter(|r| r.power == viewer)
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn others_are_estimates_and_own_figures_exact() {
        let world = test_world();
        let v = power_view(&world, PowerId::Us);
        let china = v.other(PowerId::China).unwrap();
        let truth = get_power::<Finances>(&world, PowerId::China).treasury;
        assert!(!china.treasury.is_exact());
        assert!(china.treasury.low() <= truth * 1.0001 || china.treasury.high() >= truth);
        assert_eq!(
            v.me.finances.treasury,
            get_power::<Finances>(&world, PowerId::Us).treasury
        );
        // Deterministic: the same view twice.
        assert_eq!(power_view(&world, PowerId::Us), v);
    }

    #[test]
    fn a_score_is_blurred_only_by_its_hidden_objectives() {
        let world = test_world();
        let estimate = world.resource::<GameRules>().params.estimate_error;
        let v = power_view(&world, PowerId::Us);
        for other in &v.others {
            let card = get_power::<Scorecard>(&world, other.id);
            let total: f64 = card.objectives.iter().map(|o| o.weight).sum();
            let hidden: f64 = card
                .objectives
                .iter()
                .filter(|o| o.kind.reads_hidden_figures())
                .map(|o| o.weight)
                .sum();
            // Only a share of the score is hidden, so its error is smaller
            // than a treasury's; a power scored on public figures alone
            // (Russia) shows its exact score.
            assert!(hidden < total, "{}", other.id);
            assert!(
                (other.score.error - estimate * hidden / total).abs() < 1e-12,
                "{}: {}",
                other.id,
                other.score.error
            );
            assert!(other.score.error < other.treasury.error);
            if hidden == 0.0 {
                assert!(other.score.is_exact());
            }
        }
    }

    #[test]
    fn intelligence_narrows_the_estimate() {
        let mut world = test_world();
        let e = power_entity(&world, PowerId::Us);
        world.get_mut::<Intelligence>(e).unwrap().turns_left[PowerId::China] = 2;
        let v = power_view(&world, PowerId::Us);
        let china = v.other(PowerId::China).unwrap();
        assert!(china.treasury.error <= 0.05 + 1e-12);
    }

    #[test]
    fn a_view_never_holds_another_powers_private_news_or_orders() {
        let mut world = test_world();
        world
            .resource_mut::<NewsLog>()
            .private(1, &[PowerId::China], NewsKind::Order, "secret");
        world.resource_mut::<OrderBook>().orders[PowerId::China].push(Order::SetReserve {
            good: Good::Magnets,
            turns: 5.0,
        });
        let v = power_view(&world, PowerId::Us);
        assert!(v.news.iter().all(|n| &*n.text != "secret"));
        assert!(v.queued.is_empty());
        let json = serde_json::to_string(&v).unwrap();
        assert!(!json.contains("secret"));
    }
}
