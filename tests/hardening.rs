//! Pathological input (issue #11, items 13-17): what an author can write
//! that once made a page without a title, invalid URLs, unbounded output
//! or paths the file system refuses. Each case builds a fixture site and
//! checks the output and the messages.

mod common;

use std::fs;

use common::*;

/// The fixture `desk` with these files written over it.
fn desk_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let site = fixture("desk");
    for (path, text) in files {
        let path = site.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    site
}

/// Every warning `briefly check` lists, as one text.
fn checked(site: &std::path::Path) -> String {
    let run = briefly(site, &["check"]);
    format!("{}{}", run.stdout, run.stderr)
}

/// Issue #11, item 15: a blank title (empty, spaces, an entity for a space)
/// falls back to the file name, as a missing one does, with a warning at
/// the `title` line.
#[test]
fn a_blank_title_is_made_from_the_file_name() {
    let site = desk_with(&[
        (
            "content/briefings/2024-01-01-empty-quotes.md",
            "---\ndate: 2024-01-01\ntitle: \"\"\n---\nx\n",
        ),
        (
            "content/briefings/2024-01-02-only-spaces.md",
            "---\ntitle: \"   \"\ndate: 2024-01-02\n---\nx\n",
        ),
        (
            "content/briefings/2024-01-03-an-entity.md",
            "---\ntitle: \"&nbsp;&#32;\"\ndate: 2024-01-03\n---\nx\n",
        ),
        (
            "content/briefings/2024-01-04-in-toml.md",
            "+++\ntitle = \"\"\ndate = 2024-01-04\n+++\nx\n",
        ),
        ("content/pages/blank-page.md", "---\ntitle: \" \"\n---\nx\n"),
    ]);
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for (page, title) in [
        ("briefings/empty-quotes", "Empty Quotes"),
        ("briefings/only-spaces", "Only Spaces"),
        ("briefings/an-entity", "An Entity"),
        ("briefings/in-toml", "In Toml"),
        ("blank-page", "Blank Page"),
    ] {
        let doc = html(public.join(page).join("index.html"));
        let shown = texts(&doc, "title");
        assert!(
            shown[0].starts_with(&format!("{title} ·")),
            "{page}: {shown:?}"
        );
        assert_eq!(texts(&doc, "h1")[0], title, "{page}");
    }
    let warnings = checked(site.path());
    for expected in [
        "content/briefings/2024-01-01-empty-quotes.md:3:1: blank `title`: the page is titled \"Empty Quotes\"",
        "content/briefings/2024-01-03-an-entity.md:2:1: blank `title`: the page is titled \"An Entity\"",
        "content/briefings/2024-01-04-in-toml.md:2:1: blank `title`: the page is titled \"In Toml\", made from the file name as Jekyll does; add `title = \"In Toml\"`",
        "content/pages/blank-page.md:2:1: blank `title`",
    ] {
        assert!(warnings.contains(expected), "{expected}:\n{warnings}");
    }
}

/// Issue #11, item 17: a 300-character slug, tag or own URL segment no
/// longer fails with "File name too long": the output segment is cut to
/// 200 bytes (its start, `-` and a checksum of the whole), the same on
/// every build and apart for two long ones. A NUL in an alias is named
/// with its file and line; a bad TOML value with its own line.
#[test]
fn long_names_nul_bytes_and_toml_lines() {
    let long = "a".repeat(300);
    let site = desk_with(&[
        (
            "content/briefings/2024-01-01-one.md",
            &format!(
                "---\ntitle: One\ndate: 2024-01-01\nslug: {long}\ntags: [\"{long}\"]\n---\nx\n"
            ),
        ),
        (
            "content/briefings/2024-01-02-two.md",
            &format!(
                "---\ntitle: Two\ndate: 2024-01-02\nslug: {long}-b\ntags: [\"{long} b\"]\n---\nx\n"
            ),
        ),
        (
            "content/briefings/2024-01-03-own.md",
            &format!(
                "---\ntitle: Own\ndate: 2024-01-03\nurl: /old/{long}.html\naliases:\n  - /x/{long}/\n  - \"/a\\0b/\"\n---\nx\n"
            ),
        ),
    ]);
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let mut segments = Vec::new();
    for folder in ["briefings", "tags", "old", "x"] {
        let long_ones: Vec<String> = fs::read_dir(public.join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with("aaaa"))
            .collect();
        for name in &long_ones {
            assert!(name.len() <= 200, "{folder}/{name}");
        }
        segments.push((folder, long_ones));
    }
    let count = |folder: &str| segments.iter().find(|(f, _)| *f == folder).unwrap().1.len();
    assert_eq!((count("briefings"), count("tags")), (2, 2), "{segments:?}");
    assert!(segments[2].1[0].ends_with(".html"), "{segments:?}");
    assert_eq!(count("x"), 1, "the long alias is written");
    // The pages link to each other under the cut names.
    assert!(broken_internal_links(&public, "https://example.org/watch/", "/watch/").is_empty());
    // The same names on the next build.
    let before = snapshot(&public);
    build_ok(site.path(), &[]);
    assert!(before == snapshot(&public), "the cut names are stable");
    let warnings = checked(site.path());
    let expected = "content/briefings/2024-01-03-own.md:5: `aliases`: `/a\\u{0}b/` is not written (it holds a control character such as NUL, which no file name can)";
    assert!(warnings.contains(expected), "{expected}:\n{warnings}");

    fs::write(
        site.path().join("content/briefings/2024-01-04-toml.md"),
        "+++\ntitle = \"T\"\ndate = 2024-01-04\n\n[[events]]\ndate = 2024-01-01\ntitle = \"a\"\n\n[[events]]\ntitle = \"b\"\ndate = \"2024-13-01\"\n+++\nx\n",
    )
    .unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/briefings/2024-01-04-toml.md:11: events[1].date: impossible date `2024-13-01`: there is no month 13"),
        "{}",
        run.stderr
    );
}

/// Issue #11, item 13: a briefing with thousands of tags writes output
/// that grows linearly: lists show its first 20 tags and "+N more" (its
/// own page shows them all), so each of its tag pages stays small.
#[test]
fn thousands_of_tags_give_linear_output() {
    const TAGS: usize = 2_000;
    let tags: Vec<String> = (0..TAGS).map(|i| format!("topic {i}")).collect();
    let site = desk_with(&[(
        "content/briefings/2024-01-01-many.md",
        &format!(
            "---\ntitle: Many\ndate: 2024-01-01\ntags: [{}]\n---\nx\n",
            tags.join(", ")
        ),
    )]);
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let total: usize = snapshot(&public).values().map(Vec::len).sum();
    // Each tag adds its page (about 4 KB), its timeline (6 KB: the page
    // and the 30 tags to filter by) and its feed (1.5 KB, at most 20 tags
    // an entry), and a line to a few others; with every tag in every list
    // it was about 140 KB per tag (280 MB here).
    assert!(total < TAGS * 15_000, "{total} bytes for {TAGS} tags");
    let tag_page = html(public.join("tags/topic-1999/index.html"));
    let shown = texts(&tag_page, ".summary .tag");
    assert_eq!(shown.len(), 21, "{shown:?}");
    assert_eq!(shown[..2], ["topic 0", "topic 1"]);
    assert_eq!(shown[20], "+1980 more");
    let own = html(public.join("briefings/many/index.html"));
    assert_eq!(texts(&own, ".briefing-header .tag").len(), TAGS);
}

/// Issue #11, item 14: a code block with a line over 4096 bytes is shown
/// plain (a 1 MB line once took 680 MB and wrote a 64 MB page), with a
/// warning naming the file and the line; other blocks are highlighted.
#[test]
fn a_very_long_code_line_is_shown_plain() {
    let long: String = (0..1_500).map(|i| format!("{{k:{i}}},")).collect();
    assert!(long.len() > 10_000);
    let site = desk_with(&[(
        "content/briefings/2024-01-01-data.md",
        &format!(
            "---\ntitle: Data\ndate: 2024-01-01\n---\nThe data:\n\n```js\nvar a = 1;\nvar b = [{long}];\n```\n\n```rust\nfn main() {{}}\n```\n"
        ),
    )]);
    let run = build_ok(site.path(), &[]);
    let expected = format!(
        "warning: content/briefings/2024-01-01-data.md:9: a line of {} bytes in a `js` code block: the block is shown without highlighting (lines over 4096 bytes are not highlighted)",
        long.len() + "var b = [];".len()
    );
    assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    let page = read(site.path().join("public/briefings/data/index.html"));
    let plain = format!(
        "<pre class=\"code\" tabindex=\"0\"><code class=\"language-js\">var a = 1;\nvar b = [{long}];\n</code></pre>"
    );
    assert!(page.contains(&plain), "the block is escaped plain code");
    assert!(
        page.contains("<pre class=\"code hl-code\" tabindex=\"0\"><code class=\"language-rust\">")
    );
    assert!(page.len() < long.len() + 20_000, "{} bytes", page.len());
}
