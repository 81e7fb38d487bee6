//! A plan in domain terms: hospital blocks, guidance groups, the requirement parts left
//! unplaced, the changes against an earlier plan and the review ledger.
//!
//! [`Plan`] is the one type every stage passes on: the solvers' results are assembled into
//! it, `verify` checks it, the report renders it, and `publish` writes it; reading a plan
//! folder gives one back. How it was solved (status, objective, bound) travels beside it
//! as a [`crate::summary::Summary`].

use std::collections::BTreeMap;
use std::fmt;

use super::{
    DepartmentId, DoctorId, Instance, Month, MonthRange, MunicipalityId, Review, SpecialtyId,
    SupervisorId, VenueId,
};

/// One block of hospital service: a doctor in one department for consecutive months.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block {
    pub doctor: DoctorId,
    pub department: DepartmentId,
    pub start: Month,
    /// Last month of the block (included).
    pub end: Month,
    /// Calendar months of service in the block: the span minus leave months inside it
    /// (leave can only sit inside a block that was already running when a re-plan began).
    pub months: u32,
    /// One-way minutes from home to the hospital.
    pub commute_minutes: u32,
    /// Whether the doctor lives near the hospital during the week.
    pub relocate: bool,
}

impl Block {
    pub fn span(&self) -> MonthRange {
        MonthRange::new(self.start, self.end)
    }

    /// Where and when the block is, without the facts derived from the instance.
    pub fn stint(&self) -> Stint {
        Stint {
            department: self.department,
            span: self.span(),
        }
    }
}

/// A department and a run of months: what a change record says about a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stint {
    pub department: DepartmentId,
    pub span: MonthRange,
}

impl Stint {
    /// "haukeland/medicine 2027-02..2027-07", as `changes.csv` writes it.
    pub fn describe(&self, inst: &Instance) -> String {
        format!("{} {}", inst.department_label(self.department), self.span)
    }

    /// Read a description written by [`Stint::describe`].
    pub fn parse(inst: &Instance, text: &str) -> Result<Stint, String> {
        let text = text.trim();
        let (label, months) = text.split_once(' ').ok_or_else(|| {
            format!("'{text}' is not a block 'hospital/specialty YYYY-MM..YYYY-MM'")
        })?;
        let (hospital, specialty) = label
            .split_once('/')
            .ok_or_else(|| format!("'{label}' is not a department 'hospital/specialty'"))?;
        let h = inst
            .hospital_id(hospital)
            .ok_or_else(|| format!("'{hospital}' is not a hospital in hospitals.csv"))?;
        let department = inst
            .specialty_id(specialty)
            .and_then(|s| inst.department_id(h, s))
            .ok_or_else(|| format!("hospital {hospital} has no {specialty} department"))?;
        let (first, last) = months.trim().split_once("..").unwrap_or((months, months));
        let first: Month = first.trim().parse().map_err(|e| format!("{e}"))?;
        let last: Month = last.trim().parse().map_err(|e| format!("{e}"))?;
        if last < first {
            return Err(format!("{last} is before {first}"));
        }
        Ok(Stint {
            department,
            span: MonthRange::new(first, last),
        })
    }
}

/// One guidance group and its members.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Group label, e.g. `G1`.
    pub id: String,
    pub venue: VenueId,
    pub supervisor: SupervisorId,
    /// Members with their one-way travel minutes to the venue.
    pub members: Vec<(DoctorId, u32)>,
}

/// A requirement part the plan could not place, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unplaced {
    pub doctor: DoctorId,
    pub specialty: Option<SpecialtyId>,
    /// Calendar months left unplaced.
    pub months: u32,
    pub reason: String,
}

/// How one doctor's plan changed in a re-plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum ChangeKind {
    /// A block moved to another hospital or department.
    MovedHospital,
    /// A block moved in time at the same department.
    Shifted,
    /// A block that was not in the previous plan.
    Added,
    /// A block of the previous plan that is gone.
    Removed,
    /// A running block made longer (e.g. around new leave).
    Extended,
    /// A running block that cannot go on as planned (the doctor left, the department lost
    /// its slot, the commute is no longer allowed, the window ends) ended before its
    /// planned end.
    EndedEarly,
    /// A future block of a doctor who left the programme.
    Cancelled,
    /// A block served before the re-plan month with leave reported inside it afterwards:
    /// those months were not served.
    Interrupted,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::MovedHospital,
        ChangeKind::Shifted,
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Extended,
        ChangeKind::EndedEarly,
        ChangeKind::Cancelled,
        ChangeKind::Interrupted,
    ];

    /// The name written in `changes.csv`.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::MovedHospital => "moved-hospital",
            ChangeKind::Shifted => "shifted",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Extended => "extended",
            ChangeKind::EndedEarly => "ended-early",
            ChangeKind::Cancelled => "cancelled",
            ChangeKind::Interrupted => "interrupted",
        }
    }

    /// What the change means, for the reader of the report.
    pub fn meaning(self) -> &'static str {
        match self {
            ChangeKind::MovedHospital => "moved to another hospital or department",
            ChangeKind::Shifted => "moved in time at the same department",
            ChangeKind::Added => "new block",
            ChangeKind::Removed => "block dropped",
            ChangeKind::Extended => "running block extended",
            ChangeKind::EndedEarly => "running block ended before its planned end",
            ChangeKind::Cancelled => "block cancelled: the doctor left the programme",
            ChangeKind::Interrupted => {
                "leave reported inside a served block: those months were not served"
            }
        }
    }

    /// Read a kind; `_` and `-` are both accepted as separators.
    pub fn parse(s: &str) -> Option<ChangeKind> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        ChangeKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One difference between a previous plan and a new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub doctor: DoctorId,
    /// The block in the previous plan (none for `added`).
    pub before: Option<Stint>,
    /// The block in the new plan (none for `removed`).
    pub after: Option<Stint>,
    pub kind: ChangeKind,
}

/// A change of a doctor who is no longer in `doctors.csv`: a block of theirs that was
/// cancelled or ended early because they left the programme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartedChange {
    /// The doctor's id in the previous plan.
    pub doctor: String,
    /// Their municipality, when the previous plan's `roster.csv` names one that still exists.
    pub municipality: Option<MunicipalityId>,
    pub before: Stint,
    /// The part of a running block already served (none for a cancelled block).
    pub after: Option<Stint>,
    pub kind: ChangeKind,
}

/// A change of guidance-group membership in a re-plan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GroupChange {
    pub doctor: String,
    /// The group before (none for a doctor who joins).
    pub before: Option<String>,
    /// The group after (none for a doctor who leaves).
    pub after: Option<String>,
}

impl GroupChange {
    /// `joined`, `left` or `moved`, as `group_changes.csv` writes it.
    pub fn kind(&self) -> &'static str {
        match (&self.before, &self.after) {
            (None, _) => "joined",
            (_, None) => "left",
            _ => "moved",
        }
    }
}

/// The terms a block is served on when they differ from what the instance says today:
/// the part-time percentage it was served at before the doctor's fte changed, and the
/// block whose lost months it makes up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockTerms {
    /// The fte the block counts at (none: the doctor's fte in `doctors.csv`).
    pub fte: Option<u32>,
    /// The start of the doctor's earlier block, cut short by leave reported late or by an
    /// early end, whose missing months this block serves.
    pub completes: Option<Month>,
}

/// Block terms by doctor and block start (a doctor's blocks never overlap).
pub type Terms = BTreeMap<(DoctorId, Month), BlockTerms>;

/// A whole plan: what `plan`, `place`, `groups` and `replan` produce, what `verify` checks,
/// what the report shows and what `publish` writes. Reading a plan folder gives one back.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Hospital blocks, sorted by doctor and start: history, running and new blocks.
    pub blocks: Vec<Block>,
    /// Requirement parts the plan leaves unplaced, with the reason.
    pub unplaced: Vec<Unplaced>,
    /// Guidance groups, if the plan forms them.
    pub groups: Option<Vec<Group>>,
    /// The plan forms guidance groups only (`alisplan groups`): it places no hospital
    /// service, so hospital rules are not checked and no placement files are written.
    pub groups_only: bool,
    /// For a re-plan: the first month that was planned anew.
    pub replan_from: Option<Month>,
    /// Against an earlier plan (a re-plan, or a re-run after review): what changed.
    pub changes: Option<Vec<Change>>,
    /// The review ledger: every block put to the hospitals, their answers and comments,
    /// and the round whose sheets this plan sends out.
    pub review: Review,
    /// Blocks served on other terms than today's instance gives (see [`BlockTerms`]).
    pub terms: Terms,
    /// In a re-plan: the blocks of doctors no longer in `doctors.csv`, cancelled or ended.
    pub departed: Vec<DepartedChange>,
    /// In a re-plan: who joined, left or moved between guidance groups.
    pub group_changes: Option<Vec<GroupChange>>,
}

impl Plan {
    /// The terms block `b` is served on.
    pub fn terms_of(&self, b: &Block) -> BlockTerms {
        self.terms
            .get(&(b.doctor, b.start))
            .copied()
            .unwrap_or_default()
    }

    /// The part-time percentage block `b` counts at.
    pub fn fte_of(&self, inst: &Instance, b: &Block) -> u32 {
        self.terms_of(b)
            .fte
            .unwrap_or_else(|| inst.doctor(b.doctor).fte)
    }

    /// The blocks that are up for review: all of them, or in a re-plan those that start
    /// in or after the re-plan month (history is not up for review).
    pub fn proposals(&self) -> impl Iterator<Item = &Block> {
        self.blocks
            .iter()
            .filter(|b| self.replan_from.is_none_or(|f| b.start >= f))
    }
}

/// Blocks sorted by doctor, then start, so that plans compare and print stably.
pub fn sort_blocks(blocks: &mut [Block]) {
    blocks.sort_by_key(|a| (a.doctor, a.start, a.department));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_kinds_read_both_separators() {
        assert_eq!(
            ChangeKind::parse("moved-hospital"),
            Some(ChangeKind::MovedHospital)
        );
        assert_eq!(
            ChangeKind::parse("Moved_Hospital"),
            Some(ChangeKind::MovedHospital)
        );
        assert_eq!(ChangeKind::parse("moved"), None);
        for k in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(k.name()), Some(k));
        }
    }

    #[test]
    fn a_stint_reads_back_what_changes_csv_writes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest");
        let inst = crate::io::load_instance(&dir).expect("alis-vest loads");
        let k = inst.department_ids().next().expect("a department");
        for span in [
            MonthRange::new("2027-03".parse().unwrap(), "2027-08".parse().unwrap()),
            MonthRange::new("2028-01".parse().unwrap(), "2028-01".parse().unwrap()),
        ] {
            let s = Stint {
                department: k,
                span,
            };
            assert_eq!(Stint::parse(&inst, &s.describe(&inst)), Ok(s));
        }
        for bad in [
            "haukeland",
            "haukeland 2027-01",
            "nowhere/medicine 2027-01..2027-02",
            "haukeland/dentistry 2027-01..2027-02",
            "haukeland/medicine 2027-05..2027-02",
            "haukeland/medicine 2027-13",
        ] {
            assert!(Stint::parse(&inst, bad).is_err(), "{bad}");
        }
    }
}
