//! Exports of a saved game for the classroom: per-turn figures as CSV, and a
//! Markdown debrief (winner and why, scores by objective, a timeline of the
//! powers' decisions and what followed, charts as PNG images with their
//! figures as a table, and discussion questions drawn from what happened in
//! this game).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::level::schema::Level;
use crate::rules::components::Scorecard;
use crate::rules::deals::{ProposalStatus, Term};
use crate::rules::orders::get_power;
use crate::rules::resources::*;
use crate::rules::types::*;
use crate::table::Table;

/// A game to export: its world, its level and its seed. Borrowed, so the
/// window exports the game in progress without a copy.
#[derive(Clone, Copy)]
pub struct Played<'a> {
    pub world: &'a bevy::prelude::World,
    pub level: &'a Level,
    pub seed: u64,
}

impl<'a> Played<'a> {
    pub fn of(table: &'a Table) -> Played<'a> {
        Played {
            world: table.world(),
            level: table.level(),
            seed: table.seed(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Md,
}

/// Write the export of `game` into `dir` (created if missing). Returns the
/// files written.
pub fn export(game: Played, format: Format, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
    match format {
        Format::Csv => {
            let turns = dir.join("turns.csv");
            write_csv(&turns, &turn_rows(game))?;
            let news = dir.join("news.csv");
            write_csv(&news, &news_rows(game))?;
            Ok(vec![turns, news])
        }
        Format::Md => {
            let path = dir.join("debrief.md");
            std::fs::write(&path, debrief(game))
                .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
            let mut files = vec![path];
            for (name, png) in charts(game)? {
                let path = dir.join(name);
                crate::charts::write(&path, &png).map_err(|e| e.to_string())?;
                files.push(path);
            }
            Ok(files)
        }
    }
}

fn write_csv(path: &Path, rows: &[Vec<String>]) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: cannot write: {e}", path.display());
    let mut w = csv::Writer::from_path(path).map_err(|e| err(&e))?;
    for r in rows {
        w.write_record(r).map_err(|e| err(&e))?;
    }
    w.flush().map_err(|e| err(&e))
}

fn history(game: Played<'_>) -> &[TurnRecord] {
    &game.world.resource::<History>().turns
}

/// One row per finished turn: prices, each power's figures, shares, the war
/// and trade policies.
pub fn turn_rows(game: Played) -> Vec<Vec<String>> {
    let mut header: Vec<String> = vec!["turn".into(), "quarter".into()];
    // `price_<good>` is the price outside China (the world market most
    // players trade in), kept for older spreadsheets; the two price worlds
    // follow.
    for g in Good::ALL {
        header.push(format!("price_{}", g.key()));
    }
    for g in Good::ALL {
        header.push(format!("price_{}_china", g.key()));
        header.push(format!("price_{}_outside", g.key()));
    }
    for p in PowerId::ALL {
        for f in [
            "treasury",
            "stability",
            "political_capital",
            "supply_security",
            "needs_met",
            "score",
            "output_lost",
        ] {
            header.push(format!("{}_{f}", p.key()));
        }
        for g in Good::ALL {
            header.push(format!("{}_landed_{}", p.key(), g.key()));
        }
        for g in Good::ALL {
            header.push(format!("{}_shortfall_{}", p.key(), g.key()));
        }
    }
    for g in Good::ALL {
        for to in ["us", "russia", "outside"] {
            header.push(format!("china_exports_{}_to_{to}", g.key()));
        }
    }
    for (what, _) in SHARES {
        for o in ["us", "china", "russia", "outside"] {
            header.push(format!("{what}_share_{o}"));
        }
    }
    header.extend(
        [
            "war_status",
            "front_share",
            "us_aid",
            "tariff_us_on_china",
            "tariff_china_on_us",
            "china_controls_on_us",
            "us_sanctions_on_russia",
        ]
        .map(String::from),
    );
    let mut rows = vec![header];
    for r in history(game) {
        let mut row = vec![r.turn.to_string(), r.label.clone()];
        row.extend(Good::ALL.map(|g| format!("{:.3}", r.price[g])));
        for g in Good::ALL {
            row.push(format!("{:.3}", r.price_china[g]));
            row.push(format!("{:.3}", r.price[g]));
        }
        for p in PowerId::ALL {
            row.extend([
                format!("{:.3}", r.treasury[p]),
                format!("{:.1}", r.stability[p]),
                format!("{:.1}", r.political_capital[p]),
                format!("{:.4}", r.supply_security[p]),
                format!("{:.4}", r.needs_met[p]),
                format!("{:.2}", r.score[p]),
                format!("{:.3}", r.output_lost[p]),
            ]);
            row.extend(Good::ALL.map(|g| format!("{:.3}", r.landed[p][g])));
            row.extend(Good::ALL.map(|g| format!("{:.4}", r.shortfall[p][g])));
        }
        for g in Good::ALL {
            let e = r.china_exports[g];
            row.extend([e[0], e[2], e[3]].map(|v| format!("{v:.4}")));
        }
        for (_, get) in SHARES {
            row.extend(get(r).map(|v| format!("{v:.4}")));
        }
        row.extend([
            format!("{:?}", r.war_status),
            format!("{:.4}", r.front_share),
            r.us_aid.to_string(),
            format!("{:.3}", r.tariff_us_on_china),
            format!("{:.3}", r.tariff_china_on_us),
            r.china_controls_on_us.to_string(),
            format!("{:?}", r.us_sanctions_on_russia),
        ]);
        rows.push(row);
    }
    rows
}

type ShareOf = fn(&TurnRecord) -> [f64; 4];
const SHARES: [(&str, ShareOf); 3] = [
    ("mining", |r| r.mining_share),
    ("separation", |r| r.separation_share),
    ("magnet", |r| r.magnet_share),
];

/// Every news item of the game (the game is over or saved for the teacher:
/// nothing is secret any more), with who could read it.
pub fn news_rows(game: Played) -> Vec<Vec<String>> {
    let level = game.level;
    let mut rows = vec![
        ["turn", "quarter", "kind", "audience", "text"]
            .map(String::from)
            .to_vec(),
    ];
    for n in &game.world.resource::<NewsLog>().items {
        rows.push(vec![
            n.turn.to_string(),
            quarter_label(level.start_year, level.start_quarter, n.turn),
            format!("{:?}", n.kind).to_lowercase(),
            if n.audience.is_empty() {
                "everyone".into()
            } else {
                n.audience
                    .iter()
                    .map(|p| p.key())
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            n.text.to_string(),
        ]);
    }
    rows
}

/// The debrief's charts as (file name, PNG) pairs: none before the first
/// turn is played.
pub fn charts(game: Played) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    let hist = history(game);
    if hist.is_empty() {
        return Ok(Vec::new());
    }
    crate::charts::game_charts(game.level, hist).map_err(|e| e.to_string())
}

/// The chart images next to `debrief.md`, with their alt text.
pub const CHART_FILES: [(&str, &str); 4] = [
    ("prices.png", "Prices outside China and in China, $/kg"),
    (
        "shares.png",
        "Market shares by stage: mining, separation, magnets",
    ),
    ("security.png", "Supply security of each power"),
    (
        "front.png",
        "The front: Ukraine's rare-earth deposits held by Russia",
    ),
];

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

fn label(level: &Level, turn: u32) -> String {
    quarter_label(level.start_year, level.start_quarter, turn)
}

/// The Markdown debrief.
pub fn debrief(game: Played) -> String {
    let level = game.level;
    let world = game.world;
    let outcome = world.resource::<GameOutcome>();
    let hist = history(game);
    let mut md = String::new();
    let _ = writeln!(md, "# Debrief: {}\n", level.title);
    let played = hist.last().map(|r| r.turn).unwrap_or(0);
    let _ = writeln!(
        md,
        "Level `{}`, seed {}, {} of {} turns played ({} to {}).\n",
        level.id,
        game.seed,
        played,
        level.turns,
        label(level, 1),
        label(level, played.max(1))
    );

    md.push_str("## Result\n\n");
    if outcome.over {
        match outcome.winner {
            Some(w) => {
                let _ = writeln!(md, "**{w} wins.** {}\n", outcome.explanation);
            }
            None => {
                let _ = writeln!(md, "**No winner.** {}\n", outcome.explanation);
            }
        }
    } else {
        md.push_str("The game is not over yet: this is the debrief so far.\n\n");
    }

    md.push_str("## Scores by objective\n\n");
    md.push_str("Progress on each objective in the last turn played, and the score (the mean of weighted progress over all turns).\n\n");
    for p in PowerId::ALL {
        let card = get_power::<Scorecard>(world, p);
        let _ = writeln!(md, "### {p}: score {:.1}\n", card.score());
        md.push_str("| objective | weight | progress |\n|---|---:|---:|\n");
        for (o, prog) in card.objectives.iter().zip(&card.progress) {
            let _ = writeln!(
                md,
                "| {} | {:.0} | {} |",
                o.description,
                o.weight,
                pct(*prog)
            );
        }
        md.push('\n');
    }

    md.push_str("## Timeline: decisions and what followed\n\n");
    for t in timeline(game) {
        let _ = writeln!(md, "**{}**\n", t.label);
        for (tag, text) in t.items {
            let _ = writeln!(md, "- *{tag}*: {text}");
        }
        md.push('\n');
    }

    md.push_str("## Charts\n\n");
    if !hist.is_empty() {
        for (file, alt) in CHART_FILES {
            let _ = writeln!(md, "![{alt}]({file})\n");
        }
    }
    md.push_str("The figures behind the charts: prices outside China ($/kg; China's own are in `turns.csv`), supply security and the share of Ukraine's rare-earth deposits Russia holds, each year's last quarter.\n\n");
    md.push_str("| quarter | concentrate | NdPr | Dy/Tb | magnets | US security | China security | Russia security | China's separation share | front |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in hist
        .iter()
        .filter(|r| r.label.starts_with("Q4") || r.turn == played)
    {
        let _ = writeln!(
            md,
            "| {} | {:.1} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} | {} |",
            r.label,
            r.price[Good::Concentrate],
            r.price[Good::LightOxides],
            r.price[Good::HeavyOxides],
            r.price[Good::Magnets],
            pct(r.supply_security[PowerId::Us]),
            pct(r.supply_security[PowerId::China]),
            pct(r.supply_security[PowerId::Russia]),
            pct(r.separation_share[1]),
            pct(r.front_share),
        );
    }
    md.push('\n');

    md.push_str("## Questions for discussion\n\n");
    for (i, q) in questions(game).iter().enumerate() {
        let _ = writeln!(md, "{}. {q}", i + 1);
    }
    md.push('\n');
    md.push_str("## Sources\n\n");
    for s in &level.sources {
        let _ = writeln!(md, "- {} (data as of {}): {}", s.title, s.data_as_of, s.url);
    }
    md
}

/// One quarter of the timeline: its label and its news, each tagged as a
/// decision, an effect, an event or war news.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineTurn {
    pub turn: u32,
    pub label: String,
    pub items: Vec<(&'static str, String)>,
}

/// The game's news, turn by turn, without orders and score notes.
pub fn timeline(game: Played) -> Vec<TimelineTurn> {
    timeline_read_by(game, |_| true)
}

/// The timeline of the news `reader` may read (a team over the network:
/// its own and the public news, never another team's).
pub fn timeline_read_by(game: Played, reader: impl Fn(&NewsItem) -> bool) -> Vec<TimelineTurn> {
    let level = game.level;
    let world = game.world;
    let played = history(game).last().map(|r| r.turn).unwrap_or(0);
    let news = &world.resource::<NewsLog>().items;
    (1..=played)
        .filter_map(|turn| {
            let items: Vec<(&'static str, String)> = news
                .iter()
                .filter(|n| {
                    n.turn == turn
                        && n.kind != NewsKind::Order
                        && n.kind != NewsKind::Score
                        && reader(n)
                })
                .map(|n| {
                    let tag = match n.kind {
                        NewsKind::Policy | NewsKind::Diplomacy | NewsKind::Facility => "decision",
                        NewsKind::Market => "effect",
                        NewsKind::War => "war",
                        NewsKind::Event => "event",
                        _ => "news",
                    };
                    (tag, n.text.to_string())
                })
                .collect();
            (!items.is_empty()).then(|| TimelineTurn {
                turn,
                label: label(level, turn),
                items,
            })
        })
        .collect()
}

/// Questions tied to what happened in this game.
pub fn questions(game: Played) -> Vec<String> {
    let level = game.level;
    let world = game.world;
    let hist = history(game);
    let mut q = Vec::new();
    let diplomacy = world.resource::<Diplomacy>();
    // A US–Russia deal, and China's answer.
    if let Some(p) = diplomacy.proposals.iter().find(|p| {
        p.status == ProposalStatus::Accepted
            && [p.deal.from, p.deal.to].contains(&PowerId::Us)
            && [p.deal.from, p.deal.to].contains(&PowerId::Russia)
    }) {
        let terms: Vec<String> = p.deal.terms.iter().map(Term::to_string).collect();
        q.push(format!(
            "In {} the United States and Russia agreed: {}. What did China do in the next turns, and why?",
            label(level, p.turn),
            terms.join("; ")
        ));
    }
    // China's export controls on the US: what changed, not what the level
    // started with.
    let start_controls = level
        .relations
        .iter()
        .find(|r| r.from == PowerId::China && r.to == PowerId::Us)
        .map_or(0, |r| {
            // As the history records it: the strictest level on any good.
            r.export_controls
                .iter()
                .map(|(_, l)| *l as u8)
                .max()
                .unwrap_or(0)
        });
    let mut before_turn = start_controls;
    let change = hist.iter().position(|r| {
        let changed = r.china_controls_on_us != before_turn;
        before_turn = r.china_controls_on_us;
        changed
    });
    if let Some(i) = change {
        let r = &hist[i];
        let before = if i > 0 { &hist[i - 1] } else { r };
        let later = &hist[(i + 2).min(hist.len() - 1)];
        let prior = if i > 0 {
            hist[i - 1].china_controls_on_us
        } else {
            start_controls
        };
        let what = if r.china_controls_on_us > prior {
            "tightened its export controls on goods for the US"
        } else {
            "eased its export controls on goods for the US"
        };
        q.push(format!(
            "China {what} in {}. Dy/Tb oxide went from ${:.0}/kg to ${:.0}/kg two turns later, and US supply security from {} to {}. Who paid for the controls, and who gained?",
            r.label,
            before.price[Good::HeavyOxides],
            later.price[Good::HeavyOxides],
            pct(before.supply_security[PowerId::Us]),
            pct(later.supply_security[PowerId::Us])
        ));
    } else if start_controls > 0
        && let (Some(first), Some(last)) = (hist.first(), hist.last())
    {
        q.push(format!(
            "China's export controls on goods for the US, in force from the start, held all game. Dy/Tb oxide went from ${:.0}/kg in {} to ${:.0}/kg in {}. Why did China keep them, and what did they cost each side?",
            first.price[Good::HeavyOxides],
            first.label,
            last.price[Good::HeavyOxides],
            last.label
        ));
    }
    // The war: a change from how the level started.
    let mut status = level.war.status;
    let war_change = hist.iter().find(|r| {
        let changed = r.war_status != status;
        status = r.war_status;
        changed
    });
    if let Some(r) = war_change {
        let what = match r.war_status {
            WarStatus::Active => "The fighting in Ukraine started again",
            WarStatus::Ceasefire => "A ceasefire stopped the fighting in Ukraine",
            WarStatus::Peace => "Peace was signed in Ukraine",
        };
        q.push(format!(
            "{what} in {} with Russia holding {} of Ukraine's rare-earth deposits. Which decisions led there, and what did it change for the rare-earth trade?",
            r.label,
            pct(r.front_share)
        ));
    } else if let Some(last) = hist.last() {
        let state = match last.war_status {
            WarStatus::Active => "The war was still going on",
            WarStatus::Ceasefire => "The ceasefire the game started with still held",
            WarStatus::Peace => "The peace the game started with held",
        };
        q.push(format!(
            "{state} in {}, with Russia holding {} of Ukraine's rare-earth deposits. What would it have taken to change that, and who would have paid?",
            last.label,
            pct(last.front_share)
        ));
    }
    // US supply security over the game.
    if let (Some(first), Some(last)) = (hist.first(), hist.last()) {
        q.push(format!(
            "US supply security went from {} in {} to {} in {}. Which decisions moved it most: building at home, allies, deals with Russia or China's own choices?",
            pct(first.supply_security[PowerId::Us]),
            first.label,
            pct(last.supply_security[PowerId::Us]),
            last.label
        ));
    }
    // The winner's lead.
    let outcome = world.resource::<GameOutcome>();
    if let Some(w) = outcome.winner {
        let card = get_power::<Scorecard>(world, w);
        if let Some((o, _)) = card
            .objectives
            .iter()
            .zip(&card.progress)
            .max_by(|a, b| (a.0.weight * a.1).total_cmp(&(b.0.weight * b.1)))
        {
            q.push(format!(
                "{w} won. Its strongest objective was \"{}\". Would the result change if that goal counted for less? Is that a fair picture of real-world success?",
                o.description.trim_end_matches('.')
            ));
        }
    }
    q.push(format!(
        "The briefing's claim to test: \"{}\" Did this game support it or contradict it? Use two figures from the timeline or the charts.",
        level.briefing.thesis
    ));
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(level: &str, seed: u64) -> Table {
        let level = std::sync::Arc::new(crate::level::bundled(level).unwrap());
        let mut t = Table::new(level, seed, Default::default());
        t.play_out(None);
        let file = t.save_file("test");
        let path = Path::new("test.json");
        file.into_table(path).unwrap()
    }

    #[test]
    fn the_csv_has_a_row_per_turn_with_the_game_figures() {
        let l = finished("classroom", 5);
        let rows = turn_rows(Played::of(&l));
        let hist = history(Played::of(&l));
        assert_eq!(rows.len(), hist.len() + 1);
        assert!(rows.iter().all(|r| r.len() == rows[0].len()));
        let col = rows[0].iter().position(|h| h == "price_magnets").unwrap();
        let last = hist.last().unwrap();
        let got: f64 = rows.last().unwrap()[col].parse().unwrap();
        assert!((got - last.price[Good::Magnets]).abs() < 1e-3);
        let news = news_rows(Played::of(&l));
        assert!(news.len() > 10);
    }

    #[test]
    fn the_debrief_names_the_winner_and_asks_about_this_game() {
        let l = finished("classroom", 5);
        let md = debrief(Played::of(&l));
        let outcome = l.world().resource::<GameOutcome>();
        let winner = outcome.winner.unwrap();
        assert!(md.contains(&format!("**{winner} wins.**")), "{md}");
        let hist = history(Played::of(&l));
        let last = hist.last().unwrap();
        // Figures of this game, not generic text.
        assert!(md.contains(&format!("{:.0}", last.price[Good::LightOxides])));
        assert!(md.contains(&pct(last.supply_security[PowerId::Us])));
        let qs = questions(Played::of(&l));
        assert!(qs.len() >= 4, "{qs:?}");
        assert!(qs.iter().any(|q| q.contains(&last.label)), "{qs:?}");
        assert!(md.contains("## Questions for discussion"));
    }

    #[test]
    fn the_debrief_links_each_chart_the_export_writes() {
        let l = finished("classroom", 5);
        let charts = charts(Played::of(&l)).unwrap();
        let names: Vec<&str> = charts.iter().map(|c| c.0).collect();
        assert_eq!(names, CHART_FILES.map(|c| c.0));
        let md = debrief(Played::of(&l));
        for (name, png) in &charts {
            assert!(md.contains(&format!("]({name})")), "{name}");
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}");
        }
    }
}
