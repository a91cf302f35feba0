//! Workbooks (.xlsx, .xls, .ods) through `calamine`: one sheet, the header on the row the user
//! names or the first wide row, merged cells filled from their top-left cell, numbers and dates
//! as stored.
//!
//! The zip directory of an .xlsx or .ods is checked before the workbook is opened: a workbook
//! that would inflate to more than [`MAX_UNCOMPRESSED_BYTES`] (a zip bomb) is refused.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Sheets};

use super::tabular::{Format, SheetOptions, Tabular, TabularWriter, push_number};
use crate::error::{Error, Result};

/// The most a workbook's parts may inflate to (3 GiB). A full Excel sheet of 1,048,576 rows × 40
/// short cells is about 1.5 GB of XML.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 3 << 30;

/// How many leading rows are looked at to find the header.
const HEADER_SCAN_ROWS: usize = 20;

/// Read one sheet of a workbook into delimited text.
///
/// # Errors
/// A corrupt or encrypted workbook, a zip bomb, a sheet that does not exist, an empty sheet or
/// a header row past its end.
pub fn read(name: &Path, bytes: &[u8], format: Format, opts: &SheetOptions) -> Result<Tabular> {
    if matches!(format, Format::Xlsx | Format::Ods) {
        check_zip(name, bytes)?;
    }
    let corrupt = |e: String| {
        let encrypted = e.to_ascii_lowercase().contains("password");
        Error::bad_data(
            name,
            None,
            None,
            if encrypted {
                "is a password-protected workbook".to_string()
            } else {
                format!("cannot be read as an .{} workbook: {e}", format.name())
            },
            if encrypted {
                "remove the password in the spreadsheet program and save it again"
            } else {
                "open it in its spreadsheet program and save it again, or export the sheet as CSV UTF-8"
            },
        )
    };
    let mut book: Sheets<Cursor<&[u8]>> = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| corrupt(e.to_string()))?;
    let names = book.sheet_names();
    let sheet = match &opts.sheet {
        Some(s) => names.iter().find(|n| *n == s).cloned().ok_or_else(|| {
            Error::bad_data(
                name,
                None,
                None,
                format!("has no sheet '{s}'"),
                format!(
                    "pass --sheet with one of: {}",
                    names
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?,
        None => names.first().cloned().ok_or_else(|| {
            Error::bad_data(
                name,
                None,
                None,
                "has no sheets",
                "save the responses in a workbook with one sheet, or as CSV UTF-8",
            )
        })?,
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| corrupt(e.to_string()))?;
    let merged = merged_regions(&mut book, &sheet);
    let label = format!("{}[{sheet}]", name.display());
    to_tabular(&label, &range, &merged, format, opts.header_row)
}

/// The merged regions of a sheet as (first row, first col, last row, last col), absolute.
fn merged_regions(book: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Vec<(u32, u32, u32, u32)> {
    let dims: Vec<calamine::Dimensions> = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
    dims.into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect()
}

/// Refuse a zip whose entries would inflate past [`MAX_UNCOMPRESSED_BYTES`], or that is not a
/// readable zip at all.
fn check_zip(name: &Path, bytes: &[u8]) -> Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Error::bad_data(
            name,
            None,
            None,
            format!("is a damaged workbook: its zip directory cannot be read ({e})"),
            "open it in its spreadsheet program and save it again, or export the sheet as CSV UTF-8",
        )
    })?;
    // The sizes in the central directory (entries written with a data descriptor have them
    // there too).
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > MAX_UNCOMPRESSED_BYTES {
        return Err(Error::bad_data(
            name,
            None,
            None,
            format!(
                "would inflate to {total} bytes, more than the {MAX_UNCOMPRESSED_BYTES} bytes (3 GiB) satkit unpacks from a workbook (a zip bomb, or not a real workbook)"
            ),
            "check where the file came from; a real export of responses is far smaller. Export the sheet as CSV if it is genuine",
        ));
    }
    Ok(())
}

/// The sheet's cells as text, with merged regions filled from their top-left cell.
fn to_tabular(
    label: &str,
    range: &Range<Data>,
    merged: &[(u32, u32, u32, u32)],
    format: Format,
    header_row: Option<u64>,
) -> Result<Tabular> {
    let bad = |what: String, help: &str| {
        Error::bad_data(Path::new(label), None, None, what, help.to_string())
    };
    let Some((row0, col0)) = range.start() else {
        return Err(bad(
            "is empty; expected a header row and responses".into(),
            "choose the sheet that holds the responses with --sheet",
        ));
    };
    let (height, width) = range.get_size();
    let mut errors = 0u64;
    let mut dates = 0u64;
    let text_at = |r: usize, c: usize, errors: &mut u64, dates: &mut u64, out: &mut String| {
        let (ar, ac) = (row0 + r as u32, col0 + c as u32);
        let (sr, sc) = merged
            .iter()
            .find(|m| ar >= m.0 && ar <= m.2 && ac >= m.1 && ac <= m.3)
            .map_or((ar, ac), |m| (m.0, m.1));
        let cell = range.get_value((sr, sc)).unwrap_or(&Data::Empty);
        cell_text(cell, out, errors, dates);
    };
    // The width of a row counts its own cells, not those a merged title fills.
    let width_of = |r: usize| {
        let mut s = String::new();
        let (mut e, mut d) = (0, 0);
        (0..width)
            .filter(|&c| {
                s.clear();
                let at = (row0 + r as u32, col0 + c as u32);
                cell_text(
                    range.get_value(at).unwrap_or(&Data::Empty),
                    &mut s,
                    &mut e,
                    &mut d,
                );
                !s.trim().is_empty()
            })
            .count()
    };
    let header = match header_row {
        Some(h) => {
            let r = h
                .checked_sub(1 + row0 as u64)
                .filter(|&r| (r as usize) < height);
            r.ok_or_else(|| {
                bad(
                    format!(
                        "has no row {h} (its cells span rows {} to {})",
                        row0 + 1,
                        row0 as usize + height
                    ),
                    "give --header-row the sheet row that holds the column names",
                )
            })? as usize
        }
        None => {
            let scan = height.min(HEADER_SCAN_ROWS);
            let widths: Vec<usize> = (0..scan).map(width_of).collect();
            let widest = widths.iter().copied().max().unwrap_or(0);
            widths
                .iter()
                .position(|&w| w > 0 && 2 * w >= widest)
                .unwrap_or(0)
        }
    };
    let mut notes = Vec::new();
    let header_line = row0 as u64 + header as u64 + 1;
    if header_line > 1 {
        notes.push(format!(
            "the header is on row {header_line} of the sheet{}",
            if header_row.is_some() {
                " (--header-row)"
            } else {
                "; the rows above it are titles (pass --header-row to choose another)"
            }
        ));
    }
    let mut w = TabularWriter::with_capacity(height * width * 4, height);
    let mut row: Vec<String> = vec![String::new(); width];
    let mut blank_rows = 0u64;
    for r in header..height {
        for (c, cell) in row.iter_mut().enumerate() {
            cell.clear();
            text_at(r, c, &mut errors, &mut dates, cell);
        }
        if r > header && row.iter().all(|c| c.trim().is_empty()) {
            blank_rows += 1;
            continue;
        }
        let line = row0 as u64 + r as u64 + 1;
        w.record(line, row.iter().map(String::as_str));
    }
    if errors > 0 {
        notes.push(format!(
            "{errors} cell{} held a spreadsheet error (#N/A, #DIV/0!, …) and {} read as empty",
            if errors == 1 { "" } else { "s" },
            if errors == 1 { "is" } else { "are" }
        ));
    }
    if blank_rows > 0 {
        notes.push(format!(
            "{blank_rows} empty row{} below the header skipped",
            if blank_rows == 1 { "" } else { "s" }
        ));
    }
    let (text, lines) = w.finish();
    Ok(Tabular {
        name: label.to_string(),
        text,
        lines,
        header_line,
        notes,
        format,
        encoding: "unicode",
    })
}

/// One cell as text: integers without a fraction, dates and times in ISO 8601, errors empty.
fn cell_text(cell: &Data, out: &mut String, errors: &mut u64, dates: &mut u64) {
    use std::fmt::Write;
    match cell {
        Data::Empty => {}
        Data::String(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => push_number(out, *f),
        Data::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(dt) => {
            *dates += 1;
            if dt.is_duration() {
                // A duration cell ([h]:mm:ss) is a number of days; write seconds.
                push_number(out, (dt.as_f64() * 86_400.0 * 1000.0).round() / 1000.0);
            } else {
                let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                if dt.as_f64() < 1.0 && dt.as_f64() >= 0.0 {
                    let _ = write!(out, "{h:02}:{mi:02}:{s:02}");
                } else if h == 0 && mi == 0 && s == 0 {
                    let _ = write!(out, "{y:04}-{mo:02}-{d:02}");
                } else {
                    let _ = write!(out, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
                }
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Error(_) => *errors += 1,
    }
}
