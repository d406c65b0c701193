//! `briefly serve` in a real browser (issue #3): headless Chromium, driven
//! through chromedriver with fantoccini, opens a served briefing; the test
//! edits the Markdown and the open page, never navigated or refreshed by the
//! test, shows the new text by itself. Then a broken front matter shows the
//! error overlay over the last good page, and fixing it removes the overlay.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian:
//! `apt-get install -y chromium chromium-driver`), or other paths in
//! `BRIEFLY_CHROMIUM` and `BRIEFLY_CHROMEDRIVER`. Without them the test says
//! so and passes, except under `CI`, where it fails.

#[path = "common/chromium.rs"]
mod chromium;
mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use chromium::{Cdp, bounded};
use fantoccini::Client;
use fantoccini::elements::Element;
use serde::Deserialize;
use serde_json::json;

/// The briefing under test, and where the desk fixture serves it.
const SOURCE: &str = "content/briefings/2024-11-01-precedents.md";
const PAGE: &str = "briefings/precedents/";
/// Every wait for the page to change: polled, never slept through.
const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(100);

/// Runs in every document before the page's own scripts: keeps the
/// EventSources the page opens, so the test can wait until the live-reload
/// connection is open before it edits a file (an edit made earlier could
/// finish rebuilding before anyone listens). Otherwise transparent.
const TRACK_EVENT_SOURCES: &str = r#"(function(){
  var Native = window.EventSource;
  var opened = [];
  Object.defineProperty(window, "__brieflyTestSources", { value: opened });
  window.EventSource = class extends Native {
    constructor(url, init) { super(url, init); opened.push(this); }
  };
})();"#;

/// What the test reads from the open page at every poll.
const READ_PAGE: &str = r#"var overlay = document.getElementById("briefly-error");
var sources = window.__brieflyTestSources || [];
return {
  url: location.href,
  text: document.body ? document.body.innerText : "",
  overlay: overlay ? overlay.textContent : null,
  live: sources.some(function (s) { return s.readyState === 1 && s.url.indexOf("/__briefly/live") >= 0; }),
  same_document: window.__brieflyTestSameDocument === true
};"#;

#[derive(Debug, Deserialize)]
struct PageState {
    url: String,
    text: String,
    overlay: Option<String>,
    /// The page's live-reload EventSource is connected.
    live: bool,
    /// Still the document in which the test set its flag (no reload since).
    same_document: bool,
}

#[test]
fn an_open_page_reloads_by_itself_and_shows_build_errors() {
    let site = common::fixture("desk");
    let root = site.path();
    in_browser(root, |client, base| async move {
        check(
            base.ends_with("/watch/"),
            format!("serve does not keep the base_url's sub-path: {base}"),
        )?;
        drive(&client, root, &format!("{base}{PAGE}")).await
    });
}

/// The edits, and what the open page must show after each.
async fn drive(client: &Client, site: &Path, url: &str) -> Result<(), String> {
    let source = &site.join(SOURCE);
    let original = fs::read_to_string(source).map_err(|e| format!("{}: {e}", source.display()))?;
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let marker = format!("Marker {stamp} arrived without a refresh.");
    let recovered = format!("Recovery {stamp} removed the overlay.");

    bounded(
        "installing the EventSource tracker",
        client.issue_cmd(Cdp::new(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": TRACK_EVENT_SOURCES }),
        )),
    )
    .await?;
    bounded(&format!("opening {url}"), client.goto(url)).await?;
    let page = wait_for(client, "the page and its live-reload connection", |p| {
        p.live && p.text.contains("Dated by its file name.")
    })
    .await?;
    check(
        page.url == url,
        format!("the browser is at {} instead of {url}", page.url),
    )?;
    check(
        !page.text.contains(&marker),
        "the marker is on the page before the edit",
    )?;
    check(page.overlay.is_none(), "an error overlay before any error")?;
    mark_document(client).await?;

    // 1. A plain append, as an editor that writes in place.
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(source)
        .map_err(|e| format!("{}: {e}", source.display()))?;
    file.write_all(format!("\n{marker}\n").as_bytes())
        .map_err(|e| format!("{}: {e}", source.display()))?;
    drop(file);
    let page = wait_for(client, "the marker in the open page", |p| {
        p.text.contains(&marker)
    })
    .await?;
    check(
        !page.same_document,
        "the text changed but the page did not reload",
    )?;
    check(page.url == url, format!("the page moved to {}", page.url))?;
    check(page.overlay.is_none(), "an error overlay after a good edit")?;

    // 2. A broken front matter: the overlay names the file (and a line), over
    // the last good page.
    wait_for(client, "the reloaded page's live-reload connection", |p| {
        p.live
    })
    .await?;
    fs::write(source, "---\ntitle: [broken\n---\n")
        .map_err(|e| format!("{}: {e}", source.display()))?;
    let name = Path::new(SOURCE).file_name().unwrap().to_str().unwrap();
    let page = wait_for(client, "the error overlay naming the file and line", |p| {
        p.overlay
            .as_deref()
            .is_some_and(|o| names_file_and_line(o, name))
    })
    .await?;
    check(
        page.text.contains(&marker),
        "the last good version is not shown under the overlay",
    )?;

    // 3. Valid content again, saved the way many editors do (a temporary
    // file renamed over the original): the overlay goes, the new text shows.
    wait_for(
        client,
        "the live-reload connection while the error stands",
        |p| p.live,
    )
    .await?;
    let temporary = site.join("precedents.md.tmp");
    fs::write(&temporary, format!("{original}\n{recovered}\n"))
        .and_then(|()| fs::rename(&temporary, source))
        .map_err(|e| format!("{}: {e}", source.display()))?;
    let page = wait_for(client, "the overlay gone and the fixed text shown", |p| {
        p.overlay.is_none() && p.text.contains(&recovered)
    })
    .await?;
    check(page.url == url, format!("the page moved to {}", page.url))?;
    check(
        !page.text.contains(&marker),
        "the page still shows the previous version's marker",
    )?;
    Ok(())
}

/// True when `overlay` holds `file:LINE`.
fn names_file_and_line(overlay: &str, file: &str) -> bool {
    overlay.match_indices(file).any(|(at, _)| {
        let rest = &overlay[at + file.len()..];
        rest.strip_prefix(':')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// Sets a flag in the current document: a reload clears it.
async fn mark_document(client: &Client) -> Result<(), String> {
    bounded(
        "marking the document",
        client.execute("window.__brieflyTestSameDocument = true;", vec![]),
    )
    .await
    .map(drop)
}

/// Polls the open page until `done` holds, for at most `WAIT`.
async fn wait_for(
    client: &Client,
    what: &str,
    done: impl Fn(&PageState) -> bool,
) -> Result<PageState, String> {
    let start = Instant::now();
    let mut last;
    loop {
        // A read can fail while the page reloads; the next poll sees the new one.
        match bounded("reading the page", client.execute(READ_PAGE, vec![])).await {
            Ok(value) => match serde_json::from_value::<PageState>(value) {
                Ok(page) if done(&page) => return Ok(page),
                Ok(page) => last = format!("{page:#?}"),
                Err(e) => last = format!("unreadable page state: {e}"),
            },
            Err(e) => last = e,
        }
        if start.elapsed() >= WAIT {
            return Err(format!("waited {WAIT:?} for {what}; last seen: {last}"));
        }
        tokio::time::sleep(POLL).await;
    }
}

fn check(ok: bool, message: impl Into<String>) -> Result<(), String> {
    if ok { Ok(()) } else { Err(message.into()) }
}

/// A word that only the body of the treaty briefing holds (added by the
/// search test).
const BODY_WORD: &str = "Quillonbury";

/// What the search test reads from the page.
const READ_SEARCH: &str = r#"var hits = Array.from(document.querySelectorAll(".search-hits li")).map(function (li) {
  var a = li.querySelector("a"), t = li.querySelector("time"), p = li.querySelector("p");
  return { title: a.textContent, href: a.getAttribute("href"), date: t.textContent,
           datetime: t.getAttribute("datetime"), summary: p.textContent };
});
return {
  status: (document.querySelector(".search-status") || {}).textContent || "",
  hits: hits,
  index_bytes: performance.getEntriesByType("resource")
    .filter(function (e) { return e.name.indexOf("/search") >= 0; })
    .reduce(function (n, e) { return n + e.encodedBodySize; }, 0)
};"#;

#[derive(Debug, Deserialize)]
struct SearchState {
    status: String,
    hits: Vec<Hit>,
    index_bytes: u64,
}

#[derive(Debug, Deserialize)]
struct Hit {
    title: String,
    href: String,
    date: String,
    datetime: String,
    summary: String,
}

/// Issue 12, item 1: the search box, in a browser, on a site served under a
/// sub-path (`/watch/`): a word only a briefing's body holds finds it, the
/// hit shows its date and summary, and nothing is fetched from another
/// host. With JavaScript off, the box's place holds links to the tags and
/// the timeline.
#[test]
fn issue_12_search_finds_a_body_word_on_the_site_alone() {
    let site = common::fixture("desk");
    let treaty = site.path().join("content/briefings/2024-06-20-treaty.md");
    let text = fs::read_to_string(&treaty).unwrap();
    fs::write(
        &treaty,
        format!("{text}\nThe clause was drafted in {BODY_WORD}.\n"),
    )
    .unwrap();
    // A newer briefing with `treaty` in its body alone: by date it would
    // come first.
    let precedents = site
        .path()
        .join("content/briefings/2024-11-01-precedents.md");
    let text = fs::read_to_string(&precedents).unwrap();
    fs::write(
        &precedents,
        format!("{text}\nA treaty of 1961 is the precedent.\n"),
    )
    .unwrap();
    in_browser(site.path(), |client, base| async move {
        bounded(&format!("opening {base}"), client.goto(&base)).await?;
        let box_shown = "return !document.querySelector('.search-form').hidden \
                         && document.querySelector('.search-fallback').hidden;";
        let shown = bounded("reading the page", client.execute(box_shown, vec![])).await?;
        check(
            shown == json!(true),
            "the search box is not shown with JavaScript on",
        )?;
        let input = search_box(&client).await?;
        // Typed as a reader would, a letter at a time, in lower case.
        bounded("typing", input.send_keys(&BODY_WORD.to_lowercase())).await?;
        let found = wait_until(&client, "the briefing among the hits", |s: &SearchState| {
            s.hits.iter().any(|h| h.title == "Treaty signed")
        })
        .await?;
        let hit = found
            .hits
            .iter()
            .find(|h| h.title == "Treaty signed")
            .unwrap();
        check(
            hit.href == "/watch/briefings/treaty/",
            format!("the hit links to {}", hit.href),
        )?;
        check(
            hit.date == "20 June 2024" && hit.datetime == "2024-06-20",
            format!("the hit's date: {hit:?}"),
        )?;
        check(
            hit.summary == "The treaty has a mutual-defence clause.",
            format!("the hit's summary: {hit:?}"),
        )?;
        check(
            found.hits.len() == 1,
            format!("one hit expected: {:?}", found.hits),
        )?;
        check(
            found.status == "1 briefing found.",
            format!("status: {}", found.status),
        )?;
        let elsewhere = chromium::fetched_elsewhere(&client).await?;
        check(
            elsewhere.is_empty(),
            format!("requests left the site's host: {elsewhere:?}"),
        )?;
        eprintln!(
            "search: {} bytes of script and index fetched",
            found.index_bytes
        );

        // A title word ranks its briefing before a newer one that has the
        // word only in its body.
        let ranked = search(
            &client,
            &input,
            "treaty",
            "two hits for `treaty`",
            |s: &SearchState| s.hits.len() == 2,
        )
        .await?;
        let order: Vec<&str> = ranked.hits.iter().map(|h| h.href.as_str()).collect();
        check(
            order == ["/watch/briefings/treaty/", "/watch/briefings/precedents/"],
            format!("the title match is not first: {order:?}"),
        )?;

        // JavaScript off: links to the tags and the timeline instead.
        bounded(
            "turning JavaScript off",
            client.issue_cmd(Cdp::new(
                "Emulation.setScriptExecutionDisabled",
                json!({ "value": true }),
            )),
        )
        .await?;
        bounded("reloading", client.refresh()).await?;
        let fallback = bounded(
            "finding the links in the box's place",
            client.find_all(fantoccini::Locator::Css(".search-fallback a")),
        )
        .await?;
        let mut targets = Vec::new();
        for link in fallback {
            let shown = bounded("reading a link", link.is_displayed()).await?;
            let href = bounded("reading a link", link.attr("href")).await?;
            targets.push((href.unwrap_or_default(), shown));
        }
        check(
            targets
                == [
                    ("/watch/tags/".to_string(), true),
                    ("/watch/timeline/".to_string(), true),
                ],
            format!("without JavaScript, the links are {targets:?}"),
        )?;
        let form = bounded(
            "finding the search form",
            client.find(fantoccini::Locator::Css(".search-form")),
        )
        .await?;
        let hidden = !bounded("reading the form", form.is_displayed()).await?;
        check(
            hidden,
            "without JavaScript the search box shows, doing nothing",
        )
    });
}

/// The search box of the open page.
async fn search_box(client: &Client) -> Result<Element, String> {
    bounded(
        "finding the search box",
        client.find(fantoccini::Locator::Css("#search-box")),
    )
    .await
}

/// Empties the search box `input`, types `query` into it as a reader does,
/// and waits (as `wait_until`) for `done`.
async fn search(
    client: &Client,
    input: &Element,
    query: &str,
    what: &str,
    done: impl Fn(&SearchState) -> bool,
) -> Result<SearchState, String> {
    let clear = "var i = document.querySelector('#search-box'); i.value = ''; \
                 i.dispatchEvent(new Event('input'));";
    bounded("clearing the box", client.execute(clear, vec![])).await?;
    bounded("typing", input.send_keys(query)).await?;
    wait_until(client, what, done).await
}

/// Polls the search state until `done` holds, for at most `WAIT`.
async fn wait_until(
    client: &Client,
    what: &str,
    done: impl Fn(&SearchState) -> bool,
) -> Result<SearchState, String> {
    let start = Instant::now();
    loop {
        let value = bounded("reading the page", client.execute(READ_SEARCH, vec![])).await?;
        let state: SearchState =
            serde_json::from_value(value).map_err(|e| format!("unreadable state: {e}"))?;
        if done(&state) {
            return Ok(state);
        }
        if start.elapsed() >= WAIT {
            return Err(format!("waited {WAIT:?} for {what}; last seen: {state:#?}"));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Serves `site` with `briefly serve`, opens a headless Chromium session
/// and runs `drive` with it and the site's root URL; panics with both
/// processes' output when `drive` fails.
fn in_browser<F, Fut>(site: &Path, drive: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let Some((chromium, chromedriver)) = chromium::browser_or_skip() else {
        return;
    };
    let (serve, base) = chromium::serve(Path::new(env!("CARGO_BIN_EXE_briefly")), site);
    let outcome = chromium::session(&chromium, &chromedriver, |client| drive(client, base));
    if let Err(e) = outcome {
        panic!("{e}\n--- briefly serve printed:\n{}", serve.output());
    }
}

/// Issue 12, item 2: the timeline's tag filter, in a browser, under a
/// sub-path (`/watch/`): following the `history` filter from the main
/// timeline leads to that tag's timeline, which shows the one briefing
/// tagged `history` and no entry from the others, and marks its own link
/// as the current filter; `All` leads back.
#[test]
fn issue_12_the_timeline_filters_by_tag() {
    let site = common::fixture("desk");
    in_browser(site.path(), |client, base| async move {
        let timeline = format!("{base}timeline/");
        bounded(&format!("opening {timeline}"), client.goto(&timeline)).await?;
        let all = timeline_entries(&client).await?;
        check(
            all.iter().any(|h| h.ends_with("/watch/briefings/treaty/")),
            format!("the whole timeline lacks the treaty: {all:?}"),
        )?;
        let url = follow_filter(&client, "history").await?;
        check(
            url.path() == "/watch/tags/history/timeline/",
            format!("the filter led to {url}"),
        )?;
        let shown = timeline_entries(&client).await?;
        check(
            !shown.is_empty()
                && shown
                    .iter()
                    .all(|h| h.ends_with("/watch/briefings/precedents/")),
            format!("the `history` timeline shows {shown:?}"),
        )?;
        let current = "return Array.from(document.querySelectorAll('.tl-filter a[aria-current]')) \
                       .map(a => a.textContent.trim());";
        let current = bounded("reading the filter", client.execute(current, vec![])).await?;
        check(
            current == json!(["history"]),
            format!("the current filter is {current}"),
        )?;
        let url = follow_filter(&client, "All").await?;
        check(
            url.path() == "/watch/timeline/",
            format!("`All` led to {url}"),
        )
    });
}

/// The briefing each entry of the open timeline links to (its `from`
/// link, else its title's).
async fn timeline_entries(client: &Client) -> Result<Vec<String>, String> {
    let entries = "return Array.from(document.querySelectorAll('.tl-entry')) \
                   .map(e => (e.querySelector('.tl-from a') || e.querySelector('.tl-title a') || {}).href || '');";
    let found = bounded("reading the entries", client.execute(entries, vec![])).await?;
    serde_json::from_value(found).map_err(|e| e.to_string())
}

/// Follows the timeline's filter link named `name`: the URL it leads to.
async fn follow_filter(client: &Client, name: &str) -> Result<url::Url, String> {
    let xpath = format!("//nav[contains(@class,'tl-filter')]//a[normalize-space()='{name}']");
    let link = bounded(
        &format!("finding the `{name}` filter"),
        client.find(fantoccini::Locator::XPath(&xpath)),
    )
    .await?;
    bounded(&format!("following `{name}`"), link.click()).await?;
    bounded("reading the URL", client.current_url()).await
}

/// Issue 12, item 1, as the README's Search section words it: matching is
/// by whole words, lower-cased and without accents (`sao paulo` finds
/// `São Paulo`), a word of 4 letters or more also finds the words it
/// starts (`pyong` finds `Pyongyang`, `sanction` finds `sanctions`), and
/// there is no stemming (`sanctioned` does not find `sanctions`).
#[test]
fn issue_12_search_folds_accents_finds_prefixes_and_does_not_stem() {
    let site = common::fixture("desk");
    let treaty = site.path().join("content/briefings/2024-06-20-treaty.md");
    let text = fs::read_to_string(&treaty).unwrap();
    fs::write(
        &treaty,
        format!("{text}\nThe envoy flew from São Paulo to Pyongyang; sanctions followed.\n"),
    )
    .unwrap();
    in_browser(site.path(), |client, base| async move {
        bounded(&format!("opening {base}"), client.goto(&base)).await?;
        let input = search_box(&client).await?;
        for query in ["sao paulo", "SÃO", "pyong", "sanction"] {
            let found = search(
                &client,
                &input,
                query,
                &format!("`{query}` to find the treaty"),
                |s| s.status == "1 briefing found.",
            )
            .await?;
            check(
                found.hits.len() == 1 && found.hits[0].href == "/watch/briefings/treaty/",
                format!("`{query}` found {:?}", found.hits),
            )?;
        }
        // Neither a stem nor a 3-letter prefix finds anything.
        for query in ["sanctioned", "pyo"] {
            let found = search(
                &client,
                &input,
                query,
                &format!("`{query}` to find nothing"),
                |s| s.status == "No briefing matches.",
            )
            .await?;
            check(
                found.hits.is_empty(),
                format!("`{query}` found {:?}", found.hits),
            )?;
        }
        Ok(())
    });
}

/// Issue 13, item 4: the search box speaks the site's language in the
/// browser, with the language's plural forms (Russian: one, few, many)
/// and its dates, from the words the page gives the script.
#[test]
fn issue_13_the_search_box_speaks_the_site_language() {
    let site = common::fixture("languages");
    let root = site.path();
    let config = fs::read_to_string(root.join("site.yaml")).unwrap();
    fs::write(
        root.join("site.yaml"),
        config.replace("language: fr-CA", "language: ru"),
    )
    .unwrap();
    // The dates page asks for French words by name.
    fs::remove_file(root.join("content/pages/dates.md")).unwrap();
    for file in ["2024-11-06-election.md", "2024-08-15-accord.md"] {
        let path = root.join("content/briefings").join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}\nBruxelles suit.\n")).unwrap();
    }
    in_browser(root, |client, base| async move {
        bounded(&format!("opening {base}"), client.goto(&base)).await?;
        let input = search_box(&client).await?;
        for (query, status) in [
            ("scrutin", "Найден 1 брифинг."),
            ("bruxelles", "Найдено 2 брифинга."),
            ("zzzz", "Ничего не найдено."),
        ] {
            let found = search(
                &client,
                &input,
                query,
                &format!("`{query}`: {status}"),
                |s| s.status == status,
            )
            .await?;
            if query == "scrutin" {
                check(
                    found.hits.len() == 1 && found.hits[0].date == "6 ноября 2024",
                    format!("the hit's date: {:?}", found.hits),
                )?;
            }
        }
        Ok(())
    });
}

/// Sets `Date.now()` from the page's `?now=<ms>` query before any of its
/// scripts run: the reader's clock, as the test wants it.
const FAKE_CLOCK: &str = r#"(function(){
  var m = location.search.match(/[?&]now=(\d+)/);
  if (m) { var t = +m[1]; Date.now = function () { return t; }; }
})();"#;

/// Issue 14, item 4: with `stale_after_days: 30`, a briefing last updated
/// on 6 November 2024 shows its freshness notice on a reader's clock of 7
/// December 2024, not of 5 December (and the page itself is the same).
#[test]
fn issue_14_the_freshness_notice_shows_past_the_threshold() {
    let site = common::fixture("craft");
    in_browser(site.path(), |client, base| async move {
        bounded(
            "installing the clock",
            client.issue_cmd(Cdp::new(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": FAKE_CLOCK }),
            )),
        )
        .await?;
        let shown = "var n = document.querySelector('.stale-notice'); \
                     return n && !n.hidden && n.offsetParent !== null ? n.innerText : null;";
        // Noon UTC (in milliseconds), the same day in any time zone.
        let notice = "Last updated 6 November 2024 — events may have moved on";
        for (day, now, expected) in [
            (5, 1733400000000_u64, None),
            (7, 1733572800000, Some(notice)),
        ] {
            let url = format!("{base}briefings/revised/?now={now}");
            bounded(&format!("opening {url}"), client.goto(&url)).await?;
            let text = bounded("reading the notice", client.execute(shown, vec![])).await?;
            let text: Option<String> = serde_json::from_value(text).map_err(|e| e.to_string())?;
            check(
                text.as_deref() == expected,
                format!("on 2024-12-{day:02} the notice is {text:?}"),
            )?;
        }
        Ok(())
    });
}
