//! Phase 8, processing: separation plants split concentrate into NdPr and
//! Dy/Tb oxides; magnet plants turn oxides into magnets.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        run_plants.in_set(TurnPhase::Processing),
    );
}

/// Half of a processed good's origin is the plant's owner, half its inputs':
/// a US magnet made of Chinese oxide is only half American.
fn processed_mix(input: &OriginMix, owner: PowerId) -> OriginMix {
    input.blend(0.5, &OriginMix::pure(Origin::Power(owner)), 0.5)
}

pub(crate) fn run_plants(
    rules: Res<GameRules>,
    mut production: ResMut<Production>,
    mut facilities: Query<&mut Facility>,
    mut powers: Query<(&Power, &mut Stockpile, &mut Finances, &Research)>,
) {
    let params = &rules.params;
    let mut out = [false; 3];
    for (p, ..) in powers.iter() {
        out[p.id.index()] = p.eliminated;
    }
    let mut list: Vec<_> = facilities.iter_mut().collect();
    // Separation before magnets, each by id: magnets can use this turn's oxides.
    list.sort_by_key(|f| (f.kind, f.seq));
    for mut f in list {
        if f.kind == FacilityKind::Mine {
            continue;
        }
        // An eliminated power's facilities stand idle.
        if out[f.owner.index()] {
            f.output = 0.0;
            continue;
        }
        f.output = 0.0;
        if f.stage != Stage::Operating {
            continue;
        }
        let owner = f.owner;
        let Some((_, mut stock, mut fin, research)) =
            powers.iter_mut().find(|(p, ..)| p.id == owner)
        else {
            continue;
        };
        // What the plant makes this turn, and where it counts as coming from.
        let (made, mix): (Vec<(Good, f64)>, OriginMix) = match f.kind {
            FacilityKind::SeparationPlant => {
                let input = stock.take(Good::Concentrate, f.capacity);
                if input <= 0.0 {
                    continue;
                }
                let heavy_share = stock.concentrate_heavy_share;
                let mix = processed_mix(&stock.mix[Good::Concentrate], owner);
                let light = input * params.light_yield;
                let heavy = input * heavy_share * params.heavy_recovery;
                // Cerium, lanthanum and the rest are sold off as by-products.
                let byproducts = (input - light - heavy).max(0.0);
                let revenue = byproducts * params.byproduct_price / 1000.0;
                fin.treasury += revenue;
                fin.ledger.sales += revenue;
                production.separated[owner.index()] += input;
                f.output = input;
                (
                    vec![(Good::LightOxides, light), (Good::HeavyOxides, heavy)],
                    mix,
                )
            }
            FacilityKind::MagnetPlant => {
                let heavy_per = params.magnet_heavy_per_kt
                    * (1.0 - params.substitution_max * research.level(ResearchField::Substitution));
                let light_per = params.magnet_light_per_kt;
                let mut out = f.capacity.min(stock.qty[Good::LightOxides] / light_per);
                if heavy_per > 0.0 {
                    out = out.min(stock.qty[Good::HeavyOxides] / heavy_per);
                }
                if out <= 1e-9 {
                    continue;
                }
                let light_mix = stock.mix[Good::LightOxides];
                let heavy_mix = stock.mix[Good::HeavyOxides];
                let l = stock.take(Good::LightOxides, out * light_per);
                let h = stock.take(Good::HeavyOxides, out * heavy_per);
                // Inputs weigh by value in the magnet's origin.
                let base = &rules.base_price;
                let input_mix = light_mix.blend(
                    l * base[Good::LightOxides],
                    &heavy_mix,
                    h * base[Good::HeavyOxides],
                );
                production.magnets[owner.index()] += out;
                f.output = out;
                (vec![(Good::Magnets, out)], processed_mix(&input_mix, owner))
            }
            FacilityKind::Mine => continue,
        };
        // Joint-venture partners take their shares of the output.
        let shares: Vec<(PowerId, f64)> =
            PowerId::ALL.iter().map(|p| (*p, f.share_of(*p))).collect();
        for (p, share) in shares {
            if share <= 0.0 {
                continue;
            }
            if let Some((_, mut s, _, _)) = powers.iter_mut().find(|(q, ..)| q.id == p) {
                for (good, qty) in &made {
                    s.add(*good, qty * share, &mix);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::orders::get_power;
    use crate::rules::testing::*;

    #[test]
    fn separation_turns_concentrate_into_oxides() {
        let mut world = test_world();
        let s0 = get_power::<Stockpile>(&world, PowerId::China).clone();
        run_system(&mut world, run_plants);
        let s1 = get_power::<Stockpile>(&world, PowerId::China).clone();
        let used = s0.qty[Good::Concentrate] - s1.qty[Good::Concentrate];
        assert!(used > 0.0, "China separates concentrate");
        let sep = world.resource::<Production>().separated[PowerId::China.index()];
        assert!((sep - used).abs() < 1e-9);
        assert!(world.resource::<Production>().magnets[PowerId::China.index()] > 0.0);
    }

    #[test]
    fn magnet_plants_stop_without_heavy_oxides() {
        let mut world = test_world();
        for p in PowerId::ALL {
            let e = power_entity(&world, p);
            let mut s = world.get_mut::<Stockpile>(e).unwrap();
            s.qty[Good::HeavyOxides] = 0.0;
            s.qty[Good::Concentrate] = 0.0;
        }
        run_system(&mut world, run_plants);
        let m = world.resource::<Production>().magnets;
        assert_eq!(m.iter().sum::<f64>(), 0.0);
    }

    #[test]
    fn substitution_research_saves_heavy_oxide() {
        let used = |progress: f64| {
            let mut world = test_world();
            let e = power_entity(&world, PowerId::China);
            world.get_mut::<Research>(e).unwrap().progress[ResearchField::Substitution.index()] =
                progress;
            world.get_mut::<Stockpile>(e).unwrap().qty[Good::Concentrate] = 0.0;
            let h0 = get_power::<Stockpile>(&world, PowerId::China).qty[Good::HeavyOxides];
            run_system(&mut world, run_plants);
            let h1 = get_power::<Stockpile>(&world, PowerId::China).qty[Good::HeavyOxides];
            let m = world.resource::<Production>().magnets[PowerId::China.index()];
            (h0 - h1) / m
        };
        assert!(used(1.0) < used(0.0) * 0.6);
    }
}
