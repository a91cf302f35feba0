//! Gates on `satkit analyze` (issue 8): --fail-under, --fail-node, --fail-drop with --baseline
//! and --fail-alpha-under, each passing and failing, plus the usage errors around them.
//! Thresholds are set a margin away from the values of the ACSI example, read from a first run.

use satkit::analysis::Results;
use satkit::gates::{GateOutcome, Gates, evaluate};
use serde_json::Value;

use crate::util::*;

/// Distance of a score threshold from the actual score, in points.
const SCORE_MARGIN: f64 = 5.0;
/// Distance of an alpha threshold from the smallest alpha.
const ALPHA_MARGIN: f64 = 0.01;

struct Setup {
    w: Work,
    survey: String,
    data: String,
    results: Results,
}

fn setup() -> Setup {
    let w = Work::new();
    let survey = s(&repo().join("surveys/acsi/survey.toml")).to_string();
    let data = s(&repo().join("surveys/acsi/responses.csv")).to_string();
    w.run(&["analyze", &survey, &data, "-o", "base", "--no-report"])
        .ok();
    let results: Results = serde_json::from_str(&w.read("base/results.json")).unwrap();
    Setup {
        w,
        survey,
        data,
        results,
    }
}

impl Setup {
    fn analyze(&self, gates: &[&str]) -> Run {
        let mut args = vec![
            "analyze",
            &self.survey,
            &self.data,
            "-o",
            "out",
            "--no-report",
        ];
        args.extend_from_slice(gates);
        self.w.run(&args)
    }
    fn index(&self) -> f64 {
        self.results.index.score.unwrap()
    }
}

#[test]
fn fail_under_passes_and_fails() {
    let st = setup();
    let below = format!("{:.0}", (st.index() - SCORE_MARGIN).floor());
    let above = format!("{:.0}", (st.index() + SCORE_MARGIN).ceil());
    st.analyze(&["--fail-under", &below])
        .ok()
        .stdout_has("gates: 1 passed, 0 failed");
    st.analyze(&["--fail-under", &above])
        .code(1)
        .stderr_has(&format!(
            "gate failed: index {:.1} is under --fail-under {above}",
            st.index()
        ));
}

#[test]
fn fail_node_passes_and_fails() {
    let st = setup();
    let node = &st.results.index.nodes[1];
    let score = node.score.unwrap();
    let pass = format!("{}<{:.0}", node.id, (score - SCORE_MARGIN).floor());
    let fail = format!("{}<{:.0}", node.id, (score + SCORE_MARGIN).ceil());
    st.analyze(&["--fail-node", &pass]).ok();
    st.analyze(&["--fail-node", &pass, "--fail-node", &fail])
        .code(1)
        .stderr_has(&format!(
            "gate failed: node '{}' score {score:.1} is under --fail-node '{fail}'",
            node.id
        ));
}

#[test]
fn fail_drop_passes_against_the_same_results_and_fails_against_a_better_baseline() {
    let st = setup();
    st.analyze(&["--fail-drop", "1", "--baseline", "base/results.json"])
        .ok();
    // A baseline whose index was 3 points higher: a drop of 3 > 2.
    let mut better: Value = serde_json::from_str(&st.w.read("base/results.json")).unwrap();
    let old = st.index() + 3.0;
    better["index"]["score"] = Value::from(old);
    st.w.write("better.json", better.to_string());
    st.analyze(&["--fail-drop", "2", "--baseline", "better.json"])
        .code(1)
        .stderr_has(&format!(
            "gate failed: index fell 3.0 points ({old:.1} → {:.1}), more than --fail-drop 2",
            st.index()
        ));
}

#[test]
fn fail_alpha_under_passes_and_fails() {
    let st = setup();
    let (node, min) = st
        .results
        .reliability
        .iter()
        .map(|r| (r.node.clone(), r.alpha))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    let pass = format!("{:.2}", ((min - ALPHA_MARGIN) * 100.0).floor() / 100.0);
    let fail = format!("{:.2}", ((min + ALPHA_MARGIN) * 100.0).ceil() / 100.0);
    st.analyze(&["--fail-alpha-under", &pass]).ok();
    let r = st.analyze(&["--fail-alpha-under", &fail]);
    r.code(1).stderr_has(&format!(
        "gate failed: alpha {min:.3} of '{node}' is under --fail-alpha-under {}",
        fail.trim_end_matches('0')
    ));
}

#[test]
fn json_output_carries_every_gate_outcome() {
    let st = setup();
    let r = st.analyze(&[
        "--format",
        "json",
        "--fail-under",
        "99",
        "--fail-alpha-under",
        "0.1",
    ]);
    r.code(1);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let gates: Vec<GateOutcome> = serde_json::from_value(doc["gates"].clone()).unwrap();
    assert_eq!(gates[0].gate, "fail_under");
    assert!(!gates[0].passed);
    assert_eq!(gates.len(), 1 + st.results.reliability.len());
    assert!(
        gates[1..]
            .iter()
            .all(|g| g.passed && g.gate == "fail_alpha_under")
    );
    // The rest of stdout is the results document.
    let _: Results = serde_json::from_value(doc).unwrap();
}

#[test]
fn gate_usage_errors_exit_2() {
    let st = setup();
    st.analyze(&["--fail-drop", "2"])
        .code(2)
        .stderr_has("--fail-drop needs --baseline");
    st.analyze(&["--fail-node", "nosuchnode<50"])
        .code(2)
        .stderr_has("'nosuchnode' is not a node of the survey's tree");
    st.analyze(&["--fail-node", "service=50"])
        .code(2)
        .stderr_has("is not NODE<SCORE");
    st.analyze(&["--fail-under", "120"])
        .code(2)
        .stderr_has("--fail-under 120 is outside 0–100");
    let mut other: Value = serde_json::from_str(&st.w.read("base/results.json")).unwrap();
    other["survey"]["id"] = Value::from("another-survey");
    st.w.write("other.json", other.to_string());
    st.analyze(&["--fail-drop", "2", "--baseline", "other.json"])
        .code(2)
        .stderr_has("is from survey 'another-survey'");
    // Without gates, the exit status and stdout are as before.
    st.analyze(&[]).ok();
}

#[test]
fn evaluate_fails_gates_that_cannot_be_checked() {
    let st = setup();
    let mut r = st.results.clone();
    r.index.score = None;
    r.index.nodes[1].score = None;
    let gates = Gates {
        fail_under: Some(10.0),
        fail_node: vec![(r.index.nodes[1].id.clone(), 10.0)],
        fail_drop: Some(5.0),
        fail_alpha_under: None,
    };
    let out = evaluate(&r, None, &gates);
    assert_eq!(out.len(), 3);
    assert!(out.iter().all(|o| !o.passed), "{out:?}");
    assert!(out[2].message.contains("needs a baseline"));
    assert!(evaluate(&st.results, None, &Gates::default()).is_empty());
}
