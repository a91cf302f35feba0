//! `satkit plan`: how many completed questionnaires a margin of error needs, how many invitations
//! to send, and how to split the sample across strata.
//!
//! Two layers (ripgrep style): the command-line strings (and the survey's `[plan]`) are first
//! resolved into a checked [`PlanInput`], then [`compute`] does the arithmetic with
//! [`crate::stats::sampling`]: n0 = z²p(1−p)/e², n = n0 / (1 + (n0 − 1)/N) (Cochran 1977, 4.2),
//! invitations = ⌈n / response rate⌉. Proportional allocation uses largest-remainder rounding so
//! the strata add up to n exactly.

use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use super::output::{Format, print_stdout, to_json};
use crate::error::{Error, Result};
use crate::model::Survey;
use crate::stats::sampling;

const EXAMPLES: &str = "\
Examples:
  satkit plan --population 1000 --margin 0.05 --confidence 0.95
  satkit plan --population 12000 --margin 0.05 --response-rate 0.3 --strata north=7000,south=5000
  satkit plan --survey surveys/b2b-platform/survey.toml --margin 0.04 --format json

With --survey, population_size, margin, confidence and response_rate come from the survey's [plan]
unless given on the command line. Without a population the sample is for a very large population.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default, Serialize)]
#[serde(rename_all = "lowercase")]
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

/// Where an input value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    CommandLine,
    Survey,
    Strata,
    Default,
}

impl Source {
    fn label(self) -> &'static str {
        match self {
            Source::CommandLine => "command line",
            Source::Survey => "survey [plan]",
            Source::Strata => "sum of strata",
            Source::Default => "default",
        }
    }
}

/// Checked inputs of the computation.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    pub population: Option<(u64, Source)>,
    pub margin: (f64, Source),
    pub confidence: (f64, Source),
    pub proportion: (f64, Source),
    pub response_rate: Option<(f64, Source)>,
    pub strata: Vec<(String, u64)>,
    pub allocation: Allocation,
}

/// The JSON report of `satkit plan` (schema_version 1.0.0).
#[derive(Debug, Serialize, PartialEq)]
pub struct PlanReport {
    pub schema_version: &'static str,
    /// Population size N; null for a very large population (no correction).
    pub population: Option<u64>,
    pub margin: f64,
    pub confidence: f64,
    pub proportion: f64,
    /// Two-sided standard normal quantile for the confidence level.
    pub z: f64,
    /// Cochran's n0 = z²p(1−p)/e², not rounded.
    pub n0: f64,
    /// n after the finite population correction, not rounded.
    pub n_exact: f64,
    /// Required completed questionnaires (n rounded up).
    pub sample_size: u64,
    pub response_rate: Option<f64>,
    /// Invitations to send: ⌈sample_size / response_rate⌉.
    pub invitations: Option<u64>,
    pub allocation: Option<Allocation>,
    pub strata: Vec<StratumPlan>,
    /// Where each input came from (command_line, survey, strata, default).
    pub sources: std::collections::BTreeMap<String, Source>,
    /// Warnings about the inputs, e.g. a stratum smaller than its allocation.
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct StratumPlan {
    pub name: String,
    pub population: u64,
    pub sample: u64,
    pub invitations: Option<u64>,
}

/// Parse `north=1200,south=800`.
///
/// # Errors
/// [`Error::Usage`] naming the bad entry.
pub fn parse_strata(s: &str) -> Result<Vec<(String, u64)>> {
    let mut out: Vec<(String, u64)> = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, size) = part.split_once('=').ok_or_else(|| {
            Error::usage(
                format!("stratum '{part}' has no size"),
                "write --strata name=size,name=size, e.g. north=1200,south=800",
            )
        })?;
        let name = name.trim();
        let size: u64 = size.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            Error::usage(
                format!(
                    "stratum '{name}': size '{}' is not a positive whole number",
                    size.trim()
                ),
                "write the population size of the stratum, e.g. north=1200",
            )
        })?;
        if name.is_empty() {
            return Err(Error::usage(
                format!("stratum '{part}' has no name"),
                "write --strata name=size, e.g. north=1200",
            ));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(Error::usage(
                format!("stratum '{name}' is given twice"),
                "name each stratum once",
            ));
        }
        out.push((name.to_string(), size));
    }
    if out.is_empty() {
        return Err(Error::usage(
            "--strata is empty",
            "write --strata name=size,name=size, e.g. north=1200,south=800",
        ));
    }
    Ok(out)
}

fn fraction(name: &str, v: f64, example: &str) -> Result<f64> {
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(Error::usage(
            format!("--{name} is {v}; it must lie strictly between 0 and 1"),
            format!("write it as a fraction, e.g. --{name} {example}"),
        ))
    }
}

/// Resolve command-line values over the survey's `[plan]` over defaults, and check them.
///
/// # Errors
/// [`Error::Usage`] for out-of-range values or a missing margin; survey errors when it is invalid.
pub fn resolve(args: &Args) -> Result<PlanInput> {
    let plan = match &args.survey {
        Some(p) => Survey::load(p)?.plan.unwrap_or_default(),
        None => crate::model::Plan::default(),
    };
    let pick = |cli: Option<f64>, survey: Option<f64>| {
        cli.map(|v| (v, Source::CommandLine))
            .or(survey.map(|v| (v, Source::Survey)))
    };
    let strata = args
        .strata
        .as_deref()
        .map(parse_strata)
        .transpose()?
        .unwrap_or_default();
    let population = args
        .population
        .map(|v| (v, Source::CommandLine))
        .or(plan.population_size.map(|v| (v, Source::Survey)))
        .or((!strata.is_empty()).then(|| (strata.iter().map(|s| s.1).sum(), Source::Strata)));
    if let Some((0, _)) = population {
        return Err(Error::usage(
            "--population is 0",
            "give the number of people in the population, or leave it out for a very large one",
        ));
    }
    let Some(margin) = pick(args.margin, plan.margin) else {
        return Err(Error::usage(
            "no margin of error: the sample size follows from it",
            if args.survey.is_some() {
                "give --margin 0.05, or set margin = 0.05 in the survey's [plan]"
            } else {
                "give --margin 0.05 (±5 %)"
            },
        ));
    };
    let margin = (fraction("margin", margin.0, "0.05")?, margin.1);
    let confidence = pick(args.confidence, plan.confidence).unwrap_or((0.95, Source::Default));
    let confidence = (fraction("confidence", confidence.0, "0.95")?, confidence.1);
    let proportion = args
        .proportion
        .map(|p| (p, Source::CommandLine))
        .unwrap_or((0.5, Source::Default));
    let proportion = (fraction("proportion", proportion.0, "0.5")?, proportion.1);
    let response_rate = match pick(args.response_rate, plan.response_rate) {
        Some((r, s)) if r > 0.0 && r <= 1.0 => Some((r, s)),
        Some((r, _)) => {
            return Err(Error::usage(
                format!("--response-rate is {r}; it must lie in (0, 1]"),
                "write it as a fraction, e.g. --response-rate 0.3",
            ));
        }
        None => None,
    };
    Ok(PlanInput {
        population,
        margin,
        confidence,
        proportion,
        response_rate,
        strata,
        allocation: args.allocation,
    })
}

/// Split `n` into integer parts proportional to `weights`, summing to `n` exactly (largest
/// remainder; ties go to the earlier entry).
pub fn largest_remainder(n: u64, weights: &[f64]) -> Vec<u64> {
    let total: f64 = weights.iter().sum();
    if weights.is_empty() || total <= 0.0 {
        return vec![0; weights.len()];
    }
    let quotas: Vec<f64> = weights.iter().map(|w| n as f64 * w / total).collect();
    let mut parts: Vec<u64> = quotas.iter().map(|q| (q + 1e-9).floor() as u64).collect();
    let mut left = n.saturating_sub(parts.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (quotas[a] - quotas[a].floor(), quotas[b] - quotas[b].floor());
        fb.partial_cmp(&fa)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

fn invitations(n: u64, rate: f64) -> u64 {
    ((n as f64 / rate) - 1e-9).ceil() as u64
}

/// The sample size, invitations and allocation for checked inputs.
pub fn compute(input: &PlanInput) -> PlanReport {
    let (e, c, p) = (input.margin.0, input.confidence.0, input.proportion.0);
    let big_n = input.population.map(|x| x.0);
    let z = sampling::z_for_confidence(c);
    let n0 = sampling::cochran_n0(e, c, p);
    let n_exact = match big_n {
        Some(nn) => n0 / (1.0 + (n0 - 1.0) / nn as f64),
        None => n0,
    };
    let n = sampling::required_sample(e, c, p, big_n);
    let rate = input.response_rate.map(|r| r.0);
    let mut notes = Vec::new();
    let mut strata = Vec::new();
    if !input.strata.is_empty() {
        let weights: Vec<f64> = match input.allocation {
            Allocation::Proportional => input.strata.iter().map(|s| s.1 as f64).collect(),
            Allocation::Equal => vec![1.0; input.strata.len()],
        };
        let parts = largest_remainder(n, &weights);
        let sum: u64 = input.strata.iter().map(|s| s.1).sum();
        if let Some(nn) = big_n
            && nn != sum
        {
            notes.push(format!("the strata sizes sum to {sum} but the population is {nn}; the allocation uses the strata's shares"));
        }
        for ((name, size), k) in input.strata.iter().zip(parts) {
            if k > *size {
                notes.push(format!("stratum '{name}' has {size} members but is allocated {k}: survey all of them and add the rest elsewhere"));
            }
            strata.push(StratumPlan {
                name: name.clone(),
                population: *size,
                sample: k,
                invitations: rate.map(|r| invitations(k, r)),
            });
        }
    }
    let mut sources = std::collections::BTreeMap::new();
    sources.insert("margin".to_string(), input.margin.1);
    sources.insert("confidence".to_string(), input.confidence.1);
    sources.insert("proportion".to_string(), input.proportion.1);
    if let Some((_, s)) = input.population {
        sources.insert("population".to_string(), s);
    }
    if let Some((_, s)) = input.response_rate {
        sources.insert("response_rate".to_string(), s);
    }
    PlanReport {
        schema_version: "1.0.0",
        population: big_n,
        margin: e,
        confidence: c,
        proportion: p,
        z,
        n0,
        n_exact,
        sample_size: n,
        response_rate: rate,
        invitations: rate.map(|r| invitations(n, r)),
        allocation: (!strata.is_empty()).then_some(input.allocation),
        strata,
        sources,
        notes,
    }
}

pub fn run(args: Args) -> Result<i32> {
    let input = resolve(&args)?;
    let report = compute(&input);
    match args.format {
        Format::Json => print_stdout(&to_json(&report)),
        Format::Text => {
            for n in &report.notes {
                eprintln!("note: {n}");
            }
            print_stdout(&render_text(&report));
        }
    }
    Ok(0)
}

fn pct(x: f64) -> String {
    let s = format!("{:.2}", 100.0 * x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

pub fn render_text(r: &PlanReport) -> String {
    let src = |k: &str| {
        r.sources
            .get(k)
            .map(|s| format!("  ({})", s.label()))
            .unwrap_or_default()
    };
    let mut out = String::from(
        "Sample size for a proportion (Cochran; finite population correction when N is known)\n",
    );
    match r.population {
        Some(n) => out.push_str(&format!(
            "  population N          {n}{}\n",
            src("population")
        )),
        None => out.push_str("  population N          very large (no correction)\n"),
    }
    out.push_str(&format!(
        "  margin of error e     ±{}{}\n",
        pct(r.margin),
        src("margin")
    ));
    out.push_str(&format!(
        "  confidence            {} (z = {:.3}){}\n",
        pct(r.confidence),
        r.z,
        src("confidence")
    ));
    out.push_str(&format!(
        "  proportion p          {}{}\n",
        r.proportion,
        src("proportion")
    ));
    out.push_str(&format!("  n0 = z²p(1−p)/e²      {:.2}\n", r.n0));
    if r.population.is_some() {
        out.push_str(&format!("  n = n0/(1+(n0−1)/N)   {:.2}\n", r.n_exact));
    }
    out.push_str(&format!("  completed sample      {}\n", r.sample_size));
    if let (Some(rate), Some(inv)) = (r.response_rate, r.invitations) {
        out.push_str(&format!(
            "  response rate         {}{}\n",
            pct(rate),
            src("response_rate")
        ));
        out.push_str(&format!("  invitations to send   {inv}\n"));
    }
    if !r.strata.is_empty() {
        let alloc = match r.allocation {
            Some(Allocation::Equal) => "equal",
            _ => "proportional",
        };
        let w = r
            .strata
            .iter()
            .map(|s| crate::report::text::display_width(&s.name))
            .max()
            .unwrap_or(7)
            .max(7);
        out.push_str(&format!("\n{alloc} allocation:\n"));
        out.push_str(&format!(
            "  {}  {:>10}  {:>7}",
            crate::report::text::pad_right("stratum", w),
            "population",
            "sample"
        ));
        out.push_str(if r.response_rate.is_some() {
            "  invitations\n"
        } else {
            "\n"
        });
        for s in &r.strata {
            out.push_str(&format!(
                "  {}  {:>10}  {:>7}",
                crate::report::text::pad_right(&s.name, w),
                s.population,
                s.sample
            ));
            match s.invitations {
                Some(i) => out.push_str(&format!("  {i:>11}\n")),
                None => out.push('\n'),
            }
        }
        let total_inv: Option<u64> = r.strata.iter().map(|s| s.invitations).sum();
        out.push_str(&format!(
            "  {}  {:>10}  {:>7}",
            crate::report::text::pad_right("total", w),
            r.strata.iter().map(|s| s.population).sum::<u64>(),
            r.strata.iter().map(|s| s.sample).sum::<u64>()
        ));
        match total_inv {
            Some(i) => out.push_str(&format!("  {i:>11}\n")),
            None => out.push('\n'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_sums_to_n() {
        assert_eq!(largest_remainder(278, &[1200.0, 800.0]), vec![167, 111]);
        assert_eq!(largest_remainder(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(
            largest_remainder(7, &[5.0, 3.0, 2.0]).iter().sum::<u64>(),
            7
        );
    }

    #[test]
    fn strata_parse_and_reject() {
        assert_eq!(
            parse_strata("north=1200, south=800").unwrap(),
            vec![("north".into(), 1200), ("south".into(), 800)]
        );
        assert!(parse_strata("north").is_err());
        assert!(parse_strata("north=0").is_err());
        assert!(parse_strata("a=1,a=2").is_err());
    }
}
