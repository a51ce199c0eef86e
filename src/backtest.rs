//! Backtest: play a level whose `history` holds observed prices with every
//! seat passive, so only the rules and the level's dated events act, and set
//! the game's prices beside history's. The 2010-13 rare-earth crisis ships
//! as a level (`levels/2010-rare-earth-crisis.ron`); a teacher can write
//! another the same way.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::level::schema::{HistoricalPrice, Level};
use crate::rules::resources::History;
use crate::rules::types::{Good, MonthDate, PerGood, PerPower, PowerId};
use crate::seats::{Seat, Seats, Strength};
use crate::table::Table;

/// The 2010 crisis backtest, bundled so `backtest` runs from any folder.
pub const CRISIS_2010: (&str, &str) = (
    "2010-rare-earth-crisis.ron",
    include_str!("../levels/2010-rare-earth-crisis.ron"),
);

/// One quarter of the game: both price worlds.
#[derive(Clone, Debug, PartialEq)]
pub struct Quarter {
    pub turn: u32,
    pub label: String,
    /// Outside China.
    pub outside: PerGood<f64>,
    /// China's domestic market.
    pub china: PerGood<f64>,
}

/// A peak of a good's price outside China and what followed it.
#[derive(Clone, Debug, PartialEq)]
pub struct Peak {
    pub turn: u32,
    pub price: f64,
    /// The peak as a multiple of the level's base price.
    pub multiple: f64,
    /// Outside over China's price in the peak quarter.
    pub export_ratio: f64,
    /// The lowest price within `window` quarters after the peak, as a share
    /// of the peak (0.3 = it fell 70%); `None` if the game ends first.
    pub low_after: Option<f64>,
}

/// A historical price with the game's price in its quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    pub history: HistoricalPrice,
    /// The game's turn for the date; `None` when the date is outside the game.
    pub turn: Option<u32>,
    pub game: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Backtest {
    pub level: Arc<Level>,
    pub quarters: Vec<Quarter>,
}

/// Quarters after a peak in which the fall is measured.
pub const FALL_WINDOW: u32 = 8;

/// Play `level` to its end with all three seats passive.
pub fn run(level: Arc<Level>, seed: u64) -> Backtest {
    let passive = Seat::Ai(Strength::Passive);
    let seats = Seats(PerPower(PowerId::ALL.map(|_| passive)));
    let mut table = Table::new(level.clone(), seed, seats).without_turn_hashes();
    table.play_out(None);
    let quarters = table
        .world()
        .resource::<History>()
        .turns
        .iter()
        .map(|r| Quarter {
            turn: r.turn,
            label: r.label.clone(),
            outside: r.price,
            china: r.price_china,
        })
        .collect();
    Backtest { level, quarters }
}

impl Backtest {
    /// The turn a month falls in, if the game covers it.
    pub fn turn_of(&self, date: MonthDate) -> Option<u32> {
        let t = 1 + date.quarters_until(self.level.start_year, self.level.start_quarter);
        (t >= 1 && t <= self.quarters.len() as i64).then_some(t as u32)
    }

    /// The highest price of `good` outside China from `from` (a turn) on.
    pub fn peak(&self, good: Good, from: u32) -> Option<Peak> {
        let base = self.level.market.base_price.get(good);
        let (i, q) = self
            .quarters
            .iter()
            .enumerate()
            .filter(|(_, q)| q.turn >= from)
            .max_by(|a, b| a.1.outside[good].total_cmp(&b.1.outside[good]))?;
        let price = q.outside[good];
        let after = &self.quarters[i + 1..];
        let low_after = (after.len() >= FALL_WINDOW as usize).then(|| {
            after[..FALL_WINDOW as usize]
                .iter()
                .map(|q| q.outside[good])
                .fold(f64::INFINITY, f64::min)
                / price
        });
        Some(Peak {
            turn: q.turn,
            price,
            multiple: price / base,
            export_ratio: price / q.china[good],
            low_after,
        })
    }

    /// Each historical price beside the game's in its quarter.
    pub fn compared(&self) -> Vec<Compared> {
        self.level
            .history
            .iter()
            .map(|h| {
                let turn = self.turn_of(h.date);
                let game = turn.map(|t| {
                    let q = &self.quarters[t as usize - 1];
                    if h.in_china {
                        q.china[h.good]
                    } else {
                        q.outside[h.good]
                    }
                });
                Compared {
                    history: h.clone(),
                    turn,
                    game,
                }
            })
            .collect()
    }

    /// Goods the history has prices for, in the game's order.
    pub fn goods(&self) -> Vec<Good> {
        Good::ALL
            .into_iter()
            .filter(|g| self.level.history.iter().any(|h| h.good == *g))
            .collect()
    }

    pub fn json(&self) -> Value {
        let goods = self.goods();
        json!({
            "level": self.level.id,
            "quarters": self.quarters.iter().map(|q| json!({
                "turn": q.turn,
                "quarter": q.label,
                "outside": goods.iter().map(|g| (g.key().to_string(), json!(q.outside[*g]))).collect::<serde_json::Map<_, _>>(),
                "china": goods.iter().map(|g| (g.key().to_string(), json!(q.china[*g]))).collect::<serde_json::Map<_, _>>(),
            })).collect::<Vec<_>>(),
            "peaks": goods.iter().filter_map(|g| self.peak(*g, 1).map(|p| json!({
                "good": g.key(),
                "turn": p.turn,
                "price": p.price,
                "multiple_of_base": p.multiple,
                "outside_over_china": p.export_ratio,
                "lowest_within_8_quarters": p.low_after,
            }))).collect::<Vec<_>>(),
            "history": self.compared().iter().map(|c| json!({
                "date": c.history.date.to_string(),
                "good": c.history.good.key(),
                "in_china": c.history.in_china,
                "price": c.history.price,
                "source": c.history.source,
                "note": c.history.note,
                "turn": c.turn,
                "game": c.game,
            })).collect::<Vec<_>>(),
        })
    }

    /// A table for the terminal: per quarter the game's prices, and each
    /// historical price beside the game's.
    pub fn print(&self) {
        let goods = self.goods();
        println!("Backtest: {} (all seats passive)", self.level.title);
        print!("\n{:<9}", "quarter");
        for g in &goods {
            print!(" | {:>24}", format!("{} outside / China $/kg", g.name()));
        }
        println!();
        for q in &self.quarters {
            print!("{:<9}", q.label);
            for g in &goods {
                print!(" | {:>11.1} / {:>10.1}", q.outside[*g], q.china[*g]);
            }
            println!();
        }
        println!("\nHistory beside the game:");
        for c in self.compared() {
            let h = &c.history;
            let world = if h.in_china { "China" } else { "outside" };
            let game = match c.game {
                Some(v) => format!("game {v:>8.1}  ({:.2}x history)", v / h.price),
                None => "before or after the game".into(),
            };
            println!(
                "  {} {:<6} {:<7} {:>8.1} $/kg  {game}  [{}{}]",
                h.date,
                h.good.name(),
                world,
                h.price,
                h.source,
                if h.note.is_empty() {
                    String::new()
                } else {
                    format!(", {}", h.note)
                }
            );
        }
        println!();
        for g in &goods {
            if let Some(p) = self.peak(*g, 1) {
                let fall = match p.low_after {
                    Some(l) => format!("{:.0}% lower", 100.0 * (1.0 - l)),
                    None => "game ends first".into(),
                };
                println!(
                    "{} peak outside China: {:.1} $/kg in {} ({:.1}x base, {:.1}x China's price); within {FALL_WINDOW} quarters: {fall}",
                    g.name(),
                    p.price,
                    self.quarters[p.turn as usize - 1].label,
                    p.multiple,
                    p.export_ratio,
                );
            }
        }
    }
}
