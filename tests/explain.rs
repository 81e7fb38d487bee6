//! End-to-end tests of `alisplan explain PLAN DOCTOR`: on alis-vest, V11's chosen block,
//! the alternatives and why each was not chosen, checked against the plan's own CSV
//! independently of the analysis; the re-solve with the chosen department forbidden; and
//! bad input.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

fn vest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest")
}

/// A placement row of placements.csv: doctor, "hospital/specialty", first and last month.
struct Row {
    doctor: String,
    department: String,
    start: String,
    end: String,
}

fn placements(plan: &Path) -> Vec<Row> {
    common::rows(&plan.join("placements.csv"))
        .iter()
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Row {
                doctor: f[0].to_string(),
                department: format!("{}/{}", f[1], f[2]),
                start: f[3].to_string(),
                end: f[4].to_string(),
            }
        })
        .collect()
}

/// "2027-07..2027-12" (or one month) as its first and last month.
fn span(text: &str) -> (String, String) {
    match text.split_once("..") {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (text.to_string(), text.to_string()),
    }
}

fn explain_json(plan: &Path, doctor: &str, out: &Path, extra: &[&str]) -> Value {
    alisplan()
        .arg("explain")
        .arg(plan)
        .arg(doctor)
        .arg("--out")
        .arg(out)
        .args(["--quiet"])
        .args(extra)
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(out).expect("the explanation is written"))
        .expect("valid JSON")
}

#[test]
fn explains_v11_with_alternatives_and_the_doctors_and_rules_that_block_them() {
    let root = tempfile::tempdir().unwrap();
    let plan = root.path().join("plan");
    common::solve_into("place", &vest(), &plan);
    let summary: Value =
        serde_json::from_slice(&std::fs::read(plan.join("summary.json")).unwrap()).unwrap();
    let optimal = summary["placement"]["status"] == "optimal";
    let rows = placements(&plan);
    // Enough alternatives to reach the departments other doctors fill.
    let e = explain_json(
        &plan,
        "V11",
        &root.path().join("v11.json"),
        &["--alternatives", "12"],
    );

    // The chosen blocks are V11's rows of placements.csv, each with its cost terms.
    let chosen = e["chosen"].as_array().unwrap();
    let mine: Vec<&Row> = rows.iter().filter(|r| r.doctor == "V11").collect();
    assert_eq!(chosen.len(), mine.len());
    for c in chosen {
        let (a, b) = span(c["months"].as_str().unwrap());
        assert!(
            mine.iter()
                .any(|r| r.department == c["department"] && r.start == a && r.end == b),
            "{c} is not V11's block in placements.csv"
        );
        for term in ["commute", "relocation", "substitute"] {
            assert!(c["terms"].get(term).is_some(), "{term} missing in {c}");
        }
    }

    // Alternatives are named, and each says why it was not chosen.
    let alternatives = e["alternatives"].as_array().unwrap();
    assert!(!alternatives.is_empty(), "no alternative for V11");
    let mut checked_blockers = 0;
    for a in alternatives {
        let dept = a["department"].as_str().unwrap();
        let (first, last) = span(a["months"].as_str().unwrap());
        assert!(
            !mine
                .iter()
                .any(|r| r.department == dept && r.start == first && r.end == last),
            "the alternative {a} is the chosen block"
        );
        let blocked = a["blocked_by"].as_array().unwrap();
        if blocked.is_empty() {
            // Possible with the rest of the plan as it is: a proven optimal plan cannot be
            // improved by it.
            if optimal {
                assert!(
                    a["difference"].as_f64().unwrap() >= -1e-6,
                    "{a} would improve a proven optimal plan"
                );
            }
            continue;
        }
        for b in blocked {
            let rule = b["rule"].as_str().unwrap();
            let months: Vec<&str> = b["months"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap())
                .collect();
            let doctors: Vec<&str> = b["doctors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap())
                .collect();
            assert!(!months.is_empty() && !doctors.is_empty(), "{b}");
            if rule == "department_capacity" {
                // Each month named is occupied in that department by a doctor named.
                for m in &months {
                    assert!(
                        rows.iter().any(|r| doctors.contains(&r.doctor.as_str())
                            && r.department == dept
                            && r.start.as_str() <= *m
                            && *m <= r.end.as_str()),
                        "{rule}: no named doctor is at {dept} in {m} ({b})"
                    );
                }
                checked_blockers += 1;
            }
        }
    }
    assert!(
        checked_blockers > 0,
        "no alternative of V11 is blocked by a full department: {alternatives:?}"
    );

    // Forbidding the chosen department moves V11 elsewhere, at a cost that cannot be
    // below the plan's own (the re-solve is a restriction of the same problem).
    let forbidden = e["forbidden"].as_array().unwrap();
    assert_eq!(forbidden.len(), 1);
    let f = &forbidden[0];
    assert_eq!(f["department"], chosen[0]["department"]);
    assert_eq!(f["proven"], true, "{f}");
    assert!(f["difference"].as_f64().unwrap() >= -1e-6, "{f}");
    let v11 = f["moves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["doctor"] == "V11")
        .expect("V11 moves");
    assert!(
        !v11["after"]
            .as_str()
            .unwrap()
            .starts_with(f["department"].as_str().unwrap()),
        "{v11}"
    );

    // The console names the alternatives and the rule names.
    alisplan()
        .arg("explain")
        .arg(&plan)
        .args(["V11", "--no-resolve", "--alternatives", "12"])
        .assert()
        .success()
        .stdout(contains("best alternatives"))
        .stdout(contains(alternatives[0]["department"].as_str().unwrap()))
        .stdout(contains("blocked by department_capacity"));
}

#[test]
fn writes_csv_atomically_and_refuses_to_overwrite_without_force() {
    let root = tempfile::tempdir().unwrap();
    let plan = root.path().join("plan");
    common::solve_into("place", &vest(), &plan);
    let out = root.path().join("v05.csv");
    let run = |force: bool| {
        let mut c = alisplan();
        c.arg("explain")
            .arg(&plan)
            .args(["V05", "--no-resolve", "--quiet", "--out"])
            .arg(&out);
        if force {
            c.arg("--force");
        }
        c.assert()
    };
    run(false).success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("doctor,kind,department,months"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("V05,chosen,")), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("V05,alternative,")),
        "{text}"
    );
    std::fs::write(&out, "mine").unwrap();
    run(false).code(1).stderr(contains("already exists"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    run(true).success();
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("doctor,")
    );
}

#[test]
fn bad_input_exits_1_naming_the_file_and_rule() {
    let root = tempfile::tempdir().unwrap();
    let plan = root.path().join("plan");
    common::solve_into("place", &vest(), &plan);
    let out = root.path().join("x.json");
    alisplan()
        .arg("explain")
        .arg(&plan)
        .args(["V99", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("doctors.csv"))
        .stderr(contains("unknown-doctor"));
    assert!(!out.exists(), "nothing is written on bad input");
    alisplan()
        .arg("explain")
        .arg(root.path().join("no-such-plan"))
        .arg("V11")
        .assert()
        .code(1)
        .stderr(contains("missing-folder"));
    // A plan whose summary.json is gone needs --instance.
    let bare = root.path().join("bare");
    common::copy_dir(&plan, &bare);
    std::fs::remove_file(bare.join("summary.json")).unwrap();
    alisplan()
        .arg("explain")
        .arg(&bare)
        .arg("V11")
        .assert()
        .code(1)
        .stderr(contains("summary.json"))
        .stderr(contains("--instance"));
    alisplan()
        .arg("explain")
        .arg(&bare)
        .args(["V11", "--no-resolve", "--instance"])
        .arg(vest())
        .assert()
        .success()
        .stdout(contains("doctor V11"));
}

#[test]
fn a_folder_of_groups_alone_is_refused_by_explain_and_report_naming_the_missing_file() {
    let root = tempfile::tempdir().unwrap();
    let groups = root.path().join("groups");
    alisplan()
        .arg("groups")
        .arg(vest())
        .arg("--out")
        .arg(&groups)
        .args(["--quiet"])
        .assert()
        .success();
    alisplan()
        .arg("explain")
        .arg(&groups)
        .arg("V01")
        .assert()
        .code(1)
        .stderr(contains("placements.csv"))
        .stderr(contains("explain needs a plan's hospital placements"))
        .stderr(contains("[missing-file]"));
    alisplan()
        .arg("report")
        .arg(vest())
        .arg(&groups)
        .assert()
        .code(1)
        .stderr(contains("the report shows a plan's hospital placements"))
        .stderr(contains("[missing-file]"));
}
