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
const WATCHED_DIRS: [&str; 3] = ["content", "templates", "static"];

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
        let mut parts = rel.components();
        let top = parts.next()?.as_os_str().to_string_lossy();
        let nested = parts.next().is_some();
        let matters = match top.as_ref() {
            "summit.yaml" => !nested,
            "content" => !nested || rel.extension().is_none_or(|e| e == "md"),
            "templates" | "static" => true,
            _ => false,
        };
        matters.then(|| rel.to_string_lossy().into_owned())
    }
}

fn watch_error(root: &Path, e: notify_debouncer_full::notify::Error) -> Error {
    Error::Serve {
        what: format!("{}: could not watch for changes: {e}", root.display()),
        help: "check the folder's permissions (on Linux, also fs.inotify.max_user_watches)".into(),
    }
}
