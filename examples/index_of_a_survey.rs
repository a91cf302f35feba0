//! satkit as a library: load a survey, import its responses and print the satisfaction index of
//! every node of the indicator tree.
//!
//! Run: `cargo run --example index_of_a_survey -- surveys/bookstore/survey.toml surveys/bookstore/responses.csv`

use std::path::Path;

use satkit::analysis::{AnalysisOptions, analyze};
use satkit::data::{ImportOptions, import_path};
use satkit::model::Survey;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [survey, data] = args.as_slice() else {
        eprintln!("usage: index_of_a_survey SURVEY.toml RESPONSES.csv");
        std::process::exit(2);
    };
    let survey = Survey::load(survey)?;
    let imported = import_path(&survey, Path::new(data), &ImportOptions::default())?;
    let results = analyze(&survey, &imported.table, &AnalysisOptions::default())?;
    println!("{} respondents", results.sample.n);
    for node in &results.index.nodes {
        match node.score {
            Some(s) => println!("{:<24} {s:6.1}", node.id),
            None => println!("{:<24}      –", node.id),
        }
    }
    Ok(())
}
