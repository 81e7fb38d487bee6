//! The large-neighbourhood search that improves the start of large parts: it never makes
//! the plan worse than the greedy start, and what it returns is a valid plan.

mod common;

use alisplan::model::*;
use alisplan::placement::decompose::components;
use alisplan::placement::lns::improve;
use alisplan::placement::objective::evaluate;
use alisplan::placement::{Problem, candidates::candidates_for, greedy::greedy};
use alisplan::solver::SolveOptions;
use alisplan::travel::Travel;
use alisplan::verify::verify;

#[test]
fn lns_improves_on_the_greedy_start_and_stays_valid() {
    let (_dir, inst) = common::generated(100, 10, 2, 7);
    let travel = Travel::new(&inst);
    let problem = Problem::new(&inst);
    let mut cands = Vec::new();
    for d in inst.doctor_ids() {
        for (p, part) in problem.parts(d).iter().enumerate() {
            cands.extend(candidates_for(&problem, &travel, d, p, part).0);
        }
    }
    let opts = SolveOptions {
        time_limit: 10.0,
        gap: 0.0,
        threads: 1,
        verbose: false,
        deadline: None,
    };
    for comp in components(&problem, &cands) {
        let start: Vec<usize> = greedy(&problem, &cands, &comp.candidates, &comp.doctors)
            .into_iter()
            .map(|i| comp.candidates[i])
            .collect();
        let better = improve(&problem, &cands, &comp, &opts, 2.0);
        assert!(
            evaluate(&problem, &cands, &comp, &better)
                <= evaluate(&problem, &cands, &comp, &start) + 1e-6
        );
        let blocks: Vec<Block> = better.iter().map(|&i| cands[i].block()).collect();
        let unplaced: Vec<Unplaced> = comp
            .doctors
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
        let mut plan = Plan {
            blocks,
            unplaced,
            ..Plan::default()
        };
        // Only this part's doctors are judged.
        let others: Vec<DoctorId> = inst
            .doctor_ids()
            .filter(|d| !comp.doctors.contains(d))
            .collect();
        plan.unplaced
            .extend(others.iter().map(|&d| left_out(d, "another part")));
        assert_eq!(verify(&inst, &plan), vec![]);
    }
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
