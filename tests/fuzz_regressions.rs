//! Fuzz regressions (issue 14): every input a fuzz target crashed on, saved under
//! tests/fixtures/fuzz/TARGET-SHORTNAME, goes through the same library calls as that target in
//! fuzz/fuzz_targets/ and must come back (Ok or Err) without a panic. docs/fuzzing.md says how a
//! crash becomes one of these tests.
//!
//! A test whose crash is not fixed yet is `#[ignore]`d with the panic's location and who fixes it,
//! so the suite stays green; `cargo test --test cli fuzz_regressions -- --ignored` shows which
//! still panic. The harness functions below mirror the targets line for line: change both together.

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

use super::util::repo;

/// fuzz_targets/survey_check.rs
fn survey_check(data: &[u8]) {
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
}

fn import_survey() -> &'static Survey {
    static SURVEY_MODEL: OnceLock<Survey> = OnceLock::new();
    SURVEY_MODEL.get_or_init(|| {
        Survey::check_str("survey.toml", include_str!("fixtures/import/survey.toml"))
            .survey
            .expect("the import fixture survey is valid")
    })
}

/// fuzz_targets/csv_import.rs
fn csv_import(data: &[u8]) {
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

/// fuzz_targets/results_report.rs
fn results_report(data: &[u8]) {
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

/// fuzz_targets/rubric_parse.rs
fn rubric_parse(data: &[u8]) {
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
            include_str!("fixtures/lint/wording_en.toml"),
        ) {
            Outcome::Loaded(l) => l,
            Outcome::Invalid(_) => panic!("the lint fixture survey is valid"),
        }
    })
}

/// fuzz_targets/lint_config.rs
fn lint_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cfg) = LintConfig::from_str(Path::new("rules.toml"), text) {
        let l = lint_survey();
        let _ = lint::lint(l, &cfg);
        let _ = lint::estimate(&l.survey, &cfg.settings).minutes();
    }
}

/// The harness of a target by its name (the prefix of a saved input, the seeds directory).
fn harness(target: &str) -> fn(&[u8]) {
    match target {
        "survey_check" => survey_check,
        "csv_import" => csv_import,
        "results_report" => results_report,
        "rubric_parse" => rubric_parse,
        "lint_config" => lint_config,
        other => panic!("no fuzz target '{other}'"),
    }
}

const TARGETS: &[&str] = &[
    "survey_check",
    "csv_import",
    "results_report",
    "rubric_parse",
    "lint_config",
];

/// Feed tests/fixtures/fuzz/NAME to the target its name starts with.
fn replay(name: &str) {
    let path = repo().join("tests/fixtures/fuzz").join(name);
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let target = TARGETS
        .iter()
        .find(|t| name.starts_with(&format!("{t}-")))
        .unwrap_or_else(|| panic!("{name} does not start with a target name and '-'"));
    harness(target)(&data);
}

#[test]
fn every_committed_fuzz_seed_passes_its_target() {
    for target in TARGETS {
        let dir = repo().join("fuzz/seeds").join(target);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            harness(target)(&std::fs::read(&path).expect("a seed file"));
            n += 1;
        }
        assert!(n > 0, "no seeds in {}", dir.display());
    }
}

#[test]
fn every_saved_fuzz_crash_has_a_test() {
    let dir = repo().join("tests/fixtures/fuzz");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let this = include_str!("fuzz_regressions.rs");
    for entry in entries {
        let name = entry.expect("a directory entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            this.contains(&format!("replay(\"{name}\")")),
            "tests/fixtures/fuzz/{name} has no test in tests/fuzz_regressions.rs"
        );
    }
}

// One test per saved crash, named after the input: `replay("TARGET-SHORTNAME")`.

// The two results.json crashes of issue 14 item 2, recorded here (the 4-minute runs did not reach
// them: a report execution renders every chart to PNG, ~50 per second): each is the
// tests/fixtures/report results.json with one value changed.

#[test]
fn results_report_huge_item_range_does_not_panic() {
    // items[0].min = -2^62, max = 2^62
    replay("results_report-huge-item-range");
}

#[test]
fn results_report_huge_node_depth_does_not_panic() {
    // index.nodes[1].depth = 2^64 - 1
    replay("results_report-huge-node-depth");
}

// Issue 14 item 1: a scale that passed `check` and then crashed `build` (capacity overflow) and
// `analyze` (index out of bounds), and one that made both allocate gigabytes.

#[test]
fn survey_check_huge_scale_does_not_panic() {
    // points = [i64::MIN, i64::MAX]
    replay("survey_check-huge-scale");
}

#[test]
fn survey_check_wide_scale_does_not_panic() {
    // points = [1, 100000000]
    replay("survey_check-wide-scale");
}
