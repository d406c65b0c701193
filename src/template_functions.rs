//! The functions and filters templates get beyond Tera's own, named as
//! Zola names them: `get_url`, `get_page`, `now`, `load_data` (in
//! `template_data.rs`), and the filters `slugify`, `json_encode` and
//! `markdown`. Those that read the site are bound again for each build
//! (`bind`) to a `Lookup`, a snapshot of the model (its briefings and pages
//! are shared, not copied); an error they return is reported by Tera at the
//! template's file and line.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::briefing::Briefing;
use crate::date::DateView;
use crate::site::Site;
use crate::standalone::Page;
use crate::template_data::DataFiles;
use crate::templates::StaticFile;
use crate::url::BaseUrl;

/// The environment variable reproducible builds set to the time of the
/// sources (<https://reproducible-builds.org/specs/source-date-epoch/>).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// Registers every function and filter; those reading the site see an empty
/// one until `bind`.
pub fn register(tera: &mut Tera, data: Arc<DataFiles>) {
    tera.register_filter("json_encode", json_encode);
    tera.register_filter("slugify", |text: &str, _: Kwargs, _: &State| {
        crate::url::bounded(crate::url::slugify(text))
    });
    tera.register_function("load_data", move |kwargs: Kwargs, _: &State| {
        let path = kwargs.must_get::<&str>("path")?;
        let format = kwargs.get::<&str>("format")?;
        let required = kwargs.get::<bool>("required")?.unwrap_or(true);
        data.load(path, format, required).map_err(Error::message)
    });
    bind(
        tera,
        Arc::new(Lookup::default()),
        crate::markdown::Style::default(),
        Ok(jiff::Timestamp::UNIX_EPOCH),
    );
}

/// Binds the functions that read the site to this build's `lookup`;
/// `style` is how the site shows Markdown, `now` what `now()`
/// gives (or why it cannot, said where a template calls it).
pub fn bind(
    tera: &mut Tera,
    lookup: Arc<Lookup>,
    style: crate::markdown::Style,
    now: Result<jiff::Timestamp, String>,
) {
    let urls = Arc::clone(&lookup);
    tera.register_function("get_url", move |kwargs: Kwargs, _: &State| {
        urls.get_url(&kwargs)
    });
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| {
        let path = kwargs.must_get::<&str>("path")?;
        lookup.get_page(path)
    });
    tera.register_function(
        "now",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let now = now.clone().map_err(Error::message)?;
            if kwargs.get::<bool>("timestamp")?.unwrap_or(false) {
                return Ok(Value::from(now.as_second()));
            }
            Ok(Value::from(now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()))
        },
    );
    tera.register_filter(
        "markdown",
        move |text: &str, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let inline = kwargs.get::<bool>("inline")?.unwrap_or(false);
            Ok(Value::safe_string(&markdown(text, style, inline)))
        },
    );
}

/// `{{ value | json_encode }}`: the value as JSON (the JSON Feed and
/// TimelineJS templates write every value with it); `pretty=true` indents.
fn json_encode(value: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let json = if kwargs.get::<bool>("pretty")?.unwrap_or(false) {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    };
    json.map_err(|e| Error::message(e.to_string()))
}

/// `{{ text | markdown }}` with the site's Markdown rules; `inline=true`
/// drops the `<p>` around a single paragraph.
fn markdown(text: &str, style: crate::markdown::Style, inline: bool) -> String {
    let html = crate::markdown::render_linked(
        text,
        style,
        &|_| crate::markdown_links::LinkTarget::Keep,
        &|_| None,
    )
    .rendered
    .html;
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if inline && !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// What `now()` gives: `SOURCE_DATE_EPOCH` when set (so that two builds of
/// the same sources agree), else the clock. Templates get it in RFC 3339,
/// in UTC, to the second.
pub fn now() -> Result<jiff::Timestamp, String> {
    let at = match std::env::var(SOURCE_DATE_EPOCH) {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .ok_or_else(|| {
                format!("{SOURCE_DATE_EPOCH}=`{text}`: give the time as whole seconds since 1970-01-01 UTC, e.g. {SOURCE_DATE_EPOCH}=1700000000")
            })?,
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(at)
}

/// A briefing or page by its path under `content/`.
#[derive(Clone)]
enum Found {
    Briefing(Arc<Briefing>, Vec<(String, String)>),
    Page(Arc<Page>),
}

/// What `get_url` and `get_page` read of one build's model.
#[derive(Default)]
pub struct Lookup {
    base: Option<BaseUrl>,
    /// The site's language, for the dates `get_page` gives.
    locale: Arc<crate::locale::Locale>,
    /// Path under `content/` (`/`-separated) -> the document.
    docs: HashMap<String, Found>,
    /// Output path (`/`-separated) -> where its bytes are, for `cachebust`.
    files: BTreeMap<String, StaticFile>,
}

impl Lookup {
    /// A snapshot of `site` (briefings and pages are shared) and its theme's
    /// static files.
    pub fn new(site: &Site, statics: &BTreeMap<PathBuf, StaticFile>) -> Lookup {
        let slashed = |p: &std::path::Path| p.to_string_lossy().replace('\\', "/");
        let mut docs = HashMap::with_capacity(site.briefings.len() + site.pages.len());
        for (i, b) in site.briefings.iter().enumerate() {
            // `tags` is the `tags` taxonomy's terms (terms of every
            // taxonomy share `site.tags`).
            let tags = site.briefing_tags[i]
                .iter()
                .map(|&t| &site.tags[t])
                .filter(|t| site.config.taxonomies[t.taxonomy].name == "tags")
                .map(|t| (t.name.clone(), t.path().to_string()))
                .collect();
            docs.insert(
                slashed(&b.source_path),
                Found::Briefing(Arc::clone(b), tags),
            );
        }
        for p in &site.pages {
            docs.insert(slashed(&p.source_path), Found::Page(Arc::clone(p)));
        }
        let mut files: BTreeMap<String, StaticFile> = statics
            .iter()
            .map(|(path, file)| (slashed(path), file.clone()))
            .collect();
        for copied in &site.files {
            let source = site
                .root
                .join(crate::config::CONTENT_DIR)
                .join(&copied.source);
            files.insert(slashed(&copied.output), StaticFile::Site(source));
        }
        Lookup {
            base: Some(site.base.clone()),
            locale: std::sync::Arc::clone(&site.config.locale),
            docs,
            files,
        }
    }

    /// A hash of everything `get_url` and `get_page` can give: pages that
    /// call them are rendered again when it moves.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = crate::hash::FingerprintHasher::new();
        let mut paths: Vec<&String> = self.docs.keys().collect();
        paths.sort();
        for path in paths {
            path.hash(&mut hasher);
            match &self.docs[path] {
                Found::Briefing(b, tags) => {
                    let view = self.briefing(b, tags);
                    view.hash(&mut hasher);
                }
                Found::Page(p) => self.page(p).hash(&mut hasher),
            }
        }
        self.files.keys().for_each(|k| k.hash(&mut hasher));
        hasher.finish()
    }

    fn base(&self) -> TeraResult<&BaseUrl> {
        self.base
            .as_ref()
            .ok_or_else(|| Error::message("get_url and get_page work only while building a site"))
    }

    /// `get_url(path=…, absolute=…, trailing_slash=…, cachebust=…)`.
    fn get_url(&self, kwargs: &Kwargs) -> TeraResult<Value> {
        let path = kwargs.must_get::<&str>("path")?;
        let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false);
        let trailing_slash = kwargs.get::<bool>("trailing_slash")?.unwrap_or(false);
        let cachebust = kwargs.get::<bool>("cachebust")?.unwrap_or(false);
        let base = self.base()?;
        let link = |site_path: &str| {
            if absolute {
                base.permalink(site_path)
            } else {
                base.url(site_path)
            }
        };
        if let Some(content) = path.strip_prefix("@/") {
            let (file, fragment) = match content.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (content, None),
            };
            let site_path = match self.docs.get(file) {
                Some(Found::Briefing(b, _)) => &b.path,
                Some(Found::Page(p)) => &p.path,
                None => return Err(no_content("get_url", path)),
            };
            let mut url = link(site_path);
            if let Some(fragment) = fragment {
                url = format!("{url}#{fragment}");
            }
            return Ok(Value::from(url));
        }
        let file = path.trim_start_matches('/');
        let mut url = link(file);
        if trailing_slash && !url.ends_with('/') {
            url.push('/');
        }
        if cachebust {
            let bytes = match self.files.get(file) {
                Some(StaticFile::Builtin(bytes)) => bytes.to_vec(),
                Some(StaticFile::Site(source)) => std::fs::read(source).map_err(|e| {
                    Error::message(format!(
                        "get_url(path=\"{path}\", cachebust=true): cannot read {}: {e}",
                        source.display()
                    ))
                })?,
                None => {
                    return Err(Error::message(format!(
                        "get_url(path=\"{path}\", cachebust=true): no file `{file}` in the output (a cache-busted file comes from templates/static/ or content/)"
                    )));
                }
            };
            url = format!("{url}?h={:016x}", crate::hash::hash_of(bytes));
        }
        Ok(Value::from(url))
    }

    /// `get_page(path=…)`: a briefing or page by its path under `content/`
    /// (`briefings/x.md`, or Zola's `@/briefings/x.md`).
    fn get_page(&self, path: &str) -> TeraResult<Value> {
        self.base()?;
        let file = path.strip_prefix("@/").unwrap_or(path);
        match self.docs.get(file) {
            Some(Found::Briefing(b, tags)) => Ok(Value::from_serializable(&self.briefing(b, tags))),
            Some(Found::Page(p)) => Ok(Value::from_serializable(&self.page(p))),
            None => Err(no_content("get_page", path)),
        }
    }

    fn briefing<'a>(&self, b: &'a Briefing, tags: &'a [(String, String)]) -> PageValue<'a> {
        let base = self.base.as_ref().expect("a bound lookup has a base URL");
        PageValue {
            kind: "briefing",
            title: &b.title,
            slug: &b.slug,
            url: base.url(&b.path),
            permalink: base.permalink(&b.path),
            date: Some(DateView::of(&b.date, &self.locale)),
            updated: b.updated.as_ref().map(|d| DateView::of(d, &self.locale)),
            summary: &b.summary,
            tags: tags
                .iter()
                .map(|(name, path)| TagLink {
                    name,
                    url: base.url(path),
                })
                .collect(),
            authors: &b.authors,
            reading_time: Some(b.reading_time),
            word_count: Some(b.word_count),
            extra: &b.extra,
            source_path: b.source_path.display().to_string(),
        }
    }

    fn page<'a>(&self, p: &'a Page) -> PageValue<'a> {
        let base = self.base.as_ref().expect("a bound lookup has a base URL");
        PageValue {
            kind: "page",
            title: &p.title,
            slug: &p.slug,
            url: base.url(&p.path),
            permalink: base.permalink(&p.path),
            date: None,
            updated: None,
            summary: "",
            tags: Vec::new(),
            authors: &[],
            reading_time: None,
            word_count: None,
            extra: &p.extra,
            source_path: p.source_path.display().to_string(),
        }
    }
}

fn no_content(function: &str, path: &str) -> Error {
    Error::message(format!(
        "{function}(path=\"{path}\"): no briefing or page content/{} (give its path under content/, e.g. \"@/briefings/2024-10-25-talks.md\")",
        path.trim_start_matches("@/")
    ))
}

/// What `get_page` gives: a briefing as lists show it, plus its slug,
/// word count and `extra`; a page with its title, URLs and `extra`.
#[derive(Serialize, Hash)]
struct PageValue<'a> {
    /// `briefing` or `page`.
    kind: &'static str,
    title: &'a str,
    slug: &'a str,
    url: String,
    permalink: String,
    date: Option<DateView>,
    updated: Option<DateView>,
    summary: &'a str,
    tags: Vec<TagLink<'a>>,
    authors: &'a [String],
    reading_time: Option<usize>,
    word_count: Option<usize>,
    extra: &'a BTreeMap<String, serde_yaml::Value>,
    source_path: String,
}

#[derive(Serialize, Hash)]
struct TagLink<'a> {
    name: &'a str,
    url: String,
}

#[cfg(test)]
mod tests {
    use super::markdown;
    use crate::markdown::Style;

    #[test]
    fn markdown_inline_drops_one_paragraph() {
        assert_eq!(
            markdown("*Hi*", Style::default(), false),
            "<p><em>Hi</em></p>\n"
        );
        assert_eq!(markdown("*Hi*", Style::default(), true), "<em>Hi</em>");
        assert_eq!(
            markdown("a\n\nb", Style::default(), true),
            "<p>a</p>\n<p>b</p>\n"
        );
    }
}
