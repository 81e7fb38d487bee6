//! Loading an instance folder into a validated [`Instance`].
//!
//! Every problem is collected (not just the first), each naming the file, line and column
//! and the rule broken. Loading fails if there is any error; warnings are kept on the
//! instance.
//!
//! One file per family of tables: `network` (places and roads), `hospitals`
//! (municipalities, hospitals, departments, capacity overrides), `doctors` (doctors,
//! requirements, leave, preferences) and `groups` (supervisors, venues). Each defines the
//! [`Schema`] of its files, which the instance generator writes from too.

mod doctors;
mod groups;
mod hospitals;
mod network;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::io::locks::{LOCKS, read_locks};
use crate::io::schema::Schema;
use crate::io::settings::read_settings;
use crate::io::table::{Cell, Row, Table};
use crate::model::bounds::{Bound, Number};
use crate::model::*;

pub use doctors::{DOCTORS, LEAVE, PREFERENCES, REQUIREMENTS};
pub use groups::{SUPERVISORS, VENUES};
pub use hospitals::{CAPACITY, DEPARTMENTS, HOSPITALS, MUNICIPALITIES};
pub use network::{NETWORK, PLACES};

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
    let edges = b.network();
    let network_ok = b.diags.errors.len() == before_network && b.loaded(PLACES.file);
    let municipalities = b.municipalities();
    let hospitals = b.hospitals();
    let (specialties, mut departments) = b.departments(&hospitals);
    b.capacity_overrides(&mut departments);
    if settings_ok {
        b.warn_closed_departments(&departments);
    }
    let mut doctors = b.doctors();
    b.leave(&mut doctors);
    b.requirements(&mut doctors);
    // A broken horizon, or leave and requirements that could not be read, would make every
    // window look wrong: report those first.
    if settings_ok && b.loaded(LEAVE.file) && b.loaded(REQUIREMENTS.file) {
        b.check_windows(&doctors);
    }
    let preferences = b.preferences(&departments);
    let supervisors = b.supervisors();
    let venues = b.venues(&places);
    let locks_readable = [DOCTORS.file, HOSPITALS.file, DEPARTMENTS.file]
        .iter()
        .all(|f| b.loaded(f));
    let names = b.names;
    if network_ok {
        network::check_connected(&places, &edges, dir, &mut diags);
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
    if locks_readable && let Some(t) = LOCKS.read(dir, false, &mut diags) {
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

/// The state of one load: what has been read so far and every problem found.
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

/// The lines on which the ids of one table were first defined, to name them in
/// `duplicate-id` errors.
type FirstLines = HashMap<String, u64>;

impl Builder<'_> {
    /// Open one file of the instance; a file that exists (or must) but cannot be read is
    /// remembered, so that references into it are not reported one by one.
    fn table(&mut self, schema: &Schema, must: bool) -> Option<Table> {
        let t = schema.read(self.dir, must, self.diags);
        if t.is_none() && (must || self.dir.join(schema.file).exists()) {
            self.unloaded.insert(schema.file.to_string());
        }
        t
    }

    /// Read a file whose rows each define one thing named by the id in column `id_col`
    /// (a place, a municipality, a doctor, ...). `read` reads the rest of a row (given the
    /// id, if it is valid); a row
    /// whose id or rest is faulty is left out (and references to its id are not reported
    /// as unknown), and an id defined twice is a `duplicate-id` error.
    fn define<T>(
        &mut self,
        schema: &'static Schema,
        must: bool,
        names: fn(&mut InstanceNames) -> &mut Names,
        id_col: &str,
        mut read: impl FnMut(&mut Self, &Row, Option<&str>) -> Option<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        let Some(t) = self.table(schema, must) else {
            return out;
        };
        let mut lines = FirstLines::new();
        for row in t.rows() {
            let id = self.diags.take(row.id(id_col));
            let item = read(self, &row, id);
            let (Some(id), Some(item)) = (id, item) else {
                if let Some(id) = id {
                    self.faulty.insert((schema.file, id.to_string()));
                }
                continue;
            };
            if Self::unique(
                names(&mut self.names),
                self.diags,
                &row,
                id_col,
                id,
                out.len(),
                &mut lines,
            ) {
                out.push(item);
            }
        }
        out
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
        first_lines: &mut FirstLines,
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

    /// The place named in column `col`.
    fn place(&mut self, row: &Row, col: &str) -> Option<usize> {
        self.resolve(|n| &n.places, "place", PLACES.file, row, col)
    }

    /// The hospital named in column `col`.
    fn hospital(&mut self, row: &Row, col: &str) -> Option<usize> {
        self.resolve(|n| &n.hospitals, "hospital", HOSPITALS.file, row, col)
    }

    /// The specialty (of some department) named in column `col`.
    fn specialty(&mut self, row: &Row, col: &str) -> Option<usize> {
        self.resolve(|n| &n.specialties, "specialty", DEPARTMENTS.file, row, col)
    }

    /// The doctor named in column `col`.
    fn doctor(&mut self, row: &Row, col: &str) -> Option<usize> {
        self.resolve(|n| &n.doctors, "doctor", DOCTORS.file, row, col)
    }

    /// The required cell of column `col` read as `T` (an error is recorded).
    fn req<T: Cell>(&mut self, row: &Row, col: &str) -> Option<T> {
        self.diags.take(row.req::<T>(col))
    }

    /// The optional cell of column `col` read as `T` (an error is recorded).
    fn opt<T: Cell>(&mut self, row: &Row, col: &str) -> Option<T> {
        self.diags.take(row.opt::<T>(col)).flatten()
    }

    /// The required number cell of column `col`, within `bound` (an error is recorded).
    fn req_in<T: Cell + Number>(&mut self, row: &Row, col: &str, bound: &Bound<T>) -> Option<T> {
        self.diags.take(row.req_in(col, bound))
    }

    /// The optional number cell of column `col`, within `bound` (an error is recorded).
    fn opt_in<T: Cell + Number>(&mut self, row: &Row, col: &str, bound: &Bound<T>) -> Option<T> {
        self.diags.take(row.opt_in(col, bound)).flatten()
    }

    /// A `from`..`to` pair of month cells, `from` not after `to`.
    fn range(&mut self, row: &Row, from: &str, to: &str) -> Option<MonthRange> {
        let a = self.req::<Month>(row, from);
        let b = self.req::<Month>(row, to);
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
