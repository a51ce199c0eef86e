//! Helpers for the engine's unit tests.

use bevy::ecs::system::{IntoSystem, RunSystemOnce};
use bevy::prelude::*;

pub use super::orders::power_entity;
use super::params::{Level, ron_options};
use super::setup::spawn_level;

/// A level shipped with the game, read straight from `levels/` (the rules
/// sit below `level`, which adds the checks; the bundled files pass them).
pub fn bundled_level(name: &str) -> Level {
    let text = match name {
        "2025-trade-war" => include_str!("../../levels/2025-trade-war.ron"),
        "classroom" => include_str!("../../levels/classroom.ron"),
        other => panic!("no level {other} for the engine's tests"),
    };
    ron_options().from_str(text).expect("bundled levels parse")
}

/// A world holding a fresh game of the full level, seed 7.
pub fn test_world() -> World {
    world_of("2025-trade-war", 7)
}

pub fn world_of(level: &str, seed: u64) -> World {
    let level = bundled_level(level);
    let mut world = World::new();
    spawn_level(&mut world, &level, seed);
    world
}

/// A world holding a fresh game and the turn schedule, as a game has it.
pub fn playing_world(level: &str, seed: u64) -> World {
    let mut app = App::empty();
    app.add_plugins(super::plugin);
    let mut world = std::mem::take(app.world_mut());
    let level = bundled_level(level);
    spawn_level(&mut world, &level, seed);
    world
}

/// Resolve a turn of a [`playing_world`].
pub fn end_turn(world: &mut World) {
    world.run_schedule(super::TurnSchedule);
}

/// Run one system once on the world, as the turn schedule would.
pub fn run_system<M, S>(world: &mut World, system: S)
where
    S: IntoSystem<(), (), M>,
{
    world.run_system_once(system).expect("system runs");
}

/// Propose a deal and carry the order out; returns the proposal's id.
pub fn propose(
    world: &mut World,
    from: super::types::PowerId,
    to: super::types::PowerId,
    terms: Vec<super::deals::Term>,
) -> Result<u32, super::orders::Refusal> {
    super::orders::submit(world, from, super::orders::Order::ProposeDeal { to, terms })?;
    super::orders_phase::apply_orders(world);
    Ok(world.resource::<super::resources::Diplomacy>().next_id)
}

/// Answer a proposal and run the diplomacy phase.
pub fn respond(
    world: &mut World,
    who: super::types::PowerId,
    id: u32,
    response: super::deals::Response,
) {
    super::orders::submit(
        world,
        who,
        super::orders::Order::RespondToDeal {
            proposal: id,
            response,
        },
    )
    .expect("valid answer");
    super::orders_phase::apply_orders(world);
    run_system(world, super::diplomacy::resolve_proposals);
}
