//! Rare Earth Gambit: a strategy board game of rare earths, trade war and the
//! war in Ukraine, 2025–2035.
//!
//! - [`rules`]: the engine, every rule a Bevy ECS system, no window needed.
//! - [`level`]: level files (RON) and their checks.
//! - [`game`]: a game without a window: the engine's `World`, its turn
//!   schedule, and the loop computer players give their orders by.
//! - [`seats`]: who plays each power.
//! - [`ai`]: computer players.
//! - [`table`]: a table of seats: the game, its level and settings, who sits
//!   where, turn hashes, the AI's deal answerers; what every driver plays.
//! - [`session`]: the window's hot-seat steps on top of a table.
//! - [`map`]: country outlines and the front line for the board.
//! - [`gui`]: the game window (feature `gui`).
//! - [`paths`]: where settings and saves live.
//! - [`save`]: saved games, autosaves and replays.
//! - [`tournament`]: many AI games in parallel, for strength and balance.
//! - [`export`]: a saved game's figures and debrief for the classroom.
//! - [`lab`]: the policy lab, comparing levels over many AI games.
//! - [`backtest`]: a level with observed prices played with passive seats,
//!   the game's prices beside history's.
//! - [`playtest`]: a level played by computer players, for its author.
//! - [`charts`]: charts as PNG images for the debrief and the lab.
//! - [`net`]: the classroom network: a host, join codes, a client.
//! - [`cli`]: the command line.

pub mod ai;
pub mod backtest;
pub mod charts;
pub mod cli;
pub mod encyclopedia;
pub mod export;
pub mod game;
#[cfg(feature = "gui")]
pub mod gui;
pub mod lab;
pub mod level;
pub mod map;
pub mod net;
pub mod paths;
pub mod playtest;
pub mod rules;
pub mod save;
pub mod seats;
pub mod session;
pub mod table;
pub mod tournament;
pub mod tutorial;
