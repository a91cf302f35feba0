//! `satkit grade` (issue 7): a batch of student surveys graded against a rubric into a stable
//! gradebook (snapshot), per-student feedback, broken submissions that never abort the batch,
//! neutralised spreadsheet formulas and atomic writes.

use crate::util::*;

fn grading() -> std::path::PathBuf {
    fixture("grading")
}

fn default_rubric() -> std::path::PathBuf {
    repo().join("surveys/rubrics/default.toml")
}

#[test]
fn gradebook_matches_snapshot() {
    let w = Work::new();
    let r = w.run(&[
        "grade",
        s(&grading()),
        "--rubric",
        s(&default_rubric()),
        "-o",
        "gradebook.csv",
    ]);
    r.ok()
        .stderr_has("graded 13 submissions")
        .stderr_has("2 could not be read");
    let expected = std::fs::read_to_string(grading().join("expected_gradebook.csv")).unwrap();
    assert_eq!(
        w.read("gradebook.csv"),
        expected,
        "to accept a deliberate change: satkit grade tests/fixtures/grading --rubric surveys/rubrics/default.toml -o tests/fixtures/grading/expected_gradebook.csv"
    );
    // Written atomically: no temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("satkit-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn gradebook_rows_are_sorted_and_complete() {
    let w = Work::new();
    w.run(&[
        "grade",
        s(&grading()),
        "--rubric",
        s(&default_rubric()),
        "-o",
        "g.csv",
    ])
    .ok();
    let mut rdr = csv::Reader::from_path(w.path("g.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(&header[..5], ["student", "file", "total", "max", "band"]);
    assert!(header.contains(&"valid_tree".to_string()) && header.contains(&"wording".to_string()));
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert!(rows.len() >= 12);
    let names: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let row = |name: &str| {
        rows.iter()
            .find(|r| &r[0] == name)
            .unwrap_or_else(|| panic!("no row for {name}"))
    };
    // Broken submissions: a TOML syntax error and an invalid tree get 0 points and the lowest band.
    for broken in ["he_tao", "ma_chao"] {
        assert_eq!((&row(broken)[2], &row(broken)[4]), ("0", "F"));
    }
    // A file called survey.toml is named after its directory.
    assert_eq!(&row("zhou_xin")[1], "zhou_xin/survey.toml");
    // Totals are the criteria minus the deductions, never below 0.
    for r in &rows {
        let nums: Vec<f64> = r.iter().skip(5).map(|c| c.parse().unwrap()).collect();
        let total: f64 = r[2].parse().unwrap();
        assert!(
            (nums.iter().sum::<f64>().max(0.0) - total).abs() < 1e-9,
            "{r:?}"
        );
    }
    // The best and the weakest submissions are told apart.
    assert_eq!(&row("chen_jing")[4], "A");
    assert_eq!(&row("zhao_lei")[4], "F");
    let weights: f64 = row("zhang_min")[header.iter().position(|h| h == "valid_tree").unwrap()]
        .parse()
        .unwrap();
    assert_eq!(
        weights, 0.0,
        "weights summing to 1.2 lose the valid_tree points"
    );
}

#[test]
fn feedback_explains_every_point_with_the_survey_line() {
    let w = Work::new();
    w.run(&[
        "grade",
        s(&grading()),
        "--rubric",
        s(&default_rubric()),
        "-o",
        "g.csv",
        "--feedback",
        "fb",
    ])
    .ok();
    let files: Vec<String> = std::fs::read_dir(w.path("fb"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 13, "{files:?}");
    let sun = w.read("fb/sun_li.md");
    assert!(sun.contains("**86 / 100** (band **B**)"), "{sun}");
    assert!(sun.contains("| plan — "), "every criterion has a row");
    assert!(
        sun.contains("line 30:8 `sensitive_early` (warning, −3)"),
        "{sun}"
    );
    assert!(
        sun.contains("`text = \"您的月收入是多少？\"`"),
        "the survey line is quoted: {sun}"
    );
    assert!(sun.contains("100 awarded − 14 deducted = **86**"), "{sun}");
    let broken = w.read("fb/he_tao.md");
    assert!(
        broken.contains("could not be read")
            && broken.contains("he_tao.toml:4:18: error: invalid basic string"),
        "{broken}"
    );
    let tree = w.read("fb/ma_chao.md");
    assert!(
        tree.contains("references unknown question 'goods_price'"),
        "{tree}"
    );
    let weights = w.read("fb/zhang_min.md");
    assert!(
        weights.contains(
            "| 0 / 20 | the tree fails `satkit check`: weights of the children of 'root' sum to 1.2"
        ),
        "{weights}"
    );
}

#[test]
fn chinese_rubric_uses_chinese_bands() {
    let w = Work::new();
    let r = w.run(&[
        "grade",
        s(&grading()),
        "--rubric",
        s(&repo().join("surveys/rubrics/default-zh.toml")),
    ]);
    r.ok();
    let mut rdr = csv::Reader::from_reader(r.stdout.as_bytes());
    let bands: Vec<String> = rdr.records().map(|r| r.unwrap()[4].to_string()).collect();
    assert!(
        bands
            .iter()
            .all(|b| ["优", "良", "中", "及格", "不及格"].contains(&b.as_str())),
        "{bands:?}"
    );
    assert!(bands.contains(&"优".to_string()) && bands.contains(&"不及格".to_string()));
}

#[test]
fn formulas_are_neutralised_and_names_can_come_from_author() {
    let w = Work::new();
    let good = std::fs::read_to_string(grading().join("chen_jing.toml")).unwrap();
    w.write("subs/=HYPERLINK(1).toml", &good);
    w.write(
        "subs/@bob.toml",
        good.replace("author = \"陈静\"", "author = \"+Bob\""),
    );
    w.run(&[
        "grade",
        "subs",
        "--rubric",
        s(&default_rubric()),
        "-o",
        "g.csv",
    ])
    .ok();
    let g = w.read("g.csv");
    assert!(g.contains("\n'=HYPERLINK(1),'=HYPERLINK(1).toml,"), "{g}");
    assert!(g.contains("\n'@bob,'@bob.toml,"), "{g}");
    w.run(&[
        "grade",
        "subs",
        "--rubric",
        s(&default_rubric()),
        "-o",
        "g2.csv",
        "--name-from",
        "author",
    ])
    .ok();
    let g2 = w.read("g2.csv");
    assert!(g2.contains("\n'+Bob,") && g2.contains("\n陈静,"), "{g2}");
}

#[test]
fn bad_rubric_and_paths_are_exit_2() {
    let w = Work::new();
    w.write("r.toml", "[[criterion]]\nid = \"plan\"\npoints = 10\ncheck = \"plans\"\n\n[[band]]\nname = \"A\"\nmin = 0\n");
    w.run(&["grade", s(&grading()), "--rubric", "r.toml"])
        .code(2)
        .stderr_has("r.toml:4")
        .stderr_has("unknown check 'plans'");
    w.write("r2.toml", "[[criterion]]\nid = \"plan\"\npoints = 10\ncheck = \"plan\"\n\n[[deduction]]\nid = \"d\"\nrule = \"double_barreled\"\npoints = 1\n\n[[band]]\nname = \"A\"\nmin = 0.5\n");
    w.run(&["grade", s(&grading()), "--rubric", "r2.toml"])
        .code(2)
        .stderr_has("unknown lint rule 'double_barreled'")
        .stderr_has("did you mean 'double_barrelled'");
    w.write("r3.toml", "[[criterion]]\nid = \"plan\"\npoints = 10\ncheck = \"plan\"\n\n[[band]]\nname = \"A\"\nmin = 0.5\n");
    w.run(&["grade", s(&grading()), "--rubric", "r3.toml"])
        .code(2)
        .stderr_has("no band starts at 0");
    w.run(&["grade", "nowhere/", "--rubric", s(&default_rubric())])
        .code(2)
        .stderr_has("nowhere");
    let sub = w.write(
        "a.toml",
        std::fs::read_to_string(grading().join("chen_jing.toml")).unwrap(),
    );
    w.run(&[
        "grade",
        s(&sub),
        "--rubric",
        s(&default_rubric()),
        "-o",
        "a.toml",
    ])
    .code(2)
    .stderr_has("also an input");
}

#[test]
fn rubric_points_of_1e308_are_a_located_error_not_an_infinite_total() {
    let w = Work::new();
    w.write(
        "r.toml",
        "[[criterion]]\nid = \"a\"\npoints = 1e308\ncheck = \"plan\"\n\n[[criterion]]\nid = \"b\"\npoints = 1e308\ncheck = \"preface\"\n\n[[band]]\nname = \"A\"\nmin = 0\n",
    );
    w.run(&["grade", s(&grading()), "--rubric", "r.toml"])
        .code(2)
        .stderr_has("r.toml:2")
        .stderr_has("at most 1000000");
}
