//! The arithmetic of a plan: sample size, invitations and allocation for checked inputs, with
//! [`crate::stats::sampling`]: n0 = z²p(1−p)/e², n = n0 / (1 + (n0 − 1)/N) (Cochran 1977, 4.2),
//! invitations = ⌈n / response rate⌉, and largest-remainder rounding across strata so they add
//! up to n exactly. Counts that do not fit in a `u64` (a margin or response rate of 1e-300) are
//! usage errors that name the value and the cure.

use std::collections::BTreeMap;

use serde::Serialize;

use super::input::{Allocation, PlanInput, Source};
use crate::error::{Error, Result};
use crate::stats::sampling;

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
    pub sources: BTreeMap<String, Source>,
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

/// A value for a message: tiny fractions in scientific notation rather than 300 zeros.
fn show(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-4 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The required sample, or a usage error when the margin is too small to give one.
fn sample_size(input: &PlanInput, n0: f64) -> Result<u64> {
    let (e, c, p) = (input.margin.0, input.confidence.0, input.proportion.0);
    sampling::required_sample(e, c, p, input.population.map(|x| x.0)).map_err(|_| {
        Error::usage(
            format!(
                "--margin is {}: the sample size for it (n0 = z²p(1−p)/e² = {n0:e} completed questionnaires) is more than satkit can hold ({})",
                show(e),
                u64::MAX
            ),
            "give the margin of error as a fraction, e.g. --margin 0.05 for ±5 % (385 completes) or --margin 0.01 for ±1 % (9604)",
        )
    })
}

/// Invitations for `n` completes, or a usage error when the response rate is too small.
fn invitations(n: u64, rate: f64) -> Result<u64> {
    sampling::invitations(n, rate).map_err(|_| {
        Error::usage(
            format!(
                "--response-rate is {}: ⌈{n} / {}⌉ invitations is more than {}",
                show(rate),
                show(rate),
                u64::MAX
            ),
            "give the expected share of invited people who complete, e.g. --response-rate 0.3",
        )
    })
}

/// The allocation of `n` across the strata, with notes on strata too small for their share.
fn allocate(
    input: &PlanInput,
    n: u64,
    rate: Option<f64>,
    notes: &mut Vec<String>,
) -> Result<Vec<StratumPlan>> {
    let weights: Vec<f64> = match input.allocation {
        Allocation::Proportional => input.strata.iter().map(|s| s.1 as f64).collect(),
        Allocation::Equal => vec![1.0; input.strata.len()],
    };
    let parts = sampling::largest_remainder(n, &weights);
    // The strata sizes were checked to add up without overflow.
    let sum: u64 = input.strata.iter().map(|s| s.1).sum();
    if let Some((nn, _)) = input.population
        && nn != sum
    {
        notes.push(format!("the strata sizes sum to {sum} but the population is {nn}; the allocation uses the strata's shares"));
    }
    let mut strata = Vec::new();
    for ((name, size), k) in input.strata.iter().zip(parts) {
        if k > *size {
            notes.push(format!("stratum '{name}' has {size} members but is allocated {k}: survey all of them and add the rest elsewhere"));
        }
        strata.push(StratumPlan {
            name: name.clone(),
            population: *size,
            sample: k,
            invitations: rate.map(|r| invitations(k, r)).transpose()?,
        });
    }
    Ok(strata)
}

/// The sample size, invitations and allocation for checked inputs.
///
/// # Errors
/// [`Error::Usage`] when the margin or the response rate is so small that a count does not fit
/// in a `u64`.
pub fn compute(input: &PlanInput) -> Result<PlanReport> {
    let (e, c, p) = (input.margin.0, input.confidence.0, input.proportion.0);
    let big_n = input.population.map(|x| x.0);
    let z = sampling::z_for_confidence(c);
    let n0 = sampling::cochran_n0(e, c, p);
    let n_exact = sampling::finite_population_corrected(n0, big_n);
    let n = sample_size(input, n0)?;
    let rate = input.response_rate.map(|r| r.0);
    let mut notes = Vec::new();
    let strata = if input.strata.is_empty() {
        Vec::new()
    } else {
        allocate(input, n, rate, &mut notes)?
    };
    let mut sources = BTreeMap::new();
    sources.insert("margin".to_string(), input.margin.1);
    sources.insert("confidence".to_string(), input.confidence.1);
    sources.insert("proportion".to_string(), input.proportion.1);
    if let Some((_, s)) = input.population {
        sources.insert("population".to_string(), s);
    }
    if let Some((_, s)) = input.response_rate {
        sources.insert("response_rate".to_string(), s);
    }
    Ok(PlanReport {
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
        invitations: rate.map(|r| invitations(n, r)).transpose()?,
        allocation: (!strata.is_empty()).then_some(input.allocation),
        strata,
        sources,
        notes,
    })
}
