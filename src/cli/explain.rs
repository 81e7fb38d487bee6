//! `alisplan explain`: why a doctor has the blocks a plan gives them, what each costs term
//! by term, the best alternatives and what blocks each, and what forbidding the chosen
//! department would cost (re-solved, reported proven or not).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::analysis::why::{Depth, Explanation, Site, explain};
use crate::analysis::{Priced, instance_of_plan};
use crate::cli::{Common, SolverArgs, Ui, load, print_out};
use crate::error::{Diagnostic, Error, Result};
use crate::io::output::write_file_atomically;
use crate::io::plan::read_placement_plan;
use crate::travel::Travel;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Plan folder (written by `place`, `plan` or `replan`).
    pub plan: PathBuf,
    /// The doctor's id, as in doctors.csv.
    pub doctor: String,
    /// Instance folder (default: the one the plan's summary.json names).
    #[arg(long, value_name = "DIR")]
    pub instance: Option<PathBuf>,
    /// Alternatives listed at most.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub alternatives: usize,
    /// Do not re-solve with the chosen department forbidden (only price alternatives
    /// against the plan as it is).
    #[arg(long)]
    pub no_resolve: bool,
    /// Write the explanation to FILE as CSV (name ends in .csv) or JSON (.json); must not
    /// exist unless --force.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &ExplainArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let format = match &args.out {
        Some(path) => Some(out_format(path, args.force)?),
        None => None,
    };
    let dir = instance_of_plan(&args.plan, args.instance.as_deref())?;
    let inst = load(&dir, &ui)?;
    let (plan, _) = read_placement_plan(
        &inst,
        &args.plan,
        "explain needs a plan's hospital placements",
    )?;
    let Some(d) = inst.doctor_id(&args.doctor) else {
        return Err(Error::input(
            format!("doctor {}", args.doctor),
            vec![Diagnostic::file(
                "doctors.csv",
                "unknown-doctor",
                format!(
                    "no doctor '{}' in {}/doctors.csv",
                    args.doctor,
                    dir.display()
                ),
            )],
        ));
    };
    if let Some(from) = plan.replan_from {
        ui.warn(format!(
            "{} is a re-plan from {from}: it is explained as a fresh plan of the instance, so alternatives and the re-solve may move blocks before {from}",
            args.plan.display()
        ));
    }
    let travel = Travel::new(&inst);
    let priced = Priced::new(&inst, &travel, &plan.blocks);
    let depth = Depth {
        alternatives: args.alternatives,
        verify: true,
        resolve: (!args.no_resolve).then(|| args.solver.options(&inst, &args.common)),
    };
    let e = explain(&priced, &travel, &plan, d, &depth)?;
    if !ui.quiet {
        print_out(&text(&e));
    }
    if let (Some(path), Some(json)) = (&args.out, format) {
        let bytes = if json { json_bytes(&e) } else { csv_bytes(&e) };
        write_file_atomically(path, &bytes)?;
        ui.info(format!("written to {}", path.display()));
    }
    Ok(())
}

/// Whether `path` is to be JSON (else CSV); refuses a file that exists without `force`,
/// a folder, and any other extension, before anything is computed.
fn out_format(path: &std::path::Path, force: bool) -> Result<bool> {
    let json = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("csv") => false,
        _ => {
            return Err(Error::Usage(format!(
                "--out {}: the file name must end in .csv or .json",
                path.display()
            )));
        }
    };
    if path.is_dir() {
        return Err(Error::UnsafeOutput {
            path: path.to_path_buf(),
            why: "it is a folder, not a file".into(),
        });
    }
    if path.exists() && !force {
        return Err(Error::OutputExists(path.to_path_buf()));
    }
    Ok(json)
}

fn terms_text(terms: &std::collections::BTreeMap<String, f64>) -> String {
    if terms.values().all(|v| v.abs() <= 1e-9) {
        return "no term changes".to_string();
    }
    terms
        .iter()
        .filter(|(_, v)| v.abs() > 1e-9)
        .map(|(k, v)| format!("{k} {v:+.1}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The explanation as console text.
pub fn text(e: &Explanation) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "doctor {}", e.doctor);
    if e.chosen.is_empty() {
        let _ = writeln!(s, "  no hospital block in the plan");
    }
    for c in &e.chosen {
        let how = if c.site.relocate {
            "relocates"
        } else {
            "daily commute"
        };
        let _ = writeln!(
            s,
            "  chosen: {} {} ({} min, {how}); its terms: {} (sum {:.1})",
            c.site.department,
            c.site.months,
            c.site.commute_minutes,
            terms_text(&c.terms),
            c.terms.values().sum::<f64>()
        );
    }
    for u in &e.unplaced {
        let _ = writeln!(s, "  unplaced: {u}");
    }
    let _ = writeln!(
        s,
        "  what the doctor's blocks add to the plan's objective: {:.1} ({})",
        e.contribution.values().sum::<f64>(),
        terms_text(&e.contribution)
    );
    if !e.alternatives.is_empty() {
        let _ = writeln!(
            s,
            "best alternatives (cost difference with the rest of the plan as it is):"
        );
    }
    for a in &e.alternatives {
        let why = if a.blocked_by.is_empty() {
            if a.difference > 1e-9 {
                "possible, but costs more".to_string()
            } else {
                "possible at no extra cost (a tie)".to_string()
            }
        } else {
            a.blocked_by
                .iter()
                .map(|b| format!("blocked by {}: {}", b.rule, b.text))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = writeln!(
            s,
            "  {} {} instead of {} ({} min{}): {:+.1} ({}); {why}",
            a.site.department,
            a.site.months,
            a.instead_of,
            a.site.commute_minutes,
            if a.site.relocate { ", relocates" } else { "" },
            a.difference,
            terms_text(&a.terms)
        );
    }
    if !e.impossible.is_empty() {
        let _ = writeln!(s, "departments where the rules allow the doctor no block:");
    }
    for i in &e.impossible {
        let _ = writeln!(s, "  {}: {}", i.department, i.text);
    }
    for f in &e.forbidden {
        let status = if f.proven {
            "proven optimal".to_string()
        } else {
            format!("{}, gap {:.2} %", f.status, 100.0 * f.gap)
        };
        let _ = writeln!(
            s,
            "with {} forbidden to {} (re-solved {} doctor(s), the rest kept; {status}; {:.2} s): objective {:+.1} ({}){}",
            f.department,
            e.doctor,
            f.freed.len(),
            f.seconds,
            f.difference,
            terms_text(&f.terms),
            if f.unplaced > 0 {
                format!("; {} requirement part(s) left unplaced", f.unplaced)
            } else {
                String::new()
            }
        );
        for m in &f.moves {
            let _ = writeln!(
                s,
                "  {}: {} -> {}",
                m.doctor,
                m.before.as_deref().unwrap_or("(none)"),
                m.after.as_deref().unwrap_or("(none)")
            );
        }
    }
    s
}

fn json_bytes(e: &Explanation) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(e).expect("an explanation serialises");
    b.push(b'\n');
    b
}

/// One row of the CSV: what it is about, then what is said about it.
#[derive(Default)]
struct Row {
    kind: &'static str,
    department: String,
    site: Option<Site>,
    difference: Option<f64>,
    terms: String,
    rules: String,
    doctors: String,
    why: String,
}

impl Row {
    fn cells(self, doctor: &str) -> Vec<String> {
        let (months, commute, relocate) = self.site.map_or_else(Default::default, |s| {
            (
                s.months,
                s.commute_minutes.to_string(),
                s.relocate.to_string(),
            )
        });
        vec![
            doctor.to_string(),
            self.kind.to_string(),
            self.department,
            months,
            commute,
            relocate,
            self.difference.map_or(String::new(), |x| format!("{x:.1}")),
            self.terms,
            self.rules,
            self.doctors,
            self.why,
        ]
    }
}

fn joined<'a>(items: impl Iterator<Item = &'a str>, sep: &str) -> String {
    items.collect::<Vec<_>>().join(sep)
}

/// One row per chosen block, alternative, impossible department and re-solve.
fn csv_bytes(e: &Explanation) -> Vec<u8> {
    let mut rows: Vec<Row> = Vec::new();
    for c in &e.chosen {
        rows.push(Row {
            kind: "chosen",
            department: c.site.department.clone(),
            site: Some(c.site.clone()),
            difference: Some(c.terms.values().sum()),
            terms: terms_text(&c.terms),
            ..Row::default()
        });
    }
    for a in &e.alternatives {
        let by = &a.blocked_by;
        rows.push(Row {
            kind: "alternative",
            department: a.site.department.clone(),
            site: Some(a.site.clone()),
            difference: Some(a.difference),
            terms: terms_text(&a.terms),
            rules: joined(by.iter().map(|b| b.rule.name()), ";"),
            doctors: joined(
                by.iter().flat_map(|b| b.doctors.iter().map(String::as_str)),
                ";",
            ),
            why: joined(by.iter().map(|b| b.text.as_str()), "; "),
        });
    }
    for i in &e.impossible {
        rows.push(Row {
            kind: "impossible",
            department: i.department.clone(),
            rules: joined(i.rules.iter().map(|r| r.name()), ";"),
            why: i.text.clone(),
            ..Row::default()
        });
    }
    for x in &e.forbidden {
        let moves: Vec<String> = x
            .moves
            .iter()
            .map(|m| {
                format!(
                    "{} {} -> {}",
                    m.doctor,
                    m.before.as_deref().unwrap_or("(none)"),
                    m.after.as_deref().unwrap_or("(none)")
                )
            })
            .collect();
        rows.push(Row {
            kind: "forbidden",
            department: x.department.clone(),
            difference: Some(x.difference),
            terms: terms_text(&x.terms),
            doctors: x.freed.join(";"),
            why: format!(
                "{}; moves: {}",
                if x.proven {
                    "proven optimal"
                } else {
                    &x.status
                },
                moves.join(", ")
            ),
            ..Row::default()
        });
    }
    crate::io::schema::csv_bytes(
        &[
            "doctor",
            "kind",
            "department",
            "months",
            "commute_minutes",
            "relocate",
            "difference",
            "terms",
            "rules",
            "doctors",
            "why",
        ],
        rows.into_iter().map(|r| r.cells(&e.doctor)),
    )
}
