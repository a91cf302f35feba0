//! Phase timings for benchmarks: with `SATKIT_TIMING=1` in the environment, each finished phase
//! prints `TIMING phase seconds` on stderr (the same format as the Python baseline). Silent
//! otherwise, so outputs stay deterministic.

use std::time::Instant;

pub struct Timer {
    enabled: bool,
    last: Instant,
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            enabled: std::env::var_os("SATKIT_TIMING").is_some(),
            last: Instant::now(),
        }
    }

    /// Print a note among the timings.
    pub fn note(&self, text: &str) {
        if self.enabled {
            crate::errln!("TIMING {text}");
        }
    }

    /// Report the time since the previous mark under `phase`.
    pub fn mark(&mut self, phase: &str) {
        if self.enabled {
            let now = Instant::now();
            crate::errln!("TIMING {phase} {:.4}", (now - self.last).as_secs_f64());
            self.last = now;
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}

/// Reports its own lifetime under `phase` when dropped (for work on another thread, which a
/// [`Timer`] mark cannot isolate).
pub struct Span {
    phase: &'static str,
    start: Option<Instant>,
}

impl Span {
    pub fn new(phase: &'static str) -> Span {
        Span {
            phase,
            start: std::env::var_os("SATKIT_TIMING").map(|_| Instant::now()),
        }
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        if let Some(t) = self.start {
            crate::errln!("TIMING {} {:.4}", self.phase, t.elapsed().as_secs_f64());
        }
    }
}
