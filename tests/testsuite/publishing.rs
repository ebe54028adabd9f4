//! Publishing: links under any base path, feeds and metadata that parse, GitHub Pages files,
//! `init`, `new` and `check`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use scraper::Html;

use crate::support::{Site, sel, text, texts, tree};

const SUB_PATH: &str = "https://example.github.io/summit-notes/";
const ROOT: &str = "https://example.github.io/";

/// The URL path a built file is served at (`talks/x/index.html` → `/base/talks/x/`).
fn served_at(base_path: &str, file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("{base_path}{dir}"),
        None => format!("{base_path}{file}"),
    }
}

/// Resolves `href` on the page served at `page_path`, as a browser would; returns the built
/// file it names (or `None` if it leaves the site) and the fragment.
fn resolve(page_path: &str, href: &str, base_path: &str) -> Option<(String, Option<String>)> {
    let (href, fragment) = match href.split_once('#') {
        Some((h, f)) => (h, Some(f.to_string())),
        None => (href, None),
    };
    let joined = if href.is_empty() {
        page_path.to_string()
    } else if href.starts_with('/') {
        href.to_string()
    } else {
        let dir = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{href}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if (joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..")) && path != "/" {
        path.push('/');
    }
    let rel = path.strip_prefix(base_path.trim_end_matches('/'))?;
    let rel = rel.trim_start_matches('/');
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    Some((file, fragment))
}

fn is_external(href: &str) -> bool {
    href.starts_with("//")
        || href
            .split_once(':')
            .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']))
}

/// Walks every page and checks that every internal href and src leads to a built file (and
/// anchor), with the site served under `base`. 404.html is checked as served deep down.
pub(crate) fn assert_links_resolve(site: &Site, base: &str) {
    let base_path = format!("/{}", base.splitn(4, '/').nth(3).unwrap_or(""));
    let files = tree(&site.path().join("public"));
    let names: HashSet<String> = files
        .keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let mut ids: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for name in names.iter().filter(|n| n.ends_with(".html")) {
        let html = Html::parse_document(&String::from_utf8_lossy(&files[Path::new(name)]));
        ids.insert(
            name.clone(),
            html.select(&sel("[id]"))
                .filter_map(|e| e.value().attr("id").map(String::from))
                .collect(),
        );
    }
    let mut checked = 0;
    for name in names.iter().filter(|n| n.ends_with(".html")) {
        let page_path = if name == "404.html" {
            format!("{base_path}no/such/deep/page/")
        } else {
            served_at(&base_path, name)
        };
        let html = Html::parse_document(&String::from_utf8_lossy(&files[Path::new(name)]));
        for el in html.select(&sel("[href], [src]")) {
            let href = el
                .value()
                .attr("href")
                .or(el.value().attr("src"))
                .unwrap_or_default();
            if is_external(href) {
                continue;
            }
            // `#x` is this very document, wherever it is served.
            let (file, fragment) = match href.strip_prefix('#') {
                Some(f) => (name.clone(), Some(f.to_string())),
                None => resolve(&page_path, href, &base_path)
                    .unwrap_or_else(|| panic!("{name}: `{href}` leaves the site (base {base})")),
            };
            let target = if names.contains(&file) {
                file
            } else {
                panic!("{name}: `{href}` → {file}, which was not built (base {base})")
            };
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                assert!(
                    ids.get(&target).is_some_and(|set| set.contains(&f)),
                    "{name}: `{href}` → {target} has no #{f}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn every_link_resolves_under_a_project_path_and_at_the_root() {
    for base in [SUB_PATH, ROOT] {
        for site in [Site::example(), Site::english()] {
            site.run(&["build", "--base-url", base]).success();
            assert_links_resolve(&site, base);
        }
    }
}

#[test]
fn feeds_sitemap_and_robots_use_absolute_urls_under_the_base() {
    let site = Site::example();
    let yaml = site.read("summit.yaml");
    site.write("summit.yaml", format!("{yaml}pages:\n  feed: talks\n"));
    site.run(&["build", "--base-url", SUB_PATH]).success();
    let files: HashSet<String> = tree(&site.path().join("public"))
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();

    let atom = site.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 9, "the post and its 8 talks");
    for link in doc.descendants().filter(|n| n.has_tag_name("link")) {
        let href = link.attribute("href").expect("href");
        assert!(href.starts_with(SUB_PATH), "{href}");
    }
    for e in &entries {
        for child in ["id", "title", "updated", "summary"] {
            assert!(
                e.children().any(|n| n.has_tag_name(child)),
                "entry without {child}"
            );
        }
    }

    let sitemap = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let locs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        locs.len(),
        1 + 8
            + 1
            + 1
            + files
                .iter()
                .filter(|f| f.starts_with("tags/") && f != &"tags/index.html")
                .count()
    );
    for loc in locs {
        let rel = loc
            .strip_prefix(SUB_PATH)
            .unwrap_or_else(|| panic!("{loc}"));
        assert!(
            files.contains(&format!("{rel}index.html")),
            "{loc} not built"
        );
    }
    // Crawlers read robots.txt only at a domain's root.
    assert!(!files.contains("robots.txt"));
}

#[test]
fn post_metadata_json_ld_and_open_graph() {
    let site = Site::example();
    site.run(&["build", "--base-url", SUB_PATH]).success();
    let html = site.html("public/index.html");
    let attr = |selector: &str, name: &str| {
        html.select(&sel(selector))
            .next()
            .and_then(|e| e.value().attr(name).map(String::from))
            .unwrap_or_else(|| panic!("{selector}"))
    };
    assert_eq!(attr("link[rel=canonical]", "href"), SUB_PATH);
    assert_eq!(attr("meta[property='og:url']", "content"), SUB_PATH);
    assert_eq!(attr("meta[property='og:type']", "content"), "article");
    assert_eq!(attr("meta[property='og:locale']", "content"), "da_DK");
    // The example's cover (issue 15, point 3).
    assert_eq!(
        attr("meta[name='twitter:card']", "content"),
        "summary_large_image"
    );
    assert_eq!(
        attr("meta[property='og:image']", "content"),
        format!("{SUB_PATH}img/cover.svg")
    );
    assert!(attr("meta[name=description]", "content").starts_with("Mine noter"));
    assert_eq!(
        attr("link[rel=alternate][type='application/atom+xml']", "href"),
        "atom.xml"
    );

    let script = html
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .expect("JSON-LD");
    let ld: serde_json::Value =
        serde_json::from_str(&script.text().collect::<String>()).expect("JSON");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "Kafka Summit 2020: opsummering");
    assert_eq!(ld["datePublished"], "2020-08-26");
    assert_eq!(ld["author"]["name"], "summit-gen");
    assert!(
        ld["wordCount"].as_u64().is_some_and(|n| n > 1500),
        "{}",
        ld["wordCount"]
    );
    assert_eq!(ld["url"], SUB_PATH);
    let event = &ld["about"];
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["name"], "Kafka Summit 2020");
    assert_eq!(event["startDate"], "2020-08-24");
    assert_eq!(event["endDate"], "2020-08-25");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(event["location"]["@type"], "VirtualLocation");
}

#[test]
fn calendar_is_valid_rfc_5545() {
    let site = Site::english();
    site.run(&["build", "--base-url", SUB_PATH]).success();
    let raw = std::fs::read(site.path().join("public/schedule.ics")).expect("schedule.ics");
    let ics = String::from_utf8(raw.clone()).expect("UTF-8");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let calendar: icalendar::Calendar = ics.parse().expect("parses as iCalendar");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    // Four talks have a start time; the untimed one and the draft are not in the calendar.
    assert_eq!(events.len(), 4);
    use icalendar::Component as _;
    let keynote = events
        .iter()
        .find(|e| {
            e.get_summary() == Some("Keynote")
                && e.property_value("DTSTART") == Some("20210301T080000Z")
        })
        .expect("09:00 in Copenhagen is 08:00 UTC in March");
    assert_eq!(keynote.property_value("DTEND"), Some("20210301T084500Z"));
    assert_eq!(keynote.property_value("DTSTAMP"), Some("20210303T000000Z"));
    assert_eq!(
        keynote.property_value("URL"),
        Some(format!("{SUB_PATH}talks/keynote/").as_str())
    );
    let uids: HashSet<_> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), 4);
    let escaped = events
        .iter()
        .find(|e| e.get_summary().is_some_and(|s| s.starts_with("<script>")))
        .expect("the escaped title");
    assert_eq!(
        escaped.get_summary(),
        Some("<script>alert(1)</script> & friends")
    );
}

#[test]
fn github_pages_files() {
    let site = Site::english();
    site.write(
        "summit.yaml",
        site.read("summit.yaml")
            .replace("language: en\n", "language: en\ncname: notes.example.org\n"),
    );
    site.run(&["build", "--base-url", "https://notes.example.org/"])
        .success();
    assert_eq!(site.read("public/.nojekyll"), "");
    assert_eq!(site.read("public/CNAME"), "notes.example.org\n");
    let page = site.html("public/404.html");
    assert_eq!(texts(page.root_element(), "h1"), ["Page not found"]);
    let css = page
        .select(&sel("link[rel=stylesheet]"))
        .next()
        .expect("css");
    assert_eq!(css.value().attr("href"), Some("/style.css"));

    site.run(&["build", "--base-url", SUB_PATH]).success();
    let page = site.html("public/404.html");
    let css = page
        .select(&sel("link[rel=stylesheet]"))
        .next()
        .expect("css");
    assert_eq!(css.value().attr("href"), Some("/summit-notes/style.css"));
}

#[test]
fn extra_pages_can_be_switched_off() {
    let site = Site::english();
    site.write(
        "summit.yaml",
        site.read("summit.yaml")
            + "pages: {talks: false, speakers: false, tags: false, feed: false, sitemap: false, calendar: false}\n",
    );
    site.build().success();
    let mut built: Vec<String> = tree(&site.path().join("public"))
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    built.sort();
    assert_eq!(
        built,
        [
            ".nojekyll",
            ".summit-gen",
            "404.html",
            "embed.js",
            "index.html",
            "style.css"
        ]
    );
    let html = site.html("public/index.html");
    let title = html
        .select(&sel("#keynote h3 a"))
        .next()
        .expect("title link");
    assert_eq!(title.value().attr("href"), Some("#keynote"));
    assert_eq!(html.select(&sel(".site-nav")).count(), 0);
}

#[test]
fn talk_speaker_and_tag_pages_link_both_ways() {
    let site = Site::english();
    site.build().success();
    let talk = site.html("public/talks/keynote-2/index.html");
    assert_eq!(texts(talk.root_element(), "h1"), ["Keynote"]);
    let back = talk.select(&sel("p.back a")).next().expect("back link");
    assert_eq!(back.value().attr("href"), Some("../../#keynote-2"));
    let prev = talk.select(&sel("a[rel=prev]")).next().expect("previous");
    assert_eq!(prev.value().attr("href"), Some("../../talks/keynote/"));
    // Note headings start at h2 under the page's h1.
    assert_eq!(texts(talk.root_element(), ".notes h2"), ["Highlights"]);

    let speakers = site.html("public/speakers/index.html");
    let names = texts(speakers.root_element(), ".speaker-name");
    assert_eq!(
        names,
        [
            "Ada Lovelace",
            "Alan Turing",
            "Bobby <b>Tables</b>",
            "Everyone",
            "Grace Hopper"
        ]
    );
    let ada = speakers
        .select(&sel("#speaker-ada-lovelace"))
        .next()
        .expect("Ada");
    assert_eq!(texts(ada, "li a"), ["Keynote", "Closing"]);

    let tag = site.html("public/tags/opening/index.html");
    assert_eq!(texts(tag.root_element(), "h1"), ["Tag: opening"]);
    let link = tag.select(&sel(".talk-list a")).next().expect("talk");
    assert_eq!(
        (link.value().attr("href"), text(link)),
        (Some("../../talks/keynote/"), "Keynote".into())
    );
    let post = site.html("public/index.html");
    let tag_link = post
        .select(&sel("#keynote .tags a"))
        .next()
        .expect("tag link");
    assert_eq!(tag_link.value().attr("href"), Some("tags/opening/"));
}

/// `Kafka Streams` and `kafka-streams` are one tag: one page, both talks (they were two
/// pages, `kafka-streams` and `kafka-streams-2`).
#[test]
fn spellings_of_one_tag_share_its_page() {
    let site = Site::english();
    let note = |title: &str, tags: &str| {
        format!("---\ntitle: {title}\nspeakers: [S]\nday: 2\ntags: {tags}\n---\nx\n")
    };
    site.write(
        "content/talks/day-2/s1.md",
        note("Streams one", "[Kafka Streams]"),
    );
    site.write(
        "content/talks/day-2/s2.md",
        note("Streams two", "[kafka-streams, kafka_streams]"),
    );
    site.build().success();
    assert!(!site.path().join("public/tags/kafka-streams-2").exists());
    let page = site.html("public/tags/kafka-streams/index.html");
    assert_eq!(
        texts(page.root_element(), "main li a"),
        ["Streams one", "Streams two"]
    );
    let index = site.html("public/tags/index.html");
    let names = texts(index.root_element(), "main li");
    assert_eq!(
        names
            .iter()
            .filter(|n| n.to_lowercase().contains("streams"))
            .count(),
        1,
        "{names:?}"
    );
    let talk = site.html("public/index.html");
    let hrefs: Vec<&str> = talk
        .select(&sel("#streams-two .tags a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["tags/kafka-streams/", "tags/kafka-streams/"]);
}

#[test]
fn links_between_notes_are_rewritten_for_each_page() {
    let site = Site::english();
    site.write(
        "content/talks/day-2/refers.md",
        "---\ntitle: Refers\nspeakers: [R]\nday: 2\nstart: \"12:00\"\n---\nSee [the other keynote](../day-1/a-keynote.md#highlights) and ![a diagram](img/d.svg).\n",
    );
    site.write(
        "static/img/d.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build().success();
    let post = site.html("public/index.html");
    let a = post.select(&sel("#refers .notes a")).next().expect("link");
    assert_eq!(a.value().attr("href"), Some("#keynote-2--highlights"));
    let img = post.select(&sel("#refers .notes img")).next().expect("img");
    assert_eq!(img.value().attr("src"), Some("img/d.svg"));
    let page = site.html("public/talks/refers/index.html");
    let a = page.select(&sel(".notes a")).next().expect("link");
    assert_eq!(
        a.value().attr("href"),
        Some("../../talks/keynote-2/#keynote-2--highlights")
    );
    let img = page.select(&sel(".notes img")).next().expect("img");
    assert_eq!(img.value().attr("src"), Some("../../img/d.svg"));
    site.run(&["check"]).success();
}

/// Regression: relative `slides`, `links` and speaker `url`s in front matter were written
/// as is, so they pointed into `talks/<slug>/` on the talk pages.
#[test]
fn front_matter_paths_work_on_every_page() {
    let site = Site::english();
    site.write(
        "content/talks/day-2/paths.md",
        "---\ntitle: Paths\nspeakers:\n  - name: P\n    url: /people/p/\nday: 2\nstart: \"12:00\"\nslides: slides/paths.pdf\nlinks:\n  - title: Diagram\n    url: /img/d.svg\n  - title: Elsewhere\n    url: https://example.org/x\n---\nText.\n",
    );
    site.write("static/slides/paths.pdf", "%PDF-1.4\n");
    site.write(
        "static/img/d.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "static/people/p/index.html",
        "<!doctype html><title>P</title>",
    );
    site.run(&[
        "build",
        "--base-url",
        "https://example.github.io/summit-notes/",
    ])
    .success();
    let hrefs = |page: &scraper::Html, selector: &str| -> Vec<String> {
        page.select(&sel(selector))
            .filter_map(|a| a.value().attr("href").map(String::from))
            .collect()
    };
    let post = site.html("public/index.html");
    assert_eq!(
        hrefs(&post, "#paths .talk-links a"),
        ["slides/paths.pdf", "img/d.svg", "https://example.org/x"]
    );
    // Names lead to the speakers page, which links the speaker's own url.
    assert_eq!(hrefs(&post, "#paths .speakers a"), ["speakers/#speaker-p"]);
    let page = site.html("public/talks/paths/index.html");
    assert_eq!(
        hrefs(&page, ".talk-links a"),
        [
            "../../slides/paths.pdf",
            "../../img/d.svg",
            "https://example.org/x"
        ]
    );
    assert_eq!(hrefs(&page, ".speakers a"), ["../../speakers/#speaker-p"]);
    let speakers = site.html("public/speakers/index.html");
    assert!(
        hrefs(&speakers, ".speaker-name a").contains(&"../people/p/".to_string()),
        "speakers page"
    );
    assert_links_resolve(&site, "https://example.github.io/summit-notes/");
    site.run(&["check"]).success();
}

#[test]
fn check_passes_the_example_and_finds_planted_problems() {
    let site = Site::example();
    let run = site.run(&["check"]);
    run.success();
    assert!(run.stdout.starts_with("Checked "), "{}", run.stdout);
    assert!(!site.path().join("public").exists(), "check wrote files");

    let site = Site::english();
    site.write(
        "content/talks/day-2/broken.md",
        "---\ntitle: Broken\nspeakers: [B]\nday: 2\n---\nA [missing note](nope.md) here.\n\nAn [anchor that is not there](../day-1/a-keynote.md#no-such-heading).\n",
    );
    let run = site.run(&["check"]);
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/day-2/broken.md:6:3: broken link `nope.md`: there is no note content/talks/day-2/nope.md — fix the link, or the heading or note it points to\n\
         content/talks/day-2/broken.md:8:4: broken link `../day-1/a-keynote.md#no-such-heading`: content/talks/day-1/a-keynote.md has no heading #no-such-heading (its headings are #highlights) — fix the link, or the heading or note it points to\n\
         error: 2 problems found\n"
    );
    assert!(!site.path().join("public").exists(), "check wrote files");
}

/// A link to a draft says so, instead of claiming there is no such note.
#[test]
fn check_names_a_link_to_a_draft() {
    let site = Site::english();
    site.write(
        "content/talks/day-2/teaser.md",
        "---\ntitle: Teaser\nspeakers: [T]\nday: 2\n---\nSee [the draft](../day-1/draft.md).\n",
    );
    let run = site.run(&["check"]);
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/day-2/teaser.md:6:5: broken link `../day-1/draft.md`: content/talks/day-1/draft.md is a draft, left out of the build (`--drafts` builds it) — fix the link, or the heading or note it points to\n\
         error: 1 problem found\n"
    );
    site.run(&["check", "--drafts"]).success();
}

#[test]
fn init_makes_a_site_that_builds_with_a_pages_workflow() {
    let parent = Site::empty();
    let run = parent.run(&["init", "my-summit"]);
    run.success();
    let dir = parent.path().join("my-summit");
    let workflow =
        std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).expect("workflow");
    let yaml: serde_json::Value = serde_saphyr::from_str(&workflow).expect("workflow is YAML");
    let uses: Vec<String> = yaml["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().cloned().unwrap_or_default())
        .filter_map(|step| step["uses"].as_str().map(String::from))
        .collect();
    for action in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action} missing from {uses:?}"
        );
    }
    assert_eq!(yaml["permissions"]["pages"], "write");
    assert_eq!(yaml["permissions"]["id-token"], "write");
    assert_eq!(yaml["concurrency"]["group"], "pages");
    // How it installs summit-gen: tests/testsuite/release.rs.
    assert_eq!(yaml["env"]["SUMMIT_GEN_VERSION"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).expect("gitignore"),
        "/public/\n/.public.summit-gen-*\n"
    );

    let built = std::process::Command::new(env!("CARGO_BIN_EXE_summit-gen"))
        .args(["build"])
        .current_dir(&dir)
        .output()
        .expect("build");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let html = Html::parse_document(
        &std::fs::read_to_string(dir.join("public/index.html")).expect("index"),
    );
    assert_eq!(
        texts(html.root_element(), "article.talk h3"),
        ["Opening keynote", "Closing keynote"]
    );
    // The starter's empty `author: ""` and friends leave no empty values in the JSON-LD.
    let script = html
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .expect("JSON-LD");
    let ld: serde_json::Value = serde_json::from_str(&script.inner_html()).expect("JSON");
    fn empty_strings(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.trim().is_empty() => out.push(at.to_string()),
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    empty_strings(v, &format!("{at}.{k}"), out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    empty_strings(v, &format!("{at}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut empty = Vec::new();
    empty_strings(&ld, "", &mut empty);
    assert!(empty.is_empty(), "empty JSON-LD values: {empty:?}");
    // Its notes have no tags yet: no empty tags page, and no link to one.
    assert!(!dir.join("public/tags").exists(), "an empty tags page");
    assert_eq!(html.select(&sel("a[href='tags/']")).count(), 0);
    assert_eq!(html.select(&sel("a[href='speakers/']")).count(), 1);

    // A folder with something in it is refused, unless --force.
    let again = parent.run(&["init", "my-summit"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
    parent
        .run(&["init", "my-summit", "--force", "--language", "da"])
        .success();
    assert!(
        dir.join("public/index.html").is_file(),
        "--force removed files"
    );

    // A fresh clone (only `.git/`) is an empty folder for init.
    parent.write("clone/.git/HEAD", "ref: refs/heads/main\n");
    parent.run(&["init", "clone"]).success();
    assert!(parent.path().join("clone/summit.yaml").is_file());
    assert!(parent.path().join("clone/.git/HEAD").is_file());
}

#[test]
fn new_writes_a_note_that_builds() {
    let site = Site::english();
    let run = site.run(&[
        "new",
        "Kafka: the good parts #1",
        "--day",
        "2",
        "--speaker",
        "Zoë Ørsted",
    ]);
    run.success();
    assert_eq!(
        run.stdout,
        "Created content/talks/day-2/kafka-the-good-parts-1.md\n"
    );
    // The same title again gets its own file.
    let run = site.run(&[
        "new",
        "Kafka: the good parts #1",
        "--day",
        "2",
        "--speaker",
        "Zoë Ørsted",
    ]);
    assert_eq!(
        run.stdout,
        "Created content/talks/day-2/kafka-the-good-parts-1-2.md\n"
    );
    site.build().success();
    let html = site.html("public/index.html");
    let day2 = texts(html.root_element(), "section#day-2 article.talk h3");
    assert_eq!(
        day2.iter()
            .filter(|t| *t == "Kafka: the good parts #1")
            .count(),
        2,
        "{day2:?}"
    );
    assert!(
        texts(html.root_element(), "section#day-2 .speaker").contains(&"Zoë Ørsted".to_string())
    );

    let bad = site.run(&["new", "X", "--day", "9"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr
            .starts_with("--day: day 9 does not exist — summit.yaml defines days 1 to 2"),
        "{}",
        bad.stderr
    );

    // Two speakers, and the day given by its date.
    const DAY_1: &str = "2021-03-01";
    const DAY_2: &str = "2021-03-02";
    let run = site.run(&[
        "new",
        "Pairing",
        "--day",
        DAY_2,
        "--speaker",
        "Ada",
        "--speaker",
        "Bob",
    ]);
    run.success();
    assert_eq!(run.stdout, "Created content/talks/day-2/pairing.md\n");
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(
        texts(html.root_element(), "#pairing .speaker"),
        ["Ada", "Bob"]
    );
    let bad = site.run(&["new", "X", "--day", "1999-01-01"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.starts_with(&format!(
            "--day: 1999-01-01 is not a day of the event — summit.yaml lists {DAY_1}, {DAY_2}"
        )),
        "{}",
        bad.stderr
    );
}

/// This repository publishes its own example the same way.
#[test]
fn the_repository_publishes_its_example_on_pages() {
    let path = crate::support::repo().join(".github/workflows/pages.yml");
    let workflow = std::fs::read_to_string(path).expect("workflow");
    let yaml: serde_json::Value = serde_saphyr::from_str(&workflow).expect("YAML");
    let steps = yaml["jobs"]["build"]["steps"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.starts_with("cargo run --release --locked -- build --base-url")),
        "{runs:?}"
    );
    let deploy = yaml["jobs"]["deploy"]["steps"][0]["uses"]
        .as_str()
        .unwrap_or_default();
    assert!(deploy.starts_with("actions/deploy-pages@"), "{deploy}");
}
