//! `alisplan report`: write `report.html` and `calendars/<doctor-id>.ics` into an existing
//! plan folder, from the instance and the plan's files.

use std::path::PathBuf;

use clap::Args;

use crate::cli::{Common, LangArgs, Ui, load};
use crate::error::Result;
use crate::io::plan::read_placement_plan;
use crate::report::{CALENDARS, Published, REPORT_HTML, render_updating, write_into_plan_dir};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// Plan folder (placements.csv, and groups.csv, unplaced.csv, summary.json and
    /// changes.csv where present); the report is written into it.
    pub plan: PathBuf,
    /// Replace an existing report.html and calendars/ in the plan folder.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub lang: LangArgs,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &ReportArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let mut inst = load(&args.instance, &ui)?;
    args.lang.apply(&mut inst);
    let (plan, summary) = read_placement_plan(
        &inst,
        &args.plan,
        "the report shows a plan's hospital placements",
    )?;
    // Re-rendering updates the folder's own calendars: unchanged events keep their
    // SEQUENCE, so the same plan gives the same files.
    let rendered = render_updating(&inst, &plan, summary.as_ref(), &Published::read(&args.plan));
    write_into_plan_dir(&args.plan, &rendered, args.force)?;
    ui.info(format!(
        "wrote {} and {} calendar(s) in {}/ to {}",
        REPORT_HTML,
        rendered.calendars.len(),
        CALENDARS,
        args.plan.display()
    ));
    Ok(())
}
