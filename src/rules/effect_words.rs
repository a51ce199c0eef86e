//! What an event card's effect does, in words for the news: "Myanmar (Kachin)
//! supplies half its ore concentrate for 2 turns", "US tariff on China
//! 47% → 145%". Names come from the world (suppliers, places, facilities),
//! and the words are worked out before the effect applies, so they can say
//! what a policy was before.

use bevy::prelude::*;

use super::components::*;
use super::orders::get_power;
use super::params::Effect;
use super::resources::*;
use super::types::*;

fn signed(v: f64) -> String {
    if v >= 0.0 {
        format!("+{}", trim(v))
    } else {
        format!("−{}", trim(-v))
    }
}

/// A number without needless decimals: 5 for 5.0, 0.02 for 0.02.
fn trim(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn pct(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

fn factor_words(factor: f64) -> String {
    if factor == 0.0 {
        "cut off".into()
    } else if (factor - 0.5).abs() < 1e-9 {
        "halved".into()
    } else if factor < 1.0 {
        format!("down {:.0}%", (1.0 - factor) * 100.0)
    } else if (factor - 2.0).abs() < 1e-9 {
        "doubled".into()
    } else {
        format!("up {:.0}%", (factor - 1.0) * 100.0)
    }
}

fn turns(n: u32) -> String {
    if n == 1 {
        "1 turn".into()
    } else {
        format!("{n} turns")
    }
}

/// The name of a deposit or site, or its id when there is none.
fn place_name(world: &World, at: &str) -> String {
    super::orders::location(world, at).map_or_else(|| at.to_string(), |l| l.name)
}

fn short(p: PowerId) -> &'static str {
    match p {
        PowerId::Us => "US",
        PowerId::China => "China",
        PowerId::Russia => "Russia",
    }
}

/// One effect of a card, in words, as it would apply to `world` now.
pub fn describe_effect(world: &World, effect: &Effect) -> String {
    let rel = world.resource::<Relations>();
    match effect {
        Effect::Treasury(p, v) => format!("{} treasury {} bn", short(*p), money(*v)),
        Effect::Stability(p, v) => format!("{} stability {}", short(*p), signed(*v)),
        Effect::PoliticalCapital(p, v) => {
            format!("{} political capital {}", short(*p), signed(*v))
        }
        Effect::Trust(a, b, v) => format!("{}–{} trust {}", short(*a), short(*b), signed(*v)),
        Effect::Stockpile(p, g, v) => {
            if *v >= 0.0 {
                format!("{} kt of {} to {}", trim(*v), g.name(), short(*p))
            } else {
                let have = get_power::<Stockpile>(world, *p).qty[*g];
                format!(
                    "{} loses {} kt of {}",
                    short(*p),
                    trim((-v).min(have)),
                    g.name()
                )
            }
        }
        Effect::SetExportControl {
            by,
            target,
            good,
            level,
        } => {
            let before = rel.export_control(*by, *target, *good);
            format!(
                "{} export controls on {} for {}: {} → {}",
                short(*by),
                good.name(),
                short(*target),
                before.name(),
                level.name()
            )
        }
        Effect::SetTariff { by, on, rate } => format!(
            "{} tariff on {} {} → {}",
            short(*by),
            short(*on),
            pct(rel.tariff(*by, *on)),
            pct(*rate)
        ),
        Effect::SetSanctions { by, on, level } => format!(
            "{} sanctions on {}: {} → {}",
            short(*by),
            short(*on),
            rel.sanctions(*by, *on).name(),
            level.name()
        ),
        Effect::DamageAt { at, turns: n } => {
            let mut hit: Vec<String> = world
                .iter_entities()
                .filter_map(|e| e.get::<Facility>())
                .filter(|f| *f.at == **at && f.stage == Stage::Operating)
                .map(|f| f.name.to_string())
                .collect();
            hit.sort();
            if hit.is_empty() {
                format!("nothing operating at {} to damage", place_name(world, at))
            } else {
                format!(
                    "{} out of action for {}",
                    hit.join(", "),
                    turns((*n).max(1))
                )
            }
        }
        Effect::DamageLargest {
            owner,
            kind,
            turns: n,
        } => {
            // The same choice as the rule: largest capacity, ties by id.
            let best = world
                .iter_entities()
                .filter_map(|e| e.get::<Facility>())
                .filter(|f| f.owner == *owner && f.kind == *kind && f.stage == Stage::Operating)
                .max_by(|a, b| {
                    a.capacity
                        .total_cmp(&b.capacity)
                        .then_with(|| a.id.cmp(&b.id))
                });
            match best {
                Some(f) => format!("{} out of action for {}", f.name, turns((*n).max(1))),
                None => format!(
                    "{} has no operating {} to damage",
                    short(*owner),
                    kind.name()
                ),
            }
        }
        Effect::SupplyShock {
            supplier,
            good,
            factor,
            turns: n,
        } => {
            let name = world
                .iter_entities()
                .filter_map(|e| e.get::<OutsideSupplier>())
                .find(|s| *s.id == **supplier)
                .map_or_else(|| supplier.clone(), |s| s.name.to_string());
            format!(
                "{name}'s supply of {} {} for {}",
                good.name(),
                factor_words(*factor),
                turns(*n)
            )
        }
        Effect::DemandShock {
            good,
            factor,
            turns: n,
        } => format!(
            "outside demand for {} {} for {}",
            good.name(),
            factor_words(*factor),
            turns(*n)
        ),
        Effect::FrontShift(v) => format!(
            "the front moves {} points toward {}",
            trim(v.abs() * 100.0),
            if *v >= 0.0 { "Russia" } else { "Ukraine" }
        ),
        Effect::WarIntensity(v) => format!("war intensity {} points", signed(v * 100.0)),
        Effect::Ceasefire => "a ceasefire in Ukraine".into(),
        Effect::WarResumes => "fighting resumes in Ukraine".into(),
        Effect::NeedFactor(g, f) => format!("industry needs for {} {}", g.name(), factor_words(*f)),
        Effect::OpenTo { at, power } => {
            format!(
                "{} opened to {} investment",
                place_name(world, at),
                short(*power)
            )
        }
        Effect::SetExportControlOutside { by, good, level } => format!(
            "{} export controls on {} for the rest of the world: {} → {}",
            short(*by),
            good.name(),
            rel.export_control_outside[by.index()][*good].name(),
            level.name()
        ),
        Effect::SetExportControlOn {
            by,
            buyer,
            good,
            level,
        } => {
            let supplier = world
                .resource::<EntityIndex>()
                .suppliers
                .get(buyer)
                .and_then(|e| world.get::<OutsideSupplier>(*e));
            match supplier {
                Some(o) => format!(
                    "{} export controls on {} for {}: {} → {}",
                    short(*by),
                    good.name(),
                    o.name,
                    o.controls[by.index()][*good].name(),
                    level.name()
                ),
                None => format!("no buyer called {buyer}: nothing changes"),
            }
        }
        Effect::Extraterritorial { by, on } => {
            if *on {
                format!(
                    "{}'s controls now reach goods made abroad with its content and close re-export",
                    short(*by)
                )
            } else {
                format!("{} suspends the reach of its controls abroad", short(*by))
            }
        }
    }
}

fn money(v: f64) -> String {
    if v >= 0.0 {
        format!("+${}", trim(v))
    } else {
        format!("−${}", trim(-v))
    }
}

/// All of a card's effects in words, joined: "a; b; c".
pub fn describe_effects(world: &World, effects: &[Effect]) -> String {
    effects
        .iter()
        .map(|e| describe_effect(world, e))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn effects_are_named_from_the_world() {
        let world = test_world();
        let us_china = world
            .resource::<Relations>()
            .tariff(PowerId::Us, PowerId::China);
        assert_eq!(
            describe_effect(
                &world,
                &Effect::SetTariff {
                    by: PowerId::Us,
                    on: PowerId::China,
                    rate: 1.45
                }
            ),
            format!("US tariff on China {} → 145%", pct(us_china))
        );
        assert_eq!(
            describe_effect(
                &world,
                &Effect::Stockpile(PowerId::Us, Good::HeavyOxides, 0.02)
            ),
            "0.02 kt of Dy/Tb oxide to US"
        );
        assert_eq!(
            describe_effect(&world, &Effect::Trust(PowerId::Us, PowerId::Russia, 5.0)),
            "US–Russia trust +5"
        );
        let supplier = world
            .iter_entities()
            .filter_map(|e| e.get::<OutsideSupplier>())
            .next()
            .map(|s| (s.id.to_string(), s.name.to_string()))
            .unwrap();
        let words = describe_effect(
            &world,
            &Effect::SupplyShock {
                supplier: supplier.0,
                good: Good::Concentrate,
                factor: 0.5,
                turns: 2,
            },
        );
        assert_eq!(
            words,
            format!(
                "{}'s supply of ore concentrate halved for 2 turns",
                supplier.1
            )
        );
    }
}
