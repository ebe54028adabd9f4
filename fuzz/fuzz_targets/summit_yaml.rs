//! summit.yaml: `Config::parse` either accepts the file (and what it accepts is usable: a
//! base URL that passes its own check, a known time zone, sorted days) or every diagnostic
//! points inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use summit_gen::config::{self, Config};

fuzz_target!(|bytes: &[u8]| {
    let Some(src) = fuzz_support::source(bytes, "summit.yaml") else {
        return;
    };
    match Config::parse(&src) {
        Ok(c) => {
            let url = c.base_url();
            assert!(url.ends_with('/'));
            assert!(
                config::check_base_url(&url).is_ok(),
                "accepted base_url {url:?} fails its check"
            );
            if c.event.timezone.is_some() {
                assert!(c.timezone.is_some(), "accepted an unknown time zone");
            }
            let days = &c.event.days.value;
            assert!(!days.is_empty());
            assert!(days.windows(2).all(|w| w[0].date < w[1].date));
            let _ = c.language;
            if let Some(t) = c.event.day_change {
                let _ = c.day_time(t);
            }
        }
        Err(diags) => fuzz_support::assert_inside(&src.text, &src.path, &diags),
    }
});
