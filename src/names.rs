//! File names made from ids and other user text: one sanitiser, so an id can never name a path
//! outside the directory it is written to.

/// `s` with every character but ASCII letters, digits, `-` and `_` replaced by `_` (the same
/// length in characters; empty stays empty).
pub fn file_stem(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn keeps_ascii_words_and_replaces_the_rest() {
        assert_eq!(file_stem("trend_csat-1"), "trend_csat-1");
        assert_eq!(file_stem("../a b/满意"), "___a_b___");
        assert_eq!(file_stem(""), "");
    }
}
