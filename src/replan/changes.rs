//! The differences between the previous plan and the new one.

use super::split::Split;
use crate::model::*;

/// The differences between the previous plan and the new one, per doctor: blocks that
/// started before the re-plan month and changed (extended, ended early, interrupted), then
/// the future blocks, unchanged ones not listed and the rest paired as shifted (same
/// department), moved (another department), added or removed.
pub fn changes(split: &Split, new: &[Block]) -> Vec<Change> {
    let mut out: Vec<Change> = split
        .events
        .iter()
        .map(|e| Change {
            doctor: e.after.doctor,
            before: Some(e.before.stint()),
            after: Some(e.after.stint()),
            kind: e.kind,
        })
        .collect();
    let mut doctors: Vec<DoctorId> = split.future.iter().chain(new).map(|b| b.doctor).collect();
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
                out.push(change(d, Some(&b), Some(&n), ChangeKind::Shifted));
            } else {
                rest_old.push(b);
            }
        }
        // Elsewhere, paired in time order.
        let mut rest_new = fresh.into_iter();
        for b in rest_old {
            match rest_new.next() {
                Some(n) => out.push(change(d, Some(&b), Some(&n), ChangeKind::MovedHospital)),
                None => out.push(change(d, Some(&b), None, ChangeKind::Removed)),
            }
        }
        for n in rest_new {
            out.push(change(d, None, Some(&n), ChangeKind::Added));
        }
    }
    out.sort_by_key(|a| (a.doctor, a.kind));
    out
}

fn change(
    doctor: DoctorId,
    before: Option<&Block>,
    after: Option<&Block>,
    kind: ChangeKind,
) -> Change {
    Change {
        doctor,
        before: before.map(Block::stint),
        after: after.map(Block::stint),
        kind,
    }
}
