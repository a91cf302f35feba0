//! The JSON contract: real outputs validate against the published schemas in docs/schema/.
//!
//! The `jsonschema` crate would bring in regex, URL, IDNA and HTTP-resolver machinery (dozens of
//! crates) for six closed schemas, so this module has a small validator for exactly the keywords
//! those schemas use: type (a name or a list), properties, required, additionalProperties (bool
//! or schema), items, minItems, maxItems, enum, minimum, pattern (only the `^1\.[0-9]+\.[0-9]+$`
//! form of schema_version, checked by hand), $ref to #/$defs/..., anyOf and oneOf. Any other
//! keyword makes the validator panic, so a schema cannot silently rely on an unchecked keyword.

use serde_json::Value;

use crate::util::*;

const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "title",
    "description",
    "$defs",
    "$comment",
];

struct Validator<'a> {
    root: &'a Value,
}

impl Validator<'_> {
    fn resolve<'b>(&'b self, r: &str) -> &'b Value {
        let name = r
            .strip_prefix("#/$defs/")
            .unwrap_or_else(|| panic!("unsupported $ref {r}"));
        &self.root["$defs"][name]
    }

    /// Every error as "path: message".
    fn validate(&self, schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
        let Some(obj) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                errors.push(format!("{path}: not allowed"));
            }
            return;
        };
        for (k, s) in obj {
            match k.as_str() {
                "$ref" => {
                    let target = self.resolve(s.as_str().unwrap());
                    assert!(!target.is_null(), "dangling $ref {s}");
                    self.validate(target, v, path, errors);
                }
                "type" => {
                    let types: Vec<&str> = match s {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                        _ => panic!("bad type keyword at {path}"),
                    };
                    if !types.iter().any(|t| type_matches(t, v)) {
                        errors.push(format!("{path}: {v} is not of type {types:?}"));
                    }
                }
                "properties" => {
                    if let Some(o) = v.as_object() {
                        for (name, sub) in s.as_object().unwrap() {
                            if let Some(x) = o.get(name) {
                                self.validate(sub, x, &format!("{path}.{name}"), errors);
                            }
                        }
                    }
                }
                "required" => {
                    if let Some(o) = v.as_object() {
                        for name in s.as_array().unwrap() {
                            let name = name.as_str().unwrap();
                            if !o.contains_key(name) {
                                errors.push(format!("{path}: missing required '{name}'"));
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Some(o) = v.as_object() {
                        let known = obj.get("properties").and_then(Value::as_object);
                        for (name, x) in o {
                            if known.is_some_and(|k| k.contains_key(name)) {
                                continue;
                            }
                            match s {
                                Value::Bool(false) => errors.push(format!(
                                    "{path}: property '{name}' is not in the schema"
                                )),
                                Value::Bool(true) => {}
                                sub => self.validate(sub, x, &format!("{path}.{name}"), errors),
                            }
                        }
                    }
                }
                "items" => {
                    if let Some(a) = v.as_array() {
                        for (i, x) in a.iter().enumerate() {
                            self.validate(s, x, &format!("{path}[{i}]"), errors);
                        }
                    }
                }
                "minItems" | "maxItems" => {
                    if let Some(a) = v.as_array() {
                        let n = s.as_u64().unwrap() as usize;
                        let ok = if k == "minItems" {
                            a.len() >= n
                        } else {
                            a.len() <= n
                        };
                        if !ok {
                            errors.push(format!("{path}: {} items violates {k} {n}", a.len()));
                        }
                    }
                }
                "enum" => {
                    if !s.as_array().unwrap().contains(v) {
                        errors.push(format!("{path}: {v} is not one of {s}"));
                    }
                }
                "minimum" => {
                    if let Some(x) = v.as_f64()
                        && x < s.as_f64().unwrap()
                    {
                        errors.push(format!("{path}: {x} is under the minimum {s}"));
                    }
                }
                "pattern" => {
                    assert_eq!(
                        s.as_str(),
                        Some(r"^1\.[0-9]+\.[0-9]+$"),
                        "unsupported pattern at {path}"
                    );
                    if let Some(t) = v.as_str() {
                        let parts: Vec<&str> = t.split('.').collect();
                        let ok = parts.len() == 3
                            && parts[0] == "1"
                            && parts[1..]
                                .iter()
                                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                        if !ok {
                            errors.push(format!("{path}: '{t}' is not a 1.x.y version"));
                        }
                    }
                }
                "anyOf" | "oneOf" => {
                    let matching = s
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|alt| {
                            let mut e = Vec::new();
                            self.validate(alt, v, path, &mut e);
                            e.is_empty()
                        })
                        .count();
                    let ok = if k == "anyOf" {
                        matching >= 1
                    } else {
                        matching == 1
                    };
                    if !ok {
                        errors.push(format!("{path}: {matching} alternatives of {k} match {v}"));
                    }
                }
                other if ANNOTATIONS.contains(&other) => {}
                other => panic!("the test validator does not support keyword '{other}' ({path})"),
            }
        }
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        other => panic!("unknown type {other}"),
    }
}

fn schema(name: &str) -> Value {
    let p = repo().join("docs/schema").join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Validate `doc` against docs/schema/`name`; panic with every error.
pub fn assert_valid(name: &str, doc: &Value, what: &str) {
    let s = schema(name);
    let v = Validator { root: &s };
    let mut errors = Vec::new();
    v.validate(&s, doc, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{what} does not match docs/schema/{name}:\n{}",
        errors
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn parse(text: &str, what: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} is not JSON: {e}\n{text}"))
}

#[test]
fn every_schema_is_a_draft_2020_12_document_with_only_supported_keywords() {
    let dir = repo().join("docs/schema");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schema.json"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "check.schema.json",
            "compare.schema.json",
            "import.schema.json",
            "lint.schema.json",
            "results.schema.json",
            "summary.schema.json"
        ]
    );
    for n in &names {
        let s = schema(n);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{n}"
        );
        // A document that violates most things: the validator must report, not panic on an
        // unsupported keyword, and every $ref must resolve.
        let v = Validator { root: &s };
        let mut errors = Vec::new();
        v.validate(
            &s,
            &serde_json::json!({"schema_version": "2.0.0"}),
            "$",
            &mut errors,
        );
        assert!(!errors.is_empty(), "{n} accepts a bare object");
        for (name, def) in s["$defs"].as_object().into_iter().flatten() {
            let mut e = Vec::new();
            v.validate(def, &serde_json::json!({}), name, &mut e);
        }
    }
}

#[test]
fn the_validator_rejects_what_the_schemas_forbid() {
    let w = Work::new();
    let survey = repo().join("surveys/bookstore/survey.toml");
    let r = w.run(&["check", s(&survey), "--format", "json"]);
    r.ok();
    let mut doc = parse(&r.stdout, "check output");
    assert_valid("check.schema.json", &doc, "check output");
    doc["unexpected"] = Value::Bool(true);
    let s2 = schema("check.schema.json");
    let mut errors = Vec::new();
    Validator { root: &s2 }.validate(&s2, &doc, "$", &mut errors);
    assert_eq!(errors, ["$: property 'unexpected' is not in the schema"]);
    doc["valid"] = Value::from(1);
    doc.as_object_mut().unwrap().remove("unexpected");
    let mut errors = Vec::new();
    Validator { root: &s2 }.validate(&s2, &doc, "$", &mut errors);
    assert_eq!(errors, ["$.valid: 1 is not of type [\"boolean\"]"]);
}

#[test]
fn results_json_of_every_example_survey_matches_the_schema() {
    for survey in surveys() {
        let w = Work::new();
        let data = survey.with_file_name("responses.csv");
        let r = w.run(&[
            "analyze",
            s(&survey),
            s(&data),
            "-o",
            "out",
            "--by",
            "region",
            "--no-report",
        ]);
        r.ok();
        let doc = parse(&w.read("out/results.json"), "results.json");
        assert_valid("results.schema.json", &doc, &survey.display().to_string());
    }
}

#[test]
fn results_json_of_degenerate_data_matches_the_schema() {
    // Tiny samples, a zero-variance item and missing answers: omitted statistics and nulls.
    let w = Work::new();
    let survey = fixture("analyze/survey.toml");
    let cases = [
        "rid,q1,q2,q3,s1,s2,e1,e2\na,3,3,3,4,5,1,2\nb,3,4,5,2,1,,3\nc,3,1,2,5,4,2,\nd,3,5,4,3,3,4,5\n",
        "rid,q1,q2,q3,s1,s2,e1,e2\na,1,2,3,4,5,1,2\nb,,,,,,,\n",
    ];
    for (i, csv) in cases.iter().enumerate() {
        let data = w.write(&format!("d{i}.csv"), csv);
        let out = format!("out{i}");
        w.run(&["analyze", s(&survey), s(&data), "-o", &out, "--no-report"])
            .ok();
        let doc = parse(&w.read(&format!("{out}/results.json")), "results.json");
        assert!(!doc["omitted"].as_array().unwrap().is_empty());
        assert_valid("results.schema.json", &doc, &format!("degenerate case {i}"));
    }
}

#[test]
fn analyze_json_with_gates_is_results_plus_a_gates_array() {
    let w = Work::new();
    let survey = repo().join("surveys/acsi/survey.toml");
    let data = repo().join("surveys/acsi/responses.csv");
    let r = w.run(&[
        "analyze",
        s(&survey),
        s(&data),
        "-o",
        "out",
        "--no-report",
        "--format",
        "json",
        "--fail-under",
        "10",
    ]);
    r.ok();
    let mut doc = parse(&r.stdout, "analyze --format json");
    let gates = doc
        .as_object_mut()
        .unwrap()
        .remove("gates")
        .expect("a gates array");
    assert_eq!(gates.as_array().map(Vec::len), Some(1));
    let summary = schema("summary.schema.json");
    let v = Validator { root: &summary };
    for g in gates.as_array().unwrap() {
        let mut e = Vec::new();
        v.validate(&summary["$defs"]["GateOutcome"], g, "gate", &mut e);
        assert!(e.is_empty(), "{e:?}");
    }
    assert_valid("results.schema.json", &doc, "analyze stdout without gates");
    // results.json itself has no gates.
    let saved = parse(&w.read("out/results.json"), "results.json");
    assert!(saved.get("gates").is_none());
}

#[test]
fn import_summary_matches_the_schema() {
    for survey in surveys() {
        let w = Work::new();
        let data = survey.with_file_name("responses.csv");
        let r = w.run(&[
            "import",
            s(&survey),
            s(&data),
            "-o",
            "clean.parquet",
            "--format",
            "json",
        ]);
        r.ok();
        let doc = parse(&r.stdout, "import summary");
        assert_valid("import.schema.json", &doc, &survey.display().to_string());
    }
}

#[test]
fn check_output_matches_the_schema_for_valid_and_invalid_surveys() {
    let w = Work::new();
    for survey in surveys() {
        let r = w.run(&["check", s(&survey), "--format", "json"]);
        r.ok();
        assert_valid(
            "check.schema.json",
            &parse(&r.stdout, "check output"),
            &survey.display().to_string(),
        );
    }
    let bad = w.write(
        "bad.toml",
        "[survey]\nid = \"x\"\ntitle = \"X\"\nlanguage = \"en\"\nversion = \"1\"\n\n[tree.a]\nname = \"A\"\nweight = 1.4\n",
    );
    let r = w.run(&["check", s(&bad), "--format", "json"]);
    r.code(2);
    let doc = parse(&r.stdout, "check output");
    assert_eq!(doc["valid"], false);
    assert_valid("check.schema.json", &doc, "an invalid survey");
}

#[test]
fn lint_output_matches_the_schema() {
    let w = Work::new();
    let mut args: Vec<String> = vec!["lint".into()];
    args.extend(surveys().iter().map(|p| s(p).to_string()));
    let bad = w.write("broken.toml", "[survey\nid = ");
    args.push(s(&bad).to_string());
    args.extend(["--format".into(), "json".into()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = w.run(&argv);
    // An unparsable file makes lint exit 2, and the report still lists every file.
    r.code(2);
    let doc = parse(&r.stdout, "lint output");
    assert_eq!(
        doc["files"].as_array().map(Vec::len),
        Some(surveys().len() + 1)
    );
    assert_valid("lint.schema.json", &doc, "lint output");
}

#[test]
fn batch_summary_and_compare_json_match_their_schemas() {
    let w = Work::new();
    let survey = repo().join("surveys/bookstore/survey.toml");
    let data = repo().join("surveys/bookstore/responses.csv");
    w.write(
        "batch.toml",
        format!(
            "[defaults]\nsurvey = {survey:?}\nby = [\"region\"]\n\n\
             [[job]]\nname = \"first\"\ndata = {data:?}\nfail_under = 10\n\n\
             [[job]]\nname = \"second\"\ndata = {data:?}\nbaseline = \"batch-out/first/results.json\"\nfail_drop = 1\n\n\
             [[job]]\nname = \"missing\"\ndata = \"nowhere.csv\"\n",
            survey = s(&survey),
            data = s(&data)
        ),
    );
    // Run twice: the second run has the first run's results as the baseline of job "second".
    w.run(&["batch", "batch.toml", "--no-report", "--jobs", "1"])
        .code(1);
    let r = w.run(&["batch", "batch.toml", "--no-report", "--format", "json"]);
    r.code(1);
    let doc = parse(&r.stdout, "batch --format json");
    assert_valid("summary.schema.json", &doc, "batch stdout");
    let file = parse(&w.read("batch-out/summary.json"), "summary.json");
    assert_valid("summary.schema.json", &file, "summary.json");
    assert_eq!(doc, file);

    let r = w.run(&[
        "compare",
        "batch-out/first/results.json",
        "batch-out/second/results.json",
        "-o",
        "cmp",
        "--fail-under",
        "10",
    ]);
    r.ok();
    let doc = parse(&w.read("cmp/compare.json"), "compare.json");
    assert_valid("compare.schema.json", &doc, "compare.json");
}
