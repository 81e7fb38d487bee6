//! Hospital review sheets: `hospitals/<hospital-id>.csv`, one row per proposed block with an
//! empty `decision` column. Filled in by the hospital (`accept` / `reject`), they read back
//! as locks.

use crate::io::plan::csv_bytes;
use crate::model::*;

/// Columns of a review sheet.
pub const SHEET_HEADER: [&str; 10] = [
    "doctor",
    "doctor_name",
    "home_municipality",
    "specialty",
    "start",
    "end",
    "months",
    "commute_minutes",
    "decision",
    "comment",
];

/// One review sheet per hospital that receives proposals: (file name, CSV bytes).
pub fn review_sheets(inst: &Instance, blocks: &[Block]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for h in inst.hospital_ids() {
        let mut mine: Vec<&Block> = blocks
            .iter()
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
                String::new(),
                String::new(),
            ]
        });
        out.push((
            format!("hospitals/{}.csv", inst.hospital(h).id),
            csv_bytes(&SHEET_HEADER, rows),
        ));
    }
    out
}
