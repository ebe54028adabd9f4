//! A schedule given as an `http(s)://` URL: downloaded into memory with a deadline and a size
//! cap (ureq, rustls with the webpki roots: no system TLS library needed), never saved.

use std::time::Duration;

use crate::error::{Diagnostic, Error, Result};

/// The largest schedule downloaded (the biggest real exports are a few MB).
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// The body of `url`, or a message naming the URL and what to do instead.
pub fn get(url: &str, timeout: Duration) -> Result<Vec<u8>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("summit-gen/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let fail = |what: String, help: &str| Error::from(vec![Diagnostic::new(url, what).help(help)]);
    let by_hand =
        "download the schedule by hand (in a browser, or with curl -O) and import the file";
    // Look the host up first: a failure here is "no network" or a typo, whatever the system's
    // resolver calls it.
    let uri: ureq::http::Uri = url.parse().map_err(|_| {
        fail(
            "not a valid address".into(),
            "give the schedule's full http(s):// address",
        )
    })?;
    let host = uri.host().unwrap_or_default().trim_matches(['[', ']']);
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    if std::net::ToSocketAddrs::to_socket_addrs(&(host, port)).is_err() {
        return Err(fail(
            "could not find the server (no network, or a mistyped address)".into(),
            by_hand,
        ));
    }
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| failure(e, timeout, &fail, by_hand))?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(
            format!(
                "the server answered {} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )
            .trim_end()
            .to_string(),
            "check the address (open it in a browser), or download the schedule by hand and import the file",
        ));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| failure(e, timeout, &fail, by_hand))
}

fn failure(
    e: ureq::Error,
    timeout: Duration,
    fail: &dyn Fn(String, &str) -> Error,
    by_hand: &str,
) -> Error {
    match e {
        ureq::Error::HostNotFound => fail(
            "could not find the server (no network, or a mistyped address)".into(),
            by_hand,
        ),
        ureq::Error::Timeout(_) => fail(
            format!("no complete answer within {} s", timeout.as_secs()),
            "try again, pass a longer --timeout SECONDS, or download the schedule by hand and import the file",
        ),
        ureq::Error::BodyExceedsLimit(_) => fail(
            format!(
                "the download is larger than {} MB; a schedule is smaller",
                MAX_BYTES / (1024 * 1024)
            ),
            "check that the address is the schedule export, or download it by hand and import the file",
        ),
        ureq::Error::ConnectionFailed | ureq::Error::Io(_) => {
            fail(format!("could not download it: {e}"), by_hand)
        }
        other => fail(format!("could not download it: {other}"), by_hand),
    }
}
