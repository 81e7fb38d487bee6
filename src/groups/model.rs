//! The strong formulation of the guidance groups.
//!
//! Groups that meet at the same venue, lie in the same cohort window (a largest set of
//! doctors whose group periods start at most `max_start_spread` months apart) and follow the
//! same meeting pattern are interchangeable, so they are modelled together as one *class*:
//! a doctor joins a class (not a numbered group), the class opens `n` groups (slot
//! `k` open means at least `k + 1` groups), and after solving its members are dealt round the
//! `n` groups like cards. Dealing members sorted by municipality, members who travel far
//! first, gives every group ⌊N/n⌋ or ⌈N/n⌉ members, at most ⌈count/n⌉ of one municipality and
//! (on the long pattern) at least one far traveller, so the class constraints below are
//! exactly the group rules — without the numbered-slot symmetry of the textbook model.
//!
//! Variables exist only where a rule allows them: a doctor joins only classes of windows
//! that contain their start, a far traveller never joins a short-pattern class, and classes
//! that could not fill one group are left out. Supervisors are counted per venue and
//! pattern (a transportation problem, integral once the group counts are).

use std::collections::BTreeMap;

use good_lp::{Expression, Variable, constraint};

use super::limits::{Limits, Rules};
use super::{Draft, Pattern, Problem};
use crate::error::{Error, Result};
use crate::model::Month;
use crate::solver::{Model, Solved};

/// How the start spread is enforced at one venue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Spread {
    /// Not at all: the relaxation [`super::lazy::solve`] starts from.
    Relaxed,
    /// By the necessary conditions of [`start_spread_staircase`], without cohort windows.
    Staircase,
    /// Exactly: a class per cohort window.
    Windows,
}

/// Groups of one venue, cohort window and pattern.
pub(super) struct Class {
    pub(super) venue: usize,
    pub(super) pattern: Pattern,
    /// Doctors who may join, sorted.
    pub(super) members: Vec<usize>,
    /// Most groups the class can open.
    slots: usize,
    /// Members not in the previous class of the same venue and pattern (`None` for the
    /// first): every group here must have one, so that a group that fits several cohort
    /// windows is counted in the earliest only.
    anchors: Option<Vec<usize>>,
}

pub(super) struct Vars {
    pub(super) classes: Vec<Class>,
    /// `join[c][n]`: doctor `classes[c].members[n]` is in class `c`.
    pub(super) join: Vec<Vec<Variable>>,
    /// `open[c][k]`: class `c` has more than `k` groups.
    open: Vec<Vec<Variable>>,
    /// `size[c][k]`: members of the `k`-th group of class `c` (0 when closed).
    size: Vec<Vec<Variable>>,
    /// Largest and smallest open group (only when balance has a weight).
    extremes: Option<(Variable, Variable)>,
    /// `lead[(s, venue, pattern)]`: groups supervisor `s` leads at the venue.
    lead: BTreeMap<(usize, usize, Pattern), Variable>,
    /// `(class, month a, early)`: groups of the class with a member who starts in month
    /// `a` or before (see [`start_spread_staircase`]).
    early: Vec<(usize, Month, Variable)>,
}

/// The classes of `p`: every venue × cohort window × pattern that could hold a group.
/// Only venues with [`Spread::Windows`] get a class per cohort window; elsewhere the start
/// spread is relaxed (and [`super::lazy::solve`] tightens it venue by venue).
fn classes(p: &Problem, lim: &Limits, spread: &[Spread]) -> Vec<Class> {
    let everyone: Vec<Vec<usize>> = vec![(0..p.due.len()).collect()];
    let cohorts = p.windows();
    let total_lead: usize = lim.sup_cap.iter().sum();
    let mut out: Vec<Class> = Vec::new();
    for (j, &how) in spread.iter().enumerate() {
        let windows = if how == Spread::Windows {
            &cohorts
        } else {
            &everyone
        };
        for pattern in [Pattern::Short, Pattern::Long] {
            let first = out.len();
            for w in windows {
                let members: Vec<usize> = w
                    .iter()
                    .copied()
                    .filter(|&i| p.reachable(i, j) && (pattern == Pattern::Long || !p.far(i, j)))
                    .collect();
                if pattern == Pattern::Long && !members.iter().any(|&i| p.far(i, j)) {
                    continue; // A long-pattern group needs a far traveller.
                }
                if lim.mixable(p, &members) < lim.min_size {
                    continue; // Not even one group could be filled.
                }
                // A window whose doctors (here) are all in an earlier window adds nothing.
                if out[first..]
                    .iter()
                    .any(|c| members.iter().all(|i| c.members.binary_search(i).is_ok()))
                {
                    continue;
                }
                let slots = lim.venue_cap[j]
                    .min(members.len() / lim.min_size)
                    .min(total_lead);
                if slots > 0 {
                    let anchors = out[first..].last().map(|prev| {
                        members
                            .iter()
                            .copied()
                            .filter(|i| prev.members.binary_search(i).is_err())
                            .collect()
                    });
                    out.push(Class {
                        venue: j,
                        pattern,
                        members,
                        slots,
                        anchors,
                    });
                }
            }
        }
    }
    out
}

/// Build the strong model of `p`, with the start spread enforced at the venues marked in
/// `spread`.
pub(super) fn build(p: &Problem, rules: &Rules, spread: &[Spread]) -> (Model, Vars) {
    build_with(p, rules, spread, false)
}

/// [`build`], or its linear relaxation if `relax` (every variable continuous).
pub(super) fn build_with(
    p: &Problem,
    rules: &Rules,
    spread: &[Spread],
    relax: bool,
) -> (Model, Vars) {
    let lim = Limits::new(p, rules);
    let mut m = Model::new();
    let classes = classes(p, &lim, spread);
    let binary = |m: &mut Model| {
        if relax {
            m.continuous(0.0, 1.0)
        } else {
            m.binary()
        }
    };
    let integer = |m: &mut Model, lo: f64, hi: f64| {
        if relax {
            m.continuous(lo, hi)
        } else {
            m.integer(lo, hi)
        }
    };
    let join: Vec<Vec<Variable>> = classes
        .iter()
        .map(|c| c.members.iter().map(|_| binary(&mut m)).collect())
        .collect();
    let open: Vec<Vec<Variable>> = classes
        .iter()
        .map(|c| (0..c.slots).map(|_| binary(&mut m)).collect())
        .collect();
    let size: Vec<Vec<Variable>> = classes
        .iter()
        .map(|c| {
            (0..c.slots)
                .map(|_| m.continuous(0.0, lim.max_size as f64))
                .collect()
        })
        .collect();
    let many_groups = classes.iter().map(|c| c.slots).sum::<usize>() > 1;
    let extremes = (p.rules.balance > 0.0 && many_groups).then(|| {
        (
            integer(&mut m, lim.min_size as f64, lim.max_size as f64),
            integer(&mut m, lim.min_size as f64, lim.max_size as f64),
        )
    });
    let mut lead = BTreeMap::new();
    for c in &classes {
        for s in 0..p.sups.len() {
            lead.entry((s, c.venue, c.pattern)).or_insert_with(|| {
                let most = lim.sup_cap[s].min(lim.venue_cap[c.venue]);
                integer(&mut m, 0.0, most as f64)
            });
        }
    }
    let mut early = Vec::new();
    for (c, class) in classes.iter().enumerate() {
        if spread[class.venue] == Spread::Staircase {
            for a in staircase_months(p, &class.members) {
                early.push((c, a, integer(&mut m, 0.0, class.slots as f64)));
            }
        }
    }
    let v = Vars {
        classes,
        join,
        open,
        size,
        extremes,
        lead,
        early,
    };
    group_cost(&mut m, p, &v);
    member_travel(&mut m, p, &v);
    supervisor_travel(&mut m, p, &v);
    group_membership(&mut m, p, &v);
    open_groups_first(&mut m, &v);
    member_only_in_open_group(&mut m, &v);
    group_size(&mut m, &v, &lim);
    group_municipality_mix(&mut m, p, &v, &lim);
    long_meetings_need_a_far_member(&mut m, p, &v);
    earliest_cohort_window(&mut m, &v);
    start_spread_staircase(&mut m, p, &v, &lim);
    venue_capacity(&mut m, p, &v, &lim);
    every_group_has_a_supervisor(&mut m, p, &v);
    supervisor_capacity(&mut m, p, &v, &lim);
    balance(&mut m, p, &v, &lim);
    cbc_settings(&mut m);
    (m, v)
}

/// CBC's integer preprocessing and feasibility pump are off for this model. Measured (see
/// README, "How it solves"): with the local search's start they cost more than they
/// save, neither looks at the clock (minutes past the time limit on 200 doctors), and a
/// preprocessing cut short by the time limit makes CBC call its first relaxation
/// infeasible.
pub(super) fn cbc_settings(m: &mut Model) {
    m.cbc_parameter("preprocess", "off");
    m.cbc_parameter("feas", "off");
}

/// Groups opened by class `c`.
fn groups_of(v: &Vars, c: usize) -> Expression {
    v.open[c].iter().copied().sum()
}

/// Members of class `c`.
fn members_of(v: &Vars, c: usize) -> Expression {
    v.join[c].iter().copied().sum()
}

/// Objective: every open group costs `group_cost` a year (the supervisor's fee and time).
fn group_cost(m: &mut Model, p: &Problem, v: &Vars) {
    for open in &v.open {
        for &x in open {
            m.cost(p.group_cost(), x);
        }
    }
}

/// Objective: members' round trips to the venue, per meeting of the class's pattern, over
/// the group period.
fn member_travel(m: &mut Model, p: &Problem, v: &Vars) {
    for (c, class) in v.classes.iter().enumerate() {
        for (n, &i) in class.members.iter().enumerate() {
            m.cost(p.member_cost(i, class.venue, class.pattern), v.join[c][n]);
        }
    }
}

/// Objective: supervisors' round trips to the venues of the groups they lead.
fn supervisor_travel(m: &mut Model, p: &Problem, v: &Vars) {
    for (&(s, j, pattern), &x) in &v.lead {
        m.cost(p.sup_cost(s, j, pattern), x);
    }
}

/// Every doctor due a guidance group is in exactly one group.
fn group_membership(m: &mut Model, p: &Problem, v: &Vars) {
    let mut per_doctor: Vec<Expression> = vec![Expression::from(0.0); p.due.len()];
    for (c, class) in v.classes.iter().enumerate() {
        for (n, &i) in class.members.iter().enumerate() {
            per_doctor[i] += v.join[c][n];
        }
    }
    for e in per_doctor {
        m.constrain(constraint!(e == 1.0));
    }
}

/// Symmetry breaking: a class opens its groups in order (group k + 1 only if group k).
fn open_groups_first(m: &mut Model, v: &Vars) {
    for open in &v.open {
        for k in 1..open.len() {
            m.constrain(constraint!(open[k] <= open[k - 1]));
        }
    }
}

/// A doctor joins only a class that has an open group (the strong p-median link).
fn member_only_in_open_group(m: &mut Model, v: &Vars) {
    for (c, join) in v.join.iter().enumerate() {
        for &x in join {
            m.constrain(constraint!(x <= v.open[c][0]));
        }
    }
}

/// A group has between min_size and max_size members: the class's members are shared out
/// over its open groups, each within the limits, largest first (symmetry breaking).
fn group_size(m: &mut Model, v: &Vars, lim: &Limits) {
    let (lo, hi) = (lim.min_size as f64, lim.max_size as f64);
    for c in 0..v.classes.len() {
        let sizes: Expression = v.size[c].iter().copied().sum();
        let members = members_of(v, c);
        m.constrain(constraint!(sizes == members));
        for (k, (&z, &open)) in v.size[c].iter().zip(&v.open[c]).enumerate() {
            m.constrain(constraint!(z <= hi * open));
            m.constrain(constraint!(z >= lo * open));
            if k > 0 {
                m.constrain(constraint!(z <= v.size[c][k - 1]));
            }
        }
    }
}

/// A group has at most max_per_municipality members from one municipality.
fn group_municipality_mix(m: &mut Model, p: &Problem, v: &Vars, lim: &Limits) {
    let cap = lim.per_municipality as f64;
    for (c, class) in v.classes.iter().enumerate() {
        let mut per: BTreeMap<_, Vec<Variable>> = BTreeMap::new();
        for (n, &i) in class.members.iter().enumerate() {
            per.entry(p.municipality[i]).or_default().push(v.join[c][n]);
        }
        for xs in per.into_values() {
            if xs.len() > lim.per_municipality {
                let from_one: Expression = xs.into_iter().sum();
                let groups = groups_of(v, c);
                m.constrain(constraint!(from_one <= cap * groups));
            }
        }
    }
}

/// A group meets on the long pattern only if a member travels more than
/// long_travel_minutes one way (far travellers never join a short-pattern class).
fn long_meetings_need_a_far_member(m: &mut Model, p: &Problem, v: &Vars) {
    for (c, class) in v.classes.iter().enumerate() {
        if class.pattern != Pattern::Long {
            continue;
        }
        let far: Expression = class
            .members
            .iter()
            .enumerate()
            .filter(|&(_, &i)| p.far(i, class.venue))
            .map(|(n, _)| v.join[c][n])
            .sum();
        let groups = groups_of(v, c);
        m.constrain(constraint!(far >= groups));
    }
}

/// Symmetry breaking: a group that fits several cohort windows is counted in the earliest,
/// so each group of a later window has a member outside the window before it.
fn earliest_cohort_window(m: &mut Model, v: &Vars) {
    for (c, class) in v.classes.iter().enumerate() {
        let Some(anchors) = &class.anchors else {
            continue;
        };
        let new: Expression = class
            .members
            .iter()
            .enumerate()
            .filter(|(_, i)| anchors.binary_search(i).is_ok())
            .map(|(n, _)| v.join[c][n])
            .sum();
        let groups = groups_of(v, c);
        m.constrain(constraint!(new >= groups));
    }
}

/// The months `a` at which [`start_spread_staircase`] splits a class: every start among
/// `members` after which someone starts more than max_start_spread months later.
fn staircase_months(p: &Problem, members: &[usize]) -> Vec<Month> {
    let mut starts: Vec<Month> = members.iter().filter_map(|&i| p.from[i]).collect();
    starts.sort_unstable();
    starts.dedup();
    let spread = p.rules.max_start_spread as i32;
    match starts.last() {
        Some(&last) => starts
            .iter()
            .copied()
            .filter(|a| a.until(last) > spread)
            .collect(),
        None => Vec::new(),
    }
}

/// Group start spread, as necessary conditions on a class without cohort windows: for a
/// month `a`, the groups with a member who starts in `a` or before (`early` of them) hold
/// no one who starts more than max_start_spread months after `a`, and the other groups no
/// one who starts in `a` or before. So the early starters fit in `early` groups and the
/// late starters in the others — by size, by the municipality mix and, on the long
/// pattern, with a far traveller each — and each kind of group can be filled from those
/// who may join it.
fn start_spread_staircase(m: &mut Model, p: &Problem, v: &Vars, lim: &Limits) {
    let spread = p.rules.max_start_spread as i32;
    let (lo, hi, cap) = (
        lim.min_size as f64,
        lim.max_size as f64,
        lim.per_municipality as f64,
    );
    for &(c, a, early) in &v.early {
        let class = &v.classes[c];
        let groups = groups_of(v, c);
        let late = groups.clone() - early;
        m.constrain(constraint!(early <= groups.clone()));
        // Who starts by `a`, who after `a` + spread (undated members fit any group).
        let by_a = |i: usize| p.from[i].is_some_and(|f| f <= a);
        let after = |i: usize| p.from[i].is_some_and(|f| a.until(f) > spread);
        let sum = |keep: &dyn Fn(usize) -> bool| -> Expression {
            class
                .members
                .iter()
                .enumerate()
                .filter(|&(_, &i)| keep(i))
                .map(|(n, _)| v.join[c][n])
                .sum()
        };
        m.constrain(constraint!(sum(&by_a) <= hi * early));
        m.constrain(constraint!(sum(&after) <= hi * late.clone()));
        m.constrain(constraint!(sum(&|i| !after(i)) >= lo * early));
        m.constrain(constraint!(sum(&|i| !by_a(i)) >= lo * late.clone()));
        if class.pattern == Pattern::Long {
            let far = |i: usize| p.far(i, class.venue);
            m.constrain(constraint!(sum(&|i| far(i) && !after(i)) >= early));
            m.constrain(constraint!(sum(&|i| far(i) && !by_a(i)) >= late.clone()));
        }
        let mut per: BTreeMap<_, (usize, usize)> = BTreeMap::new();
        for &i in &class.members {
            let e = per.entry(p.municipality[i]).or_default();
            e.0 += usize::from(by_a(i));
            e.1 += usize::from(after(i));
        }
        for (muni, (n_early, n_late)) in per {
            let of = |i: usize| p.municipality[i] == muni;
            if n_early > lim.per_municipality {
                m.constrain(constraint!(sum(&|i| of(i) && by_a(i)) <= cap * early));
            }
            if n_late > lim.per_municipality {
                m.constrain(constraint!(
                    sum(&|i| of(i) && after(i)) <= cap * late.clone()
                ));
            }
        }
    }
}

/// A venue hosts at most its max_groups groups.
fn venue_capacity(m: &mut Model, p: &Problem, v: &Vars, lim: &Limits) {
    for j in 0..p.venues.len() {
        let classes: Vec<usize> = (0..v.classes.len())
            .filter(|&c| v.classes[c].venue == j)
            .collect();
        let most: usize = classes.iter().map(|&c| v.classes[c].slots).sum();
        if most > lim.venue_cap[j] {
            let hosted: Expression = classes.iter().map(|&c| groups_of(v, c)).sum();
            m.constrain(constraint!(hosted <= lim.venue_cap[j] as f64));
        }
    }
}

/// Every group is led by one supervisor.
fn every_group_has_a_supervisor(m: &mut Model, p: &Problem, v: &Vars) {
    let mut need: BTreeMap<(usize, Pattern), Expression> = BTreeMap::new();
    for (c, class) in v.classes.iter().enumerate() {
        *need.entry((class.venue, class.pattern)).or_default() += groups_of(v, c);
    }
    for ((j, pattern), groups) in need {
        let led: Expression = (0..p.sups.len()).map(|s| v.lead[&(s, j, pattern)]).sum();
        m.constrain(constraint!(led == groups));
    }
}

/// A supervisor leads at most their max_groups groups.
fn supervisor_capacity(m: &mut Model, p: &Problem, v: &Vars, lim: &Limits) {
    for s in 0..p.sups.len() {
        let led: Expression = v
            .lead
            .iter()
            .filter(|(k, _)| k.0 == s)
            .map(|(_, &x)| x)
            .sum();
        m.constrain(constraint!(led <= lim.sup_cap[s] as f64));
    }
}

/// Objective: balance weight × (largest − smallest open group).
fn balance(m: &mut Model, p: &Problem, v: &Vars, lim: &Limits) {
    let Some((largest, smallest)) = v.extremes else {
        return;
    };
    let big = lim.max_size as f64;
    for c in 0..v.classes.len() {
        for (&z, &open) in v.size[c].iter().zip(&v.open[c]) {
            m.constrain(constraint!(z <= largest));
            m.constrain(constraint!(z + big * (1.0 - open) >= smallest));
        }
    }
    m.cost(p.rules.balance, largest);
    m.cost(-p.rules.balance, smallest);
}

pub(super) fn warm_start(m: &mut Model, p: &Problem, v: &Vars, drafts: &[Draft]) {
    let mut in_class: Vec<Vec<&Draft>> = vec![Vec::new(); v.classes.len()];
    for g in drafts {
        let pattern = p.pattern(&g.members, g.venue);
        let found = v.classes.iter().position(|c| {
            c.venue == g.venue
                && c.pattern == pattern
                && g.members.iter().all(|i| c.members.binary_search(i).is_ok())
        });
        match found {
            Some(c) if in_class[c].len() < v.classes[c].slots => in_class[c].push(g),
            _ => return, // Not expressible here; solve without a start.
        }
    }
    let mut sizes_all = Vec::new();
    let mut lead: BTreeMap<(usize, usize, Pattern), usize> = BTreeMap::new();
    for (c, groups) in in_class.iter().enumerate() {
        let class = &v.classes[c];
        for g in groups {
            for i in &g.members {
                let n = class.members.binary_search(i).expect("checked above");
                m.start(v.join[c][n], 1.0);
            }
            *lead
                .entry((g.supervisor, class.venue, class.pattern))
                .or_default() += 1;
        }
        let total: usize = groups.iter().map(|g| g.members.len()).sum();
        let n = groups.len();
        for k in 0..n {
            // The model deals members evenly: the first total % n groups get one more.
            let z = total / n + usize::from(k < total % n);
            m.start(v.open[c][k], 1.0);
            m.start(v.size[c][k], z as f64);
            sizes_all.push(z);
        }
    }
    for &(c, a, early) in &v.early {
        let by_a = in_class[c]
            .iter()
            .filter(|g| g.members.iter().any(|&i| p.from[i].is_some_and(|f| f <= a)))
            .count();
        m.start(early, by_a as f64);
    }
    if let Some((largest, smallest)) = v.extremes {
        m.start(largest, *sizes_all.iter().max().unwrap_or(&0) as f64);
        m.start(smallest, *sizes_all.iter().min().unwrap_or(&0) as f64);
    }
    for (key, n) in lead {
        m.start(v.lead[&key], n as f64);
    }
}

/// Read the groups from a solution: deal each class's members round its open groups and
/// hand out the supervisors counted for each venue and pattern.
pub(super) fn extract(p: &Problem, v: &Vars, solved: &Solved) -> Result<Vec<Draft>> {
    let bug = |what: String| Error::Solver(format!("{what}; this is a bug in the formulation"));
    let mut groups: BTreeMap<(usize, Pattern), Vec<Vec<usize>>> = BTreeMap::new();
    for (c, class) in v.classes.iter().enumerate() {
        let n = v.open[c].iter().filter(|&&o| solved.is_set(o)).count();
        let mut members: Vec<usize> = class
            .members
            .iter()
            .enumerate()
            .filter(|&(k, _)| solved.is_set(v.join[c][k]))
            .map(|(_, &i)| i)
            .collect();
        if n == 0 {
            if !members.is_empty() {
                return Err(bug("members joined a class with no open group".into()));
            }
            continue;
        }
        // Far travellers first, then municipality by municipality: dealing spreads both.
        members.sort_by_key(|&i| (!p.far(i, class.venue), p.municipality[i], i));
        let mut dealt = vec![Vec::new(); n];
        for (k, &i) in members.iter().enumerate() {
            dealt[k % n].push(i);
        }
        groups
            .entry((class.venue, class.pattern))
            .or_default()
            .extend(dealt);
    }
    let mut out = Vec::new();
    for ((j, pattern), gs) in groups {
        let mut leaders = Vec::new();
        for s in 0..p.sups.len() {
            let n = solved.value(v.lead[&(s, j, pattern)]).round().max(0.0) as usize;
            leaders.extend(std::iter::repeat_n(s, n));
        }
        if leaders.len() != gs.len() {
            return Err(bug(format!(
                "{} groups but {} supervisors at one venue",
                gs.len(),
                leaders.len()
            )));
        }
        for (members, supervisor) in gs.into_iter().zip(leaders) {
            out.push(Draft {
                venue: j,
                supervisor,
                members,
            });
        }
    }
    Ok(out)
}
