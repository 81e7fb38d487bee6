//! Placement against optima found independently: a brute-force enumerator that tries every
//! combination of blocks, keeps those `verify` accepts, and prices them with its own
//! restatement of the objective. Plus one test per rule showing that it binds.

mod common;

use std::collections::BTreeMap;

use alisplan::io::load_instance;
use alisplan::model::*;
use alisplan::placement::{Formulation, PlaceOptions, Placement, Problem, place};
use alisplan::solver::SolveOptions;
use alisplan::travel::Travel;
use alisplan::verify::verify;
use common::Tiny;
use proptest::prelude::*;

fn opts() -> PlaceOptions {
    PlaceOptions::new(SolveOptions {
        time_limit: 30.0,
        gap: 0.0,
        threads: 1,
        ..SolveOptions::default()
    })
}

fn solve(inst: &Instance) -> Placement {
    let travel = Travel::new(inst);
    let p = place(&Problem::new(inst), &travel, &opts()).expect("placement solves");
    let plan = plan_of(&p);
    assert_eq!(
        verify(inst, &plan),
        vec![],
        "the solver's plan must pass verify"
    );
    p
}

use common::plan_of;

/// Every block a doctor's part could have (a superset of the model's candidates: validity
/// is left to `verify`).
fn all_blocks(
    inst: &Instance,
    travel: &Travel,
    d: DoctorId,
    part: &RequirementPart,
) -> Vec<Vec<Block>> {
    let doc = inst.doctor(d);
    let mut out = Vec::new();
    let lengths: Vec<Vec<u32>> =
        if part.max_blocks >= 2 && part.calendar_months >= 2 * part.min_block {
            let mut l = vec![vec![part.calendar_months]];
            for a in part.min_block..=part.calendar_months - part.min_block {
                l.push(vec![a, part.calendar_months - a]);
            }
            l
        } else {
            vec![vec![part.calendar_months]]
        };
    for k in inst.department_ids() {
        let dept = inst.department(k);
        if part.specialty.is_some_and(|s| s != dept.specialty) {
            continue;
        }
        let minutes = travel.commute(inst, d, dept.hospital);
        let block = |start: Month, len: u32| Block {
            doctor: d,
            department: k,
            start,
            end: start.plus(len as i32 - 1),
            months: len,
            commute_minutes: minutes,
            relocate: minutes > doc.max_commute,
        };
        for ls in &lengths {
            for s in inst.horizon().months() {
                if ls.len() == 1 {
                    out.push(vec![block(s, ls[0])]);
                } else {
                    let first = block(s, ls[0]);
                    for s2 in inst.horizon().months().filter(|&m| m > first.end) {
                        out.push(vec![first.clone(), block(s2, ls[1])]);
                    }
                }
            }
        }
    }
    out
}

/// The objective, restated from the settings (independently of the model's code).
fn price(inst: &Instance, blocks: &[Block], unplaced_parts: usize) -> f64 {
    let w = &inst.settings.weights;
    let mut cost = w.unplaced * unplaced_parts as f64;
    let mut away: BTreeMap<(MunicipalityId, Month), u32> = BTreeMap::new();
    let mut used: BTreeMap<(DepartmentId, Month), u32> = BTreeMap::new();
    let mut worst = 0u32;
    for b in blocks {
        let doc = inst.doctor(b.doctor);
        let months = f64::from(b.months);
        let muni = inst.municipality(doc.municipality);
        // NOK per hour, a round trip per working day (daily) or per trip home (relocated).
        let per_minute = |trips: f64| 2.0 * trips * w.nok_per_hour / 60.0;
        if b.relocate {
            cost += per_minute(w.home_trips_per_month) * f64::from(b.commute_minutes) * months
                + w.relocation * months;
        } else {
            cost += per_minute(w.workdays_per_month) * f64::from(b.commute_minutes) * months;
            worst = worst.max(b.commute_minutes);
        }
        cost += w.substitute * muni.substitute_cost * months;
        let pref: f64 = inst
            .preferences
            .iter()
            .filter(|p| {
                p.doctor == b.doctor && p.hospital == inst.department(b.department).hospital
            })
            .filter(|p| {
                p.specialty
                    .is_none_or(|s| s == inst.department(b.department).specialty)
            })
            .map(|p| p.weight)
            .sum();
        cost -= w.preference * pref * months;
        cost += w.block + w.lateness * f64::from(doc.window.first.until(b.start).max(0) as u32);
        for m in b.span().months() {
            *away.entry((doc.municipality, m)).or_default() += 1;
            *used.entry((b.department, m)).or_default() += 1;
        }
    }
    cost += w.stagger
        * away
            .values()
            .map(|&n| f64::from(n.saturating_sub(1)))
            .sum::<f64>();
    for k in inst.department_ids() {
        for m in inst.horizon().months() {
            let want = inst.department(k).min_fill_in(m);
            let have = used.get(&(k, m)).copied().unwrap_or(0);
            cost += w.min_fill * f64::from(want.saturating_sub(have));
        }
    }
    cost + w.worst_commute * f64::from(worst)
}

/// Per doctor, every choice of blocks for all their parts, each with the number of parts
/// it leaves unplaced.
fn options_of(inst: &Instance) -> Vec<Vec<(Vec<Block>, usize)>> {
    let travel = Travel::new(inst);
    let mut options: Vec<Vec<(Vec<Block>, usize)>> = Vec::new();
    for d in inst.doctor_ids() {
        let mut per_doctor: Vec<(Vec<Block>, usize)> = vec![(Vec::new(), 0)];
        for part in &inst.doctor(d).requirement {
            let mut next = Vec::new();
            for (blocks, missing) in &per_doctor {
                next.push((blocks.clone(), missing + 1));
                for choice in all_blocks(inst, &travel, d, part) {
                    let mut b = blocks.clone();
                    b.extend(choice);
                    next.push((b, *missing));
                }
            }
            per_doctor = next;
        }
        options.push(per_doctor);
    }
    options
}

/// The best objective over every combination of blocks that `verify` accepts.
fn brute_force(inst: &Instance) -> (f64, Vec<Block>) {
    let options = options_of(inst);
    let mut best: Option<(f64, Vec<Block>)> = None;
    let mut index = vec![0usize; options.len()];
    loop {
        let mut blocks = Vec::new();
        let mut unplaced = Vec::new();
        let mut missing = 0;
        for (d, &i) in index.iter().enumerate() {
            let (b, m) = &options[d][i];
            blocks.extend(b.iter().cloned());
            if *m > 0 {
                unplaced.push((DoctorId::at(d), "enumerated".to_string()));
                missing += m;
            }
        }
        let plan = common::plan_with(blocks.clone(), unplaced);
        // Cheap price first; only candidates that could improve are verified.
        let cost = price(inst, &blocks, missing);
        if best.as_ref().is_none_or(|(b, _)| cost < *b - 1e-9) && verify(inst, &plan).is_empty() {
            best = Some((cost, blocks));
        }
        // Next combination.
        let mut pos = 0;
        loop {
            if pos == index.len() {
                return best.expect("leaving everyone unplaced is always valid");
            }
            index[pos] += 1;
            if index[pos] < options[pos].len() {
                break;
            }
            index[pos] = 0;
            pos += 1;
        }
    }
}

fn assert_optimal(t: &Tiny) -> Placement {
    let inst = load_instance(&t.write()).expect("tiny instance loads");
    let p = solve(&inst);
    let (best, blocks) = brute_force(&inst);
    assert!(
        p.outcome.status.is_optimal(),
        "status {:?}",
        p.outcome.status
    );
    assert!(
        (p.outcome.objective - best).abs() < 1e-6,
        "solver objective {} but enumeration finds {best} with {blocks:?}",
        p.outcome.objective
    );
    let mine = price(&inst, &p.blocks, p.unplaced.len());
    assert!(
        (mine - p.outcome.objective).abs() < 1e-6,
        "reported objective {} but the plan costs {mine}",
        p.outcome.objective
    );
    p
}

#[test]
fn two_doctors_compete_for_the_near_slot() {
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-06\nd2,D2,m1,new,2027-01,2027-08\n");
    let p = assert_optimal(&t);
    assert_eq!(p.blocks.len(), 2);
}

#[test]
fn leave_start_months_and_municipality_limits_together() {
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-10\nd2,D2,m1,new,2027-01,2027-12\nd3,D3,m2,new,2027-02,2027-12\n")
        .set("leave.csv", "doctor,from,to,kind\nd1,2027-03,2027-04,sick\n")
        .set("departments.csv", "hospital,specialty,capacity,start_months\nh1,medicine,1,1;5;7\nh2,medicine,1,\n")
        .set("municipalities.csv", "id,name,place,max_away\nm1,M1,a,1\nm2,M2,b,1\n")
        .settings("lateness = 0.5\nblock = 10.0");
    assert_optimal(&t);
}

#[test]
fn soft_terms_min_fill_stagger_preference_and_worst_commute() {
    let mut t = Tiny::new();
    t.set("doctors.csv", "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-09\nd2,D2,m1,new,2027-01,2027-09\n")
        .set("departments.csv", "hospital,specialty,capacity,min_fill\nh1,medicine,2,0\nh2,medicine,1,1\n")
        .set("preferences.csv", "doctor,hospital,weight\nd2,h2,1\n")
        .settings("stagger = 40.0\nmin_fill = 15.0\npreference = 5.0\nworst_commute = 3.0\nsubstitute = 0.001");
    assert_optimal(&t);
}

#[test]
fn old_scheme_parts_and_part_time() {
    let mut t = Tiny::new();
    t.set("departments.csv", "hospital,specialty,capacity\nh1,medicine,1\nh2,surgery,1\n")
        .set("doctors.csv", "id,name,municipality,scheme,fte,earliest,latest_end\nd1,D1,m1,old,100,2027-01,2027-12\nd2,D2,m2,new,75,2027-01,2027-12\n")
        .set("requirements.csv", "doctor,specialty,months,scheme\n*,medicine,6,old\n*,any,6,old\n");
    let p = assert_optimal(&t);
    // 6 months at 75 % take 8 calendar months.
    assert!(p.blocks.iter().any(|b| b.months == 8));
}

#[test]
fn a_split_requirement_goes_around_leave() {
    let mut t = Tiny::new();
    t.set(
        "doctors.csv",
        "id,name,municipality,scheme,earliest,latest_end\nd1,D1,m1,new,2027-01,2027-09\n",
    )
    .set("leave.csv", "doctor,from,to\nd1,2027-04,2027-06\n")
    .set(
        "requirements.csv",
        "doctor,specialty,months,min_block,max_blocks\nd1,any,6,3,2\n",
    )
    .settings("block = 10.0");
    let p = assert_optimal(&t);
    assert_eq!(
        p.blocks.len(),
        2,
        "leave in the middle forces two blocks of 3"
    );
}

/// Parts too large for CBC are planned by large-neighbourhood search with a Lagrangian
/// bound. Forced onto the bundled instances, that path must still give a plan `verify`
/// accepts, and a bound no higher than CBC's proven optimum, so its gap is honest.
#[test]
fn the_large_part_path_plans_validly_and_its_bound_is_below_the_optimum() {
    for name in ["alis-vest", "alis-nord"] {
        let inst = load_instance(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("instances")
                .join(name),
        )
        .expect("the bundled instance loads");
        let exact = solve(&inst);
        assert!(exact.outcome.status.is_optimal(), "{name}");
        let travel = Travel::new(&inst);
        let mut o = opts();
        o.solver.time_limit = 6.0;
        o.large_part = 0;
        let large = place(&Problem::new(&inst), &travel, &o).expect("the large path plans");
        assert_eq!(verify(&inst, &plan_of(&large)), vec![], "{name}");
        assert!(
            !large.notes.is_empty(),
            "{name}: the note says how it was planned"
        );
        let (objective, bound) = (large.outcome.objective, large.outcome.bound);
        assert!(
            objective >= exact.outcome.objective - 1e-6,
            "{name}: below the optimum"
        );
        assert!(
            bound <= exact.outcome.objective + 1e-6,
            "{name}: bound {bound} above the optimum {}",
            exact.outcome.objective
        );
        assert!(bound > 0.0, "{name}: the bound says something");
        assert!((0.0..=1.0).contains(&large.outcome.gap), "{name}");
    }
}

/// The fewest unplaced requirement parts over every combination of blocks that `verify`
/// accepts (the count stage's optimum, found without the model).
fn brute_force_count(inst: &Instance) -> usize {
    let options = options_of(inst);
    let mut best = usize::MAX;
    let mut index = vec![0usize; options.len()];
    loop {
        let missing: usize = index
            .iter()
            .enumerate()
            .map(|(d, &i)| options[d][i].1)
            .sum();
        if missing < best {
            let mut blocks = Vec::new();
            let mut unplaced = Vec::new();
            for (d, &i) in index.iter().enumerate() {
                let (b, m) = &options[d][i];
                blocks.extend(b.iter().cloned());
                if *m > 0 {
                    unplaced.push((DoctorId::at(d), "enumerated".to_string()));
                }
            }
            let plan = common::plan_with(blocks, unplaced);
            if verify(inst, &plan).is_empty() {
                best = missing;
            }
        }
        let mut pos = 0;
        loop {
            if pos == index.len() {
                return best;
            }
            index[pos] += 1;
            if index[pos] < options[pos].len() {
                break;
            }
            index[pos] = 0;
            pos += 1;
        }
    }
}

/// A tiny instance where the slots are scarce: 2-3 doctors wanting 6 months each of two
/// one-slot (or no-slot) departments, with start months, windows and municipality limits
/// drawn at random, and the unplaced penalty low enough that the weighted objective alone
/// would rather leave a far doctor out (so only the count stage places them).
fn arb_scarce() -> impl Strategy<Value = Tiny> {
    let doctor = (0u8..2, 1u32..=7, 0u32..4, prop::bool::ANY);
    (
        prop::collection::vec(doctor, 2..4),
        (0u32..2, 0u32..3),
        (1u32..3, 1u32..3),
        prop::option::of(1u32..=6),
        prop_oneof![Just(100.0f64), Just(100_000.0)],
    )
        .prop_map(|(doctors, (cap1, cap2), (away1, away2), start, unplaced)| {
            let mut t = Tiny::new();
            let mut rows =
                String::from("id,name,municipality,scheme,earliest,latest_end,relocate\n");
            for (i, (muni, first, extra, relocate)) in doctors.iter().enumerate() {
                let earliest = Month::new(2027, *first).expect("a month");
                let latest = earliest
                    .plus(5 + *extra as i32)
                    .min(Month::new(2027, 12).expect("a month"));
                rows.push_str(&format!(
                    "d{i},D{i},m{},new,{earliest},{latest},{}\n",
                    muni + 1,
                    if *relocate { "yes" } else { "no" }
                ));
            }
            let starts = start.map_or(String::new(), |m| format!("{m};{}", m + 6));
            t.set("doctors.csv", &rows)
                .set(
                    "departments.csv",
                    &format!(
                        "hospital,specialty,capacity,start_months\nh1,medicine,{cap1},{starts}\nh2,medicine,{cap2},\n"
                    ),
                )
                .set(
                    "municipalities.csv",
                    &format!("id,name,place,max_away\nm1,M1,a,{away1}\nm2,M2,b,{away2}\n"),
                )
                .set("network.csv", "from,to,minutes\na,x,30\na,y,100\nb,x,95\nb,y,20\n")
                .settings(&format!("unplaced = {unplaced}\nworst_commute = 2.0"));
            t
        })
}

proptest! {
    #![proptest_config(common::cases(24))]

    /// The count stage finds the fewest unplaced parts that enumeration finds, proves it,
    /// and never leaves more unplaced than one weighted solve; the large-part path (forced)
    /// never claims a lower bound above that minimum and plans validly.
    #[test]
    fn the_count_stage_finds_the_enumerated_minimum(t in arb_scarce()) {
        let inst = load_instance(&t.write()).expect("the instance loads");
        let minimum = brute_force_count(&inst);
        let p = solve(&inst);
        prop_assert_eq!(p.count.unplaced_parts, minimum);
        prop_assert!(p.count.proven, "{:?}", p.count);
        prop_assert_eq!(p.count.lower_bound, minimum);
        prop_assert!(p.outcome.status.is_optimal());

        let travel = Travel::new(&inst);
        let problem = Problem::new(&inst);
        let (cands, _) = alisplan::placement::all_candidates(&problem, &travel);
        let whole = alisplan::placement::decompose::Component::whole(&problem, &cands);
        let weighted = alisplan::placement::model::solve_part(
            &problem, &cands, &whole, &opts().solver, Formulation::Strong, None,
        ).expect("solves");
        prop_assert!(p.count.unplaced_parts <= weighted.unplaced.len());

        let mut o = opts();
        o.large_part = 0;
        o.solver.time_limit = 4.0;
        let large = place(&problem, &travel, &o).expect("the large path plans");
        prop_assert_eq!(verify(&inst, &plan_of(&large)), vec![]);
        prop_assert!(large.count.lower_bound <= minimum);
        prop_assert!(large.count.unplaced_parts >= minimum);
        prop_assert!(large.cost.bound <= large.cost.objective + 1e-6);
    }
}
