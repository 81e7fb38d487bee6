//! `alisplan compare`: what differs between two plans of the same (or a compatible)
//! instance — blocks moved, added and removed, doctors affected, each objective term,
//! substitute months per municipality, commute, unplaced parts and groups.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::analysis::compare::{Comparison, Pair, Side, compare, files, incompatible};
use crate::analysis::{Priced, instance_of_plan};
use crate::cli::{Common, Ui, load, print_out};
use crate::error::{Diagnostic, Error, Result};
use crate::io::output::{Kind, OutputDir};
use crate::io::plan::{SUMMARY, read_plan};
use crate::model::{Instance, Plan};
use crate::travel::Travel;

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Plan folder A (the reference).
    pub plan_a: PathBuf,
    /// Plan folder B (the what-if).
    pub plan_b: PathBuf,
    /// Instance folder of plan A (default: the one its summary.json names); also plan B's
    /// unless --instance-b is given.
    #[arg(long, value_name = "DIR")]
    pub instance: Option<PathBuf>,
    /// Instance folder of plan B, when it was made for another version of the instance
    /// (e.g. with one more slot); it must have the same doctors, departments and
    /// municipalities.
    #[arg(long, value_name = "DIR")]
    pub instance_b: Option<PathBuf>,
    /// Write the comparison into this folder (blocks.csv, terms.csv,
    /// substitute_months.csv, commute.csv, unplaced.csv, groups.csv, comparison.json).
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists (only one alisplan wrote as a comparison).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &CompareArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let dir_a = instance_of_plan(&args.plan_a, args.instance.as_deref())?;
    let dir_b = instance_of_plan(
        &args.plan_b,
        args.instance_b.as_deref().or(args.instance.as_deref()),
    )?;
    let out = match &args.out {
        Some(o) => Some(OutputDir::create_kind(
            o,
            args.force,
            None,
            Kind::Comparison,
            "compare",
        )?),
        None => None,
    };
    let inst_a = load(&dir_a, &ui)?;
    let same = same_folder(&dir_a, &dir_b);
    let inst_b = if same { None } else { Some(load(&dir_b, &ui)?) };
    let inst_b_ref = inst_b.as_ref().unwrap_or(&inst_a);
    if let Some(why) = incompatible(&inst_a, inst_b_ref) {
        return Err(Error::input(
            format!(
                "plans {} and {}",
                args.plan_a.display(),
                args.plan_b.display()
            ),
            vec![Diagnostic::file(
                SUMMARY,
                "different-instances",
                format!(
                    "the plans are of instances that cannot be compared: {} ({}) and {} ({}): {why}",
                    inst_a.settings.name,
                    dir_a.display(),
                    inst_b_ref.settings.name,
                    dir_b.display()
                ),
            )],
        ));
    }
    let plan_a = read(&inst_a, &args.plan_a)?;
    let plan_b = read(inst_b_ref, &args.plan_b)?;
    let side = |inst: &'_ Instance, plan: &Plan| -> std::collections::BTreeMap<String, f64> {
        let travel = Travel::new(inst);
        Priced::new(inst, &travel, &plan.blocks).terms()
    };
    let a = Side {
        inst: &inst_a,
        plan: &plan_a,
        terms: side(&inst_a, &plan_a),
    };
    let b = Side {
        inst: inst_b_ref,
        plan: &plan_b,
        terms: side(inst_b_ref, &plan_b),
    };
    for (name, side) in [("A", &a), ("B", &b)] {
        let broken = crate::verify::verify(side.inst, side.plan).len();
        if broken > 0 {
            ui.warn(format!(
                "plan {name} breaks {broken} rule(s); `alisplan verify` lists them. It is compared as it stands"
            ));
        }
    }
    let c = compare(&a, &b);
    if !ui.quiet {
        print_out(&text(&c, &args.plan_a, &args.plan_b));
    }
    if let Some(out) = out {
        for (name, bytes) in files(&c) {
            out.write(name, &bytes)?;
        }
        let dir = out.commit()?;
        ui.info(format!("written to {}", dir.display()));
    }
    Ok(())
}

fn read(inst: &Instance, dir: &Path) -> Result<Plan> {
    let (plan, _) = read_plan(inst, dir)?;
    Ok(plan)
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn pairs_text(s: &mut String, title: &str, rows: &[Pair], all: bool) {
    let rows: Vec<&Pair> = rows
        .iter()
        .filter(|p| all || p.difference.abs() > 1e-9)
        .collect();
    if rows.is_empty() {
        let _ = writeln!(s, "{title}: no difference");
        return;
    }
    let _ = writeln!(s, "{title} (A, B, B − A):");
    for p in rows {
        let _ = writeln!(
            s,
            "  {:<32} {:>12.1} {:>12.1} {:>+12.1}",
            p.name, p.a, p.b, p.difference
        );
    }
}

/// The comparison as console text.
pub fn text(c: &Comparison, a: &Path, b: &Path) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "A = {}, B = {}", a.display(), b.display());
    let _ = writeln!(
        s,
        "{} block change(s); {} doctor(s) affected{}",
        c.blocks.len(),
        c.doctors_affected.len(),
        if c.doctors_affected.is_empty() {
            String::new()
        } else {
            format!(": {}", c.doctors_affected.join(", "))
        }
    );
    for x in &c.blocks {
        let _ = writeln!(
            s,
            "  {} {}: {} -> {}",
            x.doctor,
            x.kind,
            x.a.as_deref().unwrap_or("(none)"),
            x.b.as_deref().unwrap_or("(none)")
        );
    }
    pairs_text(&mut s, "objective terms", &c.terms, true);
    pairs_text(
        &mut s,
        "substitute months per municipality",
        &c.substitute_months,
        false,
    );
    pairs_text(&mut s, "commute", &c.commute, true);
    pairs_text(&mut s, "unplaced months", &c.unplaced, false);
    if c.groups.is_empty() {
        let _ = writeln!(s, "guidance groups: no difference");
    } else {
        let _ = writeln!(s, "guidance groups (A -> B):");
        for (d, x, y) in &c.groups {
            let _ = writeln!(
                s,
                "  {d}: {} -> {}",
                x.as_deref().unwrap_or("(none)"),
                y.as_deref().unwrap_or("(none)")
            );
        }
    }
    s
}
