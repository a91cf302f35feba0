//! The command line: one `Command` enum, one file per subcommand with its `Args` and `run`.
//!
//! Every `run` returns the exit code for a completed run (0, or 1 when a gate failed); errors
//! become exit 2 (bad input or usage) in `main`.

use clap::{CommandFactory, Parser, Subcommand};

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
pub mod map;
pub mod new;
pub mod output;
pub mod plan;
pub mod report;
pub mod simulate;
pub mod weights;

pub use output::{AFTER_HELP, Format, print_stdout, to_json};

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
    /// Validate, code and flag responses (CSV, Excel, SPSS, platform exports); write a clean table.
    Import(import::Args),
    /// Match a data file's headers to the survey's questions; write the --map file for import.
    Map(map::Args),
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
        Command::Map(a) => map::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Weights(a) => weights::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Grade(a) => grade::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Batch(a) => batch::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Completions(a) => completions::run(a, Cli::command()),
        Command::Man(a) => man::run(a, Cli::command()),
    }
}
