//! `satkit plan`: how many completed questionnaires a margin of error needs, how many invitations
//! to send, and how to split the sample across strata.
//!
//! The arguments become [`plan::PlanOptions`]; [`plan::plan`] checks them (ranges, overflow) and
//! computes the report, which is printed as text or JSON. See [`crate::plan`] for the formulas.

use std::path::PathBuf;

use clap::ValueEnum;

use super::output::{Format, print_stdout, to_json};
use crate::error::Result;
use crate::plan;

const EXAMPLES: &str = "\
Examples:
  satkit plan --population 1000 --margin 0.05 --confidence 0.95
  satkit plan --population 12000 --margin 0.05 --response-rate 0.3 --strata north=7000,south=5000
  satkit plan --survey surveys/b2b-platform/survey.toml --margin 0.04 --format json

With --survey, population_size, margin, confidence and response_rate come from the survey's [plan]
unless given on the command line. Without a population the sample is for a very large population.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Allocation {
    /// Each stratum gets a share of n proportional to its size (largest-remainder rounding).
    #[default]
    Proportional,
    /// Every stratum gets n/k (remainders to the first strata).
    Equal,
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Population size N (enables the finite population correction).
    #[arg(long, value_name = "N")]
    pub population: Option<u64>,
    /// Margin of error as a fraction, e.g. 0.05 for ±5 %.
    #[arg(long)]
    pub margin: Option<f64>,
    /// Confidence level as a fraction [default: 0.95].
    #[arg(long)]
    pub confidence: Option<f64>,
    /// Expected proportion p; 0.5 gives the largest (safest) sample [default: 0.5].
    #[arg(long)]
    pub proportion: Option<f64>,
    /// Expected share of invited people who complete, e.g. 0.3.
    #[arg(long)]
    pub response_rate: Option<f64>,
    /// Strata with their population sizes: name=size,name=size.
    #[arg(long, value_name = "NAME=SIZE,...")]
    pub strata: Option<String>,
    /// How the sample is split across strata.
    #[arg(long, value_enum, default_value_t = Allocation::Proportional)]
    pub allocation: Allocation,
    /// Read defaults from this survey's [plan] section.
    #[arg(long, value_name = "SURVEY.toml")]
    pub survey: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl From<Allocation> for plan::Allocation {
    fn from(a: Allocation) -> Self {
        match a {
            Allocation::Proportional => plan::Allocation::Proportional,
            Allocation::Equal => plan::Allocation::Equal,
        }
    }
}

impl Args {
    /// The options as the library takes them.
    pub fn options(&self) -> plan::PlanOptions {
        plan::PlanOptions {
            population: self.population,
            margin: self.margin,
            confidence: self.confidence,
            proportion: self.proportion,
            response_rate: self.response_rate,
            strata: self.strata.clone(),
            allocation: self.allocation.into(),
            survey: self.survey.clone(),
        }
    }
}

pub fn run(args: Args) -> Result<i32> {
    let report = plan::plan(&args.options())?;
    match args.format {
        Format::Json => print_stdout(&to_json(&report))?,
        Format::Text => {
            for n in &report.notes {
                crate::errln!("note: {n}");
            }
            print_stdout(&plan::render_text(&report))?;
        }
    }
    Ok(0)
}
