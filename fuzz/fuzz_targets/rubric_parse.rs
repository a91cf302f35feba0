//! Grading rubric TOML text -> `Rubric::from_str` (as `satkit grade --rubric` reads it, with its
//! `[lint]` table), then its points and bands. Errors are fine; a panic is a finding.
//! The body is in fuzz/harness.rs, which tests/fuzz_regressions.rs replays in the stable suite.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::rubric_parse(data));
