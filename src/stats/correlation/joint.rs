//! Joint frequency tables of pairs of coded variables, counted three ways: row by row into one
//! table (interleaved copies for small tables), all pairs of small variables at once from bit
//! sets and popcounts ([`small_pairs`], split over threads), and two small variables joined
//! into one byte code so one row pass counts both of their tables with a third variable
//! ([`combine_codes`], [`split_joined_table`]). Counts are integers, so every way gives the
//! same table.

use super::bitset::{in_mask, level_bits};
use super::discrete::Discrete;
use super::simd::AndPopcount;
use crate::stats::codes::{Code, Codes};

/// Joint tables up to this many cells are counted in four interleaved copies.
const SPLIT_TABLE_CELLS: usize = 2048;

/// Codes of at most this many distinct values go through the row-major batch path.
pub(super) const SMALL_K: usize = 15;

/// Words of the row bit sets processed at a time by [`small_pairs`]: the blocks of every
/// variable's bit sets stay in the L2 cache while all pairs are counted over them.
const BLOCK_WORDS: usize = 256;

/// The joint frequency table of two coded variables with `kx` and `ky` values: row-major with
/// stride `ky + 1`, the last row and column counting missing values (complete pairs only, and
/// only rows in `mask`, when a mask is given).
pub(super) fn joint_table<X: Code, Y: Code>(
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

/// Joint tables of every pair among variables with at most [`SMALL_K`] distinct values.
///
/// Each value of each variable becomes a bit set over the rows; the count of a cell (a, b) of
/// the pair (x, y) is popcount(X_a AND Y_b). A million rows are 15,625 words, so a 5×5 table
/// costs 25 such passes, with the popcount instruction where the CPU has it (chosen once per
/// call). With a `mask`,
/// every bit set is first restricted to the rows in it (listwise deletion). Rows are processed
/// in blocks of [`BLOCK_WORDS`] words so the bit sets are read from memory once; pairs are
/// split over `threads`. Counts are integers, so the split does not change the result. Tables
/// are 16×16 (stride 16), complete pairs only.
pub(super) fn small_pairs(
    vars: &[&Discrete],
    threads: usize,
    mask: Option<&[u64]>,
) -> (Vec<Vec<u32>>, Vec<Vec<u64>>) {
    let s = vars.len();
    let popcount = AndPopcount::detect();
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
                                    table[la * 16 + lb] += popcount.sum(xa, &yb[start..end]) as u32;
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

/// One byte code per row for the pair of variables (`a`, `b`), both with at most 15 values:
/// `a'·(kb + 1) + b'`, where a missing value takes the code one past the last value.
pub(super) fn combine_codes(a: &Discrete, b: &Discrete) -> Vec<u8> {
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
pub(super) fn split_joined_table(
    t: &[u32],
    rows: usize,
    sa: usize,
    sb: usize,
) -> (Vec<u32>, Vec<u32>) {
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
