//! A blog of recaps (issue 13): a folder of recaps under `posts/` builds as one site.

use crate::publishing::assert_links_resolve;
use crate::support::{Site, fixture, sel, texts};

const CNAME_WARNING: &str = "warning: posts/rustfest-2021/summit.yaml:4:1: `cname` is the blog's: a recap's own is ignored — remove it here; set `cname` in the blog's summit.yaml\n";

fn blog() -> Site {
    Site::copy_of(&fixture("blog"))
}

#[test]
fn the_index_lists_every_recap_newest_first() {
    let site = blog();
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, CNAME_WARNING);
    assert!(run.stdout.contains("(6 talks)"), "{}", run.stdout);
    let html = site.html("public/index.html");
    let root = html.root_element();
    assert_eq!(root.value().attr("lang"), Some("en"));
    assert_eq!(texts(root, "h1"), ["Conference notes"]);
    assert_eq!(
        texts(root, "article.recap h2"),
        [
            "KubeCon EU 2024 recap",
            "RustFest 2021: my notes",
            "Kafka Summit 2020: opsummering"
        ]
    );
    assert_eq!(
        texts(root, "article.recap .event"),
        [
            "KubeCon + CloudNativeCon Europe 2024 · Paris · 20 March 2024 – 22 March 2024",
            "RustFest 2021 · Zürich · 17 June 2021 – 18 June 2021",
            "Kafka Summit 2020 · Virtual event · 24 August 2020",
        ]
    );
    assert_eq!(
        texts(root, "article.recap .talk-count"),
        ["2 talks", "2 talks", "2 talks"]
    );
    assert_eq!(texts(root, "article.recap .reading-time")[0], "1 min read");
    assert_eq!(
        texts(root, "article.recap .description")[0],
        "Operators everywhere."
    );
    let recommended: Vec<_> = html
        .select(&sel("article.recap .recommended a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        recommended,
        [
            "kubecon-eu-2024/talks/writing-operators/",
            "rustfest-2021/talks/async-in-depth/",
            "kafka-summit-2020/talks/kafka-streams-i-praksis/",
        ]
    );
    let script = html
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .expect("JSON-LD");
    let ld: serde_json::Value =
        serde_json::from_str(&script.text().collect::<String>()).expect("JSON");
    assert_eq!(ld["@type"], "Blog");
    assert_eq!(ld["blogPost"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        ld["blogPost"][0]["url"],
        "https://example.github.io/notes/kubecon-eu-2024/"
    );
}

#[test]
fn each_recap_keeps_its_own_language_under_its_folder() {
    let site = blog();
    site.build().success();
    let da = site.html("public/kafka-summit-2020/index.html");
    assert_eq!(da.root_element().value().attr("lang"), Some("da"));
    assert_eq!(
        texts(da.root_element(), "section.day h2"),
        ["Opsummering af dag 1"]
    );
    assert_eq!(
        texts(da.root_element(), ".post-header time"),
        ["Publiceret 26. august 2020"]
    );
    let en = site.html("public/rustfest-2021/index.html");
    assert_eq!(en.root_element().value().attr("lang"), Some("en"));
    assert_eq!(
        texts(en.root_element(), "section.day h2"),
        ["Day 1 recap", "Day 2 recap"]
    );
    // The recap inherits the blog's author; its navigation leads home to the blog.
    assert_eq!(
        texts(en.root_element(), ".post-header .author"),
        ["Test Writer"]
    );
    let home = en.select(&sel(".site-nav a")).next().expect("home link");
    assert_eq!(home.value().attr("href"), Some("../"));
    assert_eq!(crate::support::text(home), "Conference notes");
    let ld = en
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .expect("JSON-LD");
    let ld: serde_json::Value = serde_json::from_str(&ld.text().collect::<String>()).expect("JSON");
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["about"]["@type"], "Event");
    assert_eq!(ld["url"], "https://example.github.io/notes/rustfest-2021/");
    assert!(
        site.path()
            .join("public/rustfest-2021/talks/async-in-depth/index.html")
            .is_file()
    );
    assert!(
        site.path()
            .join("public/rustfest-2021/schedule.ics")
            .is_file()
    );
    // `cname` belongs to the blog, which sets none.
    assert!(!site.path().join("public/CNAME").exists());
}

#[test]
fn a_speaker_at_two_conferences_is_one_entry_with_both_talks() {
    let site = blog();
    site.build().success();
    let html = site.html("public/speakers/index.html");
    let anna = html
        .select(&sel("#speaker-anna-berg"))
        .next()
        .expect("Anna's entry");
    assert_eq!(
        texts(anna, "li li"),
        [
            "Writing operators · KubeCon + CloudNativeCon Europe 2024",
            "Kafka Streams i praksis · Kafka Summit 2020",
        ]
    );
    assert_eq!(html.select(&sel("[id^=speaker-anna]")).count(), 1);
    // A tag used in two recaps (spelt two ways) is one page listing both.
    let kafka = site.html("public/tags/kafka/index.html");
    assert_eq!(
        texts(kafka.root_element(), ".talk-list li"),
        [
            "Async in depth · RustFest 2021",
            "Kafka Streams i praksis · Kafka Summit 2020",
            "ksqlDB · Kafka Summit 2020",
        ]
    );
}

#[test]
fn the_feed_has_one_entry_per_recap_with_absolute_links() {
    let site = blog();
    site.build().success();
    let atom = site.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    let ids: Vec<_> = entries
        .iter()
        .filter_map(|e| e.children().find(|n| n.has_tag_name("id")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.github.io/notes/kubecon-eu-2024/",
            "https://example.github.io/notes/rustfest-2021/",
            "https://example.github.io/notes/kafka-summit-2020/",
        ]
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap
            .contains("<loc>https://example.github.io/notes/kafka-summit-2020/talks/ksqldb/</loc>")
    );
    assert!(sitemap.contains("<loc>https://example.github.io/notes/speakers/</loc>"));
    assert_eq!(site.read("public/.nojekyll"), "");
    // Below a path: crawlers would never read it.
    assert!(!site.path().join("public/robots.txt").exists());
}

#[test]
fn every_link_of_a_blog_resolves_at_the_root_and_under_a_project_path() {
    for base in [
        "https://example.github.io/",
        "https://example.github.io/notes/",
    ] {
        let site = blog();
        site.run(&["build", "--base-url", base]).success();
        assert_links_resolve(&site, base);
        let run = site.run(&["check", "--base-url", base]);
        run.success();
    }
}

#[test]
fn a_recap_folder_builds_on_its_own_as_before() {
    let site = Site::copy_of(&fixture("blog").join("posts/kafka-summit-2020"));
    // Alone, its link into another recap of the blog leads nowhere, and a broken link fails
    // the build (issue 15.8): it says so at the link.
    let run = site.build();
    run.failure();
    assert!(
        run.stderr.starts_with("content/talks/streams.md:12:33: broken link `../../../kubecon-eu-2024/content/talks/operators.md#reconcile-loops`: it leads out of the site"),
        "{}",
        run.stderr
    );
    let note = "content/talks/streams.md";
    let text = site.read(note).replace(
        "[KubeCon](../../../kubecon-eu-2024/content/talks/operators.md#reconcile-loops)",
        "KubeCon",
    );
    site.write(note, text);
    let run = site.build();
    run.success();
    // Alone it has no base URL (the blog's was its): only that is said.
    assert!(
        run.stderr
            .starts_with("warning: summit.yaml: atom.xml, sitemap.xml and robots.txt are left out")
            && run.stderr.lines().count() == 1,
        "{}",
        run.stderr
    );
    let html = site.html("public/index.html");
    assert_eq!(html.root_element().value().attr("lang"), Some("da"));
    assert!(site.path().join("public/speakers/index.html").is_file());
}

/// Issue 13: a note may link to a note of another recap by its path
/// (`../../../kubecon-eu-2024/content/talks/operators.md`); that used to be "a path out of
/// the site". It leads to the other recap's talk page, from the post and from the talk page.
#[test]
fn a_link_to_another_recaps_note_leads_to_its_talk() {
    let site = blog();
    site.build().success();
    let href = |page: &str| {
        let html = site.html(page);
        html.select(&sel(".talk-notes a, .notes a, article a"))
            .filter_map(|a| a.value().attr("href").map(String::from))
            .find(|h| h.contains("kubecon"))
            .unwrap_or_else(|| panic!("no link to KubeCon on {page}"))
    };
    assert_eq!(
        href("public/kafka-summit-2020/index.html"),
        "../kubecon-eu-2024/talks/writing-operators/#writing-operators--reconcile-loops"
    );
    assert_eq!(
        href("public/kafka-summit-2020/talks/kafka-streams-i-praksis/index.html"),
        "../../../kubecon-eu-2024/talks/writing-operators/#writing-operators--reconcile-loops"
    );
    let run = site.run(&["check"]);
    run.success();
    assert_eq!(run.stderr, CNAME_WARNING);
    assert!(run.stdout.contains("no problems"), "{}", run.stdout);
}

#[test]
fn check_reports_a_broken_link_to_another_recap_at_its_place() {
    let site = blog();
    let note = "posts/kafka-summit-2020/content/talks/ksql.md";
    let text = site.read(note);
    site.write(
        note,
        format!(
            "{text}\nSe [intet](../../../kubecon-eu-2024/content/talks/nope.md) og [ingen overskrift](../../../kubecon-eu-2024/content/talks/gitops.md#nowhere).\n"
        ),
    );
    let run = site.run(&["check"]);
    run.failure();
    // The build itself fails on them now (issue 15.8), so the warnings of a build that
    // succeeds are not printed.
    assert_eq!(
        run.stderr,
        format!(
            "{note}:10:4: broken link `../../../kubecon-eu-2024/content/talks/nope.md`: there is no note posts/kubecon-eu-2024/content/talks/nope.md — fix the link, or the heading or note it points to\n\
             {note}:10:63: broken link `../../../kubecon-eu-2024/content/talks/gitops.md#nowhere`: posts/kubecon-eu-2024/content/talks/gitops.md has no heading #nowhere (it has no headings) — fix the link, or the heading or note it points to\n\
             error: 2 problems found\n"
        )
    );
}

/// The jail holds for the blog: a recap folder that is a link to a folder outside the blog is
/// skipped with a warning, and none of its files reach the output.
#[cfg(unix)]
#[test]
fn a_recap_folder_linked_from_outside_the_blog_is_skipped() {
    let site = blog();
    let outside = Site::copy_of(&fixture("blog").join("posts/kubecon-eu-2024"));
    std::os::unix::fs::symlink(outside.path(), site.path().join("posts/elsewhere")).expect("link");
    let run = site.build();
    run.success();
    assert_eq!(
        run.stderr,
        format!(
            "warning: posts/elsewhere: skipped: a link to a folder outside the blog, which summit-gen never reads — move the recap's folder into posts/\n{CNAME_WARNING}"
        )
    );
    assert!(!site.path().join("public/elsewhere").exists());
    assert!(!site.read("public/index.html").contains("elsewhere"));
}

#[test]
fn a_recap_folder_name_that_cannot_be_a_url_path_is_an_error() {
    let site = blog();
    let from = fixture("blog").join("posts/kubecon-eu-2024");
    for file in ["summit.yaml", "content/talks/gitops.md"] {
        site.write(
            &format!("posts/kube con 2024/{file}"),
            std::fs::read(from.join(file)).expect("read"),
        );
    }
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "posts/kube con 2024: a recap's folder name is its URL: letters, digits, `-`, `_` and `.` only — rename the folder, e.g. to kafka-summit-2020\n\
         error: 1 problem found; nothing was written\n"
    );
    assert!(!site.path().join("public").exists());
}

/// Recaps are rendered in parallel: when every recap's template fails, the build reports
/// the first recap's error in folder order, as rendering one after another did, each time.
#[test]
fn recaps_failing_to_render_report_the_first_in_folder_order() {
    let site = blog();
    for folder in ["kafka-summit-2020", "kubecon-eu-2024", "rustfest-2021"] {
        let name = folder.replace('-', "_");
        site.write(
            &format!("posts/{folder}/templates/talk.html"),
            format!("{{{{ nope_{name} }}}}"),
        );
    }
    for _ in 0..3 {
        let run = site.build();
        run.failure();
        assert!(
            run.stderr.starts_with(
                "error: template templates/talk.html: error: Variable `nope_kafka_summit_2020` is not defined."
            ),
            "{}",
            run.stderr
        );
    }
}
