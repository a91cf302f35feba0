//! Batch runs: many analyses described in one TOML file, run in parallel, with gates per job and
//! a summary (summary.json, summary.html) over all of them. See docs/batch.md.
//!
//! Design, in two layers as the command line does it elsewhere: [`plan`] parses the batch file
//! (strings, with TOML spans) and turns it into a validated [`BatchPlan`] of resolved paths and
//! parsed [`Gates`]; every mistake in the file is reported there, with file:line:col, before any
//! job runs (exit 2). [`run`] then executes the plan with scoped worker threads; a job that fails
//! (a missing data file, an invalid survey, a panic) is recorded in its [`JobSummary`] and never
//! stops the others.

mod plan;
mod run;

pub use plan::{BatchPlan, JobPlan, plan, plan_file};
pub use run::{
    BatchSummary, JobStatus, JobSummary, RunOptions, SUMMARY_SCHEMA_VERSION, execute, gates_text,
    render_html, run, write_summary,
};
