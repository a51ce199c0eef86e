//! Supply and demand shocks wear off: each has a count of turns left, run
//! down at the start of the events phase, before new cards can add shocks.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::OutsideSupplier;
use super::resources::Market;

pub(super) fn plugin(app: &mut App) {
    // Old shocks wear off before the cards drawn this turn add new ones.
    app.add_systems(
        super::TurnSchedule,
        wear_off_shocks
            .before(super::events::draw_events)
            .in_set(TurnPhase::Events),
    );
}

pub(crate) fn wear_off_shocks(
    mut market: ResMut<Market>,
    mut suppliers: Query<&mut OutsideSupplier>,
) {
    for mut s in &mut suppliers {
        if s.shocks.is_empty() {
            continue;
        }
        for shock in s.shocks.iter_mut() {
            shock.2 = shock.2.saturating_sub(1);
        }
        s.shocks.retain(|(_, _, t)| *t > 0);
    }
    for shock in market.demand_shocks.iter_mut() {
        shock.2 = shock.2.saturating_sub(1);
    }
    market.demand_shocks.retain(|(_, _, t)| *t > 0);
}
