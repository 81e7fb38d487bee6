//! The planning flow shared by `place`, `plan` and `replan`: what a new plan is built on
//! ([`Basis`]: review decisions and the review ledger, the plan to stay close to, the
//! history and roster changes of a re-plan), the placement problem it poses, and the
//! assembly of the solvers' results into one [`Plan`] with its [`Summary`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Diagnostics, Error, Result};
use crate::groups::join::{Regrouped, regroup};
use crate::groups::{GroupsResult, form_groups};
use crate::io::plan::{PLACEMENTS, Previous, read_placements, read_previous, read_review};
use crate::model::*;
use crate::placement::{PlaceOptions, Placement, Problem, place};
use crate::replan::freeze::still_valid;
use crate::replan::{
    ChangePenalty, Remaining, Split, changes, problem_for, remaining, split_previous,
};
use crate::review::ledger::{apply_answers, carry_forward, ledger_locks, mark_locked_accepts};
use crate::review::{Answer, check_decisions, read_answers};
use crate::roster::{Comparison, compare};
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
            soft_accepts: Vec::new(),
            review,
            round,
            deadline: None,
            previous,
            split,
            remaining,
            from: None,
            roster: None,
        })
    }

    /// A re-plan of the plan published in `previous` from month `from` on, with the
    /// decisions in the review sheets of `decisions`. Doctors no longer in `doctors.csv`
    /// left the programme; doctors the previous plan did not know joined it. The ledger of
    /// `previous` comes along: its rejections stay, and its acceptances are kept unless a
    /// block must move.
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
        let mut review = read_review(inst, &previous.dir)?.unwrap_or_default();
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
        let split = split_previous(inst, travel, &previous, from, &locks);
        let remaining = remaining(inst, &split);
        let roster = Some(compare(inst, &previous));
        Ok(Basis {
            locks,
            soft_accepts,
            review,
            round: round + 1,
            deadline: None,
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
        let mut problem = problem_for(
            inst,
            &self.split,
            &self.remaining,
            self.from,
            self.locks.clone(),
        );
        if !self.soft_accepts.is_empty() {
            // Moving a block accepted in an earlier round costs more, but is allowed.
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
        let placement = match self.from {
            Some(_) => self.place_staged(inst, travel, opts)?,
            None => place(&self.problem(inst), travel, opts)?,
        };
        let unplaced = placement.unplaced.len() + self.remaining.unplaceable.len();
        if strict && unplaced > 0 {
            return Err(Error::Infeasible(format!(
                "{unplaced} requirement(s) could not be placed (--strict); nothing written"
            )));
        }
        Ok(placement)
    }

    /// A re-plan places in stages, to change as little as it can. First it keeps the
    /// future blocks of every doctor whose plan is still valid ([`still_valid`]) and places
    /// only the others. If that leaves a requirement unplaced, it opens up the doctors kept
    /// in the departments the unplaced doctors could use, or, if that is nearly everyone or
    /// places no more, every doctor (with the change penalties); such a stage is taken only
    /// if it places more, and then every plan it moved without need is put back. A stage
    /// starts only while a tenth of the time limit is left.
    fn place_staged(
        &self,
        inst: &Instance,
        travel: &Travel,
        opts: &PlaceOptions,
    ) -> Result<Placement> {
        let full = self.problem(inst);
        let kept = still_valid(&full, travel, &self.split, &self.remaining);
        if kept.is_empty() {
            return place(&full, travel, opts);
        }
        let mut best = self.place_keeping(inst, travel, opts, &kept)?;
        let time_for_more = || {
            !opts.solver.should_stop() && opts.solver.seconds_left() >= 0.1 * opts.solver.time_limit
        };
        if best.unplaced.is_empty() || !time_for_more() {
            return Ok(best);
        }
        let near = self.near_unplaced(&full, travel, &kept, &best.unplaced);
        let fewer: Vec<Block> = kept
            .iter()
            .filter(|b| !near.contains(&b.doctor))
            .cloned()
            .collect();
        let mut stages = Vec::new();
        // Opening three quarters of the kept plans is as good as opening them all.
        if 4 * fewer.len() > kept.len() {
            stages.push(fewer);
        }
        stages.push(Vec::new());
        let mut opened = false;
        for keep in stages {
            if opened || !time_for_more() {
                break;
            }
            let next = self.place_keeping(inst, travel, opts, &keep)?;
            if next.unplaced.len() < best.unplaced.len() {
                let mut next = next;
                next.notes.push(format!(
                    "keeping more plans as they were left {} requirement(s) unplaced; moving other doctors as well places all but {}",
                    best.unplaced.len(),
                    next.unplaced.len()
                ));
                best = next;
                opened = true;
            }
        }
        if opened && time_for_more() {
            // Put back every kept plan the opened solve moved without need.
            let back = put_back(&full, &kept, &best.blocks);
            let next = self.place_keeping(inst, travel, opts, &back)?;
            if next.unplaced.len() <= best.unplaced.len() {
                best = next;
            }
        }
        Ok(best)
    }

    /// The doctors with kept blocks in a department that a doctor of `unplaced` could be
    /// given.
    fn near_unplaced(
        &self,
        full: &Problem,
        travel: &Travel,
        kept: &[Block],
        unplaced: &[Unplaced],
    ) -> Vec<DoctorId> {
        let mut wanted: Vec<DepartmentId> = Vec::new();
        for u in unplaced {
            for (p, part) in full.parts(u.doctor).iter().enumerate() {
                let (cands, _) =
                    crate::placement::candidates::candidates_for(full, travel, u.doctor, p, part);
                wanted.extend(cands.iter().map(|c| c.department));
            }
        }
        wanted.sort();
        wanted.dedup();
        let mut near: Vec<DoctorId> = kept
            .iter()
            .filter(|b| wanted.binary_search(&b.department).is_ok())
            .map(|b| b.doctor)
            .collect();
        near.dedup();
        near
    }

    /// Place every doctor but those whose future blocks `kept` are kept as they are.
    fn place_keeping(
        &self,
        inst: &Instance,
        travel: &Travel,
        opts: &PlaceOptions,
        kept: &[Block],
    ) -> Result<Placement> {
        let mut problem = self.problem(inst);
        if kept.is_empty() {
            return place(&problem, travel, opts);
        }
        problem.fixed.extend(kept.iter().cloned());
        for b in kept {
            problem.parts[b.doctor.index()].clear();
        }
        let mut doctors: Vec<DoctorId> = kept.iter().map(|b| b.doctor).collect();
        doctors.sort();
        doctors.dedup();
        let open = problem.parts.iter().filter(|p| !p.is_empty()).count();
        let mut placement = place(&problem, travel, opts)?;
        placement.blocks.extend(kept.iter().cloned());
        sort_blocks(&mut placement.blocks);
        placement.fairness =
            crate::placement::fairness(inst, &placement.blocks, &placement.unplaced);
        placement.notes.push(format!(
            "kept the future blocks of {} doctor(s) as they were (still valid); the solve placed only the {open} doctor(s) with something left to serve, so its status and gap are for them",
            doctors.len()
        ));
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
        let mut review = carry_forward(&self.review, &blocks, self.from, self.round);
        review.deadline = self.deadline;
        mark_locked_accepts(inst, &mut review, &self.locks);
        Plan {
            blocks,
            unplaced,
            groups,
            groups_only: false,
            replan_from: self.from,
            changes,
            review,
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
        summary.set("review", &review_section(&plan.review));
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

/// The previous future blocks, among `kept`, of every doctor whose blocks can be put back
/// into `plan` in place of their new ones: the departments and municipalities keep within
/// their slots and `max_away` (the blocks themselves are still valid). Doctors are tried
/// in order, each against the plan as changed by those before.
fn put_back(problem: &Problem, kept: &[Block], plan: &[Block]) -> Vec<Block> {
    let inst = problem.inst;
    let mut now: Vec<Block> = plan.to_vec();
    let mut back = Vec::new();
    let mut doctors: Vec<DoctorId> = kept.iter().map(|b| b.doctor).collect();
    doctors.dedup();
    for d in doctors {
        let before: Vec<Block> = kept.iter().filter(|b| b.doctor == d).cloned().collect();
        let mut trial: Vec<Block> = now.iter().filter(|b| b.doctor != d).cloned().collect();
        trial.extend(before.iter().cloned());
        let doc = inst.doctor(d);
        let fits = before.iter().all(|b| {
            b.span().months().all(|m| {
                let in_dept = trial
                    .iter()
                    .filter(|o| o.department == b.department && o.span().contains(m))
                    .filter(|o| !inst.doctor(o.doctor).on_leave(m))
                    .count() as u32;
                let mut away: Vec<DoctorId> = trial
                    .iter()
                    .filter(|o| o.span().contains(m))
                    .filter(|o| inst.doctor(o.doctor).municipality == doc.municipality)
                    .map(|o| o.doctor)
                    .collect();
                away.sort();
                away.dedup();
                let room = inst.department(b.department).capacity_in(m);
                (doc.on_leave(m) || problem.fixed_in(b.department, m) + in_dept <= room)
                    && problem.fixed_away(doc.municipality, m) + away.len() as u32
                        <= inst.municipality(doc.municipality).max_away
            })
        });
        if fits {
            now = trial;
            back.extend(before);
        }
    }
    back
}

/// Share of the time limit of a command that forms guidance groups after the placement
/// (`plan`) which is kept for the groups: the placement stops that much earlier.
pub const GROUPS_SHARE: f64 = 0.2;

/// The placement's solver options in a command that forms the guidance groups after it:
/// the same options with [`GROUPS_SHARE`] of the time limit left for the groups (when any
/// doctor is due one), so that a long placement search cannot leave the groups no time.
pub fn placement_before_groups(inst: &Instance, solve: &SolveOptions) -> SolveOptions {
    let mut o = solve.clone();
    if inst.doctors.iter().any(|d| d.needs_group) {
        let kept = GROUPS_SHARE * solve.time_limit;
        o.time_limit = solve.time_limit - kept;
        o.deadline = solve.deadline.map(|d| d.earlier_by(kept));
    }
    o
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Deadline;

    fn options(limit: f64) -> SolveOptions {
        SolveOptions {
            time_limit: limit,
            gap: 0.0,
            threads: 1,
            deadline: Some(Deadline::after(limit)),
            ..SolveOptions::default()
        }
    }

    #[test]
    fn the_placement_leaves_the_groups_their_share_of_the_time_limit() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest");
        let mut inst = crate::io::load_instance(&dir).expect("alis-vest loads");
        let solve = options(60.0);
        let first = placement_before_groups(&inst, &solve);
        assert_eq!(first.time_limit, 48.0);
        let left = first.deadline.expect("a deadline").seconds_left();
        assert!(
            left <= 48.0 + 1e-6,
            "the placement stops 12 s early: {left}"
        );
        // Nobody due a group: the placement has the whole limit.
        for d in &mut inst.doctors {
            d.needs_group = false;
        }
        assert_eq!(placement_before_groups(&inst, &solve).time_limit, 60.0);
    }
}
