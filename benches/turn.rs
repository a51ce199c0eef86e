//! Speed of the rules: one turn step on the full level, and a whole 44-turn
//! game with three built-in AI seats.

use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rare_earth_gambit::game::Game;
use rare_earth_gambit::level;
use rare_earth_gambit::seats::Seats;
use rare_earth_gambit::table::Table;

fn turn_step(c: &mut Criterion) {
    let level = Arc::new(level::bundled("2025-trade-war").unwrap());
    // A game ten turns in, so the market, deals and history are warm.
    let mut played = Table::new(level.clone(), 7, Seats::default());
    played.play_out(Some(10));
    let state = played.snapshot();
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
    c.bench_function("state hash", |b| b.iter(|| game.hash()));
}

fn full_game(c: &mut Criterion) {
    let level = Arc::new(level::bundled("2025-trade-war").unwrap());
    let mut group = c.benchmark_group("full game");
    group.sample_size(20);
    group.bench_function("44 turns, three normal AI seats", |b| {
        b.iter(|| {
            let mut t = Table::new(level.clone(), 7, Seats::default()).without_turn_hashes();
            t.play_out(None);
            t
        })
    });
    group.finish();
}

criterion_group!(benches, turn_step, full_game);
criterion_main!(benches);
