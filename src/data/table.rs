//! The respondent table: a polars `DataFrame` with one row per respondent and typed columns
//! (Int32 codes for rating, NPS and single-choice items; Float64 for numeric items, weights and
//! durations; String for ids, attributes, open text and multiple choice as "1;3"), the quality
//! flags as Boolean columns, and `_line`, the source line of each respondent.
//!
//! Parquet files carry the survey id and version in their key-value metadata, so analysis can
//! refuse data that belongs to another survey.

use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::Survey;
/// Re-exported from its home in the infrastructure layer for the callers of its old path.
pub use crate::output::neutralise_formula;
use crate::stats::codes::{Code, Codes};

/// The code of a missing cell in [`ColumnData::Int`].
pub const MISSING_INT: i32 = i32::MIN;

/// Column buffers filled during import.
pub enum ColumnData {
    /// Integer codes, [`MISSING_INT`] where missing: 4 bytes a cell, handed to polars without a
    /// copy.
    Int(Vec<i32>),
    Float(Vec<Option<f64>>),
    Str(TextColumn),
}

/// Text cells stored back to back in one buffer (no allocation per cell), with the end offset
/// and presence of each cell.
#[derive(Debug, Default, Clone)]
pub struct TextColumn {
    bytes: String,
    ends: Vec<usize>,
    present: Vec<bool>,
}

impl TextColumn {
    /// An empty column with room for `rows` cells.
    pub fn with_capacity(rows: usize) -> TextColumn {
        TextColumn {
            bytes: String::new(),
            ends: Vec::with_capacity(rows),
            present: Vec::with_capacity(rows),
        }
    }

    pub fn push(&mut self, value: Option<&str>) {
        if let Some(v) = value {
            self.bytes.push_str(v);
        }
        self.ends.push(self.bytes.len());
        self.present.push(value.is_some());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether each cell holds a value.
    pub fn present(&self) -> &[bool] {
        &self.present
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        if !*self.present.get(i)? {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.bytes[start..self.ends[i]])
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .zip(&self.present)
            .map(|((a, &b), &p)| p.then(|| &self.bytes[a..b]))
    }

    /// Append the cells of `other` after these.
    pub fn append(&mut self, other: TextColumn) {
        let base = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|e| e + base));
        self.present.extend(other.present);
    }
}

/// Metadata keys written into Parquet files.
pub const META_SURVEY_ID: &str = "satkit.survey_id";
pub const META_SURVEY_VERSION: &str = "satkit.survey_version";
/// The column holding each respondent's source line.
pub const LINE_COLUMN: &str = "_line";
/// The Boolean column that is true for a respondent with any quality flag (set by
/// [`super::quality`], which re-exports it; defined here so the table need not import quality).
pub const FLAGGED: &str = "flagged";

pub struct ResponseTable {
    pub df: DataFrame,
    pub survey_id: String,
    pub survey_version: String,
    pub id_column: Option<String>,
}

/// A validity bitmap, or none when every value is present.
fn validity(
    present: impl Iterator<Item = bool>,
    len: usize,
) -> Option<polars_arrow::bitmap::Bitmap> {
    let bits: polars_arrow::bitmap::MutableBitmap = present.collect();
    (bits.unset_bits() > 0 || len == 0).then(|| bits.into())
}

fn polars_err(e: PolarsError) -> Error {
    Error::usage(format!("data table error: {e}"), "")
}

impl ResponseTable {
    /// Build the table from import buffers.
    ///
    /// # Errors
    /// Only when polars rejects columns of unequal length, which import never produces.
    pub fn from_columns(
        survey: &Survey,
        cols: Vec<(String, ColumnData)>,
        lines: Vec<u64>,
        id_column: Option<String>,
    ) -> Result<ResponseTable> {
        let height = lines.len();
        // Columns are built on a few threads: each is independent, and the order is kept.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let mut columns: Vec<Column> = crate::par::map_owned(cols, threads, |(name, data)| {
            let s = match data {
                ColumnData::Int(mut v) => {
                    let validity = validity(v.iter().map(|x| *x != MISSING_INT), v.len());
                    // Null slots hold 0, so the bytes written never depend on the sentinel.
                    v.iter_mut()
                        .filter(|x| **x == MISSING_INT)
                        .for_each(|x| *x = 0);
                    Int32Chunked::from_vec_validity(name.as_str().into(), v, validity).into_series()
                }
                ColumnData::Float(v) => {
                    let validity = validity(v.iter().map(Option::is_some), v.len());
                    let values: Vec<f64> = v.iter().map(|x| x.unwrap_or(0.0)).collect();
                    Float64Chunked::from_vec_validity(name.as_str().into(), values, validity)
                        .into_series()
                }
                ColumnData::Str(v) => {
                    StringChunked::from_iter_options(name.as_str().into(), v.iter()).into_series()
                }
            };
            s.into_column()
        });
        columns.push(
            UInt64Chunked::from_vec(LINE_COLUMN.into(), lines)
                .into_series()
                .into_column(),
        );
        let df = DataFrame::new(height, columns).map_err(polars_err)?;
        Ok(ResponseTable {
            df,
            survey_id: survey.meta.id.clone(),
            survey_version: survey.meta.version.clone(),
            id_column,
        })
    }

    pub fn height(&self) -> usize {
        self.df.height()
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.df.column(name).is_ok()
    }

    /// A numeric column as f64 with NaN for missing (codes, numbers, weights).
    ///
    /// # Errors
    /// A missing or non-numeric column.
    pub fn f64_column(&self, name: &str) -> Result<Vec<f64>> {
        let col = self.df.column(name).map_err(|_| {
            Error::usage(
                format!("the data has no column '{name}'"),
                "import the responses with the same survey file",
            )
        })?;
        let s = col.as_materialized_series();
        let out: Vec<f64> = match s.dtype() {
            DataType::Int32 => {
                // Chunk by chunk: the values converted in one go, then NaN where the validity
                // bitmap says missing (much faster than the per-row Option iterator).
                let ca = s.i32().map_err(polars_err)?;
                let mut out = Vec::with_capacity(ca.len());
                for arr in ca.downcast_iter() {
                    let start = out.len();
                    out.extend(arr.values().iter().map(|&v| f64::from(v)));
                    if let Some(valid) = arr.validity().filter(|b| b.unset_bits() > 0) {
                        for (o, ok) in out[start..].iter_mut().zip(valid.iter()) {
                            if !ok {
                                *o = f64::NAN;
                            }
                        }
                    }
                }
                out
            }
            DataType::Int64 => s
                .i64()
                .map_err(polars_err)?
                .iter()
                .map(|v| v.map_or(f64::NAN, |x| x as f64))
                .collect(),
            DataType::Float64 => s
                .f64()
                .map_err(polars_err)?
                .iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect(),
            DataType::UInt64 => s
                .u64()
                .map_err(polars_err)?
                .iter()
                .map(|v| v.map_or(f64::NAN, |x| x as f64))
                .collect(),
            other => {
                return Err(Error::usage(
                    format!("column '{name}' has type {other}, expected numbers"),
                    "re-import the responses with `satkit import`",
                ));
            }
        };
        Ok(out)
    }

    /// An Int32 column as codes counted from its smallest value (narrow codes when it spans at
    /// most 255 values), with that smallest and largest value. `None` for another type, a
    /// missing column, a column without values, or a range wider than `max_span` values.
    pub fn int_column_coded(&self, name: &str, max_span: i64) -> Option<(i64, i64, Codes)> {
        let s = self.df.column(name).ok()?.as_materialized_series();
        if s.dtype() != &DataType::Int32 {
            return None;
        }
        let ca = s.i32().ok()?;
        // The raw range over every slot (null slots hold whatever values they hold), in
        // straight passes over each chunk.
        let (mut base, mut top) = (i32::MAX, i32::MIN);
        for arr in ca.downcast_iter() {
            let v = arr.values().as_slice();
            base = v.iter().fold(base, |a, &b| a.min(b));
            top = v.iter().fold(top, |a, &b| a.max(b));
        }
        if ca.is_empty() {
            return None;
        }
        let span = i64::from(top) - i64::from(base);
        if span < u8::MAX_VALUES as i64 {
            let (lo, hi, codes) = int_codes::<u8>(ca, base)?;
            (hi - lo < max_span).then_some((lo, hi, Codes::Narrow(codes)))
        } else if span < i64::from(u32::MISSING) {
            // Null slots (zeros, say) can widen the raw range of values that fit one byte.
            let (lo, hi, codes) = int_codes::<u32>(ca, base)?;
            let k = (hi - lo + 1) as usize;
            (hi - lo < max_span).then(|| (lo, hi, Codes::from_wide(codes, k)))
        } else {
            // Codes this far apart could collide with the missing code.
            None
        }
    }

    /// The smallest and largest value of an integer column (Int32 or Int64), or `None` for
    /// another type, a missing column or no values. Lets a caller code the column to its integer
    /// range without scanning it first.
    pub fn int_range(&self, name: &str) -> Option<(i64, i64)> {
        let s = self.df.column(name).ok()?.as_materialized_series();
        match s.dtype() {
            DataType::Int32 => {
                // Over the raw chunk values (polars' own min/max walk the set bits one by one).
                let ca = s.i32().ok()?;
                let (mut lo, mut hi) = (i32::MAX, i32::MIN);
                let mut any = false;
                for arr in ca.downcast_iter() {
                    match arr.validity().filter(|b| b.unset_bits() > 0) {
                        None => {
                            for &v in arr.values().iter() {
                                lo = lo.min(v);
                                hi = hi.max(v);
                                any = true;
                            }
                        }
                        Some(valid) => {
                            for (&v, ok) in arr.values().iter().zip(valid.iter()) {
                                if ok {
                                    lo = lo.min(v);
                                    hi = hi.max(v);
                                    any = true;
                                }
                            }
                        }
                    }
                }
                any.then(|| (i64::from(lo), i64::from(hi)))
            }
            DataType::Int64 => {
                let ca = s.i64().ok()?;
                Some((ca.min()?, ca.max()?))
            }
            _ => None,
        }
    }

    /// An Int32 code column (None for missing).
    ///
    /// # Errors
    /// A missing or non-integer column.
    pub fn code_column(&self, name: &str) -> Result<Vec<Option<i32>>> {
        let col = self
            .df
            .column(name)
            .map_err(|_| Error::usage(format!("the data has no column '{name}'"), ""))?;
        let s = col.as_materialized_series();
        match s.dtype() {
            DataType::Int32 => Ok(s.i32().map_err(polars_err)?.iter().collect()),
            DataType::Int64 => Ok(s
                .i64()
                .map_err(polars_err)?
                .iter()
                .map(|v| v.map(|x| x as i32))
                .collect()),
            other => Err(Error::usage(
                format!("column '{name}' has type {other}, expected integer codes"),
                "",
            )),
        }
    }

    /// A string column (attributes, ids, open text, multiple choice).
    ///
    /// # Errors
    /// A missing column.
    pub fn str_column(&self, name: &str) -> Result<Vec<Option<String>>> {
        let col = self
            .df
            .column(name)
            .map_err(|_| Error::usage(format!("the data has no column '{name}'"), ""))?;
        let s = col
            .as_materialized_series()
            .cast(&DataType::String)
            .map_err(polars_err)?;
        Ok(s.str()
            .map_err(polars_err)?
            .iter()
            .map(|v| v.map(str::to_string))
            .collect())
    }

    pub fn bool_column(&self, name: &str) -> Option<Vec<bool>> {
        let col = self.df.column(name).ok()?;
        let s = col.as_materialized_series();
        Some(s.bool().ok()?.iter().map(|v| v.unwrap_or(false)).collect())
    }

    /// Add or replace a Boolean column.
    ///
    /// # Errors
    /// Length mismatch (a bug).
    pub fn set_bool_column(&mut self, name: &str, values: Vec<bool>) -> Result<()> {
        let s = BooleanChunked::from_slice(name.into(), &values).into_series();
        self.df.with_column(s.into_column()).map_err(polars_err)?;
        Ok(())
    }

    /// Remove flagged respondents; returns the source lines of those removed.
    ///
    /// # Errors
    /// Polars errors (a bug).
    pub fn drop_flagged(&mut self) -> Result<Vec<u64>> {
        let Some(flagged) = self.bool_column(FLAGGED) else {
            return Ok(Vec::new());
        };
        // The source lines of the removed respondents, so the summary can name them.
        let lines = self.f64_column(LINE_COLUMN)?;
        let removed: Vec<u64> = flagged
            .iter()
            .zip(&lines)
            .filter(|(f, _)| **f)
            .map(|(_, l)| *l as u64)
            .collect();
        let keep: BooleanChunked = flagged.iter().map(|f| !f).collect();
        self.df = self.df.filter(&keep).map_err(polars_err)?;
        Ok(removed)
    }

    /// Write Parquet (LZ4) with the survey id and version in the metadata, atomically.
    ///
    /// # Errors
    /// I/O or polars errors.
    pub fn write_parquet(&mut self, path: &Path) -> Result<()> {
        let mut buf: Vec<u8> = Vec::new();
        let meta = KeyValueMetadata::from_static(vec![
            (META_SURVEY_ID.to_string(), self.survey_id.clone()),
            (META_SURVEY_VERSION.to_string(), self.survey_version.clone()),
            (
                "satkit.version".to_string(),
                env!("CARGO_PKG_VERSION").to_string(),
            ),
        ]);
        let mut timer = crate::timing::Timer::new();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        encode_parquet(&mut self.df, &mut buf, meta, ROW_GROUP_ROWS, threads)
            .map_err(|e| Error::usage(format!("could not write Parquet: {e}"), ""))?;
        timer.mark("parquet_encode");
        crate::output::write_atomic(path, &buf)?;
        timer.mark("write");
        Ok(())
    }

    /// Write CSV (UTF-8, comma, header), atomically.
    ///
    /// # Errors
    /// I/O or polars errors.
    pub fn write_csv(&mut self, path: &Path) -> Result<()> {
        // People open the clean CSV in spreadsheets: text cells are guarded against formulas
        // (import takes the guard off again, so the file re-imports to the same values).
        let mut df = self.df.clone();
        let text: Vec<String> = df
            .get_column_names()
            .into_iter()
            .filter(|n| {
                df.column(n.as_str())
                    .is_ok_and(|c| c.dtype() == &DataType::String)
            })
            .map(|n| n.to_string())
            .collect();
        for name in &text {
            let col = df.column(name).map_err(polars_err)?;
            let guarded = StringChunked::from_iter_options(
                name.as_str().into(),
                col.as_materialized_series()
                    .str()
                    .map_err(polars_err)?
                    .iter()
                    .map(|v| v.map(neutralise_formula)),
            );
            df.with_column(guarded.into_series().into_column())
                .map_err(polars_err)?;
        }
        let mut buf: Vec<u8> = Vec::new();
        CsvWriter::new(&mut buf)
            .include_header(true)
            .finish(&mut df)
            .map_err(|e| Error::usage(format!("could not write CSV: {e}"), ""))?;
        crate::output::write_atomic(path, &buf)
    }

    /// Read a Parquet file written by `satkit import` for analysis, refusing one from another
    /// survey. Analysis never reads respondent ids, and a million unique strings are the
    /// costliest column to decode, so the id column is left out. With `only`, just the survey's
    /// questions, its weight column, the `flagged` column and the columns named in `only` are read
    /// (those the file has).
    ///
    /// # Errors
    /// Unreadable files, files without satkit metadata, or a different survey id.
    pub fn read_parquet(
        survey: &Survey,
        path: &Path,
        only: Option<&[String]>,
    ) -> Result<ResponseTable> {
        let mut timer = crate::timing::Timer::new();
        let file = crate::input::open(path)?;
        let mut reader = ParquetReader::new(file);
        let bad = |m: String| {
            Error::bad_data(
                path,
                None,
                None,
                m,
                "import the responses with `satkit import SURVEY.toml RESPONSES.csv -o data.parquet`",
            )
        };
        let kv = reader
            .get_metadata()
            .map_err(|e| bad(format!("is not a readable Parquet file: {e}")))?
            .key_value_metadata()
            .clone()
            .unwrap_or_default();
        let get = |k: &str| kv.iter().find(|m| m.key == k).and_then(|m| m.value.clone());
        let sid = get(META_SURVEY_ID).ok_or_else(|| {
            bad("was not written by satkit import (no survey id in its metadata)".into())
        })?;
        if sid != survey.meta.id {
            return Err(Error::bad_data(
                path,
                None,
                None,
                format!(
                    "holds responses to survey '{sid}', not '{}'",
                    survey.meta.id
                ),
                "pass the survey file that the data was imported with",
            ));
        }
        let id = survey.respondents.id.as_deref();
        let wanted = |n: &str| match only {
            None => true,
            Some(extra) => {
                survey.question(n).is_some()
                    || Some(n) == survey.respondents.weight.as_deref()
                    || n == FLAGGED
                    || extra.iter().any(|e| e == n)
            }
        };
        let names: Vec<String> = reader
            .schema()
            .map_err(|e| bad(format!("is not a readable Parquet file: {e}")))?
            .iter_names()
            .filter(|n| Some(n.as_str()) != id && wanted(n.as_str()))
            .map(|n| n.to_string())
            .collect();
        let df = reader
            .with_columns(Some(names))
            // Columns in parallel: measured faster than polars' automatic choice on a
            // million-row file (30 integer columns in 4 row groups).
            .read_parallel(ParallelStrategy::Columns)
            .finish()
            .map_err(|e| bad(format!("could not be read: {e}")))?;
        timer.mark("read_parquet");
        Ok(ResponseTable {
            df,
            survey_id: sid,
            survey_version: get(META_SURVEY_VERSION).unwrap_or_default(),
            id_column: survey.respondents.id.clone(),
        })
    }
}

/// Codes of an Int32 column counted from `base` (at most its smallest slot value), in straight
/// passes the compiler vectorises over every slot; then the few null slots are patched to
/// missing, found word by word in the validity bitmap. Codes are then shifted so the smallest
/// present value codes 0. Returns that smallest and largest present value and the codes, or
/// `None` when no value is present.
fn int_codes<C: Code>(ca: &Int32Chunked, base: i32) -> Option<(i64, i64, Vec<C>)> {
    let mut codes: Vec<C> = Vec::with_capacity(ca.len());
    for arr in ca.downcast_iter() {
        let start = codes.len();
        codes.extend(
            arr.values()
                .iter()
                .map(|&v| C::from_u32(v.wrapping_sub(base) as u32)),
        );
        if let Some(valid) = arr.validity().filter(|b| b.unset_bits() > 0) {
            for_each_unset(valid, |i| codes[start + i] = C::MISSING);
        }
    }
    // The range of the present values (MISSING sorts last, so min skips it unless nothing is
    // present).
    let lo_code = codes.iter().fold(C::MISSING, |a, &b| a.min(b));
    if lo_code == C::MISSING {
        return None;
    }
    // (Selects rather than filters, so the passes vectorise.)
    let hi_code = codes
        .iter()
        .map(|&c| if c == C::MISSING { C::ZERO } else { c })
        .fold(C::ZERO, |a, b| a.max(b));
    if lo_code != C::ZERO {
        for c in codes.iter_mut() {
            *c = if *c == C::MISSING {
                C::MISSING
            } else {
                c.wrapping_sub(lo_code)
            };
        }
    }
    Some((
        i64::from(base) + lo_code.index() as i64,
        i64::from(base) + hi_code.index() as i64,
        codes,
    ))
}

/// Call `f` with the index of every unset bit of `bits`, a 64-bit word at a time.
fn for_each_unset(bits: &polars_arrow::bitmap::Bitmap, mut f: impl FnMut(usize)) {
    let mut chunks = bits.chunks::<u64>();
    let mut base = 0;
    let mut visit = |word: u64, len: usize, base: usize| {
        let mut unset = !word
            & if len == 64 {
                u64::MAX
            } else {
                (1u64 << len) - 1
            };
        while unset != 0 {
            f(base + unset.trailing_zeros() as usize);
            unset &= unset - 1;
        }
    };
    for word in chunks.by_ref() {
        visit(word, 64, base);
        base += 64;
    }
    let len = chunks.remainder_len();
    if len > 0 {
        visit(chunks.remainder(), len, base);
    }
}

/// Rows per Parquet row group: polars' default.
const ROW_GROUP_ROWS: usize = 512 * 512;

/// Write `df` as Parquet (LZ4) into `out`, exactly as polars' `ParquetWriter` does, but with the
/// pages of every (row group, column) pair encoded and compressed on `threads` threads; polars
/// encodes them lazily, on one thread, while writing. The file bytes do not depend on `threads`.
fn encode_parquet(
    df: &mut DataFrame,
    out: &mut Vec<u8>,
    meta: KeyValueMetadata,
    row_group_rows: usize,
    threads: usize,
) -> PolarsResult<()> {
    use polars_parquet::read::ParquetError;
    use polars_parquet::write::{
        CompressedPage, Compressor, StatisticsOptions, Version, WriteOptions, array_to_columns,
    };
    let compression = ParquetCompression::Lz4Raw;
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: compression.into(),
        version: Version::V1,
        data_page_size: None,
    };
    let chunked = polars::frame::chunk_df_for_writing(df, row_group_rows)?;
    let batches: Vec<_> = chunked
        .iter_chunks(CompatLevel::newest(), false)
        .filter(|b| b.height() > 0)
        .collect();
    let mut writer = ParquetWriter::new(out)
        .with_compression(compression)
        .with_key_value_metadata(Some(meta))
        .batched(chunked.schema())?;
    let arrow_schema = chunked.schema().to_arrow(CompatLevel::newest());
    let encodings = get_encodings(&arrow_schema);
    let fields = writer.parquet_schema().fields().to_vec();
    let jobs: Vec<(usize, usize)> = (0..batches.len())
        .flat_map(|b| (0..fields.len()).map(move |c| (b, c)))
        .collect();
    let encoded = crate::par::map_dynamic(&jobs, threads, |&(b, c)| {
        let leaves = array_to_columns(
            &batches[b].arrays()[c],
            fields[c].clone(),
            options,
            &encodings[c],
        )?;
        leaves
            .into_iter()
            .map(|pages| {
                let pages =
                    pages.map(|r| r.map_err(|e| ParquetError::FeatureNotSupported(format!("{e}"))));
                Compressor::new_from_vec(pages, options.compression, vec![])
                    .collect::<std::result::Result<Vec<CompressedPage>, ParquetError>>()
                    .map_err(PolarsError::from)
            })
            .collect::<PolarsResult<Vec<Vec<CompressedPage>>>>()
    });
    let mut encoded = encoded.into_iter();
    for batch in &batches {
        let mut group: Vec<Vec<CompressedPage>> = Vec::new();
        for columns in encoded.by_ref().take(fields.len()) {
            group.extend(columns?);
        }
        writer.write_row_group(batch.height() as u64, &group)?;
    }
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_of(cols: Vec<Column>) -> ResponseTable {
        ResponseTable {
            df: DataFrame::new(cols[0].len(), cols).unwrap(),
            survey_id: String::new(),
            survey_version: String::new(),
            id_column: None,
        }
    }

    #[test]
    fn int_column_coded_equals_the_two_pass_reading() {
        // 130 rows: nulls at word edges (0, 63, 64) and in the last partial word (129), and a
        // smallest present value (2) above the null slots' 0.
        let vals: Vec<Option<i32>> = (0..130)
            .map(|i| (![0, 63, 64, 129].contains(&i)).then_some(2 + (i % 4)))
            .collect();
        let t = table_of(vec![
            Int32Chunked::from_iter_options("q".into(), vals.clone().into_iter())
                .into_series()
                .into_column(),
            Int32Chunked::from_iter_options("none".into(), vals.iter().map(|_| None::<i32>))
                .into_series()
                .into_column(),
        ]);
        let (lo, hi, codes) = t.int_column_coded("q", 4096).unwrap();
        let Codes::Narrow(codes) = codes else {
            panic!("a span of 4 values is coded narrow")
        };
        assert_eq!((lo, hi), t.int_range("q").unwrap());
        assert_eq!((lo, hi), (2, 5));
        let want_x = t.f64_column("q").unwrap();
        assert_eq!(codes.len(), want_x.len());
        for (r, v) in vals.iter().enumerate() {
            match v {
                Some(v) => {
                    assert_eq!(want_x[r], f64::from(*v));
                    assert_eq!(codes[r], (*v - 2) as u8);
                }
                None => {
                    assert!(want_x[r].is_nan());
                    assert_eq!(codes[r], u8::MAX);
                }
            }
        }
        assert!(t.int_column_coded("none", 4096).is_none());
        // Years: the null slots' zeros make the raw range wide, the values fit one byte.
        let years: Vec<Option<i32>> = (0..130)
            .map(|i| (i % 9 != 0).then_some(2015 + i % 10))
            .collect();
        let ty = table_of(vec![
            Int32Chunked::from_iter_options("y".into(), years.clone().into_iter())
                .into_series()
                .into_column(),
        ]);
        let (lo, hi, codes) = ty.int_column_coded("y", 4096).unwrap();
        assert_eq!((lo, hi), (2015, 2024));
        let Codes::Narrow(codes) = codes else {
            panic!("10 values are coded narrow")
        };
        for (y, c) in years.iter().zip(&codes) {
            assert_eq!(*c, y.map_or(u8::MAX, |y| (y - 2015) as u8));
        }
        assert!(t.int_column_coded("q", 3).is_none());
    }

    #[test]
    fn parallel_parquet_bytes_equal_polars_own_writer() {
        let n = 3500;
        let ints: Vec<Option<i32>> = (0..n).map(|i| (i % 11 != 0).then_some(i % 5)).collect();
        let floats: Vec<Option<f64>> = (0..n)
            .map(|i| (i % 7 != 0).then_some(i as f64 / 3.0))
            .collect();
        let texts: Vec<Option<String>> = (0..n)
            .map(|i| (i % 13 != 0).then(|| format!("R{i:07}-区域{}", i % 4)))
            .collect();
        let flags: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
        let df = DataFrame::new(
            n as usize,
            vec![
                Int32Chunked::from_iter_options("a".into(), ints.into_iter())
                    .into_series()
                    .into_column(),
                Float64Chunked::from_iter_options("b".into(), floats.into_iter())
                    .into_series()
                    .into_column(),
                StringChunked::from_iter_options("c".into(), texts.into_iter())
                    .into_series()
                    .into_column(),
                BooleanChunked::from_slice("d".into(), &flags)
                    .into_series()
                    .into_column(),
            ],
        )
        .unwrap();
        let meta = || KeyValueMetadata::from_static(vec![("k".to_string(), "v".to_string())]);
        let mut want: Vec<u8> = Vec::new();
        ParquetWriter::new(&mut want)
            .with_compression(ParquetCompression::Lz4Raw)
            .with_row_group_size(Some(1000))
            .with_key_value_metadata(Some(meta()))
            .finish(&mut df.clone())
            .unwrap();
        for threads in [1, 2, 3] {
            let mut got: Vec<u8> = Vec::new();
            encode_parquet(&mut df.clone(), &mut got, meta(), 1000, threads).unwrap();
            assert!(got == want, "{threads} threads");
        }
    }

    #[test]
    fn text_column_keeps_cells_and_gaps_across_appends() {
        let mut a = TextColumn::with_capacity(2);
        a.push(Some("北京"));
        a.push(None);
        a.push(Some(""));
        let mut b = TextColumn::default();
        b.push(Some("R2"));
        b.push(None);
        a.append(b);
        let want = [Some("北京"), None, Some(""), Some("R2"), None];
        assert_eq!(a.iter().collect::<Vec<_>>(), want);
        assert_eq!((0..5).map(|i| a.get(i)).collect::<Vec<_>>(), want);
        assert_eq!(a.get(5), None);
        assert_eq!(a.present(), [true, false, true, true, false]);
        assert_eq!(a.len(), 5);
    }
}
