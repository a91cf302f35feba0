//! `satkit lint` (issue 7): findings with rule, severity, file:line:col, message and fix; exit 1 on
//! errors, 2 when a file does not parse or validate; rules files and inline allow comments.
//! Every rule also has a positive and a negative case in the unit tests of src/lint/tests.rs.

use serde::Deserialize;

use crate::util::*;

#[derive(Debug, Deserialize)]
struct Report {
    schema_version: String,
    errors: usize,
    warnings: usize,
    invalid_files: usize,
    files: Vec<FileReport>,
}

#[derive(Debug, Deserialize)]
struct FileReport {
    file: String,
    valid: bool,
    errors: usize,
    estimated_minutes: Option<f64>,
    stated_minutes: Option<f64>,
    findings: Vec<Finding>,
    check_diagnostics: Vec<Finding>,
}

#[derive(Debug, Deserialize)]
struct Finding {
    rule: Option<String>,
    severity: String,
    file: String,
    line: usize,
    column: usize,
    message: String,
    help: String,
}

fn json(r: &Run) -> Report {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}):\n{}", r.stdout))
}

/// (fixture, rule, line, column, severity) that `satkit lint` must report.
const EXPECTED: &[(&str, &str, usize, usize, &str)] = &[
    ("wording_zh.toml", "double_barrelled", 24, 16, "warning"),
    ("wording_zh.toml", "leading_question", 30, 9, "error"),
    ("wording_zh.toml", "presupposition", 36, 13, "error"),
    ("wording_zh.toml", "jargon", 42, 12, "warning"),
    ("wording_zh.toml", "vague_quantifier", 48, 10, "warning"),
    ("wording_zh.toml", "double_negative", 54, 11, "error"),
    ("wording_zh.toml", "recall_period", 60, 9, "warning"),
    ("wording_zh.toml", "calculation", 65, 16, "warning"),
    ("wording_zh.toml", "hypothetical", 70, 9, "warning"),
    ("wording_en.toml", "double_barrelled", 24, 46, "warning"),
    ("wording_en.toml", "leading_question", 30, 9, "error"),
    ("wording_en.toml", "presupposition", 36, 9, "error"),
    ("wording_en.toml", "jargon", 42, 40, "warning"),
    ("wording_en.toml", "recall_period", 48, 51, "warning"),
    ("wording_en.toml", "hypothetical", 53, 33, "warning"),
];

#[test]
fn findings_have_rule_severity_location_message_and_fix() {
    let w = Work::new();
    for file in ["wording_zh.toml", "wording_en.toml"] {
        let r = w.run(&[
            "lint",
            s(&fixture(&format!("lint/{file}"))),
            "--format",
            "json",
        ]);
        r.code(1);
        let report = json(&r);
        assert_eq!(report.schema_version, "1.0.0");
        let f = &report.files[0];
        assert!(f.valid && f.errors > 0 && report.warnings > 0);
        assert!(f.file.ends_with(file));
        for (fx, rule, line, col, sev) in EXPECTED.iter().filter(|e| e.0 == file) {
            let hit = f.findings.iter().find(|d| d.rule.as_deref() == Some(*rule));
            let hit = hit.unwrap_or_else(|| panic!("{fx}: no {rule} finding in {:#?}", f.findings));
            assert_eq!(
                (hit.line, hit.column, hit.severity.as_str()),
                (*line, *col, *sev),
                "{fx} {rule}: {}",
                hit.message
            );
            assert!(hit.file.ends_with(fx));
            assert!(!hit.message.is_empty() && !hit.help.is_empty() && !hit.help.contains('\n'));
        }
        // Text output: file:line:col: severity[rule]: message, then the fix.
        let t = w.run(&["lint", s(&fixture(&format!("lint/{file}")))]);
        t.code(1);
        let (_, rule, line, col, sev) = EXPECTED.iter().find(|e| e.0 == file).unwrap();
        t.stdout_has(&format!("{file}:{line}:{col}: {sev}[{rule}]:"))
            .stdout_has("= help: ");
    }
}

#[test]
fn inline_comment_allows_a_finding() {
    let w = Work::new();
    let r = w.run(&[
        "lint",
        s(&fixture("lint/wording_zh.toml")),
        "--format",
        "json",
    ]);
    let report = json(&r);
    // Line 76 carries `# satkit-lint: allow(double_barrelled)` above the text on line 77.
    let f = &report.files[0];
    assert!(
        !f.findings
            .iter()
            .any(|d| d.line == 77 && d.rule.as_deref() == Some("double_barrelled"))
    );
    assert!(
        f.findings
            .iter()
            .any(|d| d.line == 77 && d.rule.as_deref() == Some("na_option")),
        "allow() names one rule only"
    );
    // Without the comment the finding is back.
    let text = std::fs::read_to_string(fixture("lint/wording_zh.toml"))
        .unwrap()
        .replace("# satkit-lint: allow(double_barrelled)\n", "");
    w.write("no_allow.toml", text);
    let report = json(&w.run(&["lint", "no_allow.toml", "--format", "json"]));
    assert!(
        report.files[0]
            .findings
            .iter()
            .any(|d| d.line == 76 && d.rule.as_deref() == Some("double_barrelled"))
    );
}

#[test]
fn rules_file_regrades_and_switches_off() {
    let w = Work::new();
    let r = w.run(&[
        "lint",
        s(&fixture("lint/wording_zh.toml")),
        "--rules",
        s(&fixture("lint/rules.toml")),
        "--format",
        "json",
    ]);
    r.ok();
    let report = json(&r);
    let f = &report.files[0];
    assert_eq!(report.errors, 0);
    let rules: Vec<&str> = f
        .findings
        .iter()
        .filter_map(|d| d.rule.as_deref())
        .collect();
    assert!(
        rules.contains(&"leading_question") && rules.contains(&"double_negative"),
        "{rules:?}"
    );
    assert!(
        !rules.contains(&"hypothetical") && !rules.contains(&"na_option"),
        "switched off: {rules:?}"
    );
    assert!(
        !rules.contains(&"jargon"),
        "SKU is a known acronym in the rules file: {rules:?}"
    );
    w.run(&[
        "lint",
        s(&fixture("lint/wording_zh.toml")),
        "--rules",
        s(&fixture("lint/bad_rules.toml")),
    ])
    .code(2)
    .stderr_has("bad_rules.toml:2:1: unknown lint rule 'double_barreled'")
    .stderr_has("2 | double_barreled = \"off\"")
    .stderr_has("did you mean 'double_barrelled'");
}

/// A rules file's bad value is located at the value itself, with the line and a caret (issue 13:
/// one TOML loader with spans instead of a text search for the key's line).
#[test]
fn rules_file_value_errors_point_at_the_value() {
    let w = Work::new();
    w.write(
        "rules.toml",
        "[rules]\nlong_question = \"loud\"\n[settings]\nmax_question_chars_zh = \"forty\"\n",
    );
    w.run(&[
        "lint",
        s(&fixture("lint/wording_zh.toml")),
        "--rules",
        "rules.toml",
    ])
    .code(2)
    .stderr_has("rules.toml:2:17: 'loud' is not a rule level for 'long_question'")
    .stderr_has("^^^^^^");
    w.write(
        "rules.toml",
        "[settings]\nmax_question_chars_zh = \"forty\"\n",
    );
    w.run(&[
        "lint",
        s(&fixture("lint/wording_zh.toml")),
        "--rules",
        "rules.toml",
    ])
    .code(2)
    .stderr_has("rules.toml:2:25: setting 'max_question_chars_zh' must be a positive whole number")
    .stderr_has("= help: e.g. max_question_chars_zh = 40");
}

#[test]
fn glossary_setting_flags_configured_terms() {
    let w = Work::new();
    let text = std::fs::read_to_string(fixture("lint/wording_en.toml"))
        .unwrap()
        .replace(
            "Overall, how satisfied are you with the shop?",
            "Overall, how satisfied are you with the omnichannel shop?",
        );
    w.write("s.toml", text);
    w.write("r.toml", "glossary = [\"footfall\"]\n");
    let default = json(&w.run(&["lint", "s.toml", "--format", "json"]));
    assert!(
        default.files[0]
            .findings
            .iter()
            .any(|d| d.rule.as_deref() == Some("jargon") && d.message.contains("omnichannel"))
    );
    let custom = json(&w.run(&["lint", "s.toml", "--rules", "r.toml", "--format", "json"]));
    assert!(
        !custom.files[0]
            .findings
            .iter()
            .any(|d| d.message.contains("omnichannel")),
        "glossary replaces the default list"
    );
}

#[test]
fn example_surveys_have_no_lint_errors() {
    let w = Work::new();
    for p in surveys() {
        let r = w.run(&["lint", s(&p), "--format", "json"]);
        r.ok();
        let report = json(&r);
        let f = &report.files[0];
        assert_eq!(f.errors, 0, "{}: {:#?}", p.display(), f.findings);
        assert!(
            f.findings.len() <= 12,
            "{}: {} findings",
            p.display(),
            f.findings.len()
        );
        let (est, stated) = (f.estimated_minutes.unwrap(), f.stated_minutes.unwrap());
        assert!(
            est <= stated * 1.25 && est >= stated * 0.5,
            "{}: estimated {est} vs stated {stated}",
            p.display()
        );
    }
}

#[test]
fn invalid_survey_prints_check_diagnostics_and_exits_2() {
    let w = Work::new();
    let r = w.run(&["lint", s(&fixture("surveys/syntax_error.toml"))]);
    r.code(2)
        .stderr_has("syntax_error.toml:3:24: error")
        .stderr_has("does not parse or validate");
    let j = w.run(&[
        "lint",
        s(&fixture("surveys/duplicate_id.toml")),
        s(&fixture("lint/wording_en.toml")),
        "--format",
        "json",
    ]);
    j.code(2);
    let report = json(&j);
    assert_eq!(report.invalid_files, 1);
    assert!(
        !report.files[0].valid
            && report.files[0].check_diagnostics[0]
                .message
                .contains("duplicate id")
    );
    assert!(report.files[1].valid, "the other file is still linted");
    w.run(&["lint", "missing.toml"])
        .code(2)
        .stderr_has("missing.toml");
}

#[test]
fn weight_errors_from_check_become_lint_errors() {
    let w = Work::new();
    for (file, rule, line) in [
        ("weights_sum.toml", "weights_sum", 30),
        ("ahp_inconsistent.toml", "ahp_consistency", 30),
    ] {
        let r = w.run(&[
            "lint",
            s(&fixture(&format!("surveys/{file}"))),
            "--format",
            "json",
        ]);
        r.code(1);
        let report = json(&r);
        let f = &report.files[0];
        assert!(f.valid, "{file} is linted despite its weights");
        let hit = f
            .findings
            .iter()
            .find(|d| d.rule.as_deref() == Some(rule))
            .unwrap_or_else(|| panic!("{file}: {:#?}", f.findings));
        assert_eq!((hit.line, hit.severity.as_str()), (line, "error"));
    }
    // A zero weight, written on a multi-line table.
    let text = std::fs::read_to_string(fixture("surveys/minimal.toml"))
        .unwrap()
        .replace("weight = 0.6", "weight = 1")
        .replace("weight = 0.4", "weight = 0");
    w.write("zero.toml", text);
    let report = json(&w.run(&["lint", "zero.toml", "--format", "json"]));
    assert!(
        report.files[0]
            .findings
            .iter()
            .any(|d| d.rule.as_deref() == Some("zero_weight"))
    );
}

#[test]
fn docs_list_every_rule_and_match_the_table() {
    let w = Work::new();
    let r = w.run(&["lint", "--list-rules", "--format", "markdown"]);
    r.ok();
    let doc = std::fs::read_to_string(repo().join("docs/lint-rules.md")).unwrap();
    assert_eq!(
        r.stdout, doc,
        "regenerate docs/lint-rules.md with `satkit lint --list-rules --format markdown`"
    );
    #[derive(Deserialize)]
    struct Rule {
        id: String,
        severity: String,
        bad: String,
        good: String,
    }
    let rules: Vec<Rule> =
        serde_json::from_str(&w.run(&["lint", "--list-rules", "--format", "json"]).stdout).unwrap();
    assert!(rules.len() >= 25);
    for rule in &rules {
        assert!(
            doc.contains(&format!("### {}", rule.id)),
            "docs/lint-rules.md lacks {}",
            rule.id
        );
        assert!(["error", "warning", "info"].contains(&rule.severity.as_str()));
        assert!(!rule.bad.is_empty() && !rule.good.is_empty());
    }
    w.run(&[
        "lint",
        s(&fixture("lint/wording_en.toml")),
        "--format",
        "markdown",
    ])
    .code(2)
    .stderr_has("--list-rules");
}
