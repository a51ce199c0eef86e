//! The one order API used by the command line, the AI and the GUI, and the
//! checks every order passes before it is queued and again when it resolves.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;

use super::components::*;
use super::deals::{Commitment, Deal, ProposalStatus, Response, Term, us_russia_term_rule};
use super::resources::*;
use super::types::*;

/// Everything a power can do in a turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Order {
    /// Start a new facility on a deposit or site this power may use.
    FundFacility {
        at: String,
        kind: FacilityKind,
        capacity: f64,
    },
    /// Add money to a facility being built to open it sooner.
    SpeedUp {
        facility: String,
        amount: f64,
    },
    /// Spend political capital to cut permitting short (risk of backlash).
    PermitReform {
        facility: String,
    },
    /// Stop or restart an operating facility.
    SetIdle {
        facility: String,
        idle: bool,
    },
    /// Buy on the world market at up to `max_price` $/kg.
    Buy {
        good: Good,
        qty: f64,
        max_price: f64,
    },
    /// Sell on the world market at no less than `min_price` $/kg.
    Sell {
        good: Good,
        qty: f64,
        min_price: f64,
    },
    /// Keep this many turns of need in stock (strategic stockpile).
    SetReserve {
        good: Good,
        turns: f64,
    },
    SetTariff {
        on: PowerId,
        rate: f64,
    },
    /// Export controls on a good to a power, or to outside buyers.
    SetExportControl {
        target: Origin,
        good: Good,
        level: ExportLevel,
    },
    SetSanctions {
        on: PowerId,
        level: SanctionsLevel,
    },
    ProposeDeal {
        to: PowerId,
        terms: Vec<Term>,
    },
    RespondToDeal {
        proposal: u32,
        response: Response,
    },
    /// Walk out of a supply contract (a breach: costs trust and capital).
    CancelContract {
        contract: u32,
    },
    /// US only: aid to Ukraine, 0–3.
    SetAid {
        level: u8,
    },
    /// Russia only.
    SetPosture {
        posture: WarPosture,
    },
    /// China only.
    SetStance {
        stance: ChinaStance,
    },
    FundResearch {
        field: ResearchField,
        amount: f64,
    },
    /// Learn another power's exact stockpiles and treasury for a few turns.
    GatherIntelligence {
        target: PowerId,
    },
    /// Make export controls reach goods made abroad with this power's content,
    /// and close re-export through third countries (China's 0.1% rule).
    SetExtraterritorial {
        on: bool,
    },
    /// Sign an offtake with an allied outside producer: it delivers `qty` kt a
    /// quarter for `turns` turns at the price outside China plus a premium,
    /// and the buyer finances the new capacity (ready after the producer's lag).
    Offtake {
        supplier: String,
        good: Good,
        qty: f64,
        turns: u32,
    },
    /// Ask an ally to release part of its state stockpile (Japan's JOGMEC),
    /// bought at the price outside China.
    DrawAlliedStockpile {
        supplier: String,
        good: Good,
        qty: f64,
    },
    /// Guarantee the power's own producers a price floor for a good (as the
    /// Pentagon did for NdPr in 2025): the treasury pays the gap; private money
    /// pays part of new facilities that make the good.
    PriceFloor {
        good: Good,
        price: f64,
        turns: u32,
    },
}

impl Order {
    /// Action points the order uses; market orders and answers are free.
    pub fn action_points(&self) -> u32 {
        match self {
            Order::Buy { .. }
            | Order::Sell { .. }
            | Order::SetReserve { .. }
            | Order::RespondToDeal { .. }
            | Order::CancelContract { .. }
            | Order::SetIdle { .. } => 0,
            _ => 1,
        }
    }

    /// Political capital the order spends when carried out.
    pub fn political_capital(&self, world: &World, power: PowerId) -> f64 {
        let params = &world.resource::<GameRules>().params;
        match self {
            Order::PermitReform { .. } => params.permit_reform_cost,
            Order::SetSanctions { on, level } => {
                let current = world.resource::<Relations>().sanctions(power, *on);
                if *level > current {
                    SANCTIONS_CAPITAL
                } else if *level < current && power == PowerId::Us && *on == PowerId::Russia {
                    // Congress must be won over to ease sanctions on Russia.
                    params.sanctions_relief_capital
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }

    /// Money the order commits this turn (US$ bn), for affordability checks.
    pub fn money(&self, world: &World, power: PowerId) -> f64 {
        match self {
            Order::FundFacility { at, kind, capacity } => {
                facility_cost(world, power, at, *kind, *capacity).unwrap_or(0.0) * UPFRONT_SHARE
            }
            Order::SpeedUp { amount, .. } => *amount,
            Order::FundResearch { amount, .. } => *amount,
            Order::GatherIntelligence { .. } => world.resource::<GameRules>().params.intel_cost,
            Order::Buy { qty, max_price, .. } => qty * max_price / 1000.0,
            Order::Offtake {
                supplier,
                qty,
                good,
                ..
            } => offtake_financing(world, supplier, *good, *qty).unwrap_or(0.0),
            Order::DrawAlliedStockpile { good, qty, .. } => {
                qty * world.resource::<Market>().price[*good] / 1000.0
            }
            _ => 0.0,
        }
    }
}

/// What an offtake of `qty` kt a quarter costs up front: the buyer finances
/// the producer's new capacity for it (US$ bn).
pub fn offtake_financing(world: &World, supplier: &str, good: Good, qty: f64) -> Option<f64> {
    let e = world.resource::<EntityIndex>().suppliers.get(supplier)?;
    let s = world.get::<OutsideSupplier>(*e)?;
    Some(qty * s.offtake_capex * offtake_stage_factor(good))
}

/// Capacity a kt of each good needs at its stage, relative to a kt of
/// concentrate: a separation plant yields a fifth of its feed as NdPr.
pub fn offtake_stage_factor(good: Good) -> f64 {
    match good {
        Good::Concentrate => 1.0,
        Good::LightOxides => 5.0,
        Good::HeavyOxides => 50.0,
        Good::Magnets => 1.5,
    }
}

/// The stage an offtake of `good` finances.
pub fn offtake_stage(good: Good) -> FacilityKind {
    match good {
        Good::Concentrate => FacilityKind::Mine,
        Good::LightOxides | Good::HeavyOxides => FacilityKind::SeparationPlant,
        Good::Magnets => FacilityKind::MagnetPlant,
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Order::FundFacility { at, kind, capacity } => {
                write!(f, "fund a {kind} of {capacity:.2} kt/quarter at {at}")
            }
            Order::SpeedUp { facility, amount } => {
                write!(f, "add ${amount:.2} bn to speed up {facility}")
            }
            Order::PermitReform { facility } => write!(f, "push permit reform for {facility}"),
            Order::SetIdle { facility, idle } => {
                if *idle {
                    write!(f, "idle {facility}")
                } else {
                    write!(f, "restart {facility}")
                }
            }
            Order::Buy {
                good,
                qty,
                max_price,
            } => write!(f, "buy {qty:.2} kt of {good} at up to ${max_price:.0}/kg"),
            Order::Sell {
                good,
                qty,
                min_price,
            } => write!(
                f,
                "sell {qty:.2} kt of {good} at no less than ${min_price:.0}/kg"
            ),
            Order::SetReserve { good, turns } => {
                write!(f, "keep {turns:.1} turns of {good} in reserve")
            }
            Order::SetTariff { on, rate } => {
                write!(f, "set the tariff on {on} to {:.0}%", rate * 100.0)
            }
            Order::SetExportControl {
                target,
                good,
                level,
            } => write!(
                f,
                "set export controls on {good} to {} at {}",
                target.name(),
                level.name()
            ),
            Order::SetSanctions { on, level } => {
                write!(f, "set sanctions on {on} to {}", level.name())
            }
            Order::ProposeDeal { to, terms } => {
                let d = Deal {
                    from: PowerId::Us,
                    to: *to,
                    terms: terms.clone(),
                };
                write!(f, "propose to {to}: {}", d.describe())
            }
            Order::RespondToDeal { proposal, response } => match response {
                Response::Accept => write!(f, "accept deal #{proposal}"),
                Response::Reject { .. } => write!(f, "reject deal #{proposal}"),
                Response::Counter { .. } => write!(f, "counter deal #{proposal}"),
            },
            Order::CancelContract { contract } => write!(f, "cancel contract #{contract}"),
            Order::SetAid { level } => write!(f, "set aid to Ukraine to level {level}"),
            Order::SetPosture { posture } => write!(f, "war posture: {posture:?}"),
            Order::SetStance { stance } => write!(f, "stance on the war: {stance:?}"),
            Order::FundResearch { field, amount } => {
                write!(f, "fund ${amount:.2} bn of {} research", field.name())
            }
            Order::GatherIntelligence { target } => write!(f, "gather intelligence on {target}"),
            Order::SetExtraterritorial { on } => {
                if *on {
                    write!(
                        f,
                        "make export controls reach goods made abroad with our content"
                    )
                } else {
                    write!(f, "stop applying export controls to goods made abroad")
                }
            }
            Order::Offtake {
                supplier,
                good,
                qty,
                turns,
            } => write!(
                f,
                "sign an offtake of {qty:.2} kt/quarter of {good} from {supplier} for {turns} turns"
            ),
            Order::DrawAlliedStockpile {
                supplier,
                good,
                qty,
            } => write!(
                f,
                "ask {supplier} to release {qty:.2} kt of {good} from its stockpile"
            ),
            Order::PriceFloor { good, price, turns } => write!(
                f,
                "guarantee a price floor of ${price:.0}/kg for {good} for {turns} turns"
            ),
        }
    }
}

/// Share of a new facility's cost paid when it is funded.
pub const UPFRONT_SHARE: f64 = 0.1;

/// Political capital imposing (or raising) sanctions costs.
pub const SANCTIONS_CAPITAL: f64 = 5.0;

/// Why an order was refused, in words a player can read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

fn refuse<T>(msg: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(msg.into()))
}

/// Read-only helpers over the world used by validation, views and systems.
pub fn power_entity(world: &World, p: PowerId) -> Entity {
    world.resource::<EntityIndex>().power(p)
}

pub fn get_power<T: Component>(world: &World, p: PowerId) -> &T {
    world
        .get::<T>(power_entity(world, p))
        .expect("every power entity has all power components")
}

/// A deposit or site, as far as building goes.
pub struct Location {
    pub name: String,
    pub is_deposit: bool,
    pub controller: Option<PowerId>,
    pub open_to: Vec<PowerId>,
    pub cost_factor: f64,
    pub max_mine_capacity: f64,
    pub reserves: f64,
}

impl Location {
    pub fn usable_by(&self, power: PowerId) -> bool {
        self.controller == Some(power)
            || (self.controller.is_none() && self.open_to.contains(&power))
    }
}

pub fn location(world: &World, id: &str) -> Option<Location> {
    let index = world.resource::<EntityIndex>();
    if let Some(e) = index.deposits.get(id) {
        let d = world.get::<Deposit>(*e)?;
        return Some(Location {
            name: d.name.to_string(),
            is_deposit: true,
            controller: d.controller,
            open_to: d.open_to.clone(),
            cost_factor: d.cost_factor,
            max_mine_capacity: d.max_mine_capacity,
            reserves: d.reserves,
        });
    }
    if let Some(e) = index.sites.get(id) {
        let s = world.get::<Site>(*e)?;
        return Some(Location {
            name: s.name.to_string(),
            is_deposit: false,
            controller: s.controller,
            open_to: s.open_to.clone(),
            cost_factor: s.cost_factor,
            max_mine_capacity: 0.0,
            reserves: 0.0,
        });
    }
    None
}

/// Capital cost of a facility built by `power` (US$ bn).
pub fn facility_cost(
    world: &World,
    power: PowerId,
    at: &str,
    kind: FacilityKind,
    capacity: f64,
) -> Option<f64> {
    let loc = location(world, at)?;
    let profile = get_power::<BuildProfile>(world, power);
    let research = get_power::<Research>(world, power);
    let params = &world.resource::<GameRules>().params;
    let mut cost = profile.unit_cost.get(kind) * capacity * loc.cost_factor;
    if kind == FacilityKind::SeparationPlant {
        cost *= 1.0 - params.processing_max * research.level(ResearchField::Processing);
    }
    if floor_covers(&world.resource::<Diplomacy>().price_floors, power, kind) {
        cost *= 1.0 - params.price_floor_private_share;
    }
    Some(cost)
}

/// Whether a power's price floors bring private money to a facility of this
/// kind: a floor on a good covers the plants that make it and the stages
/// upstream of it (a floor on NdPr finances mines and separation).
pub fn floor_covers(
    floors: &[super::deals::PriceFloor],
    power: PowerId,
    kind: FacilityKind,
) -> bool {
    floors.iter().any(|f| {
        f.power == power
            && match f.good {
                Good::Concentrate => kind == FacilityKind::Mine,
                Good::LightOxides | Good::HeavyOxides => kind != FacilityKind::MagnetPlant,
                Good::Magnets => true,
            }
    })
}

/// Mine capacity already built or being built at a deposit.
pub fn mine_capacity_at(world: &World, at: &str) -> f64 {
    let index = world.resource::<EntityIndex>();
    index
        .facilities
        .values()
        .filter_map(|e| world.get::<Facility>(*e))
        .filter(|f| f.at == at && f.kind == FacilityKind::Mine)
        .map(|f| f.capacity)
        .sum()
}

pub fn facility<'w>(world: &'w World, id: &str) -> Option<&'w Facility> {
    let e = world.resource::<EntityIndex>().facilities.get(id)?;
    world.get::<Facility>(*e)
}

fn check_finite(values: &[f64]) -> Result<(), Refusal> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        refuse("numbers must be finite")
    }
}

/// Check an order for `power` against the current state, counting what is
/// already queued this turn. Returns nothing on success; a reason otherwise.
pub fn check_order(
    world: &World,
    power: PowerId,
    order: &Order,
    queued: &[Order],
) -> Result<(), Refusal> {
    check_order_inner(world, power, order, queued, true)
}

/// The same check when the turn resolves: money of orders already carried out
/// has left the treasury, so only action points are counted from `done`.
pub fn check_at_resolution(
    world: &World,
    power: PowerId,
    order: &Order,
    done: &[Order],
) -> Result<(), Refusal> {
    check_order_inner(world, power, order, done, false)
}

fn check_order_inner(
    world: &World,
    power: PowerId,
    order: &Order,
    queued: &[Order],
    count_queued_money: bool,
) -> Result<(), Refusal> {
    let outcome = world.resource::<GameOutcome>();
    if outcome.over {
        return refuse("the game is over");
    }
    if get_power::<Power>(world, power).eliminated {
        return refuse(format!("{power} is out of the game"));
    }
    let politics = get_power::<Politics>(world, power);
    let used: u32 = queued.iter().map(Order::action_points).sum();
    let ap = order.action_points();
    if ap > 0 && used + ap > politics.action_points {
        return refuse(format!(
            "no action points left: {} of {} used this turn",
            used, politics.action_points
        ));
    }
    let finances = get_power::<Finances>(world, power);
    // One pool of money: queued orders' costs (and the most queued buys may
    // pay). When the turn resolves, orders carried out have paid already,
    // but buys only pay in the trade phase, so they still count.
    let committed: f64 = queued
        .iter()
        .filter(|o| count_queued_money || matches!(o, Order::Buy { .. }))
        .map(|o| o.money(world, power))
        .sum();
    let available = finances.treasury - committed;
    // Political capital likewise: what queued orders will spend.
    let capital_committed: f64 = if count_queued_money {
        queued
            .iter()
            .map(|o| o.political_capital(world, power))
            .sum()
    } else {
        0.0
    };
    let capital = politics.political_capital - capital_committed;
    let capital_needed = order.political_capital(world, power);
    if capital_needed > 0.0 && capital < capital_needed {
        return refuse(format!(
            "not enough political capital: this needs {capital_needed:.0}, {:.0} left",
            capital.max(0.0)
        ));
    }
    let money = order.money(world, power);

    match order {
        Order::FundFacility { at, kind, capacity } => {
            check_finite(&[*capacity])?;
            if *capacity <= 0.0 || *capacity > 100.0 {
                return refuse("capacity must be between 0 and 100 kt a quarter");
            }
            let Some(loc) = location(world, at) else {
                return refuse(format!("there is no deposit or site called \"{at}\""));
            };
            if !loc.usable_by(power) {
                return refuse(match loc.controller {
                    Some(c) => format!(
                        "{} is controlled by {c}: building there needs a joint-venture deal",
                        loc.name
                    ),
                    None => format!("{} is not open to {power}", loc.name),
                });
            }
            check_location_for(world, &loc, at, *kind, *capacity)?;
            if money > available {
                return refuse(format!(
                    "not enough money: the first payment is ${money:.2} bn, ${available:.2} bn available"
                ));
            }
        }
        Order::SpeedUp {
            facility: id,
            amount,
        } => {
            check_finite(&[*amount])?;
            if *amount <= 0.0 {
                return refuse("the amount must be positive");
            }
            let Some(f) = facility(world, id) else {
                return refuse(format!("there is no facility called \"{id}\""));
            };
            if f.funder != power && f.owner != power {
                return refuse(format!("{} is not yours to fund", f.name));
            }
            match f.stage {
                Stage::Construction | Stage::Damaged => {}
                Stage::Planned | Stage::Permitting => {
                    return refuse(format!(
                        "{} is waiting for permits: money cannot buy a permit (try permit reform)",
                        f.name
                    ));
                }
                s => return refuse(format!("{} is {s}: nothing to speed up", f.name)),
            }
            if money > available {
                return refuse(format!(
                    "not enough money: ${money:.2} bn asked, ${available:.2} bn available"
                ));
            }
        }
        Order::PermitReform { facility: id } => {
            let Some(f) = facility(world, id) else {
                return refuse(format!("there is no facility called \"{id}\""));
            };
            if f.owner != power && f.funder != power {
                return refuse(format!("{} is not yours", f.name));
            }
            if !matches!(f.stage, Stage::Planned | Stage::Permitting) {
                return refuse(format!("{} is not waiting for permits", f.name));
            }
            if queued
                .iter()
                .any(|o| matches!(o, Order::PermitReform { facility } if facility == id))
            {
                return refuse("a permit reform for this facility is already queued");
            }
        }
        Order::SetIdle { facility: id, idle } => {
            let Some(f) = facility(world, id) else {
                return refuse(format!("there is no facility called \"{id}\""));
            };
            if f.owner != power {
                return refuse(format!("{} is not yours", f.name));
            }
            match (idle, f.stage) {
                (true, Stage::Operating) | (false, Stage::Idle) => {}
                (true, s) | (false, s) => {
                    return refuse(format!("{} is {s}", f.name));
                }
            }
        }
        Order::Buy {
            good,
            qty,
            max_price,
        } => {
            check_finite(&[*qty, *max_price])?;
            if *qty <= 0.0 || *max_price <= 0.0 {
                return refuse("quantity and price must be positive");
            }
            if *qty > 1000.0 {
                return refuse("more than the whole world trades in a quarter");
            }
            if money > available.max(0.0) {
                return refuse(format!(
                    "not enough money to pay up to ${:.2} bn for {good}",
                    money
                ));
            }
        }
        Order::Sell {
            good,
            qty,
            min_price,
        } => {
            check_finite(&[*qty, *min_price])?;
            if *qty <= 0.0 || *min_price < 0.0 {
                return refuse("quantity must be positive and price not negative");
            }
            let stock = get_power::<Stockpile>(world, power).qty[*good];
            let queued_sales: f64 = queued
                .iter()
                .filter_map(|o| match o {
                    Order::Sell { good: g, qty, .. } if g == good => Some(*qty),
                    _ => None,
                })
                .sum();
            if qty + queued_sales > stock + 1e-9 {
                return refuse(format!(
                    "only {:.2} kt of {good} in stock",
                    (stock - queued_sales).max(0.0)
                ));
            }
        }
        Order::SetReserve { turns, .. } => {
            check_finite(&[*turns])?;
            if !(0.0..=12.0).contains(turns) {
                return refuse("a reserve must be between 0 and 12 turns of need");
            }
        }
        Order::SetTariff { on, rate } => {
            check_finite(&[*rate])?;
            if *on == power {
                return refuse("a power cannot put a tariff on itself");
            }
            if !(0.0..=2.0).contains(rate) {
                return refuse("tariffs run from 0% to 200%");
            }
        }
        Order::SetExportControl { target, .. } => {
            if *target == Origin::Power(power) {
                return refuse("a power cannot control exports to itself");
            }
        }
        Order::SetSanctions { on, level } => {
            if *on == power {
                return refuse("a power cannot sanction itself");
            }
            let current = world.resource::<Relations>().sanctions(power, *on);
            if *level < current && power == PowerId::Us && *on == PowerId::Russia {
                let war = world.resource::<UkraineWar>();
                if war.status == WarStatus::Active {
                    return refuse(
                        "Congress will not lift sanctions on Russia while the war goes on: agree a ceasefire first (a deal can hold both)",
                    );
                }
            }
        }
        Order::ProposeDeal { to, terms } => {
            let deal = Deal {
                from: power,
                to: *to,
                terms: terms.clone(),
            };
            check_deal(world, &deal)?;
        }
        Order::RespondToDeal { proposal, response } => {
            let diplomacy = world.resource::<Diplomacy>();
            let Some(p) = diplomacy.proposals.iter().find(|p| p.id == *proposal) else {
                return refuse(format!("there is no deal #{proposal}"));
            };
            if p.deal.to != power {
                return refuse(format!("deal #{proposal} is not addressed to {power}"));
            }
            if p.status != ProposalStatus::Pending {
                return refuse(format!("deal #{proposal} is no longer open"));
            }
            if queued
                .iter()
                .any(|o| matches!(o, Order::RespondToDeal { proposal: q, .. } if q == proposal))
            {
                return refuse(format!("deal #{proposal} is already answered this turn"));
            }
            if let Response::Counter { terms, .. } = response {
                if p.counters.is_some() {
                    return refuse("a counter-offer can only be accepted or rejected");
                }
                let deal = Deal {
                    from: power,
                    to: p.deal.from,
                    terms: terms.clone(),
                };
                check_deal(world, &deal)?;
            }
        }
        Order::CancelContract { contract } => {
            let diplomacy = world.resource::<Diplomacy>();
            let Some(c) = diplomacy.contracts.iter().find(|c| c.id == *contract) else {
                return refuse(format!("there is no contract #{contract}"));
            };
            if c.seller != power && c.buyer != power {
                return refuse(format!("contract #{contract} is not yours"));
            }
        }
        Order::SetAid { level } => {
            if power != PowerId::Us {
                return refuse("only the United States sets aid to Ukraine");
            }
            if *level > 3 {
                return refuse("aid runs from level 0 to 3");
            }
            if world.resource::<UkraineWar>().status == WarStatus::Peace && *level > 0 {
                return refuse("the war is over: there is no aid to send");
            }
        }
        Order::SetPosture { .. } => {
            if power != PowerId::Russia {
                return refuse("only Russia sets its war posture");
            }
            if world.resource::<UkraineWar>().status == WarStatus::Peace {
                return refuse("the war is over");
            }
        }
        Order::SetStance { .. } => {
            if power != PowerId::China {
                return refuse("only China sets its stance on the war");
            }
        }
        Order::FundResearch { amount, .. } => {
            check_finite(&[*amount])?;
            if *amount <= 0.0 || *amount > 10.0 {
                return refuse("research funding must be between $0 and $10 bn");
            }
            if money > available {
                return refuse(format!(
                    "not enough money: ${money:.2} bn asked, ${available:.2} bn available"
                ));
            }
        }
        Order::GatherIntelligence { target } => {
            if *target == power {
                return refuse("you already know your own figures");
            }
            if money > available {
                return refuse(format!(
                    "not enough money: intelligence costs ${money:.2} bn"
                ));
            }
        }
        Order::SetExtraterritorial { on } => {
            if world.resource::<Relations>().extraterritorial[power.index()] == *on {
                return refuse(if *on {
                    "your export controls already reach goods made abroad"
                } else {
                    "your export controls do not reach goods made abroad"
                });
            }
        }
        Order::Offtake {
            supplier,
            good,
            qty,
            turns,
        } => {
            check_finite(&[*qty])?;
            let Some(s) = outside_supplier(world, supplier) else {
                return refuse(format!(
                    "there is no outside producer called \"{supplier}\""
                ));
            };
            if !s.offtake_to.contains(&power) {
                return refuse(format!("{} does not sign offtakes with {power}", s.name));
            }
            if s.capacity(*good) <= 0.0 {
                return refuse(format!("{} does not make {good}", s.name));
            }
            if *qty <= 0.0 || *qty > s.capacity(*good) {
                return refuse(format!(
                    "an offtake from {} must be between 0 and {:.2} kt a quarter of {good} (its capacity)",
                    s.name,
                    s.capacity(*good)
                ));
            }
            if *turns < 4 || *turns > 40 {
                return refuse("offtakes run 4 to 40 turns");
            }
            if queued.iter().any(|o| {
                matches!(o, Order::Offtake { supplier: q, good: g, .. } if q == supplier && g == good)
            }) {
                return refuse("an offtake of this good from this producer is already queued");
            }
            if money > available {
                return refuse(format!(
                    "not enough money: financing the new capacity costs ${money:.2} bn, ${available:.2} bn available"
                ));
            }
        }
        Order::DrawAlliedStockpile {
            supplier,
            good,
            qty,
        } => {
            check_finite(&[*qty])?;
            let Some(s) = outside_supplier(world, supplier) else {
                return refuse(format!(
                    "there is no outside producer called \"{supplier}\""
                ));
            };
            if !s.releases_to.contains(&power) {
                return refuse(format!(
                    "{} does not release its stockpile to {power}",
                    s.name
                ));
            }
            if *qty <= 0.0 || *qty > s.strategic[*good] + 1e-9 {
                return refuse(format!(
                    "{} holds {:.3} kt of {good} in its stockpile",
                    s.name, s.strategic[*good]
                ));
            }
            if money > available.max(0.0) {
                return refuse(format!(
                    "not enough money: the release costs about ${money:.2} bn"
                ));
            }
        }
        Order::PriceFloor { good, price, turns } => {
            check_finite(&[*price])?;
            let base = world.resource::<GameRules>().base_price[*good];
            if *price <= 0.0 || *price > 5.0 * base {
                return refuse(format!(
                    "a floor for {good} must be between $0 and ${:.0}/kg (five times its base price)",
                    5.0 * base
                ));
            }
            if *turns == 0 || *turns > 40 {
                return refuse("a price floor runs 1 to 40 turns");
            }
            if world
                .resource::<Diplomacy>()
                .price_floors
                .iter()
                .any(|f| f.power == power && f.good == *good)
                || queued
                    .iter()
                    .any(|o| matches!(o, Order::PriceFloor { good: g, .. } if g == good))
            {
                return refuse(format!("you already guarantee a floor for {good}"));
            }
        }
    }
    Ok(())
}

/// An outside producer by id.
pub fn outside_supplier<'w>(world: &'w World, id: &str) -> Option<&'w OutsideSupplier> {
    let e = world.resource::<EntityIndex>().suppliers.get(id)?;
    world.get::<OutsideSupplier>(*e)
}

fn check_location_for(
    world: &World,
    loc: &Location,
    at: &str,
    kind: FacilityKind,
    capacity: f64,
) -> Result<(), Refusal> {
    if kind == FacilityKind::Mine {
        if !loc.is_deposit {
            return refuse(format!("{} is not a deposit: a mine needs one", loc.name));
        }
        if loc.reserves <= 0.0 {
            return refuse(format!("{} is exhausted", loc.name));
        }
        let built = mine_capacity_at(world, at);
        if built + capacity > loc.max_mine_capacity + 1e-9 {
            return refuse(format!(
                "{} supports at most {:.2} kt/quarter of mining; {:.2} is already built or planned",
                loc.name, loc.max_mine_capacity, built
            ));
        }
    }
    Ok(())
}

/// Check a deal package: parties, sense of each term, and the war's block on
/// US–Russia minerals deals.
pub fn check_deal(world: &World, deal: &Deal) -> Result<(), Refusal> {
    if deal.from == deal.to {
        return refuse("a deal needs two different powers");
    }
    if deal.terms.is_empty() {
        return refuse("a deal needs at least one term");
    }
    if deal.terms.len() > 12 {
        return refuse("a deal may hold at most 12 terms");
    }
    for p in [deal.from, deal.to] {
        if get_power::<Power>(world, p).eliminated {
            return refuse(format!("{p} is out of the game"));
        }
    }
    check_terms_consistent(deal)?;
    let pair = [deal.from, deal.to];
    let war = world.resource::<UkraineWar>();
    let relations = world.resource::<Relations>();
    let us_russia = pair.contains(&PowerId::Us) && pair.contains(&PowerId::Russia);
    for term in &deal.terms {
        for p in term.parties() {
            if !pair.contains(&p) {
                return refuse(format!(
                    "\"{term}\" binds {p}, who is not party to this deal"
                ));
            }
        }
        match term {
            Term::Supply {
                seller,
                buyer,
                qty,
                price,
                turns,
                ..
            } => {
                check_finite(&[*qty, *price])?;
                if seller == buyer {
                    return refuse("a supply contract needs a seller and a different buyer");
                }
                if *qty <= 0.0 || *qty > 50.0 {
                    return refuse("contract quantity must be between 0 and 50 kt a quarter");
                }
                if *price <= 0.0 || *price > 10_000.0 {
                    return refuse("contract price must be between $0 and $10,000/kg");
                }
                if *turns == 0 || *turns > 40 {
                    return refuse("contracts run 1 to 40 turns");
                }
            }
            Term::Payment { from, to, amount } => {
                check_finite(&[*amount])?;
                if from == to || *amount <= 0.0 || *amount > 100.0 {
                    return refuse(
                        "a payment must be positive, at most $100 bn, between two powers",
                    );
                }
            }
            Term::TariffCut {
                by,
                on,
                rate,
                turns,
            } => {
                check_finite(&[*rate])?;
                if by == on {
                    return refuse("a tariff cut needs two powers");
                }
                if *rate < 0.0 || *rate >= relations.tariff(*by, *on) - 1e-9 {
                    return refuse(format!(
                        "{by}'s tariff on {on} is already {:.0}%: a cut must go lower",
                        relations.tariff(*by, *on) * 100.0
                    ));
                }
                if *turns == 0 || *turns > 40 {
                    return refuse("commitments run 1 to 40 turns");
                }
            }
            Term::ExportControlRelief {
                by,
                target,
                good,
                level,
                turns,
            } => {
                if by == target {
                    return refuse("export-control relief needs two powers");
                }
                if *level >= relations.export_control(*by, *target, *good) {
                    return refuse("relief must lower the export control");
                }
                if *turns == 0 || *turns > 40 {
                    return refuse("commitments run 1 to 40 turns");
                }
            }
            Term::SanctionsRelief {
                by,
                on,
                level,
                turns,
            } => {
                if by == on {
                    return refuse("sanctions relief needs two powers");
                }
                if *level >= relations.sanctions(*by, *on) {
                    return refuse("relief must lower sanctions");
                }
                if *turns == 0 || *turns > 40 {
                    return refuse("commitments run 1 to 40 turns");
                }
            }
            Term::JointVenture {
                investor,
                at,
                kind,
                capacity,
                investor_share,
            } => {
                check_finite(&[*capacity, *investor_share])?;
                let host = if *investor == deal.from {
                    deal.to
                } else {
                    deal.from
                };
                let Some(loc) = location(world, at) else {
                    return refuse(format!("there is no deposit or site called \"{at}\""));
                };
                if loc.controller != Some(host) {
                    return refuse(format!(
                        "{} is not controlled by {host}: a joint venture needs the host's own ground",
                        loc.name
                    ));
                }
                if *capacity <= 0.0 || *capacity > 100.0 {
                    return refuse("capacity must be between 0 and 100 kt a quarter");
                }
                if !(0.05..=0.95).contains(investor_share) {
                    return refuse("the investor's share must be between 5% and 95%");
                }
                // Several joint ventures at one deposit count together.
                let same_place: f64 = deal
                    .terms
                    .iter()
                    .filter_map(|t| match t {
                        Term::JointVenture {
                            at: a,
                            kind: k,
                            capacity: c,
                            ..
                        } if a == at && *k == *kind => Some(*c),
                        _ => None,
                    })
                    .sum();
                check_location_for(world, &loc, at, *kind, same_place)?;
            }
            Term::Ceasefire => {
                if !us_russia {
                    return refuse("only the US and Russia can agree a ceasefire");
                }
                if war.status != WarStatus::Active {
                    return refuse("there is no fighting to stop: the war is not active");
                }
            }
            Term::Peace { .. } => {
                if !us_russia {
                    return refuse("only the US and Russia can agree peace terms");
                }
                if war.status == WarStatus::Peace {
                    return refuse("peace is already agreed");
                }
                // Peace comes after a ceasefire that has held for a while.
                let after = world.resource::<GameRules>().war.peace_after;
                if war.status != WarStatus::Ceasefire || war.ceasefire_turns < after {
                    return refuse(format!(
                        "peace needs a ceasefire that has held for {after} turns first"
                    ));
                }
            }
            Term::AidCap { level, turns } => {
                if !us_russia {
                    return refuse("only the US and Russia bargain over aid to Ukraine");
                }
                if *level > 3 || *turns == 0 || *turns > 40 {
                    return refuse("aid caps are level 0–3 for 1–40 turns");
                }
            }
        }
        us_russia_term_rule(deal, term, war.status, |a, b| relations.sanctions(a, b))
            .map_err(Refusal)?;
    }
    Ok(())
}

/// Terms that would undo each other in one package are refused: two terms on
/// the same tariff, export control or sanctions, or two war terms.
fn check_terms_consistent(deal: &Deal) -> Result<(), Refusal> {
    let mut keys: Vec<String> = Vec::new();
    for t in &deal.terms {
        let key = match t {
            Term::TariffCut { by, on, .. } => Some(format!("tariff {by:?} {on:?}")),
            Term::ExportControlRelief {
                by, target, good, ..
            } => Some(format!("control {by:?} {target:?} {good:?}")),
            Term::SanctionsRelief { by, on, .. } => Some(format!("sanctions {by:?} {on:?}")),
            Term::Ceasefire | Term::Peace { .. } => Some("war".to_string()),
            Term::AidCap { .. } => Some("aid".to_string()),
            _ => None,
        };
        if let Some(k) = key {
            if keys.contains(&k) {
                return refuse(format!(
                    "\"{t}\" repeats a term already in the deal: each policy may appear once"
                ));
            }
            keys.push(k);
        }
    }
    Ok(())
}

/// Commitments an order would break (ids of agreements).
pub fn breaches(world: &World, power: PowerId, order: &Order) -> Vec<u32> {
    let diplomacy = world.resource::<Diplomacy>();
    diplomacy
        .agreements
        .iter()
        .filter(|a| a.commitment.bound() == power)
        .filter(|a| match (&a.commitment, order) {
            (Commitment::TariffCap { on, max, .. }, Order::SetTariff { on: o, rate }) => {
                on == o && *rate > *max + 1e-9
            }
            (
                Commitment::ExportControlCap {
                    target, good, max, ..
                },
                Order::SetExportControl {
                    target: t,
                    good: g,
                    level,
                },
            ) => Origin::Power(*target) == *t && good == g && level > max,
            (Commitment::SanctionsCap { on, max, .. }, Order::SetSanctions { on: o, level }) => {
                on == o && level > max
            }
            (Commitment::AidCap { max }, Order::SetAid { level }) => level > max,
            _ => false,
        })
        .map(|a| a.id)
        .collect()
}

/// Queue an order for the turn being planned, after checking it.
pub fn submit(world: &mut World, power: PowerId, order: Order) -> Result<(), Refusal> {
    // Take the queue out while checking, to avoid copying it.
    let mut queued = std::mem::take(&mut world.resource_mut::<OrderBook>().orders[power]);
    let result = check_order(world, power, &order, &queued);
    if result.is_ok() {
        queued.push(order);
    }
    world.resource_mut::<OrderBook>().orders[power] = queued;
    result
}

/// Remove a queued order by its position.
pub fn cancel(world: &mut World, power: PowerId, index: usize) -> Option<Order> {
    let mut book = world.resource_mut::<OrderBook>();
    let list = &mut book.orders[power];
    (index < list.len()).then(|| list.remove(index))
}
