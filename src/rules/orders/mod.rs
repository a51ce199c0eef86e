//! The one order API used by the command line, the AI and the window, and
//! the checks every order passes before it is queued and again when it
//! resolves.
//!
//! `order.rs` holds the order data, `check.rs` what every order passes,
//! `world.rs` the read helpers, `limits.rs` the table of limits and
//! `sight.rs` what a player sees that prices an order. Each domain has one
//! module that checks its orders, carries them out and reckons their cost:
//! `facilities`, `market_orders`, `policy_orders` (the change itself is
//! `rules::policy`), `deal_orders`, `research`, `intelligence`,
//! `war_orders` and `producer_support`. [`check_order`] and [`execute`]
//! only send each order to its module.

mod check;
pub mod deal_orders;
pub mod facilities;
pub mod intelligence;
pub mod limits;
pub mod market_orders;
mod order;
pub mod policy_orders;
pub mod producer_support;
pub mod research;
pub mod sight;
pub mod war_orders;
mod world;

use bevy::prelude::*;

use super::components::{Finances, Ledger};
use super::types::*;
use super::view::PowerView;

pub use check::Refusal;
pub use deal_orders::{breaches, check_deal};
pub use facilities::{UPFRONT_SHARE, facility_cost, floor_covers};
pub use order::Order;
pub use policy_orders::SANCTIONS_CAPITAL;
pub use producer_support::{offtake_financing, offtake_stage, offtake_stage_factor};
pub use sight::{Sight, WorldSight};
pub use world::*;

/// Check an order for `power` against the current state, counting what is
/// already queued this turn. Returns nothing on success; a reason otherwise.
pub fn check_order(
    world: &World,
    power: PowerId,
    order: &Order,
    queued: &[Order],
) -> Result<(), Refusal> {
    check_with(world, power, order, queued, true)
}

/// The same check when the turn resolves: money of orders already carried out
/// has left the treasury, so only action points are counted from `done`.
pub fn check_at_resolution(
    world: &World,
    power: PowerId,
    order: &Order,
    done: &[Order],
) -> Result<(), Refusal> {
    check_with(world, power, order, done, false)
}

/// The common checks, then the order's own module.
fn check_with(
    world: &World,
    power: PowerId,
    order: &Order,
    queued: &[Order],
    count_queued_money: bool,
) -> Result<(), Refusal> {
    let sight = WorldSight::new(world, power);
    let budget = check::common(&sight, order, queued, count_queued_money)?;
    let b = &budget;
    match order {
        Order::FundFacility { at, kind, capacity } => {
            facilities::check_fund(world, power, at, *kind, *capacity, b)
        }
        Order::SpeedUp { facility, amount } => {
            facilities::check_speed_up(world, power, facility, *amount, b)
        }
        Order::PermitReform { facility } => {
            facilities::check_permit_reform(world, power, facility, queued)
        }
        Order::SetIdle { facility, idle } => facilities::check_idle(world, power, facility, *idle),
        Order::Buy {
            good,
            qty,
            max_price,
        } => market_orders::check_buy(*good, *qty, *max_price, b),
        Order::Sell {
            good,
            qty,
            min_price,
        } => market_orders::check_sell(world, power, *good, *qty, *min_price, queued),
        Order::SetReserve { turns, .. } => market_orders::check_reserve(*turns),
        Order::DrawAlliedStockpile {
            supplier,
            good,
            qty,
        } => market_orders::check_draw(&sight, supplier, *good, *qty)
            .and_then(|()| market_orders::afford_draw(b)),
        Order::SetTariff { on, rate } => policy_orders::check_tariff(power, *on, *rate),
        Order::SetExportControl { target, .. } => {
            policy_orders::check_export_control(power, *target)
        }
        Order::SetSanctions { on, level } => {
            policy_orders::check_sanctions(world, power, *on, *level)
        }
        Order::SetExtraterritorial { on } => {
            let now = world
                .resource::<super::resources::Relations>()
                .extraterritorial[power.index()];
            policy_orders::check_extraterritorial(now, *on, queued)
        }
        Order::ProposeDeal { to, terms } => deal_orders::check_propose(world, power, *to, terms),
        Order::RespondToDeal { proposal, response } => {
            deal_orders::check_respond(world, power, *proposal, response, queued)
        }
        Order::CancelContract { contract } => {
            deal_orders::check_cancel_contract(world, power, *contract)
        }
        Order::SetAid { level } => war_orders::check_aid(world, power, *level),
        Order::SetPosture { .. } => war_orders::check_posture(world, power),
        Order::SetStance { .. } => war_orders::check_stance(power),
        Order::FundResearch { amount, .. } => research::check(*amount, b),
        Order::GatherIntelligence { target } => intelligence::check(power, *target, b),
        Order::Offtake {
            supplier,
            good,
            qty,
            turns,
        } => producer_support::check_offtake(&sight, supplier, *good, *qty, *turns, queued)
            .and_then(|()| producer_support::afford_offtake(b)),
        Order::PriceFloor { good, price, turns } => {
            producer_support::check_price_floor(&sight, *good, *price, *turns, queued)
        }
    }
}

/// What the engine would answer to `order`, as far as the giver's own view
/// can tell: action points, political capital, money after the queued
/// orders, and the order's limits, with the engine's own words. What only
/// the whole world shows (whether a mine fits at a deposit, a proposal is
/// still open, …) is answered when the order is given.
pub fn preview(view: &PowerView, order: &Order) -> Result<(), Refusal> {
    let b = check::common(view, order, &view.queued, true)?;
    let me = view.me.power.id;
    match order {
        Order::FundFacility { capacity, .. } => {
            facilities::check_capacity(*capacity)?;
            facilities::afford_fund(&b)
        }
        Order::SpeedUp { amount, .. } => {
            facilities::check_speed_up_amount(*amount)?;
            facilities::afford_speed_up(&b)
        }
        Order::Buy {
            good,
            qty,
            max_price,
        } => market_orders::check_buy(*good, *qty, *max_price, &b),
        Order::SetReserve { turns, .. } => market_orders::check_reserve(*turns),
        Order::DrawAlliedStockpile {
            supplier,
            good,
            qty,
        } => {
            market_orders::check_draw(view, supplier, *good, *qty)?;
            market_orders::afford_draw(&b)
        }
        Order::SetTariff { on, rate } => policy_orders::check_tariff(me, *on, *rate),
        Order::SetExportControl { target, .. } => policy_orders::check_export_control(me, *target),
        Order::SetStance { .. } => war_orders::check_stance(me),
        Order::FundResearch { amount, .. } => research::check(*amount, &b),
        Order::GatherIntelligence { target } => intelligence::check(me, *target, &b),
        Order::Offtake {
            supplier,
            good,
            qty,
            turns,
        } => {
            producer_support::check_offtake(view, supplier, *good, *qty, *turns, &view.queued)?;
            producer_support::afford_offtake(&b)
        }
        Order::PriceFloor { good, price, turns } => {
            producer_support::check_price_floor(view, *good, *price, *turns, &view.queued)
        }
        Order::SetExtraterritorial { on } => policy_orders::check_extraterritorial(
            view.relations.extraterritorial[me.index()],
            *on,
            &view.queued,
        ),
        Order::PermitReform { .. }
        | Order::SetIdle { .. }
        | Order::Sell { .. }
        | Order::SetSanctions { .. }
        | Order::ProposeDeal { .. }
        | Order::RespondToDeal { .. }
        | Order::CancelContract { .. }
        | Order::SetAid { .. }
        | Order::SetPosture { .. } => Ok(()),
    }
}

/// Carry out a checked order: first the commitments it breaks, then the
/// order's own module.
pub(crate) fn execute(
    world: &mut World,
    power: PowerId,
    order: &Order,
    turn: u32,
) -> Result<(), Refusal> {
    for id in breaches(world, power, order) {
        deal_orders::break_agreement(world, power, id, turn);
    }
    match order {
        Order::FundFacility { at, kind, capacity } => {
            facilities::execute_fund(world, power, at, *kind, *capacity, turn)?
        }
        Order::SpeedUp { facility, amount } => {
            facilities::execute_speed_up(world, power, facility, *amount, turn)?
        }
        Order::PermitReform { facility } => {
            facilities::execute_permit_reform(world, power, facility, turn)?
        }
        Order::SetIdle { facility, idle } => facilities::execute_idle(world, facility, *idle)?,
        Order::Buy {
            good,
            qty,
            max_price,
        } => market_orders::execute_buy(world, power, *good, *qty, *max_price),
        Order::Sell {
            good,
            qty,
            min_price,
        } => market_orders::execute_sell(world, power, *good, *qty, *min_price),
        Order::SetReserve { good, turns } => {
            market_orders::execute_reserve(world, power, *good, *turns)
        }
        Order::DrawAlliedStockpile {
            supplier,
            good,
            qty,
        } => market_orders::execute_draw(world, power, supplier, *good, *qty, turn),
        Order::SetTariff { on, rate } => policy_orders::execute_tariff(world, power, *on, *rate),
        Order::SetExportControl {
            target,
            good,
            level,
        } => policy_orders::execute_export_control(world, power, *target, *good, *level),
        Order::SetSanctions { on, level } => {
            policy_orders::execute_sanctions(world, power, order, *on, *level)
        }
        Order::SetExtraterritorial { on } => {
            policy_orders::execute_extraterritorial(world, power, *on)
        }
        Order::ProposeDeal { to, terms } => {
            deal_orders::execute_propose(world, power, *to, terms, turn)
        }
        Order::RespondToDeal { proposal, response } => {
            deal_orders::execute_respond(world, power, *proposal, response)
        }
        Order::CancelContract { contract } => {
            deal_orders::execute_cancel_contract(world, power, *contract, turn)?
        }
        Order::SetAid { level } => war_orders::execute_aid(world, *level, turn),
        Order::SetPosture { posture } => war_orders::execute_posture(world, *posture),
        Order::SetStance { stance } => war_orders::execute_stance(world, *stance, turn),
        Order::FundResearch { field, amount } => research::execute(world, power, *field, *amount),
        Order::GatherIntelligence { target } => intelligence::execute(world, power, *target),
        Order::Offtake {
            supplier,
            good,
            qty,
            turns,
        } => producer_support::execute_offtake(world, power, supplier, *good, *qty, *turns, turn)?,
        Order::PriceFloor { good, price, turns } => {
            producer_support::execute_price_floor(world, power, *good, *price, *turns, turn)
        }
    }
    Ok(())
}

/// Take money from a power's treasury, booked on one line of its accounts.
pub(crate) fn pay(
    world: &mut World,
    power: PowerId,
    amount: f64,
    line: fn(&mut Ledger) -> &mut f64,
) {
    let e = power_entity(world, power);
    let mut f = world.get_mut::<Finances>(e).expect("power");
    f.treasury -= amount;
    *line(&mut f.ledger) -= amount;
}

/// A power's short name in the causes of price moves.
pub(crate) fn power_short(p: PowerId) -> &'static str {
    match p {
        PowerId::Us => "US",
        PowerId::China => "China",
        PowerId::Russia => "Russia",
    }
}

/// Queue an order for the turn being planned, after checking it.
pub fn submit(world: &mut World, power: PowerId, order: Order) -> Result<(), Refusal> {
    // Take the queue out while checking, to avoid copying it.
    let mut queued =
        std::mem::take(&mut world.resource_mut::<super::resources::OrderBook>().orders[power]);
    let result = check_order(world, power, &order, &queued);
    if result.is_ok() {
        queued.push(order);
    }
    world.resource_mut::<super::resources::OrderBook>().orders[power] = queued;
    result
}

/// Remove a queued order by its position.
pub fn cancel(world: &mut World, power: PowerId, index: usize) -> Option<Order> {
    let mut book = world.resource_mut::<super::resources::OrderBook>();
    let list = &mut book.orders[power];
    (index < list.len()).then(|| list.remove(index))
}
