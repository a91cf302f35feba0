//! The straight-lining rule (longstring and IRV over the rating grid; docs/methods.md, "Data
//! quality flags") on simulated respondents: a correlated-factor model for attentive people and
//! planted straight-liners, generated here with a fixed seed.

use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::Deserialize;

use crate::util::Work;

#[derive(Debug, Deserialize)]
struct Summary {
    flags: Flags,
}

#[derive(Debug, Deserialize)]
struct Flags {
    straightline: u64,
    straightline_rule: Rule,
}

#[derive(Debug, Deserialize)]
struct Rule {
    grid_items: usize,
    checked: u64,
}

const DIMENSIONS: usize = 5;
const ITEMS: usize = 4;
/// Item loadings on their dimension: items within a dimension correlate 0.85² ≈ 0.72.
const LOADING: f64 = 0.85;
/// Correlation between the dimensions' latents.
const DIMENSION_CORRELATION: f64 = 0.4;
/// Normal quantiles of the cumulative shares 4%, 12%, 30%, 70%: answers 1–5 with shares
/// 4/8/18/40/30% (top-2-box 70%, mean 3.84), the positive skew of published surveys.
const THRESHOLDS: [f64; 4] = [-1.7507, -1.1750, -0.5244, 0.5244];

/// A survey of five dimensions of four five-point items and an NPS item (outside the grid).
fn grid_survey() -> String {
    let mut s = String::from(
        "[survey]\nid = \"careless\"\ntitle = \"Careless\"\nlanguage = \"en\"\nversion = \"1\"\n\n\
         [respondents]\nid = \"rid\"\n\n",
    );
    for d in 0..DIMENSIONS {
        for i in 0..ITEMS {
            s.push_str(&format!(
                "[[question]]\nid = \"d{d}_q{i}\"\ntext = \"Dimension {d}, item {i}\"\n\
                 type = \"rating\"\nscale = \"likert5\"\n\n"
            ));
        }
    }
    s.push_str("[[question]]\nid = \"nps\"\ntext = \"Recommend?\"\ntype = \"nps\"\n\n");
    s.push_str("[tree]\nname = \"Index\"\nweights = \"equal\"\n\n");
    for d in 0..DIMENSIONS {
        let qs: Vec<String> = (0..ITEMS).map(|i| format!("\"d{d}_q{i}\"")).collect();
        s.push_str(&format!(
            "[tree.d{d}]\nname = \"Dimension {d}\"\nquestions = [{}]\n\n",
            qs.join(", ")
        ));
    }
    s
}

fn header() -> String {
    let mut h = vec!["rid".to_string()];
    for d in 0..DIMENSIONS {
        for i in 0..ITEMS {
            h.push(format!("d{d}_q{i}"));
        }
    }
    h.push("nps".into());
    h.join(",") + "\n"
}

/// One attentive respondent: a general factor, dimension latents correlated
/// `DIMENSION_CORRELATION`, items loading `LOADING` on their dimension, cut by `THRESHOLDS`.
fn attentive(rng: &mut ChaCha8Rng) -> Vec<i32> {
    let g: f64 = rng.sample(StandardNormal);
    let mut codes = Vec::with_capacity(DIMENSIONS * ITEMS);
    for _ in 0..DIMENSIONS {
        let e: f64 = rng.sample(StandardNormal);
        let f = DIMENSION_CORRELATION.sqrt() * g + (1.0 - DIMENSION_CORRELATION).sqrt() * e;
        for _ in 0..ITEMS {
            let u: f64 = rng.sample(StandardNormal);
            let y = LOADING * f + (1.0 - LOADING * LOADING).sqrt() * u;
            codes.push(1 + THRESHOLDS.iter().filter(|t| y > **t).count() as i32);
        }
    }
    codes
}

/// A straight-liner: one code everywhere, or (`deviate`) with one answer a step away.
fn straight_liner(rng: &mut ChaCha8Rng, k: usize, deviate: bool) -> Vec<i32> {
    let n = DIMENSIONS * ITEMS;
    if !deviate {
        return vec![1 + (k % 5) as i32; n];
    }
    let code = 2 + (k % 3) as i32;
    let mut codes = vec![code; n];
    let at = rng.random_range(0..n);
    codes[at] += if rng.random::<bool>() { 1 } else { -1 };
    codes
}

fn row(rid: &str, codes: &[i32], rng: &mut ChaCha8Rng) -> String {
    let cells: Vec<String> = codes.iter().map(i32::to_string).collect();
    format!("{rid},{},{}\n", cells.join(","), rng.random_range(0..=10))
}

/// Import `csv` with the survey `toml`; the summary and each respondent's `flag_straightline`.
fn import(toml: &str, csv: &str, extra: &[&str]) -> (Summary, HashMap<String, bool>) {
    let w = Work::new();
    w.write("survey.toml", toml);
    w.write("data.csv", csv);
    let mut args = vec![
        "import",
        "survey.toml",
        "data.csv",
        "-o",
        "out.csv",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let r = w.run(&args);
    r.ok();
    let summary: Summary = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("summary JSON: {e}\n{}", r.stdout));
    let mut rdr = csv::Reader::from_path(w.path("out.csv")).expect("clean table");
    let headers = rdr.headers().expect("headers").clone();
    let rid = headers.iter().position(|h| h == "rid").expect("rid column");
    let flag = headers
        .iter()
        .position(|h| h == "flag_straightline")
        .expect("flag_straightline column");
    let flags = rdr
        .records()
        .map(|r| {
            let r = r.expect("record");
            (r[rid].to_string(), &r[flag] == "true")
        })
        .collect();
    (summary, flags)
}

#[test]
fn every_planted_straight_liner_is_flagged_among_correlated_attentive_respondents() {
    let mut rng = ChaCha8Rng::seed_from_u64(15);
    let mut csv = header();
    for i in 0..380 {
        let codes = attentive(&mut rng);
        csv.push_str(&row(&format!("a{i}"), &codes, &mut rng));
    }
    // 5%: ten constant rows (every code), ten with one one-step deviation.
    for k in 0..20 {
        let codes = straight_liner(&mut rng, k, k >= 10);
        csv.push_str(&row(&format!("s{k}"), &codes, &mut rng));
    }
    let (summary, flags) = import(&grid_survey(), &csv, &[]);
    assert_eq!(
        summary.flags.straightline_rule.grid_items, 20,
        "NPS stays out"
    );
    assert_eq!(summary.flags.straightline_rule.checked, 400);
    let missed: Vec<&String> = flags
        .iter()
        .filter(|(rid, f)| rid.starts_with('s') && !**f)
        .map(|(rid, _)| rid)
        .collect();
    assert!(missed.is_empty(), "straight-liners not flagged: {missed:?}");
    let attentive_flagged = flags
        .iter()
        .filter(|(rid, f)| rid.starts_with('a') && **f)
        .count();
    assert!(
        attentive_flagged <= 8,
        "{attentive_flagged} of 380 attentive flagged"
    );
}

#[test]
fn at_most_two_percent_of_attentive_respondents_with_strongly_correlated_skewed_items_are_flagged()
{
    let mut rng = ChaCha8Rng::seed_from_u64(2018);
    let mut csv = header();
    let n = 2000;
    for i in 0..n {
        let codes = attentive(&mut rng);
        csv.push_str(&row(&format!("a{i}"), &codes, &mut rng));
    }
    let (summary, _) = import(&grid_survey(), &csv, &[]);
    let share = summary.flags.straightline as f64 / n as f64;
    // Measured: see the report of issue 15 item 6 (about 1.5% with this seed).
    assert!(share <= 0.02, "{share:.4} of attentive respondents flagged");
}

/// A survey of `scales.len()` rating items, item i on the scale `scales[i]`.
fn small_survey(scales: &[&str]) -> String {
    let mut s = String::from(
        "[survey]\nid = \"small\"\ntitle = \"Small\"\nlanguage = \"en\"\nversion = \"1\"\n\n\
         [respondents]\nid = \"rid\"\n\n[scales.seven]\npoints = [1, 7]\n\
         labels = [\"Very poor\", \"Very good\"]\n\n",
    );
    for (i, scale) in scales.iter().enumerate() {
        s.push_str(&format!(
            "[[question]]\nid = \"q{i}\"\ntext = \"Item {i}\"\ntype = \"rating\"\nscale = \"{scale}\"\n\n"
        ));
    }
    let ids: Vec<String> = (0..scales.len()).map(|i| format!("\"q{i}\"")).collect();
    s.push_str(&format!(
        "[tree]\nname = \"Index\"\nweights = \"equal\"\n\n[tree.all]\nname = \"All\"\nquestions = [{}]\n",
        ids.join(", ")
    ));
    s
}

fn small_csv(items: usize, rows: &[(&str, &str)]) -> String {
    let mut csv = String::from("rid");
    for i in 0..items {
        csv.push_str(&format!(",q{i}"));
    }
    csv.push('\n');
    for (rid, cells) in rows {
        csv.push_str(&format!("{rid},{cells}\n"));
    }
    csv
}

#[test]
fn a_grid_shorter_than_six_items_is_not_checked() {
    let (summary, flags) = import(
        &small_survey(&["likert5"; 5]),
        &small_csv(5, &[("r1", "3,3,3,3,3")]),
        &[],
    );
    assert_eq!(summary.flags.straightline_rule.checked, 0);
    assert!(!flags["r1"]);
}

#[test]
fn missing_answers_are_skipped_and_too_few_answered_items_are_not_checked() {
    let (summary, flags) = import(
        &small_survey(&["likert5"; 8]),
        &small_csv(
            8,
            &[
                // A missing answer inside the run neither breaks it nor counts.
                ("r1", "4,4,4,,4,4,4,4"),
                // Five answered items: fewer than six, not checked.
                ("r2", "4,,4,,4,,4,4"),
                // Varied answers.
                ("r3", "4,5,3,4,5,2,4,3"),
            ],
        ),
        &[],
    );
    assert_eq!(summary.flags.straightline_rule.checked, 2);
    assert!(flags["r1"] && !flags["r2"] && !flags["r3"], "{flags:?}");
}

#[test]
fn items_on_different_scales_are_compared_by_scale_position() {
    let scales = ["likert5", "likert5", "likert5", "seven", "seven", "seven"];
    let (_, flags) = import(
        &small_survey(&scales),
        &small_csv(
            6,
            &[
                // The midpoint everywhere: 3 of 1–5 and 4 of 1–7.
                ("mid", "3,3,3,4,4,4"),
                // The same raw code on both scales is not the same answer.
                ("raw", "3,3,3,3,3,3"),
            ],
        ),
        &[],
    );
    assert!(flags["mid"], "{flags:?}");
    assert!(!flags["raw"], "{flags:?}");
}

#[test]
fn irv_max_zero_leaves_a_row_with_one_deviation_unflagged() {
    let rows = [("r1", "4,4,4,4,4,4,4,4,4,5")];
    let survey = small_survey(&["likert5"; 10]);
    let (_, flags) = import(&survey, &small_csv(10, &rows), &[]);
    assert!(flags["r1"]);
    let (_, flags) = import(&survey, &small_csv(10, &rows), &["--irv-max", "0"]);
    assert!(!flags["r1"]);
}
