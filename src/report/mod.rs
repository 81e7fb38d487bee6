//! The plan report: one self-contained HTML file (inline CSS and SVG; no scripts, fonts,
//! images or anything else fetched) and one iCalendar file per doctor.
//!
//! [`read_input`] reads a plan folder, [`render`] turns a plan into text (same input, same
//! bytes), and [`write_into`] / [`write_into_plan_dir`] put the files in place atomically.
//!
//! The HTML is built with the `maud` templating macro, which escapes every interpolated
//! value unless it is wrapped in `PreEscaped`; only the constant style sheet is. Text from
//! CSV files (names, reasons, change descriptions) therefore cannot inject markup.

mod facts;
mod html;
mod ics;
mod svg;

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::io::output::OutputDir;
use crate::io::plan::{Unplaced, read_groups_into, read_placements_into, read_unplaced_into};
use crate::io::table::{Columns, Table};
use crate::model::{Block, DoctorId, Group, Instance, Month};
use crate::summary::Summary;

pub use ics::{escape_text, fold_line};

/// File name of the report inside a plan folder.
pub const REPORT_HTML: &str = "report.html";
/// Folder of the per-doctor calendars inside a plan folder.
pub const CALENDARS: &str = "calendars";
/// The changes of a re-plan against the previous plan.
pub const CHANGES: &str = "changes.csv";
/// The solve summary of a plan folder.
pub const SUMMARY: &str = "summary.json";

/// Everything the report shows about a plan. Only `blocks` is required; every other part
/// is shown when present.
#[derive(Clone, Debug, Default)]
pub struct ReportInput {
    /// Hospital blocks (`placements.csv`).
    pub blocks: Vec<Block>,
    /// Guidance groups (`groups.csv`), if the plan has them.
    pub groups: Option<Vec<Group>>,
    /// Requirement parts the plan leaves unplaced, with reasons (`unplaced.csv`; empty when
    /// absent, which means everyone is placed).
    pub unplaced: Vec<Unplaced>,
    /// `summary.json`: solver status, objective, bound, gap, terms.
    pub summary: Option<Summary>,
    /// For a re-plan: what changed against the previous plan (`changes.csv`).
    pub changes: Option<Vec<Change>>,
}

impl ReportInput {
    /// The first re-planned month, as recorded in the summary's `replan.from`.
    pub fn replan_from(&self) -> Option<Month> {
        self.summary
            .as_ref()?
            .get("replan")?
            .get("from")?
            .as_str()?
            .parse()
            .ok()
    }

    /// The previous plan a re-plan started from, as recorded in `replan.previous`.
    pub fn replan_previous(&self) -> Option<String> {
        let v = self.summary.as_ref()?.get("replan")?.get("previous")?;
        Some(v.as_str().map_or_else(|| v.to_string(), str::to_string))
    }
}

pub use crate::replan::ChangeKind;

/// One row of `changes.csv`: `doctor,before,after,kind`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub doctor: DoctorId,
    /// The block in the previous plan, as written there (empty for `added`).
    pub before: String,
    /// The block in the new plan (empty for `removed`).
    pub after: String,
    pub kind: ChangeKind,
}

/// The rendered report: the HTML page and one calendar per doctor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// `(file name, iCalendar text)`, e.g. `("V01.ics", "BEGIN:VCALENDAR\r\n…")`, in
    /// doctor order. Doctors with nothing to put in a calendar get no file.
    pub calendars: Vec<(String, String)>,
}

/// Render the report of `plan` for `inst`. Deterministic: the same input gives the same
/// bytes.
pub fn render(inst: &Instance, plan: &ReportInput) -> Rendered {
    let facts = facts::Facts::new(inst, plan);
    Rendered {
        html: html::page(&facts),
        calendars: ics::calendars(&facts),
    }
}

const CHANGES_REQUIRED: [&str; 2] = ["doctor", "kind"];
const CHANGES_OPTIONAL: [&str; 2] = ["before", "after"];

/// Read `changes.csv` of plan folder `dir` (`None` when absent), recording problems.
pub fn read_changes_into(
    inst: &Instance,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Option<Vec<Change>> {
    let cols = Columns {
        required: &CHANGES_REQUIRED,
        optional: &CHANGES_OPTIONAL,
    };
    let t = Table::read(dir, CHANGES, cols, false, diags)?;
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
        if let (Some(doctor), Some(kind)) = (doctor, kind) {
            out.push(Change {
                doctor,
                before: row.cell("before").unwrap_or("").to_string(),
                after: row.cell("after").unwrap_or("").to_string(),
                kind,
            });
        }
    }
    Some(out)
}

/// Read a plan folder for the report: `placements.csv` (required), `groups.csv`,
/// `unplaced.csv`, `summary.json` and `changes.csv` (each optional). Every problem is
/// reported with its file, line and column.
pub fn read_input(inst: &Instance, dir: &Path) -> Result<ReportInput> {
    let mut diags = Diagnostics::default();
    let blocks = read_placements_into(inst, dir, &mut diags);
    let groups = if dir.join(crate::io::plan::GROUPS).exists() {
        read_groups_into(inst, dir, &mut diags)
    } else {
        None
    };
    let unplaced = read_unplaced_into(inst, dir, &mut diags);
    let changes = read_changes_into(inst, dir, &mut diags);
    let summary_path = dir.join(SUMMARY);
    let summary = if summary_path.exists() {
        let bytes = fs::read(&summary_path).map_err(|e| Error::io("read", &summary_path, e))?;
        let s = Summary::from_bytes(&bytes);
        if s.is_none() {
            diags.error(Diagnostic::file(
                SUMMARY,
                "json-format",
                "is not a JSON object (expected sections such as \"placement\" and \"groups\")",
            ));
        }
        s
    } else {
        None
    };
    match blocks {
        Some(blocks) if !diags.has_errors() => Ok(ReportInput {
            blocks,
            groups,
            unplaced,
            summary,
            changes,
        }),
        _ => Err(Error::input(
            format!("plan {}", dir.display()),
            diags.errors,
        )),
    }
}

/// Write the report into an output folder being written: `report.html` and
/// `calendars/<doctor-id>.ics`.
pub fn write_into(out: &OutputDir, rendered: &Rendered) -> Result<()> {
    out.write(REPORT_HTML, rendered.html.as_bytes())?;
    for (name, text) in &rendered.calendars {
        out.write(&format!("{CALENDARS}/{name}"), text.as_bytes())?;
    }
    Ok(())
}

/// Write the report into an existing plan folder `dir`. An existing `report.html` or
/// `calendars/` is replaced only with `force`; otherwise nothing is written. Each is
/// written under a temporary name and renamed into place, so a crash leaves either the
/// old or the new file, never half of one. Returns the paths written.
pub fn write_into_plan_dir(dir: &Path, rendered: &Rendered, force: bool) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Err(Error::io(
            "open the plan folder",
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
        ));
    }
    let html_path = dir.join(REPORT_HTML);
    let cal_path = dir.join(CALENDARS);
    if !force {
        let existing: Vec<Diagnostic> = [(REPORT_HTML, &html_path), (CALENDARS, &cal_path)]
            .into_iter()
            .filter(|(_, p)| p.exists())
            .map(|(name, _)| {
                Diagnostic::file(
                    name,
                    "output-exists",
                    "already exists in the plan folder; pass --force to replace it",
                )
            })
            .collect();
        if !existing.is_empty() {
            return Err(Error::input(
                format!("plan folder {}", dir.display()),
                existing,
            ));
        }
    }
    let tmp_html = dir.join(format!(".{REPORT_HTML}.tmp-{}", std::process::id()));
    fs::write(&tmp_html, rendered.html.as_bytes()).map_err(|e| Error::io("write", &tmp_html, e))?;
    let calendars = (|| {
        let out = OutputDir::create(&cal_path, force, None)?;
        for (name, text) in &rendered.calendars {
            out.write(name, text.as_bytes())?;
        }
        out.commit()
    })();
    if let Err(e) = calendars {
        let _ = fs::remove_file(&tmp_html);
        return Err(e);
    }
    fs::rename(&tmp_html, &html_path).map_err(|e| {
        let _ = fs::remove_file(&tmp_html);
        Error::io("move into place", &html_path, e)
    })?;
    Ok(vec![html_path, cal_path])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_kinds_read_both_separators() {
        assert_eq!(
            ChangeKind::parse("moved-hospital"),
            Some(ChangeKind::MovedHospital)
        );
        assert_eq!(
            ChangeKind::parse("Moved_Hospital"),
            Some(ChangeKind::MovedHospital)
        );
        assert_eq!(ChangeKind::parse("moved"), None);
        for k in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(k.name()), Some(k));
        }
    }
}
