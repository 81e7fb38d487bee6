//! The review and re-planning loop end to end: propose → hospitals review → re-run keeping
//! what was accepted → a doctor takes leave → re-plan from that month.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use alisplan::model::Month;
use assert_cmd::Command;
use common::{Tiny, copy_dir, rows, solve_into};
use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

/// Place `instance` into `tmp/name`.
fn place(instance: &Path, tmp: &TempDir, name: &str) -> PathBuf {
    let out = tmp.path().join(name);
    solve_into("place", instance, &out);
    out
}

#[test]
fn replan_with_nothing_changed_returns_the_previous_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let instance = Path::new("instances/alis-vest");
    let first = place(instance, &tmp, "first");
    let again = tmp.path().join("again");
    alisplan()
        .args([
            "replan",
            "instances/alis-vest",
            "--from",
            "2027-09",
            "--previous",
        ])
        .arg(&first)
        .arg("--out")
        .arg(&again)
        .assert()
        .success()
        .stderr(contains("no changes to the previous plan"));
    assert_eq!(
        fs::read(first.join("placements.csv")).unwrap(),
        fs::read(again.join("placements.csv")).unwrap()
    );
    assert_eq!(
        rows(&again.join("changes.csv")),
        Vec::<String>::new(),
        "zero rows in changes.csv"
    );
    alisplan()
        .args(["verify", "instances/alis-vest"])
        .arg(&again)
        .assert()
        .success();
}

#[test]
fn parental_leave_in_a_running_block_extends_it_at_the_same_place() {
    let tmp = tempfile::tempdir().unwrap();
    let published = place(Path::new("instances/alis-vest"), &tmp, "published");
    let plan = rows(&published.join("placements.csv"));
    let month = |s: &str| s.parse::<Month>().expect("a month");
    // Each doctor's guidance-group years, from doctors.csv (`group_from`, 12 + 12 months).
    let doctors = rows(Path::new("instances/alis-vest/doctors.csv"));
    let group_years = |doctor: &str| {
        let g = doctors
            .iter()
            .find(|r| r.starts_with(&format!("{doctor},")))
            .and_then(|r| r.split(',').nth(10).filter(|c| !c.is_empty()).map(month))?;
        Some([(g, g.plus(11)), (g.plus(12), g.plus(23))])
    };
    // A doctor whose 6-month block, 3 months longer, still leaves a group year in general
    // practice (so the rules let it run on at the same place).
    let may_run_on = |r: &&String| {
        let f: Vec<&str> = r.split(',').collect();
        let (a, b) = (month(f[3]), month(f[4]).plus(3));
        f[5] == "6"
            && group_years(f[0]).is_none_or(|ys| ys.iter().any(|&(y0, y1)| b < y0 || a > y1))
    };
    let row = plan
        .iter()
        .find(may_run_on)
        .expect("a 6-month block that may run on")
        .clone();
    let f: Vec<&str> = row.split(',').collect();
    let (doctor, start) = (f[0], f[3]);
    let from = month(start).plus(2).to_string();
    // Three months of parental leave from the re-plan month on.
    let today = tmp.path().join("today");
    copy_dir(Path::new("instances/alis-vest"), &today);
    let leave_end = month(&from).plus(2);
    let mut leave = fs::read_to_string(today.join("leave.csv")).unwrap();
    leave.push_str(&format!("{doctor},{from},{leave_end},parental\n"));
    fs::write(today.join("leave.csv"), leave).unwrap();

    let new = tmp.path().join("new");
    alisplan()
        .arg("replan")
        .arg(&today)
        .args(["--from", &from, "--previous"])
        .arg(&published)
        .arg("--out")
        .arg(&new)
        .assert()
        .success();
    alisplan()
        .arg("verify")
        .arg(&today)
        .arg(&new)
        .assert()
        .success();

    // History is byte-identical: every row that ended before the re-plan month.
    let before: Vec<&String> = plan
        .iter()
        .filter(|r| r.split(',').nth(4).unwrap() < from.as_str())
        .collect();
    let after = rows(&new.join("placements.csv"));
    for r in &before {
        assert!(after.contains(r), "history row {r} kept as it was");
    }
    // The running block continues at the same department from the same start, 3 months longer.
    let extended = after
        .iter()
        .find(|r| r.starts_with(&format!("{doctor},{},{},{start},", f[1], f[2])))
        .expect("the running block continues at the same place");
    let end = extended.split(',').nth(4).unwrap();
    let old_end = f[4];
    let months = |a: &str, b: &str| month(a).until(month(b));
    assert_eq!(months(old_end, end), 3, "{old_end} -> {end}");
    assert_eq!(
        extended.split(',').nth(5),
        Some("6"),
        "still six months of service"
    );
    // Only the rows that had to change: the extended block and, at most, that doctor's later blocks.
    let changes = rows(&new.join("changes.csv"));
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with(doctor) && c.ends_with(",extended")),
        "{changes:?}"
    );
    assert!(
        changes.iter().all(|c| c.starts_with(doctor)),
        "only {doctor}'s plan had to change: {changes:?}"
    );
    assert!(
        new.join("notify/hospitals")
            .join(format!("{}.csv", f[1]))
            .exists(),
        "the hospital is told"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(new.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replan"]["from"], from.as_str());
}

#[test]
fn review_decisions_are_kept_on_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let proposal = place(Path::new("instances/alis-vest"), &tmp, "proposal");
    // The hospital with the most proposals accepts its first and rejects its second.
    let sheets: Vec<PathBuf> = fs::read_dir(proposal.join("hospitals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    let sheet = sheets
        .iter()
        .max_by_key(|p| (rows(p).len(), p.to_path_buf()))
        .unwrap();
    let text = fs::read_to_string(sheet).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    assert!(lines.len() >= 3, "a sheet with two proposals: {sheet:?}");
    lines[1] = lines[1].replacen(",,", ",accept,", 1);
    lines[2] = lines[2].replacen(",,", ",reject,not this autumn", 1);
    fs::write(sheet, lines.join("\n") + "\n").unwrap();
    let accepted: Vec<String> = lines[1].split(',').map(String::from).collect();
    let rejected: Vec<String> = lines[2].split(',').map(String::from).collect();
    let hospital = sheet.file_stem().unwrap().to_string_lossy().to_string();

    let next = tmp.path().join("next");
    alisplan()
        .args(["place", "instances/alis-vest", "--decisions"])
        .arg(&proposal)
        .arg("--out")
        .arg(&next)
        .assert()
        .success();
    let plan = rows(&next.join("placements.csv"));
    // doctor,doctor_name,home_municipality,scheme,fte,specialty,start,end,…
    let block = |f: &[String]| format!("{},{hospital},{},{},{}", f[0], f[5], f[6], f[7]);
    assert!(
        plan.iter().any(|r| r.starts_with(&block(&accepted))),
        "accepted block kept identical: {}",
        block(&accepted)
    );
    assert!(
        !plan.iter().any(|r| r.starts_with(&block(&rejected))),
        "rejected block gone: {}",
        block(&rejected)
    );
    alisplan()
        .args(["verify", "instances/alis-vest"])
        .arg(&next)
        .assert()
        .success();
    assert!(next.join("changes.csv").exists());
}

#[test]
fn contradictory_sheets_are_reported_with_file_and_line() {
    let mut t = Tiny::new();
    t.set(
        "doctors.csv",
        "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-12\n",
    );
    let dir = t.write();
    let sheets = t.out("reviewed").join("hospitals");
    fs::create_dir_all(&sheets).unwrap();
    fs::write(
        sheets.join("h1.csv"),
        "doctor,doctor_name,home_municipality,specialty,start,end,months,commute_minutes,decision,comment\nd1,D1,M1,medicine,2027-01,2027-06,6,30,accept,\nd1,D1,M1,medicine,2027-04,2027-09,6,30,accept,\n",
    )
    .unwrap();
    let out = t.out("plan");
    alisplan()
        .arg("place")
        .arg(&dir)
        .arg("--decisions")
        .arg(t.out("reviewed"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("hospitals/h1.csv, line 3").and(contains("accepted-overlap")));
    assert!(!out.exists(), "nothing written");

    fs::write(sheets.join("nowhere.csv"), "doctor,decision\nd1,accept\n").unwrap();
    alisplan()
        .arg("place")
        .arg(&dir)
        .arg("--decisions")
        .arg(t.out("reviewed"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("hospitals/nowhere.csv").and(contains("not a hospital")));
}

#[test]
fn partial_locks_pin_the_hospital_or_the_months() {
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-12\nd2,D2,m1,new,2027-01,2027-12\n")
        .set("departments.csv", "hospital,specialty,capacity\nh1,medicine,2\nh2,medicine,2\n")
        .settings("lateness = 1.0");
    // d1: pinned to the far hospital, months free; d2: pinned to start in May, hospital free.
    t.set(
        "locks.csv",
        "doctor,hospital,specialty,start,decision\nd1,h2,,,accept\nd2,,,2027-05,accept\n",
    );
    let dir = t.write();
    let out = t.out("plan");
    alisplan()
        .arg("place")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let plan = rows(&out.join("placements.csv"));
    assert!(
        plan.iter()
            .any(|r| r.starts_with("d1,h2,medicine,2027-01,")),
        "{plan:?}"
    );
    assert!(
        plan.iter()
            .any(|r| r.starts_with("d2,h1,medicine,2027-05,")),
        "{plan:?}"
    );
}
