//! Lint rules-file TOML text -> `LintConfig::from_str` (as `satkit lint --rules` reads it); a
//! configuration that parses then lints the fixed survey tests/fixtures/lint/wording_en.toml and
//! estimates its length, so every setting's value is used. Errors are fine; a panic is a finding.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use satkit::lint::config::LintConfig;
use satkit::lint::{self, Loaded, Outcome};

const SURVEY: &str = include_str!("../../tests/fixtures/lint/wording_en.toml");

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Box<Loaded>> = OnceLock::new();
    LOADED.get_or_init(|| match lint::load_str("wording_en.toml", SURVEY) {
        Outcome::Loaded(l) => l,
        Outcome::Invalid(_) => panic!("the lint fixture survey is valid"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cfg) = LintConfig::from_str(Path::new("rules.toml"), text) {
        let l = loaded();
        let _ = lint::lint(l, &cfg);
        let _ = lint::estimate(&l.survey, &cfg.settings).minutes();
    }
});
