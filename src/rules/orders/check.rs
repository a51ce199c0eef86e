//! What every order passes before its own module checks it: the game goes
//! on, the power is in it, and action points, political capital and money
//! are there for it after what is already queued.

use serde::{Deserialize, Serialize};

use super::order::Order;
use super::sight::Sight;

/// Why an order was refused, in words a player can read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

pub(crate) fn refuse<T>(msg: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(msg.into()))
}

pub(crate) fn check_finite(values: &[f64]) -> Result<(), Refusal> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        refuse("numbers must be finite")
    }
}

/// The money side of an order, once the common checks pass.
pub(crate) struct Budget {
    /// Money left after the queued orders' costs (US$ bn).
    pub available: f64,
    /// What this order costs (US$ bn).
    pub money: f64,
}

/// The checks every order passes, and the money left for it, as `sight`
/// shows the giver's position (the engine's check and a player's preview
/// run the same lines). `count_queued_money`: when an order is queued,
/// every queued order's money and capital count; when the turn resolves,
/// orders carried out have paid already, but buys only pay in the trade
/// phase, so they still count.
pub(crate) fn common(
    sight: &impl Sight,
    order: &Order,
    queued: &[Order],
    count_queued_money: bool,
) -> Result<Budget, Refusal> {
    let power = sight.me();
    if sight.game_over() {
        return refuse("the game is over");
    }
    if sight.eliminated() {
        return refuse(format!("{power} is out of the game"));
    }
    let used: u32 = queued.iter().map(Order::action_points).sum();
    let ap = order.action_points();
    if ap > 0 && used + ap > sight.action_points() {
        return refuse(format!(
            "no action points left: {} of {} used this turn",
            used,
            sight.action_points()
        ));
    }
    // One pool of money: queued orders' costs (and the most queued buys may pay).
    let committed: f64 = queued
        .iter()
        .filter(|o| count_queued_money || matches!(o, Order::Buy { .. }))
        .map(|o| o.money(sight))
        .sum();
    let available = sight.treasury() - committed;
    // Political capital likewise: what queued orders will spend.
    let capital_committed: f64 = if count_queued_money {
        queued.iter().map(|o| o.political_capital(sight)).sum()
    } else {
        0.0
    };
    let capital = sight.political_capital() - capital_committed;
    let capital_needed = order.political_capital(sight);
    if capital_needed > 0.0 && capital < capital_needed {
        return refuse(format!(
            "not enough political capital: this needs {capital_needed:.0}, {:.0} left",
            capital.max(0.0)
        ));
    }
    Ok(Budget {
        available,
        money: order.money(sight),
    })
}
