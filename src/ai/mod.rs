//! Computer players. They read only their power's view and give ordinary
//! orders, checked by the rules like anyone's.

pub mod bot;
pub mod determinize;
pub mod hard;
pub mod negotiation;
pub mod personality;
pub mod projection;

pub use hard::SearchBudget;

use std::sync::Arc;

use crate::level::schema::Level;
use crate::rules::deals::{Answerers, DealAnswerer};
use crate::rules::orders::Order;
use crate::rules::types::PowerId;
use crate::rules::view::PowerView;
use crate::seats::{Seat, Seats, Strength};

/// Orders for an AI seat this turn. The level is public knowledge (every
/// player has read the briefing); the hard player builds its guesses of the
/// hidden state on it.
pub fn decide(view: &PowerView, strength: Strength, seed: u64, level: &Level) -> Vec<Order> {
    decide_with(view, strength, seed, level, &SearchBudget::default())
}

/// [`decide`] with the hard player's search budget given.
pub fn decide_with(
    view: &PowerView,
    strength: Strength,
    seed: u64,
    level: &Level,
    budget: &SearchBudget,
) -> Vec<Order> {
    match strength {
        Strength::Passive => Vec::new(),
        Strength::Hard => hard::decide(view, seed, level, budget),
        _ => bot::decide_as(
            view,
            strength,
            seed,
            &personality::of(level, view.me.power.id),
        ),
    }
}

/// Answerers for the AI seats: they answer proposals at once, in the
/// diplomacy phase of the turn the proposal is made. All balanced: the hard
/// player's model of the game (real games get theirs from `crate::table`).
fn answerers(seats: &Seats) -> Answerers {
    let mut a = Answerers::default();
    for p in PowerId::ALL {
        if let Seat::Ai(strength) = seats.get(p) {
            a.0[p.index()] = Some(Arc::new(negotiation::BotAnswerer(
                personality::Personality::balanced(),
                strength,
            )) as Arc<dyn DealAnswerer>);
        }
    }
    a
}

/// The AI's model of a game: every power a normal, balanced player that
/// answers deals at once. The hard player's scratch games and the AI's
/// tests; real games are tables (`crate::table`).
pub fn model_game(level: &Level, seed: u64) -> crate::game::Game {
    let mut game = crate::game::Game::new(level, seed);
    game.world_mut()
        .insert_resource(answerers(&Seats::default()));
    // Rollouts are scored, never read: no news.
    game.world_mut()
        .insert_resource(crate::rules::resources::Narration(false));
    game
}

/// Answerers for the AI seats with the personalities `level` gives them.
/// Installed by `crate::table::Table` only.
pub fn answerers_for(seats: &Seats, level: &Level) -> Answerers {
    let mut a = Answerers::default();
    for p in PowerId::ALL {
        if let Seat::Ai(strength) = seats.get(p) {
            a.0[p.index()] = Some(Arc::new(negotiation::BotAnswerer(
                personality::of(level, p),
                strength,
            )) as Arc<dyn DealAnswerer>);
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hard player's rollouts write no news; everything else about the
    /// game must come out the same, or its search would judge another game.
    #[test]
    fn a_game_without_news_plays_the_same() {
        let level = crate::level::bundled("2025-trade-war").unwrap();
        let mut quiet = model_game(&level, 5);
        // The same model game, telling its news.
        let mut told = model_game(&level, 5);
        told.world_mut()
            .insert_resource(crate::rules::resources::Narration(true));
        for _ in 0..12 {
            for game in [&mut quiet, &mut told] {
                game.play_computers(|_, view| Some(decide(view, Strength::Normal, 5, &level)));
                game.end_turn();
            }
        }
        let (q, t) = (quiet.snapshot(), told.snapshot());
        // Rare news (a deal, a plant funded) is still written; the news of
        // every turn (prices, shortages, policies, events) is not.
        let (nq, nt) = (q.news.items.len(), t.news.items.len());
        assert!(nq * 2 < nt, "{nq} items of news without news, {nt} with");
        let mut compared = 0;
        for ((name, a), (_, b)) in q.part_hashes().into_iter().zip(t.part_hashes()) {
            if name == "news" || name == "causes" {
                continue;
            }
            assert_eq!(a, b, "{name} differs without news");
            compared += 1;
        }
        assert!(compared > 20, "{compared}");
    }
}
