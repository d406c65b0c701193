//! Dates as authors write them (`Date::parse`, `PartialDate::parse`).
//! Beyond "no panic": a date that parses is shown in forms that parse back
//! to the same day and time (`iso`, `rfc3339`), and an event date's `iso`
//! parses back to itself.

#![no_main]

use briefly::date::{Date, PartialDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(date) = Date::parse(text) {
        let day = Date::parse(&date.iso()).expect("iso parses");
        assert_eq!(day, Date::from_day(date.day), "{text:?} -> {}", date.iso());
        let feed = Date::parse(&date.rfc3339()).expect("rfc3339 parses");
        assert_eq!(feed.day, date.day, "{text:?} -> {}", date.rfc3339());
        let hms = |d: &Date| d.time.map(|t| (t.hour(), t.minute(), t.second()));
        assert_eq!(hms(&feed), hms(&date).or(Some((0, 0, 0))), "{text:?}");
        assert_eq!(feed.offset, Some(date.offset.unwrap_or(0)), "{text:?}");
        let _ = date.as_partial().display();
    }
    if let Ok(partial) = PartialDate::parse(text) {
        let again = PartialDate::parse(&partial.iso()).expect("iso parses");
        assert_eq!(again, partial, "{text:?} -> {}", partial.iso());
        let _ = partial.display();
    }
});
