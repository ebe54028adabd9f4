//! The output folder: refused where it would destroy something, replaced atomically otherwise.

use std::fs;

use crate::support::Site;

#[track_caller]
fn refused(site: &Site, output: &str, reason: &str) {
    let run = site.run(&["build", "--output", output]);
    run.failure();
    assert!(
        run.stderr
            .starts_with(&format!("error: {output}: {reason}")),
        "{}",
        run.stderr
    );
}

#[test]
fn refuses_the_site_root_its_parents_and_content() {
    let site = Site::english();
    refused(&site, ".", "is the site folder or one of its parents");
    refused(&site, "..", "is the site folder or one of its parents");
    refused(
        &site,
        "content",
        "is inside `content/`, which summit-gen reads",
    );
    refused(
        &site,
        "content/talks/out",
        "is inside `content/`, which summit-gen reads",
    );
    // Nothing was touched.
    assert!(
        site.path()
            .join("content/talks/day-1/a-keynote.md")
            .is_file()
    );
    assert!(!site.path().join("content/talks/out").exists());
}

#[test]
fn never_empties_a_folder_it_did_not_create() {
    let site = Site::english();
    site.write("public/notes-to-self.txt", "precious");
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "error: public: holds files that summit-gen did not write, and it will not delete them — move those files away, or choose another output folder\n"
    );
    assert_eq!(site.read("public/notes-to-self.txt"), "precious");
    assert_eq!(
        fs::read_dir(site.path().join("public"))
            .map(|d| d.count())
            .ok(),
        Some(1)
    );
}

#[test]
fn an_empty_folder_is_fine_and_gets_marked() {
    let site = Site::english();
    fs::create_dir(site.path().join("public")).expect("mkdir");
    site.build().success();
    assert!(site.path().join("public/.summit-gen").is_file());
    assert!(site.path().join("public/index.html").is_file());
}

#[test]
fn a_rebuild_replaces_the_whole_output_and_leaves_no_temporaries() {
    let site = Site::english();
    site.write("static/old.txt", "old");
    site.build().success();
    assert!(site.path().join("public/old.txt").is_file());
    site.remove("static/old.txt");
    site.build().success();
    assert!(!site.path().join("public/old.txt").exists());
    let names: Vec<_> = fs::read_dir(site.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("summit-gen"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_failed_build_leaves_no_temporaries_either() {
    let site = Site::english();
    site.build().success();
    site.write("templates/talk.html", "{% if %}");
    let run = site.build();
    run.failure();
    assert!(
        run.stderr
            .starts_with("error: template templates/talk.html: "),
        "{}",
        run.stderr
    );
    assert!(site.path().join("public/index.html").is_file());
    let leftovers = fs::read_dir(site.path())
        .expect("ls")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().contains("summit-gen"))
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn root_and_output_flags() {
    let site = Site::english();
    let elsewhere = Site::empty();
    let out = elsewhere.path().join("site");
    let run = elsewhere.run(&[
        "build",
        "--root",
        site.path().to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
        "--quiet",
    ]);
    run.success();
    assert_eq!(run.stdout, "");
    assert!(out.join("index.html").is_file());
    assert!(!site.path().join("public").exists());
}

/// A link in static/ that points out of the site is never followed; one inside is.
#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_not_followed() {
    let site = Site::english();
    let outside = Site::empty();
    outside.write("secret.txt", "top secret");
    site.write("static/real.txt", "inside");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/leak.txt"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(
        site.path().join("static/real.txt"),
        site.path().join("static/alias.txt"),
    )
    .expect("symlink");
    let run = site.build();
    run.success();
    assert_eq!(
        run.stderr,
        "warning: static/leak.txt: skipped: a link to something outside the site; summit-gen reads only files inside the site folder — copy the file into the site instead of linking to it\n"
    );
    assert!(!site.path().join("public/leak.txt").exists());
    assert_eq!(site.read("public/alias.txt"), "inside");
}

#[test]
fn an_output_folder_in_missing_folders_is_created() {
    let site = Site::english();
    site.run(&["build", "--output", "deep/er/site"]).success();
    assert!(site.path().join("deep/er/site/index.html").is_file());
}
