//! Reading one content file: the front matter split from the body and
//! parsed (YAML, or TOML between `+++` lines), the date and slug taken from
//! the file name when the front matter gives none, and the title, slug, date
//! and events checked, with their errors reported together. What passes
//! becomes a `Briefing` (`briefing.rs`) or, for a file under
//! `content/pages/`, a standalone `Page` (`standalone.rs`).

use std::path::Path;
use std::sync::Arc;

use crate::briefing::{Briefing, Event, Head};
use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::front_matter::{self, FrontMatter};
use crate::hash::hash_of;
use crate::standalone::{self, Page};
use crate::url::slugify;

/// What `load` makes of a content file.
#[derive(Debug, Clone)]
pub enum Document {
    Briefing(Arc<Briefing>),
    Page(Arc<Page>),
}

/// Reads one Markdown file. `display_path` is how errors name it
/// (`content/briefings/x.md`); `relative` is its path under `content/`.
/// A missing title, date or slug and broken events are reported together.
pub fn load(
    display_path: &Path,
    relative: &Path,
    text: &str,
    config: &Config,
) -> Result<Document, Vec<Diagnostic>> {
    let source_hash = hash_of((relative, text));
    let split = front_matter::split(display_path, text).map_err(|d| vec![d])?;
    let matter = parse_front_matter(display_path, &split, config).map_err(|d| vec![d])?;
    let (file_date, file_slug) = file_slug(relative);
    let slug = match &matter.slug {
        Some(s) if !slugify(&s.0).is_empty() => slugify(&s.0),
        _ => file_slug,
    };
    let mut errors = Vec::new();
    let title = check_title_and_slug(display_path, &matter, &slug, &mut errors);
    // Pages and briefings are made from the same head, built only once the
    // checks found no error.
    let head = |matter, title| Head {
        relative,
        matter,
        title,
        slug,
        body: split.body,
        body_line: split.body_line,
        source_hash,
    };
    if standalone::is_page(relative) {
        let (Some(title), true) = (title, errors.is_empty()) else {
            return Err(errors);
        };
        return Ok(Document::Page(Arc::new(Page::new(
            head(matter, title),
            &config.base_url,
        ))));
    }
    let date = matter.date.or(file_date);
    if date.is_none() {
        errors.push(
            Diagnostic::new(
                display_path,
                "missing `date`: add a line such as `date: 2024-10-25` to the front matter, or start the file name with the date (2024-10-25-name.md)",
            )
            .at(1, Some(1)),
        );
    }
    let events = check_events(display_path, split.yaml, &matter, &mut errors);
    let (Some(title), Some(date), true) = (title, date, errors.is_empty()) else {
        return Err(errors);
    };
    let briefing = Briefing::new(head(matter, title), date, events, config);
    Ok(Document::Briefing(Arc::new(briefing)))
}

/// The front matter as YAML or, between `+++` lines, as TOML.
fn parse_front_matter(
    display_path: &Path,
    split: &front_matter::Split,
    config: &Config,
) -> Result<FrontMatter, Diagnostic> {
    if split.toml {
        front_matter::parse_toml(display_path, split.yaml, &config.tags_from)
    } else {
        front_matter::parse(display_path, split.yaml, &config.tags_from)
    }
}

/// The trimmed title, with an error when it is missing or empty, and an
/// error when no slug could be made.
fn check_title_and_slug(
    display_path: &Path,
    matter: &FrontMatter,
    slug: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let title = matter.title.as_ref().map(|t| t.0.trim().to_string());
    if title.as_deref().is_none_or(str::is_empty) {
        errors.push(
            Diagnostic::new(
                display_path,
                "missing `title`: add a line such as `title: \"What happened\"` to the front matter",
            )
            .at(1, Some(1)),
        );
    }
    if slug.is_empty() {
        errors.push(Diagnostic::new(
            display_path,
            "cannot make a URL slug from this file name: add `slug: some-words` to the front matter",
        ));
    }
    title
}

/// The events as `Event`s, in date order, with an error for each empty
/// title and each range that ends before it starts.
fn check_events(
    path: &Path,
    yaml: &str,
    matter: &FrontMatter,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Event> {
    let line = yaml
        .lines()
        .position(|l| l.starts_with("events:"))
        .map_or(1, |i| i + 1);
    let mut events = Vec::new();
    for (i, e) in matter.events.iter().enumerate() {
        if e.title.0.trim().is_empty() {
            errors.push(
                Diagnostic::new(path, format!("events[{i}]: the event has an empty `title`"))
                    .at(line, None),
            );
        }
        if let Some(end) = e.end
            && end < e.date
        {
            errors.push(
                Diagnostic::new(
                    path,
                    format!(
                        "events[{i}]: `end` ({}) is before `date` ({}): swap them",
                        end.iso(),
                        e.date.iso()
                    ),
                )
                .at(line, None),
            );
        }
        events.push(Event {
            date: e.date,
            end: e.end,
            title: e.title.0.trim().to_string(),
        });
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    events
}

/// The date from a `YYYY-MM-DD-` file-name prefix and the slug from the
/// rest of the name (`index.md` takes its folder's name, as in Hugo bundles).
fn file_slug(relative: &Path) -> (Option<Date>, String) {
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = if stem == "index" {
        relative
            .parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or(stem)
    } else {
        stem
    };
    if name.len() > 11
        && name.is_char_boundary(10)
        && name.as_bytes()[10] == b'-'
        && let Ok(date) = Date::parse(&name[..10])
    {
        return (Some(date), slugify(&name[11..]));
    }
    (None, slugify(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse("title: T\nbase_url: https://example.org/\n").unwrap()
    }

    fn briefing(name: &str, text: &str) -> Result<Briefing, Vec<Diagnostic>> {
        let relative = Path::new("briefings").join(name);
        match load(
            &Path::new("content").join(&relative),
            &relative,
            text,
            &config(),
        )? {
            Document::Briefing(b) => Ok(Arc::unwrap_or_clone(b)),
            Document::Page(_) => panic!("not a briefing"),
        }
    }

    #[test]
    fn date_and_slug_from_file_name() {
        let b = briefing(
            "2024-10-25-troops-enter.md",
            "---\ntitle: T\n---\nFirst para.\n",
        )
        .unwrap();
        assert_eq!(b.date.iso(), "2024-10-25");
        assert_eq!(b.slug, "troops-enter");
        assert_eq!(b.path, "/briefings/troops-enter/");
        assert_eq!(b.summary, "First para.");
        let b = briefing(
            "2024-10-25-x.md",
            "---\ntitle: T\ndate: 2024-11-01\nslug: Own Slug\nsummary: S\n---\nBody\n",
        )
        .unwrap();
        assert_eq!(b.date.iso(), "2024-11-01");
        assert_eq!(b.slug, "own-slug");
        assert_eq!(b.summary, "S");
    }

    #[test]
    fn missing_title_and_date_are_both_reported() {
        let errors = briefing("x.md", "---\nsummary: S\n---\nBody\n").unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{text:?}");
        assert!(text[0].starts_with("content/briefings/x.md:1:1: missing `title`"));
        assert!(text[1].contains("missing `date`"));
    }

    #[test]
    fn events_are_checked_and_sorted() {
        let b = briefing(
            "x.md",
            "---\ntitle: T\ndate: 2024-10-25\nevents:\n  - date: 2024-10-22\n    end: 2024-10-24\n    title: Summit\n  - date: 2024-06\n    title: Treaty\n---\n",
        )
        .unwrap();
        assert_eq!(b.events[0].title, "Treaty");
        assert_eq!(b.events[1].end.unwrap().iso(), "2024-10-24");
        let errors = briefing(
            "x.md",
            "---\ntitle: T\ndate: 2024-10-25\nevents:\n  - date: 2024-10-22\n    end: 2024-10-20\n    title: Summit\n---\n",
        )
        .unwrap_err();
        assert!(errors[0].message.contains("before `date`"), "{}", errors[0]);
    }
}
