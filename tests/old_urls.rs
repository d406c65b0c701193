//! Issue 10 (moving in, round 2), the parts about old URLs, dates, titles,
//! templates and Hugo's publishing defaults: the fixture
//! `tests/fixtures/oldurls` holds one small post per observation, built
//! with today fixed by `BRIEFLY_TODAY`.

mod common;
#[path = "common/full_build.rs"]
mod full_build;

use std::fs;
use std::path::Path;

use common::{Run, fixture, read};
use full_build::assert_matches_full_build;

/// The day every build here takes for today.
const TODAY: &str = "2026-11-30";

/// Runs `briefly <args>` in `dir` with today fixed.
fn briefly_on(dir: &Path, today: &str, args: &[&str]) -> Run {
    common::briefly_with(dir, args, &[("BRIEFLY_TODAY", today)])
}

fn build(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = briefly_on(dir, TODAY, &all);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    run
}

fn warnings(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .collect()
}

/// Items 2 and 4: every old URL (own permalink/url/path, the site's
/// pattern, aliases with and without `.html`) is a file of the output.
#[test]
fn old_urls_exist_in_the_output() {
    let site = fixture("oldurls");
    build(site.path(), &[]);
    let public = site.path().join("public");
    for (file, what) in [
        (
            "2019/05/01/lists-itself.html",
            "the site's pattern ending in .html",
        ),
        (
            "newsletter/issue-12/index.html",
            "Jekyll's per-post permalink",
        ),
        ("news/2020/hugo-url/index.html", "Hugo's url"),
        ("2014/12/12/zola-path/index.html", "Zola's path"),
        ("about-us.html", "a standalone page's own permalink"),
        ("blog/lists-itself/index.html", "redirect_from"),
        ("old/hugo-url.html", "an alias ending in .html is a file"),
        ("releases/1.88.0/index.html", "a Zola alias without .html"),
        (
            "2023/01/02/ESLint-v8.31.0_released.html",
            "Jekyll's :title keeps the file name's case, dots and underscores",
        ),
        (
            "2016/09/29/Rust-1.12/chart.png",
            "a page bundle's file beside its page",
        ),
        (
            "2016/09/29/Rust-1.12/img/detail.png",
            "a page bundle's subfolder beside its page",
        ),
    ] {
        assert!(public.join(file).is_file(), "{file} ({what}) is missing");
    }
    assert!(!public.join("releases/1.88.0").is_file());
    assert!(
        !public.join("zola/bundle-post/chart.png").exists(),
        "a bundle's file is not also at its content path"
    );
    let bundle = read(public.join("2016/09/29/Rust-1.12/index.html"));
    assert!(
        bundle.contains("<img src=\"chart.png\" alt=\"Borrow-check error\"")
            && bundle.contains("<img src=\"img/detail.png\""),
        "{bundle}"
    );
    let redirect = read(public.join("releases/1.88.0/index.html"));
    assert!(
        redirect.contains("url=/2014/12/12/zola-path/"),
        "{redirect}"
    );
    let redirect = read(public.join("blog/lists-itself/index.html"));
    assert!(
        redirect.contains("url=/2019/05/01/lists-itself.html"),
        "{redirect}"
    );
    let index = read(public.join("index.html"));
    assert!(
        index.contains("href=\"/newsletter/issue-12/\""),
        "links use the own URL"
    );
}

/// Item 2: an alias naming the page's own URL is dropped without a word,
/// never a collision of the file with itself.
#[test]
fn an_alias_of_its_own_url_is_dropped_silently() {
    let site = fixture("oldurls");
    let run = build(site.path(), &[]);
    assert!(!run.stderr.contains("alias"), "{}", run.stderr);
    let page = read(site.path().join("public/2019/05/01/lists-itself.html"));
    assert!(page.contains("A post that lists its own URL"));
    assert!(!page.contains("This briefing has moved"));
}

/// Item 5: the date from `publishDate`, the own path and dated folders.
#[test]
fn dates_from_other_keys_paths_and_folders() {
    let site = fixture("oldurls");
    build(site.path(), &[]);
    let public = site.path().join("public");
    for (file, day) in [
        ("2020/03/04/publish-date.html", "2020-03-04"),
        ("2019/05/01/folder-dated.html", "2019-05-01"),
        ("2018/09/24/example-post.html", "2018-09-24"),
    ] {
        let page = read(public.join(file));
        assert!(
            page.contains(&format!("<time class=\"date\" datetime=\"{day}\"")),
            "{file}: {page}"
        );
    }
    let timeline = read(public.join("timeline/index.html"));
    assert!(timeline.contains("December 2014"), "{timeline}");
}

/// Item 5: no date anywhere is an error whose hint is written in the
/// file's own syntax.
#[test]
fn a_missing_date_hint_speaks_the_files_syntax() {
    let site = fixture("oldurls");
    fs::write(
        site.path().join("content/zola/undated.md"),
        "+++\ntitle = \"Undated\"\n+++\nNo date anywhere.\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/hugo/undated.md"),
        "---\ntitle: Undated\n---\nNo date anywhere.\n",
    )
    .unwrap();
    let run = briefly_on(site.path(), TODAY, &["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(
        "content/zola/undated.md:1:1: missing `date`: add a line such as `date = 2024-10-25` to the front matter, or start the file name with the date (2024-10-25-name.md)"
    ), "{}", run.stderr);
    assert!(run.stderr.contains(
        "content/hugo/undated.md:1:1: missing `date`: add a line such as `date: 2024-10-25` to the front matter"
    ), "{}", run.stderr);
}

/// Item 6: a missing title comes from the file name, with a warning naming
/// the file and the line of the front matter; standalone pages too.
#[test]
fn a_missing_title_comes_from_the_file_name() {
    let site = fixture("oldurls");
    let run = build(site.path(), &[]);
    let warnings = warnings(&run);
    assert!(warnings.contains(&"content/news/_posts/2018-09-24-example-post.md:1:1: no `title`: the page is titled \"Example Post\", made from the file name as Jekyll does; add `title: \"Example Post\"` to the front matter to choose one"), "{warnings:#?}");
    assert!(warnings.contains(&"content/pages/about-us.md:1:1: no `title`: the page is titled \"About Us\", made from the file name as Jekyll does; add `title: \"About Us\"` to the front matter to choose one"), "{warnings:#?}");
    let page = read(site.path().join("public/2018/09/24/example-post.html"));
    assert!(
        page.contains("<title>Example Post · Old URLs</title>"),
        "{page}"
    );
}

/// Item 11: Jekyll patterns with `:categories` (folders above `_posts`,
/// then the front matter's), `:i_month`, `:short_year` and `:output_ext`.
#[test]
fn jekyll_permalink_patterns() {
    let site = fixture("oldurls");
    let config = read(site.path().join("site.yaml")).replace(
        "/:year/:month/:day/:title.html",
        "/:categories/:short_year/:i_month/:i_day/:title:output_ext",
    );
    fs::write(site.path().join("site.yaml"), config).unwrap();
    build(site.path(), &[]);
    let public = site.path().join("public");
    assert!(
        public
            .join("news/world/18/9/24/example-post.html")
            .is_file()
    );
    assert!(
        public.join("19/5/1/lists-itself.html").is_file(),
        "no categories, no segment"
    );
    assert!(
        public.join("newsletter/issue-12/index.html").is_file(),
        "an own permalink still wins"
    );

    fs::write(
        site.path().join("site.yaml"),
        "title: T\nbase_url: https://example.org/\npermalink: /:year/:week/:title/\n",
    )
    .unwrap();
    let run = briefly_on(site.path(), TODAY, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("site.yaml:3:12: permalink: `/:year/:week/:title/` uses `:week`, which briefly does not know: use :year, :short_year, :month, :i_month,"),
        "{}",
        run.stderr
    );
}

/// Item 11: `template =` / `layout:` use the site's template when it has
/// one, else one warning per missing template naming the files; `check`
/// knows the template is used.
#[test]
fn per_page_templates() {
    let site = fixture("oldurls");
    let run = build(site.path(), &[]);
    let zola = read(site.path().join("public/2014/12/12/zola-path/index.html"));
    assert!(
        zola.contains("<article class=\"zola-page\"><h1>Zola post dated by its path</h1>"),
        "{zola}"
    );
    let post = read(site.path().join("public/newsletter/issue-12/index.html"));
    assert!(!post.contains("zola-page"));
    let missing: Vec<&str> = warnings(&run)
        .into_iter()
        .filter(|w| w.starts_with("templates/"))
        .collect();
    assert_eq!(
        missing,
        [
            "templates/post.html: no such template in this site: content/_posts/2019-05-01-lists-itself.md, content/_posts/2019-06-02-own-permalink.md, content/news/_posts/2018-09-24-example-post.md ask for it (`layout`/`template`) and are rendered with briefing.html"
        ]
    );
    let check = briefly_on(site.path(), TODAY, &["check"]);
    assert!(!check.stderr.contains("zola-page.html"), "{}", check.stderr);

    // A template of another kind of page is not used for a briefing.
    fs::write(site.path().join("templates/page.html"), "{{ page.title }}").unwrap();
    let post = site
        .path()
        .join("content/_posts/2019-06-02-own-permalink.md");
    fs::write(&post, read(&post).replace("layout: post", "layout: page")).unwrap();
    let run = build(site.path(), &[]);
    assert!(warnings(&run).contains(&"templates/page.html: renders another kind of page: content/_posts/2019-06-02-own-permalink.md asks for it (`layout`/`template`) and is rendered with briefing.html"), "{}", run.stderr);
}

/// Item 11: Hugo's publishing defaults: briefings dated after today, with
/// a `publishDate` after today or an `expiryDate` that has come are left
/// out, and the build line says so; `--future`, `--expired` and site.yaml
/// put them back.
#[test]
fn future_and_expired_briefings_are_left_out_unless_asked_for() {
    let site = fixture("oldurls");
    let public = site.path().join("public");
    let future = public.join("2099/01/01/from-the-future.html");
    let scheduled = public.join("2020/01/01/scheduled.html");
    let expired = public.join("2020/01/01/expired.html");

    let run = build(site.path(), &[]);
    assert!(
        run.stdout
            .trim_end()
            .ends_with("; left out: 3 dated after today (--future), 2 expired (--expired)"),
        "{}",
        run.stdout
    );
    assert!(!future.exists() && !scheduled.exists() && !expired.exists());
    // Standalone pages follow publishDate and expiryDate too.
    let (launch, offer) = (
        public.join("launch/index.html"),
        public.join("old-offer/index.html"),
    );
    assert!(!launch.exists() && !offer.exists());

    build(site.path(), &["--future"]);
    assert!(future.is_file() && scheduled.is_file() && !expired.exists());
    assert!(launch.is_file() && !offer.exists());
    build(site.path(), &["--expired"]);
    assert!(!future.exists() && expired.is_file());
    assert!(!launch.exists() && offer.is_file());

    let config = read(site.path().join("site.yaml")) + "build_future: true\nbuild_expired: true\n";
    fs::write(site.path().join("site.yaml"), config).unwrap();
    let run = build(site.path(), &[]);
    assert!(
        run.stdout.starts_with("Built 12 briefings"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("left out"));
}

/// Item 11: today comes from `BRIEFLY_TODAY` (tests, reproducible builds):
/// on 2099-01-01 the post of that day is published; a malformed value is
/// an error that says how to write it.
#[test]
fn today_is_fixed_by_briefly_today() {
    let site = fixture("oldurls");
    let run = briefly_on(site.path(), "2099-01-01", &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("left out: 2 expired (--expired)"),
        "{}",
        run.stdout
    );
    let public = site.path().join("public");
    assert!(public.join("2099/01/01/from-the-future.html").is_file());
    assert!(public.join("2020/01/01/scheduled.html").is_file());

    let run = briefly_on(site.path(), "tomorrow", &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "BRIEFLY_TODAY=`tomorrow`: write the day as YYYY-MM-DD, e.g. BRIEFLY_TODAY=2024-10-25"
        ),
        "{}",
        run.stderr
    );
}

/// Item 11 while serving: a template added to `templates/` is taken by the
/// posts that ask for it, and a post's `layout:` edited back and forth
/// moves it, each rebuild ending in the bytes of a full build.
#[test]
fn per_page_templates_follow_edits_while_serving() {
    use briefly::config::BaseUrlOverride;
    use briefly::engine::Engine;

    let site = fixture("oldurls");
    let root = site.path();
    let mut engine = Engine::new(root, false, BaseUrlOverride::None);
    engine.rebuild(&[]).expect("the fixture builds");
    let page = Path::new("newsletter/issue-12/index.html");
    let shown = |engine: &Engine| String::from_utf8_lossy(&engine.store()[page]).into_owned();
    assert!(!shown(&engine).contains("class=\"post\""));

    let template = root.join("templates/post.html");
    fs::write(
        &template,
        "{% extends \"base.html\" %}{% block content %}<article class=\"post\">{{ briefing.title }}</article>{% endblock content %}",
    )
    .unwrap();
    let outcome = engine.rebuild(&[template]).unwrap();
    assert!(
        shown(&engine).contains("<article class=\"post\">A post with its own permalink</article>")
    );
    assert!(
        !outcome
            .warnings
            .iter()
            .any(|w| w.to_string().contains("post.html"))
    );
    assert_matches_full_build(root, &engine);

    let post = root.join("content/_posts/2019-06-02-own-permalink.md");
    fs::write(
        &post,
        read(&post).replace("layout: post", "layout: default"),
    )
    .unwrap();
    let outcome = engine.rebuild(&[post]).unwrap();
    assert!(!shown(&engine).contains("class=\"post\""));
    assert!(outcome.warnings.iter().any(|w| w.to_string().starts_with(
        "templates/default.html: no such template in this site: content/_posts/2019-06-02-own-permalink.md asks for it"
    )));
    assert_matches_full_build(root, &engine);
}
