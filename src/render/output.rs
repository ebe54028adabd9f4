//! What rendering produces and where it goes: output files, the `Sink` they are put into as
//! soon as each is rendered, and what `serve` keeps from one build for the next.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::markdown::NoteLink;
use crate::error::Result;

/// File contents, shared cheaply between builds and the `serve` state: one buffer, or (the
/// post in `serve`) the pieces it is made of, each shared with the build that made it, so
/// that a rebuild neither copies nor compares the tens of megabytes it did not change.
/// Equality is by content; [`Bytes::chunks`] reads the pieces, and dereferencing joins them
/// once (what a request for the page and the tests need).
#[derive(Clone)]
pub struct Bytes(Repr);

#[derive(Clone)]
enum Repr {
    Whole(Arc<[u8]>),
    Pieces(Arc<Pieces>),
}

struct Pieces {
    parts: Vec<Arc<str>>,
    len: usize,
    joined: std::sync::OnceLock<Box<[u8]>>,
}

impl Bytes {
    /// A file made of `parts`, in order, kept as they are.
    pub fn pieces(parts: Vec<Arc<str>>) -> Bytes {
        let len = parts.iter().map(|p| p.len()).sum();
        Bytes(Repr::Pieces(Arc::new(Pieces {
            parts,
            len,
            joined: std::sync::OnceLock::new(),
        })))
    }

    /// The contents as the pieces they were made of (one for a plain file).
    pub fn chunks(&self) -> impl Iterator<Item = &[u8]> {
        let (whole, parts) = match &self.0 {
            Repr::Whole(b) => (Some(&**b), &[][..]),
            Repr::Pieces(p) => (None, &p.parts[..]),
        };
        whole.into_iter().chain(parts.iter().map(|p| p.as_bytes()))
    }

    /// The pieces, if the contents are kept as pieces.
    pub fn parts(&self) -> Option<&[Arc<str>]> {
        match &self.0 {
            Repr::Whole(_) => None,
            Repr::Pieces(p) => Some(&p.parts),
        }
    }

    /// Whether both are the very same contents (not a copy).
    pub fn ptr_eq(a: &Bytes, b: &Bytes) -> bool {
        match (&a.0, &b.0) {
            (Repr::Whole(x), Repr::Whole(y)) => Arc::ptr_eq(x, y),
            (Repr::Pieces(x), Repr::Pieces(y)) => Arc::ptr_eq(x, y),
            _ => false,
        }
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Whole(b) => b.len(),
            Repr::Pieces(p) => p.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            Repr::Whole(b) => b,
            Repr::Pieces(p) => p.joined.get_or_init(|| {
                let mut out = Vec::with_capacity(p.len);
                for part in &p.parts {
                    out.extend_from_slice(part.as_bytes());
                }
                out.into_boxed_slice()
            }),
        }
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        if Bytes::ptr_eq(self, other) {
            return true;
        }
        if self.len() != other.len() {
            return false;
        }
        if let (Some(a), Some(b)) = (self.parts(), other.parts())
            && a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| x.len() == y.len())
        {
            // The same cut: pieces shared with the other build compare by pointer.
            return a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y) || x == y);
        }
        let (mut a, mut b) = (self.chunks(), other.chunks());
        let (mut x, mut y): (&[u8], &[u8]) = (&[], &[]);
        loop {
            if x.is_empty() {
                match a.next() {
                    Some(c) => x = c,
                    None => return y.is_empty() && b.all(<[u8]>::is_empty),
                }
                continue;
            }
            if y.is_empty() {
                match b.next() {
                    Some(c) => y = c,
                    None => return false,
                }
                continue;
            }
            let n = x.len().min(y.len());
            if x[..n] != y[..n] {
                return false;
            }
            (x, y) = (&x[n..], &y[n..]);
        }
    }
}

impl Eq for Bytes {}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bytes({} bytes)", self.len())
    }
}

impl From<Arc<[u8]>> for Bytes {
    fn from(b: Arc<[u8]>) -> Bytes {
        Bytes(Repr::Whole(b))
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(b: Vec<u8>) -> Bytes {
        Bytes(Repr::Whole(b.into()))
    }
}

impl From<&[u8]> for Bytes {
    fn from(b: &[u8]) -> Bytes {
        Bytes(Repr::Whole(b.into()))
    }
}

/// A file of the built site, with its path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: Arc<str>,
    pub contents: Bytes,
}

/// Where rendered files go, as soon as each is rendered (from any thread): the write stage's
/// staging folder for `build`, memory for `serve` and `check`. Render itself never touches
/// the disk, and never holds every page at once.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<()>;

    /// A file made of `parts`, in order. The post is tens of megabytes on a large site; a
    /// sink that writes to disk streams the parts instead of joining them first.
    fn put_parts(&self, path: &str, parts: &[&str]) -> Result<()> {
        let mut joined = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            joined.extend_from_slice(p.as_bytes());
        }
        self.put(OutputFile {
            path: path.into(),
            contents: Bytes::from(joined),
        })
    }

    /// A file made of `parts` that are shared with other builds (`serve`'s post): a sink
    /// that keeps files in memory keeps the pieces as they are instead of joining them.
    fn put_pieces(&self, path: &str, parts: Vec<Arc<str>>) -> Result<()> {
        let parts: Vec<&str> = parts.iter().map(|p| &**p).collect();
        self.put_parts(path, &parts)
    }

    /// Many files at once (`serve`'s reused talk pages): a sink behind a lock takes it once
    /// for all of them instead of once per file.
    fn put_all(&self, files: Vec<OutputFile>) -> Result<()> {
        files.into_iter().try_for_each(|f| self.put(f))
    }
}

/// A sink that keeps the files in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }

    fn put_pieces(&self, path: &str, parts: Vec<Arc<str>>) -> Result<()> {
        self.put(OutputFile {
            path: path.into(),
            contents: Bytes::pieces(parts),
        })
    }

    fn put_all(&self, files: Vec<OutputFile>) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(files);
        Ok(())
    }
}

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// A build's files by path (the paths shared with the next build's map).
pub type Files = HashMap<Arc<str>, Bytes, rustc_hash::FxBuildHasher>;

/// What the last successful build of the same site left behind, for `serve`. A page is
/// reused only when what it was rendered from is what it would be rendered from now: the
/// site's shape (every talk's slug, title, day, time, speakers, tags; summit.yaml, the theme
/// and the options, by content) is the same, and so is the page's own fingerprint (its
/// note's text and its rendered Markdown). Nothing here records which files were edited, so
/// a failed build in between cannot make a page look fresh.
#[derive(Debug, Default)]
pub struct Previous {
    pub shape: u64,
    /// Shared with what `serve` serves (the same map, not a copy of 20,000 entries).
    pub files: Arc<Files>,
    /// The post's frame, and each talk's section of the post and page with what each was
    /// rendered from, in reading order.
    pub sections: Kept,
    /// What each page that decides its own reuse was rendered from, by its path.
    pub rendered_from: HashMap<String, u64>,
    /// What the calendar and feed show of each talk beyond the shape (see
    /// [`Output::talk_extras`]).
    pub talk_extras: Vec<(Option<u64>, u64)>,
}

/// What `serve` keeps of the post and the talk pages for the next build, in Vecs aligned with
/// the talks in reading order: a build looks at them only when the site's shape (every
/// talk's path and slug, in order) is the same, so the `i`th entry is the `i`th talk's, found
/// without a key, and a talk whose fingerprint is unchanged costs a comparison and a few
/// pointer copies.
#[derive(Default)]
pub struct Kept {
    /// What each talk's section and page were rendered from (see `render::fingerprint`).
    pub(super) prints: Vec<[Option<u64>; 2]>,
    /// Each talk's section of the post (`None`: a talk with no notes).
    pub(super) sections: Vec<Option<Arc<str>>>,
    /// Each talk's page, if the recap has talk pages (one pointer to copy when reused).
    pub(super) pages: Vec<Option<Arc<KeptPage>>>,
    /// The post's frame: the template's output around the sections.
    pub(super) frame: Option<Arc<super::post::Frame>>,
    /// The words of the talks' titles (part of the post's word count; a function of the shape).
    pub(super) title_words: usize,
}

/// A talk page as the last build put it.
pub(super) struct KeptPage {
    /// The page's file inside its recap (what its Markdown was rendered for).
    pub(super) page: Box<str>,
    /// The page's file in the output (shared with the builds that reuse the page).
    pub(super) file: Arc<str>,
    pub(super) bytes: Bytes,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("talks", &self.prints.len())
            .field("pages", &self.pages.iter().flatten().count())
            .field("frame", &self.frame.is_some())
            .finish()
    }
}

/// What `serve` knows between builds.
pub struct Incremental<'a> {
    pub previous: &'a Previous,
    /// A hash of each note's text, by its display path.
    pub notes: &'a HashMap<PathBuf, u64>,
    /// A hash of everything global the build reads: summit.yaml, templates, static files and
    /// the build options.
    pub global: u64,
}

/// What rendering reports besides the files: every link written in a note (for `check`).
#[derive(Debug, Default)]
pub struct Output {
    /// The site's shape (see [`Previous`]).
    pub shape: u64,
    /// The post's frame, talk sections and talk pages, for the next build to reuse (`serve`).
    pub sections: Kept,
    /// What each reusable part was rendered from (see [`Previous::rendered_from`]).
    pub rendered_from: HashMap<String, u64>,
    /// (the note's display path, the page it is on, the link)
    pub note_links: Vec<(PathBuf, String, NoteLink)>,
    /// How long each part of rendering took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The post's word count (titles and notes), for its reading time.
    pub words: usize,
    /// The folders of the pages written, for the sitemap.
    pub sitemap: Vec<String>,
    /// The pages taken from the previous build as they were, in no order (a reused talk
    /// page's path is the previous build's own: no copy).
    pub reused: Vec<Arc<str>>,
    /// In a blog: the recap's entries in the blog's feed.
    pub feed: Vec<super::FeedEntry>,
    /// Each talk's section fingerprint, with a hash of what the calendar and the feed show of
    /// it beyond the shape (its summary, duration, id, room), in reading order (`serve`): the
    /// next build hashes that again only for a talk whose fingerprint changed.
    pub talk_extras: Vec<(Option<u64>, u64)>,
}
