//! The one build engine. `build` runs it once from nothing and streams the
//! pages into a staging folder; `serve` and `watch` keep it alive and hand
//! it the paths that changed. It loads the configuration (with its
//! `base_url` override), the templates, the highlighting stylesheet and
//! the sources in one place, builds the site model and its page list, and
//! renders the pages whose fingerprint (the hash of their view) moved.
//!
//! To keep an edit cheap, when a change leaves the site model as it was
//! (same order, URLs, tags and timeline), only the pages that show the
//! changed briefings are fingerprinted (`pages::showing_briefing`);
//! otherwise every page is. A failed build changes nothing: the last good
//! output and model stay, and the change is retried with the next one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::config::{BaseUrlOverride, BrokenLinks, Config};
use crate::content::{CONTENT_DIR, LeftOut, Publish};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::locale::Locale;
use crate::output::{self, Output, Staging, Store};
use crate::pages;
use crate::pages::Outputs;
use crate::progress::Progress;
use crate::rebuild::{self, Built, Inputs, Plan};
use crate::render::{self, Done, Fingerprinting, Fingerprints};
use crate::report::Clock;
pub use crate::report::Outcome;
use crate::search::Gatherer;
use crate::site::Site;
use crate::sources::{Changes, Sources};
use crate::templates::{StaticFile, Templates};
use crate::view::Views;
use crate::{highlight, url};

/// The configuration and what is loaded with it.
pub(crate) struct Loaded {
    pub(crate) config: Config,
    pub(crate) templates: Templates,
    highlight_css: String,
}

/// What rendering and copying made, before it is kept.
struct Made {
    done: Vec<Done>,
    /// The new in-memory output (None when writing to a staging folder).
    store: Option<Store>,
    /// The search index's files, when it was made.
    search: Option<Vec<PathBuf>>,
    outcome: Outcome,
}

/// Where pages go.
enum Target<'a> {
    /// Into the in-memory store, diffed against the last good output.
    Memory,
    /// Straight into a staging folder (a one-off build keeps nothing).
    Staging(&'a Staging),
}

/// A site kept in memory between changes.
pub struct Engine {
    pub(crate) root: PathBuf,
    pub(crate) drafts: bool,
    /// `--future` and `--expired` (site.yaml may ask for them too).
    future: bool,
    expired: bool,
    /// Read once, at the first build (`date::today`), so a long `serve`
    /// publishes the same briefings from start to end.
    today: Option<jiff::civil::Date>,
    base_url: BaseUrlOverride,
    pub(crate) loaded: Option<Loaded>,
    pub(crate) sources: Sources,
    pub(crate) built: Option<Built>,
    store: Arc<Store>,
    /// `check` wants broken links as warnings (see `warn_on_broken_links`).
    links_as_warnings: bool,
    configured_links: BrokenLinks,
    /// `serve` and `watch`: once there is a search index, rebuilds keep it
    /// and `refresh_search` makes it again when edits pause.
    defer_search: bool,
    /// The search index was made from an older site than the one served.
    search_stale: bool,
    /// Counts the changes to files `load_data` reads: part of every page's
    /// fingerprint, so that such a change renders every page again.
    data_epoch: u64,
    /// A data file changed since the last good build.
    data_changed: bool,
    /// Told each stage and page (hidden unless `build` shows it).
    progress: Progress,
}

impl Engine {
    pub fn new(root: &Path, drafts: bool, base_url: BaseUrlOverride) -> Engine {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let root = root.canonicalize().unwrap_or(root);
        Engine {
            root,
            drafts,
            future: false,
            expired: false,
            today: None,
            base_url,
            loaded: None,
            sources: Sources::default(),
            built: None,
            store: Arc::new(Store::new()),
            links_as_warnings: false,
            configured_links: BrokenLinks::default(),
            defer_search: false,
            search_stale: false,
            data_epoch: 0,
            data_changed: false,
            progress: Progress::hidden(),
        }
    }

    /// The engine, telling `progress` how far it is.
    pub fn with_progress(mut self, progress: Progress) -> Engine {
        self.progress = progress;
        self
    }

    /// Leaves the search index out of rebuilds after the first: the caller
    /// remakes it with `refresh_search` when edits pause, so that an edit
    /// reaches the page without waiting for the index.
    pub fn defer_search(mut self) -> Engine {
        self.defer_search = true;
        self
    }

    /// Makes the search index again if the site changed since it was made,
    /// into the in-memory output. None when there was nothing to do, or
    /// when `stop` said to give up (an edit came in: the index stays stale
    /// until the next call). On failure the last index stays.
    pub fn refresh_search(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Result<Outcome, Diagnostics>> {
        if !self.search_stale {
            return None;
        }
        let start = Instant::now();
        let built = self.built.as_mut()?;
        let files = Mutex::new(Vec::new());
        let sink = |file| {
            files
                .lock()
                .expect("no thread panics holding it")
                .push(file);
            Ok(())
        };
        let paths = match crate::search::build(&built.site, stop, &sink) {
            Ok(Some(paths)) => paths,
            Ok(None) => return None,
            Err(d) => return Some(Err(Diagnostics(vec![d]))),
        };
        let mut store = (*self.store).clone();
        let mut outcome = Outcome::default();
        let mut files = files.into_inner().expect("no thread panics holding it");
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        for file in files {
            output::put(&mut store, file, &mut outcome.written);
        }
        let kept: BTreeSet<&PathBuf> = paths.iter().collect();
        for old in &built.outputs.search {
            if !kept.contains(old) {
                store.remove(old);
                outcome.removed.push(old.clone());
            }
        }
        built.outputs.set_search(paths);
        outcome.files = built.outputs.owners.len();
        outcome.elapsed = start.elapsed();
        self.store = Arc::new(store);
        self.search_stale = false;
        Some(Ok(outcome))
    }

    /// The engine, also publishing briefings dated after today
    /// (`--future`) and expired ones (`--expired`).
    pub fn including(mut self, future: bool, expired: bool) -> Engine {
        self.future = future;
        self.expired = expired;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The last good site model.
    pub fn site(&self) -> Option<&Site> {
        self.built.as_ref().map(|b| &b.site)
    }

    /// The last good build's output files.
    pub fn outputs(&self) -> Option<&Outputs> {
        self.built.as_ref().map(|b| &b.outputs)
    }

    /// Makes broken links in bodies warnings whatever `broken_links` says,
    /// so that `check` sees every one (it reads the setting back with
    /// `broken_links`).
    pub fn warn_on_broken_links(&mut self) {
        self.links_as_warnings = true;
    }

    /// What `site.yaml` says of broken links.
    pub fn broken_links(&self) -> BrokenLinks {
        self.configured_links
    }

    /// The configuration, once loaded.
    pub fn config(&self) -> Option<&Config> {
        self.loaded.as_ref().map(|l| &l.config)
    }

    /// Every template the last good build's pages are rendered with by
    /// name (from its page list).
    pub fn page_templates(&self) -> BTreeSet<String> {
        self.built
            .as_ref()
            .map(|b| {
                b.outputs
                    .templates(&b.site)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The last good output.
    pub fn store(&self) -> Arc<Store> {
        Arc::clone(&self.store)
    }

    /// Notes changed paths (absolute, or relative to the root) and rebuilds
    /// into the in-memory output. On failure the last good output stays and
    /// the change is remembered.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        self.sources.note(&self.root, changed);
        self.note_data(changed);
        let mut outcome = self.run(Target::Memory).map_err(Diagnostics::sorted)?;
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }

    /// Builds the whole site once into `staging`, keeping no output in
    /// memory: what `briefly build` does.
    pub fn build_into(&mut self, staging: &Staging) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let mut outcome = self
            .run(Target::Staging(staging))
            .map_err(Diagnostics::sorted)?;
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }

    fn run(&mut self, target: Target) -> Result<Outcome, Vec<Diagnostic>> {
        let mut clock = Clock::start();
        self.progress.stage("reading the site");
        let reload_statics = self.load()?;
        let loaded = self.loaded.as_ref().expect("loaded above");
        let changes = self.sources.refresh(&self.root, &loaded.config)?;
        clock.mark("load");
        let today = match self.today {
            Some(today) => today,
            None => crate::date::today().map_err(|m| vec![Diagnostic::new("", m)])?,
        };
        self.today = Some(today);
        let inputs = Inputs {
            root: &self.root,
            publish: Publish {
                drafts: self.drafts,
                future: self.future || loaded.config.build_future,
                expired: self.expired || loaded.config.build_expired,
                today,
            },
            config: &loaded.config,
            statics: &loaded.templates.statics,
            layouts: &loaded.templates.own,
            sources: &self.sources,
        };
        // Pages calling `get_url`/`get_page` or `load_data` may show any
        // briefing or data file: a change to one looks at every page.
        let whole = reload_statics || loaded.templates.uses_site || self.data_changed;
        let (mut built, plan) = rebuild::plan(&mut self.built, &inputs, &changes, whole)?;
        let now = crate::template_functions::now();
        let loaded = self.loaded.as_mut().expect("loaded above");
        loaded.templates.bind(&built.site, now);
        let search = self.plan_search(&mut built, plan.patched, &target);
        clock.mark("site model");
        let made = self.make(&built, &plan, &changes, reload_statics, &target, search);
        clock.mark("render");
        match made {
            Ok(made) => {
                self.data_changed = false;
                let outcome = self.settle(built, plan, made);
                clock.mark("keep");
                clock.report();
                Ok(outcome)
            }
            Err(errors) => {
                if let Some(kept) = rebuild::restore(built, plan) {
                    self.built = Some(kept);
                }
                Err(errors)
            }
        }
    }

    /// Loads what changed of the configuration and templates; returns
    /// whether the theme's static files and highlighting stylesheet must be
    /// put again.
    fn load(&mut self) -> Result<bool, Vec<Diagnostic>> {
        let pending = &self.sources.pending;
        let (config_changed, templates_changed) = (pending.config, pending.templates);
        if config_changed || self.loaded.is_none() {
            let mut config = Config::load(&self.root, &self.base_url).map_err(|d| vec![d])?;
            config.locale = self.load_locale(&config.language)?;
            self.configured_links = config.broken_links;
            if self.links_as_warnings {
                config.broken_links = BrokenLinks::Warn;
            }
            let highlight_css = highlight::stylesheet(&config.highlight_theme)
                .map_err(|m| vec![Diagnostic::new(crate::config::FILE_NAME, m)])?;
            // Parsing depends on the configuration (permalinks, tags_from).
            if self.loaded.is_some() {
                self.sources.forget();
            }
            let templates = self.load_templates(&config)?;
            self.loaded = Some(Loaded {
                config,
                templates,
                highlight_css,
            });
        } else if templates_changed {
            // `templates/i18n/` is read with the templates: the new words
            // reach every page through the configuration's hash.
            let mut config = self.loaded.as_ref().expect("loaded").config.clone();
            config.locale = self.load_locale(&config.language)?;
            // Summaries made from key judgements hold the language's words.
            if config.locale != self.loaded.as_ref().expect("loaded").config.locale {
                self.sources.forget();
            }
            let templates = self.load_templates(&config)?;
            let loaded = self.loaded.as_mut().expect("loaded");
            loaded.templates = templates;
            loaded.config = config;
        }
        Ok(config_changed || templates_changed || self.built.is_none())
    }

    /// Notes a change to a file `load_data` read, or under `data/`.
    fn note_data(&mut self, changed: &[PathBuf]) {
        let Some(loaded) = &self.loaded else {
            return;
        };
        if !loaded.templates.uses_data {
            return;
        }
        let read = loaded.templates.data.read();
        let touched = changed.iter().any(|path| {
            let relative = path.strip_prefix(&self.root).unwrap_or(path);
            relative.starts_with(crate::template_data::DATA_DIR)
                || read.contains(&self.root.join(relative))
        });
        if touched {
            loaded.templates.data.forget();
            self.data_epoch += 1;
            self.data_changed = true;
        }
    }
}

/// What a build does with the search index.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SearchPlan {
    /// `search: false`.
    Off,
    /// Make it with the pages.
    Make,
    /// Keep the last one (stale until `refresh_search`).
    Keep,
}

impl Engine {
    /// Whether this build makes the search index; a new page list made
    /// while the last index is kept owns its files too.
    fn plan_search(&self, built: &mut Built, patched: bool, target: &Target) -> SearchPlan {
        if !built.site.config.search {
            return SearchPlan::Off;
        }
        if !patched && let Some(last) = &self.built {
            built.outputs.set_search(last.outputs.search.clone());
        }
        let staging = matches!(target, Target::Staging(_));
        if staging || !self.defer_search || built.outputs.search.is_empty() {
            SearchPlan::Make
        } else {
            SearchPlan::Keep
        }
    }

    /// Where a build's search index goes: into the staging folder as it is
    /// made, or into `files`, to be put in the store.
    fn search_sink<'a>(
        target: &'a Target,
        files: &'a Mutex<Vec<Output>>,
    ) -> impl Fn(Output) -> Result<(), Diagnostic> + Sync + 'a {
        move |file: Output| match target {
            Target::Staging(staging) => staging.write(&file),
            Target::Memory => {
                files
                    .lock()
                    .expect("no thread panics holding it")
                    .push(file);
                Ok(())
            }
        }
    }

    /// The site's language: built-in words and its `templates/i18n/`.
    fn load_locale(&self, tag: &str) -> Result<Arc<Locale>, Vec<Diagnostic>> {
        Locale::load(&self.root, tag)
            .map(Arc::new)
            .map_err(|d| vec![d])
    }

    /// Loads the templates; when they are broken, the sources' errors are
    /// reported with theirs, so that one run shows every broken file.
    fn load_templates(&mut self, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
        Templates::load(&self.root, &config.locale).map_err(|mut errors| {
            if let Err(more) = self.sources.refresh(&self.root, config) {
                errors.extend(more);
            }
            errors
        })
    }

    /// Renders the planned pages and puts them, and the files copied as
    /// they are, into the target.
    fn make(
        &self,
        built: &Built,
        plan: &Plan,
        changes: &Changes,
        reload_statics: bool,
        target: &Target,
        search: SearchPlan,
    ) -> Result<Made, Vec<Diagnostic>> {
        // A one-off build renders every briefing's page: the index reads
        // their bodies there instead of reading and parsing them again.
        let gatherer = (search == SearchPlan::Make && matches!(target, Target::Staging(_)))
            .then(Gatherer::default);
        self.progress.count("rendering pages", plan.pages.len());
        let index_files = Mutex::new(Vec::new());
        let sink = Self::search_sink(target, &index_files);
        // The index's block files need only the site: written meanwhile.
        let (rendered, blocks) = rayon::join(
            || self.render(built, plan, target, gatherer.as_ref()),
            || {
                gatherer
                    .is_some()
                    .then(|| crate::search::blocks(&built.site, &sink))
            },
        );
        let (done, pages) = rendered?;
        let search = match search {
            SearchPlan::Make => {
                self.progress.stage("making the search index");
                let paths = match (gatherer, blocks) {
                    (Some(gathered), Some(blocks)) => {
                        blocks.and_then(|blocks| gathered.write(&built.site, blocks, &sink))
                    }
                    _ => crate::search::build(&built.site, &|| false, &sink)
                        .map(|paths| paths.expect("never stopped")),
                }
                .map_err(|d| vec![d])?;
                Some(paths)
            }
            SearchPlan::Off | SearchPlan::Keep => None,
        };
        drop(sink);
        let mut index_files = index_files
            .into_inner()
            .expect("no thread panics holding it");
        // Written from many threads: in one order again.
        index_files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let mut outcome = Outcome::default();
        let store = match target {
            Target::Staging(staging) => {
                self.progress.stage("copying files");
                self.copy_all(built, staging).map_err(|d| vec![d])?;
                None
            }
            Target::Memory => {
                let mut store = (*self.store).clone();
                for output in pages {
                    output::put(&mut store, output, &mut outcome.written);
                }
                self.put_files(
                    built,
                    plan,
                    changes,
                    reload_statics,
                    &mut store,
                    &mut outcome,
                )
                .map_err(|d| vec![d])?;
                if let Some(paths) = &search {
                    let kept: BTreeSet<&PathBuf> = paths.iter().collect();
                    for old in &built.outputs.search {
                        if !kept.contains(old) && store.remove(old).is_some() {
                            outcome.removed.push(old.clone());
                        }
                    }
                    for file in index_files.drain(..) {
                        output::put(&mut store, file, &mut outcome.written);
                    }
                }
                Some(store)
            }
        };
        Ok(Made {
            done,
            store,
            search,
            outcome,
        })
    }

    /// Renders the planned pages whose fingerprint moved: into the staging
    /// folder as they are made, or returned to be put in the store.
    fn render(
        &self,
        built: &Built,
        plan: &Plan,
        target: &Target,
        search: Option<&Gatherer>,
    ) -> Result<(Vec<Done>, Vec<Output>), Vec<Diagnostic>> {
        let loaded = self.loaded.as_ref().expect("loaded before rendering");
        let hashes = &built.summary_hashes;
        let views = Views::new(
            &built.site,
            crate::hash::hash_of((loaded.templates.fingerprint(), self.data_epoch)),
            &built.outputs,
            hashes,
        )
        .with_term_urls(loaded.templates.calls_taxonomy_url)
        .with_cards(&loaded.templates);
        let none = Fingerprints::new();
        let fingerprinting = match (target, plan.patched, &self.built) {
            (Target::Staging(_), ..) => Fingerprinting::Off,
            (Target::Memory, true, _) => Fingerprinting::Against(&built.fingerprints),
            (Target::Memory, false, Some(last)) => Fingerprinting::Against(&last.fingerprints),
            (Target::Memory, false, None) => Fingerprinting::Against(&none),
        };
        let made = Mutex::new(Vec::new());
        let done = render::render(
            &views,
            &loaded.templates,
            &plan.pages,
            fingerprinting,
            search,
            |out| {
                self.progress.step();
                match target {
                    Target::Memory => {
                        made.lock().expect("no thread panics holding it").push(out);
                        Ok(())
                    }
                    Target::Staging(staging) => staging.write(&out),
                }
            },
        )?;
        Ok((
            done,
            made.into_inner().expect("no thread panics holding it"),
        ))
    }

    /// The theme's static files and the highlighting stylesheet.
    fn statics(&self) -> impl Iterator<Item = Result<Output, Diagnostic>> + '_ {
        let loaded = self.loaded.as_ref().expect("loaded before copying");
        let css = Output {
            path: url::output_path(pages::HIGHLIGHT_CSS),
            body: loaded.highlight_css.clone().into_bytes(),
        };
        let theme = loaded.templates.statics.iter().map(|(relative, file)| {
            let body = match file {
                StaticFile::Builtin(bytes) => bytes.to_vec(),
                StaticFile::Site(path) => output::read(path)?,
            };
            Ok(Output {
                path: relative.clone(),
                body,
            })
        });
        let minify = loaded.config.minify;
        std::iter::once(Ok(css)).chain(theme).map(move |file| {
            let mut file = file?;
            if minify {
                file.body = crate::minify::file(&file.path, file.body);
            }
            Ok(file)
        })
    }

    /// Writes the files a one-off build copies: the theme's statics, the
    /// highlighting stylesheet, `content/`'s other files.
    fn copy_all(&self, built: &Built, staging: &Staging) -> Result<(), Diagnostic> {
        for file in self.statics() {
            staging.write(&file?)?;
        }
        for file in &built.site.files {
            staging.copy(
                &self.root.join(CONTENT_DIR).join(&file.source),
                &file.output,
            )?;
        }
        Ok(())
    }

    /// Puts the copied files that changed into the in-memory output and,
    /// when the model was rebuilt, removes the files no longer in it.
    fn put_files(
        &self,
        built: &Built,
        plan: &Plan,
        changes: &Changes,
        reload_statics: bool,
        store: &mut Store,
        outcome: &mut Outcome,
    ) -> Result<(), Diagnostic> {
        if reload_statics {
            for file in self.statics() {
                output::put(store, file?, &mut outcome.written);
            }
        }
        for copied in &built.site.files {
            if changes.copied.contains(&copied.source) || !store.contains_key(&copied.output) {
                let body = output::read(&self.root.join(CONTENT_DIR).join(&copied.source))?;
                let file = Output {
                    path: copied.output.clone(),
                    body,
                };
                output::put(store, file, &mut outcome.written);
            }
        }
        if !plan.patched {
            let owners = &built.outputs.owners;
            outcome.removed = store
                .keys()
                .filter(|p| !owners.contains_key(*p))
                .cloned()
                .collect();
            for path in &outcome.removed {
                store.remove(path);
            }
        }
        Ok(())
    }

    /// Keeps a good build: its model, fingerprints, output and warnings.
    fn settle(&mut self, mut built: Built, plan: Plan, made: Made) -> Outcome {
        let Made {
            done,
            store,
            search,
            mut outcome,
        } = made;
        match search {
            Some(paths) => {
                built.outputs.set_search(paths);
                self.search_stale = false;
            }
            None => self.search_stale = !built.outputs.search.is_empty(),
        }
        if !plan.patched {
            built.fingerprints.reserve(done.len());
        }
        for page in &done {
            outcome.rendered += usize::from(page.rendered);
            if let Some(fingerprint) = page.fingerprint {
                outcome.fingerprinted += 1;
                built.fingerprints.insert(page.key, fingerprint);
            }
        }
        if !plan.patched
            && let Some(last) = &self.built
        {
            // Warnings of pages not rendered again still stand.
            built.page_warnings = last.page_warnings.clone();
            let keys: BTreeSet<u64> = done.iter().map(|d| d.key).collect();
            built.page_warnings.retain(|key, _| keys.contains(key));
        }
        for page in done.into_iter().filter(|d| d.rendered) {
            if page.warnings.is_empty() {
                built.page_warnings.remove(&page.key);
            } else {
                built.page_warnings.insert(page.key, page.warnings);
            }
        }
        let site = &built.site;
        outcome.briefings = site.briefings.len();
        outcome.tags = (site.taxonomy(crate::taxonomy::TAGS)).map_or(0, |k| site.terms_of(k).len());
        outcome.events = site.event_count();
        outcome.future = built.left_out.get(&LeftOut::Future).copied().unwrap_or(0);
        outcome.expired = built.left_out.get(&LeftOut::Expired).copied().unwrap_or(0);
        outcome.files = built.outputs.owners.len();
        outcome.written.sort();
        outcome.warnings = built
            .doc_warnings
            .iter()
            .chain(&built.outputs.warnings)
            .chain(built.page_warnings.values().flatten())
            .cloned()
            .collect();
        outcome.warnings.sort();
        if let Some(store) = store {
            self.store = Arc::new(store);
        }
        self.built = Some(built);
        self.sources.settle();
        outcome
    }
}
