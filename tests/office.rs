//! The workbooks in a real office program: LibreOffice opens `hospitals/*.xlsx` of a real
//! `alisplan plan` run headless, converts them to CSV (the rows are there) and to flat
//! OpenDocument (the decision column's drop-down list is there).
//!
//! Skipped, with a notice on standard error, where LibreOffice is not installed (Debian
//! package `libreoffice-calc-nogui`; `.ci/run` installs it).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

/// `soffice`: `/usr/bin/soffice`, else on PATH.
fn soffice() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/soffice");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("soffice"))
        .find(|p| p.is_file())
}

/// `soffice --headless --convert-to FILTER --outdir OUT FILE`, with a profile of its own
/// so that it neither needs nor disturbs a running LibreOffice.
fn convert(soffice: &Path, work: &Path, filter: &str, file: &Path) -> PathBuf {
    let out = work.join("converted");
    let status = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("lo-profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(&out)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("soffice starts");
    assert!(status.success(), "soffice --convert-to {filter} failed");
    let ext = filter.split(':').next().unwrap();
    out.join(file.with_extension(ext).file_name().unwrap())
}

#[test]
fn libreoffice_opens_the_workbooks_with_the_drop_down_in_place() {
    let Some(soffice) = soffice() else {
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: office test skipped: LibreOffice not found (soffice). \
             Install it with `apt-get install -y libreoffice-calc-nogui` to run it."
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    let ok = Command::cargo_bin("alisplan")
        .unwrap()
        .args(["plan", "instances/alis-vest", "--quiet", "--out"])
        .arg(&plan)
        .status()
        .unwrap()
        .success();
    assert!(ok, "alisplan plan succeeds");
    let book = plan.join("hospitals/haukeland.xlsx");

    // CSV in UTF-8 (filter options: comma, double quote, UTF-8).
    let csv = convert(
        &soffice,
        tmp.path(),
        "csv:Text - txt - csv (StarCalc):44,34,76",
        &book,
    );
    let text = std::fs::read_to_string(&csv).expect("LibreOffice wrote the CSV");
    assert!(
        text.starts_with("Haukeland universitetssjukehus: foreslåtte ALIS-plasseringer"),
        "{text}"
    );
    assert!(text.contains("\nlege,navn,hjemkommune,"), "{text}");
    let ours = std::fs::read_to_string(plan.join("hospitals/haukeland.csv")).unwrap();
    for row in ours.lines().skip(1) {
        let doctor = row.split(';').next().unwrap();
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{doctor},"))),
            "{doctor} in {text}"
        );
    }

    // Flat OpenDocument: the list validation of the decision column.
    let fods = convert(&soffice, tmp.path(), "fods", &book);
    let xml = std::fs::read_to_string(&fods).expect("LibreOffice wrote the .fods");
    let validation = xml
        .split("<table:content-validation ")
        .nth(1)
        .expect("a content validation")
        .split('>')
        .next()
        .unwrap();
    assert!(
        validation.contains("of:cell-content-is-in-list(&quot;godkjent&quot;;&quot;avslått&quot;)"),
        "{validation}"
    );
    assert!(validation.contains("table:display-list=\"unsorted\""));
    // It applies to the column `beslutning` (M) from the first proposal down.
    assert!(validation.contains(".M6\""), "{validation}");
}
