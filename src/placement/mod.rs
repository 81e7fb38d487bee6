//! Hospital-service placement: who serves where, in which department, which months.
//!
//! [`place`] generates candidate blocks ([`candidates`]), splits the instance into
//! independent parts ([`decompose`]), builds one integer program per part ([`model`], one
//! named function per rule), warm-starts it with a greedy plan ([`greedy`]), solves it, and
//! explains every requirement it could not place ([`explain`]).

pub mod bound;
pub mod candidates;
pub mod clusters;
pub mod decompose;
pub mod explain;
pub mod greedy;
pub mod lns;
pub mod model;
pub mod objective;
pub mod stages;

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
    /// search with cluster and Lagrangian bounds instead of CBC ([`LARGE_PART`] unless
    /// changed).
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

    /// `d`'s two group years and which of them may be the practice year: in a re-plan, a
    /// year holding hospital months of a block begun before the re-plan month is out (see
    /// [`crate::groups::years::practice_years_after`]). Blocks a neighbourhood of the
    /// search fixes start later and do not count.
    pub fn practice_years(&self, d: DoctorId) -> Option<([MonthRange; 2], [bool; 2])> {
        let doc = self.inst.doctor(d);
        let begun: Vec<&Block> = self
            .fixed
            .iter()
            .filter(|b| b.doctor == d && self.not_before.is_some_and(|from| b.start < from))
            .collect();
        crate::groups::years::practice_years_after(self.inst, doc, |year| {
            begun
                .iter()
                .flat_map(|b| b.start.through(b.end))
                .filter(|&m| year.contains(m) && !doc.on_leave(m))
                .count() as u32
        })
    }

    /// The same problem with `blocks` kept fixed as well (a neighbourhood of the search).
    pub fn with_fixed(&self, blocks: impl IntoIterator<Item = Block>) -> Problem<'a> {
        Problem {
            inst: self.inst,
            fixed: self.fixed.iter().cloned().chain(blocks).collect(),
            parts: self.parts.clone(),
            not_before: self.not_before,
            locks: self.locks.clone(),
            extra_cost: self.extra_cost.clone(),
            extra_cost_name: self.extra_cost_name,
        }
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

/// The count stage of the lexicographic solve: how many requirement parts stay unplaced,
/// and how few could.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CountSummary {
    /// Requirement parts the plan leaves unplaced.
    pub unplaced_parts: usize,
    /// Proven: no plan leaves fewer unplaced.
    pub lower_bound: usize,
    /// Whether `unplaced_parts` is the proven minimum.
    pub proven: bool,
    /// Doctors with at least one part unplaced.
    pub doctors_with_unplaced: usize,
    /// Doctors with at least one block (some may also have a part unplaced).
    pub doctors_with_blocks: usize,
    pub seconds: f64,
    /// Who the lower bound is about, in domain words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
    /// Why the stage stopped without proving its count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// The placement found.
#[derive(Clone, Debug, Serialize)]
pub struct Placement {
    #[serde(skip)]
    pub blocks: Vec<Block>,
    #[serde(skip)]
    pub unplaced: Vec<Unplaced>,
    /// The whole result: `objective` is every term with the unplaced penalty; `bound` is a
    /// lower bound on it among plans with as many unplaced parts as this one; `gap` is the
    /// cost stage's (the penalty left out); `optimal` only when both stages are proven.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The count stage.
    pub count: CountSummary,
    /// The cost stage: the cost without the unplaced penalty, its bound and gap, with the
    /// number of unplaced parts fixed at the count stage's.
    pub cost: Outcome,
    /// Each objective term, in cost points.
    pub terms: BTreeMap<String, f64>,
    pub fairness: Fairness,
    pub size: Size,
    pub formulation: Formulation,
    /// The MIP solver that ran the models (`cbc` or `highs`).
    pub solver: crate::solver::Backend,
    /// How the worst-commute term is applied.
    pub worst_commute_rule: &'static str,
    /// Warnings about the solve (e.g. a part too large for the time limit).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Candidate blocks in one part above which it is planned by large-neighbourhood search
/// with cluster and Lagrangian bounds ([`stages`]) instead of one CBC solve per stage.
/// Measured on 2 cores: CBC's first relaxation of the 500-doctor generated instance's cost
/// model (58,000 candidates) alone takes 12 s of CPU time and is not interrupted by the
/// time limit.
pub const LARGE_PART: usize = lns::THRESHOLD;

/// Seconds kept back from the command's deadline for the explanations, the re-check and
/// the files after the placement.
const MARGIN: f64 = 1.0;

/// Place every doctor of `problem`. Doctors who cannot be placed are reported in
/// `unplaced` with a reason in domain words (never silently dropped).
///
/// Each independent part is solved lexicographically ([`stages`]): first as few unplaced
/// requirement parts as possible, then the cheapest plan with that many.
pub fn place(problem: &Problem, travel: &Travel, opts: &PlaceOptions) -> Result<Placement> {
    let started = Instant::now();
    let inst = problem.inst;
    let accept_errors = check_accept_locks(problem, travel);
    let (cands, pruned) = all_candidates(problem, travel);
    if opts.solver.verbose {
        eprintln!(
            "placement: {:7.2} s  {} candidate blocks",
            started.elapsed().as_secs_f64(),
            cands.len()
        );
    }
    if let Some(e) = accept_errors(&cands) {
        return Err(e);
    }
    let parts = if opts.decompose {
        decompose::components(problem, &cands)
    } else {
        vec![decompose::Component::whole(problem, &cands)]
    };
    let size = Size {
        candidates: cands.len(),
        parts: parts.len(),
        largest_part_doctors: parts.iter().map(|p| p.doctors.len()).max().unwrap_or(0),
    };
    let mut solver = opts.solver.clone();
    let margin = MARGIN.min(0.1 * solver.time_limit);
    solver.deadline = solver.deadline.map(|d| d.earlier_by(margin));
    // Time budget shared by the parts in proportion to their candidates.
    let total: usize = parts
        .iter()
        .map(|p| p.candidates.len())
        .sum::<usize>()
        .max(1);
    let solved: Vec<Result<stages::PartPlan>> = parts
        .par_iter()
        .map(|part| {
            let mut o = solver.clone();
            let share = part.candidates.len().max(1) as f64 / total as f64;
            o.time_limit = (solver.time_limit * share).max(solver.time_limit.min(2.0));
            stages::solve(problem, &cands, part, &o, opts.formulation, opts.large_part)
        })
        .collect();
    let mut blocks = Vec::new();
    let mut unplaced_parts: Vec<(DoctorId, usize)> = Vec::new();
    let mut costs = Vec::new();
    let mut count = CountSummary::default();
    let mut terms: BTreeMap<String, f64> = BTreeMap::new();
    let mut notes = Vec::new();
    for s in solved {
        let s = s?;
        blocks.extend(s.chosen.iter().map(|&i| cands[i].block()));
        unplaced_parts.extend(s.unplaced);
        costs.push(s.cost);
        count.lower_bound += s.count.bound;
        count.seconds = count.seconds.max(s.count.seconds);
        count.why.extend(s.count.why);
        count.stopped = count.stopped.or(s.count.stopped);
        notes.extend(s.notes);
        for (k, v) in s.terms {
            *terms.entry(k).or_default() += v;
        }
    }
    sort_blocks(&mut blocks);
    notes.extend(explain::old_scheme_after_deadline(inst, &blocks));
    unplaced_parts.sort();
    count.unplaced_parts = unplaced_parts.len();
    count.lower_bound = count.lower_bound.min(count.unplaced_parts);
    count.proven = count.lower_bound == count.unplaced_parts;
    let unplaced =
        explain::explain_unplaced(problem, travel, &cands, &pruned, &blocks, &unplaced_parts);
    let cost = Outcome::combine(&costs);
    let penalty = inst.settings.weights.unplaced * count.unplaced_parts as f64;
    // Optimal only when both stages are proven.
    let status = if count.proven {
        cost.status
    } else {
        crate::solver::Status::TimeLimit
    };
    let outcome = Outcome {
        status,
        objective: terms.values().sum(),
        bound: cost.bound + penalty,
        gap: cost.gap,
        seconds: started.elapsed().as_secs_f64(),
        variables: cost.variables,
        constraints: cost.constraints,
    };
    let fairness = fairness(inst, &blocks, &unplaced);
    count.doctors_with_unplaced = fairness.unplaced_doctors;
    count.doctors_with_blocks = fairness.placed_doctors;
    Ok(Placement {
        blocks,
        unplaced,
        outcome,
        count,
        cost,
        terms,
        fairness,
        size,
        formulation: opts.formulation,
        solver: opts.solver.backend,
        notes,
        worst_commute_rule: "min-max term per independent part: the longest daily commute of each group of doctors that compete for the same departments is penalised by [weights] worst_commute per minute",
    })
}

/// A bundled instance by name (for the tests of the placement's modules).
#[cfg(test)]
pub(crate) fn bundled(name: &str) -> Instance {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join(name);
    crate::io::load_instance(&dir).expect("the bundled instance loads")
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

impl Placement {
    /// What to tell the user about this placement: lines to print, then warnings.
    pub fn describe(&self, inst: &Instance) -> (Vec<String>, Vec<String>) {
        let o = &self.outcome;
        let c = &self.count;
        let cost = &self.cost;
        // With parts unplaced the objective holds their penalty, and the gap leaves it out.
        let penalised = c.unplaced_parts > 0;
        let status = if o.status.is_optimal() {
            "proven optimal".to_string()
        } else if penalised {
            // The gap goes on the cost line below, beside the cost it measures.
            format!("{} (the cost's gap is below)", o.status.label())
        } else if cost.bound.is_finite() {
            format!(
                "{} (gap {:.2} % to the bound {:.1})",
                o.status.label(),
                100.0 * o.gap,
                o.bound
            )
        } else {
            format!("{} (no bound known)", o.status.label())
        };
        let mut lines = vec![format!(
            "placed {} of {} doctors in {} blocks; {status}; objective {:.1}{}; {:.2} s; {} variables, {} constraints in {} part(s)",
            c.doctors_with_blocks,
            inst.doctors.len(),
            self.blocks.len(),
            o.objective,
            if penalised {
                " with the unplaced penalty"
            } else {
                ""
            },
            o.seconds,
            o.variables,
            o.constraints,
            self.size.parts
        )];
        if c.unplaced_parts > 0 || !c.proven {
            let minimum = if c.proven {
                "the proven minimum".to_string()
            } else {
                format!(
                    "at least {} must stay unplaced (proven){}",
                    c.lower_bound,
                    c.stopped
                        .as_ref()
                        .map_or(String::new(), |why| format!("; the search stopped: {why}"))
                )
            };
            lines.push(format!(
                "{} requirement part(s) unplaced, {} doctor(s) with a part unplaced; {minimum}",
                c.unplaced_parts, c.doctors_with_unplaced
            ));
            for why in &c.why {
                lines.push(format!("  {why}"));
            }
            let at_count = if cost.status.is_optimal() {
                "proven optimal".to_string()
            } else if cost.bound.is_finite() {
                format!(
                    "gap {:.2} % to the bound {:.1}",
                    100.0 * cost.gap,
                    cost.bound
                )
            } else {
                "no bound known".to_string()
            };
            lines.push(format!(
                "cost at {} unplaced (objective without the unplaced penalty): {:.1}; {at_count}",
                c.unplaced_parts, cost.objective
            ));
        }
        lines.push(format!(
            "daily commute: longest {} min, mean {:.0} min; {} doctor(s) relocate",
            self.fairness.max_commute_minutes,
            self.fairness.mean_commute_minutes,
            self.fairness.relocated_doctors
        ));
        let mut warnings: Vec<String> = self
            .unplaced
            .iter()
            .map(|u| {
                format!(
                    "doctor {} not placed: {}",
                    inst.doctor(u.doctor).id,
                    u.reason
                )
            })
            .collect();
        warnings.extend(self.notes.iter().cloned());
        (lines, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::Status;

    /// The console's first line gives a gap only beside the objective it measures: with parts
    /// unplaced the objective holds their penalty and the gap leaves it out, so the gap is
    /// given on the cost line, beside the cost at that count.
    #[test]
    fn the_console_gives_each_gap_beside_the_figure_it_measures() {
        let inst = bundled("alis-vest");
        let travel = Travel::new(&inst);
        let opts = PlaceOptions::new(crate::solver::SolveOptions {
            time_limit: 20.0,
            ..Default::default()
        });
        let mut placed = place(&Problem::new(&inst), &travel, &opts).expect("alis-vest places");
        // As a run stopped by its time limit would report it, first with every part placed.
        placed.outcome.status = Status::TimeLimit;
        placed.cost.status = Status::TimeLimit;
        placed.outcome.gap = 0.02;
        placed.cost.gap = 0.02;
        placed.outcome.bound = 0.98 * placed.outcome.objective;
        placed.cost.bound = placed.outcome.bound;
        let (lines, _) = placed.describe(&inst);
        assert!(lines[0].contains("gap 2.00 % to the bound"), "{lines:?}");
        assert!(!lines.iter().any(|l| l.starts_with("cost at")), "{lines:?}");
        // Then with two parts unplaced, whose penalty the objective holds.
        let penalty = 2.0 * inst.settings.weights.unplaced;
        placed.count.unplaced_parts = 2;
        placed.count.lower_bound = 2;
        placed.count.proven = true;
        placed.outcome.objective += penalty;
        placed.outcome.bound += penalty;
        let (lines, _) = placed.describe(&inst);
        assert!(!lines[0].contains("% to the bound"), "{lines:?}");
        assert!(lines[0].contains("with the unplaced penalty"), "{lines:?}");
        let cost = lines.iter().find(|l| l.starts_with("cost at 2 unplaced"));
        assert!(
            cost.is_some_and(|l| l.contains("gap 2.00 % to the bound")),
            "{lines:?}"
        );
    }
}
