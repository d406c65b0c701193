//! Permalink patterns parsed and filled (`Permalink::parse`, `expand`).
//! The input is lines: the pattern, the slug as written, the file name
//! (Jekyll's `:title`), the date, then one category per line. The fields are
//! made as `document.rs` makes them. Beyond "no panic": an expanded path
//! starts with `/`, has no empty, `.` or `..` segment and is written inside
//! the output folder; and a pattern that `site.yaml`'s check accepts makes
//! a path for every briefing (`document.rs` relies on it with `expect`).

#![no_main]

use std::path::Component;

use briefly::date::Date;
use briefly::permalink::{Fields, Permalink};
use briefly::url::{names_file, output_path, slugify, title_slug};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let Ok(permalink) = Permalink::parse(lines.next().unwrap_or("")) else {
        return;
    };
    let slug_written = lines.next().unwrap_or("");
    let name = lines.next().unwrap_or("");
    let Ok(date) = Date::parse(lines.next().unwrap_or("2024-06-09")) else {
        return;
    };
    let categories: Vec<String> = lines.map(str::to_string).collect();

    // As `document.rs`: the slug from the front matter, else the file name.
    let slug = [slug_written, name]
        .into_iter()
        .map(slugify)
        .find(|s| !s.is_empty());
    let Some(slug) = slug else {
        return; // "cannot make a URL slug": an error for the author.
    };
    let title = [slug_written, name]
        .into_iter()
        .map(title_slug)
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| slug.clone());
    let fields = Fields {
        slug: &slug,
        title: &title,
        date: &date,
        categories: &categories,
    };
    let expanded = permalink.expand(&fields);
    if let Ok(path) = &expanded {
        check_path(path);
    }

    // As `config.rs` checks site.yaml's pattern.
    let sample_date = Date::parse("2024-01-01").expect("a date");
    let sample = Fields {
        slug: "x",
        title: "x",
        date: &sample_date,
        categories: &[],
    };
    let accepted = permalink.to_string().starts_with('/')
        && permalink.names_each_briefing()
        && permalink.expand(&sample).is_ok();
    if accepted {
        assert!(
            expanded.is_ok(),
            "`{permalink}` passes site.yaml's check but fails for {slug:?} {title:?} {categories:?}: {expanded:?}"
        );
    }
});

fn check_path(path: &str) {
    assert!(path.starts_with('/'), "{path:?}");
    assert!(path.ends_with('/') || names_file(path), "{path:?}");
    let inner = path.trim_start_matches('/').trim_end_matches('/');
    if !inner.is_empty() {
        for segment in inner.split('/') {
            assert!(!["", ".", ".."].contains(&segment), "{path:?}");
        }
    }
    let file = output_path(path);
    assert!(
        file.components().all(|c| matches!(c, Component::Normal(_))),
        "{path:?} is written at {file:?}"
    );
}
