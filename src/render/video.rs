//! Recordings: a `video:` on YouTube, Vimeo, media.ccc.de or a PeerTube instance becomes a
//! click-to-play embed. The page holds only a link (it works without JavaScript) and the
//! player's address; `embed.js` puts the player in place on a click, so no request goes to
//! another origin before the reader asks for it. YouTube plays from youtube-nocookie.com.

use serde::Serialize;

/// A player a recording can be embedded with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct Embed {
    /// "YouTube", "Vimeo", "media.ccc.de", "PeerTube".
    pub provider: &'static str,
    /// The player's address, loaded only after a click.
    pub src: String,
}

/// The embed for `url`, if it is a recording on a known player; any other address stays a link.
pub(super) fn embed(url: &str) -> Option<Embed> {
    let rest = url.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path = path.split('#').next().unwrap_or(path).trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').collect();
    let make = |provider, src: String| Some(Embed { provider, src });
    match (
        host.trim_start_matches("www.").trim_start_matches("m."),
        segments.as_slice(),
    ) {
        ("youtube.com", ["watch"]) => {
            let id = query.split('&').find_map(|kv| kv.strip_prefix("v="))?;
            make("YouTube", youtube(id)?)
        }
        ("youtube.com", ["embed" | "live" | "shorts", id]) | ("youtu.be", [id]) => {
            make("YouTube", youtube(id)?)
        }
        ("vimeo.com", [id]) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => make(
            "Vimeo",
            format!("https://player.vimeo.com/video/{id}?autoplay=1&dnt=1"),
        ),
        ("media.ccc.de", ["v", slug]) if is_id(slug) => make(
            "media.ccc.de",
            format!("https://media.ccc.de/v/{slug}/oembed#autoplay"),
        ),
        (_, ["w", id]) | (_, ["videos", "watch", id]) if is_id(id) && host.contains('.') => make(
            "PeerTube",
            format!("https://{host}/videos/embed/{id}?autoplay=1"),
        ),
        _ => None,
    }
}

fn youtube(id: &str) -> Option<String> {
    is_id(id).then(|| format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"))
}

/// Letters, digits, `-`, `_` and `.`: an id that cannot break out of the address.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_players_embed_and_others_stay_links() {
        let src = |url: &str| embed(url).map(|e| e.src);
        let yt = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1";
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=x&v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://m.youtube.com/live/dQw4w9WgXcQ",
        ] {
            assert_eq!(src(url).as_deref(), Some(yt), "{url}");
        }
        assert_eq!(
            src("https://vimeo.com/123456").as_deref(),
            Some("https://player.vimeo.com/video/123456?autoplay=1&dnt=1")
        );
        assert_eq!(
            src("https://media.ccc.de/v/37c3-1234-a-talk").as_deref(),
            Some("https://media.ccc.de/v/37c3-1234-a-talk/oembed#autoplay")
        );
        assert_eq!(
            src("https://tube.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d").as_deref(),
            Some(
                "https://tube.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d?autoplay=1"
            )
        );
        for url in [
            "https://example.org/talk.mp4",
            "http://youtu.be/dQw4w9WgXcQ",
            "https://youtu.be/a\"b",
            "https://vimeo.com/channels/x",
            "/videos/talk.mp4",
        ] {
            assert_eq!(src(url), None, "{url}");
        }
    }
}
