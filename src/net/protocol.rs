//! The classroom network's messages, defined once for the host, the window's
//! client and the browser client: JSON text frames, each an object tagged by
//! its `"type"`. `docs/protocol.md` describes every message (a test checks
//! that it names them all).

use serde::{Deserialize, Serialize};

use crate::rules::orders::Order;
use crate::rules::resources::{NewsItem, OrderResult};
use crate::rules::types::PowerId;
use crate::rules::view::{PowerView, PublicView};

/// The protocol this build speaks; a client saying another is refused.
pub const PROTOCOL_VERSION: u32 = 1;

/// Largest message a client may send (bytes): an order or a deal is a few
/// hundred bytes, so anything near this is a mistake or an attack.
pub const MAX_CLIENT_MESSAGE: usize = 64 * 1024;

/// Largest message a client accepts from the host: a whole view with the
/// game's history is well under this.
pub const MAX_HOST_MESSAGE: usize = 16 * 1024 * 1024;

/// The path of the WebSocket on the host (`GET /` is left for a web page).
pub const SOCKET_PATH: &str = "/ws";

/// What a client may send.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// The first message on a connection: the protocol spoken and a join
    /// code (a seat's or the teacher's).
    Hello {
        version: u32,
        code: String,
    },
    /// Queue an order for the sender's seat. `power`, if given, must be the
    /// sender's own.
    Submit {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        power: Option<PowerId>,
        order: Order,
    },
    /// Take back the sender's queued order number `index` (from 0).
    Cancel {
        index: usize,
    },
    /// The sender's team has given its orders for this turn.
    EndTurn,
    /// Teacher: stop (or restart) the clock and every team's actions.
    Pause {
        paused: bool,
    },
    /// Teacher: have an event card of the level fire next turn.
    FireCard {
        card: String,
    },
    /// Teacher: minutes per turn from now on (0: no clock); this turn's
    /// clock starts again with that time.
    SetClock {
        minutes: u32,
    },
    /// Teacher: end a team's turn with the orders it has given.
    EndTeamTurn {
        power: PowerId,
    },
    /// Teacher: seat a power as `"human"` or a computer player
    /// (`"ai:easy"`, `"ai:normal"`, `"ai:hard"`) from this turn on.
    SetSeat {
        power: PowerId,
        seat: String,
    },
    /// What an order would cost the sender's seat now and whether the
    /// rules would take it, without queuing it (answered by `quote`).
    Quote {
        order: Order,
    },
    /// Ask for the latest view and status again.
    Refresh,
    Ping,
}

impl ClientMessage {
    /// The `type` tags, for the documentation test.
    pub const TYPES: &[&str] = &[
        "hello",
        "submit",
        "cancel",
        "end_turn",
        "pause",
        "fire_card",
        "set_clock",
        "end_team_turn",
        "set_seat",
        "quote",
        "refresh",
        "ping",
    ];
}

/// Who a connection speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// A team, for its own power only.
    Player { power: PowerId },
    /// The teacher: public information and the teacher's tools.
    Teacher,
}

/// One seat as everyone may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SeatStatus {
    pub power: PowerId,
    /// `"human"` or a computer player (`"ai:normal"`, …).
    pub seat: String,
    /// Connections playing this seat now.
    pub connected: u32,
    /// The team has ended its turn (a computer seat always has).
    pub ended_turn: bool,
}

/// The table as everyone may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TableStatus {
    pub turn: u32,
    pub max_turns: u32,
    /// The quarter being planned ("2026 Q1").
    pub label: String,
    pub over: bool,
    pub paused: bool,
    /// Seconds left on this turn's clock, if there is one.
    pub clock_seconds: Option<u64>,
    pub seats: Vec<SeatStatus>,
}

/// An event card the teacher may fire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CardInfo {
    pub id: String,
    pub title: String,
    /// It happens only when a teacher fires it.
    pub teacher_only: bool,
}

/// What the projector shows so teams can join: the page's address, its QR
/// code and every seat's code (a computer seat's too, for when the teacher
/// hands it back to a team).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct JoinCard {
    /// `http://HOST:PORT/`.
    pub link: String,
    /// The link as a QR code, an SVG image.
    pub qr_svg: String,
    pub seats: Vec<SeatCode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SeatCode {
    pub power: PowerId,
    pub code: String,
}

impl JoinCard {
    pub fn new(link: &str, codes: &super::codes::Codes) -> JoinCard {
        JoinCard {
            link: link.to_string(),
            qr_svg: qr_svg(link),
            seats: PowerId::ALL
                .into_iter()
                .map(|power| SeatCode {
                    power,
                    code: codes.seat(power).to_string(),
                })
                .collect(),
        }
    }
}

/// `text` as a QR code in SVG, with the quiet zone scanners need (empty if
/// it is too long to encode).
pub fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|code| {
            let svg = code.render::<qrcode::render::svg::Color>().build();
            // The element alone, without the XML prolog, so it also fits
            // inline in a page.
            svg.trim_start_matches(r#"<?xml version="1.0" standalone="yes"?>"#)
                .to_string()
        })
        .unwrap_or_default()
}

/// The game a connection has joined.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GameInfo {
    pub level: String,
    pub title: String,
    pub seed: u64,
}

/// A team's figures that the rules reckon from its view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ViewFigures {
    /// Action points left after the queued orders.
    pub actions_left: u32,
    /// The game score so far (0–100).
    pub score: f64,
}

impl ViewFigures {
    pub fn of(view: &PowerView) -> ViewFigures {
        ViewFigures {
            actions_left: view.action_points_left(),
            score: view.me.scorecard.score(),
        }
    }
}

/// What an order would take from the seat giving it, as the engine reckons
/// it from the seat's own view (the check it passes when given).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Quote {
    pub order: Order,
    /// US$ bn committed this turn.
    pub money: f64,
    /// Political capital spent.
    pub capital: f64,
    /// Action points used.
    pub actions: u32,
    /// What a new facility costs in all (US$ bn), over its building.
    pub facility_total: Option<f64>,
    /// Turns of permitting and of building for a new facility.
    pub facility_turns: Option<(u32, u32)>,
    /// Why the rules would refuse it now, in the engine's words; `null`
    /// when they would take it (as far as the seat's view can tell).
    pub refusal: Option<String>,
}

impl Quote {
    pub fn of(view: &PowerView, order: Order) -> Quote {
        let (facility_total, facility_turns) = match &order {
            Order::FundFacility { at, kind, capacity } => {
                let b = &view.me.build;
                (
                    view.facility_cost(at, *kind, *capacity),
                    Some((
                        b.permitting_turns.get(*kind),
                        b.construction_turns.get(*kind),
                    )),
                )
            }
            _ => (None, None),
        };
        Quote {
            money: order.money(view),
            capital: order.political_capital(view),
            actions: order.action_points(),
            facility_total,
            facility_turns,
            refusal: crate::rules::orders::preview(view, &order)
                .err()
                .map(|r| r.0),
            order,
        }
    }
}

/// One quarter of the debrief's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimelineTurn {
    pub turn: u32,
    /// "Q3 2026".
    pub label: String,
    pub items: Vec<TimelineItem>,
}

/// One line of the timeline: `tag` is `decision`, `effect`, `event`, `war`
/// or `news`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimelineItem {
    pub tag: String,
    pub text: String,
}

/// The end of a game as `reader` reads it (`None`: the teacher, public
/// news only): the timeline keeps to the news the reader was allowed.
pub fn game_over(table: &crate::table::Table, hash: u64, reader: Option<PowerId>) -> HostMessage {
    let played = crate::export::Played::of(table);
    let may_read = |n: &NewsItem| match reader {
        Some(p) => n.readable_by(p),
        None => n.is_public(),
    };
    HostMessage::GameOver {
        state_hash: hash_text(hash),
        timeline: crate::export::timeline_read_by(played, may_read)
            .into_iter()
            .map(|t| TimelineTurn {
                turn: t.turn,
                label: t.label,
                items: t
                    .items
                    .into_iter()
                    .map(|(tag, text)| TimelineItem {
                        tag: tag.into(),
                        text,
                    })
                    .collect(),
            })
            .collect(),
        questions: crate::export::questions(played),
    }
}

/// What the host sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HostMessage {
    /// The code was accepted: who the connection speaks for, in which game.
    Welcome {
        version: u32,
        #[serde(flatten)]
        role: Role,
        game: GameInfo,
        /// The level's event cards (for the teacher; empty for a team).
        cards: Vec<CardInfo>,
        /// How teams join, for the teacher's projector (`null` for a team).
        #[serde(default)]
        join: Option<JoinCard>,
    },
    /// A team's own view: everything its power may see, its queued orders
    /// included. Sent on joining, after each of its own changes and at
    /// every new turn.
    View {
        view: Box<PowerView>,
        /// Figures the page shows as the rules reckon them, so it never
        /// works one out itself.
        figures: ViewFigures,
    },
    /// The teacher's projector: only what every team may see.
    Public {
        public: Box<PublicView>,
        /// News for everyone from the last few turns.
        news: Vec<NewsItem>,
    },
    /// What happened to a team in the turn just resolved: the news it may
    /// read and what became of its orders.
    Report {
        turn: u32,
        news: Vec<NewsItem>,
        results: Vec<OrderResult>,
    },
    /// Who sits where, who is connected, who has ended the turn, the clock.
    Status {
        status: TableStatus,
    },
    /// The order was queued as number `index`.
    Queued {
        index: usize,
        order: Order,
    },
    /// The order was taken back.
    Cancelled {
        index: usize,
        order: Order,
    },
    /// The rules (or the table) refused an action; the reason in words.
    Refused {
        reason: String,
    },
    /// The answer to a `quote`: the engine's own reckoning of the order
    /// from the seat's view.
    Quote {
        #[serde(flatten)]
        quote: Quote,
    },
    /// A teacher's action was done.
    Done {
        what: String,
    },
    /// The message could not be read or is not allowed; the connection
    /// stays open unless it was the first message.
    Error {
        message: String,
    },
    /// The game has ended; the state's hash (as `replay --verify` prints),
    /// and the debrief every team reads together: the game's timeline (all
    /// teams' moves, now that nothing is secret any more) and questions for
    /// the class, as the window's end screen and `export` give them.
    GameOver {
        state_hash: String,
        #[serde(default)]
        timeline: Vec<TimelineTurn>,
        #[serde(default)]
        questions: Vec<String>,
    },
    Pong,
}

impl HostMessage {
    /// The `type` tags, for the documentation test.
    pub const TYPES: &[&str] = &[
        "welcome",
        "view",
        "public",
        "report",
        "status",
        "queued",
        "cancelled",
        "refused",
        "quote",
        "done",
        "error",
        "game_over",
        "pong",
    ];

    pub fn to_json(&self) -> String {
        // Every message is plain data: serialising cannot fail (non-finite
        // numbers become null rather than an error).
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"type":"error","message":"the host could not write a message: {e}"}}"#)
        })
    }
}

/// The JSON Schemas of the protocol, generated from the types above: what
/// the host accepts from a client and what it sends. The browser client's
/// copy (`web/protocol/`) is checked against these by a test, so the two
/// cannot drift apart.
pub fn json_schemas() -> [(&'static str, String); 2] {
    use schemars::generate::SchemaSettings;
    let client = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<ClientMessage>();
    let host = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<HostMessage>();
    let text = |s: &schemars::Schema| {
        let mut t = serde_json::to_string_pretty(s).unwrap_or_default();
        t.push('\n');
        t
    };
    [
        ("client.schema.json", text(&client)),
        ("host.schema.json", text(&host)),
    ]
}

/// A hash as the command line prints it.
pub fn hash_text(hash: u64) -> String {
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_type_reads_back_and_unknowns_are_refused() {
        let samples = [
            r#"{"type":"hello","version":1,"code":"ABCD"}"#,
            r#"{"type":"submit","order":{"SetAid":{"level":2}}}"#,
            r#"{"type":"cancel","index":0}"#,
            r#"{"type":"end_turn"}"#,
            r#"{"type":"pause","paused":true}"#,
            r#"{"type":"fire_card","card":"x"}"#,
            r#"{"type":"set_clock","minutes":3}"#,
            r#"{"type":"end_team_turn","power":"china"}"#,
            r#"{"type":"set_seat","power":"us","seat":"ai:easy"}"#,
            r#"{"type":"quote","order":{"SetAid":{"level":2}}}"#,
            r#"{"type":"refresh"}"#,
            r#"{"type":"ping"}"#,
        ];
        assert_eq!(samples.len(), ClientMessage::TYPES.len());
        for (s, t) in samples.iter().zip(ClientMessage::TYPES) {
            let m: ClientMessage = serde_json::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            let back = serde_json::to_value(&m).unwrap();
            assert_eq!(back["type"], *t);
        }
        let host = [
            HostMessage::Done { what: "x".into() },
            HostMessage::Refused { reason: "x".into() },
            HostMessage::Error {
                message: "x".into(),
            },
            HostMessage::GameOver {
                state_hash: "0".into(),
                timeline: vec![TimelineTurn {
                    turn: 1,
                    label: "Q1 2025".into(),
                    items: vec![TimelineItem {
                        tag: "event".into(),
                        text: "x".into(),
                    }],
                }],
                questions: vec!["why?".into()],
            },
            HostMessage::Pong,
        ];
        for m in host {
            let v = serde_json::to_value(&m).unwrap();
            assert!(
                HostMessage::TYPES.contains(&v["type"].as_str().unwrap()),
                "{v}"
            );
            assert_eq!(serde_json::from_value::<HostMessage>(v).unwrap(), m);
        }
        for bad in [
            r#"{"type":"launch_missiles"}"#,
            r#"{"type":"cancel","index":0,"extra":1}"#,
            r#"{"version":1}"#,
            "not json",
        ] {
            assert!(serde_json::from_str::<ClientMessage>(bad).is_err(), "{bad}");
        }
    }
}
