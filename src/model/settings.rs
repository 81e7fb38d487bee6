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
    /// Last month old-scheme hospital service may be planned: the old rules apply only to
    /// doctors who apply for specialist approval by 31 Dec 2026, so service after that
    /// month does not count under them.
    pub old_scheme_last_month: Month,
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
            old_scheme_last_month: Month::new(2026, 12).expect("valid month"),
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

/// Weights of the placement objective, every term in NOK (per month where it says so).
/// The defaults are estimates, sourced in the bundled instances' README files.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// NOK per hour a doctor spends travelling to and from hospital service.
    pub nok_per_hour: f64,
    /// Working days per month: a daily commuter makes this many round trips a month.
    pub workdays_per_month: f64,
    /// Round trips home per month of a doctor who lives near the hospital (weekly).
    pub home_trips_per_month: f64,
    /// NOK per month a doctor lives away from home: housing and the cost of living apart.
    /// The weekly trip home is priced on top, by `nok_per_hour`.
    pub relocation: f64,
    /// Share of the municipality's `substitute_cost` (NOK per month away) counted.
    pub substitute: f64,
    /// NOK per extra doctor of one municipality away in the same month.
    pub stagger: f64,
    /// NOK per unit of preference weight per month.
    pub preference: f64,
    /// NOK per empty `min_fill` slot-month: what a hospital's wish to fill a slot is worth.
    pub min_fill: f64,
    /// NOK per minute of the worst daily commute of any doctor (fairness).
    pub worst_commute: f64,
    /// NOK-equivalent per requirement part left unplaced, used by the first, weighted solve
    /// only; the count stage puts fewer unplaced parts before any cost.
    pub unplaced: f64,
    /// Tie-break, NOK per block: every block is a handover between practice and hospital,
    /// so among otherwise equal plans a part is not split.
    pub block: f64,
    /// Tie-break, NOK per month a block starts after the doctor's earliest start: among
    /// otherwise equal plans, serve early and keep slack for re-planning.
    pub lateness: f64,
}

impl Weights {
    /// NOK per one-way minute of a daily commute, per month of service.
    pub fn daily_commute_per_minute(&self) -> f64 {
        2.0 * self.workdays_per_month * self.nok_per_hour / 60.0
    }

    /// NOK per one-way minute of a relocated doctor's weekly trip home, per month.
    pub fn home_trip_per_minute(&self) -> f64 {
        2.0 * self.home_trips_per_month * self.nok_per_hour / 60.0
    }

    /// NOK per month that relocating to a hospital `minutes` away costs more than commuting
    /// daily `minutes` (the shortest relocation against the longest commute).
    pub fn relocation_margin(&self, minutes: u32) -> f64 {
        self.relocation
            - (self.daily_commute_per_minute() - self.home_trip_per_minute()) * f64::from(minutes)
    }
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            nok_per_hour: 200.0,
            workdays_per_month: 21.0,
            home_trips_per_month: 4.3,
            relocation: 20_000.0,
            substitute: 1.0,
            stagger: 10_000.0,
            preference: 2_000.0,
            min_fill: 2_000.0,
            worst_commute: 100.0,
            unplaced: 100_000_000.0,
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
    /// The MIP solver: `cbc` (always built) or `highs` (only in a build with the `highs`
    /// feature).
    pub backend: Backend,
}

/// The MIP solver behind every model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// COIN-OR CBC, compiled from source with the crate: every build has it.
    #[default]
    Cbc,
    /// HiGHS, in a build with `--features highs` only.
    Highs,
}

impl Backend {
    /// The solver's name, as the planner reads it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Cbc => "CBC",
            Backend::Highs => "HiGHS",
        }
    }

    /// Whether this build has the solver.
    pub fn is_built(self) -> bool {
        match self {
            Backend::Cbc => true,
            Backend::Highs => cfg!(feature = "highs"),
        }
    }

    /// Why this build cannot use the solver, if it cannot.
    pub fn missing(self) -> Option<String> {
        (!self.is_built()).then(|| {
            format!(
                "this alisplan was built without {}: build it with `cargo build --release --features highs` (README, \"HiGHS\")",
                self.name()
            )
        })
    }
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            time_limit: 60.0,
            gap: 0.0,
            threads: 1,
            backend: Backend::Cbc,
        }
    }
}
