//! Political capital comes back, stability drifts to its baseline, and the
//! quarter's action points are renewed.

use bevy::prelude::*;

use crate::rules::components::*;
use crate::rules::resources::*;

pub(super) fn renew_politics(rules: Res<GameRules>, mut powers: Query<(&Power, &mut Politics)>) {
    let params = &rules.params;
    for (power, mut pol) in &mut powers {
        if power.eliminated {
            continue;
        }
        pol.political_capital = (pol.political_capital + params.capital_regen).min(100.0);
        // Stability drifts a tenth of the way back to the baseline each turn.
        pol.stability += (params.stability_baseline - pol.stability) * 0.1;
        pol.action_points = params.action_points;
    }
}
