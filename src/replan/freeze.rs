//! Which doctors a re-plan need not touch: those whose future blocks in the previous plan
//! are all still allowed by today's instance and still serve exactly what they have left
//! to serve. A re-plan first keeps their blocks and places only the others; it opens
//! them up only when that leaves someone unplaced (see `planning::Basis::place`).

use std::collections::BTreeMap;

use super::parts::{Remaining, remaining_for};
use super::split::Split;
use crate::model::*;
use crate::placement::Problem;
use crate::placement::candidates::candidates_for;
use crate::travel::Travel;

/// The previous plan's future blocks of every doctor whose plan is still valid as it
/// stands (see the module documentation), as far as slots and municipality absences allow.
pub fn still_valid(
    problem: &Problem,
    travel: &Travel,
    split: &Split,
    remaining: &Remaining,
) -> Vec<Block> {
    let inst = problem.inst;
    let mut by_doctor: BTreeMap<DoctorId, Vec<&Block>> = BTreeMap::new();
    for b in &split.future {
        by_doctor.entry(b.doctor).or_default().push(b);
    }
    let mut kept: BTreeMap<DoctorId, Vec<Block>> = BTreeMap::new();
    for (d, future) in by_doctor {
        if blocks_still_allowed(problem, travel, remaining, d, &future)
            && serve_exactly_what_is_left(inst, split, d, &future)
            && keep_accepted(problem, split, d, &future)
        {
            kept.insert(d, future.into_iter().cloned().collect());
        }
    }
    while let Some(d) = first_overfull(problem, &kept) {
        kept.remove(&d);
    }
    kept.into_values().flatten().collect()
}

/// Every block is one the candidate rules allow today (window, leave, commute, start
/// months, slots, rejections, the group period, nothing before the re-plan month) and
/// clashes with no kept block of the doctor.
fn blocks_still_allowed(
    problem: &Problem,
    travel: &Travel,
    remaining: &Remaining,
    d: DoctorId,
    future: &[&Block],
) -> bool {
    let parts = &remaining.parts[d.index()];
    if parts.is_empty() {
        return false;
    }
    let allowed: Vec<(DepartmentId, Month, u32, Month)> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, part)| candidates_for(problem, travel, d, p, part).0)
        .map(|c| (c.department, c.start, c.len, c.end))
        .collect();
    future.iter().all(|b| {
        allowed.contains(&(b.department, b.start, b.months, b.end)) && !problem.busy(d, b.span())
    })
}

/// With the future blocks counted, the doctor has nothing left to serve and nothing that
/// cannot be served.
fn serve_exactly_what_is_left(
    inst: &Instance,
    split: &Split,
    d: DoctorId,
    future: &[&Block],
) -> bool {
    let mut mine: Vec<&Block> = split.fixed.iter().filter(|b| b.doctor == d).collect();
    mine.extend(future.iter().copied());
    let (parts, makeups, unplaceable) = remaining_for(inst, split, d, &mine);
    parts.is_empty() && makeups.is_empty() && unplaceable.is_empty()
}

/// Every accept decision for the doctor is matched by a block kept.
fn keep_accepted(problem: &Problem, split: &Split, d: DoctorId, future: &[&Block]) -> bool {
    let inst = problem.inst;
    problem
        .locks
        .iter()
        .filter(|l| l.doctor == d && l.decision == Decision::Accept)
        .all(|l| {
            split
                .fixed
                .iter()
                .filter(|b| b.doctor == d)
                .chain(future.iter().copied())
                .any(|b| l.matches(inst.department(b.department), b.start, b.months))
        })
}

/// department_capacity, municipality_max_away: the doctor to open up first where the kept
/// blocks overfill a department or take too many of a municipality's doctors away (the one
/// whose block starts latest), if any.
fn first_overfull(problem: &Problem, kept: &BTreeMap<DoctorId, Vec<Block>>) -> Option<DoctorId> {
    let inst = problem.inst;
    let mut slots: BTreeMap<(DepartmentId, Month), Vec<(Month, DoctorId)>> = BTreeMap::new();
    let mut away: BTreeMap<(MunicipalityId, Month), Vec<(Month, DoctorId)>> = BTreeMap::new();
    for (&d, blocks) in kept {
        let doc = inst.doctor(d);
        for b in blocks {
            for m in b.span().months() {
                away.entry((doc.municipality, m))
                    .or_default()
                    .push((b.start, d));
                if !doc.on_leave(m) {
                    slots
                        .entry((b.department, m))
                        .or_default()
                        .push((b.start, d));
                }
            }
        }
    }
    let latest = |who: &[(Month, DoctorId)]| who.iter().max().map(|&(_, d)| d);
    for ((k, m), who) in &slots {
        let room = inst.department(*k).capacity_in(*m);
        if problem.fixed_in(*k, *m) + who.len() as u32 > room {
            return latest(who);
        }
    }
    for ((mu, m), who) in &away {
        let mut doctors: Vec<DoctorId> = who.iter().map(|&(_, d)| d).collect();
        doctors.sort();
        doctors.dedup();
        let max = inst.municipality(*mu).max_away;
        if problem.fixed_away(*mu, *m) + doctors.len() as u32 > max {
            return latest(who);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::plan::Previous;
    use crate::replan::testing::{block, close, month, vest};
    use crate::replan::{problem_for, remaining, split_previous};

    fn kept(inst: &Instance, blocks: Vec<Block>) -> Vec<Block> {
        let travel = Travel::new(inst);
        let previous = Previous {
            blocks,
            ..Previous::default()
        };
        let from = month("2027-05");
        let split = split_previous(inst, &travel, &previous, from, &[]);
        let left = remaining(inst, &split);
        let problem = problem_for(inst, &split, &left, Some(from), inst.locks.clone());
        still_valid(&problem, &travel, &split, &left)
    }

    #[test]
    fn a_plan_still_allowed_is_kept_and_one_in_a_closed_department_is_not() {
        let mut inst = vest();
        // Both blocks lie in the doctor's second group year only (V01: 2028-03..2029-02).
        let fine = block(&inst, "V01", "haukeland/psychiatry", "2028-08", "2029-01");
        let closed = block(&inst, "V06", "odda-sjukehus/medicine", "2028-02", "2028-11");
        let both = vec![fine.clone(), closed.clone()];
        assert_eq!(kept(&inst, both.clone()), both);
        close(&mut inst, "odda-sjukehus/medicine", "2028-06", "2028-06");
        assert_eq!(kept(&inst, both), vec![fine]);
    }

    #[test]
    fn plans_that_together_overfill_a_department_are_not_all_kept() {
        // Two doctors in the one-slot Stord medicine at once: one of them is opened up.
        let inst = vest();
        let first = block(
            &inst,
            "V03",
            "stord-sjukehus/medicine",
            "2028-01",
            "2028-06",
        );
        // V11's first group year is 2027-09..2028-08: the block keeps the second in practice.
        let second = block(
            &inst,
            "V11",
            "stord-sjukehus/medicine",
            "2028-01",
            "2028-06",
        );
        assert_eq!(kept(&inst, vec![first.clone()]), vec![first.clone()]);
        assert_eq!(kept(&inst, vec![second.clone()]), vec![second.clone()]);
        assert_eq!(kept(&inst, vec![first.clone(), second]), vec![first]);
    }
}
