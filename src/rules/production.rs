//! Phase 7, production: operating mines dig concentrate out of their
//! deposits; output goes to the owner and joint-venture partners.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        (run_mines, run_outside_mines)
            .chain()
            .in_set(TurnPhase::Production),
    );
}

/// Mines never run below this share of capacity: crews, contracts and the
/// state's quotas keep them going even when ore piles up.
pub const MIN_MINE_RUN: f64 = 0.5;

/// Concentrate each power wants mined this quarter: its separation plants'
/// feed, last quarter's sales and some weeks of stock, less what it holds.
/// None in the first quarter (no sales to judge by yet: mines run full).
fn concentrate_wanted(
    log: &TradeLog,
    cover_weeks: f64,
    facilities: &[Mut<Facility>],
    power: PowerId,
    stock: f64,
) -> Option<f64> {
    if log.flows.is_empty() {
        return None;
    }
    let feed: f64 = facilities
        .iter()
        .filter(|f| {
            f.owner == power
                && f.kind == FacilityKind::SeparationPlant
                && f.stage == Stage::Operating
        })
        .map(|f| f.capacity)
        .sum();
    let sales: f64 = log
        .flows
        .iter()
        .filter(|f| f.good == Good::Concentrate && f.seller == Origin::Power(power))
        .map(|f| f.qty)
        .sum();
    Some(super::processing::wanted_output(
        feed,
        sales,
        stock,
        cover_weeks,
    ))
}

pub(crate) fn run_mines(
    index: Res<EntityIndex>,
    rules: Res<GameRules>,
    log: Res<TradeLog>,
    mut production: ResMut<Production>,
    mut facilities: Query<&mut Facility>,
    mut deposits: Query<&mut Deposit>,
    mut stocks: Query<(&Power, &mut Stockpile)>,
) {
    *production = Production::default();
    let mut out = [false; 3];
    let mut held = [0.0; 3];
    for (p, s) in stocks.iter() {
        out[p.id.index()] = p.eliminated;
        held[p.id.index()] = s.qty[Good::Concentrate];
    }
    let mut list: Vec<_> = facilities.iter_mut().collect();
    list.sort_by_key(|f| f.seq);
    let mut want: [Option<f64>; 3] = [None; 3];
    for p in PowerId::ALL {
        want[p.index()] =
            concentrate_wanted(&log, rules.market.cover_weeks, &list, p, held[p.index()]);
    }
    for mut f in list {
        if f.kind != FacilityKind::Mine {
            continue;
        }
        let last = f.output;
        // An eliminated power's facilities stand idle.
        if out[f.owner.index()] {
            f.output = 0.0;
            continue;
        }
        f.output = 0.0;
        if f.stage != Stage::Operating {
            continue;
        }
        let Some(de) = index.deposits.get(&*f.at) else {
            continue;
        };
        let Ok(mut deposit) = deposits.get_mut(*de) else {
            continue;
        };
        let w = &mut want[f.owner.index()];
        let run = match w {
            Some(w) => super::processing::plant_run(f.capacity, *w, last, MIN_MINE_RUN),
            None => f.capacity,
        };
        let out = run.min(deposit.reserves).max(0.0);
        if let Some(w) = w {
            *w = (*w - out).max(0.0);
        }
        deposit.reserves -= out;
        f.output = out;
        // Output counts as the owner's: the host country can cut it off.
        let origin = OriginMix::pure(Origin::Power(f.owner));
        production.mined[f.owner.index()] += out;
        production.made[f.owner.index()][Good::Concentrate] += out;
        for (power, mut stock) in stocks.iter_mut() {
            let share = f.share_of(power.id);
            if share > 0.0 {
                stock.add_concentrate(out * share, deposit.heavy_share, &origin);
            }
        }
    }
}

/// Outside mines dig what their own plants and their buyers take, like the
/// powers' mines; their capacity grows on its trend and suffers shocks.
pub(crate) fn run_outside_mines(
    rules: Res<GameRules>,
    log: Res<TradeLog>,
    mut production: ResMut<Production>,
    mut suppliers: Query<&mut OutsideSupplier>,
) {
    let mut list: Vec<Mut<OutsideSupplier>> = suppliers.iter_mut().collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    for o in list.iter_mut() {
        let sold_last = o.sold[Good::Concentrate];
        let last = o.made[Good::Concentrate];
        o.made[Good::Concentrate] = 0.0;
        if o.mines <= 0.0 {
            continue;
        }
        let capacity = o.mines * o.shock_factor(Good::Concentrate);
        let run = if log.flows.is_empty() {
            capacity
        } else {
            let wanted = super::processing::wanted_output(
                o.separation.feed,
                sold_last,
                o.stock.qty[Good::Concentrate],
                rules.market.cover_weeks,
            );
            super::processing::plant_run(capacity, wanted, last, MIN_MINE_RUN)
        };
        let heavy = o.heavy_share;
        o.stock
            .add_concentrate(run, heavy, &OriginMix::pure(Origin::Outside));
        o.made[Good::Concentrate] += run;
        production.mined[3] += run;
        production.made[3][Good::Concentrate] += run;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::orders::get_power;
    use crate::rules::testing::*;

    #[test]
    fn mines_add_concentrate_and_deplete_reserves() {
        let mut world = test_world();
        let before = get_power::<Stockpile>(&world, PowerId::Us).qty[Good::Concentrate];
        let e = world.resource::<EntityIndex>().deposits["mountain-pass"];
        let reserves = world.get::<Deposit>(e).unwrap().reserves;
        run_system(&mut world, run_mines);
        let after = get_power::<Stockpile>(&world, PowerId::Us).qty[Good::Concentrate];
        let mined = after - before;
        assert!(mined > 1.0, "Mountain Pass produces {mined}");
        let left = world.get::<Deposit>(e).unwrap().reserves;
        assert!((reserves - left - mined).abs() < 1e-9);
        assert!(world.resource::<Production>().mined[PowerId::China.index()] > mined);
    }

    #[test]
    fn joint_venture_output_is_shared() {
        let mut world = test_world();
        let e = world
            .resource::<EntityIndex>()
            .facilities
            .values()
            .copied()
            .find(|e| {
                let f = world.get::<Facility>(*e).unwrap();
                f.kind == FacilityKind::Mine
                    && f.owner == PowerId::Russia
                    && f.stage == Stage::Operating
            });
        let e = e.expect("Russia runs a mine");
        world.get_mut::<Facility>(e).unwrap().partners = vec![(PowerId::Us, 0.5)];
        let us0 = get_power::<Stockpile>(&world, PowerId::Us).qty[Good::Concentrate];
        let ru0 = get_power::<Stockpile>(&world, PowerId::Russia).qty[Good::Concentrate];
        run_system(&mut world, run_mines);
        let out = world.get::<Facility>(e).unwrap().output;
        let us1 = get_power::<Stockpile>(&world, PowerId::Us).qty[Good::Concentrate];
        let ru1 = get_power::<Stockpile>(&world, PowerId::Russia).qty[Good::Concentrate];
        assert!((ru1 - ru0 - out * 0.5).abs() < 1e-9);
        // The US also gets Mountain Pass output; its Russian share is half of Lovozero's.
        assert!(us1 - us0 >= out * 0.5 - 1e-9);
        let mix = get_power::<Stockpile>(&world, PowerId::Us).mix[Good::Concentrate];
        assert!(mix.share(Origin::Power(PowerId::Russia)) > 0.0);
    }
}
