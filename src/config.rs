//! `site.yaml` -> `Config`: a closed schema (an unknown key is an error that
//! names it and suggests the nearest known key), defaults, and validation.
//! Reading the file is kept apart from `parse` so tests work on strings.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::front_matter::TermKeys;
use crate::front_matter::{yaml_error, yaml_key_line};
use crate::permalink::Permalink;
use crate::taxonomy::TaxonomyConfig;
use crate::url::BaseUrl;

pub const FILE_NAME: &str = "site.yaml";
/// The folder of a site's Markdown and files to copy.
pub const CONTENT_DIR: &str = "content";

#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Parsed when `site.yaml` is read: a bad one is an error there, never
    /// later (`--base-url` and `serve` replace it through `Config::load`).
    pub base_url: BaseUrl,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub timeline: TimelineConfig,
    #[serde(default = "default_highlight_theme")]
    pub highlight_theme: String,
    /// Parsed when `site.yaml` is read; an unknown placeholder is an
    /// error at its line.
    #[serde(default = "default_permalink")]
    pub permalink: Permalink,
    #[serde(default = "default_tags_from")]
    pub tags_from: Vec<String>,
    #[serde(default)]
    pub broken_links: BrokenLinks,
    /// Briefings per index and tag page (Hugo's `paginate`; 20 when unset,
    /// Hugo's 10 doubled: see README, "Decisions where the content model
    /// is silent").
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// Publish briefings dated after today, or with a `publishDate` after
    /// today (Hugo's `buildFuture`; `--future` for one run).
    #[serde(default)]
    pub build_future: bool,
    /// Publish briefings whose `expiryDate` has come (Hugo's
    /// `buildExpired`; `--expired` for one run).
    #[serde(default)]
    pub build_expired: bool,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// The search box and its index (`search-index/`); `search: false`
    /// leaves both out.
    #[serde(default = "default_search")]
    pub search: bool,
    /// Briefings last updated longer ago than this many days show readers
    /// a notice (by a script, on the reader's clock); none: never.
    #[serde(default)]
    pub stale_after_days: Option<u32>,
    /// Anything a theme wants (Zola's `extra`; Hugo's `params` is read as
    /// the same), as `site.extra` in templates: never checked.
    #[serde(default = "default_extra", alias = "params")]
    pub extra: serde_yaml::Value,
    /// Tags, regions, authors…: each with an index page and a page, a
    /// timeline and (unless `feed: false`) a feed per term (`taxonomy.rs`).
    #[serde(default = "crate::taxonomy::default_taxonomies")]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// The front matter keys that feed terms, made from `tags_from` and
    /// `taxonomies` once they are read.
    #[serde(skip)]
    pub term_keys: TermKeys,
    /// How aliases redirect: HTML pages, Netlify's `_redirects`, or both.
    #[serde(default)]
    pub redirects: Redirects,
    /// Minify the HTML pages (with their inline CSS and JS) and the CSS
    /// and JS files.
    #[serde(default)]
    pub minify: bool,
    /// The words and date formats of `language` (`locale.rs`), read with
    /// the site's `templates/i18n/` by the engine.
    #[serde(skip)]
    pub locale: std::sync::Arc<crate::locale::Locale>,
}

/// How old paths (`aliases`, `redirect_from`) send readers on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Redirects {
    /// A small HTML page at each old path (any host).
    #[default]
    Html,
    /// One `301` line per old path in `_redirects` (Netlify, Cloudflare
    /// Pages), and no pages at the old paths.
    Netlify,
    /// Both.
    Both,
}

impl Redirects {
    /// Whether the HTML pages at old paths are written.
    pub fn pages(self) -> bool {
        self != Redirects::Netlify
    }

    /// Whether `_redirects` is written.
    pub fn file(self) -> bool {
        self != Redirects::Html
    }
}

/// How bodies are read.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Raw HTML in a body passes through (authors are trusted); false
    /// shows it as text, for desks that publish contributors' writing.
    #[serde(default = "default_raw_html")]
    pub raw_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: default_raw_html(),
        }
    }
}

#[derive(Debug, Clone, Default, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineConfig {
    #[serde(default)]
    pub order: TimelineOrder,
    /// Briefings' `updates:` as timeline entries.
    #[serde(default)]
    pub show_updates: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimelineOrder {
    #[default]
    NewestFirst,
    OldestFirst,
}

impl TimelineOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineOrder::NewestFirst => "newest-first",
            TimelineOrder::OldestFirst => "oldest-first",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BrokenLinks {
    #[default]
    Error,
    Warn,
}

fn default_language() -> String {
    "en".into()
}
/// The syntect theme of code blocks when site.yaml names none.
pub const DEFAULT_HIGHLIGHT_THEME: &str = "base16-ocean.light";

fn default_highlight_theme() -> String {
    DEFAULT_HIGHLIGHT_THEME.into()
}
fn default_permalink() -> Permalink {
    Permalink::parse("/briefings/:slug/").expect("the default pattern is valid")
}
fn default_tags_from() -> Vec<String> {
    vec!["tags".into(), "categories".into(), "category".into()]
}
fn default_paginate() -> usize {
    20
}
fn default_raw_html() -> bool {
    true
}
fn default_search() -> bool {
    true
}
fn default_extra() -> serde_yaml::Value {
    serde_yaml::Value::Mapping(serde_yaml::Mapping::new())
}

/// The top-level keys, then the keys of nested maps.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "author",
    "timeline",
    "highlight_theme",
    "permalink",
    "tags_from",
    "broken_links",
    "paginate",
    "build_future",
    "build_expired",
    "markdown",
    "search",
    "stale_after_days",
    "extra",
    "redirects",
    "minify",
    "taxonomies",
    "order",
    "raw_html",
    "name",
    "slug",
    "feed",
    "show_updates",
];
/// How many of `KNOWN_KEYS` are top-level keys.
const TOP_LEVEL_KEYS: usize = 20;

/// What replaces `site.yaml`'s `base_url` for one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BaseUrlOverride {
    #[default]
    None,
    /// `--base-url`: the whole URL.
    Url(String),
    /// `briefly serve`: its local origin (`http://127.0.0.1:1111`), keeping
    /// the configured sub-path.
    Origin(String),
}

impl Config {
    /// Reads and checks `site.yaml` in `root`, then applies the override:
    /// the only place a site's configuration is loaded.
    pub fn load(root: &Path, base_url: &BaseUrlOverride) -> Result<Config, Diagnostic> {
        let mut config = Config::read(root)?;
        match base_url {
            BaseUrlOverride::None => {}
            BaseUrlOverride::Url(url) => {
                config.base_url =
                    BaseUrl::parse(url).map_err(|m| Diagnostic::new("--base-url", m))?;
            }
            BaseUrlOverride::Origin(origin) => {
                config.base_url = config.base_url.with_origin(origin);
            }
        }
        Ok(config)
    }

    fn read(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(
                FILE_NAME,
                format!(
                    "cannot read {}: {e}; a site needs a site.yaml with at least `title` and `base_url`",
                    path.display()
                ),
            )
        })?;
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let path = Path::new(FILE_NAME);
        let mut config: Config = serde_yaml::from_str(text).map_err(|e| {
            let mut diagnostic = yaml_error(path, &e, FILE_NAME);
            if let Some(key) = unknown_key(&diagnostic.message) {
                diagnostic.message = format!("unknown key `{key}`");
                if let Some(near) = nearest_key(&key) {
                    diagnostic.message += &format!(": did you mean `{near}`?");
                }
                diagnostic.message +=
                    &format!(" (known keys: {})", KNOWN_KEYS[..TOP_LEVEL_KEYS].join(", "));
            }
            diagnostic
        })?;
        config.validate(text)?;
        config.term_keys = TermKeys::new(&config.tags_from, &config.taxonomies);
        Ok(config)
    }

    fn validate(&self, text: &str) -> Result<(), Diagnostic> {
        let at = |key: &str, message: String| {
            let line = yaml_key_line(text, key).unwrap_or(1);
            Diagnostic::new(FILE_NAME, message).at(line, Some(1))
        };
        let p = &self.permalink;
        if !p.to_string().starts_with('/') || !p.names_each_briefing() {
            return Err(at(
                "permalink",
                format!(
                    "permalink `{p}` must start with `/` and contain `:slug` (or Jekyll's `:title`), e.g. \"/briefings/:slug/\", \"/:year/:month/:day/:slug/\" or \"/:year/:month/:day/:title.html\""
                ),
            ));
        }
        let sample = crate::permalink::Fields {
            slug: "x",
            title: "x",
            date: &crate::date::Date::from_day(jiff::civil::date(2024, 1, 1)),
            categories: &[],
            sections: &[],
        };
        if let Err(why) = p.expand(&sample) {
            return Err(at(
                "permalink",
                format!("permalink `{p}` cannot make a path of this site: {why}"),
            ));
        }
        // The tag names files (`templates/i18n/<language>.yaml`).
        let tag = &self.language;
        if tag.is_empty()
            || !tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(at(
                "language",
                format!(
                    "language `{tag}` is not a language tag: write one such as en, fr, fr-CA or zh-Hans"
                ),
            ));
        }
        if self.paginate == 0 {
            return Err(at("paginate", "paginate must be at least 1".into()));
        }
        self.check_taxonomies(text)
    }

    /// `taxonomies:` checked against each other and the URLs other pages
    /// take: the briefings' first segment, `page/`, `timeline/`, the
    /// search index's folder.
    fn check_taxonomies(&self, text: &str) -> Result<(), Diagnostic> {
        let mut taken = vec![
            ("page".to_string(), "the index's pages (/page/2/)"),
            ("timeline".to_string(), "the timeline"),
            (crate::search::DIR.to_string(), "the search index's folder"),
        ];
        let permalink = self.permalink.to_string();
        if let Some(first) = permalink.split('/').nth(1).filter(|s| !s.contains(':')) {
            taken.push((
                first.to_string(),
                "where briefings are written (`permalink`)",
            ));
        }
        let lines = crate::front_matter::yaml_item_lines(text, "taxonomies");
        let key_line = yaml_key_line(text, "taxonomies").unwrap_or(1);
        crate::taxonomy::check(&self.taxonomies, &taken, |k| {
            lines.get(k).copied().unwrap_or(key_line)
        })
    }
}

fn unknown_key(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

fn nearest_key(key: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .map(|known| (strsim::damerau_levenshtein(key, known), *known))
        .filter(|(distance, known)| *distance <= known.len().max(3) / 2)
        .min()
        .map(|(_, known)| known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse("title: T\nbase_url: https://example.org/watch\n").unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.permalink.to_string(), "/briefings/:slug/");
        assert!(!c.build_future && !c.build_expired);
        assert_eq!(c.timeline.order, TimelineOrder::NewestFirst);
        assert_eq!(c.tags_from, vec!["tags", "categories", "category"]);
        assert_eq!(c.paginate, 20, "README: paginate defaults to 20");
        assert!(
            c.markdown.raw_html,
            "authors are trusted unless a desk says not"
        );
        assert!(
            c.search,
            "search is on unless site.yaml says `search: false`"
        );
        let c = Config::parse("title: T\nbase_url: https://e.org\nsearch: false\n").unwrap();
        assert!(!c.search);
        assert_eq!(c.redirects, Redirects::Html);
        assert!(!c.minify);
    }

    /// Issue 13, item 6: `redirects: html | netlify | both`, `minify`.
    #[test]
    fn issue_13_redirects_and_minify_are_known_keys() {
        let c = Config::parse("title: T\nbase_url: https://e.org\nredirects: both\nminify: true\n")
            .unwrap();
        assert!(c.redirects.pages() && c.redirects.file() && c.minify);
        let c = Config::parse("title: T\nbase_url: https://e.org\nredirects: netlify\n").unwrap();
        assert!(!c.redirects.pages() && c.redirects.file());
        let err =
            Config::parse("title: T\nbase_url: https://e.org\nredirects: apache\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(
            err.message.contains("html, netlify, both") || err.message.contains("`html`"),
            "{}",
            err.message
        );
    }

    /// Issue 11, item 7: `markdown: { raw_html: false }`, and a misspelt
    /// key in it named with the nearest one.
    #[test]
    fn issue_11_markdown_raw_html_is_a_known_key() {
        let c = Config::parse("title: T\nbase_url: https://e.org\nmarkdown:\n  raw_html: false\n")
            .unwrap();
        assert!(!c.markdown.raw_html);
        let err = Config::parse("title: T\nbase_url: https://e.org\nmarkdown:\n  raw_htm: false\n")
            .unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(
            err.message
                .starts_with("unknown key `raw_htm`: did you mean `raw_html`?"),
            "{}",
            err.message
        );
        let err = Config::parse("title: T\nbase_url: https://e.org\nmarkdwn: {}\n").unwrap_err();
        assert!(
            err.message.contains("did you mean `markdown`?")
                && err.message.ends_with(
                    "markdown, search, stale_after_days, extra, redirects, minify, taxonomies)"
                ),
            "{}",
            err.message
        );
    }

    /// Issue 13, item 1: `extra:` takes any YAML, unchecked; every other
    /// key stays checked, `extra` among the suggestions.
    #[test]
    fn issue_13_extra_takes_any_yaml() {
        let c = Config::parse("title: T\nbase_url: https://e.org\n").unwrap();
        assert!(c.extra.as_mapping().is_some_and(|m| m.is_empty()));
        let c = Config::parse(
            "title: T\nbase_url: https://e.org\nextra:\n  colour: teal\n  desk: {name: East, members: [Kim]}\n  anything_goes: 1\n",
        )
        .unwrap();
        assert_eq!(c.extra["desk"]["members"][0].as_str(), Some("Kim"));
        let err = Config::parse("title: T\nbase_url: https://e.org\nextr:\n  colour: teal\n")
            .unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(
            err.message
                .starts_with("unknown key `extr`: did you mean `extra`?"),
            "{}",
            err.message
        );
        let c =
            Config::parse("title: T\nbase_url: https://e.org\nparams: {colour: teal}\n").unwrap();
        assert_eq!(c.extra["colour"].as_str(), Some("teal"), "Hugo's name");
    }

    /// Issue 13, item 2: `taxonomies:` entries are names or maps, and a
    /// bad one is an error at its own line.
    #[test]
    fn issue_13_taxonomies_are_read_and_checked_at_their_line() {
        let c = Config::parse("title: T\nbase_url: https://e.org\n").unwrap();
        assert_eq!(c.taxonomies, crate::taxonomy::default_taxonomies());
        let yaml = "title: T\nbase_url: https://e.org\ntaxonomies:\n  - tags\n  - regions\n  - {name: authors, feed: false}\n  - name: Desk Notes\n";
        let err = Config::parse(yaml).unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap().split(": ").next(),
            Some("site.yaml:7"),
            "{err}"
        );
        assert!(
            err.message
                .contains("`Desk Notes` is not a usable taxonomy name"),
            "{err}"
        );
        let yaml = "title: T\nbase_url: https://e.org\ntags_from: [tags, categories]\ntaxonomies: [tags, categories, {name: authors, slug: by, feed: false}]\n";
        let c = Config::parse(yaml).unwrap();
        let names: Vec<(&str, &str, bool)> = (c.taxonomies.iter())
            .map(|t| (t.name.as_str(), t.slug.as_str(), t.feed))
            .collect();
        assert_eq!(
            names,
            [
                ("tags", "tags", true),
                ("categories", "categories", true),
                ("authors", "by", false)
            ]
        );
        assert_eq!(
            c.term_keys.tags_from,
            ["tags"],
            "`categories` is a taxonomy of its own"
        );
        assert_eq!(c.term_keys.taxonomies, ["categories"]);
        let cases = [
            (
                "taxonomies:\n  - tags\n  - regions\n  - tags\n",
                6,
                "the taxonomy `tags` is listed twice (also taxonomies[0])",
            ),
            (
                "taxonomies: [tags, {name: regions, slug: timeline}]\n",
                3,
                "`/timeline/` is already the timeline",
            ),
            (
                "taxonomies:\n- regions\n- name: places\n  slug: briefings\n",
                5,
                "`/briefings/` is already where briefings are written",
            ),
            (
                "taxonomies: [tags, {name: topics, slug: tags}]\n",
                3,
                "the slug `tags` is also taxonomies[0]'s",
            ),
            ("taxonomies: [title]\n", 3, "`title` cannot be a taxonomy"),
            // Keys a briefing has of its own (issue 14's among them).
            (
                "taxonomies: [tags, updates]\n",
                3,
                "`updates` cannot be a taxonomy",
            ),
            (
                "taxonomies: [judgements]\n",
                3,
                "`judgements` cannot be a taxonomy",
            ),
            (
                "taxonomies: [{name: regions, slug: East Asia}]\n",
                3,
                "slug `East Asia` must be one URL segment",
            ),
            (
                "taxonomies: [{name: regions, title: \" \"}]\n",
                3,
                "`title:` is empty: give the words pages show for it, e.g. {name: regions, title: Regions}",
            ),
            (
                "taxonomies: [{name: regions, feeds: false}]\n",
                3,
                "unknown key `feeds`: did you mean `feed`?",
            ),
        ];
        for (yaml, line, message) in cases {
            let err =
                Config::parse(&format!("title: T\nbase_url: https://e.org\n{yaml}")).unwrap_err();
            assert_eq!(err.line, Some(line), "{yaml}: {err}");
            assert!(err.message.contains(message), "{yaml}: {err}");
        }
    }

    #[test]
    fn unknown_key_is_named_with_line_and_suggestion() {
        let err =
            Config::parse("title: T\nbase_url: https://e.org\nhighlight_them: x\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message
                .starts_with("unknown key `highlight_them`: did you mean `highlight_theme`?"),
            "{}",
            err.message
        );
        let err =
            Config::parse("title: T\nbase_url: https://e.org\ntimeline:\n  ordr: oldest-first\n")
                .unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(
            err.message.contains("did you mean `order`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn bad_values_are_explained() {
        let err = Config::parse("title: T\nbase_url: example.org\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        let err =
            Config::parse("title: T\nbase_url: https://e.org\npermalink: /posts/\n").unwrap_err();
        assert!(err.message.contains(":slug"), "{}", err.message);
        let err =
            Config::parse("title: T\nbase_url: https://e.org\npermalink: /:year/:week/:slug/\n")
                .unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(
            err.message.starts_with(
                "permalink: `/:year/:week/:slug/` uses `:week`, which briefly does not know"
            ),
            "{}",
            err.message
        );
        // Hugo's form, without the leading slash, is from the site's root.
        let c = Config::parse(
            "title: T\nbase_url: https://e.org\npermalink: \":year/:month/:slug/\"\n",
        )
        .unwrap();
        assert_eq!(c.permalink.to_string(), "/:year/:month/:slug/");
        let c = Config::parse("title: T\nbase_url: https://e.org\npermalink: date\n").unwrap();
        assert_eq!(
            c.permalink.to_string(),
            "/:categories/:year/:month/:day/:title:output_ext"
        );
        // The line is the one the YAML parser reads the key on.
        let err =
            Config::parse("title: T\nbase_url: https://e.org\n\n\"paginate\" : 0\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "site.yaml:4:1: paginate must be at least 1"
        );
        let err = Config::parse("base_url: https://e.org\n").unwrap_err();
        assert!(
            err.message.contains("missing field `title`"),
            "{}",
            err.message
        );
    }
}
