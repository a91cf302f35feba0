//! Response bytes (CSV, TSV, any encoding) + the fixed survey tests/fixtures/import/survey.toml
//! -> `satkit import`'s in-memory import with the default options, the rejects CSV and the
//! summary text. Errors are fine; a panic is a finding.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use satkit::Survey;
use satkit::data::import::{import_bytes, rejects_csv};
use satkit::pipeline::ImportSettings;
use satkit::pipeline::import_text::{problems_text, render_text};

const SURVEY: &str = include_str!("../../tests/fixtures/import/survey.toml");

fn survey() -> &'static Survey {
    static SURVEY_MODEL: OnceLock<Survey> = OnceLock::new();
    SURVEY_MODEL.get_or_init(|| {
        Survey::check_str("survey.toml", SURVEY)
            .survey
            .expect("the import fixture survey is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let opts = ImportSettings::default()
        .resolve()
        .expect("the default import settings are valid");
    if let Ok(imported) = import_bytes(survey(), Path::new("fuzz.csv"), data, &opts) {
        let _ = rejects_csv(&imported.problems);
        let _ = render_text(&imported.report, Path::new("clean.parquet"));
        let _ = problems_text(&imported.report.input, &imported.problems);
        let _ = serde_json::to_string(&imported.report);
    }
});
