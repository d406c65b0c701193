//! `site.yaml` -> `Config`: a closed schema (an unknown key is an error that
//! names it and suggests the nearest known key), defaults, and validation.
//! Reading the file is kept apart from `parse` so tests work on strings.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::front_matter::{yaml_error, yaml_key_line};
use crate::permalink::Permalink;
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
    /// Briefings per index page (Hugo's `paginate`).
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
fn default_highlight_theme() -> String {
    "base16-ocean.light".into()
}
fn default_permalink() -> Permalink {
    Permalink::parse("/briefings/:slug/").expect("the default pattern is valid")
}
fn default_tags_from() -> Vec<String> {
    vec!["tags".into(), "categories".into()]
}
fn default_paginate() -> usize {
    10
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
    "order",
    "raw_html",
    "show_updates",
];
/// How many of `KNOWN_KEYS` are top-level keys.
const TOP_LEVEL_KEYS: usize = 17;

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
        let config: Config = serde_yaml::from_str(text).map_err(|e| {
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
        };
        if let Err(why) = p.expand(&sample) {
            return Err(at(
                "permalink",
                format!("permalink `{p}` cannot make a path of this site: {why}"),
            ));
        }
        if self.paginate == 0 {
            return Err(at("paginate", "paginate must be at least 1".into()));
        }
        Ok(())
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
        assert_eq!(c.tags_from, vec!["tags", "categories"]);
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
                && err
                    .message
                    .ends_with("build_expired, markdown, search, stale_after_days, extra)"),
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
