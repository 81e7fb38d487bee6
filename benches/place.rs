//! `place` on the bundled instances, strong and plain formulations, and on the generated
//! 100-doctor instance (`alisplan generate --doctors 100 --hospitals 10 --regions 2 --seed
//! 7`, strong), whose placement leaves parts unplaced and so proves its count as well.
//!
//! Run with `cargo bench --bench place`; criterion prints the median time per solve.

use std::path::Path;
use std::time::Duration;

use alisplan::io::load_instance;
use alisplan::placement::{Formulation, PlaceOptions, Problem, place};
use alisplan::solver::SolveOptions;
use alisplan::travel::Travel;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_place(c: &mut Criterion) {
    let mut group = c.benchmark_group("place");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for name in ["alis-vest", "alis-nord"] {
        let inst =
            load_instance(&Path::new("instances").join(name)).expect("bundled instance loads");
        let travel = Travel::new(&inst);
        for formulation in [Formulation::Strong, Formulation::Plain] {
            let mut opts = PlaceOptions::new(SolveOptions::from_settings(&inst.settings.solver));
            opts.formulation = formulation;
            let probe = place(&Problem::new(&inst), &travel, &opts).expect("solves");
            eprintln!(
                "{name} {formulation:?}: {} variables, {} constraints, {} parts, status {:?}, gap {:.4}",
                probe.outcome.variables,
                probe.outcome.constraints,
                probe.size.parts,
                probe.outcome.status,
                probe.outcome.gap
            );
            group.bench_function(format!("{name}/{formulation:?}"), |b| {
                b.iter(|| place(&Problem::new(&inst), &travel, &opts).expect("solves"))
            });
        }
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("generated-100");
    alisplan::generate::generate(&alisplan::generate::GenerateSpec::new(100, 10, 2, 7))
        .expect("generates")
        .write(&dir, false)
        .expect("writes");
    let inst = load_instance(&dir).expect("the generated instance loads");
    let travel = Travel::new(&inst);
    let opts = PlaceOptions::new(SolveOptions::from_settings(&inst.settings.solver));
    let probe = place(&Problem::new(&inst), &travel, &opts).expect("solves");
    eprintln!(
        "generated-100 Strong: {} unplaced (proven {}), status {:?}, gap {:.4}",
        probe.count.unplaced_parts, probe.count.proven, probe.outcome.status, probe.outcome.gap
    );
    group.bench_function("generated-100/Strong", |b| {
        b.iter(|| place(&Problem::new(&inst), &travel, &opts).expect("solves"))
    });
    group.finish();
}

criterion_group!(benches, bench_place);
criterion_main!(benches);
