//! A draft survey from a data file (to come).

use std::path::Path;

use super::types::Draft;
use crate::error::{Error, Result};

/// # Errors
/// Always, until the data reader lands.
pub fn read(path: &Path, _id: &str, _zh: Option<bool>) -> Result<Draft> {
    Err(Error::usage(
        format!("{} is not an XLSForm", path.display()),
        "give an XLSForm (.xlsx with survey and choices sheets)",
    ))
}
