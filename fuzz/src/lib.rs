//! The bodies of the fuzz targets: an instance folder with one file replaced by arbitrary
//! bytes, and a folder of review sheets with one sheet replaced. Each body loads its input
//! through the library, as a user of `alisplan` would, and panics if loading panics, if a
//! failed load has a problem that does not name its file and a line within that file, or
//! if a loaded instance cannot be summarised.
//!
//! The cargo-fuzz targets in `fuzz_targets/` call these bodies on libFuzzer's inputs; the
//! property test `tests/mutated_instances.rs` of the main crate includes this file and
//! calls the same bodies on mutated bundled instances, so `cargo test` runs them too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alisplan::error::Error;
use alisplan::io::load_instance;
use alisplan::model::{Instance, Lock};
use alisplan::travel::Travel;
use tempfile::TempDir;

/// Problems about a whole file, which have no line: the file is absent or cannot be read,
/// or a review sheet is named after no hospital.
const WHOLE_FILE_RULES: [&str; 4] = [
    "missing-file",
    "unreadable",
    "missing-folder",
    "unknown-reference",
];

/// A private copy of a folder of files in which one file at a time is replaced.
pub struct Scratch {
    _tmp: TempDir,
    pub dir: PathBuf,
    /// The files of the copy as they were copied (relative path → bytes).
    pub originals: BTreeMap<String, Vec<u8>>,
}

impl Scratch {
    /// A copy of the files of `source` (not of its subfolders), plus `extra` files.
    pub fn new(source: &Path, extra: &[(&str, &[u8])]) -> Scratch {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for entry in std::fs::read_dir(source).expect("read the source folder") {
            let entry = entry.expect("folder entry");
            if entry.path().is_file() {
                let name = entry.file_name().to_string_lossy().into_owned();
                files.push((name, std::fs::read(entry.path()).expect("read a file")));
            }
        }
        files.extend(extra.iter().map(|(n, b)| (n.to_string(), b.to_vec())));
        let name = source
            .file_name()
            .expect("a named folder")
            .to_string_lossy();
        Scratch::of(&name, files)
    }

    /// A folder `name` in a fresh temporary folder, holding `files`.
    pub fn of(name: &str, files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Scratch {
        let tmp = TempDir::new().expect("temporary folder");
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).expect("create the folder");
        let originals: BTreeMap<String, Vec<u8>> = files.into_iter().collect();
        for (file, bytes) in &originals {
            std::fs::write(dir.join(file), bytes).expect("write a file");
        }
        Scratch {
            _tmp: tmp,
            dir,
            originals,
        }
    }

    /// The review sheets of [`VEST_SHEETS`] in a folder `hospitals/`.
    pub fn vest_sheets() -> Scratch {
        Scratch::of(
            "hospitals",
            VEST_SHEETS.iter().map(|(n, b)| (n.to_string(), b.to_vec())),
        )
    }

    /// The names of the files a mutation may replace (not the instance's README).
    pub fn files(&self) -> Vec<&str> {
        self.originals
            .keys()
            .map(String::as_str)
            .filter(|f| !f.ends_with(".md"))
            .collect()
    }

    /// Run `f` on the folder with `file` replaced by `bytes`, then put the file back.
    pub fn with<T>(&self, file: &str, bytes: &[u8], f: impl FnOnce(&Path) -> T) -> T {
        let path = self.dir.join(file);
        std::fs::write(&path, bytes).expect("write the mutated file");
        let out = f(&self.dir);
        let original = self.originals.get(file).map_or(&[][..], Vec::as_slice);
        std::fs::write(&path, original).expect("restore the file");
        out
    }

    /// The bytes of `file` while `file` is replaced by `bytes`.
    pub fn text_of<'a>(&'a self, file: &str, replaced: &str, bytes: &'a [u8]) -> Option<&'a [u8]> {
        if file == replaced {
            Some(bytes)
        } else {
            self.originals.get(file).map(Vec::as_slice)
        }
    }
}

/// Physical lines of `bytes`, each ended by `\r\n`, `\n` or `\r` (the last one may lack
/// its ending).
pub fn physical_lines(bytes: &[u8]) -> u64 {
    let mut lines = 1;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' || bytes[i] == b'\n' {
            lines += 1;
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        }
        i += 1;
    }
    lines
}

/// Every problem of a failed load names a file and, unless it is about the whole file, a
/// line that the file has. `text_of` gives the bytes of a file by its name as reported.
pub fn errors_are_located<'a>(
    err: &Error,
    text_of: impl Fn(&str) -> Option<&'a [u8]>,
) -> Result<(), String> {
    let Error::Input(input) = err else {
        return Err(format!(
            "a load failed with something other than input errors: {err}"
        ));
    };
    if input.errors.is_empty() {
        return Err(format!("a load failed without a problem: {err}"));
    }
    for d in &input.errors {
        if d.file.is_empty() {
            return Err(format!("a problem names no file: {d}"));
        }
        if WHOLE_FILE_RULES.contains(&d.rule) && d.line.is_none() {
            continue;
        }
        let Some(line) = d.line else {
            return Err(format!("a problem has no line: {d}"));
        };
        if let Some(bytes) = text_of(&d.file) {
            let lines = physical_lines(bytes);
            if line == 0 || line > lines {
                return Err(format!(
                    "line {line} is not a line of {} ({lines} lines): {d}",
                    d.file
                ));
            }
        }
    }
    Ok(())
}

/// What a loaded instance must survive: travel and the `check` summary.
pub fn exercise(inst: &Instance) {
    let travel = Travel::new(inst);
    let report = alisplan::cli::check::summarise(inst, &travel);
    assert!(report.text.contains("instance is valid"));
}

/// Load the instance of `scratch` with `file` replaced by `bytes`; panic on a violation of
/// the loader's promises. Returns whether it loaded.
pub fn instance_input(scratch: &Scratch, file: &str, bytes: &[u8]) -> bool {
    match scratch.with(file, bytes, load_instance) {
        Ok(inst) => {
            exercise(&inst);
            true
        }
        Err(e) => {
            if let Err(why) = errors_are_located(&e, |f| scratch.text_of(f, file, bytes)) {
                panic!(
                    "{why}\n(file {file} replaced by {:?})",
                    String::from_utf8_lossy(bytes)
                );
            }
            false
        }
    }
}

/// The fuzz target over instances: the first byte picks the file to replace, the rest is
/// its new content.
pub fn instance_target(scratch: &Scratch, data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let files = scratch.files();
    let file = files[usize::from(pick) % files.len()];
    instance_input(scratch, file, bytes);
}

/// Read the review sheets of `sheets` (a folder with `hospitals/`) with `file` (e.g.
/// `hospitals/haukeland.csv`) replaced by `bytes`; panic on a violation of the reader's
/// promises. Returns the decisions if they were read.
pub fn review_input(
    inst: &Instance,
    sheets: &Scratch,
    file: &str,
    bytes: &[u8],
) -> Option<Vec<Lock>> {
    let root = sheets
        .dir
        .parent()
        .expect("the copy is in a folder")
        .to_path_buf();
    match sheets.with(file, bytes, |_| {
        alisplan::review::read_answers(inst, &root).map(|answers| {
            answers
                .iter()
                .filter_map(|a| a.lock())
                .collect::<Vec<Lock>>()
        })
    }) {
        Ok(locks) => Some(locks),
        Err(e) => {
            if let Err(why) = errors_are_located(&e, |f| {
                sheets.text_of(f.trim_start_matches("hospitals/"), file, bytes)
            }) {
                panic!(
                    "{why}\n(sheet {file} replaced by {:?})",
                    String::from_utf8_lossy(bytes)
                );
            }
            None
        }
    }
}

/// The fuzz target over review sheets: the first byte picks the sheet (hospital) to
/// replace, the rest is its new content.
pub fn review_target(inst: &Instance, sheets: &Scratch, data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let files = sheets.files();
    let file = files[usize::from(pick) % files.len()];
    review_input(inst, sheets, file, bytes);
}

/// Review sheets for `alis-vest`: two filled-in sheets, as hospitals send them back.
pub const VEST_SHEETS: [(&str, &[u8]); 2] = [
    (
        "haukeland.csv",
        b"doctor,doctor_name,home_municipality,specialty,start,end,months,commute_minutes,decision,comment\n\
V15,Thea Kleppe,Fusa (Bj\xc3\xb8rnafjorden),paediatrics,2027-03,2027-08,6,70,reject,no slot in spring\n\
V01,Ingrid Haugland,Bergen,psychiatry,2028-02,2028-07,6,8,accept,\n",
    ),
    (
        "stord-sjukehus.csv",
        b"doctor,doctor_name,home_municipality,specialty,start,end,months,commute_minutes,decision,comment\n\
V03,Kari Nyg\xc3\xa5rd,B\xc3\xb8mlo,surgery,2027-01,2027-06,6,20,accept,\n\
V09,Per Vik,Stord,medicine,2027-01,2027-06,6,5,,\n",
    ),
];

/// A `locks.csv` for `alis-vest` that loads, so that mutations of it are tried too.
pub const VEST_LOCKS: &[u8] = b"doctor,hospital,specialty,start,months,decision\n\
V12,,psychiatry,,,reject\n\
V03,stord-sjukehus,surgery,2027-01,6,accept\n";
