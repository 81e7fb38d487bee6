//! End-to-end tests of `alisplan compare PLAN_A PLAN_B`: a plan against a hand-modified
//! copy lists exactly the blocks moved; the objective terms are the plan's own; plans of
//! different instances are refused; the output folder follows the manifest rules.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

fn instance(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join(name)
}

/// Replace the placements.csv row of `doctor` starting with `old` by `new`.
fn edit_row(plan: &Path, old: &str, new: &str) {
    let path = plan.join("placements.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old), "{old} not in {text}");
    std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
}

#[test]
fn lists_exactly_the_moved_blocks_of_a_hand_modified_copy() {
    let root = tempfile::tempdir().unwrap();
    let a = root.path().join("a");
    common::solve_into("place", &instance("alis-vest"), &a);
    let rows = common::rows(&a.join("placements.csv"));
    let row_of = |d: &str| {
        rows.iter()
            .find(|r| r.starts_with(&format!("{d},")))
            .unwrap()
            .clone()
    };
    let (v11, v01) = (row_of("V11"), row_of("V01"));
    let b = root.path().join("b");
    common::copy_dir(&a, &b);
    // V11 to another hospital and V01 six months later at the same department.
    let v11_new = "V11,haraldsplass,geriatrics,2027-07,2027-12,6,124,yes";
    let f: Vec<&str> = v01.split(',').collect();
    let start: alisplan::model::Month = f[3].parse().unwrap();
    let end: alisplan::model::Month = f[4].parse().unwrap();
    let v01_new = format!(
        "{},{},{},{},{},{}",
        f[0],
        f[1],
        f[2],
        start.plus(6),
        end.plus(6),
        f[5..].join(",")
    );
    edit_row(&b, &v11, v11_new);
    edit_row(&b, &v01, &v01_new);
    let out = root.path().join("cmp");
    alisplan()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(contains(
            "2 block change(s); 2 doctor(s) affected: V01, V11",
        ));
    let block_of = |row: &str| {
        let f: Vec<&str> = row.split(',').collect();
        format!("{}/{} {}..{}", f[1], f[2], f[3], f[4])
    };
    let mut listed = common::rows(&out.join("blocks.csv"));
    listed.sort();
    assert_eq!(
        listed,
        vec![
            format!("V01,shifted,{},{}", block_of(&v01), block_of(&v01_new)),
            format!(
                "V11,moved-hospital,{},{}",
                block_of(&v11),
                block_of(v11_new)
            ),
        ]
    );
    // The terms of plan A are the objective `place` reported for it.
    let summary: Value =
        serde_json::from_slice(&std::fs::read(a.join("summary.json")).unwrap()).unwrap();
    let c: Value =
        serde_json::from_slice(&std::fs::read(out.join("comparison.json")).unwrap()).unwrap();
    let total = c["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "total")
        .unwrap();
    let objective = summary["placement"]["objective"].as_f64().unwrap();
    assert!(
        (total["a"].as_f64().unwrap() - objective).abs() < 1e-6,
        "{total} vs {objective}"
    );
    // B changes no municipality's hospital months (same lengths), and both doctors stay placed.
    assert!(
        c["substitute_months"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["difference"] == 0.0)
    );
    assert_eq!(common::rows(&out.join("unplaced.csv")).len(), 0);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["command"], "compare");
    assert_eq!(manifest["kind"], "comparison");

    // The same plan twice: nothing differs.
    alisplan()
        .arg("compare")
        .arg(&a)
        .arg(&a)
        .assert()
        .success()
        .stdout(contains("0 block change(s); 0 doctor(s) affected"));
    // An existing output folder is kept without --force, replaced with it.
    alisplan()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("already exists"));
    alisplan()
        .arg("compare")
        .arg(&a)
        .arg(&a)
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(common::rows(&out.join("blocks.csv")).len(), 0);
}

#[test]
fn plans_of_different_instances_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = (root.path().join("vest"), root.path().join("nord"));
    common::solve_into("place", &instance("alis-vest"), &a);
    common::solve_into("place", &instance("alis-nord"), &b);
    let out = root.path().join("cmp");
    alisplan()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("different-instances"))
        .stderr(contains("summary.json"))
        .stderr(contains("doctors differ"));
    assert!(!out.exists(), "nothing is written");
    alisplan()
        .arg("compare")
        .arg(&a)
        .arg(root.path().join("missing"))
        .assert()
        .code(1)
        .stderr(contains("missing-folder"));
}
