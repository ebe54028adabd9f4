//! Watching the site: `summit.yaml`, `content/`, `templates/` and `static/` (never the output
//! or anything else in the site folder). Editor swap and backup files are ignored.
//!
//! A save is handed on once it is whole ([`Burst`]): every file it wrote is closed again
//! (Linux says so: inotify's close-after-write) or was renamed into place, and nothing more
//! came for [`GRACE`]. A file still open for writing waits for its close where the system
//! reports closes (Linux); a file gone (an editor may write it again at once), a new folder
//! (what is written in it before the system watches it sends no events), and a file written
//! on a system that does not report closes wait [`DEBOUNCE`] after their last event; nothing
//! waits longer than [`MAX_WAIT`] in all. So an edit is rebuilt about a millisecond after the
//! editor closes the file, and a burst of saves (a checkout, "save all") gives few rebuilds.
//!
//! Each change comes with the paths the events named ([`Changes`]), so the rebuild's load
//! looks at those files only; an error, a rescan the system asked for (its event queue
//! overflowed), an event without paths or a path outside the site says
//! [`Changes::Unknown`], and the load walks everything. The paths only pick which files are
//! read again: what a page is rebuilt from is still compared in full (`render::Previous`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};
use crate::load::{Changes, has_other_names, is_ignored};

/// How long a whole save waits for more events of the same burst (an editor's rename after
/// its write, the next file of a "save all"). Events of one save arrive together, within
/// microseconds.
const GRACE: Duration = Duration::from_millis(2);
/// How long after its last event a path that is not known to be whole waits (removed, a new
/// folder, or written on a system without close events). A writer slower than this is read
/// halfway there; its later events start another rebuild, which reads the whole file. This
/// was the only wait before (with a 5 ms tick): 10–15 ms of every reload.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// The longest a burst is held, however busy the files: something that writes a file
/// nonstop (or keeps it open for writing) does not hold the rebuilds back.
const MAX_WAIT: Duration = Duration::from_millis(200);
/// A blog's recaps live in `posts/`: each recap folder is watched as a site of its own.
const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "posts"];

pub struct Watcher {
    watcher: RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<Event>>,
    root: PathBuf,
    watched: BTreeSet<&'static str>,
    /// The system says when a file written is closed again (inotify).
    closes: bool,
}

impl Watcher {
    pub fn start(root: &Path) -> Result<Watcher> {
        let root = std::fs::canonicalize(root)
            .map_err(|e| Error::io("could not open the site folder", root, e))?;
        let (tx, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx).map_err(|e| watch_error(&root, e))?;
        // The root itself, not recursively: summit.yaml, and folders that appear later.
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(&root, e))?;
        let mut w = Watcher {
            watcher,
            events,
            root,
            watched: BTreeSet::new(),
            closes: <RecommendedWatcher as notify::Watcher>::kind() == notify::WatcherKind::Inotify,
        };
        w.watch_folders(&BTreeSet::new());
        Ok(w)
    }

    /// Watches content/, templates/ and static/ where they exist (they may appear later).
    /// A folder that `named` names itself may be another folder now (`mv content old && mv
    /// new content` in one burst): the system's watch went with the old one, so it is
    /// watched again.
    fn watch_folders(&mut self, named: &BTreeSet<PathBuf>) {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if path.is_dir() {
                if (!self.watched.contains(dir) || named.contains(Path::new(dir)))
                    && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
                {
                    self.watched.insert(dir);
                }
            } else if self.watched.remove(dir) {
                let _ = self.watcher.unwatch(&path);
            }
        }
    }

    /// Blocks until something that matters changed; says what (a short description, and
    /// the paths for the load). `None` when watching ended.
    pub fn next_change(&mut self) -> Option<(String, Changes)> {
        // Paths of bursts that changed nothing shown (a `.txt` beside the notes) still go to
        // the next load, which lists them.
        let mut changes = Changes::Paths(BTreeSet::new());
        loop {
            let burst = self.next_burst()?;
            changes = merge(std::mem::take(&mut changes), burst.changes());
            self.watch_folders(&burst.paths);
            if let Some(first) = burst.shown.first() {
                let shown = match burst.shown.len() {
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

    /// The events from the next one that counts until the burst is whole (or has waited
    /// long enough).
    fn next_burst(&mut self) -> Option<Burst> {
        let mut burst = Burst::default();
        while !burst.add(&self.root, self.events.recv().ok()?) {}
        let started = Instant::now();
        loop {
            let wait = if burst.is_whole() {
                GRACE
            } else if self.closes && burst.waits_for_a_close() {
                // A file still open for writing: its close says when it is whole.
                MAX_WAIT
            } else {
                DEBOUNCE
            };
            let wait = wait.min(MAX_WAIT.saturating_sub(started.elapsed()));
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    burst.add(&self.root, event);
                }
                Err(RecvTimeoutError::Timeout) => return Some(burst),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }
}

/// The events of one burst of changes under the site root.
#[derive(Debug, Default)]
struct Burst {
    /// The relevant paths, as shown.
    shown: BTreeSet<String>,
    /// Every path an event named, for the load.
    paths: BTreeSet<PathBuf>,
    /// An event could not be placed: the load walks everything.
    unknown: bool,
    /// Relevant paths not known to be whole, and what each waits for.
    open: BTreeMap<PathBuf, Wait>,
}

impl Burst {
    /// Takes one event in; false when it does not count (a read: opening or closing a file
    /// without writing, such as the build's own reads).
    fn add(&mut self, root: &Path, event: notify::Result<Event>) -> bool {
        let Ok(event) = event else {
            self.unknown = true;
            return true;
        };
        if matches!(event.kind, EventKind::Access(kind) if kind != CLOSED_AFTER_WRITING) {
            return false;
        }
        self.unknown |= event.need_rescan() || event.paths.is_empty();
        for (i, path) in event.paths.iter().enumerate() {
            let Ok(rel) = path.strip_prefix(root) else {
                self.unknown = true;
                continue;
            };
            if let Some(shown) = relevant(rel) {
                self.shown.insert(shown);
                let written = matches!(
                    event.kind,
                    EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_))
                );
                // A link made (symbolic, or a second name) is whole at once: no close comes.
                let linked = matches!(event.kind, EventKind::Create(CreateKind::File))
                    && (path.is_symlink() || has_other_names(path));
                match whole_after(&event.kind, i) {
                    Some(true) => {
                        self.open.remove(rel);
                    }
                    Some(false) if linked => {}
                    Some(false) => {
                        let wait = if written { Wait::Close } else { Wait::Quiet };
                        self.open.insert(rel.to_path_buf(), wait);
                    }
                    None => {}
                }
            }
            self.paths.insert(rel.to_path_buf());
        }
        true
    }

    fn is_whole(&self) -> bool {
        self.open.is_empty() && !self.unknown
    }

    /// Whether a file made or written has not been closed since.
    fn waits_for_a_close(&self) -> bool {
        self.open.values().any(|w| *w == Wait::Close)
    }

    fn changes(&self) -> Changes {
        if self.unknown {
            Changes::Unknown
        } else {
            Changes::Paths(self.paths.clone())
        }
    }
}

const CLOSED_AFTER_WRITING: AccessKind = AccessKind::Close(AccessMode::Write);

/// What a path not known to be whole waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// Made or written: its close (where the system reports closes).
    Close,
    /// Removed, renamed away, a new folder: no event for [`DEBOUNCE`].
    Quiet,
}

/// Whether the `i`th path of an event of `kind` is whole afterwards: closed after writing or
/// renamed into place (`Some(true)`); being written, removed, renamed away or a new folder
/// (`Some(false)`: what is written in a new folder before the system watches it sends no
/// events); or as it was (`None`: its metadata changed).
fn whole_after(kind: &EventKind, i: usize) -> Option<bool> {
    match kind {
        EventKind::Access(_) => Some(true),
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => Some(true),
        // A rename names where from, then where to.
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => Some(i > 0),
        EventKind::Modify(ModifyKind::Metadata(_)) => None,
        _ => Some(false),
    }
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

fn merge(a: Changes, b: Changes) -> Changes {
    match (a, b) {
        (Changes::Paths(mut a), Changes::Paths(b)) => {
            a.extend(b);
            Changes::Paths(a)
        }
        _ => Changes::Unknown,
    }
}

fn watch_error(root: &Path, e: notify::Error) -> Error {
    Error::Serve {
        what: format!("{}: could not watch for changes: {e}", root.display()),
        help: "check the folder's permissions (on Linux, also fs.inotify.max_user_watches)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Burst, matters};
    use crate::load::Changes;
    use notify::event::{
        AccessKind, AccessMode, CreateKind, DataChange, Event, EventKind, Flag, MetadataKind,
        ModifyKind, RemoveKind, RenameMode,
    };
    use std::path::{Path, PathBuf};

    fn event(kind: EventKind, paths: &[&str]) -> notify::Result<Event> {
        let mut e = Event::new(kind);
        e.paths = paths.iter().map(PathBuf::from).collect();
        Ok(e)
    }

    fn burst(events: impl IntoIterator<Item = notify::Result<Event>>) -> Burst {
        let mut burst = Burst::default();
        for e in events {
            burst.add(Path::new("/site"), e);
        }
        burst
    }

    const NOTE: &str = "/site/content/talks/a.md";
    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));

    #[test]
    fn events_name_the_paths_the_load_looks_at() {
        let edit = || event(WRITE, &[NOTE]);
        let b = burst([edit()]);
        assert_eq!(b.shown.iter().collect::<Vec<_>>(), ["content/talks/a.md"]);
        assert_eq!(
            b.changes(),
            Changes::Paths([PathBuf::from("content/talks/a.md")].into())
        );
        // A rescan (the system's queue overflowed: events were lost), an error, an event
        // without paths or a path outside the site: the load walks everything.
        let rescan = || Ok(Event::new(EventKind::Other).set_flag(Flag::Rescan));
        for events in [
            vec![edit(), rescan()],
            vec![edit(), event(WRITE, &["/elsewhere/a.md"])],
            vec![event(WRITE, &[])],
            vec![Err(notify::Error::generic("lost"))],
        ] {
            let b = burst(events);
            assert_eq!(b.changes(), Changes::Unknown);
            assert!(!b.is_whole());
        }
    }

    #[test]
    fn a_save_is_whole_once_its_files_are_closed_or_renamed_into_place() {
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        // Truncate and write (an editor, `fs::write`): whole at the close, not before.
        let written = || {
            [
                event(open, &[NOTE]),
                event(WRITE, &[NOTE]),
                event(WRITE, &[NOTE]),
            ]
        };
        assert!(!burst(written()).is_whole());
        assert!(burst(written().into_iter().chain([event(CLOSE, &[NOTE])])).is_whole());
        // A new file: created, written, closed; `touch` changes metadata only.
        let created = EventKind::Create(CreateKind::File);
        assert!(!burst([event(created, &[NOTE])]).is_whole());
        assert!(burst([event(created, &[NOTE]), event(CLOSE, &[NOTE])]).is_whole());
        let touched = EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any));
        assert!(burst([event(touched, &[NOTE])]).is_whole());
        assert!(!burst([event(WRITE, &[NOTE]), event(touched, &[NOTE])]).is_whole());
        // Save by rename: a temporary file written, then renamed over the note.
        let tmp = "/site/content/talks/.a.md.tmp";
        let to = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        let both = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert!(
            burst([
                event(EventKind::Create(CreateKind::File), &[tmp]),
                event(WRITE, &[tmp]),
                event(to, &[NOTE]),
                event(both, &[tmp, NOTE]),
            ])
            .is_whole()
        );
        // Gone (removed, or renamed away as an editor's backup): it may come back at once.
        let from = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        let removed = EventKind::Remove(RemoveKind::File);
        assert!(!burst([event(removed, &[NOTE])]).is_whole());
        let backup = "/site/content/talks/a.md~";
        assert!(!burst([event(from, &[NOTE]), event(both, &[NOTE, backup])]).is_whole());
        assert!(
            burst([
                event(from, &[NOTE]),
                event(EventKind::Create(CreateKind::File), &[NOTE]),
                event(CLOSE, &[NOTE]),
            ])
            .is_whole()
        );
        // Swap files and files that do not matter hold nothing back.
        let swap = "/site/content/talks/.a.md.swp";
        assert!(burst([event(WRITE, &[swap]), event(WRITE, &["/site/notes.txt"])]).is_whole());
    }

    /// A folder made with notes written in it at once (`cp -r`, an unzip, an import): the
    /// load walks a new folder, and finds notes whose events have not come yet (or never
    /// will: the system watches the new folder only after its event). The new folder counted
    /// as whole and the burst was handed on 2 ms later, while those notes were being
    /// written: "Build failed" for notes that were fine once written (1–2 in 25 tries with a
    /// busy loop beside). It waits as a file not known to be whole (10 ms, as before); a
    /// folder renamed into place is whole (what is in it was written before).
    #[test]
    fn bug_a_new_folder_was_whole_before_the_notes_written_in_it() {
        let folder = "/site/content/talks/day-3";
        let made = EventKind::Create(CreateKind::Folder);
        assert!(!burst([event(made, &[folder])]).is_whole());
        let note = "/site/content/talks/day-3/a.md";
        assert!(
            !burst([
                event(made, &[folder]),
                event(EventKind::Create(CreateKind::File), &[note]),
                event(CLOSE, &[note]),
            ])
            .is_whole()
        );
        let moved_in = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert!(burst([event(moved_in, &[folder])]).is_whole());
    }

    #[test]
    fn a_file_being_written_waits_for_its_close_and_one_gone_does_not() {
        let removed = EventKind::Remove(RemoveKind::File);
        assert!(burst([event(WRITE, &[NOTE])]).waits_for_a_close());
        assert!(!burst([event(WRITE, &[NOTE]), event(CLOSE, &[NOTE])]).waits_for_a_close());
        let gone = burst([event(WRITE, &[NOTE]), event(removed, &[NOTE])]);
        assert!(!gone.waits_for_a_close() && !gone.is_whole());
    }

    #[test]
    fn reads_do_not_count() {
        // The build's own reads of the notes it watches.
        let mut b = Burst::default();
        for kind in [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
        ] {
            assert!(!b.add(Path::new("/site"), event(kind, &[NOTE])));
        }
        assert!(b.paths.is_empty() && b.shown.is_empty());
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
