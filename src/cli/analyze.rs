//! `satkit analyze`: the satisfaction index on every node, descriptives, reliability,
//! correlations and factor analysis, written to OUTDIR/results.json with a text summary.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::gates::{GateArgs, print_failures};
use super::import::ImportArgs;
use super::output::{Format, print_stdout, to_json};
use crate::analysis::{AnalysisOptions, MissingPolicy, Results};
use crate::analysis::{Importance, ImproveOptions, IpaCross};
use crate::error::{EXIT_GATE, Result};
use crate::gates::{self, GateOutcome};
use crate::pipeline::settings::parse_factors;
use crate::pipeline::{self, AnalyzeJob, Event, Origin};
use crate::report::summary::render_summary;
use crate::report::write::ReportOptions;
use crate::stats::fuzzy::Operator;

const EXAMPLES: &str = "\
Examples:
  satkit analyze surveys/b2b-platform/survey.toml surveys/b2b-platform/responses.csv -o out/b2b
  satkit analyze s.toml clean.parquet -o out --weight weight --missing listwise --by region,tier
  satkit analyze s.toml responses.csv -o out --factors kaiser --format json | jq .index.score
  satkit analyze s.toml wave2.csv -o out2 --no-report --fail-under 60 --fail-drop 2 --baseline out1/results.json

Besides results.json, OUTDIR gets report.html, report.md, charts/ and tables/ (see docs/report.md);
`satkit report OUTDIR/results.json -o OUTDIR` re-renders them.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Missing {
    Pairwise,
    Listwise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportanceArg {
    RelativeWeight,
    Beta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CrossArg {
    Mean,
    Midpoint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsatArg {
    Top1box,
    Top2box,
    Top3box,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FuzzyArg {
    WeightedAverage,
    MaxMin,
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The survey file (TOML).
    pub survey: PathBuf,
    /// Responses: a CSV (imported on the fly, with the same validation) or a Parquet file
    /// written by `satkit import`.
    pub data: PathBuf,
    /// Output directory for results.json (created if needed).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Missing-data policy for correlations and reliability (KMO and EFA: --factor-missing).
    #[arg(long, value_enum, default_value_t = Missing::Pairwise)]
    pub missing: Missing,
    /// Missing data in KMO, Bartlett and the factor analysis: listwise (complete respondents),
    /// or pairwise-complete correlations for wide surveys where few answer every item.
    #[arg(long, value_enum, default_value_t = Missing::Listwise)]
    pub factor_missing: Missing,
    /// Number of factors: `dimensions` (default), `kaiser` (eigenvalues > 1) or a number.
    #[arg(long, default_value = "dimensions")]
    pub factors: String,
    /// Segment by respondent attributes (comma-separated columns, one segmentation each).
    #[arg(long, value_delimiter = ',')]
    pub by: Vec<String>,
    /// Importance measure for the importance–performance analysis.
    #[arg(long, value_enum, default_value_t = ImportanceArg::RelativeWeight)]
    pub importance: ImportanceArg,
    /// Where the IPA crosshairs sit: at the means, or at the performance midpoint (50).
    #[arg(long, value_enum, default_value_t = CrossArg::Mean)]
    pub ipa_cross: CrossArg,
    /// Fuzzy evaluation operator: weighted average M(·,⊕) or max–min M(∧,∨).
    #[arg(long, value_enum, default_value_t = FuzzyArg::WeightedAverage)]
    pub fuzzy_operator: FuzzyArg,
    /// CSAT convention: the share of answers in the top 1, 2 or 3 points of the overall item's
    /// scale.
    #[arg(long, value_enum, default_value_t = CsatArg::Top2box)]
    pub csat: CsatArg,
    /// Worker threads for correlations.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    #[command(flatten)]
    pub import: ImportArgs,
    /// Summary on stdout: text, or the full results as JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write only results.json: no report.html, report.md, charts/ or tables/.
    #[arg(long)]
    pub no_report: bool,
    /// Never print a generated-at timestamp in the report, even when SOURCE_DATE_EPOCH is set.
    #[arg(long)]
    pub no_timestamp: bool,
    #[command(flatten)]
    pub gates: GateArgs,
}

/// The JSON on stdout with gates: the results document plus a `gates` array (results.json
/// itself never holds gates).
#[derive(serde::Serialize)]
struct ResultsWithGates<'a> {
    #[serde(flatten)]
    results: &'a Results,
    gates: &'a [GateOutcome],
}

/// Print an import's warnings and its summary line on stderr.
pub fn print_import_event(event: Event<'_>) {
    if let Event::Imported { warnings, summary } = event {
        for w in warnings {
            crate::errln!("warning: {w}");
        }
        if let Some(s) = summary {
            crate::errln!("{s}");
        }
    }
}

/// Load responses from CSV (through import) or Parquet, printing the import's warnings; see
/// [`pipeline::load_responses`].
pub fn load_table(
    survey: &crate::model::Survey,
    data: &Path,
    import: &ImportArgs,
    only: Option<&[String]>,
) -> Result<crate::data::ResponseTable> {
    pipeline::load_responses(
        survey,
        data,
        &import.settings(),
        only,
        &mut print_import_event,
    )
}

/// The job the flags describe.
fn job(args: &Args) -> Result<AnalyzeJob> {
    let report = if args.no_report {
        None
    } else {
        Some(ReportOptions::from_env(args.no_timestamp)?)
    };
    Ok(AnalyzeJob {
        survey: args.survey.clone(),
        data: args.data.clone(),
        output: args.output.clone(),
        analysis: AnalysisOptions {
            weight: args.import.weight.clone(),
            missing: match args.missing {
                Missing::Pairwise => MissingPolicy::Pairwise,
                Missing::Listwise => MissingPolicy::Listwise,
            },
            factors: parse_factors(&args.factors)?,
            factor_missing: match args.factor_missing {
                Missing::Pairwise => MissingPolicy::Pairwise,
                Missing::Listwise => MissingPolicy::Listwise,
            },
            threads: args.threads.max(1),
            input: args.data.display().to_string(),
            improve: ImproveOptions {
                importance: match args.importance {
                    ImportanceArg::RelativeWeight => Importance::RelativeWeight,
                    ImportanceArg::Beta => Importance::Beta,
                },
                ipa_cross: match args.ipa_cross {
                    CrossArg::Mean => IpaCross::Mean,
                    CrossArg::Midpoint => IpaCross::Midpoint,
                },
                by: args.by.clone(),
                fuzzy_operator: match args.fuzzy_operator {
                    FuzzyArg::WeightedAverage => Operator::WeightedAverage,
                    FuzzyArg::MaxMin => Operator::MaxMin,
                },
                csat_top: match args.csat {
                    CsatArg::Top1box => 1,
                    CsatArg::Top2box => 2,
                    CsatArg::Top3box => 3,
                },
            },
        },
        import: args.import.settings(),
        gates: args.gates.gates()?,
        baseline: args.gates.baseline.clone(),
        report,
        origin: Origin::CommandLine,
    })
}

pub fn run(args: Args) -> Result<i32> {
    let job = job(&args)?;
    let mut timer = crate::timing::Timer::new();
    let outcome = pipeline::run(&job, &mut print_import_event)?;
    timer.mark("analysis_and_report");
    print_failures(&outcome.gates, "");
    match args.format {
        Format::Json if job.gates.is_empty() => print_stdout(&outcome.json)?,
        Format::Json => print_stdout(&to_json(&ResultsWithGates {
            results: &outcome.results,
            gates: &outcome.gates,
        }))?,
        Format::Text => {
            let mut summary = render_summary(&outcome.results, &outcome.results_path);
            if job.report.is_some() {
                summary.push_str(&format!(
                    "report: {}\n",
                    args.output.join("report.html").display()
                ));
            }
            if !job.gates.is_empty() {
                let failed = outcome.gates.iter().filter(|o| !o.passed).count();
                summary.push_str(&format!(
                    "gates: {} passed, {failed} failed\n",
                    outcome.gates.len() - failed
                ));
            }
            print_stdout(&summary)?
        }
    }
    Ok(if gates::all_passed(&outcome.gates) {
        0
    } else {
        EXIT_GATE
    })
}
