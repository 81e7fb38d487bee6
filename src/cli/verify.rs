//! `alisplan verify`: re-check a plan folder against an instance, independently of the
//! solver's models.

use std::path::PathBuf;

use clap::Args;

use crate::cli::{Common, Ui, load, print_out};
use crate::error::{Error, Result};
use crate::io::plan::{read_plan, read_previous};
use crate::verify::{history_frozen, verify};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// Plan folder (with placements.csv, and groups.csv if groups were formed).
    pub plan: PathBuf,
    /// For a re-plan: the previous plan, to check that history before the re-plan month
    /// (from the plan's summary.json) is unchanged, that the blocks of doctors who left are
    /// cancelled, and that changes.csv lists exactly what changed.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &VerifyArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let inst = load(&args.instance, &ui)?;
    let (plan, _) = read_plan(&inst, &args.plan)?;
    let mut violations = verify(&inst, &plan);
    if let Some(previous) = &args.previous {
        let Some(from) = plan.replan_from else {
            return Err(Error::Infeasible(format!(
                "--previous was given but {} is not a re-plan (its summary.json has no replan.from)",
                args.plan.display()
            )));
        };
        let before = read_previous(&inst, previous)?;
        violations.extend(history_frozen(&inst, &before, &plan, from));
    }
    for v in &violations {
        print_out(&format!("{v}\n"));
    }
    if !violations.is_empty() {
        return Err(Error::Violations(violations.len()));
    }
    for u in &plan.unplaced {
        ui.warn(format!(
            "doctor {} is reported unplaced: {}",
            inst.doctor(u.doctor).id,
            u.reason
        ));
    }
    if !ui.quiet {
        print_out(&format!(
            "ok: {} passes every rule ({} blocks of {} doctors{}{})\n",
            args.plan.display(),
            plan.blocks.len(),
            inst.doctors.len(),
            plan.groups
                .as_ref()
                .map_or(String::new(), |g| format!(", {} groups", g.len())),
            if plan.unplaced.is_empty() {
                String::new()
            } else {
                format!(", {} unplaced with reasons", plan.unplaced.len())
            }
        ));
    }
    Ok(())
}
