//! The analysis options by name, shared by the command line and batch files.
//!
//! `satkit analyze` spells its options as flags, a batch job as keys; both end as the same
//! [`AnalysisOptions`] and [`ImportSettings`], so a job can say everything the command can. The
//! names here are the command line's (`--missing listwise` is `missing = "listwise"`).

use std::path::PathBuf;

use crate::analysis::{FactorRule, MissingPolicy};
use crate::analysis::{Importance, IpaCross};
use crate::data::import::{ImportOptions, InvalidPolicy, read_mapping};
use crate::data::quality::QualityOptions;
use crate::data::read;
use crate::error::{Error, Result};
use crate::stats::fuzzy::Operator;

/// `--missing` / `missing`.
pub const MISSING: &[(&str, MissingPolicy)] = &[
    ("pairwise", MissingPolicy::Pairwise),
    ("listwise", MissingPolicy::Listwise),
];
/// `--importance` / `importance`.
pub const IMPORTANCE: &[(&str, Importance)] = &[
    ("relative-weight", Importance::RelativeWeight),
    ("beta", Importance::Beta),
];
/// `--ipa-cross` / `ipa_cross`.
pub const IPA_CROSS: &[(&str, IpaCross)] =
    &[("mean", IpaCross::Mean), ("midpoint", IpaCross::Midpoint)];
/// `--fuzzy-operator` / `fuzzy_operator`.
pub const FUZZY_OPERATOR: &[(&str, Operator)] = &[
    ("weighted-average", Operator::WeightedAverage),
    ("max-min", Operator::MaxMin),
];
/// `--csat` / `csat`: the number of top scale points that count as satisfied.
pub const CSAT: &[(&str, u8)] = &[("top1box", 1), ("top2box", 2), ("top3box", 3)];
/// `--on-invalid` / `on_invalid`.
pub const ON_INVALID: &[(&str, InvalidPolicy)] = &[
    ("missing", InvalidPolicy::Missing),
    ("drop-row", InvalidPolicy::DropRow),
    ("fail", InvalidPolicy::Fail),
];

/// The value named `name` in `table`, or the list of names to choose from.
///
/// # Errors
/// The names of the table, comma-separated, when `name` is not one of them.
pub fn by_name<T: Copy>(table: &[(&str, T)], name: &str) -> std::result::Result<T, String> {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            names.join(", ")
        })
}

/// `--factors`: `dimensions`, `kaiser` or a positive number.
///
/// # Errors
/// Anything else, with the command line's wording.
pub fn parse_factors(text: &str) -> Result<FactorRule> {
    match text {
        "dimensions" => Ok(FactorRule::Dimensions),
        "kaiser" => Ok(FactorRule::Kaiser),
        n => match n.parse::<usize>() {
            Ok(k) if k >= 1 => Ok(FactorRule::Fixed(k)),
            _ => Err(Error::usage(
                format!("--factors '{n}' is not 'dimensions', 'kaiser' or a positive number"),
                "e.g. --factors kaiser",
            )),
        },
    }
}

/// Whether `name` is an encoding the import reads (case-insensitive).
///
/// # Errors
/// The list of encodings to choose from.
pub fn check_encoding(name: &str) -> std::result::Result<(), String> {
    let lower = name.to_ascii_lowercase();
    if read::ENCODINGS.contains(&lower.as_str())
        || ["gb2312", "cp936", "utf8"].contains(&lower.as_str())
    {
        Ok(())
    } else {
        Err(format!("not one of {}", read::ENCODINGS.join(", ")))
    }
}

/// How CSV responses are read, as given (`satkit import` flags or batch keys); checked and
/// resolved into [`ImportOptions`] by [`ImportSettings::resolve`] when the file is read.
#[derive(Debug, Clone)]
pub struct ImportSettings {
    /// `auto` or one of [`read::ENCODINGS`] (also gb2312, cp936, utf8).
    pub encoding: String,
    /// `,`, `;`, `tab`, ...; detected from the header when `None`.
    pub delimiter: Option<String>,
    /// A mapping TOML with `[columns]` renames.
    pub map: Option<PathBuf>,
    pub id: Option<String>,
    pub weight: Option<String>,
    pub duration: Option<String>,
    pub attrs: Vec<String>,
    pub on_invalid: InvalidPolicy,
    pub drop_flagged: bool,
    /// Speeding threshold in seconds; default a third of the median duration.
    pub min_duration: Option<f64>,
    /// Low-completion threshold, a share in [0, 1].
    pub min_completion: f64,
    /// Straight-lining: the longest run's least share of the answered grid, in (0, 1].
    pub longstring_share: f64,
    /// Straight-lining: the largest SD of scale positions (0–1), in [0, 0.5].
    pub irv_max: f64,
    /// A progress line on stderr for large inputs when stderr is a terminal.
    pub progress: bool,
    /// The sheet of a workbook (the first when `None`).
    pub sheet: Option<String>,
    /// The workbook row of the header, 1-based (found when `None`).
    pub header_row: Option<u64>,
    /// The platform of the export: `auto` (detected), `plain` or a platform name.
    pub from: String,
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings {
            encoding: "auto".into(),
            delimiter: None,
            map: None,
            id: None,
            weight: None,
            duration: None,
            attrs: Vec::new(),
            on_invalid: InvalidPolicy::Missing,
            drop_flagged: false,
            min_duration: None,
            min_completion: 0.5,
            longstring_share: QualityOptions::default().longstring_share,
            irv_max: QualityOptions::default().irv_max,
            progress: false,
            sheet: None,
            header_row: None,
            from: "auto".into(),
        }
    }
}

impl ImportSettings {
    /// Check the settings and read the mapping file.
    ///
    /// # Errors
    /// An unknown encoding or delimiter, a negative or non-finite minimum duration, a completion
    /// share outside [0, 1], an unreadable or invalid mapping file.
    pub fn resolve(&self) -> Result<ImportOptions> {
        if check_encoding(&self.encoding).is_err() {
            return Err(Error::usage(
                format!("unknown encoding '{}'", self.encoding),
                format!("use one of: {}", read::ENCODINGS.join(", ")),
            ));
        }
        if let Some(d) = self.min_duration
            && !(d >= 0.0 && d.is_finite())
        {
            return Err(Error::usage(
                format!("--min-duration {d} is not a number of seconds ≥ 0"),
                "give the shortest plausible completion time in seconds, e.g. --min-duration 60, or leave it out for a third of the median",
            ));
        }
        if !(0.0..=1.0).contains(&self.min_completion) {
            return Err(Error::usage(
                format!(
                    "--min-completion {} is not a share in [0, 1]",
                    self.min_completion
                ),
                "e.g. --min-completion 0.5",
            ));
        }
        if !(self.longstring_share > 0.0 && self.longstring_share <= 1.0) {
            return Err(Error::usage(
                format!(
                    "--longstring-share {} is not a share in (0, 1]",
                    self.longstring_share
                ),
                "e.g. --longstring-share 0.5 (the longest run of identical answers covers half the answered grid)",
            ));
        }
        let from = crate::data::platforms::From::parse(&self.from).map_err(|valid| {
            Error::usage(
                format!("--from '{}' is not a platform satkit knows", self.from),
                valid,
            )
        })?;
        if self.header_row == Some(0) {
            return Err(Error::usage(
                "--header-row 0: rows are numbered from 1",
                "give the sheet row that holds the column names, e.g. --header-row 2",
            ));
        }
        if !(0.0..=5.0).contains(&self.irv_max) {
            return Err(Error::usage(
                format!(
                    "--irv-max {} is not an SD in scale steps in [0, 5]",
                    self.irv_max
                ),
                "e.g. --irv-max 0.35",
            ));
        }
        Ok(ImportOptions {
            encoding: self.encoding.clone(),
            delimiter: self
                .delimiter
                .as_deref()
                .map(read::parse_delimiter)
                .transpose()?,
            map: match &self.map {
                Some(p) => read_mapping(p)?,
                None => Vec::new(),
            },
            id: self.id.clone(),
            weight: self.weight.clone(),
            duration: self.duration.clone(),
            attrs: self.attrs.clone(),
            on_invalid: self.on_invalid,
            drop_flagged: self.drop_flagged,
            quality: QualityOptions {
                min_duration: self.min_duration,
                min_completion: self.min_completion,
                longstring_share: self.longstring_share,
                irv_max: self.irv_max,
                ..Default::default()
            },
            progress: self.progress,
            sheet: crate::data::sources::SheetOptions {
                sheet: self.sheet.clone(),
                header_row: self.header_row,
            },
            from,
        })
    }
}
