//! Holes found in review, each pinned by a test: deals whose terms undo each
//! other, sanctions and Congress bypasses, money and capital counted twice,
//! captured facilities, eliminated powers, level values that overflow.

use bevy::prelude::*;

use super::components::*;
use super::deals::*;
use super::orders::*;
use super::resources::*;
use super::testing::*;
use super::types::*;

fn set_capital(w: &mut World, p: PowerId, v: f64) {
    let e = power_entity(w, p);
    w.get_mut::<Politics>(e).unwrap().political_capital = v;
}

fn accept(w: &mut World, who: PowerId, id: u32) {
    respond(w, who, id, Response::Accept);
}

#[test]
fn terms_that_undo_each_other_are_refused() {
    let mut world = test_world();
    let t0 = world
        .resource::<Relations>()
        .tariff(PowerId::Us, PowerId::China);
    let r = propose(
        &mut world,
        PowerId::Us,
        PowerId::China,
        vec![
            Term::TariffCut {
                by: PowerId::Us,
                on: PowerId::China,
                rate: 0.0,
                turns: 12,
            },
            Term::TariffCut {
                by: PowerId::Us,
                on: PowerId::China,
                rate: t0 * 0.9,
                turns: 1,
            },
        ],
    );
    assert!(r.unwrap_err().0.contains("repeats"));
    // A "cut" that leaves the tariff where it is is no cut.
    let r = propose(
        &mut world,
        PowerId::Us,
        PowerId::China,
        vec![Term::TariffCut {
            by: PowerId::Us,
            on: PowerId::China,
            rate: t0,
            turns: 4,
        }],
    );
    assert!(r.is_err());
    let r = propose(
        &mut world,
        PowerId::Us,
        PowerId::Russia,
        vec![
            Term::Peace {
                security_guarantees: true,
            },
            Term::Ceasefire,
        ],
    );
    assert!(r.unwrap_err().0.contains("repeats"));
}

#[test]
fn full_sanctions_need_real_relief_from_the_side_that_imposed_them() {
    let mut world = test_world();
    world.resource_mut::<UkraineWar>().status = WarStatus::Ceasefire;
    world.resource_mut::<Relations>().sanctions[0][2] = SanctionsLevel::Full;
    let jv = Term::JointVenture {
        investor: PowerId::Us,
        at: "lovozero".into(),
        kind: FacilityKind::Mine,
        capacity: 0.2,
        investor_share: 0.5,
    };
    let noop = Term::SanctionsRelief {
        by: PowerId::Russia,
        on: PowerId::Us,
        level: SanctionsLevel::None,
        turns: 1,
    };
    assert!(
        propose(
            &mut world,
            PowerId::Russia,
            PowerId::Us,
            vec![jv.clone(), noop]
        )
        .is_err()
    );
    let real = Term::SanctionsRelief {
        by: PowerId::Us,
        on: PowerId::Russia,
        level: SanctionsLevel::Targeted,
        turns: 4,
    };
    let id = propose(&mut world, PowerId::Russia, PowerId::Us, vec![jv, real]).unwrap();
    let pc = get_power::<Politics>(&world, PowerId::Us).political_capital;
    accept(&mut world, PowerId::Us, id);
    let capital_cost = world
        .resource::<GameRules>()
        .params
        .sanctions_relief_capital;
    assert!(
        get_power::<Politics>(&world, PowerId::Us).political_capital <= pc - capital_cost + 1e-9
    );
}

#[test]
fn congress_charges_the_order_path_too() {
    let mut world = test_world();
    world.resource_mut::<UkraineWar>().status = WarStatus::Ceasefire;
    set_capital(&mut world, PowerId::Us, 0.0);
    let ease = Order::SetSanctions {
        on: PowerId::Russia,
        level: SanctionsLevel::None,
    };
    assert!(submit(&mut world, PowerId::Us, ease.clone()).is_err());
    set_capital(&mut world, PowerId::Us, 40.0);
    submit(&mut world, PowerId::Us, ease).unwrap();
    super::orders_phase::apply_orders(&mut world);
    let cost = world
        .resource::<GameRules>()
        .params
        .sanctions_relief_capital;
    let left = get_power::<Politics>(&world, PowerId::Us).political_capital;
    assert!((left - (40.0 - cost)).abs() < 1e-9, "{left}");
}

#[test]
fn two_permit_reforms_that_fit_both_go_through() {
    let mut world = test_world();
    let cost = world.resource::<GameRules>().params.permit_reform_cost;
    for id in ["mp-heavy-line", "mp-10x"] {
        let e = world.resource::<EntityIndex>().facilities[id];
        let mut f = world.get_mut::<Facility>(e).unwrap();
        f.stage = Stage::Permitting;
        f.turns_left = 8;
    }
    world
        .resource_mut::<GameRules>()
        .params
        .permit_reform_backlash = 0.0;
    set_capital(&mut world, PowerId::Us, 2.0 * cost + 1.0);
    for id in ["mp-heavy-line", "mp-10x"] {
        submit(
            &mut world,
            PowerId::Us,
            Order::PermitReform {
                facility: id.into(),
            },
        )
        .unwrap();
    }
    // A third does not fit.
    let e = world.resource::<EntityIndex>().facilities["mp-separation"];
    world.get_mut::<Facility>(e).unwrap().stage = Stage::Permitting;
    assert!(
        submit(
            &mut world,
            PowerId::Us,
            Order::PermitReform {
                facility: "mp-separation".into()
            }
        )
        .is_err()
    );
    super::orders_phase::apply_orders(&mut world);
    let results = &world.resource::<OrderResults>().results;
    assert!(results.iter().all(|r| r.refused.is_none()), "{results:?}");
}

#[test]
fn joint_ventures_at_one_deposit_count_together() {
    let mut world = test_world();
    let max = location(&world, "lovozero").unwrap().max_mine_capacity;
    let room = max - mine_capacity_at(&world, "lovozero");
    let jv = Term::JointVenture {
        investor: PowerId::China,
        at: "lovozero".into(),
        kind: FacilityKind::Mine,
        capacity: room * 0.75,
        investor_share: 0.5,
    };
    assert!(
        propose(
            &mut world,
            PowerId::China,
            PowerId::Russia,
            vec![jv.clone(), jv]
        )
        .is_err()
    );
}

#[test]
fn one_money_pool_for_buys_and_spending() {
    let mut world = test_world();
    let t = get_power::<Finances>(&world, PowerId::Us).treasury;
    submit(
        &mut world,
        PowerId::Us,
        Order::Buy {
            good: Good::Magnets,
            qty: 50.0,
            max_price: t * 1000.0 / 50.0,
        },
    )
    .unwrap();
    let spend = Order::FundResearch {
        field: ResearchField::Recycling,
        amount: t - 0.01,
    };
    assert!(submit(&mut world, PowerId::Us, spend).is_err());
}

#[test]
fn russian_facilities_on_retaken_ground_are_abandoned() {
    let mut world = test_world();
    world.resource_mut::<UkraineWar>().front = 0.35;
    run_system(&mut world, super::war::follow_front);
    let e = power_entity(&world, PowerId::Russia);
    world.get_mut::<Finances>(e).unwrap().treasury = 50.0;
    submit(
        &mut world,
        PowerId::Russia,
        Order::FundFacility {
            at: "novopoltavske".into(),
            kind: FacilityKind::Mine,
            capacity: 0.5,
        },
    )
    .unwrap();
    super::orders_phase::apply_orders(&mut world);
    world.resource_mut::<UkraineWar>().front = 0.0;
    run_system(&mut world, super::war::follow_front);
    let mut q = world.query::<&Facility>();
    assert!(!q.iter(&world).any(|f| &*f.at == "novopoltavske"));
    assert!(
        !world
            .resource::<EntityIndex>()
            .facilities
            .keys()
            .any(|k| k.starts_with("russia-mine"))
    );
}

#[test]
fn an_eliminated_power_produces_nothing() {
    let mut world = test_world();
    let e = power_entity(&world, PowerId::Us);
    world.get_mut::<Power>(e).unwrap().eliminated = true;
    run_system(&mut world, super::production::run_mines);
    assert_eq!(
        world.resource::<Production>().mined[PowerId::Us.index()],
        0.0
    );
}

#[test]
fn generated_facility_ids_never_replace_a_level_facility() {
    let mut level = bundled_level("2025-trade-war");
    level.facilities[0].id = "us-mine-1".into();
    let mut world = World::new();
    super::setup::spawn_level(&mut world, &level, 1);
    let before = world.resource::<EntityIndex>().facilities.len();
    submit(
        &mut world,
        PowerId::Us,
        Order::FundFacility {
            at: "mountain-pass".into(),
            kind: FacilityKind::Mine,
            capacity: 0.1,
        },
    )
    .unwrap();
    super::orders_phase::apply_orders(&mut world);
    assert_eq!(world.resource::<EntityIndex>().facilities.len(), before + 1);
}

#[test]
fn refusals_and_views_give_away_no_exact_hidden_figures() {
    let mut world = test_world();
    world.resource_mut::<UkraineWar>().status = WarStatus::Ceasefire;
    let id = propose(
        &mut world,
        PowerId::Russia,
        PowerId::Us,
        vec![Term::SanctionsRelief {
            by: PowerId::Us,
            on: PowerId::Russia,
            level: SanctionsLevel::None,
            turns: 4,
        }],
    )
    .unwrap();
    set_capital(&mut world, PowerId::Us, 7.0);
    accept(&mut world, PowerId::Us, id);
    let p = world
        .resource::<Diplomacy>()
        .proposals
        .iter()
        .find(|p| p.id == id)
        .unwrap()
        .clone();
    assert_eq!(p.status, ProposalStatus::Failed);
    assert!(!p.reason.contains('7'), "{}", p.reason);
    let view = super::view::power_view(&world, PowerId::Russia);
    assert!(!view.other(PowerId::Us).unwrap().score.is_exact());
}

#[test]
fn peace_comes_only_after_a_ceasefire_has_held() {
    let mut world = test_world();
    let peace = || {
        vec![Term::Peace {
            security_guarantees: true,
        }]
    };
    // From open war: a ceasefire first.
    let r = propose(&mut world, PowerId::Us, PowerId::Russia, peace());
    assert!(
        r.unwrap_err()
            .0
            .contains("ceasefire that has held for 2 turns"),
        "peace straight from war"
    );
    // A ceasefire signed last turn has not held long enough.
    {
        let mut war = world.resource_mut::<UkraineWar>();
        war.status = WarStatus::Ceasefire;
        war.ceasefire_turns = 1;
    }
    assert!(propose(&mut world, PowerId::Us, PowerId::Russia, peace()).is_err());
    world.resource_mut::<UkraineWar>().ceasefire_turns = 2;
    let id = propose(&mut world, PowerId::Us, PowerId::Russia, peace()).unwrap();
    accept(&mut world, PowerId::Russia, id);
    assert_eq!(world.resource::<UkraineWar>().status, WarStatus::Peace);
}
