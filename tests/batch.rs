//! `satkit batch` (issue 8): the example batch over the four surveys, a job whose data file is
//! missing, gates and baselines per job, invalid batch files (exit 2 with file:line:col) and
//! outputs that would leave the batch output directory.

use std::path::Path;

use satkit::analysis::Results;
use satkit::batch::{BatchSummary, JobStatus};

use crate::util::*;

/// Copy the example surveys (survey.toml, responses.csv) and surveys/batch.toml into `w`.
fn copy_examples(w: &Work) {
    for survey in surveys() {
        let dir = survey.parent().unwrap();
        let name = dir.file_name().unwrap().to_str().unwrap();
        for f in ["survey.toml", "responses.csv"] {
            w.write(
                &format!("surveys/{name}/{f}"),
                std::fs::read(dir.join(f)).unwrap(),
            );
        }
    }
    w.write(
        "surveys/batch.toml",
        std::fs::read(repo().join("surveys/batch.toml")).unwrap(),
    );
}

fn summary(w: &Work, rel: &str) -> BatchSummary {
    serde_json::from_str(&w.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A batch file over the bookstore example with the given jobs (TOML text).
fn bookstore_batch(w: &Work, jobs: &str) {
    let survey = repo().join("surveys/bookstore/survey.toml");
    let data = repo().join("surveys/bookstore/responses.csv");
    w.write(
        "batch.toml",
        format!(
            "[defaults]\nsurvey = {:?}\ndata = {:?}\n\n{jobs}",
            s(&survey),
            s(&data)
        ),
    );
}

#[test]
fn example_batch_runs_the_four_surveys_with_segments_and_writes_the_index_page() {
    let w = Work::new();
    copy_examples(&w);
    let r = w.run(&["batch", "surveys/batch.toml", "--jobs", "2"]);
    r.ok()
        .stdout_has("4 jobs: 4 ok, 0 with a failed gate, 0 failed");
    // Not a terminal: no progress lines.
    assert!(!r.stderr.contains("[1/4]"), "{}", r.stderr);
    let sm = summary(&w, "surveys/batch-out/summary.json");
    assert_eq!(sm.jobs, 4);
    assert!(sm.passed());
    let html = w.read("surveys/batch-out/summary.html");
    for job in &sm.results {
        assert_eq!(job.status, JobStatus::Ok, "{job:?}");
        assert!(job.gates.iter().all(|g| g.passed));
        let report = job.report.as_deref().unwrap();
        let results = job.results.as_deref().unwrap();
        assert!(html.contains(&format!("<a href=\"./{report}\">")), "{html}");
        assert!(
            html.contains(&format!("<a href=\"./{results}\">")),
            "{html}"
        );
        assert!(w.path("surveys/batch-out").join(report).is_file());
        let res: Results =
            serde_json::from_str(&w.read(&format!("surveys/batch-out/{results}"))).unwrap();
        assert_eq!(res.sample.n, job.n.unwrap());
        assert_eq!(res.index.score, job.index);
        // Every example has a region column, and the batch segments by it.
        assert!(
            res.segments.iter().any(|s| s.by == "region"),
            "{} has no region segments",
            job.name
        );
    }
    let names: Vec<&str> = sm.results.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(names, ["b2b-platform", "bookstore", "servqual", "acsi"]);
}

#[test]
fn a_job_with_a_missing_data_file_fails_alone_and_the_batch_exits_1() {
    let w = Work::new();
    bookstore_batch(
        &w,
        "[[job]]\nname = \"one\"\n\n[[job]]\nname = \"lost\"\ndata = \"no/such/responses.csv\"\n\n[[job]]\nname = \"two\"\nby = [\"region\"]\n",
    );
    let r = w.run(&["batch", "batch.toml", "--no-report", "--jobs", "2"]);
    r.code(1)
        .stderr_has("job 'lost' failed: ")
        .stderr_has("no/such/responses.csv")
        .stdout_has("3 jobs: 2 ok, 0 with a failed gate, 1 failed");
    let sm = summary(&w, "batch-out/summary.json");
    let status: Vec<JobStatus> = sm.results.iter().map(|j| j.status).collect();
    assert_eq!(status, [JobStatus::Ok, JobStatus::Failed, JobStatus::Ok]);
    let lost = &sm.results[1];
    assert!(
        lost.error
            .as_deref()
            .unwrap()
            .contains("no/such/responses.csv")
    );
    assert!(lost.results.is_none() && lost.n.is_none());
    assert!(w.path("batch-out/one/results.json").is_file());
    assert!(w.path("batch-out/two/results.json").is_file());
    assert!(!w.path("batch-out/lost").exists());
    // The index page names the failure.
    let html = w.read("batch-out/summary.html");
    assert!(
        html.contains("<tr class=\"failed\"><td>lost</td>"),
        "{html}"
    );
}

#[test]
fn job_gates_and_baselines_show_in_the_summary() {
    let w = Work::new();
    bookstore_batch(
        &w,
        "[[job]]\nname = \"base\"\n\n\
         [[job]]\nname = \"strict\"\nfail_under = 99\nfail_node = [\"staff<1\"]\n",
    );
    let r = w.run(&["batch", "batch.toml", "--no-report"]);
    r.code(1)
        .stderr_has("job 'strict': gate failed: index ")
        .stderr_has("is under --fail-under 99");
    let sm = summary(&w, "batch-out/summary.json");
    assert_eq!(sm.results[0].status, JobStatus::Ok);
    assert_eq!(sm.results[1].status, JobStatus::GateFailed);
    assert_eq!(sm.gate_failed, 1);
    assert_eq!(sm.results[1].gates.len(), 2);
    assert!(sm.results[1].gates[1].passed, "staff<1 passes");

    // A second batch compares with the first run: same data, so the change is 0.
    std::fs::rename(w.path("batch-out"), w.path("last")).unwrap();
    bookstore_batch(
        &w,
        "[[job]]\nname = \"base\"\nbaseline = \"last/base/results.json\"\nfail_drop = 0.5\n",
    );
    let r = w.run(&["batch", "batch.toml", "--no-report"]);
    r.ok().stdout_has("+0.0");
    let sm = summary(&w, "batch-out/summary.json");
    let job = &sm.results[0];
    assert_eq!(job.change, Some(0.0));
    assert_eq!(job.baseline_index, job.index);
    assert!(job.gates[0].passed);
}

#[test]
fn the_summary_does_not_depend_on_the_number_of_workers() {
    let w = Work::new();
    bookstore_batch(
        &w,
        "[[job]]\nname = \"a\"\n\n[[job]]\nname = \"b\"\nby = [\"region\"]\n\n[[job]]\nname = \"c\"\nweight = \"weight\"\n",
    );
    w.run(&["batch", "batch.toml", "--no-report", "--jobs", "1"])
        .ok();
    let one = w.read("batch-out/summary.json");
    let html_one = w.read("batch-out/summary.html");
    w.run(&["batch", "batch.toml", "--no-report", "--jobs", "3"])
        .ok();
    assert_eq!(one, w.read("batch-out/summary.json"));
    assert_eq!(html_one, w.read("batch-out/summary.html"));
}

#[test]
fn json_format_prints_the_summary() {
    let w = Work::new();
    bookstore_batch(&w, "[[job]]\nname = \"a\"\n");
    let r = w.run(&["batch", "batch.toml", "--no-report", "--format", "json"]);
    r.ok();
    let printed: BatchSummary = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed.results[0].name, "a");
    assert_eq!(r.stdout, w.read("batch-out/summary.json"));
}

/// Run a batch file that must be rejected before any job runs.
fn rejected(text: &str, needles: &[&str]) {
    let w = Work::new();
    w.write("jobs/batch.toml", text);
    let r = w.run(&["batch", "jobs/batch.toml", "--no-report"]);
    r.code(2);
    for n in needles {
        r.stderr_has(n);
    }
    assert!(
        !w.path("jobs/batch-out").exists() && !w.path("escaped").exists(),
        "nothing may be written for an invalid batch file"
    );
}

#[test]
fn invalid_batch_files_exit_2_with_file_line_and_column() {
    let job = "[[job]]\nname = \"a\"\nsurvey = \"s.toml\"\ndata = \"d.csv\"\n";
    rejected(
        "[[job]\nname = \"a\"\n",
        &["error: jobs/batch.toml:1:", "[[job]"],
    );
    rejected(
        &format!("{job}fail_undr = 60\n"),
        &[
            "jobs/batch.toml:5:1: unknown field `fail_undr`",
            "fail_under",
        ],
    );
    rejected(
        &format!("outptu = \"x\"\n{job}"),
        &["jobs/batch.toml:1:1: unknown field `outptu`"],
    );
    rejected(
        "[[job]]\nsurvey = \"s.toml\"\ndata = \"d.csv\"\n",
        &["jobs/batch.toml:1:1: missing field `name`"],
    );
    rejected(
        "[[job]]\nname = \"a\"\nsurvey = \"s.toml\"\n",
        &["jobs/batch.toml:1:1: job 'a' has no data (and [defaults] gives none)"],
    );
    rejected(
        "[defaults]\nname = \"x\"\n",
        &["jobs/batch.toml:2:1: unknown field `name`"],
    );
    rejected(
        &format!("{job}fail_node = [\"service=60\"]\n"),
        &["jobs/batch.toml:5:14: fail_node 'service=60' is not NODE<SCORE"],
    );
    rejected(
        &format!("{job}fail_drop = 2\n"),
        &["job 'a' has fail_drop but no baseline"],
    );
    rejected(
        &format!("{job}fail_alpha_under = 7\n"),
        &["jobs/batch.toml:5:20: fail_alpha_under = 7 is outside 0–1"],
    );
    rejected(&format!("{job}{job}"), &["job name 'a' is used twice"]);
    rejected("output = \"out\"\n", &["the batch file has no [[job]]"]);
}

#[test]
fn job_outputs_never_leave_the_batch_output_directory() {
    let job = "[[job]]\nname = \"a\"\nsurvey = \"s.toml\"\ndata = \"d.csv\"\n";
    rejected(
        &format!("{job}output = \"../../escaped\"\n"),
        &[
            "jobs/batch.toml:5:10: job 'a': output '../../escaped' leaves the batch output directory",
        ],
    );
    rejected(
        &format!("{job}output = \"x/../../escaped\"\n"),
        &["leaves the batch output directory"],
    );
    let abs = std::env::temp_dir().join("escaped");
    rejected(
        &format!("{job}output = {:?}\n", s(&abs)),
        &["is absolute; job outputs must stay inside the batch output directory"],
    );
    rejected(
        &format!("{job}output = \".\"\n"),
        &["is the batch output directory itself"],
    );
    // A job name is the default output, so it is checked the same way.
    rejected(
        "[[job]]\nname = \"..\"\nsurvey = \"s.toml\"\ndata = \"d.csv\"\n",
        &["job '..': output '..' leaves the batch output directory"],
    );
    // Two jobs may not share a directory.
    rejected(
        &format!(
            "{job}output = \"x\"\n\n[[job]]\nname = \"b\"\nsurvey = \"s\"\ndata = \"d\"\noutput = \"./x\"\n"
        ),
        &["job 'b' writes to 'x', as job 'a' does"],
    );
}

#[test]
fn paths_resolve_against_the_batch_file() {
    let w = Work::new();
    let src = repo().join("surveys/acsi");
    w.write(
        "proj/acsi/survey.toml",
        std::fs::read(src.join("survey.toml")).unwrap(),
    );
    w.write(
        "proj/acsi/responses.csv",
        std::fs::read(src.join("responses.csv")).unwrap(),
    );
    w.write(
        "proj/batch.toml",
        "output = \"reports\"\n[[job]]\nname = \"acsi\"\nsurvey = \"acsi/survey.toml\"\ndata = \"acsi/responses.csv\"\noutput = \"2026/acsi\"\n",
    );
    let r = w.run(&["batch", "proj/batch.toml", "--no-report"]);
    r.ok();
    assert!(Path::new(&w.path("proj/reports/2026/acsi/results.json")).is_file());
    let sm = summary(&w, "proj/reports/summary.json");
    assert_eq!(sm.results[0].output, "2026/acsi");
    assert_eq!(
        sm.results[0].results.as_deref(),
        Some("2026/acsi/results.json")
    );
}

/// Issue 13: a batch job takes every option `satkit analyze` has, and gives the same
/// results.json as the command with the same flags (both run the one library pipeline).
#[test]
fn batch_job_takes_every_analyze_option_and_matches_the_command() {
    let w = Work::new();
    bookstore_batch(
        &w,
        "[[job]]\nname = \"all\"\nmissing = \"listwise\"\nfactors = 2\nimportance = \"beta\"\n\
         ipa_cross = \"midpoint\"\nfuzzy_operator = \"max-min\"\ncsat = \"top3box\"\nthreads = 2\n\
         by = [\"region\"]\nencoding = \"utf-8\"\ndelimiter = \",\"\non_invalid = \"drop-row\"\n\
         drop_flagged = true\nmin_duration = 30\nmin_completion = 0.6\nreport = false\n",
    );
    w.run(&["batch", "batch.toml"]).ok();
    assert!(!w.path("batch-out/all/report.html").exists());
    let survey = repo().join("surveys/bookstore/survey.toml");
    let data = repo().join("surveys/bookstore/responses.csv");
    w.run(&[
        "analyze",
        s(&survey),
        s(&data),
        "-o",
        "cmd",
        "--no-report",
        "--missing",
        "listwise",
        "--factors",
        "2",
        "--importance",
        "beta",
        "--ipa-cross",
        "midpoint",
        "--fuzzy-operator",
        "max-min",
        "--csat",
        "top3box",
        "--threads",
        "2",
        "--by",
        "region",
        "--encoding",
        "utf-8",
        "--delimiter",
        ",",
        "--on-invalid",
        "drop-row",
        "--drop-flagged",
        "--min-duration",
        "30",
        "--min-completion",
        "0.6",
    ])
    .ok();
    let from_batch: Results = serde_json::from_str(&w.read("batch-out/all/results.json")).unwrap();
    let from_cmd: Results = serde_json::from_str(&w.read("cmd/results.json")).unwrap();
    assert_eq!(
        from_batch.missing_policy.correlation,
        from_cmd.missing_policy.correlation
    );
    assert_eq!(
        serde_json::to_value(&from_batch).unwrap(),
        serde_json::to_value(&from_cmd).unwrap()
    );
    // The options took effect: not the defaults' results.
    bookstore_batch(&w, "[[job]]\nname = \"plain\"\nreport = false\n");
    w.run(&["batch", "batch.toml"]).ok();
    let plain: Results = serde_json::from_str(&w.read("batch-out/plain/results.json")).unwrap();
    assert_ne!(
        plain.sample.n, from_batch.sample.n,
        "drop_flagged had no effect"
    );
    assert_ne!(
        plain.factor.as_ref().map(|f| f.n_factors),
        from_batch.factor.as_ref().map(|f| f.n_factors)
    );
}

/// Issue 13: the new keys are checked where they are read, with file:line:col.
#[test]
fn batch_option_keys_are_checked_with_locations() {
    let w = Work::new();
    for (key, expect) in [
        (
            "missing = \"sometimes\"",
            "missing = \"sometimes\" is not one of: pairwise, listwise",
        ),
        ("factors = 0", "factors = 0 is not"),
        ("threads = 0", "threads = 0 is outside 1–256"),
        ("csat = \"top9box\"", "csat = \"top9box\" is not one of"),
        (
            "min_duration = -5",
            "min_duration = -5 is not a number of seconds",
        ),
        ("min_completion = 2", "min_completion = 2 is not a share"),
        (
            "encoding = \"latin-9\"",
            "encoding = \"latin-9\": not one of",
        ),
    ] {
        bookstore_batch(&w, &format!("[[job]]\nname = \"a\"\n{key}\n"));
        w.run(&["batch", "batch.toml"])
            .code(2)
            .stderr_has("batch.toml:7:")
            .stderr_has(expect);
    }
}
