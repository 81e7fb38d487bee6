//! How `place`, `groups` and `plan` scale: the library calls behind the three commands on
//! generated instances of 15, 100 and 500 doctors (and 2,000 with `ALISPLAN_BENCH_LARGE=1`,
//! as one solve may take minutes), with each instance's solver settings and a 60 s time
//! limit per model, as `alisplan <command> --time-limit 60` would solve them.
//!
//! `cargo bench --bench scale` runs everything; a filter picks some, e.g.
//! `cargo bench --bench scale -- place/100`. Before timing, each case is solved once and
//! prints one line with the model's size, the status and the gap; a case that is not
//! proven optimal within the time limit is not timed (its time would only be the limit;
//! `cargo run --release --example bench_table` reports its gap). Every sample is one solve
//! (criterion's flat sampling) and the measurement time is sized from that first solve,
//! so criterion warns that it is "unable to complete 10 samples" in it: expected, harmless.
//! `plan` here is placement then guidance groups, without writing files.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

use alisplan::Instance;
use alisplan::generate::{GenerateSpec, generate};
use alisplan::groups::{GroupsResult, form_groups};
use alisplan::io::load_instance;
use alisplan::placement::{PlaceOptions, Placement, place};
use alisplan::replan::{Split, replan_problem};
use alisplan::solver::{Outcome, SolveOptions};
use alisplan::travel::Travel;

/// Time limit per model, in seconds.
const TIME_LIMIT: f64 = 60.0;
/// Seed of the generated instances (the same as the bench table's).
const SEED: u64 = 7;
/// Sizes timed by default: (doctors, regions, hospitals).
const SIZES: [(u32, u32, u32); 3] = [(15, 1, 3), (100, 2, 10), (500, 4, 20)];
/// The size added by `ALISPLAN_BENCH_LARGE=1`.
const LARGE: (u32, u32, u32) = (2000, 4, 60);

/// The solver settings of `inst` with the benchmark's time limit.
fn options(inst: &Instance) -> SolveOptions {
    let mut o = SolveOptions::from_settings(&inst.settings.solver);
    o.time_limit = TIME_LIMIT;
    o
}

/// The placement `alisplan place` (and `plan`) solves when no earlier plan is given.
fn run_place(inst: &Instance, travel: &Travel) -> Placement {
    let problem = replan_problem(inst, &Split::default(), None, inst.locks.clone());
    place(&problem, travel, &PlaceOptions::new(options(inst))).expect("the placement solves")
}

fn run_groups(inst: &Instance, travel: &Travel) -> GroupsResult {
    form_groups(inst, travel, &options(inst)).expect("the guidance groups form")
}

/// `alisplan plan` without the files: the placement, then the guidance groups.
fn run_plan(inst: &Instance, travel: &Travel) -> (Placement, GroupsResult) {
    (run_place(inst, travel), run_groups(inst, travel))
}

/// One line on a solved part, for the log.
fn describe(part: &str, o: &Outcome) -> String {
    format!(
        "{part}: {} variables, {} constraints, objective {:.0}, bound {:.0}, status {}, gap {:.4}, {:.2} s in the solver",
        o.variables,
        o.constraints,
        o.objective,
        o.bound,
        o.status.label(),
        o.gap,
        o.seconds
    )
}

/// Whether the command line's filter (if any) selects `name`, so that a filtered run does
/// not spend minutes on the first solve of an unselected case.
fn selected(name: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && !a.is_empty())
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

/// Solve once (to print the figures and size the measurement), then time `solve` if every
/// part was proven optimal.
fn bench_case<T>(
    c: &mut Criterion,
    name: &str,
    solve: impl Fn() -> T,
    outcomes: impl Fn(&T) -> Vec<(&'static str, Outcome)>,
) {
    if !selected(name) {
        return;
    }
    let started = Instant::now();
    let first = solve();
    let once = started.elapsed();
    let parts = outcomes(&first);
    for (part, o) in &parts {
        eprintln!("{name} {}", describe(part, o));
    }
    eprintln!("{name}: first solve {:.2} s", once.as_secs_f64());
    if let Some((part, o)) = parts.iter().find(|(_, o)| !o.status.is_optimal()) {
        eprintln!(
            "{name}: {part} not proven optimal within {TIME_LIMIT} s (gap {:.4}); not timed",
            o.gap
        );
        return;
    }
    let mut group = c.benchmark_group("scale");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        // Half the time of ten solves: criterion then runs one solve per sample even when
        // its warm-up solve is faster than the first one (it would run two per sample).
        .measurement_time(once.mul_f64(5.0).max(Duration::from_secs(5)))
        .warm_up_time(if once > Duration::from_secs(1) {
            // The first solve above already warmed the caches.
            Duration::from_millis(1)
        } else {
            Duration::from_secs(1)
        });
    group.bench_function(name.trim_start_matches("scale/"), |b| b.iter(&solve));
    group.finish();
}

fn scale(c: &mut Criterion) {
    let mut sizes = SIZES.to_vec();
    if std::env::var("ALISPLAN_BENCH_LARGE").is_ok_and(|v| v == "1") {
        sizes.push(LARGE);
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for (doctors, regions, hospitals) in sizes {
        let spec = GenerateSpec::new(doctors, hospitals, regions, SEED);
        let dir = tmp.path().join(format!("generated-{doctors}"));
        generate(&spec)
            .expect("the specification is valid")
            .write(&dir, false)
            .expect("the instance is written");
        let inst = load_instance(Path::new(&dir)).expect("the generated instance loads");
        let travel = Travel::new(&inst);
        eprintln!("generated {doctors}: {}", spec.command());
        bench_case(
            c,
            &format!("scale/place/{doctors}"),
            || run_place(&inst, &travel),
            |p| vec![("placement", p.outcome.clone())],
        );
        bench_case(
            c,
            &format!("scale/groups/{doctors}"),
            || run_groups(&inst, &travel),
            |g| vec![("groups", g.outcome.clone())],
        );
        bench_case(
            c,
            &format!("scale/plan/{doctors}"),
            || run_plan(&inst, &travel),
            |(p, g)| {
                vec![
                    ("placement", p.outcome.clone()),
                    ("groups", g.outcome.clone()),
                ]
            },
        );
    }
}

criterion_group!(benches, scale);
criterion_main!(benches);
