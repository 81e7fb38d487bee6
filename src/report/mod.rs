//! The plan report: one self-contained HTML file (inline CSS and SVG; no scripts, fonts,
//! images or anything else fetched) and one iCalendar file per doctor.
//!
//! [`render`] turns a plan into text (same input, same bytes), and [`write_into`] /
//! [`write_into_plan_dir`] put the files in place atomically; `io::plan::read_plan` reads a
//! plan folder back.
//!
//! The HTML is built with the `maud` templating macro, which escapes every interpolated
//! value unless it is wrapped in `PreEscaped`; only the constant style sheet is. Text from
//! CSV files (names, reasons, change descriptions) therefore cannot inject markup.

mod facts;
mod html;
mod ics;
mod svg;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::io::output::{OutputDir, add_to_manifest, write_file_atomically, write_subfolder};
use crate::model::{Instance, Plan};
use crate::summary::Summary;

pub use ics::{Published, escape_text, fold_line};

/// File name of the report inside a plan folder.
pub const REPORT_HTML: &str = "report.html";
/// Folder of the per-doctor calendars inside a plan folder.
pub const CALENDARS: &str = "calendars";

/// The previous plan a re-plan started from, as recorded in `replan.previous` of its
/// summary.
pub(crate) fn replan_previous(summary: Option<&Summary>) -> Option<String> {
    let v = summary?.get("replan")?.get("previous")?;
    Some(v.as_str().map_or_else(|| v.to_string(), str::to_string))
}

/// The rendered report: the HTML page and one calendar per doctor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// `(file name, iCalendar text)`, e.g. `("V01.ics", "BEGIN:VCALENDAR\r\n…")`, in
    /// doctor order. Doctors with nothing to put in a calendar get no file.
    pub calendars: Vec<(String, String)>,
}

/// Render the report of `plan` for `inst`, with how it was solved (`summary`) where known.
/// Deterministic: the same input gives the same bytes. Only the blocks are required; every
/// other part of the plan is shown when present.
pub fn render(inst: &Instance, plan: &Plan, summary: Option<&Summary>) -> Rendered {
    render_updating(inst, plan, summary, &Published::default())
}

/// Render the report, with calendars that update those `before` published (an earlier
/// plan's `calendars/`): changed events keep their UIDs with a higher `SEQUENCE`, and
/// events that are gone are published as cancelled.
pub fn render_updating(
    inst: &Instance,
    plan: &Plan,
    summary: Option<&Summary>,
    before: &Published,
) -> Rendered {
    let facts = facts::Facts::new(inst, plan, summary);
    Rendered {
        html: html::page(&facts),
        calendars: ics::calendars(&facts, before),
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
/// `calendars/` is replaced only with `force` (and `calendars/` only if it holds nothing
/// but calendars); otherwise nothing is written. Each is written under a temporary name,
/// synced and renamed into place, so a crash leaves either the old or the new one, never
/// half of one; the plan's manifest then lists them. Returns the paths written.
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
    let calendars: Vec<(String, &[u8])> = rendered
        .calendars
        .iter()
        .map(|(name, text)| (name.clone(), text.as_bytes()))
        .collect();
    write_subfolder(&cal_path, &calendars, force, ".ics")?;
    write_file_atomically(&html_path, rendered.html.as_bytes())?;
    let mut listed = vec![REPORT_HTML.to_string()];
    listed.extend(
        calendars
            .iter()
            .map(|(name, _)| format!("{CALENDARS}/{name}")),
    );
    add_to_manifest(dir, &listed)?;
    Ok(vec![html_path, cal_path])
}
