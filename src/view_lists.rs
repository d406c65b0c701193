//! What the list pages made of many entries receive: the paginator of the
//! index and tag pages, the feeds' entries and the sitemap's. Part of the
//! page views of `view.rs`, hashed for fingerprints like the others.

use serde::Serialize;

use crate::markdown::Rendered;
use crate::pages::{self, FEED_SIZE, PageId};
use crate::site::Doc;

use crate::site::Site;
use crate::view_parts::{BodyView, Listed, Parts, Summary, TagView};

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

/// What a feed receives (Atom, RSS and JSON Feed alike).
#[derive(Serialize, Hash)]
pub struct FeedView<'a> {
    feed: FeedMeta<'a>,
    briefings: Vec<FeedEntry<'a>>,
    /// RFC 3339 and RFC 2822 (RSS).
    updated: String,
    updated_rfc2822: String,
}

/// Which feed this is.
#[derive(Serialize, Hash)]
struct FeedMeta<'a> {
    title: String,
    /// The feed's own absolute URL.
    permalink: String,
    /// The absolute URL of the page it follows: the home page or the tag's.
    home: String,
    tag: Option<&'a TagView>,
}

#[derive(Serialize, Hash)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // twenty to a feed
pub enum FeedEntry<'a> {
    /// In the site's feeds: the briefing with all its tags, its body
    /// (`content`, `toc`) and its date as RFC 2822, for RSS.
    Full {
        #[serde(flatten)]
        summary: Summary<'a>,
        #[serde(flatten)]
        body: BodyView<'a>,
        date_rfc2822: String,
    },
    /// In a tag's feed: the briefing as lists show it (one of T tags' feeds
    /// listing all T tags would be T² again), with no body.
    Listed(Listed<'a>),
}

#[derive(Serialize, Hash)]
pub struct SitemapEntry {
    permalink: String,
    lastmod: Option<String>,
}

impl Parts<'_> {
    /// The feed at `id` (a site feed or a tag's); `bodies` are the site
    /// feed's bodies (see `Views::bodies`).
    pub(crate) fn feed<'b>(&'b self, id: PageId, bodies: &'b [Rendered]) -> FeedView<'b> {
        let (site, base) = (self.site, &self.site.base);
        let (newest, tag): (Vec<usize>, _) = match id {
            PageId::TagFeed(t) => {
                let members = &site.tags[t].briefings;
                (members[..members.len().min(FEED_SIZE)].to_vec(), Some(t))
            }
            _ => ((0..site.briefings.len().min(FEED_SIZE)).collect(), None),
        };
        let updated = newest
            .iter()
            .map(|&i| {
                let b = &site.briefings[i];
                b.updated.unwrap_or(b.date).max(b.date)
            })
            .max();
        let feed = FeedMeta {
            title: match tag {
                Some(t) => format!("{}: {}", site.config.title, self.tags[t].name),
                None => site.config.title.clone(),
            },
            permalink: base.permalink(&id.path(site)),
            home: match tag {
                Some(t) => self.tags[t].permalink.clone(),
                None => base.permalink("/"),
            },
            tag: tag.map(|t| &self.tags[t]),
        };
        FeedView {
            feed,
            briefings: newest
                .iter()
                .enumerate()
                .map(|(k, &i)| match tag {
                    Some(_) => FeedEntry::Listed(self.listed(i)),
                    None => FeedEntry::Full {
                        summary: self.summary(i),
                        body: self.body(Doc::Briefing(i), bodies.get(k)),
                        date_rfc2822: site.briefings[i].date.rfc2822(),
                    },
                })
                .collect(),
            updated: updated.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339()),
            updated_rfc2822: updated.map_or_else(
                || "Thu, 01 Jan 1970 00:00:00 +0000".to_string(),
                |d| d.rfc2822(),
            ),
        }
    }
}

/// The paginator of index page `n`.
pub fn paginator(site: &Site, n: usize) -> Paginator {
    let url = |i: usize| site.base.url(&PageId::Index(i).path(site));
    paginate(pages::index_pages(site), n, url)
}

/// The paginator of page `n` of tag `t`'s list.
pub fn tag_paginator(site: &Site, t: usize, n: usize) -> Paginator {
    let url = |i: usize| site.base.url(&pages::tag_path(&site.tags[t], i));
    paginate(pages::tag_pages(site, t), n, url)
}

/// Page `n` of `total`, whose URLs `url` gives.
fn paginate(total: usize, n: usize, url: impl Fn(usize) -> String) -> Paginator {
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
        previous_url: n.checked_sub(1).map(&url),
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
                PageId::Index(_) | PageId::Tags(_) | PageId::Timeline(None) => newest.clone(),
                PageId::Briefing(i) => lastmod(i),
                PageId::Tag(t, _) => lastmod(site.tags[t].briefings[0]),
                _ => None,
            },
        })
        .collect()
}
