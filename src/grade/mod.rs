//! Grading a batch of student questionnaires against a rubric.
//!
//! [`Rubric`] (in [`rubric`]) says what earns points, what loses them and how shares of the points
//! map to bands; docs/grading.md describes the format. [`grade_all`] grades every submission and
//! returns typed [`Grade`]s, sorted by student; [`gradebook::gradebook_csv`] and
//! [`feedback::feedback_markdown`] render them. The command line (`satkit grade`) only collects
//! the files, calls these and writes the outputs.
//!
//! Every submission is graded independently: one that does not parse or validate gets 0 points
//! and its `satkit check` diagnostics in its feedback, and never stops the batch. A survey whose
//! only errors are weight errors is still graded (see [`crate::lint`]); it loses the `valid_tree`
//! criterion and the weight findings count as lint errors.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::error::{Error, Result};
use crate::lint::{self, Outcome};

pub mod award;
pub mod feedback;
pub mod gradebook;
pub mod rubric;
pub mod scores;

pub use feedback::{feedback_file_names, feedback_markdown};
pub use gradebook::gradebook_csv;
pub use rubric::{Band, Check, Criterion, Deduction, Matcher, Rubric};
pub use scores::{Award, Charge, Grade};

use award::{award, charge};
use scores::round2;

/// Where student names come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameFrom {
    /// The file name without extension (the directory name for survey.toml).
    #[default]
    File,
    /// `[survey] author`, falling back to the file name.
    Author,
}

/// One submission file, with the name it has in the gradebook and in messages.
#[derive(Debug, Clone)]
pub struct Submission {
    pub path: PathBuf,
    /// The path relative to the directory it was found in, or as given.
    pub file: String,
}

/// Grade every submission and sort the grades by student, then file.
///
/// # Errors
/// Only I/O errors reading a file; a submission that does not parse gets 0 points instead.
pub fn grade_all(
    submissions: &[Submission],
    name_from: NameFrom,
    rubric: &Rubric,
) -> Result<Vec<Grade>> {
    let mut grades = Vec::new();
    for s in submissions {
        grades.push(grade_file(&s.path, s.file.clone(), name_from, rubric)?);
    }
    grades.sort_by(|a, b| (&a.student, &a.file).cmp(&(&b.student, &b.file)));
    Ok(grades)
}

/// Grade one submission file.
///
/// # Errors
/// Only I/O errors reading the file.
pub fn grade_file(
    path: &Path,
    file: String,
    name_from: NameFrom,
    rubric: &Rubric,
) -> Result<Grade> {
    let fallback = student_from_path(path);
    let max = rubric.max_points();
    let outcome = match lint::load_file(path)? {
        // Name the file in messages as it appears in the gradebook.
        Outcome::Invalid(diags) => Outcome::Invalid(
            diags
                .into_iter()
                .map(|d| Diagnostic {
                    file: file.clone(),
                    ..d
                })
                .collect(),
        ),
        Outcome::Loaded(mut l) => {
            l.survey.source = SourceFile::new(file.clone(), l.survey.source.text.clone());
            for (_, d) in &mut l.check_errors {
                d.file = file.clone();
            }
            Outcome::Loaded(l)
        }
    };
    Ok(match outcome {
        Outcome::Invalid(diags) => Grade {
            student: fallback,
            file,
            path: path.to_path_buf(),
            awards: rubric
                .criteria
                .iter()
                .map(|_| Award {
                    points: 0.0,
                    why: "the survey could not be read".into(),
                    line: None,
                })
                .collect(),
            charges: rubric.deductions.iter().map(|_| Vec::new()).collect(),
            total: 0.0,
            max,
            band: rubric.band(0.0).to_string(),
            unreadable: Some(diags),
            source: std::fs::read_to_string(path)
                .ok()
                .map(|t| SourceFile::new(path.display().to_string(), t)),
        },
        Outcome::Loaded(l) => {
            let findings = lint::lint(&l, &rubric.lint);
            let awards: Vec<Award> = rubric.criteria.iter().map(|c| award(c, &l)).collect();
            let charges = charge(&rubric.deductions, &findings);
            let got: f64 = awards.iter().map(|a| a.points).sum();
            let lost: f64 = charges.iter().flatten().map(|c| c.points).sum();
            let total = round2((got - lost).max(0.0));
            let student = match (name_from, l.survey.meta.author.as_deref()) {
                (NameFrom::Author, Some(a)) if !a.trim().is_empty() => a.trim().to_string(),
                _ => fallback,
            };
            Grade {
                student,
                file,
                path: path.to_path_buf(),
                awards,
                charges,
                total,
                max,
                band: rubric
                    .band(if max > 0.0 { total / max } else { 0.0 })
                    .to_string(),
                unreadable: None,
                source: Some(l.survey.source.clone()),
            }
        }
    })
}

/// The file stem, or the directory name for a file called `survey.toml`.
fn student_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "survey"
        && let Some(dir) = path.parent().and_then(|p| p.file_name())
    {
        return dir.to_string_lossy().into_owned();
    }
    stem
}

/// Every submission file: survey files as given, and the `*.toml` files under each directory
/// (recursively, sorted, without the rubric itself).
///
/// # Errors
/// [`Error::Io`] for a missing path or an unreadable directory, [`Error::Usage`] when there is
/// no survey file at all.
pub fn collect_submissions(paths: &[PathBuf], rubric: &Path) -> Result<Vec<Submission>> {
    let rubric_canon = std::fs::canonicalize(rubric).ok();
    let mut out = Vec::new();
    // Each file is graded once, however many links or loops lead to it.
    let mut seen_files: HashSet<PathBuf> = HashSet::new();
    let mut seen_dirs: HashSet<PathBuf> = HashSet::new();
    for s in paths {
        let meta = std::fs::metadata(s).map_err(|e| Error::io(s, e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(s, &mut files, &mut seen_dirs)?;
            files.sort();
            for f in files {
                let canon = std::fs::canonicalize(&f).ok();
                if canon.is_some() && canon == rubric_canon {
                    continue;
                }
                if !seen_files.insert(canon.unwrap_or_else(|| f.clone())) {
                    continue;
                }
                let rel = f
                    .strip_prefix(s)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(Submission { path: f, file: rel });
            }
        } else {
            if !seen_files.insert(std::fs::canonicalize(s).unwrap_or_else(|_| s.clone())) {
                continue;
            }
            out.push(Submission {
                path: s.clone(),
                file: s.display().to_string(),
            });
        }
    }
    if out.is_empty() {
        return Err(Error::usage(
            "no survey files (*.toml) among the submissions",
            "pass survey files or directories that contain them",
        ));
    }
    Ok(out)
}

/// The *.toml files under `dir`, following symlinks but entering each directory once (by its
/// resolved path), so a symlink loop neither repeats a student nor hangs.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>) -> Result<()> {
    let canon = std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if !seen.insert(canon) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        entries.push(entry.map_err(|e| Error::io(dir, e))?.path());
    }
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out, seen)?;
        } else if p.extension().is_some_and(|e| e == "toml") && p.is_file() {
            out.push(p);
        }
    }
    Ok(())
}
