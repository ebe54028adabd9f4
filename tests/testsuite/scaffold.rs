//! `new` and `init` as a writer uses them (issue 15, points 12 and 13).

use crate::support::{Site, texts};

#[test]
fn new_fills_in_start_room_tags_and_recommended() {
    let site = Site::english();
    let run = site.run(&[
        "new",
        "Streams at scale",
        "--day",
        "2",
        "--speaker",
        "Ada",
        "--start",
        "14:30",
        "--room",
        "Hall B",
        "--tag",
        "kafka",
        "--tag",
        "streams",
        "--recommended",
    ]);
    run.success();
    assert_eq!(run.stderr, "");
    assert_eq!(
        site.read("content/talks/day-2/streams-at-scale.md"),
        "---\ntitle: Streams at scale\nspeakers:\n- Ada\nday: 2\nstart: \"14:30\"\nroom: Hall B\ntags:\n- kafka\n- streams\nrecommended: true\n---\nWrite your notes here: who spoke, what was good, and should others watch the recording?\n"
    );
    site.build().success();
    let html = site.html("public/talks/streams-at-scale/index.html");
    let tags = texts(html.root_element(), ".tags a");
    assert_eq!(tags, ["kafka", "streams"]);

    let bad = site.run(&["new", "X", "--day", "1", "--start", "25:00"]);
    assert_eq!(bad.code, 2, "{bad:?}");
}

#[test]
fn new_warns_when_a_note_with_that_title_exists() {
    let site = Site::english();
    let run = site.run(&["new", "keynote", "--day", "2"]);
    run.success();
    assert_eq!(
        run.stderr,
        "warning: content/talks/day-1/a-keynote.md:2:8: a note with this title exists already — if it is the same talk, edit that note instead\n\
         warning: content/talks/day-1/b-keynote.md:2:8: a note with this title exists already — if it is the same talk, edit that note instead\n"
    );
    assert_eq!(run.stdout, "Created content/talks/day-2/keynote.md\n");
}

#[test]
fn bug_a_cjk_or_emoji_title_got_no_readable_file_name() {
    let site = Site::english();
    for (title, file) in [
        ("東京の講演 🚀", "content/talks/day-1/東京の講演.md"),
        ("Rust 東京", "content/talks/day-1/rust-東京.md"),
        ("🚀🚀", "content/talks/day-1/talk.md"),
        ("Æblegrød", "content/talks/day-1/aeblegroed.md"),
    ] {
        let run = site.run(&["new", title, "--day", "1"]);
        run.success();
        assert_eq!(run.stdout, format!("Created {file}\n"));
        assert!(site.path().join(file).is_file(), "{file}");
    }
    site.build().success();
}

#[test]
fn bug_init_force_overwrote_the_writers_files() {
    let parent = Site::empty();
    parent.run(&["init", "site"]).success();
    let mine = "My own intro, written with care.\n";
    parent.write("site/content/intro.md", mine);
    parent.remove("site/content/outro.md");
    let run = parent.run(&["init", "site", "--force"]);
    run.success();
    assert_eq!(
        parent.read("site/content/intro.md"),
        mine,
        "--force replaced a file"
    );
    assert!(
        parent.path().join("site/content/outro.md").is_file(),
        "a missing file is written"
    );
    assert!(
        run.stdout.contains(
            "site/content/intro.md (kept as it is: yours differs from the starter file)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  site/content/outro.md\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("site/.gitignore (already there)\n"),
        "{}",
        run.stdout
    );
}
