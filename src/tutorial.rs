//! The tutorial's checks: a step is done when the player's orders (queued
//! this turn or given in an earlier one) or the turn count show it. The
//! steps themselves are data in the level (`tutorial: [...]`).

use bevy::prelude::*;

use crate::level::schema::StepCheck;
use crate::rules::orders::Order;
use crate::rules::resources::{OrderBook, OrderLog, TurnClock};
use crate::rules::types::PowerId;

/// Whether `power` has done what `check` asks; `since_turn` is the turn
/// the step became current (ending a turn counts only after it).
pub fn step_done(check: StepCheck, world: &World, power: PowerId, since_turn: u32) -> bool {
    match check {
        StepCheck::Read => false,
        StepCheck::EndTurn => world.resource::<TurnClock>().turn > since_turn,
        _ => orders_given(world, power).any(|o| matches(check, o)),
    }
}

/// Every order `power` gave in this game, queued ones included.
fn orders_given(world: &World, power: PowerId) -> impl Iterator<Item = &Order> {
    let past = world
        .resource::<OrderLog>()
        .turns
        .iter()
        .flat_map(move |t| t.orders[power].iter());
    past.chain(world.resource::<OrderBook>().orders[power].iter())
}

fn matches(check: StepCheck, order: &Order) -> bool {
    match (check, order) {
        (StepCheck::Fund(k), Order::FundFacility { kind, .. }) => *kind == k,
        (StepCheck::Sell(g), Order::Sell { good, .. }) => *good == g,
        (StepCheck::Buy(g), Order::Buy { good, .. }) => *good == g,
        (StepCheck::ProposeDeal, Order::ProposeDeal { .. }) => true,
        (
            StepCheck::TradePolicy,
            Order::SetTariff { .. } | Order::SetExportControl { .. } | Order::SetSanctions { .. },
        ) => true,
        (StepCheck::Research, Order::FundResearch { .. }) => true,
        _ => false,
    }
}

/// Where a player is in the tutorial.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Index of the current step; `steps.len()` when finished.
    pub step: usize,
    /// The turn the current step began.
    pub since_turn: u32,
}

impl Progress {
    pub fn new(turn: u32) -> Progress {
        Progress {
            step: 0,
            since_turn: turn,
        }
    }

    /// Move on one step, at `turn`.
    pub fn advance(&mut self, turn: u32) {
        self.step += 1;
        self.since_turn = turn;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Game;
    use crate::level::bundled;
    use crate::level::schema::StepCheck;
    use crate::rules::types::{FacilityKind, Good};

    /// Play the bundled tutorial's steps the way a student would: each step
    /// is not done until its action, and is done after it.
    #[test]
    fn the_tutorial_steps_wait_for_their_action() {
        let level = bundled("tutorial").unwrap();
        assert!(
            level.tutorial.len() >= 4,
            "the tutorial walks through at least four steps"
        );
        let mut game = Game::new(&level, 1);
        let us = PowerId::Us;
        let mut progress = Progress::new(game.turn());
        let checks: Vec<StepCheck> = level.tutorial.iter().map(|s| s.check).collect();
        for want in [
            StepCheck::Fund(FacilityKind::Mine),
            StepCheck::Sell(Good::Concentrate),
            StepCheck::ProposeDeal,
            StepCheck::EndTurn,
        ] {
            assert!(checks.contains(&want), "the tutorial has a step {want:?}");
        }
        for step in &level.tutorial {
            let check = step.check;
            if check != StepCheck::Read {
                assert!(
                    !step_done(check, game.world(), us, progress.since_turn),
                    "{:?} counted as done before the player acted",
                    step.title
                );
            }
            match check {
                StepCheck::Read => {}
                StepCheck::Fund(kind) => {
                    let view = game.view(us);
                    let at = view
                        .deposits
                        .iter()
                        .find(|d| d.usable_by(us) && &*d.id == "bear-lodge")
                        .map(|d| d.id.to_string())
                        .expect("the tutorial's mine site is open to the US");
                    game.submit(
                        us,
                        Order::FundFacility {
                            at,
                            kind,
                            capacity: 0.5,
                        },
                    )
                    .expect("the step's order is legal");
                }
                StepCheck::Sell(good) => game
                    .submit(
                        us,
                        Order::Sell {
                            good,
                            qty: 5.0,
                            min_price: 5.0,
                        },
                    )
                    .unwrap(),
                StepCheck::ProposeDeal => {
                    let order = Order::ProposeDeal {
                        to: PowerId::China,
                        terms: vec![crate::rules::deals::Term::Supply {
                            seller: PowerId::China,
                            buyer: us,
                            good: Good::HeavyOxides,
                            qty: 0.02,
                            price: 400.0,
                            turns: 4,
                        }],
                    };
                    game.submit(us, order).unwrap();
                }
                StepCheck::EndTurn => game.end_turn(),
                other => panic!("the tutorial has an unexpected step {other:?}"),
            }
            if check != StepCheck::Read {
                assert!(
                    step_done(check, game.world(), us, progress.since_turn),
                    "{:?} not counted as done after the action",
                    step.title
                );
            }
            progress.advance(game.turn());
        }
        assert_eq!(progress.step, level.tutorial.len());
    }

    #[test]
    fn an_order_of_an_earlier_turn_still_counts() {
        let level = bundled("tutorial").unwrap();
        let mut game = Game::new(&level, 2);
        game.submit(
            PowerId::Us,
            Order::Sell {
                good: Good::Concentrate,
                qty: 1.0,
                min_price: 4.0,
            },
        )
        .unwrap();
        game.end_turn();
        let check = StepCheck::Sell(Good::Concentrate);
        assert!(step_done(check, game.world(), PowerId::Us, 2));
        assert!(!step_done(check, game.world(), PowerId::China, 2));
        assert!(!step_done(StepCheck::EndTurn, game.world(), PowerId::Us, 2));
        assert!(step_done(StepCheck::EndTurn, game.world(), PowerId::Us, 1));
    }
}
