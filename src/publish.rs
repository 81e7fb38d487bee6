//! Publishing a plan: the one step from a [`Plan`] to the files its users get.
//!
//! [`reserve`] claims the output folder before any solving (so a folder that exists
//! without `--force` fails at once), and [`publish`] re-checks the plan independently
//! (`verify`, and the frozen history of a re-plan), writes every output into a temporary
//! folder, and moves it into place in one rename: placements, unplaced parts, groups,
//! review sheets (workbooks and CSV) and the review ledger, changes and whom to tell, the
//! report and calendars, and `summary.json`.
//! A plan that breaks a rule is never written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::output::{Kind, OutputDir};
use crate::io::plan::{
    CHANGES, GROUP_CHANGES, GROUPS, PLACEMENTS, Previous, REVIEW, ROSTER, SUMMARY, UNPLACED,
    changes_csv, group_changes_csv, groups_csv, plan_placements_csv, review_csv, roster_csv,
    unplaced_csv,
};
use crate::model::plan::DepartedChange;
use crate::model::*;
use crate::report::{Published as Calendars, render_updating, write_into};
use crate::review::review_sheets;
use crate::summary::Summary;
use crate::verify::{history_frozen, verify};

/// An output folder claimed for a plan that is still being made.
pub struct Reserved {
    out: OutputDir,
}

/// Claim `dir` for a new plan of the instance in `instance`, made by `command`. Fails at
/// once, touching nothing, if `dir` exists and `force` is not given, or if alisplan may not
/// write there at all (see [`OutputDir::create_kind`]).
pub fn reserve(dir: &Path, force: bool, instance: &Path, command: &str) -> Result<Reserved> {
    Ok(Reserved {
        out: OutputDir::create_kind(dir, force, Some(instance), Kind::Plan, command)?,
    })
}

/// What to publish beside the plan's own files.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Write `report.html` and `calendars/<doctor-id>.ics`.
    pub report: bool,
    /// The previous plan, for a re-plan: its history must be kept.
    pub previous: Option<&'a Previous>,
    /// The plan folder whose calendars the new ones update (the previous or reviewed
    /// plan): a changed event keeps its UID with a higher SEQUENCE, and an event that is
    /// gone is published as cancelled.
    pub calendars_before: Option<&'a Path>,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct Published {
    /// The plan folder.
    pub dir: PathBuf,
    /// Every file written, relative to `dir`, in the order written.
    pub files: Vec<String>,
}

/// Re-check `plan` against `inst` and write all its outputs into the reserved folder,
/// then move the folder into place. Nothing is written if the plan breaks a rule.
pub fn publish(
    inst: &Instance,
    plan: &Plan,
    summary: &Summary,
    reserved: Reserved,
    options: Options,
) -> Result<Published> {
    recheck(inst, plan, options.previous)?;
    let mut summary = summary.clone();
    if let Some(signal) = crate::budget::stop_requested() {
        summary.set(
            "interrupted",
            &serde_json::json!({
                "by": signal.name(),
                "meaning": "the search was stopped early; this is the best plan found by then, checked like every plan (see each section's status and gap)"
            }),
        );
    }
    let summary = &summary;
    let mut files = Files {
        out: reserved.out,
        written: Vec::new(),
    };
    if !plan.groups_only {
        files.write(PLACEMENTS.file, &plan_placements_csv(inst, plan))?;
        files.write(UNPLACED.file, &unplaced_csv(inst, &plan.unplaced))?;
    }
    if let Some(groups) = &plan.groups {
        files.write(GROUPS.file, &groups_csv(inst, groups))?;
    }
    if !plan.groups_only {
        for (name, bytes) in review_sheets(inst, plan)? {
            files.write(&name, &bytes)?;
        }
        files.write(REVIEW.file, &review_csv(inst, &plan.review))?;
    }
    if let Some(changes) = &plan.changes {
        files.write(CHANGES.file, &changes_csv(inst, changes, &plan.departed))?;
        for (name, bytes) in notifications(inst, changes, &plan.departed) {
            files.write(&name, &bytes)?;
        }
    }
    if let Some(changes) = &plan.group_changes {
        files.write(GROUP_CHANGES.file, &group_changes_csv(changes))?;
    }
    files.write(ROSTER.file, &roster_csv(inst))?;
    if options.report {
        let before = options
            .calendars_before
            .map(Calendars::read)
            .unwrap_or_default();
        let rendered = render_updating(inst, plan, Some(summary), &before);
        write_into(&files.out, &rendered)?;
        files.written.push(crate::report::REPORT_HTML.to_string());
        files.written.extend(
            rendered
                .calendars
                .iter()
                .map(|(name, _)| format!("{}/{name}", crate::report::CALENDARS)),
        );
    }
    let mut summary = summary.clone();
    summary.record_peak_memory();
    files.write(SUMMARY, &summary.to_bytes())?;
    let dir = files.out.commit()?;
    Ok(Published {
        dir,
        files: files.written,
    })
}

/// The files of a folder being written, and their names.
struct Files {
    out: OutputDir,
    written: Vec<String>,
}

impl Files {
    fn write(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.out.write(name, bytes)?;
        self.written.push(name.to_string());
        Ok(())
    }
}

/// The independent check every plan passes before it is written: every rule of the
/// instance (`verify`), and in a re-plan the frozen history.
fn recheck(inst: &Instance, plan: &Plan, previous: Option<&Previous>) -> Result<()> {
    let mut problems: Vec<String> = verify(inst, plan).iter().map(ToString::to_string).collect();
    if let (Some(previous), Some(from)) = (previous, plan.replan_from) {
        problems.extend(
            history_frozen(inst, previous, plan, from)
                .iter()
                .map(ToString::to_string),
        );
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Solver(format!(
        "the new plan breaks {} rule(s) on re-check; nothing was written. This is a bug: please report it with the instance\n{}",
        problems.len(),
        problems
            .iter()
            .map(|p| format!("  internal check: {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    )))
}

/// Whom to tell: per hospital and per municipality, the changes that concern them, as
/// (file name, CSV bytes) under `notify/`, in the plan's language: the doctor's id and
/// name, the block before and after, the kind of change and what it means. The blocks of
/// doctors who left go to their hospitals, and to their municipality when the previous
/// plan's roster names it.
pub fn notifications(
    inst: &Instance,
    changes: &[Change],
    departed: &[DepartedChange],
) -> Vec<(String, Vec<u8>)> {
    type Lists = (Vec<Change>, Vec<DepartedChange>);
    let mut hospitals: BTreeMap<HospitalId, Lists> = BTreeMap::new();
    let mut municipalities: BTreeMap<MunicipalityId, Lists> = BTreeMap::new();
    for c in changes {
        for s in c.before.iter().chain(c.after.iter()) {
            let h = inst.department(s.department).hospital;
            let list = &mut hospitals.entry(h).or_default().0;
            if !list.contains(c) {
                list.push(c.clone());
            }
        }
        municipalities
            .entry(inst.doctor(c.doctor).municipality)
            .or_default()
            .0
            .push(c.clone());
    }
    for c in departed {
        let h = inst.department(c.before.department).hospital;
        hospitals.entry(h).or_default().1.push(c.clone());
        if let Some(m) = c.municipality {
            municipalities.entry(m).or_default().1.push(c.clone());
        }
    }
    let mut out = Vec::new();
    for (h, (list, left)) in hospitals {
        out.push((
            format!("notify/hospitals/{}.csv", inst.hospital(h).id),
            notify_csv(inst, &list, &left),
        ));
    }
    for (m, (list, left)) in municipalities {
        out.push((
            format!("notify/municipalities/{}.csv", inst.municipality(m).id),
            notify_csv(inst, &list, &left),
        ));
    }
    out
}

/// The columns of a `notify/` file.
const NOTIFY: [&str; 6] = [
    "doctor",
    "doctor_name",
    "before",
    "after",
    "kind",
    "meaning",
];

/// One `notify/` file: the changes in the plan's language, for a spreadsheet program;
/// the changes of doctors in the roster, then those of doctors who left it (whose name
/// the instance no longer has).
fn notify_csv(inst: &Instance, changes: &[Change], departed: &[DepartedChange]) -> Vec<u8> {
    let lang = inst.settings.language;
    let t = lang.t();
    let header: Vec<&str> = NOTIFY.iter().map(|k| t.column(k)).collect();
    let describe = |s: Option<&Stint>| s.map_or(String::new(), |s| s.describe(inst));
    let row = |id: &str, name: &str, before: Option<&Stint>, after: Option<&Stint>, k| {
        let (kind, meaning) = t.change(k);
        vec![
            id.to_string(),
            name.to_string(),
            describe(before),
            describe(after),
            kind.to_string(),
            meaning.to_string(),
        ]
    };
    let roster = changes.iter().map(|c| {
        let doc = inst.doctor(c.doctor);
        row(
            &doc.id,
            &doc.name,
            c.before.as_ref(),
            c.after.as_ref(),
            c.kind,
        )
    });
    let left = departed
        .iter()
        .map(|c| row(&c.doctor, "", Some(&c.before), c.after.as_ref(), c.kind));
    crate::io::schema::office_csv(lang.csv_delimiter(), &header, roster.chain(left))
}
