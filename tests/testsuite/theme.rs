//! The theme as a starting point (issue 15, point 11): `summit-gen theme` lists the built-in
//! files, `theme copy` writes them into the site, a site template extends the built-in one as
//! `theme/NAME`, and `static/custom.css` is linked after the theme's stylesheet.

use std::fs;

use crate::support::{Site, fixture, repo, sel};

fn blog() -> Site {
    Site::copy_of(&fixture("blog"))
}

const TEMPLATES: &[&str] = &[
    "404.html",
    "atom.xml",
    "base.html",
    "blog.html",
    "blog_atom.xml",
    "index.html",
    "sitemap.xml",
    "speakers.html",
    "tag.html",
    "tags.html",
    "talk.html",
    "talk_page.html",
];

#[test]
fn theme_lists_the_built_in_files_and_what_the_site_replaces() {
    let site = Site::english();
    site.write("templates/talk.html", "{{ talk.title }}");
    site.write("static/custom.css", ":root { --link: #b00; }\n");
    let run = site.run(&["theme"]);
    run.success();
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        r#"Templates (a file of the same name in templates/ replaces one; {% extends "theme/NAME" %} reaches the built-in one):
  404.html        the page for an address that does not exist
  atom.xml        the recap's Atom feed
  base.html       the frame of every HTML page: head, navigation, footer
  blog.html       a blog's front page: its recaps, newest first
  blog_atom.xml   a blog's Atom feed
  index.html      the post: intro, a section per day, outro
  sitemap.xml     the sitemap
  speakers.html   the speakers page
  tag.html        the page of one tag
  tags.html       the page of all tags
  talk.html       one talk's section of the post
                  replaced by templates/talk.html
  talk_page.html  a talk's own page
Static files (a file of the same name in static/ replaces one):
  embed.js        loads a recording's player when its button is clicked
  style.css       the stylesheet (colours are variables at its top)
  custom.css      yours to add: linked after style.css on every page
                  linked: static/custom.css
Copy one to edit it: summit-gen theme copy NAME…
"#
    );
}

/// Inside a recap, the recap's own files come first, then the blog's (as the blog build
/// resolves them); the blog's root lists each recap's replacements.
#[test]
fn theme_in_a_blog_follows_the_blog_build() {
    let site = blog();
    site.write("templates/base.html", "{% extends \"theme/base.html\" %}");
    site.write(
        "posts/rustfest-2021/templates/talk.html",
        "{{ talk.title }}",
    );
    site.write("posts/rustfest-2021/static/style.css", "p {}\n");
    let lines = |run: &crate::support::Run| -> Vec<String> {
        run.stdout
            .lines()
            .filter(|l| l.contains("replaced") || l.contains("not used"))
            .map(str::to_string)
            .collect()
    };
    let at_root = site.run(&["theme"]);
    at_root.success();
    assert_eq!(
        lines(&at_root),
        [
            "                  replaced by templates/base.html",
            "                  replaced by posts/rustfest-2021/templates/talk.html on the pages of recap rustfest-2021",
        ]
    );
    let recap = crate::support::Run::from(
        std::process::Command::new(env!("CARGO_BIN_EXE_summit-gen"))
            .arg("theme")
            .current_dir(site.path().join("posts/rustfest-2021/content"))
            .output()
            .expect("run"),
    );
    recap.success();
    assert_eq!(
        lines(&recap),
        [
            "                  replaced by ../../../templates/base.html (the blog's)",
            "                  replaced by ../templates/talk.html (this recap's)",
            "                  ../static/style.css is not used: a recap's pages link the blog's (put it in the blog's static/)",
        ]
    );
}

#[test]
fn theme_copy_writes_the_built_in_files_byte_for_byte() {
    let site = Site::english();
    let run = site.run(&["theme", "copy", "base.html", "style.css"]);
    run.success();
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "  templates/base.html\n  static/style.css\nCopied 2 files from the built-in theme: the build uses yours now.\n"
    );
    let same_in = |site: &Site, rel: &str| {
        assert_eq!(
            fs::read(site.path().join(rel)).expect("copied"),
            fs::read(repo().join(rel)).expect("built-in"),
            "{rel}"
        );
    };
    same_in(&site, "templates/base.html");
    same_in(&site, "static/style.css");
    // The list tells an untouched copy from an edited one.
    let listed = |site: &Site| site.run(&["theme"]).success().stdout.clone();
    assert!(
        listed(&site)
            .contains("replaced by templates/base.html, a copy of the built-in file, unchanged\n")
    );
    site.write("templates/base.html", "{% extends \"theme/base.html\" %}");
    let after = listed(&site);
    assert!(
        after.contains("replaced by templates/base.html\n"),
        "{after}"
    );
    assert!(
        after.contains("replaced by static/style.css, a copy of the built-in file, unchanged\n")
    );
    // Every file, and the copies change nothing in the built site.
    let all = Site::english();
    all.run(&["theme", "copy", "--all"]).success();
    for name in TEMPLATES {
        same_in(&all, &format!("templates/{name}"));
    }
    same_in(&all, "static/embed.js");
    let built = |s: &Site| {
        s.build().success();
        s.snapshot_dir("public")
    };
    let mut copied = built(&all);
    let mut plain = built(&Site::english());
    for files in [&mut copied, &mut plain] {
        files.remove(std::path::Path::new(".summit-gen"));
    }
    assert!(copied == plain, "a copy of the theme changes the site");
}

#[test]
fn theme_copy_never_overwrites_a_file() {
    let site = Site::english();
    site.write("templates/talk.html", "mine");
    let run = site.run(&["theme", "copy", "talk.html", "base.html"]);
    run.failure();
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "templates/talk.html: exists already — edit it, or pass --force to put the built-in one there (yours is kept beside it as a .bak file)\nerror: 1 problem found; nothing was written\n"
    );
    assert_eq!(site.read("templates/talk.html"), "mine");
    assert!(!site.path().join("templates/base.html").exists());

    // --force keeps the file that was there, under a name nothing has.
    site.write("templates/talk.html.bak", "older");
    let run = site.run(&["theme", "copy", "talk.html", "--force"]);
    run.success();
    assert_eq!(
        run.stdout,
        "  templates/talk.html (the file that was there is now templates/talk.html.2.bak)\nCopied 1 file from the built-in theme: the build uses yours now.\n"
    );
    assert_eq!(site.read("templates/talk.html.2.bak"), "mine");
    assert_eq!(site.read("templates/talk.html.bak"), "older");
    assert_eq!(
        site.read("templates/talk.html"),
        fs::read_to_string(repo().join("templates/talk.html")).expect("built-in")
    );
    // The backups are not templates of the site.
    let build = site.build();
    build.success();
    assert_eq!(build.stderr, "");
}

#[test]
fn theme_copy_of_an_unknown_name_is_a_usage_error_listing_the_names() {
    let site = Site::english();
    let run = site.run(&["theme", "copy", "bsae.html"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: invalid value 'bsae.html' for '[NAME]...'\n  [possible values: 404.html, atom.xml, base.html, blog.html, blog_atom.xml, index.html, sitemap.xml, speakers.html, tag.html, tags.html, talk.html, talk_page.html, embed.js, style.css]\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("templates").exists());
    // Outside a site there is nothing to copy into.
    let empty = Site::empty();
    let run = empty.run(&["theme", "copy", "base.html"]);
    run.failure();
    assert!(run.stderr.starts_with("summit.yaml: no summit.yaml here"));
}

/// An override of `base.html` that extends the built-in one (no loop), with a block of its
/// own, on every page.
#[test]
fn an_override_extends_the_built_in_template_as_theme_name() {
    let site = Site::english();
    site.write(
        "templates/base.html",
        "{% extends \"theme/base.html\" %}\n{% block head %}<meta name=\"x-mine\" content=\"{{ site.title }}\">{% endblock head %}\n",
    );
    site.write(
        "templates/talk_page.html",
        "{% extends \"theme/talk_page.html\" %}\n{% block body %}{{ super() }}<div hidden>{% include \"theme/talk.html\" %}</div><p id=\"mine\">{{ talk.title }}</p>{% endblock body %}\n",
    );
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    for page in [
        "public/index.html",
        "public/speakers/index.html",
        "public/404.html",
    ] {
        let html = site.html(page);
        assert_eq!(html.select(&sel("meta[name=x-mine]")).count(), 1, "{page}");
        // The rest of the built-in base is there.
        assert_eq!(
            html.select(&sel("link[rel=stylesheet]")).count(),
            1,
            "{page}"
        );
        assert_eq!(html.select(&sel("footer.site-footer")).count(), 1, "{page}");
    }
    let talks = fs::read_dir(site.path().join("public/talks")).expect("talk pages");
    for t in talks {
        let html = site.html(&format!(
            "public/talks/{}/index.html",
            t.expect("entry").file_name().to_string_lossy()
        ));
        assert_eq!(html.select(&sel("meta[name=x-mine]")).count(), 1);
        assert_eq!(html.select(&sel("#mine")).count(), 1);
        assert_eq!(html.select(&sel("main")).count(), 1);
    }
}

#[test]
fn a_template_extending_its_own_name_is_told_the_way_out() {
    let site = Site::english();
    site.write("templates/base.html", "{% extends \"base.html\" %}\n");
    let run = site.build();
    run.failure();
    assert!(
        run.stderr
            .starts_with("error: template templates/base.html: ")
            && run.stderr.contains(
                " — to extend the built-in `base.html`, write {% extends \"theme/base.html\" %}"
            ),
        "{}",
        run.stderr
    );
}

/// A render error inside the site's `base.html` was named after the page's built-in
/// template (`index.html (built-in theme)`); it is the site's file.
#[test]
fn a_render_error_in_an_override_of_base_names_the_site_file() {
    let site = Site::english();
    site.write(
        "templates/base.html",
        "{% extends \"theme/base.html\" %}\n{% block head %}{{ nope.x }}{% endblock head %}\n",
    );
    let run = site.build();
    run.failure();
    assert!(
        run.stderr.starts_with(
            "error: template templates/base.html: error: Variable `nope` is not defined."
        ) && run.stderr.contains(" --> base.html:2:20\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn templates_under_theme_are_the_built_in_ones() {
    let site = Site::english();
    site.write("templates/theme/base.html", "mine");
    let run = site.build();
    run.failure();
    assert!(
        run.stderr.starts_with(
            "error: template templates/theme/base.html: the names under `theme/` are the built-in theme's — "
        ),
        "{}",
        run.stderr
    );
}

/// The stylesheets every HTML page below `public` links, in order.
fn stylesheets(site: &Site) -> Vec<(String, Vec<String>)> {
    let mut pages: Vec<_> = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(site.path()).expect("inside");
            rel.to_string_lossy().into_owned()
        })
        .collect();
    pages.sort();
    pages
        .into_iter()
        .map(|p| {
            let links = site
                .html(&p)
                .select(&sel("link[rel=stylesheet]"))
                .filter_map(|l| l.value().attr("href").map(String::from))
                .collect();
            (p, links)
        })
        .collect()
}

#[test]
fn custom_css_is_linked_after_the_theme_css_on_every_page() {
    let site = Site::english();
    site.write("static/custom.css", ":root { --link: #b00; }\n");
    site.build().success();
    let pages = stylesheets(&site);
    assert!(pages.len() >= 6, "{pages:?}");
    for (page, links) in &pages {
        let root = match page.matches('/').count() {
            1 => "",
            2 => "../",
            _ => "../../",
        };
        // 404.html links by the base URL's path (Pages serves it at any depth).
        let root = if page == "public/404.html" {
            "/notes/"
        } else {
            root
        };
        assert_eq!(
            links,
            &[format!("{root}style.css"), format!("{root}custom.css")],
            "{page}"
        );
    }
    assert_eq!(site.read("public/custom.css"), ":root { --link: #b00; }\n");

    // Without the file, no page links it.
    let plain = Site::english();
    plain.build().success();
    for (page, links) in stylesheets(&plain) {
        assert_eq!(links.len(), 1, "{page}: {links:?}");
        assert!(links[0].ends_with("style.css"), "{page}");
    }
}

/// In a blog, the blog's custom.css is on every page; a recap's own follows it on that
/// recap's pages.
#[test]
fn a_blog_links_its_custom_css_and_a_recaps_own_after_it() {
    let site = blog();
    site.write("static/custom.css", "a {}\n");
    site.write("posts/rustfest-2021/static/custom.css", "b {}\n");
    let run = site.build();
    run.success();
    // The fixture's own warning, nothing about the stylesheets.
    assert_eq!(
        run.stderr,
        "warning: posts/rustfest-2021/summit.yaml:4:1: `cname` is the blog's: a recap's own is ignored — remove it here; set `cname` in the blog's summit.yaml\n"
    );
    for (page, links) in stylesheets(&site) {
        let depth = page.matches('/').count() - 1;
        let root = if page == "public/404.html" {
            links[0].trim_end_matches("style.css").to_string()
        } else {
            "../".repeat(depth)
        };
        let mut expected = vec![format!("{root}style.css"), format!("{root}custom.css")];
        if let Some(rest) = page.strip_prefix("public/rustfest-2021/") {
            expected.push(format!(
                "{}custom.css",
                "../".repeat(rest.matches('/').count())
            ));
        }
        assert_eq!(links, expected, "{page}");
    }
    assert_eq!(site.read("public/rustfest-2021/custom.css"), "b {}\n");
}

/// Editing custom.css in `serve` swaps the stylesheets in the open pages, as for style.css;
/// adding it reloads them (every page gains the link).
#[test]
fn serve_swaps_custom_css_without_a_reload() {
    use crate::serve_support::{Server, next_event};
    let site = Site::english();
    site.write("static/custom.css", "a { color: black }");
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    site.write("static/custom.css", "a { color: rebeccapurple }");
    next_event(&events, "css");
    assert_eq!(
        server.get("/custom.css").text(),
        "a { color: rebeccapurple }"
    );
    site.remove("static/custom.css");
    next_event(&events, "reload");
    assert_eq!(server.get("/custom.css").status, 404);
}
