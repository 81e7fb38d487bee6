//! `calendars/<doctor-id>.ics`: each doctor's hospital blocks and guidance-group period as
//! all-day events, written by hand to RFC 5545: CRLF line ends, lines folded at 75 octets,
//! TEXT values escaped, and everything derived from the plan so the same plan gives the
//! same bytes.
//!
//! - `UID` is built from the doctor, hospital, specialty and start month (and the
//!   instance name), so a calendar program recognises the same block on re-import.
//! - `DTSTAMP` is 00:00 UTC on the first day of the month the plan was made from: the
//!   horizon start, or `replan.from` for a re-plan (so a re-plan's events carry a later
//!   stamp than the plan they replace).
//! - `DTSTART;VALUE=DATE` is the first day of the first month, `DTEND;VALUE=DATE` the
//!   first day after the last month (exclusive, as RFC 5545 says for all-day events).

use std::fmt::Write;

use chrono::NaiveDate;

use super::facts::Facts;
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

/// An all-day event of a calendar.
struct Event {
    uid: String,
    first: Month,
    last: Month,
    summary: String,
    location: String,
    description: String,
    categories: &'static str,
}

/// One calendar per doctor who has a block or a group period, in doctor order.
pub(crate) fn calendars(f: &Facts) -> Vec<(String, String)> {
    f.inst
        .doctor_ids()
        .filter_map(|d| {
            let text = calendar(f, d)?;
            Some((format!("{}.ics", f.inst.doctor(d).id), text))
        })
        .collect()
}

fn events(f: &Facts, d: DoctorId) -> Vec<Event> {
    let inst = f.inst;
    let doc = inst.doctor(d);
    let domain = format!("{}.alisplan", slug(&inst.settings.name));
    let mut events = Vec::new();
    for b in &f.blocks_of[d.index()] {
        let dept = inst.department(b.department);
        let h = inst.hospital(dept.hospital);
        let spec = inst.specialty(dept.specialty);
        let leave: Vec<String> = doc
            .leave
            .iter()
            .filter(|l| l.range.overlap(&b.span()) > 0)
            .map(|l| format!("{} leave {}", l.kind, l.range))
            .collect();
        let mut description = format!(
            "Hospital service (ALIS) for {} ({}): {} months in {} at {}, {}.\nOne-way commute from home: {} min{}.",
            doc.name,
            doc.id,
            b.months,
            spec,
            h.name,
            b.span(),
            b.commute_minutes,
            if b.relocate {
                "; the doctor lives near the hospital during the week"
            } else {
                ""
            }
        );
        if !leave.is_empty() {
            let _ = write!(description, "\nInside the block: {}.", leave.join(", "));
        }
        events.push(Event {
            uid: format!("{}-{}-{}-{}@{domain}", doc.id, h.id, spec, b.start),
            first: b.start,
            last: b.end,
            summary: format!("Hospital service: {}, {}", h.name, spec),
            location: h.name.clone(),
            description,
            categories: "HOSPITAL SERVICE",
        });
    }
    if let Some(period) = doc.group_period(inst.settings.groups.months) {
        let (summary, location, description) = match f.group_of[d.index()] {
            Some((g, minutes)) => {
                let venue = &inst.venues[g.venue.index()];
                let sup = &inst.supervisors[g.supervisor.index()];
                (
                    format!("Guidance group {} at {}", g.id, venue.name),
                    venue.name.clone(),
                    format!(
                        "Guidance group {} ({} members), led by {}. Meets at {}; one-way travel from home: {} min. Group period {}.",
                        g.id,
                        g.members.len(),
                        sup.name,
                        venue.name,
                        minutes,
                        period
                    ),
                )
            }
            None => (
                "Guidance-group period".to_string(),
                String::new(),
                format!(
                    "The two-year guidance-group period {period}; the group is not in this plan."
                ),
            ),
        };
        events.push(Event {
            uid: format!("{}-group-{}@{domain}", doc.id, period.first),
            first: period.first,
            last: period.last,
            summary,
            location,
            description,
            categories: "GUIDANCE GROUP",
        });
    }
    events
}

fn calendar(f: &Facts, d: DoctorId) -> Option<String> {
    let inst = f.inst;
    let doc = inst.doctor(d);
    let events = events(f, d);
    if events.is_empty() {
        return None; // A calendar must hold at least one component.
    }
    let stamp = f.replan_from.unwrap_or(inst.settings.horizon.start);
    let stamp = format!("{}T000000Z", date(stamp.first_day()));
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
    for e in events {
        c.raw("BEGIN", "VEVENT");
        c.text("UID", &e.uid);
        c.raw("DTSTAMP", &stamp);
        c.raw("DTSTART;VALUE=DATE", &date(e.first.first_day()));
        c.raw("DTEND;VALUE=DATE", &date(e.last.next_first_day()));
        c.text("SUMMARY", &e.summary);
        if !e.location.is_empty() {
            c.text("LOCATION", &e.location);
        }
        c.text("DESCRIPTION", &e.description);
        c.raw("CATEGORIES", e.categories);
        c.raw("TRANSP", "TRANSPARENT");
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
