//! `alisplan replan`: re-plan from a month on, keeping history and changing as little of
//! the published plan as possible.

use std::path::PathBuf;

use clap::Args;

use crate::cli::PlanningArgs;
use crate::cli::console::{print_changes, report_placement};
use crate::error::Result;
use crate::model::Month;
use crate::planning::Basis;
use crate::publish::{Options, publish};

/// `alisplan replan INSTANCE --previous DIR --from YYYY-MM --out DIR …`; the instance
/// holds today's leave, capacities and decisions.
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
    let mut basis = Basis::replan(
        &s.inst,
        &replan.previous,
        replan.from,
        args.placing.decisions.as_deref(),
    )?;
    basis.deadline = args.placing.deadline;
    let solve = args.placing.solver.options(&s.inst, &args.common);
    let placement = s.place(&basis, &args.placing, solve, "re-planning")?;
    s.ui.info(format!(
        "kept {} block(s) that started before {} ({} extended around new leave); placing what is still to serve:",
        basis.split.fixed.len(),
        replan.from,
        basis.split.extended.len()
    ));
    report_placement(&s.inst, &placement, &s.ui);
    let plan = basis.assemble(&s.inst, &placement, basis.previous_groups.clone());
    let summary = basis.summary(&s.inst, "replan", &plan, &placement, None);
    let options = Options {
        report: true,
        previous: basis.previous.as_deref(),
        calendars_before: Some(&replan.previous),
    };
    let published = publish(&s.inst, &plan, &summary, s.out, options)?;
    print_changes(&s.inst, &plan, &s.ui);
    s.ui.info(format!("written to {}", published.dir.display()));
    Ok(())
}
