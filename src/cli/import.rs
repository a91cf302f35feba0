//! `satkit import`: validate, code and flag CSV responses against the survey; write Parquet or
//! CSV, a rejects file and a summary.

use std::path::PathBuf;

use clap::ValueEnum;

use super::output::{Format, print_stdout, to_json};
use crate::data::import::{ImportOptions, InvalidPolicy, rejects_csv};
use crate::data::{export, import_path};
use crate::error::{Error, Result};
use crate::model::Survey;
use crate::output::{Inputs, resolve, write_atomic};
use crate::pipeline::ImportSettings;
use crate::pipeline::import_text::{self, problems_text};

const EXAMPLES: &str = "\
Examples:
  satkit import surveys/b2b-platform/survey.toml surveys/b2b-platform/responses.csv -o clean.parquet
  satkit import s.toml answers.xlsx --sheet Responses --header-row 2 -o clean.csv --rejects rejects.csv
  satkit import s.toml qualtrics.csv --from qualtrics --on-invalid drop-row -o clean.parquet
  cat excel_gbk.csv | satkit import s.toml - --encoding gbk -o clean.parquet --format json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Policy {
    /// The invalid cell becomes missing (default).
    Missing,
    /// Rows with any invalid cell are dropped and reported.
    DropRow,
    /// Exit 2 at the first problem.
    Fail,
}

/// Options shared by `import` and `analyze` (which imports CSV input the same way).
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// Input encoding: auto, utf-8, gbk, gb18030, utf-16le, utf-16be.
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// Field delimiter (',', ';', tab); detected from the header when absent.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// A TOML file with [columns] "file header" = "question id" renames.
    #[arg(long, value_name = "MAPPING.toml")]
    pub map: Option<PathBuf>,
    /// The respondent id column (overrides [respondents] id).
    #[arg(long)]
    pub id: Option<String>,
    /// The survey weight column (overrides [respondents] weight).
    #[arg(long)]
    pub weight: Option<String>,
    /// The duration column in seconds (overrides [respondents] duration).
    #[arg(long)]
    pub duration: Option<String>,
    /// More respondent attribute columns, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub attr: Vec<String>,
    /// What to do with an invalid value.
    #[arg(long, value_enum, default_value_t = Policy::Missing)]
    pub on_invalid: Policy,
    /// Remove flagged respondents (straight-lining over the rating grid, speeding, duplicate id, low completion).
    #[arg(long)]
    pub drop_flagged: bool,
    /// Speeding: flag durations below this many seconds (default: a third of the median).
    #[arg(long)]
    pub min_duration: Option<f64>,
    /// Low completion: flag respondents answering less than this share of closed questions.
    #[arg(long, default_value_t = 0.5)]
    pub min_completion: f64,
    /// Straight-lining: flag when the longest run of identical answers covers this share of
    /// the answered rating grid (and --irv-max holds).
    #[arg(long, default_value_t = 0.5)]
    pub longstring_share: f64,
    /// Straight-lining: flag when the SD of the answers in scale steps is at most this
    /// (and --longstring-share holds).
    #[arg(long, default_value_t = 0.35)]
    pub irv_max: f64,
    /// The survey platform that exported the file: auto (detect it and say so), plain (a table
    /// with one header row), qualtrics, surveymonkey, limesurvey, kobo, wjx (问卷星) or tencent
    /// (腾讯问卷). A preset folds extra header rows, maps the platform's id, duration and
    /// metadata columns, re-codes its multiple-choice answers and excludes previews, tests,
    /// spam and unfinished responses, counted by reason.
    #[arg(long, default_value = "auto", value_name = "PLATFORM")]
    pub from: String,
    /// The sheet of a workbook (.xlsx, .xls, .ods) to read; the first when absent.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The workbook row (1-based) that holds the column names; found when absent (the first
    /// row at least half as wide as the widest, so title rows above it are skipped).
    #[arg(long, value_name = "ROW")]
    pub header_row: Option<u64>,
}

impl ImportArgs {
    /// The settings as given; checked by [`ImportSettings::resolve`].
    pub fn settings(&self) -> ImportSettings {
        ImportSettings {
            encoding: self.encoding.clone(),
            delimiter: self.delimiter.clone(),
            map: self.map.clone(),
            id: self.id.clone(),
            weight: self.weight.clone(),
            duration: self.duration.clone(),
            attrs: self.attr.clone(),
            on_invalid: match self.on_invalid {
                Policy::Missing => InvalidPolicy::Missing,
                Policy::DropRow => InvalidPolicy::DropRow,
                Policy::Fail => InvalidPolicy::Fail,
            },
            drop_flagged: self.drop_flagged,
            min_duration: self.min_duration,
            min_completion: self.min_completion,
            longstring_share: self.longstring_share,
            irv_max: self.irv_max,
            progress: true,
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            from: self.from.clone(),
        }
    }

    /// The checked import options.
    ///
    /// # Errors
    /// See [`ImportSettings::resolve`].
    pub fn options(&self) -> Result<ImportOptions> {
        self.settings().resolve()
    }
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The survey file (TOML).
    pub survey: PathBuf,
    /// The responses: CSV or TSV (`-` for stdin), a workbook (.xlsx, .xls, .ods) or an SPSS
    /// file (.sav, .zsav).
    pub responses: PathBuf,
    /// The clean table: .parquet (for analysis), .csv, .sav/.zsav (SPSS, with variable and value
    /// labels) or .xlsx (with a codebook sheet).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Write every problem (line, column, value, rule, fix) to this CSV.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    #[command(flatten)]
    pub import: ImportArgs,
    /// Summary format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> Result<i32> {
    let survey = Survey::load(&args.survey)?;
    let opts = args.import.options()?;
    let ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(
        ext.as_deref(),
        Some("parquet" | "csv" | "sav" | "zsav" | "xlsx")
    ) {
        return Err(Error::usage(
            format!(
                "output {} must end in .parquet, .csv, .sav, .zsav or .xlsx",
                args.output.display()
            ),
            "e.g. -o clean.parquet (for analysis), -o clean.sav (SPSS), -o clean.xlsx (Excel)",
        ));
    }
    let inputs = Inputs::new(
        [args.survey.as_path(), args.responses.as_path()]
            .into_iter()
            .chain(args.import.map.as_deref()),
    );
    inputs.check_file(&args.output)?;
    if let Some(r) = &args.rejects {
        inputs.check_file(r)?;
        if resolve(r) == resolve(&args.output) {
            return Err(Error::usage(
                format!("--rejects {} is the output file too", r.display()),
                "give the rejects their own file, e.g. --rejects rejects.csv",
            ));
        }
    }
    let mut timer = crate::timing::Timer::new();
    let mut imported = import_path(&survey, &args.responses, &opts)?;
    timer.mark("import");
    match ext.as_deref() {
        Some("parquet") => imported.table.write_parquet(&args.output)?,
        Some("sav" | "zsav") => export::write_sav(&imported.table, &survey, &args.output)?,
        Some("xlsx") => export::write_xlsx(&imported.table, &survey, &args.output)?,
        _ => imported.table.write_csv(&args.output)?,
    }
    timer.mark("output");
    if let Some(r) = &args.rejects {
        write_atomic(r, &rejects_csv(&imported.problems))?;
    }
    match args.format {
        Format::Json => print_stdout(&to_json(&imported.report))?,
        Format::Text => {
            for w in &imported.report.warnings {
                crate::errln!("warning: {w}");
            }
            print_stdout(&import_text::render_text(&imported.report, &args.output))?;
            if args.rejects.is_none() {
                crate::err!(
                    "{}",
                    problems_text(&imported.report.input, &imported.problems)
                );
            }
        }
    }
    Ok(0)
}
