//! A plan: hospital blocks and guidance groups, in domain terms.

use super::{DepartmentId, DoctorId, Month, MonthRange, SupervisorId, VenueId};

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

/// Blocks sorted by doctor, then start, so that plans compare and print stably.
pub fn sort_blocks(blocks: &mut [Block]) {
    blocks.sort_by_key(|a| (a.doctor, a.start, a.department));
}
