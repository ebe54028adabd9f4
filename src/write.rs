//! Write stage: the only place that changes the disk.
//!
//! A build is written to a fresh folder beside the output (`.NAME.summit-gen-new.PID-N`) and
//! swapped in only when every file is written, so a failed build leaves the previous output as
//! it was. Builds into one output take turns ([`lock`]); each uses staging names of its own.
//! The output folder is marked with a `.summit-gen` file listing what the build wrote
//! ([`mark`]); anything else found in it (a folder without the mark: anything at all) is never
//! deleted, and `.git` (a `gh-pages` worktree) is carried into every new build. The output may
//! not be the site root, one of its parents, or a folder summit-gen reads from.
//!
//! The swap is two renames: the output to `.NAME.summit-gen-old`, the new build into place.
//! A build killed between them leaves only the `-old` folder, so the next build first puts it
//! back. A folder summit-gen removes loses its mark last, so a half-removed one is still
//! recognisably its own.

mod lock;
mod mark;

use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};
use crate::render::OutputFile;

use mark::GIT;
pub use mark::MARKER;

/// Folders of a site that summit-gen reads, so never writes into.
const SOURCE_DIRS: &[&str] = &["content", "templates", "static"];

/// Checks that `output` is not the site, above it, or inside a folder summit-gen reads;
/// returns its absolute form. What is in the folder is checked once its lock is held.
pub fn check_output(root: &Path, output: &Path) -> Result<PathBuf> {
    let refuse = |reason: &str, help: &str| Error::Output {
        path: output.to_path_buf(),
        reason: reason.into(),
        help: help.into(),
    };
    let root_abs =
        fs::canonicalize(root).map_err(|e| Error::io("could not open the site folder", root, e))?;
    let out_abs = absolute(output)?;
    if root_abs.starts_with(&out_abs) {
        return Err(refuse(
            "is the site folder or one of its parents",
            "choose another output folder, e.g. `--output public`",
        ));
    }
    for dir in SOURCE_DIRS {
        if out_abs.starts_with(root_abs.join(dir)) {
            return Err(refuse(
                &format!("is inside `{dir}/`, which summit-gen reads"),
                "choose another output folder, e.g. `--output public`",
            ));
        }
    }
    Ok(out_abs)
}

/// An absolute, canonical path without requiring it (or its parents) to exist: the nearest
/// existing ancestor is canonicalized and the rest appended.
fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path).map_err(|e| Error::io("could not resolve", path, e))?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(p) = fs::canonicalize(existing) {
            return Ok(rest.iter().rev().fold(p, |acc, part| acc.join(part)));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// The pattern (a `.gitignore` glob) that every file and folder a build of output folder
/// `name` writes beside it matches: its lock, staging folders, and the previous output while
/// it is swapped out. They are left behind only if a build is killed.
pub fn beside(name: &str) -> String {
    format!(".{name}.summit-gen-*")
}

/// The names beside output folder `name`, all matching [`beside`].
struct Names {
    lock: String,
    /// The previous output while the new one is swapped in.
    old: String,
    /// Staging folders start so (`-new.PID-N`), as do those of earlier versions (`-new`).
    new: String,
    /// Previous outputs being removed.
    gone: String,
}

impl Names {
    fn of(name: &str) -> Names {
        let stem = format!(".{name}.summit-gen-");
        Names {
            lock: format!("{stem}lock"),
            old: format!("{stem}old"),
            new: format!("{stem}new"),
            gone: format!("{stem}gone"),
        }
    }
}

/// A name no other build uses: the process id and a count (a leftover of a dead process with
/// the same id is skipped).
fn unique(parent: &Path, prefix: &str) -> PathBuf {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!("{prefix}.{}-{n}", std::process::id()));
        if fs::symlink_metadata(&path).is_err() {
            return path;
        }
    }
}

/// A build being written: a fresh folder beside the output that files are put into as they
/// are rendered (from any thread), swapped in by [`Staging::commit`]. Dropped without a
/// commit, it removes itself and the previous output stays as it was. It holds the output's
/// lock for its whole life.
pub struct Staging {
    /// The output folder as the user named it (for messages).
    output: PathBuf,
    out: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    gone: (PathBuf, String),
    written: std::sync::Mutex<Vec<String>>,
    committed: bool,
    // Dropped last: after the staging folder is gone.
    _lock: lock::Lock,
}

impl Staging {
    /// Checks `output` (see [`check_output`]), waits for any other build into it (`on_wait`
    /// is told, with that build's process id if known), puts back a previous output that a
    /// killed build left swapped out, checks what the output holds, and creates the staging
    /// folder beside it.
    pub fn begin(root: &Path, output: &Path, on_wait: &dyn Fn(Option<u32>)) -> Result<Staging> {
        let out = check_output(root, output)?;
        let (Some(parent), Some(name)) = (
            out.parent().map(Path::to_path_buf),
            out.file_name().map(|n| n.to_string_lossy().into_owned()),
        ) else {
            return Err(Error::Output {
                path: output.to_path_buf(),
                reason: "is not a folder we can write".into(),
                help: "choose another output folder".into(),
            });
        };
        let names = Names::of(&name);
        fs::create_dir_all(&parent).map_err(|e| Error::io("could not create", &parent, e))?;
        let lock = lock::Lock::take(parent.join(&names.lock), on_wait)?;
        let retired = parent.join(&names.old);
        restore(&out, &retired, output)?;
        if fs::symlink_metadata(&retired).is_ok() {
            retire(&retired, &out, &parent, &names.gone)?;
        }
        remove_dead(&parent, &[&names.new, &names.gone])?;
        inspect(&out, output, false)?;
        let dir = loop {
            let dir = unique(&parent, &names.new);
            match fs::create_dir(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io("could not create", &dir, e)),
            }
        };
        let staging = Staging {
            output: output.to_path_buf(),
            out,
            dir,
            retired,
            gone: (parent, names.gone),
            written: std::sync::Mutex::new(Vec::new()),
            committed: false,
            _lock: lock,
        };
        write_file(&staging.dir.join(MARKER), mark::MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Swaps the new output in; returns the files written, sorted.
    pub fn commit(mut self) -> Result<Vec<String>> {
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        written.sort();
        write_file(&self.dir.join(MARKER), mark::text(&written).as_bytes())?;
        // Now the whole tree, just before the swap: `begin` looked at the top level only,
        // and something may have been put into the output since.
        let existed = inspect(&self.out, &self.output, true)?;
        if existed {
            fs::rename(&self.out, &self.retired).map_err(|e| match e.kind() {
                ErrorKind::ResourceBusy | ErrorKind::CrossesDevices => mount_point(&self.output),
                _ => Error::io("could not move the old output aside", &self.out, e),
            })?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            // Put the previous output back: nothing lost.
            if existed {
                let _ = fs::rename(&self.retired, &self.out);
            }
            return Err(Error::io(
                "could not move the new output into place",
                &self.out,
                e,
            ));
        }
        self.committed = true;
        if existed {
            retire(&self.retired, &self.out, &self.gone.0, &self.gone.1)?;
        }
        Ok(written)
    }
}

impl Staging {
    /// Creates `rel`'s folder and writes it with `write`, then records it.
    fn write(&self, rel: &str, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            make_dir(p)?;
        }
        write(&path)?;
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
        Ok(())
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.write(&file.path, |path| write_file(path, &file.contents))
    }

    fn put_parts(&self, rel: &str, parts: &[&str]) -> Result<()> {
        self.write(rel, |path| {
            let file =
                fs::File::create(path).map_err(|e| Error::io("could not create", path, e))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            for p in parts {
                out.write_all(p.as_bytes())
                    .map_err(|e| Error::io("could not write", path, e))?;
            }
            out.flush()
                .map_err(|e| Error::io("could not write", path, e))
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_ours(&self.dir);
        }
    }
}

/// A previous output that a killed build left swapped out (`retired`) goes back into place
/// when the output is missing (or an empty folder): it is the only copy.
fn restore(out: &Path, retired: &Path, output: &Path) -> Result<()> {
    if fs::symlink_metadata(retired).is_err() {
        return Ok(());
    }
    if !mark::is_marked(retired) && !is_empty(retired)? {
        return Err(in_the_way(retired));
    }
    let missing = match fs::symlink_metadata(out) {
        Err(e) if e.kind() == ErrorKind::NotFound => true,
        Err(e) => return Err(Error::io("could not read", out, e)),
        Ok(m) => m.is_dir() && is_empty(out)? && fs::remove_dir(out).is_ok(),
    };
    if missing {
        fs::rename(retired, out)
            .map_err(|e| Error::io("could not put the previous output back", out, e))?;
    } else if !mark::is_marked(out) {
        // Not ours to replace, and the earlier build beside it is not ours to drop.
        return Err(Error::Output {
            path: output.to_path_buf(),
            reason: format!(
                "was not written by summit-gen, and an earlier build of it waits beside it in {}",
                retired.display()
            ),
            help: "move one of them away".into(),
        });
    }
    Ok(())
}

/// Checks what the output holds before it is replaced; returns whether it exists. `deep:
/// false` looks at the top level only: a quick check before the build, the whole tree after.
fn inspect(out: &Path, output: &Path, deep: bool) -> Result<bool> {
    let refuse = |reason: String, help: &str| Error::Output {
        path: output.to_path_buf(),
        reason,
        help: help.into(),
    };
    let meta = match fs::metadata(out) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io("could not read", out, e)),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return Err(refuse(
            "exists and is not a folder".into(),
            "remove it or choose another output folder",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let parent = out.parent().and_then(|p| fs::metadata(p).ok());
        if parent.is_some_and(|p| p.dev() != meta.dev()) {
            return Err(mount_point(output));
        }
    }
    if !mark::is_marked(out) {
        let others = fs::read_dir(out)
            .map_err(|e| Error::io("could not list", out, e))?
            .filter_map(std::result::Result::ok)
            .any(|e| e.file_name() != GIT);
        if others {
            return Err(refuse(
                "holds files that summit-gen did not write, and it will not delete them".into(),
                "move those files away, or choose another output folder",
            ));
        }
        return Ok(true);
    }
    let Some(listed) = mark::list(out)? else {
        return Ok(true);
    };
    let mut foreign = mark::foreign(out, &listed, deep)?;
    if !foreign.is_empty() && !deep {
        // Refused either way: name everything, not just what the quick look saw.
        foreign = mark::foreign(out, &listed, true)?;
    }
    if foreign.is_empty() {
        return Ok(true);
    }
    const SHOWN: usize = 10;
    let mut names = foreign
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if foreign.len() > SHOWN {
        names.push_str(&format!(" and {} more", foreign.len() - SHOWN));
    }
    Err(refuse(
        format!("holds files that summit-gen did not write, and it will not delete them: {names}"),
        "move them into `static/` to publish them with the site, or move them away",
    ))
}

fn mount_point(output: &Path) -> Error {
    Error::Output {
        path: output.to_path_buf(),
        reason: "is a mount point, which summit-gen cannot swap a new build into".into(),
        help: "mount the folder above it instead and build into a folder inside that (e.g. `docker run -v \"$PWD/out:/out\"` with `--output /out/public`)".into(),
    }
}

/// Removes a previous output once the new one is in place: first its `.git` goes into the new
/// output, then the folder is renamed aside (so `-old` only ever names a whole build) and
/// removed.
fn retire(retired: &Path, out: &Path, parent: &Path, gone: &str) -> Result<()> {
    let git = retired.join(GIT);
    if fs::symlink_metadata(&git).is_ok() {
        let target = out.join(GIT);
        if fs::symlink_metadata(&target).is_ok() {
            return Err(Error::Output {
                path: git,
                reason: format!("would be lost: {} already has a `.git`", out.display()),
                help: "move it where it belongs".into(),
            });
        }
        fs::rename(&git, &target).map_err(|e| Error::io("could not move `.git` to", &target, e))?;
    }
    let aside = unique(parent, gone);
    if fs::rename(retired, &aside).is_ok() {
        remove_ours(&aside)
    } else {
        remove_ours(retired)
    }
}

/// Removes what dead builds left beside the output (the lock is held, so no live build owns
/// them): folders starting with one of `prefixes` that carry the mark.
fn remove_dead(parent: &Path, prefixes: &[&str]) -> Result<()> {
    let entries = fs::read_dir(parent).map_err(|e| Error::io("could not list", parent, e))?;
    for entry in entries.filter_map(std::result::Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if prefixes.iter().any(|p| name.starts_with(p)) && mark::is_marked(&entry.path()) {
            // One that cannot be removed is in nobody's way: every build has names of its own.
            let _ = remove_ours(&entry.path());
        }
    }
    Ok(())
}

/// Creates `dir` (and its parents if needed); fine if it exists. One call in the common case,
/// where the parent is already there, instead of a check and a call for each page.
fn make_dir(dir: &Path) -> Result<()> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| Error::io("could not create", dir, e))
        }
        Err(e) => Err(Error::io("could not create", dir, e)),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = fs::File::create(path).map_err(|e| Error::io("could not create", path, e))?;
    file.write_all(bytes)
        .map_err(|e| Error::io("could not write", path, e))
}

fn is_empty(dir: &Path) -> Result<bool> {
    Ok(fs::read_dir(dir)
        .map_err(|e| Error::io("could not list", dir, e))?
        .next()
        .is_none())
}

fn in_the_way(dir: &Path) -> Error {
    Error::Output {
        path: dir.to_path_buf(),
        reason: "is in the way and was not written by summit-gen".into(),
        help: "move it away".into(),
    }
}

/// Removes a folder of ours (it carries the mark, or is empty), the mark last, so a folder
/// half removed is still recognisably ours. A `.git` in it is never removed.
fn remove_ours(dir: &Path) -> Result<()> {
    if fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    if !mark::is_marked(dir) && !is_empty(dir)? {
        return Err(in_the_way(dir));
    }
    let git = dir.join(GIT);
    if fs::symlink_metadata(&git).is_ok() {
        return Err(Error::Output {
            path: git,
            reason: "is a Git folder in a folder summit-gen was about to remove".into(),
            help: "move it where it belongs".into(),
        });
    }
    let entries = fs::read_dir(dir).map_err(|e| Error::io("could not list", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("could not list", dir, e))?;
        let (name, path) = (entry.file_name(), entry.path());
        if name == MARKER {
            continue;
        }
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let removed = if is_dir {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| Error::io("could not remove", &path, e))?;
    }
    let marker = dir.join(MARKER);
    match fs::remove_file(&marker) {
        Err(e) if e.kind() != ErrorKind::NotFound => {
            return Err(Error::io("could not remove", &marker, e));
        }
        _ => {}
    }
    fs::remove_dir(dir).map_err(|e| Error::io("could not remove", dir, e))
}
