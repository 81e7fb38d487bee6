//! Nothing lost: `--force` replaces only a plan folder alisplan wrote; a run killed at any
//! moment never loses the previous plan and the next run leaves no temporary folder; a
//! caught signal removes the run's own temporary folder; a closed pipe does not decide
//! whether a plan is written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::signal;
use predicates::str::contains;

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("alisplan")
}

fn alisplan() -> Command {
    Command::new(bin())
}

fn alis_vest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest")
}

/// Every entry of `dir`, sorted, as names.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A copy of alis-vest at `dir`.
fn copy_instance(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    for e in fs::read_dir(alis_vest()).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
}

fn plan(inst: &Path, out: &Path, force: bool) -> Command {
    let mut c = alisplan();
    c.arg("plan").arg(inst).arg("--out").arg(out);
    if force {
        c.arg("--force");
    }
    c
}

#[test]
fn force_never_replaces_the_instance_its_parents_a_file_or_a_foreign_folder() {
    let root = tempfile::tempdir().unwrap();
    let wrap = root.path().join("wrap");
    let inst = wrap.join("inst");
    copy_instance(&inst);
    fs::write(wrap.join("notes.txt"), "mine").unwrap();
    let before = entries(&inst);

    // --out is the folder holding the instance.
    plan(&inst, &wrap, true)
        .assert()
        .code(1)
        .stderr(contains("holds the instance folder"))
        .stderr(contains("nothing was touched"));
    // --out is the instance itself.
    plan(&inst, &inst, true)
        .assert()
        .code(1)
        .stderr(contains("inside the instance folder"));
    // --out is the current folder (and an ancestor of it).
    for out in [".", ".."] {
        plan(&inst, Path::new(out), true)
            .current_dir(&wrap)
            .assert()
            .code(1)
            .stderr(contains("current folder or one of its ancestors"));
    }
    // --out is a file.
    let file = root.path().join("file.csv");
    fs::write(&file, "a,b\n").unwrap();
    plan(&inst, &file, true)
        .assert()
        .code(1)
        .stderr(contains("is a file"));
    // --out is a folder alisplan did not write.
    let foreign = root.path().join("foreign");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("budget.xlsx"), "x").unwrap();
    plan(&inst, &foreign, true)
        .assert()
        .code(1)
        .stderr(contains("not written by alisplan"));

    assert_eq!(entries(&inst), before, "the instance is untouched");
    assert_eq!(fs::read_to_string(wrap.join("notes.txt")).unwrap(), "mine");
    assert_eq!(fs::read(&file).unwrap(), b"a,b\n");
    assert_eq!(entries(&foreign), ["budget.xlsx"]);
    assert_eq!(
        entries(root.path()),
        ["file.csv", "foreign", "wrap"],
        "no temporary folder either"
    );
}

#[test]
fn force_replaces_a_plan_folder_but_not_one_with_a_file_added() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("plan");
    plan(&alis_vest(), &out, false).assert().success();
    assert!(out.join("manifest.json").exists());
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"command\": \"plan\"") && manifest.contains("placements.csv"));
    plan(&alis_vest(), &out, true).assert().success();

    fs::write(out.join("my-notes.txt"), "keep").unwrap();
    plan(&alis_vest(), &out, true)
        .assert()
        .code(1)
        .stderr(contains("my-notes.txt"));
    assert_eq!(
        fs::read_to_string(out.join("my-notes.txt")).unwrap(),
        "keep"
    );

    // A plan folder is not an instance folder: generate --force will not replace it.
    fs::remove_file(out.join("my-notes.txt")).unwrap();
    alisplan()
        .args(["generate", "--doctors", "10", "--force"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("same kind"));
    assert!(out.join("placements.csv").exists());
}

#[test]
fn report_adds_its_files_to_the_manifest_so_force_still_works() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("plan");
    alisplan()
        .arg("place")
        .arg(alis_vest())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    alisplan()
        .arg("report")
        .arg(alis_vest())
        .arg(&out)
        .assert()
        .success();
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("report.html") && manifest.contains("calendars/V01.ics"));
    plan(&alis_vest(), &out, true).assert().success();
}

/// Entries next to the plan folder that are temporary or set-aside folders.
fn leftovers(root: &Path) -> Vec<String> {
    entries(root)
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn killing_a_forced_plan_at_any_moment_never_loses_the_old_plan() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("p");
    plan(&alis_vest(), &out, false).assert().success();
    // How long a whole run takes here, to spread the kills over it.
    let started = Instant::now();
    plan(&alis_vest(), &out, true).assert().success();
    let run = started.elapsed().as_millis().max(50) as u64;
    // A fixed sequence of moments (a simple linear congruential generator), covering the
    // whole run: loading, solving, writing and the swap.
    let mut x: u64 = 12_345;
    for i in 0..20 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let at = (x >> 33) % (run + run / 4);
        let mut child = StdCommand::new(bin())
            .arg("plan")
            .arg(alis_vest())
            .arg("--out")
            .arg(&out)
            .arg("--force")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(at));
        signal(&child, libc::SIGKILL);
        child.wait().unwrap();
        // The next run (here: verify, which only reads) finds a whole plan.
        if !out.exists() {
            // A swap was cut between its two moves: the next writing run repairs it.
            plan(&alis_vest(), &out, true).assert().success();
        }
        alisplan()
            .arg("verify")
            .arg(alis_vest())
            .arg(&out)
            .assert()
            .success()
            .stdout(contains("passes every rule"));
        assert!(
            out.join("manifest.json").exists(),
            "kill {i} at {at} ms left a plan without its manifest"
        );
    }
    plan(&alis_vest(), &out, true).assert().success();
    assert_eq!(
        leftovers(root.path()),
        Vec::<String>::new(),
        "the run after the kills removes what they left behind"
    );
}

/// Starts `plan INST --out OUT` with `args`, stderr piped, and waits until the run has
/// claimed its output folder (as a temporary folder), which it does before solving.
fn start_plan(inst: &Path, out: &Path, args: &[&str]) -> std::process::Child {
    let child = StdCommand::new(bin())
        .arg("plan")
        .arg(inst)
        .arg("--out")
        .arg(out)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let name = out.file_name().unwrap().to_string_lossy();
    let tmp = out.with_file_name(format!(".{name}.tmp-{}", child.id()));
    let waited = Instant::now();
    while !tmp.exists() && waited.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(tmp.exists(), "the run claims its output folder first");
    child
}

#[test]
fn a_second_signal_aborts_writing_nothing_and_removing_the_temporary_folder() {
    let root = tempfile::tempdir().unwrap();
    let inst = root.path().join("gen");
    alisplan()
        .args([
            "generate",
            "--doctors",
            "300",
            "--hospitals",
            "10",
            "--regions",
            "2",
        ])
        .arg(&inst)
        .assert()
        .success();
    for (sig, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let out = root.path().join(format!("plan-{sig}"));
        let child = start_plan(&inst, &out, &["--time-limit", "60"]);
        signal(&child, sig);
        std::thread::sleep(Duration::from_millis(100));
        signal(&child, sig);
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{stderr}");
        assert!(stderr.contains("aborted; nothing was written"), "{stderr}");
        assert!(!out.exists(), "nothing is written");
        assert_eq!(leftovers(root.path()), Vec::<String>::new());
    }
}

/// Waits for `child` to end, killing it and failing if it is still running after `limit`.
fn wait_at_most(child: std::process::Child, limit: Duration) -> std::process::Output {
    let pid = child.id();
    let (done, ended) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match ended.recv_timeout(limit) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            // SAFETY: kill only sends a signal to the child we started.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("the run did not stop within {limit:?} of the signal");
        }
    }
}

#[test]
fn a_first_signal_stops_the_search_and_writes_the_best_plan_so_far() {
    let root = tempfile::tempdir().unwrap();
    let inst = root.path().join("gen500");
    alisplan()
        .args(["generate", "--doctors", "500", "--hospitals", "20"])
        .args(["--regions", "4", "--seed", "7"])
        .arg(&inst)
        .assert()
        .success();
    // Early (the first relaxations and the cluster bounds) and well into the search, as a
    // planner who loses patience would press Ctrl-C.
    for (sig, code, name, after) in [
        (libc::SIGINT, 130, "Ctrl-C", 2),
        (libc::SIGINT, 130, "Ctrl-C", 10),
        (libc::SIGTERM, 143, "SIGTERM", 6),
    ] {
        let out = root.path().join(format!("plan-{sig}-{after}"));
        // Far longer than the test waits: only the signal can end the run early.
        let child = start_plan(&inst, &out, &["--time-limit", "900", "--lang", "en"]);
        std::thread::sleep(Duration::from_secs(after));
        signal(&child, sig);
        let output = wait_at_most(child, Duration::from_secs(300));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{stderr}");
        assert!(
            stderr.contains(&format!("interrupted by {name}")),
            "the console says the plan is the best before the stop: {stderr}"
        );
        let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
        assert!(summary.contains("\"interrupted\""), "{summary}");
        assert!(summary.contains("\"gap\""), "{summary}");
        alisplan()
            .arg("verify")
            .arg(&inst)
            .arg(&out)
            .assert()
            .success();
        assert_eq!(leftovers(root.path()), Vec::<String>::new());
    }
}

#[test]
fn a_closed_pipe_does_not_stop_the_plan_from_being_written() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("p");
    let mut child = StdCommand::new(bin())
        .arg("plan")
        .arg(alis_vest())
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away at once, as `| head -1` does after its line.
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    alisplan()
        .arg("verify")
        .arg(alis_vest())
        .arg(&out)
        .assert()
        .success();
    // Printing to a closed pipe is not an error for the read-only commands either.
    let mut child = StdCommand::new(bin())
        .arg("check")
        .arg(alis_vest())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
