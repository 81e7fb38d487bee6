//! Fuzz the review-sheet reader (`alisplan::review::read_decisions`): two filled-in sheets
//! for `instances/alis-vest`, of which the one picked by the input's first byte is replaced
//! by the rest of the input.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use alisplan::model::Instance;
use alisplan_fuzz::{Scratch, review_target};
use libfuzzer_sys::fuzz_target;

fn fixture() -> &'static (Instance, Scratch) {
    static FIXTURE: OnceLock<(Instance, Scratch)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let vest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../instances/alis-vest");
        let inst = alisplan::io::load_instance(&vest).expect("alis-vest loads");
        (inst, Scratch::vest_sheets())
    })
}

fuzz_target!(|data: &[u8]| {
    let (inst, sheets) = fixture();
    review_target(inst, sheets, data);
});
