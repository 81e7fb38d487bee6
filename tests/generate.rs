//! End-to-end tests of `alisplan generate`: the generated instances load, pass `check`,
//! are deterministic, keep supply within 90–120 % of expected demand per region and month,
//! give every doctor a possible block, and have a connected network.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use proptest::prelude::*;

use alisplan::generate::{GenerateSpec, GeneratedInstance, generate};
use alisplan::io::load_instance;
use alisplan::model::{DoctorId, Instance, Month};
use alisplan::travel::{Travel, components, graph};

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

/// The sizes the benchmarks use: (doctors, hospitals, regions).
const SIZES: [(u32, u32, u32); 4] = [(15, 3, 1), (100, 10, 2), (500, 20, 4), (2000, 60, 4)];

fn write(g: &GeneratedInstance, dir: &Path) -> Instance {
    g.write(dir, false).expect("written");
    load_instance(dir).unwrap_or_else(|e| panic!("generated instance does not load: {e}"))
}

/// Expected demand per region and month, from the loaded instance: each doctor's required
/// calendar months spread evenly over the months of their window not on leave.
fn expected_demand(
    inst: &Instance,
    region_of: &HashMap<String, usize>,
) -> Vec<BTreeMap<Month, f64>> {
    let regions = region_of.values().max().map_or(0, |r| r + 1);
    let mut out = vec![BTreeMap::new(); regions];
    for d in &inst.doctors {
        let free: Vec<Month> = d.window.months().filter(|&m| !d.on_leave(m)).collect();
        let share = f64::from(d.required_calendar_months()) / free.len() as f64;
        let r = region_of[&inst.municipality(d.municipality).id];
        for m in free {
            *out[r].entry(m).or_insert(0.0) += share;
        }
    }
    out
}

/// Slots offered per region and month, from `departments.csv` and `capacity.csv`.
fn supply(
    inst: &Instance,
    region_of: &HashMap<String, usize>,
    regions: usize,
) -> Vec<BTreeMap<Month, u32>> {
    let mut out = vec![BTreeMap::new(); regions];
    for dep in &inst.departments {
        let r = region_of[&inst.hospital(dep.hospital).id];
        for m in inst.horizon().months() {
            *out[r].entry(m).or_insert(0) += dep.capacity_in(m);
        }
    }
    out
}

/// Assert that every region's slots are 90–120 % of its expected demand in every month.
fn assert_band(g: &GeneratedInstance, inst: &Instance) {
    let mut munis = HashMap::new();
    let mut hospitals = HashMap::new();
    for (r, region) in g.summary.regions.iter().enumerate() {
        munis.extend(region.municipalities.iter().map(|m| (m.clone(), r)));
        hospitals.extend(region.hospitals.iter().map(|h| (h.clone(), r)));
    }
    assert_eq!(munis.len(), inst.municipalities.len());
    assert_eq!(hospitals.len(), inst.hospitals.len());
    let demand = expected_demand(inst, &munis);
    let slots = supply(inst, &hospitals, g.summary.regions.len());
    for (r, region) in g.summary.regions.iter().enumerate() {
        for m in inst.horizon().months() {
            let d = demand[r].get(&m).copied().unwrap_or(0.0);
            let s = f64::from(slots[r].get(&m).copied().unwrap_or(0));
            assert!(
                d > 0.0 && s >= 0.9 * d && s <= 1.2 * d,
                "{} in {m}: {s} slots for an expected demand of {d:.2} ({:.0} %)",
                region.name,
                100.0 * s / d
            );
        }
    }
}

/// Possible single blocks (department, start) for every requirement part of every doctor:
/// the block lies in the window, off leave, at a department of the right specialty that
/// allows the start month, has a slot in every month of the block, and is within the
/// doctor's commute limit unless they will relocate.
fn candidates(inst: &Instance) -> Vec<(DoctorId, usize, usize)> {
    let travel = Travel::new(inst);
    let mut out = Vec::new();
    for d in inst.doctor_ids() {
        let doc = inst.doctor(d);
        for (p, part) in doc.requirement.iter().enumerate() {
            let len = part.calendar_months as i32;
            let mut count = 0;
            for k in inst.department_ids() {
                let dep = inst.department(k);
                if part.specialty.is_some_and(|s| s != dep.specialty) {
                    continue;
                }
                let minutes = travel.commute(inst, d, dep.hospital);
                let relocation = inst.settings.scheme.max_relocation_minutes;
                if minutes == u32::MAX
                    || (minutes > doc.max_commute && (!doc.relocate || minutes > relocation))
                {
                    continue;
                }
                for start in doc.window.months() {
                    let last = start.plus(len - 1);
                    if last > doc.window.last || !dep.may_start_in(start) {
                        continue;
                    }
                    if start
                        .through(last)
                        .all(|m| !doc.on_leave(m) && dep.capacity_in(m) >= 1)
                    {
                        count += 1;
                    }
                }
            }
            out.push((d, p, count));
        }
    }
    out
}

fn assert_every_doctor_has_a_candidate(inst: &Instance) {
    let counts = candidates(inst);
    assert!(counts.len() >= inst.doctors.len());
    for (d, p, count) in counts {
        assert!(
            count > 0,
            "doctor {} has no possible block for requirement part {p}",
            inst.doctor(d).id
        );
    }
}

fn assert_connected(inst: &Instance) {
    let g = graph(inst.places.len(), &inst.edges);
    let c = components(&g);
    assert!(
        c.iter().all(|&x| x == c[0]),
        "the road and ferry network is not connected"
    );
}

#[test]
fn every_benchmark_size_loads_checks_and_balances() {
    for (doctors, hospitals, regions) in SIZES {
        let spec = GenerateSpec::new(doctors, hospitals, regions, 7);
        let g = generate(&spec).expect("generated");
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("inst");
        let inst = write(&g, &dir);
        assert_eq!(inst.doctors.len(), doctors as usize);
        assert_eq!(inst.hospitals.len(), hospitals as usize);
        assert!(
            inst.warnings.is_empty(),
            "{doctors} doctors: loader warnings {:?}",
            inst.warnings
        );
        assert_band(&g, &inst);
        assert_every_doctor_has_a_candidate(&inst);
        assert_connected(&inst);
        // Some of everything the brief asks for.
        if doctors >= 100 {
            assert!(
                inst.edges
                    .iter()
                    .any(|e| e.mode == alisplan::model::Mode::Ferry)
            );
        }
        // A 2027 plan is after the old scheme's transition deadline: no old-scheme doctors.
        assert!(
            inst.doctors
                .iter()
                .all(|d| d.scheme == alisplan::model::Scheme::New)
        );
        assert!(!inst.venues.is_empty() && !inst.supervisors.is_empty());
        alisplan()
            .arg("check")
            .arg(&dir)
            .assert()
            .success()
            .stdout(predicate::str::contains("instance is valid"))
            .stdout(predicate::str::contains("No early warnings."));
    }
}

#[test]
fn a_plan_dated_before_the_transition_deadline_has_old_scheme_doctors() {
    let mut spec = GenerateSpec::new(400, 12, 1, 7);
    spec.start = Month::new(2024, 1).unwrap();
    spec.end = Month::new(2027, 12).unwrap();
    let g = generate(&spec).unwrap();
    let root = tempfile::tempdir().unwrap();
    let inst = write(&g, &root.path().join("inst"));
    let old = inst
        .doctors
        .iter()
        .filter(|d| d.scheme == alisplan::model::Scheme::Old)
        .count() as f64
        / inst.doctors.len() as f64;
    assert!((0.18..0.32).contains(&old), "old scheme {old}");
}

/// Larger than the benchmarks, up to the most doctors `generate` takes, in one region: the
/// instance written loads (from 3,000 doctors a town hosted more than 100 groups, which
/// the loader refused, and from 20,000 a city had more than 1,000 ALIS away at once).
#[test]
fn the_largest_sizes_load() {
    for (doctors, hospitals, regions) in [(3000, 80, 4), (50_000, 40, 1)] {
        let g = generate(&GenerateSpec::new(doctors, hospitals, regions, 7)).expect("generated");
        let root = tempfile::tempdir().unwrap();
        let inst = write(&g, &root.path().join("inst"));
        assert_eq!(inst.doctors.len(), doctors as usize);
        let most = inst.venues.iter().map(|v| v.max_groups).max().unwrap_or(0);
        assert!(
            most > 100,
            "{doctors} doctors: a venue hosts {most} groups at most"
        );
    }
}

#[test]
fn national_scale_has_the_realistic_mix() {
    let g = generate(&GenerateSpec::new(2000, 60, 4, 7)).unwrap();
    let root = tempfile::tempdir().unwrap();
    let inst = write(&g, &root.path().join("inst"));
    let n = inst.doctors.len() as f64;
    let share = |f: &dyn Fn(&alisplan::model::Doctor) -> bool| {
        inst.doctors.iter().filter(|d| f(d)).count() as f64 / n
    };
    let old = share(&|d| d.scheme == alisplan::model::Scheme::Old);
    let part_time = share(&|d| d.fte < 100);
    assert_eq!(old, 0.0, "a 2027 plan has no old-scheme doctors");
    assert!((0.06..0.14).contains(&part_time), "part-time {part_time}");
    assert!(inst.doctors.iter().all(|d| d.fte >= 50));
    assert!(
        inst.doctors
            .iter()
            .all(|d| (12..=36).contains(&d.window.len())
                && d.window.len() as u32 >= d.required_calendar_months())
    );
    let parental = share(&|d| {
        d.leave
            .iter()
            .any(|l| l.kind == alisplan::model::LeaveKind::Parental)
    });
    assert!(
        (0.04..0.12).contains(&parental),
        "parental leave {parental}"
    );
    // Many municipalities with one ALIS, a few towns with many.
    let mut per_muni = vec![0; inst.municipalities.len()];
    for d in &inst.doctors {
        per_muni[d.municipality.index()] += 1;
    }
    let single = per_muni.iter().filter(|&&c| c == 1).count();
    let small = per_muni.iter().filter(|&&c| c <= 2).count();
    let largest = per_muni.iter().copied().max().unwrap();
    assert!(
        single * 5 >= inst.municipalities.len(),
        "{single} single-ALIS municipalities"
    );
    assert!(
        small * 2 >= inst.municipalities.len(),
        "{small} with one or two ALIS"
    );
    assert!(largest >= 100, "largest municipality has {largest}");
    // Small municipalities let one ALIS away at a time, large ones 30-50 % or more.
    for (m, &n) in per_muni.iter().enumerate() {
        let away = inst.municipalities[m].max_away;
        if n <= 2 {
            assert!(away <= 2);
        } else if n >= 10 {
            assert!(away * 10 >= n * 3 && away <= n, "{n} ALIS, max_away {away}");
        }
    }
    assert!(!inst.preferences.is_empty());
    let g2 = g.summary.regions.len();
    assert_eq!(g2, 4);
}

#[test]
fn same_seed_gives_the_same_bytes_and_another_seed_differs() {
    let a = generate(&GenerateSpec::new(500, 20, 4, 11)).unwrap();
    let b = generate(&GenerateSpec::new(500, 20, 4, 11)).unwrap();
    let c = generate(&GenerateSpec::new(500, 20, 4, 12)).unwrap();
    assert_eq!(a.files, b.files);
    assert_ne!(a.files, c.files);
    for name in [
        "doctors.csv",
        "places.csv",
        "network.csv",
        "departments.csv",
    ] {
        assert_ne!(
            a.files[name], c.files[name],
            "{name} does not depend on the seed"
        );
    }
    // And through the binary: two runs write identical folders.
    let root = tempfile::tempdir().unwrap();
    for out in ["one", "two"] {
        alisplan()
            .args([
                "generate",
                "--doctors",
                "100",
                "--hospitals",
                "8",
                "--regions",
                "2",
            ])
            .args(["--seed", "3", "-q"])
            .arg(root.path().join(out))
            .assert()
            .success();
    }
    let files = |d: &str| -> BTreeMap<String, Vec<u8>> {
        fs::read_dir(root.path().join(d))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(files("one"), files("two"));
    assert!(files("one").len() >= 13);
}

#[test]
fn the_command_prints_a_summary_and_refuses_to_overwrite() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("inst");
    alisplan()
        .args([
            "generate",
            "--doctors",
            "40",
            "--hospitals",
            "5",
            "--regions",
            "2",
            "--seed",
            "9",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("40 doctors"))
        .stdout(predicate::str::contains("5 hospitals"))
        .stdout(predicate::str::contains("slots a month"));
    let before = fs::read(out.join("doctors.csv")).unwrap();
    alisplan()
        .args(["generate", "--doctors", "60", "--seed", "1"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(fs::read(out.join("doctors.csv")).unwrap(), before);
    alisplan()
        .args([
            "generate",
            "--doctors",
            "60",
            "--seed",
            "1",
            "--force",
            "-q",
        ])
        .arg(&out)
        .assert()
        .success();
    let inst = load_instance(&out).unwrap();
    assert_eq!(inst.doctors.len(), 60);
}

#[test]
fn bad_arguments_are_refused_and_nothing_is_written() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("inst");
    for (args, says) in [
        (vec!["--doctors", "0"], "--doctors 0"),
        (vec!["--doctors", "100", "--regions", "0"], "--regions 0"),
        (vec!["--doctors", "100", "--regions", "5"], "--regions 5"),
        (
            vec!["--doctors", "100", "--regions", "3", "--hospitals", "2"],
            "fewer than --regions",
        ),
        (vec!["--doctors", "15", "--regions", "4"], "too few"),
        (vec!["--doctors", "100", "--end", "2027-06"], "horizon"),
        (vec!["--doctors", "many"], "invalid value"),
        (
            vec!["--doctors", "100", "--start", "2027-13"],
            "not a month",
        ),
    ] {
        alisplan()
            .arg("generate")
            .args(&args)
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
        assert!(!out.exists(), "{args:?} wrote something");
    }
    assert_eq!(fs::read_dir(root.path()).unwrap().count(), 0);
}

proptest! {
    #![proptest_config(common::cases(16))]

    /// Whatever the seed and sizes, the instance loads, balances and places everyone.
    #[test]
    fn any_seed_gives_a_valid_balanced_instance(
        seed in 0u64..1_000_000,
        regions in 1u32..=4,
        extra in 0u32..150,
        hospitals in 0u32..12,
    ) {
        let doctors = 10 * regions + extra;
        let spec = GenerateSpec::new(doctors, regions + hospitals, regions, seed);
        let g = generate(&spec).unwrap();
        let root = tempfile::tempdir().unwrap();
        let inst = write(&g, &root.path().join("inst"));
        prop_assert!(inst.warnings.is_empty());
        assert_band(&g, &inst);
        assert_every_doctor_has_a_candidate(&inst);
        assert_connected(&inst);
    }
}
