//! The briefing page (issue 12, item 4): JSON-LD beside the Open Graph
//! tags, the events as a dated list, related briefings by shared events,
//! footnote ids that cannot clash with heading ids, images with their size
//! and `loading="lazy"`, and `check`'s warning for images without alt text.
//! Built from `tests/fixtures/desk` and `tests/fixtures/briefing-page`.

mod common;

use std::collections::HashSet;

use common::*;
use scraper::{Html, Selector};

fn select<'a>(doc: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(selector).unwrap();
    doc.select(&selector).collect()
}

/// The JSON-LD of a page, parsed from its script's text.
fn json_ld(doc: &Html) -> serde_json::Value {
    let scripts = select(doc, r#"head script[type="application/ld+json"]"#);
    assert_eq!(scripts.len(), 1, "one JSON-LD script in the head");
    let text: String = scripts[0].text().collect();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("invalid JSON-LD {text}: {e}"))
}

#[test]
fn json_ld_is_a_news_article_with_every_field_and_html_safe() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let path = public.join("briefings/troops/index.html");
    // The title holds `<script>…</script>`: escaped, it stays in the script.
    let text = read(&path);
    let script = text
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    assert!(!script.contains('<') && !script.contains('>') && !script.contains('&'));
    assert!(
        script.contains(r#""headline":"\u003cscript\u003ealert(1)\u003c/script\u003e troops""#)
    );
    assert_eq!(
        json_ld(&html(&path)),
        serde_json::json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "<script>alert(1)</script> troops",
            "description": "Troops arrive & more, 3<4.",
            "datePublished": "2024-10-25T09:30:00+09:00",
            "dateModified": "2024-11-02",
            "author": [{"@type": "Person", "name": "Fixture desk"}],
            "keywords": ["North Korea", "ukraine"],
            "url": "https://example.org/watch/briefings/troops/",
            "mainEntityOfPage": "https://example.org/watch/briefings/troops/",
            "inLanguage": "en",
            "publisher": {
                "@type": "Organization",
                "name": "Test <Desk> & Co",
                "url": "https://example.org/watch/"
            }
        })
    );
    // Authors written in the front matter; a date without a time is a day;
    // no `updated`, no `dateModified`.
    let treaty = json_ld(&html(public.join("briefings/treaty/index.html")));
    assert_eq!(
        treaty["author"],
        serde_json::json!([{"@type": "Person", "name": "A. Analyst"}])
    );
    assert_eq!(treaty["datePublished"], "2024-06-20");
    assert!(treaty.get("dateModified").is_none());
    // Beside the Open Graph tags, which stay.
    assert!(text.contains("<meta property=\"og:type\" content=\"article\">"));
}

#[test]
fn the_events_are_an_ordered_list_of_times_at_the_precision_written() {
    let site = fixture("briefing-page");
    build_ok(site.path(), &[]);
    let text = read(site.path().join("public/briefings/kazan-a/index.html"));
    let list = text
        .split("<ol class=\"event-list\">")
        .nth(1)
        .and_then(|rest| rest.split("</ol>").next())
        .unwrap();
    assert_eq!(
        list,
        "\n<li class=\"event\">\n\
         <span class=\"event-date\"><time class=\"date\" datetime=\"2024\">2024</time></span>\n\
         <span class=\"event-title\">The year of the bloc</span>\n</li>\n\
         <li class=\"event\">\n\
         <span class=\"event-date\"><time class=\"date\" datetime=\"2024-10\">October 2024</time></span>\n\
         <span class=\"event-title\">A month of talks</span>\n</li>\n\
         <li class=\"event event-range\">\n\
         <span class=\"event-date\"><time class=\"date\" datetime=\"2024-10-22\">22 October 2024</time> – \
         <time class=\"date\" datetime=\"2024-10-24\">24 October 2024</time></span>\n\
         <span class=\"event-title\">BRICS summit, Kazan</span>\n</li>\n"
    );
}

#[test]
fn briefings_covering_the_same_event_are_related_without_a_shared_tag() {
    let site = fixture("briefing-page");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let related = |slug: &str| {
        let doc = html(public.join(format!("briefings/{slug}/index.html")));
        select(&doc, ".related-list a")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect::<Vec<_>>()
    };
    // kazan-b shares no tag with kazan-a, only the event (same day, same
    // title slug); it comes before the tag-mate, as a shared event ranks
    // above a shared tag. `other` dates an event of the same title only by
    // its month: another event, so it is nobody's relation.
    assert_eq!(
        related("kazan-a"),
        ["/sub/briefings/kazan-b/", "/sub/briefings/tagmate/"]
    );
    assert_eq!(related("kazan-b"), ["/sub/briefings/kazan-a/"]);
    assert_eq!(related("tagmate"), ["/sub/briefings/kazan-a/"]);
    assert!(related("other").is_empty());
}

#[test]
fn footnote_ids_cannot_clash_with_heading_ids() {
    let site = fixture("briefing-page");
    build_ok(site.path(), &[]);
    let doc = html(site.path().join("public/briefings/kazan-a/index.html"));
    let ids: Vec<String> = select(&doc, "[id]")
        .iter()
        .map(|e| e.value().attr("id").unwrap().to_string())
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "every id once: {ids:?}");
    // A heading titled "1" keeps its id; one titled "fn-1" gives way.
    let headings: Vec<&str> = select(&doc, ".content h2")
        .iter()
        .map(|h| h.value().attr("id").unwrap())
        .collect();
    assert_eq!(headings, ["1", "section-fn-1"]);
    // The notes at the end, numbered by first reference, each linking back.
    let notes: Vec<&str> = select(&doc, ".content section.footnotes li")
        .iter()
        .map(|li| li.value().attr("id").unwrap())
        .collect();
    assert_eq!(notes, ["fn-1", "fn-2"]);
    let references: Vec<(&str, &str)> = select(&doc, ".content sup.footnote-reference")
        .iter()
        .map(|sup| {
            let a = sup
                .first_child()
                .and_then(scraper::ElementRef::wrap)
                .unwrap();
            (
                sup.value().attr("id").unwrap(),
                a.value().attr("href").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        references,
        [
            ("fnref-1", "#fn-1"),
            ("fnref-2", "#fn-2"),
            ("fnref-1-2", "#fn-1")
        ]
    );
    let backlinks: Vec<&str> = select(&doc, "#fn-1 a.footnote-backref")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(backlinks, ["#fnref-1", "#fnref-1-2"]);
    // The table of contents names the headings by their ids.
    assert!(select(&doc, "a[href=\"#section-fn-1\"]").len() >= 2);
}

/// An image's `src`, `width`, `height` and `loading`.
type ImageAttrs<'a> = (String, Option<&'a str>, Option<&'a str>, Option<&'a str>);

#[test]
fn images_get_their_size_from_the_file_and_load_lazily() {
    let site = fixture("briefing-page");
    build_ok(site.path(), &[]);
    let doc = html(site.path().join("public/briefings/kazan-a/index.html"));
    let images: Vec<ImageAttrs> = select(&doc, ".content img")
        .iter()
        .map(|img| {
            let a = |name: &str| img.value().attr(name);
            (
                a("src").unwrap().to_string(),
                a("width"),
                a("height"),
                a("loading"),
            )
        })
        .collect();
    let lazy = Some("lazy");
    assert_eq!(
        images,
        [
            // A PNG under content/, by a relative path: 3 x 2.
            (
                "../../images/dot.png".to_string(),
                Some("3"),
                Some("2"),
                lazy
            ),
            (
                "../../images/dot.png".to_string(),
                Some("3"),
                Some("2"),
                lazy
            ),
            // The theme's static file, by its URL under the sub-path: 4 x 1.
            ("/sub/logo.png".to_string(), Some("4"), Some("1"), lazy),
            // Remote: nothing fetched, no size.
            (
                "https://example.org/remote.png".to_string(),
                None,
                None,
                lazy
            ),
            // Not an image file.
            ("../../images/notes.txt".to_string(), None, None, lazy),
        ]
    );
    // A file named .png whose header is not a PNG gets no size, and no error.
    let desk = fixture("desk");
    build_ok(desk.path(), &[]);
    let treaty = html(desk.path().join("public/briefings/treaty/index.html"));
    let map = select(&treaty, ".content img");
    assert_eq!(map[0].value().attr("src"), Some("../../images/map.png"));
    assert_eq!(map[0].value().attr("width"), None);
    assert_eq!(map[0].value().attr("loading"), Some("lazy"));
}

#[test]
fn check_warns_about_images_without_alt_text_at_their_line() {
    let site = fixture("briefing-page");
    let run = briefly(site.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("no alt text"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: content/briefings/kazan-a.md:26: the image `../../images/dot.png` has no alt text: describe it between the brackets (`![what it shows](../../images/dot.png)`) for readers who cannot see it"
        ]
    );
    // Decorative images are the author's call: the build does not warn.
    let built = build_ok(site.path(), &[]);
    assert!(!built.stderr.contains("alt text"), "{}", built.stderr);
}

/// A changed image is a changed page while serving: the body's fingerprint
/// holds its images' sizes, and the new size is read, not a stale one.
#[test]
fn a_resized_image_rerenders_the_pages_showing_it() {
    use briefly::config::BaseUrlOverride;
    use briefly::engine::Engine;

    let site = fixture("briefing-page");
    let root = site.path();
    let mut engine = Engine::new(root, false, BaseUrlOverride::None);
    engine.rebuild(&[]).unwrap();
    let page = std::path::Path::new("briefings/kazan-a/index.html");
    let sizes = |engine: &Engine| {
        let store = engine.store();
        let doc = Html::parse_document(&String::from_utf8_lossy(&store[page]));
        select(&doc, ".content img")
            .iter()
            .map(|img| {
                let a = |name: &str| img.value().attr(name).unwrap_or("-").to_string();
                format!("{}x{}", a("width"), a("height"))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(sizes(&engine), ["3x2", "3x2", "4x1", "-x-", "-x-"]);
    // dot.png becomes a copy of the 4 x 1 logo.
    let dot = root.join("content/images/dot.png");
    std::fs::copy(root.join("templates/static/logo.png"), &dot).unwrap();
    let outcome = engine.rebuild(&[dot]).unwrap();
    assert!(
        outcome.written.iter().any(|p| p == page),
        "{:?}",
        outcome.written
    );
    assert_eq!(sizes(&engine), ["4x1", "4x1", "4x1", "-x-", "-x-"]);
}
