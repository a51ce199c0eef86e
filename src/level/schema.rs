//! The level file format. Its types are the rules' parameters and live in
//! [`crate::rules::params`]; `level` parses files into them and checks them.

pub use crate::rules::params::*;
