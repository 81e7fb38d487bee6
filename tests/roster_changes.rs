//! Changes to the doctors themselves, through the binary: a new fte, a new municipality,
//! leave that pushes a running block past the latest end, leave reported inside a block
//! already served; `check --previous`; and `verify --previous` catching a re-plan that
//! does not account for what changed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{Tiny, copy_dir, replan_verified, rows, solve_into};
use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

/// A copy of alis-vest, its plan, and re-plans of the copy.
struct Vest {
    tmp: TempDir,
    today: PathBuf,
    plan: PathBuf,
}

impl Vest {
    fn new() -> Vest {
        let tmp = tempfile::tempdir().unwrap();
        let today = tmp.path().join("today");
        copy_dir(Path::new("instances/alis-vest"), &today);
        common::old_scheme_vest(&today);
        let plan = tmp.path().join("plan");
        solve_into("plan", &today, &plan);
        Vest { tmp, today, plan }
    }

    /// Replace `from` by `to` in a file of today's instance.
    fn replace(&self, file: &str, from: &str, to: &str) {
        let path = self.today.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// Delete doctor `id` from every file of today's instance, as a planner would.
    fn remove_doctor(&self, id: &str) {
        for e in fs::read_dir(&self.today).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "csv") {
                let text = fs::read_to_string(&path).unwrap();
                let kept: String = text
                    .lines()
                    .filter(|l| !l.starts_with(&format!("{id},")))
                    .map(|l| format!("{l}\n"))
                    .collect();
                fs::write(&path, kept).unwrap();
            }
        }
    }

    fn append(&self, file: &str, line: &str) {
        let path = self.today.join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}{line}\n")).unwrap();
    }

    /// Re-plan from `from` and check the result with `verify` and `verify --previous`.
    fn replan(&self, from: &str, name: &str) -> PathBuf {
        let out = self.tmp.path().join(name);
        replan_verified(&self.today, &self.plan, from, &out, &[]);
        out
    }

    fn verify_previous(&self, plan: &Path) -> assert_cmd::assert::Assert {
        alisplan()
            .arg("verify")
            .arg(&self.today)
            .arg(plan)
            .arg("--previous")
            .arg(&self.plan)
            .assert()
    }
}

fn row_of(plan: &Path, prefix: &str) -> String {
    rows(&plan.join("placements.csv"))
        .into_iter()
        .find(|r| r.starts_with(prefix))
        .unwrap_or_else(|| panic!("a row starting {prefix}"))
}

#[test]
fn check_previous_lists_joiners_leavers_and_changed_doctors_before_solving() {
    let v = Vest::new();
    v.replace(
        "doctors.csv",
        "V04,Sondre Vik,bomlo,new,80,",
        "V04,Sondre Vik,bomlo,new,100,",
    );
    v.replace(
        "doctors.csv",
        "V14,Maria Instanes,kvam,",
        "V14,Maria Instanes,bergen,",
    );
    v.remove_doctor("V15");
    v.append(
        "doctors.csv",
        "V16,Nina Berg,kvam,new,100,2027-06,2029-12,,,no,2027-09",
    );
    v.append("leave.csv", "V12,2027-03,2027-04,sick");
    alisplan()
        .arg("check")
        .arg(&v.today)
        .arg("--previous")
        .arg(&v.plan)
        .assert()
        .success()
        .stdout(
            contains("joiners (1): V16")
                .and(contains("leavers (1): V15"))
                .and(contains("changed V04: fte 80 % -> 100 %"))
                .and(contains("changed V14: municipality kvam -> bergen"))
                .and(contains(
                    "leave now inside V12's block forde-sjukehus/psychiatry 2027-01..2027-06: 4 of its 6 months are free of leave",
                )),
        );
}

#[test]
fn a_new_fte_counts_the_months_served_at_the_old_one() {
    // V04 (Bømlo, 80 %) is in Stord medicine 2027-07..2028-02 (8 months, 6.4 at full
    // time). From October they work full time: the running block keeps its 80 %.
    let v = Vest::new();
    let before = row_of(&v.plan, "V04,");
    v.replace(
        "doctors.csv",
        "V04,Sondre Vik,bomlo,new,80,",
        "V04,Sondre Vik,bomlo,new,100,",
    );
    let out = v.replan("2027-10", "fte");
    let header = fs::read_to_string(out.join("placements.csv")).unwrap();
    assert!(
        header.lines().next().unwrap().ends_with(",fte,completes"),
        "{header}"
    );
    assert_eq!(row_of(&out, "V04,"), format!("{before},80,"));
    assert_eq!(rows(&out.join("changes.csv")), Vec::<String>::new());
}

#[test]
fn fte_served_before_a_change_shortens_the_rest_of_a_split_requirement() {
    // d1 needs 6 full-time months in at most two blocks of at least 3; at 50 % that is 12
    // calendar months, and July is leave, so the plan splits them around it. From July on
    // d1 works full time: 3 full-time months remain, 3 calendar months.
    let mut t = Tiny::new();
    t.settings("end = \"2028-12\"")
        .set(
            "doctors.csv",
            "id,name,municipality,scheme,fte,earliest,latest_end\nd1,D1,m1,new,50,2027-01,2028-06\n",
        )
        .set(
            "requirements.csv",
            "doctor,specialty,months,min_block,max_blocks\nd1,any,6,3,2\n",
        )
        .set("leave.csv", "doctor,from,to,kind\nd1,2027-07,2027-07,other\n");
    let dir = t.write();
    let first = t.out("first");
    solve_into("place", &dir, &first);
    let plan = rows(&first.join("placements.csv"));
    assert_eq!(plan.len(), 2, "{plan:?}");
    let served: u32 = plan[0].split(',').nth(5).unwrap().parse().unwrap();
    let first_block = plan[0].clone();
    assert!(
        first_block.split(',').nth(4).unwrap() < "2027-07",
        "{plan:?}"
    );
    fs::write(
        dir.join("doctors.csv"),
        "id,name,municipality,scheme,fte,earliest,latest_end\nd1,D1,m1,new,100,2027-01,2028-06\n",
    )
    .unwrap();
    let next = t.out("next");
    alisplan()
        .arg("replan")
        .arg(&dir)
        .args(["--from", "2027-07", "--previous"])
        .arg(&first)
        .arg("--out")
        .arg(&next)
        .assert()
        .success();
    let plan = rows(&next.join("placements.csv"));
    assert_eq!(plan.len(), 2, "{plan:?}");
    assert_eq!(plan[0], format!("{first_block},50,"), "served at 50 %");
    // 6 full-time months less those served at 50 %, at full time now.
    let rest = (600 - served * 50).div_ceil(100);
    assert_eq!(
        plan[1].split(',').nth(5),
        Some(rest.to_string().as_str()),
        "{plan:?}"
    );
    for extra in [&[][..], &["--previous".as_ref(), first.as_os_str()][..]] {
        alisplan()
            .arg("verify")
            .arg(&dir)
            .arg(&next)
            .args(extra)
            .assert()
            .success();
    }
}

#[test]
fn a_new_municipality_ends_a_running_block_the_doctor_can_no_longer_commute_to() {
    // V14 (Kvam, no relocation, 120 min) is in Voss medicine 2027-08..2028-01; moving to
    // Gulen puts Voss 216 min away.
    let v = Vest::new();
    v.replace(
        "doctors.csv",
        "V14,Maria Instanes,kvam,",
        "V14,Maria Instanes,gulen,",
    );
    let out = v.replan("2027-10", "moved");
    let ended = rows(&out.join("changes.csv"));
    assert_eq!(
        ended,
        vec![
            "V14,voss-sjukehus/medicine 2027-08..2028-01,voss-sjukehus/medicine 2027-08..2027-09,ended-early"
        ]
    );
    // The months served stay as they were served, from Kvam.
    assert_eq!(
        row_of(&out, "V14,voss-sjukehus,medicine,2027-08,"),
        "V14,voss-sjukehus,medicine,2027-08,2027-09,2,93,no"
    );
    let unplaced = rows(&out.join("unplaced.csv")).join("\n");
    assert!(
        unplaced.contains("from Gulen the commute to Voss sjukehus is 216 min"),
        "{unplaced}"
    );
    let member = rows(&out.join("groups.csv"))
        .into_iter()
        .find(|r| r.contains(",V14,"))
        .expect("V14 keeps a group");
    // Same group as before (the groups were kept), the travel written from Gulen now.
    assert!(
        member.ends_with(",bergen,S1,V14,118") || member.ends_with(",bergen,S2,V14,118"),
        "travel now from Gulen: {member}"
    );
}

#[test]
fn leave_that_pushes_a_running_block_past_latest_end_is_reported_not_ignored() {
    // Issue 11, item 13: V14's block in Voss (2027-08..2028-01) would have to run to
    // 2028-04 around three months of parental leave, but V14's service ends by 2028-03.
    let v = Vest::new();
    v.replace(
        "doctors.csv",
        "V14,Maria Instanes,kvam,old,100,2027-01,2028-10,",
        "V14,Maria Instanes,kvam,old,100,2027-01,2028-03,",
    );
    v.append("leave.csv", "V14,2027-10,2027-12,parental");
    let out = v.replan("2027-10", "late");
    assert_eq!(
        row_of(&out, "V14,voss-sjukehus,medicine,2027-08,"),
        "V14,voss-sjukehus,medicine,2027-08,2028-03,5,93,no"
    );
    let unplaced = rows(&out.join("unplaced.csv")).join("\n");
    assert!(
        // The month is short of whichever part the block served (medicine or any).
        (unplaced.contains("V14,medicine,1,") || unplaced.contains("V14,any,1,"))
            && unplaced.contains("must end by 2028-03 (latest_end)"),
        "{unplaced}"
    );
    // A plan that runs the block on past the latest end breaks within_window.
    let text = fs::read_to_string(out.join("placements.csv")).unwrap();
    fs::write(
        out.join("placements.csv"),
        text.replace(
            "V14,voss-sjukehus,medicine,2027-08,2028-03,5,",
            "V14,voss-sjukehus,medicine,2027-08,2028-04,6,",
        ),
    )
    .unwrap();
    fs::write(out.join("unplaced.csv"), "doctor,specialty,months,reason\n").unwrap();
    alisplan()
        .arg("verify")
        .arg(&v.today)
        .arg(&out)
        .assert()
        .code(1)
        .stdout(contains("within_window: doctor V14"));
}

#[test]
fn leave_reported_late_inside_a_served_block_is_planned_again() {
    // Issue 11, item 12: this used to stop with "internal check … This is a bug".
    let v = Vest::new();
    v.append("leave.csv", "V12,2027-03,2027-04,sick");
    let out = v.replan("2027-07", "sick");
    assert_eq!(
        row_of(&out, "V12,forde-sjukehus,psychiatry,2027-01,"),
        "V12,forde-sjukehus,psychiatry,2027-01,2027-06,4,69,no,,"
    );
    let makeup = rows(&out.join("placements.csv"))
        .into_iter()
        .find(|r| r.starts_with("V12,") && r.ends_with(",2027-01"))
        .expect("a make-up completes the interrupted block");
    assert_eq!(makeup.split(',').nth(5), Some("2"), "{makeup}");
    let changes = rows(&out.join("changes.csv"));
    assert!(
        changes.contains(&"V12,forde-sjukehus/psychiatry 2027-01..2027-06,forde-sjukehus/psychiatry 2027-01..2027-06,interrupted".to_string()),
        "{changes:?}"
    );
    assert_eq!(
        changes.len(),
        2,
        "the interrupted block and its make-up: {changes:?}"
    );
}

#[test]
fn verify_previous_catches_a_re_plan_that_does_not_account_for_what_changed() {
    let v = Vest::new();
    // V02 (old scheme, 12 months) still has a block to serve from 2027-07.
    v.remove_doctor("V02");
    v.append("leave.csv", "V12,2027-03,2027-04,sick");
    let good = v.replan("2027-07", "good");
    let tampered = |name: &str, file: &str, edit: &dyn Fn(String) -> String| {
        let dir = v.tmp.path().join(name);
        copy_dir(&good, &dir);
        let text = fs::read_to_string(dir.join(file)).unwrap();
        fs::write(dir.join(file), edit(text)).unwrap();
        dir
    };
    // The leaver's ended block left out of changes.csv.
    let silent = tampered("silent", "changes.csv", &|t| {
        t.lines()
            .filter(|l| !l.starts_with("V02,"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    v.verify_previous(&silent)
        .code(1)
        .stdout(contains("leavers_accounted: doctor V02"));
    // The make-up left out of changes.csv.
    let unlisted = tampered("unlisted", "changes.csv", &|t| {
        t.lines()
            .filter(|l| !l.ends_with(",added"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    v.verify_previous(&unlisted)
        .code(1)
        .stdout(contains("changes_listed: doctor V12"));
    // History rewritten: the served block made a month shorter.
    let rewritten = tampered("rewritten", "placements.csv", &|t| {
        t.replace(
            "V12,forde-sjukehus,psychiatry,2027-01,2027-06,4,",
            "V12,forde-sjukehus,psychiatry,2027-01,2027-05,3,",
        )
    });
    v.verify_previous(&rewritten)
        .code(1)
        .stdout(contains("history_frozen: doctor V12"));
}
