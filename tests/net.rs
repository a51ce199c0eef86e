//! The classroom network with real sockets on loopback: teams join a host
//! with their codes, play, drop and rejoin; the host refuses what it must
//! and keeps serving the others; a killed host restarts from its autosave
//! with the same codes.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rare_earth_gambit::ai::{self, SearchBudget};
use rare_earth_gambit::cli::{Cli, Command, serve_game};
use rare_earth_gambit::level::bundled;
use rare_earth_gambit::net::client::Client;
use rare_earth_gambit::net::codes::Codes;
use rare_earth_gambit::net::host::{Host, HostedGame};
use rare_earth_gambit::net::protocol::*;
use rare_earth_gambit::rules::orders::Order;
use rare_earth_gambit::rules::types::PowerId;
use rare_earth_gambit::rules::view::PowerView;
use rare_earth_gambit::seats::{Seats, Strength};
use rare_earth_gambit::table::Table;

use clap::Parser;

const LOOPBACK: [u8; 4] = [127, 0, 0, 1];

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reg-net-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn classroom_table(seed: u64, seats: &str) -> Table {
    let level = Arc::new(bundled("classroom").unwrap());
    Table::new(level, seed, Seats::parse(seats).unwrap())
}

fn host_with(table: Table, autosave: Option<PathBuf>) -> Host {
    Host::start(
        LOOPBACK.into(),
        0,
        vec![HostedGame {
            table,
            codes: Codes::generate().unwrap(),
            timer: None,
            autosave,
            codes_file: None,
            log: false,
        }],
    )
    .unwrap()
}

/// A team's (or the teacher's) computer: every message it was sent, as
/// text, and the latest of each kind.
struct Team {
    client: Client,
    seen: Vec<String>,
    view: Option<PowerView>,
    status: Option<TableStatus>,
    over: Option<String>,
}

impl Team {
    fn join(address: &str, code: &str) -> Team {
        let (client, welcome) = Client::join(address, code).expect("joined");
        assert!(matches!(welcome, HostMessage::Welcome { .. }));
        let mut team = Team {
            client,
            seen: vec![serde_json::to_string(&welcome).unwrap()],
            view: None,
            status: None,
            over: None,
        };
        team.client
            .set_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        team
    }

    fn next(&mut self) -> HostMessage {
        let text = self.client.recv_text().expect("a message from the host");
        let m: HostMessage = serde_json::from_str(&text).expect("a protocol message");
        self.seen.push(text);
        match &m {
            HostMessage::View { view, .. } => self.view = Some((**view).clone()),
            HostMessage::Status { status } => self.status = Some(status.clone()),
            HostMessage::GameOver { state_hash, .. } => self.over = Some(state_hash.clone()),
            _ => {}
        }
        m
    }

    fn until(&mut self, done: impl Fn(&HostMessage) -> bool) -> HostMessage {
        for _ in 0..10_000 {
            let m = self.next();
            if done(&m) {
                return m;
            }
        }
        panic!("no such message came");
    }

    /// The reply to an action: queued, cancelled, refused, done or an error.
    fn reply(&mut self, message: ClientMessage) -> HostMessage {
        self.client.send(&message).unwrap();
        self.until(|m| {
            matches!(
                m,
                HostMessage::Queued { .. }
                    | HostMessage::Cancelled { .. }
                    | HostMessage::Refused { .. }
                    | HostMessage::Done { .. }
                    | HostMessage::Error { .. }
                    | HostMessage::Pong
            )
        })
    }

    /// The view of turn `turn`, as it came at the start of that turn.
    fn view_of_turn(&mut self, turn: u32) -> PowerView {
        match &self.view {
            Some(v) if v.turn == turn => return v.clone(),
            _ => {}
        }
        match self.until(|m| matches!(m, HostMessage::View { view, .. } if view.turn == turn)) {
            HostMessage::View { view, .. } => *view,
            _ => unreachable!(),
        }
    }

    fn wait_over(&mut self) -> String {
        while self.over.is_none() {
            self.next();
        }
        self.over.clone().unwrap()
    }
}

fn submit(order: Order) -> ClientMessage {
    ClientMessage::Submit { power: None, order }
}

/// Numbers that would give away a power's exact hidden figures if another
/// team saw them: its treasury, political capital and stockpiles, written
/// as JSON writes them (long enough not to match by chance).
fn secrets(view: &PowerView) -> Vec<String> {
    let mut figures = vec![
        view.me.finances.treasury,
        view.me.politics.political_capital,
    ];
    figures.extend(view.me.stockpile.qty.0.iter().copied());
    figures
        .into_iter()
        .map(|x| serde_json::to_string(&x).unwrap())
        .filter(|s| s.len() >= 8)
        .collect()
}

/// Three teams play the classroom level to the end over the network, each
/// deciding its orders (with the easy computer player) from the view it
/// received; the same decisions made locally through a table reach the same
/// state. No team is ever sent another's exact figures, private news or
/// view, and the teacher's projector gets only public information.
#[test]
fn three_teams_play_a_classroom_game_to_the_end_as_it_plays_locally() {
    let seed = 5;
    let seats = "us=human,china=human,russia=human";
    let level = Arc::new(bundled("classroom").unwrap());
    let dir = temp_dir("whole");
    let autosave = dir.join("classroom.json");
    let host = host_with(classroom_table(seed, seats), Some(autosave.clone()));
    let address = host.addr().to_string();
    let codes = host.codes(0).unwrap().clone();
    let mut teams: Vec<Team> = PowerId::ALL
        .iter()
        .map(|p| Team::join(&address, codes.seat(*p)))
        .collect();
    let mut teacher = Team::join(&address, &codes.teacher);
    let mut local = classroom_table(seed, seats);
    let budget = SearchBudget::default();
    // Each power's secrets, and the private news only it may read.
    let mut hidden: Vec<BTreeSet<String>> = vec![BTreeSet::new(); 3];
    let mut first = true;
    while !local.is_over() {
        let turn = local.turn();
        let views: Vec<PowerView> = PowerId::ALL.iter().map(|p| local.view(*p)).collect();
        for (p, v) in PowerId::ALL.iter().zip(&views) {
            hidden[p.index()].extend(secrets(v));
        }
        for (i, p) in PowerId::ALL.iter().enumerate() {
            let received = teams[i].view_of_turn(turn);
            if first {
                assert_eq!(
                    received, views[i],
                    "{p}: the host sends the engine's own view"
                );
            }
            assert_eq!(received.me.power.id, *p);
            let orders = ai::decide_with(&received, Strength::Easy, seed, &level, &budget);
            let local_orders = ai::decide_with(&views[i], Strength::Easy, seed, &level, &budget);
            assert_eq!(
                orders, local_orders,
                "turn {turn}, {p}: the same view, the same decisions"
            );
            for order in orders {
                let there = teams[i].reply(submit(order.clone()));
                let here = local.submit(*p, order);
                match (&there, &here) {
                    (HostMessage::Queued { .. }, Ok(())) => {}
                    (HostMessage::Refused { reason }, Err(why)) => assert_eq!(reason, &why.0),
                    _ => panic!("turn {turn}, {p}: the host said {there:?}, the table {here:?}"),
                }
            }
            let ended = teams[i].reply(ClientMessage::EndTurn);
            assert!(matches!(ended, HostMessage::Done { .. }), "{ended:?}");
            local.end_seat_turn(*p);
        }
        first = false;
        local.resolve_turn();
        // The projector keeps up (a client that never reads is let go).
        let next = local.turn();
        teacher.until(|m| matches!(m, HostMessage::Public { public, .. } if public.turn == next));
    }
    let hash = hash_text(local.hash());
    for team in &mut teams {
        assert_eq!(team.wait_over(), hash);
    }
    assert_eq!(teacher.wait_over(), hash);
    // Each team gets the debrief with the game: its timeline (news it may
    // read; the secrecy check below covers it) and questions for the class.
    for team in teams.iter().chain(std::iter::once(&teacher)) {
        let over = team
            .seen
            .iter()
            .rev()
            .find(|t| t.contains("\"type\":\"game_over\""))
            .expect("a game_over message");
        let v: serde_json::Value = serde_json::from_str(over).unwrap();
        let timeline = v["timeline"].as_array().unwrap();
        assert!(timeline.len() >= 6, "{over}");
        assert!(v["questions"].as_array().is_some());
    }
    // The host's autosave is the same game and replays to it.
    let file = rare_earth_gambit::save::read(&autosave).unwrap();
    assert_eq!(
        rare_earth_gambit::save::verify(&file, &autosave).map(hash_text),
        Ok(hash.clone())
    );

    // Nothing secret went to anyone else.
    let private_news = |p: PowerId| -> BTreeSet<String> {
        let log = local
            .world()
            .resource::<rare_earth_gambit::rules::resources::NewsLog>();
        let mine: BTreeSet<String> = log.visible_to(p).map(|n| n.text.to_string()).collect();
        let all: BTreeSet<String> = log.items.iter().map(|n| n.text.to_string()).collect();
        all.difference(&mine).cloned().collect()
    };
    for (i, p) in PowerId::ALL.iter().enumerate() {
        let forbidden: Vec<String> = PowerId::ALL
            .iter()
            .filter(|q| *q != p)
            .flat_map(|q| hidden[q.index()].iter().cloned())
            .collect();
        let news = private_news(*p);
        assert!(!forbidden.is_empty() && !news.is_empty());
        for text in &teams[i].seen {
            for s in &forbidden {
                assert!(
                    !text.contains(s.as_str()),
                    "{p} was sent another power's exact figure {s}"
                );
            }
            for n in &news {
                let quoted = serde_json::to_string(n).unwrap();
                assert!(
                    !text.contains(&quoted),
                    "{p} was sent news it may not read: {n}"
                );
            }
            let m: serde_json::Value = serde_json::from_str(text).unwrap();
            if m["type"] == "view" {
                assert_eq!(m["view"]["me"]["power"]["id"], p.key(), "only its own view");
            }
        }
    }
    let everyone: Vec<String> = hidden.iter().flatten().cloned().collect();
    for text in &teacher.seen {
        let m: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_ne!(m["type"], "view", "the projector gets no team's view");
        for s in &everyone {
            assert!(
                !text.contains(s.as_str()),
                "the projector was sent an exact figure {s}"
            );
        }
    }
    assert!(
        teacher
            .seen
            .iter()
            .any(|t| t.contains(r#""type":"public""#))
    );
    drop(host);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_team_that_drops_mid_turn_rejoins_and_finds_its_queued_orders() {
    let host = host_with(
        classroom_table(3, "us=human,china=human,russia=ai:easy"),
        None,
    );
    let address = host.addr().to_string();
    let codes = host.codes(0).unwrap().clone();
    let mut us = Team::join(&address, &codes.us);
    let mut china = Team::join(&address, &codes.china);
    let aid = Order::SetAid { level: 2 };
    assert!(matches!(
        us.reply(submit(aid.clone())),
        HostMessage::Queued { index: 0, .. }
    ));
    // The laptop sleeps: the connection goes without a word.
    drop(us);
    let status = china
        .until(|m| matches!(m, HostMessage::Status { status } if status.seats[0].connected == 0));
    assert!(matches!(status, HostMessage::Status { .. }));
    let mut us = Team::join(&address, &codes.us);
    let view = us.view_of_turn(1);
    assert_eq!(
        view.queued,
        vec![aid],
        "the queued order waited for the team"
    );
    // Two computers on one code see the same seat.
    let mut again = Team::join(&address, &codes.us);
    assert_eq!(again.view_of_turn(1).queued.len(), 1);
    assert!(matches!(
        us.reply(ClientMessage::Cancel { index: 0 }),
        HostMessage::Cancelled { .. }
    ));
    assert!(matches!(
        us.reply(ClientMessage::Cancel { index: 0 }),
        HostMessage::Refused { .. }
    ));
    assert!(matches!(
        us.reply(ClientMessage::EndTurn),
        HostMessage::Done { .. }
    ));
    assert!(matches!(
        us.reply(submit(Order::SetAid { level: 1 })),
        HostMessage::Refused { .. }
    ));
    assert!(matches!(
        china.reply(ClientMessage::EndTurn),
        HostMessage::Done { .. }
    ));
    assert_eq!(us.view_of_turn(2).turn, 2);
    assert_eq!(again.view_of_turn(2).turn, 2);
    let report = us.until(|m| matches!(m, HostMessage::Report { .. }));
    assert!(matches!(report, HostMessage::Report { turn: 1, .. }));
}

#[test]
fn a_wrong_code_an_order_for_another_seat_and_the_teachers_tools_are_refused_to_a_team() {
    let host = host_with(
        classroom_table(3, "us=human,china=human,russia=human"),
        None,
    );
    let address = host.addr().to_string();
    let codes = host.codes(0).unwrap().clone();
    let wrong = Client::join(&address, "AAAA-BBBB-CCCC-DDDD").err().unwrap();
    assert!(wrong.starts_with("unknown code"), "{wrong}");
    assert!(Client::join(&address, "").is_err());
    let mut us = Team::join(&address, &codes.us);
    let for_china = ClientMessage::Submit {
        power: Some(PowerId::China),
        order: Order::SetStance {
            stance: rare_earth_gambit::rules::types::ChinaStance::Neutral,
        },
    };
    match us.reply(for_china) {
        HostMessage::Refused { reason } => assert!(reason.contains("not yours"), "{reason}"),
        other => panic!("{other:?}"),
    }
    // China's own lever is refused to the US by the rules.
    let stance = submit(Order::SetStance {
        stance: rare_earth_gambit::rules::types::ChinaStance::Neutral,
    });
    assert!(matches!(us.reply(stance), HostMessage::Refused { .. }));
    for teachers in [
        ClientMessage::Pause { paused: true },
        ClientMessage::EndTeamTurn {
            power: PowerId::China,
        },
        ClientMessage::SetSeat {
            power: PowerId::China,
            seat: "ai:easy".into(),
        },
        ClientMessage::FireCard {
            card: "teacher-embargo".into(),
        },
        ClientMessage::SetClock { minutes: 1 },
    ] {
        match us.reply(teachers) {
            HostMessage::Refused { reason } => assert!(reason.contains("teacher"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    assert!(us.view.as_ref().unwrap().queued.is_empty());
}

/// The teacher pauses, fires a card, ends a team's turn, hands a seat to
/// the computer and back, and sets the clock; a turn ends when it runs out.
#[test]
fn the_teacher_paces_the_game_and_covers_an_absent_team() {
    let table = classroom_table(4, "us=human,china=human,russia=human");
    let host = Host::start(
        LOOPBACK.into(),
        0,
        vec![HostedGame {
            table,
            codes: Codes::generate().unwrap(),
            timer: None,
            autosave: None,
            codes_file: None,
            log: false,
        }],
    )
    .unwrap();
    let address = host.addr().to_string();
    let codes = host.codes(0).unwrap().clone();
    let mut teacher = Team::join(&address, &codes.teacher);
    let mut us = Team::join(&address, &codes.us);
    assert!(matches!(
        teacher.reply(ClientMessage::Pause { paused: true }),
        HostMessage::Done { .. }
    ));
    match us.reply(submit(Order::SetAid { level: 2 })) {
        HostMessage::Refused { reason } => assert!(reason.contains("paused"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        teacher.reply(ClientMessage::Pause { paused: false }),
        HostMessage::Done { .. }
    ));
    assert!(matches!(
        teacher.reply(ClientMessage::FireCard {
            card: "teacher-embargo".into()
        }),
        HostMessage::Done { .. }
    ));
    assert!(matches!(
        teacher.reply(ClientMessage::FireCard {
            card: "no-such-card".into()
        }),
        HostMessage::Refused { .. }
    ));
    assert!(matches!(
        teacher.reply(ClientMessage::Submit {
            power: None,
            order: Order::SetAid { level: 1 }
        }),
        HostMessage::Refused { .. }
    ));
    // Nobody from China came: the teacher ends its turn; Russia's seat
    // goes to the computer.
    assert!(matches!(
        teacher.reply(ClientMessage::EndTeamTurn {
            power: PowerId::China
        }),
        HostMessage::Done { .. }
    ));
    assert!(matches!(
        teacher.reply(ClientMessage::SetSeat {
            power: PowerId::Russia,
            seat: "ai:easy".into()
        }),
        HostMessage::Done { .. }
    ));
    assert!(matches!(
        teacher.reply(ClientMessage::SetSeat {
            power: PowerId::Russia,
            seat: "robot".into()
        }),
        HostMessage::Refused { .. }
    ));
    let status = teacher.status.clone().unwrap();
    assert!(status.seats[1].ended_turn, "China's turn stays ended");
    assert_eq!(status.seats[2].seat, "ai:easy");
    assert!(matches!(
        us.reply(ClientMessage::EndTurn),
        HostMessage::Done { .. }
    ));
    assert_eq!(us.view_of_turn(2).turn, 2);
    let news = us.view.as_ref().unwrap().news.clone();
    assert!(
        news.iter().any(|n| n.text.contains("Fired by the teacher")),
        "the fired card is in the news"
    );
    // Russia back to a team; a clock that runs out ends the turn.
    assert!(matches!(
        teacher.reply(ClientMessage::SetSeat {
            power: PowerId::Russia,
            seat: "human".into()
        }),
        HostMessage::Done { .. }
    ));
    assert!(matches!(
        teacher.reply(ClientMessage::SetClock { minutes: 500 }),
        HostMessage::Refused { .. }
    ));
    assert!(matches!(
        teacher.reply(ClientMessage::SetClock { minutes: 1 }),
        HostMessage::Done { .. }
    ));
    assert_eq!(teacher.status.as_ref().unwrap().clock_seconds, Some(60));
    assert!(matches!(
        teacher.reply(ClientMessage::SetClock { minutes: 0 }),
        HostMessage::Done { .. }
    ));
    assert_eq!(teacher.status.as_ref().unwrap().clock_seconds, None);
}

#[test]
fn a_turn_ends_when_the_clock_runs_out() {
    let host = Host::start(
        LOOPBACK.into(),
        0,
        vec![HostedGame {
            table: classroom_table(4, "us=human,china=human,russia=ai:easy"),
            codes: Codes::generate().unwrap(),
            timer: Some(Duration::from_millis(600)),
            autosave: None,
            codes_file: None,
            log: false,
        }],
    )
    .unwrap();
    let codes = host.codes(0).unwrap().clone();
    let mut us = Team::join(&host.addr().to_string(), &codes.us);
    assert!(matches!(
        us.reply(submit(Order::SetAid { level: 3 })),
        HostMessage::Queued { .. }
    ));
    // Nobody ends the turn; China never even joins.
    let view = us.view_of_turn(2);
    assert!(view.queued.is_empty());
    assert_eq!(view.war.us_aid, 3, "the orders given stood");
}

#[test]
fn garbage_huge_deep_and_wrong_version_messages_get_errors_and_the_others_play_on() {
    let host = host_with(
        classroom_table(3, "us=human,china=human,russia=human"),
        None,
    );
    let address = host.addr().to_string();
    let codes = host.codes(0).unwrap().clone();
    let mut china = Team::join(&address, &codes.china);
    let mut us = Team::join(&address, &codes.us);
    let error = |team: &mut Team, raw: tungstenite::Message| -> String {
        team.client.send_raw(raw).unwrap();
        match team.until(|m| matches!(m, HostMessage::Error { .. })) {
            HostMessage::Error { message } => message,
            _ => unreachable!(),
        }
    };
    let text = |s: String| tungstenite::Message::Text(s.into());
    assert!(error(&mut us, text("garbage{{".into())).contains("protocol"));
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert!(!error(&mut us, text(deep)).is_empty());
    let deep_object = format!(
        r#"{{"type":"submit","order":{}1{}}}"#,
        r#"{"a":"#.repeat(3000),
        "}".repeat(3000)
    );
    assert!(!error(&mut us, text(deep_object)).is_empty());
    assert!(error(&mut us, text(r#"{"type":"launch"}"#.into())).contains("unknown variant"));
    assert!(
        error(
            &mut us,
            text(r#"{"type":"hello","version":1,"code":"x"}"#.into())
        )
        .contains("already")
    );
    assert!(error(&mut us, tungstenite::Message::Binary(vec![0u8; 100].into())).contains("binary"));
    // Still in the game.
    assert!(matches!(us.reply(ClientMessage::Ping), HostMessage::Pong));

    // A wrong protocol version, and a first message that is no hello.
    let mut old = Client::connect(&address).unwrap();
    old.send(&ClientMessage::Hello {
        version: 99,
        code: codes.us.clone(),
    })
    .unwrap();
    match old.recv().unwrap() {
        HostMessage::Error { message } => assert!(message.contains("protocol 1"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(old.recv().is_err(), "then the host closes");
    let mut rude = Client::connect(&address).unwrap();
    rude.send(&ClientMessage::EndTurn).unwrap();
    assert!(matches!(rude.recv().unwrap(), HostMessage::Error { .. }));

    // Over the size limit: the host reads no further than the frame's
    // header, answers with an error and closes (1009, message too big).
    // The 10 MB frame is written from another thread, as the host closes
    // before it is all sent.
    for size in [100_000, 10_000_000] {
        let mut big = Team::join(&address, &codes.russia);
        let huge = format!(r#"{{"type":"fire_card","card":"{}"}}"#, "x".repeat(size));
        let stream = big.client.tcp().try_clone().unwrap();
        let writer = std::thread::spawn(move || {
            use std::io::Write as _;
            use tungstenite::protocol::frame::{
                Frame,
                coding::{Data, OpCode},
            };
            let mut frame = Frame::message(huge.into_bytes(), OpCode::Data(Data::Text), true);
            frame.header_mut().mask = Some([7, 1, 7, 1]);
            let mut bytes = Vec::new();
            frame.format(&mut bytes).unwrap();
            let _ = (&stream).write_all(&bytes);
        });
        let reply = big.until(|m| matches!(m, HostMessage::Error { .. }));
        assert!(
            matches!(&reply, HostMessage::Error { message } if message.contains("too large")),
            "{size} bytes: {reply:?}"
        );
        writer.join().unwrap();
        // The others are served all along.
        assert!(matches!(
            china.reply(ClientMessage::Ping),
            HostMessage::Pong
        ));
    }
    // Connections that say nothing, or stop halfway through asking for the
    // socket, hold only their own slot: the teams are served meanwhile
    // (the host closes such a connection after two minutes of silence).
    let silent = std::net::TcpStream::connect(&address).unwrap();
    let mut half = std::net::TcpStream::connect(&address).unwrap();
    {
        use std::io::Write as _;
        half.write_all(b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n")
            .unwrap();
    }
    for _ in 0..3 {
        assert!(matches!(us.reply(ClientMessage::Ping), HostMessage::Pong));
    }
    let mut late = Team::join(&address, &codes.us);
    assert!(matches!(late.reply(ClientMessage::Ping), HostMessage::Pong));
    drop((silent, half));
    assert!(matches!(
        china.reply(submit(Order::SetStance {
            stance: rare_earth_gambit::rules::types::ChinaStance::Neutral
        })),
        HostMessage::Queued { .. }
    ));
}

fn serve_args(args: &[&str]) -> rare_earth_gambit::cli::ServeArgs {
    let mut all = vec!["rare-earth-gambit", "serve"];
    all.extend_from_slice(args);
    match Cli::try_parse_from(all).unwrap().command {
        Some(Command::Serve(a)) => a,
        _ => unreachable!(),
    }
}

fn start(args: &[&str]) -> Host {
    let game = serve_game(&serve_args(args)).unwrap();
    Host::start(LOOPBACK.into(), 0, vec![HostedGame { log: false, ..game }]).unwrap()
}

/// The host dies in the middle of turn 3; `serve --load` on its autosave
/// takes the game up at the start of that turn with the same codes, and
/// every team rejoins and plays on to the end.
#[test]
fn a_killed_host_restarts_from_its_autosave_and_the_teams_rejoin_with_their_codes() {
    let dir = temp_dir("restart");
    let save = dir.join("lesson.json");
    let codes_file = dir.join("codes.json");
    let save_arg = save.to_str().unwrap();
    let host = start(&[
        "--seed",
        "8",
        "--seats",
        "us=human,china=human,russia=ai:easy",
        "--turns",
        "5",
        "--autosave",
        save_arg,
        "--codes",
        codes_file.to_str().unwrap(),
    ]);
    let codes = host.codes(0).unwrap().clone();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&codes_file).unwrap()).unwrap();
    assert_eq!(
        written,
        serde_json::json!({"us": codes.us, "china": codes.china})
    );
    let address = host.addr().to_string();
    let mut us = Team::join(&address, &codes.us);
    let mut china = Team::join(&address, &codes.china);
    for turn in 1..=2 {
        us.view_of_turn(turn);
        china.view_of_turn(turn);
        us.reply(submit(Order::SetAid { level: 2 }));
        us.reply(ClientMessage::EndTurn);
        china.reply(ClientMessage::EndTurn);
    }
    let before = us.view_of_turn(3);
    // The teacher sets a 7-minute clock; the restarted host keeps it.
    let mut teacher = Team::join(&address, &codes.teacher);
    assert!(matches!(
        teacher.reply(ClientMessage::SetClock { minutes: 7 }),
        HostMessage::Done { .. }
    ));
    us.reply(submit(Order::SetAid { level: 1 }));
    drop(host);
    let lost = loop {
        if let Err(e) = us.client.recv() {
            break e;
        }
    };
    assert!(
        !lost.contains("timed out"),
        "the connection died with the host: {lost}"
    );

    let host = start(&["--load", save_arg]);
    assert_eq!(host.codes(0), Some(&codes), "the same codes");
    let address = host.addr().to_string();
    let mut us = Team::join(&address, &codes.us);
    let mut china = Team::join(&address, &codes.china);
    let after = us.view_of_turn(3);
    assert_eq!(after.me, before.me, "turn 3 as it began");
    let status = us.until(|m| matches!(m, HostMessage::Status { .. }));
    let HostMessage::Status { status } = status else {
        unreachable!()
    };
    assert!(
        status
            .clock_seconds
            .is_some_and(|s| s > 6 * 60 && s <= 7 * 60),
        "the teacher's 7-minute clock: {:?}",
        status.clock_seconds
    );
    assert!(
        after.queued.is_empty(),
        "the order given after the last save is gone"
    );
    for turn in 3..=5 {
        us.view_of_turn(turn);
        us.reply(ClientMessage::EndTurn);
        china.reply(ClientMessage::EndTurn);
    }
    let hash = us.wait_over();
    assert_eq!(china.wait_over(), hash);
    let file = rare_earth_gambit::save::read(&save).unwrap();
    assert_eq!(
        rare_earth_gambit::save::verify(&file, &save).map(hash_text),
        Ok(hash.clone())
    );
    drop(host);
    // The host's save is a save like any other: replayed, and the debrief
    // exported from it.
    let (code, out, _) = common::run(&["replay", "--verify", save_arg]);
    assert_eq!(
        (code, out.trim()),
        (0, format!("replay ok {hash}").as_str())
    );
    let debrief = dir.join("debrief");
    let (code, _, err) = common::run(&[
        "export",
        save_arg,
        "--format",
        "md",
        "--out",
        debrief.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(debrief.join("debrief.md").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn serve_refuses_a_public_address_and_bad_arguments() {
    let (code, _, err) = common::run(&["serve", "--bind", "8.8.8.8", "--port", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a local network address"), "{err}");
    let (code, _, err) = common::run(&["serve", "--bind", "0.0.0.0", "--port", "0"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = common::run(&["serve", "--timer", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--timer"), "{err}");
    let (code, _, err) = common::run(&["serve", "--level", "no-such-level"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = common::run(&["serve", "--load", "/no/such/save.json"]);
    assert_eq!(code, 2);
}

/// `serve` prints where it listens and one code per team, writes them to
/// `--codes`, and a team joins with what it printed.
#[test]
fn serve_prints_its_address_and_codes_and_a_team_joins_with_them() {
    use std::io::BufRead;
    let dir = temp_dir("serve");
    let codes_file = dir.join("codes.json");
    let mut child = common::bin()
        .args([
            "serve",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--seats",
            "us=human,china=ai:easy,russia=human",
            "--seed",
            "2",
            "--codes",
        ])
        .arg(&codes_file)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        let join = line.starts_with("join with");
        printed.push(line);
        if join {
            break;
        }
    }
    let url = printed[0]
        .strip_prefix("listening on ws://")
        .expect("the address first")
        .to_string();
    let codes: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&codes_file).unwrap()).unwrap();
    let us = codes["us"].as_str().unwrap();
    assert!(
        codes.get("china").is_none(),
        "computer seats have no code in the file"
    );
    assert!(printed.iter().any(|l| l.contains(us)));
    let (client, welcome) = Client::join(&url, us).unwrap();
    assert!(matches!(
        welcome,
        HostMessage::Welcome {
            role: Role::Player { power: PowerId::Us },
            ..
        }
    ));
    client.close();
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

/// `docs/protocol.md` describes every message type in both directions.
#[test]
fn the_protocol_document_names_every_message() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/protocol.md"))
            .unwrap();
    for t in ClientMessage::TYPES.iter().chain(HostMessage::TYPES) {
        assert!(
            doc.contains(&format!("`\"type\": \"{t}\"`")),
            "docs/protocol.md does not describe \"{t}\""
        );
    }
    assert!(doc.contains(&format!("version {PROTOCOL_VERSION}")));
}

/// A deal over the network: the US proposes, China reads it in its own
/// view and accepts, the US reads the answer; Russia never sees it.
#[test]
fn teams_propose_and_answer_deals_over_the_network() {
    use rare_earth_gambit::rules::deals::{ProposalStatus, Response, Term};
    let host = host_with(
        classroom_table(6, "us=human,china=human,russia=human"),
        None,
    );
    let address = host.addr().to_string();
    let codes = host.codes(0).unwrap().clone();
    let mut teams: Vec<Team> = PowerId::ALL
        .iter()
        .map(|p| Team::join(&address, codes.seat(*p)))
        .collect();
    let offer = Order::ProposeDeal {
        to: PowerId::China,
        terms: vec![Term::Payment {
            from: PowerId::Us,
            to: PowerId::China,
            amount: 0.1,
        }],
    };
    assert!(matches!(
        teams[0].reply(submit(offer)),
        HostMessage::Queued { .. }
    ));
    for t in &mut teams {
        assert!(matches!(
            t.reply(ClientMessage::EndTurn),
            HostMessage::Done { .. }
        ));
    }
    let china = teams[1].view_of_turn(2);
    let waiting = china
        .proposals
        .iter()
        .find(|p| p.deal.to == PowerId::China && p.status == ProposalStatus::Pending)
        .expect("China reads the offer in its own view");
    let answer = Order::RespondToDeal {
        proposal: waiting.id,
        response: Response::Accept,
    };
    let id = waiting.id;
    assert!(
        teams[2].view_of_turn(2).proposals.is_empty(),
        "Russia never sees it"
    );
    // Only the power a deal is addressed to may answer it.
    assert!(matches!(
        teams[0].reply(submit(answer.clone())),
        HostMessage::Refused { .. }
    ));
    assert!(matches!(
        teams[1].reply(submit(answer)),
        HostMessage::Queued { .. }
    ));
    for t in &mut teams {
        assert!(matches!(
            t.reply(ClientMessage::EndTurn),
            HostMessage::Done { .. }
        ));
    }
    let us = teams[0].view_of_turn(3);
    let answered = us.proposals.iter().find(|p| p.id == id).unwrap();
    assert_eq!(answered.status, ProposalStatus::Accepted, "{answered:?}");
}

/// The window's link joins, notices the host going, and joins again with
/// the same code when a host is back on the same address.
#[test]
fn the_windows_link_rejoins_by_itself_after_the_host_comes_back() {
    use rare_earth_gambit::net::client::{Link, LinkEvent};
    let dir = temp_dir("link");
    let save = dir.join("game.json");
    let table = classroom_table(9, "us=human,china=human,russia=ai:easy");
    let host = host_with(table, Some(save.clone()));
    let addr = host.addr();
    let codes = host.codes(0).unwrap().clone();
    let link = Link::open(addr.to_string(), codes.us.clone());
    // Events are taken one at a time: those after the one waited for stay
    // for the next wait.
    let pending = std::cell::RefCell::new(std::collections::VecDeque::new());
    let wait_for = |what: &dyn Fn(&LinkEvent) -> bool| {
        for _ in 0..200 {
            pending.borrow_mut().extend(link.poll());
            while let Some(e) = pending.borrow_mut().pop_front() {
                if what(&e) {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the link never said so");
    };
    let view = |e: &LinkEvent| matches!(e, LinkEvent::Message(HostMessage::View { .. }));
    wait_for(&view);
    link.send(submit(Order::SetAid { level: 1 }));
    wait_for(&|e| matches!(e, LinkEvent::Message(HostMessage::Queued { .. })));
    drop(host);
    wait_for(&|e| matches!(e, LinkEvent::Lost(_)));
    // The host is started again from its save, on the same address.
    let (table, note) = rare_earth_gambit::save::load_with_note(&save).unwrap();
    assert!(note.is_none());
    let again = Host::start(
        addr.ip(),
        addr.port(),
        vec![HostedGame {
            table,
            codes: rare_earth_gambit::net::codes::Kept::read(&save)
                .unwrap()
                .unwrap()
                .codes,
            timer: None,
            autosave: Some(save.clone()),
            codes_file: None,
            log: false,
        }],
    )
    .unwrap();
    wait_for(&|e| matches!(e, LinkEvent::Connected));
    wait_for(&view);
    drop(again);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A team asks what an order would cost before giving it: the host answers
/// with the engine's own reckoning from the team's view, queues nothing,
/// and the view comes with the figures the rules reckon (actions left,
/// score), so a page never works one out itself.
#[test]
fn a_team_gets_the_engines_quote_for_an_order_and_its_figures_with_each_view() {
    use rare_earth_gambit::rules::types::{FacilityKind, ResearchField};
    let host = host_with(
        classroom_table(5, "us=human,china=human,russia=ai:easy"),
        None,
    );
    let address = host.addr().to_string();
    let codes = host.codes(0).unwrap().clone();
    let mut us = Team::join(&address, &codes.us);
    let view = us.view_of_turn(1);
    let site = view
        .public
        .sites
        .iter()
        .find(|s| s.usable_by(PowerId::Us))
        .expect("a site the US may build at");
    let quote = |team: &mut Team, order: Order| -> Quote {
        team.client.send(&ClientMessage::Quote { order }).unwrap();
        match team.until(|m| matches!(m, HostMessage::Quote { .. } | HostMessage::Refused { .. })) {
            HostMessage::Quote { quote } => quote,
            other => panic!("{other:?}"),
        }
    };
    let plant = Order::FundFacility {
        at: site.id.to_string(),
        kind: FacilityKind::SeparationPlant,
        capacity: 2.0,
    };
    let q = quote(&mut us, plant.clone());
    assert_eq!(q.order, plant);
    assert_eq!(
        q.facility_total,
        view.facility_cost(&site.id, FacilityKind::SeparationPlant, 2.0)
    );
    assert!(q.facility_total.unwrap() > 0.0);
    assert_eq!(q.money, plant.money(&view));
    assert!(q.money > 0.0 && q.money < q.facility_total.unwrap());
    assert_eq!(q.actions, 1);
    assert_eq!(
        q.facility_turns,
        Some((
            view.me.build.permitting_turns.separation_plant,
            view.me.build.construction_turns.separation_plant
        ))
    );
    assert_eq!(q.refusal, None);
    // More than the treasury: refused in the engine's own words.
    let dear = Order::FundResearch {
        field: ResearchField::Recycling,
        amount: 10_000.0,
    };
    let q = quote(&mut us, dear.clone());
    let engine = rare_earth_gambit::rules::orders::preview(&view, &dear).unwrap_err();
    assert_eq!(q.refusal, Some(engine.0));
    // Nothing was queued; the view's figures are the rules' own.
    us.reply(submit(Order::SetAid { level: 2 }));
    us.until(|m| matches!(m, HostMessage::View { view, .. } if !view.queued.is_empty()));
    let text = us
        .seen
        .iter()
        .rev()
        .find(|t| t.contains(r#""type":"view""#))
        .unwrap()
        .clone();
    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
    let after = us.view.clone().unwrap();
    assert_eq!(after.queued.len(), 1, "only the order given");
    assert_eq!(
        m["figures"]["actions_left"].as_u64(),
        Some(u64::from(after.action_points_left()))
    );
    assert_eq!(
        after.action_points_left() + 1,
        view.me.politics.action_points
    );
    assert_eq!(
        m["figures"]["score"].as_f64(),
        Some(after.me.scorecard.score())
    );
    // The teacher has no seat to quote for, and is the only one told how
    // every team joins (the projector's codes and QR code).
    let mut teacher = Team::join(&address, &codes.teacher);
    let welcome: serde_json::Value = serde_json::from_str(&teacher.seen[0]).unwrap();
    let join = &welcome["join"];
    assert_eq!(join["link"], host.join_link().as_str());
    assert!(join["qr_svg"].as_str().unwrap().starts_with("<svg"));
    for (i, p) in ["us", "china", "russia"].into_iter().enumerate() {
        assert_eq!(join["seats"][i]["power"], p);
        assert_eq!(join["seats"][i]["code"], codes.seat(PowerId::ALL[i]));
    }
    let welcome: serde_json::Value = serde_json::from_str(&us.seen[0]).unwrap();
    assert!(welcome["join"].is_null(), "a team is not told the codes");
    for text in &us.seen {
        for other in [&codes.china, &codes.russia, &codes.teacher] {
            assert!(
                !text.contains(other.as_str()),
                "another code reached a team"
            );
        }
    }
    assert!(matches!(
        teacher.reply(ClientMessage::Quote { order: plant }),
        HostMessage::Refused { .. }
    ));
}
