use clap::Parser;
use rare_earth_gambit::cli::{Cli, run};

fn main() -> std::process::ExitCode {
    run(Cli::parse())
}
