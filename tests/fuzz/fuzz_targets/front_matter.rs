//! A content file split into front matter and body, the front matter read
//! as YAML or TOML (`front_matter::split`, `parse`, `parse_toml`, as
//! `document.rs` calls them). Beyond "no panic": the split gives back the
//! file's own text and line numbers, tags are trimmed words, and an error's
//! line is a line of the file.

#![no_main]

use std::path::Path;

use briefly::front_matter::{self, Split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/a.md");
    let tags_from = ["tags".to_string(), "categories".to_string()];
    let last_line = lines(text) + 1;
    let split = match front_matter::split(path, text) {
        Ok(split) => split,
        Err(d) => {
            assert!(d.line.is_none_or(|l| (1..=last_line).contains(&l)), "{d}");
            return;
        }
    };
    check_split(text, &split);
    let read = if split.toml {
        front_matter::parse_toml(path, split.yaml, &tags_from)
    } else {
        front_matter::parse(path, split.yaml, &tags_from)
    };
    match read {
        Ok(matter) => {
            for tag in &matter.tags {
                assert!(!tag.is_empty() && tag.trim() == tag, "tag {tag:?}");
            }
            for key in ["title", "date", "tags"] {
                if let Some(line) = front_matter::key_line(&split, key) {
                    assert!((1..split.body_line).contains(&line), "{key} at {line}");
                }
            }
        }
        Err(d) => assert!(d.line.is_none_or(|l| (1..=last_line).contains(&l)), "{d}"),
    }
});

/// The front matter is the start of the file (less a BOM), the body its
/// end, and the body's line is the one after the closing fence.
fn check_split(text: &str, split: &Split) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    assert!(text.starts_with(split.yaml));
    assert!(text.ends_with(split.body));
    let before_body = &text[..text.len() - split.body.len()];
    let fence = before_body[split.yaml.len()..].trim_end();
    assert!(["---", "...", "+++"].contains(&fence), "fence {fence:?}");
    if before_body.ends_with('\n') {
        assert_eq!(split.body_line, before_body.matches('\n').count() + 1);
    }
}

/// Line breaks as any YAML or TOML parser may count them (libyaml also
/// takes a lone `\r`, NEL and the Unicode line and paragraph separators).
fn lines(text: &str) -> usize {
    let mut count = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => count += 1,
            _ => {}
        }
    }
    count
}
