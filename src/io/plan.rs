//! `placements.csv` and `groups.csv`: writing a plan, and reading one back (for `verify`,
//! `report` and `replan`) with located errors.

use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::io::table::{Columns, Table};
use crate::model::*;

pub const PLACEMENTS: &str = "placements.csv";
pub const GROUPS: &str = "groups.csv";

const PLACEMENT_HEADER: [&str; 8] = [
    "doctor",
    "hospital",
    "specialty",
    "start",
    "end",
    "months",
    "commute_minutes",
    "relocate",
];

const GROUP_HEADER: [&str; 5] = ["group", "venue", "supervisor", "doctor", "travel_minutes"];

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Write CSV rows (header first) into bytes.
pub fn csv_bytes<I, R, S>(header: &[&str], rows: I) -> Vec<u8>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)
        .expect("writing to memory cannot fail");
    for r in rows {
        w.write_record(r).expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// `placements.csv` for `blocks` (sorted by doctor and start).
pub fn placements_csv(inst: &Instance, blocks: &[Block]) -> Vec<u8> {
    let mut blocks = blocks.to_vec();
    sort_blocks(&mut blocks);
    csv_bytes(
        &PLACEMENT_HEADER,
        blocks.iter().map(|b| {
            let dept = inst.department(b.department);
            vec![
                inst.doctor(b.doctor).id.clone(),
                inst.hospital(dept.hospital).id.clone(),
                inst.specialty(dept.specialty).to_string(),
                b.start.to_string(),
                b.end.to_string(),
                b.months.to_string(),
                b.commute_minutes.to_string(),
                yes_no(b.relocate).to_string(),
            ]
        }),
    )
}

/// `groups.csv` for `groups`: one row per member.
pub fn groups_csv(inst: &Instance, groups: &[Group]) -> Vec<u8> {
    csv_bytes(
        &GROUP_HEADER,
        groups.iter().flat_map(|g| {
            g.members.iter().map(move |&(d, minutes)| {
                vec![
                    g.id.clone(),
                    inst.place(inst.venues[g.venue.index()].place).id.clone(),
                    inst.supervisors[g.supervisor.index()].id.clone(),
                    inst.doctor(d).id.clone(),
                    minutes.to_string(),
                ]
            })
        }),
    )
}

/// Read `placements.csv` of plan folder `dir` against `inst`.
pub fn read_placements(inst: &Instance, dir: &Path) -> Result<Vec<Block>> {
    let mut diags = Diagnostics::default();
    let blocks = read_placements_into(inst, dir, &mut diags);
    finish(dir, blocks, diags)
}

fn finish<T>(dir: &Path, value: Option<T>, diags: Diagnostics) -> Result<T> {
    match value {
        Some(v) if !diags.has_errors() => Ok(v),
        _ => Err(Error::input(
            format!("plan {}", dir.display()),
            diags.errors,
        )),
    }
}

/// Read `placements.csv`, recording problems in `diags`; `None` if the file is unusable.
pub fn read_placements_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<Block>> {
    // Every column is required: a missing commute or relocation would otherwise be read
    // as 0 minutes and "no" and reported as wrong facts.
    let cols = Columns {
        required: &PLACEMENT_HEADER,
        optional: &[],
    };
    let t = Table::read(dir, PLACEMENTS, cols, true, diags)?;
    let mut out = Vec::new();
    for row in t.rows() {
        let doctor = diags.take(row.reference("doctor", "doctor", |id| inst.doctor_id(id)));
        let hospital = diags.take(row.reference("hospital", "hospital", |id| inst.hospital_id(id)));
        let specialty =
            diags.take(row.reference("specialty", "specialty", |id| inst.specialty_id(id)));
        let start = diags.take(row.req::<Month>("start"));
        let end = diags.take(row.req::<Month>("end"));
        let months = diags.take(row.req::<u32>("months"));
        let commute = diags.take(row.req::<u32>("commute_minutes"));
        let relocate = diags.take(row.req::<bool>("relocate"));
        let (
            Some(doctor),
            Some(h),
            Some(s),
            Some(start),
            Some(end),
            Some(months),
            Some(commute),
            Some(relocate),
        ) = (
            doctor, hospital, specialty, start, end, months, commute, relocate,
        )
        else {
            continue;
        };
        if end < start {
            diags.error(row.error(
                "end",
                "range-order",
                format!("end {end} is before start {start}"),
            ));
            continue;
        }
        let Some(department) = inst.department_id(h, s) else {
            diags.error(row.error(
                "specialty",
                "unknown-reference",
                format!(
                    "hospital {} has no {} department",
                    inst.hospital(h).id,
                    inst.specialty(s)
                ),
            ));
            continue;
        };
        out.push(Block {
            doctor,
            department,
            start,
            end,
            months,
            commute_minutes: commute,
            relocate,
        });
    }
    Some(out)
}

/// Read `groups.csv` of plan folder `dir` against `inst`. Returns `Ok(None)` if the plan
/// has no groups file.
pub fn read_groups(inst: &Instance, dir: &Path) -> Result<Option<Vec<Group>>> {
    let mut diags = Diagnostics::default();
    if !dir.join(GROUPS).exists() {
        return Ok(None);
    }
    let groups = read_groups_into(inst, dir, &mut diags);
    finish(dir, groups, diags).map(Some)
}

/// Read `groups.csv`, recording problems in `diags`.
pub fn read_groups_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<Group>> {
    let cols = Columns {
        required: &GROUP_HEADER,
        optional: &[],
    };
    let t = Table::read(dir, GROUPS, cols, true, diags)?;
    let mut out: Vec<Group> = Vec::new();
    for row in t.rows() {
        let group = diags.take(row.id("group"));
        let venue = diags.take(row.id("venue").and_then(|id| {
            inst.venue_id(id).ok_or_else(|| {
                row.error(
                    "venue",
                    "unknown-reference",
                    format!("'{id}' is not a venue in venues.csv"),
                )
            })
        }));
        let supervisor =
            diags.take(row.reference("supervisor", "supervisor", |id| inst.supervisor_id(id)));
        let doctor = diags.take(row.reference("doctor", "doctor", |id| inst.doctor_id(id)));
        let minutes = diags.take(row.req::<u32>("travel_minutes"));
        let (Some(group), Some(venue), Some(supervisor), Some(doctor), Some(minutes)) =
            (group, venue, supervisor, doctor, minutes)
        else {
            continue;
        };
        match out.iter_mut().find(|g| g.id == group) {
            Some(g) => {
                if g.venue != venue || g.supervisor != supervisor {
                    diags.error(row.row_error(
                        "group-consistency",
                        format!(
                            "group {group} is given another venue or supervisor on an earlier line"
                        ),
                    ));
                    continue;
                }
                g.members.push((doctor, minutes));
            }
            None => out.push(Group {
                id: group.to_string(),
                venue,
                supervisor,
                members: vec![(doctor, minutes)],
            }),
        }
    }
    Some(out)
}

pub const UNPLACED: &str = "unplaced.csv";
const UNPLACED_HEADER: [&str; 4] = ["doctor", "specialty", "months", "reason"];

/// A requirement part the plan could not place, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unplaced {
    pub doctor: DoctorId,
    pub specialty: Option<SpecialtyId>,
    /// Calendar months left unplaced.
    pub months: u32,
    pub reason: String,
}

/// `unplaced.csv`: every requirement part the plan leaves unplaced, with the reason.
pub fn unplaced_csv(inst: &Instance, unplaced: &[Unplaced]) -> Vec<u8> {
    csv_bytes(
        &UNPLACED_HEADER,
        unplaced.iter().map(|u| {
            vec![
                inst.doctor(u.doctor).id.clone(),
                u.specialty
                    .map_or("any".to_string(), |s| inst.specialty(s).to_string()),
                u.months.to_string(),
                u.reason.clone(),
            ]
        }),
    )
}

/// Read `unplaced.csv` (absent = everyone placed).
pub fn read_unplaced_into(inst: &Instance, dir: &Path, diags: &mut Diagnostics) -> Vec<Unplaced> {
    let cols = Columns {
        required: &UNPLACED_HEADER[..1],
        optional: &UNPLACED_HEADER[1..],
    };
    let Some(t) = Table::read(dir, UNPLACED, cols, false, diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in t.rows() {
        let doctor = diags.take(row.reference("doctor", "doctor", |id| inst.doctor_id(id)));
        let specialty = match row.cell("specialty") {
            None | Some("any") => None,
            Some(s) => match inst.specialty_id(s) {
                Some(id) => Some(id),
                None => {
                    diags.error(row.error(
                        "specialty",
                        "unknown-reference",
                        format!("unknown specialty '{s}'"),
                    ));
                    None
                }
            },
        };
        let months = diags.take(row.opt::<u32>("months")).flatten().unwrap_or(0);
        if let Some(doctor) = doctor {
            out.push(Unplaced {
                doctor,
                specialty,
                months,
                reason: row.cell("reason").unwrap_or("").to_string(),
            });
        }
    }
    out
}

/// The month a re-plan started from, as recorded in the plan's `summary.json`.
pub fn read_replan_from(dir: &Path) -> Option<Month> {
    replan_from_into(dir, &mut Diagnostics::default())
}

/// The month a re-plan started from (`{"replan": {"from": "YYYY-MM"}}` in `summary.json`);
/// `None` for a plan made from scratch. A `summary.json` that cannot be read, or a
/// `replan.from` that is not a month, is an error: the plan's running blocks would
/// otherwise be checked as new ones.
fn replan_from_into(dir: &Path, diags: &mut Diagnostics) -> Option<Month> {
    const SUMMARY: &str = "summary.json";
    let path = dir.join(SUMMARY);
    if !path.exists() {
        return None;
    }
    let v: serde_json::Value = match std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            diags.error(Diagnostic::file(SUMMARY, "json-format", e));
            return None;
        }
    };
    let from = v.pointer("/replan/from")?;
    match from.as_str().map(str::parse::<Month>) {
        Some(Ok(m)) => Some(m),
        Some(Err(e)) => {
            diags.error(Diagnostic::file(
                SUMMARY,
                "month-format",
                format!("replan.from: {e}"),
            ));
            None
        }
        None => {
            diags.error(Diagnostic::file(
                SUMMARY,
                "month-format",
                format!("replan.from is {from}, not a month YYYY-MM"),
            ));
            None
        }
    }
}

/// Read a whole plan folder for checking.
/// A folder with `groups.csv` but no `placements.csv` (written by `alisplan groups`) is a
/// groups-only plan: its hospital service is not checked.
pub fn read_plan(inst: &Instance, dir: &Path) -> Result<crate::verify::PlanToCheck> {
    let mut diags = Diagnostics::default();
    let has_groups = dir.join(GROUPS).exists();
    let groups_only = has_groups && !dir.join(PLACEMENTS).exists();
    let blocks = if groups_only {
        Some(Vec::new())
    } else {
        read_placements_into(inst, dir, &mut diags)
    };
    let groups = if has_groups {
        read_groups_into(inst, dir, &mut diags)
    } else {
        None
    };
    let unplaced = read_unplaced_into(inst, dir, &mut diags);
    let replan_from = replan_from_into(dir, &mut diags);
    let blocks = finish(dir, blocks, diags)?;
    Ok(crate::verify::PlanToCheck {
        blocks,
        groups,
        unplaced: unplaced.into_iter().map(|u| (u.doctor, u.reason)).collect(),
        replan_from,
        groups_only,
    })
}
