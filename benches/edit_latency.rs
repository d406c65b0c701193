//! Edit latency of `briefly serve` (issues #3 and #4): the time from a write
//! to a source file to the reload event a browser would receive, on a copy
//! of a generated corpus. Not a test: it prints medians.
//!
//!     cargo build --release
//!     python3 ../shared/bench/gen_corpus.py --pages 10000 --out target/bench/corpus/briefing-10000 --format briefing
//!     BRIEFLY_CORPUS=target/bench/corpus/briefing-10000 cargo bench --bench edit_latency
//!
//! `EDITS` (default 20) sets how many edits of each kind are timed.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/briefly");
    assert!(binary.is_file(), "run `cargo build --release` first");

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

    let (server, port, lines) = start(&binary, &site);
    let events = subscribe(port);
    let briefings: Vec<PathBuf> = std::fs::read_dir(site.join("content/briefings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let mut sorted = briefings.clone();
    sorted.sort();

    let measure = |name: &str, edit: &mut dyn FnMut(usize)| {
        let mut times = Vec::new();
        for i in 0..edits {
            while events.try_recv().is_ok() {}
            let t = Instant::now();
            edit(i);
            let event = events
                .recv_timeout(Duration::from_secs(60))
                .expect("a reload event");
            times.push(t.elapsed());
            assert!(event == "reload" || event == "css", "{name}: got {event}");
            std::thread::sleep(Duration::from_millis(50));
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{name:<28} median {:>7.1} ms   min {:>7.1} ms   max {:>7.1} ms   ({} edits)",
            ms(median),
            ms(times[0]),
            ms(*times.last().unwrap()),
            times.len()
        );
        median
    };

    println!(
        "corpus: {} ({} briefings)",
        corpus.display(),
        briefings.len()
    );
    println!("full build: {:.0} ms", ms(full_build));
    let target = sorted[sorted.len() / 2].clone();
    let body = measure("append a sentence", &mut |i| {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&target)
            .unwrap();
        writeln!(f, "\nAn appended sentence number {i}.").unwrap();
    });
    let tagged = sorted[sorted.len() / 3].clone();
    let original = std::fs::read_to_string(&tagged).unwrap();
    measure("change a tag", &mut |i| {
        let text = original.replacen("tags: [", &format!("tags: [bench-tag-{}, ", i % 2), 1);
        std::fs::write(&tagged, text).unwrap();
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
    });
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

fn start(binary: &Path, site: &Path) -> (Server, u16, mpsc::Receiver<String>) {
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
            let port = rest.split('/').next().unwrap().parse().unwrap();
            return (server, port, rx);
        }
    }
}

/// The names of the live-reload events, as they arrive.
fn subscribe(port: u16) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // The corpus has no sub-path; the endpoint is at the root.
    write!(
        stream,
        "GET /__briefly/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                let _ = tx.send(name.to_string());
            }
        }
    });
    rx
}
