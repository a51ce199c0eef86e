//! Snapshots of the whole game state, restored in place, and a stable hash.
//!
//! The same level, seed and orders give the same hash on every run: entities
//! are captured sorted by their stable ids, and the bytes are a fixed-layout
//! encoding (postcard) hashed with SeaHash, whose output is specified.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::components::*;
use super::resources::*;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PowerState {
    pub power: Power,
    pub finances: Finances,
    pub politics: Politics,
    pub stockpile: Stockpile,
    pub industry: Industry,
    pub research: Research,
    pub intelligence: Intelligence,
    pub build: BuildProfile,
    pub scorecard: Scorecard,
}

/// Everything that makes up a game at a moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GameState {
    pub powers: Vec<PowerState>,
    pub deposits: Vec<Deposit>,
    pub sites: Vec<Site>,
    pub facilities: Vec<Facility>,
    pub suppliers: Vec<OutsideSupplier>,
    pub clock: TurnClock,
    pub rng: RulesRng,
    pub rules: GameRules,
    pub market: Market,
    pub relations: Relations,
    pub war: UkraineWar,
    pub deck: EventDeck,
    pub orders: OrderBook,
    pub diplomacy: Diplomacy,
    pub news: NewsLog,
    pub causes: TurnCauses,
    pub order_results: OrderResults,
    pub trade_log: TradeLog,
    pub production: Production,
    pub outcome: GameOutcome,
    pub history: History,
    pub options: GameOptions,
    pub counters: IdCounters,
    pub market_orders: MarketOrders,
    pub responses: PendingResponses,
    pub log: OrderLog,
}

fn sorted<T: Component + Clone>(world: &mut World, key: fn(&T) -> String) -> Vec<T> {
    let mut q = world.query::<&T>();
    let mut v: Vec<T> = q.iter(world).cloned().collect();
    v.sort_by_key(key);
    v
}

impl GameState {
    /// Copy the game out of a world.
    pub fn capture(world: &mut World) -> GameState {
        let mut q = world.query::<(
            &Power,
            &Finances,
            &Politics,
            &Stockpile,
            &Industry,
            &Research,
            &Intelligence,
            &BuildProfile,
            &Scorecard,
        )>();
        let mut powers: Vec<PowerState> = q
            .iter(world)
            .map(|(p, f, pol, s, i, r, intel, b, c)| PowerState {
                power: p.clone(),
                finances: f.clone(),
                politics: pol.clone(),
                stockpile: s.clone(),
                industry: i.clone(),
                research: r.clone(),
                intelligence: intel.clone(),
                build: b.clone(),
                scorecard: c.clone(),
            })
            .collect();
        powers.sort_by_key(|p| p.power.id);
        GameState {
            powers,
            deposits: sorted::<Deposit>(world, |d| d.id.clone()),
            sites: sorted::<Site>(world, |d| d.id.clone()),
            facilities: sorted::<Facility>(world, |d| d.id.clone()),
            suppliers: sorted::<OutsideSupplier>(world, |d| d.id.clone()),
            clock: world.resource::<TurnClock>().clone(),
            rng: world.resource::<RulesRng>().clone(),
            rules: world.resource::<GameRules>().clone(),
            market: world.resource::<Market>().clone(),
            relations: world.resource::<Relations>().clone(),
            war: world.resource::<UkraineWar>().clone(),
            deck: world.resource::<EventDeck>().clone(),
            orders: world.resource::<OrderBook>().clone(),
            diplomacy: world.resource::<Diplomacy>().clone(),
            news: world.resource::<NewsLog>().clone(),
            causes: world.resource::<TurnCauses>().clone(),
            order_results: world.resource::<OrderResults>().clone(),
            trade_log: world.resource::<TradeLog>().clone(),
            production: world.resource::<Production>().clone(),
            outcome: world.resource::<GameOutcome>().clone(),
            history: world.resource::<History>().clone(),
            options: world.resource::<GameOptions>().clone(),
            counters: world.resource::<IdCounters>().clone(),
            market_orders: world.resource::<MarketOrders>().clone(),
            responses: world.resource::<PendingResponses>().clone(),
            log: world.resource::<OrderLog>().clone(),
        }
    }

    /// Put this state into `world`, replacing the game there (entities are
    /// despawned and spawned again; other entities are left alone).
    pub fn restore(&self, world: &mut World) {
        let mut old: Vec<Entity> = Vec::new();
        old.extend(world.query_filtered::<Entity, With<Power>>().iter(world));
        old.extend(world.query_filtered::<Entity, With<Deposit>>().iter(world));
        old.extend(world.query_filtered::<Entity, With<Site>>().iter(world));
        old.extend(world.query_filtered::<Entity, With<Facility>>().iter(world));
        old.extend(
            world
                .query_filtered::<Entity, With<OutsideSupplier>>()
                .iter(world),
        );
        for e in old {
            world.despawn(e);
        }
        let mut index = EntityIndex::default();
        for p in &self.powers {
            let e = world
                .spawn((
                    p.power.clone(),
                    p.finances.clone(),
                    p.politics.clone(),
                    p.stockpile.clone(),
                    p.industry.clone(),
                    p.research.clone(),
                    p.intelligence.clone(),
                    p.build.clone(),
                    p.scorecard.clone(),
                ))
                .id();
            index.powers.push(e);
        }
        for d in &self.deposits {
            index
                .deposits
                .insert(d.id.clone(), world.spawn(d.clone()).id());
        }
        for s in &self.sites {
            index
                .sites
                .insert(s.id.clone(), world.spawn(s.clone()).id());
        }
        for f in &self.facilities {
            index
                .facilities
                .insert(f.id.clone(), world.spawn(f.clone()).id());
        }
        for s in &self.suppliers {
            index
                .suppliers
                .insert(s.id.clone(), world.spawn(s.clone()).id());
        }
        world.insert_resource(index);
        world.insert_resource(self.clock.clone());
        world.insert_resource(self.rng.clone());
        world.insert_resource(self.rules.clone());
        world.insert_resource(self.market.clone());
        world.insert_resource(self.relations.clone());
        world.insert_resource(self.war.clone());
        world.insert_resource(self.deck.clone());
        world.insert_resource(self.orders.clone());
        world.insert_resource(self.diplomacy.clone());
        world.insert_resource(self.news.clone());
        world.insert_resource(self.causes.clone());
        world.insert_resource(self.order_results.clone());
        world.insert_resource(self.trade_log.clone());
        world.insert_resource(self.production.clone());
        world.insert_resource(self.outcome.clone());
        world.insert_resource(self.history.clone());
        world.insert_resource(self.options.clone());
        world.insert_resource(self.counters.clone());
        world.insert_resource(self.market_orders.clone());
        world.insert_resource(self.responses.clone());
        world.insert_resource(self.log.clone());
    }

    /// Stable 64-bit hash of this state.
    pub fn hash(&self) -> u64 {
        let bytes = postcard::to_stdvec(self).expect("game state serializes");
        seahash::hash(&bytes)
    }
}

/// Stable hash of the game in `world`.
pub fn state_hash(world: &mut World) -> u64 {
    GameState::capture(world).hash()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn same_seed_same_hash_different_seed_different_hash() {
        let a = state_hash(&mut world_of("2025-trade-war", 1));
        let b = state_hash(&mut world_of("2025-trade-war", 1));
        let c = state_hash(&mut world_of("2025-trade-war", 2));
        assert_eq!(a, b);
        assert_ne!(a, c, "the RNG seed is part of the state");
    }

    #[test]
    fn capture_restore_round_trips() {
        let mut world = test_world();
        let s = GameState::capture(&mut world);
        let mut other = world_of("classroom", 99);
        s.restore(&mut other);
        assert_eq!(GameState::capture(&mut other), s);
        assert_eq!(state_hash(&mut other), s.hash());
    }
}
