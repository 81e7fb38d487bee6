//! One module per subcommand (as `xsv` does with `src/cmd/*.rs`). Each has an `Args`
//! struct for clap and a `run` function that parses, calls the library and prints; no
//! command imports another. `console` prints results shared by several commands.

pub mod check;
pub mod compare;
pub mod console;
pub mod explain;
pub mod generate;
pub mod groups;
pub mod place;
pub mod plan;
pub mod replan;
pub mod report;
pub mod signals;
pub mod travel;
pub mod verify;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::Result;
use crate::model::Instance;
use crate::model::bounds::{self, parse_within};
use crate::model::settings::Backend;
use crate::placement::{Formulation, PlaceOptions, Placement};
use crate::planning::Basis;
use crate::publish::{self, Reserved};
use crate::solver::SolveOptions;
use crate::travel::Travel;

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
    /// Seconds the solver may spend, above 0 and at most 1000000 (default: `time_limit`
    /// under `[solver]` in settings.toml). Independent parts of an instance share it in proportion to
    /// their size.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true,
          value_parser = |s: &str| parse_within(s, &bounds::TIME_LIMIT))]
    pub time_limit: Option<f64>,
    /// Relative gap at which to stop, at least 0 and below 1, e.g. 0.01 for 1 % (default:
    /// `gap` under `[solver]` in settings.toml).
    #[arg(long, value_name = "GAP", allow_negative_numbers = true,
          value_parser = |s: &str| parse_within(s, &bounds::GAP))]
    pub gap: Option<f64>,
    /// Solver threads, 1 to 256 (default: `threads` under `[solver]` in settings.toml).
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = |s: &str| parse_within(s, &bounds::THREADS))]
    pub threads: Option<u32>,
    /// The MIP solver: cbc, or highs in a build with `--features highs` (default:
    /// `backend` under `[solver]` in settings.toml).
    #[arg(long, value_name = "cbc|highs", value_parser = parse_backend)]
    pub solver: Option<Backend>,
}

/// A `--solver` value this build can use; clap exits with 2 and says how to get HiGHS.
fn parse_backend(s: &str) -> std::result::Result<Backend, String> {
    let backend = <Backend as clap::ValueEnum>::from_str(s, true)
        .map_err(|_| format!("{s:?} is not a solver: use cbc or highs"))?;
    match backend.missing() {
        Some(why) => Err(why),
        None => Ok(backend),
    }
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
        if let Some(b) = self.solver {
            o.backend = b;
        }
        o.verbose = common.verbose;
        // The limit is wall-clock time for the rest of the command.
        o.deadline = Some(crate::budget::Deadline::after(o.time_limit));
        o
    }
}

/// The language of what a command writes for hospitals, municipalities and doctors.
#[derive(Args, Debug, Clone, Default)]
pub struct LangArgs {
    /// Language of the review sheets, notify files, report and calendars: nb (bokmål) or en
    /// (default: `language` in settings.toml, else en).
    #[arg(long, value_name = "nb|en")]
    pub lang: Option<crate::i18n::Lang>,
}

impl LangArgs {
    /// Set the instance's language from the command line, if given.
    pub fn apply(&self, inst: &mut Instance) {
        if let Some(lang) = self.lang {
            inst.settings.language = lang;
        }
    }
}

/// Where a command writes its plan.
#[derive(Args, Debug, Clone)]
pub struct OutArgs {
    /// Output folder for the plan (must not exist unless --force).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Options of the commands that place doctors (`place`, `plan`, `replan`).
#[derive(Args, Debug, Clone)]
pub struct PlacingArgs {
    /// Fail (exit 1, nothing written) if any doctor cannot be placed.
    #[arg(long)]
    pub strict: bool,
    /// A plan folder whose review sheets (`hospitals/<id>.xlsx` or `.csv`) the hospitals filled
    /// in, with its ledger (review.csv): accepted blocks are kept, rejected ones avoided,
    /// and the rest stays close to it.
    #[arg(long, value_name = "DIR")]
    pub decisions: Option<PathBuf>,
    /// The date by which the hospitals should answer, printed on the review sheets.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub deadline: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub tuning: PlaceTuning,
    #[command(flatten)]
    pub solver: SolverArgs,
}

/// The instance, the output folder and the placement options: what `place`, `plan` and
/// `replan` are given.
#[derive(Args, Debug, Clone)]
pub struct PlanningArgs {
    /// Instance folder.
    pub instance: PathBuf,
    #[command(flatten)]
    pub out: OutArgs,
    #[command(flatten)]
    pub placing: PlacingArgs,
    #[command(flatten)]
    pub lang: LangArgs,
    #[command(flatten)]
    pub common: Common,
}

impl PlanningArgs {
    /// The session of `command` (which places doctors), in the language asked for.
    pub fn session(&self, command: &str) -> Result<Session> {
        let mut s = Session::start(command, &self.instance, &self.out, &self.common)?;
        self.lang.apply(&mut s.inst);
        Ok(s)
    }
}

/// What every command that writes a plan starts with: the instance loaded, the output
/// folder claimed (before any solving, so an existing folder fails at once), and the
/// travel network.
pub struct Session {
    pub ui: Ui,
    pub inst: Instance,
    pub out: Reserved,
    pub travel: Travel,
}

impl Session {
    /// Start `command`.
    pub fn start(
        command: &str,
        instance: &Path,
        out: &OutArgs,
        common: &Common,
    ) -> Result<Session> {
        let ui = Ui::new(common);
        let inst = load(instance, &ui)?;
        let out = publish::reserve(&out.out, out.force, instance, command)?;
        let travel = Travel::new(&inst);
        Ok(Session {
            ui,
            inst,
            out,
            travel,
        })
    }

    /// Place the doctors on `basis` (with a spinner saying `doing`). With `--strict`,
    /// anyone left unplaced is an error and nothing is written.
    pub fn place(
        &self,
        basis: &Basis,
        args: &PlacingArgs,
        solve: SolveOptions,
        doing: &str,
    ) -> Result<Placement> {
        let _spin = self.ui.spinner(doing);
        let opts = args.tuning.options(solve);
        basis.place(&self.inst, &self.travel, &opts, args.strict)
    }
}

/// Switches to compare formulations of the placement (for benchmarks and curiosity).
#[derive(Args, Debug, Clone, Default)]
pub struct PlaceTuning {
    /// Use the plain textbook formulation (every row, no warm start).
    #[arg(long)]
    pub plain: bool,
    /// Solve the whole instance as one model instead of independent parts.
    #[arg(long)]
    pub no_decompose: bool,
}

impl PlaceTuning {
    pub fn options(&self, solver: SolveOptions) -> PlaceOptions {
        let mut o = PlaceOptions::new(solver);
        if self.plain {
            o.formulation = Formulation::Plain;
        }
        o.decompose = !self.no_decompose;
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
            say(msg.as_ref());
        }
    }

    pub fn warn(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            say(&format!("warning: {}", msg.as_ref()));
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

/// Write a line to standard error. A closed pipe or a full disk only loses the message:
/// printing never decides whether a plan is written.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Write text to standard output (the result of `check`, `travel`, `verify`…). A reader
/// that went away (`| head`) only stops the printing.
pub fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
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
