//! `satkit map`: headers matched by id, text, numbering, option and similarity; the written map
//! imports; an ambiguous header is never taken (exit 2, nothing written).

use crate::util::*;

const SURVEY: &str = "import/survey.toml";

#[test]
fn a_written_map_imports_a_file_with_numbered_and_reworded_headers() {
    let w = Work::new();
    // Numbered texts, one reworded header (fuzzy), option columns, respondent columns.
    let data = w.write(
        "export.csv",
        "rid,1、您通常通过哪种渠道购买？,2、您购买过哪些商品？（最多两项）:图书,2、您购买过哪些商品？（最多两项）:文具,2、您购买过哪些商品？（最多两项）:咖啡,3、您的年龄是？,q_s1,q_s2,您对店内的环境是否满意,q_s4,q_price,q_overall,q_comment,region,weight,duration\n\
         r1,线上,图书,,咖啡,34,4,5,3,2,1,4,很好,华东,1.0,300\n\
         r2,门店,,文具,,41,3,4,4,5,3,4,,华北,1.0,310\n",
    );
    let r = w.run(&[
        "map",
        s(&fixture(SURVEY)),
        s(&data),
        "-o",
        "map.toml",
        "--format",
        "json",
    ]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let how = |h: &str| {
        v["matched"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["header"] == h)
            .map(|m| {
                (
                    m["target"].as_str().unwrap().to_string(),
                    m["how"].as_str().unwrap().to_string(),
                )
            })
    };
    assert_eq!(
        how("1、您通常通过哪种渠道购买？"),
        Some(("q_channel".into(), "numbering".into()))
    );
    assert_eq!(
        how("2、您购买过哪些商品？（最多两项）:文具"),
        Some(("q_buy/2".into(), "option".into()))
    );
    assert_eq!(
        how("您对店内的环境是否满意"),
        Some(("q_s3".into(), "fuzzy".into()))
    );
    assert_eq!(v["unmatched_questions"], serde_json::json!([]));
    let r = w.run(&[
        "import",
        s(&fixture(SURVEY)),
        s(&data),
        "--map",
        "map.toml",
        "-o",
        "clean.csv",
        "--format",
        "json",
    ]);
    r.ok();
    let clean = w.read("clean.csv");
    assert!(clean.contains("r1,2,1;3,34.0,4,5,3,2,1,4,很好"), "{clean}");
}

#[test]
fn an_ambiguous_header_is_listed_and_never_taken() {
    let w = Work::new();
    let survey = std::fs::read_to_string(fixture(SURVEY))
        .unwrap()
        .replace("您对店内环境是否满意？", "您对店内环境是否满意？(一楼)")
        .replace("您对配送服务是否满意？", "您对店内环境是否满意？(二楼)");
    let survey = w.write("survey.toml", survey);
    let data = w.write("d.csv", "rid,您对店内环境是否满意\nr1,3\n");
    let r = w.run(&["map", s(&survey), s(&data), "-o", "map.toml"]);
    r.code(2)
        .stderr_has("match more than one question")
        .stdout_has("ambiguous (not mapped)")
        .stdout_has("q_s3")
        .stdout_has("q_s4");
    assert!(!w.path("map.toml").exists());
}

#[test]
fn map_reads_workbooks_and_spss_files() {
    let w = Work::new();
    for f in ["titled.xlsx", "responses.sav"] {
        let r = w.run(&[
            "map",
            s(&fixture(SURVEY)),
            s(&fixture(&format!("import/sources/{f}"))),
        ]);
        r.ok().stdout_has("q_overall");
        assert!(
            !r.stdout.contains("questions without a column"),
            "{f}: {}",
            r.stdout
        );
    }
}

#[test]
fn import_matches_question_texts_whatever_their_punctuation_and_width() {
    let w = Work::new();
    let data = w.write(
        "d.csv",
        "rid,q_channel,q_buy,q_age,您对店员的服务态度是否满意?,您对结账速度是否满意 ,q_s3,q_s4,q_price,q_overall,q_comment\nr1,1,1,30,4,5,3,2,1,4,\n",
    );
    let r = w.run(&[
        "import",
        s(&fixture(SURVEY)),
        s(&data),
        "-o",
        "c.csv",
        "--format",
        "json",
    ]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let targets: Vec<&str> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["how"] == "label")
        .map(|c| c["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["q_s1", "q_s2"]);
}
