//! Survey TOML text -> `satkit check`'s validation and its report (JSON and text), from a string;
//! a valid survey then goes on as `build` (every questionnaire form) and `simulate` + `analyze`
//! (a few simulated respondents, imported and analysed) take it, so a value that passes
//! validation but breaks a later stage is found. Errors are fine; a panic is a finding.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use satkit::Survey;
use satkit::analysis::{AnalysisOptions, analyze};
use satkit::cli::check::render_text;
use satkit::data::import::import_bytes;
use satkit::data::simulate::{SimulateOptions, simulate};
use satkit::pipeline::ImportSettings;
use satkit::report::questionnaire as q;
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
    let Some(survey) = &checked.survey else {
        return;
    };
    let _ = q::markdown(survey);
    let _ = q::html(survey);
    let _ = q::template_csv(survey);
    let _ = q::codebook_csv(survey);
    let opts = SimulateOptions {
        n: 6,
        seed: 1,
        ..Default::default()
    };
    if opts.check().is_err() {
        return;
    }
    let (csv, _) = simulate(survey, &opts);
    let Ok(import) = ImportSettings::default().resolve() else {
        return;
    };
    if let Ok(imported) = import_bytes(survey, Path::new("sim.csv"), &csv, &import) {
        let _ = analyze(survey, &imported.table, &AnalysisOptions::default());
    }
});
