//! Response bytes (CSV, TSV, any encoding) + the fixed survey tests/fixtures/import/survey.toml
//! -> `satkit import`'s in-memory import with the default options, the rejects CSV and the
//! summary text. Errors are fine; a panic is a finding.
//! The body is in fuzz/harness.rs, which tests/fuzz_regressions.rs replays in the stable suite.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::csv_import(data));
