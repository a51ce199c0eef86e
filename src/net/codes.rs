//! Join codes: one per seat and one for the teacher, 80 random bits from the
//! system's entropy written as four groups of four Crockford base-32
//! characters (`7KQ2-M9XD-…`): short enough to read off a projector, far too
//! many to guess over a classroom's network. Kept beside the autosave, with
//! the teacher's clock, so a restarted host takes the same codes and pace.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::rules::types::{PerPower, PowerId};
use crate::seats::{Seat, Seats};

/// Crockford's base 32: no I, L, O or U to misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh code from the system's entropy.
pub fn new_code() -> Result<String, String> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for join codes: {e}"))?;
    // 80 bits, 5 at a time.
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(b);
    }
    let chars: Vec<char> = (0..16)
        .map(|i| ALPHABET[((bits >> (75 - 5 * i)) & 31) as usize] as char)
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// A code as typed: case, spaces and dashes ignored, letters that look
/// like digits read as those digits.
pub fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// Compare without stopping at the first difference, so the time taken
/// says nothing about how much of a guess was right.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The codes of one game: a seat's for each power (a computer seat keeps
/// one, for when the teacher hands it back to a team) and the teacher's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Codes {
    pub us: String,
    pub china: String,
    pub russia: String,
    pub teacher: String,
}

/// Who a code lets in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeFor {
    Seat(PowerId),
    Teacher,
}

impl Codes {
    pub fn generate() -> Result<Codes, String> {
        Ok(Codes {
            us: new_code()?,
            china: new_code()?,
            russia: new_code()?,
            teacher: new_code()?,
        })
    }

    pub fn seat(&self, p: PowerId) -> &str {
        match p {
            PowerId::Us => &self.us,
            PowerId::China => &self.china,
            PowerId::Russia => &self.russia,
        }
    }

    pub fn per_power(&self) -> PerPower<String> {
        PerPower(PowerId::ALL.map(|p| self.seat(p).to_string()))
    }

    /// Whose code `typed` is, if anyone's.
    pub fn check(&self, typed: &str) -> Option<CodeFor> {
        let typed = normalise(typed);
        let mut found = None;
        // Every code is compared, whichever matches.
        for p in PowerId::ALL {
            if same(&typed, &normalise(self.seat(p))) {
                found = Some(CodeFor::Seat(p));
            }
        }
        if same(&typed, &normalise(&self.teacher)) {
            found = Some(CodeFor::Teacher);
        }
        found
    }

    /// `{"us": "…", "china": "…"}`: the human seats' codes, as `--codes`
    /// writes them for other tools.
    pub fn human_seats_json(&self, seats: &Seats) -> String {
        let mut map = serde_json::Map::new();
        for p in PowerId::ALL {
            if seats.get(p) == Seat::Human {
                map.insert(p.key().into(), self.seat(p).into());
            }
        }
        serde_json::to_string_pretty(&map).unwrap_or_default()
    }

    /// The file beside a save that keeps its game's codes.
    pub fn sidecar(save: &Path) -> PathBuf {
        let mut name = save.file_name().unwrap_or_default().to_os_string();
        name.push(".codes");
        save.with_file_name(name)
    }
}

/// What a hosted game keeps beside its save: the codes, and the clock the
/// teacher last set (it may differ from the one the host started with).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    #[serde(flatten)]
    pub codes: Codes,
    /// Minutes a turn, 0 for no clock; absent in files from older hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_minutes: Option<u64>,
}

impl Kept {
    /// What is kept beside `save`, if anything.
    pub fn read(save: &Path) -> Result<Option<Kept>, String> {
        let path = Codes::sidecar(save);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("{}: not a codes file: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Keep the codes and the clock beside `save` (written first, then
    /// renamed, so a crash leaves the old file or the new one).
    pub fn write(&self, save: &Path) -> Result<PathBuf, String> {
        let path = Codes::sidecar(save);
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        write_atomically(&path, &text)?;
        Ok(path)
    }

    /// The clock a restarted host takes: the teacher's last one.
    pub fn clock(&self) -> Option<Option<std::time::Duration>> {
        self.clock_minutes
            .map(|m| (m > 0).then(|| std::time::Duration::from_secs(m * 60)))
    }
}

/// Write `text` to `path` through a temporary file and a rename.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut tmp = path.as_os_str().to_os_string();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_random_and_forgiving_to_type() {
        let a = new_code().unwrap();
        let b = new_code().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 19, "{a}");
        assert_eq!(normalise(&a).len(), 16);
        let codes = Codes::generate().unwrap();
        let typed = codes.china.to_lowercase().replace('-', " ");
        assert_eq!(codes.check(&typed), Some(CodeFor::Seat(PowerId::China)));
        assert_eq!(codes.check(&codes.teacher), Some(CodeFor::Teacher));
        assert_eq!(codes.check("AAAA-AAAA-AAAA-AAAA"), None);
        assert_eq!(codes.check(""), None);
        let seats = Seats::parse("us=human,china=ai:normal,russia=human").unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&codes.human_seats_json(&seats)).unwrap();
        assert_eq!(json["us"], codes.us.as_str());
        assert!(json.get("china").is_none());
        assert!(json.get("teacher").is_none());
    }

    #[test]
    fn the_clock_is_kept_beside_the_codes_and_old_files_still_read() {
        let dir = std::env::temp_dir().join(format!("reg-kept-{}", std::process::id()));
        let save = dir.join("game.json");
        let codes = Codes::generate().unwrap();
        assert_eq!(Kept::read(&save).unwrap(), None);
        let kept = Kept {
            codes: codes.clone(),
            clock_minutes: Some(3),
        };
        kept.write(&save).unwrap();
        let back = Kept::read(&save).unwrap().unwrap();
        assert_eq!(back, kept);
        assert_eq!(
            back.clock(),
            Some(Some(std::time::Duration::from_secs(180)))
        );
        // A file written before the clock was kept: codes only.
        let old = serde_json::to_string(&codes).unwrap();
        std::fs::write(Codes::sidecar(&save), old).unwrap();
        let back = Kept::read(&save).unwrap().unwrap();
        assert_eq!((back.clock(), back.codes), (None, codes));
        Kept {
            codes: Codes::generate().unwrap(),
            clock_minutes: Some(0),
        }
        .write(&save)
        .unwrap();
        assert_eq!(Kept::read(&save).unwrap().unwrap().clock(), Some(None));
        std::fs::write(Codes::sidecar(&save), "{").unwrap();
        assert!(Kept::read(&save).unwrap_err().contains("not a codes file"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
