//! `alisplan place` end to end through the binary.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::Tiny;
use predicates::prelude::*;
use predicates::str::contains;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("summary.json")).expect("summary.json"))
        .expect("valid JSON")
}

#[test]
fn bundled_instances_are_placed_to_proven_optimality_and_verify() {
    for name in ["alis-vest", "alis-nord"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("plan");
        let instance = format!("instances/{name}");
        alisplan()
            .args(["place", &instance, "--out"])
            .arg(&out)
            .assert()
            .success()
            .stderr(contains("proven optimal"));
        let s = summary(&out);
        assert_eq!(s["placement"]["status"], "optimal", "{name}");
        assert_eq!(s["placement"]["gap"], 0.0);
        assert!(
            s["placement"]["bound"].as_f64().unwrap()
                <= s["placement"]["objective"].as_f64().unwrap() + 1e-6
        );
        assert_eq!(
            s["placement"]["fairness"]["unplaced_doctors"], 0,
            "{name}: everyone fits"
        );
        for term in [
            "commute",
            "relocation",
            "substitute",
            "stagger",
            "preference",
            "min_fill",
            "worst_commute",
            "unplaced",
        ] {
            assert!(
                s["placement"]["terms"][term].is_number(),
                "{name}: term {term} reported"
            );
        }
        assert!(
            out.join("hospitals").read_dir().unwrap().count() > 0,
            "review sheets written"
        );
        alisplan()
            .args(["verify", &instance])
            .arg(&out)
            .assert()
            .success()
            .stdout(contains("passes every rule"));
    }
}

#[test]
fn same_input_gives_the_same_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        alisplan()
            .args(["place", "instances/alis-nord", "--quiet", "--out"])
            .arg(out)
            .assert()
            .success();
    }
    assert_eq!(
        fs::read(a.join("placements.csv")).unwrap(),
        fs::read(b.join("placements.csv")).unwrap()
    );
    for sheet in fs::read_dir(a.join("hospitals")).unwrap() {
        let name = sheet.unwrap().file_name();
        assert_eq!(
            fs::read(a.join("hospitals").join(&name)).unwrap(),
            fs::read(b.join("hospitals").join(&name)).unwrap()
        );
    }
}

#[test]
fn an_existing_plan_is_kept_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("placements.csv"), "previous plan").unwrap();
    alisplan()
        .args(["place", "instances/alis-vest", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("already exists").and(contains("--force")));
    // A folder alisplan did not write is not replaced, even with --force.
    alisplan()
        .args(["place", "instances/alis-vest", "--force", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("not written by alisplan"));
    assert_eq!(
        fs::read_to_string(out.join("placements.csv")).unwrap(),
        "previous plan"
    );
    // A plan alisplan wrote is.
    fs::remove_dir_all(&out).unwrap();
    for force in [false, true] {
        let mut cmd = alisplan();
        cmd.args(["place", "instances/alis-vest", "--quiet", "--out"])
            .arg(&out);
        if force {
            cmd.arg("--force");
        }
        cmd.assert().success();
    }
    assert!(
        fs::read_to_string(out.join("placements.csv"))
            .unwrap()
            .starts_with("doctor,hospital")
    );
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no temporary folders left behind"
    );
}

#[test]
fn plans_are_never_written_into_the_instance() {
    let t = Tiny::new();
    let dir = t.write();
    alisplan()
        .args(["place"])
        .arg(&dir)
        .arg("--out")
        .arg(dir.join("plan"))
        .assert()
        .code(1)
        .stderr(contains("inside the instance folder"));
    assert!(!dir.join("plan").exists());
}

#[test]
fn an_unplaceable_doctor_is_reported_not_dropped() {
    let mut t = Tiny::new();
    t.set(
        "doctors.csv",
        "id,name,municipality,scheme,earliest,latest_end,max_commute\nd1,D1,m1,new,2027-01,2027-12,\nd2,D2,m1,new,2027-01,2027-12,20\n",
    );
    let dir = t.write();
    let out = t.out("plan");
    alisplan()
        .args(["place"])
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("doctor d2 not placed").and(contains("20 min commute limit")));
    let unplaced = fs::read_to_string(out.join("unplaced.csv")).unwrap();
    assert!(unplaced.contains("d2,any,6,"), "{unplaced}");
    alisplan()
        .args(["verify"])
        .arg(&dir)
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("reported unplaced"));

    // With --strict the same instance fails and nothing is written.
    let strict = t.out("strict");
    alisplan()
        .args(["place", "--strict"])
        .arg(&dir)
        .arg("--out")
        .arg(&strict)
        .assert()
        .code(1)
        .stderr(contains("--strict"));
    assert!(!strict.exists());
}

#[test]
fn a_time_limit_and_gap_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    alisplan()
        .args([
            "place",
            "instances/alis-vest",
            "--time-limit",
            "5",
            "--gap",
            "0.05",
            "--threads",
            "2",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let s = summary(&out);
    let status = s["placement"]["status"].as_str().unwrap();
    assert!(
        ["optimal", "gap_limit", "time_limit"].contains(&status),
        "{status}"
    );
    assert!(s["placement"]["gap"].as_f64().unwrap() <= 0.05 + 1e-9);
}
