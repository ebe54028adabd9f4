//! iCalendar (`.ics`), through the format detection and the reader directly, with and
//! without a fallback time zone; whatever it reads must import into notes that build.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use summit_gen::import;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("schedule.ics");
    // Positions are checked against the text as an editor shows it.
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let zones = import::Zones::default();
    fuzz_support::check_schedule(&text, path, import::read(bytes, path, zones));
    fuzz_support::check_schedule(&text, path, import::ics::read(bytes, path, None, None));
    let berlin = import::ics::read(bytes, path, None, Some("Europe/Berlin"));
    fuzz_support::check_schedule(&text, path, berlin);
});
