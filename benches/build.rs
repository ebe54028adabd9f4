//! Build speed, side by side: summit-gen against Hugo (Debian's `hugo`) on the same generated
//! notes, plus the floor (reading every input, writing the same bytes, pulldown-cmark alone).
//!
//! `cargo bench --bench build` — sizes from SUMMIT_GEN_BENCH_SIZES (default "100,1000,10000"),
//! runs from SUMMIT_GEN_BENCH_RUNS (default 5, after one warm-up). Output goes to tmpfs
//! (/dev/shm) when it exists, and to disk (target/), timed separately; SUMMIT_GEN_BENCH_OUTPUTS
//! ("tmpfs", "disk" or both, the default) picks them. Runs alternate between
//! the tools; the table gives medians and the peak resident memory.
//!
//! Then a blog of recaps against one recap of as many notes (every page on, highlighting off,
//! output on tmpfs where there is one), runs alternating: SUMMIT_GEN_BENCH_BLOG (default
//! "100x100": 100 recaps of 100 notes against one recap of 10,000; empty skips it).

// wait4 is the one way to read a child's peak memory; it needs libc and `unsafe`.
#![allow(unsafe_code)]

#[path = "support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Measured {
    times: Vec<Duration>,
    peak_kb: u64,
}

impl Measured {
    fn median(&self) -> f64 {
        let mut t: Vec<f64> = self.times.iter().map(Duration::as_secs_f64).collect();
        t.sort_by(f64::total_cmp);
        let n = t.len();
        if n % 2 == 1 {
            t[n / 2]
        } else {
            (t[n / 2 - 1] + t[n / 2]) / 2.0
        }
    }
}

/// Runs `cmd`, returning wall time and the child's peak RSS (from wait4's rusage).
fn run(mut cmd: Command) -> (Duration, u64) {
    use std::os::unix::process::ExitStatusExt;
    cmd.stdout(std::process::Stdio::null());
    let started = Instant::now();
    let child = cmd.spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child; status and usage are valid pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert_eq!(r, pid, "wait4");
    let exit = std::process::ExitStatus::from_raw(status);
    assert!(exit.success(), "{cmd:?} failed: {exit}");
    std::mem::forget(child);
    (elapsed, usage.ru_maxrss as u64)
}

fn summit(site: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_summit-gen"));
    c.args(["build", "--quiet", "--root"])
        .arg(site)
        .arg("--output")
        .arg(out);
    c
}

fn hugo(site: &Path, out: &Path) -> Command {
    let mut c = Command::new("hugo");
    c.args(["--quiet", "--source"])
        .arg(site)
        .arg("--destination")
        .arg(out);
    c
}

fn measure(runs: usize, make: &dyn Fn() -> Command, clean: &dyn Fn()) -> Measured {
    clean();
    run(make()); // warm-up
    let mut m = Measured {
        times: Vec::new(),
        peak_kb: 0,
    };
    for _ in 0..runs {
        clean();
        let (t, kb) = run(make());
        m.times.push(t);
        m.peak_kb = m.peak_kb.max(kb);
    }
    m
}

/// The floor: read every input file; parse every body with pulldown-cmark; write the bytes
/// summit-gen wrote, into a fresh folder, after deleting summit-gen's output (as before every
/// timed run).
fn floor(site: &Path, built: &Path, scratch: &Path) -> (f64, f64, f64) {
    let files: Vec<PathBuf> = walk(&site.join("content"));
    let started = Instant::now();
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read"))
        .collect();
    let read = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut html = String::new();
    for t in &texts {
        let body = t.splitn(3, "---\n").nth(2).unwrap_or(t);
        html.clear();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    }
    let markdown = started.elapsed().as_secs_f64();

    let outputs: Vec<(PathBuf, Vec<u8>)> = walk(built)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read output");
            (p.strip_prefix(built).expect("prefix").to_path_buf(), bytes)
        })
        .collect();
    let _ = std::fs::remove_dir_all(scratch);
    // Every timed build runs right after the previous output was deleted; so does this write.
    // (On a journal-less ext4, as on these machines, creating files soon after deleting many
    // costs far more than on a fresh disk: the inode allocator skips recently freed inodes.)
    let _ = std::fs::remove_dir_all(built);
    let started = Instant::now();
    for (rel, bytes) in &outputs {
        let dest = scratch.join(rel);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p).expect("mkdir");
        }
        std::fs::write(dest, bytes).expect("write");
    }
    let write = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(scratch);
    (read, markdown, write)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn main() {
    let sizes: Vec<usize> = std::env::var("SUMMIT_GEN_BENCH_SIZES")
        .unwrap_or_else(|_| "100,1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = std::env::var("SUMMIT_GEN_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let kinds: Vec<String> = std::env::var("SUMMIT_GEN_BENCH_OUTPUTS")
        .unwrap_or_else(|_| "tmpfs,disk".into())
        .split(',')
        .map(|k| k.trim().to_string())
        .collect();
    let have_hugo = Command::new("hugo")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites");
    let tmpfs = Path::new("/dev/shm")
        .is_dir()
        .then(|| PathBuf::from("/dev/shm/summit-gen-bench"));
    println!("build benchmark: {cores} cores, median of {runs} runs after a warm-up");
    if !have_hugo {
        println!("hugo is not installed (apt-get install hugo): its columns are skipped");
    }
    println!();
    println!(
        "| notes | output | summit-gen | peak RSS | hugo | peak RSS | hugo / summit-gen | floor (read + markdown + write) | summit-gen / floor |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for &n in &sizes {
        let summit_site = work.join(format!("summit-{n}"));
        let hugo_site = work.join(format!("hugo-{n}"));
        let _ = std::fs::remove_dir_all(&summit_site);
        let _ = std::fs::remove_dir_all(&hugo_site);
        corpus::write_bench_site(&summit_site, n).expect("generate");
        corpus::write_hugo_site(&hugo_site, n).expect("generate");

        let mut outputs = vec![("disk", work.join(format!("out-{n}")))];
        if let Some(t) = &tmpfs {
            outputs.insert(0, ("tmpfs", t.join(format!("out-{n}"))));
        }
        outputs.retain(|(kind, _)| kinds.iter().any(|k| k == kind));
        for (kind, out) in outputs {
            let s_out = out.join("summit");
            let h_out = out.join("hugo");
            let clean_s = || {
                let _ = std::fs::remove_dir_all(&s_out);
            };
            let clean_h = || {
                let _ = std::fs::remove_dir_all(&h_out);
            };
            // Alternate: one summit-gen run, one hugo run, and so on.
            let mut s = Measured {
                times: Vec::new(),
                peak_kb: 0,
            };
            let mut h = Measured {
                times: Vec::new(),
                peak_kb: 0,
            };
            for round in 0..runs {
                let one = |m: &mut Measured, make: &dyn Fn() -> Command, clean: &dyn Fn()| {
                    let r = measure(1, make, clean);
                    m.times.extend(r.times);
                    m.peak_kb = m.peak_kb.max(r.peak_kb);
                };
                if round == 0 {
                    clean_s();
                    run(summit(&summit_site, &s_out));
                }
                one(&mut s, &|| summit(&summit_site, &s_out), &clean_s);
                if have_hugo {
                    one(&mut h, &|| hugo(&hugo_site, &h_out), &clean_h);
                }
            }
            let (read, md, write) = floor(&summit_site, &s_out, &out.join("floor"));
            let floor_total = read + md + write;
            let (hugo_col, hugo_rss, ratio) = if have_hugo {
                (
                    format!("{:.2} s", h.median()),
                    format!("{} MB", h.peak_kb / 1024),
                    format!("{:.1}×", h.median() / s.median()),
                )
            } else {
                ("—".into(), "—".into(), "—".into())
            };
            println!(
                "| {n} | {kind} | {:.2} s | {} MB | {hugo_col} | {hugo_rss} | {ratio} | {floor_total:.2} s ({read:.2} + {md:.2} + {write:.2}) | {:.1}× |",
                s.median(),
                s.peak_kb / 1024,
                s.median() / floor_total,
            );
            let _ = std::fs::remove_dir_all(&out);
        }
    }
    blog_vs_recap(&work, tmpfs.as_deref(), runs);
}

/// A blog of R recaps × T notes against one recap of R·T notes, runs alternating.
fn blog_vs_recap(work: &Path, tmpfs: Option<&Path>, runs: usize) {
    let cases: Vec<(usize, usize)> = std::env::var("SUMMIT_GEN_BENCH_BLOG")
        .unwrap_or_else(|_| "100x100".into())
        .split(',')
        .filter_map(|c| {
            let (r, t) = c.trim().split_once('x')?;
            Some((r.parse().ok()?, t.parse().ok()?))
        })
        .collect();
    if cases.is_empty() {
        return;
    }
    println!();
    println!("| layout | notes | summit-gen | peak RSS |");
    println!("|---|---|---|---|");
    for (recaps, talks) in cases {
        let n = recaps * talks;
        let single = work.join(format!("recap-{n}"));
        let blog = work.join(format!("blog-{recaps}x{talks}"));
        let _ = std::fs::remove_dir_all(&single);
        let _ = std::fs::remove_dir_all(&blog);
        corpus::write_full_site(&single, n).expect("generate");
        corpus::write_blog(&blog, recaps, talks).expect("generate");
        let out = tmpfs.unwrap_or(work).join(format!("out-blog-{n}"));
        let (s_out, b_out) = (out.join("recap"), out.join("blog"));
        let clean = |dir: &Path| {
            let _ = std::fs::remove_dir_all(dir);
        };
        let mut s = Measured {
            times: Vec::new(),
            peak_kb: 0,
        };
        let mut b = Measured {
            times: Vec::new(),
            peak_kb: 0,
        };
        for _ in 0..runs {
            for (m, site, dest) in [(&mut s, &single, &s_out), (&mut b, &blog, &b_out)] {
                let r = measure(1, &|| summit(site, dest), &|| clean(dest));
                m.times.extend(r.times);
                m.peak_kb = m.peak_kb.max(r.peak_kb);
            }
        }
        for (layout, m) in [
            ("one recap".to_string(), &s),
            (format!("blog {recaps} × {talks}"), &b),
        ] {
            println!(
                "| {layout} | {n} | {:.2} s | {} MB |",
                m.median(),
                m.peak_kb / 1024
            );
        }
        let _ = std::fs::remove_dir_all(&out);
    }
}
