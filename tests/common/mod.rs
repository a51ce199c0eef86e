//! Running the game's binary from integration tests.

use std::process::Command;

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rare-earth-gambit"))
}

/// Run with `args`: exit code, stdout, stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
