//! A real `summit-gen serve` on a free port, raw HTTP over sockets, and an SSE reader.
//! No fixed sleeps: everything polls with a deadline.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::Site;

pub const DEADLINE: Duration = Duration::from_secs(20);

/// A running server; killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub output: mpsc::Receiver<String>,
    /// The line that announced the address.
    pub ready: String,
}

impl Server {
    pub fn start(site: &Site, extra: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_summit-gen"));
        command.args(["serve", "--port", "0"]).args(extra);
        Server::spawn(site, command)
    }

    /// Starts the server with its soft open-file limit lowered to `soft` (the hard limit
    /// unchanged), as `ulimit -Sn` in a shell would.
    #[cfg(unix)]
    pub fn start_with_soft_open_file_limit(site: &Site, soft: u64) -> Server {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -S -n {soft} && exec \"$0\" serve --port 0"))
            .arg(env!("CARGO_BIN_EXE_summit-gen"));
        Server::spawn(site, command)
    }

    fn spawn(site: &Site, mut command: Command) -> Server {
        let mut child = command
            .current_dir(site.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start summit-gen serve");
        let (tx, output) = mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let started = Instant::now();
        let port = loop {
            let line = output
                .recv_timeout(DEADLINE.saturating_sub(started.elapsed()))
                .expect("serve printed its address in time");
            let address = line
                .strip_prefix("Serving the site at http://127.0.0.1:")
                .or_else(|| line.strip_prefix("Serving the site at http://localhost:"));
            if let Some(rest) = address {
                let port = rest.split('/').next().and_then(|p| p.parse().ok());
                break (port.expect("port in the address line"), line);
            }
        };
        let (port, ready) = port;
        Server {
            child,
            port,
            ready,
            output,
        }
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `raw` as is and returns the whole answer.
    pub fn raw(&self, raw: &[u8]) -> Reply {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(DEADLINE)).expect("timeout");
        s.write_all(raw).expect("send");
        let mut bytes = Vec::new();
        let _ = s.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    /// Sends `raw` as is and returns the answer's head only (for streams that never end).
    pub fn head_of(&self, raw: &[u8]) -> Reply {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(DEADLINE)).expect("timeout");
        s.write_all(raw).expect("send");
        let mut bytes = Vec::new();
        let mut buf = [0; 4096];
        while !bytes.windows(4).any(|w| w == b"\r\n\r\n") {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
            }
        }
        Reply::parse(&bytes)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    pub fn request(&self, method: &str, path: &str) -> Reply {
        self.raw(
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }

    /// Opens the reload stream and returns its events as (name, data).
    pub fn events(&self) -> mpsc::Receiver<(String, String)> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.write_all(b"GET /__summit-gen/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .expect("send");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ")
                    && tx.send((std::mem::take(&mut name), d.to_string())).is_err()
                {
                    break;
                }
            }
        });
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for the next event called `name`, skipping others (the chunked encoding's size
/// lines never start with `event:` or `data:`).
#[track_caller]
pub fn next_event(rx: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let started = Instant::now();
    loop {
        let left = DEADLINE.saturating_sub(started.elapsed());
        match rx.recv_timeout(left) {
            Ok((n, data)) if n == name => return data,
            Ok(_) => continue,
            Err(e) => panic!("no `{name}` event within {DEADLINE:?}: {e}"),
        }
    }
}

/// Polls `check` until it returns `Some`, or panics at the deadline.
#[track_caller]
pub fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(started.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n");
        let (head, body) = match split {
            Some(i) => (&bytes[..i], &bytes[i + 4..]),
            None => (bytes, &[][..]),
        };
        let head = String::from_utf8_lossy(head).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            head,
            body: body.to_vec(),
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}
