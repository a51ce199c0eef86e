//! The rules engine: components, resources, one file per rule system, and the
//! turn schedule. Runs without a window (`MinimalPlugins`, or a bare `App`).

pub mod components;
pub mod deals;
pub mod hash;
pub mod invariants;
pub mod orders;
pub mod params;
pub mod resources;
pub mod schedule;
pub mod setup;
pub mod types;
pub mod view;

mod construction;
mod consumption;
mod diplomacy;
pub mod effect_words;
pub mod events;
mod expansion;
pub mod licences;
pub mod market;
mod orders_phase;
pub mod policy;
mod processing;
mod production;
mod record;
#[cfg(test)]
mod regressions;
pub(crate) mod scoring;
mod shocks;
pub mod trade;
mod upkeep;
mod war;

pub use schedule::{TurnPhase, TurnSchedule};

use bevy::prelude::*;

/// Adds the whole rules engine. The parent only adds its children's plugins.
pub fn plugin(app: &mut App) {
    // Two tuples: Bevy takes at most sixteen plugins in one.
    app.add_plugins((
        schedule::plugin,
        upkeep::plugin,
        shocks::plugin,
        events::plugin,
    ))
    .add_plugins((
        orders_phase::plugin,
        diplomacy::plugin,
        war::plugin,
        construction::plugin,
        production::plugin,
        processing::plugin,
        licences::plugin,
        trade::plugin,
        expansion::plugin,
        consumption::plugin,
        scoring::plugin,
        record::plugin,
    ));
}

#[cfg(test)]
pub(crate) mod testing;
