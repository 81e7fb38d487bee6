//! Carrying the review ledger from round to round: the hospitals' answers are written into
//! the previous plan's ledger, the ledger's decisions become locks for the new plan, and
//! the new plan's blocks get their entries: an accepted block stays accepted while it is
//! unchanged, a block that replaces an accepted one is flagged for the hospital to confirm
//! again, and comments go with the block.

use super::read::Answer;
use crate::model::*;

/// Write the answers given on the sheets of round `round` into `ledger`: a decision sets
/// the block's status and who answered (an accept of a block accepted already keeps its
/// first answer), a comment replaces the block's comment. An answer that names a whole
/// block the ledger does not have (sheets from before the ledger, or made by hand) adds
/// an entry; an answer that names only part of a block stays a lock and adds none.
pub fn apply_answers(inst: &Instance, ledger: &mut Review, answers: &[Answer], round: u32) {
    for a in answers {
        let t = &a.target;
        let (Some(h), Some(s), Some(start), Some(months)) =
            (t.hospital, t.specialty, t.start, t.months)
        else {
            continue;
        };
        let Some(department) = inst.department_id(h, s) else {
            continue;
        };
        let at = ledger.entries.iter().position(|e| {
            e.doctor == t.doctor
                && e.department == department
                && e.start == start
                && e.months == months
        });
        let entry = match at {
            Some(i) => &mut ledger.entries[i],
            None => {
                ledger.entries.push(ReviewEntry {
                    doctor: t.doctor,
                    department,
                    start,
                    end: MonthRange::starting(start, months as i32).last,
                    months,
                    status: ReviewStatus::Proposed,
                    round,
                    answered: None,
                    comment: String::new(),
                    was: None,
                    source: a.source.clone(),
                });
                ledger.entries.last_mut().expect("just pushed")
            }
        };
        if let Some(d) = a.decision {
            let status = match d {
                Decision::Accept => ReviewStatus::Accepted,
                Decision::Reject => ReviewStatus::Rejected,
            };
            if entry.status != status {
                entry.status = status;
                entry.answered = Some(Answered {
                    sheet: a.sheet().to_string(),
                    round,
                });
                entry.source = a.source.clone();
                entry.was = None;
            }
        }
        if let Some(c) = &a.comment {
            entry.comment = c.clone();
        }
    }
    ledger.sort();
}

/// The locks the ledger holds: an `accept` of every accepted block and a `reject` of every
/// rejected one, each pointing at where it was decided.
pub fn ledger_locks(ledger: &Review, decision: Decision, inst: &Instance) -> Vec<Lock> {
    let status = match decision {
        Decision::Accept => ReviewStatus::Accepted,
        Decision::Reject => ReviewStatus::Rejected,
    };
    ledger
        .with_status(status)
        .map(|e| {
            let dept = inst.department(e.department);
            Lock {
                doctor: e.doctor,
                hospital: Some(dept.hospital),
                specialty: Some(dept.specialty),
                start: Some(e.start),
                months: Some(e.months),
                decision,
                source: e.source.clone(),
            }
        })
        .collect()
}

/// The ledger of a new plan of round `round` whose blocks are `blocks` (a re-plan from
/// `from` puts only the blocks from that month to review), starting from `ledger`:
///
/// - a block the ledger has keeps its entry (status, answer, comment);
/// - a new block of a doctor whose accepted block is gone replaces it: `accepted-changed`,
///   with the old block in `was` and its comment (same department first, then in time
///   order); a new block that replaces an unanswered one takes over its comment;
/// - any other new block is `proposed` in this round;
/// - rejected blocks stay in the ledger; an accepted block that is gone with nothing to
///   replace it stays as `accepted-changed`; unanswered blocks that are gone are dropped.
pub fn carry_forward(ledger: &Review, blocks: &[Block], from: Option<Month>, round: u32) -> Review {
    let mut old: Vec<ReviewEntry> = ledger.entries.clone();
    let mut entries = Vec::new();
    let mut fresh: Vec<&Block> = Vec::new();
    for b in blocks {
        match old
            .iter()
            .position(|e| e.is_block(b) && e.status != ReviewStatus::Rejected)
        {
            Some(i) => {
                let mut e = old.remove(i);
                e.end = b.end;
                entries.push(e);
            }
            None if from.is_none_or(|f| b.start >= f) => fresh.push(b),
            None => {}
        }
    }
    let accepted = |e: &ReviewEntry| {
        matches!(
            e.status,
            ReviewStatus::Accepted | ReviewStatus::AcceptedChanged
        )
    };
    let open = |e: &ReviewEntry| e.status == ReviewStatus::Proposed && !e.comment.is_empty();
    for b in fresh {
        let pick = |old: &[ReviewEntry], keep: &dyn Fn(&ReviewEntry) -> bool| {
            old.iter()
                .position(|e| e.doctor == b.doctor && keep(e) && e.department == b.department)
                .or_else(|| old.iter().position(|e| e.doctor == b.doctor && keep(e)))
        };
        let mut e = ReviewEntry {
            doctor: b.doctor,
            department: b.department,
            start: b.start,
            end: b.end,
            months: b.months,
            status: ReviewStatus::Proposed,
            round,
            answered: None,
            comment: String::new(),
            was: None,
            source: Source {
                file: crate::io::plan::REVIEW.file.to_string(),
                line: 0,
            },
        };
        if let Some(i) = pick(&old, &accepted) {
            let before = old.remove(i);
            e.status = ReviewStatus::AcceptedChanged;
            e.was = Some(before.was.unwrap_or_else(|| before.stint()));
            e.answered = before.answered;
            e.comment = before.comment;
        } else if let Some(i) = pick(&old, &open) {
            e.comment = old.remove(i).comment;
        }
        entries.push(e);
    }
    for mut e in old {
        match e.status {
            ReviewStatus::Rejected => entries.push(e),
            ReviewStatus::Accepted | ReviewStatus::AcceptedChanged => {
                e.was = Some(e.was.unwrap_or_else(|| e.stint()));
                e.status = ReviewStatus::AcceptedChanged;
                entries.push(e);
            }
            ReviewStatus::Proposed => {}
        }
    }
    let mut out = Review {
        round,
        deadline: ledger.deadline,
        entries,
    };
    out.sort();
    out
}

/// Blocks that an `accept` naming their hospital pins (a row of `locks.csv`, or a sheet's
/// accept of part of a block) count as accepted by that hospital, so that the sheets show
/// them as decided.
pub fn mark_locked_accepts(inst: &Instance, review: &mut Review, locks: &[Lock]) {
    for e in &mut review.entries {
        if e.status != ReviewStatus::Proposed {
            continue;
        }
        let dept = inst.department(e.department);
        if let Some(l) = locks.iter().find(|l| {
            l.doctor == e.doctor
                && l.decision == Decision::Accept
                && l.hospital == Some(dept.hospital)
                && l.matches(dept, e.start, e.months)
        }) {
            e.status = ReviewStatus::Accepted;
            e.answered = Some(Answered {
                sheet: l.source.file.clone(),
                round: e.round,
            });
            e.source = l.source.clone();
        }
    }
}
