//! Site -> pages. `Templates` sets up Tera: the built-in theme (this
//! repository's `templates/`, embedded in the binary) overridden by file name
//! with a site's own `templates/`. `render` makes every page of the site in
//! parallel and hands each `Output` to a sink as soon as it is made, so no
//! list of every page is ever held. What each template receives is built from
//! the typed views in `view.rs`.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use include_dir::{Dir, include_dir};
use rayon::prelude::*;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::config::BrokenLinks;
use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::site::Site;
use crate::url::output_path;
use crate::view::{self, Views};

/// The built-in theme.
static BUILTIN: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");

pub const TEMPLATES_DIR: &str = "templates";

/// One file of the output: where it goes and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the output folder.
    pub path: PathBuf,
    pub body: Vec<u8>,
}

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Builtin(&'static [u8]),
    Site(PathBuf),
}

pub struct Templates {
    tera: Tera,
    /// A hash of every template and static file name and text: equal when
    /// nothing a page could depend on changed.
    pub generation: u64,
    /// Template name -> the file as the user knows it, for error messages.
    origins: BTreeMap<String, String>,
    /// Output path -> source, for `templates/static/`.
    pub statics: BTreeMap<PathBuf, StaticFile>,
}

impl Templates {
    /// Loads the built-in theme and a site's overrides, reporting every
    /// template with a syntax error.
    pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        for file in builtin_files(&BUILTIN) {
            let name = file.path().to_string_lossy().replace('\\', "/");
            if let Some(rest) = name.strip_prefix("static/") {
                statics.insert(PathBuf::from(rest), StaticFile::Builtin(file.contents()));
            } else {
                let text = file.contents_utf8().expect("built-in templates are UTF-8");
                sources.insert(
                    name.clone(),
                    (text.to_string(), format!("{name} (built-in template)")),
                );
            }
        }
        let mut errors = Vec::new();
        let dir = root.join(TEMPLATES_DIR);
        if dir.is_dir() {
            for entry in WalkDir::new(&dir).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) if e.file_type().is_file() => e,
                    Ok(_) => continue,
                    Err(e) => {
                        errors.push(Diagnostic::new(TEMPLATES_DIR, format!("cannot read: {e}")));
                        continue;
                    }
                };
                let relative = entry
                    .path()
                    .strip_prefix(&dir)
                    .expect("walkdir stays under its root");
                let name = relative.to_string_lossy().replace('\\', "/");
                if crate::content::is_ignored(&entry.file_name().to_string_lossy()) {
                    continue;
                }
                let shown = Path::new(TEMPLATES_DIR)
                    .join(relative)
                    .display()
                    .to_string();
                if let Some(rest) = name.strip_prefix("static/") {
                    statics.insert(
                        PathBuf::from(rest),
                        StaticFile::Site(entry.path().to_path_buf()),
                    );
                    continue;
                }
                match std::fs::read(entry.path()).map(String::from_utf8) {
                    Ok(Ok(text)) => {
                        sources.insert(name, (text, shown));
                    }
                    Ok(Err(_)) => errors.push(Diagnostic::new(
                        &shown,
                        "the template is not UTF-8 text: save it as UTF-8",
                    )),
                    Err(e) => errors.push(Diagnostic::new(&shown, format!("cannot read: {e}"))),
                }
            }
        }
        let origins: BTreeMap<String, String> = sources
            .iter()
            .map(|(name, (_, shown))| (name.clone(), shown.clone()))
            .collect();
        // Parse each template alone first, so every broken one is reported.
        for (name, (text, _)) in &sources {
            let mut alone = Tera::default();
            if let Err(e) = alone.add_raw_template(name, text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                errors.push(tera_diagnostic(&e, &origins, None));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let generation = {
            let mut hasher = crate::rebuild::FingerprintHasher::new();
            sources
                .iter()
                .for_each(|(name, (text, _))| (name, text).hash(&mut hasher));
            statics.keys().for_each(|path| path.hash(&mut hasher));
            hasher.finish()
        };
        let mut tera = Tera::default();
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| vec![tera_diagnostic(&e, &origins, None)])?;
        Ok(Templates {
            tera,
            generation,
            origins,
            statics,
        })
    }

    fn render(&self, name: &str, context: &Context, page: &Page) -> Result<Output, Diagnostic> {
        let body = self
            .tera
            .render(name, context)
            .map_err(|e| tera_diagnostic(&e, &self.origins, Some(page)))?;
        Ok(Output {
            path: output_path(&page.path),
            body: body.into_bytes(),
        })
    }
}

/// Whether a built-in template names `name` in quotes (extends, include,
/// import), so a site's file of that name is used.
pub fn builtin_mentions(name: &str) -> bool {
    let quoted = format!("\"{name}\"");
    builtin_files(&BUILTIN)
        .iter()
        .filter_map(|f| f.contents_utf8())
        .any(|text| text.contains(&quoted))
}

fn builtin_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(builtin_files(sub));
    }
    files
}

/// Describes a page being rendered, for error messages.
pub struct Page {
    pub path: String,
    pub source: Option<PathBuf>,
}

fn tera_diagnostic(
    error: &tera::Error,
    origins: &BTreeMap<String, String>,
    page: Option<&Page>,
) -> Diagnostic {
    let rendering = page.map(|p| match &p.source {
        Some(source) => format!(
            " (while rendering {} from content/{})",
            p.path,
            source.display()
        ),
        None => format!(" (while rendering {})", p.path),
    });
    let rendering = rendering.unwrap_or_default();
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = origins
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| report.filename().to_string());
            let span = report.span();
            Diagnostic::new(file, format!("{}{rendering}", report.message()))
                .at(span.start_line, Some(span.start_col + 1))
        }
        _ => Diagnostic::new(TEMPLATES_DIR, format!("{error}{rendering}")),
    }
}

/// What to render: one value per page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Index(usize),
    Briefing(usize),
    Page(usize),
    Tags,
    Tag(usize),
    Timeline(Option<usize>),
    NotFound,
    Feed,
    /// A page at an old path (`aliases`, `redirect_from`) of briefing `.0`
    /// that sends readers to its page.
    Redirect(usize, usize),
    /// `/sitemap.xml`, or with a part number one of the parts a large
    /// site's sitemap is split into.
    Sitemap(Option<usize>),
    Robots,
}

/// Template errors keyed by (file, line, message), with how many pages hit each.
type DistinctErrors = BTreeMap<(String, Option<usize>, String), (Diagnostic, usize)>;

/// Page fingerprints (see `rebuild.rs`) by page identity (`job_key`). A
/// fingerprint covers the page's path too, so an unchanged one means the
/// same bytes at the same place.
pub type Fingerprints = HashMap<u64, u64>;

/// A page's identity across rebuilds: its briefing's, tag's or year's path
/// rather than an index, which shifts when a briefing is added before it.
pub fn job_key(job: Job, site: &Site) -> u64 {
    use crate::rebuild::hash_of;
    match job {
        Job::Briefing(i) => hash_of(("briefing", &site.briefings[i].path)),
        Job::Page(i) => hash_of(("page", &site.pages[i].path)),
        Job::Tag(t) => hash_of(("tag", &site.tags[t].slug)),
        Job::Timeline(Some(y)) => hash_of(("year", site.timeline.years[y].year)),
        Job::Redirect(i, k) => hash_of(("redirect", &site.briefings[i].aliases[k])),
        other => hash_of(other),
    }
}

/// What one render pass did.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Pages rendered (those whose fingerprint changed, or all of them).
    pub pages: usize,
    /// Every page's fingerprint, when fingerprints were asked for.
    pub fingerprints: Fingerprints,
}

/// Every page of the site, in a fixed order: the long list pages first
/// (tag pages with the most briefings, the timeline, the feed, the sitemap),
/// so that on a big site they do not end the build on one core while the
/// other waits.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut tags: Vec<usize> = (0..site.tags.len()).collect();
    tags.sort_by_key(|&t| std::cmp::Reverse(site.tags[t].briefings.len()));
    let mut jobs: Vec<Job> = tags.into_iter().map(Job::Tag).collect();
    jobs.push(Job::Timeline(None));
    if site.timeline.is_split() {
        jobs.extend((0..site.timeline.years.len()).map(|y| Job::Timeline(Some(y))));
    }
    jobs.extend([Job::Feed, Job::Sitemap(None)]);
    jobs.extend((0..view::sitemap_parts(site)).map(|k| Job::Sitemap(Some(k))));
    jobs.push(Job::Tags);
    jobs.extend((0..view::index_pages(site)).map(Job::Index));
    jobs.extend((0..site.briefings.len()).map(Job::Briefing));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend([Job::NotFound, Job::Robots]);
    for (i, b) in site.briefings.iter().enumerate() {
        jobs.extend((0..b.aliases.len()).map(|k| Job::Redirect(i, k)));
    }
    jobs
}

/// The site path a job writes.
pub fn job_path(job: Job, site: &Site) -> String {
    match job {
        Job::Index(0) => "/".to_string(),
        Job::Index(n) => format!("/page/{}/", n + 1),
        Job::Briefing(i) => site.briefings[i].path.clone(),
        Job::Page(i) => site.pages[i].path.clone(),
        Job::Tags => "/tags/".to_string(),
        Job::Tag(t) => site.tags[t].path(),
        Job::Timeline(year) => view::timeline_path(year.map(|y| site.timeline.years[y].year)),
        Job::NotFound => "/404.html".to_string(),
        Job::Feed => "/atom.xml".to_string(),
        Job::Sitemap(part) => view::sitemap_path(part),
        Job::Redirect(i, k) => site.briefings[i].aliases[k].clone(),
        Job::Robots => "/robots.txt".to_string(),
    }
}

/// Renders the pages of the site and hands each to `sink`. With `previous`
/// fingerprints, a page whose fingerprint is unchanged is not rendered at
/// all. Returns what was done, or every distinct template error (once per
/// template and line, with the number of pages it hit).
pub fn render<F>(
    site: &Site,
    templates: &Templates,
    previous: Option<&Fingerprints>,
    sink: F,
) -> Result<Rendered, Vec<Diagnostic>>
where
    F: Fn(Output) -> Result<(), Diagnostic> + Sync,
{
    let pages = PageRenderer::new(site, templates);
    let jobs = jobs(site);
    let fingerprinter =
        previous.map(|_| crate::rebuild::Fingerprinter::new(site, templates.generation));
    let errors: Mutex<DistinctErrors> = Mutex::new(BTreeMap::new());
    let done: Vec<(u64, u64, bool)> = jobs
        .par_iter()
        .map(|&job| {
            let fingerprint = fingerprinter.as_ref().map_or(0, |f| f.job(job));
            let key = if previous.is_some() {
                job_key(job, site)
            } else {
                0
            };
            if previous.is_some_and(|p| p.get(&key) == Some(&fingerprint)) {
                return (key, fingerprint, false);
            }
            let path = job_path(job, site);
            if let Err(d) = pages.render_at(job, &path).and_then(&sink) {
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
            (key, fingerprint, true)
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
    let mut rendered = Rendered::default();
    for (key, fingerprint, made) in done {
        rendered.pages += usize::from(made);
        if previous.is_some() {
            rendered.fingerprints.insert(key, fingerprint);
        }
    }
    Ok(rendered)
}

/// Renders single pages: what `render` does for each job, public so that a
/// benchmark or a tool can render one page of a loaded site.
pub struct PageRenderer<'a> {
    views: Views<'a>,
    templates: &'a Templates,
}

impl<'a> PageRenderer<'a> {
    /// Prepares what every page shares (the summaries as template values).
    pub fn new(site: &'a Site, templates: &'a Templates) -> Self {
        PageRenderer {
            views: Views::new(site),
            templates,
        }
    }

    /// Renders one page at its own path.
    pub fn render(&self, job: Job) -> Result<Output, Diagnostic> {
        self.render_at(job, &job_path(job, self.views.site))
    }

    fn render_at(&self, job: Job, path: &str) -> Result<Output, Diagnostic> {
        let (views, templates) = (&self.views, self.templates);
        let site = views.site;
        let mut context = views.context(path);
        let mut source = None;
        let name = match job {
            Job::Index(n) => {
                context.insert("briefings", &views.index_briefings(n));
                context.insert("paginator", &views.paginator(n));
                "index.html"
            }
            Job::Briefing(i) => {
                let (older, newer) = site.neighbours(i);
                let body = briefing_body(site, i, true)?;
                context.insert("briefing", &views.briefing(i, &body));
                context.insert("previous", &older.map(|j| views.summary_value(j)));
                context.insert("next", &newer.map(|j| views.summary_value(j)));
                let related: Vec<_> = site
                    .related(i)
                    .into_iter()
                    .map(|j| views.summary_value(j))
                    .collect();
                context.insert("related", &related);
                source = Some(site.briefings[i].source_path.clone());
                "briefing.html"
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                let shown = Path::new(crate::content::CONTENT_DIR).join(&p.source_path);
                let body = linked_body(site, &p.source_path, &shown, &p.body, p.body_line, true)?;
                context.insert("page", &views.page(i, &body));
                source = Some(site.pages[i].source_path.clone());
                "page.html"
            }
            Job::Tags => {
                context.insert("tags", &views.tags);
                "tags.html"
            }
            Job::Tag(t) => {
                context.insert("tag", &views.tags[t]);
                let briefings: Vec<_> = site.tags[t]
                    .briefings
                    .iter()
                    .map(|&j| views.summary_value(j))
                    .collect();
                context.insert("briefings", &briefings);
                "tag.html"
            }
            Job::Timeline(year) => {
                views.timeline(year, &mut context);
                "timeline.html"
            }
            Job::NotFound => "404.html",
            Job::Feed => {
                views.feed(&mut context)?;
                "atom.xml"
            }
            Job::Sitemap(None) if view::sitemap_parts(site) > 0 => {
                context.insert("sitemaps", &views.sitemap_parts());
                "sitemap_index.xml"
            }
            Job::Sitemap(part) => {
                context.insert("entries", &views.sitemap(part));
                "sitemap.xml"
            }
            Job::Robots => "robots.txt",
            Job::Redirect(i, _) => {
                let b = &site.briefings[i];
                context.insert("target", &views.redirect_target(i));
                source = Some(b.source_path.clone());
                "redirect.html"
            }
        };
        let page = Page {
            path: path.to_string(),
            source,
        };
        templates.render(name, &context, &page)
    }
}

/// Briefing `i`'s body as HTML: its file is read again (briefings keep only
/// their metadata in memory) and rendered with its links resolved.
/// `warn` prints broken-link warnings (off for a second rendering).
pub fn briefing_body(site: &Site, i: usize, warn: bool) -> Result<markdown::Rendered, Diagnostic> {
    let b = &site.briefings[i];
    let text = crate::content::read(&site.root, &b.source_path).map_err(|mut e| e.remove(0))?;
    let shown = Path::new(crate::content::CONTENT_DIR).join(&b.source_path);
    let split = crate::front_matter::split(&shown, &text)?;
    linked_body(
        site,
        &b.source_path,
        &shown,
        split.body,
        split.body_line,
        warn,
    )
}

/// Renders a body whose source is `source` (under `content/`): links to
/// source files become URLs; a broken one is an error naming the file and
/// line, or with `broken_links: warn` a warning, the link left as written.
fn linked_body(
    site: &Site,
    source: &Path,
    shown: &Path,
    body: &str,
    body_line: usize,
    warn: bool,
) -> Result<markdown::Rendered, Diagnostic> {
    let translated = crate::shortcodes::translate(body, &site.base);
    let body = translated.text.as_ref();
    let (rendered, broken) = markdown::render_linked(body, &|dest| site.resolve_link(source, dest));
    let line = |offset: usize| body_line + body[..offset.min(body.len())].matches('\n').count();
    match (broken.first(), site.config.broken_links) {
        (None, _) => Ok(rendered),
        (Some(_), BrokenLinks::Warn) => {
            if warn {
                for (offset, why) in &broken {
                    eprintln!(
                        "warning: {}:{}: broken link {why}",
                        shown.display(),
                        line(*offset)
                    );
                }
            }
            Ok(rendered)
        }
        (Some((offset, why)), BrokenLinks::Error) => {
            let mut message = format!("broken link {why}");
            if broken.len() > 1 {
                message += &format!(" (and {} more broken links in this file)", broken.len() - 1);
            }
            Err(Diagnostic::new(shown, message).at(line(*offset), None))
        }
    }
}
