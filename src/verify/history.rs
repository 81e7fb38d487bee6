//! A re-plan against the plan it started from: what started before the re-plan month stays
//! as it was, the blocks of doctors who left are cancelled, and `changes.csv` lists exactly
//! what changed.

use std::collections::BTreeSet;

use super::Violation;
use crate::io::plan::Previous;
use crate::model::plan::DepartedChange;
use crate::model::*;
use crate::rules::Rule;

/// Every violation of the re-plan rules by `plan`, made from `previous` at month `from`.
pub fn history_frozen(
    inst: &Instance,
    previous: &Previous,
    plan: &Plan,
    from: Month,
) -> Vec<Violation> {
    let mut out = history_kept(inst, previous, plan, from);
    out.extend(leavers_accounted(inst, previous, plan, from));
    out.extend(changes_listed(inst, previous, plan));
    out
}

fn violation(inst: &Instance, rule: Rule, b: &Block, message: String) -> Violation {
    Violation {
        rule,
        doctor: Some(inst.doctor(b.doctor).id.clone()),
        hospital: Some(
            inst.hospital(inst.department(b.department).hospital)
                .id
                .clone(),
        ),
        month: Some(b.start),
        message,
    }
}

/// history_frozen: every block of the previous plan that ended before `from` is in the new
/// plan with the same dates and facts (its months of service drop only by leave reported
/// since); every block running at `from` continues at the same department from the same
/// start and covers every month before `from`; each counts at the fte it was served at;
/// and no new block starts before `from`.
fn history_kept(inst: &Instance, previous: &Previous, plan: &Plan, from: Month) -> Vec<Violation> {
    let mut out = Vec::new();
    for b in previous.blocks.iter().filter(|b| b.start < from) {
        let same = plan
            .blocks
            .iter()
            .find(|n| n.doctor == b.doctor && n.department == b.department && n.start == b.start);
        let Some(n) = same else {
            out.push(violation(
                inst,
                Rule::HistoryFrozen,
                b,
                format!(
                    "the block {} started before {from} and must be kept",
                    b.span()
                ),
            ));
            continue;
        };
        if b.end < from {
            if n.end != b.end || n.commute_minutes != b.commute_minutes || n.relocate != b.relocate
            {
                out.push(violation(
                    inst,
                    Rule::HistoryFrozen,
                    b,
                    format!(
                        "the block {} ended before {from}: its dates, commute and relocation are history, but the plan has {} ({} min, relocate {})",
                        b.span(),
                        n.span(),
                        n.commute_minutes,
                        if n.relocate { "yes" } else { "no" }
                    ),
                ));
            }
        } else if n.end < from.plus(-1) {
            out.push(violation(
                inst,
                Rule::HistoryFrozen,
                b,
                format!(
                    "the block {} was running at {from}, but the plan ends it in {}, before the months already served",
                    b.span(),
                    n.end
                ),
            ));
        }
        let (then, now) = (previous.fte_of(inst, b), plan.fte_of(inst, n));
        if then != now {
            out.push(violation(
                inst,
                Rule::HistoryFrozen,
                b,
                format!(
                    "the block {} was served at {then} % fte but the plan counts it at {now} %",
                    b.span()
                ),
            ));
        }
    }
    for n in plan.blocks.iter().filter(|n| n.start < from) {
        if !previous
            .blocks
            .iter()
            .any(|b| b.doctor == n.doctor && b.department == n.department && b.start == n.start)
        {
            out.push(violation(
                inst,
                Rule::HistoryFrozen,
                n,
                format!(
                    "the block {} starts before {from} but was not in the previous plan",
                    n.span()
                ),
            ));
        }
    }
    out
}

/// leavers_accounted: for each doctor of the previous plan who is no longer in
/// `doctors.csv`, every block starting at or after `from` is listed as cancelled and a
/// block running at `from` as ended in the month before; nothing else is listed for them.
fn leavers_accounted(
    inst: &Instance,
    previous: &Previous,
    plan: &Plan,
    from: Month,
) -> Vec<Violation> {
    let mut expected: Vec<(String, Stint, Option<Stint>, ChangeKind)> = Vec::new();
    for d in &previous.departed {
        for s in d.blocks.iter().filter(|s| s.span.last >= from) {
            expected.push(if s.span.first >= from {
                (d.id.clone(), *s, None, ChangeKind::Cancelled)
            } else {
                let served = Stint {
                    department: s.department,
                    span: MonthRange::new(s.span.first, from.plus(-1)),
                };
                (d.id.clone(), *s, Some(served), ChangeKind::EndedEarly)
            });
        }
    }
    let key = |c: &DepartedChange| (c.doctor.clone(), c.before, c.after, c.kind);
    let listed: Vec<_> = plan.departed.iter().map(key).collect();
    let mut out = Vec::new();
    let left = |doctor: &str, message: String| Violation {
        rule: Rule::LeaversAccounted,
        doctor: Some(doctor.to_string()),
        hospital: None,
        month: None,
        message,
    };
    for e in &expected {
        if !listed.contains(e) {
            out.push(left(
                &e.0,
                format!(
                    "left the programme, but changes.csv does not list the block {} as {}",
                    e.1.describe(inst),
                    e.3
                ),
            ));
        }
    }
    for l in &listed {
        if !expected.contains(l) {
            out.push(left(
                &l.0,
                format!(
                    "changes.csv lists the block {} as {}, but the previous plan has no such block of a doctor who left",
                    l.1.describe(inst),
                    l.3
                ),
            ));
        }
    }
    out
}

/// changes_listed: `changes.csv` names, for the doctors in `doctors.csv`, every block of
/// the previous plan that is not in the new plan as it was (same department, dates and
/// months), and every block of the new plan that was not in the previous one; and no
/// other block.
fn changes_listed(inst: &Instance, previous: &Previous, plan: &Plan) -> Vec<Violation> {
    let Some(changes) = &plan.changes else {
        return Vec::new();
    };
    type Key = (DoctorId, DepartmentId, Month, Month, u32);
    let key = |b: &Block| -> Key { (b.doctor, b.department, b.start, b.end, b.months) };
    let before: BTreeSet<Key> = previous.blocks.iter().map(key).collect();
    let after: BTreeSet<Key> = plan.blocks.iter().map(key).collect();
    let stint = |k: &Key| -> (DoctorId, Stint) {
        (
            k.0,
            Stint {
                department: k.1,
                span: MonthRange::new(k.2, k.3),
            },
        )
    };
    let gone: Vec<(DoctorId, Stint)> = before.difference(&after).map(stint).collect();
    let new: Vec<(DoctorId, Stint)> = after.difference(&before).map(stint).collect();
    let named_before: Vec<(DoctorId, Stint)> = changes
        .iter()
        .filter_map(|c| c.before.map(|s| (c.doctor, s)))
        .collect();
    let named_after: Vec<(DoctorId, Stint)> = changes
        .iter()
        .filter_map(|c| c.after.map(|s| (c.doctor, s)))
        .collect();
    let mut out = Vec::new();
    let mut report = |d: DoctorId, message: String| {
        out.push(Violation {
            rule: Rule::ChangesListed,
            doctor: Some(inst.doctor(d).id.clone()),
            hospital: None,
            month: None,
            message,
        })
    };
    for (d, s) in &gone {
        if !named_before.contains(&(*d, *s)) {
            report(
                *d,
                format!(
                    "the previous block {} is not in the plan as it was, but changes.csv does not list it",
                    s.describe(inst)
                ),
            );
        }
    }
    for (d, s) in &new {
        if !named_after.contains(&(*d, *s)) {
            report(
                *d,
                format!(
                    "the block {} was not in the previous plan as it is now, but changes.csv does not list it",
                    s.describe(inst)
                ),
            );
        }
    }
    for (d, s) in &named_before {
        if !gone.contains(&(*d, *s)) {
            report(
                *d,
                format!(
                    "changes.csv lists the previous block {} as changed, but it is in the plan unchanged (or was never there)",
                    s.describe(inst)
                ),
            );
        }
    }
    for (d, s) in &named_after {
        if !new.contains(&(*d, *s)) {
            report(
                *d,
                format!(
                    "changes.csv lists the block {} as new, but it was in the previous plan already (or is not in the plan)",
                    s.describe(inst)
                ),
            );
        }
    }
    out
}
