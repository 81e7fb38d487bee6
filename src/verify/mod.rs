//! Re-checking a plan against its instance with plain loops over doctors, departments and
//! months. Nothing here is shared with the formulations: a bug in a model cannot hide
//! itself from this check.

use std::fmt;

use crate::model::*;
use crate::rules::Rule;
use crate::travel::Travel;

mod groups;
mod history;
mod hospital;
mod requirements;
#[cfg(test)]
mod tests;

pub use history::history_frozen;

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

/// Every violation of `plan` against `inst`, in a stable order.
pub fn verify(inst: &Instance, plan: &Plan) -> Vec<Violation> {
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
    pub(super) inst: &'a Instance,
    pub(super) plan: &'a Plan,
    pub(super) travel: &'a Travel,
    pub(super) out: Vec<Violation>,
}

impl Checker<'_> {
    pub(super) fn add(
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

    pub(super) fn hospital_of(&self, b: &Block) -> HospitalId {
        self.inst.department(b.department).hospital
    }

    /// Whether block `b` was already running when the re-plan began.
    pub(super) fn was_running(&self, b: &Block) -> bool {
        self.plan.replan_from.is_some_and(|from| b.start < from)
    }

    /// Whether block `b` ended before the re-plan began: its dates, commute and
    /// relocation are history, served from where the doctor lived then.
    pub(super) fn is_history(&self, b: &Block) -> bool {
        self.plan.replan_from.is_some_and(|from| b.end < from)
    }

    /// Whether month `m` lies before the re-plan month: slots and absences then are history.
    pub(super) fn before_replan(&self, m: Month) -> bool {
        self.plan.replan_from.is_some_and(|from| m < from)
    }

    /// Calendar months of service in block `b`: its span without the doctor's leave.
    pub(super) fn service_months(&self, b: &Block) -> u32 {
        let d = self.inst.doctor(b.doctor);
        b.span().months().filter(|&m| !d.on_leave(m)).count() as u32
    }
}
