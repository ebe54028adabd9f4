//! Watching the site: `summit.yaml`, `content/`, `templates/` and `static/` (never the output
//! or anything else in the site folder), debounced so that an editor's save-by-rename or a
//! burst of saves gives one rebuild. Editor swap and backup files are ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};
use crate::load::is_ignored;

/// Quiet time after the last file event before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(30);
/// A blog's recaps live in `posts/`: each recap folder is watched as a site of its own.
const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "posts"];

pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: mpsc::Receiver<DebounceEventResult>,
    root: PathBuf,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    pub fn start(root: &Path) -> Result<Watcher> {
        let root = std::fs::canonicalize(root)
            .map_err(|e| Error::io("could not open the site folder", root, e))?;
        let (tx, events) = mpsc::channel();
        let mut debouncer =
            new_debouncer(DEBOUNCE, Some(DEBOUNCE / 3), tx).map_err(|e| watch_error(&root, e))?;
        // The root itself, not recursively: summit.yaml, and folders that appear later.
        debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(&root, e))?;
        let mut w = Watcher {
            debouncer,
            events,
            root,
            watched: BTreeSet::new(),
        };
        w.watch_folders();
        Ok(w)
    }

    /// Watches content/, templates/ and static/ where they exist (they may appear later).
    fn watch_folders(&mut self) {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if path.is_dir() {
                if !self.watched.contains(dir)
                    && self
                        .debouncer
                        .watch(&path, RecursiveMode::Recursive)
                        .is_ok()
                {
                    self.watched.insert(dir);
                }
            } else if self.watched.remove(dir) {
                let _ = self.debouncer.unwatch(&path);
            }
        }
    }

    /// Blocks until something that matters changed; says what. `None` when watching ended.
    pub fn next_change(&mut self) -> Option<String> {
        loop {
            let batch = self.events.recv().ok()?;
            let Ok(events) = batch else { continue };
            let mut changed: BTreeSet<String> = BTreeSet::new();
            for event in &events {
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                for path in &event.paths {
                    if let Some(rel) = self.relevant(path) {
                        changed.insert(rel);
                    }
                }
            }
            self.watch_folders();
            if let Some(first) = changed.first() {
                return Some(match changed.len() {
                    1 => first.clone(),
                    n => format!("{first} and {} more", n - 1),
                });
            }
        }
    }

    /// The path relative to the site if a change there can change the site.
    fn relevant(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let name = rel.file_name()?.to_string_lossy();
        if is_ignored(&name) {
            return None;
        }
        matters(rel, true).then(|| rel.to_string_lossy().into_owned())
    }
}

/// Whether a change at `rel` (inside a site, or a recap of a blog when `blog` is false) can
/// change the site: summit.yaml, content/ (Markdown, folders), templates/, static/, and in a
/// blog the same inside each recap folder under posts/.
fn matters(rel: &Path, blog: bool) -> bool {
    let mut parts = rel.components();
    let Some(top) = parts.next() else {
        return false;
    };
    let rest = parts.as_path();
    let nested = rest.components().next().is_some();
    match top.as_os_str().to_string_lossy().as_ref() {
        "summit.yaml" => !nested,
        "content" => !nested || rel.extension().is_none_or(|e| e == "md"),
        "templates" | "static" => true,
        "posts" if blog => {
            // posts/ itself, a recap folder, or what matters inside one.
            let mut inner = rest.components();
            inner.next().is_none() || {
                let below = inner.as_path();
                below.components().next().is_none() || matters(below, false)
            }
        }
        _ => false,
    }
}

fn watch_error(root: &Path, e: notify_debouncer_full::notify::Error) -> Error {
    Error::Serve {
        what: format!("{}: could not watch for changes: {e}", root.display()),
        help: "check the folder's permissions (on Linux, also fs.inotify.max_user_watches)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::matters;
    use std::path::Path;

    #[test]
    fn what_matters_in_a_site_and_a_blog() {
        for (rel, yes) in [
            ("summit.yaml", true),
            ("content/talks/a.md", true),
            ("content/talks/a.txt", false),
            ("public/index.html", false),
            ("posts", true),
            ("posts/kafka", true),
            ("posts/kafka/summit.yaml", true),
            ("posts/kafka/content/talks/a.md", true),
            ("posts/kafka/templates/talk.html", true),
            ("posts/kafka/public/index.html", false),
            ("posts/kafka/posts/x/summit.yaml", false),
            ("posts/kafka/notes.txt", false),
        ] {
            assert_eq!(matters(Path::new(rel), true), yes, "{rel}");
        }
    }
}
