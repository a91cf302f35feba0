//! `satkit weights`: AHP weights and consistency for every matrix, and with data the entropy and
//! regression-derived weights of every sibling group. [`crate::pipeline::weights`] computes and
//! renders them; this file loads the survey and the responses and prints.

use std::path::PathBuf;

use super::import::ImportArgs;
use super::output::{Format, print_stdout, to_json};
use crate::diagnostic::Severity;
use crate::error::{EXIT_GATE, Error, Result};
use crate::model::Survey;
use crate::pipeline::weights::{self, WeightsReport};

const EXAMPLES: &str = "\
Examples:
  satkit weights surveys/b2b-platform/survey.toml
  satkit weights surveys/b2b-platform/survey.toml surveys/b2b-platform/responses.csv
  satkit weights my-survey.toml --format json | jq '.groups[] | select(.ahp_consistent == false)'";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The survey file (TOML).
    pub survey: PathBuf,
    /// Responses (CSV or Parquet) for entropy and regression-derived weights.
    pub data: Option<PathBuf>,
    #[command(flatten)]
    pub import: ImportArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> Result<i32> {
    let checked = Survey::check_file_with(&args.survey, false)?;
    let Some(survey) = checked.survey else {
        return Err(Error::InvalidSurvey {
            diagnostics: checked
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
        });
    };
    let table = match &args.data {
        Some(data) => Some(super::analyze::load_table(
            &survey,
            data,
            &args.import,
            None,
        )?),
        None => None,
    };
    let input = args.data.as_ref().map(|d| d.display().to_string());
    let groups = weights::weight_groups(&survey, table.as_ref().zip(input))?;
    let consistent = weights::all_consistent(&groups);
    match args.format {
        Format::Json => print_stdout(&to_json(&WeightsReport::new(&survey, &groups)))?,
        Format::Text => print_stdout(&weights::render_text(&survey, &groups))?,
    }
    if !consistent {
        for g in groups.iter().filter(|g| g.ahp_consistent == Some(false)) {
            let cr = g.ahp.as_ref().map_or(f64::NAN, |a| a.cr);
            crate::errln!(
                "{}: the AHP matrix of '{}' is inconsistent (CR = {cr:.3} ≥ 0.1); revise its judgements",
                args.survey.display(),
                g.node
            );
        }
        return Ok(EXIT_GATE);
    }
    Ok(0)
}
