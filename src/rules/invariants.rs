//! Checks that must hold after every turn: no negative stock or capacity, no
//! NaN or infinity anywhere. Used by tests and the soak.

use super::hash::GameState;
use super::types::Good;

/// Every broken invariant in `state`, in words.
pub fn violations(state: &GameState) -> Vec<String> {
    let mut v = bounds_violations(state);
    if let Some(bad) = non_finite(state) {
        v.push(format!("non-finite number: {bad}"));
    }
    v
}

/// [`violations`] without the search for non-finite numbers (which writes
/// the whole state out): for states whose numbers are known to be finite,
/// such as one read from JSON.
pub fn bounds_violations(state: &GameState) -> Vec<String> {
    let mut v = Vec::new();
    for p in &state.powers {
        for g in Good::ALL {
            if p.stockpile.qty[g] < 0.0 {
                v.push(format!(
                    "{} holds {} kt of {g}",
                    p.power.id, p.stockpile.qty[g]
                ));
            }
        }
        if !(0.0..=100.0).contains(&p.politics.stability) {
            v.push(format!("{} stability {}", p.power.id, p.politics.stability));
        }
    }
    for f in &state.facilities {
        if f.capacity < 0.0 || f.money_left < 0.0 {
            v.push(format!(
                "{} has capacity {} and money left {}",
                f.id, f.capacity, f.money_left
            ));
        }
    }
    for d in &state.deposits {
        if d.reserves < 0.0 {
            v.push(format!("{} has reserves {}", d.id, d.reserves));
        }
    }
    // Views find recent news by halving the log (`NewsLog::since`).
    if let Some(w) = state.news.items.windows(2).find(|w| w[0].turn > w[1].turn) {
        v.push(format!(
            "news of turn {} written after news of turn {}",
            w[1].turn, w[0].turn
        ));
    }
    for g in Good::ALL {
        if state.market.price[g] <= 0.0 {
            v.push(format!("{g} price {}", state.market.price[g]));
        }
    }
    v
}

/// The first NaN or infinity in the state, with some context.
pub fn non_finite(state: &GameState) -> Option<String> {
    // RON writes floats as plain tokens (`NaN`, `inf`); skip quoted strings.
    // The RNG holds no floats (and RON cannot write its u128s): leave it out.
    let s = state;
    let parts = (
        (
            &s.powers,
            &s.deposits,
            &s.sites,
            &s.facilities,
            &s.suppliers,
            &s.clock,
        ),
        (
            &s.rules,
            &s.market,
            &s.relations,
            &s.war,
            &s.deck,
            &s.orders,
        ),
        (
            &s.diplomacy,
            &s.news,
            &s.causes,
            &s.order_results,
            &s.trade_log,
        ),
        (
            &s.production,
            &s.outcome,
            &s.history,
            &s.options,
            &s.counters,
        ),
        (&s.market_orders, &s.responses, &s.log),
    );
    let text = match ron::to_string(&parts) {
        Ok(t) => t,
        Err(e) => return Some(format!("state cannot be written out: {e}")),
    };
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_string = false;
            }
        } else if c == b'"' {
            in_string = true;
        } else if text[i..].starts_with("NaN") || text[i..].starts_with("inf") {
            let prev = if i > 0 { bytes[i - 1] } else { b' ' };
            if !prev.is_ascii_alphanumeric() && prev != b'_' {
                let from = i.saturating_sub(60);
                return Some(text[from..(i + 3).min(text.len())].to_string());
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn a_fresh_game_is_sound_and_a_nan_is_caught() {
        let mut world = test_world();
        let mut state = GameState::capture(&mut world);
        assert!(violations(&state).is_empty(), "{:?}", violations(&state));
        state.market.price[Good::Magnets] = f64::NAN;
        assert!(non_finite(&state).is_some());
        state.market.price[Good::Magnets] = 60.0;
        state.powers[0].finances.treasury = f64::INFINITY;
        assert!(non_finite(&state).is_some());
    }

    #[test]
    fn news_out_of_turn_order_is_caught() {
        use crate::rules::resources::NewsKind;
        let mut world = test_world();
        let mut state = GameState::capture(&mut world);
        state.news.public(3, NewsKind::War, "later");
        state.news.public(5, NewsKind::War, "latest");
        assert!(bounds_violations(&state).is_empty());
        assert_eq!(state.news.since(4).len(), 1);
        state.news.public(2, NewsKind::War, "earlier");
        assert_eq!(
            bounds_violations(&state),
            ["news of turn 2 written after news of turn 5"]
        );
    }
}
