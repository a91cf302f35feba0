//! `satkit report`: re-render report.html, report.md, charts/ and tables/ from a saved
//! results.json without recomputing anything. The same renderer runs at the end of `analyze`, so
//! both give byte-identical files for the same results.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::analysis::Results;
use crate::analysis::results::SCHEMA_VERSION;
use crate::diagnostic::SourceFile;
use crate::error::{Error, Result};
use crate::output::refuse_overwrite;
use crate::report::write::{ReportOptions, fixed_outputs, write_report};

const EXAMPLES: &str = "\
Examples:
  satkit report out/b2b/results.json -o out/b2b
  satkit report out/b2b/results.json -o out/b2b-print --no-timestamp
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) satkit report results.json -o site/report

A timestamp appears only when SOURCE_DATE_EPOCH is set (seconds since 1970, shown in UTC);
--no-timestamp leaves it out even then.";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// A results.json written by `satkit analyze`.
    pub results: PathBuf,
    /// Output directory for report.html, report.md, charts/ and tables/ (created if needed).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Never print a generated-at timestamp, even when SOURCE_DATE_EPOCH is set.
    #[arg(long)]
    pub no_timestamp: bool,
}

pub fn run(args: Args) -> Result<i32> {
    let opts = ReportOptions::from_env(args.no_timestamp)?;
    let results = read_results(&args.results)?;
    for out in fixed_outputs(&args.output) {
        refuse_overwrite(&out, &[&args.results])?;
    }
    write_report(&results, &args.output, &opts)?;
    eprintln!("report: {}", args.output.join("report.html").display());
    Ok(0)
}

#[derive(Deserialize)]
struct VersionOnly {
    schema_version: String,
}

/// A location error: `file:line:col: message`.
fn located(path: &Path, line: usize, col: usize, message: String, help: &str) -> Error {
    // BadData's line is a row number without a column; a JSON position has both, so the
    // location goes into the path shown.
    Error::bad_data(
        PathBuf::from(format!("{}:{line}:{col}", path.display())),
        None,
        None,
        message,
        help,
    )
}

/// Read and check a results.json: it must parse, and its schema's major version must be the one
/// this satkit writes.
///
/// # Errors
/// I/O errors; [`Error::BadData`] with `file:line:col` for JSON that does not parse or does not
/// match the schema, or an unsupported major `schema_version`.
pub fn read_results(path: &Path) -> Result<Results> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_results(path, &text)
}

/// Check and parse results.json text read from `path` (used in messages), as [`read_results`]
/// does after the read; the `results_report` fuzz target calls it.
///
/// # Errors
/// As [`read_results`], less the I/O errors.
pub fn parse_results(path: &Path, text: &str) -> Result<Results> {
    let json_err = |e: serde_json::Error| {
        located(
            path,
            e.line(),
            e.column(),
            format!("not a satkit results document: {e}"),
            "pass the results.json written by `satkit analyze` (re-run analyze if the file was edited)",
        )
    };
    let version: VersionOnly = serde_json::from_str(text).map_err(json_err)?;
    let supported = SCHEMA_VERSION.split('.').next().unwrap_or("1");
    let major = version.schema_version.split('.').next().unwrap_or("");
    if major != supported {
        let src = SourceFile::new(path.display().to_string(), text);
        let offset = text.find("\"schema_version\"").unwrap_or(0);
        let (line, col) = src.line_col(offset);
        return Err(located(
            path,
            line,
            col,
            format!(
                "schema_version {} is not supported: satkit {} reads results schema {supported}.x",
                version.schema_version,
                env!("CARGO_PKG_VERSION")
            ),
            "re-run `satkit analyze` with this satkit, or render with the satkit version that wrote the file",
        ));
    }
    serde_json::from_str(text).map_err(json_err)
}
