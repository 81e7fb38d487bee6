//! `alisplan groups`: form the regional guidance groups and write `groups.csv` and
//! `summary.json`.

use std::path::PathBuf;

use clap::Args;

use crate::cli::console::groups_report;
use crate::cli::{Common, OutArgs, Session, SolverArgs};
use crate::error::Result;
use crate::groups::form_groups;
use crate::io::plan::{GROUPS, SUMMARY};
use crate::planning::groups_plan;
use crate::publish::{Options, publish};
use crate::summary::Summary;

#[derive(Args, Debug)]
pub struct GroupsArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// Writes groups.csv and summary.json.
    #[command(flatten)]
    pub out: OutArgs,
    #[command(flatten)]
    pub solver: SolverArgs,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &GroupsArgs) -> Result<()> {
    let s = Session::start("groups", &args.instance, &args.out, &args.common)?;
    let opts = args.solver.options(&s.inst, &args.common);
    let result = {
        let _spin = s.ui.spinner("forming guidance groups");
        form_groups(&s.inst, &s.travel, &opts)?
    };
    let mut summary = Summary::new(&s.inst, "groups");
    summary.set("groups", &result);
    let plan = groups_plan(&result);
    let published = publish(&s.inst, &plan, &summary, s.out, Options::default())?;
    s.ui.info(groups_report(&s.inst, &result));
    s.ui.info(format!(
        "wrote {} and {}",
        published.dir.join(GROUPS.file).display(),
        published.dir.join(SUMMARY).display()
    ));
    Ok(())
}
