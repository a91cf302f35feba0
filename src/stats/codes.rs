//! Per-row codes of a variable: indices into its sorted distinct values, one byte each when it
//! has at most 255 values (so a million answers take 1 MB, and hot loops read a quarter of the
//! memory), four bytes otherwise. The largest code of each width marks a missing value.

/// A code type: `u8` or `u32`, whose `MISSING` marks a missing row.
pub trait Code: Copy + Eq + Ord + Send + Sync + std::fmt::Debug + 'static {
    const MISSING: Self;
    /// The most distinct values this width codes.
    const MAX_VALUES: usize;
    fn index(self) -> usize;
    const ZERO: Self;
    /// A code from a `u32` below `MAX_VALUES`, or `MISSING`'s own value (truncating).
    fn from_u32(c: u32) -> Self;
    fn wrapping_sub(self, other: Self) -> Self;
}

impl Code for u8 {
    const MISSING: u8 = u8::MAX;
    const MAX_VALUES: usize = u8::MAX as usize;
    const ZERO: u8 = 0;
    #[inline]
    fn index(self) -> usize {
        self as usize
    }
    #[inline]
    fn from_u32(c: u32) -> u8 {
        c as u8
    }
    #[inline]
    fn wrapping_sub(self, other: u8) -> u8 {
        u8::wrapping_sub(self, other)
    }
}

impl Code for u32 {
    const MISSING: u32 = u32::MAX;
    const MAX_VALUES: usize = u32::MAX as usize;
    const ZERO: u32 = 0;
    #[inline]
    fn index(self) -> usize {
        self as usize
    }
    #[inline]
    fn from_u32(c: u32) -> u32 {
        c
    }
    #[inline]
    fn wrapping_sub(self, other: u32) -> u32 {
        u32::wrapping_sub(self, other)
    }
}

/// The codes of a column, narrow (`u8`) or wide (`u32`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codes {
    Narrow(Vec<u8>),
    Wide(Vec<u32>),
}

impl Codes {
    pub fn len(&self) -> usize {
        match self {
            Codes::Narrow(c) => c.len(),
            Codes::Wide(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Wide codes (`u32::MAX` for missing) of a variable with `k` values, narrowed when `k`
    /// allows.
    pub fn from_wide(codes: Vec<u32>, k: usize) -> Codes {
        if k <= u8::MAX_VALUES {
            Codes::Narrow(codes.iter().map(|&c| u8::from_u32(c)).collect())
        } else {
            Codes::Wide(codes)
        }
    }
}

/// Runs `$body` with `$c` bound to the codes' slice, whichever their width (the body is
/// compiled once per width, so it can call functions generic over [`Code`]).
#[macro_export]
macro_rules! with_codes {
    ($codes:expr, $c:ident => $body:expr) => {
        match $codes {
            $crate::stats::codes::Codes::Narrow(v) => {
                let $c: &[u8] = v;
                $body
            }
            $crate::stats::codes::Codes::Wide(v) => {
                let $c: &[u32] = v;
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_when_few_values_and_missing_kept() {
        let wide = vec![0, 3, u32::MAX, 254];
        let c = Codes::from_wide(wide.clone(), 255);
        assert_eq!(c, Codes::Narrow(vec![0, 3, u8::MAX, 254]));
        assert_eq!(c.len(), 4);
        assert_eq!(Codes::from_wide(wide.clone(), 256), Codes::Wide(wide));
    }
}
