//! Every file satkit writes goes through here. Single files are written atomically (a temporary
//! file in the destination directory, then a rename), so a reader never sees half a file and a
//! failed run leaves the old file in place; directories are written as whole sets
//! ([`OutputDir`]). Outputs are regular files or new paths, never an input ([`Inputs`]), and
//! standard output errors other than a closed pipe are errors ([`write_stdout`]). Also the guard
//! every CSV writer shares that keeps a cell from running as a spreadsheet formula
//! ([`neutralise_formula`]).

mod dir;
mod guard;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub use dir::{OutputDir, Owned, is_dead, leftover_pid};
pub use guard::{Inputs, check_output_dir, check_output_file, refuse_overwrite, resolve};

use crate::error::{Error, Result};

/// Write `bytes` to standard output. A closed pipe (`satkit ... | head`) is not an error; any
/// other failure (a full disk, a revoked terminal) is, so a script never takes a truncated
/// output for a whole one.
///
/// # Errors
/// [`Error::Io`] on `<stdout>`.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| Error::io("<stdout>", e)),
    }
}

/// Write `text` to standard error, ignoring errors: a closed or full stderr has nowhere left to
/// report to, and `std::eprintln!` would panic (exit 101) on it, e.g. `satkit check 2>&1 | head`.
pub fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|_| err.flush());
}

/// `eprintln!` that never panics (see [`write_stderr`]).
#[macro_export]
macro_rules! errln {
    () => { $crate::output::write_stderr("\n") };
    ($($arg:tt)*) => { $crate::output::write_stderr(&format!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` that never panics (see [`write_stderr`]).
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => { $crate::output::write_stderr(&format!($($arg)*)) };
}

static NEXT_TMP: AtomicUsize = AtomicUsize::new(0);

/// Write `bytes` to `path` atomically. `-` writes to stdout.
///
/// # Errors
/// A path that is a device, FIFO, socket or directory ([`check_output_file`]); I/O errors,
/// with the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        return write_stdout(bytes);
    }
    check_output_file(path)?;
    // Through a symlink to a file, the file is replaced and the link kept.
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = resolve(path);
        resolved.as_path()
    } else {
        path
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    dir::recover_leftovers(&dir, &name, path);
    let k = NEXT_TMP.fetch_add(1, Ordering::SeqCst);
    let tmp = dir.join(format!(".{name}.satkit-tmp-{}-{k}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// The one guard of every CSV cell satkit writes for people (docs/csv-safety.md): a cell that a
/// spreadsheet would run as a formula gets a leading `'`, the spreadsheets' own "this is text"
/// marker. A cell is guarded when, after any leading spaces, it starts with `=`, `+`, `-`, `@`
/// (or their full-width forms `＝＋－＠`), a tab, a carriage return or a line feed (OWASP's CSV
/// injection list) and is not a plain finite number such as `-5` (a spreadsheet reads that as
/// the number it is). A cell that already starts with `'` before such a cell is guarded too, so
/// [`unguard_formula`] undoes exactly this function and a written cell reads back as it was.
///
/// # Examples
/// ```
/// use satkit::output::{neutralise_formula, unguard_formula};
/// assert_eq!(neutralise_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise_formula("  @cmd"), "'  @cmd");
/// assert_eq!(neutralise_formula("-5"), "-5");
/// assert_eq!(neutralise_formula("'=1"), "''=1");
/// assert_eq!(unguard_formula(&neutralise_formula("'=1")), "'=1");
/// ```
pub fn neutralise_formula(s: &str) -> String {
    if needs_guard(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A cell read from a CSV with the guard of [`neutralise_formula`] taken off (unchanged when it
/// has none), so a CSV satkit wrote reads back as the values it was written from.
pub fn unguard_formula(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => s,
    }
}

/// A formula cell, or one behind any number of guard quotes (a cell with leading quotes is a
/// formula only once they are all taken off, so one look at that rest decides).
fn needs_guard(s: &str) -> bool {
    let s = s.trim_start_matches('\'');
    s.trim_start_matches(' ').starts_with([
        '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    ]) && !s.trim().parse::<f64>().is_ok_and(f64::is_finite)
}
