//! satkit as a library: a custom table from `Results`, the fieldwork profile of a survey's data
//! as Markdown (this is how the tables in surveys/README.md are made).
//!
//! Per dimension: the mean of its rating items on their own scale, the top-2-box share (the two
//! most satisfied points: the top two codes, the bottom two for reverse-coded items; NPS items
//! are not rating items and are left out) pooled over its items, and Cronbach's alpha. Then the
//! sample: respondents, the flagged share, and the share who wrote an open answer.
//!
//! Run: `cargo run --example fieldwork_profile -- surveys/b2b-platform/survey.toml surveys/b2b-platform/responses.csv`

use std::path::Path;

use satkit::analysis::{AnalysisOptions, analyze};
use satkit::data::coding::is_missing_token;
use satkit::data::{ImportOptions, import_path};
use satkit::model::{QuestionKind, Survey};

/// The share of respondents with a non-blank answer to any of the open questions.
fn open_answer_share(survey: &Survey, data: &str) -> Result<f64, Box<dyn std::error::Error>> {
    let open: Vec<&str> = survey
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Text)
        .map(|q| q.id.as_str())
        .collect();
    let mut reader = csv::Reader::from_path(data)?;
    let headers = reader.headers()?.clone();
    let cols: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| open.contains(h))
        .map(|(i, _)| i)
        .collect();
    let (mut rows, mut wrote) = (0usize, 0usize);
    for rec in reader.records() {
        let rec = rec?;
        rows += 1;
        let answered = cols
            .iter()
            .any(|&i| rec.get(i).is_some_and(|v| !is_missing_token(v.trim())));
        wrote += usize::from(answered);
    }
    Ok(wrote as f64 / rows.max(1) as f64)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [survey_path, data] = args.as_slice() else {
        eprintln!("usage: fieldwork_profile SURVEY.toml RESPONSES.csv");
        std::process::exit(2);
    };
    let survey = Survey::load(survey_path)?;
    let imported = import_path(&survey, Path::new(data), &ImportOptions::default())?;
    let r = analyze(&survey, &imported.table, &AnalysisOptions::default())?;
    println!("| dimension | items | mean | top-2-box | alpha |");
    println!("|---|---:|---:|---:|---:|");
    let t = &survey.tree;
    let (mut all_top, mut all_n) = (0u64, 0u64);
    for &d in t.dimensions() {
        let ids = t.questions_under(d);
        let (mut sum, mut n, mut top, mut k) = (0.0, 0u64, 0u64, 0);
        let items = r
            .items
            .iter()
            .filter(|i| i.kind == "rating" && ids.contains(&i.id.as_str()));
        for item in items {
            let (Some(min), Some(max)) = (item.min, item.max) else {
                continue;
            };
            k += 1;
            for f in item
                .frequencies
                .iter()
                .filter(|f| (min..=max).contains(&f.code))
            {
                sum += f.code as f64 * f.count as f64;
                n += f.count;
                let satisfied = if item.reverse {
                    f.code <= min + 1
                } else {
                    f.code >= max - 1
                };
                top += if satisfied { f.count } else { 0 };
            }
        }
        let alpha = r
            .reliability
            .iter()
            .find(|x| x.node == t.nodes[d].id)
            .map_or_else(|| "–".to_string(), |x| format!("{:.2}", x.alpha));
        all_top += top;
        all_n += n;
        println!(
            "| {} {} | {k} | {:.2} | {:.0}% | {alpha} |",
            t.nodes[d].id,
            t.nodes[d].name,
            sum / n.max(1) as f64,
            100.0 * top as f64 / n.max(1) as f64
        );
    }
    println!();
    println!(
        "n = {}; top-2-box of the dimensions' items {:.0}%; flagged {:.1}%; open answer {:.0}%",
        r.sample.n,
        100.0 * all_top as f64 / all_n.max(1) as f64,
        100.0 * r.sample.flagged as f64 / r.sample.n.max(1) as f64,
        100.0 * open_answer_share(&survey, data)?
    );
    Ok(())
}
