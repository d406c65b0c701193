//! `briefly serve`: the site built in memory and served on 127.0.0.1, rebuilt
//! on every change, with live reload. The served site never touches
//! `public/`: what a dev server injects cannot be deployed by mistake.
//!
//! This file owns the command: the first build, the watcher thread that
//! rebuilds and puts each new `Snapshot` in place, and the connections
//! (accepted up to a cap, each with a header timeout, all closed on
//! Ctrl-C). What one request gets is `serve_http.rs`; the live-reload
//! script, stream and error overlay are `serve_live.rs`. The async runtime
//! lives in these three files alone.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::{Semaphore, broadcast, watch};

use crate::config::BaseUrlOverride;
use crate::diagnostic::{Diagnostics, Shown};
use crate::engine::{Engine, Outcome};
use crate::serve_http::{AppState, FIRST_BUILD, Snapshot};
use crate::serve_live::Live;
use crate::watch::Watched;

/// How long a connection may take to send a request's headers, and how
/// long a kept-alive connection may sit idle: past it, it is closed, so a
/// request that never ends (slowloris) does not hold its connection.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The most connections open at once (each open page holds one for live
/// reload); more wait to be accepted until one closes, so stalled clients
/// cannot use up the process's file descriptors. The serve tests know it.
const MAX_CONNECTIONS: usize = 128;
/// How long Ctrl-C waits for responses under way before leaving anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// How long to wait before accepting again after accepting failed (out of
/// file descriptors, say).
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// Prints a line; a closed stdout (`briefly serve | head`) must not stop the
/// watcher thread, so write errors are ignored rather than panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub future: bool,
    pub expired: bool,
    pub poll: bool,
}

/// What the server shows: the last good build and the error, if the latest
/// rebuild failed.
pub fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let listener = bind(options.bind, options.port)?;
    let origin = origin(listener.local_addr()?);
    let mut engine = Engine::new(
        &options.root,
        options.drafts,
        BaseUrlOverride::Origin(origin.clone()),
    )
    .including(options.future, options.expired)
    .defer_search();
    let mut shown = Shown::default();
    let error = first_build(&mut engine, &mut shown);
    let first_root = root_path(&engine);
    let (snapshot_tx, snapshot_rx) = watch::channel(Snapshot {
        root_path: Arc::new(first_root.clone()),
        store: engine.store(),
        error,
        build: FIRST_BUILD,
        version: FIRST_BUILD,
        changed_in: imbl::OrdMap::new(),
    });
    let (live_tx, _) = broadcast::channel(64);
    // Watch before saying where we serve: an edit made right after that line
    // must not be missed.
    let watcher = crate::watch::Watcher::new(engine.root(), options.poll)?;
    say!(
        "Serving {} at {origin}{first_root} (Ctrl-C to stop)",
        options.root.display()
    );
    let live = live_tx.clone();
    std::thread::spawn(move || {
        let result = watcher.run_with(|watched| match watched {
            Watched::Changed(paths) => {
                rebuild(&mut engine, &paths, &mut shown, &snapshot_tx, &live);
            }
            Watched::Paused(stop) => refresh_search(&mut engine, stop, &snapshot_tx),
        });
        if let Err(e) = result {
            eprintln!("error: {e:#}");
        }
    });
    run(
        listener,
        AppState {
            snapshot: snapshot_rx,
            live: live_tx,
            session: session(),
        },
    )
}

/// The origin pages are served from, such as `http://127.0.0.1:1111`.
fn origin(address: SocketAddr) -> String {
    let host = match address.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}", address.port())
}

/// Runs the first build and prints what it made; the error, if it failed,
/// is shown on every page until a rebuild succeeds.
fn first_build(engine: &mut Engine, shown: &mut Shown) -> Option<Arc<String>> {
    match engine.rebuild(&[]) {
        Ok(outcome) => {
            print_warnings(shown, &outcome);
            say!(
                "Built {} briefings, {} tags, {} events ({} pages) in {} ms",
                outcome.briefings,
                outcome.tags,
                outcome.events,
                outcome.rendered,
                outcome.elapsed.as_millis()
            );
            None
        }
        Err(e) => {
            eprintln!("error: {e}");
            Some(Arc::new(e.to_string()))
        }
    }
}

/// Rebuilds after a change, puts the new snapshot in place and tells open
/// pages.
fn rebuild(
    engine: &mut Engine,
    paths: &[PathBuf],
    shown: &mut Shown,
    snapshot: &watch::Sender<Snapshot>,
    live: &broadcast::Sender<Live>,
) {
    let result = engine.rebuild(paths);
    let event = report(engine.root(), paths, &result, shown);
    let (build, version, mut changed_in) = {
        let last = snapshot.borrow();
        let next = last.build + u64::from(matches!(event, Live::Reload | Live::Css));
        (next, last.version + 1, last.changed_in.clone())
    };
    if let Ok(outcome) = &result {
        for path in &outcome.written {
            changed_in.insert(path.clone(), version);
        }
        for path in &outcome.removed {
            changed_in.remove(path);
        }
    }
    let error = result.err().map(|e| Arc::new(e.to_string()));
    snapshot.send_replace(Snapshot {
        root_path: Arc::new(root_path(engine)),
        store: engine.store(),
        error,
        build,
        version,
        changed_in,
    });
    // Sent only now that the new build is in place: a page never reloads
    // into a half-built site.
    let _ = live.send(event);
}

/// Once edits pause, makes the search index again if they changed the
/// site (rebuilds keep the last one, so an edit reaches its page first)
/// and serves it; open pages are not reloaded for it. An edit arriving
/// meanwhile stops the work, which is redone at the next pause.
fn refresh_search(
    engine: &mut Engine,
    stop: &(dyn Fn() -> bool + Sync),
    snapshot: &watch::Sender<Snapshot>,
) {
    match engine.refresh_search(stop) {
        None => {}
        Some(Ok(outcome)) => {
            if !outcome.written.is_empty() || !outcome.removed.is_empty() {
                say!(
                    "search index: {} files written in {} ms",
                    outcome.written.len(),
                    outcome.elapsed.as_millis()
                );
            }
            snapshot.send_modify(|s| {
                s.version += 1;
                for path in &outcome.written {
                    s.changed_in.insert(path.clone(), s.version);
                }
                for path in &outcome.removed {
                    s.changed_in.remove(path);
                }
                s.store = engine.store();
            });
        }
        Some(Err(e)) => eprintln!("search index: error: {e}"),
    }
}

/// Serves `state` on `listener` until Ctrl-C, then closes every connection:
/// live-reload streams end at once, responses under way get
/// `SHUTDOWN_GRACE` to finish.
fn run(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let live = state.live.clone();
        let app = axum::Router::new()
            .fallback(crate::serve_http::handle)
            .with_state(state);
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let graceful = GracefulShutdown::new();
        let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
        loop {
            let slot = tokio::select! {
                slot = Arc::clone(&slots).acquire_owned() => slot.expect("the semaphore is never closed"),
                _ = &mut stop => break,
            };
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    // One client gave up: accept the next.
                    Err(e) if matches!(
                        e.kind(),
                        std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                    ) => continue,
                    Err(_) => {
                        tokio::time::sleep(ACCEPT_RETRY).await;
                        continue;
                    }
                },
                _ = &mut stop => break,
            };
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                // A closed or timed-out connection is no news.
                let _ = connection.await;
                drop(slot);
            });
        }
        let _ = live.send(Live::Stop);
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
        say!("Stopped.");
        Ok(())
    })
}

/// A number that differs from one run to the next (see `AppState::session`).
fn session() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    crate::hash::hash_of((now, std::process::id()))
}

/// Binds the address, naming the next free port when it is taken.
fn bind(ip: IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    match TcpListener::bind(SocketAddr::new(ip, port)) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let free = (port.saturating_add(1)..port.saturating_add(100))
                .find(|p| TcpListener::bind(SocketAddr::new(ip, *p)).is_ok());
            match free {
                Some(free) => anyhow::bail!(
                    "port {port} on {ip} is in use (another briefly serve?); use a free one with --port {free}, or --port 0 to pick any"
                ),
                None => anyhow::bail!(
                    "port {port} on {ip} is in use; choose another with --port, or --port 0 to pick any"
                ),
            }
        }
        Err(e) => Err(e).with_context(|| format!("cannot listen on {ip}:{port}")),
    }
}

/// The site's root path, from the configuration the engine loaded (`/`
/// until one loads).
fn root_path(engine: &Engine) -> String {
    engine
        .config()
        .map_or_else(|| "/".to_string(), |c| c.base_url.root.clone())
}

/// Prints the warnings not printed yet.
fn print_warnings(shown: &mut Shown, outcome: &Outcome) {
    use std::io::Write as _;
    for line in crate::diagnostic::summarise(shown.news(&outcome.warnings)) {
        let _ = writeln!(std::io::stderr(), "warning: {line}");
    }
}

/// Prints the one-line report of a rebuild and says what open pages should do.
fn report(
    root: &Path,
    paths: &[PathBuf],
    result: &Result<Outcome, Diagnostics>,
    shown: &mut Shown,
) -> Live {
    let what = crate::watch::changed(root, paths);
    match result {
        Ok(outcome) => {
            print_warnings(shown, outcome);
            say!("{}", crate::watch::rebuilt(&what, outcome));
            if outcome.written.is_empty() && outcome.removed.is_empty() {
                Live::Ok
            } else if outcome.only_css() {
                Live::Css
            } else {
                Live::Reload
            }
        }
        Err(e) => {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "{what}: error: {e}");
            Live::Error(Arc::new(e.to_string()))
        }
    }
}
