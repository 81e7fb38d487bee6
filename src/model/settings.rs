//! `settings.toml`: horizon, scheme defaults, objective weights, group rules, solver limits.
//! Every key has a default, so an empty file is a valid settings file.

use serde::{Deserialize, Serialize};

use super::month::Month;

/// All settings of an instance. Unknown keys are rejected so that a misspelt weight is
/// noticed instead of silently ignored.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct Settings {
    /// Name shown in summaries and reports.
    pub name: String,
    /// Language of what hospitals, municipalities and doctors read (`nb` or `en`).
    pub language: crate::i18n::Lang,
    pub horizon: Horizon,
    pub scheme: SchemeSettings,
    pub municipalities: MunicipalityDefaults,
    pub weights: Weights,
    pub groups: GroupSettings,
    pub replan: ReplanWeights,
    pub solver: SolverSettings,
}

/// The months that may be planned, both ends included.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Horizon {
    pub start: Month,
    pub end: Month,
}

impl Default for Horizon {
    fn default() -> Self {
        Horizon {
            start: Month::new(2027, 1).expect("valid month"),
            end: Month::new(2030, 12).expect("valid month"),
        }
    }
}

/// Defaults of the hospital-service requirement.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SchemeSettings {
    /// Hospital months under the 2019 rules.
    pub new_months: u32,
    /// Hospital months under the old rules (the sykehusår).
    pub old_months: u32,
    /// Part-time percentage below which hospital service does not count.
    pub fte_floor: u32,
    /// Shortest block (calendar months) when a requirement may be split.
    pub min_block: u32,
    /// Number of blocks a requirement part may be split into.
    pub max_blocks: u32,
    /// Longest acceptable one-way daily commute in minutes.
    pub max_commute: u32,
    /// Farthest hospital (one-way minutes) a doctor who relocates is sent to.
    pub max_relocation_minutes: u32,
}

impl Default for SchemeSettings {
    fn default() -> Self {
        SchemeSettings {
            new_months: 6,
            old_months: 12,
            fte_floor: 50,
            min_block: 3,
            max_blocks: 1,
            max_commute: 90,
            max_relocation_minutes: 480,
        }
    }
}

/// Defaults for `municipalities.csv`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MunicipalityDefaults {
    /// ALIS of one municipality that may be in hospital in the same month.
    pub max_away: u32,
    /// NOK a municipality pays for a substitute per doctor-month away.
    pub substitute_cost: f64,
}

impl Default for MunicipalityDefaults {
    fn default() -> Self {
        MunicipalityDefaults {
            max_away: 1,
            substitute_cost: 90_000.0,
        }
    }
}

/// Weights of the placement objective, in cost points.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Per one-way commute minute per month in hospital.
    pub commute: f64,
    /// Per month a doctor lives away from home (weekly commute); the weekly trip itself
    /// costs `commute` per minute per month divided by `relocation_trip_divisor`.
    pub relocation: f64,
    /// Daily trips replaced by one weekly trip: a relocated doctor's travel minutes count
    /// this many times less than a daily commuter's.
    pub relocation_trip_divisor: f64,
    /// Per NOK of substitute cost.
    pub substitute: f64,
    /// Per extra doctor of one municipality away in the same month.
    pub stagger: f64,
    /// Per unit of preference weight per month.
    pub preference: f64,
    /// Per empty `min_fill` slot-month.
    pub min_fill: f64,
    /// Per minute of the worst daily commute of any doctor.
    pub worst_commute: f64,
    /// Per requirement part that cannot be placed.
    pub unplaced: f64,
    /// Per block: every block is a handover between practice and hospital, so a part is
    /// split only when splitting pays.
    pub block: f64,
    /// Per month a block starts after the doctor's earliest start: among equal plans, serve
    /// early and keep slack for re-planning.
    pub lateness: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            commute: 1.0,
            relocation: 150.0,
            relocation_trip_divisor: 5.0,
            substitute: 0.001,
            stagger: 500.0,
            preference: 100.0,
            min_fill: 200.0,
            worst_commute: 20.0,
            unplaced: 1_000_000.0,
            block: 10.0,
            lateness: 0.5,
        }
    }
}

/// Rules and costs of the guidance groups. Every cost is in NOK.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GroupSettings {
    pub min_size: u32,
    pub max_size: u32,
    /// Members of one municipality in one group.
    pub max_per_municipality: u32,
    /// Months between the earliest and latest `group_from` of one group's members.
    pub max_start_spread: u32,
    /// Length of the guidance-group period in months: two group years of `months / 2`.
    pub months: u32,
    /// No longer read: the group-year rule replaced it. Kept only to say so clearly.
    #[serde(skip_serializing)]
    pub max_hospital_months: Option<u32>,
    /// Warn (in `check`) when leave leaves less than this share of both group years in
    /// general practice.
    pub min_practice_share: f64,
    /// NOK per group per year: the supervisor's fee and time for the meetings.
    pub group_cost: f64,
    /// NOK per member of difference between the largest and smallest group (a tie-break).
    pub balance: f64,
    /// NOK per hour of a member's travel to and from meetings.
    pub travel: f64,
    /// NOK per hour of a supervisor's travel to and from meetings.
    pub supervisor_travel: f64,
    /// Longest one-way travel of a member to their group's meetings, minutes (no limit
    /// when absent).
    pub max_member_minutes: Option<u32>,
    /// A group with a member travelling longer than this (one way) meets 6 h every 4th week.
    pub long_travel_minutes: u32,
    /// Meetings a year at 3 h every other week.
    pub meetings_short: u32,
    /// Meetings a year at 6 h every fourth week.
    pub meetings_long: u32,
}

impl Default for GroupSettings {
    fn default() -> Self {
        GroupSettings {
            min_size: 6,
            max_size: 12,
            max_per_municipality: 3,
            max_start_spread: 12,
            months: 24,
            max_hospital_months: None,
            min_practice_share: 0.5,
            group_cost: 90_000.0,
            balance: 1_000.0,
            travel: 600.0,
            supervisor_travel: 900.0,
            max_member_minutes: None,
            long_travel_minutes: 90,
            meetings_short: 20,
            meetings_long: 10,
        }
    }
}

/// Penalties for changing a published plan.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReplanWeights {
    /// Per block moved in time at the same department.
    pub shift: f64,
    /// Per block moved to another department.
    pub change_hospital: f64,
    /// Extra per moved block that the hospital had accepted.
    pub accepted: f64,
}

impl Default for ReplanWeights {
    fn default() -> Self {
        ReplanWeights {
            shift: 3_000.0,
            change_hospital: 6_000.0,
            accepted: 20_000.0,
        }
    }
}

/// Limits handed to the MIP solver.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SolverSettings {
    /// Seconds per solve.
    pub time_limit: f64,
    /// Relative gap at which the solver may stop (0 = prove optimality).
    pub gap: f64,
    /// Solver threads.
    pub threads: u32,
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            time_limit: 60.0,
            gap: 0.0,
            threads: 1,
        }
    }
}
