//! The `.summit-gen` mark: which folders summit-gen wrote, and which files in them are its own.
//!
//! The mark of an output folder lists every file the build wrote, one a line, so anything else
//! found there later was put there by someone else and is never deleted. A mark written before
//! the list existed holds only its first line; everything in such a folder is taken as
//! summit-gen's (as that version promised), except `.git`, which is always kept.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use crate::error::{Error, Result};

/// The mark's file name.
pub const MARKER: &str = ".summit-gen";
/// The mark's first line (the whole mark before it listed files).
pub(super) const MARKER_TEXT: &str =
    "This folder is written by summit-gen and replaced on every build.\n";
const LIST_HEADER: &str = "Files it wrote (a build never deletes anything else in this folder):\n";

/// The folder a Git worktree keeps in the output (e.g. a `gh-pages` checkout): always kept.
pub(super) const GIT: &str = ".git";

/// The mark's text for a folder holding `files` (sorted, relative, `/`-separated).
pub(super) fn text(files: &[String]) -> String {
    let mut text = format!("{MARKER_TEXT}{LIST_HEADER}");
    for f in files {
        text.push_str(&escape(f));
        text.push('\n');
    }
    text
}

/// Whether `dir` carries the mark.
pub(super) fn is_marked(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

/// The files `dir`'s mark lists (escaped as in the mark), or `None` for an earlier mark.
pub(super) fn list(dir: &Path) -> Result<Option<HashSet<String>>> {
    let path = dir.join(MARKER);
    let text = fs::read_to_string(&path).map_err(|e| Error::io("could not read", &path, e))?;
    Ok(text
        .split_once(LIST_HEADER)
        .map(|(_, files)| files.lines().map(String::from).collect()))
}

/// What in `dir` its mark does not list, sorted (folders end in `/`). `.git` and the mark
/// itself are never foreign. `deep: false` looks at the top level only (a quick first check).
pub(super) fn foreign(dir: &Path, listed: &HashSet<String>, deep: bool) -> Result<Vec<String>> {
    let folders: HashSet<&str> = listed
        .iter()
        .flat_map(|f| f.match_indices('/').map(move |(i, _)| &f[..i]))
        .collect();
    let mut found = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(if deep { usize::MAX } else { 1 })
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io("could not list", path, e.into())
        })?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name = rel.to_string_lossy();
        #[cfg(windows)]
        let name = std::borrow::Cow::<str>::Owned(name.replace('\\', "/"));
        let is_dir = entry.file_type().is_dir();
        if entry.depth() == 1 && (name == GIT || name == MARKER) {
            if is_dir {
                walk.skip_current_dir();
            }
            continue;
        }
        let ours = rel.to_str().is_some()
            && if is_dir {
                folders.contains(&*name)
            } else {
                listed.contains(&*escape(&name))
            };
        if !ours {
            if is_dir {
                walk.skip_current_dir();
                found.push(format!("{name}/"));
            } else {
                found.push(name.into_owned());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// One path a line: backslashes and line breaks escaped.
fn escape(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains(['\\', '\n', '\r']) {
        return path.into();
    }
    path.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_tree_has_nothing_foreign_and_the_rest_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = ["index.html", "talks/a/index.html", "odd\nname.txt"];
        for f in files {
            let path = dir.path().join(f);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, "x").expect("write");
        }
        let listed: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        fs::write(dir.path().join(MARKER), text(&listed)).expect("mark");
        fs::create_dir_all(dir.path().join(".git/objects")).expect("git");
        let list = list(dir.path()).expect("read").expect("a list");
        assert_eq!(
            foreign(dir.path(), &list, true).expect("walk"),
            Vec::<String>::new()
        );

        fs::write(dir.path().join("talks/a/mine.txt"), "x").expect("write");
        fs::create_dir_all(dir.path().join("drafts/deep")).expect("mkdir");
        assert_eq!(
            foreign(dir.path(), &list, true).expect("walk"),
            ["drafts/", "talks/a/mine.txt"]
        );
    }

    #[test]
    fn an_earlier_mark_lists_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join(MARKER), MARKER_TEXT).expect("mark");
        assert_eq!(list(dir.path()).expect("read"), None);
    }
}
