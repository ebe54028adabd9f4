//! Images (issue 15, points 3 and 4): a cover and social image from `image:` in summit.yaml
//! and in a note, and images in notes, each `<img>` with its file's size, `loading="lazy"`
//! and `decoding="async"`, a paragraph of its own a `<figure>` with its title as caption. A
//! missing image is an error at the file's line and column.

use std::fs;
use std::path::Path;

use scraper::Html;

use crate::support::{Site, fixture, repo, sel, text};

const BASE: &str = "https://example.github.io/notes/";

/// The images of every format, as tests/fixtures/images has them: (file, width, height).
const FORMATS: &[(&str, u64, u64)] = &[
    ("x.png", 31, 17),
    ("x.jpg", 29, 13),
    ("x.gif", 23, 11),
    ("x.webp", 19, 7),
    ("x.avif", 37, 21),
];

const NOTE: &str = "---
title: A talk
speakers: [Ada]
day: 1
image: img/x.jpg
image_alt: The talk's cover
---
Some words first.

![A PNG picture](img/x.png \"The caption\")

A JPEG ![jpeg alt](img/x.jpg \"inline title\") and a GIF ![gif alt](img/x.gif) inline.

![webp alt](/img/x.webp)

![avif alt](./img/x.avif)

![sized svg](img/sized.svg) ![viewbox svg](img/box.svg) ![bare svg](img/bare.svg)

![remote](https://example.org/r.png)
";

fn yaml(base_url: &str, image: &str) -> String {
    format!(
        "title: Notes\nlanguage: en\nbase_url: \"{base_url}\"\n{image}event:\n  name: Conf\n  days:\n    - date: 2021-03-01\n"
    )
}

fn copy_images(site: &Site, under: &str) {
    for (name, _, _) in FORMATS {
        let bytes = fs::read(repo().join("tests/fixtures/images").join(name)).expect("fixture");
        site.write(&format!("{under}static/img/{name}"), bytes);
    }
    let svg = |attrs: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\" {attrs}></svg>");
    site.write(
        &format!("{under}static/img/sized.svg"),
        svg("width=\"120\" height=\"80\""),
    );
    site.write(
        &format!("{under}static/img/box.svg"),
        svg("viewBox=\"0 0 640 240\""),
    );
    site.write(&format!("{under}static/img/bare.svg"), svg(""));
}

/// A site with every kind of image, a cover in summit.yaml and one in the note.
fn site(base_url: &str) -> Site {
    let site = Site::empty();
    site.write(
        "summit.yaml",
        yaml(base_url, "image: img/x.png\nimage_alt: The post's cover\n"),
    );
    site.write("content/talks/a.md", NOTE);
    copy_images(&site, "");
    site
}

fn attr<'a>(html: &'a Html, selector: &str, name: &str) -> Vec<Option<&'a str>> {
    html.select(&sel(selector))
        .map(|e| e.value().attr(name))
        .collect()
}

fn meta<'a>(html: &'a Html, key: &str) -> Option<&'a str> {
    let by = |a: &str| format!("meta[{a}=\"{key}\"]");
    html.select(&sel(&by("property")))
        .chain(html.select(&sel(&by("name"))))
        .next()
        .and_then(|e| e.value().attr("content"))
}

fn jsonld(html: &Html) -> serde_json::Value {
    let script = html
        .select(&sel("script[type=\"application/ld+json\"]"))
        .next()
        .expect("JSON-LD");
    serde_json::from_str(&text(script)).expect("JSON")
}

/// The `<img>` of the note with `alt` on the page.
fn img<'a>(html: &'a Html, alt: &str) -> scraper::ElementRef<'a> {
    html.select(&sel(&format!("article img[alt=\"{alt}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no image {alt}"))
}

fn size<'a>(e: scraper::ElementRef<'a>) -> (Option<&'a str>, Option<&'a str>) {
    (e.value().attr("width"), e.value().attr("height"))
}

#[test]
fn an_image_alone_in_its_paragraph_is_a_figure_with_its_title_as_caption() {
    let site = site(BASE);
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    for page in ["public/index.html", "public/talks/a-talk/index.html"] {
        let html = site.html(page);
        let figures: Vec<_> = html.select(&sel(".talk figure")).collect();
        // The PNG, WebP, AVIF and remote paragraphs; the SVG line and the inline ones are not.
        assert_eq!(figures.len(), 4, "{page}");
        let png = figures[0];
        assert_eq!(
            png.select(&sel("img"))
                .next()
                .and_then(|i| i.value().attr("alt")),
            Some("A PNG picture")
        );
        assert_eq!(
            png.select(&sel("figcaption")).map(text).collect::<Vec<_>>(),
            ["The caption"]
        );
        // The caption is not repeated as a title.
        assert_eq!(img(&html, "A PNG picture").value().attr("title"), None);
        // No caption without a title.
        assert_eq!(figures[1].select(&sel("figcaption")).count(), 0);
        // Inline images stay inside their paragraph, with their title.
        let jpeg = img(&html, "jpeg alt");
        assert_eq!(jpeg.value().attr("title"), Some("inline title"));
        assert_eq!(
            html.select(&sel("article p img[alt=\"gif alt\"]")).count(),
            1
        );
    }
}

#[test]
fn every_local_image_gets_its_files_width_and_height_and_loads_lazily() {
    let site = site(BASE);
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let html = site.html("public/index.html");
    let wanted = [
        ("A PNG picture", "31", "17"),
        ("jpeg alt", "29", "13"),
        ("gif alt", "23", "11"),
        ("webp alt", "19", "7"),
        ("avif alt", "37", "21"),
        ("sized svg", "120", "80"),
        ("viewbox svg", "640", "240"),
    ];
    for (alt, w, h) in wanted {
        assert_eq!(size(img(&html, alt)), (Some(w), Some(h)), "{alt}");
    }
    // An SVG with neither size nor viewBox has no intrinsic size; a remote image is not fetched.
    assert_eq!(size(img(&html, "bare svg")), (None, None));
    assert_eq!(size(img(&html, "remote")), (None, None));
    let all: Vec<_> = html.select(&sel("article .talk img")).collect();
    assert_eq!(all.len(), 9);
    for e in all {
        assert_eq!(e.value().attr("loading"), Some("lazy"), "{:?}", e.value());
        assert_eq!(e.value().attr("decoding"), Some("async"), "{:?}", e.value());
    }
    // Alt text stays out of the descriptions.
    let talk = site.html("public/talks/a-talk/index.html");
    assert_eq!(
        meta(&talk, "description"),
        Some("Ada: Some words first. A JPEG and a GIF inline.")
    );
}

#[test]
fn image_paths_work_from_the_post_and_from_a_talks_page() {
    let site = site(BASE);
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let post = site.html("public/index.html");
    let page = site.html("public/talks/a-talk/index.html");
    assert_eq!(
        img(&post, "A PNG picture").value().attr("src"),
        Some("img/x.png")
    );
    assert_eq!(
        img(&post, "webp alt").value().attr("src"),
        Some("img/x.webp")
    );
    assert_eq!(
        img(&page, "A PNG picture").value().attr("src"),
        Some("../../img/x.png")
    );
    assert_eq!(
        img(&page, "avif alt").value().attr("src"),
        Some("../../img/x.avif")
    );
    for (name, _, _) in FORMATS {
        assert!(
            site.path().join("public/img").join(name).is_file(),
            "{name}"
        );
    }
}

#[test]
fn the_cover_is_on_the_post_and_its_social_image_is_absolute() {
    let site = site(BASE);
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let html = site.html("public/index.html");
    let cover = html.select(&sel("img.cover")).next().expect("a cover");
    assert_eq!(cover.value().attr("src"), Some("img/x.png"));
    assert_eq!(cover.value().attr("alt"), Some("The post's cover"));
    assert_eq!(size(cover), (Some("31"), Some("17")));
    // Above the fold: not lazy.
    assert_eq!(cover.value().attr("loading"), None);
    assert_eq!(cover.value().attr("fetchpriority"), Some("high"));

    let url = format!("{BASE}img/x.png");
    assert_eq!(meta(&html, "og:image"), Some(url.as_str()));
    assert_eq!(meta(&html, "og:image:width"), Some("31"));
    assert_eq!(meta(&html, "og:image:height"), Some("17"));
    assert_eq!(meta(&html, "og:image:alt"), Some("The post's cover"));
    assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    assert_eq!(jsonld(&html)["image"], serde_json::json!(url));
}

#[test]
fn a_notes_image_is_the_cover_of_its_talks_page() {
    let site = site(BASE);
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let html = site.html("public/talks/a-talk/index.html");
    let cover = attr(&html, "img.cover", "src");
    assert_eq!(cover, [Some("../../img/x.jpg")]);
    assert_eq!(attr(&html, "img.cover", "width"), [Some("29")]);
    let url = format!("{BASE}img/x.jpg");
    assert_eq!(meta(&html, "og:image"), Some(url.as_str()));
    assert_eq!(meta(&html, "og:image:alt"), Some("The talk's cover"));
    assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
}

#[test]
fn without_a_full_base_url_og_image_is_left_out_with_a_warning() {
    let site = site("/");
    let run = site.build();
    run.success();
    assert_eq!(
        run.stderr,
        "warning: summit.yaml:3:11: atom.xml, sitemap.xml and robots.txt are left out, as are the pages' canonical links and social images (`og:image`): their addresses must be absolute, and `base_url` \"/\" is a path — set the site's full address, e.g. `base_url: \"https://user.github.io/repo/\"` (the Pages workflow passes it with `--base-url`), or switch these off under `pages:`\n"
    );
    // With nothing else left out, each cover says so where it is set.
    let config = fs::read_to_string(site.path().join("summit.yaml")).expect("summit.yaml");
    site.write(
        "summit.yaml",
        format!("{config}pages:\n  feed: false\n  sitemap: false\n"),
    );
    assert_eq!(
        site.build().stderr,
        "warning: summit.yaml:4:8: `image` is left out of the page's social metadata (`og:image`), which needs a full URL — set `base_url` to a full URL such as \"https://user.github.io/repo/\", or build with `--base-url`\n\
         warning: content/talks/a.md:5:8: `image` is left out of the page's social metadata (`og:image`), which needs a full URL — set `base_url` to a full URL such as \"https://user.github.io/repo/\", or build with `--base-url`\n"
    );
    let html = site.html("public/index.html");
    assert_eq!(meta(&html, "og:image"), None);
    assert_eq!(meta(&html, "twitter:card"), Some("summary"));
    assert!(jsonld(&html).get("image").is_none());
    // The cover itself is still shown.
    assert_eq!(attr(&html, "img.cover", "src"), [Some("img/x.png")]);
    // A remote cover needs no base URL.
    site.write(
        "summit.yaml",
        yaml("/", "image: https://example.org/cover.png\n"),
    );
    site.write("content/talks/a.md", NOTE.replace("image: img/x.jpg\n", ""));
    let run = site.build();
    run.success();
    // Only the feed and sitemap are left out now, not the social image.
    assert_eq!(
        run.stderr,
        "warning: summit.yaml:3:11: atom.xml, sitemap.xml and robots.txt are left out, as are the pages' canonical links: their addresses must be absolute, and `base_url` \"/\" is a path — set the site's full address, e.g. `base_url: \"https://user.github.io/repo/\"` (the Pages workflow passes it with `--base-url`), or switch these off under `pages:`\n"
    );
    let html = site.html("public/index.html");
    assert_eq!(
        meta(&html, "og:image"),
        Some("https://example.org/cover.png")
    );
    assert_eq!(
        size(html.select(&sel("img.cover")).next().expect("cover")),
        (None, None)
    );
}

#[test]
fn a_missing_image_in_a_note_is_an_error_at_its_position() {
    let site = site(BASE);
    site.write(
        "content/talks/a.md",
        NOTE.replace("img/x.gif", "img/gone.gif"),
    );
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/a.md:12:56: missing image `img/gone.gif`: there is no image static/img/gone.gif — put the image at static/img/gone.gif, or fix the path\n\
         error: 1 problem found; nothing was written\n"
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_missing_cover_is_an_error_at_its_key_in_summit_yaml_and_in_the_note() {
    let site = site(BASE);
    site.write("summit.yaml", yaml(BASE, "image: img/none.png\n"));
    site.write(
        "content/talks/a.md",
        NOTE.replace("image: img/x.jpg", "image: \"pics/cover%20one.jpg\""),
    );
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/a.md:5:8: missing image `pics/cover%20one.jpg`: there is no image static/pics/cover one.jpg — put the image at static/pics/cover one.jpg, or fix the path\n\
         summit.yaml:4:8: missing image `img/none.png`: there is no image static/img/none.png — put the image at static/img/none.png, or fix the path\n\
         error: 2 problems found; nothing was written\n"
    );
}

#[cfg(unix)]
#[test]
fn an_image_linked_to_a_file_outside_the_site_is_refused() {
    let outside = Site::empty();
    let secret = fs::read(repo().join("tests/fixtures/images/x.png")).expect("png");
    outside.write("secret.png", &secret);
    let site = site(BASE);
    std::os::unix::fs::symlink(
        outside.path().join("secret.png"),
        site.path().join("static/img/secret.png"),
    )
    .expect("link");
    site.write(
        "content/talks/a.md",
        NOTE.replace("img/x.gif", "img/secret.png"),
    );
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "content/talks/a.md:12:56: missing image `img/secret.png`: there is no image static/img/secret.png — put the image at static/img/secret.png, or fix the path\n\
         error: 1 problem found; nothing was written\n"
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_recaps_images_in_a_blog_live_under_its_folder() {
    let site = Site::copy_of(&fixture("blog"));
    let recap = "posts/rustfest-2021/";
    copy_images(&site, recap);
    let yaml_path = format!("{recap}summit.yaml");
    let yaml = fs::read_to_string(site.path().join(&yaml_path)).expect("yaml");
    site.write(
        &yaml_path,
        yaml.replace("published:", "image: img/x.png\npublished:"),
    );
    let note = format!("{recap}content/talks/async.md");
    let text = fs::read_to_string(site.path().join(&note)).expect("note");
    site.write(
        &note,
        format!("{text}\n![A PNG picture](img/x.webp \"Cap\")\n"),
    );
    site.build().success();
    let post = site.html("public/rustfest-2021/index.html");
    assert_eq!(attr(&post, "img.cover", "src"), [Some("img/x.png")]);
    assert_eq!(
        img(&post, "A PNG picture").value().attr("src"),
        Some("img/x.webp")
    );
    assert_eq!(size(img(&post, "A PNG picture")), (Some("19"), Some("7")));
    let url = format!("{BASE}rustfest-2021/img/x.png");
    assert_eq!(meta(&post, "og:image"), Some(url.as_str()));
    assert!(Path::new(&site.path().join("public/rustfest-2021/img/x.webp")).is_file());
    let talk_pages: Vec<_> = fs::read_dir(site.path().join("public/rustfest-2021/talks"))
        .expect("talk pages")
        .filter_map(Result::ok)
        .map(|e| e.path().join("index.html"))
        .filter(|p| fs::read_to_string(p).is_ok_and(|t| t.contains("A PNG picture")))
        .collect();
    assert_eq!(talk_pages.len(), 1);
    let page = Html::parse_document(&fs::read_to_string(&talk_pages[0]).expect("page"));
    assert_eq!(
        img(&page, "A PNG picture").value().attr("src"),
        Some("../../img/x.webp")
    );
}

#[test]
fn the_example_shows_its_cover_picks_ratings_and_a_captioned_image() {
    let site = Site::example();
    let run = site.build();
    run.success();
    // Its base_url is "/" (the Pages workflow passes the real one with --base-url).
    assert_eq!(
        run.stderr,
        "warning: summit.yaml:5:11: atom.xml, sitemap.xml and robots.txt are left out, as are the pages' canonical links and social images (`og:image`): their addresses must be absolute, and `base_url` \"/\" is a path — set the site's full address, e.g. `base_url: \"https://user.github.io/repo/\"` (the Pages workflow passes it with `--base-url`), or switch these off under `pages:`\n"
    );
    assert_eq!(
        site.run(&["build", "--base-url", BASE]).stderr,
        "",
        "a full base URL makes the cover og:image"
    );
    let html = site.html("public/index.html");
    let cover = html.select(&sel("img.cover")).next().expect("cover");
    assert_eq!(cover.value().attr("src"), Some("img/cover.svg"));
    assert_eq!(size(cover), (Some("1200"), Some("630")));
    assert!(html.select(&sel("#picks li")).count() >= 2);
    assert!(html.select(&sel("#picks .rating")).count() >= 1);
    let captions: Vec<String> = html
        .select(&sel("article figure figcaption"))
        .map(text)
        .collect();
    assert_eq!(captions.len(), 1, "{captions:?}");
    assert!(captions[0].starts_with("Tiered storage"), "{captions:?}");
}

#[test]
fn a_cover_that_is_not_a_web_address_or_a_path_is_refused() {
    let site = site(BASE);
    site.write(
        "summit.yaml",
        yaml(BASE, "image: \"javascript:alert(1)\"\n"),
    );
    site.write(
        "content/talks/a.md",
        NOTE.replace("image: img/x.jpg", "image: www.example.org/x.png"),
    );
    let run = site.build();
    run.failure();
    assert!(
        run.stderr.starts_with("content/talks/a.md:5:8: `image` "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\nsummit.yaml:4:8: `image` "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("error: 2 problems found; nothing was written\n"),
        "{}",
        run.stderr
    );
}

/// Every problem of a build at once: a missing cover stops the build before its notes are
/// rendered, so images in notes are checked with the covers, not after them.
#[test]
fn missing_images_and_missing_covers_are_reported_together() {
    let site = site(BASE);
    site.write("summit.yaml", yaml(BASE, "image: img/none.png\n"));
    site.write(
        "content/talks/a.md",
        NOTE.replace("img/x.gif", "img/gone.gif"),
    );
    site.write("content/intro.md", "Hello.\n\n![intro](../outside.png)\n");
    let run = site.build();
    run.failure();
    assert_eq!(
        run.stderr,
        "content/intro.md:3:1: missing image `../outside.png`: it leads out of the site — put the image in static/ and write its path from there\n\
         content/talks/a.md:12:56: missing image `img/gone.gif`: there is no image static/img/gone.gif — put the image at static/img/gone.gif, or fix the path\n\
         summit.yaml:4:8: missing image `img/none.png`: there is no image static/img/none.png — put the image at static/img/none.png, or fix the path\n\
         error: 3 problems found; nothing was written\n"
    );
}
