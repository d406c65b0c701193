//! Dates in the site's language: strftime-style formats (`%-d %B %Y`)
//! whose month and weekday names come from the `Locale`, everything else
//! from jiff's `strtime`. The built-in theme's dates (`date.display`) and
//! the templates' `date(format=…)` filter both go through here. A format is
//! compiled once into pieces, so showing thousands of dates stays cheap.
//!
//! Names: `%B` full month (in a format that also shows the day of the
//! month, the form a full date uses: the genitive in Russian and
//! Ukrainian, "6 ноября 2024"), `%OB` the month standing alone ("ноябрь
//! 2024"), `%b`/`%h` short month, `%A` weekday, `%a` short weekday; the
//! `^` flag upper-cases a name (`%^B`).

use jiff::civil;
use jiff::fmt::strtime::BrokenDownTime;

use crate::date::{Date, PartialDate};
use crate::locale::Locale;

/// A compiled format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Format {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Piece {
    Text(String),
    Name {
        name: Name,
        upper: bool,
    },
    /// `%Y`, `%m`, `%d` and their unpadded forms, written directly.
    Number {
        part: Part,
        width: usize,
    },
    /// Anything else: a jiff `strtime` conversion, as written.
    Strtime(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Name {
    Month,
    MonthInDate,
    MonthShort,
    Weekday,
    WeekdayShort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Year,
    Month,
    Day,
}

impl Format {
    /// Compiles a strftime-style format. Unknown conversions are left to
    /// jiff, which reports them when the format is used.
    pub fn compile(format: &str) -> Format {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let specs = conversions(format);
        let has_day = specs
            .iter()
            .any(|(spec, _)| matches!(spec.chars().last(), Some('d' | 'e')));
        for (spec, literal) in specs {
            if !literal.is_empty() {
                text.push_str(&literal);
            }
            if spec.is_empty() {
                continue;
            }
            let conversion = spec.chars().last().expect("a conversion has a letter");
            let flags = &spec[1..spec.len() - conversion.len_utf8()];
            let upper = flags.contains('^');
            let alone = flags.ends_with('O');
            let name = match conversion {
                'B' if has_day && !alone => Some(Name::MonthInDate),
                'B' => Some(Name::Month),
                'b' | 'h' => Some(Name::MonthShort),
                'A' => Some(Name::Weekday),
                'a' => Some(Name::WeekdayShort),
                _ => None,
            };
            let number = match (conversion, flags) {
                ('Y', "") => Some((Part::Year, 4)),
                ('m', "") => Some((Part::Month, 2)),
                ('m', "-") => Some((Part::Month, 1)),
                ('d', "") => Some((Part::Day, 2)),
                ('d', "-") => Some((Part::Day, 1)),
                _ => None,
            };
            if name.is_none() && number.is_none() {
                text.push_str(&spec);
                continue;
            }
            if !text.is_empty() {
                pieces.push(Piece::Strtime(std::mem::take(&mut text)));
            }
            pieces.push(match (name, number) {
                (Some(name), _) => Piece::Name { name, upper },
                (None, Some((part, width))) => Piece::Number { part, width },
                (None, None) => unreachable!("handled above"),
            });
        }
        if !text.is_empty() {
            pieces.push(Piece::Strtime(text));
        }
        // Text with no conversion in it needs no jiff.
        for piece in &mut pieces {
            if let Piece::Strtime(s) = piece
                && !s.contains('%')
            {
                *piece = Piece::Text(std::mem::take(s));
            } else if let Piece::Strtime(s) = piece
                && s.replace("%%", "").find('%').is_none()
            {
                *piece = Piece::Text(s.replace("%%", "%"));
            }
        }
        Format { pieces }
    }

    /// Writes a day (with its time and zone for `%H`, `%z`…, when the
    /// date has them) in `locale`'s words.
    pub fn day(&self, locale: &Locale, date: &Date) -> Result<String, String> {
        let mut out = String::with_capacity(24);
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Name { name, upper } => {
                    let day = date.day;
                    let weekday = day.weekday().to_monday_zero_offset() as usize;
                    let month = day.month() as usize - 1;
                    let word = match name {
                        Name::Month => locale.list("months", month),
                        Name::MonthInDate => locale.list("months_genitive", month),
                        Name::MonthShort => locale.list("months_short", month),
                        Name::Weekday => locale.list("weekdays", weekday),
                        Name::WeekdayShort => locale.list("weekdays_short", weekday),
                    };
                    if *upper {
                        out.push_str(&word.to_uppercase());
                    } else {
                        out.push_str(word);
                    }
                }
                Piece::Number { part, width } => {
                    let n = match part {
                        Part::Year => date.day.year().into(),
                        Part::Month => date.day.month().into(),
                        Part::Day => date.day.day().into(),
                    };
                    crate::date::push_padded(&mut out, n, *width);
                }
                Piece::Strtime(spec) => out.push_str(&strtime(date, spec)?),
            }
        }
        Ok(out)
    }

    /// Writes a partial date: its first day, so that `%Y`, `%B` and `%m`
    /// show what it has (formats for partial dates name no day).
    pub fn partial(&self, locale: &Locale, date: &PartialDate) -> String {
        let day = civil::Date::new(date.year, date.month.unwrap_or(1), date.day.unwrap_or(1))
            .unwrap_or(civil::Date::MIN);
        self.day(locale, &Date::from_day(day))
            .unwrap_or_else(|_| date.iso())
    }
}

/// One jiff conversion (or run of them) for `date`.
fn strtime(date: &Date, spec: &str) -> Result<String, String> {
    let time = date.time.unwrap_or(civil::Time::midnight());
    let datetime = date.day.to_datetime(time);
    let broken = match date.offset {
        Some(seconds) => {
            let offset = jiff::tz::Offset::from_seconds(seconds).map_err(|e| e.to_string())?;
            let zoned = datetime
                .to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
                .map_err(|e| e.to_string())?;
            BrokenDownTime::from(&zoned)
        }
        None => BrokenDownTime::from(datetime),
    };
    broken.to_string(spec).map_err(|e| e.to_string())
}

/// The format cut into (conversion, literal text before it) pairs; a
/// conversion is `%`, its flags (`-_0^#`, a width, `:`s, `E` or `O`) and
/// its letter. `%%` stays literal text.
fn conversions(format: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        let mut spec = String::from('%');
        while let Some(&f) = chars.peek() {
            if matches!(f, '-' | '_' | '0' | '^' | '#' | ':' | 'E' | 'O') || f.is_ascii_digit() {
                spec.push(f);
                chars.next();
            } else {
                break;
            }
        }
        match chars.next() {
            Some('%') if spec == "%" => literal.push_str("%%"),
            Some(letter) => {
                spec.push(letter);
                // jiff knows no `O`: the alone form of a name is ours.
                let passed = if spec.contains('O') && !spec.ends_with('B') {
                    spec.replace('O', "")
                } else {
                    spec
                };
                out.push((passed, std::mem::take(&mut literal)));
            }
            None => {
                literal.push_str(&spec);
            }
        }
    }
    out.push((String::new(), literal));
    out
}

/// A value a template gives the `date` filter: a day (with time and zone
/// when known), a month or a year.
pub enum Dated {
    Day(Date),
    Partial(PartialDate),
}

impl Dated {
    /// Reads the date shapes templates see: a `DateView` map (its
    /// `datetime` for a day, its `iso` for a month or year), text such as
    /// `2024-11-06`, `2024-11-06T10:00:00+02:00`, `2024-11` or `2024`, and
    /// a number, read as a Unix timestamp (UTC), as Tera's own filter did.
    pub fn read(value: &tera::Value) -> Result<Dated, String> {
        if let Some(map) = value.as_map() {
            let field = |key: &str| {
                map.get(&tera::value::Key::Str(key))
                    .and_then(|v| v.as_str().map(str::to_string))
            };
            let day = map
                .get(&tera::value::Key::Str("day"))
                .is_some_and(|d| !d.is_none());
            let text = if day { field("datetime") } else { field("iso") };
            return match text {
                Some(text) => Dated::read_text(&text),
                None => Err(
                    "expects a date (such as `briefing.date`) or text such as 2024-11-06".into(),
                ),
            };
        }
        if let Some(text) = value.as_str() {
            return Dated::read_text(text);
        }
        if let Some(seconds) = value.as_i64() {
            let timestamp = jiff::Timestamp::from_second(seconds).map_err(|e| e.to_string())?;
            let utc = timestamp.to_zoned_datetime(jiff::tz::TimeZone::UTC);
            return Ok(Dated::Day(Date {
                day: utc.date(),
                time: Some(utc.time()),
                offset: Some(0),
            }));
        }
        Err(format!(
            "expects a date, not {}: give it a date (such as `briefing.date`), text such as 2024-11-06, or a Unix timestamp",
            value.name()
        ))
    }

    fn read_text(text: &str) -> Result<Dated, String> {
        let partial = PartialDate::parse(text)?;
        if partial.day.is_none() {
            return Ok(Dated::Partial(partial));
        }
        Date::parse(text).map(Dated::Day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn names_come_from_the_locale_and_the_rest_from_jiff() {
        let fr = Locale::builtin("fr");
        let f = Format::compile("%A %-d %B %Y, %H:%M %z (%b, %a) 100%%");
        assert_eq!(
            f.day(&fr, &day("2024-11-06 09:05 +0100")).unwrap(),
            "mercredi 6 novembre 2024, 09:05 +0100 (nov., mer.) 100%"
        );
        let en = Locale::builtin("en");
        assert_eq!(
            Format::compile("%^B %d, %Y")
                .day(&en, &day("2024-03-01"))
                .unwrap(),
            "MARCH 01, 2024"
        );
        assert!(Format::compile("%Q").day(&en, &day("2024-03-01")).is_err());
    }

    #[test]
    fn russian_and_ukrainian_months_are_genitive_in_a_full_date() {
        let ru = Locale::builtin("ru");
        let date = day("2024-11-06");
        assert_eq!(
            Format::compile("%-d %B %Y").day(&ru, &date).unwrap(),
            "6 ноября 2024"
        );
        assert_eq!(
            Format::compile("%B %Y").day(&ru, &date).unwrap(),
            "ноябрь 2024"
        );
        assert_eq!(
            Format::compile("%-d %OB").day(&ru, &date).unwrap(),
            "6 ноябрь"
        );
        assert_eq!(Locale::builtin("he").display_day(&date), "6 בנובמבר 2024");
        let uk = Locale::builtin("uk");
        assert_eq!(uk.display_day(&date), "6 листопада 2024");
        assert_eq!(ru.display_day(&date), "6 ноября 2024");
    }

    #[test]
    fn east_asian_dates_read_year_month_day() {
        let date = day("2024-11-06");
        assert_eq!(Locale::builtin("ja").display_day(&date), "2024年11月6日");
        assert_eq!(Locale::builtin("zh").display_day(&date), "2024年11月6日");
        assert_eq!(Locale::builtin("ko").display_day(&date), "2024년 11월 6일");
        assert_eq!(
            Format::compile("%A")
                .day(&Locale::builtin("ja"), &date)
                .unwrap(),
            "水曜日"
        );
        let month = PartialDate::parse("2024-11").unwrap();
        assert_eq!(Locale::builtin("ja").display_partial(&month), "2024年11月");
    }

    #[test]
    fn the_filter_reads_every_shape_of_date() {
        assert!(matches!(
            Dated::read(&tera::Value::from("2024")),
            Ok(Dated::Partial(_))
        ));
        assert!(matches!(
            Dated::read(&tera::Value::from("2024-06")),
            Ok(Dated::Partial(_))
        ));
        match Dated::read(&tera::Value::from("2024-06-19T10:30:00+02:00")) {
            Ok(Dated::Day(d)) => assert_eq!(d.offset, Some(7200)),
            _ => panic!("a full date"),
        }
        match Dated::read(&tera::Value::from(0i64)) {
            Ok(Dated::Day(d)) => assert_eq!(d.iso(), "1970-01-01"),
            _ => panic!("a timestamp"),
        }
        assert!(Dated::read(&tera::Value::from("soon")).is_err());
    }
}
