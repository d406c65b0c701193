//! What the timeline template receives: all years on `/timeline/` unless
//! the timeline is split, then the first year there and one year per page,
//! with links to every year. Part of `view.rs`'s page views.

use serde::Serialize;

use crate::date::DateView;
use crate::pages::timeline_path;
use crate::site::Site;
use crate::timeline::{Entry, EntryKind};

#[derive(Serialize, Hash)]
pub struct TimelineView<'a> {
    years: Vec<YearView<'a>>,
    all_years: Vec<YearLink>,
    year: Option<i16>,
    split: bool,
    order: &'static str,
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
    entries: Vec<EntryView<'a>>,
}

#[derive(Serialize, Hash)]
struct EntryView<'a> {
    kind: &'static str,
    date: DateView,
    end: Option<DateView>,
    title: &'a str,
    url: String,
    briefing: BriefingLink<'a>,
}

#[derive(Serialize, Hash)]
struct BriefingLink<'a> {
    title: &'a str,
    url: String,
}

impl<'a> TimelineView<'a> {
    /// `/timeline/` (None) or year `y`'s page.
    pub fn new(site: &'a Site, year: Option<usize>) -> TimelineView<'a> {
        let timeline = &site.timeline;
        let split = timeline.is_split();
        let shown: Vec<usize> = match (year, split) {
            (Some(y), _) => vec![y],
            (None, true) => (0..timeline.years.len().min(1)).collect(),
            (None, false) => (0..timeline.years.len()).collect(),
        };
        TimelineView {
            years: shown.iter().map(|&y| year_view(site, y, split)).collect(),
            all_years: timeline
                .years
                .iter()
                .map(|y| YearLink {
                    year: y.year,
                    url: year_url(site, y.year, split),
                    count: y.count(),
                })
                .collect(),
            year: year.map(|y| timeline.years[y].year),
            split,
            order: timeline.order.as_str(),
        }
    }
}

fn year_url(site: &Site, year: i16, split: bool) -> String {
    if split {
        site.base.url(&timeline_path(Some(year)))
    } else {
        format!("{}#y{year}", site.base.url(&timeline_path(None)))
    }
}

fn year_view(site: &Site, y: usize, split: bool) -> YearView<'_> {
    let year = &site.timeline.years[y];
    YearView {
        year: year.year,
        url: year_url(site, year.year, split),
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
                entries: m.entries.iter().map(|e| entry(site, e)).collect(),
            })
            .collect(),
    }
}

fn entry<'a>(site: &'a Site, e: &Entry) -> EntryView<'a> {
    let b = &site.briefings[e.briefing];
    let url = site.base.url(&b.path);
    EntryView {
        kind: e.kind.as_str(),
        date: match e.kind {
            EntryKind::Briefing => DateView::from(&b.date),
            EntryKind::Event => DateView::from(&e.date),
        },
        end: e.end.as_ref().map(DateView::from),
        title: e.title(&site.briefings),
        briefing: BriefingLink {
            title: &b.title,
            url: url.clone(),
        },
        url,
    }
}
