//! Issue #17: fenced code in the languages people paste is highlighted with the theme's
//! classes, under the names they write; hostile code stays text; `highlight: false` writes
//! every block as escaped text.

use scraper::ElementRef;

use crate::support::{Site, sel};

/// The text of an element as written, whitespace and all.
fn raw_text(el: ElementRef<'_>) -> String {
    el.text().collect()
}

/// (what the fence says, code, classes that must mark some token of it).
const BLOCKS: &[(&str, &str, &[&str])] = &[
    (
        "sql",
        "-- c\nSELECT 'x' FROM t;",
        &["comment", "keyword", "string"],
    ),
    (
        "postgres",
        "-- c\nSELECT 'x';",
        &["comment", "keyword", "string"],
    ),
    (
        "java",
        "// c\nclass A { String s = \"x\"; }",
        &["comment", "keyword", "string"],
    ),
    (
        "kotlin",
        "// c\nval s = \"x\"",
        &["comment", "keyword", "string"],
    ),
    (
        "kt",
        "// c\nval s = \"x\"",
        &["comment", "keyword", "string"],
    ),
    (
        "scala",
        "// c\nobject A { val s = \"x\" }",
        &["comment", "keyword", "string"],
    ),
    (
        "go",
        "// c\nfunc f() { s := \"x\" }",
        &["comment", "keyword", "string"],
    ),
    ("golang", "// c\nfunc f() {}", &["comment", "keyword"]),
    (
        "rust",
        "// c\nfn f() { let s = \"x\"; }",
        &["comment", "keyword", "string"],
    ),
    ("rs", "// c\nfn f() {}", &["comment", "keyword"]),
    (
        "python",
        "# c\ndef f():\n    return \"x\"",
        &["comment", "keyword", "string"],
    ),
    ("py", "# c\ndef f(): pass", &["comment", "keyword"]),
    (
        "bash",
        "# c\nif true; then echo \"x\"; fi",
        &["comment", "keyword", "string"],
    ),
    (
        "sh",
        "# c\nif true; then echo \"x\"; fi",
        &["comment", "keyword", "string"],
    ),
    ("shell", "# c\nif true; then :; fi", &["comment", "keyword"]),
    ("zsh", "# c\nif true; then :; fi", &["comment", "keyword"]),
    (
        "yaml",
        "# c\nkey: \"x\"",
        &["comment", "property", "string"],
    ),
    ("yml", "# c\nkey: \"x\"", &["comment", "property", "string"]),
    (
        "json",
        "{\"a\": \"x\", \"n\": 3, \"b\": true}",
        &["string", "number", "constant"],
    ),
    (
        "toml",
        "# c\nname = \"x\"",
        &["comment", "property", "string"],
    ),
    (
        "typescript",
        "// c\nconst s: string = \"x\";",
        &["comment", "keyword", "string"],
    ),
    (
        "ts",
        "// c\nconst s = \"x\";",
        &["comment", "keyword", "string"],
    ),
    (
        "javascript",
        "// c\nconst s = \"x\";",
        &["comment", "keyword", "string"],
    ),
    (
        "js",
        "// c\nconst s = \"x\";",
        &["comment", "keyword", "string"],
    ),
    (
        "dockerfile",
        "# c\nFROM debian\nCMD [\"x\"]",
        &["comment", "keyword", "string"],
    ),
    ("Dockerfile", "# c\nFROM debian", &["comment", "keyword"]),
    ("docker", "# c\nFROM debian", &["comment", "keyword"]),
    (
        "hcl",
        "# c\nvariable \"r\" { default = 3 }",
        &["comment", "string", "number"],
    ),
    (
        "terraform",
        "# c\nvariable \"r\" {}",
        &["comment", "string"],
    ),
    ("tf", "# c\nvariable \"r\" {}", &["comment", "string"]),
    (
        "c",
        "// c\nint main(void) { return puts(\"x\"); }",
        &["comment", "keyword", "string", "type"],
    ),
    (
        "css",
        "/* c */\np { margin: 3px; }",
        &["comment", "tag", "property", "number"],
    ),
    (
        "html",
        "<!-- c -->\n<p class=\"x\">Hi</p>",
        &["comment", "tag", "attribute", "string"],
    ),
    (
        "xml",
        "<!-- c -->\n<a b=\"x\">t</a>",
        &["comment", "tag", "string"],
    ),
    ("pom", "<project><version>1</version></project>", &["tag"]),
    ("diff", "@@ -1 +1 @@\n-old\n+new", &["keyword", "string"]),
    ("patch", "-old\n+new", &["keyword", "string"]),
];

fn site_with(body: &str) -> Site {
    let site = Site::english();
    site.write(
        "content/talks/day-2/code.md",
        format!("---\ntitle: Code\nspeakers: [Ada]\nday: 2\n---\n{body}"),
    );
    site
}

fn fenced(lang: &str, code: &str) -> String {
    format!("```{lang}\n{code}\n```\n\n")
}

#[test]
fn every_pasted_language_is_highlighted_under_the_names_people_write() {
    let body: String = BLOCKS.iter().map(|(l, c, _)| fenced(l, c)).collect();
    let site = site_with(&body);
    let run = site.build();
    run.success();
    assert_eq!(run.stderr, "");
    let html = site.html("public/index.html");
    let blocks: Vec<_> = html.select(&sel("#code pre > code")).collect();
    assert_eq!(blocks.len(), BLOCKS.len());
    for ((lang, code, classes), block) in BLOCKS.iter().zip(blocks) {
        assert_eq!(
            block.value().attr("class"),
            Some(format!("language-{lang}").as_str())
        );
        // Highlighting only adds markup: the text is the code as written.
        assert_eq!(raw_text(block), format!("{code}\n"), "{lang}");
        for class in *classes {
            let marked = block.select(&sel(&format!("span.hl-{class}"))).count();
            assert!(marked > 0, "{lang}: no hl-{class} in {}", block.html());
        }
    }
}

#[test]
fn code_that_closes_the_block_and_opens_a_script_stays_text() {
    let code = "x = \"</code></pre><script>alert(1)</script>\" # <b>&amp;";
    let body: String = ["python", "js", "bash", "sql", "yaml", "nosuchlang"]
        .iter()
        .map(|l| fenced(l, code))
        .collect();
    let site = site_with(&body);
    site.build().success();
    let html = site.html("public/index.html");
    assert_eq!(html.select(&sel("#code script, #code b")).count(), 0);
    let blocks: Vec<_> = html.select(&sel("#code pre > code")).collect();
    assert_eq!(blocks.len(), 6);
    for block in blocks {
        assert_eq!(raw_text(block), format!("{code}\n"));
    }
}

#[test]
fn highlight_false_writes_every_block_as_escaped_text() {
    let body: String = BLOCKS.iter().map(|(l, c, _)| fenced(l, c)).collect();
    let site = site_with(&body);
    let yaml = site.read("summit.yaml");
    site.write("summit.yaml", format!("{yaml}highlight: false\n"));
    site.build().success();
    let page = site.read("public/index.html");
    assert!(!page.contains("hl-"));
    // Byte for byte what summit-gen wrote before tree-sitter.
    assert!(page.contains(
        "<pre tabindex=\"0\"><code class=\"language-java\">// c\nclass A { String s = \"x\"; }\n</code></pre>"
    ));
    assert!(page.contains(
        "<pre tabindex=\"0\"><code class=\"language-sql\">-- c\nSELECT 'x' FROM t;\n</code></pre>"
    ));
}
