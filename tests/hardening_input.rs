//! Issue 14, input bounds: everything a survey file, a response file or a flag can say is bounded
//! where it is read, and each violation is a located error with a cure and exit 2, so no later
//! stage (the questionnaire renderer, the frequency tables, Σw², the sample size) meets it.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;

/// The import tests' survey: scale `sat5` at line 17 (`points = [1, 5]`), a weight column.
fn import_survey() -> String {
    std::fs::read_to_string(fixture("import/survey.toml")).unwrap()
}

fn labels_csv() -> PathBuf {
    fixture("import/labels.csv")
}

/// The import survey with the points (and labels) of `sat5` replaced by `points`.
fn survey_with_points(w: &Work, points: &str) -> PathBuf {
    let text = import_survey().replace(
        "points = [1, 5]\nlabels = [\"非常不满意\", \"不满意\", \"一般\", \"满意\", \"非常满意\"]",
        &format!("points = {points}"),
    );
    assert!(text.contains(points));
    w.write("s.toml", text)
}

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

const HUGE: &str = "[-9223372036854775808, 9223372036854775807]";

#[test]
fn huge_scale_range_is_a_located_error_in_check() {
    let w = Work::new();
    survey_with_points(&w, HUGE);
    let r = w.run(&["check", "s.toml"]);
    r.code(2)
        .stderr_has("s.toml:17:10: error: points [-9223372036854775808, 9223372036854775807] lie outside the codes a scale may use")
        .stderr_has("help: code the answers with small whole numbers")
        .stderr_has("1 error(s)");
    // The questions on the refused scale are not reported again as using an unknown scale.
    assert!(!r.stderr.contains("unknown scale"), "{}", r.stderr);
}

#[test]
fn huge_scale_range_is_a_located_error_in_build() {
    let w = Work::new();
    survey_with_points(&w, HUGE);
    for to in ["markdown", "codebook", "template"] {
        w.run(&["build", "s.toml", "--to", to])
            .code(2)
            .stderr_has("s.toml:17:10");
    }
}

#[test]
fn huge_scale_range_is_a_located_error_in_analyze() {
    let w = Work::new();
    survey_with_points(&w, HUGE);
    w.run(&["analyze", "s.toml", s(&labels_csv()), "-o", "out"])
        .code(2)
        .stderr_has("s.toml:17:10");
    assert!(!w.path("out/results.json").exists());
}

#[test]
fn scale_of_a_hundred_million_points_is_refused_before_build_allocates() {
    let w = Work::new();
    survey_with_points(&w, "[1, 100000000]");
    w.run(&["build", "s.toml", "--to", "markdown"])
        .code(2)
        .stderr_has("s.toml:17:10: error: points [1, 100000000]");
    w.run(&["analyze", "s.toml", s(&labels_csv()), "-o", "out"])
        .code(2)
        .stderr_has("s.toml:17:10");
}

#[test]
fn scale_of_more_than_101_points_is_a_located_error() {
    let w = Work::new();
    survey_with_points(&w, "[1, 500]");
    w.run(&["check", "s.toml"]).code(2).stderr_has(
        "s.toml:17:10: error: points [1, 500] make a scale of 500 points; a scale has at most 101",
    );
    // The widest scale allowed passes its own bound (its na_code 99 then lies inside it).
    survey_with_points(&w, "[0, 100]");
    let r = w.run(&["check", "s.toml"]);
    r.code(2)
        .stderr_has("na_code 99 lies inside the scale 0..100")
        .stderr_has("help: choose a code outside the scale, e.g. na_code = 999");
    assert!(!r.stderr.contains("at most 101"), "{}", r.stderr);
}

#[test]
fn na_code_beyond_the_code_bound_is_a_located_error() {
    let w = Work::new();
    w.write(
        "s.toml",
        import_survey().replace("na_code = 99", "na_code = 9223372036854775807"),
    );
    w.run(&["check", "s.toml"]).code(2).stderr_has(
        "s.toml:19:11: error: na_code 9223372036854775807 lies outside the codes a scale may use",
    );
}

/// The import survey with a chain of `levels` nodes under `[tree]` in place of its tree.
fn deep_tree(levels: usize) -> String {
    let text = import_survey();
    let mut out = text[..text.find("[tree]").unwrap()].to_string();
    out.push_str("[tree]\nname = \"root\"\n");
    let mut path = String::from("tree");
    for i in 0..levels {
        path.push_str(&format!(".n{i}"));
        out.push_str(&format!("\n[{path}]\nname = \"n{i}\"\n"));
    }
    out.push_str("questions = [\"q_s1\", \"q_s2\", \"q_s3\", \"q_s4\", \"q_price\"]\n");
    out
}

#[test]
fn tree_deeper_than_32_levels_is_a_located_error() {
    let w = Work::new();
    w.write("ok.toml", deep_tree(32));
    w.run(&["check", "ok.toml"]).ok();
    let text = deep_tree(33);
    let line = text.lines().position(|l| l.ends_with(".n32]")).unwrap() + 1;
    w.write("deep.toml", &text);
    w.run(&["check", "deep.toml"])
        .code(2)
        .stderr_has(&format!("deep.toml:{line}:"))
        .stderr_has("this tree node is at level 33 below [tree]; a tree has at most 32 levels")
        .stderr_has("help: flatten the tree");
}

#[test]
fn tree_past_the_toml_nesting_limit_is_located_not_a_syntax_error_at_1_1() {
    let w = Work::new();
    let text = deep_tree(120);
    w.write("deep.toml", &text);
    let r = w.run(&["check", "deep.toml"]);
    r.code(2)
        .stderr_has("this key path has more than 80 parts")
        .stderr_has("help: flatten the tree");
    assert!(!r.stderr.contains("deep.toml:1:1"), "{}", r.stderr);
    assert!(!r.stderr.contains("fix the TOML syntax"), "{}", r.stderr);
}

#[test]
fn overlong_string_in_a_survey_is_a_located_error() {
    let w = Work::new();
    let long = "很".repeat(10_001);
    w.write("s.toml", import_survey().replace("您还有什么建议？", &long));
    w.run(&["check", "s.toml"])
        .code(2)
        .stderr_has("this string has 10001 characters; a survey string has at most 10000");
}

#[test]
fn overlong_list_in_a_survey_is_a_located_error() {
    let w = Work::new();
    let choices: Vec<String> = (0..10_001).map(|i| format!("\"c{i}\"")).collect();
    w.write(
        "s.toml",
        import_survey().replace(
            "choices = [\"门店\", \"线上\", \"电话\"]",
            &format!("choices = [{}]", choices.join(", ")),
        ),
    );
    w.run(&["check", "s.toml"]).code(2).stderr_has(
        "s.toml:27:11: error: this list has 10001 entries; a survey list has at most 10000",
    );
}

#[test]
fn plan_strata_that_overflow_are_an_error_not_a_population_of_one() {
    let w = Work::new();
    w.run(&[
        "plan",
        "--margin",
        "0.05",
        "--strata",
        "a=18446744073709551615,b=2",
    ])
    .code(2)
    .stderr_has("the strata sizes add up to more than 18446744073709551615");
}

#[test]
fn plan_tiny_margin_is_an_error_not_a_sample_of_u64_max() {
    let w = Work::new();
    let r = w.run(&["plan", "--margin", "1e-300"]);
    r.code(2).stderr_has("--margin is 1e-300");
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn plan_confidence_too_close_to_one_names_confidence() {
    let w = Work::new();
    w.run(&[
        "plan",
        "--margin",
        "0.05",
        "--confidence",
        "0.9999999999999999",
    ])
    .code(2)
    .stderr_has("--confidence is 0.9999999999999999")
    .stderr_has("help: give the confidence level as a fraction below 1");
}

#[test]
fn utf16_without_bom_is_named_not_reported_as_missing_columns() {
    let w = Work::new();
    let text = std::fs::read_to_string(labels_csv()).unwrap();
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    w.write("u16.csv", bytes);
    let survey = fixture("import/survey.toml");
    let r = w.run(&["import", s(&survey), "u16.csv", "-o", "out.parquet"]);
    r.code(2)
        .stderr_has("u16.csv: looks like UTF-16 (little-endian) without a byte-order mark")
        .stderr_has("save it as UTF-8");
    assert!(!r.stderr.contains("lacks"), "{}", r.stderr);
}

#[test]
fn sample_size_above_population_size_is_a_located_error() {
    let w = Work::new();
    w.write(
        "s.toml",
        import_survey().replace(
            "[respondents]",
            "[plan]\nsample_size = 500\npopulation_size = 100\nmargin = 0.05\n\n[respondents]",
        ),
    );
    let r = w.run(&["check", "s.toml"]);
    r.code(2)
        .stderr_has("s.toml:11:15: error: sample_size 500 is larger than population_size 100")
        .stderr_has("help: set sample_size to at most 100");
    assert!(!r.stdout.contains("meets the target"), "{}", r.stdout);
}

#[test]
fn negative_min_duration_is_an_error_in_import_and_analyze() {
    let w = Work::new();
    let survey = fixture("import/survey.toml");
    let data = labels_csv();
    w.run(&[
        "import",
        s(&survey),
        s(&data),
        "-o",
        "out.parquet",
        "--min-duration=-5",
    ])
    .code(2)
    .stderr_has("--min-duration -5 is not a number of seconds ≥ 0");
    w.run(&[
        "analyze",
        s(&survey),
        s(&data),
        "-o",
        "out",
        "--min-duration=-5",
    ])
    .code(2)
    .stderr_has("--min-duration -5");
}

/// Run satkit and kill it after `limit`: `None` when it had to be killed (it blocked).
fn run_or_kill(w: &Work, args: &[&str], limit: Duration) -> Option<Run> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_satkit"))
        .args(args)
        .current_dir(w.dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn satkit");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            let out = child.wait_with_output().expect("output");
            return Some(Run {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                raw_stdout: out.stdout,
            });
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn fifo_inputs_are_refused_without_blocking() {
    let w = Work::new();
    let fifo = w.path("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let survey = fixture("import/survey.toml");
    let data = labels_csv();
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "pipe"],
        vec!["build", "pipe", "--to", "markdown"],
        vec!["import", s(&survey), "pipe", "-o", "o.parquet"],
        vec![
            "import",
            s(&survey),
            s(&data),
            "--map",
            "pipe",
            "-o",
            "o.parquet",
        ],
        vec![
            "analyze",
            s(&survey),
            s(&data),
            "-o",
            "out",
            "--baseline",
            "pipe",
        ],
        vec!["lint", "--rules", "pipe", s(&survey)],
        vec!["grade", "--rubric", "pipe", s(&survey)],
        vec!["report", "pipe", "-o", "rep"],
        vec!["batch", "pipe"],
    ];
    for args in cases {
        let r = run_or_kill(&w, &args, Duration::from_secs(20))
            .unwrap_or_else(|| panic!("satkit {args:?} blocked on a FIFO"));
        r.code(2)
            .stderr_has("pipe: is a FIFO (named pipe), not a regular file")
            .stderr_has("help: give the path of a regular file");
    }
}

#[test]
fn a_directory_as_input_is_refused_by_name() {
    let w = Work::new();
    std::fs::create_dir(w.path("dir.toml")).unwrap();
    w.run(&["check", "dir.toml"])
        .code(2)
        .stderr_has("dir.toml: is a directory, not a regular file");
}

/// `labels.csv` with the weight column of the first rows replaced.
fn with_weights(w: &Work, weights: &[&str]) -> PathBuf {
    let text = std::fs::read_to_string(labels_csv()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let col = lines[0].split(',').position(|h| h == "weight").unwrap();
    for (line, weight) in lines.iter_mut().skip(1).zip(weights) {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[col] = weight;
        *line = cells.join(",");
    }
    w.write("w.csv", lines.join("\n") + "\n")
}

#[test]
fn huge_weight_is_a_located_error_not_a_null_index() {
    let w = Work::new();
    with_weights(&w, &["1e308"]);
    let survey = fixture("import/survey.toml");
    w.run(&["analyze", s(&survey), "w.csv", "-o", "out"])
        .code(2)
        .stderr_has("w.csv:2: column 'weight': weight '1e308' is not a positive number of at most 1e6 (respondent 'r1')");
    assert!(!w.path("out/results.json").exists());
}

#[test]
fn zero_negative_and_nan_weights_are_located_errors_not_weight_one() {
    let w = Work::new();
    let survey = fixture("import/survey.toml");
    with_weights(&w, &["1", "-2"]);
    w.run(&[
        "analyze",
        s(&survey),
        "w.csv",
        "-o",
        "out",
        "--weight",
        "weight",
    ])
    .code(2)
    .stderr_has("w.csv:3: column 'weight': weight '-2'")
    .stderr_has("help: fix the weight, or drop such rows with --on-invalid drop-row");
    with_weights(&w, &["1", "NaN"]);
    w.run(&[
        "analyze",
        s(&survey),
        "w.csv",
        "-o",
        "out",
        "--weight",
        "weight",
    ])
    .code(2)
    .stderr_has("w.csv:3: column 'weight': weight 'NaN'");
    with_weights(&w, &["0"; 100]);
    w.run(&["analyze", s(&survey), "w.csv", "-o", "out"])
        .code(2)
        .stderr_has("w.csv:2: column 'weight': weight '0'");
    w.run(&["import", s(&survey), "w.csv", "-o", "o.parquet"])
        .code(2)
        .stderr_has("weight '0'");
}

#[test]
fn invalid_weights_dropped_with_drop_row_are_counted() {
    let w = Work::new();
    let survey = fixture("import/survey.toml");
    with_weights(&w, &["1", "0"]);
    let r = w.run(&[
        "import",
        s(&survey),
        "w.csv",
        "-o",
        "o.parquet",
        "--on-invalid",
        "drop-row",
        "--format",
        "json",
    ]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["problems_by_rule"]["invalid_weight"], 1, "{v}");
    assert!(v["rows_dropped"].as_u64().unwrap() >= 1, "{v}");
}

#[test]
fn key_path_past_the_toml_limit_is_located_in_rules_rubric_batch_and_map_files() {
    let w = Work::new();
    let key: Vec<String> = (0..90).map(|i| format!("k{i}")).collect();
    w.write("deep.toml", format!("a = 1\n[{}]\nb = 2\n", key.join(".")));
    let survey = fixture("import/survey.toml");
    let data = labels_csv();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["lint", "--rules", "deep.toml", s(&survey)],
            "deep.toml:2:1:",
        ),
        (
            vec!["grade", "--rubric", "deep.toml", s(&survey)],
            "deep.toml:2:",
        ),
        (vec!["batch", "deep.toml"], "deep.toml:2:1:"),
        (
            vec![
                "import",
                s(&survey),
                s(&data),
                "--map",
                "deep.toml",
                "-o",
                "o.parquet",
            ],
            "deep.toml:2:",
        ),
    ];
    for (args, at) in cases {
        let r = w.run(&args);
        r.code(2)
            .stderr_has(at)
            .stderr_has("this key path has more than 80 parts");
        assert!(!r.stderr.contains("recursion limit"), "{}", r.stderr);
    }
}

#[test]
fn multiple_choice_question_with_more_than_63_choices_is_a_located_error() {
    // Its answers are a 64-bit set of the codes 1..=63: a 64th choice could never be recorded.
    let w = Work::new();
    let choices: Vec<String> = (0..64).map(|i| format!("\"c{i}\"")).collect();
    let list = format!("choices = [{}]", choices.join(", "));
    w.write(
        "s.toml",
        import_survey().replace("choices = [\"图书\", \"文具\", \"咖啡\"]", &list),
    );
    w.run(&["check", "s.toml"]).code(2).stderr_has(
        "s.toml:34:11: error: multiple-choice question 'q_buy' has 64 choices; one has at most 63",
    );
}

#[test]
fn numeric_bounds_that_are_not_finite_are_located_errors() {
    let w = Work::new();
    w.write(
        "s.toml",
        import_survey()
            .replace("min = 18", "min = nan")
            .replace("max = 99", "max = inf"),
    );
    w.run(&["check", "s.toml"])
        .code(2)
        .stderr_has(
            "s.toml:42:7: error: question 'q_age': min NaN is not a finite number within ±1e15",
        )
        .stderr_has(
            "s.toml:43:7: error: question 'q_age': max inf is not a finite number within ±1e15",
        );
}

#[test]
fn simulate_with_more_respondents_than_the_stated_maximum_is_an_error_not_an_abort() {
    let w = Work::new();
    let survey = fixture("import/survey.toml");
    for n in ["18446744073709551615", "1000001"] {
        w.run(&[
            "simulate",
            s(&survey),
            "-n",
            n,
            "--seed",
            "1",
            "-o",
            "sim.csv",
        ])
        .code(2)
        .stderr_has("is more respondents than one simulation generates (at most 1000000)");
    }
    assert!(!w.path("sim.csv").exists());
}

#[test]
fn utf16_survey_and_rules_files_are_named_as_utf16() {
    let w = Work::new();
    let text = std::fs::read_to_string(fixture("surveys/minimal.toml")).unwrap();
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    w.write("s16.toml", &bytes);
    w.run(&["check", "s16.toml"])
        .code(2)
        .stderr_has("it looks like UTF-16 without a byte-order mark")
        .stderr_has("help: save the survey file as UTF-8");
    let survey = fixture("import/survey.toml");
    w.run(&["lint", "--rules", "s16.toml", s(&survey)])
        .code(2)
        .stderr_has("s16.toml: is not UTF-8: it looks like UTF-16 (little-endian)");
}

#[test]
fn an_overlong_string_is_reported_with_the_other_errors_of_the_file() {
    let w = Work::new();
    let long = "x".repeat(10_001);
    w.write(
        "s.toml",
        import_survey()
            .replace("您还有什么建议？", &long)
            .replace("min = 18", "min = nan"),
    );
    w.run(&["check", "s.toml"])
        .code(2)
        .stderr_has("this string has 10001 characters")
        .stderr_has("min NaN is not a finite number within ±1e15")
        .stderr_has("2 error(s)");
}

#[test]
fn numeric_answer_beyond_the_stated_bound_is_out_of_range_without_min_or_max() {
    let w = Work::new();
    w.write(
        "s.toml",
        import_survey()
            .replace("min = 18\n", "")
            .replace("max = 99\n", ""),
    );
    let text = std::fs::read_to_string(labels_csv()).unwrap();
    w.write("n.csv", text.replacen(",34,", ",1e308,", 1));
    let r = w.run(&[
        "import",
        "s.toml",
        "n.csv",
        "-o",
        "o.parquet",
        "--on-invalid",
        "fail",
    ]);
    r.code(2).stderr_has(
        "n.csv:2: column 'q_age': 1e308 is outside -1000000000000000..1000000000000000",
    );
}
