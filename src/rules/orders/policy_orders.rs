//! Trade-policy orders: tariffs, export controls, sanctions and the reach of
//! controls abroad. What may be ordered is checked here; the change itself
//! is [`crate::rules::policy::apply`], as for deal terms and event cards.

use bevy::prelude::*;

use super::super::components::Politics;
use super::super::policy::{self, Cause, PolicyChange};
use super::super::resources::*;
use super::super::types::*;
use super::check::{check_finite, refuse};
use super::limits;
use super::sight::{Sight, WorldSight};
use super::world::power_entity;
use super::{Order, Refusal};

/// Political capital imposing (or raising) sanctions costs.
pub const SANCTIONS_CAPITAL: f64 = 5.0;

/// Political capital a sanctions order spends: raising sanctions costs
/// [`SANCTIONS_CAPITAL`]; the US easing sanctions on Russia must win
/// Congress over.
pub fn sanctions_capital(sight: &impl Sight, on: PowerId, level: SanctionsLevel) -> f64 {
    let power = sight.me();
    let current = sight.sanctions(power, on);
    if level > current {
        SANCTIONS_CAPITAL
    } else if level < current && power == PowerId::Us && on == PowerId::Russia {
        sight.params().sanctions_relief_capital
    } else {
        0.0
    }
}

pub(super) fn check_tariff(power: PowerId, on: PowerId, rate: f64) -> Result<(), Refusal> {
    check_finite(&[rate])?;
    if on == power {
        return refuse("a power cannot put a tariff on itself");
    }
    if !limits::TARIFF.allows(rate) {
        return refuse(format!(
            "tariffs run from 0% to {:.0}%",
            limits::TARIFF.max * 100.0
        ));
    }
    Ok(())
}

pub(super) fn check_export_control(power: PowerId, target: Origin) -> Result<(), Refusal> {
    if target == Origin::Power(power) {
        return refuse("a power cannot control exports to itself");
    }
    Ok(())
}

pub(super) fn check_sanctions(
    world: &World,
    power: PowerId,
    on: PowerId,
    level: SanctionsLevel,
) -> Result<(), Refusal> {
    if on == power {
        return refuse("a power cannot sanction itself");
    }
    let current = world.resource::<Relations>().sanctions(power, on);
    if level < current && power == PowerId::Us && on == PowerId::Russia {
        let war = world.resource::<UkraineWar>();
        if war.status == WarStatus::Active {
            return refuse(
                "Congress will not lift sanctions on Russia while the war goes on: agree a ceasefire first (a deal can hold both)",
            );
        }
    }
    Ok(())
}

/// Whether switching the reach of one's controls to `on` changes anything,
/// given whether they reach abroad now (`now`), and no change is queued.
pub(super) fn check_extraterritorial(now: bool, on: bool, queued: &[Order]) -> Result<(), Refusal> {
    if queued
        .iter()
        .any(|o| matches!(o, Order::SetExtraterritorial { .. }))
    {
        return refuse("a change to your controls' reach is already queued");
    }
    if now == on {
        return refuse(if on {
            "your export controls already reach goods made abroad"
        } else {
            "your export controls do not reach goods made abroad"
        });
    }
    Ok(())
}

pub(super) fn execute_tariff(world: &mut World, power: PowerId, on: PowerId, rate: f64) {
    let change = PolicyChange::Tariff {
        by: power,
        on,
        rate,
    };
    policy::apply(world, &change, Cause::Order);
}

pub(super) fn execute_export_control(
    world: &mut World,
    power: PowerId,
    target: Origin,
    good: Good,
    level: ExportLevel,
) {
    let change = PolicyChange::ExportControl {
        by: power,
        target,
        good,
        level,
    };
    policy::apply(world, &change, Cause::Order);
}

pub(super) fn execute_sanctions(
    world: &mut World,
    power: PowerId,
    order: &Order,
    on: PowerId,
    level: SanctionsLevel,
) {
    // Political capital is the order's own price, paid first.
    let capital = order.political_capital(&WorldSight::new(world, power));
    let e = power_entity(world, power);
    let mut pol = world.get_mut::<Politics>(e).expect("power");
    pol.political_capital = (pol.political_capital - capital).max(0.0);
    let change = PolicyChange::Sanctions {
        by: power,
        on,
        level,
    };
    policy::apply(world, &change, Cause::Order);
}

pub(super) fn execute_extraterritorial(world: &mut World, power: PowerId, on: bool) {
    let change = PolicyChange::Extraterritorial { by: power, on };
    policy::apply(world, &change, Cause::Order);
}
