//! `alisplan place`: hospital-service placement.

use std::path::PathBuf;

use clap::Args;

use crate::cli::{Common, SolverArgs, Ui, load};
use crate::error::{Error, Result};
use crate::io::output::OutputDir;
use crate::io::plan::{placements_csv, unplaced_csv};
use crate::model::Instance;
use crate::placement::{Formulation, PlaceOptions, Placement, Problem, place};
use crate::review::review_sheets;
use crate::summary::Summary;
use crate::travel::Travel;
use crate::verify::{PlanToCheck, verify};

#[derive(Args, Debug)]
pub struct PlaceArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// Output folder for placements.csv, unplaced.csv, summary.json and hospitals/*.csv.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Fail (exit 1, nothing written) if any doctor cannot be placed.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub tuning: PlaceTuning,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub common: Common,
}

/// Switches to compare formulations (for benchmarks and curiosity).
#[derive(Args, Debug, Clone, Default)]
pub struct PlaceTuning {
    /// Use the plain textbook formulation (every row, no warm start).
    #[arg(long)]
    pub plain: bool,
    /// Solve the whole instance as one model instead of independent parts.
    #[arg(long)]
    pub no_decompose: bool,
}

impl PlaceTuning {
    pub fn options(&self, solver: crate::solver::SolveOptions) -> PlaceOptions {
        let mut o = PlaceOptions::new(solver);
        if self.plain {
            o.formulation = Formulation::Plain;
        }
        o.decompose = !self.no_decompose;
        o
    }
}

pub fn run(args: &PlaceArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let inst = load(&args.instance, &ui)?;
    let out = OutputDir::create(&args.out, args.force, Some(&args.instance))?;
    let travel = Travel::new(&inst);
    let opts = args
        .tuning
        .options(args.solver.options(&inst, &args.common));
    let problem = Problem::new(&inst);
    let placement = {
        let _spin = ui.spinner("placing doctors");
        place(&problem, &travel, &opts)?
    };
    report_placement(&inst, &placement, &ui);
    if args.strict && !placement.unplaced.is_empty() {
        return Err(Error::Infeasible(format!(
            "{} requirement(s) could not be placed (--strict); nothing written",
            placement.unplaced.len()
        )));
    }
    check_before_writing(&inst, &placement.blocks, None, &placement)?;
    write_placement(&inst, &out, &placement, None)?;
    let mut summary = Summary::new(&inst, "place");
    summary.set("placement", &placement);
    out.write("summary.json", &summary.to_bytes())?;
    let dir = out.commit()?;
    ui.info(format!("written to {}", dir.display()));
    Ok(())
}

/// Refuse to write a plan that `verify` would reject: a bug must never reach a hospital.
pub fn check_before_writing(
    inst: &Instance,
    blocks: &[crate::model::Block],
    groups: Option<&[crate::model::Group]>,
    placement: &Placement,
) -> Result<()> {
    let plan = PlanToCheck {
        blocks: blocks.to_vec(),
        groups: groups.map(<[_]>::to_vec),
        unplaced: placement
            .unplaced
            .iter()
            .map(|u| (u.doctor, u.reason.clone()))
            .collect(),
        replan_from: None,
    };
    let violations = verify(inst, &plan);
    if violations.is_empty() {
        return Ok(());
    }
    for v in &violations {
        eprintln!("internal check: {v}");
    }
    Err(Error::Solver(format!(
        "the solver's plan breaks {} rule(s) on re-check; nothing was written. This is a bug: please report it with the instance",
        violations.len()
    )))
}

/// Write placements.csv, unplaced.csv and the hospital review sheets.
pub fn write_placement(
    inst: &Instance,
    out: &OutputDir,
    placement: &Placement,
    _previous: Option<&[crate::model::Block]>,
) -> Result<()> {
    out.write("placements.csv", &placements_csv(inst, &placement.blocks))?;
    out.write("unplaced.csv", &unplaced_csv(inst, &placement.unplaced))?;
    for (name, bytes) in review_sheets(inst, &placement.blocks) {
        out.write(&name, &bytes)?;
    }
    Ok(())
}

/// Print what the placement found.
pub fn report_placement(inst: &Instance, p: &Placement, ui: &Ui) {
    let o = &p.outcome;
    let status = if o.status.is_optimal() {
        "proven optimal".to_string()
    } else {
        format!(
            "{} (gap {:.2} % to the bound {:.1})",
            o.status.label(),
            100.0 * o.gap,
            o.bound
        )
    };
    ui.info(format!(
        "placed {} of {} doctors in {} blocks; {status}; objective {:.1}; {:.2} s; {} variables, {} constraints in {} part(s)",
        p.fairness.placed_doctors,
        inst.doctors.len(),
        p.blocks.len(),
        o.objective,
        o.seconds,
        o.variables,
        o.constraints,
        p.size.parts
    ));
    ui.info(format!(
        "daily commute: longest {} min, mean {:.0} min; {} doctor(s) relocate",
        p.fairness.max_commute_minutes,
        p.fairness.mean_commute_minutes,
        p.fairness.relocated_doctors
    ));
    for u in &p.unplaced {
        ui.warn(format!(
            "doctor {} not placed: {}",
            inst.doctor(u.doctor).id,
            u.reason
        ));
    }
}
