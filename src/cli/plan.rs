//! `alisplan plan`: hospital placements, guidance groups, review sheets, summary and report
//! in one command — the yearly job of a regional ALIS office.

use std::path::PathBuf;

use clap::Args;

use crate::cli::groups::report as groups_report;
use crate::cli::place::{PlaceTuning, PlanOutput, report_placement};
use crate::cli::{Common, SolverArgs, Ui, load};
use crate::error::{Error, Result};
use crate::groups::form_groups;
use crate::io::output::OutputDir;
use crate::io::plan::{PLACEMENTS, read_placements};
use crate::placement::place;
use crate::replan::{Split, replan_problem, report_changes};
use crate::report::{ReportInput, render, write_into};
use crate::review::read_decisions;
use crate::summary::Summary;
use crate::travel::Travel;

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// Output folder for the whole plan.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Fail (exit 1, nothing written) if any doctor cannot be placed.
    #[arg(long)]
    pub strict: bool,
    /// A plan folder whose review sheets (hospitals/<id>.csv) the hospitals filled in:
    /// accepted blocks are kept, rejected ones avoided, and the rest stays close to it.
    #[arg(long, value_name = "DIR")]
    pub decisions: Option<PathBuf>,
    #[command(flatten)]
    pub tuning: PlaceTuning,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &PlanArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let inst = load(&args.instance, &ui)?;
    let out = OutputDir::create(&args.out, args.force, Some(&args.instance))?;
    let travel = Travel::new(&inst);
    let solve = args.solver.options(&inst, &args.common);
    let mut locks = inst.locks.clone();
    let mut previous = None;
    if let Some(dir) = &args.decisions {
        locks.extend(read_decisions(&inst, dir)?);
        if dir.join(PLACEMENTS).exists() {
            previous = Some(read_placements(&inst, dir)?);
        }
    }
    let split = Split {
        future: previous.clone().unwrap_or_default(),
        ..Split::default()
    };
    let problem = replan_problem(&inst, &split, None, locks);
    let placement = {
        let _spin = ui.spinner("placing doctors");
        place(&problem, &travel, &args.tuning.options(solve.clone()))?
    };
    report_placement(&inst, &placement, &ui);
    if args.strict && !placement.unplaced.is_empty() {
        return Err(Error::Infeasible(format!(
            "{} requirement(s) could not be placed (--strict); nothing written",
            placement.unplaced.len()
        )));
    }
    let due = inst.doctors.iter().any(|d| d.needs_group);
    let groups = if due {
        let _spin = ui.spinner("forming guidance groups");
        let g = form_groups(&inst, &travel, &solve).map_err(|e| match e {
            Error::Infeasible(why) => Error::Infeasible(format!(
                "the guidance groups cannot be formed, so no plan was written: {why}\n(`alisplan place` writes the hospital placements alone)"
            )),
            other => other,
        })?;
        ui.info(groups_report(&inst, &g));
        Some(g)
    } else {
        ui.info("no doctor is due a guidance group");
        None
    };
    let mut summary = Summary::new(&inst, "plan");
    if let Some(g) = &groups {
        summary.set("groups", g);
    }
    let output = PlanOutput {
        inst: &inst,
        out: &out,
        placement: &placement,
        fixed: &[],
        previous: previous.as_deref().map(|p| (p, &split)),
        from: None,
        groups: groups.as_ref().map(|g| g.groups.as_slice()),
        locks: &problem.locks,
    };
    let (_, changes) = output.write(&mut summary, &ui)?;
    let input = ReportInput {
        blocks: output.blocks(),
        groups: groups.as_ref().map(|g| g.groups.clone()),
        unplaced: placement.unplaced.clone(),
        summary: Some(summary.clone()),
        changes: previous.as_ref().map(|_| report_changes(&inst, &changes)),
    };
    write_into(&out, &render(&inst, &input))?;
    summary.record_peak_memory();
    out.write("summary.json", &summary.to_bytes())?;
    let dir = out.commit()?;
    ui.info(format!(
        "written to {}: placements.csv, groups.csv, hospitals/ (review sheets), report.html, calendars/",
        dir.display()
    ));
    Ok(())
}
