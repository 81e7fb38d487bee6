//! A tiny instance written into a temporary folder, with every file overridable, for tests
//! that need an instance whose optimum can be found by hand.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// Files of a small instance: one home municipality `m1` at place `a`, hospitals `h1`
/// (30 min away) and `h2` (60 min away), each with a one-slot `medicine` department; the
/// horizon is 2027-01..2027-12. Weights other than commute are zero unless a test sets them;
/// a daily commute costs 1 per one-way minute per month (1 NOK an hour, 30 round trips a
/// month), a relocated doctor's trip home a fifth of that (6 round trips a month).
pub struct Tiny {
    pub files: BTreeMap<&'static str, String>,
    dir: TempDir,
}

impl std::fmt::Debug for Tiny {
    /// The files, so that a failing property test shows the instance it found.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (name, content) in &self.files {
            writeln!(f, "--- {name}\n{content}")?;
        }
        Ok(())
    }
}

impl Default for Tiny {
    fn default() -> Self {
        Tiny::new()
    }
}

impl Tiny {
    pub fn new() -> Tiny {
        let mut files = BTreeMap::new();
        files.insert(
            "settings.toml",
            "name = \"tiny\"\n[horizon]\nstart = \"2027-01\"\nend = \"2027-12\"\n[weights]\nnok_per_hour = 1.0\nworkdays_per_month = 30.0\nhome_trips_per_month = 6.0\nrelocation = 0.0\nsubstitute = 0.0\nstagger = 0.0\npreference = 0.0\nmin_fill = 0.0\nworst_commute = 0.0\nunplaced = 100000.0\nblock = 0.0\nlateness = 0.0\n".to_string(),
        );
        files.insert(
            "places.csv",
            "id,name,lat,lon\na,A,60.0,5.0\nb,B,60.1,5.1\nx,H1,60.2,5.2\ny,H2,60.3,5.3\n".into(),
        );
        files.insert(
            "network.csv",
            "from,to,minutes\na,x,30\na,y,60\nb,x,40\nb,y,20\n".into(),
        );
        files.insert(
            "municipalities.csv",
            "id,name,place,max_away\nm1,M1,a,2\nm2,M2,b,2\n".into(),
        );
        files.insert("hospitals.csv", "id,name,place\nh1,H1,x\nh2,H2,y\n".into());
        files.insert(
            "departments.csv",
            "hospital,specialty,capacity\nh1,medicine,1\nh2,medicine,1\n".into(),
        );
        files.insert(
            "doctors.csv",
            "id,name,municipality,scheme\nd1,D1,m1,new\n".into(),
        );
        Tiny {
            files,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Replace a whole file.
    pub fn set(&mut self, file: &'static str, content: &str) -> &mut Tiny {
        self.files.insert(file, content.to_string());
        self
    }

    /// Append lines to the settings.
    pub fn settings(&mut self, extra: &str) -> &mut Tiny {
        let s = self.files.get_mut("settings.toml").expect("settings");
        // Later keys of the same table override earlier ones only if the table is repeated,
        // which TOML forbids; so settings edits replace `key = value` lines in place.
        for line in extra.lines().filter(|l| !l.trim().is_empty()) {
            let key = line.split('=').next().unwrap_or("").trim().to_string();
            let mut replaced = false;
            let mut out = String::new();
            for l in s.lines() {
                if !key.starts_with('[') && l.split('=').next().unwrap_or("").trim() == key {
                    out.push_str(line);
                    replaced = true;
                } else {
                    out.push_str(l);
                }
                out.push('\n');
            }
            if !replaced {
                out.push_str(line);
                out.push('\n');
            }
            *s = out;
        }
        self
    }

    /// Write the files and return the folder.
    pub fn write(&self) -> PathBuf {
        let dir = self.dir.path().join("instance");
        std::fs::create_dir_all(&dir).expect("create instance dir");
        for (name, content) in &self.files {
            std::fs::write(dir.join(name), content).expect("write instance file");
        }
        dir
    }

    /// A folder next to the instance for outputs.
    pub fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }
}

/// The plan a placement describes, for `verify`.
pub fn plan_of(p: &alisplan::placement::Placement) -> alisplan::model::Plan {
    alisplan::model::Plan {
        blocks: p.blocks.clone(),
        unplaced: p.unplaced.clone(),
        ..alisplan::model::Plan::default()
    }
}

/// A plan of `blocks` that reports each `(doctor, reason)` of `unplaced` as not placed.
pub fn plan_with(
    blocks: Vec<alisplan::model::Block>,
    unplaced: Vec<(alisplan::model::DoctorId, String)>,
) -> alisplan::model::Plan {
    alisplan::model::Plan {
        blocks,
        unplaced: unplaced
            .into_iter()
            .map(|(doctor, reason)| alisplan::model::Unplaced {
                doctor,
                specialty: None,
                months: 0,
                reason,
            })
            .collect(),
        ..alisplan::model::Plan::default()
    }
}

/// A generated instance (`alisplan generate` with these sizes), loaded, and the folder
/// that holds it.
pub fn generated(
    doctors: u32,
    hospitals: u32,
    regions: u32,
    seed: u64,
) -> (TempDir, alisplan::model::Instance) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("g");
    alisplan::generate::generate(&alisplan::generate::GenerateSpec::new(
        doctors, hospitals, regions, seed,
    ))
    .expect("generates")
    .write(&dir, false)
    .expect("writes");
    let inst = alisplan::io::load_instance(&dir).expect("loads");
    (tmp, inst)
}

/// The data rows of a CSV file (its header left out).
pub fn rows(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .skip(1)
        .map(String::from)
        .collect()
}

/// Copy the files of folder `from` (not its subfolders) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for e in std::fs::read_dir(from).expect("read the folder") {
        let e = e.expect("a folder entry");
        if e.file_type().expect("a file type").is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy a file");
        }
    }
}

/// Run `alisplan COMMAND INSTANCE --quiet --out OUT` and require success.
pub fn solve_into(command: &str, instance: &Path, out: &Path) {
    assert_cmd::Command::cargo_bin("alisplan")
        .expect("binary built")
        .arg(command)
        .arg(instance)
        .args(["--quiet", "--lang", "en"])
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// `alisplan replan INSTANCE --from FROM --previous PREVIOUS --out OUT EXTRA…`, required to
/// succeed, then `verify` and `verify --previous` of its plan, required to pass. Returns
/// the wall time of the re-plan.
pub fn replan_verified(
    instance: &Path,
    previous: &Path,
    from: &str,
    out: &Path,
    extra: &[&str],
) -> std::time::Duration {
    let started = std::time::Instant::now();
    let bin = || assert_cmd::Command::cargo_bin("alisplan").expect("binary built");
    let run = bin()
        .arg("replan")
        .arg(instance)
        .args(["--lang", "en", "--from", from, "--previous"])
        .arg(previous)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("replan runs");
    let took = started.elapsed();
    assert!(
        run.status.success(),
        "replan from {from}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    for with_previous in [false, true] {
        let mut verify = bin();
        verify.arg("verify").arg(instance).arg(out);
        if with_previous {
            verify.arg("--previous").arg(previous);
        }
        let check = verify.output().expect("verify runs");
        assert!(
            check.status.success(),
            "verify{} after the re-plan from {from}: {}{}",
            if with_previous { " --previous" } else { "" },
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
    }
    took
}

/// Put the copy of alis-vest in `dir` back as it was before the bundled instances became
/// all new-scheme: V02, V05, V08 and V14 on the old scheme (12 months), dated as if the old
/// rules still applied. For the tests written around those doctors' second blocks.
pub fn old_scheme_vest(dir: &Path) {
    let path = dir.join("doctors.csv");
    let text = std::fs::read_to_string(&path).expect("doctors.csv");
    let old: String = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            if ["V02", "V05", "V08", "V14"].contains(&cells[0]) {
                cells[3] = "old";
            }
            cells.join(",") + "\n"
        })
        .collect();
    std::fs::write(&path, old).expect("write doctors.csv");
    let path = dir.join("settings.toml");
    let text = std::fs::read_to_string(&path).expect("settings.toml");
    let dated = text.replace(
        "old_scheme_last_month = \"2026-12\"",
        "old_scheme_last_month = \"2030-12\"",
    );
    assert_ne!(dated, text, "settings.toml sets old_scheme_last_month");
    std::fs::write(&path, dated).expect("write settings.toml");
}

/// Send `signal` to the child.
#[cfg(unix)]
pub fn signal(child: &std::process::Child, signal: i32) {
    // SAFETY: kill only sends a signal to the child we started.
    let rc = unsafe { libc::kill(child.id() as i32, signal) };
    assert_eq!(rc, 0);
}

/// A property test's configuration: `cases` cases, or `PROPTEST_CASES` from the
/// environment for a longer soak (`PROPTEST_CASES=2000 cargo test --release --test …`).
pub fn cases(cases: u32) -> proptest::prelude::ProptestConfig {
    proptest::prelude::ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        ..proptest::prelude::ProptestConfig::default()
    }
}
