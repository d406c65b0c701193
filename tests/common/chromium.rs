//! Headless Chromium through chromedriver (fantoccini), as the browser
//! tests (`tests/browser.rs`, `tests/reader_a11y.rs`) and the
//! `search_bytes` bench drive it: finding the two programs, starting
//! `briefly serve` and chromedriver and reading where they listen, a
//! session on a Chromium that may reach nothing but 127.0.0.1, Chrome
//! DevTools Protocol commands, and what a page fetched from other hosts.
//! What each test checks in the page stays in the test.
//!
//! Included by path (`#[path = ".../common/chromium.rs"] mod chromium;`),
//! so only the programs that drive a browser compile it.

#![allow(dead_code)]

use std::fmt::Display;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// How to get the browser on Debian.
pub const INSTALL: &str = "apt-get install -y chromium chromium-driver";
/// The bound on any one step: starting a process, a WebDriver command.
pub const STEP: Duration = Duration::from_secs(60);

/// Chromium's and chromedriver's paths (`BRIEFLY_CHROMIUM`,
/// `BRIEFLY_CHROMEDRIVER`, by default under /usr/bin), or what is missing.
pub fn find() -> Result<(PathBuf, PathBuf), String> {
    let find = |var: &str, default: &str| {
        let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
        if path.is_file() {
            Ok(path)
        } else {
            Err(format!("{} not found (or set {var})", path.display()))
        }
    };
    Ok((
        find("BRIEFLY_CHROMIUM", "/usr/bin/chromium")?,
        find("BRIEFLY_CHROMEDRIVER", "/usr/bin/chromedriver")?,
    ))
}

/// Chromium's and chromedriver's paths; fails, saying how to get them,
/// when one is missing.
pub fn browser() -> (PathBuf, PathBuf) {
    find().unwrap_or_else(|missing| panic!("{missing}; {INSTALL}"))
}

/// Chromium's and chromedriver's paths, or None (after saying so) when one
/// is missing outside CI. Under CI a missing browser fails the test.
pub fn browser_or_skip() -> Option<(PathBuf, PathBuf)> {
    match find() {
        Ok(found) => Some(found),
        Err(missing) => {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            assert!(
                !ci,
                "CI is set and the browser test cannot run: {missing}; CI must `{INSTALL}`"
            );
            eprintln!("skipping browser test: {missing} ({INSTALL})");
            None
        }
    }
}

/// `briefly serve --port 0` (the `briefly` at `binary`) on `site`, and the
/// URL it says it serves the site at.
pub fn serve(binary: &Path, site: &Path) -> (Process, String) {
    let mut serve = Process::start(
        "briefly serve",
        Command::new(binary)
            .args(["serve", "--port", "0", "--root"])
            .arg(site),
        false,
    );
    let base = serve.wait_for_line(|line| {
        let at = line.find("http://127.0.0.1:")?;
        let url = line[at..].split_whitespace().next()?;
        line.starts_with("Serving ").then(|| url.to_string())
    });
    (serve, base)
}

/// Starts chromedriver and a headless Chromium session, runs `drive` with
/// it, and closes the session. A failure comes back with what chromedriver
/// printed.
pub fn session<T, F, Fut>(chromium: &Path, chromedriver: &Path, drive: F) -> Result<T, String>
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let profile = tempfile::tempdir().expect("temp dir for the browser profile");
    // In its own process group: chromedriver leaves Chromium running when it
    // is killed, so the guard kills the whole group.
    // With `--port=0` chromedriver takes a free IPv6 port and then exits
    // when that number is taken on IPv4 ("IPv4 port not available"): a
    // few more tries, each with another port.
    let (driver, port) = (0..5)
        .find_map(|_| {
            let mut driver = Process::start(
                "chromedriver",
                Command::new(chromedriver).arg("--port=0"),
                true,
            );
            let port = driver.try_wait_for_line(|line| {
                let rest = line.split("started successfully on port ").nth(1)?;
                rest.trim_end_matches(['.', ' ']).parse::<u16>().ok()
            })?;
            Some((driver, port))
        })
        .expect("chromedriver did not start in five tries (see its output above)");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let outcome = runtime.block_on(async {
        let client = bounded(
            "starting a Chromium session",
            connect(chromium, profile.path(), port),
        )
        .await?;
        let outcome = drive(client.clone()).await;
        // Ends the session, which quits Chromium; the guard kills what is left.
        let _ = bounded("closing the session", client.close()).await;
        outcome
    });
    outcome.map_err(|e| format!("{e}\n--- chromedriver printed:\n{}", driver.output()))
}

/// `fut`, given at most `STEP`.
pub async fn bounded<T, E: Display>(
    what: &str,
    fut: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(STEP, fut).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => Err(format!("{what}: no answer within {STEP:?}")),
    }
}

/// A WebDriver session on a fresh headless Chromium that may reach nothing
/// but 127.0.0.1 (so a request to another host fails the page, visibly).
async fn connect(chromium: &Path, profile: &Path, port: u16) -> Result<Client, String> {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--hide-scrollbars",
        // Host names resolve to nothing; the tests only use 127.0.0.1.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        &format!("--user-data-dir={}", profile.display()),
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
        .map_err(|e| e.to_string())
}

/// Sends the Chrome DevTools Protocol command `cmd`, bounded by `STEP`;
/// an error names the command.
pub async fn cdp(client: &Client, cmd: &'static str, params: Value) -> Result<Value, String> {
    bounded(cmd, client.issue_cmd(Cdp::new(cmd, params))).await
}

/// A Chrome DevTools Protocol command, through chromedriver's
/// `goog/cdp/execute` endpoint.
#[derive(Debug)]
pub struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl Cdp {
    pub fn new(cmd: &'static str, params: Value) -> Self {
        Cdp { cmd, params }
    }
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

/// Every URL the open page fetched (the page itself included, from the
/// browser's resource timing) from a host other than its own.
pub async fn fetched_elsewhere(client: &Client) -> Result<Vec<String>, String> {
    let script = r#"return performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
  .map(function (e) { return e.name; })
  .filter(function (n) { return new URL(n).host !== location.host; });"#;
    let found = bounded(
        "reading where the page's files came from",
        client.execute(script, vec![]),
    )
    .await?;
    serde_json::from_value(found).map_err(|e| format!("the page's resource timing: {e}"))
}

/// A child process whose output is kept, killed when dropped (also when the
/// test panics).
pub struct Process {
    name: &'static str,
    child: Child,
    /// Killed as a whole process group (the child leads it).
    group: bool,
    output: Arc<Mutex<String>>,
    lines: mpsc::Receiver<String>,
}

impl Process {
    pub fn start(name: &'static str, command: &mut Command, group: bool) -> Process {
        if group {
            command.process_group(0);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        for stream in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
            let (tx, output) = (tx.clone(), Arc::clone(&output));
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    output.lock().unwrap().push_str(&format!("{line}\n"));
                    let _ = tx.send(line);
                }
            });
        }
        Process {
            name,
            child,
            group,
            output,
            lines,
        }
    }

    /// Like `wait_for_line`, but None (with what it printed on stderr)
    /// when the process exits first.
    pub fn try_wait_for_line<T>(&mut self, pick: impl Fn(&str) -> Option<T>) -> Option<T> {
        let deadline = Instant::now() + STEP;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(found) = pick(&line) {
                        return Some(found);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    eprintln!("{} exited, having printed:\n{}", self.name, self.output());
                    return None;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!(
                        "{} did not print the expected line in {STEP:?}; it printed:\n{}",
                        self.name,
                        self.output()
                    )
                }
            }
        }
    }

    /// The first output line `pick` accepts, within `STEP`.
    pub fn wait_for_line<T>(&mut self, pick: impl Fn(&str) -> Option<T>) -> T {
        self.try_wait_for_line(pick).unwrap_or_else(|| {
            panic!(
                "{} exited before printing the expected line ({:?}); it printed:\n{}",
                self.name,
                self.child.try_wait(),
                self.output()
            )
        })
    }

    /// Everything it printed so far, stdout and stderr.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.group {
            // Before `wait`, so the group id cannot have been reused.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
