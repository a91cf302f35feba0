//! Value coding: a column becomes per-row codes, indices into its sorted distinct values
//! ([`Discrete`]). Integer columns with a narrow range are coded by offset from their smallest
//! value without sorting; other columns go through a small open-addressing hash map from value
//! bits to first-seen codes, renumbered in sorted order once. Every joint table and bit set of
//! the correlation kernels is built from these codes.

use crate::stats::codes::{Code, Codes};
use crate::with_codes;

/// A variable recoded to indices into its sorted distinct values.
pub struct Discrete {
    pub values: Vec<f64>,
    pub(super) codes: Codes,
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
