//! The alis-vest report in a real browser: `alisplan plan` solves alis-vest, headless
//! Chromium loads the `report.html` it wrote, takes a screenshot, and its own log shows which files and URLs the page asked for. The page
//! must load nothing but itself, and the timelines must be in the DOM with their bars.
//!
//! Skipped, with a notice on standard error, where Chromium is not installed (Debian
//! package `chromium`; `.ci/run` installs it).
//!
//! Set `ALISPLAN_REPORT_KEEP=DIR` to keep the plan's files, report.html and the screenshot
//! (`docs/report.png` is made from that report).

mod report_support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use report_support::*;

/// The Chromium binary: `/usr/bin/chromium`, else `chromium` or `chromium-browser` on PATH.
fn chromium() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// What one headless run printed.
struct Run {
    stdout: String,
    log: String,
}

/// Run headless Chromium on `url` with a fresh profile, verbose logging on standard error
/// (which records every file and network request) and host names resolving nowhere, so
/// that nothing can leave the machine whatever the page asks for.
fn headless(chrome: &Path, work: &Path, name: &str, extra: &[String], url: &str) -> Run {
    let profile = work.join(format!("profile-{name}"));
    let out = work.join(format!("{name}.stdout"));
    let err = work.join(format!("{name}.stderr"));
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).unwrap())
        .stderr(fs::File::create(&err).unwrap())
        .spawn()
        .expect("chromium starts");
    // A safety net against a hung browser, not a timing assertion.
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 180 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = fs::read_to_string(&err).unwrap_or_default();
    assert!(
        status.success(),
        "chromium failed on {url}: {status}\n{log}"
    );
    Run {
        stdout: fs::read_to_string(&out).unwrap_or_default(),
        log,
    }
}

/// Network requests Chromium makes by itself at start-up (update checks, account list,
/// network time) whatever the page is; they resolve nowhere under the resolver rules.
const BROWSER_OWN: [&str; 4] = [
    "://update.googleapis.com/service/update2/",
    "://accounts.google.com/ListAccounts",
    "://clients2.google.com/time/",
    "://clientservices.googleapis.com/chrome-variations/",
];

/// Everything the page asked for beyond itself: files other than `page`, and network
/// requests other than the browser's own.
fn requests_beyond(page: &str, log: &str) -> Vec<String> {
    let mut extra = Vec::new();
    for line in log.lines() {
        if let Some(url) = line.split("FileURLLoader::Start: ").nth(1)
            && url.trim() != page
        {
            extra.push(format!("file: {}", url.trim()));
        }
        if let Some(url) = line.split("NotifyBeforeURLRequest: ").nth(1)
            && !BROWSER_OWN.iter().any(|own| url.contains(own))
        {
            extra.push(format!("network: {}", url.trim()));
        }
        if line.contains("Failed to load resource") {
            extra.push(format!("console: {line}"));
        }
    }
    extra
}

/// Width and height from a PNG header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "not a PNG"
    );
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn the_alis_vest_report_loads_in_headless_chromium_with_nothing_fetched() {
    let Some(chrome) = chromium() else {
        // Written to the process's standard error directly, so the notice shows even
        // though the test harness captures `eprintln!`.
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: browser test skipped: Chromium not found (/usr/bin/chromium or chromium on PATH). \
             Install it with `apt-get install -y chromium` to run it."
        );
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let work = root.path();
    // The real thing: the plan the solver makes for alis-vest, with its report.
    let inst = load(&alis_vest_dir());
    let plan = work.join("plan");
    Command::cargo_bin("alisplan")
        .unwrap()
        .arg("plan")
        .arg(alis_vest_dir())
        .arg("--out")
        .arg(&plan)
        .arg("--quiet")
        .status()
        .unwrap()
        .success()
        .then_some(())
        .expect("alisplan plan succeeds");
    let page = format!("file://{}", plan.join("report.html").display());

    // 1. The screenshot: a real picture of the page.
    let shot = work.join("report.png");
    let run = headless(
        &chrome,
        work,
        "shot",
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1400,2000".into(),
        ],
        &page,
    );
    let png = fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(png_size(&png), (1400, 2000));
    assert!(
        png.len() > 50_000,
        "a screenshot of the report is far from blank ({} bytes)",
        png.len()
    );
    assert!(
        run.log.contains(&format!("FileURLLoader::Start: {page}")),
        "the log records the page load, so it would record other loads too"
    );
    let extra = requests_beyond(&page, &run.log);
    assert!(
        extra.is_empty(),
        "the page asked for more than itself: {extra:#?}"
    );
    if let Some(keep) = std::env::var_os("ALISPLAN_REPORT_KEEP") {
        // Keep the plan's files, its report.html and the screenshot (for docs/report.png).
        let keep = PathBuf::from(keep);
        copy_dir(&plan, &keep);
        fs::copy(&shot, keep.join("screenshot.png")).unwrap();
    }

    // 2. The DOM after loading: the timelines with their slots and bars.
    let run = headless(&chrome, work, "dom", &["--dump-dom".into()], &page);
    let dom = &run.stdout;
    assert!(requests_beyond(&page, &run.log).is_empty());
    assert_eq!(
        dom.matches("<svg class=\"timeline\"").count(),
        inst.hospitals.len(),
        "one timeline per hospital in the DOM"
    );
    let start = dom
        .find("<svg class=\"timeline\" id=\"timeline-haraldsplass\"")
        .unwrap();
    let svg = &dom[start..start + dom[start..].find("</svg>").unwrap()];
    assert!(
        svg.matches("<rect").count() > 50,
        "slots, bars and load cells"
    );
    assert!(svg.contains("<g class=\"bar\"><title>"), "bars with titles");
    assert!(dom.contains("<svg class=\"map\" id=\"map\""));
    assert!(dom.contains("<section id=\"municipalities\">"));
    // The review, a page per hospital and a substitute page per municipality, in bokmål.
    assert!(dom.contains("<html lang=\"nb\">"));
    for id in ["review", "hospital-pages", "substitutes"] {
        assert!(dom.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert_eq!(
        dom.matches("<section class=\"page\" id=\"hpage-").count(),
        inst.hospitals.len()
    );
    assert!(dom.contains("<section class=\"page\" id=\"subs-bergen\">"));

    // 3. The check above can fail: a page with a missing image and an external style
    //    sheet is caught.
    let bad = work.join("bad.html");
    fs::write(
        &bad,
        "<!DOCTYPE html><title>bad</title><img src=\"missing.png\" alt=\"\">\
         <link rel=\"stylesheet\" href=\"https://fonts.example.invalid/a.css\">",
    )
    .unwrap();
    let bad_url = format!("file://{}", bad.display());
    let run = headless(&chrome, work, "bad", &["--dump-dom".into()], &bad_url);
    let caught = requests_beyond(&bad_url, &run.log);
    assert!(
        caught.iter().any(|c| c.contains("missing.png"))
            && caught.iter().any(|c| c.contains("fonts.example.invalid")),
        "the control page's requests are caught: {caught:#?}"
    );
}
