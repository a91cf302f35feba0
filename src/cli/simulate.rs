//! `satkit simulate`: deterministic synthetic responses that follow the indicator tree.

use std::path::PathBuf;

use crate::data::simulate::{SimulateOptions, simulate};
use crate::error::{Error, Result};
use crate::model::Survey;
use crate::output::{Inputs, resolve, write_atomic};

const EXAMPLES: &str = "\
Examples:
  satkit simulate surveys/b2b-platform/survey.toml -n 400 --seed 7 -o responses.csv
  satkit simulate surveys/servqual/survey.toml -n 1000000 --seed 1 -o big.csv --missing 0.02
  satkit simulate s.toml -n 500 --seed 3 --drivers function=0.4,price=0.1 -o r.csv";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The survey file (TOML).
    pub survey: PathBuf,
    /// Number of respondents.
    #[arg(short = 'n', long)]
    pub n: usize,
    /// Random seed; the same seed gives byte-identical output.
    #[arg(long)]
    pub seed: u64,
    /// Output CSV (`-` for stdout).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Share of closed answers left blank.
    #[arg(long, default_value_t = 0.02)]
    pub missing: f64,
    /// Correlation between the dimension factors.
    #[arg(long, default_value_t = 0.4)]
    pub factor_corr: f64,
    /// Driver weights of the dimensions on the overall item, e.g. `service=0.4,price=0.2`
    /// (normalised; unnamed dimensions get a seeded random weight).
    #[arg(long, value_delimiter = ',')]
    pub drivers: Vec<String>,
    /// Where to write the true parameters (default: OUTPUT with `.truth.json`).
    #[arg(long)]
    pub truth: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<i32> {
    let survey = Survey::load(&args.survey)?;
    if !(0.0..1.0).contains(&args.missing) {
        return Err(Error::usage(
            format!("--missing {} is not a share in [0, 1)", args.missing),
            "e.g. --missing 0.02",
        ));
    }
    if !(0.0..1.0).contains(&args.factor_corr) {
        return Err(Error::usage(
            format!("--factor-corr {} is not in [0, 1)", args.factor_corr),
            "e.g. --factor-corr 0.4",
        ));
    }
    let mut drivers = Vec::new();
    for d in &args.drivers {
        let Some((id, w)) = d.split_once('=') else {
            return Err(Error::usage(
                format!("--drivers '{d}' is not DIMENSION=WEIGHT"),
                "e.g. --drivers service=0.4,price=0.2",
            ));
        };
        let w: f64 = w.parse().map_err(|_| {
            Error::usage(
                format!("--drivers '{d}': '{w}' is not a number"),
                "e.g. service=0.4",
            )
        })?;
        if !survey
            .tree
            .dimensions()
            .iter()
            .any(|&i| survey.tree.nodes[i].id == id)
        {
            return Err(Error::usage(
                format!("--drivers: '{id}' is not a dimension of the survey"),
                "name a child of [tree]",
            ));
        }
        if !(w > 0.0 && w.is_finite()) {
            return Err(Error::usage(
                format!("--drivers '{d}': weights must be positive numbers"),
                "",
            ));
        }
        drivers.push((id.to_string(), w));
    }
    let opts = SimulateOptions {
        n: args.n,
        seed: args.seed,
        missing: args.missing,
        factor_corr: args.factor_corr,
        drivers,
        ..Default::default()
    };
    opts.check()?;
    let truth_path = args.truth.clone().unwrap_or_else(|| {
        let stem = args.output.with_extension("");
        PathBuf::from(format!("{}.truth.json", stem.display()))
    });
    let to_stdout = args.output.as_os_str() == "-";
    let inputs = Inputs::new([args.survey.as_path()]);
    inputs.check_file(&args.output)?;
    if !to_stdout {
        inputs.check_file(&truth_path)?;
        if resolve(&truth_path) == resolve(&args.output) {
            return Err(Error::usage(
                format!("--truth {} is the data file too", truth_path.display()),
                "give the truth sidecar its own path, e.g. --truth sim.truth.json",
            ));
        }
    }
    let (csv, truth) = simulate(&survey, &opts);
    write_atomic(&args.output, &csv)?;
    if !to_stdout {
        write_atomic(&truth_path, super::output::to_json(&truth).as_bytes())?;
    }
    Ok(0)
}
