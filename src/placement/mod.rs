//! Hospital-service placement: who serves where, in which department, which months.
//!
//! [`place`] generates candidate blocks ([`candidates`]), splits the instance into
//! independent parts ([`decompose`]), builds one integer program per part ([`model`], one
//! named function per rule), warm-starts it with a greedy plan ([`greedy`]), solves it, and
//! explains every requirement it could not place ([`explain`]).

pub mod bound;
pub mod candidates;
pub mod decompose;
pub mod explain;
pub mod greedy;
pub mod lns;
pub mod model;

use std::collections::BTreeMap;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Unplaced;
use crate::model::*;
use crate::solver::{Outcome, SolveOptions};
use crate::travel::Travel;

pub use candidates::Candidate;

/// Which formulation to build (the plain one exists to measure what the strong one buys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Formulation {
    /// Redundant rows left out, worst commute aggregated per requirement part, greedy warm
    /// start.
    #[default]
    Strong,
    /// Every capacity, coverage and one-place row, worst commute per candidate, no warm start.
    Plain,
}

/// How to solve.
#[derive(Clone, Debug)]
pub struct PlaceOptions {
    pub solver: SolveOptions,
    pub formulation: Formulation,
    /// Solve independent parts of the instance as separate models.
    pub decompose: bool,
    /// Candidate blocks in one part above which it is planned by large-neighbourhood
    /// search with a Lagrangian bound instead of CBC ([`LARGE_PART`] unless changed).
    pub large_part: usize,
}

impl PlaceOptions {
    pub fn new(solver: SolveOptions) -> PlaceOptions {
        PlaceOptions {
            solver,
            formulation: Formulation::Strong,
            decompose: true,
            large_part: LARGE_PART,
        }
    }
}

/// A cost adjustment per candidate (a re-plan adds change penalties with it).
pub type ExtraCost<'a> = dyn Fn(&Candidate) -> f64 + Send + Sync + 'a;

/// What to place: the instance, plus what a re-plan keeps fixed.
pub struct Problem<'a> {
    pub inst: &'a Instance,
    /// Blocks kept exactly as they are (history and running blocks of a re-plan). They use
    /// slots, count toward municipality absence and the group period, and the doctor is busy.
    pub fixed: Vec<Block>,
    /// Requirement parts still to place, per doctor (index = doctor).
    pub parts: Vec<Vec<RequirementPart>>,
    /// No new block may start before this month.
    pub not_before: Option<Month>,
    /// Review decisions to respect.
    pub locks: Vec<Lock>,
    /// Extra cost per candidate, e.g. for changing a published plan.
    pub extra_cost: Option<std::sync::Arc<ExtraCost<'a>>>,
    /// Name of the extra cost term in the summary.
    pub extra_cost_name: &'static str,
}

impl<'a> Problem<'a> {
    /// Place every doctor's whole requirement, respecting the instance's locks.
    pub fn new(inst: &'a Instance) -> Problem<'a> {
        Problem {
            inst,
            fixed: Vec::new(),
            parts: inst.doctors.iter().map(|d| d.requirement.clone()).collect(),
            not_before: None,
            locks: inst.locks.clone(),
            extra_cost: None,
            extra_cost_name: "changes",
        }
    }

    /// The months in which `d` may serve.
    pub fn window(&self, d: DoctorId) -> MonthRange {
        self.inst.doctor(d).window
    }

    pub fn parts(&self, d: DoctorId) -> &[RequirementPart] {
        &self.parts[d.index()]
    }

    /// Whether a reject lock forbids this block.
    pub fn rejected(&self, d: DoctorId, dept: &Department, start: Month, months: u32) -> bool {
        self.locks.iter().any(|l| {
            l.doctor == d && l.decision == Decision::Reject && l.matches(dept, start, months)
        })
    }

    /// Whether `d` already has a fixed block in any month of `span`.
    pub fn busy(&self, d: DoctorId, span: MonthRange) -> bool {
        self.fixed
            .iter()
            .any(|b| b.doctor == d && b.span().overlap(&span) > 0)
    }

    /// Fixed blocks occupying department `k` in month `m`.
    pub fn fixed_in(&self, k: DepartmentId, m: Month) -> u32 {
        self.fixed
            .iter()
            .filter(|b| b.department == k && b.span().contains(m))
            .filter(|b| !self.inst.doctor(b.doctor).on_leave(m))
            .count() as u32
    }

    /// Doctors of municipality `mu` in a fixed block in month `m`.
    pub fn fixed_away(&self, mu: MunicipalityId, m: Month) -> u32 {
        let mut who: Vec<DoctorId> = self
            .fixed
            .iter()
            .filter(|b| b.span().contains(m) && self.inst.doctor(b.doctor).municipality == mu)
            .map(|b| b.doctor)
            .collect();
        who.sort();
        who.dedup();
        who.len() as u32
    }

    /// Hospital months of `d`'s fixed blocks inside `range`: months on leave inside a
    /// running block (extended around them in a re-plan) are not hospital months.
    pub fn fixed_months_in(&self, d: DoctorId, range: &MonthRange) -> i32 {
        let doc = self.inst.doctor(d);
        self.fixed
            .iter()
            .filter(|b| b.doctor == d)
            .flat_map(|b| b.start.through(b.end))
            .filter(|&m| range.contains(m) && !doc.on_leave(m))
            .count() as i32
    }

    /// The extra cost of a candidate (0 without one).
    pub fn extra(&self, c: &Candidate) -> f64 {
        self.extra_cost.as_ref().map_or(0.0, |f| f(c))
    }
}

/// Worst and average daily commute among placed doctors who do not relocate.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Fairness {
    pub max_commute_minutes: u32,
    pub mean_commute_minutes: f64,
    pub min_commute_minutes: u32,
    /// Max − min daily commute.
    pub commute_spread_minutes: u32,
    pub relocated_doctors: usize,
    pub placed_doctors: usize,
    pub unplaced_doctors: usize,
}

/// Size of what was solved.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Size {
    pub candidates: usize,
    pub parts: usize,
    pub largest_part_doctors: usize,
}

/// The placement found.
#[derive(Clone, Debug, Serialize)]
pub struct Placement {
    #[serde(skip)]
    pub blocks: Vec<Block>,
    #[serde(skip)]
    pub unplaced: Vec<Unplaced>,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Each objective term, in cost points.
    pub terms: BTreeMap<String, f64>,
    pub fairness: Fairness,
    pub size: Size,
    pub formulation: Formulation,
    /// How the worst-commute term is applied.
    pub worst_commute_rule: &'static str,
    /// Warnings about the solve (e.g. a part too large for the time limit).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Candidate blocks in one part above which it is planned by [`solve_large_part`] instead
/// of CBC. Measured on 2 cores: CBC's first relaxation of ~60,000 candidates takes 10–70 s
/// and its time limit does not interrupt it; on the generated 500-doctor instance (58,000
/// candidates, `--time-limit 60`) CBC ran 200 s and left 43 parts unplaced, the search
/// stopped in time with 30.
pub const LARGE_PART: usize = 20_000;

/// Place every doctor of `problem`. Doctors who cannot be placed are reported in
/// `unplaced` with a reason in domain words (never silently dropped).
pub fn place(problem: &Problem, travel: &Travel, opts: &PlaceOptions) -> Result<Placement> {
    let started = Instant::now();
    let inst = problem.inst;
    let accept_errors = check_accept_locks(problem, travel);
    let (cands, pruned) = all_candidates(problem, travel);
    if let Some(e) = accept_errors(&cands) {
        return Err(e);
    }
    let parts = if opts.decompose {
        decompose::components(problem, &cands)
    } else {
        vec![decompose::Component::whole(problem, &cands)]
    };
    let notes: Vec<String> = parts
        .iter()
        .filter(|p| opts.formulation == Formulation::Strong && p.candidates.len() > opts.large_part)
        .map(|p| {
            format!(
                "a part of {} doctors has {} candidate blocks, more than CBC's first relaxation can take within a time limit it does not interrupt; it was planned by large-neighbourhood search and its bound is a Lagrangian one. Planning each health region as its own instance keeps parts small",
                p.doctors.len(),
                p.candidates.len()
            )
        })
        .collect();
    let size = Size {
        candidates: cands.len(),
        parts: parts.len(),
        largest_part_doctors: parts.iter().map(|p| p.doctors.len()).max().unwrap_or(0),
    };
    // Time budget shared by the parts in proportion to their candidates.
    let total: usize = parts
        .iter()
        .map(|p| p.candidates.len())
        .sum::<usize>()
        .max(1);
    let solved: Vec<Result<model::PartSolution>> = parts
        .par_iter()
        .map(|part| {
            let mut o = opts.solver.clone();
            let share = part.candidates.len().max(1) as f64 / total as f64;
            o.time_limit = (opts.solver.time_limit * share).max(opts.solver.time_limit.min(2.0));
            let strong = opts.formulation == Formulation::Strong;
            if strong && part.candidates.len() > opts.large_part {
                Ok(solve_large_part(problem, &cands, part, &o))
            } else if strong && part.candidates.len() > lns::THRESHOLD {
                // Large parts: improve the greedy start by re-solving small neighbourhoods
                // exactly, then let CBC continue from there with the rest of the time.
                let budget = o.time_limit * lns::SHARE;
                let start = lns::improve(problem, &cands, part, &o, budget);
                o.time_limit -= budget;
                model::solve_part(problem, &cands, part, &o, opts.formulation, Some(&start))
            } else {
                model::solve_part(problem, &cands, part, &o, opts.formulation, None)
            }
        })
        .collect();
    let mut blocks = Vec::new();
    let mut unplaced_parts: Vec<(DoctorId, usize)> = Vec::new();
    let mut outcomes = Vec::new();
    let mut terms: BTreeMap<String, f64> = BTreeMap::new();
    for s in solved {
        let s = s?;
        blocks.extend(s.chosen.iter().map(|&i| cands[i].block()));
        unplaced_parts.extend(s.unplaced);
        outcomes.push(s.outcome);
        for (k, v) in s.terms {
            *terms.entry(k).or_default() += v;
        }
    }
    sort_blocks(&mut blocks);
    unplaced_parts.sort();
    let unplaced =
        explain::explain_unplaced(problem, travel, &cands, &pruned, &blocks, &unplaced_parts);
    let mut outcome = Outcome::combine(&outcomes);
    outcome.seconds = started.elapsed().as_secs_f64();
    let fairness = fairness(inst, &blocks, &unplaced);
    Ok(Placement {
        blocks,
        unplaced,
        outcome,
        terms,
        fairness,
        size,
        formulation: opts.formulation,
        notes,
        worst_commute_rule: "min-max term per independent part: the longest daily commute of each group of doctors that compete for the same departments is penalised by [weights] worst_commute per minute",
    })
}

/// Every candidate block of every doctor part (generated in parallel), and per doctor
/// and part what the candidate rules pruned (for the explanations of unplaced parts).
pub fn all_candidates(
    problem: &Problem,
    travel: &Travel,
) -> (Vec<Candidate>, Vec<Vec<candidates::Pruned>>) {
    let per_doctor: Vec<(Vec<Candidate>, Vec<candidates::Pruned>)> = problem
        .inst
        .doctor_ids()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|&d| {
            let mut all = Vec::new();
            let mut pruned = Vec::new();
            for (p, part) in problem.parts(d).iter().enumerate() {
                let (mut c, why) = candidates::candidates_for(problem, travel, d, p, part);
                c.retain(|c| !problem.busy(d, c.span()));
                all.extend(c);
                pruned.push(why);
            }
            (all, pruned)
        })
        .collect();
    let mut cands: Vec<Candidate> = Vec::new();
    let mut pruned: Vec<Vec<candidates::Pruned>> = Vec::new();
    for (c, p) in per_doctor {
        cands.extend(c);
        pruned.push(p);
    }
    (cands, pruned)
}

/// A part above [`LARGE_PART`] candidates: the large-neighbourhood search plans it, and
/// at the same time, on another core, a Lagrangian bound ([`bound::lagrangian`]) proves
/// how far that plan can be from the optimum. CBC would not return within the time limit.
fn solve_large_part(
    problem: &Problem,
    cands: &[Candidate],
    part: &decompose::Component,
    opts: &SolveOptions,
) -> model::PartSolution {
    let started = Instant::now();
    let (chosen, relaxed) = rayon::join(
        || lns::improve(problem, cands, part, opts, opts.time_limit),
        || bound::lagrangian(problem, cands, part, f64::INFINITY, opts.time_limit),
    );
    let (terms, unplaced) = lns::terms(problem, cands, part, &chosen);
    let objective: f64 = terms.values().sum();
    let bound = relaxed.value.min(objective);
    let gap = crate::solver::relative_gap(objective, bound);
    model::PartSolution {
        chosen,
        unplaced,
        outcome: Outcome {
            status: if gap <= 1e-9 {
                crate::solver::Status::Optimal
            } else {
                crate::solver::Status::TimeLimit
            },
            objective,
            bound,
            gap,
            seconds: started.elapsed().as_secs_f64(),
            // The relaxation's size: a choice per candidate block and requirement part,
            // a cover row per part and the priced rules.
            variables: part.candidates.len() + relaxed.parts,
            constraints: relaxed.parts + relaxed.priced_rows,
        },
        terms,
    }
}

/// Accept locks that no candidate can honour are explained before solving.
fn check_accept_locks<'p>(
    problem: &'p Problem,
    travel: &'p Travel,
) -> impl Fn(&[Candidate]) -> Option<Error> + 'p {
    move |cands: &[Candidate]| {
        let inst = problem.inst;
        let mut problems = Vec::new();
        for lock in problem
            .locks
            .iter()
            .filter(|l| l.decision == Decision::Accept)
        {
            let already = problem.fixed.iter().any(|b| {
                b.doctor == lock.doctor
                    && lock.matches(inst.department(b.department), b.start, b.months)
            });
            let possible = cands.iter().any(|c| {
                c.doctor == lock.doctor
                    && lock.matches(inst.department(c.department), c.start, c.len)
            });
            if !already && !possible {
                problems.push(format!(
                    "{}: accept for doctor {} ({}) cannot be honoured: no block the rules allow matches it ({})",
                    lock.source,
                    inst.doctor(lock.doctor).id,
                    describe_lock(inst, lock),
                    explain::why_no_block(problem, travel, lock)
                ));
            }
        }
        (!problems.is_empty()).then(|| Error::Infeasible(problems.join("\n")))
    }
}

/// "haukeland/medicine from 2027-02, 6 months" for a lock.
pub fn describe_lock(inst: &Instance, lock: &Lock) -> String {
    let mut parts = Vec::new();
    parts.push(match (lock.hospital, lock.specialty) {
        (Some(h), Some(s)) => format!("{}/{}", inst.hospital(h).id, inst.specialty(s)),
        (Some(h), None) => format!("{} (any department)", inst.hospital(h).id),
        (None, Some(s)) => format!("any {} department", inst.specialty(s)),
        (None, None) => "any hospital".to_string(),
    });
    if let Some(m) = lock.start {
        parts.push(format!("starting {m}"));
    }
    if let Some(n) = lock.months {
        parts.push(format!("{n} months"));
    }
    parts.join(", ")
}

/// The fairness figures of `blocks` (a re-plan recomputes them with the blocks it kept).
pub fn fairness(inst: &Instance, blocks: &[Block], unplaced: &[Unplaced]) -> Fairness {
    let daily: Vec<u32> = blocks
        .iter()
        .filter(|b| !b.relocate)
        .map(|b| b.commute_minutes)
        .collect();
    let mut placed: Vec<DoctorId> = blocks.iter().map(|b| b.doctor).collect();
    placed.sort();
    placed.dedup();
    let mut relocated: Vec<DoctorId> = blocks
        .iter()
        .filter(|b| b.relocate)
        .map(|b| b.doctor)
        .collect();
    relocated.sort();
    relocated.dedup();
    let mut unplaced_doctors: Vec<DoctorId> = unplaced.iter().map(|u| u.doctor).collect();
    unplaced_doctors.sort();
    unplaced_doctors.dedup();
    let max = daily.iter().copied().max().unwrap_or(0);
    let min = daily.iter().copied().min().unwrap_or(0);
    let _ = inst;
    Fairness {
        max_commute_minutes: max,
        min_commute_minutes: min,
        mean_commute_minutes: if daily.is_empty() {
            0.0
        } else {
            daily.iter().map(|&m| f64::from(m)).sum::<f64>() / daily.len() as f64
        },
        commute_spread_minutes: max - min,
        relocated_doctors: relocated.len(),
        placed_doctors: placed.len(),
        unplaced_doctors: unplaced_doctors.len(),
    }
}
