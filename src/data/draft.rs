//! Draft surveys for `satkit new --from`: from an XLSForm already fielded, or from a data file
//! (CSV, Excel, SPSS) whose columns become questions.

pub mod from_data;
pub mod types;
pub mod xlsform;

pub use types::Draft;

use std::path::Path;

use crate::error::Result;

/// A draft survey from an XLSForm or a data file. `zh` forces the language.
///
/// # Errors
/// An unreadable file, an XLSForm without its sheets, or a data file without columns.
pub fn from_file(path: &Path, id: &str, zh: Option<bool>) -> Result<Draft> {
    let bytes = crate::input::read(path)
        .or_else(|_| crate::data::read::read_input(path).map(|b| b.to_vec()))?;
    let is_book = path.extension().is_some_and(|e| {
        e.eq_ignore_ascii_case("xlsx")
            || e.eq_ignore_ascii_case("xls")
            || e.eq_ignore_ascii_case("ods")
    });
    if is_book && xlsform::is_xlsform(&bytes) {
        return xlsform::read(path, &bytes, id, zh);
    }
    from_data::read(path, id, zh)
}
