//! The MIP solver behind every model: COIN-OR CBC (compiled from source by `cbc-src`)
//! through `good_lp`. Models are built as a [`Model`], solved with [`solve`], and every
//! result carries its status, objective, best bound and gap.

use std::collections::HashMap;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use good_lp::solvers::coin_cbc::{CoinCbcProblem, coin_cbc};
use good_lp::{
    Constraint, Expression, ProblemVariables, SolverModel, Variable, WithInitialSolution, variable,
};
use serde::Serialize;

use crate::budget::Deadline;
use crate::error::{Error, Result};
pub use crate::model::settings::Backend;

/// How a solve ended. Each status promises exactly what its comment says, and nothing
/// more; it is decided from the objective and the best *proven* bound, never taken on trust
/// from the solver (see [`Status::proven`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal: a proven lower bound meets the objective (within 1e-6 plus a
    /// billionth of the objective), so no plan under these rules costs less.
    Optimal,
    /// Proven within the requested relative gap (`--gap`) of a proven lower bound; better
    /// plans may exist, but none better by more than that gap.
    GapLimit,
    /// Stopped before a proof (the time limit, a stop request, or the solver giving up)
    /// with a proven lower bound: the plan is at most `gap` from the optimum.
    TimeLimit,
    /// Stopped before any lower bound was proven: the plan keeps every rule, but how far it
    /// is from the optimum is unknown (`bound` is null and `gap` is given as 1).
    NoBound,
    /// No model needed solving (e.g. nothing to place).
    Trivial,
}

/// Absolute slack under which a bound is taken to meet the objective (CBC's `allowableGap`).
pub const OPTIMALITY_SLACK: f64 = 1e-6;

impl Status {
    /// The status in words for the console; a run the user stopped says so rather than
    /// "time limit reached".
    pub fn label(self) -> &'static str {
        match self {
            Status::Optimal | Status::Trivial => "optimal",
            Status::GapLimit => "within gap limit",
            Status::TimeLimit => match crate::budget::stop_requested() {
                Some(crate::budget::StopSignal::Interrupt) => "stopped by Ctrl-C",
                Some(crate::budget::StopSignal::Terminate) => "stopped by SIGTERM",
                None => "time limit reached",
            },
            Status::NoBound => "stopped before any bound was proven",
        }
    }

    pub fn is_optimal(self) -> bool {
        matches!(self, Status::Optimal | Status::Trivial)
    }

    /// The status a solution of value `objective` has earned, given the best proven lower
    /// `bound` (−∞ when none is known) and the gap asked for: optimal only if the bound
    /// meets the objective.
    pub fn proven(objective: f64, bound: f64, gap_limit: f64) -> Status {
        if !bound.is_finite() {
            Status::NoBound
        } else if objective - bound <= OPTIMALITY_SLACK + 1e-9 * objective.abs() {
            Status::Optimal
        } else if relative_gap(objective, bound) <= gap_limit {
            Status::GapLimit
        } else {
            Status::TimeLimit
        }
    }

    /// Rank from strongest to weakest promise (combining parts keeps the weakest).
    fn weakness(self) -> u8 {
        match self {
            Status::Trivial => 0,
            Status::Optimal => 1,
            Status::GapLimit => 2,
            Status::TimeLimit => 3,
            Status::NoBound => 4,
        }
    }
}

/// Limits and switches for one solve.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    /// Seconds this solve (or this stage of a command) may take.
    pub time_limit: f64,
    pub gap: f64,
    pub threads: u32,
    /// Print the solver's own log to standard output.
    pub verbose: bool,
    /// The MIP solver that runs the models.
    pub backend: Backend,
    /// The wall-clock deadline of the whole command, if it has one: no solve runs past it.
    pub deadline: Option<Deadline>,
    /// Let CBC probe (its cut generator that fixes variables by trying each binary at 0
    /// and at 1). It tightens the bound; a search re-solving part of a good plan wants a
    /// better plan soon and turns it off: measured on 2,000 generated doctors, the cost
    /// stage's solve of every doctor over a few blocks each takes about 1 s without
    /// probing against 2–3 s with it. HiGHS ignores it.
    pub probing: bool,
    /// Let CBC branch strongly (try candidate branches before choosing one). It proves
    /// sooner; the cost search's solve of every doctor over the blocks worth having turns
    /// it off: measured on 2,000 generated doctors, one in three or four of those solves
    /// spent its whole 10 s limit in strong branching and found nothing, and without it
    /// each took 1–3 s. (The smaller neighbourhoods keep it: without it, 500 generated
    /// doctors ended 0.33 % from the bound at 60 s instead of 0.18–0.24 %.) HiGHS ignores
    /// it.
    pub strong_branching: bool,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions::from_settings(&crate::model::settings::SolverSettings::default())
    }
}

impl SolveOptions {
    pub fn from_settings(s: &crate::model::settings::SolverSettings) -> SolveOptions {
        SolveOptions {
            time_limit: s.time_limit,
            gap: s.gap,
            threads: s.threads,
            verbose: false,
            backend: s.backend,
            deadline: None,
            probing: true,
            strong_branching: true,
        }
    }

    /// Seconds a solve started now may take: its own limit, cut to what is left before the
    /// command's deadline.
    pub fn seconds_left(&self) -> f64 {
        match self.deadline {
            Some(d) => self.time_limit.min(d.seconds_left()),
            None => self.time_limit,
        }
    }

    /// Whether to start no more work: the command's deadline has passed or the user asked
    /// to stop (Ctrl-C, SIGTERM).
    pub fn should_stop(&self) -> bool {
        crate::budget::stop_requested().is_some() || self.deadline.is_some_and(Deadline::passed)
    }

    /// When a step that may take `seconds` must end: that long from now, or at the
    /// command's deadline if that comes first.
    pub fn until(&self, seconds: f64) -> Instant {
        let own = seconds.max(0.0).min(self.seconds_left());
        Instant::now() + Duration::try_from_secs_f64(own).unwrap_or(Duration::ZERO)
    }

    /// Why to start no more work, in words, if [`SolveOptions::should_stop`].
    pub fn stop_reason(&self) -> Option<String> {
        if let Some(signal) = crate::budget::stop_requested() {
            Some(format!("stopped on request ({})", signal.name()))
        } else if self.deadline.is_some_and(Deadline::passed) {
            Some("the time limit was reached".to_string())
        } else {
            None
        }
    }
}

/// What a solve found, for `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub status: Status,
    pub objective: f64,
    /// Best proven lower bound on the objective.
    pub bound: f64,
    /// Relative gap (objective − bound) / |objective|; 0 when proven optimal.
    pub gap: f64,
    pub seconds: f64,
    pub variables: usize,
    pub constraints: usize,
}

impl Outcome {
    /// The outcome of a model with nothing to decide.
    pub fn trivial(objective: f64) -> Outcome {
        Outcome {
            status: Status::Trivial,
            objective,
            bound: objective,
            gap: 0.0,
            seconds: 0.0,
            variables: 0,
            constraints: 0,
        }
    }

    /// The outcome of a solution of value `objective` with the best proven lower `bound`
    /// (−∞ when none is known), its status earned by [`Status::proven`]; time and size are
    /// left at 0 for the caller to fill in.
    pub fn proven(objective: f64, bound: f64, gap_limit: f64) -> Outcome {
        let bound = bound.min(objective);
        Outcome {
            status: Status::proven(objective, bound, gap_limit),
            objective,
            bound,
            gap: relative_gap(objective, bound),
            seconds: 0.0,
            variables: 0,
            constraints: 0,
        }
    }

    /// The status in words for the console: `optimal`, or the status and the gap to the
    /// bound, or that no bound is known.
    pub fn describe(&self) -> String {
        match self.status {
            Status::Optimal | Status::Trivial => "optimal".to_string(),
            Status::NoBound => "stopped before any bound was proven, gap unknown".to_string(),
            s => format!("{}, gap {:.2} %", s.label(), self.gap * 100.0),
        }
    }

    /// The bound for the console: a number, or `none` when no bound is known.
    pub fn bound_text(&self) -> String {
        if self.bound.is_finite() {
            format!("{:.0}", self.bound)
        } else {
            "none".to_string()
        }
    }

    /// Combine the outcomes of independent parts solved separately: objectives and bounds
    /// add up (no bound if a part has none), and the weakest status is kept.
    pub fn combine(parts: &[Outcome]) -> Outcome {
        let Some(first) = parts.first() else {
            return Outcome::trivial(0.0);
        };
        let objective: f64 = parts.iter().map(|p| p.objective).sum();
        let bound: f64 = parts.iter().map(|p| p.bound).sum();
        let status = parts
            .iter()
            .map(|p| p.status)
            .max_by_key(|s| s.weakness())
            .unwrap_or(first.status);
        Outcome {
            status,
            objective,
            bound,
            gap: relative_gap(objective, bound),
            seconds: parts.iter().map(|p| p.seconds).sum(),
            variables: parts.iter().map(|p| p.variables).sum(),
            constraints: parts.iter().map(|p| p.constraints).sum(),
        }
    }
}

/// (objective − bound) / max(|objective|, 1), never negative; 1 (100 %) when no bound is
/// known.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    if !bound.is_finite() {
        return 1.0;
    }
    ((objective - bound) / objective.abs().max(1.0)).max(0.0)
}

/// A minimisation model under construction.
pub struct Model {
    vars: ProblemVariables,
    /// Every variable with its bounds and whether it must be whole, to re-check answers.
    columns: Vec<Column>,
    constraints: Vec<Constraint>,
    objective: Expression,
    initial: Vec<(Variable, f64)>,
    parameters: Vec<(&'static str, &'static str)>,
    /// Whole variables are made continuous: the model is its linear relaxation.
    relaxed: bool,
}

#[derive(Clone, Copy)]
struct Column {
    var: Variable,
    min: f64,
    max: f64,
    integer: bool,
}

impl Default for Model {
    fn default() -> Self {
        Model::new()
    }
}

impl Model {
    pub fn new() -> Model {
        Model {
            vars: ProblemVariables::new(),
            columns: Vec::new(),
            constraints: Vec::new(),
            objective: Expression::from(0.0),
            initial: Vec::new(),
            parameters: Vec::new(),
            relaxed: false,
        }
    }

    /// A model whose variables are all continuous, whatever they are declared as: its
    /// linear relaxation, which CBC solves as a linear program.
    pub fn relaxation() -> Model {
        Model {
            relaxed: true,
            ..Model::new()
        }
    }

    /// Whether this is a [`Model::relaxation`].
    pub fn is_relaxation(&self) -> bool {
        self.relaxed
    }

    fn column(&mut self, min: f64, max: f64, integer: bool) -> Variable {
        let integer = integer && !self.relaxed;
        let def = variable().min(min).max(max);
        let var = self.vars.add(if integer { def.integer() } else { def });
        self.columns.push(Column {
            var,
            min,
            max,
            integer,
        });
        var
    }

    /// A 0/1 decision.
    pub fn binary(&mut self) -> Variable {
        self.column(0.0, 1.0, true)
    }

    /// A continuous variable in `min..=max`.
    pub fn continuous(&mut self, min: f64, max: f64) -> Variable {
        self.column(min, max, false)
    }

    /// An integer variable in `min..=max`.
    pub fn integer(&mut self, min: f64, max: f64) -> Variable {
        self.column(min, max, true)
    }

    pub fn constrain(&mut self, c: Constraint) {
        self.constraints.push(c);
    }

    /// Add `coefficient × expr` to the objective (minimised).
    pub fn cost(&mut self, coefficient: f64, expr: impl good_lp::IntoAffineExpression) {
        if coefficient != 0.0 {
            self.objective.add_mul(coefficient, expr);
        }
    }

    /// Suggest a starting value (a warm start; CBC checks it and uses it if feasible).
    /// Variables without a suggested value start at 0.
    pub fn start(&mut self, var: Variable, value: f64) {
        self.initial.push((var, value));
    }

    /// Tune CBC for this model (e.g. `("preprocess", "off")`), as measured to pay off for
    /// the formulation.
    pub fn cbc_parameter(&mut self, key: &'static str, value: &'static str) {
        self.parameters.push((key, value));
    }

    pub fn variables(&self) -> usize {
        self.columns.len()
    }

    pub fn constraints(&self) -> usize {
        self.constraints.len()
    }

    /// The largest violation of a bound, an integrality requirement or a constraint by
    /// `values` (0 when they form a solution), with what is violated.
    fn violation(&self, values: &HashMap<Variable, f64>) -> (f64, String) {
        let mut worst = (0.0, String::new());
        let mut note = |amount: f64, what: &dyn Fn() -> String| {
            if amount > worst.0 {
                worst = (amount, what());
            }
        };
        for (i, c) in self.columns.iter().enumerate() {
            let v = values.get(&c.var).copied().unwrap_or(0.0);
            note(c.min - v, &|| format!("variable {i} below its lower bound"));
            note(v - c.max, &|| format!("variable {i} above its upper bound"));
            if c.integer {
                note((v - v.round()).abs(), &|| format!("variable {i} not whole"));
            }
        }
        for (i, c) in self.constraints.iter().enumerate() {
            let lhs = c.expression().eval_with(values);
            let amount = if c.is_equality() { lhs.abs() } else { lhs };
            note(amount, &|| format!("constraint {i}"));
        }
        worst
    }
}

/// A solved model: values of its variables and how the solve went.
pub struct Solved {
    values: HashMap<Variable, f64>,
    pub outcome: Outcome,
    /// Why the solve stopped before a proof, or what went wrong in the solver, in words
    /// for the planner (`None` when it ended normally).
    pub note: Option<String>,
}

impl Solved {
    pub fn value(&self, v: Variable) -> f64 {
        self.values.get(&v).copied().unwrap_or(0.0)
    }

    /// Whether a 0/1 variable is set.
    pub fn is_set(&self, v: Variable) -> bool {
        self.value(v) > 0.5
    }
}

/// Tolerance for re-checking a solution (CBC's own integrality tolerance is 1e-7, its
/// primal tolerance 1e-7; values are rounded to whole numbers by the callers).
const TOLERANCE: f64 = 1e-5;

/// How the solver's search ended, read from its raw statuses (for CBC, good_lp calls every
/// search that "finished" optimal, including one whose first relaxation ran out of time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ended {
    /// The search is complete: the solver's incumbent is optimal.
    Complete,
    /// The solver stopped because its incumbent is within the gap asked for.
    OnGap,
    /// The solver stopped before a proof; why, in words.
    Stopped(&'static str),
    /// The solver proved that no solution exists.
    Infeasible,
    /// The solver did not finish its search properly; what it reported, in words.
    Failed(&'static str),
}

impl Ended {
    /// Read CBC's statuses after a solve of `integer` model that took `took` of the
    /// `budget` seconds it was given.
    fn read(raw: &CbcAnswer, integer: bool, took: f64, budget: f64) -> Ended {
        use coin_cbc::raw::{SecondaryStatus as Sec, Status as St};
        // CBC treats a relaxation it could not finish in time as infeasible: believe
        // "infeasible" only from a solve that had time to spare.
        let in_time = took < 0.9 * budget;
        if !integer {
            // A linear program goes straight to Clp, which sets no search status.
            return if raw.proven_optimal {
                Ended::Complete
            } else if raw.proven_infeasible && in_time {
                Ended::Infeasible
            } else if raw.abandoned {
                Ended::Failed("the linear program was abandoned (numerical trouble)")
            } else {
                Ended::Failed("the linear program ended without an optimum")
            };
        }
        let has_incumbent = raw.incumbent.abs() < 1e30;
        match (raw.status, raw.secondary) {
            (St::Finished, Sec::HasSolution) if has_incumbent => Ended::Complete,
            (St::Finished, Sec::StoppedOnGap) if has_incumbent => Ended::OnGap,
            (St::Finished, Sec::HasSolution | Sec::LinearRelaxationInfeasible)
                if !has_incumbent && in_time =>
            {
                Ended::Infeasible
            }
            // With an incumbent, "the relaxation is infeasible" means that no solution beats
            // the incumbent by CBC's cutoff increment (a proof), unless the time ran out:
            // CBC also calls a first relaxation or a preprocessing it could not finish
            // infeasible.
            (St::Finished, Sec::LinearRelaxationInfeasible) if in_time => Ended::Complete,
            (St::Finished, Sec::LinearRelaxationInfeasible) => {
                Ended::Failed("CBC ran out of time in its first relaxation")
            }
            (St::Stopped, Sec::StoppedOnTime) => Ended::Stopped("CBC stopped at the time limit"),
            (St::UserEvent, _) | (_, Sec::StoppedOnUserEvent) => {
                Ended::Stopped("CBC stopped on a stop request (Ctrl-C)")
            }
            (St::Stopped, _) => Ended::Stopped("CBC stopped at a limit before a proof"),
            (St::Abandoned, _) => Ended::Failed("CBC abandoned the search (numerical trouble)"),
            (St::Finished, Sec::LinearRelaxationUnbounded) => {
                Ended::Failed("CBC found the relaxation unbounded")
            }
            (St::Unlaunched, _) => Ended::Failed("CBC did not start its search"),
            _ => Ended::Failed("CBC ended without a solution"),
        }
    }
}

/// Solve `model` to optimality or until the limits of `opts`.
///
/// The status is decided here from CBC's raw statuses and bound, never from good_lp's
/// summary: the answer is optimal only when CBC completed its search on it, or a bound
/// CBC proved meets it ([`Status::proven`]). A bound is CBC's only if CBC got far enough
/// to prove one; otherwise the status is [`Status::NoBound`].
///
/// CBC counts wall-clock time (`timeMode elapsed`) and gets only what is left of the
/// command's deadline; once the deadline has passed or a stop was requested, CBC is not
/// started at all and the warm start (if any) is the answer.
///
/// The answer is re-checked against every bound and constraint of the model before it is
/// returned: should CBC hand back something that is not a solution (it can, when the start
/// solution was already optimal, or when it gives up), the warm start is used if it is
/// one, and otherwise the solve fails with a message instead of passing on a wrong plan.
/// [`Solved::note`] says why a solve stopped early or what went wrong.
///
/// Infeasibility is reported as [`Error::Infeasible`] with `what_if_infeasible`; callers
/// build models that always have a solution (elastic variables), so this is a last resort.
pub fn solve(model: Model, opts: &SolveOptions, what_if_infeasible: &str) -> Result<Solved> {
    let started = Instant::now();
    // CBC often finishes a heuristic or a node past its limit: it is told to stop a little
    // before the deadline so that its answer arrives in time.
    let left = opts.seconds_left();
    let seconds = left - (0.1 * left).min(EARLY);
    if let Some(why) = opts.stop_reason() {
        let start = model.valid_start().ok_or_else(|| {
            Error::Solver(format!(
                "{why} before a solution was found; raise --time-limit"
            ))
        })?;
        return Ok(model.answer(
            start,
            None,
            Some(format!("{why}: the solver was not started")),
            started,
            opts,
        ));
    }
    if let Some(why) = opts.backend.missing() {
        return Err(Error::Solver(why));
    }
    let run = match opts.backend {
        Backend::Cbc => model.run_cbc(opts, seconds),
        #[cfg(feature = "highs")]
        Backend::Highs => highs::run(&model, opts, seconds),
        #[cfg(not(feature = "highs"))]
        Backend::Highs => unreachable!("checked by Backend::missing above"),
    };
    let raw = match run {
        Ok(raw) => raw,
        Err(why) => {
            let start = model
                .valid_start()
                .ok_or_else(|| Error::Solver(format!("{why}; raise --time-limit")))?;
            return Ok(model.answer(start, None, Some(why.to_string()), started, opts));
        }
    };
    let ended = raw.ended;
    // good_lp hands neither solver the objective's constant: their objective values and
    // bounds are without it.
    let constant = good_lp::IntoAffineExpression::constant(&model.objective);
    let incumbent = raw.incumbent + constant;
    let reported = raw.bound + constant;
    if ended == Ended::Infeasible {
        return Err(Error::Infeasible(what_if_infeasible.to_string()));
    }
    let values: HashMap<Variable, f64> = model
        .columns
        .iter()
        .zip(&raw.values)
        .map(|(c, &v)| (c.var, v))
        .collect();
    // A solver without a solution hands back no values at all.
    let (violation, what) = if values.len() == model.columns.len() {
        model.violation(&values)
    } else {
        (f64::INFINITY, "no value for every variable".to_string())
    };
    let answer = if violation <= TOLERANCE {
        values
    } else if let Some(start) = model.valid_start() {
        // CBC handed back no solution (it can, when the start was already optimal): the
        // start is the answer.
        start
    } else {
        return Err(Error::Solver(match ended {
            Ended::Failed(why) => format!("{why}, and there is no valid start to fall back on"),
            _ if incumbent.abs() >= 1e30 => format!(
                "no solution found within {:.1} s; raise --time-limit",
                opts.time_limit
            ),
            _ => format!(
                "CBC returned values that break the model ({what} by {violation:.2e}) and there is no valid start to fall back on"
            ),
        }));
    };
    let objective = model.objective.eval_with(&answer);
    let meets = |v: f64| (v - objective).abs() <= OPTIMALITY_SLACK + 1e-9 * objective.abs();
    let bound = match ended {
        // CBC completed its search on this very answer.
        Ended::Complete if meets(incumbent) => Some(objective),
        // A bound from a search that got past its first relaxation.
        Ended::Complete | Ended::OnGap | Ended::Stopped(_)
            if reported.abs() < 1e30 && reported <= objective + OPTIMALITY_SLACK =>
        {
            Some(reported)
        }
        _ => None,
    };
    let note = match ended {
        Ended::Stopped(why) | Ended::Failed(why) => Some(why.to_string()),
        _ => None,
    };
    Ok(model.answer(answer, bound, note, started, opts))
}

impl Model {
    /// The warm start as a full assignment (variables without a value at 0), if it keeps
    /// every bound and constraint.
    pub(crate) fn valid_start(&self) -> Option<HashMap<Variable, f64>> {
        if self.initial.is_empty() && !self.columns.is_empty() {
            return None;
        }
        let mut start: HashMap<Variable, f64> = self.columns.iter().map(|c| (c.var, 0.0)).collect();
        start.extend(self.initial.iter().copied());
        (self.violation(&start).0 <= TOLERANCE).then_some(start)
    }

    /// The solved model for `values` with the proven `bound` (if any).
    fn answer(
        &self,
        values: HashMap<Variable, f64>,
        bound: Option<f64>,
        note: Option<String>,
        started: Instant,
        opts: &SolveOptions,
    ) -> Solved {
        let objective = self.objective.eval_with(&values);
        let outcome = Outcome {
            seconds: started.elapsed().as_secs_f64(),
            variables: self.variables(),
            constraints: self.constraints(),
            ..Outcome::proven(objective, bound.unwrap_or(f64::NEG_INFINITY), opts.gap)
        };
        Solved {
            values,
            outcome,
            note,
        }
    }

    /// Hand the model to CBC with `seconds` of wall-clock time and the options of `opts`.
    /// With a deadline, CBC runs on a thread of its own and is waited for until [`LATE`]
    /// seconds after the deadline at most; if it has not returned by then (its first
    /// relaxation and its preprocessing do not look at the clock), it is left to finish
    /// on its own and its answer is not used. The error says what happened in words.
    fn run_cbc(&self, opts: &SolveOptions, seconds: f64) -> Result<Answer, &'static str> {
        let started = Instant::now();
        let integer = self.columns.iter().any(|c| c.integer);
        let mut problem: CoinCbcProblem = self
            .vars
            .clone()
            .minimise(self.objective.clone())
            .using(coin_cbc);
        problem.set_parameter("log", if opts.verbose { "1" } else { "0" });
        // Wall-clock seconds, as the planner reads --time-limit (CBC's default is CPU time).
        problem.set_parameter("timeMode", "elapsed");
        problem.set_parameter("seconds", &format!("{}", seconds.max(0.01)));
        problem.set_parameter("ratioGap", &format!("{}", opts.gap.max(0.0)));
        problem.set_parameter("allowableGap", &format!("{OPTIMALITY_SLACK}"));
        if opts.threads > 1 {
            // 100 + n asks CBC for its deterministic parallel mode: same input, same answer.
            problem.set_parameter("threads", &(100 + opts.threads).to_string());
        }
        if !opts.probing {
            problem.set_parameter("probingCuts", "off");
        }
        if !opts.strong_branching {
            problem.set_parameter("strongBranching", "0");
        }
        for (key, value) in &self.parameters {
            problem.set_parameter(key, value);
        }
        for c in &self.constraints {
            problem.add_constraint(c.clone());
        }
        if !self.initial.is_empty() {
            problem = problem.with_initial_solution(self.initial.iter().copied());
        }
        let run = move || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                CbcAnswer::read(&guard::run_cbc(|| problem.as_inner().solve()))
            }))
            .map_err(|_| "CBC reported a status alisplan does not know")
        };
        let mut interrupt = guard::KeepInterrupt::new();
        let raw = wait_for(run, opts, Backend::Cbc, || interrupt.poll())?;
        let took = started.elapsed().as_secs_f64();
        let ended = Ended::read(&raw, integer, took, seconds);
        if opts.verbose {
            eprintln!(
                "cbc: {:?}/{:?} read as {:?}; incumbent {:.6e}, bound {:.6e}; {took:.2} s of {seconds:.2} s",
                raw.status, raw.secondary, ended, raw.incumbent, raw.bound,
            );
        }
        if matches!(ended, Ended::Stopped(_)) && raw.status == coin_cbc::raw::Status::UserEvent {
            // CBC's own Ctrl-C handler caught the signal: the rest of the command stops too.
            crate::budget::request_stop(crate::budget::StopSignal::Interrupt);
        }
        Ok(Answer {
            ended,
            incumbent: raw.incumbent,
            bound: raw.bound,
            values: raw.values,
        })
    }
}

/// What a solver run reported, in the same terms for every backend.
struct Answer {
    ended: Ended,
    /// Objective of the solver's incumbent, without the objective's constant (≥ 1e30 when
    /// it has none).
    incumbent: f64,
    /// The solver's best possible objective, without the objective's constant (meaningful
    /// only once it proved one; ≤ −1e30 when it has none).
    bound: f64,
    /// Column values, in the order the variables were made.
    values: Vec<f64>,
}

/// Run `run` (a solver run) on a thread of its own and wait for it in short slices:
/// `poll` passes a stop request (Ctrl-C, SIGTERM) on to the solver while it runs, and a
/// run that outlasts the command's deadline (by [`LATE`]) or a stop request (by
/// [`STOP_GRACE`]) is given up: it is left to finish on its own and its answer is dropped.
/// The error says what happened in words.
fn wait_for<T: Send + 'static>(
    run: impl FnOnce() -> Result<T, &'static str> + Send + 'static,
    opts: &SolveOptions,
    backend: Backend,
    mut poll: impl FnMut(),
) -> Result<T, &'static str> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The receiver may have given up waiting; then the answer is dropped.
        let _ = tx.send(run());
    });
    let until = opts
        .deadline
        .map(|d| Instant::now() + Duration::from_secs_f64(d.seconds_left() + LATE));
    let mut stop_seen: Option<Instant> = None;
    let cbc = backend == Backend::Cbc;
    loop {
        let mut slice = Duration::from_millis(50);
        if let Some(until) = until {
            slice = slice.min(until.saturating_duration_since(Instant::now()));
        }
        match rx.recv_timeout(slice) {
            Ok(answer) => return answer,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(if cbc {
                    "CBC stopped without an answer"
                } else {
                    "HiGHS stopped without an answer"
                });
            }
            Err(RecvTimeoutError::Timeout) if until.is_some_and(|u| Instant::now() >= u) => {
                return Err(if cbc {
                    "CBC did not return by the time limit (its first relaxation alone outlasts the time left)"
                } else {
                    "HiGHS did not return by the time limit"
                });
            }
            Err(RecvTimeoutError::Timeout) => {
                poll();
                if let Some(signal) = crate::budget::stop_requested() {
                    let seen = *stop_seen.get_or_insert_with(Instant::now);
                    if seen.elapsed().as_secs_f64() >= STOP_GRACE {
                        use crate::budget::StopSignal::{Interrupt, Terminate};
                        return Err(match (signal, cbc) {
                            (Interrupt, true) => {
                                "stopped by Ctrl-C while CBC was still in its first relaxation"
                            }
                            (Terminate, true) => {
                                "stopped by SIGTERM while CBC was still in its first relaxation"
                            }
                            (Interrupt, false) => "stopped by Ctrl-C while HiGHS was running",
                            (Terminate, false) => "stopped by SIGTERM while HiGHS was running",
                        });
                    }
                }
            }
        }
    }
}

/// Seconds a CBC run is still waited for after a stop was requested and passed on to it:
/// in its search CBC stops at the next node and hands back its best plan; in its first
/// relaxation it does not look, and is left to finish on its own.
pub const STOP_GRACE: f64 = 2.0;

#[cfg(unix)]
pub use guard::signal_from_c;

/// Seconds before the command's deadline that CBC is told to stop (at most a tenth of the
/// time it gets).
pub const EARLY: f64 = 0.3;

/// Seconds past the command's deadline that a CBC run is still waited for (it was told to
/// stop [`EARLY`] before the deadline, and usually does).
pub const LATE: f64 = 0.1;

/// What a CBC run reported, copied out of CBC so that it can cross threads.
struct CbcAnswer {
    status: coin_cbc::raw::Status,
    secondary: coin_cbc::raw::SecondaryStatus,
    proven_optimal: bool,
    proven_infeasible: bool,
    abandoned: bool,
    /// Objective of CBC's incumbent (≥ 1e30 when it has none).
    incumbent: f64,
    /// CBC's best possible objective (its bound; meaningless until the first relaxation).
    bound: f64,
    /// Column values, in the order the variables were made.
    values: Vec<f64>,
}

impl CbcAnswer {
    fn read(s: &coin_cbc::Solution) -> CbcAnswer {
        let raw = s.raw();
        CbcAnswer {
            status: raw.status(),
            secondary: raw.secondary_status(),
            proven_optimal: raw.is_proven_optimal(),
            proven_infeasible: raw.is_proven_infeasible(),
            abandoned: raw.is_abandoned(),
            incumbent: raw.obj_value(),
            bound: raw.best_possible_value(),
            values: raw.col_solution().to_vec(),
        }
    }
}

#[cfg(feature = "highs")]
mod highs;

/// Signals around a CBC run.
///
/// CBC installs its own Ctrl-C handler each time it solves and leaves it in place, which
/// would make Ctrl-C do nothing between solves: the handler in place before CBC runs is
/// put back when it returns.
///
/// A crash inside CBC (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT on the thread running it)
/// ends the command with a message and exit code 1 instead of a bare signal; a crash
/// anywhere else goes on to the handler that was there before (Rust's stack-overflow
/// report, or the default action).
mod guard {
    use std::cell::Cell;
    use std::sync::{Mutex, Once};

    /// Serialises CBC runs here, so that one run cannot save the handler another installed.
    static RUN: Mutex<()> = Mutex::new(());

    thread_local! {
        /// Whether this thread is inside CBC.
        static IN_CBC: Cell<bool> = const { Cell::new(false) };
    }

    /// Run `f` (a CBC solve): restore the SIGINT handler it may replace (where its
    /// `signal()` call is not routed to [`signal_from_c`]), and report a crash inside it in
    /// words.
    #[cfg(unix)]
    pub fn run_cbc<T>(f: impl FnOnce() -> T) -> T {
        static CRASH_REPORT: Once = Once::new();
        CRASH_REPORT.call_once(crash::install);
        let _one_at_a_time = RUN.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: sigaction with a null new action only reads the current one into
        // `saved`, which is then put back unchanged; no handler code runs here.
        unsafe {
            let mut saved: libc::sigaction = std::mem::zeroed();
            let have = libc::sigaction(libc::SIGINT, std::ptr::null(), &mut saved) == 0;
            IN_CBC.with(|c| c.set(true));
            let out = f();
            IN_CBC.with(|c| c.set(false));
            if have {
                libc::sigaction(libc::SIGINT, &saved, std::ptr::null_mut());
            }
            out
        }
    }

    /// The Ctrl-C handler the C code believes is in place: 0 for the command's own. CBC's
    /// search puts in its own (calling it asks the search to stop at its next node); CLP
    /// puts in one of its own while it solves a linear program, pointing at that program,
    /// and puts back the one before when it is done, but does not forget the program,
    /// which it then frees. Held locked while it changes and while [`KeepInterrupt::poll`]
    /// calls it: the handler called is the one in place, whose program is alive, as with
    /// a real signal. (The first handler ever put in, called before instead, is CLP's on a
    /// large part, whose first solve is a linear program: a stop could write into a
    /// program freed long before.)
    #[cfg(unix)]
    static C_INTERRUPT: Mutex<usize> = Mutex::new(0);

    /// What the C library's `signal()` does in the `alisplan` binary, which routes it here
    /// (see `main.rs`); only CBC and CLP call it. CBC puts in a Ctrl-C handler of its own
    /// each time it solves, and CLP one inside it; had they their way, a Ctrl-C while CBC
    /// runs would reach CBC alone (and, while no search has started, nobody at all). So for
    /// SIGINT the handler is only noted and the command's handler stays in place;
    /// `KeepInterrupt` passes a stop on to CBC. Any other signal is set as `signal()`
    /// sets it (the handler, no extra mask, interrupted system calls restarted).
    ///
    /// # Safety
    /// As for `signal()`: `handler` is `SIG_DFL`, `SIG_IGN` or a function taking the
    /// signal number.
    #[cfg(unix)]
    pub unsafe fn signal_from_c(
        signum: libc::c_int,
        handler: libc::sighandler_t,
    ) -> libc::sighandler_t {
        // SAFETY: sigaction with plain data read from or written for the kernel.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            if signum == libc::SIGINT {
                libc::sigaction(signum, std::ptr::null(), &mut old);
                // The command's own handler (or the default) asked back: no C handler.
                let noted = if handler == old.sa_sigaction || handler <= libc::SIG_IGN {
                    0
                } else {
                    handler
                };
                let previous = std::mem::replace(
                    &mut *C_INTERRUPT.lock().unwrap_or_else(|e| e.into_inner()),
                    noted,
                );
                return if previous == 0 {
                    old.sa_sigaction
                } else {
                    previous
                };
            }
            let mut new: libc::sigaction = std::mem::zeroed();
            new.sa_sigaction = handler;
            new.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut new.sa_mask);
            if libc::sigaction(signum, &new, &mut old) != 0 {
                return libc::SIG_ERR;
            }
            old.sa_sigaction
        }
    }

    /// Passes a stop request (Ctrl-C or SIGTERM) on to a CBC run in progress, by calling
    /// the Ctrl-C handler the C code has in place as the signal would have: CBC's search
    /// then stops at its next node and hands back its best solution. (In its first
    /// relaxation CBC does not look, nor does CLP solving a linear program alone; the run
    /// is then given up after [`super::STOP_GRACE`].)
    ///
    /// Where CBC's `signal()` call is not routed to [`signal_from_c`] (the library's own
    /// tests), CBC replaces the command's handler while it runs; [`KeepInterrupt::poll`]
    /// then puts the command's handler back.
    #[cfg(unix)]
    pub struct KeepInterrupt {
        ours: Option<libc::sigaction>,
    }

    #[cfg(unix)]
    impl KeepInterrupt {
        pub fn new() -> KeepInterrupt {
            // SAFETY: sigaction with a null new action only reads the current one.
            let ours = unsafe {
                let mut a: libc::sigaction = std::mem::zeroed();
                (libc::sigaction(libc::SIGINT, std::ptr::null(), &mut a) == 0).then_some(a)
            };
            KeepInterrupt { ours }
        }

        /// Restore the command's handler if CBC replaced it; tell CBC to stop once a stop
        /// was requested (again at each poll, which does no harm: it only sets a flag).
        pub fn poll(&mut self) {
            // SAFETY: reading and re-installing an action read from the kernel; CBC's and
            // CLP's handlers are plain `void(int)` functions that only flag the search or
            // the linear program in progress, called while they are in place (the lock on
            // `C_INTERRUPT`), as on a real signal.
            unsafe {
                if let Some(ours) = self.ours {
                    let mut now: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(libc::SIGINT, std::ptr::null(), &mut now) == 0
                        && now.sa_sigaction != ours.sa_sigaction
                    {
                        libc::sigaction(libc::SIGINT, &ours, std::ptr::null_mut());
                    }
                }
                if crate::budget::stop_requested().is_some() {
                    let in_place = C_INTERRUPT.lock().unwrap_or_else(|e| e.into_inner());
                    if *in_place > libc::SIG_IGN {
                        let handler: extern "C" fn(libc::c_int) = std::mem::transmute(*in_place);
                        handler(libc::SIGINT);
                    }
                }
            }
        }
    }

    #[cfg(not(unix))]
    pub struct KeepInterrupt;

    #[cfg(not(unix))]
    impl KeepInterrupt {
        pub fn new() -> KeepInterrupt {
            KeepInterrupt
        }
        pub fn poll(&mut self) {}
    }

    #[cfg(not(unix))]
    pub fn run_cbc<T>(f: impl FnOnce() -> T) -> T {
        let _one_at_a_time = RUN.lock().unwrap_or_else(|e| e.into_inner());
        f()
    }

    #[cfg(unix)]
    mod crash {
        use std::sync::OnceLock;

        const SIGNALS: [libc::c_int; 5] = [
            libc::SIGSEGV,
            libc::SIGBUS,
            libc::SIGFPE,
            libc::SIGILL,
            libc::SIGABRT,
        ];

        /// The actions in place before, by position in [`SIGNALS`]; set once, before the
        /// handler is installed, and only read afterwards.
        static PREVIOUS: OnceLock<Vec<libc::sigaction>> = OnceLock::new();

        const MESSAGE: &[u8] = b"error: the solver (CBC) crashed while solving; alisplan stopped. This is a fault in CBC, not in the input: try another --time-limit, or report the instance.\n";

        pub fn install() {
            // SAFETY: the actions are plain data filled in by sigaction; the handler below
            // only calls async-signal-safe functions (write, _exit, sigaction).
            unsafe {
                let previous = SIGNALS
                    .iter()
                    .map(|&sig| {
                        let mut old: libc::sigaction = std::mem::zeroed();
                        libc::sigaction(sig, std::ptr::null(), &mut old);
                        old
                    })
                    .collect();
                if PREVIOUS.set(previous).is_err() {
                    return;
                }
                for &sig in &SIGNALS {
                    let mut act: libc::sigaction = std::mem::zeroed();
                    act.sa_sigaction = on_fatal as *const () as usize;
                    act.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                    libc::sigemptyset(&mut act.sa_mask);
                    libc::sigaction(sig, &act, std::ptr::null_mut());
                }
            }
        }

        extern "C" fn on_fatal(sig: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
            // Reading a const-initialised thread-local is a plain memory read.
            if super::IN_CBC.with(|c| c.get()) {
                // SAFETY: write and _exit are async-signal-safe.
                unsafe {
                    libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
                    libc::_exit(1);
                }
            }
            // Not in CBC: put the previous action back and return; the fault happens again
            // and that action handles it (an abort() re-raises by itself).
            if let Some(previous) = PREVIOUS.get()
                && let Some(k) = SIGNALS.iter().position(|&s| s == sig)
            {
                // SAFETY: sigaction is async-signal-safe; the action was read at install.
                unsafe {
                    libc::sigaction(sig, &previous[k], std::ptr::null_mut());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use good_lp::constraint;

    fn opts() -> SolveOptions {
        SolveOptions {
            time_limit: 10.0,
            gap: 0.0,
            threads: 1,
            ..SolveOptions::default()
        }
    }

    /// The solvers this build has: the tests below run on each (HiGHS in a build with
    /// `--features highs`, as `.ci/run` makes one).
    fn backends() -> Vec<SolveOptions> {
        [Backend::Cbc, Backend::Highs]
            .into_iter()
            .filter(|b| b.is_built())
            .map(|backend| SolveOptions { backend, ..opts() })
            .collect()
    }

    /// A small knapsack whose optimum is known by hand: items (value, weight)
    /// (10,5) (7,4) (5,3) (3,2), capacity 9 → take the first two, value 17.
    #[test]
    fn cbc_is_linked_and_solves_a_knapsack_to_proven_optimality() {
        for o in backends() {
            let items = [(10.0, 5.0), (7.0, 4.0), (5.0, 3.0), (3.0, 2.0)];
            let mut m = Model::new();
            let x: Vec<Variable> = items.iter().map(|_| m.binary()).collect();
            let mut weight = Expression::from(0.0);
            for (v, &(value, w)) in x.iter().zip(&items) {
                m.cost(-value, *v);
                weight.add_mul(w, *v);
            }
            m.constrain(constraint!(weight <= 9.0));
            let s = solve(m, &o, "cannot happen").unwrap();
            assert_eq!(s.outcome.status, Status::Optimal, "{:?}", o.backend);
            assert!((s.outcome.objective + 17.0).abs() < 1e-6);
            assert_eq!(s.outcome.gap, 0.0);
            let chosen: Vec<bool> = x.iter().map(|&v| s.is_set(v)).collect();
            assert_eq!(chosen, [true, true, false, false], "{:?}", o.backend);
        }
    }

    /// Without probing or strong branching (as the search's re-solves run) a model still
    /// solves to the same proven optimum. The model is a knapsack whose relaxation is
    /// fractional, so that the solver must branch; its optimum is found by trying every
    /// choice.
    #[test]
    fn a_solve_without_probing_or_strong_branching_proves_the_same_optimum() {
        let weights = [5.0, 7.0, 8.0, 9.0, 11.0, 12.0, 13.0, 17.0];
        let values = [9.0, 13.0, 15.0, 16.0, 20.0, 21.0, 24.0, 30.0];
        let room = 38.0;
        let best = (0..1u32 << weights.len())
            .filter_map(|set| {
                let items = (0..weights.len()).filter(|i| set & (1 << i) != 0);
                let (w, v) = items.fold((0.0, 0.0), |(w, v), i| (w + weights[i], v + values[i]));
                (w <= room).then_some(v)
            })
            .fold(0.0, f64::max);
        for o in backends() {
            for (probing, strong_branching) in [(true, true), (false, true), (false, false)] {
                let mut m = Model::new();
                let x: Vec<Variable> = weights.iter().map(|_| m.binary()).collect();
                let mut load = Expression::from(0.0);
                for ((v, &w), &value) in x.iter().zip(&weights).zip(&values) {
                    m.cost(-value, *v);
                    load.add_mul(w, *v);
                }
                m.constrain(constraint!(load <= room));
                let opts = SolveOptions {
                    probing,
                    strong_branching,
                    ..o.clone()
                };
                let s = solve(m, &opts, "cannot happen").unwrap();
                assert_eq!(s.outcome.status, Status::Optimal, "{:?}", o.backend);
                assert!(
                    (s.outcome.objective + best).abs() < 1e-6,
                    "{:?}, probing {probing}, strong branching {strong_branching}: {} against {}",
                    o.backend,
                    -s.outcome.objective,
                    best
                );
            }
        }
    }

    #[test]
    fn reports_infeasibility_with_the_callers_words() {
        for o in backends() {
            let mut m = Model::new();
            let x = m.binary();
            m.constrain(constraint!(x >= 2.0));
            match solve(m, &o, "nobody fits") {
                Err(Error::Infeasible(why)) => assert_eq!(why, "nobody fits"),
                other => panic!(
                    "{:?}: expected infeasible, got {:?}",
                    o.backend,
                    other.map(|s| s.outcome)
                ),
            }
        }
    }

    #[test]
    fn accepts_a_warm_start() {
        for o in backends() {
            let mut m = Model::new();
            let x = m.integer(0.0, 10.0);
            let y = m.integer(0.0, 10.0);
            m.cost(-3.0, x);
            m.cost(-2.0, y);
            m.constrain(constraint!(x + y <= 4.0));
            m.constrain(constraint!(x <= 3.0));
            m.start(x, 1.0);
            m.start(y, 3.0);
            let s = solve(m, &o, "").unwrap();
            assert!((s.outcome.objective + 11.0).abs() < 1e-6, "{:?}", o.backend);
        }
    }

    /// A constant in the objective is part of the objective and of its bound, on every
    /// backend (good_lp does not hand it to HiGHS), and a relaxation is solved as a linear
    /// program with a proven bound: min 100 + x + y with x + 2y >= 3, x, y in 0..=2 has
    /// the relaxed optimum 101.5 (x = 0, y = 1.5) and the whole one 102 (x = 1, y = 1).
    #[test]
    fn the_objective_constant_counts_and_relaxations_are_linear_programs() {
        for o in backends() {
            for (relaxed, optimum) in [(true, 101.5), (false, 102.0)] {
                let mut m = if relaxed {
                    Model::relaxation()
                } else {
                    Model::new()
                };
                let x = m.integer(0.0, 2.0);
                let y = m.integer(0.0, 2.0);
                m.cost(1.0, x + y + 100.0);
                m.constrain(constraint!(x + 2.0 * y >= 3.0));
                let s = solve(m, &o, "").unwrap();
                let what = format!("{:?}, relaxed {relaxed}", o.backend);
                assert_eq!(s.outcome.status, Status::Optimal, "{what}");
                assert!((s.outcome.objective - optimum).abs() < 1e-6, "{what}");
                assert!((s.outcome.bound - optimum).abs() < 1e-6, "{what}");
            }
        }
    }

    /// A build without HiGHS refuses it in words that say how to get it, before any solve.
    #[cfg(not(feature = "highs"))]
    #[test]
    fn a_build_without_highs_says_how_to_get_it() {
        let o = SolveOptions {
            backend: Backend::Highs,
            ..opts()
        };
        let mut m = Model::new();
        let x = m.binary();
        m.cost(1.0, x);
        match solve(m, &o, "") {
            Err(Error::Solver(why)) => assert!(why.contains("--features highs"), "{why}"),
            other => panic!("expected a refusal, got {:?}", other.map(|s| s.outcome)),
        }
    }

    #[test]
    fn answers_are_rechecked_against_bounds_integrality_and_rows() {
        let mut m = Model::new();
        let x = m.binary();
        let y = m.binary();
        let z = m.continuous(0.0, 2.0);
        m.constrain(constraint!(x + y <= 1.0));
        let at = |a: f64, b: f64, c: f64| HashMap::from([(x, a), (y, b), (z, c)]);
        assert_eq!(m.violation(&at(1.0, 0.0, 2.0)).0, 0.0);
        assert_eq!(
            m.violation(&at(1.0, 1.0, 0.0)).0,
            1.0,
            "row x + y <= 1 broken"
        );
        assert_eq!(m.violation(&at(0.5, 0.0, 0.0)).0, 0.5, "binary not whole");
        assert_eq!(m.violation(&at(0.0, 0.0, 3.0)).0, 1.0, "upper bound broken");
    }

    /// A crash on the thread running CBC ends the process with a message and exit code 1
    /// (checked in a child process: this test binary run again on just this test).
    #[cfg(unix)]
    #[test]
    fn a_crash_inside_cbc_ends_with_a_message_and_exit_code_1() {
        const NAME: &str = "solver::tests::a_crash_inside_cbc_ends_with_a_message_and_exit_code_1";
        if std::env::var_os("ALISPLAN_TEST_CRASH_CHILD").is_some() {
            // SAFETY: raising a signal; the handler under test ends the process.
            guard::run_cbc(|| unsafe { libc::raise(libc::SIGSEGV) });
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", NAME, "--nocapture", "--test-threads", "1"])
            .env("ALISPLAN_TEST_CRASH_CHILD", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("the solver (CBC) crashed"), "{stderr}");
    }

    /// CBC's `signal(SIGINT, …)` is only noted (the command keeps Ctrl-C), and asking back
    /// what it found puts nothing in; other signals are set as the C library sets them.
    #[cfg(unix)]
    #[test]
    fn c_code_cannot_take_ctrl_c_away_from_the_command() {
        extern "C" fn quiet(_: libc::c_int) {}
        let action = |sig| {
            // SAFETY: reading the current action only.
            unsafe {
                let mut a: libc::sigaction = std::mem::zeroed();
                libc::sigaction(sig, std::ptr::null(), &mut a);
                a.sa_sigaction
            }
        };
        let before = action(libc::SIGINT);
        let h = quiet as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: `quiet` is a plain signal handler.
        unsafe {
            let found = signal_from_c(libc::SIGINT, h);
            assert_eq!(found, before, "the caller is told what was in place");
            assert_eq!(
                action(libc::SIGINT),
                before,
                "the command keeps its handler"
            );
            assert_eq!(
                signal_from_c(libc::SIGINT, found),
                h,
                "the noted handler is handed back"
            );
            assert_eq!(action(libc::SIGINT), before);
            let old = signal_from_c(libc::SIGUSR2, h);
            assert_eq!(action(libc::SIGUSR2), h, "other signals are set");
            signal_from_c(libc::SIGUSR2, old);
        }
    }

    #[test]
    fn gaps_are_relative_and_never_negative() {
        assert_eq!(relative_gap(100.0, 90.0), 0.1);
        assert_eq!(relative_gap(100.0, 101.0), 0.0);
        assert_eq!(relative_gap(0.5, 0.0), 0.5);
        assert_eq!(relative_gap(10.0, f64::NEG_INFINITY), 1.0, "no bound known");
    }
}
