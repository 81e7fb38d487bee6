//! Solving the strong formulation of [`super::model`]: the start-spread rule is added
//! lazily, venue by venue, between solves, with the groups re-cut by
//! [`super::recut`] and repaired by [`super::heuristic`] in between.

use std::time::Instant;

use super::limits::Rules;
use super::model::{Spread, build, build_with, extract, warm_start};
use super::recut::recut_for_spread;
use super::{Draft, Found, Pattern, Problem, heuristic};
use crate::error::{Error, Result};
use crate::solver::{Outcome, SolveOptions, Status, solve as run_solver};

/// The linear relaxation of the strong model without cohort windows, solved once before
/// everything else: it guides the local search, proves a lower bound, and says how long
/// the solver's first relaxation of the integer program will take.
pub struct Relaxation {
    /// For every doctor, the venue and pattern of the class they are most in.
    pub classes: Vec<(usize, Pattern)>,
    /// Its optimum (−∞ if the solver did not prove it): a lower bound on the objective of
    /// every grouping, since it drops the start spread and integrality.
    pub bound: f64,
    /// Seconds its solve took: CBC needs about as long for the first relaxation of the
    /// integer program, and cannot be interrupted before that.
    pub seconds: f64,
}

/// Solve the [`Relaxation`], or `None` if the solve fails.
pub fn relaxation(p: &Problem, opts: &SolveOptions) -> Option<Relaxation> {
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
    let classes = best
        .into_iter()
        .map(|b| b.map(|(_, j, pattern)| (j, pattern)))
        .collect::<Option<Vec<_>>>()?;
    Some(Relaxation {
        classes,
        bound: solved.outcome.bound,
        seconds: solved.outcome.seconds,
    })
}

/// Solve the strong model, starting from `start` when given (a grouping that keeps every
/// rule in `rules`); the best grouping found, how the solve went and why it stopped early.
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
///
/// Every round is a relaxation of the full problem or the full problem itself, so the
/// bound is the best any round's solver proved, or `relaxation`'s if higher. Between
/// steps the loop stops when the command's deadline has passed or a stop was requested,
/// and no solve is started that could not finish its first relaxation in the time left;
/// the notes say so.
pub fn solve(
    p: &Problem,
    opts: &SolveOptions,
    start: Option<&[Draft]>,
    rules: &Rules,
    relaxation: Option<&Relaxation>,
) -> Result<Found> {
    let lazy = rules.start_spread && p.windows().len() > 1;
    let first = if rules.start_spread && !lazy {
        Spread::Windows
    } else {
        Spread::Relaxed
    };
    let mut spread = vec![first; p.venues.len()];
    let mut spent = 0.0;
    let mut best: Option<(Vec<Draft>, f64)> = start
        .filter(|s| check_rules(p, s, rules))
        .map(|s| (s.to_vec(), p.evaluate(s).objective()));
    let mut bound = relaxation.map_or(f64::NEG_INFINITY, |r| r.bound);
    let first_relaxation = relaxation.map_or(0.0, |r| r.seconds);
    let (mut variables, mut constraints) = (0, 0);
    let mut notes = Vec::new();
    for round in 1.. {
        if best.is_some()
            && let Some(why) = opts.stop_reason()
        {
            notes.push(format!("{why} before round {round} of the solver"));
            break;
        }
        let (mut m, v) = build(p, rules, &spread);
        variables = variables.max(m.variables());
        constraints = constraints.max(m.constraints());
        if best.is_some()
            && let Some(why) = unfinished(opts, round, first_relaxation)
        {
            notes.push(why);
            break;
        }
        let given = best.as_ref().map(|b| b.0.clone());
        if let Some(drafts) = &given {
            warm_start(&mut m, p, &v, drafts);
        }
        // CBC is told to stop a relaxation's time before the deadline (but keeps at least
        // half of what is left): it only looks at the clock between its heuristics and
        // node relaxations, each of which can take about that long on this model.
        let now_left = opts.seconds_left();
        let left = SolveOptions {
            time_limit: (opts.time_limit - spent)
                .min((now_left - first_relaxation).max(now_left / 2.0)),
            ..opts.clone()
        };
        let solved = match run_solver(m, &left, "no grouping keeps every group rule at once") {
            Ok(s) => s,
            // The solver failed without a new grouping: keep the best one found.
            Err(Error::Solver(why)) if best.is_some() => {
                notes.push(format!("round {round}: {why}"));
                break;
            }
            Err(e) => return Err(e),
        };
        spent += solved.outcome.seconds;
        bound = bound.max(solved.outcome.bound);
        notes.extend(solved.note.as_ref().map(|n| format!("round {round}: {n}")));
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
                let until = opts.until((remaining / 10.0).min(5.0));
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
        let closed = best.as_ref().is_some_and(|b| {
            matches!(
                Status::proven(b.1, bound, opts.gap),
                Status::Optimal | Status::GapLimit
            )
        });
        if closed || failed.is_empty() || stopped_early {
            if !closed && !failed.is_empty() {
                notes.push(format!(
                    "the start spread is not yet enforced exactly at {} venue(s) after round {round}",
                    failed.len()
                ));
            }
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
    let outcome = Outcome {
        seconds: spent,
        variables,
        constraints,
        ..Outcome::proven(objective, bound, opts.gap)
    };
    Ok(Found {
        drafts,
        outcome,
        notes,
    })
}

/// Whether `drafts` keep every rule (the start spread only if `rules` enforces it): a
/// start for a model of `rules`.
fn check_rules(p: &Problem, drafts: &[Draft], rules: &Rules) -> bool {
    p.check_with(drafts, rules.start_spread).is_ok()
}

/// Why round `round` of the solve loop is not started, if it is not (the command's stop is
/// checked before the round's model is built): the time left is shorter than the
/// solver's first relaxation is expected to take (`first_relaxation` seconds, the linear relaxation's),
/// so that it could not return anything but the grouping it was given.
fn unfinished(opts: &SolveOptions, round: usize, first_relaxation: f64) -> Option<String> {
    let left = opts.seconds_left();
    (left < first_relaxation).then(|| {
        format!(
            "round {round} of the solver was not started: {left:.1} s were left, and its first relaxation alone takes about {first_relaxation:.1} s"
        )
    })
}

/// The local search leaves a solver round this many times the linear relaxation's solve
/// time when it can: one for the round's first relaxation, one for its heuristics at the
/// root, and half of one of slack before the deadline to finish the step it is in.
pub const ROUND_NEEDS: f64 = 2.5;
