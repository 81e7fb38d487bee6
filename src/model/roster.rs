//! One doctor as the instance described them when a plan was made: a row of a plan's
//! `roster.csv`, compared with today's instance by [`crate::roster`].

use crate::model::{DoctorId, Instance, Month, Scheme};

/// One doctor as the instance described them when a plan was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub doctor: String,
    pub name: String,
    /// The municipality's id.
    pub municipality: String,
    pub scheme: Scheme,
    pub fte: u32,
    pub earliest: Month,
    pub latest_end: Month,
    /// Full-time months of hospital service required in all.
    pub hospital_months: u32,
    /// First month of the guidance-group period, for a doctor due a group.
    pub group_from: Option<Month>,
    /// Whether the doctor was due a guidance group.
    pub group: bool,
}

impl RosterEntry {
    /// Doctor `d` as `inst` describes them.
    pub fn of(inst: &Instance, d: DoctorId) -> RosterEntry {
        let doc = inst.doctor(d);
        RosterEntry {
            doctor: doc.id.clone(),
            name: doc.name.clone(),
            municipality: inst.municipality(doc.municipality).id.clone(),
            scheme: doc.scheme,
            fte: doc.fte,
            earliest: doc.window.first,
            latest_end: doc.window.last,
            hospital_months: doc.requirement.iter().map(|p| p.months).sum(),
            group_from: doc.group_from,
            group: doc.needs_group,
        }
    }

    /// What differs between this entry (before) and `now`, in words, one item per fact.
    pub fn differences(&self, now: &RosterEntry) -> Vec<String> {
        let mut out = Vec::new();
        let mut fact = |what: &str, before: String, after: String| {
            if before != after {
                out.push(format!("{what} {before} -> {after}"));
            }
        };
        fact(
            "municipality",
            self.municipality.clone(),
            now.municipality.clone(),
        );
        fact("scheme", self.scheme.to_string(), now.scheme.to_string());
        fact("fte", format!("{} %", self.fte), format!("{} %", now.fte));
        fact(
            "window",
            format!("{}..{}", self.earliest, self.latest_end),
            format!("{}..{}", now.earliest, now.latest_end),
        );
        fact(
            "hospital months",
            self.hospital_months.to_string(),
            now.hospital_months.to_string(),
        );
        let group = |e: &RosterEntry| match (e.group, e.group_from) {
            (false, _) => "none".to_string(),
            (true, Some(m)) => format!("from {m}"),
            (true, None) => "due".to_string(),
        };
        fact("guidance group", group(self), group(now));
        out
    }
}

/// The roster of `inst`, in `doctors.csv` order.
pub fn snapshot(inst: &Instance) -> Vec<RosterEntry> {
    inst.doctor_ids()
        .map(|d| RosterEntry::of(inst, d))
        .collect()
}
