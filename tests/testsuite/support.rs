//! Helpers: a site in a temporary folder, the real binary run on it, the HTML it wrote.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

/// The repository root (the example site lives there).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/sites").join(name)
}

/// A throwaway copy of a site.
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// Copies `summit.yaml` and `content/` (and `templates/`, `static/`, a blog's `posts/`, if
    /// present) of `from`.
    pub fn copy_of(from: &Path) -> Site {
        let site = Site::empty();
        for name in ["summit.yaml", "content", "templates", "static", "posts"] {
            let src = from.join(name);
            if src.exists() {
                copy_tree(&src, &site.path().join(name));
            }
        }
        site
    }

    /// The repository's example site, content only (no templates/ or static/).
    pub fn example() -> Site {
        let site = Site::empty();
        copy_tree(
            &repo().join("summit.yaml"),
            &site.path().join("summit.yaml"),
        );
        copy_tree(&repo().join("content"), &site.path().join("content"));
        // The example's own images (the rest of static/ is the built-in theme).
        copy_tree(&repo().join("static/img"), &site.path().join("static/img"));
        site
    }

    pub fn english() -> Site {
        Site::copy_of(&fixture("english"))
    }

    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, contents).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path().join(rel)).expect("remove");
    }

    /// Runs `summit-gen ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_summit-gen"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run summit-gen");
        Run::from(out)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    /// Every file below `rel`, with its bytes.
    pub fn snapshot_dir(&self, rel: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        tree(&self.path().join(rel))
    }
}

pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix").to_path_buf();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        fs::copy(from, to).expect("copy");
        return;
    }
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn failure(&self) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// CSS selector, panicking on a typo in the test.
pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

/// The whitespace-normalised text of an element.
pub fn text(el: scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of all elements matching `selector` below `root`.
pub fn texts(root: scraper::ElementRef<'_>, selector: &str) -> Vec<String> {
    root.select(&sel(selector)).map(text).collect()
}
