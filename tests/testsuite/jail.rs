//! The site folder is a jail (issue 12, point 1): a symbolic link, walked or named, a
//! top-level folder or a file, never brings a file from outside the site into the output or
//! the preview server. Git stores links, so a cloned repository can hold any of these.

#![cfg(unix)]

use std::os::unix::fs::{PermissionsExt, symlink};

use crate::serve_support::Server;
use crate::support::Site;

const SECRET: &str = "GITHUB_TOKEN=ghs_topsecret";

/// A folder outside the site with a secret file, a secret folder of notes/templates/assets.
fn outside() -> Site {
    let out = Site::empty();
    out.write("secret.txt", SECRET);
    out.write("etc/shadow", SECRET);
    out.write(
        "talks/stolen.md",
        format!("---\ntitle: Stolen\nspeakers: []\nday: 1\n---\n{SECRET}\n"),
    );
    out.write("templates/base.html", SECRET);
    out
}

/// No file of the output holds the secret.
#[track_caller]
fn assert_no_leak(site: &Site) {
    for (path, bytes) in site.snapshot_dir("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{} leaked the secret",
            path.display()
        );
    }
}

fn warning(path: &str) -> String {
    format!(
        "warning: {path}: skipped: a link to something outside the site; summit-gen reads only files inside the site folder — copy the file into the site instead of linking to it\n"
    )
}

#[test]
fn bug_intro_linked_to_proc_environ_published_the_environment() {
    let site = Site::english();
    let out = outside();
    site.remove("content/intro.md");
    symlink(
        out.path().join("secret.txt"),
        site.path().join("content/intro.md"),
    )
    .expect("link");
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, warning("content/intro.md"));
    assert_no_leak(&site);
}

#[test]
fn bug_static_linked_to_etc_published_shadow_and_serve_answered_it() {
    let site = Site::english();
    let out = outside();
    symlink(out.path().join("etc"), site.path().join("static")).expect("link");
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, warning("static"));
    assert!(!site.path().join("public/shadow").exists());
    assert_no_leak(&site);

    let server = Server::start(&site, &[]);
    let reply = server.get("/shadow");
    assert_eq!(reply.status, 404);
    assert!(!reply.text().contains(SECRET));
}

#[test]
fn bug_content_linked_outside_was_read_under_a_false_skipped_warning() {
    let site = Site::english();
    let out = outside();
    std::fs::remove_dir_all(site.path().join("content")).expect("rm");
    symlink(out.path(), site.path().join("content")).expect("link");
    let run = site.build();
    run.success();
    // One true warning for the link, one for the (now) empty site; nothing read below it.
    assert_eq!(
        run.stderr,
        format!(
            "{}warning: content/talks: no talk notes yet — add one with `summit-gen new \"Talk title\" --day 1`\n",
            warning("content")
        )
    );
    assert_no_leak(&site);
}

#[test]
fn bug_talks_and_templates_linked_outside_were_followed() {
    let site = Site::english();
    let out = outside();
    symlink(
        out.path().join("talks"),
        site.path().join("content/talks/elsewhere"),
    )
    .expect("link");
    symlink(out.path().join("templates"), site.path().join("templates")).expect("link");
    let run = site.build();
    run.success();
    assert_eq!(
        run.stderr,
        format!(
            "{}{}",
            warning("content/talks/elsewhere"),
            warning("templates")
        )
    );
    assert_no_leak(&site);

    let site = Site::english();
    std::fs::remove_dir_all(site.path().join("content/talks")).expect("rm");
    symlink(out.path().join("talks"), site.path().join("content/talks")).expect("link");
    let run = site.build();
    run.success();
    assert!(
        run.stderr.starts_with(&warning("content/talks")),
        "{}",
        run.stderr
    );
    assert_no_leak(&site);
}

#[test]
fn bug_summit_yaml_linked_outside_was_read() {
    let site = Site::english();
    let out = outside();
    out.write(
        "summit.yaml",
        site.read("summit.yaml").replace("title:", "title: LEAK"),
    );
    site.remove("summit.yaml");
    symlink(
        out.path().join("summit.yaml"),
        site.path().join("summit.yaml"),
    )
    .expect("link");
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "summit.yaml: a link to a file outside the site, which summit-gen never reads — replace the link with the file itself\nerror: 1 problem found; nothing was written\n"
    );
    assert!(!site.path().join("public").exists());
}

/// Links that stay inside the site are followed, and copies get ordinary permissions
/// whatever the source's mode.
#[test]
fn links_inside_the_site_work_and_copies_get_ordinary_modes() {
    let site = Site::english();
    site.write("notes/intro.md", "Hello from a linked intro.\n");
    site.remove("content/intro.md");
    symlink("../notes/intro.md", site.path().join("content/intro.md")).expect("link");
    site.write("static/private.txt", "mine");
    std::fs::set_permissions(
        site.path().join("static/private.txt"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    assert!(
        site.read("public/index.html")
            .contains("Hello from a linked intro.")
    );
    let mode = |rel: &str| {
        std::fs::metadata(site.path().join(rel))
            .expect("meta")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("public/private.txt"), 0o644);
    assert_eq!(mode("public/talks"), 0o755);
}
