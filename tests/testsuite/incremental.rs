//! `serve` reuses pages between builds; whatever a writer does, what it serves must be what a
//! fresh build writes. A property test drives one long-lived `Builder` (as `serve` keeps) and a
//! fresh build through the same random sequence of edits, breaks and fixes, and compares every
//! file (issue 12, point 9: reuse had been decided from the last run's list of edits, which a
//! failed build left wrong). The same holds when the builder is told which paths changed, as
//! `serve`'s watcher tells it (issue 17): those paths only pick what is read again.

use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use summit_gen::load::Changes;
use summit_gen::{BuildOptions, Builder, Compiled, compile};

use crate::support::Site;

const A: &str = "content/talks/day-1/a-keynote.md";
const B: &str = "content/talks/day-1/b-keynote.md";
const C: &str = "content/talks/day-2/closing.md";
const YAML: &str = "summit.yaml";

#[derive(Debug, Clone)]
enum Step {
    /// A new body for a note (one of a few texts, some linking to another note's heading).
    Body(usize, usize),
    /// A new title (from a small set, so titles collide and slugs move).
    Title(usize, usize),
    /// A front-matter error in a note, or its fix.
    Break(usize),
    Fix(usize),
    /// A broken summit.yaml, or its fix; a label change (a global input).
    BreakYaml,
    FixYaml,
    Label(usize),
    /// A note removed, or written back.
    Remove(usize),
}

const NOTES: [&str; 3] = [A, B, C];
const BODIES: [&str; 4] = [
    "## Highlights\n\nOne body.\n",
    "## Other heading\n\nAnother body, with [a link](b-keynote.md#highlights).\n",
    "See [the closing](../day-2/closing.md).\n\n## Highlights\n\nText.\n",
    "",
];
const TITLES: [&str; 3] = ["Keynote", "Closing", "A new title"];

fn step() -> impl Strategy<Value = Step> {
    // Edits, breaks and fixes weigh most: the bugs live in their orderings.
    prop_oneof![
        4 => (0..3usize, 0..BODIES.len()).prop_map(|(n, b)| Step::Body(n, b)),
        2 => (0..3usize, 0..TITLES.len()).prop_map(|(n, t)| Step::Title(n, t)),
        3 => (0..3usize).prop_map(Step::Break),
        3 => (0..3usize).prop_map(Step::Fix),
        2 => Just(Step::BreakYaml),
        2 => Just(Step::FixYaml),
        1 => (0..3usize).prop_map(Step::Label),
        1 => (0..3usize).prop_map(Step::Remove),
    ]
}

/// A note's text: its title and body as the steps left them, broken or not.
struct Note {
    title: String,
    body: String,
    day: u32,
    broken: bool,
    removed: bool,
}

impl Note {
    fn text(&self) -> String {
        let day = if self.broken { 9 } else { self.day };
        format!(
            "---\ntitle: \"{}\"\nspeakers: [Ada Lovelace]\nday: {day}\nstart: \"09:00\"\n---\n{}",
            self.title, self.body
        )
    }
}

/// Writes `text` with a modification time of its own, as a save seconds apart would have
/// (the read cache goes by size and modification time).
pub(crate) fn save(site: &Site, rel: &str, text: &str, clock: &mut SystemTime) {
    site.write(rel, text);
    *clock += Duration::from_secs(2);
    let file = std::fs::File::options()
        .write(true)
        .open(site.path().join(rel))
        .expect("open");
    file.set_modified(*clock).expect("mtime");
}

/// How the served builder learns of each step's changes.
#[derive(Debug, Clone, Copy)]
enum Told {
    /// Not at all: it walks the site (`compile`).
    Nothing,
    /// The paths the step wrote or removed, and one it did not touch (an editor's spurious
    /// event), as the watcher reports them.
    Paths,
}

fn run(steps: &[Step]) -> Result<(), TestCaseError> {
    run_told(steps, Told::Nothing)
}

fn run_told(steps: &[Step], told: Told) -> Result<(), TestCaseError> {
    let site = Site::english();
    let yaml = site.read(YAML);
    let mut notes: Vec<Note> = [(A, 1), (B, 1), (C, 2)]
        .iter()
        .map(|(_, day)| Note {
            title: "Keynote".into(),
            body: BODIES[0].into(),
            day: *day,
            broken: false,
            removed: false,
        })
        .collect();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for (n, note) in notes.iter().enumerate() {
        save(&site, NOTES[n], &note.text(), &mut clock);
    }
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    let _ = served.compile(&opts);
    for step in steps {
        let touched = match *step {
            Step::BreakYaml | Step::FixYaml | Step::Label(_) => YAML,
            Step::Body(n, _)
            | Step::Title(n, _)
            | Step::Break(n)
            | Step::Fix(n)
            | Step::Remove(n) => NOTES[n],
        };
        match *step {
            Step::Body(n, b) => notes[n].body = BODIES[b].into(),
            Step::Title(n, t) => notes[n].title = TITLES[t].into(),
            Step::Break(n) => notes[n].broken = true,
            Step::Fix(n) => {
                notes[n].broken = false;
                notes[n].removed = false;
            }
            Step::Remove(n) => notes[n].removed = true,
            Step::BreakYaml => save(&site, YAML, &format!("{yaml}bogus: 1\n"), &mut clock),
            Step::FixYaml => save(&site, YAML, &yaml, &mut clock),
            Step::Label(k) => save(
                &site,
                YAML,
                &format!("{yaml}labels:\n  day_heading: \"Day {{n}}, take {k}\"\n"),
                &mut clock,
            ),
        }
        if let Step::Body(n, _)
        | Step::Title(n, _)
        | Step::Break(n)
        | Step::Fix(n)
        | Step::Remove(n) = *step
        {
            let path = site.path().join(NOTES[n]);
            if notes[n].removed {
                let _ = std::fs::remove_file(path);
            } else {
                save(&site, NOTES[n], &notes[n].text(), &mut clock);
            }
        }
        let incremental = match told {
            Told::Nothing => served.compile(&opts),
            Told::Paths => served.compile_after(
                &opts,
                Changes::Paths([touched, B].into_iter().map(Into::into).collect()),
            ),
        };
        same_as_fresh(incremental, compile(&opts), step, &steps)?;
    }
    Ok(())
}

/// What a served (reusing) build gave equals a fresh build's result: the same files with the
/// same bytes, or the same errors. `step` and `steps` name the edits in a failure.
pub fn same_as_fresh(
    served: summit_gen::Result<Compiled>,
    fresh: summit_gen::Result<Compiled>,
    step: &dyn std::fmt::Debug,
    steps: &dyn std::fmt::Debug,
) -> Result<(), TestCaseError> {
    match (served, fresh) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(a.files.len(), b.files.len(), "after {:?}", step);
            for (x, y) in a.files.iter().zip(&b.files) {
                prop_assert_eq!(&x.path, &y.path);
                prop_assert!(
                    x.contents == y.contents,
                    "{} is stale after {:?} (steps {:?})",
                    x.path,
                    step,
                    steps
                );
            }
        }
        (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
        (a, b) => prop_assert!(
            false,
            "served {:?}, fresh {:?} after {:?}",
            a.map(|_| ()),
            b.map(|_| ()),
            step
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn served_output_equals_a_fresh_build_after_any_edits(steps in prop::collection::vec(step(), 1..10)) {
        run(&steps)?;
    }

    #[test]
    fn served_output_after_the_reported_paths_equals_a_fresh_build(steps in prop::collection::vec(step(), 1..10)) {
        run_told(&steps, Told::Paths)?;
    }
}

/// The sequence from the security review, as a fixed case.
#[test]
fn bug_break_b_edit_a_fix_b_served_the_old_a() {
    run(&[
        Step::Break(1),
        Step::Body(0, 1),
        Step::Fix(1),
        Step::BreakYaml,
        Step::Body(0, 2),
        Step::FixYaml,
    ])
    .expect("served = fresh");
}

/// A change the watcher could not name (a rescan: the system's event queue overflowed, and
/// `serve` says `Changes::Unknown`) is still read, and one it named wrongly is read on the
/// next walk: the paths only pick what is looked at first.
#[test]
fn a_change_the_watcher_did_not_name_is_picked_up_by_a_rescan() {
    let site = Site::english();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let note = |title: &str| {
        format!(
            "---\ntitle: \"{title}\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"09:00\"\n---\nBody.\n"
        )
    };
    save(&site, A, &note("Before"), &mut clock);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    save(&site, A, &note("Seen after a rescan"), &mut clock);
    let page = |c: &summit_gen::Compiled| {
        let post = c
            .files
            .iter()
            .find(|f| &*f.path == "index.html")
            .expect("post");
        String::from_utf8_lossy(&post.contents).into_owned()
    };
    // Told of another path only, the load does not look at the note.
    let told_wrong = served
        .compile_after(&opts, Changes::Paths([B.into()].into()))
        .expect("rebuild");
    assert!(!page(&told_wrong).contains("Seen after a rescan"));
    let rescan = served
        .compile_after(&opts, Changes::Unknown)
        .expect("rebuild");
    let fresh = compile(&opts).expect("fresh build");
    assert!(page(&rescan).contains("Seen after a rescan"));
    assert_eq!(rescan.files, fresh.files);
}

/// `serve` reuses schedule.ics when what it lists is unchanged (issue 17). A note's summary
/// (its first sentences) and its room are shown there but are not part of the site's shape:
/// an edit of either must reach the served calendar, and an edit it does not show must not
/// make it render again.
#[test]
fn an_edit_of_a_summary_or_a_room_changes_the_served_calendar() {
    let site = Site::english();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let note = |room: &str, body: &str| {
        format!(
            "---\ntitle: \"Keynote\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"09:00\"\nroom: {room}\n---\n{body}\n"
        )
    };
    save(&site, A, &note("Hall 1", "First words."), &mut clock);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    let calendar = |c: &Compiled| {
        let ics = c.files.iter().find(|f| &*f.path == "schedule.ics");
        String::from_utf8_lossy(&ics.expect("a calendar").contents).into_owned()
    };
    let edits = [
        ("Hall 1", "Other words.", "Other words."),
        ("Hall 2", "Other words.", "LOCATION:Hall 2"),
    ];
    for (room, body, shown) in edits {
        save(&site, A, &note(room, body), &mut clock);
        let rebuilt = served
            .compile_after(&opts, Changes::Paths([A.into()].into()))
            .expect("rebuild");
        assert!(calendar(&rebuilt).contains(shown), "{shown} not served");
        assert!(!rebuilt.reused().iter().any(|p| p == "schedule.ics"));
        assert_eq!(rebuilt.files, compile(&opts).expect("fresh build").files);
    }
    // Code is not prose, so not in the summary nor on the calendar: it is served as it was.
    let longer = "Other words.\n\n```\nlet x = 1;\n```";
    save(&site, A, &note("Hall 2", longer), &mut clock);
    let rebuilt = served
        .compile_after(&opts, Changes::Paths([A.into()].into()))
        .expect("rebuild");
    assert!(rebuilt.reused().iter().any(|p| p == "schedule.ics"));
    assert_eq!(rebuilt.files, compile(&opts).expect("fresh build").files);
}

/// Issue 17: told the paths, `serve` starts its load from the last one's notes, reuses each
/// parsed note and modelled talk whose note is unchanged, and keeps the last slugs while the
/// titles in reading order are the same. Each step must give what a fresh build gives, its
/// warnings and errors too: a note added between two (with a title that moves the next
/// slugs), a note that is not UTF-8 (reported again on the next build, though unchanged), a
/// file that is not a note, a start that moves a talk first, a second note with an unchanged
/// note's `id`, a summit.yaml day change that makes an unchanged note's times wrong, a note
/// removed, a link among the notes and a change of its target.
#[test]
fn a_build_told_the_paths_reads_and_models_what_a_fresh_build_does() {
    const NEW: &str = "content/talks/day-1/ab-new.md";
    const OTHER: &str = "content/talks/day-1/notes.markdown";
    const LATE: &str = "content/talks/day-1/late.md";
    const IDS: [&str; 2] = [
        "content/talks/day-2/ids.md",
        "content/talks/day-2/more-ids.md",
    ];
    let site = Site::english();
    let yaml = site.read(YAML);
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let note = |title: &str, times: &str| {
        format!("---\ntitle: \"{title}\"\nspeakers: [Ada]\nday: 1\n{times}---\nBody.\n")
            .into_bytes()
    };
    let day_change = yaml.replace("event:\n", "event:\n  day_change: \"04:00\"\n");
    let steps: Vec<(&str, Option<Vec<u8>>)> = vec![
        (NEW, Some(note("Keynote", "start: \"10:00\"\n"))),
        (NEW, Some(b"---\ntitle: \xff\n---\n".to_vec())),
        // Told of another path only: the note that is not UTF-8 is still reported.
        (B, Some(site.read(B).into_bytes())),
        (NEW, Some(note("Early", "start: \"08:00\"\n"))),
        (OTHER, Some(b"Not read.\n".to_vec())),
        (OTHER, None),
        (
            LATE,
            Some(note("Late", "start: \"03:00\"\nend: \"05:00\"\n")),
        ),
        // A second note with the first one's `id` (the first is the last run's talk).
        (IDS[0], Some(note("Ids", "id: same\n"))),
        (IDS[1], Some(note("Ids again", "id: same\n"))),
        (IDS[1], None),
        (YAML, Some(day_change.into_bytes())),
        (YAML, Some(yaml.clone().into_bytes())),
        (A, None),
    ];
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    for (n, (rel, bytes)) in steps.iter().enumerate() {
        let path = site.path().join(rel);
        match bytes {
            Some(bytes) => {
                std::fs::write(&path, bytes).expect("write");
                clock += Duration::from_secs(2);
                let file = std::fs::File::options().write(true).open(&path);
                file.and_then(|f| f.set_modified(clock)).expect("mtime");
            }
            None => std::fs::remove_file(&path).expect("remove"),
        }
        served_as_fresh(&mut served, &opts, rel, &format!("step {n}"));
    }
    // A link among the notes (to a note elsewhere in the site), then an edit of its target:
    // a link is followed anew on every load.
    std::fs::create_dir_all(site.path().join("shared")).expect("mkdir");
    std::fs::write(site.path().join("shared/n.md"), note("Linked", "")).expect("write");
    let link = "content/talks/day-1/linked.md";
    std::os::unix::fs::symlink("../../../shared/n.md", site.path().join(link)).expect("link");
    served_as_fresh(&mut served, &opts, link, "a link");
    std::fs::write(site.path().join("shared/n.md"), note("Relinked", "")).expect("write");
    served_as_fresh(&mut served, &opts, "shared/n.md", "its target");
}

/// A build told that `rel` changed gives what a fresh build gives, warnings included.
fn served_as_fresh(served: &mut Builder, opts: &BuildOptions, rel: &str, step: &str) {
    let told = Changes::Paths([rel.into()].into());
    let (served, fresh) = (served.compile_after(opts, told), compile(opts));
    let warnings = |c: &Compiled| c.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    match (served, fresh) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.files, b.files, "{step}");
            assert_eq!(warnings(&a), warnings(&b), "{step}");
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{step}"),
        (a, b) => panic!("{step}: served {:?}, fresh {:?}", a.err(), b.err()),
    }
}

/// `serve` renders the post's frame again only when what it shows besides the word count
/// changes: the count is filled in (built-in templates), or the frame is reused only for the
/// same count (a site's own post template, which may use it in any way). Edits that change
/// the count and the reading time's minutes are served as a fresh build writes them.
#[test]
fn an_edit_that_changes_the_word_count_is_served_as_a_fresh_build_writes_it() {
    let own = "{% extends \"theme/index.html\" %}{% block head %}<meta name=\"words\" \
               content=\"{{ post.word_count }}{% if post.reading_minutes > 1 %} long{% endif %}\">\
               {% endblock head %}";
    for template in [None, Some(own)] {
        let site = Site::english();
        if let Some(text) = template {
            site.write("templates/index.html", text);
        }
        let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let note = |words: usize| {
            let body = "word ".repeat(words);
            format!(
                "---\ntitle: \"Keynote\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"09:00\"\n---\n{body}\n"
            )
        };
        save(&site, A, &note(10), &mut clock);
        let opts = BuildOptions::new(site.path());
        let mut served = Builder::new();
        served.compile(&opts).expect("first build");
        for words in [11, 500, 500, 12, 900] {
            save(&site, A, &note(words), &mut clock);
            let rebuilt = served
                .compile_after(&opts, Changes::Paths([A.into()].into()))
                .expect("rebuild");
            let fresh = compile(&opts).expect("fresh build");
            assert!(
                rebuilt.files == fresh.files,
                "{words} words, own template: {}",
                template.is_some()
            );
        }
    }
}

/// The post's frame shows the top picks' first sentences and the intro, which are not part of
/// the site's shape: an edit of a recommended talk's first sentence, or of the intro, reaches
/// the served post.
#[test]
fn an_edit_of_a_top_picks_first_sentence_or_the_intro_reaches_the_served_post() {
    let site = Site::english();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let note = |body: &str| {
        format!(
            "---\ntitle: \"Keynote\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"09:00\"\nrecommended: true\n---\n{body}\n"
        )
    };
    save(&site, A, &note("First words."), &mut clock);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    save(&site, A, &note("Other words."), &mut clock);
    let rebuilt = served
        .compile_after(&opts, Changes::Paths([A.into()].into()))
        .expect("rebuild");
    let post = rebuilt.files.iter().find(|f| &*f.path == "index.html");
    let post = String::from_utf8_lossy(&post.expect("the post").contents).into_owned();
    assert!(post.contains("<span class=\"pick-summary\">Other words.</span>"));
    assert_eq!(rebuilt.files, compile(&opts).expect("fresh build").files);
    let intro = "content/intro.md";
    save(&site, intro, "A new intro.\n", &mut clock);
    let rebuilt = served
        .compile_after(&opts, Changes::Paths([intro.into()].into()))
        .expect("rebuild");
    assert_eq!(rebuilt.files, compile(&opts).expect("fresh build").files);
}

/// `serve` reuses atom.xml as it reuses schedule.ics (issue 17). With an entry per talk, a
/// note's summary is in the feed but not part of the site's shape: an edit of it must reach
/// the served feed, and an edit the feed does not show must not make it render again.
#[test]
fn an_edit_of_a_summary_changes_the_served_feed_of_talks() {
    let site = Site::english();
    let yaml = site.read(YAML);
    site.write(YAML, format!("{yaml}pages:\n  feed: talks\n"));
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let note = |body: &str| {
        format!(
            "---\ntitle: \"Keynote\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"09:00\"\n---\n{body}\n"
        )
    };
    save(&site, A, &note("First words."), &mut clock);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    let feed = |c: &Compiled| {
        let atom = c.files.iter().find(|f| &*f.path == "atom.xml");
        String::from_utf8_lossy(&atom.expect("a feed").contents).into_owned()
    };
    save(&site, A, &note("Other words."), &mut clock);
    let rebuilt = served
        .compile_after(&opts, Changes::Paths([A.into()].into()))
        .expect("rebuild");
    assert!(
        feed(&rebuilt).contains("Other words."),
        "the new summary not served"
    );
    assert!(!rebuilt.reused().iter().any(|p| p == "atom.xml"));
    assert_eq!(rebuilt.files, compile(&opts).expect("fresh build").files);
    // Code is not prose, so not in the summary nor in the feed: it is served as it was.
    save(
        &site,
        A,
        &note("Other words.\n\n```\nlet x = 1;\n```"),
        &mut clock,
    );
    let rebuilt = served
        .compile_after(&opts, Changes::Paths([A.into()].into()))
        .expect("rebuild");
    assert!(rebuilt.reused().iter().any(|p| p == "atom.xml"));
    assert_eq!(rebuilt.files, compile(&opts).expect("fresh build").files);
}

/// The link check's index is kept from build to build (issue 17): a file the last build put
/// and this one does not (a static file removed) must drop out of it, so that a note's link
/// to it fails the rebuild as it fails a fresh build.
#[test]
fn a_link_to_a_removed_static_file_fails_the_rebuild() {
    let site = Site::english();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    site.write("static/slides/a.pdf", "%PDF-1.4\n");
    let note = "---\ntitle: \"Keynote\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"09:00\"\n---\nSee [the slides](/slides/a.pdf).\n";
    save(&site, A, note, &mut clock);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    site.remove("static/slides/a.pdf");
    let fresh = compile(&opts).expect_err("a broken link");
    let rebuilt = served
        .compile_after(&opts, Changes::Unknown)
        .expect_err("a broken link");
    assert!(fresh.to_string().contains("broken link"), "{fresh}");
    assert_eq!(rebuilt.to_string(), fresh.to_string());
}

/// `serve` keeps the speakers' ids, the tags' slugs and where each note is shown (for links between notes)
/// from the last build while its talks are the very same values, and compares an edited
/// note's talk by value: a renamed speaker, a new tag, and a retitled talk (a new slug, so the links to
/// it from an unchanged note change), are served as a fresh build writes them.
#[test]
fn a_renamed_speaker_or_a_retitled_talk_linked_from_another_note_is_served_as_fresh() {
    let site = Site::english();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let note = |title: &str, speaker: &str, tags: &str| {
        format!(
            "---\ntitle: \"{title}\"\nspeakers: [{speaker}]\ntags: [{tags}]\nday: 1\n\
             start: \"09:00\"\n---\nBody.\n"
        )
    };
    save(
        &site,
        A,
        &note("Keynote", "Ada Lovelace", "Rust"),
        &mut clock,
    );
    save(
        &site,
        B,
        "---\ntitle: \"Other\"\nspeakers: [Grace Hopper]\nday: 1\nstart: \"10:00\"\n---\n\
         See [the keynote](a-keynote.md).\n",
        &mut clock,
    );
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    for (title, speaker, tags, step) in [
        ("Keynote", "Zora Neale", "Rust", "a renamed speaker"),
        (
            "Keynote",
            "Ada Lovelace, Zora Neale",
            "Rust",
            "a second speaker",
        ),
        ("Keynote", "Ada Lovelace", "Rust, C++", "a new tag"),
        ("Keynote", "Ada Lovelace", "Go", "a renamed tag"),
        ("A new title", "Ada Lovelace", "Go", "a new slug"),
        ("Keynote", "Ada Lovelace", "Go", "the old slug again"),
    ] {
        save(&site, A, &note(title, speaker, tags), &mut clock);
        served_as_fresh(&mut served, &opts, A, step);
    }
}

/// Review: in a blog, a speaker's id on the blog's speakers page is decided across every
/// recap, but a recap's pages are reused on its own shape and the blog's `outer` hash (which
/// leaves the ids out). A speaker added in one recap whose name sorts before another recap's
/// speaker of the same slug moves that speaker's id (`-2`); the other recap kept its old
/// links to `speakers/#speaker-robin-moffatt`.
#[test]
fn bug_a_speaker_id_moved_by_another_recap_left_a_recaps_speaker_link_stale() {
    let site = Site::copy_of(&crate::support::fixture("blog"));
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let kube = "posts/kubecon-eu-2024/content/talks/gitops.md";
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    let text = site.read(kube);
    save(
        &site,
        kube,
        &text.replace("[Eli Fox]", "[ROBIN MOFFATT]"),
        &mut clock,
    );
    let served = served.compile(&opts).expect("rebuild");
    let fresh = compile(&opts).expect("fresh build");
    let post = |c: &Compiled| {
        c.files
            .iter()
            .find(|f| &*f.path == "kafka-summit-2020/index.html")
            .map(|f| String::from_utf8_lossy(&f.contents).into_owned())
            .unwrap_or_default()
    };
    assert!(
        post(&fresh).contains("#speaker-robin-moffatt-2"),
        "the id moved"
    );
    assert!(
        post(&served).contains("#speaker-robin-moffatt-2"),
        "served kept the old speaker id"
    );
    for (a, b) in served.files.iter().zip(&fresh.files) {
        assert_eq!(a.path, b.path);
        assert!(a.contents == b.contents, "{} is stale", a.path);
    }
    assert_eq!(served.files.len(), fresh.files.len());
}

/// Review: the served map is the last one copied when it has as many paths as this build's
/// list and holds each of them. A site's `static/404.html` puts `404.html` twice (the page and
/// the file), so the map has one path fewer than the list: when a page goes (a tag no talk has
/// any more), the counts match again and the gone page is still served.
#[test]
fn bug_a_gone_page_stays_in_the_served_map_when_a_static_file_shadows_a_page() {
    let site = Site::english();
    let mut clock = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    site.write("static/404.html", "<p>mine</p>\n");
    let note = |tags: &str| {
        format!(
            "---\ntitle: \"Keynote\"\nspeakers: [Ada Lovelace]\ntags: [{tags}]\nday: 1\n\
             start: \"09:00\"\n---\nBody.\n"
        )
    };
    save(&site, A, &note("Solo, Shared"), &mut clock);
    save(&site, B, &note("Shared"), &mut clock);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    save(&site, A, &note("Shared"), &mut clock);
    served
        .compile_after(&opts, Changes::Paths([A.into()].into()))
        .expect("rebuild");
    let fresh = compile(&opts).expect("fresh build");
    let fresh_paths: std::collections::BTreeSet<&str> =
        fresh.files.iter().map(|f| &*f.path).collect();
    assert!(!fresh_paths.contains("tags/solo/index.html"));
    let kept = served.kept_files();
    let mut kept_paths: Vec<&str> = kept.keys().map(|k| &**k).collect();
    kept_paths.sort_unstable();
    assert_eq!(
        kept_paths,
        fresh_paths.into_iter().collect::<Vec<_>>(),
        "serve's map has the paths a fresh build puts out"
    );
}

/// Review of issue 17's rebuild: a folder of notes replaced by a link (to a folder outside
/// the site, which summit-gen never reads) must lose its notes on a rebuild told its path,
/// as a fresh build has none of them; the served build kept the old notes below it.
#[cfg(unix)]
#[test]
fn bug_a_folder_of_notes_replaced_by_a_link_kept_its_old_notes() {
    let site = Site::english();
    let note =
        "---\ntitle: \"Linked\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"10:00\"\n---\nWords.\n";
    site.write("content/talks/day-9/linked.md", note);
    let opts = BuildOptions::new(site.path());
    let mut served = Builder::new();
    served.compile(&opts).expect("first build");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("other.md"), note).expect("write outside");
    let dir = site.path().join("content/talks/day-9");
    std::fs::remove_dir_all(&dir).expect("remove the folder");
    std::os::unix::fs::symlink(outside.path(), &dir).expect("link");
    served_as_fresh(
        &mut served,
        &opts,
        "content/talks/day-9",
        "a folder became a link",
    );
}
