//! Re-planning a published plan: months before `from` are history and never change, a
//! block running at `from` continues at the same department as far as the rules allow,
//! and future blocks may move at a cost per change, so the new plan stays close to the
//! old. The roster may have changed since: doctors who joined are planned like any other,
//! the blocks of doctors who left are cancelled, and changed facts (fte, municipality,
//! window, scheme, late leave, lost slots) are taken into account.
//!
//! [`split`] splits the previous plan at `from`, [`parts`] counts what each doctor still
//! has to serve, [`freeze`] finds the doctors whose plans are still valid as they stand,
//! [`penalty`] prices changes, and [`changes()`](changes::changes) lists them.

pub mod changes;
pub mod freeze;
pub mod parts;
pub mod penalty;
pub mod split;

pub use changes::changes;
pub use parts::{MakeUp, Remaining, remaining};
pub use penalty::ChangePenalty;
pub use split::{Event, Split, split_previous};

use crate::model::*;
use crate::placement::{Candidate, Problem};

/// A placement problem that keeps `split.fixed`, places what is left to serve, starts
/// nothing before `from` and charges for changes against `split.future`.
pub fn replan_problem<'a>(
    inst: &'a Instance,
    split: &Split,
    from: Option<Month>,
    locks: Vec<Lock>,
) -> Problem<'a> {
    problem_for(inst, split, &remaining(inst, split), from, locks)
}

/// [`replan_problem`] with the remaining requirement already counted.
pub fn problem_for<'a>(
    inst: &'a Instance,
    split: &Split,
    remaining: &Remaining,
    from: Option<Month>,
    locks: Vec<Lock>,
) -> Problem<'a> {
    let mut problem = Problem::new(inst);
    problem.parts = remaining.parts.clone();
    problem.fixed = split.fixed.clone();
    problem.not_before = from;
    let penalty = ChangePenalty::new(inst, &split.future, &locks);
    problem.locks = locks;
    problem.extra_cost = Some(std::sync::Arc::new(move |c: &Candidate| penalty.cost(c)));
    problem.extra_cost_name = "changes";
    problem
}

#[cfg(test)]
pub(crate) mod testing {
    //! The bundled alis-vest instance and hand-made blocks on it, for the re-plan tests.

    use crate::model::*;
    use crate::travel::Travel;

    pub fn vest() -> Instance {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest");
        crate::io::load_instance(&dir).expect("alis-vest loads")
    }

    pub fn month(s: &str) -> Month {
        s.parse().expect("a month")
    }

    /// Doctor `doctor`'s block at `hospital/specialty` from `start` to `end`, with its
    /// facts as the instance gives them.
    pub fn block(inst: &Instance, doctor: &str, dept: &str, start: &str, end: &str) -> Block {
        let d = inst.doctor_id(doctor).expect("a doctor");
        let (h, s) = dept.split_once('/').expect("hospital/specialty");
        let h = inst.hospital_id(h).expect("a hospital");
        let department = inst
            .specialty_id(s)
            .and_then(|s| inst.department_id(h, s))
            .expect("a department");
        let span = MonthRange::new(month(start), month(end));
        let doc = inst.doctor(d);
        let minutes = Travel::new(inst).commute(inst, d, h);
        Block {
            doctor: d,
            department,
            start: span.first,
            end: span.last,
            months: span.months().filter(|&m| !doc.on_leave(m)).count() as u32,
            commute_minutes: minutes,
            relocate: minutes > doc.max_commute,
        }
    }

    /// Add leave for `doctor` from `from` to `to`.
    pub fn add_leave(inst: &mut Instance, doctor: &str, from: &str, to: &str) {
        let d = inst.doctor_id(doctor).expect("a doctor");
        inst.doctors[d.index()].leave.push(Leave {
            range: MonthRange::new(month(from), month(to)),
            kind: LeaveKind::Sick,
            source: Source {
                file: "leave.csv".into(),
                line: 99,
            },
        });
    }

    /// Close department `dept` from `from` to `to`.
    pub fn close(inst: &mut Instance, dept: &str, from: &str, to: &str) {
        let (h, s) = dept.split_once('/').expect("hospital/specialty");
        let h = inst.hospital_id(h).expect("a hospital");
        let k = inst
            .specialty_id(s)
            .and_then(|s| inst.department_id(h, s))
            .expect("a department");
        inst.departments[k.index()]
            .overrides
            .push((MonthRange::new(month(from), month(to)), 0));
    }
}
