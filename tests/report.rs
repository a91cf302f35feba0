//! The analysis report (`analyze` writes it, `satkit report` re-renders it): the file set, the
//! headline in report.html, self-containment, escaping, byte-identical re-rendering, determinism,
//! SOURCE_DATE_EPOCH, bad results files, and a snapshot of report.md for a fixed fixture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use satkit::analysis::Results;

use crate::util::*;

/// The report fixture: three dimensions (one named `<script>alert(1)</script>`), an item text
/// that starts with `=`, a `region` profile question, 40 fixed responses.
const FIXTURE_SURVEY: &str = "report/survey.toml";
const FIXTURE_DATA: &str = "report/responses.csv";
const SNAPSHOT: &str = "tests/snapshots/report_fixture.md";
const TABLES: [&str; 7] = [
    "items",
    "nodes",
    "correlations",
    "loadings",
    "priorities",
    "segments",
    "gaps",
];

fn b2b() -> (PathBuf, PathBuf) {
    (
        repo().join("surveys/b2b-platform/survey.toml"),
        repo().join("surveys/b2b-platform/responses.csv"),
    )
}

fn servqual() -> (PathBuf, PathBuf) {
    (
        repo().join("surveys/servqual/survey.toml"),
        repo().join("surveys/servqual/responses.csv"),
    )
}

fn analyze(w: &Work, survey: &Path, data: &Path, out: &str, extra: &[&str]) {
    let mut args = vec!["analyze", s(survey), s(data), "-o", out];
    args.extend_from_slice(extra);
    w.run(&args).ok();
}

fn results(w: &Work, out: &str) -> Results {
    serde_json::from_str(&w.read(&format!("{out}/results.json")))
        .expect("results.json parses as Results")
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Attribute values and CSS references that would make the browser fetch something.
fn external_references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    for key in ["src=", "href=", "url(", "@import", "srcset=", "action="] {
        for (i, _) in lower.match_indices(key) {
            let rest = lower[i + key.len()..].trim_start_matches(['"', '\'', ' ']);
            if rest.starts_with("http:")
                || rest.starts_with("https:")
                || rest.starts_with("//")
                || key == "@import"
            {
                found.push(html[i..(i + 60).min(html.len())].to_string());
            }
        }
    }
    for tag in ["<script", "<link", "<img", "<iframe", "<object", "<embed"] {
        if lower.contains(tag) {
            found.push(tag.to_string());
        }
    }
    found
}

/// Run satkit with SOURCE_DATE_EPOCH set (the util runner always removes it).
fn run_with_epoch(w: &Work, epoch: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_satkit"))
        .args(args)
        .current_dir(w.dir.path())
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", epoch)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run satkit");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn b2b_report_has_every_file_and_the_headline() {
    let w = Work::new();
    let (survey, data) = b2b();
    analyze(&w, &survey, &data, "out", &["--by", "business_role"]);
    let r = results(&w, "out");
    for f in ["results.json", "report.html", "report.md"] {
        assert!(w.path(&format!("out/{f}")).is_file(), "missing {f}");
    }
    for t in TABLES {
        assert!(
            w.path(&format!("out/tables/{t}.csv")).is_file(),
            "missing tables/{t}.csv"
        );
    }
    // Every chart linked from report.md exists, as SVG and PNG, and the PNG is a PNG.
    let md = w.read("out/report.md");
    for (i, _) in md.match_indices("](charts/") {
        let link = &md[i + 2..i + 2 + md[i + 2..].find(')').unwrap()];
        let bytes =
            std::fs::read(w.path(&format!("out/{link}"))).unwrap_or_else(|e| panic!("{link}: {e}"));
        if link.ends_with(".png") {
            assert!(bytes.starts_with(b"\x89PNG"), "{link} is not a PNG");
        }
    }
    let html = w.read("out/report.html");
    let index = format!("{:.1}", r.index.score.expect("b2b has an index"));
    assert!(
        html.contains(&format!("<div class=\"fact-value\">{index}</div>")),
        "headline index {index} not in report.html"
    );
    assert!(
        md.contains(&format!("**总体满意度指数: {index}**")),
        "headline index {index} not in report.md"
    );
    for n in r.index.nodes.iter().take(3) {
        assert!(
            html.contains(&n.name),
            "node name {} not in report.html",
            n.name
        );
    }
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("改进优先级"));
    for id in [
        "headline",
        "tree",
        "priorities",
        "items",
        "segments",
        "quality",
        "method",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id} missing"
        );
        assert!(
            html.contains(&format!("<a href=\"#{id}\">")),
            "contents entry {id} missing"
        );
    }
    assert!(
        !html.contains("<section id=\"gaps\">"),
        "b2b has no gaps section"
    );
    assert!(
        html.contains("@page") && html.contains("break-inside"),
        "print rules missing"
    );
    assert_eq!(external_references(&html), Vec::<String>::new());
    // Without SOURCE_DATE_EPOCH there is no timestamp.
    assert!(!html.contains(" UTC") && !md.contains(" UTC"));
    // `satkit report` re-renders the same bytes from the saved results.
    w.run(&["report", "out/results.json", "-o", "again"]).ok();
    assert!(
        w.read("again/report.md") == md,
        "report.md differs after `satkit report`"
    );
    assert!(
        w.read("again/report.html") == html,
        "report.html differs after `satkit report`"
    );
}

#[test]
fn servqual_report_has_gaps_in_english() {
    let w = Work::new();
    let (survey, data) = servqual();
    analyze(&w, &survey, &data, "out", &[]);
    let r = results(&w, "out");
    let html = w.read("out/report.html");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("<section id=\"gaps\">")
            && html.contains("Gaps between expectation and perception")
    );
    let index = format!("{:.1}", r.index.score.unwrap());
    assert!(html.contains(&format!("<div class=\"fact-value\">{index}</div>")));
    assert!(
        !html.contains("<section id=\"segments\">"),
        "no --by, no segments section"
    );
    let gaps = w.read("out/tables/gaps.csv");
    let dims = r.gaps.as_ref().unwrap().dimensions.len();
    assert_eq!(
        gaps.lines().filter(|l| l.starts_with("dimension,")).count(),
        dims
    );
    assert_eq!(external_references(&html), Vec::<String>::new());
}

#[test]
fn labels_are_escaped_in_html_markdown_and_csv() {
    let w = Work::new();
    analyze(
        &w,
        &fixture(FIXTURE_SURVEY),
        &fixture(FIXTURE_DATA),
        "out",
        &["--by", "region"],
    );
    let html = w.read("out/report.html");
    assert!(!html.contains("<script"), "raw <script> in report.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("<title>Report fixture: Café &amp; &lt;Co&gt;</title>"));
    // The item text mentions a URL: shown as text, never as a link.
    assert_eq!(external_references(&html), Vec::<String>::new());
    let md = w.read("out/report.md");
    assert!(
        !md.replace("\\<", "").contains("<script"),
        "unescaped <script> in report.md"
    );
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    assert!(
        md.contains("\\*friendly\\* \\| staff"),
        "markdown markup in a label not escaped"
    );
    let items = w.read("out/tables/items.csv");
    assert!(
        items.contains("s1,\"'=HYPERLINK("),
        "formula text not neutralised:\n{items}"
    );
    let nodes = w.read("out/tables/nodes.csv");
    assert!(
        nodes.contains("service,<script>alert(1)</script>,root,"),
        "CSV keeps the label as data"
    );
    // Numbers are never neutralised: negative loadings or correlations stay numbers.
    for t in ["loadings", "correlations", "segments"] {
        let text = w.read(&format!("out/tables/{t}.csv"));
        assert!(!text.contains(",'-"), "{t}.csv has a neutralised number");
    }
    assert!(w.read("out/tables/segments.csv").contains(",North,"));
}

#[test]
fn report_command_rerenders_byte_identical_files() {
    let w = Work::new();
    analyze(
        &w,
        &fixture(FIXTURE_SURVEY),
        &fixture(FIXTURE_DATA),
        "a",
        &["--by", "region"],
    );
    w.run(&["report", "a/results.json", "-o", "b"]).ok();
    let (a, mut b) = (files(&w.path("a")), files(&w.path("b")));
    assert!(
        b.remove("results.json").is_none(),
        "report must not write results.json"
    );
    let mut a = a;
    a.remove("results.json");
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between analyze and report"
        );
    }
}

#[test]
fn two_runs_give_identical_files() {
    let w = Work::new();
    let (survey, data) = b2b();
    analyze(&w, &survey, &data, "one", &["--by", "business_role"]);
    analyze(&w, &survey, &data, "two", &["--by", "business_role"]);
    let (one, two) = (files(&w.path("one")), files(&w.path("two")));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(bytes == &two[name], "{name} differs between two runs");
    }
}

#[test]
fn source_date_epoch_sets_the_timestamp() {
    let w = Work::new();
    let (survey, data) = (fixture(FIXTURE_SURVEY), fixture(FIXTURE_DATA));
    let (code, err) = run_with_epoch(
        &w,
        "1700000000",
        &["analyze", s(&survey), s(&data), "-o", "dated"],
    );
    assert_eq!(code, 0, "{err}");
    // `date -u -d @1700000000 '+%F %T'` prints 2023-11-14 22:13:20.
    assert!(
        w.read("dated/report.html")
            .contains("Generated: 2023-11-14 22:13:20 UTC")
    );
    assert!(
        w.read("dated/report.md")
            .contains("Generated: 2023-11-14 22:13:20 UTC")
    );

    let (code, err) = run_with_epoch(
        &w,
        "1700000000",
        &[
            "analyze",
            s(&survey),
            s(&data),
            "-o",
            "plain",
            "--no-timestamp",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!w.read("plain/report.html").contains("UTC"));

    let (code, err) = run_with_epoch(
        &w,
        "1700000000",
        &["report", "plain/results.json", "-o", "redated"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        w.read("redated/report.md")
            .contains("2023-11-14 22:13:20 UTC")
    );
    let (code, err) = run_with_epoch(
        &w,
        "1700000000",
        &[
            "report",
            "plain/results.json",
            "-o",
            "undated",
            "--no-timestamp",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(w.read("undated/report.md"), w.read("plain/report.md"));
}

#[test]
fn malformed_source_date_epoch_is_a_usage_error() {
    let w = Work::new();
    let (code, err) = run_with_epoch(
        &w,
        "yesterday",
        &[
            "analyze",
            s(&fixture(FIXTURE_SURVEY)),
            s(&fixture(FIXTURE_DATA)),
            "-o",
            "out",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("SOURCE_DATE_EPOCH 'yesterday'") && err.contains("--no-timestamp"),
        "{err}"
    );
    assert!(
        !w.path("out/results.json").exists(),
        "nothing is written before the check"
    );
}

#[test]
fn no_report_writes_only_results() {
    let w = Work::new();
    analyze(
        &w,
        &fixture(FIXTURE_SURVEY),
        &fixture(FIXTURE_DATA),
        "out",
        &["--no-report"],
    );
    assert_eq!(
        files(&w.path("out")).keys().collect::<Vec<_>>(),
        vec!["results.json"]
    );
}

#[test]
fn report_rejects_json_that_does_not_parse_with_its_location() {
    let w = Work::new();
    w.write(
        "bad.json",
        "{\n  \"schema_version\": \"1.0.0\",\n  \"satkit_version\": 0.1.0\n}\n",
    );
    w.run(&["report", "bad.json", "-o", "out"])
        .code(2)
        .stderr_has("bad.json:3:");
    assert!(!w.path("out").exists());
}

#[test]
fn report_rejects_json_that_is_not_results() {
    let w = Work::new();
    w.write(
        "other.json",
        "{\"schema_version\": \"1.2.0\", \"items\": []}\n",
    );
    w.run(&["report", "other.json", "-o", "out"])
        .code(2)
        .stderr_has("other.json:1:")
        .stderr_has("missing field");
}

#[test]
fn report_rejects_an_unsupported_major_schema_version() {
    let w = Work::new();
    analyze(
        &w,
        &fixture(FIXTURE_SURVEY),
        &fixture(FIXTURE_DATA),
        "out",
        &["--no-report"],
    );
    let json = w.read("out/results.json");
    let line = json
        .lines()
        .position(|l| l.contains("\"schema_version\""))
        .unwrap()
        + 1;
    w.write(
        "v2.json",
        json.replacen("\"schema_version\": \"1.", "\"schema_version\": \"2.", 1),
    );
    w.run(&["report", "v2.json", "-o", "out2"])
        .code(2)
        .stderr_has(&format!("v2.json:{line}:3: schema_version 2."))
        .stderr_has("re-run `satkit analyze`");
}

#[test]
fn report_help_has_examples() {
    Work::new()
        .run(&["report", "--help"])
        .ok()
        .stdout_has("Examples:")
        .stdout_has("satkit report out/b2b/results.json -o out/b2b");
}

/// report.md of the fixture, with the satkit version replaced so a release does not change it.
/// Update with `SATKIT_UPDATE_SNAPSHOTS=1 cargo test report::snapshot`.
#[test]
fn snapshot_of_fixture_report_md() {
    let w = Work::new();
    // Relative inputs: the data path appears in the report.
    w.write(
        "survey.toml",
        std::fs::read(fixture(FIXTURE_SURVEY)).unwrap(),
    );
    w.write(
        "responses.csv",
        std::fs::read(fixture(FIXTURE_DATA)).unwrap(),
    );
    w.run(&[
        "analyze",
        "survey.toml",
        "responses.csv",
        "-o",
        "out",
        "--by",
        "region",
    ])
    .ok();
    let md = w.read("out/report.md").replace(
        &format!("satkit {} ·", env!("CARGO_PKG_VERSION")),
        "satkit VERSION ·",
    );
    let path = repo().join(SNAPSHOT);
    if std::env::var_os("SATKIT_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &md).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with SATKIT_UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    if md != expected {
        let line = md
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .map_or(md.lines().count().min(expected.lines().count()), |i| i);
        panic!(
            "report.md differs from {SNAPSHOT} at line {}:\n  got:      {:?}\n  expected: {:?}\nrun with SATKIT_UPDATE_SNAPSHOTS=1 to accept",
            line + 1,
            md.lines().nth(line).unwrap_or(""),
            expected.lines().nth(line).unwrap_or("")
        );
    }
}

/// Responses for the report fixture where every rating item has 40% at the top point and 60% at
/// the two lowest: the maximum membership is the best grade, the weighted score (47.5) is Neutral.
fn bimodal_responses() -> String {
    let pattern: Vec<u8> = (0..40)
        .map(|i| match i % 10 {
            0..=3 => 5,
            4..=6 => 1,
            _ => 2,
        })
        .collect();
    let mut csv = String::from("rid,region,p1,p2,s1,s2,d1,d2,overall,recommend\n");
    for r in 0..40 {
        let v: Vec<String> = (0..7)
            .map(|j| pattern[(r + 7 * j) % 40].to_string())
            .collect();
        csv.push_str(&format!(
            "r{r:02},{},{},{}\n",
            1 + r % 2,
            v.join(","),
            r % 11
        ));
    }
    csv
}

#[test]
fn report_shows_both_fuzzy_grades_when_they_differ() {
    let w = Work::new();
    let data = w.write("bimodal.csv", bimodal_responses());
    analyze(&w, &fixture(FIXTURE_SURVEY), &data, "out", &[]);
    let res = results(&w, "out");
    let root = &res.fuzzy.as_ref().expect("fuzzy section").nodes[0];
    // 40% at the top against 30% and 30% at the bottom: the maximum membership is not effective
    // (α < 0.5), so the reported grade is the weighted score's.
    assert_eq!(
        (
            root.max_membership_grade.as_str(),
            root.score_grade.as_str(),
            root.grade.as_str(),
            root.grades_agree
        ),
        ("Very satisfied", "Neutral", "Neutral", false)
    );
    assert!(
        root.effectiveness.is_some_and(|e| e < 0.5),
        "{:?}",
        root.effectiveness
    );
    let md = w.read("out/report.md");
    assert!(md.contains("Neutral (Very satisfied / Neutral)"), "{md}");
    assert!(
        md.contains("The maximum-membership grade differs from the grade of the weighted score"),
        "{md}"
    );
}
