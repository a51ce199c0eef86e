//! A new turn's causes start empty.

use bevy::prelude::*;

use crate::rules::resources::TurnCauses;

pub(super) fn clear_causes(mut causes: ResMut<TurnCauses>) {
    *causes = TurnCauses::default();
}
