//! Who plays each power: a human at the keyboard or the AI at some strength.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::rules::types::{PerPower, PowerId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strength {
    Easy,
    Normal,
    Hard,
    /// Gives no orders and refuses every deal: holds a power's policy fixed
    /// for calibration runs and the route lab (`ai:passive`).
    Passive,
}

impl Strength {
    /// The playing strengths (passive is for experiments, not a menu choice).
    pub const ALL: [Strength; 3] = [Strength::Easy, Strength::Normal, Strength::Hard];

    /// A place in per-strength tables (`[_; 4]`).
    pub fn index(self) -> usize {
        match self {
            Strength::Easy => 0,
            Strength::Normal => 1,
            Strength::Hard => 2,
            Strength::Passive => 3,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Strength::Easy => "easy",
            Strength::Normal => "normal",
            Strength::Hard => "hard",
            Strength::Passive => "passive",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Seat {
    Human,
    Ai(Strength),
}

impl fmt::Display for Seat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seat::Human => f.write_str("human"),
            Seat::Ai(s) => write!(f, "ai:{}", s.key()),
        }
    }
}

impl Seat {
    pub fn parse(s: &str) -> Result<Seat, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "human" => Ok(Seat::Human),
            "ai" | "ai:normal" => Ok(Seat::Ai(Strength::Normal)),
            "ai:easy" => Ok(Seat::Ai(Strength::Easy)),
            "ai:hard" => Ok(Seat::Ai(Strength::Hard)),
            "ai:passive" => Ok(Seat::Ai(Strength::Passive)),
            other => Err(format!(
                "unknown seat \"{other}\": use human, ai:easy, ai:normal, ai:hard or ai:passive"
            )),
        }
    }
}

/// Seats for the three powers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats(pub PerPower<Seat>);

impl Default for Seats {
    fn default() -> Self {
        Seats(PerPower([Seat::Ai(Strength::Normal); 3]))
    }
}

impl Seats {
    pub fn get(&self, p: PowerId) -> Seat {
        self.0[p]
    }

    /// Parse a spec like `us=ai:normal,china=ai:hard,russia=human`. Powers not
    /// named keep the default (AI, normal).
    pub fn parse(spec: &str) -> Result<Seats, String> {
        let mut seats = Seats::default();
        let mut seen = Vec::new();
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (power, seat) = part
                .split_once('=')
                .ok_or_else(|| format!("\"{part}\" should look like us=ai:normal"))?;
            let p = PowerId::parse(power.trim()).ok_or_else(|| {
                format!(
                    "unknown power \"{}\": use us, china or russia",
                    power.trim()
                )
            })?;
            if seen.contains(&p) {
                return Err(format!("{} is given twice", p.key()));
            }
            seen.push(p);
            seats.0[p] = Seat::parse(seat)?;
        }
        Ok(seats)
    }
}

impl fmt::Display for Seats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = PowerId::ALL
            .iter()
            .map(|p| format!("{}={}", p.key(), self.0[*p]))
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs_and_refuses_nonsense() {
        let s = Seats::parse("us=ai:normal,china=ai:hard,russia=human").unwrap();
        assert_eq!(s.get(PowerId::China), Seat::Ai(Strength::Hard));
        assert_eq!(s.get(PowerId::Russia), Seat::Human);
        assert_eq!(Seats::parse(&s.to_string()).unwrap(), s);
        let p = Seats::parse("us=ai:passive").unwrap();
        assert_eq!(p.get(PowerId::Us), Seat::Ai(Strength::Passive));
        assert_eq!(Seats::parse(&p.to_string()).unwrap(), p);
        assert!(Seats::parse("us=robot").is_err());
        assert!(Seats::parse("mars=human").is_err());
        assert!(Seats::parse("us=human,us=ai").is_err());
        assert!(Seats::parse("us").is_err());
    }
}
