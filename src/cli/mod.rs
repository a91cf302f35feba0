//! The command line: one `Command` enum, one file per subcommand with its `Args` and `run`.
//!
//! Every `run` returns the exit code for a completed run (0, or 1 when a gate failed); errors
//! become exit 2 (bad input or usage) in `main`.

use std::io::Write;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::Result;

pub mod analyze;
pub mod batch;
pub mod build;
pub mod check;
pub mod compare;
pub mod completions;
pub mod gates;
pub mod grade;
pub mod import;
pub mod lint;
pub mod man;
pub mod new;
pub mod plan;
pub mod report;
pub mod simulate;
pub mod weights;

/// Root `--help` epilogue; its "Exit status:" block is also the EXIT STATUS section of the man page.
pub const AFTER_HELP: &str = "\
Exit status:
  0  success
  1  the run worked but a gate failed (lint errors, inconsistent AHP in `weights`, --fail-* gates,
     a failed job in `batch`)
  2  bad input or usage (unreadable or invalid file, mismatched responses, bad flags)

Examples:
  satkit new shop --template basic --lang en
  satkit check surveys/b2b-platform/survey.toml
  satkit build surveys/b2b-platform/survey.toml --to html -o questionnaire.html";

#[derive(Debug, Parser)]
#[command(name = "satkit", version, about = "Customer-satisfaction surveys from plan to report", after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse responses: satisfaction index, descriptives, reliability, correlations, EFA.
    Analyze(analyze::Args),
    /// Re-render report.html, report.md, charts and tables from a saved results.json.
    Report(report::Args),
    /// Validate a survey file and print its indicator tree with effective weights.
    Check(check::Args),
    /// Render the questionnaire: markdown, html, xlsform, data-entry template or codebook.
    Build(build::Args),
    /// Write a starter survey that passes `check`.
    New(new::Args),
    /// Validate, code and flag CSV responses; write a clean Parquet or CSV table.
    Import(import::Args),
    /// Generate deterministic synthetic responses that follow the indicator tree.
    Simulate(simulate::Args),
    /// AHP weights and consistency; with data, entropy and regression-derived weights.
    Weights(weights::Args),
    /// Check surveys against questionnaire-design rules (wording, structure, scales, weights, length).
    Lint(lint::Args),
    /// Grade student surveys against a rubric into a gradebook CSV, with feedback per student.
    Grade(grade::Args),
    /// Sample size and invitations for a margin of error, with allocation across strata.
    Plan(plan::Args),
    /// Run many analyses from a batch file in parallel, with gates and an index page.
    Batch(batch::Args),
    /// Compare waves of one survey: score changes with Welch tests, NPS, priorities, alpha.
    Compare(compare::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(completions::Args),
    /// Print or write the man pages.
    Man(man::Args),
}

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Analyze(a) => analyze::run(a),
        Command::Report(a) => report::run(a),
        Command::Check(a) => check::run(a),
        Command::Build(a) => build::run(a),
        Command::New(a) => new::run(a),
        Command::Import(a) => import::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Weights(a) => weights::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Grade(a) => grade::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Batch(a) => batch::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
    }
}

/// Output format of commands that print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// Print to stdout; a closed pipe (`satkit ... | head`) is not an error.
pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// Serialise a value as pretty JSON with a trailing newline.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
