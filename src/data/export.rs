//! The clean table in the formats other tools read: SPSS (.sav, .zsav) with variable labels
//! (question texts), value labels (scale points and choices) and the "not applicable" code as
//! user-missing; Excel (.xlsx) with the data and a codebook sheet.
//!
//! A multiple-choice question, one `1;3` cell in the table, becomes one 0/1 variable per option
//! (`q_buy_1` … `q_buy_3`) in SPSS, as SPSS users expect and as satkit reads back.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use ambers::{Compression, Measure, MissingSpec, SpssMetadata, Value};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType as ArrowType, Field, Schema};
use polars::prelude::{AnyValue, DataType};

use super::table::ResponseTable;
use crate::error::{Error, Result};
use crate::model::{Question, QuestionKind, Survey};

/// One variable to write: its name, values and labels.
struct Variable {
    name: String,
    label: Option<String>,
    values: Values,
    value_labels: Vec<(f64, String)>,
    missing: Vec<f64>,
    measure: Measure,
}

enum Values {
    Num(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::bad_data(
        path,
        None,
        None,
        format!("could not be written: {e}"),
        "check the output path, or write .parquet or .csv instead",
    )
}

/// The table's columns as variables, multiple-choice questions split into 0/1 options.
fn variables(table: &ResponseTable, survey: &Survey) -> Result<Vec<Variable>> {
    let questions: HashMap<&str, &Question> =
        survey.all_questions().map(|q| (q.id.as_str(), q)).collect();
    let zh = survey.meta.language == crate::model::Language::Zh;
    let not_selected = if zh { "未选" } else { "not selected" };
    let mut out = Vec::new();
    for col in table.df.columns() {
        let mut name = col.name().to_string();
        if name == super::table::LINE_COLUMN {
            // The source line, under the name satkit reads back as an attribute.
            name = "source_line".into();
        }
        let s = col.as_materialized_series();
        let q = questions.get(name.as_str()).copied();
        if let Some(q) = q
            && q.kind == QuestionKind::Multiple
        {
            let cells: Vec<Option<String>> = s
                .str()
                .map_err(|e| Error::usage(format!("column {name}: {e}"), ""))?
                .iter()
                .map(|v| v.map(str::to_string))
                .collect();
            for (k, choice) in q.choices.iter().enumerate() {
                let code = (k + 1).to_string();
                let values = cells
                    .iter()
                    .map(|c| {
                        c.as_ref()
                            .map(|c| f64::from(u8::from(c.split(';').any(|x| x == code))))
                    })
                    .collect();
                out.push(Variable {
                    name: format!("{name}_{}", k + 1),
                    label: Some(format!("{}: {choice}", q.text)),
                    values: Values::Num(values),
                    value_labels: vec![(0.0, not_selected.to_string()), (1.0, choice.clone())],
                    missing: Vec::new(),
                    measure: Measure::Nominal,
                });
            }
            continue;
        }
        let values = match s.dtype() {
            DataType::String => Values::Text(
                s.str()
                    .map_err(|e| Error::usage(format!("column {name}: {e}"), ""))?
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect(),
            ),
            _ => Values::Num(
                (0..s.len())
                    .map(|i| match s.get(i) {
                        Ok(AnyValue::Boolean(b)) => Some(f64::from(u8::from(b))),
                        Ok(v) => v.extract::<f64>(),
                        Err(_) => None,
                    })
                    .collect(),
            ),
        };
        let (label, value_labels, missing, measure) = match q {
            Some(q) => describe(survey, q),
            None => (None, Vec::new(), Vec::new(), measure_of(&values)),
        };
        out.push(Variable {
            name,
            label,
            values,
            value_labels,
            missing,
            measure,
        });
    }
    Ok(out)
}

fn measure_of(v: &Values) -> Measure {
    match v {
        Values::Num(_) => Measure::Scale,
        Values::Text(_) => Measure::Nominal,
    }
}

/// A question's label, value labels, user-missing codes and level of measurement.
type Description = (Option<String>, Vec<(f64, String)>, Vec<f64>, Measure);

fn describe(survey: &Survey, q: &Question) -> Description {
    let label = Some(q.text.clone());
    match q.kind {
        QuestionKind::Rating | QuestionKind::Nps => {
            let mut labels = Vec::new();
            let mut missing = Vec::new();
            if let Some(sc) = survey.question_scale(q) {
                for (i, l) in sc.labels.iter().enumerate() {
                    if !l.is_empty() {
                        labels.push(((sc.min + i as i64) as f64, l.clone()));
                    }
                }
                if let Some(na) = sc.na_code {
                    let zh = survey.meta.language == crate::model::Language::Zh;
                    let fallback = if zh { "不适用" } else { "Not applicable" };
                    labels.push((
                        na as f64,
                        sc.na_label.clone().unwrap_or_else(|| fallback.to_string()),
                    ));
                    missing.push(na as f64);
                }
            }
            (label, labels, missing, Measure::Ordinal)
        }
        QuestionKind::Single => (
            label,
            q.choices
                .iter()
                .enumerate()
                .map(|(i, c)| ((i + 1) as f64, c.clone()))
                .collect(),
            Vec::new(),
            Measure::Nominal,
        ),
        QuestionKind::Numeric => (label, Vec::new(), Vec::new(), Measure::Scale),
        _ => (label, Vec::new(), Vec::new(), Measure::Nominal),
    }
}

/// A valid, unique SPSS variable name: letters, digits and `_ . @ # $`, starting with a
/// letter, at most 64 bytes.
fn spss_name(name: &str, taken: &mut Vec<String>) -> String {
    let mut n: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '.' | '@' | '#' | '$') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !n.chars().next().is_some_and(char::is_alphabetic) {
        n = format!("v{n}");
    }
    while n.len() > 64 {
        n.pop();
    }
    let base = n.clone();
    let mut k = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&n)) {
        n = format!("{}_{k}", &base[..base.len().min(60)]);
        k += 1;
    }
    taken.push(n.clone());
    n
}

/// Write the table as SPSS: .zsav files are zlib-compressed, .sav bytecode-compressed.
///
/// # Errors
/// A table ambers cannot write, or I/O errors.
pub fn write_sav(table: &ResponseTable, survey: &Survey, path: &Path) -> Result<()> {
    let vars = variables(table, survey)?;
    let mut taken = Vec::new();
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut meta_rows = Vec::new();
    for v in vars {
        let name = spss_name(&v.name, &mut taken);
        let label = match (&v.label, name == v.name) {
            (Some(l), _) => Some(l.clone()),
            (None, false) => Some(v.name.clone()),
            (None, true) => None,
        };
        match &v.values {
            Values::Num(x) => {
                fields.push(Field::new(&name, ArrowType::Float64, true));
                arrays.push(Arc::new(Float64Array::from(x.clone())));
            }
            Values::Text(x) => {
                fields.push(Field::new(&name, ArrowType::Utf8, true));
                arrays.push(Arc::new(StringArray::from(x.clone())));
            }
        }
        meta_rows.push((name, label, v));
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| write_error(path, e))?;
    let mut meta = SpssMetadata::from_arrow_schema(&schema);
    meta.file_label = survey.meta.title.chars().take(64).collect();
    for (name, label, v) in meta_rows {
        if let Some(l) = label {
            meta.variable_labels.insert(name.clone(), l);
        }
        if !v.value_labels.is_empty() {
            meta.variable_value_labels.insert(
                name.clone(),
                v.value_labels
                    .iter()
                    .map(|(c, l)| (Value::Numeric(*c), l.clone()))
                    .collect(),
            );
        }
        if !v.missing.is_empty() {
            meta.variable_missing_values.insert(
                name.clone(),
                v.missing.iter().map(|x| MissingSpec::Value(*x)).collect(),
            );
        }
        meta.variable_measures.insert(name.clone(), v.measure);
        match &v.values {
            Values::Text(x) => {
                let width = x
                    .iter()
                    .flatten()
                    .map(String::len)
                    .max()
                    .unwrap_or(1)
                    .clamp(1, 32_767);
                meta.variable_formats
                    .insert(name.clone(), format!("A{width}"));
                meta.variable_storage_widths.insert(name.clone(), width);
                meta.variable_display_widths
                    .insert(name.clone(), width.min(40) as u32);
            }
            Values::Num(x) => {
                let integral = x.iter().flatten().all(|v| v.fract() == 0.0);
                let fmt = if integral { "F8.0" } else { "F12.4" };
                meta.variable_formats.insert(name.clone(), fmt.to_string());
            }
        }
    }
    let compression = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zsav"))
    {
        Compression::Zlib
    } else {
        Compression::Bytecode
    };
    let mut buf = Cursor::new(Vec::new());
    ambers::write_sav_to_writer(&mut buf, &batch, &meta, compression, None)
        .map_err(|e| write_error(path, e))?;
    crate::output::write_atomic(path, &buf.into_inner())
}

/// Write the table as an Excel workbook: a `responses` sheet (numbers as numbers, a
/// multiple-choice answer as its `1;3` codes) and a `codebook` sheet with every variable's
/// question text, type and codes.
///
/// # Errors
/// I/O errors, or a table larger than a sheet (1,048,576 rows, 16,384 columns).
pub fn write_xlsx(table: &ResponseTable, survey: &Survey, path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let x = |e: rust_xlsxwriter::XlsxError| write_error(path, e);
    let rows = table.height();
    if rows >= 1_048_576 || table.df.width() > 16_384 {
        return Err(Error::usage(
            format!(
                "{rows} rows × {} columns do not fit on one Excel sheet (1,048,575 × 16,384)",
                table.df.width()
            ),
            "write .parquet, .csv or .sav instead",
        ));
    }
    let questions: HashMap<&str, &Question> =
        survey.all_questions().map(|q| (q.id.as_str(), q)).collect();
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("responses").map_err(x)?;
    for (c, col) in table.df.columns().iter().enumerate() {
        let c = c as u16;
        sheet
            .write_string_with_format(0, c, col.name().as_str(), &bold)
            .map_err(x)?;
        let s = col.as_materialized_series();
        for r in 0..rows {
            let row = r as u32 + 1;
            match s.get(r) {
                Ok(AnyValue::Null) | Err(_) => {}
                Ok(AnyValue::String(t)) => {
                    sheet.write_string(row, c, t).map_err(x)?;
                }
                Ok(AnyValue::StringOwned(t)) => {
                    sheet.write_string(row, c, t.as_str()).map_err(x)?;
                }
                Ok(AnyValue::Boolean(b)) => {
                    sheet.write_boolean(row, c, b).map_err(x)?;
                }
                Ok(v) => {
                    if let Some(f) = v.extract::<f64>() {
                        sheet.write_number(row, c, f).map_err(x)?;
                    }
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(x)?;
    let code = book.add_worksheet();
    code.set_name("codebook").map_err(x)?;
    for (c, h) in ["variable", "question", "type", "codes", "not applicable"]
        .iter()
        .enumerate()
    {
        code.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(x)?;
    }
    for (r, col) in table.df.columns().iter().enumerate() {
        let row = r as u32 + 1;
        let name = col.name().as_str();
        code.write_string(row, 0, name).map_err(x)?;
        let Some(q) = questions.get(name) else {
            continue;
        };
        code.write_string(row, 1, &q.text).map_err(x)?;
        code.write_string(row, 2, q.kind.as_str()).map_err(x)?;
        let (_, labels, missing, _) = describe(survey, q);
        let mut codes: Vec<String> = labels
            .iter()
            .filter(|(c, _)| !missing.contains(c))
            .map(|(c, l)| format!("{c}={l}"))
            .collect();
        if q.kind == QuestionKind::Multiple {
            codes = q
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{}={c}", i + 1))
                .collect();
        }
        code.write_string(row, 3, codes.join("; ")).map_err(x)?;
        if let Some(na) = missing.first() {
            let l = labels
                .iter()
                .find(|(c, _)| c == na)
                .map_or("", |(_, l)| l.as_str());
            code.write_string(row, 4, format!("{na}={l}")).map_err(x)?;
        }
    }
    let bytes = book.save_to_buffer().map_err(x)?;
    crate::output::write_atomic(path, &bytes)
}
