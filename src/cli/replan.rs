//! `alisplan replan`: re-plan from a month on, keeping history and changing as little of
//! the published plan as possible, with the roster as it is today (joiners, leavers,
//! changed doctors, late leave, lost slots).

use std::path::PathBuf;

use clap::Args;

use crate::cli::PlanningArgs;
use crate::cli::console::{print_changes, report_placement};
use crate::error::Result;
use crate::model::Month;
use crate::planning::Basis;
use crate::publish::{Options, publish};

/// `alisplan replan INSTANCE --previous DIR --from YYYY-MM --out DIR …`; the instance
/// holds today's roster, leave, capacities and decisions.
#[derive(Args, Debug)]
pub struct ReplanArgs {
    #[command(flatten)]
    pub planning: PlanningArgs,
    /// The published plan folder to start from.
    #[arg(long, value_name = "DIR")]
    pub previous: PathBuf,
    /// First month that may change; earlier months are history.
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Month,
}

pub fn run(replan: &ReplanArgs) -> Result<()> {
    let args = &replan.planning;
    let s = args.session("replan")?;
    let horizon = s.inst.horizon();
    if replan.from < horizon.first {
        s.ui.warn(format!(
            "--from {} is before the horizon starts ({}): no month of the previous plan is history, so every block may change",
            replan.from, horizon.first
        ));
    }
    let mut basis = Basis::replan(
        &s.inst,
        &s.travel,
        &replan.previous,
        replan.from,
        args.placing.decisions.as_deref(),
    )?;
    basis.deadline = args.placing.deadline;
    if let (Some(roster), Some(previous)) = (&basis.roster, &basis.previous)
        && !roster.is_empty()
    {
        let heading = previous.dir.display().to_string();
        s.ui.info(crate::roster::describe(&s.inst, roster, &heading).trim_end());
    }
    let solve = args.placing.solver.options(&s.inst, &args.common);
    let placement = s.place(&basis, &args.placing, solve.clone(), "re-planning")?;
    s.ui.info(format!(
        "kept {} block(s) that started before {}; placing what is still to serve:",
        basis.split.fixed.len(),
        replan.from,
    ));
    for e in &basis.split.events {
        s.ui.info(format!(
            "  {} {} {} -> {}: {}",
            e.kind,
            s.inst.doctor(e.after.doctor).id,
            e.before.stint().describe(&s.inst),
            e.after.span(),
            e.reason
        ));
    }
    report_placement(&s.inst, &placement, &s.ui);
    for u in &basis.remaining.unplaceable {
        s.ui.warn(format!(
            "doctor {}: {}",
            s.inst.doctor(u.doctor).id,
            u.reason
        ));
    }
    let regrouped = {
        let _spin = s.ui.spinner("fitting the guidance groups");
        basis.regroup(&s.inst, &s.travel, &solve)?
    };
    for note in regrouped.iter().flat_map(|r| &r.notes) {
        s.ui.info(format!("groups: {note}"));
    }
    let (groups, group_changes) = match regrouped {
        Some(r) => (Some(r.groups), Some(r.changes)),
        None => (None, None),
    };
    let plan = basis.assemble(&s.inst, &placement, groups, group_changes);
    let summary = basis.summary(&s.inst, "replan", &plan, &placement, None);
    let options = Options {
        report: true,
        previous: basis.previous.as_ref(),
        calendars_before: Some(&replan.previous),
    };
    let published = publish(&s.inst, &plan, &summary, s.out, options)?;
    print_changes(&s.inst, &plan, &s.ui);
    s.ui.info(format!("written to {}", published.dir.display()));
    Ok(())
}
