//! What a render keeps between builds (`serve`) besides Markdown: the last build's talks,
//! shared values compared by pointer, and what was made from them. A one-note edit then
//! compares 10,000 pointers and looks at the edited talk alone, where each build would
//! otherwise write out every talk's path and slug, hash every path, and give every speaker
//! an id again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::model::{Site, Talk};

/// Kept in the Markdown cache, which lives as long as the builds it serves. Every field is
/// a function of the talks it was made from, so it is right whichever build made it.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// The last build's talks in reading order, each with its note's hash (`None`: none
    /// known) and its part of the site's shape ([`super::talk_shape`]).
    talks: Vec<(Arc<Talk>, Option<u64>, u64)>,
    /// The speakers' ids, made from the talks' speakers' names.
    speaker_ids: Option<Arc<HashMap<String, String>>>,
    /// The tags' slugs by spelling, made from the talks' tags.
    tag_slugs: Option<Arc<HashMap<String, String>>>,
}

/// What [`Memo::see`] found of this build's talks against the last build's.
pub(crate) struct Seen {
    /// Every talk's note is shown under the same slug, in the same order, as last time.
    pub(crate) same_places: bool,
    /// Every talk's speakers are named as last time, in the same order.
    pub(crate) same_speakers: bool,
    /// Every talk has the tags it had, in the same order.
    pub(crate) same_tags: bool,
}

impl Memo {
    /// Compares `site`'s talks with the last build's, by pointer, and by value only where
    /// the pointer differs (an edited note's talk is new), and keeps them for the next
    /// build, with the hash of each note (from `notes`, looked up for new talks only).
    pub(crate) fn see(&mut self, site: &Site, notes: Option<&HashMap<PathBuf, u64>>) -> Seen {
        let count: usize = site.days.iter().map(|d| d.talks.len()).sum();
        let aligned = count == self.talks.len();
        let mut seen = Seen {
            same_places: aligned,
            same_speakers: aligned,
            same_tags: aligned,
        };
        if !aligned {
            self.talks.clear();
        }
        let now = site.days.iter().flat_map(|d| &d.talks);
        let hash = |t: &Talk| notes.and_then(|n| n.get(&t.path).copied());
        if !aligned {
            self.talks = now
                .map(|t| (t.clone(), hash(t), super::talk_shape(t)))
                .collect();
            return seen;
        }
        for (t, (last, last_hash, shape)) in now.zip(&mut self.talks) {
            if Arc::ptr_eq(t, last) {
                continue;
            }
            seen.same_places &= t.rel == last.rel && t.slug == last.slug;
            seen.same_speakers &= t.speakers.len() == last.speakers.len()
                && t.speakers
                    .iter()
                    .zip(&last.speakers)
                    .all(|(a, b)| a.name == b.name);
            seen.same_tags &= t.tags == last.tags;
            *last = t.clone();
            *last_hash = hash(t);
            *shape = super::talk_shape(t);
        }
        seen
    }

    /// The note's hash of talk `i` (in reading order) of the build last seen, if known.
    pub(crate) fn note_hash(&self, i: usize) -> Option<u64> {
        self.talks.get(i)?.1
    }

    /// Each talk's part of the site's shape, in reading order, of the build last seen.
    pub(crate) fn talk_shapes(&self) -> impl Iterator<Item = u64> + '_ {
        self.talks.iter().map(|(.., shape)| *shape)
    }

    /// The speakers' ids: the last build's if `seen` says the names are the same.
    pub(crate) fn speaker_ids(
        &mut self,
        seen: &Seen,
        make: impl FnOnce() -> HashMap<String, String>,
    ) -> Arc<HashMap<String, String>> {
        kept(&mut self.speaker_ids, seen.same_speakers, make)
    }

    /// The tags' slugs: the last build's if `seen` says the tags are the same.
    pub(crate) fn tag_slugs(
        &mut self,
        seen: &Seen,
        make: impl FnOnce() -> HashMap<String, String>,
    ) -> Arc<HashMap<String, String>> {
        kept(&mut self.tag_slugs, seen.same_tags, make)
    }
}

/// What `slot` holds if it is still `same`, else `make`'s, kept in `slot`.
fn kept<T>(slot: &mut Option<Arc<T>>, same: bool, make: impl FnOnce() -> T) -> Arc<T> {
    match slot {
        Some(kept) if same => kept.clone(),
        _ => slot.insert(Arc::new(make())).clone(),
    }
}
