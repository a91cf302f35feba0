//! Whole output sets: a command that writes a directory (analyze, report, batch, compare, grade's
//! feedback) writes it into a staging directory beside it and swaps it in at the end, so the
//! directory always holds one complete set, the previous one or the new one, whatever happens
//! on the way (an error, a full disk, SIGKILL).
//!
//! Design: [`OutputDir::begin`] resolves the target (through symlinks), checks what it holds,
//! removes what dead earlier runs left beside it, and creates `.NAME.satkit-stage-PID-K`.
//! The command writes into [`OutputDir::path`]. [`OutputDir::commit`] swaps the stage and the
//! target in one `renameat2(RENAME_EXCHANGE)` where the platform has it (else two renames, with
//! recovery on the next run), then deletes the previous set. Dropping an uncommitted
//! `OutputDir` deletes the stage.
//!
//! What the target may hold: the entries the command owns (see [`Owned`]), which the new set
//! replaces, and plain files it does not own, which are carried into the new set as hard links
//! (the same file, never rewritten). Anything else (a directory or link satkit did not write) is
//! refused before any work, as is the current directory itself, so a swap never drops a
//! user's file.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::guard::{Inputs, check_output_dir, resolve};
use crate::error::{Error, Result};

/// Which top-level names of an output directory belong to the command that writes it.
#[derive(Debug, Clone, Copy)]
pub enum Owned<'a> {
    /// Exactly these names (files or directories).
    Names(&'a [&'a str]),
    /// Every name with one of these extensions (e.g. `md` for grade's feedback files).
    Extensions(&'a [&'a str]),
    /// Every name this rule accepts.
    Rule(fn(&str) -> bool),
}

impl Owned<'_> {
    fn owns(&self, name: &str) -> bool {
        match self {
            Owned::Names(names) => names.contains(&name),
            Owned::Extensions(exts) => Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e))),
            Owned::Rule(rule) => rule(name),
        }
    }
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A directory being written as a whole; see the module documentation.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    stage: PathBuf,
    committed: bool,
}

const STAGE: &str = "satkit-stage";
const OLD: &str = "satkit-old";

impl OutputDir {
    /// Start writing `dir`: check it, clean what dead runs left beside it, and create the stage
    /// (carrying the plain files the command does not own). `inputs` must not lie in a part
    /// the new set replaces.
    ///
    /// # Errors
    /// [`Error::Usage`] when `dir` is not a directory, is the current directory or one of its
    /// parents, holds entries satkit did not write, or holds an input where the set replaces
    /// it; I/O errors with the path.
    pub fn begin(dir: &Path, owned: Owned<'_>, inputs: &Inputs) -> Result<OutputDir> {
        check_output_dir(dir)?;
        let target = resolve(dir);
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(Error::usage(
                format!("output directory {} cannot be replaced", dir.display()),
                "give a directory below the file-system root, e.g. -o out",
            ));
        };
        let name = name.to_string_lossy().into_owned();
        if let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize)
            && cwd.starts_with(&target)
        {
            return Err(Error::usage(
                format!(
                    "output directory {} is the current directory or one of its parents, which satkit would replace as a whole",
                    dir.display()
                ),
                "write to a new subdirectory, e.g. -o out",
            ));
        }
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        recover_leftovers(parent, &name, &target);
        let carried = plan_carry(dir, &target, owned, inputs)?;
        let k = NEXT.fetch_add(1, Ordering::SeqCst);
        let stage = parent.join(format!(".{name}.{STAGE}-{}-{k}", std::process::id()));
        std::fs::create_dir(&stage).map_err(|e| Error::io(&stage, e))?;
        let out = OutputDir {
            target,
            stage,
            committed: false,
        };
        for file in carried {
            let Some(file_name) = file.file_name() else {
                continue;
            };
            let dest = out.stage.join(file_name);
            if std::fs::hard_link(&file, &dest).is_err() {
                std::fs::copy(&file, &dest).map_err(|e| Error::io(&file, e))?;
            }
        }
        Ok(out)
    }

    /// Where to write the new set.
    pub fn path(&self) -> &Path {
        &self.stage
    }

    /// The directory the set becomes, resolved.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swap the new set in and delete the previous one.
    ///
    /// # Errors
    /// I/O errors of the swap, with the path; the previous set then stays in place.
    pub fn commit(mut self) -> Result<()> {
        let err = |e| Error::io(&self.target, e);
        if std::fs::symlink_metadata(&self.target).is_err() {
            std::fs::rename(&self.stage, &self.target).map_err(err)?;
        } else if exchange(&self.stage, &self.target).is_ok() {
            // The stage now holds the previous set.
            let _ = std::fs::remove_dir_all(&self.stage);
        } else {
            let old = self.stage.with_file_name(
                self.stage
                    .file_name()
                    .map(|n| n.to_string_lossy().replace(STAGE, OLD))
                    .unwrap_or_default(),
            );
            std::fs::rename(&self.target, &old).map_err(err)?;
            if let Err(e) = std::fs::rename(&self.stage, &self.target) {
                let _ = std::fs::rename(&old, &self.target);
                return Err(err(e));
            }
            let _ = std::fs::remove_dir_all(&old);
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.stage);
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// The plain files in `target` that the new set carries over; refuses what it cannot keep.
fn plan_carry(
    dir: &Path,
    target: &Path,
    owned: Owned<'_>,
    inputs: &Inputs,
) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(target) else {
        return Ok(Vec::new());
    };
    let mut carried = Vec::new();
    let mut foreign = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if owned.owns(&name) {
            inputs.check_replaced(&path, dir)?;
        } else if leftover_pid(&name).is_some() {
            // A staging file of another run; recover_leftovers handles the dead ones.
        } else if entry.file_type().is_ok_and(|t| t.is_file()) {
            carried.push(path);
        } else {
            foreign.push(name);
        }
    }
    if !foreign.is_empty() {
        foreign.sort();
        return Err(Error::usage(
            format!(
                "output directory {} holds {} that satkit did not write; satkit replaces the directory as a whole and keeps only plain files",
                dir.display(),
                foreign.join(", ")
            ),
            "move them away, or write to a new directory with -o",
        ));
    }
    carried.sort();
    Ok(carried)
}

/// The PID in a staging name `.NAME.satkit-stage-PID-K`, `.NAME.satkit-old-PID-K` or
/// `.NAME.satkit-tmp-PID-K`.
pub fn leftover_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (_, tail) = [STAGE, OLD, "satkit-tmp"]
        .iter()
        .find_map(|tag| rest.rsplit_once(&format!(".{tag}-")))?;
    tail.split('-').next()?.parse().ok()
}

/// True when process `pid` is not running (so what it left is stale).
pub fn is_dead(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if Path::new("/proc/self").exists() {
        return !Path::new("/proc").join(pid.to_string()).exists();
    }
    // Without /proc: stale after a day.
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() > 86_400)
}

/// Remove the stages and temporary files of dead runs of `name` in `parent`; restore a previous
/// set that a run killed between its two renames left aside.
pub(super) fn recover_leftovers(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(tail) = file.strip_prefix(&prefix) else {
            continue;
        };
        let path = entry.path();
        let Some(pid) = leftover_pid(&file) else {
            continue;
        };
        if !is_dead(pid, &path) {
            continue;
        }
        if tail.starts_with(OLD) && std::fs::symlink_metadata(target).is_err() {
            let _ = std::fs::rename(&path, target);
        } else if tail.starts_with(STAGE) || tail.starts_with(OLD) {
            let _ = std::fs::remove_dir_all(&path);
        } else if tail.starts_with("satkit-tmp") {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_parse() {
        assert_eq!(leftover_pid(".out.satkit-stage-123-0"), Some(123));
        assert_eq!(leftover_pid(".a.b.satkit-old-9-2"), Some(9));
        assert_eq!(leftover_pid(".r.json.satkit-tmp-77-1"), Some(77));
        assert_eq!(leftover_pid("out"), None);
        assert_eq!(leftover_pid(".x.satkit-stage-abc-0"), None);
    }

    #[test]
    fn a_set_replaces_the_previous_one_and_keeps_plain_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(out.join("charts")).unwrap();
        std::fs::write(out.join("charts/old.svg"), "old").unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let owned = Owned::Names(&["charts", "results.json"]);
        let set = OutputDir::begin(&out, owned, &Inputs::default()).unwrap();
        std::fs::create_dir(set.path().join("charts")).unwrap();
        std::fs::write(set.path().join("results.json"), "new").unwrap();
        set.commit().unwrap();
        assert!(!out.join("charts/old.svg").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("results.json")).unwrap(),
            "new"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "only out/ remains: {left:?}");
    }

    #[test]
    fn an_uncommitted_set_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        {
            let set = OutputDir::begin(&out, Owned::Names(&[]), &Inputs::default()).unwrap();
            std::fs::write(set.path().join("x"), "x").unwrap();
        }
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn foreign_directories_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("out/data")).unwrap();
        let e = OutputDir::begin(
            &tmp.path().join("out"),
            Owned::Names(&["results.json"]),
            &Inputs::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("holds data that satkit did not write"),
            "{e}"
        );
    }
}
