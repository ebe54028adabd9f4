//! Save-to-reload latency of `summit-gen serve`: the time from writing a note to the moment
//! an open page receives its `reload` event, over 20 edits (median; the edits alternate
//! between two notes, highlighting on as by default), on the example post and on generated
//! 1,000-, 5,000- and 10,000-talk sites. Also reports the server's own rebuild time.
//!
//! Run with `cargo bench --bench reload`; `RELOAD_SIZES=10000` picks the generated sizes,
//! `RELOAD_KEEP=1` leaves the generated sites in the temp folder (to profile by hand),
//! `SUMMIT_GEN_BIN=path` measures that binary instead of this checkout's.

#[path = "support/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const EDITS: usize = 20;

struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    // `SUMMIT_GEN_BIN` measures another build of the binary (e.g. the one before a change).
    let bin = std::env::var_os("SUMMIT_GEN_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_summit-gen")),
        PathBuf::from,
    );
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    let first = lines
        .recv_timeout(Duration::from_secs(120))
        .expect("ready line");
    let port = first
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first:?}"));
    Server { child, lines, port }
}

/// Opens the event stream; yields event names as they arrive.
fn events(port: u16) -> mpsc::Receiver<(Instant, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(b"GET /__summit-gen/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("send");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            if let Some(name) = line.trim_end().strip_prefix("event: ")
                && tx.send((Instant::now(), name.to_string())).is_err()
            {
                break;
            }
            line.clear();
        }
    });
    rx
}

fn wait_for(rx: &mpsc::Receiver<(Instant, String)>, name: &str) -> Instant {
    loop {
        let (at, n) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("event in time");
        if n == name {
            return at;
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn measure(label: &str, root: &Path, notes: [&Path; 2]) {
    let server = start(root);
    let rx = events(server.port);
    wait_for(&rx, "hello");
    let originals = notes.map(|n| std::fs::read_to_string(n).expect("note"));
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    for i in 0..EDITS {
        let (note, original) = (notes[i % 2], &originals[i % 2]);
        let text = format!("{original}\nEdit number {i}.\n");
        let t0 = Instant::now();
        std::fs::write(note, text).expect("write note");
        let at = wait_for(&rx, "reload");
        latencies.push(at.duration_since(t0).as_secs_f64() * 1000.0);
        let line = server
            .lines
            .recv_timeout(Duration::from_secs(10))
            .expect("rebuild line");
        if let Some(ms) = line
            .strip_prefix("Rebuilt in ")
            .and_then(|r| r.split(' ').next())
            .and_then(|m| m.parse::<f64>().ok())
        {
            rebuilds.push(ms);
        }
        // Let the page's reload settle before the next edit (as a person would).
        std::thread::sleep(Duration::from_millis(50));
    }
    for (note, original) in notes.iter().zip(&originals) {
        std::fs::write(note, original).expect("restore note");
    }
    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "| {label} | {:.0} ms | {:.0} ms | {:.0}–{:.0} ms | {:.0} ms |",
        median(latencies),
        sorted[(sorted.len() * 9) / 10 - 1],
        sorted[0],
        sorted[sorted.len() - 1],
        median(rebuilds),
    );
}

fn main() {
    // `cargo bench` passes --bench; ignore arguments.
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "save-to-reload over {EDITS} edits, {cores} cores (includes the watcher's wait for a whole save)\n"
    );
    println!("| site | median | p90 | min–max | rebuild (median, server) |");
    println!("|---|---|---|---|---|");

    let example = tempfile_dir("example");
    copy(&repo.join("summit.yaml"), &example.join("summit.yaml"));
    copy_dir(&repo.join("content"), &example.join("content"));
    // Its cover and figures: without them the example does not build.
    copy_dir(&repo.join("static"), &example.join("static"));
    let notes = [
        example.join("content/talks/day-2/ksqldb-in-action.md"),
        example.join("content/talks/day-1/lyft-ride.md"),
    ];
    measure("example (8 talks)", &example, [&notes[0], &notes[1]]);

    let sizes: Vec<usize> = std::env::var("RELOAD_SIZES").map_or_else(
        |_| vec![1_000, 5_000, 10_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let keep = std::env::var_os("RELOAD_KEEP").is_some();
    for n in sizes {
        let dir = tempfile_dir(&format!("gen-{n}"));
        corpus::write_site(&dir, n).expect("generate");
        let notes = [n / 2, n / 3].map(|i| corpus::note_path(&dir, i));
        measure(
            &format!("generated, {n} talks"),
            &dir,
            [&notes[0], &notes[1]],
        );
        if keep {
            println!("kept {}", dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    let _ = std::fs::remove_dir_all(&example);
}

fn tempfile_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("summit-gen-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).expect("copy");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            copy(&e.path(), &dest);
        }
    }
}
