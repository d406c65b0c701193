//! What the timeline templates receive: all years on `/timeline/` unless
//! the timeline is split, then the first year there and one year per page,
//! with links to every year; a tag's timeline (`/tags/<slug>/timeline/`)
//! the same way, made from the tag's briefings when its page is rendered.
//! Both carry the tags to filter the timeline by. Part of `view.rs`'s page
//! views.

use std::hash::{Hash, Hasher};

use serde::{Serialize, Serializer};
use tera::Value;

use crate::front_matter::UpdateKind;
use crate::pages::{tag_timeline_path, timeline_path};
use crate::site::Site;
use crate::timeline::{Entry, EntryKind, Timeline, Year};
use crate::view_parts::{BriefingRef, DateKey, DateRef, FiltersRef, Parts, TagRef, TaxonomyRef};

#[derive(Serialize, Hash)]
pub struct TimelineView<'a> {
    years: Vec<YearView<'a>>,
    all_years: Vec<YearLink>,
    year: Option<i16>,
    split: bool,
    order: &'static str,
    /// The term of a term's timeline (`tag`, as on tags' pages).
    tag: Option<TagRef<'a>>,
    /// The taxonomy of a term's timeline.
    taxonomy: Option<TaxonomyRef<'a>>,
    /// Per taxonomy, the terms to filter by.
    filters: FiltersRef<'a>,
    /// The tags to filter by: the most used, in tag order.
    filter_tags: Vec<TagRef<'a>>,
    /// How many tags `filter_tags` leaves out.
    more_tags: usize,
}

#[derive(Serialize, Hash)]
struct YearView<'a> {
    year: i16,
    url: String,
    count: usize,
    months: Vec<MonthView<'a>>,
}

#[derive(Serialize, Hash)]
struct YearLink {
    year: i16,
    url: String,
    count: usize,
}

#[derive(Serialize, Hash)]
struct MonthView<'a> {
    year: i16,
    month: Option<i8>,
    name: String,
    entries: Vec<EntryRef<'a>>,
}

/// A timeline entry: hashed as its `EntryView`, serialised through the
/// memo of `Parts` (an entry is on several timelines).
struct EntryRef<'a> {
    parts: &'a Parts<'a>,
    entry: Entry,
}

impl Hash for EntryRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        entry(self.parts, &self.entry).hash(state);
    }
}

impl Serialize for EntryRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.parts
            .entry_value(&self.entry, || {
                Value::from_serializable(&entry(self.parts, &self.entry))
            })
            .serialize(serializer)
    }
}

#[derive(Serialize, Hash)]
struct EntryView<'a> {
    kind: &'static str,
    date: DateRef<'a>,
    end: Option<DateRef<'a>>,
    title: &'a str,
    url: String,
    briefing: BriefingRef<'a>,
}

/// Whose timeline: the site's or tag `.0`'s.
#[derive(Clone, Copy)]
enum Whose {
    Site,
    Tag(usize),
}

impl Whose {
    fn year_url(self, site: &Site, year: i16, split: bool) -> String {
        let path = |year| match self {
            Whose::Site => timeline_path(year),
            Whose::Tag(t) => tag_timeline_path(&site.tags[t], year),
        };
        if split {
            site.base.url(&path(Some(year)))
        } else {
            format!("{}#year-{year}", site.base.url(&path(None)))
        }
    }
}

impl<'a> TimelineView<'a> {
    /// `/timeline/` (None) or year `y`'s page.
    pub fn new(parts: &'a Parts<'a>, year: Option<usize>) -> TimelineView<'a> {
        let site = parts.site;
        let timeline = &site.timeline;
        let split = timeline.is_split();
        let shown: Vec<&Year> = match (year, split) {
            (Some(y), _) => vec![&timeline.years[y]],
            (None, true) => timeline.years.iter().take(1).collect(),
            (None, false) => timeline.years.iter().collect(),
        };
        let all_years = timeline.years.iter().map(|y| (y.year, y.count()));
        let (filter_tags, more_tags) = parts.most_used_tags();
        TimelineView {
            years: shown
                .into_iter()
                .map(|y| year_view(parts, Whose::Site, y, split))
                .collect(),
            all_years: year_links(site, Whose::Site, all_years, split),
            year: year.map(|y| timeline.years[y].year),
            split,
            order: timeline.order.as_str(),
            tag: None,
            taxonomy: None,
            filters: parts.filters_ref(),
            filter_tags,
            more_tags,
        }
    }

    /// Tag `t`'s timeline, or its page for `year` when it is split.
    pub fn of_tag(parts: &'a Parts<'a>, t: usize, year: Option<i16>) -> TimelineView<'a> {
        let site = parts.site;
        let order = site.config.timeline.order;
        let members = &site.tags[t].briefings;
        let years = parts.tag_years(t);
        let split = crate::timeline::splits(years.iter().map(|(_, n)| n).sum());
        let shown = match (year, split) {
            (Some(y), _) => Some(y),
            (None, true) => years.first().map(|&(y, _)| y),
            (None, false) => None,
        };
        let updates = site.config.timeline.show_updates;
        let timeline = Timeline::of(
            &site.briefings,
            members.iter().copied(),
            shown,
            order,
            updates,
        );
        let (filter_tags, more_tags) = parts.most_used_tags();
        TimelineView {
            years: timeline
                .years
                .iter()
                .map(|y| year_view(parts, Whose::Tag(t), y, split))
                .collect(),
            all_years: year_links(site, Whose::Tag(t), years.iter().copied(), split),
            year,
            split,
            order: order.as_str(),
            tag: Some(parts.tag(t)),
            taxonomy: Some(parts.taxonomy_of(t)),
            filters: parts.filters_ref(),
            filter_tags,
            more_tags,
        }
    }
}

fn year_links(
    site: &Site,
    whose: Whose,
    years: impl Iterator<Item = (i16, usize)>,
    split: bool,
) -> Vec<YearLink> {
    years
        .map(|(year, count)| YearLink {
            year,
            url: whose.year_url(site, year, split),
            count,
        })
        .collect()
}

fn year_view<'a>(parts: &'a Parts<'a>, whose: Whose, year: &Year, split: bool) -> YearView<'a> {
    let site = parts.site;
    YearView {
        year: year.year,
        url: whose.year_url(site, year.year, split),
        count: year.count(),
        months: year
            .months
            .iter()
            .map(|m| MonthView {
                year: year.year,
                month: m.month,
                name: match m.month {
                    Some(month) => capitalized(&site.config.locale.display_partial(
                        &crate::date::PartialDate {
                            year: year.year,
                            month: Some(month),
                            day: None,
                        },
                    )),
                    None => year.year.to_string(),
                },
                entries: m
                    .entries
                    .iter()
                    .map(|e| EntryRef {
                        parts,
                        entry: e.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A month heading: its first letter a capital (`novembre 2024` ->
/// `Novembre 2024`), as headings are written.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn entry<'a>(parts: &'a Parts<'a>, e: &Entry) -> EntryView<'a> {
    let site = parts.site;
    let b = &site.briefings[e.briefing];
    let mut url = site.base.url(&b.path);
    if e.kind == EntryKind::Update {
        url.push_str("#update-history");
    }
    EntryView {
        kind: match (e.kind, e.event) {
            (EntryKind::Update, Some(n)) if b.updates[n].kind == UpdateKind::Correction => {
                "correction"
            }
            (kind, _) => kind.as_str(),
        },
        date: parts.date(match (e.kind, e.event) {
            (EntryKind::Update, Some(n)) => DateKey::Briefing(b.updates[n].date),
            (EntryKind::Briefing | EntryKind::Update, _) => DateKey::Briefing(b.date),
            (EntryKind::Event, _) => DateKey::Event(e.date),
        }),
        end: e.end.map(|end| parts.date(DateKey::Event(end))),
        title: e.title(&site.briefings),
        briefing: parts.briefing_link(e.briefing),
        url,
    }
}
