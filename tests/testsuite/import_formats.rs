//! The formats import used to miss: the flat c3voc v2 JSON (CCC hub), iCalendar files, and a
//! schedule given as a URL (served here from 127.0.0.1).

use std::io::{Read, Write};
use std::net::TcpListener;

use crate::import::{by_id, notes, schedule};
use crate::support::{Site, tree};

/// The 38C3 hub's flat `schedule.events[]` imported 0 talks and exited 0. Now every event is a
/// note: rooms and tracks resolved from their references, speakers from the participants who
/// present, a talk at 00:15 on the day before (the hub's day runs to 06:00).
#[test]
fn c3voc_v2_flat_events_all_import() {
    let site = Site::empty();
    let run = site.run(&["import", &schedule("c3voc-v2-flat-synthetic.json")]);
    run.success();
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.starts_with(
            "Imported 12 talks from a c3voc schedule.json (v2) (12 new, 0 updated, 0 unchanged)"
        ),
        "{}",
        run.stdout
    );
    let all = notes(&site);
    assert_eq!(all.len(), 12);
    let (path, n) = by_id(&all, "0f3c9b1e-6a2d-5c4e-8b7a-000000000003");
    assert_eq!(path, "day-1/soldering-without-tears.md");
    assert_eq!(n["speakers"], serde_json::json!(["Tomasz Lis", "Ana Ruiz"]));
    assert_eq!(
        (
            n["room"].as_str(),
            n["track"].as_str(),
            n["duration"].as_u64()
        ),
        (Some("Saal Grace"), Some("Hardware & Making"), Some(60))
    );
    let (path, n) = by_id(&all, "0f3c9b1e-6a2d-5c4e-8b7a-000000000006");
    assert_eq!(path, "day-1/a-late-night-synth-build.md");
    assert_eq!(
        (n["day"].as_str(), n["start"].as_str()),
        (Some("2025-12-27"), Some("00:15"))
    );
    let (_, n) = by_id(&all, "0f3c9b1e-6a2d-5c4e-8b7a-000000000001");
    assert_eq!(
        n["speakers"],
        serde_json::json!(["Mara Voss", "Ilja Brandt"])
    );
    assert_eq!(
        n["extra"]["abstract"],
        "What SynthCon: Opening Ceremony is about, in brief."
    );
    let config = site.read("summit.yaml");
    assert!(
        config.contains("timezone: Europe/Berlin") && config.contains("day_change: \"06:00\""),
        "{config}"
    );
    site.build().success();
}

/// The messy calendar: folds (one inside "é"), CRLF and LF, escapes, a 1,300-character line,
/// two broken lines, a VTIMEZONE by IANA name and one by Windows name, UTC and floating times,
/// DURATION and DTEND, three events on one UID, two without, a duplicate, a cancelled and an
/// all-day event. 9 talks; ids stable; a re-import changes no byte.
#[test]
fn a_messy_ics_imports_every_talk_with_stable_ids() {
    let site = Site::empty();
    let ics = schedule("messy-synthetic.ics");
    let run = site.run(&["import", &ics]);
    run.success();
    assert!(
        run.stdout.starts_with(
            "Imported 9 talks from a schedule.ics (iCalendar) (9 new, 0 updated, 0 unchanged)"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr,
        format!(
            "warning: event repeated@synthconf (Repeated UID one): the same event (UID, start and title) is in the calendar twice; the second is skipped\n\
             warning: event talk-8@synthconf (Cancelled talk): it is cancelled; skipped\n\
             warning: event day-2@synthconf (Conference day 2): it is an all-day event; skipped\n\
             warning: 5 events have no UID of their own (it is missing, or another event has it too): their ids are made from UID, start and title, so a change of time or title in the calendar makes a new note\n\
             warning: {ics}:113: 2 lines are not iCalendar content lines (NAME:value); they were skipped\n"
        )
    );
    let all = notes(&site);
    assert_eq!(all.len(), 9);
    let (path, n) = by_id(&all, "talk-1@synthconf");
    assert_eq!(path, "day-1/opening-welcome-everyone.md");
    assert_eq!(n["title"], "Opening: welcome, everyone");
    assert_eq!(n["speakers"], serde_json::json!(["Ada Lovelace"]));
    assert_eq!(
        (n["start"].as_str(), n["duration"].as_u64()),
        (Some("09:00"), Some(45))
    );
    assert_eq!(
        (n["room"].as_str(), n["track"].as_str()),
        (Some("Main Hall"), Some("Keynote"))
    );
    assert_eq!(n["links"][0]["url"], "https://synthconf.org/talks/1");
    // 08:00Z is 10:00 in Berlin in June; the organizer speaks when no attendee is named.
    let (_, n) = by_id(&all, "talk-2@synthconf");
    assert_eq!(
        (n["start"].as_str(), n["duration"].as_u64()),
        (Some("10:00"), Some(30))
    );
    assert_eq!(n["speakers"], serde_json::json!(["Hopper, Grace"]));
    assert_eq!(n["tags"], serde_json::json!(["rust", "systems-low-level"]));
    let summary = n["extra"]["abstract"].as_str().expect("abstract");
    assert!(
        summary
            .starts_with("First paragraph.\n\nSecond paragraph: A very long abstract, repeated."),
        "{summary}"
    );
    assert!(summary.len() > 1000);
    // Floating, folded inside "é", no UID.
    let (path, n) = all
        .iter()
        .find(|(_, n)| n["title"] == "Café culture in open source")
        .expect("café");
    assert_eq!(path, "day-1/cafe-culture-in-open-source.md");
    assert!(
        n["id"].as_str().is_some_and(|id| id.starts_with("ics-")),
        "{}",
        n["id"]
    );
    // A Windows zone name, read from its VTIMEZONE; spaces after colons; a room is no speaker.
    let (_, n) = by_id(&all, "talk-7@synthconf");
    assert_eq!(
        (n["start"].as_str(), n["duration"].as_u64()),
        (Some("14:00"), Some(30))
    );
    let (_, n) = by_id(&all, "talk-10@synthconf");
    assert_eq!(n["title"], "Closing panel");
    assert_eq!(
        n["speakers"],
        serde_json::json!(["Noor Haddad", "Tomasz Lis"])
    );
    let repeated: Vec<&String> = all.keys().filter(|p| p.contains("repeated-uid")).collect();
    assert_eq!(repeated.len(), 3, "{repeated:?}");
    assert!(site.read("summit.yaml").contains("timezone: Europe/Berlin"));
    let everything: String = tree(site.path())
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        !everything.contains("@example.org"),
        "an e-mail address was copied"
    );

    let before = tree(site.path());
    let again = site.run(&["import", &ics]);
    again.success();
    assert!(
        again.stdout.contains("(0 new, 0 updated, 9 unchanged)"),
        "{}",
        again.stdout
    );
    assert_eq!(tree(site.path()), before, "a re-import changed files");
    site.build().success();
}

/// A calendar that names no zone: UTC, with a warning saying how to set it; `--timezone`
/// places the times in the given zone instead.
#[test]
fn an_ics_without_a_zone_uses_timezone_or_warns() {
    let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20250612T080000Z\nDURATION:PT30M\nSUMMARY:Talk A\nEND:VEVENT\nEND:VCALENDAR\n";
    let site = Site::empty();
    site.write("cal.ics", ics);
    let run = site.run(&["import", "cal.ics"]);
    run.success();
    assert_eq!(
        run.stderr,
        "warning: the calendar names no time zone, so its times are shown in UTC; if the event was elsewhere, import again with --timezone ZONE (an IANA name such as Europe/Berlin), or set event.timezone in summit.yaml\n"
    );
    assert!(
        site.read("content/talks/day-1/talk-a.md")
            .contains("start: \"08:00\"")
    );
    let site = Site::empty();
    site.write("cal.ics", ics);
    let run = site.run(&["import", "cal.ics", "--timezone", "America/New_York"]);
    run.success();
    assert_eq!(run.stderr, "");
    assert!(
        site.read("content/talks/day-1/talk-a.md")
            .contains("start: \"04:00\"")
    );
    assert!(
        site.read("summit.yaml")
            .contains("timezone: America/New_York")
    );
}

/// A one-connection-at-a-time HTTP server on 127.0.0.1 answering each request with `answer`.
fn serve(answer: impl Fn(&mut std::net::TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head);
            answer(&mut stream);
        }
    });
    format!("http://127.0.0.1:{port}/schedule.json")
}

#[test]
fn a_schedule_url_is_downloaded_with_a_cap_a_deadline_and_clear_errors() {
    let json = std::fs::read(schedule("pretalx-democon.json")).expect("read");
    let url = serve(move |s| {
        let _ = write!(
            s,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            json.len()
        );
        let _ = s.write_all(&json);
    });
    let site = Site::empty();
    let run = site.run(&["import", &url]);
    run.success();
    assert!(
        run.stdout.starts_with("Imported 36 talks"),
        "{}",
        run.stdout
    );

    let missing = serve(|s| {
        let _ = s
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    let huge = serve(|s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..40 {
            if s.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let silent = serve(|s| {
        // Never answers: hold the connection until the client gives up.
        let mut buf = [0u8; 16];
        let _ = s.read(&mut buf);
    });
    let cases = [
        (
            missing.clone(),
            vec![],
            "the server answered 404 Not Found — check the address (open it in a browser), or download the schedule by hand and import the file",
        ),
        (
            huge.clone(),
            vec![],
            "the download is larger than 32 MB; a schedule is smaller — check that the address is the schedule export, or download it by hand and import the file",
        ),
        (
            silent.clone(),
            vec!["--timeout", "1"],
            "no complete answer within 1 s — try again, pass a longer --timeout SECONDS, or download the schedule by hand and import the file",
        ),
        (
            "http://summit-gen-test.invalid/schedule.json".to_string(),
            vec![],
            "could not find the server (no network, or a mistyped address) — download the schedule by hand (in a browser, or with curl -O) and import the file",
        ),
    ];
    for (url, extra, expected) in cases {
        let site = Site::empty();
        let mut args = vec!["import", url.as_str()];
        args.extend(extra);
        let run = site.run(&args);
        run.failure();
        assert_eq!(
            run.stderr,
            format!("{url}: {expected}\nerror: 1 problem found; nothing was written\n")
        );
        assert!(tree(site.path()).is_empty(), "{url}: something was written");
    }
}

/// Found by fuzzing `c3voc_v2`: two events with one `guid` became two notes with one `id`,
/// and the imported site did not build. The second is skipped and named, as the other
/// readers do.
#[test]
fn bug_a_c3voc_v2_id_used_twice_made_a_site_that_did_not_build() {
    let site = Site::empty();
    let text = std::fs::read_to_string(schedule("c3voc-v2-flat-synthetic.json")).expect("read");
    let twice = text.replace(
        "0f3c9b1e-6a2d-5c4e-8b7a-000000000005",
        "0f3c9b1e-6a2d-5c4e-8b7a-000000000003",
    );
    assert_ne!(twice, text, "the fixture has the id");
    site.write("hub.json", twice);
    let run = site.run(&["import", "hub.json"]);
    run.success();
    assert!(
        run.stderr
            .contains("another talk of the schedule has the same id; skipped"),
        "{}",
        run.stderr
    );
    assert_eq!(notes(&site).len(), 11);
    site.build().success();
}

/// Found by fuzzing `ics`: an event running 24 h 45 min wrote `duration: 1485`, which no note
/// may hold (1 to 1440), so the imported site did not build. The duration is left out.
#[test]
fn bug_an_ics_event_longer_than_a_day_wrote_a_duration_no_note_holds() {
    let site = Site::empty();
    site.write(
        "long.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:long-1\r\nDTSTART:20250611T090000Z\r\nDTEND:20250612T094500Z\r\nSUMMARY:Hackathon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let run = site.run(&["import", "long.ics"]);
    run.success();
    let all = notes(&site);
    assert_eq!(all.len(), 1);
    let (_, n) = by_id(&all, "long-1");
    assert!(n.get("duration").is_none(), "{n}");
    assert_eq!(n["start"], serde_json::json!("09:00"));
    site.build().success();
}

/// Found by fuzzing `c3voc_v2`: an event whose `end` lies years after its `start` wrote a
/// `duration` no note may hold; it is left out now.
#[test]
fn bug_a_c3voc_v2_event_ending_years_later_wrote_a_duration_no_note_holds() {
    let site = Site::empty();
    let text = std::fs::read_to_string(schedule("c3voc-v2-flat-synthetic.json")).expect("read");
    let far = text.replacen(
        "\"end\": \"2025-12-27T11:00:00+01:00\"",
        "\"end\": \"2030-12-27T11:00:00+01:00\"",
        1,
    );
    assert_ne!(far, text, "the fixture has that end");
    site.write("hub.json", far);
    site.run(&["import", "hub.json"]).success();
    site.build().success();
}

/// Found by fuzzing `ics`: a calendar whose every event was skipped read as a schedule with
/// no days. It is an error that says why, like the other readers'.
#[test]
fn bug_a_calendar_without_a_usable_event_read_as_an_empty_schedule() {
    let site = Site::empty();
    site.write(
        "none.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250611T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let run = site.run(&["import", "none.ics"]);
    run.failure();
    assert_eq!(
        run.stderr,
        "none.ics: the calendar has no event with a title and a start time: 1 events were skipped (the first: event x (no title): it has no SUMMARY (title); skipped) — is this the conference's programme? export its calendar again\nerror: 1 problem found; nothing was written\n"
    );
}

/// Found by fuzzing `ics` and `c3voc_v2`: a talk page `https:/host` or `httpsz://host` passed
/// the two new readers' `starts_with("http")` but not the build's link rule, so the imported
/// site did not build. They use the rule the other readers use (the build's own).
#[test]
fn bug_a_talk_page_the_build_refuses_was_imported_by_the_new_readers() {
    let site = Site::empty();
    site.write(
        "bad-url.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u-1\r\nDTSTART:20250611T090000Z\r\nSUMMARY:Talk\r\nURL:https:/synthconf.org/talks/1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    site.run(&["import", "bad-url.ics"]).success();
    site.build().success();
}
