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
        origin_price: market.origin_price,
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
        rec.score[id] = card.score();
        rec.turn_score[id] = card
            .objectives
            .iter()
            .zip(&card.progress)
            .map(|(o, p)| o.weight * p)
            .sum();
    }
    history.turns.push(rec);

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
                    "{} price {:+.0}% to ${:.0}/kg: {why}.",
                    capitalise(g.name()),
                    change * 100.0,
                    now
                ),
            );
        }
        // Two price worlds: news when buyers outside China start paying far
        // more than China's own sellers ask (both must be selling).
        let p = market.origin_price[g];
        let sold = market.origin_volume[g];
        let split = |p: &[f64; 4]| p[3] > 1.5 * p[1];
        let was_split = history
            .turns
            .iter()
            .rev()
            .nth(1)
            .is_some_and(|r| split(&r.origin_price[g]));
        if split(&p) && !was_split && sold[1] > 0.0 && sold[3] > 0.0 {
            news.public(
                turn,
                NewsKind::Market,
                format!(
                    "Two price worlds for {}: ${:.0}/kg from China, ${:.0}/kg elsewhere.",
                    g.name(),
                    p[1],
                    p[3]
                ),
            );
        }
    }
    clock.turn += 1;
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

#[cfg(test)]
mod tests {
    use super::*;
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
            news.iter().any(|n| n.text.contains("NdPr oxide price +18%")
                && n.text.contains("Chinese embargo on US")),
            "{news:?}"
        );
    }
}
