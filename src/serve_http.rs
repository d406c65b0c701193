//! One request to `briefly serve`, one response: what is served (the
//! `Snapshot` of the last good build), which hosts are answered, the file
//! a path names, its content type and ETag, redirects and 404s. Building,
//! watching and the connections themselves stay in `serve.rs`; the
//! live-reload script and stream in `serve_live.rs`.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{broadcast, watch};

use crate::output::Store;
use crate::serve_live::{self, LIVE_PATH, Live};

/// The number of the first build.
pub(crate) const FIRST_BUILD: u64 = 1;

/// What the server shows: the last good build and the error, if the latest
/// rebuild failed.
#[derive(Clone)]
pub(crate) struct Snapshot {
    /// The site's root path (`/` or the sub-path of `base_url`).
    pub(crate) root_path: Arc<String>,
    pub(crate) store: Arc<Store>,
    pub(crate) error: Option<Arc<String>>,
    /// Counts good builds; a page carries the number it was served from.
    pub(crate) build: u64,
    /// Counts changes to the output: good builds and search index
    /// refreshes (which reload no page).
    pub(crate) version: u64,
    /// The version each output file last changed in, for the files that
    /// changed after the first build: with `AppState::session`, a file's
    /// ETag, found without reading the file.
    pub(crate) changed_in: imbl::OrdMap<PathBuf, u64>,
}

#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) snapshot: watch::Receiver<Snapshot>,
    pub(crate) live: broadcast::Sender<Live>,
    /// Differs from one run of `serve` to the next, so an ETag a browser
    /// kept from an earlier run never matches.
    pub(crate) session: u64,
}

impl Snapshot {
    /// Adds the live-reload script, and the error overlay while an error
    /// stands, to a served page.
    fn inject(&self, page: String) -> String {
        let error = self.error.as_deref().map(String::as_str);
        serve_live::inject(page, &self.root_path, self.build, error)
    }

    /// The ETag of `file` as served now. An HTML page carries the build
    /// number and the error overlay, so its tag follows them; any other file
    /// is served as it is stored, so its tag changes only with its bytes.
    fn etag(&self, session: u64, file: &str) -> String {
        if is_html(file) {
            let error = self.error.as_deref().map_or(0, crate::hash::hash_of);
            format!("\"{session:x}-b{}-{error:x}\"", self.build)
        } else {
            let changed = self
                .changed_in
                .get(Path::new(file))
                .copied()
                .unwrap_or(FIRST_BUILD);
            format!("\"{session:x}-{changed}\"")
        }
    }
}

/// Every response says `nosniff`: a browser takes the content type as
/// given.
pub(crate) async fn handle(State(state): State<AppState>, request: Request) -> Response {
    let mut response = answer(&state, &request);
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn answer(state: &AppState, request: &Request) -> Response {
    if !names_local_host(request) {
        return plain(
            StatusCode::FORBIDDEN,
            "briefly serve answers only requests for localhost or an IP address (a guard against DNS rebinding)\n",
        );
    }
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = state.snapshot.borrow().clone();
    let Some(path) = decode(request.uri().path()) else {
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
        let etag = snapshot.etag(state.session, &file);
        let mut response = if none_match(request.headers(), &etag) {
            respond(&snapshot, StatusCode::OK, &file, body)
        } else {
            StatusCode::NOT_MODIFIED.into_response()
        };
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        // Kept, but asked for again each time: the answer is a 304 while
        // the ETag holds.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return response;
    }
    if snapshot
        .store
        .contains_key(Path::new(&format!("{rest}/index.html")))
    {
        return redirect(&format!("{path}/"));
    }
    not_found(&snapshot)
}

/// Whether the request names `localhost` or an IP address as its host, in
/// its `Host` header and in its target if that is absolute. A page that
/// reaches this server through DNS rebinding names its own domain, so it
/// is refused; an IP address cannot be rebound, so `--bind 0.0.0.0` is
/// answered at the machine's address.
fn names_local_host(request: &Request) -> bool {
    let local = |authority: &Authority| {
        let host = authority.host();
        host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok()
    };
    let header = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<Authority>().ok());
    header.as_ref().is_some_and(local) && request.uri().authority().is_none_or(local)
}

/// Whether no tag of `If-None-Match` matches `etag` (the weak comparison of
/// RFC 9110 13.1.2): the file must be sent.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    !headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
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
    let mut response = match snapshot.store.get(Path::new("404.html")) {
        Some(body) => respond(snapshot, StatusCode::NOT_FOUND, "404.html", body),
        None => {
            // `inject` adds the live-reload script, as to every page.
            let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>";
            html_response(StatusCode::NOT_FOUND, snapshot.inject(page.to_string()))
        }
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn is_html(file: &str) -> bool {
    mime_guess::from_path(file)
        .first()
        .is_some_and(|mime| mime.essence_str() == "text/html")
}

/// The content type of an output file: by its extension, except the feeds,
/// whose `.xml` and `.json` would say `text/xml` and `application/json`.
fn content_type(file: &str) -> String {
    let feed = match Path::new(file).file_name().and_then(|n| n.to_str()) {
        Some(crate::pages::FEED_FILE) => Some("application/atom+xml"),
        Some("rss.xml") => Some("application/rss+xml"),
        Some("feed.json") => Some("application/feed+json"),
        _ => None,
    };
    if let Some(feed) = feed {
        return format!("{feed}; charset=utf-8");
    }
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT || mime.subtype() == "xml" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

fn respond(snapshot: &Snapshot, status: StatusCode, file: &str, body: &Arc<Vec<u8>>) -> Response {
    if is_html(file) {
        let page = String::from_utf8_lossy(body).into_owned();
        return html_response(status, snapshot.inject(page));
    }
    let mut response = Response::new(Body::from(body.as_ref().clone()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type(file)) {
        headers.insert(header::CONTENT_TYPE, value);
    }
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
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
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

    fn with_host(target: &str, host: Option<&str>) -> Request {
        let mut builder = Request::builder().uri(target);
        if let Some(host) = host {
            builder = builder.header(header::HOST, host);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_local_hosts_are_named() {
        for host in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1:80",
            "[::1]",
            "10.0.0.2:1111",
        ] {
            assert!(names_local_host(&with_host("/", Some(host))), "{host}");
        }
        for host in [
            "evil.example",
            "localhost.evil.example:1111",
            "127.0.0.1.nip.io",
            "",
            "[::1",
        ] {
            assert!(!names_local_host(&with_host("/", Some(host))), "{host}");
        }
        assert!(!names_local_host(&with_host("/", None)));
        assert!(!names_local_host(&with_host(
            "http://evil.example/",
            Some("localhost")
        )));
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let headers = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            headers
        };
        assert!(none_match(&HeaderMap::new(), "\"a-1\""));
        assert!(none_match(&headers("\"a-2\""), "\"a-1\""));
        assert!(!none_match(&headers("\"a-1\""), "\"a-1\""));
        assert!(!none_match(&headers("\"x\", W/\"a-1\""), "\"a-1\""));
        assert!(!none_match(&headers("*"), "\"a-1\""));
    }
}
