//! What each doctor still has to serve once the blocks kept from the previous plan are
//! counted: months served count at the fte they were served at, a block cut short is
//! completed by one make-up block, and what cannot be planned within the rules is said
//! in domain words.

use std::collections::BTreeMap;

use super::split::Split;
use crate::model::*;

/// A requirement part that makes up the months a kept block lost.
#[derive(Clone, Debug, PartialEq)]
pub struct MakeUp {
    pub doctor: DoctorId,
    /// Index into the doctor's remaining parts.
    pub part: usize,
    /// Start of the block it completes.
    pub completes: Month,
    /// Why the block lost months, in domain words.
    pub reason: String,
}

/// The remaining requirement of every doctor.
#[derive(Clone, Debug, Default)]
pub struct Remaining {
    /// Requirement parts still to place, per doctor (index = doctor).
    pub parts: Vec<Vec<RequirementPart>>,
    pub makeups: Vec<MakeUp>,
    /// Months that cannot be planned within the requirement's rules, with the reason.
    pub unplaceable: Vec<Unplaced>,
}

impl Remaining {
    /// The make-up part of doctor `d` with index `part`, if it is one.
    pub fn makeup(&self, d: DoctorId, part: usize) -> Option<&MakeUp> {
        self.makeups
            .iter()
            .find(|m| m.doctor == d && m.part == part)
    }
}

/// The whole requirement of every doctor (a yearly plan).
pub fn whole(inst: &Instance) -> Remaining {
    Remaining {
        parts: inst.doctors.iter().map(|d| d.requirement.clone()).collect(),
        ..Remaining::default()
    }
}

/// What each doctor still has to serve once `split.fixed` is counted.
pub fn remaining(inst: &Instance, split: &Split) -> Remaining {
    let mut out = Remaining::default();
    for d in inst.doctor_ids() {
        let mine: Vec<&Block> = split.fixed.iter().filter(|b| b.doctor == d).collect();
        let (parts, makeups, unplaceable) = remaining_for(inst, split, d, &mine);
        out.parts.push(parts);
        out.makeups.extend(makeups);
        out.unplaceable.extend(unplaceable);
    }
    out
}

/// What doctor `d` still has to serve once the blocks `mine` are counted (with the terms
/// and the cut-short blocks of `split`): the parts left, the make-ups among them, and the
/// months that cannot be planned within the rules.
pub fn remaining_for(
    inst: &Instance,
    split: &Split,
    d: DoctorId,
    mine: &[&Block],
) -> (Vec<RequirementPart>, Vec<MakeUp>, Vec<Unplaced>) {
    let cut_short = split.cut_short();
    let doc = inst.doctor(d);
    let parts = &doc.requirement;
    // Percent-months still needed per part (months × 100 at full time).
    let mut need: Vec<i64> = parts.iter().map(|p| i64::from(p.months) * 100).collect();
    let mut used = vec![0u32; parts.len()];
    let mut cut: Vec<Option<&super::split::Event>> = vec![None; parts.len()];
    let mut part_of: BTreeMap<Month, usize> = BTreeMap::new();
    let mut mine: Vec<&Block> = mine.to_vec();
    mine.sort_by_key(|b| b.start);
    for b in mine {
        let s = inst.department(b.department).specialty;
        let terms = split.terms.get(&(d, b.start)).copied().unwrap_or_default();
        let slot = terms
            .completes
            .and_then(|c| part_of.get(&c).copied())
            .or_else(|| open_part(parts, &need, |p| p.specialty == Some(s)))
            .or_else(|| open_part(parts, &need, |p| p.specialty.is_none()));
        let Some(i) = slot else {
            continue; // More than required was served before; history stays.
        };
        part_of.insert(b.start, i);
        need[i] -= i64::from(b.months) * i64::from(terms.fte.unwrap_or(doc.fte));
        if terms.completes.is_none() {
            used[i] += 1;
        }
        if let Some(event) = cut_short.get(&(d, b.start)) {
            cut[i] = Some(event);
        } else if terms.completes.is_some() {
            cut[i] = None; // Made up already.
        }
    }
    let mut left = Vec::new();
    let mut makeups = Vec::new();
    let mut unplaceable = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if need[i] <= 0 {
            continue;
        }
        let calendar = ceil_div(need[i], i64::from(doc.fte.max(1)));
        let months = ceil_div(need[i], 100);
        if let Some(event) = cut[i] {
            makeups.push(MakeUp {
                doctor: d,
                part: left.len(),
                completes: event.after.start,
                reason: format!(
                    "{} month(s) make up for the block {} {}: {}",
                    calendar,
                    inst.department_label(event.after.department),
                    event.before.span(),
                    event.reason
                ),
            });
            left.push(RequirementPart {
                months,
                calendar_months: calendar,
                min_block: calendar,
                max_blocks: 1,
                ..p.clone()
            });
        } else if used[i] == 0 {
            left.push(p.clone());
        } else if let Some(why) = cannot_continue(p, used[i], calendar) {
            unplaceable.push(Unplaced {
                doctor: d,
                specialty: p.specialty,
                months: calendar,
                reason: format!(
                    "{calendar} month(s) of {} remain after the blocks already served ({} % fte now), but {why}",
                    p.specialty.map_or("any department", |s| inst.specialty(s)),
                    doc.fte
                ),
            });
        } else {
            left.push(RequirementPart {
                months,
                calendar_months: calendar,
                max_blocks: p.max_blocks - used[i],
                ..p.clone()
            });
        }
    }
    (left, makeups, unplaceable)
}

/// `a / b` rounded up, for `a > 0`, `b > 0`.
fn ceil_div(a: i64, b: i64) -> u32 {
    ((a + b - 1) / b) as u32
}

/// The first part that `fits` and still needs months.
fn open_part(
    parts: &[RequirementPart],
    need: &[i64],
    fits: impl Fn(&RequirementPart) -> bool,
) -> Option<usize> {
    (0..parts.len()).find(|&i| need[i] > 0 && fits(&parts[i]))
}

/// block_shape: why the rest of a part already served in `used` blocks cannot be planned
/// as another block of `calendar` months, if it cannot.
fn cannot_continue(p: &RequirementPart, used: u32, calendar: u32) -> Option<String> {
    if used >= p.max_blocks {
        Some(format!(
            "the requirement allows {} block(s) and {used} are already used",
            p.max_blocks
        ))
    } else if calendar < p.min_block {
        Some(format!(
            "that is fewer than min_block = {} months, too short for a block of its own",
            p.min_block
        ))
    } else {
        None
    }
}
