//! Re-import edits notes as bytes: a BOM, CRLF line endings and a comment on an updated line
//! survive, and only the changed value is replaced.

use crate::import_names::sessionize;
use crate::support::Site;

const NOTE: &str = "content/talks/day-1/streams.md";

/// A site with two imported talks; the writer's note on the first is `edit(note as imported)`.
fn imported(edit: impl Fn(&str) -> String) -> (Site, String) {
    let site = Site::empty();
    site.write(
        "all.json",
        sessionize(&[
            ("1", "Streams", "09:00", "Main"),
            ("2", "Other", "10:00", "Main"),
        ]),
    );
    let run = site.run(&["import", "all.json"]);
    run.success();
    let note = site.read(NOTE);
    assert!(
        note.contains("start: \"09:00\"\n") && note.contains("room: Main\n"),
        "{note}"
    );
    let written = edit(&note.replace("<!--", "My notes.\nSecond line.\n\n<!--"));
    site.write(NOTE, &written);
    (site, written)
}

/// The schedule changes talk 1 to `start` in `room`; re-import must succeed quietly.
fn reimport(site: &Site, start: &str, room: &str) {
    site.write(
        "all.json",
        sessionize(&[
            ("1", "Streams", start, room),
            ("2", "Other", "10:00", "Main"),
        ]),
    );
    let run = site.run(&["import", "all.json"]);
    run.success();
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.contains("(0 new, 1 updated, 1 unchanged)"),
        "{}",
        run.stdout
    );
}

fn bytes(site: &Site, rel: &str) -> Vec<u8> {
    std::fs::read(site.path().join(rel)).expect("read")
}

/// A note saved with a BOM used to stop the whole re-import ("could not update its front
/// matter"); the BOM is kept and only the room changes.
#[test]
fn reimport_updates_a_note_with_a_bom_and_keeps_the_bom() {
    let (site, written) = imported(|n| format!("\u{feff}{n}"));
    reimport(&site, "09:00", "Side");
    assert_eq!(
        bytes(&site, NOTE),
        written.replace("room: Main\n", "room: Side\n").into_bytes()
    );
    site.build().success();
}

/// A CRLF note used to come back LF throughout, body included; now only the start changes.
#[test]
fn reimport_keeps_crlf_line_endings_and_the_body_bytes() {
    let (site, written) = imported(|n| n.replace('\n', "\r\n"));
    reimport(&site, "10:15", "Main");
    assert_eq!(
        String::from_utf8(bytes(&site, NOTE)).expect("UTF-8"),
        written.replace("start: \"09:00\"", "start: \"10:15\"")
    );
    let run = site.run(&["build", "--base-url", "https://example.org/"]);
    run.success();
    assert_eq!(run.stderr, "");
}

/// An inline `# comment` on a field the schedule changes used to vanish with the old value.
#[test]
fn reimport_keeps_the_comment_on_an_updated_field() {
    let (site, written) = imported(|n| {
        n.replace("room: Main\n", "room: Main   # I sat at the back\n")
            .replace("recommended: false", "recommended: true  # mine")
    });
    reimport(&site, "09:00", "Side hall: B");
    assert_eq!(
        site.read(NOTE),
        written.replace(
            "room: Main   # I sat at the back\n",
            "room: \"Side hall: B\"   # I sat at the back\n"
        )
    );
    site.build().success();
}
