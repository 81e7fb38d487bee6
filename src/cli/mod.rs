//! One module per subcommand (as `xsv` does with `src/cmd/*.rs`). Each has an `Args`
//! struct for clap and a `run` function; `main.rs` only dispatches.

pub mod check;
pub mod generate;
pub mod groups;
pub mod place;
pub mod plan;
pub mod replan;
pub mod report;
pub mod travel;
pub mod verify;

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::Result;
use crate::model::Instance;
use crate::model::bounds::{self, parse_within};
use crate::solver::SolveOptions;

/// Options shared by every command.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print the solver's log and extra detail.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// Options of commands that solve models. Each value is checked against the same bound
/// as its setting (`crate::model::bounds`): out of range, clap exits with 2 and names the
/// range. Negative numbers are read as values, so that `--time-limit -5` is refused for its
/// range rather than taken for an unknown flag.
#[derive(Args, Debug, Clone, Default)]
pub struct SolverArgs {
    /// Seconds the solver may spend, above 0 and at most 1000000 (default: [solver]
    /// time_limit in settings). Independent parts of an instance share it in proportion to
    /// their size.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true,
          value_parser = |s: &str| parse_within(s, &bounds::TIME_LIMIT))]
    pub time_limit: Option<f64>,
    /// Relative gap at which to stop, at least 0 and below 1, e.g. 0.01 for 1 % (default:
    /// [solver] gap).
    #[arg(long, value_name = "GAP", allow_negative_numbers = true,
          value_parser = |s: &str| parse_within(s, &bounds::GAP))]
    pub gap: Option<f64>,
    /// Solver threads, 1 to 256 (default: [solver] threads).
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = |s: &str| parse_within(s, &bounds::THREADS))]
    pub threads: Option<u32>,
}

impl SolverArgs {
    /// Settings from the instance, overridden by the command line.
    pub fn options(&self, inst: &Instance, common: &Common) -> SolveOptions {
        let mut o = SolveOptions::from_settings(&inst.settings.solver);
        if let Some(t) = self.time_limit {
            o.time_limit = t;
        }
        if let Some(g) = self.gap {
            o.gap = g;
        }
        if let Some(n) = self.threads {
            o.threads = n;
        }
        o.verbose = common.verbose;
        // The limit is wall-clock time for the rest of the command.
        o.deadline = Some(crate::budget::Deadline::after(o.time_limit));
        o
    }
}

/// Messages to the user on standard error, respecting `--quiet`.
#[derive(Clone, Debug, Default)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
}

impl Ui {
    pub fn new(common: &Common) -> Ui {
        Ui {
            quiet: common.quiet,
            verbose: common.verbose,
        }
    }

    /// A line of progress or result information.
    pub fn info(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", msg.as_ref());
        }
    }

    pub fn warn(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("warning: {}", msg.as_ref());
        }
    }

    /// A spinner for work that may take more than a second (only on a terminal, and not
    /// while the solver prints its own log).
    pub fn spinner(&self, msg: &str) -> Spinner {
        if self.quiet || self.verbose || !std::io::stderr().is_terminal() {
            return Spinner(None);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("valid template"),
        );
        bar.set_message(msg.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Spinner(Some(bar))
    }
}

/// A running progress indication; cleared when dropped.
pub struct Spinner(Option<ProgressBar>);

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Load an instance and print its warnings.
pub fn load(dir: &Path, ui: &Ui) -> Result<Instance> {
    let inst = crate::io::load_instance(dir)?;
    for w in &inst.warnings {
        ui.warn(w.to_string());
    }
    Ok(inst)
}
