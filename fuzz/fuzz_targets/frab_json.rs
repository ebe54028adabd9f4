//! pretalx / frab / c3voc schedule.json, through the format detection and the JSON reader
//! directly; whatever it reads must import into notes that build.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use summit_gen::import;

fuzz_target!(|text: &str| {
    let path = Path::new("schedule.json");
    fuzz_support::check_schedule(text, path, import::read(text.as_bytes(), path, import::Zones::default()));
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        fuzz_support::check_schedule(text, path, import::frab_json::read(&value, path));
    }
});
