//! Each host's conventions: where the post and its files go, its front matter, and how the
//! notes' text is kept from being read as the host's own syntax.
//!
//! - **Hugo** reads `{{<` / `{{%` as shortcodes anywhere in a content file, code included:
//!   a pair is written in Hugo's comment form (`{{</* x */>}}` shows as `{{< x >}}`), a lone
//!   opener as `{\{<` (CommonMark's escape; only a lone one inside code would show the `\`).
//! - **Jekyll** runs Liquid over the whole file: the body is one `{% raw %}` block, a
//!   `{% endraw %}` inside the notes is written as `{{ "{%" }}` between two raw blocks, and
//!   links to the copied files use `relative_url`, so they follow the blog's `baseurl`.
//! - **Zola** reads shortcode calls (`{{ name(…) }}`, `{% name(…) %}…{% end %}`), not other
//!   Tera: calls are written in its ignored form (`{{/* name(…) */}}`), which shows as written.
//! - **Markdown** is left as it is.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::{Piece, Recap};

/// A host's conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Hugo,
    Jekyll,
    Zola,
    Markdown,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Hugo => "hugo",
            Format::Jekyll => "jekyll",
            Format::Zola => "zola",
            Format::Markdown => "markdown",
        }
    }
}

/// The files of one export, relative to the output folder.
pub(super) struct Files {
    /// The post's own file.
    pub post: String,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Characters of a file's path that are escaped in the link to it: those Markdown, Liquid or
/// a URL would read.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn url_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

fn fragment(f: &Option<String>) -> String {
    f.as_ref()
        .map(|f| format!("#{}", utf8_percent_encode(f, PATH)))
        .unwrap_or_default()
}

/// A string in front matter: JSON's quoting, which YAML and TOML both read.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|t| quoted(t)).collect();
    format!("[{}]", items.join(", "))
}

pub(super) fn files(format: Format, recap: &Recap) -> Files {
    let slug = &recap.slug;
    let (post, asset_dir) = match format {
        Format::Hugo => (
            format!("content/posts/{slug}/index.md"),
            format!("content/posts/{slug}/"),
        ),
        Format::Jekyll => (
            format!("_posts/{}-{slug}.md", recap.date),
            format!("assets/{slug}/"),
        ),
        Format::Zola => (
            format!("content/{slug}/index.md"),
            format!("content/{slug}/"),
        ),
        Format::Markdown => (format!("{slug}.md"), String::new()),
    };
    let mut text = front_matter(format, recap);
    text.push_str(&body(format, recap));
    let mut files = vec![(post.clone(), text.into_bytes())];
    for (path, bytes) in &recap.assets {
        files.push((format!("{asset_dir}{path}"), bytes.clone()));
    }
    files.sort();
    Files { post, files }
}

fn front_matter(format: Format, r: &Recap) -> String {
    let mut fm = String::new();
    let description = r.description.as_deref();
    match format {
        Format::Hugo => {
            fm.push_str("---\n");
            fm.push_str(&format!("title: {}\n", quoted(&r.title)));
            fm.push_str(&format!("date: {}\n", r.date));
            if let Some(d) = description {
                fm.push_str(&format!("description: {}\n", quoted(d)));
            }
            fm.push_str(&format!("tags: {}\n", list(&r.tags)));
            fm.push_str("draft: false\n");
            if let Some(d) = description {
                fm.push_str(&format!("summary: {}\n", quoted(d)));
            }
            fm.push_str("---\n");
        }
        Format::Jekyll => {
            fm.push_str("---\nlayout: post\n");
            fm.push_str(&format!("title: {}\n", quoted(&r.title)));
            fm.push_str(&format!("date: {}\n", r.date));
            fm.push_str(&format!("tags: {}\n", list(&r.tags)));
            if let Some(d) = description {
                fm.push_str(&format!("description: {}\n", quoted(d)));
            }
            // Given, so Jekyll does not cut its own excerpt out of the raw block.
            fm.push_str(&format!(
                "excerpt: {}\n",
                quoted(description.unwrap_or(&r.title))
            ));
            fm.push_str("---\n");
        }
        Format::Zola => {
            fm.push_str("+++\n");
            fm.push_str(&format!("title = {}\n", quoted(&r.title)));
            if !r.date.is_empty() {
                fm.push_str(&format!("date = {}\n", r.date));
            }
            if let Some(d) = description {
                fm.push_str(&format!("description = {}\n", quoted(d)));
            }
            if !r.tags.is_empty() {
                fm.push_str(&format!("\n[taxonomies]\ntags = {}\n", list(&r.tags)));
            }
            fm.push_str("+++\n");
        }
        Format::Markdown => {
            fm.push_str(&format!("# {}\n", super::text(&r.title)));
        }
    }
    fm.push('\n');
    fm
}

fn body(format: Format, r: &Recap) -> String {
    let mut out = String::new();
    if format == Format::Jekyll {
        out.push_str("{% raw %}\n");
    }
    for piece in &r.body {
        match piece {
            Piece::Text(t) => out.push_str(&match format {
                Format::Hugo => hugo_escape(t),
                Format::Jekyll => jekyll_escape(t),
                Format::Zola => zola_escape(t),
                Format::Markdown => t.clone(),
            }),
            Piece::Asset { path, fragment: f } => {
                let path = url_path(path);
                match format {
                    Format::Jekyll => out.push_str(&format!(
                        "{{% endraw %}}{{{{ '/assets/{}/{path}' | relative_url }}}}{}{{% raw %}}",
                        r.slug,
                        fragment(f)
                    )),
                    _ => {
                        out.push_str(&path);
                        out.push_str(&fragment(f));
                    }
                }
            }
        }
    }
    if format == Format::Jekyll {
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push_str("\n{% endraw %}\n");
    }
    out
}

/// Hugo: shortcode pairs in the comment form, a lone opener broken with a backslash.
pub(crate) fn hugo_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let close = match from.as_bytes().get(2) {
            Some(b'<') => ">}}",
            Some(b'%') => "%}}",
            _ => {
                out.push('{');
                rest = &from[1..];
                continue;
            }
        };
        let open = &from[..3];
        match from[3..].find(close) {
            Some(end) => {
                let inner = &from[3..3 + end];
                if inner.trim_start().starts_with("/*") {
                    // Already in the comment form.
                    out.push_str(&from[..3 + end + 3]);
                } else {
                    let star = &close[..1];
                    out.push_str(&format!("{open}/*{inner}*/{star}}}}}"));
                }
                rest = &from[3 + end + 3..];
            }
            None => {
                out.push_str(&format!("{{\\{{{}", &open[2..]));
                rest = &from[3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Jekyll, inside `{% raw %}`: only a `{% endraw %}` (any spacing, `{%-`) would end it.
pub(crate) fn jekyll_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{%") {
        out.push_str(&rest[..at]);
        let after = rest[at + 2..].trim_start_matches('-').trim_start();
        if after.starts_with("endraw") {
            out.push_str("{% endraw %}{{ \"{%\" }}{% raw %}");
        } else {
            out.push_str("{%");
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// Zola: every shortcode call in its ignored form; any other `{{ }}` / `{% %}` is text there.
pub(crate) fn zola_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let b = text.as_bytes();
    // `{% name(…) %}` is a call only with an `{% end %}` after it; that end is escaped too.
    let mut open_bodies = 0usize;
    while i < b.len() {
        if b[i] == b'{' && matches!(b.get(i + 1), Some(b'{' | b'%')) {
            let inline = b[i + 1] == b'{';
            let close = if inline { "}}" } else { "%}" };
            if let Some(len) = shortcode_call(&text[i + 2..], close) {
                let inner = &text[i + 2..i + 2 + len];
                let is_body = !inline && has_end(&text[i + 2 + len + 2..]);
                if inline || is_body {
                    let (o, c) = if inline { ("{{", "}}") } else { ("{%", "%}") };
                    out.push_str(&format!("{o}/*{inner}*/{c}"));
                    open_bodies += usize::from(is_body);
                    i += 2 + len + 2;
                    continue;
                }
            }
            if !inline
                && open_bodies > 0
                && let Some(len) = end_tag(&text[i + 2..])
            {
                out.push_str(&format!("{{%/*{}*/%}}", &text[i + 2..i + 2 + len]));
                open_bodies -= 1;
                i += 2 + len + 2;
                continue;
            }
        }
        let c = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + c]);
        i += c;
    }
    out
}

/// The length of `name(args) ` before `close` if `s` starts with a call, as Zola's grammar
/// reads one: spaces, an identifier, spaces, `(`, arguments (quoted strings may hold
/// anything), `)`, spaces.
fn shortcode_call(s: &str, close: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let ws = |i: &mut usize| {
        while b.get(*i).is_some_and(|c| c.is_ascii_whitespace()) {
            *i += 1;
        }
    };
    ws(&mut i);
    if !b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        i += 1;
    }
    ws(&mut i);
    if b.get(i) != Some(&b'(') {
        return None;
    }
    i += 1;
    let mut quote = None;
    loop {
        let c = *b.get(i)?;
        i += 1;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'' | b'`') => quote = Some(c),
            (None, b')') => break,
            (None, _) => {}
        }
    }
    ws(&mut i);
    s[i..].starts_with(close).then_some(i)
}

/// The length of ` end ` if `s` (after `{%`) is an end tag.
fn end_tag(s: &str) -> Option<usize> {
    let trimmed = s.trim_start();
    let lead = s.len() - trimmed.len();
    let after = trimmed.strip_prefix("end")?;
    let rest = after.trim_start();
    rest.starts_with("%}")
        .then_some(lead + 3 + (after.len() - rest.len()))
}

fn has_end(s: &str) -> bool {
    let mut rest = s;
    while let Some(at) = rest.find("{%") {
        if end_tag(&rest[at + 2..]).is_some() {
            return true;
        }
        rest = &rest[at + 2..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_shortcodes_are_written_in_the_comment_form() {
        assert_eq!(
            hugo_escape("a {{< youtube x >}} b {{% n %}} c"),
            "a {{</* youtube x */>}} b {{%/* n */%}} c"
        );
        assert_eq!(hugo_escape("{{< alone"), "{\\{< alone");
        assert_eq!(hugo_escape("{{ site.title }}"), "{{ site.title }}");
        assert_eq!(hugo_escape("{{</* x */>}}"), "{{</* x */>}}");
    }

    #[test]
    fn jekyll_endraw_cannot_close_the_raw_block() {
        assert_eq!(
            jekyll_escape("x {%- endraw %} {% include y %}"),
            "x {% endraw %}{{ \"{%\" }}{% raw %}- endraw %} {% include y %}"
        );
    }

    #[test]
    fn zola_calls_are_ignored_and_other_tera_left_alone() {
        assert_eq!(
            zola_escape("{{ youtube(id=\"a)\") }} {{ config.title }}"),
            "{{/* youtube(id=\"a)\") */}} {{ config.title }}"
        );
        assert_eq!(
            zola_escape("{% quote(a=1) %}body{% end %} {% end %} {% x() %}"),
            "{%/* quote(a=1) */%}body{%/* end */%} {% end %} {% x() %}"
        );
    }
}
