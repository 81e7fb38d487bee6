//! The placement's status is honest at any time limit: on random small instances, a
//! placement called optimal at a short limit has the optimum that an unlimited solve proves
//! (`tests/placement.rs` checks those optima against a brute-force enumerator), and no
//! bound is above it. The limits stop the work at every step, down to before the solver
//! starts.

mod common;

use proptest::prelude::*;

use alisplan::budget::Deadline;
use alisplan::io::load_instance;
use alisplan::model::Month;
use alisplan::placement::{PlaceOptions, Problem, place};
use alisplan::solver::{SolveOptions, Status};
use alisplan::travel::Travel;
use common::Tiny;

fn options(limit: f64, deadline: bool) -> PlaceOptions {
    PlaceOptions::new(SolveOptions {
        time_limit: limit,
        gap: 0.0,
        threads: 1,
        deadline: deadline.then(|| Deadline::after(limit)),
        ..SolveOptions::default()
    })
}

/// One to four doctors of two municipalities with windows, leave and relocation, two
/// hospitals with a department each, capacities 0 to 2.
fn instance() -> impl Strategy<Value = Tiny> {
    let doctor = (
        0usize..2,
        1u32..=6,
        0u32..4,
        prop::bool::ANY,
        prop::option::of((0u32..4, 1u32..3)),
    );
    (
        prop::collection::vec(doctor, 1..5),
        (0u32..3, 1u32..3),
        (1u32..3, 1u32..3),
    )
        .prop_map(|(doctors, (cap1, cap2), (away1, away2))| {
            let mut t = Tiny::new();
            let mut rows =
                String::from("id,name,municipality,scheme,earliest,latest_end,relocate\n");
            let mut leave = String::from("doctor,from,to\n");
            for (i, (muni, first, extra, relocate, lv)) in doctors.iter().enumerate() {
                // Room for the six months and the leave, cut at the horizon's end.
                let earliest = Month::new(2027, *first).unwrap();
                let on_leave = lv.map_or(0, |(_, n)| n);
                let latest = earliest
                    .plus((5 + extra + on_leave) as i32)
                    .min(Month::new(2027, 12).unwrap());
                let relocate = if *relocate { "yes" } else { "no" };
                rows.push_str(&format!(
                    "d{i},D{i},m{},new,{earliest},{latest},{relocate}\n",
                    muni + 1
                ));
                if let Some((off, n)) = lv {
                    let from = earliest.plus(*off as i32);
                    leave.push_str(&format!("d{i},{from},{}\n", from.plus(*n as i32 - 1)));
                }
            }
            t.set("doctors.csv", &rows)
                .set("leave.csv", &leave)
                .set(
                    "departments.csv",
                    &format!(
                        "hospital,specialty,capacity\nh1,medicine,{cap1}\nh2,medicine,{cap2}\n"
                    ),
                )
                .set(
                    "municipalities.csv",
                    &format!("id,name,place,max_away\nm1,M1,a,{away1}\nm2,M2,b,{away2}\n"),
                )
                .settings("stagger = 10.0\nlateness = 0.5\nblock = 5.0\nworst_commute = 2.0");
            t
        })
}

proptest! {
    #![proptest_config(common::cases(32))]

    #[test]
    fn placement_statuses_are_honest_at_any_time_limit(
        tiny in instance(),
        limit in prop::sample::select(vec![0.0, 0.0005, 0.002, 0.01, 0.1]),
    ) {
        // An instance whose windows are too short for the service is refused at loading.
        let Ok(inst) = load_instance(&tiny.write()) else {
            return Ok(());
        };
        let travel = Travel::new(&inst);
        let problem = Problem::new(&inst);
        let reference = place(&problem, &travel, &options(60.0, false))
            .expect("an unlimited solve places");
        prop_assume!(reference.outcome.status.is_optimal());
        let optimum = reference.outcome.objective;
        let slack = 1e-6 * optimum.abs().max(1.0);
        let o = match place(&problem, &travel, &options(limit, true)) {
            Ok(p) => p.outcome,
            // Stopped before any plan was found: said so.
            Err(e) => {
                prop_assert!(e.to_string().contains("time"), "{e}");
                return Ok(());
            }
        };
        prop_assert!(o.objective >= optimum - slack, "objective {} below the optimum {optimum}", o.objective);
        if o.status.is_optimal() {
            prop_assert!((o.objective - optimum).abs() <= slack,
                "called optimal at {} but the optimum is {optimum}", o.objective);
        }
        if o.bound.is_finite() {
            prop_assert!(o.bound <= optimum + slack, "bound {} above the optimum {optimum}", o.bound);
        } else {
            prop_assert_eq!(o.status, Status::NoBound);
        }
    }
}
