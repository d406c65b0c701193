//! Reading one content file: the front matter split from the body and
//! parsed (YAML, or TOML between `+++` lines), the slug from the file name
//! when the front matter gives none, what it leaves out found where other
//! generators keep it (`moved_in.rs`: the date, the title, its own URL),
//! and the title, slug, date and events checked, with their errors
//! reported together. What passes
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
use crate::moved_in;
use crate::permalink::Fields;
use crate::standalone::{self, Page};
use crate::url::{bounded, slugify, title_slug};

/// What `load` makes of a content file.
#[derive(Debug, Clone)]
pub enum Document {
    Briefing(Arc<Briefing>),
    Page(Arc<Page>),
}

/// Reads one Markdown file. `display_path` is how errors name it
/// (`content/briefings/x.md`); `relative` is its path under `content/`.
/// A missing date or slug and broken events are reported together.
pub fn load(
    display_path: &Path,
    relative: &Path,
    text: &str,
    config: &Config,
) -> Result<Document, Vec<Diagnostic>> {
    let split = front_matter::split(display_path, text).map_err(|d| vec![d])?;
    let mut matter = parse_front_matter(display_path, &split, config).map_err(|d| vec![d])?;
    let (file_date, name) = file_name(relative);
    let slug = match &matter.slug {
        Some(s) if !slugify(&s.0).is_empty() => slugify(&s.0),
        _ => slugify(&name),
    };
    // Jekyll's `:title`: the front matter's slug or the file name, as written.
    let title_slug = [matter.slug.as_ref().map(|s| s.0.as_str()), Some(&name)]
        .into_iter()
        .flatten()
        .map(title_slug)
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| slug.clone());
    let slug = bounded(slug);
    let mut errors = Vec::new();
    let title = check_title(display_path, &split, &mut matter, &name, &mut errors);
    if slug.is_empty() {
        errors.push(Diagnostic::new(
            display_path,
            "cannot make a URL slug from this file name: add `slug: some-words` to the front matter",
        ));
    }
    let mut file = Read {
        display_path,
        relative,
        own_path: moved_in::own_path(&matter).map(|(key, value)| (key, value.to_string())),
        template: moved_in::template(&matter),
        source_hash: hash_of((relative, crate::hash::hash_text(text))),
        split,
        matter,
        slug,
        title_slug,
        errors,
    };
    if standalone::is_page(relative) {
        let Some(title) = title.filter(|_| file.errors.is_empty()) else {
            return Err(file.errors);
        };
        let default = format!("/{}/", file.slug);
        let path = file.path(None, default);
        let page = Page::new(file.head(title, path), &config.base_url, &config.extra);
        return Ok(Document::Page(Arc::new(page)));
    }
    briefing(file, title, file_date, config)
}

/// A content file read as far as briefings and pages share.
struct Read<'a> {
    display_path: &'a Path,
    relative: &'a Path,
    split: front_matter::Split<'a>,
    matter: FrontMatter,
    slug: String,
    /// Jekyll's `:title` (`url::title_slug`).
    title_slug: String,
    /// The page's own URL as written, with its key.
    own_path: Option<(&'static str, String)>,
    template: Option<String>,
    source_hash: u64,
    errors: Vec<Diagnostic>,
}

impl<'a> Read<'a> {
    /// The page's site path: its own `permalink`/`url`/`path` (Jekyll
    /// placeholders filled when `fields` are given), else `default`. One
    /// that cannot be a path of this site is ignored with a warning.
    fn path(&mut self, fields: Option<&Fields>, default: String) -> String {
        let Some((key, written)) = &self.own_path else {
            return default;
        };
        moved_in::own_site_path(written, fields).unwrap_or_else(|why| {
            let line = front_matter::key_line(&self.split, key).unwrap_or(1);
            self.matter.warnings.push(
                Diagnostic::new(
                    self.display_path,
                    format!(
                        "`{key}: {}` is not used ({why}): the page is at {default}",
                        crate::briefing::shown_as_text(written)
                    ),
                )
                .at(line, None),
            );
            default
        })
    }

    /// What a briefing and a page are both made from.
    fn head(self, title: String, path: String) -> Head<'a> {
        Head {
            relative: self.relative,
            matter: self.matter,
            title,
            slug: self.slug,
            path,
            template: self.template,
            split: self.split,
            source_hash: self.source_hash,
        }
    }
}

/// Completes a briefing: its date (`moved_in::date`), events and path.
fn briefing(
    mut file: Read,
    title: Option<String>,
    file_date: Option<Date>,
    config: &Config,
) -> Result<Document, Vec<Diagnostic>> {
    let written = file.own_path.as_ref().map(|(_, value)| value.as_str());
    let date = moved_in::date(&file.matter, file_date, written, file.relative);
    if date.is_none() {
        file.errors
            .push(missing_date(file.display_path, &file.split));
    }
    let events = check_events(
        file.display_path,
        &file.split,
        &file.matter,
        &mut file.errors,
    );
    let (Some(title), Some(date), true) = (title, date, file.errors.is_empty()) else {
        return Err(file.errors);
    };
    let mut categories = moved_in::folder_categories(file.relative);
    categories.extend(file.matter.categories.iter().cloned());
    let (slug, title_slug) = (file.slug.clone(), file.title_slug.clone());
    let sections = moved_in::sections(file.relative);
    let fields = Fields {
        slug: &slug,
        title: &title_slug,
        date: &date,
        categories: &categories,
        sections: &sections,
    };
    let default = config
        .permalink
        .expand(&fields)
        .expect("site.yaml's permalink is checked to make a path");
    let path = file.path(Some(&fields), default);
    let briefing = Briefing::new(file.head(title, path), date, events, config)?;
    Ok(Document::Briefing(Arc::new(briefing)))
}

/// The front matter as YAML or, between `+++` lines, as TOML.
fn parse_front_matter(
    display_path: &Path,
    split: &front_matter::Split,
    config: &Config,
) -> Result<FrontMatter, Diagnostic> {
    if split.toml {
        front_matter::parse_toml(display_path, split.yaml, &config.term_keys)
    } else {
        front_matter::parse(display_path, split.yaml, &config.term_keys)
    }
}

/// The trimmed title; without one, or with one that is blank (`""`, spaces,
/// `&nbsp;`: the page would have an empty `<title>`), a title made from the
/// file name (as Jekyll does) and a warning at the `title` line or the
/// front matter's first, in the file's own syntax. An error only when the
/// name gives no words either.
fn check_title(
    display_path: &Path,
    split: &front_matter::Split,
    matter: &mut FrontMatter,
    name: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let written = matter.title.as_ref().map(|t| t.0.trim().to_string());
    let blank = written.is_some();
    if let Some(title) = written.filter(|t| !html_escape::decode_html_entities(t).trim().is_empty())
    {
        return Some(title);
    }
    let title = moved_in::title_from_name(name);
    let line = blank
        .then(|| front_matter::key_line(split, "title"))
        .flatten()
        .unwrap_or_else(|| opening_line(split.yaml));
    if title.is_empty() {
        let example = in_syntax(split, "title", "\"What happened\"");
        errors.push(
            Diagnostic::new(
                display_path,
                if blank {
                    format!("blank `title`: write one, such as `{example}`")
                } else {
                    format!("missing `title`: add a line such as `{example}` to the front matter")
                },
            )
            .at(line, Some(1)),
        );
        return None;
    }
    let quoted = format!("\"{}\"", title.replace('"', "\\\""));
    let what = if blank { "blank `title`" } else { "no `title`" };
    matter.warnings.push(
        Diagnostic::new(
            display_path,
            format!(
                "{what}: the page is titled {quoted}, made from the file name as Jekyll does; add `{}` to the front matter to choose one",
                in_syntax(split, "title", &quoted)
            ),
        )
        .at(line, Some(1)),
    );
    Some(title)
}

/// `key: value` for YAML front matter, `key = value` for TOML.
fn in_syntax(split: &front_matter::Split, key: &str, value: &str) -> String {
    if split.toml {
        format!("{key} = {value}")
    } else {
        format!("{key}: {value}")
    }
}

/// The line of the front matter's opening `---` or `+++`.
fn opening_line(front_matter: &str) -> usize {
    front_matter
        .lines()
        .take_while(|l| l.trim().is_empty())
        .count()
        + 1
}

fn missing_date(display_path: &Path, split: &front_matter::Split) -> Diagnostic {
    Diagnostic::new(
        display_path,
        format!(
            "missing `date`: add a line such as `{}` to the front matter, or start the file name with the date (2024-10-25-name.md)",
            in_syntax(split, "date", "2024-10-25")
        ),
    )
    .at(opening_line(split.yaml), Some(1))
}

/// The events as `Event`s, in date order, with an error for each empty
/// title and each range that ends before it starts.
fn check_events(
    path: &Path,
    split: &front_matter::Split,
    matter: &FrontMatter,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Event> {
    // Found only for an error: it reads the YAML's structure again.
    let line = || front_matter::key_line(split, "events").unwrap_or(1);
    let mut events = Vec::new();
    for (i, e) in matter.events.iter().enumerate() {
        if e.title.0.trim().is_empty() {
            errors.push(
                Diagnostic::new(path, format!("events[{i}]: the event has an empty `title`"))
                    .at(line(), None),
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
                .at(line(), None),
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

/// The date from a `YYYY-MM-DD-` file-name prefix and the rest of the
/// name, which gives the slug and, when missing, the title (`index.md`
/// takes its folder's name, as in Hugo bundles).
fn file_name(relative: &Path) -> (Option<Date>, String) {
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
        return (Some(date), name[11..].to_string());
    }
    (None, name)
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

    /// Issue 10, items 5 and 6: a title from the file name with a warning;
    /// a missing date is an error whose hint speaks the file's syntax.
    #[test]
    fn a_missing_title_is_made_from_the_file_name() {
        let b = briefing(
            "2018-09-24-example-post.md",
            "\n---\nsummary: S\n---\nBody\n",
        )
        .unwrap();
        assert_eq!(b.title, "Example Post");
        let warnings: Vec<String> = b.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "content/briefings/2018-09-24-example-post.md:2:1: no `title`: the page is titled \"Example Post\", made from the file name as Jekyll does; add `title: \"Example Post\"` to the front matter to choose one"
            ]
        );
        let errors = briefing("x.md", "+++\nsummary = \"S\"\n+++\nBody\n").unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "content/briefings/x.md:1:1: missing `date`: add a line such as `date = 2024-10-25` to the front matter, or start the file name with the date (2024-10-25-name.md)"
            ]
        );
    }

    /// Issue 10, item 5: a Zola post dated only by its `path`.
    #[test]
    fn a_date_from_the_own_path() {
        let b = briefing("x.md", "+++\ntitle = \"T\"\npath = \"2014/12/12/x\"\n+++\n").unwrap();
        assert_eq!(b.date.iso(), "2014-12-12");
        assert_eq!(b.path, "/2014/12/12/x/");
    }

    /// Issue 10, item 2: a page's own URL wins over the site's pattern, and
    /// an alias of its own URL is dropped without a word.
    #[test]
    fn own_urls_and_aliases() {
        let b = briefing(
            "2019-05-01-x.md",
            "---\ntitle: T\npermalink: /2019/05/01/old-x.html\nredirect_from: [/2019/05/01/old-x.html, /x]\n---\n",
        )
        .unwrap();
        assert_eq!(b.path, "/2019/05/01/old-x.html");
        assert_eq!(b.aliases, ["/x/"]);
        assert!(b.warnings.is_empty());
        let b = briefing(
            "2019-05-01-x.md",
            "---\ntitle: T\npermalink: /blog/:year/:title/\n---\n",
        )
        .unwrap();
        assert_eq!(
            b.path, "/blog/2019/x/",
            "Jekyll placeholders in a post's own permalink"
        );
        let b = briefing(
            "2019-05-01-x.md",
            "---\ntitle: T\nurl: ../../etc/\naliases: [\"/?p=12\"]\n---\n",
        )
        .unwrap();
        assert_eq!(b.path, "/briefings/x/");
        let warnings: Vec<String> = b.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "content/briefings/2019-05-01-x.md:3: `url: ../../etc/` is not used (`..` would leave the output folder): the page is at /briefings/x/",
                "content/briefings/2019-05-01-x.md:4: `aliases`: `/?p=12` is not written (a static host cannot serve a query string or fragment as a file)",
            ]
        );
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
        assert_eq!(errors[0].line, Some(4));
        let errors = briefing(
            "x.md",
            "+++\ntitle = \"T\"\ndate = 2024-10-25\n\n[[events]]\ndate = 2024-10-22\nend = 2024-10-20\ntitle = \"Summit\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(
            errors[0].line,
            Some(5),
            "the `[[events]]` line: {}",
            errors[0]
        );
    }
}
