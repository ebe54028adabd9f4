//! Invariants the fuzz targets share: where a diagnostic may point, and what an imported
//! schedule must turn into (notes and a summit.yaml that parse and model without a problem).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use summit_gen::Diagnostic;
use summit_gen::config::Config;
use summit_gen::import::Schedule;
use summit_gen::import::merge::{self, Action};
use summit_gen::load::{self, Source};
use summit_gen::{model, parse};

/// A source as the loader makes it from raw bytes, or `None` if they are not UTF-8 (after
/// checking that the loader's own position for the bad byte lies inside the input).
pub fn source(bytes: &[u8], rel: &str) -> Option<Source> {
    match load::decode(bytes) {
        Ok(text) => Some(Source {
            path: PathBuf::from(rel),
            rel: PathBuf::from(rel),
            text,
        }),
        Err((line, column)) => {
            // Lines as an editor shows them: CRLF, CR and LF each end one.
            let lossy = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
            assert_position_inside(&lossy.replace('\r', "\n"), line, column, "load::decode");
            None
        }
    }
}

/// Every diagnostic names `path` and, where it has a position, points inside `text`.
pub fn assert_inside(text: &str, path: &Path, diags: &[Diagnostic]) {
    assert!(!diags.is_empty(), "an error without a diagnostic");
    for d in diags {
        assert_eq!(d.path, path, "diagnostic for another file: {d}");
        assert!(!d.message.is_empty(), "diagnostic without a message: {d}");
        if let Some(line) = d.line {
            assert_position_inside(text, line, d.column.unwrap_or(1), &d.to_string());
        }
    }
}

/// Line `line` exists in `text` (1-based; the empty line after a final newline counts) and
/// `column` (1-based, in characters) is on it or just past its end.
pub fn assert_position_inside(text: &str, line: usize, column: usize, what: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        (1..=lines.len()).contains(&line),
        "line {line} outside a text of {} lines: {what}",
        lines.len()
    );
    let width = lines[line - 1].chars().count();
    assert!(
        (1..=width + 1).contains(&column),
        "column {column} outside line {line} of {width} characters: {what}"
    );
}

/// An empty folder to plan imports into (never written to).
fn empty_site() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("summit-gen-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    })
}

/// What a schedule reader returns: a diagnostic inside the file, or a schedule whose days
/// are sorted and unique, whose talks are complete, and whose import into an empty site
/// gives a summit.yaml and notes that parse and model without a single problem.
pub fn check_schedule(text: &str, path: &Path, result: Result<Schedule, Diagnostic>) {
    let schedule = match result {
        Ok(s) => s,
        Err(d) => return assert_inside(text, path, &[d]),
    };
    assert!(!schedule.days.is_empty(), "a schedule without days");
    assert!(
        schedule.days.windows(2).all(|w| w[0] < w[1]),
        "days not sorted and unique: {:?}",
        schedule.days
    );
    for t in &schedule.talks {
        assert!(schedule.days.contains(&t.date), "talk on an unlisted day");
        assert!(!t.title.trim().is_empty(), "talk without a title");
        assert!(!t.id.is_empty(), "talk without an id");
    }

    let plan = merge::plan(empty_site(), &schedule, merge::Options { restore: false }).expect("planning into an empty site");
    let config_text = plan.config.expect("an empty site gets a summit.yaml");
    let config_src = reloaded(&config_text, "summit.yaml");
    let config = Config::parse(&config_src).unwrap_or_else(|d| {
        panic!("import wrote a summit.yaml that does not parse:\n{config_text}\n{d:?}")
    });
    let mut talks = Vec::new();
    for action in &plan.actions {
        let Action::New { path, text, entry } = action else {
            panic!("an empty site has only new notes");
        };
        let src = reloaded(text, &path.to_string_lossy());
        let talk = parse::talk(&src)
            .unwrap_or_else(|d| panic!("import wrote a note that does not parse:\n{text}\n{d:?}"));
        // What the schedule said is what the note says.
        let m = &talk.meta;
        assert_eq!(
            m.title.value, entry.title,
            "title changed on the way:\n{text}"
        );
        assert_eq!(
            m.id.as_ref().map(|i| i.value.as_str()),
            Some(entry.id.as_str()),
            "id changed:\n{text}"
        );
        assert_eq!(m.start, Some(entry.start), "start changed:\n{text}");
        assert_eq!(
            m.duration.as_ref().map(|d| d.value.0),
            entry.duration,
            "duration:\n{text}"
        );
        assert_eq!(m.room, entry.room, "room changed:\n{text}");
        assert_eq!(m.track, entry.track, "track changed:\n{text}");
        let summary = m
            .extra
            .as_ref()
            .and_then(|x| x.get("abstract"))
            .and_then(|a| a.as_str());
        let expected = Some(entry.summary.as_str()).filter(|s| !s.is_empty());
        assert_eq!(
            summary, expected,
            "the abstract changed on the way:\n{text}"
        );
        talks.push(talk);
    }
    let parsed = model::Parsed {
        intro: None,
        outro: None,
        days: Vec::new(),
        talks,
    };
    if let Err(d) = model::assemble(config, "/".into(), parsed, false) {
        let notes: Vec<&str> = plan
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::New { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        panic!("imported notes do not build:\n{config_text}\n{notes:#?}\n{d:#?}");
    }
}

/// `text` as the loader would read it back from disk.
fn reloaded(text: &str, rel: &str) -> Source {
    source(text.as_bytes(), rel).expect("written text is UTF-8")
}
