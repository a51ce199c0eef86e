//! Level files are written by teachers: any text must give a level or an
//! error, never a panic, and a level that loads must play.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rare_earth_gambit::game::Game;
use rare_earth_gambit::level::parse_level;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(level) = parse_level("fuzz.ron", text) {
        let mut game = Game::new(&level, 1);
        for _ in 0..2 {
            game.end_turn();
        }
        let _ = game.hash();
    }
});
