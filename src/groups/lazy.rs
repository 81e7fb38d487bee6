//! Solving the strong formulation of [`super::model`]: the start-spread rule is added
//! lazily, venue by venue, between solves, with the groups re-cut by
//! [`super::recut`] and repaired by [`super::heuristic`] in between.

use std::time::{Duration, Instant};

use super::limits::Rules;
use super::model::{Spread, build, build_with, extract, warm_start};
use super::recut::recut_for_spread;
use super::{Draft, Pattern, Problem, heuristic};
use crate::error::{Error, Result};
use crate::solver::{Outcome, SolveOptions, Status, relative_gap, solve as run_solver};

/// Solve the strong model, starting from `start` when given; the groups and the outcome.
///
/// The start spread is added lazily, venue by venue. First it is left out everywhere: a
/// relaxation without cohort windows, much easier for the solver, whose bound is a bound
/// for the full problem. The groups found at each venue and pattern are then re-cut so that
/// every group keeps the spread (same members at the venue, same number of groups and
/// supervisors, so travel is unchanged); if that needs no size outside the range the
/// relaxation used, the balance cannot rise either and the groups are optimal. Otherwise
/// the re-cut groups are kept as the best known grouping, the venues concerned get their
/// cohort windows, and the model is solved again from that grouping, until the gap is
/// closed (or within `--gap`) or time runs out. At worst every venue has its windows: the
/// full model.
pub fn solve(
    p: &Problem,
    opts: &SolveOptions,
    start: Option<&[Draft]>,
    rules: &Rules,
) -> Result<(Vec<Draft>, Outcome)> {
    let lazy = rules.start_spread && p.windows().len() > 1;
    let first = if rules.start_spread && !lazy {
        Spread::Windows
    } else {
        Spread::Relaxed
    };
    let mut spread = vec![first; p.venues.len()];
    let mut spent = 0.0;
    let mut best: Option<(Vec<Draft>, f64)> = None;
    let mut bound = f64::NEG_INFINITY;
    let (mut variables, mut constraints) = (0, 0);
    loop {
        let (mut m, v) = build(p, rules, &spread);
        variables = variables.max(m.variables());
        constraints = constraints.max(m.constraints());
        let given = best
            .as_ref()
            .map(|b| b.0.clone())
            .or(start.map(<[Draft]>::to_vec));
        if let Some(drafts) = &given {
            warm_start(&mut m, p, &v, drafts);
        }
        let left = SolveOptions {
            time_limit: opts.time_limit - spent,
            ..opts.clone()
        };
        if left.time_limit < 0.5 && best.is_some() {
            break;
        }
        let solved = match run_solver(m, &left, "no grouping keeps every group rule at once") {
            Ok(s) => s,
            // Out of time without a new grouping: keep the best one found.
            Err(Error::Solver(_)) if best.is_some() => break,
            Err(e) => return Err(e),
        };
        spent += solved.outcome.seconds;
        bound = bound.max(solved.outcome.bound);
        let drafts = match extract(p, &v, &solved) {
            Ok(d) if p.check_with(&d, false).is_ok() => d,
            // CBC may hand back an empty solution when the start is already optimal.
            other => match &given {
                Some(s) if p.evaluate(s).objective() <= solved.outcome.objective + 1e-6 => {
                    s.clone()
                }
                _ => other?,
            },
        };
        let stopped_early = !solved.outcome.status.is_optimal();
        let windowed: Vec<bool> = spread.iter().map(|&s| s == Spread::Windows).collect();
        let (mut candidates, failed) = if windowed.iter().all(|&w| w) {
            (vec![drafts], Vec::new())
        } else {
            let began = Instant::now();
            let remaining = (opts.time_limit - spent).max(0.5);
            let short = SolveOptions {
                time_limit: remaining / 4.0,
                ..opts.clone()
            };
            let (recut, failed) = recut_for_spread(p, &drafts, &windowed, &short);
            let mut c: Vec<Vec<Draft>> = recut.into_iter().collect();
            if !failed.is_empty() {
                // Also move members between groups and venues until the spread holds.
                let until = Instant::now() + Duration::from_secs_f64((remaining / 10.0).min(5.0));
                c.extend(heuristic::repair(p, &drafts, until));
            }
            spent += began.elapsed().as_secs_f64();
            (c, failed)
        };
        for c in candidates.drain(..) {
            let value = p.evaluate(&c).objective();
            if best.as_ref().is_none_or(|b| value < b.1) {
                best = Some((c, value));
            }
        }
        let closed = best
            .as_ref()
            .is_some_and(|b| relative_gap(b.1, bound) <= opts.gap.max(1e-9));
        if closed || failed.is_empty() || stopped_early {
            break;
        }
        // Tighten the spread where the re-cut failed: the staircase conditions first,
        // cohort windows if it fails again.
        for j in failed {
            spread[j] = match spread[j] {
                Spread::Relaxed => Spread::Staircase,
                _ => Spread::Windows,
            };
        }
    }
    let Some((drafts, objective)) = best else {
        return Err(Error::Solver(format!(
            "no grouping found within {} s; raise --time-limit",
            opts.time_limit
        )));
    };
    let bound = bound.min(objective);
    let gap = relative_gap(objective, bound);
    let status = if gap <= 1e-9 {
        Status::Optimal
    } else if gap <= opts.gap {
        Status::GapLimit
    } else {
        Status::TimeLimit
    };
    let outcome = Outcome {
        status,
        objective,
        bound,
        gap,
        seconds: spent,
        variables,
        constraints,
    };
    Ok((drafts, outcome))
}

/// The linear relaxation of the strong model without cohort windows: for every doctor the
/// venue and pattern of the class they are most in, or `None` if the solve fails.
pub(crate) fn lp_classes(p: &Problem, opts: &SolveOptions) -> Option<Vec<(usize, Pattern)>> {
    let (m, v) = build_with(
        p,
        &Rules::all(),
        &vec![Spread::Relaxed; p.venues.len()],
        true,
    );
    let solved = run_solver(m, opts, "").ok()?;
    let mut best: Vec<Option<(f64, usize, Pattern)>> = vec![None; p.due.len()];
    for (c, class) in v.classes.iter().enumerate() {
        for (n, &i) in class.members.iter().enumerate() {
            let x = solved.value(v.join[c][n]);
            if best[i].is_none_or(|b| x > b.0 + 1e-9) {
                best[i] = Some((x, class.venue, class.pattern));
            }
        }
    }
    best.into_iter()
        .map(|b| b.map(|(_, j, pattern)| (j, pattern)))
        .collect()
}
