//! results.json text -> `satkit report`'s check and parse, then everything `write_report`
//! renders (charts as SVG and PNG, the document, Markdown, HTML, the CSV tables), in memory.
//! Errors are fine; a panic is a finding.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use satkit::analysis::results_file::parse_results;
use satkit::report::write::{ReportOptions, document};
use satkit::report::{charts, html, markdown, tables};

fuzz_target!(|data: &[u8]| {
    // `report` reads the file with read_to_string: bytes that are not UTF-8 are an I/O error.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(results) = parse_results(Path::new("results.json"), text) else {
        return;
    };
    let Ok(charts) = charts::render_all(&results) else {
        return;
    };
    let opts = ReportOptions::default();
    let doc = document(&results, &charts, &opts);
    let _ = markdown::render(&doc, &charts);
    let _ = html::render(&doc, &charts);
    for t in tables::csv_tables(&results) {
        let _ = t.to_csv();
    }
});
