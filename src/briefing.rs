//! `Briefing` and standalone `Page`: front matter checked and completed
//! (required keys, slug, date from the file name, summary), with the body
//! rendered to HTML. After `load` the rest of the build trusts these types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::date::{Date, PartialDate};
use crate::diagnostic::Diagnostic;
use crate::front_matter::{self, FrontMatter};
use crate::hash::hash_of;
use crate::markdown;
use crate::url::{expand_permalink, slugify};

/// The folder under `content/` whose Markdown files are standalone pages.
pub const PAGES_DIR: &str = "pages";

#[derive(Debug, Clone)]
pub struct Briefing {
    /// The Markdown file, relative to `content/`.
    pub source_path: PathBuf,
    pub title: String,
    pub slug: String,
    /// The site path, e.g. `/briefings/kazan/` (without the base URL).
    pub path: String,
    pub date: Date,
    pub updated: Option<Date>,
    /// Plain text: front matter `summary`, else the first paragraph.
    pub summary: String,
    /// Tags as written with their slugs, one per slug; `site.rs` merges
    /// them across briefings.
    pub tags: Vec<TagName>,
    pub authors: Vec<String>,
    pub draft: bool,
    pub events: Vec<Event>,
    pub sources: Vec<Source>,
    pub extra: BTreeMap<String, serde_yaml::Value>,
    /// The body's HTML is not kept: `render.rs` makes it when a page needs
    /// it, so a 100,000-briefing site fits in memory.
    pub word_count: usize,
    /// Heading ids, for checking links to `this.md#heading`.
    pub anchors: Vec<String>,
    /// The body's links to other source files, as written: its page also
    /// depends on where they lead.
    pub links: Vec<String>,
    /// Liquid tags and shortcodes in the body left as text.
    pub unsupported: usize,
    /// Front-matter warnings (a key written twice).
    pub warnings: Vec<Diagnostic>,
    /// Old site paths that redirect here (Hugo's `aliases`, Jekyll's
    /// `redirect_from`).
    pub aliases: Vec<String>,
    pub reading_time: usize,
    /// A hash of the file's path and text: it stands for the rendered body
    /// in page fingerprints (see `view.rs`).
    pub source_hash: u64,
    /// A hash of everything the site model (`site.rs`, `timeline.rs`,
    /// `pages.rs`) reads: order, URL, tags, timeline entries, aliases. When
    /// it is equal before and after an edit, the model is kept and only the
    /// pages showing the briefing are looked at (see `engine.rs`).
    pub model_hash: u64,
}

impl Briefing {
    /// Fills `model_hash` from the fields the site model and the pages
    /// that do not show the briefing's summary read.
    fn with_model_hash(mut self) -> Briefing {
        let b = &self;
        self.model_hash = hash_of((
            (&b.source_path, &b.path, &b.slug, &b.title),
            (&b.date, &b.updated, &b.events, &b.tags),
            (b.draft, &b.aliases),
        ));
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagName {
    pub name: String,
    pub slug: String,
}

/// A dated event a briefing describes, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// A standalone page from `content/pages/`.
#[derive(Debug, Clone)]
pub struct Page {
    pub source_path: PathBuf,
    pub title: String,
    pub slug: String,
    pub path: String,
    pub weight: i64,
    pub draft: bool,
    pub extra: BTreeMap<String, serde_yaml::Value>,
    /// The Markdown body and the file line it starts on: rendered when the
    /// page is written, with its links resolved.
    pub body: String,
    pub body_line: usize,
    pub anchors: Vec<String>,
    pub links: Vec<String>,
    pub source_hash: u64,
    /// What the site model reads of a page: where it is and how the
    /// navigation lists it.
    pub model_hash: u64,
}

#[derive(Debug, Clone)]
pub enum Document {
    Briefing(Arc<Briefing>),
    Page(Arc<Page>),
}

/// Reads one Markdown file. `display_path` is how errors name it
/// (`content/briefings/x.md`); `relative` is its path under `content/`.
pub fn load(
    display_path: &Path,
    relative: &Path,
    text: &str,
    config: &Config,
) -> Result<Document, Vec<Diagnostic>> {
    let source_hash = hash_of((relative, text));
    let split = front_matter::split(display_path, text).map_err(|d| vec![d])?;
    let matter = if split.toml {
        front_matter::parse_toml(display_path, split.yaml, &config.tags_from)
    } else {
        front_matter::parse(display_path, split.yaml, &config.tags_from)
    }
    .map_err(|d| vec![d])?;
    let is_page = relative
        .components()
        .next()
        .is_some_and(|c| c.as_os_str() == PAGES_DIR)
        && relative.components().count() > 1;
    let file_slug = file_slug(relative);
    let slug = match &matter.slug {
        Some(s) if !slugify(&s.0).is_empty() => slugify(&s.0),
        _ => file_slug.1.clone(),
    };
    let mut errors = Vec::new();
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
    if is_page {
        if !errors.is_empty() {
            return Err(errors);
        }
        let scan = markdown::scan(&crate::shortcodes::translate(split.body, &config.base_url).text);
        let title = title.unwrap_or_default();
        let path = format!("/{slug}/");
        let (weight, draft) = (matter.weight.unwrap_or(0), matter.draft.unwrap_or(false));
        return Ok(Document::Page(Arc::new(Page {
            source_path: relative.to_path_buf(),
            model_hash: hash_of((relative, &title, &path, weight, draft)),
            title,
            path,
            slug,
            weight,
            draft,
            extra: matter.extra,
            body: split.body.to_string(),
            body_line: split.body_line,
            anchors: scan.anchors,
            links: scan.links,
            source_hash,
        })));
    }
    let date = matter.date.or(file_slug.0);
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
    let body = crate::shortcodes::translate(split.body, &config.base_url);
    let scan = markdown::scan(&body.text);
    let word_count = scan.word_count;
    // Jekyll's `excerpt`, Hugo's `description` and a `deck` serve when
    // `summary` is absent or empty; then a `<!-- more -->` break or the
    // first paragraph.
    let written = [&matter.summary]
        .into_iter()
        .flatten()
        .map(|s| s.0.clone())
        .chain(["description", "excerpt", "deck"].iter().filter_map(|key| {
            match matter.extra.get(*key) {
                Some(serde_yaml::Value::String(s)) => Some(s.clone()),
                _ => None,
            }
        }))
        .find(|s| !s.trim().is_empty());
    let summary = decode_entities(written.as_deref().unwrap_or(&scan.first_paragraph));
    let title = decode_entities(&title);
    let aliases = redirect_paths(&matter.extra);
    let warnings = matter.warnings.clone();
    // Jekyll's `published: false` means a draft.
    let unpublished = matches!(
        matter.extra.get("published"),
        Some(serde_yaml::Value::Bool(false))
    );
    let FrontMatter {
        authors,
        author,
        sources,
        tags,
        extra,
        updated,
        draft,
        ..
    } = matter;
    let mut authors: Vec<String> = authors.map(|a| a.0).unwrap_or_default();
    authors.extend(author.map(|a| a.0).unwrap_or_default());
    Ok(Document::Briefing(Arc::new(
        Briefing {
            source_path: relative.to_path_buf(),
            path: expand_permalink(&config.permalink, &slug, &date),
            title,
            slug,
            date,
            updated,
            summary,
            tags: tag_names(tags),
            authors,
            draft: draft.unwrap_or(false) || unpublished,
            events,
            sources: sources
                .into_iter()
                .map(|s| Source {
                    title: s.title.0,
                    url: s.url.0,
                })
                .collect(),
            extra,
            reading_time: markdown::reading_time(word_count),
            word_count,
            anchors: scan.anchors,
            links: scan.links,
            unsupported: body.unsupported,
            warnings,
            aliases,
            source_hash,
            model_hash: 0,
        }
        .with_model_hash(),
    )))
}

/// The site paths of `aliases` and `redirect_from` (a list or one string):
/// `/old/post` and `old/post` both become `/old/post/`; a path with a file
/// extension (`/old.html`) is kept as it is.
fn redirect_paths(extra: &BTreeMap<String, serde_yaml::Value>) -> Vec<String> {
    let mut paths = Vec::new();
    for key in ["aliases", "redirect_from"] {
        let values: Vec<&str> = match extra.get(key) {
            Some(serde_yaml::Value::String(s)) => vec![s.as_str()],
            Some(serde_yaml::Value::Sequence(items)) => {
                items.iter().filter_map(|v| v.as_str()).collect()
            }
            _ => Vec::new(),
        };
        for value in values {
            let trimmed = value.trim().trim_start_matches('/');
            if trimmed.is_empty() || trimmed.contains("..") || trimmed.contains("://") {
                continue;
            }
            let has_extension = Path::new(trimmed).extension().is_some();
            let path = if has_extension || trimmed.ends_with('/') {
                format!("/{trimmed}")
            } else {
                format!("/{trimmed}/")
            };
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths
}

/// Titles and summaries moved in from other tools may hold HTML entities
/// (`EPA&#8217;s`); they are stored as the characters, so the templates'
/// escaping never shows `&amp;#8217;`.
fn decode_entities(text: &str) -> String {
    html_escape::decode_html_entities(text.trim()).into_owned()
}

/// Slugs each tag once; the first spelling of a slug wins in one briefing.
fn tag_names(tags: Vec<String>) -> Vec<TagName> {
    let mut names: Vec<TagName> = Vec::with_capacity(tags.len());
    for name in tags {
        let slug = slugify(&name);
        if !slug.is_empty() && !names.iter().any(|t| t.slug == slug) {
            names.push(TagName { name, slug });
        }
    }
    names
}

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
