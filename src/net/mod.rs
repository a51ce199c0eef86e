//! The classroom on its own computers: a host that runs the one true game
//! through a [`crate::table::Table`] and serves it over WebSocket on the
//! local network, and the client the window (and the tests) join it with.
//!
//! - [`protocol`]: the messages, JSON, defined once (`docs/protocol.md`).
//! - [`codes`]: join codes for the seats and the teacher.
//! - [`host`]: the host (`rare-earth-gambit serve`, or the window).
//! - [`client`]: a blocking client and the window's link.
//! - [`web`]: the browser client the host serves at `GET /`.

pub mod client;
pub mod codes;
pub mod host;
pub mod protocol;
pub mod web;

/// The port `serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7425;
