//! Saved games: versioned files holding the level (embedded, so a save still
//! loads when the level file changes or is gone), the seed, the seats, the
//! hash of the state after every finished turn, and a snapshot of the state
//! (which carries the full order log) with its hash.
//!
//! The format is JSON: a teacher or a maintainer can open a save and read it,
//! serde_json reads and writes a 44-turn game in milliseconds, and numbers
//! that are not finite cannot be written in it at all. Files are bounded in
//! size before they are parsed and written atomically (temporary file, flush,
//! rename), so a crash during a save never damages the previous one.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::game::Game;
use crate::level::{self, schema::Level};
use crate::rules::hash::GameState;
use crate::rules::invariants;
use crate::rules::types::PowerId;
use crate::seats::Seats;
use crate::table::{Captured, Table};

mod v1;

/// What every save starts with, so other files are told apart at once.
pub const FORMAT: &str = "rare-earth-gambit save";
/// Bumped whenever the layout changes; older versions are refused by name.
pub const VERSION: u32 = 2;
/// No save of a real game comes near this; anything bigger is refused unread.
pub const MAX_SAVE_BYTES: u64 = 16 * 1024 * 1024;
/// Autosaves kept, newest first.
pub const AUTOSAVES_KEPT: usize = 5;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveFile {
    pub format: String,
    pub version: u32,
    /// A name for the save menu.
    pub name: String,
    /// The level, as RON text: checked again on load like any level file.
    pub level: String,
    pub seed: u64,
    /// Who sat where, from which turn on (first entry: turn 1). Seats decide
    /// who answers deals at once, so a replay must seat them the same way.
    pub seats: Vec<(u32, Seats)>,
    /// The turn being planned when saved.
    pub turn: u32,
    /// Hash of the state at the start of each turn after the first
    /// (`turn_hashes[i]` after turn `i + 1` resolved), hex.
    pub turn_hashes: Vec<String>,
    /// Hash of `state`, hex.
    pub hash: String,
    pub state: GameState,
    /// Not saved: what loading changed (an older save brought up to date),
    /// for the player to read.
    #[serde(skip)]
    pub note: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: {message}")]
    Bad { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn bad(path: &Path, message: impl Into<String>) -> SaveError {
    SaveError::Bad {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn hex(h: u64) -> String {
    format!("{h:016x}")
}

/// Just enough to recognise a save and its version before reading the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

impl SaveFile {
    /// A save of the game at `table` now.
    pub fn of_table(table: &mut Table, name: &str) -> SaveFile {
        let state = table.snapshot();
        let hash = state.hash();
        SaveFile::of_captured(table, Captured { state, hash }, name)
    }

    /// A save of `table` in a state captured already (the end of a turn:
    /// [`Table::end_turn_captured`]), so it is not captured and hashed twice.
    pub fn of_captured(table: &Table, captured: Captured, name: &str) -> SaveFile {
        let Captured { state, hash } = captured;
        SaveFile {
            format: FORMAT.into(),
            version: VERSION,
            name: name.into(),
            level: level::level_to_ron(table.level()),
            seed: table.seed(),
            seats: table.seat_history().to_vec(),
            turn: state.clock.turn,
            turn_hashes: table.turn_hashes().iter().map(|h| hex(*h)).collect(),
            hash: hex(hash),
            state,
            note: None,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a game state serializes")
    }

    /// Parse and check a save's text; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<SaveFile, SaveError> {
        if text.trim().is_empty() {
            return Err(bad(path, "the file is empty"));
        }
        // The usual case, a save of this version, is parsed once; anything
        // else goes through the header first, for a message that says what
        // is wrong (or an older version brought up to date).
        let file = match serde_json::from_str::<SaveFile>(text) {
            Ok(file) if file.format == FORMAT && file.version == VERSION => file,
            _ => return SaveFile::parse_by_header(path, text),
        };
        SaveFile::check(path, file)
    }

    /// [`SaveFile::parse`] for a text that is not a well-formed save of this
    /// version: the header says which format and version it claims.
    fn parse_by_header(path: &Path, text: &str) -> Result<SaveFile, SaveError> {
        let header: Header = serde_json::from_str(text).map_err(|e| {
            bad(
                path,
                format!("not a Rare Earth Gambit save (unreadable JSON: {e})"),
            )
        })?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(bad(path, "not a Rare Earth Gambit save"));
        }
        match header.version {
            Some(VERSION) => {}
            Some(1) => return v1::upgrade(path, text),
            Some(v) => {
                return Err(bad(
                    path,
                    format!(
                        "save format version {v}; this version of the game reads version {VERSION}"
                    ),
                ));
            }
            None => return Err(bad(path, "the save has no format version")),
        }
        let file: SaveFile =
            serde_json::from_str(text).map_err(|e| bad(path, format!("damaged save: {e}")))?;
        SaveFile::check(path, file)
    }

    /// Check a parsed save: the rules' invariants, its hash, its turn, its
    /// level and its seats. Every number is finite already: JSON has no
    /// NaN or infinity, and serde_json refuses a number beyond f64's range
    /// (a test holds it to that), so the state is not written out again to
    /// look for them (that cost most of a load).
    fn check(path: &Path, file: SaveFile) -> Result<SaveFile, SaveError> {
        let problems = invariants::bounds_violations(&file.state);
        if let Some(p) = problems.first() {
            return Err(bad(path, format!("damaged save: {p}")));
        }
        if hex(file.state.hash()) != file.hash {
            return Err(bad(
                path,
                "the game state does not match its hash: the file was edited or damaged",
            ));
        }
        if file.turn != file.state.clock.turn {
            return Err(bad(path, "the turn does not match the game state"));
        }
        file.level(path)?;
        if file.seats.first().map(|s| s.0) != Some(1)
            || file.seats.windows(2).any(|w| w[0].0 >= w[1].0)
        {
            return Err(bad(path, "the seats must start at turn 1, in turn order"));
        }
        Ok(file)
    }

    /// The seats now.
    pub fn current_seats(&self) -> Seats {
        self.seats.last().map(|s| s.1).unwrap_or_default()
    }

    /// The seats in force in `turn`.
    pub fn seats_at(&self, turn: u32) -> Seats {
        seats_at(&self.seats, turn)
    }

    /// The embedded level, checked like a level file.
    pub fn level(&self, path: &Path) -> Result<Level, SaveError> {
        level::parse_level(&format!("{} (embedded level)", path.display()), &self.level)
            .map_err(|e| bad(path, format!("embedded level: {e}")))
    }

    fn hashes(&self, path: &Path) -> Result<Vec<u64>, SaveError> {
        self.turn_hashes
            .iter()
            .map(|h| u64::from_str_radix(h, 16).map_err(|_| bad(path, "a turn hash is not hex")))
            .collect()
    }

    /// A playable game from this save, its seats answering deals as saved.
    pub fn into_table(self, path: &Path) -> Result<Table, SaveError> {
        let level = self.level(path)?;
        let turn_hashes = self.hashes(path)?;
        let mut game = Game::new(&level, self.seed);
        game.restore(&self.state);
        if hex(game.hash()) != self.hash {
            return Err(bad(
                path,
                "the saved state does not fit its level (the file was edited or damaged)",
            ));
        }
        Ok(Table::resume(
            game,
            Arc::new(level),
            self.seed,
            self.seats,
            turn_hashes,
        ))
    }
}

// Saving and loading belong to the table's API (a network host serves
// both); they live here so that `save` sits above `table`, not beside it.
impl Table {
    /// The game at this table as a save file named `name`.
    pub fn save_file(&mut self, name: &str) -> SaveFile {
        SaveFile::of_table(self, name)
    }

    /// A saved game, ready to play on.
    pub fn load(path: &Path) -> Result<Table, SaveError> {
        load(path)
    }
}

/// Read a save from disk: bounded in size, parsed, checked.
pub fn read(path: &Path) -> Result<SaveFile, SaveError> {
    let io = |source| SaveError::Io {
        path: path.display().to_string(),
        source,
    };
    let meta = fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_SAVE_BYTES {
        return Err(bad(
            path,
            format!(
                "the file is {} bytes; saves are at most {MAX_SAVE_BYTES} bytes",
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .map_err(io)?
        .take(MAX_SAVE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_SAVE_BYTES {
        return Err(bad(path, "the file is too big for a save"));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| bad(path, "not a Rare Earth Gambit save (not text)"))?;
    SaveFile::parse(path, &text)
}

/// The seats in force in `turn`, from a history of (first turn, seats).
fn seats_at(history: &[(u32, Seats)], turn: u32) -> Seats {
    history
        .iter()
        .rev()
        .find(|s| s.0 <= turn)
        .map(|s| s.1)
        .unwrap_or_default()
}

/// Load a save into a playable game.
pub fn load(path: &Path) -> Result<Table, SaveError> {
    load_with_note(path).map(|(t, _)| t)
}

/// Load a save into a playable game, with what loading changed (an older
/// save replayed under today's rules) for the player to read.
pub fn load_with_note(path: &Path) -> Result<(Table, Option<String>), SaveError> {
    let mut file = read(path)?;
    let note = file.note.take();
    Ok((file.into_table(path)?, note))
}

/// Write `file` to `path` atomically: a temporary file beside it, flushed to
/// disk, then renamed over the old one.
pub fn write(path: &Path, file: &SaveFile) -> Result<(), SaveError> {
    let io = |source| SaveError::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(file.to_json().as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp{}", std::process::id()));
    path.with_file_name(name)
}

/// Replay a save's order log from its seed, turn by turn, checking every
/// turn's hash. `Ok(hash)` when the replay reaches the saved state;
/// `Err((turn, message))` at the first turn that differs.
pub fn verify(file: &SaveFile, path: &Path) -> Result<u64, (u32, String)> {
    let level = file.level(path).map_err(|e| (0, e.to_string()))?;
    let hashes = file.hashes(path).map_err(|e| (0, e.to_string()))?;
    // The teacher's settings are in the saved state; the replay needs them
    // from the first turn. Each turn is played with the seats of its time.
    let mut table = Table::with_settings(
        Arc::new(level),
        file.seed,
        file.seats_at(1),
        &crate::game::GameSettings::of_state(&file.state),
    );
    for (i, input) in file.state.log.turns.iter().enumerate() {
        table.set_seats(file.seats_at(input.turn));
        table.replay(std::slice::from_ref(input))?;
        if let Some(expected) = hashes.get(i) {
            let got = table.turn_hashes()[i];
            if got != *expected {
                return Err((
                    input.turn,
                    format!(
                        "turn {} differs: the replay reaches {} where the save has {}",
                        input.turn,
                        hex(got),
                        hex(*expected)
                    ),
                ));
            }
        }
    }
    table.set_seats(file.current_seats());
    // Orders queued in the turn being planned are part of the snapshot.
    for p in PowerId::ALL {
        for order in &file.state.orders.orders[p] {
            table.submit(p, order.clone()).map_err(|r| {
                (
                    file.turn,
                    format!("queued order \"{order}\" is refused: {r}"),
                )
            })?;
        }
    }
    let got = table.hash();
    if hex(got) != file.hash {
        return Err((
            file.turn,
            format!(
                "turn {} differs: the replay reaches {} where the save has {}",
                file.turn,
                hex(got),
                file.hash
            ),
        ));
    }
    Ok(got)
}

/// The autosave folder.
pub fn autosave_dir() -> PathBuf {
    crate::paths::data_dir().join("autosave")
}

/// Save at the end of a turn into the autosave folder, keeping the last
/// [`AUTOSAVES_KEPT`]. Returns the path written.
pub fn autosave(file: &SaveFile, level_id: &str) -> Result<PathBuf, SaveError> {
    let dir = autosave_dir();
    let path = dir.join(format!("{level_id}-turn-{:03}.json", file.turn));
    write(&path, file)?;
    let mut saves = list(&dir);
    // Newest first; drop the rest.
    for old in saves.drain(..).skip(AUTOSAVES_KEPT) {
        let _ = fs::remove_file(old.path);
    }
    Ok(path)
}

/// A save on disk, for menus.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub path: PathBuf,
    pub modified: std::time::SystemTime,
}

/// The `.json` files of `dir`, newest first.
pub fn list(dir: &Path) -> Vec<Listed> {
    let mut v: Vec<Listed> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .filter_map(|e| {
                    Some(Listed {
                        modified: e.metadata().ok()?.modified().ok()?,
                        path: e.path(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by(|a, b| b.modified.cmp(&a.modified).then(b.path.cmp(&a.path)));
    v
}

/// The newest autosave, for "Continue".
pub fn newest_autosave() -> Option<PathBuf> {
    list(&autosave_dir()).into_iter().next().map(|l| l.path)
}
