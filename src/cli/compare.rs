//! `satkit compare W1.json W2.json [W3.json ...]`: what changed between waves of one survey.
//!
//! Design: the arguments are checked, then the library does the work: [`compare::load_waves`],
//! [`compare::check_compatible`] and [`compare::compare_waves`] build the report, gates are
//! evaluated on the newest wave, and the trend charts, compare.json and stdout are written.

use std::path::PathBuf;

use super::gates::{GateArgs, print_failures};
use super::output::{Format, print_stdout, to_json};
use crate::compare::{self, render_text};
use crate::error::{EXIT_GATE, Error, Result};
use crate::gates;
use crate::output::{Inputs, OutputDir, Owned, write_atomic};

const EXAMPLES: &str = "\
Examples:
  satkit compare out/2025/results.json out/2026/results.json
  satkit compare w1.json w2.json w3.json -o trend --threshold 2
  satkit compare old.json new.json --map support=service --format json | jq '.steps[0].nodes'
  satkit compare old.json new.json --fail-drop 3 --fail-under 60";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// results.json files of the waves, oldest first (two or more).
    #[arg(value_name = "RESULTS.json", num_args = 2.., required = true)]
    pub results: Vec<PathBuf>,
    /// Write compare.json (and, with three or more waves, trend_<node>.svg and .png charts) here.
    #[arg(short, long, value_name = "OUTDIR")]
    pub output: Option<PathBuf>,
    /// A change of at least this many points (0–100 scale) counts as large.
    #[arg(long, default_value_t = 3.0, value_name = "POINTS")]
    pub threshold: f64,
    /// Rename node ids of earlier waves to the newest wave's ids: old=new,... (repeatable).
    #[arg(long, value_delimiter = ',', value_name = "OLD=NEW")]
    pub map: Vec<String>,
    /// Output on stdout: text, or the comparison as JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub gates: GateArgs,
}

pub fn run(args: Args) -> Result<i32> {
    if !(args.threshold.is_finite() && args.threshold >= 0.0) {
        return Err(Error::usage(
            format!(
                "--threshold {} is not a number of points ≥ 0",
                args.threshold
            ),
            "e.g. --threshold 3",
        ));
    }
    if args.gates.baseline.is_some() {
        return Err(Error::usage(
            "compare takes no --baseline: --fail-drop compares the newest wave with the previous one",
            "drop --baseline, or list the baseline as an earlier wave",
        ));
    }
    let gate_plan = args.gates.gates()?;
    let map = compare::parse_map(&args.map)?;
    let waves = compare::load_waves(&args.results, &map)?;
    let labelled: Vec<_> = waves
        .iter()
        .map(|(l, _, r)| (l.clone(), r.clone()))
        .collect();
    compare::check_compatible(&labelled)?;
    let newest = &waves[waves.len() - 1].2;
    gate_plan.check_nodes(newest.index.nodes.iter().map(|n| n.id.as_str()))?;
    let mut report = compare::compare_waves(&waves, args.threshold, map);
    let previous = &waves[waves.len() - 2].2;
    report.gates = gates::evaluate(newest, Some(previous), &gate_plan);

    if let Some(dir) = &args.output {
        let inputs = Inputs::new(args.results.iter().map(PathBuf::as_path));
        let set = OutputDir::begin(dir, Owned::Rule(compare::is_compare_output), &inputs)?;
        compare::write_trend_charts(&mut report, set.path(), newest.survey.language)?;
        write_atomic(
            &set.path().join("compare.json"),
            to_json(&report).as_bytes(),
        )?;
        set.commit()?;
    } else if waves.len() > 2 && args.format == Format::Text {
        crate::errln!("note: give -o OUTDIR to write the trend charts and compare.json");
    }
    print_failures(&report.gates, "");
    match args.format {
        Format::Json => print_stdout(&to_json(&report))?,
        Format::Text => print_stdout(&render_text(&report, args.output.as_deref()))?,
    }
    Ok(if gates::all_passed(&report.gates) {
        0
    } else {
        EXIT_GATE
    })
}
