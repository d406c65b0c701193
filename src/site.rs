//! The site model: `Site { config, briefings, pages, tags, timeline }` built
//! from loaded content. Plain data, no IO: briefings newest first, tags merged
//! by slug (`North Korea` and `north-korea` are one tag, `taxonomy.rs`), the events several
//! briefings cover, neighbours (related briefings are `related.rs`). Every
//! order has an explicit tie-breaker so the same sources always give the
//! same site.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::slice::ParallelSliceMut;

use crate::briefing::Briefing;
use crate::config::Config;
use crate::content::Content;
use crate::related::SharedEvents;
use crate::standalone::Page;
pub use crate::taxonomy::Term;
use crate::timeline::Timeline;
use crate::url::BaseUrl;

#[derive(Debug, Clone)]
pub struct Site {
    /// The site folder; briefing bodies are read from its `content/` when
    /// their pages are made.
    pub root: PathBuf,
    pub config: Config,
    pub base: BaseUrl,
    /// Newest first; ties by slug.
    pub briefings: Vec<Arc<Briefing>>,
    /// By weight, then title.
    pub pages: Vec<Arc<Page>>,
    /// Every taxonomy's terms (tags, regions, …): by taxonomy (in
    /// `config.taxonomies`' order), then slug. A site with only `tags`
    /// has only its tags here.
    pub tags: Vec<Term>,
    /// Per briefing, the indices into `tags` of its terms: by taxonomy,
    /// then in its own order.
    pub briefing_tags: Vec<Vec<usize>>,
    /// Per taxonomy, its range of `tags`.
    pub taxonomy_terms: Vec<Range<usize>>,
    /// Events more than one briefing covers (`related.rs`).
    pub shared_events: SharedEvents,
    pub timeline: Timeline,
    /// Files under `content/` to copy as they are, and where to.
    pub files: Vec<Copied>,
    /// Every briefing and page by its file under `content/`, for links.
    pub sources: HashMap<PathBuf, Doc>,
    /// The same by file name, made when a Hugo `ref` first needs it.
    pub(crate) by_name: ByName,
    /// The briefings and pages whose bodies link to source files.
    pub linkers: Vec<Doc>,
    /// The templates in the site's own `templates/`: those a page may ask
    /// for by `layout:` or `template =` (see `PageId::template`).
    pub layouts: BTreeSet<String>,
}

/// A file under `content/` copied as it is: from `source` (under
/// `content/`) to `output` (under the output folder). A page bundle's files
/// (`post/index.md` and `post/chart.png`) go beside the page's own output,
/// wherever its URL puts it, as Hugo and Zola place them; any other file
/// keeps its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub source: PathBuf,
    pub output: PathBuf,
}

/// Where content files go: per page bundle folder (of an `index.md`), the
/// output folder of its page, when the page's URL is a folder.
fn copied(files: Vec<PathBuf>, briefings: &[Arc<Briefing>], pages: &[Arc<Page>]) -> Vec<Copied> {
    let sources = briefings
        .iter()
        .map(|b| (&b.source_path, &b.path))
        .chain(pages.iter().map(|p| (&p.source_path, &p.path)));
    let bundles: HashMap<&Path, PathBuf> = sources
        .filter(|(source, path)| {
            path.ends_with('/') && source.file_stem().is_some_and(|s| s == "index")
        })
        .filter_map(|(source, path)| {
            let folder = crate::url::output_path(path).parent()?.to_path_buf();
            Some((source.parent()?, folder))
        })
        .collect();
    files
        .into_iter()
        .map(|source| {
            let output = source
                .ancestors()
                .skip(1)
                .find_map(|folder| {
                    let page = bundles.get(folder)?;
                    Some(page.join(source.strip_prefix(folder).ok()?))
                })
                .unwrap_or_else(|| source.clone());
            Copied { source, output }
        })
        .collect()
}

/// A briefing or a standalone page, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Doc {
    Briefing(usize),
    Page(usize),
}

impl Site {
    pub fn new(config: Config, content: Content) -> Site {
        let base = config.base_url.clone();
        let Content {
            root,
            mut briefings,
            mut pages,
            files,
        } = content;
        briefings.par_sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        pages.sort_by(|a, b| (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug)));
        let ((terms, shared_events), timeline) = rayon::join(
            || {
                rayon::join(
                    || crate::taxonomy::collect(&briefings, &config.taxonomies),
                    || SharedEvents::new(&briefings),
                )
            },
            || {
                Timeline::new(
                    &briefings,
                    config.timeline.order,
                    config.timeline.show_updates,
                )
            },
        );
        let sources = briefings
            .iter()
            .enumerate()
            .map(|(i, b)| (b.source_path.clone(), Doc::Briefing(i)))
            .chain(
                pages
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.source_path.clone(), Doc::Page(i))),
            )
            .collect();
        let linkers = briefings
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.links.is_empty())
            .map(|(i, _)| Doc::Briefing(i))
            .chain(
                pages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.links.is_empty())
                    .map(|(i, _)| Doc::Page(i)),
            )
            .collect();
        let files = copied(files, &briefings, &pages);
        Site {
            root,
            linkers,
            config,
            base,
            briefings,
            pages,
            tags: terms.terms,
            briefing_tags: terms.of,
            taxonomy_terms: terms.ranges,
            shared_events,
            timeline,
            files,
            sources,
            by_name: Default::default(),
            layouts: BTreeSet::new(),
        }
    }

    /// The site with the names of its own templates.
    pub fn with_layouts(mut self, layouts: BTreeSet<String>) -> Site {
        self.layouts = layouts;
        self
    }

    /// The older and the newer neighbour of briefing `i`.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let older = (i + 1 < self.briefings.len()).then_some(i + 1);
        let newer = i.checked_sub(1);
        (older, newer)
    }

    /// The terms of taxonomy `k`, by index into `tags`.
    pub fn terms_of(&self, k: usize) -> Range<usize> {
        self.taxonomy_terms[k].clone()
    }

    /// The index of the taxonomy named `name`.
    pub fn taxonomy(&self, name: &str) -> Option<usize> {
        self.config.taxonomies.iter().position(|t| t.name == name)
    }

    pub fn event_count(&self) -> usize {
        self.briefings.iter().map(|b| b.events.len()).sum()
    }
}

/// The briefings' and pages' files by their lower-cased names, with and
/// without `.md` (a bundle's `index.md` by its folder's name): Hugo's last
/// way to find a `ref`. Made on first use, so a site without Hugo refs
/// never pays for it.
#[derive(Debug, Clone, Default)]
pub struct ByName(OnceLock<HashMap<String, Vec<PathBuf>>>);

impl ByName {
    pub(crate) fn get(&self, sources: &HashMap<PathBuf, Doc>, name: &str) -> &[PathBuf] {
        let index = self.0.get_or_init(|| {
            let mut index: HashMap<String, Vec<PathBuf>> = HashMap::new();
            for path in sources.keys() {
                for key in names(path) {
                    index.entry(key).or_default().push(path.clone());
                }
            }
            index.values_mut().for_each(|paths| paths.sort());
            index
        });
        index.get(&name.to_lowercase()).map_or(&[], Vec::as_slice)
    }
}

/// The names a file is found by: `x.md` and `x`; `x/index.md` also as `x`.
fn names(path: &Path) -> Vec<String> {
    let lower = |s: &std::ffi::OsStr| s.to_string_lossy().to_lowercase();
    let mut names: Vec<String> = path.file_name().map(lower).into_iter().collect();
    match path.file_stem().map(lower) {
        Some(stem) if stem == "index" => {
            names.extend(path.parent().and_then(Path::file_name).map(lower));
        }
        stem => names.extend(stem),
    }
    names
}
