//! A game without a window: the rules engine's own `World` (which holds the
//! turn schedule), with the calls every driver needs (submit orders, end the
//! turn, look, hash) and the one loop by which computer players give their
//! orders ([`Game::play_computers`]). It sits below the AI, so the hard
//! player's rollouts play turns exactly as a table does (`crate::table`).

use bevy::prelude::*;

use crate::level::schema::Level;
use crate::rules;
use crate::rules::hash::{GameState, state_hash};
use crate::rules::orders::{Order, Refusal};
use crate::rules::resources::*;
use crate::rules::types::PowerId;
use crate::rules::view::{PowerView, power_view};

pub struct Game {
    world: World,
}

/// An order a computer player gave that the rules refused.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    pub power: PowerId,
    pub order: Order,
    pub why: Refusal,
}

/// What a teacher may set for one game without changing the level.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GameSettings {
    pub options: GameOptions,
    /// Play at most this many turns (lesson mode); `None` plays the level's.
    pub turn_limit: Option<u32>,
}

impl GameSettings {
    /// The settings a saved state was played under.
    pub fn of_state(state: &GameState) -> GameSettings {
        GameSettings {
            options: state.options.clone(),
            turn_limit: Some(state.clock.max_turns),
        }
    }
}

impl Game {
    /// A new game of `level` with `seed`.
    pub fn new(level: &Level, seed: u64) -> Game {
        // The plugins build the turn schedule into the app's world; the game
        // keeps that world and runs the schedule itself (no `App::update`).
        let mut app = App::empty();
        app.add_plugins(rules::plugin);
        let mut world = std::mem::take(app.world_mut());
        rules::setup::spawn_level(&mut world, level, seed);
        Game { world }
    }

    /// A new game with a teacher's settings: events and hidden information
    /// switched on or off, and the game cut short after `turn_limit` turns
    /// (at most the level's own turn limit).
    pub fn with_settings(level: &Level, seed: u64, settings: &GameSettings) -> Game {
        let mut game = Game::new(level, seed);
        game.configure(settings);
        game
    }

    /// Apply `settings` before the first turn is played. A game's settings
    /// are part of its state (so of its hash and its saves).
    pub fn configure(&mut self, settings: &GameSettings) {
        let world = self.world_mut();
        world.insert_resource(settings.options.clone());
        let mut clock = world.resource_mut::<TurnClock>();
        if let Some(limit) = settings.turn_limit {
            clock.max_turns = limit.clamp(1, clock.max_turns);
        }
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// The turn being planned (1-based).
    pub fn turn(&self) -> u32 {
        self.world().resource::<TurnClock>().turn
    }

    pub fn max_turns(&self) -> u32 {
        self.world().resource::<TurnClock>().max_turns
    }

    pub fn is_over(&self) -> bool {
        self.world().resource::<GameOutcome>().over
    }

    pub fn outcome(&self) -> &GameOutcome {
        self.world().resource::<GameOutcome>()
    }

    pub fn submit(&mut self, power: PowerId, order: Order) -> Result<(), Refusal> {
        rules::orders::submit(self.world_mut(), power, order)
    }

    /// Resolve the turn: all queued orders of every power, then the twelve phases.
    pub fn end_turn(&mut self) {
        self.world.run_schedule(rules::TurnSchedule);
        // As `App::update` would: drop removal records, move the change tick.
        self.world.clear_trackers();
    }

    /// Give each power's orders in table order; the refused come back.
    pub fn submit_orders(
        &mut self,
        orders: impl IntoIterator<Item = (PowerId, Vec<Order>)>,
    ) -> Vec<Refused> {
        let mut refused = Vec::new();
        for (power, list) in orders {
            for order in list {
                if let Err(why) = self.submit(power, order.clone()) {
                    refused.push(Refused { power, order, why });
                }
            }
        }
        refused
    }

    /// The computer players' part of a turn, the one way every driver plays
    /// it (tables, the hard player's rollouts): the three views of this
    /// moment built once, `decide` asked for each power in table order
    /// (`None`: nobody decides for that seat), and the orders given. Returns
    /// the orders the rules refused.
    pub fn play_computers(
        &mut self,
        mut decide: impl FnMut(PowerId, &PowerView) -> Option<Vec<Order>>,
    ) -> Vec<Refused> {
        let views = crate::rules::view::power_views(self.world());
        let orders: Vec<(PowerId, Vec<Order>)> = PowerId::ALL
            .into_iter()
            .filter_map(|p| decide(p, &views[p]).map(|o| (p, o)))
            .collect();
        self.submit_orders(orders)
    }

    pub fn view(&self, power: PowerId) -> PowerView {
        power_view(self.world(), power)
    }

    pub fn hash(&mut self) -> u64 {
        state_hash(self.world_mut())
    }

    pub fn snapshot(&mut self) -> GameState {
        GameState::capture(self.world_mut())
    }

    pub fn restore(&mut self, state: &GameState) {
        state.restore(self.world_mut());
    }

    /// Have a teacher's event card fire next turn.
    pub fn inject_event(&mut self, id: &str) -> Result<(), String> {
        let clock = self.world().resource::<TurnClock>().clone();
        let mut deck = self.world_mut().resource_mut::<EventDeck>();
        let Some(card) = deck.cards.iter().find(|c| c.id == id) else {
            return Err(format!("there is no event card \"{id}\" in this level"));
        };
        if rules::events::quarters_until_date(&clock, card) > 0
            && let Some(date) = card.date
        {
            return Err(format!(
                "\"{}\" happened in {}: it cannot fire before then",
                card.title,
                date.words()
            ));
        }
        deck.injected.push(id.to_string());
        Ok(())
    }

    /// Play `log` again on this game (fresh from its level and seed, with the
    /// same seats' answerers installed). Stops at the first turn whose orders
    /// the rules refuse, returning that turn and the reason.
    pub fn replay(&mut self, log: &[TurnInput]) -> Result<(), (u32, String)> {
        for input in log {
            self.queue_turn_input(input)?;
            self.end_turn();
        }
        Ok(())
    }

    /// Queue one logged turn's input (the teacher's cards, then every
    /// power's orders) for the turn being planned, which must be its turn.
    /// The turn is not ended: the caller ends it (a table records its hash).
    pub fn queue_turn_input(&mut self, input: &TurnInput) -> Result<(), (u32, String)> {
        if self.turn() != input.turn {
            return Err((
                input.turn,
                format!(
                    "the log has turn {} where the game is at turn {}",
                    input.turn,
                    self.turn()
                ),
            ));
        }
        for id in &input.injected {
            self.inject_event(id).map_err(|e| (input.turn, e))?;
        }
        for p in PowerId::ALL {
            for order in &input.orders[p] {
                self.submit(p, order.clone()).map_err(|r| {
                    (
                        input.turn,
                        format!("{p}'s order \"{order}\" is refused: {r}"),
                    )
                })?;
            }
        }
        Ok(())
    }
}
