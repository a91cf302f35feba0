//! `satkit grade`: grade a batch of student questionnaires against a rubric.
//!
//! The grading itself lives in [`crate::grade`]; this file parses the arguments, collects the
//! submission files, calls [`grade::grade_all`], writes the gradebook and the feedback files
//! (atomically, never over an input) and prints a one-line summary to stderr.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::grade::{self, Rubric};
use crate::output::{Inputs, OutputDir, Owned, write_atomic};

const EXAMPLES: &str = "\
Examples:
  satkit grade submissions/ --rubric surveys/rubrics/default.toml -o gradebook.csv
  satkit grade a.toml b.toml --rubric surveys/rubrics/default-zh.toml -o grades.csv --feedback feedback/
  satkit grade class-3/ --rubric my-rubric.toml --name-from author

Each survey file is one student's submission; a directory is searched (recursively) for *.toml
files. The student is named after the file (a file called survey.toml after its directory), or
after [survey] author with --name-from author. The gradebook has one row per student, sorted by
name: student, file, total, max, band, then one column per criterion and per deduction.
docs/grading.md describes the rubric format.

Exit status: 0 when grading completed (also when some submissions could not be read),
2 for a bad rubric, a missing submission path or an unwritable output.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum NameFrom {
    /// The file name without extension (the directory name for survey.toml).
    #[default]
    File,
    /// `[survey] author`, falling back to the file name.
    Author,
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Submissions: survey files, or directories of survey files (one file per student).
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// The rubric (TOML).
    #[arg(long, value_name = "RUBRIC.toml")]
    pub rubric: PathBuf,
    /// The gradebook CSV to write ('-' for stdout).
    #[arg(short = 'o', long, value_name = "GRADEBOOK.csv", default_value = "-")]
    pub output: PathBuf,
    /// Write one Markdown feedback file per student into this directory.
    #[arg(long, value_name = "DIR")]
    pub feedback: Option<PathBuf>,
    /// Where student names come from.
    #[arg(long, value_enum, default_value_t = NameFrom::File)]
    pub name_from: NameFrom,
}

impl From<NameFrom> for grade::NameFrom {
    fn from(n: NameFrom) -> Self {
        match n {
            NameFrom::File => grade::NameFrom::File,
            NameFrom::Author => grade::NameFrom::Author,
        }
    }
}

pub fn run(args: Args) -> Result<i32> {
    let rubric = Rubric::from_file(&args.rubric)?;
    let files = grade::collect_submissions(&args.submissions, &args.rubric)?;
    let inputs =
        Inputs::new((files.iter().map(|s| s.path.as_path())).chain([args.rubric.as_path()]));
    inputs.check_file(&args.output)?;
    // The feedback directory is checked and staged before anything is written, and swapped in
    // after the gradebook, so a bad --feedback path leaves no gradebook behind.
    let feedback = match &args.feedback {
        Some(dir) => Some(OutputDir::begin(dir, Owned::Extensions(&["md"]), &inputs)?),
        None => None,
    };
    let grades = grade::grade_all(&files, args.name_from.into(), &rubric)?;
    let gradebook = grade::gradebook_csv(&rubric, &grades)?;
    if let Some(set) = &feedback {
        for (g, name) in grades.iter().zip(grade::feedback_file_names(&grades)) {
            let path = set.path().join(name);
            write_atomic(&path, grade::feedback_markdown(&rubric, g).as_bytes())?;
        }
    }
    write_atomic(&args.output, &gradebook)?;
    if let Some(set) = feedback {
        set.commit()?;
    }
    let unreadable = grades.iter().filter(|g| g.unreadable.is_some()).count();
    let dest = if args.output == Path::new("-") {
        "stdout".to_string()
    } else {
        args.output.display().to_string()
    };
    crate::errln!(
        "graded {} submission{} against '{}'{} -> {dest}",
        grades.len(),
        if grades.len() == 1 { "" } else { "s" },
        rubric.name,
        if unreadable > 0 {
            format!(" ({unreadable} could not be read and got 0 points)")
        } else {
            String::new()
        }
    );
    Ok(0)
}
