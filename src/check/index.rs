//! The index the link check reads: every file a build put out and the ids on its pages, made
//! by a sink ([`Indexing`]) that sees each file on its way out. `serve` keeps it from build to
//! build ([`Ids`]): a file put with the very same bytes as last time (a page reused as it was,
//! a piece of the post that is the very same text) is only marked as put again, with no copy
//! of its path and no reading of its ids, and what a build did not put drops out when it ends.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxBuildHasher, FxHashMap};

use super::attribute_values;
use crate::error::Result;
use crate::render::{Bytes, OutputFile, Sink};

/// The ids on one page, or on one piece of a page put as pieces.
type IdSet = Arc<HashSet<String>>;

/// The files a build put out, and the ids on each HTML page (a page put as pieces has a set
/// per piece).
#[derive(Debug, Default)]
pub struct Index {
    /// By path, hashed with FxHash: a rebuild looks up every one of 20,000 paths.
    files: FxHashMap<String, Entry>,
    /// The build that is putting files now: an entry of an earlier one is stale.
    build: u64,
}

/// A file of the index.
#[derive(Debug)]
struct Entry {
    /// The last build that put it.
    build: u64,
    /// The bytes its ids were read from, kept only for the next build (`serve`): a one-shot
    /// build must not hold every page's bytes until it ends.
    bytes: Option<Bytes>,
    /// The pieces its ids were read from (a page put as shared pieces, `serve`'s post).
    pieces: Vec<Arc<str>>,
    /// The ids on the page (one set), or on each of its pieces; none for other files.
    ids: Vec<IdSet>,
    /// Which of many sets holds an id, made when a build looks for ids there often.
    finder: Finder,
}

/// Which of a page's many id sets (the post's, one per piece) holds an id, by the id's hash:
/// made at the first lookups past [`Finder::SCANS`] that would each read every set, so many
/// links to headings on the post cost one lookup each rather than one per talk.
#[derive(Debug, Default)]
struct Finder {
    scans: AtomicU32,
    /// An id's hash → the first set holding an id of that hash.
    by_hash: OnceLock<FxHashMap<u64, u32>>,
}

impl Finder {
    /// Lookups that read every set before the map is made (it costs about as many).
    const SCANS: u32 = 16;
    /// Below this many sets, reading them all is as cheap.
    const MANY: usize = 64;
}

impl Entry {
    /// A file put by no build yet (see [`Indexing::insert`]).
    fn new(bytes: Option<Bytes>, pieces: Vec<Arc<str>>, ids: Vec<IdSet>) -> Entry {
        Entry {
            build: 0,
            bytes,
            pieces,
            ids,
            finder: Finder::default(),
        }
    }

    /// Whether the page holds the id `id`.
    fn has_id(&self, id: &str) -> bool {
        let scan = || self.ids.iter().any(|set| set.contains(id));
        if self.ids.len() < Finder::MANY {
            return scan();
        }
        let finder = &self.finder;
        let by_hash = match finder.by_hash.get() {
            Some(map) => map,
            None if finder.scans.fetch_add(1, Ordering::Relaxed) < Finder::SCANS => {
                return scan();
            }
            None => finder.by_hash.get_or_init(|| {
                let mut map = FxHashMap::default();
                for (j, set) in self.ids.iter().enumerate() {
                    for id in set.iter() {
                        map.entry(FxBuildHasher.hash_one(id)).or_insert(j as u32);
                    }
                }
                map
            }),
        };
        match by_hash.get(&FxBuildHasher.hash_one(id)) {
            // Every id's hash is there: not there, no set holds it.
            None => false,
            Some(&j) if self.ids[j as usize].contains(id) => true,
            // Another id of the same hash.
            Some(_) => scan(),
        }
    }
}

/// The index of the last build (`serve`), for the next one: a page with the very same bytes
/// (a page reused as it was) is not read again, nor is a piece of a page put as pieces
/// (`serve`'s post) that is the very same text. A function of the pages' bytes only.
#[derive(Debug, Default)]
pub struct Ids(Index);

impl Ids {
    /// The index of the files the build put out.
    pub fn index(&self) -> &Index {
        &self.0
    }
}

/// A page's bytes as text: the pages we wrote are UTF-8 (checked once, fast), lossy only if
/// not.
fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The ids in `parts` (an element never spans two), as one set.
fn ids_in<'p>(parts: impl IntoIterator<Item = &'p [u8]>) -> IdSet {
    let mut ids = HashSet::new();
    for part in parts {
        ids.extend(attribute_values(&text_of(part), "id"));
    }
    Arc::new(ids)
}

fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

impl Index {
    /// Records `entry` for `path` (replacing the last build's).
    fn insert(&mut self, path: &str, entry: Entry) {
        match self.files.get_mut(path) {
            Some(e) => *e = entry,
            None => {
                self.files.insert(path.to_string(), entry);
            }
        }
    }

    /// Marks `path` as put by this build if it is in the index with the very same `bytes`
    /// (any bytes for a file that is not a page: it has no ids); whether it was.
    fn put_again(&mut self, path: &str, bytes: &Bytes) -> bool {
        let build = self.build;
        match self.files.get_mut(path) {
            Some(e)
                if !is_page(path) || e.bytes.as_ref().is_some_and(|b| Bytes::ptr_eq(b, bytes)) =>
            {
                e.build = build;
                true
            }
            _ => false,
        }
    }

    /// Drops what this build did not put.
    fn finish(&mut self) {
        let build = self.build;
        self.files.retain(|_, e| e.build == build);
    }

    pub(super) fn of_files(files: &[OutputFile]) -> Index {
        let mut index = Index::default();
        for f in files {
            let ids = if is_page(&f.path) {
                vec![ids_in(f.contents.chunks())]
            } else {
                Vec::new()
            };
            index.insert(&f.path, Entry::new(None, Vec::new(), ids));
        }
        index
    }

    /// Whether `file` exists and, for a page, holds the id `fragment`.
    pub(super) fn exists(&self, file: &str, fragment: Option<&str>) -> Result<(), String> {
        let file = file.trim_start_matches('/');
        // As a browser asks for it: `diagram%20one.png` is the file `diagram one.png`.
        let decoded = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
        let file = decoded.as_ref();
        let Some(entry) = self.files.get(file) else {
            return Err(format!("the site has no {file}"));
        };
        match fragment {
            Some(f) if !f.is_empty() && is_page(file) => {
                if entry.has_id(f) {
                    Ok(())
                } else {
                    Err(format!("{file} has no anchor #{f}"))
                }
            }
            _ => Ok(()),
        }
    }

    /// Whether the build put `file`.
    pub(super) fn has_file(&self, file: &str) -> bool {
        self.files.contains_key(file)
    }

    /// The headings of the note whose ids start with `prefix--` on `file`, as a link writes
    /// them after `#`.
    pub(super) fn headings(&self, file: &str, prefix: &str) -> Vec<String> {
        let start = format!("{prefix}--");
        let mut found: Vec<String> = self
            .files
            .get(file)
            .into_iter()
            .flat_map(|e| &e.ids)
            .flat_map(|ids| ids.iter())
            .filter_map(|id| id.strip_prefix(&start))
            .filter(|h| !h.starts_with("fn--"))
            .map(String::from)
            .collect();
        found.sort();
        found
    }
}

/// A sink that indexes every file on its way to `inner`.
pub struct Indexing<'a> {
    inner: &'a dyn Sink,
    index: Mutex<Index>,
    /// Whether the pages' bytes are kept for the next build (see [`Ids`]).
    keep: bool,
}

impl<'a> Indexing<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Indexing {
            inner,
            index: Mutex::new(Index::default()),
            keep: false,
        }
    }

    /// An index that starts from the last build's (`known`): a file put with the same bytes
    /// is only marked as put again. The pages' bytes are kept for the next build.
    pub fn knowing(inner: &'a dyn Sink, known: Ids) -> Self {
        let mut index = known.0;
        index.build += 1;
        Indexing {
            inner,
            index: Mutex::new(index),
            keep: true,
        }
    }

    /// The index of the files this build put (for the link check, and the next build's
    /// [`Self::knowing`]).
    pub fn into_ids(self) -> Ids {
        let mut index = self.index.into_inner().unwrap_or_else(|e| e.into_inner());
        index.finish();
        Ids(index)
    }

    fn index(&self) -> std::sync::MutexGuard<'_, Index> {
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Indexes `file`, reading its ids unless the index has its very same bytes.
    fn add(&self, file: &OutputFile) {
        if self.index().put_again(&file.path, &file.contents) {
            return;
        }
        // Read outside the lock: pages are put from many threads.
        let page = is_page(&file.path);
        let ids = match page {
            true => vec![ids_in(file.contents.chunks())],
            false => Vec::new(),
        };
        let bytes = (self.keep && page).then(|| file.contents.clone());
        let entry = Entry::new(bytes, Vec::new(), ids);
        self.insert(&file.path, entry);
    }

    /// Records `entry` for `path` as put by this build.
    fn insert(&self, path: &str, entry: Entry) {
        let mut index = self.index();
        let entry = Entry {
            build: index.build,
            ..entry
        };
        index.insert(path, entry);
    }

    /// The pieces kept for the next build and the ids of each of `parts`, from the last
    /// build's `path` where a piece is the very same text. In the same place (an edit of one
    /// note leaves all but a few where they were) the last build's lists are updated where
    /// they differ, so an unchanged piece costs a pointer comparison and no reference count;
    /// when pieces moved, each is looked up by its address.
    fn pieces_of(&self, path: &str, parts: &[Arc<str>]) -> (Vec<Arc<str>>, Vec<IdSet>) {
        use rayon::prelude::*;
        // The last build's pieces of this page (taken: this build replaces them).
        let (mut old, mut ids) = match self.index().files.get_mut(path) {
            Some(e) => (std::mem::take(&mut e.pieces), std::mem::take(&mut e.ids)),
            None => Default::default(),
        };
        if !self.keep || old.len() != ids.len() {
            (old, ids) = Default::default();
        }
        if old.len() == parts.len() {
            let changed: Vec<usize> = (0..parts.len())
                .filter(|&i| !Arc::ptr_eq(&old[i], &parts[i]))
                .collect();
            let read: Vec<IdSet> = changed
                .par_iter()
                .map(|&i| ids_in([parts[i].as_bytes()]))
                .collect();
            for (i, set) in changed.into_iter().zip(read) {
                old[i] = parts[i].clone();
                ids[i] = set;
            }
            return (old, ids);
        }
        let by_address: HashMap<usize, usize> = old
            .iter()
            .enumerate()
            .map(|(j, o)| (o.as_ptr() as usize, j))
            .collect();
        let ids = parts
            .par_iter()
            .map(|p| match by_address.get(&(p.as_ptr() as usize)) {
                Some(&j) if Arc::ptr_eq(&old[j], p) => ids[j].clone(),
                _ => ids_in([p.as_bytes()]),
            })
            .collect();
        let kept = match self.keep {
            true => parts.to_vec(),
            false => Vec::new(),
        };
        (kept, ids)
    }
}

impl Sink for Indexing<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.add(&file);
        self.inner.put(file)
    }

    fn put_pieces(&self, path: &str, parts: Vec<Arc<str>>) -> Result<()> {
        let entry = match is_page(path) {
            true => {
                let (pieces, ids) = self.pieces_of(path, &parts);
                Entry::new(None, pieces, ids)
            }
            false => Entry::new(None, Vec::new(), Vec::new()),
        };
        self.insert(path, entry);
        self.inner.put_pieces(path, parts)
    }

    fn put_all(&self, files: Vec<OutputFile>) -> Result<()> {
        // Files the index has with the same bytes (`serve`'s reused pages) are marked under
        // one lock; any other file goes the usual way.
        let mut index = self.index();
        let (known, other): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|file| index.put_again(&file.path, &file.contents));
        drop(index);
        for file in other {
            self.put(file)?;
        }
        self.inner.put_all(known)
    }

    fn put_parts(&self, path: &str, parts: &[&str]) -> Result<()> {
        // Read outside the lock (the post is big; talk pages are put beside it).
        let ids = match is_page(path) {
            true => vec![ids_in(parts.iter().map(|p| p.as_bytes()))],
            false => Vec::new(),
        };
        let entry = Entry::new(None, Vec::new(), ids);
        self.insert(path, entry);
        self.inner.put_parts(path, parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of many id sets (the post's pieces) answers many lookups from its map as
    /// reading every set would: an id in any set, an id in none.
    #[test]
    fn many_lookups_on_a_page_of_many_pieces_find_what_a_scan_finds() {
        let ids: Vec<IdSet> = (0..200)
            .map(|i| Arc::new(HashSet::from([format!("t{i}"), format!("t{i}--h")])))
            .collect();
        let entry = Entry::new(None, Vec::new(), ids);
        for round in 0..3 {
            for i in (0..200).step_by(7) {
                assert!(entry.has_id(&format!("t{i}--h")), "round {round}: t{i}--h");
                assert!(!entry.has_id(&format!("t{i}--x")), "round {round}: t{i}--x");
            }
        }
        assert!(entry.finder.by_hash.get().is_some(), "the map was made");
        assert!(entry.has_id("t199") && !entry.has_id("t200"));
    }
}
