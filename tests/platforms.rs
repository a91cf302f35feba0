//! Survey-platform exports (`tests/fixtures/import/platforms/P/`, each written to the
//! platform's documented layout; `expected.toml` says what a correct import gives): the platform
//! is detected, extra header rows are folded, non-answers are excluded and counted by reason,
//! every row is accounted for, and the first real respondent's answers come out as the
//! expected codes.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::util::*;

const PLATFORMS: [&str; 6] = [
    "qualtrics",
    "surveymonkey",
    "limesurvey",
    "kobo",
    "wjx",
    "tencent",
];

#[derive(Debug, Deserialize)]
struct Expected {
    platform: String,
    header_rows: u64,
    data_rows: u64,
    excluded: BTreeMap<String, u64>,
    respondents: u64,
    first_respondent: toml::Table,
}

#[derive(Debug, Deserialize)]
struct Summary {
    platform: Option<String>,
    platform_detected: bool,
    header_rows: u64,
    rows_read: u64,
    rows_written: u64,
    rows_excluded: u64,
    rows_dropped: u64,
    excluded_by_reason: BTreeMap<String, u64>,
    excluded_lines: Vec<u64>,
    problems: u64,
    unknown_columns: Vec<String>,
}

fn dir(p: &str) -> std::path::PathBuf {
    fixture(&format!("import/platforms/{p}"))
}

fn expected(p: &str) -> Expected {
    toml::from_str(&std::fs::read_to_string(dir(p).join("expected.toml")).unwrap()).unwrap()
}

fn import(
    w: &Work,
    p: &str,
    data: &std::path::Path,
    extra: &[&str],
) -> (Summary, Vec<BTreeMap<String, String>>) {
    let survey = dir(p).join("survey.toml");
    let out = w.path(&format!("{p}.csv"));
    let mut args = vec![
        "import",
        s(&survey),
        s(data),
        "-o",
        s(&out),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let r = w.run(&args);
    r.ok();
    let summary: Summary = serde_json::from_str(&r.stdout).expect("summary");
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let rows = rdr
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect();
    (summary, rows)
}

/// The expected value of a question as the clean CSV writes it.
fn as_cell(v: &toml::Value) -> String {
    match v {
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(a) => a
            .iter()
            .map(|x| x.as_integer().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(";"),
        other => panic!("unexpected value {other}"),
    }
}

#[test]
fn every_platform_export_is_detected_folded_excluded_and_decoded() {
    let w = Work::new();
    for p in PLATFORMS {
        let exp = expected(p);
        let (sum, rows) = import(&w, p, &dir(p).join("export.csv"), &[]);
        assert_eq!(sum.platform.as_deref(), Some(exp.platform.as_str()), "{p}");
        assert!(sum.platform_detected, "{p}");
        assert_eq!(sum.header_rows, exp.header_rows, "{p}");
        assert_eq!(sum.rows_read, exp.data_rows, "{p}");
        assert_eq!(sum.excluded_by_reason, exp.excluded, "{p}");
        assert_eq!(sum.rows_written, exp.respondents, "{p}");
        assert_eq!(
            sum.rows_read,
            sum.rows_written + sum.rows_excluded + sum.rows_dropped,
            "{p}: every row is accounted for"
        );
        assert_eq!(sum.excluded_lines.len() as u64, sum.rows_excluded, "{p}");
        assert_eq!(sum.problems, 0, "{p}");
        assert!(
            sum.unknown_columns.is_empty(),
            "{p}: {:?}",
            sum.unknown_columns
        );
        // The first real answer, as codes. Ids are the survey's [respondents] id column.
        let survey: toml::Table =
            toml::from_str(&std::fs::read_to_string(dir(p).join("survey.toml")).unwrap()).unwrap();
        let id_col = survey["respondents"]["id"].as_str().unwrap().to_string();
        let first = &rows[0];
        for (k, v) in &exp.first_respondent {
            let col = if k == "id" { id_col.clone() } else { k.clone() };
            assert_eq!(first[&col], as_cell(v), "{p}: {k}");
        }
    }
}

#[test]
fn excluded_rows_are_named_by_their_lines() {
    let w = Work::new();
    let (sum, rows) = import(&w, "qualtrics", &dir("qualtrics").join("export.csv"), &[]);
    // Three header rows: the first answer is on line 4, and no kept row is an excluded one.
    let kept: Vec<u64> = rows.iter().map(|r| r["_line"].parse().unwrap()).collect();
    assert!(
        kept.iter()
            .all(|l| *l >= 4 && !sum.excluded_lines.contains(l))
    );
    assert_eq!(kept.len() + sum.excluded_lines.len(), 16);
}

#[test]
fn a_named_preset_that_does_not_fit_exits_2() {
    let w = Work::new();
    w.run(&[
        "import",
        s(&dir("wjx").join("survey.toml")),
        s(&dir("wjx").join("export.csv")),
        "-o",
        "c.csv",
        "--from",
        "qualtrics",
    ])
    .code(2)
    .stderr_has("does not look like a Qualtrics export")
    .stderr_has("--from auto");
    // A Qualtrics export whose question-text and ImportId rows were deleted.
    let text = std::fs::read_to_string(dir("qualtrics").join("export.csv")).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    let cut = [&lines[..1], &lines[3..]].concat().join("\r\n");
    let p = w.write("cut.csv", cut);
    w.run(&[
        "import",
        s(&dir("qualtrics").join("survey.toml")),
        s(&p),
        "-o",
        "c.csv",
    ])
    .code(2)
    .stderr_has("cut.csv:2")
    .stderr_has("row 2 is data")
    .stderr_has("--from plain");
    w.run(&[
        "import",
        s(&dir("wjx").join("survey.toml")),
        s(&p),
        "-o",
        "c.csv",
        "--from",
        "myspace",
    ])
    .code(2)
    .stderr_has("use one of: auto, plain, qualtrics");
    assert!(!w.path("c.csv").exists());
}

#[test]
fn from_plain_reads_the_header_rows_as_respondents() {
    // What happened before the presets (issue 16): with --map, Qualtrics' text and ImportId
    // rows are two more "respondents", with problems; --from plain still does it on request.
    let w = Work::new();
    let exp: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir("qualtrics").join("expected.toml")).unwrap())
            .unwrap();
    let mut map = String::from("[columns]\n");
    for (k, v) in exp["columns"].as_table().unwrap() {
        map.push_str(&format!("\"{k}\" = \"{}\"\n", v.as_str().unwrap()));
    }
    let map = w.write("map.toml", map);
    let (sum, _) = import(
        &w,
        "qualtrics",
        &dir("qualtrics").join("export.csv"),
        &["--from", "plain", "--map", s(&map)],
    );
    assert_eq!(sum.platform, None);
    assert_eq!(sum.rows_read, 18);
    assert!(sum.problems > 0);
}

#[test]
fn a_platform_workbook_is_detected_like_its_csv() {
    // 问卷星 downloads a workbook; the same sheet as .xlsx gives the same respondents.
    let w = Work::new();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(dir("wjx").join("export.csv"))
        .unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, rec) in rdr.records().enumerate() {
        for (c, v) in rec.unwrap().iter().enumerate() {
            let v = v.trim_start_matches('\u{feff}');
            match v.parse::<f64>() {
                Ok(x) => sheet.write_number(r as u32, c as u16, x).unwrap(),
                Err(_) => sheet.write_string(r as u32, c as u16, v).unwrap(),
            };
        }
    }
    let xlsx = w.path("wjx.xlsx");
    book.save(&xlsx).unwrap();
    let (a, rows_a) = import(&w, "wjx", &dir("wjx").join("export.csv"), &[]);
    let (b, rows_b) = import(&w, "wjx", &xlsx, &[]);
    assert_eq!(b.platform.as_deref(), Some("wjx"));
    assert_eq!((a.rows_read, a.rows_written), (b.rows_read, b.rows_written));
    assert_eq!(rows_a, rows_b);
}

#[test]
fn a_map_file_works_with_a_preset_and_its_recoding() {
    // Kobo's code headers without aliases in the survey: a --map names the questions, and the
    // preset still re-codes the choice names (`large_business`) and the 0/1 option columns.
    let w = Work::new();
    let survey: String = std::fs::read_to_string(dir("kobo").join("survey.toml"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("aliases"))
        .map(|l| format!("{l}\n"))
        .collect();
    let survey = w.write("survey.toml", survey);
    let exp: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir("kobo").join("expected.toml")).unwrap())
            .unwrap();
    let mut map = String::from("[columns]\n");
    for (k, v) in exp["columns"].as_table().unwrap() {
        map.push_str(&format!(
            "\"{k}\" = \"{}\"\n",
            v.as_str().unwrap().replace('=', "/")
        ));
    }
    let map = w.write("map.toml", map);
    let out = w.path("k.csv");
    let r = w.run(&[
        "import",
        s(&survey),
        s(&dir("kobo").join("export.csv")),
        "--map",
        s(&map),
        "-o",
        s(&out),
        "--format",
        "json",
    ]);
    r.ok();
    let sum: Summary = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((sum.rows_written, sum.problems), (15, 0));
}

#[test]
fn a_kobo_hxl_hashtag_row_is_a_header_row() {
    let w = Work::new();
    let text = std::fs::read_to_string(dir("kobo").join("export.csv")).unwrap();
    let (head, rest) = text.split_once("\r\n").unwrap();
    let n = head.split(';').count();
    let tags: Vec<&str> = (0..n)
        .map(|i| {
            if i % 3 == 0 {
                "\"#indicator+x\""
            } else {
                "\"\""
            }
        })
        .collect();
    let p = w.write("hxl.csv", format!("{head}\r\n{}\r\n{rest}", tags.join(";")));
    let (sum, _) = import(&w, "kobo", &p, &[]);
    assert_eq!(
        (sum.header_rows, sum.rows_read, sum.rows_written),
        (2, 16, 15)
    );
}

#[test]
fn analyze_reads_a_platform_export_and_the_summary_names_its_columns() {
    let w = Work::new();
    let d = dir("qualtrics");
    w.run(&[
        "analyze",
        s(&d.join("survey.toml")),
        s(&d.join("export.csv")),
        "-o",
        "out",
        "--no-report",
    ])
    .ok();
    let results: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    assert_eq!(results["sample"]["n"], 11);
    let r = w.run(&[
        "import",
        s(&d.join("survey.toml")),
        s(&d.join("export.csv")),
        "-o",
        "c.csv",
        "--format",
        "json",
    ]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let q3 = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "Q3_1")
        .expect("the export's own header");
    assert_eq!(
        (q3["how"].as_str(), q3["target"].as_str()),
        (Some("preset"), Some("staff_friendly"))
    );
}

#[test]
fn full_width_matrix_brackets_read_like_half_width_ones() {
    // 问卷星 writes matrix rows as `3(服务态度)`; hand-edited and older exports use the
    // full-width `3（服务态度）` (three bytes a bracket). Both must fold to the same answers.
    let w = Work::new();
    let text = std::fs::read_to_string(dir("wjx").join("export.csv")).unwrap();
    let (head, body) = text.split_once('\n').unwrap();
    assert!(head.contains("3(服务态度)"), "fixture header changed");
    let full = w.write(
        "full.csv",
        format!("{}\n{body}", head.replace('(', "（").replace(')', "）")),
    );
    let (a, rows_a) = import(&w, "wjx", &dir("wjx").join("export.csv"), &[]);
    let (b, rows_b) = import(&w, "wjx", &full, &[]);
    assert_eq!(b.platform.as_deref(), Some("wjx"));
    assert_eq!((a.rows_written, a.problems), (b.rows_written, b.problems));
    assert!(b.unknown_columns.is_empty(), "{:?}", b.unknown_columns);
    assert_eq!(rows_a, rows_b);
    // The draft survey of the same file sees the same matrix.
    let draft = w.path("draft.toml");
    w.run(&["new", "draft", "--from", s(&full), "-o", s(&draft)])
        .ok();
    w.run(&["check", s(&draft)]).ok();
}
