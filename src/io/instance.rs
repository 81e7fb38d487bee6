//! Loading an instance folder into a validated [`Instance`].
//!
//! Every problem is collected (not just the first), each naming the file, line and column
//! and the rule broken. Loading fails if there is any error; warnings are kept on the
//! instance.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::io::locks::{LOCK_COLUMNS, LOCKS, read_locks};
use crate::io::settings::read_settings;
use crate::io::table::{Columns, Row, Table};
use crate::model::*;

/// Read and validate the instance in folder `dir`.
pub fn load_instance(dir: &Path) -> Result<Instance> {
    if !dir.is_dir() {
        return Err(Error::input(
            format!("instance {}", dir.display()),
            vec![Diagnostic::file(
                &dir.display().to_string(),
                "missing-folder",
                "not a folder; give the folder that holds the instance's CSV files",
            )],
        ));
    }
    let mut diags = Diagnostics::default();
    let settings = read_settings(dir, &mut diags);
    let settings_ok = !diags.has_errors();
    let mut b = Builder {
        dir,
        diags: &mut diags,
        names: InstanceNames::default(),
        settings: &settings,
        explicit_months: Vec::new(),
        window_cells: HashMap::new(),
        unloaded: HashSet::new(),
        faulty: HashSet::new(),
    };
    let places = b.places();
    let before_network = b.diags.errors.len();
    let edges = b.network(&places);
    let network_ok = b.diags.errors.len() == before_network && b.loaded("places.csv");
    let municipalities = b.municipalities();
    let hospitals = b.hospitals();
    let (specialties, mut departments) = b.departments(&hospitals);
    b.capacity_overrides(&mut departments);
    if settings_ok {
        b.warn_closed_departments(&departments);
    }
    let mut doctors = b.doctors(&municipalities);
    b.leave(&mut doctors);
    b.requirements(&mut doctors, &specialties);
    // A broken horizon, or leave and requirements that could not be read, would make every
    // window look wrong: report those first.
    if settings_ok && b.loaded("leave.csv") && b.loaded("requirements.csv") {
        b.check_windows(&doctors);
    }
    let preferences = b.preferences(&departments);
    let supervisors = b.supervisors();
    let venues = b.venues(&places);
    let locks_readable = ["doctors.csv", "hospitals.csv", "departments.csv"]
        .iter()
        .all(|f| b.loaded(f));
    let names = b.names;
    if network_ok {
        check_connected(&places, &edges, dir, &mut diags);
    }
    let mut inst = Instance {
        dir: dir.to_path_buf(),
        settings,
        places,
        edges,
        municipalities,
        hospitals,
        specialties,
        departments,
        doctors,
        preferences,
        supervisors,
        venues,
        locks: Vec::new(),
        warnings: Vec::new(),
        names,
    };
    if locks_readable && let Some(t) = Table::read(dir, LOCKS, LOCK_COLUMNS, false, &mut diags) {
        inst.locks = read_locks(&inst, &t, None, &mut diags);
    }
    if diags.has_errors() {
        return Err(Error::input(
            format!("instance {}", dir.display()),
            diags.errors,
        ));
    }
    inst.warnings = diags.warnings;
    Ok(inst)
}

/// One row of `requirements.csv`, before it is given to doctors.
#[derive(Clone, Copy)]
struct PartRow {
    specialty: Option<SpecialtyId>,
    months: u32,
    min_block: u32,
    max_blocks: u32,
}

struct Builder<'a> {
    dir: &'a Path,
    diags: &'a mut Diagnostics,
    names: InstanceNames,
    settings: &'a Settings,
    /// Doctors whose `hospital_months` was given (it outranks `*` requirement rows).
    explicit_months: Vec<usize>,
    /// The cell of `doctors.csv` that bounds each doctor's window (`latest_end`, else
    /// `earliest`), where one was written, for locating window errors.
    window_cells: HashMap<usize, (usize, String)>,
    /// Files that exist (or must) but could not be read: references into them are not
    /// reported again, one by one.
    unloaded: HashSet<String>,
    /// Ids (with their file) of rows that were rejected for another fault: references to
    /// them are not reported as unknown too.
    faulty: HashSet<(&'static str, String)>,
}

/// A "did you mean" hint for an unknown id.
fn hint(unknown: &str, known: impl Iterator<Item = String>) -> String {
    let best = known
        .map(|k| (strsim(unknown, &k), k))
        .filter(|(d, _)| *d <= 2)
        .min();
    best.map_or(String::new(), |(_, k)| format!(" (did you mean '{k}'?)"))
}

/// Edit distance between two short ids (case-insensitive).
fn strsim(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Builder<'_> {
    fn table(
        &mut self,
        name: &str,
        required: &[&str],
        optional: &[&str],
        must: bool,
    ) -> Option<Table> {
        let t = Table::read(
            self.dir,
            name,
            Columns { required, optional },
            must,
            self.diags,
        );
        if t.is_none() && (must || self.dir.join(name).exists()) {
            self.unloaded.insert(name.to_string());
        }
        t
    }

    /// Remember that the row defining `id` in `file` was rejected for another fault.
    fn reject_row(&mut self, file: &'static str, id: Option<&str>) {
        if let Some(id) = id {
            self.faulty.insert((file, id.to_string()));
        }
    }

    /// Whether `file` was read (or is an optional file that is absent).
    fn loaded(&self, file: &str) -> bool {
        !self.unloaded.contains(file)
    }

    /// Record `id` as the `index`-th entry of a table, or report a duplicate.
    fn unique(
        names: &mut Names,
        diags: &mut Diagnostics,
        row: &Row,
        col: &str,
        id: &str,
        index: usize,
        first_lines: &mut HashMap<String, u64>,
    ) -> bool {
        if names.get(id).is_some() {
            let first = first_lines.get(id).copied().unwrap_or(0);
            diags.error(row.error(
                col,
                "duplicate-id",
                format!("'{id}' is already defined on line {first}"),
            ));
            false
        } else {
            names.insert(id, index);
            first_lines.insert(id.to_string(), row.line);
            true
        }
    }

    /// Look up a reference in `names`, reporting an unknown one.
    fn resolve(
        &mut self,
        which: fn(&InstanceNames) -> &Names,
        what: &str,
        file_of: &str,
        row: &Row,
        col: &str,
    ) -> Option<usize> {
        let id = self.diags.take(row.id(col))?;
        let names = which(&self.names);
        match names.get(id) {
            Some(i) => Some(i),
            // The file could not be read, or the row defining the id was rejected; that
            // error has been reported.
            None if self.unloaded.contains(file_of)
                || self.faulty.iter().any(|(f, i)| *f == file_of && i == id) =>
            {
                None
            }
            None => {
                let h = hint(id, names.ids());
                self.diags.error(row.error(
                    col,
                    "unknown-reference",
                    format!("unknown {what} '{id}': it is not in {file_of}{h}"),
                ));
                None
            }
        }
    }

    fn places(&mut self) -> Vec<Place> {
        let mut out = Vec::new();
        let Some(t) = self.table("places.csv", &["id", "name", "lat", "lon"], &[], true) else {
            return out;
        };
        let mut lines = HashMap::new();
        for row in t.rows() {
            let id = self.diags.take(row.id("id"));
            let name = self.diags.take(row.text("name"));
            let lat = self.diags.take(row.req::<f64>("lat"));
            let lon = self.diags.take(row.req::<f64>("lon"));
            if let Some(lat) = lat.filter(|v| !(-90.0..=90.0).contains(v)) {
                self.diags.error(row.error(
                    "lat",
                    "coordinate",
                    format!("latitude {lat} is outside -90..90"),
                ));
            }
            if let Some(lon) = lon.filter(|v| !(-180.0..=180.0).contains(v)) {
                self.diags.error(row.error(
                    "lon",
                    "coordinate",
                    format!("longitude {lon} is outside -180..180"),
                ));
            }
            let (Some(id), Some(name), Some(lat), Some(lon)) = (id, name, lat, lon) else {
                self.reject_row("places.csv", id);
                continue;
            };
            if Self::unique(
                &mut self.names.places,
                self.diags,
                &row,
                "id",
                id,
                out.len(),
                &mut lines,
            ) {
                out.push(Place {
                    id: id.into(),
                    name: name.into(),
                    lat,
                    lon,
                });
            }
        }
        out
    }

    fn network(&mut self, places: &[Place]) -> Vec<Edge> {
        let mut out = Vec::new();
        let Some(t) = self.table(
            "network.csv",
            &["from", "to", "minutes"],
            &["km", "mode"],
            true,
        ) else {
            return out;
        };
        let _ = places;
        for row in t.rows() {
            let a = self.resolve(|n| &n.places, "place", "places.csv", &row, "from");
            let b = self.resolve(|n| &n.places, "place", "places.csv", &row, "to");
            let minutes = self.diags.take(row.req::<u32>("minutes"));
            let km = self.diags.take(row.opt::<f64>("km")).flatten();
            if km.is_some_and(|k| k < 0.0) {
                self.diags
                    .error(row.error("km", "negative", "km must be ≥ 0"));
            }
            let mode = match row.cell("mode").map(str::to_ascii_lowercase).as_deref() {
                None | Some("road") => Some(Mode::Road),
                Some("ferry") => Some(Mode::Ferry),
                Some(other) => {
                    self.diags.error(row.error(
                        "mode",
                        "edge-mode",
                        format!("'{other}' is not a mode: write road or ferry"),
                    ));
                    None
                }
            };
            let (Some(a), Some(b), Some(minutes), Some(mode)) = (a, b, minutes, mode) else {
                continue;
            };
            if a == b {
                self.diags
                    .error(row.row_error("self-loop", "an edge must join two different places"));
                continue;
            }
            out.push(Edge {
                a: PlaceId::at(a),
                b: PlaceId::at(b),
                minutes,
                km,
                mode,
            });
        }
        out
    }

    fn municipalities(&mut self) -> Vec<Municipality> {
        let mut out = Vec::new();
        let Some(t) = self.table(
            "municipalities.csv",
            &["id", "name", "place"],
            &["county", "max_away", "substitute_cost"],
            true,
        ) else {
            return out;
        };
        let mut lines = HashMap::new();
        let defaults = self.settings.municipalities.clone();
        for row in t.rows() {
            let id = self.diags.take(row.id("id"));
            let name = self.diags.take(row.text("name"));
            let place = self.resolve(|n| &n.places, "place", "places.csv", &row, "place");
            let max_away = self.diags.take(row.opt::<u32>("max_away")).flatten();
            if max_away == Some(0) {
                self.diags.error(row.error(
                    "max_away",
                    "max-away",
                    "max_away must be at least 1, or its ALIS can never serve in hospital",
                ));
            }
            let cost = self.diags.take(row.opt::<f64>("substitute_cost")).flatten();
            if cost.is_some_and(|c| c < 0.0) {
                self.diags.error(row.error(
                    "substitute_cost",
                    "negative",
                    "substitute_cost must be ≥ 0",
                ));
            }
            let (Some(id), Some(name), Some(place)) = (id, name, place) else {
                self.reject_row("municipalities.csv", id);
                continue;
            };
            if Self::unique(
                &mut self.names.municipalities,
                self.diags,
                &row,
                "id",
                id,
                out.len(),
                &mut lines,
            ) {
                out.push(Municipality {
                    id: id.into(),
                    name: name.into(),
                    place: PlaceId::at(place),
                    county: row.cell("county").map(String::from),
                    max_away: max_away.unwrap_or(defaults.max_away).max(1),
                    substitute_cost: cost.unwrap_or(defaults.substitute_cost),
                });
            }
        }
        out
    }

    fn hospitals(&mut self) -> Vec<Hospital> {
        let mut out = Vec::new();
        let Some(t) = self.table("hospitals.csv", &["id", "name", "place"], &["trust"], true)
        else {
            return out;
        };
        let mut lines = HashMap::new();
        for row in t.rows() {
            let id = self.diags.take(row.id("id"));
            let name = self.diags.take(row.text("name"));
            let place = self.resolve(|n| &n.places, "place", "places.csv", &row, "place");
            let (Some(id), Some(name), Some(place)) = (id, name, place) else {
                self.reject_row("hospitals.csv", id);
                continue;
            };
            if Self::unique(
                &mut self.names.hospitals,
                self.diags,
                &row,
                "id",
                id,
                out.len(),
                &mut lines,
            ) {
                out.push(Hospital {
                    id: id.into(),
                    name: name.into(),
                    place: PlaceId::at(place),
                    trust: row.cell("trust").map(String::from),
                });
            }
        }
        out
    }

    fn departments(&mut self, hospitals: &[Hospital]) -> (Vec<String>, Vec<Department>) {
        let mut specialties: Vec<String> = Vec::new();
        let mut out: Vec<Department> = Vec::new();
        let Some(t) = self.table(
            "departments.csv",
            &["hospital", "specialty", "capacity"],
            &["start_months", "min_fill"],
            true,
        ) else {
            return (specialties, out);
        };
        let mut seen: HashMap<(usize, String), u64> = HashMap::new();
        for row in t.rows() {
            let hospital = self.resolve(
                |n| &n.hospitals,
                "hospital",
                "hospitals.csv",
                &row,
                "hospital",
            );
            let specialty = self.diags.take(row.id("specialty"));
            if specialty == Some("any") {
                self.diags.error(row.error(
                    "specialty",
                    "reserved-id",
                    "'any' is reserved for requirements that accept any department",
                ));
                continue;
            }
            let capacity = self.diags.take(row.req::<u32>("capacity"));
            let min_fill = self
                .diags
                .take(row.opt::<u32>("min_fill"))
                .flatten()
                .unwrap_or(0);
            let start_months = match row.cell("start_months") {
                None => Some(Vec::new()),
                Some(s) => self.diags.take(
                    parse_start_months(s).map_err(|m| row.error("start_months", "start-month", m)),
                ),
            };
            if let Some(c) = capacity.filter(|&c| min_fill > c) {
                self.diags.error(row.error(
                    "min_fill",
                    "min-fill-above-capacity",
                    format!("min_fill {min_fill} is above the capacity {c}"),
                ));
            }
            // The specialty is known from here on even if the rest of the row is faulty, so
            // that rows naming it elsewhere are not reported as unknown references too.
            let sid = specialty.map(|s| match self.names.specialties.get(s) {
                Some(i) => i,
                None => {
                    self.names.specialties.insert(s, specialties.len());
                    specialties.push(s.to_string());
                    specialties.len() - 1
                }
            });
            let (Some(h), Some(s), Some(sid), Some(capacity), Some(start_months)) =
                (hospital, specialty, sid, capacity, start_months)
            else {
                continue;
            };
            if let Some(first) = seen.insert((h, s.to_string()), row.line) {
                self.diags.error(row.row_error(
                    "duplicate-id",
                    format!(
                        "department {}/{s} is already defined on line {first}",
                        hospitals[h].id
                    ),
                ));
                continue;
            }
            out.push(Department {
                hospital: HospitalId::at(h),
                specialty: SpecialtyId::at(sid),
                capacity,
                start_months,
                min_fill,
                overrides: Vec::new(),
                source: Source {
                    file: t.file.clone(),
                    line: row.line,
                },
            });
        }
        (specialties, out)
    }

    /// The department named by a row's `hospital` and `specialty` cells.
    fn department_of(&mut self, row: &Row, departments: &[Department]) -> Option<usize> {
        let h = self.resolve(
            |n| &n.hospitals,
            "hospital",
            "hospitals.csv",
            row,
            "hospital",
        )?;
        let s = self.resolve(
            |n| &n.specialties,
            "specialty",
            "departments.csv",
            row,
            "specialty",
        )?;
        let found = departments
            .iter()
            .position(|d| d.hospital.index() == h && d.specialty.index() == s);
        if found.is_none() {
            self.diags.error(row.error(
                "specialty",
                "unknown-reference",
                "this hospital has no such department in departments.csv",
            ));
        }
        found
    }

    fn capacity_overrides(&mut self, departments: &mut [Department]) {
        let Some(t) = self.table(
            "capacity.csv",
            &["hospital", "specialty", "from", "to", "capacity"],
            &[],
            false,
        ) else {
            return;
        };
        let mut lines: HashMap<usize, Vec<(MonthRange, u64)>> = HashMap::new();
        for row in t.rows() {
            let dept = self.department_of(&row, departments);
            let range = self.range(&row, "from", "to");
            let capacity = self.diags.take(row.req::<u32>("capacity"));
            let (Some(dept), Some(range), Some(capacity)) = (dept, range, capacity) else {
                continue;
            };
            let earlier = lines.entry(dept).or_default();
            if let Some((_, line)) = earlier.iter().find(|(r, _)| r.overlap(&range) > 0) {
                self.diags.error(row.error(
                    "from",
                    "overlapping-override",
                    format!("{range} overlaps the override on line {line} for the same department"),
                ));
                continue;
            }
            earlier.push((range, row.line));
            departments[dept].overrides.push((range, capacity));
        }
    }

    /// A `from`..`to` pair of month cells, `from` not after `to`.
    fn range(&mut self, row: &Row, from: &str, to: &str) -> Option<MonthRange> {
        let a = self.diags.take(row.req::<Month>(from));
        let b = self.diags.take(row.req::<Month>(to));
        let (a, b) = (a?, b?);
        if a > b {
            self.diags.error(row.error(
                to,
                "range-order",
                format!("{to} {b} is before {from} {a}"),
            ));
            return None;
        }
        Some(MonthRange::new(a, b))
    }

    fn doctors(&mut self, municipalities: &[Municipality]) -> Vec<Doctor> {
        let mut out = Vec::new();
        let Some(t) = self.table(
            "doctors.csv",
            &["id", "name", "municipality", "scheme"],
            &[
                "fte",
                "earliest",
                "latest_end",
                "hospital_months",
                "max_commute",
                "relocate",
                "group_from",
            ],
            true,
        ) else {
            return out;
        };
        let _ = municipalities;
        let has_group_column = t.has_column("group_from");
        let sc = self.settings.scheme.clone();
        let horizon = MonthRange::new(self.settings.horizon.start, self.settings.horizon.end);
        let mut lines = HashMap::new();
        for row in t.rows() {
            let id = self.diags.take(row.id("id"));
            let name = self.diags.take(row.text("name"));
            let muni = self.resolve(
                |n| &n.municipalities,
                "municipality",
                "municipalities.csv",
                &row,
                "municipality",
            );
            let scheme = match self
                .diags
                .take(row.text("scheme"))
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("new") | Some("2019") => Some(Scheme::New),
                Some("old") => Some(Scheme::Old),
                Some(other) => {
                    self.diags.error(row.error("scheme", "scheme", format!("'{other}' is not a scheme: write new (2019 rules, 6 months) or old (12 months)")));
                    None
                }
                None => None,
            };
            let fte = self
                .diags
                .take(row.opt::<u32>("fte"))
                .flatten()
                .unwrap_or(100);
            if fte > 100 {
                self.diags.error(row.error(
                    "fte",
                    "fte-range",
                    format!("fte {fte} % is above 100 %"),
                ));
            } else if fte < sc.fte_floor {
                self.diags.error(row.error("fte", "fte-floor", format!("fte {fte} % is below the floor of {} %: part-time service below it does not count toward the specialty", sc.fte_floor)));
            }
            let earliest = self.diags.take(row.opt::<Month>("earliest")).flatten();
            let latest_end = self.diags.take(row.opt::<Month>("latest_end")).flatten();
            if let (Some(a), Some(b)) = (earliest, latest_end)
                && a > b
            {
                self.diags.error(row.error(
                    "latest_end",
                    "range-order",
                    format!("latest_end {b} is before earliest {a}"),
                ));
            }
            let hospital_months = self.diags.take(row.opt::<u32>("hospital_months")).flatten();
            if hospital_months == Some(0) {
                self.diags.error(row.error(
                    "hospital_months",
                    "requirement",
                    "hospital_months must be at least 1",
                ));
            }
            let max_commute = self
                .diags
                .take(row.opt::<u32>("max_commute"))
                .flatten()
                .unwrap_or(sc.max_commute);
            let relocate = self
                .diags
                .take(row.opt::<bool>("relocate"))
                .flatten()
                .unwrap_or(false);
            let group_from = self.diags.take(row.opt::<Month>("group_from")).flatten();
            let window_cell = [("latest_end", latest_end), ("earliest", earliest)]
                .into_iter()
                .find(|(_, given)| given.is_some())
                .and_then(|(col, _)| row.column(col));
            let (Some(id), Some(name), Some(muni), Some(scheme)) = (id, name, muni, scheme) else {
                self.reject_row("doctors.csv", id);
                continue;
            };
            let wanted = MonthRange::new(
                earliest.unwrap_or(horizon.first),
                latest_end.unwrap_or(horizon.last),
            );
            let window = MonthRange::new(
                wanted.first.max(horizon.first),
                wanted.last.min(horizon.last),
            );
            if wanted.first <= wanted.last && window != wanted {
                self.diags.warn(row.error(
                    if wanted.first < horizon.first { "earliest" } else { "latest_end" },
                    "window-outside-horizon",
                    format!("the window {wanted} reaches outside the horizon {horizon}; only {window} is planned"),
                ));
            }
            let months = hospital_months.unwrap_or(match scheme {
                Scheme::New => sc.new_months,
                Scheme::Old => sc.old_months,
            });
            let fte = fte.clamp(1, 100);
            if Self::unique(
                &mut self.names.doctors,
                self.diags,
                &row,
                "id",
                id,
                out.len(),
                &mut lines,
            ) {
                out.push(Doctor {
                    id: id.into(),
                    name: name.into(),
                    municipality: MunicipalityId::at(muni),
                    scheme,
                    fte,
                    window,
                    max_commute,
                    relocate,
                    group_from,
                    needs_group: !has_group_column || group_from.is_some(),
                    requirement: vec![RequirementPart {
                        specialty: None,
                        months,
                        calendar_months: calendar_months(months, fte),
                        min_block: sc.min_block,
                        max_blocks: sc.max_blocks,
                    }],
                    leave: Vec::new(),
                    source: Source {
                        file: t.file.clone(),
                        line: row.line,
                    },
                });
                // Remember whether hospital_months was given: it outranks `*` rows.
                if hospital_months.is_some() {
                    self.explicit_months.push(out.len() - 1);
                }
                if let Some(cell) = window_cell {
                    self.window_cells.insert(out.len() - 1, cell);
                }
            }
        }
        out
    }
}

impl Builder<'_> {
    fn leave(&mut self, doctors: &mut [Doctor]) {
        let Some(t) = self.table("leave.csv", &["doctor", "from", "to"], &["kind"], false) else {
            return;
        };
        for row in t.rows() {
            let d = self.resolve(|n| &n.doctors, "doctor", "doctors.csv", &row, "doctor");
            let range = self.range(&row, "from", "to");
            let kind = match row.cell("kind").map(str::to_ascii_lowercase).as_deref() {
                None | Some("other") => Some(LeaveKind::Other),
                Some("parental") => Some(LeaveKind::Parental),
                Some("sick") => Some(LeaveKind::Sick),
                Some(other) => {
                    self.diags.error(row.error(
                        "kind",
                        "leave-kind",
                        format!("'{other}' is not a kind of leave: write parental, sick or other"),
                    ));
                    None
                }
            };
            let (Some(d), Some(range), Some(kind)) = (d, range, kind) else {
                continue;
            };
            doctors[d].leave.push(Leave {
                range,
                kind,
                source: Source {
                    file: t.file.clone(),
                    line: row.line,
                },
            });
        }
    }

    /// Resolve each doctor's requirement parts (see the data contract for the precedence).
    fn requirements(&mut self, doctors: &mut [Doctor], specialties: &[String]) {
        let Some(t) = self.table(
            "requirements.csv",
            &["doctor", "specialty", "months"],
            &["min_block", "max_blocks", "scheme"],
            false,
        ) else {
            return;
        };
        let _ = specialties;
        let sc = self.settings.scheme.clone();
        let mut own: HashMap<usize, Vec<PartRow>> = HashMap::new();
        let mut general: Vec<(Option<Scheme>, PartRow)> = Vec::new();
        for row in t.rows() {
            let who = match self.diags.take(row.text("doctor")) {
                Some("*") => Some(None),
                Some(_) => self
                    .resolve(|n| &n.doctors, "doctor", "doctors.csv", &row, "doctor")
                    .map(Some),
                None => None,
            };
            let specialty = match self.diags.take(row.id("specialty")) {
                Some("any") => Some(None),
                Some(_) => self
                    .resolve(
                        |n| &n.specialties,
                        "specialty",
                        "departments.csv",
                        &row,
                        "specialty",
                    )
                    .map(|s| Some(SpecialtyId::at(s))),
                None => None,
            };
            let months = self.diags.take(row.req::<u32>("months"));
            if months == Some(0) {
                self.diags
                    .error(row.error("months", "requirement", "months must be at least 1"));
            }
            let min_block = self
                .diags
                .take(row.opt::<u32>("min_block"))
                .flatten()
                .unwrap_or(sc.min_block);
            let max_blocks = self
                .diags
                .take(row.opt::<u32>("max_blocks"))
                .flatten()
                .unwrap_or(sc.max_blocks);
            if min_block == 0 {
                self.diags.error(row.error(
                    "min_block",
                    "requirement",
                    "min_block must be at least 1",
                ));
            }
            if max_blocks == 0 {
                self.diags.error(row.error(
                    "max_blocks",
                    "requirement",
                    "max_blocks must be at least 1",
                ));
            }
            let scheme = match row.cell("scheme").map(str::to_ascii_lowercase).as_deref() {
                None => Some(None),
                Some("new") | Some("2019") => Some(Some(Scheme::New)),
                Some("old") => Some(Some(Scheme::Old)),
                Some(other) => {
                    self.diags.error(row.error(
                        "scheme",
                        "scheme",
                        format!("'{other}' is not a scheme: write new or old"),
                    ));
                    None
                }
            };
            let (Some(who), Some(specialty), Some(months), Some(scheme)) =
                (who, specialty, months, scheme)
            else {
                continue;
            };
            if months == 0 || min_block == 0 || max_blocks == 0 {
                continue;
            }
            match who {
                Some(d) => {
                    if scheme.is_some_and(|s| s != doctors[d].scheme) {
                        self.diags.error(row.error(
                            "scheme",
                            "scheme",
                            format!(
                                "doctor {} is on the {} scheme",
                                doctors[d].id, doctors[d].scheme
                            ),
                        ));
                        continue;
                    }
                    own.entry(d).or_default().push(PartRow {
                        specialty,
                        months,
                        min_block,
                        max_blocks,
                    });
                }
                None => general.push((
                    scheme,
                    PartRow {
                        specialty,
                        months,
                        min_block,
                        max_blocks,
                    },
                )),
            }
        }
        for (i, doc) in doctors.iter_mut().enumerate() {
            let rows: Vec<PartRow> = if let Some(rows) = own.get(&i) {
                rows.clone()
            } else if self.explicit_months.contains(&i) {
                continue;
            } else {
                general
                    .iter()
                    .filter(|g| g.0.is_none_or(|s| s == doc.scheme))
                    .map(|g| g.1)
                    .collect()
            };
            if rows.is_empty() {
                continue;
            }
            doc.requirement = rows
                .into_iter()
                .map(|r| RequirementPart {
                    specialty: r.specialty,
                    months: r.months,
                    calendar_months: calendar_months(r.months, doc.fte),
                    min_block: r.min_block,
                    max_blocks: r.max_blocks,
                })
                .collect();
        }
    }

    /// Each doctor's window must hold the required calendar months outside leave.
    fn check_windows(&mut self, doctors: &[Doctor]) {
        for (i, d) in doctors.iter().enumerate() {
            let free = d.window.months().filter(|&m| !d.on_leave(m)).count() as u32;
            let need = d.required_calendar_months();
            if d.window.is_empty() || free < need {
                let leave = d.window.months().filter(|&m| d.on_leave(m)).count();
                let parts: Vec<String> =
                    d.requirement.iter().map(|p| p.months.to_string()).collect();
                let window = if d.window.is_empty() {
                    "is empty within the horizon".to_string()
                } else {
                    format!(
                        "{} has only {free} months free of leave ({leave} on leave)",
                        d.window
                    )
                };
                self.diags.error(Diagnostic {
                    column: self.window_cells.get(&i).cloned(),
                    ..Diagnostic::line(
                        &d.source.file,
                        d.source.line,
                        "window-too-short",
                        format!(
                            "doctor {} needs {need} calendar months in hospital ({} months at {} % fte) but the window {window}",
                            d.id,
                            parts.join(" + "),
                            d.fte,
                        ),
                    )
                });
            }
        }
    }

    /// A department with no slot in any month of the horizon cannot take anyone: probably
    /// a mistake in `capacity.csv` or `departments.csv`.
    fn warn_closed_departments(&mut self, departments: &[Department]) {
        let horizon = MonthRange::new(self.settings.horizon.start, self.settings.horizon.end);
        for dep in departments {
            if horizon.months().all(|m| dep.capacity_in(m) == 0) {
                self.diags.warn(Diagnostic::line(
                    &dep.source.file,
                    dep.source.line,
                    "no-capacity",
                    format!(
                        "the department has no ALIS slot in any month of the horizon {horizon} (capacity {} and the overrides in capacity.csv); nobody can be placed there",
                        dep.capacity
                    ),
                ));
            }
        }
    }

    fn preferences(&mut self, departments: &[Department]) -> Vec<Preference> {
        let mut out = Vec::new();
        let Some(t) = self.table(
            "preferences.csv",
            &["doctor", "hospital", "weight"],
            &["specialty"],
            false,
        ) else {
            return out;
        };
        let mut seen: HashMap<(usize, usize, Option<usize>), u64> = HashMap::new();
        for row in t.rows() {
            let d = self.resolve(|n| &n.doctors, "doctor", "doctors.csv", &row, "doctor");
            let h = self.resolve(
                |n| &n.hospitals,
                "hospital",
                "hospitals.csv",
                &row,
                "hospital",
            );
            let s = if row.cell("specialty").is_some() {
                self.resolve(
                    |n| &n.specialties,
                    "specialty",
                    "departments.csv",
                    &row,
                    "specialty",
                )
                .map(Some)
            } else {
                Some(None)
            };
            let weight = self.diags.take(row.req::<f64>("weight"));
            let (Some(d), Some(h), Some(s), Some(weight)) = (d, h, s, weight) else {
                continue;
            };
            if let Some(s) = s
                && !departments
                    .iter()
                    .any(|dep| dep.hospital.index() == h && dep.specialty.index() == s)
            {
                self.diags.error(row.error(
                    "specialty",
                    "unknown-reference",
                    "this hospital has no such department in departments.csv",
                ));
                continue;
            }
            if let Some(first) = seen.insert((d, h, s), row.line) {
                self.diags.error(row.row_error(
                    "duplicate-id",
                    format!("the same doctor, hospital and specialty already have a preference on line {first}; write one row with the net weight"),
                ));
                continue;
            }
            if weight == 0.0 {
                self.diags.warn(row.error(
                    "weight",
                    "zero-weight",
                    "a preference of weight 0 has no effect",
                ));
            }
            out.push(Preference {
                doctor: DoctorId::at(d),
                hospital: HospitalId::at(h),
                specialty: s.map(SpecialtyId::at),
                weight,
            });
        }
        out
    }

    fn supervisors(&mut self) -> Vec<Supervisor> {
        let mut out = Vec::new();
        let Some(t) = self.table(
            "supervisors.csv",
            &["id", "name", "place"],
            &["max_groups"],
            false,
        ) else {
            return out;
        };
        let mut lines = HashMap::new();
        for row in t.rows() {
            let id = self.diags.take(row.id("id"));
            let name = self.diags.take(row.text("name"));
            let place = self.resolve(|n| &n.places, "place", "places.csv", &row, "place");
            let max_groups = self
                .diags
                .take(row.opt::<u32>("max_groups"))
                .flatten()
                .unwrap_or(1);
            let (Some(id), Some(name), Some(place)) = (id, name, place) else {
                self.reject_row("supervisors.csv", id);
                continue;
            };
            if Self::unique(
                &mut self.names.supervisors,
                self.diags,
                &row,
                "id",
                id,
                out.len(),
                &mut lines,
            ) {
                out.push(Supervisor {
                    id: id.into(),
                    name: name.into(),
                    place: PlaceId::at(place),
                    max_groups,
                });
            }
        }
        out
    }

    fn venues(&mut self, places: &[Place]) -> Vec<Venue> {
        let mut out = Vec::new();
        let Some(t) = self.table("venues.csv", &["place"], &["max_groups", "name"], false) else {
            return out;
        };
        let mut lines = HashMap::new();
        for row in t.rows() {
            let place = self.resolve(|n| &n.places, "place", "places.csv", &row, "place");
            let max_groups = self
                .diags
                .take(row.opt::<u32>("max_groups"))
                .flatten()
                .unwrap_or(1);
            let Some(place) = place else { continue };
            let id = places[place].id.clone();
            if Self::unique(
                &mut self.names.venues,
                self.diags,
                &row,
                "place",
                &id,
                out.len(),
                &mut lines,
            ) {
                out.push(Venue {
                    place: PlaceId::at(place),
                    name: row
                        .cell("name")
                        .map_or_else(|| places[place].name.clone(), String::from),
                    max_groups,
                });
            }
        }
        out
    }
}

/// Every place must be reachable from every other: report the places cut off from the
/// largest connected part of the network, at their line in `places.csv`.
fn check_connected(places: &[Place], edges: &[Edge], dir: &Path, diags: &mut Diagnostics) {
    if places.is_empty() {
        return;
    }
    let net = crate::travel::graph(places.len(), edges);
    let component = crate::travel::components(&net);
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for &c in &component {
        *sizes.entry(c).or_default() += 1;
    }
    let Some((&main, _)) = sizes
        .iter()
        .max_by_key(|&(c, n)| (*n, std::cmp::Reverse(*c)))
    else {
        return;
    };
    let lines = place_lines(dir);
    for (i, p) in places.iter().enumerate() {
        if component[i] != main {
            let line = lines.get(&p.id).copied().unwrap_or(0);
            diags.error(Diagnostic {
                column: Some((1, "id".into())),
                ..Diagnostic::line(
                    "places.csv",
                    line,
                    "disconnected-place",
                    format!("place '{}' ({}) has no road or ferry connection to the rest of the network (e.g. to '{}'); add edges for it to network.csv", p.id, p.name, places[component.iter().position(|&c| c == main).unwrap_or(0)].id),
                )
            });
        }
    }
}

/// Line numbers of the place ids in `places.csv` (for messages about places).
fn place_lines(dir: &Path) -> HashMap<String, u64> {
    let mut diags = Diagnostics::default();
    let Some(t) = Table::read(
        dir,
        "places.csv",
        Columns {
            required: &["id"],
            optional: &["name", "lat", "lon"],
        },
        false,
        &mut diags,
    ) else {
        return HashMap::new();
    };
    t.rows()
        .filter_map(|r| r.cell("id").map(|id| (id.to_string(), r.line)))
        .collect()
}

/// Parse `2;8` (or `2 8`, `2|8`) into months of the year.
fn parse_start_months(s: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for part in s.split([';', ' ', '|', '/']).filter(|p| !p.is_empty()) {
        match part.parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) => out.push(m),
            _ => {
                return Err(format!(
                    "'{part}' is not a month of the year (1-12); write start months like 2;8"
                ));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_months_parse() {
        assert_eq!(parse_start_months("8;2").unwrap(), vec![2, 8]);
        assert_eq!(parse_start_months("1 7").unwrap(), vec![1, 7]);
        assert!(parse_start_months("13").is_err());
        assert!(parse_start_months("feb").is_err());
    }

    #[test]
    fn suggests_near_ids() {
        assert_eq!(strsim("haukland", "haukeland"), 1);
        assert_eq!(
            hint(
                "haukland",
                ["haukeland".to_string(), "voss".to_string()].into_iter()
            ),
            " (did you mean 'haukeland'?)"
        );
        assert_eq!(hint("xyz", ["haukeland".to_string()].into_iter()), "");
    }
}
