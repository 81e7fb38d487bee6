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
    /// block must still fit a part) or not at all.
    pub(super) fn requirements(&mut self) {
        for d in self.inst.doctor_ids() {
            let doc = self.inst.doctor(d);
            let blocks: Vec<&Block> = self.plan.blocks.iter().filter(|b| b.doctor == d).collect();
            let reported = self.plan.unplaced.iter().any(|u| u.doctor == d);
            let specialties: Vec<SpecialtyId> = blocks
                .iter()
                .map(|b| self.inst.department(b.department).specialty)
                .collect();
            let lengths: Vec<u32> = blocks.iter().map(|b| self.service_months(b)).collect();
            let fits =
                |relax: Relax| assign_blocks(&doc.requirement, &specialties, &lengths, relax);
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
            let served: u32 = lengths.iter().sum();
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
                .zip(&lengths)
                .map(|(b, n)| {
                    format!(
                        "{n} months {} ({})",
                        self.inst.department_label(b.department),
                        b.span()
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

/// Whether blocks (by specialty and length) can be assigned to requirement parts so that
/// each part is served exactly, by at most `max_blocks` blocks of the right specialty, each
/// at least `min_block` long when the part is split — less whatever `relax` ignores. Plain
/// backtracking: a doctor has few blocks.
fn assign_blocks(
    parts: &[RequirementPart],
    specialties: &[SpecialtyId],
    lengths: &[u32],
    relax: Relax,
) -> bool {
    let mut chosen = vec![None; lengths.len()];
    assign_from(parts, specialties, lengths, relax, &mut chosen, 0)
}

fn assign_from(
    parts: &[RequirementPart],
    specialties: &[SpecialtyId],
    lengths: &[u32],
    relax: Relax,
    chosen: &mut [Option<usize>],
    next: usize,
) -> bool {
    if next == lengths.len() {
        return parts.iter().enumerate().all(|(p, part)| {
            let mine: Vec<u32> = (0..lengths.len())
                .filter(|&i| chosen[i] == Some(p))
                .map(|i| lengths[i])
                .collect();
            let total: u32 = mine.iter().sum();
            let blocks = mine.len() as u32;
            if relax.partial && total == 0 {
                return true; // Nothing placed for this part.
            }
            if relax.partial && total < part.calendar_months {
                // Served in part: another block must still fit, so this is a split.
                return relax.shape
                    || (blocks < part.max_blocks && mine.iter().all(|&l| l >= part.min_block));
            }
            let shape_ok = relax.shape
                || (blocks <= part.max_blocks
                    && (blocks == 1 || mine.iter().all(|&l| l >= part.min_block)));
            total == part.calendar_months && shape_ok
        });
    }
    for (p, part) in parts.iter().enumerate() {
        if !relax.specialty && part.specialty.is_some_and(|s| s != specialties[next]) {
            continue;
        }
        chosen[next] = Some(p);
        if assign_from(parts, specialties, lengths, relax, chosen, next + 1) {
            return true;
        }
    }
    chosen[next] = None;
    false
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
