//! Opening the files a user names as input: surveys, response files, rubrics, baselines, mapping
//! files, lint configurations, batch files and saved results.
//!
//! Every input open goes through this module, so each one refuses the same things the same way:
//! a path that is not a regular file (a FIFO with no writer would block forever, a device or a
//! socket never ends, a directory is a mistake) is an error before the file is opened, and a text
//! input larger than [`MAX_TEXT_INPUT_BYTES`] is an error before it is read into memory. Standard
//! input (`-`) is handled by the commands that document it, not here.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest survey, rubric, lint configuration, batch, mapping or results file satkit reads
/// (64 MiB): far above any real questionnaire, small enough that a wrong path (a disk image, a
/// log) is refused instead of filling memory.
pub const MAX_TEXT_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// What kind of non-regular file `meta` describes, in words for a message.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "not a regular file"
}

fn not_regular(path: &Path, meta: &std::fs::Metadata) -> Error {
    Error::bad_data(
        path,
        None,
        None,
        format!(
            "is {}, not a regular file; satkit reads inputs only from regular files",
            kind_of(meta)
        ),
        "give the path of a regular file (save the stream to a file first); commands that read \
         standard input say so in --help and take - for it",
    )
}

/// Check that `path` names a regular file (symbolic links are followed), without opening it.
///
/// # Errors
/// [`Error::Io`] when the path cannot be examined, [`Error::BadData`] when it is a directory,
/// FIFO, socket or device.
pub fn check_regular(path: &Path) -> Result<std::fs::Metadata> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_file() {
        Ok(meta)
    } else {
        Err(not_regular(path, &meta))
    }
}

/// Open a regular input file for reading.
///
/// The type is checked before the open (so a FIFO never blocks) and again on the open file (so a
/// path swapped in between is still caught).
///
/// # Errors
/// As [`check_regular`], and I/O errors from the open.
pub fn open(path: &Path) -> Result<File> {
    check_regular(path)?;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    Ok(file)
}

/// Read a whole regular input file of at most [`MAX_TEXT_INPUT_BYTES`].
///
/// # Errors
/// As [`open`], and [`Error::BadData`] for a file over the limit.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let file = open(path)?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if len > MAX_TEXT_INPUT_BYTES {
        return Err(too_large(path, len));
    }
    let mut buf = Vec::with_capacity(len as usize);
    // `take` also bounds a file that grows while it is read.
    file.take(MAX_TEXT_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    if buf.len() as u64 > MAX_TEXT_INPUT_BYTES {
        return Err(too_large(path, buf.len() as u64));
    }
    Ok(buf)
}

/// Read a whole regular input file as UTF-8 text (a leading byte-order mark is kept).
///
/// # Errors
/// As [`read`], and [`Error::BadData`] when the file is not UTF-8 (naming UTF-16 when it looks
/// like it).
pub fn read_to_string(path: &Path) -> Result<String> {
    let bytes = read(path)?;
    if let Some(order) = utf16_without_bom(&bytes) {
        return Err(Error::bad_data(
            path,
            None,
            None,
            format!(
                "is not UTF-8: it looks like UTF-16 ({order}), as many of its first bytes are NUL"
            ),
            "save the file as UTF-8",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let hint = not_utf8_hint(e.as_bytes());
        Error::bad_data(
            path,
            None,
            None,
            format!(
                "is not UTF-8{hint} (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            "save the file as UTF-8",
        )
    })
}

/// How many leading bytes [`utf16_without_bom`] looks at.
const UTF16_SNIFF_BYTES: usize = 1024;

/// `Some("little-endian")` or `Some("big-endian")` when at least a quarter of the first
/// [`UTF16_SNIFF_BYTES`] bytes are NUL (text never holds NUL; UTF-16 holds one in every ASCII
/// character), on the side where most of them fall.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(UTF16_SNIFF_BYTES)];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, b) in head.iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 { even += 1 } else { odd += 1 }
        }
    }
    if head.len() < 2 || 4 * (even + odd) < head.len() {
        return None;
    }
    Some(if odd >= even {
        "little-endian"
    } else {
        "big-endian"
    })
}

/// Why bytes that are not UTF-8 may not be: `": it looks like UTF-16"` for a UTF-16
/// byte-order mark or many NUL bytes, else empty.
pub fn not_utf8_hint(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || utf16_without_bom(bytes).is_some()
    {
        ": it looks like UTF-16"
    } else {
        ""
    }
}

fn too_large(path: &Path, len: u64) -> Error {
    Error::bad_data(
        path,
        None,
        None,
        format!(
            "is {len} bytes; satkit reads text inputs of at most {MAX_TEXT_INPUT_BYTES} bytes (64 MiB)"
        ),
        "check the path: a survey, rubric, configuration or results file is far smaller",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("is a directory, not a regular file"), "{e}");
    }

    #[test]
    fn a_regular_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, "x = 1\n").unwrap();
        assert_eq!(read_to_string(&p).unwrap(), "x = 1\n");
    }
}
