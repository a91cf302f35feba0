//! Survey-platform exports: Qualtrics, SurveyMonkey, LimeSurvey, KoboToolbox/ODK, 问卷星 (wjx)
//! and 腾讯问卷 (Tencent). Each preset knows its platform's layout (docs/importing.md):
//!
//! - the header rows beyond the first (Qualtrics' question text and ImportId rows,
//!   SurveyMonkey's option row), folded into one header;
//! - the metadata columns: the respondent id, the completion time in seconds (read from
//!   `120秒`, or computed from the start and end times) and attributes;
//! - the rows that are not answers (previews, tests, spam, unfinished, rejected), excluded and
//!   counted by reason;
//! - how a multiple-choice answer is written (`┋`-joined, comma-joined, space-separated choice
//!   names, or one column per option), re-coded to choice codes;
//! - how question headers are written (`1、题目`, `3(服务态度)`, `group/q4`, `G1Q4[SQ002]`,
//!   `题目:选项`), matched to the survey's questions by id, text, alias or row label.
//!
//! The result is delimited text with one header row that the import reads as usual.

use std::collections::BTreeMap;
use std::path::Path;

use super::headers::{self, How, choice_code, find_question, split_bracketed, strip_number};
use crate::error::{Error, Result};
use crate::model::{Question, QuestionKind, Survey};

/// The platforms with a preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Qualtrics,
    SurveyMonkey,
    LimeSurvey,
    Kobo,
    Wjx,
    Tencent,
}

impl Platform {
    pub const ALL: [Platform; 6] = [
        Platform::Qualtrics,
        Platform::SurveyMonkey,
        Platform::LimeSurvey,
        Platform::Kobo,
        Platform::Wjx,
        Platform::Tencent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Platform::Qualtrics => "qualtrics",
            Platform::SurveyMonkey => "surveymonkey",
            Platform::LimeSurvey => "limesurvey",
            Platform::Kobo => "kobo",
            Platform::Wjx => "wjx",
            Platform::Tencent => "tencent",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Platform::Qualtrics => "Qualtrics",
            Platform::SurveyMonkey => "SurveyMonkey",
            Platform::LimeSurvey => "LimeSurvey",
            Platform::Kobo => "KoboToolbox/ODK",
            Platform::Wjx => "问卷星 (wjx)",
            Platform::Tencent => "腾讯问卷 (Tencent)",
        }
    }

    /// The header cells every export of the platform has (any one set of them).
    fn signatures(self) -> &'static [&'static [&'static str]] {
        match self {
            Platform::Qualtrics => &[
                &["ResponseId", "StartDate"],
                &["ResponseId", "RecordedDate"],
                &["ResponseID", "StartDate"],
            ],
            Platform::SurveyMonkey => &[&["Respondent ID", "Collector ID"]],
            Platform::LimeSurvey => &[
                &["id", "submitdate", "lastpage", "startlanguage"],
                &[
                    "Response ID",
                    "Date submitted",
                    "Last page",
                    "Start language",
                ],
            ],
            Platform::Kobo => &[&["_uuid", "_submission_time"], &["_id", "_index"]],
            Platform::Wjx => &[&["序号", "提交答卷时间", "所用时间"]],
            Platform::Tencent => &[&["编号", "开始答题时间", "结束答题时间"]],
        }
    }

    fn matches(self, header: &[String]) -> bool {
        self.signatures()
            .iter()
            .any(|sig| sig.iter().all(|s| header.iter().any(|h| h == s)))
    }
}

/// `--from`: detect the platform, read the file as a plain table, or use one preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum From {
    #[default]
    Auto,
    Plain,
    Platform(Platform),
}

/// The values `--from` takes.
pub const FROM_NAMES: &[&str] = &[
    "auto",
    "plain",
    "qualtrics",
    "surveymonkey",
    "limesurvey",
    "kobo",
    "wjx",
    "tencent",
];

impl From {
    /// # Errors
    /// The list of valid names for anything else.
    pub fn parse(s: &str) -> std::result::Result<From, String> {
        let l = s.trim().to_ascii_lowercase();
        match l.as_str() {
            "auto" => Ok(From::Auto),
            "plain" | "csv" | "none" => Ok(From::Plain),
            "odk" | "kobotoolbox" => Ok(From::Platform(Platform::Kobo)),
            "问卷星" | "wenjuanxing" => Ok(From::Platform(Platform::Wjx)),
            "腾讯问卷" | "wjqq" => Ok(From::Platform(Platform::Tencent)),
            _ => Platform::ALL
                .into_iter()
                .find(|p| p.name() == l)
                .map(From::Platform)
                .ok_or_else(|| format!("use one of: {}", FROM_NAMES.join(", "))),
        }
    }
}

/// An export rewritten as one header row and the answer rows.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub platform: Platform,
    /// Whether the platform was detected (`--from auto`) rather than named.
    pub detected: bool,
    /// CSV text, comma-delimited, header first.
    pub text: String,
    /// The source line of each line of `text`.
    pub lines: Vec<u64>,
    /// The source line of the last header row.
    pub header_line: u64,
    /// Header rows in the export (1 for a plain header).
    pub header_rows: u64,
    /// Rows that are not answers, by reason: preview, test, spam, unfinished, not_approved.
    pub excluded: BTreeMap<String, u64>,
    /// Their source lines.
    pub excluded_lines: Vec<u64>,
    /// The respondent id, duration (seconds) and attribute columns of the platform.
    pub id: Option<String>,
    pub duration: Option<String>,
    pub attributes: Vec<String>,
    pub notes: Vec<String>,
    /// For each column of `text`, the export's own header (SurveyMonkey's folded
    /// `question / option`), so the summary names the export's columns.
    pub export_headers: Vec<String>,
}

/// One record of the export with its source line.
struct Row {
    line: u64,
    cells: Vec<String>,
}

/// What the preset made of one column.
#[derive(Debug, Clone)]
enum Col {
    /// Kept under this header (a question id, a metadata name or the original header).
    Keep(String),
    /// An option of a multiple-choice question: `qid/code`.
    Option(String),
    /// Dropped (derived or duplicate), with the reason for the notes.
    Drop,
}

/// An export as the import has read it: its header, its text, delimiter and source lines.
#[derive(Clone, Copy)]
pub struct Export<'a> {
    pub header: &'a [String],
    pub text: &'a str,
    pub delimiter: u8,
    /// The source line of each line of `text`, for converted input.
    pub line_map: Option<&'a [u64]>,
}

/// Rewrite a platform export for the import; `None` for a plain table (`--from plain`, or
/// `--from auto` when no platform's columns are there).
///
/// # Errors
/// A named preset whose columns or header rows are not in the file, or an export that cannot be
/// read as CSV.
pub fn prepare(
    survey: &Survey,
    name: &Path,
    export: Export<'_>,
    from: From,
    map: &[(String, String)],
) -> Result<Option<Prepared>> {
    let Export {
        header,
        text,
        delimiter,
        line_map,
    } = export;
    let (platform, detected) = match from {
        From::Plain => return Ok(None),
        From::Auto => match detect(header) {
            Some(p) => (p, true),
            None => return Ok(None),
        },
        From::Platform(p) => {
            if !p.matches(header) {
                let want: Vec<String> =
                    p.signatures()[0].iter().map(|s| format!("'{s}'")).collect();
                return Err(Error::bad_data(
                    name,
                    Some(line_map.and_then(|m| m.first().copied()).unwrap_or(1)),
                    None,
                    format!(
                        "this does not look like a {} export: the header lacks {}",
                        p.title(),
                        want.join(", ")
                    ),
                    format!(
                        "export the responses again from {} with its default settings, or use --from auto (detects the platform) or --from plain (a table with one header row)",
                        p.title()
                    ),
                ));
            }
            (p, false)
        }
    };
    let rows = read_rows(name, text, delimiter, line_map)?;
    let questions: Vec<&Question> = survey.all_questions().collect();
    let mut p = Preparing {
        survey,
        map,
        platform,
        name,
        questions: &questions,
        rows,
        notes: Vec::new(),
    };
    p.run(detected)
}

/// Read every record of `text` with its source line.
fn read_rows(name: &Path, text: &str, delimiter: u8, line_map: Option<&[u64]>) -> Result<Vec<Row>> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let (mut pos, mut line) = (0usize, 1u64);
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(Error::bad_data(
                    name,
                    None,
                    None,
                    format!("cannot be read as CSV: {e}"),
                    "check quoting: a field containing the delimiter, a quote or a line break must be wrapped in double quotes",
                ));
            }
        }
        let mut at = record.position().map_or(pos, |p| p.byte() as usize);
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        if at > pos {
            line += memchr::memchr_iter(b'\n', &bytes[pos..at]).count() as u64;
            pos = at;
        }
        let source = line_map
            .and_then(|m| m.get(line as usize - 1).copied())
            .unwrap_or(line);
        rows.push(Row {
            line: source,
            cells: record.iter().map(|c| c.trim().to_string()).collect(),
        });
    }
    Ok(rows)
}

struct Preparing<'a> {
    survey: &'a Survey,
    /// `--map` renames, applied before the platform's own matching.
    map: &'a [(String, String)],
    platform: Platform,
    name: &'a Path,
    questions: &'a [&'a Question],
    rows: Vec<Row>,
    notes: Vec<String>,
}

/// The metadata columns of each platform: (header, role). Roles: `id`, `duration` (seconds),
/// `duration_text` (`120秒`), `start`, `end`, and `attr`.
fn metadata(platform: Platform) -> &'static [(&'static str, &'static str)] {
    match platform {
        Platform::Qualtrics => &[
            ("ResponseId", "id"),
            ("ResponseID", "id"),
            ("Duration (in seconds)", "duration"),
            ("StartDate", "attr"),
            ("EndDate", "attr"),
            ("Status", "attr"),
            ("IPAddress", "attr"),
            ("Progress", "attr"),
            ("Finished", "attr"),
            ("RecordedDate", "attr"),
            ("RecipientLastName", "attr"),
            ("RecipientFirstName", "attr"),
            ("RecipientEmail", "attr"),
            ("ExternalReference", "attr"),
            ("LocationLatitude", "attr"),
            ("LocationLongitude", "attr"),
            ("DistributionChannel", "attr"),
            ("UserLanguage", "attr"),
        ],
        Platform::SurveyMonkey => &[
            ("Respondent ID", "id"),
            ("Collector ID", "attr"),
            ("Start Date", "start"),
            ("End Date", "end"),
            ("IP Address", "attr"),
            ("Email Address", "attr"),
            ("First Name", "attr"),
            ("Last Name", "attr"),
            ("Custom Data 1", "attr"),
        ],
        Platform::LimeSurvey => &[
            ("id", "id"),
            ("Response ID", "id"),
            ("submitdate", "attr"),
            ("Date submitted", "attr"),
            ("lastpage", "attr"),
            ("Last page", "attr"),
            ("startlanguage", "attr"),
            ("Start language", "attr"),
            ("seed", "attr"),
            ("Seed", "attr"),
            ("startdate", "start"),
            ("Date started", "start"),
            ("datestamp", "end"),
            ("Date last action", "end"),
            ("interviewtime", "duration"),
            ("Total time", "duration"),
            ("ipaddr", "attr"),
            ("refurl", "attr"),
            ("token", "attr"),
        ],
        Platform::Kobo => &[
            ("_id", "id"),
            ("start", "start"),
            ("end", "end"),
            ("_uuid", "attr"),
            ("_submission_time", "attr"),
            ("_validation_status", "attr"),
            ("_notes", "attr"),
            ("_status", "attr"),
            ("_submitted_by", "attr"),
            ("_tags", "attr"),
            ("_index", "attr"),
            ("__version__", "attr"),
            ("meta/instanceID", "attr"),
            ("today", "attr"),
            ("deviceid", "attr"),
        ],
        Platform::Wjx => &[
            ("序号", "id"),
            ("所用时间", "duration_text"),
            ("提交答卷时间", "attr"),
            ("来源", "attr"),
            ("来源详情", "attr"),
            ("来自IP", "attr"),
            ("总分", "attr"),
        ],
        Platform::Tencent => &[
            ("编号", "id"),
            ("答题时长", "duration_text"),
            ("开始答题时间", "attr"),
            ("结束答题时间", "attr"),
            ("地理位置国家和地区", "attr"),
            ("地理位置省", "attr"),
            ("地理位置市", "attr"),
            ("自定义字段", "attr"),
            ("用户类型", "attr"),
            ("用户标识", "attr"),
            ("昵称", "attr"),
            ("IP", "attr"),
            ("UA", "attr"),
            ("Referrer", "attr"),
            ("清洗数据结果", "attr"),
            ("审核状态", "attr"),
        ],
    }
}

/// Whether `h` is a metadata column of any platform's export (not a question).
pub fn is_metadata(h: &str) -> bool {
    Platform::ALL
        .iter()
        .any(|p| metadata(*p).iter().any(|(n, _)| *n == h))
}

/// The platform whose export has these header cells, if any.
pub fn detect(header: &[String]) -> Option<Platform> {
    Platform::ALL.into_iter().find(|p| p.matches(header))
}

/// Why a row is not an answer: (column, values, reason), checked in order; an empty value list
/// means "the cell is empty".
fn exclusions(
    platform: Platform,
) -> &'static [(&'static str, &'static [&'static str], &'static str)] {
    match platform {
        Platform::Qualtrics => &[
            ("Status", &["Survey Preview", "1"], "preview"),
            ("Status", &["Survey Test", "2"], "test"),
            ("Status", &["Spam", "8"], "spam"),
            ("Finished", &["False", "FALSE", "false", "0"], "unfinished"),
        ],
        Platform::LimeSurvey => &[
            ("submitdate", &[], "unfinished"),
            ("Date submitted", &[], "unfinished"),
        ],
        Platform::Kobo => &[(
            "_validation_status",
            &["validation_status_not_approved", "Not approved"],
            "not_approved",
        )],
        _ => &[],
    }
}

impl Preparing<'_> {
    fn run(&mut self, detected: bool) -> Result<Option<Prepared>> {
        let header_rows = self.header_rows()?;
        let header = self.folded_header(header_rows);
        let body_from = header_rows as usize;
        let header_line = self.rows[..body_from].last().map_or(1, |r| r.line);
        // Roles of the metadata columns.
        let meta = metadata(self.platform);
        let role_of = |h: &str| meta.iter().find(|(n, _)| *n == h).map(|(_, r)| *r);
        let mut cols: Vec<Col> = header.iter().map(|h| self.column(h, &header)).collect();
        self.drop_empty_unnamed(&header, &mut cols, body_from);
        let mut id = None;
        let mut duration = None;
        let mut attributes = Vec::new();
        let (mut start, mut end) = (None, None);
        for (i, h) in header.iter().enumerate() {
            match role_of(h) {
                Some("id") if id.is_none() => id = Some(h.clone()),
                Some("duration") | Some("duration_text") => duration = Some(i),
                Some("start") => start = Some(i),
                Some("end") => end = Some(i),
                Some(_) => attributes.push(h.clone()),
                None => {}
            }
        }
        // Exclusions.
        let mut excluded: BTreeMap<String, u64> = BTreeMap::new();
        let mut excluded_lines = Vec::new();
        let rules: Vec<(usize, &[&str], &str)> = exclusions(self.platform)
            .iter()
            .filter_map(|(c, v, r)| header.iter().position(|h| h == c).map(|i| (i, *v, *r)))
            .collect();
        let mut keep: Vec<bool> = vec![true; self.rows.len()];
        for (k, row) in self.rows.iter().enumerate().skip(body_from) {
            let cell = |i: usize| row.cells.get(i).map_or("", String::as_str);
            if let Some((_, _, reason)) = rules.iter().find(|(i, vals, _)| {
                if vals.is_empty() {
                    cell(*i).is_empty()
                } else {
                    vals.contains(&cell(*i))
                }
            }) {
                *excluded.entry((*reason).to_string()).or_insert(0) += 1;
                excluded_lines.push(row.line);
                keep[k] = false;
            }
        }
        // 问卷星 may write (空) for an unanswered question.
        if self.platform == Platform::Wjx {
            for row in self.rows.iter_mut().skip(body_from) {
                for c in row.cells.iter_mut().filter(|c| *c == "(空)") {
                    c.clear();
                }
            }
        }
        // Durations in seconds: read in place, or computed as a new column.
        let mut computed_duration = false;
        if let Some(i) = duration {
            for row in self.rows.iter_mut().skip(body_from) {
                if let Some(c) = row.cells.get_mut(i)
                    && let Some(secs) = parse_duration(c)
                {
                    *c = fmt_secs(secs);
                }
            }
        } else if let (Some(a), Some(b)) = (start, end) {
            computed_duration = true;
            for row in self.rows.iter_mut().skip(body_from) {
                let secs = match (
                    parse_timestamp(row.cells.get(a).map_or("", String::as_str)),
                    parse_timestamp(row.cells.get(b).map_or("", String::as_str)),
                ) {
                    (Some(x), Some(y)) if y >= x => fmt_secs(y - x),
                    _ => String::new(),
                };
                row.cells.push(secs);
            }
            self.notes.push(format!(
                "duration in seconds computed as '{}' minus '{}'",
                header[b], header[a]
            ));
        }
        for i in [start, end].into_iter().flatten() {
            attributes.push(header[i].clone());
        }
        self.recode_values(&cols, body_from);
        // The rewritten text.
        let mut final_header: Vec<String> = Vec::new();
        let mut out_cols: Vec<usize> = Vec::new();
        for (i, c) in cols.iter().enumerate() {
            match c {
                Col::Keep(h) | Col::Option(h) => {
                    final_header.push(h.clone());
                    out_cols.push(i);
                }
                Col::Drop => {}
            }
        }
        let mut export_headers: Vec<String> = out_cols.iter().map(|&i| header[i].clone()).collect();
        let duration_name = if computed_duration {
            let mut n = "duration_seconds".to_string();
            while final_header.contains(&n) {
                n.push('_');
            }
            final_header.push(n.clone());
            export_headers.push(n.clone());
            out_cols.push(header.len());
            Some(n)
        } else {
            duration.map(|i| header[i].clone())
        };
        let mut w = super::sources::TabularWriter::with_capacity(
            self.rows
                .iter()
                .map(|r| r.cells.iter().map(String::len).sum::<usize>() + r.cells.len())
                .sum(),
            self.rows.len(),
        );
        w.record(header_line, final_header.iter().map(String::as_str));
        for (k, row) in self.rows.iter().enumerate().skip(body_from) {
            if keep[k] {
                w.record(
                    row.line,
                    out_cols
                        .iter()
                        .map(|&i| row.cells.get(i).map_or("", String::as_str)),
                );
            }
        }
        let (text, lines) = w.finish();
        let mut notes = Vec::new();
        notes.append(&mut self.notes);
        Ok(Some(Prepared {
            platform: self.platform,
            detected,
            text,
            lines,
            header_line,
            header_rows,
            excluded,
            excluded_lines,
            id,
            duration: duration_name,
            attributes,
            notes,
            export_headers,
        }))
    }

    /// How many rows the header takes, checked against what the platform writes.
    fn header_rows(&self) -> Result<u64> {
        let row = |k: usize| self.rows.get(k).map(|r| r.cells.as_slice()).unwrap_or(&[]);
        let head = row(0);
        let col = |name: &str| head.iter().position(|h| h == name);
        let data_error = |what: &str| {
            Error::bad_data(
                self.name,
                Some(self.rows.get(1).map_or(2, |r| r.line)),
                None,
                format!(
                    "this does not look like a {} export: {what}",
                    self.platform.title()
                ),
                format!(
                    "export the responses again from {} (CSV, all header rows), or pass --from plain if the extra header rows were removed on purpose",
                    self.platform.title()
                ),
            )
        };
        match self.platform {
            Platform::Qualtrics => {
                let id = col("ResponseId")
                    .or(col("ResponseID"))
                    .or(col("Response ID"));
                let second = id.and_then(|i| row(1).get(i)).map_or("", String::as_str);
                if !second.eq_ignore_ascii_case("Response ID") && !second.is_empty() {
                    return Err(data_error(&format!(
                        "row 2 is data (its response id is '{second}'), where Qualtrics writes the question texts"
                    )));
                }
                let third = row(2)
                    .iter()
                    .find(|c| !c.is_empty())
                    .map_or("", String::as_str);
                Ok(if third.starts_with("{\"ImportId\"") {
                    3
                } else {
                    2
                })
            }
            Platform::SurveyMonkey => {
                let id =
                    col("Respondent ID").map_or("", |i| row(1).get(i).map_or("", String::as_str));
                if !id.is_empty() {
                    return Err(data_error(&format!(
                        "row 2 is data (respondent '{id}'), where SurveyMonkey writes the options and matrix rows"
                    )));
                }
                Ok(2)
            }
            Platform::Kobo => {
                // A second header row of HXL hashtags (#indicator+…) when the form has them.
                let second = row(1);
                let hxl = second.iter().any(|c| c.starts_with('#'))
                    && second.iter().all(|c| c.is_empty() || c.starts_with('#'));
                Ok(if hxl { 2 } else { 1 })
            }
            _ => Ok(1),
        }
    }

    /// One header name per column: the first row, with SurveyMonkey's option row and
    /// Qualtrics' question-text row folded in as `question / sub` (the question carried right
    /// over the blank cells of a merged heading).
    fn folded_header(&self, header_rows: u64) -> Vec<String> {
        let first = &self.rows[0].cells;
        match (self.platform, header_rows) {
            (Platform::SurveyMonkey, _) => {
                let sub = &self.rows[1].cells;
                let mut carried = String::new();
                first
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        let s = sub.get(i).map_or("", String::as_str);
                        if !h.is_empty() {
                            carried = h.clone();
                        }
                        if s.is_empty() || s == "Response" || s == "Open-Ended Response" {
                            if h.is_empty() {
                                format!("{carried} / {i}")
                            } else {
                                h.clone()
                            }
                        } else {
                            format!("{carried} / {s}")
                        }
                    })
                    .collect()
            }
            _ => first.clone(),
        }
    }

    /// The question text row of a Qualtrics export, for matching.
    fn qualtrics_text(&self, i: usize) -> Option<&str> {
        (self.platform == Platform::Qualtrics)
            .then(|| self.rows.get(1).and_then(|r| r.cells.get(i)))
            .flatten()
            .map(String::as_str)
    }

    /// What becomes of one column: a question, an option of a multiple-choice question, kept
    /// as it is (metadata, unmatched) or dropped.
    fn column(&self, h: &str, header: &[String]) -> Col {
        let i = header.iter().position(|x| x == h).unwrap_or(0);
        if metadata(self.platform).iter().any(|(n, _)| *n == h) {
            return Col::Keep(h.to_string());
        }
        if self.platform == Platform::Qualtrics && h.ends_with("_NPS_GROUP") {
            return Col::Drop;
        }
        let qs = self.questions;
        // A `--map` rename names the question (or `qid/code` option) itself.
        if let Some((_, t)) = self.map.iter().find(|(from, _)| from == h) {
            if qs.iter().any(|q| &q.id == t) {
                return Col::Keep(t.clone());
            }
            if let Some((base, opt)) = t.rsplit_once('/')
                && let Some(qi) = qs.iter().position(|q| q.id == base)
                && let Some(c) = choice_code(qs[qi], opt)
            {
                return Col::Option(format!("{base}/{c}"));
            }
            return Col::Keep(h.to_string());
        }
        let keep_q = |qi: usize| Col::Keep(qs[qi].id.clone());
        let option = |qi: usize, opt: &str| {
            choice_code(qs[qi], opt).map(|c| Col::Option(format!("{}/{c}", qs[qi].id)))
        };
        let is_multi = |qi: usize| qs[qi].kind == QuestionKind::Multiple;
        let find = |k: &str| find_question(qs, k);
        match self.platform {
            Platform::Qualtrics => {
                let text = self.qualtrics_text(i).unwrap_or("");
                let row_label = text.rsplit_once(" - ").map_or("", |(_, r)| r);
                for key in [h, text, row_label] {
                    if let Some((qi, _)) = find(key) {
                        return keep_q(qi);
                    }
                }
            }
            Platform::SurveyMonkey => {
                if let Some((qi, How::Id | How::Text)) = find(h) {
                    return keep_q(qi);
                }
                if let Some((q, sub)) = h.rsplit_once(" / ") {
                    if let Some((qi, _)) = find(q)
                        && is_multi(qi)
                    {
                        if let Some(c) = option(qi, sub) {
                            return c;
                        }
                        return Col::Keep(format!("{}_other", qs[qi].id));
                    }
                    if let Some((qi, _)) = find(sub) {
                        return keep_q(qi);
                    }
                }
            }
            Platform::LimeSurvey => {
                if let Some((qi, _)) = find(h) {
                    return keep_q(qi);
                }
                if let Some((base, opt)) = h.strip_suffix(']').and_then(|r| r.rsplit_once('[')) {
                    if let Some((qi, _)) = find(base.trim())
                        && is_multi(qi)
                        && let Some(c) = option(qi, opt)
                    {
                        return c;
                    }
                    if let Some((qi, _)) = find(opt) {
                        return keep_q(qi);
                    }
                }
            }
            Platform::Kobo => {
                let parts: Vec<&str> = h.split('/').collect();
                let last = parts[parts.len() - 1];
                if let Some((qi, _)) = find(h).or_else(|| find(last)) {
                    // The summary column of a multiple-choice question is dropped when its
                    // one-column-per-option form is there too.
                    if is_multi(qi) && header.iter().any(|o| o.starts_with(&format!("{h}/"))) {
                        return Col::Drop;
                    }
                    return keep_q(qi);
                }
                if parts.len() >= 2
                    && let Some((qi, _)) = find(parts[parts.len() - 2])
                    && is_multi(qi)
                    && let Some(c) = option(qi, last)
                {
                    return c;
                }
            }
            Platform::Wjx => {
                let stripped = strip_number(h);
                if let Some((qi, _)) = find(h).or_else(|| find(stripped)) {
                    return keep_q(qi);
                }
                if let Some((outer, inner)) = split_bracketed(stripped) {
                    if let Some((qi, _)) = find(outer)
                        && is_multi(qi)
                        && let Some(c) = option(qi, inner)
                    {
                        return c;
                    }
                    if let Some((qi, _)) = find(inner) {
                        return keep_q(qi);
                    }
                }
            }
            Platform::Tencent => {
                let stripped = strip_number(h);
                if let Some((qi, _)) = find(h).or_else(|| find(stripped)) {
                    return keep_q(qi);
                }
                if let Some((q, sub)) = stripped.rsplit_once(':') {
                    if let Some((qi, _)) = find(q)
                        && is_multi(qi)
                        && let Some(c) = option(qi, sub)
                    {
                        return c;
                    }
                    if let Some((qi, _)) = find(sub) {
                        return keep_q(qi);
                    }
                }
            }
        }
        Col::Keep(h.to_string())
    }

    /// Drop a column without a header and without a value (Tencent ends every line with a
    /// comma).
    fn drop_empty_unnamed(&mut self, header: &[String], cols: &mut [Col], body_from: usize) {
        for (i, h) in header.iter().enumerate() {
            if h.is_empty()
                && self.rows[body_from..]
                    .iter()
                    .all(|r| r.cells.get(i).is_none_or(|c| c.is_empty()))
            {
                cols[i] = Col::Drop;
            }
        }
    }

    /// Choice answers written as the platform writes them become choice codes: a
    /// single-choice label or choice name, a `┋`-, comma- or space-joined multiple choice.
    fn recode_values(&mut self, cols: &[Col], body_from: usize) {
        let qs = self.questions;
        let targets: Vec<(usize, &Question)> = cols
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                Col::Keep(id) => qs
                    .iter()
                    .find(|q| &q.id == id)
                    .filter(|q| q.kind != QuestionKind::Text && q.kind != QuestionKind::Numeric)
                    .map(|q| (i, *q)),
                _ => None,
            })
            .collect();
        let mut unknown = 0u64;
        for row in self.rows.iter_mut().skip(body_from) {
            for &(i, q) in &targets {
                let Some(cell) = row.cells.get_mut(i) else {
                    continue;
                };
                if cell.is_empty() || cell == "(空)" {
                    cell.clear();
                    continue;
                }
                let coded = match q.kind {
                    QuestionKind::Single => choice_code(q, cell).map(|c| c.to_string()),
                    QuestionKind::Multiple => multiple_codes(q, cell, self.platform),
                    _ => {
                        if cell.parse::<f64>().is_ok() {
                            continue;
                        }
                        headers::scale_code(self.survey.question_scale(q), cell)
                            .map(|c| c.to_string())
                    }
                };
                match coded {
                    Some(c) => *cell = c,
                    None => unknown += 1,
                }
            }
        }
        if unknown > 0 {
            self.notes.push(format!(
                "{unknown} choice answer{} matched no choice of its question and {} checked by the import as written",
                if unknown == 1 { "" } else { "s" },
                if unknown == 1 { "is" } else { "are" }
            ));
        }
    }
}

/// The codes of a multiple-choice answer, `;`-joined; `None` when a part matches no choice.
fn multiple_codes(q: &Question, cell: &str, platform: Platform) -> Option<String> {
    let mut codes: Vec<i32> = Vec::new();
    let mut rest = cell.to_string();
    // Whole choice labels first (longest first), as labels may hold the separator.
    let mut by_len: Vec<(usize, &String)> = q.choices.iter().enumerate().collect();
    by_len.sort_by_key(|(_, c)| std::cmp::Reverse(c.chars().count()));
    if platform == Platform::Qualtrics {
        for (k, label) in by_len {
            if let Some(p) = find_part(&rest, label, ',') {
                codes.push(k as i32 + 1);
                rest.replace_range(p..p + label.len(), "");
            }
        }
    }
    let seps: &[char] = match platform {
        Platform::Wjx => &['┋', '|'],
        Platform::Kobo => &[' '],
        _ => &['┋', ',', ';', '|', '、', '，', '；'],
    };
    for part in rest.split(seps).map(str::trim).filter(|p| !p.is_empty()) {
        codes.push(choice_code(q, part)?);
    }
    codes.sort_unstable();
    codes.dedup();
    Some(
        codes
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(";"),
    )
}

/// Where `label` stands in `s` as a whole part between `sep`s.
fn find_part(s: &str, label: &str, sep: char) -> Option<usize> {
    let mut from = 0;
    while let Some(off) = s[from..].find(label) {
        let p = from + off;
        let before = s[..p].chars().next_back();
        let after = s[p + label.len()..].chars().next();
        if before.is_none_or(|c| c == sep) && after.is_none_or(|c| c == sep) {
            return Some(p);
        }
        from = p + label.len().max(1);
    }
    None
}

/// Seconds from a completion time as platforms write it: `312`, `312.5`, `120秒`, `2分30秒`,
/// `1小时2分`, `00:05:12`, `5:12`, `PT5M12S`, `312s`.
pub fn parse_duration(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(x) = s.parse::<f64>() {
        return Some(x);
    }
    if let Some(iso) = s.strip_prefix("PT").or_else(|| s.strip_prefix("P0DT")) {
        return sum_units(iso, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)]);
    }
    if s.contains(':') {
        let parts: Vec<f64> = s
            .split(':')
            .map(|p| p.trim().parse::<f64>())
            .collect::<std::result::Result<_, _>>()
            .ok()?;
        return match parts[..] {
            [m, sec] => Some(m * 60.0 + sec),
            [h, m, sec] => Some(h * 3600.0 + m * 60.0 + sec),
            _ => None,
        };
    }
    let s = s
        .replace("小时", "H")
        .replace("时", "H")
        .replace("分钟", "M")
        .replace("分", "M")
        .replace("秒", "S")
        .replace("min", "M")
        .replace('h', "H")
        .replace('s', "S");
    sum_units(&s, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])
}

fn sum_units(s: &str, units: &[(char, f64)]) -> Option<f64> {
    let mut total = 0.0;
    let mut num = String::new();
    let mut any = false;
    for c in s.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
        } else if c.is_whitespace() {
        } else {
            let (_, f) = units.iter().find(|(u, _)| *u == c)?;
            total += num.parse::<f64>().ok()? * f;
            num.clear();
            any = true;
        }
    }
    if !num.is_empty() {
        return None;
    }
    any.then_some(total)
}

fn fmt_secs(x: f64) -> String {
    let mut s = String::new();
    super::sources::push_number(&mut s, (x * 1000.0).round() / 1000.0);
    s
}

/// Seconds since 1970 of a timestamp as platforms write it: ISO 8601 with or without `T`,
/// fraction and offset (`2026-11-02T10:25:11.562+08:00`), `2026/11/02 09:14:03`, and
/// SurveyMonkey's `11/02/2026 09:52:42 AM`. Without an offset the time is taken as UTC, which
/// is right for differences within one file.
pub fn parse_timestamp(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (date, rest) = s.split_once(['T', ' ']).unwrap_or((s, ""));
    let d: Vec<&str> = date.split(['-', '/']).collect();
    let (y, m, day) = match d[..] {
        [a, b, c] if a.len() == 4 => (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?),
        [a, b, c] if c.len() == 4 => (c.parse().ok()?, a.parse().ok()?, b.parse().ok()?),
        _ => return None,
    };
    let mut rest = rest.trim();
    let mut pm = None;
    if let Some(r) = rest.strip_suffix("PM").or_else(|| rest.strip_suffix("pm")) {
        pm = Some(true);
        rest = r.trim();
    } else if let Some(r) = rest.strip_suffix("AM").or_else(|| rest.strip_suffix("am")) {
        pm = Some(false);
        rest = r.trim();
    }
    // Offset: Z, +08:00, -0500.
    let mut offset = 0.0;
    if let Some(r) = rest.strip_suffix('Z') {
        rest = r;
    } else if let Some(p) = rest.rfind(['+', '-'])
        && p > 0
    {
        let o = &rest[p + 1..].replace(':', "");
        if o.len() == 4 {
            let hh: f64 = o[..2].parse().ok()?;
            let mm: f64 = o[2..].parse().ok()?;
            let sign = if rest.as_bytes()[p] == b'+' {
                1.0
            } else {
                -1.0
            };
            offset = sign * (hh * 3600.0 + mm * 60.0);
            rest = &rest[..p];
        }
    }
    let t: Vec<&str> = if rest.is_empty() {
        vec![]
    } else {
        rest.split(':').collect()
    };
    let num = |k: usize| t.get(k).map_or(Some(0.0), |v| v.parse::<f64>().ok());
    let mut h = num(0)?;
    match pm {
        Some(true) if h < 12.0 => h += 12.0,
        Some(false) if h == 12.0 => h = 0.0,
        _ => {}
    }
    let secs = h * 3600.0 + num(1)? * 60.0 + num(2)?;
    let days = days_from_civil(y, m, day)?;
    Some(days as f64 * 86_400.0 + secs - offset)
}

/// Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The header normalisation, for callers outside this module.
pub use headers::normalise;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_read_in_every_written_form() {
        assert_eq!(parse_duration("120秒"), Some(120.0));
        assert_eq!(parse_duration("2分30秒"), Some(150.0));
        assert_eq!(parse_duration("1小时2分"), Some(3720.0));
        assert_eq!(parse_duration("00:05:12"), Some(312.0));
        assert_eq!(parse_duration("PT5M12S"), Some(312.0));
        assert_eq!(parse_duration("312"), Some(312.0));
        assert_eq!(parse_duration("soon"), None);
    }

    #[test]
    fn timestamps_differ_by_their_seconds() {
        let a = parse_timestamp("2026-11-02T10:25:11.562+08:00").unwrap();
        let b = parse_timestamp("2026-11-02T10:30:51.834+08:00").unwrap();
        assert!((b - a - 340.272).abs() < 1e-6);
        let a = parse_timestamp("11/02/2026 11:52:42 AM").unwrap();
        let b = parse_timestamp("11/02/2026 12:01:00 PM").unwrap();
        assert_eq!(b - a, 498.0);
        assert_eq!(parse_timestamp("1970-01-02 00:00:00Z"), Some(86_400.0));
        assert_eq!(
            parse_timestamp("2026-01-01T08:00:00+08:00"),
            parse_timestamp("2026-01-01 00:00:00")
        );
    }

    #[test]
    fn numbered_and_bracketed_headers_are_taken_apart() {
        assert_eq!(strip_number("1、您的性别："), "您的性别：");
        assert_eq!(
            strip_number("2.您使用过哪些产品？:宽带"),
            "您使用过哪些产品？:宽带"
        );
        assert_eq!(strip_number("q_s1"), "q_s1");
        assert_eq!(headers::bracketed("3(服务态度)"), Some("服务态度"));
    }
}
