//! What a first search query downloads (issue 12, item 1: at most 150 KB),
//! measured in a real browser: `briefly serve` on a corpus, headless
//! Chromium through chromedriver, and for each query a cold cache, the
//! home page, the query typed into the box, and the sum of the resource
//! timing entries' `encodedBodySize` for `search.js` and `search-index/`
//! (`serve` does not compress, so this is the files' own size). Not a test:
//! it prints a table.
//!
//!     cargo build --release
//!     BRIEFLY_CORPUS=target/bench/corpus/briefing-10000 cargo bench --bench search_bytes
//!
//! Environment: `QUERIES` (`|`-separated; the default suits gen_corpus.py's
//! corpora), `BRIEFLY_BIN`, `BRIEFLY_CHROMIUM`, `BRIEFLY_CHROMEDRIVER`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde::Deserialize;
use serde_json::json;

#[path = "../tests/common/chromium.rs"]
mod chromium;

use chromium::bounded;

/// A word one briefing's body holds, common place names, a word in every
/// briefing (listed in full), a prefix, the one word listed partially.
const QUERIES: &str = "agencyrecord|kazan|sanctions kazan|and|pyong|the";
/// How long a query may take to show its answer.
const WAIT: Duration = Duration::from_secs(60);

const READ: &str = r#"var status = document.querySelector(".search-status").textContent;
var entries = performance.getEntriesByType("resource").filter(function (e) {
  return e.name.indexOf("/search") >= 0;
});
return {
  status: status,
  hits: document.querySelectorAll(".search-hits li").length,
  files: entries.map(function (e) { return [new URL(e.name).pathname, e.encodedBodySize]; })
};"#;

#[derive(Deserialize)]
struct Seen {
    status: String,
    hits: usize,
    files: Vec<(String, u64)>,
}

fn main() {
    let Some(corpus) = std::env::var_os("BRIEFLY_CORPUS").map(PathBuf::from) else {
        eprintln!("search_bytes: set BRIEFLY_CORPUS to a corpus folder; skipping");
        return;
    };
    let binary = std::env::var_os("BRIEFLY_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/briefly"),
        PathBuf::from,
    );
    let (chromium, chromedriver) = chromium::browser();
    let queries = std::env::var("QUERIES").unwrap_or_else(|_| QUERIES.to_string());

    let (serve, home) = chromium::serve(&binary, &corpus);
    let outcome = chromium::session(&chromium, &chromedriver, |client| async move {
        println!(
            "corpus: {}; briefly: {}",
            corpus.display(),
            binary.display()
        );
        println!();
        println!("| query | hits | files fetched | search.js bytes | index bytes | total bytes |");
        println!("|---|---:|---:|---:|---:|---:|");
        for query in queries.split('|') {
            let seen = measure(&client, &home, query).await?;
            let script: u64 = seen
                .files
                .iter()
                .filter(|f| f.0.ends_with("/search.js"))
                .map(|f| f.1)
                .sum();
            let index: u64 = seen
                .files
                .iter()
                .filter(|f| f.0.contains("/search-index/"))
                .map(|f| f.1)
                .sum();
            println!(
                "| `{query}` | {} | {} | {script} | {index} | {} |",
                seen.hits,
                seen.files.len(),
                script + index
            );
            for (file, bytes) in &seen.files {
                eprintln!("  {query}: {file} {bytes}");
            }
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}\n--- briefly serve printed:\n{}", serve.output());
    }
}

/// Types `query` into the box of a freshly loaded home page, with nothing
/// cached, and waits for its hits.
async fn measure(client: &Client, home: &str, query: &str) -> Result<Seen, String> {
    chromium::cdp(client, "Network.enable", json!({})).await?;
    chromium::cdp(client, "Network.clearBrowserCache", json!({})).await?;
    bounded("opening the home page", client.goto(home)).await?;
    let input = bounded(
        "finding the search box",
        client.wait().for_element(Locator::Css("#search-box")),
    )
    .await?;
    bounded("typing", input.send_keys(query)).await?;
    let start = Instant::now();
    loop {
        let value = bounded("reading the page", client.execute(READ, vec![])).await?;
        let seen: Seen =
            serde_json::from_value(value).map_err(|e| format!("the page's state: {e}"))?;
        if seen.status.ends_with("found.") || seen.status.starts_with("No briefing") {
            return Ok(seen);
        }
        if start.elapsed() >= WAIT {
            return Err(format!("no answer to `{query}`: {}", seen.status));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
