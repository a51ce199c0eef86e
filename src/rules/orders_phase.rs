//! Phase 3, orders: check each power's queued orders again (the world moved
//! since they were queued) and carry out those that pass. Each order's own
//! module (`super::orders`) checks it and carries it out.

use bevy::prelude::*;

use super::TurnPhase;
use super::orders::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(super::TurnSchedule, apply_orders.in_set(TurnPhase::Orders));
}

/// Exclusive: each order kind's module checks and carries out its orders on
/// the whole world (the same code the AI and the panels check with), and
/// orders run one by one in the turn's rotation, each checked against what
/// the ones before it did. What an order touches depends on its kind, so no
/// fixed data access can be declared for the phase.
pub(crate) fn apply_orders(world: &mut World) {
    let turn = world.resource::<TurnClock>().turn;
    let book = std::mem::take(&mut *world.resource_mut::<OrderBook>());
    *world.resource_mut::<MarketOrders>() = MarketOrders::default();
    *world.resource_mut::<PendingResponses>() = PendingResponses::default();
    let mut results = Vec::new();
    // Who acts first rotates each turn, so no power always has first call on
    // contested things (a deposit's last capacity, say).
    let first = (turn as usize) % 3;
    for k in 0..3 {
        let power = PowerId::ALL[(first + k) % 3];
        let mut done: Vec<Order> = Vec::new();
        for order in &book.orders[power] {
            let outcome = check_at_resolution(world, power, order, &done)
                .and_then(|()| execute(world, power, order, turn));
            let refused = match outcome {
                Ok(()) => {
                    done.push(order.clone());
                    None
                }
                Err(r) => {
                    world.resource_mut::<NewsLog>().private(
                        turn,
                        &[power],
                        NewsKind::Order,
                        format!("Order refused — {order}: {}", r.0),
                    );
                    Some(r.0)
                }
            };
            results.push(OrderResult {
                power,
                order: order.clone(),
                refused,
            });
        }
    }
    world.insert_resource(OrderResults { turn, results });
    let mut log = world.resource_mut::<OrderLog>();
    let injected = std::mem::take(&mut log.injected_now);
    log.turns.push(TurnInput {
        turn,
        orders: book.orders,
        injected,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::components::*;
    use crate::rules::testing::*;

    fn queue(world: &mut World, p: PowerId, o: Order) {
        submit(world, p, o).expect("order accepted");
    }

    #[test]
    fn funding_a_mine_spawns_a_planned_facility_and_pays_upfront() {
        let mut world = test_world();
        let before = get_power::<Finances>(&world, PowerId::China).treasury;
        let at = world
            .resource::<EntityIndex>()
            .deposits
            .iter()
            .find(|(_, e)| world.get::<Deposit>(**e).unwrap().controller == Some(PowerId::China))
            .map(|(id, _)| id.clone())
            .unwrap();
        queue(
            &mut world,
            PowerId::China,
            Order::FundFacility {
                at: at.clone(),
                kind: FacilityKind::Mine,
                capacity: 0.1,
            },
        );
        run_system(&mut world, apply_orders);
        let results = world.resource::<OrderResults>();
        assert!(
            results.results.iter().all(|r| r.refused.is_none()),
            "{results:?}"
        );
        let f = world
            .resource::<EntityIndex>()
            .facilities
            .values()
            .filter_map(|e| world.get::<Facility>(*e))
            .find(|f| f.funded_turn == 1 && *f.at == *at)
            .expect("new facility");
        assert_eq!(f.stage, Stage::Planned);
        let paid = before - get_power::<Finances>(&world, PowerId::China).treasury;
        assert!((paid - f.cost * UPFRONT_SHARE).abs() < 1e-9);
        assert!(world.resource::<OrderBook>().orders[PowerId::China].is_empty());
    }

    #[test]
    fn orders_that_became_illegal_are_refused_with_reason_and_change_nothing() {
        let mut world = test_world();
        let invested = get_power::<Research>(&world, PowerId::Us).invested;
        queue(
            &mut world,
            PowerId::Us,
            Order::FundResearch {
                field: ResearchField::Recycling,
                amount: 1.0,
            },
        );
        // The money vanishes before the turn resolves.
        let e = power_entity(&world, PowerId::Us);
        world.get_mut::<Finances>(e).unwrap().treasury = 0.5;
        run_system(&mut world, apply_orders);
        let r = &world.resource::<OrderResults>().results[0];
        assert!(r.refused.as_deref().unwrap().contains("not enough money"));
        assert_eq!(get_power::<Finances>(&world, PowerId::Us).treasury, 0.5);
        assert_eq!(
            get_power::<Research>(&world, PowerId::Us).invested,
            invested
        );
    }

    #[test]
    fn export_controls_and_tariffs_change_relations() {
        let mut world = test_world();
        queue(
            &mut world,
            PowerId::China,
            Order::SetExportControl {
                target: Origin::Power(PowerId::Us),
                good: Good::HeavyOxides,
                level: ExportLevel::Embargo,
            },
        );
        queue(
            &mut world,
            PowerId::Us,
            Order::SetTariff {
                on: PowerId::China,
                rate: 1.0,
            },
        );
        run_system(&mut world, apply_orders);
        let rel = world.resource::<Relations>();
        assert_eq!(
            rel.export_control(PowerId::China, PowerId::Us, Good::HeavyOxides),
            ExportLevel::Embargo
        );
        assert_eq!(rel.tariff(PowerId::Us, PowerId::China), 1.0);
        assert!(!world.resource::<TurnCauses>().causes[Good::HeavyOxides].is_empty());
    }

    #[test]
    fn permit_reform_cuts_permitting_and_costs_capital() {
        let mut world = test_world();
        let at = "mountain-pass".to_string();
        let cap = location(&world, &at).unwrap().max_mine_capacity - mine_capacity_at(&world, &at);
        assert!(cap > 0.0, "Mountain Pass has room to grow in the level");
        queue(
            &mut world,
            PowerId::Us,
            Order::FundFacility {
                at: at.clone(),
                kind: FacilityKind::Mine,
                capacity: cap.min(1.0),
            },
        );
        run_system(&mut world, apply_orders);
        let id = world
            .resource::<EntityIndex>()
            .facilities
            .keys()
            .find(|k| k.starts_with("us-mine-"))
            .cloned()
            .unwrap();
        let before = facility(&world, &id).unwrap().turns_left;
        let pc = get_power::<Politics>(&world, PowerId::Us).political_capital;
        queue(
            &mut world,
            PowerId::Us,
            Order::PermitReform {
                facility: id.clone(),
            },
        );
        run_system(&mut world, apply_orders);
        let after = facility(&world, &id).unwrap().turns_left;
        assert!(after < before, "{before} → {after}");
        assert!(get_power::<Politics>(&world, PowerId::Us).political_capital <= pc - 20.0);
    }

    #[test]
    fn queued_orders_cannot_exceed_action_points() {
        let mut world = test_world();
        for _ in 0..3 {
            queue(
                &mut world,
                PowerId::Russia,
                Order::SetPosture {
                    posture: WarPosture::Hold,
                },
            );
        }
        let err = submit(
            &mut world,
            PowerId::Russia,
            Order::SetPosture {
                posture: WarPosture::Escalate,
            },
        )
        .unwrap_err();
        assert!(err.0.contains("action points"), "{err}");
        // Market orders stay free.
        submit(
            &mut world,
            PowerId::Russia,
            Order::SetReserve {
                good: Good::Magnets,
                turns: 2.0,
            },
        )
        .unwrap();
    }
}
