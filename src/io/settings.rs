//! Reading `settings.toml` with errors located by line and column.

use std::path::Path;

use crate::error::{Diagnostic, Diagnostics};
use crate::io::table::{Lines, unix_newlines};
use crate::model::Settings;

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

/// Parse settings text, recording every problem in `diags`.
pub fn parse_settings(text: &str, diags: &mut Diagnostics) -> Settings {
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

/// Values that parse but make no sense.
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
    if s.horizon.start > s.horizon.end {
        bad(
            "horizon.end",
            format!(
                "[horizon] end {} is before start {}",
                s.horizon.end, s.horizon.start
            ),
        );
    }
    if s.weights.relocation_trip_divisor < 1.0 {
        bad(
            "weights.relocation_trip_divisor",
            "[weights] relocation_trip_divisor must be at least 1 (a weekly trip never costs more than daily ones)".into(),
        );
    }
    let sc = &s.scheme;
    if !(1..=100).contains(&sc.fte_floor) {
        bad(
            "scheme.fte_floor",
            "[scheme] fte_floor must be between 1 and 100".into(),
        );
    }
    if sc.min_block == 0 {
        bad(
            "scheme.min_block",
            "[scheme] min_block must be at least 1".into(),
        );
    }
    if sc.max_blocks == 0 {
        bad(
            "scheme.max_blocks",
            "[scheme] max_blocks must be at least 1".into(),
        );
    }
    if sc.new_months == 0 || sc.old_months == 0 {
        bad(
            if sc.new_months == 0 {
                "scheme.new_months"
            } else {
                "scheme.old_months"
            },
            "[scheme] months must be at least 1".into(),
        );
    }
    let m = &s.municipalities;
    if m.max_away == 0 {
        bad(
            "municipalities.max_away",
            "[municipalities] max_away must be at least 1, or no ALIS can ever serve in hospital"
                .into(),
        );
    }
    if m.substitute_cost.is_nan() || m.substitute_cost < 0.0 {
        bad(
            "municipalities.substitute_cost",
            "[municipalities] substitute_cost must be ≥ 0".into(),
        );
    }
    let g = &s.groups;
    if g.min_size == 0 || g.min_size > g.max_size {
        bad(
            "groups.min_size",
            format!(
                "[groups] min_size {} must be at least 1 and not above max_size {}",
                g.min_size, g.max_size
            ),
        );
    }
    if g.months == 0 || g.max_hospital_months > g.months {
        bad(
            "groups.max_hospital_months",
            "[groups] max_hospital_months must not exceed months (and months ≥ 1)".into(),
        );
    }
    if g.meetings_short == 0 || g.meetings_long == 0 {
        bad(
            if g.meetings_short == 0 {
                "groups.meetings_short"
            } else {
                "groups.meetings_long"
            },
            "[groups] meetings a year must be at least 1".into(),
        );
    }
    if g.max_per_municipality == 0 {
        bad(
            "groups.max_per_municipality",
            "[groups] max_per_municipality must be at least 1".into(),
        );
    }
    if s.solver.time_limit.is_nan() || s.solver.time_limit <= 0.0 {
        bad(
            "solver.time_limit",
            "[solver] time_limit must be above 0 seconds".into(),
        );
    }
    if !(0.0..1.0).contains(&s.solver.gap) {
        bad(
            "solver.gap",
            "[solver] gap must be at least 0 and below 1 (e.g. 0.01 for 1 %)".into(),
        );
    }
    if s.solver.threads == 0 {
        bad(
            "solver.threads",
            "[solver] threads must be at least 1".into(),
        );
    }
    let w = &s.weights;
    for (key, v) in [
        ("weights.commute", w.commute),
        ("weights.relocation", w.relocation),
        ("weights.substitute", w.substitute),
        ("weights.stagger", w.stagger),
        ("weights.preference", w.preference),
        ("weights.min_fill", w.min_fill),
        ("weights.worst_commute", w.worst_commute),
        ("weights.unplaced", w.unplaced),
        ("weights.block", w.block),
        ("weights.lateness", w.lateness),
        ("weights.relocation_trip_divisor", w.relocation_trip_divisor),
        ("groups.balance", g.balance),
        ("groups.travel", g.travel),
        ("groups.supervisor_travel", g.supervisor_travel),
        ("replan.shift", s.replan.shift),
        ("replan.change_hospital", s.replan.change_hospital),
        ("replan.accepted", s.replan.accepted),
    ] {
        if v.is_nan() || v < 0.0 {
            bad(
                key,
                format!("weight {key} = {v} is negative; weights are ≥ 0"),
            );
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
