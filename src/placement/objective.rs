//! The placement objective, stated once, every term in NOK: the cost of a block term by
//! term, and the cost of a whole plan of one part (block costs, unplaced parts, staggering,
//! min-fill and the worst daily commute). The model prices the same terms; the search, the summary and the
//! explanations of unplaced parts all read a plan's cost from here.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;

use super::decompose::Component;
use super::{Candidate, Problem};

/// The names of a block's cost terms, in the order [`block_costs`] gives them.
pub fn block_terms(problem: &Problem) -> [&'static str; 7] {
    [
        "commute",
        "relocation",
        "substitute",
        "preference",
        problem.extra_cost_name,
        "blocks",
        "lateness",
    ]
}

/// The cost of a candidate block, by objective term.
pub fn block_costs(problem: &Problem, c: &Candidate) -> [(&'static str, f64); 7] {
    let inst = problem.inst;
    let w = &inst.settings.weights;
    let months = f64::from(c.len);
    let minutes = f64::from(c.commute);
    let (commute, relocation) = if c.relocate {
        (
            w.home_trip_per_minute() * minutes * months,
            w.relocation * months,
        )
    } else {
        (w.daily_commute_per_minute() * minutes * months, 0.0)
    };
    let muni = inst.municipality(inst.doctor(c.doctor).municipality);
    let values = [
        commute,
        relocation,
        w.substitute * muni.substitute_cost * months,
        -w.preference * inst.preference(c.doctor, c.department) * months,
        problem.extra(c),
        w.block,
        w.lateness * f64::from(problem.window(c.doctor).first.until(c.start).max(0) as u32),
    ];
    let names = block_terms(problem);
    std::array::from_fn(|i| (names[i], values[i]))
}

/// The cost of a candidate block, all terms added.
pub fn block_cost(problem: &Problem, c: &Candidate) -> f64 {
    block_costs(problem, c).iter().map(|(_, v)| v).sum()
}

/// A plan of one part priced term by term, and the requirement parts it leaves unplaced.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    /// Each objective term, in NOK.
    pub terms: BTreeMap<String, f64>,
    /// Requirement parts (doctor, part index) the plan does not serve in full.
    pub unplaced: Vec<(DoctorId, usize)>,
}

impl Evaluation {
    /// The objective: every term added.
    pub fn total(&self) -> f64 {
        self.terms.values().sum()
    }
}

/// The part's objective for a set of chosen candidates (global indices).
pub fn evaluate(problem: &Problem, cands: &[Candidate], comp: &Component, chosen: &[usize]) -> f64 {
    price(problem, cands, comp, chosen).total()
}

/// The part's objective for a set of chosen candidates (global indices) term by term, as
/// the model states it, and the requirement parts the choice leaves unplaced.
pub fn price(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    chosen: &[usize],
) -> Evaluation {
    let inst = problem.inst;
    let w = &inst.settings.weights;
    // Every term is listed, even at zero.
    let mut terms: BTreeMap<String, f64> = block_terms(problem)
        .into_iter()
        .chain(["unplaced", "stagger", "min_fill", "worst_commute"])
        .map(|name| (name.to_string(), 0.0))
        .collect();
    let mut add = |name: &str, v: f64| *terms.entry(name.to_string()).or_default() += v;
    let mut served: BTreeMap<(DoctorId, usize), u32> = BTreeMap::new();
    let mut away: BTreeMap<(MunicipalityId, Month), u32> = BTreeMap::new();
    let mut used: BTreeMap<(DepartmentId, Month), u32> = BTreeMap::new();
    let mut worst = 0u32;
    for &i in chosen {
        let c = &cands[i];
        for (name, v) in block_costs(problem, c) {
            add(name, v);
        }
        *served.entry((c.doctor, c.part)).or_default() += c.len;
        if !c.relocate {
            worst = worst.max(c.commute);
        }
        for m in c.span().months() {
            *away
                .entry((inst.doctor(c.doctor).municipality, m))
                .or_default() += 1;
            *used.entry((c.department, m)).or_default() += 1;
        }
    }
    let mut unplaced = Vec::new();
    for &d in &comp.doctors {
        for (p, part) in problem.parts(d).iter().enumerate() {
            if served.get(&(d, p)).copied().unwrap_or(0) < part.calendar_months {
                unplaced.push((d, p));
            }
        }
    }
    add("unplaced", w.unplaced * unplaced.len() as f64);
    for (&(mu, m), &n) in &away {
        add(
            "stagger",
            w.stagger * f64::from((n + problem.fixed_away(mu, m)).saturating_sub(1)),
        );
    }
    let departments: BTreeSet<DepartmentId> = comp
        .candidates
        .iter()
        .map(|&i| cands[i].department)
        .collect();
    for k in departments {
        let dept = inst.department(k);
        if dept.min_fill == 0 {
            continue;
        }
        for m in inst.horizon().months() {
            let need = dept.min_fill_in(m).saturating_sub(problem.fixed_in(k, m));
            add(
                "min_fill",
                w.min_fill
                    * f64::from(need.saturating_sub(used.get(&(k, m)).copied().unwrap_or(0))),
            );
        }
    }
    add("worst_commute", w.worst_commute * f64::from(worst));
    Evaluation { terms, unplaced }
}
