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
        let served = i64::from(b.months) * i64::from(terms.fte.unwrap_or(doc.fte));
        // A part of its specialty, else an `any` part; one it fits in whole first.
        let of_specialty = |p: &RequirementPart| p.specialty == Some(s);
        let any = |p: &RequirementPart| p.specialty.is_none();
        let slot = terms
            .completes
            .and_then(|c| part_of.get(&c).copied())
            .or_else(|| open_part(parts, &need, served, of_specialty))
            .or_else(|| open_part(parts, &need, served, any))
            .or_else(|| open_part(parts, &need, 1, of_specialty))
            .or_else(|| open_part(parts, &need, 1, any));
        let Some(i) = slot else {
            continue; // More than required was served before; history stays.
        };
        part_of.insert(b.start, i);
        need[i] -= served;
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

/// The first part that `fits` and still needs at least `at_least` percent-months.
fn open_part(
    parts: &[RequirementPart],
    need: &[i64],
    at_least: i64,
    fits: impl Fn(&RequirementPart) -> bool,
) -> Option<usize> {
    (0..parts.len()).find(|&i| need[i] >= at_least.max(1) && fits(&parts[i]))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::plan::Previous;
    use crate::replan::split::split_previous;
    use crate::replan::testing::{add_leave, block, month, vest};
    use crate::travel::Travel;

    fn left_after(inst: &Instance, blocks: Vec<Block>, from: &str) -> (Split, Remaining) {
        let previous = Previous {
            blocks,
            ..Previous::default()
        };
        let split = split_previous(inst, &Travel::new(inst), &previous, month(from), &[]);
        let left = remaining(inst, &split);
        (split, left)
    }

    #[test]
    fn a_block_cut_short_is_completed_by_one_make_up_of_the_months_it_lost() {
        let mut inst = vest();
        let served = block(
            &inst,
            "V12",
            "forde-sjukehus/psychiatry",
            "2027-01",
            "2027-06",
        );
        add_leave(&mut inst, "V12", "2027-03", "2027-04");
        let (_, left) = left_after(&inst, vec![served.clone()], "2027-08");
        let d = served.doctor;
        let parts = &left.parts[d.index()];
        assert_eq!(parts.len(), 1);
        assert_eq!((parts[0].calendar_months, parts[0].max_blocks), (2, 1));
        let m = left.makeup(d, 0).expect("a make-up");
        assert_eq!(m.completes, served.start);
        assert!(m.reason.contains("sick leave"), "{}", m.reason);
    }

    #[test]
    fn months_served_count_at_the_fte_they_were_served_at() {
        // V01: 6 months any, in at most 2 blocks of at least 3. Three months at 50 % were
        // served (1.5 full-time months); at 100 % now, 5 calendar months remain.
        let mut inst = vest();
        let served = block(&inst, "V01", "haukeland/psychiatry", "2027-02", "2027-04");
        let d = served.doctor;
        let previous = Previous {
            blocks: vec![served.clone()],
            terms: [(
                (d, served.start),
                crate::model::plan::BlockTerms {
                    fte: Some(50),
                    completes: None,
                },
            )]
            .into(),
            ..Previous::default()
        };
        inst.doctors[d.index()].fte = 100;
        let split = split_previous(&inst, &Travel::new(&inst), &previous, month("2027-06"), &[]);
        assert_eq!(split.terms[&(d, served.start)].fte, Some(50));
        let left = remaining(&inst, &split);
        let parts = &left.parts[d.index()];
        assert_eq!(parts.len(), 1);
        assert_eq!((parts[0].calendar_months, parts[0].max_blocks), (5, 1));
    }

    #[test]
    fn months_that_no_block_may_serve_are_explained() {
        // V01 served 4 of 6 months in one block of a part split at most in two of at least
        // 3: the last 2 months are too short for a block of their own.
        let inst = vest();
        let served = block(&inst, "V01", "haukeland/psychiatry", "2027-02", "2027-05");
        let (_, left) = left_after(&inst, vec![served.clone()], "2027-07");
        assert!(left.parts[served.doctor.index()].is_empty());
        let u = &left.unplaceable[0];
        assert_eq!(u.months, 2);
        assert!(u.reason.contains("min_block = 3"), "{}", u.reason);
    }
}
