//! Support for producers, one home: offtakes that finance an allied
//! producer's new capacity, and price floors for a power's own producers.

use bevy::prelude::*;

use super::super::components::{Expansion, OutsideSupplier};
use super::super::deals::{self, PriceFloor};
use super::super::resources::*;
use super::super::types::*;
use super::check::{Budget, check_finite, refuse};
use super::limits;
use super::sight::Sight;
use super::{Order, Refusal, pay, power_short};

/// What an offtake of `qty` kt a quarter costs up front: the buyer finances
/// the producer's new capacity for it (US$ bn).
pub fn offtake_financing(sight: &impl Sight, supplier: &str, good: Good, qty: f64) -> Option<f64> {
    let s = sight.supplier(supplier)?;
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

/// The highest price floor a power may guarantee for a good ($/kg).
pub fn price_floor_max(sight: &impl Sight, good: Good) -> f64 {
    limits::PRICE_FLOOR_MAX_MULTIPLE * sight.base_price(good)
}

/// An offtake's producer, good, size and length, as far as `sight` tells:
/// the engine's check and a player's view read the same rules.
pub(super) fn check_offtake(
    sight: &impl Sight,
    supplier: &str,
    good: Good,
    qty: f64,
    turns: u32,
    queued: &[Order],
) -> Result<(), Refusal> {
    check_finite(&[qty])?;
    let power = sight.me();
    let Some(s) = sight.supplier(supplier) else {
        return refuse(format!(
            "there is no outside producer called \"{supplier}\""
        ));
    };
    if !s.offtake_to.contains(&power) {
        return refuse(format!("{} does not sign offtakes with {power}", s.name));
    }
    if s.capacity(good) <= 0.0 {
        return refuse(format!("{} does not make {good}", s.name));
    }
    if qty <= 0.0 || qty > s.capacity(good) {
        return refuse(format!(
            "an offtake from {} must be between 0 and {:.2} kt a quarter of {good} (its capacity)",
            s.name,
            s.capacity(good)
        ));
    }
    check_offtake_turns(turns)?;
    if queued.iter().any(
        |o| matches!(o, Order::Offtake { supplier: q, good: g, .. } if q == supplier && *g == good),
    ) {
        return refuse("an offtake of this good from this producer is already queued");
    }
    Ok(())
}

pub(super) fn check_offtake_turns(turns: u32) -> Result<(), Refusal> {
    if !limits::OFFTAKE_TURNS.allows(turns) {
        return refuse(format!(
            "offtakes run {} to {} turns",
            limits::OFFTAKE_TURNS.min,
            limits::OFFTAKE_TURNS.max
        ));
    }
    Ok(())
}

pub(super) fn afford_offtake(budget: &Budget) -> Result<(), Refusal> {
    let (money, available) = (budget.money, budget.available);
    if money > available {
        return refuse(format!(
            "not enough money: financing the new capacity costs ${money:.2} bn, ${available:.2} bn available"
        ));
    }
    Ok(())
}

/// A new price floor, as far as `sight` tells: its terms, and no floor for
/// the good already guaranteed or queued.
pub(super) fn check_price_floor(
    sight: &impl Sight,
    good: Good,
    price: f64,
    turns: u32,
    queued: &[Order],
) -> Result<(), Refusal> {
    check_price_floor_terms(sight, good, price, turns)?;
    let power = sight.me();
    if sight
        .price_floors()
        .iter()
        .any(|f| f.power == power && f.good == good)
        || queued
            .iter()
            .any(|o| matches!(o, Order::PriceFloor { good: g, .. } if *g == good))
    {
        return refuse(format!("you already guarantee a floor for {good}"));
    }
    Ok(())
}

/// A price floor's price and length within the limits.
pub(super) fn check_price_floor_terms(
    sight: &impl Sight,
    good: Good,
    price: f64,
    turns: u32,
) -> Result<(), Refusal> {
    check_finite(&[price])?;
    let max = price_floor_max(sight, good);
    if price <= 0.0 || price > max {
        return refuse(format!(
            "a floor for {good} must be between $0 and ${max:.0}/kg (five times its base price)"
        ));
    }
    if !limits::PRICE_FLOOR_TURNS.allows(turns) {
        return refuse(format!(
            "a price floor runs {} to {} turns",
            limits::PRICE_FLOOR_TURNS.min,
            limits::PRICE_FLOOR_TURNS.max
        ));
    }
    Ok(())
}

pub(super) fn execute_offtake(
    world: &mut World,
    power: PowerId,
    supplier: &str,
    good: Good,
    qty: f64,
    turns: u32,
    turn: u32,
) -> Result<(), Refusal> {
    let cost = offtake_financing(
        &super::sight::WorldSight::new(world, power),
        supplier,
        good,
        qty,
    )
    .ok_or_else(|| Refusal(format!("no outside producer called {supplier}")))?;
    pay(world, power, cost, |l| &mut l.construction);
    let premium = world.resource::<GameRules>().params.offtake_premium;
    let lag = world
        .resource::<GameRules>()
        .market
        .expansion
        .lag
        .get(offtake_stage(good));
    let e = world.resource::<EntityIndex>().suppliers[supplier];
    let mut s = world.get_mut::<OutsideSupplier>(e).expect("supplier");
    // The capacity financed: for oxides, the separation feed that yields them.
    let stage = offtake_stage(good);
    let added = match good {
        Good::LightOxides | Good::HeavyOxides => {
            let out = s.capacity(good).max(1e-9);
            qty / out * s.separation.feed
        }
        _ => qty,
    };
    s.pipeline.push(Expansion {
        ready: turn + lag.max(1),
        stage,
        qty: added,
        financed_by: Some(power),
    });
    let name = s.name.clone();
    let mut d = world.resource_mut::<Diplomacy>();
    d.next_id += 1;
    let id = d.next_id;
    d.offtakes.push(deals::Offtake {
        id,
        supplier: supplier.to_string(),
        buyer: power,
        good,
        qty,
        premium,
        turns_left: turns,
        shortfall: 0.0,
        last_note: String::new(),
    });
    world.resource_mut::<NewsLog>().public(
        turn,
        NewsKind::Diplomacy,
        format!(
            "{power} signs an offtake with {name}: {} of {good} a quarter for {turns} turns, and pays ${cost:.2} bn for new capacity (ready in {lag} quarters).",
            super::super::record::quantity(qty)
        ),
    );
    world
        .resource_mut::<TurnCauses>()
        .add_up(good, format!("{} offtake with {name}", power_short(power)));
    Ok(())
}

pub(super) fn execute_price_floor(
    world: &mut World,
    power: PowerId,
    good: Good,
    price: f64,
    turns: u32,
    turn: u32,
) {
    world
        .resource_mut::<Diplomacy>()
        .price_floors
        .push(PriceFloor {
            power,
            good,
            price,
            turns_left: turns,
            paid: 0.0,
        });
    world.resource_mut::<NewsLog>().public(
        turn,
        NewsKind::Policy,
        format!(
            "{power} guarantees its producers ${price:.0}/kg for {good} for {turns} turns: private money now pays part of new plants."
        ),
    );
}
