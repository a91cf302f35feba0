//! Sample size and margin of error for a proportion, with the finite population correction.
//!
//! n0 = z²·p(1−p)/e², and with a population of N: n = n0 / (1 + (n0 − 1)/N) (Cochran 1977, 4.2).
//! The achieved margin of n completes is e = z·√(p(1−p)/n)·√((N − n)/(N − 1)).
//!
//! Counts (completes, invitations) are computed in `f64` and turned into `u64` with checked
//! conversions: a value that is not finite or does not fit in a `u64` (a margin of 1e-300, a
//! response rate of 1e-300) is a [`SamplingError`], never a silently saturated or wrapped count.
//! Proportional allocation uses largest-remainder rounding (Hamilton's method), so the parts
//! add up to the total exactly.

use statrs::distribution::{ContinuousCDF, Normal};

/// Why a count could not be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SamplingError {
    /// The count is not finite or is at least 2^64; `value` is what the formula gave.
    CountTooLarge { value: f64 },
}

impl std::fmt::Display for SamplingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SamplingError::CountTooLarge { value } => write!(
                f,
                "the count {value:e} is not a whole number satkit can hold (at most {})",
                u64::MAX
            ),
        }
    }
}

/// Guard against 384.00000000001 becoming 385 when rounding a count up.
const ROUND_UP_SLACK: f64 = 1e-9;

/// `x` rounded up to a whole count, or an error when it is not finite or does not fit in a `u64`.
///
/// # Errors
/// [`SamplingError::CountTooLarge`].
pub fn ceil_count(x: f64) -> Result<u64, SamplingError> {
    let up = (x - ROUND_UP_SLACK).ceil();
    // `u64::MAX as f64` is 2^64, the first value that does not fit.
    if up.is_finite() && up < u64::MAX as f64 {
        Ok(up.max(0.0) as u64)
    } else {
        Err(SamplingError::CountTooLarge { value: x })
    }
}

/// The two-sided standard normal quantile for a confidence level, e.g. 1.959964 for 0.95.
pub fn z_for_confidence(confidence: f64) -> f64 {
    let normal = Normal::standard();
    normal.inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

/// Cochran's n0 before the finite population correction (not rounded).
pub fn cochran_n0(margin: f64, confidence: f64, proportion: f64) -> f64 {
    let z = z_for_confidence(confidence);
    z * z * proportion * (1.0 - proportion) / (margin * margin)
}

/// n after the finite population correction n0 / (1 + (n0 − 1)/N), or n0 without a population.
pub fn finite_population_corrected(n0: f64, population: Option<u64>) -> f64 {
    match population {
        Some(big_n) if big_n > 0 => n0 / (1.0 + (n0 - 1.0) / big_n as f64),
        _ => n0,
    }
}

/// The required completed sample, rounded up (at least 1), with the finite population
/// correction when the population size is known.
///
/// # Errors
/// [`SamplingError::CountTooLarge`] when the margin is so small that n0 is not finite or the
/// sample does not fit in a `u64`.
///
/// # Examples
/// ```
/// use satkit::stats::sampling::required_sample;
/// assert_eq!(required_sample(0.05, 0.95, 0.5, Some(1000)), Ok(278));
/// assert!(required_sample(1e-300, 0.95, 0.5, None).is_err());
/// ```
pub fn required_sample(
    margin: f64,
    confidence: f64,
    proportion: f64,
    population: Option<u64>,
) -> Result<u64, SamplingError> {
    let n0 = cochran_n0(margin, confidence, proportion);
    if !n0.is_finite() {
        return Err(SamplingError::CountTooLarge { value: n0 });
    }
    Ok(ceil_count(finite_population_corrected(n0, population))?.max(1))
}

/// Invitations to send for `n` completes at a response rate: ⌈n / rate⌉.
///
/// # Errors
/// [`SamplingError::CountTooLarge`] when the rate is so small that the count does not fit.
pub fn invitations(n: u64, response_rate: f64) -> Result<u64, SamplingError> {
    ceil_count(n as f64 / response_rate)
}

/// Split `n` into integer parts proportional to `weights`, summing to `n` exactly (largest
/// remainder; ties go to the earlier entry). All zeros when the weights are empty or sum to 0.
pub fn largest_remainder(n: u64, weights: &[f64]) -> Vec<u64> {
    let total: f64 = weights.iter().sum();
    if weights.is_empty() || total <= 0.0 {
        return vec![0; weights.len()];
    }
    let quotas: Vec<f64> = weights.iter().map(|w| n as f64 * w / total).collect();
    // A quota is at most n, so its floor fits in a u64 (`as` saturates; it never wraps).
    let mut parts: Vec<u64> = quotas.iter().map(|q| (q + 1e-9).floor() as u64).collect();
    let given = parts.iter().fold(0u64, |a, &p| a.saturating_add(p));
    let mut left = n.saturating_sub(given);
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
        parts[i] = parts[i].saturating_add(1);
        left -= 1;
    }
    parts
}

/// The margin of error achieved by `n` completes, with the finite population correction.
pub fn achieved_margin(n: f64, confidence: f64, proportion: f64, population: Option<u64>) -> f64 {
    if n <= 0.0 {
        return f64::INFINITY;
    }
    let z = z_for_confidence(confidence);
    let mut e = z * (proportion * (1.0 - proportion) / n).sqrt();
    if let Some(big_n) = population
        && big_n > 1
        && (big_n as f64) >= n
    {
        e *= ((big_n as f64 - n) / (big_n as f64 - 1.0)).sqrt();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        // Cochran: e = 0.05, 95%, p = 0.5 gives n0 = 384.15 -> 385 without FPC.
        assert_eq!(required_sample(0.05, 0.95, 0.5, None), Ok(385));
        // With N = 1000: 384.15 / (1 + 383.15/1000) = 277.7 -> 278.
        assert_eq!(required_sample(0.05, 0.95, 0.5, Some(1000)), Ok(278));
    }

    #[test]
    fn tiny_margins_and_rates_are_errors_not_saturated_counts() {
        // e² underflows to 0, so n0 is infinite; with N the correction would give NaN.
        assert!(required_sample(1e-300, 0.95, 0.5, None).is_err());
        assert!(required_sample(1e-300, 0.95, 0.5, Some(1000)).is_err());
        // n0 ≈ 1e19 is finite but above u64::MAX without a population ...
        assert!(required_sample(1e-10, 0.95, 0.5, None).is_err());
        // ... and a census of N with one.
        assert_eq!(required_sample(1e-10, 0.95, 0.5, Some(1000)), Ok(1000));
        assert!(invitations(385, 1e-300).is_err());
        assert_eq!(invitations(323, 0.3), Ok(1077));
        assert_eq!(invitations(0, 0.3), Ok(0));
    }

    #[test]
    fn largest_remainder_sums_to_n() {
        assert_eq!(largest_remainder(278, &[1200.0, 800.0]), vec![167, 111]);
        assert_eq!(largest_remainder(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(
            largest_remainder(7, &[5.0, 3.0, 2.0]).iter().sum::<u64>(),
            7
        );
        assert_eq!(largest_remainder(5, &[]), Vec::<u64>::new());
    }
}
