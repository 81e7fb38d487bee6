//! A fast greedy placement used as the solver's starting solution: the most constrained
//! doctors first, each part in its cheapest block that still fits every hard rule.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;

use super::model::block_costs;
use super::{Candidate, Problem};

/// Local indices (into `local`) of the blocks the greedy plan chooses.
pub fn greedy(
    problem: &Problem,
    cands: &[Candidate],
    local: &[usize],
    doctors: &[DoctorId],
) -> Vec<usize> {
    let inst = problem.inst;
    let mut of_doctor: BTreeMap<DoctorId, Vec<usize>> = BTreeMap::new();
    for (i, &g) in local.iter().enumerate() {
        of_doctor.entry(cands[g].doctor).or_default().push(i);
    }
    let mut order: Vec<DoctorId> = doctors.to_vec();
    order.sort_by_key(|d| (of_doctor.get(d).map_or(0, Vec::len), *d));
    let mut used: BTreeMap<(DepartmentId, Month), u32> = BTreeMap::new();
    let mut away: BTreeMap<(MunicipalityId, Month), u32> = BTreeMap::new();
    let mut busy: BTreeSet<(DoctorId, Month)> = BTreeSet::new();
    let mut chosen = Vec::new();
    let g = &inst.settings.groups;
    for d in order {
        let doc = inst.doctor(d);
        let period = doc.group_period(g.months);
        let mut group_months = period.map_or(0, |p| problem.fixed_months_in(d, &p));
        let mine = of_doctor.get(&d).cloned().unwrap_or_default();
        // Accepted placements first, then parts in order.
        let accepts: Vec<&Lock> = problem
            .locks
            .iter()
            .filter(|l| l.doctor == d && l.decision == Decision::Accept)
            .collect();
        let mut done_parts: BTreeSet<usize> = BTreeSet::new();
        let mut try_pick = |pool: Vec<usize>,
                            chosen: &mut Vec<usize>,
                            done_parts: &mut BTreeSet<usize>| {
            let mut best: Option<(f64, usize)> = None;
            for i in pool {
                let c = &cands[local[i]];
                if done_parts.contains(&c.part) || c.len != problem.parts(d)[c.part].calendar_months
                {
                    continue;
                }
                let fits = c.span().months().all(|m| {
                    let k_used = used.get(&(c.department, m)).copied().unwrap_or(0)
                        + problem.fixed_in(c.department, m);
                    let mu_away = away.get(&(doc.municipality, m)).copied().unwrap_or(0)
                        + problem.fixed_away(doc.municipality, m);
                    k_used < inst.department(c.department).capacity_in(m)
                        && mu_away < inst.municipality(doc.municipality).max_away
                        && !busy.contains(&(d, m))
                });
                let inside = period.map_or(0, |p| c.span().overlap(&p));
                if !fits || group_months + inside > g.max_hospital_months as i32 {
                    continue;
                }
                let cost: f64 = block_costs(problem, c).iter().map(|(_, v)| v).sum();
                if best.is_none_or(|(b, _)| cost < b) {
                    best = Some((cost, i));
                }
            }
            if let Some((_, i)) = best {
                let c = &cands[local[i]];
                for m in c.span().months() {
                    *used.entry((c.department, m)).or_default() += 1;
                    *away.entry((doc.municipality, m)).or_default() += 1;
                    busy.insert((d, m));
                }
                group_months += period.map_or(0, |p| c.span().overlap(&p));
                done_parts.insert(c.part);
                chosen.push(i);
            }
        };
        for lock in accepts {
            let pool: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|&i| {
                    let c = &cands[local[i]];
                    lock.matches(inst.department(c.department), c.start, c.len)
                })
                .collect();
            try_pick(pool, &mut chosen, &mut done_parts);
        }
        for p in 0..problem.parts(d).len() {
            let pool: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|&i| cands[local[i]].part == p)
                .collect();
            try_pick(pool, &mut chosen, &mut done_parts);
        }
    }
    chosen
}
