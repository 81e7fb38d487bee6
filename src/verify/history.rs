//! History in a re-plan: what started before the re-plan month stays as it was.

use super::Violation;
use crate::model::*;
use crate::rules::Rule;

/// History is frozen in a re-plan: every block of the `previous` plan that ended before
/// `from` is in the new plan unchanged, every block running at `from` continues at the same
/// department from the same start, and no new block starts before `from`.
pub fn history_frozen(
    inst: &Instance,
    previous: &[Block],
    new: &[Block],
    from: Month,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let violation = |b: &Block, message: String| Violation {
        rule: Rule::HistoryFrozen,
        doctor: Some(inst.doctor(b.doctor).id.clone()),
        hospital: Some(
            inst.hospital(inst.department(b.department).hospital)
                .id
                .clone(),
        ),
        month: Some(b.start),
        message,
    };
    for b in previous.iter().filter(|b| b.start < from) {
        let kept = new.iter().any(|n| {
            n.doctor == b.doctor
                && n.department == b.department
                && n.start == b.start
                && if b.end < from {
                    n.end == b.end
                } else {
                    n.end >= b.end
                }
        });
        if !kept {
            out.push(violation(
                b,
                format!(
                    "the block {} started before {from} and must be kept",
                    b.span()
                ),
            ));
        }
    }
    for n in new.iter().filter(|n| n.start < from) {
        if !previous
            .iter()
            .any(|b| b.doctor == n.doctor && b.department == n.department && b.start == n.start)
        {
            out.push(violation(
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
