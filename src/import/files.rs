//! Where import's files go, and writing them so that a failure leaves nothing half-done.
//!
//! New notes are named `content/talks/day-N/<slug>.md` (or `-2`, `-3` …) from the one
//! [`crate::model::slugify`], so their names are as short as the build's. Before anything is
//! written, every target is checked (its folders are folders or can be made, its names fit
//! the file system); then every file is written beside its target under a short hidden name,
//! and only when all of them are written are they renamed into place. A failure before the
//! renames removes what was staged (and the folders made for it).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::model::{UniqueNames, slugify};

/// The longest file name (in bytes) the common file systems take (ext4, APFS, NTFS).
pub const NAME_MAX: usize = 255;
/// The longest path (in bytes) passed to the system in one piece (Linux `PATH_MAX`; macOS
/// allows 1024).
#[cfg(target_os = "macos")]
pub const PATH_MAX: usize = 1024;
#[cfg(not(target_os = "macos"))]
pub const PATH_MAX: usize = 4096;

/// Free file names for new notes, per day folder, in the order asked.
#[derive(Default)]
pub struct NoteNames {
    days: HashMap<u32, UniqueNames>,
}

impl NoteNames {
    /// `content/talks/day-N/<slug>.md`, or `<slug>-2.md` … when a file (or folder) of that name
    /// is there or already planned. Each day folder is listed once, so N equal titles cost
    /// O(N). Names are compared in lower case, as a case-insensitive file system would.
    pub fn claim(&mut self, root: &Path, day: u32, title: &str) -> PathBuf {
        let dir = day_dir(day);
        let names = self.days.entry(day).or_insert_with(|| {
            let existing = std::fs::read_dir(root.join(&dir))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_lowercase();
                    name.strip_suffix(".md").map(String::from)
                });
            UniqueNames::new(existing)
        });
        dir.join(format!("{}.md", names.claim(slugify(title))))
    }
}

fn day_dir(day: u32) -> PathBuf {
    PathBuf::from(format!("content/talks/day-{day}"))
}

/// Why `rel` (relative to `root`) cannot be written, if it cannot: a folder on its way is a
/// file, a name is longer than the file system takes, or the whole path is.
pub fn check_target(root: &Path, rel: &Path) -> Option<Diagnostic> {
    let shown = |p: &Path| crate::load::display_path(root, p);
    let full = root.join(rel);
    if full.as_os_str().len() + STAGED_EXTRA > PATH_MAX {
        return Some(
            Diagnostic::new(
                shown(rel),
                format!("the path is longer than {PATH_MAX} bytes"),
            )
            .help("import into a site folder with a shorter path"),
        );
    }
    let mut at = PathBuf::new();
    let parts: Vec<Component<'_>> = rel.components().collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let len = part.as_os_str().len();
        if len > NAME_MAX {
            return Some(
                Diagnostic::new(
                    shown(rel),
                    format!("a name in it is {len} bytes long; file systems take {NAME_MAX}"),
                )
                .help("rename it"),
            );
        }
        let last = i + 1 == parts.len();
        match std::fs::metadata(root.join(&at)) {
            Ok(m) if !last && !m.is_dir() => {
                return Some(
                    Diagnostic::new(shown(&at), "is a file, where import needs a folder")
                        .help("move or rename the file"),
                );
            }
            Ok(m) if last && m.is_dir() => {
                return Some(
                    Diagnostic::new(shown(&at), "is a folder, where a file is to be written")
                        .help("move or rename the folder"),
                );
            }
            _ => {}
        }
    }
    None
}

/// Bytes a staged name may add to a target's path (`.summit-gen-import-NNNNNN.tmp` in the
/// same folder, which is never longer than a note name may be).
const STAGED_EXTRA: usize = 32;

/// Writes `files` (path relative to `root`, text): all staged first, then renamed into place.
pub fn write_all(root: &Path, files: &[(&Path, &str)]) -> Result<()> {
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = stage(root, files, &mut made_dirs, &mut staged);
    let result = result.and_then(|()| {
        for (i, (tmp, target)) in staged.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, target) {
                // Those before are in place; the rest are not yet: remove them.
                for (tmp, _) in &staged[i..] {
                    let _ = std::fs::remove_file(tmp);
                }
                return Err(Error::io("could not replace", target, e));
            }
        }
        Ok(())
    });
    if result.is_err() {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        // Deepest first; only folders made here, and only if still empty.
        for dir in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn stage(
    root: &Path,
    files: &[(&Path, &str)],
    made_dirs: &mut Vec<PathBuf>,
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<()> {
    for (i, (rel, text)) in files.iter().enumerate() {
        let target = root.join(rel);
        let dir = target.parent().unwrap_or(root).to_path_buf();
        make_dirs(&dir, made_dirs)?;
        let tmp = dir.join(format!(".summit-gen-import-{i:06}.tmp"));
        std::fs::write(&tmp, text).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io("could not write", &tmp, e)
        })?;
        staged.push((tmp, target));
    }
    Ok(())
}

/// `create_dir_all`, remembering each folder it made (parents first).
fn make_dirs(dir: &Path, made: &mut Vec<PathBuf>) -> Result<()> {
    let missing: Vec<&Path> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
        .collect();
    for d in missing.into_iter().rev() {
        std::fs::create_dir(d).map_err(|e| Error::io("could not create", d, e))?;
        made.push(d.to_path_buf());
    }
    Ok(())
}
