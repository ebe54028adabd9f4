//! What `serve` adds to every HTML page it serves (never to the built files): a small script
//! that listens for rebuilds, and the current build error, rendered on the server so it shows
//! even before the script runs.

/// The events endpoint the script listens on.
pub const EVENTS_PATH: &str = "/__summit-gen/events";

const SCRIPT: &str = r#"<script>
(() => {
  let build = "__BUILD__";
  const box = document.getElementById("__summit-gen-error");
  const show = (text) => { box.textContent = text; box.hidden = false; };
  const hide = () => { box.hidden = true; box.textContent = ""; };
  const events = new EventSource("__EVENTS__");
  events.addEventListener("hello", (e) => {
    const state = JSON.parse(e.data);
    if (String(state.build) !== build) { location.reload(); return; }
    document.documentElement.dataset.summitGenLive = build;
    if (state.error) { show(state.error); } else { hide(); }
  });
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", (e) => {
    build = String(JSON.parse(e.data).build);
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("summit-gen", build);
      link.href = url.toString();
    }
    hide();
  });
  events.addEventListener("build-error", (e) => show(JSON.parse(e.data).error));
})();
</script>"#;

const OVERLAY_STYLE: &str = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;\
padding:1rem 1.25rem;background:#2b0b0b;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;\
white-space:pre-wrap;border-top:4px solid #ff5c5c;z-index:2147483647";

/// The page made of `parts` (one, or the post's pieces) with the overlay and the reload
/// script added before its last `</body>` (an element never spans two pieces).
pub fn inject(parts: &[&[u8]], build: u64, error: Option<&str>) -> Vec<u8> {
    let hidden = if error.is_some() { "" } else { " hidden" };
    let snippet = format!(
        "<pre id=\"__summit-gen-error\" role=\"alert\" style=\"{OVERLAY_STYLE}\"{hidden}>{}</pre>\n{}\n",
        escape(error.unwrap_or("")),
        SCRIPT
            .replace("__BUILD__", &build.to_string())
            .replace("__EVENTS__", EVENTS_PATH)
    );
    let at = parts
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, p)| Some((i, find_last_ci(p, b"</body>")?)));
    let (piece, at) = at.unwrap_or((parts.len(), 0));
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(len + snippet.len());
    for (i, p) in parts.iter().enumerate() {
        if i == piece {
            out.extend_from_slice(&p[..at]);
            out.extend_from_slice(snippet.as_bytes());
            out.extend_from_slice(&p[at..]);
        } else {
            out.extend_from_slice(p);
        }
    }
    if piece == parts.len() {
        out.extend_from_slice(snippet.as_bytes());
    }
    out
}

fn find_last_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let out = String::from_utf8(inject(&[b"<p>a</p></BODY></html>"], 7, None)).unwrap();
        assert!(
            out.starts_with("<p>a</p><pre id=\"__summit-gen-error\""),
            "{out}"
        );
        assert!(out.ends_with("</script>\n</BODY></html>"), "{out}");
        assert!(out.contains("let build = \"7\";"));
        assert!(out.contains(" hidden>"));
    }

    /// The post in `serve` is its pieces: the script goes before the `</body>` of the last
    /// piece that has one, and every piece is sent in order.
    #[test]
    fn injects_into_a_page_of_pieces() {
        let parts: [&[u8]; 3] = [b"<body><p>a</p>", b"</body>", b"<!-- end -->"];
        let out = String::from_utf8(inject(&parts, 7, None)).unwrap();
        assert!(out.starts_with("<body><p>a</p><pre id="), "{out}");
        assert!(out.ends_with("</script>\n</body><!-- end -->"), "{out}");
    }

    #[test]
    fn error_is_escaped_and_shown() {
        let out = String::from_utf8(inject(&[b"x"], 1, Some("a.md:1:2: <bad> & \"so\""))).unwrap();
        assert!(
            out.contains(">a.md:1:2: &lt;bad&gt; &amp; &quot;so&quot;</pre>"),
            "{out}"
        );
        assert!(!out.contains(" hidden>"));
    }
}
