//! Large-neighbourhood search for large parts: keep everyone but a small group of doctors
//! where they are, re-solve that group exactly with CBC, and keep the result only if the
//! whole part is better. It serves both stages of the lexicographic solve:
//!
//! - **count**: the group is built around a requirement part left unplaced (the doctors
//!   who use the departments it could go to, or share its municipality, in overlapping
//!   months), or is a whole cluster of doctors near one trust whose own lower bound says
//!   it could do better; the group's model counts unplaced parts, and a result is kept if
//!   fewer parts stay unplaced.
//! - **cost**: the group is a cluster of doctors near one hospital, with the cluster that
//!   competes most for the same departments, or doctors the cost relaxation would move;
//!   the group's model minimises the cost with no more of its parts unplaced than now, and
//!   a result is kept if the part costs less.
//!
//! Besides, for both stages, a linear relaxation over every doctor with a few blocks each
//! is rounded ([`Search::round_relaxation`]), and parts left open are put into free slots
//! ([`Search::fill`]).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::model::*;
use crate::solver::SolveOptions;

use super::decompose::Component;
use super::model::{Stage, solve_stage};
use super::objective::{Evaluation, price};
use super::{Candidate, Formulation, Problem, greedy};

/// Parts with more candidate blocks than this are planned by the search, with bounds from
/// cluster solves and a Lagrangian relaxation, instead of one CBC solve per stage.
pub const THRESHOLD: usize = 8_000;
/// Doctors freed around an unplaced part at first.
const FREED: usize = 40;
/// Doctors freed around an unplaced part at most: once every unplaced part has been a
/// seed without success, the neighbourhoods double in size up to this.
const MAX_FREED: usize = 160;
/// Time limit of one neighbourhood's solve, seconds.
const SUB_LIMIT: f64 = 3.0;

/// What the search improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Fewer unplaced requirement parts.
    Count,
    /// Lower cost, with no more unplaced parts.
    Cost,
}

/// A plan of one part being improved, with its evaluation.
pub struct Search<'a> {
    problem: &'a Problem<'a>,
    cands: &'a [Candidate],
    comp: &'a Component,
    /// Each doctor's candidates (global indices).
    of_doctor: BTreeMap<DoctorId, Vec<usize>>,
    /// The chosen candidates (global indices).
    pub current: Vec<usize>,
    pub eval: Evaluation,
    /// Each part's whole blocks, cheapest first (found once, when first needed).
    whole: std::cell::OnceCell<greedy::WholeBlocks>,
    /// How much of each candidate block (global index) the last relaxation used.
    relaxed: BTreeMap<usize, f64>,
    /// Neighbourhoods solved, and how many were kept.
    pub tried: usize,
    pub kept: usize,
    /// Plans kept so far: the current plan's version.
    version: usize,
    /// The version of the plan on which [`Search::reduce_unplaced`] last tried every
    /// neighbourhood size around every part left unplaced and found nothing more.
    exhausted_at: Option<usize>,
}

impl<'a> Search<'a> {
    /// A search starting from `start` (global candidate indices).
    pub fn new(
        problem: &'a Problem<'a>,
        cands: &'a [Candidate],
        comp: &'a Component,
        start: Vec<usize>,
    ) -> Search<'a> {
        let mut of_doctor: BTreeMap<DoctorId, Vec<usize>> = BTreeMap::new();
        for &g in &comp.candidates {
            of_doctor.entry(cands[g].doctor).or_default().push(g);
        }
        let eval = price(problem, cands, comp, &start);
        Search {
            problem,
            cands,
            comp,
            of_doctor,
            current: start,
            eval,
            whole: std::cell::OnceCell::new(),
            relaxed: BTreeMap::new(),
            tried: 0,
            kept: 0,
            version: 0,
            exhausted_at: None,
        }
    }

    /// A search starting from the greedy plan.
    pub fn from_greedy(
        problem: &'a Problem<'a>,
        cands: &'a [Candidate],
        comp: &'a Component,
    ) -> Search<'a> {
        let whole = greedy::whole_blocks(problem, cands, &comp.candidates);
        let start = greedy::greedy_with(problem, cands, &comp.candidates, &comp.doctors, &whole)
            .into_iter()
            .map(|i| comp.candidates[i])
            .collect();
        let search = Search::new(problem, cands, comp, start);
        let _ = search.whole.set(whole);
        search
    }

    /// Each part's whole blocks, cheapest first.
    fn whole(&self) -> &greedy::WholeBlocks {
        self.whole
            .get_or_init(|| greedy::whole_blocks(self.problem, self.cands, &self.comp.candidates))
    }

    /// Options for one solve of at most `limit` seconds within `opts`, without the
    /// solver's log.
    fn sub_options(opts: &SolveOptions, limit: f64) -> SolveOptions {
        let mut o = opts.clone();
        o.time_limit = limit.min(opts.seconds_left()).max(0.05);
        o.verbose = false;
        // A re-solve from the current plan wants a better plan soon, not a proof.
        o.probing = false;
        o
    }

    /// The stage a re-solve for `goal` solves, with no more than `unplaced` parts left
    /// unplaced when it is the cost.
    fn stage_for(goal: Goal, unplaced: usize) -> Stage {
        match goal {
            Goal::Count => Stage::Count,
            Goal::Cost => Stage::Cost {
                unplaced_at_most: Some(unplaced),
            },
        }
    }

    /// Make `plan` the current plan if it is better for `goal` (fewer unplaced parts; or,
    /// for the cost, no more unplaced and cheaper). Returns whether it did.
    fn keep_if_better(&mut self, plan: Vec<usize>, goal: Goal) -> bool {
        let eval = price(self.problem, self.cands, self.comp, &plan);
        let better = match goal {
            Goal::Count => eval.unplaced.len() < self.unplaced(),
            Goal::Cost => {
                eval.unplaced.len() <= self.unplaced() && cost_of(&eval) < self.cost() - 1e-6
            }
        };
        if better {
            self.current = plan;
            self.eval = eval;
            self.version += 1;
        }
        better
    }

    /// Requirement parts the current plan leaves unplaced.
    pub fn unplaced(&self) -> usize {
        self.eval.unplaced.len()
    }

    /// Requirement parts of `doctors` the current plan leaves unplaced.
    pub fn unplaced_among(&self, doctors: &BTreeSet<DoctorId>) -> usize {
        self.eval
            .unplaced
            .iter()
            .filter(|(d, _)| doctors.contains(d))
            .count()
    }

    /// The current plan's blocks of `doctors` (global indices).
    pub fn plan_of(&self, doctors: &BTreeSet<DoctorId>) -> Vec<usize> {
        self.current
            .iter()
            .copied()
            .filter(|&g| doctors.contains(&self.cands[g].doctor))
            .collect()
    }

    /// Doctors whose current blocks are in any of `departments`.
    pub fn holders(&self, departments: &BTreeSet<DepartmentId>) -> BTreeSet<DoctorId> {
        self.current
            .iter()
            .map(|&g| &self.cands[g])
            .filter(|c| departments.contains(&c.department))
            .map(|c| c.doctor)
            .collect()
    }

    /// The doctors whose current block is in the department of candidate `g` in one of
    /// its months: those `g` would need to move.
    pub fn blocking(&self, g: usize) -> Vec<DoctorId> {
        let want = &self.cands[g];
        let mut found: Vec<DoctorId> = self
            .current
            .iter()
            .map(|&h| &self.cands[h])
            .filter(|c| {
                c.department == want.department
                    && c.doctor != want.doctor
                    && c.span().overlap(&want.span()) > 0
            })
            .map(|c| c.doctor)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The departments where the parts of `doctors` left unplaced could go.
    pub fn wanted_by_unplaced(&self, doctors: &BTreeSet<DoctorId>) -> BTreeSet<DepartmentId> {
        let open: BTreeSet<(DoctorId, usize)> = self
            .eval
            .unplaced
            .iter()
            .copied()
            .filter(|(d, _)| doctors.contains(d))
            .collect();
        open.iter()
            .flat_map(|(d, _)| self.of_doctor.get(d).map_or(&[][..], Vec::as_slice))
            .map(|&g| &self.cands[g])
            .filter(|c| open.contains(&(c.doctor, c.part)))
            .map(|c| c.department)
            .collect()
    }

    /// Place what a plain insertion or one moved block can place
    /// ([`greedy::fill`]); keep it if fewer parts stay unplaced. Returns whether it was kept.
    pub fn fill(&mut self) -> bool {
        if self.eval.unplaced.is_empty() {
            return false;
        }
        let plan = greedy::fill(
            self.problem,
            self.cands,
            &self.comp.candidates,
            self.whole(),
            &self.current,
        );
        self.keep_if_better(plan, Goal::Count)
    }

    /// A better plan by rounding a linear relaxation over every doctor at once, each with
    /// a few blocks: the blocks now chosen, each part's `per_part` cheapest whole blocks,
    /// and for each part left unplaced up to `per_open` of its whole blocks, cheapest
    /// first. For [`Goal::Count`] the relaxation is the count's, for [`Goal::Cost`] the
    /// cost's with no more parts unplaced than now. The relaxation sees chains of moves
    /// across the whole part (one doctor to a cheap alternative, another into the slot
    /// freed, …) that no neighbourhood of a few doctors holds; [`greedy::guided`] rounds
    /// it and [`greedy::fill`] places what still fits. Keeps the plan if it is better for
    /// `goal`; returns whether it did. The relaxation's values are kept for
    /// [`Search::disagreeing`].
    pub fn round_relaxation(
        &mut self,
        goal: Goal,
        per_part: usize,
        per_open: usize,
        opts: &SolveOptions,
        limit: f64,
    ) -> bool {
        if (goal == Goal::Count && self.eval.unplaced.is_empty()) || opts.should_stop() {
            return false;
        }
        let (problem, cands) = (self.problem, self.cands);
        let open: BTreeSet<(DoctorId, usize)> = self.eval.unplaced.iter().copied().collect();
        let local = &self.comp.candidates;
        let mut few: BTreeSet<usize> = self.current.iter().copied().collect();
        for (key, list) in self.whole() {
            let take = if open.contains(key) {
                per_open
            } else {
                per_part
            };
            few.extend(list.iter().take(take).map(|&i| local[i]));
        }
        let sub = Component {
            doctors: self.comp.doctors.clone(),
            candidates: few.into_iter().collect(),
        };
        let stage = Self::stage_for(goal, self.unplaced());
        let o = Self::sub_options(opts, limit);
        self.tried += 1;
        let Ok((lp, _)) = super::model::relaxation(problem, cands, &sub, &o, stage) else {
            self.relaxed.clear();
            return false;
        };
        let whole = self.whole();
        let rounded = greedy::guided(problem, cands, local, &self.comp.doctors, whole, &lp);
        let plan = greedy::fill(problem, cands, local, whole, &rounded);
        self.relaxed = lp.into_iter().collect();
        let better = self.keep_if_better(plan, goal);
        self.kept += usize::from(better);
        better
    }

    /// Whether the last relaxation ([`Search::round_relaxation`]) was solved (in time).
    pub fn relaxation_solved(&self) -> bool {
        !self.relaxed.is_empty()
    }

    /// Doctors whose blocks the last relaxation ([`Search::round_relaxation`]) would
    /// rather not use (a chosen block used less than half), those of one department
    /// together: where re-solving is most likely to pay. None when the last relaxation was
    /// not solved in time.
    pub fn disagreeing(&self) -> Vec<DoctorId> {
        if self.relaxed.is_empty() {
            return Vec::new(); // No relaxation solved (in time).
        }
        let mut found: Vec<(DepartmentId, DoctorId)> = self
            .current
            .iter()
            .filter(|g| self.relaxed.get(g).copied().unwrap_or(0.0) < 0.5)
            .map(|&g| (self.cands[g].department, self.cands[g].doctor))
            .collect();
        found.sort();
        let mut seen = BTreeSet::new();
        found
            .into_iter()
            .map(|(_, d)| d)
            .filter(|d| seen.insert(*d))
            .collect()
    }

    /// The current plan's cost without the unplaced penalty.
    pub fn cost(&self) -> f64 {
        cost_of(&self.eval)
    }

    /// Where the plan stands, for `-v` lines: "4 unplaced, cost 1399094334.0".
    pub fn standing(&self) -> String {
        format!("{} unplaced, cost {:.1}", self.unplaced(), self.cost())
    }

    /// Re-solve the doctors in `freed` with everyone else kept where they is, for `goal`;
    /// keep the result if it is better. Returns whether it was kept.
    pub fn try_neighbourhood(
        &mut self,
        freed: &BTreeSet<DoctorId>,
        goal: Goal,
        opts: &SolveOptions,
    ) -> bool {
        self.try_within(freed, goal, opts, SUB_LIMIT)
    }

    /// [`Search::try_neighbourhood`] with at most `limit` seconds for the solve.
    pub fn try_within(
        &mut self,
        freed: &BTreeSet<DoctorId>,
        goal: Goal,
        opts: &SolveOptions,
        limit: f64,
    ) -> bool {
        self.solve_freed(freed, goal, opts, limit, |_| true)
    }

    /// [`Search::try_neighbourhood`] with the freed doctors' blocks limited to `pool`
    /// (global indices) and the blocks they hold now, and at most `limit` seconds: with a
    /// few blocks each, a neighbourhood of every doctor of a large part solves in seconds,
    /// the more surely without strong branching.
    pub fn try_over(
        &mut self,
        freed: &BTreeSet<DoctorId>,
        pool: &HashSet<usize>,
        goal: Goal,
        opts: &SolveOptions,
        limit: f64,
    ) -> bool {
        let now: HashSet<usize> = self
            .current
            .iter()
            .copied()
            .filter(|&g| freed.contains(&self.cands[g].doctor))
            .collect();
        let opts = SolveOptions {
            strong_branching: false,
            ..opts.clone()
        };
        self.solve_freed(freed, goal, &opts, limit, |g| {
            pool.contains(&g) || now.contains(&g)
        })
    }

    /// Re-solve the doctors in `freed` over their blocks that `allowed` keeps, everyone
    /// else where they are; keep the result if it is better for `goal`.
    fn solve_freed(
        &mut self,
        freed: &BTreeSet<DoctorId>,
        goal: Goal,
        opts: &SolveOptions,
        limit: f64,
        allowed: impl Fn(usize) -> bool,
    ) -> bool {
        if freed.is_empty() || opts.should_stop() {
            return false;
        }
        let (cands, problem) = (self.cands, self.problem);
        let kept: Vec<usize> = self
            .current
            .iter()
            .copied()
            .filter(|&i| !freed.contains(&cands[i].doctor))
            .collect();
        let sub = problem.with_fixed(kept.iter().map(|&i| cands[i].block()));
        let sub_comp = Component {
            doctors: freed.iter().copied().collect(),
            candidates: freed
                .iter()
                .flat_map(|d| self.of_doctor.get(d).map_or(&[][..], Vec::as_slice))
                .copied()
                .filter(|&g| allowed(g))
                .collect(),
        };
        let start: Vec<usize> = self
            .current
            .iter()
            .copied()
            .filter(|&i| freed.contains(&cands[i].doctor))
            .collect();
        let stage = Self::stage_for(goal, self.unplaced_among(freed));
        let o = Self::sub_options(opts, limit);
        self.tried += 1;
        let Ok(solved) = solve_stage(
            &sub,
            cands,
            &sub_comp,
            &o,
            Formulation::Strong,
            stage,
            Some(&start),
        ) else {
            return false;
        };
        let mut plan = kept;
        plan.extend(solved.chosen);
        let better = self.keep_if_better(plan, goal);
        self.kept += usize::from(better);
        better
    }

    /// Fewer unplaced parts: neighbourhoods around each unplaced part, growing when a
    /// round finds nothing, until `target` is reached, the sizes are exhausted or `opts`
    /// says to stop. Neighbourhoods are deterministic in the plan: once every size has
    /// been tried around every unplaced part in vain, nothing is re-solved until the plan
    /// changes (measured on 2,000 generated doctors: the repeat took 4–5 s of 60 and
    /// never placed a part).
    pub fn reduce_unplaced(&mut self, target: usize, opts: &SolveOptions) {
        if self.exhausted_at == Some(self.version) {
            return;
        }
        let mut size = FREED;
        let mut tried: BTreeSet<(DoctorId, usize)> = BTreeSet::new();
        while self.unplaced() > target && !opts.should_stop() {
            let seed = self
                .eval
                .unplaced
                .iter()
                .copied()
                .find(|k| !tried.contains(k) && self.of_doctor.contains_key(&k.0));
            let Some(seed) = seed else {
                if size >= MAX_FREED {
                    self.exhausted_at = Some(self.version);
                    break;
                }
                size = (size * 2).min(MAX_FREED);
                tried.clear();
                continue;
            };
            tried.insert(seed);
            let freed = self.around(seed.0, size);
            if self.try_neighbourhood(&freed, Goal::Count, opts) {
                // Doctors freed here may be placeable from other seeds again.
                tried.retain(|(d, _)| !freed.contains(d));
            }
        }
    }

    /// The seed and up to `size − 1` doctors whose current blocks overlap the seed's
    /// candidate blocks in time and share a department or the municipality.
    pub fn around(&self, seed: DoctorId, size: usize) -> BTreeSet<DoctorId> {
        let (inst, cands) = (self.problem.inst, self.cands);
        let mine = self.of_doctor.get(&seed).map_or(&[][..], Vec::as_slice);
        let departments: BTreeSet<DepartmentId> =
            mine.iter().map(|&i| cands[i].department).collect();
        let span = mine.iter().fold(None::<MonthRange>, |acc, &i| {
            let s = cands[i].span();
            Some(acc.map_or(s, |a| {
                MonthRange::new(a.first.min(s.first), a.last.max(s.last))
            }))
        });
        let muni = inst.doctor(seed).municipality;
        let mut scored: Vec<(i32, DoctorId)> = self
            .current
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
}

/// A plan's cost without the unplaced penalty.
pub fn cost_of(eval: &Evaluation) -> f64 {
    eval.terms
        .iter()
        .filter(|(name, _)| name.as_str() != "unplaced")
        .map(|(_, v)| v)
        .sum()
}

/// A better plan for part `comp` (global candidate indices) by the weighted objective:
/// fewer unplaced parts first, found within `budget` seconds from the greedy start.
pub fn improve(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
    budget: f64,
) -> Vec<usize> {
    let mut o = opts.clone();
    o.time_limit = budget;
    if opts.seconds_left() > budget {
        o.deadline = Some(crate::budget::Deadline::after(budget));
    }
    let mut search = Search::from_greedy(problem, cands, comp);
    search.reduce_unplaced(0, &o);
    search.current
}
