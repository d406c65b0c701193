//! What the list pages made of many entries receive: the index pages'
//! paginator, the feed's entries and the sitemap's. Part of the page
//! views of `view.rs`, hashed for fingerprints like the others.

use serde::Serialize;

use crate::markdown::Rendered;
use crate::pages::{self, FEED_SIZE, PageId};
use crate::site::Doc;

use crate::site::Site;
use crate::view_parts::{BodyView, Parts, Summary};

/// Page links shown either side of the current index page.
const PAGINATION_WINDOW: usize = 3;

#[derive(Serialize, Hash)]
pub struct Paginator {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageNumber>,
}

#[derive(Serialize, Hash)]
struct PageNumber {
    number: usize,
    url: String,
}

/// What the feed receives.
#[derive(Serialize, Hash)]
pub struct FeedView<'a> {
    briefings: Vec<FeedEntry<'a>>,
    updated: String,
}

#[derive(Serialize, Hash)]
pub struct FeedEntry<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    #[serde(flatten)]
    body: BodyView<'a>,
}

#[derive(Serialize, Hash)]
pub struct SitemapEntry {
    permalink: String,
    lastmod: Option<String>,
}

impl Parts<'_> {
    pub(crate) fn feed<'b>(&'b self, bodies: &'b [Rendered]) -> FeedView<'b> {
        let newest = &self.site.briefings[..self.site.briefings.len().min(FEED_SIZE)];
        let updated = newest
            .iter()
            .map(|b| b.updated.unwrap_or(b.date).max(b.date))
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        FeedView {
            briefings: (0..newest.len())
                .map(|i| FeedEntry {
                    summary: self.summary(i),
                    body: self.body(Doc::Briefing(i), bodies.get(i)),
                })
                .collect(),
            updated,
        }
    }
}

pub fn paginator(site: &Site, n: usize) -> Paginator {
    let total = pages::index_pages(site);
    let url = |i: usize| site.base.url(&PageId::Index(i).path(site));
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

/// Entries of sitemap part `part` (None: all of them).
pub fn sitemap(site: &Site, listed: &[PageId], part: Option<usize>) -> Vec<SitemapEntry> {
    let listed = match part {
        None => listed,
        Some(k) => {
            let start = (k * pages::SITEMAP_LIMIT).min(listed.len());
            &listed[start..(start + pages::SITEMAP_LIMIT).min(listed.len())]
        }
    };
    let lastmod = |i: usize| {
        let b = &site.briefings[i];
        Some(b.updated.unwrap_or(b.date).iso())
    };
    let newest = (!site.briefings.is_empty()).then(|| lastmod(0)).flatten();
    listed
        .iter()
        .map(|&id| SitemapEntry {
            permalink: site.base.permalink(&id.path(site)),
            lastmod: match id {
                PageId::Index(_) | PageId::Tags | PageId::Timeline(None) => newest.clone(),
                PageId::Briefing(i) => lastmod(i),
                PageId::Tag(t) => lastmod(site.tags[t].briefings[0]),
                _ => None,
            },
        })
        .collect()
}
