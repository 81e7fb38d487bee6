//! Why an instance cannot be grouped, in the words of the rules: counts checked before any
//! model is built, and, if the solver still finds no grouping, which single rule's
//! relaxation would allow one.

use std::collections::BTreeMap;

use super::Problem;
use super::lazy::solve;
use super::limits::{Limits, Rules};
use crate::error::Error;
use crate::model::settings::GroupSettings;
use crate::model::{Instance, Month, MunicipalityId};
use crate::rules::Rule;
use crate::solver::SolveOptions;
use crate::travel::Travel;

/// Plain impossibilities: no venue or supervisor, too few doctors for a group, doctors with
/// too few others near their start, or more groups needed than can be hosted and led.
pub fn precheck(p: &Problem) -> Result<(), Error> {
    let r = p.rules;
    let inst = p.inst;
    let due = p.due.len();
    let infeasible = |msg: String| Err(Error::Infeasible(msg));
    if p.venues.is_empty() {
        return infeasible(format!(
            "{due} doctors are due a guidance group, but venues.csv lists no venue that can host one (max_groups ≥ 1) ({})",
            Rule::VenueCapacity
        ));
    }
    if p.sups.is_empty() {
        return infeasible(format!(
            "{due} doctors are due a guidance group, but supervisors.csv lists no supervisor who can lead one (max_groups ≥ 1) ({})",
            Rule::SupervisorCapacity
        ));
    }
    if let Some(i) = (0..due).find(|&i| (0..p.venues.len()).all(|j| !p.reachable(i, j))) {
        return infeasible(unreachable(p, i));
    }
    let min = r.min_size as usize;
    if due < min {
        return infeasible(format!(
            "only {due} doctor{} due a guidance group ({}), but a group needs at least min_size = {min} members ({})",
            if due == 1 { " is" } else { "s are" },
            names(p, &(0..due).collect::<Vec<_>>()),
            Rule::GroupSize
        ));
    }
    let lim = Limits::new(p, &Rules::all());
    let windows = p.windows();
    let lonely: Vec<usize> = (0..due)
        .filter(|&i| {
            windows
                .iter()
                .filter(|w| w.contains(&i))
                .map(|w| lim.mixable(p, w))
                .max()
                .unwrap_or(0)
                < min
        })
        .collect();
    if !lonely.is_empty() {
        let i = lonely[0];
        let from = p.from[i].map_or(String::new(), |m| format!(" (group period from {m})"));
        return infeasible(format!(
            "{} cannot be placed in any group: counting at most max_per_municipality = {} from one municipality, fewer than min_size = {min} doctors due a group start within max_start_spread = {} months of doctor {}{from} ({}, {}, {})",
            if lonely.len() == 1 {
                format!("doctor {}", names(p, &lonely))
            } else {
                format!("doctors {}", names(p, &lonely))
            },
            r.max_per_municipality,
            r.max_start_spread,
            inst.doctor(p.due[i]).id,
            Rule::GroupSize,
            Rule::GroupStartSpread,
            Rule::GroupMunicipalityMix,
        ));
    }
    // How many groups must there be, and how many may there be?
    let (needed, why_needed) = fewest_groups(p);
    let hosted: usize = (0..p.venues.len()).map(|j| p.venue_capacity(j)).sum();
    let led: usize = (0..p.sups.len()).map(|s| p.sup_capacity(s)).sum();
    let possible = due / min;
    if needed > hosted.min(led) {
        let short = if hosted < led && hosted < needed {
            format!(
                "the venues can host only {hosted} (venues.csv, max_groups) while the supervisors could lead {led}"
            )
        } else if led < hosted && led < needed {
            format!(
                "the supervisors can lead only {led} (supervisors.csv, max_groups) while the venues could host {hosted}"
            )
        } else {
            format!("the venues can host only {hosted} and the supervisors lead only {led}")
        };
        return infeasible(format!(
            "at least {needed} guidance groups are needed ({why_needed}), but {short}; add venue slots or supervisors, or raise max_size ({}, {})",
            Rule::VenueCapacity,
            Rule::SupervisorCapacity
        ));
    }
    if needed > possible {
        return infeasible(format!(
            "at least {needed} guidance groups are needed ({why_needed}), but {due} doctors fill at most {possible} group{} of min_size = {min} ({})",
            if possible == 1 { "" } else { "s" },
            Rule::GroupSize
        ));
    }
    Ok(())
}

/// The fewest groups the sizes, the start spread and the municipality mix allow, and why,
/// in domain words.
pub fn fewest_groups(p: &Problem) -> (usize, String) {
    let r = p.rules;
    let inst = p.inst;
    let due = p.due.len();
    let max = r.max_size as usize;
    let by_size = due.div_ceil(max);
    let by_spread = groups_by_spread(p, max);
    let (muni, by_mix) = most_per_municipality(p);
    let by_mix_groups = by_mix.div_ceil(r.max_per_municipality as usize);
    let needed = by_size.max(by_spread.0).max(by_mix_groups);
    let why_needed = if needed == by_size {
        format!("{due} doctors are due a group and a group has at most max_size = {max} members")
    } else if needed == by_spread.0 {
        let range = by_spread
            .1
            .map_or(String::new(), |(a, b)| format!(" from {a} to {b}"));
        format!(
            "group periods start{range}, the members of one group start at most max_start_spread = {} months apart and a group has at most {max} members",
            r.max_start_spread
        )
    } else {
        format!(
            "{} has {by_mix} doctors due a group and a group takes at most max_per_municipality = {} of them",
            inst.municipality(muni).id,
            r.max_per_municipality
        )
    };
    (needed, why_needed)
}

/// Why the groups number `count`, for the console and `summary.json`: the fewest the rules
/// allow, or more, with what each group costs.
pub fn group_count_reason(p: &Problem, count: usize) -> String {
    let (fewest, why) = fewest_groups(p);
    let each = format!(
        "each group costs {:.0} NOK over the group period (group_cost {:.0} a year)",
        p.group_cost(),
        p.rules.group_cost
    );
    if count <= fewest {
        format!("{count} groups: the fewest the rules allow ({why}); {each}")
    } else {
        format!(
            "{count} groups, {} more than the {fewest} that size, start spread and municipality mix allow ({why}); {each}, so the extra groups are there because the venues, supervisors or max_member_minutes leave no grouping with fewer, or because they save more travel than they cost ({}, {})",
            count - fewest,
            Rule::GroupSize,
            Rule::GroupMemberTravel
        )
    }
}

/// Why doctor `i` may meet at no venue: none is connected to their home, or every venue is
/// beyond `max_member_minutes` (the nearest ones named, with their minutes).
fn unreachable(p: &Problem, i: usize) -> String {
    let doc = p.inst.doctor(p.due[i]);
    let mut near: Vec<(u32, usize)> = (0..p.venues.len())
        .map(|j| (p.member_minutes[i][j], j))
        .filter(|&(m, _)| m != u32::MAX)
        .collect();
    near.sort_unstable();
    match p.rules.max_member_minutes {
        Some(most) if !near.is_empty() => format!(
            "doctor {} ({}) cannot meet with any group: every venue is more than max_member_minutes = {most} min away one way; nearest {} ({})",
            doc.id,
            p.inst.municipality(doc.municipality).name,
            venue_minutes(p, &near),
            Rule::GroupMemberTravel
        ),
        _ => format!(
            "doctor {} cannot reach any venue over the network ({})",
            doc.id,
            Rule::GroupMembership
        ),
    }
}

/// Venues with their minutes, at most three: "V at 300 min, W at 320 min".
fn venue_minutes(p: &Problem, near: &[(u32, usize)]) -> String {
    near.iter()
        .take(3)
        .map(|&(m, j)| {
            let place = p.inst.venues[p.venues[j].index()].place;
            format!("{} at {m} min", p.inst.place(place).name)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// For `check`: every doctor due a group with no venue within `max_member_minutes`.
pub fn beyond_member_minutes(inst: &Instance, travel: &Travel) -> Vec<String> {
    if inst.settings.groups.max_member_minutes.is_none() {
        return Vec::new();
    }
    let p = Problem::new(inst, travel);
    (0..p.due.len())
        .filter(|&i| (0..p.venues.len()).all(|j| !p.reachable(i, j)))
        .map(|i| unreachable(&p, i))
        .collect()
}

/// Fewest groups that keep the start spread and max_size: take the earliest start and the
/// next `max` doctors within the spread, repeatedly (optimal for points on a line). Also
/// the first and last start.
fn groups_by_spread(p: &Problem, max: usize) -> (usize, Option<(Month, Month)>) {
    let mut starts: Vec<Month> = p.from.iter().flatten().copied().collect();
    starts.sort_unstable();
    let (Some(&first), Some(&last)) = (starts.first(), starts.last()) else {
        return (0, None);
    };
    let spread = p.rules.max_start_spread as i32;
    let mut groups = 0;
    let mut k = 0;
    while k < starts.len() {
        let lead = starts[k];
        let mut taken = 0;
        while k < starts.len() && taken < max && lead.until(starts[k]) <= spread {
            k += 1;
            taken += 1;
        }
        groups += 1;
    }
    (groups, Some((first, last)))
}

/// The municipality with most doctors due a group, and how many.
fn most_per_municipality(p: &Problem) -> (MunicipalityId, usize) {
    let mut per: BTreeMap<MunicipalityId, usize> = BTreeMap::new();
    for &m in &p.municipality {
        *per.entry(m).or_default() += 1;
    }
    per.into_iter()
        .max_by_key(|&(m, n)| (n, std::cmp::Reverse(m)))
        .unwrap_or((MunicipalityId(0), 0))
}

/// Doctor ids, at most ten of them.
fn names(p: &Problem, who: &[usize]) -> String {
    let mut ids: Vec<&str> = who
        .iter()
        .take(10)
        .map(|&i| p.inst.doctor(p.due[i]).id.as_str())
        .collect();
    if who.len() > 10 {
        ids.push("…");
    }
    ids.join(", ")
}

/// The solver found no grouping although the counts fit: find which rule, relaxed on its
/// own, would allow one.
pub fn after_solver(p: &Problem, opts: &SolveOptions) -> Error {
    let all = Rules::all();
    let tries: [(&str, Rules); 5] = [
        (
            "the municipality mix (max_per_municipality, group_municipality_mix)",
            Rules {
                municipality_mix: false,
                ..all
            },
        ),
        (
            "the start spread (max_start_spread, group_start_spread)",
            Rules {
                start_spread: false,
                ..all
            },
        ),
        (
            "the smallest group size (min_size, group_size)",
            Rules {
                min_size: false,
                ..all
            },
        ),
        (
            "the venues' max_groups (venue_capacity)",
            Rules {
                venue_capacity: false,
                ..all
            },
        ),
        (
            "the supervisors' max_groups (supervisor_capacity)",
            Rules {
                supervisor_capacity: false,
                ..all
            },
        ),
    ];
    let quick = SolveOptions {
        time_limit: opts.time_limit.min(10.0),
        gap: 1.0,
        verbose: false,
        ..opts.clone()
    };
    let (mut binding, mut untried): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for (name, rules) in &tries {
        if quick.should_stop() {
            untried.push(name);
            continue;
        }
        match solve(p, &quick, None, rules, None) {
            Ok(_) => binding.push(name),
            Err(Error::Infeasible(_)) => {}
            // Out of time or the solver failed: this rule's part is not known.
            Err(_) => untried.push(name),
        }
    }
    if p.rules.max_member_minutes.is_some() {
        let name = "the members' longest travel (max_member_minutes, group_member_travel)";
        let rules = GroupSettings {
            max_member_minutes: None,
            ..p.rules.clone()
        };
        let loose = p.with_rules(&rules);
        if quick.should_stop() {
            untried.push(name);
        } else {
            match solve(&loose, &quick, None, &all, None) {
                Ok(_) => binding.push(name),
                Err(Error::Infeasible(_)) => {}
                Err(_) => untried.push(name),
            }
        }
    }
    let head = format!(
        "no grouping of the {} doctors due a guidance group keeps every rule at once, although the counts of groups, venues and supervisors fit",
        p.due.len()
    );
    let unknown = if untried.is_empty() {
        String::new()
    } else {
        format!(
            " (whether relaxing {} alone would help is not known: the time limit ran out first; raise --time-limit to find out)",
            untried.join(", or ")
        )
    };
    Error::Infeasible(if !binding.is_empty() {
        format!(
            "{head}; relaxing {} alone would allow a grouping, so that is the rule that binds{unknown}",
            binding.join(", or ")
        )
    } else if untried.is_empty() {
        format!("{head}; no single rule is to blame: relaxing any one of them alone does not help")
    } else {
        format!("{head}; which rule binds is not known{unknown}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::travel::Travel;

    #[test]
    fn fewest_groups_by_spread_is_counted_greedily_along_the_starts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-nord");
        let inst = crate::io::load_instance(&dir).unwrap();
        let travel = Travel::new(&inst);
        let p = Problem::new(&inst, &travel);
        // 32 doctors, starts 2027-01..2028-06, spread 12: at least two groups even with
        // unlimited size, and at least ceil(32 / 10) = 4 at size 10.
        let (unlimited, range) = groups_by_spread(&p, usize::MAX);
        assert_eq!(unlimited, 2);
        let (first, last) = range.unwrap();
        assert_eq!(
            (first.to_string(), last.to_string()),
            ("2027-01".into(), "2028-06".into())
        );
        assert!(groups_by_spread(&p, 10).0 >= 4);
        assert_eq!(groups_by_spread(&p, 1).0, 32);
    }
}
