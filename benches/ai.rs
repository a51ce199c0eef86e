//! Speed of the computer players: a normal decision, a hard decision (the
//! reference and the default search budget, its variants played out on
//! every core; `RAYON_NUM_THREADS=1` times it on one), and rollout turns per
//! second on one core (every power by the normal rules, restoring a guess in
//! place as the search does).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rare_earth_gambit::ai::{self, SearchBudget};
use rare_earth_gambit::level;
use rare_earth_gambit::rules::types::PowerId;
use rare_earth_gambit::seats::{Seats, Strength};
use rare_earth_gambit::table::Table;

fn decisions(c: &mut Criterion) {
    let level = std::sync::Arc::new(level::bundled("classroom").unwrap());
    // Four turns in: facilities building, deals in the air.
    let mut played = Table::new(level.clone(), 7, Seats::default());
    played.play_out(Some(4));
    let view = played.view(PowerId::Us);
    c.bench_function("normal decision (classroom, turn 5)", |b| {
        b.iter(|| ai::decide(&view, Strength::Normal, 7, &level))
    });
    let mut group = c.benchmark_group("hard");
    group.sample_size(10);
    group.bench_function("hard decision (classroom, turn 5, budget 3,8,40)", |b| {
        b.iter(|| ai::decide_with(&view, Strength::Hard, 7, &level, &SearchBudget::REFERENCE))
    });
    group.bench_function(
        "hard decision (classroom, turn 5, default budget 6,8,80)",
        |b| b.iter(|| ai::decide_with(&view, Strength::Hard, 7, &level, &SearchBudget::default())),
    );
    group.finish();

    let mut start = Table::new(level.clone(), 9, Seats::default());
    start.play_out(Some(2));
    let start = start.snapshot();
    // The hard player's scratch game: every power a normal player.
    let mut game = ai::model_game(&level, 9);
    const TURNS: u64 = 8;
    let mut group = c.benchmark_group("rollout");
    group.throughput(Throughput::Elements(TURNS));
    group.bench_function("rollout turns (restore + 8 turns, normal rules)", |b| {
        b.iter(|| {
            game.restore(&start);
            for _ in 0..TURNS {
                game.play_computers(|_, view| Some(ai::decide(view, Strength::Normal, 9, &level)));
                game.end_turn();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, decisions);
criterion_main!(benches);
