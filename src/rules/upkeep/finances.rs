//! Each power's quarterly ledger: income, facility running costs, storage
//! and interest on debt, paid into (or out of) its treasury.

use bevy::prelude::*;

use crate::rules::components::*;
use crate::rules::resources::*;
use crate::rules::types::*;

/// Interest per quarter on a negative treasury.
pub(super) const DEBT_INTEREST: f64 = 0.02;

pub(super) fn pay_upkeep(
    rules: Res<GameRules>,
    market: Res<Market>,
    facilities: Query<&Facility>,
    mut powers: Query<(&Power, &mut Finances, &Stockpile, &BuildProfile)>,
) {
    let params = &rules.params;
    // Sorted: sums of floats must add up in the same order every run.
    let mut sorted: Vec<&Facility> = facilities.iter().collect();
    sorted.sort_by_key(|f| f.seq);
    for (power, mut fin, stock, profile) in &mut powers {
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
    }
}
