//! Re-planning a published plan: months before `from` are history and never change, a
//! block running at `from` continues at the same department as far as the rules allow,
//! and future blocks may move at a cost per change, so the new plan stays close to the
//! old. The roster may have changed since: doctors who joined are planned like any other,
//! the blocks of doctors who left are cancelled, and changed facts (fte, municipality,
//! window, scheme, late leave, lost slots) are taken into account.
//!
//! [`split`] splits the previous plan at `from`, [`parts`] counts what each doctor still
//! has to serve, [`freeze`] finds the doctors whose plans are still valid as they stand,
//! [`penalty`] prices changes, and [`changes`] lists them.

pub mod changes;
pub mod freeze;
pub mod parts;
pub mod penalty;
pub mod split;

pub use changes::changes;
pub use parts::{MakeUp, Remaining, remaining};
pub use penalty::ChangePenalty;
pub use split::{Event, Split, split_previous};

use crate::model::*;
use crate::placement::{Candidate, Problem};

/// A placement problem that keeps `split.fixed`, places what is left to serve, starts
/// nothing before `from` and charges for changes against `split.future`.
pub fn replan_problem<'a>(
    inst: &'a Instance,
    split: &Split,
    from: Option<Month>,
    locks: Vec<Lock>,
) -> Problem<'a> {
    problem_for(inst, split, &remaining(inst, split), from, locks)
}

/// [`replan_problem`] with the remaining requirement already counted.
pub fn problem_for<'a>(
    inst: &'a Instance,
    split: &Split,
    remaining: &Remaining,
    from: Option<Month>,
    locks: Vec<Lock>,
) -> Problem<'a> {
    let mut problem = Problem::new(inst);
    problem.parts = remaining.parts.clone();
    problem.fixed = split.fixed.clone();
    problem.not_before = from;
    let penalty = ChangePenalty::new(inst, &split.future, &locks);
    problem.locks = locks;
    problem.extra_cost = Some(std::sync::Arc::new(move |c: &Candidate| penalty.cost(c)));
    problem.extra_cost_name = "changes";
    problem
}
