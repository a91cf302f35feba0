//! satkit as a library: lint every survey file (`*.toml` with a `[survey]` table) under a folder
//! with the default rules and print a Markdown table: file, errors, warnings, the most frequent
//! rule.
//!
//! Run: `cargo run --example lint_folder -- surveys`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use satkit::diagnostic::Severity;
use satkit::lint::{LintConfig, Outcome, lint, load_file};

/// Every `.toml` file under `dir`, sorted; symbolic links are not followed.
fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let kind = e.file_type()?;
        let path = e.path();
        if kind.is_dir() {
            toml_files(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|x| x == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: lint_folder DIR");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    toml_files(Path::new(&dir), &mut files)?;
    let cfg = LintConfig::default();
    println!("| file | errors | warnings | most frequent rule |");
    println!("|---|---:|---:|---|");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if !text.contains("[survey]") {
            continue; // a rubric, batch or rules file, not a survey
        }
        let findings = match load_file(&path)? {
            Outcome::Loaded(loaded) => lint(&loaded, &cfg),
            Outcome::Invalid(diagnostics) => diagnostics,
        };
        let count = |s: Severity| findings.iter().filter(|d| d.severity == s).count();
        let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &findings {
            *rules
                .entry(d.rule.as_deref().unwrap_or("check"))
                .or_default() += 1;
        }
        let top = rules
            .iter()
            .max_by_key(|(rule, n)| (**n, std::cmp::Reverse(*rule)))
            .map_or_else(|| "–".to_string(), |(rule, n)| format!("{rule} ({n})"));
        println!(
            "| {} | {} | {} | {top} |",
            path.display(),
            count(Severity::Error),
            count(Severity::Warning)
        );
    }
    Ok(())
}
