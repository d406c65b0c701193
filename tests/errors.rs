//! Bad input (issue #2): each case gets a message naming the file (and line
//! where known), exit code 1, and the previous output left byte for byte as
//! it was.

mod common;

use std::fs;

use common::*;

/// Builds the fixture, breaks it with `files`, builds again and returns
/// stderr after checking the exit code and that `public/` did not change.
fn break_and_build(files: &[(&str, &[u8])]) -> String {
    let site = fixture("desk");
    build_ok(site.path(), &[]);
    let before = snapshot(&site.path().join("public"));
    for (path, bytes) in files {
        let path = site.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    let run = briefly(site.path(), &["build"]);
    assert_eq!(
        run.code, 1,
        "expected a failed build, got:\n{}{}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr
            .trim_end()
            .ends_with("the output was left as it was"),
        "{}",
        run.stderr
    );
    let after = snapshot(&site.path().join("public"));
    assert!(before == after, "a failed build changed public/");
    assert_no_staging_left(site.path());
    run.stderr
}

fn assert_reports(stderr: &str, expected: &str) {
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in:\n{stderr}"
    );
}

#[test]
fn malformed_yaml() {
    let err = break_and_build(&[(
        "content/briefings/bad.md",
        b"---\ntitle: \"unclosed\ndate: 2024-01-01\n---\nx\n",
    )]);
    assert_reports(
        &err,
        "error: content/briefings/bad.md:4:1: malformed front matter: found unexpected end of stream, while scanning a quoted scalar",
    );
}

#[test]
fn front_matter_never_closed() {
    let err = break_and_build(&[(
        "content/briefings/bad.md",
        b"---\ntitle: A\ndate: 2024-01-01\n\nBody\n",
    )]);
    assert_reports(
        &err,
        "content/briefings/bad.md:1:1: the front matter opened with `---` here is never closed",
    );
}

#[test]
fn missing_date_but_not_missing_title() {
    // Issue 10, item 6: a missing title is taken from the file name (a
    // warning, see tests/old_urls.rs); a missing date is still an error.
    let err = break_and_build(&[
        (
            "content/briefings/no-title.md",
            b"---\ndate: 2024-01-01\n---\nx\n",
        ),
        ("content/briefings/no-date.md", b"---\ntitle: A\n---\nx\n"),
    ]);
    assert!(!err.contains("no-title.md"), "{err}");
    assert_reports(
        &err,
        "content/briefings/no-date.md:1:1: missing `date`: add a line such as `date: 2024-10-25` to the front matter",
    );
}

#[test]
fn impossible_date() {
    let err = break_and_build(&[(
        "content/briefings/bad.md",
        b"---\ntitle: A\ndate: 2024-02-30\n---\nx\n",
    )]);
    assert_reports(
        &err,
        "content/briefings/bad.md:3:7: date: impossible date `2024-02-30`: February 2024 has 29 days, not 30",
    );
}

#[test]
fn impossible_event_date() {
    let err = break_and_build(&[(
        "content/briefings/bad.md",
        b"---\ntitle: A\ndate: 2024-02-03\nevents:\n  - date: 2024-13\n    title: E\n---\nx\n",
    )]);
    assert_reports(
        &err,
        "content/briefings/bad.md:5:11: events[0].date: impossible date `2024-13`: there is no month 13",
    );
}

#[test]
fn tags_neither_list_nor_string() {
    let err = break_and_build(&[(
        "content/briefings/bad.md",
        b"---\ntitle: A\ndate: 2024-02-03\ntags:\n  a: 1\n---\nx\n",
    )]);
    assert_reports(
        &err,
        "content/briefings/bad.md:4:1: `tags` must be a list (e.g. [russia, ukraine]) or a string",
    );
}

#[test]
fn unknown_site_yaml_key() {
    let err = break_and_build(&[(
        "site.yaml",
        b"title: T\nbase_url: https://example.org/watch\nhighlight_them: InspiredGitHub\n",
    )]);
    assert_reports(
        &err,
        "error: site.yaml:3:1: unknown key `highlight_them`: did you mean `highlight_theme`?",
    );
}

#[test]
fn tera_syntax_error_names_template_and_line() {
    let err = break_and_build(&[("templates/tag.html", b"{% extends \"base.html\" %}\n{% block content %}\n{{ tag.name }\n{% endblock content %}\n")]);
    assert_reports(&err, "templates/tag.html:3:");
}

#[test]
fn undefined_variable_names_template_and_page() {
    let err = break_and_build(&[(
        "templates/tag.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<p>{{ tag.colour }}</p>\n{% endblock content %}\n",
    )]);
    assert_reports(&err, "templates/tag.html:3:");
    assert_reports(&err, "Field `colour` is not defined");
    assert_reports(&err, "(while rendering /tags/");
    assert_reports(&err, "and 3 other pages");
}

#[test]
fn two_briefings_with_the_same_slug_name_both_files() {
    let err = break_and_build(&[(
        "content/briefings/2024-01-01-other.md",
        b"---\ntitle: Other\ndate: 2024-01-01\nslug: treaty\n---\nx\n",
    )]);
    assert_reports(
        &err,
        "content/briefings/2024-01-01-other.md and content/briefings/2024-06-20-treaty.md",
    );
    assert_reports(&err, "/briefings/treaty/");
}

#[test]
fn a_file_that_is_not_utf8() {
    let err = break_and_build(&[(
        "content/briefings/latin1.md",
        b"---\ntitle: Caf\xe9\ndate: 2024-01-01\n---\n",
    )]);
    assert_reports(
        &err,
        "content/briefings/latin1.md:2:11: the file is not UTF-8 text",
    );
}

#[test]
fn links_to_missing_files_and_headings() {
    let err = break_and_build(&[(
        "content/briefings/links.md",
        b"---\ntitle: Links\ndate: 2024-01-01\n---\nFirst [ok](2024-10-25-troops.md#numbers).\n\nThen [gone](../nowhere.md) and [no heading](@/briefings/2024-10-25-troops.md#missing).\n",
    )]);
    assert_reports(
        &err,
        "content/briefings/links.md:7: broken link `../nowhere.md`: there is no content/nowhere.md",
    );
    // Every broken link is named with its line, not just the first.
    assert_reports(
        &err,
        "content/briefings/links.md:7: broken link `@/briefings/2024-10-25-troops.md#missing`",
    );

    let err = break_and_build(&[(
        "content/briefings/links.md",
        b"---\ntitle: Links\ndate: 2024-01-01\n---\n[no heading](@/briefings/2024-10-25-troops.md#missing)\n",
    )]);
    assert_reports(
        &err,
        "content/briefings/links.md:5: broken link `@/briefings/2024-10-25-troops.md#missing`: content/briefings/2024-10-25-troops.md has no heading with the id `missing` (its headings: numbers)",
    );
}

#[test]
fn broken_links_can_be_warnings() {
    let site = fixture("desk");
    std::fs::write(
        site.path().join("site.yaml"),
        read(site.path().join("site.yaml")) + "broken_links: warn\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/briefings/links.md"),
        "---\ntitle: Links\ndate: 2024-01-01\n---\n[gone](nowhere.md)\n",
    )
    .unwrap();
    let run = build_ok(site.path(), &[]);
    assert_reports(
        &run.stderr,
        "warning: content/briefings/links.md:5: broken link `nowhere.md`",
    );
    assert!(
        read(site.path().join("public/briefings/links/index.html")).contains("href=\"nowhere.md\"")
    );
}

#[test]
fn an_empty_file() {
    let err = break_and_build(&[("content/briefings/empty.md", b"")]);
    assert_reports(&err, "content/briefings/empty.md: the file is empty");
}

#[test]
fn every_broken_file_is_reported_in_one_run() {
    let err = break_and_build(&[
        ("content/briefings/a.md", b""),
        (
            "content/briefings/b.md",
            b"---\ntitle: B\ndate: 2024-02-30\n---\n",
        ),
        ("content/briefings/c.md", b"---\ntitle: C\n"),
        ("templates/tags.html", b"{% if %}"),
    ]);
    for file in ["a.md", "b.md", "c.md", "templates/tags.html"] {
        assert_reports(&err, file);
    }
    assert_reports(&err, "4 errors found");
}

#[test]
fn an_output_folder_holding_the_sources_is_refused() {
    let site = fixture("desk");
    let run = briefly(site.path(), &["build", "--output", "."]);
    assert_eq!(run.code, 1);
    assert_reports(&run.stderr, "refusing to use this folder as the output");
    assert!(
        site.path().join("site.yaml").is_file(),
        "the sources are untouched"
    );
}

/// A file or page that would be written where the site writes one of its
/// own pages is an error naming both (issue #9: one list of pages).
#[test]
fn content_landing_on_a_generated_page_names_both() {
    let err = break_and_build(&[("content/atom.xml", b"<feed>mine</feed>")]);
    assert_reports(
        &err,
        "content/atom.xml: the page the site generates (atom.xml) would be written to /atom.xml, which is already the file content/atom.xml",
    );
    let err = break_and_build(&[(
        "content/pages/tags.md",
        b"---\ntitle: Tags of mine\n---\nx\n",
    )]);
    assert_reports(
        &err,
        "content/pages/tags.md: the URL /tags/ belongs to the page the site generates (tags.html)",
    );
}

/// Briefings whose slugs give one URL: one error names every file, not
/// one per pair.
#[test]
fn briefings_at_one_url_are_named_in_one_error() {
    let post = |date: &str| format!("---\ntitle: Report {date}\ndate: {date}\n---\nx\n");
    let (a, b, c) = (post("2015-07-01"), post("2016-04-01"), post("2016-10-01"));
    let err = break_and_build(&[
        ("content/briefings/2015-07-01-report.md", a.as_bytes()),
        ("content/briefings/2016-04-01-report.md", b.as_bytes()),
        ("content/briefings/2016-10-01-report.md", c.as_bytes()),
    ]);
    assert_reports(
        &err,
        "error: content/briefings/2015-07-01-report.md: 3 files would be written to the same URL /briefings/report/: content/briefings/2015-07-01-report.md, content/briefings/2016-04-01-report.md and content/briefings/2016-10-01-report.md; give all but one a different `slug:` (or use a dated `permalink` in site.yaml)\n1 error found",
    );
    let err = break_and_build(&[
        ("content/briefings/2015-07-01-report.md", a.as_bytes()),
        ("content/briefings/2016-04-01-report.md", b.as_bytes()),
    ]);
    assert_reports(
        &err,
        "error: content/briefings/2015-07-01-report.md: 2 files would be written to the same URL /briefings/report/: content/briefings/2015-07-01-report.md and content/briefings/2016-04-01-report.md;",
    );
}

/// A link to an old URL (an alias) with a heading's fragment is checked
/// against the briefing the alias leads to, not the redirect page.
#[test]
fn a_fragment_through_an_alias_names_the_briefings_heading() {
    let site = fixture("desk");
    let troops = site.path().join("content/briefings/2024-10-25-troops.md");
    let text = read(&troops).replacen("---\n", "---\naliases: [/old/troops.html]\n", 1);
    fs::write(&troops, text).unwrap();
    fs::write(
        site.path().join("content/briefings/2024-01-01-via-alias.md"),
        "---\ntitle: Via alias\ndate: 2024-01-01\n---\nSee [numbers](/watch/old/troops.html#numbers).\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    fs::write(
        site.path().join("content/briefings/2024-01-01-via-alias.md"),
        "---\ntitle: Via alias\ndate: 2024-01-01\n---\nSee [numbers](/watch/old/troops.html#nothing).\n",
    )
    .unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/briefings/2024-01-01-via-alias.md:5: broken link `/watch/old/troops.html#nothing`: there is no such heading"),
        "{}",
        run.stderr
    );
}

/// Issue #11, items 1 and 2: an output inside the sources, or onto a file,
/// is refused and nothing is touched.
#[test]
fn outputs_that_would_lose_work_are_refused() {
    let site = fixture("desk");
    let before = snapshot(site.path());
    fs::write(site.path().join("notes.txt"), "my notes").unwrap();
    for output in [
        "content",
        "content/briefings",
        "templates",
        "notes.txt",
        ".",
    ] {
        let run = briefly(site.path(), &["build", "--output", output]);
        assert_eq!(run.code, 1, "--output {output}: {}", run.stderr);
        assert!(
            run.stderr.contains("refusing to use"),
            "--output {output}: {}",
            run.stderr
        );
    }
    assert_eq!(read(site.path().join("notes.txt")), "my notes");
    let mut after = snapshot(site.path());
    after.remove(std::path::Path::new("notes.txt"));
    after.retain(|path, _| !path.starts_with("templates") || before.contains_key(path));
    assert!(before == after, "a refused build changed the site");
}

/// Issue #11, item 9: a build killed at the swap (SIGKILL injected into its
/// `renameat2` exchange) leaves the old output whole; one killed just after
/// it (at the first `unlinkat`, removing the old output) leaves the new one
/// whole. Either way the next build cleans up what was left.
#[test]
fn a_build_killed_at_the_swap_leaves_a_whole_output() {
    let site = fixture("desk");
    let public = site.path().join("public");
    build_ok(site.path(), &[]);
    let old = snapshot(&public);
    let briefing = site.path().join("content/briefings/2024-10-25-troops.md");
    let edit = |line: &str| {
        let text = read(&briefing) + line;
        fs::write(&briefing, text).unwrap();
    };

    edit("\nKilled at the swap.\n");
    let killed = build_under_strace(site.path(), "renameat2:signal=KILL");
    assert_ne!(killed.code, 0, "the build was not killed");
    assert!(snapshot(&public) == old, "the old output is not whole");
    build_ok(site.path(), &[]);
    assert_no_staging_left(site.path());

    edit("\nKilled after the swap.\n");
    let killed = build_under_strace(site.path(), "unlinkat:signal=KILL:when=1");
    assert_ne!(killed.code, 0, "the build was not killed");
    build_ok(site.path(), &["--output", "fresh"]);
    let fresh = snapshot(&site.path().join("fresh"));
    assert!(snapshot(&public) == fresh, "the new output is not whole");
    assert!(
        read(public.join("briefings/troops/index.html")).contains("Killed after the swap."),
        "the new output is in place"
    );
    build_ok(site.path(), &[]);
    assert_no_staging_left(site.path());
}

/// Runs `briefly build` in `dir` under strace, which makes the syscalls
/// `inject` names fail or kills the build there (strace's `-e inject=`).
fn build_under_strace(dir: &std::path::Path, inject: &str) -> Run {
    let out = std::process::Command::new("strace")
        .args(["-f", "-o", "/dev/null", "-e", &format!("inject={inject}")])
        .arg(env!("CARGO_BIN_EXE_briefly"))
        .arg("build")
        .current_dir(dir)
        .output()
        .expect("strace is installed (.ci/run installs it)");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Issue #11, item 10: an old output that cannot be removed is a warning
/// that says the new one is in place (and nothing else); a full disk (every
/// new folder refused with ENOSPC) is one error naming the output folder,
/// and the output is left as it was.
#[test]
fn an_unremovable_old_output_and_a_full_disk_are_one_message_each() {
    let site = fixture("desk");
    let public = site.path().join("public");
    build_ok(site.path(), &[]);
    let briefing = site.path().join("content/briefings/2024-10-25-troops.md");
    fs::write(&briefing, read(&briefing) + "\nA new line.\n").unwrap();

    let run = build_under_strace(site.path(), "unlinkat:error=EACCES");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains(
            "the new output is in place, but the old one could not be removed: Permission denied"
        ) && !run.stderr.contains("left as it was"),
        "{}",
        run.stderr
    );
    assert!(read(public.join("briefings/troops/index.html")).contains("A new line."));
    build_ok(site.path(), &[]);
    assert_no_staging_left(site.path());

    let before = snapshot(&public);
    fs::write(&briefing, read(&briefing) + "\nAnother line.\n").unwrap();
    // The first two mkdir calls make the staging folder; every later one fails.
    let run = build_under_strace(site.path(), "mkdir:error=ENOSPC:when=3+");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "error: ./public: cannot write the output folder: No space left on device (os error 28) (26 files could not be written, the first 404.html); free some space or choose another --output",
            "1 error found; the output was left as it was",
        ],
        "{}",
        run.stderr
    );
    assert!(snapshot(&public) == before, "the output changed");
    assert_no_staging_left(site.path());
}

/// Issue #11, item 3: a non-empty folder briefly did not make is not
/// replaced without `--force`; once briefly has built it, it is its output.
#[test]
fn an_unrelated_folder_is_replaced_only_with_force() {
    let site = fixture("desk");
    let photos = site.path().join("photos");
    fs::create_dir_all(&photos).unwrap();
    fs::write(photos.join("holiday.jpg"), "a photo").unwrap();
    for command in ["build", "watch"] {
        let run = briefly(site.path(), &[command, "--output", "photos"]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("photos: refusing to replace this folder: it is not empty and briefly did not make it (no .photos.lock beside it from an earlier build)")
                && run.stderr.contains("pass --force"),
            "{command}: {}",
            run.stderr
        );
        assert_eq!(read(photos.join("holiday.jpg")), "a photo");
    }
    // An empty folder, a new one and the site's own public/ need no --force.
    fs::create_dir_all(site.path().join("empty")).unwrap();
    build_ok(site.path(), &["--output", "empty"]);
    fs::create_dir_all(site.path().join("public")).unwrap();
    fs::write(site.path().join("public/stale.html"), "old").unwrap();
    build_ok(site.path(), &[]);
    assert!(!site.path().join("public/stale.html").exists());

    build_ok(site.path(), &["--output", "photos", "--force"]);
    assert!(photos.join("index.html").is_file() && !photos.join("holiday.jpg").exists());
    build_ok(site.path(), &["--output", "photos"]);
}

/// Issue #11, item 8: what an interrupted build left beside the output is
/// removed by the next build; item 11: a second build of the same output at
/// once is refused while the first holds the lock.
#[test]
fn interrupted_builds_are_cleaned_up_and_builds_do_not_overlap() {
    let site = fixture("desk");
    for leftover in [".public.building-abc123", ".public.old-def456"] {
        let dir = site.path().join(leftover).join("briefings");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.html"), "half a site").unwrap();
    }
    build_ok(site.path(), &[]);
    assert_no_staging_left(site.path());

    let lock = fs::OpenOptions::new()
        .write(true)
        .open(site.path().join(".public.lock"))
        .unwrap();
    lock.lock().unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("another briefly is building into this output"),
        "{}",
        run.stderr
    );
    drop(lock);
    build_ok(site.path(), &[]);
}

/// Issue #11, item 4: a permalink pattern that climbs out of the output is
/// refused, naming the line, and nothing is written outside it.
#[test]
fn a_permalink_that_would_leave_the_output_is_refused() {
    let site = fixture("desk");
    let config = read(site.path().join("site.yaml"));
    let config: String = config
        .lines()
        .filter(|l| !l.starts_with("permalink:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(
        site.path().join("site.yaml"),
        config + "permalink: \"/../../../PWNED/:slug/\"\n",
    )
    .unwrap();
    let run = briefly(site.path(), &["build", "--output", "deep/er/out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot make a path of this site: `..` would leave the output folder"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("PWNED").exists());
    assert!(!site.path().join("deep/PWNED").exists());
}

/// Issue #11, fuzzing (`tests/fuzz`, target `permalink`): a `%` right
/// before a placeholder passed site.yaml's check (its sample slug made no
/// escape) and then a slug such as `2e` made `/../`, and the build panicked
/// on it. The pattern is refused at its line.
#[test]
fn a_permalink_that_makes_a_percent_escape_of_a_slug_is_refused() {
    let site = fixture("desk");
    let config = read(site.path().join("site.yaml"));
    let config: String = config
        .lines()
        .filter(|l| !l.starts_with("permalink:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(
        site.path().join("site.yaml"),
        config + "permalink: \"/.%:slug/\"\n",
    )
    .unwrap();
    let troops = site.path().join("content/briefings/2024-10-25-troops.md");
    let text = read(&troops).replacen("---\n", "---\nslug: 2e\n", 1);
    fs::write(&troops, text).unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("site.yaml:")
            && run.stderr.contains(
                "`/.%:slug/` puts `%` right before `:slug`, which would make a percent-escape"
            ),
        "{}",
        run.stderr
    );
}

/// Issue #11, item 6: aliases that cannot be paths of this site are named
/// in a warning, never dropped without a word.
#[test]
fn aliases_that_are_not_paths_of_the_site_are_named() {
    let site = fixture("desk");
    let troops = site.path().join("content/briefings/2024-10-25-troops.md");
    let text = read(&troops).replacen(
        "---\n",
        "---\naliases: [\"../../x/\", \"https://elsewhere.example/x/\", \"/\", \"\", \" \"]\nredirect_from:\n  - ~\n",
        1,
    );
    fs::write(&troops, text).unwrap();
    build_ok(site.path(), &[]);
    // `check` lists every warning (a build sums up more than three).
    let run = briefly(site.path(), &["check"]);
    let all = format!("{}{}", run.stdout, run.stderr);
    for expected in [
        "content/briefings/2024-10-25-troops.md:2: `aliases`: `../../x/` is not written (`..` would leave the output folder)",
        "content/briefings/2024-10-25-troops.md:2: `aliases`: `https://elsewhere.example/x/` is not written (it is a full URL, not a path of this site)",
        // Issue #11, item 6: an empty alias is named too, as is an empty
        // list item.
        "content/briefings/2024-10-25-troops.md:2: `aliases`: `\"\"` is not written (it is empty)",
        "content/briefings/2024-10-25-troops.md:3: `redirect_from`: `null` is not written (it is not a path)",
        "the alias / is not written: index.html is already the page the site generates",
    ] {
        assert!(all.contains(expected), "{expected}: {all}");
    }
}

/// Issue #11, item 16: a base URL that would make invalid or leaking links
/// is refused, at its line in site.yaml or naming `--base-url`.
#[test]
fn base_urls_that_make_invalid_links_are_refused() {
    let err = break_and_build(&[(
        "site.yaml",
        b"title: T\n\nbase_url: \"https://user:pw@x.example/\"\n",
    )]);
    assert_reports(
        &err,
        "error: site.yaml:3:11: base_url: base_url `https://user:pw@x.example/` holds a user name or password, which every link of the site would show: remove the part before `@`",
    );
    let site = fixture("desk");
    for (url, why) in [
        (
            "https://x.example/a b/",
            "holds a space, which a URL cannot hold as it is: write it as %20",
        ),
        (
            "http://[::1",
            "is not a valid URL (invalid IPv6 address): it must be an absolute URL such as https://example.org or https://example.org/watch",
        ),
        (
            "https://x.example/%zz/",
            "holds `%zz`, which is no percent-escape (`%` and two hex digits): write a `%` sign as %25",
        ),
    ] {
        let run = briefly(site.path(), &["build", "--base-url", url]);
        assert_eq!(run.code, 1, "{url}: {}", run.stderr);
        assert_reports(
            &run.stderr,
            &format!("error: --base-url: base_url `{url}` {why}"),
        );
        assert!(!site.path().join("public").exists(), "{url}");
    }
}
