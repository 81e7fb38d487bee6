//! A fast greedy placement used as the solver's starting solution: the most constrained
//! doctors first, each part in its cheapest block that still fits every hard rule; then a
//! repair pass that places a part left out by moving one other doctor's block elsewhere.

use std::collections::BTreeMap;

use crate::model::*;

use super::objective::block_cost;
use super::{Candidate, Problem};

/// Each (doctor, part)'s whole-length blocks, as local indices, cheapest first
/// ([`whole_blocks`]).
pub type WholeBlocks = BTreeMap<(DoctorId, usize), Vec<usize>>;

/// A placed requirement part: (doctor, part) and the local index of its block.
type Placed = ((DoctorId, usize), usize);

/// A count per row (department, municipality or doctor) and month, over the months the
/// candidate blocks span.
struct Grid {
    first: Month,
    months: usize,
    counts: Vec<u32>,
}

impl Grid {
    fn new(rows: usize, span: MonthRange) -> Grid {
        let months = (span.first.until(span.last) + 1).max(0) as usize;
        Grid {
            first: span.first,
            months,
            counts: vec![0; rows * months],
        }
    }

    fn slot(&self, row: usize, m: Month) -> usize {
        row * self.months + self.first.until(m) as usize
    }

    fn get(&self, row: usize, m: Month) -> u32 {
        self.counts[self.slot(row, m)]
    }

    fn add(&mut self, row: usize, m: Month, n: u32) {
        let i = self.slot(row, m);
        self.counts[i] += n;
    }

    fn take(&mut self, row: usize, m: Month, n: u32) {
        let i = self.slot(row, m);
        self.counts[i] -= n;
    }
}

/// Slots, absences and busy months taken so far by the greedy plan (the fixed blocks'
/// slots and absences included).
struct State<'a> {
    problem: &'a Problem<'a>,
    /// Doctors in each department and month.
    used: Grid,
    /// Doctors of each municipality away in each month.
    away: Grid,
    /// Blocks of each doctor in each month (0 or 1).
    busy: Grid,
    /// Hospital months placed so far in each of a doctor's two group years.
    group_months: BTreeMap<DoctorId, [i32; 2]>,
}

impl<'a> State<'a> {
    /// An empty plan over the months of the blocks `local` (global indices) span.
    fn new(problem: &'a Problem<'a>, cands: &[Candidate], local: &[usize]) -> State<'a> {
        let inst = problem.inst;
        let span =
            local
                .iter()
                .map(|&g| cands[g].span())
                .fold(None, |acc: Option<MonthRange>, r| {
                    Some(acc.map_or(r, |a| {
                        MonthRange::new(a.first.min(r.first), a.last.max(r.last))
                    }))
                });
        let span = span.unwrap_or_else(|| inst.horizon());
        let mut used = Grid::new(inst.departments.len(), span);
        let mut away = Grid::new(inst.municipalities.len(), span);
        // The fixed blocks' slots (months on leave free them, as in `Problem::fixed_in`)
        // and absences (each doctor once a month, as in `Problem::fixed_away`), in one pass.
        let mut away_counted = std::collections::BTreeSet::new();
        for b in &problem.fixed {
            let doctor = inst.doctor(b.doctor);
            for m in b.span().months().filter(|&m| span.contains(m)) {
                if !doctor.on_leave(m) {
                    used.add(b.department.index(), m, 1);
                }
                if away_counted.insert((b.doctor, m)) {
                    away.add(doctor.municipality.index(), m, 1);
                }
            }
        }
        State {
            problem,
            used,
            away,
            busy: Grid::new(inst.doctors.len(), span),
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
            let k_used = self.used.get(c.department.index(), m)
                - freed(m, &|w| w.department == c.department);
            let mu_away = self.away.get(muni.index(), m)
                - freed(m, &|w| inst.doctor(w.doctor).municipality == muni);
            let busy = self.busy.get(c.doctor.index(), m) > 0
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
        let Some((years, may)) = self.problem.practice_years(c.doctor) else {
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
            self.used.add(c.department.index(), m, 1);
            self.away.add(muni.index(), m, 1);
            self.busy.add(c.doctor.index(), m, 1);
        }
        let overlap = self.group_overlap(c);
        let placed = self.group_months.entry(c.doctor).or_default();
        placed[0] += overlap[0];
        placed[1] += overlap[1];
    }

    fn remove(&mut self, c: &Candidate) {
        let muni = self.problem.inst.doctor(c.doctor).municipality;
        for m in c.span().months() {
            self.used.take(c.department.index(), m, 1);
            self.away.take(muni.index(), m, 1);
            self.busy.take(c.doctor.index(), m, 1);
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
    let options = whole_blocks(problem, cands, local);
    greedy_with(problem, cands, local, doctors, &options)
}

/// [`greedy`] with the whole blocks of `local` already found.
pub fn greedy_with(
    problem: &Problem,
    cands: &[Candidate],
    local: &[usize],
    doctors: &[DoctorId],
    options: &WholeBlocks,
) -> Vec<usize> {
    let inst = problem.inst;
    let order = fewest_options_first(options, doctors);
    let mut state = State::new(problem, cands, local);
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
    repair_open(problem, cands, local, options, &mut state, &mut chosen);
    chosen.into_values().collect()
}

/// A plan (global indices) guided by a fractional plan `lp` (global index, share of the
/// block used): blocks the fractional plan uses most are placed first where they still
/// fit every hard rule, then each part still open takes its cheapest block that fits,
/// then the repair moves one block to make room where it can. Rounding a linear
/// relaxation this way keeps what the relaxation found across the whole part (who goes
/// far so that others can stay), which a plan built doctor by doctor misses.
pub fn guided(
    problem: &Problem,
    cands: &[Candidate],
    local: &[usize],
    doctors: &[DoctorId],
    options: &WholeBlocks,
    lp: &[(usize, f64)],
) -> Vec<usize> {
    let at: std::collections::HashMap<usize, usize> =
        local.iter().enumerate().map(|(i, &g)| (g, i)).collect();
    let mut state = State::new(problem, cands, local);
    let mut chosen: BTreeMap<(DoctorId, usize), usize> = BTreeMap::new();
    let mut order: Vec<(f64, usize)> = lp
        .iter()
        .filter(|&&(g, _)| at.contains_key(&g))
        .filter(|&&(g, _)| {
            let c = &cands[g];
            c.len == problem.parts(c.doctor)[c.part].calendar_months
        })
        .map(|&(g, v)| (v, g))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, g) in order {
        let c = &cands[g];
        if !chosen.contains_key(&(c.doctor, c.part)) && state.fits(c, None) {
            state.add(c);
            chosen.insert((c.doctor, c.part), at[&g]);
        }
    }
    for d in fewest_options_first(options, doctors) {
        for p in 0..problem.parts(d).len() {
            if chosen.contains_key(&(d, p)) {
                continue;
            }
            let pool = options.get(&(d, p)).map_or(&[][..], Vec::as_slice);
            if let Some(&i) = pool.iter().find(|&&i| state.fits(&cands[local[i]], None)) {
                state.add(&cands[local[i]]);
                chosen.insert((d, p), i);
            }
        }
    }
    repair_open(problem, cands, local, options, &mut state, &mut chosen);
    let mut plan: Vec<usize> = chosen.into_values().map(|i| local[i]).collect();
    plan.sort_unstable();
    plan
}

/// Each (doctor, part)'s whole-length blocks among `local` (global indices), as local
/// indices into `local`, cheapest first.
pub fn whole_blocks(problem: &Problem, cands: &[Candidate], local: &[usize]) -> WholeBlocks {
    let mut options = WholeBlocks::new();
    for (i, &g) in local.iter().enumerate() {
        let c = &cands[g];
        if c.len == problem.parts(c.doctor)[c.part].calendar_months {
            options.entry((c.doctor, c.part)).or_default().push(i);
        }
    }
    for list in options.values_mut() {
        let mut priced: Vec<(f64, usize)> = list
            .iter()
            .map(|&i| (block_cost(problem, &cands[local[i]]), i))
            .collect();
        priced.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        *list = priced.into_iter().map(|(_, i)| i).collect();
    }
    options
}

/// The plan `current` (global indices of blocks among `local`) with parts it leaves
/// without any block placed where a whole block still fits every hard rule, or else by
/// moving one other doctor's block to another of that doctor's blocks. Blocks already in
/// the plan stay, except those moved to make room. Global indices.
pub fn fill(
    problem: &Problem,
    cands: &[Candidate],
    local: &[usize],
    options: &WholeBlocks,
    current: &[usize],
) -> Vec<usize> {
    let at: std::collections::HashMap<usize, usize> =
        local.iter().enumerate().map(|(i, &g)| (g, i)).collect();
    let mut state = State::new(problem, cands, local);
    let mut served: BTreeMap<(DoctorId, usize), Vec<usize>> = BTreeMap::new();
    for &g in current {
        state.add(&cands[g]);
        served
            .entry((cands[g].doctor, cands[g].part))
            .or_default()
            .push(g);
    }
    // A part served by one whole block may be moved to make room; split ones stay.
    let mut chosen: BTreeMap<(DoctorId, usize), usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for (key, blocks) in &served {
        match (blocks.as_slice(), options.get(key)) {
            ([g], Some(list)) if list.contains(&at[g]) => {
                chosen.insert(*key, at[g]);
            }
            _ => kept.extend(blocks.iter().copied()),
        }
    }
    let missing: Vec<(DoctorId, usize)> = options
        .keys()
        .filter(|k| !served.contains_key(k))
        .copied()
        .collect();
    for &key in &missing {
        if let Some(&i) = options[&key]
            .iter()
            .find(|&&i| state.fits(&cands[local[i]], None))
        {
            state.add(&cands[local[i]]);
            chosen.insert(key, i);
        }
    }
    let missing: Vec<(DoctorId, usize)> = missing
        .into_iter()
        .filter(|k| !chosen.contains_key(k))
        .collect();
    repair(
        problem,
        cands,
        local,
        options,
        &mut state,
        &mut chosen,
        &missing,
    );
    kept.extend(chosen.into_values().map(|i| local[i]));
    kept.sort_unstable();
    kept
}

/// `doctors`, those with the fewest whole blocks first (the most constrained).
fn fewest_options_first(options: &WholeBlocks, doctors: &[DoctorId]) -> Vec<DoctorId> {
    let count = |d: DoctorId| {
        options
            .range((d, 0)..(d, usize::MAX))
            .map(|(_, v)| v.len())
            .sum::<usize>()
    };
    let mut order = doctors.to_vec();
    order.sort_by_key(|&d| (count(d), d));
    order
}

/// [`repair`] for every part with whole blocks that has none chosen.
fn repair_open(
    problem: &Problem,
    cands: &[Candidate],
    local: &[usize],
    options: &WholeBlocks,
    state: &mut State,
    chosen: &mut BTreeMap<(DoctorId, usize), usize>,
) {
    let missing: Vec<(DoctorId, usize)> = options
        .keys()
        .filter(|k| !chosen.contains_key(k))
        .copied()
        .collect();
    repair(problem, cands, local, options, state, chosen, &missing);
}

/// Place parts the greedy left out by moving one block of another doctor to another of
/// that doctor's blocks (an ejection chain of length one).
fn repair(
    problem: &Problem,
    cands: &[Candidate],
    local: &[usize],
    options: &WholeBlocks,
    state: &mut State,
    chosen: &mut BTreeMap<(DoctorId, usize), usize>,
    missing: &[(DoctorId, usize)],
) {
    for &key in missing {
        let mut done = false;
        // The chosen blocks by department and by their doctor's municipality (the plan
        // changes only when the part is placed, and then the loop ends).
        let mut by_department: BTreeMap<DepartmentId, Vec<Placed>> = BTreeMap::new();
        let mut by_municipality: BTreeMap<MunicipalityId, Vec<Placed>> = BTreeMap::new();
        for (&k, &j) in chosen.iter() {
            let b = &cands[local[j]];
            by_department.entry(b.department).or_default().push((k, j));
            by_municipality
                .entry(problem.inst.doctor(b.doctor).municipality)
                .or_default()
                .push((k, j));
        }
        for &i in &options[&key] {
            if done {
                break;
            }
            let c = &cands[local[i]];
            // Other doctors' blocks that overlap c in time and share its department or
            // municipality: moving one of them may make room.
            let muni = problem.inst.doctor(c.doctor).municipality;
            let mut blockers: Vec<((DoctorId, usize), usize)> = by_department
                .get(&c.department)
                .into_iter()
                .chain(by_municipality.get(&muni))
                .flatten()
                .copied()
                .filter(|&((e, _), j)| {
                    e != c.doctor && cands[local[j]].span().overlap(&c.span()) > 0
                })
                .collect();
            blockers.sort();
            blockers.dedup();
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
