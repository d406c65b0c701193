//! Issue 12 ("For the reader"), items 2, 3 and 5: a timeline per tag and
//! filter links on the timeline, the timeline as TimelineJS data and as an
//! iCalendar file, RSS, JSON Feed and a feed per tag, and tag pages
//! paginated like the index. Every site is built under the sub-path
//! `https://example.org/watch`; feeds are read back with feed-rs, the
//! calendar with the icalendar crate's parser, JSON with serde_json.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::*;
use scraper::{Html, Selector};

const BASE: &str = "https://example.org/watch/";

fn feed(path: &Path) -> feed_rs::model::Feed {
    feed_rs::parser::parse(read(path).as_bytes())
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()))
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().expect("a title").content.clone())
        .collect()
}

fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&Selector::parse(selector).unwrap())
        .filter_map(|e| e.attr(attr).map(str::to_string))
        .collect()
}

/// A site of `count` briefings under `base_url`, one a day from
/// 2024-01-01, all tagged `big` (and the first also `small`), each with an
/// event `events_back` days before it.
fn generated_site(count: usize, paginate: usize, events_back: Option<i64>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("site.yaml"),
        format!("title: Gen\nbase_url: https://example.org/watch\npaginate: {paginate}\n"),
    )
    .unwrap();
    let briefings = dir.path().join("content/briefings");
    fs::create_dir_all(&briefings).unwrap();
    let start = jiff::civil::date(2024, 1, 1);
    for n in 0..count {
        let day = start.checked_add(jiff::Span::new().days(n as i64)).unwrap();
        let tags = if n == 0 { "[big, small]" } else { "[big]" };
        let events = match events_back {
            Some(back) => {
                let when = day.checked_sub(jiff::Span::new().days(back)).unwrap();
                format!("events:\n  - date: {when}\n    title: \"Event {n}\"\n")
            }
            None => String::new(),
        };
        fs::write(
            briefings.join(format!("b{n:03}.md")),
            format!(
                "---\ntitle: \"Briefing {n}\"\ndate: {day}\ntags: {tags}\n{events}---\nBody {n}.\n"
            ),
        )
        .unwrap();
    }
    dir
}

/// Issue 12, item 3: the site's Atom, RSS 2.0 and JSON Feed 1.1 feeds and
/// each tag's Atom feed parse with a maintained parser; their entries are
/// the newest briefings (a tag's: its own) with RFC 3339 / RFC 2822 dates
/// kept to the instant, absolute URLs under the sub-path, and links in the
/// full content made absolute (JSON Feed and RSS have no `xml:base`).
#[test]
fn issue12_3_every_feed_parses_with_its_entries_dates_and_absolute_urls() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let newest = [
        "Precedents",
        "<script>alert(1)</script> troops",
        "Treaty signed",
    ];
    use feed_rs::model::FeedType;
    for (file, kind) in [
        ("atom.xml", FeedType::Atom),
        ("rss.xml", FeedType::RSS2),
        ("feed.json", FeedType::JSON),
    ] {
        let parsed = feed(&public.join(file));
        assert_eq!(parsed.feed_type, kind, "{file}");
        assert_eq!(titles(&parsed), newest, "{file}");
        assert_eq!(
            parsed.title.as_ref().unwrap().content,
            "Test <Desk> & Co",
            "{file}"
        );
        let links: Vec<&str> = parsed.links.iter().map(|l| l.href.as_str()).collect();
        assert!(
            links.contains(&"https://example.org/watch/"),
            "{file}: {links:?}"
        );
        if kind != FeedType::RSS2 {
            // feed-rs keeps RSS's atom:link self link out of `links`.
            assert!(
                links.contains(&format!("{BASE}{file}").as_str()),
                "{file}: {links:?}"
            );
        }
        let troops = &parsed.entries[1];
        assert_eq!(
            troops.published.unwrap().to_rfc3339(),
            "2024-10-25T00:30:00+00:00",
            "{file}: 09:30 at +09:00"
        );
        assert_eq!(
            troops.links[0].href,
            "https://example.org/watch/briefings/troops/"
        );
        assert!(
            troops
                .summary
                .as_ref()
                .is_some_and(|s| s.content.contains("Troops arrive & more, 3<4.")),
            "{file}: {:?}",
            troops.summary
        );
        let treaty = &parsed.entries[2];
        let content = treaty.content.as_ref().and_then(|c| c.body.clone());
        let content = content.unwrap_or_else(|| panic!("{file}: the treaty has its content"));
        for absolute in [
            "href=\"https://example.org/watch/briefings/troops/\"",
            "href=\"https://example.org/watch/briefings/troops/#numbers\"",
            "src=\"https://example.org/watch/images/map.png\"",
        ] {
            assert!(
                content.contains(absolute),
                "{file}: {absolute} in {content}"
            );
        }
        assert!(!content.contains("=\"/watch/"), "{file}: {content}");
        assert!(!content.contains("=\"../"), "{file}: {content}");
        if kind != FeedType::RSS2 {
            assert_eq!(
                troops.updated.unwrap().to_rfc3339(),
                "2024-11-02T00:00:00+00:00",
                "{file}"
            );
        }
    }

    // A tag's feed: its own briefings, summaries and links, no bodies.
    let tag = feed(&public.join("tags/north-korea/atom.xml"));
    assert_eq!(tag.feed_type, FeedType::Atom);
    assert_eq!(
        tag.title.as_ref().unwrap().content,
        "Test <Desk> & Co: North Korea"
    );
    assert_eq!(titles(&tag), newest[1..]);
    let links: Vec<&str> = tag.links.iter().map(|l| l.href.as_str()).collect();
    assert_eq!(
        links,
        [
            "https://example.org/watch/tags/north-korea/atom.xml",
            "https://example.org/watch/tags/north-korea/"
        ]
    );
    assert_eq!(tag.id, "https://example.org/watch/tags/north-korea/");
    assert!(tag.entries.iter().all(|e| e.content.is_none()));
    assert_eq!(
        tag.entries[1].published.unwrap().to_rfc3339(),
        "2024-06-20T00:00:00+00:00"
    );
    let history = feed(&public.join("tags/history/atom.xml"));
    assert_eq!(titles(&history), ["Precedents"]);
}

/// Issue 12, item 3: every page names the site's three feeds in its head;
/// a tag's page and its timeline also name the tag's feed, and no other
/// page does. Every one of those links leads to a file of the output.
#[test]
fn issue12_3_feeds_are_linked_from_the_pages_they_belong_to() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let site_feeds = [
        ("application/atom+xml", "/watch/atom.xml"),
        ("application/rss+xml", "/watch/rss.xml"),
        ("application/feed+json", "/watch/feed.json"),
    ];
    let mut pages = 0;
    for (path, bytes) in snapshot(&public) {
        if path.extension().is_none_or(|e| e != "html") || path.ends_with("404.html") {
            continue;
        }
        pages += 1;
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        let selector = Selector::parse("head link[rel=alternate]").unwrap();
        let alternates: BTreeSet<(String, String)> = doc
            .select(&selector)
            .map(|l| {
                (
                    l.attr("type").unwrap().to_string(),
                    l.attr("href").unwrap().to_string(),
                )
            })
            .collect();
        let mut expected: BTreeSet<(String, String)> = site_feeds
            .iter()
            .map(|(t, h)| (t.to_string(), h.to_string()))
            .collect();
        let shown = path.to_string_lossy().replace('\\', "/");
        if let Some(rest) = shown.strip_prefix("tags/")
            && let Some((slug, _)) = rest.split_once('/')
        {
            expected.insert((
                "application/atom+xml".to_string(),
                format!("/watch/tags/{slug}/atom.xml"),
            ));
        }
        assert_eq!(alternates, expected, "{shown}");
        for (_, href) in &alternates {
            let file = public.join(href.strip_prefix("/watch/").unwrap());
            assert!(file.is_file(), "{shown}: {href} leads nowhere");
        }
    }
    assert!(pages >= 15, "only {pages} pages looked at");
}

/// Issue 12, item 2: `/timeline.json` holds every briefing and event in the
/// JSON TimelineJS reads: a title slide and `events`, each with a
/// `start_date` of strings (a partial date as its year or its month only),
/// an `end_date` for a range, HTML `text` (titles escaped), a unique id and
/// a group.
#[test]
fn issue12_2_timeline_json_has_timelinejs_shape() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let text = read(site.path().join("public/timeline.json"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["title"]["text"]["headline"],
        "Test &lt;Desk&gt; &amp; Co"
    );
    let events = json["events"].as_array().expect("events is a list");
    assert_eq!(events.len(), 3 + 4, "3 briefings and their 4 events");
    let mut ids = BTreeSet::new();
    for e in events {
        let start = e["start_date"].as_object().expect("a start_date");
        assert!(
            start
                .values()
                .all(|v| v.as_str().is_some_and(|s| s.parse::<u16>().is_ok())),
            "{e}"
        );
        assert!(e["text"]["headline"].is_string(), "{e}");
        assert!(e["text"]["text"].is_string(), "{e}");
        assert!(
            ["Briefings", "Events"].contains(&e["group"].as_str().unwrap()),
            "{e}"
        );
        let id = e["unique_id"].as_str().unwrap();
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{id}"
        );
        assert!(ids.insert(id.to_string()), "{id} twice");
    }
    let by_headline = |headline: &str| {
        events
            .iter()
            .find(|e| e["text"]["headline"] == headline)
            .unwrap_or_else(|| panic!("no slide {headline}"))
    };
    let troops = by_headline("&lt;script&gt;alert(1)&lt;/script&gt; troops");
    assert_eq!(
        troops["start_date"],
        serde_json::json!({"year": "2024", "month": "10", "day": "25"})
    );
    assert_eq!(troops["unique_id"], "briefings-troops");
    let text = troops["text"]["text"].as_str().unwrap();
    assert!(text.contains("Troops arrive &amp; more, 3&lt;4."), "{text}");
    assert!(
        text.contains("href=\"https://example.org/watch/briefings/troops/\""),
        "{text}"
    );
    let summit = by_headline("BRICS summit, Kazan");
    assert_eq!(
        summit["end_date"],
        serde_json::json!({"year": "2024", "month": "10", "day": "24"})
    );
    assert_eq!(summit["group"], "Events");
    assert_eq!(
        by_headline("More troops expected")["start_date"],
        serde_json::json!({"year": "2024", "month": "12"})
    );
    let year_only = by_headline("A year of closer ties");
    assert_eq!(year_only["start_date"], serde_json::json!({"year": "2024"}));
    assert!(year_only.get("end_date").is_none());
}

/// Issue 12, item 2: `/timeline.ics` is an RFC 5545 calendar of the dated
/// events: all-day events (a range ends the day after its last day, as
/// DTEND is exclusive), an event dated to a month spans it and says so, one
/// dated only by a year is left out; DTSTAMP is the briefing's own date,
/// never the clock's, so two builds are the same bytes. It parses back with
/// the icalendar crate, and every line is CRLF-ended and folded at 75 octets.
#[test]
fn issue12_2_the_calendar_parses_and_holds_the_dated_events() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let text = read(site.path().join("public/timeline.ics"));
    let calendar: icalendar::Calendar = text.parse().expect("timeline.ics parses");
    use icalendar::Component;
    let events: Vec<&icalendar::Event> = calendar.events().collect();
    let summaries: Vec<&str> = events.iter().map(|e| e.get_summary().unwrap()).collect();
    assert_eq!(
        summaries,
        [
            "More troops expected",
            "BRICS summit, Kazan",
            "Treaty signed in Pyongyang"
        ],
        "the year-only event is left out"
    );
    let value = |e: &icalendar::Event, key: &str| e.property_value(key).unwrap().to_string();
    let days: Vec<(String, String)> = events
        .iter()
        .map(|e| (value(e, "DTSTART"), value(e, "DTEND")))
        .collect();
    assert_eq!(
        days,
        [
            ("20241201".to_string(), "20250101".to_string()),
            ("20241022".to_string(), "20241025".to_string()),
            ("20240619".to_string(), "20240620".to_string()),
        ]
    );
    let stamps: Vec<String> = events.iter().map(|e| value(e, "DTSTAMP")).collect();
    assert_eq!(
        stamps,
        ["20241102T000000Z", "20241102T000000Z", "20240620T000000Z"],
        "the briefing's updated or date"
    );
    assert!(value(events[0], "DESCRIPTION").contains("Dated only to the month: December 2024."));
    assert_eq!(
        value(events[1], "URL"),
        "https://example.org/watch/briefings/troops/"
    );
    let uids: BTreeSet<String> = events.iter().map(|e| value(e, "UID")).collect();
    assert_eq!(uids.len(), 3);
    assert!(
        text.contains("\r\nDTSTART;VALUE=DATE:20241022\r\n"),
        "{text}"
    );
    assert!(
        text.contains("\r\nSUMMARY:BRICS summit\\, Kazan\r\n"),
        "{text}"
    );
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split_terminator("\r\n") {
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
        assert!(line.len() <= 75, "an unfolded line: {line:?}");
    }
}

/// Issue 12, item 2: each tag has its own timeline with only its
/// briefings and their events; the timeline and each tag's timeline link
/// to the tag timelines (no script needed), marking the current one.
#[test]
fn issue12_2_each_tag_has_a_timeline_and_the_timeline_filters_by_tag() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let main = html(public.join("timeline/index.html"));
    let filter = attrs(&main, "nav.tl-filter a", "href");
    assert_eq!(
        filter,
        [
            "/watch/timeline/",
            "/watch/tags/history/timeline/",
            "/watch/tags/north-korea/timeline/",
            "/watch/tags/russia/timeline/",
            "/watch/tags/ukraine/timeline/",
        ]
    );
    for href in &filter {
        let file = public
            .join(href.strip_prefix("/watch/").unwrap())
            .join("index.html");
        assert!(file.is_file(), "{href}");
    }
    assert_eq!(
        attrs(&main, "nav.tl-filter a[aria-current]", "href"),
        ["/watch/timeline/"]
    );
    assert_eq!(
        attrs(&main, "a[href$='timeline.ics']", "href"),
        ["/watch/timeline.ics"]
    );

    let korea = html(public.join("tags/north-korea/timeline/index.html"));
    assert_eq!(texts(&korea, "h1"), ["North Korea"]);
    assert_eq!(
        texts(&korea, ".tl-entry .tl-title"),
        [
            "More troops expected",
            "<script>alert(1)</script> troops",
            "BRICS summit, Kazan",
            "Treaty signed",
            "Treaty signed in Pyongyang",
            "A year of closer ties",
        ]
    );
    assert_eq!(
        attrs(&korea, "nav.tl-filter a[aria-current]", "href"),
        ["/watch/tags/north-korea/timeline/"]
    );
    let history = html(public.join("tags/history/timeline/index.html"));
    assert_eq!(texts(&history, ".tl-entry .tl-title"), ["Precedents"]);
    // The tag's page leads to its timeline and feed.
    let tag = html(public.join("tags/history/index.html"));
    assert_eq!(
        attrs(&tag, ".tag-links a", "href"),
        [
            "/watch/tags/history/timeline/",
            "/watch/tags/history/atom.xml"
        ]
    );
    let sitemap = read(public.join("sitemap.xml"));
    assert!(!sitemap.contains("/tags/history/timeline/"), "{sitemap}");
}

/// Issue 12, item 2: a tag's timeline past 1,000 entries is split by year
/// like the site's: `/tags/<slug>/timeline/` shows the newest year and
/// links to every year's page.
#[test]
fn issue12_2_a_long_tag_timeline_is_split_by_year() {
    // 510 briefings, one a day from 2024-01-01, with an event 200 days
    // before each: 1,020 entries from 2023 to 2025.
    let site = generated_site(510, 10, Some(200));
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let first = html(public.join("tags/big/timeline/index.html"));
    let years = attrs(&first, "nav.year-nav[aria-label=Years] a", "href");
    assert_eq!(
        years,
        [
            "/watch/tags/big/timeline/2025/",
            "/watch/tags/big/timeline/2024/",
            "/watch/tags/big/timeline/2023/"
        ]
    );
    assert_eq!(texts(&first, "h2.tl-year-title").len(), 1);
    for year in ["2025", "2024", "2023"] {
        let page = html(public.join(format!("tags/big/timeline/{year}/index.html")));
        let shown = texts(&page, "h2.tl-year-title");
        assert_eq!(shown.len(), 1);
        assert!(shown[0].starts_with(year), "{shown:?}");
    }
    let small = html(public.join("tags/small/timeline/index.html"));
    assert_eq!(texts(&small, ".tl-entry").len(), 2);
    assert!(!public.join("tags/small/timeline/2024").exists());
}

/// Issue 12, item 5: a tag page lists `paginate` briefings, newest first,
/// with numbered prev/next links in the page and `rel="prev"`/`rel="next"`
/// in the head (as the index now has); only its first page is in the
/// sitemap.
#[test]
fn issue12_5_tag_pages_paginate_like_the_index_with_rel_links() {
    let site = generated_site(5, 2, None);
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let page = |n: usize| {
        let path = match n {
            1 => "tags/big/index.html".to_string(),
            n => format!("tags/big/page/{n}/index.html"),
        };
        html(public.join(path))
    };
    let listed: Vec<Vec<String>> = (1..=3)
        .map(|n| texts(&page(n), ".briefing-list .summary-title"))
        .collect();
    assert_eq!(
        listed,
        [
            vec!["Briefing 4", "Briefing 3"],
            vec!["Briefing 2", "Briefing 1"],
            vec!["Briefing 0"],
        ]
    );
    assert!(!public.join("tags/big/page/4").exists());
    let rels = |doc: &Html, scope: &str| -> Vec<(String, String)> {
        doc.select(&Selector::parse(&format!("{scope} [rel=prev], {scope} [rel=next]")).unwrap())
            .map(|e| {
                (
                    e.attr("rel").unwrap().into(),
                    e.attr("href").unwrap().into(),
                )
            })
            .collect()
    };
    let middle = page(2);
    let expected = [
        ("prev".to_string(), "/watch/tags/big/".to_string()),
        ("next".to_string(), "/watch/tags/big/page/3/".to_string()),
    ];
    assert_eq!(rels(&middle, "head"), expected);
    assert_eq!(rels(&middle, "nav.pagination"), expected);
    assert_eq!(
        rels(&page(1), "head"),
        [("next".to_string(), "/watch/tags/big/page/2/".to_string())]
    );
    assert_eq!(
        rels(&page(3), "head"),
        [("prev".to_string(), "/watch/tags/big/page/2/".to_string())]
    );
    assert_eq!(texts(&middle, "h1"), ["big page 2 of 3"]);
    let small = page(1);
    assert!(rels(&html(public.join("tags/small/index.html")), "head").is_empty());
    assert_eq!(texts(&small, "h1"), ["big"]);
    // The index has the same head links.
    assert_eq!(
        rels(&html(public.join("page/2/index.html")), "head"),
        [
            ("prev".to_string(), "/watch/".to_string()),
            ("next".to_string(), "/watch/page/3/".to_string())
        ]
    );
    let sitemap = read(public.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/watch/tags/big/</loc>"));
    assert!(!sitemap.contains("/tags/big/page/"), "{sitemap}");
    assert!(broken_internal_links(&public, BASE, "/watch/").is_empty());
}
