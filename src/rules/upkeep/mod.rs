//! Phase 1, upkeep: income, facility running costs, storage, interest on debt,
//! political capital and stability drifting back, intelligence aging.
//!
//! Each rule is its own system with the data it touches declared. They touch
//! different components, so their order within the phase does not matter
//! (ambiguity detection would say if it came to).

use bevy::prelude::*;

use super::TurnPhase;

mod causes;
mod finances;
mod intelligence;
mod politics;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        (
            causes::clear_causes,
            finances::pay_upkeep,
            politics::renew_politics,
            intelligence::age_intelligence,
        )
            .in_set(TurnPhase::Upkeep),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::components::*;
    use crate::rules::testing::*;
    use crate::rules::types::*;

    #[test]
    fn upkeep_pays_income_and_running_costs() {
        let mut world = test_world();
        let us = power_entity(&world, PowerId::Us);
        let before = world.get::<Finances>(us).unwrap().treasury;
        run_system(&mut world, finances::pay_upkeep);
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
        run_system(&mut world, finances::pay_upkeep);
        let fin = world.get::<Finances>(us).unwrap();
        assert!((fin.ledger.other - (-2.0 * finances::DEBT_INTEREST)).abs() < 1e-12);
    }
}
