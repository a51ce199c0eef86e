//! What a deal's term does to the viewer's own objectives over the rest of
//! the game, in points of final score (the mean of the turn scores, 0–100).
//! The computer players weigh deals with it: a term that moves none of their
//! objectives falls back to its plain worth in money (see `negotiation`).

use crate::level::schema::ObjectiveKind;
use crate::rules::deals::Term;
use crate::rules::scoring::{export_level_weight, sanctions_weight, tariffs_lifted_progress};
use crate::rules::types::*;
use crate::rules::view::PowerView;

/// Points of final score one US$ bn is worth to a computer player: about
/// what the treasury objectives pay for it over a typical rest of the game.
pub const POINTS_PER_BN: f64 = 3.0;

/// Points of score Russia's leaders would give up to fight on while the war
/// has not yet tired the country (weariness 0.35); none once it reaches 0.5.
const RESOLVE: f64 = 20.0;

/// Turns still to be scored, this one included.
fn turns_left(view: &PowerView) -> u32 {
    (view.max_turns + 1).saturating_sub(view.turn).max(1)
}

/// Weight in the final score of `turns` turns from now on.
fn share(view: &PowerView, turns: f64) -> f64 {
    turns.min(turns_left(view) as f64) / view.max_turns.max(1) as f64
}

/// How the war would go for the rest of the game: the mean progress, per
/// turn scored, of the objectives the war touches.
#[derive(Clone, Copy, Debug, Default)]
struct WarPath {
    war_ended: f64,
    territory: f64,
    stability: f64,
    /// Russia's war costs and America's aid, US$ bn in all.
    russia_cost: f64,
    us_aid_cost: f64,
}

#[derive(Clone, Copy, PartialEq)]
enum Course {
    FightOn,
    Ceasefire,
    Peace,
}

type Objectives = [crate::level::schema::ObjectiveSetup];

fn objective_target(
    objectives: &Objectives,
    pick: impl Fn(&ObjectiveKind) -> bool,
) -> Option<(f64, f64)> {
    objectives
        .iter()
        .find(|o| pick(&o.kind))
        .map(|o| (o.weight, o.target))
}

/// A power's objectives as the viewer knows them (its own, or the
/// briefing's for the others).
fn objectives_of(view: &PowerView, who: PowerId) -> Option<&Objectives> {
    if who == view.me.power.id {
        Some(&view.me.scorecard.objectives)
    } else {
        view.other(who).map(|o| &o.objectives[..])
    }
}

/// Expected course of the war over the turns left: the front's drift as the
/// rules move it on average, weariness, Russia's stability and a ceasefire's
/// chance of breaking down.
fn war_path(view: &PowerView, objectives: &Objectives, course: Course) -> WarPath {
    let p = &view.war_params;
    let w = &view.war;
    let left = turns_left(view);
    let (_, territory_target) =
        objective_target(objectives, |k| *k == ObjectiveKind::TerritoryHeld).unwrap_or((0.0, 0.45));
    let (_, war_target) =
        objective_target(objectives, |k| *k == ObjectiveKind::WarEnded).unwrap_or((0.0, 1.0));
    let (_, stability_target) =
        objective_target(objectives, |k| *k == ObjectiveKind::Stability).unwrap_or((0.0, 50.0));
    let mut front = w.front_share;
    let mut weariness = w.weariness;
    let mut stability = match view.other(PowerId::Russia) {
        Some(russia) => russia.stability,
        None => view.me.politics.stability,
    };
    // Chance the war is still stopped after each turn.
    let hold = 1.0 - (p.ceasefire_break * (0.5 + w.intensity)).min(0.9);
    let mut stopped = if course == Course::FightOn && w.status == WarStatus::Active {
        0.0
    } else {
        1.0
    };
    let lasting = course == Course::Peace || w.status == WarStatus::Peace;
    let level = if lasting { 1.0 } else { 0.7 };
    let support = if w.china_stance == ChinaStance::SupportRussia {
        0.004
    } else {
        0.0
    };
    let mut path = WarPath::default();
    for _ in 0..left {
        let fighting = 1.0 - stopped;
        let push = p.drift * w.intensity * (1.0 - 0.5 * weariness);
        let drift = push - p.aid_effect * w.us_aid as f64 + support;
        front = (front + fighting * drift).clamp(0.0, 1.0);
        weariness = (weariness + fighting * (p.weariness_rate * w.intensity - 0.01)
            - stopped * 0.03)
            .clamp(0.0, 1.0);
        stability = (stability - p.weariness_stability * weariness
            + if w.china_stance == ChinaStance::SupportRussia {
                1.0
            } else {
                0.0
            })
        .clamp(0.0, 100.0);
        let terms = if war_target <= 0.0 || front <= war_target {
            1.0
        } else {
            0.5
        };
        path.war_ended += stopped * level * terms;
        path.territory += (front / territory_target.max(1e-6)).min(1.0);
        path.stability += (stability / stability_target.max(1e-6)).min(1.0);
        path.russia_cost += fighting * p.war_cost * w.intensity;
        path.us_aid_cost += if lasting && stopped > 0.0 {
            0.0
        } else {
            p.aid_cost * w.us_aid as f64
        };
        if !lasting {
            stopped *= hold;
        }
    }
    let n = view.max_turns.max(1) as f64;
    path.war_ended /= n;
    path.territory /= n;
    path.stability /= n;
    path
}

/// Points of final score `term` is worth to the viewer through its own
/// objectives, with the reason, or `None` when it touches none of them.
pub fn objective_points(view: &PowerView, term: &Term) -> Option<(f64, Aim)> {
    objective_points_for(view, view.me.power.id, term)
}

/// The objective a term serves, put in words only when shown: deals are
/// weighed many times a turn (and in every rollout) for each one explained.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Aim {
    /// Nothing left to gain (the war is already over).
    Met,
    SanctionsLifted {
        by: PowerId,
        points: f64,
    },
    TariffCut {
        by: PowerId,
        rate: f64,
        points: f64,
    },
    ControlsEased {
        by: PowerId,
        good: Good,
        points: f64,
    },
    War {
        speaker: PowerId,
        peace: bool,
        points: f64,
    },
}

impl std::fmt::Display for Aim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Aim::Met => Ok(()),
            Aim::SanctionsLifted { by, points } => write!(
                f,
                "{by} lifts sanctions, the first of our aims ({points:.0} points)"
            ),
            Aim::TariffCut { by, rate, points } => write!(
                f,
                "{by} cuts its tariff on us to {:.0}% ({points:.0} points)",
                rate * 100.0
            ),
            Aim::ControlsEased { by, good, points } => {
                write!(f, "{by} eases its controls on {good} ({points:.0} points)")
            }
            Aim::War {
                speaker,
                peace,
                points,
            } => {
                let what = if peace { "peace" } else { "a ceasefire" };
                match (speaker, points >= 0.0) {
                    (PowerId::Russia, true) => write!(
                        f,
                        "{what} spares our economy and keeps what we hold ({points:.0} points)"
                    ),
                    (PowerId::Russia, false) => write!(
                        f,
                        "we can still win more on the battlefield than {what} gives us"
                    ),
                    (_, true) => {
                        write!(f, "{what} in Ukraine serves our aims ({points:.0} points)")
                    }
                    (_, false) => write!(f, "{what} on these lines leaves Ukraine too weak"),
                }
            }
        }
    }
}

/// [`objective_points`] for any power, by the objectives the viewer knows
/// it has: what a deal would hand a rival.
pub fn objective_points_for(view: &PowerView, me: PowerId, term: &Term) -> Option<(f64, Aim)> {
    let objectives = objectives_of(view, me)?;
    let find = |pick: &dyn Fn(&ObjectiveKind) -> bool| objective_target(objectives, pick);
    match term {
        Term::SanctionsRelief {
            by,
            on,
            level,
            turns,
        } if *on == me => {
            let (weight, _) = find(&|k| *k == ObjectiveKind::SanctionsRelief)?;
            let worst = |with: Option<SanctionsLevel>| {
                PowerId::ALL
                    .iter()
                    .filter(|p| **p != me)
                    .map(|p| {
                        let l = match with {
                            Some(l) if p == by => l,
                            _ => view.relations.sanctions[p.index()][me.index()],
                        };
                        sanctions_weight(l)
                    })
                    .fold(0.0, f64::max)
            };
            let gain = worst(None) - worst(Some(*level));
            let points = weight * gain * share(view, *turns as f64);
            Some((points, Aim::SanctionsLifted { by: *by, points }))
        }
        Term::TariffCut {
            by,
            on,
            rate,
            turns,
        } if *on == me => {
            let (weight, target) =
                find(&|k| matches!(k, ObjectiveKind::TariffsLifted { by: b } if b == by))?;
            let now = view.relations.tariff[by.index()][me.index()];
            let gain = tariffs_lifted_progress(rate.min(now), target)
                - tariffs_lifted_progress(now, target);
            let points = weight * gain * share(view, *turns as f64);
            Some((
                points,
                Aim::TariffCut {
                    by: *by,
                    rate: *rate,
                    points,
                },
            ))
        }
        Term::ExportControlRelief {
            by,
            target,
            good,
            level,
            turns,
        } if *target == me => {
            let (weight, _) =
                find(&|k| matches!(k, ObjectiveKind::ExportControlsLifted { by: b } if b == by))?;
            let before = view.relations.export_control[by.index()][me.index()][*good];
            let gain = (export_level_weight(before) - export_level_weight(*level)).max(0.0) / 4.0;
            let points = weight * gain * share(view, *turns as f64);
            Some((
                points,
                Aim::ControlsEased {
                    by: *by,
                    good: *good,
                    points,
                },
            ))
        }
        Term::Ceasefire | Term::Peace { .. } => {
            let course = if matches!(term, Term::Peace { .. }) {
                Course::Peace
            } else {
                Course::Ceasefire
            };
            if view.war.status == WarStatus::Peace
                || (course == Course::Ceasefire && view.war.status == WarStatus::Ceasefire)
            {
                return Some((0.0, Aim::Met));
            }
            let base = war_path(view, objectives, Course::FightOn);
            let after = war_path(view, objectives, course);
            let mut points = 0.0;
            let mut touched = false;
            for o in objectives.iter() {
                let d = match o.kind {
                    ObjectiveKind::WarEnded => after.war_ended - base.war_ended,
                    ObjectiveKind::TerritoryHeld => after.territory - base.territory,
                    ObjectiveKind::Stability if me == PowerId::Russia => {
                        after.stability - base.stability
                    }
                    _ => continue,
                };
                touched = true;
                points += o.weight * d;
            }
            // The money the war costs, or America's aid once peace ends it.
            let saved = match me {
                PowerId::Russia => base.russia_cost - after.russia_cost,
                PowerId::Us => base.us_aid_cost - after.us_aid_cost,
                PowerId::China => 0.0,
            };
            // Saved a little each turn, so on average for half the turns left.
            points += saved * POINTS_PER_BN * 0.5 * share(view, turns_left(view) as f64);
            if !touched {
                return None;
            }
            // Moscow's resolve: it stops only once the war has tired it,
            // whatever the score says. A preference, not points: only Russia
            // itself weighs it.
            if me == PowerId::Russia
                && me == view.me.power.id
                && view.war.status == WarStatus::Active
            {
                points -= RESOLVE * ((0.5 - view.war.weariness) / 0.15).clamp(0.0, 1.5);
            }
            Some((
                points,
                Aim::War {
                    speaker: me,
                    peace: course == Course::Peace,
                    points,
                },
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Game;

    fn view(p: PowerId) -> PowerView {
        let level = crate::level::bundled("classroom").unwrap();
        Game::new(&level, 3).view(p)
    }

    #[test]
    fn sanctions_relief_is_worth_its_objective_to_russia() {
        let v = view(PowerId::Russia);
        let (points, why) = objective_points(
            &v,
            &Term::SanctionsRelief {
                by: PowerId::Us,
                on: PowerId::Russia,
                level: SanctionsLevel::None,
                turns: 12,
            },
        )
        .unwrap();
        // Targeted to none: half the objective's 30 points, for the whole game.
        assert!((points - 15.0).abs() < 1e-9, "{points}");
        let why = why.to_string();
        assert!(why.contains("lifts sanctions"), "{why}");
    }

    #[test]
    fn peace_is_worth_more_to_the_us_than_a_ceasefire_that_may_break() {
        let v = view(PowerId::Us);
        let (cf, _) = objective_points(&v, &Term::Ceasefire).unwrap();
        let (peace, _) = objective_points(
            &v,
            &Term::Peace {
                security_guarantees: true,
            },
        )
        .unwrap();
        assert!(cf > 5.0, "{cf}");
        assert!(peace > cf + 3.0, "{peace} vs {cf}");
        // China has no war objective: the term is not about its aims.
        assert!(objective_points(&view(PowerId::China), &Term::Ceasefire).is_none());
    }

    #[test]
    fn a_tariff_cut_counts_for_china_only_down_to_its_target() {
        let v = view(PowerId::China);
        let cut = |rate| {
            objective_points(
                &v,
                &Term::TariffCut {
                    by: PowerId::Us,
                    on: PowerId::China,
                    rate,
                    turns: 12,
                },
            )
            .unwrap()
            .0
        };
        assert!(cut(0.2) > 0.0);
        assert!(cut(0.1) > cut(0.2));
        assert!((cut(0.0) - cut(0.1)).abs() < 1e-9);
    }
}
