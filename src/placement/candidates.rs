//! Candidate blocks: every (doctor, requirement part, department, start, length) that the
//! hard rules allow on their own. Only these become variables, so the model grows with the
//! real options and not with doctors × departments × months.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::rules::Rule;
use crate::travel::Travel;

use super::Problem;

/// A doctor's two guidance-group years and which of them may be the practice year.
type PracticeYears = Option<([MonthRange; 2], [bool; 2])>;

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

/// A filter a block can fail on its own, before capacity is shared out: one per rule that
/// a single block can break. Failed blocks never become variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Filter {
    /// The department is not of the part's specialty.
    WrongSpecialty,
    /// Beyond the doctor's daily commute, and the doctor has not agreed to relocate (or no
    /// road reaches it).
    BeyondCommute,
    /// Beyond `[scheme] max_relocation_minutes` for a doctor who would relocate.
    BeyondRelocation,
    /// The block would end after the doctor's window.
    OutsideWindow,
    /// The department does not start rotations in the block's first month.
    StartMonth,
    /// A month of the block is a leave month.
    OnLeave,
    /// A month of the block has no slot at the department.
    NoSlot,
    /// A review decision rejected the block.
    Rejected,
    /// The block touches both guidance-group years, or the only one that may be the
    /// practice year.
    GroupPeriod,
    /// The block starts before a re-plan's first month.
    BeforeReplan,
}

impl Filter {
    /// The rule the filter enforces.
    pub fn rule(self) -> Rule {
        match self {
            Filter::WrongSpecialty => Rule::SpecialtyMatch,
            Filter::BeyondCommute | Filter::BeyondRelocation => Rule::CommuteLimit,
            Filter::OutsideWindow => Rule::WithinWindow,
            Filter::StartMonth => Rule::AllowedStartMonths,
            Filter::OnLeave => Rule::NoLeaveInBlock,
            Filter::NoSlot => Rule::DepartmentCapacity,
            Filter::Rejected => Rule::LocksRespected,
            Filter::GroupPeriod => Rule::GroupPeriodInPractice,
            Filter::BeforeReplan => Rule::HistoryFrozen,
        }
    }
}

/// Why a doctor's part has no candidate in some department: the blocks each filter removed,
/// per department, so that an unplaced doctor can be explained by causes that hold.
#[derive(Clone, Debug, Default)]
pub struct Pruned {
    pub at: BTreeMap<DepartmentId, BTreeMap<Filter, usize>>,
}

impl Pruned {
    fn count(&mut self, k: DepartmentId, f: Filter) {
        *self.at.entry(k).or_default().entry(f).or_default() += 1;
    }

    /// Blocks (or, for the department filters, departments) `f` removed.
    pub fn total(&self, f: Filter) -> usize {
        self.at.values().filter_map(|m| m.get(&f)).sum()
    }

    /// The departments where `f` removed something.
    pub fn departments(&self, f: Filter) -> Vec<DepartmentId> {
        self.at
            .iter()
            .filter(|(_, m)| m.contains_key(&f))
            .map(|(&k, _)| k)
            .collect()
    }

    /// The filters that removed anything, in the order they are applied.
    pub fn filters(&self) -> BTreeSet<Filter> {
        self.at.values().flat_map(|m| m.keys().copied()).collect()
    }
}

/// `specialty_match`: a part tied to a specialty is served in a department of that specialty.
fn specialty_match(part: &RequirementPart, dept: &Department) -> Result<(), Filter> {
    match part.specialty {
        Some(s) if s != dept.specialty => Err(Filter::WrongSpecialty),
        _ => Ok(()),
    }
}

/// `commute_limit`: a hospital beyond the doctor's longest daily commute is used only if the
/// doctor agreed to relocate, and then no farther than `max_relocation_minutes`. Gives
/// whether the doctor relocates.
fn commute_limit(inst: &Instance, doc: &Doctor, minutes: u32) -> Result<bool, Filter> {
    let relocate = minutes > doc.max_commute;
    if minutes == u32::MAX || (relocate && !doc.relocate) {
        Err(Filter::BeyondCommute)
    } else if relocate && minutes > inst.settings.scheme.max_relocation_minutes {
        Err(Filter::BeyondRelocation)
    } else {
        Ok(relocate)
    }
}

/// `within_window`: hospital service ends by the doctor's latest month.
fn within_window(window: MonthRange, end: Month) -> Result<(), Filter> {
    if end > window.last {
        Err(Filter::OutsideWindow)
    } else {
        Ok(())
    }
}

/// `allowed_start_months`: a block starts only in a month the department starts rotations.
fn allowed_start_months(dept: &Department, start: Month) -> Result<(), Filter> {
    if dept.may_start_in(start) {
        Ok(())
    } else {
        Err(Filter::StartMonth)
    }
}

/// `no_leave_in_block`: months on leave are not hospital months.
fn no_leave_in_block(doc: &Doctor, span: MonthRange) -> Result<(), Filter> {
    if span.months().any(|m| doc.on_leave(m)) {
        Err(Filter::OnLeave)
    } else {
        Ok(())
    }
}

/// `department_capacity`: a block needs a slot in every one of its months.
fn slot_every_month(dept: &Department, span: MonthRange) -> Result<(), Filter> {
    if span.months().any(|m| dept.capacity_in(m) == 0) {
        Err(Filter::NoSlot)
    } else {
        Ok(())
    }
}

/// `locks_respected`: a block a hospital rejected in review is not proposed again.
fn not_rejected(
    problem: &Problem,
    d: DoctorId,
    dept: &Department,
    start: Month,
    len: u32,
) -> Result<(), Filter> {
    if problem.rejected(d, dept, start, len) {
        Err(Filter::Rejected)
    } else {
        Ok(())
    }
}

/// `group_period_in_practice`: one of the two guidance-group years stays in general
/// practice, so no block touches both years, nor the only year that may be the practice
/// year (`years` and which of them may be it, from [`Problem::practice_years`]).
fn group_period_in_practice(group: PracticeYears, span: MonthRange) -> Result<(), Filter> {
    let Some((years, may)) = group else {
        return Ok(());
    };
    let touches = years.map(|y| span.overlap(&y) > 0);
    let only = |k: usize| may[k] && !may[1 - k];
    if touches == [true, true] || (0..2).any(|k| touches[k] && only(k)) {
        Err(Filter::GroupPeriod)
    } else {
        Ok(())
    }
}

/// `history_frozen`: a re-plan starts no new block before its first month.
fn after_replan_month(problem: &Problem, start: Month) -> Result<(), Filter> {
    match problem.not_before {
        Some(from) if start < from => Err(Filter::BeforeReplan),
        _ => Ok(()),
    }
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
    let group = problem.practice_years(d);
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
        let minutes = travel.minutes(home, inst.hospital(dept.hospital).place);
        let relocate =
            match specialty_match(part, dept).and_then(|()| commute_limit(inst, doc, minutes)) {
                Ok(relocate) => relocate,
                Err(f) => {
                    why.count(k, f);
                    continue;
                }
            };
        for &len in lengths
            .iter()
            .filter(|&&len| only.is_none_or(|l| l.months.is_none_or(|n| n == len)))
        {
            for start in window
                .months()
                .filter(|&m| only.is_none_or(|l| l.start.is_none_or(|s| s == m)))
            {
                let end = start.plus(len as i32 - 1);
                let span = MonthRange::new(start, end);
                let verdict = within_window(window, end)
                    .and_then(|()| allowed_start_months(dept, start))
                    .and_then(|()| no_leave_in_block(doc, span))
                    .and_then(|()| slot_every_month(dept, span))
                    .and_then(|()| not_rejected(problem, d, dept, start, len))
                    .and_then(|()| group_period_in_practice(group, span))
                    .and_then(|()| after_replan_month(problem, start));
                match verdict {
                    Ok(()) => out.push(Candidate {
                        doctor: d,
                        part: p,
                        department: k,
                        start,
                        len,
                        end,
                        commute: minutes,
                        relocate,
                    }),
                    Err(f) => why.count(k, f),
                }
            }
        }
    }
    (out, why)
}
