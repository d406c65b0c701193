//! Issue 13, items 1 and 3: `extra:` in site.yaml as `site.extra`, and the
//! template functions and filters a Zola or Hugo user reaches for
//! (`get_url`, `get_page`, `now`, `load_data`, `slugify`, `json_encode`,
//! `markdown`, `default` over a missing nested field), on a site served
//! from a sub-path (`tests/fixtures/functions`).

mod common;
#[path = "common/full_build.rs"]
mod full_build;

use std::fs;
use std::path::Path;

use briefly::config::BaseUrlOverride;
use briefly::engine::Engine;
use common::*;
use full_build::assert_matches_full_build;

const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1700000000");
const TODAY: (&str, &str) = ("BRIEFLY_TODAY", "2024-11-01");

fn build(dir: &Path) -> Run {
    briefly_with(dir, &["build"], &[EPOCH, TODAY])
}

/// The text of the element with this id.
fn by_id(page: &Path, id: &str) -> String {
    let texts = texts(&html(page), &format!("#{id}"));
    assert_eq!(texts.len(), 1, "#{id} in {}", page.display());
    texts[0].clone()
}

#[test]
fn issue_13_every_function_and_filter_on_a_sub_path_site() {
    let site = fixture("functions");
    let run = build(site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.path().join("public/functions/index.html");
    let expect = [
        ("extra", "teal|East Asia desk|Kim,Lee"),
        ("url-content", "/watch/briefings/talks/"),
        ("url-anchor", "/watch/briefings/talks/#numbers"),
        ("url-page", "https://example.org/watch/functions/"),
        ("url-static", "/watch/style.css"),
        ("url-slash", "/watch/archive/"),
        (
            "page",
            "Talks resume|/watch/briefings/talks/|2024-10-25|Talks resume in Geneva.|North Korea=/watch/tags/north-korea/;Geneva=/watch/tags/geneva/;|J. Kim",
        ),
        ("now", "2023-11-14T22:13:20Z|1700000000"),
        ("yaml", "J. Kim;A. Lee;"),
        ("toml", "12"),
        ("json", "12000"),
        ("csv", "region,losses|Kursk, north/120;Donetsk/80;"),
        ("missing", ""),
        ("slug", "north-korea-russia"),
        (
            "json-encode",
            "{\n  \"troops\": 12000,\n  \"units\": [\n    \"a\",\n    \"b\"\n  ]\n}",
        ),
        ("md-inline", "Talks resume"),
        ("default", "the desk"),
    ];
    for (id, text) in expect {
        assert_eq!(by_id(&page, id), text, "#{id}");
    }
    let raw = read(&page);
    assert!(
        raw.contains("<div id=\"md\"><p>Talks <em>resume</em></p>"),
        "{raw}"
    );
    assert!(
        raw.contains("<p id=\"md-inline\">Talks <em>resume</em></p>"),
        "{raw}"
    );
    // cachebust: a hash of the file's bytes, the same in every build.
    let bust = by_id(&page, "url-bust");
    assert!(
        regex::Regex::new(r"^/watch/style\.css\?h=[0-9a-f]{16}$")
            .unwrap()
            .is_match(&bust),
        "{bust}"
    );

    // `default` over a missing nested field (`analyst` is missing in one
    // briefing) and over a missing map of site.yaml's `extra`.
    let talks = site.path().join("public/briefings/talks/index.html");
    let troops = site.path().join("public/briefings/troops/index.html");
    assert_eq!(by_id(&talks, "analyst"), "J. Kim");
    assert_eq!(by_id(&troops, "analyst"), "the desk");
    assert_eq!(by_id(&troops, "colour"), "teal fallback");

    // With SOURCE_DATE_EPOCH, two builds give the same bytes.
    let first = snapshot(&site.path().join("public"));
    let run = build(site.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(first == snapshot(&site.path().join("public")));
}

/// A template that calls one function on line 3, as the user writes it.
fn template_calling(dir: &Path, call: &str) {
    fs::write(
        dir.join("templates/functions.html"),
        format!("<!doctype html>\n<title>{{{{ page.title }}}}</title>\n<p>{call}</p>\n"),
    )
    .unwrap();
}

/// A failing call names the template file and line, the build fails and
/// leaves the last output alone.
fn fails_at_line_3(dir: &Path, call: &str, message: &str) {
    template_calling(dir, call);
    let before = snapshot(&dir.join("public"));
    let run = build(dir);
    assert_eq!(run.code, 1, "{call}: {}", run.stdout);
    assert!(
        run.stderr.contains("templates/functions.html:3:"),
        "{call}: {}",
        run.stderr
    );
    assert!(run.stderr.contains(message), "{call}: {}", run.stderr);
    assert!(
        run.stderr.contains("(while rendering /functions/"),
        "{}",
        run.stderr
    );
    assert!(before == snapshot(&dir.join("public")), "{call}");
}

#[test]
fn issue_13_an_error_inside_a_function_call_names_the_template_and_line() {
    let site = fixture("functions");
    let dir = site.path();
    assert_eq!(build(dir).code, 0);
    fs::write(dir.join("secret.json"), "{\"a\": 1}").unwrap();
    let cases = [
        (
            "{{ get_url(path=\"@/briefings/gone.md\") }}",
            "get_url(path=\"@/briefings/gone.md\"): no briefing or page content/briefings/gone.md",
        ),
        (
            "{{ get_page(path=\"@/pages/gone.md\") }}",
            "get_page(path=\"@/pages/gone.md\"): no briefing or page content/pages/gone.md",
        ),
        (
            "{{ get_url(path=\"gone.css\", cachebust=true) }}",
            "no file `gone.css` in the output",
        ),
        (
            "{{ load_data(path=\"../secret.json\") }}",
            "give a path inside the site folder, without `..` and not absolute",
        ),
        (
            "{{ load_data(path=\"/etc/hostname\") }}",
            "give a path inside the site folder",
        ),
        (
            "{{ load_data(path=\"data/none.json\") }}",
            "load_data(path=\"data/none.json\"): cannot read data/none.json",
        ),
        (
            "{{ load_data(path=\"https://example.org/x.json\") }}",
            "never URLs",
        ),
        (
            "{{ load_data(path=\"data/authors.yaml\", format=\"xml\") }}",
            "unknown format `xml`",
        ),
    ];
    for (call, message) in cases {
        fails_at_line_3(dir, call, message);
    }
    fs::write(dir.join("data/broken.json"), "{\n  \"a\": 1,,\n}").unwrap();
    fails_at_line_3(
        dir,
        "{{ load_data(path=\"data/broken.json\") }}",
        "load_data(path=\"data/broken.json\"): JSON: ",
    );
    // A symlink inside the site that leads out of it.
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("x.json"), "{}").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.join("data/out")).unwrap();
        fails_at_line_3(
            dir,
            "{{ load_data(path=\"data/out/x.json\") }}",
            "leads out of the site folder (through a symlink)",
        );
    }
}

/// `briefly serve`: a change to a data file, or to a briefing a page reads
/// with `get_page`, renders that page again, and the result is a full
/// build's bytes.
#[test]
fn issue_13_serve_renders_pages_again_when_their_data_or_pages_change() {
    let site = fixture("functions");
    let root = site.path();
    // Everything but `now()`, which a full build run later would not match.
    let template = read(root.join("templates/functions.html"));
    let without_now: String = template
        .lines()
        .filter(|l| !l.contains("now("))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(root.join("templates/functions.html"), without_now).unwrap();
    let mut engine = Engine::new(root, false, BaseUrlOverride::None);
    engine.rebuild(&[]).unwrap();
    let page = |engine: &Engine| {
        String::from_utf8(engine.store()[Path::new("functions/index.html")].to_vec()).unwrap()
    };

    let authors = root.join("data/authors.yaml");
    fs::write(&authors, "analysts:\n  - name: \"N. Park\"\n").unwrap();
    let outcome = engine.rebuild(std::slice::from_ref(&authors)).unwrap();
    assert!(
        outcome
            .written
            .contains(&Path::new("functions/index.html").to_path_buf()),
        "{:?}",
        outcome.written
    );
    assert!(page(&engine).contains("<p id=\"yaml\">N. Park;</p>"));
    assert_matches_full_build(root, &engine);

    let talks = root.join("content/briefings/2024-10-25-talks.md");
    let text = read(&talks).replace("title: \"Talks resume\"", "title: \"Talks stall\"");
    fs::write(&talks, text).unwrap();
    engine.rebuild(std::slice::from_ref(&talks)).unwrap();
    assert!(
        page(&engine).contains("<p id=\"page\">Talks stall|"),
        "{}",
        page(&engine)
    );
    assert_matches_full_build(root, &engine);

    // A data file's edit to the same bytes renders nothing new.
    let outcome = engine.rebuild(std::slice::from_ref(&authors)).unwrap();
    assert!(outcome.written.is_empty(), "{:?}", outcome.written);
}

/// `now()` without `SOURCE_DATE_EPOCH` is the clock (UTC, to the second);
/// a `SOURCE_DATE_EPOCH` that is not seconds is an error where a template
/// calls `now()`, and no error for a site that never does.
#[test]
fn issue_13_now_is_the_clock_or_source_date_epoch() {
    let site = fixture("functions");
    let dir = site.path();
    template_calling(dir, "{{ now() }}");
    let run = briefly_with(dir, &["build"], &[TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(dir.join("public/functions/index.html"));
    assert!(
        regex::Regex::new(r"<p>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</p>")
            .unwrap()
            .is_match(&text),
        "{text}"
    );
    let bad = [("SOURCE_DATE_EPOCH", "yesterday"), TODAY];
    let run = briefly_with(dir, &["build"], &bad);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/functions.html:3:")
            && run
                .stderr
                .contains("SOURCE_DATE_EPOCH=`yesterday`: give the time as whole seconds"),
        "{}",
        run.stderr
    );
    template_calling(dir, "{{ page.title }}");
    assert_eq!(briefly_with(dir, &["build"], &bad).code, 0);
}
