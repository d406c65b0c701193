//! Page views -> bytes. `render` makes the listed pages in parallel (rayon
//! over the immutable site) and hands each `Output` to a sink as soon as it
//! is made, so no list of every page is ever held. Given the previous
//! fingerprints, it first hashes each page's view and renders only the
//! pages whose fingerprint moved. Template errors are reported once per
//! template and line, with how many pages they hit.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::BrokenLinks;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::output::Output;
use crate::pages::PageId;
use crate::search::Gatherer;
use crate::templates::{Page, Templates};
use crate::url::output_path;
use crate::view::Views;

/// Page fingerprints by page identity (`PageId::key`). A fingerprint
/// covers the page's path too, so an unchanged one means the same bytes at
/// the same place.
pub type Fingerprints = HashMap<u64, u64>;

/// Template errors keyed by (file, line, message), with how many pages hit each.
type DistinctErrors = BTreeMap<(String, Option<usize>, String), (Diagnostic, usize)>;

/// What one page of a render pass gave.
pub struct Done {
    /// `PageId::key`.
    pub key: u64,
    /// Its fingerprint, when fingerprints were asked for.
    pub fingerprint: Option<u64>,
    /// Whether it was rendered (else its fingerprint was unchanged).
    pub rendered: bool,
    /// Warnings its body gave (broken links with `broken_links: warn`,
    /// links with a script URL shown as text).
    pub warnings: Vec<Diagnostic>,
}

/// Which pages to fingerprint and skip.
#[derive(Clone, Copy)]
pub enum Fingerprinting<'a> {
    /// Render every page, fingerprint none (a one-off build).
    Off,
    /// Fingerprint every page; render those whose fingerprint differs from
    /// the previous one.
    Against(&'a Fingerprints),
}

/// Renders `pages` and hands each to `sink`. Returns what was done per
/// page, or every distinct template error.
pub fn render<F>(
    views: &Views,
    templates: &Templates,
    pages: &[PageId],
    fingerprinting: Fingerprinting,
    search: Option<&Gatherer>,
    sink: F,
) -> Result<Vec<Done>, Vec<Diagnostic>>
where
    F: Fn(Output) -> Result<(), Diagnostic> + Sync,
{
    let renderer = PageRenderer {
        views,
        templates,
        search,
    };
    let errors: Mutex<DistinctErrors> = Mutex::new(BTreeMap::new());
    let done: Vec<Done> = pages
        .par_iter()
        .map(|&id| {
            let path = id.path(views.site);
            let key = id.key(views.site);
            let fingerprint = match fingerprinting {
                Fingerprinting::Off => None,
                Fingerprinting::Against(previous) => {
                    let fingerprint = views.fingerprint(id, &path);
                    if previous.get(&key) == Some(&fingerprint) {
                        return Done {
                            key,
                            fingerprint: Some(fingerprint),
                            rendered: false,
                            warnings: Vec::new(),
                        };
                    }
                    Some(fingerprint)
                }
            };
            let warnings = match renderer.render_at(id, &path) {
                Ok((output, warnings)) => match sink(output) {
                    Ok(()) => warnings,
                    Err(d) => {
                        note(&errors, d);
                        Vec::new()
                    }
                },
                Err(all) => {
                    all.into_iter().for_each(|d| note(&errors, d));
                    Vec::new()
                }
            };
            Done {
                key,
                fingerprint,
                rendered: true,
                warnings,
            }
        })
        .collect();
    let errors = errors
        .into_inner()
        .expect("no thread panics while holding the lock");
    if !errors.is_empty() {
        return Err(errors
            .into_values()
            .map(|(mut d, count)| {
                if count > 1 {
                    d.message += &format!(" and {} other pages", count - 1);
                }
                d
            })
            .collect());
    }
    Ok(done)
}

fn note(errors: &Mutex<DistinctErrors>, d: Diagnostic) {
    let message = d
        .message
        .split(" (while rendering")
        .next()
        .unwrap_or("")
        .to_string();
    let key = (d.path.display().to_string(), d.line, message);
    let mut errors = errors
        .lock()
        .expect("no thread panics while holding the lock");
    errors.entry(key).or_insert((d, 0)).1 += 1;
}

/// Renders single pages: what `render` does for each, public so that a
/// benchmark or a tool can render one page of a loaded site.
pub struct PageRenderer<'a> {
    views: &'a Views<'a>,
    templates: &'a Templates,
    /// Given each briefing's body text as its page is rendered.
    search: Option<&'a Gatherer>,
}

impl<'a> PageRenderer<'a> {
    pub fn new(views: &'a Views<'a>, templates: &'a Templates) -> Self {
        PageRenderer {
            views,
            templates,
            search: None,
        }
    }

    /// Renders one page at its own path.
    pub fn render(&self, id: PageId) -> Result<Output, Diagnostic> {
        self.render_at(id, &id.path(self.views.site))
            .map(|(o, _)| o)
            .map_err(|mut errors| errors.remove(0))
    }

    /// Renders page `id`, with the warnings its bodies gave. A broken link
    /// in a body is an error under `broken_links: error` (every one, each
    /// with its line), else a warning; a script URL is always a warning.
    fn render_at(
        &self,
        id: PageId,
        path: &str,
    ) -> Result<(Output, Vec<Diagnostic>), Vec<Diagnostic>> {
        let views = self.views;
        let site = views.site;
        let (mut broken, mut warnings) = (Vec::new(), Vec::new());
        let mut no_anchor = Vec::new();
        let mut bodies: Vec<Rendered> = Vec::new();
        // Feeds are read away from the site: their links are absolute.
        let links = match id {
            PageId::Feed(_) => crate::body::Links::Absolute,
            _ => crate::body::Links::AsWritten,
        };
        for doc in views.bodies(id) {
            let mut text = String::new();
            let read = match (self.search, id) {
                (Some(_), PageId::Briefing(_)) => Some(&mut text),
                _ => None,
            };
            let body = crate::body::render_reading(site, views.outputs, doc, links, read)
                .map_err(|d| vec![d])?;
            if let (Some(search), PageId::Briefing(i)) = (self.search, id) {
                search.read(site, i, &text);
            }
            // The feed shows bodies whose own pages already report them.
            if !matches!(id, PageId::Feed(_)) {
                broken.extend(body.broken);
                no_anchor.extend(body.no_anchor);
                warnings.extend(body.warnings);
            }
            bodies.push(body.rendered);
        }
        let page = Page {
            path: path.to_string(),
            source: id.source(site).map(|s| s.to_path_buf()),
        };
        let view = views.page(id, &bodies);
        let context = views
            .context(path, &view)
            .map_err(|e| vec![self.templates.error(&e, &page)])?;
        let body = self
            .templates
            .render(id.template(site), &context, &page)
            .map_err(|d| vec![d])?;
        // An in-page link the body has no id for may name one the template adds.
        if !no_anchor.is_empty() {
            let ids = ids(&body);
            broken.extend(
                no_anchor
                    .into_iter()
                    .filter(|(fragment, _)| !has_id(&ids, fragment))
                    .map(|(_, diagnostic)| diagnostic),
            );
        }
        if site.config.broken_links == BrokenLinks::Error && !broken.is_empty() {
            return Err(broken);
        }
        warnings.extend(broken);
        let path = output_path(path);
        let mut body = body.into_bytes();
        if site.config.minify {
            body = crate::minify::file(&path, body);
        }
        Ok((Output { path, body }, warnings))
    }
}

/// The ids of an HTML page's elements (and, as browsers also scroll to
/// them, its `<a name>`s), as templates and Markdown write attributes:
/// after a space, quoted with `"` (escaped) or `'`. Read once per page,
/// however many in-page links it checks.
fn ids(html: &str) -> std::collections::HashSet<&str> {
    let mut found = std::collections::HashSet::new();
    for name in ["id=", "name="] {
        for (at, _) in html.match_indices(name) {
            if !html[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            let rest = &html[at + name.len()..];
            let Some(quote) = rest.chars().next().filter(|q| *q == '"' || *q == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                found.insert(&rest[1..1 + end]);
            }
        }
    }
    found
}

/// Whether `ids` (of a page, see `ids`) hold this id, as written or escaped.
fn has_id(ids: &std::collections::HashSet<&str>, id: &str) -> bool {
    ids.contains(id) || ids.contains(html_escape::encode_double_quoted_attribute(id).as_ref())
}

#[cfg(test)]
mod tests {
    use super::{has_id, ids};

    #[test]
    fn ids_are_attributes_of_their_own() {
        let html = ids("<h2 id=\"a\">A</h2><p data-id=\"b\"><a\nname='c'>x</a><i id=\"d&amp;e\">");
        let html = &html;
        assert!(has_id(html, "a"));
        assert!(!has_id(html, "b"), "data-id is not an id");
        assert!(has_id(html, "c"));
        assert!(has_id(html, "d&e"));
        assert!(!has_id(html, "z"));
    }
}
