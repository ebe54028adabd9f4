//! Build speed and peak memory, side by side: summit-gen against Hugo (Debian's `hugo`) on the
//! same generated notes (every code block different, in 15 languages: see
//! `support/corpus.rs`), with highlighting off in both and on in both (summit.yaml's
//! `highlight`, Hugo's `markup.highlight.codeFences`), plus the floor (reading every input,
//! writing the same bytes, pulldown-cmark alone).
//!
//! `cargo bench --bench build` prints Markdown tables: medians, summit-gen's time as a share
//! of Hugo's (the budgets: ≤ 1/4 with highlighting off, ≤ 1/3 on), the floor, and
//! the peak resident memory of each tool (the most of any run, from wait4). Runs alternate
//! between the tools and the modes (summit-gen off, Hugo off, summit-gen on, Hugo on, …), so
//! a busy machine slows all alike; the table says how many cores there are and the load
//! average before and after.
//!
//! Knobs (environment variables):
//! - SUMMIT_GEN_BENCH_SIZES: numbers of notes, default "100,1000,10000".
//! - SUMMIT_GEN_BENCH_RUNS: timed runs of each tool in each mode, default 5, after one
//!   untimed warm-up run each.
//! - SUMMIT_GEN_BENCH_MODES: "off", "on" or both (the default, "off,on").
//! - SUMMIT_GEN_BENCH_OUTPUTS: "tmpfs" (/dev/shm, when it exists), "disk" (target/) or both,
//!   default "tmpfs".
//! - SUMMIT_GEN_BENCH_BLOG: blogs of R recaps × T notes against the same in Hugo (a section
//!   per recap), default "100x100"; empty skips them. Output on tmpfs where there is one.
//!
//! A quick run: `SUMMIT_GEN_BENCH_SIZES=1000 SUMMIT_GEN_BENCH_RUNS=1 SUMMIT_GEN_BENCH_BLOG=10x100
//! cargo bench --bench build`.

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

fn env_list(name: &str, default: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

/// The 1-minute load average, as the kernel reports it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// A timed run of `make` after deleting `out`, added to `m`.
fn timed(m: &mut Measured, make: &dyn Fn() -> Command, out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let (t, kb) = run(make());
    m.times.push(t);
    m.peak_kb = m.peak_kb.max(kb);
}

fn new_measured() -> Measured {
    Measured {
        times: Vec::new(),
        peak_kb: 0,
    }
}

fn mb(kb: u64) -> String {
    format!("{} MB", kb / 1024)
}

fn main() {
    let sizes: Vec<usize> = env_list("SUMMIT_GEN_BENCH_SIZES", "100,1000,10000")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let runs: usize = std::env::var("SUMMIT_GEN_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let kinds = env_list("SUMMIT_GEN_BENCH_OUTPUTS", "tmpfs");
    let modes: Vec<bool> = env_list("SUMMIT_GEN_BENCH_MODES", "off,on")
        .iter()
        .filter_map(|m| match m.as_str() {
            "off" => Some(false),
            "on" => Some(true),
            _ => None,
        })
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
    println!(
        "build benchmark: {cores} cores, load average {} at the start, median of {runs} runs after a warm-up, runs alternating",
        load_average()
    );
    if !have_hugo {
        println!("hugo is not installed (apt-get install hugo): its columns are skipped");
    }
    println!();
    println!(
        "| notes | highlighting | output | summit-gen | peak RSS | hugo | peak RSS | summit-gen / hugo | floor (read + markdown + write) | summit-gen / floor |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let name = |on: bool| if on { "on" } else { "off" };
    for &n in &sizes {
        let sites: Vec<(bool, PathBuf, PathBuf)> = modes
            .iter()
            .map(|&on| {
                let s = work.join(format!("summit-{n}-{}", name(on)));
                let h = work.join(format!("hugo-{n}-{}", name(on)));
                let _ = std::fs::remove_dir_all(&s);
                let _ = std::fs::remove_dir_all(&h);
                corpus::write_bench_site(&s, n, on).expect("generate");
                corpus::write_hugo_site(&h, n, on).expect("generate");
                (on, s, h)
            })
            .collect();
        let mut outputs = vec![("disk", work.join(format!("out-{n}")))];
        if let Some(t) = &tmpfs {
            outputs.insert(0, ("tmpfs", t.join(format!("out-{n}"))));
        }
        outputs.retain(|(kind, _)| kinds.iter().any(|k| k == kind));
        for (kind, out) in outputs {
            let outs = |on: bool| {
                (
                    out.join(format!("summit-{}", name(on))),
                    out.join(format!("hugo-{}", name(on))),
                )
            };
            let mut measured: Vec<(Measured, Measured)> = sites
                .iter()
                .map(|_| (new_measured(), new_measured()))
                .collect();
            for round in 0..=runs {
                for ((on, s_site, h_site), (s, h)) in sites.iter().zip(&mut measured) {
                    let (s_out, h_out) = outs(*on);
                    // Round 0 is the warm-up: timed into a throwaway.
                    let (s, h) = if round == 0 {
                        (&mut new_measured(), &mut new_measured())
                    } else {
                        (s, h)
                    };
                    timed(s, &|| summit(s_site, &s_out), &s_out);
                    if have_hugo {
                        timed(h, &|| hugo(h_site, &h_out), &h_out);
                    }
                }
            }
            for ((on, s_site, _), (s, h)) in sites.iter().zip(&measured) {
                let (s_out, _) = outs(*on);
                let (read, md, write) = floor(s_site, &s_out, &out.join("floor"));
                let floor_total = read + md + write;
                let (hugo_col, hugo_rss, ratio) = if have_hugo {
                    (
                        format!("{:.2} s", h.median()),
                        mb(h.peak_kb),
                        format!("{:.2}", s.median() / h.median()),
                    )
                } else {
                    ("—".into(), "—".into(), "—".into())
                };
                println!(
                    "| {n} | {} | {kind} | {:.2} s | {} | {hugo_col} | {hugo_rss} | {ratio} | {floor_total:.2} s ({read:.2} + {md:.2} + {write:.2}) | {:.1}× |",
                    name(*on),
                    s.median(),
                    mb(s.peak_kb),
                    s.median() / floor_total,
                );
            }
            let _ = std::fs::remove_dir_all(&out);
        }
        for (_, s, h) in &sites {
            let _ = std::fs::remove_dir_all(s);
            let _ = std::fs::remove_dir_all(h);
        }
    }
    blog(&work, tmpfs.as_deref(), runs, &modes, have_hugo);
    println!();
    println!("load average {} at the end", load_average());
}

/// Blogs of R recaps × T notes against the same notes in a Hugo site with a section per
/// recap, in each highlighting mode, runs alternating.
fn blog(work: &Path, tmpfs: Option<&Path>, runs: usize, modes: &[bool], have_hugo: bool) {
    let cases: Vec<(usize, usize)> = env_list("SUMMIT_GEN_BENCH_BLOG", "100x100")
        .iter()
        .filter_map(|c| {
            let (r, t) = c.split_once('x')?;
            Some((r.parse().ok()?, t.parse().ok()?))
        })
        .collect();
    if cases.is_empty() {
        return;
    }
    println!();
    println!(
        "| blog | notes | highlighting | summit-gen | peak RSS | hugo | peak RSS | summit-gen / hugo |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (recaps, talks) in cases {
        let n = recaps * talks;
        let out = tmpfs
            .unwrap_or(work)
            .join(format!("out-blog-{recaps}x{talks}"));
        let sites: Vec<(bool, PathBuf, PathBuf)> = modes
            .iter()
            .map(|&on| {
                let m = if on { "on" } else { "off" };
                let s = work.join(format!("blog-{recaps}x{talks}-{m}"));
                let h = work.join(format!("hugo-blog-{recaps}x{talks}-{m}"));
                let _ = std::fs::remove_dir_all(&s);
                let _ = std::fs::remove_dir_all(&h);
                corpus::write_blog(&s, recaps, talks, on).expect("generate");
                corpus::write_hugo_blog(&h, recaps, talks, on).expect("generate");
                (on, s, h)
            })
            .collect();
        let mut measured: Vec<(Measured, Measured)> = sites
            .iter()
            .map(|_| (new_measured(), new_measured()))
            .collect();
        for round in 0..=runs {
            for ((_, s_site, h_site), (s, h)) in sites.iter().zip(&mut measured) {
                let (s_out, h_out) = (out.join("summit"), out.join("hugo"));
                let (s, h) = if round == 0 {
                    (&mut new_measured(), &mut new_measured())
                } else {
                    (s, h)
                };
                timed(s, &|| summit(s_site, &s_out), &s_out);
                if have_hugo {
                    timed(h, &|| hugo(h_site, &h_out), &h_out);
                }
            }
        }
        for ((on, s_site, h_site), (s, h)) in sites.iter().zip(&measured) {
            let (hugo_col, hugo_rss, ratio) = if have_hugo {
                (
                    format!("{:.2} s", h.median()),
                    mb(h.peak_kb),
                    format!("{:.2}", s.median() / h.median()),
                )
            } else {
                ("—".into(), "—".into(), "—".into())
            };
            println!(
                "| {recaps} × {talks} | {n} | {} | {:.2} s | {} | {hugo_col} | {hugo_rss} | {ratio} |",
                if *on { "on" } else { "off" },
                s.median(),
                mb(s.peak_kb),
            );
            let _ = std::fs::remove_dir_all(s_site);
            let _ = std::fs::remove_dir_all(h_site);
        }
        let _ = std::fs::remove_dir_all(&out);
    }
}
