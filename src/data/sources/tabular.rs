//! The delimited text that workbooks and SPSS files are converted to, and the kinds of file.

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
    /// The character encoding of the source (an SPSS file's; workbooks are Unicode).
    pub encoding: &'static str,
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
}
