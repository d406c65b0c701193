//! Work proportional to the change (issue 9, observation 8): an edit to one
//! briefing's body renders a handful of pages, writes only that briefing's
//! page, and computes few page fingerprints, however many pages the site
//! has. Not timed (speed is measured in the benchmarks, see BENCHMARKS.md):
//! the engine's own counts are asserted instead.
//!
//! This file uses `Outcome::fingerprinted`, which the issue 9 refactor adds;
//! it does not compile before that lands. The other pipeline tests are in
//! `tests/pipeline.rs`.

mod common;
#[path = "pipeline/harness.rs"]
mod harness;

use std::path::PathBuf;

use harness::{Doc, Pipeline};

#[test]
fn issue9_8_a_body_edit_renders_and_fingerprints_only_what_shows_it() {
    let site = common::fixture("desk");
    let root = site.path().canonicalize().unwrap();
    let dir = root.join("content/briefings");
    let tags = ["alpha", "beta", "gamma", "delta"];
    for i in 0..60 {
        Doc::numbered(i, tags[i % tags.len()]).write(&dir.join(format!("b{i:02}.md")));
    }
    let mut pipeline = Pipeline::start(&root);
    let pages = pipeline
        .store()
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "xml"))
        .count();
    assert!(pages > 60, "{pages} pages");

    // b05 is far older than the feed's newest 20 and shown on no list page
    // by its body; a new paragraph leaves its summary as it was.
    let edited = dir.join("b05.md");
    Doc {
        body: "Body of briefing 5.\n\nA sentence added at the end.".to_string(),
        ..Doc::numbered(5, tags[1])
    }
    .write(&edited);
    let outcome = match pipeline.step(&[edited]) {
        Ok(Some(outcome)) => outcome,
        Ok(None) => panic!("the edited site must build"),
        Err(e) => panic!("{e}"),
    };
    assert!(
        outcome.rendered <= 10,
        "{} pages rendered for one body edit",
        outcome.rendered
    );
    assert_eq!(
        outcome.written,
        [PathBuf::from("briefings/b05/index.html")],
        "only the edited briefing's page is written"
    );

    // needs Outcome::fingerprinted (added by the issue 9 refactor): how many
    // page fingerprints the rebuild computed. Finding what an edit touches
    // must follow the edit, not the site's size.
    assert!(
        outcome.fingerprinted < 20,
        "{} of {pages} page fingerprints computed for one body edit",
        outcome.fingerprinted
    );
    // end: needs Outcome::fingerprinted
}
