//! Issue 15.1, 15.2, 15.6, 15.7: the post's top picks, ratings, talks not written up, speaker
//! links and descriptions.

use crate::support::{Site, sel, text, texts};

fn talk(site: &Site, name: &str, front: &str, body: &str) {
    site.write(
        &format!("content/talks/day-2/{name}.md"),
        format!("---\n{front}\nday: 2\n---\n{body}"),
    );
}

#[test]
fn recommended_talks_open_the_post_in_a_top_picks_box() {
    let site = Site::english();
    talk(
        &site,
        "pick",
        "title: The Pick\nspeakers: [Ada Lovelace, Grace Hopper]\nrecommended: true\nrating: 4",
        "It was the best talk. It had `code` and more.\n",
    );
    site.build().success();
    let html = site.html("public/index.html");
    let picks = html.select(&sel("#picks")).next().expect("a picks box");
    assert_eq!(texts(picks, "h2"), ["Top picks"]);
    // The fixture's own recommended talks, then this one, in reading order.
    let items: Vec<_> = picks.select(&sel("li")).collect();
    assert_eq!(items.len(), 3);
    let items = &items[2..];
    let a = items[0].select(&sel("a")).next().expect("a link");
    assert_eq!(a.value().attr("href"), Some("#the-pick"));
    assert_eq!(text(a), "The Pick");
    assert_eq!(
        texts(items[0], ".pick-speakers"),
        ["Ada Lovelace and Grace Hopper"]
    );
    assert_eq!(texts(items[0], ".pick-summary"), ["It was the best talk."]);
    assert_eq!(
        texts(items[0], ".rating .visually-hidden"),
        ["4 out of 5 stars"]
    );
    // After the intro, before the contents.
    let page = site.read("public/index.html");
    let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("id=\"intro\"") < at("id=\"picks\""));
    assert!(at("id=\"picks\"") < at("class=\"toc\""));
}

#[test]
fn a_post_without_recommended_talks_has_no_picks_box() {
    let site = Site::english();
    for note in [
        "day-1/a-keynote.md",
        "day-1/b-keynote.md",
        "day-2/closing.md",
    ] {
        let rel = format!("content/talks/{note}");
        let text = site.read(&rel).replace("recommended: true\n", "");
        site.write(&rel, text);
    }
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel("article.talk.recommended")).count(), 0);
    assert_eq!(html.select(&sel("#picks")).count(), 0);
}

#[test]
fn a_rating_shows_as_stars_with_words_on_the_post_and_the_talk_page() {
    let site = Site::english();
    talk(
        &site,
        "rated",
        "title: Rated\nspeakers: [R]\nrating: 3\nextra: {rating: free}",
        "Notes.\n",
    );
    site.build().success();
    for (page, scope) in [
        ("public/index.html", "#rated"),
        ("public/talks/rated/index.html", "article.talk"),
    ] {
        let html = site.html(page);
        let t = html.select(&sel(scope)).next().expect("the talk");
        assert_eq!(texts(t, ".rating [aria-hidden=true]"), ["★★★☆☆"], "{page}");
        assert_eq!(
            texts(t, ".rating .visually-hidden"),
            ["3 out of 5 stars"],
            "{page}"
        );
    }
}

#[test]
fn a_rating_outside_one_to_five_is_an_error_at_its_line() {
    let site = Site::english();
    talk(
        &site,
        "bad",
        "title: Bad\nspeakers: [R]\nrating: 6",
        "Notes.\n",
    );
    let run = site.build();
    run.failure();
    assert!(
        run.stderr.starts_with(
            "content/talks/day-2/bad.md:4:9: invalid value for `rating`: expected a rating from 1 to 5, found 6"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_note_without_text_is_listed_at_the_end_of_its_day_not_a_section() {
    let site = Site::english();
    talk(
        &site,
        "empty",
        "title: Not Written\nspeakers: [Ann]\nstart: \"15:00\"\nend: \"15:30\"",
        "<!-- Write your notes here. -->\n",
    );
    talk(&site, "blank", "title: Blank\nspeakers: [Bo]", "\n\n");
    talk(
        &site,
        "secret",
        "title: Secret\nspeakers: [C]",
        "Shown.\n\n<!-- not for readers -->\n\nText <!-- inline --> too.\n",
    );
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel("article.talk#not-written")).count(), 0);
    assert_eq!(html.select(&sel("article.talk#blank")).count(), 0);
    let day = html.select(&sel("section#day-2")).next().expect("day 2");
    let also = day.select(&sel(".also")).next().expect("an also list");
    assert_eq!(texts(also, "h3"), ["Also on the programme"]);
    assert_eq!(
        texts(also, "li"),
        ["Not Written · Ann · 15:00–15:30", "Blank · Bo"].map(|s| s.replace(" · ", " "))
    );
    let li = also
        .select(&sel("li#not-written a"))
        .next()
        .expect("a link");
    assert_eq!(li.value().attr("href"), Some("talks/not-written/"));
    // It is the last thing of its day.
    let page = site.read("public/index.html");
    let day2 = &page[page.find("id=\"day-2\"").expect("day 2")..];
    let day2 = &day2[..day2.find("</section>").expect("end")];
    assert!(day2.trim_end().ends_with("</div>"), "{day2}");
    // No comment of a note reaches a page.
    for f in [
        "public/index.html",
        "public/talks/secret/index.html",
        "public/talks/not-written/index.html",
    ] {
        let text = site.read(f);
        assert!(!text.contains("<!--"), "{f}");
    }
}

#[test]
fn unwritten_hide_leaves_such_talks_out() {
    let site = Site::english();
    let yaml = site.read("summit.yaml");
    site.write("summit.yaml", format!("{yaml}unwritten: hide\n"));
    talk(
        &site,
        "empty",
        "title: Not Written\nspeakers: [Ann]",
        "<!-- later -->\n",
    );
    talk(
        &site,
        "linker",
        "title: Linker\nspeakers: [L]",
        "See [it](empty.md).\n",
    );
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/day-2/linker.md:6:5: broken link `empty.md`: content/talks/day-2/empty.md has no text yet, and `unwritten: hide` leaves it out — fix the link, or the heading or note it points to\n\
         error: 1 problem found; nothing was written\n"
    );
    site.remove("content/talks/day-2/linker.md");
    site.build().success();
    let page = site.read("public/index.html");
    assert!(!page.contains("Not Written"));
    assert!(!site.path().join("public/talks/not-written").exists());
}

#[test]
fn speakers_link_to_their_entry_and_descriptions_are_prose_sentences() {
    let site = Site::english();
    talk(
        &site,
        "desc",
        "title: Desc\nspeakers: [Ada Lovelace]",
        "![a diagram of things](img/x.png) The talk opened with `fn main()` and a demo. \
         It went on for a long time about many things that are not in the first sentence at all, \
         and this sentence is long enough to pass the limit of a description by far, surely.\n",
    );
    site.write("static/img/x.png", b"not really a png");
    site.build().success();
    let page = site.html("public/talks/desc/index.html");
    let a = page
        .select(&sel(".speakers a"))
        .next()
        .expect("a speaker link");
    assert_eq!(
        a.value().attr("href"),
        Some("../../speakers/#speaker-ada-lovelace")
    );
    let speakers = site.html("public/speakers/index.html");
    assert_eq!(speakers.select(&sel("li#speaker-ada-lovelace")).count(), 1);
    let description = page
        .select(&sel("meta[name=description]"))
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("a description");
    assert_eq!(
        description,
        "Ada Lovelace: The talk opened with and a demo."
    );
    let post = site.html("public/index.html");
    let a = post
        .select(&sel("#desc .speakers a"))
        .next()
        .expect("a speaker link");
    assert_eq!(
        a.value().attr("href"),
        Some("speakers/#speaker-ada-lovelace")
    );
}

/// Issue 15.5: a recording on a known player is a click-to-play embed that loads nothing
/// from another origin before the click; other addresses stay a link.
#[test]
fn recordings_on_known_players_are_click_to_play() {
    let site = Site::english();
    talk(
        &site,
        "yt",
        "title: On YouTube\nspeakers: [Yuki]\nvideo: https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "Notes.\n",
    );
    talk(
        &site,
        "plain",
        "title: Elsewhere\nspeakers: [E]\nvideo: https://example.org/talk.mp4",
        "Notes.\n",
    );
    site.build().success();
    for (page, scope) in [
        ("public/index.html", "#on-youtube"),
        ("public/talks/on-youtube/index.html", "article.talk"),
    ] {
        let html = site.html(page);
        let t = html.select(&sel(scope)).next().expect("the talk");
        let play = t
            .select(&sel(".video-embed a.video-play"))
            .next()
            .expect("a player link");
        assert_eq!(
            play.value().attr("href"),
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            "{page}"
        );
        assert_eq!(
            play.value().attr("data-embed"),
            Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1")
        );
        // Nothing on the page loads from another origin.
        for el in html.select(&sel("iframe, img, script[src], link[href]")) {
            let src = el
                .value()
                .attr("src")
                .or(el.value().attr("href"))
                .unwrap_or("");
            assert!(
                !src.contains("://") || el.value().name() == "link",
                "{page}: {src}"
            );
        }
        assert_eq!(html.select(&sel("iframe")).count(), 0, "{page}");
        assert_eq!(
            html.select(&sel("script[src$='embed.js']")).count(),
            1,
            "{page}"
        );
    }
    let plain = site.html("public/talks/elsewhere/index.html");
    assert_eq!(plain.select(&sel(".video-embed")).count(), 0);
    assert_eq!(plain.select(&sel("script[src$='embed.js']")).count(), 0);
    assert_eq!(plain.select(&sel(".talk-links a.video")).count(), 1);
    assert!(site.read("public/embed.js").contains("data-embed"));
}

/// `serve` keeps the post's frame and fills in the word count's values (the reading time, the
/// JSON-LD) as pieces of their own with the built-in templates; the post must be byte for byte
/// what the template writes with the real values, as it does for a site's own copy of the
/// same templates (rendered whole), escaping included — and a title holding the very text of
/// the markers where the values go is never replaced.
#[test]
fn the_post_with_its_word_count_filled_in_is_what_its_template_writes() {
    for markers in [false, true] {
        let site = Site::english();
        let yaml = site.read("summit.yaml");
        site.write(
            "summit.yaml",
            format!("{yaml}labels:\n  reading_time: \"{{minutes}} min & <read> \\\"'\"\n"),
        );
        if markers {
            let title = r#""\x01summit-gen:reading-time\x01 \x01summit-gen:json-ld\x01""#;
            talk(
                &site,
                "m",
                &format!("title: {title}\nspeakers: [A]"),
                "Text.\n",
            );
        }
        site.build().success();
        let built_in = site.read("public/index.html");
        assert!(
            built_in.contains("min &amp; &lt;read&gt; &quot;"),
            "{built_in}"
        );
        assert!(built_in.contains("\"wordCount\":"));
        assert_eq!(
            built_in.contains("\u{1}summit-gen:json-ld\u{1}</a>"),
            markers
        );
        for own in ["index.html", "base.html"] {
            let copy = Site::copy_of(site.path());
            let theme = match own {
                "index.html" => include_str!("../../templates/index.html"),
                _ => include_str!("../../templates/base.html"),
            };
            copy.write(&format!("templates/{own}"), theme);
            copy.build().success();
            let post = copy.read("public/index.html");
            assert!(post == built_in, "with its own {own}: {post}");
        }
    }
}
