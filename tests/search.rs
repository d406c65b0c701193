//! The search index (issue 12, item 1): its files are written and owned in
//! the page list, it finds a briefing by a word of its body and ranks title
//! and tag matches first, its folder is its own, `search: false` leaves it
//! out, and the engine that serves a site makes the same index as a build.
//! The search box itself is tested in a browser (`tests/browser.rs`).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use briefly::config::BaseUrlOverride;
use briefly::engine::Engine;
use briefly::pages::Owner;
use common::{briefly, build_ok, fixture, read, search_lookup, snapshot};

/// A word that only the treaty briefing's body holds.
const BODY_WORD: &str = "quillonbury";

fn add_to_body(site: &Path, file: &str, text: &str) {
    let path = site.join("content/briefings").join(file);
    let old = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{old}\n{text}\n")).unwrap();
}

fn on_disk(site: &Path) -> impl Fn(&str) -> String {
    let folder = site.join("public/search-index");
    move |file| read(folder.join(file))
}

#[test]
fn issue_12_index_files_exist_and_are_owned_in_the_page_list() {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let written: BTreeSet<PathBuf> = snapshot(&site.path().join("public"))
        .into_keys()
        .filter(|p| p.starts_with("search-index"))
        .collect();
    let manifest = PathBuf::from("search-index/index.json");
    assert!(written.contains(&manifest), "{written:?}");
    assert!(written.iter().any(|p| p.starts_with("search-index/terms")));
    assert!(
        written
            .iter()
            .any(|p| p.starts_with("search-index/briefings"))
    );

    let mut engine = Engine::new(site.path(), false, BaseUrlOverride::None);
    engine.rebuild(&[]).expect("the fixture builds");
    let outputs = engine.outputs().expect("built");
    let owned: BTreeSet<PathBuf> = outputs
        .owners
        .iter()
        .filter(|(_, owner)| **owner == Owner::Search)
        .map(|(path, _)| path.clone())
        .collect();
    assert_eq!(
        owned, written,
        "the page list owns exactly the index's files"
    );
    assert_eq!(
        outputs.search.iter().cloned().collect::<BTreeSet<_>>(),
        written
    );
}

#[test]
fn issue_12_a_body_word_finds_its_briefing_and_titles_rank_first() {
    let site = fixture("desk");
    add_to_body(
        site.path(),
        "2024-06-20-treaty.md",
        &format!("The clause was drafted in {BODY_WORD}."),
    );
    add_to_body(
        site.path(),
        "2024-11-01-precedents.md",
        "A treaty of 1961 is the precedent.",
    );
    build_ok(site.path(), &[]);
    let read = on_disk(site.path());
    let (found, partial) = search_lookup(&read, BODY_WORD);
    assert_eq!(found, [("/watch/briefings/treaty/".to_string(), 1)]);
    assert!(!partial);
    // In its title and summary (64 + 8) and once in the body; once in the
    // other's body alone.
    let (found, _) = search_lookup(&read, "treaty");
    assert_eq!(
        found,
        [
            ("/watch/briefings/treaty/".to_string(), 64 + 8 + 1),
            ("/watch/briefings/precedents/".to_string(), 1),
        ]
    );
    // A tag; a folded word (`Troops` in a title written with a script tag).
    let (found, _) = search_lookup(&read, "ukraine");
    assert_eq!(found, [("/watch/briefings/troops/".to_string(), 32)]);
    let (found, _) = search_lookup(&read, "troops");
    assert!(found[0].1 >= 64, "{found:?}");
    // What a hit shows, from its block: URL, title, date, summary.
    let manifest: serde_json::Value = serde_json::from_str(&read("index.json")).unwrap();
    let blocks = manifest["blocks"].as_str().unwrap();
    let chars = manifest["hash"].as_u64().unwrap() as usize;
    let rows: serde_json::Value =
        serde_json::from_str(&read(&format!("briefings/0-{}.json", &blocks[..chars]))).unwrap();
    let treaty = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row[0] == "/watch/briefings/treaty/")
        .unwrap();
    assert_eq!(
        treaty,
        &serde_json::json!([
            "/watch/briefings/treaty/",
            "Treaty signed",
            "2024-06-20",
            "20 June 2024",
            "The treaty has a mutual-defence clause."
        ])
    );
    // Drafts are not searchable.
    assert!(search_lookup(&read, "yet").0.is_empty());
}

#[test]
fn issue_12_search_false_leaves_the_index_and_the_box_out() {
    let site = fixture("desk");
    let config = site.path().join("site.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}search: false\n")).unwrap();
    build_ok(site.path(), &[]);
    assert!(!site.path().join("public/search-index").exists());
    let home = read(site.path().join("public/index.html"));
    assert!(!home.contains("site-search"), "{home}");
    assert!(!home.contains("search.js"));

    // On by default: the box and the script.
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let home = read(site.path().join("public/index.html"));
    assert!(home.contains("data-index=\"/watch/search-index/index.json\""));
    assert!(home.contains("<script src=\"/watch/search.js\" defer></script>"));
}

#[test]
fn issue_12_the_index_folder_is_its_own() {
    let site = fixture("desk");
    let own = site.path().join("content/search-index");
    fs::create_dir_all(&own).unwrap();
    fs::write(own.join("index.json"), "{}").unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains(
            "content/search-index/index.json: the file content/search-index/index.json would be written to search-index/index.json, but search-index/ holds the search index: move it elsewhere, or set `search: false` in site.yaml"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !site.path().join("public").exists(),
        "a failed build writes nothing"
    );

    // With search off the folder is the site's.
    let config = site.path().join("site.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}search: false\n")).unwrap();
    build_ok(site.path(), &[]);
    assert_eq!(
        read(site.path().join("public/search-index/index.json")),
        "{}"
    );
}

#[test]
fn issue_12_an_alias_into_the_index_folder_is_not_written() {
    let site = fixture("desk");
    let path = site
        .path()
        .join("content/briefings/2024-11-01-precedents.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "tags: [history]",
            "tags: [history]\naliases: [/search-index/old/]",
        ),
    )
    .unwrap();
    let run = build_ok(site.path(), &[]);
    assert!(
        run.stderr.contains(
            "the alias /search-index/old/ is not written: search-index/ holds the search index"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public/search-index/old").exists());
}

/// A build reads each body while rendering it; `serve` and `watch` read
/// the files again. Both must give the same index.
#[test]
fn issue_12_the_served_index_is_the_built_one() {
    let site = fixture("desk");
    add_to_body(
        site.path(),
        "2024-06-20-treaty.md",
        "Ünïcode wörds, déjà vu.",
    );
    build_ok(site.path(), &[]);
    let built: Vec<(PathBuf, Vec<u8>)> = snapshot(&site.path().join("public"))
        .into_iter()
        .filter(|(p, _)| p.starts_with("search-index"))
        .collect();
    let mut engine = Engine::new(site.path(), false, BaseUrlOverride::None);
    engine.rebuild(&[]).expect("the fixture builds");
    let served: Vec<(PathBuf, Vec<u8>)> = engine
        .store()
        .iter()
        .filter(|(p, _)| p.starts_with("search-index"))
        .map(|(p, b)| (p.clone(), b.as_ref().clone()))
        .collect();
    assert!(built.len() >= 3);
    assert_eq!(served, built);
    let (found, _) = search_lookup(&on_disk(site.path()), "deja");
    assert_eq!(found, [("/watch/briefings/treaty/".to_string(), 1)]);
}

/// A body's raw HTML (posts moved in from other generators are often
/// HTML): the words between its tags are found, its attribute values,
/// comments and scripts are not.
#[test]
fn words_of_raw_html_are_found_but_not_its_tags() {
    let site = fixture("desk");
    add_to_body(
        site.path(),
        "2024-06-20-treaty.md",
        "<div class=\"grebeclass\">\n  <p\n    >Marshwren\n  <a href=\"https://x.example/ternpath\">ibisword</a></p>\n<!-- ploverword -->\n<script>var kitewordscript = 1;</script>\n</div>",
    );
    build_ok(site.path(), &[]);
    let read = on_disk(site.path());
    for word in ["marshwren", "ibisword"] {
        let (found, _) = search_lookup(&read, word);
        assert_eq!(
            found,
            [("/watch/briefings/treaty/".to_string(), 1)],
            "{word}"
        );
    }
    for word in ["grebeclass", "ternpath", "ploverword", "kitewordscript"] {
        assert!(search_lookup(&read, word).0.is_empty(), "{word}");
    }
}
