//! The files responses arrive in: delimited text (CSV, TSV), workbooks (.xlsx, .xls, .ods) and
//! SPSS data files (.sav, .zsav).
//!
//! The kind of file is told by its extension and checked against its first bytes, so a renamed
//! file gets a message instead of garbage. Workbooks and SPSS files are turned into delimited
//! text with one record per respondent ([`Tabular`]); the import reads that text as it reads a
//! CSV file, and every line it reports is mapped back to the sheet's row or the file's case
//! number.

pub mod spss;
pub mod workbook;

use std::path::Path;

use crate::error::{Error, Result};

/// What kind of file holds the responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV, TSV or any delimited text.
    Delimited,
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel 97–2003 workbook (.xls).
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// SPSS system file (.sav, or .zsav with zlib compression).
    Sav,
}

impl Format {
    /// The name used in messages and the import summary.
    pub fn name(self) -> &'static str {
        match self {
            Format::Delimited => "csv",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Sav => "sav",
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The format of `path` from its extension, checked against its first bytes.
///
/// A workbook or SPSS file whose bytes say otherwise is an error that names what the bytes are
/// (an encrypted .xlsx is an OLE container, a CSV renamed .xlsx is text).
///
/// # Errors
/// [`Error::BadData`] when the extension and the content disagree.
pub fn detect(name: &Path, path: &Path, head: &[u8]) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let claimed = match ext.as_str() {
        "xlsx" | "xlsm" => Format::Xlsx,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        "sav" | "zsav" => Format::Sav,
        _ => Format::Delimited,
    };
    let seen = sniff(head);
    match (claimed, seen) {
        (Format::Delimited, Some(f)) if f != Format::Delimited => Err(Error::bad_data(
            name,
            None,
            None,
            format!(
                "is named like a delimited text file but its content is {}",
                describe(f)
            ),
            format!(
                "rename it with the .{} extension so satkit reads it as such",
                f.name()
            ),
        )),
        (Format::Delimited, _) => Ok(Format::Delimited),
        (Format::Xlsx, Some(Format::Xls)) => Err(Error::bad_data(
            name,
            None,
            None,
            "is an encrypted (password-protected) workbook, or an old .xls renamed .xlsx: its content is an OLE container, not the zip of an .xlsx",
            "open it in Excel, remove the password (File > Info > Protect Workbook) and save it again as .xlsx",
        )),
        (Format::Xlsx, Some(Format::Xlsx)) | (Format::Ods, Some(Format::Xlsx)) => Ok(claimed),
        (Format::Xls, Some(Format::Xls)) => Ok(Format::Xls),
        (Format::Sav, Some(Format::Sav)) => Ok(Format::Sav),
        (want, got) => Err(Error::bad_data(
            name,
            None,
            None,
            format!(
                "has the .{ext} extension but its content is {}, not {}",
                got.map_or("unrecognised (not a workbook or SPSS file)", describe),
                describe(want)
            ),
            "export the file again from its program, or give it the extension of what it holds",
        )),
    }
}

/// What the first bytes say: a zip container (xlsx, ods), an OLE container (xls, or an
/// encrypted xlsx), an SPSS file, or nothing known.
fn sniff(head: &[u8]) -> Option<Format> {
    if head.starts_with(ZIP_MAGIC) {
        Some(Format::Xlsx)
    } else if head.starts_with(OLE_MAGIC) {
        Some(Format::Xls)
    } else if head.starts_with(b"$FL2") || head.starts_with(b"$FL3") {
        Some(Format::Sav)
    } else {
        None
    }
}

fn describe(f: Format) -> &'static str {
    match f {
        Format::Delimited => "delimited text",
        Format::Xlsx | Format::Ods => "a zip container (an .xlsx or .ods workbook)",
        Format::Xls => "an OLE container (an .xls workbook or an encrypted .xlsx)",
        Format::Sav => "an SPSS data file",
    }
}

/// Responses converted to delimited text: a header record, then one record per respondent,
/// each on the line `lines` names in the source.
#[derive(Debug, Clone)]
pub struct Tabular {
    /// The input's name in messages: the file, with the sheet for a workbook.
    pub name: String,
    /// CSV text (comma-delimited, RFC 4180 quoting), header first.
    pub text: String,
    /// For each line of `text` (index 0 is line 1), the source line it came from: the sheet row
    /// for a workbook, the case number for an SPSS file.
    pub lines: Vec<u64>,
    /// The source line of the header (0 when the source has no header row, as in SPSS).
    pub header_line: u64,
    /// What the conversion did that a user should know (a header found below row 1, spreadsheet
    /// error cells read as empty, user-missing codes set missing).
    pub notes: Vec<String>,
    /// The format read, for the import summary.
    pub format: Format,
}

impl Tabular {
    /// The source line of a line of `text` (1-based); lines past the end map to themselves.
    pub fn source_line(&self, line: u64) -> u64 {
        self.lines
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(line)
    }
}

/// Writes records as CSV text and keeps the source line of every line written.
pub struct TabularWriter {
    text: String,
    lines: Vec<u64>,
}

impl TabularWriter {
    pub fn with_capacity(bytes: usize, rows: usize) -> TabularWriter {
        TabularWriter {
            text: String::with_capacity(bytes),
            lines: Vec::with_capacity(rows + 1),
        }
    }

    /// Append one record that came from source line `source`.
    pub fn record<'a>(&mut self, source: u64, cells: impl IntoIterator<Item = &'a str>) {
        let start = self.text.len();
        for (i, c) in cells.into_iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            push_field(&mut self.text, c);
        }
        self.text.push('\n');
        let breaks = memchr::memchr_iter(b'\n', &self.text.as_bytes()[start..]).count();
        self.lines.extend(std::iter::repeat_n(source, breaks));
    }

    /// Append one record already written as CSV fields (without the line end).
    pub fn raw_record(&mut self, source: u64, fields: &str) {
        self.text.push_str(fields);
        self.text.push('\n');
        let breaks = memchr::memchr_iter(b'\n', fields.as_bytes()).count() + 1;
        self.lines.extend(std::iter::repeat_n(source, breaks));
    }

    pub fn finish(self) -> (String, Vec<u64>) {
        (self.text, self.lines)
    }
}

/// Append `c` as one CSV field, quoted when it holds a comma, a quote or a line break.
pub fn push_field(out: &mut String, c: &str) {
    if c.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for ch in c.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(c);
    }
}

/// A number as a cell: integers without a fraction, others in the shortest form that reads
/// back to the same value.
pub fn push_number(out: &mut String, v: f64) {
    use std::fmt::Write;
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        let _ = write!(out, "{}", v as i64);
    } else {
        let _ = write!(out, "{v}");
    }
}

/// Options for reading a workbook.
#[derive(Debug, Clone, Default)]
pub struct SheetOptions {
    /// The sheet to read (the first when `None`).
    pub sheet: Option<String>,
    /// The 1-based row of the header (found when `None`: the first row that is at least half
    /// as wide as the widest of the first rows).
    pub header_row: Option<u64>,
}

/// Read a workbook or SPSS file into delimited text; `None` for delimited text itself, which
/// the import reads directly.
///
/// # Errors
/// As [`detect`], [`workbook::read`] and [`spss::read`].
pub fn convert(
    name: &Path,
    path: &Path,
    bytes: &[u8],
    sheet: &SheetOptions,
) -> Result<Option<Tabular>> {
    let format = detect(name, path, &bytes[..bytes.len().min(16)])?;
    if format != Format::Sav && format != Format::Delimited {
        return workbook::read(name, bytes, format, sheet).map(Some);
    }
    if sheet.sheet.is_some() || sheet.header_row.is_some() {
        return Err(Error::usage(
            format!(
                "--sheet and --header-row apply to workbooks; {} is {}",
                name.display(),
                if format == Format::Sav {
                    "an SPSS file"
                } else {
                    "delimited text"
                }
            ),
            "leave out --sheet and --header-row for this file",
        ));
    }
    match format {
        Format::Sav => spss::read(name, bytes).map(Some),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut s = String::new();
        push_field(&mut s, "a,b");
        push_field(&mut s, "plain");
        push_field(&mut s, "say \"hi\"");
        assert_eq!(s, "\"a,b\"plain\"say \"\"hi\"\"\"");
    }

    #[test]
    fn a_cell_with_a_line_break_keeps_one_source_line_per_text_line() {
        let mut w = TabularWriter::with_capacity(64, 2);
        w.record(0, ["id", "q"]);
        w.record(5, ["1", "two\nlines"]);
        w.record(6, ["2", "x"]);
        let (text, lines) = w.finish();
        assert_eq!(text.lines().count(), 4);
        assert_eq!(lines, vec![0, 5, 5, 6]);
    }

    #[test]
    fn numbers_are_written_as_they_read_back() {
        let mut s = String::new();
        push_number(&mut s, 3.0);
        s.push(' ');
        push_number(&mut s, 0.1);
        s.push(' ');
        push_number(&mut s, -2.5);
        assert_eq!(s, "3 0.1 -2.5");
    }

    #[test]
    fn a_renamed_or_encrypted_file_is_named_for_what_it_is() {
        let p = Path::new("r.xlsx");
        let e = detect(p, p, OLE_MAGIC).unwrap_err().to_string();
        assert!(e.contains("encrypted"), "{e}");
        let e = detect(p, p, b"id,q1\n1,2").unwrap_err().to_string();
        assert!(
            e.contains("not a zip container") || e.contains("unrecognised"),
            "{e}"
        );
        let c = Path::new("r.csv");
        let e = detect(c, c, b"$FL2abc").unwrap_err().to_string();
        assert!(e.contains("SPSS"), "{e}");
        assert_eq!(detect(c, c, b"id,q1").unwrap(), Format::Delimited);
    }
}
