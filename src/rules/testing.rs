//! Helpers for the engine's unit tests.

use bevy::ecs::system::{IntoSystem, RunSystemOnce};
use bevy::prelude::*;

pub use super::orders::power_entity;
use super::setup::spawn_level;

/// A world holding a fresh game of the full level, seed 7.
pub fn test_world() -> World {
    world_of("2025-trade-war", 7)
}

pub fn world_of(level: &str, seed: u64) -> World {
    let level = crate::level::bundled(level).expect("bundled level");
    let mut world = World::new();
    spawn_level(&mut world, &level, seed);
    world
}

/// Run one system once on the world, as the turn schedule would.
pub fn run_system<M, S>(world: &mut World, system: S)
where
    S: IntoSystem<(), (), M>,
{
    world.run_system_once(system).expect("system runs");
}
