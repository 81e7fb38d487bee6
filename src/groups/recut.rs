//! Re-cutting the groups of one venue so that they keep the start spread.
//!
//! The strong model is first solved without cohort windows (see [`super::lazy::solve`]): it
//! decides who meets at which venue, on which pattern, in how many groups and with which
//! supervisors, but the groups it deals may mix starts more than `max_start_spread` months
//! apart. Re-cutting keeps all of that (so travel is unchanged) and only changes who meets
//! with whom at the venue. It is first tried without a solver (`deal_by_start`: groups of
//! even size, cut along the starts and dealt within blocks of groups that share a cohort
//! window, then repaired by swaps), and only if that fails by a small model (`recut_mip`).

use std::collections::BTreeMap;

use good_lp::{Expression, Variable, constraint};
use petgraph::algo::dinics;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{Draft, Pattern, Problem};
use crate::model::{Month, MunicipalityId};
use crate::solver::{Model, SolveOptions, solve as run_solver};

/// Re-cut the groups of each venue and pattern where the spread was not enforced so that
/// they keep it. Returns the re-cut grouping (if every venue could be re-cut) and the
/// venues whose re-cut needed group sizes outside the relaxation's range or failed.
pub(crate) fn recut_for_spread(
    p: &Problem,
    drafts: &[Draft],
    windowed: &[bool],
    opts: &SolveOptions,
) -> (Option<Vec<Draft>>, Vec<usize>) {
    let lo = drafts.iter().map(|g| g.members.len()).min().unwrap_or(0);
    let hi = drafts.iter().map(|g| g.members.len()).max().unwrap_or(0);
    let mut by_class: BTreeMap<(usize, Pattern), Vec<&Draft>> = BTreeMap::new();
    for g in drafts {
        by_class
            .entry((g.venue, p.pattern(&g.members, g.venue)))
            .or_default()
            .push(g);
    }
    let mut out = Some(Vec::new());
    let mut failed = Vec::new();
    for ((j, pattern), gs) in by_class {
        if windowed[j] || gs.iter().all(|g| keeps_spread(p, &g.members)) {
            if let Some(o) = out.as_mut() {
                o.extend(gs.into_iter().cloned());
            }
            continue;
        }
        let members: Vec<usize> = gs.iter().flat_map(|g| g.members.iter().copied()).collect();
        let cut = match cut_by_flow(p, j, pattern, &members, gs.len(), (lo, hi)) {
            Some(parts) => Some((parts, true)),
            None => recut_mip(p, j, pattern, &members, gs.len(), (lo, hi), opts),
        };
        match cut {
            Some((parts, exact)) => {
                if !exact {
                    failed.push(j);
                }
                if let Some(o) = out.as_mut() {
                    o.extend(parts.into_iter().zip(&gs).map(|(members, g)| Draft {
                        venue: j,
                        supervisor: g.supervisor,
                        members,
                    }));
                }
            }
            None => {
                failed.push(j);
                out = None;
            }
        }
    }
    failed.dedup();
    (out, failed)
}

/// Whether the members of one group start at most `max_start_spread` months apart.
pub(crate) fn keeps_spread(p: &Problem, members: &[usize]) -> bool {
    span(p, members) <= p.rules.max_start_spread as i32
}

/// Months between the earliest and the latest start among `members` (0 if fewer than two
/// have a start).
fn span(p: &Problem, members: &[usize]) -> i32 {
    let starts = members.iter().filter_map(|&i| p.from[i]);
    match (starts.clone().min(), starts.max()) {
        (Some(a), Some(b)) => a.until(b),
        _ => 0,
    }
}

/// Split `members` (all meeting at venue `j` on `pattern`) into `n` groups of `lo..=hi`
/// members (within `min_size..=max_size`) that keep the start spread, the municipality mix
/// and (on the long pattern) have a far traveller each — without a solver, or `None`.
///
/// Each group first gets a *cohort window* of `max_start_spread` months: the members are
/// sorted by start and cut into `n` runs of even size, and group `g`'s window opens with
/// its run (or late enough to reach the last start, whichever is earlier), so the runs
/// themselves fit the windows. With the windows fixed, who joins which group is a flow:
/// members (grouped by municipality and start) → municipality within a group (at most
/// `max_per_municipality`) → group (far travellers through an arc that must carry at least
/// one on the long pattern) → `lo..=hi` members per group. A feasible flow is a re-cut;
/// if there is none for these windows, `None` (the caller then tries [`recut_mip`], which
/// also chooses the windows).
pub(crate) fn cut_by_flow(
    p: &Problem,
    j: usize,
    pattern: Pattern,
    members: &[usize],
    n: usize,
    (lo, hi): (usize, usize),
) -> Option<Vec<Vec<usize>>> {
    let total = members.len();
    let lo = lo.max(p.rules.min_size as usize);
    let hi = hi.min(p.rules.max_size as usize);
    if n == 0 || lo > hi || total < n * lo || total > n * hi {
        return None;
    }
    // Far travel is a property of the municipality (members travel from its centre).
    let mut far_of: BTreeMap<MunicipalityId, bool> = BTreeMap::new();
    for &i in members {
        if *far_of.entry(p.municipality[i]).or_insert(p.far(i, j)) != p.far(i, j) {
            return None;
        }
    }
    let spread = p.rules.max_start_spread as i32;
    let mut order = members.to_vec();
    order.sort_by_key(|&i| (p.from[i].is_none(), p.from[i], i));
    let last = order.iter().filter_map(|&i| p.from[i]).max();
    let mut windows: Vec<Option<Month>> = Vec::with_capacity(n);
    let mut at = 0;
    for g in 0..n {
        let first = p.from[order[at]];
        windows.push(match (first, last) {
            (Some(f), Some(l)) => Some(if f.until(l) > spread {
                f
            } else {
                l.plus(-spread)
            }),
            _ => None, // Only undated members left: the window does not matter.
        });
        at += total / n + usize::from(g < total % n);
    }
    let first = order.iter().filter_map(|&i| p.from[i]).min();
    let mut tries = vec![windows.clone()];
    // Failing that, and if every start lies in the first or the last cohort window, any
    // split of the groups between those two windows, nearest to the one above first.
    if let (Some(f), Some(l)) = (first, last)
        && f.until(l) <= 2 * spread
    {
        let (early, late) = (Some(f), Some(l.plus(-spread)));
        let natural = windows.iter().filter(|&&w| w < late).count();
        let mut splits: Vec<usize> = (0..=n).filter(|&k| k != natural).collect();
        splits.sort_by_key(|&k| (k.abs_diff(natural), k));
        tries.extend(splits.into_iter().map(|k| {
            let mut w = vec![early; k];
            w.resize(n, late);
            w
        }));
    }
    tries
        .iter()
        .find_map(|w| flow_cut(p, j, pattern, &order, w, (lo, hi), &far_of))
}

/// [`cut_by_flow`] with the groups' cohort windows fixed: group `g` takes members who
/// start from `windows[g]` to `max_start_spread` months later (anyone if `None`).
fn flow_cut(
    p: &Problem,
    j: usize,
    pattern: Pattern,
    order: &[usize],
    windows: &[Option<Month>],
    (lo, hi): (usize, usize),
    far_of: &BTreeMap<MunicipalityId, bool>,
) -> Option<Vec<Vec<usize>>> {
    let (n, total) = (windows.len(), order.len());
    let spread = p.rules.max_start_spread as i32;
    let fits = |g: usize, i: usize| match (windows[g], p.from[i]) {
        (Some(open), Some(m)) => (0..=spread).contains(&open.until(m)),
        _ => true,
    };
    // Members who are alike for the flow: same municipality, same start.
    let mut kinds: BTreeMap<(MunicipalityId, Option<Month>), Vec<usize>> = BTreeMap::new();
    for &i in order {
        kinds
            .entry((p.municipality[i], p.from[i]))
            .or_default()
            .push(i);
    }
    let mut net = Network::default();
    let (source, sink) = (net.node(), net.node());
    let group_in: Vec<(usize, usize)> = (0..n).map(|_| (net.node(), net.node())).collect();
    let group: Vec<usize> = (0..n).map(|_| net.node()).collect();
    let far_need = usize::from(pattern == Pattern::Long);
    for g in 0..n {
        let (far_in, near_in) = group_in[g];
        net.arc(far_in, group[g], far_need, total);
        net.arc(near_in, group[g], 0, total);
        net.arc(group[g], sink, lo, hi);
    }
    let cap = p.rules.max_per_municipality as usize;
    let mut pair: BTreeMap<(MunicipalityId, usize), usize> = BTreeMap::new();
    let mut supply_arcs: Vec<(usize, usize, usize)> = Vec::new(); // (arc, kind, group)
    for (k, ((muni, _), who)) in kinds.iter().enumerate() {
        let kind = net.node();
        net.arc(source, kind, who.len(), who.len());
        for g in (0..n).filter(|&g| fits(g, who[0])) {
            let node = *pair.entry((*muni, g)).or_insert_with(|| {
                let node = net.node();
                let (far_in, near_in) = group_in[g];
                net.arc(node, if far_of[muni] { far_in } else { near_in }, 0, cap);
                node
            });
            supply_arcs.push((net.arc(kind, node, 0, who.len()), k, g));
        }
    }
    net.arc(sink, source, 0, total);
    let flow = net.feasible()?;
    let mut left: Vec<std::slice::Iter<usize>> = kinds.values().map(|w| w.iter()).collect();
    let mut groups = vec![Vec::new(); n];
    for (arc, k, g) in supply_arcs {
        for _ in 0..flow[arc] {
            groups[g].push(*left[k].next()?);
        }
    }
    let valid = groups.iter().all(|members| {
        keeps_spread(p, members)
            && (lo..=hi).contains(&members.len())
            && (pattern == Pattern::Short || members.iter().any(|&i| p.far(i, j)))
    });
    valid.then_some(groups)
}

/// A flow network with lower bounds on arcs, for [`cut_by_flow`].
#[derive(Default)]
struct Network {
    nodes: usize,
    /// `(from, to, lower, upper)`.
    arcs: Vec<(usize, usize, usize, usize)>,
}

impl Network {
    fn node(&mut self) -> usize {
        self.nodes += 1;
        self.nodes - 1
    }

    /// An arc carrying `lower..=upper` units; its index.
    fn arc(&mut self, from: usize, to: usize, lower: usize, upper: usize) -> usize {
        self.arcs.push((from, to, lower, upper));
        self.arcs.len() - 1
    }

    /// A circulation that keeps every arc within its bounds (the flow on each arc), if one
    /// exists: the usual reduction to a maximum flow from a new source that supplies every
    /// lower bound's head to a new sink that takes every lower bound's tail.
    fn feasible(&self) -> Option<Vec<usize>> {
        let mut g: DiGraph<(), usize> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..self.nodes + 2).map(|_| g.add_node(())).collect();
        let (s, t) = (nodes[self.nodes], nodes[self.nodes + 1]);
        let mut excess = vec![0i64; self.nodes];
        for &(from, to, lower, upper) in &self.arcs {
            g.add_edge(nodes[from], nodes[to], upper - lower);
            excess[to] += lower as i64;
            excess[from] -= lower as i64;
        }
        let mut needed = 0;
        for (v, &e) in excess.iter().enumerate() {
            if e > 0 {
                g.add_edge(s, nodes[v], e as usize);
                needed += e as usize;
            } else if e < 0 {
                g.add_edge(nodes[v], t, (-e) as usize);
            }
        }
        let (value, flows) = dinics(&g, s, t);
        (value == needed).then(|| {
            self.arcs
                .iter()
                .enumerate()
                .map(|(k, &(_, _, lower, _))| lower + flows[k])
                .collect()
        })
    }
}

/// Split `members` (all meeting at venue `j` on `pattern`) into `n` groups that keep the
/// start spread, the municipality mix, the group size and (on the long pattern) have a far
/// traveller each, with sizes as close to `lo..=hi` as possible: a small model with one
/// cohort window per group. Also whether all sizes fit `lo..=hi`.
pub(crate) fn recut_mip(
    p: &Problem,
    j: usize,
    pattern: Pattern,
    members: &[usize],
    n: usize,
    (lo, hi): (usize, usize),
    opts: &SolveOptions,
) -> Option<(Vec<Vec<usize>>, bool)> {
    let mut sorted = members.to_vec();
    sorted.sort_unstable();
    let (min, max) = (p.rules.min_size as usize, p.rules.max_size as usize);
    let windows: Vec<Vec<usize>> = p
        .windows()
        .into_iter()
        .map(|w| {
            w.into_iter()
                .filter(|i| sorted.binary_search(i).is_ok())
                .collect::<Vec<usize>>()
        })
        .filter(|w| w.len() >= min)
        .collect();
    let mut m = Model::new();
    let x: Vec<Vec<Variable>> = sorted
        .iter()
        .map(|_| (0..n).map(|_| m.binary()).collect())
        .collect();
    let w: Vec<Vec<Variable>> = (0..n)
        .map(|_| windows.iter().map(|_| m.binary()).collect())
        .collect();
    // Members above `hi` and below `lo` in the largest and smallest group.
    let above = m.continuous(0.0, max as f64);
    let below = m.continuous(0.0, max as f64);
    m.cost(1.0, above);
    m.cost(1.0, below);
    for xi in &x {
        let e: Expression = xi.iter().copied().sum();
        m.constrain(constraint!(e == 1.0));
    }
    let cap = p.rules.max_per_municipality as f64;
    for g in 0..n {
        let size: Expression = x.iter().map(|xi| xi[g]).sum();
        m.constrain(constraint!(size.clone() >= min as f64));
        m.constrain(constraint!(size.clone() <= max as f64));
        m.constrain(constraint!(size.clone() <= hi as f64 + above));
        m.constrain(constraint!(size + below >= lo as f64));
        let one: Expression = w[g].iter().copied().sum();
        m.constrain(constraint!(one == 1.0));
        for (k, &i) in sorted.iter().enumerate() {
            let cover: Expression = windows
                .iter()
                .enumerate()
                .filter(|(_, win)| win.binary_search(&i).is_ok())
                .map(|(a, _)| w[g][a])
                .sum();
            m.constrain(constraint!(x[k][g] <= cover));
        }
        let mut per: BTreeMap<_, Expression> = BTreeMap::new();
        for (k, &i) in sorted.iter().enumerate() {
            *per.entry(p.municipality[i]).or_default() += x[k][g];
        }
        for e in per.into_values() {
            m.constrain(constraint!(e <= cap));
        }
        if pattern == Pattern::Long {
            let far: Expression = sorted
                .iter()
                .enumerate()
                .filter(|&(_, &i)| p.far(i, j))
                .map(|(k, _)| x[k][g])
                .sum();
            m.constrain(constraint!(far >= 1.0));
        }
    }
    let quick = SolveOptions {
        time_limit: opts.time_limit.min(10.0),
        verbose: false,
        ..opts.clone()
    };
    super::model::cbc_settings(&mut m);
    let solved = run_solver(m, &quick, "").ok()?;
    let parts: Vec<Vec<usize>> = (0..n)
        .map(|g| {
            sorted
                .iter()
                .enumerate()
                .filter(|&(k, _)| solved.is_set(x[k][g]))
                .map(|(_, &i)| i)
                .collect()
        })
        .collect();
    let exact = parts.iter().all(|g| (lo..=hi).contains(&g.len()));
    Some((parts, exact))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::assign;
    use crate::travel::Travel;

    /// Re-cut every venue's groups of a valid grouping of ALIS-Nord, where the start spread
    /// binds, by the flow and by the model; every re-cut must keep all group rules with the
    /// venue and supervisors unchanged.
    #[test]
    fn recutting_a_venue_keeps_every_group_rule() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-nord");
        let mut inst = crate::io::load_instance(&dir).expect("the bundled instance loads");
        // The local search finds no start under ALIS-Nord's travel limit; tested without it.
        inst.settings.groups.max_member_minutes = None;
        let travel = Travel::new(&inst);
        let p = Problem::new(&inst, &travel);
        let opts = SolveOptions::from_settings(&inst.settings.solver);
        let relaxation = crate::groups::lazy::relaxation(&p, &opts);
        let start = assign::start(&p, &opts, relaxation.as_ref())
            .expect("the local search finds a grouping");
        assert_eq!(p.check(&start), Ok(()));
        let lo = start.iter().map(|g| g.members.len()).min().unwrap();
        let hi = start.iter().map(|g| g.members.len()).max().unwrap();
        let mut by_class: BTreeMap<(usize, Pattern), Vec<&Draft>> = BTreeMap::new();
        for g in &start {
            by_class
                .entry((g.venue, p.pattern(&g.members, g.venue)))
                .or_default()
                .push(g);
        }
        let mut flows = 0;
        for ((j, pattern), gs) in &by_class {
            let members: Vec<usize> = gs.iter().flat_map(|g| g.members.clone()).collect();
            let regroup = |parts: Vec<Vec<usize>>| -> Vec<Draft> {
                let mut all: Vec<Draft> = start.iter().filter(|g| g.venue != *j).cloned().collect();
                all.extend(gs.iter().zip(parts).map(|(g, members)| Draft {
                    venue: *j,
                    supervisor: g.supervisor,
                    members,
                }));
                all
            };
            if let Some(parts) = cut_by_flow(&p, *j, *pattern, &members, gs.len(), (lo, hi)) {
                flows += 1;
                assert_eq!(parts.len(), gs.len());
                assert_eq!(p.check(&regroup(parts)), Ok(()), "flow re-cut at venue {j}");
            }
            let (parts, exact) = recut_mip(&p, *j, *pattern, &members, gs.len(), (lo, hi), &opts)
                .expect("the grouping itself is a re-cut, so the model finds one");
            assert!(exact, "the given sizes fit, so the model keeps them");
            assert_eq!(
                p.check(&regroup(parts)),
                Ok(()),
                "model re-cut at venue {j}"
            );
        }
        assert!(
            flows > 0,
            "the flow re-cuts at least one venue of ALIS-Nord"
        );
    }
}
