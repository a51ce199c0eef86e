//! Components of the game's entities: powers, deposits, sites, facilities and
//! outside suppliers. Every entity carries a stable id so systems can sort
//! before doing anything order-dependent.

use std::sync::Arc;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::params::{KindTable, ObjectiveSetup, SeparationSetup};
use super::types::*;

/// A playable power. Its other components sit on the same entity.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Power {
    pub id: PowerId,
    /// Out of the game after bankruptcy or collapse.
    pub eliminated: bool,
}

/// Money of a power's rare-earth programme, US$ bn.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finances {
    pub treasury: f64,
    /// Base income per quarter before shortfalls.
    pub base_income: f64,
    pub debt_limit: f64,
    /// This turn's flows, for the economy panel and the news.
    pub ledger: Ledger,
}

/// Money flows of one turn, US$ bn (positive in, negative out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Ledger {
    pub income: f64,
    pub running_costs: f64,
    pub construction: f64,
    pub sales: f64,
    pub purchases: f64,
    pub tariff_revenue: f64,
    pub war: f64,
    pub research: f64,
    pub deals: f64,
    pub storage: f64,
    pub events: f64,
    pub other: f64,
}

impl Ledger {
    pub fn net(&self) -> f64 {
        self.income
            + self.running_costs
            + self.construction
            + self.sales
            + self.purchases
            + self.tariff_revenue
            + self.war
            + self.research
            + self.deals
            + self.storage
            + self.events
            + self.other
    }
}

#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Politics {
    /// 0–100: spent on reforms, sanctions and breaking deals.
    pub political_capital: f64,
    /// 0–100: a power at the collapse level is out.
    pub stability: f64,
    pub action_points: u32,
}

/// Goods on hand, with where they came from.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Stockpile {
    pub qty: PerGood<f64>,
    pub mix: PerGood<OriginMix>,
    /// Dy/Tb share of the concentrate on hand.
    pub concentrate_heavy_share: f64,
    /// Turns of need a power keeps in reserve per good; the rest is sold.
    pub reserve_turns: PerGood<f64>,
}

impl Stockpile {
    /// Add `qty` of `good` from `origin`, updating the origin mix.
    pub fn add(&mut self, good: Good, qty: f64, origin: &OriginMix) {
        if qty <= 0.0 {
            return;
        }
        let have = self.qty[good];
        self.mix[good] = self.mix[good].blend(have, origin, qty);
        self.qty[good] = have + qty;
    }

    /// Add concentrate with a given heavy share.
    pub fn add_concentrate(&mut self, qty: f64, heavy_share: f64, origin: &OriginMix) {
        if qty <= 0.0 {
            return;
        }
        let have = self.qty[Good::Concentrate];
        self.concentrate_heavy_share =
            (self.concentrate_heavy_share * have + heavy_share * qty) / (have + qty);
        self.add(Good::Concentrate, qty, origin);
    }

    /// Remove up to `qty`; returns what was removed.
    pub fn take(&mut self, good: Good, qty: f64) -> f64 {
        let q = qty.clamp(0.0, self.qty[good]);
        self.qty[good] -= q;
        if self.qty[good] < 1e-9 {
            self.qty[good] = 0.0;
        }
        q
    }
}

/// Domestic industry (EVs, wind, defence) and what it needs each quarter.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Industry {
    /// Need per quarter on the trend (kt), before the demand has adjusted to prices.
    pub need: PerGood<f64>,
    pub growth: f64,
    /// How far demand has adjusted to prices (thrifting, substitution,
    /// demand destruction): 1 = none; the need used is `need × adjust`.
    pub adjust: PerGood<f64>,
    /// Part of the need that is for defence (kt per quarter): served first.
    pub defence_need: PerGood<f64>,
    /// US$ bn of industrial output lost per kt short.
    pub industrial_output: PerGood<f64>,
    /// Share of each need met last turn.
    pub met: PerGood<f64>,
    /// kt of each good the industry lacked last turn.
    pub shortfall: PerGood<f64>,
    /// Share of the defence needs met last turn.
    pub defence_met: f64,
    /// US$ bn of industrial output lost to shortfalls last turn.
    pub output_lost: f64,
    /// Share of the needs for magnets and oxides met last turn with goods of
    /// no Chinese content (mined, separated and made outside China), by value.
    pub supply_security: f64,
    /// Share of the needs met last turn with goods of Russian content (the new dependency).
    pub russian_share: f64,
    /// Value-weighted share of needs met last turn.
    pub needs_met: f64,
}

impl Industry {
    /// What the industry needs this quarter after adjusting to prices (kt).
    pub fn current_need(&self, g: Good) -> f64 {
        self.need[g] * self.adjust[g]
    }
}

#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Research {
    /// US$ bn invested per field.
    pub invested: [f64; 3],
    /// Progress 0..1 per field, derived from investment.
    pub progress: [f64; 3],
}

impl Research {
    pub fn level(&self, field: ResearchField) -> f64 {
        self.progress[field.index()]
    }
}

/// Turns of fresh intelligence a power holds on each other power.
#[derive(
    Component, Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Intelligence {
    pub turns_left: PerPower<u32>,
}

/// How fast and dear building is for a power.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BuildProfile {
    pub permitting_turns: KindTable<u32>,
    pub construction_turns: KindTable<u32>,
    pub unit_cost: KindTable<f64>,
    pub running_cost: KindTable<f64>,
}

/// Objectives, progress and score.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Scorecard {
    /// The level's objectives (shared: they never change).
    pub objectives: Arc<Vec<ObjectiveSetup>>,
    /// Progress 0..1 of each objective this turn.
    pub progress: Vec<f64>,
    /// Sum of weighted progress over turns played.
    pub accumulated: f64,
    pub turns_scored: u32,
    /// Consecutive turns at decisive-victory level.
    pub decisive_streak: u32,
    /// Rare-earth export revenue of the last four turns (US$ bn).
    pub export_revenue: [f64; 4],
}

impl Scorecard {
    /// Game score 0..100: mean weighted progress over the turns played.
    pub fn score(&self) -> f64 {
        if self.turns_scored == 0 {
            0.0
        } else {
            self.accumulated / self.turns_scored as f64
        }
    }

    pub fn mean_progress(&self) -> f64 {
        let total: f64 = self.objectives.iter().map(|o| o.weight).sum();
        if total <= 0.0 {
            return 0.0;
        }
        self.objectives
            .iter()
            .zip(&self.progress)
            .map(|(o, p)| o.weight * p)
            .sum::<f64>()
            / total
    }
}

/// A rare-earth deposit on the map.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Deposit {
    pub id: Arc<str>,
    // Text that never changes is shared, so views copy it cheaply.
    pub name: Arc<str>,
    pub country: Arc<str>,
    pub position: LatLon,
    /// kt REO left.
    pub reserves: f64,
    pub heavy_share: f64,
    pub controller: Option<PowerId>,
    pub open_to: Vec<PowerId>,
    pub front_threshold: Option<f64>,
    pub cost_factor: f64,
    pub max_mine_capacity: f64,
    pub note: Arc<str>,
}

impl Deposit {
    /// May `power` build here without a deal?
    pub fn usable_by(&self, power: PowerId) -> bool {
        self.controller == Some(power)
            || (self.controller.is_none() && self.open_to.contains(&power))
    }
}

/// An industrial site for plants.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Site {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub country: Arc<str>,
    pub position: LatLon,
    pub controller: Option<PowerId>,
    pub open_to: Vec<PowerId>,
    pub cost_factor: f64,
    pub note: Arc<str>,
}

impl Site {
    pub fn usable_by(&self, power: PowerId) -> bool {
        self.controller == Some(power)
            || (self.controller.is_none() && self.open_to.contains(&power))
    }
}

/// A mine, separation plant or magnet plant.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Facility {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub kind: FacilityKind,
    pub owner: PowerId,
    /// Deposit or site id.
    pub at: Arc<str>,
    /// kt per quarter (see the level format).
    pub capacity: f64,
    pub stage: Stage,
    /// Turns left in the current stage (permitting, construction or repair).
    pub turns_left: u32,
    /// US$ bn still to spend on construction.
    pub money_left: f64,
    /// Capital cost when funded, US$ bn (for speed-ups).
    pub cost: f64,
    /// Who pays construction (the investor of a joint venture).
    pub funder: PowerId,
    /// Partners' shares of the output; the owner keeps the rest.
    pub partners: Vec<(PowerId, f64)>,
    /// Output last turn (kt).
    pub output: f64,
    /// Turn the facility was funded (0 for those at the start).
    pub funded_turn: u32,
    /// Order of creation: a stable, cheap key for deterministic iteration.
    pub seq: u32,
}

impl Facility {
    pub fn owner_share(&self) -> f64 {
        1.0 - self.partners.iter().map(|(_, s)| s).sum::<f64>()
    }

    /// Share of output going to `power`.
    pub fn share_of(&self, power: PowerId) -> f64 {
        let partner: f64 = self
            .partners
            .iter()
            .filter(|(p, _)| *p == power)
            .map(|(_, s)| s)
            .sum();
        if power == self.owner {
            self.owner_share() + partner
        } else {
            partner
        }
    }

    /// Turns until it opens (permitting + construction), if it is being built.
    pub fn turns_to_open(&self, profile_construction: u32) -> Option<u32> {
        match self.stage {
            Stage::Planned => Some(
                self.turns_left
                    .saturating_add(profile_construction)
                    .saturating_add(1),
            ),
            Stage::Permitting => Some(self.turns_left.saturating_add(profile_construction)),
            Stage::Construction => Some(self.turns_left),
            _ => None,
        }
    }
}

/// A producer and user of rare earths that no player commands (Lynas,
/// Myanmar's mines, Japan's and Europe's magnet makers and their industry).
/// It mines, separates and makes magnets by the same rules as the powers,
/// serves its own users first, and trades the rest.
#[derive(Component, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutsideSupplier {
    pub id: Arc<str>,
    pub name: Arc<str>,
    pub position: LatLon,
    /// Mine output, kt concentrate per quarter.
    pub mines: f64,
    /// Dy/Tb share of the concentrate it mines.
    pub heavy_share: f64,
    /// Separation: concentrate fed and oxides made per quarter at full feed.
    pub separation: SeparationSetup,
    /// Magnet plants, kt of magnets per quarter.
    pub magnet_plants: f64,
    /// Goods on hand, with their content by origin.
    pub stock: Stockpile,
    /// What its own users need per quarter on the trend (kt).
    pub demand: PerGood<f64>,
    /// How far its users' demand has adjusted to prices (1 = not at all).
    pub adjust: PerGood<f64>,
    /// Share of its users' needs met last turn.
    pub met: PerGood<f64>,
    /// A state stockpile that the powers in `releases_to` may ask to draw on.
    pub strategic: PerGood<f64>,
    pub releases_to: Vec<PowerId>,
    /// Powers it signs offtake contracts with.
    pub offtake_to: Vec<PowerId>,
    /// US$ bn per kt/quarter of capacity an offtake finances.
    pub offtake_capex: f64,
    /// Whether it builds capacity when prices stay high.
    pub expands: bool,
    /// Capacity being built: it opens on its turn.
    pub pipeline: Vec<Expansion>,
    /// Growth per quarter of capacity and of its users' demand.
    pub growth: f64,
    pub demand_growth: f64,
    /// Active supply shocks: (good, factor, turns left).
    pub shocks: Vec<(Good, f64, u32)>,
    /// Export controls the powers apply to this buyer alone (on top of their
    /// controls on all outside buyers), and quarters of licensing so far.
    pub controls: [PerGood<ExportLevel>; 3],
    pub licence_age: [PerGood<u32>; 3],
    /// Last turn's output, sales and purchases (kt), for the map and the news.
    pub made: PerGood<f64>,
    pub sold: PerGood<f64>,
    pub bought: PerGood<f64>,
}

/// Capacity an outside producer is building.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Expansion {
    /// Turn it opens.
    pub ready: u32,
    pub stage: FacilityKind,
    /// kt per quarter: concentrate for mines and separation feed, magnets for magnet plants.
    pub qty: f64,
    /// Who paid for it (an offtake), if anyone.
    pub financed_by: Option<PowerId>,
}

impl OutsideSupplier {
    pub fn shock_factor(&self, good: Good) -> f64 {
        self.shocks
            .iter()
            .filter(|(g, _, _)| *g == good)
            .map(|(_, f, _)| f)
            .product()
    }

    /// What its users need this quarter (kt), after adjusting to prices.
    pub fn current_demand(&self, g: Good) -> f64 {
        self.demand[g] * self.adjust[g]
    }

    /// What it can make of a good per quarter at full feed (kt), before shocks.
    pub fn capacity(&self, g: Good) -> f64 {
        match g {
            Good::Concentrate => self.mines,
            Good::LightOxides => self.separation.light_oxides,
            Good::HeavyOxides => self.separation.heavy_oxides,
            Good::Magnets => self.magnet_plants,
        }
    }
}
