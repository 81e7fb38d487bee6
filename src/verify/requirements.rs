//! The requirement rules: each doctor's blocks serve each requirement part exactly, of the
//! right specialty and in the allowed shape.

use super::Checker;
use crate::model::*;
use crate::rules::Rule;

impl Checker<'_> {
    /// Each doctor's blocks must serve each requirement part exactly, in the allowed shape.
    /// When the months add up but only the specialties are wrong the violation is
    /// `specialty_match`; when only the split is wrong, `block_shape`; otherwise
    /// `requirement_met`. A doctor listed in `unplaced.csv` may be placed in part (every
    /// block must still fit a part) or not at all. Months count at the fte each block was
    /// served at, and a make-up block counts as one with the block it completes.
    pub(super) fn requirements(&mut self) {
        for d in self.inst.doctor_ids() {
            let doc = self.inst.doctor(d);
            let blocks: Vec<&Block> = self.plan.blocks.iter().filter(|b| b.doctor == d).collect();
            let reported = self.plan.unplaced.iter().any(|u| u.doctor == d);
            let units = self.units(d, &blocks);
            let fits = |relax: Relax| assign_blocks(&doc.requirement, &units, relax);
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
            let served: u32 = blocks.iter().map(|b| self.service_months(b)).sum();
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
                .map(|b| {
                    let fte = self.plan.fte_of(self.inst, b);
                    format!(
                        "{} months {} ({}){}",
                        self.service_months(b),
                        self.inst.department_label(b.department),
                        b.span(),
                        if fte == doc.fte {
                            String::new()
                        } else {
                            format!(" at {fte} % fte")
                        }
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
        self.completions();
    }

    /// Doctor `d`'s blocks as units of service: a make-up block joins the unit of the
    /// block it completes.
    fn units(&self, d: DoctorId, blocks: &[&Block]) -> Vec<Unit> {
        let mut units: Vec<(Month, Unit)> = Vec::new();
        let mut sorted: Vec<&&Block> = blocks.iter().collect();
        sorted.sort_by_key(|b| b.start);
        for b in sorted {
            let fte = self.plan.fte_of(self.inst, b);
            let months = self.service_months(b);
            let part = Unit {
                specialties: vec![self.inst.department(b.department).specialty],
                calendar: months,
                percent: months * fte,
                top_fte: fte,
                history: self.is_history(b),
                under_way: self.was_running(b),
            };
            let completes = self.plan.terms_of(b).completes;
            match completes.and_then(|c| units.iter_mut().find(|(start, _)| *start == c)) {
                Some((_, unit)) => unit.absorb(part),
                None => units.push((b.start, part)),
            }
        }
        let _ = d;
        units.into_iter().map(|(_, u)| u).collect()
    }

    /// block_shape: a make-up block completes an earlier block of the same doctor.
    fn completions(&mut self) {
        let mut bad = Vec::new();
        for b in &self.plan.blocks {
            let Some(c) = self.plan.terms_of(b).completes else {
                continue;
            };
            let ok = self
                .plan
                .blocks
                .iter()
                .any(|a| a.doctor == b.doctor && a.start == c && a.end < b.start);
            if !ok {
                bad.push((b.doctor, self.hospital_of(b), b.start, b.span(), c));
            }
        }
        for (d, h, start, span, c) in bad {
            self.add(
                Rule::BlockShape,
                Some(d),
                Some(h),
                Some(start),
                format!(
                    "the block {span} is written to complete a block starting {c}, but the doctor has no earlier block starting then"
                ),
            );
        }
    }
}

/// Blocks that count as one toward a requirement part: a block, with the make-up that
/// completes it.
#[derive(Clone, Debug, PartialEq)]
struct Unit {
    /// The specialty of each block in it.
    specialties: Vec<SpecialtyId>,
    /// Calendar months of service.
    calendar: u32,
    /// Months of service times the fte each was served at.
    percent: u32,
    /// The highest fte among its blocks: one month more than needed at it is too much.
    top_fte: u32,
    /// Whether every block of it ended before the re-plan month: what it served is history.
    history: bool,
    /// Whether a block of it started before the re-plan month.
    under_way: bool,
}

impl Unit {
    /// `months` calendar months at `fte` % in one department of specialty `s`.
    #[cfg(test)]
    fn new(s: SpecialtyId, months: u32, fte: u32) -> Unit {
        Unit {
            specialties: vec![s],
            calendar: months,
            percent: months * fte,
            top_fte: fte,
            history: false,
            under_way: false,
        }
    }

    fn absorb(&mut self, other: Unit) {
        self.specialties.extend(other.specialties);
        self.calendar += other.calendar;
        self.percent += other.percent;
        self.top_fte = self.top_fte.max(other.top_fte);
        self.history &= other.history;
        self.under_way |= other.under_way;
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

/// Whether units of service can be assigned to requirement parts so that each part is
/// served exactly (at least its full-time months, and not a whole month more at the
/// highest fte among them, unless all of them ended before the re-plan), by at
/// most `max_blocks` units of the right specialty, each at least `min_block` long when
/// the part is split — less whatever `relax` ignores. Plain backtracking: a doctor has
/// few blocks.
fn assign_blocks(parts: &[RequirementPart], units: &[Unit], relax: Relax) -> bool {
    let mut chosen = vec![None; units.len()];
    assign_from(parts, units, relax, &mut chosen, 0)
}

fn assign_from(
    parts: &[RequirementPart],
    units: &[Unit],
    relax: Relax,
    chosen: &mut [Option<usize>],
    next: usize,
) -> bool {
    if next == units.len() {
        return parts
            .iter()
            .enumerate()
            .all(|(p, part)| part_served(part, units, chosen, p, relax));
    }
    for (p, part) in parts.iter().enumerate() {
        if !relax.specialty
            && part
                .specialty
                .is_some_and(|s| units[next].specialties.iter().any(|&u| u != s))
        {
            continue;
        }
        chosen[next] = Some(p);
        if assign_from(parts, units, relax, chosen, next + 1) {
            return true;
        }
    }
    chosen[next] = None;
    false
}

/// Whether the units `chosen` for part `p` serve it (see [`assign_blocks`]).
fn part_served(
    part: &RequirementPart,
    units: &[Unit],
    chosen: &[Option<usize>],
    p: usize,
    relax: Relax,
) -> bool {
    let mine: Vec<&Unit> = (0..units.len())
        .filter(|&i| chosen[i] == Some(p))
        .map(|i| &units[i])
        .collect();
    let total: u32 = mine.iter().map(|u| u.percent).sum();
    let need = part.months * 100;
    let count = mine.len() as u32;
    let long_enough = || mine.iter().all(|u| u.calendar >= part.min_block);
    if relax.partial && total == 0 {
        return true; // Nothing placed for this part.
    }
    if relax.partial && total < need {
        // Served in part: another block must still fit, so this is a split, or the part
        // was under way before a re-plan and a make-up would complete it.
        let under_way = mine.iter().any(|u| u.under_way);
        return relax.shape || under_way || (count < part.max_blocks && long_enough());
    }
    let top = mine.iter().map(|u| u.top_fte).max().unwrap_or(100);
    let history = !mine.is_empty() && mine.iter().all(|u| u.history);
    let exact = total >= need && (total < need + top || history);
    let shape_ok = relax.shape || (count <= part.max_blocks && (count == 1 || long_enough()));
    exact && shape_ok
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// [`super::assign_blocks`] on full-time blocks of the given specialties and lengths.
    fn assign_blocks(
        parts: &[RequirementPart],
        specialties: &[SpecialtyId],
        lengths: &[u32],
        relax: Relax,
    ) -> bool {
        let units: Vec<Unit> = specialties
            .iter()
            .zip(lengths)
            .map(|(&s, &n)| Unit::new(s, n, 100))
            .collect();
        super::assign_blocks(parts, &units, relax)
    }

    #[test]
    fn months_count_at_the_fte_they_were_served_at() {
        // 6 full-time months: 4 months at 80 % (3.2) then 3 at 100 % (3.0) serve 6.2.
        let part = [part(None, 6, 3, 2)];
        let mixed = [
            Unit::new(SpecialtyId(0), 4, 80),
            Unit::new(SpecialtyId(0), 3, 100),
        ];
        assert!(super::assign_blocks(&part, &mixed, EXACT));
        // Another month at 100 % would be a whole month more than needed.
        let more = [
            Unit::new(SpecialtyId(0), 4, 80),
            Unit::new(SpecialtyId(0), 4, 100),
        ];
        assert!(!super::assign_blocks(&part, &more, EXACT));
        // ... unless every block was served before the re-plan (history is not undone).
        let served: Vec<Unit> = more
            .iter()
            .cloned()
            .map(|u| Unit { history: true, ..u })
            .collect();
        assert!(super::assign_blocks(&part, &served, EXACT));
        // Two too short: 2 at 80 % + 3 at 100 % = 4.6 months.
        let short = [
            Unit::new(SpecialtyId(0), 2, 80),
            Unit::new(SpecialtyId(0), 3, 100),
        ];
        assert!(!super::assign_blocks(&part, &short, EXACT));
    }

    #[test]
    fn a_make_up_counts_as_one_block_with_the_block_it_completes() {
        // One block allowed: 4 months cut short and 2 months making them up.
        let part = [part(Some(0), 6, 3, 1)];
        let mut unit = Unit::new(SpecialtyId(0), 4, 100);
        unit.absorb(Unit::new(SpecialtyId(0), 2, 100));
        assert!(super::assign_blocks(
            &part,
            std::slice::from_ref(&unit),
            EXACT
        ));
        // Both halves must be of the part's specialty.
        let mut mixed = Unit::new(SpecialtyId(0), 4, 100);
        mixed.absorb(Unit::new(SpecialtyId(1), 2, 100));
        assert!(!super::assign_blocks(&part, &[mixed], EXACT));
        // As two separate blocks they break max_blocks.
        assert!(!assign_blocks(&part, &[SpecialtyId(0); 2], &[4, 2], EXACT));
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
