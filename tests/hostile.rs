//! Issue 11, "what it must also have": arbitrary bytes and arbitrary but
//! plausible front matter, Markdown, dates, slugs, tags and aliases, fed
//! through the whole pipeline into a temp site. Every case must end in a
//! built site or a clear error: never a panic, a hang, a write outside the
//! output, a generated file replaced, or (on an error) a changed output.
//!
//! `PROPTEST_CASES` sets the number of cases (default 48); `HOSTILE_SHOW=1`
//! prints the first line of each error, to see what the cases run into.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestError, TestRunner};

/// How long one build may take before the case counts as a hang (a case
/// builds a handful of files: it takes milliseconds).
const HANG: Duration = Duration::from_secs(60);

/// Broken links are warnings here, so that most cases build; one variant
/// of `case()` makes them errors again.
const SITE_YAML: &str =
    "title: \"Hostile\"\nbase_url: \"https://example.org/desk\"\nbroken_links: warn\n";

/// A value as an author might write it after `key: `, hostile or not.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\"\"".to_string()),
        Just("\" \"".to_string()),
        Just("x".repeat(300)),
        Just("\"<script>alert(1)</script>\"".to_string()),
        Just("a: b".to_string()),
        Just("\"{{ page.title }}\"".to_string()),
        Just("[a, b, ../x, \"\", \"a/b\"]".to_string()),
        Just("[]".to_string()),
        Just("{x: 1}".to_string()),
        Just("\"\\0nul\"".to_string()),
        Just("\"\u{202e}rtl\"".to_string()),
        Just("2024-01-02".to_string()),
        Just("2024-13-45".to_string()),
        Just("0000-00-00".to_string()),
        Just("9999-12-31".to_string()),
        Just("2024-01-02T25:61:00Z".to_string()),
        Just("2099-01-01".to_string()),
        Just("yesterday".to_string()),
        Just("../../../escape".to_string()),
        Just("/../../../PWNED/x/".to_string()),
        Just("/atom.xml".to_string()),
        Just("/index.html".to_string()),
        Just("/tags/a/".to_string()),
        Just("/page/2/".to_string()),
        Just("https://elsewhere.example/x/".to_string()),
        Just("\"javascript:alert(1)\"".to_string()),
        Just("[\"/404.html\", \"/sitemap.xml\", \"/robots.txt\", \"\", \"/\"]".to_string()),
        "[a-zA-Z0-9 ./:_-]{0,40}",
        any::<String>().prop_map(|s| format!("{s:?}")),
    ]
}

/// A front-matter key an author might write.
fn key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "title",
        "date",
        "updated",
        "summary",
        "slug",
        "tags",
        "categories",
        "aliases",
        "redirect_from",
        "permalink",
        "url",
        "draft",
        "weight",
        "layout",
        "publishDate",
        "expiryDate",
        "events",
        "sources",
    ])
}

/// A piece of Markdown, hostile or not.
fn markdown() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Heading\n".to_string()),
        Just("## Same\n\n## Same\n\n## Same\n".to_string()),
        Just("[home](/atom.xml) and [up](../../../../etc/passwd)\n".to_string()),
        Just("[x](javascript:alert(1)) <javascript:alert(2)> ![i](vbscript:x)\n".to_string()),
        Just("<script>alert(1)</script>\n".to_string()),
        Just("{% include x.html %}\n[ref]: {{ site.url }}/x\n".to_string()),
        Just("{{< ref \"nope.md\" >}} {{< figure src=\"a.png\" >}}\n".to_string()),
        Just("```rust\nfn main() {}\n```\n".to_string()),
        Just(format!("```\n{}\n```\n", "x".repeat(20_000))),
        Just("[a][b]\n\n[b]: #nowhere\n".to_string()),
        Just("Para\n{: #id .class}\n".to_string()),
        Just("Text[^1]\n\n[^1]: A note.\n".to_string()),
        Just("<!-- more -->\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("[self](#heading) [other](other.md) [bundle](img.png)\n".to_string()),
        "[ -~\n]{0,200}",
        any::<String>(),
    ]
}

/// One source file: a plausible document or arbitrary bytes.
fn document() -> impl Strategy<Value = Vec<u8>> {
    let yaml = (
        prop::collection::vec((key(), value()), 0..8),
        prop::collection::vec(markdown(), 0..4),
    )
        .prop_map(|(pairs, body)| {
            let mut text = String::from("---\n");
            for (key, value) in pairs {
                text += &format!("{key}: {value}\n");
            }
            text += "---\n";
            text += &body.concat();
            text.into_bytes()
        });
    let toml = (
        prop::collection::vec((key(), value()), 0..6),
        prop::collection::vec(markdown(), 0..3),
    )
        .prop_map(|(pairs, body)| {
            let mut text = String::from("+++\n");
            for (key, value) in pairs {
                text += &format!("{key} = {value}\n");
            }
            text += "+++\n";
            text += &body.concat();
            text.into_bytes()
        });
    // Valid as a briefing, hostile in what it adds: these build.
    let plausible = (
        "[a-zA-Z0-9 <>&'\"é-]{1,30}",
        1..28u32,
        prop::collection::vec(
            (
                prop::sample::select(vec![
                    "tags",
                    "aliases",
                    "redirect_from",
                    "slug",
                    "summary",
                    "categories",
                ]),
                value(),
            ),
            0..4,
        ),
        prop::collection::vec(markdown(), 0..4),
    )
        .prop_map(|(title, day, pairs, body)| {
            let mut text = format!("---\ntitle: {title:?}\ndate: 2024-02-{day:02}\n");
            for (key, value) in pairs {
                text += &format!("{key}: {value}\n");
            }
            text += "---\n";
            text += &body.concat();
            text.into_bytes()
        });
    prop_oneof![
        6 => plausible,
        3 => yaml,
        1 => toml,
        1 => prop::collection::vec(any::<u8>(), 0..300),
        1 => prop::collection::vec(markdown(), 0..3).prop_map(|b| b.concat().into_bytes()),
    ]
}

/// Where a file goes under `content/`.
fn file_name() -> impl Strategy<Value = String> {
    let collide = prop::sample::select(vec![
        "index.html".to_string(),
        "atom.xml".to_string(),
        "tags/a/index.html".to_string(),
        format!("briefings/2024-01-03-{}.md", "long".repeat(70)),
    ]);
    prop_oneof![
        6 => prop::sample::select(vec![
            "briefings/2024-01-02-a.md",
            "briefings/2024-01-02-a.markdown",
            "briefings/other.md",
            "briefings/bundle/index.md",
            "briefings/bundle/img.png",
            "pages/about.md",
            "pages/index.md",
            "_posts/2019-05-01-Post.Name_x.md",
            "briefings/2024-01-04-h.html",
            "briefings/_index.htm",
            "briefings/b.mkd",
        ])
        .prop_map(str::to_string),
        4 => "briefings/[a-z0-9 ._-]{1,20}\\.md",
        2 => "[a-z]{1,8}/[a-zA-Z0-9é ._-]{1,16}\\.md",
        1 => collide,
    ]
}

/// A whole hostile change: files added to a valid site, and maybe a
/// site.yaml that is no longer the plain one.
#[derive(Debug, Clone)]
struct Case {
    files: BTreeMap<String, Vec<u8>>,
    site_yaml: Option<Vec<u8>>,
}

fn case() -> impl Strategy<Value = Case> {
    let site_yaml = prop_oneof![
        6 => Just(None),
        1 => prop::sample::select(vec![
            "permalink: \"/../../../PWNED/:slug/\"\n",
            "permalink: \"/:year/:month/:day/:title.html\"\n",
            "permalink: \"/:slug\"\n",
            "broken_links: error\n",
            "tags_from: [tags, categories, aliases]\n",
            "paginate: 1\n",
        ])
        .prop_map(|extra| Some(format!("{SITE_YAML}{extra}").into_bytes())),
        1 => prop::collection::vec(any::<u8>(), 0..120).prop_map(Some),
    ];
    (
        prop::collection::btree_map(file_name(), document(), 1..4),
        site_yaml,
    )
        .prop_map(|(files, site_yaml)| Case { files, site_yaml })
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect()
}

fn options(root: &Path) -> briefly::BuildOptions {
    briefly::BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: None,
        drafts: false,
        future: false,
        expired: false,
        force: false,
    }
}

/// Builds `root` on another thread: a panic or a hang is a failure.
fn build(root: &Path) -> Result<Result<(), String>, TestCaseError> {
    let (sender, receiver) = mpsc::channel();
    let options = options(root);
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| briefly::build(&options).map(|_| ()));
        let _ = sender.send(result.map(|r| r.map_err(|e| e.to_string())));
    });
    match receiver.recv_timeout(HANG) {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(_)) => Err(TestCaseError::fail("the build panicked")),
        Err(_) => Err(TestCaseError::fail(format!(
            "the build took over {HANG:?}: a hang"
        ))),
    }
}

/// The files a build generates, each with a few bytes it must hold: none
/// may be replaced by an author's file or a redirect.
const GENERATED: [(&str, &str); 5] = [
    ("index.html", "<title>Hostile</title>"),
    ("atom.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\""),
    ("sitemap.xml", "<urlset"),
    ("404.html", "<title>Page not found"),
    ("robots.txt", "User-agent: *"),
];

/// How many cases built and how many ended in an error.
static BUILT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static REFUSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn run_case(case: &Case) -> Result<(), TestCaseError> {
    let outer = tempfile::tempdir().unwrap();
    // Deep enough that a path climbing out of the output is seen here.
    let root = outer.path().join("a/b/c/site");
    fs::create_dir_all(root.join("content/briefings")).unwrap();
    fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
    fs::write(
        root.join("content/briefings/2024-01-01-base.md"),
        "---\ntitle: Base\ndate: 2024-01-01\ntags: [a]\n---\nThe base briefing.\n",
    )
    .unwrap();
    let first = build(&root)?;
    prop_assert!(first.is_ok(), "the plain site must build: {first:?}");
    let public = root.join("public");
    let before = snapshot(&public);

    for (name, bytes) in &case.files {
        let path = root.join("content").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        // A name the file system refuses (too long) is not the build's business.
        if fs::write(&path, bytes).is_err() {
            return Ok(());
        }
    }
    if let Some(yaml) = &case.site_yaml {
        fs::write(root.join("site.yaml"), yaml).unwrap();
    }
    let sources: BTreeMap<PathBuf, Vec<u8>> = snapshot(&root)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("public"))
        .collect();

    let result = build(&root)?;

    // Nothing is written outside the output but its lock file; the
    // sources are as they were.
    let everything = snapshot(outer.path());
    for path in everything.keys() {
        let inside = path.strip_prefix("a/b/c/site").ok();
        let allowed = inside.is_some_and(|p| {
            p.starts_with("public") || sources.contains_key(p) || p == Path::new(".public.lock")
        });
        prop_assert!(allowed, "a file was written outside the output: {path:?}");
    }
    for (path, bytes) in &sources {
        prop_assert_eq!(
            &fs::read(root.join(path)).unwrap(),
            bytes,
            "{:?} changed",
            path
        );
    }
    let leftovers: Vec<_> = fs::read_dir(root.join(""))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public.") && n != ".public.lock")
        .collect();
    prop_assert!(leftovers.is_empty(), "staging left: {leftovers:?}");

    match result {
        Ok(()) => {
            BUILT.fetch_add(1, Relaxed);
            for (file, holds) in GENERATED {
                let text = fs::read_to_string(public.join(file)).unwrap_or_default();
                prop_assert!(
                    text.contains(holds),
                    "{file} is not the generated one:\n{}",
                    &text[..text.len().min(400)]
                );
            }
        }
        Err(message) => {
            REFUSED.fetch_add(1, Relaxed);
            if std::env::var("HOSTILE_SHOW").is_ok() {
                eprintln!("ERR {}", message.lines().next().unwrap_or(""));
            }
            // A clear error names a file of the site, and the old output stays.
            prop_assert!(
                message
                    .lines()
                    .filter(|l| !l.ends_with("the output was left as it was"))
                    .all(|l| l.contains("content/")
                        || l.contains("site.yaml")
                        || l.contains("templates")
                        || l.contains("public")),
                "an error that names no file:\n{message}"
            );
            prop_assert!(
                snapshot(&public) == before,
                "a failed build changed the output:\n{message}"
            );
        }
    }
    Ok(())
}

#[test]
fn hostile_sites_build_or_fail_cleanly() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48);
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config);
    match runner.run(&case(), |case| run_case(&case)) {
        Ok(()) => {
            let (built, refused) = (BUILT.load(Relaxed), REFUSED.load(Relaxed));
            eprintln!("{cases} hostile cases: {built} built, {refused} ended in a clear error");
            assert!(built > 0 && refused > 0, "both outcomes must be exercised");
        }
        Err(TestError::Fail(reason, case)) => {
            panic!("{reason}\n\nminimal failing case:\n{case:#?}")
        }
        Err(e) => panic!("{e}"),
    }
}
