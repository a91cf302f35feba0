//! `satkit plan` (issue 7): Cochran's sample size with the finite population correction,
//! invitations from the response rate, and allocation across strata.
//!
//! Reference values: n0 = z²p(1−p)/e² with z = 1.959964 (95 %), p = 0.5, e = 0.05 gives
//! n0 = 384.146 (Cochran 1977, eq. 4.2); n = n0/(1 + (n0 − 1)/N): N = 1000 → 277.7 → 278,
//! N = 10000 → 369.97 → 370, N = 500 → 217.5 → 218; no N → 385. e = 0.03: n0 = 1067.07 → 1068.
//! These agree with the tables in Krejcie & Morgan (1970) to within one (they use χ² = 3.841).

use serde::Deserialize;

use crate::util::*;

#[derive(Debug, Deserialize)]
struct Report {
    population: Option<u64>,
    margin: f64,
    confidence: f64,
    n0: f64,
    sample_size: u64,
    invitations: Option<u64>,
    strata: Vec<Stratum>,
    sources: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct Stratum {
    name: String,
    population: u64,
    sample: u64,
    invitations: Option<u64>,
}

/// Tolerance for n0 against the hand-computed reference.
const N0_TOLERANCE: f64 = 0.01;

fn plan(w: &Work, args: &[&str]) -> Report {
    let mut all = vec!["plan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let r = w.run(&all);
    r.ok();
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

#[test]
fn known_sample_sizes() {
    let w = Work::new();
    // (arguments, n0, required completes)
    let cases: &[(&[&str], f64, u64)] = &[
        (
            &[
                "--population",
                "1000",
                "--margin",
                "0.05",
                "--confidence",
                "0.95",
            ],
            384.146,
            278,
        ),
        (
            &[
                "--population",
                "10000",
                "--margin",
                "0.05",
                "--confidence",
                "0.95",
            ],
            384.146,
            370,
        ),
        (&["--margin", "0.05"], 384.146, 385),
        (&["--population", "500", "--margin", "0.05"], 384.146, 218),
        (&["--margin", "0.03"], 1067.07, 1068),
        (&["--margin", "0.05", "--proportion", "0.2"], 245.85, 246),
    ];
    for (args, n0, n) in cases {
        let r = plan(&w, args);
        assert!((r.n0 - n0).abs() < N0_TOLERANCE, "{args:?}: n0 = {}", r.n0);
        assert_eq!(r.sample_size, *n, "{args:?}");
    }
    let text = w.run(&["plan", "--population", "1000", "--margin", "0.05"]);
    text.ok().stdout_has("completed sample      278");
}

#[test]
fn invitations_and_strata() {
    let w = Work::new();
    let r = plan(
        &w,
        &[
            "--population",
            "2000",
            "--margin",
            "0.05",
            "--response-rate",
            "0.3",
            "--strata",
            "north=1200,south=800",
        ],
    );
    assert_eq!(r.sample_size, 323);
    assert_eq!(r.invitations, Some(1077), "⌈323 / 0.3⌉");
    let total: u64 = r.strata.iter().map(|s| s.sample).sum();
    assert_eq!(
        total, r.sample_size,
        "largest-remainder rounding adds up to n"
    );
    // 323 × 0.6 = 193.8 and 323 × 0.4 = 129.2: the larger remainder gets the extra unit.
    assert_eq!(
        (
            r.strata[0].name.as_str(),
            r.strata[0].population,
            r.strata[0].sample
        ),
        ("north", 1200, 194)
    );
    assert_eq!(r.strata[1].sample, 129);
    assert_eq!(r.strata[0].invitations, Some(647));
    // Without --population, N is the sum of the strata.
    let r = plan(
        &w,
        &[
            "--margin",
            "0.05",
            "--strata",
            "a=600,b=300,c=100",
            "--allocation",
            "equal",
        ],
    );
    assert_eq!(r.population, Some(1000));
    assert_eq!(r.sources["population"], "strata");
    assert_eq!(
        r.strata.iter().map(|s| s.sample).collect::<Vec<_>>(),
        vec![93, 93, 92]
    );
}

#[test]
fn survey_plan_supplies_defaults_and_the_command_line_wins() {
    let w = Work::new();
    let b2b = repo().join("surveys/b2b-platform/survey.toml");
    // [plan]: population_size 12000, margin 0.05, confidence 0.95, response_rate 0.3.
    let r = plan(&w, &["--survey", s(&b2b)]);
    assert_eq!(
        (r.population, r.margin, r.confidence),
        (Some(12000), 0.05, 0.95)
    );
    assert_eq!(r.sample_size, 373);
    assert_eq!(r.invitations, Some(1244));
    assert_eq!(r.sources["margin"], "survey");
    let r = plan(&w, &["--survey", s(&b2b), "--margin", "0.04"]);
    assert_eq!(r.sources["margin"], "command_line");
    assert_eq!(r.sample_size, 572, "n0 = 600.23, n = 571.68");
}

#[test]
fn bad_input_is_exit_2_with_a_cure() {
    let w = Work::new();
    w.run(&["plan", "--margin", "5"])
        .code(2)
        .stderr_has("strictly between 0 and 1")
        .stderr_has("--margin 0.05");
    w.run(&["plan", "--population", "100"])
        .code(2)
        .stderr_has("no margin of error");
    w.run(&["plan", "--margin", "0.05", "--strata", "north"])
        .code(2)
        .stderr_has("stratum 'north' has no size");
    w.run(&["plan", "--margin", "0.05", "--response-rate", "1.5"])
        .code(2)
        .stderr_has("response-rate");
    w.run(&["plan", "--survey", s(&fixture("surveys/syntax_error.toml"))])
        .code(2)
        .stderr_has("syntax_error.toml:3:24");
}

/// Issue 13: strata sizes whose sum does not fit in a u64 used to wrap silently (or panic in a
/// debug build); now they are a usage error naming the limit and the cure.
#[test]
fn issue_13_strata_sizes_that_overflow_are_exit_2() {
    let w = Work::new();
    w.run(&[
        "plan",
        "--strata",
        "a=18446744073709551615,b=2",
        "--margin",
        "0.05",
    ])
    .code(2)
    .stderr_has("the strata sizes add up to more than 18446744073709551615")
    .stderr_has("at stratum 'b'")
    .stderr_has("--strata north=1200,south=800");
}

/// Issue 13: a margin so small that e² underflows gave an infinite n0 and a saturated (or, with
/// a population, NaN → 1) sample size; now it is a usage error with the cure.
#[test]
fn issue_13_a_vanishing_margin_is_exit_2() {
    let w = Work::new();
    for args in [
        &["plan", "--margin", "1e-300"][..],
        &["plan", "--margin", "1e-300", "--population", "1000"][..],
        &["plan", "--margin", "1e-10"][..],
    ] {
        w.run(args)
            .code(2)
            .stderr_has("completed questionnaires")
            .stderr_has("--margin 0.05 for ±5 %");
    }
    w.run(&["plan", "--margin", "1e-300"])
        .code(2)
        .stderr_has("--margin is 1e-300");
    w.run(&["plan", "--margin", "0.05", "--response-rate", "1e-300"])
        .code(2)
        .stderr_has("--response-rate is 1e-300")
        .stderr_has("--response-rate 0.3");
    // A tiny margin with a known population is a census, not an error.
    let r = plan(&w, &["--margin", "1e-10", "--population", "1000"]);
    assert_eq!(r.sample_size, 1000);
}
