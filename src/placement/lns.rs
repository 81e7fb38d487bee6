//! Large-neighbourhood search for large parts: starting from the greedy plan, free a small
//! group of doctors around one who is left out (the doctors using the same departments or
//! sharing the municipality in overlapping months), keep everyone else where they are, and
//! re-solve that group exactly. A new plan is kept only if the whole part costs less.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::model::*;
use crate::solver::SolveOptions;

use super::decompose::Component;
use super::model::solve_part;
use super::objective::evaluate;
use super::{Candidate, Formulation, Problem, greedy};

/// Parts with more candidate blocks than this are improved by LNS before the full solve.
pub const THRESHOLD: usize = 8_000;
/// Share of a part's time limit given to LNS.
pub const SHARE: f64 = 0.5;
/// Doctors freed per neighbourhood at first.
const FREED: usize = 25;
/// Doctors freed per neighbourhood at most: once every doctor left out has been a seed,
/// the neighbourhoods double in size up to this and the seeds start again.
const MAX_FREED: usize = 100;
/// Time limit of one neighbourhood's solve, seconds.
const SUB_LIMIT: f64 = 3.0;

/// A better starting plan for part `comp` (global candidate indices), found within
/// `budget` seconds.
pub fn improve(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
    budget: f64,
) -> Vec<usize> {
    let deadline = Instant::now() + Duration::from_secs_f64(budget.max(0.0));
    let mut current: Vec<usize> = greedy::greedy(problem, cands, &comp.candidates, &comp.doctors)
        .into_iter()
        .map(|i| comp.candidates[i])
        .collect();
    let mut best = evaluate(problem, cands, comp, &current);
    let mut of_doctor: BTreeMap<DoctorId, Vec<usize>> = BTreeMap::new();
    for &g in &comp.candidates {
        of_doctor.entry(cands[g].doctor).or_default().push(g);
    }
    let mut tried: BTreeSet<DoctorId> = BTreeSet::new();
    let mut size = FREED;
    while Instant::now() < deadline {
        // The next doctor left (partly) unplaced that has not been a seed yet.
        let placed: BTreeMap<DoctorId, u32> =
            current.iter().fold(BTreeMap::new(), |mut acc, &i| {
                *acc.entry(cands[i].doctor).or_default() += cands[i].len;
                acc
            });
        let seed = comp.doctors.iter().copied().find(|d| {
            !tried.contains(d)
                && of_doctor.contains_key(d)
                && placed.get(d).copied().unwrap_or(0)
                    < problem
                        .parts(*d)
                        .iter()
                        .map(|p| p.calendar_months)
                        .sum::<u32>()
        });
        let Some(seed) = seed else {
            if size * 2 > MAX_FREED {
                break;
            }
            size *= 2;
            tried.clear();
            continue;
        };
        tried.insert(seed);
        let freed = neighbourhood(problem, cands, &of_doctor, &current, seed, size);
        let fixed: Vec<Block> = current
            .iter()
            .filter(|&&i| !freed.contains(&cands[i].doctor))
            .map(|&i| cands[i].block())
            .collect();
        let sub = Problem {
            inst: problem.inst,
            fixed: problem.fixed.iter().cloned().chain(fixed).collect(),
            parts: problem.parts.clone(),
            not_before: problem.not_before,
            locks: problem.locks.clone(),
            extra_cost: problem.extra_cost.clone(),
            extra_cost_name: problem.extra_cost_name,
        };
        let sub_comp = Component {
            doctors: freed.iter().copied().collect(),
            candidates: freed
                .iter()
                .flat_map(|d| of_doctor.get(d).cloned().unwrap_or_default())
                .collect(),
        };
        let start: Vec<usize> = current
            .iter()
            .copied()
            .filter(|&i| freed.contains(&cands[i].doctor))
            .collect();
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        let mut o = opts.clone();
        o.time_limit = SUB_LIMIT.min(left).max(0.1);
        o.verbose = false;
        let Ok(solved) = solve_part(
            &sub,
            cands,
            &sub_comp,
            &o,
            Formulation::Strong,
            Some(&start),
        ) else {
            continue;
        };
        let mut candidate: Vec<usize> = current
            .iter()
            .copied()
            .filter(|&i| !freed.contains(&cands[i].doctor))
            .collect();
        candidate.extend(solved.chosen);
        let cost = evaluate(problem, cands, comp, &candidate);
        if cost < best - 1e-6 {
            best = cost;
            current = candidate;
            // Doctors freed here may now be placeable from other seeds again.
            tried.retain(|d| !freed.contains(d) || *d == seed);
        }
    }
    current
}

/// The seed and up to `size − 1` doctors whose current blocks overlap the seed's
/// candidate blocks in time and share a department or the municipality.
fn neighbourhood(
    problem: &Problem,
    cands: &[Candidate],
    of_doctor: &BTreeMap<DoctorId, Vec<usize>>,
    current: &[usize],
    seed: DoctorId,
    size: usize,
) -> BTreeSet<DoctorId> {
    let inst = problem.inst;
    let mine = &of_doctor[&seed];
    let departments: BTreeSet<DepartmentId> = mine.iter().map(|&i| cands[i].department).collect();
    let span = mine.iter().fold(None::<MonthRange>, |acc, &i| {
        let s = cands[i].span();
        Some(acc.map_or(s, |a| {
            MonthRange::new(a.first.min(s.first), a.last.max(s.last))
        }))
    });
    let muni = inst.doctor(seed).municipality;
    let mut scored: Vec<(i32, DoctorId)> = current
        .iter()
        .map(|&i| &cands[i])
        .filter(|c| c.doctor != seed)
        .filter(|c| {
            departments.contains(&c.department) || inst.doctor(c.doctor).municipality == muni
        })
        .filter_map(|c| span.map(|s| (-c.span().overlap(&s), c.doctor)))
        .filter(|&(o, _)| o < 0)
        .collect();
    scored.sort();
    let mut freed = BTreeSet::from([seed]);
    for (_, d) in scored {
        if freed.len() >= size {
            break;
        }
        freed.insert(d);
    }
    freed
}
