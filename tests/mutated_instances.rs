//! Property test over mutated bundled instances and review sheets: byte mutations, cell
//! mutations and line-ending changes. Whatever the input, loading never panics, every
//! problem names its file and a line the file has, a loaded instance survives `check`, and
//! through the binary an invalid input exits with 1 and writes nothing.
//!
//! The bodies are those of the cargo-fuzz targets (`fuzz/src/lib.rs`), included here so
//! that `cargo test` runs them; `fuzz/README.md` and the README (Fuzzing) say how to fuzz
//! for longer.

mod common;
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;
use std::sync::OnceLock;

use assert_cmd::Command;
use proptest::prelude::*;
use proptest::sample::Index;
use tempfile::TempDir;

use fuzz::{Scratch, VEST_LOCKS, instance_input, review_input};

const INSTANCES: [&str; 2] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/instances/alis-vest"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/instances/alis-nord"),
];

/// One copy of each bundled instance per test binary (alis-vest with a `locks.csv` too),
/// used by one test only.
fn scratch(which: usize) -> &'static Scratch {
    static SCRATCH: OnceLock<[Scratch; 2]> = OnceLock::new();
    &SCRATCH.get_or_init(|| {
        [
            Scratch::new(Path::new(INSTANCES[0]), &[("locks.csv", VEST_LOCKS)]),
            Scratch::new(Path::new(INSTANCES[1]), &[]),
        ]
    })[which]
}

/// Cells that have broken parsers before: numbers at and beyond every bound, non-numbers,
/// impossible months, CSV and TOML metacharacters, non-ASCII and invalid UTF-8.
const CELLS: [&str; 30] = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1",
    "1.5",
    "-1e99",
    "1e99",
    "inf",
    "-inf",
    "nan",
    "NaN",
    "4294967295",
    "4294967296",
    "99999999999999999999",
    "1441",
    "42949673",
    "2027-13",
    "0000-01",
    "9999-12",
    "2027-02-30",
    "yes",
    "maybe",
    "any",
    "*",
    "\"",
    "#x",
    "Førde",
    "\u{0}",
];

/// TOML values for a `key = value` line of `settings.toml`.
const TOML_VALUES: [&str; 18] = [
    "inf",
    "-inf",
    "nan",
    "1e99",
    "-1",
    "0",
    "1",
    "4294967296",
    "1.5",
    "\"x\"",
    "\"9999-12\"",
    "\"2027-13\"",
    "\"0001-01\"",
    "[]",
    "true",
    "{}",
    "",
    "\"2026-12\"",
];

/// `cases` cases, or `PROPTEST_CASES` from the environment for a longer run; failures
/// are shown, not saved (the fuzz corpus is the place for inputs worth keeping).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..common::cases(cases)
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    /// (where, what, byte): 0 set, 1 insert, 2 delete, 3 insert a line ending or quote.
    Bytes(Vec<(Index, u8, u8)>),
    /// Replace one cell (or a settings value) of a data line.
    Cell {
        line: Index,
        column: Index,
        value: Index,
        from_other_row: Option<Index>,
    },
    /// 0 CRLF, 1 CR, 2 no final newline, 3 byte-order mark, 4 a comment line, 5 a blank
    /// line, 6 CRLF with a comment line; `at` places inserted lines.
    Endings { kind: u8, at: Index },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        prop::collection::vec((any::<Index>(), 0u8..4, any::<u8>()), 1..6)
            .prop_map(Mutation::Bytes),
        (
            any::<Index>(),
            any::<Index>(),
            any::<Index>(),
            prop::option::of(any::<Index>())
        )
            .prop_map(|(line, column, value, from_other_row)| Mutation::Cell {
                line,
                column,
                value,
                from_other_row
            }),
        (0u8..7, any::<Index>()).prop_map(|(kind, at)| Mutation::Endings { kind, at }),
    ]
}

/// `text` with `m` applied.
fn apply(text: &[u8], m: &Mutation, toml: bool) -> Vec<u8> {
    match m {
        Mutation::Bytes(edits) => {
            let mut b = text.to_vec();
            for (at, op, byte) in edits {
                let i = at.index(b.len() + 1);
                match op {
                    0 if i < b.len() => b[i] = *byte,
                    1 | 0 => b.insert(i, *byte),
                    2 if i < b.len() => {
                        b.remove(i);
                    }
                    _ => b.insert(
                        i,
                        [b'\r', b'\n', b'"', b',', b'#', 0xff][usize::from(*byte) % 6],
                    ),
                }
            }
            b
        }
        Mutation::Cell {
            line,
            column,
            value,
            from_other_row,
        } => {
            let text = String::from_utf8_lossy(text);
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            if toml {
                let keys: Vec<usize> = (0..lines.len())
                    .filter(|&i| lines[i].contains(" = "))
                    .collect();
                if let Some(&i) = keys.get(line.index(keys.len().max(1))) {
                    let key = lines[i].split(" = ").next().unwrap_or("").to_string();
                    lines[i] = format!("{key} = {}", TOML_VALUES[value.index(TOML_VALUES.len())]);
                }
            } else if lines.len() > 1 {
                let i = 1 + line.index(lines.len() - 1);
                let width = lines[i].split(',').count();
                let c = column.index(width);
                let new = match from_other_row {
                    Some(other) => {
                        let j = 1 + other.index(lines.len() - 1);
                        lines[j].split(',').nth(c).unwrap_or("").to_string()
                    }
                    None => CELLS[value.index(CELLS.len())].to_string(),
                };
                let mut cells: Vec<String> = lines[i].split(',').map(String::from).collect();
                cells[c] = new;
                lines[i] = cells.join(",");
            }
            (lines.join("\n") + "\n").into_bytes()
        }
        Mutation::Endings { kind, at } => {
            let text = String::from_utf8_lossy(text).into_owned();
            let insert = |extra: &str| {
                let mut lines: Vec<&str> = text.lines().collect();
                let i = at.index(lines.len() + 1);
                lines.insert(i, extra);
                lines.join("\n") + "\n"
            };
            let out = match kind {
                0 => text.replace('\n', "\r\n"),
                1 => text.replace('\n', "\r"),
                2 => text.trim_end_matches('\n').to_string(),
                3 => format!("\u{feff}{text}"),
                4 => insert(if toml {
                    "# a comment"
                } else {
                    "# a comment, with a comma"
                }),
                5 => insert(""),
                _ => insert("# a comment").replace('\n', "\r\n"),
            };
            out.into_bytes()
        }
    }
}

/// Through the binary: `place` on an invalid instance (or with invalid review sheets in
/// `decisions`) exits with 1 and leaves nothing next to `--out`.
fn place_writes_nothing(instance: &Path, decisions: Option<&Path>) {
    let tmp = TempDir::new().expect("temp dir");
    let out = tmp.path().join("plan");
    let mut cmd = Command::cargo_bin("alisplan").expect("binary");
    cmd.arg("place").arg(instance).arg("--out").arg(&out);
    if let Some(dir) = decisions {
        cmd.arg("--decisions").arg(dir);
    }
    let run = cmd.output().expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("problem"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("list").count(),
        0,
        "nothing, not even a temporary folder, may be left next to --out"
    );
}

/// Through the binary: an instance that loads passes `check`.
fn check_passes(dir: &Path) {
    let run = Command::cargo_bin("alisplan")
        .expect("binary")
        .args(["check", "-q"])
        .arg(dir)
        .output()
        .expect("run");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

proptest! {
    #![proptest_config(config(160))]

    #[test]
    fn a_mutated_instance_loads_or_is_reported_in_place(
        which in 0usize..2,
        file in any::<Index>(),
        m in mutation(),
    ) {
        let s = scratch(which);
        let files = s.files();
        let file = files[file.index(files.len())];
        let bytes = apply(&s.originals[file], &m, file.ends_with(".toml"));
        let loads = instance_input(s, file, &bytes);
        s.with(file, &bytes, |dir| {
            if loads {
                check_passes(dir);
            } else {
                place_writes_nothing(dir, None);
            }
        });
    }
}

/// The seed corpus of a fuzz target: each `fuzz/corpus/TARGET/seed-NN-FILE` must be the
/// byte NN, which picks FILE, followed by the file unchanged.
fn seeds(target: &str, scratch: &Scratch) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the seed corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        // What a fuzzing run added to the corpus is not a seed.
        .filter(|name| name.starts_with("seed-"))
        .collect();
    names.sort();
    let files = scratch.files();
    assert_eq!(names.len(), files.len(), "one seed per file of {target}");
    names
        .iter()
        .map(|name| {
            let seed = std::fs::read(dir.join(name)).expect("read a seed");
            let pick = usize::from(seed[0]);
            assert_eq!(
                name,
                &format!("seed-{pick:02}-{}", files[pick]),
                "the seed's first byte picks its file"
            );
            assert_eq!(
                &seed[1..],
                &scratch.originals[files[pick]][..],
                "{name} is out of date"
            );
            seed
        })
        .collect()
}

#[test]
fn the_fuzz_targets_run_on_their_seeds() {
    let s = Scratch::new(Path::new(INSTANCES[0]), &[("locks.csv", VEST_LOCKS)]);
    for seed in seeds("instance", &s) {
        assert!(
            fuzz::instance_input(&s, s.files()[usize::from(seed[0])], &seed[1..]),
            "a seed loads"
        );
        fuzz::instance_target(&s, &seed);
        fuzz::instance_target(&s, &seed[..1]);
    }
    let ((inst, sheets), _guard) = review_fixture();
    for seed in seeds("review", sheets) {
        fuzz::review_target(inst, sheets, &seed);
        fuzz::review_target(inst, sheets, &seed[..1]);
    }
}

/// The problems and warnings of a load, to compare two loads.
fn outcome(
    dir: &Path,
) -> Result<Vec<alisplan::error::Diagnostic>, Vec<alisplan::error::Diagnostic>> {
    match alisplan::io::load_instance(dir) {
        Ok(inst) => Ok(inst.warnings),
        Err(alisplan::Error::Input(e)) => Err(e.errors),
        Err(e) => panic!("not an input error: {e}"),
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// A file saved with Windows (CRLF) or old Mac (CR) line endings gives exactly the
    /// messages, lines and columns of the same file saved with LF.
    #[test]
    fn line_endings_change_no_message(
        file in any::<Index>(),
        line in any::<Index>(),
        column in any::<Index>(),
        value in any::<Index>(),
    ) {
        let s = line_endings_scratch();
        let files = s.files();
        let file = files[file.index(files.len())];
        let m = Mutation::Cell { line, column, value, from_other_row: None };
        let lf = apply(&s.originals[file], &m, file.ends_with(".toml"));
        let text = String::from_utf8_lossy(&lf).into_owned();
        let expected = s.with(file, &lf, outcome);
        for ending in ["\r\n", "\r"] {
            let other = text.replace('\n', ending).into_bytes();
            prop_assert_eq!(&s.with(file, &other, outcome), &expected, "{:?} endings", ending);
        }
    }
}

/// A copy of alis-vest for the line-ending property.
fn line_endings_scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| Scratch::new(Path::new(INSTANCES[0]), &[("locks.csv", VEST_LOCKS)]))
}

/// The instance the review sheets are read against, and the sheets; the guard keeps the
/// tests that replace sheets from doing so at the same time.
fn review_fixture() -> (
    &'static (alisplan::Instance, Scratch),
    std::sync::MutexGuard<'static, ()>,
) {
    static FIXTURE: OnceLock<(alisplan::Instance, Scratch)> = OnceLock::new();
    static IN_USE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = IN_USE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let fixture = FIXTURE.get_or_init(|| {
        let inst = alisplan::io::load_instance(Path::new(INSTANCES[0])).expect("alis-vest loads");
        (inst, Scratch::vest_sheets())
    });
    (fixture, guard)
}

#[test]
fn the_unmutated_review_sheets_are_read() {
    let ((inst, sheets), _guard) = review_fixture();
    let locks = review_input(
        inst,
        sheets,
        "haukeland.csv",
        &sheets.originals["haukeland.csv"],
    )
    .expect("the sheets are valid");
    assert_eq!(locks.len(), 3, "two accepts and one reject");
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn a_mutated_review_sheet_is_read_or_reported_in_place(
        file in any::<Index>(),
        m in mutation(),
    ) {
        let ((inst, sheets), _guard) = review_fixture();
        let files = sheets.files();
        let file = files[file.index(files.len())];
        let bytes = apply(&sheets.originals[file], &m, false);
        if review_input(inst, sheets, file, &bytes).is_none() {
            // Through the binary: exit 1 and nothing written.
            let root = sheets.dir.parent().expect("a parent").to_path_buf();
            sheets.with(file, &bytes, |_| place_writes_nothing(Path::new(INSTANCES[0]), Some(&root)));
        }
    }
}
