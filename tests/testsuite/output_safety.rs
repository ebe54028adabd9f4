//! Nothing lost in the output folder: builds into one output take turns, files summit-gen did
//! not write (a `gh-pages` worktree's `.git`, anything else) survive, a build killed mid-swap
//! is recovered, and a mount point is refused with what to do instead.

use std::fs;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Run, Site};

/// The English fixture with `n` more notes, so a build takes a while.
fn big_site(n: usize) -> Site {
    let site = Site::english();
    let body = "A paragraph of notes about the talk, with *emphasis* and `code`.\n\n".repeat(20);
    for i in 0..n {
        site.write(
            &format!("content/talks/day-{}/talk-{i:04}.md", i % 2 + 1),
            format!(
                "---\ntitle: \"Talk {i}\"\nspeakers: Speaker {i}\nday: {}\n---\n{body}",
                i % 2 + 1
            ),
        );
    }
    site
}

fn spawn_build(site: &Site) -> std::process::Child {
    spawn(site, &["build", "--quiet"])
}

fn spawn(site: &Site, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_summit-gen"))
        .args(args)
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn summit-gen")
}

/// Names in `dir` that contain `summit-gen` (what builds write beside the output).
fn beside(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("summit-gen"))
        .collect();
    names.sort();
    names
}

#[test]
fn two_builds_into_one_output_never_swap_in_a_partial_site() {
    let site = big_site(800);
    site.run(&["build", "--quiet", "--output", "solo"])
        .success();
    let expected = site.snapshot_dir("solo");
    for _round in 0..2 {
        let (a, b) = (spawn_build(&site), spawn_build(&site));
        let (a_id, b_id) = (a.id(), b.id());
        let a = Run::from(a.wait_with_output().expect("wait"));
        let b = Run::from(b.wait_with_output().expect("wait"));
        a.success();
        b.success();
        // At most one waited, and it named the other.
        let waited = |run: &Run, other: u32| {
            assert!(
                run.stderr.is_empty()
                    || run.stderr
                        == format!(
                            "waiting for the build by process {other} into public to finish\n"
                        ),
                "{}",
                run.stderr
            );
            !run.stderr.is_empty()
        };
        assert!(!(waited(&a, b_id) && waited(&b, a_id)));
        let built = site.snapshot_dir("public");
        assert_eq!(built.len(), expected.len());
        assert!(built == expected, "the output differs from a build alone");
        assert_eq!(beside(site.path()), Vec::<String>::new());
    }
}

#[test]
fn a_build_waits_for_the_one_holding_the_lock_and_says_which_it_is() {
    let site = Site::english();
    let mut held = fs::File::create(site.path().join(".public.summit-gen-lock")).expect("lock");
    held.lock().expect("lock");
    std::io::Write::write_all(&mut held, b"4242\n").expect("write");
    // Not --quiet: that keeps the note to itself.
    let mut child = spawn(&site, &["build"]);
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let mut byte = [0u8; 1];
        while !text.ends_with('\n') && stderr.read(&mut byte).is_ok_and(|n| n == 1) {
            text.push(byte[0] as char);
        }
        (text, stderr)
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while !reader.is_finished() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the build said nothing about the lock it waits for");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let (line, mut stderr) = reader.join().expect("reader");
    assert_eq!(
        line,
        "waiting for the build by process 4242 into public to finish\n"
    );
    // It has not started writing.
    assert!(!site.path().join("public").exists());
    assert_eq!(beside(site.path()), [".public.summit-gen-lock"]);
    drop(held);
    let status = child.wait().expect("wait");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("stderr");
    assert!(status.success(), "{rest}");
    assert_eq!(rest, "");
    assert!(site.path().join("public/index.html").is_file());
    assert_eq!(beside(site.path()), Vec::<String>::new());
}

#[test]
fn a_git_folder_in_public_survives_every_build() {
    let site = Site::english();
    site.build().success();
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/.git/objects/ab/cdef", "object");
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    site.build().success();
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/gh-pages\n");
    assert_eq!(site.read("public/.git/objects/ab/cdef"), "object");
    assert!(site.path().join("public/index.html").is_file());
    assert_eq!(beside(site.path()), Vec::<String>::new());
}

/// A `gh-pages` worktree checked out into `public/` before the first build: only `.git` (a
/// file there) is in it, which makes it as good as empty.
#[test]
fn a_gh_pages_worktree_made_before_the_first_build_is_built_into() {
    let site = Site::english();
    site.write("public/.git", "gitdir: ../.git/worktrees/public\n");
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    site.build().success();
    assert_eq!(
        site.read("public/.git"),
        "gitdir: ../.git/worktrees/public\n"
    );
    assert!(site.path().join("public/index.html").is_file());
}

#[test]
fn files_the_user_put_into_public_are_named_and_never_deleted() {
    let site = Site::english();
    site.build().success();
    let before = site.snapshot_dir("public");
    site.write("public/notes-to-self.txt", "precious");
    site.write("public/drafts/next-year.md", "plans");
    site.write("public/talks/mine.txt", "mine");
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "error: public: holds files that summit-gen did not write, and it will not delete them: drafts/, notes-to-self.txt, talks/mine.txt — move them into `static/` to publish them with the site, or move them away\n"
    );
    assert_eq!(site.read("public/notes-to-self.txt"), "precious");
    assert_eq!(site.read("public/drafts/next-year.md"), "plans");
    assert_eq!(site.read("public/talks/mine.txt"), "mine");
    let mut after = site.snapshot_dir("public");
    for f in ["notes-to-self.txt", "drafts/next-year.md", "talks/mine.txt"] {
        after.remove(Path::new(f));
    }
    assert!(after == before, "the previous output changed");
    assert_eq!(beside(site.path()), Vec::<String>::new());

    // One deep inside is found too (after the build: the first look is at the top level).
    fs::remove_file(site.path().join("public/notes-to-self.txt")).expect("rm");
    fs::remove_dir_all(site.path().join("public/drafts")).expect("rm");
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "error: public: holds files that summit-gen did not write, and it will not delete them: talks/mine.txt — move them into `static/` to publish them with the site, or move them away\n"
    );
    assert_eq!(site.read("public/talks/mine.txt"), "mine");
    assert_eq!(beside(site.path()), Vec::<String>::new());
}

/// Before the mark listed the files, it held one line; such an output is replaced as before
/// (its `.git` kept), and the new mark lists what was written.
#[test]
fn an_output_of_an_earlier_version_is_replaced_and_keeps_its_git() {
    let site = Site::english();
    site.write(
        "public/.summit-gen",
        "This folder is written by summit-gen and replaced on every build.\n",
    );
    site.write(
        "public/talks/gone/index.html",
        "a page of a talk since removed",
    );
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    assert!(!site.path().join("public/talks/gone").exists());
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/gh-pages\n");
    let mark = site.read("public/.summit-gen");
    assert!(
        mark.starts_with("This folder is written by summit-gen and replaced on every build.\n")
    );
    assert!(mark.lines().any(|l| l == "index.html"), "{mark}");
}

/// A build killed between its two renames leaves only `.public.summit-gen-old`.
#[test]
fn a_previous_output_left_swapped_out_is_put_back_even_when_the_next_build_fails() {
    let site = Site::english();
    site.build().success();
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.build().success();
    let before = site.snapshot_dir("public");
    fs::rename(
        site.path().join("public"),
        site.path().join(".public.summit-gen-old"),
    )
    .expect("rename");
    site.write("templates/talk.html", "{% if %}");
    let run = site.build();
    run.failure();
    assert!(
        run.stderr
            .starts_with("error: template templates/talk.html: "),
        "{}",
        run.stderr
    );
    assert!(
        site.snapshot_dir("public") == before,
        "not restored as it was"
    );
    assert_eq!(beside(site.path()), Vec::<String>::new());

    // And when the next build succeeds, it replaces the restored output.
    fs::rename(
        site.path().join("public"),
        site.path().join(".public.summit-gen-old"),
    )
    .expect("rename");
    site.remove("templates/talk.html");
    site.build().success();
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/gh-pages\n");
    assert!(site.snapshot_dir("public") == before);
    assert_eq!(beside(site.path()), Vec::<String>::new());
}

/// A build killed after the swap, before the previous output was removed: the new output is
/// kept and the `.git` still in the previous one is carried into it; staging folders of
/// killed builds (of this version and an earlier one) are removed.
#[test]
fn a_build_killed_after_the_swap_is_finished_by_the_next() {
    let site = Site::english();
    site.build().success();
    site.run(&["build", "--output", "previous"]).success();
    fs::rename(
        site.path().join("previous"),
        site.path().join(".public.summit-gen-old"),
    )
    .expect("rename");
    site.write(
        ".public.summit-gen-old/.git/HEAD",
        "ref: refs/heads/gh-pages\n",
    );
    for dead in [".public.summit-gen-new.99999-0", ".public.summit-gen-new"] {
        site.write(&format!("{dead}/.summit-gen"), "");
        site.write(&format!("{dead}/index.html"), "half");
    }
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/gh-pages\n");
    assert!(site.path().join("public/index.html").is_file());
    assert_eq!(beside(site.path()), Vec::<String>::new());
}

/// `docker run -v …:/site/public`: a mount point cannot be renamed (EBUSY). Needs root to
/// mount; skipped without it, except on CI, where a skip would pass silently.
#[cfg(target_os = "linux")]
#[test]
fn an_output_folder_that_is_a_mount_point_is_refused_with_what_to_do() {
    struct Mounted(std::path::PathBuf);
    impl Drop for Mounted {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let mount = |args: &[&str], at: &Path| -> Option<Mounted> {
        fs::create_dir_all(at).expect("mkdir");
        let ok = Command::new("mount")
            .args(args)
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mounted(at.to_path_buf()))
    };
    let expected = "error: public: is a mount point, which summit-gen cannot swap a new build into — mount the folder above it instead and build into a folder inside that (e.g. `docker run -v \"$PWD/out:/out\"` with `--output /out/public`)\n";
    let site = Site::english();
    let public = site.path().join("public");
    let Some(tmpfs) = mount(&["-t", "tmpfs", "tmpfs"], &public) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "cannot mount a tmpfs (this test needs root); on CI that must not pass unseen"
        );
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    // Another file system: seen before any work is done.
    let run = site.build();
    run.failure();
    assert_eq!(run.stderr, expected);
    drop(tmpfs);

    // A bind mount of the same file system: seen when the rename fails.
    let elsewhere = site.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("mkdir");
    let bound =
        mount(&["--bind", elsewhere.to_str().expect("utf-8")], &public).expect("bind mount");
    let run = site.build();
    run.failure();
    assert_eq!(run.stderr, expected);
    assert_eq!(fs::read_dir(&public).map(|d| d.count()).ok(), Some(0));
    assert_eq!(beside(site.path()), Vec::<String>::new());
    drop(bound);
}
