//! The HTTP side of `serve`: files from the in-memory build, and the reload event stream.
//!
//! Every request first passes the Host guard ([`host_allowed`], one layer in front of every
//! route), so a page on another site that rebinds its own name to this machine cannot read
//! the preview. Paths are then resolved strictly ([`resolve`]): percent-decoded once, then any
//! `..` or `.` segment, backslash, NUL or invalid UTF-8 is refused with 400. What remains is
//! looked up by exact key in the build's file map, so no request can reach a file that is not
//! part of the build.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt, stream};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use tokio::sync::broadcast::error::RecvError;

use super::inject::{EVENTS_PATH, inject};
use super::{Notice, Shared};

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(page)
        // `layer`, not `route_layer`: the fallback (pages, assets, 404s) is guarded too.
        .layer(middleware::from_fn_with_state(shared.clone(), guard_host))
        .with_state(shared)
}

/// Refuses, with 403, every request whose Host is not one this server answers to.
///
/// 403 rather than 421 Misdirected Request: browsers treat 421 as a hint to retry on another
/// connection (it exists for HTTP/2 connection reuse), while 403 is shown as is, and it is what
/// other preview servers answer to an unexpected Host.
async fn guard_host(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => h.to_str().ok(),
        // None, or two Host headers: no one name to check.
        _ => None,
    };
    // An absolute request target (`GET http://name/ HTTP/1.1`) names the host too.
    let target = req.uri().authority().map(|a| a.as_str());
    let bound = shared.bound;
    if host_allowed(host, bound) && target.is_none_or(|t| host_allowed(Some(t), bound)) {
        return next.run(req).await;
    }
    let mut r = Response::new(Body::from(refusal(bound)));
    *r.status_mut() = StatusCode::FORBIDDEN;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// The one line a refused request gets: which names this server answers to, and where to
/// open it. It depends only on the address the server listens on.
fn refusal(bound: SocketAddr) -> String {
    let names = match bound.ip() {
        ip if ip.is_unspecified() => "localhost and IP addresses".to_string(),
        ip if ip.is_loopback() => "localhost, 127.0.0.1 and [::1]".to_string(),
        IpAddr::V4(ip) => format!("localhost, 127.0.0.1, [::1] and {ip} (the --interface address)"),
        IpAddr::V6(ip) => {
            format!("localhost, 127.0.0.1, [::1] and [{ip}] (the --interface address)")
        }
    };
    format!(
        "forbidden: this preview server answers only to {names}, never to other host names, \
         so that no website can read it by DNS rebinding; open {}\n",
        super::url(bound)
    )
}

/// The reload stream: a `hello` with the current state, then one event per notice.
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let hello = {
        let snap = shared.snapshot();
        serde_json::json!({ "build": snap.build, "error": snap.error })
    };
    let rx = shared.notices.subscribe();
    let first =
        stream::once(async move { Ok(Event::default().event("hello").data(hello.to_string())) });
    let rest = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(notice) => return Some((Ok(to_event(&notice)), rx)),
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let stream: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        Box::pin(first.chain(rest));
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn to_event(notice: &Notice) -> Event {
    match notice {
        Notice::Reload(n) => Event::default()
            .event("reload")
            .data(serde_json::json!({ "build": n }).to_string()),
        Notice::Css(n) => Event::default()
            .event("css")
            .data(serde_json::json!({ "build": n }).to_string()),
        Notice::Error(text) => Event::default()
            .event("build-error")
            .data(serde_json::json!({ "error": text }).to_string()),
    }
}

/// The DNS-rebinding guard, the one rule for every route: the Host (with or without a port)
/// must be `localhost`, a loopback address, or the bound address (any IP literal when bound
/// to all interfaces). A rebinding attack needs a name the attacker's DNS answers for; an IP
/// literal cannot be rebound.
///
/// Subdomains of localhost (`x.localhost`) are refused: browsers that do not map them to
/// loopback themselves ask DNS, and a hostile resolver could answer for them. Nothing needs
/// them to open a one-site preview.
pub fn host_allowed(host: Option<&str>, bound: SocketAddr) -> bool {
    let Some(host) = host else { return false };
    let digits = |port: &str| port.bytes().all(|b| b.is_ascii_digit());
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, "")) => ip,
            Some((ip, port)) if port.strip_prefix(':').is_some_and(digits) => ip,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if digits(port) => name,
            _ => host,
        }
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// Every other request: a file of the build.
async fn page(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some(key) = resolve(req.uri().path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad request path\n");
    };
    let snap = shared.snapshot();
    let lookup = |k: &str| snap.files.get(k).cloned();
    let (status, path, bytes) = if let Some(b) = lookup(&key) {
        (StatusCode::OK, key, b)
    } else if !key.is_empty()
        && !key.ends_with('/')
        && lookup(&format!("{key}/index.html")).is_some()
    {
        // A folder asked for without its slash: send the browser to the folder.
        let mut r = plain(StatusCode::PERMANENT_REDIRECT, "");
        if let Ok(v) = HeaderValue::from_str(&folder_location(&key, req.uri().query())) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    } else if let Some(b) = lookup("404.html") {
        (StatusCode::NOT_FOUND, "404.html".to_string(), b)
    } else {
        let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>";
        (
            StatusCode::NOT_FOUND,
            "404.html".to_string(),
            html.as_bytes().into(),
        )
    };
    let mime = content_type(&path);
    let body: Vec<u8> = if mime.starts_with("text/html") {
        let parts: Vec<&[u8]> = bytes.chunks().collect();
        inject(&parts, snap.build, snap.error.as_deref())
    } else {
        bytes.to_vec()
    };
    drop(snap);
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// What a path segment may not hold unescaped in a `Location` (RFC 3986 `pchar`, minus `%`
/// since the key is already decoded, minus `/` since a segment holds none).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
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

/// Where a folder asked for without its slash lives: a path that starts with exactly one `/`,
/// built from the resolved key (never from the raw request, whose `//host/x` would make a
/// protocol-relative `Location` that sends the browser to another host).
fn folder_location(key: &str, query: Option<&str>) -> String {
    let mut location = String::with_capacity(key.len() + 2);
    for segment in key.split('/') {
        location.push('/');
        location.extend(utf8_percent_encode(segment, SEGMENT));
    }
    location.push('/');
    if let Some(query) = query {
        location.push('?');
        location.push_str(query);
    }
    location
}

/// The build key for a request path (the path part of the request target, still
/// percent-encoded), or `None` for a path that is refused.
///
/// `/` and `/dir/` map to `index.html` and `dir/index.html`; repeated slashes count as one.
/// The path is percent-decoded once; a path that does not start with `/`, or holds a
/// backslash (raw or decoded), a NUL, invalid UTF-8, or a `.` or `..` segment, is refused. A
/// key is therefore never empty, never starts or ends with `/`, and has no empty, `.` or `..`
/// segment: it can only name a file of the build. Pure and total (it never panics), so any
/// string may be fed to it.
pub fn resolve(raw: &str) -> Option<String> {
    if raw.contains('\\') || !raw.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("atom") => "application/atom+xml",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("pdf") => "application/pdf",
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_only_plain_paths() {
        for (raw, key) in [
            ("/", Some("index.html")),
            ("/style.css", Some("style.css")),
            ("/talks/a/", Some("talks/a/index.html")),
            ("/talks/a", Some("talks/a")),
            ("//style.css", Some("style.css")),
            ("/%C3%A6.png", Some("æ.png")),
            ("/../summit.yaml", None),
            ("/a/../../b", None),
            ("/%2e%2e/summit.yaml", None),
            ("/%2E%2E%2fsummit.yaml", None),
            ("/..%2f..%2fetc/passwd", None),
            ("/.%2e/x", None),
            ("/a\\..\\b", None),
            ("/a%5c..%5cb", None),
            ("/a%00b", None),
            ("/%ff", None),
            ("relative", None),
        ] {
            assert_eq!(resolve(raw).as_deref(), key, "{raw}");
        }
    }

    #[test]
    fn folder_locations_are_paths_with_one_leading_slash() {
        for (key, query, location) in [
            ("talks/x", None, "/talks/x/"),
            ("evil.example", None, "/evil.example/"),
            ("a b/æ", Some("q=1"), "/a%20b/%C3%A6/?q=1"),
            ("a%2f/b?c#d", None, "/a%252f/b%3Fc%23d/"),
        ] {
            assert_eq!(folder_location(key, query), location);
        }
    }

    #[test]
    fn host_guard() {
        let bound: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for ok in [
            "localhost:1111",
            "LOCALHOST",
            "127.0.0.1:1111",
            "[::1]:1111",
            "127.0.0.2",
        ] {
            assert!(host_allowed(Some(ok), bound), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "x.localhost",
            "localhost.",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "[::1]evil.example",
            "[::1]:evil",
            "[::1",
            "",
            "192.168.1.2:1111",
            "[fe80::1]",
        ] {
            assert!(!host_allowed(Some(bad), bound), "{bad}");
        }
        assert!(!host_allowed(None, bound));
        let all: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(host_allowed(Some("192.168.1.2:1111"), all));
        assert!(!host_allowed(Some("rebind.example:1111"), all));
    }
}
