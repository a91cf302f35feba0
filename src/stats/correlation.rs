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

use super::codes::{Code, Codes};
use crate::with_codes;

/// The largest joint table (cells) used before falling back to ranking the pairs.
const MAX_TABLE_CELLS: usize = 1 << 22;

/// A variable recoded to indices into its sorted distinct values.
pub struct Discrete {
    pub values: Vec<f64>,
    codes: Codes,
    /// All present values are integers coded by offset from the smallest (`values` is then the
    /// full integer range, possibly with values nobody gave).
    integer: bool,
}

/// An open-addressing hash map from the bit patterns of f64 values (never a NaN's) to their
/// codes, for the few dozen to few thousand distinct values of a score column: a
/// multiplicative hash and linear probing in a table kept at most half full, small enough to
/// stay in the L1 cache (the standard library's map took about twice as long).
struct CodeMap {
    keys: Vec<u64>,
    vals: Vec<u32>,
    shift: u32,
    len: usize,
}

impl CodeMap {
    /// The empty slot's key: a NaN's bits, which no key has.
    const EMPTY: u64 = 0x7FF8_0000_0000_0001;

    fn new() -> CodeMap {
        CodeMap {
            keys: vec![Self::EMPTY; 64],
            vals: vec![0; 64],
            shift: 64 - 6,
            len: 0,
        }
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The code of `key`, from `new_code` the first time it is seen.
    #[inline]
    fn code(&mut self, key: u64, new_code: impl FnOnce() -> u32) -> u32 {
        let mask = self.keys.len() - 1;
        let mut i = self.slot(key);
        loop {
            let k = self.keys[i];
            if k == key {
                return self.vals[i];
            }
            if k == Self::EMPTY {
                let c = new_code();
                self.keys[i] = key;
                self.vals[i] = c;
                self.len += 1;
                if 2 * self.len > self.keys.len() {
                    self.grow();
                }
                return c;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = 2 * self.keys.len();
        let keys = std::mem::replace(&mut self.keys, vec![Self::EMPTY; size]);
        let vals = std::mem::replace(&mut self.vals, vec![0; size]);
        self.shift -= 1;
        let mask = self.keys.len() - 1;
        for (k, v) in keys
            .into_iter()
            .zip(vals)
            .filter(|(k, _)| *k != Self::EMPTY)
        {
            let mut i = self.slot(k);
            while self.keys[i] != Self::EMPTY {
                i = (i + 1) & mask;
            }
            self.keys[i] = k;
            self.vals[i] = v;
        }
    }
}

/// Codes of integer values (or NaN) offset from `lo`, for a range of `k` values; a value
/// outside the range counts as missing.
fn int_codes<C: Code>(x: &[f64], lo: f64, k: usize) -> Vec<C> {
    let top = (k - 1) as f64;
    x.iter()
        .map(|v| {
            let c = v - lo;
            // NaN fails the comparison.
            if c >= 0.0 && c <= top {
                C::from_u32(c as u32)
            } else {
                C::MISSING
            }
        })
        .collect()
}

fn int_coded(x: &[f64], lo: f64, k: usize) -> Codes {
    if k <= u8::MAX_VALUES {
        Codes::Narrow(int_codes(x, lo, k))
    } else {
        Codes::Wide(int_codes(x, lo, k))
    }
}

impl Discrete {
    pub fn new(x: &[f64]) -> Discrete {
        // One pass: are all present values integers, and what is their range?
        let (mut lo, mut hi, mut all_int, mut any) =
            (f64::INFINITY, f64::NEG_INFINITY, true, false);
        for v in x.iter().filter(|v| !v.is_nan()) {
            any = true;
            lo = lo.min(*v);
            hi = hi.max(*v);
            // An integer cast and back (inline, unlike `fract`, which calls libm's trunc).
            all_int &= v.abs() < 1e9 && (*v as i64) as f64 == *v;
        }
        if all_int && any && hi - lo < 4096.0 {
            let k = (hi - lo) as usize + 1;
            let values: Vec<f64> = (0..k).map(|i| lo + i as f64).collect();
            return Discrete {
                values,
                codes: int_coded(x, lo, k),
                integer: true,
            };
        }
        // Many distinct values (scores): number them in order of appearance with a hash map,
        // then renumber in sorted order. -0.0 is folded into 0.0 so both code the same.
        let key = |v: f64| if v == 0.0 { 0u64 } else { v.to_bits() };
        let mut map = CodeMap::new();
        let mut seen: Vec<f64> = Vec::new();
        let codes: Vec<u32> = x
            .iter()
            .map(|v| {
                if v.is_nan() {
                    u32::MISSING
                } else {
                    map.code(key(*v), || {
                        seen.push(if *v == 0.0 { 0.0 } else { *v });
                        (seen.len() - 1) as u32
                    })
                }
            })
            .collect();
        let mut order: Vec<u32> = (0..seen.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| seen[a as usize].total_cmp(&seen[b as usize]));
        let mut rank = vec![0u32; seen.len()];
        for (r, &o) in order.iter().enumerate() {
            rank[o as usize] = r as u32;
        }
        fn renumber<C: Code>(codes: &[u32], rank: &[u32]) -> Vec<C> {
            codes
                .iter()
                .map(|&c| {
                    if c == u32::MISSING {
                        C::MISSING
                    } else {
                        C::from_u32(rank[c as usize])
                    }
                })
                .collect()
        }
        let codes = if seen.len() <= u8::MAX_VALUES {
            Codes::Narrow(renumber(&codes, &rank))
        } else {
            Codes::Wide(renumber(&codes, &rank))
        };
        let values = order.iter().map(|&o| seen[o as usize]).collect();
        Discrete {
            values,
            codes,
            integer: false,
        }
    }

    /// Like [`Discrete::new`] for a column known to hold only integers (and NaN) between `lo`
    /// and `hi` (an integer column's own range): no scan for the range first. Falls back to
    /// [`Discrete::new`] when the range is too wide.
    pub fn with_int_range(x: &[f64], lo: i64, hi: i64) -> Discrete {
        if hi < lo || hi - lo >= 4096 || lo.abs() >= 1_000_000_000 || hi.abs() >= 1_000_000_000 {
            return Discrete::new(x);
        }
        let lo_f = lo as f64;
        let k = (hi - lo) as usize + 1;
        Discrete {
            values: (0..k).map(|i| lo_f + i as f64).collect(),
            codes: int_coded(x, lo_f, k),
            integer: true,
        }
    }

    /// An integer column already coded by offset from its smallest value `lo` (largest `hi`),
    /// narrow when it has at most 255 values: what [`Discrete::with_int_range`] computes
    /// from the values.
    pub fn from_int_codes(lo: i64, hi: i64, codes: Codes) -> Discrete {
        let lo_f = lo as f64;
        let k = (hi - lo) as usize + 1;
        debug_assert_eq!(matches!(codes, Codes::Narrow(_)), k <= u8::MAX_VALUES);
        Discrete {
            values: (0..k).map(|i| lo_f + i as f64).collect(),
            codes,
            integer: true,
        }
    }

    /// Per row, the index of its value in `values`, or the missing code.
    pub fn codes(&self) -> &Codes {
        &self.codes
    }

    /// The column as f64 again (NaN for missing): each row's value from its code.
    pub fn to_f64(&self) -> Vec<f64> {
        fn of<C: Code>(codes: &[C], values: &[f64]) -> Vec<f64> {
            codes
                .iter()
                .map(|&c| {
                    if c == C::MISSING {
                        f64::NAN
                    } else {
                        values[c.index()]
                    }
                })
                .collect()
        }
        with_codes!(&self.codes, c => of(c, &self.values))
    }

    /// Whether every present value is an integer (and `values` their full range).
    pub fn is_integer(&self) -> bool {
        self.integer
    }

    /// How many rows have each value (rows outside `mask` excluded when one is given).
    pub fn counts(&self, mask: Option<&[u64]>) -> Vec<u64> {
        with_codes!(&self.codes, c => counts_of(c, self.values.len(), mask))
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// [`Discrete::counts`] of one code width.
fn counts_of<C: Code>(codes: &[C], k: usize, mask: Option<&[u64]>) -> Vec<u64> {
    let mut counts = vec![0u64; k];
    match mask {
        None => {
            for &c in codes {
                if c != C::MISSING {
                    counts[c.index()] += 1;
                }
            }
        }
        Some(m) => {
            for (chunk, &word) in codes.chunks(64).zip(m) {
                if word == u64::MAX {
                    for &c in chunk {
                        if c != C::MISSING {
                            counts[c.index()] += 1;
                        }
                    }
                } else {
                    let mut bits = word;
                    while bits != 0 {
                        let b = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if let Some(&c) = chunk.get(b)
                            && c != C::MISSING
                        {
                            counts[c.index()] += 1;
                        }
                    }
                }
            }
        }
    }
    counts
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
    pair_masked(x, y, None)
}

/// Whether row `r` is set in the row bit set `mask`.
#[inline]
fn in_mask(mask: &[u64], r: usize) -> bool {
    mask[r / 64] >> (r % 64) & 1 == 1
}

/// Like [`pair`], over the rows set in `mask` only (all rows without one).
pub fn pair_masked(x: &Discrete, y: &Discrete, mask: Option<&[u64]>) -> PairStats {
    let kx = x.values.len();
    let ky = y.values.len();
    if (kx + 1) * (ky + 1) <= MAX_TABLE_CELLS {
        pair_table(x, y, mask)
    } else {
        pair_sorted(&x.to_f64(), &y.to_f64(), mask)
    }
}

fn pair_table(x: &Discrete, y: &Discrete, mask: Option<&[u64]>) -> PairStats {
    let (kx, ky) = (x.values.len(), y.values.len());
    let t =
        with_codes!(&x.codes, xc => with_codes!(&y.codes, yc => joint_table(xc, yc, kx, ky, mask)));
    stats_from_table(&t, ky + 1, &x.values, &y.values)
}

/// The joint frequency table of two coded variables with `kx` and `ky` values: row-major with
/// stride `ky + 1`, the last row and column counting missing values (complete pairs only, and
/// only rows in `mask`, when a mask is given).
fn joint_table<X: Code, Y: Code>(
    xc: &[X],
    yc: &[Y],
    kx: usize,
    ky: usize,
    mask: Option<&[u64]>,
) -> Vec<u32> {
    let stride = ky + 1;
    let mut t = vec![0u32; (kx + 1) * stride];
    let cell = |cx: X, cy: Y| {
        let ix = if cx == X::MISSING { kx } else { cx.index() };
        let iy = if cy == Y::MISSING { ky } else { cy.index() };
        ix * stride + iy
    };
    match mask {
        None if t.len() <= SPLIT_TABLE_CELLS => {
            // Four interleaved copies of the table, one per row mod 4, summed at the end: runs
            // of rows in the same cell no longer wait on each other's increments. Integer
            // counts, so the sum is exact.
            let cells = t.len();
            let mut t4 = vec![0u32; 4 * cells];
            let n = xc.len().min(yc.len());
            let whole = n - n % 4;
            for (xs, ys) in xc[..whole].chunks_exact(4).zip(yc[..whole].chunks_exact(4)) {
                t4[cell(xs[0], ys[0])] += 1;
                t4[cells + cell(xs[1], ys[1])] += 1;
                t4[2 * cells + cell(xs[2], ys[2])] += 1;
                t4[3 * cells + cell(xs[3], ys[3])] += 1;
            }
            for r in whole..n {
                t4[cell(xc[r], yc[r])] += 1;
            }
            for (c, v) in t.iter_mut().enumerate() {
                *v = t4[c] + t4[cells + c] + t4[2 * cells + c] + t4[3 * cells + c];
            }
        }
        None => {
            for (&cx, &cy) in xc.iter().zip(yc) {
                t[cell(cx, cy)] += 1;
            }
        }
        Some(m) => {
            for (r, (&cx, &cy)) in xc.iter().zip(yc).enumerate() {
                if cx == X::MISSING || cy == Y::MISSING || !in_mask(m, r) {
                    continue;
                }
                t[cx.index() * stride + cy.index()] += 1;
            }
        }
    }
    t
}

/// A variable paired with itself: n and variance from its value counts. This is exactly what
/// the joint table of (x, x) gives, whose only non-empty cells are on the diagonal.
fn self_pair(x: &Discrete, mask: Option<&[u64]>) -> PairStats {
    if (x.values.len() + 1) * (x.values.len() + 1) > MAX_TABLE_CELLS {
        let v = x.to_f64();
        return pair_sorted(&v, &v, mask);
    }
    self_pair_counts(&x.values, &x.counts(mask))
}

/// [`self_pair`] from the value counts.
fn self_pair_counts(values: &[f64], counts: &[u64]) -> PairStats {
    let x = values;
    let a: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    let n: f64 = a.iter().sum();
    let mx: f64 = a.iter().zip(x).map(|(c, v)| c * v).sum::<f64>() / n;
    let sxx: f64 = a.iter().zip(x).map(|(c, v)| c * (v - mx) * (v - mx)).sum();
    let mut sxy = 0.0;
    for (c, v) in a.iter().zip(x) {
        if *c == 0.0 {
            continue;
        }
        let dx = v - mx;
        sxy += dx * (c * dx);
    }
    let r = clamp_r(sxy / (sxx * sxx).sqrt());
    PairStats {
        n: n as usize,
        pearson: r,
        spearman: r,
        cov: if n > 1.0 { sxy / (n - 1.0) } else { f64::NAN },
    }
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

/// Joint tables up to this many cells are counted in four interleaved copies.
const SPLIT_TABLE_CELLS: usize = 2048;

/// Codes of at most this many distinct values go through the row-major batch path.
const SMALL_K: usize = 15;

/// Words of the row bit sets processed at a time by [`small_pairs`]: the blocks of every
/// variable's bit sets stay in the L2 cache while all pairs are counted over them.
const BLOCK_WORDS: usize = 256;

/// Joint tables of every pair among variables with at most [`SMALL_K`] distinct values.
///
/// Each value of each variable becomes a bit set over the rows; the count of a cell (a, b) of
/// the pair (x, y) is popcount(X_a AND Y_b). A million rows are 15,625 words, so a 5×5 table
/// costs 25 such passes, with the popcount instruction where the CPU has it. With a `mask`,
/// every bit set is first restricted to the rows in it (listwise deletion). Rows are processed
/// in blocks of [`BLOCK_WORDS`] words so the bit sets are read from memory once; pairs are
/// split over `threads`. Counts are integers, so the split does not change the result. Tables
/// are 16×16 (stride 16), complete pairs only.
fn small_pairs(
    vars: &[&Discrete],
    threads: usize,
    mask: Option<&[u64]>,
) -> (Vec<Vec<u32>>, Vec<Vec<u64>>) {
    let s = vars.len();
    let n = vars.iter().map(|v| v.len()).max().unwrap_or(0);
    let words = n.div_ceil(64);
    // bits[v][level] over rows.
    let build = |v: &&Discrete| {
        let mut b = level_bits(v, words);
        if let Some(m) = mask {
            for level in &mut b {
                for (w, mw) in level.iter_mut().zip(m) {
                    *w &= mw;
                }
            }
        }
        b
    };
    let bits: Vec<Vec<Vec<u64>>> = crate::par::map(vars, threads, build);
    // Each variable's own value counts (within the mask): the popcounts of its bit sets.
    let level_counts: Vec<Vec<u64>> = bits
        .iter()
        .map(|b| {
            b.iter()
                .map(|l| l.iter().map(|w| u64::from(w.count_ones())).sum())
                .collect()
        })
        .collect();
    // Under a mask that every row of a variable's falls in (listwise deletion), its level
    // counts within the mask add up to the mask's rows, so the last level's cells of any pair
    // are the level counts minus the other cells: one popcount pass fewer per level.
    let in_mask = mask.map(|m| m.iter().map(|w| u64::from(w.count_ones())).sum::<u64>());
    let full: Vec<bool> = level_counts
        .iter()
        .map(|c| c.len() >= 2 && in_mask == Some(c.iter().sum::<u64>()))
        .collect();
    let pairs: Vec<(usize, usize)> = (0..s)
        .flat_map(|a| (a + 1..s).map(move |b| (a, b)))
        .collect();
    let threads = threads.max(1).min(pairs.len().max(1));
    let mut out: Vec<Vec<u32>> = vec![Vec::new(); pairs.len()];
    let done: Vec<Vec<(usize, Vec<u32>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (pairs, bits, full, level_counts) = (&pairs, &bits, &full, &level_counts);
                scope.spawn(move || {
                    let mine: Vec<(usize, (usize, usize))> = pairs
                        .iter()
                        .copied()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .collect();
                    // Levels counted by popcount: all but a full variable's last.
                    let counted = |v: usize| bits[v].len() - usize::from(full[v]);
                    let mut tables = vec![vec![0u32; 256]; mine.len()];
                    for start in (0..words).step_by(BLOCK_WORDS) {
                        let end = (start + BLOCK_WORDS).min(words);
                        for (table, &(_, (a, b))) in tables.iter_mut().zip(&mine) {
                            for (la, xa) in bits[a].iter().take(counted(a)).enumerate() {
                                let xa = &xa[start..end];
                                for (lb, yb) in bits[b].iter().take(counted(b)).enumerate() {
                                    table[la * 16 + lb] += and_popcount(xa, &yb[start..end]) as u32;
                                }
                            }
                        }
                    }
                    for (table, &(_, (a, b))) in tables.iter_mut().zip(&mine) {
                        let (ka, kb) = (bits[a].len(), bits[b].len());
                        if full[b] {
                            for la in 0..counted(a) {
                                let rest: u32 = (0..kb - 1).map(|lb| table[la * 16 + lb]).sum();
                                table[la * 16 + kb - 1] = level_counts[a][la] as u32 - rest;
                            }
                        }
                        if full[a] {
                            for lb in 0..kb {
                                let rest: u32 = (0..ka - 1).map(|la| table[la * 16 + lb]).sum();
                                table[(ka - 1) * 16 + lb] = level_counts[b][lb] as u32 - rest;
                            }
                        }
                    }
                    mine.into_iter()
                        .map(|(p, _)| p)
                        .zip(tables)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (p, table) in done.into_iter().flatten() {
        out[p] = table;
    }
    (out, level_counts)
}

/// One bit set over the rows (`words` words) per value of `d`: bit r of set v is on when row r
/// has value v.
fn level_bits(d: &Discrete, words: usize) -> Vec<Vec<u64>> {
    let mut b = vec![vec![0u64; words]; d.values.len()];
    match &d.codes {
        Codes::Narrow(c) => {
            // 64 rows at a time, each value's word from byte comparisons.
            let full = c.len() / 64;
            for (w, chunk) in c.chunks_exact(64).enumerate() {
                let chunk: &[u8; 64] = chunk.try_into().unwrap_or(&[u8::MISSING; 64]);
                for (v, set) in b.iter_mut().enumerate() {
                    set[w] = eq_mask64(chunk, v as u8);
                }
            }
            scatter_bits(&c[full * 64..], full * 64, &mut b);
        }
        Codes::Wide(c) => scatter_bits(c, 0, &mut b),
    }
    b
}

/// Sets the bit of each row (`first` + position) in the bit set of its value.
fn scatter_bits<C: Code>(codes: &[C], first: usize, b: &mut [Vec<u64>]) {
    for (i, &c) in codes.iter().enumerate() {
        if c != C::MISSING {
            let r = first + i;
            b[c.index()][r / 64] |= 1u64 << (r % 64);
        }
    }
}

/// Bit i is on when `chunk[i] == v`.
#[inline]
fn eq_mask64(chunk: &[u8; 64], v: u8) -> u64 {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        let mut m = 0u64;
        // SAFETY: SSE2 is enabled for this build (part of every x86_64 CPU), and each load
        // reads the 16 bytes of `part`, unaligned.
        unsafe {
            let needle = _mm_set1_epi8(v as i8);
            for (i, part) in chunk.chunks_exact(16).enumerate() {
                let x = _mm_loadu_si128(part.as_ptr().cast::<__m128i>());
                let bits = _mm_movemask_epi8(_mm_cmpeq_epi8(x, needle)) as u32 & 0xFFFF;
                m |= u64::from(bits) << (16 * i);
            }
        }
        m
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        chunk
            .iter()
            .enumerate()
            .fold(0u64, |m, (i, &c)| m | (u64::from(c == v) << i))
    }
}

/// Σ popcount(a_i AND b_i), with the hardware popcount instruction when available.
fn and_popcount(a: &[u64], b: &[u64]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("popcnt")
        {
            // SAFETY: the CPU supports AVX2 and popcnt, checked just above.
            return unsafe { and_popcount_avx2(a, b) };
        }
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: the CPU supports popcnt, checked just above.
            return unsafe { and_popcount_popcnt(a, b) };
        }
    }
    a.iter()
        .zip(b)
        .map(|(x, y)| (x & y).count_ones() as u64)
        .sum()
}

/// The same sum, vectorised by the compiler with AVX2 (a nibble lookup table per byte).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
fn and_popcount_avx2(a: &[u64], b: &[u64]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x & y).count_ones() as u64)
        .sum()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn and_popcount_popcnt(a: &[u64], b: &[u64]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x & y).count_ones() as u64)
        .sum()
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

fn pair_sorted(x: &[f64], y: &[f64], mask: Option<&[u64]>) -> PairStats {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .enumerate()
        .filter(|(r, (a, b))| !a.is_nan() && !b.is_nan() && mask.is_none_or(|m| in_mask(m, *r)))
        .map(|(_, (a, b))| (*a, *b))
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
    let discrete: Vec<Discrete> = crate::par::map(columns, threads, |c| Discrete::new(c));
    let vars: Vec<&Discrete> = discrete.iter().collect();
    pairwise_discrete(&vars, threads, None)
}

/// Rows where every variable is present, as a bit set over the rows, and their number.
pub fn complete_mask(vars: &[&Discrete]) -> (Vec<u64>, usize) {
    let n = vars.iter().map(|v| v.len()).max().unwrap_or(0);
    let mut mask = vec![u64::MAX; n.div_ceil(64)];
    if n % 64 != 0
        && let Some(last) = mask.last_mut()
    {
        *last = (1u64 << (n % 64)) - 1;
    }
    for v in vars {
        // A shorter column (none at all) has nothing in the rows it lacks.
        let len = v.len();
        for (w, word) in mask.iter_mut().enumerate().skip(len / 64) {
            let have = len.saturating_sub(w * 64).min(64);
            *word &= if have == 64 {
                u64::MAX
            } else {
                (1u64 << have) - 1
            };
        }
        match &v.codes {
            Codes::Narrow(c) => {
                for (word, chunk) in mask.iter_mut().zip(c.chunks(64)) {
                    *word &= match <&[u8; 64]>::try_from(chunk) {
                        Ok(full) => !eq_mask64(full, u8::MISSING),
                        Err(_) => !missing_bits(chunk),
                    };
                }
            }
            Codes::Wide(c) => {
                for (word, chunk) in mask.iter_mut().zip(c.chunks(64)) {
                    *word &= !missing_bits(chunk);
                }
            }
        }
    }
    let m = mask.iter().map(|w| w.count_ones() as usize).sum();
    (mask, m)
}

/// Bit i is on when `chunk[i]` (at most 64 codes) is missing.
fn missing_bits<C: Code>(chunk: &[C]) -> u64 {
    chunk
        .iter()
        .enumerate()
        .fold(0u64, |m, (i, &c)| m | (u64::from(c == C::MISSING) << i))
}

/// One byte code per row for the pair of variables (`a`, `b`), both with at most 15 values:
/// `a'·(kb + 1) + b'`, where a missing value takes the code one past the last value.
fn combine_codes(a: &Discrete, b: &Discrete) -> Vec<u8> {
    let (Codes::Narrow(ac), Codes::Narrow(bc)) = (&a.codes, &b.codes) else {
        unreachable!("small variables are narrow-coded")
    };
    let (ka, kb) = (a.values.len() as u8, b.values.len() as u8);
    ac.iter()
        .zip(bc)
        .map(|(&x, &y)| {
            let x = if x == u8::MISSING { ka } else { x };
            let y = if y == u8::MISSING { kb } else { y };
            x * (kb + 1) + y
        })
        .collect()
}

/// The joint tables of x with a and with b, summed out of x's table with the combined codes
/// of [`combine_codes`] (`rows` rows of x; `sa`, `sb` states of a and b, missing included).
/// Both come back row-major over x's states with strides `sa` and `sb`.
fn split_joined_table(t: &[u32], rows: usize, sa: usize, sb: usize) -> (Vec<u32>, Vec<u32>) {
    let stride = sa * sb;
    let mut ta = vec![0u32; rows * sa];
    let mut tb = vec![0u32; rows * sb];
    for r in 0..rows {
        for va in 0..sa {
            for vb in 0..sb {
                let c = t[r * stride + va * sb + vb];
                ta[r * sa + va] += c;
                tb[r * sb + vb] += c;
            }
        }
    }
    (ta, tb)
}

/// The statistics of the pair (i, j) from their joint table `t` (rows over i's states, i's
/// values plus missing), computed with the lower index as x, as [`pair`] would.
fn oriented_stats(
    discrete: &[&Discrete],
    i: usize,
    j: usize,
    t: &[u32],
) -> (usize, usize, PairStats) {
    let (si, sj) = (discrete[i].values.len() + 1, discrete[j].values.len() + 1);
    if i < j {
        (
            i,
            j,
            stats_from_table(t, sj, &discrete[i].values, &discrete[j].values),
        )
    } else {
        let mut tt = vec![0u32; si * sj];
        for r in 0..si {
            for c in 0..sj {
                tt[c * si + r] = t[r * sj + c];
            }
        }
        (
            j,
            i,
            stats_from_table(&tt, si, &discrete[j].values, &discrete[i].values),
        )
    }
}

/// [`pairwise`] of variables already coded, over the rows in `mask` only when one is given
/// (with the mask of [`complete_mask`], this is listwise deletion without copying the rows).
pub fn pairwise_discrete(
    discrete: &[&Discrete],
    threads: usize,
    mask: Option<&[u64]>,
) -> PairwiseMatrix {
    let k = discrete.len();
    // Pairs of small-coded variables come from one batched pass; the rest pair by pair.
    let small: Vec<usize> = (0..k)
        .filter(|&i| {
            let d = discrete[i];
            d.values.len() <= SMALL_K && !d.is_empty() && matches!(d.codes, Codes::Narrow(_))
        })
        .collect();
    let mut batched: Vec<(usize, usize, PairStats)> = Vec::new();
    if !small.is_empty() {
        let vars: Vec<&Discrete> = small.iter().map(|&i| discrete[i]).collect();
        let (tables, level_counts) = small_pairs(&vars, threads, mask);
        for (&i, counts) in small.iter().zip(&level_counts) {
            batched.push((i, i, self_pair_counts(&discrete[i].values, counts)));
        }
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
    // A variable with many values (a dimension score, say) pairs with every small one. The
    // small ones are joined two at a time into one byte code, one value per combination of
    // theirs (missing included), so one pass over the rows counts the joint tables of both
    // pairs; each is then summed out of the combined table, exactly.
    let combinable = |i: usize| {
        !is_small(i) && !discrete[i].is_empty() && matches!(discrete[i].codes, Codes::Narrow(_))
    };
    let joined: Vec<[usize; 2]> = if (0..k).any(combinable) {
        small
            .chunks_exact(2)
            .map(|p| [p[0], p[1]])
            .filter(|&[a, b]| {
                (discrete[a].values.len() + 1) * (discrete[b].values.len() + 1) <= 256
            })
            .collect()
    } else {
        Vec::new()
    };
    let in_joined = |i: usize| joined.iter().any(|g| g.contains(&i));
    let combos: Vec<Vec<u8>> = crate::par::map(&joined, threads, |&[a, b]| {
        combine_codes(discrete[a], discrete[b])
    });
    enum Task {
        Joined(usize, usize),
        Pair(usize, usize),
    }
    let mut tasks: Vec<Task> = Vec::new();
    for i in (0..k).filter(|&i| combinable(i)) {
        tasks.extend((0..joined.len()).map(|g| Task::Joined(i, g)));
    }
    tasks.extend(
        (0..k)
            .flat_map(|i| (i..k).map(move |j| (i, j)))
            .filter(|&(i, j)| !(is_small(i) && is_small(j)))
            .filter(|&(i, j)| {
                !(i != j && ((combinable(i) && in_joined(j)) || (combinable(j) && in_joined(i))))
            })
            .map(|(i, j)| Task::Pair(i, j)),
    );
    let chunks: Vec<Vec<(usize, usize, PairStats)>> =
        crate::par::map_dynamic(&tasks, threads, |task| match *task {
            Task::Pair(i, j) => {
                let st = if i == j {
                    self_pair(discrete[i], mask)
                } else {
                    pair_masked(discrete[i], discrete[j], mask)
                };
                vec![(i, j, st)]
            }
            Task::Joined(i, g) => {
                let [a, b] = joined[g];
                let x = discrete[i];
                let Codes::Narrow(xc) = &x.codes else {
                    unreachable!("only narrow-coded variables are combinable")
                };
                let (ka, kb) = (discrete[a].values.len(), discrete[b].values.len());
                let states = (ka + 1) * (kb + 1);
                let t = joint_table(xc, &combos[g], x.values.len(), states - 1, mask);
                let (ta, tb) = split_joined_table(&t, x.values.len() + 1, ka + 1, kb + 1);
                vec![
                    oriented_stats(discrete, i, a, &ta),
                    oriented_stats(discrete, i, b, &tb),
                ]
            }
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

    /// Columns with missing values: Likert-like, one whose range shrinks under listwise
    /// deletion, and two with many distinct values (the hash-coded path).
    fn mixed_columns() -> Vec<Vec<f64>> {
        let n = 3000;
        let mut cols: Vec<Vec<f64>> = (0..3)
            .map(|c| {
                (0..n)
                    .map(|i| {
                        if (i * (c + 3)) % 29 == 0 {
                            f64::NAN
                        } else {
                            ((i * (c + 2) + i / 13) % 5) as f64 + 1.0
                        }
                    })
                    .collect()
            })
            .collect();
        cols.push(
            (0..n)
                .map(|i| match i % 17 {
                    0 => 40.0,
                    1 => f64::NAN,
                    _ => (i % 9) as f64,
                })
                .collect(),
        );
        for c in 0..2 {
            cols.push(
                (0..n)
                    .map(|i| {
                        if (i + c) % 31 == 0 {
                            f64::NAN
                        } else {
                            ((i * 37 + c * 11) % 101) as f64 / 7.0 + (i % 3) as f64 * 0.25
                        }
                    })
                    .collect(),
            );
        }
        cols
    }

    fn assert_same(a: &PairwiseMatrix, b: &PairwiseMatrix) {
        let k = a.n.len();
        let same = |x: f64, y: f64| (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12;
        for i in 0..k {
            for j in 0..k {
                assert_eq!(a.n[i][j], b.n[i][j], "n {i} {j}");
                assert!(same(a.pearson[i][j], b.pearson[i][j]), "pearson {i} {j}");
                assert!(same(a.spearman[i][j], b.spearman[i][j]), "spearman {i} {j}");
                assert!(same(a.cov[i][j], b.cov[i][j]), "cov {i} {j}");
            }
        }
    }

    #[test]
    fn masked_tables_equal_listwise_copies() {
        let cols = mixed_columns();
        let (complete, n) = listwise(&cols);
        let copied = pairwise(&complete, 2);
        let d: Vec<Discrete> = cols.iter().map(|c| Discrete::new(c)).collect();
        let vars: Vec<&Discrete> = d.iter().collect();
        let (mask, m) = complete_mask(&vars);
        assert_eq!(n, m);
        for threads in [1, 2, 3] {
            assert_same(&copied, &pairwise_discrete(&vars, threads, Some(&mask)));
        }
    }

    #[test]
    fn small_tables_under_a_partial_mask_equal_masked_pairs() {
        // The mask is complete for columns 0 and 1 only: their last levels' cells are derived
        // from the level counts, column 2's are counted.
        let cols = mixed_columns();
        let d: Vec<Discrete> = cols[..3].iter().map(|c| Discrete::new(c)).collect();
        let vars: Vec<&Discrete> = d.iter().collect();
        let (mask, _) = complete_mask(&vars[..2]);
        for threads in [1, 2] {
            let m = pairwise_discrete(&vars, threads, Some(&mask));
            for i in 0..3 {
                for j in i + 1..3 {
                    let p = pair_table(vars[i], vars[j], Some(&mask));
                    assert_eq!(m.n[i][j], p.n, "n {i} {j}");
                    assert_eq!(m.pearson[i][j].to_bits(), p.pearson.to_bits());
                    assert_eq!(m.spearman[i][j].to_bits(), p.spearman.to_bits());
                    assert_eq!(m.cov[i][j].to_bits(), p.cov.to_bits());
                }
            }
        }
    }

    #[test]
    fn pairwise_does_not_depend_on_threads_and_matches_pair() {
        // Columns 0–2 are small (joined two at a time against column 3, which has 41 narrow
        // codes), 4 and 5 many-valued.
        let cols = mixed_columns();
        let one = pairwise(&cols, 1);
        assert_same(&one, &pairwise(&cols, 3));
        let d: Vec<Discrete> = cols.iter().map(|c| Discrete::new(c)).collect();
        for i in 0..cols.len() {
            for j in i + 1..cols.len() {
                let p = pair(&d[i], &d[j]);
                assert_eq!(one.n[i][j], p.n);
                assert_eq!(one.pearson[i][j].to_bits(), p.pearson.to_bits());
                assert_eq!(one.spearman[i][j].to_bits(), p.spearman.to_bits());
                assert_eq!(one.cov[i][j].to_bits(), p.cov.to_bits());
            }
        }
    }

    #[test]
    fn hashed_codes_are_ranks_of_the_sorted_distinct_values() {
        // 3000 distinct non-integers (the map grows several times), repeats, NaN and both
        // zeros.
        let mut x: Vec<f64> = (0..9000)
            .map(|i| ((i * 7919) % 3000) as f64 / 7.0 - 100.0)
            .collect();
        x[5] = f64::NAN;
        x[6] = -0.0;
        x[7] = 0.0;
        let d = Discrete::new(&x);
        let mut distinct: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup_by(|a, b| a == b);
        assert_eq!(d.values.len(), distinct.len());
        assert!(!d.is_integer());
        let Codes::Wide(codes) = d.codes() else {
            panic!("more than 255 values are coded wide")
        };
        for (v, &c) in x.iter().zip(codes) {
            if v.is_nan() {
                assert_eq!(c, u32::MAX);
            } else {
                assert_eq!(d.values[c as usize], *v);
                assert_eq!(c as usize, distinct.partition_point(|u| u < v));
            }
        }
    }

    #[test]
    fn integer_range_coding_equals_scanning() {
        let x: Vec<f64> = (0..300)
            .map(|i| {
                if i % 7 == 0 {
                    f64::NAN
                } else {
                    (i % 11) as f64 - 3.0
                }
            })
            .collect();
        let a = Discrete::new(&x);
        let b = Discrete::with_int_range(&x, -3, 7);
        assert!(a.is_integer() && b.is_integer());
        assert_eq!(a.values, b.values);
        assert_eq!(a.codes(), b.codes());
        assert_eq!(a.counts(None), b.counts(None));
    }

    #[test]
    fn table_and_sorted_paths_agree() {
        let x: Vec<f64> = (0..200).map(|i| ((i * 7) % 5) as f64 + 1.0).collect();
        let mut y: Vec<f64> = (0..200)
            .map(|i| ((i * 3 + i / 7) % 5) as f64 + 1.0)
            .collect();
        y[3] = f64::NAN;
        let a = pair_table(&Discrete::new(&x), &Discrete::new(&y), None);
        let b = pair_sorted(&x, &y, None);
        assert_eq!(a.n, b.n);
        assert!((a.pearson - b.pearson).abs() < 1e-12);
        assert!((a.spearman - b.spearman).abs() < 1e-12);
        assert!((a.cov - b.cov).abs() < 1e-12);
    }
}
