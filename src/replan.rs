//! Re-planning a published plan: months before `from` are history and never change, a
//! block running at `from` continues at the same department (extended around new leave),
//! and future blocks may move at a cost per change, so the new plan stays close to the old.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::*;
use crate::placement::{Candidate, Problem};

/// The previous plan split at the re-plan month.
#[derive(Clone, Debug, Default)]
pub struct Split {
    /// Blocks kept exactly (ended before `from`, or running and continued).
    pub fixed: Vec<Block>,
    /// Running blocks extended around new leave: (before, after).
    pub extended: Vec<(Block, Block)>,
    /// Blocks starting at or after `from`: free to move.
    pub future: Vec<Block>,
}

/// Split `previous` at `from`: history stays, running blocks continue (extended by leave
/// months that now fall inside them), future blocks are free.
pub fn split_previous(inst: &Instance, previous: &[Block], from: Month) -> Result<Split> {
    let mut split = Split::default();
    let mut problems = Vec::new();
    for b in previous {
        if b.start >= from {
            split.future.push(b.clone());
            continue;
        }
        if b.end < from {
            split.fixed.push(b.clone());
            continue;
        }
        // Running: keep start and department; serve the same months around any leave.
        let doc = inst.doctor(b.doctor);
        let served_before = b.start.until(from) as u32
            - MonthRange::new(b.start, from.plus(-1))
                .months()
                .filter(|&m| doc.on_leave(m))
                .count() as u32;
        let mut remaining = b.months.saturating_sub(served_before);
        let mut end = from.plus(-1);
        while remaining > 0 {
            end = end.plus(1);
            if !doc.on_leave(end) {
                remaining -= 1;
            }
        }
        let continued = Block {
            end: end.max(from.plus(-1)).max(b.start),
            ..b.clone()
        };
        if continued.end > inst.horizon().last {
            problems.push(format!(
                "doctor {}: the running block at {} ({}) would have to end in {} to make up for leave, after the horizon ends ({})",
                doc.id,
                inst.department_label(b.department),
                b.span(),
                continued.end,
                inst.horizon().last
            ));
        }
        if continued.end != b.end {
            split.extended.push((b.clone(), continued.clone()));
        }
        split.fixed.push(continued);
    }
    check_fixed_capacity(inst, &split.fixed, &split.extended, &mut problems);
    if problems.is_empty() {
        Ok(split)
    } else {
        Err(Error::Infeasible(problems.join("\n")))
    }
}

/// Blocks kept fixed must fit their departments: an extension into a full month is
/// explained (which doctor, which department, which months).
fn check_fixed_capacity(
    inst: &Instance,
    fixed: &[Block],
    extended: &[(Block, Block)],
    problems: &mut Vec<String>,
) {
    for (before, after) in extended {
        let doc = inst.doctor(after.doctor);
        let full: Vec<Month> = MonthRange::new(before.end.plus(1), after.end)
            .months()
            .filter(|&m| !doc.on_leave(m))
            .filter(|&m| {
                let here = fixed
                    .iter()
                    .filter(|b| b.department == after.department && b.span().contains(m))
                    .filter(|b| !inst.doctor(b.doctor).on_leave(m))
                    .count() as u32;
                here > inst.department(after.department).capacity_in(m)
            })
            .collect();
        if let (Some(first), Some(last)) = (full.first(), full.last()) {
            problems.push(format!(
                "doctor {}: the running block at {} must be extended to {} because of leave, but the department is full in {} month(s) between {first} and {last} with blocks that cannot move",
                doc.id,
                inst.department_label(after.department),
                after.end,
                full.len()
            ));
        }
    }
}

/// The requirement parts still to place once `fixed` blocks are counted: each fixed block
/// serves a part of its specialty if there is one, else an `any` part.
pub fn remaining_parts(inst: &Instance, fixed: &[Block]) -> Vec<Vec<RequirementPart>> {
    inst.doctor_ids()
        .map(|d| {
            let mut parts = inst.doctor(d).requirement.clone();
            let mut mine: Vec<&Block> = fixed.iter().filter(|b| b.doctor == d).collect();
            mine.sort_by_key(|b| b.start);
            for b in mine {
                let s = inst.department(b.department).specialty;
                let slot = parts
                    .iter()
                    .position(|p| p.specialty == Some(s) && p.calendar_months > 0)
                    .or_else(|| {
                        parts
                            .iter()
                            .position(|p| p.specialty.is_none() && p.calendar_months > 0)
                    });
                if let Some(i) = slot {
                    let p = &mut parts[i];
                    p.calendar_months = p.calendar_months.saturating_sub(b.months);
                    p.max_blocks = p.max_blocks.saturating_sub(1);
                    if p.calendar_months > 0 && p.max_blocks == 0 {
                        // The rest must still be served: allow one more block.
                        p.max_blocks = 1;
                    }
                    p.min_block = p.min_block.min(p.calendar_months.max(1));
                }
            }
            parts.retain(|p| p.calendar_months > 0);
            parts
        })
        .collect()
}

/// Change penalties against the previous plan's future blocks: keeping a block is free,
/// moving it in time at the same department costs `[replan] shift`, moving it elsewhere
/// costs `[replan] change_hospital`, and moving a block the hospital had accepted costs
/// `[replan] accepted` on top.
pub struct ChangePenalty {
    /// Previous future blocks per doctor, with whether each was accepted.
    previous: BTreeMap<DoctorId, Vec<(Block, bool)>>,
    shift: f64,
    change: f64,
    accepted: f64,
}

impl ChangePenalty {
    pub fn new(inst: &Instance, future: &[Block], locks: &[Lock]) -> ChangePenalty {
        let mut previous: BTreeMap<DoctorId, Vec<(Block, bool)>> = BTreeMap::new();
        for b in future {
            let accepted = locks.iter().any(|l| {
                l.doctor == b.doctor
                    && l.decision == Decision::Accept
                    && l.matches(inst.department(b.department), b.start, b.months)
            });
            previous
                .entry(b.doctor)
                .or_default()
                .push((b.clone(), accepted));
        }
        let w = &inst.settings.replan;
        ChangePenalty {
            previous,
            shift: w.shift,
            change: w.change_hospital,
            accepted: w.accepted,
        }
    }

    /// The cost of choosing candidate `c`, relative to the doctor's previous blocks.
    pub fn cost(&self, c: &Candidate) -> f64 {
        let Some(before) = self.previous.get(&c.doctor) else {
            return 0.0; // A doctor with nothing planned before: adding is not a change.
        };
        if before
            .iter()
            .any(|(b, _)| b.department == c.department && b.start == c.start && b.months == c.len)
        {
            return 0.0;
        }
        let accepted = if before.iter().any(|(_, a)| *a) {
            self.accepted
        } else {
            0.0
        };
        if before.iter().any(|(b, _)| b.department == c.department) {
            self.shift + accepted
        } else {
            self.change + accepted
        }
    }
}

/// A placement problem that keeps `split.fixed`, starts nothing before `from` and charges
/// for changes against `split.future`.
pub fn replan_problem<'a>(
    inst: &'a Instance,
    split: &Split,
    from: Option<Month>,
    locks: Vec<Lock>,
) -> Problem<'a> {
    let mut problem = Problem::new(inst);
    problem.parts = remaining_parts(inst, &split.fixed);
    problem.fixed = split.fixed.clone();
    problem.not_before = from;
    let penalty = ChangePenalty::new(inst, &split.future, &locks);
    problem.locks = locks;
    problem.extra_cost = Some(std::sync::Arc::new(move |c: &Candidate| penalty.cost(c)));
    problem.extra_cost_name = "changes";
    problem
}

/// The differences between the previous plan and the new one, per doctor: unchanged blocks
/// are not listed; the rest are paired as shifted (same department), moved (another
/// department), added or removed; running blocks extended around leave are listed too.
pub fn changes(previous: &[Block], split: &Split, new: &[Block]) -> Vec<Change> {
    let mut out = Vec::new();
    for (before, after) in &split.extended {
        out.push(Change {
            doctor: after.doctor,
            before: Some(before.stint()),
            after: Some(after.stint()),
            kind: ChangeKind::Extended,
        });
    }
    let mut doctors: Vec<DoctorId> = previous.iter().chain(new).map(|b| b.doctor).collect();
    doctors.sort();
    doctors.dedup();
    for d in doctors {
        let mut old: Vec<Block> = split
            .future
            .iter()
            .filter(|b| b.doctor == d)
            .cloned()
            .collect();
        let mut fresh: Vec<Block> = new
            .iter()
            .filter(|b| b.doctor == d && !split.fixed.iter().any(|f| f == *b))
            .cloned()
            .collect();
        // Unchanged blocks.
        old.retain(|b| {
            if let Some(i) = fresh
                .iter()
                .position(|n| n.department == b.department && n.start == b.start && n.end == b.end)
            {
                fresh.remove(i);
                false
            } else {
                true
            }
        });
        // Same department, other months.
        let mut rest_old = Vec::new();
        for b in old {
            if let Some(i) = fresh.iter().position(|n| n.department == b.department) {
                let n = fresh.remove(i);
                out.push(Change {
                    doctor: d,
                    before: Some(b.stint()),
                    after: Some(n.stint()),
                    kind: ChangeKind::Shifted,
                });
            } else {
                rest_old.push(b);
            }
        }
        // Elsewhere, paired in time order.
        let mut rest_new = fresh.into_iter();
        for b in rest_old {
            match rest_new.next() {
                Some(n) => out.push(Change {
                    doctor: d,
                    before: Some(b.stint()),
                    after: Some(n.stint()),
                    kind: ChangeKind::MovedHospital,
                }),
                None => out.push(Change {
                    doctor: d,
                    before: Some(b.stint()),
                    after: None,
                    kind: ChangeKind::Removed,
                }),
            }
        }
        for n in rest_new {
            out.push(Change {
                doctor: d,
                before: None,
                after: Some(n.stint()),
                kind: ChangeKind::Added,
            });
        }
    }
    out.sort_by_key(|a| (a.doctor, a.kind));
    out
}
