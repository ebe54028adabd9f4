//! Writes an export into a folder that holds other things: the host blog's root.
//!
//! The rule is `build`'s marker rule, per file instead of per folder: the output's
//! `.summit-gen-export` lists every file export wrote there, by recap (its slug). An export
//! replaces only files that list names for the same recap, removes those of its files the
//! recap no longer has, and refuses to write over any other file. Nothing outside the output
//! is touched, and nothing in the recap's own source folders.
//!
//! Every file is first written beside its target (`.NAME.summit-gen-new`); only when all are
//! written are they renamed into place, each rename replacing one file at once. The list is
//! written before the renames, naming the old files and the new, so a stop half-way leaves
//! every file export wrote claimed by it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The list, in the output folder, of the files export wrote there.
pub const MANIFEST: &str = ".summit-gen-export";
const HEADER: &str = "# Files summit-gen export wrote here (recap, then path). It replaces and removes only these.\n";

/// Folders and files of the recap that export never writes into.
const SOURCES: &[&str] = &["content", "templates", "static", "summit.yaml"];

pub(super) struct Done {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

/// Puts `files` (paths relative to `output`) in place for the recap `slug`.
pub(super) fn replace(
    root: &Path,
    output: &Path,
    slug: &str,
    files: &[(String, Vec<u8>)],
) -> Result<Done> {
    let refuse = |path: &Path, reason: String, help: &str| Error::Output {
        path: path.to_path_buf(),
        reason,
        help: help.into(),
    };
    fs::create_dir_all(output).map_err(|e| Error::io("could not create", output, e))?;
    let out = fs::canonicalize(output).map_err(|e| Error::io("could not open", output, e))?;
    let root = fs::canonicalize(root).map_err(|e| Error::io("could not open", root, e))?;

    let manifest = out.join(MANIFEST);
    let listed = read_manifest(&manifest)?;
    let ours: BTreeSet<&str> = listed
        .iter()
        .filter(|(s, _)| s == slug)
        .map(|(_, p)| p.as_str())
        .collect();

    for (rel, _) in files {
        let target = out.join(rel);
        if let Some(source) = SOURCES.iter().find(|s| target.starts_with(root.join(s))) {
            return Err(refuse(
                &target,
                format!("is in the recap's own `{source}`, which summit-gen reads"),
                "export into the host blog's folder, e.g. `--output ../blog`",
            ));
        }
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => {
                return Err(refuse(
                    &target,
                    "is a folder where export writes a file".into(),
                    "move it away, or choose another `--output`",
                ));
            }
            Ok(_) if !ours.contains(rel.as_str()) => {
                return Err(refuse(
                    &target,
                    "exists and was not written by an export of this recap; export will not replace it".into(),
                    "move it away, or choose another `--output`",
                ));
            }
            _ => {}
        }
    }

    // Stage every file beside its target.
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut stage_all = || -> Result<()> {
        for (rel, bytes) in files {
            let target = out.join(rel);
            if fs::read(&target).is_ok_and(|old| &old == bytes) {
                continue;
            }
            let dir = target.parent().unwrap_or(&out);
            fs::create_dir_all(dir).map_err(|e| Error::io("could not create", dir, e))?;
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let temp = dir.join(format!(".{name}.summit-gen-new"));
            fs::write(&temp, bytes).map_err(|e| Error::io("could not write", &temp, e))?;
            staged.push((temp, target));
        }
        Ok(())
    };
    let staged_ok = stage_all();
    let unstage = |staged: &[(PathBuf, PathBuf)]| {
        for (temp, _) in staged {
            let _ = fs::remove_file(temp);
        }
    };
    if let Err(e) = staged_ok {
        unstage(&staged);
        return Err(e);
    }

    let new: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let others = listed.iter().filter(|(s, _)| s != slug);
    let claim = |paths: &BTreeSet<&str>| -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = others
            .clone()
            .cloned()
            .chain(paths.iter().map(|p| (slug.to_string(), p.to_string())))
            .collect();
        all.sort();
        all.dedup();
        all
    };
    if let Err(e) = write_manifest(&manifest, &claim(&ours.union(&new).copied().collect())) {
        unstage(&staged);
        return Err(e);
    }
    for (temp, target) in &staged {
        fs::rename(temp, target).map_err(|e| Error::io("could not move into place", target, e))?;
    }
    let mut removed = Vec::new();
    for gone in ours.difference(&new) {
        let path = out.join(gone);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            fs::remove_file(&path).map_err(|e| Error::io("could not remove", &path, e))?;
            removed.push(gone.to_string());
            remove_empty_parents(&path, &out, slug);
        }
    }
    write_manifest(&manifest, &claim(&new))?;
    Ok(Done {
        written: new.iter().map(|s| s.to_string()).collect(),
        removed,
    })
}

/// `(recap, path)` per line; lines that are not such a pair name nothing of ours.
fn read_manifest(path: &Path) -> Result<Vec<(String, String)>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("could not read", path, e)),
    };
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, p)| safe(p))
        .map(|(s, p)| (s.to_string(), p.to_string()))
        .collect())
}

/// A path inside the output: relative, no `..`.
fn safe(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

fn write_manifest(path: &Path, entries: &[(String, String)]) -> Result<()> {
    let mut text = String::from(HEADER);
    for (slug, rel) in entries {
        text.push_str(&format!("{slug}\t{rel}\n"));
    }
    let temp = path.with_file_name(format!("{MANIFEST}.summit-gen-new"));
    fs::write(&temp, text).map_err(|e| Error::io("could not write", &temp, e))?;
    fs::rename(&temp, path).map_err(|e| Error::io("could not write", path, e))
}

/// Removes the folders above a removed file that are empty now and are the recap's own
/// (`content/posts/<slug>/…`, `assets/<slug>/…`): a blog's `content/posts/` stays, empty or not.
fn remove_empty_parents(file: &Path, out: &Path, slug: &str) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        let ours = d
            .strip_prefix(out)
            .is_ok_and(|rel| rel.components().any(|c| c.as_os_str() == slug));
        if !ours || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
