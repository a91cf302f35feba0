//! SPSS system files (.sav, .zsav) through `ambers`: values as stored (codes, not labels),
//! system-missing as empty, user-missing codes set missing and counted, the file's character
//! encoding checked before anything is decoded.
//!
//! The variable and value labels are kept in [`SavInfo`] for `satkit new --from` and `satkit
//! map`.

use std::io::Cursor;
use std::path::Path;

use ambers::{MissingSpec, SpssMetadata, Value};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, DurationMicrosecondType, Float64Type, TimestampMicrosecondType,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};

use super::tabular::{Format, Tabular, TabularWriter, push_field, push_number};
use crate::error::{Error, Result};

/// What an SPSS file says about one variable.
#[derive(Debug, Clone, PartialEq)]
pub struct SavVariable {
    pub name: String,
    /// The variable label (the question text, as a rule).
    pub label: Option<String>,
    /// Value labels, code → label, in the file's order (numeric codes only).
    pub value_labels: Vec<(f64, String)>,
    /// Whether the variable holds text.
    pub is_string: bool,
    /// User-missing codes and ranges, as (low, high).
    pub missing: Vec<(f64, f64)>,
}

/// The dictionary of an SPSS file.
#[derive(Debug, Clone, PartialEq)]
pub struct SavInfo {
    pub encoding: String,
    pub variables: Vec<SavVariable>,
    pub cases: usize,
}

fn bad(name: &Path, what: String, help: &str) -> Error {
    Error::bad_data(name, None, None, what, help.to_string())
}

/// Read the dictionary and data of an SPSS file.
///
/// # Errors
/// A damaged file, a character encoding satkit does not know, or data ambers cannot read.
pub fn read_all(name: &Path, bytes: &[u8]) -> Result<(RecordBatch, SpssMetadata)> {
    check_encoding(name, bytes)?;
    ambers::read_sav_from_reader(Cursor::new(bytes)).map_err(|e| {
        bad(
            name,
            format!("cannot be read as an SPSS data file: {e}"),
            "open it in SPSS or PSPP and save it again (File > Save As, SPSS Statistics .sav)",
        )
    })
}

/// The dictionary of an SPSS file, from its metadata.
pub fn info(meta: &SpssMetadata, cases: usize) -> SavInfo {
    let variables = meta
        .variable_names
        .iter()
        .map(|v| SavVariable {
            name: v.clone(),
            label: meta
                .label(v)
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
            value_labels: meta
                .value_labels(v)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, l)| match k {
                            Value::Numeric(x) => Some((*x, l.clone())),
                            Value::String(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            is_string: meta
                .arrow_data_types
                .get(v)
                .is_some_and(|t| t.contains("Utf8") || t.contains("String")),
            missing: meta
                .variable_missing_values
                .get(v)
                .map(|specs| {
                    specs
                        .iter()
                        .filter_map(|s| match s {
                            MissingSpec::Value(x) => Some((*x, *x)),
                            MissingSpec::Range { lo, hi } => Some((*lo, *hi)),
                            MissingSpec::StringValue(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    SavInfo {
        encoding: meta.file_encoding.clone(),
        variables,
        cases,
    }
}

/// Read an SPSS file into delimited text: the variable names as the header, then one record per
/// case (line *k* of the source is case *k*).
///
/// # Errors
/// As [`read_all`].
pub fn read(name: &Path, bytes: &[u8]) -> Result<Tabular> {
    read_with_info(name, bytes).map(|(t, _)| t)
}

/// As [`read`], with the file's dictionary.
///
/// # Errors
/// As [`read_all`].
pub fn read_with_info(name: &Path, bytes: &[u8]) -> Result<(Tabular, SavInfo)> {
    let (batch, meta) = read_all(name, bytes)?;
    let info = info(&meta, batch.num_rows());
    let rows = batch.num_rows();
    let mut w = TabularWriter::with_capacity(rows * batch.num_columns() * 3, rows);
    w.record(0, info.variables.iter().map(|v| v.name.as_str()));
    let columns: Vec<&dyn Array> = batch.columns().iter().map(|c| c.as_ref()).collect();
    let mut user_missing: Vec<u64> = vec![0; columns.len()];
    let (mut line, mut cell) = (String::new(), String::new());
    for r in 0..rows {
        line.clear();
        for (c, col) in columns.iter().enumerate() {
            if c > 0 {
                line.push(',');
            }
            cell.clear();
            if cell_text(*col, r, &info.variables[c].missing, &mut cell) {
                user_missing[c] += 1;
            }
            push_field(&mut line, &cell);
        }
        w.raw_record(r as u64 + 1, &line);
    }
    let mut notes = Vec::new();
    let counted: Vec<String> = info
        .variables
        .iter()
        .zip(&user_missing)
        .filter(|(_, n)| **n > 0)
        .map(|(v, n)| format!("{} ({n})", v.name))
        .collect();
    if !counted.is_empty() {
        let n: u64 = user_missing.iter().sum();
        notes.push(format!(
            "{n} cell{} held an SPSS user-missing code and {} read as missing: {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" },
            counted.join(", ")
        ));
    }
    notes.extend(meta.warnings.iter().map(|w| format!("SPSS file: {w}")));
    let (text, lines) = w.finish();
    let tabular = Tabular {
        name: name.display().to_string(),
        text,
        lines,
        header_line: 0,
        notes,
        format: Format::Sav,
        encoding: encoding_rs::Encoding::for_label(info.encoding.as_bytes())
            .map_or("windows-1252", |e| e.name()),
    };
    Ok((tabular, info))
}

/// Write the value of row `r` of a column; returns whether it was a user-missing code (written
/// as empty).
fn cell_text(col: &dyn Array, r: usize, missing: &[(f64, f64)], out: &mut String) -> bool {
    use std::fmt::Write;
    if col.is_null(r) {
        return false;
    }
    match col.data_type() {
        DataType::Float64 => {
            let v = col.as_primitive::<Float64Type>().value(r);
            if missing.iter().any(|(lo, hi)| v >= *lo && v <= *hi) {
                return true;
            }
            push_number(out, v);
        }
        DataType::Utf8View => out.push_str(col.as_string_view().value(r).trim_end()),
        DataType::Utf8 => out.push_str(col.as_string::<i32>().value(r).trim_end()),
        DataType::Date32 => {
            let (y, m, d) = civil_from_days(i64::from(col.as_primitive::<Date32Type>().value(r)));
            let _ = write!(out, "{y:04}-{m:02}-{d:02}");
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            let us = col.as_primitive::<TimestampMicrosecondType>().value(r);
            let secs = us.div_euclid(1_000_000);
            let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
            let t = secs.rem_euclid(86_400);
            let _ = write!(
                out,
                "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
                t / 3600,
                t / 60 % 60,
                t % 60
            );
        }
        DataType::Duration(TimeUnit::Microsecond) => {
            let us = col.as_primitive::<DurationMicrosecondType>().value(r);
            push_number(out, us as f64 / 1e6);
        }
        _ => {}
    }
    false
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Refuse a file whose character encoding satkit cannot decode, before `ambers` would fall back
/// to windows-1252 and garble every label.
///
/// The encoding is read from the dictionary: the encoding record (type 7, subtype 20) names it;
/// without one, the machine-integer record (subtype 3) gives a code page.
fn check_encoding(name: &Path, bytes: &[u8]) -> Result<()> {
    let Some(found) = dictionary_encoding(bytes) else {
        return Ok(());
    };
    let known = match &found {
        EncodingRecord::Name(n) => encoding_rs::Encoding::for_label(n.trim().as_bytes()).is_some(),
        EncodingRecord::CodePage(cp) => KNOWN_CODE_PAGES.contains(cp) || *cp <= 3,
    };
    if known {
        return Ok(());
    }
    let what = match found {
        EncodingRecord::Name(n) => format!("'{}'", n.trim()),
        EncodingRecord::CodePage(cp) => format!("code page {cp}"),
    };
    Err(bad(
        name,
        format!("declares the character encoding {what}, which satkit cannot decode"),
        "open it in SPSS with Unicode mode on (SET UNICODE=ON) and save it again, or in PSPP, which writes UTF-8",
    ))
}

/// The code pages `ambers` maps to an encoding (others fall back to windows-1252).
const KNOWN_CODE_PAGES: &[i32] = &[
    437, 850, 874, 932, 936, 949, 950, 1200, 1201, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257,
    1258, 20127, 20936, 28591, 28592, 28593, 28594, 28595, 28596, 28597, 28598, 28599, 28603,
    28605, 50220, 51932, 51949, 52936, 54936, 65001,
];

enum EncodingRecord {
    Name(String),
    CodePage(i32),
}

/// Walk the dictionary records up to the terminator (type 999) and return the encoding they
/// declare; `None` when the walk fails (the reader then reports the damage) or nothing is
/// declared.
fn dictionary_encoding(bytes: &[u8]) -> Option<EncodingRecord> {
    let le = match bytes.get(64..68)? {
        [2, 0, 0, 0] | [3, 0, 0, 0] => true,
        [0, 0, 0, 2] | [0, 0, 0, 3] => false,
        _ => return None,
    };
    let int = |at: usize| -> Option<i32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if le {
            i32::from_le_bytes(b)
        } else {
            i32::from_be_bytes(b)
        })
    };
    let mut at = 176usize;
    let mut code_page = None;
    loop {
        match int(at)? {
            2 => {
                // Variable record: type, has_label, n_missing, print, write, name[8].
                let has_label = int(at + 8)?;
                let n_missing = int(at + 12)?.unsigned_abs() as usize;
                at += 32;
                if has_label == 1 {
                    let len = int(at)? as usize;
                    at += 4 + len.div_ceil(4) * 4;
                }
                at += 8 * n_missing;
            }
            3 => {
                let count = int(at + 4)? as usize;
                at += 8;
                for _ in 0..count {
                    let len = *bytes.get(at + 8)? as usize;
                    at += 8 + (len + 1).div_ceil(8) * 8;
                }
                // The type 4 record that must follow: its variable indexes.
                let n = int(at + 4)? as usize;
                at += 8 + 4 * n;
            }
            6 => {
                let lines = int(at + 4)? as usize;
                at += 8 + 80 * lines;
            }
            7 => {
                let subtype = int(at + 4)?;
                let size = int(at + 8)? as usize;
                let count = int(at + 12)? as usize;
                let data = at + 16;
                let len = size.checked_mul(count)?;
                if subtype == 20 {
                    let raw = bytes.get(data..data + len)?;
                    return Some(EncodingRecord::Name(
                        String::from_utf8_lossy(raw)
                            .trim_end_matches('\0')
                            .to_string(),
                    ));
                }
                if subtype == 3 && size == 4 && count >= 8 {
                    code_page = Some(int(data + 28)?);
                }
                at = data + len;
            }
            999 => return code_page.map(EncodingRecord::CodePage),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
