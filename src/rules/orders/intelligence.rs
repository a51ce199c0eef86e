//! Intelligence orders: pay to see another power's exact figures for a
//! few turns.

use bevy::prelude::*;

use super::super::components::Intelligence;
use super::super::resources::GameRules;
use super::super::types::*;
use super::check::{Budget, refuse};
use super::sight::Sight;
use super::world::power_entity;
use super::{Refusal, pay};

/// What gathering intelligence costs (US$ bn).
pub fn money(sight: &impl Sight) -> f64 {
    sight.params().intel_cost
}

pub(super) fn check(power: PowerId, target: PowerId, budget: &Budget) -> Result<(), Refusal> {
    if target == power {
        return refuse("you already know your own figures");
    }
    if budget.money > budget.available {
        return refuse(format!(
            "not enough money: intelligence costs ${:.2} bn",
            budget.money
        ));
    }
    Ok(())
}

pub(super) fn execute(world: &mut World, power: PowerId, target: PowerId) {
    let params = world.resource::<GameRules>().params.clone();
    pay(world, power, params.intel_cost, |l| &mut l.other);
    let e = power_entity(world, power);
    world.get_mut::<Intelligence>(e).expect("power").turns_left[target] = params.intel_turns;
}
