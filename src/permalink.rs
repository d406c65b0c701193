//! Permalink patterns: site.yaml's `permalink` (and a page's own Jekyll
//! `permalink:` when it holds placeholders) parsed once into a `Permalink`,
//! then filled for each briefing. The placeholders are Jekyll's (`:year`,
//! `:title`, `:categories`, `:output_ext`…) plus briefly's `:slug`; Jekyll's
//! named styles (`pretty`, `date`, `ordinal`, `none`) stand for their
//! patterns. Turning the result into a site path (folder or file) is
//! `url::site_path`'s job.

use std::fmt;

use crate::date::{Date, month_name};
use crate::url::{site_path, slugify};

/// One placeholder of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Year,
    ShortYear,
    Month,
    IMonth,
    ShortMonth,
    LongMonth,
    Day,
    IDay,
    YDay,
    Hour,
    Minute,
    Second,
    Slug,
    Title,
    Categories,
    OutputExt,
    Section,
    Sections,
}

/// Every placeholder by the name written after `:`, longest names first
/// where one begins another (`:i_month` is not `:i` + `_month`).
const FIELDS: [(&str, Field); 18] = [
    ("year", Field::Year),
    ("short_year", Field::ShortYear),
    ("month", Field::Month),
    ("i_month", Field::IMonth),
    ("short_month", Field::ShortMonth),
    ("long_month", Field::LongMonth),
    ("day", Field::Day),
    ("i_day", Field::IDay),
    ("y_day", Field::YDay),
    ("hour", Field::Hour),
    ("minute", Field::Minute),
    ("second", Field::Second),
    ("slug", Field::Slug),
    ("title", Field::Title),
    ("categories", Field::Categories),
    ("output_ext", Field::OutputExt),
    ("sections", Field::Sections),
    ("section", Field::Section),
];

/// Jekyll's named permalink styles.
const STYLES: [(&str, &str); 4] = [
    ("pretty", "/:categories/:year/:month/:day/:title/"),
    ("date", "/:categories/:year/:month/:day/:title:output_ext"),
    ("ordinal", "/:categories/:year/:y_day/:title:output_ext"),
    ("none", "/:categories/:title:output_ext"),
];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Text(String),
    Field(Field),
}

/// A parsed permalink pattern, e.g. `/:year/:month/:day/:title.html`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Permalink {
    /// As written (a style name is kept as its pattern).
    pattern: String,
    parts: Vec<Part>,
}

/// What a pattern is filled with for one briefing.
pub struct Fields<'a> {
    pub slug: &'a str,
    /// Jekyll's `:title`: the file name's words as written (`url::title_slug`).
    pub title: &'a str,
    pub date: &'a Date,
    /// Jekyll categories as written; each is slugged.
    pub categories: &'a [String],
    /// Hugo's sections: the folders from `content/` to the file (a
    /// bundle's own folder left out), as written; each is slugged.
    pub sections: &'a [String],
}

impl Permalink {
    /// Parses a pattern or a Jekyll style name. The error names the
    /// placeholder briefly does not know.
    pub fn parse(text: &str) -> Result<Permalink, String> {
        let text = text.trim();
        let pattern = STYLES
            .iter()
            .find(|(name, _)| *name == text)
            .map_or(text, |(_, pattern)| pattern);
        // Hugo writes its patterns without the leading `/`
        // (`permalinks: {news: ":year/:month/:day/:slug/"}`): from the root.
        let rooted;
        let pattern = if pattern.starts_with('/') {
            pattern
        } else {
            rooted = format!("/{pattern}");
            rooted.as_str()
        };
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(at) = rest.find(':') {
            push_text(&mut parts, &rest[..at]);
            let after = &rest[at + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..name_len];
            if name.is_empty() {
                push_text(&mut parts, ":");
            } else {
                let field = field(name).ok_or_else(|| {
                    let known: Vec<String> = FIELDS.iter().map(|(n, _)| format!(":{n}")).collect();
                    format!(
                        "uses `:{name}`, which briefly does not know: use {}",
                        known.join(", ")
                    )
                })?;
                if let Some(Part::Text(before)) = parts.last()
                    && let Some(open) = open_escape(before)
                {
                    return Err(format!(
                        "puts `{open}` right before `:{name}`, which would make a percent-escape of each briefing's words (`%2e` is `.`): write `%25` for a `%`"
                    ));
                }
                parts.push(Part::Field(field));
            }
            rest = &after[name_len..];
        }
        push_text(&mut parts, rest);
        Ok(Permalink {
            pattern: pattern.to_string(),
            parts,
        })
    }

    /// Whether the pattern names the briefing (`:slug` or `:title`), so two
    /// briefings get two URLs.
    pub fn names_each_briefing(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Field(Field::Slug | Field::Title)))
    }

    /// Whether the pattern has any placeholder at all.
    pub fn has_fields(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Field(_)))
    }

    /// The site path for one briefing: the pattern filled in, then made a
    /// folder or file path (`url::site_path`). Empty categories leave no
    /// empty segment.
    pub fn expand(&self, fields: &Fields) -> Result<String, &'static str> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => text.push_str(t),
                Part::Field(f) => text.push_str(&fill(*f, fields)),
            }
        }
        // Empty categories leave `//`, which `site_path` would take for a
        // protocol-relative URL.
        while text.contains("//") {
            text = text.replace("//", "/");
        }
        site_path(&text)
    }
}

impl fmt::Display for Permalink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

/// Read from `site.yaml` as a string, parsed on the spot so that a bad one
/// is reported at its line.
impl<'de> serde::Deserialize<'de> for Permalink {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Permalink, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Permalink;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a pattern such as \"/briefings/:slug/\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Permalink, E> {
                Permalink::parse(text).map_err(|e| E::custom(format!("`{text}` {e}")))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

fn push_text(parts: &mut Vec<Part>, text: &str) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(Part::Text(t)) => t.push_str(text),
        _ => parts.push(Part::Text(text.to_string())),
    }
}

/// The start of a percent-escape that a text ends with (`%` or `%2`): the
/// placeholder after it would complete it, and `url::site_path` decodes it,
/// so `/.%:slug/` gave `/../` for the slug `2e` (issue 11, fuzzing).
fn open_escape(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    match bytes {
        [.., b'%'] => Some(&text[text.len() - 1..]),
        [.., b'%', hex] if hex.is_ascii_hexdigit() => Some(&text[text.len() - 2..]),
        _ => None,
    }
}

fn field(name: &str) -> Option<Field> {
    FIELDS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// One placeholder's text for one briefing.
fn fill(field: Field, fields: &Fields) -> String {
    let day = fields.date.day;
    let time = fields.date.time.unwrap_or(jiff::civil::Time::midnight());
    match field {
        Field::Year => format!("{:04}", day.year()),
        Field::ShortYear => format!("{:02}", day.year().rem_euclid(100)),
        Field::Month => format!("{:02}", day.month()),
        Field::IMonth => day.month().to_string(),
        Field::ShortMonth => month_name(day.month())[..3].to_string(),
        Field::LongMonth => month_name(day.month()).to_string(),
        Field::Day => format!("{:02}", day.day()),
        Field::IDay => day.day().to_string(),
        Field::YDay => format!("{:03}", day.day_of_year()),
        Field::Hour => format!("{:02}", time.hour()),
        Field::Minute => format!("{:02}", time.minute()),
        Field::Second => format!("{:02}", time.second()),
        Field::Slug => fields.slug.to_string(),
        Field::Title => fields.title.to_string(),
        Field::Categories => {
            let mut slugs: Vec<String> = Vec::new();
            for slug in fields.categories.iter().map(|c| slugify(c)) {
                if !slug.is_empty() && !slugs.contains(&slug) {
                    slugs.push(slug);
                }
            }
            slugs.join("/")
        }
        Field::Sections => fields
            .sections
            .iter()
            .map(|s| slugify(s))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("/"),
        Field::Section => fields
            .sections
            .iter()
            .map(|s| slugify(s))
            .find(|s| !s.is_empty())
            .unwrap_or_default(),
        Field::OutputExt => ".html".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(pattern: &str, date: &str, categories: &[&str]) -> String {
        let categories: Vec<String> = categories.iter().map(|c| c.to_string()).collect();
        Permalink::parse(pattern)
            .unwrap()
            .expand(&Fields {
                slug: "treaty",
                title: "treaty",
                date: &Date::parse(date).unwrap(),
                categories: &categories,
                sections: &["Blog".to_string(), "2022".to_string()],
            })
            .unwrap()
    }

    /// Issue 10, item 11: Jekyll's placeholders and patterns ending in `.html`.
    #[test]
    fn jekyll_placeholders() {
        let day = "2024-06-09 07:05:03";
        assert_eq!(
            expand("/:year/:month/:day/:slug/", day, &[]),
            "/2024/06/09/treaty/"
        );
        assert_eq!(
            expand("/:year/:month/:day/:title.html", day, &[]),
            "/2024/06/09/treaty.html"
        );
        assert_eq!(
            expand(
                "/:categories/:title:output_ext",
                day,
                &["News", "World Affairs"]
            ),
            "/news/world-affairs/treaty.html"
        );
        assert_eq!(
            expand("/:categories/:title/", day, &[]),
            "/treaty/",
            "no categories leave no empty segment"
        );
        assert_eq!(
            expand("/:short_year/:i_month/:i_day/:title/", day, &[]),
            "/24/6/9/treaty/"
        );
        assert_eq!(
            expand("/:year/:y_day/:hour:minute:second-:title/", day, &[]),
            "/2024/161/070503-treaty/"
        );
        assert_eq!(
            expand("/:short_month/:long_month/:title/", day, &[]),
            "/Jun/June/treaty/"
        );
        assert_eq!(
            expand("pretty", "2024-06-09", &["Policy"]),
            "/policy/2024/06/09/treaty/"
        );
        assert_eq!(expand("none", "2024-06-09", &[]), "/treaty.html");
        // `:title` is the file name as written, `:slug` its slug.
        let both = Permalink::parse("/:title/:slug/").unwrap().expand(&Fields {
            slug: "eslint-v8-32-0-released",
            title: "eslint-v8.32.0-released",
            date: &Date::parse(day).unwrap(),
            categories: &[],
            sections: &[],
        });
        assert_eq!(
            both.unwrap(),
            "/eslint-v8.32.0-released/eslint-v8-32-0-released/"
        );
    }

    /// Hugo's `:sections` and `:section`: the file's folders under
    /// `content/`, slugged.
    #[test]
    fn hugo_sections() {
        let day = "2022-03-01";
        assert_eq!(expand("/:sections/:slug/", day, &[]), "/blog/2022/treaty/");
        assert_eq!(
            expand("/:section/:year/:slug/", day, &[]),
            "/blog/2022/treaty/"
        );
        let top = Permalink::parse("/:sections/:slug/")
            .unwrap()
            .expand(&Fields {
                slug: "x",
                title: "x",
                date: &Date::parse(day).unwrap(),
                categories: &[],
                sections: &[],
            });
        assert_eq!(top.unwrap(), "/x/", "no sections leave no empty segment");
        use crate::moved_in::sections;
        use std::path::Path;
        assert_eq!(sections(Path::new("blog/2022/x.md")), ["blog", "2022"]);
        assert_eq!(
            sections(Path::new("blog/2022/x/index.md")),
            ["blog", "2022"]
        );
        assert!(sections(Path::new("x.md")).is_empty());
    }

    #[test]
    fn unknown_placeholders_are_named() {
        let err = Permalink::parse("/:year/:slug/:week/").unwrap_err();
        assert!(
            err.starts_with("uses `:week`, which briefly does not know: use :year, "),
            "{err}"
        );
        let p = Permalink::parse("/a:/:slug/").unwrap();
        assert!(p.names_each_briefing() && p.has_fields());
        assert!(!Permalink::parse("/about/").unwrap().has_fields());
    }
}
