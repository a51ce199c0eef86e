//! Phase 7, production: operating mines dig concentrate out of their
//! deposits; output goes to the owner and joint-venture partners.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(super::TurnSchedule, run_mines.in_set(TurnPhase::Production));
}

pub(crate) fn run_mines(
    index: Res<EntityIndex>,
    mut production: ResMut<Production>,
    mut facilities: Query<&mut Facility>,
    mut deposits: Query<&mut Deposit>,
    mut stocks: Query<(&Power, &mut Stockpile)>,
) {
    *production = Production::default();
    let mut out = [false; 3];
    for (p, _) in stocks.iter() {
        out[p.id.index()] = p.eliminated;
    }
    let mut list: Vec<_> = facilities.iter_mut().collect();
    list.sort_by_key(|f| f.seq);
    for mut f in list {
        if f.kind != FacilityKind::Mine {
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
        let Some(de) = index.deposits.get(&f.at) else {
            continue;
        };
        let Ok(mut deposit) = deposits.get_mut(*de) else {
            continue;
        };
        let out = f.capacity.min(deposit.reserves).max(0.0);
        deposit.reserves -= out;
        f.output = out;
        // Output counts as the owner's: the host country can cut it off.
        let origin = OriginMix::pure(Origin::Power(f.owner));
        production.mined[f.owner.index()] += out;
        for (power, mut stock) in stocks.iter_mut() {
            let share = f.share_of(power.id);
            if share > 0.0 {
                stock.add_concentrate(out * share, deposit.heavy_share, &origin);
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
