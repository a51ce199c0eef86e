//! Phase 12, record: append the turn to the history, explain price moves in
//! the news with their causes, and move the clock on.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(super::TurnSchedule, record_turn.in_set(TurnPhase::Record));
}

/// Price moves at least this large make the news.
const NEWSWORTHY: f64 = 0.08;

pub(crate) fn record_turn(
    mut clock: ResMut<TurnClock>,
    market: Res<Market>,
    relations: Res<Relations>,
    war: Res<UkraineWar>,
    production: Res<Production>,
    causes: Res<TurnCauses>,
    mut history: ResMut<History>,
    mut news: ResMut<NewsLog>,
    narration: Option<Res<Narration>>,
    powers: Query<(
        &Power,
        &Finances,
        &Politics,
        &Stockpile,
        &Industry,
        &Scorecard,
    )>,
) {
    let turn = clock.turn;
    let mut rec = TurnRecord {
        turn,
        label: clock.label(),
        price: market.price,
        price_china: market.price_china,
        origin_price: market.origin_price,
        landed: market.landed,
        china_exports: market.china_exports,
        shortfall: PerPower::default(),
        output_lost: PerPower::default(),
        treasury: PerPower::default(),
        stability: PerPower::default(),
        political_capital: PerPower::default(),
        stockpile: PerPower::default(),
        supply_security: PerPower::default(),
        needs_met: PerPower::default(),
        score: PerPower::default(),
        turn_score: PerPower::default(),
        mining_share: shares(&production.mined),
        separation_share: shares(&production.separated),
        magnet_share: shares(&production.magnets),
        war_status: war.status,
        front_share: war.front_share,
        intensity: war.intensity,
        us_aid: war.us_aid,
        tariff_us_on_china: relations.tariff(PowerId::Us, PowerId::China),
        tariff_china_on_us: relations.tariff(PowerId::China, PowerId::Us),
        china_controls_on_us: Good::ALL
            .iter()
            .map(|g| relations.export_control(PowerId::China, PowerId::Us, *g) as u8)
            .max()
            .unwrap_or(0),
        us_sanctions_on_russia: relations.sanctions(PowerId::Us, PowerId::Russia),
        volume: market.volume,
    };
    for (p, f, pol, s, ind, card) in &powers {
        let id = p.id;
        rec.treasury[id] = f.treasury;
        rec.stability[id] = pol.stability;
        rec.political_capital[id] = pol.political_capital;
        rec.stockpile[id] = s.qty;
        rec.supply_security[id] = ind.supply_security;
        rec.needs_met[id] = ind.needs_met;
        rec.shortfall[id] = ind.shortfall;
        rec.output_lost[id] = ind.output_lost;
        rec.score[id] = card.score();
        rec.turn_score[id] = card
            .objectives
            .iter()
            .zip(&card.progress)
            .map(|(o, p)| o.weight * p)
            .sum();
    }
    history.turns.push(rec);
    clock.turn += 1;
    if narration.is_some_and(|n| !n.0) {
        return;
    }

    // Shortfalls: the figures to the power itself, the headline to all.
    let mut short: Vec<(PowerId, String, f64)> = Vec::new();
    for (p, _, _, _, ind, _) in &powers {
        if p.eliminated || ind.output_lost <= 0.0 {
            continue;
        }
        let goods: Vec<String> = Good::ALL
            .iter()
            .filter(|g| ind.shortfall[**g] > 1e-4)
            .map(|g| format!("{} of {}", quantity(ind.shortfall[*g]), g.name()))
            .collect();
        short.push((p.id, goods.join(", "), ind.output_lost));
    }
    short.sort_by_key(|s| s.0);
    for (p, goods, lost) in short {
        news.private(
            turn,
            &[p],
            NewsKind::Market,
            format!(
                "Our industry went short of {goods}: about ${lost:.1} bn of industrial output lost."
            ),
        );
        if lost >= 1.0 {
            news.public(
                turn,
                NewsKind::Market,
                format!(
                    "{} factories report shortages of rare earths: production lines stand idle.",
                    p.adjective()
                ),
            );
        }
    }

    // Prices, in the world most players trade in (outside China), with
    // China's own price beside it.
    for g in Good::ALL {
        let before = market.previous_price[g];
        let now = market.price[g];
        if before <= 0.0 {
            continue;
        }
        let change = now / before - 1.0;
        if change.abs() >= NEWSWORTHY {
            let explained = causes.explaining(g, change);
            let why = if explained.is_empty() {
                if change > 0.0 {
                    "demand outruns supply".to_string()
                } else {
                    "supply outruns demand".to_string()
                }
            } else {
                explained.join(", ")
            };
            news.public(
                turn,
                NewsKind::Market,
                format!(
                    "{} price outside China {:+.0}% to ${:.0}/kg (in China ${:.0}/kg): {why}.",
                    capitalise(g.name()),
                    change * 100.0,
                    now,
                    market.price_china[g]
                ),
            );
        }
        // Two price worlds: news when buyers outside China start paying far
        // more than buyers in China.
        let split = |outside: f64, china: f64| outside > 1.5 * china;
        let was_split = history
            .turns
            .iter()
            .rev()
            .nth(1)
            .is_some_and(|r| split(r.price[g], r.price_china[g]));
        if split(now, market.price_china[g]) && !was_split {
            news.public(
                turn,
                NewsKind::Market,
                format!(
                    "Two price worlds for {}: ${:.0}/kg outside China, ${:.0}/kg inside it.",
                    g.name(),
                    now,
                    market.price_china[g]
                ),
            );
        }
    }
}

fn shares(v: &[f64; 4]) -> [f64; 4] {
    let total: f64 = v.iter().sum();
    if total <= 0.0 {
        [0.0; 4]
    } else {
        v.map(|x| x / total)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A quantity for the news: kt with two decimals, or tonnes below 0.1 kt
/// (a Dy/Tb shortfall of 2 t would read "0.00 kt").
pub(super) fn quantity(kt: f64) -> String {
    if kt >= 0.1 {
        format!("{kt:.2} kt")
    } else if kt >= 0.0005 {
        format!("{:.0} t", kt * 1000.0)
    } else {
        "under 1 t".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_quantities_read_in_tonnes() {
        assert_eq!(quantity(2.26), "2.26 kt");
        assert_eq!(quantity(0.0021), "2 t");
        assert_eq!(quantity(0.0001), "under 1 t");
    }
    use crate::rules::testing::*;

    #[test]
    fn records_the_turn_and_advances_the_clock() {
        let mut world = test_world();
        run_system(&mut world, record_turn);
        assert_eq!(world.resource::<History>().turns.len(), 1);
        assert_eq!(world.resource::<TurnClock>().turn, 2);
    }

    #[test]
    fn price_jumps_are_explained_with_causes() {
        let mut world = test_world();
        {
            let mut m = world.resource_mut::<Market>();
            m.previous_price[Good::LightOxides] = 50.0;
            m.price[Good::LightOxides] = 59.0;
        }
        world
            .resource_mut::<TurnCauses>()
            .add_up(Good::LightOxides, "Chinese embargo on US");
        run_system(&mut world, record_turn);
        let news = &world.resource::<NewsLog>().items;
        assert!(
            news.iter()
                .any(|n| n.text.contains("NdPr oxide price outside China +18%")
                    && n.text.contains("Chinese embargo on US")),
            "{news:?}"
        );
    }
}
