//! Personalities of the computer players, read from
//! `assets/ai/personalities.ron` (compiled in). A level picks one per power
//! (`ai_personality`, "balanced" when not given). They change what an AI
//! values — how readily it deals, how hard it answers pressure, how much it
//! builds at home, how much it presses the war — not how well it plays.

// The figures are level data (a level names its powers' personalities and
// `validate` checks the names), so they are read in `level`; what they do
// is the AI's.
pub use crate::level::personality::{Personality, all, parse};

use crate::level::schema::Level;
use crate::rules::types::PowerId;

/// The personality `level` gives `power` (balanced when unknown).
pub fn of(level: &Level, power: PowerId) -> Personality {
    let setup = level.powers.iter().find(|p| p.id == power);
    let mut persona = setup
        .and_then(|p| all().get(&p.ai_personality))
        .cloned()
        .unwrap_or_else(Personality::balanced);
    persona.route = setup.map(|p| p.ai_route).unwrap_or_default();
    persona
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_personalities_parse_and_bad_ones_are_refused() {
        let all = all();
        for name in ["balanced", "hawk", "dealmaker", "isolationist"] {
            assert!(all.contains_key(name), "{name}");
        }
        assert_eq!(all["balanced"].deal_eagerness, 1.0);
        assert!(parse("{\"balanced\": (description: \"\", deal_eagerness: 1.0, hostility: 1.0, self_reliance: 1.0, war: 9.0)}").is_err());
        assert!(parse("{\"balanced\": (description: \"\", deal_eagerness: 1.0, hostility: 1.0, self_reliance: 1.0, war: 1.0, mood: 2.0)}").is_err());
        assert!(parse("{}").is_err());
    }
}

#[cfg(test)]
mod behaviour {
    use super::*;
    use crate::game::Game;
    use crate::rules::orders::Order;
    use crate::seats::Strength;

    /// Deals a power proposes over a whole game, playing as `persona`.
    fn proposals(persona: &str, power: PowerId) -> usize {
        let level = crate::level::bundled("2025-trade-war").unwrap();
        let p = all()[persona].clone();
        let mut game = crate::ai::model_game(&level, 21);
        let mut count = 0;
        while !game.is_over() {
            game.play_computers(|who, view| {
                let orders = if who == power {
                    crate::ai::bot::decide_as(view, Strength::Normal, 21, &p)
                } else {
                    crate::ai::bot::decide(view, Strength::Normal, 21)
                };
                if who == power {
                    count += orders
                        .iter()
                        .filter(|o| matches!(o, Order::ProposeDeal { .. }))
                        .count();
                }
                Some(orders)
            });
            game.end_turn();
        }
        count
    }

    #[test]
    fn a_dealmaker_proposes_more_than_an_isolationist() {
        let keen = proposals("dealmaker", PowerId::Us);
        let balanced = proposals("balanced", PowerId::Us);
        let shy = proposals("isolationist", PowerId::Us);
        assert!(keen > balanced && balanced > shy, "{keen} {balanced} {shy}");
    }

    #[test]
    fn a_dealmaker_takes_a_small_gift_a_hawk_refuses() {
        use crate::ai::negotiation::answer_as;
        use crate::rules::deals::{Response, Term};
        let level = crate::level::bundled("2025-trade-war").unwrap();
        let view = Game::new(&level, 3).view(PowerId::Russia);
        let offer = |amount: f64| {
            crate::ai::negotiation::proposal(
                PowerId::Us,
                PowerId::Russia,
                vec![Term::Payment {
                    from: PowerId::Us,
                    to: PowerId::Russia,
                    amount,
                }],
            )
        };
        // Find the smallest gift the balanced Russia takes.
        let mut amount = 0.01;
        while answer_as(&view, &offer(amount), &all()["balanced"]) != Response::Accept {
            amount *= 1.25;
        }
        let small = offer(amount * 0.75);
        assert_eq!(
            answer_as(&view, &small, &all()["dealmaker"]),
            Response::Accept
        );
        assert!(matches!(
            answer_as(&view, &small, &all()["hawk"]),
            Response::Reject { .. }
        ));
        let big = offer(amount * 2.0);
        assert_eq!(answer_as(&view, &big, &all()["hawk"]), Response::Accept);
    }

    #[test]
    fn a_level_naming_an_unknown_personality_is_refused() {
        let text = crate::level::level_to_ron(&crate::level::bundled("classroom").unwrap())
            .replacen(
                "ai_personality: \"balanced\"",
                "ai_personality: \"grumpy\"",
                1,
            );
        let err = crate::level::parse_level("grumpy.ron", &text).unwrap_err();
        assert!(err.to_string().contains("grumpy"), "{err}");
        assert!(err.to_string().contains("dealmaker"), "{err}");
    }
}
