//! Tournaments: many computer-player games at once, to measure the AI's
//! strengths against each other and the balance of a level.
//!
//! Game `i` is played with seed `seed + i`. With rotation, the seats of the
//! spec move round the table one place a game, so that over every three games
//! each seat (and so each strength) has played each power once.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use crate::level::schema::Level;
use crate::rules::components::Scorecard;
use crate::rules::orders::get_power;
use crate::rules::types::{PerPower, PowerId};
use crate::seats::{Seats, Strength};
use crate::table::Table;

/// What to play.
#[derive(Clone, Debug)]
pub struct TournamentSpec {
    pub level: Arc<Level>,
    pub games: u32,
    pub seed: u64,
    pub seats: Seats,
    pub rotate: bool,
    /// Worker threads (games in parallel).
    pub threads: usize,
    /// The hard player's search budget.
    pub budget: crate::ai::SearchBudget,
}

pub use crate::table::DecisionTimes;

/// One finished game.
#[derive(Clone, Debug)]
pub struct GameResult {
    pub index: u32,
    pub seed: u64,
    /// The seats as played (after rotation).
    pub seats: Seats,
    pub winner: Option<PowerId>,
    pub scores: PerPower<f64>,
    pub turns: u32,
    /// Orders of the AI the engine refused when given (should be none).
    pub refused: u32,
    /// Orders accepted when given that failed when the turn resolved.
    pub failed: u32,
    /// Moves a class would call absurd: China and Russia raising tariffs,
    /// sanctions or export controls on each other while partners (trust
    /// of 50 or more both ways) by their own order, with nothing in the
    /// news to cause it. Should be none.
    pub absurd: u32,
    pub times: [DecisionTimes; 4],
    /// Each power's progress on each of its objectives, summed over turns.
    pub progress: PerPower<Vec<f64>>,
    /// Key outcomes at the end of the game, for the policy lab.
    pub outcomes: Outcomes,
    /// Event cards drawn, with the turn (for a level's playtest).
    pub drawn: Vec<(String, u32)>,
    /// Policies and trust between the powers at the end.
    pub relations: crate::rules::resources::Relations,
}

/// Key outcomes of one game.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcomes {
    /// Each power's supply security in the last turn.
    pub supply_security: PerPower<f64>,
    /// Prices outside China in the last turn ($/kg).
    pub price: crate::rules::types::PerGood<f64>,
    /// First turn that ended in peace, if any.
    pub peace_turn: Option<u32>,
    /// Each turn: each power's share of needs met, and of needs met with no
    /// Chinese content (the route lab's curves).
    pub needs_met: Vec<PerPower<f64>>,
    pub security: Vec<PerPower<f64>>,
    /// Each turn: how many goods China controls exports of to the US.
    pub china_controls_on_us: Vec<u8>,
    /// Each power's treasury and political capital at the end.
    pub treasury: PerPower<f64>,
    pub political_capital: PerPower<f64>,
    /// US$ bn each power spent on building and research over the game.
    pub spent: PerPower<f64>,
}

fn outcomes(table: &Table) -> Outcomes {
    let history = &table
        .world()
        .resource::<crate::rules::resources::History>()
        .turns;
    let Some(last) = history.last() else {
        return Outcomes::default();
    };
    Outcomes {
        supply_security: last.supply_security,
        price: last.price,
        peace_turn: history
            .iter()
            .find(|r| r.war_status == crate::rules::types::WarStatus::Peace)
            .map(|r| r.turn),
        needs_met: history.iter().map(|r| r.needs_met).collect(),
        security: history.iter().map(|r| r.supply_security).collect(),
        china_controls_on_us: history.iter().map(|r| r.china_controls_on_us).collect(),
        treasury: last.treasury,
        political_capital: last.political_capital,
        spent: PerPower::default(),
    }
}

/// The seats of game `index`: the spec's seats, moved `index` places round
/// the table when rotating.
pub fn seats_for_game(seats: Seats, rotate: bool, index: u32) -> Seats {
    if !rotate {
        return seats;
    }
    let shift = index as usize % 3;
    Seats(PerPower(
        PowerId::ALL.map(|p| seats.get(PowerId::ALL[(p.index() + shift) % 3])),
    ))
}

/// Play one game with computer players from start to end, timing decisions.
pub fn play_game(
    level: &Arc<Level>,
    seed: u64,
    seats: Seats,
    budget: &crate::ai::SearchBudget,
) -> GameResult {
    let mut table = Table::new(level.clone(), seed, seats)
        .with_budget(*budget)
        .without_turn_hashes();
    let debug = std::env::var_os("RARE_EARTH_GAMBIT_DEBUG_REFUSALS").is_some();
    let mut failed = 0;
    let mut absurd = 0;
    let mut spent = PerPower([0.0; 3]);
    let mut turns = 0;
    let mut progress: PerPower<Vec<f64>> = PerPower::default();
    while !table.is_over() {
        for r in table.play_computers() {
            if debug {
                eprintln!(
                    "seed {seed} turn {} {}: {:?}: {}",
                    table.turn(),
                    r.power,
                    r.order,
                    r.why.0
                );
            }
        }
        let before = table
            .world()
            .resource::<crate::rules::resources::Relations>()
            .clone();
        table.end_turn();
        turns += 1;
        for p in PowerId::ALL {
            let ledger = &get_power::<crate::rules::components::Finances>(table.world(), p).ledger;
            spent[p] -= ledger.construction + ledger.research;
        }
        for r in &table
            .world()
            .resource::<crate::rules::resources::OrderResults>()
            .results
        {
            if r.refused.is_none() && partners_turn_on_each_other(&before, r.power, &r.order) {
                absurd += 1;
                if debug {
                    eprintln!("seed {seed} turn {turns} absurd: {}: {}", r.power, r.order);
                }
            }
        }
        for p in PowerId::ALL {
            let card = get_power::<Scorecard>(table.world(), p);
            let sums = &mut progress[p];
            sums.resize(card.progress.len(), 0.0);
            for (s, v) in sums.iter_mut().zip(&card.progress) {
                *s += v;
            }
        }
        // Orders accepted when given can still fail when the turn resolves
        // (money spent by an earlier order, a policy changed by an event).
        for r in &table
            .world()
            .resource::<crate::rules::resources::OrderResults>()
            .results
        {
            if let Some(why) = &r.refused {
                failed += 1;
                if debug {
                    eprintln!(
                        "seed {seed} turn {turns} {} (resolving): {:?}: {why}",
                        r.power, r.order
                    );
                }
            }
        }
    }
    let scores = PerPower(PowerId::ALL.map(|p| get_power::<Scorecard>(table.world(), p).score()));
    GameResult {
        index: 0,
        seed,
        seats,
        winner: table.game().outcome().winner,
        scores,
        turns,
        refused: table.refused(),
        failed,
        absurd,
        times: *table.decision_times(),
        progress: PerPower(
            progress
                .0
                .map(|v| v.into_iter().map(|x| x / turns.max(1) as f64).collect()),
        ),
        outcomes: Outcomes {
            spent,
            ..outcomes(&table)
        },
        drawn: table
            .game()
            .world()
            .resource::<crate::rules::resources::EventDeck>()
            .drawn
            .clone(),
        relations: table
            .game()
            .world()
            .resource::<crate::rules::resources::Relations>()
            .clone(),
    }
}

/// Play every game of the tournament, in parallel; results in game order.
pub fn run(spec: &TournamentSpec) -> Vec<GameResult> {
    run_with(spec, &|_| {})
}

/// [`run`], telling `on_done` of each game as it finishes (in any order;
/// from the worker threads): for progress bars.
pub fn run_with(spec: &TournamentSpec, on_done: &(dyn Fn(&GameResult) + Sync)) -> Vec<GameResult> {
    let next = AtomicUsize::new(0);
    let threads = spec.threads.max(1).min(spec.games.max(1) as usize);
    let mut results: Vec<GameResult> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed) as u32;
                        if i >= spec.games {
                            break;
                        }
                        let seats = seats_for_game(spec.seats, spec.rotate, i);
                        let mut r = play_game(
                            &spec.level,
                            spec.seed.wrapping_add(i as u64),
                            seats,
                            &spec.budget,
                        );
                        r.index = i;
                        on_done(&r);
                        mine.push(r);
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a tournament game panicked"))
            .collect()
    });
    results.sort_by_key(|r| r.index);
    results
}

/// Totals over a tournament's games.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub games: u32,
    pub wins: PerPower<u32>,
    pub draws: u32,
    /// Per seat spec (`ai:hard`): seat-games played, wins, summed score.
    pub by_seat: BTreeMap<String, (u32, u32, f64)>,
    pub score_sum: PerPower<f64>,
    pub times: [DecisionTimes; 4],
    pub refused: u32,
    pub failed: u32,
    /// Absurd moves ([`GameResult::absurd`]) over all games.
    pub absurd: u32,
    pub turns: u64,
    /// Mean progress per objective of each power, summed over games.
    pub progress: PerPower<Vec<f64>>,
}

pub fn summarise(results: &[GameResult]) -> Summary {
    let mut s = Summary {
        games: results.len() as u32,
        ..Summary::default()
    };
    for r in results {
        match r.winner {
            Some(w) => s.wins[w] += 1,
            None => s.draws += 1,
        }
        for p in PowerId::ALL {
            s.score_sum[p] += r.scores[p];
            let e = s
                .by_seat
                .entry(r.seats.get(p).to_string())
                .or_insert((0, 0, 0.0));
            e.0 += 1;
            if r.winner == Some(p) {
                e.1 += 1;
            }
            e.2 += r.scores[p];
        }
        for (t, rt) in s.times.iter_mut().zip(&r.times) {
            t.merge(rt);
        }
        s.refused += r.refused;
        s.failed += r.failed;
        s.absurd += r.absurd;
        for p in PowerId::ALL {
            let sums = &mut s.progress[p];
            sums.resize(r.progress[p].len(), 0.0);
            for (a, b) in sums.iter_mut().zip(&r.progress[p]) {
                *a += b;
            }
        }
        s.turns += r.turns as u64;
    }
    s
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The object `tournament --json` prints.
pub fn summary_json(spec: &TournamentSpec, s: &Summary) -> Value {
    let n = s.games.max(1) as f64;
    let mut wins = serde_json::Map::new();
    let mut mean_scores = serde_json::Map::new();
    for p in PowerId::ALL {
        wins.insert(p.key().into(), json!(s.wins[p]));
        mean_scores.insert(p.key().into(), json!(round3(s.score_sum[p] / n)));
    }
    wins.insert("draw".into(), json!(s.draws));
    let mut wins_by_seat = serde_json::Map::new();
    let mut games_by_seat = serde_json::Map::new();
    let mut win_share_by_seat = serde_json::Map::new();
    let mut mean_score_by_seat = serde_json::Map::new();
    for (seat, (played, won, score)) in &s.by_seat {
        wins_by_seat.insert(seat.clone(), json!(won));
        games_by_seat.insert(seat.clone(), json!(played));
        win_share_by_seat.insert(
            seat.clone(),
            json!(round3(*won as f64 / (*played).max(1) as f64)),
        );
        mean_score_by_seat.insert(seat.clone(), json!(round3(score / (*played).max(1) as f64)));
    }
    let mut objectives = serde_json::Map::new();
    for p in PowerId::ALL {
        let setup = spec
            .level
            .powers
            .iter()
            .find(|x| x.id == p)
            .map(|x| x.objectives.clone())
            .unwrap_or_default();
        let list: Vec<Value> = setup
            .iter()
            .zip(&s.progress[p])
            .map(|(o, sum)| {
                json!({
                    "objective": o.description,
                    "weight": o.weight,
                    "mean_progress": round3(sum / n),
                })
            })
            .collect();
        objectives.insert(p.key().into(), Value::Array(list));
    }
    let mut decision_ms = serde_json::Map::new();
    for strength in Strength::ALL {
        let t = &s.times[strength.index()];
        if t.count > 0 {
            decision_ms.insert(
                strength.key().into(),
                json!({
                    "mean": round3(t.mean_ms()),
                    "max": round3(t.max_ms),
                    "decisions": t.count,
                }),
            );
        }
    }
    json!({
        "level": spec.level.id,
        "games": s.games,
        "seed": spec.seed,
        "seats": spec_string(spec.seats),
        "rotate": spec.rotate,
        "wins": wins,
        "wins_by_seat": wins_by_seat,
        "games_by_seat": games_by_seat,
        "win_share_by_seat": win_share_by_seat,
        "mean_scores": mean_scores,
        "mean_score_by_seat": mean_score_by_seat,
        "decision_ms": decision_ms,
        "mean_turns": round3(s.turns as f64 / n),
        "objectives": objectives,
        "refused_orders": s.refused,
        "failed_orders": s.failed,
        "absurd_moves": s.absurd,
    })
}

fn spec_string(seats: Seats) -> String {
    PowerId::ALL
        .iter()
        .map(|p| format!("{}={}", p.key(), seats.get(*p)))
        .collect::<Vec<_>>()
        .join(",")
}

/// The readable report of `tournament`.
pub fn print_summary(spec: &TournamentSpec, s: &Summary) {
    let n = s.games.max(1) as f64;
    println!(
        "{} — {} games from seed {}, seats {}{}",
        spec.level.title,
        s.games,
        spec.seed,
        spec_string(spec.seats),
        if spec.rotate { ", rotated" } else { "" }
    );
    println!("Wins by power:");
    for p in PowerId::ALL {
        println!(
            "  {:<14} {:>4}  {:>5.1}%   mean score {:.1}",
            p.to_string(),
            s.wins[p],
            100.0 * s.wins[p] as f64 / n,
            s.score_sum[p] / n
        );
    }
    println!(
        "  {:<14} {:>4}  {:>5.1}%",
        "no winner",
        s.draws,
        100.0 * s.draws as f64 / n
    );
    println!("Wins by seat:");
    for (seat, (played, won, score)) in &s.by_seat {
        println!(
            "  {:<14} {:>4} of {:<4} {:>5.1}%   mean score {:.1}",
            seat,
            won,
            played,
            100.0 * *won as f64 / (*played).max(1) as f64,
            score / (*played).max(1) as f64
        );
    }
    println!("Decision time:");
    for strength in Strength::ALL {
        let t = &s.times[strength.index()];
        if t.count > 0 {
            println!(
                "  {:<14} mean {:.2} ms, max {:.2} ms over {} decisions",
                strength.key(),
                t.mean_ms(),
                t.max_ms,
                t.count
            );
        }
    }
    println!(
        "Orders refused when given: {}; failed when the turn resolved: {}",
        s.refused, s.failed
    );
    println!(
        "Absurd moves (China and Russia turning on each other while partners): {}",
        s.absurd
    );
}

/// Whether `order`, given by `by` and carried out, raises a tariff,
/// sanctions or an export control between China and Russia while they
/// are partners (trust of 50 or more both ways, as `before` the turn).
pub fn partners_turn_on_each_other(
    before: &crate::rules::resources::Relations,
    by: PowerId,
    order: &crate::rules::orders::Order,
) -> bool {
    use crate::rules::orders::Order;
    let other = match by {
        PowerId::China => PowerId::Russia,
        PowerId::Russia => PowerId::China,
        PowerId::Us => return false,
    };
    if before.trust(by, other) < 50.0 || before.trust(other, by) < 50.0 {
        return false;
    }
    match order {
        Order::SetTariff { on, rate } => *on == other && *rate > before.tariff(by, other) + 1e-9,
        Order::SetSanctions { on, level } => *on == other && *level > before.sanctions(by, other),
        Order::SetExportControl {
            target: crate::rules::types::Origin::Power(t),
            good,
            level,
        } => *t == other && *level > before.export_control(by, other, *good),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_raising_a_tariff_on_a_trusted_russia_is_counted_absurd() {
        use crate::rules::orders::Order;
        use crate::rules::types::SanctionsLevel;
        let level = crate::level::bundled("classroom").unwrap();
        let mut r = crate::game::Game::new(&level, 1)
            .world()
            .resource::<crate::rules::resources::Relations>()
            .clone();
        r.tariff = [[0.0; 3]; 3];
        let (c, ru) = (PowerId::China, PowerId::Russia);
        r.trust[c.index()][ru.index()] = 60.0;
        r.trust[ru.index()][c.index()] = 55.0;
        let raise = Order::SetTariff { on: ru, rate: 0.3 };
        assert!(partners_turn_on_each_other(&r, c, &raise));
        // A cut is no attack; the US is not a partner of either.
        assert!(!partners_turn_on_each_other(
            &r,
            c,
            &Order::SetTariff { on: ru, rate: 0.0 }
        ));
        assert!(!partners_turn_on_each_other(
            &r,
            PowerId::Us,
            &Order::SetTariff { on: c, rate: 1.0 }
        ));
        let sanction = Order::SetSanctions {
            on: c,
            level: SanctionsLevel::Targeted,
        };
        assert!(partners_turn_on_each_other(&r, ru, &sanction));
        // Rivals (trust below 50 one way) may.
        r.trust[ru.index()][c.index()] = 40.0;
        assert!(!partners_turn_on_each_other(&r, c, &raise));
    }

    #[test]
    fn rotation_gives_each_seat_each_power() {
        let seats = Seats::parse("us=ai:hard,china=ai:normal,russia=ai:easy").unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..3 {
            let s = seats_for_game(seats, true, i);
            for p in PowerId::ALL {
                seen.insert((s.get(p), p));
            }
        }
        assert_eq!(seen.len(), 9, "every strength on every power once");
        assert_eq!(seats_for_game(seats, false, 2), seats);
    }

    #[test]
    fn a_tournament_is_the_same_whatever_the_threads() {
        let level = Arc::new(crate::level::bundled("classroom").unwrap());
        let spec = |threads| TournamentSpec {
            level: level.clone(),
            games: 4,
            seed: 9,
            seats: Seats::default(),
            rotate: true,
            threads,
            budget: Default::default(),
        };
        let a = run(&spec(1));
        let b = run(&spec(3));
        let key = |r: &GameResult| (r.index, r.seed, r.winner, r.turns, r.refused);
        assert_eq!(
            a.iter().map(key).collect::<Vec<_>>(),
            b.iter().map(key).collect::<Vec<_>>()
        );
        let s = summarise(&a);
        assert_eq!(s.games, 4);
        assert_eq!(
            s.wins.0.iter().sum::<u32>() + s.draws,
            4,
            "each game has one winner or none"
        );
        assert_eq!(s.refused, 0);
        let v = summary_json(&spec(1), &s);
        assert_eq!(v["games"], 4);
        assert_eq!(v["games_by_seat"]["ai:normal"], 12);
        assert!(v["decision_ms"]["normal"]["mean"].as_f64().unwrap() >= 0.0);
    }
}
