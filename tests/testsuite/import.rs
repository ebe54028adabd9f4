//! `summit-gen import`: schedules in, notes out; re-import merges and never loses anything.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Site, repo, sel, texts, tree};

pub fn schedule(name: &str) -> String {
    repo()
        .join("tests/fixtures/schedules")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Every note under content/talks: file → front matter as JSON.
pub fn notes(site: &Site) -> BTreeMap<String, serde_json::Value> {
    tree(&site.path().join("content/talks"))
        .into_iter()
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes).expect("UTF-8");
            let yaml = text.split("---\n").nth(1).expect("front matter");
            let value: serde_json::Value = serde_saphyr::from_str(yaml).expect("YAML");
            (path.to_string_lossy().into_owned(), value)
        })
        .collect()
}

pub fn by_id<'a>(
    notes: &'a BTreeMap<String, serde_json::Value>,
    id: &str,
) -> (&'a String, &'a serde_json::Value) {
    notes
        .iter()
        .find(|(_, n)| n["id"] == id)
        .unwrap_or_else(|| panic!("no note with id {id}"))
}

#[test]
fn pretalx_json_into_an_empty_site_then_build() {
    let site = Site::empty();
    let run = site.run(&["import", &schedule("pretalx-democon.json")]);
    run.success();
    assert!(
        run.stdout.starts_with(
            "Imported 36 talks from a pretalx/frab schedule.json (36 new, 0 updated, 0 unchanged)"
        ),
        "{}",
        run.stdout
    );
    let notes = notes(&site);
    // The file's own count: every event of every room of every day.
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(schedule("pretalx-democon.json")).expect("read"),
    )
    .expect("json");
    let talks: usize = json["schedule"]["conference"]["days"]
        .as_array()
        .expect("days")
        .iter()
        .flat_map(|d| d["rooms"].as_object().expect("rooms").values())
        .map(|r| r.as_array().expect("events").len())
        .sum();
    assert_eq!((notes.len(), talks), (36, 36));

    let (path, n) = by_id(&notes, "8079583e-8321-506c-95af-fd2903a5f075");
    assert_eq!(path, "day-1/focused-5thgeneration-hardware.md");
    assert_eq!(n["title"], "Focused 5thgeneration hardware");
    assert_eq!(n["speakers"], serde_json::json!(["Brian Robinson"]));
    assert_eq!(
        (
            n["day"].as_str(),
            n["start"].as_str(),
            n["duration"].as_u64()
        ),
        (Some("2020-12-14"), Some("09:00"), Some(30))
    );
    assert_eq!(n["room"], "Gray Room");
    let (path, n) = by_id(&notes, "630051b3-c874-5093-bd3e-487fe2049e76");
    assert!(path.starts_with("day-3/"), "{path}");
    assert_eq!(
        n["speakers"],
        serde_json::json!(["Teresa Terrell", "Stephanie Hudson"])
    );
    assert_eq!(
        (
            n["start"].as_str(),
            n["duration"].as_u64(),
            n["room"].as_str()
        ),
        (Some("09:00"), Some(90), Some("Tan Room"))
    );

    let config = site.read("summit.yaml");
    assert!(config.contains("name: DemoCon"), "{config}");
    site.build().success();
    site.run(&["check"]).success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel(".also li")).count(), 36);
}

#[test]
fn frab_xml_into_an_empty_site_then_build() {
    let site = Site::empty();
    let run = site.run(&["import", &schedule("froscon2013.xml")]);
    run.success();
    let xml = std::fs::read_to_string(schedule("froscon2013.xml")).expect("read");
    let doc = roxmltree::Document::parse(&xml).expect("xml");
    let events = doc
        .descendants()
        .filter(|n| n.has_tag_name("event"))
        .count();
    let notes = notes(&site);
    assert_eq!((notes.len(), events), (123, 123));

    let (path, n) = by_id(&notes, "8tXkx-Ci8nmdmvZneMp93g");
    assert_eq!(path, "day-1/verkehrte-welt.md");
    assert_eq!(n["speakers"], serde_json::json!(["Holger Gantikow"]));
    assert_eq!(
        (
            n["day"].as_str(),
            n["start"].as_str(),
            n["duration"].as_u64()
        ),
        (Some("2013-08-24"), Some("10:00"), Some(60))
    );
    assert_eq!(n["room"], "HS1/2");
    assert_eq!(n["track"], "System Administration");
    // The subtitle and abstract are kept as plain text for the writer, under extra.
    assert!(
        n["extra"]["abstract"]
            .as_str()
            .is_some_and(|a| a.starts_with("Linux im High Performance Computing")),
        "{}",
        n["extra"]
    );
    // A talk without a person still makes a note that builds.
    let (_, n) = by_id(&notes, "0nCiPeNjkEbBUMW7-56WRA");
    assert_eq!(n["speakers"], serde_json::json!([]));
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel("section#day-2 .also li")).count(), 63);
}

#[test]
fn sessionize_skips_service_sessions_and_copies_no_personal_details() {
    let site = Site::empty();
    let run = site.run(&["import", &schedule("sessionize-synthetic.json")]);
    run.success();
    assert_eq!(
        run.stderr,
        "warning: session 104 (Not scheduled yet): it has no start time (not scheduled); skipped\n"
    );
    let notes = notes(&site);
    assert_eq!(notes.len(), 2, "{notes:?}");
    let (path, n) = by_id(&notes, "sessionize-101");
    assert_eq!(path, "day-1/streams-the-good-parts.md");
    assert_eq!(
        (
            n["start"].as_str(),
            n["duration"].as_u64(),
            n["room"].as_str()
        ),
        (Some("09:00"), Some(45), Some("Main hall"))
    );
    assert_eq!(n["abstract"], serde_json::Value::Null);
    assert_eq!(
        n["extra"]["abstract"],
        "How we stream.\n\nMail the speaker at [e-mail removed] or call [phone number removed]."
    );
    let (_, n) = by_id(&notes, "sessionize-103");
    assert_eq!(
        n["speakers"],
        serde_json::json!(["Ada Lovelace", "Grace Hopper"])
    );
    assert_eq!(n["video"], "https://videos.example.org/103");
    assert_eq!(n["tags"], serde_json::json!(["edge"]));
    let everything: String = tree(site.path())
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for secret in [
        "ada@example.org",
        "grace@example.org",
        "12345678",
        "Private notes",
        "Lunch",
    ] {
        assert!(!everything.contains(secret), "{secret} was copied");
    }
    site.build().success();
}

#[test]
fn reimport_merges_and_never_loses_anything() {
    let site = Site::empty();
    let original = std::fs::read_to_string(schedule("pretalx-democon.json")).expect("read");
    site.write("schedule.json", &original);
    site.run(&["import", "schedule.json"]).success();
    let note = "content/talks/day-1/focused-5thgeneration-hardware.md";

    // The writer writes notes, recommends the talk, adds a tag and a comment.
    let text = site.read(note);
    let text = text
        .replace("recommended: false", "recommended: true")
        .replace("tags: []", "tags: [hardware]  # mine")
        .replace(
            "<!-- Your notes",
            "My own notes, carefully written.\n\n<!-- Your notes",
        );
    site.write(note, &text);

    // The schedule changes: the talk moves to 10:15 in the Tan Room, another talk is removed.
    let mut json: serde_json::Value = serde_json::from_str(&original).expect("json");
    let day = &mut json["schedule"]["conference"]["days"][0]["rooms"];
    let gray = day["Gray Room"].as_array_mut().expect("gray");
    let moved = gray
        .iter_mut()
        .find(|e| e["guid"] == "8079583e-8321-506c-95af-fd2903a5f075")
        .expect("talk");
    moved["start"] = "10:15".into();
    moved["room"] = "Tan Room".into();
    let removed = gray.pop().expect("another talk");
    site.write("schedule.json", serde_json::to_string(&json).expect("json"));

    let dry = site.run(&["import", "schedule.json", "--dry-run"]);
    dry.success();
    assert!(
        dry.stdout
            .contains("update     2020-12-14 10:15 Focused 5thgeneration hardware"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("(start, room)"), "{}", dry.stdout);
    assert_eq!(site.read(note), text, "--dry-run wrote");

    let run = site.run(&["import", "schedule.json"]);
    run.success();
    assert!(
        run.stdout.contains("(0 new, 1 updated, 34 unchanged)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 notes are for talks no longer in the schedule; they were kept:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("id {}", removed["guid"].as_str().expect("guid"))),
        "{}",
        run.stdout
    );

    let after = site.read(note);
    assert!(after.contains("start: \"10:15\"\n"), "{after}");
    assert!(after.contains("room: Tan Room\n"), "{after}");
    assert!(after.contains("recommended: true\n"));
    assert!(after.contains("tags: [hardware]  # mine\n"));
    let body = |t: &str| t.splitn(3, "---\n").nth(2).map(String::from);
    assert_eq!(body(&after), body(&text), "the body changed");
    // Nothing else moved: every other note is byte-identical.
    let notes = notes(&site);
    assert_eq!(notes.len(), 36, "a note was deleted");
    site.build().success();
    let html = site.html("public/index.html");
    let moved = html
        .select(&sel("#focused-5thgeneration-hardware"))
        .next()
        .expect("talk");
    assert_eq!(texts(moved, ".time"), ["10:15–10:45"]);
    assert_eq!(
        texts(moved, ".notes p"),
        ["My own notes, carefully written."]
    );
}

#[test]
fn front_matter_round_trips_through_yaml() {
    let tricky = [
        "Kafka: the \"good\" parts # really",
        "It's 'quoted' — with a colon: yes",
        "Ærø, Ελληνικά, 日本語 and emoji 🚀🎉",
        "عنوان باللغة العربية",
        "- starts like a list",
        "{braces} [brackets] & ampersand, *stars*",
        "yes",
        "null",
        "123",
    ];
    let sessions: Vec<serde_json::Value> = tricky
        .iter()
        .enumerate()
        .map(|(i, t)| {
            serde_json::json!({"id": i.to_string(), "title": t, "description": "", "startsAt": format!("2024-05-14T{:02}:00:00", 9 + i),
                "endsAt": format!("2024-05-14T{:02}:30:00", 9 + i), "isServiceSession": false, "roomId": 1, "speakers": ["s"], "categoryItems": []})
        })
        .collect();
    let json = serde_json::json!({"sessions": sessions, "speakers": [{"id": "s", "fullName": "Zoë \"Z\" O'Brien: #1"}], "rooms": [{"id": 1, "name": "Room: A #1"}], "categories": []});
    let site = Site::empty();
    site.write("all.json", json.to_string());
    site.run(&["import", "all.json"]).success();
    let notes = notes(&site);
    for (i, title) in tricky.iter().enumerate() {
        let (_, n) = by_id(&notes, &format!("sessionize-{i}"));
        assert_eq!(n["title"].as_str(), Some(*title));
        assert_eq!(n["speakers"], serde_json::json!(["Zoë \"Z\" O'Brien: #1"]));
        assert_eq!(n["room"], "Room: A #1");
    }
    // …and summit-gen reads them back the same way.
    site.build().success();
    let html = site.html("public/index.html");
    let titles = texts(html.root_element(), ".also li > a");
    assert_eq!(titles, tricky);
    // File names are safe ASCII slugs, unique within the day.
    for path in tree(&site.path().join("content/talks")).keys() {
        let name = path.to_string_lossy();
        assert!(name.is_ascii() && !name.contains(' '), "{name}");
    }
}

#[test]
fn only_keeps_matching_talks() {
    let site = Site::empty();
    let run = site.run(&[
        "import",
        &schedule("froscon2013.xml"),
        "--only",
        "Linux,Kernel",
    ]);
    run.success();
    let notes = notes(&site);
    assert!(!notes.is_empty() && notes.len() < 123, "{}", notes.len());
    for n in notes.values() {
        let hay = format!("{} {}", n["title"], n["track"]).to_lowercase();
        assert!(hay.contains("linux") || hay.contains("kernel"), "{hay}");
    }
}

#[test]
fn bad_schedules_are_clear_errors_and_write_nothing() {
    let json = std::fs::read_to_string(schedule("pretalx-democon.json")).expect("read");
    let xml = std::fs::read_to_string(schedule("froscon2013.xml")).expect("read");
    let cases: [(&str, String, &str); 4] = [
        ("cut.json", json[..json.len() / 2].to_string(), "cut.json:"),
        ("cut.xml", xml[..xml.len() / 2].to_string(), "cut.xml:"),
        (
            "other.json",
            "{\"talks\": []}".into(),
            "other.json: this is not a schedule summit-gen can read — summit-gen reads frab/pretalx schedule.xml",
        ),
        (
            "notes.txt",
            "just some text".into(),
            "notes.txt: this is not a schedule summit-gen can read",
        ),
    ];
    for (name, text, expected) in cases {
        let site = Site::empty();
        site.write(name, &text);
        let run = site.run(&["import", name]);
        run.failure();
        assert!(run.stderr.starts_with(expected), "{name}: {}", run.stderr);
        assert!(
            !site.path().join("summit.yaml").exists() && !site.path().join("content").exists(),
            "{name}: something was written"
        );
    }
    let site = Site::empty();
    site.write("cut.json", &json[..json.len() / 2]);
    let run = site.run(&["import", "cut.json"]);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains(": not valid JSON: EOF while parsing"),
        "{first}"
    );
    // A talk without a title is skipped and named; the others are imported.
    let untitled = xml.replacen("<title>Verkehrte Welt</title>", "", 1);
    let site = Site::empty();
    site.write("schedule.xml", untitled);
    let run = site.run(&["import", "schedule.xml"]);
    run.success();
    assert!(
        run.stderr
            .contains("event 8tXkx-Ci8nmdmvZneMp93g (no title): it has no <title>; skipped"),
        "{}",
        run.stderr
    );
    assert_eq!(notes(&site).len(), 122);
    assert!(Path::new(&site.path().join("summit.yaml")).is_file());
}

/// A talk at 01:30 after midnight, listed under day 1 (whose day runs until 04:00), belongs to
/// day 1: it is last in that day's section, and the calendar puts it on the next date.
#[test]
fn talks_after_midnight_stay_on_their_conference_day() {
    let original = std::fs::read_to_string(schedule("pretalx-democon.json")).expect("read");
    let mut json: serde_json::Value = serde_json::from_str(&original).expect("json");
    let gray = json["schedule"]["conference"]["days"][0]["rooms"]["Gray Room"]
        .as_array_mut()
        .expect("gray");
    let late = gray
        .iter_mut()
        .find(|e| e["guid"] == "8079583e-8321-506c-95af-fd2903a5f075")
        .expect("talk");
    late["start"] = "01:30".into();
    late["date"] = "2020-12-15T01:30:00+01:00".into();
    let site = Site::empty();
    site.write("schedule.json", serde_json::to_string(&json).expect("json"));
    site.run(&["import", "schedule.json"]).success();
    assert!(
        site.read("summit.yaml").contains("day_change: \"04:00\""),
        "{}",
        site.read("summit.yaml")
    );
    let all = notes(&site);
    let (path, n) = by_id(&all, "8079583e-8321-506c-95af-fd2903a5f075");
    assert!(path.starts_with("day-1/"), "{path}");
    assert_eq!(
        (n["day"].as_str(), n["start"].as_str()),
        (Some("2020-12-14"), Some("01:30"))
    );
    site.build().success();
    let html = site.html("public/index.html");
    let day1 = texts(html.root_element(), "section#day-1 .also li > a");
    assert_eq!(
        day1.last().map(String::as_str),
        Some("Focused 5thgeneration hardware"),
        "{day1:?}"
    );
    let ics = site.read("public/schedule.ics");
    let event = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("SUMMARY:Focused 5thgeneration hardware"))
        .expect("event");
    assert!(event.contains("DTSTART:20201215T013000\r\n"), "{event}");
}

/// The c3voc schedule v2 JSON: `conference.rooms[]` with guids, and (in some exports) a day's
/// rooms as a list of rooms with their events. Its time zone is written to summit.yaml.
#[test]
fn c3voc_v2_json_with_room_lists() {
    let original = std::fs::read_to_string(schedule("pretalx-democon.json")).expect("read");
    let mut json: serde_json::Value = serde_json::from_str(&original).expect("json");
    json["schedule"]["version"] = "2.0".into();
    json["schedule"]["conference"]["time_zone_name"] = "Europe/Berlin".into();
    for day in json["schedule"]["conference"]["days"]
        .as_array_mut()
        .expect("days")
    {
        let rooms = day["rooms"].as_object().expect("rooms").clone();
        day["rooms"] = rooms
            .into_iter()
            .map(|(name, events)| serde_json::json!({"name": name, "guid": format!("room-{name}"), "events": events}))
            .collect();
    }
    let site = Site::empty();
    site.write("schedule.json", serde_json::to_string(&json).expect("json"));
    site.run(&["import", "schedule.json"]).success();
    assert_eq!(notes(&site).len(), 36);
    assert!(
        site.read("summit.yaml").contains("timezone: Europe/Berlin"),
        "{}",
        site.read("summit.yaml")
    );
    site.build().success();
    let ics = site.read("public/schedule.ics");
    // 09:00 in Berlin in December is 08:00 UTC.
    assert!(ics.contains("DTSTART:20201214T080000Z\r\n"), "{ics}");
}

/// The pretalx fixture names UTC but every time is at +01:00: the zone is left out, and said.
#[test]
fn a_time_zone_that_contradicts_the_times_is_left_out() {
    let site = Site::empty();
    let run = site.run(&["import", &schedule("pretalx-democon.json")]);
    run.success();
    assert!(
        run.stderr.ends_with("warning: the schedule names the time zone UTC, but its times are at +01:00; the time zone is left out — set event.timezone in summit.yaml, or import with --timezone ZONE\n"),
        "{}",
        run.stderr
    );
    assert!(!site.read("summit.yaml").contains("timezone"));
}

/// A 100,000-deep JSON and an XML with a DTD were both told "the file may be cut off". Each now
/// gets its own message; the cut-off help is for files that end too early, and only those.
#[test]
fn deep_json_and_an_xml_dtd_are_not_called_cut_off() {
    let dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE schedule [<!ENTITY a \"aaaaaaaa\">]>\n<schedule>&a;</schedule>\n";
    let cases: [(&str, String, &str); 5] = [
        (
            "deep.json",
            "[".repeat(100_000),
            "deep.json:1:101: the JSON is nested more than 100 levels deep — a schedule export is nested a few levels deep; this file is not one\n",
        ),
        (
            "dtd.xml",
            dtd.into(),
            "dtd.xml:2:1: the file has a document type declaration (<!DOCTYPE …>), which summit-gen does not read — schedule exports have none (its entities could expand without limit): remove the <!DOCTYPE …> declaration, or export the schedule again\n",
        ),
        (
            "cut.json",
            "{\"schedule\": {\"conference\": ".into(),
            "cut.json:1:28: not valid JSON: EOF while parsing a value at line 1 column 28 — the file ends too early: it may be cut off; download the schedule again\n",
        ),
        (
            "broken.json",
            // The writer's own words are in the file, not in the choice of help.
            "{\"schedule\": EOF cut off}".into(),
            "broken.json:1:14: not valid JSON: expected value at line 1 column 14 — the JSON is broken at this place; export the schedule again, or fix it there\n",
        ),
        (
            "cut.xml",
            "<schedule><day date=\"2024-05-14\">".into(),
            "cut.xml:1:34: not valid XML: the root node was opened but never closed — the file ends too early: it may be cut off; download the schedule again\n",
        ),
    ];
    for (name, text, expected) in cases {
        let site = Site::empty();
        site.write(name, &text);
        let run = site.run(&["import", name]);
        run.failure();
        assert_eq!(
            run.stderr,
            format!("{expected}error: 1 problem found; nothing was written\n"),
            "{name}"
        );
        assert!(!site.path().join("summit.yaml").exists(), "{name}");
    }
}
