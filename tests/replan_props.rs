//! Property: whatever happens after a plan is published — leave reported in the past, in a
//! running block or ahead, a department closed for a while, a doctor's fte changed — a
//! re-plan from any month keeps history, passes every rule, and lists in `changes.csv`
//! exactly what changed (the checks `publish` and `verify --previous` run).

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use alisplan::io::load_instance;
use alisplan::model::*;
use alisplan::placement::PlaceOptions;
use alisplan::planning::Basis;
use alisplan::solver::SolveOptions;
use alisplan::travel::Travel;
use alisplan::verify::{history_frozen, verify};
use proptest::prelude::*;

/// The published plan of alis-vest (placements only), made once.
fn published() -> &'static PathBuf {
    static PLAN: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &PLAN
        .get_or_init(|| {
            let tmp = tempfile::tempdir().expect("temp dir");
            let out = tmp.path().join("published");
            common::solve_into("place", "instances/alis-vest".as_ref(), &out);
            (tmp, out)
        })
        .1
}

/// What happened since the plan was published.
#[derive(Clone, Debug)]
struct Events {
    /// (doctor, first month after 2027-01, months) of leave.
    leave: Vec<(usize, i32, i32)>,
    /// (department, first month after 2027-01, months) without a slot.
    closed: Vec<(usize, i32, i32)>,
    /// (doctor, new fte).
    fte: Option<(usize, u32)>,
    /// The re-plan month, months after 2027-01.
    from: i32,
}

fn events() -> impl Strategy<Value = Events> {
    (
        prop::collection::vec((0usize..15, 0i32..30, 1i32..4), 0..4),
        prop::collection::vec((0usize..22, 0i32..36, 1i32..7), 0..3),
        prop::option::of((0usize..15, prop::sample::select(vec![50u32, 60, 80, 100]))),
        1i32..30,
    )
        .prop_map(|(leave, closed, fte, from)| Events {
            leave,
            closed,
            fte,
            from,
        })
}

fn today(e: &Events) -> Instance {
    let mut inst = load_instance("instances/alis-vest".as_ref()).expect("alis-vest loads");
    let start = inst.horizon().first;
    for &(d, at, len) in &e.leave {
        inst.doctors[d].leave.push(Leave {
            range: MonthRange::starting(start.plus(at), len),
            kind: LeaveKind::Sick,
            source: Source {
                file: "leave.csv".into(),
                line: 99,
            },
        });
    }
    for &(k, at, len) in &e.closed {
        inst.departments[k]
            .overrides
            .insert(0, (MonthRange::starting(start.plus(at), len), 0));
    }
    if let Some((d, fte)) = e.fte {
        let doc = &mut inst.doctors[d];
        doc.fte = fte;
        for p in &mut doc.requirement {
            p.calendar_months = calendar_months(p.months, fte);
        }
    }
    inst
}

proptest! {
    #![proptest_config(common::cases(24))]

    #[test]
    fn a_re_plan_keeps_history_and_every_rule(e in events()) {
        let inst = today(&e);
        let travel = Travel::new(&inst);
        let from = inst.horizon().first.plus(e.from);
        let basis = Basis::replan(&inst, &travel, published(), from, None)
            .map_err(|err| TestCaseError::fail(format!("re-plan basis: {err}")))?;
        let mut solver = SolveOptions::from_settings(&inst.settings.solver);
        solver.time_limit = 20.0;
        let placement = basis
            .place(&inst, &travel, &PlaceOptions::new(solver), false)
            .map_err(|err| TestCaseError::fail(format!("placement: {err}")))?;
        let plan = basis.assemble(&inst, &placement, None, None);
        let previous = basis.previous.as_ref().expect("a previous plan");
        let broken: Vec<String> = verify(&inst, &plan)
            .into_iter()
            .chain(history_frozen(&inst, previous, &plan, from))
            .map(|v| v.to_string())
            .collect();
        prop_assert!(broken.is_empty(), "{broken:#?}");
    }
}
