//! Phase 3, orders: check each power's queued orders again (the world moved
//! since they were queued) and carry out those that pass.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::deals::{Proposal, ProposalStatus};
use super::orders::*;
use super::policy::{self, Cause, PolicyChange};
use super::resources::*;
use super::setup::research_progress;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(super::TurnSchedule, apply_orders.in_set(TurnPhase::Orders));
}

pub(crate) fn apply_orders(world: &mut World) {
    let turn = world.resource::<TurnClock>().turn;
    let book = std::mem::take(&mut *world.resource_mut::<OrderBook>());
    *world.resource_mut::<MarketOrders>() = MarketOrders::default();
    *world.resource_mut::<PendingResponses>() = PendingResponses::default();
    let mut results = Vec::new();
    // Who acts first rotates each turn, so no power always has first call on
    // contested things (a deposit's last capacity, say).
    let first = (turn as usize) % 3;
    for k in 0..3 {
        let power = PowerId::ALL[(first + k) % 3];
        let mut done: Vec<Order> = Vec::new();
        for order in &book.orders[power] {
            let outcome = check_at_resolution(world, power, order, &done)
                .and_then(|()| execute(world, power, order, turn));
            let refused = match outcome {
                Ok(()) => {
                    done.push(order.clone());
                    None
                }
                Err(r) => {
                    world.resource_mut::<NewsLog>().private(
                        turn,
                        &[power],
                        NewsKind::Order,
                        format!("Order refused — {order}: {}", r.0),
                    );
                    Some(r.0)
                }
            };
            results.push(OrderResult {
                power,
                order: order.clone(),
                refused,
            });
        }
    }
    world.insert_resource(OrderResults { turn, results });
    let mut log = world.resource_mut::<OrderLog>();
    let injected = std::mem::take(&mut log.injected_now);
    log.turns.push(TurnInput {
        turn,
        orders: book.orders,
        injected,
    });
}

fn pay(world: &mut World, power: PowerId, amount: f64, line: fn(&mut Ledger) -> &mut f64) {
    let e = power_entity(world, power);
    let mut f = world.get_mut::<Finances>(e).expect("power");
    f.treasury -= amount;
    *line(&mut f.ledger) -= amount;
}

/// Carry out a checked order.
fn execute(world: &mut World, power: PowerId, order: &Order, turn: u32) -> Result<(), Refusal> {
    for id in breaches(world, power, order) {
        break_agreement(world, power, id, turn);
    }
    match order {
        Order::FundFacility { at, kind, capacity } => {
            let cost = facility_cost(world, power, at, *kind, *capacity)
                .ok_or_else(|| Refusal(format!("no place called {at}")))?;
            let upfront = cost * UPFRONT_SHARE;
            pay(world, power, upfront, |l| &mut l.construction);
            let name = location(world, at).map(|l| l.name).unwrap_or_default();
            let id = spawn_facility(
                world,
                NewFacility {
                    owner: power,
                    funder: power,
                    at: at.clone(),
                    kind: *kind,
                    capacity: *capacity,
                    cost,
                    paid: upfront,
                    partners: Vec::new(),
                    turn,
                },
            );
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Facility,
                format!(
                    "{power} funds a {kind} of {capacity:.2} kt/quarter at {name} (${cost:.2} bn, {id})."
                ),
            );
        }
        Order::SpeedUp {
            facility: id,
            amount,
        } => {
            pay(world, power, *amount, |l| &mut l.construction);
            let half = world.resource::<GameRules>().params.speedup_half_money;
            let e = world.resource::<EntityIndex>().facilities[id];
            let mut f = world.get_mut::<Facility>(e).expect("facility");
            // Diminishing returns: money equal to `half` × cost removes half
            // of the time left; twice that removes two thirds.
            let scale = (half * f.cost.max(0.05)).max(1e-6);
            let cut = amount / (amount + scale);
            let before = f.turns_left;
            f.turns_left = ((f.turns_left as f64) * (1.0 - cut)).ceil().max(1.0) as u32;
            let after = f.turns_left;
            let name = f.name.clone();
            world.resource_mut::<NewsLog>().private(
                turn,
                &[power],
                NewsKind::Facility,
                format!("Extra money for {name}: {before} → {after} turns left in this stage."),
            );
        }
        Order::PermitReform { facility: id } => {
            let params = world.resource::<GameRules>().params.clone();
            let e = power_entity(world, power);
            world
                .get_mut::<Politics>(e)
                .expect("power")
                .political_capital -= params.permit_reform_cost;
            let fe = world.resource::<EntityIndex>().facilities[id];
            let mut f = world.get_mut::<Facility>(fe).expect("facility");
            let before = f.turns_left;
            f.turns_left =
                ((f.turns_left as f64) * (1.0 - params.permit_reform_cut)).floor() as u32;
            let after = f.turns_left;
            let name = f.name.clone();
            let backlash = world
                .resource_mut::<RulesRng>()
                .chance(params.permit_reform_backlash);
            let mut text = format!(
                "{power} fast-tracks permits for {name}: {before} → {after} turns of permitting left."
            );
            if backlash {
                let mut pol = world.get_mut::<Politics>(e).expect("power");
                pol.stability = (pol.stability - 5.0).max(0.0);
                pol.political_capital = (pol.political_capital - 10.0).max(0.0);
                text.push_str(
                    " Local protests and lawsuits follow: stability and political capital fall.",
                );
            }
            world
                .resource_mut::<NewsLog>()
                .public(turn, NewsKind::Facility, text);
        }
        Order::SetIdle { facility: id, idle } => {
            let e = world.resource::<EntityIndex>().facilities[id];
            let mut f = world.get_mut::<Facility>(e).expect("facility");
            f.stage = if *idle { Stage::Idle } else { Stage::Operating };
        }
        Order::Buy {
            good,
            qty,
            max_price,
        } => {
            world
                .resource_mut::<MarketOrders>()
                .buys
                .push((power, *good, *qty, *max_price));
            let base = world.resource::<GameRules>().base_price[*good];
            if *qty >= 1.0 || qty * max_price / 1000.0 > 0.2 || *max_price > 2.0 * base {
                world
                    .resource_mut::<TurnCauses>()
                    .add_up(*good, format!("{} stockpiling", power_short(power)));
            }
        }
        Order::Sell {
            good,
            qty,
            min_price,
        } => {
            world
                .resource_mut::<MarketOrders>()
                .sells
                .push((power, *good, *qty, *min_price));
            if *qty >= 1.0 {
                world
                    .resource_mut::<TurnCauses>()
                    .add_down(*good, format!("{} selling from stocks", power_short(power)));
            }
        }
        Order::SetReserve { good, turns } => {
            let e = power_entity(world, power);
            let mut s = world.get_mut::<Stockpile>(e).expect("power");
            let before = s.reserve_turns[*good];
            s.reserve_turns[*good] = *turns;
            if *turns > before + 0.5 {
                world
                    .resource_mut::<TurnCauses>()
                    .add_up(*good, format!("{} stockpiling", power_short(power)));
            }
        }
        Order::SetTariff { on, rate } => {
            let change = PolicyChange::Tariff {
                by: power,
                on: *on,
                rate: *rate,
            };
            policy::apply(world, &change, Cause::Order);
        }
        Order::SetExportControl {
            target,
            good,
            level,
        } => {
            let change = PolicyChange::ExportControl {
                by: power,
                target: *target,
                good: *good,
                level: *level,
            };
            policy::apply(world, &change, Cause::Order);
        }
        Order::SetSanctions { on, level } => {
            // Political capital is the order's own price, paid first.
            let capital = order.political_capital(world, power);
            let e = power_entity(world, power);
            let mut pol = world.get_mut::<Politics>(e).expect("power");
            pol.political_capital = (pol.political_capital - capital).max(0.0);
            let change = PolicyChange::Sanctions {
                by: power,
                on: *on,
                level: *level,
            };
            policy::apply(world, &change, Cause::Order);
        }
        Order::SetExtraterritorial { on } => {
            let change = PolicyChange::Extraterritorial { by: power, on: *on };
            policy::apply(world, &change, Cause::Order);
        }
        Order::ProposeDeal { to, terms } => {
            let proposal_turns = world.resource::<GameRules>().params.proposal_turns;
            let mut d = world.resource_mut::<Diplomacy>();
            d.next_id += 1;
            let id = d.next_id;
            d.proposals.push(Proposal {
                id,
                deal: super::deals::Deal {
                    from: power,
                    to: *to,
                    terms: terms.clone(),
                },
                turn,
                expires: turn.saturating_add(proposal_turns),
                status: ProposalStatus::Pending,
                reason: String::new(),
                counter: None,
                counters: None,
            });
            let text = format!(
                "{power} proposes deal #{id} to {to}: {}",
                d.proposals.last().expect("just pushed").deal.describe()
            );
            world
                .resource_mut::<NewsLog>()
                .private(turn, &[power, *to], NewsKind::Diplomacy, text);
        }
        Order::RespondToDeal { proposal, response } => {
            world.resource_mut::<PendingResponses>().responses.push((
                *proposal,
                power,
                response.clone(),
            ));
        }
        Order::CancelContract { contract } => {
            let params = world.resource::<GameRules>().params.clone();
            let mut d = world.resource_mut::<Diplomacy>();
            let pos = d
                .contracts
                .iter()
                .position(|c| c.id == *contract)
                .ok_or_else(|| Refusal(format!("no contract #{contract}")))?;
            let c = d.contracts.remove(pos);
            let other = if c.seller == power { c.buyer } else { c.seller };
            world
                .resource_mut::<Relations>()
                .add_trust(power, other, -params.breach_trust_penalty);
            let e = power_entity(world, power);
            let mut pol = world.get_mut::<Politics>(e).expect("power");
            pol.political_capital =
                (pol.political_capital - params.breach_capital_penalty).max(0.0);
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Diplomacy,
                format!(
                    "{power} walks out of contract #{contract} with {other} ({:.2} kt of {} a quarter): trust falls.",
                    c.qty, c.good
                ),
            );
            world.resource_mut::<TurnCauses>().add(
                c.good,
                format!("{} breaks a supply contract", power_short(power)),
            );
        }
        Order::SetAid { level } => {
            let mut war = world.resource_mut::<UkraineWar>();
            let before = war.us_aid;
            war.us_aid = *level;
            if before != *level {
                world.resource_mut::<NewsLog>().public(
                    turn,
                    NewsKind::War,
                    format!("The US sets its aid to Ukraine to level {level} (was {before})."),
                );
            }
        }
        Order::SetPosture { posture } => {
            world.resource_mut::<UkraineWar>().russia_posture = *posture;
            if *posture == WarPosture::Escalate {
                world
                    .resource_mut::<Relations>()
                    .add_trust(PowerId::Us, PowerId::Russia, -3.0);
            }
        }
        Order::SetStance { stance } => {
            let mut war = world.resource_mut::<UkraineWar>();
            let before = war.china_stance;
            war.china_stance = *stance;
            if before != *stance {
                let text = match stance {
                    ChinaStance::SupportRussia => {
                        "China steps up its support for Russia, buying its exports at a discount."
                    }
                    ChinaStance::Neutral => "China returns to a neutral line on the war.",
                    ChinaStance::Mediate => "China offers to mediate between Moscow and Kyiv.",
                };
                world
                    .resource_mut::<NewsLog>()
                    .public(turn, NewsKind::War, text);
            }
        }
        Order::FundResearch { field, amount } => {
            pay(world, power, *amount, |l| &mut l.research);
            let scale = world.resource::<GameRules>().params.research_scale;
            let e = power_entity(world, power);
            let mut r = world.get_mut::<Research>(e).expect("power");
            r.invested[field.index()] += amount;
            r.progress = research_progress(&r.invested, scale);
        }
        Order::GatherIntelligence { target } => {
            let params = world.resource::<GameRules>().params.clone();
            pay(world, power, params.intel_cost, |l| &mut l.other);
            let e = power_entity(world, power);
            world.get_mut::<Intelligence>(e).expect("power").turns_left[*target] =
                params.intel_turns;
        }
        Order::Offtake {
            supplier,
            good,
            qty,
            turns,
        } => {
            let cost = offtake_financing(world, supplier, *good, *qty)
                .ok_or_else(|| Refusal(format!("no outside producer called {supplier}")))?;
            pay(world, power, cost, |l| &mut l.construction);
            let premium = world.resource::<GameRules>().params.offtake_premium;
            let lag = world
                .resource::<GameRules>()
                .market
                .expansion
                .lag
                .get(offtake_stage(*good));
            let e = world.resource::<EntityIndex>().suppliers[supplier];
            let mut s = world.get_mut::<OutsideSupplier>(e).expect("supplier");
            // The capacity financed: for oxides, the separation feed that yields them.
            let stage = offtake_stage(*good);
            let added = match good {
                Good::LightOxides | Good::HeavyOxides => {
                    let out = s.capacity(*good).max(1e-9);
                    qty / out * s.separation.feed
                }
                _ => *qty,
            };
            s.pipeline.push(Expansion {
                ready: turn + lag.max(1),
                stage,
                qty: added,
                financed_by: Some(power),
            });
            let name = s.name.clone();
            let mut d = world.resource_mut::<Diplomacy>();
            d.next_id += 1;
            let id = d.next_id;
            d.offtakes.push(super::deals::Offtake {
                id,
                supplier: supplier.clone(),
                buyer: power,
                good: *good,
                qty: *qty,
                premium,
                turns_left: *turns,
                shortfall: 0.0,
                last_note: String::new(),
            });
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Diplomacy,
                format!(
                    "{power} signs an offtake with {name}: {} of {good} a quarter for {turns} turns, and pays ${cost:.2} bn for new capacity (ready in {lag} quarters).",
                    super::record::quantity(*qty)
                ),
            );
            world
                .resource_mut::<TurnCauses>()
                .add_up(*good, format!("{} offtake with {name}", power_short(power)));
        }
        Order::DrawAlliedStockpile {
            supplier,
            good,
            qty,
        } => {
            let price = world.resource::<Market>().price[*good];
            let e = world.resource::<EntityIndex>().suppliers[supplier];
            let mut s = world.get_mut::<OutsideSupplier>(e).expect("supplier");
            let q = qty.min(s.strategic[*good]);
            s.strategic[*good] -= q;
            let name = s.name.clone();
            let cost = q * price / 1000.0;
            let pe = power_entity(world, power);
            {
                let mut st = world.get_mut::<Stockpile>(pe).expect("power");
                st.add(*good, q, &OriginMix::pure(Origin::Outside));
            }
            pay(world, power, cost, |l| &mut l.purchases);
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Diplomacy,
                format!(
                    "{name} releases {} of {good} from its stockpile to {power}.",
                    super::record::quantity(q)
                ),
            );
        }
        Order::PriceFloor { good, price, turns } => {
            world
                .resource_mut::<Diplomacy>()
                .price_floors
                .push(super::deals::PriceFloor {
                    power,
                    good: *good,
                    price: *price,
                    turns_left: *turns,
                    paid: 0.0,
                });
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Policy,
                format!(
                    "{power} guarantees its producers ${price:.0}/kg for {good} for {turns} turns: private money now pays part of new plants."
                ),
            );
        }
    }
    Ok(())
}

fn power_short(p: PowerId) -> &'static str {
    match p {
        PowerId::Us => "US",
        PowerId::China => "China",
        PowerId::Russia => "Russia",
    }
}

/// A facility funded by an order or a joint venture.
pub(crate) struct NewFacility {
    pub owner: PowerId,
    pub funder: PowerId,
    pub at: String,
    pub kind: FacilityKind,
    pub capacity: f64,
    pub cost: f64,
    pub paid: f64,
    pub partners: Vec<(PowerId, f64)>,
    pub turn: u32,
}

/// Spawn a planned facility; returns its new id.
pub(crate) fn spawn_facility(world: &mut World, new: NewFacility) -> String {
    let short = match new.kind {
        FacilityKind::Mine => "mine",
        FacilityKind::SeparationPlant => "sep",
        FacilityKind::MagnetPlant => "magnet",
    };
    // Skip numbers whose id a level facility already uses.
    let (n, id) = loop {
        let mut counters = world.resource_mut::<IdCounters>();
        counters.facilities += 1;
        let n = counters.facilities;
        let id = format!("{}-{short}-{n}", new.funder.key());
        if !world.resource::<EntityIndex>().facilities.contains_key(&id) {
            break (n, id);
        }
    };
    let loc_name = location(world, &new.at).map(|l| l.name).unwrap_or_default();
    let profile = get_power::<BuildProfile>(world, new.owner).clone();
    let research = get_power::<Research>(world, new.funder).clone();
    let params = world.resource::<GameRules>().params.clone();
    let mut permitting = profile.permitting_turns.get(new.kind);
    if new.kind == FacilityKind::SeparationPlant {
        let cut = 1.0 - params.processing_max * research.level(ResearchField::Processing);
        permitting = ((permitting as f64) * cut).round() as u32;
    }
    let name = format!(
        "{loc_name} {}{}",
        new.kind.name(),
        if new.partners.is_empty() {
            ""
        } else {
            " (joint venture)"
        }
    );
    let e = world
        .spawn(Facility {
            id: id.clone(),
            name: name.into(),
            kind: new.kind,
            owner: new.owner,
            at: new.at,
            capacity: new.capacity,
            stage: Stage::Planned,
            turns_left: permitting,
            money_left: (new.cost - new.paid).max(0.0),
            cost: new.cost,
            funder: new.funder,
            partners: new.partners,
            output: 0.0,
            funded_turn: new.turn,
            // After every facility of the level (levels hold far fewer).
            seq: 100_000 + n,
        })
        .id();
    world
        .resource_mut::<EntityIndex>()
        .facilities
        .insert(id.clone(), e);
    id
}

/// Break a standing agreement: penalties to the one who breaks it.
pub(crate) fn break_agreement(world: &mut World, by: PowerId, id: u32, turn: u32) {
    let params = world.resource::<GameRules>().params.clone();
    let mut d = world.resource_mut::<Diplomacy>();
    let Some(pos) = d.agreements.iter().position(|a| a.id == id) else {
        return;
    };
    let a = d.agreements.remove(pos);
    let other = if a.parties.0 == by {
        a.parties.1
    } else {
        a.parties.0
    };
    world
        .resource_mut::<Relations>()
        .add_trust(by, other, -params.breach_trust_penalty);
    let e = power_entity(world, by);
    let mut pol = world.get_mut::<Politics>(e).expect("power");
    pol.political_capital = (pol.political_capital - params.breach_capital_penalty).max(0.0);
    world.resource_mut::<NewsLog>().public(
        turn,
        NewsKind::Diplomacy,
        format!(
            "{by} breaks its commitment to {other} from deal #{}: trust collapses.",
            a.proposal
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    fn queue(world: &mut World, p: PowerId, o: Order) {
        submit(world, p, o).expect("order accepted");
    }

    #[test]
    fn funding_a_mine_spawns_a_planned_facility_and_pays_upfront() {
        let mut world = test_world();
        let before = get_power::<Finances>(&world, PowerId::China).treasury;
        let at = world
            .resource::<EntityIndex>()
            .deposits
            .iter()
            .find(|(_, e)| world.get::<Deposit>(**e).unwrap().controller == Some(PowerId::China))
            .map(|(id, _)| id.clone())
            .unwrap();
        queue(
            &mut world,
            PowerId::China,
            Order::FundFacility {
                at: at.clone(),
                kind: FacilityKind::Mine,
                capacity: 0.1,
            },
        );
        run_system(&mut world, apply_orders);
        let results = world.resource::<OrderResults>();
        assert!(
            results.results.iter().all(|r| r.refused.is_none()),
            "{results:?}"
        );
        let f = world
            .resource::<EntityIndex>()
            .facilities
            .values()
            .filter_map(|e| world.get::<Facility>(*e))
            .find(|f| f.funded_turn == 1 && f.at == at)
            .expect("new facility");
        assert_eq!(f.stage, Stage::Planned);
        let paid = before - get_power::<Finances>(&world, PowerId::China).treasury;
        assert!((paid - f.cost * UPFRONT_SHARE).abs() < 1e-9);
        assert!(world.resource::<OrderBook>().orders[PowerId::China].is_empty());
    }

    #[test]
    fn orders_that_became_illegal_are_refused_with_reason_and_change_nothing() {
        let mut world = test_world();
        let invested = get_power::<Research>(&world, PowerId::Us).invested;
        queue(
            &mut world,
            PowerId::Us,
            Order::FundResearch {
                field: ResearchField::Recycling,
                amount: 1.0,
            },
        );
        // The money vanishes before the turn resolves.
        let e = power_entity(&world, PowerId::Us);
        world.get_mut::<Finances>(e).unwrap().treasury = 0.5;
        run_system(&mut world, apply_orders);
        let r = &world.resource::<OrderResults>().results[0];
        assert!(r.refused.as_deref().unwrap().contains("not enough money"));
        assert_eq!(get_power::<Finances>(&world, PowerId::Us).treasury, 0.5);
        assert_eq!(
            get_power::<Research>(&world, PowerId::Us).invested,
            invested
        );
    }

    #[test]
    fn export_controls_and_tariffs_change_relations() {
        let mut world = test_world();
        queue(
            &mut world,
            PowerId::China,
            Order::SetExportControl {
                target: Origin::Power(PowerId::Us),
                good: Good::HeavyOxides,
                level: ExportLevel::Embargo,
            },
        );
        queue(
            &mut world,
            PowerId::Us,
            Order::SetTariff {
                on: PowerId::China,
                rate: 1.0,
            },
        );
        run_system(&mut world, apply_orders);
        let rel = world.resource::<Relations>();
        assert_eq!(
            rel.export_control(PowerId::China, PowerId::Us, Good::HeavyOxides),
            ExportLevel::Embargo
        );
        assert_eq!(rel.tariff(PowerId::Us, PowerId::China), 1.0);
        assert!(!world.resource::<TurnCauses>().causes[Good::HeavyOxides].is_empty());
    }

    #[test]
    fn permit_reform_cuts_permitting_and_costs_capital() {
        let mut world = test_world();
        let at = "mountain-pass".to_string();
        let cap = location(&world, &at).unwrap().max_mine_capacity - mine_capacity_at(&world, &at);
        assert!(cap > 0.0, "Mountain Pass has room to grow in the level");
        queue(
            &mut world,
            PowerId::Us,
            Order::FundFacility {
                at: at.clone(),
                kind: FacilityKind::Mine,
                capacity: cap.min(1.0),
            },
        );
        run_system(&mut world, apply_orders);
        let id = world
            .resource::<EntityIndex>()
            .facilities
            .keys()
            .find(|k| k.starts_with("us-mine-"))
            .cloned()
            .unwrap();
        let before = facility(&world, &id).unwrap().turns_left;
        let pc = get_power::<Politics>(&world, PowerId::Us).political_capital;
        queue(
            &mut world,
            PowerId::Us,
            Order::PermitReform {
                facility: id.clone(),
            },
        );
        run_system(&mut world, apply_orders);
        let after = facility(&world, &id).unwrap().turns_left;
        assert!(after < before, "{before} → {after}");
        assert!(get_power::<Politics>(&world, PowerId::Us).political_capital <= pc - 20.0);
    }

    #[test]
    fn queued_orders_cannot_exceed_action_points() {
        let mut world = test_world();
        for _ in 0..3 {
            queue(
                &mut world,
                PowerId::Russia,
                Order::SetPosture {
                    posture: WarPosture::Hold,
                },
            );
        }
        let err = submit(
            &mut world,
            PowerId::Russia,
            Order::SetPosture {
                posture: WarPosture::Escalate,
            },
        )
        .unwrap_err();
        assert!(err.0.contains("action points"), "{err}");
        // Market orders stay free.
        submit(
            &mut world,
            PowerId::Russia,
            Order::SetReserve {
                good: Good::Magnets,
                turns: 2.0,
            },
        )
        .unwrap();
    }
}
