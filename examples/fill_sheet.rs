//! Fill in one row of a review workbook, as a hospital does in Excel or LibreOffice:
//!
//! ```sh
//! cargo run --release --example fill_sheet -- plans/reviewed/hospitals/haukeland.xlsx V15 avslått "no slot"
//! ```
//!
//! writes the decision (and the comment, if given) into the row of doctor V15 of the
//! workbook's first sheet, found by the header row (`doctor`/`lege`, `decision`/
//! `beslutning`, `comment`/`kommentar`). It uses `umya-spreadsheet`, not the crate that
//! wrote the workbook, so it also shows the workbook opens in another program. Used for
//! the README's example round.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, doctor, decision, rest @ ..] = args.as_slice() else {
        eprintln!("usage: fill_sheet FILE.xlsx DOCTOR DECISION [COMMENT]");
        return ExitCode::from(2);
    };
    let comment = rest.first().map(String::as_str).unwrap_or("");
    match fill(file, doctor, decision, comment) {
        Ok(row) => {
            eprintln!("{file}: row {row} ({doctor}) now reads {decision:?} {comment:?}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {file}: {e}");
            ExitCode::from(1)
        }
    }
}

fn fill(file: &str, doctor: &str, decision: &str, comment: &str) -> Result<u32, String> {
    let mut book = umya_spreadsheet::reader::xlsx::read(file).map_err(|e| e.to_string())?;
    let sheet = book.get_sheet_mut(&0).ok_or("the workbook has no sheet")?;
    let columns: Vec<char> = ('A'..='Z').collect();
    let header = (1..=30u32)
        .find(|&r| matches!(sheet.get_value(format!("A{r}")).as_str(), "doctor" | "lege"))
        .ok_or("no header row (doctor / lege in column A)")?;
    let column = |names: [&str; 2]| {
        columns
            .iter()
            .copied()
            .find(|c| names.contains(&sheet.get_value(format!("{c}{header}")).as_str()))
            .ok_or(format!("no column {}", names.join(" / ")))
    };
    let (d, c) = (
        column(["decision", "beslutning"])?,
        column(["comment", "kommentar"])?,
    );
    let row = (header + 1..header + 1000)
        .find(|&r| sheet.get_value(format!("A{r}")) == doctor)
        .ok_or(format!("no row of doctor {doctor}"))?;
    sheet.get_cell_mut(format!("{d}{row}")).set_value(decision);
    if !comment.is_empty() {
        sheet.get_cell_mut(format!("{c}{row}")).set_value(comment);
    }
    umya_spreadsheet::writer::xlsx::write(&book, file).map_err(|e| e.to_string())?;
    Ok(row)
}
