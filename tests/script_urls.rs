//! Script URLs (issue 11, item 7): a `javascript:`, `vbscript:` or
//! `data:text/html` URL never becomes a live `href` or `src` from Markdown
//! or front matter, however it is written. The fixture
//! `tests/fixtures/scripts` writes every variant; what a browser would read
//! in the built pages is judged by the `url` crate (the WHATWG URL
//! standard), not by briefly's own test.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use scraper::{Html, Selector};

const LINKS: &str = "content/briefings/2024-05-01-links.md";
const RAW: &str = "content/briefings/2024-05-02-raw.md";

/// Whether a browser reads `value` as a URL that runs a script: its
/// scheme as the URL standard parses it, and for `data:` anything but a
/// raster image.
fn runs_a_script(value: &str) -> bool {
    let Ok(url) = url::Url::parse(value) else {
        return false; // a relative URL
    };
    match url.scheme() {
        "javascript" | "vbscript" => true,
        "data" => {
            let media = url.path().split([';', ',']).next().unwrap_or("");
            let media = media.trim().to_ascii_lowercase();
            !media.starts_with("image/") || media == "image/svg+xml"
        }
        _ => false,
    }
}

/// Every (file, value) of an `href` or `src` in the built HTML pages and
/// in the feed's entries (their HTML, as a feed reader reads it) that
/// would run a script.
fn json_strings(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items.iter().flat_map(json_strings).collect(),
        serde_json::Value::Object(map) => map.values().flat_map(json_strings).collect(),
        _ => Vec::new(),
    }
}

fn live_script_urls(output: &Path) -> Vec<(String, String)> {
    let selector = Selector::parse("[href], [src]").unwrap();
    let mut found = Vec::new();
    let mut seen = 0;
    for (path, bytes) in snapshot(output) {
        let text = String::from_utf8(bytes).unwrap();
        let html = match path.extension().and_then(|e| e.to_str()) {
            Some("html") => text,
            Some("xml") => html_escape::decode_html_entities(&text).into_owned(),
            // The JSON Feed's and TimelineJS's HTML is in their strings.
            Some("json") => json_strings(&serde_json::from_str(&text).unwrap()).join("\n"),
            _ => continue,
        };
        let doc = Html::parse_document(&html);
        for element in doc.select(&selector) {
            for value in [element.attr("href"), element.attr("src")]
                .into_iter()
                .flatten()
            {
                seen += 1;
                if runs_a_script(value) {
                    found.push((path.display().to_string(), value.to_string()));
                }
            }
        }
    }
    assert!(
        seen > 50,
        "only {seen} links seen: the check proves nothing"
    );
    found
}

/// The warnings `briefly check` gives for links with a script URL, in
/// order: each at its line of the Markdown file.
fn expected_warnings() -> Vec<String> {
    let link = |line: usize, url: &str| {
        format!(
            "warning: {LINKS}:{line}: link shown as its text: `{url}` is a `javascript:` URL, which would run a script in the reader's browser; link to an http(s) page instead"
        )
    };
    let image = |line: usize, url: &str, scheme: &str| {
        format!(
            "warning: {LINKS}:{line}: image shown as its alt text: `{url}` is a `{scheme}` URL, which would run a script in the reader's browser; link to an http(s) page instead"
        )
    };
    vec![
        link(9, "JAVASCRIPT:alert(2)"),
        link(9, "javascript:alert(1)"),
        link(11, "  javascript:alert(3)"),
        link(11, "java\\tscript:alert(4)"),
        link(13, "java\\tscript:alert(6)"),
        link(13, "javascript:alert(5)"),
        link(15, "Javascript:alert(10)"),
        link(15, "javascript:alert(7)"),
        image(17, "VBScript:msgbox(9)", "vbscript:"),
        image(
            17,
            "data:text/html,<script>alert(8)</script>",
            "data:text/html",
        ),
    ]
}

/// Issue 11, item 7: Markdown links, reference links, autolinks and images
/// with a script URL are shown as text, each with a warning at its line;
/// raw HTML passes through as written (authors are trusted), and `check`
/// names the live link it makes.
#[test]
fn issue_11_script_links_in_markdown_are_shown_as_text_with_warnings() {
    let site = fixture("scripts");
    let run = build_ok(site.path(), &[]);
    let public = site.path().join("public");

    // Only the raw HTML's link is live, on its page and in the site's feeds.
    let live = live_script_urls(&public);
    let raw_link = |file: &str| (file.to_string(), "javascript:alert(11)".to_string());
    assert_eq!(
        live,
        [
            raw_link("atom.xml"),
            raw_link("briefings/raw/index.html"),
            raw_link("feed.json"),
            raw_link("rss.xml")
        ]
    );
    let page = html(public.join("briefings/links/index.html"));
    let body = texts(&page, "article").join(" ");
    for text in [
        "Plain a and upper case b.",
        "a tab d.",
        "An autolink javascript:alert(7) and a reference.",
    ] {
        assert!(body.contains(text), "`{text}` in: {body}");
    }
    let images: Vec<String> = page
        .select(&Selector::parse("img").unwrap())
        .filter_map(|e| e.attr("src").map(str::to_string))
        .collect();
    assert_eq!(
        images,
        ["data:image/png;base64,iVBORw0KGgo="],
        "a pixel stays"
    );
    assert!(
        texts(&page, "a").contains(&"fine link".to_string()),
        "other links stay"
    );
    let raw = read(public.join("briefings/raw/index.html"));
    assert!(raw.contains("<script>alert(12)</script>"), "{raw}");

    // The build names the first few places, `check` every one.
    assert!(
        run.stderr.contains(&format!(
            "warning: 10 links or images with a script URL shown as text: {LINKS}:9, {LINKS}:9, {LINKS}:11 and 7 more (`briefly check` lists them all)"
        )),
        "{}",
        run.stderr
    );
    let check = briefly(site.path(), &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let listed: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.starts_with(&format!("warning: {LINKS}:")))
        .collect();
    assert_eq!(listed, expected_warnings());
    assert!(
        check.stderr.contains(&format!(
            "warning: {RAW}: `javascript:alert(11)` is a live `javascript:` link, which runs a script in the reader's browser (from raw HTML, or a template showing a front-matter value); remove it (`markdown: {{ raw_html: false }}` in site.yaml shows raw HTML as text)"
        )),
        "{}",
        check.stderr
    );
    assert!(
        briefly(site.path(), &["check", "--strict"]).code == 1,
        "a script URL is a warning `--strict` fails on"
    );
}

/// Issue 11, item 7: with `markdown: { raw_html: false }` raw HTML is shown
/// as text, and nothing in the site runs a script.
#[test]
fn issue_11_raw_html_is_shown_as_text_when_the_site_says_so() {
    let site = fixture("scripts");
    let config = site.path().join("site.yaml");
    let yaml = read(&config) + "markdown:\n  raw_html: false\n";
    fs::write(&config, yaml).unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    assert_eq!(live_script_urls(&public), []);
    let page = html(public.join("briefings/raw/index.html"));
    let shown = texts(&page, "p").join("\n");
    for text in [
        "<div class=\"box\">\n<a href=\"javascript:alert(11)\">a raw link</a>\n<script>alert(12)</script>\n</div>",
        "Inline <b>bold</b> text.",
    ] {
        assert!(shown.contains(text), "`{text}` shown in: {shown}");
    }
    assert!(
        page.select(&Selector::parse("article script, article b, .box").unwrap())
            .next()
            .is_none(),
        "no element from the raw HTML"
    );
    assert!(!read(public.join("briefings/raw/index.html")).contains("a note"));
    let check = briefly(site.path(), &["check"]);
    assert!(!check.stderr.contains(RAW), "{}", check.stderr);
}

/// Issue 11, item 7: a `sources:` URL that would run a script fails the
/// build, naming the file and line, and leaves the last output as it was.
#[test]
fn issue_11_a_script_url_in_sources_fails_the_build() {
    let site = fixture("scripts");
    build_ok(site.path(), &[]);
    let before = snapshot(&site.path().join("public"));
    for (url, scheme) in [
        ("\" JaVa\\tScript:alert(1)\"", "javascript:"),
        ("\"&#106;avascript:alert(1)\"", "javascript:"),
        ("\"java&#x09;script:alert(1)\"", "javascript:"),
        ("\"data:text/html;base64,PHNjcmlwdD4=\"", "data:text/html"),
    ] {
        let text = format!(
            "---\ntitle: Sourced\ndate: 2024-05-03\nsources:\n  - title: Fine\n    url: https://example.com/\n  - title: Bad\n    url: {url}\n---\nBody.\n"
        );
        fs::write(
            site.path().join("content/briefings/2024-05-03-sourced.md"),
            text,
        )
        .unwrap();
        let run = briefly(site.path(), &["build"]);
        assert_eq!(run.code, 1, "{url}: {}", run.stderr);
        let shown = url.trim_matches('"');
        let expected = format!(
            "error: content/briefings/2024-05-03-sourced.md:8:10: sources[1].url: `{shown}` is a `{scheme}` URL, which would run a script in the reader's browser: write the http(s) address of the source"
        );
        assert!(
            run.stderr.contains(&expected),
            "expected `{expected}` in:\n{}",
            run.stderr
        );
        assert!(
            before == snapshot(&site.path().join("public")),
            "public/ changed"
        );
        let check = briefly(site.path(), &["check"]);
        assert_eq!(check.code, 1);
        assert!(check.stderr.contains(&expected), "{}", check.stderr);
    }
}
