//! What every HTML, SVG and Markdown writer shares: escaping for HTML (element content and
//! attribute values) and Markdown (inline text, paragraphs, and text that keeps its line breaks),
//! and the CJK font stack the pages and charts name. One place, so user text is escaped the same
//! way in every output.

/// Escape text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A relative path as a link target: `./` first, and every byte outside RFC 3986's unreserved
/// characters percent-encoded in each segment (`/` and `\\` separate segments). So a name such as
/// `javascript:alert(1)` stays a path (`./javascript%3Aalert%281%29/report.html`) and never
/// becomes a scheme, a query or a fragment. Escape the result for HTML as any attribute value.
///
/// # Examples
/// ```
/// use satkit::report::markup::relative_href;
/// assert_eq!(relative_href("b2b/report.html"), "./b2b/report.html");
/// assert_eq!(relative_href("满 意/a#b?.json"), "./%E6%BB%A1%20%E6%84%8F/a%23b%3F.json");
/// ```
pub fn relative_href(path: &str) -> String {
    let mut out = String::from("./");
    let path = path.strip_prefix("./").unwrap_or(path);
    for (i, seg) in path.split(['/', '\\']).enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The font stack for CJK-capable rendering in browsers (the viewer supplies the font).
pub const CJK_FONT_STACK: &str = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", \"Microsoft YaHei\", \"PingFang SC\", \"Hiragino Sans GB\", system-ui, sans-serif";

/// Escape text for inline Markdown: backslash before every ASCII punctuation mark that Markdown
/// or GFM gives a meaning inside a line, newlines become spaces.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Escape text that keeps its line breaks (a questionnaire's preface and closing): each line as
/// a paragraph of its own ([`md_escape_block`]), joined by newlines.
pub fn md_escape_lines(s: &str) -> String {
    s.split('\n')
        .map(|line| md_escape_block(line.trim_end_matches('\r')))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escape a paragraph: inline escapes, and a leading `-`, `+`, `=` or `1.` that would start a
/// list or heading underline.
pub fn md_escape_block(s: &str) -> String {
    let e = md_escape(s);
    let digits = e.chars().take_while(char::is_ascii_digit).count();
    if e.starts_with(['-', '+', '=']) {
        format!("\\{e}")
    } else if digits > 0 && e[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &e[..digits], &e[digits..])
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            md_escape("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(md_escape("a|b *c*"), "a\\|b \\*c\\*");
        assert_eq!(md_escape_block("1. first"), "1\\. first");
        assert_eq!(md_escape_block("- x"), "\\- x");
    }

    #[test]
    fn lines_keep_their_breaks_and_each_is_guarded() {
        assert_eq!(
            md_escape_lines("Dear customer,\r\n- thanks & <b>welcome</b>!\n\n1. first"),
            "Dear customer,\n\\- thanks \\& \\<b\\>welcome\\</b\\>\\!\n\n1\\. first"
        );
    }

    #[test]
    fn html_escapes_the_five_specials() {
        assert_eq!(
            html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
