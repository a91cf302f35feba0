//! Pearson and Spearman correlation matrices with pairwise-complete observations, two-sided
//! p-values and pairwise n, plus pairwise covariances (ddof = 1).
//!
//! Survey answers take few distinct values, so each pair is summarised by its joint frequency
//! table over the distinct values of the two variables. Pearson r, covariances and Spearman's rho
//! (Pearson on average ranks, ties averaged exactly as `scipy.stats.rankdata(method="average")`)
//! follow exactly from the table, without re-ranking per pair. Variables with too many distinct
//! values fall back to gathering the complete pairs and ranking them.
//!
//! p-values: t = r·√((n−2)/(1−r²)) with n−2 degrees of freedom, two-sided, as
//! `scipy.stats.pearsonr` and `scipy.stats.spearmanr` do.

use statrs::distribution::{ContinuousCDF, StudentsT};

const MISSING: u32 = u32::MAX;
/// The largest joint table (cells) used before falling back to ranking the pairs.
const MAX_TABLE_CELLS: usize = 1 << 22;

/// A variable recoded to indices into its sorted distinct values.
pub struct Discrete {
    pub values: Vec<f64>,
    codes: Vec<u32>,
    raw: Vec<f64>,
}

impl Discrete {
    pub fn new(x: &[f64]) -> Discrete {
        let present: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
        let all_int = present.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e9);
        if all_int && !present.is_empty() {
            let lo = present.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if hi - lo < 4096.0 {
                let values: Vec<f64> = (0..=(hi - lo) as usize).map(|i| lo + i as f64).collect();
                let codes = x
                    .iter()
                    .map(|v| if v.is_nan() { MISSING } else { (v - lo) as u32 })
                    .collect();
                return Discrete {
                    values,
                    codes,
                    raw: x.to_vec(),
                };
            }
        }
        // Many distinct values (scores): sort them once, then binary-search each value's index.
        // -0.0 is folded into 0.0 so both code the same.
        let key = |v: f64| if v == 0.0 { 0.0f64 } else { v };
        let mut distinct: Vec<f64> = present.iter().map(|v| key(*v)).collect();
        distinct.sort_unstable_by(f64::total_cmp);
        distinct.dedup();
        let codes = x
            .iter()
            .map(|v| {
                if v.is_nan() {
                    MISSING
                } else {
                    distinct
                        .binary_search_by(|d| d.total_cmp(&key(*v)))
                        .map_or(MISSING, |i| i as u32)
                }
            })
            .collect();
        Discrete {
            values: distinct,
            codes,
            raw: x.to_vec(),
        }
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// Statistics of one pair over its complete observations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairStats {
    pub n: usize,
    pub pearson: f64,
    pub spearman: f64,
    /// Covariance with ddof = 1 (NaN for n < 2).
    pub cov: f64,
}

/// Pearson r, Spearman rho and covariance of one pair.
pub fn pair(x: &Discrete, y: &Discrete) -> PairStats {
    let kx = x.values.len();
    let ky = y.values.len();
    if (kx + 1) * (ky + 1) <= MAX_TABLE_CELLS {
        pair_table(x, y)
    } else {
        pair_sorted(&x.raw, &y.raw)
    }
}

fn pair_table(x: &Discrete, y: &Discrete) -> PairStats {
    let kx = x.values.len();
    let ky = y.values.len();
    let stride = ky + 1;
    let mut t = vec![0u32; (kx + 1) * stride];
    for (&cx, &cy) in x.codes.iter().zip(&y.codes) {
        let ix = if cx == MISSING { kx } else { cx as usize };
        let iy = if cy == MISSING { ky } else { cy as usize };
        t[ix * stride + iy] += 1;
    }
    stats_from_table(&t, stride, &x.values, &y.values)
}

/// Pearson, Spearman and covariance from a joint frequency table `t` (row-major with `stride`
/// columns; only the first `xv.len()` rows and `yv.len()` columns are complete pairs).
fn stats_from_table(t: &[u32], stride: usize, xv: &[f64], yv: &[f64]) -> PairStats {
    let (kx, ky) = (xv.len(), yv.len());
    let mut a = vec![0f64; kx];
    let mut b = vec![0f64; ky];
    let mut n = 0f64;
    for i in 0..kx {
        for j in 0..ky {
            let c = t[i * stride + j] as f64;
            a[i] += c;
            b[j] += c;
            n += c;
        }
    }
    let ranks = |m: &[f64]| -> Vec<f64> {
        let mut cum = 0.0;
        m.iter()
            .map(|&c| {
                let r = cum + (c + 1.0) / 2.0;
                cum += c;
                r
            })
            .collect()
    };
    let corr = |xs: &[f64], ys: &[f64]| -> (f64, f64) {
        let mx: f64 = a.iter().zip(xs).map(|(c, v)| c * v).sum::<f64>() / n;
        let my: f64 = b.iter().zip(ys).map(|(c, v)| c * v).sum::<f64>() / n;
        let sxx: f64 = a.iter().zip(xs).map(|(c, v)| c * (v - mx) * (v - mx)).sum();
        let syy: f64 = b.iter().zip(ys).map(|(c, v)| c * (v - my) * (v - my)).sum();
        let mut sxy = 0.0;
        for i in 0..kx {
            if a[i] == 0.0 {
                continue;
            }
            let dx = xs[i] - mx;
            let row = &t[i * stride..i * stride + ky];
            let mut acc = 0.0;
            for j in 0..ky {
                if row[j] != 0 {
                    acc += row[j] as f64 * (ys[j] - my);
                }
            }
            sxy += dx * acc;
        }
        (sxy / (sxx * syy).sqrt(), sxy)
    };
    let (pearson, sxy) = corr(xv, yv);
    let (spearman, _) = corr(&ranks(&a), &ranks(&b));
    PairStats {
        n: n as usize,
        pearson: clamp_r(pearson),
        spearman: clamp_r(spearman),
        cov: if n > 1.0 { sxy / (n - 1.0) } else { f64::NAN },
    }
}

/// Codes of at most this many distinct values go through the row-major batch path.
const SMALL_K: usize = 15;

/// Joint tables of every pair among variables with at most [`SMALL_K`] distinct values, in one
/// row-major pass: each row's codes sit in a byte each (15 = missing), and every pair of the row
/// increments a 16×16 table. Rows are split over `threads`.
fn small_pairs(vars: &[&Discrete], threads: usize) -> Vec<Vec<u32>> {
    let s = vars.len();
    let n = vars.first().map_or(0, |v| v.len());
    let npairs = s * (s - 1) / 2;
    let mut rows = vec![0u8; n * s];
    for (a, v) in vars.iter().enumerate() {
        for (r, &c) in v.codes.iter().enumerate() {
            rows[r * s + a] = if c == MISSING { SMALL_K as u8 } else { c as u8 };
        }
    }
    let threads = threads.max(1);
    let chunk = n.div_ceil(threads).max(1);
    let partial: Vec<Vec<u32>> = std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(chunk * s)
            .map(|part| {
                scope.spawn(move || {
                    let mut t = vec![0u32; npairs * 256];
                    for row in part.chunks_exact(s) {
                        let mut pidx = 0;
                        for a in 0..s {
                            let base = (row[a] as usize) << 4;
                            for &cb in &row[a + 1..] {
                                t[pidx * 256 + base + cb as usize] += 1;
                                pidx += 1;
                            }
                        }
                    }
                    t
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut total = vec![0u32; npairs * 256];
    for t in partial {
        for (x, y) in total.iter_mut().zip(t) {
            *x += y;
        }
    }
    total.chunks(256).map(<[u32]>::to_vec).collect()
}

fn clamp_r(r: f64) -> f64 {
    if r.is_nan() { r } else { r.clamp(-1.0, 1.0) }
}

/// Average ranks (1-based) of a slice, ties averaged.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            ranks[idx[k]] = r;
        }
        i = j + 1;
    }
    ranks
}

/// Pearson r and covariance (ddof = 1) of two complete slices.
pub fn pearson_cov(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
        sxy += (a - mx) * (b - my);
    }
    (
        clamp_r(sxy / (sxx * syy).sqrt()),
        if n > 1.0 { sxy / (n - 1.0) } else { f64::NAN },
    )
}

fn pair_sorted(x: &[f64], y: &[f64]) -> PairStats {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .unzip();
    let (pearson, cov) = pearson_cov(&xs, &ys);
    let (spearman, _) = pearson_cov(&average_ranks(&xs), &average_ranks(&ys));
    PairStats {
        n: xs.len(),
        pearson,
        spearman,
        cov,
    }
}

/// Two-sided p-value of a correlation r from n pairs (t test with n − 2 df).
pub fn r_pvalue(r: f64, n: usize) -> Option<f64> {
    if n < 3 || r.is_nan() {
        return None;
    }
    if r.abs() >= 1.0 {
        return Some(0.0);
    }
    let df = n as f64 - 2.0;
    let t = r * (df / (1.0 - r * r)).sqrt();
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(2.0 * dist.sf(t.abs()))
}

/// All pairwise statistics of a set of variables.
pub struct PairwiseMatrix {
    pub n: Vec<Vec<usize>>,
    pub pearson: Vec<Vec<f64>>,
    pub spearman: Vec<Vec<f64>>,
    pub cov: Vec<Vec<f64>>,
}

impl PairwiseMatrix {
    pub fn pearson_p(&self) -> Vec<Vec<Option<f64>>> {
        self.p_of(&self.pearson)
    }
    pub fn spearman_p(&self) -> Vec<Vec<Option<f64>>> {
        self.p_of(&self.spearman)
    }
    fn p_of(&self, r: &[Vec<f64>]) -> Vec<Vec<Option<f64>>> {
        let k = r.len();
        (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| {
                        if i == j {
                            None
                        } else {
                            r_pvalue(r[i][j], self.n[i][j])
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// Pairwise-complete statistics of every pair of columns (NaN = missing), on up to `threads`
/// threads. The diagonal holds r = 1, the variable's own n and its variance.
pub fn pairwise(columns: &[Vec<f64>], threads: usize) -> PairwiseMatrix {
    let k = columns.len();
    let discrete: Vec<Discrete> = columns.iter().map(|c| Discrete::new(c)).collect();
    // Pairs of small-coded variables come from one batched pass; the rest pair by pair.
    let small: Vec<usize> = (0..k)
        .filter(|&i| discrete[i].values.len() <= SMALL_K && !discrete[i].is_empty())
        .collect();
    let mut batched: Vec<(usize, usize, PairStats)> = Vec::new();
    if small.len() >= 2 {
        let vars: Vec<&Discrete> = small.iter().map(|&i| &discrete[i]).collect();
        let tables = small_pairs(&vars, threads);
        let mut pidx = 0;
        for a in 0..small.len() {
            for b in a + 1..small.len() {
                let (i, j) = (small[a], small[b]);
                batched.push((
                    i,
                    j,
                    stats_from_table(&tables[pidx], 16, &discrete[i].values, &discrete[j].values),
                ));
                pidx += 1;
            }
        }
    }
    let is_small = |i: usize| small.contains(&i);
    let pairs: Vec<(usize, usize)> = (0..k)
        .flat_map(|i| (i..k).map(move |j| (i, j)))
        .filter(|&(i, j)| i == j || !(is_small(i) && is_small(j)))
        .collect();
    let threads = threads.max(1).min(pairs.len().max(1));
    let chunks: Vec<Vec<(usize, usize, PairStats)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let pairs = &pairs;
                let discrete = &discrete;
                s.spawn(move || {
                    pairs
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|&(i, j)| (i, j, pair(&discrete[i], &discrete[j])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut m = PairwiseMatrix {
        n: vec![vec![0; k]; k],
        pearson: vec![vec![f64::NAN; k]; k],
        spearman: vec![vec![f64::NAN; k]; k],
        cov: vec![vec![f64::NAN; k]; k],
    };
    for (i, j, st) in chunks.into_iter().flatten().chain(batched) {
        m.n[i][j] = st.n;
        m.n[j][i] = st.n;
        m.cov[i][j] = st.cov;
        m.cov[j][i] = st.cov;
        if i == j {
            let ok = st.n >= 2 && st.cov > 0.0;
            m.pearson[i][i] = if ok { 1.0 } else { f64::NAN };
            m.spearman[i][i] = if ok { 1.0 } else { f64::NAN };
        } else {
            m.pearson[i][j] = st.pearson;
            m.pearson[j][i] = st.pearson;
            m.spearman[i][j] = st.spearman;
            m.spearman[j][i] = st.spearman;
        }
    }
    m
}

/// Keep only rows where every column is present (listwise deletion); returns the filtered
/// columns and the number of complete rows.
pub fn listwise(columns: &[Vec<f64>]) -> (Vec<Vec<f64>>, usize) {
    let n = columns.first().map_or(0, Vec::len);
    let keep: Vec<bool> = (0..n)
        .map(|r| columns.iter().all(|c| !c[r].is_nan()))
        .collect();
    let out: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| {
            c.iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(v, _)| *v)
                .collect()
        })
        .collect();
    let m = keep.iter().filter(|k| **k).count();
    (out, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_small_pairs_equal_pair_by_pair() {
        let cols: Vec<Vec<f64>> = (0..4)
            .map(|c| {
                (0..500)
                    .map(|i| {
                        if (i * (c + 3)) % 37 == 0 {
                            f64::NAN
                        } else {
                            ((i * (c + 2) + i / 11) % 5) as f64 + 1.0
                        }
                    })
                    .collect()
            })
            .collect();
        let m = pairwise(&cols, 2);
        for i in 0..4 {
            for j in 0..4 {
                if i == j {
                    continue;
                }
                let p = pair(&Discrete::new(&cols[i]), &Discrete::new(&cols[j]));
                assert_eq!(m.n[i][j], p.n);
                assert!((m.pearson[i][j] - p.pearson).abs() < 1e-12);
                assert!((m.spearman[i][j] - p.spearman).abs() < 1e-12);
                assert!((m.cov[i][j] - p.cov).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn table_and_sorted_paths_agree() {
        let x: Vec<f64> = (0..200).map(|i| ((i * 7) % 5) as f64 + 1.0).collect();
        let mut y: Vec<f64> = (0..200)
            .map(|i| ((i * 3 + i / 7) % 5) as f64 + 1.0)
            .collect();
        y[3] = f64::NAN;
        let a = pair_table(&Discrete::new(&x), &Discrete::new(&y));
        let b = pair_sorted(&x, &y);
        assert_eq!(a.n, b.n);
        assert!((a.pearson - b.pearson).abs() < 1e-12);
        assert!((a.spearman - b.spearman).abs() < 1e-12);
        assert!((a.cov - b.cov).abs() < 1e-12);
    }
}
