//! Review decisions: `locks.csv`, and the rows of hospital review sheets read back as locks.

use crate::error::Diagnostics;
use crate::io::schema::{Schema, optional, required};
use crate::io::table::{Choices, Row, Table};
use crate::model::bounds;
use crate::model::*;

/// `locks.csv`: review decisions that apply to every run.
pub const LOCKS: Schema = Schema {
    file: "locks.csv",
    columns: &[
        required("doctor"),
        required("decision"),
        optional("hospital"),
        optional("specialty"),
        optional("start"),
        optional("months"),
    ],
};

/// The decision of a lock or of a filled-in review sheet row.
const DECISIONS: Choices<Decision> = Choices {
    what: "a decision",
    write: "accept or reject (or leave it empty)",
    rule: "decision",
    words: &[
        ("accept", Decision::Accept),
        ("accepted", Decision::Accept),
        ("reject", Decision::Reject),
        ("rejected", Decision::Reject),
    ],
};

/// Read the lock rows of `t`. Rows with an empty `decision` are skipped (a review sheet row
/// nobody has decided on yet). `hospital` fills an empty `hospital` cell (the hospital a
/// review sheet belongs to).
pub fn read_locks(
    inst: &Instance,
    t: &Table,
    hospital: Option<HospitalId>,
    diags: &mut Diagnostics,
) -> Vec<Lock> {
    t.rows()
        .filter(|row| row.cell("decision").is_some())
        .filter_map(|row| read_lock(inst, &row, t, hospital, diags))
        .collect()
}

fn read_lock(
    inst: &Instance,
    row: &Row,
    t: &Table,
    sheet_hospital: Option<HospitalId>,
    diags: &mut Diagnostics,
) -> Option<Lock> {
    let doctor = diags.take(row.id("doctor").and_then(|id| {
        inst.doctor_id(id).ok_or_else(|| {
            row.error(
                "doctor",
                "unknown-reference",
                format!("unknown doctor '{id}': it is not in doctors.csv"),
            )
        })
    }));
    let decision = diags.take(row.required_choice("decision", &DECISIONS));
    let hospital = match row.cell("hospital") {
        None => Some(sheet_hospital),
        Some(id) => match inst.hospital_id(id) {
            Some(h) if sheet_hospital.is_none_or(|s| s == h) => Some(Some(h)),
            Some(_) => {
                diags.error(row.error(
                    "hospital",
                    "sheet-hospital",
                    format!("'{id}' is not the hospital this review sheet belongs to"),
                ));
                None
            }
            None => {
                diags.error(row.error(
                    "hospital",
                    "unknown-reference",
                    format!("unknown hospital '{id}': it is not in hospitals.csv"),
                ));
                None
            }
        },
    };
    let specialty = match row.cell("specialty") {
        None | Some("any") => Some(None),
        Some(id) => match inst.specialty_id(id) {
            Some(s) => Some(Some(s)),
            None => {
                diags.error(row.error(
                    "specialty",
                    "unknown-reference",
                    format!("unknown specialty '{id}': no department in departments.csv has it"),
                ));
                None
            }
        },
    };
    let start = diags.take(row.opt::<Month>("start"));
    let months = diags.take(row.opt_in("months", &bounds::BLOCK_MONTHS));
    Some(Lock {
        doctor: doctor?,
        hospital: hospital?,
        specialty: specialty?,
        start: start?,
        months: months?,
        decision: decision?,
        source: Source {
            file: t.file.clone(),
            line: row.line,
        },
    })
}
