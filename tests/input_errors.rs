//! One test per kind of input error, through the binary: copy `instances/alis-vest`, corrupt
//! one thing, run `alisplan check`, and require exit 1, a message naming the file, the line,
//! the column (where one cell is at fault) and the rule, and an untouched instance folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

const VEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/instances/alis-vest");

/// A private copy of `instances/alis-vest` to corrupt.
struct Copy {
    _tmp: TempDir,
    dir: PathBuf,
}

/// Where a diagnostic must point.
struct At<'a> {
    file: &'a str,
    line: Option<u64>,
    /// 1-based column and header name, when one cell is at fault.
    column: Option<(usize, &'a str)>,
    rule: &'a str,
}

impl Copy {
    fn new() -> Copy {
        let tmp = TempDir::new().expect("temp dir");
        let dir = tmp.path().join("alis-vest");
        fs::create_dir(&dir).expect("create copy");
        for entry in fs::read_dir(VEST).expect("read alis-vest") {
            let entry = entry.expect("dir entry");
            fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy file");
        }
        Copy { _tmp: tmp, dir }
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.dir.join(file)).expect("read instance file")
    }

    fn write(&self, file: &str, text: &str) {
        fs::write(self.dir.join(file), text).expect("write instance file");
    }

    /// 1-based index and header name of `col` in `file`.
    fn column(&self, file: &str, col: &str) -> (usize, String) {
        let text = self.read(file);
        let header = text.lines().next().expect("header");
        let i = header
            .split(',')
            .position(|h| h == col)
            .unwrap_or_else(|| panic!("{file} has no column {col}"));
        (i + 1, col.to_string())
    }

    /// The 1-based line of the first row of `file` that starts with `key,`.
    fn line_of(&self, file: &str, key: &str) -> u64 {
        self.read(file)
            .lines()
            .position(|l| l.starts_with(&format!("{key},")))
            .unwrap_or_else(|| panic!("{file} has no row starting with {key}")) as u64
            + 1
    }

    /// Replace the cell in column `col` of the row starting with `key`; returns the place
    /// the error must be reported at.
    fn set_cell(&self, file: &str, key: &str, col: &str, value: &str) -> (u64, usize) {
        let line = self.line_of(file, key);
        let (c, _) = self.column(file, col);
        let text = self.read(file);
        let out: Vec<String> = text
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i as u64 + 1 == line {
                    let mut cells: Vec<&str> = l.split(',').collect();
                    cells[c - 1] = value;
                    cells.join(",")
                } else {
                    l.to_string()
                }
            })
            .collect();
        self.write(file, &(out.join("\n") + "\n"));
        (line, c)
    }

    /// Replace the whole line starting with `key`.
    fn replace_row(&self, file: &str, key: &str, row: &str) -> u64 {
        let line = self.line_of(file, key);
        let text = self.read(file);
        let out: Vec<&str> = text
            .lines()
            .enumerate()
            .map(|(i, l)| if i as u64 + 1 == line { row } else { l })
            .collect();
        self.write(file, &(out.join("\n") + "\n"));
        line
    }

    /// Append a row; returns its line.
    fn append(&self, file: &str, row: &str) -> u64 {
        let mut text = self.read(file);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(row);
        text.push('\n');
        self.write(file, &text);
        text.lines().count() as u64
    }

    /// The line of `settings.toml` on which `key` (a key unique in the file) is set.
    fn setting_line(&self, key: &str) -> u64 {
        let prefix = format!("{key} = ");
        self.read("settings.toml")
            .lines()
            .position(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("settings.toml has no key {key}")) as u64
            + 1
    }

    /// Set `key` (a key unique in `settings.toml`, e.g. `commute`) to `value`; returns the
    /// line and the column of the value, where an error about it must point.
    fn set_setting(&self, key: &str, value: &str) -> (u64, usize) {
        let text = self.read("settings.toml");
        let prefix = format!("{key} = ");
        let mut at = None;
        let out: Vec<String> = text
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if l.starts_with(&prefix) {
                    at = Some((i as u64 + 1, prefix.chars().count() + 1));
                    format!("{prefix}{value}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        self.write("settings.toml", &(out.join("\n") + "\n"));
        at.unwrap_or_else(|| panic!("settings.toml has no key {key}"))
    }

    /// Set a setting and require a `settings-value` error at it, naming the bound.
    fn setting_fails(&self, key: &str, dotted: &str, value: &str) -> String {
        let (line, column) = self.set_setting(key, value);
        let stderr = self.fails_at(At {
            file: "settings.toml",
            line: Some(line),
            column: Some((column, dotted)),
            rule: "settings-value",
        });
        assert!(stderr.contains("out of bounds"), "{stderr}");
        stderr
    }

    /// Write `file` again with every line ending as `ending` (`"\r\n"` or `"\r"`). The
    /// other helpers write `\n`, so call this last.
    fn line_endings(&self, file: &str, ending: &str) {
        let text = self.read(file).replace('\n', ending);
        self.write(file, &text);
    }

    /// Every file of the instance folder with its bytes.
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        fs::read_dir(&self.dir)
            .expect("list instance")
            .map(|e| {
                let e = e.expect("dir entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).expect("read file"),
                )
            })
            .collect()
    }

    /// Run `alisplan check` and require exit code `code`; returns standard error. The
    /// instance folder must be unchanged afterwards.
    fn check(&self, code: i32) -> String {
        let before = self.snapshot();
        let out = Command::cargo_bin("alisplan")
            .expect("binary")
            .arg("check")
            .arg(&self.dir)
            .output()
            .expect("run alisplan");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "exit code; stderr:\n{stderr}\nstdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(
            before,
            self.snapshot(),
            "check must not write into the instance folder"
        );
        stderr
    }

    /// Run `check`, require exit 1 and a diagnostic at `at`.
    fn fails_at(&self, at: At) -> String {
        let stderr = self.check(1);
        assert_reported(&stderr, &at);
        stderr
    }

    /// Corrupt one cell and require the error at that cell with `rule`.
    fn cell_fails(&self, file: &str, key: &str, col: &str, value: &str, rule: &str) -> String {
        let (line, c) = self.set_cell(file, key, col, value);
        self.fails_at(At {
            file,
            line: Some(line),
            column: Some((c, col)),
            rule,
        })
    }
}

/// Standard error must have a diagnostic line `file, line N, column C (name): … [rule]`.
fn assert_reported(stderr: &str, at: &At) {
    let mut prefix = at.file.to_string();
    if let Some(line) = at.line {
        prefix.push_str(&format!(", line {line}"));
    }
    if let Some((c, name)) = at.column {
        prefix.push_str(&format!(", column {c} ({name})"));
    }
    prefix.push(':');
    let suffix = format!("[{}]", at.rule);
    assert!(
        stderr
            .lines()
            .map(str::trim)
            .any(|l| l.starts_with(&prefix) && l.ends_with(&suffix)),
        "expected a line starting with '{prefix}' and ending with '{suffix}' in:\n{stderr}"
    );
}

/// Number of diagnostics (error lines) listed on standard error.
fn problems(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.starts_with("  ") && l.trim_end().ends_with(']'))
        .count()
}

#[test]
fn the_unchanged_instance_is_valid() {
    let c = Copy::new();
    let stderr = c.check(0);
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn ragged_row_is_malformed_csv() {
    let c = Copy::new();
    let line = c.replace_row(
        "doctors.csv",
        "V03",
        "V03,Kari Nygård,bomlo,new,100,2027-01,2028-12,,60,no,2027-01,extra",
    );
    let stderr = c.fails_at(At {
        file: "doctors.csv",
        line: Some(line),
        column: None,
        rule: "csv-format",
    });
    // A file that cannot be read does not drown the planner in follow-on errors about the
    // doctors it would have defined.
    assert_eq!(problems(&stderr), 1, "{stderr}");
}

#[test]
fn missing_required_column() {
    let c = Copy::new();
    let text = c.read("hospitals.csv");
    let cut: Vec<String> = text
        .lines()
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(","))
        .collect();
    c.write("hospitals.csv", &(cut.join("\n") + "\n"));
    let stderr = c.fails_at(At {
        file: "hospitals.csv",
        line: Some(1),
        column: None,
        rule: "missing-column",
    });
    assert!(stderr.contains("'place'"), "{stderr}");
    assert_eq!(problems(&stderr), 1, "{stderr}");
}

#[test]
fn unknown_column_is_only_a_warning() {
    let c = Copy::new();
    let text = c.read("hospitals.csv");
    let wider: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}", if i == 0 { "colour" } else { "blue" }))
        .collect();
    c.write("hospitals.csv", &(wider.join("\n") + "\n"));
    let stderr = c.check(0);
    assert!(
        stderr.contains(
            "warning: hospitals.csv, line 1, column 5 (colour): unknown column 'colour' is ignored"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("[unknown-column]"), "{stderr}");
}

#[test]
fn bad_whole_number() {
    Copy::new().cell_fails(
        "departments.csv",
        "haukeland,surgery",
        "capacity",
        "two",
        "whole-number",
    );
}

#[test]
fn fractional_minutes_are_not_a_whole_number() {
    Copy::new().cell_fails(
        "network.csv",
        "bergen,haukeland",
        "minutes",
        "8.5",
        "whole-number",
    );
}

#[test]
fn bad_decimal() {
    Copy::new().cell_fails("places.csv", "odda", "lat", "60.06.9", "number");
}

#[test]
fn latitude_out_of_range() {
    Copy::new().cell_fails("places.csv", "odda", "lat", "160.0", "coordinate");
}

#[test]
fn bad_month() {
    let stderr =
        Copy::new().cell_fails("doctors.csv", "V05", "earliest", "2027-13", "month-format");
    assert!(stderr.contains("'2027-13' is not a month"), "{stderr}");
}

#[test]
fn a_full_date_is_read_as_its_month() {
    let c = Copy::new();
    c.set_cell("leave.csv", "V15", "from", "2028-01-10");
    c.set_cell("leave.csv", "V15", "to", "2028-02-20");
    c.check(0);
}

#[test]
fn an_impossible_date_is_bad() {
    Copy::new().cell_fails("leave.csv", "V15", "to", "2028-02-30", "month-format");
}

#[test]
fn leave_from_after_to() {
    Copy::new().cell_fails("leave.csv", "V07", "to", "2027-08", "range-order");
}

#[test]
fn capacity_override_from_after_to() {
    Copy::new().cell_fails(
        "capacity.csv",
        "stord-sjukehus,medicine",
        "to",
        "2026-12",
        "range-order",
    );
}

#[test]
fn doctor_earliest_after_latest_end() {
    Copy::new().cell_fails("doctors.csv", "V09", "latest_end", "2026-06", "range-order");
}

#[test]
fn duplicate_doctor_id() {
    let c = Copy::new();
    let line = c.append(
        "doctors.csv",
        "V04,Someone Else,stord,new,100,2027-01,2029-12,,,no,2027-03",
    );
    let stderr = c.fails_at(At {
        file: "doctors.csv",
        line: Some(line),
        column: Some((1, "id")),
        rule: "duplicate-id",
    });
    assert!(stderr.contains("already defined on line 5"), "{stderr}");
}

#[test]
fn duplicate_place_id() {
    let c = Copy::new();
    let line = c.append("places.csv", "odda,Odda again,60.07,6.55");
    c.fails_at(At {
        file: "places.csv",
        line: Some(line),
        column: Some((1, "id")),
        rule: "duplicate-id",
    });
}

#[test]
fn duplicate_department() {
    let c = Copy::new();
    let line = c.append("departments.csv", "voss-sjukehus,surgery,2,,");
    c.fails_at(At {
        file: "departments.csv",
        line: Some(line),
        column: Some((1, "hospital")),
        rule: "duplicate-id",
    });
}

#[test]
fn duplicate_venue() {
    let c = Copy::new();
    let line = c.append("venues.csv", "voss,2,Voss again");
    c.fails_at(At {
        file: "venues.csv",
        line: Some(line),
        column: Some((1, "place")),
        rule: "duplicate-id",
    });
}

#[test]
fn unknown_place_in_network() {
    let stderr = Copy::new().cell_fails(
        "network.csv",
        "os,hagevik",
        "to",
        "hagevk",
        "unknown-reference",
    );
    assert!(stderr.contains("did you mean 'hagevik'?"), "{stderr}");
}

#[test]
fn unknown_place_in_municipalities() {
    Copy::new().cell_fails(
        "municipalities.csv",
        "kvam",
        "place",
        "nowhere",
        "unknown-reference",
    );
}

#[test]
fn unknown_place_in_hospitals() {
    let stderr = Copy::new().cell_fails(
        "hospitals.csv",
        "hagevik",
        "place",
        "nowhere",
        "unknown-reference",
    );
    // The department of the rejected hospital is not reported as unknown too.
    assert_eq!(problems(&stderr), 1, "{stderr}");
}

#[test]
fn unknown_municipality_in_doctors() {
    let stderr = Copy::new().cell_fails(
        "doctors.csv",
        "V12",
        "municipality",
        "atlantis",
        "unknown-reference",
    );
    // V12's preference is not reported as naming an unknown doctor too.
    assert_eq!(problems(&stderr), 1, "{stderr}");
}

#[test]
fn unknown_hospital_in_departments() {
    Copy::new().cell_fails(
        "departments.csv",
        "hagevik,orthopaedics",
        "hospital",
        "hagevk",
        "unknown-reference",
    );
}

#[test]
fn unknown_doctor_in_leave() {
    Copy::new().cell_fails("leave.csv", "V13", "doctor", "V99", "unknown-reference");
}

#[test]
fn unknown_specialty_in_requirements() {
    let stderr = Copy::new().cell_fails(
        "requirements.csv",
        "V01",
        "specialty",
        "cardiology",
        "unknown-reference",
    );
    assert!(
        stderr.contains("unknown specialty 'cardiology'"),
        "{stderr}"
    );
}

#[test]
fn unknown_hospital_in_preferences() {
    Copy::new().cell_fails(
        "preferences.csv",
        "V14",
        "hospital",
        "vos",
        "unknown-reference",
    );
}

#[test]
fn fte_below_the_floor() {
    let stderr = Copy::new().cell_fails("doctors.csv", "V06", "fte", "40", "fte-floor");
    assert!(stderr.contains("below the floor of 50 %"), "{stderr}");
}

#[test]
fn fte_above_full_time() {
    Copy::new().cell_fails("doctors.csv", "V06", "fte", "120", "fte-range");
}

#[test]
fn negative_capacity() {
    let stderr = Copy::new().cell_fails(
        "departments.csv",
        "odda-sjukehus,surgery",
        "capacity",
        "-1",
        "negative",
    );
    assert!(stderr.contains("'-1' is negative"), "{stderr}");
}

#[test]
fn negative_capacity_override() {
    Copy::new().cell_fails(
        "capacity.csv",
        "odda-sjukehus,surgery",
        "capacity",
        "-1",
        "negative",
    );
}

#[test]
fn negative_minutes() {
    Copy::new().cell_fails(
        "network.csv",
        "odda,odda-sjukehus",
        "minutes",
        "-3",
        "negative",
    );
}

#[test]
fn negative_km() {
    Copy::new().cell_fails("network.csv", "odda,odda-sjukehus", "km", "-2", "negative");
}

#[test]
fn negative_max_commute() {
    Copy::new().cell_fails("doctors.csv", "V01", "max_commute", "-30", "negative");
}

#[test]
fn negative_substitute_cost() {
    Copy::new().cell_fails(
        "municipalities.csv",
        "gulen",
        "substitute_cost",
        "-100",
        "negative",
    );
}

#[test]
fn negative_requirement_months() {
    Copy::new().cell_fails("requirements.csv", "V01", "months", "-6", "negative");
}

#[test]
fn min_fill_above_capacity() {
    let stderr = Copy::new().cell_fails(
        "departments.csv",
        "laerdal-sjukehus,medicine",
        "min_fill",
        "2",
        "min-fill-above-capacity",
    );
    assert!(
        stderr.contains("min_fill 2 is above the capacity 1"),
        "{stderr}"
    );
}

#[test]
fn start_month_outside_the_year() {
    Copy::new().cell_fails(
        "departments.csv",
        "haukeland,medicine",
        "start_months",
        "2;13",
        "start-month",
    );
}

#[test]
fn start_month_zero() {
    Copy::new().cell_fails(
        "departments.csv",
        "forde-sjukehus,surgery",
        "start_months",
        "0",
        "start-month",
    );
}

#[test]
fn place_not_connected_to_the_network() {
    let c = Copy::new();
    let line = c.append("places.csv", "utsira,Utsira,59.307,4.882");
    let stderr = c.fails_at(At {
        file: "places.csv",
        line: Some(line),
        column: Some((1, "id")),
        rule: "disconnected-place",
    });
    assert!(stderr.contains("place 'utsira'"), "{stderr}");
    assert_eq!(problems(&stderr), 1, "{stderr}");
}

#[test]
fn window_shorter_than_the_required_months() {
    let c = Copy::new();
    // V02 is on the new scheme (6 months) but may only serve 2027-01..2027-04.
    let (line, col) = c.set_cell("doctors.csv", "V02", "latest_end", "2027-04");
    let stderr = c.fails_at(At {
        file: "doctors.csv",
        line: Some(line),
        column: Some((col, "latest_end")),
        rule: "window-too-short",
    });
    assert!(stderr.contains("doctor V02 needs 6"), "{stderr}");
}

#[test]
fn leave_that_fills_the_window() {
    let c = Copy::new();
    // V15 needs 6 months; 2027-01..2029-12 with leave 2027-01..2029-08 leaves 4.
    c.set_cell("leave.csv", "V15", "from", "2027-01");
    c.set_cell("leave.csv", "V15", "to", "2029-08");
    let line = c.line_of("doctors.csv", "V15");
    let stderr = c.check(1);
    assert!(
        stderr.contains(&format!("doctors.csv, line {line}"))
            && stderr.contains("[window-too-short]"),
        "{stderr}"
    );
    assert!(stderr.contains("on leave"), "{stderr}");
}

#[test]
fn misspelt_settings_key() {
    let c = Copy::new();
    let text = c.read("settings.toml");
    let line = c.setting_line("stagger");
    c.write(
        "settings.toml",
        &text.replace("\nstagger = ", "\nstager = "),
    );
    let stderr = c.fails_at(At {
        file: "settings.toml",
        line: Some(line),
        column: Some((1, "weights.stager")),
        rule: "settings-format",
    });
    assert!(stderr.contains("unknown field `stager`"), "{stderr}");
}

#[test]
fn settings_value_of_the_wrong_type() {
    let c = Copy::new();
    let text = c.read("settings.toml");
    let line = c.setting_line("min_size");
    c.write(
        "settings.toml",
        &text.replace("\nmin_size = 5", "\nmin_size = \"five\""),
    );
    c.fails_at(At {
        file: "settings.toml",
        line: Some(line),
        column: Some((12, "groups.min_size")),
        rule: "settings-format",
    });
}

#[test]
fn horizon_ends_before_it_starts() {
    let c = Copy::new();
    let text = c.read("settings.toml");
    let line = c.setting_line("end");
    c.write(
        "settings.toml",
        &text.replace("end = \"2030-12\"", "end = \"2026-12\""),
    );
    let stderr = c.fails_at(At {
        file: "settings.toml",
        line: Some(line),
        column: Some((7, "horizon.end")),
        rule: "settings-value",
    });
    assert!(stderr.contains("before start 2027-01"), "{stderr}");
    // The broken horizon is the one problem; the doctors' windows are not blamed for it.
    assert_eq!(problems(&stderr), 1, "{stderr}");
}

#[test]
fn settings_max_away_zero() {
    let c = Copy::new();
    let text = c.read("settings.toml");
    c.write(
        "settings.toml",
        &text.replace("\nmax_away = 1 ", "\nmax_away = 0 "),
    );
    let stderr = c.check(1);
    assert!(
        stderr.contains("settings.toml, line 17, column 12 (municipalities.max_away)")
            && stderr.contains("[settings-value]"),
        "{stderr}"
    );
}

#[test]
fn missing_required_file() {
    let c = Copy::new();
    fs::remove_file(c.dir.join("hospitals.csv")).expect("remove");
    let stderr = c.fails_at(At {
        file: "hospitals.csv",
        line: None,
        column: None,
        rule: "missing-file",
    });
    assert_eq!(problems(&stderr), 1, "{stderr}");
}

#[test]
fn missing_instance_folder() {
    let c = Copy::new();
    let out = Command::cargo_bin("alisplan")
        .expect("binary")
        .arg("check")
        .arg(c.dir.join("no-such-folder"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[missing-folder]"));
}

#[test]
fn bad_yes_no() {
    Copy::new().cell_fails("doctors.csv", "V04", "relocate", "maybe", "yes-no");
}

#[test]
fn bad_scheme() {
    Copy::new().cell_fails("doctors.csv", "V08", "scheme", "older", "scheme");
}

#[test]
fn bad_edge_mode() {
    Copy::new().cell_fails(
        "network.csv",
        "halhjem,sandvikvag",
        "mode",
        "boat",
        "edge-mode",
    );
}

#[test]
fn bad_id() {
    Copy::new().cell_fails("doctors.csv", "V10", "id", "V 10", "id-format");
}

#[test]
fn empty_required_cell() {
    Copy::new().cell_fails("doctors.csv", "V10", "name", "", "empty-cell");
}

#[test]
fn overlapping_capacity_overrides() {
    let c = Copy::new();
    let line = c.append("capacity.csv", "forde-sjukehus,medicine,2028-01,2028-06,3");
    let stderr = c.fails_at(At {
        file: "capacity.csv",
        line: Some(line),
        column: Some((3, "from")),
        rule: "overlapping-override",
    });
    assert!(stderr.contains("the override on line 2"), "{stderr}");
}

#[test]
fn override_for_a_department_that_does_not_exist() {
    Copy::new().cell_fails(
        "capacity.csv",
        "voss-sjukehus,surgery",
        "specialty",
        "psychiatry",
        "unknown-reference",
    );
}

#[test]
fn a_department_closed_all_horizon_is_a_warning() {
    let c = Copy::new();
    c.append(
        "capacity.csv",
        "nordfjord-sjukehus,medicine,2027-01,2030-12,0",
    );
    let stderr = c.check(0);
    assert!(
        stderr.contains("warning: departments.csv, line 23") && stderr.contains("[no-capacity]"),
        "{stderr}"
    );
}

#[test]
fn a_preference_of_weight_zero_is_a_warning() {
    let c = Copy::new();
    let (line, col) = c.set_cell("preferences.csv", "V10", "weight", "0");
    let stderr = c.check(0);
    assert!(
        stderr.contains(&format!(
            "warning: preferences.csv, line {line}, column {col} (weight)"
        )) && stderr.contains("[zero-weight]"),
        "{stderr}"
    );
}

#[test]
fn a_duplicate_preference_is_an_error() {
    let c = Copy::new();
    let line = c.append("preferences.csv", "V03,stord-sjukehus,1,");
    c.fails_at(At {
        file: "preferences.csv",
        line: Some(line),
        column: Some((2, "hospital")),
        rule: "duplicate-id",
    });
}

#[test]
fn requirement_scheme_mismatch() {
    let c = Copy::new();
    // V02 is on the new scheme.
    c.append("requirements.csv", "V02,medicine,12,,,old");
    c.check(1);
}

#[test]
fn unknown_decision_in_locks() {
    let c = Copy::new();
    c.write(
        "locks.csv",
        "doctor,hospital,specialty,start,months,decision\nV01,haukeland,,,,maybe\n",
    );
    c.fails_at(At {
        file: "locks.csv",
        line: Some(2),
        column: Some((6, "decision")),
        rule: "decision",
    });
}

#[test]
fn every_problem_is_listed_in_one_run() {
    let c = Copy::new();
    c.set_cell("doctors.csv", "V06", "fte", "40");
    c.set_cell("leave.csv", "V13", "doctor", "V99");
    c.set_cell("departments.csv", "haukeland,surgery", "capacity", "x");
    let stderr = c.check(1);
    assert_eq!(problems(&stderr), 3, "{stderr}");
    assert!(stderr.contains("has 3 problems"), "{stderr}");
}

/// A plan folder with `placements.csv` (and nothing else).
fn plan_with(placements: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().expect("temp dir");
    let dir = tmp.path().join("plan");
    fs::create_dir(&dir).expect("create plan");
    fs::write(dir.join("placements.csv"), placements).expect("write placements");
    (tmp, dir)
}

fn verify(plan: &Path) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("alisplan")
        .expect("binary")
        .args(["verify", VEST])
        .arg(plan)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const HEADER: &str = "doctor,hospital,specialty,start,end,months,commute_minutes,relocate\n";

/// `verify` on a plan whose line 3 has a bad start month, its lines ending in `ending`,
/// must report line 3.
fn verify_locates_a_bad_month(ending: &str) {
    let (_tmp, dir) = plan_with(
        &format!(
            "{HEADER}V01,haukeland,medicine,2027-02,2027-07,6,8,no\nV02,haukeland,medicine,2027-14,2028-07,12,8,no\n"
        )
        .replace('\n', ending),
    );
    let (code, _, stderr) = verify(&dir);
    assert_eq!(code, Some(1), "{stderr}");
    assert_reported(
        &stderr,
        &At {
            file: "placements.csv",
            line: Some(3),
            column: Some((4, "start")),
            rule: "month-format",
        },
    );
}

#[test]
fn verify_locates_a_bad_month_in_placements() {
    verify_locates_a_bad_month("\n");
}

#[test]
fn verify_locates_a_bad_month_in_a_crlf_plan() {
    verify_locates_a_bad_month("\r\n");
}

#[test]
fn verify_locates_an_unknown_doctor_and_a_missing_department() {
    let (_tmp, dir) = plan_with(&format!(
        "{HEADER}V99,haukeland,medicine,2027-02,2027-07,6,8,no\nV01,odda-sjukehus,psychiatry,2027-02,2027-07,6,198,yes\n"
    ));
    let (code, _, stderr) = verify(&dir);
    assert_eq!(code, Some(1), "{stderr}");
    assert_reported(
        &stderr,
        &At {
            file: "placements.csv",
            line: Some(2),
            column: Some((1, "doctor")),
            rule: "unknown-reference",
        },
    );
    assert_reported(
        &stderr,
        &At {
            file: "placements.csv",
            line: Some(3),
            column: Some((3, "specialty")),
            rule: "unknown-reference",
        },
    );
}

#[test]
fn a_crlf_review_sheet_reports_physical_lines_and_nothing_is_written() {
    let tmp = TempDir::new().expect("temp dir");
    let sheets = tmp.path().join("reviewed/hospitals");
    fs::create_dir_all(&sheets).expect("create sheets");
    fs::write(
        sheets.join("haukeland.csv"),
        "doctor,doctor_name,home_municipality,specialty,start,end,months,commute_minutes,decision,comment\r\n\
         V15,Thea Kleppe,Fusa,paediatrics,2027-03,2027-08,6,70,,\r\n\
         V01,Ingrid Haugland,Bergen,psychiatry,2028-02,2028-07,6,8,perhaps,\r\n",
    )
    .expect("write sheet");
    let out = tmp.path().join("out");
    let run = Command::cargo_bin("alisplan")
        .expect("binary")
        .args(["place", VEST, "--decisions"])
        .arg(tmp.path().join("reviewed"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert_reported(
        &stderr,
        &At {
            file: "hospitals/haukeland.csv",
            line: Some(3),
            column: Some((9, "decision")),
            rule: "decision",
        },
    );
    assert!(!out.exists(), "nothing may be written on an input error");
}

#[test]
fn verify_requires_placements_csv() {
    let tmp = TempDir::new().expect("temp dir");
    let (code, _, stderr) = verify(tmp.path());
    assert_eq!(code, Some(1));
    assert_reported(
        &stderr,
        &At {
            file: "placements.csv",
            line: None,
            column: None,
            rule: "missing-file",
        },
    );
}

#[test]
fn duplicate_column() {
    let c = Copy::new();
    let text = c.read("venues.csv");
    c.write(
        "venues.csv",
        &text.replacen("place,max_groups,name", "place,max_groups,place", 1),
    );
    c.fails_at(At {
        file: "venues.csv",
        line: Some(1),
        column: Some((3, "place")),
        rule: "duplicate-column",
    });
}

#[test]
fn a_file_that_is_not_utf8() {
    let c = Copy::new();
    let line = c.line_of("hospitals.csv", "hagevik");
    let mut bytes = fs::read(c.dir.join("hospitals.csv")).expect("read");
    let at = bytes
        .windows(b"Kysthospitalet".len())
        .position(|w| w == b"Kysthospitalet")
        .expect("name");
    bytes[at] = 0xff;
    fs::write(c.dir.join("hospitals.csv"), bytes).expect("write");
    let stderr = c.fails_at(At {
        file: "hospitals.csv",
        line: Some(line),
        column: Some((2, "name")),
        rule: "csv-format",
    });
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
}

/// Set one cell, save `file` with `ending`, and require the error at that cell's physical
/// line.
fn cell_fails_with_endings(
    c: &Copy,
    file: &str,
    key: &str,
    col: &str,
    value: &str,
    rule: &str,
    ending: &str,
) {
    let (line, column) = c.set_cell(file, key, col, value);
    c.line_endings(file, ending);
    c.fails_at(At {
        file,
        line: Some(line),
        column: Some((column, col)),
        rule,
    });
}

#[test]
fn a_crlf_file_reports_physical_lines() {
    let c = Copy::new();
    cell_fails_with_endings(
        &c,
        "departments.csv",
        "haukeland,surgery",
        "capacity",
        "two",
        "whole-number",
        "\r\n",
    );
}

#[test]
fn a_cr_only_file_reports_physical_lines() {
    let c = Copy::new();
    cell_fails_with_endings(&c, "doctors.csv", "V09", "fte", "120", "fte-range", "\r");
}

#[test]
fn comment_and_blank_lines_count_as_lines() {
    let c = Copy::new();
    let text = c
        .read("leave.csv")
        .replacen('\n', "\n# planned leave\n\n", 1);
    c.write("leave.csv", &text);
    cell_fails_with_endings(
        &c,
        "leave.csv",
        "V07",
        "to",
        "2027-08",
        "range-order",
        "\r\n",
    );
}

#[test]
fn a_crlf_locks_file_reports_physical_lines() {
    let c = Copy::new();
    c.write(
        "locks.csv",
        "doctor,hospital,specialty,start,months,decision\r\n# from the review\r\nV01,haukeland,,,,accept\r\nV02,haukeland,,,,maybe\r\n",
    );
    c.fails_at(At {
        file: "locks.csv",
        line: Some(4),
        column: Some((6, "decision")),
        rule: "decision",
    });
}

#[test]
fn settings_that_are_not_utf8_name_the_line_and_byte() {
    let c = Copy::new();
    let text = c.read("settings.toml");
    let line = c.setting_line("stagger");
    let mut bytes = Vec::new();
    for (i, l) in text.lines().enumerate() {
        bytes.extend_from_slice(l.as_bytes());
        if i as u64 + 1 == line {
            // "é" in Latin-1, as an editor that does not save UTF-8 writes it.
            bytes.extend_from_slice(b" # caf\xe9");
        }
        bytes.extend_from_slice(b"\r\n");
    }
    fs::write(c.dir.join("settings.toml"), &bytes).expect("write settings");
    let width = text.lines().nth(line as usize - 1).expect("line").len();
    let stderr = c.fails_at(At {
        file: "settings.toml",
        line: Some(line),
        column: Some((width + 7, "weights.stagger")),
        rule: "settings-format",
    });
    assert!(
        stderr.contains(&format!("byte {} of the line", width + 7)) && stderr.contains("0xE9"),
        "{stderr}"
    );
}

#[test]
fn bad_leave_kind() {
    Copy::new().cell_fails("leave.csv", "V15", "kind", "holiday", "leave-kind");
}

#[test]
fn an_infinite_weight_is_out_of_bounds() {
    let stderr = Copy::new().setting_fails("nok_per_hour", "weights.nok_per_hour", "inf");
    assert!(
        stderr.contains(
            "[weights] nok_per_hour = inf is out of bounds: a weight must be from 0 to 1e8"
        ),
        "{stderr}"
    );
}

#[test]
fn a_nan_weight_is_out_of_bounds() {
    Copy::new().setting_fails("travel", "groups.travel", "nan");
}

#[test]
fn a_huge_replan_weight_is_out_of_bounds() {
    Copy::new().setting_fails("accepted", "replan.accepted", "1e99");
}

#[test]
fn an_infinite_time_limit_is_out_of_bounds() {
    Copy::new().setting_fails("time_limit", "solver.time_limit", "inf");
}

#[test]
fn a_group_period_of_a_century_is_out_of_bounds() {
    Copy::new().setting_fails("months", "groups.months", "1200");
}

#[test]
fn a_horizon_of_eight_thousand_years_is_refused_at_once() {
    let c = Copy::new();
    let (line, column) = c.set_setting("end", "\"9999-12\"");
    let stderr = c.fails_at(At {
        file: "settings.toml",
        line: Some(line),
        column: Some((column, "horizon.end")),
        rule: "settings-value",
    });
    assert!(
        stderr.contains("has 95676 months: the horizon in months must be from 1 to 240"),
        "{stderr}"
    );
}

#[test]
fn a_preference_weight_of_1e99_is_out_of_bounds() {
    let stderr =
        Copy::new().cell_fails("preferences.csv", "V10", "weight", "1e99", "out-of-bounds");
    assert!(
        stderr.contains("1e99 is out of bounds: a preference weight must be from -1000 to 1000"),
        "{stderr}"
    );
}

#[test]
fn hospital_months_that_would_overflow_are_out_of_bounds() {
    Copy::new().cell_fails(
        "doctors.csv",
        "V03",
        "hospital_months",
        "42949673",
        "out-of-bounds",
    );
}

#[test]
fn an_edge_of_u32_max_minutes_is_out_of_bounds() {
    let stderr = Copy::new().cell_fails(
        "network.csv",
        "odda,odda-sjukehus",
        "minutes",
        "4294967295",
        "out-of-bounds",
    );
    assert!(
        stderr.contains("minutes per edge must be from 0 to 1000000"),
        "{stderr}"
    );
}

#[test]
fn minutes_too_long_for_any_number_are_out_of_bounds() {
    Copy::new().cell_fails(
        "network.csv",
        "odda,odda-sjukehus",
        "minutes",
        "99999999999",
        "out-of-bounds",
    );
}

/// A venue is a town, where hundreds of groups may meet at once in rooms of their own; a
/// supervisor leads at most 100.
#[test]
fn a_venue_may_host_hundreds_of_groups_and_a_supervisor_lead_a_hundred() {
    let copy = Copy::new();
    copy.set_cell("venues.csv", "bergen", "max_groups", "250");
    copy.check(0);
    let stderr = copy.cell_fails(
        "venues.csv",
        "bergen",
        "max_groups",
        "10001",
        "out-of-bounds",
    );
    assert!(
        stderr.contains("10001 is out of bounds: max_groups must be from 0 to 10000"),
        "{stderr}"
    );
    let stderr = Copy::new().cell_fails(
        "supervisors.csv",
        "S1",
        "max_groups",
        "101",
        "out-of-bounds",
    );
    assert!(
        stderr.contains("101 is out of bounds: max_groups must be from 0 to 100"),
        "{stderr}"
    );
}

#[test]
fn a_capacity_of_a_million_is_out_of_bounds() {
    Copy::new().cell_fails(
        "departments.csv",
        "haukeland,surgery",
        "capacity",
        "1000000",
        "out-of-bounds",
    );
}

#[test]
fn a_max_commute_beyond_a_million_minutes_is_out_of_bounds() {
    Copy::new().cell_fails(
        "doctors.csv",
        "V01",
        "max_commute",
        "1000001",
        "out-of-bounds",
    );
}

#[test]
fn a_substitute_cost_of_1e12_is_out_of_bounds() {
    Copy::new().cell_fails(
        "municipalities.csv",
        "gulen",
        "substitute_cost",
        "1e12",
        "out-of-bounds",
    );
}

#[test]
fn requirement_months_beyond_ten_years_are_out_of_bounds() {
    Copy::new().cell_fails(
        "requirements.csv",
        "V01",
        "months",
        "4000000000",
        "out-of-bounds",
    );
}

#[test]
fn a_lock_of_a_million_months_is_out_of_bounds() {
    let c = Copy::new();
    c.write(
        "locks.csv",
        "doctor,hospital,specialty,start,months,decision\nV01,haukeland,,2027-01,1000000,accept\n",
    );
    c.fails_at(At {
        file: "locks.csv",
        line: Some(2),
        column: Some((5, "months")),
        rule: "out-of-bounds",
    });
}
