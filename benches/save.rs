//! Speed and size of saves: writing and loading a whole 44-turn game.

use criterion::{Criterion, criterion_group, criterion_main};
use rare_earth_gambit::cli::play_on;
use rare_earth_gambit::game::Game;
use rare_earth_gambit::level;
use rare_earth_gambit::save::{self, SaveFile};
use rare_earth_gambit::seats::Seats;

fn save_and_load(c: &mut Criterion) {
    let level = level::bundled("2025-trade-war").unwrap();
    let seats = Seats::default();
    let mut game = Game::new(&level, 7);
    game.world_mut()
        .insert_resource(rare_earth_gambit::ai::answerers(&seats));
    let mut played = play_on(game, &level, 7, seats, None, Some(Vec::new()));
    let dir = std::env::temp_dir().join(format!("reg-bench-save-{}", std::process::id()));
    let path = dir.join("game.json");
    let history = [(1, seats)];
    let file = SaveFile::capture(
        &mut played.game,
        &level,
        7,
        &history,
        &played.turn_hashes,
        "bench",
    );
    save::write(&path, &file).unwrap();
    eprintln!(
        "a {}-turn game saves to {} bytes",
        played.turns_played,
        std::fs::metadata(&path).unwrap().len()
    );
    c.bench_function("save a 44-turn game (capture, JSON, atomic write)", |b| {
        b.iter(|| {
            let file = SaveFile::capture(
                &mut played.game,
                &level,
                7,
                &history,
                &played.turn_hashes,
                "bench",
            );
            save::write(&path, &file).unwrap();
        })
    });
    c.bench_function("load a 44-turn game (read, check, restore)", |b| {
        b.iter(|| save::load(&path).unwrap())
    });
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group!(benches, save_and_load);
criterion_main!(benches);
