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
            "choose an output folder inside the site, e.g. `--output public`",
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

/// An absolute path without requiring it to exist (its parent must).
fn absolute(path: &Path) -> Result<PathBuf> {
    if let Ok(p) = fs::canonicalize(path) {
        return Ok(p);
    }
    let abs = std::path::absolute(path).map_err(|e| Error::io("could not resolve", path, e))?;
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Ok(abs);
    };
    match fs::canonicalize(parent) {
        Ok(p) => Ok(p.join(name)),
        Err(e) => Err(Error::io(
            "the output folder's parent does not exist",
            parent,
            e,
        )),
    }
}

/// Writes `files` to `output` (checked with [`check_output`]) atomically.
pub fn write_site(root: &Path, output: &Path, files: &[OutputFile]) -> Result<()> {
    let out = check_output(root, output)?;
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Err(Error::Output {
            path: output.to_path_buf(),
            reason: "is not a folder we can write".into(),
            help: "choose another output folder".into(),
        });
    };
    let name = name.to_string_lossy();
    let staging = parent.join(format!(".{name}.summit-gen-new"));
    let retired = parent.join(format!(".{name}.summit-gen-old"));
    remove_ours(&staging)?;
    remove_ours(&retired)?;

    if let Err(e) = fill(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        fs::rename(&out, &retired)
            .map_err(|e| Error::io("could not move the old output aside", &out, e))?;
    }
    if let Err(e) = fs::rename(&staging, &out) {
        // Put the previous output back: nothing lost.
        if retired.exists() {
            let _ = fs::rename(&retired, &out);
        }
        return Err(Error::io(
            "could not move the new output into place",
            &out,
            e,
        ));
    }
    remove_ours(&retired)
}

fn fill(dir: &Path, files: &[OutputFile]) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| Error::io("could not create", dir, e))?;
    write_file(&dir.join(MARKER), MARKER_TEXT.as_bytes())?;
    for f in files {
        let path = dir.join(&f.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io("could not create", p, e))?;
        }
        write_file(&path, &f.contents)?;
    }
    Ok(())
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
