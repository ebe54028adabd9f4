//! The Markdown stage's tests: headings and their ids, links between notes, the cache,
//! highlighting, word counts, summaries and comments.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;

const TALK: Placement<'static> = Placement {
    id_prefix: "talk",
    shift: 2,
    min_level: 4,
};

fn notes() -> HashMap<PathBuf, NoteTarget> {
    HashMap::from([
        (
            PathBuf::from("content/talks/day-2/other.md"),
            NoteTarget::Talk {
                slug: "other".into(),
                page: true,
            },
        ),
        (
            PathBuf::from("content/intro.md"),
            NoteTarget::Section {
                anchor: "intro".into(),
            },
        ),
    ])
}

/// The page whose file in the recap is `file` (`index.html`, `talks/x/index.html`).
fn at(file: &str) -> crate::route::Route<'_> {
    use crate::route::{Page, Route};
    let page = match file.strip_prefix("talks/") {
        Some(rest) => Page::Talk(rest.trim_end_matches("/index.html")),
        None => Page::Post,
    };
    Route { prefix: "", page }
}

fn render_on(md: &str, page: &str) -> Rendered {
    let notes = notes();
    let env = LinkEnv {
        source: Path::new("content/talks/day-1/talk.md"),
        body_line: 10,
        notes: &notes,
        page: at(page),
        id_prefix: "talk",
        blog: None,
        images: None,
    };
    to_html(md, &TALK, &HashSet::new(), &env, true)
}

fn render(md: &str) -> String {
    render_on(md, "index.html").html
}

#[test]
fn headings_nest_and_get_unique_ids() {
    assert_eq!(
        render("## Hej verden"),
        "<h4 id=\"talk--hej-verden\">Hej verden</h4>\n"
    );
    assert_eq!(render("# Top"), "<h4 id=\"talk--top\">Top</h4>\n");
    assert_eq!(
        render("## A\n\n## A\n"),
        "<h4 id=\"talk--a\">A</h4>\n<h4 id=\"talk--a-2\">A</h4>\n"
    );
    assert_eq!(render("## A {#own}"), "<h4 id=\"own\">A</h4>\n");
}

#[test]
fn ids_avoid_the_pages_own_ids() {
    let fixed = HashSet::from(["talk--a".to_string(), "own".to_string()]);
    let notes = notes();
    let env = LinkEnv {
        source: Path::new("t.md"),
        body_line: 1,
        notes: &notes,
        page: at("index.html"),
        id_prefix: "talk",
        blog: None,
        images: None,
    };
    let html = to_html("## A\n\n## B {#own}\n", &TALK, &fixed, &env, true).html;
    assert_eq!(
        html,
        "<h4 id=\"talk--a-2\">A</h4>\n<h4 id=\"own-2\">B</h4>\n"
    );
}

#[test]
fn footnotes_are_prefixed() {
    let html = render("x[^1]\n\n[^1]: note\n");
    assert!(html.contains("href=\"#talk--fn--1\""), "{html}");
    assert!(html.contains("id=\"talk--fn--1\""), "{html}");
}

#[test]
fn counts_words() {
    let r = render_on("Hej med *dig*, `kode` her.\n\n- et\n- to", "index.html");
    assert_eq!(r.words, 7);
}

#[test]
fn links_between_notes_follow_the_page() {
    let md = "See [other](../day-2/other.md), [its part](../day-2/other.md#Why-it-works), [intro](/content/intro.md) and [below](#notes).\n\n## Notes\n";
    let post = render_on(md, "index.html");
    assert!(post.html.contains("href=\"#other\""), "{}", post.html);
    assert!(
        post.html.contains("href=\"#other--why-it-works\""),
        "{}",
        post.html
    );
    assert!(post.html.contains("href=\"#intro\""), "{}", post.html);
    assert!(post.html.contains("href=\"#talk--notes\""), "{}", post.html);
    let page = render_on(md, "talks/talk/index.html");
    assert!(
        page.html.contains("href=\"../../talks/other/#other\""),
        "{}",
        page.html
    );
    assert!(page.html.contains("href=\"../../#intro\""), "{}", page.html);
    assert!(page.html.contains("href=\"#talk--notes\""), "{}", page.html);
    assert_eq!(
        page.links[0].target,
        LinkTarget::Internal {
            file: "talks/other/index.html".into(),
            fragment: Some("other".into()),
            heading_of: None,
        }
    );
    assert_eq!((page.links[0].line, page.links[0].column), (10, 5));
}

#[test]
fn site_paths_and_broken_links() {
    let r = render_on(
        "![d](img/d.png) [x](/files/x.pdf) [web](https://example.org) [gone](gone.md)\n[out](../../../../x.md)",
        "talks/talk/index.html",
    );
    assert!(r.html.contains("src=\"../../img/d.png\""), "{}", r.html);
    assert!(r.html.contains("href=\"../../files/x.pdf\""), "{}", r.html);
    assert!(
        r.html.contains("href=\"https://example.org\""),
        "{}",
        r.html
    );
    let targets: Vec<_> = r.links.iter().map(|l| &l.target).collect();
    assert_eq!(targets.len(), 4, "{targets:?}");
    assert!(
        matches!(targets[2], LinkTarget::Broken(why) if why == "there is no note content/talks/day-1/gone.md")
    );
    assert!(matches!(targets[3], LinkTarget::Broken(why) if why == "it leads out of the site"));
    assert_eq!((r.links[3].line, r.links[3].column), (11, 1));
}

/// Starts a build of `cache` whose page has the `fixed` ids and no notes to link to.
fn begin(cache: &mut Cache, fixed: HashSet<String>) {
    let signature = |out: &mut Vec<u8>| {
        let mut ids: Vec<&String> = fixed.iter().collect();
        ids.sort();
        for id in ids {
            out.extend_from_slice(id.as_bytes());
            out.push(0xff);
        }
    };
    let make = || (fixed.clone(), HashMap::new());
    let links = Links {
        signature: &signature,
        same_talks: true,
        make: &make,
    };
    cache.begin(links, true, None, Default::default());
}

#[test]
fn cache_renders_again_only_on_change() {
    let mut cache = Cache::retaining();
    begin(&mut cache, HashSet::new());
    let job = |md: &'static str, page: &'static str| Job {
        markdown: md,
        shared: None,
        talk: None,
        place: Placement {
            id_prefix: "t",
            shift: 2,
            min_level: 4,
        },
        source: Path::new("t.md"),
        body_line: 1,
        page: at(page),
    };
    cache.render_all(&[job("## A", "index.html")]);
    assert_eq!(
        cache.get("t", "index.html").unwrap().html,
        "<h4 id=\"t--a\">A</h4>\n"
    );
    cache.render_all(&[job("## B", "index.html"), job("## B", "talks/t/index.html")]);
    assert_eq!(
        cache.get("t", "index.html").unwrap().html,
        "<h4 id=\"t--b\">B</h4>\n"
    );
    // Same shape, no page-dependent link: the talk page shows the post's rendering.
    assert_eq!(
        cache.get("t", "talks/t/index.html").unwrap().html,
        "<h4 id=\"t--b\">B</h4>\n"
    );
    begin(&mut cache, HashSet::from(["t--b".to_string()]));
    cache.render_all(&[job("## B", "index.html")]);
    assert_eq!(
        cache.get("t", "index.html").unwrap().html,
        "<h4 id=\"t--b-2\">B</h4>\n"
    );
}

/// A rebuild keeps a rendering made from the very same shared text without rendering
/// it again, and finds each note's rendering by its prefix when the notes moved (a talk's
/// time changed) since the last build, whose places it guesses from.
#[test]
fn kept_renderings_follow_their_notes_when_the_jobs_move() {
    let mut cache = Cache::retaining();
    begin(&mut cache, HashSet::new());
    let (a, b): (Arc<str>, Arc<str>) = ("## A".into(), "## B".into());
    fn job<'a>(text: &'a str, shared: &'a Arc<str>, id_prefix: &'a str) -> Job<'a> {
        Job {
            markdown: text,
            shared: Some(shared),
            talk: None,
            place: Placement {
                id_prefix,
                shift: 2,
                min_level: 4,
            },
            source: Path::new("t.md"),
            body_line: 1,
            page: at("index.html"),
        }
    }
    let html = |cache: &Cache, at: usize| {
        let r = cache.shown(at)?;
        Some((r.html.clone(), r.html.as_ptr()))
    };
    cache.render_all(&[job("## A", &a, "a"), job("## B", &b, "b")]);
    let (first_a, first_b) = (html(&cache, 0), html(&cache, 1));
    assert_eq!(
        first_a.as_ref().map(|h| h.0.as_str()),
        Some("<h4 id=\"a--a\">A</h4>\n")
    );
    cache.render_all(&[job("## B", &b, "b"), job("## A", &a, "a")]);
    // The same renderings (not made again), each where its note now is.
    assert_eq!(html(&cache, 0), first_b);
    assert_eq!(html(&cache, 1), first_a);
    assert_eq!(
        cache.get("a", "index.html").map(|r| r.html.as_str()),
        Some("<h4 id=\"a--a\">A</h4>\n")
    );
    // A new text for `a`: rendered again.
    let a2: Arc<str> = "## A2".into();
    cache.render_all(&[job("## B", &b, "b"), job("## A2", &a2, "a")]);
    assert_eq!(html(&cache, 0), first_b);
    assert_eq!(
        html(&cache, 1).map(|h| h.0),
        Some("<h4 id=\"a--a2\">A2</h4>\n".to_string())
    );
}

/// A rendering is known fresh by the very talk its job was made from only for the same
/// kind of page: with the intro gone and an outro new, every job moves one place back,
/// and where the last build had the talk's section of the post is now the talk's page.
#[test]
fn a_talk_page_job_where_the_talks_post_job_was_is_shown_its_own_rendering() {
    let body: Arc<str> = "## A".into();
    let talk = Arc::new(crate::model::Talk {
        path: PathBuf::from("t.md"),
        rel: PathBuf::from("t.md"),
        body_line: 1,
        slug: "t".into(),
        title: "T".into(),
        speakers: Vec::new(),
        day: 1,
        start: None,
        end: None,
        duration: None,
        room: None,
        track: None,
        tags: Vec::new(),
        recommended: false,
        rating: None,
        video: None,
        slides: None,
        image: None,
        image_alt: None,
        links: Vec::new(),
        id: None,
        extra: None,
        draft: false,
        unwritten: false,
        body: body.clone(),
    });
    let job = |page: &'static str, shift: u8, min_level: u8| Job {
        markdown: "## A",
        shared: Some(&body),
        talk: Some(&talk),
        place: Placement {
            id_prefix: "t",
            shift,
            min_level,
        },
        source: Path::new("t.md"),
        body_line: 1,
        page: at(page),
    };
    let page = |prefix: &'static str| Job {
        markdown: "Text.",
        shared: None,
        talk: None,
        place: Placement {
            id_prefix: prefix,
            shift: 1,
            min_level: 2,
        },
        source: Path::new("page.md"),
        body_line: 1,
        page: at("index.html"),
    };
    let mut cache = Cache::retaining();
    begin(&mut cache, HashSet::new());
    let (post, own) = ("<h4 id=\"t--a\">A</h4>\n", "<h2 id=\"t--a\">A</h2>\n");
    cache.render_all(&[
        page("intro"),
        job("index.html", 2, 4),
        job("talks/t/index.html", 0, 2),
    ]);
    let html = |cache: &Cache, at: usize| cache.shown(at).map(|r| r.html.clone());
    assert_eq!(html(&cache, 1).as_deref(), Some(post));
    assert_eq!(html(&cache, 2).as_deref(), Some(own));
    begin(&mut cache, HashSet::new());
    cache.render_all(&[
        job("index.html", 2, 4),
        job("talks/t/index.html", 0, 2),
        page("outro"),
    ]);
    assert_eq!(html(&cache, 0).as_deref(), Some(post));
    assert_eq!(html(&cache, 1).as_deref(), Some(own));
}

/// A one-shot build must not hold every talk page's copy of every note: each page is
/// shown as it is rendered (with the post's rendering beside it), only the post's is
/// kept, and nothing is kept once the render is done.
#[test]
fn a_one_shot_cache_keeps_only_the_posts_renderings_and_not_past_the_build() {
    let mut cache = Cache::default();
    begin(&mut cache, HashSet::new());
    let job = |page: &'static str, shift: u8, min_level: u8| Job {
        markdown: "## A",
        shared: None,
        talk: None,
        place: Placement {
            id_prefix: "t",
            shift,
            min_level,
        },
        source: Path::new("t.md"),
        body_line: 1,
        page: at(page),
    };
    // The talk page places headings differently: its own rendering.
    let jobs = [job("talks/t/index.html", 0, 2), job("index.html", 2, 4)];
    let shown = std::sync::Mutex::new(Vec::new());
    let show = |at: usize, page: &Rendered, post: Option<&Rendered>| {
        let post = post.map(|p| p.html.clone());
        let mut shown = shown.lock().unwrap_or_else(|e| e.into_inner());
        shown.push((at, page.html.clone(), post));
        Ok(false)
    };
    let fresh = cache.render(&jobs, Some(&show)).expect("renders");
    cache.insert(fresh, &jobs);
    assert_eq!(
        shown.into_inner().unwrap_or_else(|e| e.into_inner()),
        [(
            0,
            "<h2 id=\"t--a\">A</h2>\n".to_string(),
            Some("<h4 id=\"t--a\">A</h4>\n".to_string())
        )]
    );
    // The page's own rendering is gone; the post's stays for the post.
    let post = "<h4 id=\"t--a\">A</h4>\n";
    assert_eq!(
        cache
            .get("t", "talks/t/index.html")
            .map(|r| r.html.as_str()),
        Some(post)
    );
    assert_eq!(
        cache.get("t", "index.html").map(|r| r.html.as_str()),
        Some(post)
    );
    cache.end();
    assert!(cache.get("t", "index.html").is_none());

    // `serve` keeps everything, past the build too.
    let mut kept = Cache::retaining();
    begin(&mut kept, HashSet::new());
    kept.render_all(&jobs);
    kept.end();
    assert_eq!(
        kept.get("t", "talks/t/index.html").map(|r| r.html.as_str()),
        Some("<h2 id=\"t--a\">A</h2>\n")
    );
}

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let html = render("```rust\nfn main() { let s = \"<b>\"; }\n```\n");
    assert!(
        html.starts_with("<pre tabindex=\"0\"><code class=\"language-rust\"><span class=\"hl-"),
        "{html}"
    );
    assert!(html.ends_with("</code></pre>\n"), "{html}");
    assert!(
        html.contains("<span class=\"hl-keyword\">fn</span>"),
        "{html}"
    );
    assert!(html.contains("hl-string"), "{html}");
    assert!(html.contains("&lt;b&gt;"), "{html}");
    assert!(!html.contains("style="), "{html}");
    // The same note gives the same bytes.
    assert_eq!(
        html,
        render("```rust\nfn main() { let s = \"<b>\"; }\n```\n")
    );
}

#[test]
fn unknown_languages_and_plain_blocks_stay_plain() {
    assert_eq!(
        render("```nosuchlang\nif a < b && c {}\n```\n"),
        "<pre tabindex=\"0\"><code class=\"language-nosuchlang\">if a &lt; b &amp;&amp; c {}\n</code></pre>\n"
    );
    assert_eq!(
        render("```\n<x>\n```\n\n    indented\n"),
        "<pre tabindex=\"0\"><code>&lt;x&gt;\n</code></pre>\n<pre tabindex=\"0\"><code>indented\n</code></pre>\n"
    );
    assert_eq!(
        render("```\"x\" title=a\nq\n```\n"),
        "<pre tabindex=\"0\"><code class=\"language-&quot;x&quot;\">q\n</code></pre>\n"
    );
}

#[test]
fn tables_scroll_on_their_own() {
    let html = render("| a |\n|---|\n| 1 |\n\nafter\n");
    assert!(
        html.starts_with("<div class=\"table-scroll\" tabindex=\"0\">\n<table>"),
        "{html}"
    );
    assert!(html.contains("</table>\n</div>\n<p>after</p>"), "{html}");
}

#[test]
fn code_blocks_keep_links_and_headings_in_place() {
    // Rewriting blocks shifts event indices; headings and link positions must follow.
    let r = render_on(
        "```rust\nlet x = 1;\n```\n\n## After\n\n[a](#after)\n",
        "index.html",
    );
    assert!(
        r.html.contains("<h4 id=\"talk--after\">After</h4>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"#talk--after\""), "{}", r.html);
    assert_eq!((r.links[0].line, r.links[0].column), (16, 1));
    assert_eq!(r.words, 5);
}

#[test]
fn word_count_ignores_punctuation_and_spans_unicode() {
    assert_eq!(count_words("Hej med dig , — æble 42 !"), 5);
    assert_eq!(count_words("  "), 0);
    assert_eq!(count_words("én"), 1);
    assert_eq!(count_words("a—b — … 3\t\n"), 2);
}

#[test]
fn heading_slugs_follow_github() {
    for (text, slug) in [
        ("What's new", "whats-new"),
        ("What's new?", "whats-new"),
        ("A -- B", "a----b"),
        ("Æbler & pærer", "æbler--pærer"),
        ("snake_case Rocks", "snake_case-rocks"),
        ("!!!", "heading"),
    ] {
        assert_eq!(heading_slug(text), slug, "{text}");
    }
}

#[test]
fn summaries_are_whole_sentences_of_prose() {
    assert_eq!(sentences("One. Two. Three.", 10, false), "One. Two.");
    assert_eq!(sentences("One. Two. Three.", 100, true), "One.");
    assert_eq!(
        sentences("See e.g. this. Next", 100, true),
        "See e.g. this."
    );
    assert_eq!(sentences("no end here at all", 12, false), "no end here…");
    assert_eq!(sentences("short", 100, false), "short");
    let r = render_on(
        "![alt text](a.png) Prose `code` here.\n\n## Heading\n\n```\nfn x\n```\n",
        "index.html",
    );
    assert_eq!(r.summary, "Prose here.");
}

#[test]
fn comments_never_reach_the_page() {
    assert_eq!(
        render("a <!-- x --> b\n\n<!--\nmany\nlines\n-->\n\nc\n"),
        "<p>a  b</p>\n\n<p>c</p>\n"
    );
}
