//! Survey TOML text -> `satkit check`'s validation and its report (JSON and text), from a string.
//! Errors are fine (they become diagnostics); a panic is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use satkit::Survey;
use satkit::cli::check::render_text;
use satkit::model::summary::CheckReport;

fuzz_target!(|data: &[u8]| {
    // `check` turns bytes that are not UTF-8 into a diagnostic before validation.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = Survey::check_str("fuzz.toml", text);
    let report = CheckReport::new("fuzz.toml".to_string(), &checked);
    let _ = serde_json::to_string(&report);
    if let Some(summary) = &report.summary {
        let _ = render_text(summary);
    }
});
