//! results.json text -> `satkit report`'s check and parse, then everything `write_report`
//! renders (charts as SVG and PNG, the document, Markdown, HTML, the CSV tables), in memory.
//! Errors are fine; a panic is a finding.
//! The body is in fuzz/harness.rs, which tests/fuzz_regressions.rs replays in the stable suite.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::results_report(data));
