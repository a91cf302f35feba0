//! The body of every fuzz target, shared by the targets in fuzz/fuzz_targets/ (each includes this
//! file with `#[path]`) and by tests/fuzz_regressions.rs, which replays the seeds and the saved
//! crashes through the same calls in the stable test suite. Errors are the right answer to bad
//! input; a panic is a finding.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use satkit::Survey;
use satkit::analysis::results_file::parse_results;
use satkit::analysis::{AnalysisOptions, analyze};
use satkit::cli::check::render_text as check_text;
use satkit::data::import::{import_bytes, rejects_csv};
use satkit::data::simulate::{SimulateOptions, simulate};
use satkit::grade::rubric::Rubric;
use satkit::lint::config::LintConfig;
use satkit::lint::{self, Loaded, Outcome};
use satkit::model::summary::CheckReport;
use satkit::pipeline::ImportSettings;
use satkit::pipeline::import_text::{problems_text, render_text as import_text};
use satkit::report::questionnaire as q;
use satkit::report::write::{ReportOptions, document};
use satkit::report::{charts, html, markdown, tables};

/// The `survey_check` target.
pub fn survey_check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = Survey::check_str("fuzz.toml", text);
    let report = CheckReport::new("fuzz.toml".to_string(), &checked);
    let _ = serde_json::to_string(&report);
    if let Some(summary) = &report.summary {
        let _ = check_text(summary);
    }
    let Some(survey) = &checked.survey else {
        return;
    };
    let _ = q::markdown(survey);
    let _ = q::html(survey);
    let _ = q::template_csv(survey);
    let _ = q::codebook_csv(survey);
    let opts = SimulateOptions::for_survey(survey, 6, 1);
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
}

fn import_survey() -> &'static Survey {
    static SURVEY_MODEL: OnceLock<Survey> = OnceLock::new();
    SURVEY_MODEL.get_or_init(|| {
        Survey::check_str(
            "survey.toml",
            include_str!("../tests/fixtures/import/survey.toml"),
        )
        .survey
        .expect("the import fixture survey is valid")
    })
}

/// The `csv_import` target.
pub fn csv_import(data: &[u8]) {
    let opts = ImportSettings::default()
        .resolve()
        .expect("the default import settings are valid");
    if let Ok(imported) = import_bytes(import_survey(), Path::new("fuzz.csv"), data, &opts) {
        let _ = rejects_csv(&imported.problems);
        let _ = import_text(&imported.report, Path::new("clean.parquet"));
        let _ = problems_text(&imported.report.input, &imported.problems);
        let _ = serde_json::to_string(&imported.report);
    }
}

/// The `results_report` target.
pub fn results_report(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(results) = parse_results(Path::new("results.json"), text) else {
        return;
    };
    let Ok(charts) = charts::render_all(&results) else {
        return;
    };
    let opts = ReportOptions::default();
    let doc = document(&results, &charts, &opts);
    let _ = markdown::render(&doc, &charts);
    let _ = html::render(&doc, &charts);
    for t in tables::csv_tables(&results) {
        let _ = t.to_csv();
    }
}

/// The `rubric_parse` target.
pub fn rubric_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rubric) = Rubric::from_str(Path::new("rubric.toml"), text) {
        let max = rubric.max_points();
        for share in [0.0, 0.5, 1.0, max] {
            let _ = rubric.band(share);
        }
    }
}

fn lint_survey() -> &'static Loaded {
    static LOADED: OnceLock<Box<Loaded>> = OnceLock::new();
    LOADED.get_or_init(|| {
        match lint::load_str(
            "wording_en.toml",
            include_str!("../tests/fixtures/lint/wording_en.toml"),
        ) {
            Outcome::Loaded(l) => l,
            Outcome::Invalid(_) => panic!("the lint fixture survey is valid"),
        }
    })
}

/// The `lint_config` target.
pub fn lint_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cfg) = LintConfig::from_str(Path::new("rules.toml"), text) {
        let l = lint_survey();
        let _ = lint::lint(l, &cfg);
        let _ = lint::estimate(&l.survey, &cfg.settings).minutes();
    }
}
