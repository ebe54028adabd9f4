//! Syntax highlighting of fenced code, with tree-sitter grammars (arborium).
//!
//! A parse with tree-sitter costs a few hundred microseconds for a typical block, where
//! syntect's regex grammars cost several milliseconds, and highlighting is most of a default
//! build (issue #17). The grammars are compiled in (one cargo feature per language, so only
//! the languages below are built); each language's highlight query compiles once per process,
//! on its first block, into a store all rayon threads share. The parser itself is not `Sync`,
//! so each thread keeps its own, a fork of the shared store.
//!
//! Output is `<span class="hl-KIND">` around tokens (`hl-keyword`, `hl-string`,
//! `hl-comment`, `hl-number`, …; `static/style.css` colours them), every character of the
//! code escaped; tokens the theme leaves in the text colour (punctuation, variables,
//! operators) get no span. [`grammar`] maps the names people write after the fence to a grammar;
//! anything else is not highlighted.

use std::cell::RefCell;
use std::sync::{Arc, LazyLock, OnceLock};

use arborium::{Config, GrammarStore, Highlighter, HtmlFormat};

/// The compiled grammars and queries, shared by every thread; a language compiles on its
/// first block.
static STORE: LazyLock<Arc<GrammarStore>> = LazyLock::new(|| Arc::new(GrammarStore::new()));

thread_local! {
    /// This thread's parser, over the shared store.
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::with_store_and_config(
        Arc::clone(&STORE),
        Config {
            // No languages inside languages: a block is its own language only.
            max_injection_depth: 0,
            html_format: HtmlFormat::ClassNamesWithPrefix("hl".to_owned()),
        },
    ));
}

/// The grammars compiled in, in the order of [`COMPILED`].
const GRAMMARS: [&str; 20] = [
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
    "c",
    "css",
    "html",
    "xml",
    "diff",
];

/// Set once a grammar's queries are in [`STORE`]: the first thread to need a language compiles
/// it while the others wait, instead of each compiling its own copy.
static COMPILED: [OnceLock<()>; GRAMMARS.len()] = [const { OnceLock::new() }; GRAMMARS.len()];

/// `code` as classed spans, or `None` when `lang` names no grammar we have.
pub fn highlighted(lang: &str, code: &str) -> Option<String> {
    let grammar = grammar(lang)?;
    if let Some(at) = GRAMMARS.iter().position(|g| *g == grammar) {
        COMPILED[at].get_or_init(|| {
            STORE.get(grammar);
        });
    }
    let mut html = HIGHLIGHTER.with(|h| h.try_borrow_mut().ok()?.highlight(grammar, code).ok())?;
    // arborium drops the newlines that end the code; the block keeps them, as plain text does.
    html.push_str(&code[code.trim_end_matches('\n').len()..]);
    Some(without_plain_spans(&html))
}

/// Kinds of token `static/style.css` leaves in the text colour: their spans would only add
/// bytes (about half of all spans) to every page and to the notes held in memory.
const PLAIN: [&str; 4] = ["punctuation", "variable", "operator", "embedded"];

/// `html` with each span of a [`PLAIN`] kind replaced by its text, when that text holds no
/// other tag; every other tag is kept as it is.
fn without_plain_spans(html: &str) -> String {
    const OPEN: &str = "<span class=\"hl-";
    const CLOSE: &str = "</span>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let Some(tag_end) = rest[at..].find("\">").map(|e| at + e + 2) else {
            break;
        };
        out.push_str(&rest[..at]);
        let kind = &rest[at + OPEN.len()..tag_end - 2];
        let text_end = rest[tag_end..].find('<').map(|e| tag_end + e);
        match text_end {
            Some(end) if PLAIN.contains(&kind) && rest[end..].starts_with(CLOSE) => {
                out.push_str(&rest[tag_end..end]);
                rest = &rest[end + CLOSE.len()..];
            }
            _ => {
                out.push_str(&rest[at..tag_end]);
                rest = &rest[tag_end..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The grammar for the language named after a fence (any case): its name or a common alias.
pub fn grammar(lang: &str) -> Option<&'static str> {
    let lang = lang.to_ascii_lowercase();
    Some(match lang.as_str() {
        "sql" | "postgres" | "postgresql" | "psql" | "pgsql" | "plpgsql" | "mysql" | "mariadb"
        | "sqlite" | "tsql" | "plsql" | "ksql" => "sql",
        "java" => "java",
        "kotlin" | "kt" | "kts" => "kotlin",
        "scala" | "sc" | "sbt" => "scala",
        "go" | "golang" => "go",
        "rust" | "rs" => "rust",
        "python" | "py" | "python3" | "py3" => "python",
        "bash" | "sh" | "shell" | "zsh" | "ksh" | "shellscript" => "bash",
        "yaml" | "yml" => "yaml",
        "json" | "jsonc" | "json5" => "json",
        "toml" => "toml",
        "typescript" | "ts" | "mts" | "cts" => "typescript",
        "javascript" | "js" | "mjs" | "cjs" | "jsx" | "node" => "javascript",
        "dockerfile" | "docker" | "containerfile" => "dockerfile",
        "hcl" | "tf" | "terraform" | "tfvars" => "hcl",
        "c" | "h" => "c",
        "css" => "css",
        "html" | "htm" | "xhtml" => "html",
        "xml" | "xsd" | "xsl" | "xslt" | "svg" | "pom" | "plist" => "xml",
        "diff" | "patch" | "udiff" => "diff",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token of a kind a snippet must mark: (class, the token as escaped HTML).
    type Token = (&'static str, &'static str);

    /// One snippet per language and the tokens it must mark: (language, code, tokens).
    const CASES: &[(&str, &str, &[Token])] = &[
        (
            "sql",
            "-- top\nSELECT name FROM talks WHERE day = 'mon';\n",
            &[
                ("comment", "-- top"),
                ("keyword", "SELECT"),
                ("string", "&#39;mon&#39;"),
            ],
        ),
        (
            "java",
            "// c\npublic class A { String s = \"x\"; }\n",
            &[
                ("comment", "// c"),
                ("keyword", "public"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "kotlin",
            "// c\nfun main() { val s = \"x\" }\n",
            &[
                ("comment", "// c"),
                ("keyword", "val"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "scala",
            "// c\nobject A { val s = \"x\" }\n",
            &[
                ("comment", "// c"),
                ("keyword", "object"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "go",
            "// c\nfunc main() { s := \"x\" }\n",
            &[
                ("comment", "// c"),
                ("keyword", "func"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "rust",
            "// c\nfn main() { let s = \"x\"; }\n",
            &[
                ("comment", "// c"),
                ("keyword", "fn"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "python",
            "# c\ndef f():\n    return \"x\"\n",
            &[
                ("comment", "# c"),
                ("keyword", "def"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "bash",
            "# c\nif true; then echo \"x\"; fi\n",
            &[
                ("comment", "# c"),
                ("keyword", "if"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "yaml",
            "# c\nkey: \"x\"\nn: 3\n",
            &[
                ("comment", "# c"),
                ("property", "key"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "json",
            "{\"a\": \"x\", \"n\": 3, \"b\": true}\n",
            &[
                ("string", "&quot;x&quot;"),
                ("number", "3"),
                ("constant", "true"),
            ],
        ),
        (
            "toml",
            "# c\nname = \"x\"\nn = 3\n",
            &[
                ("comment", "# c"),
                ("property", "name"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "typescript",
            "// c\nconst s: string = \"x\";\n",
            &[
                ("comment", "// c"),
                ("keyword", "const"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "javascript",
            "// c\nconst s = \"x\";\n",
            &[
                ("comment", "// c"),
                ("keyword", "const"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "dockerfile",
            "# c\nFROM debian\nCMD [\"x\"]\n",
            &[
                ("comment", "# c"),
                ("keyword", "FROM"),
                ("string", "&quot;x&quot;"),
            ],
        ),
        (
            "hcl",
            "# c\nvariable \"region\" {\n  default = 3\n}\n",
            &[
                ("comment", "# c"),
                ("string", "&quot;region&quot;"),
                ("number", "3"),
            ],
        ),
        (
            "c",
            "// c\nint main(void) { return puts(\"x\"); }\n",
            &[
                ("comment", "// c"),
                ("keyword", "return"),
                ("string", "&quot;x&quot;"),
                ("type", "int"),
            ],
        ),
        (
            "css",
            "/* c */\np > a { margin: 3px; }\n",
            &[
                ("comment", "/* c */"),
                ("tag", "p"),
                ("property", "margin"),
                ("number", "3"),
            ],
        ),
        (
            "html",
            "<!-- c -->\n<p class=\"x\">Hi</p>\n",
            &[
                ("comment", "&lt;!-- c --&gt;"),
                ("tag", "p"),
                ("attribute", "class"),
                ("string", "x"),
            ],
        ),
        (
            "xml",
            "<!-- c -->\n<a b=\"x\">t</a>\n",
            &[
                ("comment", "&lt;!-- c --&gt;"),
                ("tag", "a"),
                ("string", "x"),
            ],
        ),
        (
            "diff",
            "@@ -1 +1 @@\n-old\n+new\n",
            &[("keyword", "-old"), ("string", "+new")],
        ),
    ];

    #[test]
    fn every_language_marks_its_tokens() {
        for (lang, code, tokens) in CASES {
            let html = highlighted(lang, code).unwrap_or_else(|| panic!("{lang}: not highlighted"));
            for (class, token) in *tokens {
                let span = format!("<span class=\"hl-{class}\">{token}</span>");
                assert!(html.contains(&span), "{lang}: no {span} in {html}");
            }
        }
    }

    #[test]
    fn aliases_name_the_grammar() {
        let cases = [
            ("sh", "bash"),
            ("shell", "bash"),
            ("zsh", "bash"),
            ("yml", "yaml"),
            ("ts", "typescript"),
            ("js", "javascript"),
            ("py", "python"),
            ("rs", "rust"),
            ("kt", "kotlin"),
            ("tf", "hcl"),
            ("terraform", "hcl"),
            ("Dockerfile", "dockerfile"),
            ("docker", "dockerfile"),
            ("golang", "go"),
            ("postgres", "sql"),
            ("postgresql", "sql"),
            ("mysql", "sql"),
            ("SQL", "sql"),
        ];
        for (alias, name) in cases {
            assert_eq!(grammar(alias), Some(name), "{alias}");
        }
        for unknown in ["", "text", "plain", "brainfuck", "../../etc"] {
            assert_eq!(grammar(unknown), None, "{unknown}");
            assert_eq!(highlighted(unknown, "x"), None, "{unknown}");
        }
    }

    /// The text of highlighted HTML: spans taken out, entities decoded; `None` if any
    /// other markup is left.
    fn text_of(html: &str) -> Option<String> {
        let mut text = String::new();
        let mut rest = html;
        while let Some(at) = rest.find('<') {
            text.push_str(&rest[..at]);
            let end = rest[at..].find('>')? + at + 1;
            let tag = &rest[at..end];
            if !(tag == "</span>" || tag.starts_with("<span class=\"hl-")) {
                return None;
            }
            rest = &rest[end..];
        }
        text.push_str(rest);
        Some(
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&"),
        )
    }

    #[test]
    fn hostile_code_stays_text() {
        let code = "s = \"</code></pre><script>alert(1)</script>\" # <b>&amp; '\n\n";
        for (lang, _, _) in CASES {
            let html = highlighted(lang, code).unwrap_or_else(|| panic!("{lang}"));
            assert_eq!(text_of(&html).as_deref(), Some(code), "{lang}: {html}");
        }
    }

    #[test]
    fn highlighting_keeps_every_character() {
        for (lang, code, _) in CASES {
            let html = highlighted(lang, code).unwrap_or_default();
            assert_eq!(text_of(&html).as_deref(), Some(*code), "{lang}: {html}");
        }
    }

    #[test]
    fn tokens_the_theme_leaves_plain_get_no_span() {
        let code = "let x = (a + b);\n";
        let html = highlighted("rust", code).unwrap_or_default();
        assert!(
            html.contains("<span class=\"hl-keyword\">let</span>"),
            "{html}"
        );
        for kind in PLAIN {
            assert!(!html.contains(&format!("hl-{kind}")), "{html}");
        }
        assert_eq!(text_of(&html).as_deref(), Some(code));
        // A span holding another tag, or cut off, is left alone.
        let nested = "<span class=\"hl-variable\">a<span class=\"hl-string\">b</span></span>";
        assert_eq!(without_plain_spans(nested), nested);
        assert_eq!(
            without_plain_spans("x<span class=\"hl-variable"),
            "x<span class=\"hl-variable"
        );
    }

    #[test]
    fn every_grammar_is_compiled_in() {
        for name in GRAMMARS {
            assert_eq!(grammar(name), Some(name));
            assert!(STORE.get(name).is_some(), "{name}");
        }
    }

    #[test]
    fn threads_share_the_grammars() {
        let code = "SELECT 1;\n";
        let here = highlighted("sql", code);
        let there = std::thread::spawn(move || highlighted("sql", code))
            .join()
            .ok()
            .flatten();
        assert!(here.is_some());
        assert_eq!(here, there);
    }
}
