//! The page list: every file a site's output holds, described once. For a
//! `Site` it names each page (`PageId`), where it is written and which
//! template renders it; the files copied as they are (theme statics, the
//! highlighting stylesheet, `content/`'s other files) join them in
//! `Outputs`. Everything else that talks about output files derives from
//! here: the paths aliases may not take, `check`'s knowledge of templates,
//! the set of files a rebuild expects, and which pages show a briefing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::config::CONTENT_DIR;
use crate::diagnostic::Diagnostic;
use crate::hash::hash_of;
use crate::images::Images;
use crate::site::{Doc, Site, Term};
use crate::templates::StaticFile;
use crate::url::output_path;

/// How many briefings the feed carries.
pub const FEED_SIZE: usize = 20;
/// The feed's output file, at the site's root.
pub const FEED_FILE: &str = "atom.xml";
/// The most URLs one sitemap file may hold (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;
/// Where the code-highlighting stylesheet is written.
pub const HIGHLIGHT_CSS: &str = "/highlight.css";

/// One page of the output, by what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageId {
    /// Index page `n` (0 is the home page).
    Index(usize),
    Briefing(usize),
    /// A standalone page from `content/pages/`.
    Page(usize),
    /// The index of taxonomy `.0` (`/tags/`, `/regions/`).
    Tags(usize),
    /// Page `.1` of term `.0`'s list (0 is `/tags/<slug>/`); `.0` indexes
    /// `Site::tags`, every taxonomy's terms.
    Tag(usize, usize),
    /// `/timeline/`, or one year's page of a split timeline.
    Timeline(Option<usize>),
    /// Tag `.0`'s timeline, or the page of year `.1` when it is split.
    TagTimeline(usize, Option<i16>),
    /// Every briefing and event in TimelineJS's JSON: `/timeline.json`.
    TimelineJs,
    /// The dated events as iCalendar: `/timeline.ics`.
    Calendar,
    NotFound,
    /// A feed of the site's newest briefings, in one format.
    Feed(FeedFormat),
    /// The Atom feed of one tag's newest briefings.
    TagFeed(usize),
    /// `/sitemap.xml` when it lists the parts of a split sitemap.
    SitemapIndex,
    /// `/sitemap.xml`, or one part of a split sitemap.
    Sitemap(Option<usize>),
    Robots,
    /// A page at an old path (`aliases`, `redirect_from`) of briefing `.0`
    /// that sends readers to its page.
    Redirect(usize, usize),
    /// `/_redirects`: a `301` rule per old path, for Netlify and Cloudflare
    /// Pages (`redirects: netlify` or `both`).
    Redirects,
}

/// The formats of the site's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeedFormat {
    Atom,
    /// RSS 2.0.
    Rss,
    /// JSON Feed 1.1.
    Json,
}

/// One of each kind of page: what `check` learns the page templates from.
const EVERY_KIND: [PageId; 19] = [
    PageId::Index(0),
    PageId::Briefing(0),
    PageId::Page(0),
    PageId::Tags(0),
    PageId::Tag(0, 0),
    PageId::Timeline(None),
    PageId::TagTimeline(0, None),
    PageId::TimelineJs,
    PageId::Calendar,
    PageId::NotFound,
    PageId::Feed(FeedFormat::Atom),
    PageId::Feed(FeedFormat::Rss),
    PageId::Feed(FeedFormat::Json),
    PageId::TagFeed(0),
    PageId::SitemapIndex,
    PageId::Sitemap(None),
    PageId::Robots,
    PageId::Redirect(0, 0),
    PageId::Redirects,
];

impl PageId {
    /// The template that renders this page: its kind's, or the one a
    /// briefing or standalone page asks for (`layout:`, `template =`) when
    /// the site's own `templates/` has it and it is not the template of
    /// another kind of page.
    pub fn template(self, site: &Site) -> &str {
        let asked = match self {
            PageId::Briefing(i) => site.briefings[i].template.as_deref(),
            PageId::Page(i) => site.pages[i].template.as_deref(),
            _ => None,
        };
        let own = self.kind_template();
        let usable = |name: &&str| {
            site.layouts.contains(*name)
                && (*name == own || !EVERY_KIND.iter().any(|k| k.kind_template() == *name))
        };
        asked.filter(usable).unwrap_or(own)
    }

    /// The template of this kind of page.
    pub fn kind_template(self) -> &'static str {
        match self {
            PageId::Index(_) => "index.html",
            PageId::Briefing(_) => "briefing.html",
            PageId::Page(_) => "page.html",
            PageId::Tags(_) => "tags.html",
            PageId::Tag(..) => "tag.html",
            PageId::Timeline(_) => "timeline.html",
            PageId::TagTimeline(..) => "tag_timeline.html",
            PageId::TimelineJs => "timeline.json",
            PageId::Calendar => "timeline.ics",
            PageId::NotFound => "404.html",
            PageId::Feed(FeedFormat::Atom) | PageId::TagFeed(_) => "atom.xml",
            PageId::Feed(FeedFormat::Rss) => "rss.xml",
            PageId::Feed(FeedFormat::Json) => "feed.json",
            PageId::SitemapIndex => "sitemap_index.xml",
            PageId::Sitemap(_) => "sitemap.xml",
            PageId::Robots => "robots.txt",
            PageId::Redirect(..) => "redirect.html",
            PageId::Redirects => REDIRECTS_FILE,
        }
    }

    /// The site path this page is written at.
    pub fn path(self, site: &Site) -> String {
        match self {
            PageId::Index(0) => "/".to_string(),
            PageId::Index(n) => format!("/page/{}/", n + 1),
            PageId::Briefing(i) => site.briefings[i].path.clone(),
            PageId::Page(i) => site.pages[i].path.clone(),
            PageId::Tags(k) => crate::taxonomy::index_path(&site.config.taxonomies[k]),
            PageId::Tag(t, n) => tag_path(&site.tags[t], n),
            PageId::Timeline(year) => timeline_path(year.map(|y| site.timeline.years[y].year)),
            PageId::TagTimeline(t, year) => tag_timeline_path(&site.tags[t], year),
            PageId::TimelineJs => TIMELINE_JS.to_string(),
            PageId::Calendar => CALENDAR.to_string(),
            PageId::NotFound => "/404.html".to_string(),
            PageId::Feed(format) => feed_path(format),
            PageId::TagFeed(t) => tag_feed_path(&site.tags[t]),
            PageId::SitemapIndex => sitemap_path(None),
            PageId::Sitemap(part) => sitemap_path(part),
            PageId::Robots => "/robots.txt".to_string(),
            PageId::Redirect(i, k) => site.briefings[i].aliases[k].clone(),
            PageId::Redirects => format!("/{REDIRECTS_FILE}"),
        }
    }

    /// The Markdown file (under `content/`) this page is made from.
    pub fn source(self, site: &Site) -> Option<&Path> {
        match self {
            PageId::Briefing(i) | PageId::Redirect(i, _) => Some(&site.briefings[i].source_path),
            PageId::Page(i) => Some(&site.pages[i].source_path),
            _ => None,
        }
    }

    /// Where the sitemap lists this page: the home page, the briefings, the
    /// standalone pages, the tags, the timeline; None for pages it leaves
    /// out (other index and tag pages, a tag's timeline, which shows the
    /// timeline's entries again, feeds and data, redirects, the 404 page).
    fn sitemap_rank(self) -> Option<(u8, usize)> {
        match self {
            PageId::Index(0) => Some((0, 0)),
            PageId::Briefing(i) => Some((1, i)),
            PageId::Page(i) => Some((2, i)),
            PageId::Tags(k) => Some((3, k)),
            PageId::Tag(t, 0) => Some((4, t)),
            PageId::Timeline(None) => Some((5, 0)),
            PageId::Timeline(Some(y)) => Some((6, y)),
            PageId::Index(_)
            | PageId::Tag(..)
            | PageId::TagTimeline(..)
            | PageId::TimelineJs
            | PageId::Calendar
            | PageId::NotFound
            | PageId::Feed(_)
            | PageId::TagFeed(_)
            | PageId::SitemapIndex
            | PageId::Sitemap(_)
            | PageId::Robots
            | PageId::Redirect(..)
            | PageId::Redirects => None,
        }
    }

    /// The page's identity across rebuilds: its kind and path rather than
    /// an index, which shifts when a briefing is added before it.
    pub fn key(self, site: &Site) -> u64 {
        hash_of((self.template(site), self.path(site)))
    }
}

/// Every template a page of any site is rendered with by name.
pub fn page_templates() -> impl Iterator<Item = &'static str> {
    EVERY_KIND.into_iter().map(PageId::kind_template)
}

/// Where a file of the output comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Page(PageId),
    /// A theme file from `templates/static/`, or the highlighting stylesheet.
    Static,
    /// A file under `content/` copied as it is.
    File(PathBuf),
    /// A file of the search index (`search.rs`), under `search-index/`.
    Search,
}

/// Every output file of a site: the pages to render, in the order to render
/// them, and what owns each path. Aliases that would land on another file
/// are left out, each with a warning naming both; a page that would land on
/// another page or file is an error naming both.
#[derive(Debug, Default)]
pub struct Outputs {
    pub pages: Vec<PageId>,
    /// The pages the sitemap lists, in its order.
    pub sitemap: Vec<PageId>,
    pub owners: HashMap<PathBuf, Owner>,
    /// The search index's files (also in `owners`), once it is made.
    pub search: Vec<PathBuf>,
    /// The old paths (`PageId::Redirect`) that redirect, in briefing
    /// order: those no other file took. With `redirects: netlify` they are
    /// rules of `_redirects` only, neither pages nor owners.
    pub aliases: Vec<PageId>,
    /// Each of `aliases` by its output path (see `alias`).
    alias_paths: HashMap<PathBuf, PageId>,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
    /// The sizes of the images among these files, read on first use.
    pub images: Images,
}

impl Outputs {
    /// Lists `site`'s outputs; `statics` are the theme's static files.
    pub fn new(site: &Site, statics: &BTreeMap<PathBuf, StaticFile>) -> Outputs {
        let mut outputs = Outputs {
            images: Images::new(&site.root, &site.files, statics),
            ..Outputs::default()
        };
        for path in statics.keys() {
            outputs.owners.insert(path.clone(), Owner::Static);
        }
        outputs
            .owners
            .insert(output_path(HIGHLIGHT_CSS), Owner::Static);
        for file in &site.files {
            let owner = Owner::File(file.source.clone());
            if let Some(Owner::File(first)) = outputs.owners.insert(file.output.clone(), owner) {
                outputs.errors.push(Diagnostic::new(
                    Path::new(CONTENT_DIR).join(&file.source),
                    format!(
                        "2 files would be written to {}: content/{} and content/{} (a page bundle's files go beside its page); rename or move one",
                        file.output.display(),
                        first.display(),
                        file.source.display()
                    ),
                ));
            }
        }
        let (generated, sitemap) = generated(site);
        outputs.sitemap = sitemap;
        // Authors' files at one URL, by URL: one error names them all.
        let mut shared: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
        for id in generated {
            let path = output_path(&id.path(site));
            if let Some(owner) = outputs.owners.get(&path) {
                let first = match owner {
                    Owner::Page(first) => first.source(site),
                    _ => None,
                };
                match (first, id.source(site)) {
                    (Some(first), Some(second)) => {
                        let files = shared.entry(id.path(site).to_string()).or_default();
                        files.insert(Path::new(CONTENT_DIR).join(first));
                        files.insert(Path::new(CONTENT_DIR).join(second));
                    }
                    _ => outputs.errors.push(collision(site, owner, id)),
                }
                continue;
            }
            outputs.owners.insert(path, Owner::Page(id));
            outputs.pages.push(id);
        }
        for (at, files) in shared {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            let (last, rest) = names.split_last().expect("two files or more");
            outputs.errors.push(Diagnostic::new(
                files.first().expect("two files or more"),
                format!(
                    "{} files would be written to the same URL {at}: {} and {last}; give all but one a different `slug:` (or use a dated `permalink` in site.yaml)",
                    files.len(),
                    rest.join(", "),
                ),
            ));
        }
        for (i, b) in site.briefings.iter().enumerate() {
            for k in 0..b.aliases.len() {
                outputs.add_redirect(site, PageId::Redirect(i, k));
            }
        }
        if site.config.search {
            outputs.keep_search_dir(site);
        }
        outputs.alias_paths = (outputs.aliases.iter())
            .map(|&id| (output_path(&id.path(site)), id))
            .collect();
        if !site.config.redirects.pages() {
            outputs
                .pages
                .retain(|id| !matches!(id, PageId::Redirect(..)));
            outputs
                .owners
                .retain(|_, owner| !matches!(owner, Owner::Page(PageId::Redirect(..))));
        }
        outputs
    }

    /// Makes the search index's files (`search.rs`) the ones in the list,
    /// in place of the last ones.
    pub fn set_search(&mut self, paths: Vec<PathBuf>) {
        for path in self.search.drain(..) {
            self.owners.remove(&path);
        }
        for path in &paths {
            self.owners.insert(path.clone(), Owner::Search);
        }
        self.search = paths;
    }

    /// The search index's folder is its own, whatever files it holds: a
    /// page or file there is an error, an alias is not written.
    fn keep_search_dir(&mut self, site: &Site) {
        let mut inside: Vec<(PathBuf, Owner)> = self
            .owners
            .iter()
            .filter(|(path, _)| path.starts_with(crate::search::DIR))
            .map(|(path, owner)| (path.clone(), owner.clone()))
            .collect();
        inside.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, owner) in inside {
            let at = path.display();
            let dir = crate::search::DIR;
            if let Owner::Page(id @ PageId::Redirect(..)) = owner {
                let source = id.source(site).expect("a redirect has a briefing");
                self.owners.remove(&path);
                self.pages.retain(|&p| p != id);
                self.aliases.retain(|&p| p != id);
                self.warnings.push(
                    Diagnostic::new(
                        Path::new(CONTENT_DIR).join(source),
                        format!("the alias {} is not written: {dir}/ holds the search index; remove it from `aliases`/`redirect_from`, or set `search: false` in site.yaml", id.path(site)),
                    )
                    .kind(crate::diagnostic::Kind::Alias),
                );
                continue;
            }
            let whose = match &owner {
                Owner::Page(id) => id.source(site).map(|s| Path::new(CONTENT_DIR).join(s)),
                Owner::File(source) => Some(Path::new(CONTENT_DIR).join(source)),
                Owner::Static => {
                    Some(PathBuf::from(crate::templates::TEMPLATES_DIR).join("static"))
                }
                Owner::Search => None,
            };
            self.errors.push(Diagnostic::new(
                whose.unwrap_or_else(|| PathBuf::from(crate::config::FILE_NAME)),
                format!(
                    "{} would be written to {at}, but {dir}/ holds the search index: move it elsewhere, or set `search: false` in site.yaml",
                    describe(site, &owner)
                ),
            ));
        }
    }

    /// Every template this site's pages are rendered with by name (the
    /// kinds' and those pages ask for); any other template must be
    /// extended, included or imported by one of these.
    pub fn templates<'a>(&'a self, site: &'a Site) -> BTreeSet<&'a str> {
        let mut used: BTreeSet<&str> = page_templates().collect();
        used.extend(self.pages.iter().map(|id| id.template(site)));
        used
    }

    /// The alias (`PageId::Redirect`) at output `file` or `file/index.html`,
    /// whether it is a page (`redirects: html`) or only a rule of
    /// `_redirects` (`netlify`): a link to it leads to its briefing.
    pub fn alias(&self, file: &Path) -> Option<PageId> {
        (self.alias_paths.get(file))
            .or_else(|| self.alias_paths.get(&file.join("index.html")))
            .copied()
    }

    /// Whether page `id` is one of the listed outputs.
    pub fn lists(&self, site: &Site, id: PageId) -> bool {
        self.owners.get(&output_path(&id.path(site))) == Some(&Owner::Page(id))
    }

    fn add_redirect(&mut self, site: &Site, id: PageId) {
        let path = output_path(&id.path(site));
        let Some(owner) = self.owners.get(&path) else {
            self.owners.insert(path, Owner::Page(id));
            self.pages.push(id);
            self.aliases.push(id);
            return;
        };
        let taken_by = describe(site, owner);
        let source = id.source(site).expect("a redirect has a briefing");
        self.warnings.push(Diagnostic::new(
            Path::new(crate::content::CONTENT_DIR).join(source),
            format!(
                "the alias {} is not written: {} is already {taken_by}; remove it from `aliases`/`redirect_from`",
                id.path(site),
                path.display()
            ),
        ).kind(crate::diagnostic::Kind::Alias));
    }
}

/// Page `id` lands on a file `owner` already has, not both authors' pages
/// (those are named together, in `Outputs::new`): an error naming both,
/// against the author's file.
fn collision(site: &Site, owner: &Owner, id: PageId) -> Diagnostic {
    let at = id.path(site);
    let file = |source: &Path| Path::new(crate::content::CONTENT_DIR).join(source);
    match id.source(site).map(file) {
        Some(second) => Diagnostic::new(
            second,
            format!(
                "the URL {at} belongs to {}: set another `slug:`",
                describe(site, owner)
            ),
        ),
        None => {
            let (whose, hint) = match owner {
                Owner::File(path) => (file(path), "rename or move that file"),
                _ => (
                    PathBuf::from(crate::templates::TEMPLATES_DIR).join("static"),
                    "rename that theme file",
                ),
            };
            Diagnostic::new(
                whose,
                format!(
                    "{} would be written to {at}, which is already {}: {hint}",
                    describe(site, &Owner::Page(id)),
                    describe(site, owner)
                ),
            )
        }
    }
}

/// An output file's origin, as the author knows it.
fn describe(site: &Site, owner: &Owner) -> String {
    match owner {
        Owner::Page(id) => match id.source(site) {
            Some(source) => format!("the page of content/{}", source.display()),
            None => format!("the page the site generates ({})", id.kind_template()),
        },
        Owner::Static => "a theme file (templates/static/)".to_string(),
        Owner::File(file) => format!("the file content/{}", file.display()),
        Owner::Search => "a file of the search index".to_string(),
    }
}

/// The generated pages (all but redirects), long list pages first (the
/// timeline and its data, tag pages and timelines of the biggest tags, the
/// feeds, the sitemap), so that on a big site they do not end the build on
/// one core while the other waits; and the pages the sitemap lists, in its
/// order.
fn generated(site: &Site) -> (Vec<PageId>, Vec<PageId>) {
    let mut pages: Vec<PageId> = vec![PageId::TimelineJs, PageId::Calendar];
    pages.push(PageId::Timeline(None));
    if site.timeline.is_split() {
        pages.extend((0..site.timeline.years.len()).map(|y| PageId::Timeline(Some(y))));
    }
    let mut tags: Vec<usize> = (0..site.tags.len()).collect();
    tags.sort_by_key(|&t| std::cmp::Reverse(site.tags[t].briefings.len()));
    for &t in &tags {
        pages.extend((0..tag_pages(site, t)).map(|n| PageId::Tag(t, n)));
        pages.push(PageId::TagTimeline(t, None));
        let years = tag_timeline_years(site, t);
        if crate::timeline::splits(years.iter().map(|(_, count)| count).sum()) {
            pages.extend(years.iter().map(|&(y, _)| PageId::TagTimeline(t, Some(y))));
        }
    }
    pages.extend(FEED_FORMATS.map(PageId::Feed));
    pages.extend(
        tags.into_iter()
            .filter(|&t| has_feed(site, t))
            .map(PageId::TagFeed),
    );
    let sitemap_at = pages.len();
    pages.extend((0..site.config.taxonomies.len()).map(PageId::Tags));
    pages.extend((0..index_pages(site)).map(PageId::Index));
    pages.extend((0..site.briefings.len()).map(PageId::Briefing));
    pages.extend((0..site.pages.len()).map(PageId::Page));
    pages.extend([PageId::NotFound, PageId::Robots]);
    if site.config.redirects.file() {
        pages.push(PageId::Redirects);
    }
    let mut listed: Vec<PageId> = pages
        .iter()
        .copied()
        .filter(|id| id.sitemap_rank().is_some())
        .collect();
    listed.sort_by_key(|id| id.sitemap_rank());
    let sitemaps: Vec<PageId> = match parts_needed(listed.len(), SITEMAP_LIMIT) {
        0 => vec![PageId::Sitemap(None)],
        parts => std::iter::once(PageId::SitemapIndex)
            .chain((0..parts).map(|k| PageId::Sitemap(Some(k))))
            .collect(),
    };
    pages.splice(sitemap_at..sitemap_at, sitemaps);
    (pages, listed)
}

/// The pages that show something of briefing `i` beyond what the site
/// model reads (its summary or its body), for a site whose model an edit
/// left as it was: its page and redirects, the index page and tag pages
/// listing it, its neighbours' and related briefings' pages, the feeds
/// (the site's and its tags') it is among the newest of, and the
/// TimelineJS data (which shows every summary).
pub fn showing_briefing(site: &Site, i: usize) -> Vec<PageId> {
    let per = site.config.paginate;
    let mut pages = vec![
        PageId::Briefing(i),
        PageId::Index(i / per),
        PageId::TimelineJs,
    ];
    let (older, newer) = site.neighbours(i);
    pages.extend(older.into_iter().chain(newer).map(PageId::Briefing));
    for &t in &site.briefing_tags[i] {
        let at = site.tags[t]
            .briefings
            .binary_search(&i)
            .expect("a briefing is listed by each of its tags");
        pages.push(PageId::Tag(t, at / per));
        if at < FEED_SIZE && has_feed(site, t) {
            pages.push(PageId::TagFeed(t));
        }
    }
    // Related briefings are chosen among these, so `i` is related to them
    // only if they are among them.
    pages.extend(
        site.related_candidates(i)
            .flatten()
            .map(|&j| PageId::Briefing(j)),
    );
    if i < FEED_SIZE {
        pages.extend(FEED_FORMATS.map(PageId::Feed));
    }
    pages.extend((0..site.briefings[i].aliases.len()).map(|k| PageId::Redirect(i, k)));
    pages
}

/// The pages whose body links to other source files: they show where those
/// files' pages and headings are.
pub fn linking(site: &Site) -> Vec<PageId> {
    let mut pages: Vec<PageId> = site
        .linkers
        .iter()
        .map(|doc| match *doc {
            Doc::Briefing(i) => PageId::Briefing(i),
            Doc::Page(i) => PageId::Page(i),
        })
        .collect();
    if site
        .linkers
        .iter()
        .any(|d| matches!(d, Doc::Briefing(i) if *i < FEED_SIZE))
    {
        pages.extend(FEED_FORMATS.map(PageId::Feed));
    }
    pages
}

/// How many index pages the site has.
pub fn index_pages(site: &Site) -> usize {
    site.briefings.len().div_ceil(site.config.paginate).max(1)
}

/// Whether term `t`'s taxonomy gives its terms feeds.
pub fn has_feed(site: &Site, t: usize) -> bool {
    site.config.taxonomies[site.tags[t].taxonomy].feed
}

/// How many pages tag `t`'s list has.
pub fn tag_pages(site: &Site, t: usize) -> usize {
    site.tags[t]
        .briefings
        .len()
        .div_ceil(site.config.paginate)
        .max(1)
}

/// The years of tag `t`'s timeline, in its order, with their entries.
pub fn tag_timeline_years(site: &Site, t: usize) -> Vec<(i16, usize)> {
    crate::timeline::years_of(
        &site.briefings,
        &site.tags[t].briefings,
        site.config.timeline.order,
        site.config.timeline.show_updates,
    )
}

/// How many sitemap files `urls` URLs need beyond `/sitemap.xml`: none
/// when they all fit in it, else that many parts listed by `/sitemap.xml`.
pub fn parts_needed(urls: usize, limit: usize) -> usize {
    if urls <= limit {
        0
    } else {
        urls.div_ceil(limit)
    }
}

pub fn sitemap_path(part: Option<usize>) -> String {
    match part {
        None => "/sitemap.xml".to_string(),
        Some(k) => format!("/sitemap-{}.xml", k + 1),
    }
}

/// Netlify's (and Cloudflare Pages') redirect rules, at the output root:
/// also the name of the template that writes them.
pub const REDIRECTS_FILE: &str = "_redirects";

/// Where the TimelineJS data and the calendar are written.
pub const TIMELINE_JS: &str = "/timeline.json";
pub const CALENDAR: &str = "/timeline.ics";

/// Every format of the site's feed.
pub const FEED_FORMATS: [FeedFormat; 3] = [FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json];

pub fn feed_path(format: FeedFormat) -> String {
    match format {
        FeedFormat::Atom => "/atom.xml",
        FeedFormat::Rss => "/rss.xml",
        FeedFormat::Json => "/feed.json",
    }
    .to_string()
}

/// Page `n` (from 0) of a tag's list.
pub fn tag_path(tag: &Term, n: usize) -> String {
    match n {
        0 => tag.path().to_string(),
        n => format!("{}page/{}/", tag.path(), n + 1),
    }
}

pub fn tag_timeline_path(tag: &Term, year: Option<i16>) -> String {
    match year {
        Some(year) => format!("{}timeline/{year}/", tag.path()),
        None => format!("{}timeline/", tag.path()),
    }
}

pub fn tag_feed_path(tag: &Term) -> String {
    format!("{}atom.xml", tag.path())
}

pub fn timeline_path(year: Option<i16>) -> String {
    match year {
        Some(year) => format!("/timeline/{year}/"),
        None => "/timeline/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_is_split_only_past_the_limit() {
        assert_eq!(parts_needed(10, 50_000), 0);
        assert_eq!(parts_needed(50_000, 50_000), 0);
        assert_eq!(parts_needed(50_001, 50_000), 2);
        assert_eq!(parts_needed(110_320, 50_000), 3);
        assert_eq!(sitemap_path(Some(0)), "/sitemap-1.xml");
    }

    #[test]
    fn every_page_template_is_known() {
        let templates: Vec<&str> = page_templates().collect();
        assert_eq!(PageId::Briefing(0).kind_template(), "briefing.html");
        for name in ["redirect.html", "sitemap_index.xml", "atom.xml", "404.html"] {
            assert!(templates.contains(&name), "{name}");
        }
    }
}
