//! The planning flow shared by `place`, `plan` and `replan`: what a new plan is built on
//! ([`Basis`]: review decisions, the plan to stay close to, the history of a re-plan), the
//! placement problem it poses, and the assembly of the solvers' results into one [`Plan`]
//! with its [`Summary`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::groups::join::{Regrouped, regroup};
use crate::groups::{GroupsResult, form_groups};
use crate::io::plan::{PLACEMENTS, Previous, read_placements, read_previous};
use crate::model::*;
use crate::placement::{PlaceOptions, Placement, Problem, place};
use crate::replan::{Remaining, Split, changes, remaining, replan_problem, split_previous};
use crate::review::read_decisions;
use crate::roster::{Comparison, compare};
use crate::solver::SolveOptions;
use crate::summary::Summary;
use crate::travel::Travel;

/// What a new plan is built on.
pub struct Basis {
    /// Review decisions in force: the instance's `locks.csv` and the filled-in sheets.
    pub locks: Vec<Lock>,
    /// The plan to stay close to: the reviewed plan, or the published plan of a re-plan.
    pub previous: Option<Previous>,
    /// The previous plan split at the re-plan month (all of it is future in a yearly plan).
    pub split: Split,
    /// What each doctor still has to serve.
    pub remaining: Remaining,
    /// The re-plan month: earlier months are history.
    pub from: Option<Month>,
    /// For a re-plan: how today's roster differs from the previous plan's.
    pub roster: Option<Comparison>,
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
                previous = Some(Previous {
                    dir: dir.to_path_buf(),
                    blocks: read_placements(inst, dir)?,
                    ..Previous::default()
                });
            }
        }
        let split = Split::all_future(
            previous
                .as_ref()
                .map(|p| p.blocks.clone())
                .unwrap_or_default(),
        );
        let remaining = remaining(inst, &split);
        Ok(Basis {
            locks,
            previous,
            split,
            remaining,
            from: None,
            roster: None,
        })
    }

    /// A re-plan of the plan published in `previous` from month `from` on, with the
    /// decisions in the review sheets of `decisions`. Doctors no longer in `doctors.csv`
    /// left the programme; doctors the previous plan did not know joined it.
    pub fn replan(
        inst: &Instance,
        travel: &Travel,
        previous: &Path,
        from: Month,
        decisions: Option<&Path>,
    ) -> Result<Basis> {
        let horizon = inst.horizon();
        if from > horizon.last {
            return Err(Error::Usage(format!(
                "--from {from} is after the horizon {horizon} of {}: there is nothing left to re-plan",
                inst.dir.display()
            )));
        }
        let previous = read_previous(inst, previous)?;
        if let Some(before) = previous.replan_from.filter(|&m| from < m) {
            return Err(Error::Usage(format!(
                "--from {from} is before {before}, the month {} was itself re-planned from: its history cannot be opened again; re-plan from {before} or later",
                previous.dir.display()
            )));
        }
        let mut locks = inst.locks.clone();
        if let Some(dir) = decisions {
            locks.extend(read_decisions(inst, dir)?);
        }
        let split = split_previous(inst, travel, &previous, from, &locks);
        let remaining = remaining(inst, &split);
        let roster = Some(compare(inst, &previous));
        Ok(Basis {
            locks,
            previous: Some(previous),
            split,
            remaining,
            from: Some(from),
            roster,
        })
    }

    /// The placement problem: keep the history, place what is still to serve, and charge
    /// for changes against the previous plan.
    pub fn problem<'a>(&self, inst: &'a Instance) -> Problem<'a> {
        replan_problem(
            inst,
            &self.split,
            &self.remaining,
            self.from,
            self.locks.clone(),
        )
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
        let unplaced = placement.unplaced.len() + self.remaining.unplaceable.len();
        if strict && unplaced > 0 {
            return Err(Error::Infeasible(format!(
                "{unplaced} requirement(s) could not be placed (--strict); nothing written"
            )));
        }
        Ok(placement)
    }

    /// For a re-plan: the previous plan's guidance groups with today's roster fitted in
    /// (`None` when the previous plan formed none).
    pub fn regroup(
        &self,
        inst: &Instance,
        travel: &Travel,
        opts: &SolveOptions,
    ) -> Result<Option<Regrouped>> {
        let Some(previous) = &self.previous else {
            return Ok(None);
        };
        let Some(groups) = &previous.groups else {
            return Ok(None);
        };
        let departed: Vec<(String, String)> = previous
            .departed
            .iter()
            .filter_map(|d| d.group.clone().map(|g| (d.id.clone(), g)))
            .collect();
        let changed: Vec<DoctorId> = self
            .roster
            .iter()
            .flat_map(|r| r.changed.iter().map(|(d, _)| *d))
            .collect();
        regroup(inst, travel, groups, &departed, &changed, opts).map(Some)
    }

    /// The plan: the blocks kept from the previous plan and the new ones, what could not
    /// be placed, the guidance groups, and the changes against the previous plan.
    pub fn assemble(
        &self,
        inst: &Instance,
        placement: &Placement,
        groups: Option<Vec<Group>>,
        group_changes: Option<Vec<crate::model::plan::GroupChange>>,
    ) -> Plan {
        let mut blocks: Vec<Block> = self
            .split
            .fixed
            .iter()
            .chain(&placement.blocks)
            .cloned()
            .collect();
        sort_blocks(&mut blocks);
        let mut terms = self.split.terms.clone();
        let mut unplaced = placement.unplaced.clone();
        for m in &self.remaining.makeups {
            let part = &self.remaining.parts[m.doctor.index()][m.part];
            let fits = |b: &Block| {
                b.doctor == m.doctor
                    && b.months == part.calendar_months
                    && part
                        .specialty
                        .is_none_or(|s| inst.department(b.department).specialty == s)
            };
            let made = placement
                .blocks
                .iter()
                .find(|b| fits(b) && !terms.contains_key(&(b.doctor, b.start)));
            match made {
                Some(b) => {
                    terms.insert(
                        (b.doctor, b.start),
                        crate::model::plan::BlockTerms {
                            fte: None,
                            completes: Some(m.completes),
                        },
                    );
                }
                None => {
                    if let Some(u) = unplaced.iter_mut().find(|u| {
                        u.doctor == m.doctor
                            && u.specialty == part.specialty
                            && u.months == part.calendar_months
                    }) {
                        u.reason = format!("{}; {}", m.reason, u.reason);
                    }
                }
            }
        }
        unplaced.extend(self.remaining.unplaceable.iter().cloned());
        let changes = self
            .previous
            .as_ref()
            .map(|_| changes(&self.split, &blocks));
        Plan {
            blocks,
            unplaced,
            groups,
            groups_only: false,
            replan_from: self.from,
            changes,
            review: self.locks.clone(),
            terms,
            departed: self.split.departed.clone(),
            group_changes,
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
            for c in &plan.departed {
                *by_kind.entry(c.kind.name()).or_default() += 1;
            }
            let total = changes.len() + plan.departed.len();
            let mut section = serde_json::json!({ "changes": total, "by_kind": by_kind });
            if let Some(from) = self.from {
                section["from"] = serde_json::Value::String(from.to_string());
            }
            if let Some(previous) = &self.previous {
                section["previous"] = serde_json::Value::String(previous.dir.display().to_string());
            }
            if let Some(r) = &self.roster {
                let ids = |ds: &[DoctorId]| {
                    ds.iter()
                        .map(|&d| inst.doctor(d).id.clone())
                        .collect::<Vec<_>>()
                };
                section["joiners"] = serde_json::json!(ids(&r.joiners));
                section["leavers"] = serde_json::json!(r.leavers);
                section["changed_doctors"] = serde_json::json!(
                    r.changed
                        .iter()
                        .map(|(d, what)| (inst.doctor(*d).id.clone(), what.join("; ")))
                        .collect::<BTreeMap<_, _>>()
                );
            }
            if let Some(g) = &plan.group_changes {
                section["group_changes"] = serde_json::json!(g.len());
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
