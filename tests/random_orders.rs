//! Random orders, legal and not, from every power for whole games: nothing
//! panics, refusals change nothing, and the state stays sound every turn.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rare_earth_gambit::game::Game;
use rare_earth_gambit::level;
use rare_earth_gambit::rules::deals::{Response, Term};
use rare_earth_gambit::rules::invariants::violations;
use rare_earth_gambit::rules::orders::Order;
use rare_earth_gambit::rules::types::*;
use rare_earth_gambit::rules::view::PowerView;

fn pick<T: Clone>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())].clone()
}

fn random_order(rng: &mut ChaCha8Rng, view: &PowerView, me: PowerId) -> Order {
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
    let good = pick(rng, &Good::ALL);
    let other = pick(rng, &PowerId::ALL);
    let amount = pick(rng, &[-1.0, 0.0, 0.05, 0.5, 3.0, 1e9, f64::NAN]);
    let kind = pick(rng, &FacilityKind::ALL);
    match rng.random_range(0..16) {
        0 => Order::FundFacility {
            at: pick(rng, &places),
            kind,
            capacity: pick(rng, &[0.1, 1.0, 5.0, -2.0, 500.0]),
        },
        1 => Order::SpeedUp {
            facility: pick(rng, &facilities),
            amount,
        },
        2 => Order::PermitReform {
            facility: pick(rng, &facilities),
        },
        3 => Order::SetIdle {
            facility: pick(rng, &facilities),
            idle: rng.random(),
        },
        4 => Order::Buy {
            good,
            qty: amount.abs().min(50.0),
            max_price: pick(rng, &[1.0, 60.0, 500.0]),
        },
        5 => Order::Sell {
            good,
            qty: pick(rng, &[0.1, 1.0, 100.0]),
            min_price: pick(rng, &[0.0, 30.0]),
        },
        6 => Order::SetReserve {
            good,
            turns: pick(rng, &[0.0, 2.0, 13.0]),
        },
        7 => Order::SetTariff {
            on: other,
            rate: pick(rng, &[0.0, 0.5, 3.0]),
        },
        8 => Order::SetExportControl {
            target: pick(rng, &Origin::ALL),
            good,
            level: pick(
                rng,
                &[
                    ExportLevel::None,
                    ExportLevel::Licensing,
                    ExportLevel::Embargo,
                ],
            ),
        },
        9 => Order::SetSanctions {
            on: other,
            level: pick(
                rng,
                &[
                    SanctionsLevel::None,
                    SanctionsLevel::Targeted,
                    SanctionsLevel::Full,
                ],
            ),
        },
        10 => {
            let jv_at = pick(rng, &places);
            let terms = [
                pick(
                    rng,
                    &[
                        Term::Ceasefire,
                        Term::Payment {
                            from: me,
                            to: other,
                            amount: 0.2,
                        },
                        Term::Supply {
                            seller: other,
                            buyer: me,
                            good,
                            qty: 0.5,
                            price: 80.0,
                            turns: 4,
                        },
                        Term::JointVenture {
                            investor: me,
                            at: jv_at,
                            kind,
                            capacity: 0.3,
                            investor_share: 0.5,
                        },
                        Term::SanctionsRelief {
                            by: other,
                            on: me,
                            level: SanctionsLevel::None,
                            turns: 4,
                        },
                    ],
                ),
                Term::Peace {
                    security_guarantees: rng.random(),
                },
            ];
            let n = rng.random_range(1..=2);
            Order::ProposeDeal {
                to: other,
                terms: terms[..n].to_vec(),
            }
        }
        11 => {
            let id = view.proposals.iter().map(|p| p.id).next().unwrap_or(999);
            Order::RespondToDeal {
                proposal: id,
                response: pick(
                    rng,
                    &[
                        Response::Accept,
                        Response::Reject {
                            reason: "no".into(),
                        },
                    ],
                ),
            }
        }
        12 => Order::CancelContract {
            contract: view.contracts.first().map(|c| c.id).unwrap_or(7),
        },
        13 => Order::SetAid {
            level: rng.random_range(0..5),
        },
        14 => Order::FundResearch {
            field: pick(rng, &ResearchField::ALL),
            amount,
        },
        _ => Order::GatherIntelligence { target: other },
    }
}

#[test]
fn random_orders_never_break_the_game() {
    for (name, seed) in [("classroom", 1u64), ("2025-trade-war", 2), ("tutorial", 3)] {
        let level = level::bundled(name).unwrap();
        let mut game = Game::new(&level, seed);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut accepted = 0;
        let mut refused = 0;
        while !game.is_over() {
            for p in PowerId::ALL {
                for _ in 0..6 {
                    let view = game.view(p);
                    let order = random_order(&mut rng, &view, p);
                    let before = game.hash();
                    match game.submit(p, order) {
                        Ok(()) => accepted += 1,
                        Err(reason) => {
                            refused += 1;
                            assert!(!reason.0.is_empty());
                            assert_eq!(game.hash(), before, "a refused order changed the game");
                        }
                    }
                }
            }
            game.end_turn();
            let state = game.snapshot();
            let broken = violations(&state);
            assert!(broken.is_empty(), "{name} turn {}: {broken:?}", game.turn());
        }
        assert!(
            accepted > 20 && refused > 20,
            "{name}: {accepted} accepted, {refused} refused"
        );
    }
}

/// Play `turns` turns (restarting finished games with new seeds) of random
/// orders; check the state every turn and that a save round-trip keeps the
/// hash every few turns. Returns the turns played.
fn soak(first_seed: u64, turns: u32) -> u32 {
    let levels = ["classroom", "2025-trade-war", "tutorial"];
    let mut played = 0;
    let mut seed = first_seed;
    while played < turns {
        let name = levels[(seed % 3) as usize];
        let level = level::bundled(name).unwrap();
        let mut game = Game::new(&level, seed);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        while !game.is_over() && played < turns {
            for p in PowerId::ALL {
                let view = game.view(p);
                for _ in 0..3 {
                    let _ = game.submit(p, random_order(&mut rng, &view, p));
                }
            }
            game.end_turn();
            played += 1;
            let state = game.snapshot();
            let broken = violations(&state);
            assert!(
                broken.is_empty(),
                "{name} seed {seed} turn {}: {broken:?}",
                game.turn()
            );
            if played % 25 == 0 {
                // A save's JSON gives back exactly the same game.
                let json = serde_json::to_string(&state).unwrap();
                let back: rare_earth_gambit::rules::hash::GameState =
                    serde_json::from_str(&json).unwrap();
                assert_eq!(back.hash(), state.hash(), "{name} seed {seed}");
            }
        }
        seed += 1;
    }
    played
}

#[test]
fn soak_ten_thousand_random_turns() {
    // Two threads share the work: the test suite stays quick on two cores.
    let a = std::thread::spawn(|| soak(1_000, 5_000));
    let b = std::thread::spawn(|| soak(500_000, 5_000));
    assert_eq!(a.join().unwrap() + b.join().unwrap(), 10_000);
}
