//! The planning flow shared by `place`, `plan` and `replan`: what a new plan is built on
//! ([`Basis`]: review decisions, the plan to stay close to, the history of a re-plan), the
//! placement problem it poses, and the assembly of the solvers' results into one [`Plan`]
//! with its [`Summary`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::groups::{GroupsResult, form_groups};
use crate::io::plan::{PLACEMENTS, read_groups, read_placements};
use crate::model::*;
use crate::placement::{PlaceOptions, Placement, Problem, place};
use crate::replan::{Split, changes, replan_problem, split_previous};
use crate::review::read_decisions;
use crate::solver::SolveOptions;
use crate::summary::Summary;
use crate::travel::Travel;

/// What a new plan is built on.
pub struct Basis {
    /// Review decisions in force: the instance's `locks.csv` and the filled-in sheets.
    pub locks: Vec<Lock>,
    /// The plan to stay close to: the reviewed plan, or the published plan of a re-plan.
    pub previous: Option<Vec<Block>>,
    /// The previous plan split at the re-plan month (all of it is future in a yearly plan).
    pub split: Split,
    /// The re-plan month: earlier months are history.
    pub from: Option<Month>,
    /// For a re-plan: the folder of the published plan, and its guidance groups (kept).
    pub previous_dir: Option<PathBuf>,
    pub previous_groups: Option<Vec<Group>>,
}

impl Basis {
    /// A yearly plan: the instance's locks plus the decisions in the review sheets of
    /// `decisions`; if that folder holds the reviewed `placements.csv`, the new plan stays
    /// close to it.
    pub fn yearly(inst: &Instance, decisions: Option<&Path>) -> Result<Basis> {
        let mut locks = inst.locks.clone();
        let mut previous = None;
        if let Some(dir) = decisions {
            locks.extend(read_decisions(inst, dir)?);
            if dir.join(PLACEMENTS.file).exists() {
                previous = Some(read_placements(inst, dir)?);
            }
        }
        let split = Split {
            future: previous.clone().unwrap_or_default(),
            ..Split::default()
        };
        Ok(Basis {
            locks,
            previous,
            split,
            from: None,
            previous_dir: None,
            previous_groups: None,
        })
    }

    /// A re-plan of the plan published in `previous` from month `from` on, with the
    /// decisions in the review sheets of `decisions`.
    pub fn replan(
        inst: &Instance,
        previous: &Path,
        from: Month,
        decisions: Option<&Path>,
    ) -> Result<Basis> {
        let blocks = read_placements(inst, previous)?;
        let mut locks = inst.locks.clone();
        if let Some(dir) = decisions {
            locks.extend(read_decisions(inst, dir)?);
        }
        let split = split_previous(inst, &blocks, from)?;
        // Guidance groups do not depend on the months in hospital: they are kept.
        let previous_groups = read_groups(inst, previous)?;
        Ok(Basis {
            locks,
            previous: Some(blocks),
            split,
            from: Some(from),
            previous_dir: Some(previous.to_path_buf()),
            previous_groups,
        })
    }

    /// The placement problem: keep the history, place what is still to serve, and charge
    /// for changes against the previous plan.
    pub fn problem<'a>(&self, inst: &'a Instance) -> Problem<'a> {
        replan_problem(inst, &self.split, self.from, self.locks.clone())
    }

    /// Place the doctors. With `strict`, a plan that leaves anyone unplaced is an error
    /// and nothing is written.
    pub fn place(
        &self,
        inst: &Instance,
        travel: &Travel,
        opts: &PlaceOptions,
        strict: bool,
    ) -> Result<Placement> {
        let placement = place(&self.problem(inst), travel, opts)?;
        if strict && !placement.unplaced.is_empty() {
            return Err(Error::Infeasible(format!(
                "{} requirement(s) could not be placed (--strict); nothing written",
                placement.unplaced.len()
            )));
        }
        Ok(placement)
    }

    /// The plan: the blocks kept from the previous plan and the new ones, what could not
    /// be placed, the guidance groups, and the changes against the previous plan.
    pub fn assemble(&self, placement: &Placement, groups: Option<Vec<Group>>) -> Plan {
        let mut blocks: Vec<Block> = self
            .split
            .fixed
            .iter()
            .chain(&placement.blocks)
            .cloned()
            .collect();
        sort_blocks(&mut blocks);
        let changes = self
            .previous
            .as_deref()
            .map(|previous| changes(previous, &self.split, &blocks));
        Plan {
            blocks,
            unplaced: placement.unplaced.clone(),
            groups,
            groups_only: false,
            replan_from: self.from,
            changes,
            review: self.locks.clone(),
        }
    }

    /// The summary of a plan made on this basis by `command`.
    pub fn summary(
        &self,
        inst: &Instance,
        command: &str,
        plan: &Plan,
        placement: &Placement,
        groups: Option<&GroupsResult>,
    ) -> Summary {
        let mut summary = Summary::new(inst, command);
        if let Some(g) = groups {
            summary.set("groups", g);
        }
        summary.set("placement", placement);
        if let Some(changes) = &plan.changes {
            let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
            for c in changes {
                *by_kind.entry(c.kind.name()).or_default() += 1;
            }
            let mut section = serde_json::json!({ "changes": changes.len(), "by_kind": by_kind });
            if let Some(from) = self.from {
                section["from"] = serde_json::Value::String(from.to_string());
            }
            if let Some(dir) = &self.previous_dir {
                section["previous"] = serde_json::Value::String(dir.display().to_string());
            }
            summary.set("replan", &section);
        }
        summary
    }
}

/// The guidance groups of a yearly plan, or `None` when no doctor is due one. Groups that
/// cannot be formed stop the plan (the placements alone are `alisplan place`).
pub fn plan_groups(
    inst: &Instance,
    travel: &Travel,
    opts: &SolveOptions,
) -> Result<Option<GroupsResult>> {
    if !inst.doctors.iter().any(|d| d.needs_group) {
        return Ok(None);
    }
    form_groups(inst, travel, opts).map(Some).map_err(|e| match e {
        Error::Infeasible(why) => Error::Infeasible(format!(
            "the guidance groups cannot be formed, so no plan was written: {why}\n(`alisplan place` writes the hospital placements alone)"
        )),
        other => other,
    })
}

/// A plan of guidance groups alone (`alisplan groups`).
pub fn groups_plan(result: &GroupsResult) -> Plan {
    Plan {
        groups: Some(result.groups.clone()),
        groups_only: true,
        ..Plan::default()
    }
}
