//! The gradebook CSV: one row per student (student, file, total, max, band, then one column per
//! criterion and per deduction), with spreadsheet formulas neutralised.

use super::rubric::Rubric;
use super::scores::Grade;
use crate::data::table::neutralise_formula;
use crate::error::{Error, Result};
use crate::model::validate::fmt_num;

/// The gradebook: one row per student, spreadsheet formulas neutralised.
///
/// # Errors
/// Only CSV serialisation errors (none in practice).
pub fn gradebook_csv(rubric: &Rubric, grades: &[Grade]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header: Vec<String> = ["student", "file", "total", "max", "band"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(rubric.criteria.iter().map(|c| c.id.clone()));
    header.extend(rubric.deductions.iter().map(|d| d.id.clone()));
    let err = |e: csv::Error| Error::usage(format!("cannot write the gradebook: {e}"), "");
    w.write_record(header.iter().map(|h| neutralise_formula(h)))
        .map_err(err)?;
    for g in grades {
        let mut row = vec![
            g.student.clone(),
            g.file.clone(),
            fmt_num(g.total),
            fmt_num(g.max),
            g.band.clone(),
        ];
        row.extend(g.awards.iter().map(|a| fmt_num(a.points)));
        row.extend((0..rubric.deductions.len()).map(|i| {
            let d = g.deducted(i);
            if d > 0.0 { fmt_num(-d) } else { "0".into() }
        }));
        w.write_record(row.iter().map(|c| neutralise_formula(c)))
            .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::usage(format!("cannot write the gradebook: {e}"), ""))
}
