//! Taxonomies in views: `site.taxonomies` and `taxonomy` (`TaxonomyView`),
//! a briefing's terms by taxonomy (`TermLists`), and the terms a timeline
//! offers to filter by (`Filter`). Part of `view_parts.rs`'s `Parts`.

use std::hash::{Hash, Hasher};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use tera::Value;

use crate::site::Site;
use crate::view_parts::{FILTER_TAGS, Parts, TagRef};

/// A taxonomy as templates see it: `site.taxonomies.<name>`, and
/// `taxonomy` on its pages.
#[derive(Serialize, Clone, Hash)]
pub struct TaxonomyView {
    pub(crate) name: String,
    slug: String,
    /// What headings and links call it, in the site's language (`Régions`).
    pub(crate) title: String,
    url: String,
    permalink: String,
    /// Whether its terms have feeds.
    feed: bool,
}

/// A briefing's terms by taxonomy name, in `taxonomies:`' order, only the
/// taxonomies it has terms in: `b.taxonomies.regions`.
#[derive(Hash, Default)]
pub struct TermLists<'a>(Vec<(&'a str, Vec<TagRef<'a>>)>);

impl Serialize for TermLists<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, terms) in &self.0 {
            map.serialize_entry(name, terms)?;
        }
        map.end()
    }
}

/// The terms of one taxonomy a timeline offers to filter by.
#[derive(Serialize, Hash)]
pub struct Filter<'a> {
    taxonomy: TaxonomyRef<'a>,
    /// The most used, in term order.
    terms: Vec<TagRef<'a>>,
    /// How many terms `terms` leaves out.
    more: usize,
}

/// A taxonomy in a view: hashed as its `TaxonomyView`, serialised through
/// a Tera value made once per render (every term page shows it).
#[derive(Clone, Copy)]
pub struct TaxonomyRef<'v> {
    parts: &'v Parts<'v>,
    k: usize,
}

impl Hash for TaxonomyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts.taxonomies[self.k].hash(state);
    }
}

impl Serialize for TaxonomyRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.parts.taxonomy_values[self.k]
            .get_or_init(|| Value::from_serializable(&self.parts.taxonomies[self.k]));
        value.serialize(serializer)
    }
}

/// The timeline's `filters`, the same on every timeline page: hashed as
/// made, serialised through a Tera value made once per render.
pub struct FiltersRef<'v> {
    parts: &'v Parts<'v>,
}

impl Hash for FiltersRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts.filters().hash(state);
    }
}

impl Serialize for FiltersRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = (self.parts.filters_value)
            .get_or_init(|| Value::from_serializable(&self.parts.filters()));
        value.serialize(serializer)
    }
}

/// Per taxonomy, its `FILTER_TAGS` most used terms (ties by slug), in
/// term order.
pub fn most_used(site: &Site) -> Vec<Vec<usize>> {
    (0..site.config.taxonomies.len())
        .map(|k| {
            let mut most_used: Vec<usize> = site.terms_of(k).collect();
            most_used.sort_by_key(|&t| std::cmp::Reverse(site.tags[t].briefings.len()));
            most_used.truncate(FILTER_TAGS);
            most_used.sort_unstable();
            most_used
        })
        .collect()
}

/// Every taxonomy as templates see it.
pub fn taxonomies(site: &Site) -> Vec<TaxonomyView> {
    let base = &site.base;
    (site.config.taxonomies.iter())
        .map(|t| {
            let path = crate::taxonomy::index_path(t);
            TaxonomyView {
                name: t.name.clone(),
                slug: t.slug.clone(),
                title: crate::taxonomy::title(t, &site.config.locale),
                url: base.url(&path),
                permalink: base.permalink(&path),
                feed: t.feed,
            }
        })
        .collect()
}

impl Parts<'_> {
    /// The tags a timeline offers to filter by, and how many it leaves out.
    pub fn most_used_tags(&self) -> (Vec<TagRef<'_>>, usize) {
        match self.tags_taxonomy {
            Some(k) => self.most_used_of(k),
            None => (Vec::new(), 0),
        }
    }

    fn most_used_of(&self, k: usize) -> (Vec<TagRef<'_>>, usize) {
        let shown = self.most_used[k].iter().map(|&t| self.tag(t)).collect();
        let more = self.site.terms_of(k).len() - self.most_used[k].len();
        (shown, more)
    }

    /// Each taxonomy's terms a timeline offers to filter by.
    pub fn filters(&self) -> Vec<Filter<'_>> {
        (0..self.taxonomies.len())
            .filter(|&k| !self.most_used[k].is_empty())
            .map(|k| {
                let (terms, more) = self.most_used_of(k);
                Filter {
                    taxonomy: TaxonomyRef { parts: self, k },
                    terms,
                    more,
                }
            })
            .collect()
    }

    /// The filters of every timeline page, made into a Tera value once.
    pub fn filters_ref(&self) -> FiltersRef<'_> {
        FiltersRef { parts: self }
    }

    /// Taxonomy `k` for a view.
    pub fn taxonomy(&self, k: usize) -> TaxonomyRef<'_> {
        TaxonomyRef { parts: self, k }
    }

    /// The taxonomy of term `t`.
    pub fn taxonomy_of(&self, t: usize) -> TaxonomyRef<'_> {
        self.taxonomy(self.site.tags[t].taxonomy)
    }

    /// Briefing `i`'s terms by taxonomy, up to `shown` each; its tags; and
    /// how many tags that leaves out.
    pub(crate) fn terms_of(
        &self,
        i: usize,
        shown: usize,
    ) -> (TermLists<'_>, Vec<TagRef<'_>>, usize) {
        let mut taxonomies: Vec<(&str, Vec<TagRef>)> = Vec::new();
        let mut more_tags = 0;
        let mut at = usize::MAX;
        for &t in &self.site.briefing_tags[i] {
            let k = self.site.tags[t].taxonomy;
            if k != at {
                at = k;
                taxonomies.push((&self.taxonomies[k].name, Vec::new()));
            }
            let terms = &mut taxonomies.last_mut().expect("pushed above").1;
            if terms.len() < shown {
                terms.push(self.tag(t));
            } else if Some(k) == self.tags_taxonomy {
                more_tags += 1;
            }
        }
        let tags = (self.tags_taxonomy)
            .and_then(|k| {
                taxonomies
                    .iter()
                    .find(|(name, _)| *name == self.taxonomies[k].name)
            })
            .map(|(_, terms)| terms.clone())
            .unwrap_or_default();
        (TermLists(taxonomies), tags, more_tags)
    }
}
