//! `alisplan place`: hospital-service placement.

use clap::Args;

use crate::cli::PlanningArgs;
use crate::cli::console::{print_changes, report_placement};
use crate::error::Result;
use crate::planning::Basis;
use crate::publish::{Options, publish};

/// `alisplan place INSTANCE --out DIR [--decisions DIR] [--strict] …`.
#[derive(Args, Debug)]
pub struct PlaceArgs {
    #[command(flatten)]
    pub planning: PlanningArgs,
}

pub fn run(args: &PlaceArgs) -> Result<()> {
    let args = &args.planning;
    let s = args.session("place")?;
    let mut basis = Basis::yearly(&s.inst, args.placing.decisions.as_deref())?;
    basis.deadline = args.placing.deadline;
    let solve = args.placing.solver.options(&s.inst, &args.common);
    let placement = s.place(&basis, &args.placing, solve, "placing doctors")?;
    report_placement(&s.inst, &placement, &s.ui);
    let plan = basis.assemble(&s.inst, &placement, None, None);
    let summary = basis.summary(&s.inst, "place", &plan, &placement, None);
    let published = publish(&s.inst, &plan, &summary, s.out, Options::default())?;
    print_changes(&s.inst, &plan, &s.ui);
    s.ui.info(format!(
        "written to {} ({} files)",
        published.dir.display(),
        published.files.len()
    ));
    Ok(())
}
