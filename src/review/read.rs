//! Reading the hospitals' answers back: every `hospitals/<hospital-id>.csv` and `.xlsx`
//! of a folder, in either language, as CSV in any encoding and separator Excel writes.

use std::path::Path;

use super::sheet::SHEET;
use super::workbook::workbook_csv;
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::io::locks::{Target, read_decision, read_target};
use crate::io::table::Table;
use crate::model::*;

/// One answered row of a review sheet: the block it names, the decision (none when the
/// hospital only wrote a comment), the comment, and where it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub target: Target,
    pub decision: Option<Decision>,
    pub comment: Option<String>,
    pub source: Source,
}

impl Answer {
    /// The lock the answer's decision makes.
    pub fn lock(&self) -> Option<Lock> {
        Some(self.target.lock(self.decision?, self.source.clone()))
    }

    /// The sheet the answer came in (`hospitals/<id>.xlsx`).
    pub fn sheet(&self) -> &str {
        &self.source.file
    }
}

/// Read every review sheet `hospitals/<hospital-id>.csv` or `.xlsx` of folder `dir` (a plan
/// folder whose sheets the hospitals filled in; or `dir` itself if it has no `hospitals/`):
/// every row with a decision or a comment. A hospital's CSV and workbook may both be there:
/// the same answer in both counts once. Sheets that contradict each other or the instance
/// are reported with file and line.
pub fn read_answers(inst: &Instance, dir: &Path) -> Result<Vec<Answer>> {
    let sheets = dir.join("hospitals");
    let folder = if sheets.is_dir() {
        sheets
    } else {
        dir.to_path_buf()
    };
    let mut diags = Diagnostics::default();
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .map_err(|e| Error::io("read", &folder, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // Lock files of spreadsheet programs: `~$name.xlsx`, `.~lock.name.xlsx#`.
        .filter(|n| !n.starts_with("~$") && !n.starts_with('.'))
        .filter(|n| n.ends_with(".csv") || n.ends_with(".xlsx"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(Error::input(
            format!("decisions {}", dir.display()),
            vec![Diagnostic::file(
                &folder.display().to_string(),
                "missing-file",
                "no review sheets (hospitals/<hospital-id>.xlsx or .csv) found",
            )],
        ));
    }
    let mut answers: Vec<Answer> = Vec::new();
    for name in names {
        let stem = name.trim_end_matches(".csv").trim_end_matches(".xlsx");
        let label = format!("hospitals/{name}");
        let Some(h) = inst.hospital_id(stem) else {
            diags.error(Diagnostic::file(&label, "unknown-reference", format!("'{stem}' is not a hospital in hospitals.csv; a review sheet is named after its hospital")));
            continue;
        };
        let path = folder.join(&name);
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        let Some(t) = sheet_table(&label, &bytes, &mut diags) else {
            continue;
        };
        for a in sheet_answers(inst, &t, h, &mut diags) {
            merge(&mut answers, a);
        }
    }
    let locks: Vec<Lock> = answers.iter().filter_map(Answer::lock).collect();
    super::check_decisions(inst, &locks, &mut diags);
    if diags.has_errors() {
        return Err(Error::input(
            format!("review decisions in {}", dir.display()),
            diags.errors,
        ));
    }
    Ok(answers)
}

/// Add `a` unless the same answer came already (from the hospital's other file); a
/// second comment on the same block is added to the first.
fn merge(answers: &mut Vec<Answer>, a: Answer) {
    match answers
        .iter_mut()
        .find(|b| b.target == a.target && b.decision == a.decision)
    {
        Some(b) => {
            if let Some(c) = a.comment
                && b.comment.as_deref() != Some(c.as_str())
            {
                b.comment = Some(match b.comment.take() {
                    Some(first) => format!("{first} / {c}"),
                    None => c,
                });
            }
        }
        None => answers.push(a),
    }
}

/// The sheet's rows as a table with column keys for headers, whatever the file's format,
/// language, encoding and separator.
fn sheet_table(label: &str, bytes: &[u8], diags: &mut Diagnostics) -> Option<Table> {
    let (text, looks) = if label.ends_with(".xlsx") {
        match workbook_csv(bytes) {
            Ok(text) => (text, "a workbook".to_string()),
            Err(why) => {
                diags.error(Diagnostic::file(label, "workbook", why));
                return None;
            }
        }
    } else {
        match crate::io::text::decode(bytes) {
            Ok(t) => (
                with_header_keys(&t.text, t.delimiter),
                format!("{} text", t.describe()),
            ),
            Err(e) => {
                diags.error(Diagnostic {
                    line: e.line,
                    ..Diagnostic::file(label, e.rule, e.message)
                });
                return None;
            }
        }
    };
    // The text is parsed as UTF-8 now: say what the file itself looked like, and what to do.
    let mut mine = crate::error::Diagnostics::default();
    let table = SHEET.parse(label, text.as_bytes(), &mut mine);
    for mut d in mine.errors {
        if d.rule == "missing-column"
            && let Some(at) = d.message.find("; read as ")
        {
            d.message.truncate(at);
            d.message.push_str(&format!(
                "; the file looks like {looks}: send back the sheet as it was written, with its header row (`lege;…;beslutning;kommentar` or `doctor,…,decision,comment`) kept)"
            ));
        }
        diags.error(d);
    }
    diags.warnings.extend(mine.warnings);
    table
}

/// `text` with its header line's cells replaced by their column keys (`beslutning` →
/// `decision`); every other line is kept as it is, so line numbers stay right.
fn with_header_keys(text: &str, delimiter: u8) -> String {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        if body.trim().is_empty() || body.starts_with('#') {
            offset += line.len();
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .from_reader(body.as_bytes());
        let Some(Ok(record)) = reader.records().next() else {
            return text.to_string();
        };
        let keys: Vec<String> = record
            .iter()
            .map(|h| crate::i18n::column_key(h).map_or_else(|| h.to_string(), str::to_string))
            .collect();
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        if w.write_record(&keys).is_err() {
            return text.to_string();
        }
        let header = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
        let ending = &line[body.len()..];
        return format!(
            "{}{}{}{}",
            &text[..offset],
            header.trim_end_matches('\n'),
            ending,
            &text[offset + line.len()..]
        );
    }
    text.to_string()
}

/// The answered rows of one sheet of hospital `h`.
fn sheet_answers(
    inst: &Instance,
    t: &Table,
    h: HospitalId,
    diags: &mut Diagnostics,
) -> Vec<Answer> {
    let mut out = Vec::new();
    for row in t.rows() {
        let comment = row.cell("comment").map(str::to_string);
        let has_decision = row.cell("decision").is_some();
        if !has_decision && comment.is_none() {
            continue;
        }
        let target = read_target(inst, &row, Some(h), diags);
        let decision = if has_decision {
            match read_decision(&row, diags) {
                Some(d) => Some(d),
                None => continue,
            }
        } else {
            None
        };
        let Some(target) = target else {
            continue;
        };
        out.push(Answer {
            target,
            decision,
            comment,
            source: Source {
                file: t.file.clone(),
                line: row.line,
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_replace_only_the_header_line() {
        let text = "# note\r\nlege;beslutning;kommentar\r\nV01;avslått;nei, ikke nå\r\n";
        assert_eq!(
            with_header_keys(text, b';'),
            "# note\r\ndoctor;decision;comment\r\nV01;avslått;nei, ikke nå\r\n"
        );
        assert_eq!(
            with_header_keys("\"lege\",x\nV01,1\n", b','),
            "doctor,x\nV01,1\n"
        );
    }
}
