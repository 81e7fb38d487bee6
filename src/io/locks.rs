//! Review decisions: `locks.csv`, and the rows of hospital review sheets read back as locks.

use crate::error::Diagnostics;
use crate::io::schema::{Schema, optional, required};
use crate::io::table::{Row, Table};
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

/// The block a lock or review-sheet row names: its doctor, and the hospital, specialty,
/// start and months where given (empty cells match anything).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub doctor: DoctorId,
    pub hospital: Option<HospitalId>,
    pub specialty: Option<SpecialtyId>,
    pub start: Option<Month>,
    pub months: Option<u32>,
}

impl Target {
    /// The lock that makes `decision` about this block.
    pub fn lock(&self, decision: Decision, source: Source) -> Lock {
        Lock {
            doctor: self.doctor,
            hospital: self.hospital,
            specialty: self.specialty,
            start: self.start,
            months: self.months,
            decision,
            source,
        }
    }
}

fn read_lock(
    inst: &Instance,
    row: &Row,
    t: &Table,
    sheet_hospital: Option<HospitalId>,
    diags: &mut Diagnostics,
) -> Option<Lock> {
    let target = read_target(inst, row, sheet_hospital, diags);
    let decision = read_decision(row, diags);
    Some(target?.lock(
        decision?,
        Source {
            file: t.file.clone(),
            line: row.line,
        },
    ))
}

/// The decision of a row: `accept` or `reject` in any language (see
/// [`crate::i18n::parse_decision`]); `None` (with an error) for anything else.
pub fn read_decision(row: &Row, diags: &mut Diagnostics) -> Option<Decision> {
    let word = diags.take(row.text("decision"))?;
    let decision = crate::i18n::parse_decision(word);
    if decision.is_none() {
        diags.error(row.error(
            "decision",
            "decision",
            format!(
                "'{word}' is not a decision: write accept or reject (godkjent or avslått; ja or nei), or leave it empty"
            ),
        ));
    }
    decision
}

/// The block row `row` names. `sheet_hospital` fills an empty `hospital` cell (the
/// hospital a review sheet belongs to) and must match a filled one.
pub fn read_target(
    inst: &Instance,
    row: &Row,
    sheet_hospital: Option<HospitalId>,
    diags: &mut Diagnostics,
) -> Option<Target> {
    let doctor = diags.take(row.id("doctor").and_then(|id| {
        inst.doctor_id(id).ok_or_else(|| {
            row.error(
                "doctor",
                "unknown-reference",
                format!("unknown doctor '{id}': it is not in doctors.csv"),
            )
        })
    }));
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
    Some(Target {
        doctor: doctor?,
        hospital: hospital?,
        specialty: specialty?,
        start: start?,
        months: months?,
    })
}
