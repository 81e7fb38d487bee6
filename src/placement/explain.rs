//! Explaining, in domain words, why a requirement could not be placed: which doctor, which
//! months, which rule.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Unplaced;
use crate::model::*;
use crate::travel::Travel;

use super::candidates::{Pruned, candidates_matching};
use super::{Candidate, Problem};

/// The unplaced requirement parts with their reasons.
pub fn explain_unplaced(
    problem: &Problem,
    travel: &Travel,
    cands: &[Candidate],
    pruned: &[Vec<Pruned>],
    blocks: &[Block],
    unplaced: &[(DoctorId, usize)],
) -> Vec<Unplaced> {
    unplaced
        .iter()
        .map(|&(d, p)| {
            let part = &problem.parts(d)[p];
            let mine: Vec<&Candidate> = cands
                .iter()
                .filter(|c| c.doctor == d && c.part == p)
                .collect();
            let reason = if mine.is_empty() {
                why_no_candidate(problem, travel, d, part, &pruned[d.index()][p])
            } else {
                why_not_chosen(problem, &mine, blocks)
            };
            Unplaced {
                doctor: d,
                specialty: part.specialty,
                months: part.calendar_months,
                reason,
            }
        })
        .collect()
}

fn what(inst: &Instance, part: &RequirementPart) -> String {
    match part.specialty {
        Some(s) => format!(
            "a {}-month block in {}",
            part.calendar_months,
            inst.specialty(s)
        ),
        None => format!("a {}-month block in any department", part.calendar_months),
    }
}

/// No block passes the hard rules even before capacity is shared out.
fn why_no_candidate(
    problem: &Problem,
    travel: &Travel,
    d: DoctorId,
    part: &RequirementPart,
    why: &Pruned,
) -> String {
    let inst = problem.inst;
    let window = problem.window(d);
    let suitable: Vec<DepartmentId> = inst
        .department_ids()
        .filter(|&k| {
            part.specialty
                .is_none_or(|s| s == inst.department(k).specialty)
        })
        .collect();
    if suitable.is_empty() {
        return format!("{}: no hospital has such a department", what(inst, part));
    }
    format!(
        "{} between {} and {}: {}",
        what(inst, part),
        window.first,
        window.last,
        reasons(problem, travel, d, &suitable, why).join("; ")
    )
}

/// The rules that ruled out the blocks counted in `why` (blocks at the `suitable`
/// departments), in domain words.
fn reasons(
    problem: &Problem,
    travel: &Travel,
    d: DoctorId,
    suitable: &[DepartmentId],
    why: &Pruned,
) -> Vec<String> {
    let inst = problem.inst;
    let doc = inst.doctor(d);
    let window = problem.window(d);
    let mut reasons = Vec::new();
    if why.too_far > 0 {
        let nearest = suitable
            .iter()
            .map(|&k| (travel.commute(inst, d, inst.department(k).hospital), k))
            .min();
        if let Some((minutes, k)) = nearest.filter(|(m, _)| *m > doc.max_commute) {
            reasons.push(format!(
                "no suitable department within the {} min commute limit and the doctor has not agreed to relocate (nearest: {} at {minutes} min)",
                doc.max_commute,
                inst.department_label(k)
            ));
        }
    }
    if why.relocation_too_far > 0 {
        reasons.push(format!(
            "departments beyond the commute limit are also beyond the {} min relocation limit",
            inst.settings.scheme.max_relocation_minutes
        ));
    }
    if why.outside_window > 0
        && why.start_month + why.leave + why.no_slots + why.rejected + why.group_period == 0
    {
        reasons.push(format!("the window {window} is too short for it"));
    }
    if why.start_month > 0 {
        let starts: BTreeSet<String> = suitable
            .iter()
            .map(|&k| inst.department(k))
            .filter(|dep| !dep.start_months.is_empty())
            .map(|dep| {
                format!(
                    "{} starts in months {:?}",
                    inst.hospital(dep.hospital).id,
                    dep.start_months
                )
            })
            .collect();
        reasons.push(format!(
            "no allowed start month fits the window {window} ({})",
            starts.into_iter().collect::<Vec<_>>().join("; ")
        ));
    }
    if why.leave > 0 {
        let leave: Vec<String> = doc
            .leave
            .iter()
            .map(|l| format!("{} leave {}", l.kind, l.range))
            .collect();
        reasons.push(format!(
            "leave leaves no long enough stretch ({})",
            leave.join(", ")
        ));
    }
    if why.no_slots > 0 {
        reasons.push("the departments that fit have no slots (capacity 0) in those months".into());
    }
    if why.rejected > 0 {
        reasons.push("the blocks that fit were rejected in review".into());
    }
    if why.group_period > 0 {
        let g = &inst.settings.groups;
        let years = doc
            .group_years(g.months)
            .map_or(String::new(), |[a, b]| format!(" ({a} and {b})"));
        reasons.push(format!(
            "every block that fits lies in both guidance-group years{years}, or in the only one that leave leaves mostly in general practice, and one of them must be spent in practice ({})",
            crate::rules::Rule::GroupPeriodInPractice
        ));
    }
    if why.before_from > 0 {
        reasons.push(format!(
            "the only blocks that fit start before the re-plan month {}",
            problem.not_before.map_or(String::new(), |m| m.to_string())
        ));
    }
    if reasons.is_empty() {
        reasons.push(format!("no block fits the window {window}"));
    }
    reasons
}

/// Every possible block was taken by others or clashes with the rest of the plan.
fn why_not_chosen(problem: &Problem, mine: &[&Candidate], blocks: &[Block]) -> String {
    let inst = problem.inst;
    let d = mine[0].doctor;
    let doc = inst.doctor(d);
    let mut used: BTreeMap<(DepartmentId, Month), Vec<DoctorId>> = BTreeMap::new();
    let mut away: BTreeMap<Month, BTreeSet<DoctorId>> = BTreeMap::new();
    for b in blocks.iter().chain(problem.fixed.iter()) {
        for m in b.span().months() {
            used.entry((b.department, m)).or_default().push(b.doctor);
            if inst.doctor(b.doctor).municipality == doc.municipality {
                away.entry(m).or_default().insert(b.doctor);
            }
        }
    }
    // Months each department is full, and by whom.
    let mut full: BTreeMap<DepartmentId, (BTreeSet<Month>, BTreeSet<DoctorId>)> = BTreeMap::new();
    let mut muni_full: BTreeSet<Month> = BTreeSet::new();
    let mut own_clash = 0;
    for c in mine {
        for m in c.span().months() {
            let here = used.get(&(c.department, m)).map_or(&[][..], Vec::as_slice);
            if here.len() as u32 >= inst.department(c.department).capacity_in(m) {
                let e = full.entry(c.department).or_default();
                e.0.insert(m);
                e.1.extend(here.iter().copied());
            }
            if away.get(&m).map_or(0, BTreeSet::len) as u32
                >= inst.municipality(doc.municipality).max_away
            {
                muni_full.insert(m);
            }
            if blocks.iter().any(|b| b.doctor == d && b.span().contains(m)) {
                own_clash += 1;
            }
        }
    }
    let mut reasons = Vec::new();
    for (k, (months, who)) in full.iter().take(4) {
        let first = months.iter().next().copied();
        let last = months.iter().next_back().copied();
        let names: Vec<&str> = who.iter().map(|&w| inst.doctor(w).id.as_str()).collect();
        if let (Some(a), Some(b)) = (first, last) {
            reasons.push(format!(
                "{} is full in {} months between {a} and {b} (taken by {})",
                inst.department_label(*k),
                months.len(),
                names.join(", ")
            ));
        }
    }
    if full.len() > 4 {
        reasons.push(format!("and {} more departments are full", full.len() - 4));
    }
    if let (Some(a), Some(b)) = (muni_full.iter().next(), muni_full.iter().next_back()) {
        reasons.push(format!(
            "{} already has its maximum of {} ALIS in hospital in {} months between {a} and {b}",
            inst.municipality(doc.municipality).name,
            inst.municipality(doc.municipality).max_away,
            muni_full.len()
        ));
    }
    if own_clash > 0 {
        reasons.push("the doctor's other hospital blocks take the remaining months".into());
    }
    if reasons.is_empty() {
        reasons.push(
            "placing it would break the group period or accepted placements of others".into(),
        );
    }
    let window = problem.window(d);
    format!(
        "{} between {} and {}: all {} possible blocks are taken: {}",
        what(inst, &problem.parts(d)[mine[0].part]),
        window.first,
        window.last,
        mine.len(),
        reasons.join("; ")
    )
}

/// Why no block allowed by the rules matches an accept decision: the rules that exclude
/// the blocks the decision could mean, in domain words.
pub fn why_no_block(problem: &Problem, travel: &Travel, lock: &Lock) -> String {
    let inst = problem.inst;
    let d = lock.doctor;
    let window = problem.window(d);
    let mut notes = Vec::new();
    if let (Some(h), Some(s)) = (lock.hospital, lock.specialty)
        && inst.department_id(h, s).is_none()
    {
        return format!(
            "{} has no {} department",
            inst.hospital(h).id,
            inst.specialty(s)
        );
    }
    if let Some(start) = lock.start {
        if !window.contains(start) {
            notes.push(format!("{start} is outside the doctor's window {window}"));
        }
        if let Some(m) = problem.not_before.filter(|&m| start < m) {
            notes.push(format!("{start} is before the re-plan month {m}"));
        }
    }
    let parts = problem.parts(d);
    let fits_a_part = parts.iter().any(|p| {
        lock.specialty
            .is_none_or(|s| p.specialty.is_none_or(|q| q == s))
            && lock.months.is_none_or(|n| p.block_lengths().contains(&n))
    });
    if !fits_a_part {
        let need: Vec<String> = parts
            .iter()
            .map(|p| {
                let s = p
                    .specialty
                    .map_or("any".to_string(), |s| inst.specialty(s).to_string());
                format!("{} months {s}", p.calendar_months)
            })
            .collect();
        let need = if need.is_empty() {
            "nothing left to place".to_string()
        } else {
            need.join(" + ")
        };
        notes.push(format!(
            "the doctor's requirement ({need}) has no such block"
        ));
    }
    if notes.is_empty() {
        for (p, part) in parts.iter().enumerate() {
            let (found, why) = candidates_matching(problem, travel, d, p, part, Some(lock));
            if !found.is_empty() {
                continue;
            }
            let suitable: Vec<DepartmentId> = inst
                .department_ids()
                .filter(|&k| {
                    let dept = inst.department(k);
                    part.specialty.is_none_or(|s| s == dept.specialty)
                        && lock.hospital.is_none_or(|h| h == dept.hospital)
                        && lock.specialty.is_none_or(|s| s == dept.specialty)
                })
                .collect();
            if !suitable.is_empty() {
                notes.extend(reasons(problem, travel, d, &suitable, &why));
            }
        }
    }
    if notes.is_empty() && problem.fixed.iter().any(|b| b.doctor == d) {
        notes.push("the doctor's blocks kept from the previous plan take those months".into());
    }
    notes.sort();
    notes.dedup();
    if notes.is_empty() {
        notes.push("every matching block breaks a rule".into());
    }
    notes.join("; ")
}
