//! `satkit check`: valid examples pass with the tree printed; each kind of bad survey fails with
//! exit 2 and a `file:line:col` message with a cure.

use crate::util::*;

#[test]
fn every_example_survey_passes_and_prints_effective_weights() {
    let w = Work::new();
    let surveys = surveys();
    assert!(
        surveys.len() >= 4,
        "expected at least four example surveys, found {surveys:?}"
    );
    for p in surveys {
        let r = w.run(&["check", s(&p)]);
        r.ok().stdout_has("effective");
        assert!(
            !r.stderr.contains("warning"),
            "{}: {}",
            p.display(),
            r.stderr
        );
        let j = w.run(&["check", s(&p), "--format", "json"]);
        j.ok();
        let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
        assert_eq!(v["valid"], true);
        // Effective weights of the dimensions sum to 1 when no weights are derived from data.
        let rows = v["summary"]["tree"].as_array().unwrap();
        let dims: Vec<&serde_json::Value> = rows.iter().filter(|r| r["depth"] == 1).collect();
        if dims.iter().all(|d| d["effective_weight"].is_number()) {
            let sum: f64 = dims
                .iter()
                .map(|d| d["effective_weight"].as_f64().unwrap())
                .sum();
            assert!(
                (sum - 1.0).abs() < 1e-9,
                "{}: dimension weights sum to {sum}",
                p.display()
            );
        }
    }
}

#[test]
fn minimal_tree_shows_local_and_effective_weights() {
    let w = Work::new();
    let r = w.run(&[
        "check",
        s(&fixture("surveys/minimal.toml")),
        "--format",
        "json",
    ]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let tree = v["summary"]["tree"].as_array().unwrap();
    let service = tree.iter().find(|n| n["id"] == "service").unwrap();
    assert_eq!(service["local_weight"], 0.6);
    assert_eq!(service["questions"], 2);
}

/// (fixture, line:col in the message, words of the message, words of the cure)
const BAD: &[(&str, &str, &str, &str)] = &[
    (
        "syntax_error.toml",
        ":3:24:",
        "invalid basic string",
        "fix the TOML syntax",
    ),
    (
        "duplicate_id.toml",
        ":14:6:",
        "duplicate id 'q_speed': already used at line 8",
        "rename one of them",
    ),
    (
        "unknown_scale.toml",
        ":11:9:",
        "unknown scale 'likert9'",
        "define [scales.likert9]",
    ),
    (
        "weights_sum.toml",
        ":30:10:",
        "sum to 1.2",
        "divide each by 1.2",
    ),
    (
        "ahp_inconsistent.toml",
        ":30:10:",
        "CR = 2.116",
        "implied ratio",
    ),
    (
        "na_without_code.toml",
        ":15:9:",
        "allows \"not applicable\" (na = true), but its scale 'sat5' has no na_code and the default code 99 is one of its points",
        "add na_code = 999",
    ),
    (
        "role_wrong_type.toml",
        ":30:8:",
        "'q_channel' is of type single and cannot have role \"overall\"",
        "needs a rating or nps question",
    ),
    (
        "role_twice.toml",
        ":25:8:",
        "role \"overall\" is given to both 'q_speed' (line 12, column 8) and 'q_price'",
        "remove it from one of the two",
    ),
    (
        "unknown_topic.toml",
        ":11:9:",
        "topic 'age' is not known",
        "when, where, what, frequency, channel, tier, demographic, contact, other",
    ),
    (
        "max_choices.toml",
        ":13:15:",
        "'p_channel' of type single cannot have max_choices",
        "set type = \"multiple\"",
    ),
    (
        "profile_measures.toml",
        ":13:13:",
        "profile question 'p_expect' has attribute",
        "move the question to [[question]]",
    ),
    (
        "leaf_derive.toml",
        ":31:10:",
        "leaf 'service' has derive = \"entropy\" but no child nodes",
        "move it to the parent",
    ),
    (
        "nps_reverse.toml",
        ":26:6:",
        "NPS question 'q_recommend' cannot be reverse-coded",
        "remove reverse = true",
    ),
    (
        "respondents_twice.toml",
        ":10:25:",
        "[respondents] names column 'rid' twice (first at line 8, column 6)",
        "remove the repeat",
    ),
    (
        "labels_count.toml",
        ":9:10:",
        "3 labels for 7 points (1..7)",
        "two labels to anchor the end points only",
    ),
];

/// One expected diagnostic: (line, column, message, cure).
type Expected = (u64, u64, &'static str, &'static str);

/// Every diagnostic of the fixtures with more than one problem.
const EVERY_ERROR: &[(&str, &[Expected])] = &[
    (
        "role_wrong_type.toml",
        &[
            (
                30,
                8,
                "'q_channel' is of type single and cannot have role \"overall\"",
                "role \"overall\" needs a rating or nps question",
            ),
            (
                37,
                8,
                "'q_complaints' is of type numeric and cannot have role \"complaint\"",
                "role \"complaint\" needs a single or rating question",
            ),
        ],
    ),
    (
        "max_choices.toml",
        &[
            (
                13,
                15,
                "'p_channel' of type single cannot have max_choices",
                "remove it",
            ),
            (
                21,
                15,
                "max_choices = 4 but question 'p_products' has only 3 choices",
                "set max_choices to at most 3",
            ),
        ],
    ),
    (
        "profile_measures.toml",
        &[
            (
                13,
                13,
                "has attribute = \"staff\"; expectation/perception/importance pairs belong in the body",
                "remove attribute",
            ),
            (
                14,
                12,
                "has measures = \"expectation\"; expectation/perception/importance pairs belong in the body",
                "remove measures",
            ),
        ],
    ),
    (
        "leaf_derive.toml",
        &[
            (
                31,
                10,
                "leaf 'service' has derive = \"entropy\" but no child nodes to weight",
                "remove derive",
            ),
            (
                37,
                11,
                "leaf 'price' has weights = \"equal\" but no child nodes to weight",
                "remove weights",
            ),
        ],
    ),
    (
        "respondents_twice.toml",
        &[
            (
                10,
                25,
                "names column 'rid' twice (first at line 8, column 6)",
                "remove the repeat",
            ),
            (
                10,
                32,
                "names column 'region' twice (first at line 10, column 15)",
                "remove the repeat",
            ),
        ],
    ),
];

#[test]
fn each_problem_of_a_survey_is_reported_with_its_own_location_and_cure() {
    let w = Work::new();
    for (file, expected) in EVERY_ERROR {
        let r = w.run(&[
            "check",
            s(&fixture(&format!("surveys/{file}"))),
            "--format",
            "json",
        ]);
        r.code(2);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let diags = v["diagnostics"].as_array().unwrap();
        assert_eq!(diags.len(), expected.len(), "{file}: {diags:#?}");
        for (d, (line, col, message, cure)) in diags.iter().zip(expected.iter()) {
            assert_eq!(d["severity"], "error", "{file}: {d}");
            assert_eq!(
                (d["line"].as_u64(), d["column"].as_u64()),
                (Some(*line), Some(*col)),
                "{file}: {d}"
            );
            assert!(
                d["message"].as_str().unwrap().contains(message),
                "{file}: {d}"
            );
            assert!(d["help"].as_str().unwrap().contains(cure), "{file}: {d}");
        }
    }
}

/// Two labels on a longer scale anchor its end points; the points between stay unlabelled.
#[test]
fn two_labels_anchor_the_end_points_of_a_longer_scale() {
    let w = Work::new();
    let survey = fixture("surveys/endpoint_labels.toml");
    let r = w.run(&["check", s(&survey)]);
    r.ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // The anchors code to the end points and nothing else has a label.
    w.write(
        "r.csv",
        "q_speed,q_staff,q_price\nVery easy,Very difficult,4\nVery hard,,7\n",
    );
    w.run(&[
        "import",
        s(&survey),
        "r.csv",
        "-o",
        "out.csv",
        "--rejects",
        "rej.csv",
    ])
    .ok();
    let out = w.read("out.csv");
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[1].starts_with("7,1,4,"), "{out}");
    assert!(rows[2].starts_with(",,7,"), "{out}");
    let rej = w.read("rej.csv");
    assert!(
        rej.lines()
            .any(|l| l
                .ends_with(",use a code 1..7 or one of the labels: Very difficult / Very easy")),
        "no empty labels in the hint: {rej}"
    );
    // The questionnaire shows the anchors at the ends and bare codes between.
    w.run(&["build", s(&survey), "--to", "markdown", "-o", "q.md"])
        .ok();
    assert!(
        w.read("q.md")
            .contains("☐ 1 Very difficult　☐ 2　☐ 3　☐ 4　☐ 5　☐ 6　☐ 7 Very easy")
    );
}

#[test]
fn bad_surveys_fail_with_location_and_cure() {
    let w = Work::new();
    for (file, at, message, cure) in BAD {
        let path = fixture(&format!("surveys/{file}"));
        let r = w.run(&["check", s(&path)]);
        r.code(2)
            .stderr_has(&format!("{file}{at} error"))
            .stderr_has(message)
            .stderr_has(cure);
        assert!(
            r.stdout.is_empty(),
            "{file}: nothing on stdout for an invalid survey"
        );
    }
}

#[test]
fn ahp_failure_names_most_inconsistent_pair() {
    let w = Work::new();
    let r = w.run(&[
        "check",
        s(&fixture("surveys/ahp_inconsistent.toml")),
        "--format",
        "json",
    ]);
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
    w.run(&["check", "nope.toml"])
        .code(2)
        .stderr_has("nope.toml");
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
    w.run(&["new", "basic-zh"])
        .code(2)
        .stderr_has("already exists");
}

#[test]
fn na_without_a_code_falls_back_to_99_and_the_language_label() {
    // docs/survey-format.md: `na = true` on a scale without na_code offers 99 and "Not
    // applicable" / "不适用"; check, the questionnaire, the codebook and import agree.
    let w = Work::new();
    let survey = fixture("surveys/na_default_code.toml");
    w.run(&["check", s(&survey)]).ok();
    let md = w.run(&["build", s(&survey), "--to", "markdown"]);
    md.ok();
    assert!(md.stdout.contains("Not applicable"), "{}", md.stdout);
    let book = w.run(&["build", s(&survey), "--to", "codebook"]);
    book.ok();
    let staff = (book.stdout.lines())
        .find(|l| l.starts_with("q_staff"))
        .expect("q_staff in the codebook");
    assert!(staff.contains("99"), "{staff}");
    let data = w.write("na.csv", "q_speed,q_staff,q_price\n4,99,3\n5,4,4\n99,3,2\n");
    let out = w.path("clean.csv");
    let r = w.run(&[
        "import",
        s(&survey),
        s(&data),
        "-o",
        s(&out),
        "--format",
        "json",
    ]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // The scale now has the code 99, so as with an explicit na_code it means "not applicable"
    // on every question of the scale (q_speed's too); nothing is invalid.
    assert_eq!(v["cells_not_applicable"], 2, "{}", r.stdout);
    assert_eq!(v["cells_set_missing"], 0, "{}", r.stdout);
    assert_eq!(v["problems"], 0, "{}", r.stdout);
}
