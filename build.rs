//! Build script: the text of `summit-gen --version`. Built from a git checkout of this
//! repository it names the commit (`0.1.0 (1a2b3c4d5e6f 2026-12-01)`); built from the
//! crates.io package, or anywhere git is missing, it is the bare version. Git is only asked
//! about this very folder, so a package unpacked inside some other repository (`cargo
//! package` verifies in `target/package/`) does not borrow that repository's commit.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = env!("CARGO_PKG_VERSION");
    let text = match commit() {
        Some(commit) => format!("{version} ({commit})"),
        None => {
            // Nothing of its own to watch, so watch a path that does not exist: Cargo then
            // runs this again on the next build. `cargo package` verifies the crate as the
            // same build unit in the same target folder, and the checkout's next build must
            // not keep its bare version.
            if let Some(here) = std::env::var_os("CARGO_MANIFEST_DIR") {
                let git = Path::new(&here).join(".git");
                println!("cargo:rerun-if-changed={}", git.display());
            }
            version.to_string()
        }
    };
    println!("cargo:rustc-env=SUMMIT_GEN_VERSION={text}");
}

/// `"<hash> <date>"` of HEAD, when this package's folder is the top of a git work tree.
fn commit() -> Option<String> {
    let here = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(&here)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let paths = git(&[
        "rev-parse",
        "--show-toplevel",
        "--git-path",
        "HEAD",
        "--git-path",
        "packed-refs",
        "--symbolic-full-name",
        "HEAD",
    ])?;
    let mut lines = paths.lines();
    let top = lines.next()?;
    if Path::new(top).canonicalize().ok()? != Path::new(&here).canonicalize().ok()? {
        return None;
    }
    // Build again when HEAD moves: a checkout, or a commit on the current branch.
    let (head, packed) = (lines.next()?.to_string(), lines.next()?.to_string());
    let branch = lines
        .next()
        .and_then(|r| git(&["rev-parse", "--git-path", r]));
    for path in [Some(head), Some(packed), branch].into_iter().flatten() {
        let path = Path::new(&here).join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(&["log", "-1", "--abbrev=12", "--format=%h %cs"]).filter(|c| !c.is_empty())
}
