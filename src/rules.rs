//! The catalogue of planning rules. Each rule has one name used everywhere: the constraint
//! function that encodes it in a formulation, and the violation that `verify` reports.

use std::fmt;

/// A rule a plan must respect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    // Hospital service.
    RequirementMet,
    SpecialtyMatch,
    BlockShape,
    WithinWindow,
    NoLeaveInBlock,
    OnePlaceAtATime,
    DepartmentCapacity,
    AllowedStartMonths,
    CommuteLimit,
    MunicipalityMaxAway,
    GroupPeriodInPractice,
    OldSchemeDeadline,
    LocksRespected,
    BlockFacts,
    HistoryFrozen,
    LeaversAccounted,
    ChangesListed,
    // Guidance groups.
    GroupMembership,
    GroupSize,
    VenueCapacity,
    SupervisorCapacity,
    GroupMunicipalityMix,
    GroupStartSpread,
    GroupTravelFacts,
    GroupMemberTravel,
}

impl Rule {
    /// The rule's name, as the constraint function that encodes it is named.
    pub fn name(self) -> &'static str {
        match self {
            Rule::RequirementMet => "requirement_met",
            Rule::SpecialtyMatch => "specialty_match",
            Rule::BlockShape => "block_shape",
            Rule::WithinWindow => "within_window",
            Rule::NoLeaveInBlock => "no_leave_in_block",
            Rule::OnePlaceAtATime => "one_place_at_a_time",
            Rule::DepartmentCapacity => "department_capacity",
            Rule::AllowedStartMonths => "allowed_start_months",
            Rule::CommuteLimit => "commute_limit",
            Rule::MunicipalityMaxAway => "municipality_max_away",
            Rule::GroupPeriodInPractice => "group_period_in_practice",
            Rule::OldSchemeDeadline => "old_scheme_deadline",
            Rule::LocksRespected => "locks_respected",
            Rule::BlockFacts => "block_facts",
            Rule::HistoryFrozen => "history_frozen",
            Rule::LeaversAccounted => "leavers_accounted",
            Rule::ChangesListed => "changes_listed",
            Rule::GroupMembership => "group_membership",
            Rule::GroupSize => "group_size",
            Rule::VenueCapacity => "venue_capacity",
            Rule::SupervisorCapacity => "supervisor_capacity",
            Rule::GroupMunicipalityMix => "group_municipality_mix",
            Rule::GroupStartSpread => "group_start_spread",
            Rule::GroupTravelFacts => "group_travel_facts",
            Rule::GroupMemberTravel => "group_member_travel",
        }
    }

    /// The rule in domain words.
    pub fn description(self) -> &'static str {
        match self {
            Rule::RequirementMet => {
                "every doctor serves exactly the required hospital months (or is reported as unplaced with a reason)"
            }
            Rule::SpecialtyMatch => {
                "a requirement tied to a specialty is served in a department of that specialty"
            }
            Rule::BlockShape => {
                "a requirement part is served in at most max_blocks blocks, each at least min_block months when split"
            }
            Rule::WithinWindow => {
                "hospital service lies between the doctor's earliest start and latest end"
            }
            Rule::NoLeaveInBlock => {
                "months on leave are not hospital months; only a block already running when leave began is extended around it"
            }
            Rule::OnePlaceAtATime => "a doctor is in at most one department in any month",
            Rule::DepartmentCapacity => {
                "a department never has more ALIS than its slots in any month"
            }
            Rule::AllowedStartMonths => {
                "a block starts only in a month the department starts rotations"
            }
            Rule::CommuteLimit => {
                "a hospital beyond the doctor's longest daily commute is used only if the doctor agreed to relocate"
            }
            Rule::MunicipalityMaxAway => {
                "no more of a municipality's ALIS are in hospital at once than its max_away"
            }
            Rule::GroupPeriodInPractice => {
                "at least one of the two guidance-group years is spent in general practice: no hospital month in it and, where leave allows, at least min_practice_share of it in practice"
            }
            Rule::OldSchemeDeadline => {
                "old-scheme hospital service is planned no later than old_scheme_last_month (the old rules apply only to doctors who apply by the transition deadline)"
            }
            Rule::LocksRespected => {
                "an accepted placement is kept and a rejected one is not proposed"
            }
            Rule::BlockFacts => {
                "the months, commute and relocation written for a block match the instance"
            }
            Rule::HistoryFrozen => "months before a re-plan's start are history and do not change",
            Rule::LeaversAccounted => {
                "every block a doctor who left would still have served is cancelled or ended early in changes.csv"
            }
            Rule::ChangesListed => {
                "changes.csv lists exactly the blocks that differ from the previous plan"
            }
            Rule::GroupMembership => "every doctor due a guidance group is in exactly one group",
            Rule::GroupSize => "a group has between min_size and max_size members",
            Rule::VenueCapacity => "a venue hosts at most its max_groups groups",
            Rule::SupervisorCapacity => "a supervisor leads at most their max_groups groups",
            Rule::GroupMunicipalityMix => {
                "a group has at most max_per_municipality members from one municipality"
            }
            Rule::GroupStartSpread => {
                "the members of a group start their group period at most max_start_spread months apart"
            }
            Rule::GroupTravelFacts => "the travel minutes written for a member match the network",
            Rule::GroupMemberTravel => {
                "no member travels longer than max_member_minutes one way to their group's meetings"
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
