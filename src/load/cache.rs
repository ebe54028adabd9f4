//! The read cache: file contents kept between loads (`serve`), and what the last load's walks
//! found, so a load told what changed reads only that.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::changes::{Changes, Listing};

/// File contents from earlier loads, keyed by path, valid while size and mtime are unchanged
/// (or, in a load told what changed, while no change names the path), and what the last
/// load's walks found. A one-shot cache (`keep` false) remembers nothing.
#[derive(Debug, Default)]
pub struct ReadCache {
    pub(super) keep: bool,
    entries: HashMap<PathBuf, (SystemTime, u64, Arc<[u8]>)>,
    /// Each text file's decoded text, with the bytes it was decoded from: the same bytes give
    /// the same `Arc<str>`, which later stages compare by pointer.
    texts: HashMap<PathBuf, (Arc<[u8]>, Arc<str>)>,
    /// What the last load that succeeded found in the walked folders.
    pub(super) listing: Option<Listing>,
    /// What the last load that succeeded read in content/talks/, when every Markdown file
    /// there was a plain file (no link) that could be read.
    pub(super) notes: Option<super::notes::Notes>,
    /// During a load told what changed: cached contents are taken without a look at the file
    /// (the changed paths and every link were dropped from `entries` first).
    pub(super) trust: bool,
}

impl ReadCache {
    pub fn new(keep: bool) -> Self {
        ReadCache {
            keep,
            ..Self::default()
        }
    }

    /// Prepares a load after `changes`: the listing to use instead of walking, if the
    /// changes can be placed in it. Forgets the contents of every changed path and link.
    pub(super) fn begin(&mut self, root: &Path, changes: &Changes) -> Option<Listing> {
        let listing = self.listing.take();
        self.trust = false;
        let Changes::Paths(changed) = changes else {
            return None;
        };
        // A file with another name (a hard link) changes under that name too, but the event
        // names only this one: look at every file's size and time.
        if changed.iter().any(|p| has_other_names(&root.join(p))) {
            return None;
        }
        let listing = listing?.patched(root, changed)?;
        for p in changed {
            self.entries.remove(&root.join(p));
            self.texts.remove(&root.join(p));
        }
        for (rel, _) in listing.0.values().flatten().filter(|(_, link)| **link) {
            self.entries.remove(&root.join(rel));
        }
        // summit.yaml, intro.md and outro.md are read by name: a link there is read anew.
        for rel in ["summit.yaml", "content/intro.md", "content/outro.md"] {
            let path = root.join(rel);
            if path
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                self.entries.remove(&path);
            }
        }
        self.trust = true;
        Some(listing)
    }

    /// The text of `path`, as `decode` makes it from the bytes (kept as long as the bytes are
    /// the very same).
    pub(super) fn read_text(
        &mut self,
        path: &Path,
        decode: fn(&[u8]) -> super::Decoded,
    ) -> std::io::Result<super::Decoded> {
        let bytes = self.read(path)?;
        if !self.keep {
            return Ok(decode(&bytes));
        }
        if let Some((b, text)) = self.texts.get(path)
            && Arc::ptr_eq(b, &bytes)
        {
            return Ok(Ok(text.clone()));
        }
        let text = decode(&bytes);
        match &text {
            Ok(t) => {
                self.texts.insert(path.to_path_buf(), (bytes, t.clone()));
            }
            Err(_) => {
                self.texts.remove(path);
            }
        }
        Ok(text)
    }

    pub(super) fn read(&mut self, path: &Path) -> std::io::Result<Arc<[u8]>> {
        if !self.keep {
            return Ok(std::fs::read(path)?.into());
        }
        if self.trust
            && let Some((_, _, bytes)) = self.entries.get(path)
        {
            return Ok(bytes.clone());
        }
        let meta = std::fs::metadata(path)?;
        let stamp = (meta.modified()?, meta.len());
        if let Some((m, l, bytes)) = self.entries.get(path)
            && (*m, *l) == stamp
        {
            return Ok(bytes.clone());
        }
        let bytes: Arc<[u8]> = std::fs::read(path)?.into();
        self.entries
            .insert(path.to_path_buf(), (stamp.0, stamp.1, bytes.clone()));
        Ok(bytes)
    }
}

/// Whether the file at `path` has another name (a hard link) that shares its contents.
pub(crate) fn has_other_names(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        path.symlink_metadata()
            .is_ok_and(|m| m.is_file() && m.nlink() > 1)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}
