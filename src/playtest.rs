//! `validate --playtest N`: a level's author sees how it plays. N games with
//! three normal computer players (the tournament's machinery), then who won,
//! which cards fired and when, and whether the policies the level starts
//! with (tariffs, export controls, sanctions) were still in force at the end.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::level::schema::Level;
use crate::rules::resources::Relations;
use crate::rules::types::{ExportLevel, Good, PerPower, PowerId, SanctionsLevel, quarter_label};
use crate::seats::Seats;
use crate::tournament::{GameResult, TournamentSpec};

/// Each power's objective progress (in the level's order) after one turn
/// with no orders and no events: what `validate` warns about when an
/// objective is already met before anyone plays.
pub fn progress_after_first_turn(level: &Level) -> Vec<Vec<f64>> {
    let settings = crate::game::GameSettings {
        options: crate::rules::resources::GameOptions {
            events: false,
            hidden_information: true,
        },
        turn_limit: None,
    };
    let mut game = crate::game::Game::with_settings(level, 0, &settings);
    game.end_turn();
    level
        .powers
        .iter()
        .map(|p| game.view(p.id).me.scorecard.progress.clone())
        .collect()
}

/// A power winning more than this share of games makes a lopsided level.
pub const LOPSIDED: f64 = 0.6;

/// What the games showed.
#[derive(Clone, Debug)]
pub struct Playtest {
    pub title: String,
    pub games: u32,
    pub seed: u64,
    pub wins: PerPower<u32>,
    pub draws: u32,
    pub mean_score: PerPower<f64>,
    pub cards: Vec<CardStats>,
    pub policies: Vec<PolicyStats>,
    pub warnings: Vec<String>,
}

/// One card of the deck over the games.
#[derive(Clone, Debug, PartialEq)]
pub struct CardStats {
    pub id: String,
    pub title: String,
    /// Games in which it fired at least once.
    pub games: u32,
    /// Median turn it first fired in, over those games.
    pub median_turn: Option<u32>,
    /// The quarter of that turn: "Q2 2026".
    pub median_quarter: Option<String>,
}

/// One starting policy (or one that changed in some game) over the games.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyStats {
    pub by: PowerId,
    pub on: PowerId,
    /// "tariff", "export controls on Dy/Tb oxide", "sanctions".
    pub what: String,
    pub start: String,
    /// Games where it ended as it started, stricter, or looser.
    pub held: u32,
    pub stricter: u32,
    pub looser: u32,
    /// The most common value at the end when it changed.
    pub usual_change: Option<String>,
}

/// Play `games` games of `level` from `seed`, three normal computer players.
pub fn playtest(level: &Level, games: u32, seed: u64, threads: usize) -> Playtest {
    let spec = TournamentSpec {
        level: Arc::new(level.clone()),
        games,
        seed,
        seats: Seats::default(),
        rotate: false,
        threads,
        budget: Default::default(),
    };
    let results = crate::tournament::run(&spec);
    let start = crate::game::Game::new(level, seed)
        .world()
        .resource::<Relations>()
        .clone();
    summarise(level, seed, &results, &start)
}

/// The playtest of finished games; `start` is the relations at the start.
pub fn summarise(level: &Level, seed: u64, results: &[GameResult], start: &Relations) -> Playtest {
    let n = results.len() as u32;
    let mut wins = PerPower::default();
    let mut draws = 0;
    let mut score = PerPower::<f64>::default();
    for r in results {
        match r.winner {
            Some(w) => wins[w] += 1,
            None => draws += 1,
        }
        for p in PowerId::ALL {
            score[p] += r.scores[p] / n.max(1) as f64;
        }
    }
    let cards = level
        .events
        .iter()
        .map(|card| {
            let mut firsts: Vec<u32> = results
                .iter()
                .filter_map(|r| {
                    r.drawn
                        .iter()
                        .filter(|(id, _)| *id == card.id)
                        .map(|(_, t)| *t)
                        .min()
                })
                .collect();
            firsts.sort();
            let median = (!firsts.is_empty()).then(|| firsts[(firsts.len() - 1) / 2]);
            CardStats {
                id: card.id.clone(),
                title: card.title.clone(),
                games: firsts.len() as u32,
                median_turn: median,
                median_quarter: median
                    .map(|t| quarter_label(level.start_year, level.start_quarter, t)),
            }
        })
        .collect();
    let policies = policies(start, results);
    let mut warnings = Vec::new();
    for p in PowerId::ALL {
        if n > 0 && wins[p] as f64 > LOPSIDED * n as f64 {
            warnings.push(format!(
                "{} won {} of {n} games ({:.0}%): the level is lopsided (more than {:.0}%). Look at its objectives' weights and targets, or at what it starts with",
                p.name(),
                wins[p],
                100.0 * wins[p] as f64 / n as f64,
                LOPSIDED * 100.0
            ));
        }
    }
    Playtest {
        title: level.title.clone(),
        games: n,
        seed,
        wins,
        draws,
        mean_score: score,
        cards,
        policies,
        warnings,
    }
}

fn tariff_words(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// Each policy that was in force at the start, or that changed in a game.
fn policies(start: &Relations, results: &[GameResult]) -> Vec<PolicyStats> {
    let mut out = Vec::new();
    for by in PowerId::ALL {
        for on in by.others() {
            let (b, o) = (by.index(), on.index());
            // Tariffs.
            let mut stat = PolicyStats {
                by,
                on,
                what: "tariff".into(),
                start: tariff_words(start.tariff[b][o]),
                held: 0,
                stricter: 0,
                looser: 0,
                usual_change: None,
            };
            let mut ends = BTreeMap::new();
            for r in results {
                let end = r.relations.tariff[b][o];
                let s = start.tariff[b][o];
                if (end - s).abs() < 1e-9 {
                    stat.held += 1;
                } else {
                    if end > s {
                        stat.stricter += 1;
                    } else {
                        stat.looser += 1;
                    }
                    *ends.entry(tariff_words(end)).or_insert(0) += 1;
                }
            }
            stat.usual_change = most_common(ends);
            if start.tariff[b][o] > 0.0 || stat.held < results.len() as u32 {
                out.push(stat);
            }
            // Export controls, per good.
            for g in Good::ALL {
                let s = start.export_control[b][o][g];
                let mut stat = PolicyStats {
                    by,
                    on,
                    what: format!("export controls on {}", g.name()),
                    start: s.name().into(),
                    held: 0,
                    stricter: 0,
                    looser: 0,
                    usual_change: None,
                };
                let mut ends = BTreeMap::new();
                for r in results {
                    let end = r.relations.export_control[b][o][g];
                    match end.cmp(&s) {
                        std::cmp::Ordering::Equal => stat.held += 1,
                        std::cmp::Ordering::Greater => stat.stricter += 1,
                        std::cmp::Ordering::Less => stat.looser += 1,
                    }
                    if end != s {
                        *ends.entry(end.name().to_string()).or_insert(0) += 1;
                    }
                }
                stat.usual_change = most_common(ends);
                if s != ExportLevel::None || stat.held < results.len() as u32 {
                    out.push(stat);
                }
            }
            // Sanctions.
            let s = start.sanctions[b][o];
            let mut stat = PolicyStats {
                by,
                on,
                what: "sanctions".into(),
                start: s.name().into(),
                held: 0,
                stricter: 0,
                looser: 0,
                usual_change: None,
            };
            let mut ends = BTreeMap::new();
            for r in results {
                let end = r.relations.sanctions[b][o];
                match end.cmp(&s) {
                    std::cmp::Ordering::Equal => stat.held += 1,
                    std::cmp::Ordering::Greater => stat.stricter += 1,
                    std::cmp::Ordering::Less => stat.looser += 1,
                }
                if end != s {
                    *ends.entry(end.name().to_string()).or_insert(0) += 1;
                }
            }
            stat.usual_change = most_common(ends);
            if s != SanctionsLevel::None || stat.held < results.len() as u32 {
                out.push(stat);
            }
        }
    }
    out
}

fn most_common(counts: BTreeMap<String, u32>) -> Option<String> {
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(value, _)| value)
}

fn share(k: u32, n: u32) -> String {
    format!("{:.0}%", 100.0 * k as f64 / n.max(1) as f64)
}

impl Playtest {
    /// The report as lines of text; warnings as `FILE: warning: ...`.
    pub fn print(&self, file: &str) {
        let n = self.games;
        println!(
            "Playtest of \"{}\": {n} games from seed {}, three normal computer players",
            self.title, self.seed
        );
        println!("Wins:");
        for p in PowerId::ALL {
            println!(
                "  {:<14} {:>3} ({:>4})   mean score {:.1}",
                p.name(),
                self.wins[p],
                share(self.wins[p], n),
                self.mean_score[p]
            );
        }
        println!(
            "  {:<14} {:>3} ({:>4})",
            "no winner",
            self.draws,
            share(self.draws, n)
        );
        println!("Cards (games in which each fired, and the median quarter it first fired):");
        for c in &self.cards {
            match &c.median_quarter {
                Some(q) => println!(
                    "  {:<28} {:>4} of games, median {q} (turn {})",
                    c.id,
                    share(c.games, n),
                    c.median_turn.unwrap_or(0)
                ),
                None => println!("  {:<28} never fired", c.id),
            }
        }
        println!("Policies at the end against the start (games where each held):");
        if self.policies.is_empty() {
            println!("  none at the start, and none set in any game");
        }
        for p in &self.policies {
            let change = match &p.usual_change {
                Some(v) => format!(
                    "; stricter in {}, looser in {} (most often {v})",
                    share(p.stricter, n),
                    share(p.looser, n)
                ),
                None => String::new(),
            };
            println!(
                "  {} on {}: {} {} at the start, held in {}{change}",
                p.by.name(),
                p.on.name(),
                p.what,
                p.start,
                share(p.held, n)
            );
        }
        for w in &self.warnings {
            println!("{file}: warning: {w}");
        }
    }

    /// The report for `validate --playtest N --json`.
    pub fn json(&self) -> Value {
        let n = self.games.max(1) as f64;
        json!({
            "games": self.games,
            "seed": self.seed,
            "wins": {
                "us": self.wins[PowerId::Us],
                "china": self.wins[PowerId::China],
                "russia": self.wins[PowerId::Russia],
                "draw": self.draws,
            },
            "win_share": {
                "us": self.wins[PowerId::Us] as f64 / n,
                "china": self.wins[PowerId::China] as f64 / n,
                "russia": self.wins[PowerId::Russia] as f64 / n,
            },
            "mean_scores": {
                "us": self.mean_score[PowerId::Us],
                "china": self.mean_score[PowerId::China],
                "russia": self.mean_score[PowerId::Russia],
            },
            "cards": self.cards.iter().map(|c| json!({
                "id": c.id,
                "title": c.title,
                "games_fired": c.games,
                "share": c.games as f64 / n,
                "median_turn": c.median_turn,
                "median_quarter": c.median_quarter,
            })).collect::<Vec<_>>(),
            "policies": self.policies.iter().map(|p| json!({
                "by": p.by.key(),
                "on": p.on.key(),
                "policy": p.what,
                "start": p.start,
                "held": p.held,
                "stricter": p.stricter,
                "looser": p.looser,
                "most_common_change": p.usual_change,
            })).collect::<Vec<_>>(),
            "warnings": self.warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tournament::Outcomes;

    fn result(
        winner: Option<PowerId>,
        drawn: Vec<(&str, u32)>,
        relations: Relations,
    ) -> GameResult {
        GameResult {
            index: 0,
            seed: 0,
            seats: Seats::default(),
            winner,
            scores: PerPower([1.0, 2.0, 3.0]),
            turns: 8,
            refused: 0,
            failed: 0,
            absurd: 0,
            times: Default::default(),
            progress: PerPower::default(),
            outcomes: Outcomes::default(),
            drawn: drawn.into_iter().map(|(i, t)| (i.to_string(), t)).collect(),
            relations,
        }
    }

    #[test]
    fn a_lopsided_level_is_warned_and_cards_and_policies_are_counted() {
        let level = crate::level::bundled("classroom").unwrap();
        let start = crate::game::Game::new(&level, 1)
            .world()
            .resource::<Relations>()
            .clone();
        let mut raised = start.clone();
        raised.tariff[0][1] = 1.45;
        let card = &level.events[0].id;
        let results = vec![
            result(Some(PowerId::Us), vec![(card, 2)], raised.clone()),
            result(Some(PowerId::Us), vec![(card, 4), (card, 9)], raised),
            result(Some(PowerId::Us), vec![], start.clone()),
            result(Some(PowerId::China), vec![], start.clone()),
        ];
        let p = summarise(&level, 1, &results, &start);
        assert_eq!(p.wins[PowerId::Us], 3);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert!(p.warnings[0].contains("United States won 3 of 4 games (75%)"));
        let c = p.cards.iter().find(|c| &c.id == card).unwrap();
        assert_eq!((c.games, c.median_turn), (2, Some(2)));
        let t = p
            .policies
            .iter()
            .find(|s| s.by == PowerId::Us && s.on == PowerId::China && s.what == "tariff")
            .unwrap();
        assert_eq!((t.held, t.stricter, t.looser), (2, 2, 0));
        assert_eq!(t.usual_change.as_deref(), Some("145%"));
        // Two wins of four is not lopsided.
        let p = summarise(&level, 1, &results[2..], &start);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }
}
