//! The bench table of `docs/bench.md` (and the README): `alisplan place`, `groups` and
//! `plan` on the two bundled instances and on generated instances of 15, 100, 500 and
//! 2,000 doctors, each run a few times through the release binary.
//!
//! ```text
//! cargo build --release && cargo run --release --example bench_table
//! cargo run --release --example bench_table -- --sizes 15,100 --runs 1 --time-limit 30
//! ```
//!
//! `cargo run --example` does not build the `alisplan` binary, so `cargo build --release`
//! comes first; the example refuses a missing binary or one older than a file in `src/`. For every size
//! it writes an instance with the library generator (seed 7) into a temporary folder, runs
//! each command `--runs` times with `--time-limit` (a fresh output folder per run), times
//! the whole process from start to exit, and reads the solver's figures from the run's
//! `summary.json`. The Markdown table goes to standard output, progress to standard error.
//!
//! The unit tests below run with `cargo test --release --example bench_table` (and with
//! `cargo test --release`, as `Cargo.toml` marks this example `test = true`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::Value;

use alisplan::generate::{GenerateSpec, generate};
use alisplan::io::load_instance;
use alisplan::summary::vm_hwm_mb;

/// Seed of every generated instance, so that anyone regenerates the same ones.
const SEED: u64 = 7;
/// Seconds after which a run is stopped, unless `--kill-after` says otherwise.
const DEFAULT_KILL_AFTER: f64 = 1800.0;

#[derive(Parser, Debug)]
#[command(about = "Print the Markdown bench table of alisplan place, groups and plan")]
struct Args {
    /// Generated instance sizes (doctors), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "15,100,500,2000")]
    sizes: Vec<u32>,
    /// Runs per instance and command; the table gives the median wall time.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Solver time limit per model, passed to every command as --time-limit (seconds).
    #[arg(long, default_value_t = 60.0)]
    time_limit: f64,
    /// Solver threads, passed as --threads (default: each instance's settings).
    #[arg(long)]
    threads: Option<u32>,
    /// The MIP solver, passed as --solver: cbc or highs (a binary built with
    /// `--features highs`; default: each instance's settings).
    #[arg(long, value_name = "cbc|highs")]
    solver: Option<String>,
    /// Commands to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "place,groups,plan")]
    commands: Vec<BenchCommand>,
    /// Leave out the bundled instances (instances/alis-vest, instances/alis-nord).
    #[arg(long)]
    no_bundled: bool,
    /// Stop a run that takes longer than this many seconds; it is reported as killed.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_KILL_AFTER)]
    kill_after: f64,
}

/// A measured subcommand and the `summary.json` sections its figures come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum BenchCommand {
    Place,
    Groups,
    Plan,
}

impl BenchCommand {
    fn name(self) -> &'static str {
        match self {
            BenchCommand::Place => "place",
            BenchCommand::Groups => "groups",
            BenchCommand::Plan => "plan",
        }
    }

    /// The solved parts, in the order their figures appear in a cell.
    fn sections(self) -> &'static [&'static str] {
        match self {
            BenchCommand::Place => &["placement"],
            BenchCommand::Groups => &["groups"],
            BenchCommand::Plan => &["placement", "groups"],
        }
    }
}

/// Regions and hospitals of a generated instance of `doctors` doctors: the fixed shapes of
/// the table, and for other sizes one region per 250 doctors (1–4) and 3 % hospitals.
fn shape(doctors: u32) -> (u32, u32) {
    match doctors {
        15 => (1, 3),
        100 => (2, 10),
        500 => (4, 20),
        2000 => (4, 60),
        n => {
            let regions = (n / 250 + 1).clamp(1, 4).min((n / 10).max(1));
            (regions, (n * 3).div_ceil(100).max(regions))
        }
    }
}

/// The figures of one solved part, from `summary.json`.
#[derive(Clone, Debug, PartialEq)]
struct Part {
    status: String,
    gap: f64,
    variables: u64,
    constraints: u64,
    /// The placement's count stage, when the section has one.
    count: Option<Count>,
}

/// The placement's count stage: requirement parts left unplaced, the proven lower bound,
/// and the stage's seconds (the time to the proven minimum when the two meet).
#[derive(Clone, Debug, PartialEq)]
struct Count {
    unplaced: u64,
    bound: u64,
    seconds: f64,
}

/// What one successful run reported.
#[derive(Clone, Debug, PartialEq)]
struct RunFigures {
    parts: Vec<Part>,
    peak_memory_mb: Option<f64>,
}

/// Read the figures of `sections` from a `summary.json` document.
fn read_summary(summary: &Value, sections: &[&str]) -> Result<RunFigures, String> {
    let parts = sections
        .iter()
        .map(|&name| {
            let s = summary
                .get(name)
                .ok_or_else(|| format!("summary.json has no `{name}` section"))?;
            let field = |k: &str| {
                s.get(k)
                    .ok_or_else(|| format!("summary.json: `{name}` has no `{k}`"))
            };
            let count = |k: &str| {
                field(k)?
                    .as_u64()
                    .ok_or_else(|| format!("summary.json: `{name}.{k}` is not a count"))
            };
            Ok(Part {
                status: field("status")?
                    .as_str()
                    .ok_or_else(|| format!("summary.json: `{name}.status` is not text"))?
                    .to_string(),
                gap: field("gap")?
                    .as_f64()
                    .ok_or_else(|| format!("summary.json: `{name}.gap` is not a number"))?,
                variables: count("variables")?,
                constraints: count("constraints")?,
                count: s.get("count").and_then(|c| {
                    Some(Count {
                        unplaced: c.get("unplaced_parts")?.as_u64()?,
                        bound: c.get("lower_bound")?.as_u64()?,
                        seconds: c.get("seconds")?.as_f64()?,
                    })
                }),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(RunFigures {
        parts,
        peak_memory_mb: summary.get("peak_memory_mb").and_then(Value::as_f64),
    })
}

/// How one run ended.
#[derive(Clone, Debug, PartialEq)]
enum RunEnd {
    Done(RunFigures),
    /// Exit code other than 0, with the first line of its error message.
    Failed(String),
    /// Stopped by `--kill-after`, with the peak memory it had reached.
    Killed(Option<f64>),
}

#[derive(Clone, Debug, PartialEq)]
struct Run {
    seconds: f64,
    end: RunEnd,
}

/// One line of the table: an instance, a command, and its runs.
#[derive(Clone, Debug)]
struct Row {
    instance: String,
    doctors: usize,
    command: BenchCommand,
    runs: Vec<Run>,
}

/// The median of `xs` (the mean of the middle two for an even count).
fn median(xs: &[f64]) -> Option<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// How far from proven optimal a status is; the table shows the worst over the runs.
fn status_rank(status: &str) -> u8 {
    match status {
        "trivial" | "optimal" => 0,
        "gap_limit" => 1,
        "time_limit" => 2,
        _ => 3,
    }
}

/// The cells of a row: status, gap (%), unplaced parts, variables, constraints and peak
/// memory (MB). Each solved part gives one value, joined with " / " (plan: placement /
/// groups); over the runs the worst status, the largest gap, the most unplaced parts with
/// the weakest bound, and the largest peak memory are shown.
fn figure_cells(row: &Row) -> [String; 6] {
    let done: Vec<&RunFigures> = row
        .runs
        .iter()
        .filter_map(|r| match &r.end {
            RunEnd::Done(f) => Some(f),
            _ => None,
        })
        .collect();
    let failed: Vec<String> = row
        .runs
        .iter()
        .filter_map(|r| match &r.end {
            // A `|` would end the Markdown cell.
            RunEnd::Failed(why) => Some(why.replace('|', "\\|")),
            RunEnd::Killed(_) => Some(format!("killed after {:.0} s", r.seconds)),
            RunEnd::Done(_) => None,
        })
        .collect();
    let peak = row
        .runs
        .iter()
        .filter_map(|r| match &r.end {
            RunEnd::Done(f) => f.peak_memory_mb,
            RunEnd::Killed(mb) => *mb,
            RunEnd::Failed(_) => None,
        })
        .fold(None, |acc: Option<f64>, mb| {
            Some(acc.map_or(mb, |a| a.max(mb)))
        });
    let peak = peak.map_or("–".to_string(), |mb| format!("{mb:.0}"));
    let Some(first) = done.first() else {
        return [
            format!("failed: {}", failed.join("; ")),
            "–".into(),
            "–".into(),
            "–".into(),
            "–".into(),
            peak,
        ];
    };
    let per_part = |cell: &dyn Fn(usize) -> String| {
        (0..first.parts.len())
            .map(cell)
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut status = per_part(&|i| {
        done.iter()
            .map(|f| f.parts[i].status.as_str())
            .max_by_key(|s| status_rank(s))
            .unwrap_or("–")
            .to_string()
    });
    if !failed.is_empty() {
        let _ = write!(
            status,
            " ({} of {} runs failed: {})",
            failed.len(),
            row.runs.len(),
            failed.join("; ")
        );
    }
    let gap = per_part(&|i| {
        let g = done.iter().map(|f| f.parts[i].gap).fold(0.0, f64::max);
        format!("{:.2}", g * 100.0)
    });
    let unplaced = per_part(&|i| {
        let counts: Vec<&Count> = done
            .iter()
            .filter_map(|f| f.parts[i].count.as_ref())
            .collect();
        let (Some(most), Some(least_bound)) = (
            counts.iter().map(|c| c.unplaced).max(),
            counts.iter().map(|c| c.bound).min(),
        ) else {
            return "–".to_string();
        };
        if most == least_bound {
            let proven_in = median(&counts.iter().map(|c| c.seconds).collect::<Vec<_>>());
            format!("{most} (proven in {:.1} s)", proven_in.unwrap_or(0.0))
        } else {
            format!("{most} (≥ {least_bound})")
        }
    });
    let variables = per_part(&|i| first.parts[i].variables.to_string());
    let constraints = per_part(&|i| first.parts[i].constraints.to_string());
    [status, gap, unplaced, variables, constraints, peak]
}

/// The median wall time of a row's finished runs, or of all its runs if none finished (the
/// time to the failure, or to the kill).
fn wall_time(row: &Row) -> Option<f64> {
    let done: Vec<f64> = row
        .runs
        .iter()
        .filter(|r| matches!(r.end, RunEnd::Done(_)))
        .map(|r| r.seconds)
        .collect();
    if done.is_empty() {
        median(&row.runs.iter().map(|r| r.seconds).collect::<Vec<_>>())
    } else {
        median(&done)
    }
}

/// The Markdown table of `rows`.
fn table(rows: &[Row]) -> String {
    let mut t = String::from(
        "| instance | doctors | command | median wall time (s) | status | gap (%) | unplaced parts (lower bound) | variables | constraints | peak memory (MB) |\n\
         |---|--:|---|--:|---|--:|--:|--:|--:|--:|\n",
    );
    for row in rows {
        let wall = wall_time(row).map_or("–".to_string(), |s| format!("{s:.2}"));
        let [status, gap, unplaced, variables, constraints, peak] = figure_cells(row);
        let _ = writeln!(
            t,
            "| {} | {} | {} | {wall} | {status} | {gap} | {unplaced} | {variables} | {constraints} | {peak} |",
            row.instance,
            row.doctors,
            row.command.name()
        );
    }
    t
}

/// The CPU model named in a `/proc/cpuinfo` text.
fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_string())
    })
}

/// The one-minute load average, from `/proc/loadavg`.
fn load_average() -> Option<String> {
    let l = std::fs::read_to_string("/proc/loadavg").ok()?;
    l.split_whitespace().next().map(str::to_string)
}

/// When the measuring began: the time, the load and the code measured.
struct Start {
    time: chrono::DateTime<chrono::Utc>,
    load: Option<String>,
    /// `, commit abc1234` (with a note if tracked files differ from it), if git answers.
    commit: String,
}

impl Start {
    fn now() -> Start {
        let commit = git(&["rev-parse", "--short", "HEAD"]).map_or(String::new(), |c| {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            format!(
                ", commit {c}{}",
                if dirty { " with local changes" } else { "" }
            )
        });
        Start {
            time: chrono::Utc::now(),
            load: load_average(),
            commit,
        }
    }
}

/// A few lines on the machine, the build and the settings, printed above the table when
/// the measuring ends.
fn preamble(args: &Args, start: &Start) -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| cpu_model(&c))
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let kib: f64 = m
                .lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))?
                .split_whitespace()
                .next()?
                .parse()
                .ok()?;
            Some(format!(", {:.1} GiB memory", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_default();
    let load = match (&start.load, load_average()) {
        (Some(a), Some(b)) => format!("; load average {a} at the start, {b} at the end"),
        _ => String::new(),
    };
    let mut command = format!(
        "cargo run --release --example bench_table -- --sizes {} --runs {} --time-limit {}",
        args.sizes
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(","),
        args.runs,
        args.time_limit
    );
    if let Some(n) = args.threads {
        let _ = write!(command, " --threads {n}");
    }
    if let Some(s) = &args.solver {
        let _ = write!(command, " --solver {s}");
    }
    if args.commands.len() < 3 {
        let names: Vec<&str> = args.commands.iter().map(|c| c.name()).collect();
        let _ = write!(command, " --commands {}", names.join(","));
    }
    if args.no_bundled {
        command.push_str(" --no-bundled");
    }
    if args.kill_after != DEFAULT_KILL_AFTER {
        let _ = write!(command, " --kill-after {}", args.kill_after);
    }
    format!(
        "Measured {}–{} UTC on {cpus} CPU(s) ({model}{memory}{load}); alisplan {}{}.\n\
         Command: `{command}`\n",
        start.time.format("%Y-%m-%d %H:%M"),
        chrono::Utc::now().format("%H:%M"),
        env!("CARGO_PKG_VERSION"),
        start.commit
    )
}

/// The trimmed output of a git command in the crate's folder, if git answers.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The release binary next to this example (`target/release/alisplan`), refusing one that
/// is missing or older than a source file of the crate (it would measure old code).
fn find_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate this example: {e}"))?;
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("{} has no grand-parent folder", exe.display()))?;
    let bin = dir.join(format!("alisplan{}", std::env::consts::EXE_SUFFIX));
    let hint = "run `cargo build --release` first (`cargo run --example` builds the library and the example, not the binary)";
    let built = std::fs::metadata(&bin)
        .and_then(|m| m.modified())
        .map_err(|_| format!("{} not found: {hint}", bin.display()))?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    let mut folders = vec![root.join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                sources.push(path);
            }
        }
    }
    if let Some(newer) = sources.iter().find(|p| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t > built)
    }) {
        return Err(format!(
            "{} is older than {}, so it would measure old code: {hint}",
            bin.display(),
            newer.display()
        ));
    }
    Ok(bin)
}

/// Run `bin command instance` once into the fresh folder `out`, timing the whole process.
fn run_once(
    bin: &Path,
    command: BenchCommand,
    instance: &Path,
    out: &Path,
    args: &Args,
) -> Result<Run, String> {
    // Messages go to a file, not a pipe, so a chatty run can never block on a full pipe.
    let log_path = out.with_extension("stderr");
    let log = std::fs::File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let mut cmd = Command::new(bin);
    cmd.arg(command.name())
        .arg(instance)
        .arg("--out")
        .arg(out)
        .arg("--time-limit")
        .arg(args.time_limit.to_string())
        .arg("--quiet")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log));
    if let Some(n) = args.threads {
        cmd.arg("--threads").arg(n.to_string());
    }
    if let Some(s) = &args.solver {
        cmd.arg("--solver").arg(s);
    }
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let kill_after = Duration::from_secs_f64(args.kill_after);
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if started.elapsed() > kill_after {
            break None;
        }
        sleep(Duration::from_millis(5));
    };
    let seconds = started.elapsed().as_secs_f64();
    let Some(status) = status else {
        let peak = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            .ok()
            .and_then(|s| vm_hwm_mb(&s));
        let _ = child.kill();
        let _ = child.wait();
        return Ok(Run {
            seconds,
            end: RunEnd::Killed(peak),
        });
    };
    let stderr = std::fs::read_to_string(&log_path).unwrap_or_default();
    let _ = std::fs::remove_file(&log_path);
    if !status.success() {
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Ok(Run {
            seconds,
            end: RunEnd::Failed(format!(
                "exit {}: {}",
                status.code().map_or("?".into(), |c| c.to_string()),
                first.trim()
            )),
        });
    }
    let path = out.join("summary.json");
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let summary: Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let figures = read_summary(&summary, command.sections())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Run {
        seconds,
        end: RunEnd::Done(figures),
    })
}

fn main() -> ExitCode {
    let args = Args::parse();
    match bench(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("some runs failed or were killed; see the status column");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("bench_table: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Measure everything and print the table; `Ok(false)` when some run did not finish well.
fn bench(args: &Args) -> Result<bool, String> {
    if args.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    let bin = find_binary()?;
    let work = tempfile::tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let mut instances: Vec<(String, PathBuf)> = Vec::new();
    if !args.no_bundled {
        for name in ["alis-vest", "alis-nord"] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("instances")
                .join(name);
            instances.push((name.to_string(), dir));
        }
    }
    for &doctors in &args.sizes {
        let (regions, hospitals) = shape(doctors);
        let spec = GenerateSpec::new(doctors, hospitals, regions, SEED);
        let dir = work.path().join(format!("generated-{doctors}"));
        generate(&spec)
            .map_err(|e| format!("{}: {e}", spec.command()))?
            .write(&dir, false)
            .map_err(|e| format!("{}: {e}", spec.command()))?;
        eprintln!("generated: {}", spec.command());
        instances.push((format!("generated {doctors}"), dir));
    }
    let start = Start::now();
    let mut rows = Vec::new();
    let mut all_well = true;
    for (label, dir) in &instances {
        let inst = load_instance(dir).map_err(|e| format!("{label}: {e}"))?;
        for &command in &args.commands {
            let mut runs = Vec::new();
            for k in 0..args.runs {
                let out = work.path().join(format!(
                    "out-{}-{}-{k}",
                    label.replace(' ', "-"),
                    command.name()
                ));
                let run = run_once(&bin, command, dir, &out, args)?;
                let _ = std::fs::remove_dir_all(&out);
                eprintln!(
                    "{label} {} run {}/{}: {:.2} s, {}",
                    command.name(),
                    k + 1,
                    args.runs,
                    run.seconds,
                    match &run.end {
                        RunEnd::Done(f) => f
                            .parts
                            .iter()
                            .map(|p| format!("{} gap {:.4}", p.status, p.gap))
                            .collect::<Vec<_>>()
                            .join(" / "),
                        RunEnd::Failed(why) => why.clone(),
                        RunEnd::Killed(_) => "killed".into(),
                    }
                );
                all_well &= matches!(run.end, RunEnd::Done(_));
                runs.push(run);
            }
            rows.push(Row {
                instance: label.clone(),
                doctors: inst.doctors.len(),
                command,
                runs,
            });
        }
    }
    println!("{}", preamble(args, &start));
    print!("{}", table(&rows));
    println!(
        "\nGenerated instances: `alisplan generate --doctors N --hospitals H --regions R --seed {SEED}` \
         with (N, R, H) = {}. Time limit {} s per model; {} run(s) each.",
        args.sizes
            .iter()
            .map(|&n| {
                let (r, h) = shape(n);
                format!("({n}, {r}, {h})")
            })
            .collect::<Vec<_>>()
            .join(", "),
        args.time_limit,
        args.runs
    );
    Ok(all_well)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(status: &str, gap: f64, variables: u64, constraints: u64) -> Part {
        Part {
            status: status.into(),
            gap,
            variables,
            constraints,
            count: None,
        }
    }

    fn done(seconds: f64, parts: Vec<Part>, mb: Option<f64>) -> Run {
        Run {
            seconds,
            end: RunEnd::Done(RunFigures {
                parts,
                peak_memory_mb: mb,
            }),
        }
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[7.5]), Some(7.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn the_table_shapes_match_the_issue() {
        assert_eq!(shape(15), (1, 3));
        assert_eq!(shape(100), (2, 10));
        assert_eq!(shape(500), (4, 20));
        assert_eq!(shape(2000), (4, 60));
        // Other sizes stay within what the generator accepts.
        for n in [10, 40, 250, 1000, 5000] {
            let (r, h) = shape(n);
            assert!(GenerateSpec::new(n, h, r, SEED).validate().is_ok(), "{n}");
        }
    }

    #[test]
    fn figures_are_read_from_the_sections_and_the_top_level() {
        let s: Value = serde_json::from_str(
            r#"{"command": "plan", "peak_memory_mb": 81.5,
                "placement": {"status": "time_limit", "objective": 10.0, "bound": 9.0,
                              "gap": 0.1, "variables": 1200, "constraints": 340},
                "groups": {"status": "optimal", "gap": 0.0, "variables": 50, "constraints": 7}}"#,
        )
        .unwrap();
        let f = read_summary(&s, BenchCommand::Plan.sections()).unwrap();
        assert_eq!(
            f.parts,
            vec![
                part("time_limit", 0.1, 1200, 340),
                part("optimal", 0.0, 50, 7)
            ]
        );
        assert_eq!(f.peak_memory_mb, Some(81.5));
        let g = read_summary(&s, BenchCommand::Groups.sections()).unwrap();
        assert_eq!(g.parts, vec![part("optimal", 0.0, 50, 7)]);
    }

    #[test]
    fn a_missing_section_or_field_is_an_error_naming_it() {
        let s: Value = serde_json::from_str(
            r#"{"placement": {"status": "optimal", "gap": 0.0, "variables": 3}}"#,
        )
        .unwrap();
        let e = read_summary(&s, &["groups"]).unwrap_err();
        assert!(e.contains("`groups`"), "{e}");
        let e = read_summary(&s, &["placement"]).unwrap_err();
        assert!(e.contains("constraints"), "{e}");
        let f = read_summary(
            &serde_json::from_str(
                r#"{"groups": {"status": "optimal", "gap": 0, "variables": 1, "constraints": 1}}"#,
            )
            .unwrap(),
            &["groups"],
        )
        .unwrap();
        assert_eq!(f.peak_memory_mb, None, "absent off Linux");
    }

    #[test]
    fn a_row_shows_median_time_worst_status_largest_gap_and_peak() {
        let row = Row {
            instance: "generated 100".into(),
            doctors: 100,
            command: BenchCommand::Plan,
            runs: vec![
                done(
                    12.0,
                    vec![part("optimal", 0.0, 900, 80), part("optimal", 0.0, 40, 9)],
                    Some(60.2),
                ),
                done(
                    10.0,
                    vec![
                        part("time_limit", 0.0123, 900, 80),
                        part("optimal", 0.0, 40, 9),
                    ],
                    Some(70.4),
                ),
                done(
                    11.0,
                    vec![part("optimal", 0.0, 900, 80), part("optimal", 0.0, 40, 9)],
                    Some(65.0),
                ),
            ],
        };
        let t = table(&[row]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("| instance | doctors | command | median wall time (s)"));
        assert_eq!(
            lines[2],
            "| generated 100 | 100 | plan | 11.00 | time_limit / optimal | 1.23 / 0.00 | – / – | 900 / 40 | 80 / 9 | 70 |"
        );
        // Every line has the same number of columns.
        let cols = |l: &str| l.matches('|').count();
        assert!(lines.iter().all(|l| cols(l) == cols(lines[0])));
    }

    #[test]
    fn the_unplaced_cell_shows_the_most_unplaced_and_the_weakest_bound() {
        let counted = |unplaced, bound, seconds| {
            let mut p = part("time_limit", 0.01, 900, 80);
            p.count = Some(Count {
                unplaced,
                bound,
                seconds,
            });
            p
        };
        let row = |runs: Vec<Part>| Row {
            instance: "generated 500".into(),
            doctors: 500,
            command: BenchCommand::Place,
            runs: runs
                .into_iter()
                .map(|p| done(60.0, vec![p], None))
                .collect(),
        };
        let open = row(vec![counted(15, 13, 30.0), counted(18, 12, 30.0)]);
        assert_eq!(figure_cells(&open)[2], "18 (≥ 12)");
        let proven = row(vec![counted(13, 13, 8.0), counted(13, 13, 10.0)]);
        assert_eq!(figure_cells(&proven)[2], "13 (proven in 9.0 s)");
    }

    #[test]
    fn failed_and_killed_runs_are_shown_not_hidden() {
        let failed = Row {
            instance: "alis-vest".into(),
            doctors: 15,
            command: BenchCommand::Groups,
            runs: vec![Run {
                seconds: 0.5,
                end: RunEnd::Failed("exit 1: error: no venue".into()),
            }],
        };
        let [status, gap, ..] = figure_cells(&failed);
        assert_eq!(status, "failed: exit 1: error: no venue");
        assert_eq!(gap, "–");
        assert_eq!(wall_time(&failed), Some(0.5), "time to the failure");
        let partly = Row {
            instance: "generated 2000".into(),
            doctors: 2000,
            command: BenchCommand::Place,
            runs: vec![
                done(50.0, vec![part("optimal", 0.0, 10, 10)], Some(900.0)),
                Run {
                    seconds: 1800.2,
                    end: RunEnd::Killed(Some(1500.0)),
                },
            ],
        };
        let [status, _, _, _, _, peak] = figure_cells(&partly);
        assert_eq!(status, "optimal (1 of 2 runs failed: killed after 1800 s)");
        assert_eq!(peak, "1500");
        assert_eq!(wall_time(&partly), Some(50.0), "finished runs only");
        let piped = Row {
            runs: vec![Run {
                seconds: 0.1,
                end: RunEnd::Failed("exit 1: a|b".into()),
            }],
            ..failed
        };
        let t = table(&[piped]);
        assert!(t.contains("a\\|b"), "{t}");
    }

    #[test]
    fn the_cpu_model_comes_from_cpuinfo() {
        let info = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nflags\t\t: fpu\n";
        assert_eq!(
            cpu_model(info).as_deref(),
            Some("Intel(R) Xeon(R) CPU @ 2.20GHz")
        );
        assert_eq!(cpu_model("processor\t: 0\n"), None);
    }
}
