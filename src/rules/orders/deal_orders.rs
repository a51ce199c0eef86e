//! Deal orders, one home: proposing a deal, answering one, walking out of
//! a contract; the check of a deal package and its terms; and the breach of
//! a standing commitment, whoever breaks it.

use bevy::prelude::*;

use super::super::components::*;
use super::super::deals::{
    Commitment, Deal, Proposal, ProposalStatus, Response, Term, us_russia_term_rule,
};
use super::super::resources::*;
use super::super::types::*;
use super::check::{check_finite, refuse};
use super::facilities::check_location_for;
use super::limits;
use super::world::*;
use super::{Order, Refusal, power_short};

/// Check a deal package: parties, sense of each term, and the war's block on
/// US–Russia minerals deals.
pub fn check_deal(world: &World, deal: &Deal) -> Result<(), Refusal> {
    if deal.from == deal.to {
        return refuse("a deal needs two different powers");
    }
    if deal.terms.is_empty() {
        return refuse("a deal needs at least one term");
    }
    if deal.terms.len() > limits::DEAL_TERMS_MAX {
        return refuse(format!(
            "a deal may hold at most {} terms",
            limits::DEAL_TERMS_MAX
        ));
    }
    for p in [deal.from, deal.to] {
        if get_power::<Power>(world, p).eliminated {
            return refuse(format!("{p} is out of the game"));
        }
    }
    check_terms_consistent(deal)?;
    let pair = [deal.from, deal.to];
    let war = world.resource::<UkraineWar>();
    let relations = world.resource::<Relations>();
    let us_russia = pair.contains(&PowerId::Us) && pair.contains(&PowerId::Russia);
    for term in &deal.terms {
        for p in term.parties() {
            if !pair.contains(&p) {
                return refuse(format!(
                    "\"{term}\" binds {p}, who is not party to this deal"
                ));
            }
        }
        match term {
            Term::Supply {
                seller,
                buyer,
                qty,
                price,
                turns,
                ..
            } => {
                check_finite(&[*qty, *price])?;
                if seller == buyer {
                    return refuse("a supply contract needs a seller and a different buyer");
                }
                if !limits::CONTRACT_QTY.allows(*qty) {
                    return refuse("contract quantity must be between 0 and 50 kt a quarter");
                }
                if !limits::CONTRACT_PRICE.allows(*price) {
                    return refuse("contract price must be between $0 and $10,000/kg");
                }
                if !limits::DEAL_TURNS.allows(*turns) {
                    return refuse("contracts run 1 to 40 turns");
                }
            }
            Term::Payment { from, to, amount } => {
                check_finite(&[*amount])?;
                if from == to || !limits::PAYMENT.allows(*amount) {
                    return refuse(
                        "a payment must be positive, at most $100 bn, between two powers",
                    );
                }
            }
            Term::TariffCut {
                by,
                on,
                rate,
                turns,
            } => {
                check_finite(&[*rate])?;
                if by == on {
                    return refuse("a tariff cut needs two powers");
                }
                if *rate < 0.0 || *rate >= relations.tariff(*by, *on) - 1e-9 {
                    return refuse(format!(
                        "{by}'s tariff on {on} is already {:.0}%: a cut must go lower",
                        relations.tariff(*by, *on) * 100.0
                    ));
                }
                if !limits::DEAL_TURNS.allows(*turns) {
                    return refuse("commitments run 1 to 40 turns");
                }
            }
            Term::ExportControlRelief {
                by,
                target,
                good,
                level,
                turns,
            } => {
                if by == target {
                    return refuse("export-control relief needs two powers");
                }
                if *level >= relations.export_control(*by, *target, *good) {
                    return refuse("relief must lower the export control");
                }
                if !limits::DEAL_TURNS.allows(*turns) {
                    return refuse("commitments run 1 to 40 turns");
                }
            }
            Term::SanctionsRelief {
                by,
                on,
                level,
                turns,
            } => {
                if by == on {
                    return refuse("sanctions relief needs two powers");
                }
                if *level >= relations.sanctions(*by, *on) {
                    return refuse("relief must lower sanctions");
                }
                if !limits::DEAL_TURNS.allows(*turns) {
                    return refuse("commitments run 1 to 40 turns");
                }
            }
            Term::JointVenture {
                investor,
                at,
                kind,
                capacity,
                investor_share,
            } => {
                check_finite(&[*capacity, *investor_share])?;
                let host = if *investor == deal.from {
                    deal.to
                } else {
                    deal.from
                };
                let Some(loc) = location(world, at) else {
                    return refuse(format!("there is no deposit or site called \"{at}\""));
                };
                if loc.controller != Some(host) {
                    return refuse(format!(
                        "{} is not controlled by {host}: a joint venture needs the host's own ground",
                        loc.name
                    ));
                }
                if !limits::CAPACITY.allows(*capacity) {
                    return refuse("capacity must be between 0 and 100 kt a quarter");
                }
                if !limits::INVESTOR_SHARE.allows(*investor_share) {
                    return refuse("the investor's share must be between 5% and 95%");
                }
                // Several joint ventures at one deposit count together.
                let same_place: f64 = deal
                    .terms
                    .iter()
                    .filter_map(|t| match t {
                        Term::JointVenture {
                            at: a,
                            kind: k,
                            capacity: c,
                            ..
                        } if a == at && *k == *kind => Some(*c),
                        _ => None,
                    })
                    .sum();
                check_location_for(world, &loc, at, *kind, same_place)?;
            }
            Term::Ceasefire => {
                if !us_russia {
                    return refuse("only the US and Russia can agree a ceasefire");
                }
                if war.status != WarStatus::Active {
                    return refuse("there is no fighting to stop: the war is not active");
                }
            }
            Term::Peace { .. } => {
                if !us_russia {
                    return refuse("only the US and Russia can agree peace terms");
                }
                if war.status == WarStatus::Peace {
                    return refuse("peace is already agreed");
                }
                // Peace comes after a ceasefire that has held for a while.
                let after = world.resource::<GameRules>().war.peace_after;
                if war.status != WarStatus::Ceasefire || war.ceasefire_turns < after {
                    return refuse(format!(
                        "peace needs a ceasefire that has held for {after} turns first"
                    ));
                }
            }
            Term::AidCap { level, turns } => {
                if !us_russia {
                    return refuse("only the US and Russia bargain over aid to Ukraine");
                }
                if !limits::AID.allows(u32::from(*level)) || !limits::DEAL_TURNS.allows(*turns) {
                    return refuse("aid caps are level 0–3 for 1–40 turns");
                }
            }
        }
        us_russia_term_rule(deal, term, war.status, |a, b| relations.sanctions(a, b))
            .map_err(Refusal)?;
    }
    Ok(())
}

/// Terms that would undo each other in one package are refused: two terms on
/// the same tariff, export control or sanctions, or two war terms.
fn check_terms_consistent(deal: &Deal) -> Result<(), Refusal> {
    let mut keys: Vec<String> = Vec::new();
    for t in &deal.terms {
        let key = match t {
            Term::TariffCut { by, on, .. } => Some(format!("tariff {by:?} {on:?}")),
            Term::ExportControlRelief {
                by, target, good, ..
            } => Some(format!("control {by:?} {target:?} {good:?}")),
            Term::SanctionsRelief { by, on, .. } => Some(format!("sanctions {by:?} {on:?}")),
            Term::Ceasefire | Term::Peace { .. } => Some("war".to_string()),
            Term::AidCap { .. } => Some("aid".to_string()),
            _ => None,
        };
        if let Some(k) = key {
            if keys.contains(&k) {
                return refuse(format!(
                    "\"{t}\" repeats a term already in the deal: each policy may appear once"
                ));
            }
            keys.push(k);
        }
    }
    Ok(())
}

/// Commitments an order would break (ids of agreements).
pub fn breaches(world: &World, power: PowerId, order: &Order) -> Vec<u32> {
    let diplomacy = world.resource::<Diplomacy>();
    diplomacy
        .agreements
        .iter()
        .filter(|a| a.commitment.bound() == power)
        .filter(|a| match (&a.commitment, order) {
            (Commitment::TariffCap { on, max, .. }, Order::SetTariff { on: o, rate }) => {
                on == o && *rate > *max + 1e-9
            }
            (
                Commitment::ExportControlCap {
                    target, good, max, ..
                },
                Order::SetExportControl {
                    target: t,
                    good: g,
                    level,
                },
            ) => Origin::Power(*target) == *t && good == g && level > max,
            (Commitment::SanctionsCap { on, max, .. }, Order::SetSanctions { on: o, level }) => {
                on == o && level > max
            }
            (Commitment::AidCap { max }, Order::SetAid { level }) => level > max,
            _ => false,
        })
        .map(|a| a.id)
        .collect()
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

pub(super) fn check_propose(
    world: &World,
    power: PowerId,
    to: PowerId,
    terms: &[Term],
) -> Result<(), Refusal> {
    let deal = Deal {
        from: power,
        to,
        terms: terms.to_vec(),
    };
    check_deal(world, &deal)
}

pub(super) fn check_respond(
    world: &World,
    power: PowerId,
    proposal: u32,
    response: &Response,
    queued: &[Order],
) -> Result<(), Refusal> {
    let diplomacy = world.resource::<Diplomacy>();
    let Some(p) = diplomacy.proposals.iter().find(|p| p.id == proposal) else {
        return refuse(format!("there is no deal #{proposal}"));
    };
    if p.deal.to != power {
        return refuse(format!("deal #{proposal} is not addressed to {power}"));
    }
    if p.status != ProposalStatus::Pending {
        return refuse(format!("deal #{proposal} is no longer open"));
    }
    if queued
        .iter()
        .any(|o| matches!(o, Order::RespondToDeal { proposal: q, .. } if *q == proposal))
    {
        return refuse(format!("deal #{proposal} is already answered this turn"));
    }
    if let Response::Counter { terms, .. } = response {
        if p.counters.is_some() {
            return refuse("a counter-offer can only be accepted or rejected");
        }
        let deal = Deal {
            from: power,
            to: p.deal.from,
            terms: terms.clone(),
        };
        check_deal(world, &deal)?;
    }
    Ok(())
}

pub(super) fn check_cancel_contract(
    world: &World,
    power: PowerId,
    contract: u32,
) -> Result<(), Refusal> {
    let diplomacy = world.resource::<Diplomacy>();
    let Some(c) = diplomacy.contracts.iter().find(|c| c.id == contract) else {
        return refuse(format!("there is no contract #{contract}"));
    };
    if c.seller != power && c.buyer != power {
        return refuse(format!("contract #{contract} is not yours"));
    }
    Ok(())
}

pub(super) fn execute_propose(
    world: &mut World,
    power: PowerId,
    to: PowerId,
    terms: &[Term],
    turn: u32,
) {
    let proposal_turns = world.resource::<GameRules>().params.proposal_turns;
    let mut d = world.resource_mut::<Diplomacy>();
    d.next_id += 1;
    let id = d.next_id;
    d.proposals.push(Proposal {
        id,
        deal: Deal {
            from: power,
            to,
            terms: terms.to_vec(),
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
        .private(turn, &[power, to], NewsKind::Diplomacy, text);
}

/// Answers are gathered here and carried out in the diplomacy phase.
pub(super) fn execute_respond(
    world: &mut World,
    power: PowerId,
    proposal: u32,
    response: &Response,
) {
    world
        .resource_mut::<PendingResponses>()
        .responses
        .push((proposal, power, response.clone()));
}

pub(super) fn execute_cancel_contract(
    world: &mut World,
    power: PowerId,
    contract: u32,
    turn: u32,
) -> Result<(), Refusal> {
    let params = world.resource::<GameRules>().params.clone();
    let mut d = world.resource_mut::<Diplomacy>();
    let pos = d
        .contracts
        .iter()
        .position(|c| c.id == contract)
        .ok_or_else(|| Refusal(format!("no contract #{contract}")))?;
    let c = d.contracts.remove(pos);
    let other = if c.seller == power { c.buyer } else { c.seller };
    world
        .resource_mut::<Relations>()
        .add_trust(power, other, -params.breach_trust_penalty);
    let e = power_entity(world, power);
    let mut pol = world.get_mut::<Politics>(e).expect("power");
    pol.political_capital = (pol.political_capital - params.breach_capital_penalty).max(0.0);
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
    Ok(())
}
