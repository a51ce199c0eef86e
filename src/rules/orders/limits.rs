//! The limits of every order and deal term, in one table: the engine's
//! checks refuse what falls outside them, the window's sliders span them
//! and the AI keeps within them.

/// A range of amounts an order may name. `above_min` excludes the minimum
/// itself (a capacity must be more than zero).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub min: f64,
    pub max: f64,
    pub above_min: bool,
}

impl Limit {
    /// From `min` (allowed) to `max`.
    pub const fn from(min: f64, max: f64) -> Self {
        Limit {
            min,
            max,
            above_min: false,
        }
    }

    /// Above `min` (not allowed) up to `max`.
    pub const fn above(min: f64, max: f64) -> Self {
        Limit {
            min,
            max,
            above_min: true,
        }
    }

    /// Whether `value` is within the limit (never for NaN).
    pub fn allows(&self, value: f64) -> bool {
        let low = if self.above_min {
            value > self.min
        } else {
            value >= self.min
        };
        low && value <= self.max
    }
}

/// A range of whole turns (or levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Turns {
    pub min: u32,
    pub max: u32,
}

impl Turns {
    pub fn allows(&self, n: u32) -> bool {
        (self.min..=self.max).contains(&n)
    }
}

/// Capacity of a new facility or joint venture, kt a quarter.
pub const CAPACITY: Limit = Limit::above(0.0, 100.0);
/// A tariff, as a share of the price (2.0 = 200%).
pub const TARIFF: Limit = Limit::from(0.0, 2.0);
/// A strategic reserve, in turns of the industry's need.
pub const RESERVE_TURNS: Limit = Limit::from(0.0, 12.0);
/// Research funding in one order, US$ bn.
pub const RESEARCH: Limit = Limit::above(0.0, 10.0);
/// The most one buy order may ask for, kt (more than the world trades).
pub const BUY_QTY_MAX: f64 = 1000.0;
/// Aid to Ukraine, by level.
pub const AID: Turns = Turns { min: 0, max: 3 };
/// How long an offtake runs.
pub const OFFTAKE_TURNS: Turns = Turns { min: 4, max: 40 };
/// How long a price floor runs.
pub const PRICE_FLOOR_TURNS: Turns = Turns { min: 1, max: 40 };
/// A price floor may be at most this many times the good's base price.
pub const PRICE_FLOOR_MAX_MULTIPLE: f64 = 5.0;
/// Terms in one deal.
pub const DEAL_TERMS_MAX: usize = 12;
/// A supply contract's quantity, kt a quarter.
pub const CONTRACT_QTY: Limit = Limit::above(0.0, 50.0);
/// A supply contract's price, $/kg.
pub const CONTRACT_PRICE: Limit = Limit::above(0.0, 10_000.0);
/// How long contracts and commitments run.
pub const DEAL_TURNS: Turns = Turns { min: 1, max: 40 };
/// A payment in a deal, US$ bn.
pub const PAYMENT: Limit = Limit::above(0.0, 100.0);
/// A joint-venture investor's share.
pub const INVESTOR_SHARE: Limit = Limit::from(0.05, 0.95);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_keep_their_ends_as_the_checks_read_them() {
        assert!(!CAPACITY.allows(0.0) && CAPACITY.allows(100.0) && !CAPACITY.allows(100.01));
        assert!(TARIFF.allows(0.0) && TARIFF.allows(2.0) && !TARIFF.allows(2.01));
        assert!(!TARIFF.allows(f64::NAN));
        assert!(!OFFTAKE_TURNS.allows(3) && OFFTAKE_TURNS.allows(40));
        assert!(!PRICE_FLOOR_TURNS.allows(0));
    }
}
