//! A deterministic generator of summit-gen sites with N talk notes, shared by the benchmarks.
//!
//! Each note is ~600 words with front matter, two `##` headings, a list, a code block and a
//! quote — the corpus the speed issue describes. Every code block is different: one of 15
//! languages users paste (SQL to HCL), 4 to 12 lines of it, names and numbers drawn per note,
//! so no highlighter cache can make the benchmark look faster than a user's site. Same N,
//! same bytes.

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

/// The languages of the generated code blocks: those users paste into talk notes.
pub const LANGUAGES: &[&str] = &[
    "sql",
    "java",
    "kotlin",
    "scala",
    "go",
    "rust",
    "python",
    "bash",
    "yaml",
    "json",
    "toml",
    "typescript",
    "javascript",
    "dockerfile",
    "hcl",
];

/// An identifier made of one or two corpus words (`topic`, `topic_offset`).
fn ident(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => rng.word().to_string(),
        _ => format!("{}_{}", rng.word(), rng.word()),
    }
}

/// A camel-case name (`TopicOffset`).
fn camel(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..2 {
        let w = rng.word();
        let mut c = w.chars();
        if let Some(f) = c.next() {
            s.extend(f.to_uppercase());
            s.push_str(c.as_str());
        }
    }
    s
}

/// One line of code in `lang`, different from note to note (names, numbers, strings).
fn code_line(rng: &mut Rng, lang: &str) -> String {
    let (a, b, n) = (ident(rng), ident(rng), rng.below(10_000));
    let (c, s) = (camel(rng), sentence(rng, 3));
    match (lang, rng.below(3)) {
        ("sql", 0) => format!("SELECT {a}, COUNT(*) AS {b} FROM {c} WHERE {a} > {n} GROUP BY {a};"),
        ("sql", 1) => format!("INSERT INTO {c} ({a}, {b}) VALUES ({n}, '{s}');"),
        ("sql", _) => format!("  LEFT JOIN {b} ON {b}.id = {c}.{a} -- {s}"),
        ("java", 0) => format!("    final var {a} = new {c}<String, Long>({n}L);"),
        ("java", 1) => format!("    props.put(\"{a}.{b}\", \"{s}\"); // {n}"),
        ("java", _) => {
            format!("    if ({a}.size() > {n}) {{ {b}.send(new ProducerRecord<>(\"{c}\", {a})); }}")
        }
        ("kotlin", 0) => format!("val {a} = {c}(timeout = {n}.milliseconds)"),
        ("kotlin", 1) => format!("fun {b}(x: Int): String = \"{s} $x\""),
        ("kotlin", _) => format!("{a}.filter {{ it.{b} > {n} }}.forEach(::println)"),
        ("scala", 0) => format!("val {a}: Map[String, Int] = Map(\"{b}\" -> {n})"),
        ("scala", 1) => format!("def {b}(x: Long): Option[{c}] = Some({c}(x * {n}))"),
        ("scala", _) => format!("  .groupByKey(Grouped.`with`(Serdes.String, {c}Serde)) // {s}"),
        ("go", 0) => format!("\t{a} := make(map[string]int, {n})"),
        ("go", 1) => format!(
            "\tif err := {b}.Send(ctx, \"{s}\"); err != nil {{ return fmt.Errorf(\"{c}: %w\", err) }}"
        ),
        ("go", _) => format!("func {c}(x int) int {{ return x * {n} }}"),
        ("rust", 0) => format!("    let {a}: Vec<u64> = {b}.iter().map(|x| x * {n}).collect();"),
        ("rust", 1) => format!(
            "    producer.send(FutureRecord::to(\"{a}\").payload(\"{s}\"), Duration::from_millis({n})).await?;"
        ),
        ("rust", _) => format!("impl {c} {{ fn {a}(&self) -> usize {{ {n} }} }}"),
        ("python", 0) => format!("{a} = {{\"{b}\": {n}, \"note\": \"{s}\"}}"),
        ("python", 1) => format!("def {a}(self, {b}: int = {n}) -> list[str]:"),
        ("python", _) => format!("    for {a} in consumer.poll(timeout_ms={n}):  # {s}"),
        ("bash", 0) => format!(
            "kafka-topics.sh --create --topic {a} --partitions {n} --bootstrap-server localhost:9092"
        ),
        ("bash", 1) => format!("export {}=\"{s}\"", a.to_uppercase()),
        ("bash", _) => format!("for {a} in $(seq 1 {n}); do echo \"{b} ${a}\"; done"),
        ("yaml", 0) => format!("{a}:\n  {b}: {n}"),
        ("yaml", 1) => format!("  - name: {c}\n    description: \"{s}\""),
        ("yaml", _) => format!("{a}: [{b}, {n}, true]"),
        ("json", 0) => format!("  \"{a}\": {{ \"{b}\": {n}, \"enabled\": true }},"),
        ("json", 1) => format!("  \"{c}\": \"{s}\","),
        ("json", _) => format!("  \"{a}\": [{n}, null, \"{b}\"],"),
        ("toml", 0) => format!("[{a}]\n{b} = {n}"),
        ("toml", 1) => format!("{a} = \"{s}\""),
        ("toml", _) => format!("{a} = [\"{b}\", {n}, true]"),
        ("typescript", 0) => format!("const {a}: Record<string, number> = {{ {b}: {n} }};"),
        ("typescript", 1) => {
            format!("export async function {b}(x: {c}): Promise<string> {{ return `{s} ${{x}}`; }}")
        }
        ("typescript", _) => format!("interface {c} {{ {a}: number; {b}?: string }} // {n}"),
        ("javascript", 0) => {
            format!("const {a} = await {b}.send({{ topic: '{c}', messages: [{n}] }});")
        }
        ("javascript", 1) => format!("function {b}(x) {{ return x * {n}; }} // {s}"),
        ("javascript", _) => format!("{a}.on('{b}', (e) => console.log(`{s} ${{e}}`));"),
        ("dockerfile", 0) => format!("RUN apt-get update && apt-get install -y {a} # {n}"),
        ("dockerfile", 1) => format!("ENV {}={n}", a.to_uppercase()),
        ("dockerfile", _) => format!("COPY {a}/ /opt/{b}/"),
        ("hcl", 0) => format!("resource \"aws_msk_cluster\" \"{a}\" {{\n  broker_count = {n}\n}}"),
        ("hcl", 1) => format!("variable \"{a}\" {{ default = \"{s}\" }}"),
        (_, _) => format!("locals {{ {a} = {n} }}"),
    }
}

/// A fenced code block, different in every note: a language of [`LANGUAGES`] and 4 to 12
/// lines of it.
pub fn code_block(rng: &mut Rng) -> String {
    let lang = LANGUAGES[rng.below(LANGUAGES.len())];
    let mut b = format!("```{lang}\n");
    if lang == "dockerfile" {
        let _ = writeln!(b, "FROM eclipse-temurin:{}-jre", 11 + rng.below(12));
    }
    for _ in 0..4 + rng.below(9) {
        b.push_str(&code_line(rng, lang));
        b.push('\n');
    }
    b.push_str("```\n");
    b
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
    let _ = writeln!(b, "\n{}", code_block(&mut rng));
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

/// Hugo's configuration for the benchmark: highlighting (chroma, with CSS classes as
/// summit-gen writes them) on or off, and no pages summit-gen's benchmark sites lack.
fn hugo_config(highlight: bool) -> String {
    format!(
        "baseURL: \"https://example.org/\"\ntitle: \"Benchmark Summit\"\ndisableKinds: [taxonomy, term, RSS, sitemap, robotsTXT, 404]\nmarkup:\n  highlight:\n    codeFences: {highlight}\n    noClasses: false\n"
    )
}

/// Hugo's page of many talks (the post, or a recap of the blog): every note of `PAGES`,
/// grouped by day.
const HUGO_TALKS: &str = "{{ range PAGES.GroupByParam \"day\" }}<section><h2>Day {{ .Key }}</h2>\n{{ range .Pages.ByParam \"start\" }}<article><h3><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h3><p>{{ delimit .Params.speakers \", \" }}</p>{{ .Content }}</article>\n{{ end }}</section>{{ end }}";

/// Hugo's page of one talk.
const HUGO_SINGLE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><main><article><h1>{{ .Title }}</h1><p>{{ delimit .Params.speakers \", \" }}</p>{{ .Content }}</article><p><a href=\"{{ \"/\" | relURL }}\">Back</a></p></main></body></html>\n";

/// Writes an equivalent Hugo site with the same notes: YAML front matter, one page per talk,
/// an index grouped by day that shows every note (as summit-gen's post does), taxonomies,
/// feeds and sitemaps off, highlighting on or off.
pub fn write_hugo_site(dir: &Path, n: usize, highlight: bool) -> std::io::Result<()> {
    fs::create_dir_all(dir.join("content/talks"))?;
    fs::create_dir_all(dir.join("layouts/_default"))?;
    fs::write(dir.join("config.yaml"), hugo_config(highlight))?;
    fs::write(
        dir.join("layouts/index.html"),
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{{{ .Site.Title }}}}</title></head><body><main><h1>{{{{ .Site.Title }}}}</h1>{{{{ .Content }}}}\n{}</main></body></html>\n",
            HUGO_TALKS.replace("PAGES", "(where .Site.RegularPages \"Section\" \"talks\")")
        ),
    )?;
    fs::write(dir.join("layouts/_default/single.html"), HUGO_SINGLE)?;
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

/// The pages summit-gen's benchmark sites have: the post and a page per talk, as the Hugo
/// sites; the other extras off.
const BENCH_PAGES: &str =
    "pages: {speakers: false, tags: false, feed: false, sitemap: false, calendar: false}\n";

/// The summit-gen benchmark site: the same outputs as the Hugo site (a page per talk and the
/// post), other extras off, highlighting on or off (as in the Hugo site).
pub fn write_bench_site(dir: &Path, n: usize, highlight: bool) -> std::io::Result<()> {
    write_site(dir, n)?;
    let config = dir.join("summit.yaml");
    let text = fs::read_to_string(&config)?;
    fs::write(
        config,
        text + &format!("highlight: {highlight}\n{BENCH_PAGES}"),
    )
}

/// A blog of `recaps` recaps with `talks` notes each (the same notes, in total, as a
/// `recaps × talks` one-recap site): `posts/recap-NNN/`, one event a month; the pages of
/// [`write_bench_site`], highlighting on or off.
pub fn write_blog(dir: &Path, recaps: usize, talks: usize, highlight: bool) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join("summit.yaml"),
        format!(
            "title: \"Benchmark blog\"\nlanguage: en\nbase_url: \"https://example.org/\"\nhighlight: {highlight}\n{BENCH_PAGES}"
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

/// The Hugo equivalent of [`write_blog`]: a section per recap (`posts/recap-NNN/`, its page
/// every note grouped by day, as a recap's post), a page per talk, and a home page listing
/// the recaps.
pub fn write_hugo_blog(
    dir: &Path,
    recaps: usize,
    talks: usize,
    highlight: bool,
) -> std::io::Result<()> {
    fs::create_dir_all(dir.join("layouts/_default"))?;
    fs::write(dir.join("config.yaml"), hugo_config(highlight))?;
    fs::write(
        dir.join("layouts/index.html"),
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Site.Title }}</title></head><body><main><h1>{{ .Site.Title }}</h1>\n{{ range where .Site.Pages \"Kind\" \"section\" }}<p><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></p>\n{{ end }}</main></body></html>\n",
    )?;
    fs::write(
        dir.join("layouts/_default/list.html"),
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{{{ .Title }}}}</title></head><body><main><h1>{{{{ .Title }}}}</h1>{{{{ .Content }}}}\n{}</main></body></html>\n",
            HUGO_TALKS.replace("PAGES", "(where .Pages \"Kind\" \"page\")")
        ),
    )?;
    fs::write(dir.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    fs::create_dir_all(dir.join("content/posts"))?;
    fs::write(
        dir.join("content/_index.md"),
        "---\ntitle: Benchmark blog\n---\n",
    )?;
    fs::write(
        dir.join("content/posts/_index.md"),
        "---\ntitle: Posts\n---\n",
    )?;
    for r in 0..recaps {
        let recap = dir.join(format!("content/posts/recap-{r:03}"));
        fs::create_dir_all(&recap)?;
        fs::write(
            recap.join("_index.md"),
            format!("---\ntitle: \"Benchmark Summit {r}\"\n---\n{}\n", body(r)),
        )?;
        for k in 0..talks {
            let i = r * talks + k;
            fs::write(
                recap.join(format!("talk-{i:05}.md")),
                summit_note(&talk(i, DAYS)),
            )?;
        }
    }
    Ok(())
}
