//! `satkit compare` (issue 8): waves with a known shift in one dimension, trend charts over
//! three waves, incompatible waves, --map, and gates on the newest wave.
//!
//! The waves are independent samples of one simulated population: `satkit simulate` draws the
//! b2b survey once (the seed fixes the true dimension means), the rows are split into waves, and
//! in the shifted waves every answer 1–4 to the customer-service items (cs_*) is raised by one.
//! So the service dimension truly improved and nothing else did (except the index, which
//! contains service). With the seed below no other node differs at p < 0.05 by chance (about
//! one in twenty would for a given node and seed).

use satkit::compare::CompareReport;
use serde_json::Value;

use crate::util::*;

const SEED: &str = "2031";
/// serde_json reads floats back to within an ulp or so, not always bit for bit.
const JSON_TOL: f64 = 1e-12;
/// The shifted dimension and its indicators.
const SHIFTED: [&str; 3] = ["service", "responsiveness", "professionalism"];

fn b2b() -> String {
    s(&repo().join("surveys/b2b-platform/survey.toml")).to_string()
}

/// Simulate `n_waves × per_wave` respondents and write wave{k}.csv; waves listed in `shifted`
/// get the service items raised by one. Then analyse each into w{k}/results.json.
fn make_waves(w: &Work, n_waves: usize, per_wave: usize, shifted: &[usize]) {
    let n = (n_waves * per_wave).to_string();
    w.run(&[
        "simulate",
        &b2b(),
        "-n",
        &n,
        "--seed",
        SEED,
        "--drivers",
        "service=0.3,function=0.3",
        "-o",
        "all.csv",
    ])
    .ok();
    let mut reader = csv::Reader::from_path(w.path("all.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let service: Vec<bool> = header.iter().map(|h| h.starts_with("cs_")).collect();
    assert_eq!(service.iter().filter(|b| **b).count(), 4);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    for k in 0..n_waves {
        let mut out = csv::Writer::from_path(w.path(&format!("wave{}.csv", k + 1))).unwrap();
        out.write_record(&header).unwrap();
        for row in &rows[k * per_wave..(k + 1) * per_wave] {
            let cells: Vec<String> = row
                .iter()
                .zip(&service)
                .map(|(v, is_service)| match v.parse::<i64>() {
                    Ok(x) if *is_service && shifted.contains(&(k + 1)) && (1..=4).contains(&x) => {
                        (x + 1).to_string()
                    }
                    _ => v.to_string(),
                })
                .collect();
            out.write_record(&cells).unwrap();
        }
        out.flush().unwrap();
        let data = w.path(&format!("wave{}.csv", k + 1));
        let dir = format!("w{}", k + 1);
        w.run(&["analyze", &b2b(), s(&data), "-o", &dir, "--no-report"])
            .ok();
    }
}

fn report(stdout: &str) -> CompareReport {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("compare JSON: {e}\n{stdout}"))
}

#[test]
fn a_shift_in_one_dimension_is_significant_there_and_nowhere_else() {
    let w = Work::new();
    make_waves(&w, 2, 400, &[2]);
    let r = w.run(&[
        "compare",
        "w1/results.json",
        "w2/results.json",
        "--format",
        "json",
    ]);
    r.ok();
    let rep = report(&r.stdout);
    assert_eq!(rep.waves.len(), 2);
    assert_eq!(rep.steps.len(), 1);
    let step = &rep.steps[0];
    assert_eq!((step.from.as_str(), step.to.as_str()), ("w1", "w2"));
    for n in &step.nodes {
        if SHIFTED.contains(&n.id.as_str()) {
            assert!(
                n.significant && n.large,
                "{} should have changed: {n:?}",
                n.id
            );
            assert!(n.change.unwrap() > 5.0, "{n:?}");
        } else if n.id != "root" {
            assert!(!n.significant, "{} changed by chance: {n:?}", n.id);
        }
    }
    // The text view says the same, row by row.
    let t = w.run(&["compare", "w1/results.json", "w2/results.json"]);
    t.ok();
    let row = |id: &str| {
        t.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row {id}:\n{}", t.stdout))
            .to_string()
    };
    assert!(row("service").ends_with("changed"), "{}", row("service"));
    assert!(
        !row("function").contains("significant"),
        "{}",
        row("function")
    );
    assert!(!row("function").ends_with("changed"), "{}", row("function"));
}

#[test]
fn node_tests_follow_welch_from_the_saved_statistics() {
    let w = Work::new();
    make_waves(&w, 2, 200, &[2]);
    let r = w.run(&[
        "compare",
        "w1/results.json",
        "w2/results.json",
        "--format",
        "json",
    ]);
    r.ok();
    let rep = report(&r.stdout);
    let old: satkit::analysis::Results = serde_json::from_str(&w.read("w1/results.json")).unwrap();
    let new: satkit::analysis::Results = serde_json::from_str(&w.read("w2/results.json")).unwrap();
    for c in &rep.steps[0].nodes {
        let a = old.index.nodes.iter().find(|n| n.id == c.id).unwrap();
        let b = new.index.nodes.iter().find(|n| n.id == c.id).unwrap();
        let (t, df, p) = satkit::stats::inference::welch_from_stats(
            a.score.unwrap(),
            a.sd.unwrap(),
            a.n,
            b.score.unwrap(),
            b.sd.unwrap(),
            b.n,
        )
        .unwrap();
        let close = |x: Option<f64>, y: f64| (x.unwrap() - y).abs() <= JSON_TOL * y.abs().max(1.0);
        assert!(
            close(c.t, t) && close(c.df, df) && close(c.p, p),
            "{c:?} vs t {t}, df {df}, p {p}"
        );
        assert!(close(c.change, b.score.unwrap() - a.score.unwrap()));
    }
}

#[test]
fn three_waves_write_a_trend_chart_per_dimension() {
    let w = Work::new();
    make_waves(&w, 3, 250, &[3]);
    let args = [
        "compare",
        "w1/results.json",
        "w2/results.json",
        "w3/results.json",
        "-o",
        "trend",
    ];
    w.run(&args)
        .ok()
        .stdout_has("chart: trend/trend_service.svg");
    let rep: CompareReport = serde_json::from_str(&w.read("trend/compare.json")).unwrap();
    assert_eq!(rep.steps.len(), 2);
    let expected: Vec<String> = [
        "root",
        "function",
        "information",
        "transaction",
        "service",
        "value",
    ]
    .iter()
    .flat_map(|d| [format!("trend_{d}.svg"), format!("trend_{d}.png")])
    .collect();
    assert_eq!(rep.charts, expected);
    let png = std::fs::read(w.path("trend/trend_service.png")).unwrap();
    assert!(
        png.starts_with(b"\x89PNG"),
        "a PNG twin of every trend chart"
    );
    let svg = w.read("trend/trend_service.svg");
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("客户服务"), "the Chinese node name is drawn");
    assert!(
        svg.contains("置信区间"),
        "a Chinese survey gets the Chinese chart texts"
    );
    for label in ["w1", "w2", "w3"] {
        assert!(svg.contains(&format!("\n{label}\n")), "x label {label}");
    }
    // Charts and JSON are deterministic.
    std::fs::rename(w.path("trend"), w.path("first")).unwrap();
    w.run(&args).ok();
    assert_eq!(svg, w.read("trend/trend_service.svg"));
    assert_eq!(
        png,
        std::fs::read(w.path("trend/trend_service.png")).unwrap()
    );
    assert_eq!(w.read("first/compare.json"), w.read("trend/compare.json"));
    // The last step holds the shift; the first step holds none in service.
    let service = |k: usize| {
        rep.steps[k]
            .nodes
            .iter()
            .find(|n| n.id == "service")
            .unwrap()
            .clone()
    };
    assert!(service(1).significant && !service(0).significant);
}

#[test]
fn waves_of_different_surveys_or_trees_are_refused_unless_mapped() {
    let w = Work::new();
    make_waves(&w, 2, 150, &[]);
    let mut other: Value = serde_json::from_str(&w.read("w1/results.json")).unwrap();
    other["survey"]["id"] = Value::from("bookstore");
    w.write("other.json", other.to_string());
    w.run(&["compare", "other.json", "w2/results.json"])
        .code(2)
        .stderr_has("is survey 'b2b-platform-csi' but other is survey 'bookstore'");

    // Rename the node 'service' to 'support' in the old wave.
    let mut renamed: Value = serde_json::from_str(&w.read("w1/results.json")).unwrap();
    for n in renamed["index"]["nodes"].as_array_mut().unwrap() {
        for key in ["id", "parent"] {
            if n[key] == "service" {
                n[key] = Value::from("support");
            }
        }
    }
    w.write("renamed.json", renamed.to_string());
    w.run(&["compare", "renamed.json", "w2/results.json"])
        .code(2)
        .stderr_has("the indicator trees differ: only in renamed: support; only in w2: service")
        .stderr_has("--map support=service");
    let r = w.run(&[
        "compare",
        "renamed.json",
        "w2/results.json",
        "--map",
        "support=service",
        "--format",
        "json",
    ]);
    r.ok();
    let rep = report(&r.stdout);
    assert_eq!(rep.map.len(), 1);
    let service = rep.steps[0]
        .nodes
        .iter()
        .find(|n| n.id == "service")
        .unwrap();
    assert!(service.old.is_some() && service.new.is_some());
    w.run(&[
        "compare",
        "w1/results.json",
        "w2/results.json",
        "--map",
        "oops",
    ])
    .code(2)
    .stderr_has("--map 'oops' is not OLD=NEW");
}

#[test]
fn fail_drop_compares_the_newest_wave_with_the_previous_one() {
    let w = Work::new();
    make_waves(&w, 2, 300, &[2]);
    // w2 → w1: the index falls by the service shift's share of it.
    let r = w.run(&[
        "compare",
        "w2/results.json",
        "w1/results.json",
        "--fail-drop",
        "0.5",
    ]);
    r.code(1).stderr_has("gate failed: index fell ");
    w.run(&[
        "compare",
        "w1/results.json",
        "w2/results.json",
        "--fail-drop",
        "0.5",
    ])
    .ok()
    .stdout_has("gates: 1 passed, 0 failed");
    w.run(&[
        "compare",
        "w1/results.json",
        "w2/results.json",
        "--fail-drop",
        "1",
        "--baseline",
        "w1/results.json",
    ])
    .code(2)
    .stderr_has("compare takes no --baseline");
    w.run(&["compare", "w1/results.json"]).code(2);
}
