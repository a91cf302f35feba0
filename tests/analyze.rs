//! `satkit analyze`: results.json on every example survey (typed, and by the stable field names
//! of docs/results-schema.md), determinism, Parquet input, degenerate data, a hand-computed
//! index, options and bad input.

use satkit::analysis::{MissingPolicy, Results};
use serde_json::Value;

use crate::util::*;

/// Numbers the test computes by hand from a few float operations.
const HAND_TOL: f64 = 1e-9;
/// The same data analysed from CSV and from Parquet.
const SAME_DATA_TOL: f64 = 1e-12;
/// Sums of weights that are each exact to a few ulps.
const WEIGHT_SUM_TOL: f64 = 1e-9;

/// The degenerate-data fixture: q1..q3 (product, 0.5), s1, s2 (service, 0.3), e1, e2
/// (delivery, 0.2), all likert5, respondent id column `rid`.
const FIXTURE: &str = "analyze/survey.toml";
const FIXTURE_ITEMS: [&str; 7] = ["q1", "q2", "q3", "s1", "s2", "e1", "e2"];

/// The stable names that docs/results-schema.md promises; `[]` means every element of a
/// non-empty array.
const STABLE_FIELDS: &[&str] = &[
    "schema_version",
    "sample.n",
    "sample.n_effective",
    "items[].id",
    "items[].n",
    "items[].mean",
    "items[].sd",
    "items[].top2box",
    "index.score",
    "index.nodes[].id",
    "index.nodes[].weight",
    "index.nodes[].effective_weight",
    "index.nodes[].score",
    "index.nodes[].ci_low",
    "index.nodes[].ci_high",
    "index.nodes[].n",
    "reliability[].node",
    "reliability[].k",
    "reliability[].alpha",
    "reliability[].alpha_std",
    "reliability[].items[].id",
    "reliability[].items[].item_total_r",
    "reliability[].items[].alpha_if_deleted",
    "correlation.pearson.vars",
    "correlation.pearson.r",
    "correlation.pearson.p",
    "correlation.pearson.n",
    "correlation.spearman.vars",
    "correlation.spearman.r",
    "correlation.spearman.p",
    "correlation.spearman.n",
    "factor.kmo",
    "factor.bartlett.chi2",
    "factor.bartlett.df",
    "factor.bartlett.p",
    "factor.eigenvalues",
    "factor.loadings",
    "factor.communalities",
    "missing_policy.correlation",
    "warnings",
    "omitted",
];

/// Panic unless `path` (dot-separated, `name[]` for every element of an array) exists in `v`.
#[track_caller]
fn assert_field(v: &Value, path: &str, whole: &str, file: &str) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let (key, each) = match head.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (head, false),
    };
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{file}: {whole}: expected an object holding '{key}', got {v}"));
    let child = obj
        .get(key)
        .unwrap_or_else(|| panic!("{file}: {whole}: no field '{key}'"));
    match (each, rest) {
        (true, rest) => {
            let arr = child
                .as_array()
                .unwrap_or_else(|| panic!("{file}: {whole}: '{key}' is not an array"));
            assert!(!arr.is_empty(), "{file}: {whole}: '{key}' is empty");
            if let Some(rest) = rest {
                for e in arr {
                    assert_field(e, rest, whole, file);
                }
            }
        }
        (false, Some(rest)) => assert_field(child, rest, whole, file),
        (false, None) => {}
    }
}

/// Read OUT/results.json as text, typed results and a JSON value.
fn read_results(w: &Work, out: &str) -> (String, Results, Value) {
    let text = w.read(&format!("{out}/results.json"));
    let typed: Results = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{out}/results.json does not parse into Results: {e}"));
    let value: Value = serde_json::from_str(&text).unwrap();
    (text, typed, value)
}

/// A deterministic pseudo-random number (splitmix64), so fixture data have no exact linear
/// structure.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A pseudo-random 1–5 code for respondent `i`, item `j`.
fn code(i: usize, j: usize) -> String {
    (1 + splitmix64((i * 16 + j) as u64) % 5).to_string()
}

/// A response file for the fixture with `n` respondents; `cell(i, item)` gives each answer.
fn fixture_csv(n: usize, cell: impl Fn(usize, &str) -> String) -> String {
    let mut s = format!("rid,{}\n", FIXTURE_ITEMS.join(","));
    for i in 0..n {
        let row: Vec<String> = FIXTURE_ITEMS.iter().map(|it| cell(i, it)).collect();
        s.push_str(&format!("r{},{}\n", i + 1, row.join(",")));
    }
    s
}

fn item_index(item: &str) -> usize {
    FIXTURE_ITEMS.iter().position(|x| *x == item).unwrap()
}

/// Analyse fixture data written to the work directory; exit 0 and typed results required.
fn analyze_fixture(w: &Work, csv: &str) -> Results {
    w.write("data.csv", csv);
    let r = w.run(&["analyze", s(&fixture(FIXTURE)), "data.csv", "-o", "out"]);
    r.ok().stdout_has("satisfaction index");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    read_results(w, "out").1
}

fn omitted_has(r: &Results, statistic: &str, reason: &str) -> bool {
    r.omitted
        .iter()
        .any(|o| o.statistic == statistic && o.reason.contains(reason))
}

fn warned(r: &Results, scope: &str, message: &str) -> bool {
    r.warnings
        .iter()
        .any(|x| x.scope == scope && x.message.contains(message))
}

fn node<'a>(r: &'a Results, id: &str) -> &'a satkit::analysis::NodeScore {
    r.index
        .nodes
        .iter()
        .find(|n| n.id == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

#[track_caller]
fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:.15}, want {want:.15}"
    );
}

#[test]
fn every_example_writes_results_with_the_documented_fields() {
    let w = Work::new();
    let surveys = surveys();
    assert!(
        surveys.len() >= 4,
        "expected the example surveys, found {surveys:?}"
    );
    for (k, p) in surveys.iter().enumerate() {
        let data = p.with_file_name("responses.csv");
        let out = format!("out{k}");
        let r = w.run(&["analyze", s(p), s(&data), "-o", &out]);
        r.ok().stdout_has("satisfaction index");
        let (_, res, v) = read_results(&w, &out);
        let file = p.display().to_string();
        for f in STABLE_FIELDS {
            assert_field(&v, f, f, &file);
        }
        assert_eq!(res.schema_version, "1.1.0", "{file}");
        let score = res
            .index
            .score
            .unwrap_or_else(|| panic!("{file}: no index score"));
        assert!((0.0..=100.0).contains(&score), "{file}: index {score}");
        assert_eq!(
            res.index.nodes[0].score, res.index.score,
            "{file}: the root is the index"
        );
        let dims: f64 = res
            .index
            .nodes
            .iter()
            .filter(|n| n.depth == 1)
            .map(|n| n.effective_weight)
            .sum();
        close(
            &format!("{file}: sum of dimension effective weights"),
            dims,
            1.0,
            WEIGHT_SUM_TOL,
        );
        for n in &res.index.nodes {
            let (Some(lo), Some(sc), Some(hi)) = (n.ci_low, n.score, n.ci_high) else {
                panic!("{file}: node {} lacks a score or interval", n.id)
            };
            assert!(
                lo <= sc && sc <= hi,
                "{file}: node {}: {lo} ≤ {sc} ≤ {hi} fails",
                n.id
            );
        }
        assert!(
            res.factor.is_some(),
            "{file}: factor analysis omitted: {:?}",
            res.omitted
        );
    }
}

#[test]
fn two_runs_write_identical_results() {
    let w = Work::new();
    let p = &surveys()[0];
    let data = p.with_file_name("responses.csv");
    w.run(&["analyze", s(p), s(&data), "-o", "a", "--threads", "1"])
        .ok();
    w.run(&["analyze", s(p), s(&data), "-o", "b", "--threads", "4"])
        .ok();
    assert!(
        w.read("a/results.json") == w.read("b/results.json"),
        "{}: results.json differs between runs",
        p.display()
    );
}

#[test]
fn parquet_input_gives_the_same_index_as_csv() {
    let w = Work::new();
    for (k, p) in surveys().iter().enumerate() {
        let data = p.with_file_name("responses.csv");
        let pq = format!("x{k}.parquet");
        w.run(&["import", s(p), s(&data), "-o", &pq]).ok();
        w.run(&["analyze", s(p), &pq, "-o", &format!("pq{k}")]).ok();
        w.run(&["analyze", s(p), s(&data), "-o", &format!("csv{k}")])
            .ok();
        let (_, a, _) = read_results(&w, &format!("pq{k}"));
        let (_, b, _) = read_results(&w, &format!("csv{k}"));
        close(
            &format!("{}: index from Parquet vs CSV", p.display()),
            a.index.score.unwrap(),
            b.index.score.unwrap(),
            SAME_DATA_TOL,
        );
    }
}

#[test]
fn parquet_input_gives_the_same_results_as_csv_with_segments_and_weight() {
    // Analysis reads only the columns it needs from Parquet (questions, weight, flags and the
    // --by and --weight columns): every result must still equal the CSV run's.
    let w = Work::new();
    for (k, p) in surveys().iter().enumerate() {
        let survey = satkit::model::Survey::load(p).unwrap();
        let data = p.with_file_name("responses.csv");
        let pq = format!("y{k}.parquet");
        w.run(&["import", s(p), s(&data), "-o", &pq]).ok();
        let mut extra: Vec<String> = Vec::new();
        if let Some(a) = survey.respondents.attributes.first() {
            extra.extend(["--by".to_string(), a.clone()]);
        }
        if let Some(wc) = &survey.respondents.weight {
            extra.extend(["--weight".to_string(), wc.clone()]);
        }
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let (pq_out, csv_out) = (format!("p{k}"), format!("c{k}"));
        let mut a = vec!["analyze", s(p), &pq, "-o", &pq_out, "--no-report"];
        a.extend(&extra);
        w.run(&a).ok();
        let mut b = vec!["analyze", s(p), s(&data), "-o", &csv_out, "--no-report"];
        b.extend(&extra);
        w.run(&b).ok();
        let load = |dir: &str| {
            let mut v: serde_json::Value =
                serde_json::from_str(&w.read(&format!("{dir}/results.json"))).unwrap();
            v.as_object_mut().unwrap().remove("input");
            v
        };
        let (x, y) = (load(&pq_out), load(&csv_out));
        assert!(
            x == y,
            "{}: results from Parquet differ from CSV ({} args)",
            p.display(),
            extra.join(" ")
        );
        if !extra.is_empty() {
            assert!(x["segments"].as_array().is_some_and(|a| !a.is_empty()));
        }
    }
}

#[test]
fn parquet_from_another_survey_is_refused() {
    let w = Work::new();
    let all = surveys();
    let (a, b) = (&all[0], &all[1]);
    let id = |p: &std::path::Path| satkit::model::Survey::load(p).unwrap().meta.id;
    w.run(&[
        "import",
        s(a),
        s(&a.with_file_name("responses.csv")),
        "-o",
        "a.parquet",
    ])
    .ok();
    w.run(&["analyze", s(b), "a.parquet", "-o", "out"])
        .code(2)
        .stderr_has(&id(a))
        .stderr_has(&id(b));
    assert!(!w.path("out/results.json").exists());
}

#[test]
fn fixture_data_without_defects_omit_nothing() {
    // The baseline for the degenerate cases below: the same generator, no defect.
    let w = Work::new();
    let r = analyze_fixture(&w, &fixture_csv(30, |i, it| code(i, item_index(it))));
    assert!(r.omitted.is_empty(), "{:?}", r.omitted);
    let f = r.factor.expect("factor analysis");
    assert!(f.kmo.is_some() && f.bartlett.is_some() && f.loadings.is_some());
    assert_eq!(r.reliability.len(), 3);
}

#[test]
fn zero_variance_item_is_warned_and_its_statistics_omitted() {
    let w = Work::new();
    let r = analyze_fixture(
        &w,
        &fixture_csv(30, |i, it| {
            if it == "q1" {
                "3".into()
            } else {
                code(i, item_index(it))
            }
        }),
    );
    assert!(warned(&r, "q1", "zero variance"), "{:?}", r.warnings);
    let q1 = r.items.iter().find(|x| x.id == "q1").unwrap();
    assert_eq!((q1.mean, q1.sd), (Some(3.0), Some(0.0)));
    assert!(
        omitted_has(&r, "reliability product", "q1"),
        "{:?}",
        r.omitted
    );
    assert!(omitted_has(&r, "factor", "q1"), "{:?}", r.omitted);
    assert!(r.factor.is_none());
    // The other dimensions are unaffected.
    assert!(r.reliability.iter().any(|x| x.node == "service"));
    assert!(r.index.score.is_some());
}

#[test]
fn two_respondents_omit_reliability_and_factor_analysis() {
    let w = Work::new();
    let r = analyze_fixture(&w, &fixture_csv(2, |i, it| code(i, item_index(it))));
    assert_eq!(r.sample.n, 2);
    for dim in ["product", "service", "delivery"] {
        assert!(
            omitted_has(&r, &format!("reliability {dim}"), "fewer than 3"),
            "{:?}",
            r.omitted
        );
    }
    assert!(
        omitted_has(&r, "factor", "only 2 respondents"),
        "{:?}",
        r.omitted
    );
    assert!(r.reliability.is_empty() && r.factor.is_none());
    let root = &r.index.nodes[0];
    assert_eq!(root.n, 2);
    let (lo, sc, hi) = (
        root.ci_low.unwrap(),
        root.score.unwrap(),
        root.ci_high.unwrap(),
    );
    assert!(lo <= sc && sc <= hi);
}

#[test]
fn node_with_all_items_blank_has_no_score_and_is_renormalised_away() {
    let w = Work::new();
    let csv = fixture_csv(30, |i, it| {
        if it.starts_with('e') {
            String::new()
        } else {
            code(i, item_index(it))
        }
    });
    let r = analyze_fixture(&w, &csv);
    let delivery = node(&r, "delivery");
    assert_eq!(
        (delivery.n, delivery.score, delivery.ci_low),
        (0, None, None)
    );
    assert!(warned(&r, "delivery", "no answers"), "{:?}", r.warnings);
    assert!(
        omitted_has(&r, "reliability delivery", "fewer than 3"),
        "{:?}",
        r.omitted
    );
    assert!(
        omitted_has(&r, "factor", "only 0 respondents"),
        "{:?}",
        r.omitted
    );
    // Every respondent has product and service, so the root is their weighted mean with the
    // weights 0.5 and 0.3 renormalised to 5/8 and 3/8, respondent by respondent; the mean over
    // respondents is linear, so the same holds for the node means.
    let (p, sv) = (
        node(&r, "product").score.unwrap(),
        node(&r, "service").score.unwrap(),
    );
    close(
        "root with delivery unanswered",
        r.index.score.unwrap(),
        (0.5 * p + 0.3 * sv) / 0.8,
        HAND_TOL,
    );
}

#[test]
fn identical_items_make_kmo_and_bartlett_omitted_as_singular() {
    let w = Work::new();
    let csv = fixture_csv(30, |i, it| {
        if it == "q2" {
            code(i, item_index("q1"))
        } else {
            code(i, item_index(it))
        }
    });
    let r = analyze_fixture(&w, &csv);
    for stat in ["factor.kmo", "factor.bartlett", "factor.minres"] {
        assert!(omitted_has(&r, stat, "singular"), "{stat}: {:?}", r.omitted);
    }
    let f = r
        .factor
        .expect("the factor section stays, with what could be computed");
    assert!(f.kmo.is_none() && f.bartlett.is_none() && f.loadings.is_none());
    // q1 and q2 correlate perfectly.
    let vars = &r.correlation.pearson.vars;
    let (a, b) = (
        vars.iter().position(|v| v == "q1").unwrap(),
        vars.iter().position(|v| v == "q2").unwrap(),
    );
    close(
        "r(q1, q2)",
        r.correlation.pearson.r[a][b].unwrap(),
        1.0,
        HAND_TOL,
    );
}

/// A survey small enough to score by hand: product (0.7) = p1 and the reverse-coded p2,
/// service (0.3) = s1, all 1–5; survey weights in column `w`.
const HAND_SURVEY: &str = r#"
[survey]
id = "hand"
title = "Hand-checked index"
language = "en"

[respondents]
id = "rid"
weight = "w"

[[question]]
id = "p1"
text = "The product works well."
type = "rating"
scale = "likert5"

[[question]]
id = "p2"
text = "The product is hard to use."
type = "rating"
scale = "likert5"
reverse = true

[[question]]
id = "s1"
text = "Staff are helpful."
type = "rating"
scale = "likert5"

[tree]
name = "Overall"

[tree.product]
name = "Product"
weight = 0.7
questions = ["p1", "p2"]

[tree.service]
name = "Service"
weight = 0.3
questions = ["s1"]
"#;

// Item score = 100·(x − 1)/4, reversed (100 − score) for p2.
//   a: p1 = 5 → 100, p2 = 2 → 100 − 25 = 75, product = 87.5; s1 = 4 → 75;
//      root = 0.7·87.5 + 0.3·75 = 61.25 + 22.5 = 83.75                         (w = 1)
//   b: p1 = 3 → 50, p2 blank, product = 50; service unanswered, so the weights
//      renormalise to 0.7/0.7 = 1: root = 50                                   (w = 2)
//   c: p1 = 1 → 0, p2 = 5 → 0, product = 0; s1 = 2 → 25;
//      root = 0.7·0 + 0.3·25 = 7.5                                             (w = 1)
const HAND_DATA: &str = "rid,p1,p2,s1,w\na,5,2,4,1\nb,3,,,2\nc,1,5,2,1\n";
const HAND_ROOT: [f64; 3] = [83.75, 50.0, 7.5];

#[test]
fn hand_computed_index_with_reverse_item_renormalisation_and_survey_weights() {
    let w = Work::new();
    w.write("hand.toml", HAND_SURVEY);
    w.write("hand.csv", HAND_DATA);
    w.run(&["analyze", "hand.toml", "hand.csv", "-o", "out"])
        .ok()
        .stdout_has("satisfaction index");
    let (_, r, _) = read_results(&w, "out");
    assert_eq!(r.sample.weight_column.as_deref(), Some("w"));
    close("Σw", r.sample.n_weighted, 4.0, HAND_TOL);
    // Kish: (Σw)²/Σw² = 16/6.
    close("n_effective", r.sample.n_effective, 16.0 / 6.0, HAND_TOL);
    // Weighted means over respondents with a score:
    //   root    = (1·83.75 + 2·50 + 1·7.5)/4 = 191.25/4 = 47.8125
    //   product = (1·87.5 + 2·50 + 1·0)/4    = 187.5/4  = 46.875
    //   service = (1·75 + 1·25)/2 = 50 (b has no service score), n = 2
    close("root", r.index.score.unwrap(), 47.8125, HAND_TOL);
    close(
        "product",
        node(&r, "product").score.unwrap(),
        46.875,
        HAND_TOL,
    );
    close(
        "service",
        node(&r, "service").score.unwrap(),
        50.0,
        HAND_TOL,
    );
    assert_eq!(
        (r.index.n, node(&r, "product").n, node(&r, "service").n),
        (3, 3, 2)
    );
    close(
        "product effective weight",
        node(&r, "product").effective_weight,
        0.7,
        HAND_TOL,
    );
    close(
        "service effective weight",
        node(&r, "service").effective_weight,
        0.3,
        HAND_TOL,
    );
    // Linearised SE: SE² = n/(n−1)·Σw²(x−m)²/(Σw)² with deviations 35.9375, 2.1875, −40.3125:
    //   Σw²(x−m)² = 1291.50390625 + 4·4.78515625 + 1625.09765625 = 2935.7421875,
    //   SE² = 3/2 · 2935.7421875/16 = 275.225830078125.
    // t(0.975, df 2) has the closed form a·√(2/(1 − a²)) with a = 2·0.975 − 1 = 0.95.
    let m = 47.8125;
    let se2: f64 = 1.5
        * [
            (1.0, HAND_ROOT[0]),
            (2.0, HAND_ROOT[1]),
            (1.0, HAND_ROOT[2]),
        ]
        .iter()
        .map(|(wt, x)| wt * wt * (x - m) * (x - m))
        .sum::<f64>()
        / 16.0;
    close("SE²", se2, 275.225830078125, HAND_TOL);
    let t = 0.95 * (2.0 / (1.0 - 0.95 * 0.95_f64)).sqrt();
    close(
        "root ci_low",
        r.index.ci_low.unwrap(),
        m - t * se2.sqrt(),
        HAND_TOL,
    );
    close(
        "root ci_high",
        r.index.ci_high.unwrap(),
        m + t * se2.sqrt(),
        HAND_TOL,
    );

    // Without the weight column the respondents count equally: (83.75 + 50 + 7.5)/3.
    w.write("unweighted.csv", "rid,p1,p2,s1\na,5,2,4\nb,3,,\nc,1,5,2\n");
    w.run(&["analyze", "hand.toml", "unweighted.csv", "-o", "out2"])
        .ok();
    let (_, u, _) = read_results(&w, "out2");
    assert_eq!(u.sample.weight_column, None);
    close(
        "unweighted root",
        u.index.score.unwrap(),
        141.25 / 3.0,
        HAND_TOL,
    );
}

#[test]
fn missing_listwise_is_recorded_and_used() {
    let w = Work::new();
    // Scattered blanks: respondent i skips item i mod 7 when i is a multiple of 3.
    let csv = fixture_csv(40, |i, it| {
        if i % 3 == 0 && item_index(it) == (i / 3) % 7 {
            String::new()
        } else {
            code(i, item_index(it))
        }
    });
    w.write("data.csv", &csv);
    w.run(&[
        "analyze",
        s(&fixture(FIXTURE)),
        "data.csv",
        "-o",
        "out",
        "--missing",
        "listwise",
    ])
    .ok();
    let (_, r, _) = read_results(&w, "out");
    assert_eq!(r.missing_policy.correlation, MissingPolicy::Listwise);
    assert_eq!(r.missing_policy.reliability, MissingPolicy::Listwise);
    assert_eq!(r.correlation.missing, MissingPolicy::Listwise);
    // Listwise: every pair uses the same respondents (the 26 without a blank).
    let n = &r.correlation.pearson.n;
    assert!(n.iter().flatten().all(|&x| x == 26), "{n:?}");
}

#[test]
fn weight_naming_a_missing_column_is_exit_2() {
    let w = Work::new();
    w.write("data.csv", fixture_csv(10, |i, it| code(i, item_index(it))));
    let r = w.run(&[
        "analyze",
        s(&fixture(FIXTURE)),
        "data.csv",
        "-o",
        "out",
        "--weight",
        "nope",
    ]);
    r.code(2).stderr_has("'nope'");
    assert!(!w.path("out/results.json").exists());
}

#[test]
fn data_missing_a_survey_column_is_exit_2_with_the_import_message() {
    let w = Work::new();
    let csv = fixture_csv(10, |i, it| code(i, item_index(it)));
    // Drop the q3 column.
    let without_q3: String = csv
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f.remove(3);
            f.join(",") + "\n"
        })
        .collect();
    w.write("data.csv", without_q3);
    let r = w.run(&["analyze", s(&fixture(FIXTURE)), "data.csv", "-o", "out"]);
    r.code(2)
        .stderr_has("data.csv")
        .stderr_has("the header lacks 1 survey column: q3");
    assert!(!w.path("out/results.json").exists());
}

/// `--factor-missing pairwise` (issue 13): on complete data the pairwise-complete matrix is the
/// listwise one, so the factor section is the same; where every respondent skips one item,
/// listwise omits the factor analysis and pairwise computes it, and the results say which.
#[test]
fn factor_missing_pairwise_matches_listwise_on_complete_data_and_runs_where_listwise_cannot() {
    let w = Work::new();
    w.write(
        "full.csv",
        fixture_csv(120, |i, it| code(i, item_index(it))),
    );
    let run = |data: &str, out: &str, policy: &str| {
        w.run(&[
            "analyze",
            s(&fixture(FIXTURE)),
            data,
            "-o",
            out,
            "--factor-missing",
            policy,
        ])
        .ok();
        read_results(&w, out).1
    };
    let lw = run("full.csv", "lw", "listwise");
    let pw = run("full.csv", "pw", "pairwise");
    assert_eq!(lw.missing_policy.factor, MissingPolicy::Listwise);
    assert_eq!(pw.missing_policy.factor, MissingPolicy::Pairwise);
    let (fl, fp) = (
        lw.factor.expect("listwise factor"),
        pw.factor.expect("pairwise factor"),
    );
    assert_eq!(fl.n, 120);
    assert_eq!(fp.n, 120);
    close("kmo", fp.kmo.unwrap(), fl.kmo.unwrap(), 1e-12);
    for (a, b) in fl.eigenvalues.iter().zip(&fp.eigenvalues) {
        close("eigenvalue", *b, *a, 1e-12);
    }

    // Respondent i skips item i mod 7: nobody answers every item.
    w.write(
        "sparse.csv",
        fixture_csv(140, |i, it| {
            if item_index(it) == i % FIXTURE_ITEMS.len() {
                String::new()
            } else {
                code(i, item_index(it))
            }
        }),
    );
    let lw = run("sparse.csv", "slw", "listwise");
    assert!(lw.factor.is_none());
    assert!(
        omitted_has(&lw, "factor", "answered every item"),
        "{:?}",
        lw.omitted
    );
    let pw = run("sparse.csv", "spw", "pairwise");
    assert_eq!(pw.missing_policy.factor, MissingPolicy::Pairwise);
    let f = pw.factor.expect("pairwise factor analysis on sparse data");
    // Each pair of items is answered by everyone who skipped neither: 140 - 2 * 20.
    assert_eq!(f.n, 100);
    assert!(f.kmo.is_some_and(|k| (0.0..=1.0).contains(&k)));
    // The eigenvalues of a correlation matrix sum to its trace, the number of items.
    close("trace", f.eigenvalues.iter().sum::<f64>(), 7.0, 1e-9);
}
