//! Write stage: the only place that changes the disk.
//!
//! A build is written to a fresh folder beside the output (`.NAME.summit-gen-new`) and swapped
//! in only when every file is written, so a failed build leaves the previous output as it was.
//! The output folder is marked with a `.summit-gen` file; a folder without the mark that holds
//! anything is never emptied, and the output may not be the site root, one of its parents, or a
//! folder summit-gen reads from.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::OutputFile;

/// The mark of a folder summit-gen wrote.
pub const MARKER: &str = ".summit-gen";
const MARKER_TEXT: &str = "This folder is written by summit-gen and replaced on every build.\n";

/// Folders of a site that summit-gen reads, so never writes into.
const SOURCE_DIRS: &[&str] = &["content", "templates", "static"];

/// Checks that `output` is a folder we may replace; returns its absolute form.
pub fn check_output(root: &Path, output: &Path) -> Result<PathBuf> {
    let refuse = |reason: &str, help: &str| Error::Output {
        path: output.to_path_buf(),
        reason: reason.into(),
        help: help.into(),
    };
    let root_abs =
        fs::canonicalize(root).map_err(|e| Error::io("could not open the site folder", root, e))?;
    let out_abs = absolute(output)?;
    if root_abs.starts_with(&out_abs) {
        return Err(refuse(
            "is the site folder or one of its parents",
            "choose another output folder, e.g. `--output public`",
        ));
    }
    for dir in SOURCE_DIRS {
        if out_abs.starts_with(root_abs.join(dir)) {
            return Err(refuse(
                &format!("is inside `{dir}/`, which summit-gen reads"),
                "choose another output folder, e.g. `--output public`",
            ));
        }
    }
    if out_abs.exists() {
        if !out_abs.is_dir() {
            return Err(refuse(
                "exists and is not a folder",
                "remove it or choose another output folder",
            ));
        }
        let marked = out_abs.join(MARKER).is_file();
        let empty = fs::read_dir(&out_abs)
            .map_err(|e| Error::io("could not list", &out_abs, e))?
            .next()
            .is_none();
        if !marked && !empty {
            return Err(refuse(
                "holds files that summit-gen did not write, and it will not delete them",
                "move those files away, or choose another output folder",
            ));
        }
    }
    Ok(out_abs)
}

/// An absolute, canonical path without requiring it (or its parents) to exist: the nearest
/// existing ancestor is canonicalized and the rest appended.
fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path).map_err(|e| Error::io("could not resolve", path, e))?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(p) = fs::canonicalize(existing) {
            return Ok(rest.iter().rev().fold(p, |acc, part| acc.join(part)));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// The folders a build of output folder `name` writes beside it: the new build while it is
/// written, and the previous one while it is swapped out.
pub fn beside(name: &str) -> [String; 2] {
    [
        format!(".{name}.summit-gen-new"),
        format!(".{name}.summit-gen-old"),
    ]
}

/// A build being written: a fresh folder beside the output that files are put into as they
/// are rendered (from any thread), swapped in by [`Staging::commit`]. Dropped without a
/// commit, it removes itself and the previous output stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    written: std::sync::Mutex<Vec<String>>,
    committed: bool,
}

impl Staging {
    /// Checks `output` (see [`check_output`]) and creates the staging folder beside it.
    pub fn begin(root: &Path, output: &Path) -> Result<Staging> {
        let out = check_output(root, output)?;
        let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
            return Err(Error::Output {
                path: output.to_path_buf(),
                reason: "is not a folder we can write".into(),
                help: "choose another output folder".into(),
            });
        };
        let name = name.to_string_lossy();
        fs::create_dir_all(parent).map_err(|e| Error::io("could not create", parent, e))?;
        let [new, old] = beside(&name);
        let dir = parent.join(new);
        let retired = parent.join(old);
        remove_ours(&dir)?;
        remove_ours(&retired)?;
        fs::create_dir_all(&dir).map_err(|e| Error::io("could not create", &dir, e))?;
        let staging = Staging {
            out,
            dir,
            retired,
            written: std::sync::Mutex::new(Vec::new()),
            committed: false,
        };
        write_file(&staging.dir.join(MARKER), MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Swaps the new output in; returns the files written, sorted.
    pub fn commit(mut self) -> Result<Vec<String>> {
        if self.out.exists() {
            fs::rename(&self.out, &self.retired)
                .map_err(|e| Error::io("could not move the old output aside", &self.out, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            // Put the previous output back: nothing lost.
            if self.retired.exists() {
                let _ = fs::rename(&self.retired, &self.out);
            }
            return Err(Error::io(
                "could not move the new output into place",
                &self.out,
                e,
            ));
        }
        self.committed = true;
        remove_ours(&self.retired)?;
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        written.sort();
        Ok(written)
    }
}

impl Staging {
    /// Creates `rel`'s folder and writes it with `write`, then records it.
    fn write(&self, rel: &str, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            make_dir(p)?;
        }
        write(&path)?;
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
        Ok(())
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.write(&file.path, |path| write_file(path, &file.contents))
    }

    fn put_parts(&self, rel: &str, parts: &[&str]) -> Result<()> {
        self.write(rel, |path| {
            let file =
                fs::File::create(path).map_err(|e| Error::io("could not create", path, e))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            for p in parts {
                out.write_all(p.as_bytes())
                    .map_err(|e| Error::io("could not write", path, e))?;
            }
            out.flush()
                .map_err(|e| Error::io("could not write", path, e))
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Creates `dir` (and its parents if needed); fine if it exists. One call in the common case,
/// where the parent is already there, instead of a check and a call for each page.
fn make_dir(dir: &Path) -> Result<()> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| Error::io("could not create", dir, e))
        }
        Err(e) => Err(Error::io("could not create", dir, e)),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = fs::File::create(path).map_err(|e| Error::io("could not create", path, e))?;
    file.write_all(bytes)
        .map_err(|e| Error::io("could not write", path, e))
}

/// Removes a leftover staging folder, but only one that carries our mark (or is empty).
fn remove_ours(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let ours = dir.join(MARKER).is_file()
        || fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
    if !ours {
        return Err(Error::Output {
            path: dir.to_path_buf(),
            reason: "is in the way and was not written by summit-gen".into(),
            help: "move it away".into(),
        });
    }
    fs::remove_dir_all(dir).map_err(|e| Error::io("could not remove", dir, e))
}
