//! `alisplan plan`: hospital placements, guidance groups, review sheets, summary and report
//! in one command — the yearly job of a regional ALIS office.

use clap::Args;

use crate::cli::PlanningArgs;
use crate::cli::console::{groups_report, print_changes, report_placement};
use crate::error::Result;
use crate::planning::{Basis, placement_before_groups, plan_groups};
use crate::publish::{Options, publish};

/// `alisplan plan INSTANCE --out DIR [--decisions DIR] [--strict] …`.
#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub planning: PlanningArgs,
}

pub fn run(args: &PlanArgs) -> Result<()> {
    let args = &args.planning;
    let s = args.session("plan")?;
    let mut basis = Basis::yearly(&s.inst, args.placing.decisions.as_deref())?;
    basis.deadline = args.placing.deadline;
    let solve = args.placing.solver.options(&s.inst, &args.common);
    let first = placement_before_groups(&s.inst, &solve);
    let placement = s.place(&basis, &args.placing, first, "placing doctors")?;
    report_placement(&s.inst, &placement, &s.ui);
    let groups = {
        let _spin = s.ui.spinner("forming guidance groups");
        plan_groups(&s.inst, &s.travel, &solve)?
    };
    match &groups {
        Some(g) => s.ui.info(groups_report(&s.inst, g)),
        None => s.ui.info("no doctor is due a guidance group"),
    }
    let plan = basis.assemble(
        &s.inst,
        &placement,
        groups.as_ref().map(|g| g.groups.clone()),
        None,
    );
    let summary = basis.summary(&s.inst, "plan", &plan, &placement, groups.as_ref());
    let options = Options {
        report: true,
        previous: None,
        calendars_before: args.placing.decisions.as_deref(),
    };
    let published = publish(&s.inst, &plan, &summary, s.out, options)?;
    print_changes(&s.inst, &plan, &s.ui);
    s.ui.info(format!(
        "written to {}: placements.csv, groups.csv, hospitals/ (review workbooks and sheets), review.csv, report.html, calendars/",
        published.dir.display()
    ));
    Ok(())
}
