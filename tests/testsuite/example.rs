//! The bundled example: Kafka Summit 2020 in Danish.

use crate::support::{Site, repo, sel, text, texts, tree};

const DAY_1: &[&str] = &[
    "Keynote: Kafka Tiered Storage and KIP-500",
    "Tradeoffs in Distributed Systems Design: Is Kafka the Best?",
    "Testing Streaming Applications",
    "Can Kafka Handle a Lyft Ride?",
];
const DAY_2: &[&str] = &[
    "Keynote: Jay Kreps and Sam Newman",
    "Apache Kafka, Tiered Storage and TensorFlow for Streaming Machine Learning without a Data Lake",
    "Apache Kafka and ksqlDB in Action: Let's Build a Streaming Data Pipeline!",
    "A Tale of Two Data Centers: Kafka Streams Resiliency",
];

#[test]
fn builds_the_danish_recap() {
    let site = Site::example();
    let run = site.build();
    run.success();
    assert!(run.stdout.starts_with("Wrote "), "{}", run.stdout);
    assert!(
        run.stdout.contains(" files (8 talks) to public in "),
        "{}",
        run.stdout
    );

    let html = site.html("public/index.html");
    let root = html.root_element();
    let lang = root.value().attr("lang");
    assert_eq!(lang, Some("da"));
    assert_eq!(texts(root, "h1"), ["Kafka Summit 2020: opsummering"]);

    let days: Vec<_> = html.select(&sel("section.day")).collect();
    assert_eq!(days.len(), 2);
    assert_eq!(texts(days[0], "h2"), ["Opsummering af dag 1"]);
    assert_eq!(texts(days[1], "h2"), ["Opsummering af dag 2"]);
    assert_eq!(texts(days[0], ".day-date"), ["mandag 24. august 2020"]);
    assert_eq!(texts(days[0], "article.talk h3"), DAY_1);
    assert_eq!(texts(days[1], "article.talk h3"), DAY_2);

    let published = html
        .select(&sel(".post-header time"))
        .next()
        .expect("published");
    assert_eq!(published.value().attr("datetime"), Some("2020-08-26"));
    assert_eq!(text(published), "Publiceret 26. august 2020");
    let reading = texts(root, ".reading-time");
    assert_eq!(reading.len(), 1);
    let minutes: usize = reading[0]
        .strip_suffix(" min læsning")
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| panic!("reading time {reading:?}"));
    assert!((8..=14).contains(&minutes), "{minutes}");

    assert!(!texts(root, "section.intro p").is_empty());
    assert!(!texts(root, "section.outro p").is_empty());
}

#[test]
fn speakers_and_recommendations() {
    let site = Site::example();
    site.build().success();
    let html = site.html("public/index.html");
    let talk = |id: &str| {
        html.select(&sel(&format!("article.talk#{id}")))
            .next()
            .unwrap_or_else(|| panic!("no talk #{id}"))
    };
    let ksql = talk("apache-kafka-and-ksqldb-in-action-let-s-build-a-streaming-data-pipeline");
    assert_eq!(texts(ksql, ".speaker"), ["Robin Moffatt"]);
    let keynote = talk("keynote-jay-kreps-and-sam-newman");
    assert_eq!(texts(keynote, ".speakers"), ["Jay Kreps og Sam Newman"]);

    let recommended = texts(html.root_element(), "article.talk.recommended h3");
    assert_eq!(
        recommended,
        [DAY_1[0], DAY_1[1], DAY_2[1], DAY_2[2], DAY_2[3]],
        "recommended talks"
    );
    for t in html.select(&sel("article.talk.recommended")) {
        assert_eq!(texts(t, ".badge"), ["★ Anbefalet"]);
    }
    for t in html.select(&sel("article.talk:not(.recommended)")) {
        assert!(texts(t, ".badge").is_empty());
    }
    // Issue 15.1, 15.2: the recommended talks open the post, with their ratings.
    let picks = html.select(&sel("#picks")).next().expect("top picks");
    assert_eq!(
        texts(picks, "li > a"),
        [DAY_1[0], DAY_1[1], DAY_2[1], DAY_2[2], DAY_2[3]]
    );
    assert_eq!(
        texts(picks, ".rating .visually-hidden"),
        [
            "5 ud af 5 stjerner",
            "4 ud af 5 stjerner",
            "4 ud af 5 stjerner",
            "5 ud af 5 stjerner",
            "4 ud af 5 stjerner"
        ]
    );
    // Every table-of-contents entry points at a talk or day on the page.
    for a in html.select(&sel("nav.toc a")) {
        let id = a
            .value()
            .attr("href")
            .and_then(|h| h.strip_prefix('#'))
            .expect("anchor");
        assert_eq!(html.select(&sel(&format!("#{id}"))).count(), 1, "#{id}");
    }
}

#[test]
fn page_snapshot() {
    let site = Site::example();
    site.build().success();
    insta::assert_snapshot!("example_index_html", site.read("public/index.html"));
}

/// The repository root holds the theme's source in templates/ and static/ (besides the
/// example's own images in static/img/); a site without the theme's files must build the
/// same page from the theme embedded in the binary.
#[test]
fn embedded_theme_gives_the_same_site() {
    let bare = Site::example();
    assert!(!bare.path().join("templates").exists());
    assert!(!bare.path().join("static/style.css").exists());
    assert!(!bare.path().join("static/embed.js").exists());
    bare.build().success();

    let with_theme = Site::empty();
    let out = with_theme.path().join("public");
    let run = with_theme.run(&[
        "build",
        "--root",
        repo().to_str().expect("utf-8 path"),
        "--output",
        out.to_str().expect("utf-8 path"),
    ]);
    run.success();
    assert_eq!(bare.snapshot_dir("public"), tree(&out));
    assert!(bare.path().join("public/style.css").is_file());
}
