//! Deals between powers: the terms a package may hold, proposals and what
//! accepted deals leave behind (agreements and supply contracts).

use serde::{Deserialize, Serialize};
use std::fmt;

use super::types::*;

/// One term of a deal package.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Term {
    /// `seller` delivers `qty` kt of `good` each turn to `buyer` at `price` $/kg for `turns` turns.
    Supply {
        seller: PowerId,
        buyer: PowerId,
        good: Good,
        qty: f64,
        price: f64,
        turns: u32,
    },
    /// A one-off payment, US$ bn.
    Payment {
        from: PowerId,
        to: PowerId,
        amount: f64,
    },
    /// `by` cuts its tariff on `on` to `rate` and keeps it there for `turns`.
    TariffCut {
        by: PowerId,
        on: PowerId,
        rate: f64,
        turns: u32,
    },
    /// `by` lowers its export control on `good` to `target` to `level` for `turns`.
    ExportControlRelief {
        by: PowerId,
        target: PowerId,
        good: Good,
        level: ExportLevel,
        turns: u32,
    },
    /// `by` lowers its sanctions on `on` to `level` for `turns`.
    SanctionsRelief {
        by: PowerId,
        on: PowerId,
        level: SanctionsLevel,
        turns: u32,
    },
    /// `investor` funds a facility at the host's deposit or site for a share of its output.
    JointVenture {
        investor: PowerId,
        at: String,
        kind: FacilityKind,
        capacity: f64,
        investor_share: f64,
    },
    /// US and Russia agree a ceasefire (Ukraine must accept).
    Ceasefire,
    /// US and Russia agree peace terms (Ukraine must accept).
    Peace { security_guarantees: bool },
    /// The US keeps its aid to Ukraine at or below `level` for `turns`.
    AidCap { level: u8, turns: u32 },
}

impl Term {
    /// Powers a term binds (who must be party to the deal).
    pub fn parties(&self) -> Vec<PowerId> {
        match self {
            Term::Supply { seller, buyer, .. } => vec![*seller, *buyer],
            Term::Payment { from, to, .. } => vec![*from, *to],
            Term::TariffCut { by, on, .. } => vec![*by, *on],
            Term::ExportControlRelief { by, target, .. } => vec![*by, *target],
            Term::SanctionsRelief { by, on, .. } => vec![*by, *on],
            Term::JointVenture { investor, .. } => vec![*investor],
            Term::Ceasefire | Term::Peace { .. } => vec![PowerId::Us, PowerId::Russia],
            Term::AidCap { .. } => vec![PowerId::Us],
        }
    }

    /// Does the term trade minerals (what the war blocks between the US and Russia)?
    pub fn is_minerals_deal(&self) -> bool {
        matches!(self, Term::Supply { .. } | Term::JointVenture { .. })
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Supply {
                seller,
                buyer,
                good,
                qty,
                price,
                turns,
            } => write!(
                f,
                "{seller} supplies {buyer} {qty:.2} kt of {good} a quarter at ${price:.0}/kg for {turns} turns"
            ),
            Term::Payment { from, to, amount } => {
                write!(f, "{from} pays {to} ${amount:.2} bn")
            }
            Term::TariffCut {
                by,
                on,
                rate,
                turns,
                ..
            } => write!(
                f,
                "{by} cuts its tariff on {on} to {:.0}% for {turns} turns",
                rate * 100.0
            ),
            Term::ExportControlRelief {
                by,
                target,
                good,
                level,
                turns,
            } => write!(
                f,
                "{by} eases export controls on {good} to {target} to {} for {turns} turns",
                level.name()
            ),
            Term::SanctionsRelief {
                by,
                on,
                level,
                turns,
            } => write!(
                f,
                "{by} eases sanctions on {on} to {} for {turns} turns",
                level.name()
            ),
            Term::JointVenture {
                investor,
                at,
                kind,
                capacity,
                investor_share,
            } => write!(
                f,
                "{investor} funds a {kind} of {capacity:.1} kt/quarter at {at} for {:.0}% of its output",
                investor_share * 100.0
            ),
            Term::Ceasefire => write!(f, "ceasefire in Ukraine"),
            Term::Peace {
                security_guarantees,
            } => {
                if *security_guarantees {
                    write!(f, "peace in Ukraine, with security guarantees")
                } else {
                    write!(f, "peace in Ukraine, without security guarantees")
                }
            }
            Term::AidCap { level, turns } => {
                write!(
                    f,
                    "US aid to Ukraine at most level {level} for {turns} turns"
                )
            }
        }
    }
}

/// The rules of US–Russia deals on one term, from public facts only (the
/// war's status and the sanctions in force), so the rules and a computer
/// player's counter-offers judge alike: Congress eases sanctions on Russia
/// only with ceasefire or peace terms while the war goes on, the war blocks
/// minerals deals likewise, and full sanctions must be eased by a minerals
/// deal on each side that holds them.
pub fn us_russia_term_rule(
    deal: &Deal,
    term: &Term,
    war: WarStatus,
    sanctions: impl Fn(PowerId, PowerId) -> SanctionsLevel,
) -> Result<(), String> {
    let fighting = war == WarStatus::Active && !deal.has_war_terms();
    if let Term::SanctionsRelief {
        by: PowerId::Us,
        on: PowerId::Russia,
        ..
    } = term
        && fighting
    {
        return Err("Congress will not ease sanctions on Russia while the war goes on: add ceasefire or peace terms".into());
    }
    let us_russia = matches!(
        (deal.from, deal.to),
        (PowerId::Us, PowerId::Russia) | (PowerId::Russia, PowerId::Us)
    );
    if !us_russia || !term.is_minerals_deal() {
        return Ok(());
    }
    if fighting {
        return Err("the war blocks any US–Russia minerals deal: it needs a ceasefire first, or ceasefire terms in the same deal".into());
    }
    // Each side with full sanctions must itself ease them in the package.
    for (a, b) in [
        (PowerId::Us, PowerId::Russia),
        (PowerId::Russia, PowerId::Us),
    ] {
        let eased = deal.terms.iter().any(|t| {
            matches!(t, Term::SanctionsRelief { by, on, level, .. }
                if *by == a && *on == b && *level < SanctionsLevel::Full)
        });
        if sanctions(a, b) == SanctionsLevel::Full && !eased {
            return Err(format!(
                "{a}'s full sanctions on {b} forbid this minerals deal: the package must ease them"
            ));
        }
    }
    Ok(())
}

/// A package of terms offered by one power to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Deal {
    pub from: PowerId,
    pub to: PowerId,
    pub terms: Vec<Term>,
}

impl Deal {
    pub fn describe(&self) -> String {
        self.terms
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn has_war_terms(&self) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(t, Term::Ceasefire | Term::Peace { .. }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ProposalStatus {
    Pending,
    Accepted,
    Rejected,
    Countered,
    /// Accepted, but could not be carried out (money, Ukraine's refusal…).
    Failed,
    Expired,
    Withdrawn,
}

/// A deal on the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Proposal {
    pub id: u32,
    pub deal: Deal,
    pub turn: u32,
    pub expires: u32,
    pub status: ProposalStatus,
    /// The answer's reason in plain words.
    pub reason: String,
    /// A counter-proposal's id, if countered.
    pub counter: Option<u32>,
    /// The proposal this one counters.
    pub counters: Option<u32>,
}

/// How the recipient answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Response {
    Accept,
    Reject { reason: String },
    Counter { terms: Vec<Term>, reason: String },
}

/// A binding commitment left by an accepted deal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Agreement {
    pub id: u32,
    pub proposal: u32,
    pub parties: (PowerId, PowerId),
    pub commitment: Commitment,
    pub until_turn: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Commitment {
    TariffCap {
        by: PowerId,
        on: PowerId,
        max: f64,
    },
    ExportControlCap {
        by: PowerId,
        target: PowerId,
        good: Good,
        max: ExportLevel,
    },
    SanctionsCap {
        by: PowerId,
        on: PowerId,
        max: SanctionsLevel,
    },
    AidCap {
        max: u8,
    },
}

impl Commitment {
    pub fn bound(&self) -> PowerId {
        match self {
            Commitment::TariffCap { by, .. }
            | Commitment::ExportControlCap { by, .. }
            | Commitment::SanctionsCap { by, .. } => *by,
            Commitment::AidCap { .. } => PowerId::Us,
        }
    }
}

impl fmt::Display for Commitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Commitment::TariffCap { by, on, max } => write!(
                f,
                "{by} keeps its tariff on {on} at {:.0}% or less",
                max * 100.0
            ),
            Commitment::ExportControlCap {
                by,
                target,
                good,
                max,
            } => match max {
                ExportLevel::None => {
                    write!(f, "{by} sells {good} to {target} free of export controls")
                }
                _ => write!(
                    f,
                    "{by} keeps its export controls on {good} for {target} no tighter than {}",
                    max.name()
                ),
            },
            Commitment::SanctionsCap { by, on, max } => match max {
                SanctionsLevel::None => write!(f, "{by} keeps its sanctions on {on} lifted"),
                _ => write!(
                    f,
                    "{by} keeps its sanctions on {on} no tighter than {}",
                    max.name()
                ),
            },
            Commitment::AidCap { max } => {
                write!(f, "US aid to Ukraine stays at level {max} or less")
            }
        }
    }
}

/// A standing supply contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Contract {
    pub id: u32,
    pub proposal: u32,
    pub seller: PowerId,
    pub buyer: PowerId,
    pub good: Good,
    pub qty: f64,
    pub price: f64,
    pub turns_left: u32,
    /// Deliveries short last turn (kt) and why.
    pub shortfall: f64,
    pub last_note: String,
}

/// A supply contract from an outside producer to a power: an offtake the
/// power signed (and financed), or a long-term contract from the level.
/// Delivered before the open market, at the price outside China (plus the
/// agreed premium), as long as the exporter's controls let it through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Offtake {
    pub id: u32,
    /// Outside supplier id.
    pub supplier: String,
    pub buyer: PowerId,
    pub good: Good,
    /// kt per quarter.
    pub qty: f64,
    /// Share over the price outside China paid per kg.
    pub premium: f64,
    pub turns_left: u32,
    /// Deliveries short last turn (kt) and why.
    pub shortfall: f64,
    pub last_note: String,
}

/// A price floor a power guarantees its own producers of a good (the
/// Pentagon's 110 $/kg NdPr floor for MP Materials, 2025): the treasury pays
/// the gap when the price outside China is lower; meanwhile private money
/// pays part of new facilities that make the good.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PriceFloor {
    pub power: PowerId,
    pub good: Good,
    /// $/kg.
    pub price: f64,
    pub turns_left: u32,
    /// US$ bn paid out last turn.
    pub paid: f64,
}

/// Who answers proposals at once for a seat (the AI); human seats have none
/// and answer with a `RespondToDeal` order on their turn.
pub trait DealAnswerer: Send + Sync {
    /// Answer `proposal` seeing only `view`, the recipient's view of the game.
    fn answer(&self, view: &super::view::PowerView, proposal: &Proposal) -> Response;
}

/// Automatic answerers per power.
#[derive(bevy::prelude::Resource, Clone, Default)]
pub struct Answerers(pub [Option<std::sync::Arc<dyn DealAnswerer>>; 3]);

impl Answerers {
    pub fn get(&self, p: PowerId) -> Option<&std::sync::Arc<dyn DealAnswerer>> {
        self.0[p.index()].as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitments_read_as_plain_words() {
        let tariff = Commitment::TariffCap {
            by: PowerId::Us,
            on: PowerId::China,
            max: 0.2,
        };
        assert_eq!(
            tariff.to_string(),
            "United States keeps its tariff on China at 20% or less"
        );
        let controls = Commitment::ExportControlCap {
            by: PowerId::China,
            target: PowerId::Us,
            good: Good::HeavyOxides,
            max: ExportLevel::None,
        }
        .to_string();
        assert_eq!(
            controls,
            "China sells Dy/Tb oxide to United States free of export controls"
        );
        // No debug spelling reaches the player.
        for c in [tariff.to_string(), controls] {
            assert!(!c.contains('{') && !c.contains("Cap"), "{c}");
        }
    }
}
