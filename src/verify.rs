//! Re-checking a plan against its instance with plain loops over doctors, departments and
//! months. Nothing here is shared with the formulations: a bug in a model cannot hide
//! itself from this check.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::model::*;
use crate::rules::Rule;
use crate::travel::Travel;

/// One broken rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub rule: Rule,
    pub doctor: Option<String>,
    pub hospital: Option<String>,
    pub month: Option<Month>,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.rule)?;
        if let Some(d) = &self.doctor {
            write!(f, " doctor {d}")?;
        }
        if let Some(h) = &self.hospital {
            write!(f, " hospital {h}")?;
        }
        if let Some(m) = self.month {
            write!(f, " {m}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A plan as read from its folder.
#[derive(Clone, Debug, Default)]
pub struct PlanToCheck {
    pub blocks: Vec<Block>,
    pub groups: Option<Vec<Group>>,
    /// Doctors the plan reports it could not place, with the reason it gives.
    pub unplaced: Vec<(DoctorId, String)>,
    /// For a re-plan: the first month that was planned anew.
    pub replan_from: Option<Month>,
    /// The plan forms guidance groups only (no `placements.csv`): hospital rules are not
    /// checked.
    pub groups_only: bool,
}

/// Every violation of `plan` against `inst`, in a stable order.
pub fn verify(inst: &Instance, plan: &PlanToCheck) -> Vec<Violation> {
    let travel = Travel::new(inst);
    let mut v = Checker {
        inst,
        plan,
        travel: &travel,
        out: Vec::new(),
    };
    if !plan.groups_only {
        v.blocks_inside_windows();
        v.leave_and_block_facts();
        v.one_place_at_a_time();
        v.requirements();
        v.department_capacity();
        v.start_months();
        v.commute_limit();
        v.municipality_max_away();
        v.group_period();
        v.locks();
    }
    if let Some(groups) = &plan.groups {
        v.groups(groups);
    }
    v.out
}

struct Checker<'a> {
    inst: &'a Instance,
    plan: &'a PlanToCheck,
    travel: &'a Travel,
    out: Vec<Violation>,
}

impl Checker<'_> {
    fn add(
        &mut self,
        rule: Rule,
        doctor: Option<DoctorId>,
        hospital: Option<HospitalId>,
        month: Option<Month>,
        message: String,
    ) {
        self.out.push(Violation {
            rule,
            doctor: doctor.map(|d| self.inst.doctor(d).id.clone()),
            hospital: hospital.map(|h| self.inst.hospital(h).id.clone()),
            month,
            message,
        });
    }

    fn hospital_of(&self, b: &Block) -> HospitalId {
        self.inst.department(b.department).hospital
    }

    /// Whether block `b` was already running when the re-plan began.
    fn was_running(&self, b: &Block) -> bool {
        self.plan.replan_from.is_some_and(|from| b.start < from)
    }

    fn blocks_inside_windows(&mut self) {
        for b in &self.plan.blocks {
            let d = self.inst.doctor(b.doctor);
            let w = d.window;
            if self.was_running(b) {
                continue;
            }
            if b.start < w.first || b.end > w.last {
                self.add(
                    Rule::WithinWindow,
                    Some(b.doctor),
                    Some(self.hospital_of(b)),
                    Some(if b.start < w.first { b.start } else { b.end }),
                    format!("block {} lies outside the window {}", b.span(), w),
                );
            }
        }
    }

    fn leave_and_block_facts(&mut self) {
        for b in &self.plan.blocks {
            let d = self.inst.doctor(b.doctor);
            let h = self.hospital_of(b);
            let mut leave_months = 0;
            for m in b.span().months() {
                if d.on_leave(m) {
                    leave_months += 1;
                    if !self.was_running(b) {
                        self.add(
                            Rule::NoLeaveInBlock,
                            Some(b.doctor),
                            Some(h),
                            Some(m),
                            format!("the block {} contains a month of leave", b.span()),
                        );
                    }
                }
            }
            let service = b.span().len() as u32 - leave_months;
            if b.months != service {
                self.add(
                    Rule::BlockFacts,
                    Some(b.doctor),
                    Some(h),
                    Some(b.start),
                    format!(
                        "months is written as {} but the block {} has {service} months of service",
                        b.months,
                        b.span()
                    ),
                );
            }
            let minutes = self.travel.commute(self.inst, b.doctor, h);
            if b.commute_minutes != minutes {
                self.add(
                    Rule::BlockFacts,
                    Some(b.doctor),
                    Some(h),
                    Some(b.start),
                    format!(
                        "commute_minutes is written as {} but the network gives {minutes}",
                        b.commute_minutes
                    ),
                );
            }
            let must_relocate = minutes > d.max_commute;
            if b.relocate != must_relocate {
                self.add(Rule::BlockFacts, Some(b.doctor), Some(h), Some(b.start),
                    format!("relocate is written as {} but the commute of {minutes} min is {} the doctor's limit of {} min",
                        if b.relocate { "yes" } else { "no" }, if must_relocate { "above" } else { "within" }, d.max_commute));
            }
        }
    }

    fn one_place_at_a_time(&mut self) {
        let mut by_doctor: BTreeMap<DoctorId, Vec<&Block>> = BTreeMap::new();
        for b in &self.plan.blocks {
            by_doctor.entry(b.doctor).or_default().push(b);
        }
        for (d, blocks) in by_doctor {
            for (i, a) in blocks.iter().enumerate() {
                for b in &blocks[i + 1..] {
                    if a.span().overlap(&b.span()) > 0 {
                        let m = a.start.max(b.start);
                        self.add(
                            Rule::OnePlaceAtATime,
                            Some(d),
                            Some(self.hospital_of(b)),
                            Some(m),
                            format!(
                                "blocks {} at {} and {} at {} overlap",
                                a.span(),
                                self.inst.department_label(a.department),
                                b.span(),
                                self.inst.department_label(b.department)
                            ),
                        );
                    }
                }
            }
        }
    }

    /// Each doctor's blocks must serve each requirement part exactly, in the allowed shape.
    fn requirements(&mut self) {
        for d in self.inst.doctor_ids() {
            let doc = self.inst.doctor(d);
            let blocks: Vec<&Block> = self.plan.blocks.iter().filter(|b| b.doctor == d).collect();
            let reported = self.plan.unplaced.iter().any(|(u, _)| *u == d);
            let specialties: Vec<SpecialtyId> = blocks
                .iter()
                .map(|b| self.inst.department(b.department).specialty)
                .collect();
            let lengths: Vec<u32> = blocks.iter().map(|b| b.months).collect();
            if assign_blocks(
                &doc.requirement,
                &specialties,
                &lengths,
                &mut vec![None; blocks.len()],
                0,
            ) {
                if reported {
                    self.add(
                        Rule::RequirementMet,
                        Some(d),
                        None,
                        None,
                        "the doctor is listed in unplaced.csv but the plan places them in full"
                            .into(),
                    );
                }
                continue;
            }
            if reported && blocks.is_empty() {
                continue; // Reported as unplaced, with a reason, and nothing half-placed.
            }
            if reported {
                // Part of the requirement placed: every block must still fit some part.
                let served: u32 = lengths.iter().sum();
                if served <= doc.required_calendar_months() {
                    continue;
                }
            }
            let served: u32 = lengths.iter().sum();
            let need: Vec<String> = doc
                .requirement
                .iter()
                .map(|p| {
                    format!(
                        "{} months {}",
                        p.calendar_months,
                        p.specialty
                            .map_or("any".to_string(), |s| self.inst.specialty(s).to_string())
                    )
                })
                .collect();
            let got: Vec<String> = blocks
                .iter()
                .map(|b| {
                    format!(
                        "{} months {} ({})",
                        b.months,
                        self.inst.department_label(b.department),
                        b.span()
                    )
                })
                .collect();
            self.add(
                Rule::RequirementMet,
                Some(d),
                None,
                None,
                format!(
                    "needs {} (calendar months at {} % fte) but the plan gives {} months: {}",
                    need.join(" + "),
                    doc.fte,
                    served,
                    if got.is_empty() {
                        "nothing".to_string()
                    } else {
                        got.join(", ")
                    }
                ),
            );
        }
    }

    fn department_capacity(&mut self) {
        let mut used: HashMap<(DepartmentId, Month), Vec<DoctorId>> = HashMap::new();
        for b in &self.plan.blocks {
            let doc = self.inst.doctor(b.doctor);
            for m in b.span().months().filter(|&m| !doc.on_leave(m)) {
                used.entry((b.department, m)).or_default().push(b.doctor);
            }
        }
        let mut keys: Vec<_> = used.keys().copied().collect();
        keys.sort();
        for (dept, m) in keys {
            let who = &used[&(dept, m)];
            let cap = self.inst.department(dept).capacity_in(m);
            if who.len() as u32 > cap {
                let names: Vec<&str> = who
                    .iter()
                    .map(|&d| self.inst.doctor(d).id.as_str())
                    .collect();
                self.add(
                    Rule::DepartmentCapacity,
                    None,
                    Some(self.inst.department(dept).hospital),
                    Some(m),
                    format!(
                        "{} has {} slot(s) but {} ALIS: {}",
                        self.inst.department_label(dept),
                        cap,
                        who.len(),
                        names.join(", ")
                    ),
                );
            }
        }
    }

    fn start_months(&mut self) {
        for b in &self.plan.blocks {
            let dept = self.inst.department(b.department);
            if self.was_running(b) || dept.may_start_in(b.start) {
                continue;
            }
            // The second half of a block split around history is not a new start.
            self.add(
                Rule::AllowedStartMonths,
                Some(b.doctor),
                Some(dept.hospital),
                Some(b.start),
                format!(
                    "{} starts rotations only in months {:?}",
                    self.inst.department_label(b.department),
                    dept.start_months
                ),
            );
        }
    }

    fn commute_limit(&mut self) {
        for b in &self.plan.blocks {
            let d = self.inst.doctor(b.doctor);
            let h = self.hospital_of(b);
            let minutes = self.travel.commute(self.inst, b.doctor, h);
            if minutes > d.max_commute && !d.relocate {
                self.add(Rule::CommuteLimit, Some(b.doctor), Some(h), Some(b.start),
                    format!("the commute is {minutes} min, above the doctor's limit of {} min, and the doctor has not agreed to relocate", d.max_commute));
            }
        }
    }

    fn municipality_max_away(&mut self) {
        let mut away: BTreeMap<(MunicipalityId, Month), Vec<DoctorId>> = BTreeMap::new();
        for b in &self.plan.blocks {
            let doc = self.inst.doctor(b.doctor);
            for m in b.span().months() {
                away.entry((doc.municipality, m))
                    .or_default()
                    .push(b.doctor);
            }
        }
        for ((muni, m), mut who) in away {
            who.sort();
            who.dedup();
            let max = self.inst.municipality(muni).max_away;
            if who.len() as u32 > max {
                let names: Vec<&str> = who
                    .iter()
                    .map(|&d| self.inst.doctor(d).id.as_str())
                    .collect();
                self.out.push(Violation {
                    rule: Rule::MunicipalityMaxAway,
                    doctor: None,
                    hospital: None,
                    month: Some(m),
                    message: format!(
                        "{} has {} ALIS in hospital ({}) but allows {max}",
                        self.inst.municipality(muni).id,
                        who.len(),
                        names.join(", ")
                    ),
                });
            }
        }
    }

    fn group_period(&mut self) {
        let g = &self.inst.settings.groups;
        for d in self.inst.doctor_ids() {
            let doc = self.inst.doctor(d);
            let Some(period) = doc.group_period(g.months) else {
                continue;
            };
            let in_hospital: i32 = self
                .plan
                .blocks
                .iter()
                .filter(|b| b.doctor == d)
                .map(|b| b.span().overlap(&period))
                .sum();
            if in_hospital > g.max_hospital_months as i32 {
                self.add(Rule::GroupPeriodInPractice, Some(d), None, Some(period.first), format!(
                    "{in_hospital} of the {} guidance-group months ({period}) are in hospital; at most {} may be", g.months, g.max_hospital_months));
            }
        }
    }

    fn locks(&mut self) {
        for lock in &self.inst.locks {
            let matching = self
                .plan
                .blocks
                .iter()
                .filter(|b| {
                    b.doctor == lock.doctor
                        && lock.matches(self.inst.department(b.department), b.start, b.months)
                })
                .count();
            let broken = match lock.decision {
                Decision::Accept => matching == 0,
                Decision::Reject => matching > 0,
            };
            if broken {
                self.add(
                    Rule::LocksRespected,
                    Some(lock.doctor),
                    lock.hospital,
                    lock.start,
                    format!(
                        "{} ({}) is {}",
                        lock.decision,
                        lock.source,
                        if lock.decision == Decision::Accept {
                            "not kept: no block matches it"
                        } else {
                            "not respected: a block matches it"
                        }
                    ),
                );
            }
        }
    }

    fn groups(&mut self, groups: &[Group]) {
        let gs = self.inst.settings.groups.clone();
        let mut seen: HashMap<DoctorId, &str> = HashMap::new();
        let mut per_venue: BTreeMap<VenueId, u32> = BTreeMap::new();
        let mut per_supervisor: BTreeMap<SupervisorId, u32> = BTreeMap::new();
        for g in groups {
            *per_venue.entry(g.venue).or_default() += 1;
            *per_supervisor.entry(g.supervisor).or_default() += 1;
            let size = g.members.len() as u32;
            if size < gs.min_size || size > gs.max_size {
                self.group_violation(
                    Rule::GroupSize,
                    None,
                    format!(
                        "group {} has {size} members; allowed {}..{}",
                        g.id, gs.min_size, gs.max_size
                    ),
                );
            }
            let mut per_muni: BTreeMap<MunicipalityId, u32> = BTreeMap::new();
            let venue_place = self.inst.venues[g.venue.index()].place;
            for &(d, minutes) in &g.members {
                if let Some(other) = seen.insert(d, &g.id) {
                    self.group_violation(
                        Rule::GroupMembership,
                        Some(d),
                        format!("is in both group {other} and group {}", g.id),
                    );
                }
                let doc = self.inst.doctor(d);
                if !doc.needs_group {
                    self.group_violation(
                        Rule::GroupMembership,
                        Some(d),
                        format!("is in group {} but has no group period (group_from)", g.id),
                    );
                }
                *per_muni.entry(doc.municipality).or_default() += 1;
                let real = self.travel.minutes(self.inst.home_of(d), venue_place);
                if real != minutes {
                    self.group_violation(
                        Rule::GroupTravelFacts,
                        Some(d),
                        format!(
                            "travel_minutes is written as {minutes} but the network gives {real}"
                        ),
                    );
                }
            }
            for (muni, n) in per_muni {
                if n > gs.max_per_municipality {
                    self.group_violation(
                        Rule::GroupMunicipalityMix,
                        None,
                        format!(
                            "group {} has {n} members from {}; at most {}",
                            g.id,
                            self.inst.municipality(muni).id,
                            gs.max_per_municipality
                        ),
                    );
                }
            }
            let starts: Vec<Month> = g
                .members
                .iter()
                .filter_map(|&(d, _)| self.inst.doctor(d).group_from)
                .collect();
            if let (Some(lo), Some(hi)) = (starts.iter().min(), starts.iter().max())
                && lo.until(*hi) > gs.max_start_spread as i32
            {
                self.group_violation(Rule::GroupStartSpread, None, format!("group {} has group periods starting {lo} to {hi}, {} months apart; at most {}", g.id, lo.until(*hi), gs.max_start_spread));
            }
        }
        for d in self.inst.doctor_ids() {
            if self.inst.doctor(d).needs_group && !seen.contains_key(&d) {
                self.group_violation(
                    Rule::GroupMembership,
                    Some(d),
                    "is due a guidance group but is in none".into(),
                );
            }
        }
        for (v, n) in per_venue {
            let venue = &self.inst.venues[v.index()];
            if n > venue.max_groups {
                self.group_violation(
                    Rule::VenueCapacity,
                    None,
                    format!(
                        "venue {} hosts {n} groups; at most {}",
                        self.inst.place(venue.place).id,
                        venue.max_groups
                    ),
                );
            }
        }
        for (s, n) in per_supervisor {
            let sup = &self.inst.supervisors[s.index()];
            if n > sup.max_groups {
                self.group_violation(
                    Rule::SupervisorCapacity,
                    None,
                    format!(
                        "supervisor {} leads {n} groups; at most {}",
                        sup.id, sup.max_groups
                    ),
                );
            }
        }
    }

    fn group_violation(&mut self, rule: Rule, d: Option<DoctorId>, message: String) {
        self.add(rule, d, None, None, message);
    }
}

/// Whether blocks (by specialty and length) can be assigned to requirement parts so that
/// each part is served exactly, by at most `max_blocks` blocks of the right specialty, each
/// at least `min_block` long when the part is split. Plain backtracking: a doctor has few
/// blocks.
fn assign_blocks(
    parts: &[RequirementPart],
    specialties: &[SpecialtyId],
    lengths: &[u32],
    chosen: &mut Vec<Option<usize>>,
    next: usize,
) -> bool {
    if next == lengths.len() {
        return parts.iter().enumerate().all(|(p, part)| {
            let mine: Vec<u32> = (0..lengths.len())
                .filter(|&i| chosen[i] == Some(p))
                .map(|i| lengths[i])
                .collect();
            let total: u32 = mine.iter().sum();
            let split_ok = mine.len() == 1 || mine.iter().all(|&l| l >= part.min_block);
            total == part.calendar_months && mine.len() as u32 <= part.max_blocks && split_ok
        });
    }
    for (p, part) in parts.iter().enumerate() {
        if part.specialty.is_some_and(|s| s != specialties[next]) {
            continue;
        }
        chosen[next] = Some(p);
        if assign_blocks(parts, specialties, lengths, chosen, next + 1) {
            return true;
        }
    }
    chosen[next] = None;
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(
        specialty: Option<u32>,
        months: u32,
        min_block: u32,
        max_blocks: u32,
    ) -> RequirementPart {
        RequirementPart {
            specialty: specialty.map(SpecialtyId),
            months,
            calendar_months: months,
            min_block,
            max_blocks,
        }
    }

    #[test]
    fn assigns_blocks_to_parts_by_specialty() {
        // 6 medicine + 6 any, served as 6 months surgery then 6 months medicine.
        let parts = [part(Some(0), 6, 3, 1), part(None, 6, 3, 1)];
        let ok = assign_blocks(
            &parts,
            &[SpecialtyId(1), SpecialtyId(0)],
            &[6, 6],
            &mut vec![None; 2],
            0,
        );
        assert!(ok);
        // Two surgery blocks cannot serve the medicine part.
        let bad = assign_blocks(
            &parts,
            &[SpecialtyId(1), SpecialtyId(1)],
            &[6, 6],
            &mut vec![None; 2],
            0,
        );
        assert!(!bad);
    }

    #[test]
    fn split_blocks_respect_min_block_and_max_blocks() {
        let split = [part(None, 6, 3, 2)];
        assert!(assign_blocks(
            &split,
            &[SpecialtyId(0); 2],
            &[3, 3],
            &mut vec![None; 2],
            0
        ));
        assert!(!assign_blocks(
            &split,
            &[SpecialtyId(0); 2],
            &[2, 4],
            &mut vec![None; 2],
            0
        ));
        assert!(!assign_blocks(
            &split,
            &[SpecialtyId(0); 3],
            &[2, 2, 2],
            &mut vec![None; 3],
            0
        ));
        assert!(!assign_blocks(
            &split,
            &[SpecialtyId(0)],
            &[5],
            &mut vec![None; 1],
            0
        ));
    }
}
