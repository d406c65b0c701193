//! Edit latency of `briefly serve` (issues #3, #4 and #9), on a copy of a
//! generated corpus. For each edit it times, from the write to the source
//! file:
//!
//! - the reload event a browser would receive on the live-reload stream, and
//! - the edited page, fetched over HTTP/1.1 the way a browser would see it,
//!   containing the new text: after the write, the page is requested again
//!   and again (one keep-alive connection, 0.5 ms between requests) until its
//!   body shows the edit.
//!
//! Not a test: it prints medians.
//!
//!     cargo build --release
//!     python3 ../shared/bench/gen_corpus.py --pages 10000 --out target/bench/corpus/briefing-10000 --format briefing
//!     BRIEFLY_CORPUS=target/bench/corpus/briefing-10000 cargo bench --bench edit_latency
//!
//! Environment:
//! - `EDITS` (default 20): how many edits of each kind are timed.
//! - `BRIEFLY_BIN`: the `briefly` binary to run (default
//!   `$CARGO_TARGET_DIR/release/briefly`, else `target/release/briefly`), for
//!   measuring another build, such as a baseline, with this bench.
//! - `HTTP=0`: only the reload events, without polling pages (as before #9).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The pause between two requests for a page while waiting for an edit.
const POLL_GAP: Duration = Duration::from_micros(500);
/// How long an edit may take to show, in the event stream or in the page.
const GIVE_UP: Duration = Duration::from_secs(60);

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the page at `path` shows once an edit is served: it contains
/// `shows` and, when given, no longer contains `not`.
struct Probe {
    path: String,
    shows: String,
    not: Option<String>,
}

fn main() {
    let Some(corpus) = std::env::var_os("BRIEFLY_CORPUS").map(PathBuf::from) else {
        eprintln!(
            "edit_latency: set BRIEFLY_CORPUS to a corpus made by gen_corpus.py --format briefing; skipping"
        );
        return;
    };
    let edits: usize = std::env::var("EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let poll_pages = std::env::var("HTTP").ok().as_deref() != Some("0");
    let binary = match std::env::var_os("BRIEFLY_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(
                || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
                PathBuf::from,
            )
            .join("release/briefly"),
    };
    assert!(
        binary.is_file(),
        "{} is missing: run `cargo build --release` first or set BRIEFLY_BIN",
        binary.display()
    );

    let work = tempfile::tempdir().expect("temp dir");
    let site = work.path().join("site");
    copy_dir(&corpus, &site);

    let started = Instant::now();
    let status = Command::new(&binary)
        .args(["build", "--output"])
        .arg(work.path().join("public"))
        .arg("--root")
        .arg(&site)
        .stdout(Stdio::null())
        .status()
        .expect("briefly builds");
    assert!(status.success());
    let full_build = started.elapsed();

    let (server, port, root, lines) = start(&binary, &site);
    let events = subscribe(port, &root);
    let mut http = Http::new(port);
    let briefings: Vec<PathBuf> = std::fs::read_dir(site.join("content/briefings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let mut sorted = briefings.clone();
    sorted.sort();

    let target = sorted[sorted.len() / 2].clone();
    let target_url = format!("{root}briefings/{}/", slug_of(&target));
    expect_page(&mut http, &target_url);
    let tagged = sorted[sorted.len() / 3].clone();
    let tagged_url = format!("{root}briefings/{}/", slug_of(&tagged));
    expect_page(&mut http, &tagged_url);

    let mut measure = |name: &str, edit: &mut dyn FnMut(usize) -> Probe| {
        let mut to_event = Vec::new();
        let mut to_page = Vec::new();
        for i in 0..edits {
            while events.try_recv().is_ok() {}
            let t = Instant::now();
            let probe = edit(i);
            if poll_pages {
                to_page.push(wait_for_page(&mut http, &probe, t, name));
            }
            let (event, at) = events.recv_timeout(GIVE_UP).unwrap_or_else(|_| {
                panic!("{name}: no reload event within {} s", GIVE_UP.as_secs())
            });
            to_event.push(at.saturating_duration_since(t));
            assert!(event == "reload" || event == "css", "{name}: got {event}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let median = report(name, to_event);
        if poll_pages {
            report(&format!("{name} (page over HTTP)"), to_page);
        }
        median
    };

    println!(
        "corpus: {} ({} briefings); briefly: {}",
        corpus.display(),
        briefings.len(),
        binary.display()
    );
    println!("full build: {:.0} ms", ms(full_build));

    let body = measure("append a sentence", &mut |i| {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&target)
            .unwrap();
        writeln!(f, "\nAn appended sentence number {i}.").unwrap();
        Probe {
            path: target_url.clone(),
            shows: format!("An appended sentence number {i}."),
            not: None,
        }
    });

    let original = std::fs::read_to_string(&tagged).unwrap();
    measure("change a tag", &mut |i| {
        let text = original.replacen("tags: [", &format!("tags: [bench-tag-{}, ", i % 2), 1);
        std::fs::write(&tagged, text).unwrap();
        // The briefing's page links to its tags.
        Probe {
            path: tagged_url.clone(),
            shows: format!("bench-tag-{}", i % 2),
            not: Some(format!("bench-tag-{}", (i + 1) % 2)),
        }
    });

    measure("add a briefing", &mut |i| {
        let path = site.join(format!("content/briefings/bench-new-{i}.md"));
        std::fs::write(
            &path,
            format!(
                "---\ntitle: \"New {i}\"\ndate: 2025-01-0{}\ntags: [bench]\n---\nNew body {i}.\n",
                1 + i % 9
            ),
        )
        .unwrap();
        Probe {
            path: format!("{root}briefings/bench-new-{i}/"),
            shows: format!("New body {i}."),
            not: None,
        }
    });

    // The override starts from this source tree's built-in template, which
    // must therefore suit the binary measured (BRIEFLY_BIN).
    let template = site.join("templates/briefing.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/briefing.html"),
    )
    .unwrap();
    measure("change a template", &mut |i| {
        let edited = builtin.replacen(
            "block content %}",
            &format!("block content %}}<!-- edit {i} -->"),
            1,
        );
        std::fs::write(&template, edited).unwrap();
        Probe {
            path: target_url.clone(),
            shows: format!("<!-- edit {i} -->"),
            not: None,
        }
    });
    println!(
        "one-briefing edit vs full build: {:.1} ms vs {:.0} ms ({:.0}x less)",
        ms(body),
        ms(full_build),
        full_build.as_secs_f64() / body.as_secs_f64()
    );
    drop(lines);
    drop(server);
}

/// Prints the median, min and max of `times` and returns the median.
fn report(name: &str, mut times: Vec<Duration>) -> Duration {
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{name:<36} median {:>7.1} ms   min {:>7.1} ms   max {:>7.1} ms   ({} edits)",
        ms(median),
        ms(times[0]),
        ms(*times.last().unwrap()),
        times.len()
    );
    median
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.path().file_name().is_some_and(|n| n != "public") {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A briefing's slug: its front matter's `slug:`, else its file name without
/// a `YYYY-MM-DD-` prefix. Generated file names are slugs already;
/// `expect_page` checks the guess.
fn slug_of(briefing: &Path) -> String {
    let text = std::fs::read_to_string(briefing).unwrap();
    let front = text.split("\n---").next().unwrap_or("");
    if let Some(slug) = front.lines().find_map(|l| l.strip_prefix("slug:")) {
        return slug.trim().trim_matches(['"', '\'']).to_string();
    }
    let stem = briefing.file_stem().unwrap().to_string_lossy();
    let dated = stem.len() > 11
        && stem.bytes().take(11).enumerate().all(|(i, b)| match i {
            4 | 7 | 10 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if dated {
        stem[11..].to_string()
    } else {
        stem.into_owned()
    }
}

/// Fails unless the page is served before any edit (the corpus must use the
/// default permalink `/briefings/:slug/`).
fn expect_page(http: &mut Http, path: &str) {
    let (status, _) = http.get(path);
    assert_eq!(
        status, 200,
        "GET {path}: the bench expects briefings at /briefings/:slug/"
    );
}

/// Requests `probe.path` until it shows the edit; the time since `since`.
fn wait_for_page(http: &mut Http, probe: &Probe, since: Instant, name: &str) -> Duration {
    loop {
        let (status, body) = http.get(&probe.path);
        let body = String::from_utf8_lossy(&body);
        if status == 200
            && body.contains(&probe.shows)
            && probe.not.as_ref().is_none_or(|n| !body.contains(n))
        {
            return since.elapsed();
        }
        assert!(
            since.elapsed() < GIVE_UP,
            "{name}: GET {} did not show {:?} within {} s (last status {status})",
            probe.path,
            probe.shows,
            GIVE_UP.as_secs()
        );
        std::thread::sleep(POLL_GAP);
    }
}

/// A minimal HTTP/1.1 client on one keep-alive connection, reconnecting when
/// the server closes it.
struct Http {
    port: u16,
    conn: Option<BufReader<TcpStream>>,
}

impl Http {
    fn new(port: u16) -> Self {
        Http { port, conn: None }
    }

    /// The status and body of `GET path`.
    fn get(&mut self, path: &str) -> (u16, Vec<u8>) {
        let reused = self.conn.is_some();
        let answer = match self.try_get(path) {
            // A kept-alive connection the server has closed fails once:
            // retry on a fresh one.
            Err(_) if reused => {
                self.conn = None;
                self.try_get(path)
            }
            answer => answer,
        };
        answer.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    fn try_get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        if self.conn.is_none() {
            let stream = TcpStream::connect(("127.0.0.1", self.port))?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(GIVE_UP))?;
            self.conn = Some(BufReader::new(stream));
        }
        let conn = self.conn.as_mut().unwrap();
        write!(
            conn.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )?;
        let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        let status_line = read_line(conn)?;
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no status line"))?;
        let (mut length, mut chunked, mut close) = (None, false, false);
        loop {
            let line = read_line(conn)?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').ok_or_else(|| bad("bad header"))?;
            let value = value.trim().to_ascii_lowercase();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.contains("chunked"),
                "connection" => close = value.contains("close"),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let size = read_line(conn)?;
                let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16)
                    .map_err(|_| bad("bad chunk size"))?;
                if size == 0 {
                    while !read_line(conn)?.is_empty() {}
                    break;
                }
                let start = body.len();
                body.resize(start + size, 0);
                conn.read_exact(&mut body[start..])?;
                read_line(conn)?;
            }
        } else if let Some(length) = length {
            body.resize(length, 0);
            conn.read_exact(&mut body)?;
        } else {
            conn.read_to_end(&mut body)?;
            close = true;
        }
        if close {
            self.conn = None;
        }
        Ok((status, body))
    }
}

/// One line without its CRLF; an error at the end of the stream.
fn read_line(conn: &mut BufReader<TcpStream>) -> std::io::Result<String> {
    let mut line = String::new();
    if conn.read_line(&mut line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Starts `briefly serve`; its port, its root path (`/` or the base URL's
/// sub-path) and its remaining output lines.
fn start(binary: &Path, site: &Path) -> (Server, u16, String, mpsc::Receiver<String>) {
    let mut child = Command::new(binary)
        .args(["serve", "--port", "0", "--root"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("briefly serve starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let server = Server(child);
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(600))
            .expect("serve starts");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            let rest = rest.split_whitespace().next().unwrap();
            let (port, root) = rest.split_once('/').unwrap_or((rest, ""));
            return (server, port.parse().unwrap(), format!("/{root}"), rx);
        }
    }
}

/// The names of the live-reload events, each with the moment it arrived.
fn subscribe(port: u16, root: &str) -> mpsc::Receiver<(String, Instant)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {root}__briefly/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                let _ = tx.send((name.to_string(), Instant::now()));
            }
        }
    });
    rx
}
