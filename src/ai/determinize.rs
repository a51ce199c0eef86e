//! Guesses of the whole game from one power's view, for the hard player's
//! search. A guess starts from the level as published (every player has read
//! it), takes everything the view shows exactly, and draws every hidden
//! figure from the view's estimate ranges. Nothing comes from the true state:
//! the guess is a function of the view, the level and a seed only.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::rules::hash::GameState;
use crate::rules::resources::*;
use crate::rules::types::{Good, PerGood, PowerId};
use crate::rules::view::{Estimate, PowerView};

fn sample(e: &Estimate, rng: &mut ChaCha8Rng) -> f64 {
    if e.is_exact() {
        e.value
    } else {
        let (lo, hi) = (e.low(), e.high());
        lo + (hi - lo) * rng.random::<f64>()
    }
}

/// One guess of the game behind `view`. `template` is the level's opening
/// state (any seed): it supplies what no view tells, such as the rivals'
/// research or the event deck.
pub fn determinize(view: &PowerView, template: &GameState, rng: &mut ChaCha8Rng) -> GameState {
    let me = view.me.power.id;
    let mut s = template.clone();

    // Public: the board, the market, the war, trade policies, the outcome.
    s.deposits = view.deposits.clone();
    s.sites = view.sites.clone();
    s.facilities = view.facilities.clone();
    s.suppliers = view.suppliers.clone();
    s.clock.turn = view.turn;
    s.clock.max_turns = view.max_turns;
    s.rules.params = view.params.clone();
    s.rules.war = view.war_params.clone();
    s.rules.base_price = view.base_price;
    s.market = view.market.clone();
    s.relations.tariff = view.relations.tariff;
    s.relations.export_control = view.relations.export_control;
    s.relations.export_control_outside = view.relations.export_control_outside;
    s.relations.sanctions = view.relations.sanctions;
    s.relations.licence_age = view.relations.licence_age;
    s.relations.extraterritorial = view.relations.extraterritorial;
    for p in PowerId::ALL {
        s.relations.trust[me.index()][p.index()] = view.trust.mine[p];
        s.relations.trust[p.index()][me.index()] = view.trust.theirs[p];
    }
    s.war = view.war.clone();
    s.outcome = view.outcome.clone();
    s.trade_log.flows = view.trade_flows.clone();
    // New facilities get numbers after every one on the board.
    s.counters.facilities = s
        .facilities
        .iter()
        .map(|f| f.seq)
        .max()
        .unwrap_or(0)
        .max(template.counters.facilities);

    // Mine, exactly.
    let i = s
        .powers
        .iter()
        .position(|p| p.power.id == me)
        .expect("every power is in the level");
    s.powers[i] = view.me.clone();
    s.orders = OrderBook::default();
    s.orders.orders[me] = view.queued.clone();

    // The rivals: estimates drawn within their ranges; the rest as the level
    // opened (their research, intelligence, build costs).
    for o in &view.others {
        let Some(ps) = s.powers.iter_mut().find(|p| p.power.id == o.id) else {
            continue;
        };
        ps.power.eliminated = o.eliminated;
        ps.finances.treasury = sample(&o.treasury, rng);
        ps.politics.political_capital = sample(&o.political_capital, rng).clamp(0.0, 100.0);
        ps.politics.stability = o.stability;
        ps.stockpile.qty = PerGood(Good::ALL.map(|g| sample(&o.stockpile[g], rng).max(0.0)));
        ps.industry.need = o.industry_need;
        ps.industry.adjust = PerGood([1.0; 4]);
        ps.industry.supply_security = o.supply_security;
        let turns = view.me.scorecard.turns_scored;
        ps.scorecard.turns_scored = turns;
        ps.scorecard.accumulated = sample(&o.score, rng).max(0.0) * turns as f64;
    }

    // Deals: only those the viewer is party to.
    s.diplomacy = Diplomacy {
        next_id: view
            .proposals
            .iter()
            .map(|p| p.id)
            .chain(view.contracts.iter().map(|c| c.id))
            .chain(view.agreements.iter().map(|a| a.id))
            .max()
            .unwrap_or(0)
            .max(template.diplomacy.next_id)
            + 1,
        proposals: view.proposals.clone(),
        agreements: view.agreements.clone(),
        contracts: view.contracts.clone(),
        // Outside producers' contracts to the rivals are not in the view.
        offtakes: view.offtakes.clone(),
        price_floors: view.price_floors.clone(),
    };
    // The dice are the guess's own.
    s.rng = RulesRng::new(rng.random());
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Game;
    use crate::rules::components::Research;
    use crate::rules::invariants::violations;
    use rand::SeedableRng;

    fn mid_game(seed: u64) -> Game {
        let level = crate::level::bundled("2025-trade-war").unwrap();
        let mut game = crate::ai::model_game(&level, seed);
        for _ in 0..6 {
            game.play_computers(|_, view| {
                Some(crate::ai::bot::decide(
                    view,
                    crate::seats::Strength::Normal,
                    seed,
                ))
            });
            game.end_turn();
        }
        game
    }

    #[test]
    fn a_guess_is_sound_playable_and_keeps_what_the_view_shows() {
        let game = mid_game(3);
        let level = crate::level::bundled("2025-trade-war").unwrap();
        let template = Game::new(&level, 0).snapshot();
        let view = game.view(PowerId::Us);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let guess = determinize(&view, &template, &mut rng);
        assert!(violations(&guess).is_empty(), "{:?}", violations(&guess));
        let mut scratch = Game::new(&level, 0);
        scratch.restore(&guess);
        // The guessing power sees in the guess exactly what it saw.
        let again = scratch.view(PowerId::Us);
        assert_eq!(again.me, view.me);
        assert_eq!(again.facilities, view.facilities);
        assert_eq!(again.market, view.market);
        assert_eq!(again.relations, view.relations);
        assert_eq!(again.war, view.war);
        // And the guess plays on.
        scratch.end_turn();
        assert!(violations(&scratch.snapshot()).is_empty());
        assert_eq!(scratch.turn(), game.turn() + 1);
    }

    #[test]
    fn a_guess_reads_nothing_hidden_from_the_truth() {
        // Change what the US cannot see (China's research, the dice, the
        // deck's history): the US view stays the same, and so must the guess.
        let mut game = mid_game(5);
        let level = crate::level::bundled("2025-trade-war").unwrap();
        let template = Game::new(&level, 0).snapshot();
        let view = game.view(PowerId::Us);
        let mut truth = game.snapshot();
        let china = truth
            .powers
            .iter_mut()
            .find(|p| p.power.id == PowerId::China)
            .unwrap();
        china.research = Research {
            invested: [9.0, 9.0, 9.0],
            progress: [0.9, 0.9, 0.9],
        };
        // Other dice, same seed (the seed only spreads the estimates' noise).
        truth.rng.rng = ChaCha8Rng::seed_from_u64(12345);
        truth.deck.drawn.push(("made-up".into(), 1));
        game.restore(&truth);
        let view2 = game.view(PowerId::Us);
        assert_eq!(view, view2, "the change is hidden from the US");
        let a = determinize(&view, &template, &mut ChaCha8Rng::seed_from_u64(8));
        let b = determinize(&view2, &template, &mut ChaCha8Rng::seed_from_u64(8));
        assert_eq!(a, b);
        // Hidden figures are drawn within the view's ranges.
        for o in &view.others {
            let p = a.powers.iter().find(|p| p.power.id == o.id).unwrap();
            assert!(p.finances.treasury >= o.treasury.low() - 1e-9);
            assert!(p.finances.treasury <= o.treasury.high() + 1e-9);
        }
        let research = &a
            .powers
            .iter()
            .find(|p| p.power.id == PowerId::China)
            .unwrap()
            .research;
        assert_ne!(research.progress, [0.9, 0.9, 0.9]);
    }

    /// Every registered part of the state is either taken whole from the
    /// view (then a guess holds it exactly) or named here with how the guess
    /// gets it: a new part of the state must be one or the other.
    #[test]
    fn every_part_of_a_guess_is_the_views_or_declared_guessed() {
        const GUESSED: &[(&str, &str)] = &[
            ("powers", "mine exact, the rivals' hidden figures drawn"),
            ("rng", "the guess's own dice"),
            ("deck", "the level's deck: what was drawn is not tracked"),
            ("orders", "only mine are known"),
            ("diplomacy", "only the deals I am party to"),
            ("news", "not needed to play on"),
            ("causes", "not needed to play on"),
            ("order_results", "not needed to play on"),
            ("production", "last turn's output is not shown"),
            ("history", "not needed to play on"),
            ("counters", "after every facility on the board"),
            ("market_orders", "rebuilt by the orders phase"),
            ("responses", "only the answers to my proposals"),
            ("log", "others' orders are not shown"),
            ("relations", "trust: only mine and towards me"),
            ("trade_log", "flows only"),
        ];
        let game = mid_game(3);
        let level = crate::level::bundled("2025-trade-war").unwrap();
        let template = Game::new(&level, 0).snapshot();
        let mut truth_game = game;
        let truth = truth_game.snapshot();
        let view = truth_game.view(PowerId::Us);
        let guess = determinize(&view, &template, &mut ChaCha8Rng::seed_from_u64(2));
        let mut exact = 0;
        for ((name, t), (_, g)) in truth.part_hashes().into_iter().zip(guess.part_hashes()) {
            if GUESSED.iter().any(|(n, _)| *n == name) {
                continue;
            }
            assert_eq!(
                t, g,
                "{name}: not guessed, so it must be taken whole from the view"
            );
            exact += 1;
        }
        assert!(exact >= 8, "only {exact} parts taken from the view");
    }
}
