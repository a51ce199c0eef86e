//! Rare Earth Gambit: a strategy board game of rare earths, trade war and the
//! war in Ukraine, 2025–2035.
//!
//! - [`rules`]: the engine, every rule a Bevy ECS system, no window needed.
//! - [`level`]: level files (RON) and their checks.
//! - [`game`]: a headless game driver around a Bevy `App`.
//! - [`seats`]: who plays each power.
//! - [`ai`]: computer players.
//! - [`cli`]: the command line.

pub mod ai;
pub mod cli;
pub mod game;
pub mod level;
pub mod rules;
pub mod seats;
