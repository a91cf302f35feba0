//! The simulator's response model: analyses of simulated data recover the truth it records
//! (driver ranking, alpha, index, wave drift), the shipped examples look like real fieldwork, the
//! open answers follow the scores, and the `[simulate]` table is checked with located errors.

use serde_json::Value;

use crate::util::{Work, repo, s};

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

/// Simulate `survey` with extra flags, analyse it, and return (results, truth).
fn simulate_and_analyze(
    w: &Work,
    survey: &str,
    n: &str,
    seed: &str,
    extra: &[&str],
) -> (Value, Value) {
    let survey = repo().join(survey);
    let name = format!("sim-{seed}.csv");
    let mut args = vec!["simulate", s(&survey), "-n", n, "--seed", seed, "-o", &name];
    args.extend_from_slice(extra);
    w.run(&args).ok();
    let out = format!("out-{seed}");
    w.run(&["analyze", s(&survey), &name, "-o", &out, "--no-report"])
        .ok();
    let results = json(&w.read(&format!("{out}/results.json")));
    let truth = json(&w.read(&format!("sim-{seed}.truth.json")));
    (results, truth)
}

const ATTENTIVE: &[&str] = &[
    "--straightliners",
    "0",
    "--speeders",
    "0",
    "--duplicates",
    "0",
];

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

#[test]
fn drivers_rank_the_true_top_driver_first() {
    let w = Work::new();
    for seed in ["11", "12", "13"] {
        let (results, truth) =
            simulate_and_analyze(&w, "surveys/servqual/survey.toml", "500", seed, &[]);
        let top = truth["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .max_by(|a, b| f(&a["driver_weight"]).total_cmp(&f(&b["driver_weight"])))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let level = results["drivers"]["levels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["level"] == "dimension")
            .expect("a dimension-level driver model");
        let best = level["coefficients"]
            .as_array()
            .unwrap()
            .iter()
            .max_by(|a, b| f(&a["std_beta"]).total_cmp(&f(&b["std_beta"])))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            best, top,
            "seed {seed}: the strongest driver estimated vs true"
        );
    }
}

#[test]
fn alpha_lands_within_sampling_error_of_the_population_alpha() {
    let w = Work::new();
    for (survey, seed) in [
        ("surveys/b2b-platform/survey.toml", "21"),
        ("surveys/acsi/survey.toml", "22"),
        ("surveys/servqual/survey.toml", "23"),
    ] {
        let (results, truth) = simulate_and_analyze(&w, survey, "600", seed, ATTENTIVE);
        let mut checked = 0;
        for t in truth["reliability"].as_array().unwrap() {
            let node = t["node"].as_str().unwrap();
            let Some(r) = results["reliability"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["node"] == node)
            else {
                continue;
            };
            let (want, got) = (f(&t["alpha"]), f(&r["alpha"]));
            let k = f(&r["k"]);
            let n = f(&r["n"]);
            // Asymptotic SE of alpha for (near) parallel items: (1 − α)·√(2k / ((k − 1)·n)).
            let se = (1.0 - want) * (2.0 * k / ((k - 1.0) * n)).sqrt();
            assert!(
                (got - want).abs() <= 3.5 * se,
                "{survey} {node}: alpha {got:.4} vs population {want:.4} (se {se:.4})"
            );
            checked += 1;
        }
        assert!(checked >= 5, "{survey}: only {checked} alphas compared");
    }
}

#[test]
fn node_scores_land_within_sampling_error_of_their_expected_score() {
    let w = Work::new();
    for (survey, seed) in [
        ("surveys/b2b-platform/survey.toml", "31"),
        ("surveys/bookstore/survey.toml", "32"),
        ("surveys/servqual/survey.toml", "33"),
    ] {
        let (results, truth) = simulate_and_analyze(&w, survey, "500", seed, ATTENTIVE);
        for t in truth["nodes"].as_array().unwrap() {
            let Some(want) = t["expected_score"].as_f64() else {
                continue;
            };
            let id = t["id"].as_str().unwrap();
            let node = results["index"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["id"] == id)
                .unwrap_or_else(|| panic!("{survey}: node {id} not in the results"));
            let got = f(&node["score"]);
            let se = (f(&node["ci_high"]) - f(&node["ci_low"])) / (2.0 * 1.96);
            assert!(
                (got - want).abs() <= 3.5 * se,
                "{survey} {id}: score {got:.2} vs expected {want:.2} (se {se:.2})"
            );
        }
    }
}

#[test]
fn a_second_wave_moves_the_drifting_dimensions_by_their_drift() {
    let w = Work::new();
    let survey = "surveys/b2b-platform/survey.toml";
    let (r0, t0) = simulate_and_analyze(&w, survey, "800", "41", ATTENTIVE);
    let mut flags = ATTENTIVE.to_vec();
    flags.extend_from_slice(&["--wave", "1"]);
    let (r1, t1) = simulate_and_analyze(&w, survey, "800", "42", &flags);
    let score = |r: &Value, id: &str| {
        let n = r["index"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap()
            .clone();
        (
            f(&n["score"]),
            (f(&n["ci_high"]) - f(&n["ci_low"])) / (2.0 * 1.96),
        )
    };
    let expected = |t: &Value, id: &str| {
        f(&t["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap()["expected_score"])
    };
    // The survey's [simulate] drift: transaction +4, value −3; service does not drift.
    for (id, sign) in [("transaction", 1.0), ("value", -1.0), ("service", 0.0)] {
        let want = expected(&t1, id) - expected(&t0, id);
        assert!(
            want * sign > 1.5 || (sign == 0.0 && want.abs() < 1e-9),
            "{id}: true change {want}"
        );
        let ((a, sa), (b, sb)) = (score(&r0, id), score(&r1, id));
        let se = (sa * sa + sb * sb).sqrt();
        assert!(
            ((b - a) - want).abs() <= 3.5 * se,
            "{id}: change {:.2} vs true {want:.2} (se {se:.2})",
            b - a
        );
    }
}

/// The shipped example data: every rating item's top-2-box share (at the satisfied end) pooled,
/// the flagged share, each dimension's alpha and the share with an open answer.
#[test]
fn the_example_data_looks_like_real_fieldwork() {
    let w = Work::new();
    for dir in ["b2b-platform", "bookstore", "servqual", "acsi"] {
        let survey = repo().join(format!("surveys/{dir}/survey.toml"));
        let data = repo().join(format!("surveys/{dir}/responses.csv"));
        w.run(&["analyze", s(&survey), s(&data), "-o", dir, "--no-report"])
            .ok();
        let r = json(&w.read(&format!("{dir}/results.json")));
        let (mut top2, mut total) = (0u64, 0u64);
        for item in r["items"].as_array().unwrap() {
            if item["kind"] != "rating" {
                continue;
            }
            let (min, max) = (item["min"].as_i64().unwrap(), item["max"].as_i64().unwrap());
            let reverse = item["reverse"].as_bool().unwrap();
            for fr in item["frequencies"].as_array().unwrap() {
                let (code, count) = (fr["code"].as_i64().unwrap(), fr["count"].as_u64().unwrap());
                if code < min || code > max {
                    continue;
                }
                total += count;
                let top = if reverse {
                    code <= min + 1
                } else {
                    code >= max - 1
                };
                top2 += if top { count } else { 0 };
            }
        }
        let share = top2 as f64 / total as f64;
        assert!(
            (0.45..=0.80).contains(&share),
            "{dir}: top-2-box {share:.3}"
        );
        let n = f(&r["sample"]["n"]);
        let flagged = f(&r["sample"]["flagged"]) / n;
        assert!(flagged <= 0.08, "{dir}: {flagged:.3} flagged");
        for rel in r["reliability"].as_array().unwrap() {
            if rel["scope"] == "dimension" {
                let a = f(&rel["alpha"]);
                assert!(
                    (0.7..=0.95).contains(&a),
                    "{dir} {}: alpha {a:.3}",
                    rel["node"]
                );
            }
        }
        // The fuzzy grade agrees with the band of the weighted score on every node.
        for node in r["fuzzy"]["nodes"].as_array().unwrap() {
            assert_eq!(node["grade"], node["score_grade"], "{dir}: fuzzy {node}");
        }
        let text = std::fs::read(&data).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_slice());
        let headers = reader.headers().unwrap().clone();
        let model = satkit::model::Survey::load(&survey).unwrap();
        let open: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                model
                    .question(h)
                    .is_some_and(|q| q.kind == satkit::model::QuestionKind::Text)
            })
            .map(|(i, _)| i)
            .collect();
        assert!(!open.is_empty(), "{dir}: no open question found");
        let (mut wrote, mut rows) = (0, 0);
        for rec in reader.records() {
            let rec = rec.unwrap();
            rows += 1;
            wrote += usize::from(
                open.iter()
                    .any(|&i| !satkit::data::coding::is_missing_token(rec[i].trim())),
            );
        }
        let open_share = wrote as f64 / rows as f64;
        assert!(
            open_share >= 0.30,
            "{dir}: {open_share:.3} wrote an open answer"
        );
    }
}

#[test]
fn low_scorers_write_more_and_about_their_weakest_indicator() {
    let w = Work::new();
    let survey = repo().join("surveys/b2b-platform/survey.toml");
    w.run(&[
        "simulate",
        s(&survey),
        "-n",
        "3000",
        "--seed",
        "51",
        "-o",
        "t.csv",
    ])
    .ok();
    let text = w.read("t.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let h = reader.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (overall, comment, delivery) = (
        col("overall_sat"),
        col("final_comments"),
        col("tx_delivery_on_time"),
    );
    // (rows, wrote, mentioned logistics) for low and high overall scores, and for low and high
    // delivery scores.
    let mut by_overall = [(0, 0); 2];
    let mut by_delivery = [(0, 0); 2];
    for rec in reader.records() {
        let rec = rec.unwrap();
        let wrote = !rec[comment].is_empty();
        if let Ok(o) = rec[overall].parse::<i64>() {
            let g = usize::from(o >= 8);
            by_overall[g].0 += 1;
            by_overall[g].1 += usize::from(wrote);
        }
        if let Ok(d) = rec[delivery].parse::<i64>()
            && d <= 5
            && wrote
        {
            let g = usize::from(d >= 4);
            by_delivery[g].0 += 1;
            let logistics = ["物流", "配送", "快递", "发货"]
                .iter()
                .any(|k| rec[comment].contains(k));
            by_delivery[g].1 += usize::from(logistics);
        }
    }
    let share = |(n, k): (usize, usize)| k as f64 / n.max(1) as f64;
    assert!(
        share(by_overall[0]) > share(by_overall[1]) + 0.1,
        "low scorers wrote {:.3}, high scorers {:.3}",
        share(by_overall[0]),
        share(by_overall[1])
    );
    assert!(
        share(by_delivery[0]) > 1.5 * share(by_delivery[1]),
        "logistics mentioned by {:.3} of low delivery scorers, {:.3} of high",
        share(by_delivery[0]),
        share(by_delivery[1])
    );
}

#[test]
fn the_truth_names_every_careless_respondent_and_they_are_in_the_data() {
    let w = Work::new();
    let survey = repo().join("surveys/bookstore/survey.toml");
    w.run(&[
        "simulate",
        s(&survey),
        "-n",
        "1000",
        "--seed",
        "61",
        "-o",
        "c.csv",
    ])
    .ok();
    let truth = json(&w.read("c.truth.json"));
    let count = |k: &str| truth["careless"][k].as_array().unwrap().len();
    // 2.5% straight-liners, 3% speeders, 0.5% duplicates: binomial counts well inside these.
    assert!(
        (15..=50).contains(&count("straightliners")),
        "{}",
        count("straightliners")
    );
    assert!(
        (20..=65).contains(&count("speeders")),
        "{}",
        count("speeders")
    );
    assert!(count("duplicates") <= 15);
    let data = w.read("c.csv");
    for id in truth["careless"]["duplicates"].as_array().unwrap() {
        let id = id.as_str().unwrap();
        // A duplicate repeats the previous submission, id included, so its own id is absent.
        assert!(!data.contains(&format!("\n{id},")), "{id} written");
    }
}

#[test]
fn simulate_table_errors_are_located() {
    let w = Work::new();
    let base = std::fs::read_to_string(repo().join("surveys/acsi/survey.toml")).unwrap();
    for (bad, good, needle) in [
        (
            "quality = 0.4, value",
            "qualty = 0.4, value",
            "'qualty', which is not a dimension",
        ),
        ("level = 82", "level = 140", "level = 140 is outside"),
        (
            "region = { West = -3 }",
            "region = { Mars = -3 }",
            "'Mars' is not a value",
        ),
        (
            "segment = { Business = -2 }",
            "plan = { Business = -2 }",
            "'plan', which is not a respondent attribute",
        ),
        (
            "region = { West = -3 }",
            "region = { West = -300 }",
            "outside [-50, 50]",
        ),
    ] {
        assert!(base.contains(bad), "fixture text {bad}");
        let text = base.replacen(bad, good, 1);
        let p = w.write("s.toml", &text);
        let r = w.run(&["check", s(&p)]);
        r.code(2).stderr_has(needle);
        let line = text[..text.find(good).unwrap()].matches('\n').count() + 1;
        r.stderr_has(&format!("s.toml:{line}:"));
    }
}

#[test]
fn simulate_flags_override_the_table_and_are_checked() {
    let w = Work::new();
    let survey = repo().join("surveys/acsi/survey.toml");
    w.run(&[
        "simulate",
        s(&survey),
        "-n",
        "50",
        "--seed",
        "1",
        "-o",
        "a.csv",
        "--level",
        "60",
    ])
    .ok();
    let truth = json(&w.read("a.truth.json"));
    assert_eq!(truth["settings"]["level"], 60.0);
    assert_eq!(truth["settings"]["noise"], 0.28);
    for (flag, value, needle) in [
        ("--level", "120", "--level: level = 120 is outside"),
        ("--speeders", "0.9", "speeders = 0.9 is outside"),
        ("--dimension", "nope=3", "'nope' is not a dimension"),
        ("--segment", "region=Mars:3", "'Mars' is not a value"),
        ("--segment", "region", "is not ATTRIBUTE=VALUE:POINTS"),
        ("--drift", "quality=x", "'x' is not a number"),
    ] {
        w.run(&[
            "simulate",
            s(&survey),
            "-n",
            "5",
            "--seed",
            "1",
            "-o",
            "b.csv",
            flag,
            value,
        ])
        .code(2)
        .stderr_has(needle);
        assert!(!w.path("b.csv").exists(), "{flag} {value}: nothing written");
    }
}

/// The straight-lining rule of `satkit import` on simulated data: it finds the planted
/// straight-liners (truth sidecar) and leaves almost every attentive respondent alone, on a
/// 19-item five-point grid and on a 13-item ten-point grid with strongly correlated items.
#[test]
fn the_straightlining_rule_finds_simulated_straightliners_and_spares_attentive_ones() {
    let w = Work::new();
    for dir in ["bookstore", "acsi"] {
        let survey = repo().join(format!("surveys/{dir}/survey.toml"));
        w.run(&[
            "simulate",
            s(&survey),
            "-n",
            "2000",
            "--seed",
            "77",
            "-o",
            "r.csv",
        ])
        .ok();
        w.run(&["import", s(&survey), "r.csv", "-o", "clean.csv"])
            .ok();
        let truth = json(&w.read("r.truth.json"));
        let ids = |k: &str| -> Vec<String> {
            truth["careless"][k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let straight = ids("straightliners");
        let careless: Vec<String> = [straight.clone(), ids("speeders"), ids("duplicates")].concat();
        let text = w.read("clean.csv");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let h = reader.headers().unwrap().clone();
        let col = |name: &str| h.iter().position(|x| x == name).unwrap();
        let (id, flag) = (col("respondent_id"), col("flag_straightline"));
        let (mut found, mut attentive, mut false_flags) = (0, 0, 0);
        for rec in reader.records() {
            let rec = rec.unwrap();
            let flagged = matches!(&rec[flag], "true" | "1");
            if straight.iter().any(|x| x == &rec[id]) {
                found += usize::from(flagged);
            } else if !careless.iter().any(|x| x == &rec[id]) {
                attentive += 1;
                false_flags += usize::from(flagged);
            }
        }
        assert!(
            found as f64 >= 0.9 * straight.len() as f64,
            "{dir}: found {found} of {} straight-liners",
            straight.len()
        );
        assert!(
            false_flags as f64 <= 0.02 * attentive as f64,
            "{dir}: {false_flags} of {attentive} attentive respondents flagged"
        );
    }
}
