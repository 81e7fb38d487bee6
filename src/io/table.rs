//! Reading one CSV file of an instance: columns by header name, every cell error located by
//! file, line and column.

use std::collections::HashMap;
use std::path::Path;

use csv::StringRecord;

use crate::error::{Diagnostic, Diagnostics};
use crate::model::Month;
use crate::model::bounds::{Bound, Number};

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

/// The words a cell may hold for a value of `T` (matched case-insensitively), and how to
/// explain a cell that holds none of them: "'x' is not {what}: write {write}".
pub struct Choices<T: 'static> {
    pub what: &'static str,
    pub write: &'static str,
    pub rule: &'static str,
    pub words: &'static [(&'static str, T)],
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
        // Office encodings and separators (see `io::text`): BOM, Windows-1252, UTF-16,
        // comma, semicolon or tab.
        let decoded = match crate::io::text::decode(bytes) {
            Ok(t) => t,
            Err(e) => {
                diags.error(Diagnostic {
                    line: e.line,
                    column: e.column,
                    ..Diagnostic::file(name, e.rule, e.message)
                });
                return None;
            }
        };
        // One `\n` per physical line, so that the CSV reader sees comments and rows where
        // an editor shows them, whatever the line ending.
        let text = unix_newlines(decoded.text.as_bytes());
        let lines = Lines::of(&text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(decoded.delimiter)
            .has_headers(true)
            .comment(Some(b'#'))
            .flexible(false)
            .from_reader(&text[..]);
        let (headers, header_line) = match reader.headers() {
            Ok(h) => (
                h.iter().map(|s| s.trim().to_string()).collect::<Vec<_>>(),
                lines.record_line(&text, h.position()),
            ),
            Err(e) => {
                diags.error(csv_error(name, &e, &text, &lines, &[]));
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
                        header_line,
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
                        header_line,
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
                    header_line,
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
                    let line = lines.record_line(&text, r.position());
                    if r.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    records.push((line, r));
                }
                Err(e) => {
                    diags.error(csv_error(name, &e, &text, &lines, &headers));
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

fn csv_error(
    file: &str,
    e: &csv::Error,
    text: &[u8],
    lines: &Lines,
    headers: &[String],
) -> Diagnostic {
    let line = e.position().map(|p| lines.record_line(text, Some(p)));
    let mut column = None;
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this line has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { err, .. } => {
            column = headers
                .get(err.field())
                .map(|name| (err.field() + 1, name.clone()));
            format!(
                "the file is not valid UTF-8: field {} of this line stops being UTF-8 after {} byte(s); save the file as UTF-8",
                err.field() + 1,
                err.valid_up_to()
            )
        }
        _ => e.to_string(),
    };
    Diagnostic {
        line,
        column,
        ..Diagnostic::file(file, "csv-format", message)
    }
}

/// `bytes` with every line ending (`\r\n`, or a lone `\r`) written as `\n`.
pub fn unix_newlines(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.contains(&b'\r') {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' => {
                out.push(b'\n');
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Where the lines of a file start, to turn byte offsets into physical line numbers. A
/// line ends at `\r\n`, `\n` or a lone `\r`, so files saved on Windows or old Macs are
/// numbered as an editor shows them.
pub struct Lines {
    /// Byte offset of the first byte of each line after the first.
    starts: Vec<u64>,
}

impl Lines {
    pub fn of(bytes: &[u8]) -> Lines {
        let mut starts = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 2;
                    starts.push(i as u64);
                }
                b'\r' | b'\n' => {
                    i += 1;
                    starts.push(i as u64);
                }
                _ => i += 1,
            }
        }
        Lines { starts }
    }

    /// The 1-based line that holds byte `offset`.
    pub fn line_at(&self, offset: u64) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64 + 1
    }

    /// The line a CSV record starts on. The reader gives the offset where it began to look
    /// for the record, before the blank and comment lines it skipped: skip them here too.
    fn record_line(&self, text: &[u8], at: Option<&csv::Position>) -> u64 {
        let Some(at) = at else {
            return 1;
        };
        let mut i = usize::try_from(at.byte()).unwrap_or(usize::MAX);
        while let Some(&b) = text.get(i) {
            match b {
                b'\n' => i += 1,
                b'#' => {
                    i = text[i..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(text.len(), |n| i + n + 1)
                }
                _ => break,
            }
        }
        self.line_at(i as u64)
    }

    /// The byte offset at which 1-based `line` starts.
    pub fn start_of(&self, line: u64) -> u64 {
        match line {
            0 | 1 => 0,
            n => self.starts.get(n as usize - 2).copied().unwrap_or(u64::MAX),
        }
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

    /// Whether the file's header has column `col`.
    pub fn has_column(&self, col: &str) -> bool {
        self.table.has_column(col)
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

    /// An optional cell holding one of `choices`' words.
    pub fn choice<T: Copy>(
        &self,
        col: &str,
        choices: &Choices<T>,
    ) -> Result<Option<T>, Diagnostic> {
        self.cell(col)
            .map(|s| self.pick(col, s, choices))
            .transpose()
    }

    /// A required cell holding one of `choices`' words.
    pub fn required_choice<T: Copy>(
        &self,
        col: &str,
        choices: &Choices<T>,
    ) -> Result<T, Diagnostic> {
        self.pick(col, self.text(col)?, choices)
    }

    fn pick<T: Copy>(&self, col: &str, s: &str, choices: &Choices<T>) -> Result<T, Diagnostic> {
        let word = s.to_ascii_lowercase();
        match choices.words.iter().find(|(w, _)| *w == word) {
            Some(&(_, v)) => Ok(v),
            None => Err(self.error(
                col,
                choices.rule,
                format!("'{word}' is not {}: write {}", choices.what, choices.write),
            )),
        }
    }

    /// `v`, read from column `col`, if it is within `bound`; else an `out-of-bounds` error
    /// naming the bound (or `negative` for a number below 0 where the bound starts at 0).
    pub fn within<T: Number>(&self, col: &str, v: T, bound: &Bound<T>) -> Result<T, Diagnostic> {
        bound.check(v).map_err(|why| {
            let negative = bound.min >= T::ZERO && v < T::ZERO;
            let rule = if negative {
                "negative"
            } else {
                "out-of-bounds"
            };
            self.error(col, rule, why)
        })
    }

    /// A required number cell within `bound`.
    pub fn req_in<T: Cell + Number>(&self, col: &str, bound: &Bound<T>) -> Result<T, Diagnostic> {
        let s = self.text(col)?;
        self.number_in(col, s, bound)
    }

    /// An optional number cell within `bound`.
    pub fn opt_in<T: Cell + Number>(
        &self,
        col: &str,
        bound: &Bound<T>,
    ) -> Result<Option<T>, Diagnostic> {
        self.cell(col)
            .map(|s| self.number_in(col, s, bound))
            .transpose()
    }

    fn number_in<T: Cell + Number>(
        &self,
        col: &str,
        s: &str,
        bound: &Bound<T>,
    ) -> Result<T, Diagnostic> {
        match T::parse(s) {
            Ok(v) => self.within(col, v, bound),
            // Too many digits for the type: out of any bound.
            Err(_) if T::too_large(s) => Err(self.error(
                col,
                "out-of-bounds",
                format!(
                    "{s} is out of bounds: {} must be {}",
                    bound.what,
                    bound.range()
                ),
            )),
            Err(why) => Err(self.error(col, T::rule_for(s), why)),
        }
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

    /// Whether `s`, which did not parse, is a number too large for the type.
    fn too_large(s: &str) -> bool {
        let _ = s;
        false
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
    fn too_large(s: &str) -> bool {
        let digits = s.strip_prefix('+').unwrap_or(s);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
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

    /// Digits beyond any float, like `1e400` (but not `inf`, which is no number at all).
    fn too_large(s: &str) -> bool {
        s.parse::<f64>().is_ok_and(f64::is_infinite) && !s.to_ascii_lowercase().contains("inf")
    }
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
    fn numbers_beyond_the_type_are_out_of_bounds() {
        use crate::model::bounds::{EDGE_MINUTES, WEIGHT};
        let mut d = Diagnostics::default();
        let t = Table::parse(
            "t.csv",
            b"id,n,when\na,99999999999,1e400\nb,1000001,inf\n",
            COLS,
            &mut d,
        )
        .unwrap();
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(
            rows[0].req_in("n", &EDGE_MINUTES).unwrap_err().rule,
            "out-of-bounds"
        );
        assert_eq!(
            rows[0].req_in("when", &WEIGHT).unwrap_err().rule,
            "out-of-bounds"
        );
        assert_eq!(
            rows[1].req_in("n", &EDGE_MINUTES).unwrap_err().rule,
            "out-of-bounds"
        );
        assert_eq!(rows[1].req_in("when", &WEIGHT).unwrap_err().rule, "number");
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

    /// The line of the one error `text` (a bad `n` in the row of id `b`) is reported at.
    fn error_line(text: &[u8]) -> Option<u64> {
        let mut d = Diagnostics::default();
        let t = Table::parse("t.csv", text, COLS, &mut d).unwrap();
        let row = t.rows().find(|r| r.cell("id") == Some("b")).unwrap();
        row.req::<u32>("n").unwrap_err().line
    }

    #[test]
    fn lines_are_physical_whatever_the_line_ending() {
        assert_eq!(error_line(b"id,n\na,1\n\n# c\nb,x\n"), Some(5));
        assert_eq!(error_line(b"id,n\r\na,1\r\n\r\n# c\r\nb,x\r\n"), Some(5));
        assert_eq!(error_line(b"id,n\ra,1\r\r# c\rb,x\r"), Some(5));
        assert_eq!(error_line(b"id,n\r\na,1\nb,x"), Some(3));
        // A quoted cell over two lines: the next row starts on the line after it.
        assert_eq!(
            error_line(b"id,n,when\r\n\"a\r\nz\",1,\r\nb,x,\r\n"),
            Some(4)
        );
        // A byte-order mark is not a line.
        assert_eq!(error_line(b"\xEF\xBB\xBFid,n\r\nb,x\r\n"), Some(2));
    }

    #[test]
    fn the_header_is_where_it_is_written() {
        let mut d = Diagnostics::default();
        Table::parse("t.csv", b"# note\r\n\r\nid,id\r\n", COLS, &mut d);
        assert_eq!(d.errors[0].rule, "duplicate-column");
        assert_eq!(d.errors[0].line, Some(3));
    }

    #[test]
    fn ragged_lines_of_a_crlf_file_have_their_line() {
        let mut d = Diagnostics::default();
        assert!(Table::parse("t.csv", b"id,n\r\na,1\r\nb,2,3\r\n", COLS, &mut d).is_none());
        assert_eq!(d.errors[0].line, Some(3));
        let mut d = Diagnostics::default();
        assert!(Table::parse("t.csv", b"id,n\ra,1\rb,2,3\r", COLS, &mut d).is_none());
        assert_eq!(d.errors[0].line, Some(3));
    }

    #[test]
    fn skips_comments_and_blank_rows() {
        let mut d = Diagnostics::default();
        let t = Table::parse("t.csv", b"id,n\n# note\na,1\n,\n", COLS, &mut d).unwrap();
        assert_eq!(t.len(), 1);
        assert!(!d.has_errors());
    }
}
