//! Issue 13, item 2: taxonomies. `site.yaml`'s `taxonomies:` gives each
//! taxonomy what tags have (an index, a page, a timeline and a feed per
//! term, sitemap entries, filter links), `authors` is fed by
//! `author`/`authors`, `tags_from` still feeds tags, and templates can ask
//! for a term's URL with `get_taxonomy_url`.

mod common;

use std::fs;
use std::path::Path;

use briefly::config::BaseUrlOverride;
use briefly::engine::Engine;
use common::*;

fn attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[test]
fn issue_13_every_taxonomy_gets_what_tags_get() {
    let site = fixture("taxonomies");
    let root = site.path();
    build_ok(root, &[]);
    let out = root.join("public");
    for page in [
        "regions/index.html",
        "regions/east-asia/index.html",
        "regions/east-asia/page/2/index.html",
        "regions/east-asia/page/3/index.html",
        "regions/east-asia/timeline/index.html",
        "regions/east-asia/atom.xml",
        "regions/oceania/index.html",
        "authors/index.html",
        "authors/j-doe/index.html",
        "authors/k-kim/timeline/index.html",
        "tags/brics/index.html",
        // `categories` (in the default `tags_from`) still feeds tags.
        "tags/archive/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    assert!(
        !out.join("authors/j-doe/atom.xml").exists(),
        "`feed: false` leaves the authors' feeds out"
    );
    // `regions: East Asia` is one term, `East Asia, Oceania` two.
    assert!(!out.join("regions/east").exists() && !out.join("regions/asia").exists());

    // A term's page lists its briefings, paginated with rel prev/next.
    let page2 = html(out.join("regions/east-asia/page/2/index.html"));
    assert_eq!(texts(&page2, "h2.summary-title"), ["Seoul talks"]);
    assert_eq!(
        attrs(&page2, "link[rel=prev]", "href"),
        ["/watch/regions/east-asia/"]
    );
    assert_eq!(
        attrs(&page2, "link[rel=next]", "href"),
        ["/watch/regions/east-asia/page/3/"]
    );
    assert_eq!(texts(&page2, ".kicker"), ["Regions"]);
    let first = html(out.join("regions/east-asia/index.html"));
    assert_eq!(
        attrs(&first, "link[type='application/atom+xml']", "href")
            .iter()
            .filter(|h| h.ends_with("regions/east-asia/atom.xml"))
            .count(),
        1,
        "the term's feed is announced"
    );
    let author = read(out.join("authors/j-doe/index.html"));
    assert!(!author.contains("atom.xml\">Feed of"), "no feed, no link");

    // The index of a taxonomy lists its terms with their counts.
    let regions = html(out.join("regions/index.html"));
    assert_eq!(texts(&regions, "h1"), ["Regions"]);
    assert_eq!(
        attrs(&regions, ".tag-cloud a", "href"),
        [
            "/watch/regions/east-asia/",
            "/watch/regions/europe/",
            "/watch/regions/oceania/"
        ]
    );

    // The term's timeline and feed hold its briefings only.
    let timeline = read(out.join("regions/east-asia/timeline/index.html"));
    assert!(timeline.contains("Kazan summit") && timeline.contains("Seoul talks"));
    let feed = read(out.join("regions/europe/atom.xml"));
    assert!(feed.contains("Kazan summit") && !feed.contains("Seoul talks"));

    // The built-in theme shows every taxonomy a briefing has: on its page
    // (authors linked in the byline) and in lists.
    let kazan = html(out.join("briefings/kazan/index.html"));
    assert_eq!(
        attrs(&kazan, ".terms-regions a", "href"),
        ["/watch/regions/europe/", "/watch/regions/east-asia/"]
    );
    assert_eq!(
        attrs(&kazan, ".byline a[rel=author]", "href"),
        ["/watch/authors/j-doe/"]
    );
    assert_eq!(texts(&kazan, ".tags a"), ["BRICS"]);
    let home = html(out.join("index.html"));
    assert_eq!(texts(&home, ".terms-regions .terms-label"), ["Regions:"]);
    assert_eq!(texts(&home, ".terms-authors a"), ["J. Doe"]);
    // Each taxonomy is in the navigation.
    assert_eq!(
        attrs(&home, ".site-nav a", "href")[2..5],
        ["/watch/tags/", "/watch/regions/", "/watch/authors/"]
    );

    // The timeline offers each taxonomy's terms to filter by.
    let main_timeline = html(out.join("timeline/index.html"));
    let filters = attrs(&main_timeline, "nav.tl-filter a", "href");
    assert!(
        filters.contains(&"/watch/regions/oceania/timeline/".to_string()),
        "{filters:?}"
    );
    assert!(
        filters.contains(&"/watch/authors/k-kim/timeline/".to_string()),
        "{filters:?}"
    );
    let on_term = html(out.join("regions/east-asia/timeline/index.html"));
    assert_eq!(
        attrs(&on_term, "nav.tl-filter a[aria-current]", "href"),
        ["/watch/regions/east-asia/timeline/"]
    );

    // The sitemap lists every taxonomy's index and terms.
    let sitemap = read(out.join("sitemap.xml"));
    for url in [
        "regions/",
        "regions/oceania/",
        "authors/k-kim/",
        "tags/archive/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/watch/{url}</loc>")),
            "{url} not in the sitemap"
        );
    }

    // get_taxonomy_url gives the term's URL under the sub-path; templates
    // see every taxonomy as `site.taxonomies`.
    let map = html(out.join("map/index.html"));
    assert_eq!(
        attrs(&map, ".map a", "href"),
        [
            "/watch/regions/east-asia/",
            "/watch/authors/k-kim/",
            "/watch/tags/brics/"
        ]
    );
    assert_eq!(
        attrs(&map, "p.taxonomy", "data-name"),
        ["tags", "regions", "authors"]
    );
    assert_eq!(
        attrs(&map, "p.taxonomy", "data-feed"),
        ["true", "true", "false"]
    );

    // The same sources give the same bytes.
    let before = snapshot(&out);
    build_ok(root, &[]);
    assert!(before == snapshot(&out), "a second build differs");
}

#[test]
fn issue_13_a_taxonomy_slug_moves_its_pages() {
    let site = fixture("taxonomies");
    let root = site.path();
    fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://example.org/watch/\ntaxonomies: [{name: tags, slug: topics}, {name: regions, slug: where}]\n",
    )
    .unwrap();
    fs::remove_file(root.join("templates/page.html")).unwrap();
    build_ok(root, &[]);
    let out = root.join("public");
    assert!(out.join("topics/brics/index.html").is_file());
    assert!(out.join("where/east-asia/atom.xml").is_file());
    assert!(!out.join("tags").exists() && !out.join("authors").exists());
    let home = html(out.join("index.html"));
    assert_eq!(attrs(&home, ".tags a", "href")[0], "/watch/topics/brics/");
    assert_eq!(
        attrs(&home, ".site-nav a", "href")[2..4],
        ["/watch/topics/", "/watch/where/"]
    );
}

#[test]
fn issue_13_get_taxonomy_url_errors_name_the_template_and_line() {
    for (call, message) in [
        (
            "get_taxonomy_url(kind=\"places\", name=\"Europe\")",
            "no taxonomy `places`",
        ),
        (
            "get_taxonomy_url(kind=\"regions\", name=\"Atlantis\")",
            "no briefing has the regions term `Atlantis`",
        ),
    ] {
        let site = fixture("taxonomies");
        let root = site.path();
        fs::write(
            root.join("templates/page.html"),
            format!("{{% extends \"base.html\" %}}\n{{%- block content %}}\n<p>\n{{{{ {call} }}}}\n</p>\n{{%- endblock content %}}\n"),
        )
        .unwrap();
        let run = briefly(root, &["build"]);
        assert_ne!(run.code, 0, "{call} built");
        assert!(
            run.stderr.contains("templates/page.html:4"),
            "{call}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(message), "{call}: {}", run.stderr);
    }
}

#[test]
fn issue_13_a_bad_taxonomy_is_an_error_at_its_line_in_site_yaml() {
    for (yaml, at, message) in [
        (
            "taxonomies:\n  - tags\n  - name: places\n    slug: timeline\n",
            "site.yaml:5",
            "`/timeline/` is already the timeline",
        ),
        (
            "taxonomies: [tags, regions, regions]\n",
            "site.yaml:3",
            "the taxonomy `regions` is listed twice",
        ),
    ] {
        let site = fixture("taxonomies");
        let root = site.path();
        fs::write(
            root.join("site.yaml"),
            format!("title: T\nbase_url: https://example.org/\n{yaml}"),
        )
        .unwrap();
        let run = briefly(root, &["build"]);
        assert_ne!(run.code, 0);
        assert!(run.stderr.contains(at), "{yaml}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{yaml}: {}", run.stderr);
        assert!(!root.join("public").exists());
    }
}

/// A term edit in `serve` moves the briefing between term pages, and a
/// page calling `get_taxonomy_url` follows the terms it names.
#[test]
fn issue_13_rebuilds_follow_terms() {
    let site = fixture("taxonomies");
    let root = site.path();
    let mut engine = Engine::new(root, false, BaseUrlOverride::None);
    engine.rebuild(&[]).unwrap();
    let seoul = root.join("content/briefings/seoul.md");
    let text = fs::read_to_string(&seoul).unwrap();
    fs::write(
        &seoul,
        text.replace("regions: East Asia", "regions: Oceania"),
    )
    .unwrap();
    let outcome = engine.rebuild(std::slice::from_ref(&seoul)).unwrap();
    let written: Vec<String> = (outcome.written.iter())
        .map(|p| p.display().to_string())
        .collect();
    for page in [
        "regions/oceania/index.html",
        "regions/east-asia/index.html",
        "briefings/seoul/index.html",
    ] {
        assert!(written.contains(&page.to_string()), "{page}: {written:?}");
    }
    let store = engine.store();
    let oceania = String::from_utf8_lossy(&store[Path::new("regions/oceania/index.html")]);
    assert!(oceania.contains("Seoul talks"));
    // K. Kim's only briefing loses its authors: the map page, which asks
    // for K. Kim's URL, must fail rather than keep a dead link.
    let text = fs::read_to_string(&seoul).unwrap();
    fs::write(
        &seoul,
        text.replace("authors: [J. Doe, K. Kim]", "authors: [J. Doe]"),
    )
    .unwrap();
    let failed = engine.rebuild(std::slice::from_ref(&seoul));
    let Err(errors) = failed else {
        panic!("the map page names K. Kim, who no longer has a page")
    };
    let errors = format!("{errors:?}");
    assert!(errors.contains("K. Kim"), "{errors}");
}

/// A summary in a list, a timeline entry and the header's search box are
/// rendered once per build (cards) while their partials are the built-in
/// ones: every page is the same bytes as when it includes the partials
/// itself. A site's own partial may read the page's variables, so pages
/// then include it.
#[test]
fn cards_are_the_bytes_the_included_partial_gives() {
    let site = fixture("taxonomies");
    let root = site.path();
    build_ok(root, &[]);
    let with_cards = snapshot(&root.join("public"));
    assert!(
        read(root.join("public/regions/east-asia/index.html"))
            .contains("<article class=\"summary\">"),
        "the tag page lists summaries"
    );

    // Past the memory budget for cards, pages include the partials.
    let run = briefly_with(root, &["build"], &[("BRIEFLY_MEMO_BUDGET", "1")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        snapshot(&root.join("public")) == with_cards,
        "a build over the cards' budget gives the same bytes"
    );

    // The same partials as the site's own files: no cards, same bytes.
    let partials = root.join("templates/partials");
    fs::create_dir_all(&partials).unwrap();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/partials");
    for name in [
        "summary.html",
        "terms.html",
        "timeline_entry.html",
        "search.html",
    ] {
        let text = fs::read_to_string(theme.join(name)).unwrap();
        fs::write(partials.join(name), format!("{text}{{# the site's own #}}")).unwrap();
    }
    build_ok(root, &[]);
    let included = snapshot(&root.join("public"));
    assert_eq!(
        with_cards.keys().collect::<Vec<_>>(),
        included.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &with_cards {
        assert!(
            included[path] == *bytes,
            "{} differs between cards and the included partial",
            path.display()
        );
    }

    // A partial that reads the page it is on is rendered on each page.
    fs::write(
        partials.join("summary.html"),
        "<p class=\"own\">{{ b.title }} on {{ current_url }}</p>\n",
    )
    .unwrap();
    fs::write(
        partials.join("timeline_entry.html"),
        "<li class=\"own\">{{ e.title }} on {{ current_url }}</li>",
    )
    .unwrap();
    fs::write(
        partials.join("search.html"),
        "<p class=\"own-search\">Search from {{ current_url }}</p>",
    )
    .unwrap();
    build_ok(root, &[]);
    assert!(
        read(root.join("public/map/index.html")).contains("Search from /watch/map/</p>"),
        "each page includes a site's own search partial"
    );
    let asia = read(root.join("public/regions/east-asia/index.html"));
    assert!(asia.contains(" on /watch/regions/east-asia/</p>"), "{asia}");
    let home = read(root.join("public/index.html"));
    assert!(home.contains(" on /watch/</p>"), "{home}");
    let timeline = read(root.join("public/regions/east-asia/timeline/index.html"));
    assert!(
        timeline.contains(" on /watch/regions/east-asia/timeline/</li>"),
        "{timeline}"
    );
    let timeline = read(root.join("public/timeline/index.html"));
    assert!(timeline.contains(" on /watch/timeline/</li>"), "{timeline}");
}

/// Terms whose names differ in a sign a URL drops (`C#`, `C++`, `C`)
/// become one page: the build says so once, at a briefing writing the
/// other spelling, and still builds; spellings that differ only in case,
/// spaces or dashes (`East Asia`, `east-asia`) are one term on purpose and
/// are not named.
#[test]
fn terms_merged_by_a_dropped_sign_are_named_once() {
    let site = fixture("taxonomies");
    let root = site.path();
    let dir = root.join("content/briefings");
    for (name, tags, regions) in [
        ("c-one", "[C#]", "[east-asia]"),
        ("c-two", "[C++]", "[East Asia]"),
        ("c-three", "[C]", "[EAST ASIA]"),
        ("c-four", "[C#]", "[east asia]"),
    ] {
        fs::write(
            dir.join(format!("{name}.md")),
            format!("---\ntitle: {name}\ndate: 2024-10-01\ntags: {tags}\nregions: {regions}\n---\nText.\n"),
        )
        .unwrap();
    }
    let run = build_ok(root, &[]);
    let named: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("are one term"))
        .collect();
    assert_eq!(named.len(), 1, "{}", run.stderr);
    assert!(
        named[0].contains("tags: `")
            && named[0].contains("/tags/c/")
            && named[0].contains("content/briefings/c-"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("regions: `"), "{}", run.stderr);
    // `paginate: 1`: the four briefings are the one tag's four pages.
    let pages: String = [
        "index.html",
        "page/2/index.html",
        "page/3/index.html",
        "page/4/index.html",
    ]
    .iter()
    .map(|p| read(root.join("public/tags/c").join(p)))
    .collect();
    for title in ["c-one", "c-two", "c-three", "c-four"] {
        assert!(pages.contains(&format!(">{title}</a>")), "{title}");
    }
    assert!(!root.join("public/tags/c/page/5").exists());
}
