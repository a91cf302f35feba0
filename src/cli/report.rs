//! `satkit report`: re-render report.html, report.md, charts/ and tables/ from a saved
//! results.json without recomputing anything. The same renderer runs at the end of `analyze`, so
//! both give byte-identical files for the same results.

use std::path::PathBuf;

pub use crate::analysis::results_file::{parse_results, read_results};
use crate::error::Result;
use crate::output::{Inputs, OutputDir, Owned};
use crate::report::write::{REPORT_OUTPUTS, ReportOptions, write_report};

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
    // The report replaces its own part of the directory; results.json (and any other plain
    // file) beside it is carried over unchanged.
    let inputs = Inputs::new([args.results.as_path()]);
    let set = OutputDir::begin(&args.output, Owned::Names(REPORT_OUTPUTS), &inputs)?;
    write_report(&results, set.path(), &opts)?;
    set.commit()?;
    crate::errln!("report: {}", args.output.join("report.html").display());
    Ok(0)
}
