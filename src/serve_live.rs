//! Live reload for `briefly serve`: the script injected into every served
//! HTML page, the error overlay shown while the latest rebuild has failed,
//! and the server-sent events stream that tells open pages what happened.
//! Serving files stays in `serve_http.rs`, rebuilding and the server itself
//! in `serve.rs`; nothing here is ever written to the output.

use std::convert::Infallible;
use std::sync::Arc;

use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use tokio::sync::broadcast;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

/// The live-reload endpoint, under the site's root path.
pub(crate) const LIVE_PATH: &str = "__briefly/live";

/// What open pages are told.
#[derive(Clone, Debug)]
pub(crate) enum Live {
    /// The number of the build being served.
    Build(u64),
    Reload,
    Css,
    Error(Arc<String>),
    Ok,
    /// The server is stopping: the stream ends, so its connection can close.
    Stop,
}

/// Adds the live-reload script, and the error overlay while an error stands,
/// before `</body>`. `root_path` is the site's root path and `build` the
/// number of the build the page comes from.
pub(crate) fn inject(mut page: String, root_path: &str, build: u64, error: Option<&str>) -> String {
    let mut extra = script(root_path, build);
    if let Some(error) = error {
        extra = format!("{}{extra}", overlay(error));
    }
    match page.rfind("</body>") {
        Some(at) => page.insert_str(at, &extra),
        None => page.push_str(&extra),
    }
    page
}

fn overlay(error: &str) -> String {
    let mut escaped = String::new();
    pulldown_cmark_escape::escape_html(&mut escaped, error)
        .expect("writing to a String cannot fail");
    format!(
        "<div id=\"briefly-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;border-top:4px solid #e5484d\"><strong>The last change did not build; this is the last good version.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{escaped}</pre></div>"
    )
}

/// The script a served page runs: it listens on the live endpoint, reloads
/// when a newer build is served, swaps style sheets when only CSS changed,
/// and shows or hides the error overlay.
pub(crate) fn script(root_path: &str, build: u64) -> String {
    format!(
        r#"<script>(function(){{
var build="{build}";
var es=new EventSource("{root}{live}");
es.addEventListener("build",function(e){{if(e.data!==build)location.reload();}});
function hide(){{var o=document.getElementById("briefly-error");if(o)o.remove();}}
function show(text){{hide();var d=document.createElement("div");d.innerHTML={overlay};d.firstChild.querySelector("pre").textContent=text;document.body.appendChild(d.firstChild);}}
es.addEventListener("reload",function(){{location.reload();}});
es.addEventListener("css",function(){{hide();document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){{var u=new URL(l.href);u.searchParams.set("v",Date.now());l.href=u.href;}});}});
es.addEventListener("build-error",function(e){{show(e.data);}});
es.addEventListener("build-ok",hide);
}})();</script>"#,
        root = root_path,
        live = LIVE_PATH,
        overlay = serde_json::to_string(&overlay("")).expect("a string serialises"),
    )
}

/// The event stream of one open page: first the build it should show (and
/// the standing error, if any), then every change as it is broadcast, until
/// the server stops.
pub(crate) fn events(
    updates: broadcast::Receiver<Live>,
    build: u64,
    error: Option<Arc<String>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<SseEvent, Infallible>> + use<>> {
    // On connecting, a page learns the current build: if a rebuild finished
    // between serving the page and this connection, it reloads at once.
    let mut first = vec![Live::Build(build)];
    first.extend(error.map(Live::Error));
    // A page that fell behind (missed events) just reloads.
    let updates = BroadcastStream::new(updates).map(|e| e.unwrap_or(Live::Reload));
    let stream = tokio_stream::iter(first)
        .chain(updates)
        .map_while(|event| sse(event).map(Ok));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The server-sent event that tells a page; none for `Stop`, which ends the
/// stream.
fn sse(event: Live) -> Option<SseEvent> {
    let event = match event {
        Live::Build(n) => SseEvent::default().event("build").data(n.to_string()),
        Live::Reload => SseEvent::default().event("reload").data("reload"),
        Live::Css => SseEvent::default().event("css").data("css"),
        Live::Ok => SseEvent::default().event("build-ok").data("ok"),
        Live::Error(text) => SseEvent::default().event("build-error").data(text.as_str()),
        Live::Stop => return None,
    };
    Some(event)
}
