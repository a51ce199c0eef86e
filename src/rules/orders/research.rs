//! Research orders: money into a field, progress from the money.

use bevy::prelude::*;

use super::super::components::Research;
use super::super::resources::GameRules;
use super::super::setup::research_progress;
use super::super::types::*;
use super::check::{Budget, check_finite, refuse};
use super::limits;
use super::world::power_entity;
use super::{Refusal, pay};

/// Money a research order commits: the amount given.
pub fn money(amount: f64) -> f64 {
    amount
}

pub(super) fn check(amount: f64, budget: &Budget) -> Result<(), Refusal> {
    check_finite(&[amount])?;
    if !limits::RESEARCH.allows(amount) {
        return refuse(format!(
            "research funding must be between $0 and ${} bn",
            limits::RESEARCH.max
        ));
    }
    let (money, available) = (budget.money, budget.available);
    if money > available {
        return refuse(format!(
            "not enough money: ${money:.2} bn asked, ${available:.2} bn available"
        ));
    }
    Ok(())
}

pub(super) fn execute(world: &mut World, power: PowerId, field: ResearchField, amount: f64) {
    pay(world, power, amount, |l| &mut l.research);
    let scale = world.resource::<GameRules>().params.research_scale;
    let e = power_entity(world, power);
    let mut r = world.get_mut::<Research>(e).expect("power");
    r.invested[field.index()] += amount;
    r.progress = research_progress(&r.invested, scale);
}
