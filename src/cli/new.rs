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
  satkit new telecom --template acsi --lang zh";

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
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
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
    let title = id.replace(['-', '_'], " ");
    let text = template_text(args.template, args.lang)
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
