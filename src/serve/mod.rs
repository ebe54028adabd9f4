//! `serve`: build, serve the site from memory over HTTP, rebuild on every edit, and tell the
//! open pages to reload (or to swap their stylesheet, or to show the build error).
//!
//! The build is the library's own [`Builder`] (one build path), kept for the server's
//! lifetime so an edit re-parses only what changed. The built files live in memory and are
//! served only by exact path: nothing outside the build output can be reached, and nothing is
//! written to disk, so there is nothing to clean up on Ctrl-C. tokio stays inside this module.

pub mod http;
mod inject;
mod listen;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::error::{Error, Result};
use crate::load::Changes;
use crate::{BuildOptions, Builder};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

/// What the server tells its caller (the command line prints it).
pub trait Reporter: Send + Sync + 'static {
    /// The server answers at `url`; `first` is the first build's outcome.
    fn ready(&self, url: &str, first: &Outcome);
    /// A rebuild after `changed` (a short description of the edited files).
    fn rebuilt(&self, changed: &str, outcome: &Outcome);
}

/// The outcome of one build.
pub struct Outcome {
    pub elapsed: Duration,
    pub result: std::result::Result<BuildStats, Error>,
}

pub struct BuildStats {
    pub files: usize,
    pub talks: usize,
    pub warnings: Vec<crate::Diagnostic>,
    /// How long each stage took.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What the open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Reload the page: build `n` is ready.
    Reload(u64),
    /// Only stylesheets changed in build `n`: swap them, keep the page.
    Css(u64),
    /// The build failed; show this.
    Error(String),
}

/// The current site as served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The builder's own map of the last good build's files, shared.
    pub files: Arc<crate::render::Files>,
    /// Counts good builds; pages carry the number they were served with.
    pub build: u64,
    pub error: Option<String>,
}

pub struct Shared {
    pub current: RwLock<Snapshot>,
    pub notices: broadcast::Sender<Notice>,
    pub bound: SocketAddr,
}

impl Shared {
    fn snapshot(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.current.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// Builds, serves and watches until Ctrl-C.
pub fn run(opts: ServeOptions, reporter: impl Reporter) -> Result<()> {
    let cap = listen::connection_cap(listen::raise_open_file_limit());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("could not start the server runtime", "serve", e))?;
    runtime.block_on(serve(opts, cap, Arc::new(reporter)))
}

async fn serve(opts: ServeOptions, cap: usize, reporter: Arc<dyn Reporter>) -> Result<()> {
    let addr = SocketAddr::new(opts.interface, opts.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| bind_error(addr, e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Error::io("could not read the bound address", "serve", e))?;
    let (notices, _) = broadcast::channel(64);
    // Build numbers start from the clock, so a page that reconnects to a restarted server
    // sees a different number and reloads.
    let epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let shared = Arc::new(Shared {
        current: RwLock::new(Snapshot {
            build: epoch,
            ..Snapshot::default()
        }),
        notices,
        bound,
    });

    // Ctrl-C (and SIGTERM) must stop the server cleanly from the moment it says it is ready:
    // register the handlers now, not when the main loop first waits on them.
    let stop = Stop::register()?;

    // The first build happens before the server answers.
    let mut builder = Builder::new();
    let first = rebuild(&mut builder, &opts.build, Changes::Unknown, &shared);
    reporter.ready(&url(bound), &first);

    let watcher = watch::Watcher::start(&opts.build.root)?;
    let build_opts = opts.build.clone();
    let shared_for_builds = shared.clone();
    let reporter_for_builds = reporter.clone();
    std::thread::Builder::new()
        .name("summit-gen-rebuild".into())
        .spawn(move || {
            let mut watcher = watcher;
            while let Some((changed, changes)) = watcher.next_change() {
                let outcome = rebuild(&mut builder, &build_opts, changes, &shared_for_builds);
                reporter_for_builds.rebuilt(&changed, &outcome);
            }
        })
        .map_err(|e| Error::io("could not start the watcher thread", "serve", e))?;

    let app = http::router(shared);
    tokio::select! {
        () = listen::accept(listener, app, cap) => Ok(()),
        () = stop.wait() => Ok(()),
    }
}

/// The address to open the site at. Listening on every interface (0.0.0.0, ::): this machine
/// opens it as localhost.
fn url(bound: SocketAddr) -> String {
    match bound.ip() {
        ip if ip.is_unspecified() => format!("http://localhost:{}/", bound.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", bound.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", bound.port()),
    }
}

/// The signals that stop the server, registered before it reports ready.
struct Stop {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Stop {
    fn register() -> Result<Stop> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let listen = |kind| {
                signal(kind).map_err(|e| Error::io("could not listen for Ctrl-C", "serve", e))
            };
            Ok(Stop {
                interrupt: listen(SignalKind::interrupt())?,
                terminate: listen(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Stop {})
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> Error {
    let (reason, help) = match e.kind() {
        std::io::ErrorKind::AddrInUse => (
            format!("port {} is already in use", addr.port()),
            "stop the program using it, or pick another port with `--port`".to_string(),
        ),
        std::io::ErrorKind::AddrNotAvailable => (
            format!("{} is not an address of this machine", addr.ip()),
            "use `--interface 127.0.0.1`".to_string(),
        ),
        std::io::ErrorKind::PermissionDenied => (
            format!("no permission to use port {}", addr.port()),
            "pick a port above 1023 with `--port`".to_string(),
        ),
        _ => (
            format!("could not listen: {e}"),
            "try another `--port`".to_string(),
        ),
    };
    Error::Serve {
        what: format!("{addr}: {reason}"),
        help,
    }
}

/// Runs one build after `changes` and publishes its result to the pages.
fn rebuild(
    builder: &mut Builder,
    opts: &BuildOptions,
    changes: Changes,
    shared: &Shared,
) -> Outcome {
    let started = Instant::now();
    let result = builder.compile_after(opts, changes);
    let elapsed = started.elapsed();
    // The builder keeps the files by path for its next build: serve that very map.
    let files = builder.kept_files();
    let mut current = shared.current.write().unwrap_or_else(|e| e.into_inner());
    // What this build replaced or no longer needs: freed only after the pages were told, as
    // freeing a 10,000-talk site's model and pages takes milliseconds.
    let mut spent = None;
    let (result, notice) = match result {
        Ok(mut compiled) => {
            let notice = notice_for(&current, &files, compiled.changed_since(&current.files));
            let stats = BuildStats {
                files: files.len(),
                talks: compiled.talks(),
                warnings: std::mem::take(&mut compiled.warnings),
                timings: std::mem::take(&mut compiled.timings),
            };
            if notice.is_some() {
                current.build += 1;
            }
            spent = Some((std::mem::replace(&mut current.files, files), compiled));
            current.error = None;
            (
                Ok(stats),
                notice.map(|css_only| {
                    if css_only {
                        Notice::Css(current.build)
                    } else {
                        Notice::Reload(current.build)
                    }
                }),
            )
        }
        Err(e) => {
            let text = e.to_string();
            current.error = Some(text.clone());
            (Err(e), Some(Notice::Error(text)))
        }
    };
    drop(current);
    if let Some(n) = notice {
        // No open page is not an error.
        let _ = shared.notices.send(n);
    }
    drop(spent);
    Outcome { elapsed, result }
}

/// `None`: nothing to tell the pages; `Some(true)`: only stylesheets changed. `changed`: the
/// paths whose contents differ from `old`'s, when the build knows (else the maps are compared).
fn notice_for(
    old: &Snapshot,
    new: &crate::render::Files,
    changed: Option<&[Arc<str>]>,
) -> Option<bool> {
    let recovering = old.error.is_some();
    let compared = || {
        new.iter()
            .filter(|(path, bytes)| old.files.get(*path) != Some(*bytes))
            .map(|(path, _)| &**path)
            .chain(
                old.files
                    .keys()
                    .filter(|p| !new.contains_key(*p))
                    .map(|p| &**p),
            )
    };
    let changed: Box<dyn Iterator<Item = &str>> = match changed {
        Some(paths) => Box::new(paths.iter().map(|p| &**p)),
        None => Box::new(compared()),
    };
    let mut changed = changed.peekable();
    if changed.peek().is_none() {
        return recovering.then_some(false);
    }
    let css_only = changed.all(|p| p.ends_with(".css"));
    Some(css_only && !recovering)
}
