//! The sample: survey weights (the `--weight` column, else the survey's `[respondents] weight`
//! where the data has it), the weighted and effective n, the achieved margin of error and the
//! count of flagged respondents.

use super::options::AnalysisOptions;
use super::results::{Sample, Warning};
use crate::data::ResponseTable;
use crate::data::import::MAX_WEIGHT;
use crate::error::{Error, Result};
use crate::model::Survey;
use crate::stats::sampling;

/// Every present weight is finite, positive and at most [`MAX_WEIGHT`] (the import checks this
/// for CSV input; a Parquet file or another numeric column named by `--weight` may hold anything).
/// A missing weight (NaN) is allowed: it counts as 1, with a warning.
///
/// # Errors
/// [`Error::Usage`] naming the first bad weight's row, respondent and value.
fn check_weights(survey: &Survey, table: &ResponseTable, column: &str, w: &[f64]) -> Result<()> {
    // A weight is valid when missing (NaN) or in (0, MAX_WEIGHT].
    let invalid = |x: &f64| !(x.is_nan() || (*x > 0.0 && *x <= MAX_WEIGHT));
    let Some(row) = w.iter().position(invalid) else {
        return Ok(());
    };
    let bad = w.iter().filter(|x| invalid(x)).count();
    let id = survey
        .respondents
        .id
        .as_deref()
        .and_then(|c| table.str_column(c).ok())
        .and_then(|ids| ids.get(row).cloned().flatten())
        .map(|id| format!(" (respondent '{id}')"))
        .unwrap_or_default();
    Err(Error::usage(
        format!(
            "weight column '{column}': row {}{id} has weight {}, and {bad} row{} in all have a weight that is not a positive number of at most {MAX_WEIGHT:e}",
            row + 1,
            w[row],
            if bad == 1 { "" } else { "s" }
        ),
        "fix the weights, or drop those respondents (re-import with --on-invalid drop-row); satkit never gives an invalid weight the weight 1",
    ))
}

/// The survey weights (`None` when unweighted) and the sample section.
///
/// # Errors
/// A weight column named by the options that the data does not have, or one with a weight
/// that is not finite, positive and at most [`MAX_WEIGHT`].
pub fn weights_and_sample(
    survey: &Survey,
    table: &ResponseTable,
    opts: &AnalysisOptions,
    warnings: &mut Vec<Warning>,
) -> Result<(Option<Vec<f64>>, Sample)> {
    let n_rows = table.height();
    let weight_col = opts.weight.clone().or_else(|| {
        survey
            .respondents
            .weight
            .clone()
            .filter(|c| table.has_column(c))
    });
    let weights: Option<Vec<f64>> = match &weight_col {
        Some(c) => {
            if !table.has_column(c) {
                return Err(Error::usage(
                    format!("the weight column '{c}' is not in the data"),
                    "name an existing numeric column with --weight, or drop the option",
                ));
            }
            let mut w = table.f64_column(c)?;
            check_weights(survey, table, c, &w)?;
            let missing = w.iter().filter(|x| x.is_nan()).count();
            if missing > 0 {
                warnings.push(Warning::new(
                    "sample",
                    format!("{missing} respondents have no weight; they count with weight 1"),
                ));
                w.iter_mut().filter(|x| x.is_nan()).for_each(|x| *x = 1.0);
            }
            Some(w)
        }
        None => None,
    };
    let w_or_one = |i: usize| weights.as_ref().map_or(1.0, |w| w[i]);
    let sw: f64 = (0..n_rows).map(w_or_one).sum();
    let sw2: f64 = (0..n_rows).map(|i| w_or_one(i) * w_or_one(i)).sum();
    let n_eff = sw * sw / sw2;
    let population = survey.plan.as_ref().and_then(|p| p.population_size);
    let flagged = table
        .bool_column(crate::data::quality::FLAGGED)
        .map_or(0, |v| v.iter().filter(|b| **b).count());
    let sample = Sample {
        n: n_rows,
        n_weighted: sw,
        n_effective: n_eff,
        margin_of_error: sampling::achieved_margin(n_eff, 0.95, 0.5, population),
        population_size: population,
        planned_n: survey.plan.as_ref().and_then(|p| p.sample_size),
        flagged,
        weight_column: weight_col,
    };
    Ok((weights, sample))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::ColumnData;

    fn survey() -> Survey {
        Survey::check_str(
            "minimal.toml",
            include_str!("../../tests/fixtures/surveys/minimal.toml"),
        )
        .survey
        .expect("valid survey")
    }

    fn sample_with(weights: Vec<Option<f64>>) -> Result<(Option<Vec<f64>>, Sample)> {
        let s = survey();
        let lines = (2..2 + weights.len() as u64).collect();
        let table = ResponseTable::from_columns(
            &s,
            vec![("w".to_string(), ColumnData::Float(weights))],
            lines,
            None,
        )?;
        let opts = AnalysisOptions {
            weight: Some("w".into()),
            ..Default::default()
        };
        weights_and_sample(&s, &table, &opts, &mut Vec::new())
    }

    /// A Parquet file (or another numeric column) may hold weights the import never checked:
    /// 1e308 would overflow Σw², 0 or −1 would count as a silent 1.
    #[test]
    fn weights_the_import_did_not_check_are_refused_with_the_row() {
        for bad in [1e308, 0.0, -1.0, f64::INFINITY] {
            let e = sample_with(vec![Some(1.0), Some(bad)])
                .unwrap_err()
                .to_string();
            assert!(e.contains("row 2 has weight"), "{bad}: {e}");
        }
        let (w, sample) = sample_with(vec![Some(2.0), None]).unwrap();
        assert_eq!(
            w,
            Some(vec![2.0, 1.0]),
            "a missing weight counts as 1, with a warning"
        );
        assert_eq!(sample.n_weighted, 3.0);
    }
}
