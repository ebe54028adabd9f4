//! The lock that makes builds into one output folder take turns.
//!
//! A file beside the output (`.NAME.summit-gen-lock`) is locked for the whole build, from
//! before its staging folder exists until the previous output is gone, and holds the builder's
//! process id, so a build that has to wait can say for whom. The holder removes the file before
//! it lets go (so no lock file stays behind); a waiter that then gets the lock on the removed
//! file sees that the path no longer names it and tries again, so two builds never both hold
//! the lock. The operating system lets go of the lock of a killed build.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A held lock; released (and its file removed) on drop.
pub(super) struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    /// Takes the lock at `path`, waiting for its holder if there is one; `on_wait` is told
    /// once, with the holder's process id if it is known.
    pub(super) fn take(path: PathBuf, on_wait: &dyn Fn(Option<u32>)) -> Result<Lock> {
        let mut told = false;
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| Error::io("could not open the lock file", &path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    if !told {
                        on_wait(holder(&mut file));
                        told = true;
                    }
                    file.lock()
                        .map_err(|e| Error::io("could not lock", &path, e))?;
                }
                Err(TryLockError::Error(e)) => return Err(Error::io("could not lock", &path, e)),
            }
            if names(&path, &file) {
                file.set_len(0)
                    .and_then(|()| writeln!(file, "{}", std::process::id()))
                    .map_err(|e| Error::io("could not write", &path, e))?;
                return Ok(Lock { path, _file: file });
            }
            // The holder removed the file as it finished; lock the one at `path` now.
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held; see the module comment. Elsewhere an open file cannot be
        // removed, and the lock file stays (ignored by init's .gitignore).
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// The process id the holder wrote into the lock file. It writes it just after it got the
/// lock, so a build that finds it locked a moment later gives it a little while (bounded).
fn holder(file: &mut File) -> Option<u32> {
    for _ in 0..50 {
        let mut text = String::new();
        if file
            .rewind()
            .and_then(|()| file.read_to_string(&mut text))
            .is_ok()
            && let Some(Ok(pid)) = text.strip_suffix('\n').map(str::parse)
        {
            return Some(pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    None
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn names(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (fs::metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn names(_path: &Path, _file: &File) -> bool {
    true
}
