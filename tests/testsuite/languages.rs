//! The built-in languages: a site in each writes its pages, feed and metadata in it, with
//! dates as that language writes them.

use crate::support::{Site, sel, text};

/// Each language, and how it writes Monday 1 March 2021 (the fixture's first day).
const LANGUAGES: [(&str, &str); 8] = [
    ("da", "mandag 1. marts 2021"),
    ("de", "Montag, 1. März 2021"),
    ("en", "Monday 1 March 2021"),
    ("es", "lunes, 1 de marzo de 2021"),
    ("fr", "lundi 1er mars 2021"),
    ("nb", "mandag 1. mars 2021"),
    ("nl", "maandag 1 maart 2021"),
    ("sv", "måndag 1 mars 2021"),
];

#[test]
fn a_site_in_each_language_says_so_and_writes_its_dates() {
    for (code, first_day) in LANGUAGES {
        let site = Site::english();
        let yaml = site
            .read("summit.yaml")
            .replace("language: en", &format!("language: {code}"));
        site.write("summit.yaml", yaml);
        let run = site.build();
        run.success();
        assert_eq!(run.stderr, "", "{code}");
        let page = site.html("public/index.html");
        let html = page.select(&sel("html")).next().expect("html");
        assert_eq!(html.value().attr("lang"), Some(code));
        let day = page
            .select(&sel(".day-date time"))
            .next()
            .expect("a day's date");
        assert_eq!(text(day), first_day, "{code}");
        let feed = site.read("public/atom.xml");
        assert!(
            feed.contains(&format!("xml:lang=\"{code}\"")),
            "{code}: {feed}"
        );
        let ld = page
            .select(&sel("script[type=\"application/ld+json\"]"))
            .next()
            .map(|s| s.inner_html())
            .expect("JSON-LD");
        assert!(
            ld.contains(&format!("\"inLanguage\":\"{code}\"")),
            "{code}: {ld}"
        );
    }
}

#[test]
fn init_takes_every_built_in_language() {
    for (code, _) in LANGUAGES {
        let parent = Site::empty();
        let run = parent.run(&["init", "site", "--language", code]);
        run.success();
        assert!(
            parent
                .read("site/summit.yaml")
                .contains(&format!("language: {code}\n"))
        );
    }
}
