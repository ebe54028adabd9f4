//! frab / pretalx schedule.xml, through the format detection and the XML reader directly;
//! whatever it reads must import into notes that build (see `fuzz_support::check_schedule`).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use summit_gen::import;

fuzz_target!(|text: &str| {
    let path = Path::new("schedule.xml");
    fuzz_support::check_schedule(text, path, import::frab_xml::read(text, path));
    if text.trim_start().starts_with('<') {
        fuzz_support::check_schedule(text, path, import::read(text.as_bytes(), path, import::Zones::default()));
    }
});
