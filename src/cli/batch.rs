//! `satkit batch BATCH.toml`: run every job of a batch file (see `crate::batch` and
//! docs/batch.md), print a summary table and write summary.json and summary.html.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::output::{Format, print_stdout, to_json};
use crate::batch::{self, BatchSummary, RunOptions};
use crate::error::{EXIT_GATE, Error, Result};
use crate::report::text::{display_width, pad_right};
use crate::report::write::ReportOptions;

const EXAMPLES: &str = "\
Examples:
  satkit batch surveys/batch.toml
  satkit batch waves.toml --jobs 4 --format json | jq '.results[] | {name, index, status}'
  satkit batch nightly.toml --no-report && xdg-open batch-out/summary.html";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The batch file (TOML): [[job]] tables with name, survey, data and optional output, by,
    /// weight, baseline and fail_* gates; a [defaults] table; a top-level output directory.
    #[arg(value_name = "BATCH.toml")]
    pub batch: PathBuf,
    /// Jobs run at once.
    #[arg(short, long, default_value_t = 2, value_name = "N")]
    pub jobs: usize,
    /// Summary on stdout: a text table, or summary.json.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write only results.json per job: no report.html, report.md, charts/ or tables/.
    #[arg(long)]
    pub no_report: bool,
    /// Never print a generated-at timestamp in the reports, even when SOURCE_DATE_EPOCH is set.
    #[arg(long)]
    pub no_timestamp: bool,
}

pub fn run(args: Args) -> Result<i32> {
    if args.jobs == 0 {
        return Err(Error::usage(
            "--jobs 0 runs nothing",
            "give --jobs 1 or more",
        ));
    }
    let plan = batch::plan_file(&args.batch)?;
    let report = if args.no_report {
        None
    } else {
        Some(ReportOptions::from_env(args.no_timestamp)?)
    };
    let opts = RunOptions {
        jobs: args.jobs,
        report,
        progress: std::io::stderr().is_terminal(),
    };
    let (summary, json_path, html_path) = batch::execute(&plan, &opts)?;
    for j in &summary.results {
        if let Some(e) = &j.error {
            crate::errln!("job '{}' failed: {e}", j.name);
        }
        for g in j.gates.iter().filter(|g| !g.passed) {
            crate::errln!("job '{}': gate failed: {}", j.name, g.message);
        }
    }
    match args.format {
        Format::Json => print_stdout(&to_json(&summary))?,
        Format::Text => {
            let mut out = render_table(&summary);
            out.push_str(&format!(
                "\nsummary: {}\nindex page: {}\n",
                json_path.display(),
                html_path.display()
            ));
            print_stdout(&out)?
        }
    }
    Ok(if summary.passed() { 0 } else { EXIT_GATE })
}

/// The summary table: job, n, index, change against the baseline, gates, status.
pub fn render_table(s: &BatchSummary) -> String {
    let header = ["job", "n", "index", "change", "gates", "status"];
    let rows: Vec<[String; 6]> = s
        .results
        .iter()
        .map(|j| {
            [
                j.name.clone(),
                j.n.map_or("–".into(), |n| n.to_string()),
                j.index.map_or("–".into(), |v| format!("{v:.1}")),
                j.change.map_or("–".into(), |v| format!("{v:+.1}")),
                batch::gates_text(&j.gates),
                j.status.as_str().to_string(),
            ]
        })
        .collect();
    let width = |c: usize| {
        rows.iter()
            .map(|r| display_width(&r[c]))
            .chain([display_width(header[c])])
            .max()
            .unwrap_or(0)
    };
    let w: Vec<usize> = (0..6).map(width).collect();
    let line = |cells: [&str; 6]| {
        let mut l = String::new();
        for (c, cell) in cells.iter().enumerate() {
            let cell_w = display_width(cell);
            let padded = if (1..=3).contains(&c) {
                format!("{}{cell}", " ".repeat(w[c].saturating_sub(cell_w)))
            } else {
                pad_right(cell, w[c])
            };
            if c > 0 {
                l.push_str("  ");
            }
            l.push_str(&padded);
        }
        l.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]));
    }
    out.push_str(&format!(
        "\n{} jobs: {} ok, {} with a failed gate, {} failed\n",
        s.jobs, s.ok, s.gate_failed, s.failed
    ));
    out
}
