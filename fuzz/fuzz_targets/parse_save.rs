//! Saves come from other students' laptops: any bytes must give a game or an
//! error, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rare_earth_gambit::save::SaveFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.json");
    if let Ok(file) = SaveFile::parse(path, text) {
        if let Ok(mut loaded) = file.into_game(path) {
            loaded.game.end_turn();
        }
    }
});
