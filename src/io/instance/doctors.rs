//! `doctors.csv`, `requirements.csv`, `leave.csv` and `preferences.csv`: who is to be
//! placed, what each doctor must serve, when they are away and what they wish for.

use std::collections::HashMap;

use super::Builder;
use super::hospitals::{MUNICIPALITIES, no_such_department};
use crate::error::Diagnostic;
use crate::io::schema::{Schema, optional, required};
use crate::io::table::Choices;
use crate::model::bounds;
use crate::model::*;

pub const DOCTORS: Schema = Schema {
    file: "doctors.csv",
    columns: &[
        required("id"),
        required("name"),
        required("municipality"),
        required("scheme"),
        optional("fte"),
        optional("earliest"),
        optional("latest_end"),
        optional("hospital_months"),
        optional("max_commute"),
        optional("relocate"),
        optional("group_from"),
    ],
};

pub const REQUIREMENTS: Schema = Schema {
    file: "requirements.csv",
    columns: &[
        required("doctor"),
        required("specialty"),
        required("months"),
        optional("min_block"),
        optional("max_blocks"),
        optional("scheme"),
    ],
};

pub const LEAVE: Schema = Schema {
    file: "leave.csv",
    columns: &[
        required("doctor"),
        required("from"),
        required("to"),
        optional("kind"),
    ],
};

pub const PREFERENCES: Schema = Schema {
    file: "preferences.csv",
    columns: &[
        required("doctor"),
        required("hospital"),
        required("weight"),
        optional("specialty"),
    ],
};

const SCHEME_WORDS: &[(&str, Scheme)] = &[
    ("new", Scheme::New),
    ("2019", Scheme::New),
    ("old", Scheme::Old),
];

/// A doctor's training scheme (`doctors.csv`).
const DOCTOR_SCHEME: Choices<Scheme> = Choices {
    what: "a scheme",
    write: "new (2019 rules, 6 months) or old (12 months)",
    rule: "scheme",
    words: SCHEME_WORDS,
};

/// The scheme a `*` requirement row applies to (`requirements.csv`).
const REQUIREMENT_SCHEME: Choices<Scheme> = Choices {
    write: "new or old",
    ..DOCTOR_SCHEME
};

/// The kind of a leave; an empty cell is `other`.
const LEAVE_KINDS: Choices<LeaveKind> = Choices {
    what: "a kind of leave",
    write: "parental, sick or other",
    rule: "leave-kind",
    words: &[
        ("other", LeaveKind::Other),
        ("parental", LeaveKind::Parental),
        ("sick", LeaveKind::Sick),
    ],
};

/// One row of `requirements.csv`, before it is given to doctors.
#[derive(Clone, Copy)]
struct PartRow {
    specialty: Option<SpecialtyId>,
    months: u32,
    min_block: u32,
    max_blocks: u32,
}

/// A doctor as read from its row, with what later checks need to know about the row.
struct DoctorRow {
    doctor: Doctor,
    /// Whether `hospital_months` was given (it outranks `*` requirement rows).
    explicit_months: bool,
    /// The cell that bounds the window (`latest_end`, else `earliest`), if one was written.
    window_cell: Option<(usize, String)>,
}

impl Builder<'_> {
    pub(super) fn doctors(&mut self) -> Vec<Doctor> {
        let sc = self.settings.scheme.clone();
        let horizon = MonthRange::new(self.settings.horizon.start, self.settings.horizon.end);
        let rows = self.define(&DOCTORS, true, |n| &mut n.doctors, "id", |b, row, id| {
            let name = b.diags.take(row.text("name"));
            let muni = b.resolve(
                |n| &n.municipalities,
                "municipality",
                MUNICIPALITIES.file,
                row,
                "municipality",
            );
            let scheme = b.diags.take(row.required_choice("scheme", &DOCTOR_SCHEME));
            let fte = b.opt::<u32>(row, "fte").unwrap_or(100);
            if fte > 100 {
                b.diags.error(row.error(
                    "fte",
                    "fte-range",
                    format!("fte {fte} % is above 100 %"),
                ));
            } else if fte < sc.fte_floor {
                b.diags.error(row.error("fte", "fte-floor", format!("fte {fte} % is below the floor of {} %: part-time service below it does not count toward the specialty", sc.fte_floor)));
            }
            let earliest = b.opt::<Month>(row, "earliest");
            let latest_end = b.opt::<Month>(row, "latest_end");
            if let (Some(first), Some(last)) = (earliest, latest_end)
                && first > last
            {
                b.diags.error(row.error(
                    "latest_end",
                    "range-order",
                    format!("latest_end {last} is before earliest {first}"),
                ));
            }
            let hospital_months = b.opt_in(row, "hospital_months", &bounds::SERVICE_MONTHS);
            let max_commute = b
                .opt_in(row, "max_commute", &bounds::TRAVEL_MINUTES)
                .unwrap_or(sc.max_commute);
            let relocate = b.opt::<bool>(row, "relocate").unwrap_or(false);
            let group_from = b.opt::<Month>(row, "group_from");
            let window_cell = [("latest_end", latest_end), ("earliest", earliest)]
                .into_iter()
                .find(|(_, given)| given.is_some())
                .and_then(|(col, _)| row.column(col));
            let (Some(id), Some(name), Some(muni), Some(scheme)) = (id, name, muni, scheme) else {
                return None;
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
                b.diags.warn(row.error(
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
            Some(DoctorRow {
                doctor: Doctor {
                    id: id.into(),
                    name: name.into(),
                    municipality: MunicipalityId::at(muni),
                    scheme,
                    fte,
                    window,
                    max_commute,
                    relocate,
                    group_from,
                    needs_group: !row.has_column("group_from") || group_from.is_some(),
                    requirement: vec![RequirementPart {
                        specialty: None,
                        months,
                        calendar_months: calendar_months(months, fte),
                        min_block: sc.min_block,
                        max_blocks: sc.max_blocks,
                    }],
                    leave: Vec::new(),
                    source: Source {
                        file: DOCTORS.file.to_string(),
                        line: row.line,
                    },
                },
                explicit_months: hospital_months.is_some(),
                window_cell,
            })
        });
        let mut out = Vec::with_capacity(rows.len());
        for (i, r) in rows.into_iter().enumerate() {
            if r.explicit_months {
                self.explicit_months.push(i);
            }
            if let Some(cell) = r.window_cell {
                self.window_cells.insert(i, cell);
            }
            out.push(r.doctor);
        }
        out
    }

    pub(super) fn leave(&mut self, doctors: &mut [Doctor]) {
        let Some(t) = self.table(&LEAVE, false) else {
            return;
        };
        for row in t.rows() {
            let d = self.doctor(&row, "doctor");
            let range = self.range(&row, "from", "to");
            let kind = self
                .diags
                .take(row.choice("kind", &LEAVE_KINDS))
                .map(|k| k.unwrap_or(LeaveKind::Other));
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
    pub(super) fn requirements(&mut self, doctors: &mut [Doctor]) {
        let Some(t) = self.table(&REQUIREMENTS, false) else {
            return;
        };
        let sc = self.settings.scheme.clone();
        let mut own: HashMap<usize, Vec<PartRow>> = HashMap::new();
        let mut general: Vec<(Option<Scheme>, PartRow)> = Vec::new();
        for row in t.rows() {
            let who = match self.diags.take(row.text("doctor")) {
                Some("*") => Some(None),
                Some(_) => self.doctor(&row, "doctor").map(Some),
                None => None,
            };
            let specialty = match self.diags.take(row.id("specialty")) {
                Some("any") => Some(None),
                Some(_) => self
                    .specialty(&row, "specialty")
                    .map(|s| Some(SpecialtyId::at(s))),
                None => None,
            };
            let months = self.req_in(&row, "months", &bounds::SERVICE_MONTHS);
            let min_block = self.opt_in(&row, "min_block", &bounds::MIN_BLOCK);
            let max_blocks = self.opt_in(&row, "max_blocks", &bounds::MAX_BLOCKS);
            let scheme = self.diags.take(row.choice("scheme", &REQUIREMENT_SCHEME));
            let (Some(who), Some(specialty), Some(months), Some(scheme)) =
                (who, specialty, months, scheme)
            else {
                continue;
            };
            let part = PartRow {
                specialty,
                months,
                min_block: min_block.unwrap_or(sc.min_block),
                max_blocks: max_blocks.unwrap_or(sc.max_blocks),
            };
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
                    own.entry(d).or_default().push(part);
                }
                None => general.push((scheme, part)),
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
    pub(super) fn check_windows(&mut self, doctors: &[Doctor]) {
        for (i, d) in doctors.iter().enumerate() {
            let free = d.window.months().filter(|&m| !d.on_leave(m)).count() as u64;
            // Summed wide: many requirement rows of one doctor must not wrap around.
            let need: u64 = d
                .requirement
                .iter()
                .map(|p| u64::from(p.calendar_months))
                .sum();
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

    pub(super) fn preferences(&mut self, departments: &[Department]) -> Vec<Preference> {
        let mut out = Vec::new();
        let Some(t) = self.table(&PREFERENCES, false) else {
            return out;
        };
        let mut seen: HashMap<(usize, usize, Option<usize>), u64> = HashMap::new();
        for row in t.rows() {
            let d = self.doctor(&row, "doctor");
            let h = self.hospital(&row, "hospital");
            let s = if row.cell("specialty").is_some() {
                self.specialty(&row, "specialty").map(Some)
            } else {
                Some(None)
            };
            let weight = self.req_in(&row, "weight", &bounds::PREFERENCE_WEIGHT);
            let (Some(d), Some(h), Some(s), Some(weight)) = (d, h, s, weight) else {
                continue;
            };
            if let Some(s) = s
                && !departments
                    .iter()
                    .any(|dep| dep.hospital.index() == h && dep.specialty.index() == s)
            {
                self.diags.error(no_such_department(&row));
                continue;
            }
            if let Some(first) = seen.insert((d, h, s), row.line) {
                self.diags.error(row.error(
                    "hospital",
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
        // By doctor (rows of one doctor in file order): `Instance::preference` looks a
        // doctor's rows up by halving.
        out.sort_by_key(|p| p.doctor);
        out
    }
}
