//! The policy lab: play many computer-player games of several levels (a base
//! level and its "what if" variants) and compare who wins and how the key
//! outcomes spread: supply security, prices, and when the war ends.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::level::schema::{AiRoute, Level};
use crate::rules::types::{Good, PowerId, quarter_label};
use crate::seats::Seats;
use crate::tournament::{GameResult, TournamentSpec, run_with};

/// Mean and quantiles of a sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        // Nearest-rank quantiles: always a value that occurred.
        let q = |p: f64| v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
        Some(Spread {
            mean: v.iter().sum::<f64>() / v.len() as f64,
            p10: q(0.1),
            median: q(0.5),
            p90: q(0.9),
        })
    }

    fn json(s: Option<Spread>, digits: i32) -> Value {
        let r = |x: f64| {
            let f = 10f64.powi(digits);
            (x * f).round() / f
        };
        match s {
            Some(s) => {
                json!({"mean": r(s.mean), "p10": r(s.p10), "median": r(s.median), "p90": r(s.p90)})
            }
            None => Value::Null,
        }
    }
}

/// One level's games.
pub struct LevelReport {
    pub level: Arc<Level>,
    pub results: Vec<GameResult>,
}

/// Play `games` games of each level with `seats` (same seeds for every level,
/// so the comparison is paired).
pub fn run_lab(
    levels: &[Arc<Level>],
    games: u32,
    seed: u64,
    seats: Seats,
    threads: usize,
) -> Vec<LevelReport> {
    run_lab_with(levels, games, seed, seats, threads, &|_| {})
}

/// [`run_lab`], telling `on_done` of each game as it finishes.
pub fn run_lab_with(
    levels: &[Arc<Level>],
    games: u32,
    seed: u64,
    seats: Seats,
    threads: usize,
    on_done: &(dyn Fn(&GameResult) + Sync),
) -> Vec<LevelReport> {
    levels
        .iter()
        .map(|level| LevelReport {
            level: level.clone(),
            results: run_with(
                &TournamentSpec {
                    level: level.clone(),
                    games,
                    seed,
                    seats,
                    rotate: false,
                    threads,
                    budget: Default::default(),
                },
                on_done,
            ),
        })
        .collect()
}

impl LevelReport {
    fn n(&self) -> f64 {
        self.results.len().max(1) as f64
    }

    pub fn win_share(&self, p: Option<PowerId>) -> f64 {
        self.results.iter().filter(|r| r.winner == p).count() as f64 / self.n()
    }

    pub fn supply_security(&self, p: PowerId) -> Option<Spread> {
        let v: Vec<f64> = self
            .results
            .iter()
            .map(|r| r.outcomes.supply_security[p])
            .collect();
        Spread::of(&v)
    }

    pub fn price(&self, g: Good) -> Option<Spread> {
        let v: Vec<f64> = self.results.iter().map(|r| r.outcomes.price[g]).collect();
        Spread::of(&v)
    }

    /// Share of games that reached peace, and the spread of the turn it came.
    pub fn peace(&self) -> (f64, Option<Spread>) {
        let turns: Vec<f64> = self
            .results
            .iter()
            .filter_map(|r| r.outcomes.peace_turn.map(f64::from))
            .collect();
        (turns.len() as f64 / self.n(), Spread::of(&turns))
    }

    pub fn json(&self) -> Value {
        let mut win = serde_json::Map::new();
        let mut security = serde_json::Map::new();
        for p in PowerId::ALL {
            win.insert(p.key().into(), json!(round3(self.win_share(Some(p)))));
            security.insert(p.key().into(), Spread::json(self.supply_security(p), 3));
        }
        win.insert("draw".into(), json!(round3(self.win_share(None))));
        let mut price = serde_json::Map::new();
        for g in Good::ALL {
            price.insert(g.key().into(), Spread::json(self.price(g), 1));
        }
        let (peace_share, peace_turn) = self.peace();
        json!({
            "level": self.level.id,
            "title": self.level.title,
            "games": self.results.len(),
            "win_share": win,
            "supply_security": security,
            "final_price": price,
            "war": {
                "peace_share": round3(peace_share),
                "peace_turn": Spread::json(peace_turn, 1),
            },
        })
    }

    pub fn print(&self) {
        let l = &self.level;
        println!("{} ({}), {} games", l.title, l.id, self.results.len());
        print!("  wins:");
        for p in PowerId::ALL {
            print!("  {} {:.0}%", p, 100.0 * self.win_share(Some(p)));
        }
        println!("  no winner {:.0}%", 100.0 * self.win_share(None));
        println!("  supply security at the end (median, 10%–90%):");
        for p in PowerId::ALL {
            if let Some(s) = self.supply_security(p) {
                println!(
                    "    {:<16} {:>4.0}%  ({:.0}%–{:.0}%)",
                    p.to_string(),
                    100.0 * s.median,
                    100.0 * s.p10,
                    100.0 * s.p90
                );
            }
        }
        println!("  prices outside China at the end, $/kg (median, 10%–90%):");
        for g in Good::ALL {
            if let Some(s) = self.price(g) {
                println!(
                    "    {:<16} {:>7.1}  ({:.1}–{:.1})",
                    g.to_string(),
                    s.median,
                    s.p10,
                    s.p90
                );
            }
        }
        let (share, turn) = self.peace();
        match turn {
            Some(t) => println!(
                "  peace in Ukraine in {:.0}% of games; median {} (10%–90%: {} – {})",
                100.0 * share,
                quarter_label(l.start_year, l.start_quarter, t.median as u32),
                quarter_label(l.start_year, l.start_quarter, t.p10 as u32),
                quarter_label(l.start_year, l.start_quarter, t.p90 as u32),
            ),
            None => println!("  no game reached peace in Ukraine"),
        }
    }
}

/// The level `level` with the US computer player held to `route`: the
/// route lab plays these side by side, on the same seeds.
pub fn with_us_route(level: &Level, route: AiRoute) -> Level {
    let mut l = level.clone();
    for p in l.powers.iter_mut().filter(|p| p.id == PowerId::Us) {
        p.ai_route = route;
    }
    l.id = format!("{}+us-{}", level.id, route.key());
    l
}

/// One route's games, read as the route lab's figures.
pub struct RouteReport<'a> {
    pub route: AiRoute,
    pub games: &'a LevelReport,
}

impl RouteReport<'_> {
    /// Quarter by quarter, the spread over games of `f` (games that ended
    /// early hold their last value).
    fn per_quarter(
        &self,
        f: impl Fn(&crate::tournament::Outcomes, usize) -> Option<f64>,
    ) -> Vec<Spread> {
        let quarters = self
            .games
            .results
            .iter()
            .map(|r| r.outcomes.needs_met.len())
            .max()
            .unwrap_or(0);
        (0..quarters)
            .filter_map(|q| {
                let v: Vec<f64> = self
                    .games
                    .results
                    .iter()
                    .filter_map(|r| {
                        let n = r.outcomes.needs_met.len();
                        (n > 0).then(|| f(&r.outcomes, q.min(n - 1))).flatten()
                    })
                    .collect();
                Spread::of(&v)
            })
            .collect()
    }

    /// US share of needs met, each quarter.
    pub fn needs_met(&self) -> Vec<Spread> {
        self.per_quarter(|o, q| o.needs_met.get(q).map(|v| v[PowerId::Us]))
    }

    /// US share of needs met with no Chinese content, each quarter.
    pub fn security(&self) -> Vec<Spread> {
        self.per_quarter(|o, q| o.security.get(q).map(|v| v[PowerId::Us]))
    }

    /// The first quarter (1-based) whose median non-Chinese share reaches `share`.
    pub fn first_reaching(&self, share: f64) -> Option<u32> {
        self.security()
            .iter()
            .position(|s| s.median >= share)
            .map(|q| q as u32 + 1)
    }

    fn spread(&self, f: impl Fn(&GameResult) -> f64) -> Option<Spread> {
        let v: Vec<f64> = self.games.results.iter().map(f).collect();
        Spread::of(&v)
    }

    /// US$ bn the US spent on building and research.
    pub fn spent(&self) -> Option<Spread> {
        self.spread(|r| r.outcomes.spent[PowerId::Us])
    }

    /// US political capital at the end.
    pub fn capital(&self) -> Option<Spread> {
        self.spread(|r| r.outcomes.political_capital[PowerId::Us])
    }

    /// China's response: the share of quarters in which it held export
    /// controls on the US.
    pub fn china_controls(&self) -> f64 {
        let (mut on, mut all) = (0usize, 0usize);
        for r in &self.games.results {
            on += r
                .outcomes
                .china_controls_on_us
                .iter()
                .filter(|c| **c > 0)
                .count();
            all += r.outcomes.china_controls_on_us.len();
        }
        on as f64 / all.max(1) as f64
    }

    /// Russia's gain: its mean score.
    pub fn russia_score(&self) -> f64 {
        self.games
            .results
            .iter()
            .map(|r| r.scores[PowerId::Russia])
            .sum::<f64>()
            / self.games.n()
    }

    pub fn json(&self) -> Value {
        let series = |v: Vec<Spread>| {
            v.into_iter()
                .map(|s| json!({"median": round3(s.median), "p10": round3(s.p10), "p90": round3(s.p90)}))
                .collect::<Vec<_>>()
        };
        json!({
            "route": self.route.key(),
            "games": self.games.results.len(),
            "needs_met": series(self.needs_met()),
            "non_chinese_share": series(self.security()),
            "first_quarter_50": self.first_reaching(0.5),
            "first_quarter_70": self.first_reaching(0.7),
            "us_spent_bn": Spread::json(self.spent(), 2),
            "us_capital_end": Spread::json(self.capital(), 1),
            "china_controls_share_of_quarters": round3(self.china_controls()),
            "russia_mean_score": round3(self.russia_score()),
            "peace_share": round3(self.games.peace().0),
            "win_share": {
                "us": round3(self.games.win_share(Some(PowerId::Us))),
                "china": round3(self.games.win_share(Some(PowerId::China))),
                "russia": round3(self.games.win_share(Some(PowerId::Russia))),
            },
        })
    }
}

/// The route lab's table for one level, as printed (and pasted into the
/// README and the encyclopedia).
pub fn print_routes(level: &Level, routes: &[RouteReport]) {
    let l = level;
    let games = routes.first().map_or(0, |r| r.games.results.len());
    println!(
        "Routes for the US: {} ({}), {games} games per route",
        l.title, l.id
    );
    println!(
        "  {:<10} {:>16} {:>22} {:>9} {:>9} {:>11} {:>8} {:>9} {:>7} {:>6} {:>7}",
        "route",
        "needs met, end",
        "non-Chinese, end",
        "first 50%",
        "first 70%",
        "spent $bn",
        "capital",
        "China ctl",
        "Russia",
        "peace",
        "US wins"
    );
    let quarter = |q: Option<u32>| match q {
        Some(q) => quarter_label(l.start_year, l.start_quarter, q),
        None => "never".into(),
    };
    for r in routes {
        let met = r.needs_met().last().copied();
        let sec = r.security().last().copied();
        let pct = |s: Option<Spread>| match s {
            Some(s) => format!(
                "{:.0}% ({:.0}–{:.0})",
                100.0 * s.median,
                100.0 * s.p10,
                100.0 * s.p90
            ),
            None => "—".into(),
        };
        println!(
            "  {:<10} {:>16} {:>22} {:>9} {:>9} {:>11.2} {:>8.0} {:>8.0}% {:>7.1} {:>5.0}% {:>6.0}%",
            r.route.key(),
            pct(met),
            pct(sec),
            quarter(r.first_reaching(0.5)),
            quarter(r.first_reaching(0.7)),
            r.spent().map_or(0.0, |s| s.median),
            r.capital().map_or(0.0, |s| s.median),
            100.0 * r.china_controls(),
            r.russia_score(),
            100.0 * r.games.peace().0,
            100.0 * r.games.win_share(Some(PowerId::Us)),
        );
    }
    println!(
        "  (medians over games, 10–90% in brackets; first 50%/70%: the first quarter the median non-Chinese share reaches it; spent: on building and research; China ctl: share of quarters China held export controls on the US; Russia: its mean score; peace: share of games that reached peace in Ukraine)"
    );
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_values_that_occurred() {
        let s = Spread::of(&[5.0, 1.0, 3.0, 2.0, 4.0]).unwrap();
        assert_eq!((s.mean, s.p10, s.median, s.p90), (3.0, 1.0, 3.0, 5.0));
        assert!(Spread::of(&[]).is_none());
    }

    #[test]
    fn the_early_peace_variant_starts_at_peace_and_the_base_does_not() {
        let base = Arc::new(crate::level::bundled("2025-trade-war").unwrap());
        let peace = Arc::new(crate::level::bundled("2025-early-peace").unwrap());
        let reports = run_lab(&[base, peace], 3, 4, Seats::default(), 2);
        let (share, turn) = reports[1].peace();
        assert_eq!(share, 1.0);
        assert_eq!(turn.unwrap().median, 1.0);
        assert!(reports[0].peace().1.is_none_or(|t| t.median > 1.0));
        let v = reports[1].json();
        assert_eq!(v["games"], 3);
        assert!(v["supply_security"]["us"]["median"].as_f64().is_some());
        assert!(v["final_price"]["magnets"]["p90"].as_f64().unwrap() > 0.0);
    }
}
