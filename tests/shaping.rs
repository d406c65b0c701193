//! Issue 13, "Tests that prove it": one fixture site (`tests/fixtures/shaping`)
//! with nested `extra:`, three taxonomies (`authors` with its own `slug:`
//! and `feed: false`), a template of its own calling every function and
//! filter of the issue, `language: fr` and a `base_url` with a sub-path,
//! built into the exact pages and words expected; and the same site with
//! a failing call, which names the template's file and line.

mod common;
#[path = "common/full_build.rs"]
mod full_build;

use std::fs;
use std::path::Path;

use common::*;
use full_build::assert_matches_full_build;

/// `now()`: 2024-10-15T13:46:40Z.
const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1729000000");
const TODAY: (&str, &str) = ("BRIEFLY_TODAY", "2024-11-01");

fn build(dir: &Path) -> Run {
    briefly_with(dir, &["build"], &[EPOCH, TODAY])
}

/// The text of the element with this id.
fn by_id(doc: &scraper::Html, id: &str) -> String {
    let found = texts(doc, &format!("#{id}"));
    assert_eq!(found.len(), 1, "#{id}");
    found[0].clone()
}

fn main_text(path: impl AsRef<Path>) -> String {
    texts(&html(path), "main").join("\n")
}

#[test]
fn issue_13_one_site_with_extra_taxonomies_functions_and_french() {
    let site = fixture("shaping");
    let run = build(site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "no warnings: {}", run.stderr);
    let out = site.path().join("public");

    // Every function and filter, on the site's own template.
    let page = html(out.join("fonctions/index.html"));
    for (id, expected) in [
        (
            "extra",
            "sarcelle|Bureau Asie de l’Est|Kim,Lee|bureau@example.org",
        ),
        ("url-content", "/veille/briefings/kazan/"),
        ("url-anchor", "/veille/briefings/kazan/#chiffres"),
        ("url-page", "https://example.org/veille/fonctions/"),
        ("url-static", "/veille/style.css"),
        (
            "page",
            "Sommet de Kazan|/veille/briefings/kazan/|Les BRICS se réunissent à Kazan.|J. Kim",
        ),
        (
            "taxonomy-urls",
            "/veille/regions/asie-de-l-est/|/veille/auteurs/k-kim/|/veille/tags/coree-du-nord/",
        ),
        ("now", "2024-10-15T13:46:40Z|1729000000|octobre 2024"),
        ("date", "jeudi 24 octobre 2024|août|20 octobre 2024"),
        ("yaml", "J. Kim=ko+ru;A. Lee=zh;"),
        ("toml", "42"),
        ("json", "12000|2"),
        ("csv", "region,pertes|Koursk, nord/120;Donetsk/80;"),
        ("slug", "coree-du-nord-russie"),
        ("json-encode", r#"{"effectif":12000,"unites":["a","b"]}"#),
        ("default", "le bureau|le bureau|personne"),
    ] {
        assert_eq!(by_id(&page, id), expected, "#{id}");
    }
    let raw = read(out.join("fonctions/index.html"));
    assert!(
        raw.contains("<div id=\"md\"><p>Notes <em>datées</em> sur l’Asie</p>"),
        "{raw}"
    );
    // The site's template extends the built-in base: French words there.
    assert!(raw.contains("<html lang=\"fr\">"), "{raw}");
    assert!(raw.contains("Aller au contenu") && raw.contains("Publié avec briefly"));

    // Each taxonomy's index and term pages; term timelines for all, feeds
    // for tags and regions but not for authors (`feed: false`), whose
    // pages are under their `slug:`.
    for path in [
        "tags/index.html",
        "tags/brics/index.html",
        "tags/russie/timeline/index.html",
        "tags/russie/atom.xml",
        "regions/index.html",
        "regions/asie-de-l-est/index.html",
        "regions/asie-de-l-est/page/2/index.html",
        "regions/asie-de-l-est/timeline/index.html",
        "regions/asie-de-l-est/atom.xml",
        "regions/europe/atom.xml",
        "auteurs/index.html",
        "auteurs/j-doe/index.html",
        "auteurs/k-kim/timeline/index.html",
    ] {
        assert!(out.join(path).is_file(), "{path} missing");
    }
    for path in [
        "auteurs/j-doe/atom.xml",
        "auteurs/k-kim/atom.xml",
        "authors",
        "regions/asie-de-l-est/page/3",
    ] {
        assert!(!out.join(path).exists(), "{path} should not be written");
    }
    let regions_feed = read(out.join("regions/europe/atom.xml"));
    assert!(regions_feed.contains("Sommet de Kazan") && !regions_feed.contains("Séoul"));
    let k_kim = html(out.join("auteurs/k-kim/index.html"));
    assert_eq!(
        texts(&k_kim, "h2.summary-title"),
        ["Pourparlers à Séoul", "Forum de Vladivostok"]
    );
    assert!(!read(out.join("auteurs/k-kim/index.html")).contains("k-kim/atom.xml"));
    let east_asia = read(out.join("regions/asie-de-l-est/timeline/index.html"));
    for title in [
        "Sommet de Kazan",
        "Ouverture du sommet",
        "Forum de Vladivostok",
    ] {
        assert!(east_asia.contains(title), "{title} on the term's timeline");
    }

    // The theme's words and dates in French.
    let kazan = html(out.join("briefings/kazan/index.html"));
    assert_eq!(texts(&kazan, ".byline-date"), ["Publié 24 octobre 2024"]);
    assert_eq!(texts(&kazan, ".reading-time"), ["1 min de lecture"]);
    assert_eq!(texts(&kazan, ".event-date"), ["22 octobre 2024"]);
    let home = main_text(out.join("index.html"));
    assert!(home.contains("Dernières notes"), "{home}");
    let timeline = main_text(out.join("timeline/index.html"));
    for words in ["Chronologie", "Octobre 2024", "Septembre 2024", "4 entrées"] {
        assert!(timeline.contains(words), "{words} in {timeline}");
    }
    let tag = main_text(out.join("tags/russie/index.html"));
    assert!(
        tag.contains("2 notes avec le mot-clé «\u{a0}Russie\u{a0}»"),
        "{tag}"
    );

    // The same sources (and SOURCE_DATE_EPOCH) give the same bytes.
    let first = snapshot(&out);
    assert_eq!(build(site.path()).code, 0);
    assert!(first == snapshot(&out), "a second build differs");
}

/// A call that fails inside the site's template names the template's file
/// and line (and the page), and the last good output stays.
#[test]
fn issue_13_a_failing_call_in_the_fixture_names_the_template_and_line() {
    let site = fixture("shaping");
    let root = site.path();
    assert_eq!(build(root).code, 0);
    let template = root.join("templates/fonctions.html");
    let original = read(&template);
    for (from, to, line, message) in [
        (
            "get_page(path=\"briefings/2024-10-20-seoul.md\")",
            "get_page(path=\"briefings/2024-10-21-busan.md\")",
            10,
            "no briefing or page content/briefings/2024-10-21-busan.md",
        ),
        (
            "load_data(path=\"data/chiffres.toml\")",
            "load_data(path=\"data/chiffre.toml\")",
            17,
            "load_data(path=\"data/chiffre.toml\"): cannot read data/chiffre.toml",
        ),
        (
            "get_taxonomy_url(kind=\"regions\", name=\"Asie de l’Est\")",
            "get_taxonomy_url(kind=\"regions\", name=\"Atlantide\")",
            12,
            "no briefing has the regions term `Atlantide`",
        ),
    ] {
        assert!(original.contains(from), "{from}");
        fs::write(&template, original.replace(from, to)).unwrap();
        let before = snapshot(&root.join("public"));
        let run = build(root);
        assert_ne!(run.code, 0, "{to} built");
        let at = format!("templates/fonctions.html:{line}:");
        assert!(run.stderr.contains(&at), "{to}: {at} in {}", run.stderr);
        assert!(run.stderr.contains(message), "{to}: {}", run.stderr);
        assert!(
            run.stderr.contains("(while rendering /fonctions/"),
            "{}",
            run.stderr
        );
        assert!(before == snapshot(&root.join("public")), "{to}");
    }
}

/// Every text and label a reader gets from a page: its text (not
/// scripts' or styles') and its `aria-label`, `title` and `alt` values.
fn words_of(path: &Path) -> String {
    let doc = html(path);
    let mut words = String::new();
    for node in doc.root_element().descendants() {
        if let Some(text) = node.value().as_text() {
            let parent = node.parent().and_then(|p| p.value().as_element());
            if !parent.is_some_and(|e| matches!(e.name(), "script" | "style")) {
                words.push_str(text);
                words.push('\n');
            }
        } else if let Some(element) = node.value().as_element() {
            for attr in ["aria-label", "title", "alt"] {
                if let Some(value) = element.attr(attr) {
                    words.push_str(value);
                    words.push('\n');
                }
            }
        }
    }
    words
}

/// The taxonomy chrome's English words (issue 13, item 4: "the theme's
/// words" follow `language:` for every taxonomy, not only tags).
const ENGLISH_CHROME: &[&str] = &[
    "Regions",
    "Authors",
    "Topics",
    "Places",
    "filed under",
    "newest first",
    "oldest first",
    " terms",
    " term,",
    " more",
    "All ",
    "Filter the timeline",
    "each with",
    "No briefing",
    "yet.",
];

/// The shaping site under `language`, with an empty `topics` taxonomy, a
/// `places` taxonomy titled by the site, and enough regions that the
/// timeline's filter leaves some out ("N more").
fn site_in(language: &str) -> tempfile::TempDir {
    let site = fixture("shaping");
    let root = site.path();
    let config = read(root.join("site.yaml"))
        .replace("language: fr", &format!("language: {language}"))
        .replace(
            "{name: authors, slug: auteurs, feed: false}]",
            "{name: authors, slug: auteurs, feed: false}, topics, {name: places, title: Lieux}]",
        );
    fs::write(root.join("site.yaml"), config).unwrap();
    let regions: Vec<String> = (1..=32).map(|n| format!("Zone {n:02}")).collect();
    fs::write(
        root.join("content/briefings/2024-08-01-tour.md"),
        format!(
            "---\ntitle: Tour d’horizon\ndate: 2024-08-01\nregions: [{}]\nplaces: [Kazan]\n---\nTout.\n",
            regions.join(", ")
        ),
    )
    .unwrap();
    site
}

#[test]
fn issue_13_taxonomy_words_speak_the_site_language() {
    for (language, expect) in [
        (
            "fr",
            [
                "Régions",
                "Auteurs",
                "Thèmes",
                "Lieux",
                "3 notes classées sous «\u{a0}Asie de l’Est\u{a0}», les plus récentes d’abord.",
                "34 entrées, chacune avec son nombre de notes.",
                "Aucune note n’est encore classée ici.",
                "Régions\u{a0}: Europe, Asie de l’Est",
                "4 autres",
                "Filtrer la chronologie\u{a0}: Régions",
                "Les notes classées sous «\u{a0}Asie de l’Est\u{a0}» et les événements datés qu’elles couvrent, les plus récents d’abord.",
                "Régions\u{a0}: Asie de l’Est",
            ],
        ),
        (
            "de",
            [
                "Regionen",
                "Autoren",
                "Themen",
                "Lieux",
                "3 Briefings, eingeordnet unter „Asie de l’Est“, die neuesten zuerst.",
                "34 Einträge, jeder mit der Zahl seiner Briefings.",
                "Noch ist hier kein Briefing eingeordnet.",
                "Regionen: Europe, Asie de l’Est",
                "4 weitere",
                "Zeitleiste filtern: Regionen",
                "Briefings, eingeordnet unter „Asie de l’Est“, und die datierten Ereignisse, die sie behandeln, das Neueste zuerst.",
                "Regionen: Asie de l’Est",
            ],
        ),
    ] {
        let site = site_in(language);
        let root = site.path();
        let run = build(root);
        assert_eq!(run.code, 0, "{language}: {}", run.stderr);
        let out = root.join("public");
        let page = |path: &str| words_of(&out.join(path));
        // Navigation and headings: the language's titles, or the site's.
        let home = page("index.html");
        let [
            regions,
            authors,
            topics,
            places,
            term_lede,
            terms_lede,
            empty,
            label,
            more,
            filter,
            term_timeline,
            title,
        ] = expect;
        for title in [regions, authors, topics, places] {
            assert!(home.contains(title), "{language}: {title} in {home}");
        }
        assert_eq!(
            texts(&html(out.join("regions/index.html")), "h1"),
            [regions]
        );
        assert_eq!(
            texts(
                &html(out.join("regions/asie-de-l-est/index.html")),
                ".kicker"
            ),
            [regions]
        );
        assert!(page("regions/asie-de-l-est/index.html").contains(term_lede));
        assert!(page("regions/index.html").contains(terms_lede));
        assert!(page("topics/index.html").contains(empty), "{language}");
        let kazan = html(out.join("briefings/kazan/index.html"));
        assert_eq!(
            texts(&kazan, ".terms-regions").join(" ").replace(" ,", ","),
            label
        );
        let timeline = html(out.join("timeline/index.html"));
        assert_eq!(
            texts(&timeline, "nav.tl-filter .more-tags"),
            [more],
            "{language}"
        );
        assert!(page("timeline/index.html").contains(filter), "{language}");
        assert_eq!(
            texts(
                &html(out.join("regions/asie-de-l-est/timeline/index.html")),
                ".lede"
            ),
            [term_timeline]
        );
        let head = read(out.join("regions/asie-de-l-est/index.html"));
        assert!(
            head.contains(&format!("<title>{title} · Veille Asie</title>")),
            "{language}: {head}"
        );
        assert!(page("404.html").contains(regions));

        // And no English word of the taxonomy chrome is left anywhere a
        // taxonomy shows.
        for path in [
            "index.html",
            "404.html",
            "timeline/index.html",
            "briefings/kazan/index.html",
            "regions/index.html",
            "regions/asie-de-l-est/index.html",
            "regions/asie-de-l-est/page/2/index.html",
            "regions/asie-de-l-est/timeline/index.html",
            "auteurs/index.html",
            "auteurs/k-kim/index.html",
            "topics/index.html",
            "places/kazan/index.html",
        ] {
            let words = page(path);
            let left: Vec<_> = ENGLISH_CHROME
                .iter()
                .filter(|english| words.contains(**english))
                .collect();
            assert!(
                left.is_empty(),
                "{language}: {path} says {left:?}:\n{words}"
            );
        }
    }
}

/// `briefly serve`: a taxonomy's `title:` in site.yaml, or its word in the
/// site's translation file, renders its pages again, as a full build would.
#[test]
fn issue_13_serve_follows_a_taxonomy_title() {
    let site = fixture("shaping");
    let root = site.path();
    // `now()` would differ from a full build run later.
    fs::remove_file(root.join("content/pages/fonctions.md")).unwrap();
    let mut engine =
        briefly::engine::Engine::new(root, false, briefly::config::BaseUrlOverride::None);
    engine.rebuild(&[]).unwrap();
    let page = |engine: &briefly::engine::Engine, path: &str| {
        String::from_utf8(engine.store()[Path::new(path)].to_vec()).unwrap()
    };
    assert!(page(&engine, "regions/index.html").contains("<h1 class=\"page-title\">Régions</h1>"));

    let config = root.join("site.yaml");
    let text = read(&config).replace("tags, regions,", "tags, {name: regions, title: Zones},");
    fs::write(&config, text).unwrap();
    engine.rebuild(std::slice::from_ref(&config)).unwrap();
    assert!(page(&engine, "regions/index.html").contains("<h1 class=\"page-title\">Zones</h1>"));
    assert!(page(&engine, "briefings/kazan/index.html").contains("Zones\u{a0}:"));
    assert_matches_full_build(root, &engine);

    let words = root.join("templates/i18n/fr.yaml");
    fs::create_dir_all(words.parent().unwrap()).unwrap();
    fs::write(&words, "taxonomy_authors: Rédaction\n").unwrap();
    let outcome = engine.rebuild(std::slice::from_ref(&words)).unwrap();
    assert!(
        outcome
            .written
            .contains(&Path::new("auteurs/index.html").to_path_buf())
    );
    assert!(
        page(&engine, "auteurs/index.html").contains("<h1 class=\"page-title\">Rédaction</h1>")
    );
    assert_matches_full_build(root, &engine);
}
