//! One analysis run from files to files: the library form of `satkit analyze`, which the command
//! and every batch job call.
//!
//! Design: an [`AnalyzeJob`] holds validated plain values (paths, [`AnalysisOptions`],
//! [`ImportSettings`], gates); [`run`] loads the survey and the baseline, refuses to overwrite
//! inputs, reads the table, analyses, writes results.json and the report, and evaluates the gates
//! on the results as saved. What the caller shows on the way (import warnings, the files written)
//! reaches it through [`Event`]s, so the command prints them as they happen and a batch job
//! records them; the pipeline itself prints nothing.

pub mod import_text;
pub mod settings;
pub mod weights;

use std::path::{Path, PathBuf};

use crate::analysis::{self, AnalysisOptions, Results};
use crate::data::{ResponseTable, import_path};
use crate::error::{Error, Result};
use crate::gates::{self, GateOutcome, Gates};
use crate::model::Survey;
use crate::output::{Inputs, OutputDir, Owned, write_atomic};
use crate::report::write::{ReportOptions, write_report};
pub use settings::ImportSettings;

/// Where a job's options came from, for the wording of its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `satkit analyze` flags (`--baseline`, `--fail-node`).
    CommandLine,
    /// Batch-file keys (`baseline`, `fail_node`).
    BatchFile,
}

/// One analysis to run.
#[derive(Debug, Clone)]
pub struct AnalyzeJob {
    pub survey: PathBuf,
    /// Responses: CSV (imported on the fly) or Parquet from `satkit import`.
    pub data: PathBuf,
    /// The output directory: results.json, and the report unless `report` is `None`.
    pub output: PathBuf,
    /// Everything the analysis takes; `input` names the data in the results.
    pub analysis: AnalysisOptions,
    /// How a CSV is read (the weight column comes from `analysis.weight`).
    pub import: ImportSettings,
    pub gates: Gates,
    /// An earlier wave's results.json for `fail_drop`.
    pub baseline: Option<PathBuf>,
    /// Render report.html, report.md, charts/ and tables/; `None` writes only results.json.
    pub report: Option<ReportOptions>,
    pub origin: Origin,
}

/// What happened on the way, in order.
#[derive(Debug)]
pub enum Event<'a> {
    /// A CSV was imported: its warnings, and a summary line when rows or cells were lost.
    Imported {
        warnings: &'a [String],
        summary: Option<String>,
    },
    /// results.json is written.
    ResultsWritten(&'a Path),
    /// The report is written.
    ReportWritten(&'a Path),
}

/// A finished run.
#[derive(Debug)]
pub struct Outcome {
    pub results: Results,
    /// results.json as written.
    pub json: String,
    pub results_path: PathBuf,
    /// The results as read back from `json`: what the report and the gates saw.
    pub saved: Results,
    pub baseline: Option<Results>,
    /// Every gate checked, in order.
    pub gates: Vec<GateOutcome>,
}

/// Run `job`, telling `on_event` what happens on the way.
///
/// # Errors
/// Every error of loading, analysing and writing, with its location. The output directory is
/// written as a whole ([`OutputDir`]): on any error it keeps the previous set, untouched.
pub fn run(job: &AnalyzeJob, on_event: &mut dyn FnMut(Event<'_>)) -> Result<Outcome> {
    let survey = Survey::load(&job.survey)?;
    job.gates
        .check_nodes(survey.tree.nodes.iter().map(|n| n.id.as_str()))
        .map_err(|e| match job.origin {
            Origin::CommandLine => e,
            Origin::BatchFile => {
                Error::usage(e.to_string().replace("--fail-node", "fail_node"), "")
            }
        })?;
    let baseline = load_baseline(job, &survey)?;
    if job.gates.fail_drop.is_some() && baseline.is_none() {
        return Err(Error::usage(
            "--fail-drop needs --baseline RESULTS.json to compare with",
            "e.g. --fail-drop 2 --baseline out/2025/results.json",
        ));
    }
    let results_path = job.output.join("results.json");
    let set = OutputDir::begin(&job.output, Owned::Names(ANALYZE_OUTPUTS), &inputs(job))?;
    let table = load_table(job, &survey, on_event)?;
    let results = analysis::analyze(&survey, &table, &job.analysis)?;
    let json = to_json(&results);
    write_atomic(&set.path().join("results.json"), json.as_bytes())?;
    // Render and gate the results as saved, as `satkit report` reads them, so both give
    // identical bytes even where a float does not survive the text round trip bit for bit.
    let saved: Results = serde_json::from_str(&json).unwrap_or_else(|_| results.clone());
    if let Some(opts) = &job.report {
        write_report(&saved, set.path(), opts)?;
    }
    set.commit()?;
    on_event(Event::ResultsWritten(&results_path));
    if job.report.is_some() {
        on_event(Event::ReportWritten(&job.output.join("report.html")));
    }
    let gates = gates::evaluate(&saved, baseline.as_ref(), &job.gates);
    Ok(Outcome {
        results,
        json,
        results_path,
        saved,
        baseline,
        gates,
    })
}

/// The baseline results, checked to be of the same survey.
fn load_baseline(job: &AnalyzeJob, survey: &Survey) -> Result<Option<Results>> {
    let Some(p) = &job.baseline else {
        return Ok(None);
    };
    let b = crate::analysis::read_results(p)?;
    if b.survey.id != survey.meta.id {
        let flag = match job.origin {
            Origin::CommandLine => "--baseline",
            Origin::BatchFile => "baseline",
        };
        return Err(Error::usage(
            format!(
                "{flag} {} is from survey '{}', not '{}'",
                p.display(),
                b.survey.id,
                survey.meta.id
            ),
            "give the results.json of an earlier wave of the same survey",
        ));
    }
    Ok(Some(b))
}

/// The top-level entries of an analyze output directory; a run replaces them all.
pub const ANALYZE_OUTPUTS: &[&str] = &[
    "results.json",
    "report.html",
    "report.md",
    "charts",
    "tables",
];

/// Every file the job reads.
fn inputs(job: &AnalyzeJob) -> Inputs {
    let mut inputs = Inputs::new([job.survey.as_path(), job.data.as_path()]);
    for p in job.baseline.iter().chain(&job.import.map) {
        inputs.push(p);
    }
    inputs
}

/// The job's table. From Parquet only the columns the analysis uses are read: the survey's
/// questions, weight and flags, plus the weight and `by` columns of the job.
fn load_table(
    job: &AnalyzeJob,
    survey: &Survey,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<ResponseTable> {
    let extra: Vec<String> = (job.analysis.weight.iter())
        .chain(&job.analysis.improve.by)
        .cloned()
        .collect();
    let mut settings = job.import.clone();
    settings.weight = job.analysis.weight.clone();
    load_responses(survey, &job.data, &settings, Some(&extra), on_event)
}

/// Responses from CSV (imported with `settings`, with the same validation as `satkit import`)
/// or Parquet. From Parquet, `only` limits the columns read to the survey's questions, weight
/// and flags plus these (see [`ResponseTable::read_parquet`]).
///
/// # Errors
/// Unreadable or invalid data, invalid settings.
pub fn load_responses(
    survey: &Survey,
    data: &Path,
    settings: &ImportSettings,
    only: Option<&[String]>,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<ResponseTable> {
    let is_parquet = data
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if is_parquet {
        return ResponseTable::read_parquet(survey, data, only);
    }
    let imported = import_path(survey, data, &settings.resolve()?)?;
    let r = &imported.report;
    let summary = (r.problems > 0 || r.rows_dropped > 0).then(|| {
        format!(
            "import: {} rows read, {} analysed, {} dropped, {} invalid cells set missing ({} problems; run `satkit import --rejects` to list them)",
            r.rows_read, r.rows_written, r.rows_dropped, r.cells_set_missing, r.problems
        )
    });
    on_event(Event::Imported {
        warnings: &r.warnings,
        summary,
    });
    Ok(imported.table)
}

/// Pretty JSON with a trailing newline, as every satkit JSON file is written.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
