//! CSV text as office programs save it: UTF-8 with or without a byte-order mark, UTF-16
//! with a byte-order mark (Excel's "Unicode text"), or Windows-1252 (Excel's "CSV" in a
//! Norwegian or other Western locale); fields separated by commas, semicolons (Excel
//! where the comma is the decimal sign) or tabs, sniffed from the header line. Line ends
//! may be LF or CRLF. Everything is turned into UTF-8 text before the CSV is parsed.

use std::fmt;

/// How the bytes of a text file were encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-8 starting with a byte-order mark (as Excel's "CSV UTF-8" writes it).
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Windows-1252 (a superset of ISO-8859-1): bytes that are not valid UTF-8.
    Windows1252,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with a byte-order mark",
            Encoding::Utf16Le | Encoding::Utf16Be => "UTF-16",
            Encoding::Windows1252 => "Windows-1252",
        })
    }
}

/// A text file decoded to UTF-8, with the field separator of its header.
#[derive(Clone, Debug)]
pub struct Text {
    pub text: String,
    pub encoding: Encoding,
    pub delimiter: u8,
}

impl Text {
    /// What the file looks like, e.g. "semicolon-separated, Windows-1252".
    pub fn describe(&self) -> String {
        let sep = match self.delimiter {
            b';' => "semicolon",
            b'\t' => "tab",
            _ => "comma",
        };
        format!("{sep}-separated, {}", self.encoding)
    }
}

/// Why bytes could not be read as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotText {
    /// The rule broken: `text-format` (not text at all) or `csv-format` (broken UTF-8).
    pub rule: &'static str,
    /// The 1-based physical line of the first bad byte, where there is one.
    pub line: Option<u64>,
    /// The column (1-based, with the header's name for it) of the first bad byte.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl NotText {
    /// The file as a whole is not CSV text (named at its first line).
    fn whole(message: &str) -> NotText {
        NotText {
            rule: "text-format",
            line: Some(1),
            column: None,
            message: message.to_string(),
        }
    }
}

/// Decode the bytes of a CSV file. A file that is not text at all (a workbook saved under
/// a `.csv` name, say) is an error that says what it looks like and what to do; so is a
/// UTF-8 file with a broken byte, which would otherwise be misread as Windows-1252.
pub fn decode(bytes: &[u8]) -> Result<Text, NotText> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8_or_1252(rest)?.0, Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (t, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        (t.into_owned(), Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (t, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        (t.into_owned(), Encoding::Utf16Be)
    } else if bytes.starts_with(b"PK\x03\x04") {
        return Err(NotText::whole(
            "this is a workbook (.xlsx) or another zip file, not CSV text: name it .xlsx, or save it from the spreadsheet program as CSV",
        ));
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(NotText::whole(
            "this is an old Excel workbook (.xls), not CSV text: save it from the spreadsheet program as CSV or as .xlsx",
        ));
    } else if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = position_of(bytes, at);
        return Err(NotText {
            line: Some(line),
            column,
            ..NotText::whole(
                "this is not text (it contains a NUL byte, here): save it from the spreadsheet program as CSV",
            )
        });
    } else {
        utf8_or_1252(bytes)?
    };
    let delimiter = sniff_delimiter(&text);
    Ok(Text {
        text,
        encoding,
        delimiter,
    })
}

/// UTF-8 if the bytes are valid UTF-8, else Windows-1252 (which decodes every byte) —
/// unless the bytes hold UTF-8 letters beside the invalid ones: that is a UTF-8 file with
/// a broken byte, reported at its line.
fn utf8_or_1252(bytes: &[u8]) -> Result<(String, Encoding), NotText> {
    let e = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_string(), Encoding::Utf8)),
        Err(e) => e,
    };
    let has_utf8_letters = bytes.utf8_chunks().any(|c| !c.valid().is_ascii());
    if has_utf8_letters {
        let (line, column) = position_of(bytes, e.valid_up_to());
        return Err(NotText {
            rule: "csv-format",
            line: Some(line),
            column,
            message: "the file is not valid UTF-8: it holds UTF-8 letters and, on this line, a byte that is not UTF-8; save it again as CSV UTF-8".into(),
        });
    }
    let (t, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok((t.into_owned(), Encoding::Windows1252))
}

/// The physical line (`\n`, `\r\n` or a lone `\r` ends a line) and the column of byte
/// `at`, the column named as the header names it.
fn position_of(bytes: &[u8], at: usize) -> (u64, Option<(usize, String)>) {
    let before = &bytes[..at];
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in before.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let whole = String::from_utf8_lossy(bytes);
    let delimiter = sniff_delimiter(&whole);
    let mut field = 0;
    let mut quoted = false;
    for &b in &before[line_start..] {
        match b {
            b'"' => quoted = !quoted,
            b if b == delimiter && !quoted => field += 1,
            _ => {}
        }
    }
    let header = whole
        .split(['\n', '\r'])
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    let name = header.and_then(|h| {
        h.split(delimiter as char)
            .nth(field)
            .map(|n| n.trim().trim_matches('"').to_string())
    });
    (line, name.map(|n| (field + 1, n)))
}

/// The field separator of the header line (the first line that is neither blank nor a
/// `#` comment): whichever of `,`, `;` and tab occurs most often outside quotes; a comma
/// when there is none.
pub fn sniff_delimiter(text: &str) -> u8 {
    let Some(header) = text
        .split(['\n', '\r'])
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return b',';
    };
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|c| c.0 == b) {
            c.1 += 1;
        }
    }
    // Ties go to the comma (listed first).
    counts
        .iter()
        .fold((b',', 0), |best, &c| if c.1 > best.1 { c } else { best })
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_excel_writes_in_a_norwegian_locale() {
        // "lege;beslutning\r\nV01;avslått\r\n" in Windows-1252: å is 0xE5.
        let bytes = b"lege;beslutning\r\nV01;avsl\xE5tt\r\n";
        let t = decode(bytes).unwrap();
        assert_eq!(t.text, "lege;beslutning\r\nV01;avslått\r\n");
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.describe(), "semicolon-separated, Windows-1252");
    }

    #[test]
    fn strips_the_byte_order_marks() {
        let t = decode("\u{feff}a,b\nø,å\n".as_bytes()).unwrap();
        assert_eq!(
            (t.text.as_str(), t.encoding),
            ("a,b\nø,å\n", Encoding::Utf8Bom)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\tb\nø\tå\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let t = decode(&utf16).unwrap();
        assert_eq!(t.text, "a\tb\nø\tå\n");
        assert_eq!(t.describe(), "tab-separated, UTF-16");
        assert_eq!(decode(b"a,b\n").unwrap().encoding, Encoding::Utf8);
    }

    #[test]
    fn sniffs_the_separator_outside_quotes_and_after_comments() {
        assert_eq!(sniff_delimiter("# a;b;c\nx,y\n"), b',');
        assert_eq!(sniff_delimiter("\"a,b,c\";d;e\n"), b';');
        assert_eq!(sniff_delimiter("single\n"), b',');
        assert_eq!(sniff_delimiter(""), b',');
        assert_eq!(sniff_delimiter("a;b,c\n"), b',', "a tie goes to the comma");
    }

    #[test]
    fn a_workbook_under_a_csv_name_says_what_it_is() {
        let e = decode(b"PK\x03\x04rest").unwrap_err();
        assert!(e.message.contains("workbook (.xlsx)"), "{e:?}");
        assert!(
            decode(b"\xD0\xCF\x11\xE0")
                .unwrap_err()
                .message
                .contains(".xls")
        );
        assert!(decode(b"a\0b").unwrap_err().message.contains("NUL"));
    }

    #[test]
    fn a_broken_byte_in_a_utf8_file_is_not_read_as_windows_1252() {
        let mut bytes = "a,b\nFørde,1\nx,2\n".as_bytes().to_vec();
        let x = bytes.iter().position(|&b| b == b'x').unwrap();
        bytes[x] = 0xFF;
        let e = decode(&bytes).unwrap_err();
        assert_eq!((e.rule, e.line), ("csv-format", Some(3)));
        assert!(e.message.contains("not valid UTF-8"));
    }
}
