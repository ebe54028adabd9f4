//! A real browser: headless Chromium (Debian's `chromium`) opens the served page, a note is
//! edited on disk, and the page changes without the test navigating. Chromium is driven over
//! the DevTools protocol (a WebSocket), so no Node.js or WebDriver is needed.
//!
//! `.ci/run` installs chromium. Where it is missing the test says so and passes — except under
//! CI (`CI=true`), where a missing browser is a failure.

use std::io::{BufRead, BufReader};

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

use crate::serve_support::{DEADLINE, Server, eventually};
use crate::support::Site;

fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("SUMMIT_GEN_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from));
    for c in candidates {
        if c.is_file() {
            return Some(c);
        }
    }
    assert!(
        std::env::var("CI").is_err(),
        "chromium is not installed; .ci/run installs it (apt-get install chromium)"
    );
    eprintln!("skipping the browser test: chromium is not installed");
    None
}

struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn launch(binary: &PathBuf) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        // Chromium writes its DevTools port into the profile folder.
        let port_file = profile.path().join("DevToolsActivePort");
        let port = eventually("chromium's DevTools port", || {
            let text = std::fs::read_to_string(&port_file).ok()?;
            text.lines().next()?.trim().parse::<u16>().ok()
        });
        let page_ws = eventually("a page target", || {
            let list = http_get(port, "/json/list")?;
            let targets: Value = serde_json::from_str(&list).ok()?;
            targets
                .as_array()?
                .iter()
                .find(|t| t["type"] == "page")
                .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(String::from))
        });
        let (ws, _) = tungstenite::connect(page_ws.as_str()).expect("connect to the page");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(DEADLINE)).expect("timeout");
        }
        Browser {
            child,
            _profile: profile,
            ws,
            next_id: 0,
        }
    }

    /// Sends a DevTools command and waits for its answer (skipping events).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params)
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// [`Browser::call`], its error answer as `Err`.
    fn try_call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({ "id": id, "method": method, "params": params });
        self.ws
            .send(Message::Text(msg.to_string().into()))
            .expect("send");
        let started = Instant::now();
        loop {
            assert!(started.elapsed() < DEADLINE, "no answer to {method}");
            let Message::Text(text) = self.ws.read().expect("read") else {
                continue;
            };
            let v: Value = serde_json::from_str(&text).expect("json");
            if v["id"] == id {
                return match v.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(v["result"].clone()),
                };
            }
        }
    }

    fn try_eval(&mut self, expression: &str) -> Result<Value, Value> {
        let r = self.try_call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        )?;
        Ok(r["result"]["value"].clone())
    }

    /// Polls `expression` until it is true. The page may reload meanwhile (that is what the
    /// tests wait for): an evaluation the reload cut short is tried again.
    fn wait_for(&mut self, what: &str, expression: &str) {
        let started = Instant::now();
        loop {
            match self.try_eval(expression) {
                Ok(Value::Bool(true)) => return,
                Ok(_) => {}
                Err(e) if cut_short_by_navigation(&e) => {}
                Err(e) => panic!("Runtime.evaluate ({what}): {e}"),
            }
            assert!(started.elapsed() < DEADLINE, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

/// Whether a DevTools error says the page navigated (a reload) while the command ran.
fn cut_short_by_navigation(error: &Value) -> bool {
    let message = error["message"].as_str().unwrap_or_default();
    [
        "navigated or closed",
        "context was destroyed",
        "Cannot find context",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// One HTTP GET to Chromium's DevTools endpoint; the body is read by its Content-Length
/// (the endpoint may keep the connection open).
fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes())
        .ok()?;
    let mut reader = BufReader::new(s);
    let mut length = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}

#[test]
fn the_page_follows_edits_in_a_real_browser() {
    let Some(binary) = chromium() else { return };
    let site = Site::english();
    let server = Server::start(&site, &[]);
    let mut browser = Browser::launch(&binary);
    browser.call("Runtime.enable", json!({}));
    browser.call(
        "Page.navigate",
        json!({ "url": format!("http://127.0.0.1:{}/", server.port) }),
    );
    browser.wait_for(
        "the page",
        "document.querySelector('#closing h3')?.textContent === 'Closing'",
    );
    // Wait until the page listens for rebuilds before editing.
    browser.wait_for(
        "the event stream",
        "document.documentElement.dataset.summitGenLive !== undefined",
    );

    site.write(
        "content/talks/day-2/closing.md",
        "---\ntitle: Closing, edited\nspeakers: [Ada Lovelace]\nday: 2\nstart: \"17:00\"\n---\nBye.\n",
    );
    browser.wait_for(
        "the edited title",
        "document.querySelector('#closing-edited h3')?.textContent === 'Closing, edited'",
    );

    // A broken edit shows the overlay in place; the fix removes it.
    site.write(
        "content/talks/day-2/broken.md",
        "---\ntitle: X\nday: 2\n---\n",
    );
    browser.wait_for(
        "the error overlay",
        "(() => { const e = document.getElementById('__summit-gen-error'); return !!e && !e.hidden && e.textContent.includes('content/talks/day-2/broken.md:1:1: missing required key `speakers`'); })()",
    );
    site.remove("content/talks/day-2/broken.md");
    browser.wait_for(
        "the overlay to clear",
        "(() => { const e = document.getElementById('__summit-gen-error'); return !!e && e.hidden; })()",
    );
}
