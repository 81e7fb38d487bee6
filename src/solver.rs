//! The MIP solver behind every model: COIN-OR CBC (compiled from source by `cbc-src`)
//! through `good_lp`. Models are built as a [`Model`], solved with [`solve`], and every
//! result carries its status, objective, best bound and gap.

use std::time::Instant;

use good_lp::solvers::coin_cbc::{CoinCbcProblem, CoinCbcSolution, coin_cbc};
use good_lp::{
    Constraint, Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable,
    WithInitialSolution, variable,
};
use serde::Serialize;

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
    pub time_limit: f64,
    pub gap: f64,
    pub threads: u32,
    /// Print the solver's own log to standard output.
    pub verbose: bool,
}

impl SolveOptions {
    pub fn from_settings(s: &crate::model::settings::SolverSettings) -> SolveOptions {
        SolveOptions {
            time_limit: s.time_limit,
            gap: s.gap,
            threads: s.threads,
            verbose: false,
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

/// (objective − bound) / max(|objective|, 1), never negative.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    ((objective - bound) / objective.abs().max(1.0)).max(0.0)
}

/// A minimisation model under construction.
pub struct Model {
    vars: ProblemVariables,
    constraints: Vec<Constraint>,
    objective: Expression,
    initial: Vec<(Variable, f64)>,
    parameters: Vec<(&'static str, &'static str)>,
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
            constraints: Vec::new(),
            objective: Expression::from(0.0),
            initial: Vec::new(),
            parameters: Vec::new(),
        }
    }

    /// A 0/1 decision.
    pub fn binary(&mut self) -> Variable {
        self.vars.add(variable().binary())
    }

    /// A continuous variable in `min..=max`.
    pub fn continuous(&mut self, min: f64, max: f64) -> Variable {
        self.vars.add(variable().min(min).max(max))
    }

    /// An integer variable in `min..=max`.
    pub fn integer(&mut self, min: f64, max: f64) -> Variable {
        self.vars.add(variable().integer().min(min).max(max))
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
    pub fn start(&mut self, var: Variable, value: f64) {
        self.initial.push((var, value));
    }

    /// Tune CBC for this model (e.g. `("preprocess", "off")`), as measured to pay off for
    /// the formulation.
    pub fn cbc_parameter(&mut self, key: &'static str, value: &'static str) {
        self.parameters.push((key, value));
    }

    pub fn variables(&self) -> usize {
        self.vars.len()
    }

    pub fn constraints(&self) -> usize {
        self.constraints.len()
    }
}

/// A solved model: values of its variables and how the solve went.
pub struct Solved {
    solution: CoinCbcSolution,
    pub outcome: Outcome,
}

impl Solved {
    pub fn value(&self, v: Variable) -> f64 {
        self.solution.value(v)
    }

    /// Whether a 0/1 variable is set.
    pub fn is_set(&self, v: Variable) -> bool {
        self.solution.value(v) > 0.5
    }
}

/// Solve `model` to optimality or until the limits of `opts`.
///
/// Infeasibility is reported as [`Error::Infeasible`] with `what_if_infeasible`; callers
/// build models that always have a solution (elastic variables), so this is a last resort.
pub fn solve(model: Model, opts: &SolveOptions, what_if_infeasible: &str) -> Result<Solved> {
    let started = Instant::now();
    let variables = model.variables();
    let constraints = model.constraints();
    let mut problem: CoinCbcProblem = model.vars.minimise(model.objective).using(coin_cbc);
    problem.set_parameter("log", if opts.verbose { "1" } else { "0" });
    problem.set_parameter("seconds", &format!("{}", opts.time_limit.max(0.01)));
    problem.set_parameter("ratioGap", &format!("{}", opts.gap.max(0.0)));
    problem.set_parameter("allowableGap", "1e-6");
    if opts.threads > 1 {
        // 100 + n asks CBC for its deterministic parallel mode: same input, same answer.
        problem.set_parameter("threads", &(100 + opts.threads).to_string());
    }
    for (key, value) in &model.parameters {
        problem.set_parameter(key, value);
    }
    for c in model.constraints {
        problem.add_constraint(c);
    }
    if !model.initial.is_empty() {
        problem = problem.with_initial_solution(model.initial);
    }
    let solution = match problem.solve() {
        Ok(s) => s,
        Err(ResolutionError::Infeasible) => {
            return Err(Error::Infeasible(what_if_infeasible.to_string()));
        }
        Err(e) => return Err(Error::Solver(e.to_string())),
    };
    let raw = solution.model();
    let objective = raw.obj_value();
    if !objective.is_finite() || objective.abs() >= 1e40 {
        return Err(Error::Solver(format!(
            "no solution found within {} s; raise --time-limit",
            opts.time_limit
        )));
    }
    let proven = raw.is_proven_optimal();
    let status = match solution.status() {
        good_lp::SolutionStatus::Optimal if proven => Status::Optimal,
        good_lp::SolutionStatus::Optimal => Status::Optimal,
        good_lp::SolutionStatus::GapLimit => Status::GapLimit,
        good_lp::SolutionStatus::TimeLimit => Status::TimeLimit,
    };
    let bound = if status == Status::Optimal {
        objective
    } else {
        let b = raw.best_possible_value();
        if b.is_finite() && b <= objective {
            b
        } else {
            objective
        }
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
    Ok(Solved { solution, outcome })
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
    fn gaps_are_relative_and_never_negative() {
        assert_eq!(relative_gap(100.0, 90.0), 0.1);
        assert_eq!(relative_gap(100.0, 101.0), 0.0);
        assert_eq!(relative_gap(0.5, 0.0), 0.5);
    }
}
