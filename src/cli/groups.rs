//! `alisplan groups`: form the regional guidance groups and write `groups.csv` and
//! `summary.json`.

use std::path::PathBuf;

use clap::Args;

use crate::cli::{Common, SolverArgs, Ui, load};
use crate::error::Result;
use crate::groups::{GroupsResult, form_groups};
use crate::io::output::OutputDir;
use crate::io::plan::{GROUPS, groups_csv};
use crate::model::Instance;
use crate::summary::Summary;
use crate::travel::Travel;

#[derive(Args, Debug)]
pub struct GroupsArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// Output folder for groups.csv and summary.json (must not exist unless --force).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &GroupsArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let inst = load(&args.instance, &ui)?;
    // Fail on an existing folder before spending time on the solve.
    let out = OutputDir::create(&args.out, args.force, Some(&args.instance))?;
    let travel = Travel::new(&inst);
    let opts = args.solver.options(&inst, &args.common);
    let result = {
        let _spin = ui.spinner("forming guidance groups");
        form_groups(&inst, &travel, &opts)?
    };
    let mut summary = Summary::new(&inst, "groups");
    summary.set("groups", &result);
    out.write(GROUPS, &groups_csv(&inst, &result.groups))?;
    summary.record_peak_memory();
    out.write("summary.json", &summary.to_bytes())?;
    let dir = out.commit()?;
    ui.info(report(&inst, &result));
    ui.info(format!(
        "wrote {} and {}",
        dir.join(GROUPS).display(),
        dir.join("summary.json").display()
    ));
    Ok(())
}

/// The short human summary printed after forming groups.
pub fn report(inst: &Instance, r: &GroupsResult) -> String {
    let o = &r.outcome;
    let status = o.describe();
    let name = if inst.settings.name.is_empty() {
        inst.dir.display().to_string()
    } else {
        inst.settings.name.clone()
    };
    let mut lines = vec![format!(
        "{name}: {} doctors in {} guidance groups ({status}, {:.1} s, {} variables, {} constraints)",
        r.doctors, r.group_count, o.seconds, o.variables, o.constraints
    )];
    for g in &r.per_group {
        lines.push(format!(
            "  {:<4} {:<14} led by {:<6} {:>2} members  {} pattern, {} meetings/year  travel mean {:.0} min, max {} min  supervisor {} min",
            g.group,
            g.venue,
            g.supervisor,
            g.size,
            g.pattern.label(),
            g.meetings_per_year,
            g.mean_member_minutes,
            g.max_member_minutes,
            g.supervisor_minutes
        ));
    }
    let t = |k: &str| r.terms.get(k).copied().unwrap_or(0.0);
    lines.push(format!(
        "  objective {:.0} = member travel {:.0} + supervisor travel {:.0} + balance {:.0}; bound {}",
        o.objective,
        t("member_travel"),
        t("supervisor_travel"),
        t("balance"),
        o.bound_text()
    ));
    lines.extend(r.notes.iter().map(|n| format!("  note: {n}")));
    lines.join("\n")
}
