//! The MIP solver behind every model: COIN-OR CBC (compiled from source by `cbc-src`)
//! through `good_lp`. Models are built as a [`Model`], solved with [`solve`], and every
//! result carries its status, objective, best bound and gap.

use std::collections::HashMap;
use std::time::Instant;

use good_lp::solvers::coin_cbc::{CoinCbcProblem, coin_cbc};
use good_lp::{
    Constraint, Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable,
    WithInitialSolution, variable,
};
use serde::Serialize;

use crate::budget::Deadline;
use crate::error::{Error, Result};

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal (within CBC's tolerances).
    Optimal,
    /// Stopped at the requested relative gap.
    GapLimit,
    /// Stopped at the time limit with a solution; see the gap.
    TimeLimit,
    /// No model needed solving (e.g. nothing to place).
    Trivial,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Optimal | Status::Trivial => "optimal",
            Status::GapLimit => "within gap limit",
            Status::TimeLimit => "time limit reached",
        }
    }

    pub fn is_optimal(self) -> bool {
        matches!(self, Status::Optimal | Status::Trivial)
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
    /// The wall-clock deadline of the whole command, if it has one: no solve runs past it.
    pub deadline: Option<Deadline>,
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
            deadline: None,
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

    /// Combine the outcomes of independent parts solved separately.
    pub fn combine(parts: &[Outcome]) -> Outcome {
        let Some(first) = parts.first() else {
            return Outcome::trivial(0.0);
        };
        let objective: f64 = parts.iter().map(|p| p.objective).sum();
        let bound: f64 = parts.iter().map(|p| p.bound).sum();
        let status = parts
            .iter()
            .map(|p| p.status)
            .max_by_key(|s| match s {
                Status::Trivial => 0,
                Status::Optimal => 1,
                Status::GapLimit => 2,
                Status::TimeLimit => 3,
            })
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
        }
    }

    fn column(&mut self, min: f64, max: f64, integer: bool) -> Variable {
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

/// Solve `model` to optimality or until the limits of `opts`.
///
/// The answer is re-checked against every bound and constraint of the model before it is
/// returned: should CBC hand back something that is not a solution (it can, when the start
/// solution was already optimal), the warm start is used if it is one, and otherwise the
/// solve fails loudly instead of passing on a wrong plan.
///
/// Infeasibility is reported as [`Error::Infeasible`] with `what_if_infeasible`; callers
/// build models that always have a solution (elastic variables), so this is a last resort.
pub fn solve(model: Model, opts: &SolveOptions, what_if_infeasible: &str) -> Result<Solved> {
    let started = Instant::now();
    let variables = model.variables();
    let constraints = model.constraints();
    let mut problem: CoinCbcProblem = model
        .vars
        .clone()
        .minimise(model.objective.clone())
        .using(coin_cbc);
    problem.set_parameter("log", if opts.verbose { "1" } else { "0" });
    problem.set_parameter("seconds", &format!("{}", opts.seconds_left().max(0.01)));
    problem.set_parameter("ratioGap", &format!("{}", opts.gap.max(0.0)));
    problem.set_parameter("allowableGap", "1e-6");
    if opts.threads > 1 {
        // 100 + n asks CBC for its deterministic parallel mode: same input, same answer.
        problem.set_parameter("threads", &(100 + opts.threads).to_string());
    }
    for (key, value) in &model.parameters {
        problem.set_parameter(key, value);
    }
    for c in &model.constraints {
        problem.add_constraint(c.clone());
    }
    if !model.initial.is_empty() {
        problem = problem.with_initial_solution(model.initial.iter().copied());
    }
    let solution = match problem.solve() {
        Ok(s) => s,
        Err(ResolutionError::Infeasible) => {
            return Err(Error::Infeasible(what_if_infeasible.to_string()));
        }
        Err(e) => return Err(Error::Solver(e.to_string())),
    };
    let raw = solution.model();
    let status = match solution.status() {
        good_lp::SolutionStatus::Optimal => Status::Optimal,
        good_lp::SolutionStatus::GapLimit => Status::GapLimit,
        good_lp::SolutionStatus::TimeLimit => Status::TimeLimit,
    };
    let reported_bound = raw.best_possible_value();
    let values: HashMap<Variable, f64> = model
        .columns
        .iter()
        .map(|c| (c.var, solution.value(c.var)))
        .collect();
    let (violation, what) = model.violation(&values);
    let (values, status) = if violation <= TOLERANCE && raw.obj_value().abs() < 1e40 {
        (values, status)
    } else {
        let mut start: HashMap<Variable, f64> =
            model.columns.iter().map(|c| (c.var, 0.0)).collect();
        start.extend(model.initial.iter().copied());
        if model.initial.is_empty() || model.violation(&start).0 > TOLERANCE {
            return Err(Error::Solver(if raw.obj_value().abs() >= 1e40 {
                format!(
                    "no solution found within {} s; raise --time-limit",
                    opts.time_limit
                )
            } else {
                format!(
                    "CBC returned values that break the model ({what} by {violation:.2e}) and there is no valid start to fall back on"
                )
            }));
        }
        // CBC stopped on the start without reporting it: the start is the answer.
        (start, status)
    };
    let objective = model.objective.eval_with(&values);
    let bound = if status == Status::Optimal {
        objective
    } else if reported_bound.is_finite() {
        reported_bound.min(objective)
    } else {
        // No bound known (the time ran out before the first relaxation was solved).
        f64::NEG_INFINITY
    };
    let outcome = Outcome {
        status,
        objective,
        bound,
        gap: relative_gap(objective, bound),
        seconds: started.elapsed().as_secs_f64(),
        variables,
        constraints,
    };
    Ok(Solved { values, outcome })
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
            verbose: false,
            deadline: None,
        }
    }

    /// A small knapsack whose optimum is known by hand: items (value, weight)
    /// (10,5) (7,4) (5,3) (3,2), capacity 9 → take the first two, value 17.
    #[test]
    fn cbc_is_linked_and_solves_a_knapsack_to_proven_optimality() {
        let items = [(10.0, 5.0), (7.0, 4.0), (5.0, 3.0), (3.0, 2.0)];
        let mut m = Model::new();
        let x: Vec<Variable> = items.iter().map(|_| m.binary()).collect();
        let mut weight = Expression::from(0.0);
        for (v, &(value, w)) in x.iter().zip(&items) {
            m.cost(-value, *v);
            weight.add_mul(w, *v);
        }
        m.constrain(constraint!(weight <= 9.0));
        let s = solve(m, &opts(), "cannot happen").unwrap();
        assert_eq!(s.outcome.status, Status::Optimal);
        assert!((s.outcome.objective + 17.0).abs() < 1e-6);
        assert_eq!(s.outcome.gap, 0.0);
        let chosen: Vec<bool> = x.iter().map(|&v| s.is_set(v)).collect();
        assert_eq!(chosen, [true, true, false, false]);
    }

    #[test]
    fn reports_infeasibility_with_the_callers_words() {
        let mut m = Model::new();
        let x = m.binary();
        m.constrain(constraint!(x >= 2.0));
        match solve(m, &opts(), "nobody fits") {
            Err(Error::Infeasible(why)) => assert_eq!(why, "nobody fits"),
            other => panic!("expected infeasible, got {:?}", other.map(|s| s.outcome)),
        }
    }

    #[test]
    fn accepts_a_warm_start() {
        let mut m = Model::new();
        let x = m.integer(0.0, 10.0);
        let y = m.integer(0.0, 10.0);
        m.cost(-3.0, x);
        m.cost(-2.0, y);
        m.constrain(constraint!(x + y <= 4.0));
        m.constrain(constraint!(x <= 3.0));
        m.start(x, 1.0);
        m.start(y, 3.0);
        let s = solve(m, &opts(), "").unwrap();
        assert!((s.outcome.objective + 11.0).abs() < 1e-6);
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

    #[test]
    fn gaps_are_relative_and_never_negative() {
        assert_eq!(relative_gap(100.0, 90.0), 0.1);
        assert_eq!(relative_gap(100.0, 101.0), 0.0);
        assert_eq!(relative_gap(0.5, 0.0), 0.5);
        assert_eq!(relative_gap(10.0, f64::NEG_INFINITY), 1.0, "no bound known");
    }
}
