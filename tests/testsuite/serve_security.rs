//! `summit-gen serve` against hostile clients (issue 12): foreign Host names, redirects that
//! could name another host, and sockets that hold connections open without a request.

use crate::serve_support::Server;
use crate::support::Site;

const EVENTS: &str = "/__summit-gen/events";

fn get(path: &str, host: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

/// Regression (issue 12, DNS rebinding): with `Host: evil.example` every page, asset and 404
/// answered 200 and only the event stream was refused, so a website whose name was rebound to
/// 127.0.0.1 could read the whole preview.
#[test]
fn every_route_refuses_a_foreign_host_name() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let port = server.port;
    let refusal = format!(
        "forbidden: this preview server answers only to localhost, 127.0.0.1 and [::1], never to \
         other host names, so that no website can read it by DNS rebinding; open \
         http://127.0.0.1:{port}/\n"
    );
    let routes = [
        "/",
        "/style.css",
        "/no/such/page/",
        "/talks/keynote",
        EVENTS,
    ];
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("x.localhost:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("[::1]evil.example:{port}"),
    ] {
        for path in routes {
            let reply = server.raw(get(path, &host).as_bytes());
            assert_eq!(reply.status, 403, "{path} with Host {host}");
            assert_eq!(reply.text(), refusal, "{path} with Host {host}");
            assert_eq!(
                reply.header("content-type").as_deref(),
                Some("text/plain; charset=utf-8")
            );
            assert_eq!(reply.header("location"), None);
        }
    }
    // An absolute target names the host as well; no Host, or two, names none.
    for raw in [
        format!(
            "GET http://evil.example:{port}/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        ),
        "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
            .to_string(),
        "GET / HTTP/1.0\r\n\r\n".to_string(),
    ] {
        let reply = server.raw(raw.as_bytes());
        assert_eq!(reply.status, 403, "{raw}");
        assert_eq!(reply.text(), refusal, "{raw}");
    }
}

#[test]
fn every_route_answers_loopback_host_names() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let port = server.port;
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "LocalHost".to_string(),
    ] {
        for (path, status) in [
            ("/", 200),
            ("/style.css", 200),
            ("/no/such/page/", 404),
            ("/talks/keynote", 308),
        ] {
            assert_eq!(
                server.raw(get(path, &host).as_bytes()).status,
                status,
                "{path} with Host {host}"
            );
        }
        let events = server.head_of(get(EVENTS, &host).as_bytes());
        assert_eq!(events.status, 200, "events with Host {host}");
        assert_eq!(
            events.header("content-type").as_deref(),
            Some("text/event-stream")
        );
    }
    let absolute = format!(
        "GET http://localhost:{port}/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(server.raw(absolute.as_bytes()).status, 200);
}

/// With `--interface`, that address is answered to as well, and the refusal says so.
#[test]
fn the_interface_address_is_answered_to_on_every_interface() {
    let site = Site::english();
    let server = Server::start(&site, &["--interface", "0.0.0.0"]);
    let port = server.port;
    assert_eq!(
        server
            .raw(get("/", &format!("192.0.2.7:{port}")).as_bytes())
            .status,
        200
    );
    let refused = server.raw(get("/", "rebound.example").as_bytes());
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.text(),
        format!(
            "forbidden: this preview server answers only to localhost and IP addresses, never to \
             other host names, so that no website can read it by DNS rebinding; open \
             http://localhost:{port}/\n"
        )
    );
}

/// Regression (issue 12): `GET //talks/x` answered `Location: //talks/x/`, which a browser
/// reads as the host `talks`. A folder redirect now names a path with exactly one leading
/// slash, whatever the request looked like.
#[test]
fn a_folder_redirect_never_names_another_host() {
    let site = Site::english();
    site.write(
        "static/evil.example/index.html",
        "<!doctype html><html lang=\"en\"><title>x</title></html>",
    );
    let server = Server::start(&site, &[]);
    for (target, location) in [
        ("/talks/keynote", "/talks/keynote/"),
        ("//talks/keynote", "/talks/keynote/"),
        ("///talks//keynote", "/talks/keynote/"),
        ("//evil.example", "/evil.example/"),
        ("/%2F%2Fevil.example", "/evil.example/"),
        ("/%2fevil.example", "/evil.example/"),
        ("//evil.example?next=//x", "/evil.example/?next=//x"),
    ] {
        let reply = server.raw(get(target, "localhost").as_bytes());
        assert_eq!(reply.status, 308, "{target}");
        assert_eq!(
            reply.header("location").as_deref(),
            Some(location),
            "{target}"
        );
    }
    // With its slash a folder is served, and nothing is redirected anywhere.
    for (target, status) in [("//evil.example/", 200), ("//no.such.example/", 404)] {
        let reply = server.raw(get(target, "localhost").as_bytes());
        assert_eq!(reply.status, status, "{target}");
        assert_eq!(reply.header("location"), None, "{target}");
    }
}
