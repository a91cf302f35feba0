//! Hypothesis tests for gaps and segments, and the Net Promoter Score.
//!
//! - Paired t (`scipy.stats.ttest_rel(p, e)`): t = mean(d)/(sd(d)/√n), d = p − e, df = n − 1.
//! - Welch's t (`scipy.stats.ttest_ind(equal_var=False)`), Welch–Satterthwaite df; Cohen's d
//!   with the pooled sd √(((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2)) (pingouin `compute_effsize`).
//! - Welch's ANOVA (`pingouin.welch_anova`): w_i = n_i/s_i², F = A/B with
//!   A = Σw_i(m_i − m_w)²/(k−1), B = 1 + 2(k−2)/(k²−1)·Σ(1 − w_i/Σw)²/(n_i−1),
//!   df₂ = (k²−1)/(3·Σ(1 − w_i/Σw)²/(n_i−1)); effect size η² = SS_between/SS_total (pingouin np2).
//! - χ² test of independence without continuity correction (`scipy.stats.chi2_contingency(
//!   correction=False)`) and Cramér's V = √(χ²/(n·(min(r, c) − 1))).
//! - NPS = 100·(promoters − detractors) over non-missing 0–10 answers, promoters 9–10,
//!   detractors 0–6; SE = 100·√((P + D − (P − D)²)/n); 95% CI NPS ± z·SE.
//! - The change of NPS between two independent samples: z = (NPS₂ − NPS₁)/√(SE₁² + SE₂²),
//!   p two-sided from the standard normal.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TTest {
    pub t: f64,
    pub df: f64,
    pub p: f64,
}

fn t_p(t: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .map(|d| 2.0 * crate::stats::dist::sf(&d, t.abs()))
        .unwrap_or(f64::NAN)
}

pub fn mean_var(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (n - 1.0);
    (m, var)
}

/// Paired t test of `after − before` over complete pairs (needs n ≥ 2 and non-zero variance).
pub fn paired_t(after: &[f64], before: &[f64]) -> Option<TTest> {
    let d: Vec<f64> = after
        .iter()
        .zip(before)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| a - b)
        .collect();
    if d.len() < 2 {
        return None;
    }
    let (m, var) = mean_var(&d);
    if !(var > 0.0) {
        return None;
    }
    let t = m / (var / d.len() as f64).sqrt();
    let df = d.len() as f64 - 1.0;
    Some(TTest {
        t,
        df,
        p: t_p(t, df),
    })
}

/// Summary statistics of one sample: mean, variance (n − 1 denominator) and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleSummary {
    pub mean: f64,
    pub var: f64,
    pub n: usize,
}

/// Welch's t for `a.mean − b.mean` from summary statistics: se_i² = var_i/n_i,
/// t = (m_a − m_b)/√(se_a² + se_b²), df = (se_a² + se_b²)²/(se_a⁴/(n_a − 1) + se_b⁴/(n_b − 1))
/// (Welch–Satterthwaite). Returns (t, df, se²); `None` when a sample has fewer than 2
/// observations or se² is not positive. The one Welch computation behind [`welch_t`] (raw
/// data) and [`welch_from_stats`] (results' summary statistics).
pub fn welch_from_summary(a: SampleSummary, b: SampleSummary) -> Option<(f64, f64, f64)> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let (va, vb) = (a.var / na, b.var / nb);
    let se2 = va + vb;
    if !(se2 > 0.0) {
        return None;
    }
    let t = (a.mean - b.mean) / se2.sqrt();
    let df = se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    Some((t, df, se2))
}

/// Welch's t test of two samples (NaN ignored), with Cohen's d (pooled sd).
pub fn welch_t(a: &[f64], b: &[f64]) -> Option<(TTest, f64)> {
    let a: Vec<f64> = a.iter().copied().filter(|v| !v.is_nan()).collect();
    let b: Vec<f64> = b.iter().copied().filter(|v| !v.is_nan()).collect();
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (ma, va) = mean_var(&a);
    let (mb, vb) = mean_var(&b);
    let summary = |mean, var, n| SampleSummary { mean, var, n };
    let (t, df, _) = welch_from_summary(summary(ma, va, a.len()), summary(mb, vb, b.len()))?;
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let pooled = (((na - 1.0) * va + (nb - 1.0) * vb) / (na + nb - 2.0)).sqrt();
    Some((
        TTest {
            t,
            df,
            p: t_p(t, df),
        },
        (ma - mb) / pooled,
    ))
}

/// Welch's t from means, standard deviations and sizes: (t, df, two-sided p) for `new − old`,
/// as `scipy.stats.ttest_ind_from_stats(equal_var=False)`.
///
/// `None` when a group has fewer than 2 respondents, the standard errors are both 0 or not
/// finite, or the degrees of freedom admit no t distribution.
///
/// # Examples
/// ```
/// // scipy 1.17.1: ttest_ind_from_stats(55, 10, 100, 50, 12, 120, equal_var=False)
/// // → statistic 3.3709993123162105, pvalue 0.0008858692481523177; df by the formula 217.99985.
/// use satkit::stats::inference::welch_from_stats;
/// let (t, df, p) = welch_from_stats(50.0, 12.0, 120, 55.0, 10.0, 100).unwrap();
/// assert!((t - 3.3709993123162105).abs() < 1e-12);
/// assert!((p - 0.0008858692481523177).abs() < 1e-12);
/// assert!((df - 217.9998470714177).abs() < 1e-9);
/// ```
pub fn welch_from_stats(
    m_old: f64,
    sd_old: f64,
    n_old: usize,
    m_new: f64,
    sd_new: f64,
    n_new: usize,
) -> Option<(f64, f64, f64)> {
    let summary = |mean, sd: f64, n| SampleSummary {
        mean,
        var: sd * sd,
        n,
    };
    let (t, df, se2) =
        welch_from_summary(summary(m_new, sd_new, n_new), summary(m_old, sd_old, n_old))?;
    if !se2.is_finite() {
        return None;
    }
    let p = StudentsT::new(0.0, 1.0, df)
        .ok()
        .map(|d| 2.0 * crate::stats::dist::sf(&d, t.abs()))?;
    Some((t, df, p))
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Anova {
    pub f: f64,
    pub df1: f64,
    pub df2: f64,
    pub p: f64,
    /// η² = SS_between / SS_total.
    pub np2: f64,
}

/// Welch's ANOVA over groups (NaN ignored; every group needs n ≥ 2 and variance > 0).
pub fn welch_anova(groups: &[Vec<f64>]) -> Option<Anova> {
    let gs: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| g.iter().copied().filter(|v| !v.is_nan()).collect())
        .collect();
    let k = gs.len() as f64;
    if gs.len() < 2 || gs.iter().any(|g| g.len() < 2) {
        return None;
    }
    let stats: Vec<(f64, f64, f64)> = gs
        .iter()
        .map(|g| {
            let (m, v) = mean_var(g);
            (g.len() as f64, m, v)
        })
        .collect();
    if stats.iter().any(|s| !(s.2 > 0.0)) {
        return None;
    }
    let w: Vec<f64> = stats.iter().map(|(n, _, v)| n / v).collect();
    let sw: f64 = w.iter().sum();
    let mw: f64 = w.iter().zip(&stats).map(|(wi, s)| wi * s.1).sum::<f64>() / sw;
    let a = w
        .iter()
        .zip(&stats)
        .map(|(wi, s)| wi * (s.1 - mw).powi(2))
        .sum::<f64>()
        / (k - 1.0);
    let tmp: f64 = w
        .iter()
        .zip(&stats)
        .map(|(wi, s)| (1.0 - wi / sw).powi(2) / (s.0 - 1.0))
        .sum();
    let b = 1.0 + 2.0 * (k - 2.0) / (k * k - 1.0) * tmp;
    let f = a / b;
    let df1 = k - 1.0;
    let df2 = (k * k - 1.0) / (3.0 * tmp);
    let p = FisherSnedecor::new(df1, df2)
        .map(|d| crate::stats::dist::sf(&d, f))
        .unwrap_or(f64::NAN);
    let all: Vec<f64> = gs.iter().flatten().copied().collect();
    let grand = all.iter().sum::<f64>() / all.len() as f64;
    let ss_between: f64 = stats.iter().map(|(n, m, _)| n * (m - grand).powi(2)).sum();
    let ss_total: f64 = all.iter().map(|v| (v - grand).powi(2)).sum();
    Some(Anova {
        f,
        df1,
        df2,
        p,
        np2: ss_between / ss_total,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChiSquare {
    pub chi2: f64,
    pub dof: f64,
    pub p: f64,
    pub cramers_v: f64,
    pub n: f64,
}

/// χ² test of independence of a contingency table (rows and columns with zero totals dropped).
pub fn chi_square(table: &[Vec<f64>]) -> Option<ChiSquare> {
    let rows: Vec<&Vec<f64>> = table
        .iter()
        .filter(|r| r.iter().sum::<f64>() > 0.0)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let ncol = rows[0].len();
    let cols: Vec<usize> = (0..ncol)
        .filter(|&j| rows.iter().map(|r| r[j]).sum::<f64>() > 0.0)
        .collect();
    if rows.len() < 2 || cols.len() < 2 {
        return None;
    }
    let n: f64 = rows
        .iter()
        .map(|r| cols.iter().map(|&j| r[j]).sum::<f64>())
        .sum();
    let rs: Vec<f64> = rows
        .iter()
        .map(|r| cols.iter().map(|&j| r[j]).sum())
        .collect();
    let cs: Vec<f64> = cols
        .iter()
        .map(|&j| rows.iter().map(|r| r[j]).sum())
        .collect();
    let mut chi2 = 0.0;
    for (i, r) in rows.iter().enumerate() {
        for (jj, &j) in cols.iter().enumerate() {
            let e = rs[i] * cs[jj] / n;
            chi2 += (r[j] - e).powi(2) / e;
        }
    }
    let dof = ((rows.len() - 1) * (cols.len() - 1)) as f64;
    let p = ChiSquared::new(dof)
        .map(|d| crate::stats::dist::sf(&d, chi2))
        .unwrap_or(f64::NAN);
    let m = (rows.len().min(cols.len()) - 1) as f64;
    Some(ChiSquare {
        chi2,
        dof,
        p,
        cramers_v: (chi2 / (n * m)).sqrt(),
        n,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Nps {
    pub n: usize,
    pub promoters: f64,
    pub passives: f64,
    pub detractors: f64,
    pub nps: f64,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// NPS of 0–10 answers (NaN ignored), with optional weights (weighted shares; n_eff in the SE).
pub fn nps(x: &[f64], w: Option<&[f64]>) -> Option<Nps> {
    let (mut tot, mut pro, mut det, mut sw2) = (0.0, 0.0, 0.0, 0.0);
    let mut n = 0;
    for (i, v) in x.iter().enumerate() {
        if v.is_nan() {
            continue;
        }
        let wi = w.map_or(1.0, |w| w[i]);
        n += 1;
        tot += wi;
        sw2 += wi * wi;
        if *v >= 9.0 {
            pro += wi;
        } else if *v <= 6.0 {
            det += wi;
        }
    }
    if n == 0 {
        return None;
    }
    let (p, d) = (pro / tot, det / tot);
    let n_eff = tot * tot / sw2;
    let se = 100.0 * ((p + d - (p - d).powi(2)) / n_eff).sqrt();
    let z = Normal::standard().inverse_cdf(0.975);
    let score = 100.0 * (p - d);
    Some(Nps {
        n,
        promoters: p,
        passives: 1.0 - p - d,
        detractors: d,
        nps: score,
        se,
        ci_low: score - z * se,
        ci_high: score + z * se,
    })
}

/// The z test of the change between two independent NPS estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NpsChangeTest {
    /// new − old, in NPS points.
    pub change: f64,
    /// √(se_old² + se_new²).
    pub se: f64,
    /// change / se; `None` when se is 0 or not finite.
    pub z: Option<f64>,
    /// Two-sided p-value of z under the standard normal.
    pub p: Option<f64>,
}

/// Tests the change from NPS `old` (standard error `se_old`) to `new` (`se_new`) of two
/// independent samples: z = (new − old)/√(se_old² + se_new²), p = 2·(1 − Φ(|z|)).
pub fn nps_change_z(old: f64, se_old: f64, new: f64, se_new: f64) -> NpsChangeTest {
    let se = (se_old.powi(2) + se_new.powi(2)).sqrt();
    let change = new - old;
    let z = (se > 0.0 && se.is_finite()).then(|| change / se);
    let p = z.map(|z| 2.0 * crate::stats::dist::sf(&Normal::standard(), z.abs()));
    NpsChangeTest { change, se, z, p }
}
