//! The files responses arrive in: delimited text (CSV, TSV), workbooks (.xlsx, .xls, .ods) and
//! SPSS data files (.sav, .zsav).
//!
//! The kind of file is told by its extension and checked against its first bytes, so a renamed
//! file gets a message instead of garbage. Workbooks and SPSS files are turned into delimited
//! text with one record per respondent ([`Tabular`]); the import reads that text as it reads a
//! CSV file, and every line it reports is mapped back to the sheet's row or the file's case
//! number.

pub mod spss;
pub mod tabular;
pub mod workbook;

pub use tabular::{Format, SheetOptions, Tabular, TabularWriter, push_field, push_number};

use std::path::Path;

use crate::error::{Error, Result};

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
