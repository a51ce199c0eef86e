//! Trade policy, one home: every change of a tariff, an export control,
//! sanctions or an extraterritorial rule goes through [`apply`], whether an
//! order, a deal term or an event card makes it. The change itself, the news,
//! the causes of price moves and the trust it costs are decided here once.

use bevy::prelude::*;

use super::components::OutsideSupplier;
use super::resources::*;
use super::types::*;

/// A change of trade policy.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyChange {
    Tariff {
        by: PowerId,
        on: PowerId,
        rate: f64,
    },
    /// Controls on a good to a power or to every outside buyer.
    ExportControl {
        by: PowerId,
        target: Origin,
        good: Good,
        level: ExportLevel,
    },
    /// Controls on a good to one outside buyer (its id).
    ExportControlOn {
        by: PowerId,
        buyer: String,
        good: Good,
        level: ExportLevel,
    },
    Sanctions {
        by: PowerId,
        on: PowerId,
        level: SanctionsLevel,
    },
    /// Controls that reach goods made abroad with `by`'s content.
    Extraterritorial {
        by: PowerId,
        on: bool,
    },
}

/// Who made the change: it decides what it costs and how the news reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Cause<'a> {
    /// A power's own order: raising a barrier costs the target's trust.
    Order,
    /// A term of an accepted deal (its id): agreed, so no trust is lost.
    Deal(u32),
    /// An event card (its title): the card states its own trust effects.
    Event(&'a str),
}

/// Trust a power loses with the target when it raises each kind of barrier
/// by its own order.
const TRUST_COST_TARIFF: f64 = 5.0;
const TRUST_COST_CONTROL: f64 = 8.0;
const TRUST_COST_SANCTIONS: f64 = 10.0;

fn short(p: PowerId) -> &'static str {
    match p {
        PowerId::Us => "US",
        PowerId::China => "China",
        PowerId::Russia => "Russia",
    }
}

fn target_name(t: Origin) -> &'static str {
    match t {
        Origin::Power(p) => p.name(),
        Origin::Outside => "every other country",
    }
}

fn target_short(t: Origin) -> &'static str {
    match t {
        Origin::Power(p) => short(p),
        Origin::Outside => "the world",
    }
}

/// Carry out a policy change with all its side effects.
pub fn apply(world: &mut World, change: &PolicyChange, cause: Cause) {
    let turn = world.resource::<TurnClock>().turn;
    let narrate = narrating(world);
    let why = match &cause {
        _ if !narrate => String::new(),
        Cause::Order => String::new(),
        Cause::Deal(id) => format!(" under deal #{id}"),
        Cause::Event(title) => format!(" ({title})"),
    };
    let by_order = cause == Cause::Order;
    match change {
        PolicyChange::Tariff { by, on, rate } => {
            let mut rel = world.resource_mut::<Relations>();
            let before = rel.tariff(*by, *on);
            rel.tariff[by.index()][on.index()] = *rate;
            if by_order && *rate > before {
                rel.add_trust(*by, *on, -TRUST_COST_TARIFF);
            }
            if !narrate {
                return;
            }
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Policy,
                format!(
                    "{by} sets its tariff on {on} to {:.0}% (was {:.0}%){why}.",
                    rate * 100.0,
                    before * 100.0
                ),
            );
            let mut causes = world.resource_mut::<TurnCauses>();
            for g in Good::ALL {
                causes.add(
                    g,
                    format!(
                        "{} tariff on {} now {:.0}%",
                        short(*by),
                        short(*on),
                        rate * 100.0
                    ),
                );
            }
        }
        PolicyChange::ExportControl {
            by,
            target,
            good,
            level,
        } => {
            let mut rel = world.resource_mut::<Relations>();
            let before = rel.export_control_to(*by, *target, *good);
            match target {
                Origin::Power(t) => rel.export_control[by.index()][t.index()][*good] = *level,
                Origin::Outside => rel.export_control_outside[by.index()][*good] = *level,
            }
            if by_order
                && *level > before
                && let Origin::Power(t) = target
            {
                rel.add_trust(*by, *t, -TRUST_COST_CONTROL);
            }
            control_news(
                world,
                *by,
                target_name(*target),
                target_short(*target),
                *good,
                before,
                *level,
                &why,
                turn,
            );
        }
        PolicyChange::ExportControlOn {
            by,
            buyer,
            good,
            level,
        } => {
            let index = world.resource::<EntityIndex>();
            let Some(e) = index.suppliers.get(buyer).copied() else {
                return;
            };
            let Some(mut o) = world.get_mut::<OutsideSupplier>(e) else {
                return;
            };
            let before = o.controls[by.index()][*good];
            o.controls[by.index()][*good] = *level;
            let name = o.name.clone();
            control_news(world, *by, &name, &name, *good, before, *level, &why, turn);
        }
        PolicyChange::Sanctions { by, on, level } => {
            let mut rel = world.resource_mut::<Relations>();
            let before = rel.sanctions(*by, *on);
            rel.sanctions[by.index()][on.index()] = *level;
            if by_order && *level > before {
                rel.add_trust(*by, *on, -TRUST_COST_SANCTIONS);
            }
            if !narrate {
                return;
            }
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Policy,
                format!(
                    "{by} sets sanctions on {on} to {} (was {}){why}.",
                    level.name(),
                    before.name()
                ),
            );
            let mut causes = world.resource_mut::<TurnCauses>();
            for g in Good::ALL {
                causes.add(
                    g,
                    format!(
                        "{} sanctions on {} {}",
                        short(*by),
                        short(*on),
                        level.name()
                    ),
                );
            }
        }
        PolicyChange::Extraterritorial { by, on } => {
            world.resource_mut::<Relations>().extraterritorial[by.index()] = *on;
            if !narrate {
                return;
            }
            let text = if *on {
                format!(
                    "{by}'s export controls now reach goods made abroad with {} rare earths, and re-exports through third countries are closed{why}.",
                    by.adjective()
                )
            } else {
                format!("{by} stops applying its export controls to goods made abroad{why}.")
            };
            world
                .resource_mut::<NewsLog>()
                .public(turn, NewsKind::Policy, text);
            let mut causes = world.resource_mut::<TurnCauses>();
            for g in Good::ALL {
                causes.add_toward(
                    g,
                    *on,
                    format!("{} rules on foreign goods with its content", by.adjective()),
                );
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn control_news(
    world: &mut World,
    by: PowerId,
    target: &str,
    target_short: &str,
    good: Good,
    before: ExportLevel,
    level: ExportLevel,
    why: &str,
    turn: u32,
) {
    // A card or order that sets the level already in force changes nothing
    // and is no news ("embargo (was embargo)").
    if level == before || !narrating(world) {
        return;
    }
    let what = match level {
        ExportLevel::Embargo => "embargo",
        ExportLevel::Licensing => "export licensing",
        ExportLevel::None => "lifted export controls",
    };
    world.resource_mut::<TurnCauses>().add_toward(
        good,
        level > before,
        format!("{} {what} on {target_short}", by.adjective()),
    );
    world.resource_mut::<NewsLog>().public(
        turn,
        NewsKind::Policy,
        format!(
            "{by} sets export controls on {good} to {target}: {} (was {}){why}.",
            level.name(),
            before.name()
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn an_order_costs_trust_but_a_deal_and_a_card_do_not() {
        for (cause, loses) in [
            (Cause::Order, true),
            (Cause::Deal(3), false),
            (Cause::Event("card"), false),
        ] {
            let mut world = test_world();
            let t0 = world
                .resource::<Relations>()
                .trust(PowerId::Us, PowerId::China);
            apply(
                &mut world,
                &PolicyChange::Tariff {
                    by: PowerId::Us,
                    on: PowerId::China,
                    rate: 1.0,
                },
                cause.clone(),
            );
            let t1 = world
                .resource::<Relations>()
                .trust(PowerId::Us, PowerId::China);
            assert_eq!(t1 < t0, loses, "{cause:?}");
            let news = &world.resource::<NewsLog>().items;
            assert!(
                news.iter()
                    .any(|n| n.text.contains("tariff on China to 100%")),
                "every path makes news: {cause:?}"
            );
            assert!(!world.resource::<TurnCauses>().causes[Good::Magnets].is_empty());
        }
    }
}
