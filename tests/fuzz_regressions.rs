//! Fuzz regressions (issue 14): every input a fuzz target crashed on, saved under
//! tests/fixtures/fuzz/TARGET-SHORTNAME, goes through the same library calls as that target in
//! fuzz/fuzz_targets/ and must come back (Ok or Err) without a panic. docs/fuzzing.md says how a
//! crash becomes one of these tests.
//!
//! A test whose crash is not fixed yet is `#[ignore]`d with the panic's location and who fixes it,
//! so the suite stays green; `cargo test --test cli fuzz_regressions -- --ignored` shows which
//! still panic. The targets' bodies are in fuzz/harness.rs, shared with this file.

#[path = "../fuzz/harness.rs"]
mod fuzz_harness;

use fuzz_harness::{csv_import, lint_config, results_report, rubric_parse, survey_check};

use super::util::repo;

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
