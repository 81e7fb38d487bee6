//! `alisplan travel`: the municipality × hospital travel matrix.

use std::path::PathBuf;

use clap::Args;

use crate::cli::{Common, Ui, load};
use crate::error::Result;
use crate::io::plan::csv_bytes;
use crate::model::{HospitalId, Instance, MunicipalityId};
use crate::travel::Travel;

#[derive(Args, Debug)]
pub struct TravelArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// Print CSV (municipality,hospital,minutes,km,ferries) instead of a table.
    #[arg(long)]
    pub csv: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &TravelArgs) -> Result<()> {
    let ui = Ui::new(&args.common);
    let inst = load(&args.instance, &ui)?;
    let travel = Travel::new(&inst);
    if args.csv {
        print!("{}", String::from_utf8_lossy(&matrix_csv(&inst, &travel)));
    } else {
        print!("{}", matrix_table(&inst, &travel));
    }
    Ok(())
}

/// One CSV row per municipality × hospital.
pub fn matrix_csv(inst: &Instance, travel: &Travel) -> Vec<u8> {
    let mut rows = Vec::new();
    for m in inst.municipality_ids() {
        for h in inst.hospital_ids() {
            let route = travel.route(inst.municipality(m).place, inst.hospital(h).place);
            rows.push(vec![
                inst.municipality(m).id.clone(),
                inst.hospital(h).id.clone(),
                route.map_or(String::new(), |r| r.minutes.to_string()),
                route.map_or(String::new(), |r| format!("{:.0}", r.km)),
                route.map_or(String::new(), |r| r.ferries.to_string()),
            ]);
        }
    }
    csv_bytes(
        &["municipality", "hospital", "minutes", "km", "ferries"],
        rows,
    )
}

/// A table of minutes, municipalities down and hospitals across; `*` marks a route with a
/// ferry.
pub fn matrix_table(inst: &Instance, travel: &Travel) -> String {
    let hospitals: Vec<HospitalId> = inst.hospital_ids().collect();
    let width = inst
        .municipalities
        .iter()
        .map(|m| m.id.len())
        .max()
        .unwrap_or(4)
        .max(12);
    let mut out = format!("{:width$}", "minutes");
    for &h in &hospitals {
        out.push_str(&format!(" {:>12}", truncate(&inst.hospital(h).id, 12)));
    }
    out.push('\n');
    let munis: Vec<MunicipalityId> = inst.municipality_ids().collect();
    for m in munis {
        out.push_str(&format!("{:width$}", inst.municipality(m).id));
        for &h in &hospitals {
            let cell = match travel.route(inst.municipality(m).place, inst.hospital(h).place) {
                Some(r) => format!("{}{}", r.minutes, if r.ferries > 0 { "*" } else { "" }),
                None => "-".into(),
            };
            out.push_str(&format!(" {cell:>12}"));
        }
        out.push('\n');
    }
    out.push_str("(* = the fastest route uses a ferry)\n");
    out
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
