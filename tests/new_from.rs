//! `satkit new --from`: a draft survey from an XLSForm passes `check`, and the round trip
//! `build --to xlsform` → `new --from` → `build --to xlsform` gives the same questions, scales,
//! choices and tree (the survey and choices sheets are equal cell by cell).

use calamine::{Data, Reader};

use crate::util::*;

fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<String>> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_xlsform_round_trip_keeps_questions_scales_choices_and_tree() {
    let w = Work::new();
    for survey in surveys() {
        let name = survey
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let a = w.path(&format!("{name}.xlsx"));
        w.run(&["build", s(&survey), "--to", "xlsform", "-o", s(&a)])
            .ok();
        let draft = w.path(&format!("{name}-draft.toml"));
        w.run(&["new", "draft", "--from", s(&a), "-o", s(&draft)])
            .ok();
        w.run(&["check", s(&draft)]).ok();
        let b = w.path(&format!("{name}-again.xlsx"));
        w.run(&["build", s(&draft), "--to", "xlsform", "-o", s(&b)])
            .ok();
        for sh in ["survey", "choices"] {
            assert_eq!(sheet(&a, sh), sheet(&b, sh), "{name}: sheet {sh}");
        }
        let text = std::fs::read_to_string(&draft).unwrap();
        assert!(text.contains("# TODO: weights"), "{name}");
    }
}

#[test]
fn a_kobo_style_form_with_two_languages_becomes_a_survey() {
    let w = Work::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let rows: &[&[&str]] = &[
        &[
            "type",
            "name",
            "label::English (en)",
            "label::中文 (zh)",
            "required",
            "constraint",
        ],
        &["start", "start", "", "", "", ""],
        &[
            "select_one tier",
            "customer_type",
            "Which describes you?",
            "您属于哪类客户？",
            "yes",
            "",
        ],
        &[
            "select_multiple products",
            "products",
            "Products used",
            "使用过的产品",
            "",
            "count-selected(.) <= 2",
        ],
        &["integer", "age", "Age", "年龄", "", ". >= 18 and . <= 99"],
        &["begin_group", "group_service", "Service", "服务", "", ""],
        &[
            "select_one sat",
            "q3",
            "Friendliness of staff",
            "服务态度",
            "yes",
            "",
        ],
        &[
            "select_one sat",
            "q4",
            "Knowledge of staff",
            "专业水平",
            "yes",
            "",
        ],
        &["end_group", "", "", "", "", ""],
        &["begin_group", "group_network", "Network", "网络", "", ""],
        &[
            "select_one sat",
            "q5",
            "Reliability",
            "网络稳定性",
            "yes",
            "",
        ],
        &["end_group", "", "", "", "", ""],
        &[
            "select_one nps",
            "q10",
            "How likely are you to recommend us?",
            "您向朋友推荐我们的可能性有多大？",
            "yes",
            "",
        ],
        &["text", "q11", "Anything else?", "还有什么建议？", "", ""],
        &["calculate", "score", "", "", "", ""],
    ];
    let s1 = book.add_worksheet();
    s1.set_name("survey").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            s1.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    let mut choices: Vec<[String; 4]> = vec![
        [
            "list_name".into(),
            "name".into(),
            "label::English (en)".into(),
            "label::中文 (zh)".into(),
        ],
        [
            "tier".into(),
            "individual".into(),
            "Individual".into(),
            "个人客户".into(),
        ],
        [
            "tier".into(),
            "business".into(),
            "Business".into(),
            "企业客户".into(),
        ],
        [
            "products".into(),
            "broadband".into(),
            "Broadband".into(),
            "宽带".into(),
        ],
        [
            "products".into(),
            "mobile".into(),
            "Mobile".into(),
            "手机".into(),
        ],
        ["products".into(), "tv".into(), "TV".into(), "电视".into()],
    ];
    let sat = ["很不满意", "不满意", "一般", "满意", "很满意"];
    for (i, l) in sat.iter().enumerate() {
        choices.push([
            "sat".into(),
            (i + 1).to_string(),
            format!("level {}", i + 1),
            l.to_string(),
        ]);
    }
    for i in 0..=10 {
        choices.push(["nps".into(), i.to_string(), i.to_string(), i.to_string()]);
    }
    let s2 = book.add_worksheet();
    s2.set_name("choices").unwrap();
    for (r, row) in choices.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            s2.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    let s3 = book.add_worksheet();
    s3.set_name("settings").unwrap();
    s3.write_string(0, 0, "form_title").unwrap();
    s3.write_string(1, 0, "客户满意度调查").unwrap();
    s3.write_string(0, 1, "default_language").unwrap();
    s3.write_string(1, 1, "中文 (zh)").unwrap();
    let form = w.path("form.xlsx");
    book.save(&form).unwrap();
    w.run(&["new", "telecom", "--from", s(&form), "-o", "t.toml"])
        .ok();
    w.run(&["check", "t.toml"]).ok();
    let text = w.read("t.toml");
    for want in [
        "language = \"zh\"",
        "title = \"客户满意度调查\"",
        "text = \"服务态度\"",
        "[scales.sat]",
        "labels = [\"很不满意\", \"不满意\", \"一般\", \"满意\", \"很满意\"]",
        "type = \"nps\"",
        "choices = [\"宽带\", \"手机\", \"电视\"]",
        "max_choices = 2",
        "min = 18",
        "max = 99",
        "integer = true",
        "[tree.group_service]",
        "questions = [\"q3\", \"q4\"]",
        "[tree.group_network]",
        "role = \"recommend\"?",
        "coded 1..2 here",
        "start (start)",
    ] {
        assert!(text.contains(want), "lacks {want}:\n{text}");
    }
    // English on request.
    w.run(&[
        "new",
        "telecom",
        "--from",
        s(&form),
        "--lang",
        "en",
        "-o",
        "e.toml",
    ])
    .ok();
    assert!(
        w.read("e.toml")
            .contains("text = \"Friendliness of staff\"")
    );
}

#[test]
fn a_data_file_becomes_a_survey_that_imports_it() {
    let w = Work::new();
    let cases = [
        fixture("import/sources/responses.sav"),
        fixture("import/sources/titled.xlsx"),
        fixture("import/platforms/wjx/export.csv"),
        repo().join("surveys/bookstore/responses.csv"),
    ];
    for (k, data) in cases.iter().enumerate() {
        let out = format!("d{k}.toml");
        w.run(&["new", "draft", "--from", s(data), "-o", &out]).ok();
        w.run(&["check", &out]).ok();
        let r = w.run(&[
            "import",
            &out,
            s(data),
            "-o",
            &format!("d{k}.csv"),
            "--format",
            "json",
        ]);
        r.ok();
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert!(v["rows_written"].as_u64().unwrap() > 0, "{data:?}");
        assert_eq!(v["unknown_columns"], serde_json::json!([]), "{data:?}");
    }
    // SPSS: labels become texts and scales; the N/A code is kept; 0/1 options are one question.
    let text = w.read("d0.toml");
    for want in [
        "text = \"您对店员的服务态度是否满意？\"",
        "labels = [\"非常不满意\", \"不满意\", \"一般\", \"满意\", \"非常满意\"]",
        "na_code = 99",
        "type = \"multiple\"",
        "choices = [\"图书\", \"文具\", \"咖啡\"]",
        "[tree.q_s]",
        "questions = [\"q_s1\", \"q_s2\", \"q_s3\", \"q_s4\"]",
        "role = \"overall\"?",
        "id = \"rid\"",
    ] {
        assert!(text.contains(want), "lacks {want}:\n{text}");
    }
    // 问卷星: numbered headers lose their number, matrix rows become one dimension, the
    // labels of a built-in scale make a rating on it.
    let text = w.read("d2.toml");
    for want in [
        "text = \"服务态度\"",
        "aliases = [\"3(服务态度)\"]",
        "type = \"nps\"",
    ] {
        assert!(text.contains(want), "lacks {want}:\n{text}");
    }
}
