//! The backtest: the 2010-13 rare-earth crisis (`levels/2010-rare-earth-crisis.ron`)
//! played with passive seats, against the price path in `../shared/FACTS.md`
//! ("The 2010-2013 crisis"). Each test states its band and its source.

mod common;

use std::sync::Arc;

use rare_earth_gambit::backtest::{self, Backtest, FALL_WINDOW};
use rare_earth_gambit::level;
use rare_earth_gambit::rules::types::{Good, MonthDate};

fn crisis() -> Backtest {
    let (file, text) = backtest::CRISIS_2010;
    let level = level::parse_level(file, text).expect("the backtest level parses");
    backtest::run(Arc::new(level), 1)
}

/// The quarter of the July 2010 quota cut (the level's dated card).
fn cut_turn(run: &Backtest) -> u32 {
    let card = run
        .level
        .events
        .iter()
        .find(|e| e.id == "quota-cut-2010")
        .expect("the quota card");
    run.turn_of(card.date.expect("dated"))
        .expect("inside the game")
}

/// FACTS.md: Dy oxide 118.49 $/kg (2008 average) -> about 2,300 $/kg late
/// 2011 (19x; Adamas: 26x from January 2009), then 600-630 at the end of
/// 2012 (USGS). Band (issue): the ex-China peak is 12-30x the 2008 price,
/// 4-12 quarters after the cut, and falls at least 60% within 8 quarters;
/// outside China at least 3x China's own price at the peak (FACTS: export
/// prices 4-7x domestic for La and Sm oxide in 2011).
#[test]
fn dysprosium_rises_twelve_to_thirty_times_and_falls_as_in_2010_13() {
    let run = crisis();
    assert_eq!(run.quarters.len(), 24, "the backtest plays all 24 quarters");
    let cut = cut_turn(&run);
    assert_eq!(run.quarters[cut as usize - 1].label, "Q3 2010");
    let peak = run.peak(Good::HeavyOxides, cut).expect("a peak");
    assert!(
        (12.0..=30.0).contains(&peak.multiple),
        "Dy peak {:.1}x the 2008 price, band 12-30x",
        peak.multiple
    );
    let after = peak.turn - cut;
    assert!(
        (4..=12).contains(&after),
        "Dy peak {after} quarters after the cut, band 4-12"
    );
    let low = peak.low_after.expect("8 quarters after the peak");
    assert!(
        low <= 0.4,
        "Dy falls to {:.0}% of its peak within {FALL_WINDOW} quarters; at least 60% down expected",
        100.0 * low
    );
    assert!(
        peak.export_ratio >= 3.0,
        "outside China / China's price at the peak {:.1}, at least 3",
        peak.export_ratio
    );
    // Before the cut the two price worlds stay close (open trade).
    for q in &run.quarters[..cut as usize - 1] {
        let r = q.outside[Good::HeavyOxides] / q.china[Good::HeavyOxides];
        assert!((0.8..=1.3).contains(&r), "{}: ratio {r:.2}", q.label);
    }
}

/// FACTS.md: neodymium oxide about 130 $/kg at the start of 2011 and 260
/// late 2011 (Lynas data), 190-200 at the end of 2011 and 75-80 at the end
/// of 2012 (USGS: 60% down in a year). The game's 2009 base (20 $/kg) is a
/// game estimate, so the band on the peak is wide: at least 5x base, within
/// 12 quarters of the cut, at least 60% down within 8 quarters, and the
/// export price at least 3x China's at the peak.
#[test]
fn neodymium_follows_the_same_shape() {
    let run = crisis();
    let cut = cut_turn(&run);
    let peak = run.peak(Good::LightOxides, cut).expect("a peak");
    assert!(
        peak.multiple >= 5.0,
        "Nd peak {:.1}x base, at least 5x",
        peak.multiple
    );
    assert!(
        peak.turn - cut <= 12,
        "Nd peak {} quarters after the cut",
        peak.turn - cut
    );
    let low = peak.low_after.expect("8 quarters after the peak");
    assert!(low <= 0.4, "Nd falls to {:.0}% of its peak", 100.0 * low);
    assert!(peak.export_ratio >= 3.0, "ratio {:.1}", peak.export_ratio);
}

/// FACTS.md: year-end Dy oxide 440-490 $/kg (2013) and 320-360 (2014)
/// (USGS). Band: after the bubble the game ends within half to twice those
/// prices: the long-run level of a quota-bound market, not only its spike.
#[test]
fn dysprosium_settles_near_the_2013_14_prices() {
    let run = crisis();
    for (month, observed) in [("2013-12", 465.0), ("2014-12", 340.0)] {
        let t = run
            .turn_of(MonthDate::parse(month).unwrap())
            .expect("inside the game");
        let game = run.quarters[t as usize - 1].outside[Good::HeavyOxides];
        assert!(
            (0.5..=2.0).contains(&(game / observed)),
            "{month}: game {game:.0} $/kg against {observed} observed"
        );
    }
}

#[test]
fn every_historical_price_is_set_beside_the_game() {
    let run = crisis();
    let compared = run.compared();
    assert_eq!(compared.len(), run.level.history.len());
    // Only the 2008 average lies before the game.
    let outside: Vec<_> = compared.iter().filter(|c| c.game.is_none()).collect();
    assert_eq!(outside.len(), 1, "{outside:?}");
    assert_eq!(outside[0].history.date.to_string(), "2008-07");
}

#[test]
fn the_backtest_command_prints_the_table_and_draws_the_chart() {
    let dir = std::env::temp_dir().join(format!("reg-backtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join("backtest.png");
    let (code, out, err) = common::run(&["backtest", "--plot", png.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Q3 2010"), "{out}");
    assert!(out.contains("History beside the game"), "{out}");
    assert!(out.contains("Dy/Tb oxide peak outside China"), "{out}");
    let (w, h, _) = common::read_png(&png);
    assert_eq!((w, h), (1400, 1060));

    let (code, out, err) = common::run(&["backtest", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["quarters"].as_array().unwrap().len(), 24);
    assert!(v["peaks"].as_array().unwrap().len() == 2);

    // A level without history is refused with a clear error.
    let (code, _, err) = common::run(&["backtest", "--level", "classroom"]);
    assert_eq!(code, 2);
    assert!(err.contains("no `history`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
