//! The starting solution at the level of the strong model: who meets at which venue and on
//! which pattern, found by a local search over doctors' moves, with as many groups per venue
//! and pattern as the rules need, and supervisors by a small transportation problem.
//!
//! A *class* is a venue and a meeting pattern, as in [`super::model`] without cohort
//! windows. For a class with `N` members the groups it needs are
//! `max(⌈N / max_size⌉, ⌈largest municipality / max_per_municipality⌉)`; it is valid if
//! those groups can be filled (`groups × min_size ≤ N`), on the long pattern if it has a far
//! traveller per group, and if the venues can host all groups and the supervisors lead them.
//! The search starts from every doctor at their nearest venue on the long pattern and moves
//! one doctor at a time, or empties a class, to lower travel + supervisors' travel (priced
//! per group) + balance + a penalty far above any travel per unit of rule broken. The
//! classes found are then cut into groups by `recut::cut_by_flow`, which also keeps
//! the start spread.

use std::collections::BTreeMap;

use good_lp::{Expression, constraint};

use std::time::Instant;

use super::lazy::{ROUND_NEEDS, Relaxation};
use super::limits::{Limits, Rules};
use super::recut::cut_by_flow;
use super::{Draft, Pattern, Problem};
use crate::solver::{Model, SolveOptions, solve as run_solver};

/// Rounds of search and supervisor pricing.
const ROUNDS: usize = 3;
/// Passes over all doctors per round at most (each pass makes every improving move).
const PASSES: usize = 50;

/// A class: a venue and a pattern, with running counts of its members.
#[derive(Clone)]
struct Class {
    venue: usize,
    pattern: Pattern,
    /// Cohort window (sorted doctor indices) the members must lie in, if any.
    window: Option<usize>,
    size: usize,
    far: usize,
    /// Members per municipality (dense index).
    per_muni: Vec<usize>,
    /// `hist[k]`: municipalities with `k` members here.
    hist: Vec<usize>,
    largest_muni: usize,
}

impl Class {
    fn add(&mut self, muni: usize, far: bool) {
        let c = self.per_muni[muni];
        self.hist[c] -= 1;
        self.per_muni[muni] = c + 1;
        if self.hist.len() <= c + 1 {
            self.hist.resize(c + 2, 0);
        }
        self.hist[c + 1] += 1;
        self.largest_muni = self.largest_muni.max(c + 1);
        self.size += 1;
        self.far += usize::from(far);
    }

    fn remove(&mut self, muni: usize, far: bool) {
        let c = self.per_muni[muni];
        self.hist[c] -= 1;
        self.per_muni[muni] = c - 1;
        self.hist[c - 1] += 1;
        while self.largest_muni > 0 && self.hist[self.largest_muni] == 0 {
            self.largest_muni -= 1;
        }
        self.size -= 1;
        self.far -= usize::from(far);
    }
}

/// Counts of one class after a hypothetical change: size, far travellers, largest
/// municipality.
#[derive(Clone, Copy)]
struct Counts {
    size: usize,
    far: usize,
    largest_muni: usize,
}

struct Search<'a> {
    p: &'a Problem<'a>,
    lim: Limits,
    muni: Vec<usize>,
    classes: Vec<Class>,
    /// The classes of each venue.
    class_of: Vec<Vec<usize>>,
    /// Cohort windows (see [`Problem::windows`]).
    windows: Vec<Vec<usize>>,
    /// Class of each doctor.
    at: Vec<usize>,
    /// Price of one group in each class (its supervisor's travel).
    price: Vec<f64>,
    /// Cost points per unit of a broken rule.
    penalty: f64,
    total_lead: usize,
    /// When the search must stop moving doctors.
    until: Instant,
}

impl<'a> Search<'a> {
    /// The search over classes without cohort windows, except at the venues marked in
    /// `windowed`, where there is a class per cohort window.
    fn new(p: &'a Problem<'a>, windowed: &[bool], until: Instant) -> Search<'a> {
        let lim = Limits::new(p, &Rules::all());
        let mut dense: BTreeMap<_, usize> = BTreeMap::new();
        for &m in &p.municipality {
            let next = dense.len();
            dense.entry(m).or_insert(next);
        }
        let muni: Vec<usize> = p.municipality.iter().map(|m| dense[m]).collect();
        let windows = p.windows();
        let mut classes = Vec::new();
        let mut class_of = Vec::new();
        for (j, &with_windows) in windowed.iter().enumerate() {
            let mut here = Vec::new();
            let cohorts: Vec<Option<usize>> = if with_windows && windows.len() > 1 {
                (0..windows.len()).map(Some).collect()
            } else {
                vec![None]
            };
            for window in cohorts {
                for pattern in [Pattern::Short, Pattern::Long] {
                    here.push(classes.len());
                    classes.push(Class {
                        venue: j,
                        pattern,
                        window,
                        size: 0,
                        far: 0,
                        per_muni: vec![0; dense.len()],
                        hist: vec![dense.len(), 0],
                        largest_muni: 0,
                    });
                }
            }
            class_of.push(here);
        }
        let worst_member = (0..p.due.len())
            .flat_map(|i| (0..p.venues.len()).map(move |j| (i, j)))
            .filter(|&(i, j)| p.reachable(i, j))
            .map(|(i, j)| p.member_cost(i, j, Pattern::Short))
            .fold(0.0, f64::max);
        let worst_sup = (0..p.sups.len())
            .flat_map(|s| (0..p.venues.len()).map(move |j| (s, j)))
            .map(|(s, j)| p.sup_cost(s, j, Pattern::Short))
            .fold(0.0, f64::max);
        let price = classes
            .iter()
            .map(|c| {
                p.group_cost()
                    + (0..p.sups.len())
                        .map(|s| p.sup_cost(s, c.venue, c.pattern))
                        .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let total_lead = lim.sup_cap.iter().sum();
        let penalty = 10.0
            * (worst_member
                + worst_sup
                + p.group_cost()
                + p.rules.balance * f64::from(p.rules.max_size)
                + 1.0);
        Search {
            p,
            lim,
            muni,
            classes,
            class_of,
            windows,
            at: Vec::new(),
            price,
            penalty,
            total_lead,
            until,
        }
    }

    /// Whether doctor `i` may be in class `c` at all.
    fn allowed(&self, i: usize, c: usize) -> bool {
        let class = &self.classes[c];
        self.p.reachable(i, class.venue)
            && (class.pattern == Pattern::Long || !self.p.far(i, class.venue))
            && class
                .window
                .is_none_or(|w| self.windows[w].binary_search(&i).is_ok())
    }

    fn counts(&self, c: usize) -> Counts {
        let class = &self.classes[c];
        Counts {
            size: class.size,
            far: class.far,
            largest_muni: class.largest_muni,
        }
    }

    /// Groups a class with these counts needs.
    fn groups(&self, k: Counts) -> usize {
        if k.size == 0 {
            return 0;
        }
        k.size
            .div_ceil(self.lim.max_size)
            .max(k.largest_muni.div_ceil(self.lim.per_municipality))
    }

    /// Units of rules broken inside one class.
    fn broken(&self, c: usize, k: Counts) -> usize {
        let n = self.groups(k);
        let short = (n * self.lim.min_size).saturating_sub(k.size);
        let no_far = if self.classes[c].pattern == Pattern::Long {
            n.saturating_sub(k.far)
        } else {
            0
        };
        short + no_far
    }

    /// The value of the whole state with classes `changed` at the given counts: member
    /// travel is left out (callers add its change), groups are priced, balance and broken
    /// rules (inside classes, venue capacity, supervisors' capacity) counted.
    fn value(&self, changed: &[(usize, Counts)]) -> f64 {
        let counts = |c: usize| {
            changed
                .iter()
                .find(|&&(d, _)| d == c)
                .map_or_else(|| self.counts(c), |&(_, k)| k)
        };
        let mut v = 0.0;
        let mut broken = 0;
        let mut groups_all = 0;
        let (mut largest, mut smallest) = (0, usize::MAX);
        for (j, here) in self.class_of.iter().enumerate() {
            let mut at_venue = 0;
            for &c in here {
                let k = counts(c);
                let n = self.groups(k);
                if n > 0 {
                    v += self.price[c] * n as f64;
                    broken += self.broken(c, k);
                    largest = largest.max(k.size.div_ceil(n));
                    smallest = smallest.min(k.size / n);
                }
                at_venue += n;
            }
            broken += at_venue.saturating_sub(self.lim.venue_cap[j]);
            groups_all += at_venue;
        }
        broken += groups_all.saturating_sub(self.total_lead);
        if smallest <= largest {
            v += self.p.rules.balance * (largest - smallest) as f64;
        }
        v + self.penalty * broken as f64
    }

    fn member_cost(&self, i: usize, c: usize) -> f64 {
        let class = &self.classes[c];
        self.p.member_cost(i, class.venue, class.pattern)
    }

    /// Counts of class `c` with doctor `i` added (`add`) or removed.
    fn with(&self, c: usize, i: usize, add: bool) -> Counts {
        let class = &self.classes[c];
        let m = class.per_muni[self.muni[i]];
        let far = usize::from(self.p.far(i, class.venue));
        if add {
            Counts {
                size: class.size + 1,
                far: class.far + far,
                largest_muni: class.largest_muni.max(m + 1),
            }
        } else {
            let drops = m == class.largest_muni && class.hist[m] == 1;
            Counts {
                size: class.size - 1,
                far: class.far - far,
                largest_muni: class.largest_muni - usize::from(drops),
            }
        }
    }

    fn place(&mut self, i: usize, c: usize) {
        let far = self.p.far(i, self.classes[c].venue);
        self.classes[c].add(self.muni[i], far);
        self.at[i] = c;
    }

    fn unplace(&mut self, i: usize) {
        let c = self.at[i];
        let far = self.p.far(i, self.classes[c].venue);
        self.classes[c].remove(self.muni[i], far);
    }

    /// Every doctor at the venue and on the pattern `from` gives, or else at their nearest
    /// venue on the long pattern; in the first class there that they may join.
    fn start(&mut self, from: Option<&[(usize, Pattern)]>) {
        self.at = vec![0; self.p.due.len()];
        for i in 0..self.p.due.len() {
            let nearest = || {
                let j = (0..self.p.venues.len())
                    .filter(|&j| self.p.reachable(i, j))
                    .min_by_key(|&j| (self.p.member_minutes[i][j], j))
                    .expect("the pre-check makes sure every doctor reaches a venue");
                (j, Pattern::Long)
            };
            let (j, pattern) = from.and_then(|f| f.get(i).copied()).unwrap_or_else(nearest);
            let pick = |j: usize, pattern: Pattern| {
                self.class_of[j]
                    .iter()
                    .copied()
                    .find(|&c| self.classes[c].pattern == pattern && self.allowed(i, c))
            };
            let c = pick(j, pattern)
                .or_else(|| pick(j, Pattern::Long))
                .or_else(|| {
                    let (j, pattern) = nearest();
                    pick(j, pattern)
                })
                .expect("a doctor may always join the long pattern at a venue they reach");
            self.place(i, c);
        }
    }

    /// The venue and pattern of every doctor.
    fn placement(&self) -> Vec<(usize, Pattern)> {
        self.at
            .iter()
            .map(|&c| (self.classes[c].venue, self.classes[c].pattern))
            .collect()
    }

    /// Move doctors one at a time to the class that lowers the value most, until no move
    /// helps (or the pass limit); then try emptying each class into its members' best
    /// other classes. Returns whether anything changed.
    fn descend(&mut self) -> bool {
        let eps = 1e-6;
        let mut changed_any = false;
        for _ in 0..PASSES {
            let mut changed = false;
            for i in 0..self.p.due.len() {
                if Instant::now() >= self.until {
                    return changed_any | changed;
                }
                let from = self.at[i];
                let base = self.value(&[]) + self.member_cost(i, from);
                let out = self.with(from, i, false);
                let mut best: Option<(f64, usize)> = None;
                for to in 0..self.classes.len() {
                    if to == from || !self.allowed(i, to) {
                        continue;
                    }
                    let v = self.value(&[(from, out), (to, self.with(to, i, true))])
                        + self.member_cost(i, to);
                    if v < base - eps && best.is_none_or(|(b, _)| v < b) {
                        best = Some((v, to));
                    }
                }
                if let Some((_, to)) = best {
                    self.unplace(i);
                    self.place(i, to);
                    changed = true;
                }
            }
            changed |= self.empty_classes();
            changed_any |= changed;
            if !changed {
                break;
            }
        }
        changed_any
    }

    /// Try moving all members of a class to their cheapest other allowed classes; keep it
    /// if the value falls.
    fn empty_classes(&mut self) -> bool {
        let mut changed = false;
        for c in 0..self.classes.len() {
            if self.classes[c].size == 0 {
                continue;
            }
            if Instant::now() >= self.until {
                break;
            }
            let before = self.total();
            let saved = (self.at.clone(), self.classes.clone());
            let members: Vec<usize> = (0..self.p.due.len()).filter(|&i| self.at[i] == c).collect();
            let mut stuck = false;
            for &i in &members {
                let to = (0..self.classes.len())
                    .filter(|&to| to != c && self.allowed(i, to))
                    .min_by(|&a, &b| {
                        let va = self.value(&[(a, self.with(a, i, true))]) + self.member_cost(i, a);
                        let vb = self.value(&[(b, self.with(b, i, true))]) + self.member_cost(i, b);
                        va.total_cmp(&vb).then(a.cmp(&b))
                    });
                match to {
                    Some(to) => {
                        self.unplace(i);
                        self.place(i, to);
                    }
                    None => {
                        stuck = true;
                        break;
                    }
                }
            }
            if stuck || self.total() >= before - 1e-6 {
                (self.at, self.classes) = saved;
            } else {
                changed = true;
            }
        }
        changed
    }

    fn total(&self) -> f64 {
        self.value(&[])
            + (0..self.p.due.len())
                .map(|i| self.member_cost(i, self.at[i]))
                .sum::<f64>()
    }

    /// Whether every class, venue and the supervisors keep the rules.
    fn valid(&self) -> bool {
        let mut groups_all = 0;
        for (j, here) in self.class_of.iter().enumerate() {
            let at_venue: usize = here.iter().map(|&c| self.groups(self.counts(c))).sum();
            if at_venue > self.lim.venue_cap[j]
                || here.iter().any(|&c| self.broken(c, self.counts(c)) > 0)
            {
                return false;
            }
            groups_all += at_venue;
        }
        groups_all <= self.total_lead
    }

    /// Supervisors for the groups of every class: the cheapest assignment (a
    /// transportation problem, solved exactly); `None` if they cannot lead them all.
    fn supervisors(&self, opts: &SolveOptions) -> Option<Vec<Vec<usize>>> {
        let p = self.p;
        let need: Vec<usize> = (0..self.classes.len())
            .map(|c| self.groups(self.counts(c)))
            .collect();
        let mut m = Model::new();
        let mut lead: Vec<Vec<(usize, good_lp::Variable)>> = vec![Vec::new(); self.classes.len()];
        for (c, &n) in need.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let class = &self.classes[c];
            for s in 0..p.sups.len() {
                let x = m.integer(0.0, self.lim.sup_cap[s].min(n) as f64);
                m.cost(p.sup_cost(s, class.venue, class.pattern), x);
                lead[c].push((s, x));
            }
        }
        for (c, &n) in need.iter().enumerate() {
            if n > 0 {
                let led: Expression = lead[c].iter().map(|&(_, x)| x).sum();
                m.constrain(constraint!(led == n as f64));
            }
        }
        for s in 0..p.sups.len() {
            let led: Expression = lead
                .iter()
                .flat_map(|l| l.iter().filter(|&&(t, _)| t == s).map(|&(_, x)| x))
                .sum();
            m.constrain(constraint!(led <= self.lim.sup_cap[s] as f64));
        }
        super::model::cbc_settings(&mut m);
        let solved = run_solver(m, opts, "").ok()?;
        Some(
            lead.iter()
                .map(|l| {
                    l.iter()
                        .flat_map(|&(s, x)| {
                            std::iter::repeat_n(s, solved.value(x).round().max(0.0) as usize)
                        })
                        .collect()
                })
                .collect(),
        )
    }
}

/// A starting solution built class by class (see the module documentation), or `None` if
/// the search ends with a rule broken.
///
/// The classes start without cohort windows, from the linear relaxation's choice of venue
/// and pattern for each doctor; where the groups of a class cannot be cut to keep the start
/// spread, that venue gets a class per cohort window and the search goes on from where it
/// was, until every class is cut.
pub fn start(
    p: &Problem,
    opts: &SolveOptions,
    relaxation: Option<&Relaxation>,
) -> Option<Vec<Draft>> {
    let quick = SolveOptions {
        time_limit: opts.time_limit.clamp(1.0, 10.0),
        gap: 0.0,
        verbose: false,
        ..opts.clone()
    };
    let until = opts.until(search_share(opts.seconds_left(), relaxation));
    let mut placement = relaxation.map(|r| r.classes.clone());
    let mut windowed = vec![false; p.venues.len()];
    loop {
        let mut s = Search::new(p, &windowed, until);
        s.start(placement.as_deref());
        let (leaders, _) = s.improve(&quick)?;
        match s.cut(&leaders) {
            Ok(drafts) => {
                p.check(&drafts).ok()?;
                return Some(drafts);
            }
            Err(venues) => {
                if venues.iter().all(|&j| windowed[j]) || Instant::now() >= until {
                    return None;
                }
                for j in venues {
                    windowed[j] = true;
                }
                placement = Some(s.placement());
            }
        }
    }
}

/// Seconds the search may take of the `left` seconds: half, but leave the solver what it
/// needs for a round ([`ROUND_NEEDS`] times the linear relaxation's solve time); when
/// that is more than is left, the solver would not get a round done, and the search may
/// take it all.
fn search_share(left: f64, relaxation: Option<&Relaxation>) -> f64 {
    let solver = ROUND_NEEDS * relaxation.map_or(0.0, |r| r.seconds);
    if left >= 1.4 * solver {
        (left / 2.0).min(left - solver)
    } else {
        left
    }
}

/// A round's result kept as the best so far: where each doctor is, the classes, the
/// supervisors of each class and the true objective.
struct Kept {
    at: Vec<usize>,
    classes: Vec<Class>,
    sups: Vec<Vec<usize>>,
    value: f64,
}

impl Search<'_> {
    /// Rounds of descent, each followed by supervisors for the groups and new prices for
    /// them; the supervisors of the best round (by the true objective) and that value.
    fn improve(&mut self, opts: &SolveOptions) -> Option<(Vec<Vec<usize>>, f64)> {
        let p = self.p;
        let mut best: Option<Kept> = None;
        for _ in 0..ROUNDS {
            let moved = self.descend();
            if !self.valid() {
                break;
            }
            let sups = self.supervisors(opts)?;
            let value = self.true_value(&sups);
            if best.as_ref().is_none_or(|b| value < b.value - 1e-6) {
                best = Some(Kept {
                    at: self.at.clone(),
                    classes: self.classes.clone(),
                    sups: sups.clone(),
                    value,
                });
            }
            // Price a group by the supervisor who leads the dearest group of its class, or,
            // for an empty class, by the cheapest supervisor with time to spare.
            let mut used = vec![0usize; p.sups.len()];
            for l in &sups {
                for &t in l {
                    used[t] += 1;
                }
            }
            for (c, l) in sups.iter().enumerate() {
                let class = &self.classes[c];
                let cost = |t: usize| p.sup_cost(t, class.venue, class.pattern);
                self.price[c] = match l.iter().map(|&t| cost(t)).reduce(f64::max) {
                    Some(dearest) => dearest,
                    None => (0..p.sups.len())
                        .filter(|&t| used[t] < self.lim.sup_cap[t])
                        .map(cost)
                        .fold(f64::INFINITY, f64::min),
                };
            }
            if !moved || Instant::now() >= self.until {
                break;
            }
        }
        let Kept {
            at,
            classes,
            sups,
            value,
        } = best?;
        (self.at, self.classes) = (at, classes);
        Some((sups, value))
    }

    /// The objective of the current classes with supervisors `sups`, groups of even size.
    fn true_value(&self, sups: &[Vec<usize>]) -> f64 {
        let p = self.p;
        let members: f64 = (0..p.due.len())
            .map(|i| self.member_cost(i, self.at[i]))
            .sum();
        let leading: f64 = sups
            .iter()
            .enumerate()
            .flat_map(|(c, l)| {
                let class = &self.classes[c];
                l.iter()
                    .map(move |&t| p.sup_cost(t, class.venue, class.pattern))
            })
            .sum();
        let (lo, hi) = self.even_range();
        let groups = p.group_cost() * sups.iter().map(Vec::len).sum::<usize>() as f64;
        groups + members + leading + p.rules.balance * hi.saturating_sub(lo) as f64
    }

    /// Smallest and largest group if every class deals its members evenly.
    fn even_range(&self) -> (usize, usize) {
        let sizes: Vec<(usize, usize)> = (0..self.classes.len())
            .map(|c| (self.classes[c].size, self.groups(self.counts(c))))
            .filter(|&(_, n)| n > 0)
            .map(|(size, n)| (size / n, size.div_ceil(n)))
            .collect();
        (
            sizes.iter().map(|r| r.0).min().unwrap_or(0),
            sizes.iter().map(|r| r.1).max().unwrap_or(0),
        )
    }

    /// Cut every class into its groups, keeping the start spread: even sizes if possible,
    /// else sizes between the smallest and largest even size of all classes, else any.
    /// The venues whose classes could not be cut, if any.
    fn cut(&self, leaders: &[Vec<usize>]) -> Result<Vec<Draft>, Vec<usize>> {
        let p = self.p;
        let even_all = self.even_range();
        let any = (p.rules.min_size as usize, p.rules.max_size as usize);
        let mut drafts = Vec::new();
        let mut failed = Vec::new();
        for (c, class) in self.classes.iter().enumerate() {
            let n = self.groups(self.counts(c));
            if n == 0 {
                continue;
            }
            let members: Vec<usize> = (0..p.due.len()).filter(|&i| self.at[i] == c).collect();
            let even = (members.len() / n, members.len().div_ceil(n));
            let parts = [even, even_all, any]
                .into_iter()
                .find_map(|range| cut_by_flow(p, class.venue, class.pattern, &members, n, range));
            match parts {
                Some(parts) => drafts.extend(parts.into_iter().zip(&leaders[c]).map(
                    |(members, &supervisor)| Draft {
                        venue: class.venue,
                        supervisor,
                        members,
                    },
                )),
                None => failed.push(class.venue),
            }
        }
        failed.dedup();
        if failed.is_empty() {
            Ok(drafts)
        } else {
            Err(failed)
        }
    }
}
