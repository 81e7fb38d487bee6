//! The review ledger: every block put to the hospitals, what they answered and wrote,
//! round by round. A plan carries it ([`crate::model::Plan::review`]); the plan folder
//! keeps it as `review.csv`, and the next round starts from it.

use chrono::NaiveDate;

use super::{Block, DepartmentId, DoctorId, Month, MonthRange, Source, Stint};

/// Where a block stands in the review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewStatus {
    /// Put to the hospital, no answer yet.
    Proposed,
    /// The hospital accepted it, and it is unchanged since.
    Accepted,
    /// The hospital rejected it; it is no longer proposed.
    Rejected,
    /// It replaces an accepted block that a re-plan had to move: the hospital is asked
    /// to confirm it again.
    AcceptedChanged,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 4] = [
        ReviewStatus::Proposed,
        ReviewStatus::Accepted,
        ReviewStatus::Rejected,
        ReviewStatus::AcceptedChanged,
    ];

    /// The name written in `review.csv`.
    pub fn name(self) -> &'static str {
        match self {
            ReviewStatus::Proposed => "proposed",
            ReviewStatus::Accepted => "accepted",
            ReviewStatus::Rejected => "rejected",
            ReviewStatus::AcceptedChanged => "accepted-changed",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewStatus> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        ReviewStatus::ALL.into_iter().find(|k| k.name() == s)
    }
}

impl std::fmt::Display for ReviewStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Who answered: the sheet the answer came in, and the round that sheet was sent out in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    /// The sheet, e.g. `hospitals/haukeland.xlsx`.
    pub sheet: String,
    pub round: u32,
}

/// One block in the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewEntry {
    pub doctor: DoctorId,
    pub department: DepartmentId,
    pub start: Month,
    pub end: Month,
    /// Months of service, as in `placements.csv`.
    pub months: u32,
    pub status: ReviewStatus,
    /// The round in which the block (as it is now) was first put to the hospital.
    pub round: u32,
    pub answered: Option<Answered>,
    /// The hospital's comment, kept from round to round.
    pub comment: String,
    /// For `accepted-changed`: the accepted block this one replaces.
    pub was: Option<Stint>,
    /// Where the entry's status was last read from (a sheet's line, or `review.csv`).
    pub source: Source,
}

impl ReviewEntry {
    pub fn span(&self) -> MonthRange {
        MonthRange::new(self.start, self.end)
    }

    pub fn stint(&self) -> Stint {
        Stint {
            department: self.department,
            span: self.span(),
        }
    }

    /// Whether this entry is about block `b`: the same doctor, department, start and
    /// months of service (a running block extended around leave stays the same block).
    pub fn is_block(&self, b: &Block) -> bool {
        self.doctor == b.doctor
            && self.department == b.department
            && self.start == b.start
            && self.months == b.months
    }
}

/// The ledger of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// The round whose sheets the plan sends out: 1 for a first plan, one more for each
    /// plan made on an earlier one (`--decisions`, `replan`).
    pub round: u32,
    /// The answer deadline written on the sheets, if one was given.
    pub deadline: Option<NaiveDate>,
    /// Blocks of the plan that were put to review, and decided blocks no longer in it
    /// (rejected ones), by doctor and start.
    pub entries: Vec<ReviewEntry>,
}

impl Default for Review {
    fn default() -> Self {
        Review {
            round: 1,
            deadline: None,
            entries: Vec::new(),
        }
    }
}

impl Review {
    /// The entry of block `b`, if it was put to review.
    pub fn entry(&self, b: &Block) -> Option<&ReviewEntry> {
        self.entries.iter().find(|e| e.is_block(b))
    }

    /// Entries with status `s`.
    pub fn with_status(&self, s: ReviewStatus) -> impl Iterator<Item = &ReviewEntry> {
        self.entries.iter().filter(move |e| e.status == s)
    }

    /// Sort the entries by doctor, start and department.
    pub fn sort(&mut self) {
        self.entries
            .sort_by_key(|e| (e.doctor, e.start, e.department, e.status));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_their_names() {
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::parse(s.name()), Some(s));
        }
        assert_eq!(
            ReviewStatus::parse("Accepted_Changed"),
            Some(ReviewStatus::AcceptedChanged)
        );
        assert_eq!(ReviewStatus::parse("maybe"), None);
    }
}
