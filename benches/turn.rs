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
    let mut game = Game::new(&level, 7);
    c.bench_function("turn step (full level, turn 11, no new orders)", |b| {
        b.iter_batched(
            || state.clone(),
            |s| {
                // Restoring in place is part of what AI search will pay too.
                game.restore(&s);
                game.end_turn();
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("snapshot restore only", |b| {
        b.iter_batched(
            || state.clone(),
            |s| game.restore(&s),
            BatchSize::SmallInput,
        )
    });
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
