//! `satkit import`: every bad or odd response file in `tests/fixtures/import/` gives the right exit
//! status, a located message with a cure, the right rows in `--rejects`, and a JSON summary that
//! accounts for every row; the example data imports cleanly; simulated data round-trips exactly.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::util::*;

/// The JSON summary (`--format json`), the fields the tests look at.
#[derive(Debug, Deserialize)]
struct Summary {
    encoding: String,
    delimiter: String,
    rows_read: u64,
    rows_written: u64,
    rows_dropped: u64,
    dropped_by_reason: BTreeMap<String, u64>,
    cells_set_missing: u64,
    cells_not_applicable: u64,
    problems: u64,
    problems_by_rule: BTreeMap<String, u64>,
    flags: Flags,
    columns: Vec<ColumnMatch>,
    unknown_columns: Vec<String>,
    flagged_dropped_lines: Vec<u64>,
    warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Flags {
    straightline: u64,
    speeding: u64,
    duplicate_id: u64,
    low_completion: u64,
    flagged: u64,
}

#[derive(Debug, Deserialize)]
struct ColumnMatch {
    column: String,
    how: String,
    target: String,
}

/// One row of `--rejects`.
#[derive(Debug, Deserialize)]
struct Reject {
    line: u64,
    respondent: String,
    column: String,
    value: String,
    rule: String,
    message: String,
    fix: String,
}

fn import_fixture(rel: &str) -> PathBuf {
    fixture(&format!("import/{rel}"))
}

fn survey() -> PathBuf {
    import_fixture("survey.toml")
}

fn summary(r: &Run) -> Summary {
    let s: Summary = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("summary JSON: {e}\n{}", r.stdout));
    assert_eq!(
        s.rows_read,
        s.rows_written + s.rows_dropped,
        "every row is accounted for: {s:?}"
    );
    assert_eq!(
        s.rows_dropped,
        s.dropped_by_reason.values().sum::<u64>(),
        "{s:?}"
    );
    assert_eq!(
        s.problems,
        s.problems_by_rule.values().sum::<u64>(),
        "{s:?}"
    );
    s
}

fn rejects(w: &Work, rel: &str) -> Vec<Reject> {
    let mut rdr = csv::Reader::from_path(w.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"));
    rdr.deserialize()
        .map(|r| r.expect("a rejects row"))
        .collect()
}

/// A CSV file as rows of column -> value.
fn table(path: &Path) -> Vec<HashMap<String, String>> {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("a CSV record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn cell<'a>(rows: &'a [HashMap<String, String>], rid: &str, column: &str) -> &'a str {
    let row = rows
        .iter()
        .find(|r| r["rid"] == rid)
        .unwrap_or_else(|| panic!("no respondent {rid}"));
    row.get(column)
        .unwrap_or_else(|| panic!("no column {column}"))
        .as_str()
}

struct Case {
    file: &'static str,
    args: &'static [&'static str],
    code: i32,
    /// Substrings of stderr in text mode: location, column, message and cure.
    stderr: &'static [&'static str],
    /// (line, column, rule) of every rejected value, in file order.
    rejects: &'static [(u64, &'static str, &'static str)],
    /// Rows read, written, dropped.
    rows: (u64, u64, u64),
    /// Cells of the clean table: (respondent id, column, value; "" is missing).
    cells: &'static [(&'static str, &'static str, &'static str)],
    /// Further checks on the summary.
    check: Option<fn(&Summary)>,
}

const NO_ROWS: (u64, u64, u64) = (0, 0, 0);

const CASES: &[Case] = &[
    Case {
        file: "ragged.csv",
        args: &[],
        code: 0,
        stderr: &[
            "ragged.csv:3: column '*': the row has 7 fields but the header has 14; the row is dropped",
            "check for an unquoted delimiter",
        ],
        rejects: &[(3, "*", "ragged_row")],
        rows: (3, 2, 1),
        cells: &[("r3", "q_s1", "3")],
        check: Some(|s| assert_eq!(s.dropped_by_reason["ragged_row"], 1)),
    },
    Case {
        file: "not_numeric.csv",
        args: &[],
        code: 0,
        stderr: &[
            "not_numeric.csv:3: column 'q_age': 'thirty' is not a number",
            "enter digits only",
            "not_numeric.csv:3: column 'q_s1': 'good' is not a code or label of question 'q_s1'",
            "use a code 1..5 or one of the labels: 非常不满意 / 不满意 / 一般 / 满意 / 非常满意",
        ],
        rejects: &[(3, "q_age", "not_a_number"), (3, "q_s1", "unknown_label")],
        rows: (2, 2, 0),
        cells: &[("r2", "q_s1", ""), ("r2", "q_age", ""), ("r2", "q_s2", "4")],
        check: Some(|s| assert_eq!(s.cells_set_missing, 2)),
    },
    Case {
        file: "out_of_range.csv",
        args: &[],
        code: 0,
        stderr: &[
            "out_of_range.csv:3: column 'q_s2': 7 is outside 1..5",
            "out_of_range.csv:4: column 'q_channel': 4 is outside 1..3",
            "use a code 1..3 or one of: 门店 / 线上 / 电话",
            "out_of_range.csv:4: column 'q_age': 120 is outside 18..99",
            "enter a number in 18..99",
        ],
        rejects: &[
            (3, "q_s2", "out_of_range"),
            (4, "q_channel", "out_of_range"),
            (4, "q_age", "out_of_range"),
        ],
        rows: (3, 3, 0),
        cells: &[
            ("r2", "q_s2", ""),
            ("r3", "q_channel", ""),
            ("r3", "q_s1", "3"),
        ],
        check: Some(|s| assert_eq!(s.cells_set_missing, 3)),
    },
    Case {
        file: "out_of_range.csv",
        args: &["--on-invalid", "drop-row"],
        code: 0,
        stderr: &["out_of_range.csv:3: column 'q_s2': 7 is outside 1..5"],
        rejects: &[
            (3, "q_s2", "out_of_range"),
            (4, "q_channel", "out_of_range"),
            (4, "q_age", "out_of_range"),
        ],
        rows: (3, 1, 2),
        cells: &[("r1", "q_s2", "5")],
        check: Some(|s| {
            assert_eq!(s.dropped_by_reason["invalid"], 2);
            assert_eq!(s.cells_set_missing, 0, "dropped rows set no cell missing");
        }),
    },
    Case {
        file: "out_of_range.csv",
        args: &["--on-invalid", "fail"],
        code: 2,
        stderr: &[
            "out_of_range.csv:3: column 'q_s2': 7 is outside 1..5 [out_of_range] (--on-invalid fail",
            "= help: use a code 1..5",
        ],
        rejects: &[],
        rows: NO_ROWS,
        cells: &[],
        check: None,
    },
    Case {
        file: "unknown_label.csv",
        args: &[],
        code: 0,
        stderr: &[
            "unknown_label.csv:2: column 'q_s1': '很满意' is not a code or label of question 'q_s1'",
            "unknown_label.csv:3: column 'q_price': '满 意' is not a code or label",
            "write it exactly as '满意'",
            "unknown_label.csv:4: column 'q_channel': '快递' is not a code or label",
        ],
        rejects: &[
            (2, "q_s1", "unknown_label"),
            (3, "q_price", "unknown_label"),
            (4, "q_channel", "unknown_label"),
        ],
        rows: (3, 3, 0),
        cells: &[("r1", "q_s1", ""), ("r2", "q_price", "")],
        check: None,
    },
    Case {
        file: "labels.csv",
        args: &[],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (2, 2, 0),
        cells: &[
            ("r1", "q_channel", "2"),
            ("r1", "q_buy", "1;3"),
            ("r1", "q_s1", "4"),
            ("r1", "q_s2", "5"),
            ("r1", "q_s3", "3"),
            ("r1", "q_s4", "2"),
            ("r1", "q_price", "1"),
            ("r1", "q_comment", "很好"),
            ("r2", "q_channel", "1"),
            ("r2", "q_buy", "2"),
        ],
        check: Some(|s| assert_eq!(s.encoding, "utf-8")),
    },
    Case {
        file: "gbk.csv",
        args: &[],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (2, 2, 0),
        cells: &[
            ("r1", "q_channel", "2"),
            ("r1", "q_buy", "1;3"),
            ("r1", "q_s1", "4"),
            ("r1", "region", "华东"),
            ("r1", "q_comment", "很好"),
        ],
        check: Some(|s| assert_eq!(s.encoding, "gb18030")),
    },
    Case {
        file: "bom.csv",
        args: &[],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (2, 2, 0),
        cells: &[
            ("r1", "q_channel", "2"),
            ("r1", "q_s1", "4"),
            ("r1", "region", "华东"),
        ],
        check: Some(|s| {
            assert_eq!(s.encoding, "utf-8-bom");
            assert!(
                s.unknown_columns.is_empty(),
                "the BOM is not part of the first header: {:?}",
                s.unknown_columns
            );
        }),
    },
    Case {
        file: "not_applicable.csv",
        args: &[],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (3, 3, 0),
        cells: &[("r1", "q_s4", ""), ("r2", "q_s4", ""), ("r3", "q_s4", "2")],
        check: Some(|s| {
            assert_eq!(s.cells_not_applicable, 2);
            assert_eq!(s.cells_set_missing, 0);
        }),
    },
    Case {
        file: "empty.csv",
        args: &[],
        code: 2,
        stderr: &[
            "empty.csv: is empty; expected a header row and responses",
            "= help: export the responses again",
        ],
        rejects: &[],
        rows: NO_ROWS,
        cells: &[],
        check: None,
    },
    Case {
        file: "header_only.csv",
        args: &[],
        code: 2,
        stderr: &[
            "header_only.csv:1: has a header but no responses",
            "= help: add response rows below the header",
        ],
        rejects: &[],
        rows: NO_ROWS,
        cells: &[],
        check: None,
    },
    Case {
        file: "duplicate_header.csv",
        args: &[],
        code: 2,
        stderr: &[
            "duplicate_header.csv:1: column 'q_s2': the header has column 'q_s2' twice (columns 6 and 15)",
            "rename or remove one of the two columns",
        ],
        rejects: &[],
        rows: NO_ROWS,
        cells: &[],
        check: None,
    },
    Case {
        file: "duplicate_id.csv",
        args: &[],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (3, 3, 0),
        cells: &[],
        check: Some(|s| {
            assert_eq!(s.flags.duplicate_id, 1);
            assert_eq!(s.flags.flagged, 1);
        }),
    },
    Case {
        file: "missing_column.csv",
        args: &[],
        code: 2,
        stderr: &[
            "missing_column.csv:1: the header lacks 1 survey column: q_price",
            "add the columns",
            "--map mapping.toml",
        ],
        rejects: &[],
        rows: NO_ROWS,
        cells: &[],
        check: None,
    },
    Case {
        // The comment of r1 spans lines 2-4, so r2 starts on line 5.
        file: "multiline.csv",
        args: &[],
        code: 0,
        stderr: &["multiline.csv:5: column 'q_s3': 9 is outside 1..5"],
        rejects: &[(5, "q_s3", "out_of_range")],
        rows: (2, 2, 0),
        cells: &[
            ("r1", "q_comment", "送货很快，\n但是包装\n\"一般\""),
            ("r1", "_line", "2"),
            ("r2", "_line", "5"),
        ],
        check: None,
    },
    Case {
        file: "semicolon.csv",
        args: &[],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (2, 2, 0),
        cells: &[
            ("r1", "q_buy", "1;3"),
            ("r1", "q_comment", "还行，可以"),
            ("r1", "weight", "1.5"),
            ("r2", "q_s1", "3"),
        ],
        check: Some(|s| assert_eq!(s.delimiter, ";")),
    },
    Case {
        file: "tab.csv",
        args: &[],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (2, 2, 0),
        cells: &[
            ("r1", "q_buy", "1;3"),
            ("r1", "q_comment", "好, 很好"),
            ("r2", "q_s1", "3"),
        ],
        check: Some(|s| assert_eq!(s.delimiter, "tab")),
    },
    Case {
        // Renames from --map, a header that is the question text, and q_buy split three ways.
        file: "mapped.csv",
        args: &["--map", "MAPPING"],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (3, 3, 0),
        cells: &[
            ("r1", "q_channel", "2"),
            ("r1", "q_age", "34"),
            ("r1", "q_s1", "4"),
            ("r1", "q_s2", "5"),
            ("r1", "q_buy", "1;3"),
            ("r2", "q_buy", "2"),
            ("r3", "q_buy", ""),
            ("r3", "duration", "305"),
        ],
        check: Some(|s| {
            let how = |c: &str| {
                s.columns
                    .iter()
                    .find(|m| m.column == c)
                    .map(|m| (m.how.as_str(), m.target.as_str()))
            };
            assert_eq!(how("Channel"), Some(("map", "q_channel")));
            assert_eq!(how("Response ID"), Some(("respondent", "respondent id")));
            assert_eq!(how("您对店员的服务态度是否满意？"), Some(("label", "q_s1")));
            assert_eq!(how("q_buy_1"), Some(("split", "q_buy=1")));
            assert_eq!(how("q_buy/2"), Some(("split", "q_buy=2")));
            assert_eq!(how("q_buy[咖啡]"), Some(("split", "q_buy=3")));
            assert!(
                s.unknown_columns.is_empty() && s.warnings.is_empty(),
                "{s:?}"
            );
        }),
    },
    Case {
        // r2 straight-lines (4 on all six rating items), r3 speeds, the second r1 repeats an id.
        file: "flagged.csv",
        args: &["--drop-flagged"],
        code: 0,
        stderr: &[],
        rejects: &[],
        rows: (5, 2, 3),
        cells: &[("r5", "q_s1", "3")],
        check: Some(|s| {
            assert_eq!(
                (
                    s.flags.straightline,
                    s.flags.speeding,
                    s.flags.duplicate_id,
                    s.flags.low_completion
                ),
                (1, 1, 1, 0)
            );
            assert_eq!(s.flags.flagged, 3);
            assert_eq!(s.dropped_by_reason["flagged"], 3);
            // The summary names the removed respondents by source line (r2, r3, second r1).
            assert_eq!(s.flagged_dropped_lines, [3, 4, 5]);
        }),
    },
];

fn case_args<'a>(case: &'a Case, mapping: &'a str) -> Vec<&'a str> {
    case.args
        .iter()
        .map(|a| if *a == "MAPPING" { mapping } else { *a })
        .collect()
}

#[test]
fn bad_and_odd_files_give_exit_status_message_rejects_and_balanced_summary() {
    let mapping = import_fixture("mapping.toml");
    let survey = survey();
    for case in CASES {
        let input = import_fixture(case.file);
        let before = std::fs::read(&input).unwrap();
        let extra = case_args(case, s(&mapping));
        let what = format!("{} {:?}", case.file, case.args);

        // Run 1: JSON summary, rejects file and the clean table.
        let w = Work::new();
        let mut args = vec![
            "import",
            s(&survey),
            s(&input),
            "-o",
            "out.csv",
            "--rejects",
            "rejects.csv",
            "--format",
            "json",
        ];
        args.extend(&extra);
        let r = w.run(&args);
        r.code(case.code);
        assert_eq!(
            std::fs::read(&input).unwrap(),
            before,
            "{what}: the input file is unchanged"
        );
        if case.code != 0 {
            assert!(r.stdout.is_empty(), "{what}: no summary after a failure");
            assert!(
                !w.path("out.csv").exists(),
                "{what}: no output file after a failure"
            );
            assert!(
                !w.path("rejects.csv").exists(),
                "{what}: no rejects file after a failure"
            );
            let leftovers: Vec<_> = std::fs::read_dir(w.dir.path()).unwrap().collect();
            assert!(
                leftovers.is_empty(),
                "{what}: no temporary files left behind: {leftovers:?}"
            );
        } else {
            let sum = summary(&r);
            assert_eq!(
                (sum.rows_read, sum.rows_written, sum.rows_dropped),
                case.rows,
                "{what}: rows read, written, dropped"
            );
            let rej = rejects(&w, "rejects.csv");
            let got: Vec<(u64, &str, &str)> = rej
                .iter()
                .map(|p| (p.line, p.column.as_str(), p.rule.as_str()))
                .collect();
            assert_eq!(got, case.rejects, "{what}: rejects");
            for p in &rej {
                assert!(
                    !p.message.is_empty() && !p.fix.is_empty(),
                    "{what}: every reject says what and how to fix: {p:?}"
                );
                assert!(
                    !p.respondent.is_empty(),
                    "{what}: every reject names the respondent: {p:?}"
                );
                if p.column != "*" {
                    assert!(
                        !p.value.is_empty(),
                        "{what}: the rejected value is shown: {p:?}"
                    );
                }
            }
            assert_eq!(sum.problems as usize, rej.len(), "{what}");
            if let Some(check) = case.check {
                check(&sum);
            }
            let rows = table(&w.path("out.csv"));
            assert_eq!(
                rows.len() as u64,
                case.rows.1,
                "{what}: rows in the clean table"
            );
            for (rid, col, want) in case.cells {
                let got = cell(&rows, rid, col);
                let same = got == *want
                    || matches!((got.parse::<f64>(), want.parse::<f64>()), (Ok(a), Ok(b)) if a == b);
                assert!(same, "{what}: {rid}.{col} is {got:?}, expected {want:?}");
            }
        }

        // Run 2: text mode, where problems and errors go to stderr with location and cure.
        let w = Work::new();
        let mut args = vec!["import", s(&survey), s(&input), "-o", "out.csv"];
        args.extend(&extra);
        let r = w.run(&args);
        r.code(case.code);
        for needle in case.stderr {
            r.stderr_has(needle);
        }
        if case.rejects.is_empty() && case.code == 0 {
            assert!(
                !r.stderr.contains("help:"),
                "{what}: no problems reported:\n{}",
                r.stderr
            );
        }
    }
}

#[test]
fn stdin_is_read_for_dash() {
    let w = Work::new();
    let bytes = std::fs::read(import_fixture("out_of_range.csv")).unwrap();
    let r = w.run_stdin(
        &[
            "import",
            s(&survey()),
            "-",
            "-o",
            "out.csv",
            "--format",
            "json",
        ],
        Some(&bytes),
    );
    r.code(0);
    let sum = summary(&r);
    assert_eq!((sum.rows_read, sum.problems), (3, 3));
    assert_eq!(table(&w.path("out.csv")).len(), 3);
    let r = w.run_stdin(
        &[
            "import",
            s(&survey()),
            "-",
            "-o",
            "x.csv",
            "--on-invalid",
            "fail",
        ],
        Some(&bytes),
    );
    r.code(2).stderr_has("<stdin>:3: column 'q_s2'");
    assert!(!w.path("x.csv").exists());
}

#[test]
fn gbk_bytes_are_not_utf8_but_import_as_the_utf8_file_does() {
    // The fixture must really be GBK for the test to mean anything.
    let gbk = std::fs::read(import_fixture("gbk.csv")).unwrap();
    assert!(std::str::from_utf8(&gbk).is_err());
    let w = Work::new();
    w.run(&[
        "import",
        s(&survey()),
        s(&import_fixture("gbk.csv")),
        "-o",
        "gbk.csv",
    ])
    .ok();
    w.run(&[
        "import",
        s(&survey()),
        s(&import_fixture("labels.csv")),
        "-o",
        "utf8.csv",
    ])
    .ok();
    assert_eq!(w.read("gbk.csv"), w.read("utf8.csv"));
    // Forcing the wrong encoding is an error with a cure, not mojibake.
    w.run(&[
        "import",
        s(&survey()),
        s(&import_fixture("gbk.csv")),
        "-o",
        "x.csv",
        "--encoding",
        "utf-8",
    ])
    .code(2)
    .stderr_has("is not valid UTF-8")
    .stderr_has("--encoding gbk");
}

#[test]
fn output_never_overwrites_the_input() {
    let w = Work::new();
    let input = w.write(
        "in.csv",
        std::fs::read(import_fixture("labels.csv")).unwrap(),
    );
    let before = std::fs::read(&input).unwrap();
    w.run(&["import", s(&survey()), "in.csv", "-o", "in.csv"])
        .code(2)
        .stderr_has("is also an input");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn failed_import_keeps_an_existing_output_file() {
    let w = Work::new();
    w.write("out.csv", "old contents");
    let r = w.run(&[
        "import",
        s(&survey()),
        s(&import_fixture("out_of_range.csv")),
        "-o",
        "out.csv",
        "--on-invalid",
        "fail",
    ]);
    r.code(2);
    assert_eq!(w.read("out.csv"), "old contents");
}

// ---------------------------------------------------------------- regressions

fn out_of_range_with_line_ending(eol: &str) -> String {
    std::fs::read_to_string(import_fixture("out_of_range.csv"))
        .unwrap()
        .lines()
        .collect::<Vec<_>>()
        .join(eol)
        + eol
}

/// csv's own line count is one short on every record of a CRLF file (Excel on Windows), so
/// problems pointed at the line above (BurntSushi/rust-csv#395).
#[test]
fn crlf_file_reports_the_line_where_the_record_starts() {
    let w = Work::new();
    w.write("crlf.csv", out_of_range_with_line_ending("\r\n"));
    w.run(&[
        "import",
        s(&survey()),
        "crlf.csv",
        "-o",
        "out.csv",
        "--rejects",
        "rej.csv",
    ])
    .ok();
    let lines: Vec<(u64, String)> = rejects(&w, "rej.csv")
        .into_iter()
        .map(|p| (p.line, p.column))
        .collect();
    assert_eq!(
        lines,
        [
            (3, "q_s2".to_string()),
            (4, "q_channel".into()),
            (4, "q_age".into())
        ]
    );
    let rows = table(&w.path("out.csv"));
    assert_eq!(
        [
            cell(&rows, "r1", "_line"),
            cell(&rows, "r2", "_line"),
            cell(&rows, "r3", "_line")
        ],
        ["2", "3", "4"]
    );
}

/// The line of a record after a blank line pointed at the blank line.
#[test]
fn blank_lines_do_not_shift_line_numbers() {
    let w = Work::new();
    for (name, eol) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
        let text = out_of_range_with_line_ending(eol).replacen(eol, &format!("{eol}{eol}"), 2);
        w.write(name, text);
        w.run(&[
            "import",
            s(&survey()),
            name,
            "-o",
            "out.csv",
            "--rejects",
            "rej.csv",
        ])
        .ok();
        // header 1, blank 2, r1 3, blank 4, r2 5, r3 6
        let lines: Vec<u64> = rejects(&w, "rej.csv").iter().map(|p| p.line).collect();
        assert_eq!(lines, [5, 6, 6], "{name}");
    }
}

/// Excel saves an empty sheet as "CSV UTF-8" as a lone BOM; that was reported as a header
/// lacking every survey column.
#[test]
fn bom_only_file_is_reported_empty() {
    let w = Work::new();
    w.write("bom.csv", b"\xEF\xBB\xBF\r\n");
    w.run(&["import", s(&survey()), "bom.csv", "-o", "out.csv"])
        .code(2)
        .stderr_has("bom.csv: is empty");
    assert!(!w.path("out.csv").exists());
}

/// `--duration` renamed the duration column but speeding was still computed from
/// `[respondents] duration`, so no one was ever flagged.
#[test]
fn duration_option_is_used_for_speeding() {
    let w = Work::new();
    let text = std::fs::read_to_string(import_fixture("flagged.csv"))
        .unwrap()
        .replacen(",duration\n", ",secs\n", 1);
    w.write("secs.csv", text);
    let r = w.run(&[
        "import",
        s(&survey()),
        "secs.csv",
        "-o",
        "out.csv",
        "--duration",
        "secs",
        "--format",
        "json",
    ]);
    r.ok();
    let sum = summary(&r);
    assert_eq!(sum.flags.speeding, 1);
    let rows = table(&w.path("out.csv"));
    assert_eq!(cell(&rows, "r3", "flag_speeding"), "true");
}

// ---------------------------------------------------------------- example data and simulation

#[test]
fn every_example_response_file_imports_without_problems() {
    let w = Work::new();
    for survey in surveys() {
        let responses = survey.with_file_name("responses.csv");
        let r = w.run(&[
            "import",
            s(&survey),
            s(&responses),
            "-o",
            "out.parquet",
            "--format",
            "json",
        ]);
        r.ok();
        let sum = summary(&r);
        assert_eq!(
            sum.problems,
            0,
            "{}: {:?}",
            responses.display(),
            sum.problems_by_rule
        );
        assert_eq!(sum.rows_dropped, 0, "{}", responses.display());
        assert!(
            sum.unknown_columns.is_empty(),
            "{}: {:?}",
            responses.display(),
            sum.unknown_columns
        );
        assert!(
            sum.warnings.is_empty(),
            "{}: {:?}",
            responses.display(),
            sum.warnings
        );
    }
}

/// The "not applicable" code of each question (its scale's na_code): it imports as missing by
/// design, so the round trip expects an empty cell there.
fn na_codes(survey: &Path) -> HashMap<String, String> {
    let doc: toml::Table = toml::from_str(&std::fs::read_to_string(survey).unwrap()).unwrap();
    let scales = doc
        .get("scales")
        .and_then(|s| s.as_table())
        .cloned()
        .unwrap_or_default();
    let mut out = HashMap::new();
    for section in ["profile", "question"] {
        for q in doc
            .get(section)
            .and_then(|q| q.as_array())
            .into_iter()
            .flatten()
        {
            let code = q
                .get("scale")
                .and_then(|s| s.as_str())
                .and_then(|s| scales.get(s))
                .and_then(|s| s.get("na_code"))
                .and_then(|c| c.as_integer());
            if let (Some(id), Some(code)) = (q.get("id").and_then(|i| i.as_str()), code) {
                out.insert(id.to_string(), code.to_string());
            }
        }
    }
    out
}

#[test]
fn simulated_responses_round_trip_through_import_cell_by_cell() {
    let mut all = surveys();
    all.push(survey());
    for survey in all {
        let w = Work::new();
        w.run(&[
            "simulate",
            s(&survey),
            "-n",
            "200",
            "--seed",
            "11",
            "-o",
            "sim.csv",
        ])
        .ok();
        let r = w.run(&[
            "import",
            s(&survey),
            "sim.csv",
            "-o",
            "imported.csv",
            "--format",
            "json",
        ]);
        r.ok();
        let sum = summary(&r);
        assert_eq!(
            (sum.problems, sum.rows_dropped),
            (0, 0),
            "{}",
            survey.display()
        );
        let na = na_codes(&survey);
        let sim = table(&w.path("sim.csv"));
        let imp = table(&w.path("imported.csv"));
        assert_eq!(sim.len(), imp.len());
        let mut na_seen = 0;
        for (i, (a, b)) in sim.iter().zip(&imp).enumerate() {
            assert_eq!(
                b["_line"],
                (i + 2).to_string(),
                "{}: row {i}",
                survey.display()
            );
            for (col, want) in a {
                let got = b
                    .get(col)
                    .unwrap_or_else(|| panic!("{}: imported table lacks {col}", survey.display()));
                if na.get(col) == Some(want) {
                    assert_eq!(
                        got,
                        "",
                        "{}: row {i} {col}: the N/A code imports as missing",
                        survey.display()
                    );
                    na_seen += 1;
                    continue;
                }
                // A "no answer" token (an open answer of "N/A") imports as missing.
                if satkit::data::coding::is_missing_token(want) {
                    assert_eq!(got, "", "{}: row {i} {col}", survey.display());
                    continue;
                }
                // Numbers may be re-printed (34 -> 34.0); compare them as numbers, all else as text.
                let same = got == want
                    || matches!((got.parse::<f64>(), want.parse::<f64>()), (Ok(x), Ok(y)) if x == y);
                assert!(
                    same,
                    "{}: row {i} column {col}: simulated {want:?}, imported {got:?}",
                    survey.display()
                );
            }
        }
        assert_eq!(na_seen, sum.cells_not_applicable, "{}", survey.display());
    }
}

#[test]
fn simulate_with_the_same_seed_gives_identical_bytes() {
    let w = Work::new();
    let survey = repo().join("surveys/b2b-platform/survey.toml");
    w.run(&[
        "simulate",
        s(&survey),
        "-n",
        "150",
        "--seed",
        "42",
        "-o",
        "a.csv",
    ])
    .ok();
    w.run(&[
        "simulate",
        s(&survey),
        "-n",
        "150",
        "--seed",
        "42",
        "-o",
        "b.csv",
    ])
    .ok();
    w.run(&[
        "simulate",
        s(&survey),
        "-n",
        "150",
        "--seed",
        "43",
        "-o",
        "c.csv",
    ])
    .ok();
    let (a, b, c) = (
        std::fs::read(w.path("a.csv")).unwrap(),
        std::fs::read(w.path("b.csv")).unwrap(),
        std::fs::read(w.path("c.csv")).unwrap(),
    );
    assert_eq!(a, b);
    assert_ne!(a, c, "another seed gives other data");
    assert_eq!(w.read("a.truth.json"), w.read("b.truth.json"));
}

// ---------------------------------------------------------------- parallel parsing

/// A file of every kind of record: plain, quoted with line breaks, escaped quotes and the
/// delimiter inside, out of range, ragged, label-coded, blank lines and CRLF endings.
fn mixed_records(rows: usize, malformed_quote: bool) -> String {
    let mut s = String::from(
        "rid,q_channel,q_buy,q_age,q_s1,q_s2,q_s3,q_s4,q_price,q_overall,q_comment,region,weight,duration\n",
    );
    for i in 0..rows {
        let line = match i % 9 {
            0 => format!("r{i},1,1;2,34,4,5,3,2,4,4,,华东,1.0,300\n"),
            1 => format!(
                "r{i},1,1,34,4,5,3,2,4,4,\"送货很快，\n但是包装\n\"\"一般\"\",好\",华东,1.0,300\n"
            ),
            2 => format!("r{i},2,2,41,3,7,4,5,3,4,,华北,1.0,310\n"),
            3 => format!("r{i},1,1,34,4,5,3\n"),
            4 => format!(
                "r{i},线上,图书、咖啡,34,满意,非常满意,一般,不满意,非常不满意,满意,很好,华东,1.0,300\n"
            ),
            5 => format!("r{i},2,2,41,3,4,4,5,3,4,\"a, \"\"quoted\"\" note\",华北,1.0,310\r\n"),
            6 => format!("\nr{i},4,2,120,3,4,4,5,3,4,,华南,1.0,305\n"),
            7 if malformed_quote => format!("r{i},2,2,41,3,4,4,5,3,4,say \"hi\",华北,1.0,310\n"),
            _ => format!("r{i},2,2,41,3,4,4,5,3,4,\"\",华北,abc,-5\n"),
        };
        s.push_str(&line);
    }
    s
}

/// Parsing in chunks on several threads gives exactly what one thread gives: the table, the
/// rejects with their lines, and the summary, under every invalid-data policy.
#[test]
fn parsing_on_several_threads_matches_one_thread() {
    let w = Work::new();
    for (file, malformed) in [("mixed.csv", false), ("malformed.csv", true)] {
        w.write(file, mixed_records(3000, malformed));
        for policy in ["missing", "drop-row", "fail"] {
            let mut first: Option<(i32, String, String, String, String)> = None;
            for threads in ["1", "2", "3", "7"] {
                let out = format!("out_{threads}.csv");
                let rej = format!("rej_{threads}.csv");
                let r = w.run_env(
                    &[
                        "import",
                        s(&survey()),
                        file,
                        "-o",
                        &out,
                        "--rejects",
                        &rej,
                        "--on-invalid",
                        policy,
                        "--format",
                        "json",
                    ],
                    &[("SATKIT_PARSE_THREADS", threads)],
                );
                let read = |p: &str| std::fs::read_to_string(w.path(p)).unwrap_or_default();
                let got = (
                    r.code,
                    r.stdout.clone(),
                    r.stderr.clone(),
                    read(&out),
                    read(&rej),
                );
                // An invalid weight ("abc") is never set missing (issue 14): under `missing`
                // the import stops at the first one, as under `fail`.
                if policy == "drop-row" {
                    assert_eq!(r.code, 0, "{file} {policy}: {}", r.stderr);
                    let sm = summary(&r);
                    assert_eq!(sm.rows_read, 3000, "{file} {policy}");
                } else {
                    assert_eq!(r.code, 2, "{file} {policy}");
                }
                let _ = std::fs::remove_file(w.path(&out));
                let _ = std::fs::remove_file(w.path(&rej));
                match &first {
                    None => first = Some(got),
                    Some(one) => assert!(
                        *one == got,
                        "{file} --on-invalid {policy}: {threads} threads differ from 1"
                    ),
                }
            }
        }
    }
}
