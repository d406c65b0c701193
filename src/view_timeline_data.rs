//! The timeline as data for other programs: `/timeline.json` in the JSON
//! that Knight Lab's TimelineJS reads (every briefing and event, partial
//! dates as their year or month), and `/timeline.ics` (iCalendar, RFC 5545,
//! written by the `icalendar` crate) with the dated events, for a desk to
//! subscribe to. Both are page views of `view.rs`: hashed for the
//! fingerprint, serialised (the calendar as its text) for the template.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use icalendar::Component;
use jiff::civil;
use serde::{Serialize, Serializer};

use crate::briefing::{Briefing, Event};
use crate::date::{Date, PartialDate};
use crate::locale::Locale;
use crate::site::Site;
use crate::timeline::EntryKind;
use crate::url::BaseUrl;
use crate::view_parts::Parts;

/// What `timeline.json` receives: TimelineJS's object as JSON text, made
/// when the page is rendered. It shows each briefing's title, path, date,
/// summary and events, and is hashed as the hashes that cover them: the
/// briefing's `model_hash` (title, path, date, events) and its summary's
/// hash, kept between rebuilds, so that the edit of one body does not hash
/// every summary of the site again.
pub struct TimelineJsView<'a> {
    parts: &'a Parts<'a>,
}

impl<'a> TimelineJsView<'a> {
    pub fn new(parts: &'a Parts<'a>) -> TimelineJsView<'a> {
        TimelineJsView { parts }
    }
}

impl Hash for TimelineJsView<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let site = self.parts.site;
        (&site.config.title, &site.config.description, &site.base).hash(state);
        for (i, b) in site.briefings.iter().enumerate() {
            (self.parts.summary_hash(i), b.model_hash).hash(state);
        }
    }
}

/// What a briefing's slides are made from (see `TimelineJsView`).
struct SlideSource<'a> {
    title: &'a str,
    path: &'a str,
    date: &'a Date,
    summary: &'a str,
    events: &'a [Event],
}

impl<'a> From<&'a Briefing> for SlideSource<'a> {
    fn from(b: &'a Briefing) -> SlideSource<'a> {
        SlideSource {
            title: &b.title,
            path: &b.path,
            date: &b.date,
            summary: &b.summary,
            events: &b.events,
        }
    }
}

/// Serialised as its JSON text: made into template values first, 20,000
/// slides took half a second of a 10,000-briefing build.
impl Serialize for TimelineJsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let site = self.parts.site;
        let mut ids = UniqueIds::default();
        let mut events = Vec::with_capacity(site.briefings.len() * 3);
        for b in &site.briefings {
            events.extend(slides(
                &SlideSource::from(&**b),
                &site.base,
                &site.config.locale,
                &mut ids,
            ));
        }
        let timeline = TimelineJs {
            title: TitleSlide {
                text: Text {
                    headline: escape(&site.config.title),
                    text: escape(&site.config.description),
                },
            },
            events,
        };
        let text = serde_json::to_string(&timeline).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

#[derive(Serialize)]
struct TimelineJs {
    title: TitleSlide,
    events: Vec<Slide>,
}

#[derive(Serialize)]
struct TitleSlide {
    text: Text,
}

#[derive(Serialize)]
struct Slide {
    start_date: SlideDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<SlideDate>,
    text: Text,
    unique_id: String,
    group: String,
}

/// TimelineJS's date: numbers as strings, a partial date without its
/// month or day.
#[derive(Serialize)]
struct SlideDate {
    year: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<String>,
}

/// TimelineJS shows both as HTML.
#[derive(Serialize)]
struct Text {
    headline: String,
    text: String,
}

impl From<&PartialDate> for SlideDate {
    fn from(date: &PartialDate) -> SlideDate {
        SlideDate {
            year: date.year.to_string(),
            month: date.month.map(|m| m.to_string()),
            day: date.day.map(|d| d.to_string()),
        }
    }
}

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// A briefing's slide and its events' slides.
fn slides(b: &SlideSource, base: &BaseUrl, locale: &Locale, ids: &mut UniqueIds) -> Vec<Slide> {
    let title = escape(b.title);
    let link = format!(
        "<a href=\"{}\">{title}</a>",
        html_escape::encode_double_quoted_attribute(&base.permalink(b.path))
    );
    let mut text = String::new();
    if !b.summary.is_empty() {
        text = format!("<p>{}</p>", escape(b.summary));
    }
    let said = |key: &str| {
        let word = locale.word(key, None, &[]).unwrap_or_default();
        escape(&word).replace("{link}", &link)
    };
    text += &format!("<p>{}</p>", said("read_the_briefing"));
    let id = ids.make(b.path);
    let briefing = Slide {
        start_date: SlideDate::from(&b.date.as_partial()),
        end_date: None,
        text: Text {
            headline: title,
            text,
        },
        unique_id: id.clone(),
        group: locale.word("briefings", None, &[]).unwrap_or_default(),
    };
    let events = b.events.iter().enumerate().map(|(n, e)| Slide {
        start_date: SlideDate::from(&e.date),
        end_date: e.end.as_ref().map(SlideDate::from),
        text: Text {
            headline: escape(&e.title),
            text: format!("<p>{}</p>", said("from_the_briefing")),
        },
        unique_id: ids.make(&format!("{id}-event-{}", n + 1)),
        group: locale.word("events", None, &[]).unwrap_or_default(),
    });
    std::iter::once(briefing).chain(events).collect()
}

/// Slide ids TimelineJS can use as HTML ids and in the address: the
/// briefing's URL as letters, digits and `-`, made unique with `-2`, `-3`.
#[derive(Default)]
struct UniqueIds(HashSet<String>);

impl UniqueIds {
    fn make(&mut self, from: &str) -> String {
        let base: String = from
            .trim_matches('/')
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let base = if base.is_empty() {
            "home".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.0.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

/// What `timeline.ics` receives: the calendar, serialised as its text.
#[derive(Hash)]
pub struct CalendarView {
    name: String,
    description: String,
    product: String,
    events: Vec<CalendarEvent>,
}

#[derive(Hash)]
struct CalendarEvent {
    uid: String,
    /// All-day: the first day and the day after the last, as `YYYYMMDD`.
    start: String,
    end: String,
    /// When the briefing was last changed, in UTC: the same on every build.
    stamp: String,
    summary: String,
    description: String,
    url: String,
}

impl CalendarView {
    /// The site's dated events, in the timeline's order. An event dated
    /// to a day is an all-day event (a range spans its days); one dated to
    /// a month spans that month and says so; one dated only by a year is
    /// left out (a year-long entry would only clutter a calendar).
    pub fn new(site: &Site) -> CalendarView {
        let entries = site.timeline.years.iter().flat_map(|y| &y.months);
        let events = entries
            .flat_map(|m| &m.entries)
            .filter(|e| e.kind == EntryKind::Event)
            .filter_map(|e| {
                let b = &site.briefings[e.briefing];
                let n = e.event.expect("an event entry names its event");
                let event = &b.events[n];
                let (start, end) = days(&event.date, event.end.as_ref().unwrap_or(&event.date))?;
                let permalink = site.base.permalink(&b.path);
                let locale = &site.config.locale;
                let word = |key: &str, args: &[(&str, String)]| {
                    locale.word(key, None, args).unwrap_or_default()
                };
                let mut description = word(
                    "calendar_from",
                    &[("title", b.title.clone()), ("url", permalink.clone())],
                );
                if event.date.day.is_none() || event.end.is_some_and(|d| d.day.is_none()) {
                    let start = locale.display_partial(&event.date);
                    let dates = match &event.end {
                        Some(end) => word(
                            "date_range",
                            &[("start", start), ("end", locale.display_partial(end))],
                        ),
                        None => start,
                    };
                    description += "\n";
                    description += &word("calendar_month_only", &[("dates", dates)]);
                }
                Some(CalendarEvent {
                    uid: format!("{permalink}#event-{}", n + 1),
                    start: compact(start),
                    end: compact(end),
                    stamp: utc_stamp(&b.updated.unwrap_or(b.date).max(b.date)),
                    summary: event.title.clone(),
                    description,
                    url: permalink,
                })
            })
            .collect();
        CalendarView {
            name: site.config.title.clone(),
            description: site.config.description.clone(),
            product: format!("-//briefly//{}//EN", site.config.title),
            events,
        }
    }

    fn text(&self) -> String {
        let mut calendar = icalendar::Calendar::empty();
        calendar.append_property(("VERSION", "2.0"));
        calendar.append_property(("PRODID", self.product.as_str()));
        calendar.append_property(("CALSCALE", "GREGORIAN"));
        calendar.append_property(("METHOD", "PUBLISH"));
        calendar.name(&self.name);
        if !self.description.is_empty() {
            calendar.description(&self.description);
        }
        for e in &self.events {
            let mut event = icalendar::Event::new();
            event
                .uid(&e.uid)
                .add_property("DTSTAMP", &e.stamp)
                .append_property(all_day("DTSTART", &e.start))
                .append_property(all_day("DTEND", &e.end))
                .summary(&e.summary)
                .description(&e.description)
                .url(&e.url);
            calendar.push(event.done());
        }
        calendar.to_string()
    }
}

impl Serialize for CalendarView {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

fn all_day(key: &str, day: &str) -> icalendar::Property {
    icalendar::Property::new(key, day)
        .add_parameter("VALUE", "DATE")
        .done()
}

/// The first day of `start` and the day after the last of `end`; None
/// when either is only a year.
fn days(start: &PartialDate, end: &PartialDate) -> Option<(civil::Date, civil::Date)> {
    let first = civil::Date::new(start.year, start.month?, start.day.unwrap_or(1)).ok()?;
    let last = match end.day {
        Some(day) => civil::Date::new(end.year, end.month?, day).ok()?,
        None => civil::Date::new(end.year, end.month?, 1)
            .ok()?
            .last_of_month(),
    };
    Some((first, last.tomorrow().ok()?))
}

fn compact(day: civil::Date) -> String {
    day.strftime("%Y%m%d").to_string()
}

/// A briefing's date as iCalendar's UTC date-time (`20241025T003000Z`).
fn utc_stamp(date: &Date) -> String {
    let time = date.time.unwrap_or(civil::Time::midnight());
    let offset = jiff::tz::Offset::from_seconds(date.offset.unwrap_or(0))
        .expect("offsets are parsed within ±18 hours");
    offset
        .to_timestamp(date.day.to_datetime(time))
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|_| format!("{}T000000Z", compact(date.day)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_become_whole_days_or_nothing() {
        let d = |text: &str| PartialDate::parse(text).unwrap();
        let (start, end) = days(&d("2024-10-22"), &d("2024-10-24")).unwrap();
        assert_eq!(
            (compact(start), compact(end)),
            ("20241022".into(), "20241025".into())
        );
        let (start, end) = days(&d("2024-02"), &d("2024-02")).unwrap();
        assert_eq!(
            (compact(start), compact(end)),
            ("20240201".into(), "20240301".into())
        );
        assert_eq!(days(&d("2024"), &d("2024")), None);
        let utc = utc_stamp(&Date::parse("2024-10-25 09:30:00 +0900").unwrap());
        assert_eq!(utc, "20241025T003000Z");
    }

    #[test]
    fn slide_ids_are_unique() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.make("briefings/a.b/"), "briefings-a-b");
        assert_eq!(ids.make("/briefings/a-b/"), "briefings-a-b-2");
    }
}
