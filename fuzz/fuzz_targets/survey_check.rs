//! Survey TOML text -> `satkit check`'s validation and its report (JSON and text), from a string;
//! a valid survey then goes on as `build` (every questionnaire form) and `simulate` + `analyze`
//! (a few simulated respondents, imported and analysed) take it, so a value that passes
//! validation but breaks a later stage is found. Errors are fine; a panic is a finding.
//! The body is in fuzz/harness.rs, which tests/fuzz_regressions.rs replays in the stable suite.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::survey_check(data));
