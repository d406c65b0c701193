//! Pathological input (issue #11, items 13-17): what an author can write
//! that once made a page without a title, invalid URLs, unbounded output
//! or paths the file system refuses. Each case builds a fixture site and
//! checks the output and the messages.

mod common;

use std::fs;

use common::*;

/// The fixture `desk` with these files written over it.
fn desk_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let site = fixture("desk");
    for (path, text) in files {
        let path = site.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    site
}

/// Every warning `briefly check` lists, as one text.
fn checked(site: &std::path::Path) -> String {
    let run = briefly(site, &["check"]);
    format!("{}{}", run.stdout, run.stderr)
}

/// Issue #11, item 15: a blank title (empty, spaces, an entity for a space)
/// falls back to the file name, as a missing one does, with a warning at
/// the `title` line.
#[test]
fn a_blank_title_is_made_from_the_file_name() {
    let site = desk_with(&[
        (
            "content/briefings/2024-01-01-empty-quotes.md",
            "---\ndate: 2024-01-01\ntitle: \"\"\n---\nx\n",
        ),
        (
            "content/briefings/2024-01-02-only-spaces.md",
            "---\ntitle: \"   \"\ndate: 2024-01-02\n---\nx\n",
        ),
        (
            "content/briefings/2024-01-03-an-entity.md",
            "---\ntitle: \"&nbsp;&#32;\"\ndate: 2024-01-03\n---\nx\n",
        ),
        (
            "content/briefings/2024-01-04-in-toml.md",
            "+++\ntitle = \"\"\ndate = 2024-01-04\n+++\nx\n",
        ),
        ("content/pages/blank-page.md", "---\ntitle: \" \"\n---\nx\n"),
    ]);
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for (page, title) in [
        ("briefings/empty-quotes", "Empty Quotes"),
        ("briefings/only-spaces", "Only Spaces"),
        ("briefings/an-entity", "An Entity"),
        ("briefings/in-toml", "In Toml"),
        ("blank-page", "Blank Page"),
    ] {
        let doc = html(public.join(page).join("index.html"));
        let shown = texts(&doc, "title");
        assert!(
            shown[0].starts_with(&format!("{title} ·")),
            "{page}: {shown:?}"
        );
        assert_eq!(texts(&doc, "h1")[0], title, "{page}");
    }
    let warnings = checked(site.path());
    for expected in [
        "content/briefings/2024-01-01-empty-quotes.md:3:1: blank `title`: the page is titled \"Empty Quotes\"",
        "content/briefings/2024-01-03-an-entity.md:2:1: blank `title`: the page is titled \"An Entity\"",
        "content/briefings/2024-01-04-in-toml.md:2:1: blank `title`: the page is titled \"In Toml\", made from the file name as Jekyll does; add `title = \"In Toml\"`",
        "content/pages/blank-page.md:2:1: blank `title`",
    ] {
        assert!(warnings.contains(expected), "{expected}:\n{warnings}");
    }
}
