//! Change penalties against the previous plan's future blocks.

use std::collections::BTreeMap;

use crate::model::*;
use crate::placement::Candidate;

/// Change penalties against the previous plan's future blocks: keeping a block is free,
/// moving it in time at the same department costs `[replan] shift`, moving it elsewhere
/// costs `[replan] change_hospital`, and moving a block the hospital had accepted costs
/// `[replan] accepted` on top.
pub struct ChangePenalty {
    /// Previous future blocks per doctor, with whether each was accepted.
    previous: BTreeMap<DoctorId, Vec<(Block, bool)>>,
    shift: f64,
    change: f64,
    accepted: f64,
}

impl ChangePenalty {
    pub fn new(inst: &Instance, future: &[Block], locks: &[Lock]) -> ChangePenalty {
        let mut previous: BTreeMap<DoctorId, Vec<(Block, bool)>> = BTreeMap::new();
        for b in future {
            let accepted = locks.iter().any(|l| {
                l.doctor == b.doctor
                    && l.decision == Decision::Accept
                    && l.matches(inst.department(b.department), b.start, b.months)
            });
            previous
                .entry(b.doctor)
                .or_default()
                .push((b.clone(), accepted));
        }
        let w = &inst.settings.replan;
        ChangePenalty {
            previous,
            shift: w.shift,
            change: w.change_hospital,
            accepted: w.accepted,
        }
    }

    /// The cost of choosing candidate `c`, relative to the doctor's previous blocks.
    pub fn cost(&self, c: &Candidate) -> f64 {
        let Some(before) = self.previous.get(&c.doctor) else {
            return 0.0; // A doctor with nothing planned before: adding is not a change.
        };
        if before
            .iter()
            .any(|(b, _)| b.department == c.department && b.start == c.start && b.months == c.len)
        {
            return 0.0;
        }
        let accepted = if before.iter().any(|(_, a)| *a) {
            self.accepted
        } else {
            0.0
        };
        if before.iter().any(|(b, _)| b.department == c.department) {
            self.shift + accepted
        } else {
            self.change + accepted
        }
    }
}
