//! Issue 14, output side: outputs are regular files or new paths, stdout errors are errors, no
//! input is ever overwritten, output directories are whole sets (also after SIGKILL), and walks
//! and confinement resolve symlinks.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::{Work, fixture, repo, s};

fn b2b() -> (String, String) {
    (
        s(&repo().join("surveys/b2b-platform/survey.toml")).to_string(),
        s(&repo().join("surveys/b2b-platform/responses.csv")).to_string(),
    )
}

fn satkit(w: &Work, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_satkit"));
    cmd.args(args)
        .current_dir(w.path(""))
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null());
    cmd
}

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Names in `dir` that a satkit run leaves only while it runs.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".satkit-"))
        .collect()
}

fn mkfifo(path: &Path) {
    let st = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(st.success());
}

#[test]
fn a_fifo_or_device_as_output_file_is_refused_and_left_as_it_is() {
    let w = Work::new();
    let (survey, _) = b2b();
    let fifo = w.path("pipe");
    mkfifo(&fifo);
    w.run(&["build", &survey, "--to", "html", "-o", "pipe"])
        .code(2)
        .stderr_has("is a FIFO (named pipe); satkit writes only regular files");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // A device: refused before anything is opened, so /dev/null stays a device even as root.
    w.run(&["build", &survey, "--to", "html", "-o", "/dev/null"])
        .code(2)
        .stderr_has("is a device");
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    w.run(&["build", &survey, "--to", "html", "-o", "/dev/stdout"])
        .code(2)
        .stderr_has("write `-o -` for standard output");
    // `-` is how to write to stdout.
    w.run(&["build", &survey, "--to", "html", "-o", "-"])
        .ok()
        .stdout_has("<html");
}

#[test]
fn stdout_write_errors_exit_2_and_a_closed_pipe_exits_0() {
    let w = Work::new();
    let (survey, data) = b2b();
    w.run(&["analyze", &survey, &data, "-o", "a", "--no-report"])
        .ok();
    w.write(
        "batch.toml",
        format!("[[job]]\nname = \"j\"\nsurvey = {survey:?}\ndata = {data:?}\nreport = false\n"),
    );
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", &survey, "--format", "json"],
        vec![
            "analyze",
            &survey,
            &data,
            "-o",
            "b",
            "--no-report",
            "--format",
            "json",
        ],
        vec![
            "import",
            &survey,
            &data,
            "-o",
            "clean.csv",
            "--format",
            "json",
        ],
        vec!["compare", "a/results.json", "a/results.json"],
        vec!["weights", &survey],
        vec!["lint", &survey],
        vec!["batch", "batch.toml", "--format", "json"],
        vec!["plan", "--population", "1000", "--margin", "0.05"],
    ];
    for args in &commands {
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let out = satkit(&w, args).stdout(full).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} on a full stdout: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("<stdout>"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // A reader that goes away is not an error (`satkit ... | head`).
        let mut child = satkit(&w, args).stdout(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let st = child.wait().unwrap();
        assert!(
            matches!(st.code(), Some(0) | Some(1)),
            "{args:?} with a closed pipe: {st:?}"
        );
    }
}

#[test]
fn simulate_truth_over_the_survey_is_refused() {
    let w = Work::new();
    let survey = w.write(
        "s.toml",
        std::fs::read(repo().join("surveys/bookstore/survey.toml")).unwrap(),
    );
    let before = std::fs::read(&survey).unwrap();
    w.run(&[
        "simulate", "s.toml", "-n", "10", "--seed", "1", "-o", "sim.csv", "--truth", "s.toml",
    ])
    .code(2)
    .stderr_has("satkit never modifies an input file");
    assert_eq!(std::fs::read(&survey).unwrap(), before);
    assert!(!w.path("sim.csv").exists(), "nothing written");
}

#[test]
fn analyze_refuses_an_input_in_the_charts_or_report_it_replaces() {
    let w = Work::new();
    let (survey, data) = b2b();
    let csv = std::fs::read(&data).unwrap();
    w.write("out/charts/alpha.svg", &csv);
    w.run(&["analyze", &survey, "out/charts/alpha.svg", "-o", "out"])
        .code(2)
        .stderr_has("lies in");
    assert_eq!(std::fs::read(w.path("out/charts/alpha.svg")).unwrap(), csv);

    let map = std::fs::read(fixture("import/mapping.toml")).unwrap();
    w.write("out2/report.md", &map);
    w.run(&[
        "analyze",
        &survey,
        &data,
        "-o",
        "out2",
        "--map",
        "out2/report.md",
    ])
    .code(2)
    .stderr_has("satkit never modifies an input file");
    assert_eq!(std::fs::read(w.path("out2/report.md")).unwrap(), map);
}

#[test]
fn a_batch_file_named_summary_json_in_its_output_directory_is_not_overwritten() {
    let w = Work::new();
    let (survey, data) = b2b();
    let text = format!(
        "output = \".\"\n[[job]]\nname = \"j\"\nsurvey = {survey:?}\ndata = {data:?}\nreport = false\n"
    );
    w.write("b/summary.json", &text);
    w.run(&["batch", "b/summary.json"])
        .code(2)
        .stderr_has("satkit never modifies an input file");
    assert_eq!(w.read("b/summary.json"), text);
}

#[test]
fn a_symlink_in_the_batch_output_never_sends_results_outside() {
    let w = Work::new();
    let (survey, data) = b2b();
    std::fs::create_dir_all(w.path("outside")).unwrap();
    std::fs::create_dir_all(w.path("batch-out")).unwrap();
    std::os::unix::fs::symlink(w.path("outside"), w.path("batch-out/j")).unwrap();
    w.write(
        "batch.toml",
        format!("[[job]]\nname = \"j\"\nsurvey = {survey:?}\ndata = {data:?}\nreport = false\n"),
    );
    w.run(&["batch", "batch.toml"]).ok();
    assert_eq!(std::fs::read_dir(w.path("outside")).unwrap().count(), 0);
    let meta = std::fs::symlink_metadata(w.path("batch-out/j")).unwrap();
    assert!(meta.is_dir(), "the job directory is a real directory now");
    assert!(w.path("batch-out/j/results.json").exists());
}

#[test]
fn grade_walks_each_directory_once_through_symlink_loops() {
    let w = Work::new();
    let student = std::fs::read(fixture("grading/li_wei.toml")).unwrap();
    w.write("class/li_wei.toml", &student);
    std::os::unix::fs::symlink(w.path("class"), w.path("class/loop")).unwrap();
    std::fs::create_dir_all(w.path("class/sub")).unwrap();
    std::os::unix::fs::symlink(w.path("class"), w.path("class/sub/back")).unwrap();
    let rubric = s(&repo().join("surveys/rubrics/default.toml")).to_string();
    let r = w.run(&["grade", "class", "--rubric", &rubric]);
    r.ok();
    let rows = r.stdout.lines().filter(|l| l.contains("li_wei")).count();
    assert_eq!(rows, 1, "graded once:\n{}", r.stdout);
}

#[test]
fn grade_feedback_that_is_a_file_writes_no_gradebook() {
    let w = Work::new();
    let rubric = s(&repo().join("surveys/rubrics/default.toml")).to_string();
    w.write("feedback", "not a directory");
    w.run(&[
        "grade",
        s(&fixture("grading")),
        "--rubric",
        &rubric,
        "-o",
        "gradebook.csv",
        "--feedback",
        "feedback",
    ])
    .code(2)
    .stderr_has("output directory feedback is a regular file");
    assert!(!w.path("gradebook.csv").exists());
    assert_eq!(w.read("feedback"), "not a directory");
}

#[test]
fn an_output_directory_keeps_plain_files_and_refuses_foreign_directories() {
    let w = Work::new();
    let (survey, data) = b2b();
    w.write("out/notes.txt", "mine");
    w.write("out/charts/old.svg", "<svg/>");
    w.run(&["analyze", &survey, &data, "-o", "out", "--no-timestamp"])
        .ok();
    assert_eq!(w.read("out/notes.txt"), "mine");
    assert!(
        !w.path("out/charts/old.svg").exists(),
        "charts/ is replaced"
    );
    assert!(w.path("out/report.html").exists());
    // A re-rendered report keeps the results.json it was rendered from.
    let results = w.read("out/results.json");
    w.run(&["report", "out/results.json", "-o", "out", "--no-timestamp"])
        .ok();
    assert_eq!(w.read("out/results.json"), results);
    w.write("mixed/data/raw.csv", "x");
    w.run(&["analyze", &survey, &data, "-o", "mixed"])
        .code(2)
        .stderr_has("holds data that satkit did not write");
    assert_eq!(w.read("mixed/data/raw.csv"), "x");
    w.run(&["analyze", &survey, &data, "-o", "."])
        .code(2)
        .stderr_has("is the current directory");
    assert!(leftovers(&w.path("")).is_empty());
}

#[test]
fn leftovers_of_dead_runs_are_removed_on_the_next_run() {
    let w = Work::new();
    let (survey, data) = b2b();
    let mut dead = Command::new("true").spawn().unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    std::fs::create_dir_all(w.path(&format!(".out.satkit-stage-{pid}-0/charts"))).unwrap();
    w.write(&format!(".q.html.satkit-tmp-{pid}"), "half");
    w.run(&["analyze", &survey, &data, "-o", "out", "--no-report"])
        .ok();
    w.run(&["build", &survey, "--to", "html", "-o", "q.html"])
        .ok();
    assert!(
        leftovers(&w.path("")).is_empty(),
        "{:?}",
        leftovers(&w.path(""))
    );
}

/// The staging directory of `out` in `dir`, if a run has one.
fn stage_of(dir: &Path) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".out.satkit-stage-"))
        })
}

/// When to kill a run: after a share of a full run's time, or as soon as the stage holds an
/// entry (so every step of the write is hit whatever the machine's load).
#[derive(Debug, Clone, Copy)]
enum KillAt {
    Share(f64),
    StageHas(&'static str),
}

/// SIGKILL at many points of `analyze` leaves the output directory as the previous complete set
/// or the new complete set, byte for byte, never a mixture and never a part.
#[test]
fn sigkill_during_analyze_never_leaves_a_mixed_or_partial_output_directory() {
    let w = Work::new();
    let (survey, _) = b2b();
    for (name, seed) in [("a.csv", "1"), ("b.csv", "2")] {
        w.run(&[
            "simulate", &survey, "-n", "1500", "--seed", seed, "-o", name,
        ])
        .ok();
    }
    let analyze = |data: &str, out: &str| {
        let mut cmd = satkit(
            &w,
            &[
                "analyze",
                &survey,
                data,
                "-o",
                out,
                "--no-timestamp",
                "--by",
                "region",
            ],
        );
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        cmd
    };
    let started = std::time::Instant::now();
    assert!(analyze("b.csv", "ref-b").status().unwrap().success());
    let full = started.elapsed();
    assert!(analyze("a.csv", "ref-a").status().unwrap().success());
    let (set_a, set_b) = (tree(&w.path("ref-a")), tree(&w.path("ref-b")));
    assert_ne!(set_a, set_b);
    assert!(analyze("a.csv", "out").status().unwrap().success());
    let points = [
        KillAt::Share(0.0),
        KillAt::Share(0.1),
        KillAt::Share(0.3),
        KillAt::Share(0.5),
        KillAt::Share(0.8),
        KillAt::StageHas(""),
        KillAt::StageHas("results.json"),
        KillAt::StageHas("charts"),
        KillAt::StageHas("tables"),
        KillAt::StageHas("report.md"),
        KillAt::StageHas("report.html"),
    ];
    let mut killed_while_staging = 0;
    for at in points {
        let mut child = analyze("b.csv", "out").spawn().unwrap();
        match at {
            KillAt::Share(f) => std::thread::sleep(full.mul_f64(f)),
            KillAt::StageHas(entry) => {
                let deadline = std::time::Instant::now() + full * 20;
                while !stage_of(&w.path(""))
                    .is_some_and(|st| entry.is_empty() || st.join(entry).exists())
                    && child.try_wait().unwrap().is_none()
                    && std::time::Instant::now() < deadline
                {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            }
        }
        if matches!(at, KillAt::StageHas(_)) && child.try_wait().unwrap().is_none() {
            killed_while_staging += 1;
        }
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = tree(&w.path("out"));
        assert!(
            now == set_a || now == set_b,
            "after a kill at {at:?} out/ is neither the old nor the new set: {:?}",
            now.keys().collect::<Vec<_>>()
        );
        if now == set_b {
            // Back to the old set for the next kill.
            assert!(analyze("a.csv", "out").status().unwrap().success());
        }
    }
    assert!(
        killed_while_staging >= 3,
        "only {killed_while_staging} kills landed while the stage was being written"
    );
    // The next run cleans up what the killed runs left, and a run that is not killed swaps in.
    assert!(analyze("b.csv", "out").status().unwrap().success());
    assert_eq!(tree(&w.path("out")), set_b);
    assert!(
        leftovers(&w.path("")).is_empty(),
        "{:?}",
        leftovers(&w.path(""))
    );
}

#[test]
fn a_closed_stderr_never_panics() {
    let w = Work::new();
    w.write("bad.toml", "[survey]\nid = \"x\"\n");
    for args in [
        vec!["check", "bad.toml"],
        vec!["lint", "bad.toml"],
        vec!["check", "no-such.toml"],
    ] {
        let mut child = satkit(&w, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        drop(child.stderr.take());
        let st = child.wait().unwrap();
        assert_eq!(st.code(), Some(2), "{args:?} with stderr closed: {st:?}");
    }
}
