//! Dates as authors write them: `Date` is a briefing's calendar day (with the
//! time and zone kept for feeds), `PartialDate` is an event date that may be
//! only a year or a month. Both parse from front matter and order themselves;
//! how they are shown lives here too. A date is a civil day: no timezone,
//! neither the author's nor the build machine's, ever moves it.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil;
use serde::Serialize;
use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::locale::Locale;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The variable that fixes today's date (YYYY-MM-DD) for tests and
/// reproducible builds.
pub const TODAY_VAR: &str = "BRIEFLY_TODAY";

/// Today: `BRIEFLY_TODAY` when set, else this machine's calendar day. The
/// one place briefly reads the date from the clock (what is published,
/// the default date of `briefly new`).
pub fn today() -> Result<civil::Date, String> {
    let Ok(text) = std::env::var(TODAY_VAR) else {
        return Ok(jiff::ZonedDateTime::now().date());
    };
    match Date::parse(&text) {
        Ok(date) if date.time.is_none() => Ok(date.day),
        _ => Err(format!(
            "{TODAY_VAR}=`{text}`: write the day as YYYY-MM-DD, e.g. {TODAY_VAR}=2024-10-25"
        )),
    }
}

/// The English name of a month, 1-based.
pub fn month_name(month: i8) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// A briefing's date: the calendar day the author wrote, plus the time and UTC
/// offset when given (used only for feed timestamps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub day: civil::Date,
    pub time: Option<civil::Time>,
    /// Offset from UTC in seconds, when the author wrote a zone.
    pub offset: Option<i32>,
}

impl Date {
    pub fn from_day(day: civil::Date) -> Date {
        Date {
            day,
            time: None,
            offset: None,
        }
    }

    /// Parses `YYYY-MM-DD`, RFC 3339 and the shapes Jekyll and Hugo write:
    /// `2019-03-26 12:38:00 -0500`, with or without seconds or zone; then
    /// the other shapes both read (`other_shapes`).
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        Date::parse_iso(text).or_else(|error| other_shapes(text).ok_or(error))
    }

    fn parse_iso(text: &str) -> Result<Date, String> {
        let (day_part, rest) = match text.find(['T', 't', ' ']) {
            Some(i) => (&text[..i], text[i + 1..].trim()),
            None => (text, ""),
        };
        let day = parse_day(day_part, text)?;
        if rest.is_empty() {
            return Ok(Date::from_day(day));
        }
        let time_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
            .unwrap_or(rest.len());
        let (time_text, mut zone_text) = (&rest[..time_end], rest[time_end..].trim());
        let mut time = parse_time(time_text).ok_or_else(|| not_a_date(text))?;
        // `3:04 PM`, as Ruby and Go read it.
        let meridiem = zone_text.get(..2).map(str::to_ascii_lowercase);
        if let Some(half @ ("am" | "pm")) = meridiem.as_deref()
            && !zone_text[2..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            if !(1..=12).contains(&time.hour()) {
                return Err(not_a_date(text));
            }
            let hour = time.hour() % 12 + if half == "pm" { 12 } else { 0 };
            time = time
                .with()
                .hour(hour)
                .build()
                .map_err(|_| not_a_date(text))?;
            zone_text = zone_text[2..].trim();
        }
        let offset = parse_offset(zone_text).ok_or_else(|| not_a_date(text))?;
        Ok(Date {
            day,
            time: Some(time),
            offset,
        })
    }

    /// A date with words `parse` does not know after it, read as Ruby's
    /// `Time.parse` (Jekyll's) reads it: the day, then each later word
    /// that still makes a date (a time, a zone), the others left out
    /// (`2023-01-29 18:30:22 2023 -0800`). Returns the date as written
    /// without them and the words left out; None when the first word is
    /// no day or nothing is left out.
    pub fn loosely(text: &str) -> Option<(String, Vec<&str>)> {
        let mut words = text.split_whitespace();
        let mut kept = words.next()?.to_string();
        Date::parse(&kept).ok()?;
        let mut left_out = Vec::new();
        for word in words {
            let longer = format!("{kept} {word}");
            if Date::parse(&longer).is_ok() {
                kept = longer;
            } else {
                left_out.push(word);
            }
        }
        (!left_out.is_empty()).then_some((kept, left_out))
    }

    /// The day as `2024-10-25`.
    pub fn iso(&self) -> String {
        self.as_partial().iso()
    }

    /// RFC 3339 for feeds: the author's time and zone, else midnight UTC.
    pub fn rfc3339(&self) -> String {
        let time = self.time.unwrap_or(civil::Time::midnight());
        let mut out = self.iso();
        out.push('T');
        for (k, part) in [time.hour(), time.minute(), time.second()]
            .into_iter()
            .enumerate()
        {
            if k > 0 {
                out.push(':');
            }
            push_padded(&mut out, part.into(), 2);
        }
        match self.offset {
            None | Some(0) => out.push('Z'),
            Some(seconds) => {
                out.push(if seconds < 0 { '-' } else { '+' });
                let minutes = seconds.abs() / 60;
                push_padded(&mut out, minutes / 60, 2);
                out.push(':');
                push_padded(&mut out, minutes % 60, 2);
            }
        }
        out
    }

    /// RFC 2822 for RSS: the author's time and zone, else midnight UTC
    /// (`Fri, 25 Oct 2024 09:30:00 +0900`).
    pub fn rfc2822(&self) -> String {
        let time = self.time.unwrap_or(civil::Time::midnight());
        let offset = jiff::tz::Offset::from_seconds(self.offset.unwrap_or(0))
            .expect("offsets are parsed within ±18 hours");
        self.day
            .to_datetime(time)
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
            .and_then(|zoned| jiff::fmt::rfc2822::to_string(&zoned))
            .unwrap_or_else(|_| self.rfc3339())
    }

    pub fn as_partial(&self) -> PartialDate {
        PartialDate {
            year: self.day.year(),
            month: Some(self.day.month()),
            day: Some(self.day.day()),
        }
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.day, self.time).cmp(&(other.day, other.time))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Day formats besides ISO 8601 that Hugo (Go's `cast`: `02 Jan 2006`,
/// RFC 1123 and RFC 822) or Jekyll (Ruby's `Time.parse`: `Jan 2, 2006`,
/// `2006/01/02`, `2 January 2006`) reads, in jiff's strptime notation.
/// Never an ambiguous one such as `01/02/2006`.
const DAY_SHAPES: [&str; 11] = [
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%a %b %d %Y",
];

/// A date in one of the other shapes Hugo or Jekyll reads: RFC 2822
/// (`Mon, 02 Jan 2006 15:04:05 -0700`, the day as its own zone has it) or
/// a day in `DAY_SHAPES`, optionally followed by a time and zone as in the
/// ISO shapes (`Jan 2, 2006 15:04 -0700`).
fn other_shapes(text: &str) -> Option<Date> {
    if let Ok(zoned) = jiff::fmt::rfc2822::DateTimeParser::new().parse_zoned_datetime(text) {
        return Some(Date {
            day: zoned.date(),
            time: Some(zoned.time()),
            offset: Some(zoned.offset().seconds()),
        });
    }
    // `date(1)`'s and Go's `Fri Sep  3 11:21:31 CEST 2021` (the zone may
    // be missing): the year moved before the time.
    let words: Vec<&str> = text.split_whitespace().collect();
    if let [weekday, month, day, time, zone @ .., year] = words.as_slice()
        && zone.len() <= 1
        && weekday.len() == 3
        && time.contains(':')
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
    {
        let zone = zone.first().copied().unwrap_or_default();
        let reordered = format!("{weekday} {month} {day} {year} {time} {zone}");
        return other_shapes(reordered.trim_end());
    }
    DAY_SHAPES.iter().find_map(|shape| {
        let (broken, used) = jiff::fmt::strtime::BrokenDownTime::parse_prefix(shape, text).ok()?;
        let day = broken.to_date().ok()?;
        // `%Y` takes `06` as the year 6: only four-digit years.
        if day.year() < 1000 {
            return None;
        }
        let rest = text[used..].trim();
        // The rest is a time (and zone), never more of a word or number.
        if !(rest.is_empty() || text[used..].starts_with(char::is_whitespace)) {
            return None;
        }
        Date::parse_iso(format!("{day} {rest}").trim_end()).ok()
    })
}

fn not_a_date(text: &str) -> String {
    format!(
        "`{text}` is not a date: write it as YYYY-MM-DD (optionally with a time, e.g. 2024-10-25 14:30:00 +0200)"
    )
}

fn parse_day(day_part: &str, whole: &str) -> Result<civil::Date, String> {
    let mut parts = day_part.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(not_a_date(whole));
    };
    let number = |s: &str, max_len: usize| -> Result<i64, String> {
        if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_a_date(whole));
        }
        s.parse().map_err(|_| not_a_date(whole))
    };
    if y.len() != 4 {
        return Err(not_a_date(whole));
    }
    let (year, month, day) = (number(y, 4)?, number(m, 2)?, number(d, 2)?);
    civil::Date::new(year as i16, month as i8, day as i8)
        .map_err(|_| impossible(whole, year, month, Some(day)))
}

fn impossible(text: &str, year: i64, month: i64, day: Option<i64>) -> String {
    if !(1..=12).contains(&month) {
        return format!("impossible date `{text}`: there is no month {month}");
    }
    let days = civil::Date::new(year as i16, month as i8, 1)
        .map(|d| d.days_in_month())
        .unwrap_or(31);
    format!(
        "impossible date `{text}`: {} {year} has {days} days, not {}",
        month_name(month as i8),
        day.unwrap_or(0)
    )
}

fn parse_time(text: &str) -> Option<civil::Time> {
    let mut parts = text.split(':');
    let hour: i8 = parts.next()?.parse().ok()?;
    let minute: i8 = parts.next()?.parse().ok()?;
    let second: f64 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0.0,
    };
    if parts.next().is_some() {
        return None;
    }
    let whole = second.trunc() as i8;
    let nanos = ((second.fract()) * 1e9).round() as i32;
    civil::Time::new(hour, minute, whole, nanos.min(999_999_999)).ok()
}

/// The zone abbreviations Ruby's date parser knows that sites write
/// (`date(1)` prints them), and their offsets in minutes.
const ZONES: [(&str, i32); 26] = [
    ("Z", 0),
    ("UTC", 0),
    ("UT", 0),
    ("GMT", 0),
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("CET", 60),
    ("CEST", 120),
    ("EET", 120),
    ("EEST", 180),
    ("IST", 330),
    ("JST", 540),
    ("KST", 540),
    ("AEST", 600),
];

/// `Z`, `+02:00`, `-0500`, `-5`, `CEST`; `Some(None)` when there is no
/// zone at all.
fn parse_offset(text: &str) -> Option<Option<i32>> {
    if text.is_empty() {
        return Some(None);
    }
    if let Some((_, minutes)) = ZONES
        .iter()
        .find(|(name, _)| text.eq_ignore_ascii_case(name))
    {
        return Some(Some(minutes * 60));
    }
    let sign = match text.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = if digits.len() <= 2 {
        (digits.parse::<i32>().ok()?, 0)
    } else {
        let split = digits.len() - 2;
        (
            digits[..split].parse::<i32>().ok()?,
            digits[split..].parse::<i32>().ok()?,
        )
    };
    if hours > 18 || minutes > 59 {
        return None;
    }
    Some(Some(sign * (hours * 3600 + minutes * 60)))
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2024-10-25")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// An event date: a year, a month or a day. A partial date sorts before the
/// full dates it contains (`2024-06` before `2024-06-19`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] if y.len() == 4 && digits(y) => Ok(PartialDate {
                year: y.parse().map_err(|_| not_partial(text))?,
                month: None,
                day: None,
            }),
            [y, m] if y.len() == 4 && digits(y) && digits(m) && m.len() <= 2 => {
                let month: i8 = m.parse().map_err(|_| not_partial(text))?;
                if !(1..=12).contains(&month) {
                    return Err(format!(
                        "impossible date `{text}`: there is no month {month}"
                    ));
                }
                Ok(PartialDate {
                    year: y.parse().map_err(|_| not_partial(text))?,
                    month: Some(month),
                    day: None,
                })
            }
            _ => Date::parse(text).map(|d| d.as_partial()).map_err(|e| {
                if e.starts_with("impossible") {
                    e
                } else {
                    not_partial(text)
                }
            }),
        }
    }

    /// `2024-06-19`, `2024-06` or `2024`.
    pub fn iso(&self) -> String {
        let mut out = String::with_capacity(25);
        push_padded(&mut out, self.year.into(), 4);
        for part in [self.month, self.day].into_iter().map_while(|p| p) {
            out.push('-');
            push_padded(&mut out, part.into(), 2);
        }
        out
    }

    /// `19 June 2024`, `June 2024` or `2024`.
    pub fn display(&self) -> String {
        let mut out = String::with_capacity(20);
        if let (Some(_), Some(d)) = (self.month, self.day) {
            push_padded(&mut out, d.into(), 1);
            out.push(' ');
        }
        if let Some(m) = self.month {
            out.push_str(month_name(m));
            out.push(' ');
        }
        push_padded(&mut out, self.year.into(), 1);
        out
    }

    fn key(&self) -> (i16, i8, i8) {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0))
    }
}

/// Appends `n` in decimal with at least `width` digits. Dates are shown on
/// every list page (a timeline entry has one or two), and `format!` made
/// them a tenth of a 10,000-briefing build.
pub(crate) fn push_padded(out: &mut String, n: i32, width: usize) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [b'0'; 10];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let shown = digits.len() - at;
    out.extend(std::iter::repeat_n('0', width.saturating_sub(shown)));
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

fn not_partial(text: &str) -> String {
    format!("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PartialDate, D::Error> {
        struct PartialVisitor;
        impl Visitor<'_> for PartialVisitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2024, 2024-06 or 2024-06-19")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                PartialDate::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                self.visit_str(&v.to_string())
            }
        }
        deserializer.deserialize_any(PartialVisitor)
    }
}

/// How a date reaches templates (see README, "Shared shapes"): `display`
/// and `month_name` in the site's language.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct DateView {
    pub iso: String,
    pub display: String,
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
    pub month_name: Option<String>,
    pub datetime: String,
}

impl DateView {
    /// A briefing's date.
    pub fn of(date: &Date, locale: &Locale) -> DateView {
        let display = locale.display_day(date);
        DateView::new(&date.as_partial(), date.rfc3339(), display, locale)
    }

    /// An event's date.
    pub fn of_partial(date: &PartialDate, locale: &Locale) -> DateView {
        let first_day = PartialDate {
            month: Some(date.month.unwrap_or(1)),
            day: Some(date.day.unwrap_or(1)),
            ..*date
        };
        let display = locale.display_partial(date);
        DateView::new(date, first_day.iso() + "T00:00:00Z", display, locale)
    }

    fn new(date: &PartialDate, datetime: String, display: String, locale: &Locale) -> DateView {
        DateView {
            iso: date.iso(),
            display,
            year: date.year,
            month: date.month,
            day: date.day,
            month_name: date
                .month
                .map(|m| locale.list("months", m as usize - 1).to_string()),
            datetime,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_shape_without_moving_the_day() {
        for text in [
            "2019-03-26",
            "2019-03-26T23:38:00Z",
            "2019-03-26T23:38:00+09:00",
            "2019-03-26 23:38:00 -0500",
            "2019-03-26 23:38 -0500",
            "2019-03-26 23:38:00",
            "2019-03-26 23:38:00.25 -5",
        ] {
            let date = Date::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(date.iso(), "2019-03-26", "{text}");
        }
        assert_eq!(
            Date::parse("2019-03-26 12:38:00 -0500").unwrap().rfc3339(),
            "2019-03-26T12:38:00-05:00"
        );
        assert_eq!(
            Date::parse("2019-03-26").unwrap().rfc3339(),
            "2019-03-26T00:00:00Z"
        );
    }

    #[test]
    fn reads_the_other_shapes_hugo_and_jekyll_read() {
        for (text, iso, rfc3339) in [
            (
                "Mon, 02 Jan 2006 15:04:05 -0700",
                "2006-01-02",
                "2006-01-02T15:04:05-07:00",
            ),
            (
                "Mon, 02 Jan 2006 23:04:05 PST",
                "2006-01-02",
                "2006-01-02T23:04:05-08:00",
            ),
            (
                "2 Jan 2006 15:04:05 GMT",
                "2006-01-02",
                "2006-01-02T15:04:05Z",
            ),
            ("02 Jan 2006", "2006-01-02", "2006-01-02T00:00:00Z"),
            ("2 January 2006", "2006-01-02", "2006-01-02T00:00:00Z"),
            ("Jan 2, 2006", "2006-01-02", "2006-01-02T00:00:00Z"),
            ("January 2, 2006", "2006-01-02", "2006-01-02T00:00:00Z"),
            ("january 2 2006", "2006-01-02", "2006-01-02T00:00:00Z"),
            (
                "Monday, January 2, 2006",
                "2006-01-02",
                "2006-01-02T00:00:00Z",
            ),
            ("2006/01/02", "2006-01-02", "2006-01-02T00:00:00Z"),
            ("2006/1/2 15:04", "2006-01-02", "2006-01-02T15:04:00Z"),
            (
                "Jan 2, 2006 15:04:05 +0100",
                "2006-01-02",
                "2006-01-02T15:04:05+01:00",
            ),
            (
                "Fri Sep  3 11:21:31 CEST 2021",
                "2021-09-03",
                "2021-09-03T11:21:31+02:00",
            ),
            (
                "Mon Jan 2 15:04:05 2006",
                "2006-01-02",
                "2006-01-02T15:04:05Z",
            ),
            ("2006.01.02", "2006-01-02", "2006-01-02T00:00:00Z"),
            ("2006-01-02 3:04 PM", "2006-01-02", "2006-01-02T15:04:00Z"),
            (
                "2006-01-02 12:04 am EST",
                "2006-01-02",
                "2006-01-02T00:04:00-05:00",
            ),
            (
                "2006-01-02 15:04:05 EST",
                "2006-01-02",
                "2006-01-02T15:04:05-05:00",
            ),
            (
                "2006-01-02 15:04:05 ist",
                "2006-01-02",
                "2006-01-02T15:04:05+05:30",
            ),
        ] {
            let date = Date::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (date.iso().as_str(), date.rfc3339().as_str()),
                (iso, rfc3339),
                "{text}"
            );
        }
        // A wrong weekday is Go's and Ruby's error too.
        assert!(Date::parse("Tue, 02 Jan 2006 15:04:05 -0700").is_err());
    }

    #[test]
    fn rss_dates_keep_the_authors_zone() {
        let date = |text: &str| Date::parse(text).unwrap().rfc2822();
        assert_eq!(
            date("2024-10-25 09:30:00 +0900"),
            "Fri, 25 Oct 2024 09:30:00 +0900"
        );
        assert_eq!(date("2024-06-20"), "Thu, 20 Jun 2024 00:00:00 +0000");
    }

    #[test]
    fn impossible_dates_are_named() {
        let err = Date::parse("2024-02-30").unwrap_err();
        assert_eq!(
            err,
            "impossible date `2024-02-30`: February 2024 has 29 days, not 30"
        );
        assert!(
            Date::parse("2024-13-01")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(Date::parse("yesterday").unwrap_err().contains("not a date"));
        assert!(Date::parse("2024-10-25 lunchtime").is_err());
        for ambiguous in [
            "01/02/2006",
            "2/1/06",
            "Jan 2006",
            "32 Jan 2006",
            "Feb 30, 2024",
            "2006-01-02 13:04 PM",
            "2006-01-02 15:04 XYZ",
            "Fri Sep 3 11:21:31 CEST",
        ] {
            assert!(Date::parse(ambiguous).is_err(), "{ambiguous}");
        }
        assert_eq!(
            Date::loosely("2023-01-29 18:30:22 2023 -0800"),
            Some(("2023-01-29 18:30:22 -0800".to_string(), vec!["2023"]))
        );
        assert_eq!(
            Date::loosely(" 2024-10-25  lunchtime "),
            Some(("2024-10-25".to_string(), vec!["lunchtime"]))
        );
        for not_loose in ["2024-10-25 14:00", "lunch 2024-10-25", "2024-02-30 x", ""] {
            assert_eq!(Date::loosely(not_loose), None, "{not_loose}");
        }
    }

    #[test]
    fn partial_dates_sort_before_the_days_they_contain() {
        let year = PartialDate::parse("2024").unwrap();
        let month = PartialDate::parse("2024-06").unwrap();
        let day = PartialDate::parse("2024-06-19").unwrap();
        let later = PartialDate::parse("2024-07").unwrap();
        let mut dates = vec![later, day, month, year];
        dates.sort();
        assert_eq!(dates, vec![year, month, day, later]);
        assert_eq!(month.display(), "June 2024");
        assert_eq!(day.display(), "19 June 2024");
        assert_eq!(year.iso(), "2024");
        assert_eq!(year.display(), "2024");
        let en = Locale::builtin("en");
        assert_eq!(
            DateView::of_partial(&month, &en).datetime,
            "2024-06-01T00:00:00Z"
        );
        assert_eq!(DateView::of_partial(&month, &en).display, "June 2024");
        assert_eq!(DateView::of_partial(&day, &en).display, "19 June 2024");
        let early = Date::parse("0099-01-02 03:04:05 -0130").unwrap();
        assert_eq!(early.rfc3339(), "0099-01-02T03:04:05-01:30");
        assert_eq!(DateView::of(&early, &en).display, "2 January 0099");
        assert!(PartialDate::parse("2024-00").is_err());
    }
}
