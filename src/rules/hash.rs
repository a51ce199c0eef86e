//! Snapshots of the whole game state, restored in place, and a stable hash.
//!
//! The same level, seed and orders give the same hash on every run: entities
//! are captured sorted by their stable ids, and the bytes are a fixed-layout
//! encoding (postcard) hashed with SeaHash, whose output is specified.

use std::any::TypeId;
use std::collections::{BTreeMap, HashMap};

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::components::*;
use super::resources::*;
use super::types::PowerId;

/// Entities kept by a stable id (their order in snapshots and hashes).
pub trait Keyed {
    fn key(&self) -> &str;
}

macro_rules! keyed {
    ($($t:ty),*) => {$(
        impl Keyed for $t {
            fn key(&self) -> &str {
                &self.id
            }
        }
    )*};
}
keyed!(Deposit, Site, Facility, OutsideSupplier);

/// The registry of saved state: every component and resource of the rules
/// world, named once. From this one list come the snapshot ([`GameState`],
/// which saves hold), its capture, its in-place restore, the stable hash
/// (written straight from the world, nothing cloned) and the list of
/// registered types that `unregistered` checks a world against. Fields
/// hash in the order given here: never reorder them (saves keep hashes).
macro_rules! saved_state {
    (
        powers: $PowerState:ident / $PowerStateRef:ident {
            $( $(#[$pm:meta])* $pfield:ident : $pty:ty ),* $(,)?
        }
        entities { $( $(#[$em:meta])* $efield:ident : $ety:ty ),* $(,)? }
        resources { $( $(#[$rm:meta])* $rfield:ident : $rty:ty ),* $(,)? }
    ) => {
        /// One power: the components of its entity.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
        pub struct $PowerState {
            $( $(#[$pm])* pub $pfield: $pty, )*
        }

        /// [`PowerState`] borrowed from the world, for hashing.
        #[derive(Serialize)]
        struct $PowerStateRef<'a> {
            $( $pfield: &'a $pty, )*
        }

        /// Everything that makes up a game at a moment.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct GameState {
            pub powers: Vec<$PowerState>,
            $( $(#[$em])* pub $efield: Vec<$ety>, )*
            $( $(#[$rm])* pub $rfield: $rty, )*
        }

        /// [`GameState`] borrowed from the world: serialises to the same
        /// bytes, so it hashes the same.
        #[derive(Serialize)]
        struct GameStateRef<'a> {
            powers: Vec<$PowerStateRef<'a>>,
            $( $efield: Vec<&'a $ety>, )*
            $( $rfield: &'a $rty, )*
        }

        impl $PowerState {
            /// Copy power entity `e`'s components out of `world`.
            pub fn of(world: &World, e: Entity) -> $PowerState {
                $PowerState {
                    $( $pfield: world
                        .get::<$pty>(e)
                        .expect("every power entity has all power components")
                        .clone(), )*
                }
            }

            fn borrow(world: &World, e: Entity) -> $PowerStateRef<'_> {
                $PowerStateRef {
                    $( $pfield: world
                        .get::<$pty>(e)
                        .expect("every power entity has all power components"), )*
                }
            }

            /// Overwrite entity `e`'s components with these.
            fn write(&self, world: &mut World, e: Entity) {
                $( overwrite(world, e, &self.$pfield); )*
            }

            fn spawn(&self, world: &mut World) -> Entity {
                world.spawn(( $( self.$pfield.clone(), )* )).id()
            }
        }

        impl GameState {
            /// Copy the game out of a world.
            pub fn capture(world: &mut World) -> GameState {
                GameState {
                    powers: power_entities(world)
                        .into_iter()
                        .map(|e| $PowerState::of(world, e))
                        .collect(),
                    $( $efield: in_key_order::<$ety>(world)
                        .into_iter()
                        .map(|(_, c)| c.clone())
                        .collect(), )*
                    $( $rfield: world.resource::<$rty>().clone(), )*
                }
            }

            /// Put this state into `world`, replacing the game there. Entities
            /// that are in both (the powers; deposits, sites, facilities and
            /// suppliers by id) are overwritten in place, the rest spawned or
            /// despawned; other entities are left alone. The hard player
            /// restores for every rollout, so nothing is rebuilt that can be
            /// written over.
            pub fn restore(&self, world: &mut World) {
                if !self.restore_over_index(world) {
                    self.restore_rebuilding_index(world);
                }
                $( overwrite_resource(world, &self.$rfield); )*
            }

            /// The usual case (a rollout going back to where it started):
            /// the world's index lists exactly this state's entities, so each
            /// is written over where it is, with no lookup by name. False,
            /// and nothing written, when the index does not match.
            fn restore_over_index(&self, world: &mut World) -> bool {
                let Some(index) = world.get_resource::<EntityIndex>() else {
                    return false;
                };
                let powers_match = index.powers.len() == self.powers.len()
                    && index
                        .powers
                        .iter()
                        .zip(&self.powers)
                        .all(|(e, p)| world.get::<Power>(*e).is_some_and(|w| w.id == p.power.id));
                if !powers_match $( || !indexed_alike(world, &index.$efield, &self.$efield) )* {
                    return false;
                }
                world.resource_scope(|world, index: Mut<EntityIndex>| {
                    for (p, e) in self.powers.iter().zip(&index.powers) {
                        p.write(world, *e);
                    }
                    $( for (item, e) in self.$efield.iter().zip(index.$efield.values()) {
                        overwrite(world, *e, item);
                    } )*
                });
                true
            }

            /// Match entities to the state by id, spawn and despawn what
            /// differs, and build the index afresh.
            fn restore_rebuilding_index(&self, world: &mut World) {
                let mut index = EntityIndex::default();
                let mut old: BTreeMap<_, Entity> = power_entities(world)
                    .into_iter()
                    .map(|e| (world.get::<Power>(e).expect("power").id, e))
                    .collect();
                for p in &self.powers {
                    let e = match old.remove(&p.power.id) {
                        Some(e) => {
                            p.write(world, e);
                            e
                        }
                        None => p.spawn(world),
                    };
                    index.powers.push(e);
                }
                for e in old.into_values() {
                    world.despawn(e);
                }
                $( restore_keyed(world, &self.$efield, &mut index.$efield); )*
                world.insert_resource(index);
            }

            /// Each part's name and hash, in registry order: which parts
            /// two states share (the hard player's guesses are checked so).
            pub fn part_hashes(&self) -> Vec<(&'static str, u64)> {
                fn h<T: Serialize>(t: &T) -> u64 {
                    seahash::hash(&postcard::to_stdvec(t).expect("state serializes"))
                }
                vec![
                    ("powers", h(&self.powers)),
                    $( (stringify!($efield), h(&self.$efield)), )*
                    $( (stringify!($rfield), h(&self.$rfield)), )*
                ]
            }

            /// Stable 64-bit hash of this state.
            pub fn hash(&self) -> u64 {
                let bytes = postcard::to_stdvec(self).expect("game state serializes");
                seahash::hash(&bytes)
            }
        }

        /// Stable hash of the game in `world`: the hash its [`GameState`]
        /// would have, written straight from the world (nothing cloned).
        pub fn state_hash(world: &mut World) -> u64 {
            let powers = power_entities(world);
            $( let $efield = in_key_order::<$ety>(world); )*
            let state = GameStateRef {
                powers: powers.iter().map(|e| $PowerState::borrow(world, *e)).collect(),
                $( $efield: $efield.into_iter().map(|(_, c)| c).collect(), )*
                $( $rfield: world.resource::<$rty>(), )*
            };
            let bytes = postcard::to_stdvec(&state).expect("game state serializes");
            seahash::hash(&bytes)
        }

        /// The components a rules world holds, every one saved.
        pub fn registered_components() -> Vec<(TypeId, &'static str)> {
            vec![
                $( (TypeId::of::<$pty>(), std::any::type_name::<$pty>()), )*
                $( (TypeId::of::<$ety>(), std::any::type_name::<$ety>()), )*
            ]
        }

        /// The resources a rules world holds that are saved.
        pub fn registered_resources() -> Vec<(TypeId, &'static str)> {
            vec![ $( (TypeId::of::<$rty>(), std::any::type_name::<$rty>()), )* ]
        }
    };
}

saved_state! {
    powers: PowerState / PowerStateRef {
        power: Power,
        finances: Finances,
        politics: Politics,
        stockpile: Stockpile,
        industry: Industry,
        research: Research,
        intelligence: Intelligence,
        build: BuildProfile,
        scorecard: Scorecard,
    }
    entities {
        deposits: Deposit,
        sites: Site,
        facilities: Facility,
        suppliers: OutsideSupplier,
    }
    resources {
        clock: TurnClock,
        rng: RulesRng,
        rules: GameRules,
        market: Market,
        relations: Relations,
        war: UkraineWar,
        deck: EventDeck,
        orders: OrderBook,
        diplomacy: Diplomacy,
        news: NewsLog,
        causes: TurnCauses,
        order_results: OrderResults,
        trade_log: TradeLog,
        production: Production,
        outcome: GameOutcome,
        history: History,
        options: GameOptions,
        counters: IdCounters,
        market_orders: MarketOrders,
        responses: PendingResponses,
        log: OrderLog,
    }
}

/// What a rules world may hold that is not saved, and why.
pub fn transient_resources() -> Vec<(TypeId, &'static str, &'static str)> {
    vec![
        (
            TypeId::of::<EntityIndex>(),
            std::any::type_name::<EntityIndex>(),
            "ids to entities: rebuilt from the entities on restore",
        ),
        (
            TypeId::of::<super::deals::Answerers>(),
            std::any::type_name::<super::deals::Answerers>(),
            "the computer seats' deal answerers: installed from the seats, which saves keep",
        ),
        (
            TypeId::of::<Narration>(),
            std::any::type_name::<Narration>(),
            "whether news is written: a setting of the table (off in rollouts), not of the game",
        ),
    ]
}

/// Game types in `world` that are neither registered nor transient: each
/// would be silently left out of saves, snapshots and the hash. Bevy's own
/// machinery (schedules, resource markers) is not game state.
pub fn unregistered(world: &World) -> Vec<String> {
    let known: Vec<TypeId> = registered_components()
        .into_iter()
        .chain(registered_resources())
        .map(|(t, _)| t)
        .chain(transient_resources().into_iter().map(|(t, _, _)| t))
        .collect();
    let mut out = Vec::new();
    for archetype in world.archetypes().iter().filter(|a| !a.is_empty()) {
        for id in archetype.components() {
            let Some(info) = world.components().get_info(*id) else {
                continue;
            };
            let name = info.name().to_string();
            if info.type_id().is_some_and(|t| known.contains(&t)) {
                continue;
            }
            if !name.starts_with("bevy_") && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out.sort();
    out
}

/// The power entities, in table order.
fn power_entities(world: &World) -> Vec<Entity> {
    let Some(mut q) = world.try_query::<(Entity, &Power)>() else {
        return Vec::new();
    };
    let mut v: Vec<(PowerId, Entity)> = q.iter(world).map(|(e, p)| (p.id, e)).collect();
    v.sort_by_key(|(id, _)| *id);
    v.into_iter().map(|(_, e)| e).collect()
}

/// Every entity with a `T`, in id order.
fn in_key_order<T: Component + Keyed>(world: &World) -> Vec<(Entity, &T)> {
    let Some(mut q) = world.try_query::<(Entity, &T)>() else {
        return Vec::new();
    };
    let mut v: Vec<(Entity, &T)> = q.iter(world).collect();
    v.sort_by(|a, b| a.1.key().cmp(b.1.key()));
    v
}

/// Write `value` over entity `e`'s `T` (inserted if it has none).
fn overwrite<T: Component<Mutability = bevy::ecs::component::Mutable> + Clone>(
    world: &mut World,
    e: Entity,
    value: &T,
) {
    match world.get_mut::<T>(e) {
        Some(mut c) => c.clone_from(value),
        None => {
            world.entity_mut(e).insert(value.clone());
        }
    }
}

fn overwrite_resource<R: Resource<Mutability = bevy::ecs::component::Mutable> + Clone>(
    world: &mut World,
    value: &R,
) {
    match world.get_resource_mut::<R>() {
        Some(mut r) => r.clone_from(value),
        None => world.insert_resource(value.clone()),
    }
}

/// Whether `index` names exactly the entities of `list`, in the same order
/// (both are in id order), each of them holding a `T`.
fn indexed_alike<T: Component + Keyed>(
    world: &World,
    index: &BTreeMap<String, Entity>,
    list: &[T],
) -> bool {
    index.len() == list.len()
        && index
            .iter()
            .zip(list)
            .all(|((id, e), item)| id == item.key() && world.get::<T>(*e).is_some())
}

/// Put `list` into the world's `T` entities: by id, overwritten in place,
/// spawned when new, despawned when gone; `index` maps ids to entities.
fn restore_keyed<T: Component<Mutability = bevy::ecs::component::Mutable> + Clone + Keyed>(
    world: &mut World,
    list: &[T],
    index: &mut BTreeMap<String, Entity>,
) {
    let mut old: HashMap<String, Entity> = in_key_order::<T>(world)
        .into_iter()
        .map(|(e, c)| (c.key().to_string(), e))
        .collect();
    for item in list {
        let e = match old.remove(item.key()) {
            Some(e) => {
                overwrite(world, e, item);
                e
            }
            None => world.spawn(item.clone()).id(),
        };
        index.insert(item.key().to_string(), e);
    }
    for e in old.into_values() {
        world.despawn(e);
    }
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

    fn fund_a_mine(world: &mut World, p: PowerId) {
        let at = world
            .resource::<EntityIndex>()
            .deposits
            .iter()
            .find(|(_, e)| world.get::<Deposit>(**e).unwrap().controller == Some(p))
            .map(|(id, _)| id.clone())
            .expect("a deposit of its own");
        crate::rules::orders::submit(
            world,
            p,
            crate::rules::orders::Order::FundFacility {
                at,
                kind: crate::rules::types::FacilityKind::Mine,
                capacity: 0.1,
            },
        )
        .expect("a small mine is accepted");
    }

    #[test]
    fn the_hash_written_from_the_world_is_the_hash_of_its_snapshot() {
        let mut world = playing_world("classroom", 4);
        fund_a_mine(&mut world, PowerId::China);
        for _ in 0..12 {
            assert_eq!(
                state_hash(&mut world),
                GameState::capture(&mut world).hash()
            );
            end_turn(&mut world);
        }
        assert_eq!(
            state_hash(&mut world),
            GameState::capture(&mut world).hash()
        );
    }

    #[test]
    fn restore_overwrites_the_entities_it_finds_and_spawns_or_drops_the_rest() {
        let mut world = playing_world("classroom", 4);
        end_turn(&mut world);
        let before = GameState::capture(&mut world);
        let index = world.resource::<EntityIndex>().clone();
        // After the snapshot China funds a mine: a facility the snapshot lacks.
        fund_a_mine(&mut world, PowerId::China);
        end_turn(&mut world);
        end_turn(&mut world);
        assert!(world.resource::<EntityIndex>().facilities.len() > index.facilities.len());
        before.restore(&mut world);
        assert_eq!(GameState::capture(&mut world), before);
        assert_eq!(state_hash(&mut world), before.hash());
        let after = world.resource::<EntityIndex>();
        assert_eq!(after, &index, "the same entities, written over in place");
        let mut q = world.query::<&Facility>();
        assert_eq!(q.iter(&world).count(), before.facilities.len());

        // Into a world that lacks the new facility, it is spawned.
        let mut world2 = playing_world("classroom", 4);
        end_turn(&mut world2);
        fund_a_mine(&mut world2, PowerId::China);
        end_turn(&mut world2);
        let later = GameState::capture(&mut world2);
        before.restore(&mut world2);
        later.restore(&mut world2);
        assert_eq!(GameState::capture(&mut world2), later);
        // And the game plays on the same from either world.
        later.restore(&mut world);
        end_turn(&mut world);
        end_turn(&mut world2);
        assert_eq!(state_hash(&mut world), state_hash(&mut world2));
    }

    #[derive(Resource)]
    struct Stray;

    #[derive(Component)]
    struct StrayPart;

    #[test]
    fn every_component_and_resource_of_a_rules_world_is_registered() {
        let mut world = playing_world("2025-trade-war", 2);
        world.insert_resource(crate::rules::deals::Answerers::default());
        fund_a_mine(&mut world, PowerId::Us);
        end_turn(&mut world);
        assert_eq!(unregistered(&world), Vec::<String>::new());
        // A resource or component nobody registered is found.
        world.insert_resource(Stray);
        world.spawn(StrayPart);
        let found = unregistered(&world);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|n| n.ends_with("::Stray")), "{found:?}");
        assert!(
            found.iter().any(|n| n.ends_with("::StrayPart")),
            "{found:?}"
        );
    }
}
