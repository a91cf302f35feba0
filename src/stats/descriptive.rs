//! Item descriptives: n, mean, sd (ddof = 1), standard error, a 95% t interval, top- and
//! bottom-2-box shares and code frequencies; weighted mean and sd when weights are given.
//!
//! Weighted definitions: mean = Σwx/Σw; sd = √(Σw(x−m)²/Σw) (statsmodels `DescrStatsW(ddof=0)`);
//! shares are weighted shares.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The t quantile for a two-sided interval at `level` with `df` degrees of freedom.
pub fn t_quantile(level: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.inverse_cdf(1.0 - (1.0 - level) / 2.0),
        Err(_) => f64::NAN,
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub sd: Option<f64>,
    pub se: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// n, mean, sd (ddof 1), se and the 95% t interval of the non-NaN values.
pub fn summary(x: &[f64]) -> Summary {
    // Two passes without allocation: the mean, then squared deviations.
    let (mut n, mut sum) = (0usize, 0.0);
    for v in x.iter().filter(|v| !v.is_nan()) {
        n += 1;
        sum += v;
    }
    let mean = if n > 0 { sum / n as f64 } else { f64::NAN };
    if n < 2 {
        return Summary {
            n,
            mean,
            sd: None,
            se: None,
            ci_low: None,
            ci_high: None,
        };
    }
    let ss: f64 = x
        .iter()
        .filter(|v| !v.is_nan())
        .map(|a| (a - mean) * (a - mean))
        .sum();
    let sd = (ss / (n as f64 - 1.0)).sqrt();
    let se = sd / (n as f64).sqrt();
    let t = t_quantile(0.95, n as f64 - 1.0);
    Summary {
        n,
        mean,
        sd: Some(sd),
        se: Some(se),
        ci_low: Some(mean - t * se),
        ci_high: Some(mean + t * se),
    }
}

/// Weighted mean with a design-based standard error and 95% t interval.
///
/// SE² = n/(n−1) · Σ wᵢ²(xᵢ − m)² / (Σw)² (the with-replacement linearisation estimator); with
/// equal weights it reduces to s/√n, so the unweighted interval is the special case.
pub fn weighted_summary(x: &[f64], w: &[f64]) -> Summary {
    let ok = |(a, b): &(&f64, &f64)| !a.is_nan() && !b.is_nan() && **b > 0.0;
    let (mut n, mut sw, mut swx) = (0usize, 0.0, 0.0);
    for (a, b) in x.iter().zip(w).filter(ok) {
        n += 1;
        sw += b;
        swx += a * b;
    }
    let mean = if n > 0 { swx / sw } else { f64::NAN };
    if n < 2 {
        return Summary {
            n,
            mean,
            sd: None,
            se: None,
            ci_low: None,
            ci_high: None,
        };
    }
    let (mut v1, mut v2) = (0.0, 0.0);
    for (a, b) in x.iter().zip(w).filter(ok) {
        let d2 = (a - mean) * (a - mean);
        v1 += b * d2;
        v2 += b * b * d2;
    }
    let var_pop = v1 / sw;
    let se = (n as f64 / (n as f64 - 1.0) * v2 / (sw * sw)).sqrt();
    let t = t_quantile(0.95, n as f64 - 1.0);
    Summary {
        n,
        mean,
        sd: Some(var_pop.sqrt()),
        se: Some(se),
        ci_low: Some(mean - t * se),
        ci_high: Some(mean + t * se),
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Frequency {
    pub code: i64,
    pub label: Option<String>,
    pub count: u64,
    #[serde(deserialize_with = "crate::analysis::f64_or_nan")]
    pub share: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_share: Option<f64>,
}

/// Counts (and weighted shares) of each code in `min..=max`; NaN and other values are ignored.
pub fn frequencies(
    x: &[f64],
    w: Option<&[f64]>,
    min: i64,
    max: i64,
    labels: &dyn Fn(i64) -> Option<String>,
) -> Vec<Frequency> {
    let k = (max - min + 1).max(0) as usize;
    let mut counts = vec![0u64; k];
    let mut wsum = vec![0f64; k];
    for (i, v) in x.iter().enumerate() {
        if v.is_nan() {
            continue;
        }
        let c = *v as i64;
        if c >= min && c <= max {
            counts[(c - min) as usize] += 1;
            if let Some(w) = w
                && !w[i].is_nan()
            {
                wsum[(c - min) as usize] += w[i];
            }
        }
    }
    let n: u64 = counts.iter().sum();
    let tw: f64 = wsum.iter().sum();
    (0..k)
        .map(|i| Frequency {
            code: min + i as i64,
            label: labels(min + i as i64),
            count: counts[i],
            share: if n > 0 {
                counts[i] as f64 / n as f64
            } else {
                f64::NAN
            },
            weighted_share: w.map(|_| if tw > 0.0 { wsum[i] / tw } else { f64::NAN }),
        })
        .collect()
}

/// Share of answers among the given codes (e.g. the top two), from frequencies.
pub fn box_share(freq: &[Frequency], codes: &[i64], weighted: bool) -> f64 {
    let pick = |f: &Frequency| {
        if weighted {
            f.weighted_share.unwrap_or(f64::NAN)
        } else {
            f.share
        }
    };
    freq.iter()
        .filter(|f| codes.contains(&f.code))
        .map(pick)
        .sum()
}
