//! `theme`: the built-in theme's files, which of them the site replaces (resolved as the build
//! does: in a recap of a blog, the recap's `templates/` first, then the blog's, then the
//! built-in theme), and copies of them to edit. A copy never replaces a file silently: a file
//! already there is refused, or with `force` moved aside to a backup that the build skips
//! (`NAME.bak`, see `load::is_ignored`). Every target is checked before anything is written.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::load::display_path;
use crate::render::{Builtin, CUSTOM_CSS, builtin_files};

/// Where `theme` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A one-recap site.
    Site,
    /// A blog's root (its recaps may replace templates for their own pages).
    Blog,
    /// A recap inside a blog's `posts/` (the blog's files apply under its own).
    Recap,
}

/// Whose file replaces a built-in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// The site's (or blog's, or recap's) own, where `theme` runs.
    Own,
    /// The blog's, seen from one of its recaps.
    Blog,
    /// A recap's, seen from its blog: it applies to that recap's pages.
    Recap(String),
}

/// A file of the site that replaces a built-in one (or, for `custom.css`, adds to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// As the shell sees it from where `theme` runs.
    pub path: PathBuf,
    pub whose: Whose,
    /// A recap's own `style.css` or `embed.js`: written, but its pages link the blog's.
    pub unused: bool,
    /// The file holds the built-in one's bytes (a copy nobody has edited yet).
    pub same: bool,
}

/// A built-in file and the site's files that replace it, the one in effect first.
#[derive(Debug, Clone)]
pub struct Listed {
    pub file: Builtin,
    pub replaced_by: Vec<Replacement>,
}

/// What `theme` lists.
#[derive(Debug, Clone)]
pub struct Listing {
    pub place: Place,
    pub files: Vec<Listed>,
    /// The `custom.css` files pages link after the theme's CSS.
    pub custom_css: Vec<Replacement>,
}

/// What a site is: a blog, a recap of one (with the blog's folder), or a site.
fn place(root: &Path) -> (Place, Option<PathBuf>) {
    if crate::load::is_blog(root) {
        return (Place::Blog, None);
    }
    if super::kind_at(root, false) == super::Kind::Recap {
        let up = Path::new("..").join("..");
        let blog = match root.parent().and_then(Path::parent) {
            _ if root == Path::new(".") => up,
            Some(blog) if !root.ends_with("..") => blog.to_path_buf(),
            _ => root.join(up),
        };
        return (Place::Recap, Some(blog));
    }
    (Place::Site, None)
}

/// Every built-in file, and what in the site at `root` replaces it.
pub fn list(root: &Path) -> Result<Listing> {
    crate::load::require_config(root)?;
    let (place, blog) = place(root);
    let recaps = match place {
        Place::Blog => crate::load::recaps(root, &mut Vec::new()).0,
        _ => Vec::new(),
    };
    let replacements = |folder: &str, name: &str, bytes: Option<&[u8]>, in_recaps: bool| {
        let found = |on_disk: PathBuf, shown: PathBuf, whose: Whose, unused: bool| {
            (on_disk.symlink_metadata().is_ok()).then(|| Replacement {
                path: shown,
                whose,
                unused,
                same: bytes.is_some_and(|b| std::fs::read(&on_disk).is_ok_and(|d| d == b)),
            })
        };
        let rel = Path::new(folder).join(name);
        let own_unused = place == Place::Recap && folder == "static" && name != CUSTOM_CSS;
        let own = found(
            root.join(&rel),
            display_path(root, &rel),
            Whose::Own,
            own_unused,
        );
        let mut all: Vec<Replacement> = own.into_iter().collect();
        if let Some(blog) = &blog {
            all.extend(found(
                blog.join(&rel),
                display_path(blog, &rel),
                Whose::Blog,
                false,
            ));
        }
        if in_recaps {
            for r in &recaps {
                let in_recap = Path::new("posts").join(r).join(&rel);
                all.extend(found(
                    root.join(&in_recap),
                    display_path(root, &in_recap),
                    Whose::Recap(r.clone()),
                    false,
                ));
            }
        }
        all
    };
    let files = builtin_files()
        .map(|file| Listed {
            file,
            replaced_by: replacements(
                file.folder,
                file.name,
                Some(file.bytes),
                file.folder == "templates",
            ),
        })
        .collect();
    let mut custom_css = replacements("static", CUSTOM_CSS, None, true);
    // Seen from a recap, the blog's custom.css comes first in the page.
    if place == Place::Recap {
        custom_css.reverse();
    }
    Ok(Listing {
        place,
        files,
        custom_css,
    })
}

/// The names `theme copy` knows, in the order `theme` lists them.
pub fn names() -> Vec<&'static str> {
    builtin_files().map(|f| f.name).collect()
}

/// What `copy` did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Copied {
    /// Written where there was nothing.
    Written(PathBuf),
    /// Written after moving the file that was there to `backup` (with `force`).
    Replaced { path: PathBuf, backup: PathBuf },
}

/// Writes the built-in files `names` into the site's `templates/` and `static/`, byte for
/// byte. A file already there is an error naming it (nothing is written), unless `force`:
/// then it is first renamed to a backup that no other file has the name of.
pub fn copy(root: &Path, names: &[&str], force: bool) -> Result<Vec<Copied>> {
    crate::load::require_config(root)?;
    let mut files: Vec<Builtin> = Vec::new();
    for name in names {
        let Some(file) = builtin_files().find(|f| f.name == *name) else {
            return Err(Error::from(vec![
                Diagnostic::new(*name, "no built-in file has this name")
                    .help(format!("the built-in files are {}", names_list())),
            ]));
        };
        if !files.iter().any(|f| f.name == file.name) {
            files.push(file);
        }
    }
    let target = |f: &Builtin| Path::new(f.folder).join(f.name);
    let there: Vec<Diagnostic> = files
        .iter()
        .map(target)
        .filter(|rel| root.join(rel).symlink_metadata().is_ok())
        .map(|rel| {
            Diagnostic::new(display_path(root, &rel), "exists already").help(
                "edit it, or pass --force to put the built-in one there (yours is kept beside it as a .bak file)",
            )
        })
        .collect();
    if !there.is_empty() && !force {
        return Err(Error::from(there));
    }
    let mut done = Vec::new();
    for f in &files {
        let rel = target(f);
        let path = root.join(&rel);
        let shown = display_path(root, &rel);
        if path.symlink_metadata().is_ok() {
            let backup = backup_name(&path);
            std::fs::rename(&path, &backup).map_err(|e| Error::io("could not rename", &path, e))?;
            let backup_rel = rel.with_file_name(backup.file_name().unwrap_or_default());
            write(&path, f.bytes)?;
            done.push(Copied::Replaced {
                path: shown,
                backup: display_path(root, &backup_rel),
            });
        } else {
            write(&path, f.bytes)?;
            done.push(Copied::Written(shown));
        }
    }
    Ok(done)
}

/// `NAME.bak`, else `NAME.2.bak`, `NAME.3.bak` …: the first name nothing has.
fn backup_name(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    (1..)
        .map(|n| match n {
            1 => path.with_file_name(format!("{name}.bak")),
            n => path.with_file_name(format!("{name}.{n}.bak")),
        })
        .find(|p| p.symlink_metadata().is_err())
        .unwrap_or_else(|| path.with_file_name(format!("{name}.bak")))
}

fn names_list() -> String {
    names().join(", ")
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("could not create", parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io("could not write", path, e))
}
