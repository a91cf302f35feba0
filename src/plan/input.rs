//! The inputs of a sampling plan: the options as given ([`PlanOptions`], from the command line,
//! a batch file or a test), and their checked form ([`PlanInput`]).
//!
//! Two layers, as in ripgrep: [`resolve`] takes the given values over the survey's `[plan]` over
//! defaults, checks every range, and records where each value came from, so the arithmetic in
//! [`super::compute`] only ever sees valid inputs. The checks live here, not in the argument
//! parser, so every caller gets them.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Survey;

/// How the sample is split across strata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Allocation {
    /// Each stratum gets a share of n proportional to its size (largest-remainder rounding).
    #[default]
    Proportional,
    /// Every stratum gets n/k (remainders to the first strata).
    Equal,
}

/// The options of a plan as given; `None` takes the survey's `[plan]` value or the default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanOptions {
    /// Population size N (enables the finite population correction).
    pub population: Option<u64>,
    /// Margin of error as a fraction, e.g. 0.05 for ±5 %.
    pub margin: Option<f64>,
    /// Confidence level as a fraction (default 0.95).
    pub confidence: Option<f64>,
    /// Expected proportion p (default 0.5, the largest sample).
    pub proportion: Option<f64>,
    /// Expected share of invited people who complete.
    pub response_rate: Option<f64>,
    /// Strata with their population sizes: `name=size,name=size`.
    pub strata: Option<String>,
    pub allocation: Allocation,
    /// A survey whose `[plan]` supplies the values not given.
    pub survey: Option<PathBuf>,
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
    /// How the text report names the source.
    pub fn label(self) -> &'static str {
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
    /// Every stratum with its size; the sizes are positive and their sum fits in a `u64`.
    pub strata: Vec<(String, u64)>,
    pub allocation: Allocation,
}

/// Parse `north=1200,south=800`.
///
/// # Errors
/// [`Error::Usage`] naming the bad entry, or when the sizes add up to more than `u64::MAX`.
pub fn parse_strata(s: &str) -> Result<Vec<(String, u64)>> {
    let mut out: Vec<(String, u64)> = Vec::new();
    let mut total: u64 = 0;
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
        total = total.checked_add(size).ok_or_else(|| {
            Error::usage(
                format!(
                    "the strata sizes add up to more than {}, the largest population satkit can hold (at stratum '{name}')",
                    u64::MAX
                ),
                "give each stratum's population as a count of people, e.g. --strata north=1200,south=800",
            )
        })?;
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

/// Resolve the given values over the survey's `[plan]` over defaults, and check them.
///
/// # Errors
/// [`Error::Usage`] for out-of-range values or a missing margin; survey errors when it is invalid.
pub fn resolve(options: &PlanOptions) -> Result<PlanInput> {
    let plan = match &options.survey {
        Some(p) => Survey::load(p)?.plan.unwrap_or_default(),
        None => crate::model::Plan::default(),
    };
    let pick = |given: Option<f64>, survey: Option<f64>| {
        given
            .map(|v| (v, Source::CommandLine))
            .or(survey.map(|v| (v, Source::Survey)))
    };
    let strata = options
        .strata
        .as_deref()
        .map(parse_strata)
        .transpose()?
        .unwrap_or_default();
    // parse_strata has checked that the sizes add up without overflow.
    let population = options
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
    let Some(margin) = pick(options.margin, plan.margin) else {
        return Err(Error::usage(
            "no margin of error: the sample size follows from it",
            if options.survey.is_some() {
                "give --margin 0.05, or set margin = 0.05 in the survey's [plan]"
            } else {
                "give --margin 0.05 (±5 %)"
            },
        ));
    };
    let margin = (fraction("margin", margin.0, "0.05")?, margin.1);
    let confidence = pick(options.confidence, plan.confidence).unwrap_or((0.95, Source::Default));
    let confidence = (fraction("confidence", confidence.0, "0.95")?, confidence.1);
    let z = crate::stats::sampling::z_for_confidence(confidence.0);
    if !z.is_finite() {
        return Err(Error::usage(
            format!(
                "--confidence is {}: so close to 1 that its normal quantile z is {z}, and no sample gives it",
                confidence.0
            ),
            "give the confidence level as a fraction below 1, e.g. --confidence 0.95 or 0.99",
        ));
    }
    let proportion = options
        .proportion
        .map(|p| (p, Source::CommandLine))
        .unwrap_or((0.5, Source::Default));
    let proportion = (fraction("proportion", proportion.0, "0.5")?, proportion.1);
    let response_rate = match pick(options.response_rate, plan.response_rate) {
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
        allocation: options.allocation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strata_parse_and_reject() {
        assert_eq!(
            parse_strata("north=1200, south=800").unwrap(),
            vec![("north".into(), 1200), ("south".into(), 800)]
        );
        assert!(parse_strata("north").is_err());
        assert!(parse_strata("north=0").is_err());
        assert!(parse_strata("a=1,a=2").is_err());
        assert!(parse_strata("a=18446744073709551615,b=2").is_err());
        assert!(parse_strata("a=18446744073709551614,b=1").is_ok());
    }
}
