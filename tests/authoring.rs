//! `briefly init` and `briefly new` end to end (issue #5, parts 1 and 2): the
//! real binary run in temp folders, then the site it wrote built and read
//! back.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// `briefly init site` in a fresh temp folder; returns the folder.
fn init_site(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut all = vec!["init", "site"];
    all.extend_from_slice(args);
    let run = briefly(dir.path(), &all);
    assert_eq!(run.code, 0, "init failed:\n{}", run.stderr);
    dir
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// The one briefing `init` writes, relative to the site.
fn welcome_file(site: &Path) -> String {
    let names: Vec<String> = fs::read_dir(site.join("content/briefings"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    names[0].clone()
}

#[test]
fn init_writes_a_site_that_builds_at_once() {
    let dir = init_site(&[]);
    let site = dir.path().join("site");
    let name = welcome_file(&site);
    let today = jiff::ZonedDateTime::now().date().to_string();
    assert_eq!(name, format!("{today}-welcome.md"));
    assert_eq!(read(site.join(".gitignore")), "public/\n");
    assert!(site.join("content/pages/about.md").is_file());
    assert!(!site.join("templates").exists());

    let run = briefly(dir.path(), &["init", "site2"]);
    assert!(run.stdout.contains("  site.yaml\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("cd site2 && briefly serve"),
        "{}",
        run.stdout
    );

    let run = build_ok(&site, &[]);
    assert!(
        run.stdout
            .starts_with("Built 1 briefing, 2 tags, 2 events (19 pages)"),
        "{}",
        run.stdout
    );
    let public = site.join("public");
    let page = read(public.join("briefings/welcome/index.html"));
    assert!(page.contains("Welcome: how a briefing is made"));
    assert!(public.join("about/index.html").is_file());
    assert!(read(public.join("timeline/index.html")).contains("The briefing site is set up"));
}

#[test]
fn init_templates_copies_the_theme_and_the_site_still_builds() {
    let dir = init_site(&["--templates"]);
    let site = dir.path().join("site");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["base.html", "static/style.css", "partials/summary.html"] {
        assert_eq!(
            fs::read(site.join("templates").join(file)).unwrap(),
            fs::read(root.join("templates").join(file)).unwrap(),
            "templates/{file} is the built-in one"
        );
    }
    build_ok(&site, &[]);
    assert_eq!(
        fs::read(site.join("public/style.css")).unwrap(),
        fs::read(root.join("templates/static/style.css")).unwrap()
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    fs::create_dir(dir.path().join("content")).unwrap();
    let run = briefly(dir.path(), &["init"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: this folder is not empty (it holds content/ and notes.txt); use --force to write into it anyway\n"
    );
    assert!(!dir.path().join("site.yaml").exists(), "nothing is written");

    fs::write(dir.path().join("site.yaml"), "title: old\n").unwrap();
    let run = briefly(dir.path().parent().unwrap(), &["init", &path(dir.path())]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("(it holds site.yaml, content/ and notes.txt)"),
        "{}",
        run.stderr
    );

    let run = briefly(dir.path(), &["init", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(dir.path().join("notes.txt")), "mine");
    assert!(read(dir.path().join("site.yaml")).contains("base_url:"));
    build_ok(dir.path(), &[]);
}

#[test]
fn init_accepts_a_folder_holding_only_hidden_files_and_keeps_its_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join(".gitignore"), "target/").unwrap();
    let run = briefly(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n  briefly serve "), "{}", run.stdout);
    assert_eq!(read(dir.path().join(".gitignore")), "target/\npublic/\n");
}

#[test]
fn new_writes_a_briefing_that_builds_and_is_listed() {
    let dir = init_site(&[]);
    let site = dir.path().join("site");
    let title = r#"Kazan: "BRICS" & more"#;
    let run = briefly(
        dir.path(),
        &[
            "new",
            title,
            "--root",
            "site",
            "--date",
            "2024-10-26",
            "--tags",
            "BRICS, russia",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Wrote site/content/briefings/2024-10-26-kazan-brics-more.md\n"
    );
    let text = read(site.join("content/briefings/2024-10-26-kazan-brics-more.md"));
    assert!(
        text.starts_with(
            "---\ntitle: \"Kazan: \\\"BRICS\\\" & more\"\ndate: 2024-10-26\ntags: [\"BRICS\", \"russia\"]\nsummary:"
        ),
        "{text}"
    );
    assert!(!text.contains("draft"), "{text}");

    build_ok(&site, &[]);
    let index = read(site.join("public/index.html"));
    assert!(
        index.contains("Kazan: &quot;BRICS&quot; &amp; more"),
        "the title is on the index, escaped once"
    );
    let doc = html(site.join("public/briefings/kazan-brics-more/index.html"));
    assert!(texts(&doc, "h1").contains(&title.to_string()));
    assert!(site.join("public/tags/brics/index.html").is_file());
}

#[test]
fn new_without_a_date_uses_today_and_joins_title_words() {
    let dir = init_site(&[]);
    let site = dir.path().join("site");
    let run = briefly(&site, &["new", "Troops", "enter", "Kursk"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let today = jiff::ZonedDateTime::now().date().to_string();
    assert_eq!(
        run.stdout,
        format!("Wrote content/briefings/{today}-troops-enter-kursk.md\n")
    );
    assert!(
        read(site.join(format!("content/briefings/{today}-troops-enter-kursk.md")))
            .contains("title: \"Troops enter Kursk\"\n")
    );
}

#[test]
fn new_never_overwrites() {
    let dir = init_site(&[]);
    let site = dir.path().join("site");
    let args = ["new", "Shells and missiles", "--date", "2024-10-03"];
    assert_eq!(briefly(&site, &args).code, 0);
    let file = site.join("content/briefings/2024-10-03-shells-and-missiles.md");
    fs::write(&file, "my words").unwrap();
    let run = briefly(&site, &args);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: content/briefings/2024-10-03-shells-and-missiles.md already exists: edit it, or give the new briefing another title or --date\n"
    );
    assert_eq!(read(&file), "my words");
}

#[test]
fn new_refuses_a_folder_without_a_site_and_an_impossible_date() {
    let dir = tempfile::tempdir().unwrap();
    let run = briefly(dir.path(), &["new", "Anything"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("error: site.yaml not found"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("content").exists());

    let run = briefly(dir.path(), &["new", "Anything", "--date", "2024-02-30"]);
    assert_eq!(run.code, 2, "a usage error, reported by clap");
    assert!(
        run.stderr.contains("February 2024 has 29 days, not 30"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_draft_is_built_only_with_drafts() {
    let dir = init_site(&[]);
    let site = dir.path().join("site");
    let run = briefly(
        &site,
        &["new", "Not yet", "--draft", "--date", "2024-11-01"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(site.join("content/briefings/2024-11-01-not-yet.md")).contains("\ndraft: true\n"));

    build_ok(&site, &[]);
    assert!(!site.join("public/briefings/not-yet").exists());
    assert!(!read(site.join("public/index.html")).contains("Not yet"));

    build_ok(&site, &["--drafts"]);
    assert!(site.join("public/briefings/not-yet/index.html").is_file());
    assert!(read(site.join("public/index.html")).contains("Not yet"));
}

/// `briefly check` (issue #5, part 4).
#[test]
fn check_passes_the_example_site() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = briefly(root, &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 errors"), "{}", run.stdout);
    assert!(
        run.stdout.contains("www.e-ir.info"),
        "external links are listed by host: {}",
        run.stdout
    );
}

#[test]
fn check_finds_each_planted_problem_and_writes_nothing() {
    let site = fixture("desk");
    let dir = site.path().join("content/briefings");
    fs::write(
        dir.join("2024-01-01-bad.md"),
        "---\ntitle: Treaty signed\ndate: 2024-01-01\nevents:\n  - date: 2025-03\n    title: Later\n---\nSee [x](https://example.org/watch/briefings/nope/), [y](/watch/briefings/troops/#nothing) and ![i](../images/missing.png).\nIn this page: [z](#nowhere), [the text](#main) (the template's id) and [here](#treaty-signed-twice).\n\n## Treaty signed twice\n\n<img src=\"../images/raw-missing.png\" alt=\"In raw HTML\">\n",
    )
    .unwrap();
    fs::write(
        dir.join("2024-01-02-empty.md"),
        "---\ntitle: Empty body\ndate: 2024-01-02\n---\n",
    )
    .unwrap();
    fs::create_dir_all(site.path().join("templates/partials")).unwrap();
    fs::write(
        site.path().join("templates/partials/orphan.html"),
        "<p>never used</p>",
    )
    .unwrap();

    let run = briefly(site.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/briefings/2024-01-01-bad.md:8: broken link `https://example.org/watch/briefings/nope/`: no such page",
        "content/briefings/2024-01-01-bad.md:8: broken link `/watch/briefings/troops/#nothing`: there is no such heading",
        "content/briefings/2024-01-01-bad.md:8: broken link `../images/missing.png`",
        "content/briefings/2024-01-01-bad.md:9: broken link `#nowhere`: there is no such heading or id on that page",
        "content/briefings/2024-01-01-bad.md:13: broken link `../images/raw-missing.png`: no such page or file in the site",
        "warning: content/briefings/2024-01-02-empty.md: no summary",
        "is used by 2 briefings",
        "event `Later` is dated 2025-03, after the briefing was last updated (2024-01-01)",
        "warning: templates/partials/orphan.html: no page uses this template",
        "check failed: 5 errors, 5 warnings",
    ] {
        assert!(
            run.stderr.contains(expected),
            "expected `{expected}` in:\n{}",
            run.stderr
        );
    }
    assert!(!site.path().join("public").exists(), "check writes nothing");
    // One link checker (issue #10, item 9): the build fails on exactly the
    // broken links `check` calls errors, each with its line.
    let build = briefly(site.path(), &["build"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    let broken = |text: &str| -> Vec<String> {
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| l.contains("broken link"))
            .map(|l| l.trim_start_matches("error: ").to_string())
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(broken(&build.stderr), broken(&run.stderr));
    assert_eq!(broken(&build.stderr).len(), 5, "{}", build.stderr);
}

#[test]
fn check_fails_on_warnings_only_when_strict() {
    let site = fixture("desk");
    fs::write(
        site.path().join("content/briefings/2024-01-02-empty.md"),
        "---\ntitle: Empty body\ndate: 2024-01-02\n---\n",
    )
    .unwrap();
    assert_eq!(briefly(site.path(), &["check"]).code, 0);
    let strict = briefly(site.path(), &["check", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stderr.contains("check failed: 0 errors, 2 warnings"),
        "{}",
        strict.stderr
    );
}

/// Moving in (issue #5, part 5, in part): posts written for Jekyll, Hugo
/// (YAML and TOML) and Zola build without edits.
#[test]
fn jekyll_hugo_and_zola_posts_build_unedited() {
    let site = fixture("movedin");
    let run = build_ok(site.path(), &[]);
    assert!(
        run.stdout.starts_with("Built 9 briefings"),
        "the unpublished post is left out: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains("warning: content/posts/2019-07-01-links.md: 2 Liquid tags or shortcodes from another generator shown as text\n")
            && run.stderr.contains("warning: content/posts/2019-08-01-newsletter.md: 1 Liquid tag or shortcode from another generator shown as text\n"),
        "{}",
        run.stderr
    );
    let public = site.path().join("public");

    let jekyll = read(public.join("briefings/old-post/index.html"));
    assert!(
        jekyll.contains("datetime=\"2019-05-01\""),
        "the date comes from the file name"
    );
    assert!(
        jekyll.contains("The EPA\u{2019}s new rule"),
        "entities are decoded once"
    );
    assert!(!jekyll.contains("&amp;#8217;"), "never double-escaped");
    assert!(
        public.join("tags/policy/index.html").is_file(),
        "categories become tags"
    );
    let redirect = read(public.join("2019/05/01/old-post.html"));
    assert!(
        redirect.contains("url=/briefings/old-post/"),
        "redirect_from becomes a redirect page: {redirect}"
    );

    let timed = read(public.join("briefings/timed/index.html"));
    assert!(
        timed.contains("datetime=\"2019-03-26\""),
        "a late time west of UTC keeps its day"
    );

    let index = read(public.join("index.html"));
    assert!(
        index.contains("A Hugo description."),
        "description is the summary"
    );
    assert!(
        index.contains("What the EPA\u{2019}s rule changes."),
        "excerpt is the summary"
    );
    assert!(
        index.contains("The part before the break."),
        "<!-- more --> ends the summary"
    );
    assert!(!index.contains("The rest."));
    assert!(
        public.join("old/hugo-post/index.html").is_file(),
        "aliases become redirect pages"
    );
    assert!(
        public.join("tags/sanctions/index.html").is_file(),
        "keys named in tags_from become tags"
    );
    assert!(
        public.join("tags/north-korea/index.html").is_file(),
        "a comma-separated tag string"
    );

    let toml = read(public.join("briefings/toml-post/index.html"));
    assert!(toml.contains("datetime=\"2020-01-02\""));
    let zola_tag = read(public.join("tags/brics/index.html"));
    assert!(zola_tag.contains("From Zola"), "Zola's [taxonomies] tags");
    let russia = read(public.join("tags/russia/index.html"));
    assert!(
        russia.contains("Hugo in TOML")
            && russia.contains("From Zola")
            && russia.contains("Hugo in YAML")
    );
    assert!(!public.join("briefings/unpublished").exists());

    // YAML quirks: CRLF, blank lines and a comment before the keys, a key
    // written twice, a one-digit month, day and hour with a `-5` zone, a
    // number as slug, an empty value, nested maps, a thematic break later.
    let quirky = read(public.join("briefings/2024/index.html"));
    assert!(
        quirky.contains("Quirky post, final title"),
        "the last of two values wins"
    );
    assert!(quirky.contains("datetime=\"2019-03-05\""));
    assert!(quirky.contains("J. Doe"), "author as a string");
    assert!(quirky.contains("After a thematic break."));
    assert!(
        run.stderr.contains(
            "warning: content/posts/2019-03-05-quirky.md:6:1: `title` is written 2 times"
        ),
        "{}",
        run.stderr
    );

    let links = read(public.join("briefings/links/index.html"));
    for href in [
        "href=\"/briefings/old-post/\"",
        "href=\"/briefings/yaml-post/\"",
        "href=\"/briefings/zola-post/\"",
        "href=\"/\"",
        "href=\"/tags/\"",
        "href=\"https://example.org/atom.xml\"",
    ] {
        assert!(links.contains(href), "{href} missing in:\n{links}");
    }
    assert!(
        links.contains("{% include note.html %}"),
        "other tags are shown as text"
    );
}

/// Issue #10, items 1 and 11: a Jekyll post whose quoted values go on at
/// column 0 with `text: ` in them (as libyaml reads them), a Jekyll
/// `categories` string (split on spaces), and Zola's `[extra]` read by a
/// template as `extra.cover`, not `extra.extra.cover`.
#[test]
fn issue_10_wrapped_quoted_values_category_strings_and_zola_extra() {
    let site = fixture("movedin");
    fs::write(
        site.path().join("content/_posts/2019-05-02-wrapped.md"),
        "---\ntitle: \"Sanctions, explained\nin brief: what changed\"\nexcerpt: \"Three rules\nin brief: what changed\"\ncategories: news politics\n---\nBody.\n",
    )
    .unwrap();
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/briefing.html"),
        "<h1>{{ briefing.title }}</h1>{% for tag in briefing.tags %}<a>{{ tag.name }}</a>{% endfor %}\n{% for key, value in briefing.extra %}{% if key == \"cover\" or key == \"extra\" %}<p>{{ key }}={{ value }}</p>{% endif %}{% endfor %}\n",
    )
    .unwrap();
    let run = build_ok(site.path(), &[]);
    assert!(!run.stderr.contains("wrapped.md"), "{}", run.stderr);
    let public = site.path().join("public");
    assert_eq!(
        read(public.join("briefings/wrapped/index.html")),
        "<h1>Sanctions, explained in brief: what changed</h1><a>news</a><a>politics</a>\n\n"
    );
    assert!(public.join("tags/politics/index.html").is_file());
    let index = read(public.join("index.html"));
    assert!(
        index.contains("Three rules in brief: what changed"),
        "{index}"
    );
    assert_eq!(
        read(public.join("briefings/zola-post/index.html")),
        "<h1>From Zola</h1><a>brics</a><a>Russia</a>\n<p>cover=kazan.jpg</p>\n"
    );
}

#[test]
fn a_post_url_to_a_missing_post_is_a_broken_link() {
    let site = fixture("movedin");
    fs::write(
        site.path().join("content/posts/2019-08-01-bad.md"),
        "---\ntitle: Bad\n---\n[gone]({% post_url 2018-01-01-gone %})\n",
    )
    .unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/posts/2019-08-01-bad.md:4: broken link `{% post_url 2018-01-01-gone %}`: no post named 2018-01-01-gone.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_writes_into_a_section_and_refuses_one_outside_content() {
    let site = fixture("desk");
    let run = briefly(
        site.path(),
        &[
            "new",
            "Asia note",
            "--section",
            "analysis/asia",
            "--date",
            "2024-05-01",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path()
            .join("content/analysis/asia/2024-05-01-asia-note.md")
            .is_file()
    );
    build_ok(site.path(), &[]);
    assert!(
        site.path()
            .join("public/briefings/asia-note/index.html")
            .is_file()
    );
    let run = briefly(site.path(), &["new", "Escape", "--section", "../outside"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("must be a folder under content/"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_dated_permalink_pattern_keeps_old_jekyll_urls() {
    let site = fixture("movedin");
    let config = read(site.path().join("site.yaml")) + "permalink: \"/:year/:month/:day/:slug/\"\n";
    fs::write(site.path().join("site.yaml"), config).unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    assert!(public.join("2019/05/01/old-post/index.html").is_file());
    assert!(public.join("2021/07/08/zola-post/index.html").is_file());
    let links = read(public.join("2019/07/01/links/index.html"));
    assert!(
        links.contains("href=\"/2019/05/01/old-post/\""),
        "links follow the pattern too"
    );
}

/// Many warnings of one kind (issue #10: "unreadable warnings") make one
/// line naming the first few places and how many more; `check` lists them
/// all, one per line.
#[test]
fn many_warnings_of_one_kind_make_one_line() {
    let site = fixture("desk");
    for i in 0..7 {
        fs::write(
            site.path().join(format!(
                "content/briefings/2024-01-0{}-liquid-{i}.md",
                i + 1
            )),
            format!("---\ntitle: Liquid {i}\n---\nText {{% include signup.html %}} more.\n"),
        )
        .unwrap();
    }
    let run = build_ok(site.path(), &[]);
    let liquid: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("Liquid"))
        .collect();
    assert_eq!(
        liquid,
        [
            "warning: 7 files with Liquid tags or shortcodes from another generator shown as text: content/briefings/2024-01-01-liquid-0.md, content/briefings/2024-01-02-liquid-1.md, content/briefings/2024-01-03-liquid-2.md and 4 more (`briefly check` lists them all)"
        ],
        "{}",
        run.stderr
    );
    let check = briefly(site.path(), &["check"]);
    let listed = check
        .stderr
        .lines()
        .filter(|l| l.ends_with("1 Liquid tag or shortcode from another generator shown as text"))
        .count();
    assert_eq!(listed, 7, "{}", check.stderr);
}

/// `briefly new` with a 300-character title: the file name (and the URL)
/// keeps the slug's first whole words up to 80 bytes, so no file system
/// refuses it (255 bytes), and the title stays whole in the front matter.
#[test]
fn new_cuts_a_long_title_slug_at_a_whole_word() {
    let dir = init_site(&[]);
    let site = dir.path().join("site");
    let title = "Delegations of the BRICS countries meet in Kazan to discuss payments, grain, \
                 sanctions and the expansion of the group; observers from Asia, Africa and \
                 Latin America attend the sessions, while the host presses for a common \
                 settlement system and a new development bank window for all its member states and partners";
    assert!(title.len() >= 300, "{}", title.len());
    let run = briefly(&site, &["new", title, "--date", "2024-10-26"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let slug = "delegations-of-the-brics-countries-meet-in-kazan-to-discuss-payments-grain";
    assert!(slug.len() <= 80);
    assert_eq!(
        run.stdout,
        format!("Wrote content/briefings/2024-10-26-{slug}.md\n")
    );
    let text = read(site.join(format!("content/briefings/2024-10-26-{slug}.md")));
    assert!(text.contains(&format!("title: \"{title}\"\n")), "{text}");
    build_ok(&site, &[]);
    let doc = html(site.join(format!("public/briefings/{slug}/index.html")));
    assert_eq!(texts(&doc, "h1"), [title]);
}
