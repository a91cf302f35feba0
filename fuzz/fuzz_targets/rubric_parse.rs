//! Grading rubric TOML text -> `Rubric::from_str` (as `satkit grade --rubric` reads it, with its
//! `[lint]` table), then its points and bands. Errors are fine; a panic is a finding.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use satkit::grade::rubric::Rubric;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rubric) = Rubric::from_str(Path::new("rubric.toml"), text) {
        let max = rubric.max_points();
        for share in [0.0, 0.5, 1.0, max] {
            let _ = rubric.band(share);
        }
    }
});
