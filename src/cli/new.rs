//! `satkit new`: write a starter survey that passes `check`.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::error::{Error, Result};
use crate::model::validate::is_valid_id;
use crate::output::write_atomic;

const EXAMPLES: &str = "\
Examples:
  satkit new shop-2026
  satkit new bank --template servqual --lang en -o bank.toml
  satkit new telecom --from kobo_form.xlsx
  satkit new agency --from agency.sav -o agency.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// Three dimensions with explicit weights, profile questions and an overall item.
    Basic,
    /// SERVQUAL: expectation/perception pairs over the five dimensions.
    Servqual,
    /// ACSI: expectations, quality, value, satisfaction, complaints, loyalty on 1–10 scales.
    Acsi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Survey id (lowercase letters, digits, '-' or '_'); the file is NAME.toml unless -o is given.
    pub name: String,
    #[arg(long, value_enum, default_value_t = Template::Basic)]
    pub template: Template,
    /// The language (default zh; with --from, the form's or the data's).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Draft the survey from a file you have: an XLSForm (.xlsx with survey and choices
    /// sheets), or a data file (CSV, Excel, SPSS) whose columns become questions. `# TODO`
    /// comments mark what to decide (weights, the overall item, roles).
    #[arg(long, value_name = "FILE", conflicts_with = "template")]
    pub from: Option<PathBuf>,
    /// Output path (default NAME.toml). An existing file is never overwritten.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn template_text(template: Template, lang: Lang) -> &'static str {
    match (template, lang) {
        (Template::Basic, Lang::Zh) => include_str!("templates/basic_zh.toml"),
        (Template::Basic, Lang::En) => include_str!("templates/basic_en.toml"),
        (Template::Servqual, Lang::Zh) => include_str!("templates/servqual_zh.toml"),
        (Template::Servqual, Lang::En) => include_str!("templates/servqual_en.toml"),
        (Template::Acsi, Lang::Zh) => include_str!("templates/acsi_zh.toml"),
        (Template::Acsi, Lang::En) => include_str!("templates/acsi_en.toml"),
    }
}

pub fn run(args: Args) -> Result<i32> {
    let id = args.name.to_ascii_lowercase();
    if !is_valid_id(&id.replace('-', "_")) {
        return Err(Error::usage(
            format!("'{}' is not a valid survey id", args.name),
            "use lowercase ASCII letters, digits, '-' or '_', starting with a letter, e.g. shop-2026",
        ));
    }
    let out = args
        .output
        .unwrap_or_else(|| PathBuf::from(format!("{id}.toml")));
    if out.exists() {
        return Err(Error::usage(
            format!(
                "{} already exists; satkit new never overwrites a file",
                out.display()
            ),
            "choose another name or pass -o PATH",
        ));
    }
    if let Some(from) = &args.from {
        crate::output::Inputs::new([from.as_path()]).check_file(&out)?;
        let zh = args.lang.map(|l| l == Lang::Zh);
        let draft = crate::data::draft::from_file(from, &id, zh)?;
        write_atomic(&out, draft.to_toml().as_bytes())?;
        crate::errln!(
            "wrote {} from {}; decide the # TODO items, then: satkit check {}",
            out.display(),
            from.display(),
            out.display()
        );
        return Ok(0);
    }
    let title = id.replace(['-', '_'], " ");
    let text = template_text(args.template, args.lang.unwrap_or(Lang::Zh))
        .replace("__ID__", &id)
        .replace("__TITLE__", &title);
    write_atomic(&out, text.as_bytes())?;
    crate::errln!(
        "wrote {}; next: satkit check {}",
        out.display(),
        out.display()
    );
    Ok(0)
}
