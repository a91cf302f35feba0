//! The library examples in `examples/` (built by `cargo test` beside the test binaries): each
//! runs on the shipped surveys and prints what its doc comment promises.

use std::path::PathBuf;
use std::process::Command;

use crate::util::repo;

/// target/debug/examples/NAME, next to this test binary's target/debug/deps.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let path = dir.join("examples").join(name);
    assert!(
        path.exists(),
        "{} not built; run cargo build --examples",
        path.display()
    );
    path
}

fn run(name: &str, args: &[&str]) -> String {
    let out = Command::new(example(name))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run example");
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn index_and_priorities_prints_every_node_and_ranked_priorities() {
    let out = run(
        "index_and_priorities",
        &[
            "surveys/bookstore/survey.toml",
            "surveys/bookstore/responses.csv",
        ],
    );
    for node in [
        "root",
        "browsing",
        "staff",
        "checkout",
        "environment",
        "delivery",
    ] {
        assert!(out.contains(node), "{node} missing:\n{out}");
    }
    assert!(out.contains(" 1. ") && out.contains("importance"), "{out}");
}

#[test]
fn lint_folder_tabulates_every_survey_and_skips_other_toml() {
    let out = run("lint_folder", &["surveys"]);
    for s in ["acsi", "b2b-platform", "bookstore", "servqual"] {
        assert!(
            out.contains(&format!("surveys/{s}/survey.toml")),
            "{s}:\n{out}"
        );
    }
    assert!(
        !out.contains("batch.toml") && !out.contains("rubrics"),
        "{out}"
    );
}

#[test]
fn fieldwork_profile_prints_a_row_per_dimension_and_the_sample_line() {
    let out = run(
        "fieldwork_profile",
        &["surveys/acsi/survey.toml", "surveys/acsi/responses.csv"],
    );
    let rows = out
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| dimension"))
        .count();
    assert_eq!(rows, 5, "{out}");
    assert!(
        out.contains("n = 300;") && out.contains("open answer"),
        "{out}"
    );
}
