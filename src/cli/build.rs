//! `satkit build`: render the questionnaire for respondents, for a survey platform, or for data
//! entry.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::error::{Error, Result};
use crate::model::Survey;
use crate::output::{refuse_overwrite, write_atomic};
use crate::report::questionnaire as q;

const EXAMPLES: &str = "\
Examples:
  satkit build surveys/b2b-platform/survey.toml --to html -o questionnaire.html
  satkit build surveys/servqual/survey.toml --to xlsform -o servqual.xlsx
  satkit build surveys/bookstore/survey.toml --to template -o entry.csv
  satkit build surveys/acsi/survey.toml --to codebook --codebook-format json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// The respondent's questionnaire in print order, as Markdown.
    Markdown,
    /// One self-contained HTML page that prints on A4 and works as a form.
    Html,
    /// An .xlsx XLSForm (survey, choices, settings) for KoboToolbox or ODK.
    Xlsform,
    /// A CSV header for data entry, one column per question and respondent attribute.
    Template,
    /// A codebook: id, label, type, codes, missing codes, tree path, role.
    Codebook,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodebookFormat {
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The survey file (TOML).
    pub survey: PathBuf,
    /// What to render.
    #[arg(long, value_enum)]
    pub to: Target,
    /// Output file; `-` or absent writes to stdout (not allowed for xlsform on a terminal).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Format of the codebook.
    #[arg(long, value_enum, default_value_t = CodebookFormat::Csv)]
    pub codebook_format: CodebookFormat,
}

pub fn run(args: Args) -> Result<i32> {
    let survey = Survey::load(&args.survey)?;
    let bytes: Vec<u8> = match args.to {
        Target::Markdown => q::markdown(&survey).into_bytes(),
        Target::Html => q::html(&survey).into_bytes(),
        Target::Xlsform => q::xlsform(&survey)
            .map_err(|e| Error::usage(format!("could not write the XLSForm: {e}"), ""))?,
        Target::Template => q::template_csv(&survey),
        Target::Codebook => match args.codebook_format {
            CodebookFormat::Csv => q::codebook_csv(&survey),
            CodebookFormat::Json => super::output::to_json(&q::codebook(&survey)).into_bytes(),
        },
    };
    let out = args.output.unwrap_or_else(|| PathBuf::from("-"));
    if out.as_os_str() == "-" {
        if args.to == Target::Xlsform && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            return Err(Error::usage(
                "an .xlsx workbook is binary and stdout is a terminal",
                "add -o form.xlsx",
            ));
        }
    } else {
        refuse_overwrite(&out, &[&args.survey])?;
    }
    write_atomic(&out, &bytes)?;
    Ok(0)
}
