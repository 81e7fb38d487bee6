//! Reading `settings.toml` with errors located by line and column.

use std::path::Path;

use crate::error::{Diagnostic, Diagnostics};
use crate::io::table::{Lines, unix_newlines};
use crate::model::bounds::{self, Bound, Number};
use crate::model::{MonthRange, Settings};

pub const FILE: &str = "settings.toml";

/// Read and check `settings.toml`; an absent file gives the defaults.
pub fn read_settings(dir: &Path, diags: &mut Diagnostics) -> Settings {
    let path = dir.join(FILE);
    if !path.exists() {
        diags.warn(Diagnostic::file(
            FILE,
            "missing-file",
            "no settings.toml: using the defaults for every setting",
        ));
        return Settings::default();
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            diags.error(Diagnostic::file(FILE, "unreadable", e.to_string()));
            return Settings::default();
        }
    };
    if let Err(e) = std::str::from_utf8(&bytes) {
        diags.error(not_utf8(&bytes, e.valid_up_to()));
        return Settings::default();
    }
    // One `\n` per physical line, so that lines are numbered as an editor shows them.
    let text = String::from_utf8_lossy(&unix_newlines(&bytes)).into_owned();
    parse_settings(&text, diags)
}

/// The error for a file that stops being UTF-8 at byte `at`: its line, the column and key
/// there, and the byte.
fn not_utf8(bytes: &[u8], at: usize) -> Diagnostic {
    let lines = Lines::of(bytes);
    let line = lines.line_at(at as u64);
    let line_start = usize::try_from(lines.start_of(line)).map_or(at, |s| s.min(at));
    let column = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count()
        + 1;
    let before = String::from_utf8_lossy(&unix_newlines(&bytes[..at])).into_owned();
    Diagnostic {
        column: Some((column, key_at(&before, line))),
        ..Diagnostic::line(
            FILE,
            line,
            "settings-format",
            format!(
                "the file is not valid UTF-8: byte {} of the line (byte {} of the file) is 0x{:02X}; save the file as UTF-8",
                at - line_start + 1,
                at + 1,
                bytes.get(at).copied().unwrap_or(0)
            ),
        )
    }
}

/// Keys of earlier versions whose meaning changed, with what replaced them: the objective
/// is in NOK now, so an old cost-point value must not be read silently as NOK.
const RENAMED: [(&str, &str); 2] = [
    (
        "weights.commute",
        "commute time is priced in NOK: set [weights] nok_per_hour (NOK per hour of travel) and workdays_per_month instead",
    ),
    (
        "weights.relocation_trip_divisor",
        "a relocated doctor's trip home is priced by [weights] home_trips_per_month (round trips per month) instead",
    ),
];

/// Report every key of an earlier version that the file still writes, naming what replaced
/// it; true if there was one.
fn renamed_keys(text: &str, diags: &mut Diagnostics) -> bool {
    let mut found = false;
    for (key, instead) in RENAMED {
        if let (Some(line), Some(column)) = locate(text, key) {
            found = true;
            diags.error(Diagnostic {
                column: Some((column, key.to_string())),
                ..Diagnostic::line(
                    FILE,
                    line,
                    "settings-renamed",
                    format!("{key} was replaced: {instead}"),
                )
            });
        }
    }
    found
}

/// Parse settings text, recording every problem in `diags`.
pub fn parse_settings(text: &str, diags: &mut Diagnostics) -> Settings {
    if renamed_keys(text, diags) {
        return Settings::default();
    }
    match toml::from_str::<Settings>(text) {
        Ok(s) => {
            check_settings(&s, text, diags);
            s
        }
        Err(e) => {
            let offset = e.span().map_or(0, |span| span.start);
            let (line, column) = line_col(text, offset);
            diags.error(Diagnostic {
                column: Some((column, key_at(text, line))),
                ..Diagnostic::line(FILE, line, "settings-format", e.message().to_string())
            });
            Settings::default()
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (u64, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The `[section]` a header line opens, if it is one.
fn section_of(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix('[')
        .and_then(|rest| rest.split(']').next())
        .map(str::trim)
}

/// The key written on `line` (`key = value`), if any.
fn key_of(line: &str) -> Option<&str> {
    let l = line.trim_start();
    if l.starts_with('#') || l.starts_with('[') {
        return None;
    }
    l.split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty())
}

/// The dotted name (`section.key`) of what is written on 1-based `line`, to name the
/// "column" of a settings error.
fn key_at(text: &str, line: u64) -> String {
    let mut section = String::new();
    for (i, l) in text.lines().enumerate() {
        if let Some(s) = section_of(l) {
            section = s.to_string();
        }
        if i as u64 + 1 == line {
            return match (key_of(l), section.as_str()) {
                (Some(k), "") => k.to_string(),
                (Some(k), s) => format!("{s}.{k}"),
                (None, "") => "settings".to_string(),
                (None, s) => s.to_string(),
            };
        }
    }
    "settings".to_string()
}

/// Line and 1-based column of the value of `section.key` (or a top-level `key`) where the
/// file writes it; otherwise the line of its `[section]` header, if written; otherwise
/// nothing (the value is a default).
fn locate(text: &str, dotted: &str) -> (Option<u64>, Option<usize>) {
    let (want_section, want_key) = dotted.rsplit_once('.').unwrap_or(("", dotted));
    let mut section = String::new();
    let mut header = None;
    for (i, l) in text.lines().enumerate() {
        if let Some(s) = section_of(l) {
            section = s.to_string();
            if section == want_section {
                header = Some(i as u64 + 1);
            }
            continue;
        }
        if section == want_section
            && key_of(l) == Some(want_key)
            && let Some(eq) = l.find('=')
        {
            let after = &l[eq + 1..];
            let pad = after.len() - after.trim_start().len();
            let column = l[..eq + 1 + pad].chars().count() + 1;
            return (Some(i as u64 + 1), Some(column));
        }
    }
    (header, None)
}

/// Values that parse but make no sense: each number within its documented bound, and the
/// pairs that must be in order.
fn check_settings(s: &Settings, text: &str, diags: &mut Diagnostics) {
    let mut bad = |key: &str, msg: String| {
        let (line, column) = locate(text, key);
        diags.error(Diagnostic {
            file: FILE.to_string(),
            line,
            column: column.map(|c| (c, key.to_string())),
            rule: "settings-value",
            message: msg,
        });
    };
    let h = &s.horizon;
    let sc = &s.scheme;
    let m = &s.municipalities;
    let w = &s.weights;
    let g = &s.groups;
    let r = &s.replan;
    let so = &s.solver;
    let whole: [(&str, u32, &Bound<u32>); 17] = [
        ("scheme.new_months", sc.new_months, &bounds::SERVICE_MONTHS),
        ("scheme.old_months", sc.old_months, &bounds::SERVICE_MONTHS),
        ("scheme.fte_floor", sc.fte_floor, &bounds::FTE_FLOOR),
        ("scheme.min_block", sc.min_block, &bounds::MIN_BLOCK),
        ("scheme.max_blocks", sc.max_blocks, &bounds::MAX_BLOCKS),
        (
            "scheme.max_commute",
            sc.max_commute,
            &bounds::TRAVEL_MINUTES,
        ),
        (
            "scheme.max_relocation_minutes",
            sc.max_relocation_minutes,
            &bounds::TRAVEL_MINUTES,
        ),
        ("municipalities.max_away", m.max_away, &bounds::MAX_AWAY),
        ("groups.min_size", g.min_size, &bounds::GROUP_MEMBERS),
        ("groups.max_size", g.max_size, &bounds::GROUP_MEMBERS),
        (
            "groups.max_per_municipality",
            g.max_per_municipality,
            &bounds::GROUP_MEMBERS,
        ),
        (
            "groups.max_start_spread",
            g.max_start_spread,
            &bounds::START_SPREAD,
        ),
        ("groups.months", g.months, &bounds::GROUP_MONTHS),
        (
            "groups.long_travel_minutes",
            g.long_travel_minutes,
            &bounds::TRAVEL_MINUTES,
        ),
        ("groups.meetings_short", g.meetings_short, &bounds::MEETINGS),
        ("groups.meetings_long", g.meetings_long, &bounds::MEETINGS),
        ("solver.threads", so.threads, &bounds::THREADS),
    ];
    within_bounds(&whole, &mut bad);
    let decimal: [(&str, f64, &Bound<f64>); 21] = [
        (
            "municipalities.substitute_cost",
            m.substitute_cost,
            &bounds::SUBSTITUTE_COST,
        ),
        ("weights.nok_per_hour", w.nok_per_hour, &bounds::WEIGHT),
        (
            "weights.workdays_per_month",
            w.workdays_per_month,
            &bounds::TRIPS_PER_MONTH,
        ),
        (
            "weights.home_trips_per_month",
            w.home_trips_per_month,
            &bounds::TRIPS_PER_MONTH,
        ),
        ("weights.relocation", w.relocation, &bounds::WEIGHT),
        ("weights.substitute", w.substitute, &bounds::WEIGHT),
        ("weights.stagger", w.stagger, &bounds::WEIGHT),
        ("weights.preference", w.preference, &bounds::WEIGHT),
        ("weights.min_fill", w.min_fill, &bounds::WEIGHT),
        ("weights.worst_commute", w.worst_commute, &bounds::WEIGHT),
        ("weights.unplaced", w.unplaced, &bounds::WEIGHT),
        ("weights.block", w.block, &bounds::WEIGHT),
        ("weights.lateness", w.lateness, &bounds::WEIGHT),
        ("groups.balance", g.balance, &bounds::WEIGHT),
        ("groups.travel", g.travel, &bounds::WEIGHT),
        (
            "groups.supervisor_travel",
            g.supervisor_travel,
            &bounds::WEIGHT,
        ),
        ("replan.shift", r.shift, &bounds::WEIGHT),
        ("replan.change_hospital", r.change_hospital, &bounds::WEIGHT),
        ("replan.accepted", r.accepted, &bounds::WEIGHT),
        ("solver.time_limit", so.time_limit, &bounds::TIME_LIMIT),
        ("solver.gap", so.gap, &bounds::GAP),
    ];
    within_bounds(&decimal, &mut bad);
    let months = u32::try_from(MonthRange::new(h.start, h.end).len()).unwrap_or(0);
    if h.start > h.end {
        bad(
            "horizon.end",
            format!("[horizon] end {} is before start {}", h.end, h.start),
        );
    } else if !bounds::HORIZON_MONTHS.contains(months) {
        bad(
            "horizon.end",
            format!(
                "[horizon] {}..{} has {months} months: {} must be {}",
                h.start,
                h.end,
                bounds::HORIZON_MONTHS.what,
                bounds::HORIZON_MONTHS.range()
            ),
        );
    }
    if g.min_size > g.max_size {
        bad(
            "groups.min_size",
            format!(
                "[groups] min_size {} must not be above max_size {}",
                g.min_size, g.max_size
            ),
        );
    }
    check_group_settings(g, &mut bad);
    if let Some(why) = so.backend.missing() {
        bad("solver.backend", format!("[solver] backend: {why}"));
    }
}

/// The `[groups]` settings of the group years and the groups' costs and travel limit.
fn check_group_settings(
    g: &crate::model::settings::GroupSettings,
    bad: &mut impl FnMut(&str, String),
) {
    if let Some(n) = g.max_hospital_months {
        bad(
            "groups.max_hospital_months",
            format!(
                "[groups] max_hospital_months = {n} is no longer read: the group-year rule (group_period_in_practice) now asks that one of the two group years (months / 2 each, from group_from) has no hospital month; remove the key"
            ),
        );
    }
    if !g.months.is_multiple_of(2) {
        bad(
            "groups.months",
            format!(
                "[groups] months = {} must be even: the group period is two group years of equal length",
                g.months
            ),
        );
    }
    within_bounds(
        &[
            ("groups.group_cost", g.group_cost, &bounds::WEIGHT),
            ("groups.min_practice_share", g.min_practice_share, &SHARE),
        ],
        bad,
    );
    if let Some(minutes) = g.max_member_minutes {
        within_bounds(
            &[(
                "groups.max_member_minutes",
                minutes,
                &bounds::TRAVEL_MINUTES,
            )],
            bad,
        );
    }
}

/// A share of a group year, 0 to 1.
const SHARE: Bound<f64> = Bound::new("a share of a year", 0.0, 1.0);

/// Report each setting `(key, value, bound)` whose value is outside its bound.
fn within_bounds<T: Number>(settings: &[(&str, T, &Bound<T>)], bad: &mut impl FnMut(&str, String)) {
    for &(key, v, bound) in settings {
        if let Err(why) = bound.check(v) {
            let (section, name) = key.split_once('.').unwrap_or(("", key));
            bad(key, format!("[{section}] {name} = {why}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_gives_defaults() {
        let mut d = Diagnostics::default();
        let s = parse_settings("", &mut d);
        assert!(!d.has_errors());
        assert_eq!(s.scheme.new_months, 6);
        assert_eq!(s.scheme.old_months, 12);
    }

    #[test]
    fn locates_a_misspelt_key() {
        let mut d = Diagnostics::default();
        parse_settings("name = \"x\"\n[weights]\ncomute = 2.0\n", &mut d);
        assert_eq!(d.errors[0].line, Some(3));
        assert_eq!(d.errors[0].rule, "settings-format");
    }

    #[test]
    fn names_the_key_that_replaced_an_old_one() {
        let mut d = Diagnostics::default();
        parse_settings("[weights]\nstagger = 1.0\ncommute = 1.0\n", &mut d);
        let e = &d.errors[0];
        assert_eq!((e.rule, e.line), ("settings-renamed", Some(3)));
        assert_eq!(e.column, Some((11, "weights.commute".to_string())));
        assert!(e.message.contains("nok_per_hour"), "{}", e.message);
    }

    #[test]
    fn names_the_key_and_points_at_the_value() {
        let mut d = Diagnostics::default();
        parse_settings(
            "[scheme]\nmin_block = 3\n[weights]\nmin_fill =   -1.0\n",
            &mut d,
        );
        let e = &d.errors[0];
        assert_eq!(e.line, Some(4));
        assert_eq!(e.column, Some((14, "weights.min_fill".to_string())));
        let mut d = Diagnostics::default();
        parse_settings("[groups]\nmin_size = \"six\"\n", &mut d);
        let e = &d.errors[0];
        assert_eq!((e.rule, e.line), ("settings-format", Some(2)));
        assert_eq!(e.column, Some((12, "groups.min_size".to_string())));
    }

    #[test]
    fn a_default_in_conflict_points_at_its_section() {
        // min_size keeps its default 6, above the max_size written here.
        let mut d = Diagnostics::default();
        parse_settings("name = \"x\"\n\n[groups]\nmax_size = 4\n", &mut d);
        let e = &d.errors[0];
        assert_eq!((e.line, e.column.clone()), (Some(3), None));
        assert!(e.message.contains("min_size 6"), "{}", e.message);
    }

    #[test]
    fn rejects_a_municipality_default_of_zero_away() {
        let mut d = Diagnostics::default();
        parse_settings("[municipalities]\nmax_away = 0\n", &mut d);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.errors[0].line, Some(2));
    }

    #[test]
    fn names_the_line_and_byte_where_utf8_decoding_fails() {
        let text = b"name = \"x\"\r\n[weights]\r\ncommute = 1.0 # caf\xe9\r\n";
        // The Latin-1 "é" is byte 43 (offset 42).
        let e = not_utf8(text, 42);
        assert_eq!(e.line, Some(3));
        assert_eq!(e.column, Some((20, "weights.commute".to_string())));
        assert!(
            e.message
                .contains("byte 20 of the line (byte 43 of the file) is 0xE9"),
            "{}",
            e.message
        );
    }

    #[test]
    fn rejects_a_horizon_that_ends_before_it_starts() {
        let mut d = Diagnostics::default();
        parse_settings(
            "[horizon]\nstart = \"2028-01\"\nend = \"2027-01\"\n",
            &mut d,
        );
        assert_eq!(d.errors[0].rule, "settings-value");
        assert_eq!(d.errors[0].line, Some(3));
    }
}
