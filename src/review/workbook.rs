//! Review sheets as Excel workbooks (`hospitals/<hospital-id>.xlsx`), written with
//! `rust_xlsxwriter` and read back with `calamine`.
//!
//! The workbook has a title naming the hospital, the planning round and the answer
//! deadline, a short instruction, then the same columns as the CSV sheet under a frozen
//! header row; `decision` has a drop-down list (data validation) of the plan language's
//! two words. Read back, every row keeps its row number, so errors name the row as their
//! line.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::sheet::{Sheet, Value, headers};
use crate::error::{Error, Result};
use crate::i18n::fill;
use crate::model::*;

/// Rows above the header: title, round and deadline, instruction, a blank row.
const HEADER_ROW: u32 = 4;

/// Column widths (in characters), in the order of the sheet's columns.
const WIDTHS: [f64; 14] = [
    8.0, 22.0, 20.0, 16.0, 9.0, 16.0, 9.0, 9.0, 9.0, 12.0, 10.0, 36.0, 14.0, 40.0,
];

/// The workbook of one hospital's sheet. Deterministic: the document's creation date is
/// the first month of the horizon, and the zip entries carry a fixed date.
pub(crate) fn workbook_bytes(inst: &Instance, plan: &Plan, sheet: &Sheet) -> Result<Vec<u8>> {
    build(inst, plan, sheet).map_err(|e| {
        Error::io(
            "write the workbook of",
            inst.hospital(sheet.hospital).id.clone(),
            std::io::Error::other(e.to_string()),
        )
    })
}

fn build(inst: &Instance, plan: &Plan, sheet: &Sheet) -> std::result::Result<Vec<u8>, XlsxError> {
    let t = inst.settings.language.t();
    let hospital = inst.hospital(sheet.hospital);
    let heads = headers(t);
    let last_col = (heads.len() - 1) as u16;
    let decision_col = heads.len() as u16 - 2;

    let mut wb = Workbook::new();
    let start = inst.settings.horizon.start;
    let created = ExcelDateTime::from_ymd(start.year() as u16, start.month_of_year() as u8, 1)?;
    let title = fill(t.sheet_title, &[("hospital", &hospital.name)]);
    wb.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_author("alisplan")
            .set_creation_datetime(&created),
    );
    let ws = wb.add_worksheet();
    ws.set_name(t.sheet_tab)?;

    let bold_big = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xDDE6EE))
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let answer = Format::new()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xFFF8D6));

    ws.write_string_with_format(0, 0, &title, &bold_big)?;
    let mut info = fill(
        t.sheet_round,
        &[("plan", &plan_name(inst)), ("round", &plan.review.round)],
    );
    if let Some(date) = plan.review.deadline {
        info.push(' ');
        info.push_str(&fill(t.sheet_deadline, &[("date", &date)]));
    }
    ws.write_string(1, 0, &info)?;
    ws.merge_range(2, 0, 2, last_col, t.sheet_instructions, &wrap)?;
    ws.set_row_height(2, 48)?;

    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &head)?;
    }
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, r) in sheet.rows.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        for (c, v) in r.iter().enumerate() {
            let c = c as u16;
            let f = if c >= decision_col { &answer } else { &cell };
            match v {
                Value::Text(s) => ws.write_string_with_format(row, c, s, f)?,
                Value::Number(n) => ws.write_number_with_format(row, c, f64::from(*n), f)?,
            };
        }
    }
    if !sheet.rows.is_empty() {
        let words = [t.decision(Decision::Accept), t.decision(Decision::Reject)];
        let list = DataValidation::new()
            .allow_list_strings(&words)?
            .set_input_title(t.column("decision"))?
            .set_input_message(t.sheet_list_prompt)?
            .set_error_message(t.sheet_list_prompt)?
            .set_error_style(DataValidationErrorStyle::Stop);
        let last = HEADER_ROW + sheet.rows.len() as u32;
        ws.add_data_validation(HEADER_ROW + 1, decision_col, last, decision_col, &list)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    wb.save_to_buffer()
}

/// The plan's name on the sheets.
fn plan_name(inst: &Instance) -> String {
    if inst.settings.name.is_empty() {
        "alisplan".to_string()
    } else {
        inst.settings.name.clone()
    }
}

/// A workbook's first worksheet as CSV text with the same row numbers: the rows above
/// the header row (the one naming `doctor` and `decision`, in any language) become `#`
/// comment lines, the header cells become column keys, and a cell's line breaks become
/// spaces. `Err` says why the bytes are not a usable workbook.
pub(crate) fn workbook_csv(bytes: &[u8]) -> std::result::Result<String, String> {
    let mut book = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| format!("this is not an Excel workbook (.xlsx) that can be read: {e}"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or("the workbook has no worksheet")?
        .map_err(|e| format!("the first worksheet cannot be read: {e}"))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            std::iter::repeat_n(String::new(), left as usize)
                .chain(r.iter().map(cell_text))
                .collect()
        })
        .collect();
    let is_header = |r: &Vec<String>| {
        let keys: Vec<Option<&str>> = r.iter().map(|c| crate::i18n::column_key(c)).collect();
        keys.contains(&Some("doctor")) && keys.contains(&Some("decision"))
    };
    let header_at = rows.iter().position(is_header).ok_or(
        "no header row naming the columns 'doctor' and 'decision' (lege, beslutning) was found in the first worksheet",
    )?;
    let mut out = String::new();
    for _ in 0..top as usize + header_at {
        out.push_str("#\n");
    }
    let header = &rows[header_at];
    let width = header
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);
    let names: Vec<String> = header[..width]
        .iter()
        .enumerate()
        .map(|(i, h)| match crate::i18n::column_key(h) {
            Some(key) => key.to_string(),
            None if h.trim().is_empty() => format!("column_{}", i + 1),
            None => h.trim().to_string(),
        })
        .collect();
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(&names).map_err(|e| e.to_string())?;
    for r in &rows[header_at + 1..] {
        let mut cells: Vec<String> = r.iter().take(width).cloned().collect();
        cells.resize(width, String::new());
        if cells.iter().all(|c| c.trim().is_empty()) {
            // A blank row keeps its line, and is skipped when read.
            cells = vec![String::new(); width];
        }
        w.write_record(&cells).map_err(|e| e.to_string())?;
    }
    out.push_str(
        &String::from_utf8(w.into_inner().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?,
    );
    Ok(out)
}

/// A cell as text: whole numbers without decimals, dates as `YYYY-MM-DD` (a month typed
/// into Excel becomes a date), line breaks as spaces.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.replace(['\r', '\n'], " "),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_datetime().map_or_else(
            || dt.as_f64().to_string(),
            |d| d.format("%Y-%m-%d").to_string(),
        ),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e}"),
    }
}
