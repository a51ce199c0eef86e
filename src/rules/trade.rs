//! Phase 9, trade: standing contracts and offtakes are delivered (unless
//! controls or sanctions stop them), then each good's market is cleared in
//! two price worlds.
//!
//! China's own industry is served from China's own stocks; what China sells
//! abroad goes out through its export controls, one seller per destination
//! (the US, Russia, each outside buyer), each capped by the licences granted
//! for it. Outside China, buyers lean to the cheapest landed price (tariffs,
//! detours through third countries); when licences cap China's exports, the
//! licensed goods and every non-Chinese seller's goods go to the highest
//! bidders and the price outside China rises, while China's domestic price
//! answers China's own glut (see [`update_china_price`]).

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::deals::Offtake;
use super::licences::{control_on_buyer, control_pass, export_pass, leakage};
use super::market::{
    Buyer, Clearing, Limit, Link, Seller, Settlement, SolveWork, demand_curve, supply_curve,
};
use super::params::RulesParams;
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        (
            deliver_contracts,
            deliver_offtakes,
            clear_market,
            settle_price_floors,
        )
            .chain()
            .in_set(TurnPhase::Trade),
    );
}

/// Share of a tariff's revenue that reaches the treasury; the rest is the
/// cost the importing industry bears.
const TARIFF_KEPT: f64 = 0.5;
/// Weeks in a quarter: stocks are counted in weeks of use.
pub const WEEKS_PER_QUARTER: f64 = 13.0;
/// Share of a reserve gap a power buys each turn: stockpiles build gradually.
pub const RESERVE_BUILD_RATE: f64 = 0.25;
/// Holders do not dump: they offer stock from this share of the going price,
/// and never below `COST_FLOOR` of the base price (what making it costs).
const HOLDER_FLOOR: f64 = 0.75;
const COST_FLOOR: f64 = 0.6;
/// China's industry buys imports when they are cheaper than its own goods,
/// up to this share of its use.
const IMPORT_ARBITRAGE: f64 = 0.2;

fn holder_floor(price: f64, base: f64) -> f64 {
    (HOLDER_FLOOR * price).max(COST_FLOOR * base)
}

fn sanctions_factor(level: SanctionsLevel, targeted_pass: f64) -> f64 {
    match level {
        SanctionsLevel::None => 1.0,
        SanctionsLevel::Targeted => targeted_pass,
        SanctionsLevel::Full => 0.0,
    }
}

/// Share of a direct flow of `good` from `seller` to `buyer` (two powers)
/// that gets through their controls and sanctions (no detours).
pub fn direct_access(
    rel: &Relations,
    params: &RulesParams,
    good: Good,
    seller: PowerId,
    buyer: PowerId,
) -> f64 {
    if seller == buyer {
        return 0.0;
    }
    export_pass(rel, &params.licensing, seller, Origin::Power(buyer), good)
        * sanctions_factor(
            rel.sanctions_between(seller, buyer),
            params.targeted_sanctions_pass,
        )
}

/// Share of goods with content `mix` that may go to `buyer` under the
/// extraterritorial rules of the powers whose content they carry (China's
/// 0.1% rule reaches magnets made in Japan from Chinese oxide).
pub fn content_access(
    rel: &Relations,
    params: &RulesParams,
    good: Good,
    mix: &OriginMix,
    buyer: Origin,
    buyer_controls: Option<&OutsideSupplier>,
) -> f64 {
    let mut reach = 1.0;
    for x in PowerId::ALL {
        if !rel.extraterritorial[x.index()] || buyer == Origin::Power(x) {
            continue;
        }
        let content = mix.share(Origin::Power(x));
        if content <= 0.0 {
            continue;
        }
        let pass = match buyer_controls {
            Some(b) => {
                let (level, age) = control_on_buyer(rel, b, x, good);
                control_pass(&params.licensing, level, Origin::Outside, age)
            }
            None => export_pass(rel, &params.licensing, x, buyer, good),
        };
        reach *= 1.0 - content * (1.0 - pass);
    }
    reach
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
        let mut seller_stock = None;
        let mut eliminated = false;
        for (p, s, ..) in powers.iter() {
            if p.id == c.seller {
                seller_stock = Some(s.clone());
            }
            if p.eliminated && (p.id == c.seller || p.id == c.buyer) {
                eliminated = true;
            }
        }
        let Some(seller_stock) = seller_stock else {
            continue;
        };
        let pass = direct_access(&relations, params, c.good, c.seller, c.buyer)
            * content_access(
                &relations,
                params,
                c.good,
                &seller_stock.mix[c.good],
                Origin::Power(c.buyer),
                None,
            );
        let wanted = c.qty * pass;
        let q = if eliminated {
            0.0
        } else {
            wanted.min(seller_stock.qty[c.good])
        };
        c.shortfall = c.qty - q;
        c.last_note = if pass == 0.0 {
            let why = if relations.export_control(c.seller, c.buyer, c.good) == ExportLevel::Embargo
            {
                format!("{} embargo", c.seller.adjective())
            } else if relations.sanctions_between(c.seller, c.buyer) == SanctionsLevel::Full {
                "sanctions".to_string()
            } else {
                "export controls".to_string()
            };
            causes.add(c.good, format!("contract deliveries stopped by {why}"));
            format!("nothing delivered: blocked by {why}")
        } else if pass < 1.0 {
            format!(
                "{:.0}% delivered: licences and sanctions slow it",
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
            let mix = seller_stock.mix[c.good];
            let heavy = seller_stock.concentrate_heavy_share;
            for (p, mut s, mut f, ..) in powers.iter_mut() {
                if p.id == c.seller {
                    s.take(c.good, q);
                    f.treasury += value;
                    f.ledger.sales += value;
                } else if p.id == c.buyer {
                    receive(&mut s, c.good, q, heavy, &mix);
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
                detour: 0.0,
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

/// Add goods to a stock, keeping the concentrate's heavy share.
fn receive(s: &mut Stockpile, good: Good, qty: f64, heavy: f64, mix: &OriginMix) {
    if good == Good::Concentrate {
        s.add_concentrate(qty, heavy, mix);
    } else {
        s.add(good, qty, mix);
    }
}

/// Offtakes and long-term contracts of outside producers: delivered from the
/// producer's stock before its own users and the open market, at the price
/// outside China plus the premium agreed.
pub(crate) fn deliver_offtakes(
    rules: Res<GameRules>,
    clock: Res<TurnClock>,
    relations: Res<Relations>,
    market: Res<Market>,
    mut diplomacy: ResMut<Diplomacy>,
    mut news: ResMut<NewsLog>,
    mut log: ResMut<TradeLog>,
    mut suppliers: Query<&mut OutsideSupplier>,
    mut powers: Query<PowerItems>,
) {
    // A new quarter of trade for outside producers.
    for mut o in &mut suppliers {
        o.sold = PerGood::default();
        o.bought = PerGood::default();
    }
    if diplomacy.offtakes.is_empty() {
        return;
    }
    let params = &rules.params;
    let mut offtakes: Vec<Offtake> = std::mem::take(&mut diplomacy.offtakes);
    offtakes.sort_by_key(|o| o.id);
    for o in offtakes.iter_mut() {
        let Some(mut sup) = suppliers.iter_mut().find(|s| *s.id == *o.supplier) else {
            o.turns_left = 0;
            continue;
        };
        let buyer_out = powers.iter().any(|(p, ..)| p.id == o.buyer && p.eliminated);
        let mix = sup.stock.mix[o.good];
        let heavy = sup.stock.concentrate_heavy_share;
        let pass = content_access(
            &relations,
            params,
            o.good,
            &mix,
            Origin::Power(o.buyer),
            None,
        );
        let q = if buyer_out {
            0.0
        } else {
            (o.qty * pass).min(sup.stock.qty[o.good])
        };
        o.shortfall = o.qty - q;
        o.last_note = if pass < 1e-9 {
            "nothing delivered: the goods carry Chinese content that China's rules stop".into()
        } else if pass < 1.0 - 1e-9 {
            format!(
                "{:.0}% delivered: China's rules stop goods with Chinese content",
                q / o.qty * 100.0
            )
        } else if q < o.qty - 1e-9 {
            format!(
                "{:.2} kt short: {} has not made enough yet",
                o.qty - q,
                sup.name
            )
        } else {
            "delivered in full".into()
        };
        if q > 0.0 {
            let price = market.price[o.good] * (1.0 + o.premium);
            let value = q * price / 1000.0;
            sup.stock.take(o.good, q);
            sup.sold[o.good] += q;
            if let Some((_, mut s, mut f, ..)) = powers.iter_mut().find(|(p, ..)| p.id == o.buyer) {
                receive(&mut s, o.good, q, heavy, &mix);
                f.treasury -= value;
                f.ledger.purchases -= value;
            }
            log.flows.push(TradeFlow {
                good: o.good,
                seller: Origin::Outside,
                buyer: Origin::Power(o.buyer),
                qty: q,
                price,
                tariff: 0.0,
                detour: 0.0,
                contract: true,
            });
        }
        o.turns_left = o.turns_left.saturating_sub(1);
        if o.turns_left == 0 {
            news.private(
                clock.turn,
                &[o.buyer],
                NewsKind::Diplomacy,
                format!(
                    "The offtake of {} from {} has run its course.",
                    o.good, o.supplier
                ),
            );
        }
    }
    offtakes.retain(|o| o.turns_left > 0);
    diplomacy.offtakes = offtakes;
}

/// What a power's industry and plants use of each good per turn, and what its
/// own mines and plants will supply to those plants next turn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Needs {
    /// Industry use this turn (after demand adjustment and recycling).
    pub industry: PerGood<f64>,
    /// The part of it for defence.
    pub defence: PerGood<f64>,
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
    params: &RulesParams,
    me: PowerId,
    industry: &Industry,
    research: &Research,
    stock: &Stockpile,
    facilities: &[&Facility],
) -> Needs {
    let mut n = Needs::default();
    for g in Good::ALL {
        n.industry[g] = industry.current_need(g);
        n.defence[g] = industry.defence_need[g].min(n.industry[g]);
    }
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

/// What buyers pay to keep their working stock: a little over the base
/// price; while controls threaten, up to twice it (precautionary buying).
/// Tied to the base price, not the going one, so it cannot ratchet up.
fn cover_limit(base: f64, _price: f64, threatened: bool) -> f64 {
    if threatened { 2.0 * base } else { 1.2 * base }
}

/// Buyers' extra (hoard) stock under speculation: whether they keep it
/// (not once the price has turned down) and the most they bid for more
/// (last quarter's price times its last rise to the power `speculation`).
/// With `speculation` 0 the hoard is kept and bought like working cover.
struct Hoarding {
    keep: bool,
    limit: Option<f64>,
}

fn hoarding(speculation: f64, price: f64, before: f64, cap: f64) -> Hoarding {
    if speculation <= 0.0 || before <= 0.0 || !price.is_finite() {
        return Hoarding {
            keep: true,
            limit: None,
        };
    }
    let rise = price / before;
    Hoarding {
        keep: rise >= 1.0 - 1e-9,
        limit: (rise > 1.0).then(|| (price * rise.powf(speculation)).min(cap)),
    }
}

/// Whether an exporter's controls threaten `buyer`'s supply of `good`:
/// buyers then try to hold more stock.
fn threatened(rel: &Relations, buyer: Origin, good: Good) -> bool {
    PowerId::ALL.iter().any(|x| {
        Origin::Power(*x) != buyer && rel.export_control_to(*x, buyer, good) != ExportLevel::None
    })
}

/// The value of a good as feed for a plant, from the prices of what the plant
/// makes of it (`p` in the buyer's own price world).
fn feed_value(params: &RulesParams, p: &PerGood<f64>, good: Good) -> f64 {
    let heavy_per = params.magnet_heavy_per_kt;
    let light_per = params.magnet_light_per_kt;
    let typical_heavy = 0.01;
    match good {
        Good::Concentrate => {
            0.9 * (params.light_yield * p[Good::LightOxides]
                + typical_heavy * params.heavy_recovery * p[Good::HeavyOxides]
                + (1.0 - params.light_yield - typical_heavy) * params.byproduct_price)
        }
        Good::LightOxides => {
            0.9 * (p[Good::Magnets] - heavy_per * p[Good::HeavyOxides]) / light_per
        }
        Good::HeavyOxides => {
            0.9 * (p[Good::Magnets] - light_per * p[Good::LightOxides]) / heavy_per.max(1e-6)
        }
        Good::Magnets => 0.0,
    }
}

/// One power's side of the market for all goods.
struct PowerSide {
    id: PowerId,
    active: bool,
    stock: Stockpile,
    needs: Needs,
    reserve: PerGood<f64>,
    can_pay: bool,
}

/// Sellers of one good: the powers, outside producers as one seller, and
/// China's exports, one seller per destination.
const S_US: usize = 0;
const S_RUSSIA: usize = 1;
const S_OUTSIDE: usize = 2;
const S_CHINA_US: usize = 3;
const S_CHINA_RUSSIA: usize = 4;
/// China's exports to outside buyer `i` are seller `S_CHINA_OUTSIDE + i`.
const S_CHINA_OUTSIDE: usize = 5;

fn power_seller(p: PowerId) -> Option<usize> {
    match p {
        PowerId::Us => Some(S_US),
        PowerId::Russia => Some(S_RUSSIA),
        PowerId::China => None,
    }
}

/// Buyers: the three powers (by index), then each outside buyer.
const B_OUTSIDE: usize = 3;

/// Memory the market keeps between quarters (no game state: all of it is
/// written afresh before it is read).
#[derive(Default)]
pub(crate) struct MarketWork {
    clearing: Clearing,
    solve: SolveWork,
    settled: Settlement,
    /// China's explicit sells, only counted.
    china_offers: Vec<Limit>,
}

/// Bids a buyer usually makes in one good's market (a demand curve of six
/// and a few more), so they are not grown push by push.
const BIDS_ROOM: usize = 16;

pub(crate) fn clear_market(
    rules: Res<GameRules>,
    relations: Res<Relations>,
    war: Res<UkraineWar>,
    orders: Res<MarketOrders>,
    mut market: ResMut<Market>,
    mut log: ResMut<TradeLog>,
    mut causes: ResMut<TurnCauses>,
    facilities: Query<&Facility>,
    mut suppliers: Query<&mut OutsideSupplier>,
    mut powers: Query<PowerItems>,
    mut work: Local<MarketWork>,
) {
    let params = &rules.params;
    let m = &rules.market;
    let cover_share = m.cover_weeks / WEEKS_PER_QUARTER;
    let hoard_share = m.hoard_weeks / WEEKS_PER_QUARTER;

    // Sorted: sums of floats must add up in the same order every run.
    let mut all_facilities: Vec<&Facility> = facilities.iter().collect();
    all_facilities.sort_by_key(|f| f.seq);
    let mut outside: Vec<Mut<OutsideSupplier>> = suppliers.iter_mut().collect();
    outside.sort_by(|a, b| a.id.cmp(&b.id));

    let mut sides: Vec<PowerSide> = Vec::new();
    for (p, s, f, ind, res) in powers.iter() {
        let needs = power_needs(params, p.id, ind, res, s, &all_facilities);
        sides.push(PowerSide {
            id: p.id,
            active: !p.eliminated,
            stock: s.clone(),
            reserve: PerGood(Good::ALL.map(|g| needs.consumption(g) * s.reserve_turns[g])),
            needs,
            can_pay: f.treasury > -f.debt_limit,
        });
    }
    sides.sort_by_key(|s| s.id);

    // Two quarters back, for buyers who chase a rising price.
    let before_abroad = market.previous_price;
    let before_home = market.previous_price_china;
    market.previous_price = market.price;
    market.previous_price_china = market.price_china;
    // Prices each buyer values feed at: China's at home, the others' abroad.
    let price_abroad = market.price;
    let price_home = market.price_china;
    let cap_multiple = params.procurement_cap;

    let MarketWork {
        clearing: c,
        solve,
        settled,
        china_offers,
    } = &mut *work;
    for good in Good::ALL {
        let base = rules.base_price[good];
        let g = good;
        let n_out = outside.len();
        let bound = |p: f64| -> (f64, f64, f64) {
            let p = if p.is_finite() && p > 0.0 { p } else { base };
            let lo = (p * m.max_fall).max(0.05 * base);
            let hi = (p * m.max_rise).min(60.0 * base);
            (p.clamp(lo, hi), lo, hi)
        };
        // The last market's sellers, buyers and links, emptied: their
        // memory is kept.
        c.sellers
            .resize_with(S_CHINA_OUTSIDE + n_out, Seller::default);
        c.buyers.resize_with(B_OUTSIDE + n_out, || Buyer {
            bids: Vec::with_capacity(BIDS_ROOM),
        });
        c.links.clear();
        for b in c.buyers.iter_mut() {
            b.bids.clear();
        }
        for (o, seller) in c.sellers.iter_mut().enumerate() {
            seller.offers.clear();
            let last = match o {
                S_US => market.origin_price[g][0],
                S_RUSSIA => market.origin_price[g][2],
                S_OUTSIDE => market.origin_price[g][3],
                _ => market.origin_price[g][1],
            };
            (seller.price, seller.lo, seller.hi) = bound(last);
        }
        // Each buyer's working need from the market this quarter (kt).
        let mut normal = vec![0.0f64; B_OUTSIDE + n_out];

        // ---- The powers' bids and offers.
        let china_floor = market.price_china[g] * (1.0 + m.export_friction);
        let mut china_surplus = 0.0;
        for side in sides.iter().filter(|s| s.active) {
            let i = side.id.index();
            let own_world = if side.id == PowerId::China {
                price_home[g]
            } else {
                price_abroad[g]
            };
            let stock = side.stock.qty[g];
            let explicit: f64 = orders
                .sells
                .iter()
                .filter(|(p, gg, ..)| *p == side.id && *gg == g)
                .map(|(_, _, q, _)| *q)
                .sum();
            let working = side.needs.working(g);
            let use_per_turn = side.needs.consumption(g);
            let threat = threatened(&relations, Origin::Power(side.id), g);
            let own_before = if side.id == PowerId::China {
                before_home[g]
            } else {
                before_abroad[g]
            };
            let hoard = hoarding(m.speculation, own_world, own_before, cap_multiple * base);
            let hoard_share_now = if threat && hoard.keep {
                hoard_share
            } else {
                0.0
            };
            let cover = use_per_turn * (cover_share + hoard_share_now);
            let reserve = side.reserve[g];
            // Offers: explicit sells, then stock beyond need, cover and
            // reserve. China's are only counted: its export sellers offer.
            let offers = match power_seller(side.id) {
                Some(s) => &mut c.sellers[s].offers,
                None => {
                    china_offers.clear();
                    &mut *china_offers
                }
            };
            let mut left = stock;
            for (_, _, q, min) in orders
                .sells
                .iter()
                .filter(|(p, gg, ..)| *p == side.id && *gg == g)
            {
                let q = q.min(left);
                left -= q;
                offers.push(Limit {
                    qty: q,
                    price: *min,
                });
            }
            let surplus = (stock - working - cover - reserve - explicit)
                .max(0.0)
                .min(left);
            if side.id == PowerId::China {
                // China's surplus goes abroad through its export sellers.
                china_surplus = surplus;
                for o in offers.iter() {
                    china_surplus += o.qty;
                }
            } else {
                supply_curve(
                    surplus,
                    holder_floor(own_world, base),
                    rules.supply_elasticity,
                    offers,
                );
            }
            if side.can_pay {
                // Industry's needs are bought even at high prices (defence at
                // any price up to the cap); plant feed only while the plant's
                // output pays for it; cover and reserves build gradually.
                let industry_short = (side.needs.industry[g] - stock).max(0.0);
                let defence_short = side.needs.defence[g].min(industry_short);
                let feed_short = (working - stock).max(0.0) - industry_short;
                // The usual order: a quarter's industry use and plant feed.
                normal[i] = side.needs.industry[g] + (working - side.needs.industry[g]).max(0.0);
                let cover_short = (working + cover - stock.max(working)).max(0.0);
                let hoard_short = match hoard.limit {
                    Some(_) if threat => {
                        let plain = working + use_per_turn * cover_share;
                        cover_short.min((working + cover - stock.max(plain)).max(0.0))
                    }
                    _ => 0.0,
                };
                let reserve_short =
                    (working + cover + reserve - stock.max(working + cover)).max(0.0);
                let bids = &mut c.buyers[i].bids;
                let cap = cap_multiple * base;
                if defence_short > 1e-9 {
                    bids.push(Limit {
                        qty: defence_short,
                        price: cap,
                    });
                }
                demand_curve(
                    industry_short - defence_short,
                    base,
                    rules.demand_elasticity,
                    cap,
                    bids,
                );
                let own_prices = if side.id == PowerId::China {
                    &price_home
                } else {
                    &price_abroad
                };
                let feed = feed_value(params, own_prices, g).max(0.5 * base);
                // China's industry takes cheaper imports in place of its own goods.
                let arbitrage = if side.id == PowerId::China {
                    IMPORT_ARBITRAGE * use_per_turn
                } else {
                    0.0
                };
                let cover_price = cover_limit(base, own_world, threat);
                for (qty, limit) in [
                    (feed_short, feed),
                    (cover_short - hoard_short, cover_price),
                    (hoard_short, hoard.limit.unwrap_or(0.0).max(cover_price)),
                    (RESERVE_BUILD_RATE * reserve_short, 2.0 * base),
                    (arbitrage, 0.9 * own_world),
                ] {
                    if qty > 1e-9 {
                        bids.push(Limit {
                            qty,
                            price: limit.min(cap),
                        });
                    }
                }
                for (_, _, q, max) in orders
                    .buys
                    .iter()
                    .filter(|(p, gg, ..)| *p == side.id && *gg == g)
                {
                    bids.push(Limit {
                        qty: *q,
                        price: *max,
                    });
                }
            }
        }

        // ---- Outside producers and users.
        let mut outside_mix = OriginMix::default();
        let mut outside_offer_total = 0.0;
        let mut outside_heavy = 0.0;
        let mut group_offers: Vec<f64> = Vec::with_capacity(n_out);
        for (k, o) in outside.iter().enumerate() {
            let stock = o.stock.qty[g];
            // A demand shock (a rush to stockpile) raises what users buy.
            let users = o.current_demand(g) * market.demand_shock(g);
            let feed = outside_feed_need(params, o, g);
            let threat = threatened(&relations, Origin::Outside, g)
                || PowerId::ALL
                    .iter()
                    .any(|x| o.controls[x.index()][g] != ExportLevel::None);
            let hoard = hoarding(
                m.speculation,
                price_abroad[g],
                before_abroad[g],
                cap_multiple * base,
            );
            let hoard_share_now = if threat && hoard.keep {
                hoard_share
            } else {
                0.0
            };
            let cover = (users + feed) * (cover_share + hoard_share_now);
            let surplus = (stock - users - feed - cover).max(0.0);
            group_offers.push(surplus);
            if surplus > 0.0 {
                outside_mix = outside_mix.blend(outside_offer_total, &o.stock.mix[g], surplus);
                outside_heavy += surplus * o.stock.concentrate_heavy_share;
                outside_offer_total += surplus;
            }
            let bids = &mut c.buyers[B_OUTSIDE + k].bids;
            let users_short = (users - stock).max(0.0);
            let feed_short = (users + feed - stock).max(0.0) - users_short;
            normal[B_OUTSIDE + k] = users + feed;
            let cover_short = (users + feed + cover - stock.max(users + feed)).max(0.0);
            let hoard_short = match hoard.limit {
                Some(_) if threat => {
                    let plain = (users + feed) * (1.0 + cover_share);
                    cover_short.min((users + feed + cover - stock.max(plain)).max(0.0))
                }
                _ => 0.0,
            };
            demand_curve(
                users_short,
                base,
                rules.demand_elasticity,
                cap_multiple * base,
                bids,
            );
            let fv = feed_value(params, &price_abroad, g).max(0.5 * base);
            let cover_price = cover_limit(base, price_abroad[g], threat);
            for (qty, limit) in [
                (feed_short, fv),
                (cover_short - hoard_short, cover_price),
                (hoard_short, hoard.limit.unwrap_or(0.0).max(cover_price)),
            ] {
                if qty > 1e-9 {
                    bids.push(Limit {
                        qty,
                        price: limit.min(cap_multiple * base),
                    });
                }
            }
        }
        if outside_offer_total > 0.0 {
            outside_heavy /= outside_offer_total;
        }
        supply_curve(
            outside_offer_total,
            holder_floor(price_abroad[g], base),
            rules.supply_elasticity,
            &mut c.sellers[S_OUTSIDE].offers,
        );

        // ---- Links, buyer by buyer.
        let tariff = |b: PowerId, s: PowerId| relations.tariff(b, s);
        let stock_mix = |p: PowerId| sides[p.index()].stock.mix[g];
        let china = PowerId::China;
        let links_room = c.buyers.len() * c.sellers.len();
        c.links.reserve(links_room);
        let mut terms: Vec<Terms> = Vec::with_capacity(links_room);
        for b in PowerId::ALL {
            if !sides[b.index()].active {
                continue;
            }
            for s in [PowerId::Us, PowerId::Russia] {
                if s == b || !sides[s.index()].active {
                    continue;
                }
                let reach = direct_access(&relations, params, g, s, b)
                    * content_access(&relations, params, g, &stock_mix(s), Origin::Power(b), None);
                let mut t = Terms::plain(tariff(b, s));
                if b == china
                    && s == PowerId::Russia
                    && war.china_stance == ChinaStance::SupportRussia
                {
                    t.seller_share = 1.0 - rules.war.support_discount;
                }
                let seller = power_seller(s).expect("not China");
                push_link(c, &mut terms, b.index(), seller, reach, t);
            }
            let reach = content_access(&relations, params, g, &outside_mix, Origin::Power(b), None);
            push_link(
                c,
                &mut terms,
                b.index(),
                S_OUTSIDE,
                reach,
                Terms::plain(0.0),
            );
            if b != china && sides[china.index()].active {
                let own = if b == PowerId::Us {
                    S_CHINA_US
                } else {
                    S_CHINA_RUSSIA
                };
                // Licences cap China's sellers' offers; sanctions slow the flow.
                let sanctions = sanctions_factor(
                    relations.sanctions_between(china, b),
                    params.targeted_sanctions_pass,
                );
                let t = Terms::plain(tariff(b, china));
                push_link(c, &mut terms, b.index(), own, sanctions, t);
                // What third countries buy under licence and pass on.
                let leak = leakage(&relations, &params.licensing, china, b, g) * sanctions;
                if leak > 0.0 {
                    let t = Terms {
                        detour: 1.0 + params.licensing.leakage_markup,
                        ..Terms::plain(tariff(b, china))
                    };
                    for k in 0..n_out {
                        push_link(c, &mut terms, b.index(), S_CHINA_OUTSIDE + k, leak, t);
                    }
                }
            }
        }
        for (k, o) in outside.iter().enumerate() {
            let row = B_OUTSIDE + k;
            for s in [PowerId::Us, PowerId::Russia] {
                if !sides[s.index()].active {
                    continue;
                }
                let (level, age) = control_on_buyer(&relations, o, s, g);
                let reach = control_pass(&params.licensing, level, Origin::Outside, age)
                    * content_access(
                        &relations,
                        params,
                        g,
                        &stock_mix(s),
                        Origin::Outside,
                        Some(o),
                    );
                let seller = power_seller(s).expect("not China");
                push_link(c, &mut terms, row, seller, reach, Terms::plain(0.0));
            }
            push_link(c, &mut terms, row, S_OUTSIDE, 1.0, Terms::plain(0.0));
            if sides[china.index()].active {
                let seller = S_CHINA_OUTSIDE + k;
                push_link(c, &mut terms, row, seller, 1.0, Terms::plain(0.0));
            }
        }

        // ---- China's export sellers: each capped by the licences granted
        // for its destination, a share of what that destination asks for at
        // China's export price.
        let mut caps: Vec<(usize, f64)> = Vec::new();
        if sides[china.index()].active && china_surplus > 1e-9 {
            // The usual flow a licence is a share of: what the destination
            // needs to buy for its industry and plants (not precautionary stock).
            let asked = |row: usize, _landed: f64| normal[row];
            for b in [PowerId::Us, PowerId::Russia] {
                if !sides[b.index()].active {
                    continue;
                }
                let pass = export_pass(&relations, &params.licensing, china, Origin::Power(b), g);
                let seller = if b == PowerId::Us {
                    S_CHINA_US
                } else {
                    S_CHINA_RUSSIA
                };
                let cap = if pass >= 1.0 {
                    f64::INFINITY
                } else {
                    pass * asked(b.index(), 1.0 + tariff(b, china))
                };
                caps.push((seller, cap));
            }
            for (k, o) in outside.iter().enumerate() {
                let (level, age) = control_on_buyer(&relations, o, china, g);
                let pass = control_pass(&params.licensing, level, Origin::Outside, age);
                let cap = if pass >= 1.0 {
                    f64::INFINITY
                } else {
                    pass * asked(B_OUTSIDE + k, 1.0)
                };
                caps.push((S_CHINA_OUTSIDE + k, cap));
            }
            for &(seller, cap) in &caps {
                let qty = cap.min(china_surplus);
                let s = &mut c.sellers[seller];
                supply_curve(qty, china_floor, rules.supply_elasticity, &mut s.offers);
                // Exports never sell below China's floor.
                s.lo = s.lo.max(china_floor);
                s.hi = s.hi.max(s.lo);
                s.price = s.price.clamp(s.lo, s.hi);
            }
        }

        c.solve_into(solve, settled);
        let china_sold: f64 = (S_CHINA_US..c.sellers.len()).map(|s| settled.sold[s]).sum();
        if china_sold > china_surplus * (1.0 + 1e-6) {
            // Each export seller offered all of China's surplus, and together
            // they sold more: share the surplus by what each sold and clear
            // again, so each destination's price rations its share (scaling
            // the flows down instead would leave buyers short at a low price).
            for &(seller, cap) in &caps {
                let share = (settled.sold[seller] / china_sold * china_surplus).min(cap);
                let s = &mut c.sellers[seller];
                s.offers.clear();
                supply_curve(share, china_floor, rules.supply_elasticity, &mut s.offers);
                s.price = settled.price[seller].clamp(s.lo, s.hi);
            }
            c.solve_into(solve, settled);
        }

        // ---- Settle. China's sellers together sell no more than China's surplus.
        let mut flow = settled.flow.clone();
        let china_sold: f64 = (S_CHINA_US..c.sellers.len()).map(|s| settled.sold[s]).sum();
        if china_sold > china_surplus + 1e-12 && china_sold > 0.0 {
            let fill = china_surplus / china_sold;
            for (l, f) in c.links.iter().zip(flow.iter_mut()) {
                if l.seller >= S_CHINA_US {
                    *f *= fill;
                }
            }
        }
        let price = &settled.price;
        let mut sold = vec![0.0f64; c.sellers.len()];
        let mut bought = vec![0.0f64; c.buyers.len()];
        let mut spent = vec![0.0f64; c.buyers.len()];
        // Sellers' revenue, after any discount they grant.
        let mut revenue = vec![0.0f64; c.sellers.len()];
        // For the trade log: flows by seller origin, buyer origin and terms.
        let mut logged: Vec<TradeFlow> = Vec::with_capacity(c.links.len());
        for ((l, &q), t) in c.links.iter().zip(&flow).zip(&terms) {
            if q <= 1e-12 {
                continue;
            }
            sold[l.seller] += q;
            bought[l.buyer] += q;
            spent[l.buyer] += q * price[l.seller] * l.landed;
            revenue[l.seller] += q * price[l.seller] * t.seller_share / 1000.0;
        }
        // Goods each outside producer sold, in its share of the outside offer.
        let outside_fill = |k: usize, total_sold: f64| -> f64 {
            if outside_offer_total > 0.0 {
                total_sold * group_offers[k] / outside_offer_total
            } else {
                0.0
            }
        };
        // Buyers receive and pay.
        for ((l, &q), t) in c.links.iter().zip(&flow).zip(&terms) {
            if q <= 1e-12 {
                continue;
            }
            let (seller_origin, mix, heavy) = match l.seller {
                S_US => (
                    Origin::Power(PowerId::Us),
                    stock_mix(PowerId::Us),
                    sides[0].stock.concentrate_heavy_share,
                ),
                S_RUSSIA => (
                    Origin::Power(PowerId::Russia),
                    stock_mix(PowerId::Russia),
                    sides[2].stock.concentrate_heavy_share,
                ),
                S_OUTSIDE => (Origin::Outside, outside_mix, outside_heavy),
                _ => (
                    Origin::Power(china),
                    stock_mix(china),
                    sides[1].stock.concentrate_heavy_share,
                ),
            };
            let paid = q * price[l.seller] * l.landed / 1000.0;
            let buyer_origin = if l.buyer < B_OUTSIDE {
                let bp = PowerId::ALL[l.buyer];
                if let Some((_, mut s, mut f, ..)) = powers.iter_mut().find(|(p, ..)| p.id == bp) {
                    receive(&mut s, g, q, heavy, &mix);
                    f.treasury -= paid;
                    f.ledger.purchases -= paid;
                    let kept = paid * t.tariff / (1.0 + t.tariff) * TARIFF_KEPT;
                    f.treasury += kept;
                    f.ledger.tariff_revenue += kept;
                }
                Origin::Power(bp)
            } else {
                let o = &mut outside[l.buyer - B_OUTSIDE];
                receive(&mut o.stock, g, q, heavy, &mix);
                o.bought[g] += q;
                Origin::Outside
            };
            let received = price[l.seller] * t.seller_share;
            let detour = t.detour - 1.0;
            match logged.iter_mut().find(|f| {
                f.seller == seller_origin
                    && f.buyer == buyer_origin
                    && f.tariff == t.tariff
                    && f.detour == detour
            }) {
                Some(f) => {
                    f.price = (f.price * f.qty + received * q) / (f.qty + q);
                    f.qty += q;
                }
                None => logged.push(TradeFlow {
                    good: g,
                    seller: seller_origin,
                    buyer: buyer_origin,
                    qty: q,
                    price: received,
                    tariff: t.tariff,
                    detour,
                    contract: false,
                }),
            }
        }
        // Sellers deliver and are paid.
        for seller in 0..c.sellers.len() {
            let q = sold[seller];
            if q <= 1e-12 {
                continue;
            }
            let who = match seller {
                S_US => Some(PowerId::Us),
                S_RUSSIA => Some(PowerId::Russia),
                S_OUTSIDE => None,
                _ => Some(china),
            };
            match who {
                Some(sp) => {
                    if let Some((_, mut s, mut f, ..)) =
                        powers.iter_mut().find(|(p, ..)| p.id == sp)
                    {
                        s.take(g, q);
                        f.treasury += revenue[seller];
                        f.ledger.sales += revenue[seller];
                    }
                }
                None => {
                    for (k, o) in outside.iter_mut().enumerate() {
                        let share = outside_fill(k, q);
                        if share > 0.0 {
                            o.stock.take(g, share);
                            o.sold[g] += share;
                        }
                    }
                }
            }
        }
        log.flows.extend(logged);

        // ---- Prices of the two worlds.
        let china_exports = [
            sold[S_CHINA_US],
            0.0,
            sold[S_CHINA_RUSSIA],
            (S_CHINA_OUTSIDE..c.sellers.len()).map(|s| sold[s]).sum(),
        ];
        let exported: f64 = china_exports.iter().sum();
        let china_value: f64 = (S_CHINA_US..c.sellers.len())
            .map(|s| sold[s] * price[s])
            .sum();
        let origin_price = [
            price[S_US],
            if exported > 1e-9 {
                china_value / exported
            } else {
                china_floor
            },
            price[S_RUSSIA],
            price[S_OUTSIDE],
        ];
        market.origin_price[g] = origin_price;
        market.origin_volume[g] = [sold[S_US], exported, sold[S_RUSSIA], sold[S_OUTSIDE]];
        market.china_exports[g] = china_exports;
        market.volume[g] = sold.iter().sum();
        // Outside China: what buyers there paid at the margin, before tariffs.
        let mut ex_q = 0.0;
        let mut ex_v = 0.0;
        for (l, &q) in c.links.iter().zip(&flow) {
            if l.buyer != PowerId::China.index() && q > 1e-12 {
                ex_q += q;
                ex_v += q * price[l.seller];
            }
        }
        let before = market.price[g];
        market.price[g] = if ex_q > 1e-9 {
            ex_v / ex_q
        } else if c.sellers[S_OUTSIDE].total() > 0.0 {
            price[S_OUTSIDE]
        } else {
            before
        };
        for p in PowerId::ALL {
            let i = p.index();
            market.landed[p][g] = if bought[i] > 1e-12 {
                spent[i] / bought[i]
            } else if settled.faced[i] > 0.0 {
                settled.faced[i]
            } else if p == china {
                market.price_china[g]
            } else {
                market.price[g]
            };
        }
        let held_back = (china_surplus - exported).max(0.0);
        let controlled = (S_CHINA_US..c.sellers.len())
            .any(|s| !export_is_open(&relations, params, &outside, s, g));
        if controlled && exported > 0.0 && held_back > 0.05 * exported {
            causes.add_up(g, "Chinese export licences hold back supply");
        }
        let china_side = &sides[china.index()];
        let china_stock = china_side.stock.qty[g] - exported + bought[china.index()];
        let china_use = china_side.needs.consumption(g);
        update_china_price(
            &mut market,
            &rules,
            g,
            ChinaStock {
                stock: china_stock,
                // What China holds after trade in a steady quarter: this
                // quarter's use plus working stock on its use and exports.
                target: china_use * (1.0 + cover_share) + exported * cover_share,
            },
        );
    }
}

/// Whether China's exports through `seller` go out without licences.
fn export_is_open(
    rel: &Relations,
    params: &RulesParams,
    outside: &[Mut<OutsideSupplier>],
    seller: usize,
    g: Good,
) -> bool {
    let china = PowerId::China;
    let pass = match seller {
        S_CHINA_US => export_pass(rel, &params.licensing, china, Origin::Power(PowerId::Us), g),
        S_CHINA_RUSSIA => export_pass(
            rel,
            &params.licensing,
            china,
            Origin::Power(PowerId::Russia),
            g,
        ),
        s => {
            let (level, age) = control_on_buyer(rel, &outside[s - S_CHINA_OUTSIDE], china, g);
            control_pass(&params.licensing, level, Origin::Outside, age)
        }
    };
    pass >= 1.0
}

/// What a link's landed price is made of.
#[derive(Clone, Copy, Debug)]
struct Terms {
    tariff: f64,
    /// Multiple of the price the buyer pays to middlemen (≥ 1) on a detour.
    detour: f64,
    /// Share of the price the seller receives (a discount it grants, ≤ 1).
    seller_share: f64,
}

impl Terms {
    fn plain(tariff: f64) -> Terms {
        Terms {
            tariff,
            detour: 1.0,
            seller_share: 1.0,
        }
    }
    fn landed(&self) -> f64 {
        self.seller_share * self.detour * (1.0 + self.tariff)
    }
}

fn push_link(
    c: &mut Clearing,
    terms: &mut Vec<Terms>,
    buyer: usize,
    seller: usize,
    reach: f64,
    t: Terms,
) {
    if reach > 1e-9 {
        c.links.push(Link {
            buyer,
            seller,
            reach: reach.min(1.0),
            landed: t.landed(),
        });
        terms.push(t);
    }
}

/// Concentrate an outside producer's separation plants want, or oxides its
/// magnet plants want, this quarter (kt).
fn outside_feed_need(params: &RulesParams, o: &OutsideSupplier, g: Good) -> f64 {
    match g {
        Good::Concentrate => (o.separation.feed - o.mines).max(0.0),
        Good::LightOxides => o.magnet_plants * params.magnet_light_per_kt,
        Good::HeavyOxides => o.magnet_plants * params.magnet_heavy_per_kt,
        Good::Magnets => 0.0,
    }
}

/// China's stock this quarter, for its domestic price.
struct ChinaStock {
    /// China's stock after trade and the stock its industry and plants want.
    stock: f64,
    target: f64,
}

/// China's domestic price: its own supply and use, seen in its stocks. Goods
/// that controls hold back pile up in China and push the price below its
/// cost-based level (the base price); stocks that run short push it above,
/// until plants adjust.
fn update_china_price(market: &mut Market, rules: &GameRules, g: Good, s: ChinaStock) {
    let m = &rules.market;
    let base = rules.base_price[g];
    let now = market.price_china[g];
    let now = if now.is_finite() && now > 0.0 {
        now
    } else {
        base
    };
    let ratio = (s.target.max(1e-9) / s.stock.max(1e-9)).clamp(0.1, 10.0);
    let next = base * ratio.powf(m.china_price_response);
    market.price_china[g] = next.clamp(now * 0.75, now * 1.3).max(0.05 * base);
}

/// Price floors: the treasury pays its producers the gap between the floor
/// and the price outside China on what they made this quarter.
pub(crate) fn settle_price_floors(
    clock: Res<TurnClock>,
    market: Res<Market>,
    production: Res<Production>,
    mut diplomacy: ResMut<Diplomacy>,
    mut news: ResMut<NewsLog>,
    mut powers: Query<(&Power, &mut Finances)>,
) {
    if diplomacy.price_floors.is_empty() {
        return;
    }
    for floor in diplomacy.price_floors.iter_mut() {
        let gap = (floor.price - market.price[floor.good]).max(0.0);
        let made = production.made[floor.power.index()][floor.good];
        let cost = gap * made / 1000.0;
        floor.paid = cost;
        if cost > 0.0
            && let Some((_, mut f)) = powers.iter_mut().find(|(p, _)| p.id == floor.power)
        {
            f.treasury -= cost;
            f.ledger.other -= cost;
        }
        floor.turns_left = floor.turns_left.saturating_sub(1);
        if floor.turns_left == 0 {
            news.public(
                clock.turn,
                NewsKind::Policy,
                format!(
                    "{}'s price floor for {} ({:.0} $/kg) has ended.",
                    floor.power, floor.good, floor.price
                ),
            );
        }
    }
    diplomacy.price_floors.retain(|f| f.turns_left > 0);
}
