//! Briefings and the events they describe on one dated line, grouped by year
//! and month, in the order `site.yaml` asks for. Events dated only by year sit
//! in a group of their own before that year's months (after them, newest
//! first). Plain data, no IO.

use std::sync::Arc;

use rayon::slice::ParallelSliceMut;

use crate::briefing::Briefing;
use crate::config::TimelineOrder;
use crate::date::PartialDate;

/// A timeline longer than this is split into one page per year. A
/// thousand entries make a page of about 400 KB; fewer on one page are
/// easier to read (and to search with the browser) than a dozen year pages
/// of a few dozen each, which is what 300 gave a tag of a few hundred
/// briefings spread over the years.
pub const SPLIT_ABOVE: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub years: Vec<Year>,
    pub order: TimelineOrder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    pub year: i16,
    pub months: Vec<Month>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// None for entries dated only by the year.
    pub month: Option<i8>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    /// Index into `Site::briefings` of the briefing (or the event's briefing).
    pub briefing: usize,
    /// For an event, its index in the briefing's `events`.
    pub event: Option<usize>,
}

impl Entry {
    /// The briefing's or the event's title.
    pub fn title<'a>(&self, briefings: &'a [Arc<Briefing>]) -> &'a str {
        let b = &briefings[self.briefing];
        match (self.kind, self.event) {
            (EntryKind::Update, Some(u)) => &b.updates[u].note,
            (_, Some(e)) => &b.events[e].title,
            (_, None) => &b.title,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    Event,
    Briefing,
    /// An entry of a briefing's `updates:` (`timeline: { show_updates }`).
    Update,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Event => "event",
            EntryKind::Briefing => "briefing",
            EntryKind::Update => "update",
        }
    }
}

/// Briefing `i` and its events as entries (and its updates, with
/// `show_updates`).
fn entries_of(
    briefings: &[Arc<Briefing>],
    i: usize,
    show_updates: bool,
) -> impl Iterator<Item = Entry> + '_ {
    let b = &briefings[i];
    let briefing = Entry {
        kind: EntryKind::Briefing,
        date: b.date.as_partial(),
        end: None,
        briefing: i,
        event: None,
    };
    let events = b.events.iter().enumerate().map(move |(n, e)| Entry {
        kind: EntryKind::Event,
        date: e.date,
        end: e.end,
        briefing: i,
        event: Some(n),
    });
    let shown = if show_updates { b.updates.len() } else { 0 };
    let updates = b.updates[..shown]
        .iter()
        .enumerate()
        .map(move |(n, u)| Entry {
            kind: EntryKind::Update,
            date: u.date.as_partial(),
            end: None,
            briefing: i,
            event: Some(n),
        });
    std::iter::once(briefing).chain(events).chain(updates)
}

/// How many entries some briefings (a tag's) put on the timeline in each
/// year, without making the entries: what the page list needs to know
/// whether a tag's timeline is split, and into which years.
pub fn years_of(
    briefings: &[Arc<Briefing>],
    members: &[usize],
    order: TimelineOrder,
    show_updates: bool,
) -> Vec<(i16, usize)> {
    let mut years: std::collections::BTreeMap<i16, usize> = std::collections::BTreeMap::new();
    for &i in members {
        let b = &briefings[i];
        *years.entry(b.date.day.year()).or_default() += 1;
        for e in &b.events {
            *years.entry(e.date.year).or_default() += 1;
        }
        for u in b.updates.iter().filter(|_| show_updates) {
            *years.entry(u.date.day.year()).or_default() += 1;
        }
    }
    let mut years: Vec<(i16, usize)> = years.into_iter().collect();
    if order == TimelineOrder::NewestFirst {
        years.reverse();
    }
    years
}

/// Whether a timeline of `entries` is split into one page per year.
pub fn splits(entries: usize) -> bool {
    entries > SPLIT_ABOVE
}

impl Year {
    pub fn count(&self) -> usize {
        self.months.iter().map(|m| m.entries.len()).sum()
    }
}

impl Timeline {
    /// `briefings` must be in site order (their indices are kept).
    pub fn new(briefings: &[Arc<Briefing>], order: TimelineOrder, show_updates: bool) -> Timeline {
        Timeline::of(briefings, 0..briefings.len(), None, order, show_updates)
    }

    /// The timeline of some briefings (a tag's), by their indices into
    /// `briefings`; with `year`, only that year's entries.
    pub fn of(
        briefings: &[Arc<Briefing>],
        members: impl IntoIterator<Item = usize>,
        year: Option<i16>,
        order: TimelineOrder,
        show_updates: bool,
    ) -> Timeline {
        let mut entries: Vec<Entry> = members
            .into_iter()
            .flat_map(|i| entries_of(briefings, i, show_updates))
            .filter(|e| year.is_none_or(|y| e.date.year == y))
            .collect();
        // Oldest first; on the same day events come before the briefings that
        // describe them; then by title and briefing for a total order.
        entries.par_sort_by(|a, b| {
            (a.date, a.kind, a.title(briefings), a.briefing, a.event).cmp(&(
                b.date,
                b.kind,
                b.title(briefings),
                b.briefing,
                b.event,
            ))
        });
        if order == TimelineOrder::NewestFirst {
            entries.reverse();
        }
        let mut years: Vec<Year> = Vec::new();
        for entry in entries {
            let (year, month) = (entry.date.year, entry.date.month);
            if years.last().is_none_or(|y| y.year != year) {
                years.push(Year {
                    year,
                    months: Vec::new(),
                });
            }
            let current = years.last_mut().expect("a year was just pushed");
            if current.months.last().is_none_or(|m| m.month != month) {
                current.months.push(Month {
                    month,
                    entries: Vec::new(),
                });
            }
            current
                .months
                .last_mut()
                .expect("a month was just pushed")
                .entries
                .push(entry);
        }
        Timeline { years, order }
    }

    pub fn len(&self) -> usize {
        self.years.iter().map(Year::count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.years.is_empty()
    }

    pub fn is_split(&self) -> bool {
        splits(self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::briefing::Event;
    use crate::date::Date;

    /// README: a timeline of more than 1,000 entries is split by year.
    #[test]
    fn a_timeline_splits_past_a_thousand_entries() {
        assert!(!splits(1000));
        assert!(splits(1001));
    }

    fn briefing(date: &str, title: &str, events: &[(&str, &str)]) -> Arc<Briefing> {
        let config = crate::config::Config::parse("title: T\nbase_url: https://e.org\n").unwrap();
        let text = format!("---\ntitle: {title}\ndate: {date}\n---\n");
        let path = std::path::Path::new("b.md");
        let crate::document::Document::Briefing(mut b) =
            crate::document::load(path, path, &text, &config)
                .ok()
                .unwrap()
        else {
            panic!()
        };
        let edit = Arc::make_mut(&mut b);
        edit.date = Date::parse(date).unwrap();
        edit.events = events
            .iter()
            .map(|(d, t)| Event {
                date: PartialDate::parse(d).unwrap(),
                end: None,
                title: t.to_string(),
            })
            .collect();
        b
    }

    #[test]
    fn groups_by_year_and_month_in_order() {
        let briefings = vec![
            briefing(
                "2024-10-25",
                "Troops",
                &[("2024-12", "More troops"), ("2024", "Year")],
            ),
            briefing(
                "2024-06-20",
                "Treaty",
                &[("2024-06-19", "Signed"), ("2023-06", "Misdated")],
            ),
        ];
        let t = Timeline::new(&briefings, TimelineOrder::OldestFirst, false);
        let years: Vec<i16> = t.years.iter().map(|y| y.year).collect();
        assert_eq!(years, [2023, 2024]);
        let months: Vec<Option<i8>> = t.years[1].months.iter().map(|m| m.month).collect();
        assert_eq!(months, [None, Some(6), Some(10), Some(12)]);
        let june: Vec<&str> = t.years[1].months[1]
            .entries
            .iter()
            .map(|e| e.title(&briefings))
            .collect();
        assert_eq!(june, ["Signed", "Treaty"]);
        assert_eq!(t.len(), 6);

        let newest = Timeline::new(&briefings, TimelineOrder::NewestFirst, false);
        assert_eq!(newest.years[0].year, 2024);
        assert_eq!(newest.years[0].months[0].month, Some(12));
        assert_eq!(newest.years[0].months.last().unwrap().month, None);
    }
}
