//! A fast starting solution: cut the doctors into cohorts by the start of their group period,
//! open each cohort's groups at the venues that serve its members best (greedy p-median),
//! deal members to the nearest group with room, give each group the nearest free
//! supervisor, then improve by moving and swapping members, venues and supervisors while the
//! objective falls. It may fail on tight instances; the solver then starts without it.

use std::time::{Duration, Instant};

use super::limits::{Limits, Rules};
use super::{Draft, Pattern, Problem};
use crate::solver::SolveOptions;

/// Time the improvement phase may take.
const IMPROVE_FOR: Duration = Duration::from_secs(2);

/// A feasible set of groups, if the heuristic finds one; the improvement phase ends at
/// the command's deadline at the latest.
pub fn start(p: &Problem, opts: &SolveOptions) -> Option<Vec<Draft>> {
    let lim = Limits::new(p, &Rules::all());
    let mut venue_left = lim.venue_cap.clone();
    let mut drafts = Vec::new();
    for cohort in cohorts(p, &lim)? {
        drafts.extend(cohort_groups(p, &lim, &cohort, &mut venue_left)?);
    }
    assign_supervisors(p, &mut drafts)?;
    improve(p, &mut drafts, opts.until(IMPROVE_FOR.as_secs_f64()), 0.0);
    p.check(&drafts).ok()?;
    Some(drafts)
}

/// Doctors in order of their group period's start, cut greedily into runs that keep the
/// start-spread rule and can be split into groups of allowed size.
fn cohorts(p: &Problem, lim: &Limits) -> Option<Vec<Vec<usize>>> {
    let mut order: Vec<usize> = (0..p.due.len()).collect();
    order.sort_by_key(|&i| (p.from[i], i));
    let mut out: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match out.last_mut() {
            Some(c) if c.iter().all(|&a| p.starts_compatible(a, i)) => c.push(i),
            _ => out.push(vec![i]),
        }
    }
    // A cohort too small for one group joins a neighbour if the spread allows.
    let mut k = 0;
    while k < out.len() {
        if out[k].len() >= lim.min_size {
            k += 1;
            continue;
        }
        let fits = |a: &[usize], b: &[usize]| {
            a.iter()
                .all(|&x| b.iter().all(|&y| p.starts_compatible(x, y)))
        };
        if k > 0 && fits(&out[k], &out[k - 1]) {
            let c = out.remove(k);
            out[k - 1].extend(c);
        } else if k + 1 < out.len() && fits(&out[k], &out[k + 1]) {
            let c = out.remove(k);
            out[k].extend(c);
        } else {
            return None;
        }
    }
    Some(out)
}

/// Open the cohort's groups and fill them.
fn cohort_groups(
    p: &Problem,
    lim: &Limits,
    cohort: &[usize],
    venue_left: &mut [usize],
) -> Option<Vec<Draft>> {
    let n = cohort.len();
    let mut per_muni = std::collections::BTreeMap::<_, usize>::new();
    for &i in cohort {
        *per_muni.entry(p.municipality[i]).or_default() += 1;
    }
    let by_mix = per_muni
        .values()
        .map(|&c| c.div_ceil(lim.per_municipality))
        .max()
        .unwrap_or(1);
    let count = n.div_ceil(lim.max_size).max(by_mix);
    if count * lim.min_size > n {
        return None;
    }
    // Greedy p-median: add the venue that most lowers the members' travel.
    let mut chosen: Vec<usize> = Vec::new();
    let mut best = vec![u64::MAX; n];
    for _ in 0..count {
        let pick = (0..p.venues.len())
            .filter(|&j| venue_left[j] > 0)
            .min_by_key(|&j| {
                cohort
                    .iter()
                    .zip(&best)
                    .map(|(&i, &b)| b.min(u64::from(p.member_minutes[i][j])))
                    .fold(0u64, u64::saturating_add)
            })?;
        venue_left[pick] -= 1;
        for (b, &i) in best.iter_mut().zip(cohort) {
            *b = (*b).min(u64::from(p.member_minutes[i][pick]));
        }
        chosen.push(pick);
    }
    // Members of the largest municipalities first (so the mix rule cannot corner them),
    // and within one, those with most to lose; each to the nearest group with room.
    let room = n.div_ceil(count);
    let regret = |i: usize| {
        let mut d: Vec<u32> = chosen.iter().map(|&j| p.member_minutes[i][j]).collect();
        d.sort_unstable();
        d.get(1).map_or(0, |&s| s.saturating_sub(d[0]))
    };
    let mut order: Vec<usize> = cohort.to_vec();
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse(per_muni[&p.municipality[i]]),
            p.municipality[i],
            std::cmp::Reverse(regret(i)),
            i,
        )
    });
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
    for i in order {
        let nearest = |limit: usize| {
            (0..count)
                .filter(|&t| {
                    groups[t].len() < limit
                        && mix_ok(p, lim, &groups[t], i)
                        && p.reachable(i, chosen[t])
                })
                .min_by_key(|&t| (p.member_minutes[i][chosen[t]], t))
        };
        let t = nearest(room).or_else(|| nearest(lim.max_size))?;
        groups[t].push(i);
    }
    // Fill groups below min_size from groups above it, cheapest move first.
    while let Some(t) = (0..count).find(|&t| groups[t].len() < lim.min_size) {
        let (u, k) = (0..count)
            .filter(|&u| groups[u].len() > lim.min_size)
            .flat_map(|u| (0..groups[u].len()).map(move |k| (u, k)))
            .filter(|&(u, k)| mix_ok(p, lim, &groups[t], groups[u][k]))
            .min_by_key(|&(u, k)| {
                let i = groups[u][k];
                i64::from(p.member_minutes[i][chosen[t]])
                    - i64::from(p.member_minutes[i][chosen[u]])
            })?;
        let i = groups[u].remove(k);
        groups[t].push(i);
    }
    Some(
        groups
            .into_iter()
            .zip(chosen)
            .map(|(members, venue)| Draft {
                venue,
                supervisor: usize::MAX,
                members,
            })
            .collect(),
    )
}

/// Whether doctor `i` may join `members` under the municipality mix rule.
fn mix_ok(p: &Problem, lim: &Limits, members: &[usize], i: usize) -> bool {
    members
        .iter()
        .filter(|&&a| p.municipality[a] == p.municipality[i])
        .count()
        < lim.per_municipality
}

/// Give every group a supervisor, cheapest pairs first.
fn assign_supervisors(p: &Problem, drafts: &mut [Draft]) -> Option<()> {
    let mut left: Vec<usize> = (0..p.sups.len()).map(|s| p.sup_capacity(s)).collect();
    let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
    for (g, d) in drafts.iter().enumerate() {
        for s in 0..p.sups.len() {
            pairs.push((p.sup_minutes[s][d.venue], g, s));
        }
    }
    pairs.sort_unstable();
    for (_, g, s) in pairs {
        if drafts[g].supervisor == usize::MAX && left[s] > 0 {
            drafts[g].supervisor = s;
            left[s] -= 1;
        }
    }
    drafts
        .iter()
        .all(|d| d.supervisor != usize::MAX)
        .then_some(())
}

/// Cost of one group: its members' and supervisor's travel at its pattern, plus `penalty`
/// per pair of members whose group periods start too far apart.
fn group_cost(p: &Problem, g: &Draft, penalty: f64) -> f64 {
    let pattern = p.pattern(&g.members, g.venue);
    let travel = g
        .members
        .iter()
        .map(|&i| p.member_cost(i, g.venue, pattern))
        .sum::<f64>()
        + p.sup_cost(g.supervisor, g.venue, pattern);
    if penalty > 0.0 {
        travel + penalty * conflicts(p, &g.members) as f64
    } else {
        travel
    }
}

/// Pairs of members whose group periods start more than max_start_spread apart.
fn conflicts(p: &Problem, members: &[usize]) -> usize {
    members
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            members[k + 1..]
                .iter()
                .filter(|&&b| !p.starts_compatible(a, b))
                .count()
        })
        .sum()
}

/// Make groups that break the start spread keep it, by the same moves as the
/// improvement phase with each conflicting pair of members priced at a penalty far above
/// any travel. Used on the relaxation's groups in [`super::lazy::solve`]; `None` if a
/// conflict remains.
pub fn repair(p: &Problem, drafts: &[Draft], until: Instant) -> Option<Vec<Draft>> {
    let mut drafts = drafts.to_vec();
    let worst: f64 = (0..p.due.len())
        .map(|i| {
            (0..p.venues.len())
                .map(|j| {
                    p.member_cost(i, j, Pattern::Short)
                        .max(p.member_cost(i, j, Pattern::Long))
                })
                .fold(0.0, f64::max)
        })
        .sum::<f64>()
        + p.rules.balance * f64::from(p.rules.max_size);
    improve(p, &mut drafts, until, 10.0 * worst.max(1.0));
    improve(p, &mut drafts, until, 0.0);
    p.check(&drafts).ok()?;
    Some(drafts)
}

fn spread_cost(p: &Problem, sizes: impl Iterator<Item = usize> + Clone) -> f64 {
    let hi = sizes.clone().max().unwrap_or(0);
    let lo = sizes.min().unwrap_or(0);
    p.rules.balance * (hi - lo) as f64
}

/// Local search: first-improvement moves until none helps or time is up.
/// With `penalty` 0 every move keeps the start spread; above 0 moves may break it at that
/// price per conflicting pair (see [`repair`]).
fn improve(p: &Problem, drafts: &mut [Draft], until: Instant, penalty: f64) {
    let lim = Limits::new(p, &Rules::all());
    let mut venue_used = vec![0usize; p.venues.len()];
    let mut sup_used = vec![0usize; p.sups.len()];
    for d in drafts.iter() {
        venue_used[d.venue] += 1;
        sup_used[d.supervisor] += 1;
    }
    let eps = 1e-9;
    loop {
        let mut better = false;
        if Instant::now() > until {
            return;
        }
        // Move one member to another group.
        for a in 0..drafts.len() {
            if Instant::now() > until {
                return;
            }
            for b in 0..drafts.len() {
                if a == b
                    || drafts[a].members.len() <= lim.min_size
                    || drafts[b].members.len() >= lim.max_size
                {
                    continue;
                }
                let mut k = 0;
                while k < drafts[a].members.len()
                    && drafts[a].members.len() > lim.min_size
                    && drafts[b].members.len() < lim.max_size
                {
                    let i = drafts[a].members[k];
                    if !fits(p, &lim, &drafts[b], i, None, penalty == 0.0) {
                        k += 1;
                        continue;
                    }
                    let before = cost_with_balance(p, drafts, &[a, b], penalty);
                    let moved = drafts[a].members.remove(k);
                    drafts[b].members.push(moved);
                    if cost_with_balance(p, drafts, &[a, b], penalty) < before - eps {
                        better = true;
                    } else {
                        drafts[b].members.pop();
                        drafts[a].members.insert(k, moved);
                        k += 1;
                    }
                }
            }
        }
        if Instant::now() > until {
            return;
        }
        // Swap two members of different groups.
        for a in 0..drafts.len() {
            if Instant::now() > until {
                return;
            }
            for b in a + 1..drafts.len() {
                for ka in 0..drafts[a].members.len() {
                    for kb in 0..drafts[b].members.len() {
                        let (x, y) = (drafts[a].members[ka], drafts[b].members[kb]);
                        if !fits(p, &lim, &drafts[b], x, Some(y), penalty == 0.0)
                            || !fits(p, &lim, &drafts[a], y, Some(x), penalty == 0.0)
                        {
                            continue;
                        }
                        let before = cost_of(p, drafts, &[a, b], penalty);
                        drafts[a].members[ka] = y;
                        drafts[b].members[kb] = x;
                        if cost_of(p, drafts, &[a, b], penalty) < before - eps {
                            better = true;
                        } else {
                            drafts[a].members[ka] = x;
                            drafts[b].members[kb] = y;
                        }
                    }
                }
            }
        }
        // Move a group to another venue, or give it another supervisor.
        for a in 0..drafts.len() {
            for j in 0..p.venues.len() {
                let old = drafts[a].venue;
                if j == old
                    || venue_used[j] >= lim.venue_cap[j]
                    || drafts[a].members.iter().any(|&i| !p.reachable(i, j))
                {
                    continue;
                }
                let before = cost_of(p, drafts, &[a], penalty);
                drafts[a].venue = j;
                if cost_of(p, drafts, &[a], penalty) < before - eps {
                    venue_used[old] -= 1;
                    venue_used[j] += 1;
                    better = true;
                } else {
                    drafts[a].venue = old;
                }
            }
            for s in 0..p.sups.len() {
                let old = drafts[a].supervisor;
                if s == old || sup_used[s] >= lim.sup_cap[s] {
                    continue;
                }
                let before = cost_of(p, drafts, &[a], penalty);
                drafts[a].supervisor = s;
                if cost_of(p, drafts, &[a], penalty) < before - eps {
                    sup_used[old] -= 1;
                    sup_used[s] += 1;
                    better = true;
                } else {
                    drafts[a].supervisor = old;
                }
            }
        }
        // Exchange the supervisors of two groups.
        for a in 0..drafts.len() {
            for b in a + 1..drafts.len() {
                let before = cost_of(p, drafts, &[a, b], penalty);
                let (sa, sb) = (drafts[a].supervisor, drafts[b].supervisor);
                drafts[a].supervisor = sb;
                drafts[b].supervisor = sa;
                if cost_of(p, drafts, &[a, b], penalty) < before - eps {
                    better = true;
                } else {
                    drafts[a].supervisor = sa;
                    drafts[b].supervisor = sb;
                }
            }
        }
        if !better {
            return;
        }
    }
}

/// Travel cost of the groups `which`.
fn cost_of(p: &Problem, drafts: &[Draft], which: &[usize], penalty: f64) -> f64 {
    which
        .iter()
        .map(|&g| group_cost(p, &drafts[g], penalty))
        .sum()
}

/// Travel cost of the groups `which` plus the balance term of all groups.
fn cost_with_balance(p: &Problem, drafts: &[Draft], which: &[usize], penalty: f64) -> f64 {
    cost_of(p, drafts, which, penalty) + spread_cost(p, drafts.iter().map(|d| d.members.len()))
}

/// Whether `i` may join group `g` (in place of `leaving`, if given) under the venue's reach,
/// the municipality mix and the start spread.
fn fits(
    p: &Problem,
    lim: &Limits,
    g: &Draft,
    i: usize,
    leaving: Option<usize>,
    hard_spread: bool,
) -> bool {
    if !p.reachable(i, g.venue) {
        return false;
    }
    let others = g.members.iter().filter(|&&a| Some(a) != leaving);
    let same = others
        .clone()
        .filter(|&&a| p.municipality[a] == p.municipality[i])
        .count();
    same < lim.per_municipality
        && (!hard_spread || others.clone().all(|&a| p.starts_compatible(a, i)))
}
