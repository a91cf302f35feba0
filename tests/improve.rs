//! Part 2 through the binary: the improvement list, SERVQUAL gaps, segments, NPS and the
//! documented result names.

use crate::util::*;

fn analyze(w: &Work, survey: &str, extra: &[&str]) -> serde_json::Value {
    let dir = repo().join("surveys").join(survey);
    let (survey, data) = (dir.join("survey.toml"), dir.join("responses.csv"));
    let mut args = vec!["analyze", s(&survey), s(&data), "-o", "out"];
    args.extend_from_slice(extra);
    w.run(&args).ok();
    serde_json::from_str(&w.read("out/results.json")).unwrap()
}

#[test]
fn b2b_improvement_list_names_concentrate_here_indicators() {
    let w = Work::new();
    let v = analyze(&w, "b2b-platform", &[]);
    let pr = v["priorities"].as_array().unwrap();
    assert!(!pr.is_empty());
    let first = &pr[0];
    assert_eq!(first["quadrant"], "concentrate_here");
    assert_eq!(first["level"], "indicator");
    assert_eq!(first["rank"], 1);
    // Concentrate-here items come first and are ordered by importance × (100 − performance).
    let conc: Vec<&serde_json::Value> = pr
        .iter()
        .take_while(|p| p["quadrant"] == "concentrate_here")
        .collect();
    assert!(
        pr.iter()
            .skip(conc.len())
            .all(|p| p["quadrant"] != "concentrate_here")
    );
    for pair in conc.windows(2) {
        assert!(pair[0]["priority_score"].as_f64() >= pair[1]["priority_score"].as_f64());
    }
    for p in &conc {
        let imp = p["importance"].as_f64().unwrap();
        let perf = p["performance"].as_f64().unwrap();
        assert!((p["priority_score"].as_f64().unwrap() - imp * (100.0 - perf)).abs() < 1e-9);
    }
    assert_eq!(v["drivers"]["outcome"]["id"], "overall_sat");
    let dim = &v["drivers"]["levels"][0];
    assert_eq!(dim["level"], "dimension");
    let coefs = dim["coefficients"].as_array().unwrap();
    let pct: f64 = coefs
        .iter()
        .map(|c| c["relative_weight_pct"].as_f64().unwrap())
        .sum();
    assert!(
        (pct - 100.0).abs() < 1e-6,
        "relative weights sum to {pct}% of R²"
    );
    let shap: f64 = coefs
        .iter()
        .map(|c| c["shapley_r2"].as_f64().unwrap())
        .sum();
    assert!((shap - dim["r2"].as_f64().unwrap()).abs() < 1e-9);
    // Every documented top-level name is present.
    for key in [
        "drivers",
        "ipa",
        "priorities",
        "gaps",
        "segments",
        "nps",
        "weights",
        "fuzzy",
    ] {
        assert!(v.get(key).is_some(), "results.json lacks '{key}'");
    }
    let text = w.run(&[
        "analyze",
        s(&repo().join("surveys/b2b-platform/survey.toml")),
        s(&repo().join("surveys/b2b-platform/responses.csv")),
        "-o",
        "out2",
    ]);
    text.ok()
        .stdout_has("improvement priorities")
        .stdout_has(first["id"].as_str().unwrap());
}

#[test]
fn servqual_gaps_come_out_per_dimension() {
    let w = Work::new();
    let v = analyze(&w, "servqual", &[]);
    let dims = v["gaps"]["dimensions"].as_array().unwrap();
    let ids: Vec<&str> = dims.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "tangibles",
            "reliability",
            "responsiveness",
            "assurance",
            "empathy"
        ]
    );
    assert_eq!(v["gaps"]["attributes"].as_array().unwrap().len(), 22);
    for d in dims {
        let gap = d["gap"].as_f64().unwrap();
        assert!(
            (gap - (d["mean_perception"].as_f64().unwrap()
                - d["mean_expectation"].as_f64().unwrap()))
            .abs()
                < 1e-9
        );
        let total = d["exceeded"].as_f64().unwrap()
            + d["met"].as_f64().unwrap()
            + d["below"].as_f64().unwrap();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(d["p"].as_f64().unwrap() >= 0.0);
    }
}

#[test]
fn segments_test_differences_and_crosstab() {
    let w = Work::new();
    let v = analyze(&w, "b2b-platform", &["--by", "region,customer_type"]);
    let segs = v["segments"].as_array().unwrap();
    assert_eq!(segs.len(), 2);
    assert_eq!(segs[0]["by"], "region");
    assert_eq!(segs[0]["tests"][0]["test"], "welch_anova");
    assert_eq!(segs[1]["tests"][0]["test"], "welch_t");
    let n: u64 = segs[0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["n"].as_u64().unwrap())
        .sum();
    assert_eq!(n, v["sample"]["n"].as_u64().unwrap());
    assert!(
        segs[0]["crosstabs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["cramers_v"].is_number())
    );
    // An unknown column is a usage error.
    let r = w.run(&[
        "analyze",
        s(&repo().join("surveys/b2b-platform/survey.toml")),
        s(&repo().join("surveys/b2b-platform/responses.csv")),
        "-o",
        "o3",
        "--by",
        "nope",
    ]);
    r.code(2).stderr_has("no column 'nope'");
}

#[test]
fn nps_and_fuzzy_are_reported() {
    let w = Work::new();
    let v = analyze(&w, "bookstore", &["--fuzzy-operator", "max-min"]);
    let nps = v["nps"]["nps"].as_f64().unwrap();
    let pro = v["nps"]["promoters"].as_f64().unwrap();
    let det = v["nps"]["detractors"].as_f64().unwrap();
    assert!((nps - 100.0 * (pro - det)).abs() < 1e-9);
    assert_eq!(v["fuzzy"]["operator"], "max_min");
    for n in v["fuzzy"]["nodes"].as_array().unwrap() {
        let s: f64 = n["membership"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .sum();
        assert!((s - 1.0).abs() < 1e-9);
    }
}

/// `--csat` picks the number of top boxes; the figure is the (here survey-weighted) share of the
/// overall item's answers in those codes, from its own frequency table.
#[test]
fn csat_convention_is_configurable() {
    for (arg, k) in [("top1box", 1), ("top2box", 2), ("top3box", 3)] {
        let w = Work::new();
        let v = analyze(&w, "bookstore", &["--csat", arg, "--no-report"]);
        let c = &v["headline"]["csat"];
        assert_eq!(c["convention"], arg);
        let item = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == c["item"])
            .unwrap();
        let max = item["max"].as_i64().unwrap();
        assert!(
            !item["weighted"].is_null(),
            "the bookstore data carries weights"
        );
        let want: f64 = item["frequencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"].as_i64().unwrap() > max - k)
            .map(|f| f["weighted_share"].as_f64().unwrap())
            .sum();
        let got = c["csat"].as_f64().unwrap();
        assert!((got - 100.0 * want).abs() < 1e-9, "{arg}: {got} vs {want}");
        if k == 2 {
            let top2 = item["weighted"]["top2box"].as_f64().unwrap();
            assert!((got - 100.0 * top2).abs() < 1e-9);
        }
    }
}

#[test]
fn a_degenerate_driver_model_reports_r2_of_one_and_undefined_inference_with_a_warning() {
    // No overall item and complete answers: the root index is exactly the weighted sum of its
    // dimensions, so regressing it on them fits exactly. Before issue 17 this printed
    // R² = 1.0000000000000009 with se 0 and p 0.
    let w = Work::new();
    let survey = fixture("analyze/survey.toml");
    let mut csv = String::from("rid,q1,q2,q3,s1,s2,e1,e2\n");
    let mut state = 20261203u64;
    for i in 0..60u32 {
        let mut c = |_k: u32| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            1 + (state >> 33) % 5
        };
        csv.push_str(&format!(
            "r{i},{},{},{},{},{},{},{}\n",
            c(1),
            c(2),
            c(3),
            c(4),
            c(5),
            c(6),
            c(7)
        ));
    }
    let data = w.write("d.csv", csv);
    w.run(&["analyze", s(&survey), s(&data), "-o", "out", "--no-report"])
        .ok();
    let v: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    let level = &v["drivers"]["levels"][0];
    assert_eq!(level["level"], "dimension");
    assert_eq!(level["r2"], 1.0, "{level}");
    assert!(level["f"].is_null(), "{level}");
    for c in level["coefficients"].as_array().unwrap() {
        assert!(c["se"].is_null() && c["p"].is_null(), "{c}");
    }
    let warned = (v["warnings"].as_array().unwrap().iter()).any(|w| {
        w["scope"] == "drivers.dimension" && w["message"].as_str().unwrap().contains("degenerate")
    });
    assert!(warned, "{}", v["warnings"]);
}
