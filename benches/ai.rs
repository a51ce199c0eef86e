//! Speed of the computer players: a normal decision, a hard decision (the
//! default search budget), and rollout turns per second (every power by the
//! normal rules, restoring a guess in place as the search does).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rare_earth_gambit::ai::{self, SearchBudget};
use rare_earth_gambit::cli::play_headless;
use rare_earth_gambit::level;
use rare_earth_gambit::rules::types::PowerId;
use rare_earth_gambit::rules::view::power_views;
use rare_earth_gambit::seats::{Seats, Strength};

fn decisions(c: &mut Criterion) {
    let level = level::bundled("classroom").unwrap();
    // Four turns in: facilities building, deals in the air.
    let played = play_headless(&level, 7, Seats::default(), Some(4));
    let view = played.game.view(PowerId::Us);
    c.bench_function("normal decision (classroom, turn 5)", |b| {
        b.iter(|| ai::decide(&view, Strength::Normal, 7, &level))
    });
    let mut group = c.benchmark_group("hard");
    group.sample_size(10);
    group.bench_function("hard decision (classroom, turn 5, budget 3,8,40)", |b| {
        b.iter(|| ai::decide_with(&view, Strength::Hard, 7, &level, &SearchBudget::default()))
    });
    group.finish();

    let start = play_headless(&level, 9, Seats::default(), Some(2))
        .game
        .snapshot();
    let mut game = rare_earth_gambit::game::Game::new(&level, 9);
    game.world_mut()
        .insert_resource(ai::answerers(&Seats::default()));
    const TURNS: u64 = 8;
    let mut group = c.benchmark_group("rollout");
    group.throughput(Throughput::Elements(TURNS));
    group.bench_function("rollout turns (restore + 8 turns, normal rules)", |b| {
        b.iter(|| {
            game.restore(&start);
            for _ in 0..TURNS {
                let views = power_views(game.world());
                for p in PowerId::ALL {
                    for o in ai::decide(&views[p], Strength::Normal, 9, &level) {
                        let _ = game.submit(p, o);
                    }
                }
                game.end_turn();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, decisions);
criterion_main!(benches);
