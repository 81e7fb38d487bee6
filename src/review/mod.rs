//! The review round: each hospital gets the blocks proposed at it as a sheet, both as
//! `hospitals/<hospital-id>.xlsx` (a workbook with a drop-down list for the decision) and
//! as `hospitals/<hospital-id>.csv`, in the plan's language; it writes `accept` or
//! `reject` (`godkjent` / `avslått`) and a comment on each row. The returned sheets read
//! back ([`read_answers`]) in either format and language, and the plan folder's ledger
//! (`review.csv`, [`crate::model::Review`]) remembers every decision and comment from round
//! to round ([`ledger`]).

pub mod ledger;
mod read;
mod sheet;
mod workbook;

pub use read::{Answer, read_answers};
pub use sheet::SHEET;

use crate::error::Result;
use crate::model::*;

/// One review sheet per hospital that receives proposals, as (file name, bytes): the
/// workbook `hospitals/<id>.xlsx` and the CSV file `hospitals/<id>.csv` with the same
/// rows. A block the hospital accepted comes with the decision filled in, and every block
/// shows the answer and comment given in earlier rounds, so decisions carry over.
pub fn review_sheets(inst: &Instance, plan: &Plan) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for s in sheet::sheets(inst, plan) {
        let id = &inst.hospital(s.hospital).id;
        out.push((
            format!("hospitals/{id}.xlsx"),
            workbook::workbook_bytes(inst, plan, &s)?,
        ));
        out.push((format!("hospitals/{id}.csv"), sheet::csv_bytes(inst, &s)));
    }
    Ok(out)
}

/// Accepted blocks must be possible together: one doctor's accepted blocks may not
/// overlap or exceed their requirement, a department may not be accepted beyond its slots,
/// and a block may not be both accepted and rejected.
pub fn check_decisions(inst: &Instance, locks: &[Lock], diags: &mut crate::error::Diagnostics) {
    use crate::error::Diagnostic;
    use std::collections::BTreeMap;

    let accepts: Vec<&Lock> = locks
        .iter()
        .filter(|l| l.decision == Decision::Accept)
        .collect();
    let span =
        |l: &Lock| -> Option<MonthRange> { Some(MonthRange::starting(l.start?, l.months? as i32)) };
    let at = |l: &Lock, rule: &'static str, msg: String| {
        Diagnostic::line(&l.source.file, l.source.line, rule, msg)
    };
    for (i, a) in accepts.iter().enumerate() {
        for b in &accepts[..i] {
            if a.doctor != b.doctor {
                continue;
            }
            if let (Some(x), Some(y)) = (span(a), span(b))
                && x.overlap(&y) > 0
            {
                diags.error(at(a, "accepted-overlap", format!(
                        "doctor {} is accepted for {x} here and for {y} in {}: a doctor is in one department at a time",
                        inst.doctor(a.doctor).id, b.source)));
            }
        }
        let total: u32 = accepts
            .iter()
            .filter(|l| l.doctor == a.doctor)
            .filter_map(|l| l.months)
            .sum();
        let need = inst.doctor(a.doctor).required_calendar_months();
        let mine: Vec<&&Lock> = accepts.iter().filter(|l| l.doctor == a.doctor).collect();
        if total > need && std::ptr::eq(*mine[mine.len() - 1], *a) {
            diags.error(at(
                a,
                "accepted-beyond-requirement",
                format!(
                    "doctor {} is accepted for {total} months in all but needs {need}",
                    inst.doctor(a.doctor).id
                ),
            ));
        }
        if locks.iter().any(|r| {
            r.decision == Decision::Reject
                && r.doctor == a.doctor
                && r.hospital == a.hospital
                && r.specialty == a.specialty
                && r.start == a.start
                && r.months == a.months
        }) {
            diags.error(at(
                a,
                "accept-and-reject",
                format!(
                    "the same block of doctor {} is both accepted and rejected",
                    inst.doctor(a.doctor).id
                ),
            ));
        }
    }
    // Capacity: accepted blocks per department and month.
    let mut load: BTreeMap<(DepartmentId, Month), Vec<&Lock>> = BTreeMap::new();
    for l in &accepts {
        let (Some(h), Some(s), Some(range)) = (l.hospital, l.specialty, span(l)) else {
            continue;
        };
        let Some(k) = inst.department_id(h, s) else {
            continue;
        };
        for m in range.months() {
            load.entry((k, m)).or_default().push(l);
        }
    }
    let mut reported = std::collections::BTreeSet::new();
    for ((k, m), who) in load {
        let cap = inst.department(k).capacity_in(m);
        if who.len() as u32 > cap {
            let last = who[who.len() - 1];
            if reported.insert((last.source.file.clone(), last.source.line)) {
                diags.error(at(
                    last,
                    "accepted-beyond-capacity",
                    format!(
                        "{} has {cap} slot(s) in {m} but {} blocks are accepted there",
                        inst.department_label(k),
                        who.len()
                    ),
                ));
            }
        }
    }
}
