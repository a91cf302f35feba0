//! Running a [`BatchPlan`]: scoped worker threads take jobs in file order; each job is the
//! library form of `satkit analyze` (load survey, load table, analyse, write results.json and the
//! report) followed by its gates. The summary keeps the jobs in file order whatever order they
//! finish in, so summary.json is deterministic.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::plan::{BatchPlan, JobPlan};
use crate::analysis::AnalysisOptions;
use crate::error::{Error, Result};
use crate::gates::{self, GateOutcome};
use crate::output::{Inputs, OutputDir, Owned, write_atomic};
use crate::pipeline::{self, AnalyzeJob, Event, Origin};
use crate::report::markup::{html_escape, relative_href};
use crate::report::write::ReportOptions;

/// `schema_version` of summary.json (docs/schema/summary.schema.json).
pub const SUMMARY_SCHEMA_VERSION: &str = "1.0.0";

/// How to run a plan.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Jobs run at once (at least 1).
    pub jobs: usize,
    /// Render report.html etc. for every job; `None` writes only results.json.
    pub report: Option<ReportOptions>,
    /// Print a line on stderr as each job finishes.
    pub progress: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: 2,
            report: Some(ReportOptions::default()),
            progress: std::io::stderr().is_terminal(),
        }
    }
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Analysed, and every gate passed.
    Ok,
    /// Analysed, but a gate failed.
    GateFailed,
    /// The job could not run (unreadable file, invalid survey, bad data, ...); see `error`.
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Ok => "ok",
            JobStatus::GateFailed => "gate_failed",
            JobStatus::Failed => "failed",
        }
    }
}

/// One job in summary.json.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobSummary {
    pub name: String,
    pub status: JobStatus,
    /// Why the job failed (only when `status` is `failed`).
    pub error: Option<String>,
    /// The survey and data files as resolved from the batch file.
    pub survey: String,
    pub data: String,
    /// The survey id from the results (null when the job failed before analysing).
    pub survey_id: Option<String>,
    /// The job's directory, relative to the batch output directory.
    pub output: String,
    /// results.json relative to the batch output directory (null when not written).
    pub results: Option<String>,
    /// report.html relative to the batch output directory (null when not written).
    pub report: Option<String>,
    /// Respondents analysed.
    pub n: Option<usize>,
    /// The overall index (0–100).
    pub index: Option<f64>,
    /// The baseline results.json, as resolved, when the job has one.
    pub baseline: Option<String>,
    pub baseline_index: Option<f64>,
    /// index − baseline_index, in points.
    pub change: Option<f64>,
    /// Segmentations analysed (`by`).
    pub by: Vec<String>,
    /// Every gate checked, passed or not.
    pub gates: Vec<GateOutcome>,
    /// Warnings of the import (the analysis warnings are in results.json).
    pub import_warnings: Vec<String>,
}

/// summary.json.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchSummary {
    pub schema_version: String,
    pub satkit_version: String,
    /// The batch file as given on the command line.
    pub batch: String,
    /// The batch output directory.
    pub output: String,
    /// ok when every job is ok; failed otherwise (exit status 1).
    pub status: String,
    pub jobs: usize,
    pub ok: usize,
    pub gate_failed: usize,
    pub failed: usize,
    /// One entry per job, in batch-file order.
    pub results: Vec<JobSummary>,
}

impl BatchSummary {
    /// True when every job analysed and passed its gates.
    pub fn passed(&self) -> bool {
        self.ok == self.jobs
    }
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

/// Run every job of `plan` and summarise. Never fails as a whole: job errors are recorded.
pub fn run(plan: &BatchPlan, opts: &RunOptions) -> BatchSummary {
    let n = plan.jobs.len();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<JobSummary>>> = Mutex::new(vec![None; n]);
    let workers = opts.jobs.clamp(1, n.max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = plan.jobs.get(i) else { break };
                    let summary = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run_job(job, opts)
                    }))
                    .unwrap_or_else(|panic| {
                        let what = panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        failed(
                            job,
                            Error::usage(
                                format!("internal error while running the job: {what}"),
                                "please report this with the batch file",
                            ),
                        )
                    });
                    let k = done.fetch_add(1, Ordering::SeqCst) + 1;
                    if opts.progress {
                        crate::errln!("[{k}/{n}] {}: {}", job.name, progress_text(&summary));
                    }
                    if let Ok(mut s) = slots.lock() {
                        s[i] = Some(summary);
                    }
                }
            });
        }
    });
    let results: Vec<JobSummary> = slots
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .zip(&plan.jobs)
        .map(|(s, job)| s.unwrap_or_else(|| failed(job, Error::usage("the job did not run", ""))))
        .collect();
    let count = |st: JobStatus| results.iter().filter(|r| r.status == st).count();
    let (ok, gate_failed, failed_n) = (
        count(JobStatus::Ok),
        count(JobStatus::GateFailed),
        count(JobStatus::Failed),
    );
    BatchSummary {
        schema_version: SUMMARY_SCHEMA_VERSION.to_string(),
        satkit_version: env!("CARGO_PKG_VERSION").to_string(),
        batch: display(&plan.file),
        output: display(&plan.output),
        status: if ok == n { "ok" } else { "failed" }.to_string(),
        jobs: n,
        ok,
        gate_failed,
        failed: failed_n,
        results,
    }
}

fn progress_text(s: &JobSummary) -> String {
    match (s.status, s.index) {
        (JobStatus::Failed, _) => {
            let first = s
                .error
                .as_deref()
                .and_then(|e| e.lines().next())
                .unwrap_or("");
            format!("failed: {first}")
        }
        (st, Some(ix)) => format!("{} (index {ix:.1})", st.as_str()),
        (st, None) => st.as_str().to_string(),
    }
}

fn blank(job: &JobPlan) -> JobSummary {
    JobSummary {
        name: job.name.clone(),
        status: JobStatus::Failed,
        error: None,
        survey: display(&job.survey),
        data: display(&job.data),
        survey_id: None,
        output: job.output_rel.clone(),
        results: None,
        report: None,
        n: None,
        index: None,
        baseline: job.baseline.as_deref().map(display),
        baseline_index: None,
        change: None,
        by: job.analysis.improve.by.clone(),
        gates: Vec::new(),
        import_warnings: Vec::new(),
    }
}

fn failed(job: &JobPlan, e: Error) -> JobSummary {
    JobSummary {
        error: Some(e.to_string()),
        ..blank(job)
    }
}

/// Run one job: the same steps as `satkit analyze`, then the gates.
fn run_job(job: &JobPlan, opts: &RunOptions) -> JobSummary {
    let mut summary = blank(job);
    match analyse_job(job, opts, &mut summary) {
        Ok(()) => summary,
        Err(e) => JobSummary {
            error: Some(job_error(e).to_string()),
            status: JobStatus::Failed,
            ..summary
        },
    }
}

/// A missing file's help speaks of the batch file, against which its paths resolve.
fn job_error(e: Error) -> Error {
    match e {
        Error::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
            Error::usage(
                format!("{}: {source}", path.display()),
                "paths in a batch file are relative to the batch file's directory",
            )
        }
        other => other,
    }
}

fn analyse_job(job: &JobPlan, opts: &RunOptions, s: &mut JobSummary) -> Result<()> {
    let analyze = AnalyzeJob {
        survey: job.survey.clone(),
        data: job.data.clone(),
        output: job.output.clone(),
        analysis: AnalysisOptions {
            input: display(&job.data),
            ..job.analysis.clone()
        },
        import: job.import.clone(),
        gates: job.gates.clone(),
        baseline: job.baseline.clone(),
        report: opts.report.clone().filter(|_| job.report),
        origin: Origin::BatchFile,
    };
    let outcome = pipeline::run(&analyze, &mut |event| match event {
        Event::Imported { warnings, summary } => {
            s.import_warnings = warnings.iter().cloned().chain(summary).collect();
        }
        Event::ResultsWritten(_) => s.results = Some(format!("{}/results.json", job.output_rel)),
        Event::ReportWritten(_) => s.report = Some(format!("{}/report.html", job.output_rel)),
    })?;
    let saved = &outcome.saved;
    s.survey_id = Some(saved.survey.id.clone());
    s.n = Some(saved.sample.n);
    s.index = saved.index.score;
    s.baseline_index = outcome.baseline.as_ref().and_then(|b| b.index.score);
    s.change = match (s.index, s.baseline_index) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    s.gates = outcome.gates;
    s.status = if gates::all_passed(&s.gates) {
        JobStatus::Ok
    } else {
        JobStatus::GateFailed
    };
    Ok(())
}

/// Run every job of `plan` into its output directory as one whole set: the jobs' directories,
/// summary.json and summary.html are written to a staging directory beside it and swapped in
/// at the end ([`OutputDir`]), so the batch output always holds one complete run. Returns the
/// summary and the final paths of summary.json and summary.html.
///
/// # Errors
/// The output directory cannot be replaced (it holds files satkit did not write, an input lies
/// where a job writes, ...), or the summary cannot be written. Job failures are not errors:
/// they are recorded in the summary.
pub fn execute(plan: &BatchPlan, opts: &RunOptions) -> Result<(BatchSummary, PathBuf, PathBuf)> {
    // The survey, data and map files must not lie where the new set goes. A baseline may be
    // another job's results.json of the previous run: every job reads it before the swap. It
    // must not be in its own job's directory, which `satkit analyze` refuses too.
    let mut inputs = Inputs::new([plan.file.as_path()]);
    for job in &plan.jobs {
        for p in [&job.survey, &job.data].into_iter().chain(&job.import.map) {
            inputs.push(p);
        }
        if let Some(b) = &job.baseline {
            Inputs::new([b.as_path()]).check_replaced(&job.output, &job.output)?;
        }
    }
    // The new set replaces the jobs of this run and those the previous run's summary.json lists
    // (a job renamed or removed since), and nothing else.
    let previous = previous_jobs(&plan.output.join("summary.json"));
    let mut owned: Vec<&str> = vec!["summary.json", "summary.html"];
    for rel in plan
        .jobs
        .iter()
        .map(|j| j.output_rel.as_str())
        .chain(previous.iter().map(String::as_str))
    {
        if let Some(top) = rel
            .split('/')
            .next()
            .filter(|t| !t.is_empty() && *t != "..")
        {
            owned.push(top);
        }
    }
    let set = OutputDir::begin(&plan.output, Owned::Names(&owned), &inputs)?;
    let staged = BatchPlan {
        file: plan.file.clone(),
        output: plan.output.clone(),
        jobs: (plan.jobs.iter())
            .map(|j| JobPlan {
                output: set.path().join(&j.output_rel),
                ..j.clone()
            })
            .collect(),
    };
    let summary = run(&staged, opts);
    write_summary(&summary, set.path())?;
    set.commit()?;
    Ok((
        summary,
        plan.output.join("summary.json"),
        plan.output.join("summary.html"),
    ))
}

/// The job output directories that an earlier summary.json lists (none when it is absent or
/// not a summary).
fn previous_jobs(summary: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(summary) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    (value
        .get("results")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten())
    .filter_map(|job| job.get("output")?.as_str().map(str::to_string))
    .collect()
}

/// Write summary.json and summary.html into the batch output directory.
///
/// # Errors
/// I/O errors, with the path.
pub fn write_summary(summary: &BatchSummary, output: &Path) -> Result<(PathBuf, PathBuf)> {
    let json_path = output.join("summary.json");
    let html_path = output.join("summary.html");
    write_atomic(&json_path, pipeline::to_json(summary).as_bytes())?;
    write_atomic(&html_path, render_html(summary).as_bytes())?;
    Ok((json_path, html_path))
}

fn opt1(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.1}"))
}

fn signed1(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:+.1}"))
}

/// "3/3 passed", "1 of 3 failed" or "–" when the job has no gates.
pub fn gates_text(gates: &[GateOutcome]) -> String {
    if gates.is_empty() {
        return "–".into();
    }
    let failed = gates.iter().filter(|g| !g.passed).count();
    if failed == 0 {
        format!("{}/{} passed", gates.len(), gates.len())
    } else {
        format!("{failed} of {} failed", gates.len())
    }
}

/// The index page: one row per job with links to its report.html and results.json (relative
/// links, so the directory can be moved or served as it is; `./` first and percent-encoded by
/// [`relative_href`], so a job name can never turn a link into a `javascript:` URL).
pub fn render_html(s: &BatchSummary) -> String {
    let mut rows = String::new();
    for j in &s.results {
        let link = |href: &Option<String>, text: &str| {
            href.as_ref().map_or_else(
                || "–".to_string(),
                |h| format!("<a href=\"{}\">{text}</a>", html_escape(&relative_href(h))),
            )
        };
        let mut notes: Vec<String> = j
            .gates
            .iter()
            .filter(|g| !g.passed)
            .map(|g| html_escape(&g.message))
            .collect();
        if let Some(e) = &j.error {
            notes.push(html_escape(e.lines().next().unwrap_or("")));
        }
        rows.push_str(&format!(
            "<tr class=\"{status}\"><td>{name}</td><td class=\"num\">{n}</td><td class=\"num\">{index}</td>\
             <td class=\"num\">{change}</td><td>{gates}</td><td>{status}</td><td>{report}</td><td>{results}</td><td>{notes}</td></tr>\n",
            status = j.status.as_str(),
            name = html_escape(&j.name),
            n = j.n.map_or("–".into(), |n| n.to_string()),
            index = opt1(j.index),
            change = signed1(j.change),
            gates = html_escape(&gates_text(&j.gates)),
            report = link(&j.report, "report.html"),
            results = link(&j.results, "results.json"),
            notes = notes.join("<br>"),
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>satkit batch: {batch}</title>\n<style>\n\
         body {{ font-family: {fonts}; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }}\n\
         table {{ border-collapse: collapse; width: 100%; }}\n\
         th, td {{ border-bottom: 1px solid #ddd; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }}\n\
         td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}\n\
         tr.gate_failed td:nth-child(6), tr.failed td:nth-child(6) {{ font-weight: bold; }}\n\
         </style>\n</head>\n<body>\n<h1>Batch {batch}</h1>\n\
         <p>{jobs} jobs: {ok} ok, {gate_failed} with a failed gate, {failed} failed.</p>\n\
         <table>\n<thead><tr><th>job</th><th>n</th><th>index</th><th>change</th><th>gates</th>\
         <th>status</th><th colspan=\"2\">outputs</th><th>notes</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n\
         <p><a href=\"./summary.json\">summary.json</a></p>\n</body>\n</html>\n",
        batch = html_escape(&s.batch),
        fonts = crate::report::markup::CJK_FONT_STACK,
        jobs = s.jobs,
        ok = s.ok,
        gate_failed = s.gate_failed,
        failed = s.failed,
    )
}
