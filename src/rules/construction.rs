//! Phase 6, construction: permits come through, money is spent, facilities
//! open; damaged ones are repaired.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        advance_construction.in_set(TurnPhase::Construction),
    );
}

pub(crate) fn advance_construction(
    clock: Res<TurnClock>,
    mut news: ResMut<NewsLog>,
    mut causes: ResMut<TurnCauses>,
    mut facilities: Query<&mut Facility>,
    mut powers: Query<(&Power, &mut Finances, &BuildProfile)>,
) {
    let turn = clock.turn;
    let mut list: Vec<_> = facilities.iter_mut().collect();
    // Funders pay in a stable order: the first in line gets the money.
    list.sort_by_key(|f| f.seq);
    for mut f in list {
        match f.stage {
            Stage::Planned => {
                f.stage = Stage::Permitting;
                if f.turns_left == 0 {
                    start_construction(&mut f, &powers);
                }
            }
            Stage::Permitting => {
                f.turns_left = f.turns_left.saturating_sub(1);
                if f.turns_left == 0 {
                    start_construction(&mut f, &powers);
                    news.public(
                        turn,
                        NewsKind::Facility,
                        format!("Permits granted: construction starts on {}.", f.name),
                    );
                }
            }
            Stage::Construction => {
                let spend = if f.turns_left > 0 {
                    f.money_left / f.turns_left as f64
                } else {
                    f.money_left
                };
                let Some((_, mut fin, _)) = powers.iter_mut().find(|(p, _, _)| p.id == f.funder)
                else {
                    continue;
                };
                // A funder already at its debt limit cannot pay: work stalls.
                if spend > 0.0 && fin.treasury - spend < -fin.debt_limit {
                    news.private(
                        turn,
                        &[f.funder],
                        NewsKind::Facility,
                        format!("Work on {} stalls: no money to pay the builders.", f.name),
                    );
                    continue;
                }
                fin.treasury -= spend;
                fin.ledger.construction -= spend;
                f.money_left = (f.money_left - spend).max(0.0);
                f.turns_left = f.turns_left.saturating_sub(1);
                if f.turns_left == 0 {
                    f.stage = Stage::Operating;
                    f.money_left = 0.0;
                    news.public(
                        turn,
                        NewsKind::Facility,
                        format!(
                            "{} opens: {:.2} kt/quarter for {}.",
                            f.name, f.capacity, f.owner
                        ),
                    );
                    causes.add_down(f.kind.output(), format!("{} opens", f.name));
                }
            }
            Stage::Damaged => {
                f.turns_left = f.turns_left.saturating_sub(1);
                if f.turns_left == 0 {
                    f.stage = Stage::Operating;
                    news.public(
                        turn,
                        NewsKind::Facility,
                        format!("{} is repaired and back in operation.", f.name),
                    );
                }
            }
            Stage::Operating | Stage::Idle => {}
        }
    }
}

fn start_construction(f: &mut Facility, powers: &Query<(&Power, &mut Finances, &BuildProfile)>) {
    let turns = powers
        .iter()
        .find(|(p, _, _)| p.id == f.owner)
        .map(|(_, _, b)| b.construction_turns.get(f.kind))
        .unwrap_or(4);
    f.stage = Stage::Construction;
    f.turns_left = turns.max(1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::orders::{Order, facility, submit};
    use crate::rules::testing::*;

    fn fund(world: &mut World, p: PowerId, at: &str, kind: FacilityKind, cap: f64) -> String {
        submit(
            world,
            p,
            Order::FundFacility {
                at: at.into(),
                kind,
                capacity: cap,
            },
        )
        .expect("funding accepted");
        crate::rules::orders_phase::apply_orders(world);
        world
            .resource::<EntityIndex>()
            .facilities
            .iter()
            .filter(|(_, e)| world.get::<Facility>(**e).unwrap().funded_turn > 0)
            .map(|(id, _)| id.clone())
            .last()
            .unwrap()
    }

    fn turns_to_open(world: &mut World, id: &str) -> u32 {
        for t in 1..200 {
            run_system(world, advance_construction);
            if facility(world, id).unwrap().stage == Stage::Operating {
                return t;
            }
        }
        panic!("{id} never opened");
    }

    #[test]
    fn mines_open_sooner_in_china_than_in_the_us() {
        let mut world = test_world();
        let us = fund(
            &mut world,
            PowerId::Us,
            "mountain-pass",
            FacilityKind::Mine,
            0.5,
        );
        let us_turns = turns_to_open(&mut world, &us);
        let mut world = test_world();
        let cn = fund(
            &mut world,
            PowerId::China,
            "bayan-obo",
            FacilityKind::Mine,
            0.5,
        );
        let cn_turns = turns_to_open(&mut world, &cn);
        assert!(
            us_turns > 2 * cn_turns,
            "US {us_turns} turns vs China {cn_turns}"
        );
    }

    #[test]
    fn construction_spends_all_the_money_and_stalls_when_broke() {
        let mut world = test_world();
        let id = fund(
            &mut world,
            PowerId::China,
            "bayan-obo",
            FacilityKind::Mine,
            0.5,
        );
        let cost = facility(&world, &id).unwrap().cost;
        let before = crate::rules::orders::get_power::<Finances>(&world, PowerId::China).treasury;
        turns_to_open(&mut world, &id);
        let after = crate::rules::orders::get_power::<Finances>(&world, PowerId::China).treasury;
        assert!(
            (before - after - cost * 0.9).abs() < 1e-9,
            "{before} {after} {cost}"
        );

        let mut world = test_world();
        let id = fund(
            &mut world,
            PowerId::China,
            "bayan-obo",
            FacilityKind::Mine,
            0.5,
        );
        let e = power_entity(&world, PowerId::China);
        world.get_mut::<Finances>(e).unwrap().treasury = -1000.0;
        for _ in 0..30 {
            run_system(&mut world, advance_construction);
        }
        assert_eq!(facility(&world, &id).unwrap().stage, Stage::Construction);
    }
}
