//! The order data: everything a power can do in a turn, what it uses of
//! the turn's action points, and what it costs (reckoned by each order's
//! own module from what the player sees, [`super::sight::Sight`]).

use serde::{Deserialize, Serialize};
use std::fmt;

use super::super::deals::{Deal, Response, Term};
use super::super::types::*;
use super::sight::Sight;
use super::{facilities, intelligence, market_orders, policy_orders, producer_support};

/// Everything a power can do in a turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Order {
    /// Start a new facility on a deposit or site this power may use.
    FundFacility {
        at: String,
        kind: FacilityKind,
        capacity: f64,
    },
    /// Add money to a facility being built to open it sooner.
    SpeedUp {
        facility: String,
        amount: f64,
    },
    /// Spend political capital to cut permitting short (risk of backlash).
    PermitReform {
        facility: String,
    },
    /// Stop or restart an operating facility.
    SetIdle {
        facility: String,
        idle: bool,
    },
    /// Buy on the world market at up to `max_price` $/kg.
    Buy {
        good: Good,
        qty: f64,
        max_price: f64,
    },
    /// Sell on the world market at no less than `min_price` $/kg.
    Sell {
        good: Good,
        qty: f64,
        min_price: f64,
    },
    /// Keep this many turns of need in stock (strategic stockpile).
    SetReserve {
        good: Good,
        turns: f64,
    },
    SetTariff {
        on: PowerId,
        rate: f64,
    },
    /// Export controls on a good to a power, or to outside buyers.
    SetExportControl {
        target: Origin,
        good: Good,
        level: ExportLevel,
    },
    SetSanctions {
        on: PowerId,
        level: SanctionsLevel,
    },
    ProposeDeal {
        to: PowerId,
        terms: Vec<Term>,
    },
    RespondToDeal {
        proposal: u32,
        response: Response,
    },
    /// Walk out of a supply contract (a breach: costs trust and capital).
    CancelContract {
        contract: u32,
    },
    /// US only: aid to Ukraine, 0–3.
    SetAid {
        level: u8,
    },
    /// Russia only.
    SetPosture {
        posture: WarPosture,
    },
    /// China only.
    SetStance {
        stance: ChinaStance,
    },
    FundResearch {
        field: ResearchField,
        amount: f64,
    },
    /// Learn another power's exact stockpiles and treasury for a few turns.
    GatherIntelligence {
        target: PowerId,
    },
    /// Make export controls reach goods made abroad with this power's content,
    /// and close re-export through third countries (China's 0.1% rule).
    SetExtraterritorial {
        on: bool,
    },
    /// Sign an offtake with an allied outside producer: it delivers `qty` kt a
    /// quarter for `turns` turns at the price outside China plus a premium,
    /// and the buyer finances the new capacity (ready after the producer's lag).
    Offtake {
        supplier: String,
        good: Good,
        qty: f64,
        turns: u32,
    },
    /// Ask an ally to release part of its state stockpile (Japan's JOGMEC),
    /// bought at the price outside China.
    DrawAlliedStockpile {
        supplier: String,
        good: Good,
        qty: f64,
    },
    /// Guarantee the power's own producers a price floor for a good (as the
    /// Pentagon did for NdPr in 2025): the treasury pays the gap; private money
    /// pays part of new facilities that make the good.
    PriceFloor {
        good: Good,
        price: f64,
        turns: u32,
    },
}

impl Order {
    /// Action points the order uses; market orders and answers are free.
    pub fn action_points(&self) -> u32 {
        match self {
            Order::Buy { .. }
            | Order::Sell { .. }
            | Order::SetReserve { .. }
            | Order::RespondToDeal { .. }
            | Order::CancelContract { .. }
            | Order::SetIdle { .. } => 0,
            _ => 1,
        }
    }

    /// Political capital the order spends when carried out, as the player
    /// giving it sees the game (the engine sees the same figures).
    pub fn political_capital(&self, sight: &impl Sight) -> f64 {
        match self {
            Order::PermitReform { .. } => facilities::permit_reform_capital(sight),
            Order::SetSanctions { on, level } => {
                policy_orders::sanctions_capital(sight, *on, *level)
            }
            _ => 0.0,
        }
    }

    /// Money the order commits this turn (US$ bn), for affordability checks,
    /// as the player giving it sees the game.
    pub fn money(&self, sight: &impl Sight) -> f64 {
        match self {
            Order::FundFacility { at, kind, capacity } => {
                facilities::upfront(sight, at, *kind, *capacity).unwrap_or(0.0)
            }
            Order::SpeedUp { amount, .. } => facilities::speed_up_money(*amount),
            Order::FundResearch { amount, .. } => super::research::money(*amount),
            Order::GatherIntelligence { .. } => intelligence::money(sight),
            Order::Buy { qty, max_price, .. } => market_orders::buy_money(*qty, *max_price),
            Order::Offtake {
                supplier,
                qty,
                good,
                ..
            } => producer_support::offtake_financing(sight, supplier, *good, *qty).unwrap_or(0.0),
            Order::DrawAlliedStockpile { good, qty, .. } => {
                market_orders::draw_money(sight, *good, *qty)
            }
            _ => 0.0,
        }
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Order::FundFacility { at, kind, capacity } => {
                write!(f, "fund a {kind} of {capacity:.2} kt/quarter at {at}")
            }
            Order::SpeedUp { facility, amount } => {
                write!(f, "add ${amount:.2} bn to speed up {facility}")
            }
            Order::PermitReform { facility } => write!(f, "push permit reform for {facility}"),
            Order::SetIdle { facility, idle } => {
                if *idle {
                    write!(f, "idle {facility}")
                } else {
                    write!(f, "restart {facility}")
                }
            }
            Order::Buy {
                good,
                qty,
                max_price,
            } => write!(f, "buy {qty:.2} kt of {good} at up to ${max_price:.0}/kg"),
            Order::Sell {
                good,
                qty,
                min_price,
            } => write!(
                f,
                "sell {qty:.2} kt of {good} at no less than ${min_price:.0}/kg"
            ),
            Order::SetReserve { good, turns } => {
                write!(f, "keep {turns:.1} turns of {good} in reserve")
            }
            Order::SetTariff { on, rate } => {
                write!(f, "set the tariff on {on} to {:.0}%", rate * 100.0)
            }
            Order::SetExportControl {
                target,
                good,
                level,
            } => write!(
                f,
                "set export controls on {good} to {} at {}",
                target.name(),
                level.name()
            ),
            Order::SetSanctions { on, level } => {
                write!(f, "set sanctions on {on} to {}", level.name())
            }
            Order::ProposeDeal { to, terms } => {
                let d = Deal {
                    from: PowerId::Us,
                    to: *to,
                    terms: terms.clone(),
                };
                write!(f, "propose to {to}: {}", d.describe())
            }
            Order::RespondToDeal { proposal, response } => match response {
                Response::Accept => write!(f, "accept deal #{proposal}"),
                Response::Reject { .. } => write!(f, "reject deal #{proposal}"),
                Response::Counter { .. } => write!(f, "counter deal #{proposal}"),
            },
            Order::CancelContract { contract } => write!(f, "cancel contract #{contract}"),
            Order::SetAid { level } => write!(f, "set aid to Ukraine to level {level}"),
            Order::SetPosture { posture } => write!(f, "war posture: {posture:?}"),
            Order::SetStance { stance } => write!(f, "stance on the war: {stance:?}"),
            Order::FundResearch { field, amount } => {
                write!(f, "fund ${amount:.2} bn of {} research", field.name())
            }
            Order::GatherIntelligence { target } => write!(f, "gather intelligence on {target}"),
            Order::SetExtraterritorial { on } => {
                if *on {
                    write!(
                        f,
                        "make export controls reach goods made abroad with our content"
                    )
                } else {
                    write!(f, "stop applying export controls to goods made abroad")
                }
            }
            Order::Offtake {
                supplier,
                good,
                qty,
                turns,
            } => write!(
                f,
                "sign an offtake of {qty:.2} kt/quarter of {good} from {supplier} for {turns} turns"
            ),
            Order::DrawAlliedStockpile {
                supplier,
                good,
                qty,
            } => write!(
                f,
                "ask {supplier} to release {qty:.2} kt of {good} from its stockpile"
            ),
            Order::PriceFloor { good, price, turns } => write!(
                f,
                "guarantee a price floor of ${price:.0}/kg for {good} for {turns} turns"
            ),
        }
    }
}
