//! The Jekyll/Hugo/Eleventy tags of moved-in posts translated
//! (`shortcodes::translate`). Beyond "no panic": the body keeps its lines
//! (line numbers in errors stay right), a body without tags is left as it
//! is, the count of tags left as text is at most the tags written, and the
//! mark on a line of tags (`markdown::shown_line`) never reaches the HTML.

#![no_main]

use std::collections::BTreeMap;

use briefly::date::Date;
use briefly::markdown::render;
use briefly::shortcodes::{PageVars, translate};
use briefly::url::BaseUrl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let base = BaseUrl::parse("https://example.org/watch").expect("a base URL");
    let extra: BTreeMap<String, serde_yaml::Value> = BTreeMap::from([
        ("cover".to_string(), "/img/a.png".into()),
        ("issue".to_string(), 12.into()),
    ]);
    let page = PageVars {
        title: "The title",
        date: Date::parse("2019-05-01").ok(),
        extra: &extra,
    };
    let translated = translate(body, &base, &page);
    let text = translated.text.as_ref();
    assert_eq!(
        text.matches('\n').count(),
        body.matches('\n').count(),
        "lines changed: {body:?} -> {text:?}"
    );
    if !body.contains("{%") && !body.contains("{{") {
        assert_eq!(text, body);
    }
    if !body.contains("briefly:shown") {
        let html = render(text).html;
        assert!(!html.contains("briefly:shown"), "{body:?} -> {html:?}");
    }
    let written = body.matches("{%").count() + body.matches("{{").count();
    assert!(
        translated.unsupported <= written,
        "{} unsupported of {written} tags: {body:?}",
        translated.unsupported
    );
});
