//! Hospital review sheets: `hospitals/<hospital-id>.csv`, one row per proposed block with an
//! empty `decision` column. Filled in by the hospital (`accept` / `reject`), they read back
//! as locks.

use crate::io::schema::{Schema, optional, read_only, required};
use crate::model::*;

/// A review sheet `hospitals/<hospital-id>.csv`: written with an empty `decision` and
/// `comment`, read back with only `doctor` and `decision` required (the hospital is the
/// one the file is named after; a `hospital` column is read when a sheet has one).
pub const SHEET: Schema = Schema {
    file: "hospitals/<hospital-id>.csv",
    columns: &[
        required("doctor"),
        optional("doctor_name"),
        optional("home_municipality"),
        read_only("hospital"),
        optional("specialty"),
        optional("start"),
        optional("end"),
        optional("months"),
        optional("commute_minutes"),
        required("decision"),
        optional("comment"),
    ],
};

/// One review sheet per hospital that receives proposals: (file name, CSV bytes). A block
/// the hospital has already accepted (an `accept` among the plan's review decisions naming
/// this hospital and matching the block) comes with `accept` filled in, so decisions carry
/// over to the next round of review.
pub fn review_sheets(inst: &Instance, plan: &Plan) -> Vec<(String, Vec<u8>)> {
    let locks = &plan.review;
    let mut out = Vec::new();
    for h in inst.hospital_ids() {
        let mut mine: Vec<&Block> = plan
            .proposals()
            .filter(|b| inst.department(b.department).hospital == h)
            .collect();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by_key(|b| (b.start, b.department, b.doctor));
        let rows = mine.iter().map(|b| {
            let doc = inst.doctor(b.doctor);
            vec![
                doc.id.clone(),
                doc.name.clone(),
                inst.municipality(doc.municipality).name.clone(),
                inst.specialty(inst.department(b.department).specialty)
                    .to_string(),
                b.start.to_string(),
                b.end.to_string(),
                b.months.to_string(),
                b.commute_minutes.to_string(),
                if accepted(inst, b, h, locks) {
                    "accept".to_string()
                } else {
                    String::new()
                },
                String::new(),
            ]
        });
        out.push((
            format!("hospitals/{}.csv", inst.hospital(h).id),
            SHEET.write(rows),
        ));
    }
    out
}

/// Whether hospital `h` has accepted block `b` already.
fn accepted(inst: &Instance, b: &Block, h: HospitalId, locks: &[Lock]) -> bool {
    locks.iter().any(|l| {
        l.doctor == b.doctor
            && l.decision == Decision::Accept
            && l.hospital == Some(h)
            && l.matches(inst.department(b.department), b.start, b.months)
    })
}

/// Read every review sheet `hospitals/<hospital-id>.csv` of folder `dir` (a plan folder
/// whose sheets the hospitals filled in) as locks: `accept` pins that block exactly,
/// `reject` forbids it, an empty decision leaves it free. Sheets that contradict each other
/// or the instance are reported with file and line.
pub fn read_decisions(inst: &Instance, dir: &std::path::Path) -> crate::Result<Vec<Lock>> {
    use crate::error::{Diagnostic, Diagnostics, Error};

    let sheets = dir.join("hospitals");
    let folder = if sheets.is_dir() {
        sheets
    } else {
        dir.to_path_buf()
    };
    let mut diags = Diagnostics::default();
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .map_err(|e| Error::io("read", &folder, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(Error::input(
            format!("decisions {}", dir.display()),
            vec![Diagnostic::file(
                &folder.display().to_string(),
                "missing-file",
                "no review sheets (hospitals/<hospital-id>.csv) found",
            )],
        ));
    }
    let mut locks = Vec::new();
    for name in names {
        let stem = name.trim_end_matches(".csv");
        let label = format!("hospitals/{name}");
        let Some(h) = inst.hospital_id(stem) else {
            diags.error(Diagnostic::file(&label, "unknown-reference", format!("'{stem}' is not a hospital in hospitals.csv; a review sheet is named after its hospital")));
            continue;
        };
        let bytes = std::fs::read(folder.join(&name))
            .map_err(|e| Error::io("read", folder.join(&name), e))?;
        if let Some(t) = SHEET.parse(&label, &bytes, &mut diags) {
            locks.extend(crate::io::locks::read_locks(inst, &t, Some(h), &mut diags));
        }
    }
    check_decisions(inst, &locks, &mut diags);
    if diags.has_errors() {
        return Err(Error::input(
            format!("review decisions in {}", dir.display()),
            diags.errors,
        ));
    }
    Ok(locks)
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
