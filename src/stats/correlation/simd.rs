//! The CPU-specific kernels: byte comparisons 16 at a time (SSE2, part of every x86_64 CPU,
//! chosen at compile time) and the AND-popcount of two bit sets (AVX2 or popcnt, chosen at run
//! time once per batch by [`AndPopcount::detect`]). Every function has a portable twin with the
//! same result; the unsafe blocks are here only.

/// Bit i is on when `chunk[i] == v`.
#[inline]
pub(super) fn eq_mask64(chunk: &[u8; 64], v: u8) -> u64 {
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

/// Σ popcount(a_i AND b_i) over two bit sets, by the fastest implementation this CPU has:
/// chosen once per batch by [`AndPopcount::detect`] (the only constructor), then called per
/// block without testing the CPU again.
#[derive(Debug, Clone, Copy)]
pub(super) struct AndPopcount(Popcount);

#[derive(Debug, Clone, Copy)]
enum Popcount {
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Popcnt,
    Portable,
}

impl AndPopcount {
    /// The implementation for this CPU: AVX2 with popcnt, popcnt alone, or portable.
    pub(super) fn detect() -> AndPopcount {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("popcnt")
            {
                return AndPopcount(Popcount::Avx2);
            }
            if std::arch::is_x86_feature_detected!("popcnt") {
                return AndPopcount(Popcount::Popcnt);
            }
        }
        AndPopcount(Popcount::Portable)
    }

    /// Σ popcount(a_i AND b_i).
    #[inline]
    pub(super) fn sum(self, a: &[u64], b: &[u64]) -> u64 {
        match self.0 {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `detect`, the only constructor, chose Avx2 after checking that the CPU
            // supports AVX2 and popcnt.
            Popcount::Avx2 => unsafe { and_popcount_avx2(a, b) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `detect`, the only constructor, chose Popcnt after checking that the CPU
            // supports popcnt.
            Popcount::Popcnt => unsafe { and_popcount_popcnt(a, b) },
            Popcount::Portable => a
                .iter()
                .zip(b)
                .map(|(x, y)| (x & y).count_ones() as u64)
                .sum(),
        }
    }
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
