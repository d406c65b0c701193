//! `briefly serve`: the site built in memory and served on 127.0.0.1, rebuilt
//! on every change, with live reload. The served site never touches
//! `public/`: what a dev server injects cannot be deployed by mistake.
//!
//! Pages are served from the rebuilder's in-memory output; the live-reload
//! script (server-sent events on the same port) and, while a rebuild has
//! failed, the error overlay (both in `serve_live.rs`) are injected into HTML
//! responses only here. The async runtime lives in this file and
//! `serve_live.rs` alone.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{broadcast, watch};

use crate::config::BaseUrlOverride;
use crate::diagnostic::{Diagnostics, Shown};
use crate::engine::{Engine, Outcome};
use crate::output::Store;
use crate::serve_live::{self, LIVE_PATH, Live};

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
#[derive(Clone)]
struct Snapshot {
    /// The site's root path (`/` or the sub-path of `base_url`).
    root_path: Arc<String>,
    store: Arc<Store>,
    error: Option<Arc<String>>,
    /// Counts good builds; a page carries the number it was served from.
    build: u64,
}

#[derive(Clone)]
struct AppState {
    snapshot: watch::Receiver<Snapshot>,
    live: broadcast::Sender<Live>,
}

impl Snapshot {
    /// Adds the live-reload script, and the error overlay while an error
    /// stands, to a served page.
    fn inject(&self, page: String) -> String {
        let error = self.error.as_deref().map(String::as_str);
        serve_live::inject(page, &self.root_path, self.build, error)
    }
}

pub fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let listener = bind(options.bind, options.port)?;
    let origin = origin(listener.local_addr()?);
    let mut engine = Engine::new(
        &options.root,
        options.drafts,
        BaseUrlOverride::Origin(origin.clone()),
    )
    .including(options.future, options.expired);
    let mut shown = Shown::default();
    let error = first_build(&mut engine, &mut shown);
    let first_root = root_path(&engine);
    let (snapshot_tx, snapshot_rx) = watch::channel(Snapshot {
        root_path: Arc::new(first_root.clone()),
        store: engine.store(),
        error,
        build: 1,
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
        let result =
            watcher.run(|paths| rebuild(&mut engine, &paths, &mut shown, &snapshot_tx, &live));
        if let Err(e) = result {
            eprintln!("error: {e:#}");
        }
    });
    run(
        listener,
        AppState {
            snapshot: snapshot_rx,
            live: live_tx,
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
    let build = snapshot.borrow().build + u64::from(matches!(event, Live::Reload | Live::Css));
    let error = result.err().map(|e| Arc::new(e.to_string()));
    snapshot.send_replace(Snapshot {
        root_path: Arc::new(root_path(engine)),
        store: engine.store(),
        error,
        build,
    });
    // Sent only now that the new build is in place: a page never reloads
    // into a half-built site.
    let _ = live.send(event);
}

/// Serves `state` on `listener` until Ctrl-C.
fn run(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = axum::Router::new().fallback(handle).with_state(state);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
                say!("Stopped.");
            })
            .await
            .context("the server stopped")
    })
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

async fn handle(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = state.snapshot.borrow().clone();
    let Some(path) = decode(uri.path()) else {
        return not_found(&snapshot);
    };
    let root = snapshot.root_path.as_str();
    // The request's path is decoded; so must the root be (`/caf%C3%A9/`).
    let decoded_root = percent_encoding::percent_decode_str(root).decode_utf8_lossy();
    let Some(rest) = path.strip_prefix(decoded_root.as_ref()) else {
        // `/` and `/watch` lead to the site's root `/watch/`.
        if path == "/" || format!("{path}/") == decoded_root {
            return redirect(root);
        }
        return not_found(&snapshot);
    };
    if rest == LIVE_PATH {
        let updates = state.live.subscribe();
        return serve_live::events(updates, snapshot.build, snapshot.error.clone()).into_response();
    }
    let file = if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_string()
    };
    if let Some(body) = snapshot.store.get(Path::new(&file)) {
        return respond(&snapshot, StatusCode::OK, &file, body);
    }
    if snapshot
        .store
        .contains_key(Path::new(&format!("{rest}/index.html")))
    {
        return redirect(&format!("{path}/"));
    }
    not_found(&snapshot)
}

/// The percent-decoded path, or None when it could escape the site: `..`
/// segments (also encoded), backslashes, NUL bytes.
fn decode(raw: &str) -> Option<String> {
    let path = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?
        .into_owned();
    let bad = path.contains('\\')
        || path.contains('\0')
        || path
            .split('/')
            .any(|segment| segment == ".." || segment == ".");
    (!bad && path.starts_with('/')).then_some(path)
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.store.get(Path::new("404.html")) {
        Some(body) => respond(snapshot, StatusCode::NOT_FOUND, "404.html", body),
        None => {
            // `inject` adds the live-reload script, as to every page.
            let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>";
            let page = snapshot.inject(page.to_string());
            html_response(StatusCode::NOT_FOUND, page)
        }
    }
}

fn respond(snapshot: &Snapshot, status: StatusCode, file: &str, body: &Arc<Vec<u8>>) -> Response {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    if mime.essence_str() == "text/html" {
        let page = String::from_utf8_lossy(body).into_owned();
        return html_response(status, snapshot.inject(page));
    }
    let mut response = Response::new(Body::from(body.as_ref().clone()));
    *response.status_mut() = status;
    let content_type = if mime.type_() == mime_guess::mime::TEXT || mime.subtype() == "xml" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn html_response(status: StatusCode, page: String) -> Response {
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_escape_are_refused() {
        assert_eq!(decode("/watch/a%20b/").as_deref(), Some("/watch/a b/"));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/a/%2E%2E/%2e%2e/x",
            "/a\\..\\b",
            "/%00",
            "/./x",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
