//! `satkit map`: match a data file's headers to the survey's questions and write the `--map`
//! file for `import`.

use std::path::PathBuf;

use super::output::{Format, print_stdout, to_json};
use crate::data::mapping::{self, Proposal};
use crate::data::{import::read_headers, platforms};
use crate::error::{Error, Result};
use crate::model::Survey;
use crate::output::{Inputs, write_atomic};
use crate::pipeline::ImportSettings;

const EXAMPLES: &str = "\
Examples:
  satkit map surveys/b2b-platform/survey.toml agency_export.csv
  satkit map s.toml answers.xlsx --sheet Responses -o map.toml
  satkit map s.toml agency.sav --format json";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The survey file (TOML).
    pub survey: PathBuf,
    /// The data file: CSV/TSV, .xlsx/.xls/.ods or .sav/.zsav.
    pub data: PathBuf,
    /// Write the proposed mapping here (TOML with [columns]), for `import --map`. Refused while
    /// a header is ambiguous.
    #[arg(short, long, value_name = "MAP.toml")]
    pub output: Option<PathBuf>,
    /// Input encoding of a CSV: auto, utf-8, gbk, gb18030, utf-16le, utf-16be.
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// The sheet of a workbook (the first when absent).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The workbook row of the header (found when absent).
    #[arg(long, value_name = "ROW")]
    pub header_row: Option<u64>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(serde::Serialize)]
struct Report<'a> {
    input: String,
    platform: Option<&'static str>,
    #[serde(flatten)]
    proposal: &'a Proposal,
}

pub fn run(args: Args) -> Result<i32> {
    let survey = Survey::load(&args.survey)?;
    let settings = ImportSettings {
        encoding: args.encoding.clone(),
        sheet: args.sheet.clone(),
        header_row: args.header_row,
        ..ImportSettings::default()
    };
    let opts = settings.resolve()?;
    if let Some(o) = &args.output {
        Inputs::new([args.survey.as_path(), args.data.as_path()]).check_file(o)?;
    }
    let (input, headers, second) = read_headers(&args.data, &opts)?;
    let r = &survey.respondents;
    let ignore: Vec<String> = headers
        .iter()
        .filter(|h| {
            platforms::is_metadata(h)
                || [&r.id, &r.weight, &r.duration]
                    .iter()
                    .any(|c| c.as_deref() == Some(h))
                || r.attributes.contains(h)
        })
        .cloned()
        .collect();
    let platform = platforms::detect(&headers);
    // Qualtrics writes the question texts in its second header row.
    let texts = if platform == Some(platforms::Platform::Qualtrics) {
        second
    } else {
        Vec::new()
    };
    let proposal = mapping::propose(&survey, &headers, &texts, &ignore);
    match args.format {
        Format::Json => print_stdout(&to_json(&Report {
            input: input.clone(),
            platform: platform.map(platforms::Platform::name),
            proposal: &proposal,
        }))?,
        Format::Text => print_stdout(&mapping::render_text(&input, platform, &proposal))?,
    }
    if !proposal.ambiguous.is_empty() {
        return Err(Error::bad_data(
            &args.data,
            Some(1),
            Some(&proposal.ambiguous[0].header),
            format!(
                "{} header{} match more than one question; satkit never takes such a match",
                proposal.ambiguous.len(),
                if proposal.ambiguous.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ),
            "write those lines of the map by hand (\"header\" = \"question_id\" under [columns]), or give the questions aliases in the survey",
        ));
    }
    if let Some(o) = &args.output {
        write_atomic(o, proposal.mapping_toml().as_bytes())?;
        crate::errln!("wrote {}", o.display());
    }
    Ok(0)
}
