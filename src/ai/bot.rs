//! A rule-based computer player: reads its power's view, pursues its
//! objectives with simple rules, and submits ordinary orders.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::level::schema::AiRoute;
use crate::rules::deals::{ProposalStatus, Term};
use crate::rules::orders::Order;
use crate::rules::types::*;
use crate::rules::view::PowerView;
use crate::seats::Strength;

use super::personality::Personality;

struct Plan<'a> {
    view: &'a PowerView,
    orders: Vec<Order>,
    ap: u32,
    money: f64,
    /// Political capital left after the orders planned.
    capital: f64,
    rng: ChaCha8Rng,
    strength: Strength,
    /// kt of each good already offered for sale this turn.
    selling: PerGood<f64>,
    persona: &'a Personality,
}

impl Plan<'_> {
    /// Add an order if action points, money and political capital allow
    /// (priced as the rules price it); easy players skip some.
    fn push(&mut self, mut order: Order) -> bool {
        // Never sell more than is on hand after the sales already planned.
        if let Order::Sell { good, qty, .. } = &mut order {
            let left = self.view.me.stockpile.qty[*good] - self.selling[*good];
            *qty = qty.min(left);
            if *qty < 0.01 {
                return false;
            }
            self.selling[*good] += *qty;
        }
        // Nobody is left to talk to in a power out of the game.
        if let Order::ProposeDeal { to, .. } = &order
            && self.view.other(*to).is_none_or(|o| o.eliminated)
        {
            return false;
        }
        // Propose only what serves us, minding what it hands the partner.
        if let Order::ProposeDeal { to, terms } = &order
            && self.strength != Strength::Easy
        {
            let deal = crate::rules::deals::Deal {
                from: self.me(),
                to: *to,
                terms: terms.clone(),
            };
            let (value, _) = super::negotiation::deal_value_with(
                self.view,
                self.me(),
                &deal,
                self.persona,
                self.strength,
            );
            if value < 0.0 {
                return false;
            }
        }
        // A reluctant dealer lets some chances pass.
        if matches!(order, Order::ProposeDeal { .. })
            && self.persona.deal_eagerness < 1.0
            && !self.chance(self.persona.deal_eagerness)
        {
            return false;
        }
        let ap = order.action_points();
        let money = self.view.order_money(&order);
        let capital = self.view.order_capital(&order);
        if ap > self.ap || money > self.money || capital > self.capital {
            return false;
        }
        if self.strength == Strength::Easy && !self.easy_would(&order) {
            return false;
        }
        self.ap -= ap;
        self.money -= money;
        self.capital -= capital;
        self.orders.push(order);
        true
    }

    /// The easy player is short-sighted: it reacts to today's prices and
    /// policies, but rarely invests for years ahead, never opens talks itself,
    /// and sometimes forgets a move.
    fn easy_would(&mut self, order: &Order) -> bool {
        match order {
            Order::ProposeDeal { .. } => false,
            Order::FundFacility { .. }
            | Order::FundResearch { .. }
            | Order::PermitReform { .. }
            | Order::SpeedUp { .. } => self.chance(0.2),
            o if o.action_points() > 0 => self.chance(0.65),
            _ => true,
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        use rand::RngExt;
        self.rng.random::<f64>() < p
    }

    /// Whether this player's doctrine lets it take `route`'s moves (only
    /// the US player has one; see the route lab).
    fn may(&self, route: AiRoute) -> bool {
        self.me() != PowerId::Us || self.persona.route.allows(route)
    }

    fn me(&self) -> PowerId {
        self.view.me.power.id
    }

    /// Whether we proposed to `to` within `turns` turns (a dealmaker waits
    /// less before trying again, a hawk longer).
    fn proposed_recently(&self, to: PowerId, turns: u32) -> bool {
        let turns = ((turns as f64 / self.persona.deal_eagerness).round() as u32).max(1);
        self.view.proposals.iter().any(|p| {
            p.deal.from == self.me()
                && p.deal.to == to
                && (p.status == ProposalStatus::Pending || p.turn + turns > self.view.turn)
        })
    }

    fn capacity(&self, kind: FacilityKind, include_building: bool) -> f64 {
        self.view
            .facilities
            .iter()
            .filter(|f| f.owner == self.me() && f.kind == kind)
            .filter(|f| {
                f.stage == Stage::Operating
                    || (include_building
                        && matches!(
                            f.stage,
                            Stage::Planned | Stage::Permitting | Stage::Construction
                        ))
            })
            .map(|f| f.capacity)
            .sum()
    }

    /// A place this power may build a plant on, preferring home sites.
    fn plant_site(&self) -> Option<String> {
        plant_site(self.view).map(|s| s.id.to_string())
    }

    /// A deposit with room for a new mine, and the room left.
    fn mine_site(&self, own_only: bool) -> Option<(String, f64, f64)> {
        let me = self.me();
        self.mine_site_where(|d| {
            if own_only {
                d.controller == Some(me)
            } else {
                d.usable_by(me)
            }
        })
    }

    /// The cheapest deposit with room for a mine among those `ok` accepts.
    fn mine_site_where(
        &self,
        ok: impl Fn(&crate::rules::components::Deposit) -> bool,
    ) -> Option<(String, f64, f64)> {
        let mut best: Option<(String, f64, f64)> = None;
        for d in &self.view.deposits {
            if !ok(d) || d.reserves <= 10.0 {
                continue;
            }
            let built: f64 = self
                .view
                .facilities
                .iter()
                .filter(|f| f.at == d.id && f.kind == FacilityKind::Mine)
                .map(|f| f.capacity)
                .sum();
            let room = d.max_mine_capacity - built;
            if room < 0.1 {
                continue;
            }
            let Some(cost) = self.view.facility_cost(&d.id, FacilityKind::Mine, 1.0) else {
                continue;
            };
            if best.as_ref().is_none_or(|(_, _, c)| cost < *c) {
                best = Some((d.id.to_string(), room, cost));
            }
        }
        best
    }

    /// Facilities of a kind this power is building now (as owner or funder).
    fn building(&self, kind: FacilityKind) -> usize {
        self.view
            .facilities
            .iter()
            .filter(|f| (f.owner == self.me() || f.funder == self.me()) && f.kind == kind)
            .filter(|f| {
                matches!(
                    f.stage,
                    Stage::Planned | Stage::Permitting | Stage::Construction
                )
            })
            .count()
    }

    fn fund(&mut self, at: String, kind: FacilityKind, capacity: f64) -> bool {
        // One project of a kind at a time: finish before starting the next.
        if self.building(kind) > 0 {
            return false;
        }
        let Some(cost) = self.view.facility_cost(&at, kind, capacity) else {
            return false;
        };
        // Keep enough money to finish building.
        if self.money < cost * 0.6 / self.persona.self_reliance {
            return false;
        }
        self.push(Order::FundFacility { at, kind, capacity })
    }
}

/// A site the viewer may build a plant on, preferring its own.
pub(super) fn plant_site(view: &PowerView) -> Option<&crate::rules::components::Site> {
    let me = view.me.power.id;
    view.sites
        .iter()
        .find(|s| s.controller == Some(me))
        .or_else(|| view.sites.iter().find(|s| s.usable_by(me)))
}

/// The orders a computer player gives this turn. `seed` makes its random
/// choices reproducible.
pub fn decide(view: &PowerView, strength: Strength, seed: u64) -> Vec<Order> {
    decide_as(view, strength, seed, &Personality::balanced())
}

/// [`decide`] with a personality.
pub fn decide_as(
    view: &PowerView,
    strength: Strength,
    seed: u64,
    persona: &Personality,
) -> Vec<Order> {
    if view.me.power.eliminated || view.outcome.over {
        return Vec::new();
    }
    let key = seed
        ^ (view.turn as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ ((view.me.power.id.index() as u64 + 1) << 56);
    let mut plan = Plan {
        view,
        orders: Vec::new(),
        ap: view.action_points_left(),
        money: view.me.finances.treasury.max(0.0) - 0.3,
        capital: view.me.politics.political_capital,
        rng: ChaCha8Rng::seed_from_u64(key),
        strength,
        selling: PerGood([0.0; 4]),
        persona,
    };
    if strength != Strength::Easy {
        seize_the_market(&mut plan);
    }
    market_moves(&mut plan);
    match view.me.power.id {
        PowerId::Us => us(&mut plan),
        PowerId::China => china(&mut plan),
        PowerId::Russia => russia(&mut plan),
    }
    plan.orders
}

/// Cash in and stand firm: sell what stock the industry does not need while
/// prices are up, and answer a rival's higher tariff in kind.
fn seize_the_market(plan: &mut Plan) {
    let v = plan.view;
    let me = plan.me();
    for g in Good::ALL {
        let keep = 0.0;
        let spare = v.me.stockpile.qty[g] - keep;
        if v.market.price[g] > 1.1 * v.base_price[g] && spare > 0.05 {
            plan.push(Order::Sell {
                good: g,
                qty: spare * 0.6,
                min_price: v.market.price[g] * 0.7,
            });
        }
    }
    for other in me.others() {
        let theirs = v.relations.tariff[other.index()][me.index()];
        let ours = v.relations.tariff[me.index()][other.index()];
        // A power short of goods the other controls does not escalate: a
        // higher tariff only invites a tighter control.
        if squeezed_by(v, other) && v.me.industry.needs_met < 0.95 {
            continue;
        }
        if theirs > ours + 0.1 && plan.chance(0.7 * plan.persona.hostility) {
            plan.push(Order::SetTariff {
                on: other,
                rate: (theirs + 0.1 * plan.persona.hostility).min(1.5),
            });
        }
    }
}

/// Whether `by` has export controls on any good to the viewer.
fn squeezed_by(v: &PowerView, by: PowerId) -> bool {
    let me = v.me.power.id;
    by != me
        && Good::ALL
            .into_iter()
            .any(|g| v.relations.export_control[by.index()][me.index()][g] != ExportLevel::None)
}

/// The allies route: when China's controls bite, ask allies for part of
/// their state stockpiles and sign offtakes that finance new capacity
/// outside China (as Japan did with Lynas after 2010).
fn allies(plan: &mut Plan) {
    let v = plan.view;
    let me = plan.me();
    if !squeezed_by(v, PowerId::China) {
        return;
    }
    let industry = &v.me.industry;
    for s in &v.suppliers {
        if s.releases_to.contains(&me) {
            for g in [Good::HeavyOxides, Good::Magnets, Good::LightOxides] {
                let short = industry.shortfall[g];
                if industry.met[g] < 0.9 && short > 0.0 && s.strategic[g] > 1e-4 {
                    let qty = short.min(s.strategic[g]);
                    plan.push(Order::DrawAlliedStockpile {
                        supplier: s.id.to_string(),
                        good: g,
                        qty,
                    });
                }
            }
        }
        if s.offtake_to.contains(&me) && plan.money > 1.5 {
            for g in [Good::LightOxides, Good::HeavyOxides, Good::Magnets] {
                let signed = v
                    .offtakes
                    .iter()
                    .any(|o| *o.supplier == *s.id && o.good == g);
                if signed || s.capacity(g) <= 0.0 || industry.need[g] <= 0.0 {
                    continue;
                }
                let qty = (0.25 * s.capacity(g)).min(0.3 * industry.need[g]);
                if qty > 1e-4 && plan.chance(0.6) {
                    plan.push(Order::Offtake {
                        supplier: s.id.to_string(),
                        good: g,
                        qty,
                        turns: 16,
                    });
                }
            }
        }
    }
}

/// Free moves: stockpile what an opponent squeezes, sell into price spikes.
fn market_moves(plan: &mut Plan) {
    let v = plan.view;
    let me = plan.me();
    for g in [Good::HeavyOxides, Good::Magnets, Good::LightOxides] {
        let squeezed = PowerId::ALL.iter().any(|p| {
            *p != me && v.relations.export_control[p.index()][me.index()][g] != ExportLevel::None
        });
        let have = v.me.stockpile.reserve_turns[g];
        if !plan.may(AiRoute::Stockpile) {
            continue;
        }
        // A US player whose route is the stockpile builds one before it is
        // squeezed, and a deeper one (as Japan's JOGMEC holds 60 days).
        let doctrine = me == PowerId::Us && plan.persona.route == AiRoute::Stockpile;
        let want = if doctrine && have < 4.0 {
            Some(4.0)
        } else if doctrine {
            None
        } else if squeezed && have < 2.5 {
            Some(2.5)
        } else if !squeezed && have > 1.5 && v.market.price[g] < 1.2 * v.base_price[g] {
            // Keep the stockpile until prices are back to normal.
            Some(1.0)
        } else {
            None
        };
        if let Some(turns) = want
            && v.me.industry.need[g] > 0.0
        {
            plan.push(Order::SetReserve { good: g, turns });
        }
    }
    for g in Good::ALL {
        let price = v.market.price[g];
        let stock = v.me.stockpile.qty[g];
        let need = v.me.industry.need[g].max(0.01);
        if price > 2.5 * v.base_price[g] && stock > 3.0 * need && stock > 0.05 {
            let qty = (stock - 2.0 * need) * 0.5;
            if qty > 0.01 {
                plan.push(Order::Sell {
                    good: g,
                    qty,
                    min_price: price * 0.8,
                });
            }
        }
    }
}

fn us(plan: &mut Plan) {
    let v = plan.view;
    let war = &v.war;
    let aid = (2.0 * plan.persona.war).round().clamp(0.0, 3.0) as u8;
    if war.status == WarStatus::Active && war.us_aid < aid {
        plan.push(Order::SetAid { level: aid });
    }
    // Concentrate we cannot separate goes to China: build separation.
    let mined: f64 = v
        .facilities
        .iter()
        .filter(|f| f.kind == FacilityKind::Mine && f.stage == Stage::Operating)
        .map(|f| f.capacity * f.share_of(PowerId::Us))
        .sum();
    let separation = plan.capacity(FacilityKind::SeparationPlant, true);
    let ndpr_dear = v.market.price[Good::LightOxides] > 1.5 * v.base_price[Good::LightOxides];
    let home = plan.may(AiRoute::Domestic);
    if home
        && (mined > separation + 1.0 || ndpr_dear)
        && let Some(site) = plan.plant_site()
    {
        let cap = (mined - separation).clamp(1.0, 4.0);
        plan.fund(site, FacilityKind::SeparationPlant, cap);
    }
    let magnets = plan.capacity(FacilityKind::MagnetPlant, true);
    if home
        && magnets < 0.6 * v.me.industry.need[Good::Magnets]
        && let Some(site) = plan.plant_site()
    {
        plan.fund(site, FacilityKind::MagnetPlant, 1.5);
    }
    if plan.may(AiRoute::Allies) {
        allies(plan);
    }
    // A price floor for NdPr brings private money to new separation plants
    // (the Pentagon's 2025 floor for MP Materials).
    if home
        && separation > 0.0
        && !v
            .price_floors
            .iter()
            .any(|f| f.power == PowerId::Us && f.good == Good::LightOxides)
        && plan.chance(0.5)
    {
        plan.push(Order::PriceFloor {
            good: Good::LightOxides,
            price: 1.2 * v.base_price[Good::LightOxides],
            turns: 16,
        });
    }
    // Mines: at home on the domestic route, in friendly countries (no
    // power controls them) on the allies' route, anywhere usable otherwise.
    let site = match plan.persona.route {
        AiRoute::Domestic => plan.mine_site(true),
        AiRoute::Allies => {
            plan.mine_site_where(|d| d.controller.is_none() && d.usable_by(PowerId::Us))
        }
        AiRoute::Mixed => plan.mine_site(false),
        _ => None,
    };
    if plan.money > 2.5
        && plan.chance(0.5)
        && let Some((at, room, _)) = site
    {
        plan.fund(at, FacilityKind::Mine, room.min(1.5));
    }
    // Trade war: offer tariff cuts for export-control relief.
    let controls: Vec<Good> = Good::ALL
        .into_iter()
        .filter(|g| {
            v.relations.export_control[PowerId::China.index()][PowerId::Us.index()][*g]
                != ExportLevel::None
        })
        .collect();
    let tariff = v.relations.tariff[PowerId::Us.index()][PowerId::China.index()];
    if !controls.is_empty() && tariff > 0.01 && !plan.proposed_recently(PowerId::China, 3) {
        let mut terms = vec![Term::TariffCut {
            by: PowerId::Us,
            on: PowerId::China,
            rate: (tariff - 0.2).max(0.0),
            turns: 8,
        }];
        for g in controls {
            terms.push(Term::ExportControlRelief {
                by: PowerId::China,
                target: PowerId::Us,
                good: g,
                level: ExportLevel::None,
                turns: 8,
            });
        }
        plan.push(Order::ProposeDeal {
            to: PowerId::China,
            terms,
        });
    }
    // The Russia route: an end to the war, then minerals deals.
    if plan.may(AiRoute::Russia) && !plan.proposed_recently(PowerId::Russia, 3) {
        let wars = war_packages(v);
        let mut packages = wars.clone();
        if war.status != WarStatus::Active
            && let Some(jv) = russian_mine_venture(v)
        {
            // A minerals deal must ease full sanctions, on either side.
            let counter = russian_counter_relief(v);
            let full = v.relations.sanctions[PowerId::Us.index()][PowerId::Russia.index()]
                == SanctionsLevel::Full;
            let eases = |p: &[Term], by: PowerId| {
                p.iter()
                    .any(|t| matches!(t, Term::SanctionsRelief { by: b, .. } if *b == by))
            };
            for mut p in std::iter::once(Vec::new()).chain(wars) {
                if full && !eases(&p, PowerId::Us) {
                    p.push(Term::SanctionsRelief {
                        by: PowerId::Us,
                        on: PowerId::Russia,
                        level: SanctionsLevel::Targeted,
                        turns: 8,
                    });
                }
                if !eases(&p, PowerId::Russia) {
                    p.extend(counter.clone());
                }
                p.push(jv.clone());
                packages.push(p);
            }
        }
        propose_best(plan, PowerId::Russia, packages);
    }
    if home && plan.money > 4.0 {
        let field = if plan.chance(0.5) {
            ResearchField::Substitution
        } else {
            ResearchField::Recycling
        };
        plan.push(Order::FundResearch { field, amount: 0.5 });
    }
}

fn china(plan: &mut Plan) {
    let v = plan.view;
    let tariff = v.relations.tariff[PowerId::Us.index()][PowerId::China.index()];
    let controls =
        |g: Good| v.relations.export_control[PowerId::China.index()][PowerId::Us.index()][g];
    // Retaliate against high tariffs with export controls; lift them when tariffs fall.
    for g in [Good::HeavyOxides, Good::Magnets] {
        // Licences are China's answer (as in 2025); an embargo only against
        // punitive tariffs; controls lift once tariffs are well down, not at
        // the first cut (no flip-flopping).
        let now = controls(g);
        let want = if tariff > 1.2 {
            ExportLevel::Embargo
        } else if tariff > 0.3 || (now != ExportLevel::None && tariff > 0.2) {
            ExportLevel::Licensing
        } else {
            ExportLevel::None
        };
        if controls(g) != want && plan.chance(0.7) {
            plan.push(Order::SetExportControl {
                target: Origin::Power(PowerId::Us),
                good: g,
                level: want,
            });
        }
    }
    // Keep dominance: add separation and magnet capacity as demand grows.
    let last = v.history.last();
    let sep_share = last
        .map(|h| h.separation_share[PowerId::China.index()])
        .unwrap_or(0.9);
    let mag_share = last
        .map(|h| h.magnet_share[PowerId::China.index()])
        .unwrap_or(0.9);
    let dear = |g: Good| v.market.price[g] > 1.3 * v.base_price[g];
    if (sep_share < 0.88 || dear(Good::LightOxides))
        && let Some(site) = plan.plant_site()
    {
        plan.fund(site, FacilityKind::SeparationPlant, 5.0);
    }
    if (mag_share < 0.88 || dear(Good::Magnets))
        && let Some(site) = plan.plant_site()
    {
        plan.fund(site, FacilityKind::MagnetPlant, 4.0);
    }
    if let Some((at, room, _)) = plan.mine_site(true)
        && plan.money > 3.0
        && plan.chance(0.3)
    {
        plan.fund(at, FacilityKind::Mine, room.min(3.0));
    }
    // Influence over Russia.
    let trust = v.trust.mine[PowerId::Russia];
    let stance = if v.war.status == WarStatus::Active && trust >= 50.0 {
        ChinaStance::SupportRussia
    } else if v.war.status == WarStatus::Active && v.war.weariness > 0.7 {
        ChinaStance::Mediate
    } else {
        ChinaStance::Neutral
    };
    if stance != v.war.china_stance {
        plan.push(Order::SetStance { stance });
    }
    if !plan.proposed_recently(PowerId::Russia, 4) {
        let conc = v
            .other(PowerId::Russia)
            .map(|o| o.stockpile[Good::Concentrate].value)
            .unwrap_or(0.0);
        if conc > 0.05 || v.war.status == WarStatus::Active {
            plan.push(Order::ProposeDeal {
                to: PowerId::Russia,
                terms: vec![Term::Supply {
                    seller: PowerId::Russia,
                    buyer: PowerId::China,
                    good: Good::Concentrate,
                    qty: 0.2,
                    price: v.market.price[Good::Concentrate] * 1.05,
                    turns: 8,
                }],
            });
        }
    }
}

fn russia(plan: &mut Plan) {
    let v = plan.view;
    let war = &v.war;
    if war.status != WarStatus::Peace {
        let w = plan.persona.war;
        let posture = if war.weariness > (0.65 * w).min(0.95) {
            WarPosture::DeEscalate
        } else if war.weariness < 0.4 * w && war.front_share < 0.6 {
            WarPosture::Escalate
        } else {
            WarPosture::Hold
        };
        if posture != war.russia_posture {
            plan.push(Order::SetPosture { posture });
        }
    }
    if let Some((at, room, _)) = plan.mine_site(true)
        && plan.chance(0.5)
    {
        plan.fund(at, FacilityKind::Mine, room.min(0.5));
    }
    let mined: f64 = v
        .facilities
        .iter()
        .filter(|f| f.kind == FacilityKind::Mine && f.stage == Stage::Operating)
        .map(|f| f.capacity * f.share_of(PowerId::Russia))
        .sum();
    let separation = plan.capacity(FacilityKind::SeparationPlant, true);
    if mined > separation + 0.3
        && let Some(site) = plan.plant_site()
    {
        plan.fund(
            site,
            FacilityKind::SeparationPlant,
            (mined - separation).min(1.0),
        );
    }
    if war.status != WarStatus::Peace && !plan.proposed_recently(PowerId::Us, 3) {
        let packages = war_packages(v);
        propose_best(plan, PowerId::Us, packages);
    }
}

/// Packages that end or pause the war, as the US or Russia could offer them: peace or a ceasefire, with or without lifting US sanctions.
/// Only those Ukraine would accept at today's front are listed.
fn war_packages(v: &PowerView) -> Vec<Vec<Term>> {
    let war = &v.war;
    let p = &v.war_params;
    let mut ends = Vec::new();
    if war.status == WarStatus::Ceasefire
        && war.ceasefire_turns >= p.peace_after
        && war.front_share <= p.ukraine_bound + p.guarantee_bonus
    {
        ends.push(Term::Peace {
            security_guarantees: true,
        });
    }
    let bound = p.ukraine_bound
        + if war.security_guarantees {
            p.guarantee_bonus
        } else {
            0.0
        };
    if war.status == WarStatus::Active && war.front_share <= bound {
        ends.push(Term::Ceasefire);
    }
    // Relief that comes with peace lasts the rest of the game; with a
    // ceasefire, which may break down, two years.
    let sanctions = v.relations.sanctions[PowerId::Us.index()][PowerId::Russia.index()];
    let left = (v.max_turns + 1).saturating_sub(v.turn).clamp(8, 40);
    let reliefs = |peace: bool| {
        let mut out = vec![None];
        for level in [SanctionsLevel::None, SanctionsLevel::Targeted] {
            if level < sanctions {
                out.push(Some(Term::SanctionsRelief {
                    by: PowerId::Us,
                    on: PowerId::Russia,
                    level,
                    turns: if peace { left } else { 8 },
                }));
            }
        }
        out
    };
    let counter = russian_counter_relief(v);
    let mut out = Vec::new();
    for end in &ends {
        for relief in &reliefs(matches!(end, Term::Peace { .. })) {
            let mut terms = vec![end.clone()];
            if let Some(r) = relief {
                terms.push(r.clone());
                terms.extend(counter.clone());
            }
            out.push(terms);
        }
    }
    out
}

/// Russia's own sanctions on the US, lifted in any package with relief or
/// a minerals deal.
fn russian_counter_relief(v: &PowerView) -> Option<Term> {
    (v.relations.sanctions[PowerId::Russia.index()][PowerId::Us.index()] > SanctionsLevel::None)
        .then_some(Term::SanctionsRelief {
            by: PowerId::Russia,
            on: PowerId::Us,
            level: SanctionsLevel::None,
            turns: 8,
        })
}

/// A joint venture for the US at a Russian deposit away from the front.
fn russian_mine_venture(v: &PowerView) -> Option<Term> {
    v.deposits
        .iter()
        .filter(|d| d.controller == Some(PowerId::Russia) && d.front_threshold.is_none())
        .find(|d| {
            let built: f64 = v
                .facilities
                .iter()
                .filter(|f| f.at == d.id && f.kind == FacilityKind::Mine)
                .map(|f| f.capacity)
                .sum();
            d.max_mine_capacity - built >= 0.3
        })
        .map(|d| Term::JointVenture {
            investor: PowerId::Us,
            at: d.id.to_string(),
            kind: FacilityKind::Mine,
            capacity: 0.3,
            investor_share: 0.5,
        })
}

/// Propose the package worth most to us among those the partner should
/// want too, judged by what each does to its objectives from the briefing.
fn propose_best(plan: &mut Plan, to: PowerId, packages: Vec<Vec<Term>>) {
    let v = plan.view;
    let me = plan.me();
    let mut best: Option<(f64, Vec<Term>)> = None;
    for terms in packages {
        let deal = crate::rules::deals::Deal {
            from: me,
            to,
            terms: terms.clone(),
        };
        let (mine, _) =
            super::negotiation::deal_value_with(v, me, &deal, plan.persona, plan.strength);
        let theirs = super::negotiation::partner_value(v, to, &deal);
        if mine > 0.0 && theirs > 0.1 && best.as_ref().is_none_or(|(b, _)| mine > *b) {
            best = Some((mine, terms));
        }
    }
    if let Some((_, terms)) = best {
        plan.push(Order::ProposeDeal { to, terms });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::orders::submit;
    use crate::rules::testing::{end_turn, playing_world};
    use crate::rules::view::power_view;

    /// The player budgets with the rules' own prices, so the rules never
    /// refuse one of its orders for money or political capital when it is
    /// given, and it does fund facilities (the orders this is about).
    #[test]
    fn the_rules_never_refuse_the_players_orders_for_money_or_capital() {
        let mut world = playing_world("2025-trade-war", 3);
        let mut funded = 0;
        for turn in 0..16 {
            for p in PowerId::ALL {
                let view = power_view(&world, p);
                for order in decide(&view, Strength::Normal, 11 + turn) {
                    funded += usize::from(matches!(order, Order::FundFacility { .. }));
                    if let Err(r) = submit(&mut world, p, order.clone()) {
                        assert!(
                            !r.0.contains("money") && !r.0.contains("political capital"),
                            "turn {turn} {p}: {order}: {r}"
                        );
                    }
                }
            }
            end_turn(&mut world);
        }
        assert!(funded > 0, "the players funded no facility");
    }
}
