//! Issue 14, the report helper's items: a crafted results.json is a located error in `report`,
//! `compare` and `analyze --baseline` alike (bounds and schema versions checked where the file is
//! read, nothing written); links satkit writes are relative and percent-encoded; every CSV written
//! for people has its formula cells neutralised.

use serde_json::Value;

use crate::util::*;

const SURVEY: &str = "report/survey.toml";
const DATA: &str = "report/responses.csv";

/// A work directory with `out/results.json` from the report fixture, and that document parsed.
fn analysed() -> (Work, Value) {
    let w = Work::new();
    w.run(&[
        "analyze",
        s(&fixture(SURVEY)),
        s(&fixture(DATA)),
        "-o",
        "out",
        "--no-report",
    ])
    .ok();
    let v = serde_json::from_str(&w.read("out/results.json")).expect("results.json parses");
    (w, v)
}

/// Write `doc` changed by `edit` to `name` (pretty-printed, so a line:col points at one field).
fn crafted(w: &Work, doc: &Value, name: &str, edit: impl FnOnce(&mut Value)) {
    let mut d = doc.clone();
    edit(&mut d);
    w.write(name, serde_json::to_string_pretty(&d).unwrap());
}

/// The line (1-based) of the first line of `name` that contains `needle`.
fn line_of(w: &Work, name: &str, needle: &str) -> usize {
    w.read(name)
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle in file")
        + 1
}

/// `satkit report` refuses `name` with exit 2, naming `json_path`, and writes nothing.
fn report_refuses(w: &Work, name: &str, json_path: &str) -> Run {
    let r = w.run(&["report", name, "-o", "rendered"]);
    r.code(2)
        .stderr_has(&format!("{name}:"))
        .stderr_has(json_path)
        .stderr_has("= help:");
    assert!(
        !w.path("rendered").exists(),
        "report wrote output for {name}"
    );
    r
}

#[test]
fn scale_min_max_of_2_pow_62_in_results_is_a_located_error_not_a_chart_panic() {
    let (w, doc) = analysed();
    for (field, value) in [("min", -(1i64 << 62)), ("max", 1i64 << 62)] {
        let name = format!("{field}.json");
        crafted(&w, &doc, &name, |d| {
            d["items"][0][field] = Value::from(value)
        });
        let line = line_of(&w, &name, &format!("\"{field}\": {value}"));
        report_refuses(&w, &name, &format!("items[0].{field}"))
            .stderr_has(&format!("{name}:{line}:"))
            .stderr_has("2^53");
    }
}

#[test]
fn node_depth_of_2_pow_64_minus_1_is_a_located_error_and_leaves_no_tables_or_charts() {
    let (w, doc) = analysed();
    crafted(&w, &doc, "deep.json", |d| {
        d["index"]["nodes"][1]["depth"] = Value::from(u64::MAX);
    });
    let line = line_of(&w, "deep.json", "18446744073709551615");
    report_refuses(&w, "deep.json", "index.nodes[1].depth")
        .stderr_has(&format!("deep.json:{line}:"));
}

#[test]
fn depth_or_scale_max_of_2_pow_32_is_a_located_error_not_an_abort() {
    let (w, doc) = analysed();
    crafted(&w, &doc, "depth.json", |d| {
        d["index"]["nodes"][1]["depth"] = Value::from(1u64 << 32);
    });
    report_refuses(&w, "depth.json", "index.nodes[1].depth")
        .stderr_has("at most 32 deep")
        .stderr_has("expected 1");
    crafted(&w, &doc, "max.json", |d| {
        d["items"][0]["max"] = Value::from(1u64 << 32);
    });
    report_refuses(&w, "max.json", "items[0].max").stderr_has("at most 101 points");
}

#[test]
fn depth_or_scale_max_of_1e8_is_refused_at_once_not_rendered_for_seconds() {
    let (w, doc) = analysed();
    for (name, path, edit) in [
        (
            "depth.json",
            "index.nodes[1].depth",
            &(|d: &mut Value| d["index"]["nodes"][1]["depth"] = Value::from(100_000_000))
                as &dyn Fn(&mut Value),
        ),
        ("max.json", "items[0].max", &|d: &mut Value| {
            d["items"][0]["max"] = Value::from(100_000_000)
        }),
    ] {
        crafted(&w, &doc, name, edit);
        let start = std::time::Instant::now();
        report_refuses(&w, name, path);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{name} took {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn a_node_whose_parent_is_not_an_earlier_node_is_a_located_error() {
    let (w, doc) = analysed();
    crafted(&w, &doc, "orphan.json", |d| {
        d["index"]["nodes"][1]["parent"] = Value::from("nowhere");
    });
    report_refuses(&w, "orphan.json", "index.nodes[1].parent").stderr_has("'nowhere'");
}

#[test]
fn huge_finite_numbers_in_results_render_without_overflow() {
    // Every number of the document at ±1e300: JSON allows it, so the charts must draw it
    // without an arithmetic overflow (it panicked in the PNG text raster at −1e15 and below).
    fn set_floats(v: &mut Value, x: f64) {
        match v {
            Value::Number(n) if n.is_f64() => *v = Value::from(x),
            Value::Array(a) => a.iter_mut().for_each(|e| set_floats(e, x)),
            Value::Object(m) => m.values_mut().for_each(|e| set_floats(e, x)),
            _ => {}
        }
    }
    let (w, doc) = analysed();
    for (name, x) in [("neg.json", -1e300), ("pos.json", 1e300)] {
        crafted(&w, &doc, name, |d| set_floats(d, x));
        w.run(&["report", name, "-o", &format!("r-{name}")]).ok();
    }
}

#[test]
fn compare_and_baseline_apply_the_same_bounds_as_report() {
    let (w, doc) = analysed();
    crafted(&w, &doc, "deep.json", |d| {
        d["index"]["nodes"][1]["depth"] = Value::from(1u64 << 32);
    });
    w.run(&["compare", "out/results.json", "deep.json"])
        .code(2)
        .stderr_has("deep.json:")
        .stderr_has("index.nodes[1].depth");
    w.run(&[
        "analyze",
        s(&fixture(SURVEY)),
        s(&fixture(DATA)),
        "-o",
        "out2",
        "--baseline",
        "deep.json",
        "--fail-drop",
        "5",
    ])
    .code(2)
    .stderr_has("deep.json:")
    .stderr_has("index.nodes[1].depth");
    assert!(!w.path("out2").exists());
}

#[test]
fn compare_and_baseline_refuse_schema_version_banana_as_report_does_naming_the_set() {
    let (w, doc) = analysed();
    crafted(&w, &doc, "banana.json", |d| {
        d["schema_version"] = Value::from("banana");
    });
    let line = line_of(&w, "banana.json", "\"schema_version\"");
    let located = format!("banana.json:{line}:");
    let set = "reads results schema 1.MINOR.PATCH";
    w.run(&["report", "banana.json", "-o", "r"])
        .code(2)
        .stderr_has(&located)
        .stderr_has(set);
    w.run(&["compare", "out/results.json", "banana.json"])
        .code(2)
        .stderr_has(&located)
        .stderr_has(set);
    w.run(&[
        "analyze",
        s(&fixture(SURVEY)),
        s(&fixture(DATA)),
        "-o",
        "out2",
        "--baseline",
        "banana.json",
    ])
    .code(2)
    .stderr_has(&located)
    .stderr_has(set);
    // A later minor version of the same major still reads (minor versions only add fields).
    crafted(&w, &doc, "minor.json", |d| {
        d["schema_version"] = Value::from("1.7.0");
    });
    w.run(&["compare", "out/results.json", "minor.json"]).ok();
}

#[test]
fn batch_index_links_of_a_job_named_javascript_url_are_dot_slash_relative_and_percent_encoded() {
    let w = Work::new();
    let survey = repo().join("surveys/bookstore/survey.toml");
    let data = repo().join("surveys/bookstore/responses.csv");
    w.write(
        "batch.toml",
        format!(
            "[defaults]\nsurvey = {:?}\ndata = {:?}\n\n[[job]]\nname = \"javascript:alert(document.domain)\"\n",
            s(&survey),
            s(&data)
        ),
    );
    w.run(&["batch", "batch.toml"]).ok();
    let html = w.read("batch-out/summary.html");
    let hrefs: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(
        hrefs,
        [
            "./javascript%3Aalert%28document.domain%29/report.html",
            "./javascript%3Aalert%28document.domain%29/results.json",
            "./summary.json",
        ],
        "{html}"
    );
    // The encoded link still names the job's directory.
    assert!(
        w.path("batch-out/javascript:alert(document.domain)/report.html")
            .is_file()
    );
}

/// A survey whose texts, respondent id, attribute and open answers a spreadsheet would run.
const HOSTILE_SURVEY: &str = r#"[survey]
id = "csv-safety"
title = "CSV safety"
language = "en"
version = "1"

[respondents]
id = "rid"
attributes = ["channel"]

[[question]]
id = "q1"
text = "=HYPERLINK(\"http://example.com\") satisfaction"
type = "rating"
scale = "likert5"

[[question]]
id = "q2"
text = "+Quality"
type = "rating"
scale = "likert5"

[[question]]
id = "note"
text = "@Anything else?"
type = "text"

[tree]
name = "Index"

[tree.all]
name = "All"
weight = 1
questions = ["q1", "q2"]
"#;

const HOSTILE_RESPONSES: &str = "rid,channel,q1,q2,note\n\
    =cmd|calc!A0,@web,3,4,\"=HYPERLINK(\"\"x\"\")\"\n\
    r2,-neg,=1+9,4,  -2+3\n\
    r3,shop,2,5,-5\n";

/// Every cell of a CSV, by row.
fn cells(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// No cell starts (after spaces) with a formula character unless it is a plain number.
fn assert_no_formula_cells(name: &str, text: &str) {
    for row in cells(text) {
        for c in row {
            let body = c.trim_start();
            let formula = body.starts_with(['=', '+', '-', '@', '\t', '\r'])
                && c.trim().parse::<f64>().is_err();
            assert!(!formula, "{name}: formula cell {c:?}\n{text}");
        }
    }
}

#[test]
fn codebook_csv_neutralises_a_question_text_that_is_a_formula() {
    let w = Work::new();
    w.write("s.toml", HOSTILE_SURVEY);
    w.run(&["build", "s.toml", "--to", "codebook", "-o", "codebook.csv"])
        .ok();
    let text = w.read("codebook.csv");
    assert_no_formula_cells("codebook.csv", &text);
    let labels: Vec<String> = cells(&text).into_iter().map(|r| r[2].clone()).collect();
    assert!(
        labels.contains(&"'=HYPERLINK(\"http://example.com\") satisfaction".to_string()),
        "{labels:?}"
    );
    assert!(labels.contains(&"'+Quality".to_string()), "{labels:?}");
    w.run(&["build", "s.toml", "--to", "template", "-o", "template.csv"])
        .ok();
    assert_no_formula_cells("template.csv", &w.read("template.csv"));
}

#[test]
fn clean_csv_and_rejects_neutralise_formula_cells_and_the_guard_reads_back_off() {
    let w = Work::new();
    w.write("s.toml", HOSTILE_SURVEY);
    w.write("r.csv", HOSTILE_RESPONSES);
    w.run(&[
        "import",
        "s.toml",
        "r.csv",
        "-o",
        "clean.csv",
        "--rejects",
        "rejects.csv",
    ])
    .ok();
    let clean = w.read("clean.csv");
    assert_no_formula_cells("clean.csv", &clean);
    assert!(clean.contains("'=cmd|calc!A0"), "{clean}");
    assert!(clean.contains("'@web"), "{clean}");
    assert!(clean.contains(",-5,"), "a number keeps its sign: {clean}");
    let rejects = w.read("rejects.csv");
    assert_no_formula_cells("rejects.csv", &rejects);
    assert!(rejects.contains("'=1+9"), "{rejects}");
    // The clean CSV's answer columns, imported again, give the same cells: import takes the
    // guard quote off. (The clean CSV's own _line and flag columns are left out of the copy.)
    let rows = cells(&clean);
    let keep = ["rid", "channel", "q1", "q2", "note"];
    let idx: Vec<usize> = keep
        .iter()
        .map(|k| rows[0].iter().position(|h| h == k).unwrap())
        .collect();
    let mut out = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        out.write_record(idx.iter().map(|&i| &r[i])).unwrap();
    }
    w.write("again.csv", out.into_inner().unwrap());
    w.run(&["import", "s.toml", "again.csv", "-o", "clean2.csv"])
        .ok();
    let project = |text: &str| -> Vec<Vec<String>> {
        let rows = cells(text);
        let idx: Vec<usize> = keep
            .iter()
            .map(|k| rows[0].iter().position(|h| h == k).unwrap())
            .collect();
        rows.iter()
            .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
            .collect()
    };
    assert_eq!(project(&w.read("clean2.csv")), project(&clean));
}
