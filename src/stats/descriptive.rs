//! Item descriptives: n, mean, sd (ddof = 1), standard error, a 95% t interval, top- and
//! bottom-2-box shares and code frequencies; weighted mean and sd when weights are given.
//!
//! Weighted definitions: mean = Σwx/Σw; sd = √(Σw(x−m)²/Σw) (statsmodels `DescrStatsW(ddof=0)`);
//! shares are weighted shares.
//!
//! Two paths, by input: a column coded to a few values goes through [`LevelStats`] (one pass
//! over the rows, then per value); any other column (node scores, subsets of rows, non-integer
//! answers) through the row functions [`summary`], [`weighted_summary`] and [`frequencies`].
//! They add the same terms in different orders, so their last bits can differ; each caller
//! keeps the one its output has always come from, and the tests check that the two agree.

use serde::Serialize;

use super::codes::Code;
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

impl Summary {
    /// n and the mean only: there is no spread below two values.
    fn without_spread(n: usize, mean: f64) -> Summary {
        Summary {
            n,
            mean,
            sd: None,
            se: None,
            ci_low: None,
            ci_high: None,
        }
    }

    /// With the sd, the se and the 95% t interval on n − 1 degrees of freedom.
    fn with_spread(n: usize, mean: f64, sd: f64, se: f64) -> Summary {
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

    /// The weighted summary from Σw, v1 = Σ w(x − m)² and v2 = Σ w²(x − m)² (see
    /// [`weighted_summary`]).
    fn weighted(n: usize, mean: f64, sw: f64, v1: f64, v2: f64) -> Summary {
        let var_pop = v1 / sw;
        let se = (n as f64 / (n as f64 - 1.0) * v2 / (sw * sw)).sqrt();
        Summary::with_spread(n, mean, var_pop.sqrt(), se)
    }
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
        return Summary::without_spread(n, mean);
    }
    let ss: f64 = x
        .iter()
        .filter(|v| !v.is_nan())
        .map(|a| (a - mean) * (a - mean))
        .sum();
    let sd = (ss / (n as f64 - 1.0)).sqrt();
    Summary::with_spread(n, mean, sd, sd / (n as f64).sqrt())
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
        return Summary::without_spread(n, mean);
    }
    let (mut v1, mut v2) = (0.0, 0.0);
    for (a, b) in x.iter().zip(w).filter(ok) {
        let d2 = (a - mean) * (a - mean);
        v1 += b * d2;
        v2 += b * b * d2;
    }
    Summary::weighted(n, mean, sw, v1, v2)
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Frequency {
    pub code: i64,
    pub label: Option<String>,
    pub count: u64,
    #[serde(deserialize_with = "crate::json::f64_or_nan")]
    pub share: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_share: Option<f64>,
}

/// The number of codes in `min..=max` (`max - min + 1` without overflow), or `None` for an
/// empty range or one whose size does not fit in a `usize`. Callers bound the range (the survey
/// model allows at most `model::MAX_SCALE_POINTS` points).
pub fn code_count(min: i64, max: i64) -> Option<usize> {
    let span = max.checked_sub(min)?;
    usize::try_from(span).ok()?.checked_add(1)
}

/// Counts (and weighted shares) of each code in `min..=max`; NaN and other values are ignored.
pub fn frequencies(
    x: &[f64],
    w: Option<&[f64]>,
    min: i64,
    max: i64,
    labels: &dyn Fn(i64) -> Option<String>,
) -> Vec<Frequency> {
    let Some(k) = code_count(min, max) else {
        return Vec::new();
    };
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
    frequency_rows(min, &counts, &wsum, w.is_some(), labels)
}

/// One row per code from `min` on, from its count and weight sum (weighted shares when
/// `weighted`).
fn frequency_rows(
    min: i64,
    counts: &[u64],
    wsum: &[f64],
    weighted: bool,
    labels: &dyn Fn(i64) -> Option<String>,
) -> Vec<Frequency> {
    let n: u64 = counts.iter().sum();
    let tw: f64 = wsum.iter().sum();
    counts
        .iter()
        .zip(wsum)
        .enumerate()
        .map(|(i, (&count, &ws))| Frequency {
            code: min + i as i64,
            label: labels(min + i as i64),
            count,
            share: if n > 0 {
                count as f64 / n as f64
            } else {
                f64::NAN
            },
            weighted_share: weighted.then(|| if tw > 0.0 { ws / tw } else { f64::NAN }),
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

/// Per-value aggregates of a column coded to a few distinct values (one pass over the rows),
/// from which [`summary`], [`weighted_summary`] and [`frequencies`] follow without touching the
/// rows again.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelStats {
    /// The distinct values, ascending.
    pub values: Vec<f64>,
    /// Rows with each value.
    pub count: Vec<u64>,
    /// Σw per value over rows with a weight (any sign); as [`frequencies`] counts them.
    pub wsum: Vec<f64>,
    /// Rows with a positive weight, and their Σw and Σw², per value; as [`weighted_summary`].
    pub npos: Vec<u64>,
    pub swpos: Vec<f64>,
    pub sw2pos: Vec<f64>,
}

impl LevelStats {
    /// Aggregates of `codes` (indices into `values`; `C::MISSING` marks a missing row) with
    /// optional row weights. Sums run in row order.
    pub fn new<C: Code>(codes: &[C], values: &[f64], w: Option<&[f64]>) -> LevelStats {
        let k = values.len();
        let mut l = LevelStats {
            values: values.to_vec(),
            count: vec![0; k],
            wsum: vec![0.0; k],
            npos: vec![0; k],
            swpos: vec![0.0; k],
            sw2pos: vec![0.0; k],
        };
        match w {
            None => {
                for &c in codes {
                    if c != C::MISSING {
                        l.count[c.index()] += 1;
                    }
                }
            }
            Some(w) => {
                for (&c, &wr) in codes.iter().zip(w) {
                    if c == C::MISSING {
                        continue;
                    }
                    let c = c.index();
                    l.count[c] += 1;
                    if !wr.is_nan() {
                        l.wsum[c] += wr;
                        if wr > 0.0 {
                            l.npos[c] += 1;
                            l.swpos[c] += wr;
                            l.sw2pos[c] += wr * wr;
                        }
                    }
                }
            }
        }
        l
    }

    /// [`summary`] of the column.
    pub fn summary(&self) -> Summary {
        let n: u64 = self.count.iter().sum();
        let sum: f64 = self
            .count
            .iter()
            .zip(&self.values)
            .map(|(&c, v)| c as f64 * v)
            .sum();
        let n = n as usize;
        let mean = if n > 0 { sum / n as f64 } else { f64::NAN };
        if n < 2 {
            return Summary::without_spread(n, mean);
        }
        let ss: f64 = self
            .count
            .iter()
            .zip(&self.values)
            .filter(|(c, _)| **c > 0)
            .map(|(&c, v)| c as f64 * (v - mean) * (v - mean))
            .sum();
        let sd = (ss / (n as f64 - 1.0)).sqrt();
        Summary::with_spread(n, mean, sd, sd / (n as f64).sqrt())
    }

    /// [`weighted_summary`] of the column with the weights it was built with.
    pub fn weighted_summary(&self) -> Summary {
        let n = self.npos.iter().sum::<u64>() as usize;
        let sw: f64 = self.swpos.iter().sum();
        let swx: f64 = self
            .swpos
            .iter()
            .zip(&self.values)
            .map(|(w, v)| w * v)
            .sum();
        let mean = if n > 0 { swx / sw } else { f64::NAN };
        if n < 2 {
            return Summary::without_spread(n, mean);
        }
        let (mut v1, mut v2) = (0.0, 0.0);
        for k in 0..self.values.len() {
            if self.npos[k] == 0 {
                continue;
            }
            let d2 = (self.values[k] - mean) * (self.values[k] - mean);
            v1 += self.swpos[k] * d2;
            v2 += self.sw2pos[k] * d2;
        }
        Summary::weighted(n, mean, sw, v1, v2)
    }

    /// [`frequencies`] of the column (`weighted`: whether it was built with weights).
    pub fn frequencies(
        &self,
        weighted: bool,
        min: i64,
        max: i64,
        labels: &dyn Fn(i64) -> Option<String>,
    ) -> Vec<Frequency> {
        let Some(k) = code_count(min, max) else {
            return Vec::new();
        };
        let mut counts = vec![0u64; k];
        let mut wsum = vec![0f64; k];
        for (j, v) in self.values.iter().enumerate() {
            let c = *v as i64;
            if self.count[j] > 0 && c >= min && c <= max {
                counts[(c - min) as usize] += self.count[j];
                wsum[(c - min) as usize] += self.wsum[j];
            }
        }
        frequency_rows(min, &counts, &wsum, weighted, labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(1.0),
            (None, None) => true,
            _ => false,
        }
    }

    #[test]
    fn level_stats_match_row_statistics() {
        let x: Vec<f64> = (0..997)
            .map(|i| {
                if i % 13 == 0 {
                    f64::NAN
                } else {
                    ((i * 7 + i / 5) % 5) as f64 + 1.0
                }
            })
            .collect();
        let w: Vec<f64> = (0..997)
            .map(|i| match i % 11 {
                0 => 0.0,
                1 => -0.5,
                _ => 0.5 + (i % 7) as f64 / 3.0,
            })
            .collect();
        let values: Vec<f64> = (1..=5).map(f64::from).collect();
        let codes: Vec<u32> = x
            .iter()
            .map(|v| {
                if v.is_nan() {
                    u32::MAX
                } else {
                    (*v - 1.0) as u32
                }
            })
            .collect();
        let l = LevelStats::new(&codes, &values, Some(&w));
        for (a, b) in [
            (summary(&x), l.summary()),
            (weighted_summary(&x, &w), l.weighted_summary()),
        ] {
            assert_eq!(a.n, b.n);
            assert!(close(Some(a.mean), Some(b.mean)));
            assert!(close(a.sd, b.sd) && close(a.se, b.se));
            assert!(close(a.ci_low, b.ci_low) && close(a.ci_high, b.ci_high));
        }
        let labels = |_: i64| None;
        assert_eq!(
            frequencies(&x, Some(&w), 0, 5, &labels),
            l.frequencies(true, 0, 5, &labels)
        );
        let none = LevelStats::new(&[u32::MAX; 3], &[], None);
        assert_eq!(none.summary().n, 0);
        assert_eq!(none.weighted_summary().n, 0);
    }

    /// A column coded to `levels` values (multiples of 1/4 from −1), missing where drawn so, and
    /// row weights that are positive, zero, negative or missing: (answers, codes, values,
    /// weights).
    fn coded_column() -> impl Strategy<Value = (Vec<f64>, Vec<u8>, Vec<f64>, Vec<f64>)> {
        let weight = prop_oneof![
            6 => 0.1f64..5.0,
            1 => Just(0.0),
            1 => Just(-0.5),
            1 => Just(f64::NAN),
        ];
        (1u8..=8, 0usize..=300, 0u8..=60).prop_flat_map(move |(levels, n, missing)| {
            prop::collection::vec((0..levels, 0u8..100, weight.clone()), n).prop_map(move |rows| {
                let values: Vec<f64> = (0..levels).map(|v| f64::from(v) * 0.25 - 1.0).collect();
                let codes: Vec<u8> = rows
                    .iter()
                    .map(|&(c, m, _)| if m < missing { u8::MISSING } else { c })
                    .collect();
                let x = codes
                    .iter()
                    .map(|&c| {
                        if c == u8::MISSING {
                            f64::NAN
                        } else {
                            values[c as usize]
                        }
                    })
                    .collect();
                let w = rows.iter().map(|r| r.2).collect();
                (x, codes, values, w)
            })
        })
    }

    fn summaries_close(a: &Summary, b: &Summary) -> bool {
        let mean = (a.mean.is_nan() && b.mean.is_nan()) || close(Some(a.mean), Some(b.mean));
        a.n == b.n
            && mean
            && close(a.sd, b.sd)
            && close(a.se, b.se)
            && close(a.ci_low, b.ci_low)
            && close(a.ci_high, b.ci_high)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The coded moments ([`LevelStats`]) equal the row-by-row statistics.
        #[test]
        fn level_stats_equal_row_by_row_statistics((x, codes, values, w) in coded_column()) {
            let plain = LevelStats::new(&codes, &values, None);
            let l = LevelStats::new(&codes, &values, Some(&w));
            prop_assert_eq!(&plain.count, &l.count);
            prop_assert!(summaries_close(&summary(&x), &plain.summary()));
            prop_assert!(summaries_close(&summary(&x), &l.summary()));
            prop_assert!(summaries_close(&weighted_summary(&x, &w), &l.weighted_summary()));
            let labels = |_: i64| None;
            for (weighted, ws) in [(false, None), (true, Some(w.as_slice()))] {
                let rows = frequencies(&x, ws, -1, 1, &labels);
                let coded = l.frequencies(weighted, -1, 1, &labels);
                prop_assert_eq!(rows.len(), coded.len());
                for (a, b) in rows.iter().zip(&coded) {
                    prop_assert_eq!(a.count, b.count);
                    prop_assert_eq!(a.share.to_bits(), b.share.to_bits());
                    let same = match (a.weighted_share, b.weighted_share) {
                        (Some(p), Some(q)) => (p.is_nan() && q.is_nan()) || close(Some(p), Some(q)),
                        (p, q) => p == q,
                    };
                    prop_assert!(same, "weighted share {:?} vs {:?}", a, b);
                }
            }
        }
    }
}
