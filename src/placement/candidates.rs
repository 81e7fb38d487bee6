//! Candidate blocks: every (doctor, requirement part, department, start, length) that the
//! hard rules allow on their own. Only these become variables, so the model grows with the
//! real options and not with doctors × departments × months.

use crate::model::*;
use crate::travel::Travel;

use super::Problem;

/// A block the doctor could be given.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub doctor: DoctorId,
    /// Index into the doctor's requirement parts (as given by [`Problem::parts`]).
    pub part: usize,
    pub department: DepartmentId,
    pub start: Month,
    /// Calendar months of service.
    pub len: u32,
    /// Last month of the block (after the leave months it is extended around, if any).
    pub end: Month,
    /// One-way minutes from home to the hospital.
    pub commute: u32,
    /// Whether the doctor must live near the hospital during the week.
    pub relocate: bool,
}

impl Candidate {
    pub fn span(&self) -> MonthRange {
        MonthRange::new(self.start, self.end)
    }

    /// Whether the doctor serves (is in the department) in month `m`.
    pub fn covers(&self, m: Month) -> bool {
        self.start <= m && m <= self.end
    }

    pub fn block(&self) -> Block {
        Block {
            doctor: self.doctor,
            department: self.department,
            start: self.start,
            end: self.end,
            months: self.len,
            commute_minutes: self.commute,
            relocate: self.relocate,
        }
    }
}

/// Why a doctor's part has no candidate in some department: the filters a candidate went
/// through, counted, so that an unplaced doctor can be explained.
#[derive(Clone, Debug, Default)]
pub struct Pruned {
    pub wrong_specialty: usize,
    pub too_far: usize,
    pub relocation_too_far: usize,
    pub outside_window: usize,
    pub start_month: usize,
    pub leave: usize,
    pub no_slots: usize,
    pub rejected: usize,
    pub group_period: usize,
    pub before_from: usize,
}

/// All candidates of `d`'s part `p`, and what pruned the others.
pub fn candidates_for(
    problem: &Problem,
    travel: &Travel,
    d: DoctorId,
    p: usize,
    part: &RequirementPart,
) -> (Vec<Candidate>, Pruned) {
    candidates_matching(problem, travel, d, p, part, None)
}

/// The candidates of `d`'s part `p` that match `only` (every block when `None`), and what
/// pruned the other blocks that match it.
pub fn candidates_matching(
    problem: &Problem,
    travel: &Travel,
    d: DoctorId,
    p: usize,
    part: &RequirementPart,
    only: Option<&Lock>,
) -> (Vec<Candidate>, Pruned) {
    let inst = problem.inst;
    let doc = inst.doctor(d);
    let mut out = Vec::new();
    let mut why = Pruned::default();
    let window = problem.window(d);
    let group = crate::groups::years::practice_years(inst, doc);
    let lengths = part.block_lengths();
    let home = inst.home_of(d);
    for k in inst.department_ids() {
        let dept = inst.department(k);
        if only.is_some_and(|l| {
            l.hospital.is_some_and(|h| h != dept.hospital)
                || l.specialty.is_some_and(|s| s != dept.specialty)
        }) {
            continue;
        }
        if part.specialty.is_some_and(|s| s != dept.specialty) {
            why.wrong_specialty += 1;
            continue;
        }
        let minutes = travel.minutes(home, inst.hospital(dept.hospital).place);
        let relocate = minutes > doc.max_commute;
        if minutes == u32::MAX || (relocate && !doc.relocate) {
            why.too_far += 1;
            continue;
        }
        if relocate && minutes > inst.settings.scheme.max_relocation_minutes {
            why.relocation_too_far += 1;
            continue;
        }
        for &len in lengths
            .iter()
            .filter(|&&len| only.is_none_or(|l| l.months.is_none_or(|n| n == len)))
        {
            for start in window
                .months()
                .filter(|&m| only.is_none_or(|l| l.start.is_none_or(|s| s == m)))
            {
                let end = start.plus(len as i32 - 1);
                if end > window.last {
                    why.outside_window += 1;
                    continue;
                }
                if !dept.may_start_in(start) {
                    why.start_month += 1;
                    continue;
                }
                if MonthRange::new(start, end)
                    .months()
                    .any(|m| doc.on_leave(m))
                {
                    why.leave += 1;
                    continue;
                }
                if MonthRange::new(start, end)
                    .months()
                    .any(|m| dept.capacity_in(m) == 0)
                {
                    why.no_slots += 1;
                    continue;
                }
                let months = len;
                if problem.rejected(d, dept, start, months) {
                    why.rejected += 1;
                    continue;
                }
                if let Some((years, may)) = group {
                    // group_period_in_practice: a block in both group years leaves neither
                    // in general practice, nor may a block touch the only possible
                    // practice year.
                    let span = MonthRange::new(start, end);
                    let touches = years.map(|y| span.overlap(&y) > 0);
                    let only = |k: usize| may[k] && !may[1 - k];
                    if touches == [true, true] || (0..2).any(|k| touches[k] && only(k)) {
                        why.group_period += 1;
                        continue;
                    }
                }
                out.push(Candidate {
                    doctor: d,
                    part: p,
                    department: k,
                    start,
                    len,
                    end,
                    commute: minutes,
                    relocate,
                });
            }
        }
    }
    if let Some(from) = problem.not_before {
        let before = out.iter().filter(|c| c.start < from).count();
        why.before_from += before;
        out.retain(|c| c.start >= from);
    }
    (out, why)
}
