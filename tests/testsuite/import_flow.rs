//! The common flow without surprises: nothing imported is an error that says why, `init`
//! then `import` imports every talk, deleted notes stay deleted, an import into an empty
//! folder can publish, and warnings are said once and only when they help.

use crate::import::schedule;
use crate::support::{Site, tree};

const DEMOCON: &str = "pretalx-democon.json";

/// A site whose summit.yaml has days of its own (not init's two) and no talk on the schedule's.
fn site_on_other_days() -> Site {
    let site = Site::empty();
    site.write(
        "summit.yaml",
        "title: Notes\nlanguage: en\nevent:\n  name: Other\n  timezone: Europe/Berlin\n  days:\n    - date: 2026-12-01\n    - date: 2026-12-02\n    - date: 2026-12-04\n",
    );
    site
}

/// Importing a schedule whose days are not the site's wrote nothing and exited 0.
#[test]
fn importing_nothing_fails_and_says_why() {
    let site = site_on_other_days();
    let run = site.run(&["import", &schedule(DEMOCON)]);
    run.failure();
    assert_eq!(
        run.stderr.lines().skip(1).collect::<Vec<_>>().join("\n") + "\n",
        format!(
            "{}: all 36 talks are on 2020-12-14..16, which are not days in summit.yaml (2026-12-01, 2026-12-02, 2026-12-04); not imported — set event.days in summit.yaml to the schedule's days, or import into a new, empty folder\nerror: 1 problem found; nothing was written\n",
            schedule(DEMOCON)
        )
    );
    assert!(!site.path().join("content").exists());
    let run = site.run(&["import", &schedule(DEMOCON), "--dry-run"]);
    run.failure();
    // --only that matches nothing is no success either.
    let site = Site::empty();
    let run = site.run(&["import", &schedule(DEMOCON), "--only", "no such words"]);
    run.failure();
    assert!(
        run.stderr.ends_with(": none of the schedule's 36 talks has a title, track or tag containing no such words — check the --only terms, or leave --only out to import every talk\nerror: 1 problem found; nothing was written\n"),
        "{}",
        run.stderr
    );
    assert!(tree(site.path()).is_empty());
}

/// `init x && cd x && import schedule.json` imported 0 talks: init's placeholder days were
/// not the schedule's. Now they are replaced in place (every other line kept), init's untouched
/// samples go, every talk is imported, and a second import changes nothing.
#[test]
fn init_then_import_imports_every_talk() {
    let site = Site::empty();
    site.run(&["init", "x", "-q"]).success();
    let x = site.path().join("x");
    let before = std::fs::read_to_string(x.join("summit.yaml")).expect("summit.yaml");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_summit-gen"))
        .args(["import", &schedule("c3voc-v2-flat-synthetic.json")])
        .current_dir(&x)
        .output()
        .expect("run");
    let run = crate::support::Run::from(run);
    run.success();
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout.lines().nth(1),
        Some(
            "Removed init's sample notes (untouched): content/talks/day-1/opening-keynote.md, content/talks/day-2/closing-keynote.md"
        )
    );
    assert!(
        run.stdout.contains("(12 new, 0 updated, 0 unchanged)"),
        "{}",
        run.stdout
    );
    let after = std::fs::read_to_string(x.join("summit.yaml")).expect("summit.yaml");
    let (head, _) = before.split_once("event:").expect("event");
    assert_eq!(
        after,
        format!(
            "{head}event:\n  name: SynthCon 2025\n  location: \"\"\n  timezone: Europe/Berlin\n  day_change: \"06:00\"\n  days:\n    - date: 2025-12-27\n    - date: 2025-12-28\n    - date: 2025-12-29\n"
        )
    );
    let talks = tree(&x.join("content/talks"));
    assert_eq!(talks.len(), 12, "{:?}", talks.keys());
    let files = tree(&x);
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_summit-gen"))
        .args(["import", &schedule("c3voc-v2-flat-synthetic.json")])
        .current_dir(&x)
        .output()
        .expect("run");
    assert!(again.status.success());
    assert_eq!(tree(&x), files, "a re-import changed files");
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_summit-gen"))
        .arg("build")
        .current_dir(&x)
        .output()
        .expect("build");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

/// A sample the writer edited is their note: init's days then stay, and nothing is removed.
#[test]
fn init_days_stay_once_the_writer_wrote_a_note() {
    let site = Site::empty();
    site.run(&["init", ".", "-q"]).success();
    let note = "content/talks/day-1/opening-keynote.md";
    site.write(
        note,
        site.read(note)
            .replace("Write your notes here", "I loved it"),
    );
    let run = site.run(&["import", &schedule(DEMOCON)]);
    run.failure();
    assert!(
        run.stderr
            .contains("all 36 talks are on 2020-12-14..16, which are not days in summit.yaml"),
        "{}",
        run.stderr
    );
    assert!(site.path().join(note).is_file());
}

/// The README says to delete the notes of talks you did not see; a re-import brought them
/// back. Now imported.yaml remembers them; --dry-run shows them; --restore brings them back.
#[test]
fn deleted_notes_stay_deleted() {
    let site = Site::empty();
    site.run(&["import", &schedule(DEMOCON), "-q"]).success();
    let gone = "content/talks/day-1/focused-5thgeneration-hardware.md";
    site.remove(gone);
    let files = tree(site.path());
    let dry = site.run(&["import", &schedule(DEMOCON), "--dry-run", "-q"]);
    dry.success();
    assert!(
        dry.stdout.contains("removed    2020-12-14 09:00 Focused 5thgeneration hardware                     (id 8079583e-8321-506c-95af-fd2903a5f075; you deleted its note; --restore brings it back)\n"),
        "{}",
        dry.stdout
    );
    assert_eq!(tree(site.path()), files, "--dry-run wrote");
    let run = site.run(&["import", &schedule(DEMOCON)]);
    run.success();
    assert!(run.stdout.contains("Imported 35 talks"), "{}", run.stdout);
    assert!(run.stdout.contains("1 talks whose notes you deleted were not imported again (they are listed in imported.yaml; --restore brings them back)"), "{}", run.stdout);
    assert!(!site.path().join(gone).exists());
    let memory = site.read("imported.yaml");
    assert!(
        memory.starts_with("# Written by `summit-gen import`; commit it with your notes.\n"),
        "{memory}"
    );
    assert!(
        memory.contains(
            "removed:\n  8079583e-8321-506c-95af-fd2903a5f075: Focused 5thgeneration hardware\n"
        ),
        "{memory}"
    );
    // Idempotent from here on: same files, same bytes.
    let files = tree(site.path());
    site.run(&["import", &schedule(DEMOCON)]).success();
    assert_eq!(tree(site.path()), files);
    site.build().success();
    // The build never reads imported.yaml, and --restore brings the note back.
    let run = site.run(&["import", &schedule(DEMOCON), "--restore"]);
    run.success();
    assert!(
        run.stdout.contains("(1 new, 0 updated, 35 unchanged)"),
        "{}",
        run.stdout
    );
    assert!(site.path().join(gone).is_file());
    assert!(site.read("imported.yaml").contains("removed: {}"));
}

/// An import into an empty folder wrote only summit.yaml and notes: no workflow to publish
/// with. Now it writes what init writes besides notes, and never replaces a file.
#[test]
fn an_import_into_an_empty_folder_can_publish() {
    let site = Site::empty();
    site.write(".gitignore", "mine\n");
    let run = site.run(&["import", &schedule("c3voc-v2-flat-synthetic.json")]);
    run.success();
    assert_eq!(
        run.stdout.lines().nth(1),
        Some(
            "Wrote the starter files init writes: content/intro.md, content/outro.md, .github/workflows/pages.yml"
        )
    );
    assert_eq!(site.read(".gitignore"), "mine\n");
    let init = Site::empty();
    init.run(&["init", ".", "-q"]).success();
    for file in [
        "content/intro.md",
        "content/outro.md",
        ".github/workflows/pages.yml",
    ] {
        assert_eq!(site.read(file), init.read(file), "{file}");
    }
    site.build().success();
}

/// The pretalx fixture's "Talk page" links point at localhost: said once. Its time-zone
/// warning came back on every re-import, also after summit.yaml set event.timezone.
#[test]
fn placeholder_links_are_named_and_the_zone_warning_stops_once_set() {
    let site = Site::empty();
    let run = site.run(&["import", &schedule(DEMOCON)]);
    run.success();
    assert_eq!(
        run.stderr,
        "warning: 36 talks' \"Talk page\" links point at localhost (e.g. http://localhost/democon/talk/VBTHYJ/): the schedule was exported from a server that does not know its public address, so these links will not work — fix them in the notes, or export the schedule from the conference's public site\n\
         warning: the schedule names the time zone UTC, but its times are at +01:00; the time zone is left out — set event.timezone in summit.yaml, or import with --timezone ZONE\n"
    );
    site.write(
        "summit.yaml",
        site.read("summit.yaml")
            .replace("event:\n", "event:\n  timezone: Europe/Copenhagen\n"),
    );
    let run = site.run(&["import", &schedule(DEMOCON)]);
    run.success();
    assert!(!run.stderr.contains("time zone"), "{}", run.stderr);
}
