//! The Atom feed (`pages.feed`: an entry per post, `talks`, or off), what a base URL that is
//! not a full one leaves out (and that `build` and `check` say so), and `robots.txt` only
//! where crawlers read it.

use crate::support::{Site, fixture};

/// The `<id>`s of a feed's entries, in order.
fn entry_ids(atom: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(atom).expect("atom.xml is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|n| n.has_tag_name("id")))
        .filter_map(|n| n.text().map(str::to_string))
        .collect()
}

fn english_with(pages: &str) -> Site {
    let site = Site::english();
    let yaml = site.read("summit.yaml");
    site.write("summit.yaml", format!("{yaml}{pages}"));
    site
}

const BASE: &str = "https://example.github.io/notes/";

#[test]
fn the_feed_has_one_entry_for_the_post_by_default() {
    let site = Site::english();
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let atom = site.read("public/atom.xml");
    assert_eq!(entry_ids(&atom), [BASE]);
    let doc = roxmltree::Document::parse(&atom).expect("XML");
    let entry = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .expect("entry");
    let child = |name: &str| {
        entry
            .children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    assert_eq!(
        child("title").as_deref(),
        Some("RustConf-ish 2021: my notes")
    );
    assert_eq!(child("updated").as_deref(), Some("2021-03-03T00:00:00Z"));
    assert_eq!(child("published").as_deref(), Some("2021-03-03T00:00:00Z"));
    assert_eq!(
        child("summary").as_deref(),
        Some("What I saw at a made-up two-day conference.")
    );
}

#[test]
fn pages_feed_talks_adds_an_entry_per_talk() {
    let site = english_with("pages:\n  feed: talks\n");
    site.build().success();
    let ids = entry_ids(&site.read("public/atom.xml"));
    assert_eq!(ids.len(), 1 + 5, "{ids:?}");
    assert_eq!(ids[0], BASE);
    assert!(
        ids[1..]
            .iter()
            .all(|id| id.starts_with(&format!("{BASE}talks/"))),
        "{ids:?}"
    );
}

#[test]
fn pages_feed_false_writes_no_feed_and_links_none() {
    let site = english_with("pages:\n  feed: false\n");
    site.build().success();
    assert!(!site.path().join("public/atom.xml").exists());
    assert!(!site.read("public/index.html").contains("atom.xml"));
}

#[test]
fn pages_feed_with_another_value_is_an_error_at_its_position() {
    let site = english_with("pages:\n  feed: posts\n");
    let run = site.build();
    run.failure();
    let line = site.read("summit.yaml").lines().count();
    assert_eq!(
        run.stderr,
        format!(
            "summit.yaml:{line}:9: `pages.feed` cannot be `posts` — write `true` (an entry per post), `talks` (the post and an entry per talk) or `false` (no feed)\nerror: 1 problem found; nothing was written\n"
        )
    );
}

#[test]
fn a_blog_feed_has_an_entry_per_recap_or_per_talk() {
    let site = Site::copy_of(&fixture("blog"));
    site.build().success();
    let per_post = entry_ids(&site.read("public/atom.xml"));
    assert_eq!(per_post.len(), 3, "{per_post:?}");
    let yaml = site.read("summit.yaml");
    site.write("summit.yaml", format!("{yaml}pages:\n  feed: talks\n"));
    site.build().success();
    let per_talk = entry_ids(&site.read("public/atom.xml"));
    // Each recap, then its talks; the recaps in the same order.
    let posts: Vec<&String> = per_talk
        .iter()
        .filter(|id| !id.contains("/talks/"))
        .collect();
    assert_eq!(posts, per_post.iter().collect::<Vec<_>>());
    assert!(per_talk.len() > 3 + 3, "{per_talk:?}");
    assert!(
        per_talk[1].starts_with(&format!("{}talks/", per_post[0])),
        "{per_talk:?}"
    );
}

const LEFT_OUT: &str = "atom.xml, sitemap.xml and robots.txt are left out, as are the pages' canonical links: their addresses must be absolute, and";
const LEFT_OUT_HELP: &str = "— set the site's full address, e.g. `base_url: \"https://user.github.io/repo/\"` (the Pages workflow passes it with `--base-url`), or switch these off under `pages:`\n";

#[test]
fn build_and_check_say_what_a_path_only_base_url_leaves_out() {
    let site = Site::english();
    let yaml = site.read("summit.yaml").replace(BASE, "/");
    site.write("summit.yaml", &yaml);
    let line = yaml
        .lines()
        .position(|l| l.starts_with("base_url"))
        .expect("base_url")
        + 1;
    let expected = format!(
        "warning: summit.yaml:{line}:11: {LEFT_OUT} `base_url` \"/\" is a path {LEFT_OUT_HELP}"
    );
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        run.success();
        assert_eq!(run.stderr, expected, "{command}");
        let verbose = site.run(&["--verbose", command]);
        assert_eq!(verbose.stderr, expected, "{command} --verbose");
        assert_eq!(
            site.run(&["--quiet", command]).stderr,
            "",
            "{command} --quiet"
        );
    }
    assert!(!site.path().join("public/atom.xml").exists());

    let run = Site::english().run(&["build", "--base-url", "/repo/"]);
    assert_eq!(
        run.stderr,
        format!(
            "warning: --base-url: {LEFT_OUT} `--base-url` \"/repo/\" is a path {LEFT_OUT_HELP}"
        )
    );

    let unset = Site::english();
    let yaml = unset.read("summit.yaml");
    let without: String = yaml
        .lines()
        .filter(|l| !l.starts_with("base_url"))
        .map(|l| format!("{l}\n"))
        .collect();
    unset.write("summit.yaml", without);
    assert_eq!(
        unset.build().stderr,
        format!("warning: summit.yaml: {LEFT_OUT} summit.yaml sets no `base_url` {LEFT_OUT_HELP}")
    );
}

#[test]
fn only_the_outputs_switched_on_are_named_and_none_is_silence() {
    let site = english_with("pages:\n  sitemap: false\n");
    let yaml = site.read("summit.yaml").replace(BASE, "/");
    site.write("summit.yaml", &yaml);
    let run = site.build();
    assert!(
        run.stderr
            .starts_with("warning: summit.yaml:5:11: atom.xml is left out, as are"),
        "{}",
        run.stderr
    );
    site.write(
        "summit.yaml",
        yaml.replace("sitemap: false", "sitemap: false\n  feed: false"),
    );
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
}

#[test]
fn a_blog_says_it_once_for_all_its_recaps() {
    let site = Site::copy_of(&fixture("blog"));
    let run = site.run(&["build", "--base-url", "/"]);
    run.success();
    let left: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("left out"))
        .collect();
    assert_eq!(
        left,
        [
            format!("warning: --base-url: {LEFT_OUT} `--base-url` \"/\" is a path {LEFT_OUT_HELP}")
                .trim_end()
        ]
    );
}

#[test]
fn robots_txt_is_written_only_at_a_domain_root() {
    let site = Site::english();
    site.run(&["build", "--base-url", "https://example.github.io/"])
        .success();
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.github.io/sitemap.xml\n"
    );

    // A project site: crawlers never read /project/robots.txt.
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "", "not a warning: nothing would bring it");
    assert!(!site.path().join("public/robots.txt").exists());
    assert!(site.path().join("public/sitemap.xml").exists());
    let verbose = site.run(&["--verbose", "check"]);
    assert_eq!(
        verbose.stderr,
        "note: summit.yaml:5:11: robots.txt is left out: crawlers read it only at a domain's root (/robots.txt), and https://example.github.io/notes/ is below one — sitemap.xml is written: give its address to search engines (e.g. Google Search Console), or list it in the domain's own robots.txt\n"
    );

    let blog = Site::copy_of(&fixture("blog"));
    blog.build().success();
    assert!(!blog.path().join("public/robots.txt").exists());
    blog.run(&["build", "--base-url", "https://notes.example.org/"])
        .success();
    assert!(
        blog.read("public/robots.txt")
            .contains("Sitemap: https://notes.example.org/sitemap.xml")
    );
}
