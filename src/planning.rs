//! The planning flow shared by `place`, `plan` and `replan`: what a new plan is built on
//! ([`Basis`]: review decisions and the review ledger, the plan to stay close to, the
//! history of a re-plan), the placement problem it poses, and the assembly of the
//! solvers' results into one [`Plan`] with its [`Summary`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Diagnostics;
use crate::error::{Error, Result};
use crate::groups::{GroupsResult, form_groups};
use crate::io::plan::{PLACEMENTS, read_groups, read_placements, read_review};
use crate::model::*;
use crate::placement::{PlaceOptions, Placement, Problem, place};
use crate::replan::{ChangePenalty, Split, changes, replan_problem, split_previous};
use crate::review::ledger::{apply_answers, carry_forward, ledger_locks, mark_locked_accepts};
use crate::review::{Answer, check_decisions, read_answers};
use crate::solver::SolveOptions;
use crate::summary::Summary;
use crate::travel::Travel;

/// What a new plan is built on.
pub struct Basis {
    /// Review decisions in force: the instance's `locks.csv`, the filled-in sheets and
    /// the decisions of earlier rounds in the ledger.
    pub locks: Vec<Lock>,
    /// In a re-plan: blocks accepted in earlier rounds. Moving one costs `[replan]
    /// accepted` on top of the change, but is allowed (the hospital is asked again).
    pub soft_accepts: Vec<Lock>,
    /// The review ledger with the new answers written in: what the new plan's ledger is
    /// carried forward from.
    pub review: Review,
    /// The review round of the new plan (its sheets carry it).
    pub round: u32,
    /// The answer deadline of the new plan's sheets.
    pub deadline: Option<chrono::NaiveDate>,
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
    /// `decisions` and in its ledger (`review.csv`); if that folder holds the reviewed
    /// `placements.csv`, the new plan stays close to it.
    pub fn yearly(inst: &Instance, decisions: Option<&Path>) -> Result<Basis> {
        let mut locks = inst.locks.clone();
        let mut previous = None;
        let mut review = Review::default();
        let mut round = 1;
        if let Some(dir) = decisions {
            review = read_review(inst, dir)?.unwrap_or_default();
            let answers = read_answers(inst, dir)?;
            round = review.round + 1;
            apply_answers(inst, &mut review, &answers, round - 1);
            let mut decided = answer_locks(&answers);
            add_new(&mut decided, ledger_locks(&review, Decision::Accept, inst));
            add_new(&mut decided, ledger_locks(&review, Decision::Reject, inst));
            checked(inst, &decided, dir)?;
            locks.extend(decided);
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
            soft_accepts: Vec::new(),
            review,
            round,
            deadline: None,
            previous,
            split,
            from: None,
            previous_dir: None,
            previous_groups: None,
        })
    }

    /// A re-plan of the plan published in `previous` from month `from` on, with the
    /// decisions in the review sheets of `decisions`. The ledger of `previous` comes
    /// along: its rejections stay, and its acceptances are kept unless a block must move.
    pub fn replan(
        inst: &Instance,
        previous: &Path,
        from: Month,
        decisions: Option<&Path>,
    ) -> Result<Basis> {
        let blocks = read_placements(inst, previous)?;
        let mut review = read_review(inst, previous)?.unwrap_or_default();
        let mut locks = inst.locks.clone();
        let mut round = review.round;
        let mut decided = Vec::new();
        if let Some(dir) = decisions {
            let answers = read_answers(inst, dir)?;
            let answered = read_review(inst, dir)?.map_or(review.round, |r| r.round);
            // An accept the ledger holds already (the sheets come with it filled in) is
            // no new decision: like every earlier accept, it gives way if the block must
            // move.
            let earlier = ledger_locks(&review, Decision::Accept, inst);
            apply_answers(inst, &mut review, &answers, answered);
            round = round.max(answered);
            decided = answer_locks(&answers);
            decided.retain(|l| !earlier.iter().any(|e| same_lock(e, l)));
        }
        add_new(&mut decided, ledger_locks(&review, Decision::Reject, inst));
        if let Some(dir) = decisions {
            checked(inst, &decided, dir)?;
        }
        let mut soft_accepts = Vec::new();
        add_new(
            &mut soft_accepts,
            ledger_locks(&review, Decision::Accept, inst),
        );
        soft_accepts.retain(|l| !decided.iter().any(|d| same_lock(d, l)));
        locks.extend(decided);
        let split = split_previous(inst, &blocks, from)?;
        // Guidance groups do not depend on the months in hospital: they are kept.
        let previous_groups = read_groups(inst, previous)?;
        Ok(Basis {
            locks,
            soft_accepts,
            review,
            round: round + 1,
            deadline: None,
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
        let mut problem = replan_problem(inst, &self.split, self.from, self.locks.clone());
        if !self.soft_accepts.is_empty() {
            let mut all = self.locks.clone();
            all.extend(self.soft_accepts.iter().cloned());
            let penalty = ChangePenalty::new(inst, &self.split.future, &all);
            problem.extra_cost = Some(std::sync::Arc::new(
                move |c: &crate::placement::Candidate| penalty.cost(c),
            ));
        }
        problem
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
    pub fn assemble(
        &self,
        inst: &Instance,
        placement: &Placement,
        groups: Option<Vec<Group>>,
    ) -> Plan {
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
        let mut review = carry_forward(&self.review, &blocks, self.from, self.round);
        review.deadline = self.deadline;
        mark_locked_accepts(inst, &mut review, &self.locks);
        Plan {
            blocks,
            unplaced: placement.unplaced.clone(),
            groups,
            groups_only: false,
            replan_from: self.from,
            changes,
            review,
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
        summary.set("review", &review_section(&plan.review));
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

/// The locks the answers' decisions make.
fn answer_locks(answers: &[Answer]) -> Vec<Lock> {
    answers.iter().filter_map(Answer::lock).collect()
}

/// Whether two locks make the same decision about the same block.
fn same_lock(a: &Lock, b: &Lock) -> bool {
    a.doctor == b.doctor
        && a.hospital == b.hospital
        && a.specialty == b.specialty
        && a.start == b.start
        && a.months == b.months
        && a.decision == b.decision
}

/// Add the locks of `more` that `locks` does not have yet.
fn add_new(locks: &mut Vec<Lock>, more: Vec<Lock>) {
    for l in more {
        if !locks.iter().any(|k| same_lock(k, &l)) {
            locks.push(l);
        }
    }
}

/// The decisions of this round and of the ledger must hold together (see
/// [`check_decisions`]).
fn checked(inst: &Instance, locks: &[Lock], dir: &Path) -> Result<()> {
    let mut diags = Diagnostics::default();
    check_decisions(inst, locks, &mut diags);
    if diags.has_errors() {
        return Err(Error::input(
            format!("review decisions in {}", dir.display()),
            diags.errors,
        ));
    }
    Ok(())
}

/// The `review` section of `summary.json`: the round, the deadline and the blocks per
/// status.
fn review_section(review: &Review) -> serde_json::Value {
    let mut by_status: BTreeMap<&str, usize> =
        ReviewStatus::ALL.iter().map(|s| (s.name(), 0)).collect();
    for e in &review.entries {
        *by_status.entry(e.status.name()).or_default() += 1;
    }
    let mut section = serde_json::json!({ "round": review.round, "by_status": by_status });
    if let Some(d) = review.deadline {
        section["deadline"] = serde_json::Value::String(d.to_string());
    }
    section
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
