//! `alisplan replan`: re-plan from a month on, keeping history and changing as little of
//! the published plan as possible.

use std::path::PathBuf;

use clap::Args;

use crate::cli::place::{PlaceTuning, PlanOutput, report_placement};
use crate::cli::{Common, SolverArgs, Ui, load};
use crate::error::Result;
use crate::io::output::OutputDir;
use crate::io::plan::{read_groups, read_placements};
use crate::model::Month;
use crate::placement::place;
use crate::replan::{replan_problem, report_changes, split_previous};
use crate::report::{ReportInput, render, write_into};
use crate::review::read_decisions;
use crate::summary::Summary;
use crate::travel::Travel;

#[derive(Args, Debug)]
pub struct ReplanArgs {
    /// Instance folder (with today's leave, capacities and decisions).
    pub instance: PathBuf,
    /// The published plan folder to start from.
    #[arg(long, value_name = "DIR")]
    pub previous: PathBuf,
    /// First month that may change; earlier months are history.
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Month,
    /// Output folder for the new plan, changes.csv and notify/.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// A plan folder whose review sheets the hospitals filled in (accept / reject).
    #[arg(long, value_name = "DIR")]
    pub decisions: Option<PathBuf>,
    #[command(flatten)]
    pub tuning: PlaceTuning,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &ReplanArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let inst = load(&args.instance, &ui)?;
    let previous = read_placements(&inst, &args.previous)?;
    let out = OutputDir::create(&args.out, args.force, Some(&args.instance))?;
    let mut locks = inst.locks.clone();
    if let Some(dir) = &args.decisions {
        locks.extend(read_decisions(&inst, dir)?);
    }
    let split = split_previous(&inst, &previous, args.from)?;
    let problem = replan_problem(&inst, &split, Some(args.from), locks);
    let travel = Travel::new(&inst);
    let opts = args
        .tuning
        .options(args.solver.options(&inst, &args.common));
    let placement = {
        let _spin = ui.spinner("re-planning");
        place(&problem, &travel, &opts)?
    };
    ui.info(format!(
        "kept {} block(s) that started before {} ({} extended around new leave); placing what is still to serve:",
        split.fixed.len(),
        args.from,
        split.extended.len()
    ));
    report_placement(&inst, &placement, &ui);
    // Guidance groups do not depend on the months in hospital: they are kept as they were.
    let groups = read_groups(&inst, &args.previous)?;
    let mut summary = Summary::new(&inst, "replan");
    let output = PlanOutput {
        inst: &inst,
        out: &out,
        placement: &placement,
        fixed: &split.fixed,
        previous: Some((&previous, &split)),
        from: Some(args.from),
        groups: groups.as_deref(),
        locks: &problem.locks,
    };
    let (_, changes) = output.write(&mut summary, &ui)?;
    if let Some(mut replan) = summary.get("replan").cloned() {
        replan["previous"] = serde_json::Value::String(args.previous.display().to_string());
        summary.set("replan", &replan);
    }
    let input = ReportInput {
        blocks: output.blocks(),
        groups: groups.clone(),
        unplaced: placement.unplaced.clone(),
        summary: Some(summary.clone()),
        changes: Some(report_changes(&inst, &changes)),
    };
    write_into(&out, &render(&inst, &input))?;
    summary.record_peak_memory();
    out.write("summary.json", &summary.to_bytes())?;
    let dir = out.commit()?;
    ui.info(format!("written to {}", dir.display()));
    Ok(())
}
