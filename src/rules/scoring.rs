//! Phase 11, scoring: progress on each objective, the turn's score,
//! eliminations, decisive victory and the end of the game.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::params::ObjectiveKind;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(super::TurnSchedule, score_turn.in_set(TurnPhase::Scoring));
}

/// How much an export-control level counts against the target's objective.
pub(crate) fn export_level_weight(l: ExportLevel) -> f64 {
    match l {
        ExportLevel::None => 0.0,
        ExportLevel::Licensing => 0.5,
        ExportLevel::Embargo => 1.0,
    }
}

/// How much a sanctions level counts against the target's objective.
pub(crate) fn sanctions_weight(l: SanctionsLevel) -> f64 {
    match l {
        SanctionsLevel::None => 0.0,
        SanctionsLevel::Targeted => 0.5,
        SanctionsLevel::Full => 1.0,
    }
}

/// Progress of a tariffs-lifted objective with the tariff at `rate`.
pub(crate) fn tariffs_lifted_progress(rate: f64, target: f64) -> f64 {
    if rate <= target + 1e-9 {
        1.0
    } else if target > 0.0 {
        target / rate
    } else {
        (1.0 - rate).max(0.0)
    }
}

/// Everything objectives read besides the power's own components.
pub struct ScoringContext<'a> {
    pub relations: &'a Relations,
    pub war: &'a UkraineWar,
    pub production: &'a Production,
    pub trade: &'a TradeLog,
}

/// Progress 0..1 of one objective for `me`.
pub fn objective_progress(
    kind: &ObjectiveKind,
    target: f64,
    me: PowerId,
    ctx: &ScoringContext,
    industry: &Industry,
    finances: &Finances,
    politics: &Politics,
    export_revenue: f64,
) -> f64 {
    let ratio = |v: f64| {
        if target > 0.0 {
            (v / target).clamp(0.0, 1.0)
        } else {
            1.0
        }
    };
    let mine = Origin::Power(me);
    let p = match kind {
        ObjectiveKind::SupplySecurity => ratio(industry.supply_security),
        ObjectiveKind::IndustryNeedsMet => ratio(industry.needs_met),
        ObjectiveKind::Treasury => ratio(finances.treasury),
        ObjectiveKind::ExportControlsLifted { by } => {
            let total: f64 = Good::ALL
                .iter()
                .map(|g| export_level_weight(ctx.relations.export_control(*by, me, *g)))
                .sum();
            1.0 - total / 4.0
        }
        ObjectiveKind::TariffsLifted { by } => {
            tariffs_lifted_progress(ctx.relations.tariff(*by, me), target)
        }
        ObjectiveKind::WarEnded => {
            let status = match ctx.war.status {
                WarStatus::Peace => 1.0,
                WarStatus::Ceasefire => 0.7,
                WarStatus::Active => 0.0,
            };
            let terms = if target <= 0.0 || ctx.war.front_share <= target {
                1.0
            } else {
                0.5
            };
            status * terms
        }
        ObjectiveKind::SeparationShare => ratio(Production::share(&ctx.production.separated, mine)),
        ObjectiveKind::MagnetShare => ratio(Production::share(&ctx.production.magnets, mine)),
        ObjectiveKind::MiningShare => ratio(Production::share(&ctx.production.mined, mine)),
        ObjectiveKind::InfluenceOverRussia => {
            let (mut to_china, mut all) = (0.0, 0.0);
            for f in &ctx.trade.flows {
                if f.seller == Origin::Power(PowerId::Russia) {
                    let v = f.qty * f.price;
                    all += v;
                    if f.buyer == Origin::Power(PowerId::China) {
                        to_china += v;
                    }
                }
            }
            let share = if all > 0.0 { to_china / all } else { 0.0 };
            let support = if ctx.war.china_stance == ChinaStance::SupportRussia {
                0.2
            } else {
                0.0
            };
            ratio(share + support)
        }
        ObjectiveKind::SanctionsRelief => {
            let worst = PowerId::ALL
                .iter()
                .filter(|p| **p != me)
                .map(|p| sanctions_weight(ctx.relations.sanctions(*p, me)))
                .fold(0.0, f64::max);
            1.0 - worst
        }
        ObjectiveKind::TerritoryHeld => ratio(ctx.war.front_share),
        ObjectiveKind::ExportRevenue => ratio(export_revenue),
        ObjectiveKind::Stability => ratio(politics.stability),
    };
    p.clamp(0.0, 1.0)
}

pub(crate) fn score_turn(
    rules: Res<GameRules>,
    clock: Res<TurnClock>,
    relations: Res<Relations>,
    war: Res<UkraineWar>,
    production: Res<Production>,
    trade: Res<TradeLog>,
    mut outcome: ResMut<GameOutcome>,
    mut news: ResMut<NewsLog>,
    mut powers: Query<(&mut Power, &mut Scorecard, &Industry, &Finances, &Politics)>,
) {
    let params = &rules.params;
    let turn = clock.turn;
    let ctx = ScoringContext {
        relations: &relations,
        war: &war,
        production: &production,
        trade: &trade,
    };
    let mut list: Vec<_> = powers.iter_mut().collect();
    list.sort_by_key(|(p, ..)| p.id);
    for (power, card, industry, finances, politics) in list.iter_mut() {
        if power.eliminated {
            continue;
        }
        let me = power.id;
        // Export revenue: what this power sold this turn (market and contracts).
        let revenue: f64 = trade
            .flows
            .iter()
            .filter(|f| f.seller == Origin::Power(me))
            .map(|f| f.qty * f.price / 1000.0)
            .sum();
        card.export_revenue.rotate_right(1);
        card.export_revenue[0] = revenue;
        let recent: f64 = card.export_revenue.iter().sum();
        let objectives = card.objectives.clone();
        let progress: Vec<f64> = objectives
            .iter()
            .map(|o| {
                objective_progress(
                    &o.kind, o.target, me, &ctx, industry, finances, politics, recent,
                )
            })
            .collect();
        card.progress = progress;
        let mut turn_score: f64 = objectives
            .iter()
            .zip(&card.progress)
            .map(|(o, p)| o.weight * p)
            .sum();
        // Defence needs heavy rare earths: going without costs score.
        turn_score -= 10.0 * (1.0 - industry.met[Good::HeavyOxides]);
        card.accumulated += turn_score.max(0.0);
        card.turns_scored += 1;
        if card.mean_progress() >= params.decisive_progress {
            card.decisive_streak += 1;
        } else {
            card.decisive_streak = 0;
        }

        let bankrupt = finances.treasury < -finances.debt_limit;
        let collapsed = politics.stability <= params.collapse_stability;
        if bankrupt || collapsed {
            power.eliminated = true;
            let why = if bankrupt {
                format!(
                    "its treasury is ${:.1} bn in debt, past its limit",
                    -finances.treasury
                )
            } else {
                format!("its stability fell to {:.0}", politics.stability)
            };
            news.public(
                turn,
                NewsKind::Score,
                format!("{me} is out of the game: {why}."),
            );
        }
    }
    if outcome.over {
        return;
    }
    let standing: Vec<PowerId> = list
        .iter()
        .filter(|(p, ..)| !p.eliminated)
        .map(|(p, ..)| p.id)
        .collect();
    let best_score = |candidates: &[PowerId]| -> Option<PowerId> {
        // Highest score wins; ties go to the earlier power in the fixed order.
        let mut best: Option<(PowerId, f64)> = None;
        for (p, card, ..) in list.iter() {
            if !candidates.contains(&p.id) {
                continue;
            }
            let s = card.score();
            if best.is_none_or(|(_, b)| s > b + 1e-12) {
                best = Some((p.id, s));
            }
        }
        best.map(|(p, _)| p)
    };
    if standing.len() <= 1 {
        outcome.over = true;
        outcome.winner = standing.first().copied();
        outcome.reason = standing.first().map(|p| EndReason::LastStanding(*p));
        outcome.explanation = match standing.first() {
            Some(p) => format!("{p} is the last power standing."),
            None => "Every power collapsed: nobody wins.".to_string(),
        };
    } else if turn >= params.decisive_min_turn {
        let decisive: Vec<PowerId> = list
            .iter()
            .filter(|(p, c, ..)| !p.eliminated && c.decisive_streak >= params.decisive_turns)
            .map(|(p, ..)| p.id)
            .collect();
        if let Some(w) = best_score(&decisive) {
            outcome.over = true;
            outcome.winner = Some(w);
            outcome.reason = Some(EndReason::Decisive(w));
            outcome.explanation = format!(
                "{w} met its objectives for {} turns in a row: a decisive victory.",
                params.decisive_turns
            );
        }
    }
    if !outcome.over && turn >= clock.max_turns {
        let w = best_score(&standing);
        outcome.over = true;
        outcome.winner = w;
        outcome.reason = Some(EndReason::TurnLimit);
        let mut ranking: Vec<(PowerId, f64)> = list
            .iter()
            .filter(|(p, ..)| !p.eliminated)
            .map(|(p, c, ..)| (p.id, c.score()))
            .collect();
        ranking.sort_by(|a, b| b.1.total_cmp(&a.1));
        let table = ranking
            .iter()
            .map(|(p, s)| format!("{p} {s:.1}"))
            .collect::<Vec<_>>()
            .join(", ");
        outcome.explanation = match w {
            Some(w) => format!("The turn limit is reached. {w} has the best score ({table})."),
            None => "The turn limit is reached with no power standing.".to_string(),
        };
    }
    if outcome.over {
        news.public(turn, NewsKind::Score, outcome.explanation.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::orders::get_power;
    use crate::rules::testing::*;

    #[test]
    fn scores_accumulate_and_stay_in_range() {
        let mut world = test_world();
        run_system(&mut world, score_turn);
        for p in PowerId::ALL {
            let c = get_power::<Scorecard>(&world, p);
            assert_eq!(c.turns_scored, 1);
            assert!((0.0..=100.0).contains(&c.score()), "{p} {}", c.score());
            assert!(c.progress.iter().all(|v| (0.0..=1.0).contains(v)));
        }
    }

    #[test]
    fn bankruptcy_eliminates_and_last_power_wins() {
        let mut world = test_world();
        for p in [PowerId::Us, PowerId::Russia] {
            let e = power_entity(&world, p);
            world.get_mut::<Finances>(e).unwrap().treasury = -1000.0;
        }
        run_system(&mut world, score_turn);
        assert!(get_power::<Power>(&world, PowerId::Us).eliminated);
        let o = world.resource::<GameOutcome>();
        assert!(o.over);
        assert_eq!(o.winner, Some(PowerId::China));
        assert_eq!(o.reason, Some(EndReason::LastStanding(PowerId::China)));
    }

    #[test]
    fn game_ends_at_the_turn_limit_with_a_winner() {
        let mut world = test_world();
        let max = world.resource::<TurnClock>().max_turns;
        world.resource_mut::<TurnClock>().turn = max;
        run_system(&mut world, score_turn);
        let o = world.resource::<GameOutcome>();
        assert!(o.over);
        assert_eq!(o.reason, Some(EndReason::TurnLimit));
        assert!(o.winner.is_some());
    }

    #[test]
    fn lifting_export_controls_scores_for_the_target() {
        let mut rel_world = test_world();
        let rel = rel_world.resource::<Relations>().clone();
        let war = rel_world.resource::<UkraineWar>().clone();
        let prod = Production::default();
        let trade = TradeLog::default();
        let mut shut = rel.clone();
        for g in Good::ALL {
            shut.export_control[PowerId::China.index()][PowerId::Us.index()][g] =
                ExportLevel::Embargo;
        }
        let mut open = rel;
        for g in Good::ALL {
            open.export_control[PowerId::China.index()][PowerId::Us.index()][g] = ExportLevel::None;
        }
        let ind = get_power::<Industry>(&rel_world, PowerId::Us).clone();
        let fin = get_power::<Finances>(&rel_world, PowerId::Us).clone();
        let pol = get_power::<Politics>(&rel_world, PowerId::Us).clone();
        let kind = ObjectiveKind::ExportControlsLifted { by: PowerId::China };
        let score = |r: &Relations| {
            let ctx = ScoringContext {
                relations: r,
                war: &war,
                production: &prod,
                trade: &trade,
            };
            objective_progress(&kind, 0.0, PowerId::Us, &ctx, &ind, &fin, &pol, 0.0)
        };
        assert_eq!(score(&shut), 0.0);
        assert_eq!(score(&open), 1.0);
        let _ = &mut rel_world;
    }
}
