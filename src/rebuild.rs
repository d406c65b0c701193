//! What a change touches. `Rebuilder` keeps the parsed briefings cached by
//! path and text hash and the last good output in memory; on a change it
//! re-parses only the changed files, rebuilds the `Site` model (cheap: sorting
//! and grouping), and renders only the pages whose fingerprint changed.
//!
//! A page's fingerprint is a hash of exactly the data its template receives,
//! computed from the source hashes of the briefings it shows (every view of a
//! briefing is derived from its file), the tags' counts, the configuration and
//! the templates. The fingerprint *is* the dependency graph: there is no
//! hand-kept list of which page depends on what, so it cannot go stale.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use std::time::{Duration, Instant};

use crate::briefing::Document;
use crate::config::{self, Config};
use crate::content::{self, CONTENT_DIR};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{self, Fingerprints, Job, Output, StaticFile, TEMPLATES_DIR, Templates};
use crate::site::Site;
use crate::{highlight, output, url};

/// The output of a build, in memory: output path -> bytes. A persistent map,
/// so keeping the last good version while making the next costs nothing.
pub type Store = imbl::OrdMap<PathBuf, Arc<Vec<u8>>>;

/// The hasher of every fingerprint: the same in every run, and quick on the
/// many small writes fingerprints are made of (SipHash; a streaming xxh3 was
/// slower here, copying each small write into its buffer).
pub type FingerprintHasher = std::hash::DefaultHasher;

pub fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = FingerprintHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Computes page fingerprints for one `Site`.
pub struct Fingerprinter<'a> {
    site: &'a Site,
    site_wide: u64,
    tags: Vec<u64>,
    /// Per briefing: what a list shows of it, with its tags' counts.
    summaries: Vec<u64>,
    /// Where every source file's page is and its headings: what links
    /// between briefings resolve against.
    links: u64,
}

impl<'a> Fingerprinter<'a> {
    pub fn new(site: &'a Site, templates_generation: u64) -> Fingerprinter<'a> {
        let pages: Vec<(&str, &str, u64)> = site
            .pages
            .iter()
            .map(|p| (p.path.as_str(), p.title.as_str(), p.source_hash))
            .collect();
        let site_wide = hash_of((
            templates_generation,
            &site.config,
            &site.base.absolute,
            pages,
        ));
        let tags: Vec<u64> = site
            .tags
            .iter()
            .map(|t| hash_of((&t.name, &t.slug, t.briefings.len())))
            .collect();
        let summaries = site
            .briefings
            .iter()
            .zip(&site.briefing_tags)
            .map(|(b, tag_ids)| {
                let mut hasher = FingerprintHasher::new();
                b.list_hash.hash(&mut hasher);
                tag_ids.iter().for_each(|&t| tags[t].hash(&mut hasher));
                hasher.finish()
            })
            .collect();
        let mut hasher = FingerprintHasher::new();
        for b in &site.briefings {
            (&b.source_path, &b.path, &b.anchors).hash(&mut hasher);
        }
        for p in &site.pages {
            (&p.source_path, &p.path, &p.anchors).hash(&mut hasher);
        }
        let links = hasher.finish();
        Fingerprinter {
            site,
            site_wide,
            tags,
            summaries,
            links,
        }
    }

    fn summaries_of(&self, indices: impl IntoIterator<Item = usize>) -> Vec<u64> {
        indices.into_iter().map(|i| self.summaries[i]).collect()
    }

    /// Timeline entries of one year, as the hashes of what they show.
    fn year(&self, y: usize) -> u64 {
        let year = &self.site.timeline.years[y];
        let mut hasher = FingerprintHasher::new();
        year.year.hash(&mut hasher);
        for e in year.months.iter().flat_map(|m| &m.entries) {
            (
                e.kind as u8,
                e.event,
                self.site.briefings[e.briefing].timeline_hash,
            )
                .hash(&mut hasher);
        }
        hasher.finish()
    }

    pub fn job(&self, job: Job) -> u64 {
        let site = self.site;
        let years = || -> Vec<(i16, usize)> {
            site.timeline
                .years
                .iter()
                .map(|y| (y.year, y.count()))
                .collect()
        };
        let data = match job {
            Job::Index(n) => {
                let per = site.config.paginate;
                let end = ((n + 1) * per).min(site.briefings.len());
                hash_of((
                    crate::view::index_pages(site),
                    self.summaries_of(n * per..end),
                ))
            }
            Job::Briefing(i) => {
                let (older, newer) = site.neighbours(i);
                let neighbour = |j: Option<usize>| j.map(|j| self.summaries[j]);
                // Related briefings are ranked by these windows' briefings
                // and their distance in time order.
                let b = &site.briefings[i];
                let mut hasher = FingerprintHasher::new();
                (
                    b.source_hash,
                    self.summaries[i],
                    neighbour(older),
                    neighbour(newer),
                )
                    .hash(&mut hasher);
                for window in site.related_candidates(i) {
                    for &j in window {
                        (self.summaries[j], j as isize - i as isize).hash(&mut hasher);
                    }
                }
                b.links_sources.then_some(self.links).hash(&mut hasher);
                hasher.finish()
            }
            Job::Page(i) => hash_of((site.pages[i].source_hash, self.links)),
            Job::Tags => hash_of(&self.tags),
            Job::Tag(t) => hash_of((
                self.tags[t],
                self.summaries_of(site.tags[t].briefings.iter().copied()),
            )),
            Job::Timeline(Some(y)) => hash_of((years(), self.year(y))),
            Job::Timeline(None) => {
                let shown = if site.timeline.is_split() {
                    site.timeline.years.len().min(1)
                } else {
                    site.timeline.years.len()
                };
                hash_of((
                    years(),
                    (0..shown).map(|y| self.year(y)).collect::<Vec<_>>(),
                ))
            }
            Job::Feed => {
                let newest = site.briefings.iter().take(crate::view::FEED_SIZE);
                hash_of(
                    newest
                        .enumerate()
                        .map(|(i, b)| (self.summaries[i], b.source_hash))
                        .collect::<Vec<_>>(),
                )
            }
            Job::Sitemap(_) => {
                let briefings: Vec<u64> = site.briefings.iter().map(|b| b.sitemap_hash).collect();
                let tags: Vec<(&str, u64)> = site
                    .tags
                    .iter()
                    .map(|t| (t.slug.as_str(), site.briefings[t.briefings[0]].sitemap_hash))
                    .collect();
                hash_of((briefings, tags, years()))
            }
            Job::Redirect(i, k) => {
                let b = &site.briefings[i];
                hash_of((&b.aliases[k], &b.path, &b.title))
            }
            Job::NotFound | Job::Robots => 0,
        };
        hash_of((self.site_wide, render::job_key(job, site), data))
    }
}

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Pages rendered (their fingerprint changed).
    pub rendered: usize,
    /// Output files whose bytes changed or are new.
    pub written: Vec<PathBuf>,
    /// Output files that are gone.
    pub removed: Vec<PathBuf>,
    pub briefings: usize,
    pub tags: usize,
    pub events: usize,
    pub elapsed: Duration,
}

impl Outcome {
    /// True when only stylesheets changed, so a page can swap them in place.
    pub fn only_css(&self) -> bool {
        self.removed.is_empty()
            && !self.written.is_empty()
            && self
                .written
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

struct Loaded {
    config: Config,
    templates: Templates,
    highlight_css: String,
}

struct Cached {
    text_hash: u64,
    result: Result<Document, Vec<Diagnostic>>,
}

/// What must be redone on the next rebuild; kept until it succeeds, so a
/// failed step is retried even if the next change is elsewhere.
#[derive(Default)]
struct Pending {
    config: bool,
    templates: bool,
    rescan: bool,
    files: BTreeSet<PathBuf>,
    reparsed: BTreeSet<PathBuf>,
    statics: bool,
}

/// A site kept in memory between changes.
pub struct Rebuilder {
    root: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    loaded: Option<Loaded>,
    docs: BTreeMap<PathBuf, Cached>,
    files: BTreeSet<PathBuf>,
    pending: Pending,
    fingerprints: Fingerprints,
    /// A hash of every output path of the last good build.
    layout: u64,
    /// The last good site model, and where each briefing is in it.
    site: Option<Site>,
    positions: HashMap<PathBuf, usize>,
    store: Arc<Store>,
}

impl Rebuilder {
    /// `base_url` replaces the configured one (serve mode uses the local
    /// address).
    pub fn new(root: &Path, drafts: bool, base_url: Option<String>) -> Rebuilder {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let root = root.canonicalize().unwrap_or(root);
        Rebuilder {
            root,
            drafts,
            base_url,
            loaded: None,
            docs: BTreeMap::new(),
            files: BTreeSet::new(),
            pending: Pending {
                config: true,
                templates: true,
                rescan: true,
                files: BTreeSet::new(),
                reparsed: BTreeSet::new(),
                statics: true,
            },
            fingerprints: Fingerprints::new(),
            layout: 0,
            site: None,
            positions: HashMap::new(),
            store: Arc::new(Store::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The last good site model.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// The last good output.
    pub fn store(&self) -> Arc<Store> {
        Arc::clone(&self.store)
    }

    /// Notes changed paths (absolute, or relative to the root) and rebuilds.
    /// On failure the last good output stays and the change is remembered.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        for path in changed {
            let relative = path.strip_prefix(&self.root).unwrap_or(path);
            let mut parts = relative.components();
            match parts
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
            {
                Some(first) if first == config::FILE_NAME => self.pending.config = true,
                Some(first) if first == TEMPLATES_DIR => self.pending.templates = true,
                Some(first) if first == CONTENT_DIR => {
                    let inside = parts.as_path().to_path_buf();
                    let full = self.root.join(CONTENT_DIR).join(&inside);
                    if inside.as_os_str().is_empty() || full.is_dir() {
                        self.pending.rescan = true;
                    } else {
                        self.pending.files.insert(inside);
                    }
                }
                _ => {}
            }
        }
        let result = self.run();
        result.map(|mut outcome| {
            outcome.elapsed = start.elapsed();
            outcome
        })
    }

    fn run(&mut self) -> Result<Outcome, Diagnostics> {
        let fail = |list: Vec<Diagnostic>| Diagnostics::sorted(list);
        // The theme's static files and the highlighting stylesheet are put
        // again only when the templates or the configuration were reloaded.
        let reload_statics = self.pending.config || self.pending.templates || self.pending.statics;
        self.pending.statics = reload_statics;
        if self.pending.config {
            let mut config = Config::load(&self.root).map_err(|d| fail(vec![d]))?;
            if let Some(base_url) = &self.base_url {
                config.base_url = base_url.clone();
            }
            let highlight_css = highlight::stylesheet(&config.highlight_theme)
                .map_err(|m| fail(vec![Diagnostic::new(config::FILE_NAME, m)]))?;
            let templates = Templates::load(&self.root).map_err(fail)?;
            // Parsing depends on the configuration (permalinks, tags_from).
            self.docs.clear();
            self.loaded = Some(Loaded {
                config,
                templates,
                highlight_css,
            });
            self.pending.config = false;
            self.pending.templates = false;
            self.pending.rescan = true;
        }
        let loaded = self
            .loaded
            .as_mut()
            .expect("the configuration was loaded above");
        if self.pending.templates {
            loaded.templates = Templates::load(&self.root).map_err(fail)?;
            self.pending.templates = false;
        }
        let mut errors = Vec::new();
        let mut changed_files = BTreeSet::new();
        let rescanned = self.pending.rescan;
        let mut reparsed = Vec::new();
        if self.pending.rescan {
            let (listing, mut listing_errors) = content::scan(&self.root);
            errors.append(&mut listing_errors);
            let wanted: BTreeSet<&PathBuf> = listing.markdown.iter().collect();
            self.docs.retain(|path, _| wanted.contains(path));
            let files: BTreeSet<PathBuf> = listing.files.iter().cloned().collect();
            changed_files.extend(files.symmetric_difference(&self.files).cloned());
            self.files = files;
            refresh(
                &self.root,
                &loaded.config,
                &mut self.docs,
                &listing.markdown,
            );
        }
        for path in std::mem::take(&mut self.pending.files) {
            let kind = content::kind(&path);
            if kind == content::Kind::Markdown {
                reparsed.push(path);
            } else if kind == content::Kind::File {
                if content::is_plain_file(&self.root.join(CONTENT_DIR).join(&path)) {
                    self.files.insert(path.clone());
                } else {
                    self.files.remove(&path);
                }
                changed_files.insert(path);
            }
        }
        self.pending.rescan = false;
        // Kept until a build succeeds: a briefing re-parsed during a failed
        // rebuild must still be swapped into the model afterwards.
        let reparsed = refresh(&self.root, &loaded.config, &mut self.docs, &reparsed);
        self.pending.reparsed.extend(reparsed);
        let reparsed: Vec<PathBuf> = self.pending.reparsed.iter().cloned().collect();

        let clock = Instant::now();
        let mut marks: Vec<(&str, Duration)> = Vec::new();
        for cached in self.docs.values() {
            if let Err(e) = &cached.result {
                errors.extend(e.iter().cloned());
            }
        }
        if !errors.is_empty() {
            return Err(fail(errors));
        }
        let kept = match &self.site {
            Some(site) if !rescanned && changed_files.is_empty() => {
                swap_in(site, &self.positions, &self.docs, &reparsed, self.drafts)
            }
            _ => None,
        };
        let model_rebuilt = kept.is_none();
        let site = match kept {
            Some(site) => site,
            None => {
                let documents = self
                    .docs
                    .values()
                    .filter_map(|c| c.result.as_ref().ok().cloned());
                let content = content::assemble(
                    &self.root,
                    documents,
                    self.files.iter().cloned().collect(),
                    self.drafts,
                );
                content::check_unique_paths(&content, &mut errors);
                if !errors.is_empty() {
                    return Err(fail(errors));
                }
                marks.push(("content", clock.elapsed()));
                Site::new(loaded.config.clone(), content)
            }
        };
        marks.push(("site", clock.elapsed()));
        let made = Mutex::new(Vec::new());
        let rendered = render::render(&site, &loaded.templates, Some(&self.fingerprints), |out| {
            made.lock()
                .expect("no thread panics while holding the lock")
                .push(out);
            Ok(())
        })
        .map_err(fail)?;

        marks.push(("render", clock.elapsed()));
        let mut store = (*self.store).clone();
        let mut outcome = Outcome {
            rendered: rendered.pages,
            briefings: site.briefings.len(),
            tags: site.tags.len(),
            events: site.event_count(),
            ..Outcome::default()
        };
        fn put(store: &mut Store, output: Output, outcome: &mut Outcome) {
            if store
                .get(&output.path)
                .is_none_or(|old| **old != output.body)
            {
                outcome.written.push(output.path.clone());
                store.insert(output.path, Arc::new(output.body));
            }
        }
        for output in made
            .into_inner()
            .expect("no thread panics while holding the lock")
        {
            put(&mut store, output, &mut outcome);
        }
        if reload_statics {
            put(
                &mut store,
                Output {
                    path: url::output_path(output::HIGHLIGHT_CSS),
                    body: loaded.highlight_css.clone().into_bytes(),
                },
                &mut outcome,
            );
        }
        for (relative, file) in loaded.templates.statics.iter().filter(|_| reload_statics) {
            let body = match file {
                StaticFile::Builtin(bytes) => bytes.to_vec(),
                StaticFile::Site(path) => read_file(path)?,
            };
            put(
                &mut store,
                Output {
                    path: relative.clone(),
                    body,
                },
                &mut outcome,
            );
        }
        for relative in &self.files {
            if changed_files.contains(relative) || !store.contains_key(relative) {
                let body = read_file(&self.root.join(CONTENT_DIR).join(relative))?;
                put(
                    &mut store,
                    Output {
                        path: relative.clone(),
                        body,
                    },
                    &mut outcome,
                );
            }
        }

        // Only when the set of files may have changed, find those now gone.
        let layout = layout(&site, loaded.templates.generation, &self.files);
        if layout != self.layout {
            let mut expected: BTreeSet<PathBuf> = render::jobs(&site)
                .into_iter()
                .map(|job| url::output_path(&render::job_path(job, &site)))
                .collect();
            expected.insert(url::output_path(output::HIGHLIGHT_CSS));
            expected.extend(loaded.templates.statics.keys().cloned());
            expected.extend(self.files.iter().cloned());
            outcome.removed = store
                .keys()
                .filter(|p| !expected.contains(*p))
                .cloned()
                .collect();
            for path in &outcome.removed {
                store.remove(path);
            }
            self.layout = layout;
        }
        outcome.written.sort();
        self.fingerprints = rendered.fingerprints;
        self.store = Arc::new(store);
        if model_rebuilt {
            self.positions = site
                .briefings
                .iter()
                .enumerate()
                .map(|(i, b)| (b.source_path.clone(), i))
                .collect();
        }
        self.site = Some(site);
        self.pending.reparsed.clear();
        self.pending.statics = false;
        marks.push(("store", clock.elapsed()));
        if std::env::var_os("BRIEFLY_TIMINGS").is_some() {
            eprintln!("rebuild stages (cumulative): {marks:?}");
        }
        Ok(outcome)
    }
}

/// A hash of every output path a site has (not of the bytes).
fn layout(site: &Site, templates_generation: u64, files: &BTreeSet<PathBuf>) -> u64 {
    let mut hasher = FingerprintHasher::new();
    (crate::view::index_pages(site), templates_generation, files).hash(&mut hasher);
    site.briefings
        .iter()
        .for_each(|b| (&b.path, &b.aliases).hash(&mut hasher));
    site.pages.iter().for_each(|p| p.path.hash(&mut hasher));
    site.tags.iter().for_each(|t| t.slug.hash(&mut hasher));
    if site.timeline.is_split() {
        site.timeline
            .years
            .iter()
            .for_each(|y| y.year.hash(&mut hasher));
    }
    hasher.finish()
}

/// Re-reads Markdown files (in parallel) and re-parses those whose text
/// changed; files that are gone leave the cache. Returns the re-parsed paths.
fn refresh(
    root: &Path,
    config: &Config,
    docs: &mut BTreeMap<PathBuf, Cached>,
    paths: &[PathBuf],
) -> Vec<PathBuf> {
    let updates: Vec<(&PathBuf, Option<Cached>)> = paths
        .par_iter()
        .filter_map(|relative| {
            if !content::is_plain_file(&root.join(CONTENT_DIR).join(relative)) {
                return Some((relative, None));
            }
            let text = match content::read(root, relative) {
                Ok(text) => text,
                Err(e) => {
                    return Some((
                        relative,
                        Some(Cached {
                            text_hash: 0,
                            result: Err(e),
                        }),
                    ));
                }
            };
            let text_hash = hash_of(&text);
            if docs.get(relative).is_some_and(|c| c.text_hash == text_hash) {
                return None;
            }
            let result = content::parse(root, relative, &text, config);
            Some((relative, Some(Cached { text_hash, result })))
        })
        .collect();
    let mut reparsed = Vec::with_capacity(updates.len());
    for (relative, cached) in updates {
        match cached {
            Some(cached) => docs.insert(relative.clone(), cached),
            None => docs.remove(relative),
        };
        reparsed.push(relative.clone());
    }
    reparsed
}

/// The last good site with re-parsed briefings swapped in, when none of
/// them changed anything the site model reads; None otherwise.
fn swap_in(
    site: &Site,
    positions: &HashMap<PathBuf, usize>,
    docs: &BTreeMap<PathBuf, Cached>,
    reparsed: &[PathBuf],
    drafts: bool,
) -> Option<Site> {
    let mut site = site.clone();
    for path in reparsed {
        let &at = positions.get(path)?;
        let Some(Ok(Document::Briefing(new))) = docs.get(path).map(|c| &c.result) else {
            return None;
        };
        if new.model_hash != site.briefings[at].model_hash || (new.draft && !drafts) {
            return None;
        }
        site.briefings[at] = Arc::clone(new);
    }
    Some(site)
}

fn read_file(path: &Path) -> Result<Vec<u8>, Diagnostics> {
    std::fs::read(path)
        .map_err(|e| Diagnostics(vec![Diagnostic::new(path, format!("cannot read: {e}"))]))
}
