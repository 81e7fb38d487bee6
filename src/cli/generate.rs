//! `alisplan generate`: write a synthetic, realistic instance of any size, seeded.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use crate::cli::{Common, Ui, print_out};
use crate::error::Result;
use crate::generate::{GenerateSpec, generate};
use crate::model::Month;

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Folder to write the instance to (must not exist unless --force).
    pub out: PathBuf,
    /// ALIS doctors to plan (at least 10 per region).
    #[arg(long, value_name = "N")]
    pub doctors: u32,
    /// Hospitals in all, at least one per region [default: 3 % of the doctors, at least
    /// one per region].
    #[arg(long, value_name = "H")]
    pub hospitals: Option<u32>,
    /// Health regions, 1-4: Vest, then Midt-Norge, Nord, Sør-Øst.
    #[arg(long, value_name = "R", default_value_t = 1)]
    pub regions: u32,
    /// Seed of the random numbers: the same seed and sizes give the same files.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// First month of the horizon.
    #[arg(long, value_name = "YYYY-MM", default_value = "2027-01")]
    pub start: Month,
    /// Last month of the horizon.
    #[arg(long, value_name = "YYYY-MM", default_value = "2030-12")]
    pub end: Month,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: Common,
}

impl GenerateArgs {
    /// The specification the arguments ask for.
    pub fn spec(&self) -> GenerateSpec {
        let hospitals = self
            .hospitals
            .unwrap_or_else(|| (self.doctors * 3).div_ceil(100).max(self.regions));
        GenerateSpec {
            doctors: self.doctors,
            hospitals,
            regions: self.regions,
            seed: self.seed,
            start: self.start,
            end: self.end,
        }
    }
}

pub fn run(args: &GenerateArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let spec = args.spec();
    if let Err(e) = spec.validate() {
        // A request that cannot be generated is a usage error (exit 2), like a bad flag.
        clap::Error::raw(clap::error::ErrorKind::ValueValidation, format!("{e}\n")).exit();
    }
    if args.out.exists() && !args.force {
        return Err(crate::error::Error::OutputExists(args.out.clone()));
    }
    let clock = Instant::now();
    let generated = match generate(&spec) {
        Ok(g) => g,
        Err(e) => {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, format!("{e}\n")).exit()
        }
    };
    let dir = generated.write(&args.out, args.force)?;
    let s = &generated.summary;
    if !s.hospitals_without_slots.is_empty() {
        ui.warn(format!(
            "{} of {} hospitals got no ALIS slot: the expected demand of their region is too small to give every hospital one ({})",
            s.hospitals_without_slots.len(),
            s.hospitals,
            s.hospitals_without_slots.join(", ")
        ));
    }
    let (demand, supply) = s.mean_demand_supply();
    let (lo, hi) = s.ratio_range();
    if !ui.quiet {
        print_out(&format!(
            "wrote {}: {} places ({} links, {} ferries), {} municipalities, {} doctors, {} hospitals with {} departments in {} region(s); expected demand {demand:.1} vs {supply:.1} slots a month on average (slots {:.0}-{:.0} % of demand per region and month); {:.2} s\n",
            dir.display(),
            s.places,
            s.edges,
            s.ferries,
            s.municipalities,
            s.doctors,
            s.hospitals,
            s.departments,
            s.regions.len(),
            100.0 * lo,
            100.0 * hi,
            clock.elapsed().as_secs_f64()
        ));
    }
    Ok(())
}
