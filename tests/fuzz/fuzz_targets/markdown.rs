//! A body rendered to HTML (`markdown::render`) and scanned at load time
//! (`markdown_scan::scan`). Beyond "no panic": the heading ids the scan
//! finds (which links may point at) are the ids the rendering gives.

#![no_main]

use briefly::markdown::render;
use briefly::markdown_scan::scan;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let rendered = render(body);
    let scanned = scan(body);
    let ids: Vec<&str> = rendered.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(scanned.anchors, ids, "{body:?}");
});
