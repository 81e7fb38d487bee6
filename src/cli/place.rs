//! `alisplan place`: hospital-service placement.

use std::path::PathBuf;

use clap::Args;

use crate::cli::{Common, SolverArgs, Ui, load};
use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::io::output::OutputDir;
use crate::io::plan::{
    GROUPS, PLACEMENTS, UNPLACED, groups_csv, placements_csv, read_placements, unplaced_csv,
};
use crate::model::{Block, Group, Instance, Lock, Month, sort_blocks};
use crate::placement::{Formulation, PlaceOptions, Placement, place};
use crate::replan::{Change, Split, changes, changes_csv, describe, notifications, replan_problem};
use crate::review::{read_decisions, review_sheets};
use crate::summary::Summary;
use crate::travel::Travel;
use crate::verify::{PlanToCheck, history_frozen, verify};

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
        place(&problem, &travel, &opts)?
    };
    report_placement(&inst, &placement, &ui);
    if args.strict && !placement.unplaced.is_empty() {
        return Err(Error::Infeasible(format!(
            "{} requirement(s) could not be placed (--strict); nothing written",
            placement.unplaced.len()
        )));
    }
    let mut summary = Summary::new(&inst, "place");
    let (written, _) = PlanOutput {
        inst: &inst,
        out: &out,
        placement: &placement,
        fixed: &[],
        previous: previous.as_deref().map(|p| (p, &split)),
        from: None,
        groups: None,
        locks: &problem.locks,
    }
    .write(&mut summary, &ui)?;
    summary.record_peak_memory();
    out.write("summary.json", &summary.to_bytes())?;
    let dir = out.commit()?;
    ui.info(format!("written to {} ({written} files)", dir.display()));
    Ok(())
}

/// A placement about to be written: the new blocks, the blocks kept fixed, and for a
/// re-plan the previous plan to compare with.
pub struct PlanOutput<'a> {
    pub inst: &'a Instance,
    pub out: &'a OutputDir,
    pub placement: &'a Placement,
    /// Blocks kept from the previous plan (history and running blocks).
    pub fixed: &'a [Block],
    /// The previous plan and how it was split, when re-planning or re-running after review.
    pub previous: Option<(&'a [Block], &'a Split)>,
    /// The re-plan month, when re-planning.
    pub from: Option<Month>,
    /// Guidance groups formed with the placement (`alisplan plan`).
    pub groups: Option<&'a [Group]>,
    /// The review decisions in force (accepted blocks are marked on the new sheets).
    pub locks: &'a [Lock],
}

impl PlanOutput<'_> {
    /// All blocks of the plan: fixed ones and the new ones.
    pub fn blocks(&self) -> Vec<Block> {
        let mut all: Vec<Block> = self
            .fixed
            .iter()
            .cloned()
            .chain(self.placement.blocks.iter().cloned())
            .collect();
        sort_blocks(&mut all);
        all
    }

    /// Re-check, then write placements.csv, unplaced.csv, groups.csv (if any), review
    /// sheets and, against a previous plan, changes.csv and notify/; add the sections to
    /// `summary`. Returns the number of files written and the changes.
    pub fn write(&self, summary: &mut Summary, ui: &Ui) -> Result<(usize, Vec<Change>)> {
        let inst = self.inst;
        let blocks = self.blocks();
        let plan = PlanToCheck {
            blocks: blocks.clone(),
            groups: self.groups.map(<[Group]>::to_vec),
            unplaced: self
                .placement
                .unplaced
                .iter()
                .map(|u| (u.doctor, u.reason.clone()))
                .collect(),
            replan_from: self.from,
            groups_only: false,
        };
        let mut problems: Vec<String> = verify(inst, &plan)
            .iter()
            .map(ToString::to_string)
            .collect();
        if let (Some((previous, _)), Some(from)) = (self.previous, self.from) {
            problems.extend(
                history_frozen(inst, previous, &blocks, from)
                    .iter()
                    .map(ToString::to_string),
            );
        }
        if !problems.is_empty() {
            for p in &problems {
                eprintln!("internal check: {p}");
            }
            return Err(Error::Solver(format!(
                "the new plan breaks {} rule(s) on re-check; nothing was written. This is a bug: please report it with the instance",
                problems.len()
            )));
        }
        let mut files = 2;
        self.out.write(PLACEMENTS, &placements_csv(inst, &blocks))?;
        self.out
            .write(UNPLACED, &unplaced_csv(inst, &self.placement.unplaced))?;
        if let Some(groups) = self.groups {
            self.out.write(GROUPS, &groups_csv(inst, groups))?;
            files += 1;
        }
        let proposals: Vec<Block> = blocks
            .iter()
            .filter(|b| self.from.is_none_or(|f| b.start >= f))
            .cloned()
            .collect();
        for (name, bytes) in review_sheets(inst, &proposals, self.locks) {
            self.out.write(&name, &bytes)?;
            files += 1;
        }
        summary.set("placement", self.placement);
        let mut found = Vec::new();
        if let Some((previous, split)) = self.previous {
            let changes = changes(previous, split, &blocks);
            self.out
                .write("changes.csv", &changes_csv(inst, &changes))?;
            files += 1;
            for (name, bytes) in notifications(inst, &changes) {
                self.out.write(&name, &bytes)?;
                files += 1;
            }
            let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
            for c in &changes {
                *by_kind.entry(c.kind.name()).or_default() += 1;
            }
            let mut section = serde_json::json!({ "changes": changes.len(), "by_kind": by_kind });
            if let Some(from) = self.from {
                section["from"] = serde_json::Value::String(from.to_string());
            }
            summary.set("replan", &section);
            if changes.is_empty() {
                ui.info("no changes to the previous plan");
            } else {
                ui.info(format!(
                    "{} change(s) to the previous plan; see changes.csv and notify/",
                    changes.len()
                ));
                for c in &changes {
                    ui.info(format!(
                        "  {} {}: {} -> {}",
                        c.kind.name(),
                        inst.doctor(c.doctor).id,
                        c.before
                            .as_ref()
                            .map_or("-".to_string(), |b| describe(inst, b)),
                        c.after
                            .as_ref()
                            .map_or("-".to_string(), |b| describe(inst, b)),
                    ));
                }
            }
            found = changes;
        }
        Ok((files, found))
    }
}

/// Print what the placement found.
pub fn report_placement(inst: &Instance, p: &Placement, ui: &Ui) {
    let (lines, warnings) = p.describe(inst);
    lines.into_iter().for_each(|l| ui.info(l));
    warnings.into_iter().for_each(|w| ui.warn(w));
}
