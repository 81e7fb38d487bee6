//! What the report shows, computed once from the instance and the plan: who is where in
//! which month, use of each department, absences per municipality, and the key figures.

use std::collections::HashMap;

use serde_json::Value;

use crate::i18n::{Messages, Report};
use crate::model::*;
use crate::summary::Summary;
use crate::verify::{Violation, verify};

/// How much of a doctor's requirement the plan places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placed {
    /// Every part placed.
    Full,
    /// Some blocks placed, some parts reported unplaced.
    Partly,
    /// Nothing placed; `unplaced.csv` gives the reason.
    Unplaced,
    /// Nothing placed and no reason given (the plan is incomplete).
    Missing,
}

/// One solved part of the plan, as recorded in `summary.json`.
#[derive(Clone, Debug, Default)]
pub(crate) struct SolveInfo {
    /// `placement` or `groups`.
    pub part: String,
    pub status: Option<String>,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub variables: Option<f64>,
    pub constraints: Option<f64>,
    /// Objective terms, by name.
    pub terms: Vec<(String, f64)>,
    /// Fairness figures the solver reported, by name.
    pub fairness: Vec<(String, String)>,
}

impl SolveInfo {
    fn from_value(part: &str, v: &Value) -> SolveInfo {
        // The outcome may sit at the section's top level or in a nested object.
        let field = |k: &str| {
            v.get(k)
                .or_else(|| v.get("outcome").and_then(|o| o.get(k)))
                .or_else(|| v.get("solve").and_then(|o| o.get(k)))
        };
        let num = |k: &str| field(k).and_then(Value::as_f64);
        let pairs = |k: &str| -> Vec<(String, &Value)> {
            match field(k) {
                Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(|i| {
                        let name = i.get("name")?.as_str()?.to_string();
                        Some((name, i.get("value")?))
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        SolveInfo {
            part: part.to_string(),
            status: field("status").and_then(|s| s.as_str().map(str::to_string)),
            objective: num("objective"),
            bound: num("bound"),
            gap: num("gap"),
            variables: num("variables"),
            constraints: num("constraints"),
            terms: pairs("terms")
                .into_iter()
                .filter_map(|(k, v)| Some((k, v.as_f64()?)))
                .collect(),
            fairness: pairs("fairness")
                .into_iter()
                .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                .collect(),
        }
    }

    /// Whether the solver proved this part optimal.
    pub fn proven_optimal(&self) -> bool {
        matches!(self.status.as_deref(), Some("optimal" | "trivial"))
    }

    /// The status in words.
    pub fn status_words(&self, r: &Report) -> String {
        match self.status.as_deref() {
            Some("optimal" | "trivial") => r.status_optimal.into(),
            Some("gap_limit") => r.status_gap_limit.into(),
            Some("time_limit") => r.status_time_limit.into(),
            Some(other) => other.replace('_', " "),
            None => r.status_unknown.into(),
        }
    }

    /// The part's name in words.
    pub fn part_words(&self, r: &Report) -> String {
        match self.part.as_str() {
            "placement" => r.part_placement.into(),
            "groups" => r.part_groups.into(),
            other => other.into(),
        }
    }
}

/// Everything the report needs, indexed for the page and the calendars.
pub(crate) struct Facts<'a> {
    pub inst: &'a Instance,
    /// The messages of the plan's language, and the report's among them.
    pub t: &'static Messages,
    pub r: &'static Report,
    pub plan: &'a Plan,
    /// The previous plan a re-plan started from (`replan.previous` of the summary).
    pub replan_previous: Option<String>,
    /// The months the timelines and calendars show: the horizon and every block, in whole
    /// years.
    pub span: MonthRange,
    pub replan_from: Option<Month>,
    /// Each doctor's blocks, by start.
    pub blocks_of: Vec<Vec<&'a Block>>,
    /// Each doctor's group and one-way travel minutes to its venue.
    pub group_of: Vec<Option<(&'a Group, u32)>>,
    pub changes_of: Vec<Vec<&'a Change>>,
    pub unplaced_of: Vec<Vec<&'a Unplaced>>,
    /// Doctors serving in a department in a month (leave months inside a block excluded).
    pub dept_use: HashMap<(DepartmentId, Month), Vec<DoctorId>>,
    /// Doctors of a municipality in hospital in a month (whole block spans).
    pub away: HashMap<(MunicipalityId, Month), Vec<DoctorId>>,
    /// The independent check of the plan (`alisplan verify`).
    pub violations: Vec<Violation>,
    pub solves: Vec<SolveInfo>,
}

impl<'a> Facts<'a> {
    pub fn new(inst: &'a Instance, plan: &'a Plan, summary: Option<&Summary>) -> Facts<'a> {
        let n = inst.doctors.len();
        let mut blocks_of: Vec<Vec<&Block>> = vec![Vec::new(); n];
        for b in &plan.blocks {
            blocks_of[b.doctor.index()].push(b);
        }
        for bs in &mut blocks_of {
            bs.sort_by_key(|b| (b.start, b.end, b.department));
        }
        let mut group_of = vec![None; n];
        for g in plan.groups.iter().flatten() {
            for &(d, minutes) in &g.members {
                group_of[d.index()].get_or_insert((g, minutes));
            }
        }
        let mut changes_of: Vec<Vec<&Change>> = vec![Vec::new(); n];
        for c in plan.changes.iter().flatten() {
            changes_of[c.doctor.index()].push(c);
        }
        let mut unplaced_of: Vec<Vec<&Unplaced>> = vec![Vec::new(); n];
        for u in &plan.unplaced {
            unplaced_of[u.doctor.index()].push(u);
        }
        let mut dept_use: HashMap<(DepartmentId, Month), Vec<DoctorId>> = HashMap::new();
        let mut away: HashMap<(MunicipalityId, Month), Vec<DoctorId>> = HashMap::new();
        for b in &plan.blocks {
            let doc = inst.doctor(b.doctor);
            for m in b.span().months() {
                let who = away.entry((doc.municipality, m)).or_default();
                if !who.contains(&b.doctor) {
                    who.push(b.doctor);
                }
                if !doc.on_leave(m) {
                    dept_use
                        .entry((b.department, m))
                        .or_default()
                        .push(b.doctor);
                }
            }
        }
        for who in dept_use.values_mut().chain(away.values_mut()) {
            who.sort();
        }
        let horizon = inst.horizon();
        let first = plan
            .blocks
            .iter()
            .map(|b| b.start)
            .fold(horizon.first, Month::min);
        let last = plan
            .blocks
            .iter()
            .map(|b| b.end)
            .fold(horizon.last, Month::max);
        let span = MonthRange::new(
            first.plus(1 - first.month_of_year() as i32),
            last.plus(12 - last.month_of_year() as i32),
        );
        let replan_from = plan.replan_from;
        let violations = verify(inst, plan);
        let solves = summary
            .iter()
            .flat_map(|s| {
                ["placement", "groups"]
                    .into_iter()
                    .filter_map(|part| Some(SolveInfo::from_value(part, s.get(part)?)))
            })
            .collect();
        let t = inst.settings.language.t();
        Facts {
            inst,
            t,
            r: &t.report,
            plan,
            replan_previous: super::replan_previous(summary),
            span,
            replan_from,
            blocks_of,
            group_of,
            changes_of,
            unplaced_of,
            dept_use,
            away,
            violations,
            solves,
        }
    }

    /// The months shown, in order.
    pub fn months(&self) -> impl Iterator<Item = Month> + Clone {
        self.span.months()
    }

    /// How much of doctor `d`'s requirement is placed.
    pub fn placed(&self, d: DoctorId) -> Placed {
        let has_blocks = !self.blocks_of[d.index()].is_empty();
        let reported = !self.unplaced_of[d.index()].is_empty();
        match (has_blocks, reported) {
            (true, false) => Placed::Full,
            (true, true) => Placed::Partly,
            (false, true) => Placed::Unplaced,
            (false, false) if self.inst.doctor(d).required_calendar_months() == 0 => Placed::Full,
            (false, false) => Placed::Missing,
        }
    }

    /// Whether doctor `d` has changes in a re-plan.
    pub fn changed(&self, d: DoctorId) -> bool {
        !self.changes_of[d.index()].is_empty()
    }

    /// Doctors in department `dept` in month `m`.
    pub fn used(&self, dept: DepartmentId, m: Month) -> &[DoctorId] {
        self.dept_use.get(&(dept, m)).map_or(&[], Vec::as_slice)
    }

    /// Doctors of municipality `muni` in hospital in month `m`.
    pub fn away_in(&self, muni: MunicipalityId, m: Month) -> &[DoctorId] {
        self.away.get(&(muni, m)).map_or(&[], Vec::as_slice)
    }

    /// Months away from municipality `muni` (doctor-months), i.e. substitute months.
    pub fn substitute_months(&self, muni: MunicipalityId) -> u32 {
        self.months()
            .map(|m| self.away_in(muni, m).len() as u32)
            .sum()
    }

    /// The hospital of block `b`.
    pub fn hospital_of(&self, b: &Block) -> &'a Hospital {
        self.inst
            .hospital(self.inst.department(b.department).hospital)
    }

    /// The daily commute figures of blocks where the doctor commutes from home.
    pub fn commute(&self) -> CommuteFigures<'a> {
        let mut c = CommuteFigures::default();
        for b in &self.plan.blocks {
            c.hospital_months += b.months;
            if b.relocate {
                c.relocated_months += b.months;
                if !c.relocated.contains(&b.doctor) {
                    c.relocated.push(b.doctor);
                }
                continue;
            }
            c.daily_months += b.months;
            c.minute_months += u64::from(b.commute_minutes) * u64::from(b.months);
            if c.worst
                .is_none_or(|w| b.commute_minutes > w.commute_minutes)
            {
                c.worst = Some(b);
            }
        }
        c.relocated.sort();
        // Per doctor: the month-weighted mean daily commute of their blocks.
        for bs in &self.blocks_of {
            let daily: Vec<&&Block> = bs.iter().filter(|b| !b.relocate).collect();
            let months: u32 = daily.iter().map(|b| b.months).sum();
            if months > 0 {
                let minutes: u64 = daily
                    .iter()
                    .map(|b| u64::from(b.commute_minutes) * u64::from(b.months))
                    .sum();
                c.per_doctor.push(minutes as f64 / f64::from(months));
            }
        }
        c.per_doctor.sort_by(f64::total_cmp);
        c
    }
}

/// Commute totals of a plan.
#[derive(Clone, Debug, Default)]
pub(crate) struct CommuteFigures<'a> {
    /// Calendar months of hospital service in the plan.
    pub hospital_months: u32,
    /// Months served commuting daily from home.
    pub daily_months: u32,
    /// Σ one-way daily commute minutes × months, over daily-commute blocks.
    pub minute_months: u64,
    /// The block with the longest daily commute.
    pub worst: Option<&'a Block>,
    /// Doctors who live near the hospital during the week for some block.
    pub relocated: Vec<DoctorId>,
    pub relocated_months: u32,
    /// Each commuting doctor's mean daily one-way commute, ascending.
    pub per_doctor: Vec<f64>,
}

impl CommuteFigures<'_> {
    /// Mean one-way daily commute per month served from home.
    pub fn mean_daily(&self) -> Option<f64> {
        (self.daily_months > 0).then(|| self.minute_months as f64 / f64::from(self.daily_months))
    }

    /// The median of the doctors' mean daily commutes.
    pub fn median_doctor(&self) -> Option<f64> {
        let v = &self.per_doctor;
        match v.len() {
            0 => None,
            n if n % 2 == 1 => Some(v[n / 2]),
            n => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
        }
    }
}
