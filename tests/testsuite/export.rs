//! `summit-gen export`: the recap as a post of a Hugo, Jekyll or Zola blog, built with the real
//! tool inside a minimal host site and checked in the host's HTML, against what `build` shows
//! for the same recap: day headings, talk titles and speakers, recording links, every in-post
//! anchor, images, and template-like text in the notes shown as written, not executed.
//!
//! Hugo and Jekyll come from Debian's packages (`.ci/run` installs them); a test whose tool is
//! missing says it skipped, except under CI (`CI` set), where that is a failure. Zola is in no
//! registry this project can reach (not Debian's, PyPI's, npm's or crates.io's), so its test
//! runs when `zola` is on PATH and otherwise says it skipped, under CI too.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::Html;

use crate::support::{Site, sel, text, texts, tree};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Text in a note that Hugo, Liquid or Zola would read as their own syntax.
const TEMPLATE_LIKE: &[&str] = &[
    "{{< youtube x >}}",
    "{{% notice %}}",
    "{{ site.title }}",
    "{% include x %}",
    "{{ config.title }}",
    "{{ youtube(id=1) }}",
    "{% quote(by=1) %}body{% end %}",
    "{% endraw %}",
    "{{< lone",
    "$$ x $$",
    "{::comment}",
];

/// The English fixture plus a note with template-like text, links between notes, an image,
/// a footnote and a reference link.
fn recap() -> Site {
    let site = Site::english();
    site.write("static/img/diagram one.png", PNG);
    site.write(
        "content/talks/day-2/templates.md",
        "---\ntitle: Template-like text\nspeakers: [Terry Liquid]\nday: 2\nstart: \"11:00\"\nroom: Hall B\nvideo: https://example.org/videos/templates\nslides: /img/diagram one.png\n---\n\
         Hugo {{< youtube x >}} and {{% notice %}}; Liquid {{ site.title }} and {% include x %}; \
         Tera {{ config.title }} and {{ youtube(id=1) }} and {% quote(by=1) %}body{% end %}; \
         a {% endraw %} and a {{< lone opener; kramdown's $$ x $$ and {::comment} too.\n\n\
         `{{ site.title }} in code`\n\n\
         ## Details\n\n\
         See [the first keynote](../day-1/b-keynote.md), [its highlights](../day-1/a-keynote.md#highlights), \
         [below](#details), [day one](/content/days/day-1.md), a footnote[^1] and [a reference][ref].\n\n\
         ![A diagram](/img/diagram%20one.png)\n\n\
         [^1]: The footnote.\n\n\
         [ref]: ../day-1/untimed.md\n",
    );
    site
}

/// What `build` shows for a recap: the oracle the host's page is held to.
struct Expected {
    days: Vec<(String, String)>,
    talks: Vec<(String, String)>,
    speakers: BTreeSet<String>,
    videos: Vec<String>,
}

fn expected(site: &Site) -> Expected {
    let out = tempfile::tempdir().expect("temp dir");
    let out_arg = out.path().join("public");
    site.run(&["build", "--output", out_arg.to_str().expect("utf-8")])
        .success();
    let html =
        Html::parse_document(&fs::read_to_string(out_arg.join("index.html")).expect("index"));
    let root = html.root_element();
    let days = root
        .select(&sel("section.day"))
        .map(|d| {
            let id = d.value().attr("id").expect("day id").to_string();
            (id, texts(d, "h2").remove(0))
        })
        .collect();
    let talks = root
        .select(&sel("article.talk"))
        .map(|t| {
            let id = t.value().attr("id").expect("talk id").to_string();
            (id, texts(t, "h3").remove(0))
        })
        .collect();
    Expected {
        days,
        talks,
        speakers: texts(root, ".speaker")
            .into_iter()
            .map(|s| s.split(" (").next().unwrap_or(&s).to_string())
            .collect(),
        videos: root
            .select(&sel("a.video"))
            .filter_map(|a| a.value().attr("href").map(String::from))
            .collect(),
    }
}

/// The host's tool, or `None` (and a line saying the test skipped) when it is not installed;
/// under CI a missing tool fails, unless `required` is false.
fn tool(name: &str, required: bool) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            !required || std::env::var_os("CI").is_none(),
            "`{name}` is not installed; CI must have it (.ci/run installs it)"
        );
        eprintln!("SKIPPED: `{name}` is not on PATH, so the host's build was not checked");
    }
    found
}

fn version(tool: &Path) -> String {
    let arg = if tool.ends_with("zola") {
        "--version"
    } else {
        "version"
    };
    let arg = if tool.ends_with("jekyll") {
        "--version"
    } else {
        arg
    };
    let out = Command::new(tool).arg(arg).output().expect("version");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs a host's build; it must succeed without a warning.
fn host_build(cmd: &mut Command) {
    let out = cmd.output().expect("run the host's tool");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "host build failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        !stderr.to_lowercase().contains("warn") && !stdout.to_lowercase().contains("warn"),
        "host build warned\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

/// Exports `site` as `format` into `blog` (the host's root); returns the post's path there.
fn export(site: &Site, format: &str, blog: &Path) -> String {
    // Run from elsewhere, as from the blog: `--root` names the recap.
    let out = Command::new(env!("CARGO_BIN_EXE_summit-gen"))
        .args(["export", format, "--output"])
        .arg(blog)
        .arg("--root")
        .arg(site.path())
        .current_dir(blog)
        .env("NO_COLOR", "1")
        .output()
        .expect("run summit-gen");
    let run = crate::support::Run::from(out);
    run.success();
    assert_eq!(run.stderr, "", "export warned");
    let line = run.stdout.trim();
    let post = line
        .rsplit(' ')
        .next()
        .expect("the post's path")
        .to_string();
    assert!(Path::new(&post).is_file(), "{line}");
    post
}

/// The checks on the host's page of the post, `url` its address on the host's site (under
/// which `public` is served from `/`, less `base`).
fn check_page(public: &Path, url: &str, base: &str, want: &Expected, template_like: bool) {
    let file = public.join(url.trim_start_matches(base).trim_start_matches('/'));
    let file = if url.ends_with('/') {
        file.join("index.html")
    } else {
        file
    };
    let html = Html::parse_document(
        &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    );
    let root = html.root_element();
    // Hugo and kramdown set quotes typographically, as the blog's other posts.
    let plain = |s: String| s.replace(['’', '‘'], "'").replace(['“', '”'], "\"");
    let by_id = |id: &str| {
        root.select(&sel(&format!("[id=\"{id}\"]")))
            .next()
            .map(|e| plain(text(e)))
            .unwrap_or_else(|| panic!("no element with id {id} in {}", file.display()))
    };
    for (id, heading) in &want.days {
        assert_eq!(&by_id(id), heading, "day heading #{id}");
    }
    for (id, title) in &want.talks {
        assert_eq!(&by_id(id), title, "talk heading #{id}");
    }
    let page_text = plain(text(root));
    for speaker in &want.speakers {
        assert!(page_text.contains(speaker.as_str()), "speaker {speaker}");
    }
    let hrefs: Vec<&str> = root
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    for video in &want.videos {
        assert!(hrefs.contains(&video.as_str()), "recording link {video}");
    }
    // Every in-post anchor leads to an element of the page.
    let ids: BTreeSet<&str> = root
        .select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .collect();
    for href in hrefs.iter().filter(|h| h.starts_with('#')) {
        assert!(ids.contains(&href[1..]), "anchor {href} leads nowhere");
    }
    // Images and the copied files the post links to are where its links say.
    let dir = url.rsplit_once('/').map_or("", |(d, _)| d);
    let img = sel("img[src]");
    let srcs = root.select(&img).filter_map(|i| i.value().attr("src"));
    let mut images = 0;
    for src in srcs.chain(hrefs.iter().copied().filter(|h| h.contains("diagram"))) {
        images += 1;
        let path = if src.starts_with('/') {
            src.to_string()
        } else {
            format!("{dir}/{src}")
        };
        let path = percent_decode(path.trim_start_matches(base).trim_start_matches('/'));
        let got = fs::read(public.join(&path)).ok();
        assert!(got.is_some(), "{src} (at {path}) does not load");
        // The fixture's diagram; the example's own images are SVG.
        if path.ends_with(".png") {
            assert_eq!(got.as_deref(), Some(PNG), "{src} (at {path})");
        }
    }
    if template_like {
        assert_eq!(images, 2, "the diagram as image and as slides");
        for t in TEMPLATE_LIKE {
            assert!(page_text.contains(t), "`{t}` is not shown as written");
        }
        // Both notes' footnotes `[^1]` are there: the labels were told apart.
        for footnote in ["The footnote.", "See you next year."] {
            assert!(page_text.contains(footnote), "footnote {footnote}");
        }
        assert!(!page_text.contains("/*"), "an escape shows: {page_text}");
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn hugo_site(blog: &Path) {
    fs::create_dir_all(blog.join("layouts/_default")).expect("mkdir");
    fs::write(
        blog.join("hugo.toml"),
        "baseURL = \"http://localhost/\"\ntitle = \"A blog\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n",
    )
    .expect("write");
    fs::write(
        blog.join("layouts/_default/single.html"),
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n",
    )
    .expect("write");
    fs::write(
        blog.join("layouts/_default/list.html"),
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n",
    )
    .expect("write");
}

#[test]
fn hugo_renders_the_exported_post_with_its_own_templates() {
    let Some(hugo) = tool("hugo", true) else {
        return;
    };
    eprintln!("{}", version(&hugo));
    for (site, template_like) in [(recap(), true), (Site::example(), false)] {
        let want = expected(&site);
        let blog = tempfile::tempdir().expect("temp dir");
        hugo_site(blog.path());
        let post = export(&site, "hugo", blog.path());
        let slug = Path::new(&post)
            .parent()
            .and_then(Path::file_name)
            .expect("bundle")
            .to_string_lossy()
            .into_owned();
        host_build(
            Command::new(&hugo)
                .args(["--minify=false", "-s"])
                .arg(blog.path())
                .arg("-d")
                .arg(blog.path().join("public")),
        );
        check_page(
            &blog.path().join("public"),
            &format!("/posts/{slug}/"),
            "",
            &want,
            template_like,
        );
    }
}

#[test]
fn jekyll_renders_the_exported_post_with_its_own_layout() {
    let Some(jekyll) = tool("jekyll", true) else {
        return;
    };
    eprintln!("{}", version(&jekyll));
    for (site, template_like) in [(recap(), true), (Site::example(), false)] {
        let want = expected(&site);
        let blog = tempfile::tempdir().expect("temp dir");
        let b = blog.path();
        fs::create_dir_all(b.join("_layouts")).expect("mkdir");
        fs::write(b.join("_config.yml"), "title: A blog\nbaseurl: \"/blog\"\n").expect("write");
        fs::write(
            b.join("_layouts/post.html"),
            "<!doctype html><html><head><title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1>{{ content }}</body></html>\n",
        )
        .expect("write");
        let post = export(&site, "jekyll", b);
        let name = Path::new(&post)
            .file_stem()
            .expect("post")
            .to_string_lossy()
            .into_owned();
        let (date, slug) = name.split_at(11);
        let url = format!("/blog/{}/{slug}.html", date[..10].replace('-', "/"));
        host_build(
            Command::new(&jekyll)
                .args(["build", "-s"])
                .arg(b)
                .arg("-d")
                .arg(b.join("_site"))
                .current_dir(b),
        );
        check_page(&b.join("_site"), &url, "/blog", &want, template_like);
    }
}

#[test]
fn zola_renders_the_exported_post_with_its_own_templates() {
    // Not required under CI: no registry this project can reach packages Zola.
    let Some(zola) = tool("zola", false) else {
        return;
    };
    eprintln!("{}", version(&zola));
    for (site, template_like) in [(recap(), true), (Site::example(), false)] {
        let want = expected(&site);
        let blog = tempfile::tempdir().expect("temp dir");
        let b = blog.path();
        fs::create_dir_all(b.join("templates")).expect("mkdir");
        fs::write(
            b.join("config.toml"),
            "base_url = \"http://localhost\"\ntitle = \"A blog\"\ntaxonomies = [{ name = \"tags\" }]\n",
        )
        .expect("write");
        let page = "<!doctype html><html><head><title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1>{{ page.content | safe }}</body></html>\n";
        let list = "<!doctype html><html><head><title>x</title></head><body></body></html>\n";
        fs::write(b.join("templates/page.html"), page).expect("write");
        for t in [
            "index.html",
            "section.html",
            "taxonomy_list.html",
            "taxonomy_single.html",
        ] {
            fs::write(b.join("templates").join(t), list).expect("write");
        }
        let post = export(&site, "zola", b);
        let slug = Path::new(&post)
            .parent()
            .and_then(Path::file_name)
            .expect("folder")
            .to_string_lossy()
            .into_owned();
        host_build(
            Command::new(&zola)
                .arg("--root")
                .arg(b)
                .arg("build")
                .current_dir(b),
        );
        check_page(
            &b.join("public"),
            &format!("/{slug}/"),
            "",
            &want,
            template_like,
        );
    }
}

#[test]
fn exported_markdown_shows_every_talk_when_rendered_again() {
    use pulldown_cmark::{Options, Parser, html};
    for site in [recap(), Site::example()] {
        let want = expected(&site);
        let blog = tempfile::tempdir().expect("temp dir");
        let post = export(&site, "markdown", blog.path());
        let md = fs::read_to_string(&post).expect("post");
        let mut out = String::new();
        let opts = Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH;
        html::push_html(&mut out, Parser::new_ext(&md, opts));
        let page = blog.path().join("page/index.html");
        fs::create_dir_all(page.parent().expect("dir")).expect("mkdir");
        fs::write(
            &page,
            format!("<!doctype html><html><body>{out}</body></html>"),
        )
        .expect("write");
        // The post's images sit beside it, as the page's do here.
        for (rel, bytes) in tree(blog.path()) {
            if rel.extension().is_some_and(|e| e == "png" || e == "svg") {
                let to = blog.path().join("page").join(&rel);
                fs::create_dir_all(to.parent().expect("dir")).expect("mkdir");
                fs::write(to, bytes).expect("write");
            }
        }
        check_page(blog.path(), "/page/", "", &want, false);
    }
}

#[test]
fn export_writes_the_same_bytes_twice_and_replaces_only_its_own_files() {
    let site = recap();
    let blog = tempfile::tempdir().expect("temp dir");
    let b = blog.path();
    fs::create_dir_all(b.join("content/posts/mine")).expect("mkdir");
    fs::write(b.join("content/posts/mine/index.md"), "my own post").expect("write");
    fs::write(b.join("hugo.toml"), "title = \"mine\"").expect("write");
    let post = export(&site, "hugo", b);
    let first = tree(b);
    export(&site, "hugo", b);
    assert_eq!(tree(b), first, "a second export changed something");
    let bundle = Path::new(&post).parent().expect("bundle").to_path_buf();
    assert!(bundle.join("img/diagram one.png").is_file());
    assert_eq!(
        fs::read_to_string(b.join(".summit-gen-export"))
            .expect("manifest")
            .lines()
            .skip(1)
            .map(|l| l.split('\t').nth(1).expect("path").to_string())
            .collect::<Vec<_>>(),
        [
            "content/posts/rustconf-ish-2021-my-notes/img/diagram one.png",
            "content/posts/rustconf-ish-2021-my-notes/index.md",
        ]
    );

    // The note no longer shows the image or the slides: its copy goes, nothing else does.
    let note = site.read("content/talks/day-2/templates.md");
    let note = note
        .replace("![A diagram](/img/diagram%20one.png)", "")
        .replace("slides: /img/diagram one.png\n", "");
    site.write("content/talks/day-2/templates.md", note);
    export(&site, "hugo", b);
    assert!(!bundle.join("img").exists(), "the old image stayed");
    assert_eq!(
        fs::read_to_string(b.join("content/posts/mine/index.md")).expect("mine"),
        "my own post"
    );
    assert_eq!(
        fs::read_to_string(b.join("hugo.toml")).expect("config"),
        "title = \"mine\""
    );
}

#[test]
fn export_refuses_to_replace_a_file_it_did_not_write() {
    let site = recap();
    let blog = tempfile::tempdir().expect("temp dir");
    let b = blog.path();
    let target = b.join("content/posts/rustconf-ish-2021-my-notes/index.md");
    fs::create_dir_all(target.parent().expect("dir")).expect("mkdir");
    fs::write(&target, "the writer's own").expect("write");
    let run = site.run(&["export", "hugo", "--output", b.to_str().expect("utf-8")]);
    run.failure();
    assert_eq!(
        run.stderr,
        format!(
            "error: {}: exists and was not written by an export of this recap; export will not replace it — move it away, or choose another `--output`\n",
            fs::canonicalize(b)
                .expect("abs")
                .join("content/posts/rustconf-ish-2021-my-notes/index.md")
                .display()
        )
    );
    assert_eq!(
        fs::read_to_string(&target).expect("kept"),
        "the writer's own"
    );
    assert!(!b.join(".summit-gen-export").exists());
    assert_eq!(tree(b).len(), 1, "export wrote something");
}

#[test]
fn export_never_writes_into_the_recaps_own_notes() {
    let site = recap();
    let before = site.snapshot_dir("content");
    let run = site.run(&["export", "hugo", "--output", "."]);
    run.failure();
    assert!(
        run.stderr
            .contains("is in the recap's own `content`, which summit-gen reads"),
        "{}",
        run.stderr
    );
    assert_eq!(site.snapshot_dir("content"), before);
}

#[test]
fn export_without_output_writes_under_export_format() {
    let site = recap();
    let run = site.run(&["export", "zola"]);
    run.success();
    assert_eq!(run.stderr, "");
    let md = site.read("export/zola/content/rustconf-ish-2021-my-notes/index.md");
    assert!(
        md.starts_with("+++\ntitle = \"RustConf-ish 2021: my notes\"\ndate = 2021-03-03\n"),
        "{md}"
    );
    assert!(md.contains("{{/* youtube(id=1) */}}"), "{md}");
    assert!(
        site.path()
            .join("export/zola/content/rustconf-ish-2021-my-notes/img/diagram one.png")
            .is_file()
    );
}

#[test]
fn a_link_to_an_untitled_intro_warns_at_the_link() {
    let site = Site::english();
    site.write(
        "content/talks/day-1/untimed.md",
        "---\ntitle: \"Hallway track\"\nspeakers: Everyone\nday: 1\n---\nBack to [the start](../../intro.md).\n",
    );
    let blog = tempfile::tempdir().expect("temp dir");
    let run = site.run(&[
        "export",
        "markdown",
        "--output",
        blog.path().to_str().expect("utf-8"),
    ]);
    run.success();
    assert_eq!(
        run.stderr,
        "warning: content/talks/day-1/untimed.md:6:9: links to `#intro`, which the exported post has no heading for — give that note a `title:`, so it has a heading in the post\n"
    );
}

#[test]
fn two_recaps_share_one_blog_and_keep_each_others_files() {
    let (english, example) = (recap(), Site::example());
    let blog = tempfile::tempdir().expect("temp dir");
    let b = blog.path();
    fs::create_dir_all(b.join("content/posts")).expect("mkdir");
    let first = export(&english, "hugo", b);
    let second = export(&example, "hugo", b);
    assert_ne!(first, second);
    // The English recap's image is gone from its notes: its copy goes, the other post stays.
    let note = english.read("content/talks/day-2/templates.md");
    let note = note
        .replace("![A diagram](/img/diagram%20one.png)", "")
        .replace("slides: /img/diagram one.png\n", "");
    english.write("content/talks/day-2/templates.md", note);
    export(&english, "hugo", b);
    assert!(Path::new(&first).is_file() && Path::new(&second).is_file());
    assert!(
        !Path::new(&first)
            .parent()
            .expect("bundle")
            .join("img")
            .exists()
    );
    assert!(
        b.join("content/posts").is_dir(),
        "the blog's own folder went"
    );
    let manifest = fs::read_to_string(b.join(".summit-gen-export")).expect("manifest");
    assert_eq!(
        manifest.lines().skip(1).collect::<Vec<_>>(),
        [
            // The example's figure, copied into its bundle.
            "kafka-summit-2020-opsummering\tcontent/posts/kafka-summit-2020-opsummering/img/tiered-storage.svg",
            "kafka-summit-2020-opsummering\tcontent/posts/kafka-summit-2020-opsummering/index.md",
            "rustconf-ish-2021-my-notes\tcontent/posts/rustconf-ish-2021-my-notes/index.md",
        ]
    );
}
