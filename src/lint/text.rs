//! Text helpers for the wording rules: keyword search in Chinese and English that ignores
//! parenthesised notes, respects English word boundaries and skips Chinese compounds that only
//! look like a keyword (和蔼 is not 和, 及时 is not 及).
//!
//! Every helper returns byte offsets into the original string, so a finding can point at the
//! exact place in the survey file.

/// A Han character (CJK unified ideographs and extensions, compatibility ideographs).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD)
}

/// Replace everything inside `(...)`, `（...）` and `【...】`, brackets included, with spaces of the
/// same byte length, so offsets into the result are offsets into `s`. Parenthesised text holds
/// scale anchors, examples and definitions, which the wording rules do not judge.
pub fn mask_parens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        let opens = matches!(c, '(' | '（' | '【');
        let closes = matches!(c, ')' | '）' | '】');
        if opens {
            depth += 1;
        }
        if depth > 0 {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
        if closes && depth > 0 {
            depth -= 1;
        }
    }
    out
}

/// Lower-case ASCII letters only (byte offsets are kept).
pub fn ascii_lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'\''
}

/// Byte offsets of `needle` in `hay`. Latin needles match whole words only (case-insensitive when
/// `hay` was lower-cased); an occurrence inside one of `excludes` (a longer word that contains the
/// needle) is skipped.
pub fn occurrences(hay: &str, needle: &str, excludes: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let bytes = hay.as_bytes();
    let latin_start = needle.as_bytes()[0].is_ascii_alphanumeric();
    let latin_end = needle.as_bytes()[needle.len() - 1].is_ascii_alphanumeric();
    for (i, _) in hay.match_indices(needle) {
        if latin_start && i > 0 && is_word_byte(bytes[i - 1]) {
            continue;
        }
        let end = i + needle.len();
        if latin_end && end < bytes.len() && is_word_byte(bytes[end]) {
            continue;
        }
        let excluded = excludes.iter().filter(|e| e.len() > needle.len()).any(|e| {
            e.match_indices(needle)
                .any(|(k, _)| i >= k && hay.is_char_boundary(i - k) && hay[i - k..].starts_with(e))
        });
        if !excluded {
            out.push(i);
        }
    }
    out
}

/// The first keyword of `words` found in `hay` (earliest position), with its offset.
pub fn first_of<'w>(hay: &str, words: &[&'w str], excludes: &[&str]) -> Option<(usize, &'w str)> {
    words
        .iter()
        .filter_map(|w| occurrences(hay, w, excludes).first().map(|&i| (i, *w)))
        .min_by_key(|(i, w)| (*i, std::cmp::Reverse(w.len())))
}

/// Number of Han characters.
pub fn cjk_count(s: &str) -> usize {
    s.chars().filter(|c| is_cjk(*c)).count()
}

/// Number of Latin words (runs of ASCII letters or digits).
pub fn latin_words(s: &str) -> usize {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphanumeric()))
        .count()
}

/// Characters other than spaces (for the length of an English question).
pub fn visible_chars(s: &str) -> usize {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .count()
}

/// Whether the term at `pos..pos+len` of the unmasked text is explained in parentheses: it stands
/// inside parentheses itself (the words before explain it) or is followed by a parenthesis.
pub fn explained(text: &str, pos: usize, len: usize) -> bool {
    let masked = mask_parens(text);
    if masked.as_bytes().get(pos) == Some(&b' ') && !text[pos..].starts_with(' ') {
        return true;
    }
    let rest = text[pos + len..].trim_start();
    rest.starts_with('(') || rest.starts_with('（')
}

/// Split a string into clauses at sentence and clause punctuation; yields (offset, clause).
pub fn clauses(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(
            c,
            '，' | '。' | '？' | '！' | '；' | '：' | ',' | '.' | '?' | '!' | ';' | ':'
        ) {
            out.push((start, &s[start..i]));
            start = i + c.len_utf8();
        }
    }
    out.push((start, &s[start..]));
    out
}

/// Parse a small number written in digits or Chinese numerals (一 … 十, 两); 几/多 count as "several".
pub fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u32>() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['几'] | ['多'] | ['数'] => Some(3),
        [a] if *a == '十' => Some(10),
        [a] => digit(*a),
        ['十', b] => digit(*b).map(|b| 10 + b),
        [a, '十'] => digit(*a).map(|a| a * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// English number words up to twenty.
pub fn english_number(w: &str) -> Option<u32> {
    const WORDS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    w.parse()
        .ok()
        .or_else(|| WORDS.iter().position(|x| *x == w).map(|p| p as u32))
        .or(match w {
            "several" | "few" | "many" => Some(3),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_offsets() {
        let s = "您对支付方式（扫码、银行卡）和价格是否满意？";
        let m = mask_parens(s);
        assert_eq!(m.len(), s.len());
        assert!(!m.contains("扫码"));
        assert_eq!(m.find("和"), s.find("和"));
    }

    #[test]
    fn compounds_and_word_boundaries() {
        assert!(occurrences("店员是否和蔼", "和", &["和蔼"]).is_empty());
        assert_eq!(occurrences("价格和质量", "和", &["和蔼"]).len(), 1);
        assert!(occurrences("brand", "and", &[]).is_empty());
        assert_eq!(occurrences("price and quality", "and", &[]), vec![6]);
        assert_eq!(parse_number("三"), Some(3));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("18"), Some(18));
    }

    #[test]
    fn explained_terms() {
        let s = "在线询价（RFQ）功能";
        let p = s.find("RFQ").unwrap();
        assert!(explained(s, p, 3));
        let s = "RFQ (request for quotation) tools";
        assert!(explained(s, 0, 3));
        let s = "RFQ tools";
        assert!(!explained(s, 0, 3));
    }
}
