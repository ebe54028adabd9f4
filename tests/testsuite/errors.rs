//! Bad input: exit code 1, an exact `file:line:col` message for each problem, and the
//! previous output left exactly as it was.

use crate::support::Site;

/// Builds the English fixture, plants `file`, rebuilds, and checks the failure.
#[track_caller]
fn check(file: &str, contents: &[u8], expected: &str) {
    let site = Site::english();
    site.build().success();
    let before = site.snapshot_dir("public");
    site.write(file, contents);
    let run = site.build();
    run.failure();
    let expected = format!("{expected}\nerror: 1 problem found; nothing was written\n");
    assert_eq!(run.stderr, expected);
    assert_eq!(
        site.snapshot_dir("public"),
        before,
        "previous output changed"
    );
    assert_eq!(run.stdout, "");
}

const NOTE: &str = "content/talks/day-1/bad.md";

#[test]
fn day_that_is_not_a_number_or_date() {
    check(
        NOTE,
        b"---\ntitle: Lyft\nspeakers: [A]\nday: three\n---\nx\n",
        "content/talks/day-1/bad.md:4:6: invalid value for `day`: expected a day number (1, 2, …) or a date (YYYY-MM-DD), found \"three\"",
    );
}

#[test]
fn day_that_does_not_exist() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 3\n---\nx\n",
        "content/talks/day-1/bad.md:4:6: day 3 does not exist — summit.yaml defines days 1 to 2 (2021-03-01, 2021-03-02)",
    );
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 2021-03-05\n---\nx\n",
        "content/talks/day-1/bad.md:4:6: 2021-03-05 is not a day of the event — summit.yaml defines days 1 to 2 (2021-03-01, 2021-03-02)",
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nrecomended: true\n---\nx\n",
        "content/talks/day-1/bad.md:5:1: unknown key `recomended` — did you mean `recommended`?",
    );
}

/// Several typos in one note are all reported by one build (only the first was).
#[test]
fn every_unknown_key_of_a_note_is_reported_at_once() {
    let site = Site::english();
    site.write(
        NOTE,
        "---\ntitle: X\nspeakers: [A]\nday: 1\nrecomended: true\nstart: \"10:00\"\nduraton: 4\n---\nx\n",
    );
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/day-1/bad.md:5:1: unknown key `recomended` — did you mean `recommended`?\n\
         content/talks/day-1/bad.md:7:1: unknown key `duraton` — did you mean `duration`?\n\
         error: 2 problems found; nothing was written\n"
    );
}

#[test]
fn unknown_key_without_a_near_miss_points_at_extra() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nmood: happy\n---\nx\n",
        "content/talks/day-1/bad.md:5:1: unknown key `mood` — known keys are `title`, `speakers`, `day`, `start`, `duration`, `end`, `room`, `track`, `tags`, `recommended`, `rating`, `video`, `slides`, `image`, `image_alt`, `links`, `id`, `extra`, `draft`; put keys of your own under `extra`",
    );
}

#[test]
fn missing_required_key() {
    check(
        NOTE,
        b"---\ntitle: X\nday: 1\n---\nx\n",
        "content/talks/day-1/bad.md:1:1: missing required key `speakers` — add a line `speakers: …`",
    );
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [{affiliation: B}]\nday: 1\n---\nx\n",
        "content/talks/day-1/bad.md:3:13: missing required key `name` — add a line `name: …`",
    );
}

#[test]
fn wrongly_typed_fields() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nstart: 25:00\n---\nx\n",
        "content/talks/day-1/bad.md:5:8: invalid value for `start`: expected a 24-hour time written \"HH:MM\", found \"25:00\"",
    );
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nrecommended: maybe\n---\nx\n",
        "content/talks/day-1/bad.md:5:14: invalid value for `recommended`: invalid boolean — write `true` or `false`",
    );
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nduration: long\n---\nx\n",
        "content/talks/day-1/bad.md:5:11: invalid value for `duration`: expected a number of minutes (e.g. 45), found \"long\"",
    );
}

#[test]
fn unclosed_front_matter() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\n\nThe body, but no closing fence.\n",
        "content/talks/day-1/bad.md:1:1: front matter is not closed — add a line `---` after the last front-matter key",
    );
}

#[test]
fn no_front_matter() {
    check(
        NOTE,
        b"Just text.\n",
        "content/talks/day-1/bad.md:1:1: a talk note needs front matter — start the file with a `---` line, then `title:`, `speakers:` and `day:`, then `---`",
    );
}

#[test]
fn invalid_yaml() {
    check(
        NOTE,
        b"---\ntitle: Kafka: the good parts\nspeakers: [A]\nday: 1\n---\nx\n",
        "content/talks/day-1/bad.md:2:13: invalid value for `title`: mapping values are not allowed in this context — put text that contains `: ` in double quotes, e.g. `title: \"Kafka: the good parts\"`",
    );
    check(
        NOTE,
        b"---\ntitle: \"X\nspeakers: [A]\nday: 1\n---\nx\n",
        "content/talks/day-1/bad.md:2:8: invalid value for `title`: unclosed quote",
    );
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nday: 2\n---\nx\n",
        "content/talks/day-1/bad.md:5:1: `day` is set twice — keep one of them",
    );
}

/// Regression: an unclosed quote or bracket was blamed on a later key, where the parser
/// noticed it.
#[test]
fn an_unclosed_quote_or_bracket_is_found_on_its_own_line() {
    check(
        NOTE,
        b"---\ntitle: \"Kafka: the good parts\nspeakers: [A]\nday: 1\nstart: \"14:30\"\n---\nx\n",
        "content/talks/day-1/bad.md:2:8: the value of `title` opens a double quote that is not closed on its line — end the line with `\"`",
    );
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [Ada, Bob\nday: 1\n---\nx\n",
        "content/talks/day-1/bad.md:3:11: the value of `speakers` opens `[` that is not closed on its line — end the line with `]`",
    );
}

#[test]
fn tab_indentation_says_to_use_spaces() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers:\n\t- A\nday: 1\n---\nx\n",
        "content/talks/day-1/bad.md:4:2: invalid value for `speakers`: tabs disallowed within this context (block indentation) — indent with spaces: YAML does not allow tabs for indentation",
    );
}

#[test]
fn not_utf8() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\n---\nCaf\xe9 latin-1\n",
        "content/talks/day-1/bad.md:6:4: the file is not valid UTF-8 — save it with UTF-8 encoding",
    );
}

#[test]
fn script_urls_are_refused() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nvideo: \"javascript:alert(1)\"\n---\nx\n",
        "content/talks/day-1/bad.md:5:8: `video` uses the scheme `javascript:`, which is not allowed — use an http:// or https:// address, or a path on this site",
    );
}

/// Issue 12.3: addresses a browser reads as another host became off-site hrefs.
#[test]
fn bug_protocol_relative_and_backslash_links_became_off_site_hrefs() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nslides: //evil.example/x\n---\nx\n",
        "content/talks/day-1/bad.md:5:9: `slides` `//evil.example/x` starts with `//`, so it leads to another host — use an http:// or https:// address, or a path on this site",
    );
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nlinks: [{title: L, url: '\\\\evil.example'}]\n---\nx\n",
        "content/talks/day-1/bad.md:5:9: link `L` `\\\\evil.example` contains a backslash, which browsers read as `/` — use an http:// or https:// address, or a path on this site",
    );
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nvideo: https:evil.example\n---\nx\n",
        "content/talks/day-1/bad.md:5:8: `video` `https:evil.example` is a web address without `//` and a host after `https:` — use an http:// or https:// address, or a path on this site",
    );
}

#[test]
fn a_web_address_without_https_is_refused_with_the_fix() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: 1\nvideo: www.youtube.com/watch?v=1\n---\nx\n",
        "content/talks/day-1/bad.md:5:8: `video` `www.youtube.com/watch?v=1` has no `https://`, so it would be a path on this site — write `https://www.youtube.com/watch?v=1`",
    );
}

#[test]
fn alias_bomb_and_deep_nesting_end_in_an_error() {
    let mut bomb = String::from(
        "---\ntitle: X\nspeakers: [A]\nday: 1\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let mut prev = 'a';
    for name in "bcdefghij".chars() {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        prev = name;
    }
    bomb.push_str("---\nx\n");
    check(
        NOTE,
        bomb.as_bytes(),
        "content/talks/day-1/bad.md:11:18: YAML is nested too deeply or expands too many aliases — write the values out plainly; front matter needs no anchors or deep nesting",
    );
    let deep = format!(
        "---\ntitle: X\nspeakers: [A]\nday: 1\nextra: {}{}\n---\nx\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let site = Site::english();
    site.write(NOTE, deep);
    let run = site.build();
    run.failure();
    assert!(
        run.stderr.starts_with("content/talks/day-1/bad.md:5:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nested too deeply"), "{}", run.stderr);
}

#[test]
fn bad_summit_yaml() {
    check(
        "summit.yaml",
        b"title: X\nlanguage: da\nevnt:\n  name: X\n",
        "summit.yaml:3:1: unknown key `evnt` — did you mean `event`?",
    );
    check(
        "summit.yaml",
        b"title: X\nlanguage: pt\nevent:\n  name: X\n  days: [{date: 2021-03-01}]\n",
        "summit.yaml:2:11: unknown language `pt` — built-in languages are da, de, en, es, fr, nb, nl, sv; pick one and translate its texts under `labels:`",
    );
    check(
        "summit.yaml",
        b"title: X\nevent:\n  name: X\n  days: [{date: 2021-03-01}]\nlabels:\n  day_headline: Dag {n}\n",
        "summit.yaml:6:3: unknown key `day_headline` — did you mean `day_heading`?",
    );
    check(
        "summit.yaml",
        b"title: X\nevent:\n  name: X\n  days: [{date: 2021-03-01}, {date: 2021-03-01}]\n",
        "summit.yaml:4:9: `event.days` must be in date order without repeats: 2021-03-01 is listed twice — remove one of them",
    );
    check(
        "summit.yaml",
        b"title: X\nevent:\n  name:\n  days: [{date: 2021-03-01}]\n",
        "summit.yaml:3:7: invalid value for `event.name`: null is not allowed here — it is empty: give it a value",
    );
    check(
        "summit.yaml",
        b"title: X\nevent:\n  name: X\n  days: [{date: 2021-03-01}]\nlabels:\n  day_heading: \"D{m}\"\n",
        "summit.yaml:6:3: label `day_heading` has `{m}`, which is never filled in — `day_heading` takes `{n}`",
    );
}

#[test]
fn every_bad_file_is_reported_at_once() {
    let site = Site::english();
    site.build().success();
    let before = site.snapshot_dir("public");
    site.write(
        "content/talks/one.md",
        "---\ntitel: X\nspeakers: [A]\nday: 1\n---\n",
    );
    site.write(
        "content/talks/two.md",
        "---\ntitle: X\nspeakers: [A]\nday: 9\n---\n",
    );
    site.write(
        "content/talks/three.md",
        "---\ntitle: X\nspeakers: []\nday: 1\n",
    );
    let run = site.build();
    run.failure();
    insta::assert_snapshot!("every_bad_file", run.stderr);
    assert_eq!(site.snapshot_dir("public"), before);
}

#[test]
fn no_summit_yaml() {
    let site = Site::empty();
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "summit.yaml: no summit.yaml here — run summit-gen in a site folder, pass `--root DIR`, or create one with `summit-gen init`\nerror: 1 problem found; nothing was written\n"
    );
}

#[test]
fn bad_usage_exits_with_2() {
    let site = Site::english();
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
}

/// Issue 12.12: the help was picked by searching the parser's message, which holds the
/// user's value: `day: stable` was told to indent with spaces ("s-tab-le").
#[test]
fn bug_help_text_was_chosen_by_the_users_own_words() {
    check(
        NOTE,
        b"---\ntitle: X\nspeakers: [A]\nday: stable\n---\nx\n",
        "content/talks/day-1/bad.md:4:6: invalid value for `day`: expected a day number (1, 2, …) or a date (YYYY-MM-DD), found \"stable\"",
    );
    // `[Yes]` and `[N]` are booleans to YAML: quote the name (not "write true or false").
    for name in ["Yes", "N"] {
        check(
            NOTE,
            format!("---\ntitle: X\nspeakers: [{name}]\nday: 1\n---\nx\n").as_bytes(),
            "content/talks/day-1/bad.md:3:12: invalid value for `speakers`: invalid type: boolean `true`, expected a speaker's name, or {name, affiliation, url} — YAML reads yes, no, on, off, y and n as true or false: put the text in quotes, e.g. `[\"Yes\"]`"
                .replace("boolean `true`", if name == "N" { "boolean `false`" } else { "boolean `true`" })
                .as_str(),
        );
    }
}

/// Issue 12.13: only the first problem of a note (by key order) was reported.
#[test]
fn bug_only_the_first_problem_of_a_note_was_reported() {
    let site = Site::english();
    site.write(
        NOTE,
        "---\ntitle: X\nspeakers: [A]\nday: three\nrecomended: true\nstart: 9\n---\nx\n",
    );
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/day-1/bad.md:4:6: invalid value for `day`: expected a day number (1, 2, …) or a date (YYYY-MM-DD), found \"three\"\n\
         content/talks/day-1/bad.md:5:1: unknown key `recomended` — did you mean `recommended`?\n\
         content/talks/day-1/bad.md:6:8: invalid value for `start`: expected a 24-hour time written \"HH:MM\", found \"9\"\n\
         error: 3 problems found; nothing was written\n"
    );
}

/// Issue 12.13: `tags: a, b` is one tag to YAML; the writer meant a list.
#[test]
fn a_list_without_brackets_is_a_warning() {
    let site = Site::english();
    site.write(
        NOTE,
        "---\ntitle: X\nspeakers: [A]\nday: 1\ntags: security, supply-chain\n---\nx\n",
    );
    let run = site.build();
    run.success();
    assert_eq!(
        run.stderr,
        "warning: content/talks/day-1/bad.md:5:7: `tags` is one value, `security, supply-chain`: a list needs brackets — write `tags: [security, supply-chain]`\n"
    );
}

/// Issue 12.13: a talk from 23:30 to 00:30 was refused even where `day_change` makes the
/// conference day run past midnight.
#[test]
fn bug_an_end_after_midnight_was_refused_with_day_change() {
    let note =
        b"---\ntitle: Late\nspeakers: [A]\nday: 1\nstart: \"23:30\"\nend: \"00:30\"\n---\nx\n";
    check(
        NOTE,
        note,
        "content/talks/day-1/bad.md:6:6: `end` (00:30) is not after `start` (23:30) — check the times; a talk that runs past midnight needs `event.day_change` in summit.yaml (e.g. \"04:00\")",
    );
    let site = Site::english();
    let yaml = site.read("summit.yaml");
    site.write(
        "summit.yaml",
        yaml.replace("  timezone:", "  day_change: \"04:00\"\n  timezone:"),
    );
    site.write(NOTE, note);
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let ics = site.read("public/schedule.ics");
    // 23:30 and 00:30 local (UTC+1 on 2021-03-01) are 22:30 and 23:30 UTC.
    assert!(
        ics.contains("DTSTART:20210301T223000Z\r\nDTEND:20210301T233000Z\r\n"),
        "{ics}"
    );
}

/// Issue 12.13: the duplicate-id error had no line and column.
#[test]
fn bug_the_duplicate_id_error_had_no_position() {
    let site = Site::english();
    site.write(
        "content/talks/day-1/one.md",
        "---\ntitle: One\nspeakers: [A]\nday: 1\nid: same\n---\nx\n",
    );
    site.write(
        "content/talks/day-1/two.md",
        "---\ntitle: Two\nspeakers: [A]\nday: 1\nid: same\n---\nx\n",
    );
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/day-1/two.md:5:5: the id `same` is also used by content/talks/day-1/one.md — give each note its own `id`, or remove it\nerror: 1 problem found; nothing was written\n"
    );
}
