//! Speed and size of saves: writing and loading a whole 44-turn game.

use criterion::{Criterion, criterion_group, criterion_main};
use std::sync::Arc;

use rare_earth_gambit::level;
use rare_earth_gambit::save::{self, SaveFile};
use rare_earth_gambit::seats::Seats;
use rare_earth_gambit::table::Table;

fn save_and_load(c: &mut Criterion) {
    let level = Arc::new(level::bundled("2025-trade-war").unwrap());
    let mut played = Table::new(level, 7, Seats::default());
    let turns = played.play_out(None);
    let dir = std::env::temp_dir().join(format!("reg-bench-save-{}", std::process::id()));
    let path = dir.join("game.json");
    let file = SaveFile::of_table(&mut played, "bench");
    save::write(&path, &file).unwrap();
    eprintln!(
        "a {}-turn game saves to {} bytes",
        turns,
        std::fs::metadata(&path).unwrap().len()
    );
    c.bench_function("save a 44-turn game (capture, JSON, atomic write)", |b| {
        b.iter(|| {
            let file = SaveFile::of_table(&mut played, "bench");
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
