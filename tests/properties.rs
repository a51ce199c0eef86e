//! Property tests (proptest): random sequences of legal and illegal orders
//! from every power, shrunk to a smallest failing game when one breaks.
//!
//! Every turn: the engine's invariants hold (no negative stock, capacity or
//! reserves, no NaN or infinity), refused orders change nothing, the hash is
//! stable across a snapshot and restore, and the trade phase conserves goods
//! and money: what the powers hold after trading is what they held before,
//! plus what came from outside producers, minus what went to outside buyers,
//! and every coin a seller received was paid by a buyer.

use bevy::prelude::*;
use proptest::prelude::*;
use rare_earth_gambit::game::Game;
use rare_earth_gambit::level;
use rare_earth_gambit::rules::components::{Finances, Power, Stockpile};
use rare_earth_gambit::rules::deals::{Response, Term};
use rare_earth_gambit::rules::invariants::violations;
use rare_earth_gambit::rules::orders::Order;
use rare_earth_gambit::rules::resources::TradeLog;
use rare_earth_gambit::rules::types::*;
use rare_earth_gambit::rules::view::PowerView;
use rare_earth_gambit::rules::{TurnPhase, TurnSchedule};

const LEVELS: [&str; 3] = ["classroom", "2025-trade-war", "tutorial"];

/// An order in the abstract: which kind, and indices into what the power can
/// see. Turned into a real order against the view of the moment, so that
/// many are legal; the out-of-range choices make illegal ones.
#[derive(Clone, Debug)]
struct OrderSpec {
    kind: u8,
    pick: usize,
    other: usize,
    good: usize,
    amount: f64,
    flag: bool,
}

fn amount() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0..5.0f64,
        1 => Just(-1.0),
        1 => Just(0.0),
        1 => Just(1e9),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => 5.0..500.0f64,
    ]
}

fn order_spec() -> impl Strategy<Value = OrderSpec> {
    (
        0u8..17,
        0usize..40,
        0usize..3,
        0usize..4,
        amount(),
        any::<bool>(),
    )
        .prop_map(|(kind, pick, other, good, amount, flag)| OrderSpec {
            kind,
            pick,
            other,
            good,
            amount,
            flag,
        })
}

/// Orders for the three powers, turn by turn.
fn turns() -> impl Strategy<Value = Vec<Vec<(usize, OrderSpec)>>> {
    prop::collection::vec(
        prop::collection::vec((0usize..3, order_spec()), 0..10),
        1..14,
    )
}

fn nth<T: Clone>(items: &[T], i: usize) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[i % items.len()].clone())
    }
}

fn realise(spec: &OrderSpec, view: &PowerView, me: PowerId) -> Order {
    let places: Vec<String> = view
        .deposits
        .iter()
        .map(|d| d.id.to_string())
        .chain(view.sites.iter().map(|s| s.id.to_string()))
        .chain(["nowhere".to_string()])
        .collect();
    let facilities: Vec<String> = view
        .facilities
        .iter()
        .map(|f| f.id.to_string())
        .chain(["ghost".to_string()])
        .collect();
    let place = nth(&places, spec.pick).unwrap();
    let facility = nth(&facilities, spec.pick).unwrap();
    let good = Good::ALL[spec.good];
    let other = PowerId::ALL[spec.other];
    let kind = FacilityKind::ALL[spec.pick % FacilityKind::ALL.len()];
    let a = spec.amount;
    match spec.kind {
        0 => Order::FundFacility {
            at: place,
            kind,
            capacity: a,
        },
        1 => Order::SpeedUp {
            facility,
            amount: a,
        },
        2 => Order::PermitReform { facility },
        3 => Order::SetIdle {
            facility,
            idle: spec.flag,
        },
        4 => Order::Buy {
            good,
            qty: a,
            max_price: 20.0 + spec.pick as f64 * 10.0,
        },
        5 => Order::Sell {
            good,
            qty: a,
            min_price: spec.pick as f64,
        },
        6 => Order::SetReserve { good, turns: a },
        7 => Order::SetTariff { on: other, rate: a },
        8 => Order::SetExportControl {
            target: Origin::ALL[spec.pick % 4],
            good,
            level: [
                ExportLevel::None,
                ExportLevel::Licensing,
                ExportLevel::Embargo,
            ][spec.other],
        },
        9 => Order::SetSanctions {
            on: other,
            level: [
                SanctionsLevel::None,
                SanctionsLevel::Targeted,
                SanctionsLevel::Full,
            ][spec.good % 3],
        },
        10 => {
            let term = match spec.pick % 6 {
                0 => Term::Ceasefire,
                1 => Term::Payment {
                    from: me,
                    to: other,
                    amount: a,
                },
                2 => Term::Supply {
                    seller: other,
                    buyer: me,
                    good,
                    qty: a,
                    price: 80.0,
                    turns: 4,
                },
                3 => Term::JointVenture {
                    investor: me,
                    at: place,
                    kind,
                    capacity: a,
                    investor_share: 0.5,
                },
                4 => Term::SanctionsRelief {
                    by: other,
                    on: me,
                    level: SanctionsLevel::None,
                    turns: 4,
                },
                _ => Term::Peace {
                    security_guarantees: spec.flag,
                },
            };
            Order::ProposeDeal {
                to: other,
                terms: vec![term],
            }
        }
        11 | 12 => {
            let ids: Vec<u32> = view.proposals.iter().map(|p| p.id).collect();
            Order::RespondToDeal {
                proposal: nth(&ids, spec.pick).unwrap_or(999),
                response: if spec.flag {
                    Response::Accept
                } else {
                    Response::Reject {
                        reason: "not now".into(),
                    }
                },
            }
        }
        13 => {
            let ids: Vec<u32> = view.contracts.iter().map(|c| c.id).collect();
            Order::CancelContract {
                contract: nth(&ids, spec.pick).unwrap_or(7),
            }
        }
        14 => Order::SetAid {
            level: (spec.pick % 6) as u8,
        },
        15 => Order::FundResearch {
            field: ResearchField::ALL[spec.pick % ResearchField::ALL.len()],
            amount: a,
        },
        _ => Order::GatherIntelligence { target: other },
    }
}

/// What the powers hold, read just before and just after the trade phase.
#[derive(Clone, Debug, Default)]
struct Holdings {
    stock: [[f64; 4]; 3],
    treasury: [f64; 3],
    sales: [f64; 3],
    purchases: [f64; 3],
    tariff_revenue: [f64; 3],
}

#[derive(Resource, Default)]
struct TradeProbe {
    before: Holdings,
    after: Holdings,
}

fn read_holdings(q: &Query<(&Power, &Stockpile, &Finances)>) -> Holdings {
    let mut h = Holdings::default();
    for (p, s, f) in q.iter() {
        let i = p.id.index();
        for (g, good) in Good::ALL.into_iter().enumerate() {
            h.stock[i][g] = s.qty[good];
        }
        h.treasury[i] = f.treasury;
        h.sales[i] = f.ledger.sales;
        h.purchases[i] = f.ledger.purchases;
        h.tariff_revenue[i] = f.ledger.tariff_revenue;
    }
    h
}

fn probe_before(mut probe: ResMut<TradeProbe>, q: Query<(&Power, &Stockpile, &Finances)>) {
    probe.before = read_holdings(&q);
}

fn probe_after(mut probe: ResMut<TradeProbe>, q: Query<(&Power, &Stockpile, &Finances)>) {
    probe.after = read_holdings(&q);
}

/// A game with probes around its trade phase.
fn probed_game(level: &str, seed: u64) -> Game {
    let level = level::bundled(level).unwrap();
    let mut game = Game::new(&level, seed);
    game.world_mut().init_resource::<TradeProbe>();
    game.world_mut().resource_mut::<Schedules>().add_systems(
        TurnSchedule,
        (
            probe_before
                .after(TurnPhase::Processing)
                .before(TurnPhase::Trade),
            probe_after
                .after(TurnPhase::Trade)
                .before(TurnPhase::Consumption),
        ),
    );
    game
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

/// Goods and money across the trade phase, checked against the trade log.
fn check_trade(game: &Game) -> Result<(), TestCaseError> {
    let probe = game.world().resource::<TradeProbe>();
    let flows = &game.world().resource::<TradeLog>().flows;
    let (before, after) = (&probe.before, &probe.after);
    for p in PowerId::ALL {
        let i = p.index();
        let me = Origin::Power(p);
        let mut received = 0.0;
        let mut paid = 0.0;
        let mut tariff_cost = 0.0;
        for (g, good) in Good::ALL.into_iter().enumerate() {
            let sold: f64 = flows
                .iter()
                .filter(|f| f.good == good && f.seller == me)
                .map(|f| f.qty)
                .sum();
            let bought: f64 = flows
                .iter()
                .filter(|f| f.good == good && f.buyer == me)
                .map(|f| f.qty)
                .sum();
            prop_assert!(
                close(after.stock[i][g], before.stock[i][g] - sold + bought),
                "{p} {good}: held {} then {}, sold {sold}, bought {bought}",
                before.stock[i][g],
                after.stock[i][g]
            );
        }
        for f in flows {
            prop_assert!(f.qty > 0.0 && f.price.is_finite() && f.tariff >= 0.0);
            // Outside producers also sell to outside buyers; a power never
            // trades with itself.
            prop_assert!(f.seller != f.buyer || f.seller == Origin::Outside, "{f:?}");
            let value = f.qty * f.price / 1000.0;
            if f.seller == me {
                received += value;
            }
            if f.buyer == me {
                paid += f.paid();
                tariff_cost += value * (1.0 + f.detour) * f.tariff;
            }
        }
        let kept = after.tariff_revenue[i] - before.tariff_revenue[i];
        prop_assert!(
            kept >= -1e-9 && kept <= tariff_cost + 1e-9,
            "{p} kept {kept} of {tariff_cost} tariffs"
        );
        prop_assert!(close(after.sales[i] - before.sales[i], received));
        prop_assert!(close(after.purchases[i] - before.purchases[i], -paid));
        prop_assert!(
            close(
                after.treasury[i] - before.treasury[i],
                received - paid + kept
            ),
            "{p}: treasury {} -> {}, received {received}, paid {paid}, kept {kept}",
            before.treasury[i],
            after.treasury[i]
        );
    }
    // Between the powers, goods move from one stockpile to another: nothing is
    // made or lost on the way.
    for good in Good::ALL {
        let g = good.index();
        let inflow: f64 = flows
            .iter()
            .filter(|f| f.good == good && f.seller == Origin::Outside)
            .map(|f| f.qty)
            .sum();
        let outflow: f64 = flows
            .iter()
            .filter(|f| f.good == good && f.buyer == Origin::Outside)
            .map(|f| f.qty)
            .sum();
        let total = |h: &Holdings| h.stock.iter().map(|s| s[g]).sum::<f64>();
        prop_assert!(close(total(after), total(before) + inflow - outflow));
    }
    Ok(())
}

/// Plays the orders; checks everything each turn. Returns the turn hashes.
fn play(
    level: &str,
    seed: u64,
    turns: &[Vec<(usize, OrderSpec)>],
) -> Result<Vec<u64>, TestCaseError> {
    let mut game = probed_game(level, seed);
    let mut hashes = Vec::new();
    for orders in turns {
        if game.is_over() {
            break;
        }
        for (who, spec) in orders {
            let p = PowerId::ALL[*who];
            let view = game.view(p);
            let order = realise(spec, &view, p);
            let before = game.hash();
            if let Err(reason) = game.submit(p, order.clone()) {
                prop_assert!(!reason.0.is_empty());
                prop_assert_eq!(game.hash(), before, "refused {:?} changed the game", order);
            }
        }
        game.end_turn();
        let state = game.snapshot();
        let broken = violations(&state);
        prop_assert!(broken.is_empty(), "turn {}: {:?}", game.turn(), broken);
        check_trade(&game)?;
        // The hash is a function of the state: the same twice, and the same
        // after the state is written into another game.
        let h = game.hash();
        prop_assert_eq!(h, game.hash());
        prop_assert_eq!(h, state.hash());
        let mut other = Game::new(&level::bundled(level).unwrap(), seed ^ 0xdead);
        other.restore(&state);
        prop_assert_eq!(other.hash(), h);
        hashes.push(h);
    }
    Ok(hashes)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        // Integration tests have no lib.rs beside them to store failures by;
        // a failure prints its shrunk input instead.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_orders_keep_the_game_sound(level in 0usize..3, seed in any::<u64>(), turns in turns()) {
        play(LEVELS[level], seed, &turns)?;
    }

    #[test]
    fn the_same_orders_give_the_same_game(level in 0usize..3, seed in any::<u64>(), turns in turns()) {
        let a = play(LEVELS[level], seed, &turns)?;
        let b = play(LEVELS[level], seed, &turns)?;
        prop_assert_eq!(a, b);
    }
}
