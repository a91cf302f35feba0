//! The import pipeline: decode, match columns to questions, code and validate every cell, flag
//! respondents, and account for every row (`rows_read = rows_written + rows_dropped`).
//!
//! Records are read with the `csv` crate, which reports the line where each record starts (quoted
//! cells may span lines) and lets ragged rows through to be reported rather than aborting. Values
//! go straight into typed column buffers, which become the polars table in [`super::table`].

use crate::output::{neutralise_formula, unguard_formula};
use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::coding::{Coded, Coder, Rule, choices_to_string, is_missing_token, split_cell_selected};
use super::quality::{self, QualityOptions};
use super::read;
use super::table::{ColumnData, MISSING_INT, ResponseTable, TextColumn};
use crate::error::{Error, Result};
use crate::model::{Question, QuestionKind, Survey};

/// The largest survey weight accepted (a weight must be finite, > 0 and at most this): larger
/// weights are data errors, and they would overflow Σw² in the effective sample size.
pub const MAX_WEIGHT: f64 = 1e6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InvalidPolicy {
    /// The invalid cell becomes missing (the row is kept).
    #[default]
    Missing,
    /// A row with any invalid cell is dropped (and reported).
    DropRow,
    /// Stop at the first problem with exit 2.
    Fail,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `auto` or one of [`read::ENCODINGS`].
    pub encoding: String,
    pub delimiter: Option<u8>,
    /// Column renames (file header -> question id or respondent column).
    pub map: Vec<(String, String)>,
    pub id: Option<String>,
    pub weight: Option<String>,
    pub duration: Option<String>,
    pub attrs: Vec<String>,
    pub on_invalid: InvalidPolicy,
    pub drop_flagged: bool,
    pub quality: QualityOptions,
    /// Show a progress line on stderr (only when it is a terminal and the input is large).
    pub progress: bool,
    /// Which sheet of a workbook, and where its header is.
    pub sheet: super::sources::SheetOptions,
    /// The platform whose export this is (detected by default).
    pub from: super::platforms::From,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            encoding: "auto".into(),
            delimiter: None,
            map: Vec::new(),
            id: None,
            weight: None,
            duration: None,
            attrs: Vec::new(),
            on_invalid: InvalidPolicy::Missing,
            drop_flagged: false,
            quality: QualityOptions::default(),
            progress: false,
            sheet: super::sources::SheetOptions::default(),
            from: super::platforms::From::Auto,
        }
    }
}

/// One rejected value: where it is, what was wrong, and how to fix it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// 1-based line of the file where the record starts.
    pub line: u64,
    pub respondent: String,
    pub column: String,
    pub value: String,
    pub rule: Rule,
    pub message: String,
    pub fix: String,
}

/// How a column of the file was matched.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnMatch {
    pub column: String,
    /// `id`, `label`, `map`, `split` (one option of a multiple-choice question), `respondent`.
    pub how: &'static str,
    pub target: String,
}

/// The import summary (`--format json`, schema documented in docs/results-schema.md).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub schema_version: &'static str,
    pub survey_id: String,
    pub survey_version: String,
    pub input: String,
    /// What the file is: csv, xlsx, xls, ods or sav.
    pub format: &'static str,
    pub encoding: &'static str,
    pub delimiter: String,
    pub on_invalid: InvalidPolicy,
    /// The survey platform whose export this is (`null` for a plain table).
    pub platform: Option<&'static str>,
    /// Whether the platform was detected (`--from auto`) rather than named.
    pub platform_detected: bool,
    /// Header rows in the file (Qualtrics writes 3, SurveyMonkey 2).
    pub header_rows: u64,
    /// Answer rows in the file: `rows_read = rows_written + rows_excluded + rows_dropped`.
    pub rows_read: u64,
    pub rows_written: u64,
    /// Rows that are not answers (previews, tests, spam, unfinished, rejected).
    pub rows_excluded: u64,
    pub excluded_by_reason: BTreeMap<String, u64>,
    /// Source lines of the excluded rows.
    pub excluded_lines: Vec<u64>,
    pub rows_dropped: u64,
    /// Dropped rows by reason: ragged_row, invalid (with --on-invalid drop-row), flagged.
    pub dropped_by_reason: BTreeMap<String, u64>,
    /// Cells that held an invalid value and became missing.
    pub cells_set_missing: u64,
    /// Cells that held the survey's "not applicable" code or label.
    pub cells_not_applicable: u64,
    pub problems: u64,
    pub problems_by_rule: BTreeMap<String, u64>,
    pub flags: quality::FlagCounts,
    pub columns: Vec<ColumnMatch>,
    /// Columns that match nothing in the survey; kept as respondent attributes.
    pub unknown_columns: Vec<String>,
    /// Source lines of the respondents removed by --drop-flagged.
    pub flagged_dropped_lines: Vec<u64>,
    /// What reading the file did that is worth knowing: a header below row 1, spreadsheet
    /// errors read as empty, SPSS user-missing codes set missing.
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

pub struct Imported {
    pub table: ResponseTable,
    pub report: ImportReport,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone)]
enum Target {
    Question(usize),
    Split { question: usize, code: i32 },
    Id,
    Weight,
    Duration,
    Attribute(String),
}

/// Import responses from a file (or `-` for stdin).
///
/// # Errors
/// Unreadable input, a bad encoding, an empty or header-only file, duplicate headers, missing
/// survey columns, or any problem under `--on-invalid fail`.
pub fn import_path(survey: &Survey, path: &Path, opts: &ImportOptions) -> Result<Imported> {
    let mut timer = crate::timing::Timer::new();
    let bytes = read::read_input(path)?;
    timer.mark("read");
    let name = display_name(path);
    match super::sources::convert(&name, path, &bytes, &opts.sheet)? {
        Some(tabular) => {
            drop(bytes);
            timer.mark("convert");
            import_tabular(survey, tabular, opts)
        }
        None => import_bytes(survey, path, &bytes, opts),
    }
}

/// The header row of a responses file in any format read (the sheet's header row for a
/// workbook, the variable names of an SPSS file) and the row below it, with the input's name
/// for messages.
///
/// # Errors
/// As [`import_path`] for reading, decoding and the header.
pub fn read_headers(
    path: &Path,
    opts: &ImportOptions,
) -> Result<(String, Vec<String>, Vec<String>)> {
    let bytes = read::read_input(path)?;
    let name = display_name(path);
    let (label, text, delimiter) = match super::sources::convert(&name, path, &bytes, &opts.sheet)?
    {
        Some(t) => (t.name, std::borrow::Cow::Owned(t.text), b','),
        None => {
            let (input, _) = decode_input(&name, path, &bytes, opts)?;
            (name.display().to_string(), input.text, input.delimiter)
        }
    };
    let (headers, body) = read_header(Path::new(&label), &text, delimiter, 1)?;
    let second = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text[body..].as_bytes())
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    Ok((label, headers, second))
}

/// The input's name, its header, its columns of trimmed cells and an SPSS file's dictionary.
pub type Columns = (
    String,
    Vec<String>,
    Vec<Vec<String>>,
    Option<super::sources::spss::SavInfo>,
);

/// A responses file as its header and columns of trimmed cells (and an SPSS file's
/// dictionary), for drafting a survey from it.
///
/// # Errors
/// As [`import_path`] for reading, decoding and the header.
pub fn read_columns(path: &Path, opts: &ImportOptions) -> Result<Columns> {
    let bytes = read::read_input(path)?;
    let name = display_name(path);
    let head = &bytes[..bytes.len().min(16)];
    let (label, text, delimiter, info) = match super::sources::detect(&name, path, head)? {
        super::sources::Format::Sav => {
            let (t, info) = super::sources::spss::read_with_info(&name, &bytes)?;
            (t.name, std::borrow::Cow::Owned(t.text), b',', Some(info))
        }
        super::sources::Format::Delimited => {
            let (input, _) = decode_input(&name, path, &bytes, opts)?;
            (
                name.display().to_string(),
                input.text,
                input.delimiter,
                None,
            )
        }
        _ => {
            let t = super::sources::convert(&name, path, &bytes, &opts.sheet)?
                .ok_or_else(|| Error::usage("not a workbook", ""))?;
            (t.name, std::borrow::Cow::Owned(t.text), b',', None)
        }
    };
    let (headers, body) = read_header(Path::new(&label), &text, delimiter, 1)?;
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text[body..].as_bytes());
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(Path::new(&label), None, e))?;
        for (i, col) in columns.iter_mut().enumerate() {
            col.push(rec.get(i).map_or(String::new(), |c| c.trim().to_string()));
        }
    }
    Ok((label, headers, columns, info))
}

fn display_name(path: &Path) -> PathBuf {
    if path == Path::new("-") {
        PathBuf::from("<stdin>")
    } else {
        path.to_path_buf()
    }
}

/// Import responses already converted to delimited text (from a workbook or SPSS file): lines
/// in messages, problems and the table are the source's rows or cases.
///
/// # Errors
/// As [`import_path`], less the read and conversion.
pub fn import_tabular(
    survey: &Survey,
    tabular: super::sources::Tabular,
    opts: &ImportOptions,
) -> Result<Imported> {
    let name = PathBuf::from(&tabular.name);
    let text = std::borrow::Cow::Owned(tabular.text);
    let (headers, body_start) = read_header(&name, &text, b',', tabular.header_line.max(1))?;
    let input = DecodedInput {
        name: &name,
        text,
        encoding: tabular.encoding,
        delimiter: b',',
        headers,
        body_start,
        format: tabular.format.name(),
        header_line: tabular.header_line.max(1),
        line_map: Some(tabular.lines),
        notes: tabular.notes,
        preset: PresetOutcome::default(),
        file_delimiter: b',',
        export_headers: None,
    };
    import_decoded(survey, input, opts, crate::timing::Timer::new())
}

fn split_header(h: &str) -> Option<(&str, &str)> {
    // q_buy_2, q_buy/2 (Kobo), q_buy[2] (LimeSurvey), q_buy.2, "q_buy - option label"
    if let Some(rest) = h.strip_suffix(']') {
        return rest.split_once('[');
    }
    for sep in ['/', '.', ':'] {
        if let Some(p) = h.rfind(sep) {
            return Some((&h[..p], &h[p + 1..]));
        }
    }
    if let Some(p) = h.rfind('_') {
        return Some((&h[..p], &h[p + 1..]));
    }
    None
}

/// Import responses from bytes already read: decode and read the header, match columns to
/// questions, read and code the records, flag respondents, assemble the table, and report.
///
/// # Errors
/// As [`import_path`], less the read.
pub fn import_bytes(
    survey: &Survey,
    path: &Path,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Imported> {
    let name = display_name(path);
    let (input, timer) = decode_input(&name, path, bytes, opts)?;
    import_decoded(survey, input, opts, timer)
}

/// What a platform preset did, for the report.
struct PresetOutcome {
    platform: Option<&'static str>,
    detected: bool,
    header_rows: u64,
    excluded: BTreeMap<String, u64>,
    excluded_lines: Vec<u64>,
}

impl Default for PresetOutcome {
    fn default() -> Self {
        PresetOutcome {
            platform: None,
            detected: false,
            header_rows: 1,
            excluded: BTreeMap::new(),
            excluded_lines: Vec::new(),
        }
    }
}

/// Rewrite a platform export (detected or named by `--from`) into one header row and its
/// answer rows; the platform's id, duration and attribute columns fill the options the user
/// did not set.
fn apply_preset<'b>(
    survey: &Survey,
    input: DecodedInput<'b>,
    opts: &ImportOptions,
) -> Result<(DecodedInput<'b>, ImportOptions)> {
    let export = super::platforms::Export {
        header: &input.headers,
        text: &input.text,
        delimiter: input.delimiter,
        line_map: input.line_map.as_deref(),
    };
    let prepared = super::platforms::prepare(survey, input.name, export, opts.from, &opts.map)?;
    let Some(p) = prepared else {
        return Ok((input, opts.clone()));
    };
    let (headers, body_start) = read_header(input.name, &p.text, b',', p.header_line)?;
    let mut notes = input.notes;
    notes.extend(p.notes);
    let mut o = opts.clone();
    // The survey's own respondent columns win when the export has them.
    let r = &survey.respondents;
    let in_file = |c: &Option<String>| c.clone().filter(|c| headers.contains(c));
    o.id = o.id.or(in_file(&r.id)).or(p.id);
    o.duration = o.duration.or(in_file(&r.duration)).or(p.duration);
    for a in p.attributes {
        if !o.attrs.contains(&a) {
            o.attrs.push(a);
        }
    }
    let preset = PresetOutcome {
        platform: Some(p.platform.name()),
        detected: p.detected,
        header_rows: p.header_rows,
        excluded: p.excluded,
        excluded_lines: p.excluded_lines,
    };
    let input = DecodedInput {
        name: input.name,
        text: std::borrow::Cow::Owned(p.text),
        encoding: input.encoding,
        delimiter: b',',
        headers,
        body_start,
        format: input.format,
        header_line: p.header_line,
        line_map: Some(p.lines),
        notes,
        preset,
        file_delimiter: input.file_delimiter,
        export_headers: Some(p.export_headers),
    };
    Ok((input, o))
}

/// The import once the text and its header are known.
fn import_decoded(
    survey: &Survey,
    input: DecodedInput<'_>,
    opts: &ImportOptions,
    mut timer: crate::timing::Timer,
) -> Result<Imported> {
    let (input, opts) = apply_preset(survey, input, opts)?;
    let opts = &opts;
    timer.mark("preset");
    let name = input.name.to_path_buf();
    let questions: Vec<&Question> = survey.all_questions().collect();
    let mut plan = match_columns(
        survey,
        &questions,
        &input.headers,
        opts,
        &name,
        input.header_line,
    )?;
    // A preset's renames: the summary names the export's column and says the preset matched it.
    if let Some(orig) = &input.export_headers {
        for m in &mut plan.columns {
            if let Some(i) = input.headers.iter().position(|h| *h == m.column)
                && let Some(o) = orig.get(i)
                && *o != m.column
            {
                m.column = o.clone();
                m.how = "preset";
            }
        }
    }
    let coding = CodingPlan::new(survey, &questions, &plan.targets);
    let show_progress =
        opts.progress && input.text.len() > 20_000_000 && std::io::stderr().is_terminal();
    let ctx = ChunkContext {
        name: &name,
        text: input.text.as_bytes(),
        delimiter: input.delimiter,
        ncols: input.headers.len(),
        headers: &input.headers,
        targets: &plan.targets,
        questions: &questions,
        coders: &coding.coders,
        fast_int: &coding.fast_int,
        attr_index: &coding.attr_index,
        n_attrs: coding.attr_names.len(),
        on_invalid: opts.on_invalid,
        line_map: input.line_map.as_deref(),
    };
    let records = read_records(&ctx, input.body_start, show_progress, &mut timer)?;
    if show_progress {
        crate::errln!(
            "\rimporting {}: 100% ({} rows)        ",
            name.display(),
            records.rows_read
        );
    }
    if records.rows_read == 0 && input.preset.excluded_lines.is_empty() {
        return Err(Error::bad_data(
            &name,
            Some(input.header_line),
            None,
            "has a header but no responses",
            "add response rows below the header, or check that the right file was given",
        ));
    }
    timer.mark("parse");
    let (flag_counts, flags) = flag_respondents(survey, &questions, &plan, &records, opts)?;
    timer.mark("quality");
    let (mut table, mut account) =
        assemble_table(survey, &questions, &plan, &coding.attr_names, records)?;
    flags.add_to(&mut table)?;
    timer.mark("table");
    if opts.drop_flagged {
        account.flagged_dropped_lines = table.drop_flagged()?;
    }
    let rows_written = table.height() as u64;
    let (report, problems) = build_report(
        survey,
        opts,
        &input,
        plan,
        account,
        flag_counts,
        rows_written,
    );
    Ok(Imported {
        table,
        report,
        problems,
    })
}

/// The decoded text and what its first record says.
struct DecodedInput<'b> {
    /// The input's name in messages (`<stdin>` for `-`).
    name: &'b Path,
    text: std::borrow::Cow<'b, str>,
    encoding: &'static str,
    delimiter: u8,
    /// Trimmed header names, without a byte-order mark.
    headers: Vec<String>,
    /// Where the records after the header start.
    body_start: usize,
    /// csv, xlsx, xls, ods or sav.
    format: &'static str,
    /// The source line of the header.
    header_line: u64,
    /// The source line of each line of `text` (index 0 is line 1), for converted input.
    line_map: Option<Vec<u64>>,
    /// What the conversion noted.
    notes: Vec<String>,
    /// What a platform preset did.
    preset: PresetOutcome,
    /// The delimiter of the file as given (a preset rewrites the text with commas).
    file_delimiter: u8,
    /// The export's own header of each column, when a preset renamed them.
    export_headers: Option<Vec<String>>,
}

/// Refuse empty input, decode it, pick the delimiter and read the header (whose names must be
/// unique). The timer starts once the input is known not to be empty.
fn decode_input<'b>(
    name: &'b Path,
    path: &Path,
    bytes: &'b [u8],
    opts: &ImportOptions,
) -> Result<(DecodedInput<'b>, crate::timing::Timer)> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::bad_data(
            name,
            None,
            None,
            "is empty; expected a header row and responses",
            "export the responses again, with a header row of question ids",
        ));
    }
    let mut timer = crate::timing::Timer::new();
    let (text, encoding) = read::decode(name, bytes, &opts.encoding)?;
    timer.mark("decode");
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        // Only a byte-order mark: what Excel saves for an empty sheet.
        return Err(Error::bad_data(
            name,
            None,
            None,
            "is empty (it holds only a byte-order mark); expected a header row and responses",
            "export the responses again, with a header row of question ids",
        ));
    }
    let delimiter = opts
        .delimiter
        .unwrap_or_else(|| read::detect_delimiter(&text, path));
    let (headers, body_start) = read_header(name, &text, delimiter, 1)?;
    let input = DecodedInput {
        name,
        text,
        encoding,
        delimiter,
        headers,
        body_start,
        format: "csv",
        header_line: 1,
        line_map: None,
        notes: Vec::new(),
        preset: PresetOutcome::default(),
        file_delimiter: delimiter,
        export_headers: None,
    };
    Ok((input, timer))
}

/// The trimmed header names (unique) and where the records after them start.
fn read_header(
    name: &Path,
    text: &str,
    delimiter: u8,
    header_line: u64,
) -> Result<(Vec<String>, usize)> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(name, Some(header_line), e))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    check_duplicate_headers(name, &headers, header_line)?;
    let body_start = (rdr.position().byte() as usize).min(text.len());
    Ok((headers, body_start))
}

fn check_duplicate_headers(name: &Path, headers: &[String], header_line: u64) -> Result<()> {
    let mut first_at: HashMap<&str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(j) = first_at.insert(h.as_str(), i) {
            return Err(Error::bad_data(
                name,
                Some(header_line),
                Some(h),
                format!(
                    "the header has column '{h}' twice (columns {} and {})",
                    j + 1,
                    i + 1
                ),
                "rename or remove one of the two columns; satkit cannot tell which holds the answers",
            ));
        }
    }
    Ok(())
}

/// What each column of the file holds, and how it was matched.
struct ColumnPlan {
    /// One per column; an unmatched column becomes an attribute.
    targets: Vec<Option<Target>>,
    columns: Vec<ColumnMatch>,
    unknown: Vec<String>,
    warnings: Vec<String>,
    /// The respondent columns' names (options first, then the survey's `[respondents]`).
    id_col: Option<String>,
    weight_col: Option<String>,
    duration_col: Option<String>,
}

/// Match every header to a question, an option of a multiple-choice question or a respondent
/// column; then require one column per question and every survey column.
fn match_columns(
    survey: &Survey,
    questions: &[&Question],
    headers: &[String],
    opts: &ImportOptions,
    name: &Path,
    header_line: u64,
) -> Result<ColumnPlan> {
    let mapping: HashMap<&str, &str> = opts
        .map
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = &survey.respondents;
    let mut attr_cols: Vec<String> = r.attributes.clone();
    attr_cols.extend(opts.attrs.iter().cloned());
    let mut plan = ColumnPlan {
        targets: vec![None; headers.len()],
        columns: Vec::new(),
        unknown: Vec::new(),
        warnings: Vec::new(),
        id_col: opts.id.clone().or_else(|| r.id.clone()),
        weight_col: opts.weight.clone().or_else(|| r.weight.clone()),
        duration_col: opts.duration.clone().or_else(|| r.duration.clone()),
    };
    let mut recomputed: Vec<&str> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        // satkit's own columns in a table it wrote: the flags are computed again, the source
        // line is kept as an attribute.
        if is_flag_column(h) && !mapping.contains_key(h.as_str()) {
            recomputed.push(h);
            plan.targets[i] = None;
            continue;
        }
        if (h == super::table::LINE_COLUMN || h == "source_line")
            && !mapping.contains_key(h.as_str())
        {
            plan.columns.push(ColumnMatch {
                column: h.clone(),
                how: "respondent",
                target: "attribute source_line".into(),
            });
            plan.targets[i] = Some(Target::Attribute("source_line".into()));
            continue;
        }
        let (key, how) = match mapping.get(h.as_str()) {
            Some(m) => (*m, "map"),
            None => (h.as_str(), "id"),
        };
        match resolve_target(key, how, questions, &plan, &attr_cols) {
            Some((t, how)) => {
                plan.columns.push(ColumnMatch {
                    column: h.clone(),
                    how,
                    target: target_name(&t, questions),
                });
                plan.targets[i] = Some(t);
            }
            None => {
                if !h.is_empty() {
                    plan.unknown.push(h.clone());
                    plan.warnings.push(format!("column '{h}' matches no question or respondent column; kept as an attribute (name it with --attr or in [respondents] to silence this)"));
                }
                plan.targets[i] = Some(Target::Attribute(if h.is_empty() {
                    format!("column_{}", i + 1)
                } else {
                    h.clone()
                }));
            }
        }
    }
    if !recomputed.is_empty() {
        plan.warnings.push(format!(
            "the file holds the quality flags of an earlier import ({}); they are computed again",
            recomputed.join(", ")
        ));
    }
    check_question_columns(name, headers, &plan.targets, questions, header_line)?;
    for want in [
        (&plan.weight_col, "weight"),
        (&plan.duration_col, "duration"),
        (&plan.id_col, "respondent id"),
    ] {
        if let (Some(c), what) = want
            && !headers
                .iter()
                .any(|h| h == c || mapping.get(h.as_str()) == Some(&c.as_str()))
        {
            plan.warnings.push(format!(
                "the {what} column '{c}' named by the survey or options is not in the file"
            ));
        }
    }
    Ok(plan)
}

/// A quality-flag column that `satkit import` writes.
fn is_flag_column(h: &str) -> bool {
    use super::quality::{
        FLAG_DUPLICATE_ID, FLAG_LOW_COMPLETION, FLAG_SPEEDING, FLAG_STRAIGHTLINE,
    };
    [
        FLAG_STRAIGHTLINE,
        FLAG_SPEEDING,
        FLAG_DUPLICATE_ID,
        FLAG_LOW_COMPLETION,
        super::table::FLAGGED,
    ]
    .contains(&h)
}

/// What a header (after `--map`) names: a question by id (`how`) or label, a respondent column,
/// or one option of a multiple-choice question (`q_buy_2`, `q_buy/Label`).
fn resolve_target(
    key: &str,
    how: &'static str,
    questions: &[&Question],
    plan: &ColumnPlan,
    attr_cols: &[String],
) -> Option<(Target, &'static str)> {
    if let Some(qi) = questions.iter().position(|q| q.id == key) {
        Some((Target::Question(qi), how))
    } else if let Some(qi) = questions
        .iter()
        .position(|q| q.text == key || q.aliases.iter().any(|a| a == key))
    {
        Some((Target::Question(qi), "label"))
    } else if let Some((qi, super::headers::How::Text)) =
        super::headers::find_question(questions, key)
    {
        // The text or an alias with other punctuation, width or case (`您的性别?`).
        Some((Target::Question(qi), "label"))
    } else if Some(key) == plan.id_col.as_deref() {
        Some((Target::Id, "respondent"))
    } else if Some(key) == plan.weight_col.as_deref() {
        Some((Target::Weight, "respondent"))
    } else if Some(key) == plan.duration_col.as_deref() {
        Some((Target::Duration, "respondent"))
    } else if attr_cols.iter().any(|a| a == key) {
        Some((Target::Attribute(key.to_string()), "respondent"))
    } else if let Some((base, opt)) = split_header(key) {
        questions
            .iter()
            .position(|q| q.kind == QuestionKind::Multiple && q.id == base)
            .and_then(|qi| {
                let q = questions[qi];
                let code = opt
                    .parse::<i32>()
                    .ok()
                    .filter(|c| *c >= 1 && (*c as usize) <= q.choices.len())
                    .or_else(|| {
                        q.choices
                            .iter()
                            .position(|c| c == opt)
                            .map(|p| p as i32 + 1)
                    })?;
                Some((Target::Split { question: qi, code }, "split"))
            })
    } else {
        None
    }
}

/// A target as the import summary names it.
fn target_name(t: &Target, questions: &[&Question]) -> String {
    match t {
        Target::Question(qi) => questions[*qi].id.clone(),
        Target::Split { question, code } => {
            format!("{}={code}", questions[*question].id)
        }
        Target::Id => "respondent id".into(),
        Target::Weight => "weight".into(),
        Target::Duration => "duration".into(),
        Target::Attribute(a) => format!("attribute {a}"),
    }
}

/// Every question has exactly one column (or its option columns).
fn check_question_columns(
    name: &Path,
    headers: &[String],
    targets: &[Option<Target>],
    questions: &[&Question],
    header_line: u64,
) -> Result<()> {
    // Two columns for the same question.
    let mut seen_q: HashMap<usize, &str> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        if let Some(Target::Question(qi)) = t
            && let Some(other) = seen_q.insert(*qi, headers[i].as_str())
        {
            return Err(Error::bad_data(
                name,
                Some(header_line),
                Some(&headers[i]),
                format!(
                    "columns '{other}' and '{}' both match question '{}'",
                    headers[i], questions[*qi].id
                ),
                "remove one of them, or rename one with --map",
            ));
        }
    }
    // Missing survey columns.
    let present = |qi: usize| {
        targets.iter().any(|t| matches!(t, Some(Target::Question(q)) | Some(Target::Split { question: q, .. }) if *q == qi))
    };
    let missing: Vec<&str> = (0..questions.len())
        .filter(|&qi| !present(qi))
        .map(|qi| questions[qi].id.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Error::bad_data(
            name,
            Some(header_line),
            None,
            format!(
                "the header lacks {} survey column{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
            "add the columns (an empty column is fine), rename headers with --map mapping.toml, or use `satkit build --to template` for the expected header",
        ));
    }
    Ok(())
}

/// How the cells are coded: one coder per question, the integer fast path's range, and the
/// attribute buffers.
struct CodingPlan<'a> {
    coders: Vec<Coder<'a>>,
    /// Range and N/A code of every categorical question, for the integer fast path.
    fast_int: Vec<Option<(i32, i32, Option<i32>)>>,
    /// Attribute columns in file order, each once.
    attr_names: Vec<String>,
    /// For each column, its attribute buffer.
    attr_index: Vec<Option<usize>>,
}

impl<'a> CodingPlan<'a> {
    fn new(survey: &'a Survey, questions: &[&'a Question], targets: &[Option<Target>]) -> Self {
        let coders: Vec<Coder> = questions
            .iter()
            .map(|q| Coder::new(q, survey.question_scale(q)))
            .collect();
        let fast_int = questions
            .iter()
            .zip(&coders)
            .map(|(q, c)| match q.kind {
                QuestionKind::Single => Some((1, q.choices.len() as i32, None)),
                QuestionKind::Rating | QuestionKind::Nps => {
                    let (lo, hi) = c.scale.map_or((0, 10), |s| (s.min as i32, s.max as i32));
                    Some((lo, hi, c.scale.and_then(|s| s.na_code).map(|x| x as i32)))
                }
                _ => None,
            })
            .collect();
        let mut attr_names: Vec<String> = Vec::new();
        for t in targets.iter().flatten() {
            if let Target::Attribute(a) = t
                && !attr_names.contains(a)
            {
                attr_names.push(a.clone());
            }
        }
        let attr_index = targets
            .iter()
            .map(|t| match t {
                Some(Target::Attribute(a)) => attr_names.iter().position(|x| x == a),
                _ => None,
            })
            .collect();
        CodingPlan {
            coders,
            fast_int,
            attr_names,
            attr_index,
        }
    }
}

/// The records after the header, cut into chunks at line ends outside quotes and parsed in
/// parallel. Chunks are merged in file order, so the result does not depend on the number of
/// threads.
fn read_records(
    ctx: &ChunkContext<'_>,
    body_start: usize,
    show_progress: bool,
    timer: &mut crate::timing::Timer,
) -> Result<ChunkOut> {
    let text = ctx.text;
    // SATKIT_PARSE_THREADS pins the thread count (tests compare 1 thread with several).
    let parts = match std::env::var("SATKIT_PARSE_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        Some(n) => n.clamp(1, MAX_PARSE_THREADS),
        None if text.len() - body_start > PARALLEL_MIN_BYTES => {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_PARSE_THREADS))
        }
        None => 1,
    };
    let bounds = chunk_bounds(text, body_start, ctx.delimiter, parts);
    timer.note(&format!("parse_chunks {}", bounds.len()));
    // Room for every record up front: growing a million-row column by doubling costs copies
    // and page faults.
    let lines_in = |(a, b): (usize, usize)| memchr::memchr_iter(b'\n', &text[a..b]).count() + 1;
    let total_lines: usize = bounds.iter().map(|&b| lines_in(b)).sum();
    let results: Vec<Result<ChunkOut>> = if bounds.len() == 1 {
        vec![parse_chunk(ctx, bounds[0], total_lines, show_progress)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = bounds
                .iter()
                .enumerate()
                .map(|(k, &b)| {
                    let capacity = if k == 0 { total_lines } else { lines_in(b) };
                    scope.spawn(move || parse_chunk(ctx, b, capacity, show_progress && k == 0))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let mut out: Option<ChunkOut> = None;
    for r in results {
        let part = r?;
        match &mut out {
            None => out = Some(part),
            Some(o) => o.append(part),
        }
    }
    Ok(out.unwrap_or_else(|| ChunkOut::new(ctx.questions, ctx.n_attrs, 0)))
}

/// Quality flags, computed from the coded buffers before they become the table.
fn flag_respondents(
    survey: &Survey,
    questions: &[&Question],
    plan: &ColumnPlan,
    records: &ChunkOut,
    opts: &ImportOptions,
) -> Result<(quality::FlagCounts, quality::Flags)> {
    let has_id = plan.targets.iter().any(|t| matches!(t, Some(Target::Id)));
    let has_duration = plan
        .targets
        .iter()
        .any(|t| matches!(t, Some(Target::Duration)));
    let input = quality::QualityInput {
        n: records.lines.len(),
        columns: questions
            .iter()
            .zip(&records.qdata)
            .map(|(q, c)| (q.id.as_str(), c))
            .collect(),
        ids: has_id.then_some(&records.ids),
        durations: has_duration.then_some(records.durations.as_slice()),
    };
    quality::flag(survey, &input, &opts.quality)
}

/// What became of every record read, once the kept ones are in the table.
struct RecordAccount {
    problems: Vec<Problem>,
    rows_read: u64,
    dropped_ragged: u64,
    dropped_invalid: u64,
    cells_set_missing: u64,
    cells_na: u64,
    /// Source lines of the respondents removed by --drop-flagged.
    flagged_dropped_lines: Vec<u64>,
}

/// The respondent table from the buffers: id, questions in survey order, attributes, weight,
/// duration.
fn assemble_table(
    survey: &Survey,
    questions: &[&Question],
    plan: &ColumnPlan,
    attr_names: &[String],
    records: ChunkOut,
) -> Result<(ResponseTable, RecordAccount)> {
    let ChunkOut {
        qdata,
        ids,
        weights,
        durations,
        attrs,
        lines,
        problems,
        rows_read,
        dropped_ragged,
        dropped_invalid,
        cells_set_missing,
        cells_na,
    } = records;
    let has = |want: fn(&Target) -> bool| plan.targets.iter().flatten().any(want);
    let has_id = has(|t| matches!(t, Target::Id));
    let mut cols: Vec<(String, ColumnData)> = Vec::new();
    if has_id {
        cols.push((
            plan.id_col
                .clone()
                .unwrap_or_else(|| "respondent_id".into()),
            ColumnData::Str(ids),
        ));
    }
    for (q, data) in questions.iter().zip(qdata) {
        cols.push((q.id.clone(), data));
    }
    for (a, data) in attr_names.iter().zip(attrs) {
        cols.push((a.clone(), ColumnData::Str(data)));
    }
    if has(|t| matches!(t, Target::Weight)) {
        cols.push((
            plan.weight_col.clone().unwrap_or_default(),
            ColumnData::Float(weights),
        ));
    }
    if has(|t| matches!(t, Target::Duration)) {
        cols.push((
            plan.duration_col.clone().unwrap_or_default(),
            ColumnData::Float(durations),
        ));
    }
    let table = ResponseTable::from_columns(
        survey,
        cols,
        lines,
        has_id.then(|| plan.id_col.clone().unwrap_or_default()),
    )?;
    let account = RecordAccount {
        problems,
        rows_read,
        dropped_ragged,
        dropped_invalid,
        cells_set_missing,
        cells_na,
        flagged_dropped_lines: Vec::new(),
    };
    Ok((table, account))
}

/// The import summary (with the problems it counts); every row read is written or dropped for a
/// reason.
fn build_report(
    survey: &Survey,
    opts: &ImportOptions,
    input: &DecodedInput<'_>,
    plan: ColumnPlan,
    account: RecordAccount,
    flag_counts: quality::FlagCounts,
    rows_written: u64,
) -> (ImportReport, Vec<Problem>) {
    let preset = &input.preset;
    let dropped_flagged = account.flagged_dropped_lines.len() as u64;
    let rows_dropped = account.dropped_ragged + account.dropped_invalid + dropped_flagged;
    debug_assert_eq!(account.rows_read, rows_written + rows_dropped);
    let mut dropped_by_reason = BTreeMap::new();
    dropped_by_reason.insert("ragged_row".to_string(), account.dropped_ragged);
    dropped_by_reason.insert("invalid".to_string(), account.dropped_invalid);
    dropped_by_reason.insert("flagged".to_string(), dropped_flagged);
    let mut problems_by_rule = BTreeMap::new();
    for p in &account.problems {
        *problems_by_rule
            .entry(p.rule.as_str().to_string())
            .or_insert(0) += 1;
    }
    let report = ImportReport {
        schema_version: "1.2.0",
        survey_id: survey.meta.id.clone(),
        survey_version: survey.meta.version.clone(),
        input: input.name.display().to_string(),
        format: input.format,
        encoding: input.encoding,
        delimiter: match input.file_delimiter {
            b'\t' => "tab".into(),
            d => (d as char).to_string(),
        },
        on_invalid: opts.on_invalid,
        platform: preset.platform,
        platform_detected: preset.detected,
        header_rows: preset.header_rows,
        rows_read: account.rows_read + preset.excluded_lines.len() as u64,
        rows_written,
        rows_excluded: preset.excluded_lines.len() as u64,
        excluded_by_reason: preset.excluded.clone(),
        excluded_lines: preset.excluded_lines.clone(),
        rows_dropped,
        dropped_by_reason,
        cells_set_missing: account.cells_set_missing,
        cells_not_applicable: account.cells_na,
        problems: account.problems.len() as u64,
        problems_by_rule,
        flags: flag_counts,
        columns: plan.columns,
        unknown_columns: plan.unknown,
        flagged_dropped_lines: account.flagged_dropped_lines,
        notes: input.notes.clone(),
        warnings: plan.warnings,
    };
    (report, account.problems)
}

/// Chunks of the body bigger than this are parsed on several threads.
const PARALLEL_MIN_BYTES: usize = 1 << 20;
/// At most this many parsing threads.
const MAX_PARSE_THREADS: usize = 8;

/// What every parsing thread reads: the text, the header and how each column is coded.
#[derive(Clone, Copy)]
struct ChunkContext<'a> {
    name: &'a Path,
    text: &'a [u8],
    delimiter: u8,
    ncols: usize,
    headers: &'a [String],
    targets: &'a [Option<Target>],
    questions: &'a [&'a Question],
    coders: &'a [Coder<'a>],
    fast_int: &'a [Option<(i32, i32, Option<i32>)>],
    attr_index: &'a [Option<usize>],
    n_attrs: usize,
    on_invalid: InvalidPolicy,
    /// The source line of each line of `text`, for converted input.
    line_map: Option<&'a [u64]>,
}

impl ChunkContext<'_> {
    /// The source line of a line of the text.
    #[inline]
    fn source_line(&self, line: u64) -> u64 {
        match self.line_map {
            None => line,
            Some(m) => m
                .get(line.saturating_sub(1) as usize)
                .copied()
                .unwrap_or(line),
        }
    }
}

/// The coded columns and the accounting of one chunk of records.
struct ChunkOut {
    qdata: Vec<ColumnData>,
    ids: TextColumn,
    weights: Vec<Option<f64>>,
    durations: Vec<Option<f64>>,
    attrs: Vec<TextColumn>,
    lines: Vec<u64>,
    problems: Vec<Problem>,
    rows_read: u64,
    dropped_ragged: u64,
    dropped_invalid: u64,
    cells_set_missing: u64,
    cells_na: u64,
}

impl ChunkOut {
    /// Empty buffers with room for `rows` records.
    fn new(questions: &[&Question], n_attrs: usize, rows: usize) -> ChunkOut {
        ChunkOut {
            qdata: questions
                .iter()
                .map(|q| match q.kind {
                    QuestionKind::Rating | QuestionKind::Nps | QuestionKind::Single => {
                        ColumnData::Int(Vec::with_capacity(rows))
                    }
                    QuestionKind::Numeric => ColumnData::Float(Vec::with_capacity(rows)),
                    QuestionKind::Multiple | QuestionKind::Text => {
                        ColumnData::Str(TextColumn::with_capacity(rows))
                    }
                })
                .collect(),
            ids: TextColumn::with_capacity(rows),
            weights: Vec::with_capacity(rows),
            durations: Vec::with_capacity(rows),
            attrs: (0..n_attrs)
                .map(|_| TextColumn::with_capacity(rows))
                .collect(),
            lines: Vec::with_capacity(rows),
            problems: Vec::new(),
            rows_read: 0,
            dropped_ragged: 0,
            dropped_invalid: 0,
            cells_set_missing: 0,
            cells_na: 0,
        }
    }

    /// Append the next chunk (in file order).
    fn append(&mut self, mut next: ChunkOut) {
        for (a, b) in self.qdata.iter_mut().zip(next.qdata) {
            match (a, b) {
                (ColumnData::Int(a), ColumnData::Int(b)) => a.extend(b),
                (ColumnData::Float(a), ColumnData::Float(b)) => a.extend(b),
                (ColumnData::Str(a), ColumnData::Str(b)) => a.append(b),
                _ => unreachable!("chunks share the column types"),
            }
        }
        self.ids.append(next.ids);
        self.weights.append(&mut next.weights);
        self.durations.append(&mut next.durations);
        for (a, b) in self.attrs.iter_mut().zip(next.attrs) {
            a.append(b);
        }
        self.lines.append(&mut next.lines);
        self.problems.append(&mut next.problems);
        self.rows_read += next.rows_read;
        self.dropped_ragged += next.dropped_ragged;
        self.dropped_invalid += next.dropped_invalid;
        self.cells_set_missing += next.cells_set_missing;
        self.cells_na += next.cells_na;
    }
}

/// Byte ranges of `text` from `body_start` to the end, cut into about `parts` equal chunks, each
/// starting just after a line feed outside any quoted field. One range when `parts` is 1 or when
/// the quoting is not plain RFC 4180 (a quote that opens or closes mid-field), where only a
/// sequential reader can tell records apart.
fn chunk_bounds(
    text: &[u8],
    body_start: usize,
    delimiter: u8,
    parts: usize,
) -> Vec<(usize, usize)> {
    let whole = vec![(body_start, text.len())];
    if parts <= 1 || body_start >= text.len() {
        return whole;
    }
    let body = &text[body_start..];
    let len = body.len();
    let mut targets = (1..parts).map(|k| k * len / parts);
    let mut want = targets.next();
    let mut cuts: Vec<usize> = Vec::new();
    let mut quotes = memchr::memchr_iter(b'"', body).peekable();
    let mut in_quotes = false;
    let mut last_close = usize::MAX;
    loop {
        // Settle the wanted cut while no quote lies between it and the next line feed.
        while let Some(t) = want {
            if in_quotes {
                break;
            }
            let next_quote = quotes.peek().copied();
            if next_quote.is_some_and(|q| q < t) {
                break;
            }
            match memchr::memchr(b'\n', &body[t..]) {
                None => {
                    want = None;
                }
                Some(off) => {
                    let nl = t + off;
                    if next_quote.is_some_and(|q| q < nl) {
                        break;
                    }
                    cuts.push(nl + 1);
                    want = targets.by_ref().find(|&t2| t2 > nl + 1);
                }
            }
        }
        let Some(q) = quotes.next() else { break };
        if in_quotes {
            // A closing quote (or the first of an escaped pair) ends the field or is doubled.
            let next = body.get(q + 1).copied();
            if !matches!(next, None | Some(b'"' | b'\n' | b'\r')) && next != Some(delimiter) {
                return whole;
            }
            last_close = q;
        } else {
            // An opening quote starts a field, or is the second of an escaped pair.
            let ok = q == 0
                || matches!(body[q - 1], b'\n' | b'\r')
                || body[q - 1] == delimiter
                || (last_close != usize::MAX && last_close + 1 == q);
            if !ok {
                return whole;
            }
        }
        in_quotes = !in_quotes;
        if let Some(t) = want
            && t <= q
        {
            want = Some(q + 1);
        }
    }
    if in_quotes {
        return whole;
    }
    let cuts: Vec<usize> = cuts.into_iter().filter(|&c| c < len).collect();
    let mut bounds = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for c in cuts {
        if c > from {
            bounds.push((body_start + from, body_start + c));
            from = c;
        }
    }
    bounds.push((body_start + from, text.len()));
    bounds
}

/// Parse and code the records in `text[start..end]`, which begins at a record boundary.
/// `capacity` is the number of records to make room for: at most one per line, and for the first
/// chunk those of every chunk, which are appended to it.
///
/// Per record: a ragged row is reported and dropped; otherwise each field is coded into the
/// columns or the row's scratch ([`ChunkContext::code_field`]), split option columns are
/// checked as one answer, and the row is then dropped, failed or committed by its problems.
fn parse_chunk(
    ctx: &ChunkContext<'_>,
    (start, end): (usize, usize),
    capacity: usize,
    show_progress: bool,
) -> Result<ChunkOut> {
    let ChunkContext {
        name,
        text,
        delimiter,
        ncols,
        targets,
        questions,
        fast_int,
        n_attrs,
        ..
    } = *ctx;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(&text[start..end]);
    let mut out = ChunkOut::new(questions, n_attrs, capacity);
    // Integer codes (rating, NPS and single-choice questions) go straight into their columns,
    // one per row, as their field is read (a dropped row is truncated off again). The other
    // questions' values wait in the row's scratch, reused across records, until the row is
    // committed.
    let other_cols: Vec<usize> = (0..questions.len())
        .filter(|&qi| !matches!(out.qdata[qi], ColumnData::Int(_)))
        .collect();
    let has_split = targets
        .iter()
        .any(|t| matches!(t, Some(Target::Split { .. })));
    let mut row = RowScratch::new(questions.len(), n_attrs);
    let mut record = csv::ByteRecord::new();
    let mut lines_seen = LineCounter::new(text);
    lines_seen.line_at(start);
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| ctx.source_line(lines_seen.line_at(start + p.byte() as usize)));
                return Err(csv_error(name, line, e));
            }
        }
        out.rows_read += 1;
        let line = record.position().map_or(0, |p| {
            ctx.source_line(lines_seen.line_at(start + p.byte() as usize))
        });
        if show_progress && out.rows_read.is_multiple_of(200_000) {
            let done =
                record.position().map_or(0, |p| p.byte()) as f64 / (end - start).max(1) as f64;
            crate::err!(
                "\rimporting {}: {:>3.0}% ({} rows)",
                name.display(),
                100.0 * done,
                out.rows_read
            );
        }
        if record.len() != ncols {
            ctx.drop_ragged_row(&record, line, &mut out)?;
            continue;
        }
        row.reset(has_split);
        for (i, field) in record.iter().enumerate() {
            let Some(target) = &targets[i] else { continue };
            // The common case first: a bare in-range integer for a categorical item, read from
            // the bytes without validating or trimming text.
            if let Target::Question(qi) = target
                && let Some((lo, hi, _)) = fast_int[*qi]
                && let Some(v) = super::coding::parse_small_int(field)
                && (lo..=hi).contains(&v)
            {
                push_int(&mut out.qdata[*qi], v);
                continue;
            }
            ctx.code_field(i, target, field, line, &mut out.qdata, &mut row);
        }
        if has_split {
            ctx.check_split_answers(line, &mut row);
        }
        if ctx.settle_problems(&record, &mut row, &mut out)? {
            commit_row(&record, line, &other_cols, &mut row, &mut out);
        }
    }
    Ok(out)
}

/// One record's values that wait for the row to be committed or dropped; reused across records.
struct RowScratch {
    /// The codes of the questions whose column is not an integer column.
    codes: Vec<Coded>,
    /// The selected options of each multiple-choice question read from split columns.
    split_bits: Vec<Option<u64>>,
    problems: Vec<Problem>,
    /// The field that holds each attribute, the respondent id, weight and duration.
    attrs: Vec<Option<usize>>,
    id: Option<usize>,
    weight: Option<f64>,
    duration: Option<f64>,
    /// Cells that held the "not applicable" code.
    na: u64,
}

impl RowScratch {
    fn new(n_questions: usize, n_attrs: usize) -> Self {
        RowScratch {
            codes: vec![Coded::Missing; n_questions],
            split_bits: vec![None; n_questions],
            problems: Vec::new(),
            attrs: vec![None; n_attrs],
            id: None,
            weight: None,
            duration: None,
            na: 0,
        }
    }

    /// Forget the previous record (its codes were taken when it was committed or dropped).
    #[inline]
    fn reset(&mut self, has_split: bool) {
        self.problems.clear();
        self.na = 0;
        if has_split {
            self.split_bits.iter_mut().for_each(|b| *b = None);
        }
        // The id and attribute cells are read from the record when the row is committed: no
        // allocation per cell.
        self.id = None;
        self.weight = None;
        self.duration = None;
        self.attrs.iter_mut().for_each(|a| *a = None);
    }
}

impl ChunkContext<'_> {
    /// Report a record whose field count differs from the header's, and drop it (or fail).
    #[cold]
    fn drop_ragged_row(
        &self,
        record: &csv::ByteRecord,
        line: u64,
        out: &mut ChunkOut,
    ) -> Result<()> {
        let respondent = self
            .targets
            .iter()
            .position(|t| matches!(t, Some(Target::Id)))
            .and_then(|i| record.get(i))
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .unwrap_or_default();
        let p = Problem {
            line,
            respondent,
            column: "*".into(),
            value: format!("{} fields", record.len()),
            rule: Rule::RaggedRow,
            message: format!(
                "the row has {} fields but the header has {}; the row is dropped",
                record.len(),
                self.ncols
            ),
            fix: "check for an unquoted delimiter or a missing field in this row".into(),
        };
        if self.on_invalid == InvalidPolicy::Fail {
            return Err(fail_error(self.name, &p));
        }
        out.problems.push(p);
        out.dropped_ragged += 1;
        Ok(())
    }

    /// Code field `i` of a record (any field the integer fast path in [`parse_chunk`] did not
    /// take): a question's value into its integer column or the row's codes, an option column's
    /// selection, or the respondent columns.
    #[inline]
    fn code_field(
        &self,
        i: usize,
        target: &Target,
        field: &[u8],
        line: u64,
        qdata: &mut [ColumnData],
        row: &mut RowScratch,
    ) {
        let value = match std::str::from_utf8(field) {
            Ok(v) => v.trim(),
            Err(_) => "",
        };
        match target {
            Target::Question(qi) => {
                let coded = match (
                    self.fast_int[*qi],
                    super::coding::parse_small_int(value.as_bytes()),
                ) {
                    // Fast path: a plain integer in range for a categorical item.
                    (Some((lo, hi, na)), Some(v)) => {
                        if v >= lo && v <= hi {
                            push_int(&mut qdata[*qi], v);
                            return;
                        } else if na == Some(v) {
                            Coded::NotApplicable
                        } else {
                            self.coders[*qi].code(value)
                        }
                    }
                    _ => self.coders[*qi].code(value),
                };
                // An integer column takes its one value of the row now: the code, or missing.
                push_int(
                    &mut qdata[*qi],
                    match coded {
                        Coded::Code(x) => x,
                        _ => MISSING_INT,
                    },
                );
                match coded {
                    Coded::Invalid { rule, message, fix } => {
                        row.problems.push(Problem {
                            line,
                            respondent: String::new(),
                            column: self.headers[i].clone(),
                            value: value.to_string(),
                            rule,
                            message,
                            fix,
                        });
                        row.codes[*qi] = Coded::Missing;
                    }
                    Coded::NotApplicable => {
                        row.na += 1;
                        row.codes[*qi] = Coded::Missing;
                    }
                    Coded::Code(_) => {}
                    c => row.codes[*qi] = c,
                }
            }
            Target::Split { question, code } => {
                let label = self.questions[*question]
                    .choices
                    .get(*code as usize - 1)
                    .map_or("", String::as_str);
                if let Some(sel) = split_cell_selected(value, label, *code) {
                    let b = row.split_bits[*question].get_or_insert(0);
                    if sel {
                        *b |= 1 << code;
                    }
                }
            }
            Target::Id => row.id = (!is_missing_token(value)).then_some(i),
            Target::Weight => {
                // "NaN" in a weight column is a failed weight computation, not an unanswered
                // cell: it is invalid, like 0 or a negative weight.
                if !is_missing_token(value) || value.eq_ignore_ascii_case("nan") {
                    match value.parse::<f64>() {
                        Ok(w) if w.is_finite() && w > 0.0 && w <= MAX_WEIGHT => {
                            row.weight = Some(w)
                        }
                        _ => row.problems.push(Problem {
                            line,
                            respondent: String::new(),
                            column: self.headers[i].clone(),
                            value: value.to_string(),
                            rule: Rule::InvalidWeight,
                            message: format!(
                                "weight '{value}' is not a positive number of at most {MAX_WEIGHT:e}"
                            ),
                            fix: "fix the weight, or drop such rows with --on-invalid drop-row (they are counted in the import report)".into(),
                        }),
                    }
                }
            }
            Target::Duration => {
                if !is_missing_token(value) {
                    match value.parse::<f64>() {
                        Ok(d) if d.is_finite() && d >= 0.0 => row.duration = Some(d),
                        _ => row.problems.push(Problem {
                            line,
                            respondent: String::new(),
                            column: self.headers[i].clone(),
                            value: value.to_string(),
                            rule: Rule::InvalidDuration,
                            message: format!("duration '{value}' is not a number of seconds"),
                            fix: "write the completion time in seconds, e.g. 312".into(),
                        }),
                    }
                }
            }
            Target::Attribute(_) => {
                if let Some(ai) = self.attr_index[i] {
                    row.attrs[ai] = Some(i);
                }
            }
        }
    }

    /// The options selected in a multiple-choice question's split columns, checked as one
    /// answer.
    fn check_split_answers(&self, line: u64, row: &mut RowScratch) {
        for (qi, bits) in row.split_bits.iter().enumerate() {
            if let Some(bits) = bits {
                match self.coders[qi].check_choices(*bits, bits.count_ones()) {
                    Coded::Invalid { rule, message, fix } => row.problems.push(Problem {
                        line,
                        respondent: String::new(),
                        column: self.questions[qi].id.clone(),
                        value: choices_to_string(*bits),
                        rule,
                        message,
                        fix,
                    }),
                    c => row.codes[qi] = c,
                }
            }
        }
    }

    /// Apply `--on-invalid` to the row's problems: fail, drop the row (truncating its integer
    /// codes off again), or keep it with the cells missing. Returns whether the row is kept.
    #[inline]
    fn settle_problems(
        &self,
        record: &csv::ByteRecord,
        row: &mut RowScratch,
        out: &mut ChunkOut,
    ) -> Result<bool> {
        if row.problems.is_empty() {
            return Ok(true);
        }
        let rid = row
            .id
            .map(|i| cell(record, i))
            .unwrap_or_default()
            .to_string();
        for p in row.problems.iter_mut() {
            p.respondent = rid.clone();
        }
        if self.on_invalid == InvalidPolicy::Fail {
            return Err(fail_error(self.name, &row.problems[0]));
        }
        if self.on_invalid == InvalidPolicy::Missing
            && let Some(p) = row.problems.iter().find(|p| p.rule == Rule::InvalidWeight)
        {
            return Err(invalid_weight_error(self.name, p));
        }
        let n = row.problems.len() as u64;
        out.problems.append(&mut row.problems);
        if self.on_invalid == InvalidPolicy::DropRow {
            out.dropped_invalid += 1;
            for col in out.qdata.iter_mut() {
                if let ColumnData::Int(v) = col {
                    v.truncate(out.lines.len());
                }
            }
            row.codes.iter_mut().for_each(|c| *c = Coded::Missing);
            return Ok(false);
        }
        out.cells_set_missing += n;
        Ok(true)
    }
}

/// Commit a kept row: the waiting codes, the respondent columns and the source line.
#[inline]
fn commit_row(
    record: &csv::ByteRecord,
    line: u64,
    other_cols: &[usize],
    row: &mut RowScratch,
    out: &mut ChunkOut,
) {
    out.cells_na += row.na;
    for &qi in other_cols {
        let c = std::mem::replace(&mut row.codes[qi], Coded::Missing);
        match &mut out.qdata[qi] {
            ColumnData::Int(_) => {}
            ColumnData::Float(v) => v.push(if let Coded::Number(x) = c {
                Some(x)
            } else {
                None
            }),
            ColumnData::Str(v) => match c {
                // A clean CSV written by satkit guards formula cells; read back their values.
                Coded::Text(t) => v.push(Some(unguard_formula(&t))),
                Coded::Choices(b) => v.push(Some(&choices_to_string(b))),
                _ => v.push(None),
            },
        }
    }
    out.ids
        .push(row.id.map(|i| unguard_formula(cell(record, i))));
    out.weights.push(row.weight);
    out.durations.push(row.duration);
    for (a, field) in out.attrs.iter_mut().zip(&row.attrs) {
        a.push(
            field
                .map(|i| unguard_formula(cell(record, i)))
                .filter(|v| !v.is_empty()),
        );
    }
    out.lines.push(line);
    debug_assert!(out.qdata.iter().all(|c| match c {
        ColumnData::Int(v) => v.len() == out.lines.len(),
        _ => true,
    }));
}

/// Field `i` of a record as trimmed text ("" when absent or not UTF-8).
#[inline]
fn cell(record: &csv::ByteRecord, i: usize) -> &str {
    record
        .get(i)
        .and_then(|b| std::str::from_utf8(b).ok())
        .map_or("", str::trim)
}

/// Append a code to an integer column (no-op for other columns).
fn push_int(col: &mut ColumnData, v: i32) {
    if let ColumnData::Int(c) = col {
        c.push(v);
    }
}

/// The 1-based line where a record starts, from the byte offset the `csv` reader reports.
///
/// `csv::Position::line` is wrong for CRLF files (it stops at the `\r`, so every record of a
/// Windows/Excel export is one line early: BurntSushi/rust-csv#395) and for records after blank
/// lines (it points at the blank line). The byte offset has the same fault, so skip line breaks
/// forward from it (a record never starts with one) and count the breaks before that point
/// ourselves: `\n`, `\r\n` and a lone `\r` each end one line. Counting resumes where the previous
/// record left off, so the whole file is scanned once.
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            pos: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: usize) -> u64 {
        let mut start = byte.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.pos {
            return self.line;
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', &self.text[self.pos..start]) {
            let at = self.pos + i;
            if self.text[at] == b'\n' || self.text.get(at + 1) != Some(&b'\n') {
                self.line += 1;
            }
        }
        self.pos = start;
        self.line
    }
}

fn csv_error(name: &Path, line: Option<u64>, e: csv::Error) -> Error {
    Error::bad_data(
        name,
        line,
        None,
        format!("cannot be read as CSV: {e}"),
        "check quoting: a field containing the delimiter, a quote or a line break must be wrapped in double quotes",
    )
}

/// An invalid weight under `--on-invalid missing`: a missing weight would count as 1, so the
/// import stops (R's survey package refuses such weights too).
fn invalid_weight_error(name: &Path, p: &Problem) -> Error {
    Error::bad_data(
        name,
        Some(p.line),
        Some(&p.column),
        format!(
            "{} (respondent '{}'); an invalid weight is not set missing, as the respondent would then count with weight 1",
            p.message, p.respondent
        ),
        p.fix.clone(),
    )
}

fn fail_error(name: &Path, p: &Problem) -> Error {
    Error::bad_data(
        name,
        Some(p.line),
        Some(&p.column),
        format!(
            "{} [{}] (--on-invalid fail stops at the first problem)",
            p.message,
            p.rule.as_str()
        ),
        p.fix.clone(),
    )
}

/// Write problems as CSV: line, respondent, column, value, rule, message, fix.
pub fn rejects_csv(problems: &[Problem]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "line",
        "respondent",
        "column",
        "value",
        "rule",
        "message",
        "fix",
    ]);
    for p in problems {
        let line = p.line.to_string();
        let _ = w.write_record([
            line.as_str(),
            &neutralise_formula(&p.respondent),
            &neutralise_formula(&p.column),
            &neutralise_formula(&p.value),
            &neutralise_formula(p.rule.as_str()),
            &neutralise_formula(&p.message),
            &neutralise_formula(&p.fix),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// Read a `--map` file: a TOML table `[columns]` of "file header" = "question id".
///
/// # Errors
/// Unreadable or malformed mapping files, with the location.
pub fn read_mapping(path: &Path) -> Result<Vec<(String, String)>> {
    let text = crate::input::read_to_string(path)?;
    let value: toml::Table = toml::from_str(&text).map_err(|e| {
        let (span, message) = crate::toml_source::parse_error(&e, &text);
        let (line, col) = span.map_or((1, 1), |s| {
            crate::diagnostic::SourceFile::new("", text.as_str()).line_col(s.start)
        });
        Error::bad_data(
            path,
            Some(line as u64),
            None,
            format!("column {col}: {message}"),
            "write the mapping as [columns] with lines \"File header\" = \"question_id\"",
        )
    })?;
    let Some(cols) = value.get("columns").and_then(|c| c.as_table()) else {
        return Err(Error::bad_data(
            path,
            None,
            None,
            "has no [columns] table",
            "write the mapping as [columns] with lines \"File header\" = \"question_id\"",
        ));
    };
    let mut out = Vec::new();
    for (k, v) in cols {
        match v.as_str() {
            Some(s) => out.push((k.clone(), s.to_string())),
            None => {
                return Err(Error::bad_data(
                    path,
                    None,
                    Some(k),
                    "the target must be a string (a question id or respondent column)",
                    "write \"File header\" = \"question_id\"",
                ));
            }
        }
    }
    Ok(out)
}
