//! Workbooks and SPSS files as responses (`tests/fixtures/import/sources/`, made by its
//! `make.py` with openpyxl, odfpy, xlwt and pyreadstat): each format imports the same six
//! respondents, lines are sheet rows or case numbers, and each kind of bad file exits 2 with the
//! file and a cure.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::util::*;

#[derive(Debug, Deserialize)]
struct Summary {
    format: String,
    input: String,
    rows_read: u64,
    rows_written: u64,
    rows_dropped: u64,
    problems_by_rule: BTreeMap<String, u64>,
    cells_not_applicable: u64,
    notes: Vec<String>,
}

const SURVEY: &str = "import/survey.toml";

fn src(name: &str) -> String {
    s(&fixture(&format!("import/sources/{name}"))).to_string()
}

/// Import `file` with extra args; the summary and the clean CSV's rows.
fn import(w: &Work, file: &str, extra: &[&str]) -> (Summary, Vec<BTreeMap<String, String>>) {
    let survey = fixture(SURVEY);
    let out = w.path("clean.csv");
    let mut args = vec![
        "import",
        s(&survey),
        file,
        "-o",
        s(&out),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let r = w.run(&args);
    r.ok();
    let summary: Summary = serde_json::from_str(&r.stdout).expect("summary JSON");
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

fn col<'a>(rows: &'a [BTreeMap<String, String>], c: &str) -> Vec<&'a str> {
    rows.iter().map(|r| r[c].as_str()).collect()
}

#[test]
fn every_format_gives_the_same_six_respondents() {
    let w = Work::new();
    for (file, format) in [
        ("titled.xlsx", "xlsx"),
        ("responses.ods", "ods"),
        ("responses.xls", "xls"),
        ("responses.sav", "sav"),
        ("responses.zsav", "sav"),
    ] {
        let (sum, rows) = import(&w, &src(file), &[]);
        assert_eq!(sum.format, format, "{file}");
        assert_eq!(
            (sum.rows_read, sum.rows_written, sum.rows_dropped),
            (6, 6, 0),
            "{file}"
        );
        assert_eq!(
            col(&rows, "rid"),
            ["r1", "r2", "r3", "r4", "r5", "r6"],
            "{file}"
        );
        assert_eq!(
            col(&rows, "q_channel"),
            ["2", "1", "3", "2", "1", "2"],
            "{file}"
        );
        assert_eq!(
            col(&rows, "q_buy"),
            ["1;3", "2", "1", "3", "1;2", "2"],
            "{file}"
        );
        assert_eq!(col(&rows, "q_s2"), ["5", "4", "5", "2", "4", "3"], "{file}");
        // 99 is the scale's "not applicable" code: counted, not an answer.
        assert_eq!(col(&rows, "q_s4"), ["2", "5", "", "3", "4", "4"], "{file}");
        assert_eq!(sum.cells_not_applicable, 1, "{file}");
        // r6 answered 6 on a 1–5 scale: one out-of-range problem, the cell missing.
        assert_eq!(sum.problems_by_rule.get("out_of_range"), Some(&1), "{file}");
        assert_eq!(rows[5]["q_s1"], "", "{file}");
        assert_eq!(
            col(&rows, "q_age"),
            ["34.0", "41.0", "29.0", "55.0", "23.0", "38.0"]
        );
        assert_eq!(rows[0]["q_comment"], "很好, 下次再来", "{file}");
        // Dates stored as dates come out in ISO 8601; the .ods and .xls hold the text.
        let submitted = match format {
            "xlsx" | "sav" => "2026-03-01 09:30:00",
            _ => "2026-03-01 09:30",
        };
        assert_eq!(rows[0]["submitted"], submitted, "{file}");
    }
}

#[test]
fn a_workbook_header_below_a_merged_title_is_found_and_lines_are_sheet_rows() {
    let w = Work::new();
    let (sum, rows) = import(&w, &src("titled.xlsx"), &["--rejects", "rejects.csv"]);
    assert!(
        sum.input.ends_with("titled.xlsx[Responses]"),
        "{}",
        sum.input
    );
    assert!(
        sum.notes.iter().any(|n| n.contains("header is on row 2")),
        "{:?}",
        sum.notes
    );
    assert!(
        sum.notes.iter().any(|n| n.contains("1 empty row")),
        "{:?}",
        sum.notes
    );
    // Row 1 is the title, row 2 the header, a blank row 6 sits between r3 and r4.
    assert_eq!(col(&rows, "_line"), ["3", "4", "5", "7", "8", "9"]);
    // r5 and r6 share one merged region cell.
    assert_eq!(col(&rows, "region")[4..], ["西部", "西部"]);
    let rejects = w.read("rejects.csv");
    assert!(rejects.contains("\n9,r6,q_s1,6,out_of_range"), "{rejects}");
}

#[test]
fn an_explicit_header_row_and_sheet_are_used() {
    let w = Work::new();
    // Row 1 as the header: the merged title fills every header cell, reported on row 1 of the
    // sheet.
    w.run(&[
        "import",
        s(&fixture(SURVEY)),
        &src("titled.xlsx"),
        "-o",
        "c.csv",
        "--header-row",
        "1",
    ])
    .code(2)
    .stderr_has("titled.xlsx[Responses]:1")
    .stderr_has("twice");
    w.run(&[
        "import",
        s(&fixture(SURVEY)),
        &src("titled.xlsx"),
        "-o",
        "c.csv",
        "--sheet",
        "Codebook",
    ])
    .code(2)
    .stderr_has("titled.xlsx[Codebook]");
    w.run(&[
        "import",
        s(&fixture(SURVEY)),
        &src("titled.xlsx"),
        "-o",
        "c.csv",
        "--sheet",
        "答卷",
    ])
    .code(2)
    .stderr_has("has no sheet '答卷'")
    .stderr_has("'Responses', 'Codebook'");
    assert!(!w.path("c.csv").exists());
}

#[test]
fn sheet_options_on_a_csv_are_a_usage_error() {
    let w = Work::new();
    w.run(&[
        "import",
        s(&fixture(SURVEY)),
        s(&fixture("import/labels.csv")),
        "-o",
        "c.csv",
        "--sheet",
        "x",
    ])
    .code(2)
    .stderr_has("apply to workbooks");
}

#[test]
fn spss_user_missing_codes_are_counted_and_lines_are_case_numbers() {
    let w = Work::new();
    let (sum, rows) = import(&w, &src("responses.sav"), &[]);
    // r4's q_s1 is 9, declared user-missing (不知道).
    assert_eq!(rows[3]["q_s1"], "");
    assert!(
        sum.notes
            .iter()
            .any(|n| n.contains("user-missing") && n.contains("q_s1 (1)")),
        "{:?}",
        sum.notes
    );
    assert_eq!(col(&rows, "_line"), ["1", "2", "3", "4", "5", "6"]);
}

#[test]
fn analyze_reads_a_workbook_directly() {
    let w = Work::new();
    w.run(&[
        "analyze",
        s(&fixture(SURVEY)),
        &src("titled.xlsx"),
        "-o",
        "out",
        "--no-report",
    ])
    .ok();
    let results: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    assert_eq!(results["sample"]["n"], 6, "{}", results["sample"]);
}

#[test]
fn an_encrypted_workbook_is_named_as_such() {
    let w = Work::new();
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    let p = w.write("locked.xlsx", &ole);
    w.run(&["import", s(&fixture(SURVEY)), s(&p), "-o", "c.csv"])
        .code(2)
        .stderr_has("locked.xlsx")
        .stderr_has("password");
}

#[test]
fn a_damaged_workbook_exits_2_with_a_cure() {
    let w = Work::new();
    let bytes = std::fs::read(fixture("import/sources/titled.xlsx")).unwrap();
    let p = w.write("cut.xlsx", &bytes[..bytes.len() / 2]);
    w.run(&["import", s(&fixture(SURVEY)), s(&p), "-o", "c.csv"])
        .code(2)
        .stderr_has("cut.xlsx")
        .stderr_has("save it again");
    let p = w.write("text.xlsx", "rid,q_s1\nr1,3\n");
    w.run(&["import", s(&fixture(SURVEY)), s(&p), "-o", "c.csv"])
        .code(2)
        .stderr_has("text.xlsx")
        .stderr_has("extension");
    assert!(!w.path("c.csv").exists());
}

/// A zip whose one entry declares 4,000,000,000 uncompressed bytes in the central directory.
fn zip_bomb() -> Vec<u8> {
    let name = b"xl/worksheets/sheet1.xml";
    let data = [0x03u8, 0x00]; // an empty deflate stream
    let mut z = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    // Local file header.
    le32(&mut z, 0x0403_4b50);
    le16(&mut z, 20);
    le16(&mut z, 0);
    le16(&mut z, 8);
    le16(&mut z, 0);
    le16(&mut z, 0);
    le32(&mut z, 0);
    le32(&mut z, data.len() as u32);
    le32(&mut z, 4_000_000_000);
    le16(&mut z, name.len() as u16);
    le16(&mut z, 0);
    z.extend_from_slice(name);
    z.extend_from_slice(&data);
    let cd_start = z.len() as u32;
    // Central directory entry.
    le32(&mut z, 0x0201_4b50);
    le16(&mut z, 20);
    le16(&mut z, 20);
    le16(&mut z, 0);
    le16(&mut z, 8);
    le16(&mut z, 0);
    le16(&mut z, 0);
    le32(&mut z, 0);
    le32(&mut z, data.len() as u32);
    le32(&mut z, 4_000_000_000);
    le16(&mut z, name.len() as u16);
    le16(&mut z, 0);
    le16(&mut z, 0);
    le16(&mut z, 0);
    le16(&mut z, 0);
    le32(&mut z, 0);
    le32(&mut z, 0);
    z.extend_from_slice(name);
    let cd_len = z.len() as u32 - cd_start;
    // End of central directory.
    le32(&mut z, 0x0605_4b50);
    le16(&mut z, 0);
    le16(&mut z, 0);
    le16(&mut z, 1);
    le16(&mut z, 1);
    le32(&mut z, cd_len);
    le32(&mut z, cd_start);
    le16(&mut z, 0);
    z
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let w = Work::new();
    let p = w.write("bomb.xlsx", zip_bomb());
    w.run(&["import", s(&fixture(SURVEY)), s(&p), "-o", "c.csv"])
        .code(2)
        .stderr_has("bomb.xlsx")
        .stderr_has("4000000000 bytes");
}

#[test]
fn an_spss_file_in_an_unknown_encoding_exits_2() {
    let w = Work::new();
    let mut bytes = std::fs::read(fixture("import/sources/responses.sav")).unwrap();
    let at: Vec<usize> = bytes
        .windows(5)
        .enumerate()
        .filter(|(_, win)| *win == b"UTF-8")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 1, "the fixture names its encoding once");
    bytes[at[0]..at[0] + 5].copy_from_slice(b"XQ-77");
    let p = w.write("odd.sav", &bytes);
    w.run(&["import", s(&fixture(SURVEY)), s(&p), "-o", "c.csv"])
        .code(2)
        .stderr_has("odd.sav")
        .stderr_has("'XQ-77'")
        .stderr_has("UNICODE");
}

#[test]
fn a_damaged_spss_file_exits_2() {
    let w = Work::new();
    let bytes = std::fs::read(fixture("import/sources/responses.sav")).unwrap();
    let p = w.write("cut.sav", &bytes[..300]);
    w.run(&["import", s(&fixture(SURVEY)), s(&p), "-o", "c.csv"])
        .code(2)
        .stderr_has("cut.sav");
}

/// The question columns of a clean CSV, by header.
fn question_columns(path: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        for (h, v) in headers.iter().zip(rec.iter()) {
            if h.starts_with("q_") || h == "rid" || h == "region" || h == "weight" {
                out.entry(h.to_string()).or_default().push(v.to_string());
            }
        }
    }
    out
}

#[test]
fn sav_zsav_and_xlsx_outputs_read_back_to_the_same_answers() {
    let w = Work::new();
    let survey = fixture(SURVEY);
    let data = fixture("import/labels.csv");
    w.run(&["import", s(&survey), s(&data), "-o", "ref.csv"])
        .ok();
    let reference = question_columns(&w.path("ref.csv"));
    assert!(reference.len() >= 12, "{reference:?}");
    for ext in ["sav", "zsav", "xlsx"] {
        let out = format!("clean.{ext}");
        w.run(&["import", s(&survey), s(&data), "-o", &out]).ok();
        let back = format!("back-{ext}.csv");
        let r = w.run(&["import", s(&survey), &out, "-o", &back]);
        r.ok();
        // Satkit's own columns are recognised: no unknown-column warnings.
        assert!(
            !r.stderr.contains("matches no question"),
            "{ext}: {}",
            r.stderr
        );
        assert_eq!(question_columns(&w.path(&back)), reference, "{ext}");
    }
    // SPSS carries the labels: the question text and the scale's labels are in the file.
    let sav = std::fs::read(w.path("clean.sav")).unwrap();
    let has = |needle: &str| sav.windows(needle.len()).any(|x| x == needle.as_bytes());
    assert!(has("您对店员的服务态度是否满意？"));
    assert!(has("非常满意"));
    assert!(has("不适用"));
    // Excel has a codebook sheet.
    let xlsx = std::fs::read(w.path("clean.xlsx")).unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    assert!(
        zip.file_names()
            .any(|n| n.is_ok_and(|n| n == "xl/worksheets/sheet2.xml"))
    );
}

#[test]
fn an_unknown_output_extension_is_a_usage_error() {
    let w = Work::new();
    w.run(&[
        "import",
        s(&fixture(SURVEY)),
        s(&fixture("import/labels.csv")),
        "-o",
        "clean.json",
    ])
    .code(2)
    .stderr_has(".sav, .zsav or .xlsx");
}
