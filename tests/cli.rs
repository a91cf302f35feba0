//! Integration tests: run the built `satkit` binary in a temporary directory, once per
//! assertion, and always check the exit status.

mod util;

mod analyze;
mod batch;
mod build;
mod careless;
mod charts;
mod check;
mod compare;
mod conventions;
mod examples;
mod fuzz_regressions;
mod gates;
mod grade;
mod hardening_input;
mod hardening_output;
mod hardening_report;
mod import;
mod improve;
mod layers;
mod lint;
mod map;
mod new_from;
mod plan;
mod platforms;
mod reference;
mod reference_part2;
mod report;
mod schema;
mod simulate;
mod sources;
mod weights;
