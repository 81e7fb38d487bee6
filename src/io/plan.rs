//! The files of a plan folder: `placements.csv`, `groups.csv`, `unplaced.csv`,
//! `changes.csv`, the review ledger `review.csv` and `summary.json`. Each file's columns are defined once ([`Schema`]) and
//! used by its writer and its reader; [`read_plan`] reads a whole folder back into a
//! [`Plan`] with located errors (for `verify`, `report` and `replan`).

use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::io::schema::{Schema, optional, required};
use crate::io::table::Row;
use crate::model::*;
use crate::summary::Summary;

/// `placements.csv`: one row per hospital block. Every column is required: a missing
/// commute or relocation would otherwise be read as 0 minutes and "no" and reported as
/// wrong facts.
pub const PLACEMENTS: Schema = Schema {
    file: "placements.csv",
    columns: &[
        required("doctor"),
        required("hospital"),
        required("specialty"),
        required("start"),
        required("end"),
        required("months"),
        required("commute_minutes"),
        required("relocate"),
    ],
};

/// `groups.csv`: one row per group member.
pub const GROUPS: Schema = Schema {
    file: "groups.csv",
    columns: &[
        required("group"),
        required("venue"),
        required("supervisor"),
        required("doctor"),
        required("travel_minutes"),
    ],
};

/// `unplaced.csv`: every requirement part the plan leaves unplaced, with the reason.
pub const UNPLACED: Schema = Schema {
    file: "unplaced.csv",
    columns: &[
        required("doctor"),
        optional("specialty"),
        optional("months"),
        optional("reason"),
    ],
};

/// `changes.csv` (and the files under `notify/`): what changed against the previous plan.
pub const CHANGES: Schema = Schema {
    file: "changes.csv",
    columns: &[
        required("doctor"),
        optional("before"),
        optional("after"),
        required("kind"),
    ],
};

/// `review.csv`: the review ledger, one row per block put to review (and per rejected
/// block no longer in the plan).
pub const REVIEW: Schema = Schema {
    file: "review.csv",
    columns: &[
        required("doctor"),
        required("hospital"),
        required("specialty"),
        required("start"),
        required("end"),
        required("months"),
        required("status"),
        required("round"),
        optional("answered_round"),
        optional("sheet"),
        optional("comment"),
        optional("was"),
    ],
};

/// The solve summary of a plan folder.
pub const SUMMARY: &str = "summary.json";

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// `placements.csv` for `blocks` (sorted by doctor and start).
pub fn placements_csv(inst: &Instance, blocks: &[Block]) -> Vec<u8> {
    let mut blocks = blocks.to_vec();
    sort_blocks(&mut blocks);
    PLACEMENTS.write(blocks.iter().map(|b| {
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
    }))
}

/// `groups.csv` for `groups`: one row per member.
pub fn groups_csv(inst: &Instance, groups: &[Group]) -> Vec<u8> {
    GROUPS.write(groups.iter().flat_map(|g| {
        g.members.iter().map(move |&(d, minutes)| {
            vec![
                g.id.clone(),
                inst.place(inst.venues[g.venue.index()].place).id.clone(),
                inst.supervisors[g.supervisor.index()].id.clone(),
                inst.doctor(d).id.clone(),
                minutes.to_string(),
            ]
        })
    }))
}

/// `unplaced.csv`: every requirement part the plan leaves unplaced, with the reason.
pub fn unplaced_csv(inst: &Instance, unplaced: &[Unplaced]) -> Vec<u8> {
    UNPLACED.write(unplaced.iter().map(|u| {
        vec![
            inst.doctor(u.doctor).id.clone(),
            u.specialty
                .map_or("any".to_string(), |s| inst.specialty(s).to_string()),
            u.months.to_string(),
            u.reason.clone(),
        ]
    }))
}

/// `changes.csv`: `doctor,before,after,kind`.
pub fn changes_csv(inst: &Instance, changes: &[Change]) -> Vec<u8> {
    let describe = |s: &Option<Stint>| s.as_ref().map_or(String::new(), |s| s.describe(inst));
    CHANGES.write(changes.iter().map(|c| {
        vec![
            inst.doctor(c.doctor).id.clone(),
            describe(&c.before),
            describe(&c.after),
            c.kind.name().to_string(),
        ]
    }))
}

/// `review.csv`: the ledger's entries, by doctor and start.
pub fn review_csv(inst: &Instance, review: &Review) -> Vec<u8> {
    let mut review = review.clone();
    review.sort();
    REVIEW.write(review.entries.iter().map(|e| {
        let dept = inst.department(e.department);
        vec![
            inst.doctor(e.doctor).id.clone(),
            inst.hospital(dept.hospital).id.clone(),
            inst.specialty(dept.specialty).to_string(),
            e.start.to_string(),
            e.end.to_string(),
            e.months.to_string(),
            e.status.name().to_string(),
            e.round.to_string(),
            e.answered
                .as_ref()
                .map_or(String::new(), |a| a.round.to_string()),
            e.answered
                .as_ref()
                .map_or(String::new(), |a| a.sheet.clone()),
            e.comment.clone(),
            e.was.map_or(String::new(), |w| w.describe(inst)),
        ]
    }))
}

/// Read the review ledger of plan folder `dir`: `review.csv` and the round recorded in
/// `summary.json`. `Ok(None)` when the folder has no ledger (a plan made before ledgers,
/// or a folder of returned sheets alone).
pub fn read_review(inst: &Instance, dir: &Path) -> Result<Option<Review>> {
    if !dir.join(REVIEW.file).exists() {
        return Ok(None);
    }
    let mut diags = Diagnostics::default();
    let entries = read_review_into(inst, dir, &mut diags);
    let summary = read_summary_into(dir, &mut diags);
    let entries = finish(dir, entries, diags)?;
    Ok(Some(review_of(entries, summary.as_ref())))
}

/// The ledger of `entries` with the round and deadline recorded in `summary` (else the
/// latest round the entries name).
fn review_of(entries: Vec<ReviewEntry>, summary: Option<&Summary>) -> Review {
    let section = summary.and_then(|s| s.get("review"));
    let latest = entries
        .iter()
        .flat_map(|e| std::iter::once(e.round).chain(e.answered.as_ref().map(|a| a.round)))
        .max();
    let round = section
        .and_then(|r| r.get("round"))
        .and_then(serde_json::Value::as_u64)
        .map(|r| r as u32)
        .or(latest)
        .unwrap_or(1)
        .max(1);
    let deadline = section
        .and_then(|r| r.get("deadline"))
        .and_then(serde_json::Value::as_str)
        .and_then(|d| d.parse().ok());
    Review {
        round,
        deadline,
        entries,
    }
}

/// Read `review.csv` (absent: no entries), recording problems.
fn read_review_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<ReviewEntry>> {
    let t = REVIEW.read(dir, false, diags)?;
    let mut out = Vec::new();
    for row in t.rows() {
        let place = read_place(inst, &row, diags);
        let round = diags.take(row.req::<u32>("round"));
        let answered_round = diags.take(row.opt::<u32>("answered_round"));
        let status = diags.take(row.text("status").and_then(|k| {
            ReviewStatus::parse(k).ok_or_else(|| {
                row.error(
                    "status",
                    "review-status",
                    format!(
                        "'{k}' is not a review status; use one of {}",
                        ReviewStatus::ALL.map(ReviewStatus::name).join(", ")
                    ),
                )
            })
        }));
        let was = match row.cell("was") {
            None => Some(None),
            Some(text) => diags
                .take(Stint::parse(inst, text).map_err(|why| row.error("was", "change-block", why)))
                .map(Some),
        };
        let (Some(p), Some(round), Some(answered_round), Some(status), Some(was)) =
            (place, round, answered_round, status, was)
        else {
            continue;
        };
        out.push(ReviewEntry {
            doctor: p.doctor,
            department: p.department,
            start: p.start,
            end: p.end,
            months: p.months,
            status,
            round,
            answered: answered_round.map(|round| Answered {
                sheet: row.cell("sheet").unwrap_or("").to_string(),
                round,
            }),
            comment: row.cell("comment").unwrap_or("").to_string(),
            was,
            source: Source {
                file: REVIEW.file.to_string(),
                line: row.line,
            },
        });
    }
    Some(out)
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
fn read_placements_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<Block>> {
    let t = PLACEMENTS.read(dir, true, diags)?;
    let mut out = Vec::new();
    for row in t.rows() {
        let place = read_place(inst, &row, diags);
        let commute = diags.take(row.req::<u32>("commute_minutes"));
        let relocate = diags.take(row.req::<bool>("relocate"));
        let (Some(p), Some(commute), Some(relocate)) = (place, commute, relocate) else {
            continue;
        };
        out.push(Block {
            doctor: p.doctor,
            department: p.department,
            start: p.start,
            end: p.end,
            months: p.months,
            commute_minutes: commute,
            relocate,
        });
    }
    Some(out)
}

/// Where and when a row of `placements.csv` or `review.csv` puts a doctor.
struct Placed {
    doctor: DoctorId,
    department: DepartmentId,
    start: Month,
    end: Month,
    months: u32,
}

/// The doctor, department (`hospital` and `specialty`), `start`, `end` and `months` of a
/// row, each checked against the instance; `None` (errors recorded) if any is wrong.
fn read_place(inst: &Instance, row: &Row, diags: &mut Diagnostics) -> Option<Placed> {
    let doctor = diags.take(row.reference("doctor", "doctor", |id| inst.doctor_id(id)));
    let hospital = diags.take(row.reference("hospital", "hospital", |id| inst.hospital_id(id)));
    let specialty = diags.take(row.reference("specialty", "specialty", |id| inst.specialty_id(id)));
    let start = diags.take(row.req::<Month>("start"));
    let end = diags.take(row.req::<Month>("end"));
    let months = diags.take(row.req::<u32>("months"));
    let (Some(doctor), Some(h), Some(s), Some(start), Some(end), Some(months)) =
        (doctor, hospital, specialty, start, end, months)
    else {
        return None;
    };
    if end < start {
        diags.error(row.error(
            "end",
            "range-order",
            format!("end {end} is before start {start}"),
        ));
        return None;
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
        return None;
    };
    Some(Placed {
        doctor,
        department,
        start,
        end,
        months,
    })
}

/// Read `groups.csv` of plan folder `dir` against `inst`. Returns `Ok(None)` if the plan
/// has no groups file.
pub fn read_groups(inst: &Instance, dir: &Path) -> Result<Option<Vec<Group>>> {
    let mut diags = Diagnostics::default();
    if !dir.join(GROUPS.file).exists() {
        return Ok(None);
    }
    let groups = read_groups_into(inst, dir, &mut diags);
    finish(dir, groups, diags).map(Some)
}

/// Read `groups.csv`, recording problems in `diags`.
fn read_groups_into(inst: &Instance, dir: &Path, diags: &mut Diagnostics) -> Option<Vec<Group>> {
    let t = GROUPS.read(dir, true, diags)?;
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

/// Read `unplaced.csv` (absent = everyone placed).
fn read_unplaced_into(inst: &Instance, dir: &Path, diags: &mut Diagnostics) -> Vec<Unplaced> {
    let Some(t) = UNPLACED.read(dir, false, diags) else {
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

/// Read `changes.csv` (`None` when absent), recording problems.
fn read_changes_into(inst: &Instance, dir: &Path, diags: &mut Diagnostics) -> Option<Vec<Change>> {
    let t = CHANGES.read(dir, false, diags)?;
    let mut out = Vec::new();
    for row in t.rows() {
        let doctor = diags.take(row.reference("doctor", "doctor", |id| inst.doctor_id(id)));
        let kind = diags.take(row.text("kind").and_then(|k| {
            ChangeKind::parse(k).ok_or_else(|| {
                row.error(
                    "kind",
                    "change-kind",
                    format!(
                        "'{k}' is not a kind of change; use one of {}",
                        ChangeKind::ALL.map(ChangeKind::name).join(", ")
                    ),
                )
            })
        }));
        let mut stint = |col: &str| match row.cell(col) {
            None => None,
            Some(text) => diags
                .take(Stint::parse(inst, text).map_err(|why| row.error(col, "change-block", why))),
        };
        let (before, after) = (stint("before"), stint("after"));
        if let (Some(doctor), Some(kind)) = (doctor, kind) {
            out.push(Change {
                doctor,
                before,
                after,
                kind,
            });
        }
    }
    Some(out)
}

/// Read `summary.json` of plan folder `dir` (`None` when absent).
fn read_summary_into(dir: &Path, diags: &mut Diagnostics) -> Option<Summary> {
    let path = dir.join(SUMMARY);
    if !path.exists() {
        return None;
    }
    let parsed = std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|b| Summary::from_slice(&b));
    match parsed {
        Ok(s) => Some(s),
        Err(e) => {
            diags.error(Diagnostic::file(SUMMARY, "json-format", e));
            None
        }
    }
}

/// The month a re-plan started from (`{"replan": {"from": "YYYY-MM"}}` in `summary.json`);
/// `None` for a plan made from scratch. A `replan.from` that is not a month is an error:
/// the plan's running blocks would otherwise be checked as new ones.
fn replan_from_into(summary: Option<&Summary>, diags: &mut Diagnostics) -> Option<Month> {
    let from = summary?.get("replan")?.get("from")?;
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

/// Read a whole plan folder: `placements.csv`, `groups.csv`, `unplaced.csv`, `changes.csv`,
/// `review.csv` and `summary.json`, each with located errors. A folder with `groups.csv` but no
/// `placements.csv` (written by `alisplan groups`) is a groups-only plan.
pub fn read_plan(inst: &Instance, dir: &Path) -> Result<(Plan, Option<Summary>)> {
    let mut diags = Diagnostics::default();
    let has_groups = dir.join(GROUPS.file).exists();
    let groups_only = has_groups && !dir.join(PLACEMENTS.file).exists();
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
    let changes = read_changes_into(inst, dir, &mut diags);
    let summary = read_summary_into(dir, &mut diags);
    let replan_from = replan_from_into(summary.as_ref(), &mut diags);
    let entries = read_review_into(inst, dir, &mut diags).unwrap_or_default();
    let blocks = finish(dir, blocks, diags)?;
    let review = review_of(entries, summary.as_ref());
    let plan = Plan {
        blocks,
        unplaced,
        groups,
        groups_only,
        replan_from,
        changes,
        review,
    };
    Ok((plan, summary))
}
