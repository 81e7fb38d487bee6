//! `municipalities.csv`, `hospitals.csv`, `departments.csv` and `capacity.csv`: where the
//! doctors work, the hospitals that take them and the slots the departments offer.

use std::collections::HashMap;

use super::Builder;
use crate::error::Diagnostic;
use crate::io::schema::{Schema, optional, required};
use crate::io::table::Row;
use crate::model::bounds;
use crate::model::*;

pub const MUNICIPALITIES: Schema = Schema {
    file: "municipalities.csv",
    columns: &[
        required("id"),
        required("name"),
        required("place"),
        optional("county"),
        optional("max_away"),
        optional("substitute_cost"),
    ],
};

pub const HOSPITALS: Schema = Schema {
    file: "hospitals.csv",
    columns: &[
        required("id"),
        required("name"),
        required("place"),
        optional("trust"),
    ],
};

pub const DEPARTMENTS: Schema = Schema {
    file: "departments.csv",
    columns: &[
        required("hospital"),
        required("specialty"),
        required("capacity"),
        optional("start_months"),
        optional("min_fill"),
    ],
};

pub const CAPACITY: Schema = Schema {
    file: "capacity.csv",
    columns: &[
        required("hospital"),
        required("specialty"),
        required("from"),
        required("to"),
        required("capacity"),
    ],
};

impl Builder<'_> {
    pub(super) fn municipalities(&mut self) -> Vec<Municipality> {
        let defaults = self.settings.municipalities.clone();
        self.define(
            &MUNICIPALITIES,
            true,
            |n| &mut n.municipalities,
            "id",
            |b, row, id| {
                let name = b.diags.take(row.text("name"));
                let place = b.place(row, "place");
                let max_away = b.opt_in(row, "max_away", &bounds::MAX_AWAY);
                let cost = b.opt_in(row, "substitute_cost", &bounds::SUBSTITUTE_COST);
                Some(Municipality {
                    id: id?.into(),
                    name: name?.into(),
                    place: PlaceId::at(place?),
                    county: row.cell("county").map(String::from),
                    max_away: max_away.unwrap_or(defaults.max_away),
                    substitute_cost: cost.unwrap_or(defaults.substitute_cost),
                })
            },
        )
    }

    pub(super) fn hospitals(&mut self) -> Vec<Hospital> {
        self.define(
            &HOSPITALS,
            true,
            |n| &mut n.hospitals,
            "id",
            |b, row, id| {
                let name = b.diags.take(row.text("name"));
                let place = b.place(row, "place");
                Some(Hospital {
                    id: id?.into(),
                    name: name?.into(),
                    place: PlaceId::at(place?),
                    trust: row.cell("trust").map(String::from),
                })
            },
        )
    }

    pub(super) fn departments(&mut self, hospitals: &[Hospital]) -> (Vec<String>, Vec<Department>) {
        let mut specialties: Vec<String> = Vec::new();
        let mut out: Vec<Department> = Vec::new();
        let Some(t) = self.table(&DEPARTMENTS, true) else {
            return (specialties, out);
        };
        let mut seen: HashMap<(usize, String), u64> = HashMap::new();
        for row in t.rows() {
            let hospital = self.hospital(&row, "hospital");
            let specialty = self.diags.take(row.id("specialty"));
            if specialty == Some("any") {
                self.diags.error(row.error(
                    "specialty",
                    "reserved-id",
                    "'any' is reserved for requirements that accept any department",
                ));
                continue;
            }
            let capacity = self.req_in(&row, "capacity", &bounds::CAPACITY);
            let min_fill = self
                .opt_in(&row, "min_fill", &bounds::CAPACITY)
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
                self.diags.error(row.error(
                    "hospital",
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
    pub(super) fn department_of(&mut self, row: &Row, departments: &[Department]) -> Option<usize> {
        let h = self.hospital(row, "hospital")?;
        let s = self.specialty(row, "specialty")?;
        let found = departments
            .iter()
            .position(|d| d.hospital.index() == h && d.specialty.index() == s);
        if found.is_none() {
            self.diags.error(no_such_department(row));
        }
        found
    }

    pub(super) fn capacity_overrides(&mut self, departments: &mut [Department]) {
        let Some(t) = self.table(&CAPACITY, false) else {
            return;
        };
        let mut lines: HashMap<usize, Vec<(MonthRange, u64)>> = HashMap::new();
        for row in t.rows() {
            let dept = self.department_of(&row, departments);
            let range = self.range(&row, "from", "to");
            let capacity = self.req_in(&row, "capacity", &bounds::CAPACITY);
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

    /// A department with no slot in any month of the horizon cannot take anyone: probably
    /// a mistake in `capacity.csv` or `departments.csv`.
    pub(super) fn warn_closed_departments(&mut self, departments: &[Department]) {
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
}

/// A row whose `hospital` and `specialty` name no department of `departments.csv`.
pub(super) fn no_such_department(row: &Row) -> Diagnostic {
    row.error(
        "specialty",
        "unknown-reference",
        "this hospital has no such department in departments.csv",
    )
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
}
