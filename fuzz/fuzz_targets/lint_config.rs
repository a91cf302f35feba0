//! Lint rules-file TOML text -> `LintConfig::from_str` (as `satkit lint --rules` reads it); a
//! configuration that parses then lints the fixed survey tests/fixtures/lint/wording_en.toml and
//! estimates its length, so every setting's value is used. Errors are fine; a panic is a finding.
//! The body is in fuzz/harness.rs, which tests/fuzz_regressions.rs replays in the stable suite.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::lint_config(data));
