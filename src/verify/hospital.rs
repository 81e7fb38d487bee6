//! The hospital-service rules: windows, leave and block facts, one place at a time,
//! department capacity, start months, commute, municipality absence, the group period and
//! review locks.

use std::collections::{BTreeMap, HashMap};

use super::{Checker, Violation};
use crate::model::*;
use crate::rules::Rule;

impl Checker<'_> {
    /// within_window: every new block lies between the doctor's earliest start and latest
    /// end; a block running when a re-plan began (it started under the old window) ends by
    /// the latest end.
    pub(super) fn blocks_inside_windows(&mut self) {
        for b in &self.plan.blocks {
            let d = self.inst.doctor(b.doctor);
            let w = d.window;
            if self.is_history(b) {
                continue;
            }
            let early = b.start < w.first && !self.was_running(b);
            if early || b.end > w.last {
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
    pub(super) fn leave_and_block_facts(&mut self) {
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
            if self.is_history(b) {
                continue; // Served from where the doctor lived then.
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
    pub(super) fn one_place_at_a_time(&mut self) {
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

    /// department_capacity: no department has more ALIS in a month than its slots then.
    pub(super) fn department_capacity(&mut self) {
        let mut used: HashMap<(DepartmentId, Month), Vec<DoctorId>> = HashMap::new();
        for b in &self.plan.blocks {
            let doc = self.inst.doctor(b.doctor);
            for m in b.span().months().filter(|&m| !doc.on_leave(m)) {
                if self.before_replan(m) {
                    continue; // Slots before a re-plan are history.
                }
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
    pub(super) fn start_months(&mut self) {
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

    /// commute_limit: a hospital beyond the doctor's longest daily commute only if they
    /// relocate (a block that ended before a re-plan is history).
    pub(super) fn commute_limit(&mut self) {
        let plan = self.plan;
        for b in &plan.blocks {
            if self.is_history(b) {
                continue;
            }
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
    pub(super) fn municipality_max_away(&mut self) {
        let mut away: BTreeMap<(MunicipalityId, Month), Vec<DoctorId>> = BTreeMap::new();
        for b in &self.plan.blocks {
            let doc = self.inst.doctor(b.doctor);
            for m in b.span().months().filter(|&m| !self.before_replan(m)) {
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

    /// group_period_in_practice: at least one of a doctor's two guidance-group years has no
    /// hospital month and, unless leave allows this in neither year, at least
    /// `min_practice_share` of its months in general practice. In a re-plan, a year that
    /// holds hospital months of a block begun before the re-plan month can no longer be the
    /// practice year, so the other year must be it even if leave takes more of it; if the
    /// past holds hospital months in both years, the re-plan cannot mend it and nothing is
    /// asked.
    pub(super) fn group_period(&mut self) {
        let g = &self.inst.settings.groups;
        for d in self.inst.doctor_ids() {
            let doc = self.inst.doctor(d);
            let Some(years) = doc.group_years(g.months) else {
                continue;
            };
            let count = |year: &MonthRange, hospital: bool| {
                year.months()
                    .filter(|&m| {
                        let busy = self
                            .plan
                            .blocks
                            .iter()
                            .any(|b| b.doctor == d && b.span().contains(m));
                        if hospital {
                            busy && !doc.on_leave(m)
                        } else {
                            doc.on_leave(m)
                        }
                    })
                    .count() as i32
            };
            let hospital = years.map(|y| count(&y, true));
            let leave = years.map(|y| count(&y, false));
            // Hospital months of blocks begun before the re-plan month.
            let begun = years.map(|y| {
                self.plan
                    .blocks
                    .iter()
                    .filter(|b| b.doctor == d && self.was_running(b))
                    .flat_map(|b| b.start.through(b.end))
                    .filter(|&m| y.contains(m) && !doc.on_leave(m))
                    .count()
            });
            let len = years[0].len();
            let enough = leave.map(|l| f64::from(len - l) >= g.min_practice_share * f64::from(len));
            let open = begun.map(|n| n == 0);
            let may = match [enough[0] && open[0], enough[1] && open[1]] {
                [false, false] => open,
                may => may,
            };
            if may == [false, false] || (0..2).any(|k| may[k] && hospital[k] == 0) {
                continue;
            }
            let practice = 2 * len - hospital[0] - hospital[1] - leave[0] - leave[1];
            let totals = format!(
                "of the {} group months {practice} are in practice, {} in hospital and {} on leave",
                2 * len,
                hospital[0] + hospital[1],
                leave[0] + leave[1]
            );
            let message = if hospital.iter().all(|&n| n > 0) {
                format!(
                    "both guidance-group years have hospital months ({} in {}, {} in {}), so neither is spent in general practice; {totals}",
                    hospital[0], years[0], hospital[1], years[1]
                )
            } else {
                let free = if hospital[0] == 0 { 0 } else { 1 };
                format!(
                    "the only guidance-group year without hospital months, {}, has {} of its {len} months on leave, so less than min_practice_share = {:.0} % of it is in general practice, while {} has {} hospital month(s); {totals}",
                    years[free],
                    leave[free],
                    g.min_practice_share * 100.0,
                    years[1 - free],
                    hospital[1 - free]
                )
            };
            self.add(
                Rule::GroupPeriodInPractice,
                Some(d),
                None,
                Some(years[0].first),
                message,
            );
        }
    }

    /// locks_respected: an accepted placement is in the plan, a rejected one is not.
    pub(super) fn locks(&mut self) {
        for lock in &self.inst.locks {
            // A reject cannot undo a block that had started before a re-plan: it refuses
            // the block's extension, which the re-plan checks.
            let matching = self
                .plan
                .blocks
                .iter()
                .filter(|b| lock.decision == Decision::Accept || !self.was_running(b))
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
}
