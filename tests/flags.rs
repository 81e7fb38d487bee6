//! Command-line numbers get the same bounds as the settings they override: out of range,
//! the command exits with 2, names the allowed range and writes nothing.

use assert_cmd::Command;
use tempfile::TempDir;

const VEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/instances/alis-vest");

/// Run `alisplan COMMAND VEST --out OUT FLAG VALUE`; require exit 2, a message naming the
/// flag and `range`, and no output folder.
fn refused(command: &str, flag: &str, value: &str, range: &str) {
    let tmp = TempDir::new().expect("temp dir");
    let out = tmp.path().join("out");
    let run = Command::cargo_bin("alisplan")
        .expect("binary")
        .args([command, VEST, "--out"])
        .arg(&out)
        .args([flag, value])
        .output()
        .expect("run alisplan");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        run.status.code(),
        Some(2),
        "{command} {flag} {value}: {stderr}"
    );
    assert!(
        stderr.contains(&format!("invalid value '{value}' for '{flag}")),
        "{command} {flag} {value}: {stderr}"
    );
    assert!(stderr.contains(range), "{command} {flag} {value}: {stderr}");
    assert!(
        !out.exists(),
        "{command} {flag} {value} wrote {}",
        out.display()
    );
}

const GAP: &str = "the gap must be at least 0 and below 1";
const TIME: &str = "the time limit in seconds must be above 0 and at most 1000000";
const THREADS: &str = "threads must be from 1 to 256";

#[test]
fn a_gap_of_one_or_more_is_refused() {
    refused("place", "--gap", "1", GAP);
    refused("place", "--gap", "2", GAP);
}

#[test]
fn a_gap_that_is_not_a_number_is_refused() {
    refused("place", "--gap", "nan", GAP);
    refused("groups", "--gap", "inf", GAP);
}

#[test]
fn a_negative_gap_is_refused_for_its_range() {
    refused("place", "--gap", "-0.1", GAP);
}

#[test]
fn a_time_limit_of_zero_or_nan_is_refused() {
    refused("place", "--time-limit", "0", TIME);
    refused("plan", "--time-limit", "nan", TIME);
    refused("groups", "--time-limit", "inf", TIME);
}

#[test]
fn a_negative_time_limit_is_a_value_out_of_range_not_an_unknown_flag() {
    refused("place", "--time-limit", "-5", TIME);
}

#[test]
fn zero_threads_are_refused() {
    refused("place", "--threads", "0", THREADS);
    refused("groups", "--threads", "-1", THREADS);
}

#[test]
fn flags_within_their_range_are_taken() {
    let tmp = TempDir::new().expect("temp dir");
    let out = tmp.path().join("out");
    Command::cargo_bin("alisplan")
        .expect("binary")
        .args(["groups", VEST, "--out"])
        .arg(&out)
        .args(["--gap", "0.5", "--time-limit", "30", "--threads", "1", "-q"])
        .assert()
        .success();
    assert!(out.join("groups.csv").exists());
}
