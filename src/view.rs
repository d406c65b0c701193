//! What templates receive: typed, serialisable views of the `Site`, one
//! struct per shape documented in the README ("Templates and their
//! variables"). List pages get `Summary` values (titles, dates, summaries,
//! URLs), never every briefing's HTML.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Value};

use crate::date::DateView;
use crate::diagnostic::Diagnostic;
use crate::markdown::{Rendered, TocEntry};
use crate::site::Site;
use crate::timeline::Entry;

/// How many briefings the feed carries.
pub const FEED_SIZE: usize = 20;
/// Page links shown either side of the current index page.
const PAGINATION_WINDOW: usize = 3;

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    author: &'a str,
    base_url: &'a str,
    root: &'a str,
    pages: Vec<Link>,
    urls: BTreeMap<&'static str, String>,
    permalinks: BTreeMap<&'static str, String>,
    generator: String,
}

#[derive(Serialize, Clone)]
pub struct Link {
    title: String,
    url: String,
}

#[derive(Serialize, Clone)]
pub struct TagView {
    name: String,
    slug: String,
    url: String,
    permalink: String,
    count: usize,
}

#[derive(Serialize, Clone)]
pub struct Summary<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    date: DateView,
    updated: Option<DateView>,
    summary: &'a str,
    /// The tags' shared Tera values (see `Views::tag_values`).
    tags: Vec<&'a Value>,
    authors: &'a [String],
    reading_time: usize,
}

#[derive(Serialize)]
pub struct BriefingView<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    slug: &'a str,
    content: &'a str,
    word_count: usize,
    toc: &'a [TocEntry],
    events: Vec<EventView>,
    sources: Vec<Link>,
    extra: &'a BTreeMap<String, serde_yaml::Value>,
    source_path: String,
}

#[derive(Serialize)]
pub struct EventView {
    date: DateView,
    end: Option<DateView>,
    title: String,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    title: &'a str,
    slug: &'a str,
    url: String,
    permalink: String,
    content: &'a str,
    toc: &'a [TocEntry],
    extra: &'a BTreeMap<String, serde_yaml::Value>,
    source_path: String,
}

#[derive(Serialize)]
pub struct Paginator {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageNumber>,
}

#[derive(Serialize)]
struct PageNumber {
    number: usize,
    url: String,
}

#[derive(Serialize)]
struct YearView<'a> {
    year: i16,
    url: String,
    count: usize,
    months: Vec<MonthView<'a>>,
}

#[derive(Serialize)]
struct YearLink {
    year: i16,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct MonthView<'a> {
    year: i16,
    month: Option<i8>,
    name: String,
    entries: Vec<EntryView<'a>>,
}

#[derive(Serialize)]
struct EntryView<'a> {
    kind: &'static str,
    date: DateView,
    end: Option<DateView>,
    title: &'a str,
    url: String,
    briefing: BriefingLink<'a>,
}

#[derive(Serialize)]
struct BriefingLink<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    content: &'a str,
}

#[derive(Serialize)]
pub struct SitemapEntry {
    permalink: String,
    lastmod: Option<String>,
}

/// The views shared by every page of one render.
pub struct Views<'a> {
    pub site: &'a Site,
    site_value: Value,
    /// Summaries as Tera values, made on first use (an incremental render
    /// needs only a few) and once: a list page then inserts cheap clones
    /// instead of serialising every summary again.
    summary_values: Vec<OnceLock<Value>>,
    /// Every tag as one Tera value, shared by all the summaries showing it.
    tag_values: Vec<Value>,
    pub tags: Vec<TagView>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site) -> Views<'a> {
        let base = &site.base;
        let tags: Vec<TagView> = site
            .tags
            .iter()
            .map(|t| TagView {
                name: t.name.clone(),
                slug: t.slug.clone(),
                url: base.url(&t.path()),
                permalink: base.permalink(&t.path()),
                count: t.briefings.len(),
            })
            .collect();
        let tag_values = tags.iter().map(Value::from_serializable).collect();
        let summary_values = (0..site.briefings.len()).map(|_| OnceLock::new()).collect();
        let urls = BTreeMap::from([
            ("home", base.url("/")),
            ("tags", base.url("/tags/")),
            ("timeline", base.url("/timeline/")),
            ("feed", base.url("/atom.xml")),
            ("sitemap", base.url("/sitemap.xml")),
            ("style", base.url("/style.css")),
            ("highlight", base.url(crate::output::HIGHLIGHT_CSS)),
        ]);
        let permalinks = BTreeMap::from([
            ("home", base.permalink("/")),
            ("feed", base.permalink("/atom.xml")),
            ("sitemap", base.permalink("/sitemap.xml")),
        ]);
        let config = &site.config;
        let site_view = SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
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
        };
        Views {
            site,
            site_value: Value::from_serializable(&site_view),
            summary_values,
            tag_values,
            tags,
        }
    }

    /// Briefing `i` as a list shows it.
    pub fn summary(&self, i: usize) -> Summary<'_> {
        let (b, base) = (&self.site.briefings[i], &self.site.base);
        Summary {
            title: &b.title,
            url: base.url(&b.path),
            permalink: base.permalink(&b.path),
            date: DateView::from(&b.date),
            updated: b.updated.as_ref().map(DateView::from),
            summary: &b.summary,
            tags: self.site.briefing_tags[i]
                .iter()
                .map(|&t| &self.tag_values[t])
                .collect(),
            authors: &b.authors,
            reading_time: b.reading_time,
        }
    }

    /// Briefing `i`'s summary as a Tera value.
    pub fn summary_value(&self, i: usize) -> &Value {
        self.summary_values[i].get_or_init(|| Value::from_serializable(&self.summary(i)))
    }

    /// Where a redirect page sends readers: `{title, url, permalink}`.
    pub fn redirect_target(&self, i: usize) -> BTreeMap<&'static str, String> {
        let b = &self.site.briefings[i];
        BTreeMap::from([
            ("title", b.title.clone()),
            ("url", self.site.base.url(&b.path)),
            ("permalink", self.site.base.permalink(&b.path)),
        ])
    }

    /// The variables every template receives.
    pub fn context(&self, path: &str) -> Context {
        let mut context = Context::new();
        context.insert_value("site", self.site_value.clone());
        context.insert("current_url", &self.site.base.url(path));
        context.insert("current_permalink", &self.site.base.permalink(path));
        context
    }

    pub fn index_pages(&self) -> usize {
        self.site
            .briefings
            .len()
            .div_ceil(self.site.config.paginate)
            .max(1)
    }

    pub fn index_briefings(&self, n: usize) -> Vec<&Value> {
        let per = self.site.config.paginate;
        let count = self.site.briefings.len();
        let start = (n * per).min(count);
        let end = (start + per).min(count);
        (start..end).map(|i| self.summary_value(i)).collect()
    }

    pub fn paginator(&self, n: usize) -> Paginator {
        let total = self.index_pages();
        let url = |i: usize| {
            self.site.base.url(&crate::render::job_path(
                crate::render::Job::Index(i),
                self.site,
            ))
        };
        let pages = (0..total)
            .filter(|&i| i == 0 || i + 1 == total || i.abs_diff(n) <= PAGINATION_WINDOW)
            .map(|i| PageNumber {
                number: i + 1,
                url: url(i),
            })
            .collect();
        Paginator {
            current: n + 1,
            total,
            previous_url: n.checked_sub(1).map(url),
            next_url: (n + 1 < total).then(|| url(n + 1)),
            pages,
        }
    }

    pub fn briefing<'b>(&'b self, i: usize, body: &'b Rendered) -> BriefingView<'b> {
        let b = &self.site.briefings[i];
        BriefingView {
            summary: self.summary(i),
            slug: &b.slug,
            content: &body.html,
            word_count: b.word_count,
            toc: &body.toc,
            events: b
                .events
                .iter()
                .map(|e| EventView {
                    date: DateView::from(&e.date),
                    end: e.end.as_ref().map(DateView::from),
                    title: e.title.clone(),
                })
                .collect(),
            sources: b
                .sources
                .iter()
                .map(|s| Link {
                    title: s.title.clone(),
                    url: s.url.clone(),
                })
                .collect(),
            extra: &b.extra,
            source_path: b.source_path.display().to_string(),
        }
    }

    pub fn page<'b>(&'b self, i: usize, body: &'b Rendered) -> PageView<'b> {
        let p = &self.site.pages[i];
        PageView {
            title: &p.title,
            slug: &p.slug,
            url: self.site.base.url(&p.path),
            permalink: self.site.base.permalink(&p.path),
            content: &body.html,
            toc: &body.toc,
            extra: &p.extra,
            source_path: p.source_path.display().to_string(),
        }
    }

    /// Fills the timeline variables: all years on `/timeline/` unless the
    /// timeline is split, then the first year there and one year per page.
    pub fn timeline(&self, year: Option<usize>, context: &mut Context) {
        let timeline = &self.site.timeline;
        let split = timeline.is_split();
        let shown: Vec<usize> = match (year, split) {
            (Some(y), _) => vec![y],
            (None, true) => (0..timeline.years.len().min(1)).collect(),
            (None, false) => (0..timeline.years.len()).collect(),
        };
        let years: Vec<YearView> = shown.iter().map(|&y| self.year(y, split)).collect();
        let all_years: Vec<YearLink> = timeline
            .years
            .iter()
            .map(|y| YearLink {
                year: y.year,
                url: self.year_url(y.year, split),
                count: y.count(),
            })
            .collect();
        context.insert("years", &years);
        context.insert("all_years", &all_years);
        context.insert("year", &year.map(|y| timeline.years[y].year));
        context.insert("split", &split);
        context.insert("order", timeline.order.as_str());
    }

    fn year_url(&self, year: i16, split: bool) -> String {
        if split {
            self.site.base.url(&timeline_path(Some(year)))
        } else {
            format!("{}#y{year}", self.site.base.url(&timeline_path(None)))
        }
    }

    fn year(&self, y: usize, split: bool) -> YearView<'_> {
        let year = &self.site.timeline.years[y];
        YearView {
            year: year.year,
            url: self.year_url(year.year, split),
            count: year.count(),
            months: year
                .months
                .iter()
                .map(|m| MonthView {
                    year: year.year,
                    month: m.month,
                    name: match m.month {
                        Some(month) => format!("{} {}", crate::date::month_name(month), year.year),
                        None => year.year.to_string(),
                    },
                    entries: m.entries.iter().map(|e| self.entry(e)).collect(),
                })
                .collect(),
        }
    }

    fn entry(&self, e: &'a Entry) -> EntryView<'_> {
        let b = &self.site.briefings[e.briefing];
        let url = self.site.base.url(&b.path);
        EntryView {
            kind: e.kind.as_str(),
            date: match e.kind {
                crate::timeline::EntryKind::Briefing => DateView::from(&b.date),
                crate::timeline::EntryKind::Event => DateView::from(&e.date),
            },
            end: e.end.as_ref().map(DateView::from),
            title: e.title(&self.site.briefings),
            briefing: BriefingLink {
                title: &b.title,
                url: url.clone(),
            },
            url,
        }
    }

    pub fn feed(&self, context: &mut Context) -> Result<(), Diagnostic> {
        let bodies = (0..self.site.briefings.len().min(FEED_SIZE))
            .map(|i| crate::render::briefing_body(self.site, i, false))
            .collect::<Result<Vec<_>, _>>()?;
        let entries: Vec<FeedEntry> = bodies
            .iter()
            .enumerate()
            .map(|(i, body)| FeedEntry {
                summary: self.summary(i),
                content: &body.html,
            })
            .collect();
        let updated = self
            .site
            .briefings
            .iter()
            .take(FEED_SIZE)
            .map(|b| b.updated.unwrap_or(b.date).max(b.date))
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        context.insert("briefings", &entries);
        context.insert("updated", &updated);
        Ok(())
    }

    /// Entries of sitemap part `part` (None: all of them).
    pub fn sitemap(&self, part: Option<usize>) -> Vec<SitemapEntry> {
        let all = self.sitemap_entries();
        match part {
            None => all,
            Some(k) => all
                .into_iter()
                .skip(k * SITEMAP_LIMIT)
                .take(SITEMAP_LIMIT)
                .collect(),
        }
    }

    /// The sitemap parts' absolute URLs, for the index a large site needs.
    pub fn sitemap_parts(&self) -> Vec<String> {
        (0..sitemap_parts(self.site))
            .map(|k| self.site.base.permalink(&sitemap_path(Some(k))))
            .collect()
    }

    fn sitemap_entries(&self) -> Vec<SitemapEntry> {
        let base = &self.site.base;
        let newest = self
            .site
            .briefings
            .first()
            .map(|b| b.updated.unwrap_or(b.date).iso());
        let entry = |path: &str, lastmod: Option<String>| SitemapEntry {
            permalink: base.permalink(path),
            lastmod,
        };
        let mut entries = vec![entry("/", newest.clone())];
        entries.extend(
            self.site
                .briefings
                .iter()
                .map(|b| entry(&b.path, Some(b.updated.unwrap_or(b.date).iso()))),
        );
        entries.extend(self.site.pages.iter().map(|p| entry(&p.path, None)));
        entries.push(entry("/tags/", newest.clone()));
        entries.extend(self.site.tags.iter().map(|t| {
            let b = &self.site.briefings[t.briefings[0]];
            entry(&t.path(), Some(b.updated.unwrap_or(b.date).iso()))
        }));
        entries.push(entry("/timeline/", newest));
        if self.site.timeline.is_split() {
            entries.extend(
                self.site
                    .timeline
                    .years
                    .iter()
                    .map(|y| entry(&timeline_path(Some(y.year)), None)),
            );
        }
        entries
    }
}

/// How many index pages the site has.
pub fn index_pages(site: &Site) -> usize {
    site.briefings.len().div_ceil(site.config.paginate).max(1)
}

/// The most URLs one sitemap file may hold (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// How many sitemap files a site needs beyond `/sitemap.xml`: none when
/// every URL fits in it, else that many parts listed by `/sitemap.xml`.
pub fn sitemap_parts(site: &Site) -> usize {
    let split_years = if site.timeline.is_split() {
        site.timeline.years.len()
    } else {
        0
    };
    let urls = 3 + site.briefings.len() + site.pages.len() + site.tags.len() + split_years;
    parts_needed(urls, SITEMAP_LIMIT)
}

fn parts_needed(urls: usize, limit: usize) -> usize {
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
}
