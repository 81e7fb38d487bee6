//! The files of a plan folder: `placements.csv`, `groups.csv`, `unplaced.csv`,
//! The files of a plan folder: `placements.csv`, `groups.csv`, `unplaced.csv`,
//! `changes.csv`, `group_changes.csv`, `roster.csv`, the review ledger `review.csv` and
//! `summary.json`. Each file's columns are defined once ([`Schema`]) and used by its
//! writer and its reader; [`read_plan`] reads a whole folder back into a [`Plan`] with
//! located errors (for `verify` and `report`), and [`read_previous`] reads the plan a
//! re-plan starts from, where a doctor no longer in `doctors.csv` is a leaver, not an
//! error.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::io::schema::{Schema, csv_bytes, optional, read_only, required};
use crate::io::table::Row;
use crate::model::plan::{BlockTerms, DepartedChange, GroupChange, Terms};
use crate::model::roster::RosterEntry;
use crate::model::*;
use crate::summary::Summary;

/// `placements.csv`: one row per hospital block. Every written column is required: a
/// missing commute or relocation would otherwise be read as 0 minutes and "no" and
/// reported as wrong facts. `fte` and `completes` are written only for a plan that has a
/// block served on other terms than the instance gives today ([`BlockTerms`]): a block
/// served before the doctor's fte changed, or a block making up months another lost.
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
        read_only("fte"),
        read_only("completes"),
    ],
};

/// The columns of `placements.csv` written only when some block has [`BlockTerms`].
const TERM_COLUMNS: [&str; 2] = ["fte", "completes"];

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

/// `group_changes.csv` (a re-plan): who joined, left or moved between guidance groups.
pub const GROUP_CHANGES: Schema = Schema {
    file: "group_changes.csv",
    columns: &[
        required("doctor"),
        optional("before"),
        optional("after"),
        required("kind"),
    ],
};

/// `roster.csv`: every doctor as the instance described them when the plan was made, so
/// that a re-plan can tell who joined, who left and whose facts changed.
pub const ROSTER: Schema = Schema {
    file: "roster.csv",
    columns: &[
        required("doctor"),
        optional("name"),
        required("municipality"),
        required("scheme"),
        required("fte"),
        required("earliest"),
        required("latest_end"),
        required("hospital_months"),
        optional("group_from"),
        required("group"),
    ],
};

/// The solve summary of a plan folder.
pub const SUMMARY: &str = "summary.json";

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// `placements.csv` for `blocks` (sorted by doctor and start).
pub fn placements_csv(inst: &Instance, blocks: &[Block]) -> Vec<u8> {
    placements_csv_with(inst, blocks, &Terms::new())
}

/// `placements.csv` of `plan`, with the `fte` and `completes` columns when some block
/// is served on other terms than the instance gives.
pub fn plan_placements_csv(inst: &Instance, plan: &Plan) -> Vec<u8> {
    placements_csv_with(inst, &plan.blocks, &plan.terms)
}

fn placements_csv_with(inst: &Instance, blocks: &[Block], terms: &Terms) -> Vec<u8> {
    let mut blocks = blocks.to_vec();
    sort_blocks(&mut blocks);
    let mut header = PLACEMENTS.header();
    let with_terms = !terms.is_empty();
    if with_terms {
        header.extend(TERM_COLUMNS);
    }
    csv_bytes(
        &header,
        blocks.iter().map(|b| {
            let dept = inst.department(b.department);
            let mut row = vec![
                inst.doctor(b.doctor).id.clone(),
                inst.hospital(dept.hospital).id.clone(),
                inst.specialty(dept.specialty).to_string(),
                b.start.to_string(),
                b.end.to_string(),
                b.months.to_string(),
                b.commute_minutes.to_string(),
                yes_no(b.relocate).to_string(),
            ];
            if with_terms {
                let t = terms.get(&(b.doctor, b.start)).copied().unwrap_or_default();
                row.push(t.fte.map_or(String::new(), |f| f.to_string()));
                row.push(t.completes.map_or(String::new(), |m| m.to_string()));
            }
            row
        }),
    )
}

/// `roster.csv`: every doctor of `inst`.
pub fn roster_csv(inst: &Instance) -> Vec<u8> {
    ROSTER.write(crate::model::roster::snapshot(inst).into_iter().map(|e| {
        vec![
            e.doctor,
            e.name,
            e.municipality,
            e.scheme.to_string(),
            e.fte.to_string(),
            e.earliest.to_string(),
            e.latest_end.to_string(),
            e.hospital_months.to_string(),
            e.group_from.map_or(String::new(), |m| m.to_string()),
            yes_no(e.group).to_string(),
        ]
    }))
}

/// `group_changes.csv`: `doctor,before,after,kind`.
pub fn group_changes_csv(changes: &[GroupChange]) -> Vec<u8> {
    GROUP_CHANGES.write(changes.iter().map(|c| {
        vec![
            c.doctor.clone(),
            c.before.clone().unwrap_or_default(),
            c.after.clone().unwrap_or_default(),
            c.kind().to_string(),
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

/// `changes.csv`: `doctor,before,after,kind`; the changes of doctors in the roster, then
/// those of doctors who left it.
pub fn changes_csv(inst: &Instance, changes: &[Change], departed: &[DepartedChange]) -> Vec<u8> {
    let describe = |s: Option<&Stint>| s.map_or(String::new(), |s| s.describe(inst));
    let roster = changes.iter().map(|c| {
        vec![
            inst.doctor(c.doctor).id.clone(),
            describe(c.before.as_ref()),
            describe(c.after.as_ref()),
            c.kind.name().to_string(),
        ]
    });
    let left = departed.iter().map(|c| {
        vec![
            c.doctor.clone(),
            describe(Some(&c.before)),
            describe(c.after.as_ref()),
            c.kind.name().to_string(),
        ]
    });
    CHANGES.write(roster.chain(left))
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

/// Read the review ledger of plan folder `dir` (an earlier plan a new one is built on):
/// `review.csv` and the round recorded in `summary.json`. `Ok(None)` when the folder has no
/// ledger (a plan made before ledgers, or a folder of returned sheets alone). Entries of a
/// doctor no longer in `doctors.csv` are left out: the doctor left the programme, and
/// their blocks are cancelled or ended by the re-plan.
pub fn read_review(inst: &Instance, dir: &Path) -> Result<Option<Review>> {
    if !dir.join(REVIEW.file).exists() {
        return Ok(None);
    }
    let mut diags = Diagnostics::default();
    let entries = read_review_into(inst, dir, &mut diags, true);
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

/// Read `review.csv` (absent: no entries), recording problems. With `leavers`, a row of a
/// doctor not in `doctors.csv` is skipped instead of being an error.
fn read_review_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
    leavers: bool,
) -> Option<Vec<ReviewEntry>> {
    let t = REVIEW.read(dir, false, diags)?;
    let mut out = Vec::new();
    for row in t.rows() {
        if leavers && is_leaver(inst, &row) {
            continue;
        }
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
    let blocks = read_placements_into(inst, dir, &mut diags, None);
    finish(dir, blocks.map(|(b, _)| b), diags)
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

/// Where a block row stands: its department and months.
fn read_stint(inst: &Instance, row: &Row, diags: &mut Diagnostics) -> Option<Stint> {
    let hospital = diags.take(row.reference("hospital", "hospital", |id| inst.hospital_id(id)));
    let specialty = diags.take(row.reference("specialty", "specialty", |id| inst.specialty_id(id)));
    let start = diags.take(row.req::<Month>("start"));
    let end = diags.take(row.req::<Month>("end"));
    let (Some(h), Some(s), Some(start), Some(end)) = (hospital, specialty, start, end) else {
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
    Some(Stint {
        department,
        span: MonthRange::new(start, end),
    })
}

/// Read `placements.csv`, recording problems in `diags`; `None` if the file is unusable.
/// With `departed`, a row of a doctor not in `doctors.csv` is collected there (the doctor
/// left the programme) instead of being an error.
fn read_placements_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
    mut departed: Option<&mut Vec<(String, Stint)>>,
) -> Option<(Vec<Block>, Terms)> {
    let t = PLACEMENTS.read(dir, true, diags)?;
    let mut out = Vec::new();
    let mut terms = Terms::new();
    for row in t.rows() {
        let unknown = row.cell("doctor").filter(|_| is_leaver(inst, &row));
        if let (Some(id), Some(sink)) = (unknown, departed.as_deref_mut()) {
            if let Some(stint) = read_stint(inst, &row, diags) {
                sink.push((id.to_string(), stint));
            }
            continue;
        }
        let doctor = diags.take(row.reference("doctor", "doctor", |id| inst.doctor_id(id)));
        let stint = read_stint(inst, &row, diags);
        let months = diags.take(row.req::<u32>("months"));
        let commute = diags.take(row.req::<u32>("commute_minutes"));
        let relocate = diags.take(row.req::<bool>("relocate"));
        let fte = diags.take(row.opt::<u32>("fte")).flatten();
        let completes = diags.take(row.opt::<Month>("completes")).flatten();
        let (Some(doctor), Some(stint), Some(months), Some(commute), Some(relocate)) =
            (doctor, stint, months, commute, relocate)
        else {
            continue;
        };
        if fte.is_some() || completes.is_some() {
            terms.insert((doctor, stint.span.first), BlockTerms { fte, completes });
        }
        out.push(Block {
            doctor,
            department: stint.department,
            start: stint.span.first,
            end: stint.span.last,
            months,
            commute_minutes: commute,
            relocate,
        });
    }
    Some((out, terms))
}

/// Whether a row names a doctor (a well-formed id) that `doctors.csv` no longer has: in a
/// plan a re-plan starts from, a doctor who left the programme.
fn is_leaver(inst: &Instance, row: &Row) -> bool {
    row.cell("doctor")
        .is_some_and(|id| inst.doctor_id(id).is_none() && super::table::is_id(id))
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
    let stint = read_stint(inst, row, diags);
    let months = diags.take(row.req_in("months", &crate::model::bounds::BLOCK_MONTHS));
    let (doctor, stint, months) = (doctor?, stint?, months?);
    Some(Placed {
        doctor,
        department: stint.department,
        start: stint.span.first,
        end: stint.span.last,
        months,
    })
}

/// Read `groups.csv`, recording problems in `diags`. With `departed`, a member not in
/// `doctors.csv` is collected there with their group (they left the programme) instead of
/// being an error; a group whose members all left is gone.
fn read_groups_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
    mut departed: Option<&mut Vec<(String, String)>>,
) -> Option<Vec<Group>> {
    let t = GROUPS.read(dir, true, diags)?;
    let mut out: Vec<Group> = Vec::new();
    for row in t.rows() {
        let unknown = row.cell("doctor").filter(|_| is_leaver(inst, &row));
        if let (Some(id), Some(sink)) = (unknown, departed.as_deref_mut()) {
            if let Some(group) = diags.take(row.id("group")) {
                sink.push((id.to_string(), group.to_string()));
            }
            continue;
        }
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

/// Read `unplaced.csv` (absent = everyone placed). With `tolerant`, rows of doctors no
/// longer in `doctors.csv` are skipped (they left the programme).
fn read_unplaced_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
    tolerant: bool,
) -> Vec<Unplaced> {
    let Some(t) = UNPLACED.read(dir, false, diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in t.rows() {
        if tolerant
            && row
                .cell("doctor")
                .is_some_and(|id| inst.doctor_id(id).is_none())
        {
            continue;
        }
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

/// Read `changes.csv` (`None` when absent), recording problems. A row of a doctor not in
/// `doctors.csv` whose block was cancelled or ended early is a doctor who left the
/// programme, and goes to `departed`.
fn read_changes_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
    departed: &mut Vec<DepartedChange>,
) -> Option<Vec<Change>> {
    let t = CHANGES.read(dir, false, diags)?;
    let mut out = Vec::new();
    for row in t.rows() {
        let kind_text = row.cell("kind").and_then(ChangeKind::parse);
        if let Some(id) = row.cell("doctor").filter(|id| inst.doctor_id(id).is_none())
            && let Some(kind @ (ChangeKind::Cancelled | ChangeKind::EndedEarly)) = kind_text
        {
            let mut stint = |col: &str| {
                row.cell(col).and_then(|text| {
                    diags.take(
                        Stint::parse(inst, text).map_err(|why| row.error(col, "change-block", why)),
                    )
                })
            };
            let (before, after) = (stint("before"), stint("after"));
            match before {
                Some(before) => departed.push(DepartedChange {
                    doctor: id.to_string(),
                    municipality: None,
                    before,
                    after,
                    kind,
                }),
                None => diags.error(row.error(
                    "before",
                    "change-block",
                    format!("a {kind} block of doctor {id} must name the block in 'before'"),
                )),
            }
            continue;
        }
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

/// [`read_plan`] for a command that needs the hospital placements (`needs` says why, as
/// in "explain needs a plan's hospital placements"): a folder of guidance groups alone, as
/// `alisplan groups` writes it, is an error naming the missing file.
pub fn read_placement_plan(
    inst: &Instance,
    dir: &Path,
    needs: &str,
) -> Result<(Plan, Option<Summary>)> {
    let (plan, summary) = read_plan(inst, dir)?;
    if plan.groups_only {
        return Err(Error::input(
            format!("plan {}", dir.display()),
            vec![Diagnostic::file(
                PLACEMENTS.file,
                "missing-file",
                format!(
                    "required file not found in {}: {needs} (a folder from `alisplan groups` has none)",
                    dir.display()
                ),
            )],
        ));
    }
    Ok((plan, summary))
}

/// Read a whole plan folder: `placements.csv`, `groups.csv`, `unplaced.csv`, `changes.csv`,
/// `review.csv` and `summary.json`, each with located errors. A folder with `groups.csv` but no
/// `placements.csv` (written by `alisplan groups`) is a groups-only plan.
pub fn read_plan(inst: &Instance, dir: &Path) -> Result<(Plan, Option<Summary>)> {
    let mut diags = Diagnostics::default();
    let has_groups = dir.join(GROUPS.file).exists();
    let groups_only = has_groups && !dir.join(PLACEMENTS.file).exists();
    let blocks = if groups_only {
        Some((Vec::new(), Terms::new()))
    } else {
        read_placements_into(inst, dir, &mut diags, None)
    };
    let groups = if has_groups {
        read_groups_into(inst, dir, &mut diags, None)
    } else {
        None
    };
    let unplaced = read_unplaced_into(inst, dir, &mut diags, false);
    let mut departed = Vec::new();
    let changes = read_changes_into(inst, dir, &mut diags, &mut departed);
    let summary = read_summary_into(dir, &mut diags);
    let replan_from = replan_from_into(summary.as_ref(), &mut diags);
    let entries = read_review_into(inst, dir, &mut diags, false).unwrap_or_default();
    let (blocks, terms) = finish(dir, blocks, diags)?;
    let review = review_of(entries, summary.as_ref());
    let plan = Plan {
        blocks,
        unplaced,
        groups,
        groups_only,
        replan_from,
        changes,
        review,
        terms,
        departed,
        group_changes: None,
    };
    Ok((plan, summary))
}

/// A doctor of a previous plan who is no longer in `doctors.csv`: they left the programme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartedDoctor {
    pub id: String,
    /// Their blocks in the previous plan.
    pub blocks: Vec<Stint>,
    /// The guidance group they were in.
    pub group: Option<String>,
}

/// The plan a re-plan starts from, read against today's instance.
#[derive(Clone, Debug, Default)]
pub struct Previous {
    pub dir: PathBuf,
    /// The blocks of doctors still in `doctors.csv`.
    pub blocks: Vec<Block>,
    /// Blocks served on other terms than the instance gives.
    pub terms: Terms,
    /// Doctors of the previous plan no longer in `doctors.csv`.
    pub departed: Vec<DepartedDoctor>,
    /// The guidance groups, with the members still in `doctors.csv` (`None`: no
    /// `groups.csv`).
    pub groups: Option<Vec<Group>>,
    /// Doctors the previous plan reported in `unplaced.csv`.
    pub unplaced: Vec<DoctorId>,
    /// The roster the previous plan was made for (`None`: a plan without `roster.csv`).
    pub roster: Option<Vec<RosterEntry>>,
    /// The previous plan's own re-plan month, if it was a re-plan.
    pub replan_from: Option<Month>,
}

impl Previous {
    /// Whether the previous plan knew doctor `d`: in its roster, or (for a plan without
    /// one) in its placements, groups or unplaced parts.
    pub fn knows(&self, inst: &Instance, d: DoctorId) -> bool {
        match &self.roster {
            Some(roster) => roster.iter().any(|e| e.doctor == inst.doctor(d).id),
            None => {
                self.blocks.iter().any(|b| b.doctor == d)
                    || self.unplaced.contains(&d)
                    || self
                        .groups
                        .iter()
                        .flatten()
                        .any(|g| g.members.iter().any(|&(m, _)| m == d))
            }
        }
    }

    /// The previous roster's entry for doctor `id`.
    pub fn roster_entry(&self, id: &str) -> Option<&RosterEntry> {
        self.roster.as_ref()?.iter().find(|e| e.doctor == id)
    }

    /// The fte block `b` of the previous plan was served at: as written, else the
    /// doctor's fte in the previous roster, else today's.
    pub fn fte_of(&self, inst: &Instance, b: &Block) -> u32 {
        let doc = inst.doctor(b.doctor);
        self.terms
            .get(&(b.doctor, b.start))
            .and_then(|t| t.fte)
            .or_else(|| self.roster_entry(&doc.id).map(|e| e.fte))
            .unwrap_or(doc.fte)
    }
}

/// Read the plan folder `dir` that a re-plan starts from. A doctor of its placements,
/// groups or unplaced parts who is no longer in `doctors.csv` left the programme: their
/// rows are collected in [`Previous::departed`], not reported as errors.
pub fn read_previous(inst: &Instance, dir: &Path) -> Result<Previous> {
    let mut diags = Diagnostics::default();
    let mut departed_blocks: Vec<(String, Stint)> = Vec::new();
    let mut departed_members: Vec<(String, String)> = Vec::new();
    let placed = read_placements_into(inst, dir, &mut diags, Some(&mut departed_blocks));
    let groups = if dir.join(GROUPS.file).exists() {
        read_groups_into(inst, dir, &mut diags, Some(&mut departed_members))
    } else {
        None
    };
    let unplaced = read_unplaced_into(inst, dir, &mut diags, true);
    let roster = read_roster_into(inst, dir, &mut diags);
    let summary = read_summary_into(dir, &mut diags);
    let replan_from = replan_from_into(summary.as_ref(), &mut diags);
    let (blocks, terms) = finish(dir, placed, diags)?;
    let mut departed: Vec<DepartedDoctor> = Vec::new();
    let mut ids: Vec<&String> = departed_blocks
        .iter()
        .map(|(id, _)| id)
        .chain(departed_members.iter().map(|(id, _)| id))
        .collect();
    if let Some(roster) = &roster {
        ids.extend(
            roster
                .iter()
                .map(|e| &e.doctor)
                .filter(|id| inst.doctor_id(id).is_none()),
        );
    }
    ids.sort();
    ids.dedup();
    for id in ids {
        let mut blocks: Vec<Stint> = departed_blocks
            .iter()
            .filter(|(d, _)| d == id)
            .map(|(_, s)| *s)
            .collect();
        blocks.sort_by_key(|s| s.span.first);
        departed.push(DepartedDoctor {
            id: id.clone(),
            blocks,
            group: departed_members
                .iter()
                .find(|(d, _)| d == id)
                .map(|(_, g)| g.clone()),
        });
    }
    Ok(Previous {
        dir: dir.to_path_buf(),
        blocks,
        terms,
        departed,
        groups,
        unplaced: unplaced.iter().map(|u| u.doctor).collect(),
        roster,
        replan_from,
    })
}

/// Read `roster.csv` (`None` when absent), recording problems.
fn read_roster_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<RosterEntry>> {
    let t = ROSTER.read(dir, false, diags)?;
    let _ = inst;
    let mut out = Vec::new();
    for row in t.rows() {
        let doctor = diags.take(row.id("doctor"));
        let municipality = diags.take(row.id("municipality"));
        let scheme = diags.take(row.text("scheme").and_then(|s| match s {
            "new" => Ok(Scheme::New),
            "old" => Ok(Scheme::Old),
            _ => Err(row.error(
                "scheme",
                "scheme",
                format!("'{s}' is not a scheme; use new or old"),
            )),
        }));
        let fte = diags.take(row.req::<u32>("fte"));
        let earliest = diags.take(row.req::<Month>("earliest"));
        let latest_end = diags.take(row.req::<Month>("latest_end"));
        let hospital_months = diags.take(row.req::<u32>("hospital_months"));
        let group_from = diags.take(row.opt::<Month>("group_from")).flatten();
        let group = diags.take(row.req::<bool>("group"));
        let (
            Some(doctor),
            Some(municipality),
            Some(scheme),
            Some(fte),
            Some(earliest),
            Some(latest_end),
            Some(hospital_months),
            Some(group),
        ) = (
            doctor,
            municipality,
            scheme,
            fte,
            earliest,
            latest_end,
            hospital_months,
            group,
        )
        else {
            continue;
        };
        out.push(RosterEntry {
            doctor: doctor.to_string(),
            name: row.cell("name").unwrap_or("").to_string(),
            municipality: municipality.to_string(),
            scheme,
            fte,
            earliest,
            latest_end,
            hospital_months,
            group_from,
            group,
        });
    }
    Some(out)
}
