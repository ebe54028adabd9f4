//! `serve`'s request-path resolution. A resolved key is a plain relative path: no `.` or
//! `..` segment, no empty segment, no backslash or NUL, no leading `/`. And every such plain
//! key (what a build can produce) is reachable: percent-encoded, it resolves to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use summit_gen::serve::http::resolve;

/// What a browser would escape in a path (and `%` itself, so a key's `%` survives).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

fn plain(key: &str) -> bool {
    !key.is_empty()
        && !key.contains(['\\', '\0'])
        && key.split('/').all(|s| !matches!(s, "" | "." | ".."))
}

fuzz_target!(|raw: &str| {
    if let Some(key) = resolve(raw) {
        assert!(plain(&key), "{raw:?} resolved to {key:?}");
        assert!(!key.starts_with('/'));
    }
    if plain(raw) {
        let url = format!("/{}", utf8_percent_encode(raw, PATH));
        assert_eq!(resolve(&url).as_deref(), Some(raw), "{url:?}");
    }
});
