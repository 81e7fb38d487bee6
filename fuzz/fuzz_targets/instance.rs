//! Fuzz the instance loader: a copy of `instances/alis-vest` (with a `locks.csv`) in which
//! the file picked by the input's first byte is replaced by the rest of the input.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use alisplan_fuzz::{Scratch, VEST_LOCKS, instance_target};
use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let vest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../instances/alis-vest");
        Scratch::new(&vest, &[("locks.csv", VEST_LOCKS)])
    })
}

fuzz_target!(|data: &[u8]| instance_target(scratch(), data));
