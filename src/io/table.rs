//! Reading one CSV file of an instance: columns by header name, every cell error located by
//! file, line and column.

use std::collections::HashMap;
use std::path::Path;

use csv::StringRecord;

use crate::error::{Diagnostic, Diagnostics};
use crate::model::Month;

/// A CSV file read into memory with its header.
pub struct Table {
    pub file: String,
    headers: Vec<String>,
    index: HashMap<String, usize>,
    records: Vec<(u64, StringRecord)>,
}

/// The columns a file must and may have.
pub struct Columns<'a> {
    pub required: &'a [&'a str],
    pub optional: &'a [&'a str],
}

impl Table {
    /// Read `name` from `dir`. Returns `None` when the file is absent (an error is recorded
    /// if `must_exist`) or cannot be read as CSV (an error is recorded).
    pub fn read(
        dir: &Path,
        name: &str,
        columns: Columns<'_>,
        must_exist: bool,
        diags: &mut Diagnostics,
    ) -> Option<Table> {
        let path = dir.join(name);
        if !path.exists() {
            if must_exist {
                diags.error(Diagnostic::file(
                    name,
                    "missing-file",
                    format!("required file not found in {}", dir.display()),
                ));
            }
            return None;
        }
        match std::fs::read(&path) {
            Ok(bytes) => Table::parse(name, &bytes, columns, diags),
            Err(e) => {
                diags.error(Diagnostic::file(name, "unreadable", e.to_string()));
                None
            }
        }
    }

    /// Parse CSV text named `name`.
    pub fn parse(
        name: &str,
        bytes: &[u8],
        columns: Columns<'_>,
        diags: &mut Diagnostics,
    ) -> Option<Table> {
        // Office encodings and separators (see `io::text`).
        let decoded = match crate::io::text::decode(bytes) {
            Ok(t) => t,
            Err(e) => {
                diags.error(Diagnostic {
                    line: e.line,
                    ..Diagnostic::file(name, e.rule, e.message)
                });
                return None;
            }
        };
        let bytes = decoded.text.as_bytes();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(decoded.delimiter)
            .has_headers(true)
            .comment(Some(b'#'))
            .flexible(false)
            .from_reader(bytes);
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => {
                diags.error(csv_error(name, &e));
                return None;
            }
        };
        let mut index = HashMap::new();
        let mut ok = true;
        for (i, h) in headers.iter().enumerate() {
            if index.insert(h.clone(), i).is_some() {
                diags.error(Diagnostic {
                    column: Some((i + 1, h.clone())),
                    ..Diagnostic::line(
                        name,
                        1,
                        "duplicate-column",
                        format!("column '{h}' appears twice"),
                    )
                });
                ok = false;
            } else if !columns.required.contains(&h.as_str())
                && !columns.optional.contains(&h.as_str())
            {
                diags.warn(Diagnostic {
                    column: Some((i + 1, h.clone())),
                    ..Diagnostic::line(
                        name,
                        1,
                        "unknown-column",
                        format!(
                            "unknown column '{h}' is ignored (known: {})",
                            columns
                                .required
                                .iter()
                                .chain(columns.optional)
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                });
            }
        }
        for req in columns.required {
            if !index.contains_key(*req) {
                diags.error(Diagnostic::line(
                    name,
                    1,
                    "missing-column",
                    format!(
                        "required column '{req}' is missing from the header (found: {}; read as {} text)",
                        headers.join(", "),
                        decoded.describe()
                    ),
                ));
                ok = false;
            }
        }
        let mut records = Vec::new();
        for rec in reader.records() {
            match rec {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line());
                    if r.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    records.push((line, r));
                }
                Err(e) => {
                    diags.error(csv_error(name, &e));
                    ok = false;
                }
            }
        }
        ok.then(|| Table {
            file: name.to_string(),
            headers,
            index,
            records,
        })
    }

    /// Whether the file's header has column `col`.
    pub fn has_column(&self, col: &str) -> bool {
        self.index.contains_key(col)
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.records.iter().map(move |(line, rec)| Row {
            table: self,
            line: *line,
            rec,
        })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

fn csv_error(file: &str, e: &csv::Error) -> Diagnostic {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this line has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    Diagnostic {
        line,
        ..Diagnostic::file(file, "csv-format", message)
    }
}

/// One record of a [`Table`].
pub struct Row<'a> {
    table: &'a Table,
    pub line: u64,
    rec: &'a StringRecord,
}

impl<'a> Row<'a> {
    /// The trimmed cell of column `col`, `None` when the column is absent or the cell empty.
    pub fn cell(&self, col: &str) -> Option<&'a str> {
        let i = *self.table.index.get(col)?;
        let s = self.rec.get(i)?.trim();
        (!s.is_empty()).then_some(s)
    }

    /// The 1-based position and header name of column `col`, if the file has it.
    pub fn column(&self, col: &str) -> Option<(usize, String)> {
        self.table
            .index
            .get(col)
            .map(|&i| (i + 1, self.table.headers[i].clone()))
    }

    /// A diagnostic located at this row's cell in column `col`.
    pub fn error(&self, col: &str, rule: &'static str, message: impl Into<String>) -> Diagnostic {
        let column = self.column(col);
        Diagnostic {
            file: self.table.file.clone(),
            line: Some(self.line),
            column,
            rule,
            message: message.into(),
        }
    }

    /// A diagnostic about this whole row.
    pub fn row_error(&self, rule: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::line(&self.table.file, self.line, rule, message)
    }

    /// The text of a required cell.
    pub fn text(&self, col: &str) -> Result<&'a str, Diagnostic> {
        self.cell(col)
            .ok_or_else(|| self.error(col, "empty-cell", format!("'{col}' must not be empty")))
    }

    /// A required id cell (letters, digits, `-`, `_`, `.`).
    pub fn id(&self, col: &str) -> Result<&'a str, Diagnostic> {
        let s = self.text(col)?;
        if is_id(s) {
            Ok(s)
        } else {
            Err(self.error(
                col,
                "id-format",
                format!("'{s}' is not an id: use letters, digits, '-', '_' or '.' only"),
            ))
        }
    }

    /// A required id cell that names a `what` (e.g. "doctor") of the instance, looked up
    /// by `lookup`; an id it does not know is an `unknown-reference` error.
    pub fn reference<T>(
        &self,
        col: &str,
        what: &str,
        lookup: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, Diagnostic> {
        let id = self.id(col)?;
        lookup(id)
            .ok_or_else(|| self.error(col, "unknown-reference", format!("unknown {what} '{id}'")))
    }

    /// An optional cell parsed as `T`.
    pub fn opt<T: Cell>(&self, col: &str) -> Result<Option<T>, Diagnostic> {
        match self.cell(col) {
            None => Ok(None),
            Some(s) => T::parse(s)
                .map(Some)
                .map_err(|why| self.error(col, T::rule_for(s), why)),
        }
    }

    /// A required cell parsed as `T`.
    pub fn req<T: Cell>(&self, col: &str) -> Result<T, Diagnostic> {
        let s = self.text(col)?;
        T::parse(s).map_err(|why| self.error(col, T::rule_for(s), why))
    }
}

/// Whether `s` is a valid id.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// A value that can be read from one cell.
pub trait Cell: Sized {
    /// The rule a badly written cell breaks.
    const RULE: &'static str;
    fn parse(s: &str) -> Result<Self, String>;

    /// The rule the badly written cell `s` breaks (by default [`Cell::RULE`]).
    fn rule_for(s: &str) -> &'static str {
        let _ = s;
        Self::RULE
    }
}

impl Cell for u32 {
    const RULE: &'static str = "whole-number";

    /// A negative number breaks `negative` (counts, minutes and capacities are ≥ 0).
    fn rule_for(s: &str) -> &'static str {
        match s.strip_prefix('-') {
            Some(rest) if rest.parse::<f64>().is_ok() => "negative",
            _ => Self::RULE,
        }
    }
    fn parse(s: &str) -> Result<u32, String> {
        s.parse().map_err(|_| {
            if s.starts_with('-') {
                format!("'{s}' is negative; a number ≥ 0 is required")
            } else {
                format!("'{s}' is not a whole number ≥ 0")
            }
        })
    }
}

impl Cell for f64 {
    const RULE: &'static str = "number";
    fn parse(s: &str) -> Result<f64, String> {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("'{s}' is not a number"))
    }
}

impl Cell for Month {
    const RULE: &'static str = "month-format";
    fn parse(s: &str) -> Result<Month, String> {
        s.parse()
            .map_err(|e: crate::model::month::MonthParseError| e.to_string())
    }
}

impl Cell for bool {
    const RULE: &'static str = "yes-no";
    fn parse(s: &str) -> Result<bool, String> {
        match s.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "ja" | "j" | "1" => Ok(true),
            "no" | "n" | "false" | "nei" | "0" => Ok(false),
            _ => Err(format!("'{s}' is not yes or no")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: Columns<'static> = Columns {
        required: &["id", "n"],
        optional: &["when"],
    };

    #[test]
    fn locates_cell_errors() {
        let mut d = Diagnostics::default();
        let t = Table::parse(
            "t.csv",
            b"id,n,when\na,1,2027-01\nb,x,2027-13\n",
            COLS,
            &mut d,
        )
        .unwrap();
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows[0].req::<u32>("n").unwrap(), 1);
        let e = rows[1].req::<u32>("n").unwrap_err();
        assert_eq!((e.line, e.column.clone()), (Some(3), Some((2, "n".into()))));
        let e = rows[1].opt::<Month>("when").unwrap_err();
        assert_eq!(e.column, Some((3, "when".into())));
        assert_eq!(e.rule, "month-format");
    }

    #[test]
    fn negative_counts_break_their_own_rule() {
        let mut d = Diagnostics::default();
        let t = Table::parse("t.csv", b"id,n\na,-1\nb,1.5\nc,-x\n", COLS, &mut d).unwrap();
        let rules: Vec<&str> = t
            .rows()
            .map(|r| r.req::<u32>("n").unwrap_err().rule)
            .collect();
        assert_eq!(rules, ["negative", "whole-number", "whole-number"]);
    }

    #[test]
    fn reports_missing_and_unknown_columns() {
        let mut d = Diagnostics::default();
        assert!(Table::parse("t.csv", b"id,colour\na,red\n", COLS, &mut d).is_none());
        assert_eq!(d.errors[0].rule, "missing-column");
        assert_eq!(d.warnings[0].rule, "unknown-column");
    }

    #[test]
    fn reports_ragged_lines_with_their_line() {
        let mut d = Diagnostics::default();
        assert!(Table::parse("t.csv", b"id,n\na,1\nb,2,3\n", COLS, &mut d).is_none());
        assert_eq!(d.errors[0].line, Some(3));
        assert_eq!(d.errors[0].rule, "csv-format");
    }

    #[test]
    fn skips_comments_and_blank_rows() {
        let mut d = Diagnostics::default();
        let t = Table::parse("t.csv", b"id,n\n# note\na,1\n,\n", COLS, &mut d).unwrap();
        assert_eq!(t.len(), 1);
        assert!(!d.has_errors());
    }
}
