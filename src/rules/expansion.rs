//! Outside producers build: their capacity follows its trend, and when the
//! price outside China stays high they commit new mines and plants that open
//! only after a lag (years for a mine). New supply never answers a price
//! within the quarter.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        expand_outside
            .in_set(TurnPhase::Construction)
            .after(super::construction::advance_construction),
    );
}

/// Most capacity an outside producer builds at once, as a share of what it has.
const MAX_PENDING: f64 = 0.6;

/// The good whose price drives building at a stage.
fn driver(stage: FacilityKind, price: &PerGood<f64>, base: &PerGood<f64>) -> f64 {
    let r = |g: Good| price[g] / base[g];
    match stage {
        FacilityKind::Mine => r(Good::Concentrate),
        FacilityKind::SeparationPlant => r(Good::LightOxides).max(r(Good::HeavyOxides)),
        FacilityKind::MagnetPlant => r(Good::Magnets),
    }
}

fn capacity_of(o: &OutsideSupplier, stage: FacilityKind) -> f64 {
    match stage {
        FacilityKind::Mine => o.mines,
        FacilityKind::SeparationPlant => o.separation.feed,
        FacilityKind::MagnetPlant => o.magnet_plants,
    }
}

/// Add `qty` of capacity at a stage (separation grows all its figures alike).
pub fn add_capacity(o: &mut OutsideSupplier, stage: FacilityKind, qty: f64) {
    match stage {
        FacilityKind::Mine => o.mines += qty,
        FacilityKind::SeparationPlant => {
            let s = &mut o.separation;
            if s.feed > 0.0 {
                let k = (s.feed + qty) / s.feed;
                s.light_oxides *= k;
                s.heavy_oxides *= k;
            }
            s.feed += qty;
        }
        FacilityKind::MagnetPlant => o.magnet_plants += qty,
    }
}

pub(crate) fn expand_outside(
    rules: Res<GameRules>,
    clock: Res<TurnClock>,
    market: Res<Market>,
    mut news: ResMut<NewsLog>,
    mut suppliers: Query<&mut OutsideSupplier>,
) {
    let e = &rules.market.expansion;
    let turn = clock.turn;
    let mut list: Vec<Mut<OutsideSupplier>> = suppliers.iter_mut().collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    for o in list.iter_mut() {
        let o = &mut **o;
        // Capacity opening now.
        let (ready, pending): (Vec<Expansion>, Vec<Expansion>) =
            o.pipeline.drain(..).partition(|x| x.ready <= turn);
        o.pipeline = pending;
        for x in ready {
            add_capacity(o, x.stage, x.qty);
            let what = match x.stage {
                FacilityKind::Mine => "mine",
                FacilityKind::SeparationPlant => "separation plant",
                FacilityKind::MagnetPlant => "magnet plant",
            };
            let by = match x.financed_by {
                Some(p) => format!(", financed by {p}"),
                None => String::new(),
            };
            news.public(
                turn,
                NewsKind::Facility,
                // The name first and no verb on it: some names are plural
                // ("Japan's magnet makers", "… and other small miners").
                format!(
                    "{}: new {what} capacity opens ({:.2} kt a quarter{by}).",
                    o.name, x.qty
                ),
            );
        }
        // Trend growth.
        let g = 1.0 + o.growth;
        o.mines *= g;
        o.separation.feed *= g;
        o.separation.light_oxides *= g;
        o.separation.heavy_oxides *= g;
        o.magnet_plants *= g;
        if !o.expands {
            continue;
        }
        for stage in FacilityKind::ALL {
            let have = capacity_of(o, stage);
            if have <= 0.0 {
                continue;
            }
            let ratio = driver(stage, &market.price, &rules.base_price);
            if ratio < e.threshold {
                continue;
            }
            let pending: f64 = o
                .pipeline
                .iter()
                .filter(|x| x.stage == stage)
                .map(|x| x.qty)
                .sum();
            let share = (e.share_per_quarter * (ratio - e.threshold + 1.0)).min(e.max_share);
            let qty = (have * share).min(have * MAX_PENDING - pending);
            if qty > 1e-6 {
                o.pipeline.push(Expansion {
                    ready: turn + e.lag.get(stage).max(1),
                    stage,
                    qty,
                    financed_by: None,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn high_prices_bring_capacity_only_after_the_lag() {
        let mut world = test_world();
        let base = world.resource::<GameRules>().base_price;
        world.resource_mut::<Market>().price[Good::LightOxides] = base[Good::LightOxides] * 3.0;
        let lynas = world
            .resource::<EntityIndex>()
            .suppliers
            .get("australia-lynas")
            .copied()
            .expect("Lynas in the test level");
        let before = world.get::<OutsideSupplier>(lynas).unwrap().separation.feed;
        run_system(&mut world, expand_outside);
        let lag = world
            .resource::<GameRules>()
            .market
            .expansion
            .lag
            .separation_plant;
        let after = world.get::<OutsideSupplier>(lynas).unwrap();
        assert!(!after.pipeline.is_empty(), "Lynas commits new capacity");
        // Only the trend in the quarter itself.
        assert!(after.separation.feed < before * 1.05);
        world.resource_mut::<TurnClock>().turn += lag;
        run_system(&mut world, expand_outside);
        let later = world.get::<OutsideSupplier>(lynas).unwrap().separation.feed;
        assert!(later > before * 1.05, "{before} -> {later}");
        let news = &world.resource::<NewsLog>().items;
        assert!(
            news.iter().any(|n| n.text.starts_with(
                "Lynas (Australia and Malaysia): new separation plant capacity opens ("
            )),
            "{news:?}"
        );
    }
}
