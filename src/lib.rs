//! briefly: Markdown briefings -> a static site. The build reads as the data
//! flow: config -> content -> site model -> render -> output.

pub mod briefing;
pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod front_matter;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod rebuild;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod timeline;
pub mod url;
pub mod view;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::render::{Output, Templates};
use crate::site::Site;

/// What `briefly build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// What a successful build made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    pub briefings: usize,
    pub tags: usize,
    pub events: usize,
    pub pages: usize,
    pub elapsed: Duration,
    /// Things worth knowing that did not stop the build.
    pub warnings: Vec<String>,
}

/// Builds a site into `options.output`, or reports every problem found and
/// leaves the previous output as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let fail = |list: Vec<Diagnostic>| Diagnostics::sorted(list);
    let mut config = Config::load(&options.root).map_err(|d| fail(vec![d]))?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
        url::BaseUrl::parse(base_url).map_err(|m| fail(vec![Diagnostic::new("--base-url", m)]))?;
    }
    let highlight_css = highlight::stylesheet(&config.highlight_theme)
        .map_err(|m| fail(vec![Diagnostic::new(config::FILE_NAME, m)]))?;
    let templates = Templates::load(&options.root);
    let content = content::load(&options.root, &config, options.drafts);
    let (templates, content) = match (templates, content) {
        (Ok(t), Ok(c)) => (t, c),
        (t, c) => {
            let mut errors = t.err().unwrap_or_default();
            errors.extend(c.err().unwrap_or_default());
            return Err(fail(errors));
        }
    };
    let loaded = start.elapsed();
    let site = Site::new(config, content);
    let modelled = start.elapsed();
    let staging = Staging::new(&options.output, &options.root).map_err(|d| fail(vec![d]))?;
    let rendered =
        render::render(&site, &templates, None, |out| staging.write(&out)).map_err(fail)?;
    copy_files(&site, &templates, &staging, &options.root, highlight_css)
        .map_err(|d| fail(vec![d]))?;
    let rendered_at = start.elapsed();
    staging.commit().map_err(|d| fail(vec![d]))?;
    // BRIEFLY_TIMINGS=1 prints where a build's time went (see BENCHMARKS.md).
    if std::env::var_os("BRIEFLY_TIMINGS").is_some() {
        eprintln!(
            "build stages (cumulative): load {loaded:?}, site model {modelled:?}, render+write {rendered_at:?}, swap {:?}",
            start.elapsed()
        );
    }
    let report = BuildReport {
        briefings: site.briefings.len(),
        tags: site.tags.len(),
        events: site.event_count(),
        pages: rendered.pages,
        elapsed: start.elapsed(),
        warnings: site
            .briefings
            .iter()
            .flat_map(|b| b.warnings.iter().map(ToString::to_string))
            .chain(unsupported_tags(&site))
            .collect(),
    };
    // Freeing a big site model is slow (100,000 briefings: about 0.6 s on
    // one core, scattered small allocations); the caller need not wait for
    // it, and a command-line build exits without it.
    std::thread::spawn(move || drop((site, templates)));
    Ok(report)
}

/// One warning naming, per file, the Liquid tags and shortcodes from other
/// generators that were left as text.
fn unsupported_tags(site: &Site) -> Option<String> {
    let files: Vec<String> = site
        .briefings
        .iter()
        .filter(|b| b.unsupported > 0)
        .map(|b| format!("content/{} ({})", b.source_path.display(), b.unsupported))
        .collect();
    let total: usize = site.briefings.iter().map(|b| b.unsupported).sum();
    let s = if total == 1 { "" } else { "s" };
    (total > 0).then(|| {
        format!(
            "{total} Liquid tag{s} or shortcode{s} from another generator shown as text: {}",
            files.join(", ")
        )
    })
}

/// Copies `content/`'s non-Markdown files and the theme's static files, and
/// writes the highlighting stylesheet.
fn copy_files(
    site: &Site,
    templates: &Templates,
    staging: &Staging,
    root: &Path,
    highlight_css: String,
) -> Result<(), Diagnostic> {
    for file in &site.files {
        staging.copy(&root.join(content::CONTENT_DIR).join(file), file)?;
    }
    for (relative, file) in &templates.statics {
        staging.write_static(relative, file)?;
    }
    staging.write(&Output {
        path: url::output_path(output::HIGHLIGHT_CSS),
        body: highlight_css.into_bytes(),
    })
}

/// `briefly watch`: builds into the output folder, then on every change
/// rebuilds what the change touches and writes only the files whose bytes
/// changed. A failed rebuild prints its errors and leaves the output as it
/// was.
pub fn watch(options: &BuildOptions, poll: bool, report: impl Fn(&str)) -> anyhow::Result<()> {
    // Watch first, so an edit made during the first build is not lost; the
    // output is then written from the very build the rebuilds start from.
    let watcher = watch::Watcher::new(&options.root, poll)?;
    let mut rebuilder =
        rebuild::Rebuilder::new(&options.root, options.drafts, options.base_url.clone());
    let first = rebuilder.rebuild(&[])?;
    output::write_all(&options.output, &options.root, &rebuilder.store())
        .map_err(|d| Diagnostics(vec![d]))?;
    report(&format!(
        "Built {} briefings, {} tags, {} events ({} pages) in {} ms; watching for changes (Ctrl-C to stop)",
        first.briefings,
        first.tags,
        first.events,
        first.rendered,
        first.elapsed.as_millis()
    ));
    let root = rebuilder.root().to_path_buf();
    watcher.run(|paths| {
        let shown = paths
            .first()
            .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
            .unwrap_or_default();
        let what = match paths.len() {
            0 | 1 => format!("{shown} changed"),
            n => format!("{shown} and {} more changed", n - 1),
        };
        let result = rebuilder.rebuild(&paths).and_then(|outcome| {
            output::apply(&options.output, &rebuilder.store(), &outcome)
                .map_err(|d| Diagnostics(vec![d]))?;
            Ok(outcome)
        });
        match result {
            Ok(outcome) => report(&format!(
                "{what}: {} pages in {} ms",
                outcome.written.len(),
                outcome.elapsed.as_millis()
            )),
            Err(e) => report(&format!("{what}: error: {e}")),
        }
    })
}
