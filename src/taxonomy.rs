//! Taxonomies: `site.yaml`'s `taxonomies:` (tags, regions, authors, …)
//! read and checked, their terms gathered from the briefings, and the
//! template function `get_taxonomy_url`. Each taxonomy's pages (its index,
//! a page, a timeline and a feed per term) are listed by `pages.rs`; what
//! templates see of them is `view_parts.rs`'s.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::briefing::Briefing;
use crate::diagnostic::Diagnostic;
use crate::locale::Locale;
use crate::url::slugify;

/// The taxonomy fed by `tags_from`'s keys.
pub const TAGS: &str = "tags";
/// The taxonomy fed by `author`/`authors`.
pub const AUTHORS: &str = "authors";

/// One entry of `taxonomies:`: a name, or `{name, slug, feed, title}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaxonomyConfig {
    /// The front matter key that lists a briefing's terms.
    pub name: String,
    /// The URL segment of its pages (`/regions/`); the name's slug unless set.
    pub slug: String,
    /// Whether each term gets an Atom feed.
    pub feed: bool,
    /// What the site calls it (`title:`), else the language's word for the
    /// usual names (see `title`).
    pub title: Option<String>,
}

pub fn default_taxonomies() -> Vec<TaxonomyConfig> {
    vec![TaxonomyConfig::named(TAGS.to_string())]
}

impl TaxonomyConfig {
    fn named(name: String) -> TaxonomyConfig {
        TaxonomyConfig {
            slug: slugify(&name),
            name,
            feed: true,
            title: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyMap {
    name: String,
    slug: Option<String>,
    #[serde(default = "yes")]
    feed: bool,
    title: Option<String>,
}

fn yes() -> bool {
    true
}

impl<'de> Deserialize<'de> for TaxonomyConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TaxonomyConfig, D::Error> {
        struct Entry;
        impl<'de> Visitor<'de> for Entry {
            type Value = TaxonomyConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a taxonomy's name (e.g. regions) or a map like {name: authors, slug: by, feed: false, title: Analysts}")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<TaxonomyConfig, E> {
                Ok(TaxonomyConfig::named(name.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TaxonomyConfig, A::Error> {
                let m = TaxonomyMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let mut taxonomy = TaxonomyConfig::named(m.name);
                taxonomy.feed = m.feed;
                taxonomy.title = m.title;
                if let Some(slug) = m.slug {
                    taxonomy.slug = slug;
                }
                Ok(taxonomy)
            }
        }
        d.deserialize_any(Entry)
    }
}

/// Front matter keys briefly reads itself besides the briefing's own
/// (`front_matter::KNOWN_KEYS`): no taxonomy may take any of them.
const TAKEN_KEYS: &[&str] = &[
    "aliases",
    "redirect_from",
    "layout",
    "template",
    "permalink",
    "extra",
    "params",
];

/// Checks `taxonomies:`: names a front matter key may carry, each once,
/// slugs that are one URL segment of their own. `line(k)` is the line of
/// entry `k` in site.yaml; `taken` are the first URL segments other pages
/// use (`briefings`, `timeline`, …) with what uses them.
pub fn check(
    taxonomies: &[TaxonomyConfig],
    taken: &[(String, &str)],
    line: impl Fn(usize) -> usize,
) -> Result<(), Diagnostic> {
    let at = |k: usize, message: String| {
        Diagnostic::new(
            crate::config::FILE_NAME,
            format!("taxonomies[{k}]: {message}"),
        )
        .at(line(k), None)
    };
    for (k, t) in taxonomies.iter().enumerate() {
        let name = &t.name;
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
        if name.is_empty() || !name.chars().all(word) {
            return Err(at(
                k,
                format!(
                    "`{name}` is not a usable taxonomy name: it is the front matter key of its terms, so a word of letters, digits, `_` or `-`, e.g. `regions`"
                ),
            ));
        }
        if TAKEN_KEYS.contains(&name.as_str())
            || (name != AUTHORS && crate::front_matter::KNOWN_KEYS.contains(&name.as_str()))
        {
            let hint = if name == "author" {
                " (the `authors` taxonomy is fed by `author` and `authors`)"
            } else {
                ""
            };
            return Err(at(
                k,
                format!(
                    "`{name}` cannot be a taxonomy: briefly reads that front matter key itself{hint}; choose another name"
                ),
            ));
        }
        if t.title
            .as_deref()
            .is_some_and(|title| title.trim().is_empty())
        {
            return Err(at(
                k,
                format!(
                    "`title:` is empty: give the words pages show for it, e.g. {{name: {name}, title: {}}}",
                    title(&TaxonomyConfig::named(name.clone()), &Locale::default())
                ),
            ));
        }
        if t.slug.is_empty() || slugify(&t.slug) != t.slug {
            return Err(at(
                k,
                format!(
                    "slug `{}` must be one URL segment of lowercase letters, digits and `-`, e.g. `{}`",
                    t.slug,
                    slugify(&t.slug)
                ),
            ));
        }
        if let Some(first) = taxonomies[..k].iter().position(|o| o.name == *name) {
            return Err(at(
                k,
                format!(
                    "the taxonomy `{name}` is listed twice (also taxonomies[{first}]): list each once"
                ),
            ));
        }
        if let Some(first) = taxonomies[..k].iter().position(|o| o.slug == t.slug) {
            return Err(at(
                k,
                format!(
                    "the slug `{}` is also taxonomies[{first}]'s (`{}`): give one of them another `slug:`",
                    t.slug, taxonomies[first].name
                ),
            ));
        }
        if let Some((_, owner)) = taken.iter().find(|(segment, _)| *segment == t.slug) {
            return Err(at(
                k,
                format!(
                    "`/{}/` is already {owner}: give the taxonomy another slug, e.g. {{name: {name}, slug: {}-list}}",
                    t.slug, t.slug
                ),
            ));
        }
    }
    Ok(())
}

/// A term of a taxonomy: a tag, a region, an author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Index into `config.taxonomies`.
    pub taxonomy: usize,
    pub name: String,
    pub slug: String,
    /// Its page's site path: `/<taxonomy slug>/<slug>/`.
    pub path: String,
    /// Indices into `Site::briefings`, newest first.
    pub briefings: Vec<usize>,
}

impl Term {
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// Every taxonomy's terms, with each briefing's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// By taxonomy, then slug.
    pub terms: Vec<Term>,
    /// Per briefing, the indices into `terms` of its terms: by taxonomy,
    /// then in its own order.
    pub of: Vec<Vec<usize>>,
    /// Per taxonomy, its range of `terms`.
    pub ranges: Vec<Range<usize>>,
}

/// Merges each taxonomy's terms by slug. The display name is the spelling
/// used most; on a tie the one that is not just the slug (`North Korea`
/// over `north-korea`), then the alphabetically first.
pub fn collect(briefings: &[Arc<Briefing>], taxonomies: &[TaxonomyConfig]) -> Terms {
    let mut all = Terms::default();
    for (k, taxonomy) in taxonomies.iter().enumerate() {
        let start = all.terms.len();
        let mut spellings: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, b) in briefings.iter().enumerate() {
            for term in &b.terms[k] {
                *spellings
                    .entry(&term.slug)
                    .or_default()
                    .entry(&term.name)
                    .or_default() += 1;
                members.entry(&term.slug).or_default().push(i);
            }
        }
        all.terms
            .extend(members.into_iter().map(|(slug, briefings)| {
                let name = spellings[slug]
                    .iter()
                    .max_by(|a, b| {
                        a.1.cmp(b.1)
                            .then((*a.0 != slug).cmp(&(*b.0 != slug)))
                            .then(b.0.cmp(a.0))
                    })
                    .map_or(slug, |(name, _)| name)
                    .to_string();
                Term {
                    taxonomy: k,
                    name,
                    path: format!("/{}/{slug}/", taxonomy.slug),
                    slug: slug.to_string(),
                    briefings,
                }
            }));
        all.ranges.push(start..all.terms.len());
    }
    let index: HashMap<(usize, &str), usize> = all
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| ((t.taxonomy, t.slug.as_str()), i))
        .collect();
    all.of = briefings
        .iter()
        .map(|b| {
            (b.terms.iter().enumerate())
                .flat_map(|(k, terms)| terms.iter().map(move |t| (k, t)))
                .map(|(k, t)| index[&(k, t.slug.as_str())])
                .collect()
        })
        .collect();
    all
}

/// The index page of a taxonomy.
pub fn index_path(taxonomy: &TaxonomyConfig) -> String {
    format!("/{}/", taxonomy.slug)
}

/// The names whose titles every shipped language gives
/// (`taxonomy_<name>` in `templates/i18n/`).
const TITLED: &[&str] = &["authors", "categories", "regions", "series", "topics"];

/// The words a taxonomy is shown by: the `title:` the site gives, else the
/// language's word for tags and the usual names (`Régions` under
/// `language: fr`), else its name with a capital (`Places`).
pub fn title(taxonomy: &TaxonomyConfig, locale: &Locale) -> String {
    let name = taxonomy.name.as_str();
    let word = match name {
        TAGS => locale.word("tags", None, &[]),
        _ if TITLED.contains(&name) => locale.word(&format!("taxonomy_{name}"), None, &[]),
        _ => None,
    };
    if let Some(title) = taxonomy.title.clone().or(word) {
        return title;
    }
    let mut chars = name.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_uppercase()
            .chain(chars)
            .collect::<String>()
            .replace(['_', '-'], " ")
    })
}

/// What `get_taxonomy_url` looks terms up in: per taxonomy name, its
/// terms' URLs by slug. Given to templates as a context variable only
/// when one of them calls the function (see `Templates::calls`).
#[derive(Serialize, Hash)]
pub struct TermUrls(pub BTreeMap<String, BTreeMap<String, String>>);

/// Every term's URL by taxonomy name and slug.
pub fn term_urls(site: &crate::site::Site) -> TermUrls {
    let mut urls: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (k, taxonomy) in site.config.taxonomies.iter().enumerate() {
        let terms = site.tags[site.terms_of(k)]
            .iter()
            .map(|t| (t.slug.clone(), site.base.url(&t.path)))
            .collect();
        urls.insert(taxonomy.name.clone(), terms);
    }
    TermUrls(urls)
}

/// The context variable holding `TermUrls`.
pub const TERM_URLS: &str = "__briefly_term_urls";

/// `get_taxonomy_url(kind="regions", name="East Asia")`: the URL of a
/// term's page, under the base URL's sub-path. An unknown kind or term is
/// an error, which Tera reports with the template and line.
pub fn get_taxonomy_url(kwargs: tera::Kwargs, state: &tera::State) -> tera::TeraResult<String> {
    let kind: String = kwargs.must_get("kind")?;
    let name: String = kwargs.must_get("name")?;
    let urls: Option<tera::Value> = state.get(TERM_URLS)?;
    let Some(urls) = urls else {
        return Err(tera::Error::message(
            "get_taxonomy_url: the site's terms are not known to this render",
        ));
    };
    let Some(terms) = urls.get_from_path(&kind).filter(|_| !kind.contains('.')) else {
        let known: Vec<&str> = urls
            .as_map()
            .into_iter()
            .flat_map(|m| m.keys())
            .filter_map(|k| k.as_str())
            .collect();
        return Err(tera::Error::message(format!(
            "get_taxonomy_url: no taxonomy `{kind}` (site.yaml's taxonomies: {})",
            known.join(", ")
        )));
    };
    let slug = slugify(&name);
    match terms.get_from_path(&slug).and_then(|url| url.as_str()) {
        Some(url) if !slug.is_empty() => Ok(url.to_string()),
        _ => Err(tera::Error::message(format!(
            "get_taxonomy_url: no briefing has the {kind} term `{name}`"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: a taxonomy's title is the site's `title:`, else the
    /// language's word for the usual names, else its name with a capital.
    #[test]
    fn a_title_is_the_sites_then_the_languages_then_the_name() {
        let fr = Locale::builtin("fr");
        let named = |name: &str| TaxonomyConfig::named(name.to_string());
        assert_eq!(title(&named("regions"), &fr), "Régions");
        assert_eq!(title(&named("tags"), &fr), "Mots-clés");
        assert_eq!(title(&named("authors"), &Locale::builtin("de")), "Autoren");
        assert_eq!(title(&named("desk_notes"), &fr), "Desk notes");
        let mut places = named("regions");
        places.title = Some("Zones".to_string());
        assert_eq!(title(&places, &fr), "Zones");
    }
}
