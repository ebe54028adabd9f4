//! Code blocks and tables, as a reader meets them.
//!
//! A fenced code block that names a language [`super::highlight`] has a grammar for is
//! highlighted with CSS classes (`hl-keyword`, `hl-string`, …; the theme's stylesheet
//! colours them), never inline styles; any other code block — and every block when
//! highlighting is off (`highlight: false` in summit.yaml) — stays escaped plain text. Code
//! blocks and tables may be wider than the column, so they scroll on their own and take
//! keyboard focus (`tabindex`).

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use super::highlight::highlighted;

/// Opens the scroll container around a table (closed after the table).
const TABLE_OPEN: &str = "<div class=\"table-scroll\" tabindex=\"0\">\n";

/// Each code block becomes one HTML event (highlighted if `highlight`, else plain), and each
/// table is wrapped in a scroll container. Offsets stay aligned with the events.
pub fn rewrite<'a>(
    events: Vec<Event<'a>>,
    offsets: Vec<usize>,
    highlight: bool,
) -> (Vec<Event<'a>>, Vec<usize>) {
    let rewritten = |e: &Event<'_>| matches!(e, Event::Start(Tag::CodeBlock(_) | Tag::Table(_)));
    if !events.iter().any(rewritten) {
        return (events, offsets);
    }
    let mut out = Vec::with_capacity(events.len());
    let mut out_offsets = Vec::with_capacity(offsets.len());
    let mut iter = events.into_iter().zip(offsets);
    while let Some((event, offset)) = iter.next() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or_default(),
                    CodeBlockKind::Indented => "",
                };
                out.push(Event::Html(code_block(lang, &code, highlight).into()));
                out_offsets.push(offset);
            }
            Event::Start(Tag::Table(_)) => {
                out.extend([Event::Html(TABLE_OPEN.into()), event]);
                out_offsets.extend([offset, offset]);
            }
            Event::End(TagEnd::Table) => {
                out.extend([event, Event::Html("</div>\n".into())]);
                out_offsets.extend([offset, offset]);
            }
            _ => {
                out.push(event);
                out_offsets.push(offset);
            }
        }
    }
    (out, out_offsets)
}

/// `<pre><code class="language-x">…</code></pre>`: highlighted if there is a grammar for `lang`.
fn code_block(lang: &str, code: &str, highlight: bool) -> String {
    let mut out = String::with_capacity(code.len() * 2 + 64);
    out.push_str("<pre tabindex=\"0\"><code");
    if !lang.is_empty() {
        out.push_str(" class=\"language-");
        escape_html(&mut out, lang, true);
        out.push('"');
    }
    out.push('>');
    match highlight.then(|| highlighted(lang, code)).flatten() {
        Some(spans) => out.push_str(&spans),
        None => escape_html(&mut out, code, false),
    }
    out.push_str("</code></pre>\n");
    out
}

/// `&`, `<`, `>` escaped, and `"` too in an attribute value.
fn escape_html(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_languages_and_indented_code_stay_plain() {
        let code = "a < b && \"c\"\n";
        assert_eq!(
            code_block("brainfuck", code, true),
            "<pre tabindex=\"0\"><code class=\"language-brainfuck\">a &lt; b &amp;&amp; \"c\"\n</code></pre>\n"
        );
        assert_eq!(
            code_block("", code, true),
            "<pre tabindex=\"0\"><code>a &lt; b &amp;&amp; \"c\"\n</code></pre>\n"
        );
    }

    #[test]
    fn a_hostile_block_stays_text() {
        let html = code_block(
            "js",
            "x = '</code></pre><script>alert(1)</script>';\n",
            true,
        );
        assert!(html.contains("hl-string"), "{html}");
        assert_eq!(html.matches("</code></pre>").count(), 1);
        assert!(!html.contains("<script"));
    }

    #[test]
    fn highlighting_can_be_switched_off() {
        let code = "fn main() {}\n";
        assert!(code_block("rust", code, true).contains("hl-"));
        assert_eq!(
            code_block("rust", code, false),
            "<pre tabindex=\"0\"><code class=\"language-rust\">fn main() {}\n</code></pre>\n"
        );
    }
}
