//! Briefing craft (issue 14): update history, citations, key judgements
//! and the freshness notice. Built from `tests/fixtures/craft`.

mod common;

use std::fs;

use common::*;

/// The part of `text` from `start` to the end of the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {text}"));
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end} after {start}"))
        + from;
    &text[from..to + end.len()]
}

/// Item 2: citations become numbered links in order of first citation,
/// with back-links; an uncited source comes last; escapes, code and email
/// addresses stay text.
#[test]
fn citations_link_to_sources_in_first_cited_order() {
    let site = fixture("craft");
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/talks/index.html"));
    assert!(page.contains(
        "<p>Talks resumed on Friday <span class=\"citation\">[<a href=\"#source-1\" id=\"cite-1\" class=\"citation-ref\">1</a>]</span>, the UN said <span class=\"citation\">[<a href=\"#source-2\" id=\"cite-2\" class=\"citation-ref\">2</a>, <a href=\"#source-1\" id=\"cite-1-2\" class=\"citation-ref\">1</a>]</span>.</p>"
    ), "{page}");
    assert!(
        page.contains(
            "<p>Written as text: [@un], <code>[@un]</code> and mail desk@example.org.</p>"
        ),
        "{page}"
    );
    assert!(page.contains("<pre"), "{page}");
    // The summary, made from the first paragraph, leaves the citations out.
    assert!(
        page.contains(
            "<meta name=\"description\" content=\"Talks resumed on Friday, the UN said.\">"
        )
    );
    assert_eq!(
        between(&page, "<ol class=\"source-list\">", "</ol>"),
        "<ol class=\"source-list\">
<li id=\"source-1\"><a href=\"https://example.com/reuters\">Reuters report</a> <a class=\"citation-backref\" href=\"#cite-1\" aria-label=\"Back to citation 1\">↩</a> <a class=\"citation-backref\" href=\"#cite-1-2\" aria-label=\"Back to citation 1 (2)\">↩<sup>2</sup></a></li>
<li id=\"source-2\"><a href=\"https://example.com/un\">UN statement</a> <a class=\"citation-backref\" href=\"#cite-2\" aria-label=\"Back to citation 2\">↩</a></li>
<li id=\"source-3\"><a href=\"https://example.com/never\">Never cited</a></li>
</ol>"
    );
}

/// Pandoc's locators: `[@id, p. 4]` shows the page after the number, and
/// an unknown id with a locator is still an error at its line.
#[test]
fn citations_with_locators() {
    let site = fixture("craft");
    let path = site.path().join("content/briefings/2024-11-01-talks.md");
    fs::write(
        &path,
        read(&path) + "\nSee [@un, p. 4; @reuters] and [@reuters, para. <12>].\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/talks/index.html"));
    assert!(page.contains(
        "<p>See <span class=\"citation\">[<a href=\"#source-2\" id=\"cite-2-2\" class=\"citation-ref\">2</a>, p. 4; <a href=\"#source-1\" id=\"cite-1-3\" class=\"citation-ref\">1</a>]</span> and <span class=\"citation\">[<a href=\"#source-1\" id=\"cite-1-4\" class=\"citation-ref\">1</a>, para. &lt;12&gt;]</span>.</p>"
    ), "{page}");
    fs::write(&path, read(&path) + "\nAnd [@nope, p. 2].\n").unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`[@nope]` cites no source"),
        "{}",
        run.stderr
    );
}

/// Item 2: an unknown id fails the build at its line, naming the known
/// ids; `check` warns of a source never cited.
#[test]
fn unknown_citation_is_an_error_and_uncited_a_warning() {
    let site = fixture("craft");
    let check = briefly(site.path(), &["check"]);
    assert!(
        check
            .stderr
            .contains("content/briefings/2024-11-01-talks.md")
            && check
                .stderr
                .contains("the source `Never cited` is never cited"),
        "{}",
        check.stderr
    );
    let path = site.path().join("content/briefings/2024-11-01-talks.md");
    let text = read(&path).replace("said [@un;", "said [@unn;");
    fs::write(&path, text).unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains(
            "content/briefings/2024-11-01-talks.md:14: `[@unn]` cites no source: the known source ids are `un`, `reuters` (write `\\[@unn]` to show it as text)"
        ),
        "{}",
        run.stderr
    );
}

/// Item 3: key judgements are a box at the top with the confidence in
/// words, the JSON-LD abstract and the summary when none is written; an
/// unknown confidence is an error naming the allowed words.
#[test]
fn key_judgements_box_abstract_and_summary() {
    let site = fixture("craft");
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/judged/index.html"));
    assert_eq!(
        between(&page, "<section class=\"key-judgements\">", "</section>"),
        "<section class=\"key-judgements\">
<h2>Key judgements</h2>
<ul class=\"judgement-list\">
<li class=\"judgement confidence-moderate\"><span class=\"confidence\">Moderate confidence:</span> The ceasefire will hold through the winter</li>
<li class=\"judgement confidence-high\"><span class=\"confidence\">High confidence:</span> Talks resume before March</li>
</ul>
</section>"
    );
    let sentence = "The ceasefire will hold through the winter (moderate confidence). Talks resume before March (high confidence).";
    assert!(
        page.contains(&format!("\"abstract\":\"{sentence}\"")),
        "{page}"
    );
    assert!(page.contains(&format!(
        "<meta name=\"description\" content=\"{sentence}\">"
    )));
    let feed = read(site.path().join("public/feed.json"));
    assert!(
        feed.contains(&format!("\"summary\": \"{sentence}\""))
            || feed.contains(&format!("\"summary\":\"{sentence}\"")),
        "{feed}"
    );

    let path = site.path().join("content/briefings/2024-10-20-judged.md");
    fs::write(
        &path,
        read(&path).replace("confidence: high", "confidence: certain"),
    )
    .unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("content/briefings/2024-10-20-judged.md:8")
            && run
                .stderr
                .contains("unknown variant `certain`, expected one of `low`, `moderate`, `high`"),
        "{}",
        run.stderr
    );
}

/// Item 1: the newest update near the top, the whole history at the end
/// (corrections marked), `updated` from the newest, and the feeds'
/// updated dates.
#[test]
fn update_history_and_feed_dates() {
    let site = fixture("craft");
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/revised/index.html"));
    assert!(page.contains(
        "<p class=\"update-latest\"><span class=\"update-kind\">Correction</span> <time class=\"date\" datetime=\"2024-11-06\">6 November 2024</time>: The casualty figure was 40, not 400. <a href=\"#update-history\">All updates</a></p>"
    ), "{page}");
    assert_eq!(
        between(&page, "<section class=\"briefing-updates\"", "</section>"),
        "<section class=\"briefing-updates\" id=\"update-history\">
<h2>Updates and corrections</h2>
<ol class=\"update-list\">
<li class=\"update update-correction\"><time class=\"date\" datetime=\"2024-11-06\">6 November 2024</time>: <span class=\"update-kind\">Correction:</span> The casualty figure was 40, not 400.</li>
<li class=\"update update-update\"><time class=\"date\" datetime=\"2024-10-20\">20 October 2024</time>: New satellite imagery.</li>
<li class=\"update update-update\"><time class=\"date\" datetime=\"2024-10-05\">5 October 2024</time>: Added the second round of talks.</li>
</ol>
</section>"
    );
    assert!(
        page.contains(
            "<span class=\"updated\">Updated <time class=\"date\" datetime=\"2024-11-06\">"
        )
    );
    let atom = read(site.path().join("public/atom.xml"));
    assert!(
        between(
            &atom,
            "<id>https://example.org/briefings/revised/</id>",
            "</updated>"
        )
        .ends_with("<updated>2024-11-06T00:00:00Z</updated>"),
        "{atom}"
    );
    let feed = read(site.path().join("public/feed.json"));
    assert!(
        feed.contains("\"date_modified\": \"2024-11-06T00:00:00Z\""),
        "{feed}"
    );
}

/// Item 4: with `stale_after_days`, the page carries the day it goes
/// stale and a hidden notice (shown by its script; see tests/browser.rs).
#[test]
fn freshness_notice_is_data_and_hidden() {
    let site = fixture("craft");
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/revised/index.html"));
    assert!(page.contains(
        "<p class=\"stale-notice\" data-stale-from=\"2024-12-06\" hidden>Last updated <time class=\"date\" datetime=\"2024-11-06\">6 November 2024</time> — events may have moved on</p>"
    ), "{page}");
    // Its script is a file of the site, not inline: a strict
    // Content-Security-Policy (`script-src 'self'`) lets it run.
    assert!(
        page.contains("<script src=\"/freshness.js\" defer></script>"),
        "{page}"
    );
    let inline = page
        .match_indices("<script")
        .filter(|(at, _)| {
            let tag = &page[*at..*at + page[*at..].find('>').unwrap()];
            !tag.contains(" src=") && !tag.contains("type=\"application/ld+json\"")
        })
        .count();
    assert_eq!(inline, 0, "{page}");
    let script = read(site.path().join("public/freshness.js"));
    assert!(script.contains("data-stale-from"), "{script}");
    fs::write(
        site.path().join("site.yaml"),
        read(site.path().join("site.yaml")).replace("stale_after_days: 30\n", ""),
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/revised/index.html"));
    assert!(!page.contains("stale-notice"));
}

/// Item 1: `timeline: { show_updates: true }` puts each update on the
/// timeline (a correction as such), linking to the briefing's history;
/// by default there are none.
#[test]
fn the_timeline_shows_updates_when_asked() {
    let site = fixture("craft");
    build_ok(site.path(), &[]);
    let timeline = read(site.path().join("public/timeline/index.html"));
    assert!(timeline.contains(
        "<li class=\"tl-entry tl-update\">
<p class=\"tl-date\"><time class=\"date\" datetime=\"2024-11-06\">6 November 2024</time> <span class=\"tl-kind\">Correction</span></p>
<p class=\"tl-title\">The casualty figure was 40, not 400.</p>
<p class=\"tl-from\">to: <a href=\"/briefings/revised/#update-history\">Revised</a></p>
</li>"
    ), "{timeline}");
    assert_eq!(timeline.matches("tl-entry tl-update").count(), 3);
    let yaml = read(site.path().join("site.yaml"))
        .replace("  show_updates: true\n", "  order: newest-first\n");
    fs::write(site.path().join("site.yaml"), yaml).unwrap();
    build_ok(site.path(), &[]);
    let timeline = read(site.path().join("public/timeline/index.html"));
    assert!(!timeline.contains("tl-update"), "{timeline}");
}

/// Issue 14's words follow `language:` as the rest of the theme does
/// (issue 13, item 4): the craft fixture under `language: fr`.
#[test]
fn the_craft_words_speak_the_site_language() {
    let site = fixture("craft");
    let yaml = site.path().join("site.yaml");
    let text = read(&yaml);
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("language:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&yaml, format!("{text}language: fr\n")).unwrap();
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/revised/index.html"));
    for words in [
        "<span class=\"update-kind\">Correction</span> <time class=\"date\" datetime=\"2024-11-06\">6 novembre 2024</time>",
        "<a href=\"#update-history\">Toutes les mises à jour</a>",
        "<h2>Mises à jour et corrections</h2>",
        "<span class=\"update-kind\">Correction :</span>",
        "la situation a pu évoluer",
    ] {
        assert!(page.contains(words), "{words}\n{page}");
    }
    for english in [
        "All updates",
        "Updates and corrections",
        "events may have moved on",
    ] {
        assert!(!page.contains(english), "{english}");
    }
    let all: String = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| read(e.path()))
        .collect();
    for words in [
        "Jugements clés",
        "Confiance élevée",
        "Retour à la citation 1",
    ] {
        assert!(all.contains(words), "{words}");
    }
    // Key judgements made into the summary and the JSON-LD abstract.
    let judged = read(site.path().join("public/briefings/judged/index.html"));
    let sentence = "The ceasefire will hold through the winter (confiance modérée). Talks resume before March (confiance élevée).";
    assert!(
        judged.contains(&format!(
            "<meta name=\"description\" content=\"{sentence}\">"
        )),
        "{judged}"
    );
    assert!(
        judged.contains(&format!("\"abstract\":\"{sentence}\"")),
        "{judged}"
    );
    assert!(!judged.contains("confidence)"), "{judged}");
    for english in ["Key judgements", "High confidence", "Back to citation"] {
        assert!(!all.contains(english), "{english}");
    }
}
