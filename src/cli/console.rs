//! What the commands print about a plan: the placement, the guidance groups and the
//! changes against a previous plan. Shared by the commands; it prints, it decides nothing.

use crate::cli::Ui;
use crate::groups::GroupsResult;
use crate::model::{Instance, Plan};
use crate::placement::Placement;

/// Print what the placement found.
pub fn report_placement(inst: &Instance, p: &Placement, ui: &Ui) {
    let (lines, warnings) = p.describe(inst);
    lines.into_iter().for_each(|l| ui.info(l));
    warnings.into_iter().for_each(|w| ui.warn(w));
}

/// The short human summary printed after forming groups.
pub fn groups_report(inst: &Instance, r: &GroupsResult) -> String {
    let o = &r.outcome;
    let status = o.describe();
    let name = if inst.settings.name.is_empty() {
        inst.dir.display().to_string()
    } else {
        inst.settings.name.clone()
    };
    let mut lines = vec![format!(
        "{name}: {} doctors in {} guidance groups ({status}, {:.1} s, {} variables, {} constraints)",
        r.doctors, r.group_count, o.seconds, o.variables, o.constraints
    )];
    for g in &r.per_group {
        lines.push(format!(
            "  {:<4} {:<14} led by {:<6} {:>2} members  {} pattern, {} meetings/year  travel mean {:.0} min, max {} min  supervisor {} min",
            g.group,
            g.venue,
            g.supervisor,
            g.size,
            g.pattern.label(),
            g.meetings_per_year,
            g.mean_member_minutes,
            g.max_member_minutes,
            g.supervisor_minutes
        ));
    }
    let t = |k: &str| r.terms.get(k).copied().unwrap_or(0.0);
    lines.push(format!(
        "  objective {:.0} NOK = groups {:.0} + member travel {:.0} + supervisor travel {:.0} + balance {:.0}; bound {}",
        o.objective,
        t("groups"),
        t("member_travel"),
        t("supervisor_travel"),
        t("balance"),
        o.bound_text()
    ));
    if !r.group_count_reason.is_empty() {
        lines.push(format!("  {}", r.group_count_reason));
    }
    lines.extend(r.notes.iter().map(|n| format!("  note: {n}")));
    lines.join("\n")
}

/// The changes against the previous plan, one line each, then the guidance-group changes.
pub fn print_changes(inst: &Instance, plan: &Plan, ui: &Ui) {
    let Some(changes) = &plan.changes else {
        return;
    };
    let total = changes.len() + plan.departed.len();
    if total == 0 {
        ui.info("no changes to the previous plan");
    } else {
        ui.info(format!(
            "{total} change(s) to the previous plan; see changes.csv and notify/"
        ));
    }
    let describe =
        |s: Option<&crate::model::Stint>| s.map_or("-".to_string(), |s| s.describe(inst));
    for c in changes {
        ui.info(format!(
            "  {} {}: {} -> {}",
            c.kind.name(),
            inst.doctor(c.doctor).id,
            describe(c.before.as_ref()),
            describe(c.after.as_ref()),
        ));
    }
    for c in &plan.departed {
        ui.info(format!(
            "  {} {} (left the programme): {} -> {}",
            c.kind.name(),
            c.doctor,
            describe(Some(&c.before)),
            describe(c.after.as_ref()),
        ));
    }
    if let Some(groups) = plan.group_changes.as_ref().filter(|g| !g.is_empty()) {
        ui.info(format!(
            "{} guidance-group change(s); see group_changes.csv",
            groups.len()
        ));
        for g in groups {
            ui.info(format!(
                "  {} {}: {} -> {}",
                g.kind(),
                g.doctor,
                g.before.as_deref().unwrap_or("-"),
                g.after.as_deref().unwrap_or("-")
            ));
        }
    }
}
