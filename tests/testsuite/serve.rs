//! `summit-gen serve` over real HTTP: live reload, error overlay, safe file serving.

use scraper::Html;

use crate::serve_support::{Server, eventually, next_event};
use crate::support::{Site, sel, texts};

pub(crate) const NOTE: &str = "content/talks/day-1/b-keynote.md";

pub(crate) fn note(title: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"09:00\"\n---\nThe first keynote.\n"
    )
}

#[test]
fn serves_the_post_with_a_reload_script_that_the_built_files_lack() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let reply = server.get("/");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
    let html = Html::parse_document(&reply.text());
    assert_eq!(
        texts(html.root_element(), "h1"),
        ["RustConf-ish 2021: my notes"]
    );
    assert!(
        reply
            .text()
            .contains("new EventSource(\"/__summit-gen/events\")")
    );
    // serve writes nothing to disk …
    assert!(!site.path().join("public").exists());
    // … and the built files have no script.
    site.build().success();
    assert!(!site.read("public/index.html").contains("__summit-gen"));
    let built = Html::parse_document(&site.read("public/index.html"));
    let scripts = sel("script:not([type=\"application/ld+json\"])");
    assert_eq!(built.select(&scripts).count(), 0);
}

/// On every interface the address printed is one this machine can open (it printed
/// `http://0.0.0.0:PORT/`).
#[test]
fn on_every_interface_it_prints_a_localhost_address() {
    let site = Site::english();
    let server = Server::start(&site, &["--interface", "0.0.0.0"]);
    assert!(
        server.ready.starts_with(&format!(
            "Serving the site at http://localhost:{}/ (built ",
            server.port
        )),
        "{}",
        server.ready
    );
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn an_edit_reloads_the_page() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    site.write(NOTE, note("A brand new title"));
    next_event(&events, "reload");
    let page = server.get("/").text();
    assert!(
        page.contains("A brand new title"),
        "served page not updated"
    );
    eventually("the rebuild line", || {
        server.output.try_iter().find(|l| {
            l.starts_with("Rebuilt in ")
                && l.ends_with(": content/talks/day-1/b-keynote.md changed")
        })
    });
}

#[test]
fn a_stylesheet_edit_swaps_css_without_a_reload() {
    let site = Site::english();
    site.write("static/style.css", "body { color: black }");
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    site.write("static/style.css", "body { color: rebeccapurple }");
    let data = next_event(&events, "css");
    assert!(data.starts_with("{\"build\":"), "{data}");
    assert_eq!(
        server.get("/style.css").text(),
        "body { color: rebeccapurple }"
    );
    assert_eq!(
        server.get("/style.css").header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
}

#[test]
fn a_broken_note_shows_the_error_and_the_fix_clears_it() {
    let site = Site::english();
    let mut server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");

    site.write(
        "content/talks/day-1/broken.md",
        "---\ntitle: X\nspeakers: [A]\nday: three\n---\n",
    );
    let expected = "content/talks/day-1/broken.md:4:6: invalid value for `day`: expected a day number (1, 2, …) or a date (YYYY-MM-DD), found \"three\"";
    let data = next_event(&events, "build-error");
    assert!(
        data.contains("broken.md:4:6: invalid value for `day`"),
        "{data}"
    );
    let page = Html::parse_document(&server.get("/").text());
    let overlay = page
        .select(&sel("pre#__summit-gen-error"))
        .next()
        .expect("overlay");
    assert_eq!(overlay.text().collect::<String>(), expected);
    assert_eq!(overlay.value().attr("hidden"), None);
    // The last good build is still served underneath.
    assert_eq!(
        texts(page.root_element(), "h1"),
        ["RustConf-ish 2021: my notes"]
    );

    site.remove("content/talks/day-1/broken.md");
    next_event(&events, "reload");
    let page = Html::parse_document(&server.get("/").text());
    let overlay = page
        .select(&sel("pre#__summit-gen-error"))
        .next()
        .expect("overlay");
    assert_eq!(overlay.value().attr("hidden"), Some(""));
    assert_eq!(overlay.text().collect::<String>(), "");
    assert!(server.is_running());
}

#[test]
fn editor_swap_files_do_not_rebuild() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    site.write("content/talks/day-1/.b-keynote.md.swp", "garbage");
    site.write("content/talks/day-1/b-keynote.md~", "garbage");
    // A real edit afterwards is the first thing reported.
    site.write(NOTE, note("After the swap files"));
    next_event(&events, "reload");
    let first = eventually("a rebuild line", || {
        server
            .output
            .try_iter()
            .find(|l| l.starts_with("Rebuilt") || l.starts_with("Build failed"))
    });
    assert!(
        first.ends_with("content/talks/day-1/b-keynote.md changed"),
        "{first}"
    );
}

#[test]
fn paths_outside_the_build_are_refused() {
    let site = Site::english();
    let outside = Site::empty();
    outside.write("secret.txt", "top secret");
    site.write("static/ok.txt", "fine");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/leak.txt"),
    )
    .expect("symlink");
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/ok.txt").text(), "fine");

    for target in [
        "/../summit.yaml",
        "/../../../../../../etc/passwd",
        "/%2e%2e/summit.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e%2fsummit.yaml",
        "/..%2fsummit.yaml",
        "/ok.txt/..%2f..%2fsummit.yaml",
        "/static\\..\\summit.yaml",
        "/%5c..%5csummit.yaml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/./summit.yaml",
        "/summit.yaml",
        "/content/intro.md",
        "/leak.txt",
        "/ok.txt%00.html",
        "http://localhost/../summit.yaml",
        "/%c0%ae%c0%ae/summit.yaml",
    ] {
        let reply = server.raw(
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert!(
            matches!(reply.status, 400 | 404),
            "{target}: {}",
            reply.status
        );
        let body = reply.text();
        assert!(
            !body.contains("top secret") && !body.contains("root:") && !body.contains("event:"),
            "{target} leaked:\n{body}"
        );
    }
    // Garbage gets an error answer, and the server carries on.
    let garbage = server.raw(b"\x16\x03\x01\x02\x00 not http at all\r\n\r\n");
    assert!(
        garbage.status == 400 || garbage.body.is_empty(),
        "{garbage:?}"
    );
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn http_basics() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let head = server.request("HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("content-length").is_some_and(|l| l != "0"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    // The site's own 404 page, with the reload script.
    let page = Html::parse_document(&missing.text());
    assert_eq!(texts(page.root_element(), "h1"), ["Page not found"]);
    assert!(missing.text().contains("__summit-gen/events"));
    assert_eq!(server.request("POST", "/").status, 405);
    // The reload stream only answers for localhost names (DNS-rebinding guard).
    let rebound = server.raw(b"GET /__summit-gen/events HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n");
    assert_eq!(rebound.status, 403);
}

#[test]
fn two_thousand_requests_fifty_at_a_time() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let port = server.port;
    let handles: Vec<_> = (0..50)
        .map(|_| {
            std::thread::spawn(move || {
                (0..40)
                    .filter(|i| {
                        let path = if i % 2 == 0 { "/" } else { "/style.css" };
                        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
                        use std::io::{Read, Write};
                        s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
                            .expect("send");
                        let mut reply = Vec::new();
                        let _ = s.read_to_end(&mut reply);
                        reply.starts_with(b"HTTP/1.1 200 OK")
                    })
                    .count()
            })
        })
        .collect();
    let ok: usize = handles.into_iter().map(|h| h.join().expect("thread")).sum();
    assert_eq!(ok, 2000);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let site = Site::english();
    let run = site.run(&["serve", "--port", &port.to_string()]);
    run.failure();
    assert_eq!(
        run.stderr,
        format!(
            "error: 127.0.0.1:{port}: port {port} is already in use — stop the program using it, or pick another port with `--port`\n"
        )
    );
}

/// Ctrl-C (SIGINT) and SIGTERM stop the server cleanly — even right after it says it is
/// ready (regression: the handler used to be installed only later, so an early Ctrl-C killed
/// the process) — and it leaves nothing behind.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    for signal in ["-INT", "-TERM"] {
        stops_cleanly_on(signal);
    }
}

#[cfg(unix)]
fn stops_cleanly_on(signal: &str) {
    let site = Site::english();
    let before = crate::support::tree(site.path());
    let mut server = Server::start(&site, &[]);
    let pid = server.child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let status = eventually("the server to exit", || {
        server.child.try_wait().ok().flatten()
    });
    assert!(status.success(), "{status:?}");
    assert_eq!(
        crate::support::tree(site.path()),
        before,
        "serve left files behind"
    );
}

/// A page that reconnects to a restarted server is told a different build number.
#[test]
fn build_numbers_differ_between_server_runs() {
    let site = Site::english();
    let hello = |server: &Server| crate::serve_support::next_event(&server.events(), "hello");
    let first = hello(&Server::start(&site, &[]));
    let second = hello(&Server::start(&site, &[]));
    assert_ne!(first, second);
}

/// Incremental rebuilds reuse pages whose inputs did not change; what is served must still
/// be exactly what a fresh build writes — after a body edit, and after a title edit that
/// changes other pages too (neighbours, speakers, tags).
#[test]
fn incremental_rebuilds_serve_what_a_fresh_build_writes() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    let edits = [
        (
            "content/talks/day-1/b-keynote.md",
            note("Keynote").replace("The first keynote.", "A new body."),
        ),
        ("content/talks/day-1/b-keynote.md", note("Renamed keynote")),
    ];
    for (path, text) in edits {
        site.write(path, text);
        next_event(&events, "reload");
        site.build().success();
        for page in [
            "index.html",
            "talks/keynote/index.html",
            "talks/renamed-keynote/index.html",
            "talks/keynote-2/index.html",
            "talks/closing/index.html",
            "speakers/index.html",
            "tags/index.html",
            "schedule.ics",
        ] {
            let built = std::fs::read_to_string(site.path().join("public").join(page));
            let served = server.get(&format!("/{page}"));
            match built {
                Ok(built) => {
                    assert_eq!(served.status, 200, "{page}");
                    assert_eq!(
                        without_live_reload(&served.text()),
                        built,
                        "{page} is stale"
                    );
                }
                Err(_) => assert_eq!(served.status, 404, "{page} should be gone"),
            }
        }
    }
}

/// Issue 17: a rebuild looks again only at the paths the watcher names; a folder made or
/// renamed names none of the notes inside it, so it walks the site. A note in a new folder,
/// then the folder renamed, is served as a fresh build writes it.
#[test]
fn a_new_folder_and_a_renamed_one_are_walked() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    let notes = site.path().join("content/talks");
    std::fs::create_dir(notes.join("extra")).expect("mkdir");
    std::fs::write(notes.join("extra/late.md"), note("A late addition")).expect("write");
    eventually("the new note served", || {
        server
            .get("/")
            .text()
            .contains("A late addition")
            .then_some(())
    });
    std::fs::rename(notes.join("extra"), notes.join("moved")).expect("rename");
    std::fs::write(notes.join("moved/late.md"), note("Moved and edited")).expect("write");
    eventually("the moved note served", || {
        let page = server.get("/").text();
        (page.contains("Moved and edited") && !page.contains("A late addition")).then_some(())
    });
    site.build().success();
    assert_eq!(
        without_live_reload(&server.get("/").text()),
        site.read("public/index.html")
    );
}

/// Issue 12.9: a page was reused because its note was not in the last run's list of edits —
/// but that run had failed. Break note B, edit A's body, fix B: A's old text was served. The
/// same with summit.yaml broken and restored. Reuse is now decided from each page's inputs.
#[test]
fn bug_a_failed_rebuild_left_an_edited_page_stale() {
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event(&events, "hello");
    let a = "content/talks/day-1/a-keynote.md";
    let b = "content/talks/day-1/b-keynote.md";
    let yaml = "summit.yaml";
    let (a_text, b_text, yaml_text) = (site.read(a), site.read(b), site.read(yaml));
    let steps = [
        (b, b_text.replace("day: 1", "day: 9"), "build-error"),
        (
            a,
            a_text.replace("The second keynote", "Edited while B was broken"),
            "build-error",
        ),
        (b, b_text.clone(), "reload"),
        (yaml, format!("{yaml_text}bogus: 1\n"), "build-error"),
        (
            a,
            a_text.replace("The second keynote", "Edited while summit.yaml was broken"),
            "build-error",
        ),
        (yaml, yaml_text.clone(), "reload"),
    ];
    for (path, text, event) in steps {
        site.write(path, text);
        next_event(&events, event);
        if event == "reload" {
            site.build().success();
            assert_served_is_built(&site, &server);
        }
    }
    assert!(
        server
            .get("/")
            .text()
            .contains("Edited while summit.yaml was broken"),
        "the last edit is served"
    );
}

/// Every page of a fresh build, as served: the same bytes (less the live-reload script).
#[track_caller]
pub(crate) fn assert_served_is_built(site: &Site, server: &Server) {
    for (page, built) in site.snapshot_dir("public") {
        let page = page.to_string_lossy().into_owned();
        if page == ".summit-gen" {
            continue; // the output folder's mark, not part of the site
        }
        let served = server.get(&format!("/{page}"));
        assert_eq!(served.status, 200, "{page}");
        if page.ends_with(".html") {
            assert_eq!(
                without_live_reload(&served.text()),
                String::from_utf8_lossy(&built),
                "{page} is stale"
            );
        } else {
            assert_eq!(served.body, built, "{page} is stale");
        }
    }
}

/// A served page without what `serve` adds to it.
fn without_live_reload(html: &str) -> String {
    match (
        html.find("<pre id=\"__summit-gen-error\""),
        html.rfind("</script>\n"),
    ) {
        (Some(start), Some(end)) if end > start => {
            format!("{}{}", &html[..start], &html[end + "</script>\n".len()..])
        }
        _ => html.to_string(),
    }
}
