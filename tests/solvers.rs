//! The MIP solver behind the commands: CBC in every build, HiGHS in a build with
//! `--features highs` (`.ci/run` builds and tests both). A build without HiGHS refuses it
//! in words that say how to get it; a build with it plans the bundled instances to the
//! same proven optimum as CBC, and a Ctrl-C reaches a HiGHS solve.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("summary.json")).expect("summary.json"))
        .expect("valid JSON")
}

/// Places `instance` with `--solver solver` into a fresh folder under `root` and returns
/// its summary; the plan must pass `verify`.
fn place(root: &Path, instance: &Path, solver: &str) -> serde_json::Value {
    let out = root.join(format!("place-{solver}"));
    alisplan()
        .arg("place")
        .arg(instance)
        .arg("--out")
        .arg(&out)
        .args(["--solver", solver, "--quiet"])
        .assert()
        .success();
    alisplan()
        .arg("verify")
        .arg(instance)
        .arg(&out)
        .assert()
        .success();
    summary(&out)
}

#[test]
fn the_summary_names_the_solver_that_ran() {
    let root = tempfile::tempdir().unwrap();
    let s = place(root.path(), Path::new("instances/alis-vest"), "cbc");
    assert_eq!(s["placement"]["solver"], "cbc");
}

/// An instance folder copied from `instances/alis-vest` with `line` added to its
/// `[solver]` section.
fn vest_with_solver_line(root: &Path, line: &str) -> std::path::PathBuf {
    let dir = root.join("vest");
    fs::create_dir_all(&dir).unwrap();
    for entry in fs::read_dir("instances/alis-vest").unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let settings = fs::read_to_string(dir.join("settings.toml")).unwrap();
    assert!(settings.contains("[solver]\n"));
    let settings = settings.replace("[solver]\n", &format!("[solver]\n{line}\n"));
    fs::write(dir.join("settings.toml"), settings).unwrap();
    dir
}

#[cfg(not(feature = "highs"))]
#[test]
fn a_build_without_highs_refuses_it_on_the_command_line_and_in_settings() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("plan");
    alisplan()
        .args(["place", "instances/alis-vest", "--solver", "highs", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("built without HiGHS"))
        .stderr(predicates::str::contains("--features highs"));
    assert!(!out.exists(), "nothing is written");
    let vest = vest_with_solver_line(root.path(), "backend = \"highs\"");
    let settings = fs::read_to_string(vest.join("settings.toml")).unwrap();
    let line = settings
        .lines()
        .position(|l| l.starts_with("backend"))
        .unwrap()
        + 1;
    alisplan()
        .arg("place")
        .arg(&vest)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "settings.toml, line {line}, column 11 (solver.backend)"
        )))
        .stderr(predicates::str::contains("built without HiGHS"));
    assert!(!out.exists(), "nothing is written");
}

/// Both solvers prove the same optimum on the bundled instances, and the plans verify.
#[cfg(feature = "highs")]
#[test]
fn highs_proves_the_same_optimum_as_cbc_on_the_bundled_instances() {
    for name in ["alis-vest", "alis-nord"] {
        let root = tempfile::tempdir().unwrap();
        let instance = Path::new("instances").join(name);
        let cbc = place(root.path(), &instance, "cbc");
        let highs = place(root.path(), &instance, "highs");
        assert_eq!(highs["placement"]["solver"], "highs");
        for s in [&cbc, &highs] {
            assert_eq!(s["placement"]["status"], "optimal", "{name}: {s}");
        }
        let objective = |s: &serde_json::Value| s["placement"]["objective"].as_f64().unwrap();
        let (a, b) = (objective(&cbc), objective(&highs));
        assert!(
            (a - b).abs() <= 1e-6 * a.abs().max(1.0),
            "{name}: CBC {a} and HiGHS {b} both claim the optimum"
        );
    }
}

/// `[solver] backend = "highs"` in settings.toml chooses HiGHS.
#[cfg(feature = "highs")]
#[test]
fn settings_choose_highs() {
    let root = tempfile::tempdir().unwrap();
    let vest = vest_with_solver_line(root.path(), "backend = \"highs\"");
    let out = root.path().join("plan");
    alisplan()
        .arg("place")
        .arg(&vest)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(summary(&out)["placement"]["solver"], "highs");
}

/// A Ctrl-C reaches a HiGHS solve through its interrupt callback: the run stops soon with
/// the best plan so far, which verifies.
#[cfg(all(feature = "highs", unix))]
#[test]
fn ctrl_c_stops_a_highs_run_with_the_best_plan_so_far() {
    use std::process::{Command as StdCommand, Stdio};
    use std::time::{Duration, Instant};
    let (root, _) = common::generated(500, 20, 4, 7);
    let inst = root.path().join("g");
    let out = root.path().join("plan");
    let child = StdCommand::new(assert_cmd::cargo::cargo_bin("alisplan"))
        .arg("place")
        .arg(&inst)
        .arg("--out")
        .arg(&out)
        .args(["--solver", "highs", "--time-limit", "900", "--lang", "en"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(5));
    let signalled = Instant::now();
    common::signal(&child, libc::SIGINT);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        signalled.elapsed() < Duration::from_secs(300),
        "the run went on for {:?} after Ctrl-C",
        signalled.elapsed()
    );
    assert!(stderr.contains("interrupted by Ctrl-C"), "{stderr}");
    alisplan()
        .arg("verify")
        .arg(&inst)
        .arg(&out)
        .assert()
        .success();
}
