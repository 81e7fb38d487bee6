//! Times `alisplan groups` (the library call behind it) on the bundled instances and on
//! synthetic instances of 100 and 500 doctors, with the strong and the textbook formulation.
//!
//! `cargo bench --bench groups` runs everything; a filter picks some, e.g.
//! `cargo bench --bench groups -- strong`. Before timing, each case prints one line with
//! the model's size and the solve's outcome. Extra instance folders (e.g. from
//! `alisplan generate`) are benchmarked too when listed, comma-separated, in the
//! environment variable `ALISPLAN_BENCH_INSTANCES`; `ALISPLAN_BENCH_WRITE_SYNTHETIC=DIR`
//! writes the synthetic instances into DIR instead of timing anything.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use alisplan::groups::{GroupsConfig, GroupsFormulation, form_groups_with};
use alisplan::io::load_instance;
use alisplan::solver::SolveOptions;
use alisplan::travel::Travel;

/// Time limit per solve in the benchmark; the textbook model may reach it.
const TIME_LIMIT: f64 = 60.0;

fn options() -> SolveOptions {
    SolveOptions {
        time_limit: TIME_LIMIT,
        gap: 0.0,
        threads: 1,
        ..SolveOptions::default()
    }
}

/// A small deterministic random number generator (64-bit LCG), so that the synthetic
/// instances are the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 31) as f64
    }
}

/// Write a synthetic groups instance of `doctors` doctors into `dir`: municipalities
/// scattered over a square that grows with the instance (about six doctors each), a road
/// network to each place's nearest neighbours, a venue per forty doctors with room for
/// three to six groups, and supervisors for 1.3 times the groups needed.
pub fn synthetic_instance(dir: &Path, doctors: usize, seed: u64) {
    let mut rng = Lcg(seed);
    let munis = (doctors / 6).max(3);
    let side = 40.0 * (doctors as f64 / 10.0).sqrt();
    let pos: Vec<(f64, f64)> = (0..munis)
        .map(|_| (rng.unit() * side, rng.unit() * side))
        .collect();
    let dist = |a: usize, b: usize| {
        let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
        (dx * dx + dy * dy).sqrt()
    };
    let minutes = |a: usize, b: usize| (dist(a, b) * 1.1).round() as u64 + 5;
    let mut places = String::from("id,name,lat,lon\n");
    let mut municipalities = String::from("id,name,place\n");
    for (k, (x, y)) in pos.iter().enumerate() {
        let _ = writeln!(
            places,
            "m{k},Place {k},{:.4},{:.4}",
            60.0 + y / 111.0,
            5.0 + x / 55.0
        );
        let _ = writeln!(municipalities, "m{k},Municipality {k},m{k}");
    }
    let mut edges = std::collections::BTreeSet::new();
    for a in 0..munis {
        let mut near: Vec<usize> = (0..munis).filter(|&b| b != a).collect();
        near.sort_by(|&x, &y| dist(a, x).total_cmp(&dist(a, y)));
        for &b in near.iter().take(3) {
            edges.insert((a.min(b), a.max(b)));
        }
        // Join every place to the nearest earlier one, so the network is connected.
        if let Some(b) = (0..a).min_by(|&x, &y| dist(a, x).total_cmp(&dist(a, y))) {
            edges.insert((b, a));
        }
    }
    let mut network = String::from("from,to,minutes\n");
    for (a, b) in edges {
        let _ = writeln!(network, "m{a},m{b},{}", minutes(a, b));
    }
    let mut doctors_csv = String::from("id,name,municipality,scheme,relocate,group_from\n");
    for d in 0..doctors {
        let m = rng.below(munis as u64);
        let month = rng.below(24);
        let _ = writeln!(
            doctors_csv,
            "D{d:04},Doctor {d},m{m},new,yes,{}-{:02}",
            2027 + month / 12,
            month % 12 + 1
        );
    }
    let groups_needed = doctors.div_ceil(9);
    let venues = (doctors / 40).max(2);
    let mut venues_csv = String::from("place,max_groups\n");
    let mut used = std::collections::BTreeSet::new();
    while used.len() < venues.min(munis) {
        used.insert(rng.below(munis as u64));
    }
    for v in &used {
        let _ = writeln!(venues_csv, "m{v},{}", 3 + rng.below(4));
    }
    let mut supervisors = String::from("id,name,place,max_groups\n");
    let mut lead = 0;
    let mut s = 0;
    while lead * 10 < groups_needed * 13 {
        let cap = 1 + rng.below(2) as usize;
        let _ = writeln!(
            supervisors,
            "S{s:03},Supervisor {s},m{},{cap}",
            rng.below(munis as u64)
        );
        lead += cap;
        s += 1;
    }
    let files = [
        ("settings.toml", format!("name = \"synthetic-{doctors}\"\n")),
        ("places.csv", places),
        ("network.csv", network),
        ("municipalities.csv", municipalities),
        (
            "hospitals.csv",
            "id,name,place\nh0,Hospital,m0\n".to_string(),
        ),
        (
            "departments.csv",
            "hospital,specialty,capacity\nh0,medicine,4\n".to_string(),
        ),
        ("doctors.csv", doctors_csv),
        ("venues.csv", venues_csv),
        ("supervisors.csv", supervisors),
    ];
    std::fs::create_dir_all(dir).expect("create the instance folder");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write an instance file");
    }
}

/// Benchmark forming the groups of the instance in `dir` with `formulation`.
pub fn bench_instance(c: &mut Criterion, label: &str, dir: &Path, formulation: GroupsFormulation) {
    let inst = load_instance(dir).expect("the benchmark instance loads");
    let travel = Travel::new(&inst);
    let cfg = GroupsConfig {
        formulation,
        warm_start: true,
    };
    let name = format!(
        "groups/{}/{label}",
        match formulation {
            GroupsFormulation::Strong => "strong",
            GroupsFormulation::Plain => "plain",
        }
    );
    if !c_filter_matches(&name) {
        return;
    }
    match form_groups_with(&inst, &travel, &options(), &cfg) {
        Ok(r) => {
            let o = &r.outcome;
            eprintln!(
                "{name}: {} doctors, {} groups, {} variables, {} constraints, objective {:.0}, bound {}, status {}, gap {:.4}, {:.2} s",
                r.doctors,
                r.group_count,
                o.variables,
                o.constraints,
                o.objective,
                o.bound_text(),
                o.status.label(),
                o.gap,
                o.seconds
            );
            if !o.status.is_optimal() {
                eprintln!("{name}: not optimal within {TIME_LIMIT} s; not timed");
                return;
            }
        }
        Err(e) => {
            eprintln!("{name}: {e}");
            return;
        }
    }
    c.bench_function(&name, |b| {
        b.iter(|| form_groups_with(&inst, &travel, &options(), &cfg).expect("groups form"))
    });
}

/// Whether the command line's filter (if any) selects `name`, so that a filtered run does
/// not spend minutes on the one-off solve of an unselected case.
fn c_filter_matches(name: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && !a.is_empty())
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

fn bundled(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join(name)
}

fn groups(c: &mut Criterion) {
    // `ALISPLAN_BENCH_WRITE_SYNTHETIC=DIR` only writes the synthetic instances (100, 500
    // and 2,000 doctors) into DIR, to run `alisplan groups` on them by hand.
    if let Ok(dir) = std::env::var("ALISPLAN_BENCH_WRITE_SYNTHETIC") {
        for doctors in [100, 500, 2000] {
            synthetic_instance(
                &Path::new(&dir).join(format!("synthetic-{doctors}")),
                doctors,
                2027,
            );
        }
        eprintln!("wrote synthetic instances into {dir}");
        return;
    }
    for formulation in [GroupsFormulation::Strong, GroupsFormulation::Plain] {
        for name in ["alis-vest", "alis-nord"] {
            bench_instance(c, name, &bundled(name), formulation);
        }
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for doctors in [100, 500] {
        let dir = tmp.path().join(format!("synthetic-{doctors}"));
        synthetic_instance(&dir, doctors, 2027);
        bench_instance(
            c,
            &format!("synthetic-{doctors}"),
            &dir,
            GroupsFormulation::Strong,
        );
        if doctors <= 100 {
            bench_instance(
                c,
                &format!("synthetic-{doctors}"),
                &dir,
                GroupsFormulation::Plain,
            );
        }
    }
    if let Ok(list) = std::env::var("ALISPLAN_BENCH_INSTANCES") {
        for dir in list.split(',').filter(|s| !s.is_empty()) {
            let path = PathBuf::from(dir);
            let label = path
                .file_name()
                .map_or(dir.to_string(), |n| n.to_string_lossy().into_owned());
            bench_instance(c, &label, &path, GroupsFormulation::Strong);
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    targets = groups
}
criterion_main!(benches);
