//! How a computer player values a deal: each term is worth something (US$ bn
//! equivalent) to it, from its view of the game and its objectives.

use crate::rules::deals::{Deal, DealAnswerer, Proposal, Response, Term};
use crate::rules::types::*;
use crate::rules::view::PowerView;

use super::personality::Personality;

/// Worth of a term to `me`, in US$ bn equivalent, with a short reason.
pub fn term_value(view: &PowerView, me: PowerId, deal: &Deal, term: &Term) -> (f64, String) {
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
                let fear = if deal.has_war_terms() { 0.6 } else { 2.0 };
                (
                    -fear * w,
                    if deal.has_war_terms() {
                        "sanctions relief is the price of peace".to_string()
                    } else {
                        format!("sanctions relief without a ceasefire gives {on} everything")
                    },
                )
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
                let unit = view.me.build.unit_cost.get(*kind);
                let cost = unit * capacity;
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
    let total = parts.iter().map(|(v, _)| v).sum();
    parts.sort_by(|a, b| a.0.total_cmp(&b.0));
    (total, parts)
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
    let me = view.me.power.id;
    let deal = &proposal.deal;
    let (value, parts) = deal_value_as(view, me, deal, persona);
    let need = threshold(view, deal.from) / persona.deal_eagerness;
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
            let (v, _) = deal_value_as(view, me, &rest, persona);
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

/// The built-in answerer for AI seats, with its personality.
pub struct BotAnswerer(pub Personality);

impl DealAnswerer for BotAnswerer {
    fn answer(&self, view: &PowerView, proposal: &Proposal) -> Response {
        answer_as(view, proposal, &self.0)
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
}
