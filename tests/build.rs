//! `briefly build` end to end (issue #2): fixture sites built into temp
//! folders, the output read back with an HTML parser and an XML reader.

mod common;

use std::fs;
use std::path::Path;

use common::*;

const BASE: &str = "https://example.org/watch/";
const ROOT: &str = "/watch/";

#[test]
fn every_page_exists_and_the_summary_line_counts_them() {
    let site = fixture("desk");
    let run = build_ok(site.path(), &[]);
    assert!(
        run.stdout
            .starts_with("Built 3 briefings, 4 tags, 4 events (28 pages) into public/ in "),
        "{}",
        run.stdout
    );
    let public = site.path().join("public");
    for page in [
        "index.html",
        "page/2/index.html",
        "briefings/treaty/index.html",
        "briefings/troops/index.html",
        "briefings/precedents/index.html",
        "about/index.html",
        "tags/index.html",
        "tags/north-korea/index.html",
        "tags/russia/index.html",
        "tags/ukraine/index.html",
        "tags/history/index.html",
        "timeline/index.html",
        "tags/north-korea/timeline/index.html",
        "tags/north-korea/atom.xml",
        "timeline.json",
        "timeline.ics",
        "atom.xml",
        "rss.xml",
        "feed.json",
        "sitemap.xml",
        "404.html",
        "robots.txt",
        "style.css",
        "highlight.css",
        "images/map.png",
    ] {
        assert!(public.join(page).is_file(), "{page} is missing");
    }
    assert_eq!(
        fs::read(public.join("images/map.png")).unwrap(),
        fs::read(site.path().join("content/images/map.png")).unwrap(),
        "non-Markdown content is copied as it is"
    );
    assert!(
        read(public.join("robots.txt")).contains("Sitemap: https://example.org/watch/sitemap.xml")
    );
}

#[test]
fn every_internal_link_resolves_under_a_sub_path_and_at_the_root() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let broken = broken_internal_links(&site.path().join("public"), BASE, ROOT);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    let index = read(site.path().join("public/index.html"));
    assert!(
        index.contains("href=\"/watch/briefings/troops/\""),
        "links carry the sub-path"
    );

    build_ok(
        site.path(),
        &["--base-url", "https://news.example/a/b", "--output", "deep"],
    );
    let broken = broken_internal_links(
        &site.path().join("deep"),
        "https://news.example/a/b/",
        "/a/b/",
    );
    assert!(broken.is_empty(), "broken links: {broken:#?}");

    build_ok(
        site.path(),
        &["--base-url", "https://news.example", "--output", "top"],
    );
    let broken = broken_internal_links(&site.path().join("top"), "https://news.example/", "/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

/// Reads an XML file to the end; returns the text of every element named `name`.
fn xml_texts(path: &Path, name: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let text = read(path);
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut found, mut inside, mut depth) = (Vec::new(), false, 0);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                if e.name().as_ref() == name {
                    inside = true;
                    found.push(String::new());
                }
            }
            Ok(Event::End(e)) => {
                depth -= 1;
                if e.name().as_ref() == name {
                    inside = false;
                }
            }
            Ok(Event::Text(t)) if inside => {
                let raw = t.into_inner();
                found
                    .last_mut()
                    .unwrap()
                    .push_str(&quick_xml::escape::unescape(&raw).unwrap());
            }
            Ok(Event::GeneralRef(r)) if inside => {
                let name = r.into_inner().to_string();
                let ch = match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity &{other};"),
                };
                found.last_mut().unwrap().push_str(ch);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{} is not well-formed XML: {e}", path.display()),
        }
    }
    assert_eq!(depth, 0, "{} has unclosed elements", path.display());
    found
}

#[test]
fn feed_and_sitemap_are_well_formed_xml() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let text = read(public.join("atom.xml"));
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{}",
        &text[..60]
    );
    assert!(text.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    let titles = xml_texts(&public.join("atom.xml"), "title");
    assert_eq!(
        titles[1..],
        [
            "Precedents",
            "<script>alert(1)</script> troops",
            "Treaty signed"
        ],
        "the feed lists briefings newest first, with titles as text"
    );
    let ids = xml_texts(&public.join("atom.xml"), "id");
    assert!(
        ids.contains(&"https://example.org/watch/briefings/troops/".to_string()),
        "{ids:?}"
    );
    let published = xml_texts(&public.join("atom.xml"), "published");
    assert!(
        published.contains(&"2024-10-25T09:30:00+09:00".to_string()),
        "{published:?}"
    );

    let locs = xml_texts(&public.join("sitemap.xml"), "loc");
    for expected in [
        "https://example.org/watch/",
        "https://example.org/watch/briefings/treaty/",
        "https://example.org/watch/about/",
        "https://example.org/watch/tags/north-korea/",
        "https://example.org/watch/timeline/",
    ] {
        assert!(
            locs.contains(&expected.to_string()),
            "{expected} not in sitemap: {locs:?}"
        );
    }
    assert!(
        !locs.iter().any(|l| l.contains("draft")),
        "drafts are not in the sitemap"
    );
}

#[test]
fn a_script_title_is_escaped_everywhere() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let files = snapshot(&site.path().join("public"));
    let mut seen_escaped = 0;
    for (path, bytes) in &files {
        // JSON and iCalendar hold titles as data (`timeline.json`'s HTML
        // fields escape them); `tests/feeds_timelines.rs` reads them back.
        if path.extension().is_some_and(|e| e == "json" || e == "ics") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("<script>alert(1)"),
            "{} holds the raw script",
            path.display()
        );
        assert!(
            !text.contains("<Desk>"),
            "{} holds the raw site title",
            path.display()
        );
        assert!(
            !text.contains("<b>arrive</b>"),
            "{} holds the raw summary",
            path.display()
        );
        if text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") {
            seen_escaped += 1;
        }
    }
    // Briefing page, index, tag pages, timelines and feeds all show the title.
    assert!(
        seen_escaped >= 5,
        "the escaped title appears in only {seen_escaped} files"
    );
    let page = html(site.path().join("public/briefings/troops/index.html"));
    assert_eq!(texts(&page, "h1"), ["<script>alert(1)</script> troops"]);
}

#[test]
fn two_builds_are_byte_identical() {
    let site = fixture("desk");
    build_ok(site.path(), &["--output", "one"]);
    build_ok(site.path(), &["--output", "two"]);
    let one = snapshot(&site.path().join("one"));
    let two = snapshot(&site.path().join("two"));
    assert!(one.len() > 15);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            two[path] == *bytes,
            "{} differs between builds",
            path.display()
        );
    }
}

/// A template looping over a map (`briefing.extra`) sees its keys in
/// order, the same in every build: Tera's maps keep the order they were
/// made in (its `preserve_order`), never a random hash seed's.
#[test]
fn a_template_looping_over_a_map_is_deterministic() {
    let site = fixture("desk");
    let briefing = site.path().join("content/briefings/2024-10-25-troops.md");
    let text = read(&briefing).replacen("---\n", "---\nzeta: 1\nalpha: 2\nmid: 3\nbeta: 4\n", 1);
    fs::write(&briefing, text).unwrap();
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/briefing.html"),
        "{% for key, value in briefing.extra %}{{ key }}={{ value }};{% endfor %}",
    )
    .unwrap();
    for _ in 0..3 {
        build_ok(site.path(), &[]);
        assert_eq!(
            read(site.path().join("public/briefings/troops/index.html")),
            "alpha=2;beta=4;confidence=moderate;mid=3;zeta=1;"
        );
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    assert!(!public.join("briefings/draft").exists());
    assert!(!public.join("tags/drafts-only").exists());
    assert!(!read(public.join("index.html")).contains("Draft note"));
    assert!(!read(public.join("timeline/index.html")).contains("Draft note"));

    let run = build_ok(site.path(), &["--drafts"]);
    assert!(
        run.stdout.starts_with("Built 4 briefings, 5 tags"),
        "{}",
        run.stdout
    );
    assert!(public.join("briefings/draft/index.html").is_file());
    assert!(public.join("tags/drafts-only/index.html").is_file());
}

#[test]
fn a_removed_briefing_disappears_from_the_output() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    assert!(public.join("briefings/precedents/index.html").is_file());
    fs::remove_file(
        site.path()
            .join("content/briefings/2024-11-01-precedents.md"),
    )
    .unwrap();
    build_ok(site.path(), &[]);
    assert!(!public.join("briefings/precedents").exists());
    assert!(!public.join("tags/history").exists());
    assert!(!read(public.join("index.html")).contains("Precedents"));
    assert_no_staging_left(site.path());
}

#[test]
fn briefing_pages_carry_dates_tags_events_sources_and_rendered_markdown() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");

    let treaty = read(public.join("briefings/treaty/index.html"));
    assert!(
        treaty.contains("<h2 id=\"terms\">Terms <a class=\"anchor\" href=\"#terms\""),
        "headings are linkable"
    );
    assert!(treaty.contains("class=\"hl-"), "rust code is highlighted");
    assert!(
        treaty.contains("&lt;plain&gt; &amp; code"),
        "unknown language falls back to escaped code"
    );
    assert!(
        treaty.contains("href=\"https://www.un.org/en/about-us/un-charter\""),
        "sources are listed"
    );
    assert!(treaty.contains("A. Analyst"), "authors are shown");
    assert!(
        treaty.contains("<a href=\"/watch/briefings/troops/\">the troop briefing</a>")
            && treaty.contains("<a href=\"/watch/briefings/troops/#numbers\">its numbers</a>"),
        "links to other source files become their pages' URLs"
    );
    assert!(treaty.contains("Treaty signed in Pyongyang") && treaty.contains("19 June 2024"));

    let troops = html(public.join("briefings/troops/index.html"));
    let datetimes: Vec<String> = {
        let selector = scraper::Selector::parse("time[datetime]").unwrap();
        troops
            .select(&selector)
            .map(|e| e.attr("datetime").unwrap().to_string())
            .collect()
    };
    assert!(
        datetimes.contains(&"2024-10-25".to_string()),
        "a time and zone never move the day: {datetimes:?}"
    );
    assert!(
        datetimes.contains(&"2024-11-02".to_string()),
        "updated is shown: {datetimes:?}"
    );
    let text = read(public.join("briefings/troops/index.html"));
    assert!(text.contains("<table>") && text.contains("<li id=\"fn-1\">"));
    assert!(
        text.contains("December 2024"),
        "partial event dates are shown as months"
    );
    assert!(
        text.contains("22 October 2024") && text.contains("24 October 2024"),
        "ranges show both ends"
    );

    let precedents = read(public.join("briefings/precedents/index.html"));
    assert!(
        precedents.contains("datetime=\"2024-11-01\""),
        "the date comes from the file name"
    );
    let index = read(public.join("index.html"));
    assert!(
        index.contains("Dated by its file name."),
        "the first paragraph is the summary"
    );
    assert!(
        index.contains("Troops arrive &amp; more, 3&lt;4."),
        "a front-matter summary wins"
    );
}

#[test]
fn tags_merge_by_slug_and_keep_a_display_name() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let tag = read(public.join("tags/north-korea/index.html"));
    assert!(tag.contains("North Korea"));
    assert!(
        tag.contains("Treaty signed") && tag.contains("troops"),
        "both spellings are one tag"
    );
    let tags = read(public.join("tags/index.html"));
    assert!(tags.contains("href=\"/watch/tags/north-korea/\""));
    assert!(!public.join("tags/North Korea").exists());
}

#[test]
fn the_timeline_holds_briefings_and_events_by_year_and_month() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let text = read(site.path().join("public/timeline/index.html"));
    for needle in [
        "Treaty signed in Pyongyang",
        "More troops expected",
        "BRICS summit, Kazan",
        "A year of closer ties",
        "December 2024",
        "October 2024",
        "June 2024",
        "href=\"/watch/briefings/treaty/\"",
    ] {
        assert!(text.contains(needle), "timeline lacks {needle}");
    }
    // newest-first by default: December's expected troops come before June's treaty.
    assert!(
        text.find("More troops expected").unwrap()
            < text.find("Treaty signed in Pyongyang").unwrap()
    );

    fs::write(
        site.path().join("site.yaml"),
        read(site.path().join("site.yaml")) + "timeline:\n  order: oldest-first\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let text = read(site.path().join("public/timeline/index.html"));
    assert!(
        text.find("More troops expected").unwrap()
            > text.find("Treaty signed in Pyongyang").unwrap()
    );
}

#[test]
fn a_site_without_templates_uses_the_built_in_theme_and_its_own_templates_win() {
    let site = fixture("desk");
    assert!(!site.path().join("templates").exists());
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/treaty/index.html"));
    assert!(
        page.contains("<html lang=\"en\""),
        "the built-in theme sets lang"
    );
    assert!(page.contains("href=\"/watch/style.css\""));
    assert!(!page.contains("https://fonts."), "no external requests");

    fs::create_dir_all(site.path().join("templates/static")).unwrap();
    fs::write(
        site.path().join("templates/briefing.html"),
        "<!doctype html><title>{{ briefing.title }}</title><p class=\"mine\">{{ briefing.word_count }} words</p>",
    )
    .unwrap();
    fs::write(site.path().join("templates/static/extra.txt"), "hello").unwrap();
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/treaty/index.html"));
    assert!(
        page.contains("<p class=\"mine\">"),
        "the site's template wins: {page}"
    );
    let index = read(site.path().join("public/index.html"));
    assert!(
        index.contains("<html lang=\"en\""),
        "other pages keep the built-in theme"
    );
    assert_eq!(
        read(site.path().join("public/extra.txt")),
        "hello",
        "templates/static is copied"
    );
}

#[test]
fn the_index_is_paginated_newest_first() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let first = html(site.path().join("public/index.html"));
    let second = html(site.path().join("public/page/2/index.html"));
    let first_titles = texts(&first, "main h2 a");
    assert_eq!(
        first_titles,
        ["Precedents", "<script>alert(1)</script> troops"]
    );
    assert_eq!(texts(&second, "main h2 a"), ["Treaty signed"]);
    assert!(read(site.path().join("public/index.html")).contains("href=\"/watch/page/2/\""));
}

#[test]
fn a_long_timeline_is_split_per_year() {
    let site = fixture("desk");
    let dir = site.path().join("content/briefings/many");
    fs::create_dir_all(&dir).unwrap();
    // 510 briefings with an event each: past the 1,000 entries of a page.
    for i in 0..510 {
        let year = 2019 + i % 5;
        let body = format!(
            "---\ntitle: \"Note {i}\"\ndate: {year}-03-{:02}\nevents:\n  - date: {year}-02\n    title: \"Event {i}\"\n---\nBody {i}.\n",
            1 + i % 28
        );
        fs::write(dir.join(format!("note-{i}.md")), body).unwrap();
    }
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for year in 2019..=2024 {
        let page = public.join(format!("timeline/{year}/index.html"));
        assert!(page.is_file(), "timeline/{year}/ is missing");
    }
    let main = read(public.join("timeline/index.html"));
    for year in 2019..=2024 {
        assert!(
            main.contains(&format!("href=\"/watch/timeline/{year}/\"")),
            "/timeline/ links {year}"
        );
    }
    let y2021 = read(public.join("timeline/2021/index.html"));
    assert!(y2021.contains("Event 2<"), "2021's events are on its page");
    assert!(
        !y2021.contains("Event 3<"),
        "2022's events are not on 2021's page"
    );
    let broken = broken_internal_links(&public, BASE, ROOT);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}
