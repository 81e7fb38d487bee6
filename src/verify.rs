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

    /// Calendar months of service in block `b`: its span without the doctor's leave.
    fn service_months(&self, b: &Block) -> u32 {
        let d = self.inst.doctor(b.doctor);
        b.span().months().filter(|&m| !d.on_leave(m)).count() as u32
    }

    /// within_window: every new block lies between the doctor's earliest start and latest end.
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

    /// no_leave_in_block: a new block holds no month of leave (a block running when a re-plan
    /// began may); block_facts: the months, commute and relocation written are the true ones.
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

    /// one_place_at_a_time: a doctor's blocks never overlap.
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
    /// When the months add up but only the specialties are wrong the violation is
    /// `specialty_match`; when only the split is wrong, `block_shape`; otherwise
    /// `requirement_met`. A doctor listed in `unplaced.csv` may be placed in part (every
    /// block must still fit a part) or not at all.
    fn requirements(&mut self) {
        for d in self.inst.doctor_ids() {
            let doc = self.inst.doctor(d);
            let blocks: Vec<&Block> = self.plan.blocks.iter().filter(|b| b.doctor == d).collect();
            let reported = self.plan.unplaced.iter().any(|(u, _)| *u == d);
            let specialties: Vec<SpecialtyId> = blocks
                .iter()
                .map(|b| self.inst.department(b.department).specialty)
                .collect();
            let lengths: Vec<u32> = blocks.iter().map(|b| self.service_months(b)).collect();
            let fits =
                |relax: Relax| assign_blocks(&doc.requirement, &specialties, &lengths, relax);
            let exact = Relax::default();
            if fits(exact) {
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
            let partial = Relax {
                partial: reported,
                ..exact
            };
            if reported && (blocks.is_empty() || fits(partial)) {
                continue; // Reported as unplaced, with a reason; what is placed fits.
            }
            let (rule, why) = if fits(Relax {
                specialty: true,
                ..partial
            }) {
                (
                    Rule::SpecialtyMatch,
                    "the months add up but a block is in a department of the wrong specialty",
                )
            } else if fits(Relax {
                shape: true,
                ..partial
            }) {
                (
                    Rule::BlockShape,
                    "the months add up but not in the allowed blocks",
                )
            } else if reported {
                (
                    Rule::RequirementMet,
                    "listed in unplaced.csv, but the blocks placed do not fit the requirement",
                )
            } else {
                (
                    Rule::RequirementMet,
                    "the blocks do not serve the required months",
                )
            };
            let served: u32 = lengths.iter().sum();
            let need: Vec<String> = doc
                .requirement
                .iter()
                .map(|p| {
                    let split = if p.max_blocks > 1 {
                        format!(
                            " in at most {} blocks of at least {} months",
                            p.max_blocks, p.min_block
                        )
                    } else {
                        " in one block".to_string()
                    };
                    format!(
                        "{} months {}{split}",
                        p.calendar_months,
                        p.specialty
                            .map_or("any".to_string(), |s| self.inst.specialty(s).to_string())
                    )
                })
                .collect();
            let got: Vec<String> = blocks
                .iter()
                .zip(&lengths)
                .map(|(b, n)| {
                    format!(
                        "{n} months {} ({})",
                        self.inst.department_label(b.department),
                        b.span()
                    )
                })
                .collect();
            self.add(
                rule,
                Some(d),
                None,
                None,
                format!(
                    "{why}: needs {} (calendar months at {} % fte) but the plan gives {served} months: {}",
                    need.join(" + "),
                    doc.fte,
                    if got.is_empty() {
                        "nothing".to_string()
                    } else {
                        got.join(", ")
                    }
                ),
            );
        }
    }

    /// department_capacity: no department has more ALIS in a month than its slots then.
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

    /// allowed_start_months: a new block starts in a month its department starts rotations
    /// (a block running when a re-plan began started under the old plan).
    fn start_months(&mut self) {
        for b in &self.plan.blocks {
            let dept = self.inst.department(b.department);
            if self.was_running(b) || dept.may_start_in(b.start) {
                continue;
            }
            self.add(
                Rule::AllowedStartMonths,
                Some(b.doctor),
                Some(dept.hospital),
                Some(b.start),
                format!(
                    "{} starts rotations only in months {} of the year",
                    self.inst.department_label(b.department),
                    dept.start_months
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }

    /// commute_limit: a hospital beyond the doctor's longest daily commute only if they relocate.
    fn commute_limit(&mut self) {
        for b in &self.plan.blocks {
            let d = self.inst.doctor(b.doctor);
            let h = self.hospital_of(b);
            let minutes = self.travel.commute(self.inst, b.doctor, h);
            if minutes > d.max_commute && !d.relocate {
                self.add(Rule::CommuteLimit, Some(b.doctor), Some(h), Some(b.start),
                    format!("the commute is {minutes} min, above the doctor's limit of {} min, and the doctor has not agreed to relocate", d.max_commute));
            }
            let furthest = self.inst.settings.scheme.max_relocation_minutes;
            if minutes > d.max_commute && d.relocate && minutes > furthest && !self.was_running(b) {
                self.add(Rule::CommuteLimit, Some(b.doctor), Some(h), Some(b.start),
                    format!("the hospital is {minutes} min from home, beyond the relocation limit of {furthest} min ([scheme] max_relocation_minutes)"));
            }
        }
    }

    /// municipality_max_away: at most `max_away` ALIS of a municipality in hospital at once.
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

    /// group_period_in_practice: at most `max_hospital_months` of a doctor's guidance-group
    /// period are hospital months.
    fn group_period(&mut self) {
        let g = &self.inst.settings.groups;
        for d in self.inst.doctor_ids() {
            let doc = self.inst.doctor(d);
            let Some(period) = doc.group_period(g.months) else {
                continue;
            };
            let in_hospital = self
                .plan
                .blocks
                .iter()
                .filter(|b| b.doctor == d)
                .flat_map(|b| b.start.through(b.end))
                .filter(|&m| period.contains(m) && !doc.on_leave(m))
                .count() as i32;
            if in_hospital > g.max_hospital_months as i32 {
                self.add(Rule::GroupPeriodInPractice, Some(d), None, Some(period.first), format!(
                    "{in_hospital} of the {} guidance-group months ({period}) are in hospital; at most {} may be", g.months, g.max_hospital_months));
            }
        }
    }

    /// locks_respected: an accepted placement is in the plan, a rejected one is not.
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

    /// The guidance-group rules: membership, size, venue and supervisor capacity,
    /// municipality mix, start spread and the travel minutes written.
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

/// Which conditions of a requirement [`assign_blocks`] may ignore, to find out which one a
/// plan breaks.
#[derive(Clone, Copy, Debug, Default)]
struct Relax {
    /// Any block may serve a part tied to a specialty.
    specialty: bool,
    /// Ignore `max_blocks` and `min_block`.
    shape: bool,
    /// A part may be served in part (fewer months than required), for doctors reported
    /// unplaced.
    partial: bool,
}

/// Whether blocks (by specialty and length) can be assigned to requirement parts so that
/// each part is served exactly, by at most `max_blocks` blocks of the right specialty, each
/// at least `min_block` long when the part is split — less whatever `relax` ignores. Plain
/// backtracking: a doctor has few blocks.
fn assign_blocks(
    parts: &[RequirementPart],
    specialties: &[SpecialtyId],
    lengths: &[u32],
    relax: Relax,
) -> bool {
    let mut chosen = vec![None; lengths.len()];
    assign_from(parts, specialties, lengths, relax, &mut chosen, 0)
}

fn assign_from(
    parts: &[RequirementPart],
    specialties: &[SpecialtyId],
    lengths: &[u32],
    relax: Relax,
    chosen: &mut [Option<usize>],
    next: usize,
) -> bool {
    if next == lengths.len() {
        return parts.iter().enumerate().all(|(p, part)| {
            let mine: Vec<u32> = (0..lengths.len())
                .filter(|&i| chosen[i] == Some(p))
                .map(|i| lengths[i])
                .collect();
            let total: u32 = mine.iter().sum();
            let blocks = mine.len() as u32;
            if relax.partial && total == 0 {
                return true; // Nothing placed for this part.
            }
            if relax.partial && total < part.calendar_months {
                // Served in part: another block must still fit, so this is a split.
                return relax.shape
                    || (blocks < part.max_blocks && mine.iter().all(|&l| l >= part.min_block));
            }
            let shape_ok = relax.shape
                || (blocks <= part.max_blocks
                    && (blocks == 1 || mine.iter().all(|&l| l >= part.min_block)));
            total == part.calendar_months && shape_ok
        });
    }
    for (p, part) in parts.iter().enumerate() {
        if !relax.specialty && part.specialty.is_some_and(|s| s != specialties[next]) {
            continue;
        }
        chosen[next] = Some(p);
        if assign_from(parts, specialties, lengths, relax, chosen, next + 1) {
            return true;
        }
    }
    chosen[next] = None;
    false
}

/// History is frozen in a re-plan: every block of the `previous` plan that ended before
/// `from` is in the new plan unchanged, every block running at `from` continues at the same
/// department from the same start, and no new block starts before `from`.
pub fn history_frozen(
    inst: &Instance,
    previous: &[Block],
    new: &[Block],
    from: Month,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let violation = |b: &Block, message: String| Violation {
        rule: Rule::HistoryFrozen,
        doctor: Some(inst.doctor(b.doctor).id.clone()),
        hospital: Some(
            inst.hospital(inst.department(b.department).hospital)
                .id
                .clone(),
        ),
        month: Some(b.start),
        message,
    };
    for b in previous.iter().filter(|b| b.start < from) {
        let kept = new.iter().any(|n| {
            n.doctor == b.doctor
                && n.department == b.department
                && n.start == b.start
                && if b.end < from {
                    n.end == b.end
                } else {
                    n.end >= b.end
                }
        });
        if !kept {
            out.push(violation(
                b,
                format!(
                    "the block {} started before {from} and must be kept",
                    b.span()
                ),
            ));
        }
    }
    for n in new.iter().filter(|n| n.start < from) {
        if !previous
            .iter()
            .any(|b| b.doctor == n.doctor && b.department == n.department && b.start == n.start)
        {
            out.push(violation(
                n,
                format!(
                    "the block {} starts before {from} but was not in the previous plan",
                    n.span()
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::load_instance;
    use crate::io::plan::{groups_csv, placements_csv, read_plan};

    /// A tiny instance: 7 doctors in 5 municipalities, two hospitals (H2 across a ferry,
    /// beyond everyone's 60-minute commute), three departments, leave, split and
    /// specialty requirements, locks, and guidance groups of 2–3 with at most one member
    /// per municipality and start months at most 6 apart.
    const TINY: [(&str, &str); 13] = [
        (
            "settings.toml",
            "name = \"tiny\"\n[horizon]\nstart = \"2027-01\"\nend = \"2028-12\"\n\
             [scheme]\nmax_commute = 60\n\
             [groups]\nmin_size = 2\nmax_size = 3\nmax_per_municipality = 1\n\
             max_start_spread = 6\nmonths = 12\nmax_hospital_months = 3\n",
        ),
        (
            "places.csv",
            "id,name,lat,lon\nta,A town,60.0,5.0\ntb,B town,60.1,5.1\ntc,C town,60.2,5.2\n\
             td,D town,60.3,5.3\nte,E town,60.4,5.4\nh1,Hospital town 1,60.5,5.5\n\
             h2,Hospital town 2,61.0,6.0\n",
        ),
        (
            "network.csv",
            "from,to,minutes,km,mode\nta,h1,30,30,road\ntb,h1,40,40,road\ntc,h1,20,20,road\n\
             td,h1,50,50,road\nte,h1,45,45,road\nh1,h2,100,60,ferry\n",
        ),
        (
            "municipalities.csv",
            "id,name,place,max_away\nma,A,ta,1\nmb,B,tb,1\nmc,C,tc,2\nmd,D,td,1\nme,E,te,1\n",
        ),
        (
            "hospitals.csv",
            "id,name,place\nH1,Hospital One,h1\nH2,Hospital Two,h2\n",
        ),
        (
            "departments.csv",
            "hospital,specialty,capacity,start_months\nH1,medicine,1,\nH1,surgery,2,1;7\n\
             H2,medicine,2,\n",
        ),
        (
            "doctors.csv",
            "id,name,municipality,scheme,earliest,relocate,group_from\n\
             D1,One,ma,new,,no,2027-01\nD2,Two,mb,new,2027-07,no,2027-04\n\
             D3,Three,mc,new,,yes,2027-09\nD4,Four,mc,old,,no,2027-03\n\
             D5,Five,ma,new,,no,\nD6,Six,me,new,,no,\nD7,Seven,md,new,,yes,2027-05\n",
        ),
        (
            "requirements.csv",
            "doctor,specialty,months,min_block,max_blocks\nD4,medicine,6,,\nD4,any,6,,\n\
             D5,any,6,3,2\n",
        ),
        (
            "leave.csv",
            "doctor,from,to,kind\nD6,2027-03,2027-04,sick\n",
        ),
        (
            "locks.csv",
            "doctor,hospital,decision\nD3,H2,accept\nD7,H1,reject\n",
        ),
        (
            "supervisors.csv",
            "id,name,place,max_groups\nS1,Sup One,ta,1\nS2,Sup Two,tb,1\nS3,Sup Three,tc,1\n",
        ),
        ("venues.csv", "place,max_groups\ntc,1\nh1,1\nta,1\n"),
        ("preferences.csv", "doctor,hospital,weight\nD1,H1,1\n"),
    ];

    /// The tiny instance, loaded, with its travel network.
    struct Tiny {
        inst: Instance,
        travel: Travel,
    }

    fn tiny() -> Tiny {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in TINY {
            std::fs::write(dir.path().join(name), text).expect("write instance file");
        }
        let inst = match load_instance(dir.path()) {
            Ok(inst) => inst,
            Err(e) => panic!("the tiny instance must load: {e}"),
        };
        assert!(inst.warnings.is_empty(), "{:?}", inst.warnings);
        let travel = Travel::new(&inst);
        Tiny { inst, travel }
    }

    fn month(s: &str) -> Month {
        s.parse().expect("a month")
    }

    impl Tiny {
        fn doctor(&self, id: &str) -> DoctorId {
            self.inst
                .doctor_id(id)
                .expect("a doctor of the tiny instance")
        }

        /// A block with its facts (months, commute, relocation) written as they should be.
        fn block(
            &self,
            doctor: &str,
            hospital: &str,
            specialty: &str,
            start: &str,
            end: &str,
        ) -> Block {
            let d = self.doctor(doctor);
            let h = self.inst.hospital_id(hospital).expect("hospital");
            let s = self.inst.specialty_id(specialty).expect("specialty");
            let department = self.inst.department_id(h, s).expect("department");
            let span = MonthRange::new(month(start), month(end));
            let doc = self.inst.doctor(d);
            let commute = self.travel.commute(&self.inst, d, h);
            Block {
                doctor: d,
                department,
                start: span.first,
                end: span.last,
                months: span.months().filter(|&m| !doc.on_leave(m)).count() as u32,
                commute_minutes: commute,
                relocate: commute > doc.max_commute,
            }
        }

        /// A group with the members' travel minutes written as the network gives them.
        fn group(&self, id: &str, venue: &str, supervisor: &str, members: &[&str]) -> Group {
            let venue = self.inst.venue_id(venue).expect("venue");
            let place = self.inst.venues[venue.index()].place;
            Group {
                id: id.into(),
                venue,
                supervisor: self.inst.supervisor_id(supervisor).expect("supervisor"),
                members: members
                    .iter()
                    .map(|m| {
                        let d = self.doctor(m);
                        (d, self.travel.minutes(self.inst.home_of(d), place))
                    })
                    .collect(),
            }
        }

        /// A plan that keeps every rule.
        fn correct(&self) -> PlanToCheck {
            PlanToCheck {
                blocks: vec![
                    self.block("D1", "H1", "medicine", "2028-01", "2028-06"),
                    self.block("D2", "H1", "surgery", "2028-07", "2028-12"),
                    self.block("D3", "H2", "medicine", "2027-01", "2027-06"),
                    self.block("D4", "H1", "surgery", "2028-01", "2028-06"),
                    self.block("D4", "H1", "medicine", "2028-07", "2028-12"),
                    self.block("D5", "H1", "medicine", "2027-01", "2027-03"),
                    self.block("D5", "H1", "medicine", "2027-07", "2027-09"),
                    self.block("D6", "H1", "surgery", "2027-07", "2027-12"),
                    self.block("D7", "H2", "medicine", "2028-05", "2028-10"),
                ],
                groups: Some(self.correct_groups()),
                unplaced: Vec::new(),
                replan_from: None,
                groups_only: false,
            }
        }

        fn correct_groups(&self) -> Vec<Group> {
            vec![
                self.group("G1", "tc", "S1", &["D1", "D4"]),
                self.group("G2", "h1", "S2", &["D2", "D3", "D7"]),
            ]
        }

        /// The correct plan with `doctor`'s blocks replaced by `blocks`.
        fn with_blocks(&self, doctor: &str, blocks: Vec<Block>) -> PlanToCheck {
            let d = self.doctor(doctor);
            let mut plan = self.correct();
            plan.blocks.retain(|b| b.doctor != d);
            plan.blocks.extend(blocks);
            plan
        }

        /// The correct plan with other groups.
        fn with_groups(&self, groups: Vec<Group>) -> PlanToCheck {
            PlanToCheck {
                groups: Some(groups),
                ..self.correct()
            }
        }

        /// The rules `plan` breaks, each once, in order.
        fn broken(&self, plan: &PlanToCheck) -> Vec<Rule> {
            let mut rules: Vec<Rule> = verify(&self.inst, plan).iter().map(|v| v.rule).collect();
            rules.sort();
            rules.dedup();
            rules
        }

        /// `plan` breaks `rule` and nothing else; returns the violations.
        fn breaks_only(&self, plan: &PlanToCheck, rule: Rule) -> Vec<Violation> {
            let v = verify(&self.inst, plan);
            assert_eq!(self.broken(plan), vec![rule], "violations: {v:#?}");
            v
        }
    }

    #[test]
    fn a_correct_plan_passes() {
        let t = tiny();
        let v = verify(&t.inst, &t.correct());
        assert!(v.is_empty(), "{v:#?}");
    }

    #[test]
    fn requirement_met_too_few_months() {
        let t = tiny();
        let plan = t.with_blocks(
            "D1",
            vec![t.block("D1", "H1", "medicine", "2028-01", "2028-05")],
        );
        let v = t.breaks_only(&plan, Rule::RequirementMet);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].doctor.as_deref(), Some("D1"));
        assert!(v[0].message.contains("gives 5 months"), "{}", v[0].message);
    }

    #[test]
    fn requirement_met_doctor_left_out() {
        let t = tiny();
        let v = t.breaks_only(&t.with_blocks("D1", vec![]), Rule::RequirementMet);
        assert!(v[0].message.contains("nothing"), "{}", v[0].message);
    }

    #[test]
    fn an_unplaced_doctor_with_a_reason_and_no_blocks_passes() {
        let t = tiny();
        let mut plan = t.with_blocks("D1", vec![]);
        plan.unplaced = vec![(t.doctor("D1"), "no slot within reach".into())];
        assert_eq!(t.broken(&plan), vec![]);
    }

    #[test]
    fn an_unplaced_doctor_may_be_placed_in_part_in_an_allowed_block() {
        let t = tiny();
        // D5 may split 6 months into 2 blocks of at least 3: one block of 3 can be
        // completed later.
        let mut plan = t.with_blocks(
            "D5",
            vec![t.block("D5", "H1", "medicine", "2027-01", "2027-03")],
        );
        plan.unplaced = vec![(t.doctor("D5"), "only 3 months found".into())];
        assert_eq!(t.broken(&plan), vec![]);
        // D1 must serve in one block: 3 months of it cannot be completed by another block.
        let mut plan = t.with_blocks(
            "D1",
            vec![t.block("D1", "H1", "medicine", "2028-01", "2028-03")],
        );
        plan.unplaced = vec![(t.doctor("D1"), "only 3 months found".into())];
        t.breaks_only(&plan, Rule::BlockShape);
    }

    #[test]
    fn a_doctor_listed_unplaced_but_placed_in_full_is_reported() {
        let t = tiny();
        let mut plan = t.correct();
        plan.unplaced = vec![(t.doctor("D2"), "no slot".into())];
        let v = t.breaks_only(&plan, Rule::RequirementMet);
        assert!(v[0].message.contains("unplaced.csv"), "{}", v[0].message);
    }

    #[test]
    fn specialty_match_medicine_served_in_surgery() {
        let t = tiny();
        // D4 needs 6 months medicine + 6 any; both blocks are now in surgery.
        let plan = t.with_blocks(
            "D4",
            vec![
                t.block("D4", "H1", "surgery", "2028-01", "2028-06"),
                t.block("D4", "H1", "surgery", "2028-07", "2028-12"),
            ],
        );
        let v = t.breaks_only(&plan, Rule::SpecialtyMatch);
        assert_eq!(v[0].doctor.as_deref(), Some("D4"));
    }

    #[test]
    fn block_shape_split_block_shorter_than_min_block() {
        let t = tiny();
        let plan = t.with_blocks(
            "D5",
            vec![
                t.block("D5", "H1", "medicine", "2027-01", "2027-02"),
                t.block("D5", "H1", "medicine", "2027-07", "2027-10"),
            ],
        );
        t.breaks_only(&plan, Rule::BlockShape);
    }

    #[test]
    fn block_shape_split_although_one_block_is_required() {
        let t = tiny();
        let plan = t.with_blocks(
            "D1",
            vec![
                t.block("D1", "H1", "medicine", "2028-01", "2028-03"),
                t.block("D1", "H1", "medicine", "2028-04", "2028-06"),
            ],
        );
        t.breaks_only(&plan, Rule::BlockShape);
    }

    #[test]
    fn within_window_block_before_earliest() {
        let t = tiny();
        // D2 may start 2027-07 at the earliest.
        let plan = t.with_blocks(
            "D2",
            vec![t.block("D2", "H1", "surgery", "2027-01", "2027-06")],
        );
        let v = t.breaks_only(&plan, Rule::WithinWindow);
        assert_eq!(v[0].month, Some(month("2027-01")));
    }

    #[test]
    fn no_leave_in_block() {
        let t = tiny();
        // D6 is on sick leave 2027-03..04; 8 calendar months give the 6 of service.
        let plan = t.with_blocks(
            "D6",
            vec![t.block("D6", "H1", "surgery", "2027-01", "2027-08")],
        );
        let v = t.breaks_only(&plan, Rule::NoLeaveInBlock);
        let months: Vec<Month> = v.iter().filter_map(|v| v.month).collect();
        assert_eq!(months, [month("2027-03"), month("2027-04")]);
    }

    #[test]
    fn a_running_block_of_a_replan_may_contain_leave() {
        let t = tiny();
        let mut plan = t.with_blocks(
            "D6",
            vec![t.block("D6", "H1", "surgery", "2027-01", "2027-08")],
        );
        plan.replan_from = Some(month("2027-05"));
        assert_eq!(t.broken(&plan), vec![]);
        // A block that starts at or after the re-plan month is new and may not.
        let mut plan = t.with_blocks(
            "D6",
            vec![t.block("D6", "H1", "surgery", "2027-01", "2027-08")],
        );
        plan.replan_from = Some(month("2027-01"));
        t.breaks_only(&plan, Rule::NoLeaveInBlock);
    }

    #[test]
    fn one_place_at_a_time() {
        let t = tiny();
        let plan = t.with_blocks(
            "D5",
            vec![
                t.block("D5", "H1", "medicine", "2027-01", "2027-03"),
                t.block("D5", "H1", "surgery", "2027-01", "2027-03"),
            ],
        );
        let v = t.breaks_only(&plan, Rule::OnePlaceAtATime);
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn department_capacity() {
        let t = tiny();
        // H1 medicine has one slot; D5 is there 2027-07..09.
        let plan = t.with_blocks(
            "D6",
            vec![t.block("D6", "H1", "medicine", "2027-07", "2027-12")],
        );
        let v = t.breaks_only(&plan, Rule::DepartmentCapacity);
        assert_eq!(v.len(), 3);
        assert!(v.iter().all(|v| v.hospital.as_deref() == Some("H1")));
        assert!(v[0].message.contains("D5") && v[0].message.contains("D6"));
    }

    #[test]
    fn capacity_overrides_are_honoured() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in TINY {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        // H1 surgery closes in 2028-08: D2's block there now overflows it.
        std::fs::write(
            dir.path().join("capacity.csv"),
            "hospital,specialty,from,to,capacity\nH1,surgery,2028-08,2028-08,0\n",
        )
        .expect("write");
        let inst = load_instance(dir.path()).expect("loads");
        let t = Tiny {
            travel: Travel::new(&inst),
            inst,
        };
        let v = t.breaks_only(&t.correct(), Rule::DepartmentCapacity);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].month, Some(month("2028-08")));
    }

    #[test]
    fn allowed_start_months() {
        let t = tiny();
        // H1 surgery starts rotations in January and July only.
        let plan = t.with_blocks(
            "D2",
            vec![t.block("D2", "H1", "surgery", "2028-06", "2028-11")],
        );
        let v = t.breaks_only(&plan, Rule::AllowedStartMonths);
        assert_eq!(v[0].month, Some(month("2028-06")));
    }

    #[test]
    fn commute_limit() {
        let t = tiny();
        // D1 will not relocate; H2 is 130 minutes from A town.
        let plan = t.with_blocks(
            "D1",
            vec![t.block("D1", "H2", "medicine", "2028-01", "2028-06")],
        );
        let v = t.breaks_only(&plan, Rule::CommuteLimit);
        assert!(v[0].message.contains("130 min"), "{}", v[0].message);
    }

    #[test]
    fn relocation_beyond_the_relocation_limit() {
        let mut t = tiny();
        // D3 relocates to H2, 120 minutes from C town; allow only 100.
        t.inst.settings.scheme.max_relocation_minutes = 100;
        let v = t.breaks_only(&t.correct(), Rule::CommuteLimit);
        assert!(
            v[0].message.contains("relocation limit of 100 min"),
            "{}",
            v[0].message
        );
    }

    #[test]
    fn municipality_max_away() {
        let t = tiny();
        // D5 and D1 both live in municipality ma (max_away 1); D1 is away 2028-01..06.
        let plan = t.with_blocks(
            "D5",
            vec![
                t.block("D5", "H1", "surgery", "2028-01", "2028-03"),
                t.block("D5", "H1", "medicine", "2027-07", "2027-09"),
            ],
        );
        let v = t.breaks_only(&plan, Rule::MunicipalityMaxAway);
        assert_eq!(v.len(), 3);
        assert!(
            v[0].message.starts_with("ma has 2 ALIS"),
            "{}",
            v[0].message
        );
    }

    #[test]
    fn group_period_in_practice() {
        let t = tiny();
        // D2's group period is 2027-04..2028-03; at most 3 of its months in hospital.
        let plan = t.with_blocks(
            "D2",
            vec![t.block("D2", "H1", "surgery", "2027-07", "2027-12")],
        );
        let v = t.breaks_only(&plan, Rule::GroupPeriodInPractice);
        assert!(v[0].message.starts_with("6 of the 12"), "{}", v[0].message);
    }

    #[test]
    fn locks_respected_accept_not_kept() {
        let t = tiny();
        // locks.csv accepts D3 at H2.
        let plan = t.with_blocks(
            "D3",
            vec![t.block("D3", "H1", "surgery", "2027-01", "2027-06")],
        );
        let v = t.breaks_only(&plan, Rule::LocksRespected);
        assert!(v[0].message.starts_with("accept"), "{}", v[0].message);
    }

    #[test]
    fn locks_respected_reject_ignored() {
        let t = tiny();
        // locks.csv rejects D7 at H1.
        let plan = t.with_blocks(
            "D7",
            vec![t.block("D7", "H1", "surgery", "2027-01", "2027-06")],
        );
        let v = t.breaks_only(&plan, Rule::LocksRespected);
        assert!(v[0].message.starts_with("reject"), "{}", v[0].message);
    }

    #[test]
    fn block_facts_commute_minutes() {
        let t = tiny();
        let mut b = t.block("D1", "H1", "medicine", "2028-01", "2028-06");
        b.commute_minutes += 1;
        t.breaks_only(&t.with_blocks("D1", vec![b]), Rule::BlockFacts);
    }

    #[test]
    fn block_facts_months() {
        let t = tiny();
        // The months written are wrong, the span itself is right: only the fact is wrong.
        let mut b = t.block("D1", "H1", "medicine", "2028-01", "2028-06");
        b.months = 7;
        let v = t.breaks_only(&t.with_blocks("D1", vec![b]), Rule::BlockFacts);
        assert!(v[0].message.contains("written as 7"), "{}", v[0].message);
    }

    #[test]
    fn block_facts_relocation() {
        let t = tiny();
        let mut b = t.block("D3", "H2", "medicine", "2027-01", "2027-06");
        b.relocate = false;
        t.breaks_only(&t.with_blocks("D3", vec![b]), Rule::BlockFacts);
    }

    #[test]
    fn group_membership_doctor_without_group_period() {
        let t = tiny();
        let plan = t.with_groups(vec![
            t.group("G1", "tc", "S1", &["D1", "D4", "D6"]),
            t.group("G2", "h1", "S2", &["D2", "D3", "D7"]),
        ]);
        let v = t.breaks_only(&plan, Rule::GroupMembership);
        assert_eq!(v[0].doctor.as_deref(), Some("D6"));
    }

    #[test]
    fn group_membership_doctor_due_but_in_no_group() {
        let t = tiny();
        let plan = t.with_groups(vec![
            t.group("G1", "tc", "S1", &["D1", "D4"]),
            t.group("G2", "h1", "S2", &["D2", "D3"]),
        ]);
        let v = t.breaks_only(&plan, Rule::GroupMembership);
        assert_eq!(v[0].doctor.as_deref(), Some("D7"));
    }

    #[test]
    fn group_size() {
        let t = tiny();
        let plan = t.with_groups(vec![
            t.group("G1", "tc", "S1", &["D1", "D4"]),
            t.group("G2", "h1", "S2", &["D2", "D3"]),
            t.group("G3", "ta", "S3", &["D7"]),
        ]);
        let v = t.breaks_only(&plan, Rule::GroupSize);
        assert!(
            v[0].message.starts_with("group G3 has 1"),
            "{}",
            v[0].message
        );
    }

    #[test]
    fn venue_capacity() {
        let t = tiny();
        let plan = t.with_groups(vec![
            t.group("G1", "tc", "S1", &["D1", "D4"]),
            t.group("G2", "tc", "S2", &["D2", "D3", "D7"]),
        ]);
        t.breaks_only(&plan, Rule::VenueCapacity);
    }

    #[test]
    fn supervisor_capacity() {
        let t = tiny();
        let plan = t.with_groups(vec![
            t.group("G1", "tc", "S1", &["D1", "D4"]),
            t.group("G2", "h1", "S1", &["D2", "D3", "D7"]),
        ]);
        t.breaks_only(&plan, Rule::SupervisorCapacity);
    }

    #[test]
    fn group_municipality_mix() {
        let t = tiny();
        // D3 and D4 both live in municipality mc; one per municipality is allowed.
        let plan = t.with_groups(vec![
            t.group("G1", "tc", "S1", &["D1", "D7"]),
            t.group("G2", "h1", "S2", &["D2", "D3", "D4"]),
        ]);
        t.breaks_only(&plan, Rule::GroupMunicipalityMix);
    }

    #[test]
    fn group_start_spread() {
        let t = tiny();
        // D1 starts 2027-01 and D3 2027-09: 8 months apart, at most 6 allowed.
        let plan = t.with_groups(vec![
            t.group("G1", "tc", "S1", &["D1", "D3"]),
            t.group("G2", "h1", "S2", &["D2", "D4", "D7"]),
        ]);
        let v = t.breaks_only(&plan, Rule::GroupStartSpread);
        assert!(v[0].message.contains("8 months apart"), "{}", v[0].message);
    }

    #[test]
    fn group_travel_facts() {
        let t = tiny();
        let mut groups = t.correct_groups();
        groups[0].members[0].1 += 1;
        t.breaks_only(&t.with_groups(groups), Rule::GroupTravelFacts);
    }

    #[test]
    fn a_plan_written_and_read_back_passes() {
        let t = tiny();
        let plan = t.correct();
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("placements.csv"),
            placements_csv(&t.inst, &plan.blocks),
        )
        .expect("write");
        std::fs::write(
            dir.path().join("groups.csv"),
            groups_csv(&t.inst, plan.groups.as_deref().expect("groups")),
        )
        .expect("write");
        let back = read_plan(&t.inst, dir.path()).expect("reads back");
        let mut want = plan.blocks.clone();
        sort_blocks(&mut want);
        assert_eq!(back.blocks, want);
        assert_eq!(back.groups, plan.groups);
        assert_eq!(back.replan_from, None);
        assert!(verify(&t.inst, &back).is_empty());
    }

    #[test]
    fn a_replan_folder_declares_its_start_in_summary_json() {
        let t = tiny();
        let plan = t.with_blocks(
            "D6",
            vec![t.block("D6", "H1", "surgery", "2027-01", "2027-08")],
        );
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("placements.csv"),
            placements_csv(&t.inst, &plan.blocks),
        )
        .expect("write");
        let back = read_plan(&t.inst, dir.path()).expect("reads");
        assert_eq!(t.broken(&back), vec![Rule::NoLeaveInBlock]);
        std::fs::write(
            dir.path().join("summary.json"),
            "{\"replan\": {\"from\": \"2027-05\"}}\n",
        )
        .expect("write");
        let back = read_plan(&t.inst, dir.path()).expect("reads");
        assert_eq!(back.replan_from, Some(month("2027-05")));
        assert_eq!(t.broken(&back), vec![]);
    }

    #[test]
    fn unplaced_csv_is_read_with_the_plan() {
        let t = tiny();
        let plan = t.with_blocks("D1", vec![]);
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("placements.csv"),
            placements_csv(&t.inst, &plan.blocks),
        )
        .expect("write");
        std::fs::write(
            dir.path().join("unplaced.csv"),
            "doctor,specialty,months,reason\nD1,any,6,no slot within reach\n",
        )
        .expect("write");
        let back = read_plan(&t.inst, dir.path()).expect("reads");
        assert_eq!(
            back.unplaced,
            vec![(t.doctor("D1"), "no slot within reach".to_string())]
        );
        assert_eq!(t.broken(&back), vec![]);
    }

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

    const EXACT: Relax = Relax {
        specialty: false,
        shape: false,
        partial: false,
    };

    #[test]
    fn assigns_blocks_to_parts_by_specialty() {
        // 6 medicine + 6 any, served as 6 months surgery then 6 months medicine.
        let parts = [part(Some(0), 6, 3, 1), part(None, 6, 3, 1)];
        assert!(assign_blocks(
            &parts,
            &[SpecialtyId(1), SpecialtyId(0)],
            &[6, 6],
            EXACT
        ));
        // Two surgery blocks cannot serve the medicine part, unless specialties are ignored.
        let surgery = [SpecialtyId(1), SpecialtyId(1)];
        assert!(!assign_blocks(&parts, &surgery, &[6, 6], EXACT));
        assert!(assign_blocks(
            &parts,
            &surgery,
            &[6, 6],
            Relax {
                specialty: true,
                ..EXACT
            }
        ));
    }

    #[test]
    fn split_blocks_respect_min_block_and_max_blocks() {
        let split = [part(None, 6, 3, 2)];
        let any = [SpecialtyId(0); 3];
        assert!(assign_blocks(&split, &any[..2], &[3, 3], EXACT));
        assert!(!assign_blocks(&split, &any[..2], &[2, 4], EXACT));
        assert!(!assign_blocks(&split, &any, &[2, 2, 2], EXACT));
        assert!(!assign_blocks(&split, &any[..1], &[5], EXACT));
        let shape = Relax {
            shape: true,
            ..EXACT
        };
        assert!(assign_blocks(&split, &any[..2], &[2, 4], shape));
        assert!(assign_blocks(&split, &any, &[2, 2, 2], shape));
        assert!(!assign_blocks(&split, &any[..1], &[5], shape));
    }

    #[test]
    fn partial_service_must_leave_room_to_be_completed() {
        let partial = Relax {
            partial: true,
            ..EXACT
        };
        let any = [SpecialtyId(0); 2];
        // Split allowed: one block of 3 of 6 can be completed by another block of 3.
        assert!(assign_blocks(
            &[part(None, 6, 3, 2)],
            &any[..1],
            &[3],
            partial
        ));
        // ... but not a block of 2 (too short) or two blocks of 3 + 2 (too many).
        assert!(!assign_blocks(
            &[part(None, 6, 3, 2)],
            &any[..1],
            &[2],
            partial
        ));
        assert!(!assign_blocks(
            &[part(None, 8, 3, 2)],
            &any,
            &[3, 2],
            partial
        ));
        // One block required: a part served in part cannot be completed.
        assert!(!assign_blocks(
            &[part(None, 6, 3, 1)],
            &any[..1],
            &[3],
            partial
        ));
        // Nothing placed for a part is fine; more than required is not.
        assert!(assign_blocks(
            &[part(None, 6, 3, 1), part(Some(0), 6, 3, 1)],
            &any[..1],
            &[6],
            partial
        ));
        assert!(!assign_blocks(
            &[part(None, 6, 3, 2)],
            &any[..1],
            &[7],
            partial
        ));
    }
}
