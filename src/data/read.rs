//! Getting response bytes into UTF-8: input from a file or stdin (`-`), encoding detection (UTF-8
//! with or without BOM, UTF-16 with BOM, GBK/GB18030 as written by Chinese Excel), and delimiter
//! detection from the header line.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Response bytes: a file mapped into memory (no copy of a large export), or bytes read.
pub enum Input {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Input {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Input::Mapped(m) => m,
            Input::Owned(v) => v,
        }
    }
}

/// Read a file (mapped into memory when it is a regular, non-empty file), or stdin for `-`.
///
/// # Errors
/// I/O errors with the path.
pub fn read_input(path: &Path) -> Result<Input> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok(Input::Owned(buf));
    }
    let file = crate::input::open(path)?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if meta.is_file() && meta.len() > 0 {
        // SAFETY: the map is read-only and private to this process. Another process truncating
        // the file while it is imported could fault the read, as with any mapped file; satkit
        // itself never writes to its inputs.
        if let Ok(m) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok(Input::Mapped(m));
        }
    }
    let mut buf = Vec::new();
    (&file)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    Ok(Input::Owned(buf))
}

/// The encodings satkit reads.
pub const ENCODINGS: &[&str] = &["auto", "utf-8", "gbk", "gb18030", "utf-16le", "utf-16be"];

/// Decode `bytes` to UTF-8 text. `encoding` is one of [`ENCODINGS`]; `auto` detects a BOM, then
/// valid UTF-8, then GB18030 (a superset of GBK). Returns the text and the encoding used.
///
/// # Errors
/// [`Error::BadData`] when the bytes are not valid in the requested or detected encoding.
pub fn decode<'a>(
    name: &Path,
    bytes: &'a [u8],
    encoding: &str,
) -> Result<(Cow<'a, str>, &'static str)> {
    let enc = encoding.to_ascii_lowercase().replace('_', "-");
    let bad = |what: &str, help: &str| {
        Error::bad_data(name, None, None, what.to_string(), help.to_string())
    };
    match enc.as_str() {
        "auto" => {
            if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
                let text = std::str::from_utf8(rest).map_err(|e| {
                    bad(
                        &format!(
                            "starts with a UTF-8 BOM but has invalid UTF-8 at byte {}",
                            e.valid_up_to() + 3
                        ),
                        "re-save the file as UTF-8",
                    )
                })?;
                return Ok((Cow::Borrowed(text), "utf-8-bom"));
            }
            if bytes.starts_with(&[0xFF, 0xFE]) {
                return decode_with(name, bytes, encoding_rs::UTF_16LE, "utf-16le");
            }
            if bytes.starts_with(&[0xFE, 0xFF]) {
                return decode_with(name, bytes, encoding_rs::UTF_16BE, "utf-16be");
            }
            if let Some(order) = crate::input::utf16_without_bom(bytes) {
                return Err(bad(
                    &format!(
                        "looks like UTF-16 ({order}) without a byte-order mark: many of its first bytes are NUL"
                    ),
                    &format!(
                        "save it as UTF-8 (Excel: CSV UTF-8), or pass --encoding utf-16{}",
                        if order == "little-endian" { "le" } else { "be" }
                    ),
                ));
            }
            match std::str::from_utf8(bytes) {
                Ok(text) => Ok((Cow::Borrowed(text), "utf-8")),
                Err(_) => {
                    let (text, had_errors) =
                        encoding_rs::GB18030.decode_without_bom_handling(bytes);
                    if had_errors {
                        Err(bad(
                            "is neither valid UTF-8 nor GB18030/GBK",
                            "save the file as UTF-8 (Excel: CSV UTF-8), or pass --encoding with the right encoding",
                        ))
                    } else {
                        Ok((Cow::Owned(text.into_owned()), "gb18030"))
                    }
                }
            }
        }
        "utf-8" | "utf8" => {
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            std::str::from_utf8(bytes)
                .map(|t| (Cow::Borrowed(t), "utf-8"))
                .map_err(|e| {
                bad(
                    &format!(
                        "is not valid UTF-8 (first invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                    "pass --encoding gbk if the file comes from Chinese Excel, or --encoding auto",
                )
            })
        }
        "gbk" | "gb2312" | "gb18030" | "cp936" => {
            decode_with(name, bytes, encoding_rs::GB18030, "gb18030")
        }
        "utf-16le" | "utf-16" => decode_with(name, bytes, encoding_rs::UTF_16LE, "utf-16le"),
        "utf-16be" => decode_with(name, bytes, encoding_rs::UTF_16BE, "utf-16be"),
        other => Err(Error::usage(
            format!("unknown encoding '{other}'"),
            format!("use one of: {}", ENCODINGS.join(", ")),
        )),
    }
}

fn decode_with(
    name: &Path,
    bytes: &[u8],
    enc: &'static encoding_rs::Encoding,
    label: &'static str,
) -> Result<(Cow<'static, str>, &'static str)> {
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        return Err(Error::bad_data(
            name,
            None,
            None,
            format!("is not valid {label}"),
            "check the file's encoding and pass it with --encoding",
        ));
    }
    Ok((Cow::Owned(text.into_owned()), label))
}

/// Pick the delimiter by counting `,` `;` and tab outside quotes on the header line.
pub fn detect_delimiter(text: &str, path: &Path) -> u8 {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"))
    {
        return b'\t';
    }
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// Parse a delimiter given on the command line: a single character, or `tab`/`\t`.
///
/// # Errors
/// [`Error::Usage`] for anything else.
pub fn parse_delimiter(s: &str) -> Result<u8> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(Error::usage(
            format!("delimiter '{s}' is not a single ASCII character"),
            "use ',', ';' or tab",
        )),
    }
}
