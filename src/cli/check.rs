//! `alisplan check`: validate an instance and print what a project leader wants to know
//! before planning: who needs what, what the hospitals offer, how far people travel, and
//! early warnings.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::{Common, Ui, load, print_out};
use crate::error::Result;
use crate::model::*;
use crate::travel::Travel;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// A published plan: list the joiners, leavers and changed doctors against it.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &CheckArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let inst = load(&args.instance, &ui)?;
    let travel = Travel::new(&inst);
    let report = summarise(&inst, &travel);
    let against = match &args.previous {
        Some(dir) => Some(crate::roster::against(&inst, dir)?),
        None => None,
    };
    if !ui.quiet {
        print_out(&report.text);
        if let Some(text) = against {
            print_out(&format!("\n{text}"));
        }
    }
    for w in &report.warnings {
        ui.warn(w);
    }
    Ok(())
}

/// The text of the summary and the early warnings.
pub struct CheckReport {
    pub text: String,
    pub warnings: Vec<String>,
}

/// Departments a doctor could serve a part in, reachable by daily commute or relocation.
fn reachable(
    inst: &Instance,
    travel: &Travel,
    d: DoctorId,
    part: &RequirementPart,
) -> Vec<(DepartmentId, u32)> {
    let doc = inst.doctor(d);
    inst.department_ids()
        .filter(|&k| {
            part.specialty
                .is_none_or(|s| s == inst.department(k).specialty)
        })
        .map(|k| (k, travel.commute(inst, d, inst.department(k).hospital)))
        .filter(|&(_, minutes)| minutes != u32::MAX && (minutes <= doc.max_commute || doc.relocate))
        .collect()
}

/// Every requirement part with no candidate block at all, and why, by the rules' names:
/// what `place` would report unplaced, known before solving. Doctors with no reachable
/// department at all (not in `reachable_doctors`) are warned about already.
fn unplaceable(
    inst: &Instance,
    travel: &Travel,
    reachable_doctors: &BTreeMap<DoctorId, (u32, HospitalId)>,
) -> Vec<String> {
    let problem = crate::placement::Problem::new(inst);
    let mut out = Vec::new();
    for d in inst.doctor_ids() {
        if !reachable_doctors.contains_key(&d) {
            continue;
        }
        for p in 0..problem.parts(d).len() {
            if let Some(why) = crate::placement::explain::unplaceable(&problem, travel, d, p) {
                out.push(format!(
                    "doctor {} ({}) has no possible block and cannot be placed: {why}",
                    inst.doctor(d).id,
                    inst.municipality(inst.doctor(d).municipality).name
                ));
            }
        }
    }
    out
}

/// A `min_fill` price at or above what relocating costs more than the longest daily commute
/// of a doctor who may relocate: a hospital's wish to fill a slot may then send that doctor
/// away from home while a daily-commutable department has room.
fn min_fill_above_relocation_margin(inst: &Instance) -> Option<String> {
    let w = &inst.settings.weights;
    let longest = inst
        .doctors
        .iter()
        .filter(|d| d.relocate)
        .map(|d| d.max_commute)
        .max()?;
    let margin = w.relocation_margin(longest);
    let wished = inst.departments.iter().any(|d| d.min_fill > 0);
    (wished && w.min_fill >= margin).then(|| {
        format!(
            "[weights] min_fill {:.0} NOK is not below the relocation margin {margin:.0} NOK a month at a {longest} min daily commute: a hospital's wish to fill a slot may send a doctor who agreed to relocate away from a daily-commutable department with room",
            w.min_fill
        )
    })
}

/// Old-scheme doctors who cannot finish their hospital service by `[scheme]
/// old_scheme_last_month` (rule `old_scheme_deadline`).
fn old_scheme_too_late(inst: &Instance) -> Vec<String> {
    let last = inst.settings.scheme.old_scheme_last_month;
    inst.doctors
        .iter()
        .filter(|doc| doc.scheme == Scheme::Old)
        .filter_map(|doc| {
            let months = doc.required_calendar_months();
            let earliest_end = doc.window.first.plus(months as i32 - 1);
            (earliest_end > last).then(|| {
                format!(
                    "doctor {} is on the old scheme ({months} hospital months), which can be planned only until {last}; the earliest the service could end is {earliest_end} ({}): the old rules apply only to doctors who apply by the transition deadline, so move the doctor to the new scheme or confirm",
                    doc.id,
                    crate::rules::Rule::OldSchemeDeadline
                )
            })
        })
        .collect()
}

pub fn summarise(inst: &Instance, travel: &Travel) -> CheckReport {
    let mut t = String::new();
    let mut warnings = Vec::new();
    let horizon = inst.horizon();
    let title = if inst.settings.name.is_empty() {
        inst.dir.display().to_string()
    } else {
        inst.settings.name.clone()
    };
    let _ = writeln!(t, "{title}: instance is valid");
    let _ = writeln!(
        t,
        "  horizon {horizon} ({} months); {} doctors in {} municipalities; {} hospitals with {} departments; {} places, {} road/ferry edges",
        horizon.len(),
        inst.doctors.len(),
        inst.municipalities.len(),
        inst.hospitals.len(),
        inst.departments.len(),
        inst.places.len(),
        inst.edges.len()
    );

    // Doctors per municipality and scheme.
    let _ = writeln!(
        t,
        "\nDoctors per municipality (new scheme / old scheme / part-time):"
    );
    for m in inst.municipality_ids() {
        let docs: Vec<&Doctor> = inst.doctors_of(m).map(|d| inst.doctor(d)).collect();
        if docs.is_empty() {
            continue;
        }
        let new = docs.iter().filter(|d| d.scheme == Scheme::New).count();
        let old = docs.len() - new;
        let part = docs.iter().filter(|d| d.fte < 100).count();
        let _ = writeln!(
            t,
            "  {:<24} {new:>2} / {old:>2} / {part:>2}   max away {}",
            inst.municipality(m).name,
            inst.municipality(m).max_away
        );
    }

    // Demand.
    // Totals are summed wide, so that no instance can make them wrap around.
    let total: u64 = inst
        .doctors
        .iter()
        .map(|d| u64::from(d.required_calendar_months()))
        .sum();
    let fte_total: u64 = inst
        .doctors
        .iter()
        .flat_map(|d| d.requirement.iter())
        .map(|p| u64::from(p.months))
        .sum();
    let _ = writeln!(
        t,
        "\nRequired hospital service: {fte_total} full-time months = {total} calendar months (part-time stretches it)"
    );
    let mut by_year: BTreeMap<i32, f64> = BTreeMap::new();
    let mut by_month: BTreeMap<Month, f64> = BTreeMap::new();
    for d in &inst.doctors {
        let free: Vec<Month> = d.window.months().filter(|&m| !d.on_leave(m)).collect();
        let share = d.required_calendar_months() as f64 / free.len().max(1) as f64;
        for m in free {
            *by_year.entry(m.year()).or_default() += share;
            *by_month.entry(m).or_default() += share;
        }
    }
    // Slot-months per department and year, in one pass over the horizon's months.
    let mut supply_dep_year: Vec<BTreeMap<i32, u64>> =
        vec![BTreeMap::new(); inst.departments.len()];
    let mut supply_year: BTreeMap<i32, u64> = BTreeMap::new();
    for (dep, years) in inst.departments.iter().zip(&mut supply_dep_year) {
        for m in horizon.months() {
            let slots = u64::from(dep.capacity_in(m));
            *years.entry(m.year()).or_default() += slots;
            *supply_year.entry(m.year()).or_default() += slots;
        }
    }
    let _ = writeln!(
        t,
        "  per year: expected demand (each doctor's months spread over their window) vs slot-months offered"
    );
    for (y, demand) in &by_year {
        let supply = supply_year.get(y).copied().unwrap_or(0);
        let _ = writeln!(
            t,
            "  {y}: demand {demand:>6.1}  supply {supply:>5}  ({:.0} %)",
            100.0 * demand / supply.max(1) as f64
        );
    }

    // Supply per department.
    let _ = writeln!(
        t,
        "\nSlots per department (slot-months per year; start months; min fill):"
    );
    for k in inst.department_ids() {
        let dep = inst.department(k);
        let per_year: Vec<String> = supply_dep_year[k.index()]
            .iter()
            .map(|(y, n)| format!("{y}:{n}"))
            .collect();
        let starts = if dep.start_months.is_empty() {
            "any".to_string()
        } else {
            dep.start_months
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(";")
        };
        let _ = writeln!(
            t,
            "  {:<32} {}  starts {starts}{}",
            inst.department_label(k),
            per_year.join(" "),
            if dep.min_fill > 0 {
                format!("  min fill {}", dep.min_fill)
            } else {
                String::new()
            }
        );
    }

    // Demand vs supply per month, where it is tight.
    let tight: Vec<(Month, f64, u64)> = horizon
        .months()
        .map(|m| {
            (
                m,
                by_month.get(&m).copied().unwrap_or(0.0),
                inst.departments
                    .iter()
                    .map(|d| u64::from(d.capacity_in(m)))
                    .sum::<u64>(),
            )
        })
        .filter(|&(_, demand, supply)| demand > 0.8 * supply as f64)
        .collect();
    if tight.is_empty() {
        let _ = writeln!(
            t,
            "\nDemand vs supply per month: expected demand stays below 80 % of the slots in every month"
        );
    } else {
        let _ = writeln!(
            t,
            "\nMonths where expected demand exceeds 80 % of the slots:"
        );
        for (m, demand, supply) in &tight {
            let _ = writeln!(t, "  {m}: demand {demand:.1} of {supply} slots");
        }
    }

    // Commutes: each doctor's nearest suitable hospital; for a doctor with several parts,
    // the part whose nearest department is furthest away (the commute they cannot avoid).
    let mut nearest_of: BTreeMap<DoctorId, (u32, HospitalId)> = BTreeMap::new();
    for d in inst.doctor_ids() {
        let doc = inst.doctor(d);
        for part in &doc.requirement {
            let options = reachable(inst, travel, d, part);
            let what = part.specialty.map_or("department".to_string(), |s| {
                format!("{} department", inst.specialty(s))
            });
            if options.is_empty() {
                let best = inst
                    .department_ids()
                    .filter(|&k| {
                        part.specialty
                            .is_none_or(|s| s == inst.department(k).specialty)
                    })
                    .map(|k| (travel.commute(inst, d, inst.department(k).hospital), k))
                    .min();
                warnings.push(match best {
                    Some((minutes, k)) => format!(
                        "doctor {} ({}) has no {what} within the {} min commute limit and will not relocate; nearest is {} at {minutes} min: they cannot be placed",
                        doc.id, inst.municipality(doc.municipality).name, doc.max_commute, inst.department_label(k)),
                    None => format!("doctor {} needs a {what}, which no hospital has", doc.id),
                });
                continue;
            }
            if let Some(&(k, minutes)) = options.iter().min_by_key(|&&(k, m)| (m, k)) {
                let h = inst.department(k).hospital;
                let e = nearest_of.entry(d).or_insert((minutes, h));
                if minutes > e.0 {
                    *e = (minutes, h);
                }
            }
        }
        warnings.extend(crate::groups::years::room_for_hospital(inst, doc));
    }
    warnings.extend(unplaceable(inst, travel, &nearest_of));
    warnings.extend(old_scheme_too_late(inst));
    warnings.extend(min_fill_above_relocation_margin(inst));
    let mut nearest: Vec<(u32, DoctorId, HospitalId)> =
        nearest_of.iter().map(|(&d, &(m, h))| (m, d, h)).collect();
    nearest.sort();
    if let (Some(short), Some(long)) = (nearest.first(), nearest.last()) {
        let _ = writeln!(
            t,
            "\nNearest suitable hospital per doctor: shortest {} min ({} → {}), longest {} min ({} → {})",
            short.0,
            inst.doctor(short.1).id,
            inst.hospital(short.2).id,
            long.0,
            inst.doctor(long.1).id,
            inst.hospital(long.2).id
        );
        let beyond: Vec<String> = nearest_of
            .iter()
            .filter(|&(&d, &(m, _))| m > inst.doctor(d).max_commute)
            .map(|(&d, _)| inst.doctor(d).id.clone())
            .collect();
        if !beyond.is_empty() {
            let _ = writeln!(
                t,
                "  must relocate for every hospital (agreed): {}",
                beyond.join(", ")
            );
        }
    }

    // Guidance groups.
    let due = inst.doctors.iter().filter(|d| d.needs_group).count() as u64;
    if due > 0 {
        let g = &inst.settings.groups;
        let needed = due.div_ceil(u64::from(g.max_size.max(1)));
        let venue_slots: u64 = inst.venues.iter().map(|v| u64::from(v.max_groups)).sum();
        let leaders: u64 = inst
            .supervisors
            .iter()
            .map(|s| u64::from(s.max_groups))
            .sum();
        let _ = writeln!(
            t,
            "\nGuidance groups: {due} doctors due; at least {needed} group(s) of {}..{}; venues host up to {venue_slots}, supervisors lead up to {leaders}",
            g.min_size, g.max_size
        );
        if needed > venue_slots.min(leaders) {
            warnings.push(format!("{due} doctors need at least {needed} groups of at most {}, but venues can host {venue_slots} and supervisors lead {leaders}", g.max_size));
        }
        let leave: Vec<(String, Option<String>)> = inst
            .doctors
            .iter()
            .filter_map(|doc| crate::groups::years::leave_in_period(inst, doc))
            .collect();
        if !leave.is_empty() {
            let _ = writeln!(t, "Leave inside guidance-group periods:");
        }
        for (line, warning) in leave {
            let _ = writeln!(t, "  {line}");
            warnings.extend(warning);
        }
        warnings.extend(crate::groups::explain::beyond_member_minutes(inst, travel));
        if due < u64::from(g.min_size) {
            warnings.push(format!(
                "only {due} doctors are due a group, fewer than min_size {}",
                g.min_size
            ));
        }
    }
    if !inst.locks.is_empty() {
        let _ = writeln!(
            t,
            "\nReview decisions (locks.csv): {} accept, {} reject",
            inst.locks
                .iter()
                .filter(|l| l.decision == Decision::Accept)
                .count(),
            inst.locks
                .iter()
                .filter(|l| l.decision == Decision::Reject)
                .count()
        );
    }
    if warnings.is_empty() {
        let _ = writeln!(t, "\nNo early warnings.");
    } else {
        let _ = writeln!(
            t,
            "\n{} early warning(s) follow on standard error.",
            warnings.len()
        );
    }
    CheckReport { text: t, warnings }
}
