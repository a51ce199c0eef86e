//! Speed of the rules: one turn step on the full level, and a whole 44-turn
//! game with three built-in AI seats.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rare_earth_gambit::cli::play_headless;
use rare_earth_gambit::game::Game;
use rare_earth_gambit::level;
use rare_earth_gambit::seats::Seats;

fn turn_step(c: &mut Criterion) {
    let level = level::bundled("2025-trade-war").unwrap();
    // A game ten turns in, so the market, deals and history are warm.
    let mut played = play_headless(&level, 7, Seats::default(), Some(10));
    let state = played.game.snapshot();
    c.bench_function("turn step (full level, turn 11)", |b| {
        b.iter_batched(
            || {
                // A game whose schedules have run once (systems initialised),
                // then put back at turn 11.
                let mut g = Game::new(&level, 7);
                g.end_turn();
                g.restore(&state);
                g
            },
            |mut g| {
                g.end_turn();
                g
            },
            BatchSize::SmallInput,
        )
    });
    let mut game = Game::new(&level, 7);
    c.bench_function("snapshot restore in place", |b| {
        b.iter_batched(
            || state.clone(),
            |s| game.restore(&s),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("snapshot capture", |b| b.iter(|| game.snapshot()));
}

fn full_game(c: &mut Criterion) {
    let level = level::bundled("2025-trade-war").unwrap();
    let mut group = c.benchmark_group("full game");
    group.sample_size(20);
    group.bench_function("44 turns, three normal AI seats", |b| {
        b.iter(|| play_headless(&level, 7, Seats::default(), None))
    });
    group.finish();
}

criterion_group!(benches, turn_step, full_game);
criterion_main!(benches);
