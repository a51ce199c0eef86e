//! The route lab (issue 13): a US computer player held to one route takes
//! only that route's moves, and `lab --us-route` compares routes side by
//! side with per-quarter curves, a table, JSON and a plot.

use std::process::Command;
use std::sync::Arc;

use rare_earth_gambit::lab::{RouteReport, with_us_route};
use rare_earth_gambit::level::{self, schema::AiRoute};
use rare_earth_gambit::rules::orders::Order;
use rare_earth_gambit::rules::resources::OrderResults;
use rare_earth_gambit::rules::types::PowerId;
use rare_earth_gambit::seats::Seats;
use rare_earth_gambit::table::Table;

/// The US orders carried out over a whole classroom game on `route`.
fn us_orders(route: AiRoute, seed: u64) -> Vec<Order> {
    let level = with_us_route(&level::bundled("classroom").unwrap(), route);
    let mut table = Table::new(Arc::new(level), seed, Seats::default());
    let mut orders = Vec::new();
    while !table.game().is_over() {
        table.play_computers();
        table.end_turn();
        for r in &table.world().resource::<OrderResults>().results {
            if r.power == PowerId::Us && r.refused.is_none() {
                orders.push(r.order.clone());
            }
        }
    }
    orders
}

fn any(orders: &[Order], f: impl Fn(&Order) -> bool) -> bool {
    orders.iter().any(f)
}

fn builds(o: &Order) -> bool {
    matches!(
        o,
        Order::FundFacility { .. } | Order::PriceFloor { .. } | Order::FundResearch { .. }
    )
}

fn allied(o: &Order) -> bool {
    matches!(o, Order::Offtake { .. } | Order::DrawAlliedStockpile { .. })
}

fn to_russia(o: &Order) -> bool {
    matches!(
        o,
        Order::ProposeDeal {
            to: PowerId::Russia,
            ..
        }
    )
}

fn reserve(o: &Order) -> bool {
    matches!(o, Order::SetReserve { .. })
}

#[test]
fn a_us_player_held_to_a_route_takes_only_that_routes_moves() {
    for seed in [1, 2] {
        let none = us_orders(AiRoute::None, seed);
        assert!(
            !any(&none, |o| builds(o)
                || allied(o)
                || to_russia(o)
                || reserve(o)),
            "seed {seed}: none took a route: {none:?}"
        );
        let allies = us_orders(AiRoute::Allies, seed);
        assert!(any(&allies, allied), "seed {seed}: allies: {allies:?}");
        assert!(!any(&allies, |o| to_russia(o) || reserve(o)));
        let russia = us_orders(AiRoute::Russia, seed);
        assert!(any(&russia, to_russia), "seed {seed}: russia: {russia:?}");
        assert!(!any(&russia, |o| builds(o) || allied(o) || reserve(o)));
        let stockpile = us_orders(AiRoute::Stockpile, seed);
        assert!(
            any(&stockpile, reserve),
            "seed {seed}: stockpile: {stockpile:?}"
        );
        assert!(!any(&stockpile, |o| builds(o) || allied(o) || to_russia(o)));
        let domestic = us_orders(AiRoute::Domestic, seed);
        assert!(
            any(&domestic, builds),
            "seed {seed}: domestic: {domestic:?}"
        );
        assert!(!any(&domestic, |o| allied(o) || to_russia(o) || reserve(o)));
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rare-earth-gambit"))
}

#[test]
fn the_route_lab_compares_routes_quarter_by_quarter() {
    let out = bin()
        .args([
            "lab",
            "--level",
            "tutorial",
            "--games",
            "6",
            "--seed",
            "3",
            "--us-route",
            "none",
            "--us-route",
            "domestic",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let level = &v["levels"][0];
    assert_eq!(level["level"], "tutorial");
    let routes = level["routes"].as_array().unwrap();
    assert_eq!(routes.len(), 2);
    assert_eq!(routes[0]["route"], "none");
    assert_eq!(routes[1]["route"], "domestic");
    for r in routes {
        assert_eq!(r["games"], 6);
        // One point a quarter, each a band around its median.
        for series in ["needs_met", "non_chinese_share"] {
            let points = r[series].as_array().unwrap();
            assert_eq!(points.len(), 6, "{series}");
            for p in points {
                let (lo, mid, hi) = (
                    p["p10"].as_f64().unwrap(),
                    p["median"].as_f64().unwrap(),
                    p["p90"].as_f64().unwrap(),
                );
                assert!((0.0..=1.0).contains(&mid) && lo <= mid && mid <= hi);
            }
        }
    }
    // The baseline spends nothing new on building; the domestic route does.
    let spent = |r: &serde_json::Value| r["us_spent_bn"]["median"].as_f64().unwrap();
    assert!(spent(&routes[1]) > spent(&routes[0]), "{routes:?}");

    // The readable table, and a plot of the curves.
    let png = std::env::temp_dir().join(format!("routes-{}.png", std::process::id()));
    let out = bin()
        .args(["lab", "--level", "tutorial", "--games", "3", "--seed", "3"])
        .args(["--us-route", "allies", "--us-route", "mixed", "--plot"])
        .arg(&png)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Routes for the US: Tutorial"), "{text}");
    assert!(
        text.contains("  allies ") && text.contains("  mixed "),
        "{text}"
    );
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    let _ = std::fs::remove_file(&png);

    // A route the lab does not know is refused with the names it knows.
    let out = bin()
        .args([
            "lab",
            "--level",
            "tutorial",
            "--games",
            "1",
            "--us-route",
            "canada",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("russia, domestic, allies, stockpile, mixed or none"),
        "{err}"
    );
}

/// Each route's speed against FACTS.md, "How fast a country can diversify":
/// Japan went from over 90% to 60-70% dependence on China in 14 years with
/// about $1 bn of policy (financing Lynas, stockpiles): about 2 points a
/// year. And "United States projects": the Pentagon-backed MP magnet plant
/// (10,000 t/yr by 2028, already building in the level) is the one step
/// that comes without new orders; new US plants take their sourced permit
/// and build times (a magnet plant 2 years, a separation plant 3.5, a mine
/// 6). Full game, three normal computer players, 10 games per route.
#[test]
fn each_route_diversifies_at_its_sourced_speed() {
    let base = level::bundled("2025-trade-war").unwrap();
    let routes = [
        AiRoute::None,
        AiRoute::Russia,
        AiRoute::Allies,
        AiRoute::Domestic,
    ];
    let variants: Vec<Arc<_>> = routes
        .iter()
        .map(|r| Arc::new(with_us_route(&base, *r)))
        .collect();
    let reports = rare_earth_gambit::lab::run_lab(&variants, 10, 1, Seats::default(), 2);
    let report = |i: usize| RouteReport {
        route: routes[i],
        games: &reports[i],
    };
    let share = |i: usize| -> Vec<f64> { report(i).security().iter().map(|s| s.median).collect() };
    let per_year =
        |s: &[f64], from: usize, to: usize| 4.0 * 100.0 * (s[to] - s[from]) / (to - from) as f64;
    // Turn 12 (Q4 2027) is when the MP plant starts to deliver.
    let (none, russia, allies, domestic) = (share(0), share(1), share(2), share(3));
    assert_eq!(none.len(), 44);
    for (name, s) in [("none", &none), ("russia", &russia), ("allies", &allies)] {
        let before = per_year(s, 0, 10);
        let after = per_year(s, 13, 43);
        assert!(
            before <= 4.0 && after <= 4.0,
            "{name}: {before:.1} and {after:.1} points a year before and after the MP plant; Japan's pace with strong policy was about 2"
        );
    }
    // Russia mines about 2,500 t a year (FACTS): no faster than doing nothing.
    assert!(
        russia[43] <= none[43] + 0.05,
        "russia {:.2} none {:.2}",
        russia[43],
        none[43]
    );
    // Allies add something over the baseline, Japan's way.
    assert!(
        allies[43] >= none[43] + 0.03,
        "allies {:.2} none {:.2}",
        allies[43],
        none[43]
    );
    // Home building: 70% only once new plants are built (not before 2029),
    // at a cost of billions; and reached within the game.
    let first_70 = report(3)
        .first_reaching(0.7)
        .expect("the home route reaches 70%");
    assert!(
        (17..=36).contains(&first_70),
        "home route first at 70% in quarter {first_70}"
    );
    assert!(
        domestic[43] >= 0.7,
        "home route ends at {:.2}",
        domestic[43]
    );
    eprintln!(
        "points a year before/after the MP plant: none {:.1}/{:.1}, russia {:.1}/{:.1}, allies {:.1}/{:.1}; home route first at 70% in quarter {first_70}, ends {:.2}",
        per_year(&none, 0, 10),
        per_year(&none, 13, 43),
        per_year(&russia, 0, 10),
        per_year(&russia, 13, 43),
        per_year(&allies, 0, 10),
        per_year(&allies, 13, 43),
        domestic[43]
    );
    let spent = report(3).spent().unwrap().median;
    assert!(spent >= 5.0, "home route spent {spent:.1} $bn");
    assert!(report(0).first_reaching(0.7).is_none(), "none reached 70%");
}
