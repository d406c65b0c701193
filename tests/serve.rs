//! `briefly serve` end to end (issue #3): the real binary on port 0 over a
//! temp copy of a fixture site, spoken to over plain HTTP and its
//! server-sent events. Every wait is bounded; the server is killed by a guard.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

/// How long any one expected event may take.
const WAIT: Duration = Duration::from_secs(15);

struct Server {
    child: Child,
    port: u16,
    /// What it printed after saying where it listens.
    lines: Option<mpsc::Receiver<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    start_with(root, &[])
}

fn start_with(root: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("briefly serve starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    // Keep reading stdout for the server's whole life, so it never blocks
    // or fails writing its one-line reports.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut server = Server {
        child,
        port: 0,
        lines: None,
    };
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            server.port = rest.split('/').next().unwrap().parse().unwrap();
            assert!(
                line.contains("/watch/"),
                "serve keeps the base_url's sub-path: {line}"
            );
            server.lines = Some(rx);
            return server;
        }
    }
    panic!("briefly serve did not say where it listens");
}

/// `briefly watch` on `root`, its output ignored; killed when dropped.
fn start_watch(root: &Path) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(["watch", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Server {
        child,
        port: 0,
        lines: None,
    }
}

/// A raw GET, the path sent as it is (no client-side normalising): the
/// status and the body.
fn get(port: u16, path: &str) -> (u16, String) {
    let answer = get_if_none_match(port, path, None);
    (answer.status, answer.body)
}

/// A raw GET of `path`, with `If-None-Match: <etag>` when given.
fn get_if_none_match(port: u16, path: &str, etag: Option<&str>) -> Answer {
    let condition = etag.map_or(String::new(), |e| format!("\r\nIf-None-Match: {e}"));
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1{condition}"),
    )
}

/// The live-reload stream, read line by line on a thread.
struct Live {
    lines: mpsc::Receiver<String>,
}

impl Live {
    fn connect(port: u16) -> Live {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /watch/__briefly/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let live = Live { lines: rx };
        live.expect_line("HTTP/1.1 200");
        live
    }

    fn expect_line(&self, start: &str) {
        let deadline = Instant::now() + WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(start) => return,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("no `{start}` within {WAIT:?}");
    }

    /// Waits for `event: <name>` and returns its data lines.
    fn expect_event(&self, name: &str) -> String {
        self.expect_line(&format!("event: {name}"));
        let mut data = String::new();
        while let Ok(line) = self.lines.recv_timeout(WAIT) {
            match line.strip_prefix("data: ") {
                Some(d) => {
                    data.push_str(d);
                    data.push('\n');
                }
                None => break,
            }
        }
        data
    }
}

#[test]
fn serve_rebuilds_reloads_reports_errors_and_recovers() {
    let site = fixture("desk");
    let server = start(site.path());
    let port = server.port;
    let briefing = site
        .path()
        .join("content/briefings/2024-11-01-precedents.md");

    let (status, page) = get(port, "/watch/briefings/precedents/");
    assert_eq!(status, 200);
    assert!(page.contains("Dated by its file name."));
    assert!(
        page.contains("new EventSource(\"/watch/__briefly/live\")"),
        "the live-reload script is injected"
    );
    let live = Live::connect(port);

    // A plain write.
    fs::write(
        &briefing,
        read(&briefing) + "\nFirst edit, written in place.\n",
    )
    .unwrap();
    live.expect_event("reload");
    let (_, page) = get(port, "/watch/briefings/precedents/");
    assert!(page.contains("First edit, written in place."));

    // An atomic save: write a temporary file, rename it over the briefing.
    let temp = briefing.with_file_name(".precedents.md.tmp");
    fs::write(
        &temp,
        read(&briefing) + "\nSecond edit, renamed into place.\n",
    )
    .unwrap();
    fs::rename(&temp, &briefing).unwrap();
    live.expect_event("reload");
    let (_, page) = get(port, "/watch/briefings/precedents/");
    assert!(page.contains("Second edit, renamed into place."));

    // Broken front matter: the error is sent and shown; the last good page stays.
    let good = read(&briefing);
    fs::write(&briefing, "---\ntitle: [broken\n---\nBroken text.\n").unwrap();
    let error = live.expect_event("build-error");
    assert!(
        error.contains("content/briefings/2024-11-01-precedents.md:2:"),
        "{error}"
    );
    let (status, page) = get(port, "/watch/briefings/precedents/");
    assert_eq!(status, 200);
    assert!(
        page.contains("Second edit, renamed into place."),
        "the last good build is still served"
    );
    assert!(page.contains("id=\"briefly-error\"") && page.contains("2024-11-01-precedents.md:2:"));
    let (_, other) = get(port, "/watch/tags/");
    assert!(
        other.contains("id=\"briefly-error\""),
        "every page served while the error stands shows it"
    );

    // Fixed: recovery, and the overlay is gone.
    fs::write(&briefing, good.replace("Second edit", "Fixed edit")).unwrap();
    live.expect_event("reload");
    let (_, page) = get(port, "/watch/briefings/precedents/");
    assert!(page.contains("Fixed edit, renamed into place."));
    assert!(!page.contains("id=\"briefly-error\""));

    // Deleted: its page is a 404 and it is gone from the index and its tag.
    fs::remove_file(&briefing).unwrap();
    live.expect_event("reload");
    let (status, page) = get(port, "/watch/briefings/precedents/");
    assert_eq!(status, 404);
    assert!(page.contains("<html"), "the site's own 404 page is served");
    let (_, index) = get(port, "/watch/");
    assert!(!index.contains("Precedents"));
    let (status, _) = get(port, "/watch/tags/history/");
    assert_eq!(status, 404, "a tag with no briefings left is gone");

    // A new briefing appears in every listing.
    fs::write(
        site.path().join("content/briefings/2024-12-24-new.md"),
        "---\ntitle: Brand new\ndate: 2024-12-24\ntags: [russia]\n---\nNew body.\n",
    )
    .unwrap();
    live.expect_event("reload");
    assert!(get(port, "/watch/").1.contains("Brand new"));
    assert!(get(port, "/watch/tags/russia/").1.contains("Brand new"));
    assert!(get(port, "/watch/timeline/").1.contains("Brand new"));

    assert!(
        !site.path().join("public").exists(),
        "serve never writes public/"
    );
    drop(server);
}

#[test]
fn serve_never_serves_a_path_outside_the_site() {
    let site = fixture("desk");
    fs::write(site.path().join("secret.txt"), "do not serve").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.path().join("secret.txt"),
        site.path().join("content/leak.txt"),
    )
    .unwrap();
    let server = start(site.path());
    for path in [
        "/../secret.txt",
        "/watch/../secret.txt",
        "/%2e%2e/secret.txt",
        "/watch/%2e%2e/%2e%2e/secret.txt",
        "/watch/..%2fsecret.txt",
        "/watch/leak.txt",
        "/watch/../site.yaml",
    ] {
        let (status, body) = get(server.port, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("do not serve"), "{path} leaked a file");
    }
    let (status, _) = get(server.port, "/watch/images/map.png");
    assert_eq!(status, 200, "ordinary content files are served");
    let (status, _) = get(server.port, "/");
    assert_eq!(status, 302, "/ leads to the sub-path");
}

#[test]
fn a_busy_port_is_reported_with_a_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = fixture("desk");
    let run = briefly(site.path(), &["serve", "--port", &port]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains(&format!("port {port} on 127.0.0.1 is in use")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--port "), "{}", run.stderr);
}

#[test]
fn a_burst_of_changes_gives_one_rebuild_not_hundreds() {
    let site = fixture("desk");
    let server = start(site.path());
    let live = Live::connect(server.port);
    let dir = site.path().join("content/briefings/burst");
    fs::create_dir_all(&dir).unwrap();
    // As a `git checkout` would: 200 files written back to back.
    for i in 0..200 {
        fs::write(
            dir.join(format!("note-{i:03}.md")),
            format!("---\ntitle: \"Burst {i}\"\ndate: 2024-05-01\n---\nBody {i}.\n"),
        )
        .unwrap();
    }
    live.expect_event("reload");
    // Whatever else arrives in the next two seconds: a handful at most.
    let mut more = 0;
    let deadline = Instant::now() + Duration::from_secs(2);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match live.lines.recv_timeout(left) {
            Ok(line) if line.starts_with("event: reload") => more += 1,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    assert!(more <= 2, "{} rebuilds for one burst", more + 1);
    let (status, page) = get(server.port, "/watch/briefings/note-199/");
    assert_eq!(status, 200);
    assert!(page.contains("Burst 199"));
}

/// Waits (bounded) until `check` holds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("waited {WAIT:?} for {what}");
}

#[test]
fn watch_writes_only_what_changed_into_the_output() {
    let site = fixture("desk");
    let guard = start_watch(site.path());
    let public = site.path().join("public");
    let page = public.join("briefings/precedents/index.html");
    let treaty = public.join("briefings/treaty/index.html");
    eventually("the first build", || page.is_file() && treaty.is_file());
    let treaty_before = fs::metadata(&treaty).unwrap().modified().unwrap();
    let briefing = site
        .path()
        .join("content/briefings/2024-11-01-precedents.md");
    fs::write(&briefing, read(&briefing) + "\nWatched edit.\n").unwrap();
    eventually("the edit in public/", || {
        read(&page).contains("Watched edit.")
    });
    assert!(
        !read(&page).contains("EventSource"),
        "watch never injects the live-reload script"
    );
    assert_eq!(
        fs::metadata(&treaty).unwrap().modified().unwrap(),
        treaty_before,
        "a page whose bytes did not change is not rewritten"
    );
    fs::remove_file(&briefing).unwrap();
    eventually("the deleted briefing gone from public/", || !page.exists());
    drop(guard);
}

#[test]
fn poll_mode_sees_edits_too() {
    let site = fixture("desk");
    let server = start_with(site.path(), &["--poll"]);
    let live = Live::connect(server.port);
    let briefing = site.path().join("content/briefings/2024-06-20-treaty.md");
    fs::write(&briefing, read(&briefing) + "\nPolled edit.\n").unwrap();
    live.expect_event("reload");
    assert!(
        get(server.port, "/watch/briefings/treaty/")
            .1
            .contains("Polled edit.")
    );
}

/// A response read from a raw request.
struct Answer {
    status: u16,
    /// Header names in lower case.
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `head` (request line and headers, without the blank line that ends
/// them) and `Connection: close`, and reads the whole answer.
fn request(port: u16, head: &str) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let response = String::from_utf8_lossy(&bytes).into_owned();
    let (top, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let mut lines = top.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Whether the server has closed this connection (end of stream or reset),
/// without waiting.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// Issue 11, item 18: Ctrl-C used to print "Stopped." and keep serving for
/// as long as a page held its live-reload connection open.
#[test]
fn issue_11_18_ctrl_c_stops_the_server_while_a_page_is_open() {
    let site = fixture("desk");
    let mut server = start(site.path());
    let live = Live::connect(server.port);
    live.expect_event("build");
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still serving {WAIT:?} after Ctrl-C, with a live-reload connection open"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    let printed: Vec<String> = server.lines.take().unwrap().try_iter().collect();
    assert!(printed.iter().any(|l| l == "Stopped."), "{printed:?}");
}

/// Issue 11, item 19: a request that never finishes its request line or
/// headers (slowloris) stayed open forever; so did a connection that never
/// sent anything.
#[test]
fn issue_11_19_a_request_that_never_finishes_its_headers_is_closed() {
    let site = fixture("desk");
    let server = start(site.path());
    let open = |sent: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream.write_all(sent.as_bytes()).unwrap();
        stream
    };
    let streams = [
        open("GET /watch/ HT"),
        open("GET /watch/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "),
        open(""),
    ];
    for mut stream in streams {
        // Far above the server's header timeout: this checks that it closes
        // the connection at all, not how fast.
        stream.set_read_timeout(Some(4 * WAIT)).unwrap();
        let closed = match stream.read_to_end(&mut Vec::new()) {
            Ok(_) => true,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        };
        assert!(closed, "the server kept the connection open");
    }
    let (status, _) = get(server.port, "/watch/");
    assert_eq!(status, 200, "the server still answers");
}

/// Issue 11, item 19: the connections open at once are capped, so stalled
/// ones cannot use up the process's file descriptors; one over the cap
/// waits until a stalled one is closed.
#[test]
fn issue_11_19_connections_over_the_cap_wait_for_a_free_one() {
    /// `MAX_CONNECTIONS` in src/serve.rs.
    const CAP: usize = 128;
    let site = fixture("desk");
    let server = start(site.path());
    let mut stalled: Vec<TcpStream> = (0..CAP)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            write!(s, "GET /watch/ HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
            s
        })
        .collect();
    let answer = request(server.port, "GET /watch/ HTTP/1.1\r\nHost: 127.0.0.1");
    assert_eq!(answer.status, 200);
    assert!(
        stalled.iter_mut().any(closed_by_server),
        "answered while {CAP} stalled connections were all still open"
    );
}

/// Issue 11, item 20: any `Host` was answered, so a DNS-rebinding page could
/// read the preview, drafts included.
#[test]
fn issue_11_20_only_local_hosts_are_answered() {
    let site = fixture("desk");
    let server = start(site.path());
    let port = server.port;
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "127.0.0.1.evil.example".to_string(),
    ] {
        for path in [
            "/watch/",
            "/watch/__briefly/live",
            "/watch/briefings/draft/",
        ] {
            let answer = request(port, &format!("GET {path} HTTP/1.1\r\nHost: {host}"));
            assert_eq!(answer.status, 403, "{host} {path}");
            assert!(
                answer
                    .header("content-type")
                    .unwrap()
                    .starts_with("text/plain"),
                "{host}"
            );
            assert!(answer.body.contains("localhost"), "{}", answer.body);
        }
    }
    // The host named in an absolute request target counts too.
    let answer = request(
        port,
        "GET http://evil.example/watch/ HTTP/1.1\r\nHost: 127.0.0.1",
    );
    assert_eq!(answer.status, 403);
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
        // What `--bind 0.0.0.0` is opened as from another machine.
        format!("192.168.1.20:{port}"),
    ] {
        let answer = request(port, &format!("GET /watch/ HTTP/1.1\r\nHost: {host}"));
        assert_eq!(answer.status, 200, "{host}");
    }
}

/// Issue 11, item 21: `X-Content-Type-Options: nosniff`, the Atom feed's own
/// type, and ETags answered with 304 Not Modified.
#[test]
fn issue_11_21_nosniff_atom_type_and_etags() {
    let site = fixture("desk");
    let server = start(site.path());
    let port = server.port;
    let get = |path: &str, etag: Option<&str>| get_if_none_match(port, path, etag);
    for path in [
        "/watch/",
        "/watch/atom.xml",
        "/watch/images/map.png",
        "/watch/no-such-page/",
        "/",
    ] {
        assert_eq!(
            get(path, None).header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    let wrong_host = request(port, "GET /watch/ HTTP/1.1\r\nHost: evil.example");
    assert_eq!(wrong_host.header("x-content-type-options"), Some("nosniff"));
    for (feed, kind) in [
        ("atom.xml", "application/atom+xml"),
        ("rss.xml", "application/rss+xml"),
        ("feed.json", "application/feed+json"),
    ] {
        assert_eq!(
            get(&format!("/watch/{feed}"), None).header("content-type"),
            Some(format!("{kind}; charset=utf-8").as_str()),
            "{feed}"
        );
    }

    let page = "/watch/briefings/precedents/";
    let first = get(page, None);
    assert_eq!(first.status, 200);
    let etag = first
        .header("etag")
        .expect("a page has an ETag")
        .to_string();
    let again = get(page, Some(&etag));
    assert_eq!(again.status, 304);
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert!(again.body.is_empty());
    assert_eq!(get(page, Some("\"other\"")).status, 200);
    assert_eq!(get(page, Some(&format!("\"other\", W/{etag}"))).status, 304);
    assert_eq!(get(page, Some("*")).status, 304);
    let image = get("/watch/images/map.png", None);
    let image_etag = image.header("etag").unwrap().to_string();
    assert_eq!(get("/watch/images/map.png", Some(&image_etag)).status, 304);

    let live = Live::connect(port);
    let briefing = site
        .path()
        .join("content/briefings/2024-11-01-precedents.md");
    fs::write(&briefing, read(&briefing) + "\nAn edit after the ETag.\n").unwrap();
    live.expect_event("reload");
    let changed = get(page, Some(&etag));
    assert_eq!(changed.status, 200, "an edited page is sent again");
    assert!(changed.body.contains("An edit after the ETag."));
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
    assert_eq!(
        get("/watch/images/map.png", Some(&image_etag)).status,
        304,
        "a file the edit did not change keeps its ETag"
    );
}

/// Issue 11, item 22: replacing a folder `x.md/` with a file `x.md` while
/// serving left the server stuck on "Not a directory".
#[test]
fn issue_11_22_a_folder_replaced_by_a_file_of_its_name() {
    let site = fixture("desk");
    let folder = site.path().join("content/briefings/x.md");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("inner.md"),
        "---\ntitle: Inner\ndate: 2024-03-01\n---\nInside the folder.\n",
    )
    .unwrap();
    let server = start(site.path());
    let port = server.port;
    assert_eq!(get(port, "/watch/briefings/inner/").0, 200);
    let live = Live::connect(port);
    fs::remove_dir_all(&folder).unwrap();
    fs::write(
        &folder,
        "---\ntitle: Now a file\ndate: 2024-03-02\n---\nA file where the folder was.\n",
    )
    .unwrap();
    live.expect_event("reload");
    let (status, page) = get(port, "/watch/briefings/x/");
    assert_eq!(status, 200);
    assert!(page.contains("A file where the folder was."));
    assert!(!page.contains("id=\"briefly-error\""), "{page}");
    assert_eq!(get(port, "/watch/briefings/inner/").0, 404);
    // Not stuck: the next edit shows too.
    fs::write(&folder, read(&folder) + "\nAnd then edited.\n").unwrap();
    live.expect_event("reload");
    assert!(
        get(port, "/watch/briefings/x/")
            .1
            .contains("And then edited.")
    );
}

/// Issue 11, item 22: deleting `templates/partials/` holding a modified
/// override brings the built-in partial back, also after `templates/`
/// itself was moved away and back (as a `git checkout` does), after which
/// nothing under it was watched any more.
#[test]
fn issue_11_22_deleting_an_override_folder_brings_back_the_built_in() {
    let site = fixture("desk");
    let templates = site.path().join("templates");
    let partials = templates.join("partials");
    fs::create_dir_all(&partials).unwrap();
    let summary = partials.join("summary.html");
    fs::write(&summary, "<p class=\"own\">Own: {{ b.title }}</p>\n").unwrap();
    let server = start(site.path());
    let port = server.port;
    assert!(get(port, "/watch/").1.contains("class=\"own\""));
    let live = Live::connect(port);
    let modify_then_delete = |text: &str| {
        fs::write(
            &summary,
            format!("<p class=\"own\">{text}: {{{{ b.title }}}}</p>\n"),
        )
        .unwrap();
        live.expect_event("reload");
        assert!(get(port, "/watch/").1.contains(&format!("{text}: ")));
        fs::remove_dir_all(&partials).unwrap();
        live.expect_event("reload");
        let index = get(port, "/watch/").1;
        assert!(!index.contains("class=\"own\""), "{index}");
        assert!(index.contains("<article class=\"summary\">"), "{index}");
    };
    modify_then_delete("Modified");

    let away = site.path().join("templates-elsewhere");
    fs::create_dir_all(&partials).unwrap();
    fs::write(&summary, "<p class=\"own\">Back</p>\n").unwrap();
    live.expect_event("reload");
    fs::rename(&templates, &away).unwrap();
    live.expect_event("reload");
    fs::rename(&away, &templates).unwrap();
    live.expect_event("reload");
    assert!(get(port, "/watch/").1.contains("class=\"own\""));
    modify_then_delete("Modified after the move");
}

/// Found with issue 11, item 22: `content/` moved away and back while
/// serving was no longer watched.
#[test]
fn content_moved_away_and_back_is_watched_again() {
    let site = fixture("desk");
    let server = start(site.path());
    let port = server.port;
    let live = Live::connect(port);
    let content = site.path().join("content");
    let away = site.path().join("content-elsewhere");
    fs::rename(&content, &away).unwrap();
    live.expect_event("reload");
    fs::rename(&away, &content).unwrap();
    live.expect_event("reload");
    let briefing = content.join("briefings/2024-11-01-precedents.md");
    fs::write(&briefing, read(&briefing) + "\nSeen after the move back.\n").unwrap();
    live.expect_event("reload");
    assert!(
        get(port, "/watch/briefings/precedents/")
            .1
            .contains("Seen after the move back.")
    );
}

/// Issue 12, item 1: in `serve` the search index follows edits. A rebuild
/// serves the edited page and keeps the last index; once edits pause the
/// index is made again (a new word is found, a removed briefing is gone),
/// and the manifest, whose name never changes, gets a new ETag.
#[test]
fn issue_12_the_search_index_follows_edits() {
    let site = fixture("desk");
    let server = start(site.path());
    let port = server.port;
    let fetch = |file: &str| {
        let (status, body) = get(port, &format!("/watch/search-index/{file}"));
        assert_eq!(status, 200, "{file}");
        body
    };
    let manifest = "/watch/search-index/index.json";
    let head = |etag: Option<&str>| get_if_none_match(port, manifest, etag);
    let etag = head(None).header("etag").unwrap().to_string();
    assert_eq!(head(Some(&etag)).status, 304);
    assert!(search_lookup(&fetch, "zebrafinch").0.is_empty());

    let live = Live::connect(port);
    let briefing = site
        .path()
        .join("content/briefings/2024-11-01-precedents.md");
    fs::write(&briefing, read(&briefing) + "\nA zebrafinch was seen.\n").unwrap();
    live.expect_event("reload");
    assert!(
        get(port, "/watch/briefings/precedents/")
            .1
            .contains("zebrafinch")
    );
    // The index may be made again between reading its manifest and a
    // shard (the old shard is then gone): such a read counts as not yet.
    let until = |what: &str, done: &dyn Fn() -> bool| {
        eventually(what, || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(done)).unwrap_or(false)
        });
    };
    until("the new word in the index", &|| {
        search_lookup(&fetch, "zebrafinch").0 == [("/watch/briefings/precedents/".to_string(), 1)]
    });
    let changed = head(Some(&etag));
    assert_eq!(changed.status, 200, "the remade manifest is sent again");
    assert_ne!(changed.header("etag"), Some(etag.as_str()));

    fs::remove_file(&briefing).unwrap();
    live.expect_event("reload");
    until("the removed briefing out of the index", &|| {
        search_lookup(&fetch, "zebrafinch").0.is_empty()
            && search_lookup(&fetch, "precedents").0.is_empty()
    });
}

/// Issue 12, item 1: `briefly watch` writes the search index again into
/// the output folder once edits pause, and removes the files it replaced.
#[test]
fn issue_12_watch_keeps_the_search_index_in_step() {
    let site = fixture("desk");
    let guard = start_watch(site.path());
    let index = site.path().join("public/search-index");
    let on_disk = |file: &str| read(index.join(file));
    eventually("the first build", || index.join("index.json").is_file());
    let before = snapshot(&index).len();
    let briefing = site
        .path()
        .join("content/briefings/2024-11-01-precedents.md");
    fs::write(&briefing, read(&briefing) + "\nA kittiwake was seen.\n").unwrap();
    // A file read while watch writes it may be cut short: that read
    // panics inside the lookup, and the next one is tried.
    let found = |word: &str| {
        std::panic::catch_unwind(|| search_lookup(&on_disk, word).0).unwrap_or_default()
    };
    eventually("the new word in public/search-index/", || {
        found("kittiwake") == [("/watch/briefings/precedents/".to_string(), 1)]
    });
    assert_eq!(
        snapshot(&index).len(),
        before,
        "the files replaced are removed"
    );
    drop(guard);
}
