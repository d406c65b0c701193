//! The parts page views are made of: tags (taxonomies' are
//! `view_taxonomy.rs`'s), links, bodies and briefings'
//! summaries, with the memo of summaries (each hashed and made into a Tera
//! value at most once per render, on first use: an incremental render
//! needs only a few). A summary in a list (`Listed`) is hashed and
//! serialised through that memo, both made from the one `Summary` value.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock, RwLock};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use tera::Value;

use crate::date::{Date, DateView, PartialDate};
use crate::hash::hash_of;
use crate::markdown::Rendered;
use crate::pages::Outputs;
use crate::site::{Doc, Site};
use crate::templates::Card;
use crate::timeline::{Entry, EntryKind};
pub use crate::view_taxonomy::{Filter, FiltersRef, TaxonomyRef, TaxonomyView, TermLists};

#[derive(Serialize, Clone, Hash)]
pub struct Link {
    pub(crate) title: String,
    pub(crate) url: String,
}

#[derive(Serialize, Clone, Hash)]
pub struct TagView {
    pub(crate) name: String,
    slug: String,
    url: String,
    pub(crate) permalink: String,
    count: usize,
    /// The tag's timeline and Atom feed.
    timeline_url: String,
    feed_url: String,
}

/// How many tags, the most used first, a timeline offers to filter by;
/// the rest are a link to the tags page away.
pub const FILTER_TAGS: usize = 30;

/// The tags a summary shows in a list (index, tag pages, neighbours,
/// related briefings); `more_tags` counts the rest, which the briefing's
/// own page and the feed show. Without a bound, a briefing with T tags
/// puts all T on each of its T tag pages: T² in all (10,000 tags wrote
/// 5 GB).
pub const LISTED_TAGS: usize = 20;

/// A briefing as a list shows it.
#[derive(Serialize, Hash)]
pub struct Summary<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) permalink: String,
    pub(crate) date: DateView,
    updated: Option<DateView>,
    pub(crate) summary: &'a str,
    tags: Vec<TagRef<'a>>,
    /// Tags left out of `tags` (in lists, past `LISTED_TAGS`).
    more_tags: usize,
    /// Every taxonomy's terms it has (up to `LISTED_TAGS` each in lists).
    taxonomies: TermLists<'a>,
    authors: &'a [String],
    reading_time: usize,
}

/// A summary in a list: hashed and serialised through the memo of `Parts`,
/// both made from the one `Summary` value.
pub struct Listed<'v> {
    parts: &'v Parts<'v>,
    i: usize,
}

impl Hash for Listed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts.summary_hash(self.i).hash(state);
    }
}

impl Serialize for Listed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.parts.summary_value(self.i).serialize(serializer)
    }
}

/// A tag in a view: hashed as its `TagView`, serialised through a Tera
/// value made once per render on first use (a tag is shown in the summary
/// of every briefing it has and on over a thousand timeline pages).
#[derive(Clone, Copy)]
pub struct TagRef<'v> {
    parts: &'v Parts<'v>,
    t: usize,
}

impl Hash for TagRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts.tags[self.t].hash(state);
    }
}

impl Serialize for TagRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.parts.tag_values[self.t]
            .get_or_init(|| Value::from_serializable(&self.parts.tags[self.t]));
        value.serialize(serializer)
    }
}

/// A date in a timeline entry: hashed as the date, serialised as its
/// `DateView` through a Tera value made once per render and date (a
/// timeline's hundred thousand entries show a few thousand days).
pub struct DateRef<'v> {
    parts: &'v Parts<'v>,
    date: DateKey,
}

/// A briefing's date (with its time) or an event's.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateKey {
    Briefing(Date),
    Event(PartialDate),
}

impl Hash for DateRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.date.hash(state);
    }
}

impl Serialize for DateRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let dates = &self.parts.dates;
        let known = dates.read().expect("no thread panics holding it");
        if let Some(value) = known.get(&self.date) {
            return value.serialize(serializer);
        }
        drop(known);
        let locale = &self.parts.site.config.locale;
        let view = match &self.date {
            DateKey::Briefing(date) => DateView::of(date, locale),
            DateKey::Event(date) => DateView::of_partial(date, locale),
        };
        let value = Value::from_serializable(&view);
        let mut known = dates.write().expect("no thread panics holding it");
        known
            .entry(self.date)
            .or_insert(value)
            .serialize(serializer)
    }
}

/// The briefing a timeline entry comes from, `{title, url}`: hashed as
/// that, serialised through a Tera value made once per render and briefing
/// (its entries are on the timeline and on each of its tags' timelines).
pub struct BriefingRef<'v> {
    parts: &'v Parts<'v>,
    i: usize,
}

#[derive(Serialize, Hash)]
struct BriefingLink<'a> {
    title: &'a str,
    url: String,
}

impl BriefingRef<'_> {
    fn link(&self) -> BriefingLink<'_> {
        let b = &self.parts.site.briefings[self.i];
        BriefingLink {
            title: &b.title,
            url: self.parts.site.base.url(&b.path),
        }
    }
}

impl Hash for BriefingRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.link().hash(state);
    }
}

impl Serialize for BriefingRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.parts.briefing_links[self.i]
            .get_or_init(|| Value::from_serializable(&self.link()));
        value.serialize(serializer)
    }
}

/// A body: hashed as its `key`, serialised as `content` (HTML), `toc` and
/// `highlighted` (it holds highlighted code).
/// Its HTML is there only when the page is rendered.
pub struct BodyView<'v> {
    key: u64,
    rendered: Option<&'v Rendered>,
}

impl Hash for BodyView<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl Serialize for BodyView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rendered = self.rendered.ok_or_else(|| {
            serde::ser::Error::custom("a body was serialised before it was rendered")
        })?;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("content", &rendered.html)?;
        map.serialize_entry("toc", &rendered.toc)?;
        map.serialize_entry("highlighted", &rendered.highlighted)?;
        map.end()
    }
}

/// Each briefing's summary hash, made on first use. It outlives a render:
/// the engine keeps it while the site model stays, forgetting only the
/// briefings an edit swapped in (nothing else a summary shows can change
/// while the model stays), so a tag page's fingerprint after an edit costs
/// one hash per listed briefing, not one summary.
pub struct SummaryHashes(Vec<OnceLock<u64>>);

impl SummaryHashes {
    /// None known yet, for a site of `briefings`.
    pub fn new(briefings: usize) -> SummaryHashes {
        SummaryHashes((0..briefings).map(|_| OnceLock::new()).collect())
    }

    /// Briefing `i`'s summary changed.
    pub fn forget(&mut self, i: usize) {
        self.0[i] = OnceLock::new();
    }
}

/// The parts of one render's pages, and the memo of summaries.
pub struct Parts<'a> {
    pub site: &'a Site,
    /// Every output file: where a body's links may lead.
    outputs: &'a Outputs,
    /// Kept by the engine across rebuilds (see `SummaryHashes`).
    summary_hashes: &'a SummaryHashes,
    summary_values: Vec<OnceLock<Value>>,
    pub tags: Vec<TagView>,
    /// Each tag as a Tera value, made once per render on first use.
    tag_values: Vec<OnceLock<Value>>,
    /// Per taxonomy, its `FILTER_TAGS` most used terms (ties by slug), in
    /// term order.
    pub(crate) most_used: Vec<Vec<usize>>,
    pub taxonomies: Vec<TaxonomyView>,
    /// Each taxonomy as a Tera value, made once per render on first use.
    pub(crate) taxonomy_values: Vec<OnceLock<Value>>,
    /// The timeline's `filters` as a Tera value, made on first use.
    pub(crate) filters_value: OnceLock<Value>,
    /// The index of `tags` among the taxonomies.
    pub(crate) tags_taxonomy: Option<usize>,
    /// Each tag's timeline years (`pages::tag_timeline_years`), on first use.
    tag_years: Vec<OnceLock<Vec<(i16, usize)>>>,
    /// Timeline entries' dates as Tera values (see `DateRef`).
    dates: RwLock<HashMap<DateKey, Value>>,
    /// Each briefing as a timeline entry links it (see `BriefingRef`).
    briefing_links: Vec<OnceLock<Value>>,
    /// Renders each summary's and timeline entry's `card`
    /// (`Templates::card`), when set.
    pub(crate) cards: Option<Cards<'a>>,
    /// Each briefing's timeline entries as Tera values, made once per
    /// render on first use: the briefing, then its events, then its
    /// updates (as `timeline::entries_of` lists them). An entry is on the
    /// site's timeline and on each of its briefing's tags' timelines.
    entry_values: Vec<OnceLock<Box<[OnceLock<Value>]>>>,
    /// Bytes the cards and the entry memo hold, about: past `memo_budget`
    /// they are no longer kept (the lists then include their partials, as
    /// without cards), so that a big site's render stays within memory.
    memo_bytes: AtomicUsize,
}

/// What cards and memoised timeline entries may hold per render: every
/// card of a 10,000-briefing site (about 40 MB), a part of 100,000's.
/// `BRIEFLY_MEMO_BUDGET` (bytes) sets another, for tests.
fn memo_budget() -> usize {
    static BUDGET: LazyLock<usize> = LazyLock::new(|| {
        std::env::var("BRIEFLY_MEMO_BUDGET")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64 << 20)
    });
    *BUDGET
}

/// About what a memoised timeline entry holds besides its card.
const ENTRY_BYTES: usize = 512;

/// What a summary's card is rendered with: the templates and the site's
/// shared variables.
pub struct Cards<'a> {
    pub(crate) templates: &'a crate::templates::Templates,
    pub(crate) site: Value,
    pub(crate) term_urls: Option<Value>,
}

impl Cards<'_> {
    /// `item` with its card as `card`, a safe string; as it was when the
    /// partial fails (the list then includes the partial and reports) or
    /// the cards have spent `memo_budget`.
    pub(crate) fn add_to(&self, card: Card, item: Value, spent: &AtomicUsize) -> Value {
        if spent.load(Ordering::Relaxed) >= memo_budget() {
            return item;
        }
        let card = self
            .templates
            .card(card, Some(&item), &self.site, self.term_urls.as_ref());
        match (card, item.as_map()) {
            (Some(card), Some(fields)) => {
                spent.fetch_add(card.len(), Ordering::Relaxed);
                let mut fields = fields.clone();
                fields.insert("card".into(), Value::safe_string(&card));
                Value::from(fields)
            }
            _ => item,
        }
    }
}

impl<'a> Parts<'a> {
    pub fn new(
        site: &'a Site,
        outputs: &'a Outputs,
        summary_hashes: &'a SummaryHashes,
    ) -> Parts<'a> {
        let base = &site.base;
        let tags: Vec<TagView> = site
            .tags
            .iter()
            .map(|t| TagView {
                name: t.name.clone(),
                slug: t.slug.clone(),
                url: base.url(t.path()),
                permalink: base.permalink(t.path()),
                count: t.briefings.len(),
                timeline_url: base.url(&crate::pages::tag_timeline_path(t, None)),
                feed_url: base.url(&crate::pages::tag_feed_path(t)),
            })
            .collect();
        let most_used = crate::view_taxonomy::most_used(site);
        let taxonomies = crate::view_taxonomy::taxonomies(site);
        Parts {
            site,
            summary_hashes,
            outputs,
            summary_values: (0..site.briefings.len()).map(|_| OnceLock::new()).collect(),
            tag_years: (0..tags.len()).map(|_| OnceLock::new()).collect(),
            tag_values: (0..tags.len()).map(|_| OnceLock::new()).collect(),
            tags,
            most_used,
            taxonomy_values: taxonomies.iter().map(|_| OnceLock::new()).collect(),
            filters_value: OnceLock::new(),
            taxonomies,
            tags_taxonomy: site.taxonomy(crate::taxonomy::TAGS),
            dates: RwLock::new(HashMap::new()),
            briefing_links: (0..site.briefings.len()).map(|_| OnceLock::new()).collect(),
            cards: None,
            entry_values: (0..site.briefings.len()).map(|_| OnceLock::new()).collect(),
            memo_bytes: AtomicUsize::new(0),
        }
    }

    /// Briefing `i` as a timeline entry links it.
    pub fn briefing_link(&self, i: usize) -> BriefingRef<'_> {
        BriefingRef { parts: self, i }
    }

    /// A timeline entry's date.
    pub fn date(&self, date: DateKey) -> DateRef<'_> {
        DateRef { parts: self, date }
    }

    /// Tag `t` for a view.
    pub fn tag(&self, t: usize) -> TagRef<'_> {
        TagRef { parts: self, t }
    }

    /// Tag `t`'s timeline years with their entries, in the timeline's order.
    pub fn tag_years(&self, t: usize) -> &[(i16, usize)] {
        self.tag_years[t].get_or_init(|| crate::pages::tag_timeline_years(self.site, t))
    }

    /// Briefing `i` with all its tags, for its own page and the feed.
    pub fn summary(&self, i: usize) -> Summary<'_> {
        self.summary_showing(i, usize::MAX)
    }

    /// Briefing `i` with up to `shown` of its tags.
    fn summary_showing(&self, i: usize, shown: usize) -> Summary<'_> {
        let (b, base) = (&self.site.briefings[i], &self.site.base);
        let (taxonomies, tags, more_tags) = self.terms_of(i, shown);
        Summary {
            title: &b.title,
            url: base.url(&b.path),
            permalink: base.permalink(&b.path),
            date: DateView::of(&b.date, &self.site.config.locale),
            updated: b
                .updated
                .as_ref()
                .map(|d| DateView::of(d, &self.site.config.locale)),
            summary: &b.summary,
            tags,
            more_tags,
            taxonomies,
            authors: &b.authors,
            reading_time: b.reading_time,
        }
    }

    /// The hash of briefing `i` as lists show it.
    pub fn summary_hash(&self, i: usize) -> u64 {
        *self.summary_hashes.0[i].get_or_init(|| hash_of(self.summary_showing(i, LISTED_TAGS)))
    }

    /// Briefing `i` as lists show it, as a Tera value, made once per render.
    pub fn summary_value(&self, i: usize) -> &Value {
        self.summary_values[i].get_or_init(|| {
            let summary = Value::from_serializable(&self.summary_showing(i, LISTED_TAGS));
            match &self.cards {
                Some(cards) => cards.add_to(Card::Summary, summary, &self.memo_bytes),
                None => summary,
            }
        })
    }

    /// Timeline entry `e` as a Tera value (`make` gives it), with its card:
    /// made once per render.
    pub(crate) fn entry_value(&self, e: &Entry, make: impl FnOnce() -> Value) -> Value {
        let b = &self.site.briefings[e.briefing];
        let slot = match (e.kind, e.event) {
            (EntryKind::Briefing, _) => Some(0),
            (EntryKind::Event, Some(n)) => Some(1 + n),
            (EntryKind::Update, Some(n)) => Some(1 + b.events.len() + n),
            _ => None,
        };
        let slots = self.entry_values[e.briefing].get_or_init(|| {
            (0..1 + b.events.len() + b.updates.len())
                .map(|_| OnceLock::new())
                .collect()
        });
        let with_card = |value| match &self.cards {
            Some(cards) => cards.add_to(Card::TimelineEntry, value, &self.memo_bytes),
            None => value,
        };
        let Some(memo) = slot.and_then(|k| slots.get(k)) else {
            return make();
        };
        if let Some(value) = memo.get() {
            return value.clone();
        }
        if self.memo_bytes.load(Ordering::Relaxed) >= memo_budget() {
            return make();
        }
        self.memo_bytes.fetch_add(ENTRY_BYTES, Ordering::Relaxed);
        memo.get_or_init(|| with_card(make())).clone()
    }

    pub fn listed(&self, i: usize) -> Listed<'_> {
        Listed { parts: self, i }
    }

    pub fn body<'b>(&'b self, doc: Doc, rendered: Option<&'b Rendered>) -> BodyView<'b> {
        BodyView {
            key: crate::body::key(self.site, self.outputs, doc),
            rendered,
        }
    }
}
