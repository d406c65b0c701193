//! Issue 13, item 4 and the `date` filter of item 3: `language:` sets the
//! built-in theme's words and month names, a site's `templates/i18n/`
//! overrides them, right-to-left languages get `dir="rtl"`, and
//! `date(format=…)` speaks the site's language. Built from
//! `tests/fixtures/languages` (`language: fr-CA`, with the site's own
//! `templates/i18n/fr.yaml` and `fr-CA.yaml`).

mod common;

use std::fs;
use std::path::Path;

use common::*;

const TODAY: (&str, &str) = ("BRIEFLY_TODAY", "2025-06-01");
/// `now()`: 2025-06-01T12:30:00Z.
const NOW: (&str, &str) = ("SOURCE_DATE_EPOCH", "1748781000");

fn build(root: &Path) -> Run {
    let run = briefly_with(root, &["build"], &[TODAY, NOW]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    run
}

fn main_text(path: impl AsRef<Path>) -> String {
    texts(&html(path), "main").join("\n")
}

#[test]
fn issue_13_language_fr_sets_the_theme_words_and_month_names() {
    let site = fixture("languages");
    let root = site.path();
    build(root);
    let public = root.join("public");

    let page = read(public.join("briefings/election/index.html"));
    assert!(page.contains("<html lang=\"fr-CA\">"), "no dir for ltr");
    let doc = html(public.join("briefings/election/index.html"));
    assert_eq!(
        texts(&doc, ".byline-date"),
        ["Publié 6 novembre 2024"],
        "the word and the month in French"
    );
    assert_eq!(texts(&doc, ".updated"), ["Mis à jour 2 décembre 2024"]);
    assert_eq!(texts(&doc, ".reading-time"), ["1 min de lecture"]);
    assert_eq!(texts(&doc, ".word-count"), ["6 mots"]);
    assert_eq!(texts(&doc, ".toc-title"), ["Sommaire"]);
    assert_eq!(
        texts(&doc, ".briefing-events h2, .related h2"),
        ["Événements datés", "Notes liées"]
    );
    // Event dates: a year, a day, and a range of months.
    assert_eq!(
        texts(&doc, ".event-date"),
        ["2024", "5 novembre 2024", "janvier 2025 – février 2025"]
    );
    // The site's templates/i18n/fr.yaml goes over briefly's French.
    assert_eq!(texts(&doc, ".prev .prev-next-label"), ["← Avant"]);
    assert_eq!(texts(&doc, ".site-footer .generator").len(), 1);
    assert!(page.contains("Publié avec briefly"), "footer");
    assert!(page.contains("aria-label=\"Mots-clés\""));

    // fr-CA.yaml goes over fr.yaml.
    let older = html(public.join("briefings/accord/index.html"));
    assert_eq!(texts(&older, ".next .prev-next-label"), ["Après →"]);
    assert_eq!(texts(&older, ".byline-date"), ["Publié 15 août 2024"]);

    let index = main_text(public.join("index.html"));
    assert!(index.contains("Dernières notes"), "{index}");
    assert!(index.contains("6 novembre 2024"), "{index}");
    assert!(
        index.contains("Avant →"),
        "the site's word in the pagination: {index}"
    );
    let second = main_text(public.join("page/2/index.html"));
    assert!(second.contains("page 2 sur 2"), "{second}");

    let timeline = main_text(public.join("timeline/index.html"));
    for words in [
        "Chronologie",
        "les plus récents d’abord",
        "Novembre 2024",
        "Août 2024",
        "Courant 2024",
        "Événement sur plusieurs jours",
        "4 entrées",
        "calendrier auquel s’abonner",
    ] {
        assert!(timeline.contains(words), "{words} in {timeline}");
    }
    let tag = main_text(public.join("tags/etats-unis/index.html"));
    assert!(
        tag.contains(
            "2 notes avec le mot-clé «\u{a0}États-Unis\u{a0}», les plus récentes d’abord."
        ),
        "{tag}"
    );
    let tags = main_text(public.join("tags/index.html"));
    assert!(tags.contains("2 mots-clés"), "{tags}");
    let not_found = main_text(public.join("404.html"));
    assert!(not_found.contains("Page introuvable"), "{not_found}");

    // The search script's words are in the page, in French, with the
    // plural forms it picks from (search.js reads `data-words`).
    let box_ = html(public.join("index.html"));
    let selector = scraper::Selector::parse(".site-search").unwrap();
    let words = box_
        .select(&selector)
        .next()
        .unwrap()
        .attr("data-words")
        .unwrap();
    let words: serde_json::Value = serde_json::from_str(words).unwrap();
    assert_eq!(words["searching"], "Recherche…");
    assert_eq!(words["found"]["one"], "{n} note trouvée.");
    assert_eq!(words["found"]["other"], "{n} notes trouvées.");
    assert!(read(public.join("search.js")).contains("data-words"));
    assert_eq!(
        texts(&box_, ".search-more, .search-form label"),
        ["Rechercher dans les notes", "Plus de résultats"]
    );
    // Search hits show the date in French too.
    let blocks: String = fs::read_dir(public.join("search-index/briefings"))
        .unwrap()
        .map(|e| read(e.unwrap().path()))
        .collect();
    assert!(blocks.contains("6 novembre 2024"), "{blocks}");

    // TimelineJS's data and the calendar speak French too.
    let data = read(public.join("timeline.json"));
    assert!(
        data.contains("Lire la note\u{a0}: <a") && data.contains("\"group\":\"Événements\""),
        "{data}"
    );
    let calendar = read(public.join("timeline.ics")).replace("\r\n ", "");
    assert!(
        calendar.contains("Daté seulement au mois\u{a0}: de janvier 2025 à février 2025."),
        "{calendar}"
    );

    // Feeds and JSON-LD keep machine dates.
    let atom = read(public.join("atom.xml"));
    assert!(atom.contains("2024-11-06T00:00:00Z") && !atom.contains("novembre"));
    assert!(read(public.join("rss.xml")).contains("Wed, 6 Nov 2024 00:00:00 +0000"));
    assert!(page.contains("\"datePublished\":\"2024-11-06\""), "{page}");
}

#[test]
fn issue_13_the_date_filter_speaks_the_site_language() {
    let site = fixture("languages");
    let root = site.path();
    build(root);
    let doc = html(root.join("public/dates/index.html"));
    let at = |id: &str| texts(&doc, &format!("#{id}")).remove(0);
    assert_eq!(at("full"), "jeudi 3 octobre 2024");
    assert_eq!(at("short"), "jeu. 3 oct.");
    assert_eq!(at("upper"), "OCTOBRE");
    assert_eq!(at("time"), "3 octobre 2024 à 09 h 05 (+0200)");
    assert_eq!(at("default"), "3 octobre 2024");
    assert_eq!(at("now"), "dimanche 1 juin 2025, 12:30", "now()'s text");
    // A month or a year shows what it has, with the language's formats.
    assert_eq!(at("month"), "octobre 2024");
    assert_eq!(at("month-own"), "10/2024");
    assert_eq!(at("year"), "2024");
    assert_eq!(at("trans"), "3 min de lecture / 1 note trouvée.");
    assert_eq!(at("override"), "Avant");
}

#[test]
fn issue_13_right_to_left_languages_set_dir_and_unknown_words_fall_back() {
    let site = fixture("languages");
    let root = site.path();
    let config = read(root.join("site.yaml")).replace("language: fr-CA", "language: ar");
    fs::write(root.join("site.yaml"), config).unwrap();
    // The dates page asks for French words by name (`lang="fr"`).
    fs::remove_file(root.join("content/pages/dates.md")).unwrap();
    build(root);
    let page = read(root.join("public/index.html"));
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
    assert!(page.contains("Latest briefings"), "English words for now");

    // Hebrew is shipped: its words, and dates in its own order.
    let config = read(root.join("site.yaml")).replace("language: ar", "language: he");
    fs::write(root.join("site.yaml"), &config).unwrap();
    build(root);
    let page = read(root.join("public/index.html"));
    assert!(page.contains("<html lang=\"he\" dir=\"rtl\">"), "{page}");
    assert!(page.contains("התדריכים האחרונים"), "{page}");
    assert!(page.contains("6 בנובמבר 2024"), "{page}");
    fs::write(
        root.join("site.yaml"),
        config.replace("language: he", "language: ar"),
    )
    .unwrap();

    // A language briefly does not ship takes the site's own file.
    fs::write(
        root.join("templates/i18n/ar.yaml"),
        "latest_briefings: أحدث الإحاطات\n",
    )
    .unwrap();
    build(root);
    let page = read(root.join("public/index.html"));
    assert!(page.contains("أحدث الإحاطات"), "{page}");
}

#[test]
fn issue_13_a_translation_error_names_the_file_and_line() {
    let site = fixture("languages");
    let root = site.path();
    build(root);
    let before = snapshot(&root.join("public"));
    fs::write(
        root.join("templates/i18n/fr.yaml"),
        "older: Avant\n\nolder_than: Bien avant\n",
    )
    .unwrap();
    let run = briefly_with(root, &["build"], &[TODAY]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("templates/i18n/fr.yaml:3:1: unknown key `older_than`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        snapshot(&root.join("public")),
        before,
        "the last output stays"
    );

    // A template asking for a word that does not exist: the template's
    // file and line.
    fs::write(root.join("templates/i18n/fr.yaml"), "older: Avant\n").unwrap();
    let dates = read(root.join("templates/dates.html"));
    fs::write(
        root.join("templates/dates.html"),
        dates.replace("trans(key=\"older\")", "trans(key=\"oldr\")"),
    )
    .unwrap();
    let run = briefly_with(root, &["build"], &[TODAY]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("templates/dates.html:15:")
            && run.stderr.contains("no word `oldr`: did you mean `older`?"),
        "{}",
        run.stderr
    );
}

/// The `date` filter's errors name the template's file and line too.
#[test]
fn issue_13_a_date_filter_error_names_the_template_line() {
    let site = fixture("languages");
    let root = site.path();
    let dates = read(root.join("templates/dates.html"));
    fs::write(
        root.join("templates/dates.html"),
        dates.replace(
            "{{ \"2024-10-03\" | date(format=\"%a",
            "{{ \"yesterday\" | date(format=\"%a",
        ),
    )
    .unwrap();
    let run = briefly_with(root, &["build"], &[TODAY]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("templates/dates.html:5:33: date: `yesterday` is not a date"),
        "{}",
        run.stderr
    );
}

#[test]
fn issue_13_the_same_sources_give_the_same_bytes() {
    let site = fixture("languages");
    let root = site.path();
    build(root);
    let first = snapshot(&root.join("public"));
    build(root);
    assert_eq!(snapshot(&root.join("public")), first);
}

#[test]
fn issue_13_check_counts_translations_as_no_templates_and_tags_are_checked() {
    let site = fixture("languages");
    let root = site.path();
    let run = briefly_with(root, &["check"], &[TODAY]);
    assert!(!run.stderr.contains("i18n"), "{}", run.stderr);
    assert!(!run.stdout.contains("i18n"), "{}", run.stdout);

    // The tag names files: it is a tag, never a path.
    let config = read(root.join("site.yaml")).replace("language: fr-CA", "language: ../fr");
    fs::write(root.join("site.yaml"), config).unwrap();
    let run = briefly_with(root, &["build"], &[TODAY]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("site.yaml:3:1: language `../fr` is not a language tag"),
        "{}",
        run.stderr
    );
}
