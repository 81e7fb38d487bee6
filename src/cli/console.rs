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
        "  objective {:.0} = member travel {:.0} + supervisor travel {:.0} + balance {:.0}; bound {}",
        o.objective,
        t("member_travel"),
        t("supervisor_travel"),
        t("balance"),
        o.bound_text()
    ));
    lines.extend(r.notes.iter().map(|n| format!("  note: {n}")));
    lines.join("\n")
}

/// The changes against the previous plan, one line each.
pub fn print_changes(inst: &Instance, plan: &Plan, ui: &Ui) {
    let Some(changes) = &plan.changes else {
        return;
    };
    if changes.is_empty() {
        ui.info("no changes to the previous plan");
        return;
    }
    ui.info(format!(
        "{} change(s) to the previous plan; see changes.csv and notify/",
        changes.len()
    ));
    let describe =
        |s: &Option<crate::model::Stint>| s.as_ref().map_or("-".to_string(), |s| s.describe(inst));
    for c in changes {
        ui.info(format!(
            "  {} {}: {} -> {}",
            c.kind.name(),
            inst.doctor(c.doctor).id,
            describe(&c.before),
            describe(&c.after),
        ));
    }
}
