//! briefly: Markdown briefings -> a static site. The modules follow the data
//! flow: config -> content (sources, front matter, briefings) -> site model
//! (site, timeline) -> page list (pages) -> views -> render -> output, with
//! the one engine that runs it (engine), and the commands beside it
//! (build here; watch, serve, check, scaffold).

pub mod body;
pub mod briefing;
pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod date_format;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod front_matter;
pub mod front_matter_split;
pub mod front_matter_toml;
pub mod front_matter_values;
pub mod hash;
pub mod highlight;
pub mod images;
pub mod json_ld;
pub mod kramdown;
pub mod layouts;
pub mod links;
pub mod locale;
pub mod markdown;
pub mod markdown_attrs;
pub mod markdown_callouts;
pub mod markdown_cite;
pub mod markdown_html;
pub mod markdown_images;
pub mod markdown_links;
pub mod markdown_notes;
pub mod markdown_scan;
pub mod minify;
pub mod moved_in;
pub mod output;
pub mod pages;
pub mod permalink;
pub mod progress;
pub mod rebuild;
pub mod related;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod scaffold_texts;
pub mod script_url;
pub mod search;
pub mod search_terms;
pub mod serve;
mod serve_http;
pub mod serve_live;
pub mod shortcodes;
pub mod site;
pub mod source_links;
pub mod sources;
pub mod standalone;
pub mod taxonomy;
pub mod template_data;
pub mod template_default;
pub mod template_functions;
pub mod templates;
pub mod timeline;
pub mod url;
pub mod view;
pub mod view_briefing;
pub mod view_lists;
pub mod view_parts;
pub mod view_taxonomy;
pub mod view_timeline;
pub mod view_timeline_data;
pub mod watch;

use std::path::PathBuf;

use crate::config::BaseUrlOverride;
use crate::diagnostic::Diagnostics;
use crate::engine::{Engine, Outcome};
use crate::output::Staging;

/// What `briefly build` (and `watch`) was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Also publish briefings dated after today (`--future`).
    pub future: bool,
    /// Also publish expired briefings (`--expired`).
    pub expired: bool,
    /// Replace an output folder briefly did not make (`--force`).
    pub force: bool,
}

impl BuildOptions {
    /// The engine these options describe.
    pub fn engine(&self) -> Engine {
        let base_url = match &self.base_url {
            Some(url) => BaseUrlOverride::Url(url.clone()),
            None => BaseUrlOverride::None,
        };
        Engine::new(&self.root, self.drafts, base_url).including(self.future, self.expired)
    }
}

/// Builds a site into `options.output`: the engine run once from nothing,
/// its pages streamed into a staging folder that is swapped in only when
/// everything succeeded. On failure every problem is reported and the
/// previous output is left as it was.
pub fn build(options: &BuildOptions) -> Result<Outcome, Diagnostics> {
    build_showing(options, &progress::Progress::hidden())
}

/// `build`, telling `progress` each stage and page.
pub fn build_showing(
    options: &BuildOptions,
    progress: &progress::Progress,
) -> Result<Outcome, Diagnostics> {
    let staging = Staging::new(&options.output, &options.root, options.force)
        .map_err(|d| Diagnostics(vec![d]))?;
    let mut engine = options.engine().with_progress(progress.clone());
    let mut outcome = engine.build_into(&staging).map_err(|Diagnostics(errors)| {
        Diagnostics(output::one_write_error(&options.output, errors))
    })?;
    if let Some(warning) = staging.commit().map_err(|d| Diagnostics(vec![d]))? {
        outcome.warnings.push(warning);
    }
    // Freeing a big site model is slow (100,000 briefings: about 0.6 s on
    // one core, scattered small allocations); the caller need not wait.
    std::thread::spawn(move || drop(engine));
    Ok(outcome)
}
