//! Phase 1, upkeep: income, facility running costs, storage, interest on debt,
//! political capital and stability drifting back.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        collect_upkeep.in_set(TurnPhase::Upkeep),
    );
}

/// Interest per quarter on a negative treasury.
const DEBT_INTEREST: f64 = 0.02;

pub(crate) fn collect_upkeep(
    rules: Res<GameRules>,
    market: Res<Market>,
    mut causes: ResMut<TurnCauses>,
    facilities: Query<&Facility>,
    mut powers: Query<(
        &Power,
        &mut Finances,
        &mut Politics,
        &Stockpile,
        &mut Intelligence,
        &BuildProfile,
    )>,
) {
    *causes = TurnCauses::default();
    let params = &rules.params;
    // Sorted: sums of floats must add up in the same order every run.
    let mut sorted: Vec<&Facility> = facilities.iter().collect();
    sorted.sort_by_key(|f| f.seq);
    for (power, mut fin, mut pol, stock, mut intel, profile) in &mut powers {
        fin.ledger = Ledger::default();
        if power.eliminated {
            continue;
        }
        let id = power.id;
        fin.ledger.income = fin.base_income;
        // Running cost per kt of capacity differs by kind: charge each
        // facility at its owner's (or partner's) rate.
        let mut cost = 0.0;
        for f in &sorted {
            if f.stage == Stage::Operating {
                let share = f.share_of(id);
                if share > 0.0 {
                    cost += share * f.capacity * profile.running_cost.get(f.kind);
                }
            }
        }
        fin.ledger.running_costs = -cost;
        let storage: f64 = Good::ALL
            .iter()
            .map(|g| stock.qty[*g] * market.price[*g] / 1000.0 * params.storage_cost)
            .sum();
        fin.ledger.storage = -storage;
        if fin.treasury < 0.0 {
            fin.ledger.other = fin.treasury * DEBT_INTEREST;
        }
        let net =
            fin.ledger.income + fin.ledger.running_costs + fin.ledger.storage + fin.ledger.other;
        fin.treasury += net;

        pol.political_capital = (pol.political_capital + params.capital_regen).min(100.0);
        // Stability drifts a tenth of the way back to the baseline each turn.
        pol.stability += (params.stability_baseline - pol.stability) * 0.1;
        pol.action_points = params.action_points;
        for t in intel.turns_left.0.iter_mut() {
            *t = t.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn upkeep_pays_income_and_running_costs() {
        let mut world = test_world();
        let us = power_entity(&world, PowerId::Us);
        let before = world.get::<Finances>(us).unwrap().treasury;
        run_system(&mut world, collect_upkeep);
        let fin = world.get::<Finances>(us).unwrap();
        assert!(fin.ledger.income > 0.0);
        assert!(fin.ledger.running_costs < 0.0, "the US runs Mountain Pass");
        let expected = before + fin.ledger.net();
        assert!((fin.treasury - expected).abs() < 1e-12);
    }

    #[test]
    fn debt_costs_interest() {
        let mut world = test_world();
        let us = power_entity(&world, PowerId::Us);
        world.get_mut::<Finances>(us).unwrap().treasury = -2.0;
        run_system(&mut world, collect_upkeep);
        let fin = world.get::<Finances>(us).unwrap();
        assert!((fin.ledger.other - (-2.0 * DEBT_INTEREST)).abs() < 1e-12);
    }
}
