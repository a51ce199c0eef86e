//! Market orders, one home: buying and selling on the world market, the
//! strategic reserve, and drawing on an ally's state stockpile. Buys and
//! sells are queued here and cleared in the trade phase.

use bevy::prelude::*;

use super::super::components::*;
use super::super::resources::*;
use super::super::types::*;
use super::check::{Budget, check_finite, refuse};
use super::limits;
use super::sight::Sight;
use super::world::*;
use super::{Order, Refusal, pay, power_short};

/// The most a buy may pay (US$ bn).
pub fn buy_money(qty: f64, max_price: f64) -> f64 {
    qty * max_price / 1000.0
}

/// What a release from an ally's stockpile costs at today's price (US$ bn).
pub fn draw_money(sight: &impl Sight, good: Good, qty: f64) -> f64 {
    qty * sight.price(good) / 1000.0
}

pub(super) fn check_buy(
    good: Good,
    qty: f64,
    max_price: f64,
    budget: &Budget,
) -> Result<(), Refusal> {
    check_finite(&[qty, max_price])?;
    if qty <= 0.0 || max_price <= 0.0 {
        return refuse("quantity and price must be positive");
    }
    if qty > limits::BUY_QTY_MAX {
        return refuse("more than the whole world trades in a quarter");
    }
    if budget.money > budget.available.max(0.0) {
        return refuse(format!(
            "not enough money to pay up to ${:.2} bn for {good}",
            budget.money
        ));
    }
    Ok(())
}

pub(super) fn check_sell(
    world: &World,
    power: PowerId,
    good: Good,
    qty: f64,
    min_price: f64,
    queued: &[Order],
) -> Result<(), Refusal> {
    check_finite(&[qty, min_price])?;
    if qty <= 0.0 || min_price < 0.0 {
        return refuse("quantity must be positive and price not negative");
    }
    let stock = get_power::<Stockpile>(world, power).qty[good];
    let queued_sales: f64 = queued
        .iter()
        .filter_map(|o| match o {
            Order::Sell { good: g, qty, .. } if *g == good => Some(*qty),
            _ => None,
        })
        .sum();
    if qty + queued_sales > stock + 1e-9 {
        return refuse(format!(
            "only {:.2} kt of {good} in stock",
            (stock - queued_sales).max(0.0)
        ));
    }
    Ok(())
}

pub(super) fn check_reserve(turns: f64) -> Result<(), Refusal> {
    check_finite(&[turns])?;
    if !limits::RESERVE_TURNS.allows(turns) {
        return refuse(format!(
            "a reserve must be between 0 and {} turns of need",
            limits::RESERVE_TURNS.max
        ));
    }
    Ok(())
}

/// Whether the ally releases its stockpile to the player, and holds `qty`
/// kt of the good, as far as `sight` tells (the stockpiles are public).
pub(super) fn check_draw(
    sight: &impl Sight,
    supplier: &str,
    good: Good,
    qty: f64,
) -> Result<(), Refusal> {
    check_finite(&[qty])?;
    let power = sight.me();
    let Some(s) = sight.supplier(supplier) else {
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
    if qty <= 0.0 || qty > s.strategic[good] + 1e-9 {
        return refuse(format!(
            "{} holds {:.3} kt of {good} in its stockpile",
            s.name, s.strategic[good]
        ));
    }
    Ok(())
}

pub(super) fn afford_draw(budget: &Budget) -> Result<(), Refusal> {
    if budget.money > budget.available.max(0.0) {
        return refuse(format!(
            "not enough money: the release costs about ${:.2} bn",
            budget.money
        ));
    }
    Ok(())
}

pub(super) fn execute_buy(world: &mut World, power: PowerId, good: Good, qty: f64, max_price: f64) {
    world
        .resource_mut::<MarketOrders>()
        .buys
        .push((power, good, qty, max_price));
    let base = world.resource::<GameRules>().base_price[good];
    if qty >= 1.0 || qty * max_price / 1000.0 > 0.2 || max_price > 2.0 * base {
        world
            .resource_mut::<TurnCauses>()
            .add_up(good, format!("{} stockpiling", power_short(power)));
    }
}

pub(super) fn execute_sell(
    world: &mut World,
    power: PowerId,
    good: Good,
    qty: f64,
    min_price: f64,
) {
    world
        .resource_mut::<MarketOrders>()
        .sells
        .push((power, good, qty, min_price));
    if qty >= 1.0 {
        world
            .resource_mut::<TurnCauses>()
            .add_down(good, format!("{} selling from stocks", power_short(power)));
    }
}

pub(super) fn execute_reserve(world: &mut World, power: PowerId, good: Good, turns: f64) {
    let e = power_entity(world, power);
    let mut s = world.get_mut::<Stockpile>(e).expect("power");
    let before = s.reserve_turns[good];
    s.reserve_turns[good] = turns;
    if turns > before + 0.5 {
        world
            .resource_mut::<TurnCauses>()
            .add_up(good, format!("{} stockpiling", power_short(power)));
    }
}

pub(super) fn execute_draw(
    world: &mut World,
    power: PowerId,
    supplier: &str,
    good: Good,
    qty: f64,
    turn: u32,
) {
    let price = world.resource::<Market>().price[good];
    let e = world.resource::<EntityIndex>().suppliers[supplier];
    let mut s = world.get_mut::<OutsideSupplier>(e).expect("supplier");
    let q = qty.min(s.strategic[good]);
    s.strategic[good] -= q;
    let name = s.name.clone();
    let cost = q * price / 1000.0;
    let pe = power_entity(world, power);
    {
        let mut st = world.get_mut::<Stockpile>(pe).expect("power");
        st.add(good, q, &OriginMix::pure(Origin::Outside));
    }
    pay(world, power, cost, |l| &mut l.purchases);
    world.resource_mut::<NewsLog>().public(
        turn,
        NewsKind::Diplomacy,
        format!(
            "{name} releases {} of {good} from its stockpile to {power}.",
            super::super::record::quantity(q)
        ),
    );
}
