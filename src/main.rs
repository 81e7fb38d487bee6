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
    /// The yearly job: placements, guidance groups, review sheets, summary and report.
    Plan(cli::plan::PlanArgs),
    /// Place doctors' hospital service (the sykehusår) by integer programming.
    Place(cli::place::PlaceArgs),
    /// Re-plan from a month on: history kept, as few changes as possible.
    Replan(cli::replan::ReplanArgs),
    /// Write a synthetic, realistic instance of any size (seeded).
    Generate(cli::generate::GenerateArgs),
    /// Form the regional guidance groups (venue, supervisor, members).
    Groups(cli::groups::GroupsArgs),
    /// Print the municipality × hospital travel matrix.
    Travel(cli::travel::TravelArgs),
    /// Re-check a plan against an instance, independently of the solver.
    Verify(cli::verify::VerifyArgs),
    /// Write report.html and calendars/<doctor-id>.ics into a plan folder.
    Report(cli::report::ReportArgs),
    /// Why a doctor has their blocks: each objective term, the best alternatives and what blocks each.
    Explain(cli::explain::ExplainArgs),
    /// What differs between two plans: blocks, doctors, objective terms, substitutes, commute.
    Compare(cli::compare::CompareArgs),
}

/// The C library's `signal()`, as the statically linked CBC sees it: CBC calls it to put in
/// a Ctrl-C handler of its own each time it solves, which would take the first Ctrl-C away
/// from the command. A definition in the program comes before the C library's, so CBC's
/// calls arrive here; [`alisplan::solver::signal_from_c`] says what is done with them.
///
/// # Safety
/// As for the C library's `signal()`.
#[cfg(target_os = "linux")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn signal(
    signum: libc::c_int,
    handler: libc::sighandler_t,
) -> libc::sighandler_t {
    // SAFETY: the caller's promise is the one signal_from_c needs.
    unsafe { alisplan::solver::signal_from_c(signum, handler) }
}

fn main() -> ExitCode {
    let command = Cli::parse().command;
    // Commands that search can stop early on Ctrl-C and still write their best plan.
    let graceful = matches!(
        command,
        Command::Plan(_) | Command::Place(_) | Command::Replan(_) | Command::Groups(_)
    );
    cli::signals::install(graceful);
    let result = match command {
        Command::Check(a) => cli::check::run(&a),
        Command::Plan(a) => cli::plan::run(&a),
        Command::Place(a) => cli::place::run(&a),
        Command::Replan(a) => cli::replan::run(&a),
        Command::Generate(a) => cli::generate::run(&a),
        Command::Groups(a) => cli::groups::run(&a),
        Command::Travel(a) => cli::travel::run(&a),
        Command::Verify(a) => cli::verify::run(&a),
        Command::Report(a) => cli::report::run(&a),
        Command::Explain(a) => cli::explain::run(&a),
        Command::Compare(a) => cli::compare::run(&a),
    };
    let stopped = alisplan::budget::stop_requested();
    match result {
        Ok(()) => match stopped {
            None => ExitCode::SUCCESS,
            Some(s) => {
                if graceful {
                    cli::say(&format!(
                        "interrupted by {}: the plan written is the best found before the stop (summary.json says how far from proven it is)",
                        s.name()
                    ));
                }
                ExitCode::from(s.exit_code())
            }
        },
        Err(e) => {
            cli::say(&format!("error: {e}"));
            ExitCode::from(stopped.map_or(e.exit_code(), |s| s.exit_code()))
        }
    }
}
