//! Accepting connections for `serve`, so that sockets which never send a request cannot lock
//! real clients out: a deadline for every request's headers, a cap on open connections, and
//! the soft open-file limit raised at start.
//!
//! axum's own `serve` has none of these knobs (no header timeout, no cap), so the accept loop
//! is ours, built on the hyper-util server axum itself uses. A connection beyond the cap is not
//! accepted until a slot frees: it waits in the kernel's queue, holding no file of ours, and
//! gets in once a silent one has timed out. The header deadline runs only while hyper waits
//! for a request's head (the first one, or the next on a kept-alive connection); a response
//! being streamed, such as the reload event stream, is never cut by it.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client may take to send a request's head; then the connection is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The most connections open at once.
pub const MAX_CONNECTIONS: usize = 512;
/// Files kept free under the open-file limit for everything else the server opens: the
/// build's reads, the watcher, the runtime, the terminal.
const RESERVED_FILES: u64 = 128;
/// The fewest connections allowed, however low the open-file limit.
const MIN_CONNECTIONS: usize = 16;
/// After an accept error that is not about one connection (out of files): wait, then retry.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// Raises the soft open-file limit to the hard one; returns the limit now in force, if known.
///
/// Many systems start programs at a soft limit of 1,024 files under a far higher hard limit;
/// a server that holds one file per connection should use what it is allowed.
pub fn raise_open_file_limit() -> Option<u64> {
    let limit = rlimit::increase_nofile_limit(u64::MAX);
    // Raising can fail (a sandbox); the limit in force still bounds the connections.
    #[cfg(unix)]
    let limit =
        limit.or_else(|_| rlimit::getrlimit(rlimit::Resource::NOFILE).map(|(soft, _)| soft));
    limit.ok()
}

/// The connection cap under an open-file limit of `files`: [`MAX_CONNECTIONS`], or fewer
/// where the limit would not leave room for the rest of the server.
pub fn connection_cap(files: Option<u64>) -> usize {
    let Some(files) = files else {
        return MAX_CONNECTIONS;
    };
    usize::try_from(files.saturating_sub(RESERVED_FILES))
        .unwrap_or(usize::MAX)
        .clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

/// Serves `app` on `listener`, at most `cap` connections at a time, until dropped.
pub async fn accept(listener: TcpListener, app: Router, cap: usize) {
    let slots = Arc::new(Semaphore::new(cap));
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let builder = Arc::new(builder);
    loop {
        // The semaphore is never closed, so this never fails.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                if !is_connection_error(&e) {
                    tokio::time::sleep(ACCEPT_RETRY).await;
                }
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        let builder = builder.clone();
        tokio::spawn(async move {
            // A client that goes away, or times out, is not an error of the server.
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

/// An accept error about that one connection (the client gave up before it was accepted).
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_files_for_the_rest_of_the_server() {
        for (files, cap) in [
            (Some(0), MIN_CONNECTIONS),
            (Some(256), 128),
            (Some(1024), MAX_CONNECTIONS),
            (Some(u64::MAX), MAX_CONNECTIONS),
            (None, MAX_CONNECTIONS),
        ] {
            assert_eq!(connection_cap(files), cap, "{files:?}");
        }
    }
}
