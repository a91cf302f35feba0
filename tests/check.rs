//! `satkit check`: valid examples pass with the tree printed; each kind of bad survey fails with
//! exit 2 and a `file:line:col` message with a cure.

use crate::util::*;

#[test]
fn every_example_survey_passes_and_prints_effective_weights() {
    let w = Work::new();
    let surveys = surveys();
    assert!(surveys.len() >= 4, "expected at least four example surveys, found {surveys:?}");
    for p in surveys {
        let r = w.run(&["check", s(&p)]);
        r.ok().stdout_has("effective");
        assert!(!r.stderr.contains("warning"), "{}: {}", p.display(), r.stderr);
        let j = w.run(&["check", s(&p), "--format", "json"]);
        j.ok();
        let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
        assert_eq!(v["valid"], true);
        // Effective weights of the dimensions sum to 1 when no weights are derived from data.
        let rows = v["summary"]["tree"].as_array().unwrap();
        let dims: Vec<&serde_json::Value> = rows.iter().filter(|r| r["depth"] == 1).collect();
        if dims.iter().all(|d| d["effective_weight"].is_number()) {
            let sum: f64 = dims.iter().map(|d| d["effective_weight"].as_f64().unwrap()).sum();
            assert!((sum - 1.0).abs() < 1e-9, "{}: dimension weights sum to {sum}", p.display());
        }
    }
}

#[test]
fn minimal_tree_shows_local_and_effective_weights() {
    let w = Work::new();
    let r = w.run(&["check", s(&fixture("surveys/minimal.toml")), "--format", "json"]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let tree = v["summary"]["tree"].as_array().unwrap();
    let service = tree.iter().find(|n| n["id"] == "service").unwrap();
    assert_eq!(service["local_weight"], 0.6);
    assert_eq!(service["questions"], 2);
}

/// (fixture, line:col in the message, words of the message, words of the cure)
const BAD: &[(&str, &str, &str, &str)] = &[
    ("syntax_error.toml", ":3:24:", "invalid basic string", "fix the TOML syntax"),
    ("duplicate_id.toml", ":14:6:", "duplicate id 'q_speed': already used at line 8", "rename one of them"),
    ("unknown_scale.toml", ":11:9:", "unknown scale 'likert9'", "define [scales.likert9]"),
    ("weights_sum.toml", ":30:10:", "sum to 1.2", "divide each by 1.2"),
    ("ahp_inconsistent.toml", ":30:10:", "CR = 2.116", "implied ratio"),
];

#[test]
fn bad_surveys_fail_with_location_and_cure() {
    let w = Work::new();
    for (file, at, message, cure) in BAD {
        let path = fixture(&format!("surveys/{file}"));
        let r = w.run(&["check", s(&path)]);
        r.code(2).stderr_has(&format!("{file}{at} error")).stderr_has(message).stderr_has(cure);
        assert!(r.stdout.is_empty(), "{file}: nothing on stdout for an invalid survey");
    }
}

#[test]
fn ahp_failure_names_most_inconsistent_pair() {
    let w = Work::new();
    let r = w.run(&["check", s(&fixture("surveys/ahp_inconsistent.toml")), "--format", "json"]);
    r.code(2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let msg = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("most inconsistent pair"), "{msg}");
    assert_eq!(v["diagnostics"][0]["line"], 30);
}

#[test]
fn missing_file_is_exit_2() {
    let w = Work::new();
    w.run(&["check", "nope.toml"]).code(2).stderr_has("nope.toml");
}

#[test]
fn new_templates_pass_check() {
    let w = Work::new();
    for t in ["basic", "servqual", "acsi"] {
        for lang in ["zh", "en"] {
            let name = format!("{t}-{lang}");
            w.run(&["new", &name, "--template", t, "--lang", lang]).ok();
            let r = w.run(&["check", &format!("{name}.toml")]);
            r.ok();
            assert!(!r.stderr.contains("warning"), "{name}: {}", r.stderr);
        }
    }
    // Never overwrites.
    w.run(&["new", "basic-zh"]).code(2).stderr_has("already exists");
}
