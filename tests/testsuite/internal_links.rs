//! Issue 15.8: a link in a note to a missing note, heading or site file fails `build` (and
//! shows in `serve`) with the message `check` gives; heading ids follow GitHub's rule.

use scraper::Html;

use crate::serve_support::{Server, next_event};
use crate::support::{Site, sel};

const BROKEN: &str = "content/talks/day-2/broken.md";

fn broken_note() -> &'static str {
    "---\ntitle: Broken\nspeakers: [B]\nday: 2\n---\nA [missing note](nope.md) here.\n\n\
     An [anchor that is not there](../day-1/a-keynote.md#no-such-heading).\n\n\
     A [file](/img/none.png).\n"
}

const EXPECTED: &str = "content/talks/day-2/broken.md:6:3: broken link `nope.md`: there is no note content/talks/day-2/nope.md — fix the link, or the heading or note it points to\n\
    content/talks/day-2/broken.md:8:4: broken link `../day-1/a-keynote.md#no-such-heading`: content/talks/day-1/a-keynote.md has no heading #no-such-heading (its headings are #highlights) — fix the link, or the heading or note it points to\n\
    content/talks/day-2/broken.md:10:3: broken link `/img/none.png`: the site has no img/none.png — fix the link, or the heading or note it points to\n";

#[test]
fn a_broken_link_in_a_note_fails_the_build_as_check_reports_it() {
    let site = Site::english();
    site.build().success();
    let before = site.snapshot_dir("public");
    site.write(BROKEN, broken_note());

    let build = site.build();
    build.failure();
    assert_eq!(
        build.stderr,
        format!("{EXPECTED}error: 3 problems found; nothing was written\n")
    );
    assert_eq!(site.snapshot_dir("public"), before, "a failed build wrote");

    let check = site.run(&["check"]);
    check.failure();
    assert_eq!(check.stderr, format!("{EXPECTED}error: 3 problems found\n"));
}

#[test]
fn serve_shows_a_broken_link_in_a_note() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    site.write(BROKEN, broken_note());
    let data = next_event(&events, "build-error");
    assert!(
        data.contains("broken.md:6:3: broken link `nope.md`: there is no note"),
        "{data}"
    );
    let page = Html::parse_document(&server.get("/").text());
    let overlay = page
        .select(&sel("pre#__summit-gen-error"))
        .next()
        .expect("overlay");
    let shown: String = overlay.text().collect();
    assert!(
        shown.contains(
            "a-keynote.md has no heading #no-such-heading (its headings are #highlights)"
        ),
        "{shown}"
    );
}

#[test]
fn heading_ids_follow_githubs_rule_under_the_talk_prefix() {
    let site = Site::english();
    site.write(
        "content/talks/day-2/news.md",
        "---\ntitle: News\nspeakers: [Nora]\nday: 2\n---\n## What's new?\n\n### Æbler & pærer_2\n\n\
         See [below](#whats-new) and [its part](news.md#æbler--pærer_2).\n",
    );
    site.build().success();
    let html = site.html("public/index.html");
    let ids: Vec<&str> = html
        .select(&sel("#news h4, #news h5"))
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(ids, ["news--whats-new", "news--æbler--pærer_2"]);
    let hrefs: Vec<&str> = html
        .select(&sel("#news .notes a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    // The page writes the fragment percent-encoded; a browser decodes it to the id.
    assert_eq!(
        hrefs,
        ["#news--whats-new", "#news--%C3%A6bler--p%C3%A6rer_2"]
    );
    site.run(&["check"]).success();
}
