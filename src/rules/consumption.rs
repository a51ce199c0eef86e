//! Phase 10, consumption: industry uses magnets and oxides; shortfalls cost
//! income and stability. Also measures supply security: how much of what was
//! used came from outside China.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(super::TurnSchedule, consume.in_set(TurnPhase::Consumption));
}

pub(crate) fn consume(
    rules: Res<GameRules>,
    market: Res<Market>,
    mut powers: Query<(
        &Power,
        &mut Stockpile,
        &mut Industry,
        &mut Finances,
        &mut Politics,
        &Research,
    )>,
) {
    let params = &rules.params;
    for (power, mut stock, mut ind, mut fin, mut pol, research) in &mut powers {
        if power.eliminated {
            continue;
        }
        let own = OriginMix::pure(Origin::Power(power.id));
        let mut value_needed = 0.0;
        let mut value_met = 0.0;
        let mut used_value = 0.0;
        let mut chinese_value = 0.0;
        let mut russian_value = 0.0;
        for good in [Good::LightOxides, Good::HeavyOxides, Good::Magnets] {
            let need = ind.need[good];
            if need <= 0.0 {
                ind.met[good] = 1.0;
                continue;
            }
            // Recycled scrap covers part of the magnet need.
            let recycled = if good == Good::Magnets {
                need * params.recycling_max * research.level(ResearchField::Recycling)
            } else {
                0.0
            };
            let mix = stock.mix[good];
            let used = stock.take(good, need - recycled);
            let met = ((used + recycled) / need).min(1.0);
            ind.met[good] = met;
            let price = market.price[good].max(rules.base_price[good]);
            value_needed += need * price;
            value_met += (used + recycled) * price;
            let consumed_mix = mix.blend(used, &own, recycled);
            let v = (used + recycled) * price;
            used_value += v;
            chinese_value += v * consumed_mix.share(Origin::Power(PowerId::China));
            russian_value += v * consumed_mix.share(Origin::Power(PowerId::Russia));
        }
        ind.met[Good::Concentrate] = 1.0;
        ind.needs_met = if value_needed > 0.0 {
            value_met / value_needed
        } else {
            1.0
        };
        ind.supply_security = if used_value > 0.0 {
            1.0 - chinese_value / used_value
        } else {
            0.0
        };
        ind.russian_share = if used_value > 0.0 {
            russian_value / used_value
        } else {
            0.0
        };
        let shortfall = 1.0 - ind.needs_met;
        if shortfall > 1e-9 {
            let loss = fin.base_income * params.shortfall_income * shortfall;
            fin.treasury -= loss;
            fin.ledger.income -= loss;
            pol.stability = (pol.stability - params.shortfall_stability * shortfall).max(0.0);
        }
        // Industry grows every quarter.
        let growth = 1.0 + ind.growth;
        for g in Good::ALL {
            ind.need[g] *= growth;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::orders::get_power;
    use crate::rules::testing::*;

    #[test]
    fn full_stocks_meet_needs_without_penalty() {
        let mut world = test_world();
        let e = power_entity(&world, PowerId::Us);
        for g in Good::ALL {
            world.get_mut::<Stockpile>(e).unwrap().qty[g] = 1000.0;
        }
        let t0 = get_power::<Finances>(&world, PowerId::Us).treasury;
        run_system(&mut world, consume);
        let ind = get_power::<Industry>(&world, PowerId::Us);
        assert!((ind.needs_met - 1.0).abs() < 1e-9);
        assert_eq!(get_power::<Finances>(&world, PowerId::Us).treasury, t0);
    }

    #[test]
    fn shortfalls_cost_income_and_stability() {
        let mut world = test_world();
        let e = power_entity(&world, PowerId::Us);
        for g in Good::ALL {
            world.get_mut::<Stockpile>(e).unwrap().qty[g] = 0.0;
        }
        let t0 = get_power::<Finances>(&world, PowerId::Us).treasury;
        let s0 = get_power::<Politics>(&world, PowerId::Us).stability;
        run_system(&mut world, consume);
        assert!(get_power::<Industry>(&world, PowerId::Us).needs_met < 0.01);
        assert!(get_power::<Finances>(&world, PowerId::Us).treasury < t0);
        assert!(get_power::<Politics>(&world, PowerId::Us).stability < s0);
    }

    #[test]
    fn supply_security_counts_non_chinese_origin() {
        let mut world = test_world();
        let e = power_entity(&world, PowerId::Us);
        // No recycling: it would count as home-made supply.
        world.get_mut::<Research>(e).unwrap().progress = [0.0; 3];
        {
            let mut s = world.get_mut::<Stockpile>(e).unwrap();
            for g in Good::ALL {
                s.qty[g] = 100.0;
                s.mix[g] = OriginMix::pure(Origin::Outside);
            }
        }
        run_system(&mut world, consume);
        assert!((get_power::<Industry>(&world, PowerId::Us).supply_security - 1.0).abs() < 1e-9);
        {
            let mut s = world.get_mut::<Stockpile>(e).unwrap();
            for g in Good::ALL {
                s.mix[g] = OriginMix::pure(Origin::Power(PowerId::China));
            }
        }
        run_system(&mut world, consume);
        assert!(get_power::<Industry>(&world, PowerId::Us).supply_security < 1e-9);
    }
}
