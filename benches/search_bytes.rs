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

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde::Deserialize;
use serde_json::{Value, json};

/// A word one briefing's body holds, common place names, a word in every
/// briefing (listed in full), a prefix, the one word listed partially.
const QUERIES: &str = "agencyrecord|kazan|sanctions kazan|and|pyong|the";
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

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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
    let path = |var: &str, default: &str| {
        std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
    };
    let chromium = path("BRIEFLY_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = path("BRIEFLY_CHROMEDRIVER", "/usr/bin/chromedriver");
    let queries = std::env::var("QUERIES").unwrap_or_else(|_| QUERIES.to_string());

    let (serve, home) = start(
        Command::new(&binary)
            .args(["serve", "--port", "0", "--root"])
            .arg(&corpus),
        |line| {
            let at = line.find("http://127.0.0.1:")?;
            let url = line[at..].split_whitespace().next()?;
            line.starts_with("Serving ").then(|| url.to_string())
        },
    );
    let (driver, port) = start(Command::new(&chromedriver).arg("--port=0"), |line| {
        let rest = line.split("started successfully on port ").nth(1)?;
        rest.trim_end_matches(['.', ' ']).parse::<u16>().ok()
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let profile = tempfile::tempdir().expect("temp dir");
    runtime.block_on(async {
        let client = connect(&chromium, &profile.path().display().to_string(), port).await;
        println!(
            "corpus: {}; briefly: {}",
            corpus.display(),
            binary.display()
        );
        println!();
        println!("| query | hits | files fetched | search.js bytes | index bytes | total bytes |");
        println!("|---|---:|---:|---:|---:|---:|");
        for query in queries.split('|') {
            let seen = measure(&client, &home, query).await;
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
        let _ = client.close().await;
    });
    drop((serve, driver));
}

/// Types `query` into the box of a freshly loaded home page, with nothing
/// cached, and waits for its hits.
async fn measure(client: &Client, home: &str, query: &str) -> Seen {
    cdp(client, "Network.enable", json!({})).await;
    cdp(client, "Network.clearBrowserCache", json!({})).await;
    client.goto(home).await.expect("the home page opens");
    let input = client
        .wait()
        .for_element(Locator::Css("#search-box"))
        .await
        .expect("the search box");
    input.send_keys(query).await.expect("typing");
    let start = Instant::now();
    loop {
        let value = client
            .execute(READ, vec![])
            .await
            .expect("reading the page");
        let seen: Seen = serde_json::from_value(value).expect("the page's state");
        if seen.status.ends_with("found.") || seen.status.starts_with("No briefing") {
            return seen;
        }
        assert!(
            start.elapsed() < WAIT,
            "no answer to `{query}`: {}",
            seen.status
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn connect(chromium: &std::path::Path, profile: &str, port: u16) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        &format!("--user-data-dir={profile}"),
    ];
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        json!({ "binary": chromium, "args": args }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session")
}

/// A Chrome DevTools Protocol command through chromedriver.
async fn cdp(client: &Client, cmd: &'static str, params: Value) {
    client
        .issue_cmd(Cdp { cmd, params })
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
}

#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Starts a process and waits (up to `WAIT`) for the output line `pick`
/// accepts; the process is killed when the guard is dropped.
fn start<T>(command: &mut Command, pick: impl Fn(&str) -> Option<T>) -> (Killed, T) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the process starts");
    let (tx, rx) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let guard = Killed(child);
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .expect("the process said where it listens");
        if let Some(found) = pick(&line) {
            return (guard, found);
        }
    }
}
