//! The columns of each file alisplan writes and reads back, defined once: the writer puts
//! the header in this order, the reader requires and accepts exactly these columns.

use std::path::Path;

use crate::error::Diagnostics;
use crate::io::table::{Columns, Table};

/// One column of a file.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    /// A file read back must have it.
    pub required: bool,
    /// alisplan writes it (a column that is only read is accepted from hand-made files).
    pub written: bool,
}

/// A column that is written and must be there when read back.
pub const fn required(name: &'static str) -> Column {
    Column {
        name,
        required: true,
        written: true,
    }
}

/// A column that is written but may be missing when read back.
pub const fn optional(name: &'static str) -> Column {
    Column {
        name,
        required: false,
        written: true,
    }
}

/// A column that is never written but is read when present.
pub const fn read_only(name: &'static str) -> Column {
    Column {
        name,
        required: false,
        written: false,
    }
}

/// A file's name and its columns in the order they are written.
#[derive(Clone, Copy, Debug)]
pub struct Schema {
    pub file: &'static str,
    pub columns: &'static [Column],
}

impl Schema {
    /// The header row alisplan writes.
    pub fn header(&self) -> Vec<&'static str> {
        self.columns
            .iter()
            .filter(|c| c.written)
            .map(|c| c.name)
            .collect()
    }

    fn names(&self, required: bool) -> Vec<&'static str> {
        self.columns
            .iter()
            .filter(|c| c.required == required)
            .map(|c| c.name)
            .collect()
    }

    /// Read the file from folder `dir`; `None` when it is absent (an error if `must_exist`)
    /// or unusable (errors recorded).
    pub fn read(&self, dir: &Path, must_exist: bool, diags: &mut Diagnostics) -> Option<Table> {
        let (required, optional) = (self.names(true), self.names(false));
        let columns = Columns {
            required: &required,
            optional: &optional,
        };
        Table::read(dir, self.file, columns, must_exist, diags)
    }

    /// Parse the bytes of a file of this kind, named `label` in messages.
    pub fn parse(&self, label: &str, bytes: &[u8], diags: &mut Diagnostics) -> Option<Table> {
        let (required, optional) = (self.names(true), self.names(false));
        let columns = Columns {
            required: &required,
            optional: &optional,
        };
        Table::parse(label, bytes, columns, diags)
    }

    /// The file's bytes: the header, then `rows` (each in header order).
    pub fn write<I, R, S>(&self, rows: I) -> Vec<u8>
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        csv_bytes(&self.header(), rows)
    }
}

/// CSV bytes: `header`, then `rows`.
pub fn csv_bytes<I, R, S>(header: &[&str], rows: I) -> Vec<u8>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    write_csv(csv::Writer::from_writer(Vec::new()), header, rows)
}

/// Write `header`, then `rows`, with `w`, and give back its bytes.
pub fn write_csv<I, R, S>(mut w: csv::Writer<Vec<u8>>, header: &[&str], rows: I) -> Vec<u8>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    w.write_record(header)
        .expect("writing to memory cannot fail");
    for r in rows {
        w.write_record(r).expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// CSV bytes for office programs: a UTF-8 byte-order mark (so that Excel shows æ, ø and
/// å), then `header` and `rows` separated by `delimiter`.
pub fn office_csv<R, S>(
    delimiter: u8,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> Vec<u8>
where
    R: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    write_csv(w, header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Schema = Schema {
        file: "x.csv",
        columns: &[required("a"), optional("b"), read_only("c")],
    };

    #[test]
    fn writes_the_written_columns_and_reads_back_what_it_wrote() {
        let bytes = S.write([["1", "2"]]);
        assert_eq!(bytes, b"a,b\n1,2\n");
        let mut diags = Diagnostics::default();
        let t = S.parse("x.csv", &bytes, &mut diags).expect("parses");
        assert!(!diags.has_errors());
        assert_eq!(t.rows().next().and_then(|r| r.cell("b")), Some("2"));
        let mut diags = Diagnostics::default();
        assert!(S.parse("x.csv", b"b,c\n2,3\n", &mut diags).is_none() || diags.has_errors());
    }
}
