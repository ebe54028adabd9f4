//! What rendering produces and where it goes: output files, the `Sink` they are put into as
//! soon as each is rendered, and what `serve` keeps from one build for the next.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::markdown::NoteLink;
use crate::error::Result;

/// File contents, shared cheaply between builds and the `serve` state.
pub type Bytes = Arc<[u8]>;

/// A file of the built site, with its path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
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
            path: path.to_string(),
            contents: Bytes::from(joined),
        })
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
}

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// What the last successful build of the same site left behind, for `serve`. A page is
/// reused only when what it was rendered from is what it would be rendered from now: the
/// site's shape (every talk's slug, title, day, time, speakers, tags; summit.yaml, the theme
/// and the options, by content) is the same, and so is the page's own fingerprint (its
/// note's text and its rendered Markdown). Nothing here records which files were edited, so
/// a failed build in between cannot make a page look fresh.
#[derive(Debug, Default)]
pub struct Previous {
    pub shape: u64,
    pub files: HashMap<String, Bytes>,
    /// The post's talk sections, by slug.
    pub sections: HashMap<String, String>,
    /// What each talk's section (`#slug`) and page (`talks/slug/index.html`) was rendered
    /// from, by that key.
    pub rendered_from: HashMap<String, u64>,
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
    /// The post's talk sections, by slug, for the next build to reuse.
    pub sections: HashMap<String, String>,
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
    /// The pages taken from the previous build as they were, sorted.
    pub reused: Vec<String>,
    /// In a blog: the recap's entries in the blog's feed.
    pub feed: Vec<super::FeedEntry>,
}
