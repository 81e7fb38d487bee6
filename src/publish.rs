//! Publishing a plan: the one step from a [`Plan`] to the files its users get.
//!
//! [`reserve`] claims the output folder before any solving (so a folder that exists
//! without `--force` fails at once), and [`publish`] re-checks the plan independently
//! (`verify`, and the frozen history of a re-plan), writes every output into a temporary
//! folder, and moves it into place in one rename: placements, unplaced parts, groups,
//! review sheets, changes and whom to tell, the report and calendars, and `summary.json`.
//! A plan that breaks a rule is never written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::output::OutputDir;
use crate::io::plan::{
    CHANGES, GROUP_CHANGES, GROUPS, PLACEMENTS, Previous, ROSTER, SUMMARY, UNPLACED, changes_csv,
    group_changes_csv, groups_csv, plan_placements_csv, roster_csv, unplaced_csv,
};
use crate::model::plan::DepartedChange;
use crate::model::*;
use crate::report::{render, write_into};
use crate::review::review_sheets;
use crate::summary::Summary;
use crate::verify::{history_frozen, verify};

/// An output folder claimed for a plan that is still being made.
pub struct Reserved {
    out: OutputDir,
}

/// Claim `dir` for a new plan of the instance in `instance`. Fails at once if `dir`
/// exists and `force` is not given, or if it lies inside the instance folder.
pub fn reserve(dir: &Path, force: bool, instance: &Path) -> Result<Reserved> {
    Ok(Reserved {
        out: OutputDir::create(dir, force, Some(instance))?,
    })
}

/// What to publish beside the plan's own files.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Write `report.html` and `calendars/<doctor-id>.ics`.
    pub report: bool,
    /// The previous plan, for a re-plan: its history must be kept.
    pub previous: Option<&'a Previous>,
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
        for (name, bytes) in review_sheets(inst, plan) {
            files.write(&name, &bytes)?;
        }
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
        let rendered = render(inst, plan, Some(summary));
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
/// (file name, CSV bytes) under `notify/`. The blocks of doctors who left go to their
/// hospitals, and to their municipality when the previous plan's roster names it.
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
            changes_csv(inst, &list, &left),
        ));
    }
    for (m, (list, left)) in municipalities {
        out.push((
            format!("notify/municipalities/{}.csv", inst.municipality(m).id),
            changes_csv(inst, &list, &left),
        ));
    }
    out
}
