//! `satkit simulate`: deterministic synthetic responses with a realistic response model.

use std::path::PathBuf;

use crate::data::simulate::{SimulateOptions, parse_assignments, parse_segments, simulate, upsert};
use crate::error::{Error, Result};
use crate::model::Survey;
use crate::model::simulate_spec::upsert_segment;
use crate::output::{Inputs, resolve, write_atomic};

const EXAMPLES: &str = "\
Examples:
  satkit simulate surveys/b2b-platform/survey.toml -n 400 --seed 2026 -o responses.csv
  satkit simulate surveys/b2b-platform/survey.toml -n 400 --seed 2126 --wave 1 -o wave2.csv
  satkit simulate s.toml -n 500 --seed 3 --level 65 --drivers service=0.4,price=0.1 -o r.csv
  satkit simulate s.toml -n 500 --seed 3 --segment region=South:-3 --straightliners 0 -o r.csv

The survey's [simulate] table sets the model (docs/survey-format.md); flags override it.";

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
    /// Expected item score on 0–100 (default 72: about 3.9 on a 5-point scale).
    #[arg(long)]
    pub level: Option<f64>,
    /// SD of the answers' latent (default 0.6; larger spreads the answers).
    #[arg(long)]
    pub spread: Option<f64>,
    /// Mean unique variance of an item, 1 − loading² (default 0.4).
    #[arg(long)]
    pub noise: Option<f64>,
    /// Correlation between the dimension factors (default 0.5).
    #[arg(long)]
    pub factor_corr: Option<f64>,
    /// Share of the overall item's variance explained by the dimensions (default 0.6).
    #[arg(long)]
    pub overall_r2: Option<f64>,
    /// Mean share of closed answers left blank (default 0.02).
    #[arg(long)]
    pub missing: Option<f64>,
    /// Share of "not applicable" answers on items that offer it (default 0.03).
    #[arg(long)]
    pub not_applicable: Option<f64>,
    /// Share of straight-liners (default 0.025).
    #[arg(long)]
    pub straightliners: Option<f64>,
    /// Share of speeders (default 0.03).
    #[arg(long)]
    pub speeders: Option<f64>,
    /// Share of duplicate submissions (default 0.005).
    #[arg(long)]
    pub duplicates: Option<f64>,
    /// Mean share of respondents who write an open answer (default 0.45).
    #[arg(long)]
    pub open_answers: Option<f64>,
    /// Driver weights of the dimensions on the overall item, e.g. `service=0.4,price=0.2`
    /// (normalised; unnamed dimensions get a seeded random weight).
    #[arg(long, value_delimiter = ',', value_name = "DIM=WEIGHT")]
    pub drivers: Vec<String>,
    /// Dimension offsets in index points against --level, e.g. `value=-8`.
    #[arg(long, value_delimiter = ',', value_name = "DIM=POINTS")]
    pub dimension: Vec<String>,
    /// Change of a dimension per wave in index points, e.g. `transaction=4`.
    #[arg(long, value_delimiter = ',', value_name = "DIM=POINTS")]
    pub drift: Vec<String>,
    /// The wave: wave W adds W × drift (default 0).
    #[arg(long, default_value_t = 0)]
    pub wave: u32,
    /// A segment effect in index points, e.g. `region=South:-3` (repeatable).
    #[arg(long, value_name = "ATTR=VALUE:POINTS")]
    pub segment: Vec<String>,
    /// Where to write the true parameters (default: OUTPUT with `.truth.json`).
    #[arg(long)]
    pub truth: Option<PathBuf>,
}

/// The options: defaults, then the survey's [simulate], then the flags.
fn options(args: &Args, survey: &Survey) -> Result<SimulateOptions> {
    let mut opts = SimulateOptions::for_survey(survey, args.n, args.seed);
    let flags = [
        ("level", "--level", args.level),
        ("spread", "--spread", args.spread),
        ("noise", "--noise", args.noise),
        ("factor_corr", "--factor-corr", args.factor_corr),
        ("overall_r2", "--overall-r2", args.overall_r2),
        ("missing", "--missing", args.missing),
        ("not_applicable", "--not-applicable", args.not_applicable),
        ("straightliners", "--straightliners", args.straightliners),
        ("speeders", "--speeders", args.speeders),
        ("duplicates", "--duplicates", args.duplicates),
        ("open_answers", "--open-answers", args.open_answers),
    ];
    for (name, flag, value) in flags {
        if let Some(x) = value {
            opts.settings.set(name, x).map_err(|(m, h)| {
                Error::usage(
                    format!("{flag}: {m}"),
                    h.replace(&format!("{name} = "), &format!("{flag} ")),
                )
            })?;
        }
    }
    for (id, w) in parse_assignments("--drivers", &args.drivers)? {
        if !(w > 0.0 && w.is_finite()) {
            return Err(Error::usage(
                format!("--drivers {id}={w}: weights must be positive numbers"),
                "e.g. --drivers service=0.4,price=0.2",
            ));
        }
        upsert(&mut opts.drivers, id, w);
    }
    for (id, x) in parse_assignments("--dimension", &args.dimension)? {
        upsert(&mut opts.dimensions, id, x);
    }
    for (id, x) in parse_assignments("--drift", &args.drift)? {
        upsert(&mut opts.drift, id, x);
    }
    for (a, v, p) in parse_segments(&args.segment)? {
        upsert_segment(&mut opts.segments, &a, &v, p);
    }
    opts.wave = args.wave;
    opts.check_names(survey)?;
    opts.check()?;
    Ok(opts)
}

pub fn run(args: Args) -> Result<i32> {
    let survey = Survey::load(&args.survey)?;
    let opts = options(&args, &survey)?;
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
