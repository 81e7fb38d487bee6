//! A fast greedy placement used as the solver's starting solution: the most constrained
//! doctors first, each part in its cheapest block that still fits every hard rule; then a
//! repair pass that places a part left out by moving one other doctor's block elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;

use super::objective::block_cost;
use super::{Candidate, Problem};

/// Slots, absences and busy months taken so far by the greedy plan.
struct State<'a> {
    problem: &'a Problem<'a>,
    used: BTreeMap<(DepartmentId, Month), u32>,
    away: BTreeMap<(MunicipalityId, Month), u32>,
    busy: BTreeSet<(DoctorId, Month)>,
    /// Hospital months placed so far in each of a doctor's two group years.
    group_months: BTreeMap<DoctorId, [i32; 2]>,
}

impl<'a> State<'a> {
    fn new(problem: &'a Problem<'a>) -> State<'a> {
        State {
            problem,
            used: BTreeMap::new(),
            away: BTreeMap::new(),
            busy: BTreeSet::new(),
            group_months: BTreeMap::new(),
        }
    }

    /// Months of `c` in each of its doctor's two group years.
    fn group_overlap(&self, c: &Candidate) -> [i32; 2] {
        let g = &self.problem.inst.settings.groups;
        self.problem
            .inst
            .doctor(c.doctor)
            .group_years(g.months)
            .map_or([0, 0], |years| years.map(|y| c.span().overlap(&y)))
    }

    /// Whether `c` fits every hard rule, pretending `without` is not placed.
    fn fits(&self, c: &Candidate, without: Option<&Candidate>) -> bool {
        let inst = self.problem.inst;
        let muni = inst.doctor(c.doctor).municipality;
        let freed = |m: Month, same: &dyn Fn(&Candidate) -> bool| {
            u32::from(without.is_some_and(|w| w.covers(m) && same(w)))
        };
        let months_ok = c.span().months().all(|m| {
            let k_used = self.used.get(&(c.department, m)).copied().unwrap_or(0)
                - freed(m, &|w| w.department == c.department)
                + self.problem.fixed_in(c.department, m);
            let mu_away = self.away.get(&(muni, m)).copied().unwrap_or(0)
                - freed(m, &|w| inst.doctor(w.doctor).municipality == muni)
                + self.problem.fixed_away(muni, m);
            let busy = self.busy.contains(&(c.doctor, m))
                && !without.is_some_and(|w| w.doctor == c.doctor && w.covers(m));
            k_used < inst.department(c.department).capacity_in(m)
                && mu_away < inst.municipality(muni).max_away
                && !busy
        });
        if !months_ok {
            return false;
        }
        self.group_year_in_practice(c, without)
    }

    /// group_period_in_practice: with `c`, one of the doctor's group years still has no
    /// hospital month (fixed, placed, or `c`; `without` not counted).
    fn group_year_in_practice(&self, c: &Candidate, without: Option<&Candidate>) -> bool {
        let inst = self.problem.inst;
        let Some((years, may)) = crate::groups::years::practice_years(inst, inst.doctor(c.doctor))
        else {
            return true;
        };
        let fixed = years.map(|y| self.problem.fixed_months_in(c.doctor, &y));
        if (0..2).all(|k| !may[k] || fixed[k] > 0) {
            return true; // The past broke the rule; no choice can mend it (as in the model).
        }
        let placed = self.group_months.get(&c.doctor).copied().unwrap_or([0, 0]);
        let freed = without
            .filter(|w| w.doctor == c.doctor)
            .map_or([0, 0], |w| self.group_overlap(w));
        let with_c = self.group_overlap(c);
        let used: Vec<i32> = (0..2)
            .map(|k| fixed[k] + placed[k] - freed[k] + with_c[k])
            .collect();
        (0..2).any(|k| may[k] && used[k] == 0)
    }

    fn add(&mut self, c: &Candidate) {
        let muni = self.problem.inst.doctor(c.doctor).municipality;
        for m in c.span().months() {
            *self.used.entry((c.department, m)).or_default() += 1;
            *self.away.entry((muni, m)).or_default() += 1;
            self.busy.insert((c.doctor, m));
        }
        let overlap = self.group_overlap(c);
        let placed = self.group_months.entry(c.doctor).or_default();
        placed[0] += overlap[0];
        placed[1] += overlap[1];
    }

    fn remove(&mut self, c: &Candidate) {
        let muni = self.problem.inst.doctor(c.doctor).municipality;
        for m in c.span().months() {
            if let Some(n) = self.used.get_mut(&(c.department, m)) {
                *n -= 1;
            }
            if let Some(n) = self.away.get_mut(&(muni, m)) {
                *n -= 1;
            }
            self.busy.remove(&(c.doctor, m));
        }
        let overlap = self.group_overlap(c);
        let placed = self.group_months.entry(c.doctor).or_default();
        placed[0] -= overlap[0];
        placed[1] -= overlap[1];
    }
}

/// Local indices (into `local`) of the blocks the greedy plan chooses.
pub fn greedy(
    problem: &Problem,
    cands: &[Candidate],
    local: &[usize],
    doctors: &[DoctorId],
) -> Vec<usize> {
    let inst = problem.inst;
    // Each (doctor, part)'s whole-length blocks, cheapest first.
    let mut options: BTreeMap<(DoctorId, usize), Vec<usize>> = BTreeMap::new();
    for (i, &g) in local.iter().enumerate() {
        let c = &cands[g];
        if c.len == problem.parts(c.doctor)[c.part].calendar_months {
            options.entry((c.doctor, c.part)).or_default().push(i);
        }
    }
    for list in options.values_mut() {
        list.sort_by(|&a, &b| {
            block_cost(problem, &cands[local[a]])
                .total_cmp(&block_cost(problem, &cands[local[b]]))
                .then(a.cmp(&b))
        });
    }
    let count = |d: DoctorId| {
        options
            .range((d, 0)..(d, usize::MAX))
            .map(|(_, v)| v.len())
            .sum::<usize>()
    };
    let mut order: Vec<DoctorId> = doctors.to_vec();
    order.sort_by_key(|&d| (count(d), d));
    let mut state = State::new(problem);
    // (doctor, part) → chosen local index.
    let mut chosen: BTreeMap<(DoctorId, usize), usize> = BTreeMap::new();
    for &d in &order {
        let accepts: Vec<&Lock> = problem
            .locks
            .iter()
            .filter(|l| l.doctor == d && l.decision == Decision::Accept)
            .collect();
        for p in 0..problem.parts(d).len() {
            let pool = options.get(&(d, p)).map_or(&[][..], Vec::as_slice);
            // A part that an accept matches takes a matching block first.
            let wanted = |i: usize| {
                let c = &cands[local[i]];
                accepts
                    .iter()
                    .any(|l| l.matches(inst.department(c.department), c.start, c.len))
            };
            let pick = pool
                .iter()
                .copied()
                .filter(|&i| wanted(i))
                .chain(pool.iter().copied())
                .find(|&i| state.fits(&cands[local[i]], None));
            if let Some(i) = pick {
                state.add(&cands[local[i]]);
                chosen.insert((d, p), i);
            }
        }
    }
    repair(problem, cands, local, &options, &mut state, &mut chosen);
    chosen.into_values().collect()
}

/// Place parts the greedy left out by moving one block of another doctor to another of
/// that doctor's blocks (an ejection chain of length one).
fn repair(
    problem: &Problem,
    cands: &[Candidate],
    local: &[usize],
    options: &BTreeMap<(DoctorId, usize), Vec<usize>>,
    state: &mut State,
    chosen: &mut BTreeMap<(DoctorId, usize), usize>,
) {
    let missing: Vec<(DoctorId, usize)> = options
        .keys()
        .filter(|k| !chosen.contains_key(k))
        .copied()
        .collect();
    for key in missing {
        let mut done = false;
        for &i in &options[&key] {
            if done {
                break;
            }
            let c = &cands[local[i]];
            // Other doctors' blocks that overlap c in time and share its department or
            // municipality: moving one of them may make room.
            let muni = problem.inst.doctor(c.doctor).municipality;
            let blockers: Vec<((DoctorId, usize), usize)> = chosen
                .iter()
                .filter(|&(&(e, _), &j)| {
                    let b = &cands[local[j]];
                    e != c.doctor
                        && b.span().overlap(&c.span()) > 0
                        && (b.department == c.department
                            || problem.inst.doctor(b.doctor).municipality == muni)
                })
                .map(|(&k, &j)| (k, j))
                .collect();
            for (other, j) in blockers {
                let b = &cands[local[j]];
                if !state.fits(c, Some(b)) {
                    continue;
                }
                state.remove(b);
                state.add(c);
                let moved = options[&other]
                    .iter()
                    .copied()
                    .find(|&n| n != j && state.fits(&cands[local[n]], None));
                match moved {
                    Some(n) => {
                        state.add(&cands[local[n]]);
                        chosen.insert(other, n);
                        chosen.insert(key, i);
                        done = true;
                        break;
                    }
                    None => {
                        state.remove(c);
                        state.add(b);
                    }
                }
            }
        }
    }
}
