//! A year of roster changes on `instances/alis-vest`, re-planned month by month through the
//! binary: a doctor leaves in April, one joins in May (due a guidance group), sick leave is
//! reported late inside a block already served, and a department loses its slot while a
//! block runs there. Every re-plan succeeds, passes `verify --previous`, lists in
//! `changes.csv` exactly the blocks that changed, and moves nobody outside the affected
//! doctors' departments and groups.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{copy_dir, replan_verified, rows, solve_into};
use tempfile::TempDir;

mod common;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

/// One row of `placements.csv`, by column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    doctor: String,
    department: String,
    start: String,
    end: String,
    months: String,
}

fn placements(plan: &Path) -> Vec<Row> {
    rows(&plan.join("placements.csv"))
        .iter()
        .map(|r| {
            let f: Vec<&str> = r.split(',').collect();
            Row {
                doctor: f[0].into(),
                department: format!("{}/{}", f[1], f[2]),
                start: f[3].into(),
                end: f[4].into(),
                months: f[5].into(),
            }
        })
        .collect()
}

/// doctor → group, from `groups.csv`.
fn groups(plan: &Path) -> BTreeMap<String, String> {
    rows(&plan.join("groups.csv"))
        .iter()
        .map(|r| {
            let f: Vec<&str> = r.split(',').collect();
            (f[3].to_string(), f[0].to_string())
        })
        .collect()
}

/// The rows of `changes.csv`, split into columns.
fn changes(plan: &Path) -> Vec<Vec<String>> {
    rows(&plan.join("changes.csv"))
        .iter()
        .map(|r| r.split(',').map(String::from).collect())
        .collect()
}

struct Year {
    tmp: TempDir,
    today: PathBuf,
    step: usize,
}

impl Year {
    fn new() -> Year {
        let tmp = tempfile::tempdir().unwrap();
        let today = tmp.path().join("today");
        copy_dir(Path::new("instances/alis-vest"), &today);
        common::old_scheme_vest(&today);
        Year {
            tmp,
            today,
            step: 0,
        }
    }

    fn plan(&self) -> PathBuf {
        let out = self.tmp.path().join("plan-0");
        solve_into("plan", &self.today, &out);
        out
    }

    /// Edit a file of today's instance.
    fn edit(&self, file: &str, f: impl FnOnce(String) -> String) {
        let path = self.today.join(file);
        let text = fs::read_to_string(&path).unwrap_or_default();
        fs::write(&path, f(text)).unwrap();
    }

    /// `alisplan replan` of today's instance.
    fn replan_cmd(&self, previous: &Path, from: &str, out: &Path) -> Command {
        let mut cmd = alisplan();
        cmd.arg("replan")
            .arg(&self.today)
            .args(["--from", from, "--previous"])
            .arg(previous)
            .arg("--out")
            .arg(out);
        cmd
    }

    /// Re-plan `previous` from `from`, check it with `verify --previous`, and return it.
    fn replan(&mut self, previous: &Path, from: &str) -> PathBuf {
        self.step += 1;
        let out = self.tmp.path().join(format!("plan-{}", self.step));
        replan_verified(&self.today, previous, from, &out, &[]);
        out
    }
}

/// `changes.csv` of `new` lists exactly the blocks that differ between `old` and `new`
/// (as before/after descriptions), and every block that moved belongs to an affected
/// doctor or lay in a department one of them uses.
fn exactly_the_changed_rows(old: &Path, new: &Path, from: &str, affected: &[&str]) {
    let before: BTreeSet<Row> = placements(old).into_iter().collect();
    let after: BTreeSet<Row> = placements(new).into_iter().collect();
    // A leaver's rows leave the plan; what they served before `from` stays in the old one.
    let leavers: BTreeSet<String> = before
        .iter()
        .filter(|r| after.iter().all(|a| a.doctor != r.doctor))
        .map(|r| r.doctor.clone())
        .collect();
    let describe = |r: &Row| {
        if r.start == r.end {
            format!("{} {}", r.department, r.start)
        } else {
            format!("{} {}..{}", r.department, r.start, r.end)
        }
    };
    let gone: BTreeSet<(String, String)> = before
        .difference(&after)
        .filter(|r| !(leavers.contains(&r.doctor) && r.end.as_str() < from))
        .map(|r| (r.doctor.clone(), describe(r)))
        .collect();
    let added: BTreeSet<(String, String)> = after
        .difference(&before)
        .map(|r| (r.doctor.clone(), describe(r)))
        .collect();
    let listed = changes(new);
    let listed_before: BTreeSet<(String, String)> = listed
        .iter()
        .filter(|c| !c[1].is_empty())
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect();
    let listed_after: BTreeSet<(String, String)> = listed
        .iter()
        .filter(|c| !c[2].is_empty())
        .map(|c| (c[0].clone(), c[2].clone()))
        .collect();
    assert_eq!(
        listed_before, gone,
        "changes.csv 'before' = the blocks gone from the plan"
    );
    // The part of a leaver's running block that was served is in no plan row.
    let listed_after: BTreeSet<(String, String)> = listed_after
        .into_iter()
        .filter(|(d, _)| !leavers.contains(d))
        .collect();
    assert_eq!(
        listed_after, added,
        "changes.csv 'after' = the blocks new in the plan"
    );
    let departments: BTreeSet<String> = before
        .iter()
        .chain(&after)
        .filter(|r| affected.contains(&r.doctor.as_str()))
        .map(|r| r.department.clone())
        .collect();
    for r in before.difference(&after) {
        assert!(
            affected.contains(&r.doctor.as_str()) || departments.contains(&r.department),
            "{r:?} moved, but {} is not affected and {} is not a department of {affected:?}",
            r.doctor,
            r.department
        );
    }
}

/// Nobody changed group but the affected doctors and the members of their groups.
fn only_affected_groups_changed(old: &Path, new: &Path, affected: &[&str]) {
    let (before, after) = (groups(old), groups(new));
    let touched: BTreeSet<&String> = affected
        .iter()
        .filter_map(|d| before.get(*d).or(after.get(*d)))
        .collect();
    for (doctor, group) in &before {
        if after.get(doctor) != Some(group) && !affected.contains(&doctor.as_str()) {
            assert!(
                touched.contains(group),
                "{doctor} moved from {group}, which no affected doctor was in"
            );
        }
    }
}

/// The first block running at `from` (started before, ends at or after), as a row.
fn running_at(plan: &Path, from: &str) -> Row {
    placements(plan)
        .into_iter()
        .find(|r| r.start.as_str() < from && r.end.as_str() >= from)
        .expect("a block running at the re-plan month")
}

#[test]
fn a_year_of_roster_changes_is_re_planned_with_only_the_rows_that_had_to_change() {
    let mut year = Year::new();
    let p0 = year.plan();

    // April: V15 leaves the programme; the planner deletes their rows everywhere.
    let leaver = "V15";
    for file in ["doctors.csv", "leave.csv", "preferences.csv", "locks.csv"] {
        if !year.today.join(file).exists() {
            continue;
        }
        year.edit(file, |t| {
            t.lines()
                .filter(|l| !l.starts_with(&format!("{leaver},")))
                .map(|l| format!("{l}\n"))
                .collect()
        });
    }
    let p1 = year.replan(&p0, "2027-04");
    let leaver_rows: Vec<Vec<String>> = changes(&p1);
    assert!(
        leaver_rows.iter().all(|c| c[0] == leaver)
            && leaver_rows
                .iter()
                .any(|c| c[3] == "ended-early" || c[3] == "cancelled"),
        "only the leaver's blocks change: {leaver_rows:?}"
    );
    assert!(placements(&p1).iter().all(|r| r.doctor != leaver));
    assert!(!groups(&p1).contains_key(leaver));
    exactly_the_changed_rows(&p0, &p1, "2027-04", &[leaver]);
    only_affected_groups_changed(&p0, &p1, &[leaver]);
    // The hospital where the leaver's block was to run on.
    let hospital = placements(&p0)
        .into_iter()
        .find(|r| r.doctor == leaver && r.end.as_str() >= "2027-04")
        .and_then(|r| r.department.split('/').next().map(String::from))
        .expect("the leaver has a block running on");
    let notified = fs::read_to_string(p1.join(format!("notify/hospitals/{hospital}.csv"))).unwrap();
    assert!(notified.contains(leaver), "the hospital hears: {notified}");

    // May: V16 joins in Kvam, due a guidance group from September.
    let joiner = "V16";
    year.edit("doctors.csv", |t| {
        t + "V16,Nina Berg,kvam,new,100,2027-06,2029-12,,,no,2027-09\n"
    });
    let p2 = year.replan(&p1, "2027-05");
    assert!(
        changes(&p2)
            .iter()
            .all(|c| c[0] == joiner && c[3] == "added"),
        "only the joiner's blocks are new: {:?}",
        changes(&p2)
    );
    assert!(placements(&p2).iter().any(|r| r.doctor == joiner));
    assert!(groups(&p2).contains_key(joiner), "the joiner is in a group");
    exactly_the_changed_rows(&p1, &p2, "2027-05", &[joiner]);
    only_affected_groups_changed(&p1, &p2, &[joiner]);
    let moved: Vec<String> = rows(&p2.join("group_changes.csv"));
    assert_eq!(
        moved,
        vec![format!("{joiner},,{},joined", groups(&p2)[joiner])],
        "nobody else changed group"
    );

    // August: sick leave reported late inside a block that ended in June.
    let served = placements(&p2)
        .into_iter()
        .find(|r| r.end.as_str() < "2027-08" && r.months == "6" && r.start.as_str() <= "2027-02")
        .expect("a six-month block served before August");
    let sick_from = format!("2027-{:02}", served.start[5..].parse::<u32>().unwrap() + 2);
    let sick_to = format!("2027-{:02}", served.start[5..].parse::<u32>().unwrap() + 3);
    year.edit("leave.csv", |t| {
        t + &format!("{},{sick_from},{sick_to},sick\n", served.doctor)
    });
    let p3 = year.replan(&p2, "2027-08");
    let kinds: BTreeSet<String> = changes(&p3).iter().map(|c| c[3].clone()).collect();
    assert!(
        kinds.contains("interrupted") && kinds.contains("added"),
        "the served block is interrupted and its months are made up: {:?}",
        changes(&p3)
    );
    let kept = placements(&p3)
        .into_iter()
        .find(|r| r.doctor == served.doctor && r.start == served.start)
        .expect("history kept");
    assert_eq!(
        (kept.end.as_str(), kept.months.as_str()),
        (served.end.as_str(), "4")
    );
    let makeup = rows(&p3.join("placements.csv"))
        .into_iter()
        .find(|r| {
            r.starts_with(&format!("{},", served.doctor))
                && r.ends_with(&format!(",{}", served.start))
        })
        .expect("a make-up block completes the interrupted one");
    assert!(makeup.split(',').nth(5) == Some("2"), "{makeup}");
    exactly_the_changed_rows(&p2, &p3, "2027-08", &[served.doctor.as_str()]);

    // October: the department of a running block loses its slot for eight months.
    let from = "2027-10";
    let running = running_at(&p3, from);
    let (hospital, specialty) = running.department.split_once('/').unwrap();
    year.edit("capacity.csv", |t| {
        t + &format!("{hospital},{specialty},2027-10,2028-05,0\n")
    });
    let p4 = year.replan(&p3, from);
    let rows4 = changes(&p4);
    assert!(
        rows4
            .iter()
            .any(|c| c[0] == running.doctor && c[3] == "ended-early"),
        "{rows4:?}"
    );
    let ended = placements(&p4)
        .into_iter()
        .find(|r| r.doctor == running.doctor && r.start == running.start)
        .expect("the running block is kept up to the re-plan month");
    assert_eq!(ended.end, "2027-09");
    exactly_the_changed_rows(&p3, &p4, from, &[running.doctor.as_str()]);
    only_affected_groups_changed(&p3, &p4, &[]);
    assert!(
        !p4.join("group_changes.csv").exists() || rows(&p4.join("group_changes.csv")).is_empty()
    );
}

#[test]
fn replan_from_outside_the_horizon_is_a_usage_error_or_a_warning() {
    let year = Year::new();
    let p0 = year.plan();
    let out = year.tmp.path().join("late");
    year.replan_cmd(&p0, "2031-01", &out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("after the horizon"));
    assert!(!out.exists(), "nothing written");
    year.replan_cmd(&p0, "2026-06", &year.tmp.path().join("early"))
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "before the horizon starts (2027-01): no month of the previous plan is history",
        ));
    // A re-plan may not reopen the history of the re-plan it starts from.
    let again = year.tmp.path().join("again");
    year.replan_cmd(&p0, "2027-06", &again).assert().success();
    year.replan_cmd(&again, "2027-03", &year.tmp.path().join("reopen"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "its history cannot be opened again",
        ));
}
