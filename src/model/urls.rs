//! Which addresses front matter may give (`video`, `slides`, `links`, speakers' `url`,
//! `image`): http(s), mailto or a path on the site, seen as a browser sees them.

const URL_HELP: &str = "use an http:// or https:// address, or a path on this site";

/// Whether `url` leads off the site: it has a scheme (`https:`, `mailto:`) or is
/// protocol-relative (`//host/…`). Anything else is a path on the site or an `#anchor`.
pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '?', '#']))
}

/// A front-matter link that cannot be used, and how to fix it.
pub struct BadUrl {
    pub why: String,
    pub help: String,
}

/// Links in front matter must be http(s), mailto, or relative: never `javascript:` and the like.
/// A web address written without its scheme (`www.youtube.com/…`, `youtu.be/…`) would be a
/// path on this site, so it is refused too, with the address to write instead.
///
/// The check sees the address as a browser does (WHATWG URL parsing): tabs and line breaks
/// anywhere are dropped, spaces and control characters at either end are trimmed, and `\`
/// counts as `/`. So `//evil.example`, `\\evil.example`, `/\evil.example` (another host, as
/// the browser reads them) and `https:evil.example` (a web address without `//`, which the
/// browser completes to `https://evil.example/`) are refused like `javascript:`.
pub fn check_url(url: &str) -> Result<(), BadUrl> {
    let seen: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = seen.trim_matches(|c: char| c <= ' ');
    let bad = |why: String| {
        Err(BadUrl {
            why,
            help: URL_HELP.into(),
        })
    };
    if url.is_empty() {
        return bad("is empty".into());
    }
    if url.contains('\\') {
        return bad(format!(
            "`{url}` contains a backslash, which browsers read as `/`"
        ));
    }
    if url.starts_with("//") {
        return bad(format!(
            "`{url}` starts with `//`, so it leads to another host"
        ));
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    match scheme_end {
        Some(i) if i < path_start => {
            let scheme = url[..i].to_ascii_lowercase();
            let rest = &url[i + 1..];
            match scheme.as_str() {
                "mailto" => Ok(()),
                "http" | "https" => match rest.strip_prefix("//") {
                    Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
                    _ => bad(format!(
                        "`{url}` is a web address without `//` and a host after `{scheme}:`"
                    )),
                },
                _ => bad(format!("uses the scheme `{scheme}:`, which is not allowed")),
            }
        }
        _ if looks_like_a_host(&url[..path_start]) => Err(BadUrl {
            why: format!("`{url}` has no `https://`, so it would be a path on this site"),
            help: format!("write `https://{url}`"),
        }),
        _ => Ok(()),
    }
}

/// `www.example.org`, `youtu.be`, `vimeo.com`: a host name, not a file of the site (files
/// end in `.pdf`, `.png`, …; host names in a top-level domain).
fn looks_like_a_host(first_segment: &str) -> bool {
    const DOMAINS: &[&str] = &[
        "com", "org", "net", "io", "dev", "be", "tv", "co", "app", "info", "me", "ly", "gg", "eu",
        "uk", "de", "dk", "se", "no", "nl", "fr",
    ];
    let lower = first_segment.to_ascii_lowercase();
    if lower.starts_with("www.") {
        return true;
    }
    match lower.rsplit_once('.') {
        Some((name, tld)) => !name.is_empty() && DOMAINS.contains(&tld),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for ok in [
            "https://x.org/a",
            "http://x",
            "mailto:a@b.c",
            "/talks/a/",
            "../x.md",
            "#a",
            "a/b:c",
            "slides.pdf",
            "img/a.png",
            "talks/a.b/",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            " ",
            "vbscript:x",
            "www.youtube.com/watch?v=1",
            "youtu.be/abc",
            "vimeo.com/123",
            "WWW.example.org",
            // Issue 12.3: links a browser reads as another host.
            "//evil.example",
            "\\\\evil.example",
            "/\\evil.example",
            "\\/evil.example",
            " //evil.example",
            "/\t/evil.example",
            "https:evil.example",
            "HTTPS:/evil.example",
            "https:///evil.example",
            "https://",
            "java\nscript:alert(1)",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
