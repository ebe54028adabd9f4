//! `serve` after editors' and tools' saves: by rename, by backup, slowly, a folder swapped,
//! a note with two names. Each ends as a fresh build writes it; a save that is fine once
//! written is never shown as a failed build.

use crate::serve::{NOTE, assert_served_is_built, note};
use crate::serve_support::{Server, eventually, next_event};
use crate::support::Site;

/// Editors' saves: a temporary file renamed over the note; vim's (the note renamed to its
/// backup `~`, written anew, the backup removed); JetBrains' (the note renamed away, the
/// temporary file renamed into its place). Each is served as a fresh build writes it, and
/// none is ever shown as a failed build.
#[test]
fn saves_by_rename_and_by_backup_serve_what_a_fresh_build_writes() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    let path = site.path().join(NOTE);
    let backup = site.path().join(format!("{NOTE}~"));
    let temp = site.path().join("content/talks/day-1/.b-keynote.md.tmp");
    let old = site
        .path()
        .join("content/talks/day-1/b-keynote.md___jb_old___");
    let mv = |from: &std::path::Path, to: &std::path::Path| {
        std::fs::rename(from, to).expect("rename");
    };
    let write = |to: &std::path::Path, text: &str| std::fs::write(to, text).expect("write");
    let rm = |p: &std::path::Path| std::fs::remove_file(p).expect("rm");
    let titles = [
        "Saved by rename",
        "Saved as vim does",
        "Saved as JetBrains does",
    ];
    let mut lines = Vec::new();
    for title in titles {
        let text = note(title);
        match title {
            "Saved by rename" => {
                write(&temp, &text);
                mv(&temp, &path);
            }
            "Saved as vim does" => {
                mv(&path, &backup);
                write(&path, &text);
                rm(&backup);
            }
            _ => {
                write(&temp, &text);
                mv(&path, &old);
                mv(&temp, &path);
                rm(&old);
            }
        }
        eventually(title, || {
            server.get("/").text().contains(title).then_some(())
        });
        site.build().success();
        assert_served_is_built(&site, &server);
        lines.extend(server.output.try_iter());
    }
    assert!(
        lines.iter().all(|l| l.starts_with("Rebuilt in ")),
        "{lines:#?}"
    );
}

/// A watched folder (content/, static/ …) swapped for another within one save (`mv content
/// content.old && mv new content`, a tool that wipes static/ and writes it again): the
/// system's watch went with the old folder and the new one was never watched, so no later
/// edit was ever rebuilt.
#[test]
fn bug_a_folder_swapped_in_for_content_was_never_watched() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    let root = site.path();
    let copy = Site::copy_of(root);
    std::fs::rename(root.join("content"), root.join("content.old")).expect("mv");
    std::fs::rename(copy.path().join("content"), root.join("content")).expect("mv");
    eventually("the swap rebuilt", || {
        server
            .output
            .try_iter()
            .find(|l| l.starts_with("Rebuilt") && l.ends_with(": content changed"))
    });
    site.write(NOTE, note("Edited in the new folder"));
    next_event(&events, "reload");
    assert!(server.get("/").text().contains("Edited in the new folder"));
    site.build().success();
    assert_served_is_built(&site, &server);
}

/// A note with a second name (a hard link) in content/: an edit through one name changes
/// both, but the event names only the one edited, and the other name's page was served
/// from the last read.
#[cfg(unix)]
#[test]
fn bug_an_edit_of_a_hard_linked_note_left_its_other_name_stale() {
    let site = Site::english();
    let a = "content/talks/day-1/a-keynote.md";
    std::fs::hard_link(
        site.path().join(a),
        site.path().join("content/talks/day-2/also-a.md"),
    )
    .expect("ln");
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    let text = site
        .read(a)
        .replace("The second keynote", "Edited through one name");
    site.write(a, text);
    next_event(&events, "reload");
    site.build().success();
    assert_served_is_built(&site, &server);
}

/// A writer that pauses mid-note (a slow disk, a tool that writes in parts, vim's fsync
/// before its close) was read halfway 10 ms after its last write, although the system had
/// not said the note was closed: "Build failed" for a note that is fine once written.
#[test]
fn bug_a_note_still_open_for_writing_was_read_halfway() {
    use std::io::Write;
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    let text = note("Written in two parts");
    let (first, rest) = text.split_at(text.len() / 2);
    let mut file = std::fs::File::create(site.path().join(NOTE)).expect("open");
    file.write_all(first.as_bytes()).expect("write");
    // Well over the 10 ms a file not known to be whole waits, well under the 200 ms a
    // burst waits at most.
    std::thread::sleep(std::time::Duration::from_millis(40));
    file.write_all(rest.as_bytes()).expect("write");
    drop(file);
    next_event(&events, "reload");
    assert!(server.get("/").text().contains("Written in two parts"));
    let lines: Vec<String> = server.output.try_iter().collect();
    assert!(
        lines.iter().all(|l| l.starts_with("Rebuilt in ")),
        "{lines:#?}"
    );
}
