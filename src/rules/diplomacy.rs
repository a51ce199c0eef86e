//! Phase 4, diplomacy: answer proposals (a human's answer from its orders, an
//! AI seat's at once), carry out accepted deals, expire old offers and
//! commitments.

use bevy::prelude::*;

use super::TurnPhase;
use super::components::*;
use super::deals::*;
use super::orders::facilities::{Funding, fund};
use super::orders::war_orders::begin_ceasefire;
use super::orders::*;
use super::policy::{self, Cause, PolicyChange};
use super::resources::*;
use super::types::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        super::TurnSchedule,
        resolve_proposals.in_set(TurnPhase::Diplomacy),
    );
}

/// Exclusive: the computer seats' answerers judge each proposal from views
/// built from the whole world, and an accepted deal's terms are carried out
/// by the rules of each term's domain (policy, facilities, finances) on the
/// whole world; proposals are answered one by one, each seeing the deals
/// accepted before it.
pub(crate) fn resolve_proposals(world: &mut World) {
    let turn = world.resource::<TurnClock>().turn;
    let responses = std::mem::take(&mut world.resource_mut::<PendingResponses>().responses);
    let answerers = world
        .get_resource::<Answerers>()
        .cloned()
        .unwrap_or_default();
    // The public part of the answerers' views, rebuilt only when an accepted
    // deal has changed the world.
    let mut public: Option<std::sync::Arc<super::view::PublicView>> = None;
    // Counters made this phase are answered in the same pass (one round only).
    let mut round = 0;
    loop {
        round += 1;
        let mut open: Vec<u32> = world
            .resource::<Diplomacy>()
            .proposals
            .iter()
            .filter(|p| p.status == ProposalStatus::Pending)
            .map(|p| p.id)
            .collect();
        open.sort();
        let mut answered_any = false;
        for id in open {
            let proposal = world
                .resource::<Diplomacy>()
                .proposals
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .expect("listed");
            let response = responses
                .iter()
                .find(|(pid, who, _)| *pid == id && *who == proposal.deal.to)
                .map(|(_, _, r)| r.clone())
                .or_else(|| {
                    answerers.get(proposal.deal.to).map(|a| {
                        let shared = public
                            .get_or_insert_with(|| {
                                std::sync::Arc::new(super::view::public_view(world))
                            })
                            .clone();
                        let view = super::view::power_view_with(world, proposal.deal.to, shared);
                        a.answer(&view, &proposal)
                    })
                });
            let Some(response) = response else {
                continue;
            };
            answered_any = true;
            if matches!(response, Response::Accept) {
                public = None;
            }
            answer(world, &proposal, response, turn);
        }
        if !answered_any || round >= 3 {
            break;
        }
    }
    expire(world, turn);
}

fn set_status(world: &mut World, id: u32, status: ProposalStatus, reason: &str) {
    let mut d = world.resource_mut::<Diplomacy>();
    if let Some(p) = d.proposals.iter_mut().find(|p| p.id == id) {
        p.status = status;
        p.reason = reason.to_string();
    }
}

fn answer(world: &mut World, proposal: &Proposal, response: Response, turn: u32) {
    let (from, to, id) = (proposal.deal.from, proposal.deal.to, proposal.id);
    match response {
        Response::Accept => match carry_out(world, proposal, turn) {
            Ok(()) => {
                set_status(world, id, ProposalStatus::Accepted, "accepted");
                let gain = world.resource::<GameRules>().params.deal_trust_gain;
                world.resource_mut::<Relations>().add_trust(from, to, gain);
                world.resource_mut::<NewsLog>().public(
                    turn,
                    NewsKind::Diplomacy,
                    format!(
                        "{from} and {to} sign deal #{id}: {}.",
                        proposal.deal.describe()
                    ),
                );
            }
            Err(reason) => {
                set_status(world, id, ProposalStatus::Failed, &reason);
                world.resource_mut::<NewsLog>().private(
                    turn,
                    &[from, to],
                    NewsKind::Diplomacy,
                    format!("Deal #{id} between {from} and {to} falls through: {reason}"),
                );
            }
        },
        Response::Reject { reason } => reject(world, id, (from, to), turn, &reason),
        Response::Counter { terms, reason } => {
            let counter = Deal {
                from: to,
                to: from,
                terms,
            };
            let not_allowed = if proposal.counters.is_some() {
                Some("a counter-offer cannot be countered again".to_string())
            } else {
                check_deal(world, &counter).err().map(|r| r.0)
            };
            if let Some(why) = not_allowed {
                // The counter cannot stand, so the answer is no, with both reasons.
                let why = format!("{reason} But {why}, so the answer is no.");
                reject(world, id, (from, to), turn, &why);
                return;
            }
            let proposal_turns = world.resource::<GameRules>().params.proposal_turns;
            let mut d = world.resource_mut::<Diplomacy>();
            d.next_id += 1;
            let new_id = d.next_id;
            let text = format!(
                "{to} counters deal #{id} with #{new_id}: {} ({reason})",
                counter.describe()
            );
            d.proposals.push(Proposal {
                id: new_id,
                deal: counter,
                turn,
                expires: turn.saturating_add(proposal_turns),
                status: ProposalStatus::Pending,
                reason: String::new(),
                counter: None,
                counters: Some(id),
            });
            if let Some(p) = d.proposals.iter_mut().find(|p| p.id == id) {
                p.status = ProposalStatus::Countered;
                p.reason = reason;
                p.counter = Some(new_id);
            }
            world
                .resource_mut::<NewsLog>()
                .private(turn, &[from, to], NewsKind::Diplomacy, text);
        }
    }
}

/// Would Ukraine sign the war terms of this deal? `Err` carries its reason.
pub fn ukraine_accepts(world: &World, deal: &Deal) -> Result<(), String> {
    let war = world.resource::<UkraineWar>();
    let params = &world.resource::<GameRules>().war;
    let guarantees = deal.terms.iter().any(|t| {
        matches!(
            t,
            Term::Peace {
                security_guarantees: true
            }
        )
    }) || war.security_guarantees;
    let bound = params.ukraine_bound
        + if guarantees {
            params.guarantee_bonus
        } else {
            0.0
        };
    for t in &deal.terms {
        let ok = match t {
            Term::Ceasefire => war.front_share <= bound + 1e-9,
            Term::Peace {
                security_guarantees,
            } => {
                let b = if *security_guarantees {
                    bound
                } else {
                    params.ukraine_bound - 0.1
                };
                war.front_share <= b + 1e-9
            }
            _ => true,
        };
        if !ok {
            return Err(format!(
                "Ukraine refuses: Russia holds {:.0}% of its rare-earth deposits, more than it can sign away{}",
                war.front_share * 100.0,
                if guarantees {
                    ""
                } else {
                    " without security guarantees"
                }
            ));
        }
    }
    Ok(())
}

/// Record `to`'s rejection of proposal `id` from `from`, and tell both.
fn reject(world: &mut World, id: u32, (from, to): (PowerId, PowerId), turn: u32, reason: &str) {
    set_status(world, id, ProposalStatus::Rejected, reason);
    world.resource_mut::<NewsLog>().private(
        turn,
        &[from, to],
        NewsKind::Diplomacy,
        format!("{to} rejects deal #{id}: {reason}"),
    );
}

/// Carry out every term of an accepted deal, or none.
fn carry_out(world: &mut World, proposal: &Proposal, turn: u32) -> Result<(), String> {
    let deal = &proposal.deal;
    check_deal(world, deal).map_err(|r| r.0)?;
    if deal.has_war_terms() {
        ukraine_accepts(world, deal)?;
    }
    // Money first: every payer must afford its part.
    let mut owed = PerPower([0.0f64; 3]);
    for t in &deal.terms {
        match t {
            Term::Payment { from, amount, .. } => owed[*from] += amount,
            Term::JointVenture {
                investor,
                at,
                kind,
                capacity,
                ..
            } => {
                let cost = facility_cost(world, *investor, at, *kind, *capacity).unwrap_or(0.0);
                owed[*investor] += cost * UPFRONT_SHARE;
            }
            _ => {}
        }
    }
    // Congress must be won over to ease sanctions on Russia.
    let relief = deal.terms.iter().any(|t| {
        matches!(
            t,
            Term::SanctionsRelief {
                by: PowerId::Us,
                on: PowerId::Russia,
                ..
            }
        )
    });
    let congress = world
        .resource::<GameRules>()
        .params
        .sanctions_relief_capital;
    if relief {
        let pc = get_power::<Politics>(world, PowerId::Us).political_capital;
        if pc < congress {
            return Err(
                "Congress blocks sanctions relief for Russia: the President lacks the political capital"
                    .to_string(),
            );
        }
    }
    for p in PowerId::ALL {
        let have = get_power::<Finances>(world, p).treasury;
        if owed[p] > 0.0 && have < owed[p] {
            return Err(format!("{p} cannot pay its ${:.2} bn share", owed[p]));
        }
    }
    if relief {
        let e = power_entity(world, PowerId::Us);
        world
            .get_mut::<Politics>(e)
            .expect("power")
            .political_capital -= congress;
    }
    for t in &deal.terms {
        apply_term(world, proposal, t, turn);
    }
    Ok(())
}

fn apply_term(world: &mut World, proposal: &Proposal, term: &Term, turn: u32) {
    let deal = &proposal.deal;
    let parties = (deal.from, deal.to);
    let agree = |world: &mut World, commitment: Commitment, turns: u32| {
        let mut d = world.resource_mut::<Diplomacy>();
        d.next_id += 1;
        let id = d.next_id;
        d.agreements.push(Agreement {
            id,
            proposal: proposal.id,
            parties,
            commitment,
            until_turn: turn + turns,
        });
    };
    match term {
        Term::Supply {
            seller,
            buyer,
            good,
            qty,
            price,
            turns,
        } => {
            let mut d = world.resource_mut::<Diplomacy>();
            d.next_id += 1;
            let id = d.next_id;
            d.contracts.push(Contract {
                id,
                proposal: proposal.id,
                seller: *seller,
                buyer: *buyer,
                good: *good,
                qty: *qty,
                price: *price,
                turns_left: *turns,
                shortfall: 0.0,
                last_note: String::new(),
            });
        }
        Term::Payment { from, to, amount } => {
            for (p, v) in [(*from, -amount), (*to, *amount)] {
                let e = power_entity(world, p);
                let mut f = world.get_mut::<Finances>(e).expect("power");
                f.treasury += v;
                f.ledger.deals += v;
            }
        }
        Term::TariffCut {
            by,
            on,
            rate,
            turns,
        } => {
            let change = PolicyChange::Tariff {
                by: *by,
                on: *on,
                rate: *rate,
            };
            policy::apply(world, &change, Cause::Deal(proposal.id));
            agree(
                world,
                Commitment::TariffCap {
                    by: *by,
                    on: *on,
                    max: *rate,
                },
                *turns,
            );
        }
        Term::ExportControlRelief {
            by,
            target,
            good,
            level,
            turns,
        } => {
            let change = PolicyChange::ExportControl {
                by: *by,
                target: Origin::Power(*target),
                good: *good,
                level: *level,
            };
            policy::apply(world, &change, Cause::Deal(proposal.id));
            agree(
                world,
                Commitment::ExportControlCap {
                    by: *by,
                    target: *target,
                    good: *good,
                    max: *level,
                },
                *turns,
            );
        }
        Term::SanctionsRelief {
            by,
            on,
            level,
            turns,
        } => {
            let change = PolicyChange::Sanctions {
                by: *by,
                on: *on,
                level: *level,
            };
            policy::apply(world, &change, Cause::Deal(proposal.id));
            agree(
                world,
                Commitment::SanctionsCap {
                    by: *by,
                    on: *on,
                    max: *level,
                },
                *turns,
            );
        }
        Term::JointVenture {
            investor,
            at,
            kind,
            capacity,
            investor_share,
        } => {
            let host = if *investor == deal.from {
                deal.to
            } else {
                deal.from
            };
            let Ok((id, _)) = fund(
                world,
                Funding {
                    owner: host,
                    funder: *investor,
                    at: at.clone(),
                    kind: *kind,
                    capacity: *capacity,
                    partners: vec![(*investor, *investor_share)],
                    turn,
                },
            ) else {
                // The deal's check found the place; it cannot vanish.
                return;
            };
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::Facility,
                format!("{investor} and {host} start a joint venture: {id}."),
            );
        }
        Term::Ceasefire => {
            begin_ceasefire(world, turn, "A ceasefire in Ukraine: the front is frozen.");
        }
        Term::Peace {
            security_guarantees,
        } => {
            let mut war = world.resource_mut::<UkraineWar>();
            war.status = WarStatus::Peace;
            war.intensity = 0.0;
            war.us_aid = 0;
            war.ended_turn = Some(turn);
            war.security_guarantees |= *security_guarantees;
            world.resource_mut::<NewsLog>().public(
                turn,
                NewsKind::War,
                "Peace is signed in Ukraine: the front becomes a border.",
            );
        }
        Term::AidCap { level, turns } => {
            let mut war = world.resource_mut::<UkraineWar>();
            war.us_aid = war.us_aid.min(*level);
            agree(world, Commitment::AidCap { max: *level }, *turns);
        }
    }
}

fn expire(world: &mut World, turn: u32) {
    let mut d = world.resource_mut::<Diplomacy>();
    for p in d.proposals.iter_mut() {
        if p.status == ProposalStatus::Pending && turn >= p.expires {
            p.status = ProposalStatus::Expired;
            p.reason = "no answer in time".to_string();
        }
    }
    d.agreements.retain(|a| a.until_turn > turn);
    // Keep the record of closed proposals bounded: the last 60 are plenty
    // for the diplomacy panel and the debrief reads the news.
    let closed = d
        .proposals
        .iter()
        .filter(|p| p.status != ProposalStatus::Pending)
        .count();
    if closed > 60 {
        let mut drop = closed - 60;
        d.proposals.retain(|p| {
            if drop > 0 && p.status != ProposalStatus::Pending {
                drop -= 1;
                false
            } else {
                true
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    fn status(world: &World, id: u32) -> (ProposalStatus, String) {
        let p = world
            .resource::<Diplomacy>()
            .proposals
            .iter()
            .find(|p| p.id == id)
            .unwrap();
        (p.status, p.reason.clone())
    }

    #[test]
    fn accepted_package_applies_every_term() {
        let mut world = test_world();
        let id = propose(
            &mut world,
            PowerId::China,
            PowerId::Us,
            vec![
                Term::TariffCut {
                    by: PowerId::Us,
                    on: PowerId::China,
                    rate: 0.1,
                    turns: 8,
                },
                Term::Supply {
                    seller: PowerId::China,
                    buyer: PowerId::Us,
                    good: Good::Magnets,
                    qty: 1.0,
                    price: 70.0,
                    turns: 4,
                },
                Term::Payment {
                    from: PowerId::China,
                    to: PowerId::Us,
                    amount: 0.5,
                },
            ],
        )
        .unwrap();
        run_system(&mut world, resolve_proposals);
        assert_eq!(
            status(&world, id).0,
            ProposalStatus::Pending,
            "humans answer on their turn"
        );
        let us_before = get_power::<Finances>(&world, PowerId::Us).treasury;
        respond(&mut world, PowerId::Us, id, Response::Accept);
        assert_eq!(status(&world, id).0, ProposalStatus::Accepted);
        assert_eq!(
            world
                .resource::<Relations>()
                .tariff(PowerId::Us, PowerId::China),
            0.1
        );
        let d = world.resource::<Diplomacy>();
        assert_eq!(d.contracts.len(), 1);
        assert!(
            d.agreements
                .iter()
                .any(|a| matches!(a.commitment, Commitment::TariffCap { .. }))
        );
        let us_after = get_power::<Finances>(&world, PowerId::Us).treasury;
        assert!((us_after - us_before - 0.5).abs() < 1e-9);
    }

    #[test]
    fn war_blocks_us_russia_minerals_deal_unless_it_holds_a_ceasefire() {
        let mut world = test_world();
        let jv = Term::JointVenture {
            investor: PowerId::Us,
            at: "lovozero".into(),
            kind: FacilityKind::Mine,
            capacity: 0.2,
            investor_share: 0.5,
        };
        let err = submit(
            &mut world,
            PowerId::Us,
            Order::ProposeDeal {
                to: PowerId::Russia,
                terms: vec![jv.clone()],
            },
        )
        .unwrap_err();
        assert!(err.0.contains("war blocks"), "{err}");
        // With ceasefire terms and sanctions relief it is a valid package.
        let terms = vec![
            Term::Ceasefire,
            Term::SanctionsRelief {
                by: PowerId::Us,
                on: PowerId::Russia,
                level: SanctionsLevel::None,
                turns: 8,
            },
            jv,
        ];
        let id = propose(&mut world, PowerId::Us, PowerId::Russia, terms).unwrap();
        // Make sure Ukraine can accept: the front is inside its bound.
        world.resource_mut::<UkraineWar>().front_share = 0.2;
        respond(&mut world, PowerId::Russia, id, Response::Accept);
        let (s, reason) = status(&world, id);
        assert_eq!(s, ProposalStatus::Accepted, "{reason}");
        assert_eq!(world.resource::<UkraineWar>().status, WarStatus::Ceasefire);
        assert!(
            world
                .resource::<EntityIndex>()
                .facilities
                .values()
                .filter_map(|e| world.get::<Facility>(*e))
                .any(|f| &*f.at == "lovozero"
                    && f.funder == PowerId::Us
                    && f.owner == PowerId::Russia)
        );
    }

    #[test]
    fn ukraine_refuses_a_ceasefire_when_russia_holds_too_much() {
        let mut world = test_world();
        let id = propose(
            &mut world,
            PowerId::Russia,
            PowerId::Us,
            vec![Term::Ceasefire],
        )
        .unwrap();
        world.resource_mut::<UkraineWar>().front_share = 0.9;
        respond(&mut world, PowerId::Us, id, Response::Accept);
        let (s, reason) = status(&world, id);
        assert_eq!(s, ProposalStatus::Failed);
        assert!(reason.contains("Ukraine refuses"), "{reason}");
        assert_eq!(world.resource::<UkraineWar>().status, WarStatus::Active);
    }

    #[test]
    fn rejections_and_counters_are_recorded_with_reasons() {
        let mut world = test_world();
        let id = propose(
            &mut world,
            PowerId::Us,
            PowerId::China,
            vec![Term::Payment {
                from: PowerId::China,
                to: PowerId::Us,
                amount: 1.0,
            }],
        )
        .unwrap();
        respond(
            &mut world,
            PowerId::China,
            id,
            Response::Counter {
                terms: vec![Term::Payment {
                    from: PowerId::China,
                    to: PowerId::Us,
                    amount: 0.1,
                }],
                reason: "too dear".into(),
            },
        );
        let (s, _) = status(&world, id);
        assert_eq!(s, ProposalStatus::Countered);
        let counter = world.resource::<Diplomacy>().next_id;
        respond(
            &mut world,
            PowerId::Us,
            counter,
            Response::Reject {
                reason: "not enough".into(),
            },
        );
        assert_eq!(
            status(&world, counter),
            (ProposalStatus::Rejected, "not enough".into())
        );
    }

    #[test]
    fn a_counter_the_rules_refuse_is_a_rejection_that_says_why() {
        // A computer player that counters with relief alone, which Congress
        // forbids while the war goes on.
        struct ReliefOnly;
        impl DealAnswerer for ReliefOnly {
            fn answer(&self, _: &crate::rules::view::PowerView, p: &Proposal) -> Response {
                Response::Counter {
                    terms: vec![p.deal.terms[1].clone()],
                    reason: "We accept all but one term: ceasefire in Ukraine.".into(),
                }
            }
        }
        let mut world = test_world();
        let mut answerers = Answerers::default();
        answerers.0[PowerId::Russia.index()] = Some(std::sync::Arc::new(ReliefOnly));
        world.insert_resource(answerers);
        let id = propose(
            &mut world,
            PowerId::Us,
            PowerId::Russia,
            vec![
                Term::Ceasefire,
                Term::SanctionsRelief {
                    by: PowerId::Us,
                    on: PowerId::Russia,
                    level: SanctionsLevel::None,
                    turns: 8,
                },
            ],
        )
        .unwrap();
        run_system(&mut world, resolve_proposals);
        let (s, reason) = status(&world, id);
        assert_eq!(s, ProposalStatus::Rejected);
        assert!(reason.starts_with("We accept all but one term"), "{reason}");
        assert!(
            reason.contains("But Congress will not ease sanctions"),
            "{reason}"
        );
        assert!(
            world
                .resource::<NewsLog>()
                .items
                .iter()
                .any(|n| n.text.contains("Russia rejects deal") && n.text.contains("Congress")),
            "the players read the answer in the news"
        );
    }

    #[test]
    fn unanswered_proposals_expire() {
        let mut world = test_world();
        let id = propose(
            &mut world,
            PowerId::Us,
            PowerId::China,
            vec![Term::Payment {
                from: PowerId::Us,
                to: PowerId::China,
                amount: 0.1,
            }],
        )
        .unwrap();
        let turns = world.resource::<GameRules>().params.proposal_turns;
        world.resource_mut::<TurnClock>().turn += turns;
        run_system(&mut world, resolve_proposals);
        assert_eq!(status(&world, id).0, ProposalStatus::Expired);
    }
}
