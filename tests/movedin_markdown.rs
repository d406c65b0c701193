//! Moving in, round 2 (issue #10, items 7, 8 and 11 in part): Liquid tags,
//! kramdown attribute lists and Hugo refs in moved-in bodies, built from
//! the `movedin` fixture and read back.

mod common;

use std::fs;

use common::*;

/// Issue #10, item 7: a whole-line `{% include %}` above reference
/// definitions, `{{ page.KEY }}`; item 8: kramdown attribute lists; item
/// 11: a Hugo `ref` without a leading slash.
#[test]
fn liquid_lines_kramdown_lists_and_relative_refs() {
    let site = fixture("movedin");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");

    let page = read(public.join("briefings/newsletter/index.html"));
    for fragment in [
        "<p class=\"lead\">In issue 12 of Newsletter #12: the <a href=\"https://news.example.net/lead\">lead story</a> and <a href=\"https://news.example.net/archive\">the archive</a>.\nJump to <a href=\"#custom\">the background</a>.</p>\n<p>{% include signup.html %}</p>\n<h2 id=\"custom\">Background <a class=\"anchor\" href=\"#custom\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>\n<ul class=\"steps\">\n<li>one</li>",
        "<blockquote class=\"pull\">\n<p>Quoted.</p>\n</blockquote>\n<p>The <a href=\"https://img.example.net/cover.png\">cover</a>.</p>",
    ] {
        assert!(page.contains(fragment), "{fragment}\nmissing in:\n{page}");
    }
    assert!(!page.contains("{:"), "no attribute list is shown");
    assert!(
        !page.contains("[lead]"),
        "the definitions are not swallowed"
    );

    let index = read(public.join("index.html"));
    assert!(
        index.contains(
            "In issue 12 of Newsletter #12: the lead story and the archive. Jump to the background."
        ),
        "the summary holds no attribute list:\n{index}"
    );

    let hugo = read(public.join("briefings/relative-ref/index.html"));
    assert!(
        hugo.contains("See <a href=\"/briefings/toml-post/\">the TOML post</a> and <a href=\"/briefings/yaml-post/\">the YAML post</a>.\nFound by its name alone: <a href=\"/briefings/zola-post/\">the Zola post</a>."),
        "{hugo}"
    );

    // The link checker knows `#custom` from the load-time scan.
    let check = briefly(site.path(), &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("0 errors"),
        "{}{}",
        check.stdout,
        check.stderr
    );
}

const BAD: &str = "---\ntitle: Bad target\n---\n{% include header.html %}\n[ref]: {{ site.repo }}/wiki\n\nSee the [wiki][ref], the [wiki again][ref] and [issues]({{site.repo}}/issues).\n";

/// Issue #10, item 7: an expression briefly cannot resolve, in a link
/// target, is one broken link per target, at its line.
#[test]
fn unresolved_expressions_in_link_targets_are_broken_links() {
    let site = fixture("movedin");
    let bad = site.path().join("content/posts/2019-09-01-bad.md");
    fs::write(&bad, BAD).unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1);
    let why = "a template expression briefly cannot resolve (it knows `{{ page.KEY }}`, `{{ site.url }}`, `{{ site.baseurl }}` and the link tags); write the URL itself";
    assert!(
        run.stderr.contains(&format!(
            "error: content/posts/2019-09-01-bad.md:7: broken link `{{{{ site.repo }}}}/wiki`: {why}\nerror: content/posts/2019-09-01-bad.md:7: broken link `{{{{site.repo}}}}/issues`: {why}\n2 errors found"
        )),
        "one error per target, the second use of [ref] not again:\n{}",
        run.stderr
    );

    let config = read(site.path().join("site.yaml")) + "broken_links: warn\n";
    fs::write(site.path().join("site.yaml"), config).unwrap();
    let run = build_ok(site.path(), &[]);
    let reported: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("bad.md") && l.contains("broken link"))
        .collect();
    assert_eq!(reported.len(), 2, "{}", run.stderr);
    assert!(reported[0].contains("bad.md:7: broken link `{{ site.repo }}/wiki`"));
    assert!(reported[1].contains("bad.md:7: broken link `{{site.repo}}/issues`"));
    let page = read(site.path().join("public/briefings/bad/index.html"));
    assert!(
        page.contains(
            "<p>{% include header.html %}</p>\n<p>See the wiki, the wiki again and issues.</p>"
        ),
        "{page}"
    );
    assert!(!page.contains("%7B"), "never percent-encoded into an href");
}

/// An HTML post (`.html` or `.htm` starting with front matter: a page to
/// Hugo, Jekyll and Eleventy) is a briefing whose body is kept as written,
/// blank lines and all; its words count and make its summary. An HTML
/// file without front matter is copied; `_index.html` is a section file,
/// Eleventy's `posts.11tydata.js` the old site's settings (not copied).
#[test]
fn html_posts_with_front_matter_are_briefings() {
    let site = fixture("movedin");
    let post = "---\ntitle: An HTML post\ndate: 2019-09-02\n---\n\n<p>\n  <em>Kept\n    as *written*.</em>\n</p>\n\n<pre>one\n\n    two</pre>\n";
    let posts = site.path().join("content/posts");
    fs::write(posts.join("2019-09-02-html.html"), post).unwrap();
    fs::write(
        posts.join("plain.html"),
        "<!doctype html><p>A plain page.</p>\n",
    )
    .unwrap();
    fs::write(
        posts.join("toml.htm"),
        "\u{feff}+++\r\ntitle = \"TOML\"\r\ndate = 2019-09-03\r\n+++\r\nText <b>first</b>, then\r\n\r\nmore.\r\n",
    )
    .unwrap();
    fs::write(
        posts.join("_index.html"),
        "---\ntitle: Posts\n---\n<p>x</p>\n",
    )
    .unwrap();
    fs::write(posts.join("posts.11tydata.js"), "module.exports = {};\n").unwrap();
    fs::write(
        posts.join("2019-09-05-old-suffix.mkd"),
        "---\ntitle: Old suffix\n---\n*Markdown* all the same.\n",
    )
    .unwrap();
    let words: Vec<String> = (1..=80).map(|i| format!("w{i}")).collect();
    fs::write(
        posts.join("2019-09-04-long.html"),
        format!(
            "---\ntitle: Long\n---\n<div><p>{}</p></div>\n",
            words.join(" ")
        ),
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");

    let page = read(public.join("briefings/html/index.html"));
    assert!(
        page.contains("<div class=\"html-post\">\n<p>\n  <em>Kept\n    as *written*.</em>\n</p>\n<!---->\n<pre>one\n<!---->\n    two</pre>\n</div>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"word-count\">5 words</span>"),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"description\" content=\"Kept as *written*. one two\">"),
        "{page}"
    );
    let toml = read(public.join("briefings/toml/index.html"));
    assert!(
        toml.contains("<h1 class=\"briefing-title\">TOML</h1>"),
        "{toml}"
    );
    assert!(
        toml.contains("<div class=\"html-post\">Text <b>first</b>, then\n<!---->\nmore.\n</div>"),
        "{toml}"
    );
    assert!(
        toml.contains("<meta name=\"description\" content=\"Text first, then more.\">"),
        "{toml}"
    );
    // No paragraph and no summary: the first 70 words, as Hugo takes them.
    let long = read(public.join("briefings/long/index.html"));
    let summary = format!("{}…", words[..70].join(" "));
    assert!(
        long.contains(&format!(
            "<meta name=\"description\" content=\"{summary}\">"
        )),
        "{long}"
    );
    assert!(
        long.contains("<span class=\"word-count\">80 words</span>"),
        "{long}"
    );
    let old_suffix = read(public.join("briefings/old-suffix/index.html"));
    assert!(
        old_suffix.contains("<p><em>Markdown</em> all the same.</p>"),
        "{old_suffix}"
    );
    assert!(public.join("posts/plain.html").is_file());
    for gone in [
        "posts/2019-09-02-html.html",
        "posts/toml.htm",
        "posts/_index.html",
        "posts/posts.11tydata.js",
    ] {
        assert!(!public.join(gone).exists(), "{gone}");
    }
    assert!(!public.join("briefings/_index").exists());
}

/// A date with words Jekyll's lenient reading skips (Jekyll's own news
/// has `2023-01-29 18:30:22 2023 -0800`) builds, with a warning at its
/// line; an impossible day stays an error.
#[test]
fn a_date_with_extra_words_is_read_as_jekyll_reads_it() {
    let site = fixture("movedin");
    let post = site.path().join("content/posts/2023-01-29-release.md");
    fs::write(
        &post,
        "---\ntitle: Release\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nOut.\n",
    )
    .unwrap();
    let run = build_ok(site.path(), &[]);
    assert!(
        run.stderr.contains("warning: content/posts/2023-01-29-release.md:3:1: date: `2023-01-29 18:30:22 2023 -0800` is read as `2023-01-29 18:30:22 -0800`, leaving out `2023`: write it as YYYY-MM-DD"),
        "{}",
        run.stderr
    );
    let feed = read(site.path().join("public/atom.xml"));
    assert!(
        feed.contains("<published>2023-01-29T18:30:22-08:00</published>"),
        "{feed}"
    );

    fs::write(
        &post,
        "---\ntitle: Release\ndate: 2023-02-30 18:30 x\n---\nOut.\n",
    )
    .unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("2023-01-29-release.md:3:7: date: impossible date"),
        "{}",
        run.stderr
    );
}

/// Dates in the other shapes Hugo or Jekyll reads (RFC 2822 from old
/// WordPress exports and feeds, `Jan 2, 2006`, `2006/01/02`) build
/// without a warning, the day as written and the time and zone in the
/// feed; an ambiguous `01/02/2006` stays an error naming the line.
#[test]
fn dates_in_hugos_and_jekylls_other_shapes_are_read() {
    let site = fixture("movedin");
    let posts = site.path().join("content/posts");
    for (name, date) in [
        ("rfc", "Tue, 07 Mar 2017 09:15:00 -0500"),
        ("words", "March 8, 2017"),
        ("slashes", "2017/03/09"),
    ] {
        fs::write(
            posts.join(format!("{name}.md")),
            format!("---\ntitle: Post {name}\ndate: \"{date}\"\n---\nText.\n"),
        )
        .unwrap();
    }
    let run = build_ok(site.path(), &[]);
    assert!(!run.stderr.contains("rfc.md"), "{}", run.stderr);
    let public = site.path().join("public");
    for (name, day) in [
        ("rfc", "2017-03-07"),
        ("words", "2017-03-08"),
        ("slashes", "2017-03-09"),
    ] {
        let page = read(public.join(format!("briefings/{name}/index.html")));
        assert!(
            page.contains(&format!("datetime=\"{day}")),
            "{name}: {page}"
        );
    }
    let feed = read(public.join("atom.xml"));
    assert!(
        feed.contains("<published>2017-03-07T09:15:00-05:00</published>"),
        "{feed}"
    );

    fs::write(
        posts.join("slashes.md"),
        "---\ntitle: Ambiguous\ndate: 01/02/2017\n---\nText.\n",
    )
    .unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("slashes.md:3:7: date: `01/02/2017` is not a date"),
        "{}",
        run.stderr
    );
}

/// What real sites' posts write that other generators read (found by
/// building Rails', Node.js' and Babel's blogs unedited): Ruby's YAML
/// writer's `! 'text'` (a non-specific tag, the plain string to Jekyll),
/// Jekyll's singular `category:` (one tag, never split on spaces), a mail
/// autolink `<name@host>` (a `mailto:` link, never a broken link under
/// the default `broken_links: error`) and Docusaurus' `<!--truncate-->`
/// summary break.
#[test]
fn real_posts_tagged_titles_category_mail_links_and_truncate() {
    let site = fixture("movedin");
    let root = site.path();
    // The default `tags_from`.
    fs::write(
        root.join("site.yaml"),
        "title: \"Moved in\"\nbase_url: \"https://example.org/\"\n",
    )
    .unwrap();
    fs::write(
        root.join("content/posts/2004-12-16-rails.md"),
        "---\ntitle: ! 'Rails 0.9.1: fixes'\ncategory: Release Notes\nauthor: ! \"David\"\n---\nWrite to <npm-cli+bot@github.com> or <ops@npmjs.com>.\n\nFirst part.\n\n<!--truncate-->\n\nThe rest.\n",
    )
    .unwrap();
    let run = build_ok(root, &[]);
    assert!(!run.stderr.contains("rails.md"), "{}", run.stderr);
    let page = read(root.join("public/briefings/rails/index.html"));
    assert!(
        page.contains("<h1 class=\"briefing-title\">Rails 0.9.1: fixes</h1>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"mailto:npm-cli+bot@github.com\"")
            && page.contains("href=\"mailto:ops@npmjs.com\""),
        "{page}"
    );
    let tag = read(root.join("public/tags/release-notes/index.html"));
    assert!(tag.contains("Rails 0.9.1: fixes"), "{tag}");
    // The summary stops at the break.
    assert!(tag.contains("First part."), "{tag}");
    assert!(!tag.contains("The rest."), "{tag}");
}

/// An `.mdx` post with front matter (Docusaurus, Next.js, Astro) is a
/// briefing like a Markdown one, its `import`/`export` lines left out
/// (not those in code blocks) and its components kept as elements; a
/// draft is not published (it was copied out as source before). An
/// `.mdx` file without front matter is copied as it is.
#[test]
fn mdx_posts_are_briefings() {
    let site = fixture("movedin");
    let posts = site.path().join("content/posts");
    fs::write(
        posts.join("2021-04-01-mdx.mdx"),
        "---\ntitle: From MDX\n---\nimport Tabs from '@theme/Tabs';\nexport const x = 1;\n\nIntro words.\n\n<Tabs>\nInside a tab.\n</Tabs>\n\n```js\nimport y from 'y';\n```\n",
    )
    .unwrap();
    fs::write(
        posts.join("2021-04-02-hidden.mdx"),
        "---\ntitle: Not yet\ndraft: true\n---\nSecret.\n",
    )
    .unwrap();
    fs::write(posts.join("snippet.mdx"), "import A from 'a';\n\n<A />\n").unwrap();
    let run = build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let page = read(public.join("briefings/mdx/index.html"));
    assert!(page.contains("<p>Intro words.</p>"), "{page}");
    assert!(page.contains("Inside a tab."), "{page}");
    assert!(
        !page.contains("@theme/Tabs") && !page.contains("const x"),
        "{page}"
    );
    // The code block keeps its `import` line.
    assert!(
        page.contains("<code class=\"language-js\"><span class=\"hl-keyword\">import</span>"),
        "{page}"
    );
    assert!(!public.join("posts/2021-04-01-mdx.mdx").exists());
    assert!(!public.join("posts/2021-04-02-hidden.mdx").exists());
    assert!(!public.join("briefings/hidden").exists(), "{}", run.stderr);
    assert!(public.join("posts/snippet.mdx").is_file());
}

/// Hugo's JSON front matter (an object from a `{` line to a `}` line) and
/// YAML merge keys (`<<: *defaults`) are read.
#[test]
fn json_front_matter_and_merge_keys() {
    let site = fixture("movedin");
    let posts = site.path().join("content/posts");
    fs::write(
        posts.join("json.md"),
        "{\n  \"title\": \"From JSON\",\n  \"date\": \"2020-02-03\",\n  \"tags\": [\"json-tag\"]\n}\nThe body.\n",
    )
    .unwrap();
    fs::write(
        posts.join("merged.md"),
        "---\ndefaults: &d\n  title: Merged title\n  date: 2020-02-04\n<<: *d\n---\nMerged body.\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let page = read(public.join("briefings/json/index.html"));
    assert!(
        page.contains(">From JSON</h1>") && page.contains("<p>The body.</p>"),
        "{page}"
    );
    assert!(public.join("tags/json-tag/index.html").is_file());
    let page = read(public.join("briefings/merged/index.html"));
    assert!(
        page.contains(">Merged title</h1>") && page.contains("datetime=\"2020-02-04"),
        "{page}"
    );
}

/// What Hugo makes no page of (`headless: true`, `build: {render:
/// never}`, `_build: {render: false}`) is left out as a draft is; only
/// `render` counts (`list: never` still gets its page, and is listed).
#[test]
fn pages_hugo_does_not_render_are_left_out() {
    let site = fixture("movedin");
    let posts = site.path().join("content/posts");
    for (name, key) in [
        ("headless", "headless: true"),
        ("never", "build:\n  render: never"),
        ("old-false", "_build:\n  render: false"),
        ("listed-not", "build:\n  list: never"),
    ] {
        fs::write(
            posts.join(format!("{name}.md")),
            format!("---\ntitle: Hugo {name}\ndate: 2021-01-01\n{key}\n---\nText.\n"),
        )
        .unwrap();
    }
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for gone in ["headless", "never", "old-false"] {
        assert!(!public.join(format!("briefings/{gone}")).exists(), "{gone}");
    }
    assert!(public.join("briefings/listed-not/index.html").is_file());
    let sitemap = read(public.join("sitemap.xml"));
    assert!(
        !sitemap.contains("/headless/") && !sitemap.contains("/never/"),
        "{sitemap}"
    );
}

/// Hugo's `param` shortcode reads the front matter, then `site.yaml`'s
/// `extra`; Markdown written in a summary or an author's name is shown as
/// its text in the page, its `<meta>` tags, the lists and the feeds.
#[test]
fn hugo_param_and_markdown_in_summary_and_author() {
    let site = fixture("movedin");
    let config = read(site.path().join("site.yaml"))
        + "extra:\n  repo: https://git.example.net/desk\n  social: {mastodon: \"@desk\"}\n";
    fs::write(site.path().join("site.yaml"), config).unwrap();
    fs::write(
        site.path().join("content/posts/2019-10-01-params.md"),
        "---\ntitle: Params\ncanonical_url: https://docs.example.net/spec\n\
         summary: \"The **new** `fetch` API, *at last* ([spec](https://docs.example.net/spec))\"\n\
         author: 'Mathias Bynens ([@mathias](https://twitter.example/mathias))'\n---\n\
         Read {{% param canonical_url %}}, follow {{< param \"social.mastodon\" >}} and \
         see [the code]({{< param repo >}}/tree). {{< param nowhere >}}\n",
    )
    .unwrap();
    let run = build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let page = read(public.join("briefings/params/index.html"));
    assert!(
        page.contains(
            "<p>Read https://docs.example.net/spec, follow @desk and see <a href=\"https://git.example.net/desk/tree\">the code</a>. {{&lt; param nowhere &gt;}}</p>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"description\" content=\"The new fetch API, at last (spec)\">"),
        "{page}"
    );
    assert!(page.contains("By Mathias Bynens (@mathias)"), "{page}");
    assert!(
        !page.contains("**new**") && !page.contains("[@mathias]"),
        "{page}"
    );
    let index = read(public.join("index.html"));
    assert!(
        index.contains("The new fetch API, at last (spec)"),
        "{index}"
    );
    let feed = read(public.join("atom.xml"));
    assert!(
        feed.contains("<name>Mathias Bynens (@mathias)</name>"),
        "{feed}"
    );
    assert!(
        run.stderr.contains("shown as text"),
        "the unknown param is counted: {}",
        run.stderr
    );
}

/// Hugo's `:sections`: posts of the same name in different folders keep
/// their own URLs, as Hugo writes them (`content/blog/2022/x.md` →
/// `/blog/2022/x/`; a bundle's folder is its slug, not a section).
#[test]
fn hugo_sections_keep_folder_urls() {
    let site = tempfile::tempdir().unwrap();
    fs::write(
        site.path().join("site.yaml"),
        "title: S\nbase_url: https://example.org/\npermalink: \":sections/:slug/\"\n",
    )
    .unwrap();
    for (path, date) in [
        ("blog/2022/gc-elections.md", "2022-10-01"),
        ("blog/2023/gc-elections.md", "2023-10-01"),
        ("blog/2024/gc-elections/index.md", "2024-10-01"),
        ("news.md", "2024-11-01"),
    ] {
        let file = site.path().join("content").join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(
            &file,
            format!("---\ntitle: T {date}\ndate: {date}\n---\nBody.\n"),
        )
        .unwrap();
    }
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for (page, date) in [
        ("blog/2022/gc-elections", "2022-10-01"),
        ("blog/2023/gc-elections", "2023-10-01"),
        ("blog/2024/gc-elections", "2024-10-01"),
        ("news", "2024-11-01"),
    ] {
        let html = read(public.join(page).join("index.html"));
        assert!(html.contains(&format!("T {date}")), "{page}: {html}");
    }
}

const CALLOUTS: &str = "---\ntitle: Callouts\ndate: 2024-03-01\n---\n\
> [!WARNING]\n> Mind the **gap**.\n\n\
:::tip[Before you start]\nRead the [notes](https://example.net/notes).\n:::\n\n\
::: danger\n\n```sh\nrm -rf /\n```\n\n:::\n\n\
!!! info \"From MkDocs\"\n    Indented *text*.\n\n\
```md\n:::note\nshown as written\n:::\n```\n\n\
> [!NOTE] TL;DR\n>\n> In short.\n\n\
A [broken](missing-page.md) link.\n";

/// Callouts: GitHub's alerts, Docusaurus's and VitePress's `:::`
/// containers and MkDocs's `!!!` admonitions are boxed notes titled in the
/// site's language; code showing the syntax stays as written, and lines
/// after a container keep their numbers.
#[test]
fn callouts_from_github_docusaurus_and_mkdocs() {
    let site = fixture("movedin");
    let config =
        read(site.path().join("site.yaml")) + "language: de\nmarkdown:\n  raw_html: false\n";
    fs::write(site.path().join("site.yaml"), config).unwrap();
    let file = site.path().join("content/posts/2024-03-01-callouts.md");
    fs::write(&file, CALLOUTS).unwrap();
    let run = briefly(site.path(), &["build"]);
    assert_eq!(run.code, 1, "the broken link stops the build");
    assert!(
        run.stderr
            .contains("content/posts/2024-03-01-callouts.md:33: broken link `missing-page.md`"),
        "its line is the line written: {}",
        run.stderr
    );
    fs::write(
        &file,
        CALLOUTS.replace("A [broken](missing-page.md) link.", "The end."),
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let page = read(site.path().join("public/briefings/callouts/index.html"));
    for fragment in [
        "<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warnung</p>\n<p>Mind the <strong>gap</strong>.</p>\n</div>",
        "<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Tipp</p>\n<p><strong>Before you start</strong> Read the <a href=\"https://example.net/notes\">notes</a>.</p>\n</div>",
        "<div class=\"callout callout-caution\" role=\"note\">\n<p class=\"callout-title\">Vorsicht</p>\n<pre",
        "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Hinweis</p>\n<p><strong>From MkDocs</strong> Indented <em>text</em>.</p>\n</div>",
        ":::note\nshown as written\n:::",
        "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Hinweis</p>\n<p><strong>TL;DR</strong> In short.</p>\n</div>",
    ] {
        assert!(page.contains(fragment), "{fragment}\nmissing in:\n{page}");
    }
    assert!(
        !page.contains("[!WARNING]") && !page.contains("!!!"),
        "{page}"
    );
}
