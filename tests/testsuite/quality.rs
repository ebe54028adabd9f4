//! The example post as its readers get it, checked by the tools the web uses: the W3C Nu HTML
//! checker on every page, axe-core in headless Chromium (Debian's `chromium`) on the post, the
//! talk pages and the listings in light and dark, the weight of the post (under 50 KB), no
//! script but the JSON-LD metadata, nothing loaded from another origin, no sideways scrolling
//! on a phone; and screenshots of the post in `target/screenshots/` to look at.
//!
//! The checks are `tests/browser/check.mjs` (Node, with vnu-jar, axe-core and playwright-core
//! pinned in `tests/browser/package-lock.json`); this test builds the example and runs them.
//! `.ci/run` installs the packages (`npm ci --prefix tests/browser`). Where they are missing
//! the test says so and passes — except under CI (`CI` set), where that is a failure.

use std::process::Command;

use crate::support::{Site, repo};

#[test]
fn example_post_is_valid_accessible_and_light() {
    let checks = repo().join("tests/browser");
    if !checks.join("node_modules").is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tests/browser/node_modules is missing; .ci/run installs it (npm ci --prefix tests/browser)"
        );
        eprintln!(
            "skipping the quality checks: tests/browser/node_modules is missing \
             (npm ci --prefix tests/browser installs it)"
        );
        return;
    }

    let site = Site::example();
    site.run(&[
        "build",
        "--base-url",
        "https://example.github.io/summit-gen/",
    ])
    .success();
    let screenshots = repo().join("target/screenshots");
    let out = Command::new("node")
        .arg(checks.join("check.mjs"))
        .arg(site.path().join("public"))
        .arg(&screenshots)
        .current_dir(repo())
        .output()
        .expect("run node (Node.js 20 or later)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "tests/browser/check.mjs found problems (exit {:?}):\n{report}",
        out.status.code()
    );
    for shot in ["375-light", "375-dark", "1280-light", "1280-dark"] {
        let file = screenshots.join(format!("post-{shot}.png"));
        assert!(file.is_file(), "no screenshot {}\n{report}", file.display());
    }
}
