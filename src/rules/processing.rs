//! Phase 8, processing: separation plants split concentrate into NdPr and
//! Dy/Tb oxides; magnet plants turn oxides into magnets. The powers' plants
//! and the outside producers' plants run by the same rule.
//!
//! A plant runs to what its owner can use or sell (its own industry and
//! plants, last quarter's sales, a few weeks of stock), not blindly at
//! capacity: when export controls close a market, the exporter cuts output
//! rather than dumping it.
//!
//! Content: a good separated or made in China is Chinese, whatever went in
//! (it passed through China's choke point); made anywhere else it carries the
//! content of its inputs. A US magnet of Chinese oxide is Chinese content.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::params::RulesParams;
use super::resources::*;
use super::trade::WEEKS_PER_QUARTER;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        (run_plants, run_outside_plants)
            .chain()
            .in_set(TurnPhase::Processing),
    );
}

/// Plants never run below this share of capacity while they have feed
/// (contracts, staff, furnaces that cannot stop).
pub const MIN_PLANT_RUN: f64 = 0.3;

/// A plant cuts its output by at most this share a quarter: firms first hold
/// unsold goods in stock, then lay off shifts.
pub const MAX_CUT: f64 = 0.25;

/// What a plant of `capacity` runs at, wanting `wanted`, after running at `last`.
pub fn plant_run(capacity: f64, wanted: f64, last: f64, min_run: f64) -> f64 {
    let floor = (last * (1.0 - MAX_CUT)).max(min_run * capacity);
    capacity.min(wanted.max(floor))
}

/// Content of what a processor makes from inputs of content `input`.
pub fn processed_mix(input: &OriginMix, processor: Origin) -> OriginMix {
    if processor == Origin::Power(PowerId::China) {
        OriginMix::pure(processor)
    } else {
        *input
    }
}

/// How much of a good an owner wants made this quarter (kt): what it uses,
/// what it sold last quarter, and stock up to its cover, less what it holds.
pub fn wanted_output(use_per_turn: f64, sales: f64, stock: f64, cover_weeks: f64) -> f64 {
    let flow = use_per_turn + sales;
    (flow * (1.0 + cover_weeks / WEEKS_PER_QUARTER) - stock).max(0.0)
}

/// Magnets from oxides, by the one rule for every plant: at most `run` kt,
/// limited by the NdPr and Dy/Tb oxide at hand. Returns kt made and their
/// content (oxides weighed by value).
pub fn make_magnets(
    stock: &mut Stockpile,
    run: f64,
    light_per: f64,
    heavy_per: f64,
    base: &PerGood<f64>,
    processor: Origin,
) -> (f64, OriginMix) {
    let mut out = run.min(stock.qty[Good::LightOxides] / light_per.max(1e-9));
    if heavy_per > 0.0 {
        out = out.min(stock.qty[Good::HeavyOxides] / heavy_per);
    }
    if out <= 1e-9 {
        return (0.0, OriginMix::default());
    }
    let light_mix = stock.mix[Good::LightOxides];
    let heavy_mix = stock.mix[Good::HeavyOxides];
    let l = stock.take(Good::LightOxides, out * light_per);
    let h = stock.take(Good::HeavyOxides, out * heavy_per);
    let input = light_mix.blend(
        l * base[Good::LightOxides],
        &heavy_mix,
        h * base[Good::HeavyOxides],
    );
    (out, processed_mix(&input, processor))
}

/// Separation by the one rule: up to `feed` kt of concentrate from the stock,
/// giving `light_yield` NdPr and `heavy_yield` Dy/Tb per kt fed. Returns
/// (kt fed, light, heavy, content).
pub fn separate(
    stock: &mut Stockpile,
    feed: f64,
    light_yield: f64,
    heavy_yield: f64,
    processor: Origin,
) -> (f64, f64, f64, OriginMix) {
    let mix = stock.mix[Good::Concentrate];
    let input = stock.take(Good::Concentrate, feed);
    if input <= 0.0 {
        return (0.0, 0.0, 0.0, OriginMix::default());
    }
    (
        input,
        input * light_yield,
        input * heavy_yield,
        processed_mix(&mix, processor),
    )
}

/// Last quarter's sales of each good by `origin` (market and contracts).
fn sales_of(log: &TradeLog, origin: Origin) -> PerGood<f64> {
    let mut s = PerGood::default();
    for f in &log.flows {
        if f.seller == origin {
            s[f.good] += f.qty;
        }
    }
    s
}

pub(crate) fn run_plants(
    rules: Res<GameRules>,
    log: Res<TradeLog>,
    mut production: ResMut<Production>,
    mut facilities: Query<&mut Facility>,
    mut powers: Query<(&Power, &mut Stockpile, &mut Finances, &Research, &Industry)>,
) {
    let params = &rules.params;
    let cover = rules.market.cover_weeks;
    let mut list: Vec<_> = facilities.iter_mut().collect();
    // Separation before magnets, each by id: magnets can use this turn's oxides.
    list.sort_by_key(|f| (f.kind, f.seq));
    let mut out = [false; 3];
    for (p, ..) in powers.iter() {
        out[p.id.index()] = p.eliminated;
    }
    // What each owner wants made: its industry's use, its own magnet plants'
    // feed, and last quarter's sales.
    let mut want: [PerGood<f64>; 3] = Default::default();
    // In the first quarter there are no sales to judge by: plants run full.
    let first = log.flows.is_empty();
    for p in PowerId::ALL {
        let sales = sales_of(&log, Origin::Power(p));
        let Some((_, stock, _, research, industry)) = powers.iter().find(|(q, ..)| q.id == p)
        else {
            continue;
        };
        let heavy_per = heavy_per_magnet(params, research);
        let magnets: f64 = list
            .iter()
            .filter(|f| {
                f.owner == p && f.kind == FacilityKind::MagnetPlant && f.stage == Stage::Operating
            })
            .map(|f| f.capacity)
            .sum();
        let mut uses = PerGood::default();
        for g in Good::ALL {
            uses[g] = industry.current_need(g);
        }
        let magnets_wanted = wanted_output(
            uses[Good::Magnets],
            sales[Good::Magnets],
            stock.qty[Good::Magnets],
            cover,
        );
        let magnet_run = if first {
            magnets
        } else {
            magnets.min(magnets_wanted.max(MIN_PLANT_RUN * magnets))
        };
        uses[Good::LightOxides] += magnet_run * params.magnet_light_per_kt;
        uses[Good::HeavyOxides] += magnet_run * heavy_per;
        for g in Good::ALL {
            want[p.index()][g] = if first {
                f64::INFINITY
            } else {
                wanted_output(uses[g], sales[g], stock.qty[g], cover)
            };
        }
    }
    for mut f in list {
        if f.kind == FacilityKind::Mine {
            continue;
        }
        let last = f.output;
        // An eliminated power's facilities stand idle.
        f.output = 0.0;
        if out[f.owner.index()] || f.stage != Stage::Operating {
            continue;
        }
        let owner = f.owner;
        let Some((_, mut stock, mut fin, research, _)) =
            powers.iter_mut().find(|(p, ..)| p.id == owner)
        else {
            continue;
        };
        let me = Origin::Power(owner);
        let w = &mut want[owner.index()];
        // What the plant makes this turn, and where it counts as coming from.
        let (made, mix): (Vec<(Good, f64)>, OriginMix) = match f.kind {
            FacilityKind::SeparationPlant => {
                let heavy_yield = stock.concentrate_heavy_share * params.heavy_recovery;
                let needed =
                    (w[Good::LightOxides] / params.light_yield).max(if heavy_yield > 0.0 {
                        w[Good::HeavyOxides] / heavy_yield
                    } else {
                        0.0
                    });
                let run = plant_run(f.capacity, needed, last, MIN_PLANT_RUN);
                let (input, light, heavy, mix) =
                    separate(&mut stock, run, params.light_yield, heavy_yield, me);
                if input <= 0.0 {
                    continue;
                }
                w[Good::LightOxides] = (w[Good::LightOxides] - light).max(0.0);
                w[Good::HeavyOxides] = (w[Good::HeavyOxides] - heavy).max(0.0);
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
                let run = plant_run(f.capacity, w[Good::Magnets], last, MIN_PLANT_RUN);
                let (made, mix) = make_magnets(
                    &mut stock,
                    run,
                    params.magnet_light_per_kt,
                    heavy_per_magnet(params, research),
                    &rules.base_price,
                    me,
                );
                if made <= 1e-9 {
                    continue;
                }
                w[Good::Magnets] = (w[Good::Magnets] - made).max(0.0);
                production.magnets[owner.index()] += made;
                f.output = made;
                (vec![(Good::Magnets, made)], mix)
            }
            FacilityKind::Mine => continue,
        };
        for (good, qty) in &made {
            production.made[owner.index()][*good] += qty;
        }
        // Joint-venture partners take their shares of the output.
        let shares: Vec<(PowerId, f64)> =
            PowerId::ALL.iter().map(|p| (*p, f.share_of(*p))).collect();
        for (p, share) in shares {
            if share <= 0.0 {
                continue;
            }
            if let Some((_, mut s, ..)) = powers.iter_mut().find(|(q, ..)| q.id == p) {
                for (good, qty) in &made {
                    s.add(*good, qty * share, &mix);
                }
            }
        }
    }
}

fn heavy_per_magnet(params: &RulesParams, research: &Research) -> f64 {
    params.magnet_heavy_per_kt
        * (1.0 - params.substitution_max * research.level(ResearchField::Substitution))
}

/// Outside producers separate and make magnets by the same rule, at full
/// feed (they sell whatever their users do not take).
pub(crate) fn run_outside_plants(
    rules: Res<GameRules>,
    mut production: ResMut<Production>,
    mut suppliers: Query<&mut OutsideSupplier>,
) {
    let params = &rules.params;
    let mut list: Vec<Mut<OutsideSupplier>> = suppliers.iter_mut().collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    let cover = rules.market.cover_weeks;
    for o in list.iter_mut() {
        let o = &mut **o;
        // What it wants made: its users' needs, its own magnet plants' feed,
        // last quarter's sales, and its working stock, less what it holds.
        let magnets_wanted = wanted_output(
            o.current_demand(Good::Magnets),
            o.sold[Good::Magnets],
            o.stock.qty[Good::Magnets],
            cover,
        );
        let magnet_capacity = o.magnet_plants * o.shock_factor(Good::Magnets);
        let magnet_run = plant_run(
            magnet_capacity,
            magnets_wanted,
            o.made[Good::Magnets],
            MIN_PLANT_RUN,
        );
        let want = |g: Good, feed: f64| {
            wanted_output(o.current_demand(g) + feed, o.sold[g], o.stock.qty[g], cover)
        };
        let light_wanted = want(Good::LightOxides, magnet_run * params.magnet_light_per_kt);
        let heavy_wanted = want(Good::HeavyOxides, magnet_run * params.magnet_heavy_per_kt);
        let last_feed = if o.separation.light_oxides > 0.0 {
            o.made[Good::LightOxides] / o.separation.light_oxides * o.separation.feed
        } else {
            0.0
        };
        o.made[Good::LightOxides] = 0.0;
        o.made[Good::HeavyOxides] = 0.0;
        o.made[Good::Magnets] = 0.0;
        let sep = o.separation;
        if sep.feed > 0.0 {
            let light_yield = sep.light_oxides / sep.feed * o.shock_factor(Good::LightOxides);
            let heavy_yield = sep.heavy_oxides / sep.feed * o.shock_factor(Good::HeavyOxides);
            let needed = (light_wanted / light_yield.max(1e-9)).max(if heavy_yield > 0.0 {
                heavy_wanted / heavy_yield
            } else {
                0.0
            });
            let run = plant_run(sep.feed, needed, last_feed, MIN_PLANT_RUN);
            let (input, light, heavy, mix) =
                separate(&mut o.stock, run, light_yield, heavy_yield, Origin::Outside);
            if input > 0.0 {
                o.stock.add(Good::LightOxides, light, &mix);
                o.stock.add(Good::HeavyOxides, heavy, &mix);
                o.made[Good::LightOxides] += light;
                o.made[Good::HeavyOxides] += heavy;
                production.separated[3] += input;
                production.made[3][Good::LightOxides] += light;
                production.made[3][Good::HeavyOxides] += heavy;
            }
        }
        if o.magnet_plants > 0.0 {
            let (made, mix) = make_magnets(
                &mut o.stock,
                magnet_run,
                params.magnet_light_per_kt,
                params.magnet_heavy_per_kt,
                &rules.base_price,
                Origin::Outside,
            );
            if made > 0.0 {
                o.stock.add(Good::Magnets, made, &mix);
                o.made[Good::Magnets] += made;
                production.magnets[3] += made;
                production.made[3][Good::Magnets] += made;
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
        assert_eq!(m[0] + m[1] + m[2], 0.0);
    }

    #[test]
    fn content_carries_through_processing_but_china_makes_it_chinese() {
        let chinese = OriginMix::pure(Origin::Power(PowerId::China));
        let american = OriginMix::pure(Origin::Power(PowerId::Us));
        assert_eq!(
            processed_mix(&chinese, Origin::Power(PowerId::Us)),
            chinese,
            "a US magnet of Chinese oxide is Chinese content"
        );
        assert_eq!(
            processed_mix(&american, Origin::Power(PowerId::China)),
            chinese,
            "US ore separated in China passed through China"
        );
        assert_eq!(processed_mix(&american, Origin::Outside), american);
    }

    #[test]
    fn a_plant_with_no_buyers_cuts_output() {
        // China with huge magnet stocks and no sales wants few new magnets.
        let mut world = test_world();
        let e = power_entity(&world, PowerId::China);
        world.get_mut::<Stockpile>(e).unwrap().qty[Good::Magnets] = 500.0;
        // A quarter has passed: sales are known (here, almost none).
        world.resource_mut::<TradeLog>().flows.push(TradeFlow {
            good: Good::Magnets,
            seller: Origin::Power(PowerId::China),
            buyer: Origin::Outside,
            qty: 0.1,
            price: 60.0,
            tariff: 0.0,
            detour: 0.0,
            contract: false,
        });
        let full: f64 = world
            .resource::<EntityIndex>()
            .facilities
            .values()
            .filter_map(|e| world.get::<Facility>(*e))
            .filter(|f| f.owner == PowerId::China && f.kind == FacilityKind::MagnetPlant)
            .map(|f| f.capacity)
            .sum();
        run_system(&mut world, run_plants);
        let made = world.resource::<Production>().magnets[PowerId::China.index()];
        assert!(made <= MIN_PLANT_RUN * full + 1e-6, "made {made}");
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
