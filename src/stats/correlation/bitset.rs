//! Row bit sets: one bit per row, 64 rows a word. A variable's values become one bit set each
//! (the batched joint tables count cells as popcounts of their intersections), and the rows
//! complete for a set of variables become a mask (listwise deletion without copying rows).
//! Narrow codes are compared 64 at a time ([`super::simd::eq_mask64`]).

use super::discrete::Discrete;
use super::simd::eq_mask64;
use crate::stats::codes::{Code, Codes};

/// Whether row `r` is set in the row bit set `mask`.
#[inline]
pub(super) fn in_mask(mask: &[u64], r: usize) -> bool {
    mask[r / 64] >> (r % 64) & 1 == 1
}

/// One bit set over the rows (`words` words) per value of `d`: bit r of set v is on when row r
/// has value v.
pub(super) fn level_bits(d: &Discrete, words: usize) -> Vec<Vec<u64>> {
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
