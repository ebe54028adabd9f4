//! `import` and the build agree on names: long titles get one capped slug everywhere, equal
//! titles are numbered in linear time, every target is checked before anything is written,
//! and the `--dry-run` table is ordered and safe to print.

use std::collections::BTreeSet;

use crate::serve_support::Server;
use crate::support::{Site, sel, tree};

/// A Sessionize "All data" export: (id, title, start `HH:MM` on 2024-05-14, room); every
/// session is 30 minutes long and given by Ada Lovelace.
pub fn sessionize(sessions: &[(&str, &str, &str, &str)]) -> String {
    let rooms: BTreeSet<&str> = sessions.iter().map(|s| s.3).collect();
    let room_id = |name: &str| rooms.iter().position(|r| *r == name).unwrap_or(0);
    let sessions: Vec<serde_json::Value> = sessions
        .iter()
        .map(|(id, title, start, room)| {
            let (h, m) = start.split_once(':').expect("HH:MM");
            let end: u32 =
                h.parse::<u32>().expect("hour") * 60 + m.parse::<u32>().expect("minute") + 30;
            serde_json::json!({
                "id": id, "title": title, "description": "",
                "startsAt": format!("2024-05-14T{start}:00"),
                "endsAt": format!("2024-05-14T{:02}:{:02}:00", end / 60, end % 60),
                "isServiceSession": false, "roomId": room_id(room),
                "speakers": ["s1"], "categoryItems": []
            })
        })
        .collect();
    let rooms: Vec<serde_json::Value> = rooms
        .iter()
        .enumerate()
        .map(|(i, r)| serde_json::json!({"id": i, "name": r}))
        .collect();
    serde_json::json!({
        "sessions": sessions,
        "speakers": [{"id": "s1", "fullName": "Ada Lovelace"}],
        "rooms": rooms,
        "categories": []
    })
    .to_string()
}

fn names_in(site: &Site, dir: &str) -> BTreeSet<String> {
    tree(&site.path().join(dir))
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

const LONG_SLUG: &str =
    "streaming-data-pipelines-with-kafka-streaming-data-pipelines-with-kafka-streaming-data-b3b8fa";

/// A 300-character title used to pass `check` and `serve` but fail `build` ("File name too
/// long" for `talks/<slug>/`) and `import` half-way through. Now one capped slug serves all.
#[test]
fn a_300_character_title_imports_builds_checks_and_serves_under_one_capped_slug() {
    let title = format!("{}end", "Streaming data pipelines with Kafka ".repeat(8));
    let twin = format!("{}finish", "Streaming data pipelines with Kafka ".repeat(8));
    assert_eq!((title.len(), twin.len()), (291, 294));
    let site = Site::empty();
    site.write(
        "all.json",
        sessionize(&[
            ("1", &title, "09:00", "Main"),
            ("2", &twin, "10:00", "Main"),
        ]),
    );
    let run = site.run(&["import", "all.json"]);
    run.success();
    assert_eq!(run.stderr, "");
    // The same first 100 bytes, different ends: two short, different names.
    let twin_slug = "streaming-data-pipelines-with-kafka-streaming-data-pipelines-with-kafka-streaming-data-3a62a2";
    assert_eq!(
        names_in(&site, "content/talks"),
        BTreeSet::from([
            format!("day-1/{LONG_SLUG}.md"),
            format!("day-1/{twin_slug}.md")
        ])
    );
    assert_eq!(LONG_SLUG.len(), 93);

    let run = site.run(&["build", "--base-url", "https://example.org/"]);
    run.success();
    assert_eq!(run.stderr, "");
    let html = site.html("public/index.html");
    let ids: Vec<&str> = html
        .select(&sel(".also li"))
        .filter_map(|a| a.value().id())
        .collect();
    assert_eq!(ids, [LONG_SLUG, twin_slug]);
    assert!(
        site.path()
            .join(format!("public/talks/{LONG_SLUG}/index.html"))
            .is_file()
    );
    let check = site.run(&["check", "--base-url", "https://example.org/"]);
    check.success();
    assert_eq!(check.stderr, "");

    let server = Server::start(&site, &[]);
    let page = server.get(&format!("/talks/{LONG_SLUG}/"));
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Streaming data pipelines"));
}

/// 10,000 talks with one title: `-2` … `-10000` in reading order, in import's file names and
/// the build's slugs (the time is not asserted; it was quadratic, see the commit message).
#[test]
fn ten_thousand_identical_titles_are_numbered_in_order() {
    let sessions: Vec<(String, &str, &str, &str)> = (1..=10_000)
        .map(|i| (i.to_string(), "Same talk", "09:00", "Main"))
        .collect();
    let borrowed: Vec<(&str, &str, &str, &str)> = sessions
        .iter()
        .map(|(id, t, s, r)| (id.as_str(), *t, *s, *r))
        .collect();
    let site = Site::empty();
    site.write("all.json", sessionize(&borrowed));
    site.write("summit.yaml", "title: T\nlanguage: en\nbase_url: /\npages: {speakers: false, tags: false, feed: false, sitemap: false, calendar: false}\nevent:\n  name: E\n  days:\n  - date: 2024-05-14\n");
    let run = site.run(&["import", "all.json"]);
    run.success();
    assert_eq!(run.stderr, "");
    let expected: BTreeSet<String> = std::iter::once("same-talk".to_string())
        .chain((2..=10_000).map(|n| format!("same-talk-{n}")))
        .collect();
    let files: BTreeSet<String> = names_in(&site, "content/talks/day-1")
        .into_iter()
        .map(|n| n.trim_end_matches(".md").to_string())
        .collect();
    assert_eq!(files, expected);
    // Sessionize ids are ordered as text, so session 10 is the 2nd talk read, and gets -2.
    assert!(
        site.read("content/talks/day-1/same-talk-2.md")
            .contains("id: sessionize-10\n")
    );

    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let pages: BTreeSet<String> = std::fs::read_dir(site.path().join("public/talks"))
        .expect("talks")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages, expected);
    // Reading order is by file name: same-talk-10.md comes first and is the page's same-talk.
    let index = site.read("public/index.html");
    let first = index.find("<li id=\"same-talk").expect("a talk");
    assert!(
        index[first..].starts_with("<li id=\"same-talk\""),
        "{}",
        &index[first..first + 80]
    );
}

/// A file where a day's folder should be: the import stops before writing anything, and says
/// which file is in the way (once, not once per note).
#[test]
fn import_with_one_impossible_target_writes_nothing() {
    let site = Site::empty();
    site.write("content/talks/day-3", "not a folder");
    let schedule = crate::support::repo().join("tests/fixtures/schedules/pretalx-democon.json");
    let run = site.run(&["import", &schedule.to_string_lossy()]);
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/day-3: is a file, where import needs a folder — move or rename the file\nerror: 1 problem found; nothing was written\n"
    );
    assert_eq!(
        names_in(&site, ""),
        BTreeSet::from(["content/talks/day-3".to_string()]),
        "something was written"
    );
    assert!(!site.path().join("content/talks/day-1").exists());
}

/// The table shows talks by day and time (not in the file's room order), cuts long titles
/// with `…`, and shows control characters in titles and ids as `\u{…}`, never raw.
#[test]
fn dry_run_table_is_by_time_cut_with_an_ellipsis_and_escaped() {
    let xml = r#"<?xml version="1.0"?>
<schedule><conference><title>C</title></conference>
<day date="2024-05-14" index="1">
  <room name="A"><event guid="late" id="1"><title>Afternoon talk</title><start>14:00</start><duration>00:30</duration><room>A</room></event></room>
  <room name="B"><event guid="early" id="2"><title>Morning talk</title><start>09:00</start><duration>00:30</duration><room>B</room></event></room>
</day></schedule>"#;
    let site = Site::empty();
    site.write("schedule.xml", xml);
    let run = site.run(&["import", "schedule.xml", "--dry-run"]);
    run.success();
    let rows: Vec<&str> = run.stdout.lines().skip(1).take(2).collect();
    assert!(
        rows[0].starts_with("new        2024-05-14 09:00 Morning talk"),
        "{}",
        run.stdout
    );
    assert!(
        rows[1].starts_with("new        2024-05-14 14:00 Afternoon talk"),
        "{}",
        run.stdout
    );

    let long = "A title that is much longer than the fifty characters of the column";
    let site = Site::empty();
    site.write(
        "all.json",
        sessionize(&[
            ("1", long, "09:00", "Main"),
            (
                "2",
                "Red \u{1b}[31malert\u{7} and \u{202e}reversed",
                "10:00",
                "Main",
            ),
        ]),
    );
    site.write(
        "content/talks/day-1/old.md",
        "---\ntitle: Old\nspeakers: [A]\nday: 1\nid: \"x\\u001b[2Jy\"\n---\n",
    );
    site.write(
        "summit.yaml",
        "title: T\nlanguage: en\nbase_url: /\nevent:\n  name: E\n  days:\n  - date: 2024-05-14\n",
    );
    let run = site.run(&["import", "all.json", "--dry-run"]);
    run.success();
    assert_eq!(run.stderr, "");
    assert!(
        !run.stdout.contains(['\u{1b}', '\u{7}', '\u{202e}']),
        "{:?}",
        run.stdout
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    let row = |what: &str, date: &str, start: &str, title: &str, rest: &str| {
        format!("{what:<10} {date:<10} {start:<5} {title:<50} {rest}")
    };
    assert_eq!(
        lines[1],
        row(
            "new",
            "2024-05-14",
            "09:00",
            &format!("{}…", &long[..49]),
            "content/talks/day-1/a-title-that-is-much-longer-than-the-fifty-characters-of-the-column.md"
        )
    );
    assert_eq!(
        lines[2],
        row(
            "new",
            "2024-05-14",
            "10:00",
            r"Red \u{1b}[31malert\u{7} and \u{202e}reversed",
            "content/talks/day-1/red-31malert-and-reversed.md"
        )
    );
    assert_eq!(
        lines[3],
        row(
            "gone",
            "",
            "",
            "Old",
            r"content/talks/day-1/old.md (id x\u{1b}[2Jy; kept)"
        )
    );
}
