//! Joiners and leavers on generated instances, through the binary: plan, delete some
//! doctors (with their rows in every file), add as many joiners, re-plan from July 2027,
//! and check the result with `verify --previous`. The 100-doctor case runs with the suite;
//! the 300-doctor case of issue 14 runs with `cargo test --release --test roster_generated
//! -- --ignored --nocapture` and prints the changed rows and the time.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::{replan_verified, rows};

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

/// Delete every `step`-th doctor (`count` of them, from the 10th) from every file of
/// `dir`, and add `count` joiners copied from new-scheme doctors, with windows and group
/// periods after the re-plan month. Returns (leavers, joiners).
fn change_roster(dir: &Path, count: usize, step: usize) -> (Vec<String>, Vec<String>) {
    let doctors = fs::read_to_string(dir.join("doctors.csv")).unwrap();
    let mut lines = doctors.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|&c| c == name).unwrap();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let leavers: Vec<String> = rows
        .iter()
        .skip(9)
        .step_by(step)
        .take(count)
        .map(|r| r[0].clone())
        .collect();
    for e in fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "csv") {
            let text = fs::read_to_string(&path).unwrap();
            let kept: String = text
                .lines()
                .filter(|l| !leavers.iter().any(|id| l.starts_with(&format!("{id},"))))
                .map(|l| format!("{l}\n"))
                .collect();
            fs::write(&path, kept).unwrap();
        }
    }
    let new_scheme: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[col("scheme")] == "new" && !leavers.contains(&r[0]))
        .collect();
    let models: Vec<&Vec<String>> = new_scheme
        .iter()
        .step_by((new_scheme.len() / count).max(1))
        .take(count)
        .copied()
        .collect();
    let mut joiners = Vec::new();
    let mut text = fs::read_to_string(dir.join("doctors.csv")).unwrap();
    for (n, model) in models.into_iter().enumerate() {
        let mut j = model.clone();
        j[col("id")] = format!("J{:02}", n + 1);
        j[col("name")] = format!("Joiner {}", n + 1);
        j[col("earliest")] = "2027-09".into();
        j[col("latest_end")] = "2030-06".into();
        j[col("group_from")] = format!("2027-{:02}", 9 + n % 4);
        joiners.push(j[0].clone());
        text.push_str(&(j.join(",") + "\n"));
    }
    fs::write(dir.join("doctors.csv"), text).unwrap();
    (leavers, joiners)
}

/// Generate `doctors`, plan, change the roster, re-plan and verify; print what changed.
fn joiners_and_leavers(doctors: u32, hospitals: u32, count: usize, time_limit: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let inst = tmp.path().join("inst");
    alisplan()
        .args(["generate", "--doctors", &doctors.to_string(), "--hospitals"])
        .arg(hospitals.to_string())
        .args(["--seed", "7"])
        .arg(&inst)
        .assert()
        .success();
    let first = tmp.path().join("first");
    alisplan()
        .arg("plan")
        .arg(&inst)
        .args(["--quiet", "--time-limit", time_limit, "--out"])
        .arg(&first)
        .assert()
        .success();
    let step = doctors as usize / count;
    let (leavers, joiners) = change_roster(&inst, count, step);
    assert_eq!((leavers.len(), joiners.len()), (count, count));
    let next = tmp.path().join("next");
    let seconds = replan_verified(
        &inst,
        &first,
        "2027-07",
        &next,
        &["--time-limit", time_limit],
    )
    .as_secs_f64();
    let changes = rows(&next.join("changes.csv"));
    for id in &leavers {
        let theirs = changes.iter().filter(|c| c.starts_with(&format!("{id},")));
        assert!(
            theirs
                .clone()
                .all(|c| c.ends_with(",cancelled") || c.ends_with(",ended-early")),
            "{id}'s blocks are cancelled or ended"
        );
    }
    let groups = rows(&next.join("groups.csv"));
    for id in &joiners {
        assert!(
            groups.iter().any(|g| g.contains(&format!(",{id},"))),
            "joiner {id} is in a group"
        );
    }
    let group_changes = rows(&next.join("group_changes.csv"));
    let mut kinds: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for c in &changes {
        *kinds.entry(c.rsplit(',').next().unwrap_or("")).or_default() += 1;
    }
    println!(
        "{doctors} doctors, {count} leavers and {count} joiners: replan {seconds:.1} s, {} row(s) in changes.csv ({kinds:?}), {} in group_changes.csv, {} in unplaced.csv",
        changes.len(),
        group_changes.len(),
        rows(&next.join("unplaced.csv")).len()
    );
}

#[test]
fn a_generated_100_doctor_instance_takes_5_joiners_and_5_leavers() {
    joiners_and_leavers(100, 10, 5, "20");
}

#[test]
#[ignore = "about two minutes: run with --ignored"]
fn a_generated_300_doctor_instance_takes_10_joiners_and_10_leavers() {
    joiners_and_leavers(300, 9, 10, "60");
}
