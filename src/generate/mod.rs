//! `alisplan generate`: a seeded, realistic synthetic instance of any size.
//!
//! The generator draws the four Norwegian health regions (or the first `R` of them), their
//! municipalities around real regional towns, a connected road and ferry network, hospitals
//! with departments, ALIS doctors with schemes, part-time, windows and leave, guidance-group
//! venues and supervisors, and sizes the hospital slots so that in every region and month
//! the slots offered are 90–120 % of the expected demand (see [`supply::band_slots`]). Every
//! doctor is checked to have at least one possible block on their own. The same
//! [`GenerateSpec`] always gives the same bytes, on every platform. `docs/generate.md`
//! documents the assumptions.

mod doctors;
mod geo;
mod network;
mod render;
mod rng;
mod supply;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::io::output::{self, OutputDir};
use crate::model::Month;

pub use supply::band_slots;

/// Fewest doctors per region: below this the expected demand of a region is too thin for
/// whole-number slots to match it within 90–120 % month by month.
pub const MIN_DOCTORS_PER_REGION: u32 = 10;
/// Most doctors the generator makes.
pub const MAX_DOCTORS: u32 = 50_000;
/// Most hospitals the generator makes.
pub const MAX_HOSPITALS: u32 = 1_000;
/// Shortest horizon: a window of up to 36 months (years 2–4 of a position) must fit.
pub const MIN_HORIZON_MONTHS: i32 = 36;
/// Longest horizon.
pub const MAX_HORIZON_MONTHS: i32 = 120;
/// Lower end of the supply band (slots per expected doctor in hospital).
pub const BAND_LOW: f64 = 0.9;
/// Upper end of the supply band.
pub const BAND_HIGH: f64 = 1.2;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateSpec {
    /// ALIS doctors to plan.
    pub doctors: u32,
    /// Hospitals in all (at least one per region).
    pub hospitals: u32,
    /// Health regions, 1–4 (Vest, Midt-Norge, Nord, Sør-Øst, in that order).
    pub regions: u32,
    pub seed: u64,
    /// First month of the planning horizon.
    pub start: Month,
    /// Last month of the planning horizon.
    pub end: Month,
}

/// Why a specification cannot be generated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SpecError(pub String);

impl GenerateSpec {
    /// A specification with the default horizon 2027-01..2030-12.
    pub fn new(doctors: u32, hospitals: u32, regions: u32, seed: u64) -> GenerateSpec {
        GenerateSpec {
            doctors,
            hospitals,
            regions,
            seed,
            start: Month::new(2027, 1).expect("valid month"),
            end: Month::new(2030, 12).expect("valid month"),
        }
    }

    /// Months in the horizon.
    pub fn months(&self) -> usize {
        (self.start.until(self.end) + 1).max(0) as usize
    }

    /// Check the sizes before anything is generated.
    pub fn validate(&self) -> Result<(), SpecError> {
        let err = |m: String| Err(SpecError(m));
        if self.regions == 0 || self.regions as usize > geo::REGIONS.len() {
            return err(format!(
                "--regions {} is not possible: give 1 to {} (Norway's health regions: {})",
                self.regions,
                geo::REGIONS.len(),
                geo::REGIONS.map(|r| r.name).join(", ")
            ));
        }
        if self.doctors > MAX_DOCTORS {
            return err(format!(
                "--doctors {} is too many: give at most {MAX_DOCTORS}",
                self.doctors
            ));
        }
        if self.hospitals == 0 || self.hospitals > MAX_HOSPITALS {
            return err(format!(
                "--hospitals {} is not possible: give 1 to {MAX_HOSPITALS}",
                self.hospitals
            ));
        }
        if self.hospitals < self.regions {
            return err(format!(
                "--hospitals {} is fewer than --regions {}: every region needs at least one hospital",
                self.hospitals, self.regions
            ));
        }
        if self.doctors < MIN_DOCTORS_PER_REGION * self.regions {
            return err(format!(
                "--doctors {} is too few for {} region(s): give at least {} ({MIN_DOCTORS_PER_REGION} per region), or the expected demand of a region is too thin to match with whole slots within 90-120 % every month",
                self.doctors,
                self.regions,
                MIN_DOCTORS_PER_REGION * self.regions
            ));
        }
        let months = self.start.until(self.end) + 1;
        if !(MIN_HORIZON_MONTHS..=MAX_HORIZON_MONTHS).contains(&months) {
            return err(format!(
                "the horizon {}..{} has {months} months: give {MIN_HORIZON_MONTHS} to {MAX_HORIZON_MONTHS} (a doctor's window may be up to 36 months)",
                self.start, self.end
            ));
        }
        Ok(())
    }

    /// The command that regenerates this instance.
    pub fn command(&self) -> String {
        let mut c = format!(
            "alisplan generate --doctors {} --hospitals {} --regions {} --seed {}",
            self.doctors, self.hospitals, self.regions, self.seed
        );
        let default = GenerateSpec::new(0, 0, 0, 0);
        if self.start != default.start || self.end != default.end {
            c.push_str(&format!(" --start {} --end {}", self.start, self.end));
        }
        c
    }
}

/// A generated instance: its files and what is in them.
#[derive(Clone, Debug)]
pub struct GeneratedInstance {
    /// File name → contents, for every file of the instance folder.
    pub files: BTreeMap<String, Vec<u8>>,
    pub summary: GenerateSummary,
}

/// Counts and the demand/supply balance of a generated instance.
#[derive(Clone, Debug)]
pub struct GenerateSummary {
    pub places: usize,
    pub edges: usize,
    pub ferries: usize,
    pub municipalities: usize,
    pub doctors: usize,
    pub hospitals: usize,
    pub departments: usize,
    /// Rows of `capacity.csv`.
    pub overrides: usize,
    /// Hospitals that got no ALIS slot (the region's demand is too small for all of them).
    pub hospitals_without_slots: Vec<String>,
    pub regions: Vec<RegionSummary>,
}

/// One region of a generated instance.
#[derive(Clone, Debug)]
pub struct RegionSummary {
    pub name: String,
    /// Ids of the municipalities in the region.
    pub municipalities: Vec<String>,
    /// Ids of the hospitals in the region.
    pub hospitals: Vec<String>,
    pub doctors: usize,
    /// Expected demand per horizon month: each doctor's calendar months of hospital service
    /// spread evenly over the months of their window that are not on leave.
    pub demand: Vec<f64>,
    /// ALIS slots offered per horizon month.
    pub supply: Vec<u32>,
}

impl RegionSummary {
    /// Lowest and highest supply / demand over the horizon.
    pub fn ratio_range(&self) -> (f64, f64) {
        self.demand
            .iter()
            .zip(&self.supply)
            .map(|(&d, &s)| f64::from(s) / d)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                (lo.min(r), hi.max(r))
            })
    }
}

impl GenerateSummary {
    /// Mean expected demand and mean slots per month, over all regions.
    pub fn mean_demand_supply(&self) -> (f64, f64) {
        let months = self.regions.first().map_or(1, |r| r.demand.len().max(1)) as f64;
        let demand: f64 = self.regions.iter().flat_map(|r| &r.demand).sum();
        let supply: u32 = self.regions.iter().flat_map(|r| &r.supply).sum();
        (demand / months, f64::from(supply) / months)
    }

    /// Lowest and highest supply / demand of any region and month.
    pub fn ratio_range(&self) -> (f64, f64) {
        self.regions
            .iter()
            .map(RegionSummary::ratio_range)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
                (lo.min(a), hi.max(b))
            })
    }
}

impl GeneratedInstance {
    /// Write the instance folder `out` atomically (refusing an existing folder unless
    /// `force`).
    pub fn write(&self, out: &Path, force: bool) -> crate::Result<PathBuf> {
        let dir = OutputDir::create_kind(out, force, None, output::Kind::Instance, "generate")?;
        for (name, bytes) in &self.files {
            dir.write(name, bytes)?;
        }
        dir.commit()
    }
}

// ----- the world being generated -----------------------------------------------------------

/// A point of the network.
#[derive(Clone, Debug)]
struct Place {
    id: String,
    name: String,
    lat: f64,
    lon: f64,
}

/// An undirected road or ferry link.
#[derive(Clone, Debug)]
struct Link {
    a: usize,
    b: usize,
    minutes: u32,
    km: u32,
    ferry: bool,
}

#[derive(Clone, Debug)]
struct Muni {
    id: String,
    name: String,
    place: usize,
    county: &'static str,
    region: usize,
    /// ALIS doctors living there.
    size: u32,
    /// Weight of the anchor town it is (0 for made-up municipalities).
    anchor_weight: f64,
    max_away: u32,
    substitute_cost: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Regional / university hospital with every department.
    University,
    /// Central hospital with the larger departments.
    Central,
    /// Local hospital: medicine and surgery.
    Local,
}

#[derive(Clone, Debug)]
struct Hosp {
    id: String,
    name: String,
    place: usize,
    /// The municipality (town) it lies in.
    town: usize,
    region: usize,
    kind: Kind,
    trust: String,
}

#[derive(Clone, Debug)]
struct Dept {
    hospital: usize,
    specialty: &'static str,
    weight: f64,
    start_months: &'static str,
    /// Default slots (`departments.csv`).
    base: u32,
    /// Slots per horizon month; months that differ from `base` become `capacity.csv` rows.
    cap: Vec<u32>,
    min_fill: u32,
}

/// How a doctor's requirement is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rows {
    /// The scheme default (old: the `*` rows medicine 6 + any 6; new: 6 months any).
    SchemeDefault,
    /// Own row: 6 months any, may be split into 2 blocks of at least 3 months.
    SplitAny,
    /// Own rows: 6 months medicine + 6 months psychiatry (old scheme).
    MedicinePsychiatry,
}

#[derive(Clone, Debug)]
struct Part {
    specialty: Option<&'static str>,
    /// Calendar months at the doctor's fte.
    calendar: usize,
}

#[derive(Clone, Copy, Debug)]
struct LeaveSpan {
    /// Months from the start of the window.
    offset: usize,
    len: usize,
    kind: &'static str,
}

#[derive(Clone, Debug)]
struct Doc {
    id: String,
    name: String,
    muni: usize,
    region: usize,
    old: bool,
    fte: u32,
    rows: Rows,
    parts: Vec<Part>,
    /// Calendar months of hospital service in all.
    need: usize,
    /// Window start (horizon month index) and length.
    start: usize,
    len: usize,
    /// The window's longest leave-free stretch must be at least this long (`need` plus
    /// room for start months).
    run_needed: usize,
    leave: Vec<LeaveSpan>,
    max_commute: u32,
    relocate: bool,
    group_from: Option<usize>,
}

impl Doc {
    /// Add (`sign` = 1) or take away (−1) this doctor's expected demand: the hospital
    /// months spread evenly over the months of the window free of leave.
    fn add_demand(&self, d: &mut [f64], sign: f64) {
        let free = self.len - self.leave_months();
        let share = self.need as f64 / free as f64;
        for m in self.free_months() {
            d[m] += sign * share;
        }
    }

    fn on_leave(&self, m: usize) -> bool {
        self.leave
            .iter()
            .any(|l| m >= self.start + l.offset && m < self.start + l.offset + l.len)
    }

    /// Window months not on leave (horizon indices).
    fn free_months(&self) -> impl Iterator<Item = usize> + '_ {
        (self.start..self.start + self.len).filter(|&m| !self.on_leave(m))
    }

    fn leave_months(&self) -> usize {
        self.leave.iter().map(|l| l.len).sum()
    }
}

#[derive(Clone, Debug)]
struct Pref {
    doctor: usize,
    hospital: usize,
    specialty: Option<&'static str>,
    weight: i32,
}

#[derive(Clone, Debug)]
struct VenueG {
    muni: usize,
    max_groups: u32,
    name: String,
}

#[derive(Clone, Debug)]
struct Sup {
    id: String,
    name: String,
    muni: usize,
    max_groups: u32,
}

/// Everything generated so far.
struct World {
    spec: GenerateSpec,
    months: usize,
    regions: Vec<&'static geo::RegionDef>,
    places: Vec<Place>,
    links: Vec<Link>,
    munis: Vec<Muni>,
    hospitals: Vec<Hosp>,
    /// Departments per region (only those with slots).
    depts: Vec<Vec<Dept>>,
    doctors: Vec<Doc>,
    prefs: Vec<Pref>,
    venues: Vec<VenueG>,
    supervisors: Vec<Sup>,
    /// One-way minutes from every municipality centre (row) to every hospital (column);
    /// `u32::MAX` where there is no route.
    commutes: Vec<Vec<u32>>,
}

impl World {
    /// Expected demand per month of the doctors `docs`: each doctor's calendar months spread
    /// evenly over the months of their window that are not on leave.
    fn demand(&self, docs: &[usize]) -> Vec<f64> {
        let mut d = vec![0.0; self.months];
        for &i in docs {
            self.doctors[i].add_demand(&mut d, 1.0);
        }
        d
    }

    /// Month of the year (1–12) of horizon month `m`.
    fn month_of_year(&self, m: usize) -> u32 {
        self.spec.start.plus(m as i32).month_of_year()
    }

    fn month(&self, m: usize) -> Month {
        self.spec.start.plus(m as i32)
    }

    /// One-way minutes from a municipality centre to a hospital.
    fn commute(&self, muni: usize, hospital: usize) -> u32 {
        self.commutes[muni][hospital]
    }

    /// Every department of every region.
    fn all_depts(&self) -> impl Iterator<Item = &Dept> {
        self.depts.iter().flatten()
    }
}

/// Split `total` into parts proportional to `shares`, each at least `min` (largest
/// remainder method; `total` ≥ `min` × parts).
fn apportion(total: u32, shares: &[f64], min: u32) -> Vec<u32> {
    let n = shares.len() as u32;
    let spare = total - min * n;
    let sum: f64 = shares.iter().sum();
    let exact: Vec<f64> = shares.iter().map(|s| f64::from(spare) * s / sum).collect();
    let mut out: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut left = spare - out.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out.iter().map(|o| o + min).collect()
}

/// Generate the instance described by `spec`.
pub fn generate(spec: &GenerateSpec) -> Result<GeneratedInstance, SpecError> {
    spec.validate()?;
    let regions: Vec<&'static geo::RegionDef> =
        geo::REGIONS.iter().take(spec.regions as usize).collect();
    let doctors_per_region = apportion(
        spec.doctors,
        &regions.iter().map(|r| r.doctor_share).collect::<Vec<_>>(),
        MIN_DOCTORS_PER_REGION,
    );
    let hospitals_per_region = apportion(
        spec.hospitals,
        &regions.iter().map(|r| r.hospital_share).collect::<Vec<_>>(),
        1,
    );
    let mut w = World {
        spec: spec.clone(),
        months: spec.months(),
        regions,
        places: Vec::new(),
        links: Vec::new(),
        munis: Vec::new(),
        hospitals: Vec::new(),
        depts: Vec::new(),
        doctors: Vec::new(),
        prefs: Vec::new(),
        venues: Vec::new(),
        supervisors: Vec::new(),
        commutes: Vec::new(),
    };
    network::build(&mut w, &doctors_per_region, &hospitals_per_region);
    doctors::create(&mut w);
    doctors::spread_windows(&mut w)?;
    supply::build_all(&mut w)?;
    doctors::ensure_placeable(&mut w)?;
    doctors::finish(&mut w);
    supply::venues_and_supervisors(&mut w);
    doctors::preferences(&mut w);
    let summary = render::summary(&w);
    let files = render::files(&w, &summary);
    Ok(GeneratedInstance { files, summary })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_keeps_the_total_and_the_minimum() {
        let a = apportion(100, &[0.21, 0.14, 0.09, 0.56], 10);
        assert_eq!(a.iter().sum::<u32>(), 100);
        assert!(a.iter().all(|&x| x >= 10));
        assert_eq!(apportion(4, &[0.5, 0.3, 0.2, 0.1], 1), vec![1, 1, 1, 1]);
        assert_eq!(apportion(7, &[1.0], 1), vec![7]);
    }

    #[test]
    fn bad_specs_are_refused_with_reasons() {
        let ok = GenerateSpec::new(100, 10, 2, 1);
        assert!(ok.validate().is_ok());
        for (spec, word) in [
            (GenerateSpec::new(0, 10, 1, 1), "--doctors"),
            (GenerateSpec::new(100, 10, 0, 1), "--regions"),
            (GenerateSpec::new(100, 10, 5, 1), "--regions"),
            (GenerateSpec::new(100, 3, 4, 1), "fewer than --regions"),
            (GenerateSpec::new(15, 10, 4, 1), "too few"),
        ] {
            let e = spec.validate().unwrap_err();
            assert!(e.0.contains(word), "{e}");
        }
        let mut short = ok.clone();
        short.end = short.start.plus(11);
        assert!(short.validate().unwrap_err().0.contains("horizon"));
    }
}
