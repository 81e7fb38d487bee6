//! The road and ferry network of `instances/alis-vest` reproduces every sourced travel anchor
//! of the ALIS-Vest reference (shared/reference/vestland.md) within ±15 %, and the ferry-free
//! connections are ferry-free.

use std::path::Path;

use alisplan::io::load_instance;
use alisplan::model::{Instance, PlaceId};
use alisplan::travel::{Cost, Travel};
use assert_cmd::Command;

const VEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/instances/alis-vest");

/// The instance and the shortest routes between the anchor places.
fn vest() -> (Instance, Travel) {
    let inst = load_instance(Path::new(VEST)).expect("alis-vest loads");
    let mut sources = Vec::new();
    for id in [
        "stord-sjukehus",
        "haugesund-sjukehus",
        "forde",
        "odda",
        "leirvik",
        "svortland",
        "laerdalsoyri",
    ] {
        sources.push(place(&inst, id));
    }
    let travel = Travel::from_sources(inst.places.len(), &inst.edges, &sources);
    (inst, travel)
}

fn place(inst: &Instance, id: &str) -> PlaceId {
    inst.place_id(id)
        .unwrap_or_else(|| panic!("alis-vest has no place '{id}'"))
}

fn route(inst: &Instance, travel: &Travel, from: &str, to: &str) -> Cost {
    travel
        .route(place(inst, from), place(inst, to))
        .unwrap_or_else(|| panic!("no route {from} → {to}"))
}

/// `minutes` lies within ±15 % of the range `lo..=hi` (a point anchor has lo == hi).
fn assert_near(what: &str, minutes: u32, lo: f64, hi: f64) {
    let m = f64::from(minutes);
    assert!(
        m >= lo * 0.85 && m <= hi * 1.15,
        "{what}: {minutes} min is not within ±15 % of {lo}..{hi} min"
    );
}

#[test]
fn stord_hospital_to_haukeland_takes_two_hours_with_the_halhjem_ferry() {
    let (inst, travel) = vest();
    let r = route(&inst, &travel, "stord-sjukehus", "haukeland");
    assert_near("Stord sjukehus → Haukeland", r.minutes, 120.0, 120.0);
    assert!(
        r.ferries >= 1,
        "the fastest route Stord → Haukeland should cross Sandvikvåg–Halhjem by ferry"
    );
}

#[test]
fn haugesund_hospital_to_haukeland_takes_three_and_a_half_hours() {
    let (inst, travel) = vest();
    let r = route(&inst, &travel, "haugesund-sjukehus", "haukeland");
    assert_near("Haugesund sjukehus → Haukeland", r.minutes, 210.0, 210.0);
}

#[test]
fn forde_to_bergen_takes_three_hours() {
    let (inst, travel) = vest();
    let r = route(&inst, &travel, "forde", "bergen");
    assert_near("Førde → Bergen", r.minutes, 180.0, 180.0);
}

#[test]
fn odda_to_bergen_takes_three_to_four_hours() {
    let (inst, travel) = vest();
    let r = route(&inst, &travel, "odda", "bergen");
    assert_near("Odda → Bergen", r.minutes, 180.0, 240.0);
}

#[test]
fn stord_bomlo_and_haugesund_are_ferry_free() {
    let (inst, travel) = vest();
    for (from, to) in [
        ("leirvik", "svortland"),
        ("svortland", "leirvik"),
        ("leirvik", "haugesund-sjukehus"),
        ("svortland", "haugesund-sjukehus"),
    ] {
        let r = route(&inst, &travel, from, to);
        assert_eq!(r.ferries, 0, "{from} → {to} should be ferry-free: {r:?}");
    }
}

#[test]
fn laerdal_reaches_voss_and_bergen_without_a_ferry() {
    let (inst, travel) = vest();
    for to in ["voss", "bergen"] {
        let r = route(&inst, &travel, "laerdalsoyri", to);
        assert_eq!(r.ferries, 0, "Lærdal → {to} should be ferry-free: {r:?}");
    }
    // The minutes are estimates in the instance README (100 and 190); the tunnel route
    // must stay near them.
    assert_near(
        "Lærdal → Voss",
        route(&inst, &travel, "laerdalsoyri", "voss").minutes,
        100.0,
        100.0,
    );
    assert_near(
        "Lærdal → Bergen",
        route(&inst, &travel, "laerdalsoyri", "bergen").minutes,
        190.0,
        190.0,
    );
}

#[test]
fn routes_are_symmetric_and_travel_new_agrees_with_from_sources() {
    let (inst, travel) = vest();
    let full = Travel::new(&inst);
    for m in &inst.municipalities {
        for h in &inst.hospitals {
            let a = full.minutes(m.place, h.place);
            let b = full.minutes(h.place, m.place);
            assert_eq!(a, b, "{} ↔ {}", m.id, h.id);
            assert_ne!(a, u32::MAX, "{} → {} is unreachable", m.id, h.id);
        }
    }
    let stord = place(&inst, "stord-sjukehus");
    let haukeland = place(&inst, "haukeland");
    assert_eq!(
        full.minutes(stord, haukeland),
        travel.minutes(stord, haukeland)
    );
}

#[test]
fn travel_csv_prints_stord_to_haukeland_near_two_hours() {
    let out = Command::cargo_bin("alisplan")
        .expect("binary")
        .args(["travel", VEST, "--csv"])
        .output()
        .expect("run alisplan travel");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("municipality,hospital,minutes,km,ferries")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let inst = load_instance(Path::new(VEST)).expect("alis-vest loads");
    assert_eq!(rows.len(), inst.municipalities.len() * inst.hospitals.len());
    // Stord municipality (centre Leirvik) to Haukeland.
    let row = rows
        .iter()
        .find(|r| r[0] == "stord" && r[1] == "haukeland")
        .expect("a stord,haukeland row");
    let minutes: u32 = row[2].parse().expect("minutes");
    assert_near("travel --csv stord → haukeland", minutes, 120.0, 120.0);
    assert!(row[4].parse::<u32>().expect("ferries") >= 1, "{row:?}");
}

#[test]
fn travel_table_marks_ferry_routes() {
    let out = Command::cargo_bin("alisplan")
        .expect("binary")
        .args(["travel", VEST])
        .output()
        .expect("run alisplan travel");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let header: Vec<&str> = text
        .lines()
        .next()
        .expect("header")
        .split_whitespace()
        .collect();
    let col = header
        .iter()
        .position(|h| *h == "haukeland")
        .expect("haukeland column");
    let stord: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("stord "))
        .expect("stord row")
        .split_whitespace()
        .collect();
    let cell = stord[col];
    assert!(
        cell.ends_with('*'),
        "Stord → Haukeland uses a ferry: {cell}"
    );
    let minutes: u32 = cell.trim_end_matches('*').parse().expect("minutes");
    assert_near("travel table stord → haukeland", minutes, 120.0, 120.0);
}
