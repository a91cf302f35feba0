//! Response data: reading CSV in any common encoding and delimiter, coding and validating each
//! cell against the survey, quality flags, the polars respondent table, and synthetic responses.

pub mod coding;
pub mod draft;
pub mod export;
pub mod headers;
pub mod import;
pub mod mapping;
pub mod platforms;
pub mod quality;
pub mod read;
pub mod simulate;
pub mod sources;
pub mod table;

pub use import::{ImportOptions, ImportReport, Imported, InvalidPolicy, import_path};
pub use table::ResponseTable;
