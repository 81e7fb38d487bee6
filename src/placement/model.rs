//! The placement integer program of one independent part. Each rule of the hospital
//! service is one function below; its doc comment states the rule in domain words and its
//! name is the rule's name in `verify`.
//!
//! Variables: `x[c]` = 1 if candidate block `c` is chosen; `unplaced[d,p]` = 1 if doctor
//! `d`'s requirement part `p` cannot be placed (elastic, heavily penalised); `stagger[mu,m]`
//! = doctors of municipality `mu` away in month `m` beyond the first; `short[k,m]` = empty
//! `min_fill` slots; `worst` = the longest daily commute in the part.

use std::collections::{BTreeMap, BTreeSet};

use good_lp::{Expression, Variable};

use crate::error::Result;
use crate::model::*;
use crate::solver::{self, Model, Outcome, SolveOptions};

use super::decompose::Component;
use super::greedy;
use super::objective::{block_cost, price};
use super::{Candidate, Formulation, Problem};

/// What one part's solve decided.
pub struct PartSolution {
    /// Indices (into the global candidate list) of the chosen blocks.
    pub chosen: Vec<usize>,
    /// Requirement parts left unplaced.
    pub unplaced: Vec<(DoctorId, usize)>,
    pub outcome: Outcome,
    pub terms: BTreeMap<String, f64>,
}

/// The builder of one part's model: candidates, their variables, and indexes by month.
struct Builder<'a> {
    problem: &'a Problem<'a>,
    cands: &'a [Candidate],
    /// Global indices of this part's candidates; `x[i]` belongs to `local[i]`.
    local: &'a [usize],
    x: Vec<Variable>,
    strong: bool,
    stage: Stage,
    model: Model,
    /// Constant objective terms (e.g. min-fill slots no candidate can fill).
    constants: BTreeMap<String, f64>,
    unplaced: BTreeMap<(DoctorId, usize), Variable>,
    /// Extra absences of a municipality in a month.
    stagger: Vec<(Variable, MunicipalityId, Month)>,
    /// Empty min-fill slots of a department in a month, and how many are wanted.
    short: Vec<(Variable, DepartmentId, Month, u32)>,
    worst: Option<Variable>,
    /// Per doctor with both group years open: the variable "the first year is the practice
    /// year" and the candidates (local indices) with months in the second year.
    practice: Vec<(Variable, Vec<usize>)>,
}

impl<'a> Builder<'a> {
    fn cand(&self, i: usize) -> &'a Candidate {
        &self.cands[self.local[i]]
    }

    /// Local candidates grouped by a key of each month they cover.
    fn by_month<K: Ord>(
        &self,
        key: impl Fn(&Candidate) -> Option<K>,
    ) -> BTreeMap<(K, Month), Vec<usize>> {
        let mut out: BTreeMap<(K, Month), Vec<usize>> = BTreeMap::new();
        for i in 0..self.local.len() {
            let c = self.cand(i);
            for m in c.span().months() {
                if let Some(k) = key(c) {
                    out.entry((k, m)).or_default().push(i);
                }
            }
        }
        out
    }

    fn sum(&self, idx: &[usize]) -> Expression {
        let mut e = Expression::with_capacity(idx.len());
        for &i in idx {
            e.add_mul(1.0, self.x[i]);
        }
        e
    }

    fn distinct_doctors(&self, idx: &[usize]) -> usize {
        idx.iter()
            .map(|&i| self.cand(i).doctor)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Each requirement part is served in full: one block of the required length, or
    /// blocks whose months add up to it; otherwise it is reported as unplaced.
    fn requirement_met(&mut self, d: DoctorId, p: usize, part: &RequirementPart, idx: &[usize]) {
        let split = part.block_lengths().len() > 1;
        // Counting, the solver is told the count is whole (a bound of 4.2 then proves 5).
        let u = if split || self.stage == Stage::Count {
            self.model.binary()
        } else {
            self.model.continuous(0.0, 1.0)
        };
        self.unplaced.insert((d, p), u);
        let mut served = Expression::with_capacity(idx.len() + 1);
        for &i in idx {
            let weight = if split {
                f64::from(self.cand(i).len)
            } else {
                1.0
            };
            served.add_mul(weight, self.x[i]);
        }
        let whole = if split {
            f64::from(part.calendar_months)
        } else {
            1.0
        };
        served.add_mul(whole, u);
        self.model.constrain(served.eq(whole));
    }

    /// Lexicographic second stage: no more requirement parts stay unplaced than the first
    /// stage found necessary.
    fn unplaced_at_most(&mut self, n: usize) {
        let mut left = Expression::with_capacity(self.unplaced.len());
        for &u in self.unplaced.values() {
            left.add_mul(1.0, u);
        }
        self.model.constrain(left.leq(n as f64));
    }

    /// A part may be split into at most `max_blocks` blocks (each block length is at least
    /// `min_block` by construction of the candidates).
    fn block_shape(&mut self, part: &RequirementPart, idx: &[usize]) {
        if part.block_lengths().len() > 1 {
            let blocks = self.sum(idx);
            self.model.constrain(blocks.leq(f64::from(part.max_blocks)));
        }
    }

    /// A doctor is in at most one department in any month.
    fn one_place_at_a_time(&mut self) {
        let multi: BTreeSet<DoctorId> = if self.strong {
            // A doctor with one single-block part can only ever have one block.
            self.problem
                .inst
                .doctor_ids()
                .filter(|&d| {
                    let parts = self.problem.parts(d);
                    parts.len() > 1 || parts.iter().any(|p| p.block_lengths().len() > 1)
                })
                .collect()
        } else {
            self.problem.inst.doctor_ids().collect()
        };
        for ((_, _), idx) in self.by_month(|c| multi.contains(&c.doctor).then_some(c.doctor)) {
            if idx.len() > 1 {
                let busy = self.sum(&idx);
                self.model.constrain(busy.leq(1.0));
            }
        }
    }

    /// A department never has more ALIS than its slots in any month (slots taken by fixed
    /// blocks of a re-plan included).
    fn department_capacity(&mut self) {
        for ((k, m), idx) in self.by_month(|c| Some(c.department)) {
            let slots = self.problem.inst.department(k).capacity_in(m);
            let free = f64::from(slots.saturating_sub(self.problem.fixed_in(k, m)));
            if self.strong && self.distinct_doctors(&idx) as f64 <= free {
                continue; // Cannot bind: fewer doctors could be there than there are slots.
            }
            let used = self.sum(&idx);
            self.model.constrain(used.leq(free));
        }
    }

    /// No more of a municipality's ALIS are in hospital in one month than its `max_away`.
    fn municipality_max_away(&mut self) {
        let inst = self.problem.inst;
        for ((mu, m), idx) in self.by_month(|c| Some(inst.doctor(c.doctor).municipality)) {
            let allowed = inst.municipality(mu).max_away;
            let free = f64::from(allowed.saturating_sub(self.problem.fixed_away(mu, m)));
            if self.strong && self.distinct_doctors(&idx) as f64 <= free {
                continue;
            }
            let away = self.sum(&idx);
            self.model.constrain(away.leq(free));
        }
    }

    /// Absences of one municipality are staggered: every doctor away beyond the first in
    /// the same month costs `[weights] stagger` (soft).
    fn stagger_absences(&mut self) {
        let inst = self.problem.inst;
        let weight = inst.settings.weights.stagger;
        if weight == 0.0 {
            return;
        }
        for ((mu, m), idx) in self.by_month(|c| Some(inst.doctor(c.doctor).municipality)) {
            let fixed = self.problem.fixed_away(mu, m);
            if self.distinct_doctors(&idx) as u32 + fixed < 2 {
                continue;
            }
            let s = self.model.continuous(0.0, f64::INFINITY);
            let mut away = self.sum(&idx);
            away.add_mul(-1.0, s);
            self.model.constrain(away.leq(1.0 - f64::from(fixed)));
            self.model.cost(weight, s);
            self.stagger.push((s, mu, m));
        }
    }

    /// At least one of the two guidance-group years is spent in general practice: a binary
    /// per doctor with more than one block picks that year, and no block touches it.
    fn group_period_in_practice(&mut self, d: DoctorId, idx: &[usize]) {
        let Some((years, may)) = self.problem.practice_years(d) else {
            return;
        };
        // No candidate touches both years (pruned when generated).
        let touching = |k: usize| -> Vec<usize> {
            let year = &years[k];
            idx.iter()
                .copied()
                .filter(|&i| self.cand(i).span().overlap(year) > 0)
                .collect()
        };
        let (first, second) = (touching(0), touching(1));
        // Years that can still be the practice year: leave allows it, nothing fixed there.
        let fixed = years.map(|y| self.problem.fixed_months_in(d, &y));
        let open = [0, 1].map(|k| may[k] && fixed[k] == 0);
        let forbidden = match open {
            [true, true] => None,
            [true, false] => Some(&first),
            [false, true] => Some(&second),
            // The past broke the rule: no choice can mend it.
            [false, false] => return,
        };
        if let Some(out) = forbidden {
            if !out.is_empty() {
                let blocks = self.sum(out);
                self.model.constrain(blocks.leq(0.0));
            }
            return;
        }
        let parts = self.problem.parts(d);
        let single = parts.len() == 1 && parts[0].block_lengths().len() == 1;
        if single || first.is_empty() || second.is_empty() {
            return; // One block, or one year out of reach: the year is chosen already.
        }
        let practice_first = self.model.binary();
        self.practice.push((practice_first, second.clone()));
        for (p, part) in parts.iter().enumerate() {
            let most = if part.block_lengths().len() > 1 {
                f64::from(part.max_blocks)
            } else {
                1.0
            };
            let of_part = |list: &[usize]| -> Vec<usize> {
                list.iter()
                    .copied()
                    .filter(|&i| self.cand(i).part == p)
                    .collect()
            };
            let (in_first, in_second) = (of_part(&first), of_part(&second));
            if !in_first.is_empty() {
                // Blocks in the first year only if the second is the practice year.
                let mut blocks = self.sum(&in_first);
                blocks.add_mul(most, practice_first);
                self.model.constrain(blocks.leq(most));
            }
            if !in_second.is_empty() {
                let mut blocks = self.sum(&in_second);
                blocks.add_mul(-most, practice_first);
                self.model.constrain(blocks.leq(0.0));
            }
        }
    }

    /// An accepted placement is kept: the doctor has a block matching every field the
    /// hospital's decision names. (Rejected placements are never candidates.)
    fn locks_respected(&mut self, d: DoctorId, idx: &[usize]) {
        let inst = self.problem.inst;
        for lock in self
            .problem
            .locks
            .iter()
            .filter(|l| l.doctor == d && l.decision == Decision::Accept)
        {
            let kept = self.problem.fixed.iter().any(|b| {
                b.doctor == d && lock.matches(inst.department(b.department), b.start, b.months)
            });
            if kept {
                continue;
            }
            let matching: Vec<usize> = idx
                .iter()
                .copied()
                .filter(|&i| {
                    let c = self.cand(i);
                    lock.matches(inst.department(c.department), c.start, c.len)
                })
                .collect();
            let honoured = self.sum(&matching);
            self.model.constrain(honoured.geq(1.0));
        }
    }

    /// A department's `min_fill` slots should be used: each empty one costs
    /// `[weights] min_fill` per month (soft).
    fn min_fill(&mut self, departments: &BTreeSet<DepartmentId>) {
        let inst = self.problem.inst;
        let weight = inst.settings.weights.min_fill;
        let covering = self.by_month(|c| Some(c.department));
        for &k in departments {
            let dept = inst.department(k);
            if dept.min_fill == 0 {
                continue;
            }
            for m in inst.horizon().months() {
                let need = dept
                    .min_fill_in(m)
                    .saturating_sub(self.problem.fixed_in(k, m));
                if need == 0 {
                    continue;
                }
                match covering.get(&(k, m)) {
                    None => {
                        *self.constants.entry("min_fill".into()).or_default() +=
                            weight * f64::from(need)
                    }
                    Some(idx) => {
                        let short = self.model.continuous(0.0, f64::from(need));
                        let mut filled = self.sum(idx);
                        filled.add_mul(1.0, short);
                        self.model.constrain(filled.geq(f64::from(need)));
                        self.model.cost(weight, short);
                        self.short.push((short, k, m, need));
                    }
                }
            }
        }
    }

    /// Fairness: the longest daily commute in this part costs `[weights] worst_commute` per
    /// minute (a min-max term; relocated doctors do not commute daily).
    fn worst_commute(&mut self, by_part: &BTreeMap<(DoctorId, usize), Vec<usize>>) {
        let weight = self.problem.inst.settings.weights.worst_commute;
        if weight == 0.0 || self.local.is_empty() {
            return;
        }
        let longest = (0..self.local.len())
            .filter(|&i| !self.cand(i).relocate)
            .map(|i| self.cand(i).commute)
            .max()
            .unwrap_or(0);
        let z = self.model.continuous(0.0, f64::from(longest));
        self.model.cost(weight, z);
        self.worst = Some(z);
        for (&(d, p), idx) in by_part {
            let part = &self.problem.parts(d)[p];
            let single_block = part.block_lengths().len() == 1;
            if self.strong && single_block {
                // At most one block of this part is chosen, so the sum is that block's commute.
                let mut commute = Expression::with_capacity(idx.len() + 1);
                for &i in idx {
                    let c = self.cand(i);
                    if !c.relocate && c.commute > 0 {
                        commute.add_mul(f64::from(c.commute), self.x[i]);
                    }
                }
                commute.add_mul(-1.0, z);
                self.model.constrain(commute.leq(0.0));
            } else {
                for &i in idx {
                    let c = self.cand(i);
                    if !c.relocate && c.commute > 0 {
                        let mut e = Expression::from(0.0);
                        e.add_mul(f64::from(c.commute), self.x[i]);
                        e.add_mul(-1.0, z);
                        self.model.constrain(e.leq(0.0));
                    }
                }
            }
        }
    }
}

/// What a solve of one part minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The requirement parts left unplaced, counted; costs do not matter (the first stage
    /// of the lexicographic solve).
    Count,
    /// The cost. With `unplaced_at_most: Some(n)` at most `n` requirement parts may stay
    /// unplaced and the unplaced penalty is left out of the objective (the second stage);
    /// with `None` the penalty prices every unplaced part (one weighted solve).
    Cost { unplaced_at_most: Option<usize> },
}

/// Build and solve the model of one independent part, minimising the weighted objective.
pub fn solve_part(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
    formulation: Formulation,
    start: Option<&[usize]>,
) -> Result<PartSolution> {
    let stage = Stage::Cost {
        unplaced_at_most: None,
    };
    solve_stage(problem, cands, comp, opts, formulation, stage, start)
}

/// Build and solve the model of one independent part for one stage of the lexicographic
/// solve (see [`Stage`]). The outcome's objective and bound are the stage's: a count of
/// requirement parts for [`Stage::Count`], cost points otherwise.
pub fn solve_stage(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
    formulation: Formulation,
    stage: Stage,
    start: Option<&[usize]>,
) -> Result<PartSolution> {
    if comp.candidates.is_empty() {
        return Ok(nothing_to_choose(problem, cands, comp, stage));
    }
    let (solved, x, constant) = build_and_solve(
        problem,
        cands,
        comp,
        opts,
        formulation,
        stage,
        start,
        Model::new(),
    )?;
    let chosen: Vec<usize> = (0..comp.candidates.len())
        .filter(|&i| solved.is_set(x[i]))
        .map(|i| comp.candidates[i])
        .collect();
    let plan = price(problem, cands, comp, &chosen);
    let mut outcome = solved.outcome.clone();
    outcome.objective += constant;
    outcome.bound += constant;
    outcome.gap = solver::relative_gap(outcome.objective, outcome.bound);
    Ok(PartSolution {
        chosen,
        unplaced: plan.unplaced,
        outcome,
        terms: plan.terms,
    })
}

/// The linear relaxation of the model of `comp` for `stage`: how much of each candidate
/// block (global index, value in 0..=1) a fractional plan at the relaxation's optimum uses,
/// and that optimum (for [`Stage::Count`], a lower bound on the count over these blocks).
pub fn relaxation(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
    stage: Stage,
) -> Result<(Vec<(usize, f64)>, f64)> {
    let (solved, x, constant) = build_and_solve(
        problem,
        cands,
        comp,
        opts,
        Formulation::Strong,
        stage,
        None,
        Model::relaxation(),
    )?;
    let used = (0..comp.candidates.len())
        .map(|i| (comp.candidates[i], solved.value(x[i])))
        .filter(|&(_, v)| v > 1e-6)
        .collect();
    Ok((used, solved.outcome.objective + constant))
}

/// Build the model of `comp` for `stage` into `model` and solve it: the answer, the block
/// variables (by local index) and the objective's constant part.
#[allow(clippy::too_many_arguments)]
fn build_and_solve(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
    formulation: Formulation,
    stage: Stage,
    start: Option<&[usize]>,
    model: Model,
) -> Result<(solver::Solved, Vec<Variable>, f64)> {
    let (model, x, constant) = build(problem, cands, comp, formulation, stage, start, model);
    let solved = solver::solve(model, opts, &infeasible_message(problem, comp))?;
    Ok((solved, x, constant))
}

/// Build the model of `comp` for `stage` into `model`: the model, the block variables (by
/// local index) and the objective's constant part.
fn build(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    formulation: Formulation,
    stage: Stage,
    start: Option<&[usize]>,
    model: Model,
) -> (Model, Vec<Variable>, f64) {
    let inst = problem.inst;
    let relaxed = model.is_relaxation();
    let mut b = Builder {
        problem,
        cands,
        local: &comp.candidates,
        x: Vec::new(),
        strong: formulation == Formulation::Strong,
        stage,
        model,
        constants: BTreeMap::new(),
        unplaced: BTreeMap::new(),
        stagger: Vec::new(),
        short: Vec::new(),
        worst: None,
        practice: Vec::new(),
    };
    let costs = stage != Stage::Count;
    // Decision variables and the cost of each block.
    for i in 0..comp.candidates.len() {
        let v = b.model.binary();
        if costs {
            b.model.cost(block_cost(problem, b.cand(i)), v);
        }
        b.x.push(v);
    }
    let mut by_part: BTreeMap<(DoctorId, usize), Vec<usize>> = BTreeMap::new();
    for i in 0..comp.candidates.len() {
        let c = b.cand(i);
        by_part.entry((c.doctor, c.part)).or_default().push(i);
    }
    let unplaced_weight = inst.settings.weights.unplaced;
    for &d in &comp.doctors {
        let mut doctor_idx = Vec::new();
        for (p, part) in problem.parts(d).iter().enumerate() {
            let idx = by_part.get(&(d, p)).cloned().unwrap_or_default();
            b.requirement_met(d, p, part, &idx);
            b.block_shape(part, &idx);
            doctor_idx.extend(idx);
        }
        b.group_period_in_practice(d, &doctor_idx);
        b.locks_respected(d, &doctor_idx);
    }
    let unplaced_vars: Vec<Variable> = b.unplaced.values().copied().collect();
    let per_unplaced = match stage {
        Stage::Count => 1.0,
        Stage::Cost {
            unplaced_at_most: None,
        } => unplaced_weight,
        Stage::Cost {
            unplaced_at_most: Some(n),
        } => {
            b.unplaced_at_most(n);
            0.0
        }
    };
    for u in unplaced_vars {
        b.model.cost(per_unplaced, u);
    }
    b.one_place_at_a_time();
    b.department_capacity();
    b.municipality_max_away();
    if costs {
        b.stagger_absences();
        let departments: BTreeSet<DepartmentId> = (0..comp.candidates.len())
            .map(|i| b.cand(i).department)
            .collect();
        b.min_fill(&departments);
        b.worst_commute(&by_part);
    }

    if b.strong && !relaxed {
        warm_start(&mut b, comp, start);
        // Measured on both bundled instances: with a warm start, CBC's feasibility pump and
        // preprocessing cost more than they save (1.6 s → 0.26 s on alis-vest).
        b.model.cbc_parameter("feas", "off");
        b.model.cbc_parameter("preprocess", "off");
        // CBC's coefficient dive re-solves the relaxation many times without looking at
        // the clock or at a stop request: on a 500-doctor neighbourhood it ran for minutes
        // past a 3 s limit and past Ctrl-C.
        b.model.cbc_parameter("DivingCoefficient", "off");
    }
    let constant: f64 = if costs {
        b.constants.values().sum()
    } else {
        0.0
    };
    let Builder { model, x, .. } = b;
    (model, x, constant)
}

/// A part whose doctors have no candidate block: every requirement part stays unplaced,
/// and there is nothing to solve (CBC would be handed a model without a decision).
fn nothing_to_choose(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    stage: Stage,
) -> PartSolution {
    let plan = price(problem, cands, comp, &[]);
    let objective = match stage {
        Stage::Count => plan.unplaced.len() as f64,
        Stage::Cost {
            unplaced_at_most: None,
        } => plan.total(),
        Stage::Cost {
            unplaced_at_most: Some(_),
        } => plan.total() - problem.inst.settings.weights.unplaced * plan.unplaced.len() as f64,
    };
    PartSolution {
        chosen: Vec::new(),
        unplaced: plan.unplaced,
        outcome: Outcome::trivial(objective),
        terms: plan.terms,
    }
}

/// Give the solver a starting solution (`start`, or else the greedy plan), with every
/// auxiliary variable set to the value that plan implies.
fn warm_start(b: &mut Builder, comp: &Component, start: Option<&[usize]>) {
    let chosen: Vec<usize> = match start {
        // A given start is in global candidate indices.
        Some(global) => {
            let at: BTreeMap<usize, usize> = comp
                .candidates
                .iter()
                .enumerate()
                .map(|(i, &g)| (g, i))
                .collect();
            global.iter().filter_map(|g| at.get(g).copied()).collect()
        }
        None => greedy::greedy(b.problem, b.cands, &comp.candidates, &comp.doctors),
    };
    let on: BTreeSet<usize> = chosen.iter().copied().collect();
    for i in 0..b.local.len() {
        let v = b.x[i];
        b.model.start(v, if on.contains(&i) { 1.0 } else { 0.0 });
    }
    let mut placed: BTreeMap<(DoctorId, usize), u32> = BTreeMap::new();
    for &i in &chosen {
        let c = b.cand(i);
        *placed.entry((c.doctor, c.part)).or_default() += c.len;
    }
    let unplaced: Vec<((DoctorId, usize), Variable)> =
        b.unplaced.iter().map(|(&k, &v)| (k, v)).collect();
    for ((d, p), u) in unplaced {
        let done =
            placed.get(&(d, p)).copied().unwrap_or(0) >= b.problem.parts(d)[p].calendar_months;
        b.model.start(u, if done { 0.0 } else { 1.0 });
    }
    let inst = b.problem.inst;
    let stagger = b.stagger.clone();
    for (s, mu, m) in stagger {
        let away = chosen
            .iter()
            .filter(|&&i| b.cand(i).covers(m) && inst.doctor(b.cand(i).doctor).municipality == mu)
            .count() as u32;
        let total = away + b.problem.fixed_away(mu, m);
        b.model.start(s, f64::from(total.saturating_sub(1)));
    }
    let short = b.short.clone();
    for (s, k, m, need) in short {
        let filled = chosen
            .iter()
            .filter(|&&i| b.cand(i).covers(m) && b.cand(i).department == k)
            .count() as u32;
        b.model.start(s, f64::from(need.saturating_sub(filled)));
    }
    // The practice year the plan leaves each doctor who may still choose: the first when
    // a block has months in the second. (Unset, it read 0, the second year; a plan with
    // months there then broke the rule in CBC's check, and CBC dropped the whole start.)
    for (v, second) in &b.practice {
        let in_second = second.iter().any(|i| on.contains(i));
        b.model.start(*v, if in_second { 1.0 } else { 0.0 });
    }
    if let Some(z) = b.worst {
        let longest = chosen
            .iter()
            .map(|&i| b.cand(i))
            .filter(|c| !c.relocate)
            .map(|c| c.commute)
            .max()
            .unwrap_or(0);
        b.model.start(z, f64::from(longest));
    }
}

/// The last-resort explanation if a part has no solution at all (only accepted locks can
/// make it so; everything else is elastic).
fn infeasible_message(problem: &Problem, comp: &Component) -> String {
    let inst = problem.inst;
    let locks: Vec<String> = problem
        .locks
        .iter()
        .filter(|l| l.decision == Decision::Accept && comp.doctors.contains(&l.doctor))
        .map(|l| {
            format!(
                "{} ({}: {})",
                inst.doctor(l.doctor).id,
                l.source,
                super::describe_lock(inst, l)
            )
        })
        .collect();
    format!(
        "the accepted placements cannot all be kept together: they need more slots, months or municipality absences than the rules allow. Accepted in this part of the instance: {}",
        locks.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::travel::Travel;

    /// A generated instance (seed 7) of `doctors`, `hospitals` and `regions`, as read back
    /// from its files.
    fn generated(doctors: u32, hospitals: u32, regions: u32) -> Instance {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("g");
        let spec = crate::generate::GenerateSpec::new(doctors, hospitals, regions, 7);
        crate::generate::generate(&spec)
            .unwrap()
            .write(&dir, false)
            .unwrap();
        crate::io::load_instance(&dir).unwrap()
    }

    /// The plan handed to CBC as a start keeps every rule of the model it starts, with
    /// each auxiliary variable at the value the plan implies: CBC drops a start that
    /// breaks one (it did when the group-year choice was left at 0 for doctors whose
    /// blocks lie in their second group year). Checked at the count's optimum and the
    /// greedy plan of each part of both bundled instances and 100 generated doctors, with
    /// doctors among them who may still choose their practice year and have months in the
    /// second, and at the greedy plan of 500 generated doctors, where the start broke the
    /// rule before.
    #[test]
    fn the_warm_start_keeps_every_rule_of_the_model() {
        let mut second_year = 0;
        let instances = [
            ("alis-vest", crate::placement::bundled("alis-vest")),
            ("alis-nord", crate::placement::bundled("alis-nord")),
            ("generated 100", generated(100, 10, 2)),
        ];
        for (name, inst) in instances {
            let travel = Travel::new(&inst);
            let problem = Problem::new(&inst);
            let (cands, _) = crate::placement::all_candidates(&problem, &travel);
            for comp in super::super::decompose::components(&problem, &cands) {
                let solved = solve_stage(
                    &problem,
                    &cands,
                    &comp,
                    &SolveOptions::default(),
                    Formulation::Strong,
                    Stage::Count,
                    None,
                )
                .unwrap();
                let n = solved.unplaced.len();
                let capped = Stage::Cost {
                    unplaced_at_most: Some(n),
                };
                let weighted = Stage::Cost {
                    unplaced_at_most: None,
                };
                // The optimum, and the greedy plan (the start when none is given), which
                // may leave more parts unplaced than the optimum.
                let optimum = Some(&solved.chosen[..]);
                for (stage, start) in [
                    (Stage::Count, optimum),
                    (capped, optimum),
                    (Stage::Count, None),
                    (weighted, None),
                ] {
                    let (model, _, _) = build(
                        &problem,
                        &cands,
                        &comp,
                        Formulation::Strong,
                        stage,
                        start,
                        Model::new(),
                    );
                    assert!(
                        model.valid_start().is_some(),
                        "{name}: the start of {stage:?} breaks a rule of its model"
                    );
                }
                for &d in &comp.doctors {
                    let Some((years, [true, true])) = problem.practice_years(d) else {
                        continue;
                    };
                    let parts = problem.parts(d);
                    if parts.len() == 1 && parts[0].block_lengths().len() == 1 {
                        continue; // One block: the year is not a choice of the model.
                    }
                    second_year +=
                        usize::from(solved.chosen.iter().any(|&g| {
                            cands[g].doctor == d && cands[g].span().overlap(&years[1]) > 0
                        }));
                }
            }
        }
        assert!(
            second_year > 0,
            "no doctor with months in the second group year"
        );
        // The greedy start of 500 generated doctors: among them, doctors whose blocks lie in
        // their second group year while the model may still choose the first.
        let inst = generated(500, 20, 4);
        let travel = Travel::new(&inst);
        let problem = Problem::new(&inst);
        let (cands, _) = crate::placement::all_candidates(&problem, &travel);
        for comp in super::super::decompose::components(&problem, &cands) {
            let (model, _, _) = build(
                &problem,
                &cands,
                &comp,
                Formulation::Strong,
                Stage::Count,
                None,
                Model::new(),
            );
            assert!(
                model.valid_start().is_some(),
                "500 doctors: the greedy start breaks a rule"
            );
        }
    }
}
