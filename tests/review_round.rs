//! The review round as hospitals run it, end to end on `instances/alis-vest` (in bokmål):
//! the workbook filled in with another spreadsheet crate than the one that wrote it, the
//! same answers in a CSV file as Excel saves it in a Norwegian locale, and two review
//! rounds and a re-plan with the ledger (`review.csv`) checked at each step.

mod report_support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;
use report_support::client_import;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").expect("binary built")
}

const VEST: &str = "instances/alis-vest";

/// `alisplan plan INSTANCE --out OUT [args]`, which must succeed and pass `verify`.
fn plan(instance: &Path, out: &Path, args: &[&str]) {
    alisplan()
        .arg("plan")
        .arg(instance)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(args)
        .assert()
        .success();
    alisplan()
        .arg("verify")
        .arg(instance)
        .arg(out)
        .assert()
        .success();
}

/// Copy a folder with its subfolders.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The rows of a CSV file as maps from header to cell; the separator and a byte-order
/// mark are handled as the sheets are written (`;` and BOM for bokmål).
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let sep = if text.lines().next().unwrap().contains(';') {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

/// A block as `placements.csv` and `review.csv` write it.
fn block(r: &BTreeMap<String, String>) -> String {
    format!(
        "{},{},{},{},{}",
        r["doctor"], r["hospital"], r["specialty"], r["start"], r["end"]
    )
}

/// A block named by a bokmål review-sheet row of hospital `h`.
fn sheet_block(h: &str, r: &BTreeMap<String, String>) -> String {
    format!(
        "{},{h},{},{},{}",
        r["lege"], r["avdeling"], r["fra"], r["til"]
    )
}

fn placements(dir: &Path) -> Vec<String> {
    table(&dir.join("placements.csv"))
        .iter()
        .map(block)
        .collect()
}

/// The ledger of a plan folder, by block.
fn ledger(dir: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    table(&dir.join("review.csv"))
        .into_iter()
        .map(|r| (block(&r), r))
        .collect()
}

fn review_round(dir: &Path) -> u64 {
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    summary["review"]["round"].as_u64().unwrap()
}

/// The first hospital (by id) whose sheet proposes at least two blocks.
fn hospital_with_two_rows(dir: &Path) -> (String, Vec<BTreeMap<String, String>>) {
    let mut names: Vec<PathBuf> = fs::read_dir(dir.join("hospitals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    names.sort();
    names
        .into_iter()
        .find_map(|p| {
            let rows = table(&p);
            (rows.len() >= 2).then(|| (p.file_stem().unwrap().to_string_lossy().into(), rows))
        })
        .expect("a hospital with two proposals")
}

/// Write decisions into a workbook with `umya-spreadsheet` (the workbooks are written by
/// `rust_xlsxwriter`): `answers` are (0-based data row, decision, comment).
fn fill_workbook(path: &Path, answers: &[(usize, &str, &str)]) {
    let mut book = umya_spreadsheet::reader::xlsx::read(path).expect("umya reads the workbook");
    let sheet = book.get_sheet_mut(&0).expect("a worksheet");
    let header_row = (1..=20u32)
        .find(|&r| sheet.get_value(format!("A{r}")) == "lege")
        .expect("the header row starts with 'lege'");
    let column = |name: &str| {
        (0..26u8)
            .map(|c| char::from(b'A' + c))
            .find(|c| sheet.get_value(format!("{c}{header_row}")) == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (decision, comment) = (column("beslutning"), column("kommentar"));
    for &(row, d, c) in answers {
        let r = header_row + 1 + row as u32;
        sheet.get_cell_mut(format!("{decision}{r}")).set_value(d);
        sheet.get_cell_mut(format!("{comment}{r}")).set_value(c);
    }
    umya_spreadsheet::writer::xlsx::write(&book, path).expect("umya writes the workbook");
}

/// Rewrite a bokmål CSV sheet as Excel saves it in a Norwegian locale: no byte-order
/// mark, semicolons, CRLF, Windows-1252; `answers` as for [`fill_workbook`].
fn fill_csv_as_excel_saves_it(path: &Path, answers: &[(usize, &str, &str)]) {
    let rows = table(path);
    let text = fs::read_to_string(path).unwrap();
    let header: Vec<String> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .split(';')
        .map(String::from)
        .collect();
    let mut out = header.join(";") + "\r\n";
    for (i, r) in rows.iter().enumerate() {
        let mut r = r.clone();
        if let Some((_, d, c)) = answers.iter().find(|a| a.0 == i) {
            r.insert("beslutning".into(), d.to_string());
            r.insert("kommentar".into(), c.to_string());
        }
        let cells: Vec<String> = header.iter().map(|h| r[h].clone()).collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&out);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file is Windows-1252, not UTF-8"
    );
    fs::write(path, &bytes).unwrap();
}

#[test]
fn decisions_in_a_workbook_and_in_an_excel_csv_give_the_same_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    plan(Path::new(VEST), &first, &[]);
    let (h, rows) = hospital_with_two_rows(&first);
    let (accepted, rejected) = (sheet_block(&h, &rows[0]), sheet_block(&h, &rows[1]));
    let answers = [
        (0, "godkjent", ""),
        (1, "avslått", "ingen plass før høsten"),
    ];

    // Through the workbook, filled in with another crate.
    let via_book = tmp.path().join("via-book");
    copy_tree(&first, &via_book);
    fill_workbook(&via_book.join(format!("hospitals/{h}.xlsx")), &answers);
    let next_book = tmp.path().join("next-book");
    plan(
        Path::new(VEST),
        &next_book,
        &["--decisions", via_book.to_str().unwrap()],
    );

    // Through a CSV file as Excel saves it in a Norwegian locale, Norwegian words in
    // other cases.
    let via_csv = tmp.path().join("via-csv");
    copy_tree(&first, &via_csv);
    fs::remove_file(via_csv.join(format!("hospitals/{h}.xlsx"))).unwrap();
    fill_csv_as_excel_saves_it(
        &via_csv.join(format!("hospitals/{h}.csv")),
        &[
            (0, "Godkjent", ""),
            (1, "AVSLÅTT", "ingen plass før høsten"),
        ],
    );
    let next_csv = tmp.path().join("next-csv");
    plan(
        Path::new(VEST),
        &next_csv,
        &["--decisions", via_csv.to_str().unwrap()],
    );

    let plan_book = placements(&next_book);
    assert!(
        plan_book.contains(&accepted),
        "{accepted} kept: {plan_book:#?}"
    );
    assert!(!plan_book.contains(&rejected), "{rejected} dropped");
    assert_eq!(
        fs::read(next_book.join("placements.csv")).unwrap(),
        fs::read(next_csv.join("placements.csv")).unwrap(),
        "the workbook and the Excel CSV give the same plan"
    );
    for (dir, sheet) in [(&next_book, "xlsx"), (&next_csv, "csv")] {
        let l = ledger(dir);
        let a = &l[&accepted];
        assert_eq!(a["status"], "accepted");
        assert_eq!(a["answered_round"], "1");
        assert_eq!(a["sheet"], format!("hospitals/{h}.{sheet}"));
        let r = &l[&rejected];
        assert_eq!(r["status"], "rejected");
        assert_eq!(r["comment"], "ingen plass før høsten");
        assert_eq!(review_round(dir), 2);
    }
}

#[test]
fn two_review_rounds_and_a_replan_keep_every_decision_and_comment() {
    let tmp = tempfile::tempdir().unwrap();
    let vest = Path::new(VEST);
    // Round 1: the hospital accepts its last proposal and rejects its first.
    let p1 = tmp.path().join("p1");
    plan(vest, &p1, &["--deadline", "2026-12-15"]);
    assert_eq!(review_round(&p1), 1);
    let (h, rows) = hospital_with_two_rows(&p1);
    let last = rows.len() - 1;
    let (a, b) = (sheet_block(&h, &rows[last]), sheet_block(&h, &rows[0]));
    let (a_doctor, b_doctor) = (rows[last]["lege"].clone(), rows[0]["lege"].clone());
    let r1 = tmp.path().join("r1");
    copy_tree(&p1, &r1);
    fill_csv_as_excel_saves_it(
        &r1.join(format!("hospitals/{h}.csv")),
        &[(last, "ja", "ok fra oss"), (0, "nei", "ingen plass")],
    );

    // Round 2.
    let p2 = tmp.path().join("p2");
    plan(vest, &p2, &["--decisions", r1.to_str().unwrap()]);
    assert_eq!(review_round(&p2), 2);
    let l2 = ledger(&p2);
    assert_eq!(
        (l2[&a]["status"].as_str(), l2[&a]["answered_round"].as_str()),
        ("accepted", "1")
    );
    assert_eq!(l2[&a]["comment"], "ok fra oss");
    assert_eq!(
        (l2[&b]["status"].as_str(), l2[&b]["comment"].as_str()),
        ("rejected", "ingen plass")
    );
    // The rejected doctor's new block is proposed in round 2.
    let (b_new, b_entry) = l2
        .iter()
        .find(|(k, e)| k.starts_with(&format!("{b_doctor},")) && e["status"] == "proposed")
        .expect("a new block for the rejected doctor");
    assert_eq!(b_entry["round"], "2");
    // The next sheets carry the accept and the comment.
    let sheet2 = table(&p2.join(format!("hospitals/{h}.csv")));
    let row_a = sheet2
        .iter()
        .find(|r| sheet_block(&h, r) == a)
        .expect("the accepted block is on the sheet");
    assert_eq!(row_a["beslutning"], "godkjent");
    assert_eq!(row_a["tidligere_svar"], "godkjent i runde 1");
    assert_eq!(row_a["kommentar"], "ok fra oss");

    // Round 2's answer: the new block is accepted in its workbook.
    let b_hospital = b_entry["hospital"].clone();
    let sheet_b = table(&p2.join(format!("hospitals/{b_hospital}.csv")));
    let row_b = sheet_b
        .iter()
        .position(|r| &sheet_block(&b_hospital, r) == b_new)
        .expect("the new block is on its hospital's sheet");
    let r2 = tmp.path().join("r2");
    copy_tree(&p2, &r2);
    fill_workbook(
        &r2.join(format!("hospitals/{b_hospital}.xlsx")),
        &[(row_b, "godkjent", "passer")],
    );
    let p3 = tmp.path().join("p3");
    plan(vest, &p3, &["--decisions", r2.to_str().unwrap()]);
    assert_eq!(review_round(&p3), 3);
    let l3 = ledger(&p3);
    assert_eq!(l3[&a]["answered_round"], "1", "the first answer is kept");
    assert_eq!(l3[b_new]["status"], "accepted");
    assert_eq!(l3[b_new]["answered_round"], "2");
    assert_eq!(l3[b_new]["comment"], "passer");
    assert_eq!(l3[b_new]["sheet"], format!("hospitals/{b_hospital}.xlsx"));
    assert_eq!(l3[&b]["status"], "rejected", "the rejection is remembered");

    // A re-plan without --decisions: leave in the first month of the accepted block
    // forces it to move. It is flagged for the hospital to confirm again.
    let a_start = a.split(',').nth(3).unwrap().to_string();
    let today = tmp.path().join("today");
    copy_tree(vest, &today);
    let mut leave = fs::read_to_string(today.join("leave.csv")).unwrap();
    leave.push_str(&format!("{a_doctor},{a_start},{a_start},sick\n"));
    fs::write(today.join("leave.csv"), leave).unwrap();
    let p4 = tmp.path().join("p4");
    alisplan()
        .arg("replan")
        .arg(&today)
        .args(["--quiet", "--from", &a_start, "--previous"])
        .arg(&p3)
        .arg("--out")
        .arg(&p4)
        .assert()
        .success();
    alisplan()
        .arg("verify")
        .arg(&today)
        .arg(&p4)
        .args(["--previous"])
        .arg(&p3)
        .assert()
        .success();
    assert_eq!(review_round(&p4), 4);
    // With the round's sheets passed back untouched, the accepts they carry are the
    // ledger's: they give way the same.
    let p4_sheets = tmp.path().join("p4-sheets");
    alisplan()
        .arg("replan")
        .arg(&today)
        .args(["--quiet", "--from", &a_start, "--previous"])
        .arg(&p3)
        .arg("--decisions")
        .arg(&p3)
        .arg("--out")
        .arg(&p4_sheets)
        .assert()
        .success();
    assert_eq!(
        fs::read(p4.join("review.csv")).unwrap(),
        fs::read(p4_sheets.join("review.csv")).unwrap()
    );
    let l4 = ledger(&p4);
    assert!(!l4.contains_key(&a), "the accepted block had to move");
    let (a_new, moved) = l4
        .iter()
        .find(|(k, e)| k.starts_with(&format!("{a_doctor},")) && e["status"] == "accepted-changed")
        .expect("the moved block is flagged");
    let was = format!(
        "{}/{} {}..{}",
        h,
        a.split(',').nth(2).unwrap(),
        a_start,
        a.split(',').nth(4).unwrap()
    );
    assert_eq!(moved["was"], was);
    assert_eq!(
        moved["comment"], "ok fra oss",
        "the comment goes with the block"
    );
    assert_eq!(l4[&b]["status"], "rejected");
    if l4.contains_key(b_new) {
        assert_eq!(l4[b_new]["status"], "accepted", "unchanged: still accepted");
    }
    let moved_hospital = &moved["hospital"];
    let sheet4 = table(&p4.join(format!("hospitals/{moved_hospital}.csv")));
    let row = sheet4
        .iter()
        .find(|r| &sheet_block(moved_hospital, r) == a_new)
        .expect("the moved block is on its hospital's sheet");
    assert!(
        row["tidligere_svar"].contains("bekreft på nytt"),
        "{:?}",
        row["tidligere_svar"]
    );
    assert_eq!(row["beslutning"], "", "to be decided again");

    // The doctor's calendar: the moved block keeps its UID with a higher SEQUENCE, so a
    // calendar program that imported round 3 and then the re-plan holds the new dates once.
    let cal =
        |dir: &Path| fs::read_to_string(dir.join(format!("calendars/{a_doctor}.ics"))).unwrap();
    let (old, new) = (cal(&p3), cal(&p4));
    let held = client_import(&[&old, &new]);
    let fresh = client_import(&[&new]);
    assert_eq!(
        held, fresh,
        "importing the update gives what a fresh import gives"
    );
    let a_new_start = format!("Date({}-01)", a_new.split(',').nth(3).unwrap());
    assert_eq!(
        held.values()
            .filter(|(start, _, _)| start.contains(&a_new_start))
            .count(),
        1,
        "the moved block once, at its new start: {held:#?}"
    );
    assert!(new.contains("SEQUENCE:1"), "{new}");
}

#[test]
fn the_workbook_and_sheet_name_the_round_the_deadline_and_offer_the_two_words() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    plan(Path::new(VEST), &p, &["--deadline", "2026-12-15"]);
    let (h, rows) = hospital_with_two_rows(&p);
    let book = umya_spreadsheet::reader::xlsx::read(p.join(format!("hospitals/{h}.xlsx"))).unwrap();
    let sheet = book.get_sheet(&0).unwrap();
    assert!(
        sheet
            .get_value("A1")
            .contains("foreslåtte ALIS-plasseringer")
    );
    assert_eq!(
        sheet.get_value("A2"),
        "ALIS-Vest, vurderingsrunde 1. Svarfrist: 2026-12-15."
    );
    assert_eq!(sheet.get_value("A5"), "lege");
    assert_eq!(sheet.get_value("A6"), rows[0]["lege"]);
    let validations = sheet
        .get_data_validations()
        .expect("the decision column has a list");
    let list = &validations.get_data_validation_list()[0];
    assert_eq!(list.get_formula1(), "\"godkjent,avslått\"");
    // The CSV sheet has a byte-order mark and semicolons.
    let bytes = fs::read(p.join(format!("hospitals/{h}.csv"))).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFlege;navn;"));
    // A workbook under a .csv name is refused with what it looks like.
    let bad = tmp.path().join("bad");
    copy_tree(&p, &bad);
    for e in fs::read_dir(bad.join("hospitals")).unwrap() {
        fs::remove_file(e.unwrap().path()).unwrap();
    }
    fs::copy(
        p.join(format!("hospitals/{h}.xlsx")),
        bad.join(format!("hospitals/{h}.csv")),
    )
    .unwrap();
    alisplan()
        .args(["plan", VEST, "--quiet", "--decisions"])
        .arg(&bad)
        .arg("--out")
        .arg(tmp.path().join("never"))
        .assert()
        .code(1)
        .stderr(contains(format!("hospitals/{h}.csv")))
        .stderr(contains("this is a workbook (.xlsx)"));
    assert!(!tmp.path().join("never").exists());
}

#[test]
fn a_bad_decision_in_a_workbook_names_the_file_row_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    plan(Path::new(VEST), &p, &[]);
    let (h, _) = hospital_with_two_rows(&p);
    fill_workbook(
        &p.join(format!("hospitals/{h}.xlsx")),
        &[(1, "kanskje", "")],
    );
    alisplan()
        .args(["plan", VEST, "--quiet", "--decisions"])
        .arg(&p)
        .arg("--out")
        .arg(tmp.path().join("never"))
        .assert()
        .code(1)
        .stderr(contains(format!(
            "hospitals/{h}.xlsx, line 7, column 13 (decision): 'kanskje' is not a decision"
        )));
}

#[test]
fn the_same_plan_gives_the_same_workbooks_sheets_ledger_and_calendars() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        plan(Path::new(VEST), dir, &["--deadline", "2026-12-15"]);
    }
    let mut compared = 0;
    for sub in ["hospitals", "calendars", "."] {
        for e in fs::read_dir(a.join(sub)).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() || path.extension().is_some_and(|x| x == "json") {
                continue;
            }
            let name = path.file_name().unwrap();
            assert_eq!(
                fs::read(&path).unwrap(),
                fs::read(b.join(sub).join(name)).unwrap(),
                "{}",
                path.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 30, "{compared} files compared");
}

#[test]
fn a_sheet_that_lost_its_header_says_what_the_file_looks_like() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("p");
    plan(Path::new(VEST), &p, &[]);
    let (h, _) = hospital_with_two_rows(&p);
    let sheets = tmp.path().join("returned/hospitals");
    fs::create_dir_all(&sheets).unwrap();
    // Windows-1252 (ø is 0xF8), semicolons, CRLF, and a misspelt header.
    fs::write(
        sheets.join(format!("{h}.csv")),
        b"lege;navn;besl\xf8tning\r\nV01;x;ja\r\n",
    )
    .unwrap();
    alisplan()
        .args(["plan", VEST, "--quiet", "--decisions"])
        .arg(tmp.path().join("returned"))
        .arg("--out")
        .arg(tmp.path().join("never"))
        .assert()
        .code(1)
        .stderr(contains(format!(
            "hospitals/{h}.csv, line 1: required column 'decision' is missing"
        )))
        .stderr(contains(
            "the file looks like semicolon-separated, Windows-1252 text",
        ))
        .stderr(contains("[missing-column]"));
}
