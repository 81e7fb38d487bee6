//! `alisplan plan`, the README's main command, end to end.

use std::fs;

use assert_cmd::Command;
use predicates::str::contains;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

#[test]
fn plan_writes_every_output_and_the_whole_plan_verifies() {
    for name in ["alis-vest", "alis-nord"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("plan");
        let instance = format!("instances/{name}");
        alisplan()
            .args(["plan", &instance, "--out"])
            .arg(&out)
            .assert()
            .success();
        for file in [
            "placements.csv",
            "unplaced.csv",
            "groups.csv",
            "summary.json",
            "report.html",
        ] {
            assert!(out.join(file).is_file(), "{name}: {file} written");
        }
        assert!(
            fs::read_dir(out.join("hospitals")).unwrap().count() > 0,
            "{name}: review sheets"
        );
        let calendars = fs::read_dir(out.join("calendars")).unwrap().count();
        assert!(calendars > 0, "{name}: calendars");
        let s: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
        assert_eq!(s["placement"]["status"], "optimal", "{name}");
        assert_eq!(s["groups"]["status"], "optimal", "{name}");
        assert_eq!(s["command"], "plan");
        alisplan()
            .args(["verify", &instance])
            .arg(&out)
            .assert()
            .success()
            .stdout(contains("groups"));
        let html = fs::read_to_string(out.join("report.html")).unwrap();
        assert!(
            html.contains("<svg"),
            "{name}: the report has its timelines"
        );
    }
}

#[test]
fn plan_refuses_to_overwrite_and_leaves_nothing_half_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    alisplan()
        .args(["plan", "instances/alis-vest", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let before = fs::read(out.join("placements.csv")).unwrap();
    alisplan()
        .args(["plan", "instances/alis-vest", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("--force"));
    assert_eq!(fs::read(out.join("placements.csv")).unwrap(), before);
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no temporary folder left"
    );
}
