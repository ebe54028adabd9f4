//! A deterministic generator of summit-gen sites with N talk notes, shared by the benchmarks.
//!
//! Each note is ~600 words with front matter, two `##` headings, a list, a code block and a
//! quote — the corpus the speed issue describes. Same N, same bytes.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const WORDS: &[&str] = &[
    "kafka",
    "stream",
    "partition",
    "broker",
    "consumer",
    "producer",
    "latency",
    "throughput",
    "offset",
    "topic",
    "replica",
    "leader",
    "schema",
    "event",
    "table",
    "join",
    "window",
    "state",
    "store",
    "cluster",
    "tiered",
    "storage",
    "quorum",
    "metadata",
    "connector",
    "sink",
    "source",
    "exactly",
    "once",
    "delivery",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "with",
    "we",
    "that",
    "for",
    "on",
    "it",
    "as",
    "this",
    "how",
    "talk",
    "showed",
    "demo",
    "great",
];

/// A tiny deterministic PRNG (xorshift), so the corpus never depends on a crate's version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
}

pub fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.word();
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| {
            let n = 8 + rng.below(10);
            sentence(rng, n)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Markdown body of note `i` (~600 words).
pub fn body(i: usize) -> String {
    let mut rng = Rng::new(i as u64 + 1);
    let mut b = String::new();
    let _ = writeln!(b, "{}\n", paragraph(&mut rng, 9));
    let _ = writeln!(b, "## What was good\n");
    let _ = writeln!(b, "{}\n", paragraph(&mut rng, 9));
    for _ in 0..4 {
        let _ = writeln!(b, "- {}", sentence(&mut rng, 8));
    }
    let _ = writeln!(
        b,
        "\n```java\nProperties props = new Properties();\nprops.put(\"bootstrap.servers\", \"localhost:9092\");\nvar producer = new KafkaProducer<String, String>(props);\n```\n"
    );
    let _ = writeln!(b, "> {}\n", sentence(&mut rng, 20));
    let _ = writeln!(b, "## Should you watch it?\n");
    let _ = writeln!(b, "{}\n", paragraph(&mut rng, 9));
    let _ = writeln!(b, "{}", paragraph(&mut rng, 8));
    b
}

pub struct Talk {
    pub index: usize,
    pub title: String,
    pub speaker: String,
    pub day: usize,
    pub start: String,
    pub tags: Vec<&'static str>,
    pub recommended: bool,
}

pub fn talk(i: usize, days: usize) -> Talk {
    let mut rng = Rng::new(i as u64 + 1_000_003);
    let title = format!("{} {} {} ({i})", rng.word(), rng.word(), rng.word());
    let mut title_chars = title.chars();
    let title = match title_chars.next() {
        Some(f) => f.to_uppercase().chain(title_chars).collect(),
        None => title,
    };
    Talk {
        index: i,
        title,
        speaker: format!("Speaker {}", rng.below(500)),
        day: i % days + 1,
        start: format!(
            "{:02}:{:02}",
            8 + rng.below(10),
            [0, 15, 30, 45][rng.below(4)]
        ),
        tags: vec![rng.word(), rng.word()],
        recommended: rng.below(3) == 0,
    }
}

pub const DAYS: usize = 3;

/// Writes a summit-gen site with `n` notes into `dir`.
pub fn write_site(dir: &Path, n: usize) -> std::io::Result<()> {
    let days: String = (0..DAYS)
        .map(|d| format!("    - date: 2024-05-{:02}\n", 14 + d))
        .collect();
    fs::create_dir_all(dir.join("content/talks"))?;
    fs::write(
        dir.join("summit.yaml"),
        format!(
            "title: \"Benchmark Summit\"\nlanguage: en\nbase_url: \"/\"\npublished: 2024-05-20\nevent:\n  name: Benchmark Summit\n  days:\n{days}"
        ),
    )?;
    fs::write(dir.join("content/intro.md"), format!("{}\n", body(0)))?;
    for i in 0..n {
        let t = talk(i, DAYS);
        let dir = dir.join(format!("content/talks/day-{}", t.day));
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(format!("talk-{i:05}.md")), summit_note(&t))?;
    }
    Ok(())
}

pub fn summit_note(t: &Talk) -> String {
    format!(
        "---\ntitle: \"{}\"\nspeakers: [\"{}\"]\nday: {}\nstart: \"{}\"\nduration: 40\ntags: [{}]\nrecommended: {}\n---\n{}",
        t.title,
        t.speaker,
        t.day,
        t.start,
        t.tags.join(", "),
        t.recommended,
        body(t.index)
    )
}

/// The path of note `i` in a site written by [`write_site`].
pub fn note_path(dir: &Path, i: usize) -> std::path::PathBuf {
    dir.join(format!(
        "content/talks/day-{}/talk-{i:05}.md",
        talk(i, DAYS).day
    ))
}

/// Writes an equivalent Hugo site with the same notes: YAML front matter, one page per talk,
/// an index grouped by day that shows every note (as summit-gen's post does), highlighting,
/// taxonomies, feeds and sitemaps off.
pub fn write_hugo_site(dir: &Path, n: usize) -> std::io::Result<()> {
    fs::create_dir_all(dir.join("content/talks"))?;
    fs::create_dir_all(dir.join("layouts/_default"))?;
    fs::write(
        dir.join("config.yaml"),
        "baseURL: \"https://example.org/\"\ntitle: \"Benchmark Summit\"\ndisableKinds: [taxonomy, term, RSS, sitemap, robotsTXT, 404]\nmarkup:\n  highlight:\n    codeFences: false\n",
    )?;
    fs::write(
        dir.join("layouts/index.html"),
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Site.Title }}</title></head><body><main><h1>{{ .Site.Title }}</h1>\n{{ range (where .Site.RegularPages \"Section\" \"talks\").GroupByParam \"day\" }}<section><h2>Day {{ .Key }}</h2>\n{{ range .Pages.ByParam \"start\" }}<article><h3><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h3><p>{{ delimit .Params.speakers \", \" }}</p>{{ .Content }}</article>\n{{ end }}</section>{{ end }}</main></body></html>\n",
    )?;
    fs::write(
        dir.join("layouts/_default/single.html"),
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><main><article><h1>{{ .Title }}</h1><p>{{ delimit .Params.speakers \", \" }}</p>{{ .Content }}</article><p><a href=\"{{ \"/\" | relURL }}\">Back</a></p></main></body></html>\n",
    )?;
    fs::write(
        dir.join("content/_index.md"),
        format!("---\ntitle: Benchmark Summit\n---\n{}\n", body(0)),
    )?;
    for i in 0..n {
        let t = talk(i, DAYS);
        // The very note summit-gen reads (Hugo keeps `duration` as a param it does not use).
        fs::write(
            dir.join(format!("content/talks/talk-{i:05}.md")),
            summit_note(&t),
        )?;
    }
    Ok(())
}

/// The summit-gen benchmark site: the same outputs as the Hugo site (a page per talk and the
/// post), other extras and highlighting switched off (as in the Hugo site).
pub fn write_bench_site(dir: &Path, n: usize) -> std::io::Result<()> {
    write_site(dir, n)?;
    let config = dir.join("summit.yaml");
    let text = fs::read_to_string(&config)?;
    fs::write(
        config,
        text + "highlight: false\npages: {speakers: false, tags: false, feed: false, sitemap: false, calendar: false}\n",
    )
}

/// The settings both sides of the blog benchmark share: every page on (speakers, tags, feed,
/// sitemap), highlighting off (as in the Hugo comparison).
const BLOG_BENCH_KEYS: &str = "highlight: false\n";

/// A one-recap site with `n` notes and every page on: what a blog of `n` notes is measured
/// against.
pub fn write_full_site(dir: &Path, n: usize) -> std::io::Result<()> {
    write_site(dir, n)?;
    let config = dir.join("summit.yaml");
    let text = fs::read_to_string(&config)?;
    fs::write(
        config,
        text.replace("base_url: \"/\"", "base_url: \"https://example.org/\"") + BLOG_BENCH_KEYS,
    )
}

/// A blog of `recaps` recaps with `talks` notes each (the same notes, in total, as a
/// `recaps × talks` one-recap site): `posts/recap-NNN/`, one event a month.
pub fn write_blog(dir: &Path, recaps: usize, talks: usize) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join("summit.yaml"),
        format!(
            "title: \"Benchmark blog\"\nlanguage: en\nbase_url: \"https://example.org/\"\n{BLOG_BENCH_KEYS}"
        ),
    )?;
    for r in 0..recaps {
        let recap = dir.join(format!("posts/recap-{r:03}"));
        let (year, month) = (2000 + r / 12, r % 12 + 1);
        let days: String = (0..DAYS)
            .map(|d| format!("    - date: {year}-{month:02}-{:02}\n", 10 + d))
            .collect();
        fs::create_dir_all(recap.join("content/talks"))?;
        fs::write(
            recap.join("summit.yaml"),
            format!(
                "title: \"Benchmark Summit {r}\"\npublished: {year}-{month:02}-20\nevent:\n  name: Benchmark Summit {r}\n  days:\n{days}"
            ),
        )?;
        fs::write(recap.join("content/intro.md"), format!("{}\n", body(r)))?;
        for k in 0..talks {
            let i = r * talks + k;
            let t = talk(i, DAYS);
            let dir = recap.join(format!("content/talks/day-{}", t.day));
            fs::create_dir_all(&dir)?;
            fs::write(dir.join(format!("talk-{i:05}.md")), summit_note(&t))?;
        }
    }
    Ok(())
}
