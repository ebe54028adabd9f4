//! What a load may skip: `serve`'s watcher says which paths changed since the last load
//! ([`Changes`]), and [`Listing`] remembers what the last load's walks found. A load told of
//! changed paths looks again at those paths only (and at every link, whose target may change
//! without an event on the link) instead of walking every folder and checking every file's
//! size and time; anything it cannot place (a folder made, removed or renamed, a path whose
//! parent is a link or gone, a file with a second name: a hard link, changed under both)
//! makes it walk everything, as a load told nothing does.
//!
//! This decides only which files are read again, never what is reused: whatever is read goes
//! through the same jail ([`super::Loader::resolve`]) and the same decoding, and the pages
//! built from it are reused only when what they are rendered from is unchanged.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::is_ignored;

/// What changed on disk since the last load, as far as the caller knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Changes {
    /// Anything may have changed: walk every folder, check every file.
    #[default]
    Unknown,
    /// Only these paths (relative to the site root) may have changed; an empty set means
    /// nothing did.
    Paths(BTreeSet<PathBuf>),
}

impl Changes {
    /// The changes inside `dir` (relative to the site root), relative to `dir`: a recap's
    /// share of a blog's changes. A change to `dir` itself or above it is [`Changes::Unknown`].
    pub fn within(&self, dir: &Path) -> Changes {
        match self {
            Changes::Unknown => Changes::Unknown,
            Changes::Paths(paths) => {
                if paths.iter().any(|p| dir.starts_with(p)) {
                    return Changes::Unknown;
                }
                Changes::Paths(
                    paths
                        .iter()
                        .filter_map(|p| p.strip_prefix(dir).ok())
                        .map(Path::to_path_buf)
                        .collect(),
                )
            }
        }
    }
}

/// The folders a load walks, relative to the site root.
pub(super) const WALKED: [&str; 4] = ["content/days", "content/talks", "templates", "static"];

/// A walked folder's entries as walkdir gives them (sorted by path, which is walkdir's
/// sorted depth-first order): files, and links (`true`), which are resolved on every load.
pub(super) type Entries = BTreeMap<PathBuf, bool>;

/// What the last load's walks found, by walked folder (a folder that was missing, led out
/// of the site or was a link is not here, and is walked again).
#[derive(Debug, Default, Clone)]
pub(super) struct Listing(pub HashMap<&'static str, Entries>);

impl Listing {
    /// The listing with `changed` looked at again under `root`, or `None` when a change
    /// cannot be placed without walking (a folder appeared or went, a path below a link).
    pub fn patched(mut self, root: &Path, changed: &BTreeSet<PathBuf>) -> Option<Listing> {
        for p in changed {
            if WALKED.iter().any(|d| Path::new(d).starts_with(p)) {
                // A walked folder or one above it was made, removed, renamed or touched.
                return None;
            }
            let Some(dir) = WALKED.iter().find(|d| p.starts_with(d)) else {
                continue;
            };
            let Some(entries) = self.0.get_mut(dir) else {
                // Not listed: this folder is walked anyway.
                continue;
            };
            let below = p.strip_prefix(dir).unwrap_or(p);
            if below
                .components()
                .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
            {
                continue;
            }
            // Every folder between the walked one and the path must still be a folder (a
            // link there is not followed by the walk; a missing one was removed).
            let mut at = PathBuf::from(dir);
            let parents: Vec<_> = below.components().collect();
            for c in parents.iter().take(parents.len().saturating_sub(1)) {
                at.push(c);
                if !root.join(&at).symlink_metadata().is_ok_and(|m| m.is_dir()) {
                    return None;
                }
            }
            // A folder that went, or became a file or a link, takes what was below it: walk.
            // (Entries are in path order, which puts whatever is below `p` right after it.)
            let was_folder = || {
                use std::ops::Bound::{Excluded, Unbounded};
                entries
                    .range::<Path, _>((Excluded(p.as_path()), Unbounded))
                    .next()
                    .is_some_and(|(k, _)| k.starts_with(p))
            };
            match root.join(p).symlink_metadata() {
                Ok(_) | Err(_) if was_folder() => return None,
                Ok(m) if m.is_file() => {
                    entries.insert(p.clone(), false);
                }
                Ok(m) if m.file_type().is_symlink() => {
                    entries.insert(p.clone(), true);
                }
                Ok(_) => return None,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    entries.remove(p);
                }
                Err(_) => return None,
            }
        }
        Some(self)
    }
}

/// Whether `rel` and every folder on the way to it are real folders (no link), so that the
/// watcher's events name the files below it.
pub(super) fn is_real_dir(root: &Path, rel: &Path) -> bool {
    let mut at = root.to_path_buf();
    rel.components().all(|c| {
        at.push(c);
        at.symlink_metadata().is_ok_and(|m| m.is_dir())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(ps: &[&str]) -> Changes {
        Changes::Paths(ps.iter().map(PathBuf::from).collect())
    }

    #[test]
    fn a_recap_gets_its_share_of_a_blogs_changes() {
        let c = paths(&[
            "posts/a/content/talks/x.md",
            "posts/b/summit.yaml",
            "summit.yaml",
        ]);
        assert_eq!(
            c.within(Path::new("posts/a")),
            paths(&["content/talks/x.md"])
        );
        assert_eq!(c.within(Path::new("posts/c")), paths(&[]));
        assert_eq!(
            paths(&["posts"]).within(Path::new("posts/a")),
            Changes::Unknown
        );
    }
}
