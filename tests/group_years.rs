//! The group-year rule and the priced, capped guidance groups, end to end through the
//! binary: the reproductions of issue 15 (V07 with most of its hospital-free group year on
//! leave, a 12-month block across both group years), ALIS-Vest's two groups and why, and
//! ALIS-Nord's longest trip to a meeting.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn bundled(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join(name)
}

/// A copy of a bundled instance in `inst` of a temporary folder (the instances are flat
/// folders); plans go beside it.
struct Copy {
    dir: tempfile::TempDir,
}

impl Copy {
    fn path(&self) -> PathBuf {
        self.dir.path().join("inst")
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn copy_of(name: &str) -> Copy {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inst")).unwrap();
    for entry in std::fs::read_dir(bundled(name)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("inst").join(entry.file_name()),
        )
        .unwrap();
    }
    Copy { dir }
}

/// Replace the line of `file` that starts with `prefix` by `line`.
fn replace_line(file: &Path, prefix: &str, line: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.lines().any(|l| l.starts_with(prefix)),
        "{prefix} in {file:?}"
    );
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(prefix) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(file, out.join("\n") + "\n").unwrap();
}

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").unwrap()
}

/// `place` the copied instance into a new folder `out` beside it.
fn place(copy: &Copy) -> PathBuf {
    let out = copy.out("out");
    alisplan()
        .args(["place", "--quiet", "--out"])
        .arg(&out)
        .arg(copy.path())
        .assert()
        .success();
    out
}

#[test]
fn v07_with_most_of_its_hospital_free_group_year_on_leave_fails_verify() {
    // V07's group years are 2027-04..2028-03 (7 months of parental leave) and
    // 2028-04..2029-03 (3). Six hospital months in the second year leave 8 of the 24 group
    // months in practice: the first year has no hospital month but is mostly leave.
    let dir = copy_of("alis-vest");
    let out = place(&dir);
    alisplan()
        .arg("verify")
        .arg(dir.path())
        .arg(&out)
        .assert()
        .success();
    replace_line(
        &out.join("placements.csv"),
        "V07,",
        "V07,laerdal-sjukehus,medicine,2028-07,2028-12,6,4,no",
    );
    alisplan()
        .arg("verify")
        .arg(dir.path())
        .arg(&out)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("group_period_in_practice: doctor V07 2027-04: the only guidance-group year without hospital months, 2027-04..2028-03, has 7 of its 12 months on leave")
                .and(predicate::str::contains("of the 24 group months 8 are in practice, 6 in hospital and 10 on leave")),
        );
}

#[test]
fn v07_is_placed_outside_its_practice_year_and_check_shows_its_leave() {
    let dir = copy_of("alis-vest");
    let out = place(&dir);
    let placements = std::fs::read_to_string(out.join("placements.csv")).unwrap();
    let v07 = placements.lines().find(|l| l.starts_with("V07,")).unwrap();
    // Only the second group year (2028-04..2029-03) can be the practice year.
    let start = v07.split(',').nth(3).unwrap();
    let end = v07.split(',').nth(4).unwrap();
    assert!(end < "2028-04" || start > "2029-03", "{v07}");
    alisplan()
        .arg("check")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "V07: 7 month(s) of leave in group year 1 (2027-04..2028-03), 3 in group year 2 (2028-04..2029-03)",
        ));
    // Asking for 80 % of a group year in practice: leave allows it in neither year.
    replace_line(
        &dir.path().join("settings.toml"),
        "min_practice_share",
        "min_practice_share = 0.8",
    );
    alisplan()
        .arg("check")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "doctor V07: leave leaves at most 9 of the 12 months of either guidance-group year in general practice (75 %), below min_practice_share = 80 %",
        ));
}

#[test]
fn a_twelve_month_block_across_both_group_years_is_refused() {
    // V14 (old scheme) has group years 2027-08..2028-07 and 2028-08..2029-07.
    let dir = copy_of("alis-vest");
    let doctors = std::fs::read_to_string(dir.path().join("doctors.csv")).unwrap();
    let v14 = doctors.lines().find(|l| l.starts_with("V14,")).unwrap();
    let mut cells: Vec<&str> = v14.split(',').collect();
    // Window 2028-01..2028-12: the only 12-month block crosses into the second year.
    cells[3] = "old";
    cells[5] = "2028-01";
    cells[6] = "2028-12";
    replace_line(&dir.path().join("doctors.csv"), "V14,", &cells.join(","));
    // The old scheme's 12 months as one block (the bundled instance splits them 6 + 6).
    std::fs::write(
        dir.path().join("requirements.csv"),
        "doctor,specialty,months,min_block,max_blocks,scheme\n*,any,12,,1,old\nV01,any,6,3,2,\n",
    )
    .unwrap();
    let out = place(&dir);
    let unplaced = std::fs::read_to_string(out.join("unplaced.csv")).unwrap();
    let row = unplaced
        .lines()
        .find(|l| l.starts_with("V14,"))
        .expect("V14 is unplaced");
    assert!(
        row.contains("both guidance-group years") && row.contains("group_period_in_practice"),
        "{row}"
    );
    // A hand-made plan with that block fails verify.
    let mut plan = std::fs::read_to_string(out.join("placements.csv")).unwrap();
    plan.push_str("V14,haukeland,medicine,2028-01,2028-12,12,60,no\n");
    std::fs::write(out.join("placements.csv"), plan).unwrap();
    std::fs::write(
        out.join("unplaced.csv"),
        unplaced
            .lines()
            .filter(|l| !l.starts_with("V14,"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    alisplan()
        .arg("verify")
        .arg(dir.path())
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "group_period_in_practice: doctor V14 2027-08: both guidance-group years have hospital months (7 in 2027-08..2028-07, 5 in 2028-08..2029-07)",
        ));
}

#[test]
fn the_old_max_hospital_months_key_is_refused_naming_the_new_rule() {
    let dir = copy_of("alis-vest");
    replace_line(
        &dir.path().join("settings.toml"),
        "min_practice_share",
        "max_hospital_months = 12",
    );
    alisplan()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("max_hospital_months = 12 is no longer read")
                .and(predicate::str::contains("group_period_in_practice")),
        );
}

#[test]
fn alis_vest_forms_two_groups_because_a_third_costs_more_than_it_saves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    alisplan()
        .args(["groups", "--out"])
        .arg(&out)
        .arg(bundled("alis-vest"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 groups: the fewest the rules allow (15 doctors are due a group and a group has at most max_size = 10 members); each group costs 180000 NOK over the group period (group_cost 90000 a year)",
        ));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let groups = &summary["groups"];
    assert_eq!(groups["group_count"], 2);
    assert_eq!(groups["terms"]["groups"], 360_000.0);
    // Free groups: a third costs nothing and evens the sizes (balance), so group_cost is
    // what keeps the plan at two.
    let free = copy_of("alis-vest");
    replace_line(
        &free.path().join("settings.toml"),
        "group_cost",
        "group_cost = 0.0",
    );
    let out = free.out("g");
    alisplan()
        .args(["groups", "--out"])
        .arg(&out)
        .arg(free.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("3 groups, 1 more than the 2"));
}

#[test]
fn alis_nord_members_travel_at_most_max_member_minutes() {
    let dir = copy_of("alis-nord");
    let out = dir.out("g");
    alisplan()
        .args(["groups", "--quiet", "--out"])
        .arg(&out)
        .arg(dir.path())
        .assert()
        .success();
    let groups = std::fs::read_to_string(out.join("groups.csv")).unwrap();
    let longest = groups
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse::<u32>().unwrap())
        .max()
        .unwrap();
    assert_eq!(longest, 450, "Sør-Varanger to Alta, and nobody further");
    alisplan()
        .arg("verify")
        .arg(dir.path())
        .arg(&out)
        .assert()
        .success();
    // The same groups against a limit of 400: verify names the members beyond it.
    let settings = dir.path().join("settings.toml");
    replace_line(&settings, "max_member_minutes", "max_member_minutes = 400");
    alisplan()
        .arg("verify")
        .arg(dir.path())
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "group_member_travel: doctor N05: travels 450 min one way to the meetings of group",
        ));
    // And no grouping can keep it: the explanation names the doctor and the venues.
    alisplan()
        .args(["groups", "--quiet", "--force", "--out"])
        .arg(&out)
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "doctor N05 (Sør-Varanger) cannot meet with any group: every venue is more than max_member_minutes = 400 min away one way; nearest Alta",
        ).and(predicate::str::contains("at 450 min")).and(predicate::str::contains("(group_member_travel)")));
}
