//! Issue 12, item 6 ("Every reader"): the example site, built under a
//! sub-path base URL and served as files, in headless Chromium. On every
//! page kind (index, search results, briefing, tags, tag, timeline, tag
//! timeline, standalone page, 404), light and dark, desktop and a 360 px
//! phone: axe-core finds no
//! violation, and the phone never scrolls sideways. Printed, a page shows
//! no navigation chrome and prints where its links lead. A briefing page
//! with its CSS weighs under 40 KB. Screenshots go to `target/screenshots/`
//! for a person to look at.
//!
//! Needs Chromium and chromedriver (`apt-get install -y chromium
//! chromium-driver`, or paths in `BRIEFLY_CHROMIUM`, `BRIEFLY_CHROMEDRIVER`)
//! and axe-core's `axe.min.js` (`BRIEFLY_AXE`, by default
//! `target/axe/axe.min.js`, which `.ci/run` fetches). Without them the test
//! fails and says how to get them.

#[path = "common/chromium.rs"]
mod chromium;
mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chromium::{STEP, bounded};
use fantoccini::{Client, Locator};
use scraper::{Html, Selector};
use serde::Deserialize;
use serde_json::{Value, json};

/// The axe-core release `.ci/run` fetches; the test checks the file is it.
const AXE_VERSION: &str = "4.14.1";
const AXE_HOW: &str = "get it as .ci/run does (mkdir -p target/axe && curl -fsSL \
    https://registry.npmjs.org/axe-core/-/axe-core-4.14.1.tgz | tar -xzO package/axe.min.js \
    > target/axe/axe.min.js), or set BRIEFLY_AXE to its path";
/// Where the site is served: a sub-path, as on a real host.
const SUB: &str = "/sub/";
/// The weight budget of a briefing page and the CSS it links.
const BUDGET: usize = 40 * 1024;
/// A phone's width, and a desktop's.
const PHONE: u32 = 360;
const DESKTOP: u32 = 1280;

/// A briefing that pushes at the page's width: a long URL, a wide code
/// block, a wide table, a long word; and a callout of each kind. Added to
/// the example site.
const WIDE: &str = r#"---
title: "Wide things: a long link, a code block and a table"
date: 2024-12-05
summary: "A briefing with content wider than a phone."
tags: [methods, a-very-long-tag-name-that-goes-on-and-on-without-a-break]
events:
  - date: 2024-12-04
    title: "An event with a long name: the Supercalifragilisticexpialidocious Commission on Long Names meets"
sources:
  - title: "https://www.example.org/a/very/long/path/that/does/not/break/anywhere/because/it/has/no/spaces/at/all/index.html"
    url: "https://www.example.org/a/very/long/path/that/does/not/break/anywhere/because/it/has/no/spaces/at/all/index.html"
---

## A long link

See <https://www.example.org/a/very/long/path/that/does/not/break/anywhere/because/it/has/no/spaces/at/all/index.html?query=string&and=more>
and the [UN Charter](https://www.un.org/en/about-us/un-charter) for the text.
A long word: Rechtsschutzversicherungsgesellschaftenangestelltenvertretungsversammlung.

## A wide code block

```rust
fn main() { let shipments = vec!["shells", "missiles", "men"]; println!("{:?} and a line that is much wider than any phone screen could ever show", shipments); }
```

    an indented block with a very long line that does not wrap at all, never, not on any screen width at all

## A wide table

| Date | Shipment | Route | Quantity | Source | Confidence | Notes on the record |
|------|----------|-------|----------|--------|------------|---------------------|
| 2024-08-01 | Artillery shells (152 mm) | Rajin to Dunai by sea | 1,000,000 | Satellite imagery | High | Containers counted at the port |
| 2024-09-15 | Ballistic missiles (KN-23) | Rail via Tumangang | 50 | Debris analysis | Medium | Serial numbers on fragments |

## Callouts

> [!NOTE]
> A note, with [a link](https://www.un.org/en/about-us/un-charter).

:::tip Read first
A Docusaurus tip with `code`.
:::

> [!IMPORTANT]
> Important.

> [!WARNING]
> A warning.

!!! danger "MkDocs"
    A caution, from MkDocs.

A footnote.[^1]

[^1]: With a long link: https://www.example.org/another/very/long/path/without/any/spaces/in/it/at/all/index.html
"#;

/// The page kinds, each at a path under the sub-path. The search results
/// are the index with `QUERY` typed into the search box.
const PAGES: &[(&str, &str)] = &[
    ("index", ""),
    ("index-page-2", "page/2/"),
    ("search", ""),
    // The example site's longest briefing (about 900 words, a table of
    // contents, events, sources).
    ("briefing", "briefings/indo-pacific-ripples/"),
    ("briefing-wide", "briefings/wide/"),
    ("tags", "tags/"),
    ("tag", "tags/russia/"),
    ("timeline", "timeline/"),
    ("tag-timeline", "tags/russia/timeline/"),
    ("page", "about/"),
    ("not-found", "404.html"),
];
/// What the search test types: a word several briefings hold.
const QUERY: &str = "treaty";

#[test]
fn issue_12_every_reader_gets_an_accessible_page_on_any_screen_and_paper() {
    let axe = axe_source();
    let (chromium, chromedriver) = chromium::browser();

    let site = example_site();
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the site");
    let base = format!(
        "http://127.0.0.1:{}{SUB}",
        listener.local_addr().unwrap().port()
    );
    let run = common::briefly(site.path(), &["build", "--base-url", &base]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    let output = site.path().join("public");
    serve_files(listener, output.clone());

    let mut failures = weight(&output);

    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    fs::create_dir_all(&shots).expect("target/screenshots");

    let outcome = chromium::session(&chromium, &chromedriver, |client| {
        let (base, shots, axe) = (&base, &shots, &axe);
        async move {
            let browser = Browser {
                client: &client,
                base,
                shots,
            };
            browser.every_page(axe).await
        }
    });
    match outcome {
        Ok(found) => failures.extend(found),
        Err(e) => panic!("{e}"),
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) for readers (screenshots in {}):\n\n{}",
        failures.len(),
        shots.display(),
        failures.join("\n\n")
    );
}

/// The example site (the repository's own `site.yaml` and `content/`), with
/// the wide briefing added and pages of four briefings.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Four briefings a page, so the index and a tag page show pagination.
    let config = format!("{}\npaginate: 4\n", common::read(root.join("site.yaml")));
    fs::write(dir.path().join("site.yaml"), config).unwrap();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(root).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
    fs::write(
        dir.path().join("content/briefings/2024-12-05-wide.md"),
        WIDE,
    )
    .unwrap();
    dir
}

/// Every briefing page's HTML plus the CSS it links, in bytes as served
/// (uncompressed; images are not counted): each under `BUDGET`. Only a
/// page with highlighted code links the code colours.
fn weight(output: &Path) -> Vec<String> {
    let links = Selector::parse(r#"link[rel="stylesheet"]"#).unwrap();
    let mut failures = Vec::new();
    let mut heaviest = (0, String::new());
    let mut with_code = Vec::new();
    let briefings = output.join("briefings");
    for entry in fs::read_dir(&briefings).expect("briefings/ in the output") {
        let page = entry.unwrap().path().join("index.html");
        if !page.is_file() {
            continue;
        }
        let html = common::read(&page);
        let mut total = html.len();
        let mut parts = vec![format!("HTML {}", html.len())];
        for link in Html::parse_document(&html).select(&links) {
            let href = link.attr("href").unwrap();
            let path = href
                .split(SUB)
                .nth(1)
                .expect("a stylesheet under the sub-path");
            let bytes = fs::read(output.join(path)).unwrap_or_else(|e| panic!("{href}: {e}"));
            total += bytes.len();
            parts.push(format!("{path} {}", bytes.len()));
        }
        let name = page.strip_prefix(output).unwrap().display().to_string();
        if parts.iter().any(|p| p.starts_with("highlight.css")) {
            with_code.push(name.clone());
        }
        if total >= BUDGET {
            failures.push(format!(
                "weight: {name} weighs {total} bytes with its CSS ({}), over {BUDGET}",
                parts.join(", ")
            ));
        }
        if total > heaviest.0 {
            heaviest = (total, format!("{name}: {}", parts.join(", ")));
        }
    }
    assert!(heaviest.0 > 0, "no briefing page was weighed");
    with_code.sort();
    assert_eq!(
        with_code,
        [
            "briefings/indo-pacific-ripples/index.html",
            "briefings/wide/index.html"
        ],
        "the pages that link highlight.css"
    );
    eprintln!(
        "heaviest briefing page: {} bytes ({})",
        heaviest.0, heaviest.1
    );
    failures
}

/// One axe finding, as the test prints it.
#[derive(Debug, Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    nodes: Vec<String>,
}

/// Light or dark.
#[derive(Clone, Copy, PartialEq)]
enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

struct Browser<'a> {
    client: &'a Client,
    base: &'a str,
    shots: &'a Path,
}

impl Browser<'_> {
    /// Every page kind, every scheme and width, and print: the problems found.
    async fn every_page(&self, axe: &str) -> Result<Vec<String>, String> {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": axe }),
        )
        .await?;
        let mut failures = Vec::new();
        for &(kind, path) in PAGES {
            let url = format!("{}{path}", self.base);
            for scheme in [Scheme::Light, Scheme::Dark] {
                for width in [DESKTOP, PHONE] {
                    failures.extend(self.look(kind, &url, scheme, width).await?);
                }
            }
            failures.extend(self.print(kind, &url).await?);
        }
        Ok(failures)
    }

    /// One page at one width in one scheme: axe, sideways scrolling, and a
    /// screenshot.
    async fn look(
        &self,
        kind: &str,
        url: &str,
        scheme: Scheme,
        width: u32,
    ) -> Result<Vec<String>, String> {
        let media = json!({
            "media": "",
            "features": [{ "name": "prefers-color-scheme", "value": scheme.name() }]
        });
        self.cdp("Emulation.setEmulatedMedia", media).await?;
        self.metrics(width, 800).await?;
        self.open(url).await?;
        if kind == "search" {
            self.search(QUERY).await?;
        }
        let at = format!("{kind} ({url}), {}, {width} px", scheme.name());
        let dark = self
            .run("return matchMedia('(prefers-color-scheme: dark)').matches;")
            .await?;
        if dark != json!(scheme == Scheme::Dark) {
            return Err(format!("{at}: the colour scheme was not emulated"));
        }
        let mut failures = Vec::new();
        failures.extend(self.axe(&at).await?);
        if width == PHONE {
            failures.extend(self.sideways(&at).await?);
        }
        self.screenshot(&format!(
            "{kind}-{}-{}.png",
            if width == PHONE { "phone" } else { "desktop" },
            scheme.name()
        ))
        .await?;
        Ok(failures)
    }

    /// axe-core on the open page: each violation with its nodes and help.
    async fn axe(&self, at: &str) -> Result<Vec<String>, String> {
        let script = r#"var done = arguments[arguments.length - 1];
if (!window.axe) { done({ error: "axe is not loaded in the page" }); return; }
axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
  done(r.violations.map(function (v) {
    return { id: v.id, impact: v.impact, help: v.help + " (" + v.helpUrl + ")",
      nodes: v.nodes.map(function (n) { return n.target.join(" ") + ": " + n.failureSummary; }) };
  }));
}, function (e) { done({ error: String(e) }); });"#;
        let found = bounded("running axe", self.client.execute_async(script, vec![])).await?;
        if let Some(error) = found.get("error") {
            return Err(format!("{at}: axe failed: {error}"));
        }
        let violations: Vec<Violation> =
            serde_json::from_value(found).map_err(|e| format!("{at}: axe's answer: {e}"))?;
        Ok(violations
            .into_iter()
            .map(|v| {
                format!(
                    "axe on {at}: {} ({}): {}\n  {}",
                    v.id,
                    v.impact.unwrap_or_default(),
                    v.help,
                    v.nodes.join("\n  ")
                )
            })
            .collect())
    }

    /// The page is no wider than the screen; if it is, the deepest elements
    /// that stick out (not those inside a box that scrolls or clips them).
    async fn sideways(&self, at: &str) -> Result<Vec<String>, String> {
        let script = r#"var root = document.documentElement, w = root.clientWidth;
if (root.scrollWidth <= w) return null;
var out = [];
var clipped = function (e) {
  for (var p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== "visible") return true;
  }
  return false;
};
document.querySelectorAll("body *").forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.right > w + 0.5 && !clipped(e) && !Array.from(e.children).some(function (c) { return c.getBoundingClientRect().right > w + 0.5; })) {
    out.push(e.tagName.toLowerCase() + (e.className ? "." + String(e.className).replace(/ /g, ".") : "") + " right edge " + Math.round(r.right));
  }
});
return { scroll: root.scrollWidth, client: w, wide: out.slice(0, 10) };"#;
        let wide = self.run(script).await?;
        if wide.is_null() {
            return Ok(Vec::new());
        }
        Ok(vec![format!(
            "sideways scrolling on {at}: the page is {} px wide in a {} px screen; sticking out: {}",
            wide["scroll"], wide["client"], wide["wide"]
        )])
    }

    /// Printed: navigation chrome is not shown, and every external link in
    /// the page's main part prints its URL after it.
    async fn print(&self, kind: &str, url: &str) -> Result<Vec<String>, String> {
        // Opened (and searched) on screen, then printed, as a reader does.
        let media = |media: &str| json!({ "media": media, "features": [] });
        self.cdp("Emulation.setEmulatedMedia", media("")).await?;
        self.metrics(DESKTOP, 800).await?;
        self.open(url).await?;
        if kind == "search" {
            self.search(QUERY).await?;
        }
        self.cdp("Emulation.setEmulatedMedia", media("print"))
            .await?;
        let script = r#"var shown = function (e) { return e.getClientRects().length > 0; };
var chrome = Array.from(document.querySelectorAll("nav, form, [role=search], button, input, .skip-link, .site-search, .search-results, .tag-links"))
  .filter(shown).map(function (e) { return e.outerHTML.slice(0, 120); });
var links = Array.from(document.querySelectorAll("main a[href^='http']")).filter(shown);
var unprinted = links.filter(function (a) {
  return getComputedStyle(a, "::after").content.indexOf(a.getAttribute("href")) < 0;
}).map(function (a) { return a.outerHTML.slice(0, 160); });
return { chrome: chrome, links: links.length, unprinted: unprinted };"#;
        let printed = self.run(script).await?;
        let at = format!("{kind} ({url}) printed");
        let mut failures = Vec::new();
        if printed["chrome"].as_array().is_none_or(|c| !c.is_empty()) {
            failures.push(format!(
                "{at}: navigation chrome is shown: {}",
                printed["chrome"]
            ));
        }
        if printed["unprinted"]
            .as_array()
            .is_none_or(|u| !u.is_empty())
        {
            failures.push(format!(
                "{at}: links without their URL: {}",
                printed["unprinted"]
            ));
        }
        if kind.starts_with("briefing") && printed["links"].as_u64().unwrap_or(0) == 0 {
            failures.push(format!("{at}: no external link to check"));
        }
        Ok(failures)
    }

    /// A screenshot of the whole page (the viewport made as tall as the
    /// page, up to 6,000 px).
    async fn screenshot(&self, name: &str) -> Result<(), String> {
        let size = self
            .run("return [document.documentElement.clientWidth, document.documentElement.scrollHeight];")
            .await?;
        let width = size[0].as_u64().unwrap_or(u64::from(DESKTOP)) as u32;
        let height = size[1].as_u64().unwrap_or(800).clamp(400, 6000) as u32;
        self.metrics(width.max(PHONE), height).await?;
        let png = bounded("taking a screenshot", self.client.screenshot()).await?;
        fs::write(self.shots.join(name), png).map_err(|e| format!("{name}: {e}"))
    }

    /// The viewport's size, as a phone (touch, meta viewport) below desktop width.
    async fn metrics(&self, width: u32, height: u32) -> Result<(), String> {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < DESKTOP }),
        )
        .await
    }

    /// Opens `url`, which must answer 200, with nothing fetched from
    /// another host.
    async fn open(&self, url: &str) -> Result<(), String> {
        bounded(&format!("opening {url}"), self.client.goto(url)).await?;
        let script = r#"return performance.getEntriesByType("navigation")[0].responseStatus;"#;
        let status = self.run(script).await?;
        if status != json!(200) {
            return Err(format!("{url} answered {status}"));
        }
        let elsewhere = chromium::fetched_elsewhere(self.client).await?;
        if !elsewhere.is_empty() {
            return Err(format!("{url} fetched from other hosts: {elsewhere:?}"));
        }
        Ok(())
    }

    async fn run(&self, script: &str) -> Result<Value, String> {
        bounded("running a script", self.client.execute(script, vec![])).await
    }

    async fn cdp(&self, cmd: &'static str, params: Value) -> Result<(), String> {
        chromium::cdp(self.client, cmd, params).await.map(drop)
    }

    /// Types `query` into the search box, as a reader does, and waits
    /// until the results show hits.
    async fn search(&self, query: &str) -> Result<(), String> {
        let input = bounded(
            "finding the search box",
            self.client.find(Locator::Css("#search-box")),
        )
        .await?;
        bounded("typing", input.send_keys(query)).await?;
        let hits = "var r = document.getElementById('search-results');
return r && !r.hidden ? document.querySelectorAll('.search-hits li').length : 0;";
        let start = Instant::now();
        loop {
            if self.run(hits).await?.as_u64().unwrap_or(0) > 0 {
                return Ok(());
            }
            if start.elapsed() > STEP {
                return Err(format!("no search results for {query:?} within {STEP:?}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// axe-core's script, from `BRIEFLY_AXE` or `target/axe/axe.min.js`; the
/// test fails, saying how to get it, when it is missing.
fn axe_source() -> String {
    let path = std::env::var_os("BRIEFLY_AXE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/axe/axe.min.js"),
        PathBuf::from,
    );
    let source = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core is needed: {}: {e}; {AXE_HOW}", path.display()));
    assert!(
        source.lines().next() == Some(&format!("/*! axe v{AXE_VERSION}")),
        "{} is not axe-core {AXE_VERSION}; {AXE_HOW}",
        path.display()
    );
    source
}

/// Serves the files under `root` at `SUB` on `listener`, as a static host
/// does (an `index.html` for a folder), for as long as the test runs.
fn serve_files(listener: TcpListener, root: PathBuf) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
}

/// One request, then the connection closes.
fn answer(mut stream: TcpStream, root: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap();
    let file = path
        .strip_prefix(SUB)
        .filter(|p| !p.split('/').any(|s| s == ".."))
        .map(|p| {
            let file = root.join(p);
            if file.is_dir() {
                file.join("index.html")
            } else {
                file
            }
        });
    let (status, kind, body) = match file.and_then(|f| fs::read(&f).ok().map(|b| (f, b))) {
        Some((file, body)) => (
            "200 OK",
            mime_guess::from_path(&file)
                .first_or_octet_stream()
                .to_string(),
            body,
        ),
        None => (
            "404 Not Found",
            "text/plain".to_string(),
            b"not found".to_vec(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}
