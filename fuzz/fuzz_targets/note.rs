//! One talk note: the loader's decoding, the front-matter split and the typed parse.
//! A note either parses (and its body is the file's text from `body_line` on) or every
//! diagnostic points inside the file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use summit_gen::parse::{self, front_matter};

fuzz_target!(|bytes: &[u8]| {
    let Some(src) = fuzz_support::source(bytes, "content/talks/day-1/note.md") else {
        return;
    };
    let text: &str = &src.text;
    if let Ok(split) = front_matter::split(text, Path::new("x")) {
        let before = &text[..text.len() - split.body.len()];
        assert!(
            text.ends_with(split.body),
            "body is not the end of the file"
        );
        // (An empty body after a closing fence at the very end starts on no line at all.)
        if !split.body.is_empty() {
            assert_eq!(
                before.matches('\n').count() + 1,
                split.body_line,
                "body_line"
            );
        }
        if let Some(yaml) = split.yaml {
            assert!(text.contains(yaml));
        }
    }
    match parse::talk(&src) {
        Ok(talk) => {
            assert!(text.ends_with(&*talk.body));
            let (line, col) = parse::file_pos(&talk.meta.title.referenced, talk.yaml_line);
            fuzz_support::assert_position_inside(text, line, col, "title's position");
            let slug = summit_gen::model::slugify(&talk.meta.title.value);
            assert!(
                !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            );
            assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        }
        Err(diags) => fuzz_support::assert_inside(text, &src.path, &diags),
    }
    if let Err(diags) = parse::page(&src) {
        fuzz_support::assert_inside(text, &src.path, &diags);
    }
});
