//! Watching the site: `summit.yaml`, `content/`, `templates/` and `static/` (never the output
//! or anything else in the site folder), debounced so that an editor's save-by-rename or a
//! burst of saves gives one rebuild. Editor swap and backup files are ignored.
//!
//! Each change comes with the paths the events named ([`Changes`]), so the rebuild's load
//! looks at those files only; an error, a rescan the system asked for (its event queue
//! overflowed), an event without paths or a path outside the site says
//! [`Changes::Unknown`], and the load walks everything. The paths only pick which files are
//! read again: what a page is rebuilt from is still compared in full (`render::Previous`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};

use crate::error::{Error, Result};
use crate::load::{Changes, is_ignored};

/// How old a file event is before it is handed on (the debouncer checks every `TICK`), so a
/// rebuild reads a file at least this long after its first event. A save by rename is
/// whole at its first event; a save that truncates and writes (an editor, `fs::write`)
/// writes a note in one call, microseconds after the truncate. Should a slow writer still
/// be caught halfway, its later events start another rebuild, which reads the whole file.
/// Was 30 ms with a 10 ms tick: 30–40 ms of every reload.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for events old enough (it wakes this often, idle or not).
const TICK: Duration = Duration::from_millis(5);
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
            new_debouncer(DEBOUNCE, Some(TICK), tx).map_err(|e| watch_error(&root, e))?;
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

    /// Blocks until something that matters changed; says what (a short description, and
    /// the paths for the load). Batches that arrived meanwhile are taken together. `None`
    /// when watching ended.
    pub fn next_change(&mut self) -> Option<(String, Changes)> {
        // Paths of batches that changed nothing shown (a `.txt` beside the notes) still go to
        // the next load, which lists them.
        let mut changes = Changes::Paths(BTreeSet::new());
        loop {
            let mut batches = vec![self.events.recv().ok()?];
            batches.extend(self.events.try_iter());
            let mut changed: BTreeSet<String> = BTreeSet::new();
            for batch in &batches {
                let (shown, paths) = read(&self.root, batch);
                changed.extend(shown);
                changes = merge(std::mem::take(&mut changes), paths);
            }
            self.watch_folders();
            if let Some(first) = changed.first() {
                let shown = match changed.len() {
                    1 => first.clone(),
                    n => format!("{first} and {} more", n - 1),
                };
                return Some((shown, changes));
            }
            if changes == Changes::Unknown {
                // Something went wrong or was lost: look at everything.
                return Some(("the site".into(), Changes::Unknown));
            }
        }
    }
}

/// What one batch of events under `root` says: the relevant paths (to show) and what the
/// load must look at.
fn read(root: &Path, batch: &DebounceEventResult) -> (BTreeSet<String>, Changes) {
    let Ok(events) = batch else {
        return (BTreeSet::new(), Changes::Unknown);
    };
    let mut shown = BTreeSet::new();
    let mut paths = BTreeSet::new();
    let mut unknown = false;
    for event in events {
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        unknown |= unplaceable(event);
        for path in &event.paths {
            match path.strip_prefix(root) {
                Ok(rel) => {
                    paths.insert(rel.to_path_buf());
                    if let Some(rel) = relevant(rel) {
                        shown.insert(rel);
                    }
                }
                Err(_) => unknown = true,
            }
        }
    }
    let changes = if unknown {
        Changes::Unknown
    } else {
        Changes::Paths(paths)
    };
    (shown, changes)
}

/// `rel` (inside the site) as shown if a change there can change the site.
fn relevant(rel: &Path) -> Option<String> {
    let name = rel.file_name()?.to_string_lossy();
    if is_ignored(&name) {
        return None;
    }
    matters(rel, true).then(|| rel.to_string_lossy().into_owned())
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

/// Whether an event cannot be placed by its paths: a rescan (events were lost), or none.
fn unplaceable(event: &DebouncedEvent) -> bool {
    event.need_rescan() || event.paths.is_empty()
}

fn merge(a: Changes, b: Changes) -> Changes {
    match (a, b) {
        (Changes::Paths(mut a), Changes::Paths(b)) => {
            a.extend(b);
            Changes::Paths(a)
        }
        _ => Changes::Unknown,
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
    use super::{matters, read};
    use crate::load::Changes;
    use notify_debouncer_full::DebouncedEvent;
    use notify_debouncer_full::notify::event::{Event, EventKind, Flag, ModifyKind};
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    fn event(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        e.paths = paths.iter().map(PathBuf::from).collect();
        DebouncedEvent::new(e, Instant::now())
    }

    #[test]
    fn events_name_the_paths_the_load_looks_at() {
        let edit = event(
            EventKind::Modify(ModifyKind::Any),
            &["/site/content/talks/a.md"],
        );
        let (shown, changes) = read(Path::new("/site"), &Ok(vec![edit.clone()]));
        assert_eq!(
            shown.into_iter().collect::<Vec<_>>(),
            ["content/talks/a.md"]
        );
        assert_eq!(
            changes,
            Changes::Paths([PathBuf::from("content/talks/a.md")].into())
        );
        // A rescan (the system's queue overflowed: events were lost), an error, an event
        // without paths or a path outside the site: the load walks everything.
        let rescan = DebouncedEvent::new(
            Event::new(EventKind::Other).set_flag(Flag::Rescan),
            Instant::now(),
        );
        let outside = event(EventKind::Modify(ModifyKind::Any), &["/elsewhere/a.md"]);
        let bare = event(EventKind::Modify(ModifyKind::Any), &[]);
        for batch in [
            Ok(vec![edit.clone(), rescan]),
            Ok(vec![edit.clone(), outside]),
            Ok(vec![bare]),
            Err(vec![notify_debouncer_full::notify::Error::generic("lost")]),
        ] {
            assert_eq!(read(Path::new("/site"), &batch).1, Changes::Unknown);
        }
    }

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
