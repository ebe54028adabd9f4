//! The English fixture site: labels, ordering, slugs, escaping, drafts, Markdown features.

use crate::support::{Site, sel, text, texts};

#[test]
fn english_labels_and_dates() {
    let site = Site::english();
    site.build().success();
    let html = site.html("public/index.html");
    let root = html.root_element();
    assert_eq!(root.value().attr("lang"), Some("en"));
    assert_eq!(
        texts(root, "section.day > h2"),
        ["Day 1 recap", "The second day"]
    );
    assert_eq!(
        texts(root, ".day-date"),
        ["Monday 1 March 2021", "Tuesday 2 March 2021"]
    );
    assert_eq!(texts(root, ".post-header time"), ["Published 3 March 2021"]);
    assert_eq!(texts(root, ".reading-time"), ["1 min read"]);
    assert_eq!(texts(root, "section.outro > h2"), ["Thanks"]);
    assert_eq!(
        texts(root, ".day-lead"),
        ["The first day opened with two keynotes."]
    );
    // A thematic break in a file without front matter is just a break.
    assert_eq!(texts(root, "section.intro p").len(), 2);
    assert_eq!(root.select(&sel("section.intro hr")).count(), 1);
}

#[test]
fn talks_are_ordered_by_start_then_file_and_get_unique_slugs() {
    let site = Site::english();
    site.build().success();
    let html = site.html("public/index.html");
    let day1 = html.select(&sel("section#day-1")).next().expect("day 1");
    let ids: Vec<_> = day1
        .select(&sel("article.talk"))
        .map(|t| t.value().attr("id").unwrap_or_default().to_string())
        .collect();
    // b-keynote.md starts at 09:00, a-keynote.md at 10:00 (day given as a date), untimed last.
    assert_eq!(ids, ["keynote", "keynote-2", "hallway-track"]);
    assert_eq!(texts(day1, "#keynote .speaker"), ["Ada Lovelace"]);
    assert_eq!(texts(day1, "#keynote-2 .speaker"), ["Grace Hopper (Navy)"]);
    assert_eq!(texts(day1, "#keynote .time"), ["09:00–09:45"]);
    assert_eq!(texts(day1, "#keynote-2 .time"), ["10:00–10:30"]);
    // Same heading in two notes: two different anchors.
    let heading_ids: Vec<_> = day1
        .select(&sel(".notes h4"))
        .map(|h| h.value().attr("id").unwrap_or_default())
        .collect();
    assert_eq!(
        heading_ids,
        ["keynote--highlights", "keynote-2--highlights"]
    );
    let grace = day1
        .select(&sel("#keynote-2 .speaker a"))
        .next()
        .expect("speaker link");
    // A speaker's name leads to their entry on the speakers page (which links their url).
    assert_eq!(
        grace.value().attr("href"),
        Some("speakers/#speaker-grace-hopper")
    );
}

#[test]
fn front_matter_text_is_escaped() {
    let site = Site::english();
    site.build().success();
    let html = site.html("public/index.html");
    let talk = html
        .select(&sel("section#day-2 article.talk"))
        .next()
        .expect("talk");
    assert_eq!(texts(talk, "h3"), ["<script>alert(1)</script> & friends"]);
    assert_eq!(texts(talk, ".speaker"), ["Bobby <b>Tables</b>"]);
    // The only script is the JSON-LD metadata, which holds the title escaped for JSON.
    assert_eq!(
        html.select(&sel("script:not([type=\"application/ld+json\"])"))
            .count(),
        0
    );
    assert_eq!(html.select(&sel(".speaker b")).count(), 0);
    // The note was saved with a BOM and CRLF endings; its table still renders.
    assert_eq!(talk.select(&sel(".notes table td")).count(), 2);
    let repo = talk.select(&sel(".talk-links a")).next().expect("link");
    assert_eq!(
        (repo.value().attr("href"), text(repo)),
        (Some("https://example.org/repo"), "Repo".into())
    );
}

#[test]
fn links_speakers_and_footnotes() {
    let site = Site::english();
    site.build().success();
    let html = site.html("public/index.html");
    let root = html.root_element();
    assert_eq!(
        texts(root, "#closing .speakers"),
        ["Ada Lovelace, Grace Hopper and Alan Turing"]
    );
    let video = root
        .select(&sel("#keynote a.video"))
        .next()
        .expect("video link");
    assert_eq!(
        video.value().attr("href"),
        Some("https://example.org/videos/keynote-1")
    );
    assert_eq!(text(video), "Recording");
    let fn_ref = root
        .select(&sel("#closing .footnote-reference a"))
        .next()
        .expect("footnote");
    let target = fn_ref.value().attr("href").expect("href");
    assert_eq!(target, "#closing--fn--1");
    assert_eq!(root.select(&sel(target)).count(), 1);
    assert_eq!(texts(root, "#keynote .tags li"), ["opening"]);
}

#[test]
fn drafts_only_with_the_flag() {
    let site = Site::english();
    site.build().success();
    let titles = texts(
        site.html("public/index.html").root_element(),
        "article.talk h3",
    );
    assert!(!titles.iter().any(|t| t == "Unfinished note"), "{titles:?}");

    site.run(&["build", "--drafts"]).success();
    let html = site.html("public/index.html");
    let first = texts(html.root_element(), "section#day-1 article.talk h3");
    assert_eq!(first.first().map(String::as_str), Some("Unfinished note"));
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let site = Site::english();
    site.write(
        "templates/talk.html",
        "<article class=\"mine\" id=\"{{ talk.slug }}\"><h3>{{ talk.title | upper }}</h3></article>",
    );
    site.write("static/style.css", "body { color: rebeccapurple }");
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel("article.mine")).count(), 5);
    assert_eq!(texts(html.root_element(), "#closing h3"), ["CLOSING"]);
    assert_eq!(
        site.read("public/style.css"),
        "body { color: rebeccapurple }"
    );
    assert!(site.path().join("public/img/logo.svg").is_file());
}

#[test]
fn a_thematic_break_in_a_note_is_not_a_fence() {
    let site = Site::english();
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel("#closing .notes hr")).count(), 1);
    assert_eq!(
        texts(html.root_element(), "#closing .notes > p")[1],
        "After a thematic break, which is not a front-matter fence."
    );
}

#[test]
fn hidden_files_and_editor_leftovers_are_not_notes() {
    let site = Site::english();
    for name in [
        ".#closing.md",
        "closing.md~",
        ".closing.md.swp",
        "#closing.md#",
        ".hidden/x.md",
    ] {
        site.write(&format!("content/talks/day-2/{name}"), "not a note at all");
    }
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel("article.talk")).count(), 5);
}

/// Markdown in the wrong place or with the wrong ending is not read, and the build says so
/// (it used to skip it without a word).
#[test]
fn notes_the_build_does_not_read_are_named() {
    let site = Site::english();
    let note = "---\ntitle: S\nspeakers: [A]\nday: 1\n---\nx\n";
    site.write("content/stray.md", note);
    site.write("content/talk/typo.md", note);
    site.write("content/talks/day-1/long.markdown", note);
    let run = site.build();
    run.success();
    assert_eq!(
        run.stderr,
        "warning: content/talks/day-1/long.markdown: not read: notes end in `.md` — rename it to content/talks/day-1/long.md\n\
         warning: content/stray.md: not read: talk notes go in content/talks/ (intro.md and outro.md in content/, day texts in content/days/) — move it, e.g. to content/talks/stray.md\n\
         warning: content/talk/typo.md: not read: talk notes go in content/talks/ (intro.md and outro.md in content/, day texts in content/days/) — move it, e.g. to content/talks/typo.md\n"
    );
    assert_eq!(
        site.html("public/index.html")
            .select(&sel("article.talk"))
            .count(),
        5
    );

    let empty = Site::empty();
    empty.write("summit.yaml", site.read("summit.yaml"));
    let run = empty.build();
    run.success();
    assert_eq!(
        run.stderr,
        "warning: content/talks: no talk notes yet — add one with `summit-gen new \"Talk title\" --day 1`\n"
    );
}

/// A site template that replaces nothing and that nothing includes is named (it used to be
/// ignored without a word); a partial that an override includes is fine.
#[test]
fn a_misnamed_template_is_named() {
    let site = Site::english();
    site.write("templates/talk_pge.html", "{{ talk.title }}");
    site.write(
        "templates/talk.html",
        "<article id=\"{{ talk.slug }}\">{% include \"byline.html\" %}</article>",
    );
    site.write("templates/byline.html", "<p>{{ talk.title }}</p>");
    let run = site.build();
    run.success();
    assert_eq!(
        run.stderr,
        "warning: templates/talk_pge.html: no template of the theme has this name, and no template uses it — to replace the built-in `talk_page.html`, name it so\n"
    );
}

/// A render error in the site's own template names it as the site's file.
#[test]
fn a_template_error_names_the_site_template() {
    let site = Site::english();
    site.write("templates/talk_page.html", "{{ post.title }}");
    let run = site.build();
    run.failure();
    assert!(
        run.stderr.starts_with(
            "error: template templates/talk_page.html: error: Variable `post` is not defined."
        ),
        "{}",
        run.stderr
    );
}

/// A heading in one note must not take the anchor of another talk.
#[test]
fn heading_anchors_never_clash_with_talk_anchors() {
    let site = Site::english();
    site.write(
        "content/talks/day-2/kafka.md",
        "---\ntitle: Kafka\nspeakers: [A]\nday: 2\nstart: \"08:00\"\n---\n## Streams\n",
    );
    site.write(
        "content/talks/day-2/kafka-streams.md",
        "---\ntitle: Kafka Streams\nspeakers: [B]\nday: 2\nstart: \"09:00\"\n---\nText.\n",
    );
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel("#kafka-streams")).count(), 1);
    let heading = html.select(&sel("#kafka h4")).next().expect("heading");
    assert_eq!(heading.value().attr("id"), Some("kafka--streams"));
    let mut ids: Vec<_> = html
        .select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "duplicate ids on the page");
}

#[test]
fn version_and_help() {
    let site = Site::empty();
    let run = site.run(&["--version"]);
    run.success();
    // The version, and the commit when built from a checkout (see release.rs).
    let rest = run
        .stdout
        .strip_prefix(&format!("summit-gen {}", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        rest == "\n" || (rest.starts_with(" (") && rest.ends_with(")\n")),
        "{}",
        run.stdout
    );
    let help = site.run(&["build", "--help"]);
    help.success();
    for flag in [
        "--root",
        "--output",
        "--base-url",
        "--drafts",
        "--quiet",
        "--verbose",
    ] {
        assert!(
            help.stdout.contains(flag),
            "{flag} missing from\n{}",
            help.stdout
        );
    }
}
