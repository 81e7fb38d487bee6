//! The domain model: an instance as typed, validated, interned data.

pub mod bounds;
pub mod ids;
pub mod month;
pub mod plan;
pub mod review;
pub mod roster;
pub mod settings;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

pub use ids::*;
pub use month::{Month, MonthRange};
pub use plan::{Block, Change, ChangeKind, Group, Plan, Stint, Unplaced, sort_blocks};
pub use review::{Answered, Review, ReviewEntry, ReviewStatus};
pub use settings::Settings;

use crate::error::Diagnostic;

/// Where a record came from, so that later checks can point at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub file: String,
    pub line: u64,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}", self.file, self.line)
    }
}

/// A point of the travel network (municipality centre, hospital town, quay, junction, venue).
#[derive(Clone, Debug)]
pub struct Place {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// How an edge of the network is travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Road,
    Ferry,
}

/// An undirected edge of the road and ferry network.
#[derive(Clone, Debug)]
pub struct Edge {
    pub a: PlaceId,
    pub b: PlaceId,
    pub minutes: u32,
    pub km: Option<f64>,
    pub mode: Mode,
}

#[derive(Clone, Debug)]
pub struct Municipality {
    pub id: String,
    pub name: String,
    pub place: PlaceId,
    pub county: Option<String>,
    /// Most of its ALIS in hospital in one month.
    pub max_away: u32,
    /// NOK per doctor-month away.
    pub substitute_cost: f64,
}

#[derive(Clone, Debug)]
pub struct Hospital {
    pub id: String,
    pub name: String,
    pub place: PlaceId,
    pub trust: Option<String>,
}

/// A hospital department that takes ALIS.
#[derive(Clone, Debug)]
pub struct Department {
    pub hospital: HospitalId,
    pub specialty: SpecialtyId,
    /// Concurrent ALIS slots, unless overridden.
    pub capacity: u32,
    /// Months of the year (1–12) a rotation may start; empty = any month.
    pub start_months: Vec<u32>,
    /// ALIS the hospital would like there every month (soft).
    pub min_fill: u32,
    /// Dated capacity overrides from `capacity.csv`.
    pub overrides: Vec<(MonthRange, u32)>,
    pub source: Source,
}

impl Department {
    /// ALIS slots in month `m`.
    pub fn capacity_in(&self, m: Month) -> u32 {
        self.overrides
            .iter()
            .find(|(range, _)| range.contains(m))
            .map_or(self.capacity, |&(_, c)| c)
    }

    /// Whether a rotation may start in month `m`.
    pub fn may_start_in(&self, m: Month) -> bool {
        self.start_months.is_empty() || self.start_months.contains(&m.month_of_year())
    }

    /// The `min_fill` that applies in month `m` (never above that month's capacity).
    pub fn min_fill_in(&self, m: Month) -> u32 {
        self.min_fill.min(self.capacity_in(m))
    }
}

/// Training scheme of a doctor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// 2019 rules: at least 6 months in the specialist health service.
    New,
    /// Old rules: 12 months, the sykehusår.
    Old,
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::New => "new",
            Scheme::Old => "old",
        })
    }
}

/// One part of a doctor's hospital service requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequirementPart {
    /// The specialty required, or `None` for any department.
    pub specialty: Option<SpecialtyId>,
    /// Full-time months required.
    pub months: u32,
    /// Calendar months needed at the doctor's part-time percentage.
    pub calendar_months: u32,
    /// Shortest block in calendar months (applies when split).
    pub min_block: u32,
    /// Number of blocks the part may be split into.
    pub max_blocks: u32,
}

impl RequirementPart {
    /// Block lengths (calendar months) a block of this part may have.
    pub fn block_lengths(&self) -> Vec<u32> {
        let total = self.calendar_months;
        if self.max_blocks <= 1 || self.min_block >= total {
            return vec![total];
        }
        let longest = total - self.min_block;
        let mut lengths: Vec<u32> = (self.min_block..=longest).collect();
        lengths.push(total);
        lengths
    }
}

/// Calendar months needed to serve `months` full-time months at `fte` percent.
pub fn calendar_months(months: u32, fte: u32) -> u32 {
    (months * 100).div_ceil(fte.max(1))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaveKind {
    Parental,
    Sick,
    Other,
}

impl fmt::Display for LeaveKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LeaveKind::Parental => "parental",
            LeaveKind::Sick => "sick",
            LeaveKind::Other => "other",
        })
    }
}

#[derive(Clone, Debug)]
pub struct Leave {
    pub range: MonthRange,
    pub kind: LeaveKind,
    pub source: Source,
}

#[derive(Clone, Debug)]
pub struct Doctor {
    pub id: String,
    pub name: String,
    pub municipality: MunicipalityId,
    pub scheme: Scheme,
    /// Percentage of full time during hospital service.
    pub fte: u32,
    /// Earliest start and latest end of hospital service (within the horizon).
    pub window: MonthRange,
    /// Longest acceptable one-way daily commute, minutes.
    pub max_commute: u32,
    /// Willing to live near the hospital during the week.
    pub relocate: bool,
    /// First month of the two-year guidance-group period.
    pub group_from: Option<Month>,
    /// Whether the doctor is to be placed in a guidance group.
    pub needs_group: bool,
    pub requirement: Vec<RequirementPart>,
    pub leave: Vec<Leave>,
    pub source: Source,
}

impl Doctor {
    /// Whether the doctor is on leave in month `m`.
    pub fn on_leave(&self, m: Month) -> bool {
        self.leave.iter().any(|l| l.range.contains(m))
    }

    /// The guidance-group period, if the doctor has one.
    pub fn group_period(&self, months: u32) -> Option<MonthRange> {
        self.group_from
            .map(|from| MonthRange::starting(from, months as i32))
    }

    /// The two group years of the guidance-group period (`months / 2` each), if the
    /// doctor has one. At least one of them must have no hospital month.
    pub fn group_years(&self, months: u32) -> Option<[MonthRange; 2]> {
        let year = (months / 2) as i32;
        self.group_from.map(|from| {
            [
                MonthRange::starting(from, year),
                MonthRange::starting(from.plus(year), year),
            ]
        })
    }

    /// Calendar months of hospital service required in all.
    pub fn required_calendar_months(&self) -> u32 {
        self.requirement.iter().map(|p| p.calendar_months).sum()
    }
}

/// A wish (+) or wish to avoid (−) a hospital, optionally one department of it.
#[derive(Clone, Debug)]
pub struct Preference {
    pub doctor: DoctorId,
    pub hospital: HospitalId,
    pub specialty: Option<SpecialtyId>,
    pub weight: f64,
}

#[derive(Clone, Debug)]
pub struct Supervisor {
    pub id: String,
    pub name: String,
    pub place: PlaceId,
    pub max_groups: u32,
}

#[derive(Clone, Debug)]
pub struct Venue {
    pub place: PlaceId,
    pub name: String,
    pub max_groups: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Reject,
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Accept => "accept",
            Decision::Reject => "reject",
        })
    }
}

/// A review decision: `accept` requires a block matching every given field, `reject`
/// forbids every block matching them. `None` fields match anything.
#[derive(Clone, Debug)]
pub struct Lock {
    pub doctor: DoctorId,
    pub hospital: Option<HospitalId>,
    pub specialty: Option<SpecialtyId>,
    pub start: Option<Month>,
    pub months: Option<u32>,
    pub decision: Decision,
    pub source: Source,
}

impl Lock {
    /// Whether a block at `dept` starting `start` lasting `months` matches this lock.
    pub fn matches(&self, dept: &Department, start: Month, months: u32) -> bool {
        self.hospital.is_none_or(|h| h == dept.hospital)
            && self.specialty.is_none_or(|s| s == dept.specialty)
            && self.start.is_none_or(|s| s == start)
            && self.months.is_none_or(|n| n == months)
    }
}

/// A string table with a map back from id to index.
#[derive(Clone, Debug, Default)]
pub struct Names {
    map: HashMap<String, usize>,
}

impl Names {
    pub fn insert(&mut self, id: &str, index: usize) -> Option<usize> {
        self.map.insert(id.to_string(), index)
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.map.get(id).copied()
    }

    /// Every id in the table.
    pub fn ids(&self) -> impl Iterator<Item = String> + '_ {
        self.map.keys().cloned()
    }
}

/// A loaded, validated instance.
#[derive(Clone, Debug)]
pub struct Instance {
    pub dir: PathBuf,
    pub settings: Settings,
    pub places: Vec<Place>,
    pub edges: Vec<Edge>,
    pub municipalities: Vec<Municipality>,
    pub hospitals: Vec<Hospital>,
    pub specialties: Vec<String>,
    pub departments: Vec<Department>,
    pub doctors: Vec<Doctor>,
    /// Sorted by doctor ([`Instance::preference`] relies on it).
    pub preferences: Vec<Preference>,
    pub supervisors: Vec<Supervisor>,
    pub venues: Vec<Venue>,
    pub locks: Vec<Lock>,
    /// Problems that did not stop loading (unknown columns, clipped windows).
    pub warnings: Vec<Diagnostic>,
    pub(crate) names: InstanceNames,
}

/// Id → index maps of every table.
#[derive(Clone, Debug, Default)]
pub(crate) struct InstanceNames {
    pub places: Names,
    pub municipalities: Names,
    pub hospitals: Names,
    pub specialties: Names,
    pub doctors: Names,
    pub supervisors: Names,
    pub venues: Names,
}

impl Instance {
    /// The horizon as a month range.
    pub fn horizon(&self) -> MonthRange {
        MonthRange::new(self.settings.horizon.start, self.settings.horizon.end)
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.index()]
    }

    pub fn municipality(&self, id: MunicipalityId) -> &Municipality {
        &self.municipalities[id.index()]
    }

    pub fn hospital(&self, id: HospitalId) -> &Hospital {
        &self.hospitals[id.index()]
    }

    pub fn department(&self, id: DepartmentId) -> &Department {
        &self.departments[id.index()]
    }

    pub fn doctor(&self, id: DoctorId) -> &Doctor {
        &self.doctors[id.index()]
    }

    pub fn specialty(&self, id: SpecialtyId) -> &str {
        &self.specialties[id.index()]
    }

    pub fn place_id(&self, id: &str) -> Option<PlaceId> {
        self.names.places.get(id).map(PlaceId::at)
    }

    pub fn municipality_id(&self, id: &str) -> Option<MunicipalityId> {
        self.names.municipalities.get(id).map(MunicipalityId::at)
    }

    pub fn hospital_id(&self, id: &str) -> Option<HospitalId> {
        self.names.hospitals.get(id).map(HospitalId::at)
    }

    pub fn specialty_id(&self, id: &str) -> Option<SpecialtyId> {
        self.names.specialties.get(id).map(SpecialtyId::at)
    }

    pub fn doctor_id(&self, id: &str) -> Option<DoctorId> {
        self.names.doctors.get(id).map(DoctorId::at)
    }

    pub fn supervisor_id(&self, id: &str) -> Option<SupervisorId> {
        self.names.supervisors.get(id).map(SupervisorId::at)
    }

    /// The venue that meets at place `id`.
    pub fn venue_id(&self, id: &str) -> Option<VenueId> {
        self.names.venues.get(id).map(VenueId::at)
    }

    /// The department of hospital `h` for specialty `s`.
    pub fn department_id(&self, h: HospitalId, s: SpecialtyId) -> Option<DepartmentId> {
        self.departments
            .iter()
            .position(|d| d.hospital == h && d.specialty == s)
            .map(DepartmentId::at)
    }

    /// "hospital/specialty", the name of a department in messages.
    pub fn department_label(&self, id: DepartmentId) -> String {
        let d = self.department(id);
        format!(
            "{}/{}",
            self.hospital(d.hospital).id,
            self.specialty(d.specialty)
        )
    }

    pub fn doctor_ids(&self) -> impl Iterator<Item = DoctorId> + '_ {
        (0..self.doctors.len()).map(DoctorId::at)
    }

    pub fn department_ids(&self) -> impl Iterator<Item = DepartmentId> + '_ {
        (0..self.departments.len()).map(DepartmentId::at)
    }

    pub fn municipality_ids(&self) -> impl Iterator<Item = MunicipalityId> + '_ {
        (0..self.municipalities.len()).map(MunicipalityId::at)
    }

    pub fn hospital_ids(&self) -> impl Iterator<Item = HospitalId> + '_ {
        (0..self.hospitals.len()).map(HospitalId::at)
    }

    /// Doctors living in municipality `m`.
    pub fn doctors_of(&self, m: MunicipalityId) -> impl Iterator<Item = DoctorId> + '_ {
        self.doctor_ids()
            .filter(move |&d| self.doctor(d).municipality == m)
    }

    /// The home place of a doctor (their municipality's centre).
    pub fn home_of(&self, d: DoctorId) -> PlaceId {
        self.municipality(self.doctor(d).municipality).place
    }

    /// Net preference weight of doctor `d` for department `dept` (per month).
    pub fn preference(&self, d: DoctorId, dept: DepartmentId) -> f64 {
        let dep = self.department(dept);
        let first = self.preferences.partition_point(|p| p.doctor < d);
        self.preferences[first..]
            .iter()
            .take_while(|p| p.doctor == d)
            .filter(|p| {
                p.hospital == dep.hospital && p.specialty.is_none_or(|s| s == dep.specialty)
            })
            .map(|p| p.weight)
            .sum()
    }
}
