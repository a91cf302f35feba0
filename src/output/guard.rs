//! What may be written where: outputs are regular files or new paths (never a device, FIFO,
//! socket or directory given as a file), and never one of the command's inputs, compared after
//! resolving `..` and symlinks.
//!
//! Design: a command collects its inputs once into [`Inputs`] (canonical paths) and asks it about
//! every path it is going to write, before it writes anything. A directory that satkit replaces as
//! a whole ([`super::OutputDir`]) must not hold an input in a part it replaces.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The kind of a path that exists but is not a regular file, for error messages.
fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    (!meta.is_file()).then(|| crate::input::kind_of(meta))
}

/// Refuse an output file path that exists and is not a regular file (a device such as
/// /dev/null or /dev/stdout, a FIFO, a socket, a directory). `-` (stdout) is always allowed.
///
/// # Errors
/// [`Error::Usage`] naming the kind of file and the cure.
pub fn check_output_file(path: &Path) -> Result<()> {
    if path == Path::new("-") {
        return Ok(());
    }
    let real = resolve(path);
    if (real.starts_with("/dev") && !real.starts_with("/dev/shm")) || real.starts_with("/proc") {
        return Err(Error::usage(
            format!(
                "output {} is a device or process file; satkit writes only regular files or new paths",
                path.display()
            ),
            "write `-o -` for standard output, or give a file path",
        ));
    }
    match std::fs::metadata(path) {
        Ok(meta) => match special_kind(&meta) {
            None => Ok(()),
            Some(kind) => Err(Error::usage(
                format!(
                    "output {} is {kind}; satkit writes only regular files or new paths",
                    path.display()
                ),
                "write `-o -` for standard output, or give a file path",
            )),
        },
        Err(_) => Ok(()),
    }
}

/// Refuse an output directory path that exists and is not a directory.
///
/// # Errors
/// [`Error::Usage`] naming the kind of file and the cure.
pub fn check_output_dir(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_dir() => Err(Error::usage(
            format!(
                "output directory {} is {}",
                path.display(),
                special_kind(&meta).unwrap_or("a regular file")
            ),
            "give a new directory, or one that satkit wrote before",
        )),
        _ => Ok(()),
    }
}

/// `path` made absolute and free of `.`, `..` and symlinks as far as it exists; the part that
/// does not exist yet is appended as written (after removing `.` and resolving `..` lexically).
pub fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("."))
            .join(path)
    };
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                match Path::new(part).components().next() {
                    Some(Component::ParentDir) => {
                        out.pop();
                    }
                    Some(Component::CurDir) | None => {}
                    _ => out.push(part),
                }
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => {
                // `..` or `.` at the end of a path that does not exist: resolve lexically.
                let last = existing.components().next_back();
                match last {
                    Some(Component::ParentDir) | Some(Component::CurDir) => {
                        rest.push(
                            last.map(|c| c.as_os_str().to_os_string())
                                .unwrap_or_default(),
                        );
                        if !existing.pop() {
                            return abs;
                        }
                    }
                    _ => return abs,
                }
            }
        }
    }
}

/// The inputs of one command, resolved, for overwrite checks.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    resolved: Vec<(PathBuf, PathBuf)>,
}

impl Inputs {
    /// The inputs as given (`-` for stdin is skipped).
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Inputs {
        Inputs {
            resolved: paths
                .into_iter()
                .filter(|p| *p != Path::new("-"))
                .map(|p| (p.to_path_buf(), resolve(p)))
                .collect(),
        }
    }

    /// Add one more input.
    pub fn push(&mut self, path: &Path) {
        if path != Path::new("-") {
            self.resolved.push((path.to_path_buf(), resolve(path)));
        }
    }

    /// Check a file that is about to be written: a regular file or a new path, and not an input.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the clash or the kind of file.
    pub fn check_file(&self, output: &Path) -> Result<()> {
        check_output_file(output)?;
        if output == Path::new("-") {
            return Ok(());
        }
        let out = resolve(output);
        if let Some((given, _)) = self.resolved.iter().find(|(_, r)| *r == out) {
            return Err(Error::usage(
                format!(
                    "output {} is also an input ({}); satkit never modifies an input file",
                    output.display(),
                    given.display()
                ),
                "write to a different path",
            ));
        }
        Ok(())
    }

    /// Check a path inside a directory that satkit replaces as a whole: no input may lie at it
    /// or below it.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the input and the cure.
    pub fn check_replaced(&self, replaced: &Path, outdir: &Path) -> Result<()> {
        let r = resolve(replaced);
        if let Some((given, _)) = self.resolved.iter().find(|(_, p)| p.starts_with(&r)) {
            return Err(Error::usage(
                format!(
                    "input {} lies in {}, which satkit replaces when it writes {}; satkit never modifies an input file",
                    given.display(),
                    replaced.display(),
                    outdir.display()
                ),
                "move the input out of the output directory, or write to another -o directory",
            ));
        }
        Ok(())
    }
}

/// Fail with a usage error when an output path is one of the inputs, or a device, FIFO, socket
/// or directory.
///
/// # Errors
/// [`Error::Usage`] naming the clash.
pub fn refuse_overwrite(output: &Path, inputs: &[&Path]) -> Result<()> {
    Inputs::new(inputs.iter().copied()).check_file(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_handles_missing_tails_and_dots() {
        let cwd = std::fs::canonicalize(".").unwrap();
        assert_eq!(resolve(Path::new("no/such/../x")), cwd.join("no/x"));
        assert_eq!(resolve(Path::new("./a/./b")), cwd.join("a/b"));
        assert_eq!(
            resolve(Path::new("src/../Cargo.toml")),
            cwd.join("Cargo.toml")
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_not_output_files() {
        assert!(check_output_file(Path::new("/dev/null")).is_err());
        assert!(check_output_file(Path::new("-")).is_ok());
        assert!(check_output_file(Path::new("src")).is_err());
        assert!(check_output_file(Path::new("Cargo.toml")).is_ok());
        assert!(check_output_file(Path::new("target/no-such-file")).is_ok());
    }
}
