//! `summit-gen serve` against hostile clients (issue 12): foreign Host names, redirects that
//! could name another host, and sockets that hold connections open without a request.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::serve_support::{Server, next_event};
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

/// The soft and hard "Max open files" of a running process, as /proc shows them.
#[cfg(target_os = "linux")]
fn open_file_limits(pid: u32) -> (String, String) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).expect("read limits");
    let line = limits
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))
        .expect("a Max open files line");
    let mut fields = line.split_whitespace().map(str::to_string);
    (
        fields.next().expect("soft limit"),
        fields.next().expect("hard limit"),
    )
}

/// How many sockets a process holds open.
#[cfg(target_os = "linux")]
fn open_sockets(pid: u32) -> usize {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    fds.filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

/// Regression (issue 12): the server kept the soft open-file limit it was started with (often
/// 1,024, far under the hard one), so a thousand idle sockets used up all its files.
#[cfg(target_os = "linux")]
#[test]
fn the_soft_open_file_limit_is_raised_to_the_hard_one_at_start() {
    let site = Site::english();
    let (_, hard) = open_file_limits(std::process::id());
    let server = Server::start_with_soft_open_file_limit(&site, 256);
    assert_eq!(open_file_limits(server.child.id()), (hard.clone(), hard));
}

/// Regression (issue 12): 1,100 sockets that sent nothing, at `ulimit -n 1024`, used up the
/// server's files for good and locked every real client out. Now a client that sends no
/// request head within the header timeout (10 s) is dropped, even one that keeps dribbling
/// bytes; at most 512 connections are open at once and the rest wait their turn; and the
/// reload stream, open all along, outlives the timeout.
#[cfg(target_os = "linux")]
#[test]
fn silent_sockets_never_lock_a_real_client_out() {
    /// Above the cap of 512 connections, and above the server's file limit before the fix.
    const SILENT: usize = 600;
    /// The server's connection cap.
    const CAP: usize = 512;
    /// Four header timeouts: a real client waits for one round of silent ones.
    const WAIT: Duration = Duration::from_secs(40);
    let site = Site::english();
    let server = Server::start_with_soft_open_file_limit(&site, 256);
    let port = server.port;
    let events = server.events();
    next_event(&events, "hello");
    // The listener, the runtime's own sockets and the reload stream.
    let idle = open_sockets(server.child.id());
    let started = Instant::now();

    // A client that sends one byte of its head every 200 ms, never finishing it.
    let dribbler = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let mut head = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".to_vec();
        let mut buf = [0; 1024];
        while started.elapsed() < WAIT {
            if s.write_all(&head).is_err() {
                return Some(started.elapsed());
            }
            head = b"a".to_vec();
            match s.read(&mut buf) {
                Ok(0) => return Some(started.elapsed()),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                // An error answer or a reset: the server dropped it too.
                Ok(_) | Err(_) => return Some(started.elapsed()),
            }
        }
        None
    });
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let connect = || {
        let left = WAIT.saturating_sub(started.elapsed());
        TcpStream::connect_timeout(&address, left.max(Duration::from_millis(1)))
            .expect("the server takes connections")
    };
    let mut silent: Vec<TcpStream> = (0..SILENT).map(|_| connect()).collect();

    // Until the first round of silent sockets is dropped: the most the server holds open.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let monitor = {
        let done = done.clone();
        let pid = server.child.id();
        std::thread::spawn(move || {
            let mut most = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                most = most.max(open_sockets(pid));
                std::thread::sleep(Duration::from_millis(20));
            }
            most
        })
    };

    // A real request gets its page, once the silent ones it queued behind have timed out.
    let request = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let answered = loop {
        let left = WAIT
            .checked_sub(started.elapsed())
            .expect("a real request answered in time");
        let mut s = connect();
        s.set_read_timeout(Some(left)).expect("timeout");
        s.write_all(request).expect("send");
        let mut reply = Vec::new();
        let _ = s.read_to_end(&mut reply);
        if reply.starts_with(b"HTTP/1.1 200 OK") {
            break started.elapsed();
        }
    };
    assert!(answered < WAIT, "{answered:?}");

    // The first silent socket was closed by the server, not left open.
    let first = &mut silent[0];
    first
        .set_read_timeout(Some(WAIT.saturating_sub(started.elapsed())))
        .expect("timeout");
    let mut buf = [0; 1024];
    loop {
        match first.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!("a silent socket was not dropped: {e}"),
        }
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let most = monitor.join().expect("monitor thread");
    assert!(
        most <= idle + CAP,
        "the server held {most} sockets open, {idle} when idle"
    );
    let dribbled = dribbler.join().expect("dribbler thread");
    assert!(dribbled.is_some(), "a dribbling client was never dropped");

    // The reload stream, opened before all this, still works.
    site.write(
        "content/talks/day-1/b-keynote.md",
        "---\ntitle: \"Still live\"\nspeakers: [Ada Lovelace]\nday: 1\nstart: \"09:00\"\n---\nBody.\n",
    );
    next_event(&events, "reload");
    drop(silent);
}
