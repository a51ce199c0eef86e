//! Phase 9, trade: deliver standing contracts (stopped by embargoes and
//! sanctions), then clear the world market good by good.
//!
//! The market has one price per seller origin (US, China, Russia, outside).
//! Buyers spread their demand over the origins they may buy from, leaning to
//! the cheapest landed price (after tariffs). When China embargoes a buyer,
//! that buyer's demand falls on the other origins and their price rises while
//! China's falls: the "two price worlds" of 2025.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        (deliver_contracts, clear_market)
            .chain()
            .in_set(TurnPhase::Trade),
    );
}

/// Share of a tariff's revenue that reaches the treasury; the rest is the
/// cost the importing industry bears.
const TARIFF_KEPT: f64 = 0.5;
/// How strongly buyers lean to the cheapest origin.
const PREFERENCE: f64 = 8.0;
const ITERATIONS: usize = 60;
/// Largest rise and fall of an origin's price in one quarter.
const MAX_RISE: f64 = 1.5;
const MAX_FALL: f64 = 0.67;
/// Outside producers add (or shed) this share of capacity per quarter for
/// each unit of price above (or below) the base: high prices bring new
/// mines and plants in a few years, and buyers economise.
const OUTSIDE_RESPONSE: f64 = 0.015;
/// Relative excess demand at which an origin's price counts as cleared.
const TOLERANCE: f64 = 0.003;

fn export_factor(level: ExportLevel, licensing_pass: f64) -> f64 {
    match level {
        ExportLevel::None => 1.0,
        ExportLevel::Licensing => licensing_pass,
        ExportLevel::Embargo => 0.0,
    }
}

fn sanctions_factor(level: SanctionsLevel, targeted_pass: f64) -> f64 {
    match level {
        SanctionsLevel::None => 1.0,
        SanctionsLevel::Targeted => targeted_pass,
        SanctionsLevel::Full => 0.0,
    }
}

/// Share of a flow of `good` from `seller` that may reach `buyer`.
pub fn access(
    rel: &Relations,
    params: &crate::level::schema::RulesParams,
    good: Good,
    seller: Origin,
    buyer: Origin,
) -> f64 {
    match (seller, buyer) {
        (Origin::Power(s), Origin::Power(b)) => {
            if s == b {
                0.0
            } else {
                export_factor(rel.export_control(s, b, good), params.licensing_pass)
                    * sanctions_factor(rel.sanctions_between(s, b), params.targeted_sanctions_pass)
            }
        }
        (Origin::Power(s), Origin::Outside) => export_factor(
            rel.export_control_outside[s.index()][good],
            params.licensing_pass,
        ),
        (Origin::Outside, _) => 1.0,
    }
}

type PowerItems<'a> = (
    &'a Power,
    &'a mut Stockpile,
    &'a mut Finances,
    &'a Industry,
    &'a Research,
);

pub(crate) fn deliver_contracts(
    rules: Res<GameRules>,
    clock: Res<TurnClock>,
    relations: Res<Relations>,
    mut diplomacy: ResMut<Diplomacy>,
    mut news: ResMut<NewsLog>,
    mut causes: ResMut<TurnCauses>,
    mut log: ResMut<TradeLog>,
    mut powers: Query<PowerItems>,
) {
    *log = TradeLog::default();
    let params = &rules.params;
    let turn = clock.turn;
    let mut contracts = std::mem::take(&mut diplomacy.contracts);
    contracts.sort_by_key(|c| c.id);
    for c in contracts.iter_mut() {
        let pass = access(
            &relations,
            params,
            c.good,
            Origin::Power(c.seller),
            Origin::Power(c.buyer),
        );
        let mut seller_stock_q = 0.0;
        let mut heavy = 0.0;
        let mut eliminated = false;
        for (p, s, ..) in powers.iter() {
            if p.id == c.seller {
                seller_stock_q = s.qty[c.good];
                heavy = s.concentrate_heavy_share;
            }
            if p.eliminated && (p.id == c.seller || p.id == c.buyer) {
                eliminated = true;
            }
        }
        let wanted = c.qty * pass;
        let q = if eliminated {
            0.0
        } else {
            wanted.min(seller_stock_q)
        };
        c.shortfall = c.qty - q;
        c.last_note = if pass == 0.0 {
            let why = if relations.export_control(c.seller, c.buyer, c.good) == ExportLevel::Embargo
            {
                format!("{} embargo", c.seller.adjective())
            } else {
                "sanctions".to_string()
            };
            causes.add(c.good, format!("contract deliveries stopped by {why}"));
            format!("nothing delivered: blocked by {why}")
        } else if pass < 1.0 {
            format!(
                "{:.0}% delivered: licensing and sanctions slow it",
                q / c.qty * 100.0
            )
        } else if q < c.qty - 1e-9 {
            format!("{:.2} kt short: the seller lacks stock", c.qty - q)
        } else {
            "delivered in full".to_string()
        };
        if q > 0.0 {
            let t = relations.tariff(c.buyer, c.seller);
            let value = q * c.price / 1000.0;
            for (p, mut s, mut f, ..) in powers.iter_mut() {
                if p.id == c.seller {
                    s.take(c.good, q);
                    f.treasury += value;
                    f.ledger.sales += value;
                } else if p.id == c.buyer {
                    let mix = OriginMix::pure(Origin::Power(c.seller));
                    if c.good == Good::Concentrate {
                        s.add_concentrate(q, heavy, &mix);
                    } else {
                        s.add(c.good, q, &mix);
                    }
                    f.treasury -= value * (1.0 + t);
                    f.ledger.purchases -= value * (1.0 + t);
                    f.treasury += value * t * TARIFF_KEPT;
                    f.ledger.tariff_revenue += value * t * TARIFF_KEPT;
                }
            }
            log.flows.push(TradeFlow {
                good: c.good,
                seller: Origin::Power(c.seller),
                buyer: Origin::Power(c.buyer),
                qty: q,
                price: c.price,
                tariff: t,
                contract: true,
            });
        }
        c.turns_left = c.turns_left.saturating_sub(1);
        if c.turns_left == 0 {
            news.private(
                turn,
                &[c.seller, c.buyer],
                NewsKind::Diplomacy,
                format!(
                    "Contract #{} ({} to {}, {}) has run its course.",
                    c.id, c.seller, c.buyer, c.good
                ),
            );
        }
    }
    contracts.retain(|c| c.turns_left > 0);
    diplomacy.contracts = contracts;
}

/// A quantity offered or wanted with a price limit.
#[derive(Clone, Copy, Debug)]
struct Limit {
    qty: f64,
    price: f64,
}

/// Smooth step: the share of a limit order that trades at `price`.
fn fill_share(price: f64, limit: f64, buying: bool) -> f64 {
    let width = 0.05 * limit.max(1e-6);
    let x = if buying {
        (limit - price) / width
    } else {
        (price - limit) / width
    };
    1.0 / (1.0 + (-x.clamp(-50.0, 50.0)).exp())
}

/// Supply of one origin for one good.
#[derive(Clone, Debug, Default)]
struct OriginSupply {
    limits: Vec<Limit>,
    /// Outside suppliers' offer at the base price (summed), with elasticity.
    elastic: f64,
}

impl OriginSupply {
    fn at(&self, price: f64, base: f64, elasticity: f64) -> f64 {
        let mut s: f64 = self
            .limits
            .iter()
            .map(|l| l.qty * fill_share(price, l.price, false))
            .sum();
        if self.elastic > 0.0 {
            s += self.elastic * (price / base).powf(elasticity);
        }
        s
    }
}

/// Demand of one buyer for one good.
#[derive(Clone, Debug, Default)]
struct BuyerDemand {
    limits: Vec<Limit>,
    elastic: f64,
}

impl BuyerDemand {
    fn at(&self, price: f64, base: f64, elasticity: f64) -> f64 {
        let mut d: f64 = self
            .limits
            .iter()
            .map(|l| l.qty * fill_share(price, l.price, true))
            .sum();
        if self.elastic > 0.0 {
            d += self.elastic * (price / base).powf(-elasticity);
        }
        d
    }
}

/// What a power's industry and plants use of each good per turn, and what its
/// own mines and plants will supply to those plants next turn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Needs {
    /// Industry use this turn (after recycling).
    pub industry: PerGood<f64>,
    /// Feedstock the power's plants use per turn.
    pub plants: PerGood<f64>,
    /// Own output that will feed those plants next turn.
    pub own_supply: PerGood<f64>,
}

impl Needs {
    /// Stock wanted after trade to run this turn's industry and next turn's plants.
    pub fn working(&self, g: Good) -> f64 {
        self.industry[g] + (self.plants[g] - self.own_supply[g]).max(0.0)
    }
    /// Total use per turn, the unit reserves are counted in.
    pub fn consumption(&self, g: Good) -> f64 {
        self.industry[g] + self.plants[g]
    }
}

/// A power's needs, from its industry, research and facilities.
pub fn power_needs(
    params: &crate::level::schema::RulesParams,
    me: PowerId,
    industry: &Industry,
    research: &Research,
    stock: &Stockpile,
    facilities: &[&Facility],
) -> Needs {
    let mut n = Needs {
        industry: industry.need,
        ..Default::default()
    };
    n.industry[Good::Concentrate] = 0.0;
    n.industry[Good::Magnets] *=
        1.0 - params.recycling_max * research.level(ResearchField::Recycling);
    let heavy_per = params.magnet_heavy_per_kt
        * (1.0 - params.substitution_max * research.level(ResearchField::Substitution));
    let mut separation = 0.0;
    for f in facilities {
        if f.stage != Stage::Operating {
            continue;
        }
        let share = f.share_of(me);
        match f.kind {
            FacilityKind::Mine => n.own_supply[Good::Concentrate] += f.capacity * share,
            FacilityKind::SeparationPlant if f.owner == me => {
                n.plants[Good::Concentrate] += f.capacity;
                separation += f.capacity;
            }
            FacilityKind::MagnetPlant if f.owner == me => {
                n.plants[Good::LightOxides] += f.capacity * params.magnet_light_per_kt;
                n.plants[Good::HeavyOxides] += f.capacity * heavy_per;
            }
            _ => {}
        }
    }
    // Oxides from next turn's separation, limited by the concentrate at hand.
    let feed = separation.min(stock.qty[Good::Concentrate] + n.own_supply[Good::Concentrate]);
    n.own_supply[Good::LightOxides] = feed * params.light_yield;
    n.own_supply[Good::HeavyOxides] = feed * stock.concentrate_heavy_share * params.heavy_recovery;
    n
}

/// Share of a reserve gap a power buys each turn: stockpiles build gradually.
pub const RESERVE_BUILD_RATE: f64 = 0.25;

pub(crate) fn clear_market(
    rules: Res<GameRules>,
    clock: Res<TurnClock>,
    relations: Res<Relations>,
    war: Res<UkraineWar>,
    orders: Res<MarketOrders>,
    mut market: ResMut<Market>,
    mut log: ResMut<TradeLog>,
    mut production: ResMut<Production>,
    facilities: Query<&Facility>,
    mut suppliers: Query<&mut OutsideSupplier>,
    mut powers: Query<PowerItems>,
) {
    let params = &rules.params;
    let turn = clock.turn;
    let growth_turns = turn.saturating_sub(1) as i32;

    // Sorted: sums of floats must add up in the same order every run.
    let mut all_facilities: Vec<&Facility> = facilities.iter().collect();
    all_facilities.sort_by_key(|f| f.seq);
    let mut supplier_list: Vec<Mut<OutsideSupplier>> = suppliers.iter_mut().collect();
    supplier_list.sort_by(|a, b| a.id.cmp(&b.id));

    // Snapshot what each power holds and wants before any goods move.
    struct PowerSide {
        id: PowerId,
        active: bool,
        stock: PerGood<f64>,
        /// Stock wanted after trade, short of any reserve.
        working: PerGood<f64>,
        /// The part of `working` this turn's industry uses.
        industry: PerGood<f64>,
        reserve: PerGood<f64>,
        heavy_share: f64,
        can_pay: bool,
    }
    let mut sides: Vec<PowerSide> = Vec::new();
    for (p, s, f, ind, res) in powers.iter() {
        let needs = power_needs(params, p.id, ind, res, s, &all_facilities);
        sides.push(PowerSide {
            id: p.id,
            active: !p.eliminated,
            stock: s.qty,
            working: PerGood(Good::ALL.map(|g| needs.working(g))),
            industry: needs.industry,
            reserve: PerGood(Good::ALL.map(|g| needs.consumption(g) * s.reserve_turns[g])),
            heavy_share: s.concentrate_heavy_share,
            can_pay: f.treasury > -f.debt_limit,
        });
    }
    sides.sort_by_key(|s| s.id);

    market.previous_price = market.price;
    // What a plant can pay for its feed and still make money, at last
    // turn's prices.
    let p = market.price;
    let heavy_per = params.magnet_heavy_per_kt;
    let light_per = params.magnet_light_per_kt;
    let typical_heavy = 0.01;
    let mut feed_limit = PerGood([0.0; 4]);
    feed_limit[Good::Concentrate] = 0.9
        * (params.light_yield * p[Good::LightOxides]
            + typical_heavy * params.heavy_recovery * p[Good::HeavyOxides]
            + (1.0 - params.light_yield - typical_heavy) * params.byproduct_price);
    feed_limit[Good::LightOxides] =
        0.9 * (p[Good::Magnets] - heavy_per * p[Good::HeavyOxides]) / light_per;
    feed_limit[Good::HeavyOxides] =
        0.9 * (p[Good::Magnets] - light_per * p[Good::LightOxides]) / heavy_per.max(1e-6);
    for good in Good::ALL {
        let base = rules.base_price[good];
        let es = rules.supply_elasticity;
        let ed = rules.demand_elasticity;
        let mut supply: [OriginSupply; 4] = Default::default();
        let mut demand: [BuyerDemand; 4] = Default::default();
        let mut outside_heavy = (0.0, 0.0);
        for s in supplier_list.iter() {
            let grow = (1.0 + s.growth).powi(growth_turns);
            let grow_demand = (1.0 + s.demand_growth).powi(growth_turns);
            let offer = s.supply[good] * grow * s.shock_factor(good);
            supply[3].elastic += offer;
            outside_heavy.0 += offer * s.concentrate_heavy_share;
            outside_heavy.1 += offer;
            demand[3].elastic += s.demand[good] * grow_demand * market.demand_shock(good);
        }
        let outside_heavy_share = if outside_heavy.1 > 0.0 {
            outside_heavy.0 / outside_heavy.1
        } else {
            0.0
        };
        for side in sides.iter().filter(|s| s.active) {
            let i = side.id.index();
            let explicit_sells: f64 = orders
                .sells
                .iter()
                .filter(|(p, g, ..)| *p == side.id && *g == good)
                .map(|(_, _, q, _)| *q)
                .sum();
            let mut left = side.stock[good];
            for (_, _, q, min) in orders
                .sells
                .iter()
                .filter(|(p, g, ..)| *p == side.id && *g == good)
            {
                let q = q.min(left);
                left -= q;
                supply[i].limits.push(Limit {
                    qty: q,
                    price: *min,
                });
            }
            // Stock beyond need and reserve goes to market: a power with
            // concentrate but no separation plant must sell it.
            let (stock, working, reserve) =
                (side.stock[good], side.working[good], side.reserve[good]);
            let surplus = stock - working - reserve - explicit_sells;
            if surplus > 1e-6 {
                supply[i].limits.push(Limit {
                    qty: surplus.min(left),
                    price: 0.5 * base,
                });
            }
            if side.can_pay {
                // Industry's needs are bought at almost any price; plant feed
                // only while the plant's output still pays for it; reserves
                // build gradually and not in a price spike.
                let industry_short = (side.industry[good] - stock).max(0.0);
                let feed_short = (working - stock).max(0.0) - industry_short;
                let building = (working + reserve - stock.max(working)).max(0.0);
                for (qty, limit) in [
                    (industry_short, params.procurement_cap * base),
                    (feed_short, feed_limit[good].max(0.5 * base)),
                    (RESERVE_BUILD_RATE * building, 2.0 * base),
                ] {
                    if qty > 1e-6 {
                        demand[i].limits.push(Limit { qty, price: limit });
                    }
                }
                for (_, _, q, max) in orders
                    .buys
                    .iter()
                    .filter(|(p, g, ..)| *p == side.id && *g == good)
                {
                    demand[i].limits.push(Limit {
                        qty: *q,
                        price: *max,
                    });
                }
            }
        }

        // Access and landed-price factors, [buyer][origin].
        let mut reach = [[0.0f64; 4]; 4];
        let mut landed = [[1.0f64; 4]; 4];
        for b in Origin::ALL {
            for o in Origin::ALL {
                reach[b.index()][o.index()] = access(&relations, params, good, o, b);
                if let (Origin::Power(bp), Origin::Power(op)) = (b, o) {
                    landed[b.index()][o.index()] = 1.0 + relations.tariff(bp, op);
                    if bp == PowerId::China
                        && op == PowerId::Russia
                        && war.china_stance == ChinaStance::SupportRussia
                    {
                        landed[b.index()][o.index()] *= 1.0 - rules.war.support_discount;
                    }
                }
            }
        }

        // Traders' inventories smooth prices: an origin's price moves at most
        // by half again (or a third down) in a quarter; demand beyond that is
        // rationed.
        let mut price = market.origin_price[good];
        let mut lo_o = [0.0f64; 4];
        let mut hi_o = [0.0f64; 4];
        for (o, p) in price.iter_mut().enumerate() {
            if !p.is_finite() || *p <= 0.0 {
                *p = base;
            }
            lo_o[o] = (*p * MAX_FALL).max(0.2 * base);
            hi_o[o] = (*p * MAX_RISE).min(40.0 * base);
            *p = p.clamp(lo_o[o], hi_o[o]);
        }
        let mut flows = [[0.0f64; 4]; 4];
        let mut offered = [0.0f64; 4];
        let mut gain = [0.3f64; 4];
        let mut last_sign = [0i8; 4];
        let mut effective = [0.0f64; 4];
        for iter in 0..=ITERATIONS {
            for o in 0..4 {
                offered[o] = supply[o].at(price[o], base, es);
            }
            flows = [[0.0; 4]; 4];
            for b in 0..4 {
                let mut best = f64::INFINITY;
                for o in 0..4 {
                    if reach[b][o] > 0.0 && offered[o] > 1e-9 {
                        best = best.min(price[o] * landed[b][o]);
                    }
                }
                if !best.is_finite() {
                    continue;
                }
                let mut w = [0.0f64; 4];
                let mut wsum = 0.0;
                for o in 0..4 {
                    if reach[b][o] > 0.0 && offered[o] > 1e-9 {
                        let l = price[o] * landed[b][o];
                        w[o] = offered[o] * (-PREFERENCE * (l / best - 1.0)).exp();
                        wsum += w[o];
                    }
                }
                if wsum <= 0.0 {
                    continue;
                }
                let eff: f64 = (0..4).map(|o| w[o] / wsum * price[o] * landed[b][o]).sum();
                effective[b] = eff;
                let want = demand[b].at(eff, base, ed);
                // Licensing and sanctions let only part of each flow through;
                // the rest turns to fully open origins, if there are any.
                let mut blocked = 0.0;
                let mut open_weight = 0.0;
                for o in 0..4 {
                    let d = want * w[o] / wsum;
                    flows[b][o] = d * reach[b][o];
                    blocked += d * (1.0 - reach[b][o]);
                    if reach[b][o] >= 1.0 {
                        open_weight += w[o];
                    }
                }
                if blocked > 0.0 && open_weight > 0.0 {
                    for o in 0..4 {
                        if reach[b][o] >= 1.0 {
                            flows[b][o] += blocked * w[o] / open_weight;
                        }
                    }
                }
            }
            if iter == ITERATIONS {
                break;
            }
            // Tâtonnement with a gain per origin that grows while the excess
            // keeps its sign and halves when it overshoots.
            let mut settled = true;
            for o in 0..4 {
                let d: f64 = (0..4).map(|b| flows[b][o]).sum();
                let excess = d - offered[o];
                let scale = d.max(offered[o]).max(1e-3);
                let pinned =
                    (price[o] <= lo_o[o] && excess < 0.0) || (price[o] >= hi_o[o] && excess > 0.0);
                if excess.abs() / scale < TOLERANCE || pinned {
                    continue;
                }
                settled = false;
                let sign = if excess > 0.0 { 1 } else { -1 };
                if last_sign[o] == sign {
                    gain[o] = (gain[o] * 1.4).min(2.0);
                } else if last_sign[o] != 0 {
                    gain[o] *= 0.5;
                }
                last_sign[o] = sign;
                let ratio = (d + 1e-6) / (offered[o] + 1e-6);
                let step = ratio.powf(gain[o]).clamp(0.7, 1.4);
                price[o] = (price[o] * step).clamp(lo_o[o], hi_o[o]);
            }
            if settled {
                break;
            }
        }
        // Limit orders are exact at settlement (the search used smooth
        // steps): a power buys only below its limits and sells only above.
        for b in 0..3 {
            let smooth = demand[b].at(effective[b], base, ed);
            if smooth > 1e-12 {
                let hard: f64 = demand[b]
                    .limits
                    .iter()
                    .filter(|l| l.price >= effective[b])
                    .map(|l| l.qty)
                    .sum();
                let scale = (hard / smooth).min(1.0);
                for f in flows[b].iter_mut() {
                    *f *= scale;
                }
            }
        }
        for o in 0..3 {
            offered[o] = supply[o]
                .limits
                .iter()
                .filter(|l| l.price <= price[o])
                .map(|l| l.qty)
                .sum();
        }
        // Settle: each origin sells what it offers at most; buyers are rationed.
        let mut traded = [0.0f64; 4];
        let mut volume = 0.0;
        let mut value = 0.0;
        for o in 0..4 {
            let d: f64 = (0..4).map(|b| flows[b][o]).sum();
            let sold = d.min(offered[o]);
            let fill = if d > 0.0 { sold / d } else { 0.0 };
            for row in flows.iter_mut() {
                row[o] *= fill;
            }
            traded[o] = sold;
            volume += sold;
            value += sold * price[o];
        }
        for (o, origin) in Origin::ALL.into_iter().enumerate() {
            for (b, buyer) in Origin::ALL.into_iter().enumerate() {
                let q = flows[b][o];
                if q <= 1e-9 {
                    continue;
                }
                let unit = price[o] * landed[b][o];
                let paid = q * unit / 1000.0;
                let tariff = match (buyer, origin) {
                    (Origin::Power(bp), Origin::Power(op)) => relations.tariff(bp, op),
                    _ => 0.0,
                };
                let received = if tariff > 0.0 {
                    paid / (1.0 + tariff)
                } else {
                    paid
                };
                if let Origin::Power(bp) = buyer {
                    let heavy = match origin {
                        Origin::Power(op) => sides[op.index()].heavy_share,
                        Origin::Outside => outside_heavy_share,
                    };
                    for (p, mut s, mut f, ..) in powers.iter_mut() {
                        if p.id != bp {
                            continue;
                        }
                        let mix = OriginMix::pure(origin);
                        if good == Good::Concentrate {
                            s.add_concentrate(q, heavy, &mix);
                        } else {
                            s.add(good, q, &mix);
                        }
                        f.treasury -= paid;
                        f.ledger.purchases -= paid;
                        let kept = (paid - received) * TARIFF_KEPT;
                        f.treasury += kept;
                        f.ledger.tariff_revenue += kept;
                    }
                }
                if let Origin::Power(op) = origin {
                    for (p, mut s, mut f, ..) in powers.iter_mut() {
                        if p.id != op {
                            continue;
                        }
                        s.take(good, q);
                        f.treasury += received;
                        f.ledger.sales += received;
                    }
                }
                log.flows.push(TradeFlow {
                    good,
                    seller: origin,
                    buyer,
                    qty: q,
                    // What the seller got per kg (after any discount to China).
                    price: received * 1000.0 / q,
                    tariff,
                    contract: false,
                });
            }
        }
        // Outside suppliers share their sales pro rata to their offers.
        let outside_offer: f64 = supplier_list
            .iter()
            .map(|s| s.supply[good] * s.shock_factor(good))
            .sum();
        for s in supplier_list.iter_mut() {
            let share = if outside_offer > 0.0 {
                s.supply[good] * s.shock_factor(good) / outside_offer
            } else {
                0.0
            };
            s.sold[good] = traded[3] * share;
        }
        match good {
            Good::Concentrate => production.mined[3] += traded[3],
            Good::LightOxides => production.separated[3] += traded[3] / params.light_yield,
            Good::Magnets => production.magnets[3] += traded[3],
            Good::HeavyOxides => {}
        }
        market.origin_price[good] = price;
        market.origin_volume[good] = traded;
        market.volume[good] = volume;
        market.price[good] = if volume > 1e-9 {
            value / volume
        } else {
            let s: f64 = offered.iter().sum();
            if s > 0.0 {
                (0..4).map(|o| price[o] * offered[o]).sum::<f64>() / s
            } else {
                market.price[good]
            }
        };
        // Long-run response of outside producers and users to the price.
        let signal = (market.price[good] / base - 1.0).clamp(-0.5, 2.0);
        if signal.abs() > 0.1 {
            for s in supplier_list.iter_mut() {
                s.supply[good] *= 1.0 + OUTSIDE_RESPONSE * signal;
                s.demand[good] *= 1.0 - 0.5 * OUTSIDE_RESPONSE * signal;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::deals::Contract;
    use crate::rules::orders::get_power;
    use crate::rules::testing::*;

    /// Trade as in a turn: after mines and plants have run.
    pub(super) fn clear(world: &mut World) {
        run_system(world, crate::rules::production::run_mines);
        run_system(world, crate::rules::processing::run_plants);
        run_system(world, deliver_contracts);
        run_system(world, clear_market);
    }

    #[test]
    fn market_clears_near_base_prices_at_the_start() {
        let mut world = test_world();
        clear(&mut world);
        let m = world.resource::<Market>();
        let base = world.resource::<GameRules>().base_price;
        for g in Good::ALL {
            let ratio = m.price[g] / base[g];
            assert!(
                (0.5..2.0).contains(&ratio),
                "{g}: {} vs base {}",
                m.price[g],
                base[g]
            );
            assert!(m.volume[g] > 0.0, "{g} trades");
        }
    }

    #[test]
    fn chinese_embargo_splits_prices_for_the_us() {
        // Two quarters of mining, processing, trade and consumption; the
        // embargo starts in the second.
        let quarter = |w: &mut World| {
            clear(w);
            run_system(w, crate::rules::consumption::consume);
        };
        let mut open = test_world();
        quarter(&mut open);
        quarter(&mut open);
        let mut shut = test_world();
        quarter(&mut shut);
        for g in Good::ALL {
            shut.resource_mut::<Relations>().export_control[PowerId::China.index()]
                [PowerId::Us.index()][g] = ExportLevel::Embargo;
        }
        quarter(&mut shut);
        let p_open = open.resource::<Market>().origin_price[Good::Magnets];
        let p_shut = shut.resource::<Market>().origin_price[Good::Magnets];
        // Non-Chinese magnets dearer, Chinese cheaper.
        assert!(
            p_shut[3] > p_open[3],
            "outside {:?} vs {:?}",
            p_shut,
            p_open
        );
        assert!(p_shut[1] <= p_open[1] + 1e-9);
        // Nothing Chinese reaches the US.
        let flows = &shut.resource::<TradeLog>().flows;
        assert!(
            !flows
                .iter()
                .any(|f| f.seller == Origin::Power(PowerId::China)
                    && f.buyer == Origin::Power(PowerId::Us))
        );
    }

    #[test]
    fn trades_conserve_goods_and_money_between_powers() {
        let mut world = test_world();
        run_system(&mut world, crate::rules::production::run_mines);
        run_system(&mut world, crate::rules::processing::run_plants);
        let total = |w: &World, g: Good| -> f64 {
            PowerId::ALL
                .iter()
                .map(|p| get_power::<Stockpile>(w, *p).qty[g])
                .sum()
        };
        let before: Vec<f64> = Good::ALL.iter().map(|g| total(&world, *g)).collect();
        run_system(&mut world, deliver_contracts);
        run_system(&mut world, clear_market);
        let log = world.resource::<TradeLog>().flows.clone();
        for (i, g) in Good::ALL.iter().enumerate() {
            let inflow: f64 = log
                .iter()
                .filter(|f| {
                    f.good == *g && f.seller == Origin::Outside && f.buyer != Origin::Outside
                })
                .map(|f| f.qty)
                .sum();
            let outflow: f64 = log
                .iter()
                .filter(|f| {
                    f.good == *g && f.seller != Origin::Outside && f.buyer == Origin::Outside
                })
                .map(|f| f.qty)
                .sum();
            let after = total(&world, *g);
            assert!(
                (after - (before[i] + inflow - outflow)).abs() < 1e-6,
                "{g}: {} + {inflow} - {outflow} != {after}",
                before[i]
            );
        }
        for p in PowerId::ALL {
            let f = get_power::<Finances>(&world, p);
            assert!(f.treasury.is_finite());
        }
    }

    #[test]
    fn embargo_stops_contract_deliveries() {
        let mut world = test_world();
        world.resource_mut::<Diplomacy>().contracts.push(Contract {
            id: 1,
            proposal: 1,
            seller: PowerId::China,
            buyer: PowerId::Us,
            good: Good::Magnets,
            qty: 1.0,
            price: 60.0,
            turns_left: 3,
            shortfall: 0.0,
            last_note: String::new(),
        });
        world.resource_mut::<Relations>().export_control[PowerId::China.index()]
            [PowerId::Us.index()][Good::Magnets] = ExportLevel::Embargo;
        run_system(&mut world, deliver_contracts);
        let c = &world.resource::<Diplomacy>().contracts[0];
        assert_eq!(c.shortfall, 1.0);
        assert!(c.last_note.contains("embargo"), "{}", c.last_note);
        assert_eq!(c.turns_left, 2);
        world.resource_mut::<Relations>().export_control[PowerId::China.index()]
            [PowerId::Us.index()][Good::Magnets] = ExportLevel::None;
        let us0 = get_power::<Stockpile>(&world, PowerId::Us).qty[Good::Magnets];
        run_system(&mut world, deliver_contracts);
        let us1 = get_power::<Stockpile>(&world, PowerId::Us).qty[Good::Magnets];
        assert!((us1 - us0 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn us_concentrate_without_separation_is_sold() {
        let mut world = test_world();
        let before = get_power::<Stockpile>(&world, PowerId::Us).qty[Good::Concentrate];
        // Give the US a big pile of concentrate.
        let e = power_entity(&world, PowerId::Us);
        world.get_mut::<Stockpile>(e).unwrap().qty[Good::Concentrate] = before + 20.0;
        clear(&mut world);
        let sold: f64 = world
            .resource::<TradeLog>()
            .flows
            .iter()
            .filter(|f| f.good == Good::Concentrate && f.seller == Origin::Power(PowerId::Us))
            .map(|f| f.qty)
            .sum();
        assert!(sold > 5.0, "sold {sold}");
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;
    use crate::rules::testing::*;

    fn us_from_china(world: &World, good: Good) -> f64 {
        world
            .resource::<TradeLog>()
            .flows
            .iter()
            .filter(|f| {
                f.good == good
                    && f.seller == Origin::Power(PowerId::China)
                    && f.buyer == Origin::Power(PowerId::Us)
            })
            .map(|f| f.qty)
            .sum()
    }

    #[test]
    fn licensing_lets_about_half_through() {
        let mut open = test_world();
        super::tests::clear(&mut open);
        let mut licensed = test_world();
        licensed.resource_mut::<Relations>().export_control[PowerId::China.index()]
            [PowerId::Us.index()][Good::Magnets] = ExportLevel::Licensing;
        super::tests::clear(&mut licensed);
        let (a, b) = (
            us_from_china(&open, Good::Magnets),
            us_from_china(&licensed, Good::Magnets),
        );
        let total: f64 = licensed
            .resource::<TradeLog>()
            .flows
            .iter()
            .filter(|f| f.good == Good::Magnets && f.buyer == Origin::Power(PowerId::Us))
            .map(|f| f.qty)
            .sum();
        assert!(a > 0.1, "the US buys Chinese magnets when open ({a})");
        assert!(b < a, "licensing cuts Chinese sales to the US: {b} vs {a}");
        // At most half of what the US buys can pass the licences.
        assert!(b <= 0.5 * total + 1e-9, "licensed {b} of {total}");
    }

    #[test]
    fn a_buy_limit_is_never_exceeded() {
        let mut world = test_world();
        let limit = 0.5 * world.resource::<GameRules>().base_price[Good::Magnets];
        world.resource_mut::<MarketOrders>().buys.push((
            PowerId::Russia,
            Good::Magnets,
            5.0,
            limit,
        ));
        // Russia has no other magnet needs this turn.
        let e = power_entity(&world, PowerId::Russia);
        world.get_mut::<Industry>(e).unwrap().need[Good::Magnets] = 0.0;
        super::tests::clear(&mut world);
        for f in &world.resource::<TradeLog>().flows {
            if f.buyer == Origin::Power(PowerId::Russia) && f.good == Good::Magnets {
                assert!(f.price * (1.0 + f.tariff) <= limit * 1.0001, "{f:?}");
            }
        }
    }
}
