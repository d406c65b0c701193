//! Incremental rebuilds (issue #3): a change re-renders only the pages it
//! touches, rewrites only files whose bytes changed, and always ends in the
//! same bytes as a fresh full build.

mod common;
#[path = "common/full_build.rs"]
mod full_build;

use std::fs;
use std::path::{Path, PathBuf};

use briefly::config::BaseUrlOverride;
use briefly::engine::{Engine as Rebuilder, Outcome};
use common::*;
use full_build::assert_matches_full_build;

/// A site of `n` briefings: briefing i is tagged `t<i % 6>`, one a day.
fn site_of(n: usize) -> tempfile::TempDir {
    let site = fixture("desk");
    let dir = site.path().join("content/briefings");
    fs::remove_dir_all(&dir).unwrap();
    fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        write_briefing(site.path(), i, &format!("t{}", i % 6), "Body text.");
    }
    site
}

fn briefing_path(root: &Path, i: usize) -> PathBuf {
    root.join(format!("content/briefings/b{i:03}.md"))
}

fn write_briefing(root: &Path, i: usize, tag: &str, body: &str) {
    let date = jiff::civil::date(2024, 1, 1) + jiff::Span::new().days(i as i64);
    fs::write(
        briefing_path(root, i),
        format!("---\ntitle: \"Briefing {i}\"\ndate: {date}\ntags: [{tag}]\nevents:\n  - date: {date}\n    title: \"Event {i}\"\n---\n{body}\n"),
    )
    .unwrap();
}

fn written(outcome: &Outcome) -> Vec<String> {
    outcome
        .written
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

#[test]
fn a_body_edit_touches_only_the_pages_that_show_it() {
    let site = site_of(40);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    let first = rebuilder.rebuild(&[]).unwrap();
    assert!(first.written.len() > 50, "{}", first.written.len());

    write_briefing(root, 20, "t2", "Body text, now with a second sentence.");
    let outcome = rebuilder.rebuild(&[briefing_path(root, 20)]).unwrap();
    let pages = written(&outcome);
    assert!(
        pages.contains(&"briefings/b020/index.html".to_string()),
        "{pages:?}"
    );
    assert!(
        !pages.contains(&"briefings/b003/index.html".to_string()),
        "{pages:?}"
    );
    assert!(
        !pages.iter().any(|p| p.starts_with("tags/t1/")),
        "other tags are untouched: {pages:?}"
    );
    assert!(
        outcome.rendered < 20,
        "rendered {} pages for one edit",
        outcome.rendered
    );
    assert_matches_full_build(root, &rebuilder);

    // Saving the same bytes again renders nothing.
    write_briefing(root, 20, "t2", "Body text, now with a second sentence.");
    let outcome = rebuilder.rebuild(&[briefing_path(root, 20)]).unwrap();
    assert_eq!(outcome.rendered, 0);
    assert!(outcome.written.is_empty());
}

#[test]
fn a_tag_change_moves_the_briefing_between_tag_pages() {
    let site = site_of(40);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    write_briefing(root, 20, "fresh", "Body text.");
    let outcome = rebuilder.rebuild(&[briefing_path(root, 20)]).unwrap();
    let pages = written(&outcome);
    for page in [
        "tags/t2/index.html",
        "tags/fresh/index.html",
        "tags/index.html",
        "briefings/b020/index.html",
    ] {
        assert!(
            pages.contains(&page.to_string()),
            "{page} not rewritten: {pages:?}"
        );
    }
    assert_matches_full_build(root, &rebuilder);
}

#[test]
fn new_deleted_and_renamed_briefings_update_every_listing() {
    let site = site_of(25);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();

    write_briefing(root, 30, "t0", "Brand new.");
    let outcome = rebuilder.rebuild(&[briefing_path(root, 30)]).unwrap();
    assert!(written(&outcome).contains(&"briefings/b030/index.html".to_string()));
    assert_matches_full_build(root, &rebuilder);

    fs::remove_file(briefing_path(root, 5)).unwrap();
    let outcome = rebuilder.rebuild(&[briefing_path(root, 5)]).unwrap();
    assert!(
        outcome
            .removed
            .contains(&PathBuf::from("briefings/b005/index.html"))
    );
    assert_matches_full_build(root, &rebuilder);

    fs::rename(
        briefing_path(root, 6),
        briefing_path(root, 7).with_file_name("renamed.md"),
    )
    .unwrap();
    let outcome = rebuilder
        .rebuild(&[
            briefing_path(root, 6),
            root.join("content/briefings/renamed.md"),
        ])
        .unwrap();
    assert!(
        outcome
            .removed
            .contains(&PathBuf::from("briefings/b006/index.html")),
        "{outcome:?}"
    );
    assert!(written(&outcome).contains(&"briefings/renamed/index.html".to_string()));
    assert_matches_full_build(root, &rebuilder);
}

#[test]
fn a_template_change_re_renders_without_re_parsing_and_writes_only_what_changed() {
    let site = site_of(20);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    let first = rebuilder.rebuild(&[]).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/tag.html"),
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"mine\">{{ tag.name }}</h1>{% endblock content %}",
    )
    .unwrap();
    let outcome = rebuilder
        .rebuild(&[root.join("templates/tag.html")])
        .unwrap();
    assert_eq!(
        outcome.rendered, first.rendered,
        "every page is rendered again"
    );
    let pages = written(&outcome);
    assert!(
        !pages.is_empty() && pages.iter().all(|p| p.starts_with("tags/t")),
        "{pages:?}"
    );
    assert_matches_full_build(root, &rebuilder);
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_output_and_recovers() {
    let site = site_of(10);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let good = rebuilder.store();
    fs::write(briefing_path(root, 3), "---\ntitle: [broken\n---\n").unwrap();
    let error = rebuilder.rebuild(&[briefing_path(root, 3)]).unwrap_err();
    assert!(
        error.to_string().contains("content/briefings/b003.md:2:"),
        "{error}"
    );
    assert!(
        std::sync::Arc::ptr_eq(&good, &rebuilder.store()),
        "the last good output stays"
    );
    // An unrelated change while the error stands still fails.
    write_briefing(root, 4, "t4", "Other edit.");
    assert!(rebuilder.rebuild(&[briefing_path(root, 4)]).is_err());
    write_briefing(root, 3, "t3", "Fixed.");
    rebuilder.rebuild(&[briefing_path(root, 3)]).unwrap();
    assert_matches_full_build(root, &rebuilder);

    // A broken site.yaml is reported, and fixing it rebuilds everything.
    let config = read(root.join("site.yaml"));
    fs::write(root.join("site.yaml"), config.clone() + "colour: red\n").unwrap();
    let error = rebuilder.rebuild(&[root.join("site.yaml")]).unwrap_err();
    assert!(
        error.to_string().contains("unknown key `colour`"),
        "{error}"
    );
    fs::write(
        root.join("site.yaml"),
        config.replace("paginate: 2", "paginate: 3"),
    )
    .unwrap();
    rebuilder.rebuild(&[root.join("site.yaml")]).unwrap();
    assert_matches_full_build(root, &rebuilder);
}

/// Many random edits, each followed by the check that the incremental output
/// equals a full build: the fingerprints must never miss a dependency.
#[test]
fn random_edits_always_match_a_full_build() {
    let site = site_of(30);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for step in 0..40 {
        let i = next(40);
        let path = briefing_path(root, i);
        if next(6) == 0 {
            // A failed rebuild in between, with another edit made meanwhile.
            let broken = briefing_path(root, 100 + step);
            fs::write(&broken, "---\ntitle: [broken\n---\n").unwrap();
            assert!(rebuilder.rebuild(std::slice::from_ref(&broken)).is_err());
            let other = next(40);
            write_briefing(root, other, "t5", &format!("Edited while broken {step}."));
            assert!(rebuilder.rebuild(&[briefing_path(root, other)]).is_err());
            fs::remove_file(&broken).unwrap();
            rebuilder.rebuild(&[broken]).unwrap();
            assert_matches_full_build(root, &rebuilder);
        }
        match next(5) {
            0 => write_briefing(
                root,
                i,
                &format!("t{}", next(8)),
                &format!("Edited body {step}."),
            ),
            1 => write_briefing(root, i, "t1", "Body text."),
            2 => {
                let _ = fs::remove_file(&path);
            }
            3 => {
                let text = format!(
                    "---\ntitle: \"Moved {step}\"\ndate: 2023-0{}-1{}\ntags: [t{}, t{}]\n---\nMoved.\n",
                    1 + next(9),
                    next(10),
                    next(6),
                    next(6)
                );
                fs::write(&path, text).unwrap();
            }
            _ => write_briefing(
                root,
                i,
                &format!("t{}", next(3)),
                &"Longer body text. ".repeat(1 + next(50)),
            ),
        }
        rebuilder.rebuild(&[path]).unwrap();
        assert_matches_full_build(root, &rebuilder);
    }
}

#[test]
fn a_stylesheet_change_writes_only_the_stylesheet() {
    let site = site_of(5);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let css = root.join("templates/static/style.css");
    fs::create_dir_all(css.parent().unwrap()).unwrap();
    for colour in ["red", "blue"] {
        fs::write(&css, format!("body {{ color: {colour}; }}\n")).unwrap();
        let outcome = rebuilder.rebuild(std::slice::from_ref(&css)).unwrap();
        assert_eq!(written(&outcome), ["style.css"]);
        assert!(outcome.only_css());
        assert_eq!(
            **rebuilder.store().get(Path::new("style.css")).unwrap(),
            format!("body {{ color: {colour}; }}\n").into_bytes()
        );
    }
    assert_matches_full_build(root, &rebuilder);
}

#[test]
fn a_renamed_link_target_rewrites_the_pages_linking_to_it() {
    let site = fixture("desk");
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let troops = root.join("content/briefings/2024-10-25-troops.md");
    fs::write(
        &troops,
        read(&troops).replace("confidence: moderate", "slug: soldiers"),
    )
    .unwrap();
    let outcome = rebuilder.rebuild(std::slice::from_ref(&troops)).unwrap();
    assert!(
        written(&outcome).contains(&"briefings/treaty/index.html".to_string()),
        "{outcome:?}"
    );
    let treaty = rebuilder
        .store()
        .get(Path::new("briefings/treaty/index.html"))
        .unwrap()
        .clone();
    assert!(
        String::from_utf8_lossy(&treaty).contains("href=\"/watch/briefings/soldiers/#numbers\"")
    );
    assert_matches_full_build(root, &rebuilder);
}

/// Issue 13, item 4: a change to a translation file (`templates/i18n/`)
/// re-renders the pages showing its words, as a full build would.
#[test]
fn issue_13_a_translation_change_rebuilds_the_pages_that_show_it() {
    let site = site_of(6);
    let root = site.path();
    let config = read(root.join("site.yaml"));
    fs::write(root.join("site.yaml"), config + "language: fr\n").unwrap();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let page = |rebuilder: &Rebuilder| {
        String::from_utf8_lossy(&rebuilder.store()[Path::new("briefings/b002/index.html")])
            .into_owned()
    };
    assert!(page(&rebuilder).contains("Plus ancien"));
    let file = root.join("templates/i18n/fr.yaml");
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(
        &file,
        "older: Avant\nmonths: [a, b, c, d, e, f, g, h, i, j, k, l]\n",
    )
    .unwrap();
    let outcome = rebuilder.rebuild(std::slice::from_ref(&file)).unwrap();
    assert!(page(&rebuilder).contains("Avant"), "{}", page(&rebuilder));
    assert!(page(&rebuilder).contains(" a 2024"), "the new month names");
    assert!(written(&outcome).iter().any(|p| p == "index.html"));
    assert_matches_full_build(root, &rebuilder);
    // A broken file is reported and keeps the last good output.
    fs::write(&file, "oldr: Avant\n").unwrap();
    let error = rebuilder.rebuild(std::slice::from_ref(&file)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("templates/i18n/fr.yaml:1:1: unknown key `oldr`"),
        "{error}"
    );
    fs::remove_file(&file).unwrap();
    rebuilder.rebuild(std::slice::from_ref(&file)).unwrap();
    assert!(page(&rebuilder).contains("Plus ancien"));
    assert_matches_full_build(root, &rebuilder);
}

/// Issue 14: setting `stale_after_days` in site.yaml rewrites the briefing
/// pages with their notice, and a new entry in a briefing's `updates:`
/// rewrites its page and the feeds with the new updated date.
#[test]
fn stale_after_days_and_updates_rebuild_what_shows_them() {
    let site = site_of(3);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let config = read(root.join("site.yaml"));
    fs::write(
        root.join("site.yaml"),
        config + "stale_after_days: 10\ntimeline:\n  show_updates: true\n",
    )
    .unwrap();
    let outcome = rebuilder.rebuild(&[root.join("site.yaml")]).unwrap();
    let pages = written(&outcome);
    assert!(
        pages.contains(&"briefings/b001/index.html".to_string()),
        "{pages:?}"
    );
    let page =
        String::from_utf8(rebuilder.store()[Path::new("briefings/b001/index.html")].to_vec())
            .unwrap();
    assert!(page.contains("data-stale-from=\"2024-01-12\""), "{page}");
    assert_matches_full_build(root, &rebuilder);

    let path = briefing_path(root, 1);
    let text = read(&path).replacen(
        "tags:",
        "updates:\n  - date: 2024-03-01\n    note: Revised.\ntags:",
        1,
    );
    fs::write(&path, text).unwrap();
    let outcome = rebuilder.rebuild(&[path]).unwrap();
    let pages = written(&outcome);
    for page in [
        "briefings/b001/index.html",
        "atom.xml",
        "feed.json",
        "timeline/index.html",
    ] {
        assert!(pages.contains(&page.to_string()), "{page} not in {pages:?}");
    }
    let page =
        String::from_utf8(rebuilder.store()[Path::new("briefings/b001/index.html")].to_vec())
            .unwrap();
    assert!(
        page.contains("data-stale-from=\"2024-03-11\"") && page.contains("Revised."),
        "{page}"
    );
    assert_matches_full_build(root, &rebuilder);
}

/// Code spans carry only the classes the configured `highlight_theme` can
/// style, so changing the theme in site.yaml rewrites the pages with code:
/// InspiredGitHub colours a diff's header (`meta.diff.header`),
/// base16-ocean (the default) does not.
#[test]
fn a_highlight_theme_change_rewrites_the_code_classes() {
    let site = site_of(3);
    let root = site.path();
    write_briefing(
        root,
        1,
        "t1",
        "```diff\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n```",
    );
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let page = |rebuilder: &Rebuilder| {
        String::from_utf8(rebuilder.store()[Path::new("briefings/b001/index.html")].to_vec())
            .unwrap()
    };
    assert!(page(&rebuilder).contains("<span class=\"hl-"));
    assert!(!page(&rebuilder).contains("hl-meta"));
    let config = read(root.join("site.yaml"));
    fs::write(
        root.join("site.yaml"),
        config + "highlight_theme: InspiredGitHub\n",
    )
    .unwrap();
    let outcome = rebuilder.rebuild(&[root.join("site.yaml")]).unwrap();
    assert!(written(&outcome).contains(&"briefings/b001/index.html".to_string()));
    assert!(page(&rebuilder).contains("hl-meta"));
    assert_matches_full_build(root, &rebuilder);
}

/// Issue 14: a briefing without `summary:` takes its key judgements as its
/// summary, with the language's confidence words; a new word in the site's
/// translation file reaches that summary (on its page and in the index)
/// while serving.
#[test]
fn a_translation_change_reaches_summaries_made_of_judgements() {
    let site = site_of(3);
    let root = site.path();
    let config = read(root.join("site.yaml"));
    fs::write(root.join("site.yaml"), config + "language: fr\n").unwrap();
    let path = briefing_path(root, 1);
    let text = read(&path).replacen(
        "tags:",
        "judgements:\n  - text: Talks resume before March\n    confidence: high\ntags:",
        1,
    );
    fs::write(&path, text).unwrap();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let file = |rebuilder: &Rebuilder, name: &str| {
        String::from_utf8_lossy(&rebuilder.store()[Path::new(name)]).into_owned()
    };
    let page = file(&rebuilder, "briefings/b001/index.html");
    assert!(
        page.contains("Talks resume before March (confiance élevée)."),
        "{page}"
    );
    let words = root.join("templates/i18n/fr.yaml");
    fs::create_dir_all(words.parent().unwrap()).unwrap();
    fs::write(&words, "confidence_high: Certitude forte\n").unwrap();
    rebuilder.rebuild(std::slice::from_ref(&words)).unwrap();
    for name in ["briefings/b001/index.html", "index.html"] {
        let text = file(&rebuilder, name);
        assert!(
            text.contains("Talks resume before March (certitude forte)."),
            "{name}: {text}"
        );
    }
    assert_matches_full_build(root, &rebuilder);
}

/// An HTML file that gains front matter becomes a briefing, and a copied
/// file again when it loses it: the output matches a full build each time.
#[test]
fn an_html_file_gaining_front_matter_becomes_a_briefing_and_back() {
    let site = site_of(5);
    let root = site.path();
    let mut rebuilder = Rebuilder::new(root, false, BaseUrlOverride::None);
    rebuilder.rebuild(&[]).unwrap();
    let html = root.join("content/briefings/2024-02-01-post.html");

    fs::write(&html, "<p>A plain file.</p>\n").unwrap();
    let outcome = rebuilder.rebuild(std::slice::from_ref(&html)).unwrap();
    assert!(written(&outcome).contains(&"briefings/2024-02-01-post.html".to_string()));
    assert_matches_full_build(root, &rebuilder);

    fs::write(&html, "---\ntitle: Post\n---\n<p>Now a briefing.</p>\n").unwrap();
    let outcome = rebuilder.rebuild(std::slice::from_ref(&html)).unwrap();
    assert!(
        written(&outcome).contains(&"briefings/post/index.html".to_string()),
        "{outcome:?}"
    );
    assert!(
        outcome
            .removed
            .contains(&PathBuf::from("briefings/2024-02-01-post.html")),
        "{outcome:?}"
    );
    assert_matches_full_build(root, &rebuilder);

    fs::write(&html, "<p>A plain file again.</p>\n").unwrap();
    let outcome = rebuilder.rebuild(std::slice::from_ref(&html)).unwrap();
    assert!(
        outcome
            .removed
            .contains(&PathBuf::from("briefings/post/index.html")),
        "{outcome:?}"
    );
    assert!(written(&outcome).contains(&"briefings/2024-02-01-post.html".to_string()));
    assert_matches_full_build(root, &rebuilder);
}
