//! `satkit build`: every format renders, Chinese text survives, XLSForm is a valid workbook, and
//! the bytes are identical from run to run.

use std::io::Read;

use crate::util::*;

fn b2b() -> std::path::PathBuf {
    repo().join("surveys/b2b-platform/survey.toml")
}

#[test]
fn html_of_chinese_survey_contains_chinese_text_and_escapes() {
    let w = Work::new();
    w.run(&["build", s(&b2b()), "--to", "html", "-o", "q.html"])
        .ok();
    let html = w.read("q.html");
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("lang=\"zh-CN\""));
    assert!(html.contains("客户服务"), "dimension name missing");
    assert!(html.contains("type=\"radio\""));
    assert!(
        !html.contains("<script"),
        "the questionnaire page runs no scripts"
    );
}

#[test]
fn html_escapes_user_text() {
    let w = Work::new();
    let text = std::fs::read_to_string(fixture("surveys/minimal.toml"))
        .unwrap()
        .replace(
            "How satisfied are you with the staff?",
            "<script>alert(1)</script> & staff",
        );
    w.write("x.toml", text);
    w.run(&["build", "x.toml", "--to", "html", "-o", "x.html"])
        .ok();
    let html = w.read("x.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; staff"));
    assert!(!html.contains("<script>alert"));
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut f = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the workbook"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

#[test]
fn xlsform_is_a_workbook_with_survey_choices_settings() {
    let w = Work::new();
    w.run(&["build", s(&b2b()), "--to", "xlsform", "-o", "form.xlsx"])
        .ok();
    let bytes = std::fs::read(w.path("form.xlsx")).unwrap();
    let wb = zip_entry(&bytes, "xl/workbook.xml");
    for sheet in ["survey", "choices", "settings"] {
        assert!(
            wb.contains(&format!("name=\"{sheet}\"")),
            "sheet {sheet} missing: {wb}"
        );
    }
    let strings = zip_entry(&bytes, "xl/sharedStrings.xml");
    for needle in [
        "select_one",
        "begin_group",
        "list_name",
        "form_id",
        "客户服务",
    ] {
        assert!(strings.contains(needle), "{needle} missing");
    }
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    let w = Work::new();
    for p in surveys() {
        for to in ["markdown", "html", "xlsform", "template", "codebook"] {
            w.run(&["build", s(&p), "--to", to, "-o", "a.out"]).ok();
            w.run(&["build", s(&p), "--to", to, "-o", "b.out"]).ok();
            let a = std::fs::read(w.path("a.out")).unwrap();
            let b = std::fs::read(w.path("b.out")).unwrap();
            assert!(!a.is_empty());
            assert_eq!(a, b, "{} --to {to} differs between runs", p.display());
        }
    }
}

#[test]
fn template_and_codebook_list_every_question() {
    let w = Work::new();
    let t = w.run(&[
        "build",
        s(&fixture("surveys/minimal.toml")),
        "--to",
        "template",
    ]);
    t.ok();
    assert_eq!(t.stdout.trim(), "respondent_id,q_speed,q_staff,q_price");
    let c = w.run(&[
        "build",
        s(&fixture("surveys/minimal.toml")),
        "--to",
        "codebook",
        "--codebook-format",
        "json",
    ]);
    c.ok();
    let v: serde_json::Value = serde_json::from_str(&c.stdout).unwrap();
    let speed = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "q_speed")
        .unwrap();
    assert_eq!(speed["tree_path"], "service");
    assert!(
        speed["codes"]
            .as_str()
            .unwrap()
            .starts_with("1=Very dissatisfied")
    );
}

#[test]
fn build_refuses_to_overwrite_its_input() {
    let w = Work::new();
    let p = w.write(
        "s.toml",
        std::fs::read(fixture("surveys/minimal.toml")).unwrap(),
    );
    let before = std::fs::read(&p).unwrap();
    w.run(&["build", "s.toml", "--to", "markdown", "-o", "s.toml"])
        .code(2)
        .stderr_has("never modifies an input");
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

/// The "select all that apply" hint follows a multiple-choice question once: added when the text
/// does not say so, not repeated when it does.
#[test]
fn multiple_choice_hint_appears_once() {
    let w = Work::new();
    let src = std::fs::read_to_string(repo().join("surveys/b2b-platform/survey.toml")).unwrap();
    let said = "（可多选，最多 3 项）";
    assert!(src.contains(said));
    w.write("said.toml", &src);
    w.write("unsaid.toml", src.replace(said, ""));
    for (file, hint) in [("said.toml", "可多选"), ("unsaid.toml", "（可多选）")] {
        let r = w.run(&["build", file, "--to", "markdown"]);
        r.ok();
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains("`purchase_categories`"))
            .unwrap_or_else(|| panic!("{file}: no purchase_categories line"));
        assert_eq!(line.matches("可多选").count(), 1, "{file}: {line}");
        assert!(line.contains(hint), "{file}: {line}");
    }
}
