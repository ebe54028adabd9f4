//! Properties over generated input (proptest): any text either parses or is reported inside
//! the file, and any set of notes builds deterministically with every talk once and unique
//! slugs. The fuzz targets in `fuzz/` push the same invariants much further; these keep them
//! in every `cargo test`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use summit_gen::config::Config;
use summit_gen::load::{Source, decode};
use summit_gen::{BuildOptions, Diagnostic, compile, parse};

use crate::support::{Site, repo, sel, text};

/// A real note and the real summit.yaml, to mutate.
fn example(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).expect("example file")
}

/// Line `line` exists in `text` (the empty line after a final newline counts) and `column`
/// is on it or just past its end.
fn inside(text: &str, d: &Diagnostic) -> bool {
    let Some(line) = d.line else { return true };
    let lines: Vec<&str> = text.split('\n').collect();
    let column = d.column.unwrap_or(1);
    (1..=lines.len()).contains(&line) && (1..=lines[line - 1].chars().count() + 1).contains(&column)
}

fn check_inside(text: &str, path: &Path, diags: &[Diagnostic]) -> Result<(), TestCaseError> {
    prop_assert!(!diags.is_empty(), "an error without a diagnostic");
    for d in diags {
        prop_assert_eq!(&d.path, path);
        prop_assert!(inside(text, d), "{} points outside:\n{}", d, text);
    }
    Ok(())
}

/// Bytes as the loader reads them (BOM, CRLF), then a source; `None` if not UTF-8.
fn source(bytes: &[u8], rel: &str) -> Option<Source> {
    decode(bytes).ok().map(|text| Source {
        path: PathBuf::from(rel),
        rel: PathBuf::from(rel),
        text,
    })
}

/// Pieces that matter to YAML and to the front-matter split.
const TOKENS: &[&str] = &[
    "---",
    "\n",
    "\n---\n",
    ": ",
    "- ",
    "  ",
    "\t",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "|",
    ">",
    "~",
    "null",
    "true",
    "day: ",
    "title: ",
    "start: \"25:00\"",
    "duration: 0",
    "speakers: []",
    "æøå",
    "\u{feff}",
    "\r\n",
    "\r",
    "\u{0}",
    "é\u{301}",
];

/// One edit of a text: delete a range, or insert a token or a random string.
#[derive(Debug, Clone)]
enum Edit {
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, String),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<prop::sample::Index>(), 1..40usize).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<prop::sample::Index>(), prop::sample::select(TOKENS))
            .prop_map(|(i, t)| Edit::Insert(i, t.to_string())),
        (any::<prop::sample::Index>(), ".{0,12}").prop_map(|(i, s)| Edit::Insert(i, s)),
    ];
    prop::collection::vec(edit, 1..6)
}

/// `text` with `edits` applied (at char boundaries).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match e {
            Edit::Delete(at, n) if !chars.is_empty() => {
                let from = at.index(chars.len());
                let to = (from + n).min(chars.len());
                chars.drain(from..to);
            }
            Edit::Delete(..) => {}
            Edit::Insert(at, s) => {
                let at = at.index(chars.len() + 1);
                chars.splice(at..at, s.chars());
            }
        }
    }
    chars.into_iter().collect()
}

/// Any text: arbitrary, arbitrary inside fences, or a real file mutated.
fn texts_like(real: String) -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        (any::<String>(), any::<String>()).prop_map(|(y, b)| format!("---\n{y}\n---\n{b}")),
        edits().prop_map(move |e| mutate(&real, &e)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_note_text_parses_or_is_reported_inside_the_file(
        text in texts_like(example("content/talks/day-1/lyft-ride.md"))
    ) {
        let Some(src) = source(text.as_bytes(), "content/talks/day-1/note.md") else {
            return Ok(());
        };
        if let Err(d) = parse::talk(&src) {
            check_inside(&src.text, &src.path, &d)?;
        }
        if let Err(d) = parse::page(&src) {
            check_inside(&src.text, &src.path, &d)?;
        }
    }

    #[test]
    fn any_summit_yaml_parses_or_is_reported_inside_the_file(
        text in texts_like(example("summit.yaml"))
    ) {
        let Some(src) = source(text.as_bytes(), "summit.yaml") else {
            return Ok(());
        };
        if let Err(d) = Config::parse(&src) {
            check_inside(&src.text, &src.path, &d)?;
        }
    }
}

/// One generated note.
#[derive(Debug, Clone)]
struct Note {
    title: String,
    day: u8,
    start: Option<(u8, u8)>,
    speakers: Vec<String>,
}

fn titles() -> impl Strategy<Value = String> {
    prop_oneof![
        // Duplicates, titles that slugify alike, and titles that clash with the page's ids.
        prop::sample::select(vec![
            "Keynote",
            "keynote!",
            "KEYNOTE",
            "Intro",
            "Outro",
            "Day 1",
            "day-2",
            "Contents",
            "Kafka: the good parts",
            "Æblegrød & øl",
            "???",
            "Talk",
            "talk-2",
        ])
        .prop_map(String::from),
        "[A-Za-z0-9ÆØÅæøåé :&'\"!?./#-]{1,40}".prop_filter("not blank", |t| !t.trim().is_empty()),
        // Long ones.
        "[a-z ]{200,400}".prop_filter("not blank", |t| !t.trim().is_empty()),
    ]
}

fn notes() -> impl Strategy<Value = Vec<Note>> {
    let note = (
        titles(),
        1..=2u8,
        prop::option::of((0..24u8, prop::sample::select(vec![0u8, 0, 15, 30, 59]))),
        prop::collection::vec("[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?", 0..3),
    )
        .prop_map(|(title, day, start, speakers)| Note {
            title,
            day,
            start,
            speakers,
        });
    prop::collection::vec(note, 1..12)
}

const SUMMIT_YAML: &str = "title: Property Conf\nlanguage: en\nbase_url: \"https://example.org/notes/\"\nevent:\n  name: Property Conf\n  timezone: Europe/Copenhagen\n  days:\n    - date: 2021-03-01\n    - date: 2021-03-02\n";

/// The site's note files; each body carries a word that marks which note it is.
fn write_site(site: &Site, notes: &[Note]) {
    site.write("summit.yaml", SUMMIT_YAML);
    for (i, n) in notes.iter().enumerate() {
        let mut text = format!(
            "---\ntitle: {}\nspeakers: {}\nday: {}\n",
            serde_json::to_string(&n.title).expect("json"),
            serde_json::to_string(&n.speakers).expect("json"),
            n.day
        );
        if let Some((h, m)) = n.start {
            text.push_str(&format!("start: \"{h:02}:{m:02}\"\n"));
        }
        text.push_str(&format!("---\nNotes marker{i}x.\n"));
        site.write(&format!("content/talks/day-{}/n{i:02}.md", n.day), text);
    }
}

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let compiled = compile(&BuildOptions::new(root)).unwrap_or_else(|e| panic!("{e}"));
    compiled
        .files
        .into_iter()
        .map(|f| (f.path.to_string(), f.contents.to_vec()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_set_of_notes_builds_deterministically_with_every_talk_once_and_unique_slugs(
        notes in notes()
    ) {
        let site = Site::empty();
        write_site(&site, &notes);
        let first = files(site.path());
        prop_assert_eq!(&first, &files(site.path()), "two builds differ");
        // Written to disk by the binary, the same bytes again.
        site.build().success();
        let on_disk: BTreeMap<String, Vec<u8>> = site
            .snapshot_dir("public")
            .into_iter()
            .filter(|(p, _)| p != Path::new(".summit-gen"))
            .map(|(p, b)| (p.to_string_lossy().replace('\\', "/"), b))
            .collect();
        prop_assert_eq!(&first, &on_disk, "the binary wrote other bytes");

        let index = String::from_utf8(first["index.html"].clone()).expect("utf-8");
        let html = scraper::Html::parse_document(&index);
        let articles: Vec<_> = html.select(&sel("article.talk")).collect();
        prop_assert_eq!(articles.len(), notes.len(), "one section per note");
        let mut slugs = HashSet::new();
        let mut seen = vec![0; notes.len()];
        for a in &articles {
            let slug = a.value().attr("id").unwrap_or("").to_string();
            prop_assert!(!slug.is_empty(), "a talk without an id");
            prop_assert!(slugs.insert(slug.clone()), "slug {} twice", slug);
            prop_assert!(
                first.contains_key(&format!("talks/{slug}/index.html")),
                "no page for {}", slug
            );
            let words = text(*a);
            for (i, n) in seen.iter_mut().enumerate() {
                if words.contains(&format!("marker{i}x")) {
                    *n += 1;
                }
            }
        }
        prop_assert!(seen.iter().all(|n| *n == 1), "each note once: {:?}", seen);
        prop_assert!(!slugs.contains("intro") && !slugs.contains("day-1") && !slugs.contains("day-2"));
    }
}

/// Found by the property above: a 300-character title made a 300-byte folder name, and the
/// build failed with "File name too long".
#[test]
fn a_note_with_a_very_long_title_builds_instead_of_failing_on_the_file_name() {
    let site = Site::empty();
    let title = "a very long title ".repeat(17);
    write_site(
        &site,
        &[Note {
            title: title.trim().to_string(),
            day: 1,
            start: None,
            speakers: vec![],
        }],
    );
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let pages: Vec<PathBuf> = site
        .snapshot_dir("public/talks")
        .into_keys()
        .filter(|p| p.ends_with("index.html"))
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
    let folder = pages[0]
        .parent()
        .expect("folder")
        .to_string_lossy()
        .into_owned();
    assert!(folder.starts_with("a-very-long-title-a-very"), "{folder}");
    assert!(
        folder.len() <= summit_gen::model::MAX_SLUG,
        "{} bytes: {folder}",
        folder.len()
    );
}

/// Found by fuzzing `note`: YAML takes a lone CR (an old Mac line ending) for a line break,
/// the loader kept it, and the error below was reported at a line the file does not have.
#[test]
fn a_lone_carriage_return_is_a_line_break_so_errors_point_at_the_right_line() {
    let site = Site::empty();
    site.write("summit.yaml", SUMMIT_YAML);
    site.write(
        "content/talks/day-1/n.md",
        "---\ntitle: x\rspeakers: A\rday: three\n---\nBody\n",
    );
    let run = site.build();
    run.failure();
    let first = run.stderr.lines().next().unwrap_or("");
    assert!(
        first.starts_with("content/talks/day-1/n.md:4:6: invalid value for `day`"),
        "{}",
        run.stderr
    );
}
