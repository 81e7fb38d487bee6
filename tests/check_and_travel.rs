//! `alisplan check` on the bundled instances and its early warnings on crafted ones,
//! `alisplan travel`, and `alisplan verify` on a hand-made plan for ALIS-Vest.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

const VEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/instances/alis-vest");
const NORD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/instances/alis-nord");

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn alisplan(args: &[&str], dir: &Path) -> Run {
    let out = Command::cargo_bin("alisplan")
        .expect("binary")
        .args(args)
        .arg(dir)
        .output()
        .expect("run alisplan");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The summary sections a project leader reads, in order.
const SECTIONS: [&str; 6] = [
    "instance is valid",
    "Doctors per municipality (new scheme / old scheme / part-time):",
    "Required hospital service:",
    "Slots per department",
    "Nearest suitable hospital per doctor:",
    "Guidance groups:",
];

fn assert_sections(stdout: &str) {
    let mut from = 0;
    for s in SECTIONS {
        let at = stdout[from..]
            .find(s)
            .unwrap_or_else(|| panic!("section '{s}' missing or out of order in:\n{stdout}"));
        from += at + s.len();
    }
}

/// The line of `stdout` that starts (after indentation) with `label`.
fn line_with<'a>(stdout: &'a str, label: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no line starting with '{label}' in:\n{stdout}"))
}

#[test]
fn check_passes_alis_vest_and_summarises_it() {
    let r = alisplan(&["check"], Path::new(VEST));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_sections(&r.stdout);
    assert!(r.stdout.starts_with("ALIS-Vest: instance is valid"));
    assert!(
        r.stdout
            .contains("15 doctors in 11 municipalities; 10 hospitals with 22 departments"),
        "{}",
        r.stdout
    );
    // Bergen has two new-scheme doctors (a 2027 plan has no old scheme), nobody part-time,
    // max_away 2.
    let bergen: Vec<&str> = line_with(&r.stdout, "Bergen ").split_whitespace().collect();
    assert_eq!(bergen[1..], ["2", "/", "0", "/", "0", "max", "away", "2"]);
    // The README of the instance counts 98 calendar months (90 at full time).
    assert!(
        r.stdout
            .contains("Required hospital service: 90 full-time months = 98 calendar months"),
        "{}",
        r.stdout
    );
    // Haukeland medicine has 2 slots every month: 24 slot-months a year.
    let dep = line_with(&r.stdout, "haukeland/medicine");
    assert!(dep.contains("2027:24 2028:24 2029:24 2030:24"), "{dep}");
    assert!(dep.contains("starts 2;8"), "{dep}");
    // The capacity override of Odda surgery (closed 2028-06..08) shows in 2028.
    assert!(line_with(&r.stdout, "odda-sjukehus/surgery").contains("2028:9 "));
    assert!(line_with(&r.stdout, "laerdal-sjukehus/medicine").contains("min fill 1"));
    // V11 (Gulen) has no hospital within 90 minutes but agreed to relocate.
    assert!(
        line_with(&r.stdout, "must relocate for every hospital (agreed):").contains("V11"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Guidance groups: 15 doctors due"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("No early warnings."), "{}", r.stdout);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn check_passes_alis_nord_and_summarises_it() {
    let r = alisplan(&["check"], Path::new(NORD));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_sections(&r.stdout);
    assert!(r.stdout.contains("32 doctors"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Guidance groups: 32 doctors due"),
        "{}",
        r.stdout
    );
}

#[test]
fn check_quiet_prints_nothing_on_a_valid_instance() {
    let r = alisplan(&["check", "--quiet"], Path::new(VEST));
    assert_eq!(r.code, Some(0));
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "");
}

/// A copy of alis-vest in a temporary folder.
fn copy_vest() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().expect("temp dir");
    let dir = tmp.path().join("inst");
    fs::create_dir(&dir).expect("create");
    for e in fs::read_dir(VEST).expect("read alis-vest") {
        let e = e.expect("entry");
        fs::copy(e.path(), dir.join(e.file_name())).expect("copy");
    }
    (tmp, dir)
}

/// Replace the row of `file` that starts with `key,` by `row`.
fn replace_row(dir: &Path, file: &str, key: &str, row: &str) {
    let text = fs::read_to_string(dir.join(file)).expect("read");
    assert!(text.lines().any(|l| l.starts_with(&format!("{key},"))));
    let out: Vec<&str> = text
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{key},")) {
                row
            } else {
                l
            }
        })
        .collect();
    fs::write(dir.join(file), out.join("\n") + "\n").expect("write");
}

#[test]
fn a_doctor_who_cannot_reach_any_hospital_is_warned_about_early() {
    let (_tmp, dir) = copy_vest();
    // V11 lives in Gulen, 124 minutes from the nearest hospital; now they will not relocate.
    replace_row(
        &dir,
        "doctors.csv",
        "V11",
        "V11,Jon Eide,gulen,new,100,2027-03,2030-02,,,no,2027-09",
    );
    let r = alisplan(&["check"], &dir);
    assert_eq!(r.code, Some(0), "a warning is not an error: {}", r.stderr);
    let warning = r
        .stderr
        .lines()
        .find(|l| l.starts_with("warning: doctor V11 "))
        .unwrap_or_else(|| panic!("no warning about V11:\n{}", r.stderr));
    assert!(warning.contains("Gulen"), "{warning}");
    assert!(warning.contains("90 min commute limit"), "{warning}");
    assert!(warning.contains("will not relocate"), "{warning}");
    assert!(warning.contains("124 min"), "{warning}");
    assert!(r.stdout.contains("1 early warning(s)"), "{}", r.stdout);
    assert!(!r.stdout.contains("No early warnings."));
}

#[test]
fn a_group_period_that_leaves_no_room_for_hospital_service_is_warned_about() {
    let (_tmp, dir) = copy_vest();
    // V02 now needs 14 months; the group years 2027-01..2027-12 and 2028-01..2028-12
    // cover the whole window and one of them must be spent in practice.
    replace_row(
        &dir,
        "doctors.csv",
        "V02",
        "V02,Eirik Solheim,bergen,old,100,2027-01,2028-12,14,,no,2027-01",
    );
    let r = alisplan(&["check"], &dir);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .lines()
            .any(|l| l.starts_with("warning: doctor V02: 14 hospital months are needed, but only 0 free months of the window lie outside the guidance-group years 2027-01..2027-12 and 2028-01..2028-12")
                && l.ends_with("(group_period_in_practice)")),
        "{}",
        r.stderr
    );
}

#[test]
fn too_few_venue_slots_for_the_groups_are_warned_about() {
    let (_tmp, dir) = copy_vest();
    fs::write(
        dir.join("venues.csv"),
        "place,max_groups,name\nbergen,1,Bergen\n",
    )
    .expect("write venues");
    let r = alisplan(&["check"], &dir);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning: 15 doctors need at least 2 groups of at most 10, but venues can host 1"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn check_lists_each_doctor_once_among_those_who_must_relocate() {
    let (_tmp, dir) = copy_vest();
    // V08 (Lærdal, old scheme) needs 6 months psychiatry (nearest in Førde) and 6 months in
    // any department (nearest in Lærdal) and may relocate; with a 1-minute commute limit
    // every hospital is beyond reach for both parts.
    let req = dir.join("requirements.csv");
    let mut text = fs::read_to_string(&req).expect("read");
    text.push_str("V08,psychiatry,6,,,\nV08,any,6,,,\n");
    fs::write(&req, text).expect("write");
    replace_row(
        &dir,
        "doctors.csv",
        "V08",
        "V08,Siri Bakke,laerdal,old,100,2027-01,2028-08,,1,yes,2027-09",
    );
    let r = alisplan(&["check"], &dir);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let line = line_with(&r.stdout, "must relocate for every hospital (agreed):");
    assert_eq!(line.matches("V08").count(), 1, "{line}");
}

#[test]
fn travel_prints_every_municipality_and_hospital() {
    let r = alisplan(&["travel"], Path::new(VEST));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    // Header, 11 municipalities, the footnote.
    assert_eq!(lines.len(), 1 + 11 + 1, "{}", r.stdout);
    assert_eq!(lines[0].split_whitespace().count(), 1 + 10);
    assert_eq!(
        *lines.last().expect("footnote"),
        "(* = the fastest route uses a ferry)"
    );
}

#[test]
fn travel_csv_is_the_same_on_every_run() {
    let a = alisplan(&["travel", "--csv"], Path::new(NORD));
    let b = alisplan(&["travel", "--csv"], Path::new(NORD));
    assert_eq!(a.code, Some(0), "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert!(!a.stdout.contains(",,"), "every pair must be connected");
}

#[test]
fn check_and_travel_fail_with_exit_1_on_an_invalid_instance() {
    let (_tmp, dir) = copy_vest();
    replace_row(&dir, "leave.csv", "V13", "V13,2028-05,2028-04,other");
    for cmd in ["check", "travel"] {
        let r = alisplan(&[cmd], &dir);
        assert_eq!(r.code, Some(1), "{cmd}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{cmd} printed: {}", r.stdout);
        assert!(
            r.stderr.contains(
                "leave.csv, line 4, column 3 (to): to 2028-04 is before from 2028-05 [range-order]"
            ),
            "{}",
            r.stderr
        );
    }
}

/// A plan for ALIS-Vest kept as a fixture (found once with a throwaway depth-first search over
/// the instance's files, commute minutes from `alisplan travel --csv`): every doctor served,
/// capacities, start months, leave, commutes, `max_away` and the group periods kept.
const VEST_PLAN: &str = "\
doctor,hospital,specialty,start,end,months,commute_minutes,relocate\n\
V01,haraldsplass,medicine,2027-01,2027-06,6,6,no\n\
V02,haraldsplass,geriatrics,2027-01,2027-06,6,6,no\n\
V03,stord-sjukehus,medicine,2027-01,2027-06,6,46,no\n\
V04,stord-sjukehus,medicine,2027-07,2028-02,8,46,no\n\
V05,odda-sjukehus,medicine,2027-01,2027-06,6,3,no\n\
V06,odda-sjukehus,medicine,2028-02,2028-11,10,3,no\n\
V07,laerdal-sjukehus,medicine,2027-01,2027-06,6,4,no\n\
V08,laerdal-sjukehus,medicine,2027-07,2027-12,6,4,no\n\
V09,stord-sjukehus,medicine,2027-01,2027-06,6,4,no\n\
V10,haraldsplass,geriatrics,2027-07,2027-12,6,84,no\n\
V11,haraldsplass,medicine,2028-01,2028-06,6,124,yes\n\
V12,forde-sjukehus,psychiatry,2027-01,2027-06,6,69,no\n\
V13,laerdal-sjukehus,orthopaedics,2027-01,2027-08,8,46,no\n\
V14,haukeland,medicine,2027-02,2027-07,6,85,no\n\
V15,hagevik,orthopaedics,2027-01,2027-06,6,48,no\n\
";

fn plan_dir(placements: &str, unplaced: Option<&str>) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().expect("temp dir");
    let dir = tmp.path().join("plan");
    fs::create_dir(&dir).expect("create");
    fs::write(dir.join("placements.csv"), placements).expect("write placements");
    if let Some(u) = unplaced {
        fs::write(dir.join("unplaced.csv"), u).expect("write unplaced");
    }
    (tmp, dir)
}

fn verify(plan: &Path) -> Run {
    let out = Command::cargo_bin("alisplan")
        .expect("binary")
        .args(["verify", VEST])
        .arg(plan)
        .output()
        .expect("run alisplan verify");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn verify_passes_a_correct_plan() {
    let (_tmp, dir) = plan_dir(VEST_PLAN, None);
    let r = verify(&dir);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("passes every rule (15 blocks of 15 doctors)"),
        "{}",
        r.stdout
    );
}

#[test]
fn verify_names_the_rule_doctor_hospital_and_month_of_a_violation() {
    // Haukeland starts rotations in February and August; V14 now starts in March.
    let broken = VEST_PLAN.replace(
        "V14,haukeland,medicine,2027-02,2027-07,",
        "V14,haukeland,medicine,2027-03,2027-08,",
    );
    assert_ne!(broken, VEST_PLAN);
    let (_tmp, dir) = plan_dir(&broken, None);
    let r = verify(&dir);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        [
            "allowed_start_months: doctor V14 hospital haukeland 2027-03: haukeland/medicine starts rotations only in months 2, 8 of the year"
        ],
    );
    assert!(r.stderr.contains("error:"), "{}", r.stderr);
}

#[test]
fn verify_accepts_a_doctor_reported_unplaced_with_a_reason() {
    let without_v11: String = VEST_PLAN
        .lines()
        .filter(|l| !l.starts_with("V11,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (_tmp, dir) = plan_dir(&without_v11, None);
    let r = verify(&dir);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stdout.starts_with("requirement_met: doctor V11"),
        "{}",
        r.stdout
    );
    let (_tmp, dir) = plan_dir(
        &without_v11,
        Some("doctor,specialty,months,reason\nV11,any,6,no slot within reach\n"),
    );
    let r = verify(&dir);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("warning: doctor V11 is reported unplaced: no slot within reach"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("1 unplaced with reasons"), "{}", r.stdout);
}

#[test]
fn travel_csv_leaves_km_empty_when_the_network_gives_none() {
    let (_tmp, dir) = copy_vest();
    let text = fs::read_to_string(dir.join("network.csv")).expect("read");
    let no_km: Vec<String> = text
        .lines()
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            format!("{},{},{},{}", c[0], c[1], c[2], c[4])
        })
        .collect();
    fs::write(dir.join("network.csv"), no_km.join("\n") + "\n").expect("write");
    let with = alisplan(&["travel", "--csv"], Path::new(VEST));
    let without = alisplan(&["travel", "--csv"], &dir);
    assert_eq!(without.code, Some(0), "{}", without.stderr);
    for (a, b) in with.stdout.lines().zip(without.stdout.lines()).skip(1) {
        let a: Vec<&str> = a.split(',').collect();
        let b: Vec<&str> = b.split(',').collect();
        assert_eq!((a[0], a[1], a[2], a[4]), (b[0], b[1], b[2], b[4]));
        assert!(!a[3].is_empty());
        assert_eq!(b[3], "", "km must be empty when unknown");
    }
}
