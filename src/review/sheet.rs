//! The rows of a hospital's review sheet, shared by the CSV file and the workbook: one row
//! per block proposed at the hospital, with what the hospital needs to decide, the answer
//! it gave in an earlier round, and empty `decision` and `comment` cells to fill in.

use crate::i18n::{Messages, fill};
use crate::io::schema::{Schema, optional, read_only, required};
use crate::model::*;

/// A review sheet `hospitals/<hospital-id>.csv` (or `.xlsx`): written with the headers of
/// the plan's language, read back in either language with only `doctor` and `decision`
/// required (the hospital is the one the file is named after; a `hospital` column is read
/// when a sheet has one).
pub const SHEET: Schema = Schema {
    file: "hospitals/<hospital-id>.csv",
    columns: &[
        required("doctor"),
        optional("doctor_name"),
        optional("home_municipality"),
        read_only("hospital"),
        optional("scheme"),
        optional("fte"),
        optional("specialty"),
        optional("start"),
        optional("end"),
        optional("months"),
        optional("commute_minutes"),
        optional("relocate"),
        optional("previous"),
        required("decision"),
        optional("comment"),
    ],
};

/// One cell of a sheet.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(u32),
}

impl Value {
    pub(crate) fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Number(n) => n.to_string(),
        }
    }
}

/// One hospital's sheet: its rows in the order of [`SHEET`]'s written columns.
pub(crate) struct Sheet {
    pub hospital: HospitalId,
    pub rows: Vec<Vec<Value>>,
}

/// The headers of the sheet in the language of `t`.
pub(crate) fn headers(t: &Messages) -> Vec<&'static str> {
    SHEET.header().into_iter().map(|k| t.column(k)).collect()
}

/// One sheet per hospital that receives proposals, in hospital order; rows by start.
pub(crate) fn sheets(inst: &Instance, plan: &Plan) -> Vec<Sheet> {
    let t = inst.settings.language.t();
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
        let rows = mine.iter().map(|b| row(inst, plan, b, t)).collect();
        out.push(Sheet { hospital: h, rows });
    }
    out
}

fn row(inst: &Instance, plan: &Plan, b: &Block, t: &Messages) -> Vec<Value> {
    let doc = inst.doctor(b.doctor);
    let entry = plan.review.entry(b);
    let accepted = entry.is_some_and(|e| e.status == ReviewStatus::Accepted);
    use Value::{Number, Text};
    vec![
        Text(doc.id.clone()),
        Text(doc.name.clone()),
        Text(inst.municipality(doc.municipality).name.clone()),
        Text(t.scheme(doc.scheme).to_string()),
        Number(doc.fte),
        Text(
            inst.specialty(inst.department(b.department).specialty)
                .to_string(),
        ),
        Text(b.start.to_string()),
        Text(b.end.to_string()),
        Number(b.months),
        Number(b.commute_minutes),
        Text(t.yes_no(b.relocate).to_string()),
        Text(previous(inst, plan.review.round, entry, t)),
        Text(if accepted {
            t.decision(Decision::Accept).to_string()
        } else {
            String::new()
        }),
        Text(entry.map_or(String::new(), |e| e.comment.clone())),
    ]
}

/// What the hospital answered before, for the column `previous`.
pub(crate) fn previous(
    inst: &Instance,
    round: u32,
    entry: Option<&ReviewEntry>,
    t: &Messages,
) -> String {
    let Some(e) = entry else {
        return t.previous_new.to_string();
    };
    let answered = e.answered.as_ref().map_or(e.round, |a| a.round);
    match e.status {
        ReviewStatus::Proposed if e.round < round => {
            fill(t.previous_unanswered, &[("round", &e.round)])
        }
        ReviewStatus::Proposed => t.previous_new.to_string(),
        ReviewStatus::Accepted => fill(t.previous_accepted, &[("round", &answered)]),
        ReviewStatus::AcceptedChanged => fill(
            t.previous_changed,
            &[
                ("round", &answered),
                ("was", &e.was.map_or_else(String::new, |w| w.describe(inst))),
            ],
        ),
        ReviewStatus::Rejected => t.status_rejected.to_string(),
    }
}

/// The CSV file of a sheet: a UTF-8 byte-order mark, the headers of the plan's language,
/// and the language's separator (a semicolon for `nb`, see
/// [`crate::i18n::Lang::csv_delimiter`]).
pub(crate) fn csv_bytes(inst: &Instance, sheet: &Sheet) -> Vec<u8> {
    let lang = inst.settings.language;
    crate::io::schema::office_csv(
        lang.csv_delimiter(),
        &headers(lang.t()),
        sheet
            .rows
            .iter()
            .map(|r| r.iter().map(Value::text).collect::<Vec<_>>()),
    )
}
