//! Images in notes, as the page writes them: every `<img>` gets its file's `width` and
//! `height` (no layout shift while it loads), `loading="lazy"` and `decoding="async"`; an
//! image that is a paragraph of its own becomes a `<figure>`, its title the `<figcaption>`.
//! An image inside a line of text stays inline (its title stays its `title`). Remote images
//! keep no size: nothing is fetched.
//!
//! Runs over the events `emit` writes, after links are resolved for the page, so `src` is
//! already the page's relative URL; the size is looked up by the path as written.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::images::{Sizes, static_path};

/// `events` with every image (start, alt text, end) replaced by its HTML. `written` are the
/// image paths as written in the note, in order (the events hold the page's URLs).
pub(super) fn rewrite<'a>(
    events: Vec<Event<'a>>,
    written: &[String],
    sizes: Option<&Sizes>,
) -> Vec<Event<'a>> {
    let mut written = written.iter();
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &events[i]
        else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        // The alt text: the text inside the image, without its markup.
        let mut alt = String::new();
        let mut end = i + 1;
        let mut depth = 0usize;
        while end < events.len() {
            match &events[end] {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            end += 1;
        }
        let as_written = written.next().map_or(dest_url.as_ref(), String::as_str);
        let size = sizes.and_then(|s| match static_path(as_written) {
            Some(Ok(file)) => s.get(&file),
            _ => None,
        });
        // A paragraph holding only this image becomes a figure.
        let alone = matches!(out.last(), Some(Event::Start(Tag::Paragraph)))
            && matches!(events.get(end + 1), Some(Event::End(TagEnd::Paragraph)));
        let caption = (alone && !title.is_empty()).then_some(title.as_ref());
        let img = img(dest_url, &alt, if alone { "" } else { title }, size);
        if alone {
            out.pop();
            let mut html = format!("<figure>{img}");
            if let Some(caption) = caption {
                html.push_str("<figcaption>");
                escape(&mut html, caption, false);
                html.push_str("</figcaption>");
            }
            html.push_str("</figure>\n");
            out.push(Event::Html(CowStr::from(html)));
            i = end + 2;
        } else {
            out.push(Event::InlineHtml(CowStr::from(img)));
            i = end + 1;
        }
    }
    out
}

fn img(src: &str, alt: &str, title: &str, size: Option<crate::images::Size>) -> String {
    let mut html = String::from("<img src=\"");
    escape(&mut html, src, true);
    html.push_str("\" alt=\"");
    escape(&mut html, alt, false);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        escape(&mut html, title, false);
        html.push('"');
    }
    if let Some(s) = size {
        html.push_str(&format!(" width=\"{}\" height=\"{}\"", s.width, s.height));
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\">");
    html
}

fn escape(out: &mut String, text: &str, href: bool) {
    // Writing into a String cannot fail.
    let _ = if href {
        escape_href(out, text)
    } else {
        escape_html(out, text)
    };
}
