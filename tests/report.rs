//! End-to-end tests of the plan report: `report.html` is self-contained, escaped and has
//! every section; the calendars are valid iCalendar read back with the independent
//! `icalendar` parser; the `alisplan report` command writes atomically and refuses to
//! overwrite without `--force`.

mod report_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use alisplan::io::output::OutputDir;
use alisplan::io::plan::read_plan;
use alisplan::model::Instance;
use alisplan::report::{CALENDARS, REPORT_HTML, render, write_into};
use assert_cmd::Command;
use chrono::{NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, DatePerhapsTime, EventLike};
use predicates::str::contains;
use report_support::*;
use tempfile::TempDir;

fn alisplan() -> Command {
    Command::cargo_bin("alisplan").unwrap()
}

/// The tiny instance and its plan in a fresh temporary folder.
fn tiny() -> (TempDir, Instance, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    write_tiny_instance(&root.path().join("inst"));
    let plan = root.path().join("plan");
    write_tiny_plan(&plan);
    let inst = load(&root.path().join("inst"));
    (root, inst, plan)
}

fn date(y: i32, m: u32, d: u32) -> DatePerhapsTime {
    DatePerhapsTime::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

/// Nothing in the page may make the browser fetch anything: no external URL at all, no
/// scripts, no linked files; `url(…)` only for patterns inside the page.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for banned in [
        "http://", "https://", "<script", "<link", "<img", "<iframe", "<object", "<embed",
        "@import", " src=", "srcset", "//fonts",
    ] {
        assert!(!lower.contains(banned), "the report contains '{banned}'");
    }
    for (i, _) in lower.match_indices("url(") {
        assert!(
            lower[i + 4..].starts_with('#'),
            "url( must point inside the page: {}",
            &html[i..(i + 40).min(html.len())]
        );
    }
    for (i, _) in lower.match_indices("href=\"") {
        let target = &lower[i + 6..];
        assert!(
            target.starts_with('#') || target.starts_with("calendars/"),
            "links go to anchors or the calendars next to the page: {}",
            &target[..40.min(target.len())]
        );
    }
}

/// The physical lines of an iCalendar text: CRLF only, at most 75 octets each.
fn assert_rfc5545_lines(name: &str, text: &str) {
    assert!(text.ends_with("\r\n"), "{name} ends with CRLF");
    let bare_lf = text.replace("\r\n", "").contains('\n');
    assert!(!bare_lf, "{name} has a line feed without carriage return");
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(
            line.len() <= 75,
            "{name}: line of {} octets: {line}",
            line.len()
        );
    }
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(text.trim_end().ends_with("END:VCALENDAR"));
}

#[test]
fn csv_text_is_escaped_so_html_cannot_be_injected() {
    let (_root, inst, plan) = tiny();
    let (input, summary) = read_plan(&inst, &plan).unwrap();
    let html = render(&inst, &input, summary.as_ref()).html;
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // The instance name and a municipality name carry tags too.
    assert!(
        !html.contains("<b>test</b>") && html.contains("Tiny &lt;b&gt;test&lt;/b&gt; &amp; co")
    );
    assert!(!html.contains("<i>x</i>") && html.contains("Town &lt;i&gt;x&lt;/i&gt;"));
    // Quotes in attribute values are escaped as well (the hospital is St. Olav, "Main").
    assert!(html.contains("St. Olav, &quot;Main&quot;; A\\B"));
    assert_self_contained(&html);
}

#[test]
fn the_page_has_every_section_with_accessible_tables_and_pictures() {
    let (_root, inst, plan) = tiny();
    let (input, summary) = read_plan(&inst, &plan).unwrap();
    let html = render(&inst, &input, summary.as_ref()).html;
    assert!(html.starts_with("<!DOCTYPE html>"));
    for id in [
        "figures",
        "hospitals",
        "municipalities",
        "doctors",
        "groups",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id}"
        );
    }
    assert!(
        !html.contains("id=\"changes\""),
        "no changes section without a re-plan"
    );
    // The timeline of h1: slots, both doctors' bars with titles, the load row.
    let start = html
        .find("<svg class=\"timeline\" id=\"timeline-h1\"")
        .unwrap();
    let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
    assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"timeline-h1-title\">"));
    assert_eq!(svg.matches("<g class=\"bar\">").count(), 2);
    assert!(svg.contains(">D1</text>") && svg.contains(">D2</text>"));
    assert_eq!(
        svg.matches("class=\"load full\"").count(),
        12,
        "one of one slot used every month"
    );
    assert!(svg.contains(">1/1</text>"));
    // Key figures, solver facts from summary.json, the independent check.
    assert!(html.contains("2 of 2") && html.contains("proven optimal"));
    assert!(html.contains("The plan passes every rule"));
    // Tables have header cells with scope; the map has titled symbols.
    assert!(html.contains("<th scope=\"col\">") && html.contains("<th scope=\"row\""));
    assert!(html.contains("<svg class=\"map\" id=\"map\""));
    assert!(html.contains("<title>Hospital: St. Olav, &quot;Main&quot;; A\\B</title>"));
    assert!(html.contains("→ group G1 at Sjukehusbyen: 40 min one way"));
    // The municipality calendar marks both doctors' months.
    assert_eq!(html.matches("<td class=\"away\">").count(), 12);
    // Print rules are part of the page.
    assert!(html.contains("@media print") && html.contains("break-before: page"));
}

#[test]
fn calendars_parse_with_an_independent_parser_and_hold_the_right_events() {
    let (_root, inst, plan) = tiny();
    let (input, summary) = read_plan(&inst, &plan).unwrap();
    let calendars = render(&inst, &input, summary.as_ref()).calendars;
    let names: Vec<&str> = calendars.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["D1.ics", "D2.ics"]);
    let mut uids = Vec::new();
    for (name, text) in &calendars {
        assert_rfc5545_lines(name, text);
        let cal = Calendar::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let events: Vec<_> = cal.events().collect();
        assert_eq!(
            events.len(),
            2,
            "{name}: a hospital block and the group period"
        );
        for e in &events {
            uids.push(e.get_uid().unwrap().to_string());
            assert_eq!(
                e.get_timestamp(),
                Some(Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()),
                "DTSTAMP is the horizon start"
            );
        }
    }
    let d2 = Calendar::from_str(&calendars[1].1).unwrap();
    let block = d2
        .events()
        .find(|e| e.get_summary().unwrap().starts_with("Hospital"))
        .unwrap();
    assert_eq!(block.get_start(), Some(date(2027, 7, 1)));
    assert_eq!(
        block.get_end(),
        Some(date(2028, 1, 1)),
        "DTEND is the exclusive day after"
    );
    // Text with , ; \ and quotes comes back unchanged after escaping and unescaping.
    assert_eq!(
        block.get_summary(),
        Some("Hospital service: St. Olav, \"Main\"; A\\B, medicine")
    );
    assert_eq!(block.get_location(), Some("St. Olav, \"Main\"; A\\B"));
    let description = block.get_description().unwrap();
    assert!(description.contains("Åse Berit, Jr.; \\o/ (D2)"));
    assert!(description.contains("\nOne-way commute from home: 40 min."));
    // The group is its meeting series: every other week (nobody travels more than 90
    // minutes), 3 hours from 09:00 on the first Tuesday of the group period, through it.
    let group = d2
        .events()
        .find(|e| e.get_summary().unwrap().starts_with("Guidance"))
        .unwrap();
    assert_eq!(
        group.get_summary(),
        Some("Guidance group G1 at Sjukehusbyen")
    );
    assert_eq!(group.get_location(), Some("Sjukehusbyen"));
    let at = |d: u32, h: u32| {
        DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Floating(
            NaiveDate::from_ymd_opt(2027, 3, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap(),
        ))
    };
    assert_eq!(group.get_start(), Some(at(2, 9)), "2027-03-02 is a Tuesday");
    assert_eq!(group.get_end(), Some(at(2, 12)));
    assert_eq!(
        group.property_value("RRULE"),
        Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20290228T235959"),
        "24 months from 2027-03"
    );
    assert!(
        group
            .get_description()
            .unwrap()
            .contains("3 hours every other week")
    );
    // UIDs are unique and derived from the plan, not random.
    let mut sorted = uids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), uids.len());
    // Stable per doctor and requirement part: D2's first (`any`) part, its first block.
    assert!(uids.contains(&"D2-any-1-1@tiny-b-test-b-co.alisplan".to_string()));
    assert!(uids.contains(&"D2-group@tiny-b-test-b-co.alisplan".to_string()));
}

#[test]
fn the_same_plan_gives_the_same_bytes() {
    let (root, inst, plan) = tiny();
    let (input, summary) = read_plan(&inst, &plan).unwrap();
    assert_eq!(
        render(&inst, &input, summary.as_ref()),
        render(&inst, &input, summary.as_ref())
    );
    // Through the command, on two copies of the plan folder.
    let copy = root.path().join("copy");
    copy_dir(&plan, &copy);
    for dir in [&plan, &copy] {
        alisplan()
            .arg("report")
            .arg(root.path().join("inst"))
            .arg(dir)
            .assert()
            .success();
    }
    assert_eq!(
        fs::read(plan.join(REPORT_HTML)).unwrap(),
        fs::read(copy.join(REPORT_HTML)).unwrap()
    );
    for name in ["D1.ics", "D2.ics"] {
        assert_eq!(
            fs::read(plan.join(CALENDARS).join(name)).unwrap(),
            fs::read(copy.join(CALENDARS).join(name)).unwrap()
        );
    }
}

#[test]
fn the_command_refuses_to_replace_a_report_without_force() {
    let (root, _inst, plan) = tiny();
    let inst_dir = root.path().join("inst");
    alisplan()
        .arg("report")
        .arg(&inst_dir)
        .arg(&plan)
        .assert()
        .success()
        .stderr(contains("wrote report.html and 2 calendar(s)"));
    assert!(plan.join("calendars/D1.ics").is_file());
    // Mark the existing files, then try again without --force: nothing changes.
    fs::write(plan.join(REPORT_HTML), "old report").unwrap();
    fs::write(plan.join("calendars/OLD.ics"), "old calendar").unwrap();
    alisplan()
        .arg("report")
        .arg(&inst_dir)
        .arg(&plan)
        .assert()
        .code(1)
        .stderr(contains(
            "report.html: already exists in the plan folder; pass --force",
        ))
        .stderr(contains("calendars: already exists"));
    assert_eq!(
        fs::read_to_string(plan.join(REPORT_HTML)).unwrap(),
        "old report"
    );
    assert!(plan.join("calendars/OLD.ics").is_file());
    // With --force both are replaced, the stale calendar goes, no temporary file is left.
    alisplan()
        .arg("report")
        .arg(&inst_dir)
        .arg(&plan)
        .arg("--force")
        .assert()
        .success();
    assert!(
        fs::read_to_string(plan.join(REPORT_HTML))
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    assert!(!plan.join("calendars/OLD.ics").exists());
    let leftovers: Vec<String> = fs::read_dir(&plan)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_bad_plan_is_reported_with_file_line_and_column_and_nothing_is_written() {
    let (root, _inst, plan) = tiny();
    fs::write(
        plan.join("placements.csv"),
        "doctor,hospital,specialty,start,end,months,commute_minutes,relocate\n\
         D1,h1,medicine,2027-01,2027-06,6,40,no\n\
         DX,h1,medicine,2027-07,2027-12,6,40,no\n",
    )
    .unwrap();
    alisplan()
        .arg("report")
        .arg(root.path().join("inst"))
        .arg(&plan)
        .assert()
        .code(1)
        .stderr(contains(
            "placements.csv, line 3, column 1 (doctor): unknown doctor 'DX'",
        ));
    assert!(!plan.join(REPORT_HTML).exists() && !plan.join(CALENDARS).exists());
}

#[test]
fn a_missing_plan_folder_is_a_clear_error() {
    let (root, _inst, _plan) = tiny();
    alisplan()
        .arg("report")
        .arg(root.path().join("inst"))
        .arg(root.path().join("no-such-plan"))
        .assert()
        .code(1)
        .stderr(contains("placements.csv"))
        .stderr(contains("required file not found"));
}

#[test]
fn a_replan_highlights_its_changes_and_stamps_calendars_from_its_start() {
    let (_root, inst, plan) = tiny();
    fs::write(
        plan.join("summary.json"),
        r#"{"placement":{"status":"gap_limit","objective":500.0,"bound":490.0,"gap":0.02},"replan":{"from":"2027-04","previous":"plans/first"}}"#,
    )
    .unwrap();
    fs::write(
        plan.join("changes.csv"),
        "doctor,before,after,kind\n\
         D2,h1/medicine 2027-05..2027-10,h1/medicine 2027-07..2027-12,shifted\n\
         D2,h1/medicine 2027-01..2027-03,,removed\n",
    )
    .unwrap();
    let (input, summary) = read_plan(&inst, &plan).unwrap();
    let r = render(&inst, &input, summary.as_ref());
    let html = &r.html;
    assert!(html.contains("<section id=\"changes\">"));
    assert!(html.contains("<a href=\"#changes\">Changes</a>"));
    assert!(html.contains("Re-planned from <strong>2027-04</strong>"));
    assert!(html.contains("Previous plan: <code>plans/first</code>"));
    assert!(html.contains("2 change(s) for 1 doctor(s): D2"));
    assert_eq!(
        html.matches("<tr class=\"changed kind-shifted\">").count(),
        1
    );
    assert_eq!(
        html.matches("<tr class=\"changed kind-removed\">").count(),
        1
    );
    assert!(html.contains("h1/medicine 2027-01..2027-03"));
    // D2's row in the doctor table and D2's bar on the timeline are marked, D1's are not.
    assert!(html.contains("<tr id=\"doctor-D2\" class=\"first changed\">"));
    assert!(html.contains("<tr id=\"doctor-D1\" class=\"first\">"));
    assert_eq!(html.matches("<g class=\"bar changed\">").count(), 1);
    assert!(html.contains(">D2 *</text>"));
    // History before the re-plan is shaded and the start of the re-plan drawn.
    assert!(html.contains("class=\"history\"") && html.contains("re-plan from 2027-04"));
    assert!(html.contains("stopped within the gap limit") && html.contains("gap 2.00"));
    let d1 = &r.calendars[0].1;
    assert!(d1.contains("\r\nDTSTAMP:20270401T000000Z\r\n"));
    assert_self_contained(html);
}

#[test]
fn an_unknown_kind_of_change_is_located() {
    let (_root, inst, plan) = tiny();
    fs::write(
        plan.join("changes.csv"),
        "doctor,before,after,kind\nD2,a,b,moved\n",
    )
    .unwrap();
    let err = read_plan(&inst, &plan).unwrap_err().to_string();
    assert!(
        err.contains("changes.csv, line 2, column 4 (kind): 'moved' is not a kind of change"),
        "{err}"
    );
    assert!(err.contains("[change-kind]"));
}

#[test]
fn a_change_that_names_no_block_is_located() {
    let (_root, inst, plan) = tiny();
    fs::write(
        plan.join("changes.csv"),
        "doctor,before,after,kind\nD2,<b>old</b>,,removed\n",
    )
    .unwrap();
    let err = read_plan(&inst, &plan).unwrap_err().to_string();
    assert!(
        err.contains("changes.csv, line 2, column 2 (before): '<b>old</b>' is not a block"),
        "{err}"
    );
    assert!(err.contains("[change-block]"));
}

#[test]
fn a_plan_without_groups_or_summary_still_reports_and_gives_the_group_period() {
    let (_root, inst, plan) = tiny();
    fs::remove_file(plan.join("groups.csv")).unwrap();
    fs::remove_file(plan.join("summary.json")).unwrap();
    // D2 could not be placed.
    fs::write(
        plan.join("placements.csv"),
        "doctor,hospital,specialty,start,end,months,commute_minutes,relocate\n\
         D1,h1,medicine,2027-01,2027-06,6,40,no\n",
    )
    .unwrap();
    fs::write(
        plan.join("unplaced.csv"),
        "doctor,specialty,months,reason\nD2,any,6,no free slot <anywhere> within the window\n",
    )
    .unwrap();
    let (input, summary) = read_plan(&inst, &plan).unwrap();
    let r = render(&inst, &input, summary.as_ref());
    assert!(r.html.contains("1 of 2"));
    assert!(
        r.html
            .contains("no free slot &lt;anywhere&gt; within the window")
    );
    assert!(r.html.contains("no summary.json"));
    assert!(
        r.html
            .contains("This plan has no guidance groups (no groups.csv).")
    );
    assert!(r.html.contains("The plan passes every rule"));
    let d2 = Calendar::from_str(&r.calendars[1].1).unwrap();
    let events: Vec<_> = d2.events().collect();
    assert_eq!(events.len(), 1, "only the group period");
    assert_eq!(events[0].get_summary(), Some("Guidance-group period"));
    assert_eq!(events[0].get_start(), Some(date(2027, 3, 1)));
}

#[test]
fn the_report_goes_into_an_output_folder_being_written() {
    let (root, inst, plan) = tiny();
    let (input, summary) = read_plan(&inst, &plan).unwrap();
    let r = render(&inst, &input, summary.as_ref());
    let target = root.path().join("out");
    let out = OutputDir::create(&target, false, None).unwrap();
    write_into(&out, &r).unwrap();
    out.commit().unwrap();
    assert_eq!(
        fs::read_to_string(target.join(REPORT_HTML)).unwrap(),
        r.html
    );
    assert_eq!(
        fs::read_to_string(target.join("calendars/D2.ics")).unwrap(),
        r.calendars[1].1
    );
}

/// Every hospital block of a calendar, as (start, exclusive end) dates.
fn block_dates(text: &str) -> Vec<(DatePerhapsTime, DatePerhapsTime)> {
    let cal = Calendar::from_str(text).unwrap();
    cal.events()
        .filter(|e| !e.get_uid().unwrap().contains("-group@"))
        .map(|e| (e.get_start().unwrap(), e.get_end().unwrap()))
        .collect()
}

fn alis_vest_plan(root: &Path) -> (Instance, PathBuf, Vec<alisplan::model::Block>) {
    let inst = load(&alis_vest_dir());
    let plan = root.join("plan");
    let (blocks, _groups) = write_alis_vest_plan(&inst, &plan);
    (inst, plan, blocks)
}

#[test]
fn the_alis_vest_report_shows_every_hospital_municipality_and_doctor() {
    let root = tempfile::tempdir().unwrap();
    let (inst, plan, blocks) = alis_vest_plan(root.path());
    alisplan()
        .arg("report")
        .arg(alis_vest_dir())
        .arg(&plan)
        .assert()
        .success()
        .stderr(contains("15 calendar(s)"));
    let html = fs::read_to_string(plan.join(REPORT_HTML)).unwrap();
    assert_self_contained(&html);
    for h in &inst.hospitals {
        assert!(
            html.contains(&format!("id=\"timeline-{}\"", h.id)),
            "timeline of {}",
            h.id
        );
    }
    assert_eq!(
        html.matches("<svg class=\"timeline\"").count(),
        inst.hospitals.len()
    );
    assert_eq!(
        html.matches("<g class=\"bar").count(),
        blocks.len(),
        "one bar per block"
    );
    for m in &inst.municipalities {
        assert!(
            html.contains(&format!("id=\"muni-{}\"", m.id)),
            "calendar of {}",
            m.id
        );
    }
    for d in &inst.doctors {
        assert!(html.contains(&format!("<tr id=\"doctor-{}\"", d.id)));
    }
    // alis-vest is in bokmål.
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"nb\">"));
    assert!(html.contains("15 av 15") && html.contains("Planen består alle reglene"));
    assert!(html.contains("stoppet ved tidsgrensen") && html.contains("avvik 1.25"));
    assert!(html.contains("id=\"group-G1\"") && html.contains("id=\"group-G2\""));
    // Every doctor's calendar holds their blocks with the right dates, and the group.
    for d in inst.doctor_ids() {
        let doc = inst.doctor(d);
        let text =
            fs::read_to_string(plan.join(CALENDARS).join(format!("{}.ics", doc.id))).unwrap();
        assert_rfc5545_lines(&doc.id, &text);
        let mut expected: Vec<(DatePerhapsTime, DatePerhapsTime)> = blocks
            .iter()
            .filter(|b| b.doctor == d)
            .map(|b| {
                (
                    DatePerhapsTime::Date(b.start.first_day()),
                    DatePerhapsTime::Date(b.end.next_first_day()),
                )
            })
            .collect();
        let mut got = block_dates(&text);
        expected.sort_by_key(|e| format!("{e:?}"));
        got.sort_by_key(|e| format!("{e:?}"));
        assert_eq!(got, expected, "blocks of {}", doc.id);
        let cal = Calendar::from_str(&text).unwrap();
        let groups: Vec<_> = cal
            .events()
            .filter(|e| e.get_uid().unwrap().contains("-group@"))
            .collect();
        assert_eq!(groups.len(), 1, "{} is in one group", doc.id);
        assert!(
            groups[0]
                .get_summary()
                .unwrap()
                .starts_with("Veiledningsgruppe G")
        );
        assert!(
            groups[0].property_value("RRULE").is_some(),
            "a meeting series"
        );
    }
}

#[test]
fn the_report_shows_the_review_a_page_per_hospital_and_per_municipality() {
    let (_root, inst, plan) = tiny();
    fs::write(
        plan.join("review.csv"),
        "doctor,hospital,specialty,start,end,months,status,round,answered_round,sheet,comment,was\n\
         D1,h1,medicine,2027-01,2027-06,6,accepted,1,1,hospitals/h1.xlsx,<b>fint</b>,\n\
         D2,h1,medicine,2027-01,2027-06,6,rejected,1,1,hospitals/h1.xlsx,no room,\n\
         D2,h1,medicine,2027-07,2027-12,6,proposed,2,,,,\n",
    )
    .unwrap();
    fs::write(
        plan.join("summary.json"),
        r#"{"placement":{"status":"optimal","objective":480.0,"bound":480.0,"gap":0.0},"review":{"round":2,"deadline":"2026-12-15"}}"#,
    )
    .unwrap();
    let (input, summary) = read_plan(&inst, &plan).unwrap();
    assert_eq!(input.review.round, 2);
    assert_eq!(input.review.entries.len(), 3);
    let html = render(&inst, &input, summary.as_ref()).html;
    assert_self_contained(&html);
    // The review: round, deadline, every entry with its status, answer and comment.
    assert!(html.contains("<a href=\"#review\">Review</a>"));
    assert!(html.contains("<h2>Review round 2: the hospitals' answers</h2>"));
    assert!(html.contains("Answers are due by 2026-12-15."));
    assert_eq!(html.matches("<tr class=\"st-").count(), 3);
    assert!(html.contains("round 1, hospitals/h1.xlsx"));
    assert!(html.contains("&lt;b&gt;fint&lt;/b&gt;") && !html.contains("<b>fint</b>"));
    // The doctor table shows each block's status: D1 accepted, D2 awaiting an answer.
    let doctors = &html[html.find("<section id=\"doctors\">").unwrap()..];
    let doctors = &doctors[..doctors.find("</section>").unwrap()];
    assert!(doctors.contains("<th scope=\"col\">review</th>"));
    assert!(doctors.contains("<span class=\"badge st-accepted\">accepted</span> <q class=\"comment\">&lt;b&gt;fint&lt;/b&gt;</q>"));
    assert!(doctors.contains("<span class=\"badge st-proposed\">awaiting answer</span>"));
    // A page per hospital: its ALIS and the use of its slots (one slot, used all year).
    let page = &html[html
        .find("<section class=\"page\" id=\"hpage-h1\">")
        .unwrap()..];
    let page = &page[..page.find("</section>").unwrap()];
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; (D1)"));
    assert!(page.contains(
        "<td class=\"num\">12</td><td class=\"num\">12</td><td class=\"num\">100\u{a0}%</td>"
    ));
    // A substitute page per municipality: who is away when, months and NOK (90 000 a month).
    let subs = &html[html
        .find("<section class=\"page\" id=\"subs-town\">")
        .unwrap()..];
    let subs = &subs[..subs.find("</section>").unwrap()];
    assert!(subs.contains("<td class=\"period\">2027-07</td><td class=\"period\">2027-12</td><td class=\"num\">6</td><td class=\"num\">NOK 540\u{a0}000</td>"));
    assert!(subs.contains("12 substitute month(s) in all, NOK 1\u{a0}080\u{a0}000."));
}

#[test]
fn a_new_plan_updates_the_published_calendars_instead_of_duplicating_them() {
    let (root, inst, plan) = tiny();
    let (first, summary) = read_plan(&inst, &plan).unwrap();
    let before = render(&inst, &first, summary.as_ref());
    alisplan::report::write_into_plan_dir(&plan, &before, false).unwrap();
    // The next plan: D1's block is gone (unplaced), D2's moves to the spring.
    let next = root.path().join("next");
    copy_dir(&plan, &next);
    fs::write(
        next.join("placements.csv"),
        "doctor,hospital,specialty,start,end,months,commute_minutes,relocate\n\
         D2,h1,medicine,2027-01,2027-06,6,40,no\n",
    )
    .unwrap();
    fs::write(
        next.join("unplaced.csv"),
        "doctor,specialty,months,reason\nD1,any,6,no slot\n",
    )
    .unwrap();
    let (second, summary) = read_plan(&inst, &next).unwrap();
    let published = alisplan::report::Published::read(&plan);
    let after = alisplan::report::render_updating(&inst, &second, summary.as_ref(), &published);
    let text = |r: &alisplan::report::Rendered, name: &str| {
        r.calendars
            .iter()
            .find(|c| c.0 == name)
            .unwrap_or_else(|| panic!("{name}"))
            .1
            .clone()
    };
    let event = |t: &str, uid: &str| {
        let cal = Calendar::from_str(t).unwrap();
        let e = cal
            .events()
            .find(|e| e.get_uid() == Some(uid))
            .unwrap_or_else(|| panic!("{uid} in {t}"))
            .clone();
        (
            e.property_value("SEQUENCE").unwrap().to_string(),
            e.property_value("STATUS").unwrap().to_string(),
            e.get_start(),
        )
    };
    let domain = "tiny-b-test-b-co.alisplan";
    let (d1, d2) = (text(&after, "D1.ics"), text(&after, "D2.ics"));
    assert_rfc5545_lines("D1.ics", &d1);
    // D2's block keeps its UID with a higher SEQUENCE and the new dates; the unchanged
    // group series keeps SEQUENCE 0.
    assert_eq!(
        event(&d2, &format!("D2-any-1-1@{domain}")),
        ("1".into(), "CONFIRMED".into(), Some(date(2027, 1, 1)))
    );
    assert_eq!(event(&d2, &format!("D2-group@{domain}")).0, "0");
    // D1's block is published as cancelled.
    assert_eq!(
        event(&d1, &format!("D1-any-1-1@{domain}")),
        ("1".into(), "CANCELLED".into(), Some(date(2027, 1, 1)))
    );
    // A calendar program that imported the first calendars and then these holds what a
    // fresh import of these gives: D2's block once, at its new dates; no D1 block.
    for (name, new) in [("D1.ics", &d1), ("D2.ics", &d2)] {
        let old = text(&before, name);
        let held = client_import(&[&old, new]);
        assert_eq!(held, client_import(&[new]), "{name}");
        let blocks = held.keys().filter(|k| !k.contains("-group@")).count();
        assert_eq!(blocks, usize::from(name == "D2.ics"), "{name}: {held:#?}");
    }
    // Publishing the same plan again changes nothing: the cancelled event stays cancelled
    // with the same SEQUENCE.
    alisplan::report::write_into_plan_dir(&next, &after, true).unwrap();
    let again = alisplan::report::render_updating(
        &inst,
        &second,
        summary.as_ref(),
        &alisplan::report::Published::read(&next),
    );
    assert_eq!(again.calendars, after.calendars);
}
