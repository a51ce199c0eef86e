//! Phase 5, the war in Ukraine: the front moves (randomly, weighted by
//! intensity, US aid, weariness and China's stance), the war costs money and
//! stability, ceasefires hold or break, and Ukraine's deposits change hands.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        (advance_war, follow_front).chain().in_set(TurnPhase::War),
    );
}

pub(crate) fn advance_war(
    rules: Res<GameRules>,
    clock: Res<TurnClock>,
    mut war: ResMut<UkraineWar>,
    mut rng: ResMut<RulesRng>,
    mut news: ResMut<NewsLog>,
    mut relations: ResMut<Relations>,
    mut powers: Query<(&Power, &mut Finances, &mut Politics)>,
) {
    let p = &rules.war;
    let turn = clock.turn;
    match war.status {
        WarStatus::Active => {
            let step = match war.russia_posture {
                WarPosture::Escalate => 0.15,
                WarPosture::Hold => 0.0,
                WarPosture::DeEscalate => -0.15,
            };
            war.intensity = (war.intensity + step).clamp(0.1, 1.0);
            let support = match war.china_stance {
                ChinaStance::SupportRussia => 0.004,
                ChinaStance::Neutral => 0.0,
                ChinaStance::Mediate => -0.002,
            };
            // Weariness saps the attacker's push.
            let push = p.drift * war.intensity * (1.0 - 0.5 * war.weariness);
            let delta = push - p.aid_effect * war.us_aid as f64 + support + p.noise * rng.normal();
            let before = war.front;
            war.front = (war.front + delta).clamp(0.0, 1.0);
            war.weariness =
                (war.weariness + p.weariness_rate * war.intensity - 0.01).clamp(0.0, 1.0);
            if (war.front - before).abs() >= 0.03 {
                let who = if war.front > before {
                    "Russian forces advance"
                } else {
                    "Ukraine pushes back"
                };
                news.public(
                    turn,
                    NewsKind::War,
                    format!(
                        "{who}: the front moves {:+.0} points.",
                        (war.front - before) * 100.0
                    ),
                );
            }
            // China's mediation can bring a ceasefire once both sides are tired.
            if war.china_stance == ChinaStance::Mediate
                && war.weariness > 0.5
                && war.front_share <= p.ukraine_bound
                && rng.chance(p.mediation_ceasefire)
            {
                war.status = WarStatus::Ceasefire;
                war.ceasefire_turns = 0;
                news.public(
                    turn,
                    NewsKind::War,
                    "Talks mediated by China produce a ceasefire in Ukraine.",
                );
                relations.add_trust(PowerId::China, PowerId::Russia, 3.0);
            }
        }
        WarStatus::Ceasefire => {
            war.ceasefire_turns += 1;
            war.weariness = (war.weariness - 0.03).max(0.0);
            let mut chance = p.ceasefire_break * (0.5 + war.intensity);
            if war.russia_posture == WarPosture::Escalate {
                chance *= 3.0;
            }
            if war.china_stance == ChinaStance::Mediate {
                chance *= 0.5;
            }
            if war.security_guarantees {
                chance *= 0.5;
            }
            if rng.chance(chance.min(0.9)) {
                war.status = WarStatus::Active;
                war.ceasefire_turns = 0;
                news.public(turn, NewsKind::War, "The ceasefire in Ukraine breaks down.");
                relations.add_trust(PowerId::Us, PowerId::Russia, -10.0);
            }
        }
        WarStatus::Peace => {
            war.weariness = (war.weariness - 0.05).max(0.0);
        }
    }
    let mut list: Vec<_> = powers.iter_mut().collect();
    list.sort_by_key(|(power, _, _)| power.id);
    for (power, mut fin, mut pol) in list {
        if power.eliminated {
            continue;
        }
        match power.id {
            PowerId::Us => {
                let cost = p.aid_cost * war.us_aid as f64;
                fin.treasury -= cost;
                fin.ledger.war -= cost;
            }
            PowerId::Russia => {
                if war.status == WarStatus::Active {
                    let cost = p.war_cost * war.intensity;
                    fin.treasury -= cost;
                    fin.ledger.war -= cost;
                }
                pol.stability =
                    (pol.stability - p.weariness_stability * war.weariness).clamp(0.0, 100.0);
                if war.china_stance == ChinaStance::SupportRussia {
                    pol.stability = (pol.stability + 1.0).min(100.0);
                }
            }
            PowerId::China => {}
        }
    }
}

/// Deposits on the front change hands as it moves.
pub(crate) fn follow_front(
    clock: Res<TurnClock>,
    mut war: ResMut<UkraineWar>,
    mut news: ResMut<NewsLog>,
    mut index: ResMut<EntityIndex>,
    mut commands: Commands,
    mut deposits: Query<&mut Deposit>,
    mut facilities: Query<(Entity, &mut Facility)>,
) {
    let mut changed = Vec::new();
    let (mut held, mut total) = (0.0, 0.0);
    let mut list: Vec<_> = deposits.iter_mut().collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    for mut d in list {
        let Some(t) = d.front_threshold else { continue };
        let russian = war.front >= t;
        total += d.reserves.max(1e-9);
        if russian {
            held += d.reserves.max(1e-9);
        }
        let now = if russian { Some(PowerId::Russia) } else { None };
        if d.controller != now {
            d.controller = now;
            changed.push((d.id.clone(), d.name.clone(), russian));
        }
    }
    war.front_share = if total > 0.0 { held / total } else { 0.0 };
    for (id, name, russian) in changed {
        let text = if russian {
            format!("{name} falls under Russian control.")
        } else {
            format!("Ukraine retakes {name}.")
        };
        news.public(clock.turn, NewsKind::War, text);
        // Facilities on a captured deposit are seized and knocked out; when
        // Ukraine retakes it, what Russia held there is abandoned.
        let mut here: Vec<(Entity, Mut<Facility>)> =
            facilities.iter_mut().filter(|(_, f)| f.at == id).collect();
        here.sort_by_key(|(_, f)| f.seq);
        for (e, mut f) in here {
            if russian {
                f.owner = PowerId::Russia;
                f.funder = PowerId::Russia;
                f.partners.clear();
                if f.stage == Stage::Operating {
                    f.stage = Stage::Damaged;
                    f.turns_left = 4;
                }
            } else {
                news.public(
                    clock.turn,
                    NewsKind::War,
                    format!("{} is abandoned as Russian forces withdraw.", f.name),
                );
                index.facilities.remove(&*f.id);
                commands.entity(e).despawn();
            }
        }
    }
}

/// Bring deposit control in line with the front outside the schedule (setup, events).
pub(crate) fn deposits_follow_front(world: &mut World) {
    use bevy::ecs::system::RunSystemOnce;
    world
        .run_system_once(follow_front)
        .expect("follow_front has no failing parameters");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::orders::get_power;
    use crate::rules::testing::*;

    #[test]
    fn aid_slows_the_front_on_average() {
        let mut avg = [0.0; 2];
        for (k, aid) in [0u8, 3u8].into_iter().enumerate() {
            for seed in 0..40 {
                let mut world = world_of("2025-trade-war", seed);
                world.resource_mut::<UkraineWar>().us_aid = aid;
                let before = world.resource::<UkraineWar>().front;
                run_system(&mut world, advance_war);
                avg[k] += world.resource::<UkraineWar>().front - before;
            }
        }
        assert!(avg[0] > avg[1], "no aid {} vs full aid {}", avg[0], avg[1]);
    }

    #[test]
    fn war_costs_russia_and_aid_costs_the_us() {
        let mut world = test_world();
        let ru = get_power::<Finances>(&world, PowerId::Russia).treasury;
        let us = get_power::<Finances>(&world, PowerId::Us).treasury;
        run_system(&mut world, advance_war);
        assert!(get_power::<Finances>(&world, PowerId::Russia).treasury < ru);
        if world.resource::<UkraineWar>().us_aid > 0 {
            assert!(get_power::<Finances>(&world, PowerId::Us).treasury < us);
        }
    }

    #[test]
    fn deposits_change_hands_with_the_front() {
        let mut world = test_world();
        world.resource_mut::<UkraineWar>().front = 1.0;
        run_system(&mut world, follow_front);
        let mut q = world.query::<&Deposit>();
        let front: Vec<_> = q
            .iter(&world)
            .filter(|d| d.front_threshold.is_some())
            .collect();
        assert!(!front.is_empty(), "the level has deposits on the front");
        assert!(front.iter().all(|d| d.controller == Some(PowerId::Russia)));
        assert!((world.resource::<UkraineWar>().front_share - 1.0).abs() < 1e-9);
        world.resource_mut::<UkraineWar>().front = 0.0;
        run_system(&mut world, follow_front);
        let mut q = world.query::<&Deposit>();
        assert!(
            q.iter(&world)
                .filter(|d| d.front_threshold.is_some())
                .all(|d| d.controller.is_none())
        );
    }

    #[test]
    fn a_ceasefire_freezes_the_front() {
        let mut world = test_world();
        world.resource_mut::<UkraineWar>().status = WarStatus::Ceasefire;
        world.resource_mut::<UkraineWar>().intensity = 0.0;
        let before = world.resource::<UkraineWar>().front;
        run_system(&mut world, advance_war);
        let war = world.resource::<UkraineWar>();
        if war.status == WarStatus::Ceasefire {
            assert_eq!(war.front, before);
            assert_eq!(war.ceasefire_turns, 1);
        }
    }
}
