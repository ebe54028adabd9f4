//! Hostile text in a site: characters that break XML readers or drive a terminal (issue 12,
//! point 11). Every XML/ICS output stays well-formed, and terminal output shows control
//! characters escaped.

use crate::support::Site;

/// A title with NUL, U+0001, ESC and U+FFFE (all allowed in YAML as escapes).
const NOTE: &str = "---\ntitle: \"Null\\0 one\\x01 esc\\e[2J nonchar\\uFFFE end\"\nspeakers: [Ada]\nday: 1\nstart: \"09:00\"\ntags: [\"t\\x02ag\"]\n---\nBody \u{1}with a control.\n";

#[test]
fn bug_a_control_character_in_a_title_made_atom_xml_ill_formed() {
    let site = Site::english();
    let yaml = site.read("summit.yaml");
    site.write("summit.yaml", format!("{yaml}pages:\n  feed: talks\n"));
    site.write("content/talks/day-1/hostile.md", NOTE);
    site.build().success();
    for xml in ["public/atom.xml", "public/sitemap.xml"] {
        let text = site.read(xml);
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{xml} is not well-formed: {e}"));
        if xml.ends_with("atom.xml") {
            let titles: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .filter_map(|n| n.text())
                .collect();
            assert!(
                titles.contains(&"Null one esc[2J nonchar end"),
                "{titles:?}"
            );
        }
    }
    let ics = site.read("public/schedule.ics");
    assert!(
        !ics.chars()
            .any(|c| (c.is_control() && c != '\r' && c != '\n') || c == '\u{FFFE}'),
        "schedule.ics keeps a control character"
    );
    assert!(
        ics.contains("SUMMARY:Null one esc[2J nonchar end\r\n"),
        "{ics}"
    );
}

#[test]
fn bug_terminal_output_printed_control_characters_raw() {
    let site = Site::english();
    // A misnamed note whose file name holds ESC: the warning names it, escaped.
    site.write("content/talks/\u{1b}[2Jred.markdown", "x");
    let run = site.build();
    run.success();
    assert_eq!(
        run.stderr,
        "warning: content/talks/\\u{1b}[2Jred.markdown: not read: notes end in `.md` — rename it to content/talks/\\u{1b}[2Jred.md\n"
    );
    // An error about a bad value quotes it escaped too.
    site.write(
        "content/talks/day-1/bad.md",
        "---\ntitle: X\nspeakers: [A]\nday: 1\nvideo: \"java\\e[31mscript:x\"\n---\n",
    );
    let run = site.build();
    run.failure();
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(
        run.stderr.contains("java\\u{1b}[31mscript"),
        "{}",
        run.stderr
    );
}
