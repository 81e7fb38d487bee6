//! The `alisplan` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use alisplan::cli;

/// Plans the hospital service (sykehusår) and guidance groups of ALIS doctors in
/// general-practice specialist training, by integer programming.
#[derive(Parser)]
#[command(name = "alisplan", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate an instance and summarise demand, supply and travel.
    Check(cli::check::CheckArgs),
    /// Form the regional guidance groups (venue, supervisor, members).
    Groups(cli::groups::GroupsArgs),
    /// Print the municipality × hospital travel matrix.
    Travel(cli::travel::TravelArgs),
    /// Re-check a plan against an instance, independently of the solver.
    Verify(cli::verify::VerifyArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Check(a) => cli::check::run(&a),
        Command::Groups(a) => cli::groups::run(&a),
        Command::Travel(a) => cli::travel::run(&a),
        Command::Verify(a) => cli::verify::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
