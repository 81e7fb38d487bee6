//! A stop request (Ctrl-C, SIGTERM, or the deadline passing) makes the placement return the
//! best plan it has at the next step, labelled honestly. In its own test binary because the
//! stop flag is shared by the whole process.

mod common;

use alisplan::placement::{PlaceOptions, Problem, place};
use alisplan::solver::{SolveOptions, Status};
use alisplan::travel::Travel;
use alisplan::verify::verify;

#[test]
fn a_stop_request_returns_the_plan_so_far_labelled_as_stopped() {
    let (_dir, inst) = common::generated(100, 10, 2, 7);
    let travel = Travel::new(&inst);
    let mut opts = PlaceOptions::new(SolveOptions {
        time_limit: 600.0,
        gap: 0.0,
        threads: 1,
        deadline: Some(alisplan::budget::Deadline::after(600.0)),
        ..SolveOptions::default()
    });
    // The search path, whose every step checks for a stop.
    opts.large_part = 0;
    alisplan::budget::request_stop(alisplan::budget::StopSignal::Interrupt);
    let p = place(&Problem::new(&inst), &travel, &opts).expect("a plan all the same");
    alisplan::budget::clear_stop();
    assert_eq!(verify(&inst, &common::plan_of(&p)), vec![]);
    assert_eq!(p.outcome.status, Status::TimeLimit, "{:?}", p.count);
    assert!(!p.count.proven, "the greedy start is not proven here");
    let why = p.count.stopped.clone().unwrap_or_default();
    assert!(why.contains("Ctrl-C"), "says why it stopped: {why}");
    assert!(p.cost.bound <= p.cost.objective);
}
