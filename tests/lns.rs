//! The large-neighbourhood search that improves the start of large parts: it never makes
//! the plan worse than the greedy start, and what it returns is a valid plan.

mod common;

use alisplan::model::*;
use alisplan::placement::bound::Relaxation;
use alisplan::placement::decompose::components;
use alisplan::placement::greedy::{fill, guided, whole_blocks};
use alisplan::placement::lns::{Goal, Search, improve};
use alisplan::placement::model::{Stage, relaxation};
use alisplan::placement::objective::{evaluate, price};
use alisplan::placement::{Problem, candidates::candidates_for, greedy::greedy};
use alisplan::solver::SolveOptions;
use alisplan::travel::Travel;
use alisplan::verify::verify;

#[test]
fn lns_improves_on_the_greedy_start_and_stays_valid() {
    let (_dir, inst) = common::generated(100, 10, 2, 7);
    let problem = Problem::new(&inst);
    let cands = all_candidates(&inst, &problem);
    let opts = options(10.0);
    for comp in components(&problem, &cands) {
        let start = greedy_start(&problem, &cands, &comp);
        let better = improve(&problem, &cands, &comp, &opts, 2.0);
        assert!(
            evaluate(&problem, &cands, &comp, &better)
                <= evaluate(&problem, &cands, &comp, &start) + 1e-6
        );
        assert_valid(&inst, &cands, &comp.doctors, &better);
    }
}

/// Every doctor re-solved at once over a pool of each part's cheapest blocks: the plan
/// uses only pool blocks and the blocks held before, keeps every rule, leaves no more
/// parts unplaced and costs no more.
#[test]
fn every_doctor_over_a_pool_of_blocks_stays_valid_and_within_the_pool() {
    let (_dir, inst) = common::generated(100, 10, 2, 7);
    let problem = Problem::new(&inst);
    let cands = all_candidates(&inst, &problem);
    let opts = options(20.0);
    let mut moved = 0;
    for comp in components(&problem, &cands) {
        let start = greedy_start(&problem, &cands, &comp);
        let mut search = Search::new(&problem, &cands, &comp, start.clone());
        let (unplaced, cost) = (search.unplaced(), search.cost());
        let stage = Stage::Cost {
            unplaced_at_most: Some(unplaced),
        };
        let relaxation = Relaxation::new(&problem, &cands, &comp, stage);
        let pool = relaxation.cheapest_blocks(&vec![0.0; relaxation.rows()], 2);
        let everyone = comp.doctors.iter().copied().collect();
        search.try_over(&everyone, &pool, Goal::Cost, &opts, 10.0);
        assert!(search.unplaced() <= unplaced);
        assert!(search.cost() <= cost + 1e-6, "{} > {cost}", search.cost());
        for g in &search.current {
            assert!(
                pool.contains(g) || start.contains(g),
                "block {g} is in neither"
            );
        }
        moved += search.current.iter().filter(|g| !start.contains(g)).count();
        assert_valid(&inst, &cands, &comp.doctors, &search.current);
    }
    assert!(
        moved > 0,
        "the pool offered nothing better than the greedy start"
    );
}

/// The count search around unplaced parts, once it has tried every neighbourhood size
/// around each in vain, solves nothing more until the plan changes; once it changes, it
/// searches again.
#[test]
fn a_count_search_that_found_nothing_is_not_repeated_on_the_same_plan() {
    let (_dir, inst) = common::generated(100, 10, 2, 7);
    let problem = Problem::new(&inst);
    let cands = all_candidates(&inst, &problem);
    let opts = options(300.0);
    let (mut searched, mut changed) = (0, 0);
    for comp in components(&problem, &cands) {
        let start = greedy_start(&problem, &cands, &comp);
        let mut search = Search::new(&problem, &cands, &comp, start);
        search.reduce_unplaced(0, &opts);
        if search.unplaced() == 0 {
            continue; // Nothing left to search for.
        }
        searched += 1;
        let tried = search.tried;
        assert!(tried > 0);
        search.reduce_unplaced(0, &opts);
        assert_eq!(search.tried, tried, "the same plan was searched again");
        // A cheaper plan (a few doctors re-solved for the cost) is searched again.
        let few = comp.doctors.iter().copied().take(20).collect();
        if search.try_neighbourhood(&few, Goal::Cost, &opts) {
            changed += 1;
            let tried = search.tried;
            search.reduce_unplaced(0, &opts);
            assert!(
                search.tried > tried,
                "a changed plan was not searched again"
            );
        }
    }
    assert!(
        searched > 0,
        "no part kept a part unplaced to search around"
    );
    assert!(changed > 0, "no plan changed to search again");
}

/// The greedy plan of one part (global candidate indices).
fn greedy_start(
    problem: &Problem,
    cands: &[alisplan::placement::Candidate],
    comp: &alisplan::placement::decompose::Component,
) -> Vec<usize> {
    greedy(problem, cands, &comp.candidates, &comp.doctors)
        .into_iter()
        .map(|i| comp.candidates[i])
        .collect()
}

/// Solver options with `time_limit` seconds, no gap, one thread.
fn options(time_limit: f64) -> SolveOptions {
    SolveOptions {
        time_limit,
        gap: 0.0,
        threads: 1,
        ..SolveOptions::default()
    }
}

/// The blocks `chosen` (global candidate indices) keep every hard rule for the doctors of
/// one part (`verify` judges them; the other doctors are reported as in another part), and
/// the number of that part's doctors without their full hospital service.
fn assert_valid(
    inst: &Instance,
    cands: &[alisplan::placement::Candidate],
    doctors: &[DoctorId],
    chosen: &[usize],
) -> usize {
    let blocks: Vec<Block> = chosen.iter().map(|&i| cands[i].block()).collect();
    let unplaced: Vec<Unplaced> = doctors
        .iter()
        .filter(|&&d| {
            blocks
                .iter()
                .filter(|b| b.doctor == d)
                .map(|b| b.months)
                .sum::<u32>()
                < inst.doctor(d).required_calendar_months()
        })
        .map(|&d| left_out(d, "left out"))
        .collect();
    let short = unplaced.len();
    let mut plan = Plan {
        blocks,
        unplaced,
        ..Plan::default()
    };
    let others: Vec<DoctorId> = inst.doctor_ids().filter(|d| !doctors.contains(d)).collect();
    plan.unplaced
        .extend(others.iter().map(|&d| left_out(d, "another part")));
    assert_eq!(verify(inst, &plan), vec![]);
    short
}

/// Filling a plan places parts where blocks still fit and never leaves more unplaced;
/// rounding the count relaxation gives a valid plan that leaves at least as many parts
/// unplaced as the relaxation's bound.
#[test]
fn filling_and_rounding_the_relaxation_give_valid_plans_within_the_bound() {
    let (_dir, inst) = common::generated(100, 10, 2, 7);
    let problem = Problem::new(&inst);
    let cands = all_candidates(&inst, &problem);
    let opts = options(30.0);
    let mut rounded_any = false;
    for comp in components(&problem, &cands) {
        let start = greedy_start(&problem, &cands, &comp);
        let before = price(&problem, &cands, &comp, &start).unplaced.len();
        // Half the greedy plan dropped: the fill puts parts back where they fit.
        let half: Vec<usize> = start.iter().copied().step_by(2).collect();
        let dropped = price(&problem, &cands, &comp, &half).unplaced.len();
        let whole = whole_blocks(&problem, &cands, &comp.candidates);
        let filled = fill(&problem, &cands, &comp.candidates, &whole, &half);
        let after = price(&problem, &cands, &comp, &filled).unplaced.len();
        assert!(after <= dropped, "fill never leaves more unplaced");
        if dropped > before {
            assert!(after < dropped, "an emptied plan has room to fill");
        }
        assert_valid(&inst, &cands, &comp.doctors, &filled);
        let (lp, bound) = relaxation(&problem, &cands, &comp, &opts, Stage::Count).unwrap();
        assert!(lp.iter().all(|&(_, v)| v > 0.0 && v <= 1.0 + 1e-6));
        let rounded = guided(
            &problem,
            &cands,
            &comp.candidates,
            &comp.doctors,
            &whole,
            &lp,
        );
        let left = price(&problem, &cands, &comp, &rounded).unplaced.len();
        assert!(
            left as f64 >= bound - 1e-6,
            "no plan leaves fewer parts unplaced than the relaxation's bound ({left} < {bound})"
        );
        assert_valid(&inst, &cands, &comp.doctors, &rounded);
        rounded_any |= !lp.is_empty();
    }
    assert!(
        rounded_any,
        "the instance has a part with a relaxation to round"
    );
}

/// Every doctor's candidate blocks.
fn all_candidates(inst: &Instance, problem: &Problem) -> Vec<alisplan::placement::Candidate> {
    let travel = Travel::new(inst);
    let mut cands = Vec::new();
    for d in inst.doctor_ids() {
        for (p, part) in problem.parts(d).iter().enumerate() {
            cands.extend(candidates_for(problem, &travel, d, p, part).0);
        }
    }
    cands
}

/// Doctor `d` reported unplaced for `reason`.
fn left_out(d: DoctorId, reason: &str) -> Unplaced {
    Unplaced {
        doctor: d,
        specialty: None,
        months: 0,
        reason: reason.to_string(),
    }
}
