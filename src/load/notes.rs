//! content/talks/ in a load: a load told what changed starts from the last load's notes
//! ([`Notes`]) and reads only the changed paths again, so an edit of one note costs one read,
//! not a look at every note (10,000 path joins, lookups and new paths). A full pass (a walk,
//! or a change it cannot place) reads every note as `load` always did.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Loader, Source, changes, is_markdown};
use crate::error::Result;

/// A load's notes (content/talks/), kept for the next load when every Markdown file there
/// was a plain file (no link, whose target may change without an event) that could be read.
#[derive(Debug)]
pub(super) struct Notes {
    /// The notes read, in path order.
    pub sources: Vec<Arc<Source>>,
    /// The other files there, in path order.
    pub other: Vec<PathBuf>,
    /// Whether every Markdown file there could be read (a file that is not UTF-8 is read
    /// again on the next load, to report it again).
    pub clean: bool,
}

impl Loader<'_> {
    /// The notes of content/talks/ into [`Inputs::talks`]; returns the other files there.
    /// Told what changed, and the last load's notes were all plain files that were read, it
    /// starts from those and reads only the changed paths again: what a walk and a read of
    /// every file would find, at the cost of what changed.
    pub(super) fn notes(&mut self) -> Result<Vec<PathBuf>> {
        const DIR: &str = "content/talks";
        let last = self.cache.notes.take();
        let Some((entries, known, real)) = self.entries(DIR)? else {
            return Ok(Vec::new());
        };
        if let (true, Some(changed), Some(last)) = (known, self.changed, last)
            && let Some(notes) = self.patch_notes(last, changed, &entries)?
        {
            self.inputs.talks = notes.sources.clone();
            let other = notes.other.clone();
            self.found.0.insert(DIR, entries);
            self.notes = notes.clean.then_some(notes);
            return Ok(other);
        }
        let links = entries.values().any(|link| *link);
        let (notes, other): (Vec<PathBuf>, Vec<PathBuf>) = self
            .files(DIR, entries, real)
            .into_iter()
            .partition(|rel| is_markdown(rel));
        let problems = self.inputs.problems.len();
        self.inputs.talks = self.texts(&notes)?;
        let clean = !links && self.inputs.problems.len() == problems;
        if self.cache.keep && clean {
            self.notes = Some(Notes {
                sources: self.inputs.talks.clone(),
                other: other.clone(),
                clean,
            });
        }
        Ok(other)
    }

    /// The last load's notes with the `changed` paths of content/talks/ read again, as
    /// `entries` (the last walk with the changes placed in it) has them; `None` if a change
    /// is a link, which only a full pass follows.
    fn patch_notes(
        &mut self,
        mut notes: Notes,
        changed: &BTreeSet<PathBuf>,
        entries: &changes::Entries,
    ) -> Result<Option<Notes>> {
        let dir = Path::new("content/talks");
        let changed = || {
            changed
                .iter()
                .filter(|p| p.starts_with(dir) && p.as_path() != dir)
        };
        // Before anything is read, so that a full pass reports nothing twice.
        if changed().any(|rel| entries.get(rel) == Some(&true)) {
            return Ok(None);
        }
        for rel in changed() {
            let at = notes.sources.binary_search_by(|s| s.rel.as_path().cmp(rel));
            let other_at = notes.other.binary_search_by(|o| o.as_path().cmp(rel));
            match entries.get(rel) {
                Some(true) => return Ok(None),
                Some(false) if is_markdown(rel) => {
                    let problems = self.inputs.problems.len();
                    let read = self.text(rel)?.map(Arc::new);
                    notes.clean &= self.inputs.problems.len() == problems;
                    match (at, read) {
                        (Ok(i), Some(src)) => notes.sources[i] = src,
                        (Err(i), Some(src)) => notes.sources.insert(i, src),
                        (Ok(i), None) => drop(notes.sources.remove(i)),
                        (Err(_), None) => {}
                    }
                }
                Some(false) => {
                    if let Err(i) = other_at {
                        notes.other.insert(i, rel.clone());
                    }
                }
                None => {
                    if let Ok(i) = at {
                        notes.sources.remove(i);
                    }
                    if let Ok(i) = other_at {
                        notes.other.remove(i);
                    }
                }
            }
        }
        Ok(Some(notes))
    }
}
