//! `briefly check`: builds the site in memory (writing nothing) and reports
//! what a careful editor would want to know before publishing: broken
//! internal links and anchors (also those written as full URLs into the
//! site), missing images and files, briefings with no summary, duplicate
//! titles, events dated after their briefing, templates nothing uses,
//! script URLs left live by raw HTML or a template, images with no alt
//! text, and every external link, once per host.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use scraper::{Html, Selector};

use crate::briefing::Briefing;
use crate::config::BrokenLinks;
use crate::diagnostic::{Diagnostic, Kind};
use crate::engine::Engine;
use crate::links::{Target, classify};
use crate::output::Store;
use crate::pages::{Outputs, PageId};
use crate::site::{Doc, Site};
use crate::templates::TEMPLATES_DIR;
use crate::url::output_path;

/// What `check` found.
#[derive(Debug, Default)]
pub struct Report {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// External links: host -> how many links point there.
    pub hosts: BTreeMap<String, usize>,
    pub pages: usize,
}

/// Builds the engine's site in memory and checks it. A site that does not
/// build at all is reported with the build's errors.
pub fn check(mut engine: Engine) -> Report {
    let mut report = Report::default();
    engine.warn_on_broken_links();
    let outcome = match engine.rebuild(&[]) {
        Ok(outcome) => outcome,
        Err(errors) => {
            report.errors = errors.0;
            return report;
        }
    };
    // Broken links in bodies come from the build's own link checker, with
    // their lines; they are errors where `broken_links: error` fails a build.
    let (links, others): (Vec<_>, Vec<_>) = outcome
        .warnings
        .into_iter()
        .partition(|w| w.kind == Some(Kind::BrokenLink));
    match engine.broken_links() {
        BrokenLinks::Error => report.errors.extend(links),
        BrokenLinks::Warn => report.warnings.extend(links),
    }
    report.warnings.extend(others);
    let store = engine.store();
    let (Some(site), Some(outputs)) = (engine.site(), engine.outputs()) else {
        return report;
    };
    let (judged, empty_alt) = body_links(site, outputs);
    check_links(&store, site, outputs, &judged, &mut report);
    report.warnings.extend(empty_alt);
    report.warnings.extend(briefing_warnings(&site.briefings));
    report.warnings.extend(duplicate_titles(&site.briefings));
    report
        .warnings
        .extend(unused_templates(engine.root(), &engine.page_templates()));
    report.pages = store.len();
    report
}

/// Output page -> the Markdown file it comes from: a broken link is
/// reported against the file the author can fix.
fn origins(site: &Site) -> HashMap<PathBuf, PathBuf> {
    site.briefings
        .iter()
        .map(|b| (&b.path, &b.source_path))
        .chain(site.pages.iter().map(|p| (&p.path, &p.source_path)))
        .map(|(path, source)| {
            (
                crate::url::output_path(path),
                Path::new(crate::content::CONTENT_DIR).join(source),
            )
        })
        .collect()
}

/// Briefings with no summary, events dated after their briefing was
/// last updated, and, in a briefing that cites its sources, the sources it
/// never cites.
fn briefing_warnings(briefings: &[Arc<Briefing>]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for b in briefings {
        let shown = Path::new(crate::content::CONTENT_DIR).join(&b.source_path);
        if b.summary.trim().is_empty() {
            warnings.push(Diagnostic::new(
                &shown,
                "no summary: add `summary:` to the front matter or start the body with a paragraph",
            ));
        }
        let last = b.updated.unwrap_or(b.date).as_partial();
        for e in b.events.iter().filter(|e| e.date > last) {
            warnings.push(Diagnostic::new(
                &shown,
                format!(
                    "event `{}` is dated {}, after the briefing was last updated ({}): a typo?",
                    e.title,
                    e.date.iso(),
                    last.iso()
                ),
            ));
        }
        if b.sources.iter().any(|s| s.citations > 0 || s.id.is_some()) {
            for s in b.sources.iter().filter(|s| s.citations == 0) {
                let how = match &s.id {
                    Some(id) => format!("cite it with `[@{id}]`"),
                    None => "give it an `id:` and cite it with `[@id]`".to_string(),
                };
                warnings.push(Diagnostic::new(
                    &shown,
                    format!(
                        "the source `{}` is never cited: {how}, or remove it",
                        s.title
                    ),
                ));
            }
        }
    }
    warnings
}

/// One warning per title that more than one briefing uses, in title order.
fn duplicate_titles(briefings: &[Arc<Briefing>]) -> Vec<Diagnostic> {
    let mut titles: HashMap<&str, Vec<&Path>> = HashMap::new();
    for b in briefings {
        titles
            .entry(b.title.as_str())
            .or_default()
            .push(&b.source_path);
    }
    let mut duplicates: Vec<(&str, Vec<&Path>)> =
        titles.into_iter().filter(|(_, v)| v.len() > 1).collect();
    duplicates.sort();
    duplicates
        .into_iter()
        .map(|(title, files)| {
            let shown: Vec<String> = files
                .iter()
                .map(|f| format!("content/{}", f.display()))
                .collect();
            Diagnostic::new(
                shown[0].as_str(),
                format!(
                    "the title \"{title}\" is used by {} briefings: {}",
                    files.len(),
                    shown.join(", ")
                ),
            )
        })
        .collect()
}

/// Per output page made from a Markdown file, the links of its body, which
/// the build's link checker has judged (in-page `#fragment` ones too); and
/// the bodies' images with no alt text, by file and line.
fn body_links(
    site: &Site,
    outputs: &Outputs,
) -> (HashMap<PathBuf, HashSet<String>>, Vec<Diagnostic>) {
    let links = Selector::parse("[href], [src]").expect("a valid selector");
    let docs = (0..site.briefings.len())
        .map(Doc::Briefing)
        .chain((0..site.pages.len()).map(Doc::Page));
    let mut empty_alt = Vec::new();
    let judged = docs.filter_map(|doc| {
        let mut body =
            crate::body::render(site, outputs, doc, crate::body::Links::AsWritten).ok()?;
        empty_alt.append(&mut body.empty_alt);
        let html = Html::parse_fragment(&body.rendered.html);
        let found = html
            .select(&links)
            .filter_map(|e| e.attr("href").or(e.attr("src")))
            .map(str::to_string)
            .collect();
        let path = match doc {
            Doc::Briefing(i) => &site.briefings[i].path,
            Doc::Page(i) => &site.pages[i].path,
        };
        Some((crate::url::output_path(path), found))
    });
    (judged.collect(), empty_alt)
}

/// Every `href`/`src` of every HTML page that points into the site must be
/// a file of the output, and an `#anchor` an id on that page; one with a
/// script URL (which Markdown links never give) is worth a warning.
fn check_links(
    store: &Store,
    site: &Site,
    outputs: &Outputs,
    judged: &HashMap<PathBuf, HashSet<String>>,
    report: &mut Report,
) {
    let (base, origins) = (&site.base, &origins(site));
    let links =
        Selector::parse("a[href], link[href], img[src], script[src], source[src], iframe[src]")
            .expect("a valid selector");
    let (pages, anchors) = parse_pages(store);
    // Each broken link is reported once per page, however often it appears.
    let mut seen: BTreeSet<(PathBuf, String)> = BTreeSet::new();
    for (page, doc) in &pages {
        for element in doc.select(&links) {
            let Some(link) = element.attr("href").or(element.attr("src")) else {
                continue;
            };
            match classify(link, page, base) {
                Target::External(host) => *report.hosts.entry(host).or_default() += 1,
                Target::Other => {
                    if let Some(scheme) = crate::script_url::script_scheme(link)
                        && seen.insert((page.clone(), link.to_string()))
                    {
                        report
                            .warnings
                            .push(script_link(origins, page, link, &scheme));
                    }
                }
                // The build's checker has judged the links of bodies.
                Target::Internal(..)
                    if judged.get(page).is_some_and(|links| links.contains(link)) => {}
                Target::Internal(file, fragment) => {
                    // An alias leads to its briefing's page, headings and all.
                    let file = match outputs.alias(&file) {
                        Some(PageId::Redirect(i, _)) => output_path(&site.briefings[i].path),
                        _ => file,
                    };
                    if let Some(why) = broken(store, &anchors, &file, fragment.as_deref())
                        && seen.insert((page.clone(), link.to_string()))
                    {
                        report.errors.push(broken_link(origins, page, link, why));
                    }
                }
            }
        }
    }
}

/// Output HTML page -> the ids on it, which `#fragment` links must name.
type Anchors = HashMap<PathBuf, HashSet<String>>;

/// Every HTML page of the output, parsed, and the ids on each.
fn parse_pages(store: &Store) -> (Vec<(PathBuf, Html)>, Anchors) {
    let ids = Selector::parse("[id]").expect("a valid selector");
    let mut anchors = Anchors::new();
    let mut pages: Vec<(PathBuf, Html)> = Vec::new();
    for (path, body) in store.iter() {
        if path.extension().is_some_and(|e| e == "html") {
            let doc = Html::parse_document(&String::from_utf8_lossy(body));
            let found = doc
                .select(&ids)
                .filter_map(|e| e.attr("id"))
                .map(str::to_string)
                .collect();
            anchors.insert(path.clone(), found);
            pages.push((path.clone(), doc));
        }
    }
    (pages, anchors)
}

/// Why a link to an output file (and maybe a fragment) is broken, or None
/// when it is not. A fragment on a file that is not HTML is not checked.
fn broken(
    store: &Store,
    anchors: &Anchors,
    file: &Path,
    fragment: Option<&str>,
) -> Option<&'static str> {
    // A path with a dot may be a folder (`/releases/1.88.0`).
    let folder = file.join("index.html");
    let file = if store.contains_key(file) {
        file
    } else if store.contains_key(&folder) {
        folder.as_path()
    } else {
        return Some("no such page or file in the site");
    };
    match (fragment, anchors.get(file)) {
        (Some(f), Some(ids)) if !ids.contains(f) => {
            Some("there is no such heading or id on that page")
        }
        _ => None,
    }
}

/// The error for a broken link on `page`: against its Markdown file, or
/// against the templates (naming the page) when a template wrote it.
fn broken_link(
    origins: &HashMap<PathBuf, PathBuf>,
    page: &Path,
    link: &str,
    why: &str,
) -> Diagnostic {
    let (file, on) = match origins.get(page) {
        Some(source) => (source.clone(), String::new()),
        None => (
            PathBuf::from(TEMPLATES_DIR),
            format!(" on the page {}", page.display()),
        ),
    };
    Diagnostic::new(file, format!("broken link `{link}`{on}: {why}"))
}

/// The warning for a live script URL on `page`: against its Markdown file
/// (raw HTML, or a template showing a front-matter value), or against the
/// templates (naming the page).
fn script_link(
    origins: &HashMap<PathBuf, PathBuf>,
    page: &Path,
    link: &str,
    scheme: &str,
) -> Diagnostic {
    let link = crate::script_url::shown(link);
    let live = format!("a live `{scheme}` link, which runs a script in the reader's browser");
    let diagnostic = match origins.get(page) {
        Some(source) => Diagnostic::new(
            source,
            format!(
                "`{link}` is {live} (from raw HTML, or a template showing a front-matter value); remove it (`markdown: {{ raw_html: false }}` in site.yaml shows raw HTML as text)"
            ),
        ),
        None => Diagnostic::new(
            TEMPLATES_DIR,
            format!(
                "`{link}` on the page {} is {live}; remove it from the template",
                page.display()
            ),
        ),
    };
    diagnostic.kind(Kind::ScriptUrl)
}

/// Templates in the site's `templates/` that no rendered template uses;
/// `used` are those pages are rendered with (`Outputs::templates`).
fn unused_templates(root: &Path, used: &BTreeSet<String>) -> Vec<Diagnostic> {
    let dir = root.join(TEMPLATES_DIR);
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let relative = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        let name = relative.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_file()
            && !name.starts_with("static/")
            && !crate::templates::is_translation(&name)
        {
            sources.insert(
                name,
                std::fs::read_to_string(entry.path()).unwrap_or_default(),
            );
        }
    }
    sources
        .keys()
        .filter(|name| {
            !used.contains(name.as_str())
                && !sources
                    .iter()
                    .any(|(other, text)| other != *name && text.contains(&format!("\"{name}\"")))
                && !crate::templates::builtin_mentions(name)
        })
        .map(|name| {
            Diagnostic::new(
                Path::new(TEMPLATES_DIR).join(name),
                "no page uses this template (it is not a page template and nothing extends, includes or imports it)",
            )
        })
        .collect()
}
