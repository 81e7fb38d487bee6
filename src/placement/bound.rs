//! A lower bound on a part's objective without solving its relaxation with CBC: Lagrangian
//! relaxation of the department slots and the municipalities' `max_away`, the multipliers
//! found by subgradient steps.
//!
//! The staggering term is kept exactly (its extra absences are a priced row whose price
//! may rise to the `stagger` weight), as are one place at a time and the guidance-group
//! period.
//!
//! For parts so large that CBC's first relaxation alone outlasts the time limit (see
//! [`super::LARGE_PART`]), this is what makes the answer honest: the plan from the
//! large-neighbourhood search is reported with this bound and the gap between them.
//!
//! Why it is a bound. Price every slot-month of a department by `λ ≥ 0` and every
//! away-month of a municipality by `μ ≥ 0`, and add `λ·(used − slots) + μ·(away −
//! max_away)` (never positive for a plan that keeps those rules) to the objective. Then
//! drop every other coupling rule and every term that is never negative (staggering,
//! min-fill, the worst commute). What is left falls apart by requirement part: serve it
//! with blocks whose months add up to its length, or leave it unplaced. Its cheapest
//! choice is at most the cost of any plan's choice for it, so the sum over the parts minus
//! the priced slots is at most the objective of every plan, for every `λ, μ ≥ 0`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::model::*;

use super::decompose::Component;
use super::objective::block_cost;
use super::{Candidate, Problem};

/// Subgradient steps at most.
const STEPS: usize = 3_000;
/// Steps without a better bound before the step size is halved.
const PATIENCE: usize = 20;

/// A rule priced in the relaxation, by what it limits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Row {
    /// A department's slots in a month.
    Slots(DepartmentId, Month),
    /// A municipality's `max_away` in a month.
    Away(MunicipalityId, Month),
    /// A municipality's second absence in a month, which costs `stagger`.
    Stagger(MunicipalityId, Month),
    /// A doctor in one place in a month (doctors with more than one block).
    OnePlace(DoctorId, Month),
    /// A doctor's hospital months within the guidance-group period.
    GroupPeriod(DoctorId),
}

/// The priced rules: an index per rule, its right-hand side, and the highest price worth
/// trying (a higher one only lowers the bound).
#[derive(Default)]
struct Rows {
    index: BTreeMap<Row, usize>,
    limit: Vec<f64>,
    cap: Vec<f64>,
}

impl Rows {
    /// The index of `row` (added with its right-hand side and price cap if new), with a
    /// coefficient of one.
    fn row(&mut self, row: Row, limit: f64, cap: f64) -> (usize, f64) {
        let next = self.limit.len();
        let r = *self.index.entry(row).or_insert(next);
        if r == next {
            self.limit.push(limit);
            self.cap.push(cap);
        }
        (r, 1.0)
    }
}

/// One requirement part of the relaxation: its candidates (local indices), its length in
/// months when it may be split, and the cost of leaving it unplaced.
struct Part {
    candidates: Vec<usize>,
    /// `Some(months)` if blocks may add up to the part, `None` for one block.
    split: Option<f64>,
}

/// A Lagrangian bound and the size of the relaxation it came from.
#[derive(Clone, Copy, Debug)]
pub struct Bound {
    /// A lower bound on the part's objective.
    pub value: f64,
    /// Rules priced (slots, `max_away`, staggering, one place, group period).
    pub priced_rows: usize,
    /// Requirement parts (one cover row each).
    pub parts: usize,
}

/// The best lower bound found within `budget` seconds on the objective of `comp`; `upper`
/// is the cost of a known plan if there is one (`f64::INFINITY` if not): the steps never
/// aim above it.
pub fn lagrangian(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    upper: f64,
    budget: f64,
) -> Bound {
    let deadline = Instant::now() + Duration::from_secs_f64(budget.max(0.0));
    let inst = problem.inst;
    let w = &inst.settings.weights;
    let unplaced = w.unplaced;
    let mut rows = Rows::default();
    let mut covers: Vec<Vec<(usize, f64)>> = Vec::with_capacity(comp.candidates.len());
    let mut cost: Vec<f64> = Vec::with_capacity(comp.candidates.len());
    for &g in &comp.candidates {
        let c = &cands[g];
        let d = c.doctor;
        let muni = inst.doctor(d).municipality;
        let parts = problem.parts(d);
        let several = parts.len() > 1 || parts.iter().any(|p| p.block_lengths().len() > 1);
        let mut mine = Vec::new();
        for m in c.span().months() {
            let slots = inst.department(c.department).capacity_in(m);
            let free = slots.saturating_sub(problem.fixed_in(c.department, m));
            mine.push(rows.row(Row::Slots(c.department, m), free as f64, unplaced));
            let allowed = inst.municipality(muni).max_away;
            let free = allowed.saturating_sub(problem.fixed_away(muni, m));
            mine.push(rows.row(Row::Away(muni, m), free as f64, unplaced));
            if w.stagger > 0.0 {
                // `away − extra ≤ 1 − fixed` with `extra` priced `stagger`: a price up to
                // `stagger` leaves `extra` at zero in the relaxation.
                let alone = 1.0 - f64::from(problem.fixed_away(muni, m));
                mine.push(rows.row(Row::Stagger(muni, m), alone, w.stagger));
            }
            if several {
                mine.push(rows.row(Row::OnePlace(d, m), 1.0, unplaced));
            }
        }
        let g = &inst.settings.groups;
        if let Some(period) = inst.doctor(d).group_period(g.months) {
            let inside = c.span().overlap(&period);
            if inside > 0 {
                let left = g.max_hospital_months as i32 - problem.fixed_months_in(d, &period);
                let r = rows.row(Row::GroupPeriod(d), f64::from(left), unplaced);
                mine.push((r.0, f64::from(inside)));
            }
        }
        covers.push(mine);
        cost.push(block_cost(problem, c));
    }
    let Rows { limit, cap, .. } = rows;
    let mut by_part: BTreeMap<(DoctorId, usize), Vec<usize>> = BTreeMap::new();
    for (i, &g) in comp.candidates.iter().enumerate() {
        by_part
            .entry((cands[g].doctor, cands[g].part))
            .or_default()
            .push(i);
    }
    let mut parts = Vec::new();
    let mut empty = 0.0;
    let mut without_candidates = 0;
    for &d in &comp.doctors {
        for (p, req) in problem.parts(d).iter().enumerate() {
            match by_part.remove(&(d, p)) {
                Some(candidates) => parts.push(Part {
                    candidates,
                    split: (req.block_lengths().len() > 1)
                        .then_some(f64::from(req.calendar_months)),
                }),
                None => {
                    empty += unplaced;
                    without_candidates += 1;
                }
            }
        }
    }
    let len: Vec<f64> = comp
        .candidates
        .iter()
        .map(|&g| f64::from(cands[g].len))
        .collect();

    let mut price = vec![0.0; limit.len()];
    let mut best = f64::NEG_INFINITY;
    let mut step_scale = 1.0;
    let mut since_better = 0;
    let mut usage = vec![0.0; limit.len()];
    for _ in 0..STEPS {
        if Instant::now() >= deadline {
            break;
        }
        // The cheapest choice of every part at these prices, and the rows it uses.
        usage.iter_mut().for_each(|u| *u = 0.0);
        let mut value = empty - price.iter().zip(&limit).map(|(p, l)| p * l).sum::<f64>();
        for part in &parts {
            let priced =
                |i: usize| cost[i] + covers[i].iter().map(|&(r, a)| a * price[r]).sum::<f64>();
            // Per block for one block; per month (times the length) when it may be split,
            // since the months of the blocks then add up to exactly the part's length.
            let (choice, value_of) = part
                .candidates
                .iter()
                .map(|&i| {
                    let v = priced(i);
                    match part.split {
                        Some(months) => (i, v / len[i] * months),
                        None => (i, v),
                    }
                })
                .fold(
                    (usize::MAX, f64::INFINITY),
                    |a, b| if b.1 < a.1 { b } else { a },
                );
            if value_of < unplaced {
                value += value_of;
                let times = part.split.map_or(1.0, |months| months / len[choice]);
                for &(r, a) in &covers[choice] {
                    usage[r] += times * a;
                }
            } else {
                value += unplaced;
            }
        }
        if value > best + 1e-9 {
            best = value;
            since_better = 0;
        } else {
            since_better += 1;
            if since_better >= PATIENCE {
                step_scale /= 2.0;
                since_better = 0;
                if step_scale < 1e-4 {
                    break;
                }
            }
        }
        // Move the prices along the rows' excess use (never below zero).
        let excess: Vec<f64> = usage
            .iter()
            .zip(&limit)
            .zip(&price)
            .map(|((u, l), p)| {
                let g = u - l;
                if *p <= 0.0 && g < 0.0 { 0.0 } else { g }
            })
            .collect();
        let norm: f64 = excess.iter().map(|g| g * g).sum();
        if norm < 1e-12 {
            break; // The relaxation's choice keeps every priced row: the bound is tight.
        }
        // Aim a little above the best bound so far (never above the plan's cost): aiming at the
        // plan's cost overshoots when the plan is far from the optimum.
        let target = (best.max(value) + 0.05 * best.abs().max(unplaced)).min(upper);
        let step = step_scale * (target - value).max(1e-6 * target.abs().max(1.0)) / norm;
        for ((p, g), most) in price.iter_mut().zip(&excess).zip(&cap) {
            *p = (*p + step * g).clamp(0.0, *most);
        }
    }
    Bound {
        value: best.min(upper),
        priced_rows: limit.len(),
        parts: parts.len() + without_candidates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::{decompose, objective};
    use crate::solver::SolveOptions;
    use crate::travel::Travel;

    /// On both bundled instances the bound is at most every part's proven optimum, and
    /// says more than nothing.
    #[test]
    fn the_bound_is_at_most_the_proven_optimum_of_every_part() {
        for name in ["alis-vest", "alis-nord"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("instances")
                .join(name);
            let inst = crate::io::load_instance(&dir).expect("the bundled instance loads");
            let travel = Travel::new(&inst);
            let problem = Problem::new(&inst);
            let (cands, _) = crate::placement::all_candidates(&problem, &travel);
            let comps = decompose::components(&problem, &cands);
            let opts = SolveOptions::from_settings(&inst.settings.solver);
            let mut some_positive = false;
            for comp in &comps {
                let solved = crate::placement::model::solve_part(
                    &problem,
                    &cands,
                    comp,
                    &opts,
                    crate::placement::Formulation::Strong,
                    None,
                )
                .unwrap();
                assert!(solved.outcome.status.is_optimal(), "{name}");
                let value = objective::evaluate(&problem, &cands, comp, &solved.chosen);
                assert!((value - solved.outcome.objective).abs() < 1e-6 * value.abs().max(1.0));
                let bound = lagrangian(&problem, &cands, comp, value, 2.0).value;
                assert!(
                    bound <= value + 1e-6,
                    "{name}: bound {bound} above optimum {value}"
                );
                some_positive |= bound > 0.0;
            }
            assert!(some_positive, "{name}: the bound says something");
        }
    }
}
