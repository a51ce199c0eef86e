//! Phase 2, events: draw cards from the level's deck with the seeded RNG and
//! apply their effects.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::orders::{get_power, power_entity};
use super::params::{Condition, Effect, EventCard};
use super::policy::{self, Cause, PolicyChange};
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(super::TurnSchedule, draw_events.in_set(TurnPhase::Events));
}

/// A repeatable card rests this many turns after it fires.
const REPEAT_COOLDOWN: u32 = 4;

/// Quarters from now until a dated card's real date (positive: not yet).
pub fn quarters_until_date(clock: &TurnClock, card: &EventCard) -> i64 {
    match card.date {
        Some(date) => {
            let (year, quarter) = turn_quarter(clock.start_year, clock.start_quarter, clock.turn);
            date.quarters_until(year, quarter)
        }
        None => 0,
    }
}

/// Exclusive: a card's conditions may read any part of the world, and its
/// effects go through the policy, facility and finance rules that take the
/// whole world (the same code orders and deal terms use); cards fire one by
/// one, each seeing the effects of the one before, and the dice are drawn in
/// deck order.
pub(crate) fn draw_events(world: &mut World) {
    let clock = world.resource::<TurnClock>().clone();
    let turn = clock.turn;
    let deck = world.resource::<EventDeck>();
    let random_on = world.resource::<GameOptions>().events;
    let mut fired: Vec<usize> = Vec::new();
    // Cards a teacher injected fire first, in the order given; a card about a
    // real event never fires before its date.
    for id in &deck.injected {
        if let Some(i) = deck.cards.iter().position(|c| &c.id == id)
            && quarters_until_date(&clock, &deck.cards[i]) <= 0
        {
            fired.push(i);
        }
    }
    let count = deck.cards.len();
    let injected_count = fired.len();
    let injected = std::mem::take(&mut world.resource_mut::<EventDeck>().injected);
    world.resource_mut::<OrderLog>().injected_now = injected;
    if random_on {
        // Deck order is the level's order: stable, so draws are reproducible.
        for i in 0..count {
            if fired.contains(&i) {
                continue;
            }
            let deck = world.resource::<EventDeck>();
            let card = &deck.cards[i];
            let last = deck
                .drawn
                .iter()
                .filter(|(d, _)| *d == card.id)
                .map(|(_, t)| *t)
                .max();
            let available = match last {
                None => true,
                Some(t) => card.repeatable && turn >= t + REPEAT_COOLDOWN,
            };
            if !available
                || quarters_until_date(&clock, card) > 0
                || !card.conditions.iter().all(|c| condition_holds(world, c))
            {
                continue;
            }
            let p = card.probability;
            // A card of probability 0 is the teacher's: it fires only when
            // injected, and draws no dice (so it changes no other draw).
            if p > 0.0 && world.resource_mut::<RulesRng>().chance(p) {
                fired.push(i);
            }
        }
    }
    let by_teacher: Vec<usize> = fired.iter().copied().take(injected_count).collect();
    for i in fired {
        let card: EventCard = world.resource::<EventDeck>().cards[i].clone();
        world
            .resource_mut::<EventDeck>()
            .drawn
            .push((card.id.clone(), turn));
        // What the card does, in words, before it is done (so a policy's
        // old level can be named).
        if narrating(world) {
            // A real event that comes later in the game than in history says so.
            let title = match card.date {
                Some(date) if quarters_until_date(&clock, &card) < 0 => {
                    format!("{} (since {})", card.title, date.words())
                }
                _ => card.title.clone(),
            };
            let did = super::effect_words::describe_effects(world, &card.effects);
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Event,
                if by_teacher.contains(&i) {
                    format!(
                        "{title}: {} Effects: {did}. (Fired by the teacher.)",
                        card.text
                    )
                } else {
                    format!("{title}: {} Effects: {did}.", card.text)
                },
            );
        }
        for effect in &card.effects {
            apply_effect(world, effect, &card.title);
        }
    }
}

/// Does a card's condition hold now?
pub fn condition_holds(world: &World, c: &Condition) -> bool {
    let turn = world.resource::<TurnClock>().turn;
    let war = world.resource::<UkraineWar>();
    let rel = world.resource::<Relations>();
    let rules = world.resource::<GameRules>();
    let market = world.resource::<Market>();
    match c {
        Condition::TurnAtLeast(t) => turn >= *t,
        Condition::TurnAtMost(t) => turn <= *t,
        Condition::War(s) => war.status == *s,
        Condition::FrontAtLeast(v) => war.front_share >= *v,
        Condition::FrontAtMost(v) => war.front_share <= *v,
        Condition::PriceAbove(g, m) => market.price[*g] >= rules.base_price[*g] * m,
        Condition::PriceBelow(g, m) => market.price[*g] <= rules.base_price[*g] * m,
        Condition::ExportControlAtLeast {
            by,
            target,
            good,
            level,
        } => rel.export_control(*by, *target, *good) >= *level,
        Condition::TariffAtLeast { by, on, rate } => rel.tariff(*by, *on) >= *rate,
        Condition::SanctionsAtLeast { by, on, level } => rel.sanctions(*by, *on) >= *level,
        Condition::StabilityBelow(p, v) => get_power::<Politics>(world, *p).stability < *v,
        Condition::TreasuryBelow(p, v) => get_power::<Finances>(world, *p).treasury < *v,
        Condition::TrustAtLeast(a, b, v) => rel.trust(*a, *b) >= *v,
        Condition::TrustBelow(a, b, v) => rel.trust(*a, *b) < *v,
        Condition::EventHappened(id) => world.resource::<EventDeck>().happened(id),
        Condition::EventNotHappened(id) => !world.resource::<EventDeck>().happened(id),
    }
}

/// Apply one effect of a card. `why` names the card in the news.
pub fn apply_effect(world: &mut World, effect: &Effect, why: &str) {
    let turn = world.resource::<TurnClock>().turn;
    match effect {
        Effect::Treasury(p, v) => {
            let e = power_entity(world, *p);
            let mut f = world.get_mut::<Finances>(e).expect("power");
            f.treasury += v;
            f.ledger.events += v;
        }
        Effect::Stability(p, v) => {
            let e = power_entity(world, *p);
            let mut pol = world.get_mut::<Politics>(e).expect("power");
            pol.stability = (pol.stability + v).clamp(0.0, 100.0);
        }
        Effect::PoliticalCapital(p, v) => {
            let e = power_entity(world, *p);
            let mut pol = world.get_mut::<Politics>(e).expect("power");
            pol.political_capital = (pol.political_capital + v).clamp(0.0, 100.0);
        }
        Effect::Trust(a, b, v) => world.resource_mut::<Relations>().add_trust(*a, *b, *v),
        Effect::Stockpile(p, g, v) => {
            let e = power_entity(world, *p);
            let mut s = world.get_mut::<Stockpile>(e).expect("power");
            if *v >= 0.0 {
                let mix = OriginMix::pure(Origin::Power(*p));
                s.add(*g, *v, &mix);
            } else {
                s.take(*g, -v);
            }
        }
        Effect::SetExportControl {
            by,
            target,
            good,
            level,
        } => policy::apply(
            world,
            &PolicyChange::ExportControl {
                by: *by,
                target: Origin::Power(*target),
                good: *good,
                level: *level,
            },
            Cause::Event(why),
        ),
        Effect::SetTariff { by, on, rate } => policy::apply(
            world,
            &PolicyChange::Tariff {
                by: *by,
                on: *on,
                rate: *rate,
            },
            Cause::Event(why),
        ),
        Effect::SetSanctions { by, on, level } => policy::apply(
            world,
            &PolicyChange::Sanctions {
                by: *by,
                on: *on,
                level: *level,
            },
            Cause::Event(why),
        ),
        Effect::DamageAt { at, turns } => {
            let mut q = world.query::<&mut Facility>();
            let mut hit = Vec::new();
            for mut f in q.iter_mut(world) {
                if *f.at == **at && f.stage == Stage::Operating {
                    f.stage = Stage::Damaged;
                    f.turns_left = (*turns).max(1);
                    hit.push((f.name.clone(), f.kind.output()));
                }
            }
            hit.sort();
            for (name, good) in hit {
                world
                    .resource_mut::<TurnCauses>()
                    .add_up(good, format!("{name} damaged ({why})"));
            }
        }
        Effect::DamageLargest { owner, kind, turns } => {
            let mut q = world.query::<&mut Facility>();
            let mut best: Option<Mut<Facility>> = None;
            for f in q.iter_mut(world) {
                if f.owner == *owner && f.kind == *kind && f.stage == Stage::Operating {
                    let better = match &best {
                        None => true,
                        // Ties broken by id so the choice is stable.
                        Some(b) => (f.capacity, &f.id) > (b.capacity, &b.id),
                    };
                    if better {
                        best = Some(f);
                    }
                }
            }
            if let Some(mut f) = best {
                f.stage = Stage::Damaged;
                f.turns_left = (*turns).max(1);
                let (name, good) = (f.name.clone(), f.kind.output());
                world
                    .resource_mut::<TurnCauses>()
                    .add_up(good, format!("{name} damaged ({why})"));
            }
        }
        Effect::SupplyShock {
            supplier,
            good,
            factor,
            turns,
        } => {
            let e = world
                .resource::<EntityIndex>()
                .suppliers
                .get(supplier)
                .copied();
            if let Some(e) = e
                && let Some(mut s) = world.get_mut::<OutsideSupplier>(e)
            {
                s.shocks.push((*good, *factor, *turns));
                let name = s.name.clone();
                let text = format!("{name} supply shock ({why})");
                world
                    .resource_mut::<TurnCauses>()
                    .add_toward(*good, *factor < 1.0, text);
            }
        }
        Effect::DemandShock {
            good,
            factor,
            turns,
        } => {
            world
                .resource_mut::<Market>()
                .demand_shocks
                .push((*good, *factor, *turns));
            let text = format!("demand shock ({why})");
            world
                .resource_mut::<TurnCauses>()
                .add_toward(*good, *factor > 1.0, text);
        }
        Effect::FrontShift(v) => {
            let mut war = world.resource_mut::<UkraineWar>();
            war.front = (war.front + v).clamp(0.0, 1.0);
            super::war::deposits_follow_front(world);
        }
        Effect::WarIntensity(v) => {
            let mut war = world.resource_mut::<UkraineWar>();
            war.intensity = (war.intensity + v).clamp(0.0, 1.0);
        }
        Effect::Ceasefire => {
            if world.resource::<UkraineWar>().status == WarStatus::Active {
                let news = format!("A ceasefire takes hold in Ukraine ({why}).");
                super::orders::war_orders::begin_ceasefire(world, turn, news);
            }
        }
        Effect::WarResumes => {
            let mut war = world.resource_mut::<UkraineWar>();
            if war.status == WarStatus::Ceasefire {
                war.status = WarStatus::Active;
                war.ceasefire_turns = 0;
                world.resource_mut::<NewsLog>().public(
                    turn,
                    NewsKind::War,
                    format!("The ceasefire in Ukraine collapses ({why})."),
                );
            }
        }
        Effect::OpenTo { at, power } => {
            let index = world.resource::<EntityIndex>();
            let (d, site) = (
                index.deposits.get(at).copied(),
                index.sites.get(at).copied(),
            );
            if let Some(e) = d
                && let Some(mut dep) = world.get_mut::<Deposit>(e)
                && !dep.open_to.contains(power)
            {
                dep.open_to.push(*power);
                dep.open_to.sort();
            }
            if let Some(e) = site
                && let Some(mut s) = world.get_mut::<Site>(e)
                && !s.open_to.contains(power)
            {
                s.open_to.push(*power);
                s.open_to.sort();
            }
        }
        Effect::SetExportControlOutside { by, good, level } => policy::apply(
            world,
            &PolicyChange::ExportControl {
                by: *by,
                target: Origin::Outside,
                good: *good,
                level: *level,
            },
            Cause::Event(why),
        ),
        Effect::SetExportControlOn {
            by,
            buyer,
            good,
            level,
        } => policy::apply(
            world,
            &PolicyChange::ExportControlOn {
                by: *by,
                buyer: buyer.clone(),
                good: *good,
                level: *level,
            },
            Cause::Event(why),
        ),
        Effect::Extraterritorial { by, on } => policy::apply(
            world,
            &PolicyChange::Extraterritorial { by: *by, on: *on },
            Cause::Event(why),
        ),
        Effect::NeedFactor(g, factor) => {
            let mut q = world.query::<&mut Industry>();
            for mut ind in q.iter_mut(world) {
                ind.need[*g] *= factor;
            }
            let text = format!("industry demand changes ({why})");
            world
                .resource_mut::<TurnCauses>()
                .add_toward(*g, *factor > 1.0, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::params::EventCard;
    use crate::rules::testing::*;
    use std::sync::Arc;

    fn card(id: &str, p: f64, conditions: Vec<Condition>, effects: Vec<Effect>) -> EventCard {
        EventCard {
            id: id.into(),
            title: id.into(),
            text: "test".into(),
            conditions,
            date: None,
            probability: p,
            repeatable: false,
            effects,
            sources: vec![],
        }
    }

    #[test]
    fn a_dated_card_waits_for_its_date_and_says_when_it_is_late() {
        let mut world = test_world();
        // The test level starts in Q1 2025: a card dated May 2025 (Q2).
        let mut c = card(
            "lynas",
            1.0,
            vec![],
            vec![Effect::Treasury(PowerId::Us, 1.0)],
        );
        c.date = Some(MonthDate::parse("2025-05").unwrap());
        world.resource_mut::<EventDeck>().cards = Arc::new(vec![c.clone()]);
        world
            .resource_mut::<EventDeck>()
            .injected
            .push("lynas".into());
        run_system(&mut world, draw_events);
        assert!(
            !world.resource::<EventDeck>().happened("lynas"),
            "neither chance nor a teacher fires it before May 2025"
        );
        // Q3 2025: late, so the news says since when.
        world.resource_mut::<TurnClock>().turn = 3;
        run_system(&mut world, draw_events);
        assert!(world.resource::<EventDeck>().happened("lynas"));
        let news = &world.resource::<NewsLog>().items;
        assert!(
            news.iter()
                .any(|n| n.text.starts_with("lynas (since May 2025):")),
            "{news:?}"
        );
        // On its own quarter it reads as news of the day.
        let mut world = test_world();
        world.resource_mut::<EventDeck>().cards = Arc::new(vec![c]);
        world.resource_mut::<TurnClock>().turn = 2;
        run_system(&mut world, draw_events);
        let news = &world.resource::<NewsLog>().items;
        assert!(
            news.iter().any(|n| n.text.starts_with("lynas: ")),
            "{news:?}"
        );
    }

    #[test]
    fn certain_card_fires_once_and_applies_effects() {
        let mut world = test_world();
        world.resource_mut::<EventDeck>().cards = Arc::new(vec![card(
            "embargo",
            1.0,
            vec![Condition::TurnAtLeast(1)],
            vec![Effect::SetExportControl {
                by: PowerId::China,
                target: PowerId::Us,
                good: Good::HeavyOxides,
                level: ExportLevel::Embargo,
            }],
        )]);
        run_system(&mut world, draw_events);
        let rel = world.resource::<Relations>();
        assert_eq!(
            rel.export_control(PowerId::China, PowerId::Us, Good::HeavyOxides),
            ExportLevel::Embargo
        );
        assert!(world.resource::<EventDeck>().happened("embargo"));
        let news = &world.resource::<NewsLog>().items;
        assert!(
            news.iter().any(|n| n
                .text
                .contains("Effects: China export controls on Dy/Tb oxide for US: ")
                && n.text.ends_with(" → embargo.")),
            "{news:?}"
        );
        run_system(&mut world, draw_events);
        assert_eq!(
            world.resource::<EventDeck>().drawn.len(),
            1,
            "not repeatable"
        );
    }

    #[test]
    fn unmet_condition_blocks_and_injection_overrides() {
        let mut world = test_world();
        world.resource_mut::<EventDeck>().cards = Arc::new(vec![card(
            "late",
            1.0,
            vec![Condition::TurnAtLeast(40)],
            vec![Effect::Treasury(PowerId::Russia, 1.0)],
        )]);
        run_system(&mut world, draw_events);
        assert!(!world.resource::<EventDeck>().happened("late"));
        world
            .resource_mut::<EventDeck>()
            .injected
            .push("late".into());
        let before = get_power::<Finances>(&world, PowerId::Russia).treasury;
        run_system(&mut world, draw_events);
        let after = get_power::<Finances>(&world, PowerId::Russia).treasury;
        assert!((after - before - 1.0).abs() < 1e-12);
    }

    #[test]
    fn supply_shocks_expire() {
        let mut world = test_world();
        let id = world
            .resource::<EntityIndex>()
            .suppliers
            .keys()
            .next()
            .cloned()
            .expect("a supplier");
        apply_effect(
            &mut world,
            &Effect::SupplyShock {
                supplier: id.clone(),
                good: Good::Concentrate,
                factor: 0.5,
                turns: 1,
            },
            "test",
        );
        let e = world.resource::<EntityIndex>().suppliers[&id];
        assert_eq!(
            world
                .get::<OutsideSupplier>(e)
                .unwrap()
                .shock_factor(Good::Concentrate),
            0.5
        );
        world.resource_mut::<EventDeck>().cards = Arc::default();
        run_system(&mut world, crate::rules::shocks::wear_off_shocks);
        run_system(&mut world, draw_events);
        assert_eq!(
            world
                .get::<OutsideSupplier>(e)
                .unwrap()
                .shock_factor(Good::Concentrate),
            1.0
        );
    }
}

#[cfg(test)]
mod open_tests {
    use super::*;
    use crate::rules::orders::{Order, submit};
    use crate::rules::testing::*;

    #[test]
    fn an_agreement_card_opens_a_deposit_to_investment() {
        let mut world = test_world();
        let order = Order::FundFacility {
            at: "shevchenko".into(),
            kind: FacilityKind::Mine,
            capacity: 0.1,
        };
        // Closed at the start of the full level: the US–Ukraine card opens it.
        let before = submit(&mut world, PowerId::Us, order.clone());
        assert!(before.is_err(), "{before:?}");
        apply_effect(
            &mut world,
            &Effect::OpenTo {
                at: "shevchenko".into(),
                power: PowerId::Us,
            },
            "test",
        );
        submit(&mut world, PowerId::Us, order).expect("open to the US now");
    }

    #[test]
    fn trust_conditions_read_relations() {
        let mut world = test_world();
        world.resource_mut::<Relations>().trust[0][2] = 10.0;
        assert!(condition_holds(
            &world,
            &Condition::TrustBelow(PowerId::Us, PowerId::Russia, 20.0)
        ));
        assert!(!condition_holds(
            &world,
            &Condition::TrustAtLeast(PowerId::Us, PowerId::Russia, 20.0)
        ));
    }
}
