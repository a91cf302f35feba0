//! satkit as a library: load a survey, import its responses, and print the satisfaction index of
//! every node of the indicator tree and the improvement priorities.
//!
//! Run: `cargo run --example index_and_priorities -- surveys/bookstore/survey.toml surveys/bookstore/responses.csv`

use std::path::Path;

use satkit::analysis::{AnalysisOptions, analyze};
use satkit::data::{ImportOptions, import_path};
use satkit::model::Survey;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [survey, data] = args.as_slice() else {
        eprintln!("usage: index_and_priorities SURVEY.toml RESPONSES.csv");
        std::process::exit(2);
    };
    let survey = Survey::load(survey)?;
    let imported = import_path(&survey, Path::new(data), &ImportOptions::default())?;
    let results = analyze(&survey, &imported.table, &AnalysisOptions::default())?;
    println!(
        "{} respondents, {} flagged",
        results.sample.n, results.sample.flagged
    );
    println!();
    println!("{:<28} {:>6} {:>15}", "node", "score", "95% CI");
    for node in &results.index.nodes {
        let name = format!("{}{}", "  ".repeat(node.depth), node.id);
        match (node.score, node.ci_low, node.ci_high) {
            (Some(s), Some(lo), Some(hi)) => println!("{name:<28} {s:6.1} {lo:7.1}–{hi:<7.1}"),
            (Some(s), _, _) => println!("{name:<28} {s:6.1}"),
            _ => println!("{name:<28}      –"),
        }
    }
    println!();
    println!("improvement priorities (importance × room to improve):");
    for p in results.priorities.iter().take(5) {
        println!(
            "{:>2}. {:<20} importance {:5.1}%  score {:5.1}  {:?}",
            p.rank,
            p.id,
            100.0 * p.importance,
            p.performance,
            p.quadrant
        );
    }
    Ok(())
}
