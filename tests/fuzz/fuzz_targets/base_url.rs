//! `base_url` taken apart (`BaseUrl::parse`). Beyond "no panic": the root
//! starts and ends with `/` and ends the absolute URL, which is http(s) and
//! parses back to the same `BaseUrl`; URLs made under it start with it.

#![no_main]

use briefly::url::BaseUrl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(base) = BaseUrl::parse(text) else {
        return;
    };
    assert!(
        base.root.starts_with('/') && base.root.ends_with('/'),
        "{base:?}"
    );
    assert!(base.absolute.ends_with(&base.root), "{base:?}");
    assert!(
        base.absolute.starts_with("https://") || base.absolute.starts_with("http://"),
        "{base:?}"
    );
    assert_eq!(
        BaseUrl::parse(&base.absolute).as_ref(),
        Ok(&base),
        "{text:?}"
    );
    assert!(base.url("/tags/").starts_with(&base.root));
    assert!(base.permalink("/tags/").starts_with(&base.absolute));
});
