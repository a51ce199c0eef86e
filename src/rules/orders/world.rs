//! Read-only helpers over the world, used by the checks, the views and the
//! systems.

use bevy::prelude::*;

use super::super::components::*;
use super::super::resources::*;
use super::super::types::*;

/// The entity of a power.
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

/// Mine capacity already built or being built at a deposit.
pub fn mine_capacity_at(world: &World, at: &str) -> f64 {
    let index = world.resource::<EntityIndex>();
    index
        .facilities
        .values()
        .filter_map(|e| world.get::<Facility>(*e))
        .filter(|f| &*f.at == at && f.kind == FacilityKind::Mine)
        .map(|f| f.capacity)
        .sum()
}

pub fn facility<'w>(world: &'w World, id: &str) -> Option<&'w Facility> {
    let e = world.resource::<EntityIndex>().facilities.get(id)?;
    world.get::<Facility>(*e)
}

/// An outside producer by id.
pub fn outside_supplier<'w>(world: &'w World, id: &str) -> Option<&'w OutsideSupplier> {
    let e = world.resource::<EntityIndex>().suppliers.get(id)?;
    world.get::<OutsideSupplier>(*e)
}
