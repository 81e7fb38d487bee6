//! Reading `settings.toml` with errors located by line and column.

use std::path::Path;

use crate::error::{Diagnostic, Diagnostics};
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
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            diags.error(Diagnostic::file(FILE, "unreadable", e.to_string()));
            return Settings::default();
        }
    };
    parse_settings(&text, diags)
}

/// Parse settings text, recording every problem in `diags`.
pub fn parse_settings(text: &str, diags: &mut Diagnostics) -> Settings {
    match toml::from_str::<Settings>(text) {
        Ok(s) => {
            check_settings(&s, text, diags);
            s
        }
        Err(e) => {
            let (line, column) = e
                .span()
                .map(|span| line_col(text, span.start))
                .unwrap_or((1, 1));
            diags.error(Diagnostic {
                column: Some((column, "settings".into())),
                ..Diagnostic::line(FILE, line, "settings-format", e.message().to_string())
            });
            Settings::default()
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (u64, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The line on which `key = ` is first written, for locating value errors.
fn key_line(text: &str, key: &str) -> u64 {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i as u64 + 1)
}

/// Values that parse but make no sense.
fn check_settings(s: &Settings, text: &str, diags: &mut Diagnostics) {
    let mut bad = |key: &str, msg: String| {
        diags.error(Diagnostic::line(
            FILE,
            key_line(text, key),
            "settings-value",
            msg,
        ));
    };
    if s.horizon.start > s.horizon.end {
        bad(
            "end",
            format!(
                "[horizon] end {} is before start {}",
                s.horizon.end, s.horizon.start
            ),
        );
    }
    let sc = &s.scheme;
    if !(1..=100).contains(&sc.fte_floor) {
        bad(
            "fte_floor",
            "[scheme] fte_floor must be between 1 and 100".into(),
        );
    }
    if sc.min_block == 0 {
        bad("min_block", "[scheme] min_block must be at least 1".into());
    }
    if sc.max_blocks == 0 {
        bad(
            "max_blocks",
            "[scheme] max_blocks must be at least 1".into(),
        );
    }
    if sc.new_months == 0 || sc.old_months == 0 {
        bad("new_months", "[scheme] months must be at least 1".into());
    }
    let g = &s.groups;
    if g.min_size == 0 || g.min_size > g.max_size {
        bad(
            "min_size",
            format!(
                "[groups] min_size {} must be at least 1 and not above max_size {}",
                g.min_size, g.max_size
            ),
        );
    }
    if g.months == 0 || g.max_hospital_months > g.months {
        bad(
            "max_hospital_months",
            "[groups] max_hospital_months must not exceed months (and months ≥ 1)".into(),
        );
    }
    if g.meetings_short == 0 || g.meetings_long == 0 {
        bad(
            "meetings_short",
            "[groups] meetings a year must be at least 1".into(),
        );
    }
    if g.max_per_municipality == 0 {
        bad(
            "max_per_municipality",
            "[groups] max_per_municipality must be at least 1".into(),
        );
    }
    if s.solver.time_limit.is_nan() || s.solver.time_limit <= 0.0 {
        bad(
            "time_limit",
            "[solver] time_limit must be above 0 seconds".into(),
        );
    }
    if !(0.0..1.0).contains(&s.solver.gap) {
        bad(
            "gap",
            "[solver] gap must be at least 0 and below 1 (e.g. 0.01 for 1 %)".into(),
        );
    }
    if s.solver.threads == 0 {
        bad("threads", "[solver] threads must be at least 1".into());
    }
    let w = &s.weights;
    for (key, v) in [
        ("commute", w.commute),
        ("relocation", w.relocation),
        ("substitute", w.substitute),
        ("stagger", w.stagger),
        ("preference", w.preference),
        ("min_fill", w.min_fill),
        ("worst_commute", w.worst_commute),
        ("unplaced", w.unplaced),
        ("block", w.block),
        ("lateness", w.lateness),
        ("relocation_trip_divisor", w.relocation_trip_divisor),
        ("balance", g.balance),
        ("travel", g.travel),
        ("supervisor_travel", g.supervisor_travel),
        ("shift", s.replan.shift),
        ("change_hospital", s.replan.change_hospital),
        ("accepted", s.replan.accepted),
    ] {
        if v < 0.0 {
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
