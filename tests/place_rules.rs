//! One test per placement rule: the same small instance with and without the rule, and the
//! rule changes the answer in the way the rule says. Plus a property test: on random small
//! instances, every plan passes `verify`.

mod common;

use alisplan::io::load_instance;
use alisplan::model::*;
use alisplan::placement::candidates::candidates_for;
use alisplan::placement::greedy::greedy;
use alisplan::placement::{PlaceOptions, Placement, Problem, place};
use alisplan::solver::SolveOptions;
use alisplan::travel::Travel;
use alisplan::verify::verify;
use common::Tiny;
use proptest::prelude::*;

fn run(t: &Tiny) -> (Instance, Placement) {
    let inst = load_instance(&t.write()).expect("instance loads");
    let travel = Travel::new(&inst);
    let opts = PlaceOptions::new(SolveOptions {
        time_limit: 30.0,
        gap: 0.0,
        threads: 1,
        ..SolveOptions::default()
    });
    let p = place(&Problem::new(&inst), &travel, &opts).expect("solves");
    assert_eq!(verify(&inst, &common::plan_of(&p)), vec![]);
    (inst, p)
}

/// `doctor → (hospital, start, end)` of each block, for readable assertions.
fn blocks(inst: &Instance, p: &Placement) -> Vec<(String, String, String, String)> {
    p.blocks
        .iter()
        .map(|b| {
            (
                inst.doctor(b.doctor).id.clone(),
                inst.hospital(inst.department(b.department).hospital)
                    .id
                    .clone(),
                b.start.to_string(),
                b.end.to_string(),
            )
        })
        .collect()
}

fn one_doctor(window: (&str, &str)) -> Tiny {
    let mut t = Tiny::new();
    t.set(
        "doctors.csv",
        &format!(
            "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,{},{}\n",
            window.0, window.1
        ),
    );
    t
}

#[test]
fn department_capacity_sends_the_second_doctor_elsewhere() {
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-06\nd2,D2,m1,new,2027-01,2027-06\n");
    let (inst, p) = run(&t);
    let mut hospitals: Vec<String> = blocks(&inst, &p).into_iter().map(|b| b.1).collect();
    hospitals.sort();
    assert_eq!(
        hospitals,
        ["h1", "h2"],
        "one slot at the near hospital: the other goes further"
    );
    t.set(
        "departments.csv",
        "hospital,specialty,capacity\nh1,medicine,2\nh2,medicine,1\n",
    );
    let (inst, p) = run(&t);
    assert!(
        blocks(&inst, &p).iter().all(|b| b.1 == "h1"),
        "with two slots both use the near one"
    );
}

#[test]
fn capacity_overrides_close_a_department_for_some_months() {
    let mut t = one_doctor(("2027-01", "2027-12"));
    let (inst, p) = run(&t);
    assert_eq!(blocks(&inst, &p)[0].1, "h1");
    t.set(
        "capacity.csv",
        "hospital,specialty,from,to,capacity\nh1,medicine,2027-01,2027-12,0\n",
    );
    let (inst, p) = run(&t);
    assert_eq!(blocks(&inst, &p)[0].1, "h2", "h1 has no slots this year");
}

#[test]
fn window_bounds_the_block() {
    let t = one_doctor(("2027-05", "2027-10"));
    let (inst, p) = run(&t);
    assert_eq!(
        blocks(&inst, &p),
        [("d1".into(), "h1".into(), "2027-05".into(), "2027-10".into())]
    );
}

#[test]
fn leave_moves_the_block() {
    let mut t = one_doctor(("2027-01", "2027-12"));
    t.settings("lateness = 1.0");
    let (inst, p) = run(&t);
    assert_eq!(blocks(&inst, &p)[0].2, "2027-01");
    t.set(
        "leave.csv",
        "doctor,from,to,kind\nd1,2027-02,2027-03,parental\n",
    );
    let (inst, p) = run(&t);
    assert_eq!(
        blocks(&inst, &p)[0].2,
        "2027-04",
        "the first six months free of leave start in April"
    );
}

#[test]
fn allowed_start_months_fix_the_start() {
    let mut t = one_doctor(("2027-01", "2027-12"));
    t.settings("lateness = 1.0").set(
        "departments.csv",
        "hospital,specialty,capacity,start_months\nh1,medicine,1,3;9\nh2,medicine,1,3;9\n",
    );
    let (inst, p) = run(&t);
    assert_eq!(blocks(&inst, &p)[0].2, "2027-03");
}

#[test]
fn commute_limit_needs_consent_to_relocate() {
    let mut t = one_doctor(("2027-01", "2027-12"));
    t.set(
        "network.csv",
        "from,to,minutes\na,x,100\na,y,120\nb,x,40\nb,y,20\n",
    );
    let (inst, p) = run(&t);
    assert!(
        p.blocks.is_empty(),
        "both hospitals are beyond 90 min and d1 will not relocate"
    );
    assert_eq!(p.unplaced.len(), 1);
    assert!(
        p.unplaced[0].reason.contains("commute limit"),
        "{}",
        p.unplaced[0].reason
    );
    assert!(
        p.unplaced[0].reason.contains("h1/medicine at 100 min"),
        "{}",
        p.unplaced[0].reason
    );
    let _ = inst;
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end,relocate\nd1,D1,m1,new,2027-01,2027-12,yes\n");
    let (inst, p) = run(&t);
    assert_eq!(blocks(&inst, &p)[0].1, "h1");
    assert!(p.blocks[0].relocate);
}

#[test]
fn municipality_max_away_staggers_its_doctors() {
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-12\nd2,D2,m1,new,2027-01,2027-12\n")
        .set("departments.csv", "hospital,specialty,capacity\nh1,medicine,2\nh2,medicine,1\n");
    let (_, p) = run(&t);
    assert_eq!(
        p.blocks[0].span().overlap(&p.blocks[1].span()),
        6,
        "both at h1 at once"
    );
    t.set(
        "municipalities.csv",
        "id,name,place,max_away\nm1,M1,a,1\nm2,M2,b,1\n",
    );
    let (_, p) = run(&t);
    assert_eq!(
        p.blocks[0].span().overlap(&p.blocks[1].span()),
        0,
        "max_away 1: one after the other"
    );
}

#[test]
fn stagger_weight_spreads_absences_when_allowed() {
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-12\nd2,D2,m1,new,2027-01,2027-12\n")
        .set("departments.csv", "hospital,specialty,capacity\nh1,medicine,2\nh2,medicine,1\n")
        .settings("lateness = 1.0");
    let (_, p) = run(&t);
    assert_eq!(p.blocks[0].span().overlap(&p.blocks[1].span()), 6);
    t.settings("stagger = 50.0");
    let (_, p) = run(&t);
    assert_eq!(
        p.blocks[0].span().overlap(&p.blocks[1].span()),
        0,
        "staggering beats starting early"
    );
    assert_eq!(p.terms["stagger"], 0.0);
}

#[test]
fn group_period_keeps_a_year_in_general_practice() {
    // A 12-month block in 2027 lies in the first group year (2027-07..2028-06) and before
    // it: the second year stays in practice.
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end,group_from\nd1,D1,m1,old,2027-01,2027-12,2027-07\n");
    let (inst, p) = run(&t);
    assert_eq!(
        blocks(&inst, &p)[0].2,
        "2027-01",
        "a block in one group year is allowed"
    );
    // The only 12-month block in 2028 crosses from the first group year into the second.
    t.settings("end = \"2028-12\"");
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end,group_from\nd1,D1,m1,old,2028-01,2028-12,2027-07\n");
    let (inst, p) = run(&t);
    assert!(p.blocks.is_empty(), "{:?}", blocks(&inst, &p));
    assert!(
        p.unplaced[0].reason.contains("both guidance-group years")
            && p.unplaced[0].reason.contains("group_period_in_practice"),
        "{}",
        p.unplaced[0].reason
    );
}

#[test]
fn accept_and_reject_locks() {
    let mut t = one_doctor(("2027-01", "2027-12"));
    t.settings("lateness = 1.0");
    t.set("locks.csv", "doctor,hospital,decision\nd1,h1,reject\n");
    let (inst, p) = run(&t);
    assert_eq!(blocks(&inst, &p)[0].1, "h2", "h1 rejected");
    t.set(
        "locks.csv",
        "doctor,hospital,start,decision\nd1,h2,2027-04,accept\n",
    );
    let (inst, p) = run(&t);
    assert_eq!(
        blocks(&inst, &p),
        [("d1".into(), "h2".into(), "2027-04".into(), "2027-09".into())]
    );
}

#[test]
fn an_accept_no_block_can_honour_is_explained() {
    let mut t = one_doctor(("2027-01", "2027-06"));
    t.set(
        "locks.csv",
        "doctor,hospital,start,decision\nd1,h1,2027-09,accept\n",
    );
    let inst = load_instance(&t.write()).unwrap();
    let travel = Travel::new(&inst);
    let opts = PlaceOptions::new(SolveOptions {
        time_limit: 30.0,
        gap: 0.0,
        threads: 1,
        ..SolveOptions::default()
    });
    let err = place(&Problem::new(&inst), &travel, &opts)
        .unwrap_err()
        .to_string();
    assert!(err.contains("locks.csv, line 2"), "{err}");
    assert!(err.contains("outside the doctor's window"), "{err}");
}

#[test]
fn an_impossible_accept_names_the_rule_that_excludes_it() {
    let explain = |t: &Tiny| {
        let inst = load_instance(&t.write()).unwrap();
        let travel = Travel::new(&inst);
        let opts = PlaceOptions::new(SolveOptions {
            time_limit: 30.0,
            gap: 0.0,
            threads: 1,
            ..SolveOptions::default()
        });
        place(&Problem::new(&inst), &travel, &opts)
            .unwrap_err()
            .to_string()
    };
    let mut t = one_doctor(("2027-01", "2027-12"));
    t.set(
        "departments.csv",
        "hospital,specialty,capacity,start_months\nh1,medicine,1,3;9\nh2,medicine,1,\n",
    )
    .set(
        "locks.csv",
        "doctor,hospital,start,decision\nd1,h1,2027-05,accept\n",
    );
    let err = explain(&t);
    assert!(err.contains("starts in months"), "{err}");
    t.set(
        "departments.csv",
        "hospital,specialty,capacity\nh1,medicine,1\nh2,medicine,1\n",
    )
    .set(
        "network.csv",
        "from,to,minutes\na,x,100\na,y,60\nb,x,40\nb,y,20\n",
    )
    .set("locks.csv", "doctor,hospital,decision\nd1,h1,accept\n");
    let err = explain(&t);
    assert!(err.contains("commute limit"), "{err}");
    t.set(
        "locks.csv",
        "doctor,hospital,months,decision\nd1,h2,4,accept\n",
    );
    let err = explain(&t);
    assert!(err.contains("has no such block"), "{err}");
}

#[test]
fn preferences_pull_toward_a_wished_hospital() {
    let mut t = one_doctor(("2027-01", "2027-12"));
    t.set("preferences.csv", "doctor,hospital,weight\nd1,h2,2\n")
        .settings("preference = 20.0");
    let (inst, p) = run(&t);
    assert_eq!(
        blocks(&inst, &p)[0].1,
        "h2",
        "a wish worth 40/month beats 30 extra minutes"
    );
}

#[test]
fn min_fill_pulls_a_doctor_to_a_created_post() {
    let mut t = one_doctor(("2027-01", "2027-12"));
    t.set(
        "departments.csv",
        "hospital,specialty,capacity,min_fill\nh1,medicine,1,0\nh2,medicine,1,1\n",
    )
    .settings("min_fill = 40.0");
    let (inst, p) = run(&t);
    assert_eq!(blocks(&inst, &p)[0].1, "h2");
}

#[test]
fn worst_commute_term_evens_out_commutes() {
    // d1 (home a) and d2 (home b) share one slot at each hospital for the same six months.
    // Total commute is 30+20 = 50 either way only if each takes their near hospital; with
    // d2 forced to compete, the min-max term picks the fairer split.
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-06\nd2,D2,m2,new,2027-01,2027-06\n")
        .set("network.csv", "from,to,minutes\na,x,10\na,y,50\nb,x,12\nb,y,70\n");
    let (inst, p) = run(&t);
    // Cheapest total: d1→h2 (50) + d2→h1 (12) = 62 < d1→h1 (10) + d2→h2 (70) = 80.
    assert!(blocks(&inst, &p).contains(&(
        "d2".into(),
        "h1".into(),
        "2027-01".into(),
        "2027-06".into()
    )));
    assert_eq!(p.fairness.max_commute_minutes, 50);
    t.settings("nok_per_hour = 0.0\nworst_commute = 1.0");
    let (_, p) = run(&t);
    assert_eq!(
        p.fairness.max_commute_minutes, 50,
        "the min-max choice is also 50 here"
    );
}

#[test]
fn part_time_stretches_the_block() {
    let mut t = Tiny::new();
    t.set(
        "doctors.csv",
        "id,name,municipality,scheme,fte,earliest,latest_end\nd1,D1,m1,new,60,2027-01,2027-12\n",
    );
    let (_, p) = run(&t);
    assert_eq!(
        p.blocks[0].months, 10,
        "6 months at 60 % take 10 calendar months"
    );
}

fn arb_instance() -> impl Strategy<Value = Tiny> {
    let doctor = (
        0u8..2,
        1u32..=6,
        0u32..6,
        prop::bool::ANY,
        prop::option::of((0u32..10, 1u32..3)),
        prop_oneof![Just(100u32), Just(80), Just(60)],
    );
    (
        prop::collection::vec(doctor, 1..5),
        (0u32..3, 0u32..3),
        (1u32..3, 1u32..3),
        prop::option::of(1u32..=12),
    )
        .prop_map(|(doctors, (cap1, cap2), (away1, away2), start)| {
            let mut t = Tiny::new();
            let mut rows = String::from("id,name,municipality,scheme,fte,earliest,latest_end,relocate\n");
            let mut leave = String::from("doctor,from,to\n");
            for (i, (muni, first, len_extra, relocate, lv, fte)) in doctors.iter().enumerate() {
                let earliest = Month::new(2027, *first).unwrap();
                let span = 6 * 100 / fte + 1 + len_extra;
                let latest = earliest.plus(span as i32).min(Month::new(2027, 12).unwrap());
                rows.push_str(&format!("d{i},D{i},m{},new,{fte},{earliest},{latest},{}\n", muni + 1, if *relocate { "yes" } else { "no" }));
                if let Some((off, n)) = lv {
                    let from = earliest.plus(*off as i32);
                    leave.push_str(&format!("d{i},{from},{}\n", from.plus(*n as i32 - 1)));
                }
            }
            let starts = start.map_or(String::new(), |m| format!("{m};{}", (m + 5) % 12 + 1));
            t.set("doctors.csv", &rows)
                .set("leave.csv", &leave)
                .set("departments.csv", &format!("hospital,specialty,capacity,start_months\nh1,medicine,{cap1},{starts}\nh2,medicine,{cap2},\n"))
                .set("municipalities.csv", &format!("id,name,place,max_away\nm1,M1,a,{away1}\nm2,M2,b,{away2}\n"))
                .set("network.csv", "from,to,minutes\na,x,30\na,y,100\nb,x,95\nb,y,20\n")
                .settings("stagger = 10.0\nlateness = 0.5\nblock = 5.0\nworst_commute = 2.0");
            t
        })
}

proptest! {
    #![proptest_config(common::cases(40))]

    /// Whatever the instance, the plan respects capacity, leave, windows, start months,
    /// commute limits and municipality limits, and every unplaced doctor has a reason.
    #[test]
    fn every_plan_passes_verify(t in arb_instance()) {
        let Ok(inst) = load_instance(&t.write()) else {
            // Windows too short for leave are rejected by the loader, as they should be.
            return Ok(());
        };
        let travel = Travel::new(&inst);
        let opts = PlaceOptions::new(SolveOptions { time_limit: 30.0, gap: 0.0, threads: 1, ..SolveOptions::default() });
        let p = place(&Problem::new(&inst), &travel, &opts).expect("always solvable: requirements are elastic");
        let plan = common::plan_of(&p);
        prop_assert_eq!(verify(&inst, &plan), vec![]);
        prop_assert!(p.unplaced.iter().all(|u| !u.reason.is_empty()));
        prop_assert!(p.outcome.status.is_optimal());

        // The greedy start (with its repair pass) is itself a valid plan.
        let problem = Problem::new(&inst);
        let mut cands = Vec::new();
        for d in inst.doctor_ids() {
            for (i, part) in problem.parts(d).iter().enumerate() {
                cands.extend(candidates_for(&problem, &travel, d, i, part).0);
            }
        }
        let all: Vec<usize> = (0..cands.len()).collect();
        let doctors: Vec<DoctorId> = inst.doctor_ids().collect();
        let chosen = greedy(&problem, &cands, &all, &doctors);
        let blocks: Vec<Block> = chosen.iter().map(|&i| cands[i].block()).collect();
        let unplaced: Vec<(DoctorId, String)> = doctors
            .iter()
            .filter(|&&d| {
                let got: u32 = blocks.iter().filter(|b| b.doctor == d).map(|b| b.months).sum();
                got < inst.doctor(d).required_calendar_months()
            })
            .map(|&d| (d, "greedy left it out".to_string()))
            .collect();
        let start = common::plan_with(blocks, unplaced);
        prop_assert_eq!(verify(&inst, &start), vec![]);
        // The solver never does worse than its start.
        let greedy_missing = start.unplaced.len();
        let solver_missing = p.fairness.unplaced_doctors;
        prop_assert!(solver_missing <= greedy_missing);
    }
}
