//! `satkit weights`: AHP consistency verdicts (exit 1 when inconsistent) and derived weights.

use crate::util::*;

#[test]
fn inconsistent_matrix_is_flagged_with_exit_1() {
    let w = Work::new();
    let r = w.run(&[
        "weights",
        s(&fixture("surveys/ahp_inconsistent.toml")),
        "--format",
        "json",
    ]);
    r.code(1).stderr_has("inconsistent (CR = 2.116");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["consistent"], false);
    let g = &v["groups"][0];
    assert_eq!(g["method"], "ahp");
    assert_eq!(g["ahp_consistent"], false);
    // check still rejects the same file as invalid (exit 2).
    w.run(&["check", s(&fixture("surveys/ahp_inconsistent.toml"))])
        .code(2);
}

#[test]
fn consistent_survey_reports_ahp_and_derived_weights() {
    let w = Work::new();
    let survey = repo().join("surveys/b2b-platform/survey.toml");
    let data = repo().join("surveys/b2b-platform/responses.csv");
    let r = w.run(&["weights", s(&survey), s(&data), "--format", "json"]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["consistent"], true);
    let groups = v["groups"].as_array().unwrap();
    let ahp = groups
        .iter()
        .find(|g| g["method"] == "ahp")
        .expect("an AHP group");
    assert!(ahp["ahp"]["cr"].as_f64().unwrap() < 0.1);
    for g in groups {
        for key in ["used", "entropy", "regression"] {
            let ws: Vec<f64> = g[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            let sum: f64 = ws.iter().sum();
            assert!(
                (sum - 1.0).abs() < 1e-9,
                "{} {key} weights sum to {sum}",
                g["node"]
            );
            assert!(ws.iter().all(|x| *x >= 0.0));
        }
    }
}
