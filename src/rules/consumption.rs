//! Phase 10, consumption: industry uses magnets and oxides. A shortfall costs
//! industrial output (a level figure per kt), part of which falls on the
//! treasury, and stability; a defence shortfall costs score. Demand adjusts
//! to prices over the quarters (thrifting, substitution, demand destruction).
//!
//! Supply security is measured against needs, not what was consumed: the
//! share of the industry's needs met with goods of no Chinese content. A
//! power that goes short does not grow more secure.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        (consume, consume_outside)
            .chain()
            .in_set(TurnPhase::Consumption),
    );
}

/// The goods industry uses (concentrate feeds plants only).
pub const USED_BY_INDUSTRY: [Good; 3] = [Good::LightOxides, Good::HeavyOxides, Good::Magnets];

/// Demand's long-run answer to a price `ratio` times the base: a target the
/// need adjusts towards over the quarters.
pub fn adjusted_demand_target(ratio: f64, long_run_elasticity: f64) -> f64 {
    ratio.max(0.05).powf(-long_run_elasticity).clamp(0.3, 1.15)
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
    let m = &rules.market;
    for (power, mut stock, mut ind, mut fin, mut pol, research) in &mut powers {
        if power.eliminated {
            continue;
        }
        let own = OriginMix::pure(Origin::Power(power.id));
        let mut value_needed = 0.0;
        let mut value_met = 0.0;
        let mut secure_value = 0.0;
        let mut russian_value = 0.0;
        let mut defence_needed = 0.0;
        let mut defence_met = 0.0;
        let mut lost = 0.0;
        for good in USED_BY_INDUSTRY {
            let need = ind.current_need(good);
            if need <= 0.0 {
                ind.met[good] = 1.0;
                ind.shortfall[good] = 0.0;
                continue;
            }
            // Recycled scrap covers part of the magnet need; it is home-made.
            let recycled = if good == Good::Magnets {
                need * params.recycling_max * research.level(ResearchField::Recycling)
            } else {
                0.0
            };
            let mix = stock.mix[good];
            let used = stock.take(good, need - recycled);
            let got = used + recycled;
            let met = (got / need).min(1.0);
            ind.met[good] = met;
            ind.shortfall[good] = (need - got).max(0.0);
            // Defence is served first.
            let defence = ind.defence_need[good].min(need);
            defence_needed += defence * rules.base_price[good];
            defence_met += defence.min(got) * rules.base_price[good];
            // Values at base prices: a price spike does not change what matters.
            let value = rules.base_price[good];
            value_needed += need * value;
            value_met += got * value;
            let consumed = mix.blend(used, &own, recycled);
            secure_value += got * value * (1.0 - consumed.share(Origin::Power(PowerId::China)));
            russian_value += got * value * consumed.share(Origin::Power(PowerId::Russia));
            lost += ind.shortfall[good] * ind.industrial_output[good];
        }
        ind.met[Good::Concentrate] = 1.0;
        ind.needs_met = if value_needed > 0.0 {
            value_met / value_needed
        } else {
            1.0
        };
        ind.supply_security = if value_needed > 0.0 {
            secure_value / value_needed
        } else {
            1.0
        };
        ind.russian_share = if value_needed > 0.0 {
            russian_value / value_needed
        } else {
            0.0
        };
        ind.defence_met = if defence_needed > 0.0 {
            defence_met / defence_needed
        } else {
            1.0
        };
        ind.output_lost = lost;
        if lost > 0.0 {
            let cost = lost * params.shortfall_treasury_share;
            fin.treasury -= cost;
            fin.ledger.income -= cost;
        }
        let shortfall = 1.0 - ind.needs_met;
        if shortfall > 1e-9 {
            pol.stability = (pol.stability - params.shortfall_stability * shortfall).max(0.0);
        }
        // Demand adjusts to what the power paid; industry grows on its trend.
        for g in Good::ALL {
            let paid = market.landed[power.id][g];
            if paid > 0.0 {
                let target =
                    adjusted_demand_target(paid / rules.base_price[g], m.long_run_elasticity);
                ind.adjust[g] += (target - ind.adjust[g]) * m.adjustment_speed;
            }
            let growth = 1.0 + ind.growth;
            ind.need[g] *= growth;
            ind.defence_need[g] *= growth;
        }
    }
}

/// Outside users take their needs from their producers' stocks; their demand
/// adjusts to the price outside China and grows on its trend.
pub(crate) fn consume_outside(
    rules: Res<GameRules>,
    market: Res<Market>,
    mut suppliers: Query<&mut OutsideSupplier>,
) {
    let m = &rules.market;
    for mut o in &mut suppliers {
        for g in USED_BY_INDUSTRY {
            let need = o.current_demand(g);
            if need <= 0.0 {
                o.met[g] = 1.0;
                continue;
            }
            let used = o.stock.take(g, need);
            o.met[g] = (used / need).min(1.0);
        }
        for g in Good::ALL {
            let target = adjusted_demand_target(
                market.price[g] / rules.base_price[g],
                m.long_run_elasticity,
            );
            o.adjust[g] += (target - o.adjust[g]) * m.adjustment_speed;
            let growth = 1.0 + o.demand_growth;
            o.demand[g] *= growth;
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
        assert_eq!(ind.output_lost, 0.0);
        assert_eq!(get_power::<Finances>(&world, PowerId::Us).treasury, t0);
    }

    #[test]
    fn shortfalls_cost_output_treasury_and_stability() {
        let mut world = test_world();
        let e = power_entity(&world, PowerId::Us);
        for g in Good::ALL {
            world.get_mut::<Stockpile>(e).unwrap().qty[g] = 0.0;
        }
        let t0 = get_power::<Finances>(&world, PowerId::Us).treasury;
        let s0 = get_power::<Politics>(&world, PowerId::Us).stability;
        run_system(&mut world, consume);
        let ind = get_power::<Industry>(&world, PowerId::Us);
        assert!(ind.needs_met < 0.3, "{}", ind.needs_met);
        assert!(ind.output_lost > 0.0);
        assert!(ind.shortfall[Good::Magnets] > 0.0);
        assert!(get_power::<Finances>(&world, PowerId::Us).treasury < t0);
        assert!(get_power::<Politics>(&world, PowerId::Us).stability < s0);
    }

    #[test]
    fn supply_security_counts_needs_met_with_non_chinese_content() {
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
        // Half the needs met, all of it non-Chinese: half secure, not all.
        {
            let need: Vec<f64> = USED_BY_INDUSTRY
                .iter()
                .map(|g| get_power::<Industry>(&world, PowerId::Us).current_need(*g))
                .collect();
            let mut s = world.get_mut::<Stockpile>(e).unwrap();
            for (g, n) in USED_BY_INDUSTRY.iter().zip(need) {
                s.qty[*g] = n * 0.5;
            }
        }
        run_system(&mut world, consume);
        let ss = get_power::<Industry>(&world, PowerId::Us).supply_security;
        assert!((ss - 0.5).abs() < 0.02, "{ss}");
        {
            let mut s = world.get_mut::<Stockpile>(e).unwrap();
            for g in Good::ALL {
                s.qty[g] = 100.0;
                s.mix[g] = OriginMix::pure(Origin::Power(PowerId::China));
            }
        }
        run_system(&mut world, consume);
        assert!(get_power::<Industry>(&world, PowerId::Us).supply_security < 1e-9);
    }

    #[test]
    fn high_prices_bring_demand_down_over_the_quarters() {
        let mut world = test_world();
        let base = world.resource::<GameRules>().base_price;
        world.resource_mut::<Market>().landed[PowerId::Us][Good::Magnets] =
            5.0 * base[Good::Magnets];
        let mut last = 1.0;
        for _ in 0..8 {
            run_system(&mut world, consume);
            let a = get_power::<Industry>(&world, PowerId::Us).adjust[Good::Magnets];
            assert!(a < last);
            last = a;
        }
        assert!(last > 0.3, "demand never vanishes");
    }
}
