//! What templates receive: for each page of the page list, one typed value
//! (`PageView`) that is both serialised for its template and hashed for its
//! fingerprint. Being the same value, the fingerprint cannot leave out
//! anything a template sees. A body stands in for its HTML with its `key`
//! (source and link targets) until the page is actually rendered. List pages
//! get `Summary` values (titles, dates, summaries, URLs), never every
//! briefing's HTML. The timeline's shapes are in `view_timeline.rs`.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Value};

use crate::hash::hash_of;
use crate::markdown::Rendered;
use crate::pages::{self, FEED_SIZE, FeedFormat, Outputs, PageId};
use crate::site::{Doc, Site};
use crate::view_briefing::{BriefingView, StandaloneView};
use crate::view_lists::{FeedView, Paginator, SitemapEntry};
use crate::view_parts::{
    Link, Listed, Parts, SummaryHashes, TagRef, TagView, TaxonomyRef, TaxonomyView,
};
use crate::view_timeline::TimelineView;
use crate::view_timeline_data::{CalendarView, TimelineJsView};

#[derive(Serialize, Hash)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    /// `ltr` or `rtl`, from the language (`locale.rs`).
    dir: &'a str,
    author: &'a str,
    base_url: &'a str,
    root: &'a str,
    pages: Vec<Link>,
    urls: BTreeMap<&'static str, String>,
    permalinks: BTreeMap<&'static str, String>,
    generator: String,
    /// Whether pages have the search box (site.yaml's `search`).
    search: bool,
    /// site.yaml's `extra`, as written.
    extra: &'a serde_yaml::Value,
    /// Each taxonomy by name, in `taxonomies:`' order.
    taxonomies: TaxonomyMap<'a>,
}

/// `site.taxonomies`: a map by name, in `taxonomies:`' order.
#[derive(Hash)]
struct TaxonomyMap<'a>(&'a [TaxonomyView]);

impl Serialize for TaxonomyMap<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for t in self.0 {
            map.serialize_entry(&t.name, t)?;
        }
        map.end()
    }
}

#[derive(Serialize, Hash)]
pub struct RedirectTarget<'a> {
    title: &'a str,
    url: String,
    permalink: String,
}

/// One line of `_redirects`: an old path and where it now is, both
/// root-relative with the base URL's sub-path.
#[derive(Serialize, Hash)]
pub struct RedirectRule {
    from: String,
    to: String,
}

/// The variables one page's template receives besides `site`,
/// `current_url` and `current_permalink` (README, "Templates and their
/// variables").
#[derive(Serialize, Hash)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // one short-lived value per page
pub enum PageView<'v> {
    Index {
        briefings: Vec<Listed<'v>>,
        paginator: Paginator,
    },
    Briefing {
        briefing: BriefingView<'v>,
        previous: Option<Listed<'v>>,
        next: Option<Listed<'v>>,
        related: Vec<Listed<'v>>,
    },
    Page {
        page: StandaloneView<'v>,
    },
    /// A taxonomy's index: its terms as `tags` (and `terms`).
    Tags {
        taxonomy: TaxonomyRef<'v>,
        tags: &'v [TagView],
        terms: &'v [TagView],
    },
    /// A term's page: the term as `tag` (and `term`).
    Tag {
        taxonomy: TaxonomyRef<'v>,
        tag: TagRef<'v>,
        term: TagRef<'v>,
        briefings: Vec<Listed<'v>>,
        paginator: Paginator,
    },
    /// The site's timeline or a tag's.
    Timeline(TimelineView<'v>),
    TimelineJs {
        timeline: TimelineJsView<'v>,
    },
    Calendar {
        calendar: CalendarView,
    },
    Feed(FeedView<'v>),
    SitemapIndex {
        sitemaps: Vec<String>,
    },
    Sitemap {
        entries: Vec<SitemapEntry>,
    },
    Redirect {
        target: RedirectTarget<'v>,
    },
    Redirects {
        redirects: Vec<RedirectRule>,
    },
    /// `404.html`, `robots.txt`: the shared variables only.
    Plain {},
}

/// What every page of one render shares: the site's variables and the
/// parts pages are made of (see `view_parts.rs`).
pub struct Views<'a> {
    pub site: &'a Site,
    /// Every output file, for checking links (and the sitemap's pages).
    pub outputs: &'a Outputs,
    parts: Parts<'a>,
    site_value: Value,
    /// The shared variables and the templates, hashed: part of every page's
    /// fingerprint.
    site_hash: u64,
    /// Every term's URL, for `get_taxonomy_url` (see `with_term_urls`).
    term_urls: Option<Value>,
    /// The header's search box, rendered once (see `with_cards`).
    search_box: Option<Value>,
}

impl<'a> Views<'a> {
    /// `templates` is the templates' generation: a page depends on them too.
    /// `summary_hashes` is a memo kept by the caller (see `SummaryHashes`).
    pub fn new(
        site: &'a Site,
        templates: u64,
        outputs: &'a Outputs,
        summary_hashes: &'a SummaryHashes,
    ) -> Views<'a> {
        let parts = Parts::new(site, outputs, summary_hashes);
        let site_view = site_view(site, &parts.taxonomies);
        let site_value = Value::from_serializable(&site_view);
        let site_hash = hash_of((templates, &site.config, &site_view));
        Views {
            site,
            outputs,
            parts,
            site_value,
            site_hash,
            term_urls: None,
            search_box: None,
        }
    }

    /// Gives templates what `get_taxonomy_url` reads, when they call it
    /// (`Templates::calls_taxonomy_url`): every page then depends on the
    /// set of terms, so it joins every fingerprint. Templates that never
    /// call it pay nothing, and adding a term rebuilds only its pages.
    pub fn with_term_urls(mut self, wanted: bool) -> Views<'a> {
        if wanted {
            let urls = crate::taxonomy::term_urls(self.site);
            self.site_hash = hash_of((self.site_hash, &urls));
            self.term_urls = Some(Value::from_serializable(&urls));
        }
        self
    }

    /// Gives each summary and timeline entry its HTML as the lists show it
    /// (`card`), made once per briefing with `templates` when they allow
    /// it (`Templates::cards`), and every page the header's search box as
    /// `search_box`, rendered once. Call after `with_term_urls`.
    pub fn with_cards(mut self, templates: &'a crate::templates::Templates) -> Views<'a> {
        if !templates.cards.is_empty() {
            self.search_box = templates
                .card(
                    crate::templates::Card::SearchBox,
                    None,
                    &self.site_value,
                    self.term_urls.as_ref(),
                )
                .map(|html| Value::safe_string(&html));
            self.parts.cards = Some(crate::view_parts::Cards {
                templates,
                site: self.site_value.clone(),
                term_urls: self.term_urls.clone(),
            });
        }
        self
    }

    /// Briefing `i`'s summary as a Tera value, made once per render.
    pub fn summary_value(&self, i: usize) -> &Value {
        self.parts.summary_value(i)
    }

    /// The bodies page `id` shows, in the order `page` expects them.
    pub fn bodies(&self, id: PageId) -> Vec<Doc> {
        match id {
            PageId::Briefing(i) => vec![Doc::Briefing(i)],
            PageId::Page(i) => vec![Doc::Page(i)],
            PageId::Feed(_) => (0..self.site.briefings.len().min(FEED_SIZE))
                .map(Doc::Briefing)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Page `id`'s fingerprint: its path and view, the shared variables and
    /// the templates. Equal fingerprints mean equal bytes at the same place.
    pub fn fingerprint(&self, id: PageId, path: &str) -> u64 {
        hash_of((
            self.site_hash,
            id.template(self.site),
            path,
            self.page(id, &[]),
        ))
    }

    /// Page `id`'s template variables; `bodies` are its bodies' HTML, in
    /// the order of `bodies(id)` (empty to fingerprint it).
    pub fn page<'b>(&'b self, id: PageId, bodies: &'b [Rendered]) -> PageView<'b> {
        let site = self.site;
        match id {
            PageId::Index(n) => PageView::Index {
                briefings: self.index_briefings(n),
                paginator: crate::view_lists::paginator(site, n),
            },
            PageId::Briefing(i) => {
                let (older, newer) = site.neighbours(i);
                PageView::Briefing {
                    briefing: self.parts.briefing(i, bodies.first()),
                    previous: older.map(|j| self.parts.listed(j)),
                    next: newer.map(|j| self.parts.listed(j)),
                    related: site
                        .related(i)
                        .into_iter()
                        .map(|j| self.parts.listed(j))
                        .collect(),
                }
            }
            PageId::Page(i) => PageView::Page {
                page: self.parts.standalone(i, bodies.first()),
            },
            PageId::Tags(k) => {
                let terms = &self.parts.tags[site.terms_of(k)];
                PageView::Tags {
                    taxonomy: self.parts.taxonomy(k),
                    tags: terms,
                    terms,
                }
            }
            PageId::Tag(t, n) => {
                let per = site.config.paginate;
                let members = &site.tags[t].briefings;
                let start = (n * per).min(members.len());
                PageView::Tag {
                    taxonomy: self.parts.taxonomy_of(t),
                    tag: self.parts.tag(t),
                    term: self.parts.tag(t),
                    briefings: members[start..(start + per).min(members.len())]
                        .iter()
                        .map(|&j| self.parts.listed(j))
                        .collect(),
                    paginator: crate::view_lists::tag_paginator(site, t, n),
                }
            }
            PageId::Timeline(year) => PageView::Timeline(TimelineView::new(&self.parts, year)),
            PageId::TagTimeline(t, year) => {
                PageView::Timeline(TimelineView::of_tag(&self.parts, t, year))
            }
            PageId::TimelineJs => PageView::TimelineJs {
                timeline: TimelineJsView::new(&self.parts),
            },
            PageId::Calendar => PageView::Calendar {
                calendar: CalendarView::new(site),
            },
            PageId::Feed(_) | PageId::TagFeed(_) => PageView::Feed(self.parts.feed(id, bodies)),
            PageId::SitemapIndex => PageView::SitemapIndex {
                sitemaps: (0..pages::parts_needed(
                    self.outputs.sitemap.len(),
                    pages::SITEMAP_LIMIT,
                ))
                    .map(|k| site.base.permalink(&pages::sitemap_path(Some(k))))
                    .collect(),
            },
            PageId::Sitemap(part) => PageView::Sitemap {
                entries: crate::view_lists::sitemap(site, &self.outputs.sitemap, part),
            },
            PageId::Redirect(i, _) => {
                let b = &site.briefings[i];
                PageView::Redirect {
                    target: RedirectTarget {
                        title: &b.title,
                        url: site.base.url(&b.path),
                        permalink: site.base.permalink(&b.path),
                    },
                }
            }
            PageId::Redirects => PageView::Redirects {
                redirects: self.redirect_rules(),
            },
            PageId::NotFound | PageId::Robots => PageView::Plain {},
        }
    }

    /// The template context of page `id` at `path`.
    pub fn context(&self, path: &str, view: &PageView) -> Result<Context, tera::Error> {
        let mut context = Context::from_serialize(view)?;
        context.insert_value("site", self.site_value.clone());
        if let Some(urls) = &self.term_urls {
            context.insert_value(crate::taxonomy::TERM_URLS, urls.clone());
        }
        if let Some(search_box) = &self.search_box {
            context.insert_value("search_box", search_box.clone());
        }
        context.insert("current_url", &self.site.base.url(path));
        context.insert("current_permalink", &self.site.base.permalink(path));
        Ok(context)
    }

    /// `_redirects`' rules: one per old path no other file took. A rule's
    /// fields are separated by spaces, so a space in a path is escaped.
    fn redirect_rules(&self) -> Vec<RedirectRule> {
        let site = self.site;
        let field = |path: &str| {
            percent_encoding::utf8_percent_encode(&site.base.url(path), WHITESPACE).to_string()
        };
        self.outputs
            .aliases
            .iter()
            .map(|&id| {
                let PageId::Redirect(i, _) = id else {
                    unreachable!("aliases holds redirects only")
                };
                RedirectRule {
                    from: field(&id.path(site)),
                    to: field(&site.briefings[i].path),
                }
            })
            .collect()
    }

    fn index_briefings(&self, n: usize) -> Vec<Listed<'_>> {
        let per = self.site.config.paginate;
        let count = self.site.briefings.len();
        let start = (n * per).min(count);
        let end = (start + per).min(count);
        (start..end).map(|i| self.parts.listed(i)).collect()
    }
}

/// What a `_redirects` field may not hold as it is.
const WHITESPACE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ');

fn site_view<'a>(site: &'a Site, taxonomies: &'a [TaxonomyView]) -> SiteView<'a> {
    let base = &site.base;
    let config = &site.config;
    let feed = |format| pages::feed_path(format);
    let mut urls = BTreeMap::from([
        ("home", base.url("/")),
        ("timeline", base.url("/timeline/")),
        ("timeline_json", base.url(pages::TIMELINE_JS)),
        ("calendar", base.url(pages::CALENDAR)),
        ("feed", base.url(&feed(FeedFormat::Atom))),
        ("rss", base.url(&feed(FeedFormat::Rss))),
        ("json_feed", base.url(&feed(FeedFormat::Json))),
        ("sitemap", base.url("/sitemap.xml")),
        ("style", base.url("/style.css")),
        ("timeline_style", base.url("/timeline.css")),
        ("highlight", base.url(pages::HIGHLIGHT_CSS)),
        ("search_index", base.url(crate::search::MANIFEST)),
        ("search_script", base.url("/search.js")),
        ("freshness_script", base.url("/freshness.js")),
    ]);
    // The `tags` taxonomy's index, wherever its `slug:` puts it.
    if let Some(k) = site.taxonomy(crate::taxonomy::TAGS) {
        let path = crate::taxonomy::index_path(&config.taxonomies[k]);
        urls.insert("tags", base.url(&path));
    }
    let permalinks = BTreeMap::from([
        ("home", base.permalink("/")),
        ("timeline_json", base.permalink(pages::TIMELINE_JS)),
        ("calendar", base.permalink(pages::CALENDAR)),
        ("feed", base.permalink(&feed(FeedFormat::Atom))),
        ("rss", base.permalink(&feed(FeedFormat::Rss))),
        ("json_feed", base.permalink(&feed(FeedFormat::Json))),
        ("sitemap", base.permalink("/sitemap.xml")),
    ]);
    SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        dir: &config.locale.dir,
        author: &config.author,
        base_url: &base.absolute,
        root: &base.root,
        pages: site
            .pages
            .iter()
            .map(|p| Link {
                title: p.title.clone(),
                url: base.url(&p.path),
            })
            .collect(),
        urls,
        permalinks,
        generator: format!("briefly {}", env!("CARGO_PKG_VERSION")),
        search: config.search,
        extra: &config.extra,
        taxonomies: TaxonomyMap(taxonomies),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::content::{Content, assemble};
    use crate::document::{Document, load};
    use crate::view_parts::SummaryHashes;

    /// A site of the given briefings (file name, text).
    fn site(files: &[(&str, &str)]) -> Site {
        let config = Config::parse("title: T\nbase_url: https://e.org/w\n").unwrap();
        let documents: Vec<Document> = files
            .iter()
            .map(|(name, text)| load(Path::new(name), Path::new(name), text, &config).unwrap())
            .collect();
        let publish = crate::content::Publish {
            drafts: false,
            future: true,
            expired: true,
            today: jiff::civil::date(2024, 1, 1),
        };
        let content: Content = assemble(Path::new("/nowhere"), documents, Vec::new(), &publish);
        Site::new(config, content)
    }

    /// Every page's fingerprint, by its path.
    fn fingerprints(site: &Site) -> BTreeMap<String, u64> {
        let outputs = Outputs::new(site, &BTreeMap::new());
        let hashes = SummaryHashes::new(site.briefings.len());
        let views = Views::new(site, 1, &outputs, &hashes);
        outputs
            .pages
            .iter()
            .map(|&id| {
                let path = id.path(site);
                (path.clone(), views.fingerprint(id, &path))
            })
            .collect()
    }

    const A: &str = "---\ntitle: A\ndate: 2024-01-02\ntags: [x]\nsummary: First.\n---\nBody A.\n";
    const B: &str = "---\ntitle: B\ndate: 2024-01-01\ntags: [x, y]\n---\nBody B.\n";

    #[test]
    fn a_fingerprint_moves_with_what_its_page_shows_and_only_then() {
        let before = fingerprints(&site(&[("a.md", A), ("b.md", B)]));
        let changed = |text: &str| {
            let after = fingerprints(&site(&[("a.md", text), ("b.md", B)]));
            let moved: Vec<String> = before
                .iter()
                .filter(|(path, fingerprint)| after.get(*path) != Some(*fingerprint))
                .map(|(path, _)| path.clone())
                .collect();
            moved
        };
        // A's summary is shown by lists, feeds and TimelineJS's data and by
        // B's page (its neighbour and related briefing); the timelines,
        // the calendar and the sitemap do not show it.
        let moved = changed(&A.replace("First.", "Second."));
        for path in [
            "/",
            "/briefings/a/",
            "/briefings/b/",
            "/tags/x/",
            "/tags/x/atom.xml",
            "/atom.xml",
            "/rss.xml",
            "/feed.json",
            "/timeline.json",
        ] {
            assert!(moved.contains(&path.to_string()), "{path} in {moved:?}");
        }
        for path in [
            "/timeline/",
            "/tags/x/timeline/",
            "/timeline.ics",
            "/sitemap.xml",
            "/tags/",
            "/tags/y/",
            "/tags/y/atom.xml",
            "/404.html",
        ] {
            assert!(!moved.contains(&path.to_string()), "{path} in {moved:?}");
        }
        // A body edit moves A's page and the site's feeds (full content) only.
        let moved = changed(&A.replace("Body A.", "Body A, edited."));
        assert_eq!(
            moved,
            ["/atom.xml", "/briefings/a/", "/feed.json", "/rss.xml"]
        );
        // The same text gives the same fingerprints.
        assert!(changed(A).is_empty());
    }
}
