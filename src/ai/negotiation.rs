//! How a computer player values a deal: each term is worth something (US$ bn
//! equivalent) to it. A term that moves one of its objectives is worth what
//! it does to them over the rest of the game ([`projection`]); the others
//! are worth their money and the leverage they give up or win.

use crate::rules::deals::{Deal, DealAnswerer, Proposal, Response, Term, us_russia_term_rule};
use crate::rules::types::*;
use crate::rules::view::PowerView;
use crate::seats::Strength;

use super::personality::Personality;
use super::projection::{self, POINTS_PER_BN};

/// Worth of a term to `me`, in US$ bn equivalent, with a short reason.
pub fn term_value(view: &PowerView, me: PowerId, deal: &Deal, term: &Term) -> (f64, String) {
    if me == view.me.power.id
        && let Some((points, why)) = projection::objective_points(view, term)
    {
        return (points / POINTS_PER_BN, why.to_string());
    }
    let price = |g: Good| view.market.price[g];
    let war_active = view.war.status == WarStatus::Active;
    match term {
        Term::Supply {
            seller,
            buyer,
            good,
            qty,
            price: p,
            turns,
        } => {
            let market = price(*good);
            let per_turn = qty * (p - market) / 1000.0;
            let total = per_turn * (*turns as f64).min(12.0);
            if *buyer == me {
                // Secure supply is worth a premium when the seller is not China
                // and China is squeezing us.
                let squeeze = if *seller != PowerId::China && me == PowerId::Us {
                    0.02 * qty * (*turns as f64).min(12.0)
                } else {
                    0.0
                };
                (
                    -total + squeeze,
                    format!(
                        "{qty:.1} kt of {good} at ${p:.0}/kg against ${market:.0} on the market"
                    ),
                )
            } else if *seller == me {
                let stock = view.me.stockpile.qty[*good];
                let can = if stock + 1e-9 >= *qty { 1.0 } else { 0.3 };
                (
                    total * can,
                    format!("selling {good} at ${p:.0}/kg against ${market:.0} on the market"),
                )
            } else {
                (0.0, String::new())
            }
        }
        Term::Payment { from, to, amount } => {
            if *to == me {
                (*amount, format!("${amount:.1} bn paid to us"))
            } else if *from == me {
                (-amount, format!("${amount:.1} bn to pay"))
            } else {
                (0.0, String::new())
            }
        }
        Term::TariffCut {
            by,
            on,
            rate,
            turns,
        } => {
            let cut = (view.relations.tariff[by.index()][on.index()] - rate).max(0.0);
            let weight = 2.5 * cut * (*turns as f64 / 8.0).min(1.5);
            if *on == me {
                (
                    weight,
                    format!("{by} cuts its tariff on us by {:.0} points", cut * 100.0),
                )
            } else if *by == me {
                (
                    -0.8 * weight,
                    format!("we give up {:.0} points of tariff leverage", cut * 100.0),
                )
            } else {
                (0.0, String::new())
            }
        }
        Term::ExportControlRelief {
            by,
            target,
            good,
            level,
            turns,
        } => {
            let before = view.relations.export_control[by.index()][target.index()][*good] as u8;
            let steps = before.saturating_sub(*level as u8) as f64;
            let goodw = match good {
                Good::HeavyOxides | Good::Magnets => 1.0,
                _ => 0.6,
            };
            let w = steps * goodw * (*turns as f64 / 8.0).min(1.5);
            if *target == me {
                (1.2 * w, format!("{by} eases export controls on {good}"))
            } else if *by == me {
                (-w, format!("we give up our control over {good}"))
            } else {
                (0.0, String::new())
            }
        }
        Term::SanctionsRelief {
            by,
            on,
            level,
            turns,
        } => {
            let before = view.relations.sanctions[by.index()][on.index()] as u8;
            let steps = before.saturating_sub(*level as u8) as f64;
            let w = steps * (*turns as f64 / 8.0).min(1.5);
            if *on == me {
                (1.8 * w, format!("{by} lifts sanctions on us"))
            } else if *by == me {
                // A ceasefire can break down; lifted sanctions stay lifted.
                let peace = deal.terms.iter().any(|t| matches!(t, Term::Peace { .. }));
                let (fear, why) = if peace {
                    (0.6, "sanctions relief is the price of peace".to_string())
                } else if deal.has_war_terms() {
                    (
                        1.4,
                        "a ceasefire can break down, but lifted sanctions stay lifted".to_string(),
                    )
                } else {
                    (
                        2.0,
                        format!("sanctions relief without a ceasefire gives {on} everything"),
                    )
                };
                (-fear * w, why)
            } else {
                (0.0, String::new())
            }
        }
        Term::JointVenture {
            investor,
            kind,
            capacity,
            investor_share,
            at,
        } => {
            let out_price = match kind {
                FacilityKind::Mine => price(Good::Concentrate),
                FacilityKind::SeparationPlant => price(Good::LightOxides) * 0.2 + 2.0,
                FacilityKind::MagnetPlant => price(Good::Magnets) * 0.4,
            };
            let value = capacity * out_price / 1000.0 * 20.0;
            let host = if *investor == deal.from {
                deal.to
            } else {
                deal.from
            };
            if *investor == me {
                // Priced as the rules price it; a place the view does not
                // know cannot hold a venture (the deal's check refuses it).
                let Some(cost) = view.facility_cost(at, *kind, *capacity) else {
                    return (0.0, String::new());
                };
                let strategic = if me == PowerId::Us { 0.8 } else { 0.3 };
                (
                    value * investor_share - cost + strategic,
                    format!("a share of a {kind} at {at}"),
                )
            } else if host == me {
                (
                    value * (1.0 - investor_share) + 0.3,
                    format!("{investor} builds a {kind} on our ground"),
                )
            } else {
                (0.0, String::new())
            }
        }
        Term::Ceasefire | Term::Peace { .. } => {
            let peace = matches!(term, Term::Peace { .. });
            let scale = if peace { 1.5 } else { 1.0 };
            match me {
                PowerId::Us => (
                    2.0 * scale,
                    "an end to the fighting opens minerals deals with Russia".into(),
                ),
                PowerId::Russia => {
                    // Moscow stops only when the war tires it or it holds
                    // what it wants; early on it would rather fight on.
                    let tired = view.war.weariness - 0.5;
                    let holding = view.war.front_share - 0.4;
                    let resolve = if view.war.weariness < 0.5 { -2.0 } else { 0.0 };
                    let v = (4.0 * tired + 3.0 * holding + resolve) * scale;
                    (
                        v,
                        if v >= 0.0 {
                            "the war is draining us and the front holds our gains".into()
                        } else {
                            "we can still win more on the battlefield".into()
                        },
                    )
                }
                PowerId::China => (0.0, String::new()),
            }
        }
        Term::AidCap { level, turns } => {
            let cut = view.war.us_aid.saturating_sub(*level) as f64;
            let w = cut * (*turns as f64 / 8.0).min(1.5);
            match me {
                PowerId::Russia => (0.8 * w, "less American aid for Ukraine".into()),
                PowerId::Us => (
                    if war_active { -0.9 * w } else { -0.2 * w },
                    "cutting aid abandons Ukraine".into(),
                ),
                PowerId::China => (0.0, String::new()),
            }
        }
    }
}

/// Value of a whole deal to `me`, and the reasons that weigh most.
pub fn deal_value(view: &PowerView, me: PowerId, deal: &Deal) -> (f64, Vec<(f64, String)>) {
    deal_value_as(view, me, deal, &Personality::balanced())
}

/// [`deal_value`] as a personality weighs it: a hawk holds its own trade-war
/// levers dearer, a power keen on war values a ceasefire less.
pub fn deal_value_as(
    view: &PowerView,
    me: PowerId,
    deal: &Deal,
    persona: &Personality,
) -> (f64, Vec<(f64, String)>) {
    deal_value_with(view, me, deal, persona, Strength::Easy)
}

/// What a deal is worth to the partner, US$ bn equivalent, as far as the
/// viewer can judge: what it does to the partner's objectives from the
/// briefing, and the plain worth of the other terms.
pub fn partner_value(view: &PowerView, partner: PowerId, deal: &Deal) -> f64 {
    deal.terms
        .iter()
        .map(
            |t| match projection::objective_points_for(view, partner, t) {
                Some((points, _)) => points / POINTS_PER_BN,
                None => term_value(view, partner, deal, t).0,
            },
        )
        .sum()
}

/// Scores as the viewer sees them: its own, the partner's and the best of
/// the rest (all 0 before the first turn is scored).
fn standings(view: &PowerView, partner: PowerId) -> (f64, f64, f64) {
    let mine = view.me.scorecard.score();
    let theirs = view.other(partner).map_or(0.0, |o| o.score.value);
    let third = view
        .others
        .iter()
        .filter(|o| o.id != partner && !o.eliminated)
        .map(|o| o.score.value)
        .fold(0.0, f64::max);
    (mine, theirs, third)
}

/// Points by which a deal would lengthen the partner's lead over the field
/// (us and the third power), or make it the leader.
pub fn lead_handed(view: &PowerView, partner: PowerId, ours: f64, theirs_gain: f64) -> f64 {
    let (mine, theirs, third) = standings(view, partner);
    let before = (theirs - mine.max(third)).max(0.0);
    let after = (theirs + theirs_gain - (mine + ours).max(third)).max(0.0);
    (after - before).max(0.0)
}

/// Change, in points, of our margin over the best of the others if a deal
/// gives us `ours` and the partner `theirs_gain`: what a player who plays to
/// win looks at. A deal that lifts the partner past us is worth less than
/// nothing, one that lifts us both past the leader is worth a lot.
pub fn margin_change(view: &PowerView, partner: PowerId, ours: f64, theirs_gain: f64) -> f64 {
    let (mine, theirs, third) = standings(view, partner);
    let before = mine - theirs.max(third);
    let after = mine + ours - (theirs + theirs_gain).max(third);
    after - before
}

/// [`deal_value_as`] by a player of `strength`: besides its own gain it
/// weighs what the deal does to its margin over the best rival
/// ([`margin_change`], [`lead_handed`]).
pub fn deal_value_with(
    view: &PowerView,
    me: PowerId,
    deal: &Deal,
    persona: &Personality,
    strength: Strength,
) -> (f64, Vec<(f64, String)>) {
    let mut parts: Vec<(f64, String)> = deal
        .terms
        .iter()
        .map(|t| {
            let (v, why) = term_value(view, me, deal, t);
            let gives_lever = matches!(
                t,
                Term::TariffCut { by, .. }
                | Term::ExportControlRelief { by, .. }
                | Term::SanctionsRelief { by, .. } if *by == me
            );
            let v = if gives_lever && v < 0.0 {
                v * persona.hostility
            } else if matches!(t, Term::Ceasefire | Term::Peace { .. }) && v > 0.0 {
                v / persona.war
            } else {
                v
            };
            (v, why)
        })
        .collect();
    let partner = if deal.from == me { deal.to } else { deal.from };
    // The easy player is short-sighted and counts only what it gets; the
    // others play to win and count what the deal does to their margin.
    if strength != Strength::Easy && partner != me {
        let ours: f64 = parts.iter().map(|(v, _)| v).sum::<f64>() * POINTS_PER_BN;
        let theirs: f64 = deal
            .terms
            .iter()
            .filter_map(|t| projection::objective_points_for(view, partner, t))
            .map(|(p, _)| p)
            .sum();
        // Worth = a little of our own gain, plus what it does to our margin
        // over the best of the others, less any lead it hands the partner.
        let worth = 0.3 * ours + margin_change(view, partner, ours, theirs)
            - lead_handed(view, partner, ours, theirs);
        let lost = ours - worth;
        if lost > 0.5 {
            parts.push((
                -lost / POINTS_PER_BN,
                format!("it would help {partner} more than it helps us ({theirs:.0} points towards its aims)"),
            ));
        }
    }
    let total = parts.iter().map(|(v, _)| v).sum();
    parts.sort_by(|a, b| a.0.total_cmp(&b.0));
    (total, parts)
}

/// Whether the rules on US–Russia deals, which read only public facts,
/// allow `deal` today ([`us_russia_term_rule`]). A counter-offer the rules
/// would refuse is no counter at all.
pub fn allowed_as_far_as_we_know(view: &PowerView, deal: &Deal) -> bool {
    deal.terms.iter().all(|t| {
        us_russia_term_rule(deal, t, view.war.status, |a, b| {
            view.relations.sanctions[a.index()][b.index()]
        })
        .is_ok()
    })
}

/// How much better than nothing a deal must be, given trust in the proposer.
fn threshold(view: &PowerView, from: PowerId) -> f64 {
    let trust = view.trust.mine[from];
    // Distrust demands a sweeter deal.
    0.05 + (50.0 - trust).max(0.0) / 100.0
}

/// Answer a proposal: accept good deals, counter by dropping the worst term
/// when the rest is good, reject the others — always with a reason.
pub fn answer(view: &PowerView, proposal: &Proposal) -> Response {
    answer_as(view, proposal, &Personality::balanced())
}

/// [`answer`] as a personality would: a dealmaker settles for less.
pub fn answer_as(view: &PowerView, proposal: &Proposal, persona: &Personality) -> Response {
    answer_with(view, proposal, persona, Strength::Easy)
}

/// [`answer_as`] by a player of `strength` (see [`deal_value_with`]).
pub fn answer_with(
    view: &PowerView,
    proposal: &Proposal,
    persona: &Personality,
    strength: Strength,
) -> Response {
    let me = view.me.power.id;
    let deal = &proposal.deal;
    let (value, parts) = deal_value_with(view, me, deal, persona, strength);
    // Distrust demands a sweeter deal, and a quarter as much for a gift
    // that costs us nothing (there is less to be cheated of).
    let costs_us = parts.iter().any(|(v, _)| *v < 0.0);
    let need =
        threshold(view, deal.from) / persona.deal_eagerness * if costs_us { 1.0 } else { 0.25 };
    if value >= need {
        return Response::Accept;
    }
    let worst = parts
        .iter()
        .find(|(v, r)| *v < 0.0 && !r.is_empty())
        .map(|(_, r)| r.clone());
    if proposal.counters.is_none() && deal.terms.len() >= 2 {
        // Drop the term that hurts most and see if the rest is worth it.
        let mut best: Option<(usize, f64)> = None;
        for i in 0..deal.terms.len() {
            let mut rest = deal.clone();
            rest.terms.remove(i);
            if !allowed_as_far_as_we_know(view, &rest) {
                continue;
            }
            let (v, _) = deal_value_with(view, me, &rest, persona, strength);
            if v >= need && best.is_none_or(|(_, b)| v > b) {
                best = Some((i, v));
            }
        }
        if let Some((i, _)) = best {
            let mut terms = deal.terms.clone();
            let dropped = terms.remove(i);
            return Response::Counter {
                terms,
                reason: format!("We accept all but one term: {dropped}."),
            };
        }
    }
    let reason = match worst {
        Some(w) => format!("We reject: {w}."),
        None => "We reject: it gives us too little.".to_string(),
    };
    Response::Reject { reason }
}

/// The built-in answerer for AI seats, with its personality and strength.
pub struct BotAnswerer(pub Personality, pub Strength);

impl DealAnswerer for BotAnswerer {
    fn answer(&self, view: &PowerView, proposal: &Proposal) -> Response {
        if self.1 == Strength::Passive {
            return Response::Reject {
                reason: "We are not negotiating: our policy is held fixed.".to_string(),
            };
        }
        answer_with(view, proposal, &self.0, self.1)
    }
}

/// A fresh proposal of turn 1, for tests.
#[cfg(test)]
pub(crate) fn proposal(from: PowerId, to: PowerId, terms: Vec<Term>) -> Proposal {
    Proposal {
        id: 1,
        deal: Deal { from, to, terms },
        turn: 1,
        expires: 3,
        status: crate::rules::deals::ProposalStatus::Pending,
        reason: String::new(),
        counter: None,
        counters: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Game;

    fn view(p: PowerId) -> PowerView {
        let level = crate::level::bundled("2025-trade-war").unwrap();
        Game::new(&level, 3).view(p)
    }

    fn reason(r: &Response) -> &str {
        match r {
            Response::Reject { reason } | Response::Counter { reason, .. } => reason,
            Response::Accept => "",
        }
    }

    #[test]
    fn money_for_nothing_is_accepted_and_paying_for_nothing_refused() {
        let gift = proposal(
            PowerId::China,
            PowerId::Russia,
            vec![Term::Payment {
                from: PowerId::China,
                to: PowerId::Russia,
                amount: 3.0,
            }],
        );
        assert_eq!(answer(&view(PowerId::Russia), &gift), Response::Accept);
        let demand = proposal(
            PowerId::Us,
            PowerId::China,
            vec![Term::Payment {
                from: PowerId::China,
                to: PowerId::Us,
                amount: 3.0,
            }],
        );
        let r = answer(&view(PowerId::China), &demand);
        assert!(matches!(r, Response::Reject { .. }), "{r:?}");
        assert!(reason(&r).contains("3.0 bn to pay"), "{r:?}");
    }

    #[test]
    fn sanctions_relief_without_a_ceasefire_is_refused_with_its_reason() {
        let v = view(PowerId::Us);
        assert!(
            v.relations.sanctions[PowerId::Us.index()][PowerId::Russia.index()]
                > SanctionsLevel::None
        );
        let relief = proposal(
            PowerId::Russia,
            PowerId::Us,
            vec![Term::SanctionsRelief {
                by: PowerId::Us,
                on: PowerId::Russia,
                level: SanctionsLevel::None,
                turns: 8,
            }],
        );
        let r = answer(&v, &relief);
        assert!(matches!(r, Response::Reject { .. }), "{r:?}");
        assert!(
            reason(&r).starts_with("We reject:") && reason(&r).contains("without a ceasefire"),
            "{r:?}"
        );
    }

    #[test]
    fn lifting_controls_on_our_supply_is_welcome() {
        let mut v = view(PowerId::Us);
        // China licenses Dy/Tb for the US, as in April 2025.
        std::sync::Arc::make_mut(&mut v.public)
            .relations
            .export_control[PowerId::China.index()][PowerId::Us.index()][Good::HeavyOxides] =
            ExportLevel::Licensing;
        let offer = proposal(
            PowerId::China,
            PowerId::Us,
            vec![Term::ExportControlRelief {
                by: PowerId::China,
                target: PowerId::Us,
                good: Good::HeavyOxides,
                level: ExportLevel::None,
                turns: 8,
            }],
        );
        assert_eq!(answer(&v, &offer), Response::Accept);
    }

    #[test]
    fn a_good_package_with_one_bad_term_is_countered_without_it() {
        let v = view(PowerId::Russia);
        let package = proposal(
            PowerId::China,
            PowerId::Russia,
            vec![
                Term::Payment {
                    from: PowerId::China,
                    to: PowerId::Russia,
                    amount: 2.0,
                },
                Term::Payment {
                    from: PowerId::Russia,
                    to: PowerId::China,
                    amount: 2.5,
                },
            ],
        );
        match answer(&v, &package) {
            Response::Counter { terms, reason } => {
                assert_eq!(terms.len(), 1);
                assert!(
                    matches!(
                        terms[0],
                        Term::Payment {
                            to: PowerId::Russia,
                            ..
                        }
                    ),
                    "{terms:?}"
                );
                assert!(reason.contains("all but one term"), "{reason}");
            }
            other => panic!("expected a counter, got {other:?}"),
        }
    }

    #[test]
    fn a_winning_player_will_not_hand_its_partner_the_lead_a_short_sighted_one_will() {
        // The US offers Russia peace, once a ceasefire has held: worth more
        // to the US (the war objective, aid it no longer pays) than to Russia.
        let mut v = view(PowerId::Russia);
        {
            let public = std::sync::Arc::make_mut(&mut v.public);
            public.war.status = WarStatus::Ceasefire;
            public.war.ceasefire_turns = 2;
        }
        let offer = proposal(
            PowerId::Us,
            PowerId::Russia,
            vec![Term::Peace {
                security_guarantees: true,
            }],
        );
        let ours = projection::objective_points(&v, &offer.deal.terms[0])
            .unwrap()
            .0;
        let theirs = projection::objective_points_for(&v, PowerId::Us, &offer.deal.terms[0])
            .unwrap()
            .0;
        assert!(ours > 0.0 && theirs > ours, "ours {ours} theirs {theirs}");
        let balanced = Personality::balanced();
        assert_eq!(
            answer_with(&v, &offer, &balanced, Strength::Easy),
            Response::Accept
        );
        let r = answer_with(&v, &offer, &balanced, Strength::Normal);
        assert!(
            reason(&r).contains("help United States more than it helps us"),
            "{r:?}"
        );
        // Sweetened with relief of US sanctions, Moscow keeps the relief and
        // drops the peace that would put the US ahead; Washington refuses.
        let mut sweetened = offer.clone();
        sweetened.deal.terms.push(Term::SanctionsRelief {
            by: PowerId::Us,
            on: PowerId::Russia,
            level: SanctionsLevel::None,
            turns: 40,
        });
        let Response::Counter { terms, reason: why } =
            answer_with(&v, &sweetened, &balanced, Strength::Normal)
        else {
            panic!("expected a counter-offer");
        };
        assert!(
            matches!(terms[..], [Term::SanctionsRelief { .. }]),
            "{terms:?}"
        );
        assert!(why.contains("all but one term: peace"), "{why}");
        let mut counter = proposal(PowerId::Russia, PowerId::Us, terms);
        counter.counters = Some(1);
        let mut us = view(PowerId::Us);
        std::sync::Arc::make_mut(&mut us.public).war = v.war.clone();
        let r = answer_with(&us, &counter, &balanced, Strength::Normal);
        assert!(matches!(r, Response::Reject { .. }), "{r:?}");
        assert!(
            reason(&r).contains("help Russia more than it helps us")
                || reason(&r).contains("without a ceasefire"),
            "{r:?}"
        );
    }

    #[test]
    fn the_margin_counts_against_the_best_rival() {
        let mut v = view(PowerId::Us);
        // Scored turns: the US 60, China 70 ahead, Russia 50 far behind.
        v.me.scorecard.turns_scored = 1;
        v.me.scorecard.accumulated = 60.0;
        for o in &mut v.others {
            o.score = crate::rules::view::Estimate::exact(match o.id {
                PowerId::China => 70.0,
                _ => 50.0,
            });
        }
        // Helping Russia (far behind) to gain 10 while we gain 5 costs no
        // margin against China and hands Russia no lead.
        assert!((margin_change(&v, PowerId::Russia, 5.0, 10.0) - 5.0).abs() < 1e-9);
        assert_eq!(lead_handed(&v, PowerId::Russia, 5.0, 10.0), 0.0);
        // Lifting Russia 30 points puts it 15 ahead of us and 10 of China.
        assert!((margin_change(&v, PowerId::Russia, 5.0, 30.0) - (-5.0)).abs() < 1e-9);
        assert!((lead_handed(&v, PowerId::Russia, 5.0, 30.0) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn a_counter_offer_is_one_the_rules_allow() {
        // Peace terms with relief, while the war goes on: dropping the war
        // terms would leave relief Congress forbids, so no such counter.
        let v = view(PowerId::Russia);
        let offer = proposal(
            PowerId::Us,
            PowerId::Russia,
            vec![
                Term::Ceasefire,
                Term::SanctionsRelief {
                    by: PowerId::Us,
                    on: PowerId::Russia,
                    level: SanctionsLevel::None,
                    turns: 40,
                },
            ],
        );
        let relief_only = Deal {
            from: PowerId::Russia,
            to: PowerId::Us,
            terms: vec![offer.deal.terms[1].clone()],
        };
        assert!(!allowed_as_far_as_we_know(&v, &relief_only));
        assert!(allowed_as_far_as_we_know(&v, &offer.deal));
        for strength in [Strength::Easy, Strength::Normal] {
            let r = answer_with(&v, &offer, &Personality::balanced(), strength);
            if let Response::Counter { terms, .. } = &r {
                assert!(terms.iter().any(|t| matches!(t, Term::Ceasefire)), "{r:?}");
            }
        }
    }
}
