//! The batch file, parsed and validated into a [`BatchPlan`].
//!
//! ```toml
//! output = "batch-out"            # relative to this file; default "batch-out"
//!
//! [defaults]                      # inherited by every job; a job's own keys win
//! by = ["region"]
//! fail_alpha_under = 0.6
//!
//! [[job]]
//! name = "b2b"                    # unique; the default output directory
//! survey = "b2b-platform/survey.toml"
//! data = "b2b-platform/responses.csv"
//! output = "b2b"                  # inside the batch output directory
//! weight = "weight"
//! baseline = "last-year/b2b/results.json"
//! fail_under = 60
//! fail_node = ["service<60"]
//! fail_drop = 3
//! ```

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::analysis::AnalysisOptions;
use crate::analysis::ImproveOptions;
use crate::diagnostic::{Severity, SourceFile};
use crate::error::{Error, Result};
use crate::gates::{Gates, parse_fail_node};
use crate::pipeline::ImportSettings;
use crate::pipeline::settings::{
    CSAT, FUZZY_OPERATOR, IMPORTANCE, IPA_CROSS, MISSING, ON_INVALID, by_name, check_encoding,
    parse_factors,
};

/// The default batch output directory, next to the batch file.
pub const DEFAULT_OUTPUT: &str = "batch-out";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch {
    output: Option<Spanned<String>>,
    defaults: Option<Spanned<RawDefaults>>,
    #[serde(default)]
    job: Vec<Spanned<RawJob>>,
}

/// Keys that a job may inherit. `name` and `output` are per job and not allowed here.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    survey: Option<Spanned<String>>,
    data: Option<Spanned<String>>,
    by: Option<Vec<String>>,
    weight: Option<String>,
    baseline: Option<Spanned<String>>,
    fail_under: Option<Spanned<f64>>,
    fail_node: Option<Vec<Spanned<String>>>,
    fail_drop: Option<Spanned<f64>>,
    fail_alpha_under: Option<Spanned<f64>>,
    missing: Option<Spanned<String>>,
    factor_missing: Option<Spanned<String>>,
    factors: Option<Spanned<FactorsKey>>,
    importance: Option<Spanned<String>>,
    ipa_cross: Option<Spanned<String>>,
    fuzzy_operator: Option<Spanned<String>>,
    csat: Option<Spanned<String>>,
    threads: Option<Spanned<i64>>,
    report: Option<bool>,
    encoding: Option<Spanned<String>>,
    delimiter: Option<Spanned<String>>,
    map: Option<Spanned<String>>,
    id: Option<String>,
    duration: Option<String>,
    attr: Option<Vec<String>>,
    on_invalid: Option<Spanned<String>>,
    drop_flagged: Option<bool>,
    min_duration: Option<Spanned<f64>>,
    min_completion: Option<Spanned<f64>>,
    sheet: Option<String>,
    header_row: Option<Spanned<i64>>,
    from: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJob {
    name: Spanned<String>,
    survey: Option<Spanned<String>>,
    data: Option<Spanned<String>>,
    output: Option<Spanned<String>>,
    by: Option<Vec<String>>,
    weight: Option<String>,
    baseline: Option<Spanned<String>>,
    fail_under: Option<Spanned<f64>>,
    fail_node: Option<Vec<Spanned<String>>>,
    fail_drop: Option<Spanned<f64>>,
    fail_alpha_under: Option<Spanned<f64>>,
    missing: Option<Spanned<String>>,
    factor_missing: Option<Spanned<String>>,
    factors: Option<Spanned<FactorsKey>>,
    importance: Option<Spanned<String>>,
    ipa_cross: Option<Spanned<String>>,
    fuzzy_operator: Option<Spanned<String>>,
    csat: Option<Spanned<String>>,
    threads: Option<Spanned<i64>>,
    report: Option<bool>,
    encoding: Option<Spanned<String>>,
    delimiter: Option<Spanned<String>>,
    map: Option<Spanned<String>>,
    id: Option<String>,
    duration: Option<String>,
    attr: Option<Vec<String>>,
    on_invalid: Option<Spanned<String>>,
    drop_flagged: Option<bool>,
    min_duration: Option<Spanned<f64>>,
    min_completion: Option<Spanned<f64>>,
    sheet: Option<String>,
    header_row: Option<Spanned<i64>>,
    from: Option<Spanned<String>>,
}

/// `factors = "kaiser"` or `factors = 3`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum FactorsKey {
    Count(i64),
    Name(String),
}

/// A job's own value of a key, or else the inherited one.
fn pick<'a, T>(own: &'a Option<T>, inherited: &'a Option<T>) -> Option<&'a T> {
    own.as_ref().or(inherited.as_ref())
}

/// A validated batch: resolved paths and parsed gates.
#[derive(Debug, Clone)]
pub struct BatchPlan {
    /// The batch file as given.
    pub file: PathBuf,
    /// The batch output directory (summary.json, summary.html and every job's directory).
    pub output: PathBuf,
    pub jobs: Vec<JobPlan>,
}

/// One job, ready to run.
#[derive(Debug, Clone)]
pub struct JobPlan {
    pub name: String,
    /// Resolved against the batch file's directory.
    pub survey: PathBuf,
    pub data: PathBuf,
    /// The job's output directory (inside [`BatchPlan::output`]).
    pub output: PathBuf,
    /// The output directory relative to the batch output, with `/` separators (for links).
    pub output_rel: String,
    /// Everything `satkit analyze` takes besides the paths (`input` is set when the job runs);
    /// `weight` and `improve.by` hold the job's weight and segmentations.
    pub analysis: AnalysisOptions,
    /// How a CSV is read (`map` resolved against the batch file's directory).
    pub import: ImportSettings,
    /// `report = false` writes only results.json for this job.
    pub report: bool,
    pub baseline: Option<PathBuf>,
    pub gates: Gates,
}

/// Read and validate a batch file.
///
/// # Errors
/// An unreadable file ([`Error::Io`]) or any mistake in it ([`Error::Usage`] with file:line:col).
pub fn plan_file(path: &Path) -> Result<BatchPlan> {
    let text = crate::input::read_to_string(path)?;
    plan(path, &text)
}

/// Validate the text of a batch file; `path` locates it (relative paths inside resolve against
/// its directory) and names it in messages.
///
/// # Errors
/// [`Error::Usage`] whose message starts with `file:line:col:` and shows the offending line:
/// TOML syntax, unknown keys, missing fields, a bad gate, a duplicate job name or output, or an
/// output directory that would leave the batch output directory.
pub fn plan(path: &Path, text: &str) -> Result<BatchPlan> {
    let src = SourceFile::new(path.display().to_string(), text);
    let err = |span: Option<Range<usize>>, message: String, help: &str| -> Error {
        let d = src.diagnostic(Severity::Error, span, message, help);
        // "file:line:col: error: message" → "file:line:col: message" (main adds "error: ").
        Error::usage(d.to_string().replacen(": error: ", ": ", 1), "")
    };
    let raw: RawBatch = toml::from_str(text).map_err(|e| {
        let (span, message) = crate::toml_source::parse_error(&e, text);
        err(
            span,
            message,
            "see docs/batch.md for the keys of a batch file",
        )
    })?;
    let base = match path.parent() {
        Some(p) => p.to_path_buf(),
        None => PathBuf::new(),
    };
    let output = match &raw.output {
        Some(o) if o.get_ref().trim().is_empty() => {
            return Err(err(
                Some(o.span()),
                "output is empty".into(),
                "e.g. output = \"out\"",
            ));
        }
        Some(o) => base.join(o.get_ref()),
        None => base.join(DEFAULT_OUTPUT),
    };
    if raw.job.is_empty() {
        return Err(err(
            None,
            "the batch file has no [[job]]".into(),
            "add a [[job]] table with name, survey and data",
        ));
    }
    let defaults = raw.defaults.as_ref().map(|d| d.get_ref());
    let empty = RawDefaults::default();
    let d = defaults.unwrap_or(&empty);
    let mut jobs: Vec<JobPlan> = Vec::new();
    for spanned in &raw.job {
        let job = spanned.get_ref();
        let job_span = Some(spanned.span());
        let name = job.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(err(
                Some(job.name.span()),
                "job name is empty".into(),
                "give every job a short unique name",
            ));
        }
        if jobs.iter().any(|j| j.name == name) {
            return Err(err(
                Some(job.name.span()),
                format!("job name '{name}' is used twice"),
                "give every job a unique name",
            ));
        }
        let resolve = |own: &Option<Spanned<String>>,
                       inherited: &Option<Spanned<String>>,
                       key: &str|
         -> Result<Option<PathBuf>> {
            match own.as_ref().or(inherited.as_ref()) {
                Some(s) if s.get_ref().trim().is_empty() => Err(err(
                    Some(s.span()),
                    format!("{key} is empty"),
                    "give a path relative to the batch file",
                )),
                Some(s) => Ok(Some(base.join(s.get_ref()))),
                None => Ok(None),
            }
        };
        let missing = |key: &str| {
            err(
                job_span.clone(),
                format!("job '{name}' has no {key} (and [defaults] gives none)"),
                &format!("add {key} = \"...\" to the job or to [defaults]"),
            )
        };
        let survey = resolve(&job.survey, &d.survey, "survey")?.ok_or_else(|| missing("survey"))?;
        let data = resolve(&job.data, &d.data, "data")?.ok_or_else(|| missing("data"))?;
        let baseline = resolve(&job.baseline, &d.baseline, "baseline")?;

        let (out_text, out_span) = match &job.output {
            Some(o) => (o.get_ref().clone(), o.span()),
            None => (name.clone(), job.name.span()),
        };
        let rel = contained(Path::new(&out_text)).map_err(|why| {
            err(
                Some(out_span.clone()),
                format!("job '{name}': output '{out_text}' {why}"),
                "give a relative directory inside the batch output, e.g. output = \"b2b\"",
            )
        })?;
        let output_rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if let Some(other) = jobs.iter().find(|j| j.output_rel == output_rel) {
            return Err(err(
                Some(out_span),
                format!(
                    "job '{name}' writes to '{output_rel}', as job '{}' does",
                    other.name
                ),
                "give each job its own output directory",
            ));
        }

        let keys = JobKeys {
            job,
            d,
            base: &base,
        };
        let gates = keys.gates(&err)?;
        if gates.fail_drop.is_some() && baseline.is_none() {
            return Err(err(
                job_span,
                format!("job '{name}' has fail_drop but no baseline"),
                "add baseline = \"path/to/results.json\" of an earlier run",
            ));
        }
        let weight = job.weight.clone().or_else(|| d.weight.clone());
        let by = job.by.clone().or_else(|| d.by.clone()).unwrap_or_default();
        let analysis = keys.analysis(weight.clone(), by, &err)?;
        let import = keys.import(weight, &err)?;
        jobs.push(JobPlan {
            output: output.join(&rel),
            output_rel,
            name,
            survey,
            data,
            analysis,
            import,
            report: *pick(&job.report, &d.report).unwrap_or(&true),
            baseline,
            gates,
        });
    }
    Ok(BatchPlan {
        file: path.to_path_buf(),
        output,
        jobs,
    })
}

/// A job's keys with the defaults it inherits.
struct JobKeys<'a> {
    job: &'a RawJob,
    d: &'a RawDefaults,
    base: &'a Path,
}

/// Builds the located error of a key: its span, the message and the cure.
type KeyError<'e> = dyn Fn(Option<Range<usize>>, String, &str) -> Error + 'e;

impl JobKeys<'_> {
    /// A named choice such as `missing = "listwise"`, checked against its table.
    fn choice<T: Copy>(
        &self,
        own: &Option<Spanned<String>>,
        inherited: &Option<Spanned<String>>,
        key: &str,
        table: &[(&str, T)],
        err: &KeyError<'_>,
    ) -> Result<Option<T>> {
        match pick(own, inherited) {
            Some(v) => by_name(table, v.get_ref()).map(Some).map_err(|names| {
                err(
                    Some(v.span()),
                    format!("{key} = \"{}\" is not one of: {names}", v.get_ref()),
                    &format!("e.g. {key} = \"{}\"", table[table.len() - 1].0),
                )
            }),
            None => Ok(None),
        }
    }

    /// The gates: fail_under, fail_node, fail_drop and fail_alpha_under, range-checked.
    fn gates(&self, err: &KeyError<'_>) -> Result<Gates> {
        let threshold = |own: &Option<Spanned<f64>>,
                         inherited: &Option<Spanned<f64>>,
                         key: &str,
                         max: f64|
         -> Result<Option<f64>> {
            match own.as_ref().or(inherited.as_ref()) {
                Some(v) if !(0.0..=max).contains(v.get_ref()) => Err(err(
                    Some(v.span()),
                    format!("{key} = {} is outside 0–{max}", v.get_ref()),
                    &format!("give {key} a number from 0 to {max}"),
                )),
                Some(v) => Ok(Some(*v.get_ref())),
                None => Ok(None),
            }
        };
        let mut fail_node = Vec::new();
        for spec in self
            .job
            .fail_node
            .as_ref()
            .or(self.d.fail_node.as_ref())
            .into_iter()
            .flatten()
        {
            fail_node.push(parse_fail_node(spec.get_ref()).map_err(|e| {
                err(
                    Some(spec.span()),
                    e.to_string().replace("--fail-node", "fail_node"),
                    "",
                )
            })?);
        }
        Ok(Gates {
            fail_under: threshold(
                &self.job.fail_under,
                &self.d.fail_under,
                "fail_under",
                100.0,
            )?,
            fail_node,
            fail_drop: threshold(&self.job.fail_drop, &self.d.fail_drop, "fail_drop", 100.0)?,
            fail_alpha_under: threshold(
                &self.job.fail_alpha_under,
                &self.d.fail_alpha_under,
                "fail_alpha_under",
                1.0,
            )?,
        })
    }

    /// The analysis keys: missing, factors, importance, ipa_cross, fuzzy_operator, csat, threads.
    fn analysis(
        &self,
        weight: Option<String>,
        by: Vec<String>,
        err: &KeyError<'_>,
    ) -> Result<AnalysisOptions> {
        let (j, d) = (self.job, self.d);
        let defaults = AnalysisOptions::default();
        let improve = ImproveOptions::default();
        let factors = match pick(&j.factors, &d.factors) {
            None => defaults.factors,
            Some(f) => {
                let text = match f.get_ref() {
                    FactorsKey::Count(n) => n.to_string(),
                    FactorsKey::Name(s) => s.clone(),
                };
                parse_factors(&text).map_err(|_| {
                    err(
                        Some(f.span()),
                        format!("factors = {text} is not \"dimensions\", \"kaiser\" or a positive number"),
                        "e.g. factors = \"kaiser\" or factors = 3",
                    )
                })?
            }
        };
        let threads = match pick(&j.threads, &d.threads) {
            Some(t) if !(1..=256).contains(t.get_ref()) => {
                return Err(err(
                    Some(t.span()),
                    format!("threads = {} is outside 1–256", t.get_ref()),
                    "give threads a whole number from 1 to 256",
                ));
            }
            Some(t) => *t.get_ref() as usize,
            // One thread per job: jobs run side by side.
            None => 1,
        };
        Ok(AnalysisOptions {
            weight,
            missing: (self.choice(&j.missing, &d.missing, "missing", MISSING, err)?)
                .unwrap_or(defaults.missing),
            factors,
            factor_missing: (self.choice(
                &j.factor_missing,
                &d.factor_missing,
                "factor_missing",
                MISSING,
                err,
            )?)
            .unwrap_or(defaults.factor_missing),
            threads,
            input: String::new(),
            improve: ImproveOptions {
                importance: (self.choice(
                    &j.importance,
                    &d.importance,
                    "importance",
                    IMPORTANCE,
                    err,
                )?)
                .unwrap_or(improve.importance),
                ipa_cross: (self.choice(
                    &j.ipa_cross,
                    &d.ipa_cross,
                    "ipa_cross",
                    IPA_CROSS,
                    err,
                )?)
                .unwrap_or(improve.ipa_cross),
                by,
                fuzzy_operator: (self.choice(
                    &j.fuzzy_operator,
                    &d.fuzzy_operator,
                    "fuzzy_operator",
                    FUZZY_OPERATOR,
                    err,
                )?)
                .unwrap_or(improve.fuzzy_operator),
                csat_top: (self.choice(&j.csat, &d.csat, "csat", CSAT, err)?)
                    .unwrap_or(improve.csat_top),
            },
        })
    }

    /// The import keys: encoding, delimiter, map, id, duration, attr, on_invalid, drop_flagged,
    /// min_duration, min_completion, sheet, header_row, from.
    fn import(&self, weight: Option<String>, err: &KeyError<'_>) -> Result<ImportSettings> {
        let (j, d) = (self.job, self.d);
        let defaults = ImportSettings::default();
        let encoding = match pick(&j.encoding, &d.encoding) {
            Some(e) => {
                check_encoding(e.get_ref()).map_err(|why| {
                    err(
                        Some(e.span()),
                        format!("encoding = \"{}\": {why}", e.get_ref()),
                        "e.g. encoding = \"gbk\"",
                    )
                })?;
                e.get_ref().clone()
            }
            None => defaults.encoding,
        };
        let delimiter = match pick(&j.delimiter, &d.delimiter) {
            Some(v) => {
                crate::data::read::parse_delimiter(v.get_ref()).map_err(|_| {
                    err(
                        Some(v.span()),
                        format!(
                            "delimiter = \"{}\" is not a single ASCII character",
                            v.get_ref()
                        ),
                        "use \",\", \";\" or \"tab\"",
                    )
                })?;
                Some(v.get_ref().clone())
            }
            None => None,
        };
        let min_duration = match pick(&j.min_duration, &d.min_duration) {
            Some(v) if !(*v.get_ref() >= 0.0 && v.get_ref().is_finite()) => {
                return Err(err(
                    Some(v.span()),
                    format!(
                        "min_duration = {} is not a number of seconds ≥ 0",
                        v.get_ref()
                    ),
                    "e.g. min_duration = 60",
                ));
            }
            v => v.map(|v| *v.get_ref()),
        };
        let min_completion = match pick(&j.min_completion, &d.min_completion) {
            Some(v) if !(0.0..=1.0).contains(v.get_ref()) => {
                return Err(err(
                    Some(v.span()),
                    format!("min_completion = {} is not a share in [0, 1]", v.get_ref()),
                    "e.g. min_completion = 0.5",
                ));
            }
            v => v.map_or(defaults.min_completion, |v| *v.get_ref()),
        };
        let from = match pick(&j.from, &d.from) {
            Some(v) => {
                crate::data::platforms::From::parse(v.get_ref()).map_err(|valid| {
                    err(
                        Some(v.span()),
                        format!("from = \"{}\" is not a platform satkit knows", v.get_ref()),
                        &valid,
                    )
                })?;
                v.get_ref().clone()
            }
            None => defaults.from.clone(),
        };
        let header_row = match pick(&j.header_row, &d.header_row) {
            Some(v) if *v.get_ref() < 1 => {
                return Err(err(
                    Some(v.span()),
                    format!("header_row = {} is not a row number ≥ 1", v.get_ref()),
                    "give the workbook row that holds the column names, e.g. header_row = 2",
                ));
            }
            v => v.map(|v| *v.get_ref() as u64),
        };
        Ok(ImportSettings {
            encoding,
            delimiter,
            map: pick(&j.map, &d.map).map(|m| self.base.join(m.get_ref())),
            id: j.id.clone().or_else(|| d.id.clone()),
            weight,
            duration: j.duration.clone().or_else(|| d.duration.clone()),
            attrs: j
                .attr
                .clone()
                .or_else(|| d.attr.clone())
                .unwrap_or_default(),
            on_invalid: (self.choice(
                &j.on_invalid,
                &d.on_invalid,
                "on_invalid",
                ON_INVALID,
                err,
            )?)
            .unwrap_or(defaults.on_invalid),
            drop_flagged: *pick(&j.drop_flagged, &d.drop_flagged).unwrap_or(&false),
            min_duration,
            min_completion,
            longstring_share: defaults.longstring_share,
            irv_max: defaults.irv_max,
            progress: false,
            sheet: j.sheet.clone().or_else(|| d.sheet.clone()),
            header_row,
            from,
        })
    }
}

/// `p` as a normalised relative path that stays strictly inside its base directory, or why not.
fn contained(p: &Path) -> std::result::Result<PathBuf, String> {
    if p.has_root() || p.is_absolute() {
        return Err("is absolute; job outputs must stay inside the batch output directory".into());
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(s) => out.push(s),
            Component::ParentDir => {
                if !out.pop() {
                    return Err("leaves the batch output directory (through '..')".into());
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(
                    "is absolute; job outputs must stay inside the batch output directory".into(),
                );
            }
        }
    }
    if out.as_os_str().is_empty() {
        return Err(
            "is the batch output directory itself, where summary.json and summary.html go".into(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_stay_inside() {
        assert_eq!(contained(Path::new("a/./b")).unwrap(), PathBuf::from("a/b"));
        assert_eq!(contained(Path::new("a/../b")).unwrap(), PathBuf::from("b"));
        assert!(contained(Path::new("../x")).is_err());
        assert!(contained(Path::new("a/../../x")).is_err());
        assert!(contained(Path::new("/tmp/x")).is_err());
        assert!(contained(Path::new(".")).is_err());
    }

    #[test]
    fn defaults_are_inherited_and_jobs_override() {
        let text = "[defaults]\nsurvey = \"s.toml\"\nby = [\"region\"]\nfail_under = 50\n\n\
                    [[job]]\nname = \"a\"\ndata = \"a.csv\"\n\n\
                    [[job]]\nname = \"b\"\ndata = \"b.csv\"\nby = []\nfail_under = 70\n";
        let p = plan(Path::new("dir/batch.toml"), text).unwrap();
        assert_eq!(p.output, PathBuf::from("dir/batch-out"));
        assert_eq!(p.jobs[0].survey, PathBuf::from("dir/s.toml"));
        assert_eq!(p.jobs[0].analysis.improve.by, vec!["region".to_string()]);
        assert_eq!(p.jobs[0].gates.fail_under, Some(50.0));
        assert!(p.jobs[1].analysis.improve.by.is_empty());
        assert_eq!(p.jobs[1].gates.fail_under, Some(70.0));
        assert_eq!(p.jobs[1].output, PathBuf::from("dir/batch-out/b"));
    }

    #[test]
    fn mistakes_are_located() {
        let e = plan(
            Path::new("b.toml"),
            "[[job]]\nname = \"a\"\nsurvey = \"s\"\ndata = \"d\"\nfail_undr = 3\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("b.toml:5:1: unknown field `fail_undr`"),
            "{e}"
        );
        let e = plan(
            Path::new("b.toml"),
            "[[job]]\nname = \"a\"\nsurvey = \"s\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("b.toml:1:1: job 'a' has no data"), "{e}");
        let e = plan(
            Path::new("b.toml"),
            "[[job]]\nname = \"a\"\nsurvey = \"s\"\ndata = \"d\"\noutput = \"../x\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("b.toml:5:10: job 'a': output '../x' leaves"),
            "{e}"
        );
    }
}
