//! The roster a plan was made for, and how today's instance differs from it: who joined,
//! who left, whose facts changed (fte, municipality, window, scheme, months, group
//! period), where leave was reported inside blocks already served, and which planned
//! blocks lost their slot.
//!
//! Every plan folder holds `roster.csv`, one row per doctor as the instance described
//! them when the plan was made. A re-plan reads it to count months already served at the
//! fte they were served at and to name the doctors who left; `check --previous` prints the
//! comparison before anything is solved.

use std::fmt::Write as _;
use std::path::Path;

use crate::error::Result;
use crate::io::plan::{Previous, read_previous};
use crate::model::*;

pub use crate::model::roster::{RosterEntry, snapshot};

/// How today's instance differs from the roster of a previous plan.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// Doctors of the instance the previous plan did not know.
    pub joiners: Vec<DoctorId>,
    /// Doctors of the previous plan no longer in `doctors.csv`.
    pub leavers: Vec<String>,
    /// Doctors whose facts changed, with what changed.
    pub changed: Vec<(DoctorId, Vec<String>)>,
    /// Blocks of the previous plan with leave now inside them that was not there when it
    /// was made: (doctor, block, months of service written, months of service now).
    pub late_leave: Vec<(DoctorId, Stint, u32, u32)>,
    /// Blocks of the previous plan in a department that now has no slot in some of their
    /// months: (doctor, block, first month without a slot).
    pub lost_slots: Vec<(DoctorId, Stint, Month)>,
    /// Whether the previous plan recorded its roster (`roster.csv`); without it, changed
    /// facts cannot be told.
    pub has_roster: bool,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.joiners.is_empty()
            && self.leavers.is_empty()
            && self.changed.is_empty()
            && self.late_leave.is_empty()
            && self.lost_slots.is_empty()
    }
}

/// Compare `inst` with the previous plan `previous`.
pub fn compare(inst: &Instance, previous: &Previous) -> Comparison {
    let mut out = Comparison {
        has_roster: previous.roster.is_some(),
        leavers: previous.departed.iter().map(|d| d.id.clone()).collect(),
        ..Comparison::default()
    };
    for d in inst.doctor_ids() {
        if !previous.knows(inst, d) {
            out.joiners.push(d);
            continue;
        }
        if let Some(before) = previous.roster_entry(&inst.doctor(d).id) {
            let diff = before.differences(&RosterEntry::of(inst, d));
            if !diff.is_empty() {
                out.changed.push((d, diff));
            }
        }
    }
    for b in &previous.blocks {
        let doc = inst.doctor(b.doctor);
        let service = b.span().months().filter(|&m| !doc.on_leave(m)).count() as u32;
        if service < b.months {
            out.late_leave
                .push((b.doctor, b.stint(), b.months, service));
        }
        let dept = inst.department(b.department);
        if let Some(m) = b
            .span()
            .months()
            .find(|&m| !doc.on_leave(m) && dept.capacity_in(m) == 0)
        {
            out.lost_slots.push((b.doctor, b.stint(), m));
        }
    }
    out
}

/// `check --previous`: the comparison of `inst` with the plan in folder `dir`, as text.
pub fn against(inst: &Instance, dir: &Path) -> Result<String> {
    let previous = read_previous(inst, dir)?;
    Ok(describe(
        inst,
        &compare(inst, &previous),
        &dir.display().to_string(),
    ))
}

/// The comparison as lines for the console, under a heading naming the previous plan.
pub fn describe(inst: &Instance, c: &Comparison, previous: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Against the previous plan {previous}:");
    if c.is_empty() {
        let _ = writeln!(
            s,
            "  the roster is unchanged: no joiners, no leavers, no changed doctors"
        );
    }
    let ids = |ds: &[DoctorId]| {
        ds.iter()
            .map(|&d| inst.doctor(d).id.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !c.joiners.is_empty() {
        let _ = writeln!(
            s,
            "  joiners ({}): {} — planned from the re-plan month like any other doctor",
            c.joiners.len(),
            ids(&c.joiners)
        );
    }
    if !c.leavers.is_empty() {
        let _ = writeln!(
            s,
            "  leavers ({}): {} — no longer in doctors.csv; their future blocks will be cancelled",
            c.leavers.len(),
            c.leavers.join(", ")
        );
    }
    for (d, what) in &c.changed {
        let _ = writeln!(s, "  changed {}: {}", inst.doctor(*d).id, what.join("; "));
    }
    for (d, stint, written, now) in &c.late_leave {
        let _ = writeln!(
            s,
            "  leave now inside {}'s block {}: {now} of its {written} months are free of leave",
            inst.doctor(*d).id,
            stint.describe(inst)
        );
    }
    for (d, stint, m) in &c.lost_slots {
        let _ = writeln!(
            s,
            "  {}'s block {}: the department has no slot from {m}",
            inst.doctor(*d).id,
            stint.describe(inst)
        );
    }
    if !c.has_roster {
        let _ = writeln!(
            s,
            "  (the previous plan has no roster.csv, so changes to fte, municipality, window or scheme cannot be listed)"
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vest() -> Instance {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest");
        crate::io::load_instance(&dir).expect("alis-vest loads")
    }

    #[test]
    fn an_unchanged_doctor_has_no_differences_and_a_changed_one_lists_each_fact() {
        let inst = vest();
        let d = inst.doctor_id("V04").expect("V04");
        let before = RosterEntry::of(&inst, d);
        assert!(before.differences(&before).is_empty());
        let mut now = before.clone();
        now.fte = 100;
        now.municipality = "bergen".into();
        now.latest_end = "2029-06".parse().expect("month");
        let diff = before.differences(&now);
        assert_eq!(
            diff,
            vec![
                "municipality bomlo -> bergen".to_string(),
                "fte 80 % -> 100 %".to_string(),
                "window 2027-01..2029-12 -> 2027-01..2029-06".to_string(),
            ]
        );
    }
}
