//! Issue 13, items 5 and 6: a long build's progress on a terminal and
//! nothing of it elsewhere, `--quiet`, the GitHub Pages workflow `init`
//! writes, `redirects: netlify | both` and `minify: true`.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use briefly::config::BaseUrlOverride;
use briefly::engine::Engine;
use common::*;

/// Sets `key: value` in a site's `site.yaml` (appended: the fixtures do
/// not set these keys).
fn configure(site: &Path, line: &str) {
    let path = site.join("site.yaml");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(line);
    text.push('\n');
    fs::write(path, text).unwrap();
}

// ---- item 5: progress and --quiet -------------------------------------

/// Gives a briefing an alias that the tags page already holds: a build
/// warning.
fn alias_over_the_tags_page(site: &Path) {
    let path = site.join("content/briefings/2024-06-20-treaty.md");
    fs::write(
        &path,
        read(&path).replacen("---\n", "---\naliases: [/tags/]\n", 1),
    )
    .unwrap();
}

/// Output that is not a terminal gets no progress, even when the build is
/// slow enough to show it (the delay is 0 here), and the one summary line
/// counts the warnings.
#[test]
fn issue_13_no_progress_on_a_pipe_and_the_summary_counts_warnings() {
    let site = fixture("desk");
    let run = briefly_with(
        site.path(),
        &["build"],
        &[("BRIEFLY_PROGRESS_AFTER_MS", "0"), ("CI", "")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "no progress on a pipe");
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains(" ms, 0 warnings"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);

    // A warning (an alias another page already has) is counted on the line.
    alias_over_the_tags_page(site.path());
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("warning: "), "{}", run.stderr);
    assert!(run.stdout.contains(" ms, 1 warning\n"), "{}", run.stdout);
}

/// `--quiet`: nothing on success, not even warnings; errors still on stderr
/// with exit 1.
#[test]
fn issue_13_quiet_prints_nothing_on_success_and_errors_still() {
    let site = fixture("desk");
    alias_over_the_tags_page(site.path());
    for args in [
        &["build", "--quiet"][..],
        &["build", "-q", "--output", "elsewhere"],
        &["check", "--quiet"],
        &["new", "Quiet one", "--quiet"],
    ] {
        let run = briefly_with(site.path(), args, &[("BRIEFLY_TODAY", "2024-12-01")]);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(
            (run.stdout.as_str(), run.stderr.as_str()),
            ("", ""),
            "{args:?}"
        );
    }
    assert!(site.path().join("public/index.html").is_file());
    assert!(site.path().join("elsewhere/index.html").is_file());
    assert!(
        site.path()
            .join("content/briefings/2024-12-01-quiet-one.md")
            .is_file()
    );
    let empty = tempfile::tempdir().unwrap();
    let run = briefly(empty.path(), &["init", "site", "-q"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );

    fs::write(
        site.path().join("content/briefings/2024-10-25-troops.md"),
        "---\ntitle: Broken\ndate: 2024-02-30\n---\nBody.\n",
    )
    .unwrap();
    for args in [&["build", "--quiet"][..], &["check", "--quiet"]] {
        let run = briefly(site.path(), args);
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr
                .contains("2024-10-25-troops.md:3:7: date: impossible date"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

/// A pseudo-terminal: the parent end and the path of the child end.
fn pseudo_terminal() -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    let parent = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    grantpt(&parent).unwrap();
    unlockpt(&parent).unwrap();
    let name = ptsname(&parent, Vec::new()).unwrap();
    let child = rustix::fs::open(
        name.as_c_str(),
        rustix::fs::OFlags::RDWR | rustix::fs::OFlags::NOCTTY,
        rustix::fs::Mode::empty(),
    )
    .unwrap();
    (parent, child)
}

/// On a terminal, a build that runs past the delay (0 here, a second by
/// default) draws its progress on stderr, clears it, and ends with its one
/// summary line on stdout; `--quiet` draws nothing there either.
#[test]
fn issue_13_a_terminal_gets_the_progress_and_then_the_summary() {
    let site = fixture("desk");
    let run = |args: &[&str]| {
        let (parent, child) = pseudo_terminal();
        let mut command = Command::new(env!("CARGO_BIN_EXE_briefly"));
        command
            .args(args)
            .current_dir(site.path())
            .env("BRIEFLY_PROGRESS_AFTER_MS", "0")
            .env("TERM", "xterm")
            .env_remove("CI")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(child));
        let out = command.output().expect("briefly runs");
        // `command` holds the child end until it is dropped; then reading
        // the parent end ends (EIO) once briefly has exited.
        drop(command);
        let mut terminal = Vec::new();
        let _ = fs::File::from(parent).read_to_end(&mut terminal);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&terminal).into_owned(),
        )
    };
    let (code, stdout, terminal) = run(&["build"]);
    assert_eq!(code, Some(0), "{terminal}");
    assert!(
        terminal.contains("pages") || terminal.contains("reading the site"),
        "the progress is drawn: {terminal:?}"
    );
    assert!(terminal.contains('\u{1b}'), "{terminal:?}");
    assert!(
        stdout.starts_with("Built 3 briefings") && stdout.contains(" ms, 0 warnings"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");

    let (code, stdout, terminal) = run(&["build", "--quiet"]);
    assert_eq!(
        (code, stdout.as_str(), terminal.as_str()),
        (Some(0), "", "")
    );
}

// ---- item 6: init's workflow, redirects, minify ------------------------

fn step<'a>(steps: &'a [serde_yaml::Value], uses: &str) -> &'a serde_yaml::Value {
    steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(uses)))
        .unwrap_or_else(|| panic!("a step uses {uses}"))
}

/// `briefly init` writes `.github/workflows/pages.yml`: valid YAML that
/// installs briefly (cached by its commit), builds with the Pages URL as
/// `--base-url` and deploys with GitHub's Pages actions.
#[test]
fn issue_13_init_writes_a_github_pages_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let run = briefly(dir.path(), &["init", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("  .github/workflows/pages.yml\n"),
        "{}",
        run.stdout
    );
    let site = dir.path().join("site");
    let text = read(site.join(".github/workflows/pages.yml"));
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");

    let permissions = &workflow["permissions"];
    assert_eq!(permissions["pages"].as_str(), Some("write"));
    assert_eq!(permissions["id-token"].as_str(), Some("write"));
    assert_eq!(permissions["contents"].as_str(), Some("read"));
    assert!(workflow["on"]["push"]["branches"].is_sequence());

    let build = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let names: Vec<&str> = build.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Check out the site",
            "Find briefly's commit",
            "Cache briefly",
            "Install briefly",
            "Configure GitHub Pages",
            "Build the site",
            "Upload the site"
        ]
    );
    step(build, "actions/checkout@");
    let cache = step(build, "actions/cache@");
    assert_eq!(cache["with"]["path"].as_str(), Some("~/.cargo/bin/briefly"));
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(key.contains("steps.briefly.outputs.commit"), "{key}");
    let install = &build[3];
    assert_eq!(
        install["if"].as_str(),
        Some("steps.cache.outputs.cache-hit != 'true'")
    );
    let script = install["run"].as_str().unwrap();
    assert!(
        script.contains("cargo +stable install --locked --git \"$BRIEFLY_GIT\" --rev"),
        "{script}"
    );
    assert!(
        workflow["env"]["BRIEFLY_GIT"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let pages = step(build, "actions/configure-pages@");
    assert_eq!(pages["id"].as_str(), Some("pages"));
    let command = build[5]["run"].as_str().unwrap();
    assert_eq!(
        command,
        "briefly build --base-url \"${{ steps.pages.outputs.base_url }}\""
    );
    let upload = step(build, "actions/upload-pages-artifact@");
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));

    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    let steps = deploy["steps"].as_sequence().unwrap();
    let deployment = step(steps, "actions/deploy-pages@");
    assert_eq!(deployment["id"].as_str(), Some("deployment"));

    // The build step's command builds the new site, under a Pages sub-path.
    let run = briefly(
        &site,
        &["build", "--base-url", "https://someone.github.io/briefings"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(site.join("public/index.html")).contains("href=\"/briefings/style.css"));
}

/// A briefing with two old paths, one of them a file.
fn with_aliases(site: &Path) {
    let path = site.join("content/briefings/2024-06-20-treaty.md");
    let text = read(&path).replacen(
        "---\n",
        "---\naliases: [/old/treaty/, \"/2024/06/treaty.html\"]\n",
        1,
    );
    fs::write(path, text).unwrap();
}

/// `redirects: netlify` writes `_redirects` (a 301 rule per alias, under
/// the base path) and no pages at the old paths; `both` writes both;
/// `html`, the default, only the pages.
#[test]
fn issue_13_redirects_netlify_writes_a_redirects_file() {
    let rules = "/watch/old/treaty/ /watch/briefings/treaty/ 301\n/watch/2024/06/treaty.html /watch/briefings/treaty/ 301\n";
    let site = fixture("desk");
    with_aliases(site.path());
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    assert!(!public.join("_redirects").exists());
    assert!(public.join("old/treaty/index.html").is_file());

    configure(site.path(), "redirects: netlify");
    build_ok(site.path(), &[]);
    assert_eq!(read(public.join("_redirects")), rules);
    assert!(!public.join("old/treaty/index.html").exists());
    assert!(!public.join("2024/06/treaty.html").exists());
    let first = snapshot(&public);
    build_ok(site.path(), &[]);
    assert_eq!(snapshot(&public), first, "the same bytes again");

    configure(site.path(), "redirects: both");
    let site_yaml = read(site.path().join("site.yaml")).replace("redirects: netlify\n", "");
    fs::write(site.path().join("site.yaml"), site_yaml).unwrap();
    build_ok(site.path(), &[]);
    assert_eq!(read(public.join("_redirects")), rules);
    assert!(read(public.join("old/treaty/index.html")).contains("/watch/briefings/treaty/"));
    assert!(public.join("2024/06/treaty.html").is_file());
}

/// `_redirects` is in the page list: a file of the same name in
/// `content/` is an error naming it, as for any other page.
#[test]
fn issue_13_a_redirects_file_in_content_collides() {
    let site = fixture("desk");
    configure(site.path(), "redirects: both");
    fs::write(site.path().join("content/_redirects"), "/a /b 301\n").unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("content/_redirects")
            && run.stderr.contains("would be written to /_redirects"),
        "{}",
        run.stderr
    );
}

/// In `serve`, a new alias and a change of `redirects:` reach
/// `_redirects` (and the pages at old paths) without a restart.
#[test]
fn issue_13_serve_rebuilds_redirects_on_change() {
    let site = fixture("desk");
    let root = site.path();
    configure(root, "redirects: netlify");
    let mut engine = Engine::new(root, false, BaseUrlOverride::None);
    engine.rebuild(&[]).unwrap();
    assert_eq!(&engine.store()[Path::new("_redirects")][..], b"");

    with_aliases(root);
    let changed = root.join("content/briefings/2024-06-20-treaty.md");
    let outcome = engine.rebuild(&[changed]).unwrap();
    assert!(
        outcome.written.contains(&"_redirects".into()),
        "{:?}",
        outcome.written
    );
    let store = engine.store();
    let rules = String::from_utf8(store[Path::new("_redirects")].to_vec()).unwrap();
    assert!(
        rules.starts_with("/watch/old/treaty/ /watch/briefings/treaty/ 301\n"),
        "{rules}"
    );
    assert!(!store.contains_key(Path::new("old/treaty/index.html")));

    let text = read(root.join("site.yaml")).replace("redirects: netlify", "redirects: html");
    fs::write(root.join("site.yaml"), text).unwrap();
    engine.rebuild(&[root.join("site.yaml")]).unwrap();
    let store = engine.store();
    assert!(!store.contains_key(Path::new("_redirects")));
    assert!(store.contains_key(Path::new("old/treaty/index.html")));
}

/// `minify: true`: smaller pages that still parse as HTML with every
/// internal link resolving, `<pre>` and JSON-LD as written, the closing
/// `</body>` that `serve` puts its script before, and the same bytes
/// build after build.
#[test]
fn issue_13_minify_keeps_pages_whole() {
    let plain = fixture("desk");
    with_aliases(plain.path());
    build_ok(plain.path(), &[]);
    let minified = fixture("desk");
    with_aliases(minified.path());
    configure(minified.path(), "minify: true");
    build_ok(minified.path(), &[]);
    let (before, after) = (
        snapshot(&plain.path().join("public")),
        snapshot(&minified.path().join("public")),
    );
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let size = |files: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>, ext: &str| {
        files
            .iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == ext))
            .map(|(_, b)| b.len())
            .sum::<usize>()
    };
    let (html_before, html_after) = (size(&before, "html"), size(&after, "html"));
    assert!(html_after < html_before, "{html_after} of {html_before}");
    assert!(size(&after, "js") < size(&before, "js"));
    assert!(size(&after, "css") < size(&before, "css"));
    for (path, bytes) in &after {
        if path.extension().is_some_and(|e| e == "xml" || e == "json") {
            assert_eq!(bytes, &before[path], "{} is left as it was", path.display());
        }
    }

    let public = minified.path().join("public");
    let broken = broken_internal_links(&public, "https://example.org/watch/", "/watch/");
    assert!(broken.is_empty(), "{broken:?}");
    for (path, bytes) in &after {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).unwrap();
        let doc = scraper::Html::parse_document(&text);
        assert!(
            doc.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            doc.errors
        );
        assert!(text.contains("</body>"), "{}", path.display());
        // The same elements, the same text in them.
        let original = scraper::Html::parse_document(std::str::from_utf8(&before[path]).unwrap());
        let pre = scraper::Selector::parse("pre").unwrap();
        let texts = |d: &scraper::Html| {
            d.select(&pre)
                .map(|e| e.text().collect::<String>())
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&doc), texts(&original), "{}", path.display());
        let ld = scraper::Selector::parse("script[type=\"application/ld+json\"]").unwrap();
        for script in doc.select(&ld) {
            let json: serde_json::Value =
                serde_json::from_str(&script.text().collect::<String>()).expect("JSON-LD");
            assert!(json.is_object());
        }
    }
    let page = read(public.join("briefings/treaty/index.html"));
    assert!(page.contains("application/ld+json"));
    let treaty_pre = texts_of(&public.join("briefings/treaty/index.html"), "pre");
    assert!(!treaty_pre.is_empty(), "the fixture has code to keep");

    build_ok(minified.path(), &[]);
    assert_eq!(snapshot(&public), after, "the same bytes again");
}

fn texts_of(path: &Path, selector: &str) -> Vec<String> {
    texts(&html(path), selector)
}

/// In `serve`, turning `minify` on re-renders the pages and the theme's
/// files.
#[test]
fn issue_13_serve_minifies_after_site_yaml_changes() {
    let site = fixture("desk");
    let root = site.path();
    let mut engine = Engine::new(root, false, BaseUrlOverride::None);
    engine.rebuild(&[]).unwrap();
    let before = engine.store();
    configure(root, "minify: true");
    let outcome = engine.rebuild(&[root.join("site.yaml")]).unwrap();
    let after = engine.store();
    for path in ["index.html", "briefings/treaty/index.html", "search.js"] {
        assert!(
            outcome.written.contains(&path.into()),
            "{path} in {:?}",
            outcome.written
        );
        assert!(
            after[Path::new(path)].len() < before[Path::new(path)].len(),
            "{path}"
        );
    }
}

/// A body link to an alias resolves under every `redirects:`: under `html`
/// and `both` to the page at the old path, under `netlify` to the `301`
/// of `_redirects` (no file there, yet no broken link); a heading the
/// briefing lacks is still a broken link.
#[test]
fn issue_13_a_link_to_an_alias_resolves_under_netlify_redirects() {
    let site = fixture("desk");
    let root = site.path();
    with_aliases(root);
    let precedents = root.join("content/briefings/2024-11-01-precedents.md");
    let text = read(&precedents)
        + "\nSee [the old page](/watch/old/treaty/#terms), [the old file](/watch/2024/06/treaty.html), [relative](../../old/treaty/) and [absolute](https://example.org/watch/old/treaty/).\n";
    fs::write(&precedents, &text).unwrap();
    // A link a template writes, which `briefly check` judges.
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}\n{%- block content %}\n<a href=\"/watch/old/treaty/#terms\">The old page</a>\n{%- endblock content %}\n",
    )
    .unwrap();
    for redirects in ["html", "both", "netlify"] {
        let yaml = read(root.join("site.yaml"));
        let yaml: String = yaml
            .lines()
            .filter(|l| !l.starts_with("redirects:"))
            .map(|l| format!("{l}\n"))
            .collect();
        fs::write(root.join("site.yaml"), yaml).unwrap();
        configure(root, &format!("redirects: {redirects}"));
        build_ok(root, &[]);
        let public = root.join("public");
        assert_eq!(
            public.join("old/treaty/index.html").is_file(),
            redirects != "netlify",
            "{redirects}"
        );
        assert_eq!(
            public.join("_redirects").is_file(),
            redirects != "html",
            "{redirects}"
        );
        let run = briefly(root, &["check"]);
        assert_eq!(run.code, 0, "{redirects}: {}{}", run.stdout, run.stderr);
    }
    // Under netlify still: the fragment must be a heading of the briefing,
    // in a template's link as in a body's.
    let template = read(root.join("templates/page.html"));
    fs::write(
        root.join("templates/page.html"),
        template.replace("#terms", "#nowhere"),
    )
    .unwrap();
    let run = briefly(root, &["check"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains(
            "content/pages/about.md: broken link `/watch/old/treaty/#nowhere`: there is no such heading or id on that page"
        ),
        "{}",
        run.stderr
    );
    fs::write(root.join("templates/page.html"), template).unwrap();
    fs::write(&precedents, text.replace("#terms", "#nowhere")).unwrap();
    let run = briefly(root, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "2024-11-01-precedents.md:7: broken link `/watch/old/treaty/#nowhere`: there is no such heading or id on that page"
        ),
        "{}",
        run.stderr
    );
    // And a path that is no alias is broken as before.
    fs::write(
        &precedents,
        text.replace("/watch/old/treaty/#terms", "/watch/old/treaty-2/"),
    )
    .unwrap();
    let run = briefly(root, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("broken link `/watch/old/treaty-2/`: no such page or file in the site"),
        "{}",
        run.stderr
    );
}
