//! `calendars/<doctor-id>.ics`: each doctor's hospital blocks (all-day events) and
//! guidance group (a meeting series), written by hand to RFC 5545: CRLF line ends, lines
//! folded at 75 octets, TEXT values escaped, and everything derived from the plan so the
//! same plan gives the same bytes. The texts are in the plan's language.
//!
//! Calendars update rather than duplicate when a doctor imports the next plan's file:
//!
//! - `UID` is stable per doctor and requirement part: `<doctor>-<part>-<n>-<k>@<plan>`
//!   names the doctor's `n`-th requirement part (`any` or its specialty) and its `k`-th
//!   block, so a block that moves keeps its UID. The group series is `<doctor>-group@…`.
//! - `SEQUENCE` counts the versions of an event: it is one more than in the calendar the
//!   plan updates (the previous or reviewed plan's `calendars/`) when the event changed,
//!   and the same when it did not. An event of that calendar that is gone is published
//!   again with `STATUS:CANCELLED` and a higher `SEQUENCE`, so the calendar program
//!   removes it.
//! - `DTSTAMP` is midnight UTC on the first day of the month the plan was made from (the
//!   horizon start, or `replan.from` for a re-plan), plus one second per review round
//!   after the first, so a later plan carries a later stamp while the same plan gives the
//!   same bytes.
//! - A block is `DTSTART;VALUE=DATE` on the first day of its first month to
//!   `DTEND;VALUE=DATE` the first day after its last month (exclusive, as RFC 5545 says
//!   for all-day events). The guidance group is a weekly series (`RRULE`, every 2nd week
//!   for 3 hours, or every 4th week for 6 hours when a member travels more than
//!   `long_travel_minutes`) at the venue through the group period, from the first Tuesday
//!   at 09:00 local time: the group agrees on its day and time, the series shows the
//!   rhythm.

use chrono::NaiveDate;

use super::facts::Facts;
use crate::i18n::fill;
use crate::model::*;

/// Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Fold one content line (RFC 5545 §3.1): at most 75 octets per physical line, each
/// continuation starting with a space, never splitting a UTF-8 character; every physical
/// line ends in CRLF.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
    out
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A short ASCII token for UIDs: lower-case letters and digits, other runs as `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() { "plan".into() } else { out }
}

/// An iCalendar document being written.
struct Ics {
    text: String,
}

impl Ics {
    /// A property whose value is already in iCalendar form.
    fn raw(&mut self, name: &str, value: &str) {
        self.text.push_str(&fold_line(&format!("{name}:{value}")));
    }

    /// A TEXT property, escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }
}

/// An event: its UID and its content lines (unfolded, values in iCalendar form), apart
/// from `UID`, `DTSTAMP`, `SEQUENCE` and `STATUS`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Event {
    uid: String,
    lines: Vec<String>,
}

impl Event {
    fn new(uid: String) -> Event {
        Event {
            uid,
            lines: Vec::new(),
        }
    }

    fn raw(&mut self, name: &str, value: impl AsRef<str>) {
        self.lines.push(format!("{name}:{}", value.as_ref()));
    }

    fn text(&mut self, name: &str, value: &str) {
        if !value.is_empty() {
            self.raw(name, escape_text(value));
        }
    }
}

/// An event as an earlier calendar published it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Before {
    event: Event,
    sequence: u32,
    cancelled: bool,
}

/// The calendars a plan folder published (`calendars/*.ics`), read back so that a new
/// plan's calendars update them: per file, its events in order.
#[derive(Clone, Debug, Default)]
pub struct Published {
    files: std::collections::BTreeMap<String, Vec<Before>>,
}

impl Published {
    /// Read `dir/calendars/*.ics`. Missing or unreadable files are treated as never
    /// published: the new calendars then start at `SEQUENCE:0`.
    pub fn read(dir: &std::path::Path) -> Published {
        let mut files = std::collections::BTreeMap::new();
        let Ok(entries) = std::fs::read_dir(dir.join(super::CALENDARS)) else {
            return Published { files };
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".ics") {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                files.insert(name, parse_events(&text));
            }
        }
        Published { files }
    }

    fn events(&self, file: &str) -> &[Before] {
        self.files.get(file).map_or(&[], Vec::as_slice)
    }
}

/// The events of an iCalendar text written by [`calendar`].
fn parse_events(text: &str) -> Vec<Before> {
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut out = Vec::new();
    let mut current: Option<Before> = None;
    for line in unfolded.split("\r\n") {
        match (line, current.as_mut()) {
            ("BEGIN:VEVENT", _) => {
                current = Some(Before {
                    event: Event::new(String::new()),
                    sequence: 0,
                    cancelled: false,
                })
            }
            ("END:VEVENT", Some(_)) => out.extend(current.take()),
            (_, Some(b)) => {
                let (name, value) = line.split_once(':').unwrap_or((line, ""));
                match name {
                    "UID" => b.event.uid = value.to_string(),
                    "SEQUENCE" => b.sequence = value.trim().parse().unwrap_or(0),
                    "STATUS" => b.cancelled = value == "CANCELLED",
                    "DTSTAMP" => {}
                    _ => b.event.lines.push(line.to_string()),
                }
            }
            _ => {}
        }
    }
    out.retain(|b| !b.event.uid.is_empty());
    out
}

/// One calendar per doctor who has a block, a group period or an earlier published
/// event, in doctor order.
pub(crate) fn calendars(f: &Facts, before: &Published) -> Vec<(String, String)> {
    f.inst
        .doctor_ids()
        .filter_map(|d| {
            let name = format!("{}.ics", f.inst.doctor(d).id);
            let text = calendar(f, d, before.events(&name))?;
            Some((name, text))
        })
        .collect()
}

/// The requirement part each of the doctor's blocks serves (a block of a specialty serves
/// that specialty's part while it has months left, else an `any` part), with the block's
/// number within its part: the stable name of the block's event.
fn part_labels(f: &Facts, d: DoctorId) -> Vec<String> {
    let inst = f.inst;
    let parts = &inst.doctor(d).requirement;
    let mut left: Vec<u32> = parts.iter().map(|p| p.calendar_months).collect();
    let mut count = vec![0u32; parts.len()];
    f.blocks_of[d.index()]
        .iter()
        .map(|b| {
            let s = inst.department(b.department).specialty;
            let fits = |i: usize, p: &RequirementPart| left[i] > 0 && p.specialty == Some(s);
            let any = |i: usize, p: &RequirementPart| left[i] > 0 && p.specialty.is_none();
            let i = (0..parts.len())
                .find(|&i| fits(i, &parts[i]))
                .or_else(|| (0..parts.len()).find(|&i| any(i, &parts[i])))
                .or_else(|| (0..parts.len()).find(|&i| parts[i].specialty == Some(s)))
                .or_else(|| (0..parts.len()).find(|&i| parts[i].specialty.is_none()));
            match i {
                Some(i) => {
                    left[i] = left[i].saturating_sub(b.months);
                    count[i] += 1;
                    let spec = parts[i].specialty.map_or("any", |s| inst.specialty(s));
                    format!("{}-{}-{}", slug(spec), i + 1, count[i])
                }
                // A block beyond the doctor's requirement (a hand-made plan).
                None => format!("extra-{}", slug(&b.start.to_string())),
            }
        })
        .collect()
}

fn events(f: &Facts, d: DoctorId) -> Vec<Event> {
    let inst = f.inst;
    let t = inst.settings.language.t();
    let doc = inst.doctor(d);
    let domain = format!("{}.alisplan", slug(&inst.settings.name));
    let mut events = Vec::new();
    for (b, part) in f.blocks_of[d.index()].iter().zip(part_labels(f, d)) {
        let dept = inst.department(b.department);
        let h = inst.hospital(dept.hospital);
        let spec = inst.specialty(dept.specialty);
        let leave: Vec<String> = doc
            .leave
            .iter()
            .filter(|l| l.range.overlap(&b.span()) > 0)
            .map(|l| {
                fill(
                    t.leave_in_block,
                    &[("kind", &t.leave(l.kind)), ("range", &l.range)],
                )
            })
            .collect();
        let mut description = fill(
            t.cal_block_description,
            &[
                ("name", &doc.name),
                ("id", &doc.id),
                ("months", &b.months),
                ("specialty", &spec),
                ("hospital", &h.name),
                ("period", &b.span()),
                ("minutes", &b.commute_minutes),
                ("relocates", &if b.relocate { t.cal_relocates } else { "" }),
            ],
        );
        if !leave.is_empty() {
            description.push_str(&fill(t.cal_leave_inside, &[("leave", &leave.join(", "))]));
        }
        let mut e = Event::new(format!("{}-{part}@{domain}", doc.id));
        e.raw("DTSTART;VALUE=DATE", date(b.start.first_day()));
        e.raw("DTEND;VALUE=DATE", date(b.end.next_first_day()));
        e.text(
            "SUMMARY",
            &fill(
                t.cal_block_summary,
                &[("hospital", &h.name), ("specialty", &spec)],
            ),
        );
        e.text("LOCATION", &h.name);
        e.text("DESCRIPTION", &description);
        e.raw("CATEGORIES", "HOSPITAL SERVICE");
        e.raw("TRANSP", "TRANSPARENT");
        events.push(e);
    }
    if let Some(period) = doc.group_period(inst.settings.groups.months) {
        let mut e = Event::new(format!("{}-group@{domain}", doc.id));
        match f.group_of[d.index()] {
            Some((g, minutes)) => {
                let venue = &inst.venues[g.venue.index()];
                let sup = &inst.supervisors[g.supervisor.index()];
                let long = g
                    .members
                    .iter()
                    .any(|m| m.1 > inst.settings.groups.long_travel_minutes);
                let (weeks, hours, rhythm) = if long {
                    (4, 6, t.cal_rhythm_long)
                } else {
                    (2, 3, t.cal_rhythm_short)
                };
                let first = first_tuesday(period.first.first_day());
                let start = first.and_hms_opt(9, 0, 0).expect("09:00 is a time");
                let end = start + chrono::Duration::hours(hours);
                e.raw("DTSTART", start.format("%Y%m%dT%H%M%S").to_string());
                e.raw("DTEND", end.format("%Y%m%dT%H%M%S").to_string());
                e.raw(
                    "RRULE",
                    format!(
                        "FREQ=WEEKLY;INTERVAL={weeks};BYDAY=TU;UNTIL={}T235959",
                        date(
                            period
                                .last
                                .next_first_day()
                                .pred_opt()
                                .expect("a day before")
                        )
                    ),
                );
                e.text(
                    "SUMMARY",
                    &fill(
                        t.cal_group_summary,
                        &[("group", &g.id), ("venue", &venue.name)],
                    ),
                );
                e.text("LOCATION", &venue.name);
                e.text(
                    "DESCRIPTION",
                    &fill(
                        t.cal_group_description,
                        &[
                            ("group", &g.id),
                            ("members", &g.members.len()),
                            ("supervisor", &sup.name),
                            ("venue", &venue.name),
                            ("rhythm", &rhythm),
                            ("minutes", &minutes),
                            ("period", &period),
                        ],
                    ),
                );
                e.raw("CATEGORIES", "GUIDANCE GROUP");
                e.raw("TRANSP", "OPAQUE");
            }
            None => {
                e.raw("DTSTART;VALUE=DATE", date(period.first.first_day()));
                e.raw("DTEND;VALUE=DATE", date(period.last.next_first_day()));
                e.text("SUMMARY", t.cal_period_summary);
                e.text(
                    "DESCRIPTION",
                    &fill(t.cal_period_description, &[("period", &period)]),
                );
                e.raw("CATEGORIES", "GUIDANCE GROUP");
                e.raw("TRANSP", "TRANSPARENT");
            }
        }
        events.push(e);
    }
    events
}

/// The first Tuesday on or after `day`.
fn first_tuesday(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let ahead = (7 + 1 - day.weekday().num_days_from_monday() as i64) % 7;
    day + chrono::Duration::days(ahead)
}

/// The calendar of doctor `d`, updating the events `before` published for them.
fn calendar(f: &Facts, d: DoctorId, before: &[Before]) -> Option<String> {
    let inst = f.inst;
    let doc = inst.doctor(d);
    let events = events(f, d);
    // (event, sequence, cancelled): the current events, then the earlier ones now gone.
    let mut out: Vec<(Event, u32, bool)> = Vec::new();
    for e in events {
        let sequence = match before.iter().find(|b| b.event.uid == e.uid) {
            Some(b) if !b.cancelled && b.event == e => b.sequence,
            Some(b) => b.sequence + 1,
            None => 0,
        };
        out.push((e, sequence, false));
    }
    for b in before {
        if !out.iter().any(|(e, _, _)| e.uid == b.event.uid) {
            let sequence = if b.cancelled {
                b.sequence
            } else {
                b.sequence + 1
            };
            out.push((b.event.clone(), sequence, true));
        }
    }
    if out.is_empty() {
        return None; // A calendar must hold at least one component.
    }
    let from = f.replan_from.unwrap_or(inst.settings.horizon.start);
    let stamp = from
        .first_day()
        .and_hms_opt(0, 0, 0)
        .expect("midnight is a time")
        + chrono::Duration::seconds(i64::from(f.plan.review.round.saturating_sub(1)));
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut c = Ics {
        text: String::new(),
    };
    c.raw("BEGIN", "VCALENDAR");
    c.raw("VERSION", "2.0");
    c.text(
        "PRODID",
        &format!("-//alisplan//alisplan {}//EN", env!("CARGO_PKG_VERSION")),
    );
    c.raw("CALSCALE", "GREGORIAN");
    c.raw("METHOD", "PUBLISH");
    let title = if inst.settings.name.is_empty() {
        format!("{} {}", doc.id, doc.name)
    } else {
        format!("{}: {} {}", inst.settings.name, doc.id, doc.name)
    };
    c.text("X-WR-CALNAME", &title);
    for (e, sequence, cancelled) in out {
        c.raw("BEGIN", "VEVENT");
        c.raw("UID", &e.uid);
        c.raw("DTSTAMP", &stamp);
        c.raw("SEQUENCE", &sequence.to_string());
        c.raw("STATUS", if cancelled { "CANCELLED" } else { "CONFIRMED" });
        for line in &e.lines {
            c.text.push_str(&fold_line(line));
        }
        c.raw("END", "VEVENT");
    }
    c.raw("END", "VCALENDAR");
    Some(c.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text(r"a,b;c\d"), r"a\,b\;c\\d");
        assert_eq!(escape_text("one\ntwo\r\nthree"), r"one\ntwo\nthree");
        assert_eq!(escape_text("tab\there"), "tab here");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "ø".repeat(100));
        let folded = fold_line(&line);
        assert!(folded.ends_with("\r\n"));
        let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 1);
        for (i, p) in physical.iter().enumerate() {
            assert!(p.len() <= 75, "line {i} has {} octets", p.len());
            if i > 0 {
                assert!(p.starts_with(' '));
            }
        }
        // Unfolding gives the line back.
        let unfolded: String = physical
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
            .collect();
        assert_eq!(unfolded, line);
        assert_eq!(fold_line("SHORT:x"), "SHORT:x\r\n");
    }

    #[test]
    fn slugs_are_ascii_tokens() {
        assert_eq!(slug("ALIS-Vest"), "alis-vest");
        assert_eq!(slug("Ålesund / Møre"), "lesund-m-re");
        assert_eq!(slug(""), "plan");
    }
}
