//! What a power learned by intelligence ages: each count of turns left runs
//! down by one.

use bevy::prelude::*;

use crate::rules::components::*;

pub(super) fn age_intelligence(mut powers: Query<(&Power, &mut Intelligence)>) {
    for (power, mut intel) in &mut powers {
        if power.eliminated {
            continue;
        }
        for t in intel.turns_left.0.iter_mut() {
            *t = t.saturating_sub(1);
        }
    }
}
