//! `alisplan travel`: the municipality × hospital travel matrix.

use std::path::PathBuf;

use clap::Args;

use crate::cli::{Common, Ui, load, print_out};
use crate::error::Result;
use crate::io::schema::csv_bytes;
use crate::model::{HospitalId, Instance, MunicipalityId};
use crate::travel::Travel;

#[derive(Args, Debug)]
pub struct TravelArgs {
    /// Instance folder.
    pub instance: PathBuf,
    /// Print CSV (municipality,hospital,minutes,km,ferries) instead of a table; km is empty
    /// where an edge of the route has no km in network.csv.
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
        print_out(&String::from_utf8_lossy(&matrix_csv(&inst, &travel)));
    } else {
        print_out(&matrix_table(&inst, &travel));
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
                route
                    .and_then(|r| r.known_km())
                    .map_or(String::new(), |km| format!("{km:.0}")),
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
/// ferry. Ids are printed whole, so that every column names its hospital unambiguously.
pub fn matrix_table(inst: &Instance, travel: &Travel) -> String {
    let hospitals: Vec<HospitalId> = inst.hospital_ids().collect();
    let width = inst
        .municipalities
        .iter()
        .map(|m| m.id.len())
        .max()
        .unwrap_or(0)
        .max("minutes".len());
    let widths: Vec<usize> = hospitals
        .iter()
        .map(|&h| inst.hospital(h).id.len().max(5))
        .collect();
    let mut out = format!("{:width$}", "minutes");
    for (&h, w) in hospitals.iter().zip(&widths) {
        out.push_str(&format!(" {:>w$}", inst.hospital(h).id));
    }
    out.push('\n');
    let munis: Vec<MunicipalityId> = inst.municipality_ids().collect();
    for m in munis {
        out.push_str(&format!("{:width$}", inst.municipality(m).id));
        for (&h, w) in hospitals.iter().zip(&widths) {
            let cell = match travel.route(inst.municipality(m).place, inst.hospital(h).place) {
                Some(r) => format!("{}{}", r.minutes, if r.ferries > 0 { "*" } else { "" }),
                None => "-".into(),
            };
            out.push_str(&format!(" {cell:>w$}"));
        }
        out.push('\n');
    }
    out.push_str("(* = the fastest route uses a ferry)\n");
    out
}
