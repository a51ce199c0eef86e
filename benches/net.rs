//! The classroom network under load: one host serving 10 games at once on
//! loopback, each with two teams and the teacher's projector connected and
//! Russia played by the normal computer player. A turn's round trip is the
//! time from the last team ending its turn to every team of that game
//! holding the next turn's view (the computer seat decides, the turn
//! resolves and is autosaved, the views go out). Criterion times a turn of
//! all ten games; the median and 95th percentile of single games' round
//! trips, turns per second and memory are printed at the end.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rare_earth_gambit::level;
use rare_earth_gambit::net::client::Client;
use rare_earth_gambit::net::codes::Codes;
use rare_earth_gambit::net::host::{Host, HostedGame};
use rare_earth_gambit::net::protocol::{ClientMessage, HostMessage, PROTOCOL_VERSION};
use rare_earth_gambit::rules::orders::Order;
use rare_earth_gambit::seats::Seats;
use rare_earth_gambit::table::Table;

const GAMES: usize = 10;

/// One game's three connections.
struct Clients {
    teams: [Client; 2],
    teacher: Client,
    turn: u32,
}

struct Fleet {
    _host: Host,
    games: Vec<Clients>,
    _dir: std::path::PathBuf,
}

fn wait(client: &mut Client, done: impl Fn(&HostMessage) -> bool) -> HostMessage {
    loop {
        let m = client.recv().expect("the host answers");
        if done(&m) {
            return m;
        }
    }
}

fn fleet(round: u64) -> Fleet {
    let level = Arc::new(level::bundled("classroom").unwrap());
    let dir = std::env::temp_dir().join(format!("reg-bench-net-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let games: Vec<HostedGame> = (0..GAMES)
        .map(|i| HostedGame {
            table: Table::new(
                level.clone(),
                round * 100 + i as u64,
                Seats::parse("us=human,china=human,russia=ai:normal").unwrap(),
            ),
            codes: Codes::generate().unwrap(),
            timer: None,
            autosave: Some(dir.join(format!("game-{i}.json"))),
            codes_file: None,
            log: false,
        })
        .collect();
    let host = Host::start([127, 0, 0, 1].into(), 0, games).unwrap();
    let address = host.addr().to_string();
    let clients = (0..GAMES)
        .map(|i| {
            let codes = host.codes(i).unwrap();
            let join = |code: &str| {
                let (mut c, _) = Client::join(&address, code).unwrap();
                c.set_timeout(Some(Duration::from_secs(60))).unwrap();
                c
            };
            let mut teams = [join(&codes.us), join(&codes.china)];
            for t in &mut teams {
                wait(t, |m| matches!(m, HostMessage::View { .. }));
            }
            Clients {
                teams,
                teacher: join(&codes.teacher),
                turn: 1,
            }
        })
        .collect();
    let _ = PROTOCOL_VERSION;
    Fleet {
        _host: host,
        games: clients,
        _dir: dir,
    }
}

/// One turn of one game: each team queues an order and ends its turn; the
/// round trip runs from the last end of turn to both teams' new views.
/// `None` when the game is over.
fn play_turn(g: &mut Clients) -> Option<Duration> {
    let next = g.turn + 1;
    let [us, china] = &mut g.teams;
    us.send(&ClientMessage::Submit {
        power: None,
        order: Order::SetAid {
            level: (next % 4) as u8,
        },
    })
    .unwrap();
    wait(us, |m| {
        matches!(m, HostMessage::Queued { .. } | HostMessage::Refused { .. })
    });
    us.send(&ClientMessage::EndTurn).unwrap();
    wait(us, |m| matches!(m, HostMessage::Done { .. }));
    let start = Instant::now();
    china.send(&ClientMessage::EndTurn).unwrap();
    let mut over = false;
    for team in [&mut *us, &mut *china] {
        let m = wait(team, |m| {
            matches!(m, HostMessage::View { view, .. } if view.turn == next)
                || matches!(m, HostMessage::GameOver { .. })
        });
        over |= matches!(m, HostMessage::GameOver { .. });
    }
    let trip = start.elapsed();
    // The projector reads along, as a real one would.
    wait(
        &mut g.teacher,
        |m| matches!(m, HostMessage::Public { public, .. } if public.turn == next),
    );
    g.turn = next;
    (!over).then_some(trip)
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

fn ten_games(c: &mut Criterion) {
    let before = rss_kib("VmRSS:");
    let mut round = 0;
    let mut fleet_now = Some(fleet(round));
    let after_start = rss_kib("VmRSS:");
    let trips: Arc<Mutex<Vec<Duration>>> = Default::default();
    let mut turns = 0u64;
    let mut turn_time = Duration::ZERO;
    let mut group = c.benchmark_group("classroom network");
    group.sample_size(20);
    group.bench_function(
        "one turn of 10 games (2 teams + projector + computer seat each)",
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    if fleet_now
                        .as_ref()
                        .is_some_and(|f| f.games.iter().any(|g| g.turn >= 12))
                    {
                        // Every game is at its end: a new fleet, not timed.
                        fleet_now = None;
                        round += 1;
                        fleet_now = Some(fleet(round));
                    }
                    let f = fleet_now.as_mut().unwrap();
                    let start = Instant::now();
                    let got: Vec<Option<Duration>> = std::thread::scope(|s| {
                        let handles: Vec<_> = f
                            .games
                            .iter_mut()
                            .map(|g| s.spawn(move || play_turn(g)))
                            .collect();
                        handles.into_iter().map(|h| h.join().unwrap()).collect()
                    });
                    let took = start.elapsed();
                    total += took;
                    turn_time += took;
                    turns += GAMES as u64;
                    trips.lock().unwrap().extend(got.into_iter().flatten());
                }
                total
            })
        },
    );
    group.finish();
    let mut all = trips.lock().unwrap().clone();
    all.sort();
    if !all.is_empty() {
        let at = |q: f64| all[((all.len() - 1) as f64 * q).round() as usize];
        println!(
            "\nround trip of one game's turn over {} turns: median {:.1} ms, 95th percentile {:.1} ms, max {:.1} ms",
            all.len(),
            at(0.5).as_secs_f64() * 1000.0,
            at(0.95).as_secs_f64() * 1000.0,
            at(1.0).as_secs_f64() * 1000.0
        );
    }
    println!(
        "turns resolved per second (10 games at once): {:.1}",
        turns as f64 / turn_time.as_secs_f64().max(1e-9)
    );
    println!(
        "memory: {} MiB before, {} MiB with the host and 30 connections ({:.1} MiB a game), peak {} MiB",
        before / 1024,
        after_start / 1024,
        (after_start.saturating_sub(before)) as f64 / 1024.0 / GAMES as f64,
        rss_kib("VmHWM:") / 1024
    );
}

criterion_group!(benches, ten_games);
criterion_main!(benches);
