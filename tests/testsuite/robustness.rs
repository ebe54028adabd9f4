//! No panic on any input: every prefix of a note that uses every feature, and byte-level
//! damage to it, ends in a built page or in reported problems — never in a crash.

use summit_gen::{BuildOptions, Error, compile};

use crate::support::Site;

const NOTE: &str = "\u{feff}---\r\ntitle: \"Ünïcødé: «quotes» & <tags>\"\r\nspeakers:\r\n  - name: Ada\r\n    affiliation: X\r\n    url: https://example.org\r\n  - Grace\r\nday: 2021-03-01\r\nstart: \"09:30\"\r\nend: \"10:15\"\r\nroom: R1\r\ntrack: T\r\ntags: [a, b]\r\nrecommended: true\r\nvideo: https://example.org/v\r\nlinks: [{title: L, url: /x}]\r\nid: n-1\r\nextra: {k: [1, {v: w}]}\r\ndraft: false\r\n---\r\n# Heading {#own}\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n\r\n- [x] done[^n]\r\n\r\n[^n]: foot\r\n\r\n---\r\n\r\n~~gone~~ ✓\r\n";

fn assert_no_panic(site: &Site, contents: &[u8]) {
    site.write("content/talks/day-1/fuzz.md", contents);
    let result = std::panic::catch_unwind(|| compile(&BuildOptions::new(site.path())));
    match result {
        Ok(Ok(_)) => {}
        Ok(Err(Error::Content(d))) => assert!(!d.0.is_empty()),
        Ok(Err(e)) => panic!("unexpected error kind for {contents:?}: {e}"),
        Err(_) => panic!("panicked on {:?}", String::from_utf8_lossy(contents)),
    }
}

#[test]
fn every_prefix_of_a_note() {
    let site = Site::english();
    let bytes = NOTE.as_bytes();
    for end in 0..=bytes.len() {
        assert_no_panic(&site, &bytes[..end]);
    }
}

#[test]
fn damaged_bytes() {
    let site = Site::english();
    let bytes = NOTE.as_bytes();
    for (i, replacement) in (0..bytes.len()).step_by(3).zip(
        [
            b'\n', b':', b'[', b'{', b'"', 0xff, b'-', b' ', b'\t', b'&', b'*',
        ]
        .iter()
        .cycle(),
    ) {
        let mut damaged = bytes.to_vec();
        damaged[i] = *replacement;
        assert_no_panic(&site, &damaged);
    }
}
