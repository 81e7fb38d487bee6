//! Writing the generated world as the files of an instance folder (docs/data-contract.md).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::io::instance::{
    CAPACITY, DEPARTMENTS, DOCTORS, HOSPITALS, LEAVE, MUNICIPALITIES, NETWORK, PLACES, PREFERENCES,
    REQUIREMENTS, SUPERVISORS, VENUES,
};
use crate::io::schema::Schema;

use super::doctors::{GROUP_MIN_SIZE, GROUP_MONTHS};
use super::{GenerateSummary, RegionSummary, Rows, World};

/// A CSV file being written: the header of its schema and rows, fields quoted where
/// needed.
struct Csv {
    text: String,
    width: usize,
}

impl Csv {
    fn new(schema: &Schema) -> Csv {
        let header = schema.header();
        let mut c = Csv {
            text: String::new(),
            width: header.len(),
        };
        c.row(&header);
        c
    }

    /// One row, its fields in the order of the header.
    fn row<S: AsRef<str>>(&mut self, fields: &[S]) {
        assert_eq!(fields.len(), self.width, "a row has one field per column");
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            let f = f.as_ref();
            if f.contains([',', '"', '\n', '\r']) || f.starts_with('#') {
                self.text.push('"');
                self.text.push_str(&f.replace('"', "\"\""));
                self.text.push('"');
            } else {
                self.text.push_str(f);
            }
        }
        self.text.push('\n');
    }

    fn bytes(self) -> Vec<u8> {
        self.text.into_bytes()
    }
}

pub(super) fn summary(w: &World) -> GenerateSummary {
    let regions = (0..w.regions.len())
        .map(|r| {
            let docs: Vec<usize> = (0..w.doctors.len())
                .filter(|&d| w.doctors[d].region == r)
                .collect();
            RegionSummary {
                name: w.regions[r].name.to_string(),
                municipalities: w
                    .munis
                    .iter()
                    .filter(|m| m.region == r)
                    .map(|m| m.id.clone())
                    .collect(),
                hospitals: w
                    .hospitals
                    .iter()
                    .filter(|h| h.region == r)
                    .map(|h| h.id.clone())
                    .collect(),
                doctors: docs.len(),
                demand: w.demand(&docs),
                supply: (0..w.months)
                    .map(|m| w.depts[r].iter().map(|d| d.cap[m]).sum())
                    .collect(),
            }
        })
        .collect();
    GenerateSummary {
        places: w.places.len(),
        edges: w.links.len(),
        ferries: w.links.iter().filter(|l| l.ferry).count(),
        municipalities: w.munis.len(),
        doctors: w.doctors.len(),
        hospitals: w.hospitals.len(),
        departments: w.all_depts().count(),
        overrides: overrides(w).len(),
        hospitals_without_slots: (0..w.hospitals.len())
            .filter(|&h| !w.all_depts().any(|d| d.hospital == h))
            .map(|h| w.hospitals[h].id.clone())
            .collect(),
        regions,
    }
}

/// Rows of `capacity.csv`: every run of months in which a department's slots differ from
/// its default.
fn overrides(w: &World) -> Vec<[String; 5]> {
    let mut out = Vec::new();
    for d in w.all_depts() {
        let mut m = 0;
        while m < w.months {
            let c = d.cap[m];
            let mut end = m + 1;
            while end < w.months && d.cap[end] == c {
                end += 1;
            }
            if c != d.base {
                out.push([
                    w.hospitals[d.hospital].id.clone(),
                    d.specialty.to_string(),
                    w.month(m).to_string(),
                    w.month(end - 1).to_string(),
                    c.to_string(),
                ]);
            }
            m = end;
        }
    }
    out
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

pub(super) fn files(w: &World, summary: &GenerateSummary) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut put = |name: &str, bytes: Vec<u8>| {
        files.insert(name.to_string(), bytes);
    };
    put("settings.toml", settings(w).into_bytes());

    let mut c = Csv::new(&PLACES);
    for p in &w.places {
        c.row(&[
            p.id.clone(),
            p.name.clone(),
            format!("{:.4}", p.lat),
            format!("{:.4}", p.lon),
        ]);
    }
    put(PLACES.file, c.bytes());

    let mut c = Csv::new(&NETWORK);
    for l in &w.links {
        c.row(&[
            w.places[l.a].id.as_str(),
            &w.places[l.b].id,
            &l.minutes.to_string(),
            &l.km.to_string(),
            if l.ferry { "ferry" } else { "road" },
        ]);
    }
    put(NETWORK.file, c.bytes());

    let mut c = Csv::new(&MUNICIPALITIES);
    for m in &w.munis {
        c.row(&[
            m.id.as_str(),
            &m.name,
            &w.places[m.place].id,
            m.county,
            &m.max_away.to_string(),
            &m.substitute_cost.to_string(),
        ]);
    }
    put(MUNICIPALITIES.file, c.bytes());

    let mut c = Csv::new(&HOSPITALS);
    for h in &w.hospitals {
        c.row(&[h.id.as_str(), &h.name, &w.places[h.place].id, &h.trust]);
    }
    put(HOSPITALS.file, c.bytes());

    let mut c = Csv::new(&DEPARTMENTS);
    for d in w.all_depts() {
        c.row(&[
            w.hospitals[d.hospital].id.as_str(),
            d.specialty,
            &d.base.to_string(),
            d.start_months,
            &if d.min_fill > 0 {
                d.min_fill.to_string()
            } else {
                String::new()
            },
        ]);
    }
    put(DEPARTMENTS.file, c.bytes());

    let mut c = Csv::new(&CAPACITY);
    for row in overrides(w) {
        c.row(&row);
    }
    put(CAPACITY.file, c.bytes());

    let mut c = Csv::new(&DOCTORS);
    for d in &w.doctors {
        c.row(&[
            d.id.as_str(),
            &d.name,
            &w.munis[d.muni].id,
            if d.old { "old" } else { "new" },
            &d.fte.to_string(),
            &w.month(d.start).to_string(),
            &w.month(d.start + d.len - 1).to_string(),
            "",
            &if d.max_commute == 90 {
                String::new()
            } else {
                d.max_commute.to_string()
            },
            yes_no(d.relocate),
            &d.group_from
                .map_or(String::new(), |g| w.month(g).to_string()),
        ]);
    }
    put(DOCTORS.file, c.bytes());

    let mut c = Csv::new(&REQUIREMENTS);
    c.row(&["*", "medicine", "6", "", "1", "old"]);
    c.row(&["*", "any", "6", "", "1", "old"]);
    for d in &w.doctors {
        match d.rows {
            Rows::SchemeDefault => {}
            Rows::SplitAny => c.row(&[d.id.as_str(), "any", "6", "3", "2", ""]),
            Rows::MedicinePsychiatry => {
                c.row(&[d.id.as_str(), "medicine", "6", "", "1", ""]);
                c.row(&[d.id.as_str(), "psychiatry", "6", "", "1", ""]);
            }
        }
    }
    put(REQUIREMENTS.file, c.bytes());

    let mut c = Csv::new(&PREFERENCES);
    for p in &w.prefs {
        c.row(&[
            w.doctors[p.doctor].id.as_str(),
            &w.hospitals[p.hospital].id,
            &p.weight.to_string(),
            p.specialty.unwrap_or(""),
        ]);
    }
    put(PREFERENCES.file, c.bytes());

    let mut c = Csv::new(&LEAVE);
    for d in &w.doctors {
        let mut leave = d.leave.clone();
        leave.sort_by_key(|l| l.offset);
        for l in leave {
            let from = d.start + l.offset;
            c.row(&[
                d.id.as_str(),
                &w.month(from).to_string(),
                &w.month(from + l.len - 1).to_string(),
                l.kind,
            ]);
        }
    }
    put(LEAVE.file, c.bytes());

    let mut c = Csv::new(&SUPERVISORS);
    for s in &w.supervisors {
        c.row(&[
            s.id.as_str(),
            &s.name,
            &w.places[w.munis[s.muni].place].id,
            &s.max_groups.to_string(),
        ]);
    }
    put(SUPERVISORS.file, c.bytes());

    let mut c = Csv::new(&VENUES);
    for v in &w.venues {
        c.row(&[
            w.places[w.munis[v.muni].place].id.as_str(),
            &v.max_groups.to_string(),
            &v.name,
        ]);
    }
    put(VENUES.file, c.bytes());

    put("README.md", readme(w, summary).into_bytes());
    files
}

fn settings(w: &World) -> String {
    let s = &w.spec;
    format!(
        r#"# Generated by: {command}
name = "Generated: {doctors} ALIS, {hospitals} hospitals, {regions} region(s), seed {seed}"

[horizon]
start = "{start}"                  # first month that may be planned
end = "{end}"                    # last month that may be planned

[scheme]
new_months = 6                     # hospital months, new scheme (2019)
old_months = 12                    # hospital months, old scheme (sykehusår)
fte_floor = 50                     # % below which part-time service does not count
min_block = 3                      # default shortest block when a part may be split
max_blocks = 1                     # default number of blocks a part may be split into
max_commute = 90                   # default longest daily one-way commute (minutes)
max_relocation_minutes = {relocation}       # a relocating doctor is sent at most this far: every hospital of the generated network
old_scheme_last_month = "2026-12"  # old-scheme service counts only until here (transition rule)

[municipalities]
max_away = 1                       # default ALIS of one municipality in hospital at once
substitute_cost = 90000            # default NOK per doctor-month away

[weights]                          # placement objective, every term in NOK (see README.md)
nok_per_hour = 200.0               # NOK per hour a doctor travels to or from hospital service (est.)
workdays_per_month = 21.0          # daily commuters make this many round trips a month
home_trips_per_month = 4.3         # a relocated doctor goes home once a week
relocation = 20000.0               # NOK per month living away: housing and living apart (est.)
substitute = 1.0                   # share of the municipality's substitute_cost counted
stagger = 10000.0                  # NOK per extra doctor of a municipality away in one month (est.)
preference = 2000.0                # NOK per unit of preference weight per month
min_fill = 2000.0                  # NOK per empty min_fill slot-month (a hospital's wish; est.)
worst_commute = 100.0              # NOK per minute of the worst daily commute (fairness)
unplaced = 100000000.0             # NOK-equivalent per part left unplaced (weighted solve only)
block = 10.0                       # tie-break: NOK per block (a handover)
lateness = 0.5                     # tie-break: NOK per month a block starts late

[groups]
min_size = {group_min}
max_size = 12
max_per_municipality = 3           # members of one municipality in a group
max_start_spread = 12              # months between the earliest and latest group_from
months = {group_months}                        # length of the guidance-group period
                                   # one of its two group years ({group_year} months each) has no hospital month
group_cost = 90000.0               # NOK per group per year: the supervisor's fee and time (est.)
balance = 1000.0                   # NOK per member of difference largest - smallest group
travel = 600.0                     # NOK per hour of a member's travel to meetings (est.)
supervisor_travel = 900.0          # NOK per hour of a supervisor's travel to meetings (est.)
long_travel_minutes = 90           # beyond this a group meets 6 h every 4th week
meetings_short = 20                # meetings a year, 3 h every other week
meetings_long = 10                 # meetings a year, 6 h every fourth week

[replan]
shift = 100.0                      # per block moved in time at the same department
change_hospital = 1000.0           # per block moved to another hospital/department
accepted = 10000.0                 # extra, if the moved block had been accepted

[solver]
time_limit = 60                    # seconds
gap = 0.0                          # relative gap at which to stop (0 = prove optimal)
threads = 1
"#,
        command = s.command(),
        doctors = s.doctors,
        hospitals = s.hospitals,
        regions = s.regions,
        seed = s.seed,
        start = s.start,
        end = s.end,
        group_months = GROUP_MONTHS,
        group_min = GROUP_MIN_SIZE,
        group_year = GROUP_MONTHS / 2,
        relocation = super::doctors::relocation_limit(w),
    )
}

fn readme(w: &World, s: &GenerateSummary) -> String {
    let mut t = String::new();
    let spec = &w.spec;
    let _ = writeln!(t, "# Generated instance\n");
    let _ = writeln!(
        t,
        "Synthetic ALIS instance made by `{} OUT` (same command, same files).",
        spec.command()
    );
    let _ = writeln!(
        t,
        "Horizon {}..{}. Everything is made up around real Norwegian towns; see `docs/generate.md` for the assumptions.\n",
        spec.start, spec.end
    );
    let _ = writeln!(
        t,
        "{} places, {} road/ferry links ({} ferries), {} municipalities, {} doctors, {} hospitals with {} departments, {} dated capacity overrides, {} supervisors, {} venues.\n",
        s.places,
        s.edges,
        s.ferries,
        s.municipalities,
        s.doctors,
        s.hospitals,
        s.departments,
        s.overrides,
        w.supervisors.len(),
        w.venues.len()
    );
    let _ = writeln!(
        t,
        "| region | municipalities | doctors | hospitals | mean expected demand | mean slots | slots / demand (min–max per month) |"
    );
    let _ = writeln!(t, "|---|---|---|---|---|---|---|");
    for r in &s.regions {
        let months = r.demand.len().max(1) as f64;
        let (lo, hi) = r.ratio_range();
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {:.1} | {:.1} | {:.0}–{:.0} % |",
            r.name,
            r.municipalities.len(),
            r.doctors,
            r.hospitals.len(),
            r.demand.iter().sum::<f64>() / months,
            f64::from(r.supply.iter().sum::<u32>()) / months,
            100.0 * lo,
            100.0 * hi
        );
    }
    if !s.hospitals_without_slots.is_empty() {
        let _ = writeln!(
            t,
            "\nHospitals without ALIS slots (the demand of their region is too small to give every hospital one): {}.",
            s.hospitals_without_slots.join(", ")
        );
    }
    let _ = writeln!(
        t,
        "\nExpected demand: each doctor's calendar months of hospital service spread evenly over the months of their window that are not on leave, summed per region and month."
    );
    t
}
