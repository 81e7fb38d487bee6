//! Lower bounds on one part's objective without solving its relaxation with CBC: a
//! Lagrangian relaxation whose prices are found by subgradient steps, for each stage of the
//! lexicographic solve (the count of unplaced requirement parts, the cost at a fixed count,
//! or the weighted objective).
//!
//! Why it is a bound. Price every slot-month of a department, every away-month of a
//! municipality, every month of a doctor with several blocks, every doctor's guidance-group
//! period, every municipality-month's staggering row and every department-month's min-fill
//! row, each with a price `≥ 0`, and add `price × (use − limit)` to the objective: for a plan
//! that keeps the rules this is never positive. The staggering and min-fill rows carry their
//! own slack (the extra absence, the empty slot), priced by their weight; a price up to that
//! weight keeps the slack at zero in the relaxation. Drop every other rule (accepted
//! placements, the number of blocks of a split part) and the worst-commute term, which is
//! bounded separately. What is left falls apart by requirement part: serve it with blocks
//! whose months add up to its length, or leave it unplaced. Each part's cheapest choice is
//! at most any plan's choice for it, so the sum is at most the objective of every plan. At
//! a fixed count, at most `n` parts may stay unplaced: the relaxation leaves out the `n`
//! whose cheapest service is dearest, which again no plan can beat.
//!
//! For parts too large for CBC's relaxation within the time limit, this is what makes the
//! answer honest: the plan from the search is reported with this bound and the gap.

use std::collections::BTreeMap;

use crate::model::*;
use crate::solver::SolveOptions;

use super::decompose::Component;
use super::model::Stage;
use super::objective::block_cost;
use super::{Candidate, Problem};

/// Subgradient steps at most.
const STEPS: usize = 20_000;
/// Steps without a better bound before the step size is halved (measured on the generated
/// 500-doctor instance at a fixed count: 20 stalls 3.5 % below the optimum, 100 1.1 %).
const PATIENCE: usize = 100;

/// Once the count is settled, the steps stop when the last [`STALL_STEPS`] of them raised
/// the bound by less than this share of it: they are then within about 0.001 % of where
/// they would converge, which took them 5–15 s more on 2,000 generated doctors, and the
/// search's solves take their core. Measured at 60 s there (cost gap), with the search on
/// two threads from then on: 0.64–1.40 % in fourteen runs, median 0.80 %, against
/// 0.71–1.30 %, median 1.02 %, in fifteen runs without the stop; a stop below 2.5·10⁻⁵ in
/// 250 steps (at about 35 s) gave 0.93–1.22 % in four runs with one thread.
const STALL: f64 = 1e-5;
const STALL_STEPS: usize = 500;

/// Subgradient steps before the best prices are first shared with the search (about a
/// second on 2,000 doctors): at the first prices, every doctor's cheapest blocks are the
/// cheapest without prices, and a solve over them once took 10 s and found nothing.
const FIRST_UNSHARED_STEPS: usize = 50;

/// Share of the previous step's direction added to each step's (a deflected subgradient:
/// the prices zig-zag less between rows that take turns being over-used). Measured on
/// 2,000 generated doctors at a fixed count, 40 s of steps: 1,341.44 M with 0.5 against
/// 1,340.64 M without; 0.7 and 0.8 reached 1,340.37 M and 1,340.63 M.
const DEFLECTION: f64 = 0.5;

/// A rule priced in the relaxation month by month, by what it limits: a run of rows, one
/// per month of the relaxation's months.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Run {
    /// A department's slots.
    Slots(DepartmentId),
    /// A municipality's `max_away`.
    Away(MunicipalityId),
    /// A municipality's second absence, which costs `stagger`.
    Stagger(MunicipalityId),
    /// A doctor in one place (doctors with more than one block).
    OnePlace(DoctorId),
    /// A department's `min_fill` slots, each empty one costing `min_fill`.
    MinFill(DepartmentId),
}

/// A rule priced in the relaxation once over a doctor's guidance-group period.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Single {
    /// A doctor's hospital months within the guidance-group period.
    GroupPeriod(DoctorId),
    /// A doctor's group year that must stay in practice (the only one still possible).
    GroupYear(DoctorId, usize),
}

/// The priced rules. The month-by-month ones come in runs of `months` rows (run `k`,
/// month `t` is row `k × months + t`), so that a block's use of a run is its months in a
/// row, priced at once from running totals; the others follow them. Each row has its
/// right-hand side and the highest price worth trying (for rows with a priced slack, the
/// highest price that keeps the bound valid); a row no block uses has both at 0, and its
/// price stays 0.
struct Rows {
    /// The first of the relaxation's months, and how many there are.
    first: Month,
    months: usize,
    runs: BTreeMap<Run, usize>,
    singles: BTreeMap<Single, usize>,
    /// Right-hand side and cap of each run's rows, then of each single row.
    limit: Vec<f64>,
    cap: Vec<f64>,
    single_limit: Vec<f64>,
    single_cap: Vec<f64>,
    /// Rows some block uses (`touched` per run row).
    touched: Vec<bool>,
}

impl Rows {
    fn new(first: Month, months: usize) -> Self {
        Rows {
            first,
            months,
            runs: BTreeMap::new(),
            singles: BTreeMap::new(),
            limit: Vec::new(),
            cap: Vec::new(),
            single_limit: Vec::new(),
            single_cap: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// The index of `run`, added with no row used yet if new.
    fn run(&mut self, run: Run) -> usize {
        let next = self.runs.len();
        let k = *self.runs.entry(run).or_insert(next);
        if k == next {
            let rows = self.limit.len() + self.months;
            self.limit.resize(rows, 0.0);
            self.cap.resize(rows, 0.0);
            self.touched.resize(rows, false);
        }
        k
    }

    /// Month `m` of run `k` is used, with its right-hand side and price cap.
    fn touch(&mut self, k: usize, m: Month, limit: f64, cap: f64) {
        let r = k * self.months + self.first.until(m) as usize;
        if !self.touched[r] {
            self.touched[r] = true;
            self.limit[r] = limit;
            self.cap[r] = cap;
        }
    }

    /// The index of `row` among the single rows, added with its right-hand side and price
    /// cap if new.
    fn single(&mut self, row: Single, limit: f64, cap: f64) -> usize {
        let next = self.single_limit.len();
        let r = *self.singles.entry(row).or_insert(next);
        if r == next {
            self.single_limit.push(limit);
            self.single_cap.push(cap);
        }
        r
    }

    /// Whether month `m` of `run` is priced.
    fn priced(&self, run: Run, m: Month) -> bool {
        self.runs
            .get(&run)
            .is_some_and(|&k| self.touched[k * self.months + self.first.until(m) as usize])
    }
}

/// Running totals of the prices along each run (`months + 1` per run, from 0), so that a
/// block's months in a run are priced by one difference.
struct Totals<'a> {
    price: &'a [f64],
    total: Vec<f64>,
}

/// One requirement part of the relaxation: its candidates (local indices) and its length
/// in months when it may be split.
struct Part {
    /// Whose part it is.
    doctor: DoctorId,
    /// Its candidates, from the lowest [`Relaxation::floor`] up (ties by index).
    candidates: Vec<usize>,
    /// `Some(months)` if blocks may add up to the part, `None` for one block.
    split: Option<f64>,
}

/// A Lagrangian bound and the size of the relaxation it came from.
#[derive(Clone, Copy, Debug)]
pub struct Bound {
    /// A lower bound on the part's objective for the stage.
    pub value: f64,
    /// Rules priced (slots, `max_away`, staggering, one place, group period, min-fill).
    pub priced_rows: usize,
    /// Requirement parts (one cover row each).
    pub parts: usize,
}

/// The relaxation of one part for one stage, built once and priced many times.
pub struct Relaxation {
    /// Months per run of rows ([`Rows`]), runs, and the rows priced (used by a block).
    months: usize,
    runs: usize,
    priced_rows: usize,
    /// Per candidate, the runs it uses in each of its months (start of its entries in
    /// `run`/`coef`), its months (the first's offset and how many), and the single row it
    /// uses, if any (`u32::MAX` for none), with its coefficient.
    start: Vec<u32>,
    run: Vec<u32>,
    coef: Vec<f32>,
    span: Vec<(u16, u16)>,
    single: Vec<(u32, f32)>,
    cost: Vec<f64>,
    len: Vec<f64>,
    /// Per candidate, the least its priced cost can be at any prices within the caps
    /// (its cost less the capped prices of its rows with a negative coefficient, the
    /// min-fill rows), scaled like its service of the part: candidates are priced from
    /// the lowest floor up, and none whose floor is not below the part's cheapest so far
    /// can be cheaper.
    floor: Vec<f64>,
    /// Per candidate, its global index and the index of its part in `parts`.
    global: Vec<usize>,
    part_of: Vec<u32>,
    parts: Vec<Part>,
    /// Requirement parts without any candidate: unplaced in every plan.
    forced: usize,
    limit: Vec<f64>,
    cap: Vec<f64>,
    /// Terms no choice changes (min-fill slots no candidate can fill).
    constant: f64,
    /// What leaving a part unplaced costs (0 at a fixed count).
    unplaced_cost: f64,
    /// At a fixed count: how many parts may stay unplaced.
    unplaced_at_most: Option<usize>,
    /// Each part's shortest daily commute, longest first, and the worst commute's weight
    /// (0 at the count stage): what the bound on the worst commute ([`worst_at`]) is
    /// found from.
    least_commute: Vec<u32>,
    worst_commute: f64,
}

/// A lower bound on the worst-commute term: at a fixed count at most `n` parts stay
/// unplaced, so one of the `n + 1` whose shortest daily commute (`least_commute`, longest
/// first) is longest is served, and the worst commute is at least that.
fn worst_at(
    unplaced_at_most: Option<usize>,
    forced: usize,
    least_commute: &[u32],
    weight: f64,
) -> f64 {
    match unplaced_at_most {
        Some(n) if weight > 0.0 => {
            let served = n.saturating_sub(forced);
            weight * f64::from(least_commute.get(served).copied().unwrap_or(0))
        }
        _ => 0.0,
    }
}

impl Relaxation {
    /// The relaxation of `comp` for `stage`.
    pub fn new(problem: &Problem, cands: &[Candidate], comp: &Component, stage: Stage) -> Self {
        let inst = problem.inst;
        let w = &inst.settings.weights;
        let counting = stage == Stage::Count;
        let (unplaced_cost, unplaced_at_most) = match stage {
            Stage::Count => (1.0, None),
            Stage::Cost {
                unplaced_at_most: None,
            } => (w.unplaced, None),
            Stage::Cost {
                unplaced_at_most: Some(n),
            } => (0.0, Some(n)),
        };
        // Prices above what a part's service could ever be worth only lower the bound.
        let hard_cap = if unplaced_at_most.is_some() {
            f64::INFINITY
        } else {
            unplaced_cost
        };
        // The relaxation's months: those of its candidates.
        let first = comp.candidates.iter().map(|&g| cands[g].start).min();
        let last = comp.candidates.iter().map(|&g| cands[g].end).max();
        let (first, months) = match (first, last) {
            (Some(a), Some(b)) => (a, (a.until(b) + 1) as usize),
            _ => (inst.horizon().first, 0),
        };
        let mut rows = Rows::new(first, months);
        let mut start = Vec::with_capacity(comp.candidates.len() + 1);
        let mut run = Vec::new();
        let mut coef = Vec::new();
        let mut span = Vec::with_capacity(comp.candidates.len());
        let mut single = Vec::with_capacity(comp.candidates.len());
        let mut cost = Vec::with_capacity(comp.candidates.len());
        for &g in &comp.candidates {
            start.push(run.len() as u32);
            let c = &cands[g];
            let d = c.doctor;
            let muni = inst.doctor(d).municipality;
            let parts = problem.parts(d);
            let several = parts.len() > 1 || parts.iter().any(|p| p.block_lengths().len() > 1);
            let dept = inst.department(c.department);
            let allowed = inst.municipality(muni).max_away;
            // The runs this block uses in each of its months, with their coefficient.
            let slots = rows.run(Run::Slots(c.department));
            let away = rows.run(Run::Away(muni));
            let mut mine = vec![(slots, 1.0), (away, 1.0)];
            let one_place = several.then(|| rows.run(Run::OnePlace(d)));
            mine.extend(one_place.map(|k| (k, 1.0)));
            let stagger = (!counting && w.stagger > 0.0).then(|| rows.run(Run::Stagger(muni)));
            mine.extend(stagger.map(|k| (k, 1.0)));
            let needs = |m: Month| {
                dept.min_fill_in(m)
                    .saturating_sub(problem.fixed_in(c.department, m))
            };
            let min_fill =
                (!counting && w.min_fill > 0.0 && c.span().months().any(|m| needs(m) > 0))
                    .then(|| rows.run(Run::MinFill(c.department)));
            // `−filled − empty ≤ −need`, each empty slot costing `min_fill`.
            mine.extend(min_fill.map(|k| (k, -1.0)));
            for m in c.span().months() {
                let free = dept
                    .capacity_in(m)
                    .saturating_sub(problem.fixed_in(c.department, m));
                rows.touch(slots, m, f64::from(free), hard_cap);
                let free = allowed.saturating_sub(problem.fixed_away(muni, m));
                rows.touch(away, m, f64::from(free), hard_cap);
                if let Some(k) = one_place {
                    rows.touch(k, m, 1.0, hard_cap);
                }
                if let Some(k) = stagger {
                    // `away − extra ≤ 1 − fixed`, the extra absence costing `stagger`.
                    let alone = 1.0 - f64::from(problem.fixed_away(muni, m));
                    rows.touch(k, m, alone, w.stagger);
                }
                if let Some(k) = min_fill {
                    let need = needs(m);
                    if need > 0 {
                        rows.touch(k, m, -f64::from(need), w.min_fill);
                    }
                }
            }
            let mut group = (u32::MAX, 0.0);
            if let Some((years, may)) = problem.practice_years(d) {
                // group_period_in_practice, relaxed: with either year still free to be the
                // practice year, the months in the period are at most one year's; with one
                // only, that year has none.
                let fixed = years.map(|y| problem.fixed_months_in(d, &y));
                let open = [0, 1].map(|k| may[k] && fixed[k] == 0);
                let here = years.map(|y| c.span().overlap(&y));
                if open == [true, true] && here[0] + here[1] > 0 {
                    let limit = f64::from(years[0].len());
                    let r = rows.single(Single::GroupPeriod(d), limit, hard_cap);
                    group = (r as u32, (here[0] + here[1]) as f32);
                } else if let Some(k) = (0..2).find(|&k| open[k] && !open[1 - k] && here[k] > 0) {
                    let r = rows.single(Single::GroupYear(d, k), 0.0, hard_cap);
                    group = (r as u32, here[k] as f32);
                }
            }
            for (k, a) in mine {
                run.push(k as u32);
                coef.push(a as f32);
            }
            span.push((first.until(c.start) as u16, c.span().len() as u16));
            single.push(group);
            cost.push(if counting {
                0.0
            } else {
                block_cost(problem, c)
            });
        }
        start.push(run.len() as u32);
        let runs = rows.runs.len();
        // The single rows follow the runs' rows.
        let single_base = (runs * months) as u32;
        for s in &mut single {
            if s.0 != u32::MAX {
                s.0 += single_base;
            }
        }
        let priced_rows = rows.touched.iter().filter(|&&t| t).count() + rows.single_limit.len();
        let mut by_part: BTreeMap<(DoctorId, usize), Vec<usize>> = BTreeMap::new();
        for (i, &g) in comp.candidates.iter().enumerate() {
            by_part
                .entry((cands[g].doctor, cands[g].part))
                .or_default()
                .push(i);
        }
        let mut parts = Vec::new();
        let mut forced = 0;
        let mut least_commute = Vec::new();
        for &d in &comp.doctors {
            for (p, req) in problem.parts(d).iter().enumerate() {
                match by_part.remove(&(d, p)) {
                    Some(candidates) => {
                        least_commute.push(
                            candidates
                                .iter()
                                .map(|&i| &cands[comp.candidates[i]])
                                .map(|c| if c.relocate { 0 } else { c.commute })
                                .min()
                                .unwrap_or(0),
                        );
                        parts.push(Part {
                            doctor: d,
                            candidates,
                            split: (req.block_lengths().len() > 1)
                                .then_some(f64::from(req.calendar_months)),
                        });
                    }
                    None => forced += 1,
                }
            }
        }
        let mut constant = 0.0;
        if !counting {
            constant += min_fill_no_candidate_can_fill(problem, cands, comp, &rows);
        }
        // Longest first, for the bound on the worst commute at any count (`worst_at`).
        least_commute.sort_unstable_by(|a, b| b.cmp(a));
        let worst_commute = if counting { 0.0 } else { w.worst_commute };
        let len: Vec<f64> = comp
            .candidates
            .iter()
            .map(|&g| f64::from(cands[g].len))
            .collect();
        // The prices that lower a block's priced cost most within the caps: the min-fill
        // rows (the only ones with a negative coefficient) at their cap, the others at 0.
        let Rows {
            runs: kinds,
            mut limit,
            mut cap,
            single_limit,
            single_cap,
            ..
        } = rows;
        let mut credit = vec![0.0; limit.len() + single_limit.len()];
        for (&kind, &k) in &kinds {
            if let Run::MinFill(_) = kind {
                let at = k * months..(k + 1) * months;
                credit[at.clone()].copy_from_slice(&cap[at]);
            }
        }
        limit.extend(single_limit);
        cap.extend(single_cap);
        let mut part_of = vec![u32::MAX; comp.candidates.len()];
        for (p, part) in parts.iter().enumerate() {
            for &i in &part.candidates {
                part_of[i] = p as u32;
            }
        }
        let mut relaxation = Relaxation {
            months,
            runs,
            priced_rows,
            start,
            run,
            coef,
            span,
            single,
            cost,
            len,
            floor: Vec::new(),
            global: comp.candidates.clone(),
            part_of,
            parts,
            forced,
            limit,
            cap,
            constant,
            unplaced_cost,
            unplaced_at_most,
            least_commute,
            worst_commute,
        };
        relaxation.order_by_floor(&credit);
        relaxation
    }

    /// Each candidate's floor, its service of its part at `credit` (the prices within the
    /// caps that lower it most), and each part's candidates from the lowest floor up.
    fn order_by_floor(&mut self, credit: &[f64]) {
        let t = self.totals(credit);
        let mut floor = vec![0.0; self.cost.len()];
        for part in &self.parts {
            for &i in &part.candidates {
                floor[i] = self.service(part, i, &t);
            }
        }
        for part in &mut self.parts {
            part.candidates
                .sort_by(|&a, &b| floor[a].total_cmp(&floor[b]).then(a.cmp(&b)));
        }
        self.floor = floor;
    }

    /// Rules priced.
    pub fn rows(&self) -> usize {
        self.limit.len()
    }

    /// The running totals of `price` along each run.
    fn totals<'a>(&self, price: &'a [f64]) -> Totals<'a> {
        let mut total = Vec::with_capacity(self.runs * (self.months + 1));
        for k in 0..self.runs {
            let mut sum = 0.0;
            total.push(sum);
            for &p in &price[k * self.months..(k + 1) * self.months] {
                sum += p;
                total.push(sum);
            }
        }
        Totals { price, total }
    }

    /// Candidate `i`'s cost plus the prices of the rows it uses: in each run it uses, the
    /// prices of its months (a difference of running totals), and its single row's.
    fn priced(&self, i: usize, t: &Totals) -> f64 {
        let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
        let (from, n) = (self.span[i].0 as usize, self.span[i].1 as usize);
        let mut v = self.cost[i];
        for (&r, &k) in self.run[a..b].iter().zip(&self.coef[a..b]) {
            let at = r as usize * (self.months + 1) + from;
            v += f64::from(k) * (t.total[at + n] - t.total[at]);
        }
        let (r, k) = self.single[i];
        if r != u32::MAX {
            v += f64::from(k) * t.price[r as usize];
        }
        v
    }

    /// [`Relaxation::priced`] month by month, without running totals.
    #[cfg(test)]
    fn priced_slowly(&self, i: usize, price: &[f64]) -> f64 {
        let mut usage = vec![0.0; self.rows()];
        self.add_use(i, 1.0, &mut usage);
        self.cost[i] + usage.iter().zip(price).map(|(u, p)| u * p).sum::<f64>()
    }

    /// The rows in which some candidate has a negative coefficient (min-fill ones).
    #[cfg(test)]
    fn credited(&self) -> std::collections::BTreeSet<usize> {
        let mut usage = vec![0.0; self.rows()];
        let mut out = std::collections::BTreeSet::new();
        for i in 0..self.cost.len() {
            usage.iter_mut().for_each(|u| *u = 0.0);
            self.add_use(i, 1.0, &mut usage);
            out.extend((0..usage.len()).filter(|&r| usage[r] < 0.0));
        }
        out
    }

    /// Add `times` candidate `i`'s use of each row to `usage`.
    fn add_use(&self, i: usize, times: f64, usage: &mut [f64]) {
        let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
        let (from, n) = (self.span[i].0 as usize, self.span[i].1 as usize);
        for (&r, &k) in self.run[a..b].iter().zip(&self.coef[a..b]) {
            let at = r as usize * self.months + from;
            for u in &mut usage[at..at + n] {
                *u += times * f64::from(k);
            }
        }
        let (r, k) = self.single[i];
        if r != u32::MAX {
            usage[r as usize] += times * f64::from(k);
        }
    }

    /// What serving `part` with candidate `i` costs at `price`: the block's priced cost,
    /// or, when the part may be split, its cost per month times the part's months (its
    /// blocks' months then add up to the part).
    fn service(&self, part: &Part, i: usize, t: &Totals) -> f64 {
        let v = self.priced(i, t);
        part.split.map_or(v, |months| v / self.len[i] * months)
    }

    /// The doctors of `plan` (global candidate indices) whose served parts cost more at
    /// `price` than the cheapest service the prices allow them, dearest regret first
    /// (ties by doctor), each with the department of their cheapest service: at good prices
    /// the rules' scarcity is in the price, so a large regret marks a doctor the plan
    /// serves worse than the relaxation would, and a neighbourhood around them and that
    /// department is where re-solving is most likely to pay.
    pub fn regrets(&self, price: &[f64], plan: &[usize]) -> Vec<(f64, DoctorId, usize)> {
        // The plan's blocks are few: look each candidate up among them (not the other way
        // round, which would index every candidate at each call).
        let chosen: std::collections::HashSet<usize> = plan.iter().copied().collect();
        let t = self.totals(price);
        let mut served = vec![0.0; self.parts.len()];
        let mut in_plan = vec![false; self.parts.len()];
        for (i, g) in self.global.iter().enumerate() {
            if chosen.contains(g) {
                let p = self.part_of[i] as usize;
                served[p] += self.priced(i, &t);
                in_plan[p] = true;
            }
        }
        let cheapest = self.cheapest(&t);
        // Per doctor: the regret over their parts, and the cheapest block of the part with
        // the largest regret (with that regret).
        let mut by_doctor: BTreeMap<DoctorId, (f64, f64, usize)> = BTreeMap::new();
        for (p, part) in self.parts.iter().enumerate() {
            let (choice, v) = cheapest[p];
            if !in_plan[p] || choice == usize::MAX {
                continue;
            }
            let regret = (served[p] - v).max(0.0);
            let e = by_doctor.entry(part.doctor).or_insert((0.0, -1.0, choice));
            e.0 += regret;
            if regret > e.1 {
                (e.1, e.2) = (regret, choice);
            }
        }
        let mut found: Vec<(f64, DoctorId, usize)> = by_doctor
            .into_iter()
            .filter(|(_, (r, _, _))| *r > 1e-6)
            .map(|(d, (r, _, i))| (r, d, self.global[i]))
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found
    }

    /// Each part's `k` candidates cheapest at `price` (per month of the part when it may be
    /// split), as global indices: the blocks worth having at those prices.
    pub fn cheapest_blocks(&self, price: &[f64], k: usize) -> std::collections::HashSet<usize> {
        let mut out = std::collections::HashSet::new();
        if k == 0 {
            return out;
        }
        let t = self.totals(price);
        for part in &self.parts {
            let mut best: Vec<(usize, f64)> = Vec::with_capacity(k + 1);
            for &i in &part.candidates {
                if best.len() == k && self.floor[i] >= best[k - 1].1 {
                    break;
                }
                let v = self.service(part, i, &t);
                if best.len() < k || v < best[k - 1].1 {
                    let at = best.partition_point(|&(_, w)| w <= v);
                    best.insert(at, (i, v));
                    best.truncate(k);
                }
            }
            out.extend(best.into_iter().map(|(i, _)| self.global[i]));
        }
        out
    }

    /// Each part's cheapest service at `price` (its candidate, `usize::MAX` for none, and
    /// what it costs): per block for one block; per month (times the length) when it may
    /// be split, since its blocks' months then add up to the part. Candidates are met from
    /// the lowest floor up: once a floor is not below the cheapest so far, no later
    /// candidate can beat it.
    fn cheapest(&self, t: &Totals) -> Vec<(usize, f64)> {
        self.parts
            .iter()
            .map(|part| {
                let mut best = (usize::MAX, f64::INFINITY);
                for &i in &part.candidates {
                    if self.floor[i] >= best.1 {
                        break;
                    }
                    let v = self.service(part, i, t);
                    if v < best.1 {
                        best = (i, v);
                    }
                }
                best
            })
            .collect()
    }

    /// The Lagrangian function at `price`, and in `usage` each priced row's use by the
    /// relaxation's choice.
    #[cfg(test)]
    fn value(&self, price: &[f64], usage: &mut [f64]) -> f64 {
        self.value_leaving(price, usage, self.unplaced_at_most)
    }

    /// A lower bound on the cost of plans that leave at most `n` parts unplaced, from a
    /// relaxation built for a fixed count of at least `n`: the Lagrangian function at
    /// `price` with only `n` parts left out. (The search may place more parts than the
    /// count stage did; this bounds the cost at the count it reached.)
    pub fn value_at_count(&self, price: &[f64], n: usize) -> f64 {
        let mut usage = vec![0.0; self.rows()];
        let at_most = self.unplaced_at_most.map(|m| m.min(n));
        self.value_leaving(price, &mut usage, at_most)
    }

    /// [`Relaxation::value`] with at most `at_most` parts unplaced (at a fixed count).
    fn value_leaving(&self, price: &[f64], usage: &mut [f64], at_most: Option<usize>) -> f64 {
        usage.iter_mut().for_each(|u| *u = 0.0);
        let cheapest = self.cheapest(&self.totals(price));
        let mut served = vec![true; self.parts.len()];
        let worst = worst_at(
            at_most,
            self.forced,
            &self.least_commute,
            self.worst_commute,
        );
        let mut value = self.constant + worst + self.forced as f64 * self.unplaced_cost
            - price
                .iter()
                .zip(&self.limit)
                .map(|(p, l)| p * l)
                .sum::<f64>();
        match at_most {
            None => {
                for (p, &(_, v)) in cheapest.iter().enumerate() {
                    if v >= self.unplaced_cost {
                        served[p] = false;
                    }
                }
            }
            Some(n) => {
                // Leave out the dearest parts (those worth leaving out).
                let mut order: Vec<usize> = (0..self.parts.len()).collect();
                order.sort_by(|&a, &b| cheapest[b].1.total_cmp(&cheapest[a].1));
                for &p in order.iter().take(n.saturating_sub(self.forced)) {
                    if cheapest[p].1 > 0.0 {
                        served[p] = false;
                    }
                }
            }
        }
        for (p, part) in self.parts.iter().enumerate() {
            let (choice, v) = cheapest[p];
            if !served[p] || choice == usize::MAX {
                value += self.unplaced_cost;
                continue;
            }
            value += v;
            let times = part.split.map_or(1.0, |months| months / self.len[choice]);
            self.add_use(choice, times, usage);
        }
        value
    }
}

/// The total of the min-fill slots in departments of this part that no candidate covers.
fn min_fill_no_candidate_can_fill(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    priced: &Rows,
) -> f64 {
    let inst = problem.inst;
    let w = &inst.settings.weights;
    let departments: std::collections::BTreeSet<DepartmentId> = comp
        .candidates
        .iter()
        .map(|&g| cands[g].department)
        .collect();
    let mut total = 0.0;
    for k in departments {
        let dept = inst.department(k);
        for m in inst.horizon().months() {
            let need = dept.min_fill_in(m).saturating_sub(problem.fixed_in(k, m));
            if need > 0 && !priced.priced(Run::MinFill(k), m) {
                total += w.min_fill * f64::from(need);
            }
        }
    }
    total
}

/// The best lower bound on the objective of `comp` for `stage` found before `opts` says to
/// stop or `budget` seconds have passed; `upper` is the objective of a known plan (or
/// `f64::INFINITY`): the steps aim below it, and the bound never exceeds it. At the count
/// stage the bound is rounded up to a whole number of parts.
pub fn lagrangian(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    stage: Stage,
    upper: f64,
    opts: &SolveOptions,
) -> Bound {
    let relaxation = Relaxation::new(problem, cands, comp, stage);
    relaxation.bound(stage, upper, opts, None, None)
}

/// The best prices found so far by a running [`Relaxation::bound`], for a search to read.
pub type SharedPrices = std::sync::Mutex<Option<std::sync::Arc<Vec<f64>>>>;

/// The number of unplaced parts and the cost of a search's plan as it improves, for a
/// running [`Relaxation::bound`] at a fixed count to follow. A bound on the plans that leave
/// at most `n` parts unplaced is one on the plans that leave fewer (its relaxation leaves
/// fewer parts out, at the same prices), so the steps may start while the count stage is
/// still placing parts, and keep their best value as the count falls.
/// Until the count is settled, steps that have converged wait for it to fall rather than
/// stop.
#[derive(Debug, Default)]
pub struct Progress(std::sync::Mutex<(Option<(usize, f64)>, bool)>);

impl Progress {
    /// The search's plan now leaves `unplaced` parts unplaced and costs `cost`.
    pub fn set(&self, unplaced: usize, cost: f64) {
        self.lock().0 = Some((unplaced, cost));
    }

    /// The count stage is over: the count may still fall, but the steps need not wait
    /// for it.
    pub fn settle(&self) {
        self.lock().1 = true;
    }

    /// The last plan's count and cost, if any.
    fn get(&self) -> Option<(usize, f64)> {
        self.lock().0
    }

    fn settled(&self) -> bool {
        self.lock().1
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Option<(usize, f64)>, bool)> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Relaxation {
    /// [`lagrangian`] of this relaxation (built for `stage`), publishing each better set of
    /// prices in `share`, if given. With `follow` at a fixed count, the count and the
    /// plan's cost (`upper`) are the last ones set there.
    pub fn bound(
        &self,
        stage: Stage,
        upper: f64,
        opts: &SolveOptions,
        share: Option<&SharedPrices>,
        follow: Option<&Progress>,
    ) -> Bound {
        let value = self.subgradient(upper, opts, share, follow);
        let upper = match follow.and_then(Progress::get) {
            Some((_, cost)) if self.unplaced_at_most.is_some() => cost,
            _ => upper,
        };
        let value = if stage == Stage::Count {
            (value - 1e-6).ceil().max(0.0)
        } else {
            value
        };
        Bound {
            value: value.min(upper),
            priced_rows: self.priced_rows,
            parts: self.parts.len() + self.forced,
        }
    }
}

/// Whether the steps have stalled ([`STALL`]): the best bound, looked at every
/// [`STALL_STEPS`] steps, rose by less than its share since the last look.
struct Stall {
    last: f64,
}

impl Stall {
    fn new() -> Stall {
        Stall {
            last: f64::NEG_INFINITY,
        }
    }

    /// At step `steps` (counted from 1) the best bound is `best`; `settled` tells whether
    /// the count may still fall (then the steps go on).
    fn stalled(&mut self, steps: usize, best: f64, settled: bool) -> bool {
        if !steps.is_multiple_of(STALL_STEPS) {
            return false;
        }
        let stalled = settled && best - self.last < STALL * best.abs();
        self.last = best;
        stalled
    }
}

impl Relaxation {
    /// Steps that have converged at the count `counted` wait while `follow` is not settled,
    /// for the count to fall (then they start again: true) or the time to run out.
    fn wait_for_count(
        &self,
        follow: Option<&Progress>,
        counted: Option<usize>,
        opts: &SolveOptions,
        started: std::time::Instant,
        budget: f64,
    ) -> bool {
        let Some(follow) = follow.filter(|_| self.unplaced_at_most.is_some()) else {
            return false;
        };
        while !follow.settled() {
            if opts.should_stop() || started.elapsed().as_secs_f64() >= budget {
                return false;
            }
            if follow.get().map(|(n, _)| n) != counted {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        false
    }

    /// The best value of the Lagrangian function found by subgradient steps within the
    /// time `opts` leaves (at a fixed count: at the last count set in `follow`, if given).
    pub fn subgradient(
        &self,
        upper: f64,
        opts: &SolveOptions,
        share: Option<&SharedPrices>,
        follow: Option<&Progress>,
    ) -> f64 {
        let started = std::time::Instant::now();
        let budget = opts.seconds_left();
        let mut price = vec![0.0; self.rows()];
        let mut usage = vec![0.0; self.rows()];
        let mut direction = vec![0.0; self.rows()];
        let mut best = f64::NEG_INFINITY;
        let mut step_scale = 1.0;
        let mut counted = self.unplaced_at_most;
        let mut since_better = 0;
        let mut steps = 0;
        let mut stall = Stall::new();
        // Steps at a fixed count that follow a search: the count may fall until it settles.
        let follows = follow.filter(|_| self.unplaced_at_most.is_some());
        // The best prices, published once the first steps are done: the very first prices
        // (none at all, at the start) make a search that reads them choose poorly.
        let mut best_price: Vec<f64> = Vec::new();
        let mut unpublished = false;
        let publish = |price: &[f64]| {
            if let Some(share) = share {
                let mut shared = share.lock().unwrap_or_else(|e| e.into_inner());
                *shared = Some(std::sync::Arc::new(price.to_vec()));
            }
        };
        for _ in 0..STEPS {
            steps += 1;
            if opts.should_stop() || started.elapsed().as_secs_f64() >= budget {
                break;
            }
            // The count and the plan's cost, as the search has them now.
            let (at_most, upper) = match follow.and_then(Progress::get) {
                Some((n, cost)) if self.unplaced_at_most.is_some() => (Some(n), cost),
                _ => (self.unplaced_at_most, upper),
            };
            if at_most != counted {
                // A new function: the steps start again at full size.
                step_scale = 1.0;
                since_better = 0;
            }
            counted = at_most;
            if stall.stalled(steps, best, follows.is_none_or(Progress::settled)) {
                break;
            }
            let scale = if at_most.is_some() {
                upper.abs().max(1.0)
            } else {
                self.unplaced_cost
            };
            let value = self.value_leaving(&price, &mut usage, at_most);
            if value > best + 1e-9 {
                best = value;
                since_better = 0;
                if share.is_some() {
                    best_price.clone_from(&price);
                    unpublished = true;
                }
            } else {
                since_better += 1;
                if since_better >= PATIENCE {
                    step_scale /= 2.0;
                    since_better = 0;
                    if step_scale < 1e-4 {
                        if self.wait_for_count(follow, counted, opts, started, budget) {
                            continue;
                        }
                        break;
                    }
                }
            }
            if unpublished && steps > FIRST_UNSHARED_STEPS {
                publish(&best_price);
                unpublished = false;
            }
            // The relaxation's choice keeps every priced row: the bound is tight.
            let excess: f64 = usage
                .iter()
                .zip(&self.limit)
                .zip(&price)
                .map(|((u, l), p)| {
                    if *p <= 0.0 && u < l {
                        0.0
                    } else {
                        (u - l).powi(2)
                    }
                })
                .sum();
            if excess < 1e-12 {
                if self.wait_for_count(follow, counted, opts, started, budget) {
                    continue;
                }
                break;
            }
            // Move the prices along the rows' excess use, deflected by the last direction
            // (never down for a price already at zero).
            for (((d, u), l), p) in direction
                .iter_mut()
                .zip(&usage)
                .zip(&self.limit)
                .zip(&price)
            {
                let g = u - l + DEFLECTION * *d;
                *d = if *p <= 0.0 && g < 0.0 { 0.0 } else { g };
            }
            let norm: f64 = direction.iter().map(|g| g * g).sum();
            if norm < 1e-12 {
                continue; // The deflection cancelled the excess: the next step has it alone.
            }
            // Aim a little above the best bound so far (never above the plan's cost): aiming
            // at the plan's cost overshoots when the plan is far from the optimum.
            let target = (best.max(value) + 0.05 * best.abs().max(scale)).min(upper);
            let step = step_scale * (target - value).max(1e-6 * target.abs().max(1.0)) / norm;
            for ((p, g), most) in price.iter_mut().zip(&direction).zip(&self.cap) {
                *p = (*p + step * g).clamp(0.0, *most);
            }
        }
        if unpublished {
            publish(&best_price);
        }
        if opts.verbose {
            eprintln!(
                "lagrangian: {best:.1} after {steps} steps in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::{decompose, model, objective};
    use crate::solver::SolveOptions;
    use crate::travel::Travel;

    /// A bundled instance and its travel network.
    fn bundled(name: &str) -> (Instance, Travel) {
        let inst = crate::placement::bundled(name);
        let travel = Travel::new(&inst);
        (inst, travel)
    }

    /// The candidate blocks of `problem` and its independent parts.
    fn parts(problem: &Problem, travel: &Travel) -> (Vec<Candidate>, Vec<Component>) {
        let (cands, _) = crate::placement::all_candidates(problem, travel);
        let comps = decompose::components(problem, &cands);
        (cands, comps)
    }

    /// The steps stop at a look (every [`STALL_STEPS`] steps) at which the best bound rose
    /// by less than [`STALL`] of itself since the last look, and only once the count is
    /// settled.
    #[test]
    fn steps_stop_once_the_bound_rises_too_little_and_the_count_is_settled() {
        let look = |stall: &mut Stall, at: usize, best: f64, settled: bool| {
            // Between looks the steps go on, whatever the bound does.
            for step in at - STALL_STEPS + 1..at {
                assert!(!stall.stalled(step, best, settled));
            }
            stall.stalled(at, best, settled)
        };
        let mut stall = Stall::new();
        assert!(
            !look(&mut stall, STALL_STEPS, 1_000.0, true),
            "the first look"
        );
        // Risen by 1 % since the last look: on.
        assert!(!look(&mut stall, 2 * STALL_STEPS, 1_010.0, true));
        // Risen by less than the share: stop, but only once the count is settled.
        let little = 1_010.0 * (1.0 + STALL / 2.0);
        assert!(!look(&mut stall, 3 * STALL_STEPS, little, false));
        assert!(look(&mut stall, 4 * STALL_STEPS, little, true));
        // A negative bound rising by less than its share stalls too.
        let mut stall = Stall::new();
        assert!(!look(&mut stall, STALL_STEPS, -1_000.0, true));
        assert!(look(&mut stall, 2 * STALL_STEPS, -1_000.0 + 1e-4, true));
    }

    /// A relaxation built for one fixed count and evaluated at another (as the steps that
    /// follow the count stage do) is the relaxation built for the other: the same
    /// Lagrangian function at any prices (the worst commute's floor and the parts left out
    /// follow the count).
    #[test]
    fn a_relaxation_evaluated_at_a_count_is_the_one_built_for_it() {
        let (inst, travel) = bundled("alis-nord");
        let problem = Problem::new(&inst);
        let (cands, comps) = parts(&problem, &travel);
        let at = |n| Stage::Cost {
            unplaced_at_most: Some(n),
        };
        let mut differ = 0;
        for comp in &comps {
            for (built, wanted) in [(9, 0), (9, 2), (0, 3), (4, 4)] {
                let set = Relaxation::new(&problem, &cands, comp, at(built));
                let fresh = Relaxation::new(&problem, &cands, comp, at(wanted));
                let loose = Relaxation::new(&problem, &cands, comp, at(built));
                let mut usage = vec![0.0; fresh.rows()];
                for scale in [0.0, 1e3, 1e5] {
                    let price: Vec<f64> = (0..fresh.rows())
                        .map(|r| scale * ((r * 7919) % 13) as f64 / 13.0)
                        .collect();
                    let v = fresh.value(&price, &mut usage);
                    let followed = set.value_leaving(&price, &mut usage, Some(wanted));
                    assert!((followed - v).abs() <= 1e-6 * v.abs().max(1.0));
                    differ += usize::from((loose.value(&price, &mut usage) - v).abs() > 1e-6);
                }
            }
        }
        assert!(differ > 0, "the count never changed the relaxation's value");
    }

    /// Pricing from the lowest floor up and stopping early finds each part's cheapest
    /// service exactly as pricing every candidate does, at any prices within the caps
    /// (here: zero, small, large and capped ones, on both bundled instances and stages).
    #[test]
    fn pricing_from_the_lowest_floor_up_finds_the_cheapest_service() {
        for name in ["alis-vest", "alis-nord"] {
            let (inst, travel) = bundled(name);
            let problem = Problem::new(&inst);
            let (cands, comps) = parts(&problem, &travel);
            let stages = [
                Stage::Count,
                Stage::Cost {
                    unplaced_at_most: None,
                },
                Stage::Cost {
                    unplaced_at_most: Some(1),
                },
            ];
            let mut seed: u64 = 7;
            let mut next = move || {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 11) as f64 / (1u64 << 53) as f64
            };
            let mut compared = 0;
            for comp in &comps {
                for stage in stages {
                    let r = Relaxation::new(&problem, &cands, comp, stage);
                    let credit = r.credited();
                    // Random prices of growing scale, then the min-fill rows (the only
                    // ones with a credit) at their cap and the others free.
                    for scale in [0.0, 1.0, 1e4, 1e7, f64::NAN] {
                        let price: Vec<f64> = (0..r.cap.len())
                            .map(|k| {
                                if !scale.is_nan() {
                                    (next() * scale).min(r.cap[k])
                                } else if credit.contains(&k) {
                                    r.cap[k]
                                } else {
                                    0.0
                                }
                            })
                            .collect();
                        let fast = r.cheapest(&r.totals(&price));
                        for (part, &(_, v)) in r.parts.iter().zip(&fast) {
                            let slow = part
                                .candidates
                                .iter()
                                .map(|&i| {
                                    let v = r.priced_slowly(i, &price);
                                    part.split.map_or(v, |months| v / r.len[i] * months)
                                })
                                .fold(f64::INFINITY, f64::min);
                            assert!(
                                (v - slow).abs() <= 1e-9 * slow.abs().max(1.0),
                                "{name}: {v} found, {slow} the cheapest"
                            );
                            compared += 1;
                        }
                    }
                }
            }
            assert!(compared > 0, "{name}: parts compared");
        }
    }

    /// `cheapest_blocks` holds, for each part, `k` candidates and none dearer at the prices
    /// than any it leaves out, as pricing every candidate finds.
    #[test]
    fn the_cheapest_blocks_are_the_k_cheapest_of_each_part() {
        let (inst, travel) = bundled("alis-vest");
        let problem = Problem::new(&inst);
        let (cands, comps) = parts(&problem, &travel);
        let stage = Stage::Cost {
            unplaced_at_most: Some(0),
        };
        let mut seed: u64 = 11;
        for comp in &comps {
            let r = Relaxation::new(&problem, &cands, comp, stage);
            let price: Vec<f64> = (0..r.rows())
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (seed >> 11) as f64 / (1u64 << 53) as f64 * 1e4
                })
                .collect();
            for k in [1, 3, 10] {
                let chosen = r.cheapest_blocks(&price, k);
                let totals = r.totals(&price);
                for part in &r.parts {
                    let per = |i: usize| r.service(part, i, &totals);
                    let (inside, outside): (Vec<usize>, Vec<usize>) = part
                        .candidates
                        .iter()
                        .partition(|&&i| chosen.contains(&r.global[i]));
                    assert_eq!(inside.len(), k.min(part.candidates.len()));
                    let dearest_in = inside.iter().map(|&i| per(i)).fold(f64::MIN, f64::max);
                    let cheapest_out = outside.iter().map(|&i| per(i)).fold(f64::MAX, f64::min);
                    assert!(
                        dearest_in <= cheapest_out + 1e-9,
                        "{dearest_in} > {cheapest_out}"
                    );
                }
            }
        }
        assert!(!comps.is_empty());
    }

    /// A plan of each part's cheapest priced block has no regret; moving one doctor to a
    /// dearer block gives that doctor, alone, the difference as regret, with the cheapest
    /// block as where they would rather be.
    #[test]
    fn regret_is_what_a_plan_pays_above_the_cheapest_priced_service() {
        let (inst, travel) = bundled("alis-vest");
        let problem = Problem::new(&inst);
        let (cands, comps) = parts(&problem, &travel);
        let comp = comps.iter().max_by_key(|c| c.candidates.len()).unwrap();
        let stage = Stage::Cost {
            unplaced_at_most: Some(0),
        };
        let r = Relaxation::new(&problem, &cands, comp, stage);
        let price: Vec<f64> = (0..r.rows()).map(|k| (k % 7) as f64 * 100.0).collect();
        let totals = r.totals(&price);
        let cheapest = r.cheapest(&totals);
        let single: Vec<usize> = (0..r.parts.len())
            .filter(|&p| r.parts[p].split.is_none() && cheapest[p].0 != usize::MAX)
            .collect();
        let plan: Vec<usize> = single.iter().map(|&p| r.global[cheapest[p].0]).collect();
        assert!(!plan.is_empty());
        assert_eq!(r.regrets(&price, &plan), Vec::new());
        // The part with the largest difference between its two cheapest blocks.
        let (p, dearer, extra) = single
            .iter()
            .filter_map(|&p| {
                let part = &r.parts[p];
                let best = cheapest[p].0;
                part.candidates
                    .iter()
                    .filter(|&&i| i != best)
                    .map(|&i| (p, i, r.priced(i, &totals) - cheapest[p].1))
                    .min_by(|a, b| a.2.total_cmp(&b.2))
            })
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .unwrap();
        assert!(extra > 0.0);
        let moved: Vec<usize> = plan
            .iter()
            .map(|&g| {
                if g == r.global[cheapest[p].0] {
                    r.global[dearer]
                } else {
                    g
                }
            })
            .collect();
        let regrets = r.regrets(&price, &moved);
        assert_eq!(regrets.len(), 1, "{regrets:?}");
        let (regret, doctor, rather) = regrets[0];
        assert_eq!(doctor, r.parts[p].doctor);
        assert!((regret - extra).abs() < 1e-6 * extra.max(1.0));
        assert_eq!(rather, r.global[cheapest[p].0]);
    }

    /// On both bundled instances and every stage, the bound is at most every part's proven
    /// optimum, and says more than nothing.
    #[test]
    fn the_bound_is_at_most_the_proven_optimum_of_every_part() {
        for name in ["alis-vest", "alis-nord"] {
            let (inst, travel) = bundled(name);
            let problem = Problem::new(&inst);
            let (cands, comps) = parts(&problem, &travel);
            let mut opts = SolveOptions::from_settings(&inst.settings.solver);
            opts.time_limit = 2.0;
            let mut some_positive = false;
            let mut some_tighter = false;
            for comp in &comps {
                let solved = model::solve_part(
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
                let weighted = Stage::Cost {
                    unplaced_at_most: None,
                };
                let bound = lagrangian(&problem, &cands, comp, weighted, value, &opts).value;
                assert!(
                    bound <= value + 1e-6,
                    "{name}: bound {bound} above optimum {value}"
                );
                some_positive |= bound > 0.0;
                let n = solved.unplaced.len();
                let at_count = Stage::Cost {
                    unplaced_at_most: Some(n),
                };
                let cost = value - inst.settings.weights.unplaced * n as f64;
                let bound = lagrangian(&problem, &cands, comp, at_count, cost, &opts).value;
                assert!(bound <= cost + 1e-6, "{name}: {bound} above {cost}");
                let count = lagrangian(&problem, &cands, comp, Stage::Count, n as f64, &opts);
                assert!(count.value <= n as f64, "{name}: count bound above {n}");
                // Prices found at a looser count still bound the cost at the optimum's
                // count, and more tightly than at the looser count.
                let looser = Stage::Cost {
                    unplaced_at_most: Some(n + 2),
                };
                let r = Relaxation::new(&problem, &cands, comp, looser);
                let share = SharedPrices::default();
                let at_looser = r.bound(looser, cost, &opts, Some(&share), None).value;
                let price = share.lock().unwrap().clone().expect("prices");
                let at_n = r.value_at_count(&price, n);
                assert!(at_n <= cost + 1e-6, "{name}: {at_n} above {cost}");
                let loose = r.value_at_count(&price, n + 2);
                // The prices shared are those of the best bound found.
                assert!(
                    loose + 1e-6 >= at_looser,
                    "{name}: shared {loose} < {at_looser}"
                );
                assert!(at_n + 1e-6 >= loose, "{name}: {at_n} below {loose}");
                some_tighter |= at_n > loose + 1e-6;
                assert!(at_looser <= cost + 1e-6, "{name}");
                // Steps that start at the looser count and follow it down to the
                // optimum's count, whenever it falls, bound the cost at that count.
                let progress = Progress::default();
                progress.set(n + 2, cost);
                let zero = r.value_at_count(&vec![0.0; r.rows()], n + 2);
                let followed = std::thread::scope(|s| {
                    let steps = s.spawn(|| r.bound(looser, cost, &opts, None, Some(&progress)));
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    progress.set(n, cost);
                    progress.settle();
                    steps.join().expect("the steps run").value
                });
                assert!(followed <= cost + 1e-6, "{name}: {followed} above {cost}");
                assert!(followed + 1e-6 >= zero, "{name}: {followed} below {zero}");
            }
            assert!(some_positive, "{name}: the bound says something");
            assert!(some_tighter, "{name}: placing more parts raises the bound");
        }
    }
}
